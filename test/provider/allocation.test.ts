// Allocation from a pool in check() and create(), against the in-process emulator: many links in
// one run never share a slot; a link keeps its slot by name; a foreign interface is skipped; an
// exhausted or bad pool fails check in one line, before any mutating request; an importId keeps
// its live values; a create refused for an allocated value takes the next free slot.
import * as assert from "node:assert/strict";
import { canonicalNetwork } from "../../api/net";
import { FIXTURES } from "../../emulator";
import { checkHostedVifLive, createHostedVif, hostedVif } from "../../provider/hostedVif";
import * as lifecycle from "../../provider/lifecycle";
import { checkVifPeerLive, createVifPeer } from "../../provider/vifPeer";
import { checkPoolLedger, diffPoolLedger } from "../../provider/poolLedger";
import { resetConfiguration } from "../../provider/impl";
import { UNKNOWN } from "../../provider/unknowns";
import type { Deps } from "../../provider/deps";
import { resolveConfig } from "../../provider/config";
import { DcaasClient } from "../../provider/client";
import { admin, type Emulator, newRun, start, useEnv } from "./helpers";

const CONN1 = FIXTURES.hostedConnections.active1;
const CONN2 = FIXTURES.hostedConnections.active2;
const GW = FIXTURES.gatewayId;
const pool = {
  name: "branches",
  hostedConnectionIds: [CONN1, CONN2],
  borderGatewayId: GW,
  vlans: "1000-1999",
  interconnect: "10.20.0.0/22",
  ipv6: "fd00:20::/56",
};

const link = (name: string, over: Record<string, unknown> = {}) => ({
  __owner: `proj/stack/${name}`,
  name,
  routeMode: "bgp",
  bgpAsn: 65010,
  allocation: { pool },
  ...over,
});

/** Runs fn and returns what it wrote to stdout (the engine's output of a provider). */
async function captured<T>(fn: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) =>
    lines.push(String(chunk)) > 0) as typeof process.stdout.write;
  try {
    return { value: await fn(), lines };
  } finally {
    process.stdout.write = write;
  }
}

