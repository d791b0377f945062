/**
 * Reading request bodies and writing JSON responses the way the API server frames them.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import { ApiError, badRequest } from "./status";

/** The API server refuses bodies above 3 MiB (etcd's request limit is about that size). */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString("utf8");
}

/** The body as bytes, for media types that are not text (Kubernetes protobuf). */
export async function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, "RequestEntityTooLarge", `the request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses a create/update body: JSON, or YAML as the API server also accepts. */
export function parseObjectBody(text: string, contentType: string | undefined): unknown {
  if (!text.trim()) throw badRequest("the request body is empty; expected a JSON object");
  const mediaType = (contentType ?? "application/json").split(";")[0]?.trim().toLowerCase();
  if (mediaType === "application/yaml") {
    try {
      return parseYaml(text);
    } catch (error) {
      throw badRequest(`the request body is not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (mediaType && mediaType !== "application/json" && mediaType !== "*/*") {
    throw new ApiError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml; got ${mediaType}`);
  }
  return parseJson(text);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(`the request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown, warnings: readonly string[] = []): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    "Content-Type": "application/json",
    "Content-Length": String(Buffer.byteLength(text)),
    "Cache-Control": "no-cache, private",
  };
  // RFC 7234 warning headers, as the API server sends them: https://kubernetes.io/blog/2020/09/03/warnings/
  if (warnings.length > 0) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(text);
}

export function sendError(res: ServerResponse, error: ApiError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, error.code, error.toStatus());
}
