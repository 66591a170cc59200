// Allocation from pools: one run never hands a slot out twice, kept keys keep their slots through
// add/remove/reorder, occupied and reserved slots are never handed out, exhaustion is a one-line
// reason, bad pools are refused field by field, and the same inputs always give the same slot.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  allocateInterface,
  allocatePeer,
  type ConnectionInfo,
  emptyOccupancy,
  type Holder,
  type InterfaceSlot,
  interfaceInPool,
  type Occupancy,
  occupyNetwork,
  occupyVlan,
  parsePool,
  type Pool,
  type PoolSpec,
  poolsOverlap,
} from "../../../api/allocation";
import {
  cidrContains,
  cidrFromValue,
  cidrsOverlap,
  formatCidr,
  networkOf,
  parseCidr,
} from "../../../api/net";
import type { Profile } from "../../../api/profile";

const RUNS = { numRuns: 60 };

// ---- helpers ----

/** The parsed pool, failing the test when the spec is refused. */
function poolOf(spec: PoolSpec, profile: Profile, vpc: string[] = []): Pool {
  const p = parsePool(spec, profile, vpc);
  assert.ok(!Array.isArray(p), `pool refused: ${Array.isArray(p) ? p.join("; ") : ""}`);
  return p;
}

/** The problems of a refused pool. */
function problemsOf(spec: PoolSpec, profile: Profile, vpc: string[] = []): string[] {
  const p = parsePool(spec, profile, vpc);
  assert.ok(Array.isArray(p), "expected the pool to be refused");
  return p;
}

/** IPv4 CIDR text of an address given as a number. */
const v4 = (value: number, prefix: number) => formatCidr(cidrFromValue("ipv4", BigInt(value), prefix));
/** The /30 network an interconnect address lies in. */
const net30 = (addr: string) => formatCidr(networkOf(addr));

/** The /30 networks a slot takes (primary, then standby). */
function networksOf(slot: InterfaceSlot): string[] {
  const out = [net30(slot.customerAddress)];
  if (slot.standbyCustomerAddress) out.push(net30(slot.standbyCustomerAddress));
  return out;
}

/** Records a slot as occupied, the way the provider records a link of the program. */
function occupySlot(occ: Occupancy, slot: InterfaceSlot, holder: Holder): void {
  occupyVlan(occ, slot.hostedConnectionId, slot.vlan, holder);
  occupyNetwork(occ, slot.customerAddress, holder);
  if (slot.standbyCustomerAddress) occupyNetwork(occ, slot.standbyCustomerAddress, holder);
}

/** A copy of an occupancy (the run adds to it). */
function cloneOcc(o: Occupancy): Occupancy {
  return {
    vlans: new Map([...o.vlans].map(([k, m]) => [k, new Map(m)])),
    networks: [...o.networks],
    networks6: [...o.networks6],
  };
}

/** One run: for each key, allocate, then occupy what it got. */
function run(
  pool: Pool,
  profile: Profile,
  occ: Occupancy,
  connections: readonly ConnectionInfo[],
  keys: readonly string[],
) {
  const o = cloneOcc(occ);
  return keys.map((key) => {
    const r = allocateInterface(pool, profile, o, connections);
    if (r.ok) occupySlot(o, r.slot, { label: `resource "${key}" of this program` });
    return r;
  });
}

/** Whether two slots collide: the same VLAN on one connection, or overlapping /30s. */
function collide(a: InterfaceSlot, b: InterfaceSlot, profile: Profile): boolean {
  if (a.hostedConnectionId === b.hostedConnectionId && (profile === "huawei" || a.vlan === b.vlan))
    return true;
  return networksOf(a).some((x) => networksOf(b).some((y) => cidrsOverlap(x, y)));
}

// ---- scenarios (a pool, its connections and a foreign occupancy) ----

interface Scenario {
  profile: Profile;
  pool: Pool;
  connections: ConnectionInfo[];
  occ: Occupancy;
  /** The networks the scenario's VPC blocks take (passed as occupied). */
  vpc: string[];
}

const BASE = 10 * 2 ** 24 + 20 * 2 ** 16; // 10.20.0.0

const foreignLabel = fc.constantFrom(
  'virtual interface vif-9 ("other")',
  'resource "other" of this program',
  "the reserve list",
);

