// `dcaas pool`: the pools a stack allocates from, with their used, free and held slots and who holds
// them. The pools and the slots of this stack come from the stack's state (every HostedVif and
// VifPeer whose inputs carry `allocation.pool`); what other owners hold on the pool's hosted
// connections and gateway comes from the live API when the stack's configuration (or the
// environment) names an endpoint, a project and token or AK/SK credentials. The free counts are
// computed with api/allocation.ts, as the provider allocates. Imports api/ only (no provider/).
import {
  allocateInterface,
  allocatePeer,
  type ConnectionInfo,
  type HeldSlot,
  emptyOccupancy,
  interfaceInPool,
  type InterfaceSlot,
  occupyNetwork,
  occupyVlan,
  parsePool,
  type PeerSlot,
  type Pool,
  type PoolSpec,
} from "../api/allocation";
import { CONFIG_KEYS, CONFIG_NAMESPACE, type ConfigKey } from "../api/configKeys";
import { IAM_TOKENS_PATH, iamEndpointFor, passwordTokenRequest } from "../api/iam";
import { canonicalNetwork, type Cidr, cidrsOverlap, networkOf, parseCidr } from "../api/net";
import { defaultProfileFor, isProfile, type Profile } from "../api/profile";
import { signRequest } from "../api/signing";
import { interconnectNetworks } from "../api/stateful";

/** One resource of the stack's state, as `pulumi stack export` holds it (secrets already masked). */
export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, any>;
  outputs?: Record<string, any>;
}

/** A live interface as the report sees it (only the fields it shows: never a key). */
export interface LiveInterface {
  id: string;
  name: string;
  hostedConnectionId: string;
  gatewayId: string;
  vlan: number;
  status: string;
  customerAddress?: string;
  standbyCustomerAddress?: string;
  /** The `pulumi-dcaas:owner` tag (`project/stack/resource`), when it carries one. */
  owner?: string;
  peers: { id: string; addressFamily: string; customerAddress?: string }[];
}

/** What the live API showed on the pools' connections and gateways. */
export interface LiveFacts {
  endpoint: string;
  interfaces: LiveInterface[];
  connections: ConnectionInfo[];
  /** The VPC blocks of each gateway (lower-case id). */
  vpcBlocks: Record<string, string[]>;
}

/**
 * A held slot as the report shows it. `pending`: a slot the ledger held in its last run whose
 * interface is gone now; the ledger's next run holds it back for `holdFor` (until then `until` is
 * unset), so it is counted as held already, as the next preview will.
 */
export type ReportHeld = Omit<HeldSlot, "until" | "releasedAt"> & {
  releasedAt?: string;
  until?: string;
  pending?: { holdFor: string };
};

/** One slot of this stack: a link (HostedVif) or its IPv6 peer (VifPeer). */
export interface UsedSlot {
  resource: string;
  type: "HostedVif" | "VifPeer";
  id?: string;
  status?: string;
  hostedConnectionId?: string;
  vlan?: number;
  customerAddress?: string;
  cloudAddress?: string;
  standbyCustomerAddress?: string;
  standbyCloudAddress?: string;
  /** VifPeer: the /64 it holds. */
  ipv6?: string;
  /** VifPeer: the resource name of its interface, when the interface is in this stack. */
  interface?: string;
  /** Whether the values lie inside the pool (an adopted link, or one of a shrunk pool, may not). */
  inPool: boolean;
}

/** A slot of the pool held by something else than this stack's pool members. */
export interface OtherHolder {
  /** `live`: an interface or peer read from the API; `stack`: a resource of this stack outside the pool. */
  kind: "live" | "stack";
  /** How it is named: `virtual interface <id> ("name", owned by stack p/s)`, `resource "x" of this stack`. */
  holder: string;
  /** The owner's mark on a live interface (`project/stack/resource`), when it carries one. */
  owner?: string;
  hostedConnectionId?: string;
  vlan?: number;
  networks: string[];
}

/** A count of slots: how many there are, who holds them, how many are free. */
export interface SlotCount {
  total: number;
  thisStack: number;
  others: number;
  reserved: number;
  /** Held back after release by a PoolLedger of this stack. */
  held?: number;
  /** The gateway's VPC blocks (live read only). */
  vpc?: number;
  free: number;
}

/** One pool of the stack. */
export interface PoolSection {
  name: string;
  profile: Profile;
  definition: {
    hostedConnectionIds: string[];
    borderGatewayId: string;
    vlans?: string;
    interconnect: string;
    ipv6?: string;
    standby: boolean;
    customerHost: "first" | "second";
    reserved: { vlans: number[]; networks: string[] };
  };
  /** Problems with the pool (a bad definition, resources holding different definitions). */
  problems: string[];
  used: UsedSlot[];
  others: OtherHolder[];
  /** Slots held back after their link was removed (a PoolLedger of this stack), until their `until`. */
  held: ReportHeld[];
  free: {
    /** `jd-hosted`: the VLANs of the range, per hosted connection. */
    vlans?: ({ hostedConnectionId: string } & SlotCount)[];
    /** `huawei`: the hosted connections (one interface each). */
    connections?: SlotCount & { freeIds: string[] };
    /** The /30s of the interconnect block. */
    pairs?: SlotCount & { perLink: number };
    /** The /64s of the ipv6 block. */
    ipv6?: SlotCount;
  };
  /** What a new link and a new peer would get now (the provider's choice, given what is counted). */
  next: { interface?: InterfaceSlot; peer?: PeerSlot; reason?: string };
}

/** The pool report of one stack. */
export interface PoolReport {
  stack: string;
  workDir: string;
  profile: Profile;
  /** What the counts hold: the state alone, or the state and the live API. */
  basis: { live: boolean; endpoint?: string; note: string };
  pools: PoolSection[];
}

