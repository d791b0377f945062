/**
 * The graph response as Cytoscape element data, and what changed between two responses. Ids are
 * the graph's own stable ids, so a refresh updates elements in place instead of redrawing them.
 */
import { formatBytesPerSecond, formatMilliseconds, formatPercent, formatRate } from "./format";
import { namespaceBoxId, type ConfigBadge, type GraphEdge, type GraphNode, type GraphResponse } from "./model";

export const EDGE_LABEL_MODES = ["none", "rps", "percent", "responseTime", "throughput"] as const;
export type EdgeLabelMode = (typeof EDGE_LABEL_MODES)[number];
export const EDGE_LABEL_MODE_NAMES: Record<EdgeLabelMode, string> = {
  none: "No edge labels",
  rps: "Request rate",
  percent: "Traffic share",
  responseTime: "Response time (p95)",
  throughput: "Throughput",
};

export interface NodeElementData {
  id: string;
  /** The namespace box drawn around the node (see namespaceBoxes.ts for why it is not `parent`). */
  box?: string;
  label: string;
  kind: GraphNode["kind"] | "namespace";
  health: GraphNode["health"] | "none";
  /** "no" when Kubernetes says the pods run without Istio's proxy. */
  sidecar: "yes" | "no" | "n/a";
  idle: "yes" | "no";
}

export interface EdgeElementData {
  id: string;
  source: string;
  target: string;
  label: string;
  health: GraphEdge["health"];
  protocol: GraphEdge["protocol"];
  /** "full" when all traffic used mutual TLS, "partial" when some did. */
  mtls: "full" | "partial" | "none";
  /**
   * "yes" when another edge joins the same two nodes (either way round): only such edges are drawn
   * as curves, bent apart. Cytoscape pairs up every curved edge with its siblings on each restyle,
   * which at thousands of edges costs more than the drawing itself.
   */
  parallel: "yes" | "no";
}

export interface GraphElements {
  nodes: NodeElementData[];
  edges: EdgeElementData[];
}

/** Nodes outside any namespace the mesh knows (unknown sources, external hosts) are not boxed. */
function boxOf(node: GraphNode): string | undefined {
  return node.namespace && node.kind !== "unknown" && node.kind !== "external" ? namespaceBoxId(node.namespace) : undefined;
}

export function nodeLabel(node: GraphNode): string {
  return node.kind === "versionedApp" && node.version ? `${node.name}\n${node.version}` : node.name;
}

/**
 * Config badges as letters under the node's name (VS, CB, FI…, and "!2E 1W" for findings), in
 * characters every font has; the legend spells them out and the side panel links each object.
 */
export const BADGE_LETTERS: Record<ConfigBadge["badge"], string> = {
  virtualService: "VS",
  httpRoute: "HR",
  circuitBreaker: "CB",
  faultInjection: "FI",
  mirroring: "MI",
  timeoutsRetries: "TO",
  missingSidecar: "NS",
  findings: "!",
};

export function badgeText(badges: readonly ConfigBadge[] | undefined): string {
  return (badges ?? [])
    .map((badge) => (badge.badge === "findings" ? `!${[badge.errors ? `${badge.errors}E` : "", badge.warnings ? `${badge.warnings}W` : ""].filter(Boolean).join(" ")}` : BADGE_LETTERS[badge.badge]))
    .join(" ");
}

/**
 * Words, not only a symbol, for AuthorizationPolicy effects: the current policies would deny the
 * edge's callers (with the security display), and requests answered 403 as a denial is.
 */
function policyDenialWords(edge: GraphEdge): string {
  if (!edge.policyDenial) return "";
  return edge.policyDenial.uncertain ? "may be denied" : "would be denied";
}

function deniedWords(edge: GraphEdge): string {
  return edge.deniedRps && edge.deniedRps > 0 ? `${formatRate(edge.deniedRps)} denied (403)` : "";
}

