import { toFqdn } from "@/lib/istio/host";
import { destinationUses } from "@/lib/istio/virtualService";
import { FindingSink, type Rule } from "../rule";

/**
 * A destination subset must be defined by a DestinationRule for that host that the VirtualService's
 * namespace can see; otherwise Envoy has no cluster for it and requests fail with 503
 * (https://istio.io/latest/docs/reference/config/networking/destination-rule/#Subset).
 */
export const virtualServiceSubsetsRule: Rule = {
  id: "virtual-service-subsets",
  description: "Route destinations name subsets some DestinationRule defines.",
  reads: ["VirtualService", "DestinationRule", "ConfigMap"],
  codes: ["IST0101"],
  istioAnalyzers: ["virtualservice.DestinationRuleAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    for (const vs of snapshot.list("VirtualService")) {
      for (const use of destinationUses(vs.spec)) {
        const subset = use.destination?.subset;
        const host = use.destination?.host;
        if (!subset || !host) continue;
        const fqdn = toFqdn(host, vs.ref.namespace);
        const rules = snapshot.visibleDestinationRules(fqdn, vs.ref.namespace);
        if (rules.some((rule) => rule.spec.subsets.some((s) => s.name === subset))) continue;
        sink.report("IST0101", vs, `${use.path}.subset`, `Referenced subset not found: "${subset}"`);
      }
    }
    return sink.findings;
  },
};
