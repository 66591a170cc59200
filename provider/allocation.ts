/**
 * Allocation at `check`: a resource with an `allocation` input gets its VLAN, connection and
 * interconnect pairs (a HostedVif) or its IPv6 /64 (a VifPeer) from a pool, keyed by its resource
 * name. A resource keeps what it holds: its own live object's values (found by its ownership mark),
 * else an adopted object's (importId), else its state's. A new one takes the first free slot of the
 * pool (api/allocation.ts) against what is occupied: every live interface and peer on the pool's
 * connections and gateway, whoever owns it, the gateway's VPC blocks, the reserve list, and what
 * the other resources of this program hold or were handed in this run. The slot is recorded before
 * the next await, so no two resources of one run ever get the same one.
 */
import {
  allocateInterface,
  allocatePeer,
  type ConnectionInfo,
  type HeldSlot,
  emptyOccupancy,
  interfaceInPool,
  type Occupancy,
  occupyNetwork,
  occupyVlan,
  networkFree,
  pairIndexOf,
  parsePool,
  peerSlotAt,
  poolIdProblems,
  poolsOverlap,
  type Pool,
} from "../api/allocation";
import { cidrContains, sameAddress } from "../api/net";
import type { Profile } from "../api/profile";
import { interconnectNetworks } from "../api/stateful";
import type { CheckFailure } from "./fieldTable";
import { programInterfaces, programLabel, rememberClaim } from "./liveChecks";
import { interfaceFacts, type LiveView } from "./liveView";
import { markOf, OWNER_INPUT, ownerTagValue, stackOf } from "./ownership";
import { containsUnknown, isUnknown, UNKNOWN } from "./unknowns";
import type * as wire from "./wire";

type Props = Record<string, any>;

export type { AllocationInput } from "../api/allocation";

/** The HostedVif fields an allocation sets. */
export const INTERFACE_SLOT_FIELDS = [
  "hostedConnectionId",
  "borderGatewayId",
  "vlan",
  "customerAddress",
  "cloudAddress",
  "standbyCustomerAddress",
  "standbyCloudAddress",
] as const;

/** The VifPeer fields an allocation sets. */
export const PEER_SLOT_FIELDS = ["customerAddress", "cloudAddress"] as const;

/** The IPv6 /64s handed to peers in this process, by resource name (peers carry no program claim of addresses). */
const peerSlots = new Map<string, string>();

/** The new links each pool handed a first-free slot to in this process, without a plan. */
const unplanned = new Map<string, Set<string>>();

/** Forgets what this process handed out (tests; a new engine run starts a new process anyway). */
export function resetAllocations(): void {
  peerSlots.clear();
  poolsSeen.clear();
  unplanned.clear();
}

/**
 * Records that `who` took the first free slot of `pool` with no plan; the second such link of a pool
 * in one run gets a notice, once: the engine checks resources in no fixed order, so preview and up
 * may hand these links each other's slots. One new link alone cannot swap with anything.
 */
function noteUnplanned(poolName: string, who: string, notices: string[], remedy: string): void {
  const seen = unplanned.get(poolName) ?? new Set<string>();
  unplanned.set(poolName, seen);
  if (seen.has(who)) return;
  seen.add(who);
  if (seen.size !== 2) return;
  notices.push(
    `pool "${poolName}": ${[...seen].join(" and ")} (and any later new link of this pool) are new in this run and take the first free slots in the order the engine checks them, which is not fixed, so up may give them each other's slots; ${remedy} (docs/guides/fleet-allocation.md)`,
  );
}

/** Whether the inputs ask for an allocation. */
export function wantsAllocation(news: Props): boolean {
  const a = news?.allocation;
  return a !== undefined && a !== null;
}

/** The outcome of an allocation at check: the inputs with the slot, failures, and what to tell the user. */
export interface AllocationOutcome {
  inputs: Props;
  failures: CheckFailure[];
  notices: string[];
}

// Resource-level failures: the engine prints the value of a property a failure names, and a pool's
// value is a screenful; the reason names the pool and its field.
const fail = (reason: string): AllocationOutcome => ({
  inputs: {},
  failures: [{ property: "", reason }],
  notices: [],
});

