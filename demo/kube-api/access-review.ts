/**
 * SelfSubjectAccessReview: how a client asks "may I?" without trying. A POST of a review names a
 * request's attributes; the API server runs its authorizers on them for the caller's own identity
 * and answers in `status` (allowed, and for RBAC the binding that allows it as `reason`). Nothing
 * is stored: the review is created, answered and forgotten, so it is the read-only way to learn
 * whether a write would be allowed. `kubectl auth can-i` sends exactly this.
 * https://kubernetes.io/docs/reference/access-authn-authz/authorization/#checking-api-access
 *
 * Semantics follow kube-apiserver with RBAC as its only authorizer:
 *   - every authenticated user may create the review (system:basic-user grants it); 401 otherwise;
 *   - a decision the user is not granted is `allowed: false` with no `reason` and no `denied`:
 *     RBAC only ever allows or has no opinion, it never denies explicitly;
 *   - an empty `resourceAttributes.namespace` asks about the cluster scope (all namespaces);
 *   - a subresource is judged like its resource (the emulator's roles grant by verb only);
 *   - non-resource paths: admins may do anything, everyone may GET discovery and health paths
 *     (the system:discovery and system:public-info-viewer roles).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { describeGrant, mayAccessResource, type User } from "./auth";
import { parseObjectBody, readBodyBytes, sendJson } from "./http-io";
import { decodeEnvelope, messageField, PROTOBUF_MEDIA_TYPE, stringField, type ProtoMessage } from "./protobuf";
import { ApiError, badRequest, methodNotAllowed } from "./status";

export const AUTHORIZATION_GROUP = "authorization.k8s.io";
export const AUTHORIZATION_VERSION = "v1";
export const SELF_SUBJECT_ACCESS_REVIEWS = "selfsubjectaccessreviews";
const API_VERSION = `${AUTHORIZATION_GROUP}/${AUTHORIZATION_VERSION}`;
const KIND = "SelfSubjectAccessReview";

/** The discovery entry: create is the only verb, as on kube-apiserver. */
export const SELF_SUBJECT_ACCESS_REVIEW_RESOURCE = {
  name: SELF_SUBJECT_ACCESS_REVIEWS,
  singularName: "selfsubjectaccessreview",
  namespaced: false,
  kind: KIND,
  verbs: ["create"],
} as const;

const resourceAttributesSchema = z.object({
  namespace: z.string().optional(),
  verb: z.string().optional(),
  group: z.string().optional(),
  version: z.string().optional(),
  resource: z.string().optional(),
  subresource: z.string().optional(),
  name: z.string().optional(),
});

const nonResourceAttributesSchema = z.object({ path: z.string().optional(), verb: z.string().optional() });

const reviewSchema = z.object({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  spec: z
    .object({
      resourceAttributes: resourceAttributesSchema.nullish(),
      nonResourceAttributes: nonResourceAttributesSchema.nullish(),
    })
    .optional(),
});

type Review = z.infer<typeof reviewSchema>;
type ResourceAttributes = z.infer<typeof resourceAttributesSchema>;

export interface ReviewStatus {
  allowed: boolean;
  reason?: string;
}

