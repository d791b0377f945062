/**
 * The console's findings, kept current from the watch caches: the validation index is built once
 * from the cached objects when every initial list is in, then fed each change as it arrives, so a
 * request for findings never reads the cluster.
 */
import { countBySeverity, type Finding, type Severity } from "@/lib/validation/finding";
import { meshCaches, type CacheEvent, type ObjectCaches } from "@/server/kube/informers";
import { createValidationIndex, type ValidationIndex } from "./incremental";

export interface FindingsReport {
  readonly findings: Finding[];
  readonly counts: Record<Severity, number>;
  /** When the findings last changed: the index build or the latest change applied, ISO 8601. */
  readonly computedAt: string;
}

export class ValidationNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ValidationNotReadyError";
  }
}

export interface LiveValidation {
  /** Waits up to `waitMs` for the caches' initial lists; throws ValidationNotReadyError after that. */
  report(namespaces: readonly string[], waitMs?: number): Promise<FindingsReport>;
  /** The findings now, or undefined while the caches are loading. */
  findings(namespaces?: readonly string[]): Finding[] | undefined;
  stop(): void;
}

/**
 * Kinds whose status a rule reads (negative-conditions): the conditions istiod writes on Gateway API
 * objects, and on Services, ServiceEntries and AuthorizationPolicies in ambient mode.
 */
function statusIsChecked(object: CacheEvent["object"]): boolean {
  if (typeof object.apiVersion === "string" && object.apiVersion.startsWith("gateway.networking.k8s.io/")) return true;
  return object.kind === "Service" || object.kind === "ServiceEntry" || object.kind === "AuthorizationPolicy";
}

/**
 * resourceVersion and managedFields change all the time (controller bookkeeping), and so does the
 * status of most kinds (pod phases), which no rule reads: such updates are not worth rerunning rules for.
 */
export function checkedContent(object: CacheEvent["object"]): string {
  const { status, metadata, ...rest } = object;
  const { resourceVersion: _resourceVersion, managedFields: _managedFields, generation: _generation, ...checkedMetadata } = metadata;
  return JSON.stringify(statusIsChecked(object) ? [checkedMetadata, rest, status] : [checkedMetadata, rest]);
}

function keyOf(event: CacheEvent): string {
  return `${event.object.apiVersion}/${event.object.kind}/${event.object.metadata.namespace ?? ""}/${event.object.metadata.name ?? ""}`;
}

export function createLiveValidation(caches: ObjectCaches): LiveValidation {
  let index: ValidationIndex | undefined;
  let computedAt = new Date();
  const seen = new Map<string, string>();

  const unsubscribe = caches.subscribe((event) => {
    // Before the index exists, the cached objects it will be built from already hold this change.
    if (!index) return;
    const key = keyOf(event);
    if (event.type === "DELETED") {
      seen.delete(key);
    } else {
      const content = checkedContent(event.object);
      if (event.type === "MODIFIED" && seen.get(key) === content) return;
      seen.set(key, content);
    }
    index.apply({ type: event.type, object: event.object });
    computedAt = new Date();
  });

  function build(): ValidationIndex {
    if (!index) {
      const objects = caches.all();
      for (const object of objects) seen.set(`${object.apiVersion}/${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name ?? ""}`, checkedContent(object));
      index = createValidationIndex(objects);
      computedAt = new Date();
    }
    return index;
  }

  return {
    async report(namespaces, waitMs = 5000) {
      if (!index) {
        try {
          await caches.ready(waitMs);
        } catch (error) {
          throw new ValidationNotReadyError(`Validation is not ready yet: ${error instanceof Error ? error.message : String(error)}. Try again in a few seconds.`);
        }
      }
      const findings = build().findings(namespaces.length ? namespaces : undefined);
      return { findings, counts: countBySeverity(findings), computedAt: computedAt.toISOString() };
    },
    findings(namespaces) {
      if (!index && !caches.isReady()) return undefined;
      return build().findings(namespaces?.length ? namespaces : undefined);
    },
    stop: unsubscribe,
  };
}

const globalKey = Symbol.for("mesh-console.live-validation");
type GlobalWithValidation = typeof globalThis & { [globalKey]?: LiveValidation };

/** The process-wide live validation over the shared mesh caches. */
export function liveValidation(): LiveValidation {
  const holder = globalThis as GlobalWithValidation;
  holder[globalKey] ??= createLiveValidation(meshCaches());
  return holder[globalKey];
}
