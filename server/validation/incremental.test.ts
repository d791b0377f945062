import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/random";
import { validate } from "./engine";
import { createValidationIndex, type WatchEventType } from "./incremental";
import { snapshotFromObjects } from "./snapshot";

/** Deterministic so a failure reproduces from its seed. */
const random = mulberry32;

const namespaces = ["shop", "bookinfo", "istio-system"];

/** For each object slot (kind/namespace/name), a few versions: different specs and one malformed. */
function variants(ns: string, i: number): unknown[][] {
  const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: ns, ...extra });
  return [
    [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "istio-injection": "enabled" } } },
      { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
    ],
    [
      { apiVersion: "v1", kind: "Service", metadata: meta(`svc${i}`), spec: { selector: { app: `app${i}` }, ports: [{ name: "http", port: 80 }] } },
      { apiVersion: "v1", kind: "Service", metadata: meta(`svc${i}`), spec: { selector: { app: `app${i}` }, ports: [{ name: "web", port: 80 }, { name: "tcp", port: 81 }] } },
    ],
    [
      { apiVersion: "v1", kind: "Pod", metadata: meta(`pod${i}`, { labels: { app: `app${i}`, version: "v1" } }), spec: { containers: [{ name: "app" }, { name: "istio-proxy" }] } },
      { apiVersion: "v1", kind: "Pod", metadata: meta(`pod${i}`, { labels: { app: `app${i}` } }), spec: { containers: [{ name: "app", securityContext: { runAsUser: 1337 } }] } },
    ],
    [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: meta(`dep${i}`),
        spec: { selector: { matchLabels: { app: `app${i}` } }, template: { metadata: { labels: { app: `app${i}`, version: "v2" } }, spec: { containers: [{ name: "app" }] } } },
      },
    ],
    [
      {
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: meta(`vs${i}`),
        spec: { hosts: [`svc${i}`], http: [{ route: [{ destination: { host: `svc${i}`, subset: "v1" }, weight: 60 }, { destination: { host: `svc${(i + 1) % 2}.shop.svc.cluster.local`, subset: "v2" }, weight: 40 }] }] },
      },
      { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: meta(`vs${i}`), spec: { hosts: ["svc0.shop.svc.cluster.local"], gateways: ["gw0", "mesh"], http: [{ route: [{ destination: { host: "svc0.shop.svc.cluster.local" } }] }, { route: [{ destination: { host: "nowhere" } }] }] } },
      { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: meta(`vs${i}`), spec: { hosts: "not-a-list" } },
    ],
    [
      { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: meta(`dr${i}`), spec: { host: `svc${i}`, subsets: [{ name: "v1", labels: { version: "v1" } }], trafficPolicy: { tls: { mode: "DISABLE" } } } },
      { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: meta(`dr${i}`), spec: { host: "svc0.shop.svc.cluster.local", exportTo: ["."], subsets: [{ name: "v2", labels: { version: "v2" } }] } },
    ],
    [
      { apiVersion: "networking.istio.io/v1", kind: "Gateway", metadata: meta(`gw${i}`), spec: { selector: { app: `app${i}` }, servers: [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["*"] }] } },
      { apiVersion: "networking.istio.io/v1", kind: "Gateway", metadata: meta(`gw${i}`), spec: { selector: { istio: "none" }, servers: [] } },
    ],
    [{ apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", metadata: meta(`se${i}`), spec: { hosts: ["api.example.com"], ports: [{ number: 443, name: "p", protocol: i % 2 ? "HTTPS" : "TCP" }] } }],
    [
      { apiVersion: "networking.istio.io/v1", kind: "Sidecar", metadata: meta(`sc${i}`), spec: {} },
      { apiVersion: "networking.istio.io/v1", kind: "Sidecar", metadata: meta(`sc${i}`), spec: { workloadSelector: { labels: { app: `app${i}` } } } },
    ],
    [{ apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", metadata: meta(`pa${i}`), spec: { mtls: { mode: "STRICT" } } }],
    [
      { apiVersion: "security.istio.io/v1", kind: "AuthorizationPolicy", metadata: meta(`ap${i}`), spec: { selector: { matchLabels: { app: `app${i}` } }, rules: [{ from: [{ source: { namespaces: ["bookinfo", "prod-*"], principals: [`cluster.local/ns/${ns}/sa/sa${i}`] } }] }] } },
    ],
    [{ apiVersion: "v1", kind: "ServiceAccount", metadata: meta(`sa${i}`) }],
    [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "istio", namespace: "istio-system" }, data: { mesh: i % 2 ? "defaultServiceExportTo: ['.']" : "defaultDestinationRuleExportTo: ['.']" } }],
  ];
}

const slots: unknown[][] = namespaces.flatMap((ns) => [0, 1].flatMap((i) => variants(ns, i)));

function keyOf(object: unknown): string {
  const o = object as { kind: string; apiVersion: string; metadata: { name: string; namespace?: string } };
  return `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
}

describe("incremental validation index", () => {
  it.each([1, 2, 3, 4, 5])("equals a full recompute after every change of a random sequence (seed %i)", (seed) => {
    const next = random(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    const current = new Map<string, unknown>();
    for (const slot of slots) if (next() < 0.5) current.set(keyOf(slot[0]), pick(slot));
    const index = createValidationIndex([...current.values()], { assumeDefaultIngressGateway: true });
    for (let step = 0; step < 60; step++) {
      const object = pick(pick(slots));
      const key = keyOf(object);
      let type: WatchEventType;
      if (current.has(key) && next() < 0.35) {
        type = "DELETED";
        current.delete(key);
      } else {
        type = current.has(key) ? "MODIFIED" : "ADDED";
        current.set(key, object);
      }
      index.apply({ type, object });
      const full = validate(snapshotFromObjects([...current.values()], { assumeDefaultIngressGateway: true }));
      expect(index.findings(), `seed ${seed}, step ${step}: ${type} ${key}`).toEqual(full);
      expect(index.findings(["shop"])).toEqual(validate(snapshotFromObjects([...current.values()], { assumeDefaultIngressGateway: true }), { namespaces: ["shop"] }));
    }
  });

  it("reruns only the rules that read the changed kind", () => {
    const index = createValidationIndex([]);
    const rerun = index.apply({ type: "ADDED", object: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "sa", namespace: "shop" } } });
    expect(rerun).toContain("authorization-policies");
    expect(rerun).not.toContain("route-matches");
    expect(index.apply({ type: "ADDED", object: { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } } })).toEqual([]);
  });

  it("reports a malformed update and clears it when the object is fixed", () => {
    const service = (ports: unknown) => ({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop" }, spec: { ports } });
    const index = createValidationIndex([service([{ name: "http", port: 80 }])]);
    index.apply({ type: "MODIFIED", object: service([{ name: "http", port: "eighty" }]) });
    expect(index.findings().map((f) => `${f.code} ${f.path}`)).toContain("IST0106 spec.ports[0].port");
    index.apply({ type: "MODIFIED", object: service([{ name: "http", port: 80 }]) });
    expect(index.findings().filter((f) => f.code === "IST0106")).toEqual([]);
  });
});
