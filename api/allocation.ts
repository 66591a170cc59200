/**
 * Allocation from pools, pure: which VLAN (or hosted connection) and which interconnect /30 pairs a
 * link gets, and which IPv6 /64 its peer gets, given what is occupied. Deterministic: the same pool,
 * occupancy and key always give the same slot; a slot already held is never handed out. The provider
 * feeds it the live cloud, the program and the reserve list; `dcaas pool` feeds it the same to report.
 */
import {
  type Cidr,
  cidrContains,
  cidrFromValue,
  cidrsOverlap,
  formatCidr,
  isPrivateV4,
  networkOf,
  parseCidr,
} from "./net";
import type { Profile } from "./profile";
import { LIMITS, UUID_RE } from "./schemas";

/** A pool of link slots, as a program declares it. */
export interface PoolSpec {
  /** The pool's name, for messages and the report. */
  name: string;
  /** The hosted connections links are placed on (`jd-hosted`: many links each; `huawei`: one each). */
  hostedConnectionIds: string[];
  /** The virtual gateway every link attaches to. */
  borderGatewayId: string;
  /** `jd-hosted`: the VLANs to allocate, "1000-1999" (inclusive). */
  vlans?: string;
  /** The IPv4 block the interconnect /30s come from, e.g. "10.20.0.0/22". */
  interconnect: string;
  /** `jd-hosted`: a second /30 per link (the standby pair; the seed asks for two). Default true under jd-hosted. */
  standby?: boolean;
  /** Which host address of each /30 the customer gets: "first" (.1, default) or "second" (.2); the cloud gets the other. */
  customerHost?: "first" | "second";
  /** The IPv6 block the peers' /64s come from, e.g. "fd00:20::/56" (optional). */
  ipv6?: string;
  /** Slots never handed out: VLANs, and networks (IPv4 or IPv6) that may not be used. */
  reserved?: { vlans?: number[]; networks?: string[] };
}

/** The `allocation` input of a resource: the pool, and whether to move a link that lies outside it. */
export interface AllocationInput {
  pool: PoolSpec;
  /** Take a new slot even though the link holds one (outside a shrunk or moved pool): that replaces it. */
  renumber?: boolean;
  /** Slots held back after release (a PoolLedger's `held`): never handed out before their `until`. */
  held?: HeldSlot[];
  /**
   * A peer: its interface's customer address. The peer takes the /64 of the same index as the
   * interface's /30 in the interconnect block, so its value follows the interface's, whatever the
   * order checks run in.
   */
  pairedWith?: string;
  /** A HostedVif: the slot a PoolLedger planned for it (`ledger.slotFor(name)`), taken while it is free. */
  planned?: InterfaceSlot;
}

/**
 * A slot a link of this stack released (its object is gone), held back from reuse until `until`
 * (a PoolLedger's `held` output; links pass it as `allocation.held`).
 */
export interface HeldSlot {
  /** The resource that held it. */
  owner: string;
  hostedConnectionId?: string;
  vlan?: number;
  /** Its interconnect /30s and IPv6 /64s. */
  networks: string[];
  /** When the ledger first saw it gone, ISO 8601. */
  releasedAt: string;
  /** When it may be handed out again, ISO 8601. */
  until: string;
  /**
   * Set on a slot another stack holds back (given to a PoolLedger as `alsoHold`): that stack, or
   * "another stack". Unset on this stack's own releases.
   */
  stack?: string;
}

/** What a link gets: its connection, VLAN and interconnect pairs. */
export interface InterfaceSlot {
  hostedConnectionId: string;
  borderGatewayId: string;
  vlan: number;
  customerAddress: string;
  cloudAddress: string;
  standbyCustomerAddress?: string;
  standbyCloudAddress?: string;
}

/** What a link's IPv6 peer gets. */
export interface PeerSlot {
  customerAddress: string;
  cloudAddress: string;
}

