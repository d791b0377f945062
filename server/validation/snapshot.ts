import { formatObjectRef, type ObjectRef } from "@/lib/validation/finding";
import { hostCovers, serviceFqdn, toFqdn } from "@/lib/istio/host";
import { MESH_ROOT_NAMESPACE } from "@/lib/istio/rootNamespace";
import { isExportedTo, parseExportToAnnotation } from "./export-to";
import { selectorMatches, type Labels } from "./labels";
import { injectorEnablesNamespacesByDefault, meshSettings, parseMeshConfigText, type MeshConfig, type MeshSettings } from "./mesh-config";
import { ObjectStore } from "./object-store";
import {
  kindNames,
  parseMeshObject,
  type DestinationRuleObject,
  type InvalidObject,
  type KindName,
  type MeshObject,
  type PodObject,
  type ServiceEntryObject,
  type ServiceObject,
} from "./objects";
import type { PodSpec } from "./objects/kube";

/**
 * A read-only view of the mesh's configuration for the rules: typed objects per kind plus the
 * indexes rules share (by namespace, by host, by labels), each built on first use and rebuilt only
 * when a kind it depends on has changed.
 */

export interface SnapshotOptions {
  /** Mesh config given explicitly (CLI `--meshConfig`); otherwise read from the `istio` ConfigMap. */
  readonly meshConfig?: MeshConfig;
  /** Namespace for namespaced objects without one; unset keeps them namespace-less (as `istioctl analyze` prints them). */
  readonly defaultNamespace?: string;
  /**
   * Assume the default `istio-ingressgateway` Pod and Service exist, as `istioctl analyze` does when it
   * reads files without a cluster: Gateways selecting `istio: ingressgateway` then have a workload.
   */
  readonly assumeDefaultIngressGateway?: boolean;
}

/** A pod, or a pod template of a controller, or a WorkloadEntry: something labels select. */
export interface Workload {
  readonly ref: ObjectRef;
  readonly kind: "Pod" | "Deployment" | "ReplicaSet" | "WorkloadEntry";
  readonly namespace: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly podSpec?: PodSpec;
  readonly serviceAccount?: string;
}

interface MemoEntry {
  readonly stamp: string;
  readonly value: unknown;
}

const istioProxyContainer = "istio-proxy";

export function hasIstioProxy(spec: PodSpec | undefined): boolean {
  if (!spec) return false;
  return [...spec.containers, ...spec.initContainers].some((container) => container.name === istioProxyContainer);
}

export class MeshSnapshot {
  private readonly memos = new Map<string, MemoEntry>();

  constructor(
    private readonly store: ObjectStore,
    readonly options: SnapshotOptions = {},
  ) {}

  list<K extends KindName>(kind: K): readonly MeshObject<K>[] {
    return this.store.list(kind);
  }

  invalidObjects(): readonly InvalidObject[] {
    return this.store.invalid();
  }

  /** Build (or reuse) a value derived from the given kinds. */
  memo<T>(name: string, deps: readonly KindName[], build: () => T): T {
    const stamp = deps.map((kind) => this.store.version(kind)).join(",");
    const entry = this.memos.get(name);
    if (entry && entry.stamp === stamp) return entry.value as T;
    const value = build();
    this.memos.set(name, { stamp, value });
    return value;
  }

  get settings(): MeshSettings {
    return this.memo("settings", ["ConfigMap"], () => {
      let config = this.options.meshConfig;
      const root = config?.rootNamespace || MESH_ROOT_NAMESPACE;
      let injectorValues: string | undefined;
      for (const configMap of this.list("ConfigMap")) {
        if (configMap.ref.namespace !== root) continue;
        if (!config && configMap.ref.name === "istio" && configMap.data.mesh) {
          try {
            config = parseMeshConfigText(configMap.data.mesh, formatObjectRef(configMap.ref));
          } catch {
            // A broken mesh config is Istio's to report; validation falls back to the defaults.
          }
        }
        if (configMap.ref.name === "istio-sidecar-injector") injectorValues = configMap.data.values;
      }
      return meshSettings(config, injectorEnablesNamespacesByDefault(injectorValues));
    });
  }

