"use client";

/**
 * The Cytoscape drawing of the graph. One Cytoscape instance lives as long as the page: a refresh
 * updates the data of elements that stay, adds and removes only what changed, and places new nodes
 * next to their neighbours, so nothing the user is looking at moves. Only a graph with no drawn
 * node left (first load, another graph type) is laid out from scratch.
 */
import cytoscape from "cytoscape";
import dagre from "cytoscape-dagre";
import { useEffect, useRef } from "react";
import { elementChanges, type GraphElements } from "@/lib/graph/elements";
import { layeredPositions } from "@/lib/graph/quickLayout";
import { measureGraphFrame } from "@/lib/graph/renderTiming";
import { graphStylesheet } from "./graphStyle";
import styles from "./graph.module.css";

cytoscape.use(dagre);

/** Above this many nodes dagre takes seconds on the main thread; the linear layered layout is used instead. */
export const DAGRE_NODE_LIMIT = 300;

export interface MeshGraphTestHook {
  positions(): Record<string, { x: number; y: number }>;
  nodeIds(): string[];
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
}

const isBox = (node: cytoscape.NodeSingular) => node.data("kind") === "namespace";

function layOutEverything(cy: cytoscape.Core): void {
  const nodes = cy.nodes().filter((node) => !isBox(node));
  if (nodes.length <= DAGRE_NODE_LIMIT) {
    cy.layout({ name: "dagre", rankDir: "LR", nodeSep: 30, rankSep: 90, animate: false, fit: true, padding: 30 } as cytoscape.LayoutOptions).run();
    return;
  }
  const positions = layeredPositions(
    nodes.map((node) => ({ id: node.id(), parent: node.data("parent") as string | undefined })),
    cy.edges().map((edge) => ({ source: edge.source().id(), target: edge.target().id() })),
  );
  cy.nodes().forEach((node) => {
    const position = positions.get(node.id());
    if (position) node.position(position);
  });
  cy.fit(undefined, 30);
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

export function GraphCanvas({ elements, selectedId, foundIds, hiddenIds, onSelect, fitRequest }: GraphCanvasProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);
  const onSelectRef = useRef(onSelect);

  useEffect(() => {
    onSelectRef.current = onSelect;
  }, [onSelect]);

  useEffect(() => {
    const cy = cytoscape({ container: containerRef.current, style: graphStylesheet, elements: [], minZoom: 0.05, maxZoom: 4, boxSelectionEnabled: false });
    cy.on("tap", "node, edge", (event) => {
      const target = event.target as cytoscape.SingularElementArgument;
      if (target.isNode() && isBox(target)) return;
      onSelectRef.current(target.id());
    });
    cy.on("tap", (event) => {
      if (event.target === cy) onSelectRef.current(null);
    });
    cyRef.current = cy;
    window.__meshGraph = {
      positions: () => Object.fromEntries(cy.nodes().filter((node) => !isBox(node)).map((node: cytoscape.NodeSingular) => [node.id(), { ...node.position() }])),
      nodeIds: () => cy.nodes().filter((node) => !isBox(node)).map((node) => node.id()),
    };
    return () => {
      delete window.__meshGraph;
      cyRef.current = null;
      cy.destroy();
    };
  }, []);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const nodeChanges = elementChanges(cy.nodes().map((node) => node.id()), elements.nodes);
    const edgeChanges = elementChanges(cy.edges().map((edge) => edge.id()), elements.edges);
    let added = cy.collection();
    cy.batch(() => {
      for (const id of edgeChanges.removedIds) cy.getElementById(id).remove();
      for (const id of nodeChanges.removedIds) cy.getElementById(id).remove();
      for (const data of [...nodeChanges.updated, ...edgeChanges.updated]) {
        const element = cy.getElementById(data.id);
        if (dataChanged(element.data() as Record<string, unknown>, data as unknown as Record<string, unknown>)) element.data(data);
      }
      added = cy.add([...nodeChanges.added.map((data) => ({ group: "nodes" as const, data })), ...edgeChanges.added.map((data) => ({ group: "edges" as const, data }))]);
    });
    const addedNodes = added.nodes();
    if (addedNodes.length > 0) {
      const addedIds = new Set(addedNodes.map((node) => node.id()));
      const anyKept = cy.nodes().filter((node) => !isBox(node) && !addedIds.has(node.id())).length > 0;
      if (anyKept) placeNearNeighbours(cy, addedNodes);
      else layOutEverything(cy);
    }
    measureGraphFrame();
  }, [elements]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      syncClass(cy, "found", foundIds);
      syncClass(cy, "hidden", hiddenIds);
      syncClass(cy, "focused", new Set(selectedId ? [selectedId] : []));
    });
  }, [elements, foundIds, hiddenIds, selectedId]);

  useEffect(() => {
    if (fitRequest > 0) cyRef.current?.fit(undefined, 30);
  }, [fitRequest]);

  return (
    <div className={styles.canvasFrame}>
      <div ref={containerRef} className={styles.canvas} data-testid="graph-canvas" aria-hidden="true" />
    </div>
  );
}
