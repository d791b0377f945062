/**
 * The browser's one way to call the console's API: base-path aware, every answer parsed with a
 * schema (lib/api/**) so a component never works with a shape it did not expect, every change
 * carrying the same-origin proof the server requires, and a signed-out person always sent to
 * sign-in. Refusals keep the server's reason and field-level causes (the config editor marks the
 * lines they are about).
 */
import { z } from "zod";
import { SAME_ORIGIN_HEADER, SAME_ORIGIN_VALUE } from "./api/sameOrigin";
import { readJsonBody } from "./gzippedJson";

const fieldProblemSchema = z.object({ field: z.string().optional(), message: z.string().optional() });
export type FieldProblem = z.infer<typeof fieldProblemSchema>;

/** The error body every API route answers with (server/http/errors.ts). */
const errorBodySchema = z.object({
  error: z.object({ message: z.string(), upstream: z.string().optional(), reason: z.string().optional(), fields: z.array(fieldProblemSchema).optional() }),
});

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly detail: { upstream?: string; reason?: string; fields?: FieldProblem[] } = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  get upstream(): string | undefined {
    return this.detail.upstream;
  }

  get reason(): string | undefined {
    return this.detail.reason;
  }

  get fields(): FieldProblem[] {
    return this.detail.fields ?? [];
  }

  /** The stored object moved on since it was read (server/kube/writes.ts changedBySomeoneElse): reload before writing. */
  get isConflict(): boolean {
    return this.status === 409 && this.reason === "conflict";
  }
}

export function apiPath(path: string): string {
  return `${process.env.NEXT_PUBLIC_BASE_PATH ?? ""}${path}`;
}

let leaving = false;

/**
 * The page is leaving on purpose (signing out, perhaps through the identity provider's own page):
 * a refusal to a request still in flight must not send it to sign-in instead.
 */
export function leavingPage(): void {
  leaving = true;
}

/** A signed-out session (expired, or ended elsewhere) goes back to sign-in, then returns here. */
function returnToSignIn(): void {
  if (typeof window === "undefined" || leaving) return;
  // The sign-in page's own shell asks the API too; it must not send itself to sign-in again.
  if (window.location.pathname === apiPath("/login")) return;
  const here = `${window.location.pathname}${window.location.search}`;
  // A full page load, not a client navigation: nothing cached for the ended session may survive.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign(`${apiPath("/login")}?next=${encodeURIComponent(here)}`);
}

async function request<T>(path: string, schema: z.ZodType<T>, init: RequestInit, unreachable: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(apiPath(path), { ...init, headers: { accept: "application/json", ...init.headers } });
  } catch {
    throw new ApiError(unreachable, 0);
  }
  const body: unknown = await readJsonBody(response).catch(() => undefined);
  if (!response.ok) {
    const refusal = errorBodySchema.safeParse(body);
    const error = refusal.success ? refusal.data.error : undefined;
    if (response.status === 401 && error?.reason === "signed-out") returnToSignIn();
    throw new ApiError(error?.message ?? `The console answered HTTP ${response.status}`, response.status, { upstream: error?.upstream, reason: error?.reason, fields: error?.fields });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError(`The console answered ${path} with an unexpected shape`, response.status);
  return parsed.data;
}

/** A read (GET). */
export function fetchJson<T>(path: string, schema: z.ZodType<T>, init: { headers?: Record<string, string> } = {}): Promise<T> {
  return request(path, schema, init, "The console's server could not be reached; is it still running?");
}

/** A change: JSON in and out, with the same-origin header (server/http/sameOrigin.ts refuses a change without it). */
export function sendJson<T>(method: "POST" | "PUT" | "DELETE", path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
  const headers: Record<string, string> = { [SAME_ORIGIN_HEADER]: SAME_ORIGIN_VALUE, ...(body === undefined ? {} : { "content-type": "application/json" }) };
  return request(path, schema, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }, "The console's server could not be reached; nothing was changed");
}
