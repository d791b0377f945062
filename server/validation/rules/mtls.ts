import { namespaceOfServiceHost, toFqdn } from "@/lib/istio/host";
import { effectiveMtls } from "@/lib/istio/peerAuthentication";
import { selectorMatches } from "../labels";
import type { ClientTls } from "@/lib/istio/destinationRule";
import { FindingSink, type Rule } from "../rule";
import { hasIstioProxy, type MeshSnapshot, type Workload } from "../snapshot";

/**
 * A workload's PeerAuthentication is the one selecting it, else its namespace's, else the root
 * namespace's; `UNSET` inherits (https://istio.io/latest/docs/reference/config/security/peer_authentication/).
 * Under STRICT it accepts only mutual TLS, so a client DestinationRule with `tls.mode: DISABLE`
 * gets its connections reset. Conversely `ISTIO_MUTUAL` toward pods without a proxy (and not in
 * ambient mode) fails the handshake.
 */

/** The mode the workload (or, without labels, the namespace as a whole) accepts: lib/istio/peerAuthentication.ts decides. */
function effectiveMode(snapshot: MeshSnapshot, namespace: string, labels: Readonly<Record<string, string>> | undefined): string {
  const rootNamespace = snapshot.settings.rootNamespace;
  const policies = [...snapshot.inNamespace("PeerAuthentication", namespace), ...(rootNamespace === namespace ? [] : snapshot.inNamespace("PeerAuthentication", rootNamespace))];
  return effectiveMtls(policies, { namespace, labels, rootNamespace }).mode;
}

function serviceWorkloads(snapshot: MeshSnapshot, fqdn: string, namespace: string): Workload[] {
  return snapshot.servicesByFqdn(fqdn).flatMap((service) => {
    const selector = service.spec.selector;
    if (Object.keys(selector).length === 0) return [];
    return snapshot.workloadsIn(namespace).filter((workload) => selectorMatches(selector, workload.labels));
  });
}

function tlsSettings(rule: { spec: { trafficPolicy?: { tls?: ClientTls; portLevelSettings: { tls?: ClientTls }[] } } }): { tls: ClientTls; path: string }[] {
  const policy = rule.spec.trafficPolicy;
  if (!policy) return [];
  const out: { tls: ClientTls; path: string }[] = [];
  if (policy.tls) out.push({ tls: policy.tls, path: "spec.trafficPolicy.tls.mode" });
  policy.portLevelSettings.forEach((setting, i) => {
    if (setting.tls) out.push({ tls: setting.tls, path: `spec.trafficPolicy.portLevelSettings[${i}].tls.mode` });
  });
  return out;
}

export const mtlsRule: Rule = {
  id: "mtls",
  description: "Client TLS settings agree with the server's mTLS mode and proxies.",
  reads: ["DestinationRule", "PeerAuthentication", "Service", "Pod", "Deployment", "ReplicaSet", "WorkloadEntry", "Namespace", "ConfigMap"],
  codes: ["MC1005", "MC1006"],
  check(snapshot) {
    const sink = new FindingSink();
    for (const rule of snapshot.list("DestinationRule")) {
      const fqdn = toFqdn(rule.spec.host, rule.ref.namespace);
      const namespace = namespaceOfServiceHost(fqdn);
      if (namespace === undefined) continue;
      const workloads = serviceWorkloads(snapshot, fqdn, namespace);
      for (const { tls, path } of tlsSettings(rule)) {
        if (tls.mode === "DISABLE") {
          const strict =
            workloads.length > 0
              ? workloads.some((workload) => effectiveMode(snapshot, namespace, workload.labels) === "STRICT")
              : effectiveMode(snapshot, namespace, undefined) === "STRICT";
          if (strict) {
            sink.report("MC1005", rule, path, `TLS is disabled toward ${rule.spec.host}, but a PeerAuthentication requires STRICT mutual TLS there; connections will be rejected. Use ISTIO_MUTUAL or relax the PeerAuthentication.`);
          }
        }
        if (tls.mode === "ISTIO_MUTUAL") {
          const pods = workloads.filter((w) => w.kind === "Pod");
          const ambient = snapshot.namespaceObject(namespace)?.metadata.labels["istio.io/dataplane-mode"] === "ambient";
          const withoutProxy = pods.filter((pod) => !hasIstioProxy(pod.podSpec) && pod.annotations["ambient.istio.io/redirection"] !== "enabled");
          if (!ambient && pods.length > 0 && withoutProxy.length === pods.length) {
            sink.report("MC1006", rule, path, `ISTIO_MUTUAL toward ${rule.spec.host}, but none of its pods runs an Istio proxy to terminate mutual TLS; use DISABLE or inject the workloads.`);
          }
        }
      }
    }
    return sink.findings;
  },
};