/** A jd-hosted pool with a small VLAN range and block, and random foreign holders in and around it. */
const jdScenario: fc.Arbitrary<Scenario> = fc
  .record({
    vlanFrom: fc.integer({ min: 1, max: 3990 }),
    width: fc.integer({ min: 1, max: 6 }),
    conns: fc.integer({ min: 1, max: 3 }),
    third: fc.integer({ min: 0, max: 255 }),
    prefix: fc.integer({ min: 27, max: 30 }),
    standby: fc.boolean(),
    customerHost: fc.constantFrom(undefined, "first" as const, "second" as const),
    reservedVlans: fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 3 }),
    reservedPairs: fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 2 }),
    foreignVlans: fc.array(
      fc.record({ conn: fc.nat(3), off: fc.integer({ min: -1, max: 7 }), label: foreignLabel }),
      { maxLength: 6 },
    ),
    foreignNets: fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: 40 }),
        prefix: fc.integer({ min: 28, max: 32 }),
        label: foreignLabel,
      }),
      { maxLength: 5 },
    ),
    vpc: fc.option(
      fc.record({ at: fc.integer({ min: 0, max: 3 }), prefix: fc.integer({ min: 29, max: 30 }) }),
    ),
  })
  .map((r): Scenario => {
    const block = BASE + r.third * 256;
    const ids = ["dxcon-a", "dxcon-b", "dxcon-c"].slice(0, r.conns);
    const vlanTo = r.vlanFrom + r.width - 1;
    const spec: PoolSpec = {
      name: "jd",
      hostedConnectionIds: ids,
      borderGatewayId: "VGW-1",
      vlans: `${r.vlanFrom}-${vlanTo}`,
      interconnect: v4(block, r.prefix),
      standby: r.standby,
      customerHost: r.customerHost,
      reserved: {
        vlans: r.reservedVlans.map((x) => r.vlanFrom + x),
        networks: r.reservedPairs.map((i) => v4(block + i * 4, 30)),
      },
    };
    const occ = emptyOccupancy();
    for (const f of r.foreignVlans) {
      const v = r.vlanFrom + f.off;
      if (v >= 1 && v <= 3999) occupyVlan(occ, ["DXCON-A", "dxcon-b", "dxcon-c", "dxcon-z"][f.conn], v, f);
    }
    for (const f of r.foreignNets) occupyNetwork(occ, v4(block + f.at, f.prefix), f);
    const vpc: string[] = [];
    if (r.vpc) {
      const n = v4(block + r.vpc.at * 8, r.vpc.prefix);
      vpc.push(n);
      occupyNetwork(occ, n, { label: `the VPC block ${n}` });
    }
    return { profile: "jd-hosted", pool: poolOf(spec, "jd-hosted"), connections: [], occ, vpc };
  });

/** A huawei pool of a few connections (some down, some without a VLAN), with random foreign holders. */
const huaweiScenario: fc.Arbitrary<Scenario> = fc
  .record({
    conns: fc.array(
      fc.record({
        vlan: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
        status: fc.constantFrom(undefined, "ACTIVE", "ACTIVE", "DOWN"),
        listed: fc.boolean(),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    third: fc.integer({ min: 0, max: 255 }),
    prefix: fc.integer({ min: 28, max: 30 }),
    customerHost: fc.constantFrom(undefined, "first" as const, "second" as const),
    reservedVlans: fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 2 }),
    reservedPairs: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 2 }),
    foreignVlans: fc.array(
      fc.record({ conn: fc.nat(5), vlan: fc.integer({ min: 1, max: 12 }), label: foreignLabel }),
      { maxLength: 3 },
    ),
    foreignNets: fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: 20 }),
        prefix: fc.integer({ min: 29, max: 32 }),
        label: foreignLabel,
      }),
      { maxLength: 3 },
    ),
  })
  .map((r): Scenario => {
    const block = BASE + r.third * 256;
    const ids = r.conns.map((_, i) => `HC-${i}`);
    const spec: PoolSpec = {
      name: "hw",
      hostedConnectionIds: ids,
      borderGatewayId: "vgw-2",
      interconnect: v4(block, r.prefix),
      customerHost: r.customerHost,
      reserved: { vlans: r.reservedVlans, networks: r.reservedPairs.map((i) => v4(block + i * 4, 30)) },
    };
    const connections = r.conns
      .map((c, i) => ({ id: `hc-${i}`, vlan: c.vlan, status: c.status, listed: c.listed || i === 0 }))
      .filter((c) => c.listed)
      .map(({ listed: _, ...c }) => c);
    const occ = emptyOccupancy();
    // A foreign interface on a huawei connection is at the connection's VLAN.
    for (const f of r.foreignVlans) {
      const c = connections.find((x) => x.id === `hc-${f.conn}`);
      occupyVlan(occ, `hc-${f.conn}`, typeof c?.vlan === "number" ? c.vlan : f.vlan, f);
    }
    for (const f of r.foreignNets) occupyNetwork(occ, v4(block + f.at, f.prefix), f);
    return { profile: "huawei", pool: poolOf(spec, "huawei"), connections, occ, vpc: [] };
  });

const scenario = fc.oneof(jdScenario, huaweiScenario);

/** The i-th /30 of the pool's block. */
const pairNetwork = (pool: Pool, i: number) => v4(Number(networkOf(pool.block).value) + i * 4, 30);

/** Whether a /30 is free in the scenario (not occupied, not reserved). */
function pairFree(s: Scenario, network: string): boolean {
  return (
    !s.occ.networks.some((x) => cidrsOverlap(x.network, network)) &&
    !(s.pool.spec.reserved?.networks ?? []).some((r) => cidrsOverlap(r, network))
  );
}

