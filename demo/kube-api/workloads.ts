/**
 * What the controllers and Istio's sidecar injector would do, done synchronously: a Deployment
 * gets a ReplicaSet `<deployment>-<pod-template-hash>` and running Pods `<replicaset>-<5 chars>`;
 * pods in injected namespaces get the istio-proxy sidecar and the labels injection adds; Services
 * get Endpoints from the ready pods they select; every Namespace gets its `default`
 * ServiceAccount. Replica counts are reconciled on every Deployment write; a template change
 * starts a new ReplicaSet and empties the old one at once (no rolling update).
 * https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
 * https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/
 */
import { deepCopy, type JsonObject, type KubeObject } from "./object";
import type { Controller, Registry } from "./registry";
import { RESOURCE_TYPES, type ResourceType } from "./resources";
import { labelSelectorMatches, mapSelectorMatches, type LabelSelectorSpec } from "./selectors";

export const PROXY_IMAGE = "docker.io/istio/proxyv2:1.24.2";

function typeOf(group: string, kind: string): ResourceType {
  const type = RESOURCE_TYPES.find((t) => t.group === group && t.kind === kind);
  if (!type) throw new Error(`resource type ${kind} is not registered`);
  return type;
}

const NAMESPACES = typeOf("", "Namespace");
const PODS = typeOf("", "Pod");
const SERVICES = typeOf("", "Service");
const ENDPOINTS = typeOf("", "Endpoints");
const SERVICE_ACCOUNTS = typeOf("", "ServiceAccount");
const DEPLOYMENTS = typeOf("apps", "Deployment");
const REPLICA_SETS = typeOf("apps", "ReplicaSet");

const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** FNV-1a, rendered in Kubernetes' vowel-free alphabet so names never spell words. */
export function safeHash(text: string, length = 10): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const digits = String(hash).padStart(length, "7");
  let out = "";
  for (let i = 0; i < length; i++) out += SAFE_ALPHABET[(digits.charCodeAt(i) * 7 + i * 3) % SAFE_ALPHABET.length];
  return out;
}

interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: JsonObject & { containers: (JsonObject & { name: string; image: string })[] };
}

interface WorkloadSpec {
  replicas?: number;
  selector: LabelSelectorSpec;
  template: PodTemplate;
}

