/**
 * Prometheus answers for Bookinfo, written by hand in the shape the graph's queries produce:
 * instant-vector samples aggregated to Istio's edge labels, values as strings.
 */
import type { VectorSample } from "@/server/prometheus/responses";

export interface Workload {
  namespace: string;
  workload: string;
  app: string;
  version: string;
}

export const SAMPLE_TIME = 1_760_000_000;

export const gateway: Workload = { namespace: "istio-system", workload: "istio-ingressgateway", app: "istio-ingressgateway", version: "latest" };
export const productpage: Workload = { namespace: "bookinfo", workload: "productpage-v1", app: "productpage", version: "v1" };
export const details: Workload = { namespace: "bookinfo", workload: "details-v1", app: "details", version: "v1" };
export const reviewsV1: Workload = { namespace: "bookinfo", workload: "reviews-v1", app: "reviews", version: "v1" };
export const reviewsV2: Workload = { namespace: "bookinfo", workload: "reviews-v2", app: "reviews", version: "v2" };
export const reviewsV3: Workload = { namespace: "bookinfo", workload: "reviews-v3", app: "reviews", version: "v3" };
export const ratings: Workload = { namespace: "bookinfo", workload: "ratings-v1", app: "ratings", version: "v1" };
export const mongodb: Workload = { namespace: "bookinfo", workload: "mongodb-v1", app: "mongodb", version: "v1" };

function source(from: Workload | "unknown"): Record<string, string> {
  if (from === "unknown") {
    return { source_workload_namespace: "unknown", source_workload: "unknown", source_canonical_service: "unknown", source_canonical_revision: "latest" };
  }
  return { source_workload_namespace: from.namespace, source_workload: from.workload, source_canonical_service: from.app, source_canonical_revision: from.version };
}

function destination(to: Workload, service: string): Record<string, string> {
  return {
    destination_service: `${service}.${to.namespace}.svc.cluster.local`,
    destination_service_namespace: to.namespace,
    destination_service_name: service,
    destination_workload_namespace: to.namespace,
    destination_workload: to.workload,
    destination_canonical_service: to.app,
    destination_canonical_revision: to.version,
  };
}

const value = (rate: number): [number, string] => [SAMPLE_TIME, String(rate)];

export interface RequestSampleOptions {
  code?: string;
  flags?: string;
  protocol?: "http" | "grpc";
  grpcStatus?: string;
}

export function requestSample(from: Workload | "unknown", to: Workload, service: string, rate: number, options: RequestSampleOptions = {}): VectorSample {
  return {
    metric: {
      ...source(from),
      ...destination(to, service),
      request_protocol: options.protocol ?? "http",
      response_code: options.code ?? "200",
      grpc_response_status: options.grpcStatus ?? "",
      response_flags: options.flags ?? "-",
    },
    value: value(rate),
  };
}

/** A request to a ServiceEntry host: Istio knows no workload behind it. */
export function externalRequestSample(from: Workload, host: string, rate: number): VectorSample {
  return {
    metric: {
      ...source(from),
      destination_service: host,
      destination_service_namespace: "unknown",
      destination_service_name: host,
      destination_workload_namespace: "unknown",
      destination_workload: "unknown",
      destination_canonical_service: "unknown",
      destination_canonical_revision: "unknown",
      request_protocol: "http",
      response_code: "200",
      grpc_response_status: "",
      response_flags: "-",
    },
    value: value(rate),
  };
}

export function tcpSample(from: Workload, to: Workload, service: string, bytesPerSecond: number): VectorSample {
  return { metric: { ...source(from), ...destination(to, service), request_protocol: "tcp" }, value: value(bytesPerSecond) };
}

export function securitySample(from: Workload | "unknown", to: Workload, service: string, rate: number, policy: "mutual_tls" | "none", protocol: "http" | "tcp" = "http"): VectorSample {
  return { metric: { ...source(from), ...destination(to, service), request_protocol: protocol, connection_security_policy: policy }, value: value(rate) };
}

export function latencySample(from: Workload | "unknown", to: Workload, service: string, quantile: "0.5" | "0.95" | "0.99", milliseconds: number | "NaN"): VectorSample {
  return { metric: { ...source(from), ...destination(to, service), request_protocol: "http", quantile }, value: [SAMPLE_TIME, String(milliseconds)] };
}

/** Bookinfo at about 10 requests per second through the gateway, with reviews v3 failing 10 % of calls to ratings. */
export function bookinfoRequests(): VectorSample[] {
  return [
    requestSample(gateway, productpage, "productpage", 10),
    requestSample("unknown", productpage, "productpage", 0.5),
    requestSample(productpage, details, "details", 10),
    requestSample(productpage, reviewsV1, "reviews", 4),
    requestSample(productpage, reviewsV2, "reviews", 3),
    requestSample(productpage, reviewsV3, "reviews", 3),
    requestSample(reviewsV2, ratings, "ratings", 3),
    requestSample(reviewsV3, ratings, "ratings", 2.7),
    requestSample(reviewsV3, ratings, "ratings", 0.3, { code: "500" }),
    externalRequestSample(productpage, "api.books.example.com", 0.2),
  ];
}

export function bookinfoTcp(): VectorSample[] {
  return [tcpSample(ratings, mongodb, "mongodb", 1200)];
}
