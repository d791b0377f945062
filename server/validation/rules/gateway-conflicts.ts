import { formatSelector, isEmptySelector, selectorMatches } from "../labels";
import { hostsIntersect } from "@/lib/istio/host";
import type { GatewayObject } from "../objects";
import { mention, message } from "../mentions";
import { FindingSink, type Rule } from "../rule";

/**
 * Two Gateways programming the same proxy on the same port with overlapping hosts give that proxy
 * two conflicting listeners; only one wins (https://istio.io/latest/docs/ops/common-problems/network-issues/#404-errors-occur-when-multiple-gateways-configured-with-same-tls-certificate).
 */

function stripNamespace(host: string): string {
  const slash = host.indexOf("/");
  return slash < 0 ? host : host.slice(slash + 1);
}

export const gatewayConflictsRule: Rule = {
  id: "gateway-conflicts",
  description: "Gateways on one workload do not claim the same port and host.",
  reads: ["Gateway", "Pod"],
  codes: ["IST0145"],
  istioAnalyzers: ["gateway.ConflictingGatewayAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    const pods = snapshot.list("Pod");
    const gateways = snapshot
      .list("Gateway")
      .filter((gateway) => !isEmptySelector(gateway.spec.selector))
      .map((gateway) => ({ gateway, pods: new Set(pods.filter((pod) => selectorMatches(gateway.spec.selector, pod.metadata.labels)).map((pod) => pod.key)) }));
    const sharePods = (a: Set<string>, b: Set<string>) => [...a].some((key) => b.has(key));
    for (const { gateway, pods: selected } of gateways) {
      if (selected.size === 0) continue;
      gateway.spec.servers.forEach((server, i) => {
        const number = server.port?.number;
        if (number === undefined) return;
        const rivals: GatewayObject[] = [];
        for (const other of gateways) {
          if (other.gateway === gateway || !sharePods(selected, other.pods)) continue;
          const clash = other.gateway.spec.servers.some(
            (otherServer) => otherServer.port?.number === number && otherServer.hosts.some((h) => server.hosts.some((mine) => hostsIntersect(stripNamespace(h), stripNamespace(mine)))),
          );
          if (clash) rivals.push(other.gateway);
        }
        if (rivals.length === 0) return;
        sink.report(
          "IST0145",
          gateway,
          `spec.servers[${i}]`,
          message`Port ${number} with hosts [${server.hosts.join(", ")}] on workloads ${formatSelector(gateway.spec.selector)} is also claimed by ${mention("Gateway", rivals.map((rival) => rival.ref))}.`,
        );
      });
    }
    return sink.findings;
  },
};
