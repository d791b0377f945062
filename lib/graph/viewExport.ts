/**
 * The graph as the person sees it, as a picture: the part of the drawing in view, with the time it
 * shows and the legend, so a picture pasted into an incident report still says what it is. SVG is
 * built here from the drawn positions (pure, so it is tested); PNG is the same view drawn by the page.
 */
import { HEALTH_LABELS } from "@/lib/health";
import { BADGE_LETTERS } from "./elements";
import type { GraphNode } from "./model";

export interface ViewNode {
  id: string;
  label: string;
  kind: GraphNode["kind"];
  health: GraphNode["health"];
  x: number;
  y: number;
}

export interface ViewEdge {
  source: string;
  target: string;
  label: string;
  health: GraphNode["health"];
  protocol: string;
}

export interface ViewBox {
  label: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface GraphView {
  width: number;
  height: number;
  zoom: number;
  pan: { x: number; y: number };
  nodes: ViewNode[];
  edges: ViewEdge[];
  boxes: ViewBox[];
  /** What the picture shows, e.g. "bookinfo · versioned app graph · 2026-01-01 10:00:00 UTC, last 5m". */
  title: string;
  legend: string[];
}

/** Text for SVG/XML content and attribute values. */
export function xmlText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

const COLOURS: Record<GraphNode["health"], string> = { healthy: "#3e8635", degraded: "#c58c00", failing: "#c9190b", "no-traffic": "#8a8d90" };
const TITLE_HEIGHT = 28;
const LEGEND_LINE = 16;

/** The legend's lines for a picture: health by colour and border, shapes, and the badges' letters. */
export function exportLegend(): string[] {
  return [
    `Health: ${Object.entries(HEALTH_LABELS).map(([health, label]) => `${label} (${COLOURS[health as GraphNode["health"]]})`).join(", ")}`,
    "Shapes: circle app, rounded square workload, triangle service, diamond external host, hexagon unknown source, pentagon gateway; dashed edge TCP",
    `Badges: ${Object.entries(BADGE_LETTERS).map(([badge, letters]) => `${letters} ${badge}`).join(", ")}`,
  ];
}

export function viewToSvg(view: GraphView): string {
  const legendHeight = view.legend.length * LEGEND_LINE + 12;
  const total = TITLE_HEIGHT + view.height + legendHeight;
  const at = (x: number, y: number) => ({ x: x * view.zoom + view.pan.x, y: y * view.zoom + view.pan.y + TITLE_HEIGHT });
  const byId = new Map(view.nodes.map((node) => [node.id, node]));
  const font = 'font-family="sans-serif"';
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${view.width}" height="${total}" viewBox="0 0 ${view.width} ${total}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="8" y="19" ${font} font-size="14" font-weight="bold">${xmlText(view.title)}</text>`,
    `<svg x="0" y="${TITLE_HEIGHT}" width="${view.width}" height="${view.height}" overflow="hidden"><g transform="translate(0 ${-TITLE_HEIGHT})">`,
  ];
  for (const box of view.boxes) {
    const a = at(box.x1, box.y1);
    const b = at(box.x2, box.y2);
    parts.push(`<rect x="${a.x}" y="${a.y}" width="${b.x - a.x}" height="${b.y - a.y}" rx="6" fill="#f5f7fa" stroke="#b8bbbe"/>`, `<text x="${(a.x + b.x) / 2}" y="${a.y - 4}" ${font} font-size="${12 * view.zoom}" text-anchor="middle" font-weight="bold">${xmlText(box.label)}</text>`);
  }
  for (const edge of view.edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source || !target) continue;
    const a = at(source.x, source.y);
    const b = at(target.x, target.y);
    const dash = edge.protocol === "tcp" ? ' stroke-dasharray="6 4"' : "";
    parts.push(`<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" stroke="${COLOURS[edge.health]}" stroke-width="${2 * view.zoom}"${dash}/>`);
    if (edge.label) parts.push(`<text x="${(a.x + b.x) / 2}" y="${(a.y + b.y) / 2 - 3}" ${font} font-size="${10 * view.zoom}" text-anchor="middle">${xmlText(edge.label)}</text>`);
  }
  for (const node of view.nodes) {
    const p = at(node.x, node.y);
    parts.push(`<circle cx="${p.x}" cy="${p.y}" r="${15 * view.zoom}" fill="#ffffff" stroke="${COLOURS[node.health]}" stroke-width="${3 * view.zoom}"/>`);
    node.label.split("\n").forEach((line, index) => {
      parts.push(`<text x="${p.x}" y="${p.y + (32 + index * 16) * view.zoom}" ${font} font-size="${14 * view.zoom}" text-anchor="middle">${xmlText(line)}</text>`);
    });
  }
  parts.push("</g></svg>");
  view.legend.forEach((line, index) => parts.push(`<text x="8" y="${TITLE_HEIGHT + view.height + 18 + index * LEGEND_LINE}" ${font} font-size="12">${xmlText(line)}</text>`));
  parts.push("</svg>");
  return parts.join("\n");
}
