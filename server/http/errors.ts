/**
 * The console's JSON error answers, in one leaf module every layer may import (the API route
 * wrapper, the access guard, the mutation checks, the read limits) without importing each other.
 * Known failures map to the status a client can act on; anything else is a logged 500.
 */
import { ZodError } from "zod";
import { ConfigError } from "@/server/config";
import { KubeError } from "@/server/kube/errors";
import { KubeConfigError } from "@/server/kube/kubeconfig";
import { ConfigWriteError } from "@/server/kube/writes";
import { PrometheusError } from "@/server/prometheus/errors";
import { redactUserInfo } from "./redaction";
import { RequestBodyUnreadableError, RequestTooLargeError } from "./requestBody";

export interface ApiErrorBody {
  error: { message: string; upstream?: "prometheus" | "kubernetes"; reason?: string; fields?: { field?: string; message?: string }[] };
}

export class BadRequestError extends Error {
  constructor(message: string, readonly status = 400) {
    super(message);
    this.name = "BadRequestError";
  }
}

/** Every error answer passes here: upstream messages may quote a URL with credentials in it. */
export function jsonError(status: number, body: ApiErrorBody["error"]): Response {
  const redacted: ApiErrorBody["error"] = {
    ...body,
    message: redactUserInfo(body.message),
    ...(body.fields ? { fields: body.fields.map((field) => ({ ...field, message: field.message === undefined ? undefined : redactUserInfo(field.message) })) } : {}),
  };
  return Response.json({ error: redacted } satisfies ApiErrorBody, { status, headers: { "cache-control": "no-store" } });
}

/** 429 with Retry-After in whole seconds, as HTTP defines it: https://www.rfc-editor.org/rfc/rfc9110#field.retry-after */
export function tooManyRequests(message: string, retryAfterSeconds: number, reason: string): Response {
  const response = jsonError(429, { message, reason });
  response.headers.set("retry-after", String(retryAfterSeconds));
  return response;
}

function describeZodError(error: ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join(".") : "input"}: ${issue.message}`).join("; ");
}

export function errorResponse(error: unknown): Response {
  if (error instanceof BadRequestError) return jsonError(error.status, { message: error.message });
  if (error instanceof ConfigWriteError) return jsonError(error.status, { message: error.message, reason: error.reason, fields: error.fields });
  if (error instanceof RequestTooLargeError) return jsonError(error.status, { message: error.message, reason: error.reason });
  if (error instanceof RequestBodyUnreadableError) return jsonError(error.status, { message: error.message });
  if (error instanceof ZodError) return jsonError(400, { message: describeZodError(error) });
  if (error instanceof PrometheusError) return jsonError(error.consoleStatus, { message: error.message, upstream: "prometheus", reason: error.failure });
  if (error instanceof KubeError) {
    const status = error.failure === "unreachable" ? 502 : error.httpStatus;
    return jsonError(status, { message: error.message, upstream: "kubernetes", reason: error.failure, fields: error.causes });
  }
  if (error instanceof KubeConfigError || error instanceof ConfigError) return jsonError(500, { message: error.message, reason: "configuration" });
  console.error("Unexpected error in an API route:", redactUserInfo(error instanceof Error ? (error.stack ?? error.message) : String(error)));
  return jsonError(500, { message: "The console hit an unexpected error; its log has the details." });
}
