import { describe, expect, it } from "vitest";
import { checkReadiness, readinessForVisitor, type ReadinessLimits } from "./readiness";

const answers = (detail: string) => () => Promise.resolve(detail);
const fails = (message: string) => () => Promise.reject(new Error(message));
const never = () => new Promise<string>(() => undefined);
const limits: ReadinessLimits = {
  kubernetes: { ms: 50, describe: () => "Kubernetes API did not answer in time" },
  prometheus: { ms: 50, describe: () => "Prometheus did not answer in time" },
};

describe("readiness", () => {
  it("is ready only when the Kubernetes API, Prometheus and the watch caches all are", async () => {
    const readiness = await checkReadiness({ kubernetes: answers("Kubernetes v1.31.0"), prometheus: answers("Prometheus at http://prometheus:9090"), caches: answers("16 resources listed and watched") }, limits);
    expect(readiness.ready).toBe(true);
    expect(readiness.checks.caches).toMatchObject({ ok: true, detail: "16 resources listed and watched" });
  });

  it("is not ready while the caches are still loading, and says which ones, though both upstreams answer", async () => {
    const readiness = await checkReadiness(
      {
        kubernetes: answers("Kubernetes v1.31.0"),
        prometheus: answers("Prometheus at http://prometheus:9090"),
        caches: fails("The Kubernetes caches are still loading after 3 s: virtualservices"),
      },
      limits,
    );
    expect(readiness.ready).toBe(false);
    expect(readiness.checks.kubernetes.ok).toBe(true);
    expect(readiness.checks.prometheus.ok).toBe(true);
    expect(readiness.checks.caches).toMatchObject({ ok: false, detail: "The Kubernetes caches are still loading after 3 s: virtualservices" });
  });

  it("answers within its time limit when an upstream hangs, naming the one that did", async () => {
    const readiness = await checkReadiness({ kubernetes: answers("Kubernetes v1.31.0"), prometheus: never, caches: answers("ok") }, limits);
    expect(readiness.checks.prometheus).toMatchObject({ ok: false, detail: "Prometheus did not answer in time" });
  });

  it("never repeats credentials written into an upstream's URL", async () => {
    const readiness = await checkReadiness({ kubernetes: fails("Kubernetes API at https://admin:hunter2@10.0.0.1:6443 could not be reached"), prometheus: answers("ok"), caches: answers("ok") }, limits);
    expect(readiness.checks.kubernetes.detail).toBe("Kubernetes API at https://***@10.0.0.1:6443 could not be reached");
  });

  it("tells a visitor without a session only whether it is ready and which check failed", async () => {
    const readiness = await checkReadiness({ kubernetes: answers("Kubernetes v1.31.0 at https://10.0.0.1:6443"), prometheus: fails("Prometheus at http://prometheus:9090 could not be reached"), caches: answers("ok") }, limits);
    const visitor = readinessForVisitor(readiness);
    expect(visitor).toEqual({ ready: false, checks: { kubernetes: { ok: true }, prometheus: { ok: false }, caches: { ok: true } } });
    expect(JSON.stringify(visitor)).not.toContain("10.0.0.1");
  });
});
