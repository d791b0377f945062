/**
 * Who pressed the button, for the rollout's timeline: Kubernetes' own answer to "who am I"
 * (a SelfSubjectReview, what `kubectl auth whoami` sends) with the clients the request acts with,
 * so the name is the one RBAC judged. An API server without that API (before 1.28) leaves the
 * kubeconfig user's name, or says "a signed-in person".
 */
import { AuthenticationV1Api } from "@kubernetes/client-node";
import { kube, requestKube } from "@/server/kube";

export async function personName(): Promise<string> {
  const clients = kube();
  try {
    const review = await clients.kubeConfig.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" } });
    const name = review.status?.userInfo?.username;
    if (name) return name.slice(0, 256);
  } catch {
    // Older API servers have no SelfSubjectReview; the fallbacks below still name the actor.
  }
  if (requestKube()) return "a signed-in person";
  const user = clients.kubeConfig.getCurrentUser()?.name;
  return user ? `${user} (the console's kubeconfig user)` : "the console's own identity";
}
