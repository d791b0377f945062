/**
 * The config editor's changes to Istio objects, through the browser's one API client (same-origin
 * header, refusals with their fields, sign-in when signed out).
 */
import { z } from "zod";
import { istioObjectPath, istioWriteResultSchema, type IstioWriteResult } from "@/lib/api/istioConfig";
import { sendJson } from "@/lib/apiClient";

export function replaceObject(ref: { namespace: string; kind: string; name: string }, yaml: string, resourceVersion: string, dryRun: boolean): Promise<IstioWriteResult> {
  return sendJson("PUT", `${istioObjectPath(ref.namespace, ref.kind, ref.name)}${dryRun ? "?dryRun=true" : ""}`, { yaml, resourceVersion }, istioWriteResultSchema);
}

export function createObject(target: { namespace: string; kind: string }, yaml: string, dryRun: boolean): Promise<IstioWriteResult> {
  return sendJson("POST", `${istioObjectPath(target.namespace, target.kind)}${dryRun ? "?dryRun=true" : ""}`, { yaml }, istioWriteResultSchema);
}

export function deleteObject(ref: { namespace: string; kind: string; name: string }, resourceVersion: string): Promise<unknown> {
  return sendJson("DELETE", `${istioObjectPath(ref.namespace, ref.kind, ref.name)}?resourceVersion=${encodeURIComponent(resourceVersion)}`, undefined, z.unknown());
}
