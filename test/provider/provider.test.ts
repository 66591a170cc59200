// The provider methods against the in-process emulator over loopback HTTP: the objects the
// program-side provider reaches through `require("pulumi-dcaas/impl")` (compiled dist/).
import assert from "node:assert/strict";
import * as net from "node:net";
import { FIXTURES } from "../../emulator";
import { hostedVifProvider, vifPeerProvider } from "../../provider";
import {
  admin,
  clearLog,
  type Emulator,
  fault,
  logged,
  PEERS_ROUTE,
  rejection,
  start,
  SUITE_STACK,
  useEnv,
  VIF_ROUTE,
  vifInputs,
  VIFS_ROUTE,
} from "./helpers";

const hv = hostedVifProvider as Required<typeof hostedVifProvider>;
const vp = vifPeerProvider as Required<typeof vifPeerProvider>;
const PROVIDER_TEXT = "serialized provider text";
const impl = () => require("pulumi-dcaas/impl");

describe("provider methods against the emulator", function () {
  this.timeout(60_000);
  let emu: Emulator;
  let restore: () => void;

  before(async () => {
    emu = await start();
    restore = useEnv(emu);
    impl().resetConfiguration();
  });
  after(async () => {
    restore?.();
    await emu?.close();
  });
  afterEach(async () => {
    await admin(emu).clearFaults();
    // What the provider process learned about settle times stays with the test that taught it.
    impl().forgetSettleTimes();
  });

  async function createVif(name: string, over: Record<string, unknown> = {}) {
    const inputs = { ...vifInputs(name, over), __provider: PROVIDER_TEXT };
    const r = await hv.create(inputs);
    return { inputs, ...r };
  }

  describe("HostedVif", () => {
    it("creates, waits for ACTIVE, and returns read's full outputs", async () => {
      const { inputs, id, outs } = await createVif("basic-1");
      assert.match(id, /^[0-9a-f-]{36}$/);
      assert.equal(outs.status, "ACTIVE");
      assert.equal(outs.vlan, inputs.vlan);
      assert.equal(outs.customerAddress, inputs.customerAddress);
      assert.equal(outs.standbyCloudAddress, inputs.standbyCloudAddress);
      assert.equal(outs.bgpKey, "s3cr3t-key");
      assert.equal(outs.tenantId, FIXTURES.projectId);
      assert.match(outs.ipv4PeerId, /^[0-9a-f-]{36}$/);
      assert.ok(outs.createdAt && outs.updatedAt);
      // The MD5 key appears under bgpKey only, never in another output.
      const others = Object.entries(outs).filter(([k]) => k !== "bgpKey");
      assert.ok(!JSON.stringify(others).includes("s3cr3t-key"));
      // Nothing to change after create: diff of the outputs against the same inputs.
      assert.equal((await hv.diff(id, { ...outs, __provider: PROVIDER_TEXT }, inputs)).changes, false);

      const read = await hv.read(id, outs);
      assert.equal(read.id, id);
      assert.deepEqual(read.props, outs);
      const { __provider: _p, ...plainInputs } = inputs;
      assert.deepEqual(read.inputs, plainInputs);
      // The create body carried the owner mark; the API stores and returns it.
      const live = (await admin(emu).inventory()).projects
        .flatMap((p: any) => p.virtual_interfaces)
        .find((v: any) => v.id === id);
      assert.deepEqual(live.tags, [{ key: "pulumi-dcaas:owner", value: `${SUITE_STACK}/basic-1` }]);
    });

    it("updates name and description in place with a PUT", async () => {
      const { inputs, id, outs } = await createVif("upd-1");
      const news = { ...inputs, name: "upd-1-renamed", description: "rack 5" };
      const d = await hv.diff(id, outs, news);
      assert.deepEqual(d, { changes: true, replaces: [], deleteBeforeReplace: false });
      const u = await hv.update(id, outs, news);
      assert.equal(u.outs.name, "upd-1-renamed");
      assert.equal(u.outs.description, "rack 5");
      assert.equal(u.outs.vlan, inputs.vlan);
      assert.equal(u.outs.status, "ACTIVE");
      const read = await hv.read(id, u.outs);
      assert.equal(read.props.name, "upd-1-renamed");
    });

    it("shows drift on refresh: read's inputs reflect an out-of-band rename", async () => {
      const { inputs, id, outs } = await createVif("drift-1");
      await admin(emu).rename("virtual-interfaces", id, "renamed-by-hand");
      const read = await hv.read(id, outs);
      assert.equal(read.inputs.name, "renamed-by-hand");
      const refreshDiff = await hv.diff(id, read.props, inputs);
      assert.deepEqual(refreshDiff, { changes: true, replaces: [], deleteBeforeReplace: false });
    });

    it("deletes and waits until gone; read then returns no id; a second delete succeeds (404)", async () => {
      const { id, outs } = await createVif("del-1");
      await hv.delete(id, outs);
      assert.deepEqual(await hv.read(id, outs), {});
      await hv.delete(id, outs);
    });

    it("read of an interface deleted out of band, or never created, returns no id", async () => {
      const { id, outs } = await createVif("gone-1");
      await admin(emu).remove("virtual-interfaces", id);
      assert.deepEqual(await hv.read(id, outs), {});
      assert.deepEqual(await hv.read("3f1c2d3e-0001-4a5b-8c9d-00000000dead", {}), {});
    });

    it("adopts the identical interface an interrupted earlier run created, instead of failing on its VLAN", async () => {
      // An interrupted `up` leaves the object in the cloud and, once the pending create is cleared,
      // not in the state: the next create is refused (DC.1209) and must adopt it, not duplicate it.
      const first = await createVif("orphan-1");
      const again = await hv.create(first.inputs);
      assert.equal(again.id, first.id);
      assert.equal(again.outs.status, "ACTIVE");
      const inv = await admin(emu).inventory();
      const all = inv.projects.flatMap((p: any) => p.virtual_interfaces);
      assert.equal(all.filter((v: any) => v.name === "orphan-1").length, 1);
    });

    it("wraps API refusals: creating hosted VIF (name): DC.1209: ..., naming the holder", async () => {
      const first = await createVif("vlan-a");
      const e = await rejection(
        hv.create({ ...vifInputs("vlan-b"), vlan: first.inputs.vlan, __provider: PROVIDER_TEXT }),
      );
      assert.match(e.message, /^creating hosted VIF \(vlan-b\): DC\.1209: /);
      // The emulator's refusal names the holder; the sentence added says only what it lacks, its mark.
      assert.ok(e.message.includes(`by virtual interface ${first.id} ("vlan-a")`), e.message);
      assert.equal(e.message.split(first.id).length - 1, 1, `the holder is named once: ${e.message}`);
      assert.match(e.message, /\. It is marked as owned by stack provider-suite\/test \(resource vlan-a\)$/);
      assert.equal(e.id, undefined, "nothing was created, so no partial failure");
    });

    it("never adopts another stack's identical interface: the conflict names the holder and its stack", async () => {
      // Stack "prod" made it; the same program in stack "copy" declares the identical interface.
      const prod = await createVif("shared-1", { __owner: "proj/prod/shared-1" });
      const e = await rejection(hv.create({ ...prod.inputs, __owner: "proj/copy/shared-1" }));
      assert.match(e.message, /^creating hosted VIF \(shared-1\): DC\.1209: /);
      assert.ok(e.message.includes(`by virtual interface ${prod.id} ("shared-1")`), e.message);
      assert.equal(e.message.split(prod.id).length - 1, 1, `the holder is named once: ${e.message}`);
      assert.match(e.message, /marked as owned by stack proj\/prod \(resource shared-1\)$/);
      // Nor an unmarked one, nor without a mark of its own.
      const { __owner: _o, ...unmarked } = prod.inputs;
      assert.match((await rejection(hv.create(unmarked))).message, /DC\.1209/);
      // Its own mark: adopted (the interrupted-run recovery).
      assert.equal((await hv.create(prod.inputs)).id, prod.id);
    });

    it("names an address conflict's holder on the gateway", async () => {
      const first = await createVif("addr-a");
      const e = await rejection(
        hv.create({
          ...vifInputs("addr-b"),
          customerAddress: first.inputs.customerAddress,
          cloudAddress: first.inputs.cloudAddress,
          __provider: PROVIDER_TEXT,
        }),
      );
      assert.match(e.message, /^creating hosted VIF \(addr-b\): DC\.0004: /);
      assert.ok(e.message.includes(`by virtual interface ${first.id} ("addr-a")`), e.message);
      assert.equal(e.message.split(first.id).length - 1, 1, `the holder is named once: ${e.message}`);
      assert.match(e.message, /\. It is marked as owned by stack /);
    });

    it("names the POST that failed and its retries, not the follow-up look-up", async () => {
      // A port nothing listens on: every request is refused.
      const port = await new Promise<number>((resolve) => {
        const srv = net.createServer().listen(0, "127.0.0.1", () => {
          const p = (srv.address() as net.AddressInfo).port;
          srv.close(() => resolve(p));
        });
      });
      const undo = useEnv(emu, { DCAAS_ENDPOINT: `http://127.0.0.1:${port}`, DCAAS_MAX_RETRIES: "2" });
      try {
        // With a bandwidth, the POST is the first request (without one, create reads the hosted
        // connection's first: rule profiles).
        const e = await rejection(
          hv.create({ ...vifInputs("down-1"), bandwidth: 100, __provider: PROVIDER_TEXT }),
        );
        // The POST was tried once, then the look-up for what it may have created failed after 1
        // retry (a refused connection on loopback gets one, whatever DCAAS_MAX_RETRIES allows): the
        // error names the POST first.
        assert.match(
          e.message,
          /^creating hosted VIF \(down-1\): POST \/virtual-interfaces: ECONNREFUSED: .*; looking for an object it may have created failed too: GET \/virtual-interfaces: ECONNREFUSED: .* \(after 1 retry\)$/,
        );
      } finally {
        undo();
        restore = useEnv(emu);
      }
    });

    it("waiter timeout: a partial failure carrying id, full outputs with __provider, and reasons", async () => {
      await fault(emu, { method: "POST", route: VIFS_ROUTE, kind: "stuck", times: 1 });
      const inputs = { ...vifInputs("stuck-1", { timeouts: { create: "1s" } }), __provider: PROVIDER_TEXT };
      const e = await rejection(hv.create(inputs));
      assert.match(e.id, /^[0-9a-f-]{36}$/);
      assert.equal(
        e.message.split(" (last status")[0],
        `creating hosted VIF (stuck-1): timeout after 1s waiting for virtual interface ${e.id} to reach status ACTIVE`,
        "the timeout names the object's id",
      );
      assert.equal(e.properties.__provider, PROVIDER_TEXT);
      assert.equal(e.properties.status, "PENDING_CREATE");
      assert.equal(e.properties.vlan, inputs.vlan);
      assert.deepEqual(e.properties.timeouts, { create: "1s" });
      assert.deepEqual(e.reasons, [e.message]);

      // The next up re-converges through update once the interface settles.
      await admin(emu).status("virtual-interfaces", e.id, "ACTIVE");
      const u = await hv.update(e.id, e.properties, { ...inputs, name: "stuck-1b" });
      assert.equal(u.outs.status, "ACTIVE");
      assert.equal(u.outs.name, "stuck-1b");
    });

    it("ERROR during provisioning: a partial failure naming the status and the reason", async () => {
      await fault(emu, { method: "POST", route: VIFS_ROUTE, kind: "fail", times: 1 });
      const inputs = { ...vifInputs("err-1"), __provider: PROVIDER_TEXT };
      const e = await rejection(hv.create(inputs));
      assert.match(
        e.message,
        /^creating hosted VIF \(err-1\): status ERROR while waiting for virtual interface [0-9a-f-]{36} to reach status ACTIVE/,
      );
      assert.equal(e.properties.status, "ERROR");
      assert.equal(e.properties.__provider, PROVIDER_TEXT);
      // update cannot repair it, and says so; delete removes it.
      const u = await rejection(hv.update(e.id, e.properties, inputs));
      assert.match(u.message, /^updating hosted VIF \(err-1\): .*ERROR.*replace/);
      await hv.delete(e.id, e.properties);
      assert.deepEqual(await hv.read(e.id, e.properties), {});
    });

    it("learns how long a create takes: later creates cost fewer requests", async () => {
      // Time-based provisioning (the suite's default settles after a number of reads) and the
      // suite's 100 ms pollInterval: the usual schedule polls about every 100 ms until ACTIVE.
      const saved = await admin(emu).delays();
      await admin(emu).setDelays({ vifCreate: 800 });
      impl().forgetSettleTimes();
      try {
        const getsPerCreate: number[] = [];
        for (let i = 0; i < 6; i++) {
          await clearLog(emu);
          const { id, outs } = await createVif(`learn-${i}`);
          assert.equal(outs.status, "ACTIVE");
          const posts = await logged(emu, "POST", VIFS_ROUTE);
          const gets = (await logged(emu, "GET", VIF_ROUTE)).filter((g: any) => g.path.endsWith(id));
          assert.equal(posts.length, 1);
          getsPerCreate.push(gets.length);
        }
        const [first, ...later] = getsPerCreate;
        const laterMean = later.reduce((a, b) => a + b, 0) / later.length;
        assert.ok(first! >= 5, `the first create polled on the usual schedule: ${getsPerCreate}`);
        assert.ok(laterMean <= 3 && laterMean < first! / 2, `GETs per create: ${getsPerCreate}`);
      } finally {
        await admin(emu).setDelays(saved);
      }
    });

    it("idempotent create: adopts the interface an ambiguous POST created instead of a second one", async () => {
      await fault(emu, { method: "POST", route: VIFS_ROUTE, kind: "ambiguous", times: 1 });
      await clearLog(emu);
      const inputs = { ...vifInputs("amb-1"), __provider: PROVIDER_TEXT };
      const { id, outs } = await hv.create(inputs);
      assert.equal(outs.status, "ACTIVE");
      const posts = await logged(emu, "POST", VIFS_ROUTE);
      assert.equal(posts.length, 1, "the ambiguous POST was applied and never repeated");
      assert.ok(posts[0].faults?.length, "the ambiguous fault fired");
      const inv = await admin(emu).inventory();
      const mine = inv.projects
        .flatMap((p: any) => p.virtual_interfaces)
        .filter((v: any) => v.vlan === inputs.vlan && v.direct_connect_id === inputs.hostedConnectionId);
      assert.equal(mine.length, 1, "exactly one interface on that VLAN");
      assert.equal(mine[0].id, id);
    });

    it("idempotent create: POSTs again when the ambiguous attempt was not applied (dropped)", async () => {
      await fault(emu, { method: "POST", route: VIFS_ROUTE, kind: "drop", times: 1 });
      await clearLog(emu);
      const { outs } = await hv.create({ ...vifInputs("drop-1"), __provider: PROVIDER_TEXT });
      assert.equal(outs.status, "ACTIVE");
      assert.equal((await logged(emu, "POST", VIFS_ROUTE)).length, 2);
    });

    it("throttling: retries after Retry-After and succeeds", async () => {
      const { id, outs } = await createVif("thr-1");
      await fault(emu, { method: "GET", route: VIF_ROUTE, kind: "throttle", times: 1, retryAfter: 1 });
      const t0 = Date.now();
      await clearLog(emu);
      const read = await hv.read(id, outs);
      const elapsed = Date.now() - t0;
      assert.equal(read.id, id);
      assert.deepEqual(
        (await logged(emu, "GET", VIF_ROUTE)).map((g: any) => g.status),
        [429, 200],
      );
      assert.ok(elapsed >= 1000, `retried after ${elapsed} ms, Retry-After was 1 s`);
    });

    it("retries a transient 5xx on GET", async () => {
      const { id, outs } = await createVif("5xx-1");
      await fault(emu, { method: "GET", route: VIF_ROUTE, kind: "error", code: "DC.0003", times: 2 });
      assert.equal((await hv.read(id, outs)).id, id);
    });

    it("importId: adopts an existing interface and updates its name", async () => {
      const existing = await createVif("imp-src");
      const { name: _n, ...rest } = existing.inputs;
      const inputs = { ...rest, name: "imp-adopted", importId: existing.id };
      const r = await hv.create(inputs);
      assert.equal(r.id, existing.id);
      assert.equal(r.outs.name, "imp-adopted");
      assert.equal(r.outs.importId, existing.id);
    });

    it("importId: refuses an interface another stack's resource made, unless importFromOtherStack", async () => {
      const theirs = await createVif("imp-theirs", { __owner: "proj/prod/imp-theirs" });
      const inputs = { ...theirs.inputs, importId: theirs.id, __owner: `${SUITE_STACK}/adopter` };
      const e = await rejection(hv.create(inputs));
      assert.match(
        e.message,
        /^importing hosted VIF \(imp-theirs\): cannot adopt virtual interface .*: it is marked as owned by stack proj\/prod \(resource imp-theirs\), not by this stack.*importFromOtherStack: true/,
      );
      const r = await hv.create({ ...inputs, importFromOtherStack: true });
      assert.equal(r.id, theirs.id);
      assert.equal(r.outs.importFromOtherStack, true);
    });

    it("importId: refuses, listing every immutable field that differs", async () => {
      const existing = await createVif("imp-bad");
      const e = await rejection(
        hv.create({
          ...existing.inputs,
          vlan: existing.inputs.vlan + 1000,
          bgpAsn: 65020,
          importId: existing.id,
        }),
      );
      assert.match(e.message, /^importing hosted VIF \(imp-bad\): cannot adopt/);
      assert.match(e.message, /vlan \(program \d+, live \d+\)/);
      assert.match(e.message, /bgpAsn \(program 65020, live 65010\)/);
      assert.doesNotMatch(e.message, /name \(/);
    });
  });

  describe("VifPeer", () => {
    let vif: { id: string; outs?: any };
    before(async () => {
      vif = await createVif("peer-parent");
    });

    const peerInputs = (over: Record<string, unknown> = {}) => ({
      __owner: `${SUITE_STACK}/${over.name ?? "parent-v6"}`,
      vifId: vif.id,
      name: "parent-v6",
      description: "",
      addressFamily: "ipv6",
      customerAddress: "fd00:10::2/64",
      cloudAddress: "fd00:10::1/64",
      routeMode: "bgp",
      bgpAsn: 65010,
      remoteSubnets: ["fd00:50::/64"],
      __provider: PROVIDER_TEXT,
      ...over,
    });

    it("adopts the identical peer an interrupted earlier run created, instead of failing on its family", async () => {
      const inputs = peerInputs({ name: "orphan-v6" });
      const first = await vp.create(inputs);
      const again = await vp.create(inputs);
      assert.equal(again.id, first.id);
      // A different intent on the same family is still refused.
      const e = await rejection(
        vp.create(
          peerInputs({ name: "other-v6", customerAddress: "fd00:11::2/64", cloudAddress: "fd00:11::1/64" }),
        ),
      );
      assert.match(e.message, /^creating VIF peer \(other-v6\): DC\./);
      assert.ok(e.message.includes(`Peer ${first.id} ("orphan-v6") holds the ipv6 family`), e.message);
      assert.match(e.message, /the interface: it is marked as owned by stack provider-suite\/test/);
      // The identical peer, declared by another stack: not adopted.
      const other = await rejection(vp.create({ ...inputs, __owner: "proj/copy/orphan-v6" }));
      assert.match(other.message, /^creating VIF peer \(orphan-v6\): DC\./);
      await vp.delete(first.id, first.outs);
    });

    it("checks a peer on an interface this run just created without reading the interface again", async () => {
      const parent = await createVif("seen-parent");
      await clearLog(emu);
      const inputs = peerInputs({ vifId: parent.id, name: "seen-v6" });
      assert.deepEqual((await vp.check({}, inputs)).failures, []);
      const reads = async () =>
        (await logged(emu, "GET", VIF_ROUTE)).filter((g: any) => g.path.endsWith(parent.id));
      assert.equal((await reads()).length, 0, "the create's last GET served the peer's live check");
      // Control: a fresh process (no observation) reads the interface for the same check.
      impl().resetConfiguration();
      assert.deepEqual((await vp.check({}, inputs)).failures, []);
      assert.equal((await reads()).length, 1);
      await hv.delete(parent.id, parent.outs);
    });

    it("reads the hosted connection's bandwidth once for every interface created on it in a run", async () => {
      impl().resetConfiguration();
      await clearLog(emu);
      // No bandwidth in the program: each POST carries the connection's, read once by this process.
      const made = await Promise.all(["bw-1", "bw-2", "bw-3"].map((n) => createVif(n)));
      const dcReads = (await logged(emu, "GET", "/v3/{project_id}/dcaas/direct-connects/{direct_connect_id}"))
        .length;
      assert.equal(dcReads, 1);
      const posts = await logged(emu, "POST", VIFS_ROUTE);
      assert.equal(posts.length, 3);
      for (const m of made) assert.equal(m.outs.bandwidthFromConnection, true);
      await Promise.all(made.map((m) => hv.delete(m.id, m.outs)));
    });

    it("creates, reads through the interface's vif_peers, updates, deletes", async () => {
      const inputs = peerInputs();
      const { id, outs } = await vp.create(inputs);
      assert.equal(outs.status, "ACTIVE");
      assert.equal(outs.addressFamily, "ipv6");
      assert.equal(outs.vifId, vif.id);
      assert.equal(outs.customerAddress, "fd00:10::2/64");
      assert.equal(typeof outs.receiveRouteNum, "number");
      assert.equal(typeof outs.enableBfd, "boolean");
      assert.equal((await vp.diff(id, outs, inputs)).changes, false);

      const read = await vp.read(id, outs);
      assert.deepEqual(read.props, outs);

      const u = await vp.update(id, outs, { ...inputs, name: "parent-v6-b", description: "v6" });
      assert.equal(u.outs.name, "parent-v6-b");
      assert.equal(u.outs.description, "v6");

      await vp.delete(id, u.outs);
      assert.deepEqual(await vp.read(id, u.outs), {}, "gone from vif_peers");
      await vp.delete(id, u.outs);
    });

    it("idempotent create: adopts the peer an ambiguous POST created", async () => {
      await fault(emu, { method: "POST", route: PEERS_ROUTE, kind: "ambiguous", times: 1 });
      const { id, outs } = await vp.create(peerInputs({ name: "amb-v6" }));
      assert.equal(outs.name, "amb-v6");
      const live = await admin(emu).inventory();
      const peers = live.projects
        .flatMap((p: any) => p.virtual_interfaces)
        .find((v: any) => v.id === vif.id)
        .vif_peers.filter((p: any) => p.address_family === "ipv6");
      assert.equal(peers.length, 1);
      assert.equal(peers[0].id, id);
      await vp.delete(id, outs);
    });

    it("read returns no id when the peer was removed out of band", async () => {
      const { id, outs } = await vp.create(peerInputs({ name: "oob-v6" }));
      await admin(emu).remove("vif-peers", id);
      assert.deepEqual(await vp.read(id, outs), {});
    });

    it("wraps API refusals with the peer's name", async () => {
      const e = await rejection(
        vp.create(
          peerInputs({
            name: "dup-v4",
            addressFamily: "ipv4",
            customerAddress: "10.0.9.1/30",
            cloudAddress: "10.0.9.2/30",
            remoteSubnets: [],
          }),
        ),
      );
      assert.match(e.message, /^creating VIF peer \(dup-v4\): DC\.\d{4}: /);
    });
  });

  describe("authentication", () => {
    it("AK/SK signing works end to end", async () => {
      const undo = useEnv(emu, {
        DCAAS_TOKEN: "",
        DCAAS_ACCESS_KEY: FIXTURES.accessKey,
        DCAAS_SECRET_KEY: FIXTURES.secretKey,
      });
      delete process.env.DCAAS_TOKEN;
      try {
        const { id, outs } = await createVif("aksk-1");
        assert.equal((await hv.read(id, outs)).id, id);
      } finally {
        undo();
        restore = useEnv(emu);
      }
    });

    it("IAM password auth, with a token refresh on APIGW.0307", async () => {
      const undo = useEnv(emu, {
        DCAAS_USERNAME: FIXTURES.username,
        DCAAS_PASSWORD: FIXTURES.password,
        DCAAS_DOMAIN_NAME: FIXTURES.domainName,
      });
      delete process.env.DCAAS_TOKEN;
      try {
        const { id, outs } = await createVif("pw-1");
        await fault(emu, {
          method: "GET",
          route: VIF_ROUTE,
          kind: "error",
          code: "APIGW.0307",
          status: 401,
          times: 1,
        });
        await clearLog(emu);
        assert.equal((await hv.read(id, outs)).id, id);
        const tokens = await logged(emu, "POST", "/v3/auth/tokens");
        assert.equal(tokens.length, 1, "one new token after APIGW.0307");
        const gets = await logged(emu, "GET", VIF_ROUTE);
        assert.deepEqual(
          gets.map((g: any) => g.status),
          [401, 200],
        );
      } finally {
        undo();
        restore = useEnv(emu);
      }
    });

    it("wrong credentials fail clearly, without retries", async () => {
      const undo = useEnv(emu, { DCAAS_TOKEN: "not-a-token" });
      try {
        const e = await rejection(hv.create({ ...vifInputs("auth-bad"), __provider: PROVIDER_TEXT }));
        assert.match(e.message, /^creating hosted VIF \(auth-bad\): APIGW\.0301: /);
      } finally {
        undo();
        restore = useEnv(emu);
      }
    });
  });
});
