"use client";

import Link from "next/link";
import { HEALTH_LABELS } from "@/lib/health";
import { formatBytesPerSecond, formatMilliseconds, formatPercent, formatRate } from "@/lib/graph/format";
import { BADGE_LETTERS } from "@/lib/graph/elements";
import type { ConfigBadge, GraphEdge, GraphNode } from "@/lib/graph/model";
import styles from "./graph.module.css";
import { NodeCharts } from "./NodeCharts";

const KIND_NAMES: Record<GraphNode["kind"], string> = {
  app: "App",
  versionedApp: "App version",
  workload: "Workload",
  service: "Service",
  external: "External host",
  unknown: "Unknown source (outside the mesh)",
  gateway: "Gateway",
};

/** The detail page of what a node stands for. */
function detailHref(node: GraphNode): string | null {
  const namespace = encodeURIComponent(node.namespace);
  switch (node.kind) {
    case "service":
      return `/services/${namespace}/${encodeURIComponent(node.name)}`;
    case "workload":
    case "gateway":
      return `/workloads/${namespace}/${encodeURIComponent(node.workload ?? node.name)}`;
    case "app":
    case "versionedApp":
      return `/apps/${namespace}/${encodeURIComponent(node.app ?? node.name)}`;
    default:
      return null;
  }
}