/** A hosted connection as allocation sees it. */
export interface ConnectionInfo {
  id: string;
  /** Its VLAN (`huawei`: an interface takes the connection's). */
  vlan?: number | null;
  status?: string;
  type?: string;
}

/** Who holds a slot: a live interface, a resource of the program, the reserve list. */
export interface Holder {
  /** How a message names it: `virtual interface <id> ("name")`, `resource "x" of this program`, `the reserve list`. */
  label: string;
}

/** What is in use, by whom. */
export interface Occupancy {
  /** VLANs in use per hosted connection (lower-case id). */
  vlans: Map<string, Map<number, Holder>>;
  /** IPv4 interconnect networks in use on the gateway, and the gateway's VPC blocks. */
  networks: { network: string; holder: Holder }[];
  /** IPv6 peer networks in use on the gateway. */
  networks6: { network: string; holder: Holder }[];
}

/** An empty occupancy. */
export function emptyOccupancy(): Occupancy {
  return { vlans: new Map(), networks: [], networks6: [] };
}

/** Records that `holder` uses the VLAN on the connection. */
export function occupyVlan(o: Occupancy, connectionId: string, vlan: number, holder: Holder): void {
  const id = connectionId.toLowerCase();
  let m = o.vlans.get(id);
  if (!m) o.vlans.set(id, (m = new Map()));
  if (!m.has(vlan)) m.set(vlan, holder);
}

/** Records that `holder` uses the network (IPv4 or IPv6, any prefix). */
export function occupyNetwork(o: Occupancy, network: string, holder: Holder): void {
  const n = networkTextOf(network);
  if (!n) return;
  (n.width === 32 ? o.networks : o.networks6).push({ network: n.text, holder });
}

/** The canonical network text of CIDR text, once per text. */
const networkTexts = new Map<string, { text: string; width: 32 | 128 } | null>();
function networkTextOf(network: string): { text: string; width: 32 | 128 } | null {
  let n = networkTexts.get(network);
  if (n === undefined) {
    const c = parseCidr(network);
    n = c ? { text: formatCidr(networkOf(c)), width: c.width } : null;
    if (networkTexts.size > 100_000) networkTexts.clear();
    networkTexts.set(network, n);
  }
  return n;
}

/** A parsed pool: its VLAN range, /30 and /64 counts. */
export interface Pool {
  spec: PoolSpec;
  vlanFrom: number;
  vlanTo: number;
  block: string;
  block6?: string;
  pairs: number;
  standby: boolean;
  customerFirst: boolean;
}

const RANGE_RE = /^\s*(\d+)\s*-\s*(\d+)\s*$/;

/**
 * The API's rule for a pool's ids: every hosted connection and the gateway are UUIDs. Checked by
 * the provider before it reads anything, so a mistyped id is named as such, not as an API failure.
 */
export function poolIdProblems(spec: PoolSpec): string[] {
  const problems: string[] = [];
  const at = (field: string, rule: string) => problems.push(`pool "${spec.name}": ${field} ${rule}`);
  if (Array.isArray(spec.hostedConnectionIds)) {
    spec.hostedConnectionIds.forEach((id, i) => {
      if (typeof id !== "string" || !UUID_RE.test(id))
        at(`hostedConnectionIds[${i}]`, `must be a hosted connection id, a UUID (got ${JSON.stringify(id)})`);
    });
  }
  if (typeof spec.borderGatewayId !== "string" || !UUID_RE.test(spec.borderGatewayId))
    at(
      "borderGatewayId",
      `must be a virtual gateway id, a UUID (got ${JSON.stringify(spec.borderGatewayId)})`,
    );
  return problems;
}

/**
 * Parses and checks a pool for a profile; every problem is one line naming the pool, the field and
 * the rule (`vlanFacts` and `vpcBlocks`, when known, add the checks that need the live gateway).
 */
