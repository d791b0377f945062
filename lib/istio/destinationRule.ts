/**
 * DestinationRule: its schemas and the rules every reader shares (validation, routing wizards, the
 * graph, detail pages). https://istio.io/latest/docs/reference/config/networking/destination-rule/
 *
 * As for VirtualService (lib/istio/virtualService.ts), two readings of the same fields side by side:
 * `destinationRuleSchema` as written, for read-modify-write, and `normalizedDestinationRuleSchema`
 * (absent, null and empty read as empty) for readers that only look. `spec.host` resolves with
 * lib/istio/host.ts.
 */
import { z } from "zod";
import { istioKindInfo } from "@/lib/istioKinds";
import { list, matchLabelsSchema, metadataSchema, portNumber, section, stringMap, writtenMetadataSchema } from "./fields";
import { namesService, type ServiceRef } from "./host";

export const DESTINATION_RULE = istioKindInfo("DestinationRule");

// ---- As written (read-modify-write) -------------------------------------------------------

export const subsetSchema = z.looseObject({ name: z.string(), labels: z.record(z.string(), z.string()).nullish() });

export const destinationRuleSchema = z.looseObject({
  apiVersion: z.string().default("networking.istio.io/v1"),
  kind: z.literal("DestinationRule").default("DestinationRule"),
  metadata: writtenMetadataSchema,
  spec: z.looseObject({
    host: z.string(),
    subsets: z.array(subsetSchema).optional(),
    trafficPolicy: z.record(z.string(), z.unknown()).optional(),
  }),
});

export type DestinationRule = z.infer<typeof destinationRuleSchema>;
export type Subset = z.infer<typeof subsetSchema>;

// ---- Normalized (read only) -----------------------------------------------------------------

const clientTlsSchema = section({
  mode: z.string().optional(),
  caCertificates: z.string().optional(),
  credentialName: z.string().optional(),
  insecureSkipVerify: z.boolean().optional(),
});
export type ClientTls = z.infer<typeof clientTlsSchema>;

const trafficPolicySchema = section({
  tls: clientTlsSchema.optional(),
  portLevelSettings: list(section({ port: section({ number: portNumber.optional() }), tls: clientTlsSchema.optional() })),
});
export type TrafficPolicy = z.infer<typeof trafficPolicySchema>;

export const normalizedDestinationRuleSchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({
    host: z.string().min(1, "expected the host the rule applies to"),
    exportTo: list(z.string()),
    trafficPolicy: trafficPolicySchema.optional(),
    subsets: list(section({ name: z.string().min(1, "expected a subset name"), labels: stringMap, trafficPolicy: trafficPolicySchema.optional() })),
    workloadSelector: matchLabelsSchema.optional(),
  }),
});
export type NormalizedDestinationRule = z.infer<typeof normalizedDestinationRuleSchema>;

// ---- Rules -----------------------------------------------------------------------------------

/**
 * The subsets' `version` labels (subset name → version) of the DestinationRules in the service's
 * namespace whose host names the service: how a subset in a route stands for a workload version
 * (https://istio.io/latest/docs/reference/config/networking/destination-rule/#Subset). Rules in
 * one namespace for one host merge, as istiod merges them.
 */
export function subsetVersions(destinationRules: readonly DestinationRule[], service: ServiceRef): Map<string, string> {
  const versions = new Map<string, string>();
  for (const rule of destinationRules) {
    const namespace = rule.metadata.namespace ?? service.namespace;
    if (namespace !== service.namespace || !namesService(rule.spec.host, namespace, service)) continue;
    for (const subset of rule.spec.subsets ?? []) {
      const version = subset.labels?.version;
      if (version) versions.set(subset.name, version);
    }
  }
  return versions;
}
