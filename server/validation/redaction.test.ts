import { describe, expect, it } from "vitest";
import { formatFinding, type Finding } from "@/lib/validation/finding";
import { validate } from "./engine";
import { mention, message, renderMessage } from "./mentions";
import { mayReadObject, redactFinding, redactFindings, redactReport } from "./redaction";
import { finding } from "./rule";
import { snapshotFromObjects } from "./snapshot";
import { objectsFromYaml } from "./test-support";

/**
 * Two teams' namespaces whose objects clash: every rule that names an object of another namespace
 * in its message has a case here (IST0109, IST0132, IST0140, IST0145, IST0149, IST0177).
 */
const CROSS_NAMESPACE = `
apiVersion: v1
kind: Namespace
metadata: {name: team-a, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-b, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Pod
metadata: {name: edge-gateway-7f9c, namespace: istio-system, labels: {istio: edge}}
spec: {containers: [{name: istio-proxy, image: proxyv2}]}
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: team-a}
spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
---
apiVersion: v1
kind: Service
metadata: {name: ratings, namespace: team-b}
spec: {selector: {app: ratings}, ports: [{name: http, port: 9080}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: team-a}
spec:
  hosts: [reviews.team-a.svc.cluster.local]
  http: [{route: [{destination: {host: reviews.team-a.svc.cluster.local}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews-override, namespace: team-b}
spec:
  hosts: [reviews.team-a.svc.cluster.local]
  http: [{route: [{destination: {host: reviews.team-a.svc.cluster.local}}]}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: shop, namespace: team-a}
spec: {selector: {istio: edge}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: secret-edge, namespace: team-b}
spec: {selector: {istio: edge}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["other.example.com"]}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: payments, namespace: team-a}
spec: {hosts: [api.payments.example], ports: [{number: 443, name: https, protocol: HTTPS}], resolution: DNS, location: MESH_EXTERNAL}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: payments-legacy, namespace: team-b}
spec: {hosts: [api.payments.example], ports: [{number: 443, name: tls, protocol: TLS}], resolution: DNS, location: MESH_EXTERNAL}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: storefront, namespace: team-a}
spec:
  hosts: [shop.example.com]
  gateways: [shop, team-b/secret-edge]
  http:
  - match: [{headers: {"@request.auth.claims.group": {exact: admin}}}]
    route: [{destination: {host: ratings.team-b.svc.cluster.local}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings-canary, namespace: team-b}
spec:
  hosts: [ratings]
  http: [{route: [{destination: {host: ratings, subset: v1}}]}]
`;

/** Names of objects outside team-a that its findings mention: none may reach a team-a person. */
const FOREIGN_NAMES = ["reviews-override", "secret-edge", "payments-legacy", "ratings-canary", "edge-gateway-7f9c", "team-b/", "istio-system/"];

const teamA = { all: false as const, namespaces: new Set(["team-a"]) };
const everything = { all: true as const };

function teamAFindings(): Finding[] {
  return validate(snapshotFromObjects(objectsFromYaml(CROSS_NAMESPACE)), { namespaces: ["team-a"] });
}

describe("redacting findings for a person who may read team-a only", () => {
  const findings = teamAFindings();
  const redacted = redactFindings(findings, teamA);

  it.each([
    ["IST0109", "Host reviews.team-a.svc.cluster.local is also defined by a mesh VirtualService in a namespace you may not read; which routes apply is undefined. Merge them into one VirtualService."],
    ["IST0132", "None of the hosts [shop.example.com] of this VirtualService is served by a Gateway in a namespace you may not read."],
    ["IST0140", 'Subset routing in a VirtualService in a namespace you may not read has no effect on requests for "ratings.team-b.svc.cluster.local" arriving through this gateway VirtualService; route to a subset here too.'],
    ["IST0145", "Port 80 with hosts [*] on workloads istio=edge is also claimed by a Gateway in a namespace you may not read."],
    ["IST0177", 'Host "api.payments.example" port 443 is also defined by a ServiceEntry in a namespace you may not read with a different protocol (HTTPS vs TLS).'],
    [
      "IST0149",
      'Routing on JWT claim "@request.auth.claims.group" needs a RequestAuthentication for gateway team-a/shop (pods istio=edge, e.g. a pod in a namespace you may not read); none applies, so the claim is never set.',
    ],
    [
      "IST0149",
      'Routing on JWT claim "@request.auth.claims.group" needs a RequestAuthentication for a gateway in a namespace you may not read (pods istio=edge, e.g. a pod in a namespace you may not read); none applies, so the claim is never set.',
    ],
  ])("%s: keeps the finding and withholds the other namespace's object: %s", (code, expected) => {
    const match = redacted.find((f) => f.code === code && f.message === expected);
    expect(match, redacted.filter((f) => f.code === code).map((f) => f.message).join("\n")).toBeDefined();
    const original = findings.find((f) => f.object === match?.object && f.path === match?.path && f.code === code);
    expect(original?.severity).toBe(match?.severity);
  });

  it("keeps every finding, its code, severity, object and path; only messages and related objects change", () => {
    expect(redacted.map(({ code, severity, object, path }) => ({ code, severity, object, path }))).toEqual(findings.map(({ code, severity, object, path }) => ({ code, severity, object, path })));
    expect(redactReport({ findings, counts: { error: 1, warning: 2, info: 0 }, computedAt: "t" }, teamA).counts).toEqual({ error: 1, warning: 2, info: 0 });
  });

  it("names no object outside team-a anywhere in what is sent, while the unredacted findings do", () => {
    const original = JSON.stringify(findings);
    const sent = JSON.stringify(redacted);
    for (const name of FOREIGN_NAMES) {
      expect(original).toContain(name);
      expect(sent).not.toContain(name);
    }
  });

  it("lists related objects structurally, withholding the unreadable ones to their kind", () => {
    const conflict = redacted.find((f) => f.code === "IST0109");
    expect(conflict?.related).toEqual([{ kind: "VirtualService", withheld: true }]);
    const jwt = redacted.find((f) => f.code === "IST0149" && f.message.includes("team-a/shop"));
    expect(jwt?.related).toEqual([{ kind: "Gateway", namespace: "team-a", name: "shop" }, { kind: "Pod", withheld: true }]);
  });

  it("leaves findings that name nothing foreign as they are (the same objects)", () => {
    findings.forEach((original, i) => {
      if (!original.message.includes("team-b/") && !original.message.includes("istio-system/")) expect(redacted[i]).toBe(original);
    });
  });
});

