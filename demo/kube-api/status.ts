/**
 * Failures as the API server reports them: a `Status` object whose reason and code clients
 * branch on (client-go's `errors.IsConflict`, client-node's `ApiException.code`).
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#api-errors
 */
import { qualifiedResource, type ResourceType } from "./resources";

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** The reason Kubernetes attaches to each status code it produces. */
export const REASON_BY_CODE: Readonly<Record<number, string>> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  406: "NotAcceptable",
  409: "Conflict",
  410: "Expired",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = "ApiError";
  }

  toStatus(): StatusBody {
    const body: StatusBody = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) body.details = this.details;
    return body;
  }
}

function resourceDetails(type: ResourceType, name?: string): StatusDetails {
  const details: StatusDetails = { group: type.group, kind: type.plural };
  if (name !== undefined) details.name = name;
  return details;
}

export function notFound(type: ResourceType, name: string): ApiError {
  return new ApiError(404, "NotFound", `${qualifiedResource(type)} "${name}" not found`, resourceDetails(type, name));
}

export function alreadyExists(type: ResourceType, name: string): ApiError {
  return new ApiError(409, "AlreadyExists", `${qualifiedResource(type)} "${name}" already exists`, resourceDetails(type, name));
}

/** Optimistic concurrency failure: https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions */
export function conflict(type: ResourceType, name: string): ApiError {
  return new ApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    resourceDetails(type, name),
  );
}

export function invalid(type: ResourceType, name: string, causes: StatusCause[]): ApiError {
  const messages = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  // Kubernetes prints one cause bare and several as a bracketed list.
  const summary = messages.length === 1 ? messages[0] : `[${messages.join(", ")}]`;
  const kind = type.group ? `${type.kind}.${type.group}` : type.kind;
  return new ApiError(422, "Invalid", `${kind} "${name}" is invalid: ${summary}`, {
    ...resourceDetails(type, name),
    kind: type.kind,
    causes,
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, "BadRequest", message);
}

export function unauthorized(): ApiError {
  return new ApiError(401, "Unauthorized", "Unauthorized");
}

export function forbidden(user: string, verb: string, type: ResourceType, namespace: string | undefined, name: string | undefined): ApiError {
  const subject = name ? `${qualifiedResource(type)} "${name}"` : qualifiedResource(type);
  const scope = namespace ? `in the namespace "${namespace}"` : "at the cluster scope";
  return new ApiError(
    403,
    "Forbidden",
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${type.plural}" in API group "${type.group}" ${scope}`,
    resourceDetails(type, name),
  );
}

export function unsupportedMediaType(contentType: string): ApiError {
  // Server-side apply (application/apply-patch+yaml) is not emulated; kubectl's default client-side apply does not need it.
  return new ApiError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (built-in kinds); got ${contentType || "none"}`,
  );
}

export function methodNotAllowed(method: string, path: string): ApiError {
  return new ApiError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource (${method} ${path})`);
}

export function pathNotFound(): ApiError {
  return new ApiError(404, "NotFound", "the server could not find the requested resource");
}

/** A watch or continue token older than the kept history: the client must relist. */
export function expired(message: string): ApiError {
  return new ApiError(410, "Expired", message);
}

/** A failure of any code, as injected by fault tests. */
export function failureWithCode(code: number, type: ResourceType, name: string, message?: string): ApiError {
  if (code === 409) return conflict(type, name);
  if (code === 404) return notFound(type, name);
  const reason = REASON_BY_CODE[code] ?? "InternalError";
  return new ApiError(code, reason, message ?? `injected failure for ${qualifiedResource(type)} "${name}"`, resourceDetails(type, name));
}
