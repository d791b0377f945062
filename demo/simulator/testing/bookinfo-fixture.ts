/**
 * A small Bookinfo mesh built in code for unit tests: the same shape the demo seeds into the
 * API server (bookinfo with reviews v1–v3, ratings → mongodb, istio-system with the gateway).
 */
import { buildMeshSnapshot, type MeshObjects, type MeshSnapshot } from "../mesh";
import {
  authorizationPolicySchema,
  deploymentSchema,
  destinationRuleSchema,
  namespaceSchema,
  peerAuthenticationSchema,
  serviceSchema,
  virtualServiceSchema,
  type AuthorizationPolicyObject,
  type DeploymentObject,
  type DestinationRuleObject,
  type PeerAuthenticationObject,
  type ServiceObject,
  type VirtualServiceObject,
} from "../mesh-schemas";

export function deployment(namespace: string, app: string, version: string | undefined, options: { replicas?: number; serviceAccount?: string; labels?: Record<string, string> } = {}): DeploymentObject {
  const labels: Record<string, string> = { app, ...(version ? { version } : {}), ...options.labels };
  return deploymentSchema.parse({
    metadata: { name: version ? `${app}-${version}` : app, namespace, labels },
    spec: {
      replicas: options.replicas ?? 1,
      template: { metadata: { labels }, spec: { serviceAccountName: options.serviceAccount ?? `bookinfo-${app}` } },
    },
  });
}

export function service(namespace: string, name: string, portName = "http", port = 9080): ServiceObject {
  return serviceSchema.parse({ metadata: { name, namespace }, spec: { selector: { app: name }, ports: [{ name: portName, port }] } });
}

export function virtualService(name: string, spec: unknown, namespace = "bookinfo", creationTimestamp = "2024-01-01T00:00:00Z"): VirtualServiceObject {
  return virtualServiceSchema.parse({ metadata: { name, namespace, creationTimestamp, resourceVersion: "1" }, spec });
}

export function destinationRule(name: string, spec: unknown, namespace = "bookinfo"): DestinationRuleObject {
  return destinationRuleSchema.parse({ metadata: { name, namespace, resourceVersion: "1" }, spec });
}

export function peerAuthentication(namespace: string, name: string, spec: unknown): PeerAuthenticationObject {
  return peerAuthenticationSchema.parse({ metadata: { name, namespace }, spec });
}

export function authorizationPolicy(namespace: string, name: string, spec: unknown): AuthorizationPolicyObject {
  return authorizationPolicySchema.parse({ metadata: { name, namespace }, spec });
}

/** DestinationRule `reviews` with subsets v1, v2, v3, as in Bookinfo's destination-rule-all. */
export function reviewsSubsets(trafficPolicy?: unknown): DestinationRuleObject {
  return destinationRule("reviews", {
    host: "reviews",
    ...(trafficPolicy ? { trafficPolicy } : {}),
    subsets: ["v1", "v2", "v3"].map((v) => ({ name: v, labels: { version: v } })),
  });
}

export function bookinfoObjects(): MeshObjects {
  const gateway = deploymentSchema.parse({
    metadata: { name: "istio-ingressgateway", namespace: "istio-system" },
    spec: {
      replicas: 1,
      template: {
        metadata: { labels: { app: "istio-ingressgateway", istio: "ingressgateway" } },
        spec: { serviceAccountName: "istio-ingressgateway-service-account" },
      },
    },
  });
  const gatewayService = serviceSchema.parse({
    metadata: { name: "istio-ingressgateway", namespace: "istio-system" },
    spec: { selector: { istio: "ingressgateway" }, ports: [{ name: "http2", port: 80 }] },
  });
  return {
    namespaces: [
      namespaceSchema.parse({ metadata: { name: "bookinfo", labels: { "istio-injection": "enabled" } } }),
      namespaceSchema.parse({ metadata: { name: "istio-system" } }),
    ],
    services: [
      service("bookinfo", "productpage"),
      service("bookinfo", "details"),
      service("bookinfo", "reviews"),
      service("bookinfo", "ratings"),
      service("bookinfo", "mongodb", "mongo", 27017),
      gatewayService,
    ],
    deployments: [
      gateway,
      deployment("bookinfo", "productpage", "v1"),
      deployment("bookinfo", "details", "v1"),
      deployment("bookinfo", "reviews", "v1"),
      deployment("bookinfo", "reviews", "v2"),
      deployment("bookinfo", "reviews", "v3"),
      deployment("bookinfo", "ratings", "v1"),
      deployment("bookinfo", "mongodb", "v1"),
    ],
    virtualServices: [],
    destinationRules: [],
    peerAuthentications: [],
    authorizationPolicies: [],
  };
}

export function bookinfoSnapshot(extra: Partial<MeshObjects> = {}): MeshSnapshot {
  const base = bookinfoObjects();
  return buildMeshSnapshot({
    namespaces: [...base.namespaces, ...(extra.namespaces ?? [])],
    services: [...base.services, ...(extra.services ?? [])],
    deployments: [...base.deployments, ...(extra.deployments ?? [])],
    virtualServices: extra.virtualServices ?? [],
    destinationRules: extra.destinationRules ?? [],
    peerAuthentications: extra.peerAuthentications ?? [],
    authorizationPolicies: extra.authorizationPolicies ?? [],
  });
}
