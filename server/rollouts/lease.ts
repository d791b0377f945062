/**
 * Exactly one console replica drives each rollout: the one holding the rollout's
 * `coordination.k8s.io` Lease, as Kubernetes controllers elect a leader
 * (https://kubernetes.io/docs/concepts/architecture/leases/). A holder renews before the lease
 * lapses; another replica takes over only once `renewTime + leaseDurationSeconds` has passed. Every
 * write carries the resourceVersion it read, so two replicas racing for a lapsed lease cannot both
 * win: the loser gets 409 Conflict and stays a follower.
 */
import { CoordinationV1Api, type V1Lease } from "@kubernetes/client-node";
import type { KubeClients } from "@/server/kube";

/** The fields of a Lease the decision reads. Times in ms since the epoch. */
export interface LeaseView {
  holder: string | undefined;
  renewedAt: number | undefined;
  durationSeconds: number | undefined;
}

export type LeaseAction = "create" | "renew" | "take-over" | "held-by-other";

/** What a replica named `me` should do about a lease it read at `now` (undefined: no lease yet). */
export function leaseAction(lease: LeaseView | undefined, me: string, now: number): LeaseAction {
  if (!lease) return "create";
  if (lease.holder === me) return "renew";
  if (!lease.holder || lease.renewedAt === undefined || lease.durationSeconds === undefined) return "take-over";
  return now > lease.renewedAt + lease.durationSeconds * 1000 ? "take-over" : "held-by-other";
}

export function leaseViewOf(lease: V1Lease): LeaseView {
  const renewTime = lease.spec?.renewTime;
  return {
    holder: lease.spec?.holderIdentity ?? undefined,
    renewedAt: renewTime ? new Date(renewTime).getTime() : undefined,
    durationSeconds: lease.spec?.leaseDurationSeconds ?? undefined,
  };
}

function statusCodeOf(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "number") return error.code;
  return undefined;
}

export interface LeaseTarget {
  namespace: string;
  name: string;
  /** This replica's identity: stable for the process, distinct between replicas. */
  holder: string;
  durationSeconds: number;
}

export interface LeaseOutcome {
  held: boolean;
  /** Set when this replica took the lease over from another that stopped renewing it. */
  tookOverFrom?: string;
}

/**
 * Acquires or renews the lease with the console's own identity. `held` is false when another live
 * replica holds it, or when someone else wrote it first (409: the resourceVersion moved); other
 * errors propagate.
 */
export async function holdLease(clients: KubeClients, target: LeaseTarget, now: Date = new Date()): Promise<LeaseOutcome> {
  const api = clients.kubeConfig.makeApiClient(CoordinationV1Api);
  let current: V1Lease | undefined;
  try {
    current = await api.readNamespacedLease({ name: target.name, namespace: target.namespace });
  } catch (error) {
    if (statusCodeOf(error) !== 404) throw error;
  }
  const view = current ? leaseViewOf(current) : undefined;
  const action = leaseAction(view, target.holder, now.getTime());
  if (action === "held-by-other") return { held: false };
  // MicroTime: the API server keeps microseconds; client-node sends a Date as RFC 3339.
  const spec = {
    holderIdentity: target.holder,
    leaseDurationSeconds: target.durationSeconds,
    renewTime: now,
    acquireTime: action === "renew" ? (current?.spec?.acquireTime ?? now) : now,
    leaseTransitions: (current?.spec?.leaseTransitions ?? 0) + (action === "take-over" ? 1 : 0),
  };
  try {
    if (!current) {
      await api.createNamespacedLease({ namespace: target.namespace, body: { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: target.name, namespace: target.namespace }, spec } });
    } else {
      await api.replaceNamespacedLease({ name: target.name, namespace: target.namespace, body: { ...current, spec } });
    }
    return action === "take-over" && view?.holder ? { held: true, tookOverFrom: view.holder } : { held: true };
  } catch (error) {
    const code = statusCodeOf(error);
    if (code === 409) return { held: false };
    throw error;
  }
}

