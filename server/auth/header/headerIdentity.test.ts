import { describe, expect, it } from "vitest";
import { LOCAL_ADDRESS_HEADER, PEER_ADDRESS_HEADER } from "@/server/http/socketFacts";
import { identityFromRequest, isFromProxy, parseGroups, proxyBlockList, readHeaderAuthSettings } from "./headerIdentity";

function settingsFrom(env: Record<string, string>) {
  const problems: string[] = [];
  return { settings: readHeaderAuthSettings(env, problems), problems };
}

const { settings } = settingsFrom({ MESH_CONSOLE_AUTH_PROXIES: "10.0.0.0/8, 192.168.1.7, fd00::/8" });
const proxies = proxyBlockList(settings);

function request(peer: string | undefined, headers: Record<string, string>): Headers {
  const all = new Headers(headers);
  if (peer !== undefined) {
    all.set(PEER_ADDRESS_HEADER, peer);
    all.set(LOCAL_ADDRESS_HEADER, "10.1.2.3");
  }
  return all;
}

describe("header sign-in settings", () => {
  it("defaults to oauth2-proxy's header names", () => {
    expect(settings.userHeader).toBe("X-Forwarded-User");
    expect(settings.groupsHeader).toBe("X-Forwarded-Groups");
    expect(settings.proxies).toEqual(["10.0.0.0/8", "192.168.1.7", "fd00::/8"]);
  });

  it("needs the proxies' addresses and names the setting", () => {
    expect(settingsFrom({}).problems.join("\n")).toMatch(/MESH_CONSOLE_AUTH_PROXIES: MESH_CONSOLE_AUTH=header needs/);
    expect(settingsFrom({ MESH_CONSOLE_AUTH_PROXIES: "10.0.0.0/33,proxy.local" }).problems).toEqual([
      'MESH_CONSOLE_AUTH_PROXIES: expected addresses or CIDR blocks separated by commas, got "10.0.0.0/33"',
      'MESH_CONSOLE_AUTH_PROXIES: expected addresses or CIDR blocks separated by commas, got "proxy.local"',
    ]);
  });

  it("refuses header names that are not names, are the console's own, or are one header for both", () => {
    const { problems } = settingsFrom({ MESH_CONSOLE_AUTH_PROXIES: "10.0.0.1", MESH_CONSOLE_AUTH_USER_HEADER: "X User", MESH_CONSOLE_AUTH_GROUPS_HEADER: "X-Mesh-Console-Peer-Address" });
    expect(problems).toEqual([
      'MESH_CONSOLE_AUTH_USER_HEADER: expected an HTTP header name such as X-Forwarded-User, got "X User"',
      'MESH_CONSOLE_AUTH_GROUPS_HEADER: headers starting with X-Mesh-Console- are the console\'s own, got "X-Mesh-Console-Peer-Address"',
    ]);
    expect(settingsFrom({ MESH_CONSOLE_AUTH_PROXIES: "10.0.0.1", MESH_CONSOLE_AUTH_GROUPS_HEADER: "x-forwarded-user" }).problems).toEqual([
      "MESH_CONSOLE_AUTH_GROUPS_HEADER: must differ from MESH_CONSOLE_AUTH_USER_HEADER (both are X-Forwarded-User)",
    ]);
  });
});

describe("the proxy check", () => {
  it.each([
    ["10.4.5.6", true],
    ["::ffff:10.4.5.6", true],
    ["192.168.1.7", true],
    ["192.168.1.8", false],
    ["fd00::12", true],
    ["[fd00::12]", true],
    ["127.0.0.1", false],
    ["", false],
    ["not-an-address", false],
  ])("peer %s is a proxy: %s", (peer, expected) => {
    expect(isFromProxy(peer, proxies)).toBe(expected);
  });
});

describe("the identity a request speaks for", () => {
  it("takes the user and the comma-separated groups from a proxy's request", () => {
    const result = identityFromRequest(request("10.0.0.9", { "x-forwarded-user": " jane@example.com ", "x-forwarded-groups": "platform, bookinfo-readers,,platform" }), settings, proxies);
    expect(result).toEqual({ ok: true, identity: { user: "jane@example.com", groups: ["platform", "bookinfo-readers"] } });
  });

  it("refuses the same headers from an address that is not a proxy, whatever X-Forwarded-For says", () => {
    const result = identityFromRequest(request("172.16.0.4", { "x-forwarded-user": "jane", "x-forwarded-for": "10.0.0.9" }), settings, proxies);
    expect(result).toMatchObject({ ok: false, status: 403, reason: "not-from-proxy" });
    expect(result.ok ? "" : result.message).toContain("172.16.0.4, which is not one of MESH_CONSOLE_AUTH_PROXIES");
  });

  it("refuses a request whose socket the console did not stamp", () => {
    expect(identityFromRequest(request(undefined, { "x-forwarded-user": "jane" }), settings, proxies)).toMatchObject({ ok: false, status: 403 });
  });

  it("answers 401 when the proxy sent no user", () => {
    const result = identityFromRequest(request("10.0.0.9", { "x-forwarded-groups": "platform" }), settings, proxies);
    expect(result).toMatchObject({ ok: false, status: 401, reason: "no-identity" });
    expect(result.ok ? "" : result.message).toContain("no X-Forwarded-User header (MESH_CONSOLE_AUTH_USER_HEADER)");
  });

  it("refuses Kubernetes' own system: names, which could carry every permission", () => {
    expect(identityFromRequest(request("10.0.0.9", { "x-forwarded-user": "system:admin" }), settings, proxies)).toMatchObject({ ok: false, status: 401, reason: "bad-identity" });
    expect(identityFromRequest(request("10.0.0.9", { "x-forwarded-user": "jane", "x-forwarded-groups": "dev,system:masters" }), settings, proxies)).toMatchObject({ ok: false, reason: "bad-identity" });
  });

  it("reads the configured header names", () => {
    const { settings: custom } = settingsFrom({ MESH_CONSOLE_AUTH_PROXIES: "10.0.0.0/8", MESH_CONSOLE_AUTH_USER_HEADER: "X-Auth-Request-Email", MESH_CONSOLE_AUTH_GROUPS_HEADER: "X-Auth-Request-Groups" });
    const result = identityFromRequest(request("10.0.0.9", { "x-auth-request-email": "jane@example.com", "x-auth-request-groups": "ops", "x-forwarded-user": "mallory" }), custom, proxyBlockList(custom));
    expect(result).toEqual({ ok: true, identity: { user: "jane@example.com", groups: ["ops"] } });
  });
});

describe("parseGroups", () => {
  it("gives no groups for a missing header", () => {
    expect(parseGroups(null)).toEqual([]);
  });
});
