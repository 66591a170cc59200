// The interface update (PUT .../virtual-interfaces/{id}) per profile. huawei: Huawei's
// UpdateVirtualInterface body (name, description, bandwidth within the hosted connection's,
// remote_ep_group, service_ep_group), the one PUT Terraform's huaweicloud_dc_virtual_interface
// sends; priority alone; BFD/NQA toggles; the accepter's status. jd-hosted: name and description
// only. Real HTTP on loopback against a started emulator with its SQLite store.
import assert from "node:assert/strict";
import { A, type Client, createActiveVif, withEmulator } from "./helpers";

const huawei = (over: Record<string, unknown> = {}) => ({
  vlan: A.huaweiVlans.active1,
  bandwidth: 100,
  ...over,
});

async function put(c: Client, id: string, body: Record<string, unknown>) {
  return c.req("PUT", `/virtual-interfaces/${id}`, { virtual_interface: body });
}

/** Asserts a one-line 400 with the code, naming the field. */
function refused(r: { status: number; body: any; text: string }, code: string, field: string, rule: RegExp) {
  assert.equal(r.status, code === "DC.1211" ? 404 : 400, r.text);
  assert.equal(r.body.error_code, code, r.text);
  assert.ok(!r.body.error_msg.includes("\n"), `not one line: ${r.body.error_msg}`);
  assert.ok(r.body.error_msg.includes(field), `does not name ${field}: ${r.body.error_msg}`);
  assert.match(r.body.error_msg, rule);
}

describe("interface update: huawei profile (Huawei's UpdateVirtualInterface)", function () {
  it("applies name, description, bandwidth and remote_ep_group of one PUT; the answer and later reads show them", () =>
    withEmulator({ profile: "huawei" }, async (_e, c) => {
      const v = await createActiveVif(c, huawei());
      assert.equal(v.bandwidth, 100);
      const r = await put(c, v.id, {
        name: "renamed",
        description: "",
        bandwidth: 50,
        remote_ep_group: ["192.168.10.0/24", "192.168.20.0/24"],
      });
      assert.equal(r.status, 200, r.text);
      const u = r.body.virtual_interface;
      assert.deepEqual(
        [u.name, u.description, u.bandwidth, u.remote_ep_group],
        ["renamed", "", 50, ["192.168.10.0/24", "192.168.20.0/24"]],
      );
      assert.equal(u.status, "ACTIVE");
      const shown = (await c.req("GET", `/virtual-interfaces/${v.id}`)).body.virtual_interface;
      assert.equal(shown.bandwidth, 50);
      assert.deepEqual(shown.remote_ep_group, ["192.168.10.0/24", "192.168.20.0/24"]);
      assert.deepEqual(shown.vif_peers[0].remote_ep_group, ["192.168.10.0/24", "192.168.20.0/24"]);
      assert.ok(shown.update_time >= v.update_time);
      // Sending the unchanged values again (Terraform always sends the whole body) is fine.
      const same = await put(c, v.id, {
        name: "renamed",
        bandwidth: 50,
        remote_ep_group: ["192.168.10.0/24", "192.168.20.0/24"],
        service_ep_group: [],
      });
      assert.equal(same.status, 200, same.text);
    }));

  it("refuses a bandwidth above the hosted connection's, bad subnets, an emptied static subnet list, public-only fields", () =>
    withEmulator({ profile: "huawei" }, async (_e, c) => {
      const v = await createActiveVif(c, huawei());
      refused(await put(c, v.id, { bandwidth: 1001 }), "DC.1000", "bandwidth", /exceeds the 1000 Mbit\/s/);
      refused(await put(c, v.id, { bandwidth: 1 }), "DC.0001", "bandwidth", /at least 2|2 to/);
      refused(await put(c, v.id, { bandwidth: "10" }), "DC.0001", "bandwidth", /integer/);
      refused(
        await put(c, v.id, { remote_ep_group: [] }),
        "DC.0001",
        "remote_ep_group",
        /route_mode is static/,
      );
      refused(
        await put(c, v.id, { remote_ep_group: ["192.168.10.1/24"] }),
        "DC.0004",
        "remote_ep_group",
        /no host bits/,
      );
      refused(
        await put(c, v.id, { remote_ep_group: ["172.16.5.0/24"] }),
        "DC.0004",
        "remote_ep_group",
        /overlaps the VPC block 172\.16\.0\.0\/16/,
      );
      refused(
        await put(c, v.id, { service_ep_group: ["1.2.3.0/24"] }),
        "DC.0001",
        "service_ep_group",
        /public virtual interfaces only/,
      );
      refused(await put(c, v.id, { vlan: 302 }), "DC.0001", "vlan", /cannot be updated/);
      refused(await put(c, v.id, { colour: "red" }), "DC.0001", "colour", /not a field/);
      // Nothing of the refused requests was applied.
      const shown = (await c.req("GET", `/virtual-interfaces/${v.id}`)).body.virtual_interface;
      assert.deepEqual([shown.bandwidth, shown.remote_ep_group], [100, ["192.168.10.0/24"]]);
    }));

  it("is refused with DC.1205 while the interface is PENDING_*, and 404 for an unknown id", () =>
    withEmulator({ profile: "huawei", delays: { vifCreate: 60_000 } }, async (_e, c) => {
      const r = await c.req("POST", "/virtual-interfaces", {
        virtual_interface: {
          name: "pending",
          direct_connect_id: A.hostedConnections.active1,
          vgw_id: A.gatewayId,
          vlan: A.huaweiVlans.active1,
          bandwidth: 100,
          route_mode: "static",
          remote_gateway_v4_ip: "10.200.0.2/30",
          local_gateway_v4_ip: "10.200.0.1/30",
          remote_ep_group: ["192.168.10.0/24"],
        },
      });
      assert.equal(r.status, 201, r.text);
      const p = await put(c, r.body.virtual_interface.id, { bandwidth: 50 });
      assert.equal(p.body.error_code, "DC.1205", p.text);
      const gone = await put(c, "00000000-0000-4000-8000-000000000000", { bandwidth: 50 });
      assert.equal(gone.status, 404);
    }));
});