/** Paths of the system:discovery and system:public-info-viewer ClusterRoles, which every authenticated user holds. */
const PUBLIC_PATHS = ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/readyz", "/openapi", "/openapi/*", "/version", "/version/"];

function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith("*") ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
}

export function reviewResource(user: User, attributes: ResourceAttributes): ReviewStatus {
  const namespace = attributes.namespace || undefined;
  const request = { verb: attributes.verb ?? "", group: attributes.group ?? "", resource: attributes.resource ?? "", namespace, name: attributes.name || undefined };
  if (!mayAccessResource(user, request)) return { allowed: false };
  const scope = namespace ?? (request.group === "" && request.resource === "namespaces" ? request.name : undefined);
  return { allowed: true, reason: describeGrant(user, scope) };
}

export function reviewNonResource(user: User, attributes: { path?: string; verb?: string }): ReviewStatus {
  const path = attributes.path ?? "";
  if (user.role === "admin" && !user.namespaces) return { allowed: true, reason: describeGrant(user, undefined) };
  if (attributes.verb === "get" && PUBLIC_PATHS.some((pattern) => pathMatches(pattern, path))) {
    return { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"' };
  }
  return { allowed: false };
}

function protoStrings<const K extends string>(message: ProtoMessage | undefined, names: readonly K[]): Partial<Record<K, string>> | undefined {
  if (!message) return undefined;
  const out: Partial<Record<K, string>> = {};
  names.forEach((name, index) => {
    const value = stringField(message, index + 1);
    if (value !== undefined) out[name] = value;
  });
  return out;
}

/**
 * A review as client-go sends it: protobuf, fields numbered as in k8s.io/api/authorization/v1's
 * generated.proto (review: metadata 1, spec 2; spec: resourceAttributes 1, nonResourceAttributes 2).
 */
function reviewFromProtobuf(body: Buffer): unknown {
  const { apiVersion, kind, raw } = decodeEnvelope(body);
  const spec = messageField(raw, 2);
  return {
    apiVersion,
    kind,
    spec: {
      resourceAttributes: protoStrings(spec && messageField(spec, 1), ["namespace", "verb", "group", "version", "resource", "subresource", "name"]),
      nonResourceAttributes: protoStrings(spec && messageField(spec, 2), ["path", "verb"]),
    },
  };
}

function reviewBody(body: Buffer, contentType: string | undefined): unknown {
  const mediaType = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  return mediaType === PROTOBUF_MEDIA_TYPE ? reviewFromProtobuf(body) : parseObjectBody(body.toString("utf8"), contentType);
}

/** kube-apiserver's spec validation: exactly one kind of attributes. */
function invalidSpec(review: Review): ApiError | undefined {
  const spec = review.spec ?? {};
  const both = spec.resourceAttributes && spec.nonResourceAttributes;
  const neither = !spec.resourceAttributes && !spec.nonResourceAttributes;
  if (!both && !neither) return undefined;
  const field = both ? "spec.nonResourceAttributes" : "spec.resourceAttributes";
  const message = both ? "cannot be specified in combination with resourceAttributes" : "exactly one of nonResourceAttributes or resourceAttributes must be specified";
  const value = both ? JSON.stringify(spec.nonResourceAttributes) : "null";
  return new ApiError(422, "Invalid", `${KIND}.${AUTHORIZATION_GROUP} "" is invalid: ${field}: Invalid value: "${value}": ${message}`, {
    group: AUTHORIZATION_GROUP,
    kind: KIND,
    causes: [{ reason: "FieldValueInvalid", message: `Invalid value: "${value}": ${message}`, field }],
  });
}

/** POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews, answered for `user` (the caller). */
export async function handleSelfSubjectAccessReview(user: User, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "POST") throw methodNotAllowed(req.method ?? "", `/apis/${API_VERSION}/${SELF_SUBJECT_ACCESS_REVIEWS}`);
  const parsed = reviewSchema.safeParse(reviewBody(await readBodyBytes(req), req.headers["content-type"]));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(`${KIND} in version "${AUTHORIZATION_VERSION}" cannot be handled as a ${KIND}: ${issue?.path.join(".") || "(body)"}: ${issue?.message ?? "invalid"}`);
  }
  const review = parsed.data;
  if ((review.apiVersion && review.apiVersion !== API_VERSION) || (review.kind && review.kind !== KIND)) {
    throw badRequest(`the API version in the data (${review.apiVersion ?? ""}) does not match the expected API version (${API_VERSION})`);
  }
  const invalid = invalidSpec(review);
  if (invalid) throw invalid;
  const spec = review.spec ?? {};
  const status = spec.resourceAttributes ? reviewResource(user, spec.resourceAttributes) : reviewNonResource(user, spec.nonResourceAttributes ?? {});
  sendJson(res, 201, { kind: KIND, apiVersion: API_VERSION, metadata: { creationTimestamp: null }, spec, status });
}