describe("allocation from a pool in check() and create()", function () {
  this.timeout(120_000);
  let emu: Emulator;
  let restore: () => void;

  before(async () => {
    emu = await start();
  });
  after(async () => {
    resetConfiguration();
    await emu?.close();
  });
  beforeEach(async () => {
    await admin(emu).reset({});
    await admin(emu).clearRequests();
    await newRun(emu);
  });
  afterEach(() => restore?.());

  async function post(body: Record<string, unknown>) {
    const r = await fetch(`${emu.url}/v3/${FIXTURES.projectId}/dcaas/virtual-interfaces`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-auth-token": FIXTURES.token },
      body: JSON.stringify({ virtual_interface: body }),
    });
    const text = await r.text();
    assert.equal(r.status, 201, text);
    return (JSON.parse(text) as { virtual_interface: { id: string } }).virtual_interface;
  }

  it("50 links checked at once get 50 distinct slots, spread over both connections, with no request but reads", async () => {
    const names = Array.from({ length: 50 }, (_, i) => `branch-${String(i + 1).padStart(2, "0")}`);
    const results = await Promise.all(names.map((n) => checkHostedVifLive({}, link(n))));
    for (const r of results) assert.deepEqual(r.failures, []);
    const vlans = new Set(results.map((r) => `${r.inputs.hostedConnectionId}/${r.inputs.vlan}`));
    assert.equal(vlans.size, 50);
    const nets = results.flatMap((r) => [r.inputs.customerAddress, r.inputs.standbyCustomerAddress]);
    assert.equal(
      new Set(nets.map((a: string) => canonicalNetwork(a))).size,
      100,
      "two /30s each, all distinct",
    );
    const perConn = [CONN1, CONN2].map(
      (c) => results.filter((r) => r.inputs.hostedConnectionId === c).length,
    );
    assert.deepEqual(perConn, [25, 25]);
    const first = results[0].inputs;
    assert.equal(first.vlan, 1000);
    assert.equal(first.customerAddress, "10.20.0.1/30");
    assert.equal(first.cloudAddress, "10.20.0.2/30");
    assert.equal(first.standbyCustomerAddress, "10.20.0.5/30");
    assert.equal(await admin(emu).mutatingRequests(), 0);
  });

  it("a second new link allocated without a plan gets one notice naming both links and the PoolLedger remedy; planned links get none", async () => {
    const one = await captured(() => checkHostedVifLive({}, link("solo")));
    assert.deepEqual(one.value.failures, []);
    assert.ok(!one.lines.some((l) => /not fixed/.test(l)), one.lines.join(""));
    const more = await captured(async () => {
      for (const n of ["second", "third"])
        assert.deepEqual((await checkHostedVifLive({}, link(n))).failures, []);
    });
    const said = more.lines.filter((l) => /not fixed/.test(l));
    assert.equal(said.length, 1, more.lines.join(""));
    assert.match(
      said[0],
      /pool "branches": HostedVif "solo" and HostedVif "second" \(and any later new link of this pool\) are new in this run/,
    );
    assert.match(said[0], /PoolLedger/);
    // A link that keeps its slot (its state) is not new: no notice for it.
    await newRun(emu);
    const kept = await checkHostedVifLive({}, link("kept"));
    await newRun(emu); // the next run: "kept" is in the state now
    const again = await captured(async () => {
      await checkHostedVifLive(kept.inputs, link("kept"));
      await checkHostedVifLive({}, link("fresh"));
    });
    assert.ok(!again.lines.some((l) => /not fixed/.test(l)), again.lines.join(""));
    // Planned links: no notice however many.
    await newRun(emu);
    const plan = (
      await checkPoolLedger(
        {},
        { __owner: "proj/stack/ledger", pool, holdFor: "1h", links: ["p-1", "p-2"] },
        "jd-hosted",
      )
    ).inputs.plan;
    const planned = await captured(async () => {
      for (const n of ["p-1", "p-2"])
        assert.deepEqual(
          (await checkHostedVifLive({}, link(n, { allocation: { pool, planned: plan[n] } }))).failures,
          [],
        );
    });
    assert.ok(!planned.lines.some((l) => /not fixed/.test(l)), planned.lines.join(""));
  });

  it("a PoolLedger plans new links by name, whatever order they are listed or checked in; peers pair with their /30", async () => {
    const names = Array.from({ length: 20 }, (_, i) => `site-${i + 1}`);
    const planOf = async (order: string[]) => {
      await newRun(emu);
      const r = await checkPoolLedger(
        {},
        { __owner: "proj/stack/ledger", pool, holdFor: "1h", links: order },
        "jd-hosted",
      );
      assert.deepEqual(r.failures, []);
      return r.inputs.plan;
    };
    const plan = await planOf(names);
    assert.deepEqual(await planOf([...names].reverse()), plan);
    assert.deepEqual(await planOf([...names].sort(() => Math.random() - 0.5)), plan);
    // By name, numerically: site-1 first, site-2 second (not site-10).
    assert.equal(plan["site-1"].vlan, 1000);
    assert.equal(plan["site-1"].customerAddress, "10.20.0.1/30");
    assert.equal(plan["site-2"].customerAddress, "10.20.0.9/30");
    // Links checked in any order take their planned slots.
    await newRun(emu);
    const shuffled = [...names].sort(() => Math.random() - 0.5);
    const results = await Promise.all(
      shuffled.map((n) => checkHostedVifLive({}, link(n, { allocation: { pool, planned: plan[n] } }))),
    );
    shuffled.forEach((n, i) => {
      assert.deepEqual(results[i].failures, []);
      assert.equal(results[i].inputs.vlan, plan[n].vlan, n);
      assert.equal(results[i].inputs.customerAddress, plan[n].customerAddress, n);
    });
    // A peer paired with its interface's customer address takes the /64 of the same index.
    const peer = await checkVifPeerLive(
      {},
      {
        __owner: "proj/stack/site-2-v6",
        name: "site-2-v6",
        vifId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        routeMode: "bgp",
        bgpAsn: 65010,
        allocation: { pool, pairedWith: "10.20.0.9/30" },
      },
    );
    assert.deepEqual(peer.failures, []);
    assert.equal(peer.inputs.customerAddress, "fd00:20:0:2::1/64", "the /30 10.20.0.8 is index 2");
  });

  it("a link keeps the slot it holds; a new link checked first in the next run does not take it", async () => {
    restore = useEnv(emu);
    const a = await checkHostedVifLive({}, link("a"));
    const config = resolveConfig();
    await createHostedVif({ config, client: new DcaasClient(config) }, a.inputs);
    await newRun(emu);
    // A new link checked first in the next run, then the old one with its state.
    const z = await checkHostedVifLive({}, link("z"));
    const again = await checkHostedVifLive(a.inputs, link("a"));
    assert.deepEqual(again.failures, []);
    assert.equal(again.inputs.vlan, a.inputs.vlan);
    assert.equal(again.inputs.customerAddress, a.inputs.customerAddress);
    assert.notEqual(
      `${z.inputs.hostedConnectionId}/${z.inputs.vlan}`,
      `${a.inputs.hostedConnectionId}/${a.inputs.vlan}`,
    );
  });

  it("skips a VLAN and a /30 a foreign interface holds, whoever owns it", async () => {
    await post({
      name: "foreign",
      direct_connect_id: CONN1,
      vgw_id: GW,
      vlan: 1000,
      route_mode: "static",
      remote_gateway_v4_ip: "10.20.0.1/30",
      local_gateway_v4_ip: "10.20.0.2/30",
      remote_ep_group: ["192.168.9.0/24"],
    });
    const r = await checkHostedVifLive({}, link("branch-1"));
    assert.deepEqual(r.failures, []);
    // CONN1 holds one pool VLAN now, so the link goes to CONN2 (fewest in use), at its lowest VLAN.
    assert.equal(r.inputs.hostedConnectionId, CONN2);
    assert.equal(r.inputs.vlan, 1000);
    assert.equal(r.inputs.customerAddress, "10.20.0.5/30");
  });

  it("an exhausted pool fails check in one line naming the pool, its size and what uses it", async () => {
    const small = { ...pool, hostedConnectionIds: [CONN1], vlans: "1000-1001" };
    const ok1 = await checkHostedVifLive({}, link("a", { allocation: { pool: small } }));
    const ok2 = await checkHostedVifLive({}, link("b", { allocation: { pool: small } }));
    const r = await checkHostedVifLive({}, link("c", { allocation: { pool: small } }));
    assert.deepEqual([ok1.failures, ok2.failures], [[], []]);
    assert.equal(r.failures.length, 1);
    assert.equal(r.failures[0].property, "", "resource-level: the engine would print the pool's value first");
    assert.match(
      r.failures[0].reason,
      /^pool "branches" has no free VLAN in 1000-1001: 2 vlans, 2 used \(2 by resources of this program\); widen vlans or add a hosted connection$/,
    );
    assert.ok(!r.failures[0].reason.includes("\n"));
  });

  it("a bad pool fails check naming the pool and the field (a block inside the VPC, a VLAN range out of 1-3999)", async () => {
    const inVpc = await checkHostedVifLive(
      {},
      link("a", { allocation: { pool: { ...pool, interconnect: "172.16.4.0/24" } } }),
    );
    assert.match(
      inVpc.failures[0].reason,
      /pool "branches": interconnect 172\.16\.4\.0\/24 overlaps the VPC block 172\.16\.0\.0\/16/,
    );
    const typo = await checkHostedVifLive(
      {},
      link("a", {
        allocation: {
          pool: { ...pool, hostedConnectionIds: [CONN1, "6f1c2d3e-0001-4a5b-8c9d-00000000ffff"] },
        },
      }),
    );
    assert.equal(
      typo.failures[0].reason,
      'pool "branches": hostedConnectionIds[1] 6f1c2d3e-0001-4a5b-8c9d-00000000ffff is not a hosted connection of this project',
    );
    // A malformed id (one digit short) is named as the program's mistake, before any read (a
    // newcomer was told the live checks could not read the API, and to turn them off).
    await newRun(emu);
    const short = "6f1c2d3e-0001-4a5b-8c9d-00000000001";
    for (const check of [
      () =>
        checkHostedVifLive(
          {},
          link("a", { allocation: { pool: { ...pool, hostedConnectionIds: [short] } } }),
        ),
      () =>
        checkPoolLedger(
          {},
          { __owner: "proj/stack/l", pool: { ...pool, hostedConnectionIds: [short] }, holdFor: "1h" },
          "jd-hosted",
        ),
    ]) {
      const r = await check();
      assert.deepEqual(
        r.failures.map((f) => f.reason),
        [`pool "branches": hostedConnectionIds[0] must be a hosted connection id, a UUID (got "${short}")`],
      );
    }
    await newRun(emu);
    const range = await checkHostedVifLive(
      {},
      link("a", { allocation: { pool: { ...pool, vlans: "3990-4005" } } }),
    );
    assert.match(range.failures[0].reason, /pool "branches": vlans must lie within 1-3999/);
  });

  it("two pools of one program that overlap, or one name with two definitions, fail check", async () => {
    const ok = await checkHostedVifLive({}, link("a"));
    assert.deepEqual(ok.failures, []);
    const other = { ...pool, name: "other", interconnect: "10.20.2.0/24", vlans: "3000-3099" };
    const r = await checkHostedVifLive({}, link("b", { allocation: { pool: other } }));
    assert.match(
      r.failures[0].reason,
      /^pool "other" overlaps pool "branches": interconnect 10\.20\.2\.0\/24 overlaps 10\.20\.0\.0\/22$/,
    );
    const twice = await checkHostedVifLive(
      {},
      link("c", { allocation: { pool: { ...pool, vlans: "1000-1500" } } }),
    );
    assert.match(twice.failures[0].reason, /^pool "branches" is declared twice with different values/);
  });

  it("a value written by hand beside an allocation is refused, naming the field", async () => {
    const r = await checkHostedVifLive({}, link("a", { vlan: 1500 }));
    assert.deepEqual(
      r.failures.map((f) => f.property),
      ["vlan"],
    );
    assert.match(r.failures[0].reason, /is set by allocation/);
  });

  it("an importId keeps the adopted interface's live values, with a notice when they lie outside the pool", async () => {
    const v = await post({
      name: "legacy",
      direct_connect_id: CONN1,
      vgw_id: GW,
      vlan: 77,
      route_mode: "bgp",
      bgp_asn: 65010,
      remote_gateway_v4_ip: "10.99.0.1/30",
      local_gateway_v4_ip: "10.99.0.2/30",
    });
    const { value: r, lines } = await captured(() =>
      checkHostedVifLive({}, link("legacy", { importId: (v as { id: string }).id })),
    );
    assert.deepEqual(r.failures, []);
    assert.ok(
      lines.some((l) =>
        /keeps VLAN 77 and 10\.99\.0\.1\/30 of interface .* \(importId\), outside pool "branches"; set allocation\.renumber/.test(
          l,
        ),
      ),
      lines.join(""),
    );
    assert.equal(r.inputs.vlan, 77);
    assert.equal(r.inputs.customerAddress, "10.99.0.1/30");
  });

  it("a link left outside a shrunk pool keeps its values with a notice; renumber moves it into the pool", async () => {
    restore = useEnv(emu);
    const a = await checkHostedVifLive({}, link("a"));
    const config = resolveConfig();
    await createHostedVif({ config, client: new DcaasClient(config) }, a.inputs);
    resetConfiguration();
    const moved = { ...pool, vlans: "1500-1599", interconnect: "10.21.0.0/24" };
    const kept = await captured(() =>
      checkHostedVifLive(a.inputs, link("a", { allocation: { pool: moved } })),
    );
    assert.deepEqual(kept.value.failures, []);
    assert.equal(kept.value.inputs.vlan, a.inputs.vlan);
    assert.ok(
      kept.lines.some((l) =>
        l.includes(`keeps VLAN ${a.inputs.vlan} and ${a.inputs.customerAddress} of its interface`),
      ),
      kept.lines.join(""),
    );
    resetConfiguration();
    const renumbered = await checkHostedVifLive(
      a.inputs,
      link("a", { allocation: { pool: moved, renumber: true } }),
    );
    assert.deepEqual(renumbered.failures, []);
    assert.equal(renumbered.inputs.vlan, 1500);
    assert.equal(renumbered.inputs.customerAddress, "10.21.0.1/30");
  });

  it("a PoolLedger's alsoHold (another stack's held) joins its held until it ends: its plan and its links skip it", async () => {
    const t0 = Date.now();
    const ledgerIn = (alsoHold?: unknown) => ({
      __owner: "proj/b/ledger",
      pool,
      holdFor: "1h",
      links: ["b-1"],
      ...(alsoHold === undefined ? {} : { alsoHold }),
    });
    // Without it, b-1 is planned the first free slot (the emulator's active1, VLAN 1000).
    const plain = await checkPoolLedger({}, ledgerIn(), "jd-hosted", () => t0);
    assert.deepEqual(plain.failures, []);
    const first = plain.inputs.plan["b-1"];
    const theirs = {
      owner: "a-2",
      hostedConnectionId: first.hostedConnectionId.toUpperCase(),
      vlan: first.vlan,
      networks: ["10.20.0.0/30", "10.20.0.4/30"],
      releasedAt: new Date(t0 - 60_000).toISOString(),
      until: new Date(t0 + 3_600_000).toISOString(),
    };
    const over = { ...theirs, owner: "a-9", vlan: 1500, until: new Date(t0 - 1).toISOString() };
    await newRun(emu);
    const r = await checkPoolLedger({}, ledgerIn([theirs, over]), "jd-hosted", () => t0);
    assert.deepEqual(r.failures, []);
    // Held with the other stack's mark; the ended hold is dropped.
    assert.deepEqual(
      r.inputs.held.map((h: any) => [h.owner, h.vlan, h.stack]),
      [["a-2", first.vlan, "another stack"]],
    );
    const planned = r.inputs.plan["b-1"];
    assert.notEqual(
      `${planned.hostedConnectionId}/${planned.vlan}`,
      `${first.hostedConnectionId}/${first.vlan}`,
    );
    assert.notEqual(canonicalNetwork(planned.customerAddress), "10.20.0.0/30");
    // A link given this held skips it too.
    const b = await checkHostedVifLive({}, link("b-2", { allocation: { pool, held: r.inputs.held } }));
    assert.deepEqual(b.failures, []);
    assert.notEqual(
      `${b.inputs.hostedConnectionId}/${b.inputs.vlan}`,
      `${first.hostedConnectionId}/${first.vlan}`,
    );
    // The next run: the foreign hold is not taken for this stack's own (it ends when theirs does).
    await newRun(emu);
    const next = await checkPoolLedger(r.inputs, ledgerIn([]), "jd-hosted", () => t0 + 1000);
    assert.deepEqual(next.inputs.held, []);
    // A malformed entry fails check naming alsoHold, its index and field.
    const bad = await checkPoolLedger({}, ledgerIn([{ owner: "x", networks: [] }]), "jd-hosted");
    assert.deepEqual(
      bad.failures.map((f) => [f.property, f.reason]),
      [["alsoHold", "[0].until must be an ISO 8601 time (a ledger's held output has one)"]],
    );
  });

  it("a PoolLedger holds a released slot back until holdFor has passed; links skip it meanwhile", async () => {
    restore = useEnv(emu);
    const config = resolveConfig();
    const deps: Deps = { config, client: new DcaasClient(config) };
    const ledgerIn = { __owner: "proj/stack/ledger", pool, holdFor: "1h" };
    const a = await checkHostedVifLive({}, link("a"));
    const made = await createHostedVif(deps, a.inputs);
    resetConfiguration();
    const first = await checkPoolLedger({}, ledgerIn, "jd-hosted");
    assert.deepEqual(first.failures, []);
    assert.deepEqual(
      first.inputs.ours.map((o: any) => [o.owner, o.vlan]),
      [["a", a.inputs.vlan]],
    );
    assert.deepEqual(first.inputs.held, []);
    // Its IPv6 peer is added in a later run: the interface is the same, nothing is released
    // (a newcomer saw live links held back after their peers were created).
    await createVifPeer(deps, {
      __owner: "proj/stack/a-v6",
      vifId: made.id,
      name: "a-v6",
      addressFamily: "ipv6",
      customerAddress: "fd00:20::1/64",
      cloudAddress: "fd00:20::2/64",
      routeMode: "bgp",
      bgpAsn: 65010,
    });
    resetConfiguration();
    const withPeer = await checkPoolLedger(first.inputs, ledgerIn, "jd-hosted");
    assert.deepEqual(withPeer.inputs.held, []);
    assert.deepEqual(withPeer.inputs.ours[0].networks.slice(-1), ["fd00:20::/64"]);
    // The link is removed from the program and deleted; the next run's ledger holds its slot back.
    await lifecycle.remove(hostedVif, deps, made.id, made.outs);
    resetConfiguration();
    const t0 = Date.now();
    const second = await checkPoolLedger(withPeer.inputs, ledgerIn, "jd-hosted", () => t0);
    assert.equal(second.inputs.held.length, 1);
    const held = second.inputs.held[0];
    assert.equal(held.owner, "a");
    assert.equal(held.vlan, a.inputs.vlan);
    assert.equal(Date.parse(held.until) - t0, 3_600_000);
    assert.equal(diffPoolLedger(first.inputs, second.inputs).changes, true);
    // A new link does not get the held slot...
    const b = await checkHostedVifLive({}, link("b", { allocation: { pool, held: second.inputs.held } }));
    assert.deepEqual(b.failures, []);
    assert.notEqual(
      `${b.inputs.hostedConnectionId}/${b.inputs.vlan}`,
      `${a.inputs.hostedConnectionId}/${a.inputs.vlan}`,
    );
    assert.notEqual(b.inputs.customerAddress, a.inputs.customerAddress);
    // ...until the hold is over: then the ledger lets it go, and it is handed out again.
    resetConfiguration();
    const later = await checkPoolLedger(second.inputs, ledgerIn, "jd-hosted", () => t0 + 3_600_001);
    assert.deepEqual(later.inputs.held, []);
    const c = await checkHostedVifLive({}, link("c", { allocation: { pool, held: later.inputs.held } }));
    assert.equal(
      `${c.inputs.hostedConnectionId}/${c.inputs.vlan}`,
      `${a.inputs.hostedConnectionId}/${a.inputs.vlan}`,
    );
    const bad = await checkPoolLedger({}, { ...ledgerIn, holdFor: "soon" }, "jd-hosted");
    assert.equal(bad.failures[0].property, "holdFor");
  });

  it("a peer gets an IPv6 /64 of the pool, distinct for each", async () => {
    const peer = (name: string) => ({
      __owner: `proj/stack/${name}`,
      name,
      vifId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
      routeMode: "bgp",
      bgpAsn: 65010,
      allocation: { pool },
    });
    const both = await captured(() =>
      Promise.all([checkVifPeerLive({}, peer("a-v6")), checkVifPeerLive({}, peer("b-v6"))]),
    );
    const [a, b] = both.value;
    assert.deepEqual([a.failures, b.failures], [[], []]);
    // Two unpaired new peers: the notice names the peers' remedy, pairing.
    const said = both.lines.filter((l) => /not fixed/.test(l));
    assert.equal(said.length, 1, both.lines.join(""));
    assert.match(said[0], /VifPeer "a-v6" and VifPeer "b-v6".*allocation\.pairedWith/);
    assert.equal(a.inputs.addressFamily, "ipv6");
    assert.equal(a.inputs.customerAddress, "fd00:20::1/64");
    assert.equal(b.inputs.customerAddress, "fd00:20:0:1::1/64");
  });

  it("a new peer whose interface already has this stack's IPv6 peer (an interrupted run's) keeps its /64 and adopts it", async () => {
    restore = useEnv(emu);
    const config = resolveConfig();
    const deps: Deps = { config, client: new DcaasClient(config) };
    const a = await checkHostedVifLive({}, link("a"));
    const vif = await createHostedVif(deps, a.inputs);
    const peerIn = (over: Record<string, unknown> = {}) => ({
      __owner: "proj/stack/a-v6",
      name: "a-v6",
      vifId: vif.id,
      routeMode: "bgp",
      bgpAsn: 65010,
      allocation: { pool, pairedWith: a.inputs.customerAddress },
      ...over,
    });
    // The interrupted run: its peer was made (a /64 other than the paired one), its state never saved.
    resetConfiguration();
    await newRun(emu);
    const first = await checkVifPeerLive({}, peerIn({ allocation: { pool } }));
    const made = await createVifPeer(deps, {
      ...first.inputs,
      customerAddress: "fd00:20:0:17::1/64",
      cloudAddress: "fd00:20:0:17::2/64",
    });
    await newRun(emu);
    const again = await captured(() => checkVifPeerLive({}, peerIn()));
    assert.deepEqual(again.value.failures, []);
    assert.equal(again.value.inputs.customerAddress, "fd00:20:0:17::1/64");
    assert.equal(again.value.inputs.cloudAddress, "fd00:20:0:17::2/64");
    assert.ok(
      again.lines.some((l) => /keeps fd00:20:0:17::1\/64 of peer .*interrupted run/.test(l)),
      again.lines.join(""),
    );
    // At preview the interface's id is unknown (it is new in the state); its customer address is
    // not: the peer finds the same leftover through it, so preview shows what up will do.
    await newRun(emu);
    const preview = await checkVifPeerLive({}, peerIn({ vifId: UNKNOWN }));
    assert.deepEqual(preview.failures, []);
    assert.equal(preview.inputs.customerAddress, "fd00:20:0:17::1/64");
    const before = await admin(emu).mutatingRequests();
    const took = await captured(() => createVifPeer(deps, again.value.inputs));
    const adopted = took.value;
    assert.equal(adopted.id, made.id);
    assert.ok(
      took.lines.some((l) =>
        l.includes(`VifPeer "a-v6": takes back VIF peer ${made.id}, which an earlier attempt`),
      ),
      took.lines.join(""),
    );
    const live = (await admin(emu).interfaces(FIXTURES.projectId)).find((v: any) => v.id === vif.id);
    assert.equal(live.vif_peers.filter((p: any) => p.address_family === "ipv6").length, 1);
    assert.ok((await admin(emu).mutatingRequests()) - before <= 1, "at most the refused POST");
    // importId: the adopted peer keeps its live /64 too.
    await newRun(emu);
    const imported = await checkVifPeerLive({}, peerIn({ importId: made.id }));
    assert.deepEqual(imported.failures, []);
    assert.equal(imported.inputs.customerAddress, "fd00:20:0:17::1/64");
    // Another stack's interface: its peer is never taken for this one.
    await newRun(emu);
    const foreign = await checkVifPeerLive({}, peerIn({ __owner: "proj/other/a-v6" }));
    assert.notEqual(foreign.inputs.customerAddress, "fd00:20:0:17::1/64");
  });

  it("a create refused for an allocated VLAN (another stack took it) takes the next free slot and says so", async () => {
    restore = useEnv(emu);
    const r = await checkHostedVifLive({}, link("late"));
    assert.deepEqual(r.failures, []);
    // Another stack takes the slot between preview and up.
    await post({
      name: "other-stack",
      direct_connect_id: r.inputs.hostedConnectionId,
      vgw_id: GW,
      vlan: r.inputs.vlan,
      route_mode: "static",
      remote_gateway_v4_ip: "10.30.0.1/30",
      local_gateway_v4_ip: "10.30.0.2/30",
      remote_ep_group: ["192.168.9.0/24"],
    });
    const config = resolveConfig();
    const deps: Deps = { config, client: new DcaasClient(config) };
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) =>
      lines.push(String(chunk)) > 0) as typeof process.stdout.write;
    let made;
    try {
      made = await createHostedVif(deps, r.inputs);
    } finally {
      process.stdout.write = write;
    }
    const slot = (v: Record<string, any>) => `${v.hostedConnectionId}/${v.vlan}`;
    assert.notEqual(slot(made.outs), slot(r.inputs));
    assert.notEqual(made.outs.customerAddress, r.inputs.customerAddress);
    assert.ok(
      lines.some((l) => /was taken since preview \(DC\.1209\); takes VLAN \d+ on hosted connection/.test(l)),
      lines.join("\n"),
    );
  });
});

