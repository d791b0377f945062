import { describe, expect, it } from "vitest";
import { addressBlockList, clientAddress, isLoopbackAddress, isWildcardAddress, parseAddressBlock, sameAddress, throttleKey } from "./addresses";

describe("isLoopbackAddress", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["::1", true],
    ["[::1]", true],
    ["::ffff:127.0.0.1", true],
    ["localhost", true],
    ["0.0.0.0", false],
    ["::", false],
    ["10.0.0.7", false],
    ["::ffff:10.0.0.7", false],
    ["127.example.com", false],
  ])("%s → %s", (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
  });

  it("knows the wildcard addresses and one address however it is written", () => {
    expect(isWildcardAddress("0.0.0.0")).toBe(true);
    expect(isWildcardAddress("::")).toBe(true);
    expect(isWildcardAddress("10.0.0.1")).toBe(false);
    expect(sameAddress("::ffff:10.1.2.3", "10.1.2.3")).toBe(true);
  });
});

describe("parseAddressBlock", () => {
  it("takes addresses and CIDR blocks, and nothing else", () => {
    expect(parseAddressBlock("10.0.0.0/8")).toEqual({ address: "10.0.0.0", prefix: 8, family: "ipv4" });
    expect(parseAddressBlock("192.168.1.7")).toEqual({ address: "192.168.1.7", prefix: 32, family: "ipv4" });
    expect(parseAddressBlock("fd00::/8")).toEqual({ address: "fd00::", prefix: 8, family: "ipv6" });
    for (const wrong of ["10.0.0.0/33", "proxy.example.com", "10.0.0.0/8/1", "10.0.0.0/x", ""]) expect(parseAddressBlock(wrong)).toBeUndefined();
  });
});

describe("clientAddress", () => {
  const trusted = addressBlockList(["10.0.0.0/8"]);

  it("is the socket peer when the peer is no trusted proxy, whatever X-Forwarded-For claims (spoofing)", () => {
    expect(clientAddress("203.0.113.9", "198.51.100.1", trusted)).toBe("203.0.113.9");
  });

  it("behind trusted proxies, is the first untrusted hop from the right; a forged left part is ignored", () => {
    expect(clientAddress("10.0.0.2", "198.51.100.1, 203.0.113.9, 10.0.0.5", trusted)).toBe("203.0.113.9");
    expect(clientAddress("::ffff:10.0.0.2", "203.0.113.9", trusted)).toBe("203.0.113.9");
  });

  it("falls back to the peer when a trusted proxy sends garbage, and to the leftmost hop when every hop is trusted", () => {
    expect(clientAddress("10.0.0.2", "not-an-address", trusted)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", "10.0.0.9, 10.0.0.5", trusted)).toBe("10.0.0.9");
    expect(clientAddress("10.0.0.2", null, trusted)).toBe("10.0.0.2");
  });
});

describe("throttleKey", () => {
  it("groups an IPv6 client's /64, where one subscriber can take a fresh address for every try", () => {
    expect(throttleKey("2001:db8:1:2:aaaa::1")).toBe(throttleKey("2001:db8:1:2:bbbb::2"));
    expect(throttleKey("2001:db8:1:2::1")).not.toBe(throttleKey("2001:db8:1:3::1"));
    expect(throttleKey("::ffff:203.0.113.9")).toBe("203.0.113.9");
  });
});
