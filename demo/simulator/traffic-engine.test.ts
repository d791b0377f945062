import { describe, expect, it } from "vitest";
import { BOOKINFO_MODEL, parseCallGraphModel, type CallGraphModel, type CallGraphModelInput } from "./call-graph";
import { HTTP_STANDARD_LABELS, TCP_STANDARD_LABELS } from "./istio-labels";
import type { MeshSnapshot } from "./mesh";
import { TrafficEngine } from "./traffic-engine";
import { parseExposition, sumWhere, type Sample } from "./testing/exposition";
import { bookinfoSnapshot, deployment, destinationRule, peerAuthentication, reviewsSubsets, virtualService } from "./testing/bookinfo-fixture";

const REQUESTS = "istio_requests_total";
const fromProductpageToReviews = { reporter: "source", source_workload: "productpage-v1", destination_service_name: "reviews" };

function run(snapshot: MeshSnapshot, options: { ticks?: number; edgeRps?: number; model?: CallGraphModel; jasonShare?: number } = {}): Sample[] {
  const engine = new TrafficEngine(options.model ?? BOOKINFO_MODEL, snapshot, {
    edgeRps: options.edgeRps ?? 200,
    jasonShare: options.jasonShare ?? 0,
    seed: 7,
  });
  for (let t = 0; t < (options.ticks ?? 20); t++) engine.tick(t * 1000, 1000);
  return parseExposition(engine.store.render());
}

/** Bookinfo with some behaviours replaced (they are matched first). */
function bookinfoWith(...behaviours: CallGraphModelInput["behaviours"]): CallGraphModel {
  return parseCallGraphModel({ ...BOOKINFO_MODEL, behaviours: [...behaviours, ...BOOKINFO_MODEL.behaviours] });
}

const reviewsVs = (http: unknown[]) => virtualService("reviews", { hosts: ["reviews"], http });

describe("Istio's standard labels", () => {
  const samples = run(bookinfoSnapshot());

  it("puts exactly the standard label set on every request series", () => {
    const http = samples.filter((s) => s.name.startsWith("istio_request"));
    expect(http.length).toBeGreaterThan(0);
    for (const sample of http) {
      const expected = sample.name.endsWith("_bucket") ? [...HTTP_STANDARD_LABELS, "le"] : [...HTTP_STANDARD_LABELS];
      expect(Object.keys(sample.labels).sort()).toEqual(expected.sort());
    }
  });

  it("puts the TCP label set (no response code) on the TCP series", () => {
    const tcp = samples.filter((s) => s.name.startsWith("istio_tcp_"));
    expect(new Set(tcp.map((s) => s.name))).toEqual(
      new Set(["istio_tcp_sent_bytes_total", "istio_tcp_received_bytes_total", "istio_tcp_connections_opened_total", "istio_tcp_connections_closed_total"]),
    );
    for (const sample of tcp) {
      expect(Object.keys(sample.labels).sort()).toEqual([...TCP_STANDARD_LABELS].sort());
      expect(sample.labels).toMatchObject({ request_protocol: "tcp", source_app: "ratings", destination_service_name: "mongodb" });
    }
  });

  it("reports edge traffic only at the gateway, from an unknown source", () => {
    const edge = samples.filter((s) => s.name === REQUESTS && s.labels["source_workload"] === "unknown");
    expect(edge.length).toBeGreaterThan(0);
    for (const sample of edge) {
      expect(sample.labels).toMatchObject({ reporter: "destination", destination_workload: "istio-ingressgateway", source_principal: "unknown", connection_security_policy: "none" });
    }
    const total = sumWhere(samples, REQUESTS, { source_workload: "unknown" });
    expect(total / 20).toBeGreaterThan(150);
    expect(total / 20).toBeLessThan(250);
  });

  it("has both proxies report a mesh-internal request, with identities under auto mTLS", () => {
    const source = sumWhere(samples, REQUESTS, { reporter: "source", source_workload: "productpage-v1", destination_workload: "details-v1" });
    const destination = sumWhere(samples, REQUESTS, { reporter: "destination", source_workload: "productpage-v1", destination_workload: "details-v1" });
    expect(source).toBeGreaterThan(0);
    expect(Math.abs(source - destination)).toBeLessThanOrEqual(source * 0.02);
    const series = samples.find((s) => s.name === REQUESTS && s.labels["reporter"] === "destination" && s.labels["destination_workload"] === "details-v1");
    expect(series?.labels).toMatchObject({
      connection_security_policy: "mutual_tls",
      source_principal: "spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage",
      destination_principal: "spiffe://cluster.local/ns/bookinfo/sa/bookinfo-details",
      destination_service: "details.bookinfo.svc.cluster.local",
      source_canonical_revision: "v1",
      source_cluster: "Kubernetes",
      response_flags: "-",
      grpc_response_status: "",
    });
    const clientSide = samples.find((s) => s.name === REQUESTS && s.labels["reporter"] === "source" && s.labels["destination_workload"] === "details-v1");
    expect(clientSide?.labels["connection_security_policy"]).toBe("unknown");
  });

  it("spreads reviews traffic over all versions without a VirtualService, and only v2/v3 call ratings", () => {
    const perVersion = ["v1", "v2", "v3"].map((v) => sumWhere(samples, REQUESTS, { ...fromProductpageToReviews, destination_version: v }));
    const total = perVersion.reduce((a, b) => a + b, 0);
    for (const count of perVersion) expect(count / total).toBeCloseTo(1 / 3, 1);
    expect(sumWhere(samples, REQUESTS, { source_workload: "reviews-v1", destination_service_name: "ratings" })).toBe(0);
    expect(sumWhere(samples, REQUESTS, { source_workload: "reviews-v2", destination_service_name: "ratings" })).toBeGreaterThan(0);
  });
});