  namespaceObject(name: string): MeshObject<"Namespace"> | undefined {
    return this.store.get("Namespace", `Namespace//${name}`);
  }

  /** Namespaces that exist: declared ones plus any an object lives in. */
  knownNamespaces(): ReadonlySet<string> {
    return this.memo("knownNamespaces", kindNames, () => {
      const names = new Set<string>();
      for (const kind of kindNames) {
        for (const object of this.list(kind)) {
          if (kind === "Namespace") names.add(object.ref.name);
          else if (object.ref.namespace) names.add(object.ref.namespace);
        }
      }
      return names;
    });
  }

  private groupByNamespace<K extends KindName>(kind: K): ReadonlyMap<string, readonly MeshObject<K>[]> {
    return this.memo(`byNamespace:${kind}`, [kind], () => {
      const groups = new Map<string, MeshObject<K>[]>();
      for (const object of this.list(kind)) {
        const group = groups.get(object.ref.namespace);
        if (group) group.push(object);
        else groups.set(object.ref.namespace, [object]);
      }
      return groups;
    });
  }

  inNamespace<K extends KindName>(kind: K, namespace: string): readonly MeshObject<K>[] {
    return this.groupByNamespace(kind).get(namespace) ?? [];
  }

  find<K extends KindName>(kind: K, namespace: string, name: string): MeshObject<K> | undefined {
    return this.store.get(kind, `${kind}/${namespace}/${name}`);
  }

  /** Every workload: pods, controller pod templates and WorkloadEntries. */
  workloads(): readonly Workload[] {
    return this.memo("workloads", ["Pod", "Deployment", "ReplicaSet", "WorkloadEntry"], () => {
      const out: Workload[] = [];
      for (const pod of this.list("Pod")) {
        out.push({
          ref: pod.ref,
          kind: "Pod",
          namespace: pod.ref.namespace,
          labels: pod.metadata.labels,
          annotations: pod.metadata.annotations,
          podSpec: pod.spec,
          serviceAccount: pod.spec.serviceAccountName ?? pod.spec.serviceAccount,
        });
      }
      for (const kind of ["Deployment", "ReplicaSet"] as const) {
        for (const controller of this.list(kind)) {
          const template = controller.spec.template;
          out.push({
            ref: controller.ref,
            kind,
            namespace: controller.ref.namespace,
            labels: template.metadata.labels,
            annotations: template.metadata.annotations,
            podSpec: template.spec,
            serviceAccount: template.spec.serviceAccountName ?? template.spec.serviceAccount,
          });
        }
      }
      for (const entry of this.list("WorkloadEntry")) {
        out.push({ ref: entry.ref, kind: "WorkloadEntry", namespace: entry.ref.namespace, labels: entry.spec.labels, annotations: entry.metadata.annotations, serviceAccount: entry.spec.serviceAccount });
      }
      return out;
    });
  }

  workloadsIn(namespace: string): readonly Workload[] {
    const groups = this.memo("workloadsByNamespace", ["Pod", "Deployment", "ReplicaSet", "WorkloadEntry"], () => {
      const map = new Map<string, Workload[]>();
      for (const workload of this.workloads()) {
        const group = map.get(workload.namespace);
        if (group) group.push(workload);
        else map.set(workload.namespace, [workload]);
      }
      return map;
    });
    return groups.get(namespace) ?? [];
  }

  /** Workloads a workload selector picks, in one namespace or (namespace undefined) anywhere. */
  selectWorkloads(selector: Labels, namespace: string | undefined): Workload[] {
    const candidates = namespace === undefined ? this.workloads() : this.workloadsIn(namespace);
    return candidates.filter((workload) => selectorMatches(selector, workload.labels));
  }