export function parsePool(
  spec: PoolSpec,
  profile: Profile,
  vpcBlocks: readonly string[] = [],
): Pool | string[] {
  const problems: string[] = [];
  const at = (field: string, rule: string) => problems.push(`pool "${spec.name}": ${field} ${rule}`);
  if (!Array.isArray(spec.hostedConnectionIds) || spec.hostedConnectionIds.length === 0) {
    at("hostedConnectionIds", "must list at least one hosted connection");
  }
  let vlanFrom = 0;
  let vlanTo = -1;
  if (profile === "jd-hosted") {
    const m = typeof spec.vlans === "string" ? RANGE_RE.exec(spec.vlans) : null;
    if (!m) at("vlans", `must be a range "from-to" such as "1000-1999" (got ${JSON.stringify(spec.vlans)})`);
    else {
      vlanFrom = Number(m[1]);
      vlanTo = Number(m[2]);
      if (vlanFrom < LIMITS.vlanMin || vlanTo > LIMITS.vlanMax) {
        at("vlans", `must lie within ${LIMITS.vlanMin}-${LIMITS.vlanMax} (got "${spec.vlans}")`);
      } else if (vlanFrom > vlanTo) {
        at("vlans", `must run from the lower VLAN to the higher, as in "1000-1999" (got "${spec.vlans}")`);
      }
    }
  }
  const standby = profile === "jd-hosted" ? spec.standby !== false : false;
  if (profile === "huawei" && spec.standby === true) {
    at(
      "standby",
      "is refused under the huawei profile (one /30 per interface; use a second hosted connection)",
    );
  }
  const c = parseCidr(typeof spec.interconnect === "string" ? spec.interconnect.trim() : undefined);
  let block = "";
  let pairs = 0;
  if (!c || c.width !== 32) {
    at(
      "interconnect",
      `must be an IPv4 network such as "10.20.0.0/22" (got ${JSON.stringify(spec.interconnect)})`,
    );
  } else if (c.prefix > 30) {
    at("interconnect", `must be /30 or larger (got /${c.prefix})`);
  } else if (!isPrivateV4(c)) {
    at("interconnect", `must lie in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (got ${spec.interconnect})`);
  } else {
    block = formatCidr(networkOf(c));
    pairs = 2 ** (30 - c.prefix);
    const vpc = vpcBlocks.find((b) => cidrsOverlap(block, b));
    if (vpc) at("interconnect", `${block} overlaps the VPC block ${vpc} of gateway ${spec.borderGatewayId}`);
  }
  let block6: string | undefined;
  if (spec.ipv6 !== undefined) {
    const c6 = parseCidr(typeof spec.ipv6 === "string" ? spec.ipv6.trim() : undefined);
    if (!c6 || c6.width !== 128)
      at("ipv6", `must be an IPv6 network such as "fd00:20::/56" (got ${JSON.stringify(spec.ipv6)})`);
    else if (c6.prefix > 64) at("ipv6", `must be /64 or larger (got /${c6.prefix})`);
    else block6 = formatCidr(networkOf(c6));
  }
  if (spec.customerHost !== undefined && spec.customerHost !== "first" && spec.customerHost !== "second") {
    at("customerHost", `must be "first" or "second" (got ${JSON.stringify(spec.customerHost)})`);
  }
  if (problems.length > 0) return problems;
  return {
    spec,
    vlanFrom,
    vlanTo,
    block,
    block6,
    pairs,
    standby,
    customerFirst: spec.customerHost !== "second",
  };
}

