/**
 * The graph as files: Graphviz DOT and JSON, the same for the page's export menu and the API's
 * `format=` parameter.
 */
import { formatRate } from "./format";
import { nodeLabel } from "./elements";
import type { GraphResponse } from "./model";

export const GRAPH_EXPORT_FORMATS = ["json", "dot"] as const;
export type GraphExportFormat = (typeof GRAPH_EXPORT_FORMATS)[number];

/**
 * A DOT quoted string (https://graphviz.org/doc/info/lang.html): inside double quotes only `"`
 * needs escaping, but a backslash would start an escape sequence of Graphviz's own (`\n`, `\l`,
 * `\N`…), so it is doubled too; line breaks become `\n` so a label never ends the statement.
 */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, "\\n")}"`;
}

export function graphToDot(graph: GraphResponse): string {
  const lines = [`digraph ${dotString(`mesh ${graph.namespaces.join(",")}`)} {`, "  rankdir=LR;", `  label=${dotString(`${graph.graphType} graph at ${new Date(graph.timestamp * 1000).toISOString()}, window ${graph.durationSeconds}s`)};`];
  for (const node of graph.nodes) {
    lines.push(`  ${dotString(node.id)} [label=${dotString(nodeLabel(node))}, namespace=${dotString(node.namespace)}, kind=${dotString(node.kind)}, health=${dotString(node.health)}];`);
  }
  for (const edge of graph.edges) {
    const figure = edge.protocol === "tcp" ? `${Math.round(edge.tcpBytesPerSecond)} B/s` : formatRate(edge.rps);
    lines.push(`  ${dotString(edge.source)} -> ${dotString(edge.target)} [label=${dotString(figure)}, protocol=${dotString(edge.protocol)}, health=${dotString(edge.health)}];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** A file name for the export: what was drawn and when, in characters every file system takes. */
export function exportFileName(graph: Pick<GraphResponse, "namespaces" | "timestamp">, extension: string): string {
  const stamp = new Date(graph.timestamp * 1000).toISOString().replace(/[:.]/g, "-");
  const namespaces = graph.namespaces.join("_").replace(/[^a-z0-9_-]/gi, "").slice(0, 60);
  return `mesh-graph-${namespaces}-${stamp}.${extension}`;
}
