import { namespaceOfServiceHost, toFqdn } from "@/lib/istio/host";
import { FindingSink, type Rule } from "../rule";

/**
 * For a request from a client in namespace C to a service in namespace S, Istio takes the
 * DestinationRule from C, else from S, else from the root namespace
 * (https://istio.io/latest/docs/ops/best-practices/traffic-management/#cross-namespace-configuration).
 * So a rule for a Kubernetes Service placed in a third namespace X only affects clients running in
 * X. With no workload in X it is never applied; it most likely belongs in S (or the root namespace).
 * A rule whose exportTo hides it from its own namespace cannot serve X's clients either.
 */
export const destinationRulePlacementRule: Rule = {
  id: "destination-rule-placement",
  description: "DestinationRules live where clients look them up.",
  reads: ["DestinationRule", "Pod", "Deployment", "ReplicaSet", "WorkloadEntry", "ConfigMap"],
  codes: ["MC1004"],
  check(snapshot) {
    const sink = new FindingSink();
    const root = snapshot.settings.rootNamespace;
    for (const rule of snapshot.list("DestinationRule")) {
      const namespace = rule.ref.namespace;
      if (!namespace || namespace === root) continue;
      const serviceNamespace = namespaceOfServiceHost(toFqdn(rule.spec.host, namespace));
      if (serviceNamespace === undefined || serviceNamespace === namespace) continue;
      const exportTo = snapshot.destinationRuleExportTo(rule);
      const visibleAtHome = exportTo.includes("*") || exportTo.includes(".") || exportTo.includes(namespace);
      if (snapshot.workloadsIn(namespace).length > 0 && visibleAtHome) continue;
      sink.report(
        "MC1004",
        rule,
        "metadata.namespace",
        `This DestinationRule for ${rule.spec.host} (a service in namespace ${serviceNamespace}) lives in namespace ${namespace}, where ${visibleAtHome ? "no workload runs" : "its exportTo hides it"}; only clients in ${namespace} would use it, so it is never applied. Move it to ${serviceNamespace} or ${root}.`,
      );
    }
    return sink.findings;
  },
};