/** The free VLAN slots of the scenario, counted independently of the allocator. */
function freeVlanSlots(s: Scenario): number {
  const reserved = new Set(s.pool.spec.reserved?.vlans ?? []);
  let n = 0;
  for (const id of s.pool.spec.hostedConnectionIds) {
    const used = s.occ.vlans.get(id.toLowerCase()) ?? new Map();
    if (s.profile === "huawei") {
      const c = s.connections.find((x) => x.id === id.toLowerCase());
      if (!c || typeof c.vlan !== "number" || (c.status !== undefined && c.status !== "ACTIVE")) continue;
      if (reserved.has(c.vlan) || used.size > 0) continue;
      n++;
    } else {
      for (let v = s.pool.vlanFrom; v <= s.pool.vlanTo; v++) if (!used.has(v) && !reserved.has(v)) n++;
    }
  }
  return n;
}

function freePairs(s: Scenario): number {
  let n = 0;
  for (let i = 0; i < s.pool.pairs; i++) if (pairFree(s, pairNetwork(s.pool, i))) n++;
  return n;
}

/** Every rule one slot of a scenario must keep, whatever else the run did. */
function checkSlot(s: Scenario, slot: InterfaceSlot): void {
  const { pool, profile } = s;
  const spec = pool.spec;
  assert.ok(spec.hostedConnectionIds.some((id) => id.toLowerCase() === slot.hostedConnectionId));
  assert.equal(slot.borderGatewayId, spec.borderGatewayId.toLowerCase());
  assert.ok(!(spec.reserved?.vlans ?? []).includes(slot.vlan), `reserved VLAN ${slot.vlan} handed out`);
  const used = s.occ.vlans.get(slot.hostedConnectionId);
  if (profile === "huawei") {
    const c = s.connections.find((x) => x.id === slot.hostedConnectionId);
    assert.equal(slot.vlan, c?.vlan, "a huawei interface takes its connection's VLAN");
    assert.ok(c?.status === undefined || c.status === "ACTIVE");
    assert.ok(!used || used.size === 0, "a huawei connection with an interface handed out again");
    assert.equal(slot.standbyCustomerAddress, undefined);
    assert.equal(slot.standbyCloudAddress, undefined);
  } else {
    assert.ok(slot.vlan >= pool.vlanFrom && slot.vlan <= pool.vlanTo, `VLAN ${slot.vlan} outside the range`);
    assert.ok(!used?.has(slot.vlan), `occupied VLAN ${slot.vlan} handed out`);
    assert.equal(slot.standbyCustomerAddress !== undefined, pool.standby);
    assert.equal(slot.standbyCloudAddress !== undefined, pool.standby);
  }
  const pairs: [string, string][] = [[slot.customerAddress, slot.cloudAddress]];
  if (slot.standbyCustomerAddress) pairs.push([slot.standbyCustomerAddress, slot.standbyCloudAddress!]);
  for (const [customer, cloud] of pairs) {
    const n = net30(customer);
    assert.equal(net30(cloud), n, "customer and cloud in one /30");
    assert.ok(cidrContains(pool.block, n), `${n} outside ${pool.block}`);
    const low = Number(parseCidr(customer)!.value & 3n);
    assert.equal(low, pool.customerFirst ? 1 : 2);
    assert.equal(Number(parseCidr(cloud)!.value & 3n), 3 - low);
    assert.ok(pairFree(s, n), `${n} is occupied or reserved`);
    for (const v of s.vpc) assert.ok(!cidrsOverlap(v, n), `${n} inside the VPC block ${v}`);
  }
  if (pairs.length === 2) assert.ok(!cidrsOverlap(net30(pairs[0][0]), net30(pairs[1][0])));
  assert.ok(interfaceInPool(pool, profile, slot));
}

// ---- the keyed model (what the provider does across updates) ----

type Op =
  | { kind: "add"; keys: string[] }
  | { kind: "remove"; key: number }
  | { kind: "gone"; key: number }
  | { kind: "reorder"; seed: number };

/**
 * Keys that hold a slot keep it (they are passed as occupied); only new keys are allocated. A removed
 * key's slot stays occupied until it is gone (the delete finished), then it is free again.
 */
class KeyedModel {
  order: string[] = [];
  live = new Map<string, InterfaceSlot>();
  dying = new Map<string, InterfaceSlot>();
  constructor(private readonly s: Scenario) {}

  apply(op: Op): void {
    if (op.kind === "add") {
      for (const k of op.keys) if (!this.order.includes(k) && !this.dying.has(k)) this.order.push(k);
    } else if (op.kind === "remove" && this.order.length > 0) {
      const k = this.order[op.key % this.order.length];
      this.order = this.order.filter((x) => x !== k);
      const slot = this.live.get(k);
      this.live.delete(k);
      if (slot) this.dying.set(k, slot);
    } else if (op.kind === "gone" && this.dying.size > 0) {
      this.dying.delete([...this.dying.keys()][op.key % this.dying.size]);
    } else if (op.kind === "reorder") {
      let seed = op.seed;
      const a = [...this.order];
      for (let i = a.length - 1; i > 0; i--) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        const j = seed % (i + 1);
        [a[i], a[j]] = [a[j], a[i]];
      }
      this.order = a;
    }
    this.reconcile();
  }

  reconcile(): void {
    for (const k of this.order) {
      if (this.live.has(k)) continue;
      const occ = cloneOcc(this.s.occ);
      for (const [key, slot] of [...this.live, ...this.dying]) {
        occupySlot(occ, slot, { label: `resource "${key}" of this program` });
      }
      const r = allocateInterface(this.s.pool, this.s.profile, occ, this.s.connections);
      if (r.ok) this.live.set(k, r.slot);
    }
  }
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("add" as const),
    keys: fc.array(fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h"), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant("remove" as const), key: fc.nat(20) }),
  fc.record({ kind: fc.constant("gone" as const), key: fc.nat(20) }),
  fc.record({ kind: fc.constant("reorder" as const), seed: fc.nat(1_000_000) }),
);

