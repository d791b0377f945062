/**
 * Kubernetes API failures turned into something a person can act on. The API server answers
 * errors as `Status` objects (https://kubernetes.io/docs/reference/using-api/api-concepts/#response-status-kind);
 * we keep its reason and message and add which object the console was working on.
 */
import { ApiException } from "@kubernetes/client-node";
import { z } from "zod";

const statusSchema = z.object({
  kind: z.literal("Status"),
  message: z.string().optional(),
  reason: z.string().optional(),
  code: z.number().optional(),
  details: z
    .object({
      causes: z.array(z.object({ field: z.string().optional(), message: z.string().optional(), reason: z.string().optional() })).optional(),
    })
    .optional(),
});

export type KubeFailure = "timeout" | "unreachable" | "forbidden" | "unauthorized" | "not-found" | "conflict" | "invalid" | "already-exists" | "other";

export class KubeError extends Error {
  constructor(
    readonly failure: KubeFailure,
    message: string,
    readonly httpStatus: number,
    readonly causes: { field?: string; message?: string }[] = [],
  ) {
    super(message);
    this.name = "KubeError";
  }
}

const FAILURE_BY_STATUS: Record<number, KubeFailure> = {
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  409: "conflict",
  422: "invalid",
};

function parseStatusBody(body: unknown): z.infer<typeof statusSchema> | undefined {
  const candidate = typeof body === "string" ? safeJson(body) : body;
  const parsed = statusSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Wraps whatever client-node threw into a KubeError; `doing` says what the console attempted. */
export function toKubeError(error: unknown, doing: string, apiServer: string): KubeError {
  if (error instanceof KubeError) return error;
  if (error instanceof ApiException) {
    const status = parseStatusBody(error.body);
    const code = error.code;
    let failure = FAILURE_BY_STATUS[code] ?? "other";
    if (code === 409 && status?.reason === "AlreadyExists") failure = "already-exists";
    const message = status?.message ?? `HTTP ${code}`;
    // 403 means Kubernetes knows who is calling and RBAC says no: say so in the person's terms.
    // https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-whether-a-request-is-allowed-or-denied
    if (failure === "forbidden") return new KubeError(failure, `Your account may not ${doing}: Kubernetes RBAC refused it (${message})`, code);
    return new KubeError(failure, `Kubernetes API refused to ${doing}: ${message}`, code, status?.details?.causes ?? []);
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const text = error instanceof Error ? error.message : String(error);
  return new KubeError("unreachable", `Kubernetes API at ${apiServer} could not be reached to ${doing} (${code ?? text}); check the kubeconfig context or the in-cluster service account`, 502);
}
