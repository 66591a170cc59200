// The console's guard over real HTTP: sign-in with the admin token sets an HttpOnly, SameSite
// session cookie (never the token, never from a URL), the session reads the state, and its
// state-changing admin requests need the CSRF token and the same origin. Also the state document
// (BGP keys masked, request log filters, faults described), the page's assets and the new
// DELETE /_emulator/faults/{id}.
import assert from "node:assert/strict";
import { startEmulator } from "../../emulator";
import { consoleScript } from "../../emulator/console/routes";
import { SESSION_COOKIE } from "../../emulator/console/session";
import { DEFAULT_LOG_PAGE, StatusClock, matchesFilter, pageSize } from "../../emulator/console/state";
import { A, ADMIN, Client, createActiveVif, vifBody, withEmulator } from "./helpers";

const VIFS = "/v3/{project_id}/dcaas/virtual-interfaces";

/** A browser-like client of the console: keeps the session cookie, sends what a page would. */
class Browser {
  cookie = "";
  constructor(readonly url: string) {}

  async req(
    method: string,
    path: string,
    opts: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; headers: Headers; text: string; json: any }> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.cookie) headers.Cookie = this.cookie;
    const r = await fetch(`${this.url}${path}`, { method, headers, body: opts.body, redirect: "manual" });
    const text = await r.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: r.status, headers: r.headers, text, json };
  }

  /** Posts the sign-in form; keeps the cookie it sets. */
  async signIn(token: string, headers: Record<string, string> = {}) {
    const r = await this.req("POST", "/_emulator/console/session", {
      body: new URLSearchParams({ token }).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    });
    const set = r.headers.get("set-cookie");
    if (set) this.cookie = set.split(";")[0];
    return r;
  }

  /** The CSRF token in the console page. */
  async csrf(): Promise<string> {
    const page = await this.req("GET", "/_emulator/console");
    const m = /<meta name="csrf-token" content="([^"]+)">/.exec(page.text);
    assert.ok(m, "the console page has no CSRF token (not signed in?)");
    return m[1];
  }
}

const formHeaders = { "Content-Type": "application/json" };

