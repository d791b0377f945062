import { describe, expect, it } from "vitest";
import { deploymentYaml as deployment, namespaceYaml, serviceYaml as service, waypointYaml as waypoint } from "../fixtures";
import { describeRule, runRule } from "../test-support";
import { ambientWaypointsRule } from "./ambient-waypoints";

const ambientNamespace = (name: string, extra = "") => namespaceYaml(name, `istio.io/dataplane-mode: ambient${extra}`);

describeRule(ambientWaypointsRule, [
  {
    name: "a Service naming a waypoint that does not exist, and one naming a Gateway that is not a waypoint",
    yaml:
      ambientNamespace("shop") +
      waypoint("ingress", "shop", undefined, "istio") +
      waypoint("waypoint", "shop") +
      service("cart", "shop", "istio.io/use-waypoint: waypoint") +
      service("orders", "shop", "istio.io/use-waypoint: missing") +
      service("ledger", "shop", "istio.io/use-waypoint: ingress") +
      service("opted-out", "shop", "istio.io/use-waypoint: none"),
    findings: ["MC1015 Service shop/ledger metadata.labels.istio.io/use-waypoint", "MC1015 Service shop/orders metadata.labels.istio.io/use-waypoint"],
  },
  {
    name: "a waypoint in another namespace: found only with use-waypoint-namespace",
    yaml:
      ambientNamespace("shop") +
      waypoint("shared", "istio-system", "all") +
      service("cart", "shop", "istio.io/use-waypoint: shared") +
      service("orders", "shop", "istio.io/use-waypoint: shared, istio.io/use-waypoint-namespace: istio-system") +
      service("ledger", "shop", "istio.io/use-waypoint: shared, istio.io/use-waypoint-namespace: finance"),
    findings: ["MC1015 Service shop/cart metadata.labels.istio.io/use-waypoint", "MC1015 Service shop/ledger metadata.labels.istio.io/use-waypoint-namespace"],
  },
  {
    name: "waypoint-for must cover what is enrolled: Services need service or all, pods workload or all",
    yaml:
      ambientNamespace("shop") +
      ["for-services", "for-workloads:workload", "for-all:all", "for-none:none", "for-typo:services"].map((spec) => waypoint(spec.split(":")[0]!, "shop", spec.split(":")[1])).join("") +
      service("svc-ok", "shop", "istio.io/use-waypoint: for-services") +
      service("svc-wrong", "shop", "istio.io/use-waypoint: for-workloads") +
      service("svc-typo", "shop", "istio.io/use-waypoint: for-typo") +
      deployment("pod-ok", "shop", "istio.io/use-waypoint: for-all") +
      deployment("pod-wrong", "shop", "istio.io/use-waypoint: for-services"),
    findings: [
      "MC1016 Deployment shop/pod-wrong spec.template.metadata.labels.istio.io/use-waypoint",
      "MC1016 Service shop/svc-typo metadata.labels.istio.io/use-waypoint",
      "MC1016 Service shop/svc-wrong metadata.labels.istio.io/use-waypoint",
    ],
  },
  {
    name: "a namespace's enrolment is judged once, on the namespace; a waypoint taking nothing is wrong there too",
    yaml:
      ambientNamespace("quiet", ", istio.io/use-waypoint: idle") +
      waypoint("idle", "quiet", "none") +
      service("inherits", "quiet") +
      ambientNamespace("gone", ", istio.io/use-waypoint: nowhere") +
      service("inherits", "gone"),
    findings: ["MC1015 Namespace gone metadata.labels.istio.io/use-waypoint", "MC1016 Namespace quiet metadata.labels.istio.io/use-waypoint"],
  },
]);

describe("waypoint messages", () => {
  it("name the namespace to add when the waypoint lives elsewhere", () => {
    const [finding] = runRule(ambientWaypointsRule, ambientNamespace("shop") + waypoint("shared", "mesh-infra") + service("cart", "shop", "istio.io/use-waypoint: shared"));
    expect(finding?.message).toContain("add istio.io/use-waypoint-namespace=mesh-infra");
    expect(finding?.message).toContain("waypoint mesh-infra/shared");
  });

  it("say what the waypoint takes and what to change", () => {
    const [finding] = runRule(ambientWaypointsRule, ambientNamespace("shop") + waypoint("wp", "shop", "workload") + service("cart", "shop", "istio.io/use-waypoint: wp"));
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toContain("istio.io/waypoint-for=workload takes only traffic addressed to pods directly");
    expect(finding?.message).toContain("set it to service or all on the waypoint");
  });
});
