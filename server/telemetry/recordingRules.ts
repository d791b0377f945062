/**
 * Istio recommends recording rules for production Prometheus
 * (https://istio.io/latest/docs/ops/best-practices/observability/#workload-level-aggregation-via-recording-rules):
 * `workload:<metric>` = `sum without(instance, kubernetes_namespace, kubernetes_pod_name) (<metric>)`.
 * They keep every label the console groups by (namespaces, workloads, versions, response labels)
 * and drop the per-pod ones, so queries read far fewer series. Every reader (graph, lists, charts,
 * callers and callees, canary verdict) reads the recorded metric when present, metric by metric;
 * otherwise the raw one. Presence is checked with one query and remembered for a minute per
 * Prometheus client: the shared one (`sharedMetricNames`), since the check reads metric names only,
 * the same for everyone, and pins no namespace (a person's checked client would refuse it).
 */
import type { PrometheusClient } from "@/server/prometheus/client";
import { selector } from "@/server/prometheus/promql";

export interface TelemetryMetricNames {
  requests: string;
  durationBucket: string;
  requestBytesSum: string;
  requestBytesCount: string;
  responseBytesSum: string;
  responseBytesCount: string;
  tcpSentBytes: string;
  tcpReceivedBytes: string;
}

export const RAW_METRICS: TelemetryMetricNames = {
  requests: "istio_requests_total",
  durationBucket: "istio_request_duration_milliseconds_bucket",
  requestBytesSum: "istio_request_bytes_sum",
  requestBytesCount: "istio_request_bytes_count",
  responseBytesSum: "istio_response_bytes_sum",
  responseBytesCount: "istio_response_bytes_count",
  tcpSentBytes: "istio_tcp_sent_bytes_total",
  tcpReceivedBytes: "istio_tcp_received_bytes_total",
};

const RECORDED_PREFIX = "workload:";
export const RECORDING_RULES_TTL_MS = 60_000;

/** The one cheap query: which recorded metric names have at least one current series. */
export function recordingRulesQuery(): string {
  const names = Object.values(RAW_METRICS).map((name) => `${RECORDED_PREFIX}${name}`);
  return `group by (__name__) (${selector([{ label: "__name__", oneOf: names }])})`;
}

/** The metric to read for each concern, given the recorded names Prometheus has. */
export function metricNamesFor(recorded: ReadonlySet<string>): TelemetryMetricNames {
  const pick = (raw: string) => (recorded.has(`${RECORDED_PREFIX}${raw}`) ? `${RECORDED_PREFIX}${raw}` : raw);
  const names = { ...RAW_METRICS };
  for (const concern of Object.keys(names) as (keyof TelemetryMetricNames)[]) names[concern] = pick(RAW_METRICS[concern]);
  return names;
}

export interface MetricChoice {
  metrics: TelemetryMetricNames;
  usedRecordingRules: boolean;
  /** Whether this call sent the detection query (false when the cached answer was used). */
  queried: boolean;
}

interface CachedDetection {
  recorded: Set<string>;
  at: number;
}

const detections = new WeakMap<PrometheusClient, Promise<CachedDetection>>();

export async function chooseMetrics(client: PrometheusClient, now: () => number = Date.now): Promise<MetricChoice> {
  const cached = detections.get(client);
  if (cached) {
    const detection = await cached.catch(() => undefined);
    if (detection && now() - detection.at < RECORDING_RULES_TTL_MS) return choice(detection.recorded, false);
  }
  const pending = client.instant(recordingRulesQuery()).then((samples) => ({ recorded: new Set(samples.map((sample) => sample.metric.__name__ ?? "")), at: now() }));
  detections.set(client, pending);
  // A failed detection is not remembered, so the next refresh asks again.
  pending.catch(() => {
    if (detections.get(client) === pending) detections.delete(client);
  });
  return choice((await pending).recorded, true);
}

function choice(recorded: ReadonlySet<string>, queried: boolean): MetricChoice {
  const metrics = metricNamesFor(recorded);
  return { metrics, usedRecordingRules: metrics.requests !== RAW_METRICS.requests, queried };
}

/**
 * The metric names to read, detected on the console's shared Prometheus client. Readers that
 * send their figures through a person's checked client take the names from here.
 */
export async function sharedMetricNames(): Promise<TelemetryMetricNames> {
  // Imported when needed, so modules that build queries stay free of the configuration.
  const { prometheus } = await import("@/server/prometheus");
  return (await chooseMetrics(prometheus())).metrics;
}