/** The pool of an `allocation` input, checked; a failure names the rule. */
function poolOf(news: Props, profile: Profile, vpcBlocks: readonly string[]): Pool | AllocationOutcome {
  const a = news.allocation;
  if (typeof a !== "object" || Array.isArray(a) || typeof a.pool !== "object" || a.pool === null) {
    return fail("must be {pool, renumber?}: the pool a link takes its slot from");
  }
  if (typeof a.pool.name !== "string" || a.pool.name === "")
    return fail("pool.name must be a non-empty string");
  if (typeof a.pool.borderGatewayId !== "string")
    return fail(`pool "${a.pool.name}": borderGatewayId must be a gateway id`);
  const ids = poolIdProblems(a.pool);
  if (ids.length > 0) return fail(ids.join("; "));
  const pool = parsePool(a.pool, profile, vpcBlocks);
  if (Array.isArray(pool)) return fail(pool.join("; "));
  // Pools of one program: a name means one pool, and two pools never share a slot.
  const seen = poolsSeen.get(pool.spec.name);
  if (seen === undefined) poolsSeen.set(pool.spec.name, pool);
  else if (JSON.stringify(seen.spec) !== JSON.stringify(pool.spec)) {
    return fail(
      `pool "${pool.spec.name}" is declared twice with different values in this program: give each pool its own name`,
    );
  }
  for (const other of poolsSeen.values()) {
    if (other.spec.name === pool.spec.name) continue;
    const overlap = poolsOverlap(pool, other);
    if (overlap) return fail(`pool "${pool.spec.name}" overlaps pool "${other.spec.name}": ${overlap}`);
  }
  return pool;
}

/** The pools the program's resources named in this process, by name. */
const poolsSeen = new Map<string, Pool>();

/** The slots a PoolLedger holds back, as the allocation input passes them. */
function heldOf(news: Props): HeldSlot[] {
  const h = news.allocation?.held;
  return Array.isArray(h) ? h.filter((x) => x && typeof x === "object" && typeof x.until === "string") : [];
}

/** What the live cloud shows on the pool's connections and gateway (read once per run by the view). */
interface LiveRead {
  interfaces: wire.VirtualInterface[];
  connections: ConnectionInfo[];
}

async function readLive(view: LiveView | undefined, pool: Pool): Promise<LiveRead> {
  if (!view) return { interfaces: [], connections: [] };
  const spec = pool.spec;
  const [onConns, onGw, conns] = await Promise.all([
    Promise.all(spec.hostedConnectionIds.map((id) => view.interfacesOnConnection(id.toLowerCase()))),
    view.interfacesOnGateway(spec.borderGatewayId.toLowerCase()),
    Promise.all(spec.hostedConnectionIds.map((id) => view.connection(id.toLowerCase()))),
  ]);
  return {
    interfaces: [...onConns.flat(), ...onGw].filter((v) => v.status !== "DELETED"),
    connections: conns.flatMap((c) =>
      c ? [{ id: c.id, vlan: c.vlan, status: c.status, type: c.type }] : [],
    ),
  };
}

/**
 * What is occupied: the live read (but the resource's own object, by its mark), the program's
 * other resources and what this run handed out, the reserve list. Synchronous on purpose: the
 * caller allocates and records the slot in the same turn, so concurrent checks never interleave.
 */
