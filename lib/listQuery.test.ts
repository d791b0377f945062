import { describe, expect, it } from "vitest";
import { applyListQuery, parseListQuery, type ListRow } from "./listQuery";

const row = (name: string, overrides: Partial<ListRow> = {}): ListRow => ({
  name,
  namespace: "bookinfo",
  labels: { app: name.split("-")[0] ?? name, version: "v1" },
  health: "healthy",
  requestRate: 1,
  errorShare: 0,
  p95Ms: 10,
  ...overrides,
});

const rows = [
  row("reviews-v1", { errorShare: 0.5 }),
  row("ratings-v1", { errorShare: 25, health: "failing" }),
  row("details-v1", { errorShare: null, requestRate: null, health: null }),
  row("legacy", { labels: {} }),
];

describe("applyListQuery", () => {
  it("sorts by error rate, highest first, with unmeasured rows last", () => {
    const sorted = applyListQuery(rows, parseListQuery(new URLSearchParams("sort=errorShare&order=desc")));
    expect(sorted.map((r) => r.name)).toEqual(["ratings-v1", "reviews-v1", "legacy", "details-v1"]);
  });

  it("filters by name, health and label presence", () => {
    expect(applyListQuery(rows, parseListQuery(new URLSearchParams("q=RE"))).map((r) => r.name)).toEqual(["reviews-v1"]);
    expect(applyListQuery(rows, parseListQuery(new URLSearchParams("health=failing"))).map((r) => r.name)).toEqual(["ratings-v1"]);
    expect(applyListQuery(rows, parseListQuery(new URLSearchParams("label=!version"))).map((r) => r.name)).toEqual(["legacy"]);
    expect(applyListQuery(rows, parseListQuery(new URLSearchParams("label=app=ratings"))).map((r) => r.name)).toEqual(["ratings-v1"]);
  });

  it("ignores unknown sort keys and health values in a link", () => {
    const query = parseListQuery(new URLSearchParams("sort=password&health=purple&order=sideways"));
    expect(query).toMatchObject({ sort: "name", order: "asc", health: "" });
  });
});