// ---- tests ----

describe("api/allocation", () => {
  describe("one run", () => {
    it("never gives two keys one slot, and keeps every slot inside the pool and off every held slot", () => {
      fc.assert(
        fc.property(scenario, fc.integer({ min: 1, max: 12 }), (s, k) => {
          const results = run(
            s.pool,
            s.profile,
            s.occ,
            s.connections,
            Array.from({ length: k }, (_, i) => `k${i}`),
          );
          const slots = results.flatMap((r) => (r.ok ? [r.slot] : []));
          for (const slot of slots) checkSlot(s, slot);
          for (let i = 0; i < slots.length; i++) {
            for (let j = i + 1; j < slots.length; j++) {
              assert.ok(!collide(slots[i], slots[j], s.profile), `keys ${i} and ${j} share a slot`);
            }
          }
        }),
        RUNS,
      );
    });

    it("hands out exactly as many slots as are free (VLANs or /30 pairs), then fails for every further key", () => {
      fc.assert(
        fc.property(scenario, fc.integer({ min: 1, max: 12 }), (s, k) => {
          const results = run(
            s.pool,
            s.profile,
            s.occ,
            s.connections,
            Array.from({ length: k }, (_, i) => `k${i}`),
          );
          const fit = Math.min(k, freeVlanSlots(s), Math.floor(freePairs(s) / (s.pool.standby ? 2 : 1)));
          assert.deepEqual(
            results.map((r) => r.ok),
            results.map((_, i) => i < fit),
          );
          for (const r of results) {
            if (r.ok) continue;
            assert.ok(!r.reason.includes("\n"), "the reason is one line");
            assert.ok(r.reason.startsWith(`pool "${s.pool.spec.name}"`), r.reason);
            assert.match(r.reason, /\d+ (vlans|connections|\/30s), \d+ used/);
          }
        }),
        RUNS,
      );
    });

    it("spreads jd-hosted links over the connections, then takes the lowest free VLAN and /30s", () => {
      const pool = poolOf(
        {
          name: "spread",
          hostedConnectionIds: ["dxcon-a", "DXCON-B"],
          borderGatewayId: "vgw-1",
          vlans: "100-103",
          interconnect: "10.20.0.0/27",
        },
        "jd-hosted",
      );
      const results = run(pool, "jd-hosted", emptyOccupancy(), [], ["a", "b", "c"]);
      assert.deepEqual(
        results.map((r) =>
          r.ok ? [r.slot.hostedConnectionId, r.slot.vlan, ...networksOf(r.slot)] : r.reason,
        ),
        [
          ["dxcon-a", 100, "10.20.0.0/30", "10.20.0.4/30"],
          ["dxcon-b", 100, "10.20.0.8/30", "10.20.0.12/30"],
          ["dxcon-a", 101, "10.20.0.16/30", "10.20.0.20/30"],
        ],
      );
    });

    it("gives each huawei link a connection of its own, at the connection's VLAN, with one /30", () => {
      const pool = poolOf(
        {
          name: "hw",
          hostedConnectionIds: ["hc-1", "hc-2", "hc-3", "hc-4"],
          borderGatewayId: "vgw-1",
          interconnect: "10.20.0.0/29",
        },
        "huawei",
      );
      const connections = [
        { id: "HC-1", vlan: 301, status: "ACTIVE" },
        { id: "hc-2", vlan: 302, status: "DOWN" },
        { id: "hc-3", vlan: null },
        { id: "hc-4", vlan: 304 },
      ];
      const results = run(pool, "huawei", emptyOccupancy(), connections, ["a", "b", "c"]);
      assert.deepEqual(
        results
          .slice(0, 2)
          .map((r) => (r.ok ? [r.slot.hostedConnectionId, r.slot.vlan, r.slot.customerAddress] : r.reason)),
        [
          ["hc-1", 301, "10.20.0.1/30"],
          ["hc-4", 304, "10.20.0.5/30"],
        ],
      );
      assert.ok(!results[2].ok);
    });
  });

  describe("stability under add, remove and reorder", () => {
    it("keeps the slot of every key that stays, and never lets two live keys share one", () => {
      fc.assert(
        fc.property(scenario, fc.array(opArb, { minLength: 1, maxLength: 12 }), (s, ops) => {
          const m = new KeyedModel(s);
          for (const op of ops) {
            const before = new Map(m.live);
            m.apply(op);
            for (const [k, slot] of before)
              if (m.order.includes(k)) assert.deepEqual(m.live.get(k), slot, `key ${k} moved`);
            const held = [...m.live, ...m.dying];
            for (const [, slot] of held) checkSlot(s, slot);
            for (let i = 0; i < held.length; i++) {
              for (let j = i + 1; j < held.length; j++) {
                assert.ok(
                  !collide(held[i][1], held[j][1], s.profile),
                  `${held[i][0]} and ${held[j][0]} share a slot`,
                );
              }
            }
          }
        }),
        RUNS,
      );
    });

    it("does not hand a removed key's slot out until it is gone, then reuses it", () => {
      const s: Scenario = {
        profile: "jd-hosted",
        pool: poolOf(
          {
            name: "p",
            hostedConnectionIds: ["c1"],
            borderGatewayId: "g",
            vlans: "10-11",
            interconnect: "10.0.0.0/29",
          },
          "jd-hosted",
        ),
        connections: [],
        occ: emptyOccupancy(),
        vpc: [],
      };
      const m = new KeyedModel(s);
      m.apply({ kind: "add", keys: ["a"] });
      const a = m.live.get("a")!;
      m.apply({ kind: "remove", key: 0 });
      m.apply({ kind: "add", keys: ["b"] });
      assert.equal(m.live.has("b"), false, "the pool is full while a is being deleted");
      m.apply({ kind: "gone", key: 0 });
      assert.deepEqual(m.live.get("b"), a);
    });
  });

  describe("occupied slots", () => {
    it("are never handed out, whoever holds them and however wide the held network", () => {
      fc.assert(
        fc.property(
          scenario,
          fc.array(
            fc.record({ at: fc.integer({ min: 0, max: 63 }), prefix: fc.integer({ min: 26, max: 32 }) }),
            {
              maxLength: 6,
            },
          ),
          fc.array(fc.record({ conn: fc.nat(4), vlan: fc.integer({ min: 1, max: 3999 }) }), {
            maxLength: 30,
          }),
          (s0, nets, vlans) => {
            const occ = cloneOcc(s0.occ);
            const base = Number(networkOf(s0.pool.block).value);
            for (const n of nets)
              occupyNetwork(occ, v4(base + n.at, n.prefix), { label: "virtual interface vif-x" });
            for (const v of vlans) {
              const id = s0.pool.spec.hostedConnectionIds[v.conn % s0.pool.spec.hostedConnectionIds.length];
              const c = s0.connections.find((x) => x.id === id.toLowerCase());
              const vlan = s0.profile === "huawei" && typeof c?.vlan === "number" ? c.vlan : v.vlan;
              occupyVlan(occ, id.toUpperCase(), vlan, { label: "virtual interface vif-y" });
            }
            const s = { ...s0, occ };
            const r = allocateInterface(s.pool, s.profile, s.occ, s.connections);
            if (r.ok) checkSlot(s, r.slot);
            else assert.ok(freeVlanSlots(s) === 0 || freePairs(s) < (s.pool.standby ? 2 : 1), r.reason);
          },
        ),
        RUNS,
      );
    });

    it("skips the slots the API refused (avoid)", () => {
      const pool = poolOf(
        {
          name: "p",
          hostedConnectionIds: ["c1"],
          borderGatewayId: "g",
          vlans: "10-12",
          interconnect: "10.0.0.0/28",
        },
        "jd-hosted",
      );
      const r = allocateInterface(pool, "jd-hosted", emptyOccupancy(), [], {
        vlans: [{ connectionId: "C1", vlan: 10 }],
        networks: ["10.0.0.4/30"],
      });
      assert.ok(r.ok);
      assert.equal(r.slot.vlan, 11);
      assert.deepEqual(networksOf(r.slot), ["10.0.0.0/30", "10.0.0.8/30"]);
    });

    it("huawei: reserved VLANs recorded on every connection (as the provider records the reserve list) do not take a connection", () => {
      const spec: PoolSpec = {
        name: "hw",
        hostedConnectionIds: ["hc-1", "hc-2"],
        borderGatewayId: "g",
        interconnect: "10.0.0.0/29",
        reserved: { vlans: [5, 302] },
      };
      const pool = poolOf(spec, "huawei");
      const occ = emptyOccupancy();
      for (const v of spec.reserved!.vlans!) {
        for (const id of spec.hostedConnectionIds) occupyVlan(occ, id, v, { label: "the reserve list" });
      }
      const connections = [
        { id: "hc-1", vlan: 302, status: "ACTIVE" },
        { id: "hc-2", vlan: 301, status: "ACTIVE" },
      ];
      const r = allocateInterface(pool, "huawei", occ, connections);
      assert.ok(r.ok, r.ok ? "" : r.reason);
      assert.deepEqual([r.slot.hostedConnectionId, r.slot.vlan], ["hc-2", 301]);
      // hc-1's own VLAN is reserved: the reserve list holds it; hc-2 now holds the program's link.
      occupySlot(occ, r.slot, { label: 'resource "a" of this program' });
      const r2 = allocateInterface(pool, "huawei", occ, connections);
      assert.ok(!r2.ok);
      assert.match(
        r2.reason,
        /^pool "hw" has no free hosted connection: 2 connections, 2 used \(1 by the reserve list, 1 by resources of this program\);/,
      );
    });
  });

  describe("exhaustion", () => {
    const holder = (k: string) => ({ label: `resource "${k}" of this program` });

    it("jd-hosted: fails once the VLANs run out, naming the pool, its size and what uses it", () => {
      const pool = poolOf(
        {
          name: "small",
          hostedConnectionIds: ["c1"],
          borderGatewayId: "g",
          vlans: "10-11",
          interconnect: "10.0.0.0/24",
        },
        "jd-hosted",
      );
      const occ = emptyOccupancy();
      occupyVlan(occ, "c1", 10, { label: 'virtual interface vif-1 ("x")' });
      const results = run(pool, "jd-hosted", occ, [], ["a", "b", "c"]);
      assert.deepEqual(
        results.map((r) => r.ok),
        [true, false, false],
      );
      const r = results[1];
      assert.ok(!r.ok);
      assert.equal(
        r.reason,
        'pool "small" has no free VLAN in 10-11: 2 vlans, 2 used (1 by live interfaces, 1 by resources of this program); widen vlans or add a hosted connection',
      );
    });

    it("jd-hosted: fails when fewer than two /30s are free for the primary and standby pair", () => {
      const pool = poolOf(
        {
          name: "tiny",
          hostedConnectionIds: ["c1"],
          borderGatewayId: "g",
          vlans: "10-99",
          interconnect: "10.0.0.0/29",
        },
        "jd-hosted",
      );
      const occ = emptyOccupancy();
      const r1 = allocateInterface(pool, "jd-hosted", occ, []);
      assert.ok(r1.ok);
      occupySlot(occ, r1.slot, holder("a"));
      const r2 = allocateInterface(pool, "jd-hosted", occ, []);
      assert.ok(!r2.ok);
      assert.ok(r2.reason.includes('pool "tiny"') && r2.reason.includes("2 /30s, 2 used"), r2.reason);
      assert.ok(r2.reason.includes("primary and standby"), r2.reason);

      const single = poolOf({ ...pool.spec, standby: false, interconnect: "10.0.0.0/30" }, "jd-hosted");
      const occ1 = emptyOccupancy();
      occupyNetwork(occ1, "10.0.0.0/24", { label: "the VPC block 10.0.0.0/24" });
      const r3 = allocateInterface(single, "jd-hosted", occ1, []);
      assert.ok(!r3.ok);
      assert.match(
        r3.reason,
        /^pool "tiny" has no free \/30 in 10\.0\.0\.0\/30: 1 \/30s, 1 used \(1 by the VPC blocks\)/,
      );
    });

    it("huawei: fails once every connection has an interface", () => {
      const pool = poolOf(
        {
          name: "hw",
          hostedConnectionIds: ["hc-1", "hc-2"],
          borderGatewayId: "g",
          interconnect: "10.0.0.0/24",
        },
        "huawei",
      );
      const connections = [
        { id: "hc-1", vlan: 1 },
        { id: "hc-2", vlan: 2 },
      ];
      const results = run(pool, "huawei", emptyOccupancy(), connections, ["a", "b", "c"]);
      assert.deepEqual(
        results.map((r) => r.ok),
        [true, true, false],
      );
      const r = results[2];
      assert.ok(!r.ok);
      assert.ok(r.reason.includes('pool "hw"') && r.reason.includes("2 connections, 2 used"), r.reason);
    });

    it("peers: fails once the /64s run out, and without an ipv6 block", () => {
      const pool = poolOf(
        {
          name: "v6",
          hostedConnectionIds: ["c1"],
          borderGatewayId: "g",
          vlans: "1-2",
          interconnect: "10.0.0.0/30",
          ipv6: "fd00:20::/63",
        },
        "jd-hosted",
      );
      const occ = emptyOccupancy();
      const got: string[] = [];
      for (let i = 0; i < 2; i++) {
        const r = allocatePeer(pool, occ);
        assert.ok(r.ok);
        got.push(r.slot.customerAddress);
        occupyNetwork(occ, r.slot.customerAddress, { label: "peer p" });
      }
      assert.deepEqual(got, ["fd00:20::1/64", "fd00:20:0:1::1/64"]);
      const r = allocatePeer(pool, occ);
      assert.ok(!r.ok);
      assert.equal(
        r.reason,
        'pool "v6" has no free /64 in fd00:20::/63: 2 /64s, 2 used (2 by live peers); widen ipv6',
      );
      const none = allocatePeer(poolOf({ ...pool.spec, ipv6: undefined }, "jd-hosted"), emptyOccupancy());
      assert.ok(!none.ok);
      assert.match(none.reason, /^pool "v6" has no ipv6 block/);
    });
  });

  describe("bad pools", () => {
    const good: PoolSpec = {
      name: "bad",
      hostedConnectionIds: ["c1"],
      borderGatewayId: "vgw-1",
      vlans: "100-199",
      interconnect: "10.20.0.0/22",
    };
    const refuses = (
      o: Partial<PoolSpec>,
      field: string,
      profile: Profile = "jd-hosted",
      vpc: string[] = [],
    ) => {
      const problems = problemsOf({ ...good, ...o } as PoolSpec, profile, vpc);
      assert.ok(
        problems.some((p) => p.startsWith(`pool "bad": ${field} `)),
        `${JSON.stringify(o)}: ${problems.join("; ")}`,
      );
      for (const p of problems) assert.ok(!p.includes("\n"));
    };

    it("accepts a good pool under both profiles", () => {
      poolOf(good, "jd-hosted");
      poolOf({ ...good, vlans: undefined }, "huawei");
      poolOf({ ...good, interconnect: "192.168.0.0/30", ipv6: "fd00::/64" }, "jd-hosted", [
        "10.21.0.0/16",
        "fd00::/48",
      ]);
    });

    it("refuses a VLAN range outside 1-3999, reversed or malformed", () => {
      for (const vlans of ["0-10", "3990-4000", "200-100", "abc", "5", "-1-4", undefined])
        refuses({ vlans }, "vlans");
      poolOf({ ...good, vlans: "1-3999" }, "jd-hosted");
      poolOf({ ...good, vlans: " 7 - 7 " }, "jd-hosted");
    });

    it("accepts a VLAN range exactly when 1 <= from <= to <= 3999", () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 4100 }), fc.integer({ min: 0, max: 4100 }), (from, to) => {
          const p = parsePool({ ...good, vlans: `${from}-${to}` }, "jd-hosted");
          return Array.isArray(p) !== (from >= 1 && from <= to && to <= 3999);
        }),
        { numRuns: 200 },
      );
    });

    it("refuses an interconnect that is not IPv4, longer than /30, or not private", () => {
      for (const interconnect of [
        "fd00::/64",
        "nonsense",
        "10.0.0.0/31",
        "10.0.0.1/32",
        "8.8.8.0/30",
        "10.0.0.0/7",
        "172.32.0.0/30",
      ])
        refuses({ interconnect }, "interconnect");
      poolOf({ ...good, interconnect: " 172.16.0.0/12 " }, "jd-hosted");
    });

    it("refuses an interconnect overlapping a VPC block of the gateway", () => {
      refuses({}, "interconnect", "jd-hosted", ["10.20.3.0/24"]);
      refuses({}, "interconnect", "huawei", ["10.0.0.0/8"]);
      const [p] = problemsOf(good, "jd-hosted", ["10.20.3.0/24"]);
      assert.ok(p.includes("10.20.3.0/24") && p.includes("vgw-1"), p);
    });

    it("refuses an ipv6 block longer than /64 or not IPv6", () => {
      for (const ipv6 of ["fd00:20::/65", "fd00:20::1/128", "10.0.0.0/8", "nope"]) refuses({ ipv6 }, "ipv6");
    });

    it("refuses standby under huawei, an empty hostedConnectionIds and a bad customerHost", () => {
      refuses({ standby: true }, "standby", "huawei");
      poolOf({ ...good, standby: true }, "jd-hosted");
      poolOf({ ...good, standby: false }, "huawei");
      refuses({ hostedConnectionIds: [] }, "hostedConnectionIds");
      refuses({ hostedConnectionIds: [] }, "hostedConnectionIds", "huawei");
      refuses({ customerHost: "third" as never }, "customerHost");
    });

    it("reports every problem at once", () => {
      const problems = problemsOf(
        { ...good, hostedConnectionIds: [], vlans: "9-1", interconnect: "8.8.8.0/30", ipv6: "fd00::/80" },
        "jd-hosted",
      );
      assert.deepEqual(
        problems.map((p) => p.split(" ")[2]),
        ["hostedConnectionIds", "vlans", "interconnect", "ipv6"],
      );
    });

    it("poolsOverlap reports overlapping blocks and VLAN ranges on a shared connection", () => {
      const a = poolOf({ ...good, name: "a", hostedConnectionIds: ["c1", "c2"] }, "jd-hosted");
      const other = { interconnect: "10.30.0.0/24" };
      assert.match(
        poolsOverlap(a, poolOf({ ...good, interconnect: "10.20.3.0/30", vlans: "1-2" }, "jd-hosted"))!,
        /interconnect/,
      );
      const b6 = { ...good, ...other, ipv6: "fd00:20::/56" };
      assert.match(
        poolsOverlap(
          poolOf(b6, "jd-hosted"),
          poolOf({ ...b6, interconnect: "10.31.0.0/24", ipv6: "fd00:20:0:80::/60" }, "jd-hosted"),
        )!,
        /ipv6/,
      );
      assert.match(
        poolsOverlap(
          a,
          poolOf({ ...good, ...other, hostedConnectionIds: ["C2"], vlans: "199-300" }, "jd-hosted"),
        )!,
        /vlans/,
      );
      assert.equal(
        poolsOverlap(a, poolOf({ ...good, ...other, hostedConnectionIds: ["c3"] }, "jd-hosted")),
        undefined,
      );
      assert.equal(poolsOverlap(a, poolOf({ ...good, ...other, vlans: "200-300" }, "jd-hosted")), undefined);
    });

    it("poolsOverlap reports huawei pools sharing a hosted connection (one interface per connection)", () => {
      const hw = { ...good, vlans: undefined };
      const a = poolOf({ ...hw, hostedConnectionIds: ["hc-1", "hc-2"] }, "huawei");
      const b = poolOf({ ...hw, interconnect: "10.30.0.0/24", hostedConnectionIds: ["HC-2"] }, "huawei");
      const c = poolOf({ ...hw, interconnect: "10.31.0.0/24", hostedConnectionIds: ["hc-3"] }, "huawei");
      assert.match(poolsOverlap(a, b) ?? "", /hc-2/i);
      assert.match(poolsOverlap(b, a) ?? "", /hc-2/i);
      assert.equal(poolsOverlap(a, c), undefined);
    });

    it("poolsOverlap is symmetric", () => {
      const arb = fc.record({
        conns: fc.subarray(["c1", "c2", "c3"], { minLength: 1 }),
        from: fc.integer({ min: 1, max: 20 }),
        width: fc.integer({ min: 0, max: 10 }),
        third: fc.integer({ min: 0, max: 3 }),
        prefix: fc.integer({ min: 23, max: 30 }),
      });
      const mk = (r: { conns: string[]; from: number; width: number; third: number; prefix: number }) =>
        poolOf(
          {
            ...good,
            hostedConnectionIds: r.conns,
            vlans: `${r.from}-${r.from + r.width}`,
            interconnect: formatCidr(networkOf(v4(BASE + r.third * 256, r.prefix))),
          },
          "jd-hosted",
        );
      fc.assert(
        fc.property(
          arb,
          arb,
          (x, y) => (poolsOverlap(mk(x), mk(y)) === undefined) === (poolsOverlap(mk(y), mk(x)) === undefined),
        ),
        RUNS,
      );
    });
  });

  describe("determinism", () => {
    it("gives the same slot for the same inputs, whatever order the occupancy was recorded in", () => {
      fc.assert(
        fc.property(scenario, fc.nat(1000), (s, seed) => {
          const a = allocateInterface(s.pool, s.profile, s.occ, s.connections);
          const b = allocateInterface(s.pool, s.profile, cloneOcc(s.occ), [...s.connections]);
          assert.deepEqual(a, b);
          const shuffled = cloneOcc(s.occ);
          shuffled.networks.reverse();
          shuffled.networks.push(...shuffled.networks.splice(0, seed % (shuffled.networks.length + 1)));
          shuffled.vlans = new Map([...shuffled.vlans].reverse());
          const c = allocateInterface(s.pool, s.profile, shuffled, s.connections);
          assert.deepEqual(c.ok ? c.slot : undefined, a.ok ? a.slot : undefined);
          const re = parsePool(s.pool.spec, s.profile);
          assert.ok(!Array.isArray(re));
          assert.deepEqual(allocateInterface(re, s.profile, s.occ, s.connections), a);
        }),
        RUNS,
      );
    });
  });

  describe("customerHost", () => {
    const spec: PoolSpec = {
      name: "h",
      hostedConnectionIds: ["c1"],
      borderGatewayId: "g",
      vlans: "10-20",
      interconnect: "10.20.0.0/29",
      ipv6: "fd00:20::/56",
    };

    it('"first" (the default) gives the customer .1 and the cloud .2 of each /30 and /64', () => {
      for (const customerHost of [undefined, "first" as const]) {
        const pool = poolOf({ ...spec, customerHost }, "jd-hosted");
        const r = allocateInterface(pool, "jd-hosted", emptyOccupancy(), []);
        assert.ok(r.ok);
        assert.deepEqual(
          [
            r.slot.customerAddress,
            r.slot.cloudAddress,
            r.slot.standbyCustomerAddress,
            r.slot.standbyCloudAddress,
          ],
          ["10.20.0.1/30", "10.20.0.2/30", "10.20.0.5/30", "10.20.0.6/30"],
        );
        assert.deepEqual(allocatePeer(pool, emptyOccupancy()), {
          ok: true,
          slot: { customerAddress: "fd00:20::1/64", cloudAddress: "fd00:20::2/64" },
        });
      }
    });

    it('"second" gives the customer .2 and the cloud .1, under both profiles', () => {
      const pool = poolOf({ ...spec, customerHost: "second" }, "jd-hosted");
      const r = allocateInterface(pool, "jd-hosted", emptyOccupancy(), []);
      assert.ok(r.ok);
      assert.deepEqual(
        [
          r.slot.customerAddress,
          r.slot.cloudAddress,
          r.slot.standbyCustomerAddress,
          r.slot.standbyCloudAddress,
        ],
        ["10.20.0.2/30", "10.20.0.1/30", "10.20.0.6/30", "10.20.0.5/30"],
      );
      assert.deepEqual(allocatePeer(pool, emptyOccupancy()), {
        ok: true,
        slot: { customerAddress: "fd00:20::2/64", cloudAddress: "fd00:20::1/64" },
      });
      const hw = poolOf({ ...spec, vlans: undefined, customerHost: "second" }, "huawei");
      const h = allocateInterface(hw, "huawei", emptyOccupancy(), [{ id: "c1", vlan: 7 }]);
      assert.ok(h.ok);
      assert.deepEqual(h.slot, {
        hostedConnectionId: "c1",
        borderGatewayId: "g",
        vlan: 7,
        customerAddress: "10.20.0.2/30",
        cloudAddress: "10.20.0.1/30",
      });
    });
  });
});
