// `dcaas pool` without an engine: the report's computation (used slots from the state's outputs,
// other holders, free counts and the next slot, as api/allocation.ts allocates), its wording, the
// masking of secrets, the API access from the stack's configuration, and the live read against a
// fake fetch. The engine run is in test/e2e/pool-report.test.ts.
import assert from "node:assert/strict";
import { main, maskValue, stateResourcesOf } from "../../../cli/dcaas";
import { FIXTURES, type RunningEmulator, startEmulator } from "../../../emulator";
import {
  apiAccessOf,
  type LiveFacts,
  PoolCommandError,
  poolReportOf,
  profileOf,
  readLiveFacts,
  renderPoolReport,
  type StateResource,
} from "../../../cli/pool";

const A = "aaaaaaaa-0000-4000-8000-000000000001";
const B = "bbbbbbbb-0000-4000-8000-000000000002";
const GW = "cccccccc-0000-4000-8000-000000000003";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const BGP_KEY = "s3cr3t-bgp-key";
const pool = {
  name: "branches",
  hostedConnectionIds: [A, B],
  borderGatewayId: GW,
  vlans: "1000-1009",
  interconnect: "10.20.0.0/27",
  ipv6: "fd00:20::/62",
  reserved: { vlans: [1000], networks: ["10.20.0.0/30"] },
};