describe("interface update: jd-hosted profile (the seed's model: rename only)", function () {
  it("still refuses bandwidth and remote_ep_group with DC.0001 naming the field", () =>
    withEmulator({}, async (_e, c) => {
      const v = await createActiveVif(c);
      refused(
        await put(c, v.id, { name: "x", bandwidth: 50 }),
        "DC.0001",
        "bandwidth",
        /cannot be updated: only name, description can be changed/,
      );
      refused(
        await put(c, v.id, { remote_ep_group: ["192.168.10.0/24"] }),
        "DC.0001",
        "remote_ep_group",
        /cannot be updated/,
      );
      refused(await put(c, v.id, { priority: "low" }), "DC.0001", "priority", /cannot be updated/);
      const ok = await put(c, v.id, { name: "renamed", description: "d" });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.virtual_interface.name, "renamed");
    }));
});

describe("huawei profile: Terraform's other request shapes for an interface", function () {
  const bgp = huawei({ route_mode: "bgp", bgp_asn: 65020, remote_ep_group: undefined });

  it("priority: changed in a PUT of its own, BGP interfaces only", () =>
    withEmulator({ profile: "huawei" }, async (_e, c) => {
      const v = await createActiveVif(c, bgp);
      assert.equal(v.priority, "normal");
      const r = await put(c, v.id, { priority: "low" });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.virtual_interface.priority, "low");
      refused(
        await put(c, v.id, { priority: "normal", name: "x" }),
        "DC.0001",
        "priority",
        /request of its own/,
      );
      refused(await put(c, v.id, { priority: "high" }), "DC.0001", "priority", /normal, low/);
      const s = await createActiveVif(
        c,
        huawei({ direct_connect_id: A.hostedConnections.active2, vlan: 302 }),
      );
      refused(await put(c, s.id, { priority: "low" }), "DC.0001", "priority", /BGP virtual interfaces only/);
    }));

  it("BFD/NQA: toggled one at a time (off, then on); never both on", () =>
    withEmulator({ profile: "huawei" }, async (_e, c) => {
      const v = await createActiveVif(c, huawei({ enable_bfd: true }));
      assert.equal(v.enable_bfd, true);
      refused(await put(c, v.id, { enable_nqa: true }), "DC.0001", "enable_nqa", /cannot both be true/);
      refused(
        await put(c, v.id, { enable_bfd: true, enable_nqa: true }),
        "DC.0001",
        "enable_nqa",
        /cannot both be true/,
      );
      const off = await put(c, v.id, { enable_bfd: false });
      assert.equal(off.status, 200, off.text);
      const on = await put(c, v.id, { enable_nqa: true });
      assert.equal(on.status, 200, on.text);
      assert.deepEqual(
        [on.body.virtual_interface.enable_bfd, on.body.virtual_interface.enable_nqa],
        [false, true],
      );
      refused(await put(c, v.id, { enable_bfd: "yes" }), "DC.0001", "enable_bfd", /true or false/);
    }));

  it("the accepter's status PUT: DC.1210 unless AUTHORIZATION; ACCEPTED makes it ACTIVE, REJECTED leaves it REJECTED", () =>
    withEmulator({ profile: "huawei" }, async (_e, c) => {
      const v = await createActiveVif(c, huawei());
      refused(
        await put(c, v.id, { status: "ACCEPTED" }),
        "DC.1210",
        "status",
        /only an interface awaiting acceptance/,
      );
      refused(
        await put(c, v.id, { status: "ACCEPTED", name: "x" }),
        "DC.0001",
        "status",
        /request of its own/,
      );
      refused(await put(c, v.id, { status: "ACTIVE" }), "DC.0001", "status", /ACCEPTED, REJECTED/);
      assert.equal(
        (await c.admin("POST", `/virtual-interfaces/${v.id}/status`, { status: "AUTHORIZATION" })).status,
        200,
      );
      const ok = await put(c, v.id, { status: "ACCEPTED" });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.virtual_interface.status, "ACTIVE");
      await c.admin("POST", `/virtual-interfaces/${v.id}/status`, { status: "AUTHORIZATION" });
      const no = await put(c, v.id, { status: "REJECTED" });
      assert.equal(no.body.virtual_interface.status, "REJECTED");
    }));

  it("lists filter by enterprise_project_id (comma-separated, 0 or UUIDs); extend-attributes answers 501", () =>
    withEmulator({ profile: "huawei" }, async (_e, c) => {
      const eps = "a3bad420-33b8-4e26-9e9b-bdf67aa8e72b";
      const v0 = await createActiveVif(c, huawei());
      const v1 = await createActiveVif(
        c,
        huawei({ direct_connect_id: A.hostedConnections.active2, vlan: 302, enterprise_project_id: eps }),
      );
      const ids = async (q: string) =>
        (await c.req("GET", `/virtual-interfaces?${q}`)).body.virtual_interfaces.map((x: any) => x.id);
      assert.deepEqual(await ids(`enterprise_project_id=${eps}`), [v1.id]);
      assert.deepEqual(await ids("enterprise_project_id=0"), [v0.id]);
      assert.deepEqual((await ids(`enterprise_project_id=0,${eps}`)).sort(), [v0.id, v1.id].sort());
      const bad = await c.req("GET", "/virtual-interfaces?enterprise_project_id=abc");
      assert.equal(bad.status, 400);
      assert.match(bad.body.error_msg, /enterprise_project_id values must be 0 or a UUID/);
      const ext = await c.req("PUT", `/virtual-interfaces/${v0.id}/extend-attributes`, {
        extend_attribute: { ha_type: "bfd", ha_mode: "auto_single" },
      });
      assert.equal(ext.status, 501);
      assert.equal(ext.body.error_code, "EMULATOR.0501");
    }));
});
