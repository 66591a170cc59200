// Lifecycle as data (delays, after-N-reads, ERROR, DOWN and back) and the admin API: access,
// reset, fixtures, delays, faults of every kind, out-of-band changes, request log, inventory.
import assert from "node:assert/strict";
import { join } from "node:path";
import { startEmulator } from "../../emulator";
import { EmulatorAdmin } from "../helpers/emulatorAdmin";
import { A, ADMIN, B, Client, createActiveVif, eventually, tempDir, vifBody, withEmulator } from "./helpers";

const VIFS = "/v3/{project_id}/dcaas/virtual-interfaces";
const VIF = "/v3/{project_id}/dcaas/virtual-interfaces/{virtual_interface_id}";

describe("emulator lifecycle", function () {
  it("moves PENDING_CREATE to ACTIVE after N reads, and PENDING_DELETE to gone after N reads", () =>
    withEmulator({ delays: { vifCreate: { reads: 3 }, vifDelete: { reads: 2 } } }, async (_e, c) => {
      const v = (await c.req("POST", "/virtual-interfaces", vifBody())).body.virtual_interface;
      const seen: string[] = [];
      for (let i = 0; i < 4; i++)
        seen.push((await c.req("GET", `/virtual-interfaces/${v.id}`)).body.virtual_interface.status);
      assert.deepEqual(seen, ["PENDING_CREATE", "PENDING_CREATE", "PENDING_CREATE", "ACTIVE"]);
      assert.equal((await c.req("DELETE", `/virtual-interfaces/${v.id}`)).status, 204);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await c.req("GET", `/virtual-interfaces/${v.id}`)).status);
      assert.deepEqual(statuses, [200, 200, 404]);
    }));

  it("applies timed delays (polling, no timing assertion) and reports them in update_time", () =>
    withEmulator({ delays: { vifCreate: 100 } }, async (_e, c) => {
      const v = (await c.req("POST", "/virtual-interfaces", vifBody())).body.virtual_interface;
      const end = await eventually(
        () => c.req("GET", `/virtual-interfaces/${v.id}`),
        (r) => r.body.virtual_interface.status === "ACTIVE",
      );
      assert.equal(end.body.virtual_interface.status, "ACTIVE");
      assert.ok(end.body.virtual_interface.update_time >= v.update_time);
    }));

  it("keeps the default delays when none are given (2 s interfaces, 1 s peers)", async () => {
    const e = await startEmulator({ adminToken: ADMIN });
    try {
      const c = new Client(e.url);
      const d = await c.admin("GET", "/delays");
      assert.deepEqual(d.body.delays, {
        vifCreate: 2000,
        vifDelete: 2000,
        peerCreate: 1000,
        peerDelete: 1000,
      });
      const v = (await c.req("POST", "/virtual-interfaces", vifBody())).body.virtual_interface;
      assert.equal(
        (await c.req("GET", `/virtual-interfaces/${v.id}`)).body.virtual_interface.status,
        "PENDING_CREATE",
      );
    } finally {
      await e.close();
    }
  });

  it("turns ACTIVE to DOWN and back out of band, with the BGP session following", () =>
    withEmulator({}, async (_e, c) => {
      const v = await createActiveVif(c, { route_mode: "bgp", bgp_asn: 65100, remote_ep_group: undefined });
      assert.equal(v.vif_peers[0].bgp_status, "UP");
      await c.admin("POST", `/virtual-interfaces/${v.id}/status`, { status: "DOWN" });
      const down = (await c.req("GET", `/virtual-interfaces/${v.id}`)).body.virtual_interface;
      assert.equal(down.status, "DOWN");
      assert.equal(down.vif_peers[0].bgp_status, "DOWN");
      await c.admin("POST", `/virtual-interfaces/${v.id}/status`, { status: "ACTIVE" });
      const up = (await c.req("GET", `/virtual-interfaces/${v.id}`)).body.virtual_interface;
      assert.equal(up.status, "ACTIVE");
      assert.equal(up.vif_peers[0].bgp_status, "UP");
      const bad = await c.admin("POST", `/virtual-interfaces/${v.id}/status`, { status: "SLEEPING" });
      assert.equal(bad.status, 400);
    }));

  it("survives a restart: due times are stored, not timers", async () => {
    const t = tempDir();
    try {
      const dbPath = join(t.dir, "life.db");
      const delays = { vifCreate: 150, vifDelete: { reads: 1 } };
      let e = await startEmulator({ dbPath, delays });
      let c = new Client(e.url);
      const timed = (await c.req("POST", "/virtual-interfaces", vifBody())).body.virtual_interface;
      const counted = await createActiveVifTimed(c);
      assert.equal((await c.req("DELETE", `/virtual-interfaces/${counted}`)).status, 204);
      await e.close();
      await new Promise((r) => setTimeout(r, 200));
      e = await startEmulator({ dbPath });
      c = new Client(e.url);
      try {
        assert.equal(
          (await c.req("GET", `/virtual-interfaces/${timed.id}`)).body.virtual_interface.status,
          "ACTIVE",
        );
        assert.equal(
          (await c.req("GET", `/virtual-interfaces/${counted}`)).body.virtual_interface.status,
          "PENDING_DELETE",
        );
        assert.equal((await c.req("GET", `/virtual-interfaces/${counted}`)).status, 404);
        const d = await new Client(e.url).req("GET", "/virtual-interfaces");
        assert.equal(d.body.virtual_interfaces.length, 1);
      } finally {
        await e.close();
      }
    } finally {
      t.cleanup();
    }
  });
});

