"use client";

/**
 * The Cytoscape drawing of the graph. One Cytoscape instance lives as long as the page: a refresh
 * updates the data of elements that stay, adds and removes only what changed, and places new nodes
 * next to their neighbours, so nothing the user is looking at moves. Only a graph with no drawn
 * node left (first load, another graph type) is laid out from scratch.
 *
 * Every data change makes Cytoscape restyle and redraw the element, so a refresh hands over edge
 * labels (the only figures drawn) just for edges whose labels can be seen; the rest wait for the
 * zoom or pan that shows them. A large graph's node names wait the same way from the start: the
 * readable zoom shows a few hundred of its thousands of nodes. The side panel reads its figures
 * from the graph answer, not from here.
 */
import cytoscape from "cytoscape";
import { useEffect, useRef, useState, type RefObject } from "react";
import { bendToAspect, readableFit } from "@/lib/graph/fitView";
import type { GraphView as PictureView } from "@/lib/graph/viewExport";
import { elementChanges, type GraphElements } from "@/lib/graph/elements";
import { edgeLabelsDrawnAt, edgeLabelMayBeInView, labelMayBeInView, nodeLabelsDrawnAt } from "@/lib/graph/labelVisibility";
import { namespaceBoxGeometry, type BoxMember } from "@/lib/graph/namespaceBoxes";
import { layeredPositions } from "@/lib/graph/quickLayout";
import { estimatedNodeExtent, LARGE_GRAPH_NODES, unionExtent, type Extent } from "@/lib/graph/largeGraph";
import { NODE_LABEL_FONT_SIZE } from "@/lib/graph/fitView";
import { measureGraphFrame } from "@/lib/graph/renderTiming";
import type { GraphEdge } from "@/lib/graph/model";
import { graphStylesheet, type EdgeDrawing } from "./graphStyle";
import { TrafficAnimation } from "./TrafficAnimation";
import styles from "./graph.module.css";

export interface MeshGraphTestHook {
  positions(): Record<string, { x: number; y: number }>;
  nodeIds(): string[];
  /** The label Cytoscape has for an edge, or null for no such edge. */
  edgeLabel(id: string): string | null;
  /** Nodes (not namespace boxes) whose names Cytoscape has now, to draw when big enough and in view. */
  namedNodeIds(): string[];
  /** The part of the graph in view, in graph units. */
  viewExtent(): { x1: number; y1: number; x2: number; y2: number };
  zoom(): number;
  /** Node names' font size on screen, in CSS pixels: the style's font size times the zoom. */
  nodeLabelScreenPx(): number;
  /** Edges whose label Cytoscape draws now: non-empty, big enough at this zoom, and in view. */
  drawnEdgeLabelCount(): number;
}

/** What the page's export menu takes from the drawing. */
export interface GraphCanvasHandle {
  /** The view as drawn, for the SVG picture (lib/graph/viewExport.ts). */
  view(): Omit<PictureView, "title" | "legend">;
  /** The view as Cytoscape renders it, PNG. */
  png(): Promise<Blob>;
}

declare global {
  interface Window {
    /** Read-only view of the drawn graph, for browser tests. */
    __meshGraph?: MeshGraphTestHook;
  }
}

interface GraphCanvasProps {
  elements: GraphElements;
  selectedId: string | null;
  foundIds: ReadonlySet<string>;
  hiddenIds: ReadonlySet<string>;
  onSelect: (id: string | null) => void;
  /** Changes when the user asks to fit the graph to the view. */
  fitRequest: number;
  /** Nodes with a proxy out of sync with istiod (lib/api/proxyStatus.ts). */
  outOfSyncIds?: ReadonlySet<string>;
  handleRef?: RefObject<GraphCanvasHandle | null>;
  /** The graph's edges while traffic animation is on (TrafficAnimation.tsx), null while it is off. */
  animatedEdges?: readonly GraphEdge[] | null;
}

const NOTHING_HIDDEN: ReadonlySet<string> = new Set();

