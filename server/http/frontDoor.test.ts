import { describe, expect, it } from "vitest";
import { parseConfig } from "@/server/config/schema";
import { frontDoor } from "./frontDoor";
import { LOCAL_ADDRESS_HEADER, PEER_ADDRESS_HEADER } from "./socketFacts";

function request(method: string, headers: Record<string, string>, url = "http://127.0.0.1:20001/api/graph") {
  return { method, url, headers: new Headers(headers) };
}

const arrivedOn = (local: string) => ({ [PEER_ADDRESS_HEADER]: "127.0.0.1", [LOCAL_ADDRESS_HEADER]: local });

describe("frontDoor", () => {
  const anonymous = frontDoor(parseConfig({}), []);

  it("refuses a rebound host before anything else, naming the setting that would allow it", () => {
    const refused = anonymous.check(request("GET", { host: "rebound.attacker.example:20001", ...arrivedOn("127.0.0.1") }));
    expect(refused).toMatchObject({ status: 403, reason: "host" });
    expect(refused?.message).toContain("MESH_CONSOLE_ALLOWED_HOSTS");
  });

  it("lets the console's own pages in", () => {
    expect(anonymous.check(request("GET", { host: "127.0.0.1:20001", ...arrivedOn("127.0.0.1") }))).toBeUndefined();
    expect(anonymous.check(request("PUT", { host: "127.0.0.1:20001", origin: "http://127.0.0.1:20001", ...arrivedOn("127.0.0.1") }))).toBeUndefined();
  });

  it("refuses anonymous mode on a socket that arrived on another interface, or on one it cannot tell", () => {
    expect(anonymous.check(request("GET", { host: "localhost:20001", ...arrivedOn("10.1.2.3") }))).toMatchObject({ status: 403, reason: "open-address" });
    expect(anonymous.check(request("GET", { host: "localhost:20001" }))).toMatchObject({ status: 403, reason: "open-address" });
    const tokenMode = frontDoor(parseConfig({ MESH_CONSOLE_AUTH: "token" }), []);
    expect(tokenMode.check(request("GET", { host: "localhost:20001", ...arrivedOn("10.1.2.3") }))).toBeUndefined();
  });

  it("refuses a change whose Origin is another site, but not a read (a read's Origin says nothing)", () => {
    const headers = { host: "127.0.0.1:20001", origin: "http://attacker.example", ...arrivedOn("127.0.0.1") };
    expect(anonymous.check(request("POST", headers))).toMatchObject({ status: 403, reason: "origin" });
    expect(anonymous.check(request("DELETE", headers))).toMatchObject({ status: 403, reason: "origin" });
    expect(anonymous.check(request("GET", headers))).toBeUndefined();
  });
});

describe("frontDoor behind an authenticating proxy (MESH_CONSOLE_AUTH=header)", () => {
  const behindProxy = frontDoor(parseConfig({ MESH_CONSOLE_AUTH: "header", MESH_CONSOLE_AUTH_PROXIES: "10.0.0.0/24" }), []);
  const from = (peer: string) => ({ host: "127.0.0.1:20001", [PEER_ADDRESS_HEADER]: peer, [LOCAL_ADDRESS_HEADER]: "127.0.0.1" });

  it("refuses a page or an API call carrying the identity headers from an address that is not the proxy", () => {
    const spoofed = { ...from("10.0.1.5"), "x-forwarded-user": "admin-person", "x-forwarded-for": "10.0.0.7" };
    expect(behindProxy.check(request("GET", spoofed, "http://127.0.0.1:20001/graph"))).toMatchObject({ status: 403, reason: "not-from-proxy" });
    expect(behindProxy.check(request("GET", spoofed))).toMatchObject({ status: 403, reason: "not-from-proxy" });
  });

  it("lets the proxy's requests in, and asks for sign-in when the proxy names nobody", () => {
    expect(behindProxy.check(request("GET", { ...from("10.0.0.7"), "x-forwarded-user": "jane" }))).toBeUndefined();
    expect(behindProxy.check(request("GET", from("10.0.0.7")))).toMatchObject({ status: 401, reason: "no-identity" });
  });

  it("answers kubelet's probes from anywhere", () => {
    expect(behindProxy.check(request("GET", from("10.0.1.5"), "http://127.0.0.1:20001/api/health"))).toBeUndefined();
    expect(behindProxy.check(request("GET", from("10.0.1.5"), "http://127.0.0.1:20001/api/ready"))).toBeUndefined();
  });
});
