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
    expect(parseFindExpression("reviews")).toMatchObject({ ok: false, error: expect.stringContaining("is not a condition") });
    expect(parseFindExpression("colour=red")).toMatchObject({ ok: false, error: expect.stringContaining('unknown field "colour"') });
    expect(parseFindExpression("rps>many")).toMatchObject({ ok: false, error: expect.stringContaining("compares numbers") });
    expect(parseFindExpression("name>reviews")).toMatchObject({ ok: false, error: expect.stringContaining("only be compared with = or !=") });
    expect(parseFindExpression("idle=maybe")).toMatchObject({ ok: false, error: expect.stringContaining("true or false") });
  });
});

describe("Kiali-level operands", () => {
  const cutOff: GraphNode = { ...reviewsV2, id: "service~bookinfo~ratings~", kind: "service", name: "ratings", inboundRps: 0, outboundRps: 3, hasSidecar: false, health: "failing", config: [{ badge: "circuitBreaker", objects: [{ kind: "DestinationRule", namespace: "bookinfo", name: "ratings" }] }] };

  // Each element with the expressions that find it and those that do not.
  const cases: { on: GraphNode | GraphEdge; finds: string[]; misses: string[] }[] = [
    { on: cutOff, finds: ["circuitbreaker", "!sidecar and trafficsource", "failing, vs=false"], misses: ["route"] },
    { on: reviewsV2, finds: ["rpm>=720"], misses: ["circuitbreaker", "not sidecar", "rpm>720"] },
    { on: toRatings, finds: ["failing", "http>10 and grpc=0 and %error>=25 and %traffic=100", "responsetime>79"], misses: ["tcp>0"] },
  ];

  it("reads yes/no operands bare or negated, health shorthands, rpm, protocol rates and Kiali's %error, %traffic and responsetime", () => {
    const matches = (expression: string, on: GraphNode | GraphEdge) => ("source" in on ? matchesEdge(clauses(expression), on) : matchesNode(clauses(expression), on));
    for (const { on, finds, misses } of cases) {
      for (const expression of finds) expect(matches(expression, on), `${expression} on ${on.id}`).toBe(true);
      for (const expression of misses) expect(matches(expression, on), `${expression} on ${on.id}`).toBe(false);
    }
  });

  it("asks for latency for responsetime", () => {
    expect(comparesResponseTime("responsetime>100")).toBe(true);
  });

  it("tells nodes outside the drawn namespaces apart", () => {
    expect(matchesNode(clauses("outside"), reviewsV2, { namespaces: ["bookinfo"] })).toBe(false);
    expect(matchesNode(clauses("outside"), reviewsV2, { namespaces: ["shop"] })).toBe(true);
    expect(matchesNode(clauses("outside"), { ...reviewsV2, kind: "unknown" })).toBe(true);
    expect(matchesNode(clauses("unused"), { ...reviewsV2, isIdle: true })).toBe(true);
  });

  it("points at the condition that is wrong", () => {
    expect(parseFindExpression("name=reviews and colour=red")).toEqual({ ok: false, error: expect.stringContaining("(at character 18)"), position: 17 });
    expect(parseFindExpression("rps>1,  bogus")).toEqual({ ok: false, error: expect.stringContaining('"bogus" is not a condition'), position: 8 });
    expect(parseFindExpression("rps>")).toEqual({ ok: false, error: expect.stringContaining("needs a value"), position: 0 });
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
