/**
 * Builds client-node's KubeConfig from the console's settings: the pod's service account in the
 * cluster, or a kubeconfig file (its current context unless one is named).
 */
import { existsSync } from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";
import type { KubernetesSettings } from "@/server/config/schema";

export class KubeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KubeConfigError";
  }
}

export function loadKubeConfig(settings: KubernetesSettings): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (settings.source === "in-cluster") {
    kubeConfig.loadFromCluster();
    return kubeConfig;
  }
  const files = settings.kubeconfigPath?.split(":").filter(Boolean) ?? [];
  const missing = files.filter((file) => !existsSync(file));
  if (files.length > 0 && missing.length === files.length) {
    throw new KubeConfigError(`KUBECONFIG names ${missing.join(", ")}, which does not exist`);
  }
  kubeConfig.loadFromDefault();
  if (kubeConfig.getContexts().length === 0) {
    throw new KubeConfigError("No Kubernetes context found: set KUBECONFIG to a kubeconfig file, or run the console inside the cluster");
  }
  if (settings.context) {
    if (!kubeConfig.getContextObject(settings.context)) {
      const known = kubeConfig.getContexts().map((context) => context.name);
      throw new KubeConfigError(`KUBE_CONTEXT: the kubeconfig has no context ${JSON.stringify(settings.context)}; it has ${known.join(", ")}`);
    }
    kubeConfig.setCurrentContext(settings.context);
  }
  if (!kubeConfig.getCurrentCluster()) {
    throw new KubeConfigError(`The kubeconfig's current context ${JSON.stringify(kubeConfig.getCurrentContext())} names no cluster`);
  }
  return kubeConfig;
}
