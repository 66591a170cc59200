// Every route of the cloud API over real HTTP: statuses, wrappers, paging, filters, error bodies.
import assert from "node:assert/strict";
import { A, B, Client, createActiveVif, vifBody, withEmulator } from "./helpers";

const UNKNOWN = "00000000-0000-4000-8000-000000000000";

function assertError(r: { status: number; body: any; headers: Headers }, status: number, code: string): void {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body.error_code, code, JSON.stringify(r.body));
  assert.equal(typeof r.body.error_msg, "string");
  assert.equal(r.body.request_id, r.headers.get("x-request-id"));
}

describe("emulator routes", function () {
  describe("read-only neighbours", () => {
    it("lists and shows connections and gateways of the project only", () =>
      withEmulator({}, async (_e, c) => {
        const list = await c.req("GET", "/direct-connects");
        assert.equal(list.status, 200);
        assert.deepEqual(
          list.body.direct_connects.map((d: any) => d.id).sort(),
          Object.values(A.hostedConnections).sort(),
        );
        assert.equal(list.body.page_info.current_count, 3);
        const down = await c.req("GET", `/direct-connects/${A.hostedConnections.down}`);
        assert.equal(down.body.direct_connect.status, "DOWN");
        assert.equal(down.body.direct_connect.type, "hosted");
        assert.equal(down.body.direct_connect.bandwidth, 1000);
        const gw = await c.req("GET", `/virtual-gateways/${A.gatewayId}`);
        assert.deepEqual(gw.body.virtual_gateway.local_ep_group, A.vpcCidrs);
        assert.equal(gw.body.virtual_gateway.bgp_asn, 64512);
        assert.equal((await c.req("GET", "/virtual-gateways")).body.virtual_gateways.length, 1);
        assertError(await c.req("GET", `/direct-connects/${B.hostedConnections.active1}`), 404, "DC.0002");
        assertError(await c.req("GET", `/virtual-gateways/${B.gatewayId}`), 404, "DC.0002");
        const filtered = await c.req("GET", `/direct-connects?id=${A.hostedConnections.active2}`);
        assert.deepEqual(
          filtered.body.direct_connects.map((d: any) => d.id),
          [A.hostedConnections.active2],
        );
      }));
  });

  describe("virtual interfaces", () => {
    it("creates in PENDING_CREATE with its IPv4 peer, shows, lists", () =>
      withEmulator({ delays: { vifCreate: { reads: 1 } } }, async (_e, c) => {
        const body = vifBody({
          route_mode: "bgp",
          bgp_asn: 65010,
          bgp_md5: "s3cret!",
          remote_ep_group: undefined,
        });
        const r = await c.req("POST", "/virtual-interfaces", body);
        assert.equal(r.status, 201, r.text);
        const v = r.body.virtual_interface;
        assert.equal(r.body.request_id, r.headers.get("x-request-id"));
        assert.equal(v.status, "PENDING_CREATE");
        assert.equal(v.tenant_id, A.projectId);
        assert.equal(v.enterprise_project_id, "0");
        assert.equal(v.bandwidth, 1000, "defaults to the connection's bandwidth");
        assert.equal(v.bgp_md5, "s3cret!");
        assert.equal(v.type, "private");
        assert.match(v.id, /^[0-9a-f-]{36}$/);
        assert.equal(v.vif_peers.length, 1);
        const p = v.vif_peers[0];
        assert.equal(p.address_family, "ipv4");
        assert.equal(p.local_gateway_ip, body.virtual_interface.local_gateway_v4_ip);
        assert.equal(p.remote_gateway_ip, body.virtual_interface.remote_gateway_v4_ip);
        assert.equal(p.bgp_status, "DOWN");
        assert.equal(p.vif_id, v.id);
        const s1 = await c.req("GET", `/virtual-interfaces/${v.id}`);
        assert.equal(s1.body.virtual_interface.status, "PENDING_CREATE");
        const s2 = await c.req("GET", `/virtual-interfaces/${v.id}`);
        assert.equal(s2.body.virtual_interface.status, "ACTIVE");
        assert.equal(s2.body.virtual_interface.vif_peers[0].status, "ACTIVE");
        assert.equal(s2.body.virtual_interface.vif_peers[0].bgp_status, "UP");
        const list = await c.req("GET", "/virtual-interfaces");
        assert.equal(list.status, 200);
        assert.deepEqual(
          list.body.virtual_interfaces.map((x: any) => x.id),
          [v.id],
        );
      }));

    it("stores the create body's tags (Huawei's {key, value} list) and returns them on every read", () =>
      withEmulator({ delays: { vifCreate: { reads: 1 } } }, async (_e, c) => {
        const tags = [
          { key: "pulumi-dcaas:owner", value: "proj/prod/branch-1" },
          { key: "env", value: "" },
        ];
        const r = await c.req("POST", "/virtual-interfaces", vifBody({ tags }));
        assert.equal(r.status, 201, r.text);
        const id = r.body.virtual_interface.id;
        assert.deepEqual(r.body.virtual_interface.tags, tags);
        assert.deepEqual((await c.req("GET", `/virtual-interfaces/${id}`)).body.virtual_interface.tags, tags);
        const listed = (await c.req("GET", "/virtual-interfaces")).body.virtual_interfaces;
        assert.deepEqual(listed.find((x: any) => x.id === id).tags, tags);
        const put = await c.req("PUT", `/virtual-interfaces/${id}`, {
          virtual_interface: { name: "renamed" },
        });
        assert.deepEqual(put.body.virtual_interface.tags, tags);
        const untagged = (await c.req("POST", "/virtual-interfaces", vifBody())).body.virtual_interface;
        assert.deepEqual(untagged.tags, []);
        const bad = await c.req(
          "POST",
          "/virtual-interfaces",
          vifBody({ tags: [{ key: "_sys_x", value: "v" }] }),
        );
        assertError(bad, 400, "DC.0001");
      }));

    it("pages with limit and marker; a marker equal to the last id gives an empty page", () =>
      withEmulator({}, async (_e, c) => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++)
          ids.push((await c.req("POST", "/virtual-interfaces", vifBody())).body.virtual_interface.id);
        ids.sort();
        const p1 = await c.req("GET", "/virtual-interfaces?limit=2");
        assert.deepEqual(
          p1.body.virtual_interfaces.map((x: any) => x.id),
          ids.slice(0, 2),
        );
        assert.equal(p1.body.page_info.current_count, 2);
        assert.equal(p1.body.page_info.next_marker, ids[1]);
        const p2 = await c.req("GET", `/virtual-interfaces?limit=2&marker=${p1.body.page_info.next_marker}`);
        assert.deepEqual(
          p2.body.virtual_interfaces.map((x: any) => x.id),
          ids.slice(2, 4),
        );
        const p3 = await c.req("GET", `/virtual-interfaces?limit=2&marker=${ids[3]}`);
        assert.deepEqual(
          p3.body.virtual_interfaces.map((x: any) => x.id),
          ids.slice(4),
        );
        assert.equal(p3.body.page_info.next_marker, undefined);
        const last = await c.req("GET", `/virtual-interfaces?marker=${ids[4]}`);
        assert.equal(last.status, 200);
        assert.deepEqual(last.body.virtual_interfaces, []);
        assert.equal(last.body.page_info.current_count, 0);
        for (const bad of ["0", "2001", "x", "1.5"])
          assertError(await c.req("GET", `/virtual-interfaces?limit=${bad}`), 400, "DC.0001");
        assertError(await c.req("GET", `/virtual-interfaces?marker=${"a".repeat(37)}`), 400, "DC.0001");
      }));

    it("filters by id, status, direct_connect_id and vgw_id (repeatable)", () =>
      withEmulator({ delays: { vifCreate: { reads: 1000 } } }, async (_e, c) => {
        const a = (await c.req("POST", "/virtual-interfaces", vifBody())).body.virtual_interface;
        await c.admin("POST", `/virtual-interfaces/${a.id}/status`, { status: "ACTIVE" });
        const b = (
          await c.req(
            "POST",
            "/virtual-interfaces",
            vifBody({ direct_connect_id: A.hostedConnections.active2 }),
          )
        ).body.virtual_interface;
        const ids = (r: any) => r.body.virtual_interfaces.map((x: any) => x.id).sort();
        assert.deepEqual(ids(await c.req("GET", `/virtual-interfaces?id=${a.id}`)), [a.id]);
        assert.deepEqual(
          ids(await c.req("GET", `/virtual-interfaces?id=${a.id}&id=${b.id}`)),
          [a.id, b.id].sort(),
        );
        assert.deepEqual(ids(await c.req("GET", `/virtual-interfaces?status=PENDING_CREATE`)), [b.id]);
        assert.deepEqual(
          ids(await c.req("GET", `/virtual-interfaces?direct_connect_id=${A.hostedConnections.active1}`)),
          [a.id],
        );
        assert.deepEqual(
          ids(await c.req("GET", `/virtual-interfaces?vgw_id=${A.gatewayId}`)),
          [a.id, b.id].sort(),
        );
        assert.deepEqual(ids(await c.req("GET", `/virtual-interfaces?vgw_id=${B.gatewayId}`)), []);
        assertError(await c.req("GET", "/virtual-interfaces?name=x"), 400, "DC.0001");
        assertError(await c.req("GET", `/virtual-interfaces?${"id=a&".repeat(6)}`), 400, "DC.0001");
        const r = await c.req("GET", "/virtual-interfaces?sort_dir=desc");
        assertError(r, 501, "EMULATOR.0501");
        assert.match(r.body.error_msg, /not implemented by the emulator/);
      }));

    it("updates name and description only, refuses while PENDING_*, 404 for unknown ids", () =>
      withEmulator({ delays: { vifCreate: { reads: 5 } } }, async (_e, c) => {
        const v = (await c.req("POST", "/virtual-interfaces", vifBody())).body.virtual_interface;
        assertError(
          await c.req("PUT", `/virtual-interfaces/${v.id}`, { virtual_interface: { name: "renamed" } }),
          400,
          "DC.1205",
        );
        await c.admin("POST", `/virtual-interfaces/${v.id}/status`, { status: "ACTIVE" });
        const r = await c.req("PUT", `/virtual-interfaces/${v.id}`, {
          virtual_interface: { name: "renamed", description: "d" },
        });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.virtual_interface.name, "renamed");
        assert.equal(r.body.virtual_interface.description, "d");
        assert.equal(r.body.virtual_interface.vlan, v.vlan);
        assertError(
          await c.req("PUT", `/virtual-interfaces/${v.id}`, { virtual_interface: { vlan: 7 } }),
          400,
          "DC.0001",
        );
        assertError(
          await c.req("PUT", `/virtual-interfaces/${v.id}`, { virtual_interface: { colour: "red" } }),
          400,
          "DC.0001",
        );
        assertError(
          await c.req("PUT", `/virtual-interfaces/${v.id}`, { virtual_interface: {} }),
          400,
          "DC.0001",
        );
        assertError(await c.req("PUT", `/virtual-interfaces/${v.id}`, { name: "x" }), 400, "DC.0000");
        assertError(
          await c.req("PUT", `/virtual-interfaces/${UNKNOWN}`, { virtual_interface: { name: "x" } }),
          404,
          "DC.1211",
        );
        assertError(await c.req("GET", `/virtual-interfaces/${UNKNOWN}`), 404, "DC.1211");
        assertError(await c.req("DELETE", `/virtual-interfaces/${UNKNOWN}`), 404, "DC.1211");
        assertError(await c.req("GET", `/virtual-interfaces/not-a-uuid`), 404, "DC.1211");
      }));

    it("deletes: 204, PENDING_DELETE, then 404; a repeated delete while deleting is a no-op", () =>
      withEmulator({ delays: { vifDelete: { reads: 1 } } }, async (_e, c) => {
        const v = await createActiveVif(c);
        const d = await c.req("DELETE", `/virtual-interfaces/${v.id}`);
        assert.equal(d.status, 204);
        assert.equal(d.text, "");
        assert.ok(d.headers.get("x-request-id"));
        assert.equal((await c.req("DELETE", `/virtual-interfaces/${v.id}`)).status, 204);
        const s = await c.req("GET", `/virtual-interfaces/${v.id}`);
        assert.equal(s.body.virtual_interface.status, "PENDING_DELETE");
        assert.equal(s.body.virtual_interface.vif_peers[0].status, "PENDING_DELETE");
        assertError(await c.req("GET", `/virtual-interfaces/${v.id}`), 404, "DC.1211");
        assertError(await c.req("DELETE", `/virtual-interfaces/${v.id}`), 404, "DC.1211");
      }));
  });

  describe("peers", () => {
    it("adds an IPv6 peer, updates it, deletes it; the last peer stays", () =>
      withEmulator({ delays: { peerCreate: { reads: 1 }, peerDelete: { reads: 1 } } }, async (_e, c) => {
        const v = await createActiveVif(c);
        const r = await c.req("POST", "/vif-peers", {
          vif_peer: {
            name: "v6",
            address_family: "ipv6",
            local_gateway_ip: "fd00:1::1/64",
            remote_gateway_ip: "fd00:1::2/64",
            route_mode: "bgp",
            bgp_asn: 65020,
            remote_ep_group: ["fd00:2::/64"],
            vif_id: v.id,
          },
        });
        assert.equal(r.status, 201, r.text);
        const p = r.body.vif_peer;
        assert.equal(p.status, "PENDING_CREATE");
        assert.equal(p.bgp_status, "DOWN");
        assert.equal(p.receive_route_num, 0);
        const shown = await c.req("GET", `/virtual-interfaces/${v.id}`);
        assert.deepEqual(
          shown.body.virtual_interface.vif_peers.map((x: any) => x.address_family),
          ["ipv4", "ipv6"],
        );
        const again = await c.req("GET", `/virtual-interfaces/${v.id}`);
        assert.equal(again.body.virtual_interface.vif_peers[1].status, "ACTIVE");
        assert.equal(again.body.virtual_interface.vif_peers[1].bgp_status, "UP");
        const u = await c.req("PUT", `/vif-peers/${p.id}`, {
          vif_peer: { name: "v6b", remote_ep_group: ["fd00:3::/64"] },
        });
        assert.equal(u.status, 200, u.text);
        assert.equal(u.body.vif_peer.name, "v6b");
        assert.deepEqual(u.body.vif_peer.remote_ep_group, ["fd00:3::/64"]);
        assertError(
          await c.req("PUT", `/vif-peers/${p.id}`, { vif_peer: { remote_ep_group: ["10.9.0.0/24"] } }),
          400,
          "DC.0004",
        );
        assertError(
          await c.req("PUT", `/vif-peers/${p.id}`, { vif_peer: { route_mode: "static" } }),
          400,
          "DC.0001",
        );
        assert.equal((await c.req("DELETE", `/vif-peers/${p.id}`)).status, 204);
        const v4 = shown.body.virtual_interface.vif_peers[0].id;
        assertError(await c.req("DELETE", `/vif-peers/${v4}`), 400, "DC.0001");
        await c.req("GET", `/virtual-interfaces/${v.id}`);
        const gone = await c.req("GET", `/virtual-interfaces/${v.id}`);
        assert.deepEqual(
          gone.body.virtual_interface.vif_peers.map((x: any) => x.id),
          [v4],
        );
        assertError(await c.req("PUT", `/vif-peers/${p.id}`, { vif_peer: { name: "x" } }), 404, "DC.0002");
        assertError(await c.req("DELETE", `/vif-peers/${UNKNOWN}`), 404, "DC.0002");
        assertError(await c.req("GET", `/vif-peers/${v4}`), 404, "APIGW.0101");
      }));
  });

  describe("the wire", () => {
    it("answers malformed bodies with DC.0000, unknown fields with DC.0001, never crashing", () =>
      withEmulator({}, async (_e, c) => {
        assertError(await c.req("POST", "/virtual-interfaces", "{not json"), 400, "DC.0000");
        assertError(await c.req("POST", "/virtual-interfaces", ""), 400, "DC.0000");
        assertError(await c.req("POST", "/virtual-interfaces", "[]"), 400, "DC.0000");
        assertError(await c.req("POST", "/virtual-interfaces", "null"), 400, "DC.0000");
        assertError(await c.req("POST", "/virtual-interfaces", { vif: {} }), 400, "DC.0000");
        const body = vifBody();
        (body.virtual_interface as any).colour = "red";
        assertError(await c.req("POST", "/virtual-interfaces", body), 400, "DC.0001");
        assertError(await c.req("POST", "/vif-peers", "\u0000\u0001"), 400, "DC.0000");
        assert.equal((await c.req("GET", "/virtual-interfaces")).status, 200, "still serving");
      }));

    it("limits the body size (413 APIGW.0201), routes unknown paths to APIGW.0101 and stubs to 501", () =>
      withEmulator({ bodyLimit: 4096 }, async (_e, c) => {
        const big = JSON.stringify({ virtual_interface: { name: "x".repeat(5000) } });
        assertError(await c.req("POST", "/virtual-interfaces", big), 413, "APIGW.0201");
        assertError(await c.req("GET", "/nothing-here"), 404, "APIGW.0101");
        assertError(await c.req("PATCH", "/virtual-interfaces"), 404, "APIGW.0101");
        const ext = await c.req("PUT", `/virtual-interfaces/${UNKNOWN}/extend-attributes`, {
          extend_attribute: {},
        });
        assertError(ext, 501, "EMULATOR.0501");
        assertError(await c.req("GET", "/quotas"), 501, "EMULATOR.0501");
      }));

    it("puts X-Request-Id on every response, unique per request", () =>
      withEmulator({}, async (e, c) => {
        const seen = new Set<string>();
        const anon = new Client(e.url, A.projectId, null);
        for (const r of [
          await c.req("GET", "/virtual-interfaces"),
          await anon.req("GET", "/virtual-interfaces"),
          await c.req("GET", "/x"),
          await c.req("GET", "/openapi.json"),
          await c.req("GET", "/_emulator/health"),
          await c.req("POST", "/v3/auth/tokens", "{}"),
        ]) {
          const id = r.headers.get("x-request-id");
          assert.match(id ?? "", /^[0-9a-f]{32}$/);
          seen.add(id!);
        }
        assert.equal(seen.size, 6);
      }));
  });
});
