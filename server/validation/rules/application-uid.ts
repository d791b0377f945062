import type { PodSpec } from "../objects/kube";
import { FindingSink, type Rule } from "../rule";

/**
 * The sidecar runs as UID 1337 and iptables exempts that UID from redirection; an application
 * running as 1337 bypasses the proxy (https://istio.io/latest/docs/ops/deployment/application-requirements/).
 */

const proxyUid = 1337;

function uidPath(spec: PodSpec, prefix: string): string | undefined {
  if (spec.securityContext.runAsUser === proxyUid) return `${prefix}.securityContext.runAsUser`;
  for (const [field, containers] of [["containers", spec.containers], ["initContainers", spec.initContainers]] as const) {
    const index = containers.findIndex((c) => c.name !== "istio-proxy" && c.name !== "istio-init" && c.securityContext.runAsUser === proxyUid);
    if (index >= 0) return `${prefix}.${field}[${index}].securityContext.runAsUser`;
  }
  return undefined;
}

export const applicationUidRule: Rule = {
  id: "application-uid",
  description: "Applications do not run as the proxy's UID.",
  reads: ["Pod", "Deployment"],
  codes: ["IST0144"],
  istioAnalyzers: ["deployment.ApplicationUIDAnalyzer"],
  check(snapshot) {
    const sink = new FindingSink();
    const message = `Runs as UID ${proxyUid}, which is reserved for the sidecar proxy: its traffic would bypass the proxy. Pick another runAsUser.`;
    for (const pod of snapshot.list("Pod")) {
      const path = uidPath(pod.spec, "spec");
      if (path) sink.report("IST0144", pod, path, message);
    }
    for (const deployment of snapshot.list("Deployment")) {
      const path = uidPath(deployment.spec.template.spec, "spec.template.spec");
      if (path) sink.report("IST0144", deployment, path, message);
    }
    return sink.findings;
  },
};