describe("routing effects in the metrics", () => {
  it("sends 80/20 of productpage's reviews requests to v1/v2", () => {
    const samples = run(
      bookinfoSnapshot({
        destinationRules: [reviewsSubsets()],
        virtualServices: [reviewsVs([{ route: [{ destination: { host: "reviews", subset: "v1" }, weight: 80 }, { destination: { host: "reviews", subset: "v2" }, weight: 20 }] }])],
      }),
    );
    const v1 = sumWhere(samples, REQUESTS, { ...fromProductpageToReviews, destination_version: "v1" });
    const v2 = sumWhere(samples, REQUESTS, { ...fromProductpageToReviews, destination_version: "v2" });
    const v3 = sumWhere(samples, REQUESTS, { ...fromProductpageToReviews, destination_version: "v3" });
    expect(v1 / (v1 + v2)).toBeCloseTo(0.8, 1);
    expect(v3).toBe(0);
  });

  it("routes jason's share by header to v2", () => {
    const samples = run(
      bookinfoSnapshot({
        destinationRules: [reviewsSubsets()],
        virtualServices: [
          reviewsVs([
            { match: [{ headers: { "end-user": { exact: "jason" } } }], route: [{ destination: { host: "reviews", subset: "v2" } }] },
            { route: [{ destination: { host: "reviews", subset: "v1" } }] },
          ]),
        ],
      }),
      { jasonShare: 0.25 },
    );
    const v1 = sumWhere(samples, REQUESTS, { ...fromProductpageToReviews, destination_version: "v1" });
    const v2 = sumWhere(samples, REQUESTS, { ...fromProductpageToReviews, destination_version: "v2" });
    expect(v2 / (v1 + v2)).toBeCloseTo(0.25, 1);
  });

  it("aborts the configured share with the fault's status and flag FI, reported by the client only", () => {
    const samples = run(
      bookinfoSnapshot({ virtualServices: [reviewsVs([{ route: [{ destination: { host: "reviews" } }], fault: { abort: { percentage: { value: 30 }, httpStatus: 500 } } }])] }),
    );
    const aborted = sumWhere(samples, REQUESTS, { ...fromProductpageToReviews, response_flags: "FI" });
    const all = sumWhere(samples, REQUESTS, fromProductpageToReviews);
    expect(aborted / all).toBeCloseTo(0.3, 1);
    const series = samples.find((s) => s.name === REQUESTS && s.labels["response_flags"] === "FI");
    expect(series?.labels).toMatchObject({ response_code: "500", destination_workload: "unknown", destination_service: "reviews.bookinfo.svc.cluster.local" });
    expect(sumWhere(samples, REQUESTS, { reporter: "destination", response_flags: "FI" })).toBe(0);
  });

  it("answers 503 NR for a missing subset with no destination report", () => {
    const samples = run(
      bookinfoSnapshot({ destinationRules: [reviewsSubsets()], virtualServices: [reviewsVs([{ route: [{ destination: { host: "reviews", subset: "v4" } }] }])] }),
    );
    const all = sumWhere(samples, REQUESTS, fromProductpageToReviews);
    expect(sumWhere(samples, REQUESTS, { ...fromProductpageToReviews, response_code: "503", response_flags: "NR", destination_workload: "unknown" })).toBe(all);
    expect(sumWhere(samples, REQUESTS, { reporter: "destination", destination_service_name: "reviews" })).toBe(0);
  });

  it("fails requests slower than the route timeout with 504 UT", () => {
    const samples = run(bookinfoSnapshot({ virtualServices: [reviewsVs([{ route: [{ destination: { host: "reviews" } }], timeout: "0.008s" }])] }));
    // reviews v1 answers in ~6 ms, v2/v3 in ~14 ms: most of v2/v3 and some of v1 time out.
    const timedOut = (version: string) => sumWhere(samples, REQUESTS, { ...fromProductpageToReviews, destination_version: version, response_code: "504", response_flags: "UT" });
    const all = (version: string) => sumWhere(samples, REQUESTS, { ...fromProductpageToReviews, destination_version: version });
    expect(timedOut("v2") / all("v2")).toBeGreaterThan(0.7);
    expect(timedOut("v1") / all("v1")).toBeLessThan(0.5);
    expect(sumWhere(samples, REQUESTS, { reporter: "destination", destination_service_name: "reviews", response_flags: "DC" })).toBeGreaterThan(0);
  });

  it("lets a fault delay on ratings trip the timeout on reviews, as in Istio's timeout task", () => {
    const samples = run(
      bookinfoSnapshot({
        virtualServices: [
          virtualService("ratings", { hosts: ["ratings"], http: [{ route: [{ destination: { host: "ratings" } }], fault: { delay: { percentage: { value: 100 }, fixedDelay: "2s" } } }] }),
          reviewsVs([{ route: [{ destination: { host: "reviews" } }], timeout: "0.5s" }]),
        ],
      }),
    );
    const share = (version: string) =>
      sumWhere(samples, REQUESTS, { ...fromProductpageToReviews, destination_version: version, response_flags: "UT" }) /
      sumWhere(samples, REQUESTS, { ...fromProductpageToReviews, destination_version: version });
    expect(share("v2")).toBeGreaterThan(0.95);
    expect(share("v1")).toBe(0);
    // The delayed hop itself shows the 2 s in the client's latency.
    const slow = sumWhere(samples, "istio_request_duration_milliseconds_bucket", { reporter: "source", source_workload: "reviews-v2", destination_service_name: "ratings", le: "1000" });
    const count = sumWhere(samples, "istio_request_duration_milliseconds_count", { reporter: "source", source_workload: "reviews-v2", destination_service_name: "ratings" });
    expect(count).toBeGreaterThan(0);
    expect(slow).toBe(0);
  });

  it("retries app errors on 5xx so the client sees fewer failures than the server", () => {
    const samples = run(
      bookinfoSnapshot({ virtualServices: [reviewsVs([{ route: [{ destination: { host: "reviews" } }], retries: { attempts: 2, retryOn: "5xx" } }])] }),
      { model: bookinfoWith({ app: "reviews", latency: { medianMs: 5, p99Ms: 30 }, errorRate: 0.5 }) },
    );
    const clientErrors = sumWhere(samples, REQUESTS, { ...fromProductpageToReviews, response_code: "500" });
    const clientAll = sumWhere(samples, REQUESTS, fromProductpageToReviews);
    const serverAll = sumWhere(samples, REQUESTS, { reporter: "destination", source_workload: "productpage-v1", destination_service_name: "reviews" });
    expect(clientErrors / clientAll).toBeCloseTo(0.125, 1);
    expect(serverAll / clientAll).toBeCloseTo(1.75, 1);
  });

  it("reports mirrored requests at the mirror's proxy only", () => {
    const samples = run(
      bookinfoSnapshot({
        destinationRules: [reviewsSubsets()],
        virtualServices: [reviewsVs([{ route: [{ destination: { host: "reviews", subset: "v1" } }], mirror: { host: "reviews", subset: "v3" }, mirrorPercentage: { value: 50 } }])],
      }),
    );
    const primary = sumWhere(samples, REQUESTS, { ...fromProductpageToReviews, destination_version: "v1" });
    const mirrored = sumWhere(samples, REQUESTS, { reporter: "destination", source_workload: "productpage-v1", destination_workload: "reviews-v3" });
    expect(mirrored / primary).toBeCloseTo(0.5, 1);
    expect(sumWhere(samples, REQUESTS, { ...fromProductpageToReviews, destination_version: "v3" })).toBe(0);
    // The mirror really serves them: reviews-v3 calls ratings.
    expect(sumWhere(samples, REQUESTS, { source_workload: "reviews-v3", destination_service_name: "ratings" })).toBeGreaterThan(0);
  });

  it("ejects a failing version through outlier detection", () => {
    const snapshot = bookinfoSnapshot({
      destinationRules: [destinationRule("reviews", { host: "reviews", trafficPolicy: { outlierDetection: { consecutive5xxErrors: 3, baseEjectionTime: "60s", maxEjectionPercent: 100 } } })],
    });
    const model = bookinfoWith({ app: "reviews", versions: ["v3"], latency: { medianMs: 5, p99Ms: 30 }, errorRate: 0.7 });
    const engine = new TrafficEngine(model, snapshot, { edgeRps: 200, jasonShare: 0, seed: 3 });
    for (let t = 0; t < 5; t++) engine.tick(t * 1000, 1000);
    const before = parseExposition(engine.store.render());
    for (let t = 5; t < 25; t++) engine.tick(t * 1000, 1000);
    const after = parseExposition(engine.store.render());
    const delta = (version: string) =>
      sumWhere(after, REQUESTS, { ...fromProductpageToReviews, destination_version: version }) - sumWhere(before, REQUESTS, { ...fromProductpageToReviews, destination_version: version });
    expect(delta("v3")).toBe(0);
    expect(delta("v1")).toBeGreaterThan(1000);
    expect(delta("v2")).toBeGreaterThan(1000);
  });
});

