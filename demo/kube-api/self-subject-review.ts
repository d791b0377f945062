/**
 * SelfSubjectReview (authentication.k8s.io/v1, GA in Kubernetes 1.28): "who am I, as the server
 * sees me", what `kubectl auth whoami` sends. The answer is the authenticated caller after
 * impersonation, with the groups Kubernetes adds to every authenticated user.
 * https://kubernetes.io/docs/reference/access-authn-authz/authentication/#self-subject-review
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { User } from "./auth";
import { readBodyBytes, sendJson } from "./http-io";
import { methodNotAllowed } from "./status";

export const AUTHENTICATION_GROUP = "authentication.k8s.io";
export const AUTHENTICATION_VERSION = "v1";
export const SELF_SUBJECT_REVIEWS = "selfsubjectreviews";
const API_VERSION = `${AUTHENTICATION_GROUP}/${AUTHENTICATION_VERSION}`;
const KIND = "SelfSubjectReview";

/** The discovery entry: create is the only verb, as on kube-apiserver. */
export const SELF_SUBJECT_REVIEW_RESOURCE = {
  name: SELF_SUBJECT_REVIEWS,
  singularName: "selfsubjectreview",
  namespaced: false,
  kind: KIND,
  verbs: ["create"],
} as const;

/** The user info kube-apiserver reports: every authenticated caller is also in `system:authenticated`. */
export function userInfoOf(user: User): { username: string; groups: string[] } {
  const groups = [...(user.groups ?? [])];
  if (!groups.includes("system:authenticated")) groups.push("system:authenticated");
  return { username: user.name, groups };
}

/** POST /apis/authentication.k8s.io/v1/selfsubjectreviews. The request body carries nothing the answer depends on. */
export async function handleSelfSubjectReview(user: User, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "POST") throw methodNotAllowed(req.method ?? "", `/apis/${API_VERSION}/${SELF_SUBJECT_REVIEWS}`);
  await readBodyBytes(req);
  sendJson(res, 201, { kind: KIND, apiVersion: API_VERSION, metadata: { creationTimestamp: null }, status: { userInfo: userInfoOf(user) } });
}
