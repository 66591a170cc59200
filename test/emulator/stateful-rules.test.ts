// The backend's stateful rules over HTTP, each with its exact status and code.
import assert from "node:assert/strict";
import { A, B, Client, createActiveVif, vifBody, withEmulator } from "./helpers";

async function expectError(
  p: Promise<{ status: number; body: any }>,
  status: number,
  code: string,
): Promise<void> {
  const r = await p;
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body.error_code, code, JSON.stringify(r.body));
}

describe("emulator stateful rules", function () {
  it("VLAN is unique per hosted connection among live interfaces (DC.1209), free again once gone", () =>
    withEmulator({ delays: { vifDelete: { reads: 0 } } }, async (_e, c) => {
      const first = await c.req("POST", "/virtual-interfaces", vifBody({ vlan: 300 }));
      assert.equal(first.status, 201);
      await expectError(c.req("POST", "/virtual-interfaces", vifBody({ vlan: 300 })), 400, "DC.1209");
      const other = await c.req(
        "POST",
        "/virtual-interfaces",
        vifBody({ vlan: 300, direct_connect_id: A.hostedConnections.active2 }),
      );
      assert.equal(other.status, 201, "same VLAN on another connection is fine");
      const b = new Client(c.url, B.projectId, B.token);
      const inB = await b.req(
        "POST",
        "/virtual-interfaces",
        vifBody({ vlan: 300, direct_connect_id: B.hostedConnections.active1, vgw_id: B.gatewayId }),
      );
      assert.equal(inB.status, 201, inB.text);
      assert.equal(
        (await c.req("DELETE", `/virtual-interfaces/${first.body.virtual_interface.id}`)).status,
        204,
      );
      await expectError(c.req("POST", "/virtual-interfaces", vifBody({ vlan: 300 })), 400, "DC.1209");
      await c.req("GET", "/virtual-interfaces"); // the first read completes the deletion
      assert.equal((await c.req("POST", "/virtual-interfaces", vifBody({ vlan: 300 }))).status, 201);
    }));

  it("checks the connection and the gateway: DC.1012, DC.1005, DC.1111, DC.1000, foreign ones", () =>
    withEmulator({}, async (_e, c) => {
      const missing = "11111111-2222-4333-8444-555555555555";
      await expectError(
        c.req("POST", "/virtual-interfaces", vifBody({ direct_connect_id: missing })),
        400,
        "DC.1012",
      );
      await expectError(
        c.req("POST", "/virtual-interfaces", vifBody({ direct_connect_id: B.hostedConnections.active1 })),
        400,
        "DC.1012",
      );
      await expectError(
        c.req("POST", "/virtual-interfaces", vifBody({ direct_connect_id: A.hostedConnections.down })),
        400,
        "DC.1005",
      );
      await expectError(c.req("POST", "/virtual-interfaces", vifBody({ vgw_id: missing })), 400, "DC.1111");
      await expectError(
        c.req("POST", "/virtual-interfaces", vifBody({ vgw_id: B.gatewayId })),
        400,
        "DC.1111",
      );
      await expectError(c.req("POST", "/virtual-interfaces", vifBody({ bandwidth: 1001 })), 400, "DC.1000");
      const ok = await c.req("POST", "/virtual-interfaces", vifBody({ bandwidth: 1000 }));
      assert.equal(ok.status, 201);
    }));

  it("refuses a connection that is not hosted (DC.1204)", () =>
    withEmulator(
      {
        fixtures: {
          projects: [
            {
              projectId: A.projectId,
              domainName: A.domainName,
              username: A.username,
              password: A.password,
              token: A.token,
              connections: [
                {
                  id: A.hostedConnections.active1,
                  name: "std",
                  type: "standard",
                  bandwidth: 1000,
                  status: "ACTIVE",
                },
              ],
              gateways: [{ id: A.gatewayId, name: "g", vpc_id: A.vpcId, local_ep_group: ["172.16.0.0/16"] }],
            },
          ],
        },
      },
      async (_e, c) => {
        await expectError(c.req("POST", "/virtual-interfaces", vifBody()), 400, "DC.1204");
      },
    ));

  it("keeps interconnect /30s and remote subnets off the VPC blocks and other interfaces' /30s (DC.0004)", () =>
    withEmulator({}, async (_e, c) => {
      await expectError(
        c.req(
          "POST",
          "/virtual-interfaces",
          vifBody({ remote_gateway_v4_ip: "172.16.5.2/30", local_gateway_v4_ip: "172.16.5.1/30" }),
        ),
        400,
        "DC.0004",
      );
      await expectError(
        c.req("POST", "/virtual-interfaces", vifBody({ remote_ep_group: ["172.16.128.0/20"] })),
        400,
        "DC.0004",
      );
      await expectError(
        c.req("POST", "/virtual-interfaces", vifBody({ remote_ep_group: ["172.0.0.0/8"] })),
        400,
        "DC.0004",
      );
      const first = await c.req(
        "POST",
        "/virtual-interfaces",
        vifBody({ remote_gateway_v4_ip: "192.168.77.2/30", local_gateway_v4_ip: "192.168.77.1/30" }),
      );
      assert.equal(first.status, 201);
      await expectError(
        c.req(
          "POST",
          "/virtual-interfaces",
          vifBody({
            direct_connect_id: A.hostedConnections.active2,
            remote_gateway_v4_ip: "192.168.77.1/30",
            local_gateway_v4_ip: "192.168.77.2/30",
          }),
        ),
        400,
        "DC.0004",
      );
      await expectError(
        c.req(
          "POST",
          "/virtual-interfaces",
          vifBody({
            standby_remote_gateway_v4_ip: "192.168.77.2/30",
            standby_local_gateway_v4_ip: "192.168.77.1/30",
          }),
        ),
        400,
        "DC.0004",
      );
      // The same /30 on another project's gateway is no conflict.
      const b = new Client(c.url, B.projectId, B.token);
      const inB = await b.req(
        "POST",
        "/virtual-interfaces",
        vifBody({
          direct_connect_id: B.hostedConnections.active1,
          vgw_id: B.gatewayId,
          remote_gateway_v4_ip: "192.168.77.2/30",
          local_gateway_v4_ip: "192.168.77.1/30",
        }),
      );
      assert.equal(inB.status, 201, inB.text);
    }));

  it("peers: parent must exist (DC.1211) and be ACTIVE (DC.1205); one per family; never the gateway ASN", () =>
    withEmulator({ delays: { vifCreate: { reads: 100 } } }, async (_e, c) => {
      const peer = (vifId: string, over: Record<string, unknown> = {}) => ({
        vif_peer: {
          address_family: "ipv6",
          local_gateway_ip: "fd00:9::1/64",
          remote_gateway_ip: "fd00:9::2/64",
          vif_id: vifId,
          ...over,
        },
      });
      await expectError(
        c.req("POST", "/vif-peers", peer("11111111-2222-4333-8444-555555555555")),
        400,
        "DC.1211",
      );
      const pending = (await c.req("POST", "/virtual-interfaces", vifBody())).body.virtual_interface;
      await expectError(c.req("POST", "/vif-peers", peer(pending.id)), 400, "DC.1205");
      await c.admin("POST", `/virtual-interfaces/${pending.id}/status`, { status: "ACTIVE" });
      await expectError(
        c.req("POST", "/vif-peers", peer(pending.id, { route_mode: "bgp", bgp_asn: 64512 })),
        400,
        "DC.1223",
      );
      assert.equal((await c.req("POST", "/vif-peers", peer(pending.id))).status, 201);
      await expectError(c.req("POST", "/vif-peers", peer(pending.id)), 400, "DC.0001");
      await expectError(
        c.req(
          "POST",
          "/vif-peers",
          peer(pending.id, {
            address_family: "ipv4",
            local_gateway_ip: "10.200.0.1/30",
            remote_gateway_ip: "10.200.0.2/30",
          }),
        ),
        400,
        "DC.0001",
      );
      // A foreign interface is invisible.
      const b = new Client(c.url, B.projectId, B.token);
      await expectError(b.req("POST", "/vif-peers", peer(pending.id)), 400, "DC.1211");
    }));

  it("peers: delete and update are refused while the interface is not ACTIVE or the peer is PENDING_*", () =>
    withEmulator({ delays: { peerCreate: { reads: 100 } } }, async (_e, c) => {
      const v = await createActiveVif(c);
      const p = (
        await c.req("POST", "/vif-peers", {
          vif_peer: {
            address_family: "ipv6",
            local_gateway_ip: "fd00:9::1/64",
            remote_gateway_ip: "fd00:9::2/64",
            vif_id: v.id,
          },
        })
      ).body.vif_peer;
      await expectError(c.req("PUT", `/vif-peers/${p.id}`, { vif_peer: { name: "n" } }), 400, "DC.1205");
      await c.admin("POST", `/vif-peers/${p.id}/status`, { status: "ACTIVE" });
      assert.equal((await c.req("PUT", `/vif-peers/${p.id}`, { vif_peer: { name: "n" } })).status, 200);
      await c.admin("POST", `/virtual-interfaces/${v.id}/status`, { status: "DOWN" });
      await expectError(c.req("DELETE", `/vif-peers/${p.id}`), 400, "DC.1205");
      await c.admin("POST", `/virtual-interfaces/${v.id}/status`, { status: "ACTIVE" });
      assert.equal((await c.req("DELETE", `/vif-peers/${p.id}`)).status, 204);
      const b = new Client(c.url, B.projectId, B.token);
      await expectError(b.req("DELETE", `/vif-peers/${v.vif_peers[0].id}`), 404, "DC.0002");
    }));
});
