import { describe, expect, it } from "vitest";
import { ISTIO_KINDS } from "@/lib/istioKinds";
import { checkEditedObject, parseEditedYaml } from "./writes";
import { templateYaml } from "@/components/config/templates";

describe("create templates", () => {
  it.each(ISTIO_KINDS.map((info) => info.kind))("the %s template is accepted by the console's own checks as written", (kind) => {
    const object = parseEditedYaml(templateYaml(kind, "mesh-lab"));
    expect(() => checkEditedObject(object, { kind, namespace: "mesh-lab" })).not.toThrow();
    expect(object.metadata.namespace).toBe("mesh-lab");
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
});
