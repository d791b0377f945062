/**
 * Starting points for a new Istio object, one per kind: the smallest object that does something,
 * with the fields people most often change, so Create never begins from a blank page.
 */
import { stringify } from "yaml";
import { MESH_ROOT_NAMESPACE } from "@/lib/istio/rootNamespace";
import { ISTIO_KINDS, type IstioKind } from "@/lib/istioKinds";

const SPECS: Record<IstioKind, (namespace: string) => Record<string, unknown>> = {
  VirtualService: () => ({ hosts: ["my-service"], http: [{ route: [{ destination: { host: "my-service", subset: "v1" }, weight: 100 }] }] }),
  DestinationRule: () => ({ host: "my-service", subsets: [{ name: "v1", labels: { version: "v1" } }] }),
  Gateway: () => ({ selector: { istio: "ingressgateway" }, servers: [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["*"] }] }),
  ServiceEntry: () => ({ hosts: ["api.example.com"], location: "MESH_EXTERNAL", ports: [{ number: 443, name: "https", protocol: "TLS" }], resolution: "DNS" }),
  Sidecar: (namespace) => ({ egress: [{ hosts: [`${namespace}/*`, `${MESH_ROOT_NAMESPACE}/*`] }] }),
  WorkloadEntry: () => ({ address: "10.0.0.10", labels: { app: "my-service" } }),
  PeerAuthentication: () => ({ mtls: { mode: "STRICT" } }),
  AuthorizationPolicy: (namespace) => ({ action: "ALLOW", rules: [{ from: [{ source: { principals: [`cluster.local/ns/${namespace}/sa/my-client`] } }] }] }),
  RequestAuthentication: () => ({ jwtRules: [{ issuer: "https://issuer.example.com", jwksUri: "https://issuer.example.com/.well-known/jwks.json" }] }),
};

const NAMES: Record<IstioKind, string> = {
  VirtualService: "my-service",
  DestinationRule: "my-service",
  Gateway: "my-gateway",
  ServiceEntry: "external-api",
  Sidecar: "default",
  WorkloadEntry: "my-vm",
  PeerAuthentication: "default",
  AuthorizationPolicy: "allow-my-client",
  RequestAuthentication: "jwt",
};

export function templateObject(kind: IstioKind, namespace: string): Record<string, unknown> {
  const info = ISTIO_KINDS.find((candidate) => candidate.kind === kind) ?? ISTIO_KINDS[0];
  return { apiVersion: `${info.group}/${info.version}`, kind, metadata: { name: NAMES[kind], namespace }, spec: SPECS[kind](namespace) };
}

export function templateYaml(kind: IstioKind, namespace: string): string {
  return stringify(templateObject(kind, namespace));
}
