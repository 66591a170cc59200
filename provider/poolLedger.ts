/**
 * The PoolLedger resource: a pool's memory of released slots, so a freed VLAN or /30 is held back for
 * a while before another link gets it. No cloud object: its check reads the interfaces of this
 * stack on the pool's connections and gateway (`ours`, kept in its inputs, which the engine stores
 * even when nothing else changed), and a slot that was ours in the last run and is gone now enters
 * `held` until `holdFor` has passed. Links pass `held` as `allocation.held`; depending on the ledger's
 * output, they are checked after it.
 */
import {
  allocateInterface,
  emptyOccupancy,
  type HeldSlot,
  type InterfaceSlot,
  occupyNetwork,
  occupyVlan,
  parsePool,
  poolIdProblems,
} from "../api/allocation";
import { canonicalCidr, canonicalNetwork } from "../api/net";
import type { Profile } from "../api/profile";
import { interconnectNetworks } from "../api/stateful";
import { parseDuration } from "./durations";
import type { CheckFailure } from "./fieldTable";
import { withLiveView } from "./liveChecks";
import { markOf, OWNER_INPUT, parseOwner, stackOf } from "./ownership";
import { engineOutput } from "./progress";
import { stripProvider } from "./providerInputs";
import { containsUnknown } from "./unknowns";
import type * as wire from "./wire";

type Props = Record<string, any>;

/** A slot of this stack on the pool, as the ledger records it. */
interface Held {
  /** The interface's id: a slot is released when this interface is gone (not when its peers change). */
  id?: string;
  owner: string;
  hostedConnectionId: string;
  vlan: number;
  networks: string[];
}

/** A network in one form (older ledgers recorded a peer's /64 by its host address). */
const net = (x: string) => canonicalNetwork(x);
const key = (s: { hostedConnectionId?: string; vlan?: number; networks: string[] }) =>
  `${s.hostedConnectionId ?? ""}/${s.vlan ?? ""}/${(s.networks ?? []).map(net).sort().join(",")}`;

/** The slot values of a live interface, as a plan holds them. */
function slotOfInterface(v: wire.VirtualInterface): InterfaceSlot {
  const slot: InterfaceSlot = {
    hostedConnectionId: v.direct_connect_id.toLowerCase(),
    borderGatewayId: v.vgw_id.toLowerCase(),
    vlan: v.vlan,
    customerAddress: canonicalCidr(v.remote_gateway_v4_ip),
    cloudAddress: canonicalCidr(v.local_gateway_v4_ip),
  };
  if (v.standby_remote_gateway_v4_ip)
    slot.standbyCustomerAddress = canonicalCidr(v.standby_remote_gateway_v4_ip);
  if (v.standby_local_gateway_v4_ip) slot.standbyCloudAddress = canonicalCidr(v.standby_local_gateway_v4_ip);
  return slot;
}

function slotOf(v: wire.VirtualInterface): Held {
  const networks = interconnectNetworks(v);
  for (const p of v.vif_peers ?? []) {
    if (p.address_family === "ipv6" && typeof p.remote_gateway_ip === "string")
      networks.push(canonicalNetwork(p.remote_gateway_ip));
  }
  return {
    id: v.id,
    owner: parseOwner(markOf(v.tags))?.resource ?? v.id,
    hostedConnectionId: v.direct_connect_id.toLowerCase(),
    vlan: v.vlan,
    networks,
  };
}

/**
 * `alsoHold`: slots other stacks hold back (their ledgers' `held`, read with a StackReference).
 * Entries still on hold, as HeldSlots; a malformed entry is a failure naming its index and field.
 */
function foreignHolds(v: unknown, t: number): { holds: HeldSlot[]; failures: CheckFailure[] } {
  if (v === undefined || v === null) return { holds: [], failures: [] };
  const bad = (reason: string): { holds: HeldSlot[]; failures: CheckFailure[] } => ({
    holds: [],
    failures: [{ property: "alsoHold", reason }],
  });
  if (!Array.isArray(v))
    return bad(`must be a list of held slots (another ledger's held output), not ${typeof v}`);
  const holds: HeldSlot[] = [];
  for (const [i, h] of v.entries()) {
    if (typeof h !== "object" || h === null) return bad(`[${i}] must be a held slot, not ${typeof h}`);
    const e = h as Record<string, unknown>;
    if (typeof e.until !== "string" || Number.isNaN(Date.parse(e.until)))
      return bad(`[${i}].until must be an ISO 8601 time (a ledger's held output has one)`);
    if (
      e.networks !== undefined &&
      !(Array.isArray(e.networks) && e.networks.every((x) => typeof x === "string"))
    )
      return bad(`[${i}].networks must be a list of CIDR blocks`);
    if (e.vlan !== undefined && typeof e.vlan !== "number") return bad(`[${i}].vlan must be a number`);
    if (e.hostedConnectionId !== undefined && typeof e.hostedConnectionId !== "string")
      return bad(`[${i}].hostedConnectionId must be a string`);
    if (Date.parse(e.until) <= t) continue; // its hold is over
    holds.push({
      owner: typeof e.owner === "string" ? e.owner : "another stack",
      ...(typeof e.hostedConnectionId === "string"
        ? { hostedConnectionId: e.hostedConnectionId.toLowerCase() }
        : {}),
      ...(typeof e.vlan === "number" ? { vlan: e.vlan } : {}),
      networks: ((e.networks as string[] | undefined) ?? []).map((x) => x),
      releasedAt: typeof e.releasedAt === "string" ? e.releasedAt : e.until,
      until: e.until,
      stack: typeof e.stack === "string" ? e.stack : "another stack",
    });
  }
  return { holds, failures: [] };
}