function occupancyOf(
  live: LiveRead,
  pool: Pool,
  type: string,
  name: string | undefined,
  ownMark: string | undefined,
  held: readonly HeldSlot[] = [],
  now = Date.now(),
): { occ: Occupancy; own: wire.VirtualInterface | undefined } {
  const occ = emptyOccupancy();
  const spec = pool.spec;
  let own: wire.VirtualInterface | undefined;
  for (const v of live.interfaces) {
    const mine = ownMark !== undefined && markOf(v.tags) === ownMark;
    if (mine && v.status !== "PENDING_DELETE") {
      own ??= v;
      continue;
    }
    const facts = interfaceFacts(v);
    const holder = { label: facts.label };
    occupyVlan(occ, v.direct_connect_id, v.vlan, holder);
    for (const n of facts.networks) occupyNetwork(occ, n, holder);
    for (const p of v.vif_peers ?? []) {
      if (p.address_family === "ipv6") occupyNetwork(occ, p.remote_gateway_ip, { label: `peer ${p.id}` });
    }
  }
  for (const f of programInterfaces(type, name)) {
    const holder = { label: f.label };
    if (f.direct_connect_id && Number.isInteger(f.vlan)) occupyVlan(occ, f.direct_connect_id, f.vlan, holder);
    for (const n of f.networks) occupyNetwork(occ, n, holder);
  }
  for (const [peer, network] of peerSlots) {
    if (peer !== name) occupyNetwork(occ, network, { label: programLabel("VifPeer", peer) });
  }
  for (const h of held) {
    if (!(Date.parse(h.until) > now)) continue;
    const holder = { label: `held back after release by "${h.owner}" until ${h.until}` };
    if (h.hostedConnectionId && Number.isInteger(h.vlan))
      occupyVlan(occ, h.hostedConnectionId, h.vlan!, holder);
    for (const n of h.networks ?? []) occupyNetwork(occ, n, holder);
  }
  const reserve = { label: "the reserve list" };
  for (const v of spec.reserved?.vlans ?? []) {
    for (const id of spec.hostedConnectionIds) occupyVlan(occ, id, v, reserve);
  }
  for (const n of spec.reserved?.networks ?? []) occupyNetwork(occ, n, reserve);
  return { occ, own };
}

/** The slot values of a live interface. */
function slotOfLive(v: wire.VirtualInterface): Props {
  return {
    hostedConnectionId: v.direct_connect_id.toLowerCase(),
    borderGatewayId: v.vgw_id.toLowerCase(),
    vlan: v.vlan,
    customerAddress: v.remote_gateway_v4_ip,
    cloudAddress: v.local_gateway_v4_ip,
    standbyCustomerAddress: v.standby_remote_gateway_v4_ip ?? undefined,
    standbyCloudAddress: v.standby_local_gateway_v4_ip ?? undefined,
  };
}

/** The slot values the state holds, if it holds a complete one. */
function slotOfState(olds: Props): Props | undefined {
  if (!wantsAllocation(olds) || typeof olds.vlan !== "number" || typeof olds.customerAddress !== "string")
    return undefined;
  return Object.fromEntries(INTERFACE_SLOT_FIELDS.map((k) => [k, olds[k]]));
}

/** The program claim of an interface slot (what the program's other resources see at once). */
function claimOf(type: string, name: string, slot: Props) {
  return {
    kind: "interface" as const,
    facts: {
      id: `program:${type}:${name}`,
      label: programLabel(type, name),
      direct_connect_id: slot.hostedConnectionId,
      vgw_id: slot.borderGatewayId,
      vlan: slot.vlan,
      status: "PENDING_CREATE",
      networks: interconnectNetworks({
        remote_gateway_v4_ip: slot.customerAddress,
        standby_remote_gateway_v4_ip: slot.standbyCustomerAddress,
      }),
      peers: [],
    },
  };
}

/** Fields the program set that the allocation sets too: a link is either pinned or allocated. */
function pinnedFailures(news: Props, fields: readonly string[]): CheckFailure[] {
  return fields
    .filter((k) => news[k] !== undefined && news[k] !== null)
    .map((k) => ({
      property: k,
      reason: `is set by allocation (the pool gives it): leave ${k} out, or leave allocation out to pin every value by hand`,
    }));
}

/**
 * The HostedVif inputs with their slot: kept (own live object, adopted object, state) or newly
 * allocated. `view` is undefined when live checks are off: then only the state and the program count.
 */
