/**
 * The browser's calls that change Istio config. Every call carries the same-origin header the
 * server requires and sends JSON; refusals keep the server's reason and field-level causes so the
 * editor can mark the lines they are about.
 */
import { z } from "zod";
import { apiPath } from "@/lib/apiClient";

export const SAME_ORIGIN_HEADERS = { "x-mesh-console": "1" } as const;

const fieldSchema = z.object({ field: z.string().optional(), message: z.string().optional() });
const errorBodySchema = z.object({ error: z.object({ message: z.string(), reason: z.string().optional(), fields: z.array(fieldSchema).optional() }) });
export const writeResultSchema = z.object({ object: z.looseObject({ metadata: z.looseObject({ resourceVersion: z.string().optional(), name: z.string().optional() }) }), dryRun: z.boolean() });
export type WriteResult = z.infer<typeof writeResultSchema>;

export class ConfigChangeError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: string | undefined,
    readonly fields: z.infer<typeof fieldSchema>[],
  ) {
    super(message);
    this.name = "ConfigChangeError";
  }

  /** The stored object moved on since it was read: the person must reload before saving. */
  get isConflict(): boolean {
    return this.status === 409 && this.reason === "conflict";
  }
}

async function send<T>(method: "PUT" | "POST" | "DELETE", path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(apiPath(path), {
      method,
      headers: { accept: "application/json", ...SAME_ORIGIN_HEADERS, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ConfigChangeError("The console's server could not be reached; nothing was changed", 0, undefined, []);
  }
  const answer: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = errorBodySchema.safeParse(answer);
    if (parsed.success) throw new ConfigChangeError(parsed.data.error.message, response.status, parsed.data.error.reason, parsed.data.error.fields ?? []);
    throw new ConfigChangeError(`The console answered HTTP ${response.status}`, response.status, undefined, []);
  }
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw new ConfigChangeError("The console answered with an unexpected shape", response.status, undefined, []);
  return parsed.data;
}

function objectPath(namespace: string, kind: string, name?: string): string {
  const base = `/api/istio-config/${encodeURIComponent(namespace)}/${encodeURIComponent(kind)}`;
  return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
}

export function replaceObject(ref: { namespace: string; kind: string; name: string }, yaml: string, resourceVersion: string, dryRun: boolean): Promise<WriteResult> {
  return send("PUT", `${objectPath(ref.namespace, ref.kind, ref.name)}${dryRun ? "?dryRun=true" : ""}`, { yaml, resourceVersion }, writeResultSchema);
}

export function createObject(target: { namespace: string; kind: string }, yaml: string, dryRun: boolean): Promise<WriteResult> {
  return send("POST", `${objectPath(target.namespace, target.kind)}${dryRun ? "?dryRun=true" : ""}`, { yaml }, writeResultSchema);
}

export function deleteObject(ref: { namespace: string; kind: string; name: string }, resourceVersion: string): Promise<unknown> {
  return send("DELETE", `${objectPath(ref.namespace, ref.kind, ref.name)}?resourceVersion=${encodeURIComponent(resourceVersion)}`, undefined, z.unknown());
}