describe("allocation under the huawei profile", function () {
  this.timeout(60_000);
  let emu: Emulator;
  before(async () => {
    emu = await start({ profile: "huawei" });
  });
  after(async () => {
    resetConfiguration();
    await emu?.close();
  });

  it("picks a free hosted connection from the list, at its VLAN, with one /30 and no standby pair", async () => {
    await newRun(emu, { "dcaas:profile": "huawei" });
    const hw = {
      name: "hw",
      hostedConnectionIds: [FIXTURES.hostedConnections.down, CONN1, CONN2],
      borderGatewayId: GW,
      interconnect: "10.20.0.0/24",
    };
    const hwLink = (name: string) => ({
      ...link(name),
      routeMode: "static",
      bgpAsn: undefined,
      remoteSubnets: ["192.168.8.0/24"],
      allocation: { pool: hw },
    });
    const [a, b, c] = [
      await checkHostedVifLive({}, hwLink("a"), "huawei"),
      await checkHostedVifLive({}, hwLink("b"), "huawei"),
      await checkHostedVifLive({}, hwLink("c"), "huawei"),
    ];
    assert.deepEqual([a.failures, b.failures], [[], []]);
    // The DOWN connection is skipped; each link takes its own connection at that connection's VLAN.
    assert.equal(a.inputs.hostedConnectionId, CONN1);
    assert.equal(a.inputs.vlan, FIXTURES.huaweiVlans.active1);
    assert.equal(b.inputs.hostedConnectionId, CONN2);
    assert.equal(b.inputs.vlan, FIXTURES.huaweiVlans.active2);
    assert.equal(a.inputs.standbyCustomerAddress, undefined);
    assert.match(
      c.failures[0]?.reason ?? "",
      /^pool "hw" has no free hosted connection: 3 connections, 2 used/,
    );
  });
});