async function createActiveVifTimed(c: Client): Promise<string> {
  const v = (await c.req("POST", "/virtual-interfaces", vifBody())).body.virtual_interface;
  const r = await eventually(
    () => c.req("GET", `/virtual-interfaces/${v.id}`),
    (x) => x.body.virtual_interface.status === "ACTIVE",
  );
  assert.equal(r.body.virtual_interface.status, "ACTIVE");
  return v.id;
}

describe("emulator admin API", function () {
  it("is off without an admin token (health stays open) and guarded with one", async () => {
    const off = await startEmulator({});
    try {
      const a = new EmulatorAdmin(off.url, ADMIN);
      assert.equal((await new EmulatorAdmin(off.url, null).request("GET", "/health")).status, 200);
      const r = await a.request("POST", "/reset", {});
      assert.equal(r.status, 404);
    } finally {
      await off.close();
    }
    await withEmulator({}, async (e, c) => {
      const anon = new EmulatorAdmin(e.url, null);
      assert.equal((await anon.request("POST", "/reset", {})).status, 401);
      assert.equal((await new EmulatorAdmin(e.url, "wrong").request("POST", "/reset", {})).status, 401);
      assert.equal((await c.admin("POST", "/reset", {})).status, 200);
    });
  });

  it("resets to the fixtures, loads more fixtures, sets delays", () =>
    withEmulator({}, async (e, c) => {
      await createActiveVif(c);
      assert.equal((await c.admin("POST", "/reset")).status, 200);
      assert.deepEqual((await c.req("GET", "/virtual-interfaces")).body.virtual_interfaces, []);
      assert.equal((await c.admin("POST", "/reset", { fixtures: "none" })).status, 200);
      assert.equal((await c.req("GET", "/virtual-interfaces")).status, 401, "no fixture token any more");
      const load = await c.admin("POST", "/fixtures", {
        projects: [
          {
            projectId: "c".repeat(32),
            domainName: "d",
            username: "u",
            password: "p",
            token: "custom-token-1234",
            connections: [{ id: A.hostedConnections.active1, name: "c1", bandwidth: 50, status: "ACTIVE" }],
            gateways: [{ id: A.gatewayId, name: "g", vpc_id: "v", local_ep_group: ["10.0.0.0/8"] }],
          },
        ],
      });
      assert.equal(load.status, 200, load.text);
      const custom = new Client(e.url, "c".repeat(32), "custom-token-1234");
      const conn = await custom.req("GET", `/direct-connects/${A.hostedConnections.active1}`);
      assert.equal(conn.body.direct_connect.bandwidth, 50);
      assert.equal((await c.admin("POST", "/fixtures", { projects: [{ projectId: "zz" }] })).status, 400);
      assert.equal((await c.admin("POST", "/fixtures", JSON.stringify("default"))).status, 200);
      assert.equal((await c.req("GET", "/virtual-interfaces")).status, 200);
      const d = await c.admin("PUT", "/delays", { vifCreate: { reads: 2 }, peerDelete: 5 });
      assert.deepEqual(d.body.delays, {
        vifCreate: { reads: 2 },
        vifDelete: 0,
        peerCreate: 0,
        peerDelete: 5,
      });
      assert.equal((await c.admin("PUT", "/delays", { vifCreate: -1 })).status, 400);
      assert.equal((await c.admin("PUT", "/delays", { sometimes: 1 })).status, 400);
      const v = (await c.req("POST", "/virtual-interfaces", vifBody())).body.virtual_interface;
      const s = [];
      for (let i = 0; i < 3; i++)
        s.push((await c.req("GET", `/virtual-interfaces/${v.id}`)).body.virtual_interface.status);
      assert.deepEqual(s, ["PENDING_CREATE", "PENDING_CREATE", "ACTIVE"]);
    }));

  it("out-of-band rename, status and delete show up as drift; inventory lists every project", () =>
    withEmulator({}, async (e, c) => {
      const v = await createActiveVif(c);
      const b = new Client(e.url, B.projectId, B.token);
      const vb = await createActiveVif(b, {
        direct_connect_id: B.hostedConnections.active1,
        vgw_id: B.gatewayId,
      });
      assert.equal(
        (await c.admin("POST", `/virtual-interfaces/${v.id}/rename`, { name: "drifted" })).status,
        200,
      );
      assert.equal(
        (await c.req("GET", `/virtual-interfaces/${v.id}`)).body.virtual_interface.name,
        "drifted",
      );
      assert.equal(
        (await c.admin("POST", `/vif-peers/${v.vif_peers[0].id}/rename`, { name: "p-drift" })).status,
        200,
      );
      assert.equal(
        (await c.req("GET", `/virtual-interfaces/${v.id}`)).body.virtual_interface.vif_peers[0].name,
        "p-drift",
      );
      const inv = await c.admin("GET", "/inventory");
      const byProject = Object.fromEntries(
        inv.body.projects.map((p: any) => [p.project_id, p.virtual_interfaces]),
      );
      assert.deepEqual(
        byProject[A.projectId].map((x: any) => x.id),
        [v.id],
      );
      assert.deepEqual(
        byProject[B.projectId].map((x: any) => x.id),
        [vb.id],
      );
      assert.equal(byProject[A.projectId][0].vif_peers.length, 1);
      assert.equal((await c.admin("POST", `/virtual-interfaces/${v.id}/delete`)).status, 204);
      assert.equal((await c.req("GET", `/virtual-interfaces/${v.id}`)).status, 404);
      assert.equal((await c.admin("POST", `/virtual-interfaces/${v.id}/delete`)).status, 404);
      assert.equal(
        (await c.admin("POST", `/vif-peers/${v.vif_peers[0].id}/status`, { status: "ACTIVE" })).status,
        404,
      );
    }));

  it("keeps a request log with counts per route template and method", () =>
    withEmulator({}, async (_e, c) => {
      const v = await createActiveVif(c);
      await c.req("GET", `/virtual-interfaces/${v.id}`);
      await c.req("GET", "/virtual-interfaces");
      const log = await c.admin("GET", "/requests");
      const count = (m: string, r: string) =>
        log.body.counts.find((x: any) => x.method === m && x.route === r)?.count;
      assert.equal(count("POST", VIFS), 1);
      assert.equal(count("GET", VIFS), 1);
      assert.ok(count("GET", VIF) >= 2);
      assert.ok(log.body.requests.every((x: any) => typeof x.request_id === "string" && !("headers" in x)));
      // A successful POST names the object it created; other requests name none.
      const post = log.body.requests.find((x: any) => x.method === "POST" && x.route === VIFS);
      assert.equal(post.created_id, v.id);
      assert.equal(post.created_in, undefined);
      assert.ok(
        log.body.requests.filter((x: any) => x.method === "GET").every((x: any) => !("created_id" in x)),
      );
      // A GET of one interface records the statuses it returned (the interface's and its peers'); a
      // list records none.
      const one = log.body.requests.filter((x: any) => x.method === "GET" && x.route === VIF).pop();
      const expected: Record<string, string> = { [v.id]: "ACTIVE" };
      for (const p of v.vif_peers ?? []) expected[p.id] = p.status;
      assert.deepEqual(one.seen, expected);
      const list = log.body.requests.find((x: any) => x.method === "GET" && x.route === VIFS);
      assert.equal(list.seen, undefined);
      assert.equal((await c.admin("DELETE", "/requests")).status, 204);
      assert.equal((await c.admin("GET", "/requests")).body.total, 0);
    }));
});

