import { expect, test } from "./fixtures";

test.describe("operating the console", () => {
  test("is ready when the Kubernetes API and Prometheus answer", async ({ request }) => {
    const response = await request.get("/api/ready");
    expect(response.status()).toBe(200);
    const body = await response.json();
    expect(body.checks.kubernetes.ok).toBe(true);
    expect(body.checks.prometheus.ok).toBe(true);
  });

  test("exposes its own metrics, counting the requests it served", async ({ request }) => {
    await request.get("/api/namespaces");
    const text = await (await request.get("/metrics")).text();
    expect(text).toContain("mesh_console_process_cpu_seconds_total");
    expect(text).toMatch(/mesh_console_http_request_duration_seconds_count\{[^}]*route="\/api\/namespaces"[^}]*\} [1-9]/);
    expect(text).toMatch(/mesh_console_upstream_request_duration_seconds_count\{[^}]*upstream="kubernetes"[^}]*\} [1-9]/);
    expect(text).toContain("mesh_console_upstream_errors_total");
  });

  test("rejects a namespace that is not a Kubernetes name before asking the API", async ({ request }) => {
    const response = await request.get(`/api/services?namespaces=${encodeURIComponent("../../api/v1/secrets")}`);
    expect(response.status()).toBe(400);
    expect((await response.json()).error.message).toContain("not a valid namespace name");
  });
});
