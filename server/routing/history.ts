/**
 * The routing history the console keeps on the VirtualService itself, so it survives console
 * restarts and is visible to `kubectl`: the spec before the console's last change (what rollback
 * restores) and a short list of who moved which weights when. Annotations are bounded to 256 KiB
 * per object in total (https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/#syntax-and-character-set),
 * so both stay small.
 */
import { z } from "zod";
import { routingHistoryEntrySchema, type RoutingHistoryEntry } from "@/lib/routing/schemas";
import type { VirtualService } from "./istioObjects";

export const PREVIOUS_SPEC_ANNOTATION = "mesh-console.io/previous-spec";
export const HISTORY_ANNOTATION = "mesh-console.io/routing-history";
export const HISTORY_LIMIT = 10;
/** A previous spec larger than this is not kept; rollback is then unavailable for that change. */
export const MAX_PREVIOUS_SPEC_BYTES = 64 * 1024;

/** "none" means there was no object before: rolling back deletes it. */
export type PreviousSpec<Spec = VirtualService["spec"]> = { kind: "spec"; spec: Spec } | { kind: "none" };

/** Any Istio object the console changes and may roll back (VirtualService, AuthorizationPolicy). */
type Annotated = { metadata: { annotations?: Record<string, string> | null } };

/** The history on a routing object (a VirtualService, or a mesh HTTPRoute). */
export function readHistory(object: Annotated | undefined): RoutingHistoryEntry[] {
  const raw = object?.metadata.annotations?.[HISTORY_ANNOTATION];
  if (!raw) return [];
  try {
    const parsed = z.array(routingHistoryEntrySchema).safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export function readPreviousSpec<Spec = VirtualService["spec"]>(object: Annotated | undefined): PreviousSpec<Spec> | undefined {
  const raw = object?.metadata.annotations?.[PREVIOUS_SPEC_ANNOTATION];
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (value === null) return { kind: "none" };
    if (typeof value === "object" && !Array.isArray(value)) return { kind: "spec", spec: value as Spec };
  } catch {
    // An annotation someone edited by hand into something unreadable: no rollback from it.
  }
  return undefined;
}

/** Writes the spec of `previous` (the object before this change; none: there was none) into `next`, for rollback. */
export function recordPreviousSpec(next: Annotated, previous: { spec: unknown } | undefined): void {
  const annotations = { ...(next.metadata.annotations ?? {}) };
  const previousSpec = JSON.stringify(previous ? previous.spec : null);
  if (Buffer.byteLength(previousSpec, "utf8") <= MAX_PREVIOUS_SPEC_BYTES) annotations[PREVIOUS_SPEC_ANNOTATION] = previousSpec;
  else delete annotations[PREVIOUS_SPEC_ANNOTATION];
  next.metadata.annotations = annotations;
}

/** Writes `previous` (the object before this change, if any) and the history entry into `next`. */
export function recordChange(next: Annotated, previous: (Annotated & { spec: unknown }) | undefined, entry: RoutingHistoryEntry): void {
  recordPreviousSpec(next, previous);
  next.metadata.annotations = { ...next.metadata.annotations, [HISTORY_ANNOTATION]: JSON.stringify([...readHistory(previous), entry].slice(-HISTORY_LIMIT)) };
}