describe("emulator console: session cookie and CSRF guard", function () {
  it("is absent without an admin token", async () => {
    const e = await startEmulator({});
    try {
      const r = await fetch(`${e.url}/_emulator/console`);
      assert.equal(r.status, 404);
      await r.text();
    } finally {
      await e.close();
    }
  });

  it("shows a sign-in form that posts the token in the body, and refuses a wrong or missing token", () =>
    withEmulator({}, async (e) => {
      const b = new Browser(e.url);
      const page = await b.req("GET", "/_emulator/console");
      assert.equal(page.status, 200);
      assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
      assert.match(page.text, /<form method="post" action="\/_emulator\/console\/session"/);
      assert.match(page.text, /<label for="token">Admin token<\/label>/);
      assert.doesNotMatch(page.text, /csrf-token/);

      const wrong = await b.signIn("not-the-token");
      assert.equal(wrong.status, 401);
      assert.equal(wrong.headers.get("set-cookie"), null);
      assert.match(wrong.text, /Wrong admin token/);
      assert.equal((await b.req("GET", "/_emulator/console/state")).status, 401);

      // The token in the URL is never read.
      const inUrl = await b.req("POST", `/_emulator/console/session?token=${ADMIN}`);
      assert.equal(inUrl.status, 401);
      assert.equal(inUrl.headers.get("set-cookie"), null);
      const getUrl = await b.req("GET", `/_emulator/console?token=${ADMIN}`);
      assert.doesNotMatch(getUrl.text, /csrf-token/);
    }));

  it("signs in with the token: an HttpOnly SameSite=Strict cookie that is not the token", () =>
    withEmulator({}, async (e) => {
      const b = new Browser(e.url);
      const r = await b.signIn(ADMIN);
      assert.equal(r.status, 303);
      assert.equal(r.headers.get("location"), "/_emulator/console");
      const set = r.headers.get("set-cookie") ?? "";
      assert.match(set, new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{40,};`));
      assert.match(set, /; HttpOnly/);
      assert.match(set, /; SameSite=Strict/);
      assert.match(set, /; Path=\/_emulator\//);
      assert.ok(!set.includes(ADMIN), "the cookie holds the admin token");

      const page = await b.req("GET", "/_emulator/console");
      assert.equal(page.status, 200);
      assert.match(page.text, /<meta name="csrf-token" content="[A-Za-z0-9_-]{40,}">/);
      assert.ok(!page.text.includes(ADMIN), "the page holds the admin token");
      assert.match(page.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);

      const state = await b.req("GET", "/_emulator/console/state");
      assert.equal(state.status, 200);
      assert.deepEqual(
        state.json.projects.map((p: any) => p.project_id),
        [A.projectId, A.otherProject.projectId].sort(),
      );
      // A session may also read the other admin routes.
      assert.equal((await b.req("GET", "/_emulator/faults")).status, 200);
      // A forged cookie is nobody.
      const forged = new Browser(e.url);
      forged.cookie = `${SESSION_COOKIE}=${"x".repeat(43)}`;
      assert.equal((await forged.req("GET", "/_emulator/console/state")).status, 401);
    }));

  it("refuses a session's state-changing request without the CSRF token or from another origin", () =>
    withEmulator({}, async (e) => {
      const b = new Browser(e.url);
      await b.signIn(ADMIN);
      const csrf = await b.csrf();
      const body = JSON.stringify({ rules: [{ kind: "error", status: 503 }] });
      const post = (headers: Record<string, string>) =>
        b.req("POST", "/_emulator/faults", { body, headers: { ...formHeaders, ...headers } });

      const none = await post({});
      assert.equal(none.status, 403);
      assert.match(none.json.error_msg, /x-csrf-token/);
      assert.equal((await post({ "X-CSRF-Token": "wrong" })).status, 403);
      assert.equal(
        (await post({ "X-CSRF-Token": csrf, Origin: "http://evil.example" })).status,
        403,
        "cross-origin request with the right token",
      );
      assert.equal((await post({ "X-CSRF-Token": csrf, "Sec-Fetch-Site": "cross-site" })).status, 403);
      // Nothing was added by the refused requests.
      assert.deepEqual((await b.req("GET", "/_emulator/faults")).json.rules, []);

      const ok = await post({ "X-CSRF-Token": csrf, Origin: e.url, "Sec-Fetch-Site": "same-origin" });
      assert.equal(ok.status, 201, ok.text);
      assert.equal((await b.req("GET", "/_emulator/faults")).json.rules.length, 1);

      // Another session's CSRF token does not fit this one.
      const other = new Browser(e.url);
      await other.signIn(ADMIN);
      const otherCsrf = await other.csrf();
      assert.notEqual(otherCsrf, csrf);
      assert.equal((await post({ "X-CSRF-Token": otherCsrf })).status, 403);

      // A wrong admin header is refused even with a valid session cookie; the right one needs no CSRF.
      assert.equal((await post({ "X-Emulator-Admin-Token": "wrong" })).status, 401);
      assert.equal((await post({ "X-Emulator-Admin-Token": ADMIN })).status, 201);
    }));

  it("masks BGP keys in the admin answers a session gets (the header's answers are unchanged)", () =>
    withEmulator({}, async (e, c) => {
      const key = "session-md5-key-51ab";
      const v = await createActiveVif(c, {
        route_mode: "bgp",
        bgp_asn: 65100,
        bgp_md5: key,
        remote_ep_group: undefined,
      });
      const b = new Browser(e.url);
      await b.signIn(ADMIN);
      const csrf = await b.csrf();
      const renamed = await b.req("POST", `/_emulator/virtual-interfaces/${v.id}/rename`, {
        body: JSON.stringify({ name: "by-console" }),
        headers: { ...formHeaders, "X-CSRF-Token": csrf },
      });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(renamed.json.object.name, "by-console");
      assert.equal(renamed.json.object.bgp_md5, "[secret]");
      assert.ok(!renamed.text.includes(key));
      const inventory = await b.req("GET", "/_emulator/inventory");
      assert.ok(!inventory.text.includes(key), "a BGP key in the inventory sent to a session");
      const byHeader = await c.admin("POST", `/virtual-interfaces/${v.id}/rename`, { name: "by-header" });
      assert.equal(byHeader.body.object.bgp_md5, key);
    }));

  it("refuses a cross-site sign-in, and signing out ends the session", () =>
    withEmulator({}, async (e) => {
      const b = new Browser(e.url);
      const cross = await b.signIn(ADMIN, { Origin: "http://evil.example" });
      assert.equal(cross.status, 403);
      assert.equal(cross.headers.get("set-cookie"), null);

      await b.signIn(ADMIN);
      const csrf = await b.csrf();
      const noCsrf = await b.req("POST", "/_emulator/console/signout", {
        body: "",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });
      assert.equal(noCsrf.status, 403);
      assert.equal((await b.req("GET", "/_emulator/console/state")).status, 200);

      const out = await b.req("POST", "/_emulator/console/signout", {
        body: new URLSearchParams({ csrf }).toString(),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });
      assert.equal(out.status, 303);
      assert.match(out.headers.get("set-cookie") ?? "", /Max-Age=0/);
      assert.equal((await b.req("GET", "/_emulator/console/state")).status, 401);
    }));
});

describe("emulator console: the state document", function () {
  it("never holds a BGP key, only whether one is set; lists connections, gateways, peers", () =>
    withEmulator({}, async (e, c) => {
      const key = "console-md5-key-9d41";
      const v = await createActiveVif(c, {
        route_mode: "bgp",
        bgp_asn: 65100,
        bgp_md5: key,
        remote_ep_group: undefined,
      });
      const peer = await c.req("POST", "/vif-peers", {
        vif_peer: {
          name: "v6",
          vif_id: v.id,
          address_family: "ipv6",
          local_gateway_ip: "fd00:1::1/64",
          remote_gateway_ip: "fd00:1::2/64",
          route_mode: "bgp",
          bgp_asn: 65100,
          bgp_md5: `${key}-peer`,
        },
      });
      assert.equal(peer.status, 201, peer.text);
      const state = await c.admin("GET", "/console/state");
      assert.equal(state.status, 200);
      assert.ok(!state.text.includes(key), "a BGP key in the console state");
      assert.ok(!state.text.includes(A.password) && !state.text.includes(A.secretKey), "a credential");
      const p = state.body.projects.find((x: any) => x.project_id === A.projectId);
      const vif = p.interfaces.find((x: any) => x.id === v.id);
      assert.equal(vif.bgp_key_set, true);
      assert.equal(vif.bgp_md5, undefined);
      assert.equal(vif.peers.length, 2);
      assert.deepEqual(vif.peers.map((x: any) => x.bgp_key_set).sort(), [true, true]);
      assert.ok(p.connections.some((x: any) => x.id === A.hostedConnections.active1 && x.bandwidth > 0));
      assert.deepEqual(p.gateways.find((g: any) => g.id === A.gatewayId).local_ep_group, [...A.vpcCidrs]);
    }));

  it("shows the transition in progress, applies due ones, and shows an object held in PENDING_*", () =>
    withEmulator({ delays: { vifCreate: 60_000 } }, async (_e, c) => {
      const v = (await c.req("POST", "/virtual-interfaces", vifBody())).body.virtual_interface;
      let s = await c.admin("GET", "/console/state");
      let vif = s.body.projects.find((x: any) => x.project_id === A.projectId).interfaces[0];
      assert.equal(vif.status, "PENDING_CREATE");
      assert.equal(vif.pending.next, "ACTIVE");
      assert.ok(vif.pending.due_in_ms > 0);
      assert.equal(typeof vif.since, "number");

      assert.equal(
        (await c.admin("POST", `/virtual-interfaces/${v.id}/status`, { status: "ACTIVE" })).status,
        200,
      );
      const held = await c.admin("POST", `/virtual-interfaces/${v.id}/status`, { status: "PENDING_UPDATE" });
      assert.equal(held.status, 200);
      s = await c.admin("GET", "/console/state");
      vif = s.body.projects.find((x: any) => x.project_id === A.projectId).interfaces[0];
      assert.equal(vif.status, "PENDING_UPDATE");
      assert.equal(vif.pending, null);
    }));

  it("filters the request log by route and status and names the fault that answered", () =>
    withEmulator({}, async (_e, c) => {
      const added = await c.admin("POST", "/faults", {
        rules: [{ method: "GET", route: VIFS, kind: "error", status: 503, times: 1 }],
      });
      assert.equal(added.status, 201);
      const ruleId = added.body.added[0].id;
      assert.equal((await c.req("GET", "/virtual-interfaces")).status, 503);
      assert.equal((await c.req("GET", "/virtual-interfaces")).status, 200);
      assert.equal((await c.req("GET", "/direct-connects")).status, 200);

      const all = (await c.admin("GET", "/console/state")).body.requests;
      assert.equal(all.total, 3);
      assert.ok(all.routes.includes(VIFS));
      const only503 = (await c.admin("GET", "/console/state?status=503")).body.requests;
      assert.equal(only503.entries.length, 1);
      assert.deepEqual(only503.entries[0].faults, [ruleId]);
      assert.equal(only503.entries[0].fault_rules[0].kind, "error");
      assert.equal(only503.entries[0].fault_rules[0].status, 503);
      const ok2xx = (await c.admin("GET", `/console/state?status=2xx&route=${encodeURIComponent(VIFS)}`)).body
        .requests;
      assert.equal(ok2xx.entries.length, 1);
      assert.equal(ok2xx.entries[0].status, 200);
      assert.equal((await c.admin("GET", "/console/state?faulted=1")).body.requests.matched, 1);
      // The rule ran out (times: 1), but the log still describes it.
      assert.deepEqual((await c.admin("GET", "/faults")).body.rules, []);
    }));

  it("filters the request log by method and object id, and sends one page of the newest entries", () =>
    withEmulator({}, async (_e, c) => {
      const v = await createActiveVif(c);
      const other = await createActiveVif(c);
      assert.equal(
        (await c.req("PUT", `/virtual-interfaces/${v.id}`, { virtual_interface: { name: "n2" } })).status,
        200,
      );
      for (let i = 0; i < 40; i++) assert.equal((await c.req("GET", "/direct-connects")).status, 200);
      const state = async (q: string) => (await c.admin("GET", `/console/state${q}`)).body.requests;

      const all = await state("");
      assert.equal(all.limit, DEFAULT_LOG_PAGE);
      assert.equal(all.entries.length, DEFAULT_LOG_PAGE);
      assert.equal(all.matched, all.total);
      assert.equal(all.kept, all.total);
      assert.deepEqual(all.methods, ["GET", "POST", "PUT"]);
      // Newest first; a larger limit pages back over the same entries.
      const more = await state("?limit=50");
      assert.ok(all.total > 40 && all.total < 50);
      assert.equal(more.entries.length, all.total);
      assert.deepEqual(
        more.entries.slice(0, DEFAULT_LOG_PAGE).map((e: any) => e.request_id),
        all.entries.map((e: any) => e.request_id),
      );
      assert.equal((await state("?limit=0")).entries.length, DEFAULT_LOG_PAGE);

      const puts = await state("?method=put");
      assert.deepEqual(
        puts.entries.map((e: any) => [e.method, e.path.endsWith(v.id)]),
        [["PUT", true]],
      );
      // The object's create (by the id it returned), its reads and its update; not the other one's.
      const mine = await state(`?object=${v.id.toUpperCase()}`);
      assert.deepEqual(mine.entries.map((e: any) => e.method).reverse(), [
        "POST",
        ...Array(mine.entries.length - 2).fill("GET"),
        "PUT",
      ]);
      assert.equal(mine.entries.at(-1).created_id, v.id);
      assert.ok(mine.entries.every((e: any) => !e.path.includes(other.id) && e.created_id !== other.id));
      const getsOfMine = await state(`?object=${v.id}&method=GET`);
      assert.equal(getsOfMine.matched, mine.matched - 2);
    }));

  it("DELETE /_emulator/faults/{id} clears one rule; an unknown id is 404", () =>
    withEmulator({}, async (_e, c) => {
      const added = await c.admin("POST", "/faults", {
        rules: [
          { kind: "error", status: 503, route: VIFS },
          { kind: "latency", minMs: 1, maxMs: 2 },
        ],
      });
      const [first, second] = added.body.added.map((r: any) => r.id);
      assert.equal((await c.admin("DELETE", `/faults/${first}`)).status, 204);
      assert.deepEqual(
        (await c.admin("GET", "/faults")).body.rules.map((r: any) => r.id),
        [second],
      );
      assert.equal((await c.admin("DELETE", `/faults/${first}`)).status, 404);
      assert.equal((await c.admin("DELETE", "/faults/abc")).status, 404);
      assert.equal((await new Client(c.url).req("DELETE", `/_emulator/faults/${second}`)).status, 401);
    }));

  it("serves its script and style, keeps console requests out of the log and the OpenAPI document", () =>
    withEmulator({}, async (e, c) => {
      const js = await fetch(`${e.url}/_emulator/console/console.js`);
      assert.match(js.headers.get("content-type") ?? "", /^text\/javascript/);
      const source = await js.text();
      assert.equal(source, consoleScript());
      assert.doesNotThrow(() => new Function(source), "the served script does not parse");
      const css = await fetch(`${e.url}/_emulator/console/console.css`);
      assert.match(css.headers.get("content-type") ?? "", /^text\/css/);
      await css.text();
      await c.admin("GET", "/console/state");
      assert.equal((await c.admin("GET", "/requests")).body.total, 0);
      const doc = (await c.req("GET", "/openapi.json")).body;
      assert.ok(!Object.keys(doc.paths).some((p) => p.startsWith("/_emulator/console")));
    }));

  it("request filter and status clock (units)", () => {
    const e = {
      time: "",
      request_id: "r",
      method: "GET",
      path: "/p",
      route: "/r",
      status: 503,
      duration_ms: 1,
    };
    assert.equal(matchesFilter(e, { status: "5xx" }), true);
    assert.equal(matchesFilter(e, { status: "503" }), true);
    assert.equal(matchesFilter(e, { status: "4xx" }), false);
    assert.equal(matchesFilter(e, { route: "/r" }), true);
    assert.equal(matchesFilter(e, { route: "/other" }), false);
    assert.equal(matchesFilter(e, { faulted: true }), false);
    assert.equal(matchesFilter({ ...e, faults: [1] }, { faulted: true }), true);
    assert.equal(matchesFilter(e, { method: "GET" }), true);
    assert.equal(matchesFilter(e, { method: "get" }), true);
    assert.equal(matchesFilter(e, { method: "DELETE" }), false);
    const about = {
      ...e,
      path: "/v3/p/dcaas/virtual-interfaces",
      created_id: "vif-ABC",
      created_in: "vif-P",
    };
    assert.equal(matchesFilter(about, { object: "abc" }), true);
    assert.equal(matchesFilter(about, { object: "vif-p" }), true);
    assert.equal(matchesFilter(about, { object: "zzz" }), false);
    assert.equal(matchesFilter({ ...e, seen: { "peer-9": "ACTIVE" } }, { object: "peer-9" }), true);
    assert.equal(matchesFilter({ ...e, path: "/x/vif-7/y" }, { object: "vif-7", method: "POST" }), false);
    assert.equal(pageSize({}), DEFAULT_LOG_PAGE);
    assert.equal(pageSize({ limit: 0.5 }), 1);
    assert.equal(pageSize({ limit: 5000 }), 1000);
    assert.equal(pageSize({ limit: Number.NaN }), DEFAULT_LOG_PAGE);
    const clock = new StatusClock();
    assert.equal(clock.since("a", "PENDING_CREATE", 1000, 500), 500);
    assert.equal(clock.since("a", "PENDING_CREATE", 2000, 500), 500);
    assert.equal(clock.since("a", "ACTIVE", 3000, 500), 3000);
    clock.keepOnly(new Set());
    assert.equal(clock.since("a", "ACTIVE", 4000, null), null);
  });
});