export async function allocateInterfaceInputs(
  view: LiveView | undefined,
  olds: Props,
  news: Props,
  name: string | undefined,
  profile: Profile,
  type = "HostedVif",
): Promise<AllocationOutcome> {
  const pinned = pinnedFailures(news, INTERFACE_SLOT_FIELDS);
  if (pinned.length > 0) return { inputs: news, failures: pinned, notices: [] };
  if (containsUnknown(news.allocation)) {
    return {
      inputs: { ...news, ...Object.fromEntries(INTERFACE_SLOT_FIELDS.slice(0, 5).map((k) => [k, UNKNOWN])) },
      failures: [],
      notices: [],
    };
  }
  const spec = news.allocation?.pool;
  // A mistyped id is the program's mistake: say so before any read (which would refuse it).
  const ids = spec && typeof spec === "object" ? poolIdProblems(spec) : [];
  if (ids.length > 0) return fail(ids.join("; "));
  const gw =
    view && typeof spec?.borderGatewayId === "string"
      ? await view.gateway(spec.borderGatewayId.toLowerCase())
      : undefined;
  const pool = poolOf(news, profile, gw?.local_ep_group ?? []);
  if (!("spec" in pool)) return pool;
  if (view && !gw)
    return fail(
      `pool "${pool.spec.name}": there is no virtual gateway ${pool.spec.borderGatewayId} in this project`,
    );
  const ownMark = ownerTagValue(news[OWNER_INPUT]);
  const live = await readLive(view, pool);
  const adopted =
    typeof news.importId === "string" && !isUnknown(news.importId) && view
      ? await view.interface(news.importId.toLowerCase())
      : undefined;
  if (view) {
    const missing = pool.spec.hostedConnectionIds
      .map((id, i) => ({ id, i }))
      .filter(({ id }) => !live.connections.some((c) => c.id.toLowerCase() === id.toLowerCase()));
    if (missing.length > 0) {
      return fail(
        `pool "${pool.spec.name}": ${missing.map(({ id, i }) => `hostedConnectionIds[${i}] ${id}`).join(", ")} ${missing.length === 1 ? "is not a hosted connection" : "are not hosted connections"} of this project`,
      );
    }
  }
  // Its own object (by its mark); a new slot's occupancy is built again when the batch runs.
  const { own } = occupancyOf(live, pool, type, name, ownMark, heldOf(news));
  const notices: string[] = [];
  const who = `${type} "${name ?? news.name}"`;
  const renumber = news.allocation.renumber === true;
  // What the link holds already: its own live object, the one it adopts, or its state's slot.
  let held: Props | undefined;
  let from = "";
  if (own) {
    held = slotOfLive(own);
    from = `its interface ${own.id}`;
  } else if (adopted && adopted.status !== "DELETED") {
    held = slotOfLive(adopted);
    from = `interface ${adopted.id} (importId)`;
  } else {
    held = slotOfState(olds);
    from = "its state";
  }
  if (held && !renumber) {
    if (!interfaceInPool(pool, profile, held as any)) {
      notices.push(
        `${who}: keeps VLAN ${held.vlan} and ${held.customerAddress} of ${from}, outside pool "${pool.spec.name}"; set allocation.renumber to true to move it into the pool (that replaces the interface)`,
      );
    }
    const inputs = { ...news, ...compactSlot(held) };
    if (name !== undefined) rememberClaim(type, name, claimOf(type, name, inputs));
    return { inputs, failures: [], notices };
  }
  // A slot a PoolLedger planned for this link (deterministic: the engine checks a program's
  // resources in the order their registrations reach it, which is not fixed), else the first free.
  return ((): AllocationOutcome => {
    const { occ } = occupancyOf(live, pool, type, name, ownMark, heldOf(news));
    const planned = news.allocation.planned;
    if (planned && typeof planned === "object" && typeof planned.vlan === "number") {
      const nets = interconnectNetworks({
        remote_gateway_v4_ip: planned.customerAddress,
        standby_remote_gateway_v4_ip: planned.standbyCustomerAddress,
      });
      const vlanFree = !occ.vlans.get(String(planned.hostedConnectionId).toLowerCase())?.has(planned.vlan);
      if (vlanFree && nets.length > 0 && nets.every((x) => networkFree(occ, x))) {
        const slot = compactSlot(planned);
        if (name !== undefined) rememberClaim(type, name, claimOf(type, name, slot));
        return { inputs: { ...news, ...slot }, failures: [], notices };
      }
      notices.push(
        `${who}: the slot its PoolLedger planned (VLAN ${planned.vlan} on hosted connection ${planned.hostedConnectionId}, ${planned.customerAddress}) is taken; takes the first free slot instead`,
      );
    }
    const r = allocateInterface(pool, profile, occ, live.connections);
    if (!r.ok) return fail(r.reason);
    // Recorded in the same turn: no other resource of this run can be handed the same slot.
    if (name !== undefined) rememberClaim(type, name, claimOf(type, name, r.slot));
    if (!planned)
      noteUnplanned(
        pool.spec.name,
        who,
        notices,
        "to fix each link's slot, plan the links with a PoolLedger (links: [...names], allocation.planned: ledger.slotFor(name))",
      );
    return { inputs: { ...news, ...compactSlot(r.slot) }, failures: [], notices };
  })();
}

