/**
 * What the config editor's endpoints answer (app/api/istio-config/[namespace]/[kind]/…): an object
 * as read, and the outcome of a write (server/kube/writes.ts WriteResult).
 */
import { z } from "zod";

const metadataSchema = z.looseObject({ resourceVersion: z.string().optional(), name: z.string().optional() });

/** GET of one object; its resourceVersion is what Save writes at. */
export const istioObjectResponseSchema = z.object({ object: z.looseObject({ metadata: metadataSchema }) });

/** PUT/POST answer: the object as stored, or as it would be stored when only a dry run was made. */
export const istioWriteResultSchema = z.object({ object: z.looseObject({ metadata: metadataSchema }), dryRun: z.boolean() });
export type IstioWriteResult = z.infer<typeof istioWriteResultSchema>;

export function istioObjectPath(namespace: string, kind: string, name?: string): string {
  const base = `/api/istio-config/${encodeURIComponent(namespace)}/${encodeURIComponent(kind)}`;
  return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
}
