/**
 * The browser's way to call the console's API: base-path aware, and every answer is parsed with a
 * schema so a component never works with a shape it did not expect.
 */
import type { z } from "zod";
import { readJsonBody } from "./gzippedJson";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly upstream?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function apiPath(path: string): string {
  return `${process.env.NEXT_PUBLIC_BASE_PATH ?? ""}${path}`;
}

interface ErrorBody {
  error?: { message?: string; upstream?: string; reason?: string };
}

/** A signed-out session (expired, or ended elsewhere) goes back to sign-in, then returns here. */
function returnToSignIn(): void {
  if (typeof window === "undefined") return;
  // The sign-in page's own shell asks the API too; it must not send itself to sign-in again.
  if (window.location.pathname === apiPath("/login")) return;
  const here = `${window.location.pathname}${window.location.search}`;
  // A full page load, not a client navigation: nothing cached for the ended session may survive.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign(`${apiPath("/login")}?next=${encodeURIComponent(here)}`);
}

export async function fetchJson<T>(path: string, schema: z.ZodType<T>, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(apiPath(path), { ...init, headers: { accept: "application/json", ...init?.headers } });
  } catch {
    throw new ApiError("The console's server could not be reached; is it still running?", 0);
  }
  const body: unknown = await readJsonBody(response).catch(() => undefined);
  if (!response.ok) {
    const error = (body as ErrorBody | undefined)?.error;
    if (response.status === 401 && error?.reason === "signed-out") returnToSignIn();
    throw new ApiError(error?.message ?? `The console answered HTTP ${response.status}`, response.status, error?.upstream);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError(`The console answered ${path} with an unexpected shape`, response.status);
  return parsed.data;
}