export function edgeLabel(edge: GraphEdge, mode: EdgeLabelMode): string {
  // Words, not a lock or stop sign: canvas text is drawn with the fonts the machine has, and many
  // have no emoji (a missing-character box instead).
  const lock = edge.mtlsShare !== null && edge.mtlsShare >= 0.999 ? "mTLS" : "";
  const parts = [lock, policyDenialWords(edge), edgeFigure(edge, mode), deniedWords(edge)].filter((part) => part !== "");
  return parts.join(" · ");
}

function edgeFigure(edge: GraphEdge, mode: EdgeLabelMode): string {
  switch (mode) {
    case "none":
      return "";
    case "rps":
      return edge.protocol === "tcp" ? formatBytesPerSecond(edge.tcpBytesPerSecond) : formatRate(edge.rps);
    case "percent":
      // Where a weighted route applies, the configured share beside the observed one shows a canary converging.
      return edge.configuredPercent === null ? formatPercent(edge.percentOfSource) : `configured ${Math.round(edge.configuredPercent)} % / observed ${edge.percentOfSource.toFixed(1)} %`;
    case "responseTime":
      return edge.protocol === "tcp" ? "" : formatMilliseconds(edge.responseTime?.p95 ?? null);
    case "throughput":
      return formatBytesPerSecond(edge.protocol === "tcp" ? edge.tcpBytesPerSecond : (edge.throughputBytesPerSecond ?? 0));
  }
}

export interface ElementOptions {
  /** Config badges under node names (the display menu's switch). */
  badges?: boolean;
}

export function graphElements(graph: GraphResponse, mode: EdgeLabelMode, options: ElementOptions = {}): GraphElements {
  const boxes = new Map<string, NodeElementData>();
  const nodes: NodeElementData[] = [];
  for (const node of graph.nodes) {
    const box = boxOf(node);
    if (box && !boxes.has(box)) boxes.set(box, { id: box, label: node.namespace, kind: "namespace", health: "none", sidecar: "n/a", idle: "no" });
    nodes.push({
      id: node.id,
      ...(box ? { box } : {}),
      label: options.badges && node.config ? `${nodeLabel(node)}\n${badgeText(node.config)}` : nodeLabel(node),
      kind: node.kind,
      health: node.health,
      sidecar: node.hasSidecar === null ? "n/a" : node.hasSidecar ? "yes" : "no",
      idle: node.isIdle ? "yes" : "no",
    });
  }
  const pairKey = (edge: GraphEdge) => (edge.source < edge.target ? `${edge.source}\n${edge.target}` : `${edge.target}\n${edge.source}`);
  const edgesPerPair = new Map<string, number>();
  for (const edge of graph.edges) edgesPerPair.set(pairKey(edge), (edgesPerPair.get(pairKey(edge)) ?? 0) + 1);
  const edges = graph.edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    label: edgeLabel(edge, mode),
    health: edge.health,
    protocol: edge.protocol,
    mtls: edge.mtlsShare === null || edge.mtlsShare === 0 ? ("none" as const) : edge.mtlsShare >= 0.999 ? ("full" as const) : ("partial" as const),
    parallel: (edgesPerPair.get(pairKey(edge)) ?? 0) > 1 ? ("yes" as const) : ("no" as const),
  }));
  return { nodes: [...boxes.values(), ...nodes], edges };
}

export interface ElementChanges<T> {
  added: T[];
  updated: T[];
  removedIds: string[];
}

/** Which elements a refresh adds, updates and removes, given the ids already drawn. */
export function elementChanges<T extends { id: string }>(drawnIds: Iterable<string>, next: readonly T[]): ElementChanges<T> {
  const drawn = new Set(drawnIds);
  const nextIds = new Set(next.map((element) => element.id));
  return {
    added: next.filter((element) => !drawn.has(element.id)),
    updated: next.filter((element) => drawn.has(element.id)),
    removedIds: [...drawn].filter((id) => !nextIds.has(id)),
  };
}
