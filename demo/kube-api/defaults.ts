/**
 * Fields a cluster fills in that clients read back: Service cluster IPs and port defaults,
 * Namespace phase, Pod status (a running, ready pod, since nothing here runs containers) and
 * workload status. Defaulters replace nested objects rather than editing them, because the
 * current object's parts may be shared with the stored copy.
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#defaulting
 */
import { isJsonObject, type JsonObject, type KubeObject } from "./object";
import { kubeTimestamp, type Defaulter } from "./registry";

class AddressPool {
  private next = 0;
  constructor(private readonly prefix: [number, number], private readonly offset: number) {}
  allocate(): string {
    const n = this.offset + this.next++;
    return `${this.prefix[0]}.${this.prefix[1]}.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
  }
}

interface ServicePortSpec extends JsonObject {
  port?: number;
  targetPort?: number | string;
  protocol?: string;
}

function defaultService(object: KubeObject, current: KubeObject | undefined, clusterIPs: AddressPool): void {
  const spec = { ...(object.spec as JsonObject) };
  const currentSpec = (current?.spec ?? {}) as JsonObject;
  spec.type ??= "ClusterIP";
  spec.sessionAffinity ??= "None";
  if (spec.type !== "ExternalName") {
    // The cluster IP is immutable once allocated: https://kubernetes.io/docs/concepts/services-networking/cluster-ip-allocation/
    spec.clusterIP ??= (currentSpec.clusterIP as string | undefined) ?? clusterIPs.allocate();
    spec.clusterIPs ??= [spec.clusterIP];
    spec.ipFamilies ??= ["IPv4"];
    spec.ipFamilyPolicy ??= "SingleStack";
    spec.internalTrafficPolicy ??= "Cluster";
  }
  if (Array.isArray(spec.ports)) {
    spec.ports = (spec.ports as ServicePortSpec[]).map((p) => ({ ...p, protocol: p.protocol ?? "TCP", targetPort: p.targetPort ?? p.port }));
  }
  object.spec = spec;
  if (spec.type === "LoadBalancer" && object.status === undefined) {
    object.status = { loadBalancer: { ingress: [{ ip: "127.0.0.1", ipMode: "VIP" }] } };
  } else if (object.status === undefined) {
    object.status = { loadBalancer: {} };
  }
}

function defaultNamespace(object: KubeObject): void {
  object.metadata.labels = { ...object.metadata.labels, "kubernetes.io/metadata.name": object.metadata.name };
  object.spec = { finalizers: ["kubernetes"], ...(isJsonObject(object.spec) ? object.spec : {}) };
  object.status = { phase: "Active" };
}

interface ContainerSpec extends JsonObject {
  name: string;
  image: string;
}

function containerStatus(container: ContainerSpec, startedAt: string, index: number, podUid: string): JsonObject {
  const id = `${podUid.replace(/-/g, "")}${index.toString(16)}`.padEnd(64, "0").slice(0, 64);
  return {
    name: container.name,
    image: container.image,
    imageID: `${container.image.split(":")[0] ?? container.image}@sha256:${id}`,
    containerID: `containerd://${id}`,
    ready: true,
    started: true,
    restartCount: 0,
    state: { running: { startedAt } },
  };
}

function defaultPod(object: KubeObject, podIPs: AddressPool): void {
  const spec = { ...(object.spec as JsonObject) };
  spec.restartPolicy ??= "Always";
  spec.dnsPolicy ??= "ClusterFirst";
  spec.schedulerName ??= "default-scheduler";
  spec.serviceAccountName ??= "default";
  spec.nodeName ??= "demo-worker";
  object.spec = spec;
  const existing = isJsonObject(object.status) ? object.status : undefined;
  if (existing?.phase) return;
  const now = kubeTimestamp();
  const ip = podIPs.allocate();
  const containers = (spec.containers ?? []) as ContainerSpec[];
  const initContainers = (spec.initContainers ?? []) as ContainerSpec[];
  const condition = (type: string) => ({ type, status: "True", lastProbeTime: null, lastTransitionTime: now });
  object.status = {
    phase: "Running",
    conditions: ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"].map(condition),
    hostIP: "10.0.0.10",
    hostIPs: [{ ip: "10.0.0.10" }],
    podIP: ip,
    podIPs: [{ ip }],
    startTime: now,
    initContainerStatuses: initContainers.map((c, i) => ({
      ...containerStatus(c, now, 100 + i, object.metadata.uid),
      ready: true,
      started: false,
      state: { terminated: { exitCode: 0, reason: "Completed", startedAt: now, finishedAt: now } },
    })),
    containerStatuses: containers.map((c, i) => containerStatus(c, now, i, object.metadata.uid)),
    qosClass: "BestEffort",
  };
}

/** Workload status as a controller that has finished rolling out would leave it. */
function defaultWorkloadStatus(object: KubeObject, kind: string): void {
  const spec = (object.spec ?? {}) as { replicas?: number };
  const replicas = spec.replicas ?? 1;
  object.spec = { replicas, ...(object.spec as JsonObject) };
  const generation = object.metadata.generation ?? 1;
  const existing = (isJsonObject(object.status) ? object.status : {}) as { replicas?: number; observedGeneration?: number };
  if (existing.replicas === replicas && existing.observedGeneration === generation) return;
  const now = kubeTimestamp();
  const counts = { replicas, readyReplicas: replicas, availableReplicas: replicas, fullyLabeledReplicas: replicas };
  if (kind === "ReplicaSet") {
    object.status = { ...counts, observedGeneration: generation };
    return;
  }
  const { fullyLabeledReplicas: _f, ...deploymentCounts } = counts;
  object.status = {
    ...deploymentCounts,
    updatedReplicas: replicas,
    observedGeneration: generation,
    conditions: [
      { type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability.", lastUpdateTime: now, lastTransitionTime: now },
      { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable", message: `ReplicaSet has successfully progressed.`, lastUpdateTime: now, lastTransitionTime: now },
    ],
  };
}

/** Builds the defaulter with its own address pools, so two servers in one process do not share them. */
export function createDefaulter(): Defaulter {
  const clusterIPs = new AddressPool([10, 96], 10);
  const podIPs = new AddressPool([10, 244], 0);
  return (_registry, type, object, current) => {
    if (type.group === "" && type.kind === "Service") defaultService(object, current, clusterIPs);
    else if (type.group === "" && type.kind === "Namespace") defaultNamespace(object);
    else if (type.group === "" && type.kind === "Pod") defaultPod(object, podIPs);
    else if (type.group === "apps") defaultWorkloadStatus(object, type.kind);
  };
}