function ownerReference(owner: KubeObject) {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

function isInjected(registry: Registry, namespace: string, template: PodTemplate): boolean {
  const labels = registry.store.get(NAMESPACES, undefined, namespace)?.metadata.labels ?? {};
  const optedOut = template.metadata?.labels?.["sidecar.istio.io/inject"] === "false" || template.metadata?.annotations?.["sidecar.istio.io/inject"] === "false";
  const alreadyProxied = template.spec.containers.some((c) => c.name === "istio-proxy");
  return !optedOut && !alreadyProxied && (labels["istio-injection"] === "enabled" || labels["istio.io/rev"] !== undefined);
}

/** The pod the injector would admit: sidecar, init container, labels and annotations. */
function injectSidecar(template: PodTemplate, workloadName: string): PodTemplate {
  const labels = { ...template.metadata?.labels };
  const appContainer = template.spec.containers[0]?.name ?? workloadName;
  labels["security.istio.io/tlsMode"] = "istio";
  labels["service.istio.io/canonical-name"] ??= labels["app.kubernetes.io/name"] ?? labels.app ?? workloadName;
  labels["service.istio.io/canonical-revision"] ??= labels["app.kubernetes.io/version"] ?? labels.version ?? "latest";
  const annotations = {
    ...template.metadata?.annotations,
    "kubectl.kubernetes.io/default-container": appContainer,
    "kubectl.kubernetes.io/default-logs-container": appContainer,
    "prometheus.io/path": "/stats/prometheus",
    "prometheus.io/port": "15020",
    "prometheus.io/scrape": "true",
    "sidecar.istio.io/status": JSON.stringify({
      initContainers: ["istio-init"],
      containers: ["istio-proxy"],
      volumes: ["workload-socket", "credential-socket", "workload-certs", "istio-envoy", "istio-data", "istio-podinfo", "istio-token", "istiod-ca-cert"],
      imagePullSecrets: null,
      revision: "default",
    }),
  };
  const proxy = {
    name: "istio-proxy",
    image: PROXY_IMAGE,
    args: ["proxy", "sidecar", "--domain", "$(POD_NAMESPACE).svc.cluster.local", "--proxyLogLevel=warning", "--log_output_level=default:info"],
    ports: [{ containerPort: 15090, name: "http-envoy-prom", protocol: "TCP" }],
    readinessProbe: { httpGet: { path: "/healthz/ready", port: 15021 } },
  };
  const init = { name: "istio-init", image: PROXY_IMAGE, args: ["istio-iptables", "-p", "15001", "-z", "15006", "-u", "1337"] };
  const initContainers = [init, ...((template.spec.initContainers as JsonObject[] | undefined) ?? [])];
  return { metadata: { ...template.metadata, labels, annotations }, spec: { ...template.spec, initContainers, containers: [...template.spec.containers, proxy] } };
}

/** Tracks which objects each owner (by uid) controls, so reconciling never scans a namespace. */
class OwnerIndex {
  private readonly owned = new Map<string, Set<string>>();
  private readonly ownerOf = new Map<string, string>();

  record(object: KubeObject, deleted: boolean): void {
    const key = `${object.metadata.namespace}/${object.metadata.name}`;
    const previousOwner = this.ownerOf.get(key);
    if (previousOwner) this.owned.get(previousOwner)?.delete(object.metadata.name);
    this.ownerOf.delete(key);
    if (deleted) return;
    const owner = object.metadata.ownerReferences?.find((r) => r.controller)?.uid;
    if (!owner) return;
    this.ownerOf.set(key, owner);
    let names = this.owned.get(owner);
    if (!names) {
      names = new Set();
      this.owned.set(owner, names);
    }
    names.add(object.metadata.name);
  }

  namesOwnedBy(uid: string): string[] {
    return [...(this.owned.get(uid) ?? [])].sort();
  }
}

function reconcileReplicaSetPods(registry: Registry, podIndex: OwnerIndex, replicaSet: KubeObject, replicas: number): void {
  const namespace = replicaSet.metadata.namespace ?? "";
  const spec = replicaSet.spec as WorkloadSpec;
  const owned = podIndex.namesOwnedBy(replicaSet.metadata.uid);
  for (const name of owned.slice(replicas)) registry.systemDelete(PODS, namespace, name);
  for (let i = 0, attempt = 0; owned.length + i < replicas; attempt++) {
    const name = `${replicaSet.metadata.name}-${safeHash(`${replicaSet.metadata.uid}/${attempt}`, 5)}`;
    if (registry.store.get(PODS, namespace, name)) continue;
    const template = deepCopy(spec.template);
    registry.systemPut(PODS, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name,
        namespace,
        uid: "",
        resourceVersion: "",
        creationTimestamp: "",
        generateName: `${replicaSet.metadata.name}-`,
        labels: template.metadata?.labels ?? {},
        ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [ownerReference(replicaSet)],
      },
      spec: template.spec,
    });
    i++;
  }
}

function reconcileDeployment(registry: Registry, rsIndex: OwnerIndex, podIndex: OwnerIndex, deployment: KubeObject): void {
  const namespace = deployment.metadata.namespace ?? "";
  const spec = deployment.spec as WorkloadSpec;
  const replicas = spec.replicas ?? 1;
  let template: PodTemplate = deepCopy(spec.template);
  if (isInjected(registry, namespace, template)) template = injectSidecar(template, deployment.metadata.name);
  const hash = safeHash(JSON.stringify(spec.template));
  const rsName = `${deployment.metadata.name}-${hash}`;
  const labels = { ...template.metadata?.labels, "pod-template-hash": hash };
  for (const oldName of rsIndex.namesOwnedBy(deployment.metadata.uid)) {
    if (oldName === rsName) continue;
    const old = registry.store.get(REPLICA_SETS, namespace, oldName);
    if (!old) continue;
    reconcileReplicaSetPods(registry, podIndex, old, 0);
    registry.systemPut(REPLICA_SETS, { ...old, spec: { ...(old.spec as JsonObject), replicas: 0 }, status: undefined });
  }
  const existing = registry.store.get(REPLICA_SETS, namespace, rsName);
  const replicaSet = registry.systemPut(REPLICA_SETS, {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      ...(existing?.metadata ?? {}),
      name: rsName,
      namespace,
      uid: existing?.metadata.uid ?? "",
      resourceVersion: "",
      creationTimestamp: existing?.metadata.creationTimestamp ?? "",
      generation: existing?.metadata.generation ?? 1,
      labels,
      annotations: { "deployment.kubernetes.io/desired-replicas": String(replicas), "deployment.kubernetes.io/revision": "1" },
      ownerReferences: [ownerReference(deployment)],
    },
    spec: {
      replicas,
      selector: { ...spec.selector, matchLabels: { ...spec.selector.matchLabels, "pod-template-hash": hash } },
      template: { metadata: { ...template.metadata, labels }, spec: template.spec },
    },
    status: existing?.status,
  });
  reconcileReplicaSetPods(registry, podIndex, replicaSet, replicas);
}

