/**
 * Resolves a request path the way the API server's router does.
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-uris
 */
import { AUTHORIZATION_GROUP, AUTHORIZATION_VERSION, SELF_SUBJECT_ACCESS_REVIEWS } from "./access-review";
import { AUTHENTICATION_GROUP, AUTHENTICATION_VERSION, SELF_SUBJECT_REVIEWS } from "./self-subject-review";
import type { ResourceCatalog } from "./catalog";
import type { ResourceType } from "./resources";

export type ApiPath =
  | { kind: "version" }
  | { kind: "health" }
  | { kind: "coreVersions" }
  | { kind: "groupList" }
  | { kind: "group"; group: string }
  | { kind: "resourceList"; group: string; version: string }
  | { kind: "openapi"; path: string }
  | { kind: "emulator"; action: string }
  /** POST-only, nothing stored: see access-review.ts. */
  | { kind: "selfSubjectAccessReview" }
  | { kind: "selfSubjectReview" }
  | {
      kind: "resource";
      type: ResourceType;
      group: string;
      version: string;
      /** Namespace from the URL; undefined for cluster-wide requests and cluster-scoped kinds. */
      namespace?: string;
      name?: string;
      subresource?: string;
    }
  | { kind: "notFound" };

const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

function resourcePath(catalog: ResourceCatalog, group: string, version: string, rest: string[]): ApiPath {
  let namespace: string | undefined;
  let segments = rest;
  if (segments[0] === "namespaces" && segments.length >= 3 && !NAMESPACE_SUBRESOURCES.has(segments[2] ?? "")) {
    namespace = segments[1];
    segments = segments.slice(2);
  }
  const [plural, name, subresource, ...extra] = segments;
  if (!plural || extra.length > 0) return { kind: "notFound" };
  const type = catalog.findByPlural(group, version, plural);
  if (!type) return { kind: "notFound" };
  if (namespace !== undefined && !type.namespaced) return { kind: "notFound" };
  if (subresource !== undefined && subresource !== "status" && !(subresource === "log" && group === "" && plural === "pods")) return { kind: "notFound" };
  return { kind: "resource", type, group, version, namespace, name, subresource };
}

/** authorization.k8s.io serves reviews only, which are not stored like the other kinds. */
function authorizationPath(version: string | undefined, tail: string[]): ApiPath {
  if (!version) return { kind: "group", group: AUTHORIZATION_GROUP };
  if (version !== AUTHORIZATION_VERSION) return { kind: "notFound" };
  if (tail.length === 0) return { kind: "resourceList", group: AUTHORIZATION_GROUP, version };
  if (tail.length === 1 && tail[0] === SELF_SUBJECT_ACCESS_REVIEWS) return { kind: "selfSubjectAccessReview" };
  return { kind: "notFound" };
}

/** authentication.k8s.io serves SelfSubjectReview only here (TokenReview is for webhooks, not clients). */
function authenticationPath(version: string | undefined, tail: string[]): ApiPath {
  if (!version) return { kind: "group", group: AUTHENTICATION_GROUP };
  if (version !== AUTHENTICATION_VERSION) return { kind: "notFound" };
  if (tail.length === 0) return { kind: "resourceList", group: AUTHENTICATION_GROUP, version };
  if (tail.length === 1 && tail[0] === SELF_SUBJECT_REVIEWS) return { kind: "selfSubjectReview" };
  return { kind: "notFound" };
}

export function parseApiPath(pathname: string, catalog: ResourceCatalog): ApiPath {
  const segments = pathname.split("/").filter((s) => s.length > 0).map(decodeURIComponent);
  const [root, ...rest] = segments;
  if (root === "version" && rest.length === 0) return { kind: "version" };
  if ((root === "healthz" || root === "livez" || root === "readyz") && rest.length <= 1) return { kind: "health" };
  if (root === "openapi") return { kind: "openapi", path: rest.join("/") };
  if (root === "emulator" && rest.length === 1) return { kind: "emulator", action: rest[0] ?? "" };
  if (root === "api") {
    if (rest.length === 0) return { kind: "coreVersions" };
    const [version, ...tail] = rest;
    if (version !== "v1") return { kind: "notFound" };
    if (tail.length === 0) return { kind: "resourceList", group: "", version };
    return resourcePath(catalog, "", version, tail);
  }
  if (root === "apis") {
    if (rest.length === 0) return { kind: "groupList" };
    const [group, version, ...tail] = rest;
    if (group === AUTHORIZATION_GROUP) return authorizationPath(version, tail);
    if (group === AUTHENTICATION_GROUP) return authenticationPath(version, tail);
    if (!group || !catalog.servedGroups().includes(group)) return { kind: "notFound" };
    if (!version) return { kind: "group", group };
    if (!catalog.versionsOfGroup(group).includes(version)) return { kind: "notFound" };
    if (tail.length === 0) return { kind: "resourceList", group, version };
    return resourcePath(catalog, group, version, tail);
  }
  return { kind: "notFound" };
}
