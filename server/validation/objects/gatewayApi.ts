import { z } from "zod";
import { list, matchLabelsSchema, metadataSchema, portNumber, section } from "@/lib/istio/fields";

/**
 * The Gateway API kinds (https://gateway-api.sigs.k8s.io/reference/spec/), the CRDs that define
 * them, and the Istio policy kinds that select workloads (Telemetry, WasmPlugin), with the fields
 * the rules read. Lenient like the other kinds here: a field the API server would reject is the
 * schema check's business, not a reason to stop reading the object. `status` is read because
 * istiod reports there whether a route attached and its references resolved.
 */

/** A `metav1.Condition` (or an Istio condition: same fields). */
export const conditionSchema = section({
  type: z.string().optional(),
  status: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type StatusCondition = z.infer<typeof conditionSchema>;

export const conditionsStatusSchema = section({ conditions: list(conditionSchema) });

const parentRefSchema = section({
  group: z.string().optional(),
  kind: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().default(""),
  sectionName: z.string().optional(),
  port: portNumber.optional(),
});

const backendRefSchema = section({
  group: z.string().optional(),
  kind: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().default(""),
  port: portNumber.optional(),
  weight: z.number().optional(),
});

/** HTTPRoute, GRPCRoute, TLSRoute and TCPRoute share what reference checks read. */
export const routeSchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({
    parentRefs: list(parentRefSchema),
    hostnames: list(z.string()),
    rules: list(section({ backendRefs: list(backendRefSchema) })),
  }),
  status: section({
    parents: list(section({ parentRef: parentRefSchema, controllerName: z.string().optional(), conditions: list(conditionSchema) })),
  }),
});
export type RouteFields = z.infer<typeof routeSchema>;

export const referenceGrantSchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({
    from: list(section({ group: z.string().default(""), kind: z.string().default(""), namespace: z.string().default("") })),
    to: list(section({ group: z.string().default(""), kind: z.string().default(""), name: z.string().optional() })),
  }),
});

export const gatewayClassSchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({ controllerName: z.string().default("") }),
});

/** CustomResourceDefinition: its name and the Gateway API bundle-version annotation are what is read. */
export const customResourceDefinitionSchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({ group: z.string().optional(), names: section({ kind: z.string().optional() }) }),
});

const targetRefSchema = section({ group: z.string().optional(), kind: z.string().optional(), name: z.string().optional() });

/** Telemetry and WasmPlugin select workloads like AuthorizationPolicy does (selector, or targetRef(s)). */
export const selectingPolicySchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({ selector: matchLabelsSchema.optional(), targetRef: targetRefSchema.optional(), targetRefs: list(targetRefSchema) }),
});
