/**
 * For tests only: Bookinfo's routing objects from the demo's own manifests, and from Istio's
 * Bookinfo sample when it is present beside the repository.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { destinationRuleSchema, virtualServiceSchema, type DestinationRule, type VirtualService } from "./istioObjects";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
export const BOOKINFO_SAMPLE = path.resolve(REPO_ROOT, "../shared/corpus/bookinfo/networking");
export const REVIEWS = { namespace: "bookinfo", service: "reviews" } as const;

function documents(file: string): Record<string, unknown>[] {
  return parseAllDocuments(readFileSync(file, "utf8")).map((document) => document.toJS() as Record<string, unknown>);
}

export function demoDestinationRule(name: string): DestinationRule {
  const found = documents(path.join(REPO_ROOT, "demo/manifests/21-bookinfo-routing.yaml")).find((object) => object.kind === "DestinationRule" && (object.metadata as { name?: string }).name === name);
  if (!found) throw new Error(`DestinationRule ${name} is not in the demo manifests`);
  return destinationRuleSchema.parse(found);
}

/** A VirtualService from Istio's Bookinfo sample, placed in `bookinfo`; undefined when the sample is absent. */
export function sampleVirtualService(file: string): VirtualService | undefined {
  const full = path.join(BOOKINFO_SAMPLE, file);
  if (!existsSync(full)) return undefined;
  const vs = virtualServiceSchema.parse(documents(full)[0]);
  vs.metadata.namespace = "bookinfo";
  vs.metadata.resourceVersion = "7";
  return vs;
}

export function sampleMissing(): boolean {
  const missing = !existsSync(BOOKINFO_SAMPLE);
  if (missing) console.log(`Skipping the Istio Bookinfo sample cases: ${BOOKINFO_SAMPLE} is not there`);
  return missing;
}