/** Whether two pools overlap (a VLAN on a shared connection, or an address block). */
export function poolsOverlap(a: Pool, b: Pool): string | undefined {
  if (a.block && b.block && cidrsOverlap(a.block, b.block))
    return `interconnect ${a.block} overlaps ${b.block}`;
  if (a.block6 && b.block6 && cidrsOverlap(a.block6, b.block6))
    return `ipv6 ${a.block6} overlaps ${b.block6}`;
  const shared = a.spec.hostedConnectionIds.find((x) =>
    b.spec.hostedConnectionIds.some((y) => x.toLowerCase() === y.toLowerCase()),
  );
  // huawei pools have no VLAN range: the connection is the slot (one interface, at its VLAN).
  if (shared && (a.vlanTo < a.vlanFrom || b.vlanTo < b.vlanFrom)) {
    return `hosted connection ${shared.toLowerCase()} is in both pools (one interface per connection)`;
  }
  if (
    shared &&
    a.vlanTo >= a.vlanFrom &&
    b.vlanTo >= b.vlanFrom &&
    a.vlanFrom <= b.vlanTo &&
    b.vlanFrom <= a.vlanTo
  ) {
    return `vlans ${a.vlanFrom}-${a.vlanTo} overlap ${b.vlanFrom}-${b.vlanTo} on a shared hosted connection`;
  }
  return undefined;
}

/** The i-th /30 of the block, as [network, first host, second host] with prefixes. */
function pairAt(block: string, i: number): { network: string; first: string; second: string } {
  const c = networkOf(block);
  const base = c.value + BigInt(i * 4);
  const text = (v: bigint) => formatCidr(cidrFromValue("ipv4", v, 30));
  return { network: text(base), first: text(base + 1n), second: text(base + 2n) };
}

/** The i-th /64 of the v6 block: [network, ::1, ::2] with /64. */
function subnet64At(block6: string, i: number): { network: string; first: string; second: string } {
  const c = networkOf(block6);
  const base = c.value + (BigInt(i) << 64n);
  const text = (v: bigint) => formatCidr(cidrFromValue("ipv6", v, 64));
  return { network: text(base), first: text(base + 1n), second: text(base + 2n) };
}

/** Parsed CIDR text, once per text (allocation parses the same networks again and again). */
const parsed = new Map<string, Cidr | undefined>();
function cidrOf(text: string): Cidr | undefined {
  let c = parsed.get(text);
  if (c === undefined && !parsed.has(text)) {
    c = parseCidr(text);
    if (parsed.size > 100_000) parsed.clear();
    parsed.set(text, c);
  }
  return c;
}

/**
 * An occupied-network list indexed for slots of one prefix (/30 or /64): a network at least that
 * long blocks the one slot that holds it (a map by the slot's value); a wider one (a VPC block, a
 * reserved /24) is kept in a short list. Lists only grow, so the index catches up incrementally.
 */
interface SlotIndex {
  seen: number;
  exact: Map<bigint, Holder>;
  wide: { cidr: Cidr; holder: Holder }[];
}
const slotIndexes = new WeakMap<object, Map<number, SlotIndex>>();

function slotIndex(list: { network: string; holder: Holder }[], prefix: number): SlotIndex {
  let byPrefix = slotIndexes.get(list);
  if (!byPrefix) slotIndexes.set(list, (byPrefix = new Map()));
  let ix = byPrefix.get(prefix);
  if (!ix) byPrefix.set(prefix, (ix = { seen: 0, exact: new Map(), wide: [] }));
  for (; ix.seen < list.length; ix.seen++) {
    const e = list[ix.seen];
    const c = cidrOf(e.network);
    if (!c) continue;
    if (c.prefix >= prefix) {
      const key = (c.value >> BigInt(c.width - prefix)) << BigInt(c.width - prefix);
      if (!ix.exact.has(key)) ix.exact.set(key, e.holder);
    } else ix.wide.push({ cidr: c, holder: e.holder });
  }
  return ix;
}

/** Who holds (part of) the slot network of `prefix` at `value`, if anyone. */
function slotHolder(
  list: { network: string; holder: Holder }[],
  family: "ipv4" | "ipv6",
  value: bigint,
  prefix: number,
): Holder | undefined {
  const ix = slotIndex(list, prefix);
  const hit = ix.exact.get(value);
  if (hit) return hit;
  if (ix.wide.length === 0) return undefined;
  const slot = cidrFromValue(family, value, prefix);
  return ix.wide.find((w) => w.cidr.family === family && cidrsOverlap(w.cidr, slot))?.holder;
}

