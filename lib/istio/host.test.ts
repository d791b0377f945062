import { describe, expect, it } from "vitest";
import { hostAppliesToService, hostCovers, hostsIntersect, indexByServiceHost, namesService, namespaceOfServiceHost, serviceFqdn, toFqdn, type ServiceRef } from "./host";

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

describe("indexByServiceHost", () => {
  const objects = [
    { name: "reviews-short", namespace: "bookinfo", hosts: ["reviews"] },
    { name: "everything", namespace: "bookinfo", hosts: ["*"] },
    { name: "ratings-fqdn", namespace: "other", hosts: ["ratings.bookinfo.svc.cluster.local"] },
    { name: "reviews-dotted", namespace: "bookinfo", hosts: ["reviews.bookinfo"] },
    { name: "no-namespace", namespace: undefined, hosts: ["reviews"] },
    { name: "local-wildcard", namespace: "bookinfo", hosts: ["*.bookinfo.svc.cluster.local", "details"] },
  ];
  const index = indexByServiceHost(objects, (object) => ({ namespace: object.namespace, hosts: object.hosts }));
  const names = (service: ServiceRef) => index(service).map((object) => object.name);

  it("returns the objects naming the service, those with wildcards and those without a namespace, in their order", () => {
    expect(names({ namespace: "bookinfo", service: "reviews" })).toEqual(["reviews-short", "everything", "no-namespace", "local-wildcard"]);
    expect(names({ namespace: "bookinfo", service: "ratings" })).toEqual(["everything", "ratings-fqdn", "no-namespace", "local-wildcard"]);
  });

  it("leaves out an object whose dotted short name names no Service", () => {
    expect(names({ namespace: "bookinfo", service: "reviews" })).not.toContain("reviews-dotted");
  });

  it("changes no decision: the rule applied to the index's answer matches the rule applied to every object", () => {
    const hosts = ["reviews", "ratings", "*", "*.bookinfo.svc.cluster.local", "reviews.bookinfo.svc.cluster.local", "ratings.other.svc.cluster.local", "reviews.bookinfo", "10.0.0.1", ""];
    const namespaces = ["bookinfo", "other", undefined];
    let seed = 7;
    const pick = <T,>(list: readonly T[]): T => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return list[seed % list.length] as T;
    };
    const many = Array.from({ length: 300 }, (_, position) => ({ position, namespace: pick(namespaces), hosts: [pick(hosts), pick(hosts)].slice(0, 1 + (position % 2)) }));
    const indexed = indexByServiceHost(many, (object) => ({ namespace: object.namespace, hosts: object.hosts }));
    for (const service of [{ namespace: "bookinfo", service: "reviews" }, { namespace: "other", service: "ratings" }, { namespace: "third", service: "x" }]) {
      const applies = (object: (typeof many)[number]) => object.hosts.some((host) => hostAppliesToService(host, object.namespace ?? service.namespace, service));
      expect(indexed(service).filter(applies)).toEqual(many.filter(applies));
    }
  });
});