describe("emulator faults", function () {
  it("error: answers the given code (and status) on the matching route and method only", () =>
    withEmulator({}, async (_e, c) => {
      const f = await c.admin("POST", "/faults", {
        rules: [{ kind: "error", route: VIFS, method: "POST", code: "DC.0003" }],
      });
      assert.equal(f.status, 201, f.text);
      const r = await c.req("POST", "/virtual-interfaces", vifBody());
      assert.equal(r.status, 500);
      assert.equal(r.body.error_code, "DC.0003");
      assert.equal((await c.req("GET", "/virtual-interfaces")).status, 200);
      assert.deepEqual(
        (await c.req("GET", "/virtual-interfaces")).body.virtual_interfaces,
        [],
        "nothing was created",
      );
      await c.admin("POST", "/faults", {
        rules: [{ kind: "error", route: VIFS, method: "GET", code: "DC.1205", status: 409 }],
      });
      assert.equal((await c.req("GET", "/virtual-interfaces")).status, 409);
      assert.equal((await c.admin("DELETE", "/faults")).status, 204);
      assert.equal((await c.req("POST", "/virtual-interfaces", vifBody())).status, 201);
      assert.equal(
        (await c.admin("POST", "/faults", { rules: [{ kind: "error", code: "XX.1" }] })).status,
        400,
      );
      assert.equal((await c.admin("POST", "/faults", { rules: [{ kind: "sometimes" }] })).status, 400);
    }));

  it("throttle: a burst of N 429 APIGW.0308 with Retry-After, then normal service", () =>
    withEmulator({}, async (_e, c) => {
      await c.admin("POST", "/faults", {
        rules: [{ kind: "throttle", route: VIFS, method: "GET", times: 2, retryAfter: 3 }],
      });
      const a = await c.req("GET", "/virtual-interfaces");
      const b = await c.req("GET", "/virtual-interfaces");
      const d = await c.req("GET", "/virtual-interfaces");
      assert.deepEqual([a.status, b.status, d.status], [429, 429, 200]);
      assert.equal(a.body.error_code, "APIGW.0308");
      assert.equal(a.headers.get("retry-after"), "3");
    }));

  it("error rate is reproducible with a seed", () =>
    withEmulator({}, async (_e, c) => {
      const pattern = async () => {
        await c.admin("DELETE", "/faults");
        await c.admin("POST", "/faults", {
          seed: 42,
          rules: [{ kind: "error", route: VIFS, method: "GET", rate: 0.5 }],
        });
        const out: number[] = [];
        for (let i = 0; i < 24; i++) out.push((await c.req("GET", "/virtual-interfaces")).status);
        return out;
      };
      const first = await pattern();
      const second = await pattern();
      assert.deepEqual(first, second);
      assert.ok(first.includes(200) && first.includes(500), `a 0.5 rate should mix outcomes: ${first}`);
    }));

  it("latency delays the answer by at least minMs", () =>
    withEmulator({}, async (_e, c) => {
      await c.admin("POST", "/faults", {
        rules: [{ kind: "latency", route: VIFS, method: "GET", minMs: 150, maxMs: 200 }],
      });
      const t0 = Date.now();
      assert.equal((await c.req("GET", "/virtual-interfaces")).status, 200);
      assert.ok(Date.now() - t0 >= 150);
    }));

  it("drop closes the connection without doing anything", () =>
    withEmulator({}, async (_e, c) => {
      await c.admin("POST", "/faults", { rules: [{ kind: "drop", route: VIFS, method: "POST", times: 1 }] });
      await assert.rejects(c.req("POST", "/virtual-interfaces", vifBody()));
      assert.deepEqual((await c.req("GET", "/virtual-interfaces")).body.virtual_interfaces, []);
      const log = await c.admin("GET", "/requests");
      assert.ok(log.body.requests.some((x: any) => x.method === "POST" && x.faults?.length === 1));
    }));

  it("ambiguous applies the request but loses the answer", () =>
    withEmulator({}, async (_e, c) => {
      await c.admin("POST", "/faults", {
        rules: [{ kind: "ambiguous", route: VIFS, method: "POST", times: 1 }],
      });
      const body = vifBody();
      await assert.rejects(c.req("POST", "/virtual-interfaces", body));
      const list = (await c.req("GET", "/virtual-interfaces")).body.virtual_interfaces;
      assert.equal(list.length, 1);
      assert.equal(list[0].name, body.virtual_interface.name);
      const retry = await c.req("POST", "/virtual-interfaces", body);
      assert.equal(retry.body.error_code, "DC.1209", "a blind retry hits the VLAN the lost create took");
    }));

  it("stuck keeps an object in PENDING_*; fail ends it in ERROR with a reason", () =>
    withEmulator({}, async (_e, c) => {
      await c.admin("POST", "/faults", { rules: [{ kind: "stuck", route: VIFS, method: "POST", times: 1 }] });
      const stuck = (await c.req("POST", "/virtual-interfaces", vifBody())).body.virtual_interface;
      for (let i = 0; i < 5; i++) {
        assert.equal(
          (await c.req("GET", `/virtual-interfaces/${stuck.id}`)).body.virtual_interface.status,
          "PENDING_CREATE",
        );
      }
      await c.admin("POST", "/faults", { rules: [{ kind: "fail", route: VIFS, method: "POST", times: 1 }] });
      const failed = (await c.req("POST", "/virtual-interfaces", vifBody())).body.virtual_interface;
      const shown = (await c.req("GET", `/virtual-interfaces/${failed.id}`)).body.virtual_interface;
      assert.equal(shown.status, "ERROR");
      assert.match(shown.reason, /failed/);
      // Deleting an ERROR interface works; a stuck delete stays PENDING_DELETE.
      assert.equal((await c.req("DELETE", `/virtual-interfaces/${failed.id}`)).status, 204);
      assert.equal((await c.req("GET", `/virtual-interfaces/${failed.id}`)).status, 404);
      const ok = await createActiveVif(c);
      await c.admin("POST", "/faults", {
        rules: [{ kind: "stuck", route: VIF, method: "DELETE", times: 1 }],
      });
      assert.equal((await c.req("DELETE", `/virtual-interfaces/${ok.id}`)).status, 204);
      for (let i = 0; i < 3; i++) {
        assert.equal(
          (await c.req("GET", `/virtual-interfaces/${ok.id}`)).body.virtual_interface.status,
          "PENDING_DELETE",
        );
      }
    }));
});