const isBox = (node: cytoscape.NodeSingular) => node.data("kind") === "namespace";

/** Node size and label placement as graphStyle.ts draws them, for estimated extents. */
const NODE_GEOMETRY = { size: 30, fontSize: NODE_LABEL_FONT_SIZE, labelGap: 4 };

/** Labels newer than the drawn ones (or not handed over yet), by element id, waiting until they can be seen. */
type WaitingLabels = Map<string, string>;

/**
 * A node's extent: measured by Cytoscape for ordinary graphs, estimated without measuring its label
 * for large ones (lib/graph/largeGraph.ts), where measuring every label costs seconds. The estimate
 * uses the node's name even while it waits to be handed over.
 */
function nodeExtent(node: cytoscape.NodeSingular, estimate: boolean, waiting: WaitingLabels): Extent {
  return estimate ? estimatedNodeExtent(node.position(), waiting.get(node.id()) ?? String(node.data("label") ?? ""), NODE_GEOMETRY) : node.boundingBox({ includeOverlays: false });
}

/** Sizes and places every namespace box around its drawn members; boxes with none are not drawn. */
function fitBoxesToMembers(cy: cytoscape.Core, waiting: WaitingLabels): void {
  const members: BoxMember[] = [];
  const estimate = cy.nodes().length >= LARGE_GRAPH_NODES;
  cy.nodes().forEach((node) => {
    const box = node.data("box") as string | undefined;
    if (!box || node.hasClass("hidden")) return;
    const extent = nodeExtent(node, estimate, waiting);
    members.push({ box, x1: extent.x1, y1: extent.y1, x2: extent.x2, y2: extent.y2 });
  });
  const geometry = namespaceBoxGeometry(members);
  cy.batch(() => {
    cy.nodes()
      .filter(isBox)
      .forEach((box) => {
        const place = geometry.get(box.id());
        if (!place) {
          box.style("display", "none");
          return;
        }
        box.style({ display: "element", width: place.width, height: place.height });
        box.position({ x: place.x, y: place.y });
      });
  });
}

const FIT_PADDING = 30;

/** Fits the drawn nodes into the canvas, never below the zoom at which names can be read (lib/graph/fitView.ts). */
function fitReadably(cy: cytoscape.Core, waiting: WaitingLabels): void {
  // Only boxes are hidden by style (fitBoxesToMembers); reading every node's style costs a second at 10,000 nodes.
  const drawn = cy.nodes().filter((node) => !node.hasClass("hidden") && (!isBox(node) || node.style("display") !== "none"));
  if (drawn.empty()) return;
  // Boxes are sized from their members, so the members' extents bound the drawing too.
  const extent = drawn.length >= LARGE_GRAPH_NODES ? unionExtent(drawn.nodes().filter((node) => !isBox(node)).map((node) => nodeExtent(node as cytoscape.NodeSingular, true, waiting))) : drawn.boundingBox({ includeOverlays: false });
  if (!extent) return;
  const viewport = readableFit(extent, { width: cy.width(), height: cy.height() }, FIT_PADDING);
  cy.viewport(viewport);
}

function layOutEverything(cy: cytoscape.Core, remembered: ReadonlyMap<string, cytoscape.Position>, waiting: WaitingLabels): void {
  const nodes = cy.nodes().filter((node) => !isBox(node));
  // Replay and refreshes bring back nodes that were drawn before: they return to where they were.
  if (remembered.size > 0 && nodes.map((node) => node.id()).every((id) => remembered.has(id))) {
    cy.batch(() => nodes.forEach((node: cytoscape.NodeSingular) => void node.position({ ...(remembered.get(node.id()) as cytoscape.Position) })));
    fitBoxesToMembers(cy, waiting);
    fitReadably(cy, waiting);
    return;
  }
  const layered = layeredPositions(
    nodes.map((node) => ({ id: node.id(), box: node.data("box") as string | undefined })),
    cy.edges().map((edge) => ({ source: edge.source().id(), target: edge.target().id() })),
  );
  const positions = bendToAspect(layered, { width: cy.width(), height: cy.height() });
  cy.batch(() => {
    nodes.forEach((node) => {
      const position = positions.get(node.id());
      if (position) node.position(position);
    });
  });
  fitBoxesToMembers(cy, waiting);
  fitReadably(cy, waiting);
}

