import { formatSelector, selectorMatches } from "../labels";
import { toFqdn } from "@/lib/istio/host";
import { FindingSink, type Rule } from "../rule";

/**
 * A DestinationRule's host should be a Service or ServiceEntry the mesh knows, and each subset
 * should select some pod of that Service, or traffic to it fails with 503 UH (no healthy upstream)
 * (https://istio.io/latest/docs/reference/config/networking/destination-rule/#Subset). Pods carry
 * their node's topology labels for this purpose.
 */
function never(): never {
  throw new Error("a listed pod is missing from the snapshot");
}

export const destinationRuleHostsRule: Rule = {
  id: "destination-rule-hosts",
  description: "DestinationRules name known hosts and subsets that select pods.",
  reads: ["DestinationRule", "Service", "ServiceEntry", "Pod", "Deployment", "ReplicaSet", "WorkloadEntry", "Node", "ConfigMap"],
  codes: ["IST0173", "IST0174"],
  istioAnalyzers: ["destinationrule.PodNotSelectedAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    for (const rule of snapshot.list("DestinationRule")) {
      const fqdn = toFqdn(rule.spec.host, rule.ref.namespace);
      if (fqdn.startsWith("*")) continue;
      const services = snapshot.servicesByFqdn(fqdn);
      if (services.length === 0) {
        if (snapshot.visibleServiceEntries(fqdn, rule.ref.namespace).length === 0) {
          sink.report("IST0174", rule, "spec.host", `Host "${rule.spec.host}" matches no Service or ServiceEntry in the mesh.`);
        }
        continue;
      }
      // Pods carry node topology labels; controller templates stand in for pods not (yet) listed.
      const labelled = services.flatMap((service) => {
        const selector = service.spec.selector;
        if (Object.keys(selector).length === 0) return [];
        return snapshot
          .workloadsIn(service.ref.namespace)
          .filter((workload) => workload.kind !== "WorkloadEntry" && selectorMatches(selector, workload.labels))
          .map((workload) => (workload.kind === "Pod" ? snapshot.podLabelsWithTopology(snapshot.find("Pod", workload.namespace, workload.ref.name) ?? never()) : workload.labels));
      });
      rule.spec.subsets.forEach((subset, i) => {
        if (Object.keys(subset.labels).length === 0) return;
        if (labelled.some((labels) => selectorMatches(subset.labels, labels))) return;
        sink.report(
          "IST0173",
          rule,
          `spec.subsets[${i}].labels`,
          `Subset "${subset.name}" (${formatSelector(subset.labels)}) selects no pod of ${rule.spec.host}; requests routed to it fail with 503 (no healthy upstream).`,
        );
      });
    }
    return sink.findings;
  },
};
