import { describe, expect, it } from "vitest";
import { exportsOverlap, hostCovers, hostsIntersect, isExportedTo, toFqdn } from "./hosts";

describe("hosts", () => {
  it.each([
    ["reviews", "bookinfo", "reviews.bookinfo.svc.cluster.local"],
    ["reviews.bookinfo.svc.cluster.local", "other", "reviews.bookinfo.svc.cluster.local"],
    ["*.example.com", "x", "*.example.com"],
    ["*", "x", "*"],
  ])("%s in %s is %s", (host, ns, fqdn) => expect(toFqdn(host, ns)).toBe(fqdn));

  it("wildcards cover names and narrower wildcards, not the other way round", () => {
    expect(hostCovers("*.example.com", "a.b.example.com")).toBe(true);
    expect(hostCovers("*.example.com", "*.b.example.com")).toBe(true);
    expect(hostCovers("a.example.com", "*.example.com")).toBe(false);
    expect(hostsIntersect("a.example.com", "*.example.com")).toBe(true);
    expect(hostsIntersect("a.example.com", "b.example.com")).toBe(false);
  });

  it("exportTo: '.', '*', '~' and namespace names", () => {
    expect(isExportedTo(["."], "a", "a")).toBe(true);
    expect(isExportedTo(["."], "a", "b")).toBe(false);
    expect(isExportedTo(["*"], "a", "b")).toBe(true);
    expect(isExportedTo(["~"], "a", "a")).toBe(false);
    expect(exportsOverlap(["."], "a", ["."], "b")).toBe(false);
    expect(exportsOverlap(["a"], "x", ["*"], "y")).toBe(true);
    expect(exportsOverlap(["~"], "x", ["*"], "y")).toBe(false);
  });
});
