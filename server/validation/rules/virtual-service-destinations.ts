import { toFqdn } from "@/lib/istio/host";
import { destinationUses, gatewayRefs, isMeshBound } from "@/lib/istio/virtualService";
import { explicitExportNamespaces } from "../export-to";
import type { VirtualServiceObject } from "../objects";
import { mention, message } from "../mentions";
import { FindingSink, type Rule } from "../rule";
import type { MeshSnapshot } from "../snapshot";

/**
 * Every destination must name a host the mesh knows (a Service or ServiceEntry visible where the
 * VirtualService is exported), a port that host exposes, and a port at all when the Service has
 * several (https://istio.io/latest/docs/reference/config/networking/virtual-service/#Destination).
 */

function viewerNamespaces(snapshot: MeshSnapshot, vs: VirtualServiceObject): string[] {
  const exportTo = vs.spec.exportTo.length > 0 ? vs.spec.exportTo : snapshot.settings.virtualServiceExportTo;
  return explicitExportNamespaces(exportTo, vs.ref.namespace) ?? [vs.ref.namespace];
}

function checkDestinations(snapshot: MeshSnapshot, vs: VirtualServiceObject, sink: FindingSink): void {
  const viewers = viewerNamespaces(snapshot, vs);
  for (const use of destinationUses(vs.spec)) {
    const host = use.destination?.host ?? "";
    if (!host) {
      sink.report("IST0101", vs, use.path, `Referenced host not found: "" (the route entry has no destination host)`);
      continue;
    }
    const fqdn = toFqdn(host, vs.ref.namespace);
    const blindViewer = viewers.find((viewer) => snapshot.visibleServices(fqdn, viewer).length === 0 && snapshot.visibleServiceEntries(fqdn, viewer).length === 0);
    if (blindViewer !== undefined) {
      const where = blindViewer === vs.ref.namespace ? "" : ` (from namespace ${blindViewer}, where this VirtualService is exported)`;
      sink.report("IST0101", vs, `${use.path}.host`, `Referenced host not found: "${host}"${where}`);
      continue;
    }
    if (use.mirror) continue;
    const services = snapshot.visibleServices(fqdn, vs.ref.namespace);
    if (services.length === 0) continue;
    const ports = [...new Set(services.flatMap((service) => service.spec.ports.map((port) => port.port)))].sort((a, b) => a - b);
    const portNumber = use.destination?.port.number;
    if (portNumber !== undefined) {
      if (!ports.includes(portNumber)) {
        sink.report("IST0101", vs, `${use.path}.port.number`, `Referenced host+port not found: "${host}+${portNumber}" (the service exposes ${ports.join(", ") || "no ports"})`);
      }
    } else if (ports.length > 1) {
      sink.report("IST0112", vs, use.path, `Service "${host}" exposes several ports (${ports.join(", ")}); name the port in the destination so the route is not ambiguous.`);
    }
  }
}

/**
 * Requests entering through a gateway are routed by the gateway's VirtualService straight to the
 * destination; subset routing in a mesh VirtualService for that host never sees them.
 */
function checkIngressSubsetBypass(snapshot: MeshSnapshot, vs: VirtualServiceObject, sink: FindingSink): void {
  if (isMeshBound(vs.spec.gateways) || gatewayRefs(vs.spec.gateways, vs.ref.namespace).length === 0) return;
  const reported = new Set<string>();
  vs.spec.http.forEach((route, i) => {
    route.route.forEach((entry, j) => {
      const host = entry.destination?.host;
      if (!host || entry.destination?.subset) return;
      const fqdn = toFqdn(host, vs.ref.namespace);
      for (const meshVs of snapshot.list("VirtualService")) {
        if (meshVs === vs || !isMeshBound(meshVs.spec.gateways) || reported.has(meshVs.key)) continue;
        const routesHost = meshVs.spec.hosts.some((h) => toFqdn(h, meshVs.ref.namespace) === fqdn);
        const usesSubsets = destinationUses(meshVs.spec).some((use) => use.destination?.subset);
        if (routesHost && usesSubsets) {
          reported.add(meshVs.key);
          sink.report(
            "IST0140",
            vs,
            `spec.http[${i}].route[${j}].destination`,
            message`Subset routing in ${mention("VirtualService", [meshVs.ref])} has no effect on requests for "${host}" arriving through this gateway VirtualService; route to a subset here too.`,
          );
        }
      }
    });
  });
}

export const virtualServiceDestinationsRule: Rule = {
  id: "virtual-service-destinations",
  description: "Route destinations name known hosts and ports.",
  reads: ["VirtualService", "Service", "ServiceEntry", "ConfigMap"],
  codes: ["IST0101", "IST0112", "IST0140"],
  istioAnalyzers: ["virtualservice.DestinationHostAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    for (const vs of snapshot.list("VirtualService")) {
      checkDestinations(snapshot, vs, sink);
      checkIngressSubsetBypass(snapshot, vs, sink);
    }
    return sink.findings;
  },
};
