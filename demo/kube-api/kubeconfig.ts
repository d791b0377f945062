/**
 * A kubeconfig pointing at the emulator's HTTPS side (with its certificate as the authority),
 * with one context per role, so kubectl and @kubernetes/client-node connect exactly as they
 * would to a cluster.
 * https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";

export const CLUSTER_NAME = "mesh-console-demo";
export const ADMIN_CONTEXT = "demo-admin";
export const VIEWER_CONTEXT = "demo-viewer";
export const DEFAULT_NAMESPACE = "bookinfo";

export function kubeconfigYaml(server: string, caCertificate: string, tokens: { admin: string; viewer: string }): string {
  const context = (name: string) => ({ name, context: { cluster: CLUSTER_NAME, user: name, namespace: DEFAULT_NAMESPACE } });
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: CLUSTER_NAME, cluster: { server, "certificate-authority-data": Buffer.from(caCertificate).toString("base64") } }],
    users: [
      { name: ADMIN_CONTEXT, user: { token: tokens.admin } },
      { name: VIEWER_CONTEXT, user: { token: tokens.viewer } },
    ],
    contexts: [context(ADMIN_CONTEXT), context(VIEWER_CONTEXT)],
    "current-context": ADMIN_CONTEXT,
    preferences: {},
  });
}

/** Writes the kubeconfig readable by its owner only, as it holds bearer tokens. */
export async function writeKubeconfig(file: string, server: string, caCertificate: string, tokens: { admin: string; viewer: string }): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, kubeconfigYaml(server, caCertificate, tokens), { mode: 0o600 });
}
