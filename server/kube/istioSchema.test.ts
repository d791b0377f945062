import { describe, expect, it } from "vitest";
import { ISTIO_KINDS } from "@/lib/istioKinds";
import { checkEditedObject, parseEditedYaml } from "./writes";
import { templateYaml } from "@/components/config/templates";

describe("create templates", () => {
  it.each(ISTIO_KINDS.filter((info) => info.namespaced).map((info) => info.kind))("the %s template is accepted by the console's own checks as written", (kind) => {
    const object = parseEditedYaml(templateYaml(kind, "mesh-lab"));
    expect(() => checkEditedObject(object, { kind, namespace: "mesh-lab" })).not.toThrow();
    expect(object.metadata.namespace).toBe("mesh-lab");
  });

  it("the GatewayClass template is cluster-scoped: no namespace, and one is refused", () => {
    const object = parseEditedYaml(templateYaml("GatewayClass", "mesh-lab"));
    expect(() => checkEditedObject(object, { kind: "GatewayClass", namespace: "" })).not.toThrow();
    expect(object.metadata.namespace).toBeUndefined();
    const placed = parseEditedYaml(templateYaml("GatewayClass", "mesh-lab").replace("metadata:", "metadata:\n  namespace: mesh-lab"));
    expect(() => checkEditedObject(placed, { kind: "GatewayClass", namespace: "" })).toThrow(/cluster-scoped/);
  });

  it("the Gateway API's Gateway is edited under its own key and kind, never Istio's", () => {
    const object = parseEditedYaml(templateYaml("K8sGateway", "storefront"));
    expect(object.kind).toBe("Gateway");
    expect(object.apiVersion).toBe("gateway.networking.k8s.io/v1");
    expect(() => checkEditedObject(object, { kind: "Gateway", namespace: "storefront" })).toThrow(/apiVersion: must be networking.istio.io\/v1/);
    // GRPCRoute was never served at v1beta1.
    const grpc = parseEditedYaml(templateYaml("GRPCRoute", "storefront").replace("gateway.networking.k8s.io/v1", "gateway.networking.k8s.io/v1beta1"));
    expect(() => checkEditedObject(grpc, { kind: "GRPCRoute", namespace: "storefront" })).toThrow(/must be gateway.networking.k8s.io\/v1;/);
  });
});

describe("the Istio schema check", () => {
  it("names each field that does not fit, once", async () => {
    const { checkIstioSchema } = await import("./istioSchema");
    const problems = checkIstioSchema("VirtualService", {
      spec: { hosts: ["catalog"], http: [{ route: [{ destination: { host: "catalog" }, weight: "90" }] }] },
    });
    expect(problems).toContainEqual({ field: "spec.http[0].route[0].weight", message: "must be of type integer" });
    const modes = checkIstioSchema("PeerAuthentication", { spec: { mtls: { mode: "SOMETIMES" } } });
    expect(modes).toHaveLength(1);
    expect(modes[0]?.field).toBe("spec.mtls.mode");
    expect(modes[0]?.message).toContain('"STRICT"');
    expect(new Set(problems.map((problem) => `${problem.field} ${problem.message}`)).size).toBe(problems.length);
  });

  it("checks Gateway API objects with the Gateway API's schema", async () => {
    const { checkIstioSchema } = await import("./istioSchema");
    const route = { spec: { parentRefs: [{ group: "", kind: "Service", name: "catalog", port: 8080 }], rules: [{ backendRefs: [{ name: "catalog-v1", port: 8080, weight: "80" }] }] } };
    expect(checkIstioSchema("HTTPRoute", route)).toContainEqual({ field: "spec.rules[0].backendRefs[0].weight", message: "must be of type integer" });
    expect(checkIstioSchema("K8sGateway", { spec: { gatewayClassName: "istio", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] } })).toEqual([]);
    expect(checkIstioSchema("K8sGateway", { spec: { listeners: [{ name: "http", port: 80, protocol: "HTTP" }] } })).toContainEqual({ field: "spec.gatewayClassName", message: "Required value" });
  });
});
