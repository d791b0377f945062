import { formatSelector, isEmptySelector, selectorMatches } from "../labels";
import { FindingSink, type Rule } from "../rule";

/**
 * A Gateway configures the proxies its selector picks (in any namespace, by default). With no such
 * workload it configures nothing; and a server port that no Service in front of those workloads
 * exposes (as port or targetPort) cannot be reached through the Service
 * (https://istio.io/latest/docs/reference/config/networking/gateway/).
 */
export const gatewayWorkloadsRule: Rule = {
  id: "gateway-workloads",
  description: "Gateways select a workload whose Services expose their ports.",
  reads: ["Gateway", "Pod", "Service"],
  codes: ["IST0101", "IST0162"],
  istioAnalyzers: ["gateway.IngressGatewayPortAnalyzer", "gateway.ConflictingGatewayAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    for (const gateway of snapshot.list("Gateway")) {
      const selector = gateway.spec.selector;
      if (isEmptySelector(selector)) continue;
      const pods = snapshot.list("Pod").filter((pod) => selectorMatches(selector, pod.metadata.labels));
      if (pods.length === 0) {
        sink.report("IST0101", gateway, "spec.selector", `Referenced selector not found: "${formatSelector(selector)}" (no gateway pod has these labels)`);
        continue;
      }
      const exposed = new Set<number>();
      for (const pod of pods) {
        for (const service of snapshot.inNamespace("Service", pod.ref.namespace)) {
          if (Object.keys(service.spec.selector).length === 0 || !selectorMatches(service.spec.selector, pod.metadata.labels)) continue;
          for (const port of service.spec.ports) {
            exposed.add(port.port);
            if (typeof port.targetPort === "number") exposed.add(port.targetPort);
          }
        }
      }
      gateway.spec.servers.forEach((server, i) => {
        const number = server.port?.number;
        if (number === undefined || exposed.has(number)) return;
        sink.report(
          "IST0162",
          gateway,
          `spec.servers[${i}].port.number`,
          `Port ${number} is not exposed by any Service in front of the gateway pods (${formatSelector(selector)}); it is unreachable through them.`,
        );
      });
    }
    return sink.findings;
  },
};