  /** Pods a Service's selector picks (a Service without a selector picks none). */
  podsOfService(service: ServiceObject): PodObject[] {
    const selector = service.spec.selector;
    if (Object.keys(selector).length === 0) return [];
    return this.inNamespace("Pod", service.ref.namespace).filter((pod) => selectorMatches(selector, pod.metadata.labels));
  }

  servicesByFqdn(fqdn: string): readonly ServiceObject[] {
    const index = this.memo("servicesByFqdn", ["Service"], () => {
      const map = new Map<string, ServiceObject[]>();
      for (const service of this.list("Service")) {
        const host = serviceFqdn(service.ref.name, service.ref.namespace);
        const group = map.get(host);
        if (group) group.push(service);
        else map.set(host, [service]);
      }
      return map;
    });
    return index.get(fqdn) ?? [];
  }

  serviceExportTo(service: ServiceObject): readonly string[] {
    return parseExportToAnnotation(service.metadata.annotations["networking.istio.io/exportTo"]) ?? this.settings.serviceExportTo;
  }

  /** The Kubernetes Services a host names, as seen from a namespace (honouring their exportTo). */
  visibleServices(fqdn: string, viewerNamespace: string): ServiceObject[] {
    return this.servicesByFqdn(fqdn).filter((service) => isExportedTo(this.serviceExportTo(service), service.ref.namespace, viewerNamespace));
  }

  serviceEntryExportTo(entry: ServiceEntryObject): readonly string[] {
    return entry.spec.exportTo.length > 0 ? entry.spec.exportTo : this.settings.serviceExportTo;
  }

  /** ServiceEntries visible from a namespace with a host that covers (or equals) the given one. */
  visibleServiceEntries(fqdn: string, viewerNamespace: string): ServiceEntryObject[] {
    const index = this.memo("serviceEntriesByHost", ["ServiceEntry"], () =>
      hostIndex(this.list("ServiceEntry"), (entry) => entry.spec.hosts.map((host) => toFqdn(host, entry.ref.namespace))),
    );
    return lookupHost(index, fqdn).filter((entry) => isExportedTo(this.serviceEntryExportTo(entry), entry.ref.namespace, viewerNamespace));
  }

  destinationRuleExportTo(rule: DestinationRuleObject): readonly string[] {
    return rule.spec.exportTo.length > 0 ? rule.spec.exportTo : this.settings.destinationRuleExportTo;
  }

  /** DestinationRules visible from a namespace whose host covers the given FQDN. */
  visibleDestinationRules(fqdn: string, viewerNamespace: string): DestinationRuleObject[] {
    const index = this.memo("destinationRulesByHost", ["DestinationRule"], () => hostIndex(this.list("DestinationRule"), (rule) => [toFqdn(rule.spec.host, rule.ref.namespace)]));
    return lookupHost(index, fqdn).filter((rule) => isExportedTo(this.destinationRuleExportTo(rule), rule.ref.namespace, viewerNamespace));
  }

  /** Labels of a pod plus the topology labels of its node, which Istio adds to the pod's labels for subset selection. */
  podLabelsWithTopology(pod: PodObject): Labels {
    const nodeName = pod.spec.nodeName;
    if (!nodeName) return pod.metadata.labels;
    const node = this.store.get("Node", `Node//${nodeName}`);
    if (!node) return pod.metadata.labels;
    const labels: Record<string, string> = { ...pod.metadata.labels };
    for (const key of ["topology.kubernetes.io/region", "topology.kubernetes.io/zone", "topology.istio.io/subzone"]) {
      const value = node.metadata.labels[key];
      if (value) labels[key] = value;
    }
    return labels;
  }

