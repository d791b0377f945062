import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { list, section } from "@/lib/istio/fields";
import { MESH_ROOT_NAMESPACE } from "@/lib/istio/rootNamespace";

/**
 * The parts of Istio's MeshConfig the rules depend on
 * (https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/). It comes from the `mesh`
 * key of the `istio` ConfigMap in the control-plane namespace, or from a file given to the CLI.
 */

export const meshConfigSchema = section({
  rootNamespace: z.string().optional(),
  trustDomain: z.string().optional(),
  defaultServiceExportTo: list(z.string()),
  defaultVirtualServiceExportTo: list(z.string()),
  defaultDestinationRuleExportTo: list(z.string()),
  defaultConfig: section({ proxyMetadata: z.preprocess((v) => v ?? {}, z.record(z.string(), z.string())) }),
});
export type MeshConfig = z.infer<typeof meshConfigSchema>;

export interface MeshSettings {
  readonly rootNamespace: string;
  readonly trustDomain: string;
  readonly serviceExportTo: readonly string[];
  readonly virtualServiceExportTo: readonly string[];
  readonly destinationRuleExportTo: readonly string[];
  /** Istio's DNS proxy allocates addresses for ServiceEntries, so they need none of their own. */
  readonly dnsAutoAllocate: boolean;
  /** Injection is on for every namespace not labelled otherwise (sidecar injector `enableNamespacesByDefault`). */
  readonly injectNamespacesByDefault: boolean;
}

function orDefault(values: readonly string[], fallback: readonly string[]): readonly string[] {
  return values.length > 0 ? values : fallback;
}

export function meshSettings(config: MeshConfig | undefined, injectNamespacesByDefault: boolean): MeshSettings {
  const metadata = config?.defaultConfig.proxyMetadata ?? {};
  return {
    rootNamespace: config?.rootNamespace || MESH_ROOT_NAMESPACE,
    trustDomain: config?.trustDomain || "cluster.local",
    serviceExportTo: orDefault(config?.defaultServiceExportTo ?? [], ["*"]),
    virtualServiceExportTo: orDefault(config?.defaultVirtualServiceExportTo ?? [], ["*"]),
    destinationRuleExportTo: orDefault(config?.defaultDestinationRuleExportTo ?? [], ["*"]),
    dnsAutoAllocate: metadata.ISTIO_META_DNS_AUTO_ALLOCATE === "true" && metadata.ISTIO_META_DNS_CAPTURE === "true",
    injectNamespacesByDefault,
  };
}

/** Parse mesh config text (YAML or JSON); throws an Error naming the bad field. */
export function parseMeshConfigText(text: string, source: string): MeshConfig {
  const raw: unknown = parseYaml(text, { maxAliasCount: 100, customTags: [] });
  const result = meshConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${source}: mesh config field ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
  }
  return result.data;
}

const injectorValuesSchema = z.looseObject({
  sidecarInjectorWebhook: z.looseObject({ enableNamespacesByDefault: z.boolean().optional() }).optional(),
});

/** Reads `enableNamespacesByDefault` from the injector ConfigMap's `values` (JSON); false when absent or unreadable. */
export function injectorEnablesNamespacesByDefault(values: string | undefined): boolean {
  if (!values) return false;
  try {
    const parsed = injectorValuesSchema.safeParse(JSON.parse(values));
    return parsed.success && parsed.data.sidecarInjectorWebhook?.enableNamespacesByDefault === true;
  } catch {
    return false;
  }
}