const isInterfaceType = (t: string) => /HostedVif$/.test(t);
const isPeerType = (t: string) => /VifPeer$/.test(t);
const nameOf = (urn: string) => urn.split("::").pop() ?? urn;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const lower = (v: string | undefined) => v?.toLowerCase();

/** The pool spec a resource's inputs carry, if any. */
export function poolSpecOf(r: StateResource): PoolSpec | undefined {
  const p = r.inputs?.allocation?.pool;
  return p && typeof p === "object" && typeof p.name === "string" ? (p as PoolSpec) : undefined;
}

/** A value of a resource: its output, else its input. */
function val(r: StateResource, k: string): any {
  return r.outputs?.[k] ?? r.inputs?.[k];
}

/** The rule profile, as the provider resolves it: dcaas:profile, DCAAS_PROFILE, then by endpoint. */
export function profileOf(config: Record<string, string | undefined>, env: NodeJS.ProcessEnv): Profile {
  const named = settingOf(config, env, "profile");
  if (isProfile(named)) return named;
  return defaultProfileFor(settingOf(config, env, "endpoint"));
}

/** A setting as the provider reads it: the stack's `dcaas:<key>`, else its environment variables in order. */
function settingOf(
  config: Record<string, string | undefined>,
  env: NodeJS.ProcessEnv,
  k: ConfigKey,
): string | undefined {
  return (
    str(config[`${CONFIG_NAMESPACE}:${CONFIG_KEYS[k].key}`]) ??
    CONFIG_KEYS[k].env.map((e) => str(env[e])).find((x) => x !== undefined)
  );
}

/** Index range [from, to) of the slots of `slotPrefix` in `block` that `net` covers; undefined when none. */
function slotRange(block: Cidr, slotPrefix: number, net: string): [bigint, bigint] | undefined {
  const c = parseCidr(net);
  if (!c || c.width !== block.width) return undefined;
  const n = networkOf(c);
  const w = BigInt(block.width);
  const bLo = block.value;
  const bHi = block.value + (1n << (w - BigInt(block.prefix)));
  const lo = n.value > bLo ? n.value : bLo;
  const nHi = n.value + (1n << (w - BigInt(n.prefix)));
  const hi = nHi < bHi ? nHi : bHi;
  if (lo >= hi) return undefined;
  const size = 1n << (w - BigInt(slotPrefix));
  return [(lo - bLo) / size, (hi - bLo + size - 1n) / size];
}