  /** Whether a service account exists: declared, or named by a workload in that namespace. */
  serviceAccountExists(namespace: string, name: string): boolean {
    if (this.find("ServiceAccount", namespace, name)) return true;
    if (name === "default") return true;
    return this.workloadsIn(namespace).some((workload) => workload.serviceAccount === name);
  }
}

interface HostIndex<T> {
  readonly exact: ReadonlyMap<string, readonly T[]>;
  readonly wildcard: readonly { readonly pattern: string; readonly item: T }[];
}

/** Objects by the hosts they declare: exact names in a map, wildcard patterns in a list. */
function hostIndex<T>(items: readonly T[], hostsOf: (item: T) => string[]): HostIndex<T> {
  const exact = new Map<string, T[]>();
  const wildcard: { pattern: string; item: T }[] = [];
  for (const item of items) {
    for (const host of new Set(hostsOf(item))) {
      if (host.startsWith("*")) wildcard.push({ pattern: host, item });
      else exact.set(host, [...(exact.get(host) ?? []), item]);
    }
  }
  return { exact, wildcard };
}

/** Objects whose host equals or covers `fqdn`, each once. */
function lookupHost<T>(index: HostIndex<T>, fqdn: string): T[] {
  const found = new Set<T>(index.exact.get(fqdn) ?? []);
  for (const { pattern, item } of index.wildcard) if (hostCovers(pattern, fqdn)) found.add(item);
  return [...found];
}

/** The Pod and Service `istioctl analyze` assumes when it reads files only (its default ingress gateway). */
export function defaultIngressGatewayObjects(rootNamespace: string): unknown[] {
  return [
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "istio-ingressgateway-assumed", namespace: rootNamespace, labels: { istio: "ingressgateway" } },
      spec: { containers: [{ name: istioProxyContainer }] },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "istio-ingressgateway", namespace: rootNamespace },
      spec: {
        selector: { istio: "ingressgateway" },
        ports: [
          { name: "http2", port: 80, targetPort: 8080 },
          { name: "https", port: 443, targetPort: 8443 },
        ],
      },
    },
  ];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `kind: List` documents carry their objects in `items`. */
export function expandLists(objects: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const object of objects) {
    if (isRecord(object) && typeof object.kind === "string" && object.kind.endsWith("List") && Array.isArray(object.items)) {
      out.push(...expandLists(object.items));
    } else {
      out.push(object);
    }
  }
  return out;
}

export function addToStore(store: ObjectStore, raw: unknown, options: SnapshotOptions, synthetic = false): "parsed" | "invalid" | "ignored" {
  const outcome = parseMeshObject(raw, { defaultNamespace: options.defaultNamespace, synthetic });
  if (outcome.status === "parsed") store.put(outcome.object);
  else if (outcome.status === "invalid") {
    const kind = outcome.invalid.key.slice(0, outcome.invalid.key.indexOf("/")) as KindName;
    store.putInvalid(kind, outcome.invalid);
  }
  return outcome.status;
}

export function seedDefaults(store: ObjectStore, options: SnapshotOptions): void {
  if (!options.assumeDefaultIngressGateway) return;
  const root = options.meshConfig?.rootNamespace || MESH_ROOT_NAMESPACE;
  for (const raw of defaultIngressGatewayObjects(root)) {
    const outcome = parseMeshObject(raw, { synthetic: true });
    // An object of the same name from the input wins over the assumed one.
    if (outcome.status === "parsed" && !store.get(outcome.object.kind, outcome.object.key)) store.put(outcome.object);
  }
}

/**
 * Sort raw objects (from YAML files or the console's Kubernetes caches) into a snapshot. Objects of
 * kinds validation does not read are skipped; malformed ones are kept as invalid and reported.
 */
export function snapshotFromObjects(objects: readonly unknown[], options: SnapshotOptions = {}): MeshSnapshot {
  const store = new ObjectStore();
  for (const raw of expandLists(objects)) addToStore(store, raw, options);
  seedDefaults(store, options);
  return new MeshSnapshot(store, options);
}
