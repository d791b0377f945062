"use client";

/**
 * Traffic animation over the Cytoscape graph: a canvas of its own, stacked on the graph's, on which
 * dots travel along the edges in view (lib/graph/trafficAnimation.ts decides how many and which
 * colour). The graph's renderer never redraws for a dot, and which edges are in view is worked out
 * again only after the view or the drawing changed (at most every PLAN_EVERY_MS), so a refresh of
 * 1,000 nodes costs what it costs without animation; the per-frame work is the capped dots alone.
 */
import type cytoscape from "cytoscape";
import { useEffect, useRef, useSyncExternalStore } from "react";
import type { GraphEdge } from "@/lib/graph/model";
import { animationPlan, dotsAt, edgeMayBeInView, MAX_DOTS, type AnimatedEdge, type EdgeDots } from "@/lib/graph/trafficAnimation";
import { HEALTH_COLOURS } from "./graphStyle";
import styles from "./graph.module.css";

const PLAN_EVERY_MS = 250;
const DOT_RADIUS_PX = 2.5;
const OK_DOT_COLOUR = "#0066cc";
const FAILED_DOT_COLOUR = HEALTH_COLOURS.failing;

const REDUCED_MOTION = "(prefers-reduced-motion: reduce)";

/** Whether the person's system asks for less motion (followed live, as the setting can change). */
export function usePrefersReducedMotion(): boolean {
  return useSyncExternalStore(
    (notify) => {
      const query = window.matchMedia(REDUCED_MOTION);
      query.addEventListener("change", notify);
      return () => query.removeEventListener("change", notify);
    },
    () => window.matchMedia(REDUCED_MOTION).matches,
    () => false,
  );
}

/** An edge's traffic as the animation reads it: requests per second, or TCP kilobytes per second. */
export function animatedEdge(edge: GraphEdge): AnimatedEdge {
  const rate = edge.protocol === "tcp" ? edge.tcpBytesPerSecond / 1024 : edge.rps;
  return { id: edge.id, rate, errorShare: edge.errorRate };
}

interface PlannedEdge {
  dots: EdgeDots;
  from: cytoscape.Position;
  to: cytoscape.Position;
}

export function TrafficAnimation({ cy, edges }: { cy: cytoscape.Core; edges: readonly GraphEdge[] }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const trafficRef = useRef(new Map<string, AnimatedEdge>());
  const staleRef = useRef(true);

  useEffect(() => {
    trafficRef.current = new Map(edges.map((edge) => [edge.id, animatedEdge(edge)]));
    staleRef.current = true;
  }, [edges]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext("2d");
    if (!canvas || !context) return;
    let planned: PlannedEdge[] = [];
    let plannedAt = -Infinity;
    let frame = 0;
    const markStale = () => {
      staleRef.current = true;
    };
    cy.on("viewport add remove position class", markStale);

    const plan = () => {
      const view = cy.extent();
      const traffic = trafficRef.current;
      const inView: AnimatedEdge[] = [];
      const ends = new Map<string, { from: cytoscape.Position; to: cytoscape.Position }>();
      cy.edges().forEach((edge) => {
        const figures = traffic.get(edge.id());
        if (!figures || figures.rate <= 0 || edge.hasClass("hidden")) return;
        const from = edge.source().position();
        const to = edge.target().position();
        if (!edgeMayBeInView(view, from, to)) return;
        inView.push(figures);
        ends.set(edge.id(), { from: { ...from }, to: { ...to } });
      });
      planned = animationPlan(inView, MAX_DOTS).map((dots) => ({ dots, ...(ends.get(dots.id) as { from: cytoscape.Position; to: cytoscape.Position }) }));
      canvas.dataset.animatedEdges = String(planned.length);
    };

    const draw = (now: number) => {
      frame = requestAnimationFrame(draw);
      if (staleRef.current && now - plannedAt >= PLAN_EVERY_MS) {
        staleRef.current = false;
        plannedAt = now;
        plan();
      }
      const ratio = window.devicePixelRatio || 1;
      const width = canvas.clientWidth;
      const height = canvas.clientHeight;
      if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
        canvas.width = Math.round(width * ratio);
        canvas.height = Math.round(height * ratio);
      }
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.clearRect(0, 0, width, height);
      const zoom = cy.zoom();
      const pan = cy.pan();
      const seconds = now / 1000;
      // Two paths, one per colour: a fill per dot would cost a draw call each.
      const ok = new Path2D();
      const failed = new Path2D();
      for (const edge of planned) {
        for (const dot of dotsAt(edge.dots, seconds)) {
          const x = (edge.from.x + (edge.to.x - edge.from.x) * dot.progress) * zoom + pan.x;
          const y = (edge.from.y + (edge.to.y - edge.from.y) * dot.progress) * zoom + pan.y;
          const path = dot.failed ? failed : ok;
          path.moveTo(x + DOT_RADIUS_PX, y);
          path.arc(x, y, DOT_RADIUS_PX, 0, Math.PI * 2);
        }
      }
      context.fillStyle = OK_DOT_COLOUR;
      context.fill(ok);
      context.fillStyle = FAILED_DOT_COLOUR;
      context.fill(failed);
    };
    frame = requestAnimationFrame(draw);
    return () => {
      cancelAnimationFrame(frame);
      cy.off("viewport add remove position class", markStale);
    };
  }, [cy]);

  return <canvas ref={canvasRef} className={styles.animation} data-testid="traffic-animation" aria-hidden="true" />;
}