/** How many indices a list of ranges covers together. */
function unionSize(ranges: [bigint, bigint][]): number {
  const sorted = [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let total = 0n;
  let cur: [bigint, bigint] | undefined;
  for (const r of sorted) {
    if (!cur || r[0] > cur[1]) {
      if (cur) total += cur[1] - cur[0];
      cur = [r[0], r[1]];
    } else if (r[1] > cur[1]) cur[1] = r[1];
  }
  if (cur) total += cur[1] - cur[0];
  return Number(total);
}

/**
 * Counts the slots of `slotPrefix` in `block` by holder: each slot counts once, for the first holder
 * in the order this stack, others, reserve list, VPC blocks.
 */
function countNetworks(
  block: string,
  slotPrefix: number,
  groups: { thisStack: string[]; others: string[]; reserved: string[]; held?: string[]; vpc?: string[] },
): SlotCount {
  const b = networkOf(block);
  const total = Number(2n ** BigInt(slotPrefix - b.prefix));
  const ranges = (list: string[]) =>
    list.flatMap((n) => {
      const r = slotRange(b, slotPrefix, n);
      return r ? [r] : [];
    });
  const a = ranges(groups.thisStack);
  const o = ranges(groups.others);
  const r = ranges(groups.reserved);
  const h = ranges(groups.held ?? []);
  const v = ranges(groups.vpc ?? []);
  const s1 = unionSize(a);
  const s2 = unionSize([...a, ...o]);
  const s3 = unionSize([...a, ...o, ...r]);
  const sh = unionSize([...a, ...o, ...r, ...h]);
  const s4 = unionSize([...a, ...o, ...r, ...h, ...v]);
  const out: SlotCount = { total, thisStack: s1, others: s2 - s1, reserved: s3 - s2, free: total - s4 };
  if (sh - s3 > 0) out.held = sh - s3;
  if (groups.vpc) out.vpc = s4 - sh;
  return out;
}

const liveLabel = (v: LiveInterface) => {
  const m = /^([^/]+)\/([^/]+)\//.exec(v.owner ?? "");
  return `virtual interface ${v.id} ("${v.name}"${m ? `, marked as owned by stack ${m[1]}/${m[2]}` : ""})`;
};

/** The section of one pool: its definition, this stack's slots, the other holders, the free counts. */
export function poolSection(
  name: string,
  members: StateResource[],
  allResources: StateResource[],
  profile: Profile,
  live: LiveFacts | undefined,
  held: ReportHeld[] = [],
): PoolSection {
  const problems: string[] = [];
  // The definition most members hold (a resource whose last update failed may hold an older one).
  const byText = new Map<string, { spec: PoolSpec; n: number }>();
  for (const m of members) {
    const spec = poolSpecOf(m)!;
    const key = JSON.stringify(spec);
    const e = byText.get(key) ?? { spec, n: 0 };
    e.n++;
    byText.set(key, e);
  }
  const defs = [...byText.values()].sort((a, b) => b.n - a.n);
  const spec = defs[0].spec;
  if (defs.length > 1) {
    problems.push(
      `${members.length} resources hold ${defs.length} different definitions of pool "${name}" (a change not yet applied to all of them); shown: the one ${defs[0].n} of them hold`,
    );
  }
  const connIds = (Array.isArray(spec.hostedConnectionIds) ? spec.hostedConnectionIds : []).map((x) =>
    String(x).toLowerCase(),
  );
  const gateway = String(spec.borderGatewayId ?? "").toLowerCase();
  const vpcBlocks = live?.vpcBlocks[gateway];
  const parsed = parsePool(spec, profile, vpcBlocks ?? []);
  const pool: Pool | undefined = Array.isArray(parsed) ? undefined : parsed;
  if (Array.isArray(parsed)) problems.push(...parsed);
  const definition: PoolSection["definition"] = {
    hostedConnectionIds: connIds,
    borderGatewayId: gateway,
    ...(profile === "jd-hosted" && spec.vlans !== undefined ? { vlans: spec.vlans } : {}),
    interconnect: spec.interconnect,
    ...(spec.ipv6 !== undefined ? { ipv6: spec.ipv6 } : {}),
    standby: profile === "jd-hosted" ? spec.standby !== false : false,
    customerHost: spec.customerHost === "second" ? "second" : "first",
    reserved: { vlans: spec.reserved?.vlans ?? [], networks: spec.reserved?.networks ?? [] },
  };

  const ifaceById = new Map<string, StateResource>();
  for (const r of allResources) if (isInterfaceType(r.type) && r.id) ifaceById.set(r.id.toLowerCase(), r);
  const memberUrns = new Set(members.map((m) => m.urn));
  const stateIds = new Set(allResources.flatMap((r) => (r.id ? [r.id.toLowerCase()] : [])));

  const occ = emptyOccupancy();
  const vlansOf = { thisStack: new Map<string, Set<number>>(), others: new Map<string, Set<number>>() };
  const addVlan = (which: "thisStack" | "others", conn: string, vlan: number) => {
    const m = vlansOf[which];
    if (!m.has(conn)) m.set(conn, new Set());
    m.get(conn)!.add(vlan);
  };
  const nets = { thisStack: [] as string[], others: [] as string[] };
  const nets6 = { thisStack: [] as string[], others: [] as string[] };

  const used: UsedSlot[] = [];
  const others: OtherHolder[] = [];
  for (const r of allResources) {
    const member = memberUrns.has(r.urn);
    if (isInterfaceType(r.type)) {
      const conn = lower(str(val(r, "hostedConnectionId")));
      const gw = lower(str(val(r, "borderGatewayId")));
      const vlan = val(r, "vlan");
      const customer = str(val(r, "customerAddress"));
      const standby = str(val(r, "standbyCustomerAddress"));
      const networks = interconnectNetworks({
        remote_gateway_v4_ip: customer,
        standby_remote_gateway_v4_ip: standby,
      });
      const onConn = conn !== undefined && connIds.includes(conn);
      const onGw = gw === gateway;
      if (!member && !onConn && !onGw) continue;
      const label = { label: `resource "${nameOf(r.urn)}" of this stack` };
      if (onConn && Number.isInteger(vlan)) {
        occupyVlan(occ, conn, vlan, label);
        addVlan(member ? "thisStack" : "others", conn, vlan);
      }
      if (onGw || member) {
        for (const n of networks) occupyNetwork(occ, n, label);
        (member ? nets.thisStack : nets.others).push(...networks);
      }
      if (member) {
        const slot: UsedSlot = {
          resource: nameOf(r.urn),
          type: "HostedVif",
          id: r.id,
          status: str(val(r, "status")),
          hostedConnectionId: conn,
          vlan: Number.isInteger(vlan) ? vlan : undefined,
          customerAddress: customer,
          cloudAddress: str(val(r, "cloudAddress")),
          standbyCustomerAddress: standby,
          standbyCloudAddress: str(val(r, "standbyCloudAddress")),
          inPool:
            pool !== undefined &&
            conn !== undefined &&
            customer !== undefined &&
            Number.isInteger(vlan) &&
            interfaceInPool(pool, profile, { hostedConnectionId: conn, vlan, customerAddress: customer }),
        };
        used.push(compact(slot));
      } else {
        others.push(
          compact({
            kind: "stack" as const,
            holder: `resource "${nameOf(r.urn)}" of this stack (not allocated from this pool)`,
            hostedConnectionId: onConn ? conn : undefined,
            vlan: onConn && Number.isInteger(vlan) ? vlan : undefined,
            networks: onGw ? networks : [],
          }),
        );
      }
    } else if (isPeerType(r.type)) {
      const customer = str(val(r, "customerAddress"));
      const family = str(val(r, "addressFamily"))?.toLowerCase() ?? "ipv6";
      const parent = ifaceById.get(String(val(r, "vifId") ?? "").toLowerCase());
      const parentGw = parent ? lower(str(val(parent, "borderGatewayId"))) : undefined;
      if (!member && (family !== "ipv6" || parentGw !== gateway)) continue;
      const network = customer && family === "ipv6" ? canonicalNetwork(customer) : undefined;
      if (network) {
        occupyNetwork(occ, network, { label: `resource "${nameOf(r.urn)}" of this stack` });
        (member ? nets6.thisStack : nets6.others).push(network);
      }
      if (member) {
        const block6 = pool?.block6;
        used.push(
          compact({
            resource: nameOf(r.urn),
            type: "VifPeer" as const,
            id: r.id,
            status: str(val(r, "status")),
            interface: parent ? nameOf(parent.urn) : undefined,
            hostedConnectionId: parent ? lower(str(val(parent, "hostedConnectionId"))) : undefined,
            ipv6: network,
            customerAddress: customer,
            cloudAddress: str(val(r, "cloudAddress")),
            inPool: block6 !== undefined && network !== undefined && cidrsOverlap(block6, network),
          }),
        );
      } else if (network) {
        others.push({
          kind: "stack",
          holder: `resource "${nameOf(r.urn)}" of this stack (not allocated from this pool)`,
          networks: [network],
        });
      }
    }
  }

  // Live interfaces and peers on the pool's connections and gateway that this stack does not hold.
  if (live) {
    const seen = new Set<string>();
    for (const v of live.interfaces) {
      const id = v.id.toLowerCase();
      if (seen.has(id) || v.status === "DELETED") continue;
      seen.add(id);
      const conn = v.hostedConnectionId.toLowerCase();
      const onConn = connIds.includes(conn);
      const onGw = v.gatewayId.toLowerCase() === gateway;
      if (!onConn && !onGw) continue;
      const ours = stateIds.has(id);
      const holder = { label: liveLabel(v) };
      const networks = onGw
        ? interconnectNetworks({
            remote_gateway_v4_ip: v.customerAddress,
            standby_remote_gateway_v4_ip: v.standbyCustomerAddress,
          })
        : [];
      const peerNets = onGw
        ? v.peers
            .filter(
              (p) => p.addressFamily === "ipv6" && !stateIds.has(p.id.toLowerCase()) && p.customerAddress,
            )
            .map((p) => canonicalNetwork(p.customerAddress!))
        : [];
      for (const n of peerNets) occupyNetwork(occ, n, { label: `peer of ${holder.label}` });
      nets6.others.push(...peerNets);
      if (ours) {
        // This stack's interface with an IPv6 peer its state does not hold (an interrupted run's).
        if (peerNets.length > 0)
          others.push(
            compact({
              kind: "live" as const,
              holder: `an IPv6 peer not in this stack's state, on ${holder.label}`,
              owner: v.owner,
              networks: peerNets,
            }),
          );
        continue;
      }
      if (onConn) {
        occupyVlan(occ, conn, v.vlan, holder);
        addVlan("others", conn, v.vlan);
      }
      for (const n of networks) occupyNetwork(occ, n, holder);
      nets.others.push(...networks);
      others.push(
        compact({
          kind: "live" as const,
          holder: holder.label,
          owner: v.owner,
          hostedConnectionId: onConn ? conn : undefined,
          vlan: onConn ? v.vlan : undefined,
          networks: [...networks, ...peerNets],
        }),
      );
    }
    for (const b of vpcBlocks ?? []) occupyNetwork(occ, b, { label: `the VPC block ${b}` });
  }
  for (const h of held) {
    const holder = {
      label: h.pending
        ? `held back after release by "${h.owner}" from the ledger's next run`
        : `held back after release by "${h.owner}" until ${h.until}`,
    };
    if (h.hostedConnectionId && typeof h.vlan === "number")
      occupyVlan(occ, h.hostedConnectionId, h.vlan, holder);
    for (const n of h.networks ?? []) occupyNetwork(occ, n, holder);
  }
  const heldNets = held.flatMap((h) => (h.networks ?? []).map(canonicalNetwork));
  const reserve = { label: "the reserve list" };
  for (const v of definition.reserved.vlans) for (const id of connIds) occupyVlan(occ, id, v, reserve);
  for (const n of definition.reserved.networks) occupyNetwork(occ, n, reserve);

  const free: PoolSection["free"] = {};
  const next: PoolSection["next"] = {};
  if (pool) {
    if (profile === "jd-hosted") {
      const inRange = (v: number) => v >= pool.vlanFrom && v <= pool.vlanTo;
      const reservedVlans = new Set(definition.reserved.vlans.filter(inRange));
      free.vlans = connIds.map((id) => {
        const mine = new Set([...(vlansOf.thisStack.get(id) ?? [])].filter(inRange));
        const theirs = new Set([...(vlansOf.others.get(id) ?? [])].filter((v) => inRange(v) && !mine.has(v)));
        const res = [...reservedVlans].filter((v) => !mine.has(v) && !theirs.has(v)).length;
        const heldHere = new Set(
          held
            .filter((h) => h.hostedConnectionId?.toLowerCase() === id && typeof h.vlan === "number")
            .map((h) => h.vlan!)
            .filter((v) => inRange(v) && !mine.has(v) && !theirs.has(v) && !reservedVlans.has(v)),
        );
        const total = pool.vlanTo - pool.vlanFrom + 1;
        return {
          hostedConnectionId: id,
          total,
          thisStack: mine.size,
          others: theirs.size,
          reserved: res,
          ...(heldHere.size > 0 ? { held: heldHere.size } : {}),
          free: total - mine.size - theirs.size - res - heldHere.size,
        };
      });
    } else {
      const holds = (which: Map<string, Set<number>>, id: string) => (which.get(id)?.size ?? 0) > 0;
      const reservedConn = (id: string) => {
        const own = live?.connections.find((c) => c.id.toLowerCase() === id)?.vlan;
        return typeof own === "number" && definition.reserved.vlans.includes(own);
      };
      const mine = connIds.filter((id) => holds(vlansOf.thisStack, id));
      const theirs = connIds.filter((id) => !mine.includes(id) && holds(vlansOf.others, id));
      const res = connIds.filter((id) => !mine.includes(id) && !theirs.includes(id) && reservedConn(id));
      const freeIds = connIds.filter((id) => !mine.includes(id) && !theirs.includes(id) && !res.includes(id));
      free.connections = {
        total: connIds.length,
        thisStack: mine.length,
        others: theirs.length,
        reserved: res.length,
        free: freeIds.length,
        freeIds,
      };
    }
    free.pairs = {
      ...countNetworks(pool.block, 30, {
        thisStack: nets.thisStack,
        others: nets.others,
        reserved: definition.reserved.networks,
        held: heldNets.filter((n) => !n.includes(":")),
        vpc: vpcBlocks,
      }),
      perLink: pool.standby ? 2 : 1,
    };
    if (pool.block6) {
      free.ipv6 = countNetworks(pool.block6, 64, {
        thisStack: nets6.thisStack,
        others: nets6.others,
        reserved: definition.reserved.networks,
        held: heldNets.filter((n) => n.includes(":")),
      });
    }
    if (profile === "huawei" && !live) {
      next.reason = "a huawei link takes its connection's VLAN, which only the live API tells";
    } else {
      const a = allocateInterface(pool, profile, occ, live?.connections ?? []);
      if (a.ok) next.interface = a.slot;
      else next.reason = a.reason;
    }
    if (pool.block6) {
      const p = allocatePeer(pool, occ);
      if (p.ok) next.peer = p.slot;
      else next.reason = next.reason ? `${next.reason}; ${p.reason}` : p.reason;
    }
  }
  // Each link, then its peers, by name.
  const sortKey = (u: UsedSlot) =>
    u.type === "VifPeer" ? `${u.interface ?? "\uffff"}\u0001${u.resource}` : u.resource;
  used.sort((a, b) => sortKey(a).localeCompare(sortKey(b), "en", { numeric: true }));
  return { name, profile, definition, problems, used, others, held, free, next };
}

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The pool names of a state, in the order their first resource appears. */
export function poolNames(resources: StateResource[]): string[] {
  return [...new Set(resources.flatMap((r) => (poolSpecOf(r) ? [poolSpecOf(r)!.name] : [])))];
}

/** The report of a state (and, when read, the live API). `only` limits it to one pool. */
export function poolReportOf(opts: {
  stack: string;
  workDir: string;
  profile: Profile;
  resources: StateResource[];
  live?: LiveFacts;
  /** Why the live API was not read, when it was not. */
  noLive?: string;
  only?: string;
  /** The time holds are judged at (tests). */
  now?: number;
}): PoolReport {
  const resources = opts.resources.filter((r) => isInterfaceType(r.type) || isPeerType(r.type));
  const now = opts.now ?? Date.now();
  // What the stack's PoolLedgers hold back, by pool name (expired holds are free again).
  // With the live API read, a slot a ledger held in its last run (`ours`) whose interface is gone
  // now is a release its next run records: held already, as the next preview counts it.
  const liveIds = opts.live ? new Set(opts.live.interfaces.map((v) => v.id.toLowerCase())) : undefined;
  const slotKey = (h: { hostedConnectionId?: string; vlan?: number; networks?: string[] }) =>
    `${h.hostedConnectionId?.toLowerCase() ?? ""}/${h.vlan ?? ""}/${(h.networks ?? []).map(canonicalNetwork).sort().join(",")}`;
  const heldBy = (pool: string): ReportHeld[] =>
    opts.resources
      .filter((r) => /PoolLedger$/.test(r.type) && r.outputs?.pool?.name === pool)
      .flatMap((r): ReportHeld[] => {
        const held = (Array.isArray(r.outputs?.held) ? (r.outputs!.held as HeldSlot[]) : []).filter(
          (h) => typeof h?.until === "string" && Date.parse(h.until) > now,
        );
        const ours: any[] = Array.isArray(r.outputs?.ours) ? r.outputs!.ours : [];
        const keys = new Set(held.map(slotKey));
        const released = liveIds
          ? ours
              .filter((o) => typeof o?.id === "string" && !liveIds.has(o.id.toLowerCase()))
              .filter((o) => !keys.has(slotKey(o)))
              .map(
                (o): ReportHeld =>
                  compact({
                    owner: String(o.owner),
                    hostedConnectionId: o.hostedConnectionId,
                    vlan: o.vlan,
                    networks: Array.isArray(o.networks) ? o.networks : [],
                    pending: { holdFor: String(r.outputs?.holdFor ?? "") },
                  }) as ReportHeld,
              )
          : [];
        return [...held, ...released];
      });
  const names = poolNames(resources).filter((n) => opts.only === undefined || n === opts.only);
  const pools = names.map((n) =>
    poolSection(
      n,
      resources.filter((r) => poolSpecOf(r)?.name === n),
      resources,
      opts.profile,
      opts.live,
      heldBy(n),
    ),
  );
  const basis: PoolReport["basis"] = opts.live
    ? {
        live: true,
        endpoint: opts.live.endpoint,
        note: `Counts hold this stack's state and the live interfaces and peers at ${opts.live.endpoint} on each pool's hosted connections and gateway, whoever owns them.`,
      }
    : {
        live: false,
        note: `Counts hold only this stack's state and the reserve list: the live API was not read (${opts.noLive ?? "not asked"}), so interfaces of other owners (other stacks, the console) are not counted and may hold slots shown as free.`,
      };
  return { stack: opts.stack, workDir: opts.workDir, profile: opts.profile, basis, pools };
}

const HELD_NONE = "none (no PoolLedger of this stack holds a released slot of this pool back)";

function countText(c: SlotCount, what: string): string {
  const by = [
    c.thisStack ? `${c.thisStack} this stack` : "",
    c.others ? `${c.others} others` : "",
    c.reserved ? `${c.reserved} reserved` : "",
    c.held ? `${c.held} held back` : "",
    c.vpc ? `${c.vpc} VPC blocks` : "",
  ].filter(Boolean);
  return `${c.free} of ${c.total} ${what} free${by.length ? ` (used: ${by.join(", ")})` : ""}`;
}

function slotText(s: UsedSlot): string {
  if (s.type === "VifPeer") {
    const on = s.interface ? `on ${s.interface}` : "on an interface outside this stack";
    return `${on}, ${s.ipv6 ?? "(no /64)"}: customer ${s.customerAddress ?? "?"}, cloud ${s.cloudAddress ?? "?"}`;
  }
  const standby =
    s.standbyCustomerAddress !== undefined
      ? `; standby customer ${s.standbyCustomerAddress}, cloud ${s.standbyCloudAddress ?? "?"}`
      : "";
  return `connection ${s.hostedConnectionId ?? "?"} VLAN ${s.vlan ?? "?"}: customer ${s.customerAddress ?? "?"}, cloud ${s.cloudAddress ?? "?"}${standby}`;
}

/** Renders a pool report for a terminal. */
export function renderPoolReport(r: PoolReport): string {
  const lines: string[] = [];
  if (r.pools.length === 0) {
    lines.push(
      `No pools in stack ${r.stack}: no HostedVif or VifPeer in its state has an allocation (or none in the pool asked for).`,
    );
    return lines.join("\n") + "\n";
  }
  const resources = r.pools.reduce((n, p) => n + p.used.length, 0);
  lines.push(
    `Pools of stack ${r.stack}: ${r.pools.length} pool(s), ${resources} resource(s) allocated from them (profile ${r.profile}).`,
    r.basis.note,
  );
  for (const p of r.pools) {
    const d = p.definition;
    lines.push("", `Pool "${p.name}"`);
    lines.push(`  hosted connections  ${d.hostedConnectionIds.join(", ")}`);
    lines.push(`  gateway             ${d.borderGatewayId}`);
    if (d.vlans !== undefined) lines.push(`  vlans               ${d.vlans}`);
    lines.push(
      `  interconnect        ${d.interconnect}${d.standby ? " (two /30s a link: primary and standby)" : " (one /30 a link)"}`,
    );
    if (d.ipv6 !== undefined) lines.push(`  ipv6                ${d.ipv6}`);
    const reserved = [
      d.reserved.vlans.length ? `vlans ${d.reserved.vlans.join(", ")}` : "",
      d.reserved.networks.length ? `networks ${d.reserved.networks.join(", ")}` : "",
    ].filter(Boolean);
    lines.push(`  reserved            ${reserved.length ? reserved.join("; ") : "none"}`);
    for (const x of p.problems) lines.push(`  problem: ${x}`);
    lines.push("", `  Used by this stack (${p.used.length}):`);
    const width = Math.max(...p.used.map((s) => s.resource.length), 8);
    for (const s of p.used) {
      const outside = s.inPool ? "" : "  (outside the pool: kept as it is)";
      lines.push(`    ${s.resource.padEnd(width)}  ${s.type.padEnd(9)}  ${slotText(s)}${outside}`);
    }
    if (r.basis.live || p.others.length > 0) {
      lines.push("", `  Used by others (${p.others.length}):`);
      for (const o of p.others) {
        const where = [
          o.hostedConnectionId !== undefined ? `connection ${o.hostedConnectionId} VLAN ${o.vlan}` : "",
          o.networks.length ? o.networks.join(", ") : "",
        ].filter(Boolean);
        lines.push(`    ${o.holder}: ${where.join("; ")}`);
      }
      if (p.others.length === 0) lines.push("    none");
    } else {
      lines.push("", "  Used by others: not read (this stack's state only)");
    }
    if (p.held.length === 0) lines.push("", `  Held: ${HELD_NONE}`);
    else {
      lines.push("", `  Held back after release (${p.held.length}):`);
      for (const h of p.held) {
        const where = [
          h.hostedConnectionId !== undefined ? `connection ${h.hostedConnectionId} VLAN ${h.vlan}` : "",
          (h.networks ?? []).join(", "),
        ].filter(Boolean);
        const by = h.stack !== undefined ? `, by ${h.stack}'s ledger` : "";
        lines.push(
          h.pending
            ? `    ${h.owner}: ${where.join("; ")} (its interface is gone since the ledger's last run; the next run holds it back for ${h.pending.holdFor})`
            : `    ${h.owner}: ${where.join("; ")} (released ${h.releasedAt}${by}, held until ${h.until})`,
        );
      }
    }
    lines.push("", "  Free:");
    for (const v of p.free.vlans ?? []) {
      lines.push(`    VLANs on ${v.hostedConnectionId}: ${countText(v, "VLANs")}`);
    }
    if (p.free.connections) {
      const c = p.free.connections;
      lines.push(
        `    hosted connections: ${countText(c, "connections")}${c.freeIds.length ? `: ${c.freeIds.join(", ")}` : ""}`,
      );
    }
    if (p.free.pairs) {
      const links = Math.floor(p.free.pairs.free / p.free.pairs.perLink);
      lines.push(
        `    /30s of ${d.interconnect}: ${countText(p.free.pairs, "/30s")}, enough for ${links} more link(s)`,
      );
    }
    if (p.free.ipv6) lines.push(`    /64s of ${d.ipv6}: ${countText(p.free.ipv6, "/64s")}`);
    const n = p.next;
    if (n.interface) {
      const s = n.interface;
      const standby = s.standbyCustomerAddress ? ` (standby ${s.standbyCustomerAddress})` : "";
      lines.push(
        `  A new link would get: connection ${s.hostedConnectionId} VLAN ${s.vlan}, customer ${s.customerAddress}${standby}`,
      );
    }
    if (n.peer)
      lines.push(
        `  A new peer would get: ${canonicalNetwork(n.peer.customerAddress)} (unpaired; with pairedWith, the /64 at its interface's /30 index)`,
      );
    if (n.reason) lines.push(`  Next slot: ${n.reason}`);
  }
  return lines.join("\n") + "\n";
}

// ---- the live API (read-only, with api/signing.ts for AK/SK) ----------------------------------

/** How the CLI reaches the API: endpoint, project and credentials. */
export interface ApiAccess {
  endpoint: string;
  projectId: string;
  auth:
    | { kind: "token"; token: string }
    | { kind: "aksk"; accessKey: string; secretKey: string; securityToken?: string }
    | { kind: "password"; username: string; password: string; domainName: string; iamEndpoint: string };
}

/**
 * The API access the stack's configuration gives (each key else its environment variables, as the
 * provider reads them), or why there is none. Password (IAM) credentials are exchanged for a token
 * (tokenAccess) before the first read.
 */
export function apiAccessOf(
  config: Record<string, string | undefined>,
  env: NodeJS.ProcessEnv,
): { access: ApiAccess } | { why: string } {
  const get = (k: ConfigKey) => settingOf(config, env, k);
  const endpoint = get("endpoint")?.replace(/\/+$/, "");
  const projectId = get("projectId");
  if (!endpoint) return { why: "no dcaas:endpoint in the stack's configuration, nor DCAAS_ENDPOINT" };
  if (!projectId) return { why: "no dcaas:projectId in the stack's configuration, nor DCAAS_PROJECT_ID" };
  const accessKey = get("accessKey");
  const secretKey = get("secretKey");
  if (accessKey && secretKey) {
    const securityToken = get("securityToken");
    return {
      access: {
        endpoint,
        projectId,
        auth: { kind: "aksk", accessKey, secretKey, ...(securityToken ? { securityToken } : {}) },
      },
    };
  }
  const token = get("token");
  if (token) return { access: { endpoint, projectId, auth: { kind: "token", token } } };
  const username = get("username");
  if (username) {
    const password = get("password");
    const domainName = get("domainName");
    if (!password) return { why: "a username but no dcaas:password (nor DCAAS_PASSWORD) for IAM" };
    if (!domainName) return { why: "a username but no dcaas:domainName (nor DCAAS_DOMAIN_NAME) for IAM" };
    const iamEndpoint = iamEndpointFor({
      iamEndpoint: get("iamEndpoint"),
      endpoint: get("endpoint"),
      region: get("region"),
      fallback: endpoint,
    });
    return {
      access: {
        endpoint,
        projectId,
        auth: { kind: "password", username, password, domainName, iamEndpoint },
      },
    };
  }
  return {
    why: "no credentials (dcaas:token, or dcaas:accessKey and dcaas:secretKey) in the stack's configuration or environment",
  };
}

/** A failure of `dcaas pool` (a live read, an unknown pool), with a one-line message that says what to do. */
export class PoolCommandError extends Error {
  override name = "PoolCommandError";
}

type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{
  status: number;
  headers?: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/**
 * The access with a token: password (IAM) credentials are exchanged for one (POST /v3/auth/tokens,
 * project scope, as the provider does); other credentials are returned as they are.
 */
export async function tokenAccess(
  access: ApiAccess,
  fetchImpl: FetchLike,
  timeoutMs: number,
): Promise<ApiAccess> {
  const auth = access.auth;
  if (auth.kind !== "password") return access;
  const url = `${auth.iamEndpoint}${IAM_TOKENS_PATH}?nocatalog=true`;
  const hint = "pass --state-only to report from the state alone";
  let res: Awaited<ReturnType<FetchLike>>;
  try {
    res = await fetchImpl(url, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify(passwordTokenRequest({ ...auth, projectId: access.projectId })),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const cause = (e as any)?.cause?.code ?? (e as any)?.code ?? (e as Error)?.name ?? "fetch failed";
    throw new PoolCommandError(
      `IAM at ${auth.iamEndpoint} is unreachable (${cause}, POST ${IAM_TOKENS_PATH}): check dcaas:iamEndpoint (or dcaas:region), or ${hint}`,
    );
  }
  const text = await res.text().catch(() => "");
  const token = res.headers?.get("x-subject-token");
  if (res.status < 200 || res.status >= 300 || !token) {
    let code: string | undefined;
    try {
      const b = JSON.parse(text);
      code = b?.error?.code ?? b?.error_code;
    } catch {
      code = undefined;
    }
    throw new PoolCommandError(
      `IAM at ${auth.iamEndpoint} refused the token request for user ${auth.username} of domain ${auth.domainName} (HTTP ${res.status}${code ? ` ${code}` : ""}${token ? "" : ", no X-Subject-Token"}): check dcaas:username, dcaas:password and dcaas:domainName, or ${hint}`,
    );
  }
  return { ...access, auth: { kind: "token", token } };
}

async function getJson(
  access: ApiAccess,
  path: string,
  fetchImpl: FetchLike,
  timeoutMs: number,
): Promise<any> {
  const url = `${access.endpoint}/v3/${access.projectId}/dcaas${path}`;
  const headers: Record<string, string> = { Accept: "application/json", "Content-Type": "application/json" };
  if (access.auth.kind === "password")
    throw new TypeError("getJson: exchange the password for a token first (tokenAccess)");
  if (access.auth.kind === "token") headers["X-Auth-Token"] = access.auth.token;
  else {
    if (access.auth.securityToken) headers["X-Security-Token"] = access.auth.securityToken;
    Object.assign(
      headers,
      signRequest({
        method: "GET",
        url,
        headers,
        accessKey: access.auth.accessKey,
        secretKey: access.auth.secretKey,
      }),
    );
  }
  const hint = "pass --state-only to report from the state alone";
  let res: { status: number; text(): Promise<string> };
  let text: string;
  try {
    res = await fetchImpl(url, { method: "GET", headers, signal: AbortSignal.timeout(timeoutMs) });
    text = await res.text();
  } catch (e) {
    const cause = (e as any)?.cause?.code ?? (e as any)?.code ?? (e as Error)?.name ?? "fetch failed";
    throw new PoolCommandError(
      `the Direct Connect API at ${access.endpoint} is unreachable (${cause}, GET ${path.split("?")[0]}): check dcaas:endpoint (or DCAAS_ENDPOINT) and that the API or emulator is running, or ${hint}`,
    );
  }
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (res.status < 200 || res.status >= 300) {
    const code = body?.error_code ?? body?.error?.code;
    const msg = body?.error_msg ?? body?.error?.message;
    throw new PoolCommandError(
      `the Direct Connect API at ${access.endpoint} refused GET ${path.split("?")[0]} (HTTP ${res.status}${code ? ` ${code}` : ""}${msg ? `: ${String(msg).slice(0, 200)}` : ""}): check the stack's credentials and dcaas:projectId, or ${hint}`,
    );
  }
  if (body === undefined)
    throw new PoolCommandError(`GET ${path.split("?")[0]}: the answer is not JSON; ${hint}`);
  return body;
}

/** The live interface fields the report uses (nothing else is kept: no key reaches the report). */
function liveInterfaceOf(v: any): LiveInterface | undefined {
  if (!v || typeof v.id !== "string") return undefined;
  const owner = Array.isArray(v.tags)
    ? v.tags.find((t: any) => t?.key === "pulumi-dcaas:owner")?.value
    : undefined;
  return compact({
    id: v.id,
    name: String(v.name ?? ""),
    hostedConnectionId: String(v.direct_connect_id ?? ""),
    gatewayId: String(v.vgw_id ?? ""),
    vlan: Number(v.vlan),
    status: String(v.status ?? ""),
    customerAddress: str(v.remote_gateway_v4_ip),
    standbyCustomerAddress: str(v.standby_remote_gateway_v4_ip),
    owner: str(owner),
    peers: (Array.isArray(v.vif_peers) ? v.vif_peers : []).map((p: any) =>
      compact({
        id: String(p?.id ?? ""),
        addressFamily: String(p?.address_family ?? "").toLowerCase(),
        customerAddress: str(p?.remote_gateway_ip),
      }),
    ),
  });
}

async function listInterfaces(
  access: ApiAccess,
  filter: string,
  fetchImpl: FetchLike,
  timeoutMs: number,
): Promise<LiveInterface[]> {
  const out: LiveInterface[] = [];
  let marker: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const q = `?${filter}&limit=2000${marker ? `&marker=${encodeURIComponent(marker)}` : ""}`;
    const body = await getJson(access, `/virtual-interfaces${q}`, fetchImpl, timeoutMs);
    const items: any[] = Array.isArray(body?.virtual_interfaces) ? body.virtual_interfaces : [];
    for (const v of items) {
      const x = liveInterfaceOf(v);
      if (x) out.push(x);
    }
    const next = body?.page_info?.next_marker;
    if (items.length === 0 || typeof next !== "string" || next === "") break;
    const last = items[items.length - 1].id;
    if (last === marker) break;
    marker = last;
  }
  return out;
}

/** Reads what the live API shows on the pools' hosted connections and gateways (GETs only). */
export async function readLiveFacts(
  access: ApiAccess,
  specs: PoolSpec[],
  fetchImpl: FetchLike = (url, init) => fetch(url, init),
  timeoutMs = 30_000,
): Promise<LiveFacts> {
  access = await tokenAccess(access, fetchImpl, timeoutMs);
  const conns = [
    ...new Set(specs.flatMap((s) => (s.hostedConnectionIds ?? []).map((x) => String(x).toLowerCase()))),
  ];
  const gws = [...new Set(specs.map((s) => String(s.borderGatewayId ?? "").toLowerCase()).filter(Boolean))];
  const enc = encodeURIComponent;
  const [onConns, onGws, connObjs, gwObjs] = await Promise.all([
    Promise.all(
      conns.map((id) => listInterfaces(access, `direct_connect_id=${enc(id)}`, fetchImpl, timeoutMs)),
    ),
    Promise.all(gws.map((id) => listInterfaces(access, `vgw_id=${enc(id)}`, fetchImpl, timeoutMs))),
    Promise.all(
      conns.map((id) =>
        getJson(access, `/direct-connects/${enc(id)}`, fetchImpl, timeoutMs).catch((e) => {
          if (e instanceof PoolCommandError && / HTTP 404/.test(e.message)) return undefined;
          throw e;
        }),
      ),
    ),
    Promise.all(
      gws.map((id) =>
        getJson(access, `/virtual-gateways/${enc(id)}`, fetchImpl, timeoutMs).catch((e) => {
          if (e instanceof PoolCommandError && / HTTP 404/.test(e.message)) return undefined;
          throw e;
        }),
      ),
    ),
  ]);
  const vpcBlocks: Record<string, string[]> = {};
  gws.forEach((id, i) => {
    const blocks = gwObjs[i]?.virtual_gateway?.local_ep_group;
    if (Array.isArray(blocks)) vpcBlocks[id] = blocks.filter((b: unknown) => typeof b === "string");
  });
  const connections: ConnectionInfo[] = connObjs.flatMap((b) => {
    const c = b?.direct_connect;
    return c && typeof c.id === "string"
      ? [{ id: c.id.toLowerCase(), vlan: c.vlan ?? null, status: c.status, type: c.type }]
      : [];
  });
  const seen = new Set<string>();
  const interfaces = [...onConns.flat(), ...onGws.flat()].filter((v) =>
    seen.has(v.id) ? false : (seen.add(v.id), true),
  );
  return { endpoint: access.endpoint, interfaces, connections, vpcBlocks };
}