function networkHeld(list: { network: string; holder: Holder }[], network: string): Holder | undefined {
  const c = cidrOf(network);
  if (!c) return undefined;
  return slotHolder(list, c.family, networkOf(c).value, c.prefix);
}

/** How many slots of each kind the pool has, how many are used, and by what (for exhaustion messages). */
function usage(
  pool: Pool,
  occ: Occupancy,
  what: "vlans" | "pairs" | "connections" | "ipv6",
  connections: readonly ConnectionInfo[] = [],
): string {
  const holders = new Map<string, number>();
  const count = (h: Holder) => holders.set(h.label, (holders.get(h.label) ?? 0) + 1);
  let size = 0;
  if (what === "vlans") {
    size = (pool.vlanTo - pool.vlanFrom + 1) * pool.spec.hostedConnectionIds.length;
    for (const id of pool.spec.hostedConnectionIds) {
      for (const [vlan, h] of occ.vlans.get(id.toLowerCase()) ?? [])
        if (vlan >= pool.vlanFrom && vlan <= pool.vlanTo) count(h);
    }
  } else if (what === "connections") {
    size = pool.spec.hostedConnectionIds.length;
    for (const id of pool.spec.hostedConnectionIds) {
      const first = holderOfConnection(pool, occ, id, connections);
      if (first) count(first);
    }
  } else if (what === "pairs") {
    size = pool.pairs;
    for (const x of occ.networks) if (cidrsOverlap(x.network, pool.block)) count(x.holder);
  } else {
    size = pool.block6 ? 2 ** Math.min(30, 64 - networkOf(pool.block6).prefix) : 0;
    for (const x of occ.networks6) if (pool.block6 && cidrsOverlap(x.network, pool.block6)) count(x.holder);
  }
  const used = [...holders.values()].reduce((a, b) => a + b, 0);
  const by = summarise(holders);
  return `${size} ${what === "pairs" ? "/30s" : what === "ipv6" ? "/64s" : what}, ${used} used${by ? ` (${by})` : ""}`;
}

/**
 * Who holds a huawei connection (one interface each, at the connection's VLAN): a holder of its VLAN,
 * or of any VLAN but a reserved one (the reserve list is recorded on every connection of the pool).
 */
function holderOfConnection(
  pool: Pool,
  occ: Occupancy,
  id: string,
  connections: readonly ConnectionInfo[],
): Holder | undefined {
  const reserved = new Set(pool.spec.reserved?.vlans ?? []);
  const own = connections.find((c) => c.id.toLowerCase() === id.toLowerCase())?.vlan;
  for (const [vlan, h] of occ.vlans.get(id.toLowerCase()) ?? [])
    if (vlan === own || !reserved.has(vlan)) return h;
  return undefined;
}

function summarise(holders: Map<string, number>): string {
  const kinds = new Map<string, number>();
  for (const [label, n] of holders) {
    const kind = label.startsWith("virtual interface")
      ? "live interfaces"
      : label.startsWith("peer") || label.startsWith("VIF peer")
        ? "live peers"
        : label === "the reserve list"
          ? "the reserve list"
          : label.startsWith("held back")
            ? "slots held back after release"
            : label.startsWith("the VPC")
              ? "the VPC blocks"
              : "resources of this program";
    kinds.set(kind, (kinds.get(kind) ?? 0) + n);
  }
  return [...kinds].map(([k, n]) => `${n} by ${k}`).join(", ");
}

/** The outcome of an allocation: the slot, or the one-line reason it failed. */
export type Allocation<T> = { ok: true; slot: T } | { ok: false; reason: string };

/**
 * The slot for a new link. `jd-hosted`: the connection of the pool with the fewest pool VLANs in use
 * (the first on a tie), its lowest free VLAN, then the lowest free /30 (and the next free one for the
 * standby pair). `huawei`: the first connection of the list with no interface on it, at its VLAN, and
 * the lowest free /30. `avoid` lists slots to skip (a conflict the API reported).
 */