/** Hands Cytoscape the waiting labels that the current zoom and view would show. */
function drawVisibleLabels(cy: cytoscape.Core, waiting: WaitingLabels): void {
  const zoom = cy.zoom();
  const edgeLabelsDrawn = edgeLabelsDrawnAt(zoom);
  if (waiting.size === 0 || !nodeLabelsDrawnAt(zoom)) return;
  const view = cy.extent();
  const due: [cytoscape.SingularElementArgument, string][] = [];
  for (const [id, label] of waiting) {
    const element = cy.getElementById(id);
    if (element.empty()) {
      waiting.delete(id);
      continue;
    }
    const inView = element.isNode()
      ? labelMayBeInView(view, element.position())
      : edgeLabelsDrawn && edgeLabelMayBeInView(view, (element as cytoscape.EdgeSingular).source().position(), (element as cytoscape.EdgeSingular).target().position());
    if (!inView) continue;
    due.push([element, label]);
    waiting.delete(id);
  }
  if (due.length > 0) cy.batch(() => due.forEach(([element, label]) => element.data("label", label)));
}

/** Hands Cytoscape every waiting node name, wherever the node is: for a graph that is no longer large. */
function handOverNodeLabels(cy: cytoscape.Core, waiting: WaitingLabels): void {
  const due: [cytoscape.CollectionReturnValue, string][] = [];
  for (const [id, label] of waiting) {
    const element = cy.getElementById(id);
    if (element.nonempty() && element.isNode()) due.push([element, label]);
  }
  if (due.length === 0) return;
  cy.batch(() => due.forEach(([node, label]) => node.data("label", label)));
  for (const [node] of due) waiting.delete(node.id());
}

/** A new node goes beside the drawn nodes it talks to: right of its callers, left of its destinations. */
function placeNearNeighbours(cy: cytoscape.Core, added: cytoscape.NodeCollection): void {
  const addedIds = new Set(added.map((node) => node.id()));
  const placed = cy.nodes().filter((node) => !isBox(node) && !addedIds.has(node.id()));
  const box = placed.boundingBox();
  let spare = 0;
  added.forEach((node, index) => {
    if (isBox(node)) return;
    const callers = node.incomers().nodes().filter((other) => !addedIds.has(other.id()));
    const callees = node.outgoers().nodes().filter((other) => !addedIds.has(other.id()));
    const anchors = callers.length > 0 ? callers : callees;
    if (anchors.length === 0) {
      node.position({ x: box.x1 + spare * 120, y: box.y2 + 80 });
      spare += 1;
      return;
    }
    let x = 0;
    let y = 0;
    anchors.forEach((anchor: cytoscape.NodeSingular) => {
      x += anchor.position("x") / anchors.length;
      y += anchor.position("y") / anchors.length;
    });
    node.position({ x: x + (callers.length > 0 ? 160 : -160), y: y + 50 * ((index % 5) - 2) });
  });
}

/**
 * Gives `className` to exactly the elements in `ids`, touching only those whose state changes:
 * restyling every element one by one costs seconds at thousands of elements.
 */
function syncClass(cy: cytoscape.Core, className: string, ids: ReadonlySet<string>): void {
  const stale = cy.elements(`.${className}`).filter((element) => !ids.has(element.id()));
  if (stale.nonempty()) stale.removeClass(className);
  // merge() grows this collection in place; union() would copy it once per element.
  const wanted = cy.collection();
  for (const id of ids) {
    const element = cy.getElementById(id);
    if (element.nonempty() && !element.hasClass(className)) wanted.merge(element);
  }
  if (wanted.nonempty()) wanted.addClass(className);
}