function vif(name: string, id: string, slot: Record<string, unknown>, allocated = true): StateResource {
  const inputs = {
    name,
    routeMode: "bgp",
    bgpKey: BGP_KEY,
    ...(allocated ? { allocation: { pool } } : {}),
    ...slot,
  };
  return {
    urn: `urn:pulumi:dev::p::pulumi-nodejs:dynamic/dcaas:HostedVif::${name}`,
    type: "pulumi-nodejs:dynamic/dcaas:HostedVif",
    id,
    inputs,
    outputs: {
      ...inputs,
      bgpKey: { [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(BGP_KEY) },
      borderGatewayId: GW,
      status: "ACTIVE",
    },
  };
}

const state: StateResource[] = [
  vif("branch-1", "vif-1", {
    hostedConnectionId: A,
    vlan: 1001,
    customerAddress: "10.20.0.5/30",
    cloudAddress: "10.20.0.6/30",
    standbyCustomerAddress: "10.20.0.9/30",
    standbyCloudAddress: "10.20.0.10/30",
  }),
  {
    urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/dcaas:VifPeer::branch-1-v6",
    type: "pulumi-nodejs:dynamic/dcaas:VifPeer",
    id: "peer-1",
    inputs: {
      vifId: "vif-1",
      allocation: { pool },
      addressFamily: "ipv6",
      customerAddress: "fd00:20::1/64",
      cloudAddress: "fd00:20::2/64",
    },
    outputs: {
      vifId: "vif-1",
      addressFamily: "ipv6",
      customerAddress: "fd00:20::1/64",
      cloudAddress: "fd00:20::2/64",
    },
  },
  vif("branch-2", "vif-2", {
    hostedConnectionId: B,
    vlan: 1001,
    customerAddress: "10.20.0.13/30",
    cloudAddress: "10.20.0.14/30",
    standbyCustomerAddress: "10.20.0.17/30",
    standbyCloudAddress: "10.20.0.18/30",
  }),
  vif(
    "pinned",
    "vif-3",
    { hostedConnectionId: A, vlan: 77, customerAddress: "10.99.0.1/30", cloudAddress: "10.99.0.2/30" },
    false,
  ),
];

const live: LiveFacts = {
  endpoint: "http://127.0.0.1:9999",
  interfaces: [
    {
      id: "vif-1",
      name: "branch-1",
      hostedConnectionId: A,
      gatewayId: GW,
      vlan: 1001,
      status: "ACTIVE",
      customerAddress: "10.20.0.5/30",
      standbyCustomerAddress: "10.20.0.9/30",
      owner: "p/dev/branch-1",
      peers: [{ id: "peer-1", addressFamily: "ipv6", customerAddress: "fd00:20::1/64" }],
    },
    {
      id: "foreign-1",
      name: "foreign",
      hostedConnectionId: A,
      gatewayId: GW,
      vlan: 1002,
      status: "ACTIVE",
      customerAddress: "10.20.0.21/30",
      owner: "other/prod/x",
      peers: [],
    },
  ],
  connections: [],
  vpcBlocks: { [GW]: ["192.168.0.0/16"] },
};

const report = (l?: LiveFacts) =>
  poolReportOf({
    stack: "dev",
    workDir: "/p",
    profile: "jd-hosted",
    resources: state,
    live: l,
    noLive: "no credentials",
  });

/** A PoolLedger of the stack in the state, over `pool` with a 24 h hold, with these outputs. */
const ledgerOf = (outputs: Record<string, unknown>): StateResource => ({
  urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/dcaas:PoolLedger::branches",
  type: "pulumi-nodejs:dynamic/dcaas:PoolLedger",
  id: "pool-ledger-branches",
  inputs: { pool, holdFor: "24h" },
  outputs: { pool, holdFor: "24h", ...outputs },
});

describe("dcaas pool: the report", () => {
  it("lists the pool with its definition and this stack's slots, from the state's outputs", () => {
    const r = report(live);
    assert.equal(r.pools.length, 1);
    const p = r.pools[0];
    assert.equal(p.name, "branches");
    assert.deepEqual(p.definition, {
      hostedConnectionIds: [A, B],
      borderGatewayId: GW,
      vlans: "1000-1009",
      interconnect: "10.20.0.0/27",
      ipv6: "fd00:20::/62",
      standby: true,
      customerHost: "first",
      reserved: { vlans: [1000], networks: ["10.20.0.0/30"] },
    });
    assert.deepEqual(
      p.used.map((s) => s.resource),
      ["branch-1", "branch-1-v6", "branch-2"],
    );
    assert.deepEqual(p.used[0], {
      resource: "branch-1",
      type: "HostedVif",
      id: "vif-1",
      status: "ACTIVE",
      hostedConnectionId: A,
      vlan: 1001,
      customerAddress: "10.20.0.5/30",
      cloudAddress: "10.20.0.6/30",
      standbyCustomerAddress: "10.20.0.9/30",
      standbyCloudAddress: "10.20.0.10/30",
      inPool: true,
    });
    assert.deepEqual(p.used[1], {
      resource: "branch-1-v6",
      type: "VifPeer",
      id: "peer-1",
      interface: "branch-1",
      hostedConnectionId: A,
      ipv6: "fd00:20::/64",
      customerAddress: "fd00:20::1/64",
      cloudAddress: "fd00:20::2/64",
      inPool: true,
    });
    assert.deepEqual(p.held, []);
  });

  it("lists an IPv6 peer that this stack's interface carries but its state does not (an interrupted run's)", () => {
    const withLeftover: LiveFacts = {
      ...live,
      interfaces: live.interfaces.map((v) =>
        v.id !== "vif-1"
          ? v
          : {
              ...v,
              peers: [
                ...v.peers,
                { id: "peer-x", addressFamily: "ipv6", customerAddress: "fd00:20:0:3::1/64" },
              ],
            },
      ),
    };
    const p = report(withLeftover).pools[0];
    const leftover = p.others.find((o) => o.networks?.includes("fd00:20:0:3::/64"));
    assert.ok(leftover, JSON.stringify(p.others));
    assert.equal(leftover.kind, "live");
    assert.match(leftover.holder, /^an IPv6 peer not in this stack's state, on virtual interface vif-1/);
    assert.equal(p.free.ipv6!.others, 1);
  });

  it("counts the free VLANs per connection and /30s and /64s, with the live holders of other owners", () => {
    const p = report(live).pools[0];
    assert.deepEqual(p.free.vlans, [
      { hostedConnectionId: A, total: 10, thisStack: 1, others: 1, reserved: 1, free: 7 },
      { hostedConnectionId: B, total: 10, thisStack: 1, others: 0, reserved: 1, free: 8 },
    ]);
    assert.deepEqual(p.free.pairs, {
      total: 8,
      thisStack: 4,
      others: 1,
      reserved: 1,
      vpc: 0,
      free: 2,
      perLink: 2,
    });
    assert.deepEqual(p.free.ipv6, { total: 4, thisStack: 1, others: 0, reserved: 0, free: 3 });
    // The pinned link of this stack (VLAN 77, outside the range) and the foreign interface; not our own live one.
    assert.deepEqual(
      p.others.map((o) => [o.kind, o.vlan, o.networks]),
      [
        ["stack", 77, ["10.99.0.0/30"]],
        ["live", 1002, ["10.20.0.20/30"]],
      ],
    );
    assert.equal(
      p.others[1].holder,
      `virtual interface foreign-1 ("foreign", marked as owned by stack other/prod)`,
    );
    assert.equal(p.others[1].owner, "other/prod/x");
    // The next link: the connection with fewer pool VLANs in use (B), its lowest free VLAN, the two lowest free /30s.
    assert.deepEqual(p.next.interface, {
      hostedConnectionId: B,
      borderGatewayId: GW,
      vlan: 1002,
      customerAddress: "10.20.0.25/30",
      cloudAddress: "10.20.0.26/30",
      standbyCustomerAddress: "10.20.0.29/30",
      standbyCloudAddress: "10.20.0.30/30",
    });
    assert.deepEqual(p.next.peer, {
      customerAddress: "fd00:20:0:1::1/64",
      cloudAddress: "fd00:20:0:1::2/64",
    });
  });

  it("without the live API counts the state alone, and says so in the report", () => {
    const r = report(undefined);
    assert.equal(r.basis.live, false);
    assert.match(
      r.basis.note,
      /^Counts hold only this stack's state and the reserve list: the live API was not read \(no credentials\)/,
    );
    assert.equal(r.pools[0].free.vlans![0].others, 0);
    assert.equal(r.pools[0].free.vlans![0].free, 8);
    const text = renderPoolReport(r);
    assert.ok(text.includes(r.basis.note));
    assert.match(text, /Used by others \(1\):\n {4}resource "pinned" of this stack/);
  });

  it("renders the pool for a terminal: definition, used slots with owners, held none, free counts, next", () => {
    const text = renderPoolReport(report(live));
    assert.match(
      text,
      /^Pools of stack dev: 1 pool\(s\), 3 resource\(s\) allocated from them \(profile jd-hosted\)\.\n/,
    );
    assert.ok(
      text.includes(
        `Counts hold this stack's state and the live interfaces and peers at http://127.0.0.1:9999`,
      ),
    );
    assert.ok(
      text.includes(
        `Pool "branches"\n  hosted connections  ${A}, ${B}\n  gateway             ${GW}\n  vlans               1000-1009\n`,
      ),
    );
    assert.ok(text.includes("  reserved            vlans 1000; networks 10.20.0.0/30\n"));
    assert.ok(
      text.includes(
        `    branch-1     HostedVif  connection ${A} VLAN 1001: customer 10.20.0.5/30, cloud 10.20.0.6/30; standby customer 10.20.0.9/30, cloud 10.20.0.10/30\n`,
      ),
      text,
    );
    assert.ok(
      text.includes(
        "    branch-1-v6  VifPeer    on branch-1, fd00:20::/64: customer fd00:20::1/64, cloud fd00:20::2/64\n",
      ),
      text,
    );
    assert.ok(
      text.includes(
        `virtual interface foreign-1 ("foreign", marked as owned by stack other/prod): connection ${A} VLAN 1002; 10.20.0.20/30`,
      ),
    );
    assert.match(
      text,
      /  Held: none \(no PoolLedger of this stack holds a released slot of this pool back\)/,
    );
    assert.ok(
      text.includes(`    VLANs on ${A}: 7 of 10 VLANs free (used: 1 this stack, 1 others, 1 reserved)\n`),
    );
    assert.ok(
      text.includes(
        "    /30s of 10.20.0.0/27: 2 of 8 /30s free (used: 4 this stack, 1 others, 1 reserved), enough for 1 more link(s)\n",
      ),
    );
    assert.ok(text.includes("    /64s of fd00:20::/62: 3 of 4 /64s free (used: 1 this stack)\n"));
    assert.ok(
      text.includes(
        `  A new link would get: connection ${B} VLAN 1002, customer 10.20.0.25/30 (standby 10.20.0.29/30)\n`,
      ),
    );
    assert.ok(
      text.includes(
        "  A new peer would get: fd00:20:0:1::/64 (unpaired; with pairedWith, the /64 at its interface's /30 index)\n",
      ),
    );
  });

  it("shows what a PoolLedger of the stack holds back, counts it, and never offers it as the next slot", () => {
    const ledger = ledgerOf({
      held: [
        {
          owner: "branch-9",
          hostedConnectionId: B,
          vlan: 1002,
          networks: ["10.20.0.20/30"],
          releasedAt: "2026-12-07T00:00:00.000Z",
          until: "2026-12-08T00:00:00.000Z",
        },
        {
          owner: "expired",
          hostedConnectionId: B,
          vlan: 1002,
          networks: [],
          releasedAt: "2026-12-01T00:00:00.000Z",
          until: "2026-12-02T00:00:00.000Z",
        },
      ],
    });
    const now = Date.parse("2026-12-07T12:00:00.000Z");
    const r = poolReportOf({
      stack: "dev",
      workDir: "/p",
      profile: "jd-hosted",
      resources: [...state, ledger],
      now,
    });
    const p = r.pools[0];
    assert.deepEqual(
      p.held.map((h) => h.owner),
      ["branch-9"],
    );
    const onB = p.free.vlans!.find((v) => v.hostedConnectionId === B)!;
    assert.equal(onB.held, 1);
    assert.ok(p.next.interface);
    assert.notEqual(`${p.next.interface!.hostedConnectionId}/${p.next.interface!.vlan}`, `${B}/1002`);
    assert.equal(p.next.interface!.customerAddress, "10.20.0.25/30");
    assert.equal(p.free.pairs!.held, 1);
    const text = renderPoolReport(r);
    assert.ok(text.includes("  Held back after release (1):\n"), text);
    assert.ok(
      text.includes(
        `    branch-9: connection ${B} VLAN 1002; 10.20.0.20/30 (released 2026-12-07T00:00:00.000Z, held until 2026-12-08T00:00:00.000Z)`,
      ),
      text,
    );
    assert.match(text, /1 held back/);
    // Read from an exported deployment as `dcaas pool` reads it (a newcomer saw "Held: none": the
    // reader kept HostedVifs and VifPeers only), the ledger's held slot is there too.
    const read = stateResourcesOf({ resources: [...state, ledger] });
    assert.deepEqual(
      poolReportOf({
        stack: "dev",
        workDir: "/p",
        profile: "jd-hosted",
        resources: read,
        now,
      }).pools[0].held.map((h) => h.owner),
      ["branch-9"],
    );
    // A slot another stack holds back (a ledger's alsoHold) says whose ledger holds it.
    const theirs = { ...p.held[0], owner: "west-3", stack: "another stack" };
    const text2 = renderPoolReport({ ...r, pools: [{ ...p, held: [theirs] }] });
    assert.ok(
      text2.includes(
        `    west-3: connection ${B} VLAN 1002; 10.20.0.20/30 (released 2026-12-07T00:00:00.000Z, by another stack's ledger, held until 2026-12-08T00:00:00.000Z)`,
      ),
      text2,
    );
  });

  it("counts a slot whose interface is gone since the ledger's last run as held, as the next preview will", () => {
    // The ledger's last run saw vif-7 (branch-7, VLAN 1002 on B); the run that deleted it was that
    // run, so its release is recorded only by the next one. A newcomer saw it offered as next.
    const ledger = ledgerOf({
      held: [],
      ours: [
        {
          id: "vif-1",
          owner: "branch-1",
          hostedConnectionId: A,
          vlan: 1001,
          networks: ["10.20.0.4/30", "10.20.0.8/30"],
        },
        {
          id: "vif-7",
          owner: "branch-7",
          hostedConnectionId: B,
          vlan: 1002,
          networks: ["10.20.0.20/30", "10.20.0.24/30"],
        },
      ],
    });
    const r = poolReportOf({
      stack: "dev",
      workDir: "/p",
      profile: "jd-hosted",
      resources: [...state, ledger],
      live,
    });
    const p = r.pools[0];
    assert.deepEqual(
      p.held.map((h) => [h.owner, h.vlan, h.pending]),
      [["branch-7", 1002, { holdFor: "24h" }]],
    );
    // The pool's last free /30 pair is that slot: no new link would get it.
    assert.equal(p.next.interface, undefined);
    assert.match(p.next.reason!, /2 by slots held back after release/);
    const text = renderPoolReport(r);
    assert.ok(
      text.includes(
        `    branch-7: connection ${B} VLAN 1002; 10.20.0.20/30, 10.20.0.24/30 (its interface is gone since the ledger's last run; the next run holds it back for 24h)`,
      ),
      text,
    );
    // From the state alone (no live read) nothing is known to be gone.
    assert.deepEqual(
      poolReportOf({ stack: "dev", workDir: "/p", profile: "jd-hosted", resources: [...state, ledger] })
        .pools[0].held,
      [],
    );
  });

  it("marks a link outside its pool, and reports a full pool's reason for the next slot", () => {
    const tiny = { ...pool, vlans: "1001-1001", interconnect: "10.20.0.0/29", reserved: undefined };
    const res = state.map((r) => ({
      ...r,
      inputs: r.inputs?.allocation ? { ...r.inputs, allocation: { pool: tiny } } : r.inputs,
    }));
    const p = poolReportOf({ stack: "dev", workDir: "/p", profile: "jd-hosted", resources: res }).pools[0];
    assert.equal(
      p.used.find((s) => s.resource === "branch-2")!.inPool,
      false,
      "10.20.0.13/30 is outside 10.20.0.0/29",
    );
    assert.equal(p.free.vlans![0].free, 0);
    assert.match(p.next.reason!, /pool "branches" has no free VLAN in 1001-1001/);
    assert.match(renderPoolReport({ ...report(), pools: [p] }), /\(outside the pool: kept as it is\)/);
  });

  it("huawei: counts hosted connections (one interface each), and needs the live API for the next slot", () => {
    const hw = { ...pool, vlans: undefined, reserved: undefined };
    const res = state
      .filter((r) => r.type.endsWith("HostedVif") && r.inputs?.allocation)
      .slice(0, 1)
      .map((r) => ({ ...r, inputs: { ...r.inputs, allocation: { pool: hw } } }));
    const p = poolReportOf({ stack: "dev", workDir: "/p", profile: "huawei", resources: res }).pools[0];
    assert.deepEqual(p.free.connections, {
      total: 2,
      thisStack: 1,
      others: 0,
      reserved: 0,
      free: 1,
      freeIds: [B],
    });
    assert.deepEqual(p.free.pairs?.perLink, 1);
    assert.match(p.next.reason!, /only the live API tells/);
    const withLive = poolReportOf({
      stack: "dev",
      workDir: "/p",
      profile: "huawei",
      resources: res,
      live: { ...live, interfaces: [], connections: [{ id: B, vlan: 300, status: "ACTIVE" }] },
    }).pools[0];
    assert.equal(withLive.next.interface?.hostedConnectionId, B);
    assert.equal(withLive.next.interface?.vlan, 300);
  });

  it("reports only the pool asked for, and says a state without pools has none", () => {
    assert.equal(
      poolReportOf({ stack: "dev", workDir: "/p", profile: "jd-hosted", resources: state, only: "x" }).pools
        .length,
      0,
    );
    assert.match(
      renderPoolReport(poolReportOf({ stack: "dev", workDir: "/p", profile: "jd-hosted", resources: [] })),
      /^No pools in stack dev/,
    );
  });

  it("never prints a secret: the state is masked as it is read, and the report again as a whole", () => {
    const deployment = {
      resources: state.map((r) => ({ ...r, inputs: { ...r.inputs, __provider: "exports.handler = ..." } })),
    };
    const read = stateResourcesOf(deployment);
    assert.equal(read[0].inputs!.bgpKey, "[secret]");
    assert.equal(read[0].outputs!.bgpKey, "[secret]");
    assert.equal(read[0].inputs!.__provider, undefined);
    const r = poolReportOf({ stack: "dev", workDir: "/p", profile: "jd-hosted", resources: read, live });
    const text = renderPoolReport(r) + JSON.stringify(maskValue("", r));
    assert.ok(!text.includes(BGP_KEY));
    assert.ok(!JSON.stringify(read).includes(BGP_KEY));
  });

  it("the profile: dcaas:profile, DCAAS_PROFILE, else by endpoint", () => {
    assert.equal(profileOf({ "dcaas:profile": "huawei" }, {}), "huawei");
    assert.equal(profileOf({}, { DCAAS_PROFILE: "huawei" }), "huawei");
    assert.equal(profileOf({ "dcaas:endpoint": "https://dcaas.cn-north-4.myhuaweicloud.com" }, {}), "huawei");
    assert.equal(profileOf({}, {}), "jd-hosted");
  });
});

describe("dcaas pool: the live API", () => {
  const cfg = {
    "dcaas:endpoint": "http://127.0.0.1:9999/",
    "dcaas:projectId": "0123456789abcdef0123456789abcdef",
  };

  it("takes the API access from the stack's configuration, else the environment, or says why not", () => {
    const aksk = apiAccessOf({ ...cfg, "dcaas:accessKey": "AK", "dcaas:secretKey": "SK" }, {});
    assert.deepEqual(aksk, {
      access: {
        endpoint: "http://127.0.0.1:9999",
        projectId: cfg["dcaas:projectId"],
        auth: { kind: "aksk", accessKey: "AK", secretKey: "SK" },
      },
    });
    assert.deepEqual(apiAccessOf(cfg, { DCAAS_TOKEN: "t" }), {
      access: {
        endpoint: "http://127.0.0.1:9999",
        projectId: cfg["dcaas:projectId"],
        auth: { kind: "token", token: "t" },
      },
    });
    assert.match((apiAccessOf({}, {}) as any).why, /no dcaas:endpoint/);
    assert.match((apiAccessOf(cfg, {}) as any).why, /no credentials/);
    assert.match((apiAccessOf(cfg, { DCAAS_USERNAME: "u" }) as any).why, /no dcaas:password/);
    assert.match(
      (apiAccessOf(cfg, { DCAAS_USERNAME: "u", DCAAS_PASSWORD: "p" }) as any).why,
      /no dcaas:domainName/,
    );
    // Password credentials: IAM on the configured endpoint (an emulator), as the provider resolves it.
    assert.deepEqual(
      apiAccessOf({ ...cfg, "dcaas:username": "u", "dcaas:password": "p", "dcaas:domainName": "d" }, {}),
      {
        access: {
          endpoint: "http://127.0.0.1:9999",
          projectId: cfg["dcaas:projectId"],
          auth: {
            kind: "password",
            username: "u",
            password: "p",
            domainName: "d",
            iamEndpoint: "http://127.0.0.1:9999",
          },
        },
      },
    );
  });

  describe("password (IAM) credentials against the emulator (real HTTP on loopback)", () => {
    let emu: RunningEmulator;
    before(async () => {
      emu = await startEmulator({ port: 0, dbPath: ":memory:", adminToken: "pool-unit-admin" });
    });
    after(async () => {
      await emu?.close();
    });
    const access = (password: string) => {
      const a = apiAccessOf(
        {
          "dcaas:endpoint": emu.url,
          "dcaas:projectId": FIXTURES.projectId,
          "dcaas:username": FIXTURES.username,
          "dcaas:password": password,
          "dcaas:domainName": FIXTURES.domainName,
        },
        {},
      );
      assert.ok("access" in a, JSON.stringify(a));
      return a.access;
    };

    it("exchanges the password for a token, then reads the pool's connections and gateway", async () => {
      const facts = await readLiveFacts(access(FIXTURES.password), [
        {
          ...pool,
          hostedConnectionIds: [FIXTURES.hostedConnections.active1],
          borderGatewayId: FIXTURES.gatewayId,
        } as any,
      ]);
      assert.deepEqual(
        facts.connections.map((c) => c.id),
        [FIXTURES.hostedConnections.active1],
      );
      assert.deepEqual(facts.vpcBlocks[FIXTURES.gatewayId], FIXTURES.vpcCidrs);
    });

    it("a wrong password fails in one line naming the user and the keys to check, never the password", async () => {
      const wrong = "not-the-password-7731";
      await assert.rejects(readLiveFacts(access(wrong), [pool as any]), (e: Error) => {
        assert.ok(e instanceof PoolCommandError, String(e));
        assert.match(
          e.message,
          /IAM at http:\/\/127\.0\.0\.1:\d+ refused the token request for user netops of domain dcaas-demo \(HTTP 401/,
        );
        assert.match(e.message, /check dcaas:username, dcaas:password and dcaas:domainName/);
        assert.doesNotMatch(e.message, new RegExp(wrong));
        assert.doesNotMatch(e.message, /\n/);
        return true;
      });
    });
  });

  it("reads interfaces, connections and gateways with GETs only, signed with AK/SK; keeps no key", async () => {
    const calls: { url: string; method: string; headers: Record<string, string> }[] = [];
    const fake = async (url: string, init: { method: string; headers: Record<string, string> }) => {
      calls.push({ url, ...init });
      const u = new URL(url);
      const body = u.pathname.endsWith("/virtual-interfaces")
        ? {
            virtual_interfaces:
              u.searchParams.get("direct_connect_id") === A
                ? [
                    {
                      id: "foreign-1",
                      name: "foreign",
                      direct_connect_id: A,
                      vgw_id: GW,
                      vlan: 1002,
                      status: "ACTIVE",
                      bgp_md5: BGP_KEY,
                      remote_gateway_v4_ip: "10.20.0.21/30",
                      tags: [{ key: "pulumi-dcaas:owner", value: "other/prod/x" }],
                      vif_peers: [
                        {
                          id: "p9",
                          address_family: "ipv6",
                          remote_gateway_ip: "fd00:20:0:3::1/64",
                          bgp_md5: BGP_KEY,
                        },
                      ],
                    },
                  ]
                : [],
            page_info: {},
            request_id: "r",
          }
        : u.pathname.includes("/direct-connects/")
          ? {
              direct_connect: {
                id: u.pathname.split("/").pop(),
                vlan: null,
                status: "ACTIVE",
                type: "hosted",
              },
            }
          : { virtual_gateway: { id: GW, local_ep_group: ["192.168.0.0/16"] } };
      return { status: 200, text: async () => JSON.stringify(body) };
    };
    const access = (apiAccessOf({ ...cfg, "dcaas:accessKey": "AK", "dcaas:secretKey": "SK" }, {}) as any)
      .access;
    const facts = await readLiveFacts(access, [pool as any], fake);
    assert.ok(calls.every((c) => c.method === "GET"));
    assert.ok(
      calls.every((c) =>
        /^SDK-HMAC-SHA256 Access=AK, SignedHeaders=.*, Signature=[0-9a-f]{64}$/.test(c.headers.Authorization),
      ),
    );
    assert.equal(calls.length, 6, "two connection lists, one gateway list, two connections, one gateway");
    assert.deepEqual(facts.vpcBlocks, { [GW]: ["192.168.0.0/16"] });
    assert.equal(facts.interfaces.length, 1);
    assert.equal(facts.interfaces[0].owner, "other/prod/x");
    assert.ok(!JSON.stringify(facts).includes(BGP_KEY), "bgp_md5 is not kept");
    const p = poolReportOf({
      stack: "dev",
      workDir: "/p",
      profile: "jd-hosted",
      resources: state,
      live: facts,
    }).pools[0];
    assert.equal(p.free.ipv6?.others, 1);
    assert.equal(p.free.vlans![0].others, 1);
  });

  it("a refused or unreachable API is one line saying what to do, with --state-only", async () => {
    const access = (apiAccessOf({ ...cfg, "dcaas:token": "t" }, {}) as any).access;
    const refused = async () => ({
      status: 401,
      text: async () => JSON.stringify({ error_code: "APIGW.0301", error_msg: "bad token" }),
    });
    await assert.rejects(readLiveFacts(access, [pool as any], refused), (e: Error) => {
      assert.ok(e instanceof PoolCommandError);
      assert.match(
        e.message,
        /refused GET \/virtual-interfaces \(HTTP 401 APIGW\.0301: bad token\).*--state-only/,
      );
      return true;
    });
    const down = async () => {
      throw Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    };
    await assert.rejects(
      readLiveFacts(access, [pool as any], down),
      /is unreachable \(ECONNREFUSED, GET .*--state-only/,
    );
  });
});

describe("dcaas pool: the command line", () => {
  async function capture(fn: () => Promise<number>) {
    const out: string[] = [];
    const err: string[] = [];
    const o = process.stdout.write.bind(process.stdout);
    const e = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
    process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
    try {
      return { code: await fn(), out: out.join(""), err: err.join("") };
    } finally {
      process.stdout.write = o;
      process.stderr.write = e;
    }
  }

  it("takes drift's arguments; a positional that is not a directory hints at --pool; unknown options exit 2", async () => {
    const r = await capture(() => main(["pool", "branches", "--json"]));
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /^dcaas pool: no directory .*branches \(to report one pool, pass --pool branches\)\n$/,
    );
    assert.match(JSON.parse(r.out).error, /no directory/);
    const bad = await capture(() => main(["pool", "--bogus"]));
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^dcaas pool: unknown option --bogus\n/);
    const help = await capture(() => main(["pool", "--help"]));
    assert.equal(help.code, 0);
    assert.match(help.out, /dcaas pool \[DIR\] \[--stack NAME\] \[--pool NAME\] \[--state-only\] \[--json\]/);
    assert.match((await capture(() => main(["pol"]))).err, /unknown command pol \(did you mean pool\?\)/);
  });
});
