import { kubernetesSystemNamespaces, protocolFromPortName, servicePortProtocol } from "../protocols";
import { FindingSink, type Rule } from "../rule";

/**
 * Istio picks a port's protocol from `appProtocol` or from the name prefix (`http-…`, `grpc-…`);
 * without either it falls back to sniffing or plain TCP
 * (https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/).
 * For ExternalName Services there is no sniffing: an unnamed or TCP port may not be forwarded at all.
 */
export const servicePortNamesRule: Rule = {
  id: "service-port-names",
  description: "Service ports declare their protocol.",
  reads: ["Service", "ConfigMap"],
  codes: ["IST0118", "IST0150"],
  istioAnalyzers: ["service.PortNameAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    const root = snapshot.settings.rootNamespace;
    for (const service of snapshot.list("Service")) {
      const namespace = service.ref.namespace;
      if (kubernetesSystemNamespaces.has(namespace)) continue;
      const labels = service.metadata.labels;
      // Istio's own control-plane Services are named by Istio; leave them alone.
      if (namespace === root && (labels.istio !== undefined || labels.release === "istio")) continue;
      if (service.spec.type === "ExternalName") {
        const problem = service.spec.ports.find((port) => {
          const protocol = servicePortProtocol(port) ?? protocolFromPortName(port.name);
          return protocol === undefined || protocol === "TCP";
        });
        if (problem) {
          const index = service.spec.ports.indexOf(problem);
          sink.report(
            "IST0150",
            service,
            `spec.ports[${index}].name`,
            `ExternalName Service port ${problem.port} is named "${problem.name ?? ""}": name it after an application protocol (e.g. https-${problem.port}) so the proxy forwards its traffic.`,
          );
        }
        continue;
      }
      service.spec.ports.forEach((port, i) => {
        if (port.appProtocol || servicePortProtocol(port)) return;
        const target = port.targetPort ?? port.port;
        sink.report(
          "IST0118",
          service,
          port.name ? `spec.ports[${i}].name` : `spec.ports[${i}]`,
          `Port ${port.name ? `"${port.name}"` : "(unnamed)"} (port ${port.port}, targetPort ${target}) names no protocol: use a name like http-${port.port} or tcp-${port.port}, or set appProtocol.`,
        );
      });
    }
    return sink.findings;
  },
};
