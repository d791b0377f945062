/**
 * Validation on a synthetic mesh: ~1,000 workloads in 50 namespaces with ~3,000 Istio objects.
 * Prints the time of a full validation and of incremental revalidation after one change.
 * Run: npx tsx bench/validation.bench.ts
 */
import { performance } from "node:perf_hooks";
import { createValidationIndex, snapshotFromObjects, validate } from "@/server/validation";

const namespaceCount = 50;
const workloadsPerNamespace = 20;

function meshObjects(): unknown[] {
  const objects: unknown[] = [];
  for (let n = 0; n < namespaceCount; n++) {
    const ns = `team-${n}`;
    objects.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "istio-injection": "enabled" } } });
    objects.push({ apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", metadata: { name: "default", namespace: ns }, spec: { mtls: { mode: n % 2 ? "STRICT" : "PERMISSIVE" } } });
    objects.push({ apiVersion: "networking.istio.io/v1", kind: "Sidecar", metadata: { name: "default", namespace: ns }, spec: { egress: [{ hosts: ["./*", "istio-system/*"] }] } });
    objects.push({
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: { name: "edge", namespace: ns },
      spec: { selector: { istio: "ingressgateway" }, servers: [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: [`*.team-${n}.example.com`] }] },
    });
    for (let w = 0; w < workloadsPerNamespace; w++) {
      const app = `app-${w}`;
      const host = `${app}.${ns}.svc.cluster.local`;
      objects.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: app, namespace: ns } });
      objects.push({ apiVersion: "v1", kind: "Service", metadata: { name: app, namespace: ns }, spec: { selector: { app }, ports: [{ name: "http", port: 8080 }] } });
      objects.push({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: `${app}-v1`, namespace: ns },
        spec: { selector: { matchLabels: { app, version: "v1" } }, template: { metadata: { labels: { app, version: "v1" } }, spec: { serviceAccountName: app, containers: [{ name: "app" }] } } },
      });
      objects.push({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: `${app}-v1-0`, namespace: ns, labels: { app, version: "v1" }, ownerReferences: [{ kind: "ReplicaSet", name: `${app}-v1` }] },
        spec: { serviceAccountName: app, containers: [{ name: "app" }, { name: "istio-proxy" }] },
      });
      objects.push({
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: { name: app, namespace: ns },
        spec: {
          hosts: [app],
          http: [
            { match: [{ uri: { prefix: "/api" } }], route: [{ destination: { host: app, subset: "v1" }, weight: 90 }, { destination: { host: app, subset: "v2" }, weight: 10 }] },
            { route: [{ destination: { host: `app-${(w + 1) % workloadsPerNamespace}`, port: { number: 8080 } } }] },
          ],
        },
      });
      objects.push({
        apiVersion: "networking.istio.io/v1",
        kind: "DestinationRule",
        metadata: { name: app, namespace: ns },
        spec: { host, trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" } }, subsets: [{ name: "v1", labels: { version: "v1" } }, { name: "v2", labels: { version: "v2" } }] },
      });
      if (w % 2 === 0) {
        objects.push({
          apiVersion: "security.istio.io/v1",
          kind: "AuthorizationPolicy",
          metadata: { name: app, namespace: ns },
          spec: { selector: { matchLabels: { app } }, rules: [{ from: [{ source: { principals: [`cluster.local/ns/${ns}/sa/app-${(w + 1) % workloadsPerNamespace}`], namespaces: [ns] } }] }] },
        });
      }
      if (w % 4 === 0) {
        objects.push({ apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", metadata: { name: `ext-${w}`, namespace: ns }, spec: { hosts: [`api-${w}.${ns}.example.org`], ports: [{ number: 443, name: "https", protocol: "HTTPS" }], resolution: "DNS" } });
      }
    }
  }
  return objects;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function report(label: string, samples: number[]): void {
  console.log(`${label.padEnd(46)} p50 ${percentile(samples, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(samples, 95).toFixed(1).padStart(7)} ms   (n=${samples.length})`);
}

const objects = meshObjects();
const istioKinds = new Set(["VirtualService", "DestinationRule", "Gateway", "ServiceEntry", "Sidecar", "PeerAuthentication", "AuthorizationPolicy"]);
const istioCount = objects.filter((o) => istioKinds.has((o as { kind: string }).kind)).length;
console.log(`synthetic mesh: ${objects.length} objects, ${namespaceCount * workloadsPerNamespace} workloads, ${namespaceCount} namespaces, ${istioCount} Istio objects`);

const full: number[] = [];
let findingCount = 0;
for (let run = 0; run < 7; run++) {
  const start = performance.now();
  findingCount = validate(snapshotFromObjects(objects)).length;
  full.push(performance.now() - start);
}
report("full validation (parse + index + all rules)", full);
console.log(`findings: ${findingCount}`);

const index = createValidationIndex(objects);
const changes: { label: string; object: (i: number) => unknown }[] = [
  {
    label: "incremental: one VirtualService modified",
    object: (i) => ({
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "app-3", namespace: `team-${i % namespaceCount}` },
      spec: { hosts: ["app-3"], http: [{ route: [{ destination: { host: "app-3", subset: i % 2 ? "v1" : "v3" } }] }] },
    }),
  },
  {
    label: "incremental: one Pod modified",
    object: (i) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "app-5-v1-0", namespace: `team-${i % namespaceCount}`, labels: { app: "app-5", version: i % 2 ? "v1" : "v2" } },
      spec: { containers: [{ name: "app" }, { name: "istio-proxy" }] },
    }),
  },
  {
    label: "incremental: one Service modified",
    object: (i) => ({ apiVersion: "v1", kind: "Service", metadata: { name: "app-7", namespace: `team-${i % namespaceCount}` }, spec: { selector: { app: "app-7" }, ports: [{ name: i % 2 ? "http" : "web", port: 8080 }] } }),
  },
];
for (const change of changes) {
  const samples: number[] = [];
  for (let i = 0; i < 40; i++) {
    const start = performance.now();
    index.apply({ type: "MODIFIED", object: change.object(i) });
    index.findings();
    samples.push(performance.now() - start);
  }
  report(change.label, samples);
}
