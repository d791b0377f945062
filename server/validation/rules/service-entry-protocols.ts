import type { ObjectRef } from "@/lib/validation/finding";
import { hostsIntersect } from "@/lib/istio/host";
import { exportsOverlap } from "../export-to";
import { mention, message } from "../mentions";
import { FindingSink, type Rule } from "../rule";

/**
 * ServiceEntries visible in the same namespace that define one host and port with different
 * protocols give the sidecar two listeners for one port; only one protocol is used.
 */
export const serviceEntryProtocolsRule: Rule = {
  id: "service-entry-protocols",
  description: "ServiceEntries agree on the protocol of a host and port.",
  reads: ["ServiceEntry", "ConfigMap"],
  codes: ["IST0177"],
  istioAnalyzers: ["serviceentry.ConflictingServiceEntryProtocolAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    const entries = snapshot.list("ServiceEntry");
    for (const entry of entries) {
      const exportTo = snapshot.serviceEntryExportTo(entry);
      const conflicts = new Map<string, { host: string; port: number; protocols: Set<string>; others: ObjectRef[] }>();
      for (const other of entries) {
        if (other === entry || !exportsOverlap(exportTo, entry.ref.namespace, snapshot.serviceEntryExportTo(other), other.ref.namespace)) continue;
        for (const host of entry.spec.hosts) {
          if (!other.spec.hosts.some((h) => hostsIntersect(h, host))) continue;
          for (const port of entry.spec.ports) {
            const clash = other.spec.ports.find((p) => p.number === port.number && (p.protocol ?? "").toUpperCase() !== (port.protocol ?? "").toUpperCase());
            if (!clash) continue;
            const key = `${host}:${port.number}`;
            const record = conflicts.get(key) ?? { host, port: port.number, protocols: new Set([(port.protocol ?? "TCP").toUpperCase()]), others: [] };
            record.protocols.add((clash.protocol ?? "TCP").toUpperCase());
            record.others.push(other.ref);
            conflicts.set(key, record);
          }
        }
      }
      for (const record of conflicts.values()) {
        sink.report(
          "IST0177",
          entry,
          "spec.ports",
          message`Host "${record.host}" port ${record.port} is also defined by ${mention("ServiceEntry", record.others)} with a different protocol (${[...record.protocols].sort().join(" vs ")}).`,
        );
      }
    }
    return sink.findings;
  },
};
