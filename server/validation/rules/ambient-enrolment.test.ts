import { describe, expect, it } from "vitest";
import { deploymentYaml as deployment, namespaceYaml as namespace, serviceYaml as service, waypointYaml as gateway } from "../fixtures";
import { describeRule, runRule } from "../test-support";
import { ambientEnrolmentRule } from "./ambient-enrolment";

const ambient = '"istio.io/dataplane-mode": ambient';
const injected = '"istio-injection": enabled';

describeRule(ambientEnrolmentRule, [
  {
    name: "a pod asking for a sidecar in an ambient namespace, and an ambient pod in an injected namespace",
    yaml:
      namespace("amb", ambient) +
      namespace("inj", injected) +
      deployment("both-label", "amb", '"sidecar.istio.io/inject": "true"') +
      deployment("both-annotation", "amb", "", { annotations: '"sidecar.istio.io/inject": "true"' }) +
      deployment("opted-in", "inj", ambient) +
      deployment("plain", "amb") +
      deployment("opted-out", "amb", '"sidecar.istio.io/inject": "true", "istio.io/dataplane-mode": none'),
    findings: [
      "MC1013 Deployment amb/both-annotation spec.template.metadata.annotations.sidecar.istio.io/inject",
      "MC1013 Deployment amb/both-label spec.template.metadata.labels.sidecar.istio.io/inject",
      "MC1013 Deployment inj/opted-in spec.template.metadata.labels.istio.io/dataplane-mode",
    ],
  },
  {
    name: "a pod already carrying istio-proxy in an ambient namespace; both labels on the namespace alone are IST0123's",
    yaml:
      namespace("amb", ambient) +
      namespace("both", `${ambient}, ${injected}`) +
      `
---
apiVersion: v1
kind: Pod
metadata: { name: injected, namespace: amb, labels: { app: injected } }
spec: { containers: [{ name: app }, { name: istio-proxy }] }
` +
      deployment("inherits-both", "both"),
    findings: ["MC1013 Pod amb/injected spec.containers"],
  },
  {
    name: "use-waypoint where ambient does not read it: a plain namespace, a sidecar workload, a Service without ambient pods",
    yaml:
      namespace("plain", '"istio.io/use-waypoint": waypoint') +
      namespace("inj", injected) +
      namespace("amb", `${ambient}, "istio.io/use-waypoint": waypoint`) +
      deployment("sidecar-app", "inj", '"istio.io/use-waypoint": waypoint') +
      deployment("legacy", "plain") +
      service("legacy", "plain", '"istio.io/use-waypoint": waypoint') +
      deployment("ambient-app", "amb", '"istio.io/use-waypoint": waypoint') +
      service("ambient-app", "amb", '"istio.io/use-waypoint": waypoint') +
      deployment("skipped", "inj", '"istio.io/use-waypoint": none'),
    findings: [
      "MC1014 Namespace plain metadata.labels.istio.io/use-waypoint",
      "MC1014 Deployment inj/sidecar-app spec.template.metadata.labels.istio.io/use-waypoint",
      "MC1014 Service plain/legacy metadata.labels.istio.io/use-waypoint",
    ],
  },
  {
    name: "a namespace's use-waypoint counts when one of its pods opts into ambient on its own",
    yaml: namespace("mixed", '"istio.io/use-waypoint": waypoint') + deployment("captured", "mixed", ambient),
    findings: [],
  },
  {
    name: "waypoint-for anywhere but a waypoint Gateway",
    yaml:
      namespace("amb", `${ambient}, "istio.io/waypoint-for": service`) +
      service("cart", "amb", '"istio.io/waypoint-for": service') +
      gateway("ingress", "amb", "all", "istio") +
      gateway("waypoint", "amb", "all") +
      service("waypoint", "amb", '"istio.io/waypoint-for": all, "gateway.networking.k8s.io/gateway-name": waypoint', "gateway.networking.k8s.io/gateway-name: waypoint"),
    findings: [
      "MC1014 Namespace amb metadata.labels.istio.io/waypoint-for",
      "MC1014 Gateway amb/ingress metadata.labels.istio.io/waypoint-for",
      "MC1014 Service amb/cart metadata.labels.istio.io/waypoint-for",
    ],
  },
]);

describe("ambient enrolment messages", () => {
  it("say which label asks for the sidecar and which for ambient, and how to keep one", () => {
    const [finding] = runRule(ambientEnrolmentRule, namespace("amb", ambient) + deployment("both", "amb", '"sidecar.istio.io/inject": "true"'));
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toContain('sidecar.istio.io/inject: "true" on the pods');
    expect(finding?.message).toContain("namespace amb's istio.io/dataplane-mode=ambient");
    expect(finding?.message).toContain("ztunnel does not capture them");
  });

  it("say why a waypoint label on opted-out pods does nothing", () => {
    const [finding] = runRule(ambientEnrolmentRule, namespace("amb", ambient) + deployment("archive", "amb", '"istio.io/dataplane-mode": none, "istio.io/use-waypoint": wp'));
    expect(finding?.message).toContain("istio.io/dataplane-mode=none opts them out of ambient");
  });
});