function compactSlot(s: Props): Props {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined && v !== null));
}

/** The VifPeer inputs with their IPv6 /64: kept (the state's) or newly allocated from the pool's ipv6 block. */
export async function allocatePeerInputs(
  view: LiveView | undefined,
  olds: Props,
  news: Props,
  name: string | undefined,
  profile: Profile,
): Promise<AllocationOutcome> {
  const pinned = pinnedFailures(news, PEER_SLOT_FIELDS);
  if (pinned.length > 0) return { inputs: news, failures: pinned, notices: [] };
  if (containsUnknown(news.allocation)) {
    return {
      inputs: { ...news, customerAddress: UNKNOWN, cloudAddress: UNKNOWN },
      failures: [],
      notices: [],
    };
  }
  const pool = poolOf(news, profile, []);
  if (!("spec" in pool)) return pool;
  if (!pool.block6)
    return fail(
      `pool "${pool.spec.name}" has no ipv6 block: add ipv6 (e.g. "fd00:20::/56") to allocate a peer`,
    );
  const family = typeof news.addressFamily === "string" ? news.addressFamily.toLowerCase() : "ipv6";
  if (family !== "ipv6")
    return {
      inputs: news,
      failures: [
        {
          property: "addressFamily",
          reason: "must be ipv6 for an allocated peer (the pool gives IPv6 /64s)",
        },
      ],
      notices: [],
    };
  const keep =
    news.allocation.renumber !== true &&
    wantsAllocation(olds) &&
    typeof olds.customerAddress === "string" &&
    typeof olds.cloudAddress === "string"
      ? { customerAddress: olds.customerAddress, cloudAddress: olds.cloudAddress }
      : undefined;
  if (keep) {
    if (name !== undefined) peerSlots.set(name, keep.customerAddress);
    return { inputs: { ...news, addressFamily: "ipv6", ...keep }, failures: [], notices: [] };
  }
  const paired = news.allocation.pairedWith;
  if (isUnknown(paired)) {
    return {
      inputs: { ...news, addressFamily: "ipv6", customerAddress: UNKNOWN, cloudAddress: UNKNOWN },
      failures: [],
      notices: [],
    };
  }
  const live = await readLive(view, pool);
  // The IPv6 peer already on its interface: the one importId names, or the one an interrupted run
  // of this stack made (peers carry no mark; the interface does, and holds one ipv6 peer at most).
  // It keeps that peer's live /64, so the create finds and adopts it instead of asking for another.
  const found = await livePeerOf(view, news, live.interfaces);
  if (found && news.allocation.renumber !== true) {
    const slot = { customerAddress: found.peer.remote_gateway_ip, cloudAddress: found.peer.local_gateway_ip };
    if (name !== undefined) peerSlots.set(name, slot.customerAddress);
    const outside = !cidrContains(pool.block6, slot.customerAddress);
    return {
      inputs: { ...news, addressFamily: "ipv6", ...slot },
      failures: [],
      notices: [
        `VifPeer "${name ?? news.name}": keeps ${slot.customerAddress} of ${found.from}${outside ? `, outside pool "${pool.spec.name}"` : ""}`,
      ],
    };
  }
  return ((): AllocationOutcome => {
    const { occ } = occupancyOf(live, pool, "VifPeer", name, undefined, heldOf(news));
    const notices: string[] = [];
    // Paired with its interface: the /64 of the same index as the interface's /30.
    if (typeof paired === "string") {
      const index = pairIndexOf(pool, paired);
      const at = index === undefined ? undefined : peerSlotAt(pool, index);
      if (at && networkFree(occ, at.network)) {
        if (name !== undefined) peerSlots.set(name, at.slot.customerAddress);
        return { inputs: { ...news, addressFamily: "ipv6", ...at.slot }, failures: [], notices };
      }
      notices.push(
        `VifPeer "${name ?? news.name}": ${at ? `the /64 ${at.network} paired with ${paired} is taken` : `${paired} has no /64 paired with it in pool "${pool.spec.name}"`}; takes the first free /64 instead`,
      );
    }
    const r = allocatePeer(pool, occ);
    if (!r.ok) return fail(r.reason);
    if (name !== undefined) peerSlots.set(name, r.slot.customerAddress);
    if (typeof paired !== "string")
      noteUnplanned(
        pool.spec.name,
        `VifPeer "${name ?? news.name}"`,
        notices,
        "to fix each peer's /64, pair it with its interface (allocation.pairedWith: vif.customerAddress)",
      );
    return { inputs: { ...news, addressFamily: "ipv6", ...r.slot }, failures: [], notices };
  })();
}

