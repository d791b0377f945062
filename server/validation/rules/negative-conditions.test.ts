import { describe, expect, it } from "vitest";
import { describeRule, runRule } from "../test-support";
import { negativeConditionsRule } from "./negative-conditions";

const route = (conditions: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r, namespace: shop }
spec: { parentRefs: [{ name: edge }] }
status:
  parents:
  - parentRef: { name: edge }
    controllerName: istio.io/gateway-controller
    conditions:
${conditions}`;

const accepted = `    - { type: Accepted, status: "True", reason: Accepted, message: Route was valid }`;
const unresolved = `    - { type: ResolvedRefs, status: "False", reason: BackendNotFound, message: "backend(gone.shop.svc.cluster.local) not found" }`;

describeRule(negativeConditionsRule, [
  { name: "a route istiod accepted and resolved", yaml: route(`${accepted}\n    - { type: ResolvedRefs, status: "True", reason: ResolvedRefs, message: All references resolved }`), findings: [] },
  { name: "a route with unresolved references, at the condition", yaml: route(`${accepted}\n${unresolved}`), findings: ["IST0171 HTTPRoute shop/r status.parents[0].conditions[1]"] },
  {
    name: "a Gateway that is not programmed",
    yaml: `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: edge, namespace: shop }
spec: { gatewayClassName: istio, listeners: [{ name: http, port: 80, protocol: HTTP }] }
status:
  conditions:
  - { type: Accepted, status: "True", reason: Accepted, message: Resource accepted }
  - { type: Programmed, status: "False", reason: AddressNotAssigned, message: no address }
`,
    findings: ["IST0171 Gateway shop/edge status.conditions[1]"],
  },
  {
    name: "conditions of other tools on a Service are not Istio's to judge",
    yaml: `
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { ports: [{ name: http, port: 80 }] }
status:
  conditions:
  - { type: argocd.argoproj.io/Synced, status: "False", reason: OutOfSync, message: out of sync }
`,
    findings: [],
  },
]);

describe("negative-conditions messages", () => {
  it("repeat the condition's type, reason and message as istioctl does", () => {
    const [finding] = runRule(negativeConditionsRule, route(unresolved));
    expect(finding?.message).toBe("A condition with a negative status is present: type=ResolvedRefs, reason=BackendNotFound, message=backend(gone.shop.svc.cluster.local) not found.");
  });
});
