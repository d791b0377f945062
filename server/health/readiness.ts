/**
 * Readiness: can the console do its job right now? It needs the Kubernetes API (mesh config),
 * Prometheus (traffic) and its watch caches of the mesh filled by their first lists (findings and
 * config views read them; before that they would answer 503 or from nothing). Each is asked one
 * cheap question with a short time limit, in parallel, and the answer names which one failed and why.
 */

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

export interface ReadinessProbes {
  /** Resolves with a short description of what answered (e.g. the Kubernetes version). */
  kubernetes: () => Promise<string>;
  prometheus: () => Promise<string>;
  /** Resolves once every watch cache has its first list; rejects naming those still loading. */
  caches: () => Promise<string>;
}

async function check(probe: () => Promise<string>): Promise<DependencyCheck> {
  const started = performance.now();
  try {
    const detail = await probe();
    return { ok: true, detail, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error), latencyMs: Math.round(performance.now() - started) };
  }
}

export async function checkReadiness(probes: ReadinessProbes): Promise<Readiness> {
  const [kubernetes, prometheus, caches] = await Promise.all([check(probes.kubernetes), check(probes.prometheus), check(probes.caches)]);
  return { ready: kubernetes.ok && prometheus.ok && caches.ok, checks: { kubernetes, prometheus, caches } };
}
