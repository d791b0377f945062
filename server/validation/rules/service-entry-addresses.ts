import { FindingSink, type Rule } from "../rule";

/**
 * TCP traffic carries no host name, so a sidecar can only tell ServiceEntry ports apart by address:
 * a TCP (or protocol-less) port needs `addresses`, unless Istio's DNS proxy allocates them
 * (https://istio.io/latest/docs/ops/configuration/traffic-management/dns-proxy/#address-auto-allocation).
 */
export const serviceEntryAddressesRule: Rule = {
  id: "service-entry-addresses",
  description: "TCP ServiceEntries have addresses.",
  reads: ["ServiceEntry", "ConfigMap"],
  codes: ["IST0134"],
  istioAnalyzers: ["serviceentry.ProtocolAddressesAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    if (snapshot.settings.dnsAutoAllocate) return [];
    for (const entry of snapshot.list("ServiceEntry")) {
      if (entry.spec.addresses.length > 0 || entry.status.addresses.length > 0) continue;
      const index = entry.spec.ports.findIndex((port) => !port.protocol || port.protocol.toUpperCase() === "TCP");
      if (index < 0) continue;
      const port = entry.spec.ports[index];
      sink.report(
        "IST0134",
        entry,
        `spec.ports[${index}].protocol`,
        `Port ${port?.number} is ${port?.protocol ? "TCP" : "without a protocol (TCP)"}, so this ServiceEntry needs addresses (or DNS address auto-allocation) for traffic to reach it.`,
      );
    }
    return sink.findings;
  },
};
