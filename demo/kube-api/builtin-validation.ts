/**
 * The essentials of Kubernetes' validation of built-in kinds, as zod schemas: what a console or a
 * simulator could get wrong and a real cluster would refuse with 422 Invalid.
 * https://kubernetes.io/docs/reference/kubernetes-api/
 */
import { z } from "zod";
import type { StatusCause } from "./status";
import { labelSelectorMatches, type LabelSelectorSpec } from "./selectors";

const portNumber = z.number().int().min(1, "must be between 1 and 65535, inclusive").max(65535, "must be between 1 and 65535, inclusive");
const protocol = z.enum(["TCP", "UDP", "SCTP"]).optional();

const servicePort = z.looseObject({
  name: z.string().optional(),
  port: portNumber,
  targetPort: z.union([portNumber, z.string().min(1)]).optional(),
  protocol,
  appProtocol: z.string().optional(),
});

const serviceSchema = z.looseObject({
  spec: z.looseObject({
    type: z.enum(["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]).optional(),
    ports: z.array(servicePort).optional(),
    selector: z.record(z.string(), z.string()).nullable().optional(),
    externalName: z.string().optional(),
  }),
});

const container = z.looseObject({
  name: z.string().min(1),
  image: z.string().min(1),
  ports: z.array(z.looseObject({ containerPort: portNumber, name: z.string().optional(), protocol })).optional(),
});

const podSpec = z.looseObject({
  containers: z.array(container).min(1, "Required value"),
  initContainers: z.array(container).optional(),
  serviceAccountName: z.string().optional(),
});

const labelSelector = z.looseObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(z.looseObject({ key: z.string(), operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]), values: z.array(z.string()).optional() }))
    .optional(),
});

const podTemplate = z.looseObject({
  metadata: z.looseObject({ labels: z.record(z.string(), z.string()).optional() }).optional(),
  spec: podSpec,
});

const workloadSchema = z.looseObject({
  spec: z.looseObject({
    replicas: z.number().int().min(0, "must be greater than or equal to 0").optional(),
    selector: labelSelector,
    template: podTemplate,
  }),
});

const podSchema = z.looseObject({ spec: podSpec });

const configMapSchema = z.looseObject({
  data: z.record(z.string(), z.string()).nullable().optional(),
  binaryData: z.record(z.string(), z.string()).nullable().optional(),
});

const endpointsSchema = z.looseObject({
  subsets: z
    .array(
      z.looseObject({
        addresses: z.array(z.looseObject({ ip: z.string() })).optional(),
        ports: z.array(z.looseObject({ port: portNumber, name: z.string().optional(), protocol })).optional(),
      }),
    )
    .nullable()
    .optional(),
});

const SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  Service: serviceSchema,
  Deployment: workloadSchema,
  ReplicaSet: workloadSchema,
  Pod: podSchema,
  ConfigMap: configMapSchema,
  Endpoints: endpointsSchema,
};

function pathOf(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

function causesFromZod(error: z.ZodError): StatusCause[] {
  return error.issues.map((issue) => {
    const field = pathOf(issue.path);
    const missing = issue.code === "invalid_type" && issue.message.includes("received undefined");
    if (missing || issue.message === "Required value") return { reason: "FieldValueRequired", field, message: "Required value" };
    if (issue.code === "invalid_value") return { reason: "FieldValueNotSupported", field, message: `Unsupported value: ${issue.message}` };
    return { reason: "FieldValueInvalid", field, message: `Invalid value: ${issue.message}` };
  });
}

/** Rules a schema cannot say: cross-field checks Kubernetes makes on Services and workloads. */
function crossFieldCauses(kind: string, object: Record<string, unknown>): StatusCause[] {
  const causes: StatusCause[] = [];
  if (kind === "Service") {
    const spec = object.spec as { type?: string; ports?: { name?: string }[]; clusterIP?: string };
    const ports = spec.ports ?? [];
    if (ports.length === 0 && spec.type !== "ExternalName" && spec.clusterIP !== "None") {
      causes.push({ reason: "FieldValueRequired", field: "spec.ports", message: "Required value" });
    }
    // https://kubernetes.io/docs/concepts/services-networking/service/#multi-port-services
    if (ports.length > 1) {
      ports.forEach((p, i) => {
        if (!p.name) causes.push({ reason: "FieldValueRequired", field: `spec.ports[${i}].name`, message: "Required value" });
      });
    }
    const seen = new Set<string>();
    ports.forEach((p, i) => {
      if (!p.name) return;
      if (seen.has(p.name)) causes.push({ reason: "FieldValueDuplicate", field: `spec.ports[${i}].name`, message: `Duplicate value: "${p.name}"` });
      seen.add(p.name);
    });
  }
  if (kind === "Deployment" || kind === "ReplicaSet") {
    const spec = object.spec as { selector?: LabelSelectorSpec; template?: { metadata?: { labels?: Record<string, string> } } };
    const selector = spec.selector ?? {};
    if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) {
      causes.push({ reason: "FieldValueInvalid", field: "spec.selector", message: "Invalid value: {}: empty selector is invalid for deployment" });
    } else if (!labelSelectorMatches(selector, spec.template?.metadata?.labels ?? {})) {
      causes.push({
        reason: "FieldValueInvalid",
        field: "spec.template.metadata.labels",
        message: `Invalid value: ${JSON.stringify(spec.template?.metadata?.labels ?? {})}: \`selector\` does not match template \`labels\``,
      });
    }
  }
  return causes;
}

/** Causes of a 422 for a built-in kind's body; empty when valid. */
export function validateBuiltinObject(kind: string, object: Record<string, unknown>): StatusCause[] {
  const schema = SCHEMAS[kind];
  if (!schema) return [];
  const parsed = schema.safeParse(object);
  if (!parsed.success) return causesFromZod(parsed.error);
  return crossFieldCauses(kind, object);
}
