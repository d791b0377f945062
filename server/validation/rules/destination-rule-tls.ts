import type { ClientTls } from "@/lib/istio/destinationRule";
import { FindingSink, type Rule } from "../rule";

/**
 * With `SIMPLE` or `MUTUAL` TLS origination and no `caCertificates`, the sidecar does not verify
 * the server's certificate (https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings).
 * A `credentialName` supplies the CA only where it can be read: for a rule with a workloadSelector.
 */

function verifiesServer(tls: ClientTls, hasSelector: boolean): boolean {
  if (tls.mode !== "SIMPLE" && tls.mode !== "MUTUAL") return true;
  if (tls.insecureSkipVerify) return true;
  if (tls.caCertificates) return true;
  return Boolean(tls.credentialName) && hasSelector;
}

export const destinationRuleTlsRule: Rule = {
  id: "destination-rule-tls",
  description: "TLS origination verifies the server.",
  reads: ["DestinationRule"],
  codes: ["IST0128", "IST0129"],
  istioAnalyzers: ["destinationrule.CaCertificateAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    for (const rule of snapshot.list("DestinationRule")) {
      const hasSelector = rule.spec.workloadSelector !== undefined && Object.keys(rule.spec.workloadSelector.matchLabels).length > 0;
      const policy = rule.spec.trafficPolicy;
      if (!policy) continue;
      const host = rule.spec.host;
      if (policy.tls && !verifiesServer(policy.tls, hasSelector)) {
        sink.report("IST0128", rule, "spec.trafficPolicy.tls", `TLS mode ${policy.tls.mode} toward ${host} has no caCertificates: the server's identity is not verified.`);
      }
      policy.portLevelSettings.forEach((setting, i) => {
        if (setting.tls && !verifiesServer(setting.tls, hasSelector)) {
          sink.report(
            "IST0129",
            rule,
            `spec.trafficPolicy.portLevelSettings[${i}].tls`,
            `TLS mode ${setting.tls.mode} toward ${host} port ${setting.port.number ?? "?"} has no caCertificates: the server's identity is not verified.`,
          );
        }
      });
    }
    return sink.findings;
  },
};
