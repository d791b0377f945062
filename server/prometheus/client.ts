/**
 * A Prometheus HTTP API client that uses only the standard endpoints (/api/v1/query and
 * /api/v1/query_range, sent as POST forms so long queries fit), so Thanos, Mimir and
 * VictoriaMetrics work unchanged. It carries what production setups need to reach Prometheus:
 * a bearer token file (re-read so rotated tokens are picked up), basic auth, a custom CA or
 * skip-verify, and extra headers such as a tenant ID.
 */
import { readFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import type { PrometheusSettings } from "@/server/config/schema";
import { observeUpstream } from "@/server/metrics";
import { PrometheusError } from "./errors";
import { apiEnvelopeSchema, parseQueryData, type MatrixSeries, type QueryData, type VectorSample } from "./responses";

const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const CREDENTIAL_REREAD_MS = 30_000;

export interface RangeOptions {
  start: number;
  end: number;
  stepSeconds: number;
}

export interface PrometheusClient {
  readonly baseUrl: string;
  instant(query: string, timeSeconds?: number): Promise<VectorSample[]>;
  range(query: string, options: RangeOptions): Promise<MatrixSeries[]>;
  /** Raw answer of an instant query, for callers that expect scalars. */
  queryData(query: string, timeSeconds?: number): Promise<QueryData>;
}

interface Credentials {
  authorization?: string;
  readAt: number;
}

export function createPrometheusClient(settings: PrometheusSettings): PrometheusClient {
  const base = new URL(settings.url.endsWith("/") ? settings.url : `${settings.url}/`);
  const isHttps = base.protocol === "https:";
  let agentPromise: Promise<http.Agent> | undefined;
  let credentials: Credentials | undefined;

  async function agent(): Promise<http.Agent> {
    agentPromise ??= (async () => {
      if (!isHttps) return new http.Agent({ keepAlive: true, maxSockets: 16 });
      const ca = settings.caFile ? await readFile(settings.caFile, "utf8") : undefined;
      return new https.Agent({ keepAlive: true, maxSockets: 16, ca, rejectUnauthorized: !settings.insecureSkipVerify });
    })();
    return agentPromise;
  }

  async function authorization(): Promise<string | undefined> {
    if (credentials && Date.now() - credentials.readAt < CREDENTIAL_REREAD_MS) return credentials.authorization;
    let value: string | undefined;
    if (settings.bearerTokenFile) {
      value = `Bearer ${(await readFile(settings.bearerTokenFile, "utf8")).trim()}`;
    } else if (settings.basicAuth) {
      const password = (await readFile(settings.basicAuth.passwordFile, "utf8")).trim();
      value = `Basic ${Buffer.from(`${settings.basicAuth.username}:${password}`).toString("base64")}`;
    }
    credentials = { authorization: value, readAt: Date.now() };
    return value;
  }

  async function post(path: string, form: Record<string, string>): Promise<QueryData> {
    const url = new URL(path, base);
    const body = new URLSearchParams(form).toString();
    const headers: Record<string, string> = {
      ...settings.headers,
      "content-type": "application/x-www-form-urlencoded",
      "content-length": String(Buffer.byteLength(body)),
      accept: "application/json",
    };
    const auth = await authorization();
    if (auth) headers.authorization = auth;
    const requestAgent = await agent();

    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = (isHttps ? https : http).request(url, { method: "POST", headers, agent: requestAgent, timeout: settings.timeoutMs }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            request.destroy(new PrometheusError("invalid-response", `Prometheus at ${settings.url} sent more than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB for one query; narrow the namespaces or the window`));
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      });
      request.on("timeout", () => {
        request.destroy(new PrometheusError("timeout", `Prometheus at ${settings.url} did not answer within ${settings.timeoutMs / 1000} s`));
      });
      request.on("error", (error: NodeJS.ErrnoException) => {
        if (error instanceof PrometheusError) reject(error);
        else reject(new PrometheusError("unreachable", `Prometheus at ${settings.url} could not be reached (${error.code ?? error.message}); check PROMETHEUS_URL and that Prometheus is running`));
      });
      request.end(body);
    });

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new PrometheusError("http", `Prometheus at ${settings.url} answered HTTP ${status} with a body that is not JSON; is PROMETHEUS_URL pointing at the Prometheus API?`, status);
    }
    const envelope = apiEnvelopeSchema.safeParse(json);
    if (!envelope.success) {
      throw new PrometheusError("invalid-response", `Prometheus at ${settings.url} answered HTTP ${status} with a body that is not a Prometheus API response`, status);
    }
    if (envelope.data.status === "error") {
      const failure = envelope.data.errorType === "timeout" ? "timeout" : status === 400 || status === 422 ? "query" : "http";
      throw new PrometheusError(failure, `Prometheus at ${settings.url} rejected the query (${envelope.data.errorType}): ${envelope.data.error}`, status);
    }
    const data = parseQueryData(envelope.data.data);
    if (!data) {
      throw new PrometheusError("invalid-response", `Prometheus at ${settings.url} answered with data of an unexpected shape`, status);
    }
    return data;
  }

  function timed(operation: string, call: () => Promise<QueryData>): Promise<QueryData> {
    return observeUpstream("prometheus", operation, call, (error) => (error instanceof PrometheusError ? error.failure : "unknown"));
  }

  return {
    baseUrl: settings.url,
    async queryData(query, timeSeconds) {
      const form: Record<string, string> = { query };
      if (timeSeconds !== undefined) form.time = String(timeSeconds);
      return timed("query", () => post("api/v1/query", form));
    },
    async instant(query, timeSeconds) {
      const data = await this.queryData(query, timeSeconds);
      if (data.resultType !== "vector") throw new PrometheusError("invalid-response", `Prometheus answered a ${data.resultType} where a vector was expected for: ${query}`);
      return data.result;
    },
    async range(query, { start, end, stepSeconds }) {
      const data = await timed("query_range", () => post("api/v1/query_range", { query, start: String(start), end: String(end), step: String(stepSeconds) }));
      if (data.resultType !== "matrix") throw new PrometheusError("invalid-response", `Prometheus answered a ${data.resultType} where a matrix was expected for: ${query}`);
      return data.result;
    },
  };
}
