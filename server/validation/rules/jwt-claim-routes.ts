import { gatewayRefs } from "@/lib/istio/virtualService";
import { selectorMatches, formatSelector } from "../labels";
import { mention, message } from "../mentions";
import { FindingSink, type Rule } from "../rule";
import type { MeshSnapshot, Workload } from "../snapshot";

/**
 * Routing on `@request.auth.claims.*` headers only works where a RequestAuthentication has
 * validated the JWT: on the gateway pods that receive the request
 * (https://istio.io/latest/docs/tasks/security/authentication/jwt-route/).
 */

const claimPrefix = "@request.auth.claims";

function requestAuthenticationApplies(snapshot: MeshSnapshot, pod: Workload): boolean {
  const root = snapshot.settings.rootNamespace;
  const candidates = [...snapshot.inNamespace("RequestAuthentication", pod.namespace), ...(pod.namespace === root ? [] : snapshot.inNamespace("RequestAuthentication", root))];
  return candidates.some((policy) => !policy.spec.selector || selectorMatches(policy.spec.selector.matchLabels, pod.labels));
}

export const jwtClaimRoutesRule: Rule = {
  id: "jwt-claim-routes",
  description: "JWT claim routing has a RequestAuthentication on the gateway.",
  reads: ["VirtualService", "Gateway", "Pod", "RequestAuthentication", "ConfigMap"],
  codes: ["IST0149"],
  istioAnalyzers: ["virtualservice.JWTClaimRouteAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    for (const vs of snapshot.list("VirtualService")) {
      const gateways = gatewayRefs(vs.spec.gateways, vs.ref.namespace)
        .map((ref) => snapshot.find("Gateway", ref.namespace, ref.name))
        .filter((gateway) => gateway !== undefined);
      if (gateways.length === 0) continue;
      vs.spec.http.forEach((route, i) => {
        route.match.forEach((match, j) => {
          const claimKey = Object.keys(match.headers).find((key) => key.startsWith(claimPrefix));
          if (!claimKey) return;
          for (const gateway of gateways) {
            const pods = snapshot.selectWorkloads(gateway.spec.selector, undefined).filter((w) => w.kind === "Pod");
            const unprotected = pods.find((pod) => !requestAuthenticationApplies(snapshot, pod));
            if (!unprotected) continue;
            sink.report(
              "IST0149",
              vs,
              `spec.http[${i}].match[${j}].headers`,
              message`Routing on JWT claim "${claimKey}" needs a RequestAuthentication for ${mention("gateway", [gateway.ref])} (pods ${formatSelector(gateway.spec.selector)}, e.g. ${mention("pod", [unprotected.ref])}); none applies, so the claim is never set.`,
            );
          }
        });
      });
    }
    return sink.findings;
  },
};
