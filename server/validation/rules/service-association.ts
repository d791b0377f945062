import { selectorMatches } from "../labels";
import { protocolFromPortName } from "../protocols";
import { FindingSink, type Rule } from "../rule";
import type { MeshSnapshot } from "../snapshot";
import { isInjectedNamespace, optsOutOfInjection } from "./injection";

/**
 * A sidecar builds one inbound listener per workload port. When several Services select the same
 * deployment, one port must mean one protocol, and one targetPort must be reached through one
 * service port (https://istio.io/latest/docs/ops/deployment/application-requirements/).
 */

function inMesh(snapshot: MeshSnapshot, namespace: string, labels: Readonly<Record<string, string>>, annotations: Readonly<Record<string, string>>): boolean {
  if (optsOutOfInjection(labels, annotations)) return false;
  return isInjectedNamespace(snapshot, namespace) || labels["sidecar.istio.io/inject"] === "true" || annotations["sidecar.istio.io/inject"] === "true";
}

export const serviceAssociationRule: Rule = {
  id: "service-association",
  description: "Services sharing a deployment agree on ports and protocols.",
  reads: ["Deployment", "Service", "Namespace"],
  codes: ["IST0116", "IST0137"],
  istioAnalyzers: ["deployment.ServiceAssociationAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    for (const deployment of snapshot.list("Deployment")) {
      const template = deployment.spec.template.metadata;
      const namespace = deployment.ref.namespace;
      if (!inMesh(snapshot, namespace, template.labels, template.annotations)) continue;
      const services = snapshot
        .inNamespace("Service", namespace)
        .filter((service) => Object.keys(service.spec.selector).length > 0 && selectorMatches(service.spec.selector, template.labels));
      if (services.length < 2) continue;
      const protocolsByPort = new Map<number, Map<string, string[]>>();
      const portsByTarget = new Map<string, Map<number, string[]>>();
      for (const service of services) {
        for (const port of service.spec.ports) {
          const protocol = protocolFromPortName(port.name) ?? (port.protocol ?? "TCP").toUpperCase();
          const byProtocol = protocolsByPort.get(port.port) ?? new Map<string, string[]>();
          byProtocol.set(protocol, [...(byProtocol.get(protocol) ?? []), service.ref.name]);
          protocolsByPort.set(port.port, byProtocol);
          const target = String(port.targetPort ?? port.port);
          const byPort = portsByTarget.get(target) ?? new Map<number, string[]>();
          byPort.set(port.port, [...(byPort.get(port.port) ?? []), service.ref.name]);
          portsByTarget.set(target, byPort);
        }
      }
      for (const [port, byProtocol] of [...protocolsByPort].sort(([a], [b]) => a - b)) {
        if (byProtocol.size < 2) continue;
        const detail = [...byProtocol].map(([protocol, names]) => `${protocol} (${names.sort().join(", ")})`).join(", ");
        sink.report("IST0116", deployment, "spec.template.metadata.labels", `Services selecting deployment ${deployment.ref.name} use port ${port} with different protocols: ${detail}.`);
      }
      for (const [target, byPort] of [...portsByTarget].sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (byPort.size < 2) continue;
        const names = [...new Set([...byPort.values()].flat())].sort();
        const ports = [...byPort.keys()].sort((a, b) => a - b);
        sink.report("IST0137", deployment, "spec.template.metadata.labels", `Services ${names.join(", ")} reach targetPort ${target} of deployment ${deployment.ref.name} through different ports: ${ports.join(", ")}.`);
      }
    }
    return sink.findings;
  },
};