export function allocateInterface(
  pool: Pool,
  profile: Profile,
  occ: Occupancy,
  connections: readonly ConnectionInfo[],
  avoid: { vlans?: { connectionId: string; vlan: number }[]; networks?: string[] } = {},
): Allocation<InterfaceSlot> {
  const spec = pool.spec;
  const reservedVlans = new Set(spec.reserved?.vlans ?? []);
  const avoided = (conn: string, vlan: number) =>
    (avoid.vlans ?? []).some((a) => a.connectionId.toLowerCase() === conn.toLowerCase() && a.vlan === vlan);
  let connectionId: string | undefined;
  let vlan: number | undefined;
  if (profile === "huawei") {
    for (const id of spec.hostedConnectionIds) {
      const info = connections.find((c) => c.id.toLowerCase() === id.toLowerCase());
      if (!info || typeof info.vlan !== "number") continue;
      if (info.status !== undefined && info.status !== "ACTIVE") continue;
      if (holderOfConnection(pool, occ, id, connections) || avoided(id, info.vlan)) continue;
      if (reservedVlans.has(info.vlan)) continue;
      connectionId = id.toLowerCase();
      vlan = info.vlan;
      break;
    }
    if (connectionId === undefined) {
      return {
        ok: false,
        reason: `pool "${spec.name}" has no free hosted connection: ${usage(pool, occ, "connections", connections)}; add a hosted connection to hostedConnectionIds`,
      };
    }
  } else {
    const order = spec.hostedConnectionIds
      .map((id, i) => {
        const used = occ.vlans.get(id.toLowerCase()) ?? new Map();
        let inPool = 0;
        for (const v of used.keys()) if (v >= pool.vlanFrom && v <= pool.vlanTo) inPool++;
        return { id: id.toLowerCase(), i, inPool, used };
      })
      .sort((a, b) => a.inPool - b.inPool || a.i - b.i);
    outer: for (const c of order) {
      for (let v = pool.vlanFrom; v <= pool.vlanTo; v++) {
        if (c.used.has(v) || reservedVlans.has(v) || avoided(c.id, v)) continue;
        connectionId = c.id;
        vlan = v;
        break outer;
      }
    }
    if (connectionId === undefined || vlan === undefined) {
      return {
        ok: false,
        reason: `pool "${spec.name}" has no free VLAN in ${pool.vlanFrom}-${pool.vlanTo}: ${usage(pool, occ, "vlans")}; widen vlans or add a hosted connection`,
      };
    }
  }
  const wanted = pool.standby ? 2 : 1;
  const found: { network: string; first: string; second: string }[] = [];
  const base = networkOf(pool.block).value;
  const extra = [
    ...(spec.reserved?.networks ?? []).map((n) => ({ network: n, holder: { label: "the reserve list" } })),
    ...(avoid.networks ?? []).map((n) => ({ network: n, holder: { label: "avoided" } })),
  ];
  for (let i = 0; i < pool.pairs && found.length < wanted; i++) {
    const value = base + BigInt(i * 4);
    if (
      slotHolder(occ.networks, "ipv4", value, 30) ||
      (extra.length > 0 && slotHolder(extra, "ipv4", value, 30))
    ) {
      continue;
    }
    found.push(pairAt(pool.block, i));
  }
  if (found.length < wanted) {
    return {
      ok: false,
      reason: `pool "${spec.name}" has no free /30${wanted === 2 ? " pair (primary and standby)" : ""} in ${pool.block}: ${usage(pool, occ, "pairs")}; widen interconnect`,
    };
  }
  const side = (p: { first: string; second: string }) =>
    pool.customerFirst ? { customer: p.first, cloud: p.second } : { customer: p.second, cloud: p.first };
  const primary = side(found[0]);
  const slot: InterfaceSlot = {
    hostedConnectionId: connectionId,
    borderGatewayId: spec.borderGatewayId.toLowerCase(),
    vlan: vlan!,
    customerAddress: primary.customer,
    cloudAddress: primary.cloud,
  };
  if (found[1]) {
    const standby = side(found[1]);
    slot.standbyCustomerAddress = standby.customer;
    slot.standbyCloudAddress = standby.cloud;
  }
  return { ok: true, slot };
}

