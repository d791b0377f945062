import { describe, expect, it } from "vitest";
import { comparesResponseTime, matchesEdge, matchesNode, parseFindExpression, type Clause } from "./findExpression";
import type { GraphEdge, GraphNode } from "./model";

const reviewsV2: GraphNode = {
  id: "versionedApp~bookinfo~reviews~v2",
  kind: "versionedApp",
  namespace: "bookinfo",
  name: "reviews",
  app: "reviews",
  version: "v2",
  workload: null,
  service: null,
  hasSidecar: true,
  isIdle: false,
  inboundRps: 12,
  outboundRps: 12,
  inboundErrorRps: 0.6,
  outboundErrorRps: 0,
  errorRate: 0.05,
  tcpInboundBytesPerSecond: 0,
  tcpOutboundBytesPerSecond: 0,
  health: "degraded",
};

const toRatings: GraphEdge = {
  id: "e",
  source: reviewsV2.id,
  target: "service~bookinfo~ratings~",
  protocol: "http",
  rps: 12,
  errorRps: 3,
  errorRate: 0.25,
  responseClasses: { "2xx": 0.75, "3xx": 0, "4xx": 0, "5xx": 0.25, other: 0 },
  percentOfSource: 100,
  configuredPercent: null,
  responseTime: { p50: 5, p95: 80, p99: 120 },
  tcpBytesPerSecond: 0,
  throughputBytesPerSecond: null,
  mtlsShare: 1,
  health: "failing",
};

function clauses(expression: string): Clause[] {
  const result = parseFindExpression(expression);
  if (!result.ok) throw new Error(result.error);
  return result.clauses;
}

describe("find expressions", () => {
  it("finds a node by name, version and numbers, joined with and or commas", () => {
    expect(matchesNode(clauses("name=reviews"), reviewsV2)).toBe(true);
    expect(matchesNode(clauses("name=Reviews and version=v2"), reviewsV2)).toBe(true);
    expect(matchesNode(clauses("name=reviews, version=v1"), reviewsV2)).toBe(false);
    expect(matchesNode(clauses("rps>10,error%>1"), reviewsV2)).toBe(true);
    expect(matchesNode(clauses("rps>=12 AND error% < 5"), reviewsV2)).toBe(false);
    expect(matchesNode(clauses("health!=healthy"), reviewsV2)).toBe(true);
    expect(matchesNode(clauses("ns=bookinfo,sidecar=true"), reviewsV2)).toBe(true);
  });

  it("finds edges by their own figures, and never by a field only nodes have", () => {
    expect(matchesEdge(clauses("health=failing"), toRatings)).toBe(true);
    expect(matchesEdge(clauses("p95>50 and mtls%=100"), toRatings)).toBe(true);
    expect(matchesEdge(clauses("error%>30"), toRatings)).toBe(false);
    expect(matchesEdge(clauses("name=reviews"), toRatings)).toBe(false);
    expect(matchesNode(clauses("protocol=http"), reviewsV2)).toBe(false);
  });

  it("matches nothing when the expression is empty", () => {
    expect(matchesNode(clauses(""), reviewsV2)).toBe(false);
  });

  it("explains what is wrong with an expression", () => {
    expect(parseFindExpression("reviews")).toEqual({ ok: false, error: expect.stringContaining("is not a condition") });
    expect(parseFindExpression("colour=red")).toEqual({ ok: false, error: expect.stringContaining('unknown field "colour"') });
    expect(parseFindExpression("rps>many")).toEqual({ ok: false, error: expect.stringContaining("compares numbers") });
    expect(parseFindExpression("name>reviews")).toEqual({ ok: false, error: expect.stringContaining("only be compared with = or !=") });
    expect(parseFindExpression("idle=maybe")).toEqual({ ok: false, error: expect.stringContaining("true or false") });
  });
});

describe("comparesResponseTime", () => {
  it("is true only for a valid expression with a p95 (or rt) clause", () => {
    expect(comparesResponseTime("p95>100")).toBe(true);
    expect(comparesResponseTime("name=reviews and rt<5")).toBe(true);
    expect(comparesResponseTime("name=reviews, rps>10")).toBe(false);
    expect(comparesResponseTime("")).toBe(false);
    expect(comparesResponseTime("p95>")).toBe(false);
  });
});
