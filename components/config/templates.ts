/**
 * Starting points for a new Istio object, one per kind: the smallest object that does something,
 * with the fields people most often change, so Create never begins from a blank page.
 *
 * The Gateway API routes follow Istio's canary convention for versions: one Service per version
 * (`my-service-v1`, `my-service-v2`, each selecting `app=my-service,version=vN`) as weighted
 * backendRefs, next to the Service `my-service` that selects every version and is the GAMMA parent.
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
  GatewayClass: () => ({ controllerName: "istio.io/gateway-controller" }),
  K8sGateway: () => ({ gatewayClassName: "istio", listeners: [{ name: "http", port: 80, protocol: "HTTP", hostname: "my-service.example.com", allowedRoutes: { namespaces: { from: "Same" } } }] }),
  HTTPRoute: () => ({
    parentRefs: [{ group: "", kind: "Service", name: "my-service", port: 8080 }],
    rules: [{ backendRefs: [{ name: "my-service-v1", port: 8080, weight: 90 }, { name: "my-service-v2", port: 8080, weight: 10 }] }],
  }),
  GRPCRoute: () => ({
    parentRefs: [{ group: "", kind: "Service", name: "my-grpc-service", port: 9090 }],
    rules: [{ backendRefs: [{ name: "my-grpc-service-v1", port: 9090, weight: 90 }, { name: "my-grpc-service-v2", port: 9090, weight: 10 }] }],
  }),
  ReferenceGrant: () => ({ from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "my-ingress" }], to: [{ group: "", kind: "Service" }] }),
  TLSRoute: () => ({ parentRefs: [{ name: "my-gateway", sectionName: "tls" }], hostnames: ["my-service.example.com"], rules: [{ backendRefs: [{ name: "my-service", port: 443 }] }] }),
  TCPRoute: () => ({ parentRefs: [{ name: "my-gateway", sectionName: "tcp" }], rules: [{ backendRefs: [{ name: "my-service", port: 5432 }] }] }),
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
  GatewayClass: "my-gateway-class",
  K8sGateway: "my-gateway",
  HTTPRoute: "my-service",
  GRPCRoute: "my-grpc-service",
  ReferenceGrant: "allow-routes-from-my-ingress",
  TLSRoute: "my-service",
  TCPRoute: "my-service",
};

export function templateObject(kind: IstioKind, namespace: string): Record<string, unknown> {
  const info = ISTIO_KINDS.find((candidate) => candidate.kind === kind) ?? ISTIO_KINDS[0];
  const metadata = info.namespaced ? { name: NAMES[kind], namespace } : { name: NAMES[kind] };
  return { apiVersion: `${info.group}/${info.version}`, kind: info.apiKind, metadata, spec: SPECS[kind](namespace) };
}

export function templateYaml(kind: IstioKind, namespace: string): string {
  return stringify(templateObject(kind, namespace));
}
