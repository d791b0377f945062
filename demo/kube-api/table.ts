/**
 * Server-side printing: `kubectl get` asks for `application/json;as=Table;g=meta.k8s.io;v=v1`
 * and prints the columns the server chooses. Columns follow kubectl's built-in printers and
 * the additionalPrinterColumns of Istio's CRDs, or those a kind declares (CRDs, the Gateway API).
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables
 */
import type { JsonObject, KubeObject } from "./object";
import { isJsonObject } from "./object";
import type { PrinterColumn, ResourceType } from "./resources";

interface Column {
  name: string;
  type: "string" | "integer" | "date";
  description: string;
  priority?: number;
  /** null prints as kubectl's `<none>`. */
  cell: (object: KubeObject, now: number) => string | number | null;
}

/** "45s", "12m", "5h", "3d": the shape kubectl prints ages in. */
export function humanAge(timestamp: string | undefined, now: number): string {
  if (!timestamp) return "<unknown>";
  const seconds = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

const spec = (o: KubeObject) => (o.spec ?? {}) as JsonObject;
const status = (o: KubeObject) => (o.status ?? {}) as JsonObject;
const list = (value: unknown) => (Array.isArray(value) ? JSON.stringify(value) : "");

const NAME: Column = { name: "Name", type: "string", description: "Name must be unique within a namespace.", cell: (o) => o.metadata.name };
const AGE: Column = { name: "Age", type: "date", description: "CreationTimestamp of the object.", cell: (o, now) => humanAge(o.metadata.creationTimestamp, now) };

function podColumns(): Column[] {
  const containerStatuses = (o: KubeObject) => (status(o).containerStatuses ?? []) as { ready?: boolean; restartCount?: number }[];
  return [
    { name: "Ready", type: "string", description: "Ready containers.", cell: (o) => `${containerStatuses(o).filter((c) => c.ready).length}/${(spec(o).containers as unknown[] | undefined)?.length ?? 0}` },
    { name: "Status", type: "string", description: "Pod phase.", cell: (o) => String(status(o).phase ?? "Pending") },
    { name: "Restarts", type: "integer", description: "Container restarts.", cell: (o) => containerStatuses(o).reduce((n, c) => n + (c.restartCount ?? 0), 0) },
    AGE,
    { name: "IP", type: "string", description: "Pod IP.", priority: 1, cell: (o) => String(status(o).podIP ?? "<none>") },
    { name: "Node", type: "string", description: "Node name.", priority: 1, cell: (o) => String(spec(o).nodeName ?? "<none>") },
  ];
}

function serviceColumns(): Column[] {
  const ports = (o: KubeObject) => ((spec(o).ports ?? []) as { port: number; protocol?: string }[]).map((p) => `${p.port}/${p.protocol ?? "TCP"}`).join(",");
  const external = (o: KubeObject) => {
    const ingress = ((status(o).loadBalancer as JsonObject | undefined)?.ingress ?? []) as { ip?: string }[];
    return ingress.length > 0 ? ingress.map((i) => i.ip).join(",") : spec(o).type === "LoadBalancer" ? "<pending>" : "<none>";
  };
  return [
    { name: "Type", type: "string", description: "Service type.", cell: (o) => String(spec(o).type ?? "ClusterIP") },
    { name: "Cluster-IP", type: "string", description: "Cluster IP.", cell: (o) => String(spec(o).clusterIP ?? "<none>") },
    { name: "External-IP", type: "string", description: "External IPs.", cell: external },
    { name: "Port(s)", type: "string", description: "Ports.", cell: ports },
    AGE,
  ];
}

function workloadColumns(kind: string): Column[] {
  const s = (o: KubeObject) => status(o) as { readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number; replicas?: number };
  const desired = (o: KubeObject) => (spec(o).replicas as number | undefined) ?? 1;
  if (kind === "ReplicaSet") {
    return [
      { name: "Desired", type: "integer", description: "Desired replicas.", cell: desired },
      { name: "Current", type: "integer", description: "Current replicas.", cell: (o) => s(o).replicas ?? 0 },
      { name: "Ready", type: "integer", description: "Ready replicas.", cell: (o) => s(o).readyReplicas ?? 0 },
      AGE,
    ];
  }
  return [
    { name: "Ready", type: "string", description: "Ready replicas.", cell: (o) => `${s(o).readyReplicas ?? 0}/${desired(o)}` },
    { name: "Up-to-date", type: "integer", description: "Updated replicas.", cell: (o) => s(o).updatedReplicas ?? 0 },
    { name: "Available", type: "integer", description: "Available replicas.", cell: (o) => s(o).availableReplicas ?? 0 },
    AGE,
  ];
}

/** The JSONPath subset CRD printer columns use: `.a.b`, `[*]`, `[0]` and `[?(@.k=="v")]`. */
export function evaluateColumnPath(object: unknown, jsonPath: string): unknown[] {
  let current: unknown[] = [object];
  const tokens = jsonPath.match(/\.[^.[]+|\[\*\]|\[\d+\]|\[\?\(@\.[^=]+==("[^"]*"|'[^']*')\)\]/g) ?? [];
  for (const token of tokens) {
    const next: unknown[] = [];
    for (const value of current) {
      if (token.startsWith(".")) {
        if (isJsonObject(value) && value[token.slice(1)] !== undefined) next.push(value[token.slice(1)]);
      } else if (token === "[*]") {
        if (Array.isArray(value)) next.push(...value);
      } else if (/^\[\d+\]$/.test(token)) {
        if (Array.isArray(value) && value[Number(token.slice(1, -1))] !== undefined) next.push(value[Number(token.slice(1, -1))]);
      } else {
        const filter = /^\[\?\(@\.([^=]+)==["'](.*)["']\)\]$/.exec(token);
        if (filter && Array.isArray(value)) next.push(...value.filter((item) => isJsonObject(item) && String(item[filter[1] ?? ""]) === filter[2]));
      }
    }
    current = next;
  }
  return current;
}

function printerColumn(column: PrinterColumn): Column {
  if (column.type === "date") {
    return { name: column.name, type: "date", description: column.description ?? "", priority: column.priority, cell: (o, now) => {
      const value = evaluateColumnPath(o, column.jsonPath)[0];
      return typeof value === "string" ? humanAge(value, now) : "<unknown>";
    } };
  }
  return {
    name: column.name,
    type: column.type === "integer" ? "integer" : "string",
    description: column.description ?? "",
    priority: column.priority,
    // kube-apiserver prints the first result only, and no cell when there is none.
    cell: (o) => {
      const value = evaluateColumnPath(o, column.jsonPath)[0];
      if (value === undefined || value === null) return null;
      if (column.type === "integer") return typeof value === "number" ? value : null;
      return typeof value === "string" ? value : JSON.stringify(value);
    },
  };
}

function columnsOf(type: ResourceType): Column[] {
  if (type.printerColumns) return [NAME, ...type.printerColumns.map(printerColumn)];
  switch (type.kind) {
    case "Pod":
      return [NAME, ...podColumns()];
    case "Service":
      return [NAME, ...serviceColumns()];
    case "Deployment":
    case "ReplicaSet":
      return [NAME, ...workloadColumns(type.kind)];
    case "Namespace":
      return [NAME, { name: "Status", type: "string", description: "Namespace phase.", cell: (o) => String(status(o).phase ?? "Active") }, AGE];
    case "VirtualService":
      return [
        NAME,
        { name: "Gateways", type: "string", description: "The names of gateways and sidecars that should apply these routes.", cell: (o) => list(spec(o).gateways) },
        { name: "Hosts", type: "string", description: "The destination hosts to which traffic is being sent.", cell: (o) => list(spec(o).hosts) },
        AGE,
      ];
    case "DestinationRule":
      return [NAME, { name: "Host", type: "string", description: "The name of a service from the service registry.", cell: (o) => String(spec(o).host ?? "") }, AGE];
    case "ServiceEntry":
      return [
        NAME,
        { name: "Hosts", type: "string", description: "The hosts associated with the ServiceEntry.", cell: (o) => list(spec(o).hosts) },
        { name: "Location", type: "string", description: "Whether the service is external to the mesh or part of the mesh.", cell: (o) => String(spec(o).location ?? "") },
        { name: "Resolution", type: "string", description: "Service resolution mode for the hosts.", cell: (o) => String(spec(o).resolution ?? "") },
        AGE,
      ];
    default:
      return [NAME, AGE];
  }
}

export type IncludeObject = "None" | "Metadata" | "Object";

function rowObject(object: KubeObject, include: IncludeObject): unknown {
  if (include === "None") return undefined;
  if (include === "Object") return object;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: object.metadata };
}

export function toTable(type: ResourceType, objects: readonly KubeObject[], include: IncludeObject, listMeta: JsonObject) {
  const now = Date.now();
  const columns = columnsOf(type);
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: listMeta,
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type === "date" ? "string" : c.type,
      format: c.name === "Name" ? "name" : "",
      description: c.description,
      priority: c.priority ?? 0,
    })),
    rows: objects.map((o) => ({ cells: columns.map((c) => c.cell(o, now)), object: rowObject(o, include) })),
  };
}

/** Parses the Accept header: does the client want a Table? */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(",")[0] ?? "";
  return /as=Table/.test(first) && /g=meta\.k8s\.io/.test(first);
}
