import { describe, expect, it } from "vitest";
import { DEFAULT_TAIL_LINES, MAX_TAIL_LINES, podLogQuerySchema, podLogSearch } from "./logQuery";

describe("podLogQuerySchema", () => {
  it("reads a query the page builds", () => {
    const query = { container: "istio-proxy", tailLines: 500, sinceSeconds: 300 };
    expect(podLogQuerySchema.parse(Object.fromEntries(new URLSearchParams(podLogSearch(query))))).toEqual(query);
  });

  it("defaults the tail and leaves since out", () => {
    expect(podLogQuerySchema.parse({ container: "app" })).toEqual({ container: "app", tailLines: DEFAULT_TAIL_LINES });
  });

  it.each([
    [{ container: "Bad_Name" }, "container"],
    [{ container: "app", tailLines: String(MAX_TAIL_LINES + 1) }, "tailLines"],
    [{ container: "app", tailLines: "0" }, "tailLines"],
    [{ container: "app", tailLines: "-5" }, "tailLines"],
    [{ container: "app", sinceSeconds: "1e3" }, "sinceSeconds"],
    [{ container: "app", sinceSeconds: String(8 * 24 * 3600) }, "sinceSeconds"],
    [{ container: "app", follow: "true" }, ""],
    [{}, "container"],
  ])("refuses %j", (query, field) => {
    const result = podLogQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    if (field) expect(result.error?.issues.map((issue) => issue.path.join("."))).toContain(field);
  });
});
