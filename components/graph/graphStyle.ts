/**
 * How the graph looks. Health is told by colour and, for people who cannot tell the colours apart,
 * by the border style (degraded dashed, failing double) and the side panel's words; node kinds by shape.
 */
import type cytoscape from "cytoscape";
import { NODE_LABEL_FONT_SIZE } from "@/lib/graph/fitView";
import { EDGE_LABEL_FONT_SIZE, MIN_DRAWN_FONT_SIZE } from "@/lib/graph/labelVisibility";

export const HEALTH_COLOURS = { healthy: "#3e8635", degraded: "#c58c00", failing: "#c9190b", "no-traffic": "#8a8d90" } as const;

export const KIND_SHAPES = {
  app: "ellipse",
  versionedApp: "ellipse",
  workload: "round-rectangle",
  service: "triangle",
  external: "diamond",
  unknown: "hexagon",
  gateway: "round-pentagon",
} as const;

/**
 * How edges are drawn. "lines" is for large graphs (lib/graph/largeGraph.ts): Cytoscape's haystack
 * edges, straight from centre to centre with the arrow at the middle, skip the search for where
 * each line meets its nodes' outlines and the pairing of parallel edges, which a first frame of
 * thousands of edges otherwise pays for (bench/graph-render.bench.ts). The price: two edges between
 * the same nodes share one line, told apart by their arrows.
 */
export type EdgeDrawing = "routed" | "lines";

export function graphStylesheet(edgeDrawing: EdgeDrawing): cytoscape.StylesheetJson {
  const arrow = edgeDrawing === "lines" ? "mid-target-arrow" : "target-arrow";
  return [
    // Every property a rule sets costs Cytoscape work per element it styles, a search of the
    // element's edges included, even when the value is its default: so the rules for all nodes and
    // all edges set only what differs from Cytoscape's defaults (nodes 30 px wide and high, edges
    // as haystack lines of radius 0), and what only a name needs is set only on nodes that have one.
    {
      selector: "node",
      style: {
        "background-color": "#ffffff",
        "border-width": 3,
        "border-color": HEALTH_COLOURS["no-traffic"],
      },
    },
    // A large graph's nodes get their names once they can be seen (GraphCanvas.tsx); until then the
    // name's style is not needed.
    {
      selector: 'node[label != ""]',
      style: {
        label: "data(label)",
        "text-wrap": "wrap",
        "text-valign": "bottom",
        "text-margin-y": 4,
        // Sized with lib/graph/fitView.ts so that a fitted graph's names are at least 11 px on screen.
        "font-size": NODE_LABEL_FONT_SIZE,
        "min-zoomed-font-size": MIN_DRAWN_FONT_SIZE,
        color: "#1f1f1f",
      },
    },
    ...Object.entries(KIND_SHAPES).map(([kind, shape]) => ({ selector: `node[kind = "${kind}"]`, style: { shape } as cytoscape.Css.Node })),
    ...Object.entries(HEALTH_COLOURS).map(([health, colour]) => ({ selector: `node[health = "${health}"]`, style: { "border-color": colour } as cytoscape.Css.Node })),
    { selector: 'node[health = "degraded"]', style: { "border-style": "dashed" } },
    { selector: 'node[health = "failing"]', style: { "border-style": "double", "border-width": 5 } },
    { selector: 'node[sidecar = "no"]', style: { "background-color": "#fdf0e6" } },
    { selector: 'node[idle = "yes"]', style: { opacity: 0.6 } },
    {
      selector: 'node[kind = "namespace"]',
      style: {
        shape: "round-rectangle",
        "background-color": "#f5f7fa",
        "background-opacity": 0.6,
        "border-width": 1,
        "border-color": "#b8bbbe",
        "border-style": "solid",
        "text-valign": "top",
        "text-halign": "center",
        "font-size": 12,
        "font-weight": "bold",
        // Drawn first, under every edge and node, and transparent to the pointer so a press on it
        // pans the view; its size and place come from its members (see namespaceBoxes.ts).
        "z-compound-depth": "bottom",
        events: "no",
      },
    },
    {
      selector: "edge",
      style: {
        width: 2,
        // Lines are Cytoscape's default haystack edges.
        ...(edgeDrawing === "lines" ? {} : { "curve-style": "straight" }),
        [`${arrow}-shape`]: "triangle",
        "line-color": HEALTH_COLOURS["no-traffic"],
        [`${arrow}-color`]: HEALTH_COLOURS["no-traffic"],
      },
    },
    {
      // Only edges with a label get the label's style: styling costs Cytoscape per property and
      // element, and most edges of a large graph carry no label until they are zoomed into.
      selector: 'edge[label != ""]',
      style: {
        label: "data(label)",
        "font-size": EDGE_LABEL_FONT_SIZE,
        // Labels too small to read at this zoom are not drawn: with thousands of edges, drawing them
        // costs most of a refresh and shows nothing anyone can read. Zooming in brings them back.
        "min-zoomed-font-size": MIN_DRAWN_FONT_SIZE,
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.85,
        "text-background-padding": "1px",
        "text-rotation": "autorotate",
      },
    },
    ...(edgeDrawing === "lines" ? [] : [{ selector: 'edge[parallel = "yes"]', style: { "curve-style": "bezier" } as cytoscape.Css.Edge }]),
    ...Object.entries(HEALTH_COLOURS).map(([health, colour]) => ({ selector: `edge[health = "${health}"]`, style: { "line-color": colour, [`${arrow}-color`]: colour } as cytoscape.Css.Edge })),
    { selector: 'edge[protocol = "tcp"]', style: { "line-style": "dashed", "line-color": "#2b6cb0", [`${arrow}-color`]: "#2b6cb0" } as cytoscape.Css.Edge },
    { selector: 'edge[health = "failing"]', style: { width: 4 } },
    { selector: ".found", style: { "overlay-color": "#0066cc", "overlay-opacity": 0.25, "overlay-padding": 6 } },
    // A proxy of the node runs config other than istiod's latest (components/proxyStatus): an outline, as border and fill already speak for health and sidecars.
    { selector: ".proxy-out-of-sync", style: { "outline-width": 3, "outline-color": "#b35c00", "outline-style": "dotted", "outline-offset": 3 } as cytoscape.Css.Node },
    { selector: ".focused", style: { "underlay-color": "#0066cc", "underlay-opacity": 0.35, "underlay-padding": 8 } },
    { selector: ".hidden", style: { display: "none" } },
  ];
}