/** The live IPv6 peer a new allocated VifPeer is (importId, or its own interface's leftover), if any. */
async function livePeerOf(
  view: LiveView | undefined,
  news: Props,
  onPool: readonly wire.VirtualInterface[],
): Promise<{ peer: wire.VifPeer; from: string } | undefined> {
  if (!view) return undefined;
  let vif: wire.VirtualInterface | undefined;
  if (typeof news.vifId === "string" && !isUnknown(news.vifId)) {
    vif = await view.interface(news.vifId.toLowerCase());
  } else {
    // At preview a new interface's id is unknown; its customer address (pairedWith) is not: the
    // live interface of this stack with that address is the one the peer will join.
    const paired = news.allocation?.pairedWith;
    const mine = stackOf(news[OWNER_INPUT]);
    if (typeof paired !== "string" || isUnknown(paired) || mine === undefined) return undefined;
    vif = onPool.find(
      (v) =>
        typeof v.remote_gateway_v4_ip === "string" &&
        sameAddress(v.remote_gateway_v4_ip, paired) &&
        stackOf(markOf(v.tags)) === mine,
    );
  }
  if (!vif || vif.status === "DELETED") return undefined;
  const peers = (vif.vif_peers ?? []).filter(
    (p) =>
      p.address_family === "ipv6" && p.status !== "PENDING_DELETE" && typeof p.remote_gateway_ip === "string",
  );
  if (typeof news.importId === "string" && !isUnknown(news.importId)) {
    const peer = peers.find((p) => p.id.toLowerCase() === String(news.importId).toLowerCase());
    return peer ? { peer, from: `peer ${peer.id} (importId)` } : undefined;
  }
  const mine = stackOf(news[OWNER_INPUT]);
  if (mine === undefined || stackOf(markOf(vif.tags)) !== mine || peers.length !== 1) return undefined;
  return {
    peer: peers[0]!,
    from: `peer ${peers[0]!.id}, already on its interface (made by an interrupted run)`,
  };
}

/**
 * After the API refused a create for an allocated value (DC.1209: the VLAN is taken; DC.0004: an
 * interconnect network overlaps), the next free slot, from a fresh read (`view` is new, so nothing
 * memoized hides what another stack just created); undefined when nothing else is free.
 */
export async function reallocateInterface(
  view: LiveView,
  ins: Props,
  name: string | undefined,
  profile: Profile,
): Promise<Props | undefined> {
  const spec = ins.allocation?.pool;
  const gw =
    typeof spec?.borderGatewayId === "string"
      ? await view.gateway(spec.borderGatewayId.toLowerCase())
      : undefined;
  const pool = poolOf(ins, profile, gw?.local_ep_group ?? []);
  if (!("spec" in pool)) return undefined;
  const live = await readLive(view, pool);
  const { occ } = occupancyOf(live, pool, "HostedVif", name, ownerTagValue(ins[OWNER_INPUT]), heldOf(ins));
  // The refused slot stays out even if the read does not show its holder yet.
  occupyVlan(occ, ins.hostedConnectionId, ins.vlan, { label: "the create the API refused" });
  for (const n of interconnectNetworks({
    remote_gateway_v4_ip: ins.customerAddress,
    standby_remote_gateway_v4_ip: ins.standbyCustomerAddress,
  })) {
    occupyNetwork(occ, n, { label: "the create the API refused" });
  }
  const r = allocateInterface(pool, profile, occ, live.connections);
  if (!r.ok) return undefined;
  if (name !== undefined) rememberClaim("HostedVif", name, claimOf("HostedVif", name, r.slot));
  const next = { ...ins };
  for (const k of INTERFACE_SLOT_FIELDS) delete next[k];
  return { ...next, ...compactSlot(r.slot) };
}
