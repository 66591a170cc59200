// The provider's live check against the in-process emulator: a resource never conflicts with its
// own live object (an update or a delete-first replacement: its old inputs; an interrupted create:
// its own mark), while any other holder of the VLAN fails it; reads are cached for the run.
import * as assert from "node:assert/strict";
import { FIXTURES } from "../../emulator";
import { checkHostedVifLive } from "../../provider/hostedVif";
import { checkVifPeerLive } from "../../provider/vifPeer";
import { configure, resetConfiguration } from "../../provider/impl";
import { ownerTags } from "../../provider/ownership";
import { admin, type Emulator, newRun, start, VIF_ROUTE } from "./helpers";

/** A static IPv6 peer "branch-1-v6" on the interface `vifId`, as its checks take it. */
const v6PeerOn = (vifId: string) => ({
  vifId,
  name: "branch-1-v6",
  addressFamily: "ipv6",
  customerAddress: "fd00:10::2/64",
  cloudAddress: "fd00:10::1/64",
  routeMode: "static",
  remoteSubnets: ["fd00:50::/64"],
});
describe("live checks in check() against the emulator", function () {
  this.timeout(60_000);
  let emu: Emulator;
  const inputs = {
    __owner: "proj/stack/branch-1",
    name: "branch-1",
    hostedConnectionId: FIXTURES.hostedConnections.active1,
    borderGatewayId: FIXTURES.gatewayId,
    vlan: 301,
    routeMode: "static",
    customerAddress: "10.0.0.1/30",
    cloudAddress: "10.0.0.2/30",
    remoteSubnets: ["192.168.50.0/24"],
  };

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

  async function liveInterface(tags?: { key: string; value: string }[], vlan = 301) {
    const r = await fetch(`${emu.url}/v3/${FIXTURES.projectId}/dcaas/virtual-interfaces`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-auth-token": FIXTURES.token },
      body: JSON.stringify({
        virtual_interface: {
          name: "branch-1",
          direct_connect_id: inputs.hostedConnectionId,
          vgw_id: inputs.borderGatewayId,
          vlan,
          route_mode: "static",
          remote_gateway_v4_ip: `10.0.${vlan - 301}.1/30`,
          local_gateway_v4_ip: `10.0.${vlan - 301}.2/30`,
          remote_ep_group: ["192.168.50.0/24"],
          ...(tags ? { tags } : {}),
        },
      }),
    });
    const text = await r.text();
    assert.equal(r.status, 201, text);
    return (JSON.parse(text) as { virtual_interface: { id: string } }).virtual_interface.id;
  }

  it("another holder of the VLAN and /30 fails check (DC.1209, DC.0004), naming it", async () => {
    await liveInterface();
    const r = await checkHostedVifLive({}, inputs);
    assert.deepEqual(
      r.failures.map((f) => f.property),
      ["vlan", "customerAddress"],
    );
    assert.match(
      r.failures[0].reason,
      /already used .* by virtual interface [0-9a-f-]{36} \("branch-1"\) \(DC\.1209\)/,
    );
    assert.match(
      r.failures[1].reason,
      /overlaps a subnet already used by virtual interface [0-9a-f-]{36} .*\(DC\.0004\)/,
    );
  });

  it("missing configuration suggests dcaas:liveChecks=off; an invalid value of another key does not", async () => {
    resetConfiguration();
    await configure({ config: { get: () => undefined } });
    const saved = { ...process.env };
    try {
      for (const k of Object.keys(process.env)) if (/^(DCAAS|HW)_/.test(k)) delete process.env[k];
      const missing = await checkHostedVifLive({}, inputs);
      assert.equal(missing.failures.length, 1);
      assert.match(
        missing.failures[0].reason,
        /^missing configuration: .*up needs it too; only a preview without API access should skip them, with dcaas:liveChecks=off\)$/,
      );
      resetConfiguration();
      const cfg: Record<string, string> = {
        "dcaas:endpoint": emu.url,
        "dcaas:projectId": FIXTURES.projectId,
        "dcaas:token": FIXTURES.token,
        "dcaas:learnWaits": "maybe",
      };
      await configure({ config: { get: (k: string) => cfg[k] } });
      const invalid = await checkHostedVifLive({}, inputs);
      assert.equal(invalid.failures.length, 1);
      assert.match(invalid.failures[0].reason, /^invalid configuration "dcaas:learnWaits"/);
      assert.doesNotMatch(invalid.failures[0].reason, /liveChecks/);
    } finally {
      process.env = saved;
    }
  });

  it("its own live object (old inputs: an update, or a replacement that deletes first) never conflicts", async () => {
    await liveInterface();
    const update = await checkHostedVifLive(inputs, { ...inputs, description: "new" });
    assert.deepEqual(update.failures, []);
    const replacement = await checkHostedVifLive(inputs, { ...inputs, remoteSubnets: ["192.168.51.0/24"] });
    assert.deepEqual(replacement.failures, []);
  });

  it("the object an interrupted create left (its own mark, same intent) never conflicts; another stack's does", async () => {
    await liveInterface([{ key: "pulumi-dcaas:owner", value: "proj/stack/branch-1" }]);
    assert.deepEqual((await checkHostedVifLive({}, inputs)).failures, []);
    await newRun(emu);
    const other = await checkHostedVifLive({}, { ...inputs, __owner: "proj/other/branch-1" });
    assert.equal(other.failures[0]?.property, "vlan", JSON.stringify(other.failures));
  });

  it("reads once per distinct connection and gateway, whatever the number of resources", async () => {
    for (let i = 0; i < 10; i++) {
      const r = await checkHostedVifLive(
        {},
        {
          ...inputs,
          __owner: `proj/stack/vif-${i}`,
          name: `vif-${i}`,
          vlan: 400 + i,
          customerAddress: `10.1.${i}.1/30`,
          cloudAddress: `10.1.${i}.2/30`,
        },
      );
      assert.deepEqual(r.failures, []);
    }
    const { counts } = await admin(emu).requests();
    const reads = counts.filter((c: any) => !c.route.startsWith("/_emulator"));
    assert.ok(
      reads.every((c: any) => c.method === "GET"),
      JSON.stringify(reads),
    );
    assert.equal(
      reads.reduce((n: number, c: any) => n + c.count, 0),
      4,
      JSON.stringify(reads),
    );
  });

  it("a peer's check on an interface a list already answered reads nothing more (no GET per peer)", async () => {
    const vifId = await liveInterface([{ key: "pulumi-dcaas:owner", value: "proj/stack/branch-1" }]);
    await admin(emu).status("virtual-interfaces", vifId, "ACTIVE");
    // An interface's check lists the interfaces on its connection and gateway.
    const other = await checkHostedVifLive(
      {},
      {
        ...inputs,
        __owner: "proj/stack/vif-x",
        name: "vif-x",
        vlan: 402,
        customerAddress: "10.2.0.1/30",
        cloudAddress: "10.2.0.2/30",
      },
    );
    assert.deepEqual(other.failures, []);
    await admin(emu).clearRequests();
    const peer = { ...v6PeerOn(vifId), __owner: "proj/stack/branch-1-v6" };
    assert.deepEqual((await checkVifPeerLive({}, peer)).failures, []);
    const { counts } = await admin(emu).requests();
    const reads = counts.filter((c: any) => !c.route.startsWith("/_emulator"));
    assert.deepEqual(reads, [], JSON.stringify(reads));
    // An interface no list has answered is still read with a GET, once.
    const unlisted = await liveInterface(undefined, 303);
    await admin(emu).status("virtual-interfaces", unlisted, "ACTIVE");
    await newRun(emu);
    await checkVifPeerLive({}, { ...peer, vifId: unlisted, name: "b2", __owner: "proj/stack/b2" });
    const after = (await admin(emu).requests()).counts.filter((c: any) => c.route === VIF_ROUTE);
    assert.equal(
      after.reduce((n: number, c: any) => n + c.count, 0),
      1,
      JSON.stringify(after),
    );
  });

  it("a peer on this stack's interface still PENDING_CREATE (an earlier create timed out) passes; on another stack's it fails (DC.1205)", async () => {
    const vifId = await liveInterface([{ key: "pulumi-dcaas:owner", value: "proj/stack/branch-1" }]);
    await admin(emu).status("virtual-interfaces", vifId, "PENDING_CREATE");
    const peer = v6PeerOn(vifId);
    const ours = await checkVifPeerLive({}, { ...peer, __owner: "proj/stack/branch-1-v6" });
    assert.deepEqual(ours.failures, []);
    const theirs = await checkVifPeerLive({}, { ...peer, __owner: "proj/other/branch-1-v6" });
    assert.match(
      theirs.failures[0]?.reason ?? "",
      /PENDING_CREATE, not ACTIVE.*DC\.1205/,
      JSON.stringify(theirs.failures),
    );
  });

  it("credentials of another project: one failure naming APIGW.0302 and what to check, as one sentence", async () => {
    resetConfiguration();
    const cfg: Record<string, string> = {
      "dcaas:endpoint": emu.url,
      "dcaas:projectId": FIXTURES.projectId,
      "dcaas:token": FIXTURES.otherProject.token,
      "dcaas:maxRetries": "0",
    };
    await configure({ config: { get: (k: string) => cfg[k] } });
    const r = await checkHostedVifLive({}, inputs);
    assert.equal(r.failures.length, 1, JSON.stringify(r.failures));
    assert.match(
      r.failures[0].reason,
      /^live checks could not read the API: APIGW\.0302: The credentials are bound to another project, not [0-9a-f]{32}; check the credentials /,
    );
    assert.doesNotMatch(r.failures[0].reason, /\.;/);
  });

  describe("importId at preview", () => {
    /** Runs check, capturing the provider's output lines (what the engine shows at preview). */
    async function checkCapturing(news: Record<string, unknown>) {
      const lines: string[] = [];
      const write = process.stdout.write;
      process.stdout.write = ((chunk: unknown) => {
        lines.push(String(chunk));
        return true;
      }) as typeof process.stdout.write;
      try {
        return { r: await checkHostedVifLive({}, news), out: lines.join("") };
      } finally {
        process.stdout.write = write;
      }
    }

    it("another stack's interface fails preview naming importFromOtherStack; with it, preview says it adopts", async () => {
      const id = await liveInterface(ownerTags("proj/other-stack/their-branch"));
      const news = { ...inputs, importId: id };
      const refused = await checkCapturing(news);
      assert.deepEqual(
        refused.r.failures.map((f) => f.property),
        ["importId"],
      );
      assert.equal(
        refused.r.failures[0].reason,
        `cannot adopt virtual interface ${id}: it is marked as owned by stack proj/other-stack (resource their-branch), not by this stack; two stacks managing one object would delete it under each other. If that stack no longer manages it, set importFromOtherStack: true`,
      );
      assert.doesNotMatch(refused.out, /adopts/);
      const allowed = await checkCapturing({ ...news, importFromOtherStack: true });
      assert.deepEqual(allowed.r.failures, []);
      assert.match(
        allowed.out,
        new RegExp(
          `HostedVif "branch-1" adopts virtual interface ${id} \\("branch-1", ACTIVE\\) named by importId: the preview shows a create; up takes the existing interface over, and creates nothing`,
        ),
      );
    });

    it("an unmarked interface: preview says it adopts it (and renames it); a missing or different one fails", async () => {
      const id = await liveInterface();
      const adopt = await checkCapturing({ ...inputs, name: "branch-9", importId: id });
      assert.deepEqual(adopt.r.failures, []);
      assert.match(adopt.out, /adopts virtual interface .*, renamed to "branch-9", and creates nothing/);
      const missing = "6f1c2d3e-0001-4a5b-8c9d-0000000000ff";
      const gone = await checkCapturing({ ...inputs, importId: missing });
      // (The live interface still holds the VLAN and /30 too: those fail as for any create.)
      assert.deepEqual(
        gone.r.failures.find((f) => f.property === "importId"),
        { property: "importId", reason: `there is no virtual interface ${missing} in this project to adopt` },
      );
      const other = await checkCapturing({ ...inputs, vlan: 302, importId: id });
      assert.deepEqual(
        other.r.failures.map((f) => f.property),
        ["importId"],
      );
      assert.match(
        other.r.failures[0].reason,
        new RegExp(
          `^cannot adopt virtual interface ${id}: fields that cannot change in place differ from the program: vlan`,
        ),
      );
    });
  });

  describe("against an emulator that enforces another profile", () => {
    let hw: Emulator;
    before(async () => {
      hw = await start({ profile: "huawei" });
    });
    after(async () => {
      resetConfiguration();
      await hw?.close();
    });

    it("fails check at preview, naming both profiles and the setting, instead of a DC.1207 at up", async () => {
      resetConfiguration();
      const cfg: Record<string, string> = {
        "dcaas:endpoint": hw.url,
        "dcaas:projectId": FIXTURES.projectId,
        "dcaas:token": FIXTURES.token,
      };
      await configure({ config: { get: (k: string) => cfg[k] } });
      // VLAN 500 passes the jd-hosted rules; the huawei emulator wants the hosted connection's VLAN.
      const r = await checkHostedVifLive({}, { ...inputs, vlan: 500 });
      assert.equal(r.failures.length, 1, JSON.stringify(r.failures));
      assert.equal(r.failures[0].property, "");
      assert.equal(
        r.failures[0].reason,
        `the API at ${hw.url} enforces the huawei rules (dcaas-emulator --profile huawei), but the provider checks with jd-hosted (dcaas:profile, or the default for this endpoint), so preview would pass what up is refused: set dcaas:profile to huawei (\`pulumi config set dcaas:profile huawei\`, or DCAAS_PROFILE=huawei)`,
      );
      // With the profile set, the huawei rule itself speaks: the VLAN must be the connection's.
      resetConfiguration();
      await configure({ config: { get: (k: string) => ({ ...cfg, "dcaas:profile": "huawei" })[k] } });
      const again = await checkHostedVifLive({}, { ...inputs, vlan: 500 }, "huawei");
      assert.ok(again.failures.length >= 1, JSON.stringify(again));
      assert.ok(
        again.failures.every((f) => !/enforces the huawei rules/.test(f.reason)),
        JSON.stringify(again.failures),
      );
      assert.ok(
        again.failures.some((f) => f.property === "vlan"),
        JSON.stringify(again.failures),
      );
    });
  });
});
