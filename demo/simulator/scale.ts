/**
 * Generates a synthetic mesh of a given size, deterministically from a seed: the Kubernetes and
 * Istio objects to create, and the call-graph model that makes traffic flow through them.
 *
 * Shape: every namespace has `services` services, each with `versions` Deployments labelled
 * app/version of `replicas` pods each (a proxy's series are split across its pods, one scrape
 * target per pod, so replicas are what Istio's recording rules sum away), a DestinationRule with
 * one subset per version, and every tenth service a weighted VirtualService. Services are ranked (svc-000 of every namespace first, then
 * svc-001…) and each calls up to `fanout` services of higher rank — mostly in its own namespace —
 * so the graph has no cycles and shallow depth. The ingress gateway sends traffic to every
 * namespace's svc-000 through a Gateway and one gateway-bound VirtualService per namespace.
 * `edges` counts workload → service call edges, the gateway's included.
 */
import { z } from "zod";
import type { CallGraphModelInput } from "./call-graph";
import { createRandom } from "./random";

export const scaleSpecSchema = z.object({
  namespaces: z.number().int().min(1).max(500),
  services: z.number().int().min(1).max(500),
  versions: z.number().int().min(1).max(10),
  fanout: z.number().int().min(0).max(50),
  replicas: z.number().int().min(1).max(10),
});

export type ScaleSpec = z.infer<typeof scaleSpecSchema>;

