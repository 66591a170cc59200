// The emulator's rule profiles: jd-hosted (the default) and huawei (--profile, DCAAS_EMULATOR_PROFILE,
// startEmulator({profile})), with Huawei's rules and answers.
import assert from "node:assert/strict";
import { parseArgs } from "../../emulator/cli";
import { A, vifBody, withEmulator } from "./helpers";

const huaweiBody = (over: Record<string, unknown> = {}) =>
  vifBody({ vlan: A.huaweiVlans.active1, bandwidth: 100, ...over });

describe("emulator rule profiles", function () {
  it("--profile and DCAAS_EMULATOR_PROFILE choose the profile; jd-hosted is the default; bad names fail", () => {
    assert.equal((parseArgs([], {}) as any).profile, undefined);
    assert.equal((parseArgs(["--profile", "huawei"], {}) as any).profile, "huawei");
    assert.equal((parseArgs([], { DCAAS_EMULATOR_PROFILE: "huawei" }) as any).profile, "huawei");
    assert.equal(
      (parseArgs(["--profile=jd-hosted"], { DCAAS_EMULATOR_PROFILE: "huawei" }) as any).profile,
      "jd-hosted",
    );
    assert.throws(() => parseArgs(["--profile", "aws"], {}), /--profile must be one of jd-hosted, huawei/);
  });

  it("jd-hosted (default): connections have no VLAN; the customer picks one; create answers the IPv4 peer", () =>
    withEmulator({}, async (e, c) => {
      assert.equal(e.profile, "jd-hosted");
      const conn = await c.req("GET", `/direct-connects/${A.hostedConnections.active1}`);
      assert.equal(conn.body.direct_connect.vlan, null);
      const r = await c.req(
        "POST",
        "/virtual-interfaces",
        vifBody({ vlan: 1234, route_mode: "bgp", bgp_asn: 65010, remote_ep_group: undefined }),
      );
      assert.equal(r.status, 201, r.text);
      assert.equal(r.body.virtual_interface.vif_peers.length, 1);
      assert.equal(r.body.virtual_interface.route_mode, "bgp");
      const bad = await c.req(
        "POST",
        "/virtual-interfaces",
        vifBody({ route_mode: "bgp", bgp_asn: 4200000000 }),
      );
      assert.equal(bad.body.error_code, "DC.0008");
      assert.match(bad.body.error_msg, /jd-hosted profile/);
    }));

  it("huawei: hosted connections carry a VLAN and the interface's must equal it (DC.1207)", () =>
    withEmulator({ profile: "huawei" }, async (e, c) => {
      assert.equal(e.profile, "huawei");
      const conn = await c.req("GET", `/direct-connects/${A.hostedConnections.active1}`);
      assert.equal(conn.body.direct_connect.vlan, A.huaweiVlans.active1);
      const wrong = await c.req(
        "POST",
        "/virtual-interfaces",
        huaweiBody({ vlan: A.huaweiVlans.active1 + 50 }),
      );
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error_code, "DC.1207");
      assert.match(wrong.body.error_msg, /vlan must equal the VLAN 301 .*huawei profile/);
      const ok = await c.req("POST", "/virtual-interfaces", huaweiBody());
      assert.equal(ok.status, 201, ok.text);
      // A second interface on the same connection would need the same VLAN: DC.1209.
      const again = await c.req("POST", "/virtual-interfaces", huaweiBody());
      assert.equal(again.body.error_code, "DC.1209");
    }));

  it("huawei: bandwidth required, ASN 1-4294967295 but not 64512 nor the gateway's, no standby pair", () =>
    withEmulator({ profile: "huawei" }, async (_e, c) => {
      const noBw = await c.req("POST", "/virtual-interfaces", vifBody({ vlan: A.huaweiVlans.active1 }));
      assert.equal(noBw.body.error_code, "DC.0001");
      assert.match(noBw.body.error_msg, /bandwidth is required \(huawei profile/);
      const over = await c.req("POST", "/virtual-interfaces", huaweiBody({ bandwidth: 1001 }));
      assert.equal(over.body.error_code, "DC.1000");
      const own = await c.req(
        "POST",
        "/virtual-interfaces",
        huaweiBody({ route_mode: "bgp", bgp_asn: 64512, remote_ep_group: undefined }),
      );
      assert.equal(own.body.error_code, "DC.1223");
      const standby = await c.req(
        "POST",
        "/virtual-interfaces",
        huaweiBody({
          standby_remote_gateway_v4_ip: "10.99.0.1/30",
          standby_local_gateway_v4_ip: "10.99.0.2/30",
        }),
      );
      assert.equal(standby.body.error_code, "DC.0001");
      assert.match(standby.body.error_msg, /second virtual interface on a second hosted connection/);
      const big = await c.req(
        "POST",
        "/virtual-interfaces",
        huaweiBody({ route_mode: "bgp", bgp_asn: 4200000000, remote_ep_group: undefined }),
      );
      assert.equal(big.status, 201, big.text);
    }));

  it("huawei: create answers vif_peers null; answers carry route_mode, bgp_asn and bgp_md5 as given", () =>
    withEmulator({ profile: "huawei" }, async (_e, c) => {
      const r = await c.req(
        "POST",
        "/virtual-interfaces",
        huaweiBody({ route_mode: "bgp", bgp_asn: 65010, bgp_md5: "k3y", remote_ep_group: undefined }),
      );
      assert.equal(r.status, 201, r.text);
      const v = r.body.virtual_interface;
      assert.equal(v.vif_peers, null);
      assert.ok(!("standby_remote_gateway_v4_ip" in v));
      const bgp = { route_mode: "bgp", bgp_asn: 65010, bgp_md5: "k3y" };
      assert.deepEqual({ route_mode: v.route_mode, bgp_asn: v.bgp_asn, bgp_md5: v.bgp_md5 }, bgp);
      assert.equal(v.bandwidth, 100);
      const shown = (await c.req("GET", `/virtual-interfaces/${v.id}`)).body.virtual_interface;
      assert.equal(shown.route_mode, "bgp");
      assert.equal(shown.vif_peers.length, 1, "the IPv4 peer, with its route mode, is in later answers");
      assert.equal(shown.vif_peers[0].route_mode, "bgp");
      const listed = (await c.req("GET", "/virtual-interfaces")).body.virtual_interfaces;
      assert.ok(listed.every((x: any) => x.bgp_md5 === "k3y" && x.bgp_asn === 65010));
      const updated = await c.req("PUT", `/virtual-interfaces/${v.id}`, {
        virtual_interface: { name: "renamed" },
      });
      assert.equal(updated.status, 200, updated.text);
      assert.equal(updated.body.virtual_interface.bgp_asn, 65010);
      // A static interface answers route_mode static and null BGP fields (Huawei's peer example).
      const s = await c.req(
        "POST",
        "/virtual-interfaces",
        huaweiBody({ direct_connect_id: A.hostedConnections.active2, vlan: A.huaweiVlans.active2 }),
      );
      assert.equal(s.status, 201, s.text);
      const sv = s.body.virtual_interface;
      assert.deepEqual([sv.route_mode, sv.bgp_asn, sv.bgp_md5], ["static", null, null]);
      // A peer's ASN equal to the gateway's is refused under both profiles (DC.1223).
      const peer = await c.req("POST", "/vif-peers", {
        vif_peer: {
          vif_id: v.id,
          address_family: "ipv6",
          local_gateway_ip: "fd00:1::1/64",
          remote_gateway_ip: "fd00:1::2/64",
          route_mode: "bgp",
          bgp_asn: 64512,
        },
      });
      assert.equal(peer.body.error_code, "DC.1223");
    }));
});