function Facts({ rows }: { rows: [string, string][] }) {
  return (
    <dl className={styles.facts}>
      {rows.map(([term, value]) => (
        <div key={term} style={{ display: "contents" }}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

const BADGE_NAMES: Record<ConfigBadge["badge"], string> = {
  virtualService: "VirtualService routing",
  httpRoute: "HTTPRoute routing",
  circuitBreaker: "Circuit breaker",
  faultInjection: "Fault injection",
  mirroring: "Mirroring",
  timeoutsRetries: "Timeouts or retries",
  missingSidecar: "Missing sidecar",
  findings: "Findings",
};

function objectHref(object: ConfigBadge["objects"][number]): string {
  return `/istio/${encodeURIComponent(object.namespace)}/${encodeURIComponent(object.kind)}/${encodeURIComponent(object.name)}`;
}

/** Each config badge with links to the objects behind it, reachable from the keyboard. */
function ConfigBadges({ node, detail }: { node: GraphNode; detail: string | null }) {
  if (!node.config || node.config.length === 0) return null;
  return (
    <section aria-label="Config badges">
      <h3 className={styles.chartTitle}>Config</h3>
      <ul className={styles.badgeList}>
        {node.config.map((badge) => (
          <li key={badge.badge}>
            <span className={styles.badge} aria-hidden="true">
              {BADGE_LETTERS[badge.badge]}
            </span>{" "}
            {BADGE_NAMES[badge.badge]}
            {badge.badge === "findings" ? ` (${badge.errors ?? 0} errors, ${badge.warnings ?? 0} warnings)` : ""}
            {badge.objects.length > 0 ? ": " : null}
            {badge.objects.map((object, index) => (
              <span key={`${object.kind}/${object.namespace}/${object.name}`}>
                {index > 0 ? ", " : ""}
                <Link href={objectHref(object)}>
                  {object.kind} {object.namespace}/{object.name}
                </Link>
              </span>
            ))}
            {badge.badge === "missingSidecar" && detail ? (
              <>
                {": "}
                <Link href={`${detail}#pods`}>pods</Link>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function NodePanel({ node, onCentre }: { node: GraphNode; onCentre?: () => void }) {
  const href = detailHref(node);
  const rows: [string, string][] = [
    ["Kind", KIND_NAMES[node.kind]],
    ["Namespace", node.namespace || "—"],
    ["Health", `${HEALTH_LABELS[node.health]}${node.isIdle ? " (idle)" : ""}`],
    ["Inbound", formatRate(node.inboundRps)],
    ["Outbound", formatRate(node.outboundRps)],
    ["Errors", formatPercent(node.errorRate * 100)],
  ];
  if (node.version) rows.push(["Version", node.version]);
  if (node.tcpInboundBytesPerSecond > 0 || node.tcpOutboundBytesPerSecond > 0) rows.push(["TCP in / out", `${formatBytesPerSecond(node.tcpInboundBytesPerSecond)} / ${formatBytesPerSecond(node.tcpOutboundBytesPerSecond)}`]);
  if (node.hasSidecar !== null) rows.push(["Sidecar", node.hasSidecar ? "Yes" : "Missing: no istio-proxy in its pods"]);
  return (
    <section className={styles.panel} aria-label="Selected node" data-testid="side-panel">
      <h2>
        {node.name}
        {node.version ? ` ${node.version}` : ""}
      </h2>
      <Facts rows={rows} />
      {href ? <Link href={href}>Open details</Link> : null}
      {node.kind === "service" && href ? (
        <>
          {" · "}
          <Link href={`${href}#traffic-management`}>Shift traffic or change routing</Link>
        </>
      ) : null}
      {onCentre ? (
        <>
          {" · "}
          <button type="button" className={styles.linkButton} onClick={onCentre}>
            Centre the graph on {node.name}
          </button>
        </>
      ) : null}
      <ConfigBadges node={node} detail={href} />
      <NodeCharts node={node} />
    </section>
  );
}

/** `responseTimeAsked`: whether the graph on screen was asked for response time (lib/graph/pageState.ts graphAppendersFor). */
export function EdgePanel({ edge, nodes, responseTimeAsked }: { edge: GraphEdge; nodes: ReadonlyMap<string, GraphNode>; responseTimeAsked: boolean }) {
  const name = (id: string) => nodes.get(id)?.name ?? id;
  const rows: [string, string][] = [
    ["Protocol", edge.protocol.toUpperCase()],
    ["Health", HEALTH_LABELS[edge.health]],
  ];
  if (edge.protocol === "tcp") rows.push(["Bytes", formatBytesPerSecond(edge.tcpBytesPerSecond)]);
  else {
    rows.push(["Requests", formatRate(edge.rps)], ["Errors", formatPercent(edge.errorRate * 100)]);
    for (const [responseClass, share] of Object.entries(edge.responseClasses)) if (share > 0) rows.push([responseClass, formatPercent(share * 100)]);
    if (edge.responseTime) {
      const quantiles = (["p50", "p95", "p99"] as const).filter((quantile) => edge.responseTime?.[quantile] !== null);
      if (quantiles.length > 0) rows.push([quantiles.join(" / "), quantiles.map((quantile) => formatMilliseconds(edge.responseTime?.[quantile] ?? null)).join(" / ")]);
    } else if (!responseTimeAsked) {
      // The page asks for latency only while it is shown; say where to find it rather than leave the row out.
      rows.push(["p95", "— (shown with the Response time edge labels)"]);
    }
    if (edge.throughputBytesPerSecond !== null) rows.push(["Throughput", formatBytesPerSecond(edge.throughputBytesPerSecond)]);
  }
  rows.push(["Share of caller", formatPercent(edge.percentOfSource)]);
  if (edge.configuredPercent !== null) rows.push(["Configured share", `${Math.round(edge.configuredPercent)} % (observed ${edge.percentOfSource.toFixed(1)} %)`]);
  rows.push(["Mutual TLS", edge.mtlsShare === null ? "Unknown" : formatPercent(edge.mtlsShare * 100)]);
  if (edge.deniedRps && edge.deniedRps > 0) rows.push(["Denied (403)", `${formatRate(edge.deniedRps)} answered 403 Forbidden, as an AuthorizationPolicy denial is (an app's own 403 looks the same)`]);
  if (edge.policyDenial) {
    const verb = edge.policyDenial.uncertain ? "May be denied" : "Would be denied";
    rows.push(["AuthorizationPolicy", `${verb} by ${edge.policyDenial.policies.join(", ") || "the policies in force"}: ${edge.policyDenial.reason}`]);
  }
  return (
    <section className={styles.panel} aria-label="Selected edge" data-testid="side-panel">
      <h2>
        {name(edge.source)} → {name(edge.target)}
      </h2>
      <Facts rows={rows} />
    </section>
  );
}