/** Parses `namespaces=50,services=20,versions=1,fanout=5,replicas=1` (missing keys take these defaults). */
export function parseScaleSpec(text: string): ScaleSpec {
  const values: Record<string, number> = { namespaces: 50, services: 20, versions: 1, fanout: 5, replicas: 1 };
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [key, raw] = part.split("=");
    if (!key || raw === undefined || !(key in values)) {
      throw new Error(`--scale: expected key=value pairs with keys namespaces, services, versions, fanout, replicas; got "${part}"`);
    }
    const value = Number(raw);
    if (!Number.isInteger(value)) throw new Error(`--scale: ${key} must be an integer, got "${raw}"`);
    values[key] = value;
  }
  const parsed = scaleSpecSchema.safeParse(values);
  if (!parsed.success) {
    throw new Error(`--scale: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

/** A Kubernetes object to create, in the API's JSON shape. */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

export interface SyntheticMesh {
  objects: ManifestObject[];
  model: CallGraphModelInput;
  counts: { namespaces: number; services: number; workloads: number; edges: number; virtualServices: number };
}

const SCALE_PORT = 8080;
const SCALE_GATEWAY = "scale-gateway";

export function namespaceName(index: number): string {
  return `scale-${String(index).padStart(3, "0")}`;
}

export function serviceName(index: number): string {
  return `svc-${String(index).padStart(3, "0")}`;
}

/** Cross-namespace share of calls. */
const CROSS_NAMESPACE_SHARE = 0.2;

export function generateMesh(spec: ScaleSpec, seed: number): SyntheticMesh {
  const random = createRandom(seed);
  const objects: ManifestObject[] = [];
  const versions = Array.from({ length: spec.versions }, (_, i) => `v${i + 1}`);

  // rank → (namespace, service): svc-00 of every namespace first, then svc-01, …
  const ranked: Array<{ namespace: number; service: number }> = [];
  for (let s = 0; s < spec.services; s++) for (let n = 0; n < spec.namespaces; n++) ranked.push({ namespace: n, service: s });
  const rankOf = (namespace: number, service: number) => service * spec.namespaces + namespace;

  for (let n = 0; n < spec.namespaces; n++) {
    objects.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespaceName(n), labels: { "istio-injection": "enabled" } } });
  }
  // Edge traffic enters through the ingress gateway: a Gateway for the synthetic hosts and,
  // per namespace, a VirtualService bound to it that sends the entry host to svc-000.
  objects.push({
    apiVersion: "networking.istio.io/v1",
    kind: "Gateway",
    metadata: { name: SCALE_GATEWAY, namespace: "istio-system" },
    spec: {
      selector: { istio: "ingressgateway" },
      servers: [{ port: { number: 8080, name: "http-scale", protocol: "HTTP" }, hosts: ["*/*.svc.cluster.local"] }],
    },
  });

  const behaviours: CallGraphModelInput["behaviours"] = [];
  let edges = 0;
  let virtualServices = 0;
  for (const [rank, { namespace: n, service: s }] of ranked.entries()) {
    const namespace = namespaceName(n);
    const app = serviceName(s);
    objects.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: app, namespace, labels: { app } },
      spec: { selector: { app }, ports: [{ name: "http", port: SCALE_PORT, targetPort: SCALE_PORT }] },
    });
    for (const version of versions) {
      const labels = { app, version };
      objects.push({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: `${app}-${version}`, namespace, labels },
        spec: {
          replicas: spec.replicas,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { serviceAccountName: app, containers: [{ name: app, image: "mesh-console/synthetic:1", ports: [{ containerPort: SCALE_PORT }] }] },
          },
        },
      });
    }
    objects.push({
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: app, namespace },
      spec: { host: app, subsets: versions.map((version) => ({ name: version, labels: { version } })) },
    });
    if (s === 0) {
      virtualServices++;
      const host = `${app}.${namespace}.svc.cluster.local`;
      objects.push({
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: { name: `${app}-ingress`, namespace },
        spec: {
          hosts: [host],
          gateways: [`istio-system/${SCALE_GATEWAY}`],
          http: [{ match: [{ uri: { prefix: "/" } }], route: [{ destination: { host: app, port: { number: SCALE_PORT } } }] }],
        },
      });
    }
    if (s % 10 === 0) {
      virtualServices++;
      const weights = splitWeights(versions.length);
      objects.push({
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: { name: app, namespace },
        spec: {
          hosts: [app],
          http: [{ route: versions.map((subset, i) => ({ destination: { host: app, subset }, weight: weights[i] })) }],
        },
      });
    }

    // Targets: `fanout` distinct services of higher rank, preferring the same namespace.
    const sameNamespace = Array.from({ length: spec.services - s - 1 }, (_, i) => rankOf(n, s + 1 + i));
    const targets = new Set<number>();
    const laterRanks = ranked.length - rank - 1;
    const wanted = Math.min(spec.fanout, laterRanks);
    let guard = 0;
    while (targets.size < wanted && guard++ < wanted * 50) {
      const cross = sameNamespace.length === 0 || random.next() < CROSS_NAMESPACE_SHARE;
      const pool = cross ? null : sameNamespace;
      const target = pool ? pool[Math.floor(random.next() * pool.length)] : rank + 1 + Math.floor(random.next() * laterRanks);
      if (target !== undefined) targets.add(target);
    }
    edges += targets.size * spec.versions;
    const calls = [...targets].map((target) => {
      const peer = ranked[target] ?? { namespace: n, service: s };
      // One call per request spread over the fanout keeps the rate per hop roughly constant.
      return { service: serviceName(peer.service), namespace: namespaceName(peer.namespace), uri: "/", callsPerRequest: 1 / Math.max(1, wanted) };
    });
    const median = 2 + Math.floor(random.next() * 30);
    behaviours.push({
      namespace,
      app,
      latency: { medianMs: median, p99Ms: median * (3 + random.next() * 4) },
      errorRate: random.next() < 0.05 ? 0.01 + random.next() * 0.02 : 0,
      calls,
    });
  }
  // The gateway's edge to every namespace entry service.
  edges += spec.namespaces * spec.versions;

  return {
    objects,
    model: {
      name: `scale-${spec.namespaces}x${spec.services}x${spec.versions}`,
      entry: { targets: Array.from({ length: spec.namespaces }, (_, n) => ({ service: serviceName(0), namespace: namespaceName(n), uri: "/" })) },
      behaviours,
    },
    counts: {
      namespaces: spec.namespaces,
      services: spec.namespaces * spec.services,
      workloads: spec.namespaces * spec.services * spec.versions,
      edges,
      virtualServices,
    },
  };
}

/** Weights summing to 100: most traffic on v1, the rest shared by later versions. */
export function splitWeights(count: number): number[] {
  if (count === 1) return [100];
  const rest = Math.floor(20 / (count - 1));
  const weights = Array.from({ length: count }, (_, i) => (i === 0 ? 0 : rest));
  weights[0] = 100 - rest * (count - 1);
  return weights;
}
