/**
 * The slice of each Kubernetes / Istio object the simulator reads, parsed with zod at the
 * boundary. Only fields the simulator acts on are typed; everything else passes through.
 */
import { z } from "zod";

const labelMap = z.record(z.string(), z.string());

export const objectMetaSchema = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  labels: labelMap.optional(),
  annotations: labelMap.optional(),
  resourceVersion: z.string().optional(),
  creationTimestamp: z.union([z.string(), z.date()]).optional(),
});

export const namespaceSchema = z.looseObject({ metadata: objectMetaSchema });

export const serviceSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z
    .looseObject({
      selector: labelMap.nullish(),
      clusterIP: z.string().optional(),
      ports: z
        .array(
          z.looseObject({
            name: z.string().optional(),
            port: z.number().int(),
            protocol: z.string().optional(),
            appProtocol: z.string().optional(),
          }),
        )
        .nullish(),
    })
    .optional(),
});

export const deploymentSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z.looseObject({
    replicas: z.number().int().min(0).nullish(),
    template: z.looseObject({
      metadata: z
        .looseObject({ labels: labelMap.optional(), annotations: labelMap.optional() })
        .optional(),
      spec: z.looseObject({ serviceAccountName: z.string().optional(), nodeName: z.string().optional() }).optional(),
    }),
  }),
});

/** Istio StringMatch: exactly one of exact / prefix / regex. */
export const stringMatchSchema = z.looseObject({
  exact: z.string().optional(),
  prefix: z.string().optional(),
  regex: z.string().optional(),
});

const percentSchema = z.looseObject({ value: z.number().min(0).max(100) });

export const httpMatchSchema = z.looseObject({
  name: z.string().optional(),
  uri: stringMatchSchema.optional(),
  method: stringMatchSchema.optional(),
  headers: z.record(z.string(), stringMatchSchema).optional(),
  withoutHeaders: z.record(z.string(), stringMatchSchema).optional(),
  sourceLabels: labelMap.optional(),
  sourceNamespace: z.string().optional(),
  gateways: z.array(z.string()).optional(),
});

export const destinationSchema = z.looseObject({
  host: z.string(),
  subset: z.string().optional(),
  port: z.looseObject({ number: z.number().int().optional() }).optional(),
});

export const httpRouteSchema = z.looseObject({
  name: z.string().optional(),
  match: z.array(httpMatchSchema).optional(),
  route: z
    .array(z.looseObject({ destination: destinationSchema, weight: z.number().int().min(0).optional() }))
    .optional(),
  timeout: z.string().optional(),
  retries: z
    .looseObject({
      attempts: z.number().int().min(0).optional(),
      perTryTimeout: z.string().optional(),
      retryOn: z.string().optional(),
    })
    .optional(),
  fault: z
    .looseObject({
      delay: z
        .looseObject({
          percentage: percentSchema.optional(),
          percent: z.number().int().optional(),
          fixedDelay: z.string().optional(),
        })
        .optional(),
      abort: z
        .looseObject({
          percentage: percentSchema.optional(),
          httpStatus: z.number().int().optional(),
        })
        .optional(),
    })
    .optional(),
  mirror: destinationSchema.optional(),
  mirrorPercentage: percentSchema.optional(),
});

export const tcpRouteSchema = z.looseObject({
  route: z
    .array(z.looseObject({ destination: destinationSchema, weight: z.number().int().min(0).optional() }))
    .optional(),
});

export const virtualServiceSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z.looseObject({
    hosts: z.array(z.string()).default([]),
    gateways: z.array(z.string()).optional(),
    http: z.array(httpRouteSchema).optional(),
    tcp: z.array(tcpRouteSchema).optional(),
  }),
});

export const trafficPolicySchema = z.looseObject({
  tls: z.looseObject({ mode: z.string().optional() }).optional(),
  outlierDetection: z
    .looseObject({
      consecutive5xxErrors: z.number().int().min(0).optional(),
      consecutiveErrors: z.number().int().min(0).optional(),
      consecutiveGatewayErrors: z.number().int().min(0).optional(),
      interval: z.string().optional(),
      baseEjectionTime: z.string().optional(),
      maxEjectionPercent: z.number().int().min(0).max(100).optional(),
    })
    .optional(),
});

export const destinationRuleSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z.looseObject({
    host: z.string(),
    trafficPolicy: trafficPolicySchema.optional(),
    subsets: z
      .array(z.looseObject({ name: z.string(), labels: labelMap.optional(), trafficPolicy: trafficPolicySchema.optional() }))
      .optional(),
  }),
});

export const peerAuthenticationSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z
    .looseObject({
      selector: z.looseObject({ matchLabels: labelMap.optional() }).nullish(),
      mtls: z.looseObject({ mode: z.string().optional() }).nullish(),
    })
    .default({}),
});

/**
 * AuthorizationPolicy is parsed by the console's own schema (lib/istio/authorizationPolicy.ts), the
 * one its evaluator reads, so the demo enforces exactly what the console evaluates.
 */
export { normalizedAuthorizationPolicySchema as authorizationPolicySchema } from "@/lib/istio/authorizationPolicy";

export type ObjectMeta = z.infer<typeof objectMetaSchema>;
export type NamespaceObject = z.infer<typeof namespaceSchema>;
export type ServiceObject = z.infer<typeof serviceSchema>;
export type DeploymentObject = z.infer<typeof deploymentSchema>;
export type StringMatch = z.infer<typeof stringMatchSchema>;
export type HttpMatch = z.infer<typeof httpMatchSchema>;
export type HttpRoute = z.infer<typeof httpRouteSchema>;
export type RouteDestination = z.infer<typeof destinationSchema>;
export type VirtualServiceObject = z.infer<typeof virtualServiceSchema>;
export type TrafficPolicy = z.infer<typeof trafficPolicySchema>;
export type DestinationRuleObject = z.infer<typeof destinationRuleSchema>;
export type PeerAuthenticationObject = z.infer<typeof peerAuthenticationSchema>;
export type { NormalizedAuthorizationPolicy as AuthorizationPolicyObject } from "@/lib/istio/authorizationPolicy";

/** Formats a zod failure as "kind ns/name: field.path: message" so a person can find the object. */
export function describeParseError(kind: string, raw: unknown, error: z.ZodError): string {
  const meta = (raw as { metadata?: { name?: unknown; namespace?: unknown } } | null)?.metadata;
  const name = typeof meta?.name === "string" ? meta.name : "<unnamed>";
  const where = typeof meta?.namespace === "string" ? `${meta.namespace}/${name}` : name;
  const issues = error.issues
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
  return `${kind} ${where}: ${issues}`;
}

/**
 * Parses a protobuf-style duration ("0.5s", "10s") and, leniently, Go-style units
 * ("100ms", "1m"). Returns milliseconds.
 */
export function parseDurationMs(value: string, field: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
  if (!match) {
    throw new Error(`${field}: expected a duration such as "0.5s" or "100ms", got "${value}"`);
  }
  const amount = Number(match[1]);
  const unit = match[2];
  const factor = unit === "ms" ? 1 : unit === "s" ? 1000 : unit === "m" ? 60_000 : 3_600_000;
  return amount * factor;
}