describe("clients that call on their own", () => {
  const render = (model: CallGraphModel, snapshot: MeshSnapshot) => {
    const engine = new TrafficEngine(model, snapshot, { edgeRps: 200, jasonShare: 0, seed: 7 });
    for (let t = 0; t < 20; t++) engine.tick(t * 1000, 1000);
    return engine.store.render();
  };

  it("sends nothing, and changes no other figure, while the client's Deployment does not exist", () => {
    const withoutClients = parseCallGraphModel({ ...BOOKINFO_MODEL, entry: { ...BOOKINFO_MODEL.entry, clients: [] } });
    expect(BOOKINFO_MODEL.entry.clients.map((client) => client.workload)).toContain("details-auditor");
    expect(render(BOOKINFO_MODEL, bookinfoSnapshot())).toBe(render(withoutClients, bookinfoSnapshot()));
  });

  it("calls its service steadily, with its own principal, once the Deployment exists", () => {
    const snapshot = bookinfoSnapshot({ deployments: [deployment("bookinfo", "details-auditor", undefined, { serviceAccount: "bookinfo-auditor" })] });
    const samples = parseExposition(render(BOOKINFO_MODEL, snapshot));
    const perSecond = sumWhere(samples, REQUESTS, { reporter: "destination", source_workload: "details-auditor", destination_service_name: "details" }) / 20;
    expect(perSecond).toBeGreaterThan(1);
    expect(perSecond).toBeLessThan(3);
    const reported = samples.find((sample) => sample.name === REQUESTS && sample.labels["source_workload"] === "details-auditor" && sample.labels["reporter"] === "destination");
    expect(reported?.labels["source_principal"]).toBe("spiffe://cluster.local/ns/bookinfo/sa/bookinfo-auditor");
  });
});

