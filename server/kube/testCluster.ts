/**
 * For tests only: console clients that talk to the demo's Kubernetes API emulator (started by the
 * test itself) over plain HTTP with a bearer token.
 */
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { createKubeClients, type KubeClients } from "./index";

export const DEMO_MANIFESTS = path.resolve(import.meta.dirname, "../../demo/manifests");

export function clientsFor(url: string, token: string, timeoutMs = 5000): KubeClients {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: "test", server: url, skipTLSVerify: true }],
    users: [{ name: "test", token }],
    contexts: [{ name: "test", cluster: "test", user: "test" }],
    currentContext: "test",
  });
  return createKubeClients(kubeConfig, timeoutMs);
}