/** The slot for a new IPv6 peer: the lowest free /64 of the pool's ipv6 block. */
export function allocatePeer(pool: Pool, occ: Occupancy, avoid: string[] = []): Allocation<PeerSlot> {
  if (!pool.block6) return { ok: false, reason: `pool "${pool.spec.name}" has no ipv6 block` };
  const count = 2 ** Math.min(30, 64 - networkOf(pool.block6).prefix);
  const base = networkOf(pool.block6).value;
  const extra = [
    ...(pool.spec.reserved?.networks ?? []).map((n) => ({
      network: n,
      holder: { label: "the reserve list" },
    })),
    ...avoid.map((n) => ({ network: n, holder: { label: "avoided" } })),
  ];
  for (let i = 0; i < count; i++) {
    const value = base + (BigInt(i) << 64n);
    if (
      slotHolder(occ.networks6, "ipv6", value, 64) ||
      (extra.length > 0 && slotHolder(extra, "ipv6", value, 64))
    ) {
      continue;
    }
    const s = subnet64At(pool.block6, i);
    return {
      ok: true,
      slot: pool.customerFirst
        ? { customerAddress: s.first, cloudAddress: s.second }
        : { customerAddress: s.second, cloudAddress: s.first },
    };
  }
  return {
    ok: false,
    reason: `pool "${pool.spec.name}" has no free /64 in ${pool.block6}: ${usage(pool, occ, "ipv6")}; widen ipv6`,
  };
}

/** The index of the /30 of the interconnect block that holds `address`; undefined outside it. */
export function pairIndexOf(pool: Pool, address: string): number | undefined {
  const c = parseCidr(address);
  if (!c || c.width !== 32 || !pool.block || !cidrContains(pool.block, formatCidr(networkOf(c))))
    return undefined;
  return Number((c.value - networkOf(pool.block).value) >> 2n);
}

/** The peer slot of the `index`-th /64 of the pool's ipv6 block; undefined past its end. */
export function peerSlotAt(pool: Pool, index: number): { network: string; slot: PeerSlot } | undefined {
  if (!pool.block6) return undefined;
  const count = 2 ** Math.min(30, 64 - networkOf(pool.block6).prefix);
  if (index < 0 || index >= count) return undefined;
  const s = subnet64At(pool.block6, index);
  return {
    network: s.network,
    slot: pool.customerFirst
      ? { customerAddress: s.first, cloudAddress: s.second }
      : { customerAddress: s.second, cloudAddress: s.first },
  };
}

/** Whether the network is free in the occupancy (IPv4 or IPv6). */
export function networkFree(occ: Occupancy, network: string): boolean {
  const c = parseCidr(network);
  if (!c) return false;
  return networkHeld(c.width === 32 ? occ.networks : occ.networks6, network) === undefined;
}

/** Whether a link's values lie inside the pool (an adopted or older link may not). */
export function interfaceInPool(
  pool: Pool,
  profile: Profile,
  v: { hostedConnectionId: string; vlan: number; customerAddress: string },
): boolean {
  const onConnection = pool.spec.hostedConnectionIds.some(
    (id) => id.toLowerCase() === v.hostedConnectionId.toLowerCase(),
  );
  const vlanOk = profile === "huawei" || (v.vlan >= pool.vlanFrom && v.vlan <= pool.vlanTo);
  const c = parseCidr(v.customerAddress);
  const addrOk = c !== undefined && pool.block !== "" && cidrContains(pool.block, formatCidr(networkOf(c)));
  return onConnection && vlanOk && addrOk;
}
