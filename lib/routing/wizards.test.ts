import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { rollback, servicePath, serviceRoutePattern, WIZARD_KEYS, wizards } from "./wizards";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

describe("the wizard registry", () => {
  it("gives every wizard and rollback a distinct id and path", () => {
    const entries = [...WIZARD_KEYS.map((key) => wizards[key]), rollback];
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(entries.length);
    expect(new Set(entries.map((entry) => entry.path)).size).toBe(entries.length);
  });

  it("has a Next.js route file for every entry's endpoint", () => {
    for (const entry of [...WIZARD_KEYS.map((key) => wizards[key]), rollback]) {
      expect(existsSync(path.join(REPO_ROOT, "app", serviceRoutePattern(entry.path), "route.ts")), entry.path).toBe(true);
    }
  });

  it("builds the browser's URL with the names escaped", () => {
    expect(servicePath("bookinfo", "reviews", wizards.mirroring.path)).toBe("/api/namespaces/bookinfo/services/reviews/mirroring");
    expect(servicePath("a/b", "c", "routing")).toBe("/api/namespaces/a%2Fb/services/c/routing");
  });
});
