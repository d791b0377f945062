import { toFqdn } from "@/lib/istio/host";
import type { DestinationRuleObject } from "../objects";
import { FindingSink, type Rule } from "../rule";

/**
 * DestinationRules for one host in one namespace are merged: subsets are combined, the first one
 * defining a subset name wins, and only one traffic policy is kept
 * (https://istio.io/latest/docs/ops/best-practices/traffic-management/#split-destination-rules).
 * A second definition is silently ignored.
 */
export const destinationRuleOverlapRule: Rule = {
  id: "destination-rule-overlap",
  description: "DestinationRules for one host do not define the same subset or policy twice.",
  reads: ["DestinationRule"],
  codes: ["MC1002", "MC1003"],
  check(snapshot) {
    const sink = new FindingSink();
    const groups = new Map<string, DestinationRuleObject[]>();
    for (const rule of snapshot.list("DestinationRule")) {
      if (rule.spec.workloadSelector && Object.keys(rule.spec.workloadSelector.matchLabels).length > 0) continue;
      const key = `${rule.ref.namespace} ${toFqdn(rule.spec.host, rule.ref.namespace)}`;
      groups.set(key, [...(groups.get(key) ?? []), rule]);
    }
    for (const rules of groups.values()) {
      if (rules.length < 2) continue;
      const others = (self: DestinationRuleObject, pick: (rule: DestinationRuleObject) => boolean) =>
        rules
          .filter((rule) => rule !== self && pick(rule))
          .map((rule) => rule.ref.name)
          .sort();
      for (const rule of rules) {
        rule.spec.subsets.forEach((subset, i) => {
          const rivals = others(rule, (other) => other.spec.subsets.some((s) => s.name === subset.name));
          if (rivals.length > 0) {
            sink.report("MC1002", rule, `spec.subsets[${i}].name`, `Subset "${subset.name}" of host ${rule.spec.host} is also defined by DestinationRule ${rivals.join(", ")}; only one definition is used.`);
          }
        });
        if (rule.spec.trafficPolicy) {
          const rivals = others(rule, (other) => other.spec.trafficPolicy !== undefined);
          if (rivals.length > 0) {
            sink.report("MC1003", rule, "spec.trafficPolicy", `DestinationRule ${rivals.join(", ")} also sets a traffic policy for host ${rule.spec.host}; only one of them applies.`);
          }
        }
      }
    }
    return sink.findings;
  },
};
