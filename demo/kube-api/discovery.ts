/**
 * Discovery documents (unaggregated form). Clients that ask for aggregated discovery
 * (apidiscovery.k8s.io/v2) accept these too: they read the Content-Type and fall back, as they
 * must for servers older than 1.26. https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api
 */
import { AUTHORIZATION_GROUP, AUTHORIZATION_VERSION, SELF_SUBJECT_ACCESS_REVIEW_RESOURCE } from "./access-review";
import { AUTHENTICATION_GROUP, AUTHENTICATION_VERSION, SELF_SUBJECT_REVIEW_RESOURCE } from "./self-subject-review";
import type { ResourceCatalog } from "./catalog";
import { ALL_VERBS, type ResourceType } from "./resources";

export const SERVER_VERSION = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0-mesh-console-demo",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2025-01-01T00:00:00Z",
  goVersion: "go1.23.4",
  compiler: "gc",
  platform: "linux/amd64",
};

const SERVER_ADDRESS = [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1" }];

export function coreVersions() {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: SERVER_ADDRESS };
}

/**
 * Groups as kube-apiserver lists them: its own groups first in its fixed priority order
 * (authorization.k8s.io serves reviews only), then the groups of custom resources by name.
 */
const BUILT_IN_GROUP_ORDER = [
  "apps",
  "events.k8s.io",
  AUTHENTICATION_GROUP,
  AUTHORIZATION_GROUP,
  "autoscaling",
  "batch",
  "certificates.k8s.io",
  "networking.k8s.io",
  "policy",
  "rbac.authorization.k8s.io",
  "storage.k8s.io",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "scheduling.k8s.io",
  "coordination.k8s.io",
];

function discoveredGroups(catalog: ResourceCatalog): string[] {
  const served = catalog.servedGroups();
  const builtIn = BUILT_IN_GROUP_ORDER.filter((g) => g === AUTHORIZATION_GROUP || g === AUTHENTICATION_GROUP || served.includes(g));
  return [...builtIn, ...served.filter((g) => !BUILT_IN_GROUP_ORDER.includes(g)).sort()];
}

function groupVersions(catalog: ResourceCatalog, group: string): string[] {
  if (group === AUTHORIZATION_GROUP) return [AUTHORIZATION_VERSION];
  if (group === AUTHENTICATION_GROUP) return [AUTHENTICATION_VERSION];
  return catalog.versionsOfGroup(group);
}

function groupDocument(catalog: ResourceCatalog, group: string) {
  const versions = groupVersions(catalog, group).map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function groupList(catalog: ResourceCatalog) {
  return { kind: "APIGroupList", apiVersion: "v1", groups: discoveredGroups(catalog).map((g) => groupDocument(catalog, g)) };
}

export function group(catalog: ResourceCatalog, name: string) {
  return { kind: "APIGroup", apiVersion: "v1", ...groupDocument(catalog, name) };
}

function resourceEntries(type: ResourceType) {
  const entry = {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: [...ALL_VERBS],
    ...(type.shortNames.length > 0 ? { shortNames: [...type.shortNames] } : {}),
    ...(type.categories.length > 0 ? { categories: [...type.categories] } : {}),
    storageVersionHash: Buffer.from(`${type.group}/${type.plural}`).toString("base64").slice(0, 11),
  };
  const entries: object[] = [entry];
  if (type.group === "" && type.plural === "pods") {
    entries.push({ name: "pods/log", singularName: "", namespaced: true, kind: "Pod", verbs: ["get"] });
  }
  if (type.statusSubresource) {
    entries.push({ name: `${type.plural}/status`, singularName: "", namespaced: type.namespaced, kind: type.kind, verbs: ["get", "patch", "update"] });
  }
  return entries;
}

export function resourceList(catalog: ResourceCatalog, groupName: string, version: string) {
  if (groupName === AUTHORIZATION_GROUP) {
    return { kind: "APIResourceList", apiVersion: "v1", groupVersion: `${groupName}/${version}`, resources: [SELF_SUBJECT_ACCESS_REVIEW_RESOURCE] };
  }
  if (groupName === AUTHENTICATION_GROUP) {
    return { kind: "APIResourceList", apiVersion: "v1", groupVersion: `${groupName}/${version}`, resources: [SELF_SUBJECT_REVIEW_RESOURCE] };
  }
  const resources = catalog.all().filter((t) => t.group === groupName && t.versions.includes(version)).flatMap(resourceEntries);
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: groupName ? `${groupName}/${version}` : version, resources };
}

/**
 * A minimal OpenAPI v3: an index of group-versions, and per group-version only the PATCH
 * operations, each declaring the `fieldValidation` parameter. That is what kubectl reads to
 * learn that the server validates fields itself (it then sends `fieldValidation=Strict`
 * instead of downloading schemas). No operation declares a strategic-merge-patch body, so
 * kubectl patches custom resources with JSON merge patch and built-ins with its compiled-in
 * strategies, as on a cluster. Schemas are not served.
 */
function groupVersionPath(groupName: string, version: string): string {
  return groupName ? `apis/${groupName}/${version}` : `api/${version}`;
}

export function openApiV3(catalog: ResourceCatalog, path: string): object | undefined {
  const groupVersions = [{ group: "", version: "v1" }, ...catalog.servedGroups().flatMap((g) => catalog.versionsOfGroup(g).map((version) => ({ group: g, version })))];
  if (path === "v3") {
    const paths: Record<string, object> = {};
    for (const { group: g, version } of groupVersions) {
      const key = groupVersionPath(g, version);
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${Buffer.from(key).toString("hex").slice(0, 32)}` };
    }
    return { paths };
  }
  const target = groupVersions.find(({ group: g, version }) => path === `v3/${groupVersionPath(g, version)}`);
  if (!target) return undefined;
  const fieldValidation = { name: "fieldValidation", in: "query", schema: { type: "string", uniqueItems: true } };
  const paths: Record<string, object> = {};
  for (const type of catalog.all().filter((t) => t.group === target.group && t.versions.includes(target.version))) {
    const prefix = `/${groupVersionPath(target.group, target.version)}`;
    const item = type.namespaced ? `${prefix}/namespaces/{namespace}/${type.plural}/{name}` : `${prefix}/${type.plural}/{name}`;
    paths[item] = {
      patch: {
        operationId: `patch${type.kind}`,
        parameters: [fieldValidation],
        "x-kubernetes-group-version-kind": { group: target.group, version: target.version, kind: type.kind },
      },
    };
  }
  return { openapi: "3.0.0", info: { title: "Kubernetes", version: SERVER_VERSION.gitVersion }, paths, components: { schemas: {} } };
}
