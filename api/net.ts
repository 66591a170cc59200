// CIDR arithmetic for the interconnect addresses and remote subnets, built on ipaddr.js.
// Parsing is strict: IPv4 must be four-part decimal without leading zeros, a prefix is always
// required, and IPv6 zone ids are refused, so that "10.1/8" or "0xa.0.0.1/8" never slip through.
import ipaddr from "ipaddr.js";

/** An IP address family as written on the wire. */
export type IpFamily = "ipv4" | "ipv6";

/** A parsed CIDR: the address as written (host or network) and its prefix length. */
export interface Cidr {
  /** The address family. */
  family: IpFamily;
  /** The address, canonical text (IPv6 lower-case and compressed). */
  address: string;
  /** The prefix length. */
  prefix: number;
  /** The address as an unsigned integer (32 or 128 bits). */
  value: bigint;
  /** The address width in bits: 32 or 128. */
  width: 32 | 128;
}

/** The result of parsing CIDR text: the CIDR, or the reason the text is not one. */
export type CidrParse = { ok: true; cidr: Cidr } | { ok: false; reason: string };

const PREFIX_RE = /^(0|[1-9][0-9]{0,2})$/;

function toBigInt(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function fromBigInt(value: bigint, family: IpFamily): string {
  const n = family === "ipv4" ? 4 : 16;
  const bytes: number[] = [];
  for (let i = n - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/**
 * Parses of CIDR text, by text: a check runs the stateful rules over every live interface and every
 * resource of the program, so one run parses the same few thousand texts again and again (ipaddr.js
 * parsing was most of the provider's CPU in a 1,000-resource preview). Results are frozen, as they
 * are shared; bounded, like the allocator's caches.
 */
const parses = new Map<string, CidrParse>();

/** Parses CIDR text such as "10.0.0.1/30", "192.168.50.0/24" or "fd00::1/64", explaining failures. */
export function parseCidrDetailed(text: unknown): CidrParse {
  if (typeof text !== "string") return { ok: false, reason: "must be a string in CIDR notation" };
  let r = parses.get(text);
  if (r === undefined) {
    r = parseCidrText(text);
    if (r.ok) Object.freeze(r.cidr);
    Object.freeze(r);
    if (parses.size >= 100_000) parses.clear();
    parses.set(text, r);
  }
  return r;
}

function parseCidrText(text: string): CidrParse {
  const slash = text.indexOf("/");
  if (slash < 0) return { ok: false, reason: "must be in CIDR notation address/prefix" };
  const addr = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!PREFIX_RE.test(prefixText)) return { ok: false, reason: "has an invalid prefix length" };
  const prefix = Number(prefixText);
  if (ipaddr.IPv4.isValidFourPartDecimal(addr)) {
    if (prefix > 32) return { ok: false, reason: "has a prefix length above 32" };
    const parsed = ipaddr.IPv4.parse(addr);
    return {
      ok: true,
      cidr: {
        family: "ipv4",
        address: parsed.toString(),
        prefix,
        value: toBigInt(parsed.toByteArray()),
        width: 32,
      },
    };
  }
  if (!addr.includes("%") && addr.includes(":") && ipaddr.IPv6.isValid(addr)) {
    if (prefix > 128) return { ok: false, reason: "has a prefix length above 128" };
    const parsed = ipaddr.IPv6.parse(addr);
    return {
      ok: true,
      cidr: {
        family: "ipv6",
        address: parsed.toString(),
        prefix,
        value: toBigInt(parsed.toByteArray()),
        width: 128,
      },
    };
  }
  return { ok: false, reason: "is not a valid IPv4 or IPv6 address" };
}

/** Parses CIDR text, or returns undefined when it is not valid CIDR notation. */
export function parseCidr(text: unknown): Cidr | undefined {
  const r = parseCidrDetailed(text);
  return r.ok ? r.cidr : undefined;
}

/** Whether text is valid CIDR notation (of the given family, when one is given). */
export function isCidr(text: unknown, family?: IpFamily): boolean {
  const c = parseCidr(text);
  return c !== undefined && (family === undefined || c.family === family);
}

function asCidr(c: string | Cidr): Cidr {
  if (typeof c !== "string") return c;
  const r = parseCidrDetailed(c);
  if (!r.ok) throw new TypeError(`${JSON.stringify(c)} ${r.reason}`);
  return r.cidr;
}

function hostMask(c: Cidr): bigint {
  return (1n << BigInt(c.width - c.prefix)) - 1n;
}

/** The CIDR of an address given as an integer. */
export function cidrFromValue(family: IpFamily, value: bigint, prefix: number): Cidr {
  return { family, value, prefix, width: family === "ipv4" ? 32 : 128, address: fromBigInt(value, family) };
}

/** The text of a parsed CIDR: canonical address, slash, prefix. */
export function formatCidr(c: Cidr): string {
  return `${c.address}/${c.prefix}`;
}

/** Canonical CIDR text (IPv6 lower-case and compressed, same address and prefix); invalid text is returned unchanged. */
export function canonicalCidr(text: string): string {
  const c = parseCidr(text);
  return c ? formatCidr(c) : text;
}

/** The network of a CIDR: host bits cleared, same prefix. Throws on invalid text. */
export function networkOf(cidr: string | Cidr): Cidr {
  const c = asCidr(cidr);
  const known = networks.get(c);
  if (known) return known;
  const value = c.value & ~hostMask(c) & ((1n << BigInt(c.width)) - 1n);
  const n: Cidr = { ...c, value, address: fromBigInt(value, c.family) };
  // A parse's network is asked for again and again (the shared, frozen parses above): once each.
  if (Object.isFrozen(c)) networks.set(c, Object.freeze(n));
  return n;
}
const networks = new WeakMap<Cidr, Cidr>();

/** Canonical text of the network a CIDR lies in ("10.0.0.1/30" -> "10.0.0.0/30"); invalid text is returned unchanged. */
export function canonicalNetwork(text: string): string {
  const c = parseCidr(text);
  return c ? formatCidr(networkOf(c)) : text;
}

/** Whether any host bit of the CIDR's address is set (i.e. it is not a network address). */
export function hasHostBits(cidr: string | Cidr): boolean {
  const c = asCidr(cidr);
  return (c.value & hostMask(c)) !== 0n;
}

/** Whether the text is a network in CIDR notation with no host bits set. */
export function isNetworkCidr(text: unknown, family?: IpFamily): boolean {
  const c = parseCidr(text);
  return c !== undefined && (family === undefined || c.family === family) && !hasHostBits(c);
}

/** Whether two CIDRs are of one family, have the same prefix, and lie in the same network. */
export function sameSubnet(a: string | Cidr, b: string | Cidr): boolean {
  const x = asCidr(a);
  const y = asCidr(b);
  return x.family === y.family && x.prefix === y.prefix && networkOf(x).value === networkOf(y).value;
}

/** Whether the networks of two CIDRs share at least one address (always false across families). */
export function cidrsOverlap(a: string | Cidr, b: string | Cidr): boolean {
  const x = asCidr(a);
  const y = asCidr(b);
  if (x.family !== y.family) return false;
  const shorter = x.prefix <= y.prefix ? x : y;
  const mask = ~hostMask(shorter);
  return (x.value & mask) === (y.value & mask);
}

/** Whether the network of `inner` lies entirely inside the network of `outer`. */
export function cidrContains(outer: string | Cidr, inner: string | Cidr): boolean {
  const o = asCidr(outer);
  const i = asCidr(inner);
  return o.family === i.family && o.prefix <= i.prefix && cidrsOverlap(o, i);
}

/** The three private IPv4 ranges of RFC 1918 (the interconnect addresses must lie in one). */
export const PRIVATE_V4_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

/** Whether an IPv4 address or CIDR lies entirely inside 10/8, 172.16/12 or 192.168/16. */
export function isPrivateV4(addrOrCidr: string | Cidr): boolean {
  let c: Cidr | undefined;
  if (typeof addrOrCidr === "string" && !addrOrCidr.includes("/")) {
    c = parseCidr(`${addrOrCidr}/32`);
  } else {
    c = typeof addrOrCidr === "string" ? parseCidr(addrOrCidr) : addrOrCidr;
  }
  if (!c || c.family !== "ipv4") return false;
  const cc = c;
  return PRIVATE_V4_RANGES.some((r) => cidrContains(r, cc));
}

/** Whether the CIDR is a /30 whose address is one of its two host addresses (.1 or .2 of the block). */
export function isSlash30HostAddress(cidr: string | Cidr): boolean {
  const c = asCidr(cidr);
  if (c.family !== "ipv4" || c.prefix !== 30) return false;
  const low = c.value & 3n;
  return low === 1n || low === 2n;
}

/** The two host addresses of the /30 a CIDR lies in, as CIDR text ("10.0.0.1/30", "10.0.0.2/30"). */
export function slash30HostAddresses(cidr: string | Cidr): [string, string] {
  const n = networkOf({ ...asCidr(cidr), prefix: 30 });
  return [`${fromBigInt(n.value + 1n, "ipv4")}/30`, `${fromBigInt(n.value + 2n, "ipv4")}/30`];
}

/** The ipaddr.js range name of the CIDR's address (e.g. "private", "multicast", "uniqueLocal"). */
export function rangeOf(cidr: string | Cidr): string {
  const c = asCidr(cidr);
  return ipaddr.parse(c.address).range();
}

/** Whether the two CIDRs name the same address with the same prefix. */
export function sameAddress(a: string | Cidr, b: string | Cidr): boolean {
  const x = asCidr(a);
  const y = asCidr(b);
  return x.family === y.family && x.value === y.value;
}

/** Orders CIDR text numerically where it parses (then by text), so equal sets compare equal. */
export function compareCidrText(a: string, b: string): number {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (x && y) {
    if (x.width !== y.width) return x.width - y.width;
    if (x.value !== y.value) return x.value < y.value ? -1 : 1;
    return x.prefix - y.prefix;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
