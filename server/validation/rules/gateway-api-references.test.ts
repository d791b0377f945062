import { describe, expect, it } from "vitest";
import { describeRule, runRule } from "../test-support";
import { gatewayApiReferencesRule } from "./gateway-api-references";

const base = `
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { tier: front } }
---
apiVersion: v1
kind: Namespace
metadata: { name: payments }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ name: http, port: 8080 }] }
---
apiVersion: v1
kind: Service
metadata: { name: ledger, namespace: payments }
spec: { selector: { app: ledger }, ports: [{ name: http, port: 8080 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: edge, namespace: shop }
spec:
  gatewayClassName: istio
  listeners:
  - { name: http, port: 80, protocol: HTTP, hostname: shop.example.com }
`;

function route(spec: string, namespace = "shop", kind = "HTTPRoute"): string {
  return `${base}
---
apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata: { name: r, namespace: ${namespace} }
spec:
${spec}`;
}

const grant = `
---
apiVersion: gateway.networking.k8s.io/v1
kind: ReferenceGrant
metadata: { name: from-shop, namespace: payments }
spec:
  from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop }]
  to: [{ group: "", kind: Service }]
`;

describeRule(gatewayApiReferencesRule, [
  {
    name: "a route that attaches and resolves has no finding",
    yaml: route(`  parentRefs: [{ name: edge }]\n  hostnames: [shop.example.com]\n  rules: [{ backendRefs: [{ name: web, port: 8080 }] }]`),
    findings: [],
  },
  { name: "a parentRef to a missing Gateway", yaml: route(`  parentRefs: [{ name: nope }]`), findings: ["IST0101 HTTPRoute shop/r spec.parentRefs[0].name"] },
  { name: "a GAMMA parentRef to a missing Service", yaml: route(`  parentRefs: [{ group: "", kind: Service, name: gone }]`), findings: ["IST0101 HTTPRoute shop/r spec.parentRefs[0].name"] },
  { name: "a listener name the Gateway does not have", yaml: route(`  parentRefs: [{ name: edge, sectionName: https }]`), findings: ["MC1012 HTTPRoute shop/r spec.parentRefs[0].sectionName"] },
  { name: "a port no listener has", yaml: route(`  parentRefs: [{ name: edge, port: 443 }]`), findings: ["MC1012 HTTPRoute shop/r spec.parentRefs[0].port"] },
  { name: "hostnames no listener accepts", yaml: route(`  parentRefs: [{ name: edge }]\n  hostnames: [www.example.org]`), findings: ["MC1012 HTTPRoute shop/r spec.hostnames"] },
  { name: "a namespace the listener does not allow (From: Same by default)", yaml: route(`  parentRefs: [{ name: edge, namespace: shop }]`, "payments"), findings: ["MC1012 HTTPRoute payments/r spec.parentRefs[0]"] },
  { name: "a route kind the listener does not carry", yaml: route(`  parentRefs: [{ name: edge }]`, "shop", "TCPRoute"), findings: ["MC1012 TCPRoute shop/r spec.parentRefs[0]"] },
  { name: "an unsupported parent kind", yaml: route(`  parentRefs: [{ group: example.com, kind: Proxy, name: p }]`), findings: ["MC1011 HTTPRoute shop/r spec.parentRefs[0].kind"] },
  { name: "a backendRef to a missing Service", yaml: route(`  rules: [{ backendRefs: [{ name: web, port: 8080 }, { name: gone, port: 80 }] }]`), findings: ["IST0101 HTTPRoute shop/r spec.rules[0].backendRefs[1].name"] },
  { name: "a backend port the Service does not expose", yaml: route(`  rules: [{ backendRefs: [{ name: web, port: 9090 }] }]`), findings: ["MC1009 HTTPRoute shop/r spec.rules[0].backendRefs[0].port"] },
  {
    name: "a cross-namespace backendRef without a ReferenceGrant",
    yaml: route(`  rules: [{ backendRefs: [{ name: ledger, namespace: payments, port: 8080 }] }]`),
    findings: ["MC1010 HTTPRoute shop/r spec.rules[0].backendRefs[0].namespace"],
  },
  { name: "the same reference with a ReferenceGrant", yaml: route(`  rules: [{ backendRefs: [{ name: ledger, namespace: payments, port: 8080 }] }]`) + grant, findings: [] },
  { name: "an unsupported backend kind", yaml: route(`  rules: [{ backendRefs: [{ group: example.com, kind: Bucket, name: b }] }]`), findings: ["MC1011 HTTPRoute shop/r spec.rules[0].backendRefs[0].kind"] },
  {
    name: "a Gateway of another controller is not judged",
    yaml: route(`  parentRefs: [{ name: edge }]\n  hostnames: [www.example.org]`) + `
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: istio }
spec: { controllerName: example.com/other }
`,
    findings: [],
  },
]);

describe("gateway-api-references messages", () => {
  it("say what is missing and what istiod does about it, naming the objects", () => {
    const findings = runRule(gatewayApiReferencesRule, route(`  parentRefs: [{ name: edge }]\n  hostnames: [www.example.org]\n  rules: [{ backendRefs: [{ name: gone, port: 80 }, { name: ledger, namespace: payments, port: 8080 }] }]`));
    expect(findings.map((f) => f.message)).toEqual([
      'No listener of Gateway shop/edge accepts the route\'s hostnames: no hostnames matched parent hostname "shop.example.com" (NoMatchingListenerHostname).',
      'Referenced backend not found: "gone.shop.svc.cluster.local" (no Service "gone" in namespace "shop"; istiod reports BackendNotFound and requests routed to it fail with 500)',
      'Service payments/ledger is in another namespace and no ReferenceGrant in "payments" lets HTTPRoutes from "shop" refer to it, so istiod drops this backend (RefNotPermitted).',
    ]);
    expect(findings.map((f) => f.object)).toEqual(Array(3).fill({ kind: "HTTPRoute", namespace: "shop", name: "r" }));
  });
});
