import { describe, expect, it } from "vitest";
import { checkReadiness } from "./readiness";

const answers = (detail: string) => () => Promise.resolve(detail);
const fails = (message: string) => () => Promise.reject(new Error(message));

describe("readiness", () => {
  it("is ready only when the Kubernetes API, Prometheus and the watch caches all are", async () => {
    const readiness = await checkReadiness({ kubernetes: answers("Kubernetes v1.31.0"), prometheus: answers("Prometheus at http://prometheus:9090"), caches: answers("16 resources listed and watched") });
    expect(readiness.ready).toBe(true);
    expect(readiness.checks.caches).toMatchObject({ ok: true, detail: "16 resources listed and watched" });
  });

  it("is not ready while the caches are still loading, and says which ones, though both upstreams answer", async () => {
    const readiness = await checkReadiness({
      kubernetes: answers("Kubernetes v1.31.0"),
      prometheus: answers("Prometheus at http://prometheus:9090"),
      caches: fails("The Kubernetes caches are still loading after 3 s: virtualservices"),
    });
    expect(readiness.ready).toBe(false);
    expect(readiness.checks.kubernetes.ok).toBe(true);
    expect(readiness.checks.prometheus.ok).toBe(true);
    expect(readiness.checks.caches).toMatchObject({ ok: false, detail: "The Kubernetes caches are still loading after 3 s: virtualservices" });
  });
});