const edgeDrawingFor = (nodeCount: number): EdgeDrawing => (nodeCount >= LARGE_GRAPH_NODES ? "lines" : "routed");

/**
 * Switches between routed edges and plain lines as the graph crosses LARGE_GRAPH_NODES. Called
 * before elements are added, so new elements are styled once, with the stylesheet they keep.
 */
function switchEdgeDrawing(cy: cytoscape.Core, drawn: { current: EdgeDrawing }, nodeCount: number): void {
  const wanted = edgeDrawingFor(nodeCount);
  if (drawn.current === wanted) return;
  drawn.current = wanted;
  cy.style(graphStylesheet(wanted));
}

/**
 * Updates a drawn element's data. Its label comes along when anything else changed (the element is
 * restyled anyway, so the label costs nothing more); otherwise, when `labelMayWait`, it waits until
 * it can be seen.
 */
function updateDrawnData(element: cytoscape.CollectionReturnValue, data: { id: string; label: string }, waiting: WaitingLabels, labelMayWait: boolean): void {
  const drawn = element.data() as Record<string, unknown>;
  const { label, ...styled } = data;
  if (dataChanged(drawn, styled)) {
    element.data(data);
    waiting.delete(data.id);
  } else if (drawn.label === label) waiting.delete(data.id);
  else if (labelMayWait) waiting.set(data.id, label);
  else {
    element.data("label", label);
    waiting.delete(data.id);
  }
}

/** Whether an element's data would change; unchanged elements are left alone so Cytoscape does not restyle them. */
function dataChanged(current: Record<string, unknown>, next: Record<string, unknown>): boolean {
  for (const key of Object.keys(next)) {
    const a = current[key];
    const b = next[key];
    if (a === b) continue;
    if (typeof a === "object" && typeof b === "object" && a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b)) continue;
    return true;
  }
  return false;
}