describe("connection security", () => {
  it("reports none and unknown principals when the namespace disables mTLS", () => {
    const samples = run(bookinfoSnapshot({ peerAuthentications: [peerAuthentication("bookinfo", "default", { mtls: { mode: "DISABLE" } })] }), { ticks: 3 });
    const series = samples.filter((s) => s.name === REQUESTS && s.labels["reporter"] === "destination" && s.labels["destination_workload"] === "details-v1");
    expect(series.length).toBeGreaterThan(0);
    for (const s of series) expect(s.labels).toMatchObject({ connection_security_policy: "none", source_principal: "unknown", destination_principal: "unknown" });
  });

  it("refuses plaintext to a STRICT workload: 503 UC at the client, nothing at the server", () => {
    const samples = run(
      bookinfoSnapshot({
        peerAuthentications: [peerAuthentication("bookinfo", "details-strict", { selector: { matchLabels: { app: "details" } }, mtls: { mode: "STRICT" } })],
        destinationRules: [destinationRule("details", { host: "details", trafficPolicy: { tls: { mode: "DISABLE" } } })],
      }),
      { ticks: 3 },
    );
    const toDetails = { reporter: "source", source_workload: "productpage-v1", destination_service_name: "details" };
    expect(sumWhere(samples, REQUESTS, { ...toDetails, response_code: "503", response_flags: "UC" })).toBe(sumWhere(samples, REQUESTS, toDetails));
    expect(sumWhere(samples, REQUESTS, { reporter: "destination", destination_workload: "details-v1" })).toBe(0);
  });
});
