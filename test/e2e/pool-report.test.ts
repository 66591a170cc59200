// `dcaas pool` through the real engine with the packed package against the emulator: a stack with
// three links and two IPv6 peers allocated from a pool, and a foreign interface created out of band
// on the pool's connection. The report (text and --json) shows the pool's definition, each link's
// slot from the state, the foreign interface as held by another owner, the free counts and the slot
// a new link gets; the next `pulumi preview` shows exactly that slot. --state-only says it counts
// the state alone; the BGP key the links carry is never printed.
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { EmulatorAdmin } from "../helpers/emulatorAdmin";
import { packedProject } from "../helpers/project";
import { newStack, tearDownStack, tempBackend, type TempBackend } from "../helpers/pulumi";
import { depositSecrets, depositText, depositTree } from "../helpers/scan";

const execFileP = promisify(execFile);
const ADMIN = "e2e-pool-report-admin-token";
const BGP_KEY = "e2e-pool-bgp-key-5d2e81";

describe("e2e: dcaas pool reports a pool's used, free and held slots", function () {
  this.timeout(900_000);
  let emu: RunningEmulator;
  let admin: EmulatorAdmin;
  let backend: TempBackend;
  let project: string;
  let stack: Stack;
  let pool: Record<string, unknown>;
  const output: string[] = [];
  const onOutput = (s: string) => output.push(s);

  async function dcaas(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const bin = path.join(project, "node_modules/.bin/dcaas");
    const env = { ...process.env, ...backend.envVars, PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
    try {
      const { stdout, stderr } = await execFileP(bin, args, { env });
      output.push(stdout, stderr);
      return { code: 0, stdout, stderr };
    } catch (err: any) {
      output.push(err.stdout ?? "", err.stderr ?? "");
      return { code: err.code, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
    }
  }

  before(async () => {
    project = packedProject();
    depositSecrets("pool-report", [ADMIN, BGP_KEY]);
    emu = await startEmulator({
      port: 0,
      adminToken: ADMIN,
      delays: { vifCreate: 100, vifDelete: 50, peerCreate: 50, peerDelete: 50 },
    });
    admin = new EmulatorAdmin(emu.url, ADMIN);
    backend = tempBackend();
    const a = emu.fixtures;
    pool = {
      name: "branches",
      hostedConnectionIds: [a.hostedConnections.active1, a.hostedConnections.active2],
      borderGatewayId: a.gatewayId,
      vlans: "1000-1009",
      interconnect: "10.20.0.0/26",
      ipv6: "fd00:20::/60",
      reserved: { vlans: [1000], networks: ["10.20.0.0/30"] },
    };
    const link = (name: string) => ({
      name,
      routeMode: "bgp",
      bgpAsn: 65010,
      bgpKey: true,
      allocation: { pool },
    });
    const peer = (vif: string) => ({ vif, routeMode: "bgp", bgpAsn: 65010, allocation: { pool } });
    stack = await newStack(project, backend, "pool", { PULUMI_NODEJS_TRANSPILE_ONLY: "true" });
    await stack.setAllConfig({
      "dcaas:endpoint": { value: emu.url },
      "dcaas:projectId": { value: a.projectId },
      "dcaas:accessKey": { value: a.accessKey, secret: true },
      "dcaas:secretKey": { value: a.secretKey, secret: true },
      "dcaas:pollInterval": { value: "100ms" },
      bgpKey: { value: BGP_KEY, secret: true },
      spec: {
        value: JSON.stringify({
          vifs: { "branch-1": link("branch-1"), "branch-2": link("branch-2"), "branch-3": link("branch-3") },
          peers: { "branch-1-v6": peer("branch-1"), "branch-2-v6": peer("branch-2") },
        }),
      },
    });
    const up = await stack.up({ onOutput });
    assert.equal(up.summary.result, "succeeded");
  });

  after(async () => {
    try {
      if (stack) await tearDownStack(stack, { tolerateFailure: true }).catch(() => undefined);
    } finally {
      if (backend) depositTree("pool-report", "state", `${backend.dir}/state`);
      depositText("pool-report", "engine-output", output.join("\n"));
      await emu?.close();
      backend?.cleanup();
    }
  });

  let foreignId: string;

  it("--json: the pool's definition, this stack's slots as the API holds them, the foreign holder, free counts", async () => {
    const a = emu.fixtures;
    // Someone else's interface on the pool's first connection, on a pool VLAN and /30.
    const res = await fetch(`${emu.url}/v3/${a.projectId}/dcaas/virtual-interfaces`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-auth-token": a.token },
      body: JSON.stringify({
        virtual_interface: {
          name: "foreign",
          direct_connect_id: a.hostedConnections.active1,
          vgw_id: a.gatewayId,
          vlan: 1005,
          route_mode: "static",
          remote_gateway_v4_ip: "10.20.0.41/30",
          local_gateway_v4_ip: "10.20.0.42/30",
          remote_ep_group: ["192.168.77.0/24"],
        },
      }),
    });
    const created = await res.text();
    assert.equal(res.status, 201, created);
    foreignId = (JSON.parse(created) as any).virtual_interface.id;

    const r = await dcaas(["pool", project, "--stack", stack.name, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.stack, stack.name);
    assert.equal(report.basis.live, true);
    assert.equal(report.basis.endpoint, emu.url);
    assert.equal(report.pools.length, 1);
    const p = report.pools[0];
    assert.equal(p.name, "branches");
    assert.deepEqual(p.definition, {
      hostedConnectionIds: [a.hostedConnections.active1, a.hostedConnections.active2].map((x) =>
        x.toLowerCase(),
      ),
      borderGatewayId: a.gatewayId.toLowerCase(),
      vlans: "1000-1009",
      interconnect: "10.20.0.0/26",
      ipv6: "fd00:20::/60",
      standby: true,
      customerHost: "first",
      reserved: { vlans: [1000], networks: ["10.20.0.0/30"] },
    });
    assert.deepEqual(p.held, []);
    // Each link's slot in the report is the one the live interface has.
    const live = (await admin.interfaces(a.projectId)).filter((v: any) => v.status !== "DELETED");
    const links = p.used.filter((s: any) => s.type === "HostedVif");
    assert.deepEqual(
      links.map((s: any) => s.resource),
      ["branch-1", "branch-2", "branch-3"],
    );
    for (const s of links) {
      const v = live.find((x: any) => x.name === s.resource);
      assert.ok(v, s.resource);
      assert.equal(s.id, v.id);
      assert.equal(s.hostedConnectionId, v.direct_connect_id.toLowerCase());
      assert.equal(s.vlan, v.vlan);
      assert.equal(s.customerAddress, v.remote_gateway_v4_ip);
      assert.equal(s.cloudAddress, v.local_gateway_v4_ip);
      assert.equal(s.standbyCustomerAddress, v.standby_remote_gateway_v4_ip);
      assert.equal(s.inPool, true);
    }
    // Each link, then its peers; a peer's /64 is the one its live peer has.
    assert.deepEqual(
      p.used.map((s: any) => s.resource),
      ["branch-1", "branch-1-v6", "branch-2", "branch-2-v6", "branch-3"],
    );
    const peers = p.used.filter((s: any) => s.type === "VifPeer");
    assert.deepEqual(
      peers.map((s: any) => s.interface),
      ["branch-1", "branch-2"],
    );
    assert.deepEqual(peers.map((s: any) => s.ipv6).sort(), ["fd00:20:0:1::/64", "fd00:20::/64"]);
    for (const s of peers) {
      const v = live.find((x: any) => x.name === s.interface);
      const lp = v.vif_peers.find((x: any) => x.id === s.id);
      assert.ok(lp, `${s.resource}: no live peer ${s.id}`);
      assert.equal(s.customerAddress, lp.remote_gateway_ip);
      assert.equal(s.cloudAddress, lp.local_gateway_ip);
    }
    const foreign = p.others.filter((o: any) => o.kind === "live");
    assert.equal(foreign.length, 1, JSON.stringify(p.others));
    assert.equal(foreign[0].holder, `virtual interface ${foreignId} ("foreign")`);
    assert.equal(foreign[0].vlan, 1005);
    assert.deepEqual(foreign[0].networks, ["10.20.0.40/30"]);
    // 10 VLANs per connection; 3 links spread over 2 connections; VLAN 1000 reserved; 1005 foreign on the first.
    const vlanUse = p.free.vlans.map((v: any) => [v.thisStack, v.others, v.reserved, v.free]);
    const mineTotal = vlanUse.reduce((n: number, v: number[]) => n + v[0], 0);
    assert.equal(mineTotal, 3);
    assert.deepEqual(
      vlanUse.map((v: number[]) => v[1]),
      [1, 0],
    );
    for (const v of vlanUse) assert.equal(v[0] + v[1] + v[2] + v[3], 10);
    // 16 /30s: 6 of this stack (3 links, primary and standby), 1 foreign, 1 reserved.
    assert.deepEqual(
      [
        p.free.pairs.total,
        p.free.pairs.thisStack,
        p.free.pairs.others,
        p.free.pairs.reserved,
        p.free.pairs.free,
      ],
      [16, 6, 1, 1, 8],
    );
    assert.deepEqual([p.free.ipv6.total, p.free.ipv6.thisStack, p.free.ipv6.free], [16, 2, 14]);
    assert.ok(!r.stdout.includes(BGP_KEY), "the BGP key is in the report");
    assert.ok(!r.stdout.includes(a.secretKey), "the secret key is in the report");
  });

  it("prints the same for people, and a new link previews exactly the slot the report names", async () => {
    const r = await dcaas(["pool", project, "--stack", stack.name]);
    assert.equal(r.code, 0, r.stderr);
    const text = r.stdout;
    console.log(
      text
        .split("\n")
        .map((l) => `      | ${l}`)
        .join("\n"),
    );
    assert.match(
      text,
      /^Pools of stack \S+: 1 pool\(s\), 5 resource\(s\) allocated from them \(profile jd-hosted\)\.\n/,
    );
    assert.ok(
      text.includes(`Counts hold this stack's state and the live interfaces and peers at ${emu.url}`),
    );
    assert.match(text, /\nPool "branches"\n {2}hosted connections {2}\S+, \S+\n/);
    assert.match(
      text,
      /\n {4}branch-1 +HostedVif {2}connection \S+ VLAN 10\d\d: customer 10\.20\.0\.\d+\/30, cloud /,
    );
    assert.match(
      text,
      /\n {4}branch-1-v6 +VifPeer {4}on branch-1, fd00:20(:0:1)?::\/64: customer fd00:20(:0:1)?::1\/64, cloud fd00:20(:0:1)?::2\/64\n {4}branch-2 /,
    );
    assert.ok(text.includes(`virtual interface ${foreignId} ("foreign"): connection`), text);
    assert.match(
      text,
      /\n {2}Held: none \(no PoolLedger of this stack holds a released slot of this pool back\)/,
    );
    assert.match(
      text,
      /\/30s of 10\.20\.0\.0\/26: 8 of 16 \/30s free \(used: 6 this stack, 1 others, 1 reserved\), enough for 4 more link\(s\)\n/,
    );
    const next = /A new link would get: connection (\S+) VLAN (\d+), customer (\S+) \(standby (\S+)\)/.exec(
      text,
    );
    assert.ok(next, text);
    assert.ok(!text.includes(BGP_KEY), "the BGP key is in the report");

    // The next preview allocates exactly that slot to a new link.
    const spec = JSON.parse((await stack.getConfig("spec")).value);
    spec.vifs["branch-4"] = { ...spec.vifs["branch-1"], name: "branch-4" };
    await stack.setConfig("spec", { value: JSON.stringify(spec) });
    let shown: any;
    await stack.preview({
      onOutput,
      onEvent: (e: EngineEvent) => {
        const m = e.resourcePreEvent?.metadata;
        if (m?.op === "create" && m.urn.endsWith("::branch-4")) shown = m.new?.inputs;
      },
    });
    assert.ok(shown, "no create of branch-4 in the preview");
    assert.deepEqual(
      [shown.hostedConnectionId, shown.vlan, shown.customerAddress, shown.standbyCustomerAddress],
      [next[1], Number(next[2]), next[3], next[4]],
    );
    delete spec.vifs["branch-4"];
    await stack.setConfig("spec", { value: JSON.stringify(spec) });
  });

  it("--state-only counts the state alone and says so; --pool names an unknown pool in one line", async () => {
    const r = await dcaas(["pool", project, "--stack", stack.name, "--state-only", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.basis.live, false);
    assert.match(
      report.basis.note,
      /^Counts hold only this stack's state and the reserve list: the live API was not read \(--state-only\)/,
    );
    assert.deepEqual(report.pools[0].others, []);
    assert.equal(report.pools[0].free.pairs.others, 0);
    const text = await dcaas(["pool", project, "--stack", stack.name, "--state-only"]);
    assert.ok(text.stdout.includes("the live API was not read (--state-only)"), text.stdout);
    assert.ok(text.stdout.includes("Used by others: not read (this stack's state only)"), text.stdout);

    const none = await dcaas(["pool", project, "--stack", stack.name, "--pool", "nope"]);
    assert.equal(none.code, 2);
    assert.equal(
      none.stderr,
      `dcaas pool: stack ${stack.name} has no pool named "nope" (its pools: "branches")\n`,
    );
  });
});
