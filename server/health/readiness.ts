/**
 * Readiness: can the console do its job right now? It needs the Kubernetes API (mesh config),
 * Prometheus (traffic) and its watch caches of the mesh filled by their first lists (findings and
 * config views read them; before that they would answer 503 or from nothing). Each is asked one
 * cheap question with a short time limit, in parallel, and the answer names which one failed and why.
 *
 * Who sees the why: the details name the API server's and Prometheus' addresses and versions, and
 * upstream error text. A probe (kubelet, a load balancer) needs only ready or not and which check
 * failed, so that is all a visitor without a session gets (readinessForVisitor).
 */
import { redactUserInfo } from "@/server/http/redaction";

export interface DependencyCheck {
  ok: boolean;
  /** What was reached, or what went wrong and what to look at. */
  detail: string;
  latencyMs: number;
}

export interface Readiness {
  ready: boolean;
  checks: { kubernetes: DependencyCheck; prometheus: DependencyCheck; caches: DependencyCheck };
}

/** What a visitor without a session learns: ready or not, and which check failed. */
export interface VisitorReadiness {
  ready: boolean;
  checks: Record<keyof Readiness["checks"], { ok: boolean }>;
}

type CheckName = keyof Readiness["checks"];

export interface ReadinessProbes {
  /** Resolves with a short description of what answered (e.g. the Kubernetes version). */
  kubernetes: () => Promise<string>;
  prometheus: () => Promise<string>;
  /** Resolves once every watch cache has its first list; rejects naming those still loading. */
  caches: () => Promise<string>;
}

/** A time limit for a probe that has none of its own: after `ms`, the check fails with `describe()`. */
export interface ProbeTimeLimit {
  ms: number;
  describe: () => string;
}

/** Per check; a check without one relies on its probe's own limit (the caches name what is still loading). */
export type ReadinessLimits = Partial<Record<CheckName, ProbeTimeLimit>>;

async function check(probe: () => Promise<string>, limit: ProbeTimeLimit | undefined): Promise<DependencyCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<never>((_, reject) => {
    if (limit) timer = setTimeout(() => reject(new Error(limit.describe())), limit.ms);
  });
  try {
    const detail = await Promise.race([probe(), outOfTime]);
    return { ok: true, detail: redactUserInfo(detail), latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, detail: redactUserInfo(error instanceof Error ? error.message : String(error)), latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkReadiness(probes: ReadinessProbes, limits: ReadinessLimits): Promise<Readiness> {
  const run = (name: CheckName) => check(probes[name], limits[name]);
  const [kubernetes, prometheus, caches] = await Promise.all([run("kubernetes"), run("prometheus"), run("caches")]);
  return { ready: kubernetes.ok && prometheus.ok && caches.ok, checks: { kubernetes, prometheus, caches } };
}

export function readinessForVisitor(readiness: Readiness): VisitorReadiness {
  const { kubernetes, prometheus, caches } = readiness.checks;
  return { ready: readiness.ready, checks: { kubernetes: { ok: kubernetes.ok }, prometheus: { ok: prometheus.ok }, caches: { ok: caches.ok } } };
}
