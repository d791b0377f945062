/**
 * Network addresses as the console reasons about them: is a socket address loopback, and who is
 * the client behind a chain of proxies. Pure, so each rule is tested on its own.
 */
import { BlockList, isIP } from "node:net";

/** IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is how a dual-stack socket reports an IPv4 peer. */
function unmapped(address: string): string {
  const lower = address.toLowerCase().replace(/^\[|\]$/g, "");
  return lower.startsWith("::ffff:") && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}

/** 127.0.0.0/8, ::1 and `localhost`: addresses only this machine can reach. */
export function isLoopbackAddress(address: string): boolean {
  const plain = unmapped(address);
  if (plain === "localhost" || plain === "::1") return true;
  return isIP(plain) === 4 && plain.startsWith("127.");
}

/** 0.0.0.0 and `::`: listening on every interface. */
export function isWildcardAddress(address: string): boolean {
  const plain = unmapped(address);
  return plain === "0.0.0.0" || plain === "::" || plain === "";
}

/** The same address however it is written (brackets, case, IPv4-mapped IPv6). */
export function sameAddress(a: string, b: string): boolean {
  return unmapped(a) === unmapped(b);
}

/** `10.0.0.0/8`, `192.168.1.7` or `fd00::/8`; undefined when the entry is neither an address nor a CIDR block. */
export function parseAddressBlock(entry: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } | undefined {
  const [address = "", prefixText, extra] = entry.trim().split("/");
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return undefined;
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!/^\d+$/.test(prefixText ?? String(bits)) || prefix < 0 || prefix > bits) return undefined;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

/** The trusted proxies as a BlockList; entries must have passed parseAddressBlock. */
export function addressBlockList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const block = parseAddressBlock(entry);
    if (block) list.addSubnet(block.address, block.prefix, block.family);
  }
  return list;
}

function contains(list: BlockList, address: string): boolean {
  const plain = unmapped(address);
  const version = isIP(plain);
  return version !== 0 && list.check(plain, version === 4 ? "ipv4" : "ipv6");
}

/**
 * The client's address: the socket peer, unless the peer is a trusted proxy, in which case the
 * `X-Forwarded-For` chain is read from the right (each proxy appends the address it saw) past every
 * trusted proxy; the first untrusted address is the client. A client can write anything at the
 * left of the chain, so nothing left of the first untrusted hop is believed.
 * https://developer.mozilla.org/docs/Web/HTTP/Reference/Headers/X-Forwarded-For#selecting_an_ip_address
 */
export function clientAddress(peer: string, forwardedFor: string | null, trustedProxies: BlockList): string {
  if (!contains(trustedProxies, peer)) return unmapped(peer);
  const hops = (forwardedFor ?? "").split(",").map((hop) => hop.trim()).filter(Boolean);
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = hops[index] as string;
    if (isIP(unmapped(hop)) === 0) return unmapped(peer);
    if (!contains(trustedProxies, hop)) return unmapped(hop);
  }
  return unmapped(hops[0] ?? peer);
}

/**
 * The key a client is throttled under: its IPv4 address, or its IPv6 /64, since one subscriber is
 * usually handed a whole /64 and could otherwise take a fresh address for every attempt.
 */
export function throttleKey(address: string): string {
  const plain = unmapped(address);
  if (isIP(plain) !== 6) return plain;
  return `${expandIpv6(plain).slice(0, 4).join(":")}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  return [...left, ...Array.from({ length: Math.max(0, missing) }, () => "0"), ...right].map((group) => group.replace(/^0+(?=.)/, ""));
}
