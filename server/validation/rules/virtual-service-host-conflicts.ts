import { hostsIntersect, toFqdn } from "@/lib/istio/host";
import { isMeshBound } from "@/lib/istio/virtualService";
import { exportsOverlap } from "../export-to";
import type { VirtualServiceObject } from "../objects";
import { mention, message } from "../mentions";
import { FindingSink, type Rule } from "../rule";

/**
 * Sidecars merge VirtualServices by host; when two bound to the mesh claim the same host where both
 * are visible, which routes win is undefined (https://istio.io/latest/docs/ops/best-practices/traffic-management/#split-virtual-services).
 * Hosts conflict when one covers the other (`*.d` and `*.productpage.d` do).
 */
export const virtualServiceHostConflictsRule: Rule = {
  id: "virtual-service-host-conflicts",
  description: "No two mesh VirtualServices claim the same host.",
  reads: ["VirtualService", "ConfigMap"],
  codes: ["IST0109"],
  istioAnalyzers: ["virtualservice.ConflictingMeshGatewayHostsAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    const defaults = snapshot.settings.virtualServiceExportTo;
    const entries = snapshot
      .list("VirtualService")
      .filter((vs) => isMeshBound(vs.spec.gateways))
      .map((vs) => ({
        vs,
        exportTo: vs.spec.exportTo.length > 0 ? vs.spec.exportTo : defaults,
        hosts: vs.spec.hosts.map((host) => toFqdn(host, vs.ref.namespace)),
      }));
    // Exact hosts are bucketed so the common case is not quadratic; wildcards are compared with all.
    const byHost = new Map<string, number[]>();
    const wildcardOwners: number[] = [];
    entries.forEach((entry, index) => {
      let wildcard = false;
      for (const host of new Set(entry.hosts)) {
        if (host.startsWith("*")) wildcard = true;
        else byHost.set(host, [...(byHost.get(host) ?? []), index]);
      }
      if (wildcard) wildcardOwners.push(index);
    });
    // Per VirtualService: each conflicting host and the VirtualServices that also claim it.
    const conflicts = new Map<number, Map<string, Set<VirtualServiceObject>>>();
    const addConflict = (a: number, b: number, aHost: string, bHost: string) => {
      for (const [self, other, host] of [[a, b, aHost], [b, a, bHost]] as const) {
        const byOther = conflicts.get(self) ?? new Map<string, Set<VirtualServiceObject>>();
        conflicts.set(self, byOther);
        const otherVs = entries[other]?.vs as VirtualServiceObject;
        byOther.set(host, (byOther.get(host) ?? new Set()).add(otherVs));
      }
    };
    const compare = (a: number, b: number) => {
      const left = entries[a];
      const right = entries[b];
      if (!left || !right || a === b) return;
      if (!exportsOverlap(left.exportTo, left.vs.ref.namespace, right.exportTo, right.vs.ref.namespace)) return;
      for (const host of left.hosts) {
        for (const other of right.hosts) if (hostsIntersect(host, other)) addConflict(a, b, host, other);
      }
    };
    for (const owners of byHost.values()) {
      for (let i = 0; i < owners.length; i++) for (let j = i + 1; j < owners.length; j++) compare(owners[i] as number, owners[j] as number);
    }
    for (const w of wildcardOwners) {
      entries.forEach((_, other) => {
        if (other !== w && !(wildcardOwners.includes(other) && other < w)) compare(w, other);
      });
    }
    for (const [index, byHostConflicts] of conflicts) {
      const vs = entries[index]?.vs;
      if (!vs) continue;
      const hosts = [...byHostConflicts.keys()].sort();
      const others = [...new Set([...byHostConflicts.values()].flatMap((set) => [...set]))].map((other) => other.ref);
      const firstHost = hosts[0] ?? "";
      const hostIndex = vs.spec.hosts.findIndex((host) => toFqdn(host, vs.ref.namespace) === firstHost);
      sink.report(
        "IST0109",
        vs,
        hostIndex >= 0 ? `spec.hosts[${hostIndex}]` : "spec.hosts",
        message`Host ${hosts.join(", ")} is also defined by ${mention("mesh VirtualService", others)}; which routes apply is undefined. Merge them into one VirtualService.`,
      );
    }
    return sink.findings;
  },
};
