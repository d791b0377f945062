import { describe, expect, it } from "vitest";
import { isServedHost, originMatches, servedHosts, splitHost } from "./servedHosts";

const onLoopback = servedHosts({ listen: { address: "127.0.0.1", port: 20001 }, allowedHosts: [], interfaceAddresses: ["127.0.0.1", "10.1.2.3"] });
const inPod = servedHosts({ listen: { address: "0.0.0.0", port: 20001 }, allowedHosts: ["mesh.example.com", "mesh-console.istio-system:20001"], interfaceAddresses: ["127.0.0.1", "10.244.1.17", "fe80::1"] });

describe("isServedHost", () => {
  it("refuses a rebound name on the console's own address and port (DNS rebinding)", () => {
    expect(isServedHost("attacker.example:20001", onLoopback, 80)).toBe(false);
    expect(isServedHost("attacker.example", onLoopback, 80)).toBe(false);
    expect(isServedHost(null, onLoopback, 80)).toBe(false);
  });

  it("answers the loopback names on any port, as a port-forward picks its own", () => {
    for (const host of ["127.0.0.1:20001", "localhost:43121", "LOCALHOST:20001", "[::1]:20001", "localhost"]) expect(isServedHost(host, onLoopback, 80)).toBe(true);
  });

  it("answers its own interface addresses on its port when it listens on every interface (probes, scrapes)", () => {
    expect(isServedHost("10.244.1.17:20001", inPod, 80)).toBe(true);
    expect(isServedHost("[fe80::1]:20001", inPod, 80)).toBe(true);
    expect(isServedHost("10.244.1.17:8080", inPod, 80)).toBe(false);
    expect(isServedHost("10.1.2.3:20001", onLoopback, 80)).toBe(false);
  });

  it("answers MESH_CONSOLE_ALLOWED_HOSTS: a bare name on any port, a name with a port on that port only", () => {
    expect(isServedHost("mesh.example.com", inPod, 443)).toBe(true);
    expect(isServedHost("Mesh.Example.com:8443", inPod, 443)).toBe(true);
    expect(isServedHost("mesh-console.istio-system:20001", inPod, 80)).toBe(true);
    expect(isServedHost("mesh-console.istio-system", inPod, 80)).toBe(false);
    expect(isServedHost("evil-mesh.example.com", inPod, 443)).toBe(false);
  });

  it("does not parse a Host that smuggles userinfo or a path", () => {
    expect(splitHost("user@localhost")).toBeUndefined();
    expect(splitHost("localhost/x")).toBeUndefined();
    expect(splitHost("localhost:99999")).toBeUndefined();
  });
});

describe("originMatches", () => {
  it("accepts the page's own origin, with default ports spelled or not", () => {
    expect(originMatches("http://127.0.0.1:20001", "127.0.0.1:20001", [])).toBe(true);
    expect(originMatches("https://mesh.example.com", "mesh.example.com:443", [])).toBe(true);
  });

  it("refuses another origin, another port of the same host, and the opaque origin", () => {
    expect(originMatches("http://attacker.example", "127.0.0.1:20001", [])).toBe(false);
    expect(originMatches("http://localhost:3000", "localhost:20001", [])).toBe(false);
    expect(originMatches("null", "127.0.0.1:20001", [])).toBe(false);
    expect(originMatches("file://", "127.0.0.1:20001", [])).toBe(false);
  });

  it("accepts an allowed public name when a proxy rewrote Host", () => {
    expect(originMatches("https://mesh.example.com", "mesh-console.istio-system:20001", ["mesh.example.com"])).toBe(true);
    expect(originMatches("https://mesh.example.com:8443", "mesh-console.istio-system:20001", ["mesh.example.com:443"])).toBe(false);
  });
});
