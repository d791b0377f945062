import { describe, expect, it } from "vitest";
import { authorizationPolicyYaml, deploymentYaml, namespaceYaml, serviceYaml, waypointYaml } from "../fixtures";
import { describeRule, runRule } from "../test-support";
import { ambientL7PoliciesRule } from "./ambient-l7-policies";

/**
 * Namespace `shop` is ambient with a waypoint for services: `cart` is enrolled, `ledger` is not.
 * Namespace `legacy` runs sidecars.
 */
const mesh =
  namespaceYaml("shop", "istio.io/dataplane-mode: ambient") +
  namespaceYaml("legacy", "istio-injection: enabled") +
  waypointYaml("waypoint", "shop", "service") +
  serviceYaml("cart", "shop", "istio.io/use-waypoint: waypoint") +
  serviceYaml("ledger", "shop") +
  deploymentYaml("cart-v1", "shop", "version: v1", { app: "cart" }) +
  deploymentYaml("ledger-v1", "shop", "version: v1", { app: "ledger" }) +
  serviceYaml("billing", "legacy") +
  deploymentYaml("billing", "legacy");

/** `attach`: the selector or targetRefs line; `rules`: the rules as a flow sequence. */
function authorizationPolicy(name: string, namespace: string, attach: string, rules: string): string {
  return authorizationPolicyYaml(name, namespace, `  ${attach}\n  rules: ${rules}`);
}

describeRule(ambientL7PoliciesRule, [
  {
    name: "L7 AuthorizationPolicies by selector: no waypoint (MC1017), behind a waypoint (MC1018); L4-only and sidecar ones pass",
    yaml:
      mesh +
      authorizationPolicy("ledger-get-only", "shop", "selector: { matchLabels: { app: ledger } }", '[{ to: [{ operation: { methods: ["GET"] } }] }]') +
      authorizationPolicy("ledger-jwt", "shop", "selector: { matchLabels: { app: ledger } }", '[{ from: [{ source: { requestPrincipals: ["*"] } }] }]') +
      authorizationPolicy("ledger-header", "shop", "selector: { matchLabels: { app: ledger } }", '[{ when: [{ key: "request.headers[x-user]", values: ["a"] }] }]') +
      authorizationPolicy("cart-paths", "shop", "selector: { matchLabels: { app: cart } }", '[{ to: [{ operation: { paths: ["/api/*"] } }] }]') +
      authorizationPolicy("ledger-l4", "shop", "selector: { matchLabels: { app: ledger } }", '[{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/web"] } }], to: [{ operation: { ports: ["8080"] } }], when: [{ key: "source.ip", values: ["10.0.0.0/8"] }] }]') +
      authorizationPolicy("billing-get", "legacy", "selector: { matchLabels: { app: billing } }", '[{ to: [{ operation: { methods: ["GET"] } }] }]'),
    findings: [
      "MC1018 AuthorizationPolicy shop/cart-paths spec.selector",
      "MC1017 AuthorizationPolicy shop/ledger-get-only spec.rules[0].to[0].operation.methods",
      "MC1017 AuthorizationPolicy shop/ledger-header spec.rules[0].when[0].key",
      "MC1017 AuthorizationPolicy shop/ledger-jwt spec.rules[0].from[0].source.requestPrincipals",
    ],
  },
  {
    name: "policies attached with targetRefs: to a Service with a waypoint pass, to one without are enforced nowhere",
    yaml:
      mesh +
      authorizationPolicy("cart-ref", "shop", "targetRefs: [{ kind: Service, group: '', name: cart }]", '[{ to: [{ operation: { methods: ["GET"] } }] }]') +
      authorizationPolicy("waypoint-ref", "shop", "targetRefs: [{ kind: Gateway, group: gateway.networking.k8s.io, name: waypoint }]", '[{ to: [{ operation: { methods: ["GET"] } }] }]') +
      authorizationPolicy("ledger-ref", "shop", "targetRefs: [{ kind: Service, group: '', name: ledger }]", '[{ from: [{ source: { namespaces: ["shop"] } }] }]'),
    findings: ["MC1017 AuthorizationPolicy shop/ledger-ref spec.targetRefs[0]"],
  },
  {
    name: "RequestAuthentication and WasmPlugin are L7 as a whole; namespace-wide ones reach every ambient pod",
    yaml:
      mesh +
      `
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt, namespace: shop }
spec: { selector: { matchLabels: { app: ledger } }, jwtRules: [{ issuer: "https://issuer.example.com" }] }
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt-cart, namespace: shop }
spec: { targetRefs: [{ kind: Service, group: "", name: cart }], jwtRules: [{ issuer: "https://issuer.example.com" }] }
---
apiVersion: extensions.istio.io/v1alpha1
kind: WasmPlugin
metadata: { name: everywhere, namespace: shop }
spec: { url: oci://example.com/filter:1 }
`,
    findings: ["MC1017 RequestAuthentication shop/jwt spec.selector", "MC1017 WasmPlugin shop/everywhere spec", "MC1018 WasmPlugin shop/everywhere spec"],
  },
  {
    name: "VirtualService HTTP routing and DestinationRule HTTP traffic policy for an ambient Service without a waypoint",
    yaml:
      mesh +
      `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ledger, namespace: shop }
spec: { hosts: [ledger], http: [{ retries: { attempts: 3 }, route: [{ destination: { host: ledger } }] }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: cart, namespace: shop }
spec: { hosts: [cart], http: [{ route: [{ destination: { host: cart } }] }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ledger-tcp, namespace: shop }
spec: { hosts: [ledger.shop.svc.cluster.local], tcp: [{ route: [{ destination: { host: ledger } }] }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: billing, namespace: legacy }
spec: { hosts: [billing], http: [{ route: [{ destination: { host: billing } }] }] }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ledger, namespace: shop }
spec: { host: ledger, trafficPolicy: { tls: { mode: ISTIO_MUTUAL }, outlierDetection: { consecutive5xxErrors: 5 } } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ledger-l4, namespace: shop }
spec: { host: ledger.shop.svc.cluster.local, trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: cart, namespace: shop }
spec: { host: cart, trafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: 10 } } } }
`,
    findings: ["MC1017 DestinationRule shop/ledger spec.trafficPolicy.outlierDetection", "MC1017 VirtualService shop/ledger spec.hosts[0]"],
  },
]);

describe("ambient L7 messages", () => {
  it("name what ztunnel cannot check and the waypoint to attach to", () => {
    const findings = runRule(
      ambientL7PoliciesRule,
      mesh +
        authorizationPolicy("ledger-get-only", "shop", "selector: { matchLabels: { app: ledger } }", '[{ to: [{ operation: { methods: ["GET"] } }] }]') +
        authorizationPolicy("cart-paths", "shop", "selector: { matchLabels: { app: cart } }", '[{ to: [{ operation: { paths: ["/api/*"] } }] }]'),
    );
    const noWaypoint = findings.find((finding) => finding.code === "MC1017");
    expect(noWaypoint?.message).toContain("ambient workload shop/ledger-v1, which no waypoint serves");
    expect(noWaypoint?.message).toContain("cannot apply HTTP methods (methods)");
    const bySelector = findings.find((finding) => finding.code === "MC1018");
    expect(bySelector?.message).toContain("waypoint shop/waypoint");
    expect(bySelector?.message).toContain("targetRefs to Service shop/cart");
  });
});
