// Replays the shared conformance table (test/helpers/conformance.ts) over HTTP: every valid body
// is accepted (201/200) and every invalid one is refused with 400 and the table's code, exactly
// as api/rules.ts decides in the unit tests. The emulator is reset before each case.
import assert from "node:assert/strict";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { CONFORMANCE_CASES, CONFORMANCE_PEER_VIF_ID, type ConformanceCase } from "../helpers/conformance";
import { ADMIN, Client, vifBody } from "./helpers";

function substituteVifId(body: unknown, vifId: string): unknown {
  return JSON.parse(JSON.stringify(body).split(CONFORMANCE_PEER_VIF_ID).join(vifId));
}

function familyOf(body: unknown): string | undefined {
  const inner = (body as { vif_peer?: { address_family?: unknown } })?.vif_peer;
  return typeof inner?.address_family === "string" ? inner.address_family.toLowerCase() : undefined;
}

describe("emulator conformance replay (CONFORMANCE_CASES over HTTP)", function () {
  let e: RunningEmulator;
  let c: Client;

  before(async () => {
    e = await startEmulator({
      adminToken: ADMIN,
      delays: { vifCreate: 0, vifDelete: 0, peerCreate: 0, peerDelete: 0 },
    });
    c = new Client(e.url);
  });
  after(async () => {
    await e?.close();
  });

  /** An ACTIVE interface on a connection and gateway the table does not use for its own /30s. */
  async function activeVif(): Promise<any> {
    const r = await c.req(
      "POST",
      "/virtual-interfaces",
      vifBody({
        direct_connect_id: e.fixtures.hostedConnections.active2,
        vlan: 3000,
        remote_gateway_v4_ip: "192.168.250.2/30",
        local_gateway_v4_ip: "192.168.250.1/30",
      }),
    );
    assert.equal(r.status, 201, r.text);
    const shown = await c.req("GET", `/virtual-interfaces/${r.body.virtual_interface.id}`);
    assert.equal(shown.body.virtual_interface.status, "ACTIVE");
    return shown.body.virtual_interface;
  }

  async function run(tc: ConformanceCase): Promise<{ status: number; body: any; text: string }> {
    switch (tc.kind) {
      case "hostedVifCreate":
        return c.req("POST", "/virtual-interfaces", tc.body);
      case "hostedVifUpdate": {
        const v = await activeVif();
        return c.req("PUT", `/virtual-interfaces/${v.id}`, tc.body);
      }
      case "vifPeerCreate": {
        const v = await activeVif();
        // The interface's own IPv4 peer would take the family; remove it out of band for IPv4 cases.
        if (familyOf(tc.body) === "ipv4") await c.admin("POST", `/vif-peers/${v.vif_peers[0].id}/delete`);
        return c.req("POST", "/vif-peers", substituteVifId(tc.body, v.id));
      }
      case "vifPeerUpdate": {
        const v = await activeVif();
        const p = await c.req("POST", "/vif-peers", {
          vif_peer: {
            address_family: "ipv6",
            local_gateway_ip: "fd00:1::1/64",
            remote_gateway_ip: "fd00:1::2/64",
            remote_ep_group: ["fd00:200::/56"],
            vif_id: v.id,
          },
        });
        assert.equal(p.status, 201, p.text);
        await c.req("GET", `/virtual-interfaces/${v.id}`); // settles the peer
        return c.req("PUT", `/vif-peers/${p.body.vif_peer.id}`, tc.body);
      }
    }
  }

  it("has cases to replay", () => {
    assert.ok(CONFORMANCE_CASES.length > 50, `only ${CONFORMANCE_CASES.length} cases`);
  });

  for (const tc of CONFORMANCE_CASES) {
    it(tc.name, async () => {
      const reset = await c.admin("POST", "/reset", {});
      assert.equal(reset.status, 200);
      const r = await run(tc);
      if ("ok" in tc.expect) {
        const want = tc.kind.endsWith("Create") ? 201 : 200;
        assert.equal(r.status, want, r.text);
      } else {
        assert.equal(r.status, 400, r.text);
        assert.equal(r.body.error_code, tc.expect.code, r.text);
        assert.ok(
          r.body.error_msg.includes(tc.expect.field),
          `error_msg should name ${tc.expect.field}: ${r.text}`,
        );
      }
    });
  }
});
