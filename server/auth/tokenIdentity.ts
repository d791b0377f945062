/**
 * Clients that call the Kubernetes API with a signed-in person's bearer token, and the sign-in
 * check. The check is one cheap call the token must be able to make: listing at most one
 * namespace. Kubernetes answers 401 to a token it does not recognise and 403 to one it does
 * recognise but RBAC forbids that list; a 403 still proves who the caller is, so it signs in.
 * https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests
 */
import { KubeConfig } from "@kubernetes/client-node";
import { z } from "zod";
import { createKubeClients, KubeError, kubeCall, type KubeClients } from "@/server/kube";

/** A bearer token as it may appear in an Authorization header: visible ASCII, no spaces. */
export const bearerTokenSchema = z
  .string()
  .trim()
  .min(1, "paste a Kubernetes bearer token")
  .max(16 * 1024, "a Kubernetes token is at most a few KiB")
  .regex(/^[\x21-\x7e]+$/, "a bearer token has no spaces or control characters");

const SESSION_USER = "mesh-console-session";

/** The console's cluster (server, CA, TLS settings) with the person's token as the only credential. */
export function kubeConfigForToken(base: KubeConfig, token: string): KubeConfig {
  const cluster = base.getCurrentCluster();
  if (!cluster) throw new KubeError("other", "The console's kubeconfig names no cluster to sign in to", 500);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [cluster],
    users: [{ name: SESSION_USER, token }],
    contexts: [{ name: SESSION_USER, cluster: cluster.name, user: SESSION_USER }],
    currentContext: SESSION_USER,
  });
  return kubeConfig;
}

export function kubeClientsForToken(base: KubeClients, token: string): KubeClients {
  return createKubeClients(kubeConfigForToken(base.kubeConfig, token), base.timeoutMs);
}

export type SignInCheck = { accepted: true } | { accepted: false; message: string };

export async function checkToken(clients: KubeClients): Promise<SignInCheck> {
  try {
    await kubeCall(clients, "sign-in", "list namespaces", () => clients.core.listNamespace({ limit: 1 }));
    return { accepted: true };
  } catch (error) {
    if (error instanceof KubeError && error.failure === "forbidden") return { accepted: true };
    if (error instanceof KubeError && error.failure === "unauthorized") {
      return { accepted: false, message: "Kubernetes did not accept this token (401 Unauthorized): it may be mistyped, expired or for another cluster" };
    }
    throw error;
  }
}