describe("a person who may read every namespace (and anonymous mode)", () => {
  it("gets the findings untouched", () => {
    const findings = teamAFindings();
    const redacted = redactFindings(findings, everything);
    redacted.forEach((f, i) => expect(f).toBe(findings[i]));
    expect(redacted.map(formatFinding).join("\n")).toContain("also defined by mesh VirtualService team-b/reviews-override");
  });

  it("reads a person allowed team-b too all names", () => {
    const both = { all: false as const, namespaces: new Set(["team-a", "team-b", "istio-system"]) };
    expect(redactFindings(teamAFindings(), both).map((f) => f.message)).toEqual(teamAFindings().map((f) => f.message));
  });
});

describe("mentions in words", () => {
  const refs = [
    { kind: "VirtualService", namespace: "team-b", name: "b" },
    { kind: "VirtualService", namespace: "team-a", name: "a" },
    { kind: "VirtualService", namespace: "team-c", name: "c" },
  ];
  const template = message`Host h is also defined by ${mention("mesh VirtualService", refs)}; merge them.`;

  it.each([
    ["everything readable", ["team-a", "team-b", "team-c"], "Host h is also defined by mesh VirtualService team-a/a, team-b/b, team-c/c; merge them."],
    ["one withheld", ["team-a", "team-b"], "Host h is also defined by mesh VirtualService team-a/a, team-b/b and one more in a namespace you may not read; merge them."],
    ["two withheld", ["team-a"], "Host h is also defined by mesh VirtualService team-a/a and 2 more in namespaces you may not read; merge them."],
    ["all withheld", [], "Host h is also defined by 3 mesh VirtualServices in namespaces you may not read; merge them."],
  ])("%s", (_name, readable, expected) => {
    expect(renderMessage(template, (ref) => readable.includes(ref.namespace))).toBe(expected);
  });

  it("uses the right article and plural for any kind", () => {
    const entries = message`Also defined by ${mention("ServiceEntry", [refs[0]!, refs[1]!])}.`;
    expect(renderMessage(entries, () => false)).toBe("Also defined by 2 ServiceEntries in namespaces you may not read.");
    expect(renderMessage(message`In ${mention("object", [refs[0]!])}.`, () => false)).toBe("In an object in a namespace you may not read.");
  });
});

describe("what a person may read", () => {
  it.each([
    [{ kind: "VirtualService", namespace: "team-a", name: "x" }, true],
    [{ kind: "VirtualService", namespace: "team-b", name: "x" }, false],
    [{ kind: "Namespace", namespace: "", name: "team-a" }, true],
    [{ kind: "Namespace", namespace: "", name: "team-b" }, false],
    // Cluster-scoped objects concern every namespace: only for a person who may read them all.
    [{ kind: "Node", namespace: "", name: "node-1" }, false],
  ])("%o → %s", (ref, expected) => {
    expect(mayReadObject(ref, teamA)).toBe(expected);
    expect(mayReadObject(ref, everything)).toBe(true);
  });
});

it("fails closed: a finding that names a foreign object but lost its template gets the catalogue's description", () => {
  const original = finding("IST0109", { kind: "VirtualService", namespace: "team-a", name: "a" }, "spec.hosts[0]", message`Also defined by ${mention("mesh VirtualService", [{ kind: "VirtualService", namespace: "team-b", name: "b" }])}.`);
  const copy = { ...original };
  expect(redactFinding(original, teamA).message).toBe("Also defined by a mesh VirtualService in a namespace you may not read.");
  expect(redactFinding(copy, teamA).message).toBe("Several VirtualServices bound to the mesh define the same host. (The details name objects in namespaces you may not read.)");
});
