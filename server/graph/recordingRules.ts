/**
 * Istio recommends recording rules for production Prometheus
 * (https://istio.io/latest/docs/ops/best-practices/observability/#workload-level-aggregation-via-recording-rules):
 * `workload:<metric>` = `sum without(instance, kubernetes_namespace, kubernetes_pod_name) (<metric>)`.
 * They keep every label the graph groups by and drop the per-pod ones, so the graph's queries read
 * far fewer series. When they are present we use them, metric by metric; otherwise the raw metrics.
 * Presence is checked with one query and remembered for a minute per Prometheus client.
 */
import type { PrometheusClient } from "@/server/prometheus/client";
import { selector } from "@/server/prometheus/promql";

export interface GraphMetricNames {
  requests: string;
  durationBucket: string;
  requestBytesSum: string;
  responseBytesSum: string;
  tcpSentBytes: string;
  tcpReceivedBytes: string;
}

export const RAW_METRICS: GraphMetricNames = {
  requests: "istio_requests_total",
  durationBucket: "istio_request_duration_milliseconds_bucket",
  requestBytesSum: "istio_request_bytes_sum",
  responseBytesSum: "istio_response_bytes_sum",
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
export function metricNamesFor(recorded: ReadonlySet<string>): GraphMetricNames {
  const pick = (raw: string) => (recorded.has(`${RECORDED_PREFIX}${raw}`) ? `${RECORDED_PREFIX}${raw}` : raw);
  return {
    requests: pick(RAW_METRICS.requests),
    durationBucket: pick(RAW_METRICS.durationBucket),
    requestBytesSum: pick(RAW_METRICS.requestBytesSum),
    responseBytesSum: pick(RAW_METRICS.responseBytesSum),
    tcpSentBytes: pick(RAW_METRICS.tcpSentBytes),
    tcpReceivedBytes: pick(RAW_METRICS.tcpReceivedBytes),
  };
}

export interface MetricChoice {
  metrics: GraphMetricNames;
  usedRecordingRules: boolean;
  /** Whether this call sent the detection query (false when the cached answer was used). */
  queried: boolean;
}

interface CachedDetection {
  recorded: Set<string>;
  at: number;
}

const detections = new WeakMap<PrometheusClient, Promise<CachedDetection>>();

export async function chooseGraphMetrics(client: PrometheusClient, now: () => number = Date.now): Promise<MetricChoice> {
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