export function GraphCanvas({ elements, selectedId, foundIds, hiddenIds, onSelect, fitRequest, outOfSyncIds = NOTHING_HIDDEN, handleRef, animatedEdges = null }: GraphCanvasProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);
  const onSelectRef = useRef(onSelect);
  const waitingLabelsRef = useRef<WaitingLabels>(new Map());
  const boxesStaleRef = useRef(false);
  /** The hidden ids the boxes were last fitted with. */
  const boxedHiddenIdsRef = useRef<ReadonlySet<string>>(NOTHING_HIDDEN);
  /** Where removed nodes were, so a node that comes back (next replay frame, next refresh) takes its place again. */
  const rememberedRef = useRef(new Map<string, cytoscape.Position>());
  const edgeDrawingRef = useRef<EdgeDrawing>(edgeDrawingFor(0));
  /** The drawing, once made, for the animation layer drawn over it. */
  const [drawing, setDrawing] = useState<cytoscape.Core | null>(null);

  useEffect(() => {
    onSelectRef.current = onSelect;
  }, [onSelect]);

  useEffect(() => {
    const cy = cytoscape({ container: containerRef.current, style: graphStylesheet(edgeDrawingFor(0)), elements: [], minZoom: 0.05, maxZoom: 4, boxSelectionEnabled: false });
    const waitingLabels = waitingLabelsRef.current;
    cy.on("tap", "node, edge", (event) => {
      const target = event.target as cytoscape.SingularElementArgument;
      if (target.isNode() && isBox(target)) return;
      onSelectRef.current(target.id());
    });
    cy.on("tap", (event) => {
      if (event.target === cy) onSelectRef.current(null);
    });
    cy.on("free", "node", () => fitBoxesToMembers(cy, waitingLabels));
    let labelFrame = 0;
    cy.on("viewport", () => {
      if (labelFrame !== 0 || waitingLabels.size === 0) return;
      labelFrame = requestAnimationFrame(() => {
        labelFrame = 0;
        drawVisibleLabels(cy, waitingLabels);
      });
    });
    cyRef.current = cy;
    setDrawing(cy);
    window.__meshGraph = {
      positions: () => Object.fromEntries(cy.nodes().filter((node) => !isBox(node)).map((node: cytoscape.NodeSingular) => [node.id(), { ...node.position() }])),
      nodeIds: () => cy.nodes().filter((node) => !isBox(node)).map((node) => node.id()),
      edgeLabel: (id) => {
        const edge = cy.getElementById(id);
        return edge.nonempty() && edge.isEdge() ? (edge.data("label") as string) : null;
      },
      namedNodeIds: () => cy.nodes().filter((node) => !isBox(node) && Boolean(node.data("label"))).map((node) => node.id()),
      viewExtent: () => {
        const { x1, y1, x2, y2 } = cy.extent();
        return { x1, y1, x2, y2 };
      },
      zoom: () => cy.zoom(),
      nodeLabelScreenPx: () => {
        const node = cy.nodes().filter((candidate) => !isBox(candidate)).first();
        return node.empty() ? 0 : parseFloat(String(node.style("font-size"))) * cy.zoom();
      },
      drawnEdgeLabelCount: () => {
        const view = cy.extent();
        return cy.edges().filter((edge) => {
          if (!edge.data("label") || edge.hasClass("hidden")) return false;
          const screenPx = parseFloat(String(edge.style("font-size"))) * cy.zoom();
          const minimum = parseFloat(String(edge.style("min-zoomed-font-size")));
          return screenPx >= minimum && edgeLabelMayBeInView(view, edge.source().position(), edge.target().position());
        }).length;
      },
    };
    return () => {
      cancelAnimationFrame(labelFrame);
      waitingLabels.clear();
      delete window.__meshGraph;
      cyRef.current = null;
      setDrawing(null);
      cy.destroy();
    };
  }, []);


  useEffect(() => {
    if (!handleRef) return;
    const waitingLabels = waitingLabelsRef.current;
    const drawing = () => {
      const cy = cyRef.current;
      if (!cy) throw new Error("The graph is not drawn yet");
      return cy;
    };
    handleRef.current = {
        view: () => {
          const cy = drawing();
          const drawn: cytoscape.NodeCollection = cy.nodes().filter((node) => !node.hasClass("hidden") && node.style("display") !== "none");
          return {
            width: cy.width(),
            height: cy.height(),
            zoom: cy.zoom(),
            pan: { ...cy.pan() },
            nodes: drawn
              .filter((node: cytoscape.NodeSingular) => !isBox(node))
              .map((node: cytoscape.NodeSingular) => ({ id: node.id(), label: waitingLabels.get(node.id()) ?? String(node.data("label") ?? ""), kind: node.data("kind"), health: node.data("health"), ...node.position() })),
            edges: cy
              .edges()
              .filter((edge) => !edge.hasClass("hidden"))
              .map((edge: cytoscape.EdgeSingular) => ({ source: edge.source().id(), target: edge.target().id(), label: waitingLabels.get(edge.id()) ?? String(edge.data("label") ?? ""), health: edge.data("health"), protocol: edge.data("protocol") })),
            boxes: drawn.filter(isBox).map((box: cytoscape.NodeSingular) => ({ label: String(box.data("label")), ...box.boundingBox({ includeLabels: false, includeOverlays: false }) })),
          };
        },
        png: () => drawing().png({ output: "blob-promise", full: false, bg: "#ffffff", scale: 1 }),
      };
    return () => {
      handleRef.current = null;
    };
  }, [handleRef]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const waitingLabels = waitingLabelsRef.current;
    const nodeChanges = elementChanges(cy.nodes().map((node) => node.id()), elements.nodes);
    const edgeChanges = elementChanges(cy.edges().map((edge) => edge.id()), elements.edges);
    let added = cy.collection();
    const remembered = rememberedRef.current;
    // Node names wait to be seen only in large graphs; ordinary graphs measure them to fit the view.
    const large = elements.nodes.length >= LARGE_GRAPH_NODES;
    const leftLarge = !large && edgeDrawingRef.current === "lines";
    switchEdgeDrawing(cy, edgeDrawingRef, elements.nodes.length);
    cy.batch(() => {
      for (const id of edgeChanges.removedIds) cy.getElementById(id).remove();
      for (const id of nodeChanges.removedIds) {
        const node = cy.getElementById(id);
        if (node.nonempty() && !isBox(node)) remembered.set(id, { ...node.position() });
        node.remove();
      }
      for (const data of nodeChanges.updated) updateDrawnData(cy.getElementById(data.id), data, waitingLabels, large);
      for (const data of edgeChanges.updated) updateDrawnData(cy.getElementById(data.id), data, waitingLabels, true);
      // New edges, and a large graph's new nodes, start without a label: measuring thousands of
      // labels too small to be drawn, or out of view, costs a good part of the first frame.
      const withheld = <T extends { id: string; label: string }>(data: T): T => {
        if (data.label !== "") waitingLabels.set(data.id, data.label);
        return { ...data, label: "" };
      };
      added = cy.add([
        ...nodeChanges.added.map((data) => ({ group: "nodes" as const, data: large && data.kind !== "namespace" ? withheld(data) : data })),
        ...edgeChanges.added.map((data) => ({ group: "edges" as const, data: withheld(data) })),
      ]);
    });
    for (const id of [...edgeChanges.removedIds, ...nodeChanges.removedIds]) waitingLabels.delete(id);
    const addedNodes = added.nodes();
    if (addedNodes.length > 0) {
      const addedIds = new Set(addedNodes.map((node) => node.id()));
      const anyKept = cy.nodes().filter((node) => !isBox(node) && !addedIds.has(node.id())).length > 0;
      if (anyKept) {
        const returning = addedNodes.filter((node) => remembered.has(node.id()));
        returning.forEach((node) => void node.position({ ...(remembered.get(node.id()) as cytoscape.Position) }));
        const fresh = addedNodes.filter((node) => !remembered.has(node.id()));
        if (fresh.nonempty()) placeNearNeighbours(cy, fresh);
        boxesStaleRef.current = true;
      } else {
        layOutEverything(cy, remembered, waitingLabels);
        boxesStaleRef.current = false;
        boxedHiddenIdsRef.current = NOTHING_HIDDEN;
      }
    } else if (nodeChanges.removedIds.length > 0) boxesStaleRef.current = true;
    if (leftLarge) handOverNodeLabels(cy, waitingLabels);
    drawVisibleLabels(cy, waitingLabels);
    measureGraphFrame();
  }, [elements]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      syncClass(cy, "found", foundIds);
      syncClass(cy, "hidden", hiddenIds);
      syncClass(cy, "focused", new Set(selectedId ? [selectedId] : []));
      syncClass(cy, "proxy-out-of-sync", outOfSyncIds);
    });
    const boxedHiddenIds = boxedHiddenIdsRef.current;
    const sameHidden = boxedHiddenIds === hiddenIds || (boxedHiddenIds.size === 0 && hiddenIds.size === 0);
    if (boxesStaleRef.current || !sameHidden) {
      fitBoxesToMembers(cy, waitingLabelsRef.current);
      boxesStaleRef.current = false;
    }
    boxedHiddenIdsRef.current = hiddenIds;
  }, [elements, foundIds, hiddenIds, selectedId, outOfSyncIds]);

  useEffect(() => {
    const cy = cyRef.current;
    if (fitRequest > 0 && cy) fitReadably(cy, waitingLabelsRef.current);
  }, [fitRequest]);

  return (
    <div className={styles.canvasFrame}>
      <div ref={containerRef} className={styles.canvas} data-testid="graph-canvas" aria-hidden="true" />
      {drawing && animatedEdges ? <TrafficAnimation cy={drawing} edges={animatedEdges} /> : null}
    </div>
  );
}