interface ServiceSpec {
  selector?: Record<string, string> | null;
  ports?: { name?: string; port: number; targetPort?: number | string; protocol?: string }[];
}

function targetPortOf(target: number | string | undefined, port: number, pods: KubeObject[]): number {
  if (typeof target === "number") return target;
  if (target === undefined) return port;
  for (const pod of pods) {
    const containers = ((pod.spec as JsonObject).containers ?? []) as { ports?: { name?: string; containerPort: number }[] }[];
    for (const c of containers) for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  }
  return port;
}

/** Pods by each of their `key=value` labels, so a Service's pods are found without a namespace scan. */
class PodLabelIndex {
  private readonly byPair = new Map<string, Set<string>>();
  private readonly pairsOf = new Map<string, string[]>();

  record(pod: KubeObject, deleted: boolean): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    for (const pair of this.pairsOf.get(key) ?? []) this.byPair.get(pair)?.delete(pod.metadata.name);
    this.pairsOf.delete(key);
    if (deleted) return;
    const pairs = Object.entries(pod.metadata.labels ?? {}).map(([k, v]) => `${pod.metadata.namespace}/${k}=${v}`);
    this.pairsOf.set(key, pairs);
    for (const pair of pairs) {
      let names = this.byPair.get(pair);
      if (!names) {
        names = new Set();
        this.byPair.set(pair, names);
      }
      names.add(pod.metadata.name);
    }
  }

  /** Pods carrying the selector's first label; callers still check the whole selector. */
  podsWith(registry: Registry, namespace: string, selector: Record<string, string>): KubeObject[] {
    const first = Object.entries(selector).sort()[0];
    if (!first) return [];
    const pods: KubeObject[] = [];
    for (const name of this.byPair.get(`${namespace}/${first[0]}=${first[1]}`) ?? []) {
      const pod = registry.store.get(PODS, namespace, name);
      if (pod) pods.push(pod);
    }
    return pods;
  }
}

/** Which Services' Endpoints list each pod (`namespace/pod` → service names), to update them when the pod goes. */
type EndpointMembership = Map<string, Set<string>>;

/** The Endpoints the endpoints controller keeps for a Service: one subset of the ready pods it selects. */
function reconcileEndpoints(registry: Registry, podLabels: PodLabelIndex, membership: EndpointMembership, service: KubeObject): void {
  const namespace = service.metadata.namespace ?? "";
  const spec = service.spec as ServiceSpec;
  if (!spec.selector || Object.keys(spec.selector).length === 0) return;
  const pods = podLabels
    .podsWith(registry, namespace, spec.selector)
    .filter((pod) => mapSelectorMatches(spec.selector ?? undefined, pod.metadata.labels))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  const addresses = pods
    .map((pod) => ({ pod, status: pod.status as { podIP?: string; phase?: string } | undefined }))
    .filter(({ status }) => status?.podIP && status.phase === "Running")
    .map(({ pod, status }) => ({
      ip: status?.podIP ?? "",
      nodeName: (pod.spec as JsonObject).nodeName as string,
      targetRef: { kind: "Pod", name: pod.metadata.name, namespace, uid: pod.metadata.uid },
    }));
  const ports = (spec.ports ?? []).map((p) => ({
    ...(p.name ? { name: p.name } : {}),
    port: targetPortOf(p.targetPort, p.port, pods),
    protocol: p.protocol ?? "TCP",
  }));
  const subsets = addresses.length > 0 ? [{ addresses, ports }] : [];
  for (const pod of pods) {
    const key = `${namespace}/${pod.metadata.name}`;
    let services = membership.get(key);
    if (!services) {
      services = new Set();
      membership.set(key, services);
    }
    services.add(service.metadata.name);
  }
  const existing = registry.store.get(ENDPOINTS, namespace, service.metadata.name);
  if (existing && JSON.stringify(existing.subsets ?? []) === JSON.stringify(subsets)) return;
  registry.systemPut(ENDPOINTS, {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: {
      ...(existing?.metadata ?? {}),
      name: service.metadata.name,
      namespace,
      uid: existing?.metadata.uid ?? "",
      resourceVersion: "",
      creationTimestamp: existing?.metadata.creationTimestamp ?? "",
      labels: { ...service.metadata.labels, "endpoints.kubernetes.io/managed-by": "endpoint-controller" },
    },
    subsets,
  });
}

