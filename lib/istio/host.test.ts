import { describe, expect, it } from "vitest";
import { hostAppliesToService, hostCovers, hostsIntersect, namesService, namespaceOfServiceHost, serviceFqdn, toFqdn } from "./host";

const reviews = { namespace: "bookinfo", service: "reviews" };

describe("toFqdn", () => {
  it.each([
    ["reviews", "bookinfo", "reviews.bookinfo.svc.cluster.local"],
    ["reviews.bookinfo.svc.cluster.local", "other", "reviews.bookinfo.svc.cluster.local"],
    // A dot makes a name fully qualified for Istio: no namespace or domain is added.
    ["reviews.bookinfo", "bookinfo", "reviews.bookinfo"],
    ["reviews.bookinfo.svc", "bookinfo", "reviews.bookinfo.svc"],
    ["*.example.com", "x", "*.example.com"],
    ["*", "x", "*"],
    ["10.0.0.1", "x", "10.0.0.1"],
    ["::1", "x", "::1"],
    ["", "x", ""],
  ])("%s in %s is %s", (host, namespace, fqdn) => expect(toFqdn(host, namespace)).toBe(fqdn));
});

describe("hostCovers and hostsIntersect", () => {
  it("wildcards cover names and narrower wildcards, not the other way round", () => {
    expect(hostCovers("*.example.com", "a.b.example.com")).toBe(true);
    expect(hostCovers("*.example.com", "*.b.example.com")).toBe(true);
    expect(hostCovers("*.example.com", "example.com")).toBe(false);
    expect(hostCovers("a.example.com", "*.example.com")).toBe(false);
    expect(hostCovers("*", "reviews.bookinfo.svc.cluster.local")).toBe(true);
    expect(hostsIntersect("a.example.com", "*.example.com")).toBe(true);
    expect(hostsIntersect("a.example.com", "b.example.com")).toBe(false);
  });
});

describe("namesService", () => {
  it.each([
    ["reviews", "bookinfo", true],
    ["reviews.bookinfo.svc.cluster.local", "bookinfo", true],
    ["reviews.bookinfo.svc.cluster.local", "frontend", true],
    // Short names resolve in the namespace of the object that names them.
    ["reviews", "frontend", false],
    // Istio reads these as fully qualified names, which no Service has.
    ["reviews.bookinfo", "bookinfo", false],
    ["reviews.bookinfo.svc", "bookinfo", false],
    ["*.bookinfo.svc.cluster.local", "bookinfo", false],
    ["ratings", "bookinfo", false],
  ])("%s written in %s names reviews.bookinfo: %s", (host, namespace, expected) => expect(namesService(host, namespace, reviews)).toBe(expected));
});

describe("hostAppliesToService", () => {
  it("counts the service's name and wildcards over it", () => {
    expect(hostAppliesToService("reviews", "bookinfo", reviews)).toBe(true);
    expect(hostAppliesToService("*.bookinfo.svc.cluster.local", "other", reviews)).toBe(true);
    expect(hostAppliesToService("*", "other", reviews)).toBe(true);
    expect(hostAppliesToService("*.other.svc.cluster.local", "other", reviews)).toBe(false);
    expect(hostAppliesToService("reviews.bookinfo", "bookinfo", reviews)).toBe(false);
  });
});

describe("serviceFqdn and namespaceOfServiceHost", () => {
  it("go both ways for Service hosts only", () => {
    expect(serviceFqdn("reviews", "bookinfo")).toBe("reviews.bookinfo.svc.cluster.local");
    expect(namespaceOfServiceHost("reviews.bookinfo.svc.cluster.local")).toBe("bookinfo");
    expect(namespaceOfServiceHost("*.bookinfo.svc.cluster.local")).toBeUndefined();
    expect(namespaceOfServiceHost("api.example.com")).toBeUndefined();
  });
});