/** `held` with the other stacks' holds added: those it has already (same slot) once, with the later end. */
function withForeign(held: HeldSlot[], foreign: HeldSlot[]): HeldSlot[] {
  const out = [...held];
  for (const f of foreign) {
    const same = out.findIndex((h) => key(h) === key(f));
    if (same < 0) out.push(f);
    else if (Date.parse(f.until) > Date.parse(out[same]!.until) && out[same]!.stack !== undefined)
      out[same] = f;
  }
  return out;
}

/**
 * Check: the pool and hold duration, then this run's view of what the stack holds and what it
 * released, plus what other stacks hold back (`alsoHold`). `now` is a test hook.
 */
export async function checkPoolLedger(
  olds: Props,
  news: Props,
  profile: Profile,
  now: () => number = Date.now,
): Promise<{ inputs: Props; failures: CheckFailure[] }> {
  const n = stripProvider(news);
  if (containsUnknown(n.pool) || containsUnknown(n.holdFor) || containsUnknown(n.alsoHold))
    return { inputs: n, failures: [] };
  const failures: CheckFailure[] = [];
  let holdMs = 0;
  try {
    holdMs = parseDuration(n.holdFor ?? "", "holdFor");
    if (holdMs <= 0) failures.push({ property: "holdFor", reason: "must be longer than zero" });
  } catch (e) {
    failures.push({ property: "holdFor", reason: (e as Error).message.replace(/^holdFor: /, "") });
  }
  const ids = typeof n.pool === "object" && n.pool !== null ? poolIdProblems(n.pool) : [];
  const pool =
    typeof n.pool === "object" && n.pool !== null
      ? ids.length > 0
        ? ids
        : parsePool(n.pool, profile)
      : ["pool must be a pool (PoolSpec)"];
  // Resource-level: the engine would print the whole pool before the reason (which names it).
  if (Array.isArray(pool)) failures.push({ property: "", reason: pool.join("; ") });
  const t = now();
  const foreign = foreignHolds(n.alsoHold, t);
  failures.push(...foreign.failures);
  if (failures.length > 0 || Array.isArray(pool)) return { inputs: n, failures };
  const mine = stackOf(n[OWNER_INPUT]);
  const live = await withLiveView(async (view) => {
    const spec = pool.spec;
    const lists = await Promise.all([
      ...spec.hostedConnectionIds.map((id) => view.interfacesOnConnection(id.toLowerCase())),
      view.interfacesOnGateway(spec.borderGatewayId.toLowerCase()),
    ]);
    const byId = new Map(lists.flat().map((v) => [v.id, v]));
    const conns = await Promise.all(spec.hostedConnectionIds.map((id) => view.connection(id.toLowerCase())));
    return {
      all: [...byId.values()].filter((v) => v.status !== "DELETED"),
      connections: conns.flatMap((c) =>
        c ? [{ id: c.id, vlan: c.vlan, status: c.status, type: c.type }] : [],
      ),
    };
  });
  const prevOurs: Held[] = Array.isArray(olds?.ours) ? olds.ours : [];
  // This stack's own holds (the last run's `held` without what other stacks held then).
  const prevHeld: HeldSlot[] = Array.isArray(olds?.held)
    ? olds.held.filter((h: HeldSlot) => h.stack === undefined)
    : [];
  if (live.value === undefined) {
    // Nothing read (live checks off, or the API unreadable under warn): the ledger stays as it was.
    if (live.failures.length > 0 && live.mode === "enforce") return { inputs: n, failures: live.failures };
    engineOutput(
      `PoolLedger "${pool.spec.name}": not updated (the API was not read: dcaas:liveChecks=${live.mode})`,
    );
    return { inputs: { ...n, ours: prevOurs, held: withForeign(prevHeld, foreign.holds) }, failures: [] };
  }
  const mineLive = live.value.all.filter((v) => mine !== undefined && stackOf(markOf(v.tags)) === mine);
  const ours = mineLive.map(slotOf).sort((a, b) => a.owner.localeCompare(b.owner));
  const liveIds = new Set(ours.map((o) => o.id));
  // A held slot that one of this stack's interfaces uses again is no longer held.
  const reused = (h: { hostedConnectionId?: string; vlan?: number; networks: string[] }) =>
    ours.some(
      (o) =>
        (o.hostedConnectionId === h.hostedConnectionId && o.vlan === h.vlan) ||
        o.networks.some((x) => (h.networks ?? []).map(net).includes(net(x))),
    );
  const held: HeldSlot[] = prevHeld.filter((h) => Date.parse(h.until) > t && !reused(h));
  const heldKeys = new Set(held.map(key));
  for (const p of prevOurs) {
    // Gone: its interface is not live any more (older ledgers, without ids: its slot is not).
    const gone = p.id !== undefined ? !liveIds.has(p.id) : !ours.some((o) => key(o) === key(p));
    if (!gone || heldKeys.has(key(p)) || reused(p)) continue;
    const { id: _id, ...slot } = p;
    held.push({ ...slot, releasedAt: new Date(t).toISOString(), until: new Date(t + holdMs).toISOString() });
  }
  // What other stacks hold back, unless this stack uses it again (then it is this stack's).
  held.splice(
    0,
    held.length,
    ...withForeign(
      held,
      foreign.holds.filter((h) => !reused(h)),
    ),
  );
  // The plan: every link of `links` with its slot. A link that has its interface keeps its values;
  // new links take the free slots in the order of their names, so preview and up (whatever order
  // the engine checks the links in) give each new link the same slot.
  if (!Array.isArray(n.links)) return { inputs: { ...n, ours, held }, failures: [] };
  const occ = emptyOccupancy();
  for (const v of live.value.all) {
    if (v.status === "PENDING_DELETE" && mineLive.includes(v)) continue;
    const holder = { label: `virtual interface ${v.id} ("${v.name}")` };
    occupyVlan(occ, v.direct_connect_id, v.vlan, holder);
    for (const x of interconnectNetworks(v)) occupyNetwork(occ, x, holder);
  }
  for (const h of held) {
    const holder = { label: `held back after release by "${h.owner}" until ${h.until}` };
    if (h.hostedConnectionId && typeof h.vlan === "number")
      occupyVlan(occ, h.hostedConnectionId, h.vlan, holder);
    for (const x of h.networks ?? []) occupyNetwork(occ, x, holder);
  }
  const reserve = { label: "the reserve list" };
  for (const v of pool.spec.reserved?.vlans ?? [])
    for (const id of pool.spec.hostedConnectionIds) occupyVlan(occ, id, v, reserve);
  for (const x of pool.spec.reserved?.networks ?? []) occupyNetwork(occ, x, reserve);
  const plan: Record<string, InterfaceSlot> = {};
  const links = [...new Set(n.links.map(String))];
  for (const name of links) {
    const own = mineLive.find(
      (v) => parseOwner(markOf(v.tags))?.resource === name && v.status !== "PENDING_DELETE",
    );
    if (own) plan[name] = slotOfInterface(own);
  }
  const fresh = links
    .filter((x) => plan[x] === undefined)
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  for (const name of fresh) {
    const r = allocateInterface(pool, profile, occ, live.value.connections);
    if (!r.ok)
      return {
        inputs: n,
        failures: [{ property: "", reason: `PoolLedger plans ${fresh.length} new link(s): ${r.reason}` }],
      };
    plan[name] = r.slot;
    const holder = { label: `link "${name}" of this plan` };
    occupyVlan(occ, r.slot.hostedConnectionId, r.slot.vlan, holder);
    for (const x of interconnectNetworks({
      remote_gateway_v4_ip: r.slot.customerAddress,
      standby_remote_gateway_v4_ip: r.slot.standbyCustomerAddress,
    })) {
      occupyNetwork(occ, x, holder);
    }
  }
  return { inputs: { ...n, ours, held, plan }, failures: [] };
}

/**
 * The ledger changes (an update) only when what it holds back or plans changes (a release, the end
 * of a hold, a link added or removed); `ours` is kept quietly.
 */
export function diffPoolLedger(olds: Props, news: Props) {
  const held = (v: Props) => JSON.stringify(v?.held ?? []);
  const plan = (v: Props) => JSON.stringify(v?.plan ?? null);
  return {
    changes: held(olds) !== held(news) || plan(olds) !== plan(news) || olds?.holdFor !== news?.holdFor,
  };
}

/** The outputs of a ledger: its inputs (no cloud object). */
export function poolLedgerOutputs(inputs: Props): Props {
  return stripProvider(inputs);
}