/**
 * Services by one of their selector's `key=value` pairs, so finding the Services that select a
 * pod looks at a handful of candidates instead of every Service in the namespace.
 */
class SelectorIndex {
  private readonly byPair = new Map<string, Set<string>>();
  private readonly pairsOf = new Map<string, string>();

  record(service: KubeObject, deleted: boolean): void {
    const key = `${service.metadata.namespace}/${service.metadata.name}`;
    const previous = this.pairsOf.get(key);
    if (previous) this.byPair.get(previous)?.delete(service.metadata.name);
    this.pairsOf.delete(key);
    const selector = (service.spec as ServiceSpec | undefined)?.selector;
    const first = selector ? Object.entries(selector).sort()[0] : undefined;
    if (deleted || !first) return;
    const pair = `${service.metadata.namespace}/${first[0]}=${first[1]}`;
    this.pairsOf.set(key, pair);
    let names = this.byPair.get(pair);
    if (!names) {
      names = new Set();
      this.byPair.set(pair, names);
    }
    names.add(service.metadata.name);
  }

  candidates(namespace: string, labels: Record<string, string> | undefined): string[] {
    const names: string[] = [];
    for (const [k, v] of Object.entries(labels ?? {})) for (const name of this.byPair.get(`${namespace}/${k}=${v}`) ?? []) names.push(name);
    return names;
  }
}

/** Services that select the pod now or listed it before (its labels may have changed, or it is gone). */
function servicesSelecting(registry: Registry, index: SelectorIndex, membership: EndpointMembership, pod: KubeObject, deleted: boolean): KubeObject[] {
  const namespace = pod.metadata.namespace ?? "";
  const key = `${namespace}/${pod.metadata.name}`;
  const names = new Set(membership.get(key) ?? []);
  if (deleted) membership.delete(key);
  else membership.set(key, new Set());
  if (!deleted) {
    for (const name of index.candidates(namespace, pod.metadata.labels)) {
      const svc = registry.store.get(SERVICES, namespace, name);
      if (svc && mapSelectorMatches((svc.spec as ServiceSpec).selector ?? undefined, pod.metadata.labels)) names.add(name);
    }
  }
  const services: KubeObject[] = [];
  for (const name of names) {
    const svc = registry.store.get(SERVICES, namespace, name);
    if (svc) services.push(svc);
  }
  return services;
}

/** One controller reacting to every stored change, as kube-controller-manager and istiod would. */
export function createWorkloadController(): Controller {
  const rsIndex = new OwnerIndex();
  const podIndex = new OwnerIndex();
  const membership: EndpointMembership = new Map();
  const selectors = new SelectorIndex();
  const podLabels = new PodLabelIndex();
  return (registry, type, object, deleted) => {
    if (type === REPLICA_SETS) rsIndex.record(object, deleted);
    if (type === PODS) {
      podIndex.record(object, deleted);
      podLabels.record(object, deleted);
    }
    if (type === SERVICES) selectors.record(object, deleted);
    const namespace = object.metadata.namespace ?? "";
    if (type === NAMESPACES && !deleted) {
      if (!registry.store.get(SERVICE_ACCOUNTS, object.metadata.name, "default")) {
        registry.systemPut(SERVICE_ACCOUNTS, {
          apiVersion: "v1",
          kind: "ServiceAccount",
          metadata: { name: "default", namespace: object.metadata.name, uid: "", resourceVersion: "", creationTimestamp: "" },
        });
      }
    } else if (type === DEPLOYMENTS && !deleted) {
      reconcileDeployment(registry, rsIndex, podIndex, object);
    } else if (type === SERVICES) {
      if (deleted) registry.systemDelete(ENDPOINTS, namespace, object.metadata.name);
      else reconcileEndpoints(registry, podLabels, membership, object);
    } else if (type === PODS) {
      for (const service of servicesSelecting(registry, selectors, membership, object, deleted)) reconcileEndpoints(registry, podLabels, membership, service);
    } else if (type === REPLICA_SETS && !deleted && !object.metadata.ownerReferences?.length) {
      // A bare ReplicaSet (no Deployment) still gets its pods.
      reconcileReplicaSetPods(registry, podIndex, object, (object.spec as WorkloadSpec).replicas ?? 1);
    }
  };
}

export function selectsPods(selector: LabelSelectorSpec | undefined, pod: KubeObject): boolean {
  return labelSelectorMatches(selector, pod.metadata.labels);
}
