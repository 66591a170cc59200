// Replays, as HTTP requests this test sends itself, the sequence Terraform's
// huaweicloud_dc_virtual_interface resource makes against the DCaaS v3 API, written from its
// documented behaviour (resource docs, and the request facts in
// ../shared/reference/huawei-dcaas-v3-api.md §8): no code of the provider is copied.
//
//   create   POST .../virtual-interfaces with its required set (type, route_mode, vlan, bandwidth,
//            remote_ep_group), the optional fields it has, and tags as a list of {key, value}
//   wait     GET until ACTIVE or DOWN (anything else pending, ERROR fails)
//   read     GET; the resource is gone without a `virtual_interface` key; the read-back fields
//            include route_mode, bgp_asn and bgp_md5 (ForceNew: absent would plan a replacement)
//   rename   one PUT with name, description (always, "" included), bandwidth and remote_ep_group,
//            then wait again
//   tags     POST /v3/{project_id}/dc-vif/{id}/tags/action: delete the old pairs, create the new
//   delete   DELETE (204), then GET until 404
//
// Signed with AK/SK (SDK-HMAC-SHA256) with X-Project-Id, as its AK/SK configuration does; real
// HTTP on loopback against startEmulator({profile: "huawei"}).
import assert from "node:assert/strict";
import { formatSdkDate, signRequest } from "../../api/signing";
import { FIXTURES, type RunningEmulator, startEmulator } from "../../emulator";

interface Answer {
  status: number;
  body: any;
  text: string;
}

/** One AK/SK-signed request, the way an SDK-HMAC-SHA256 client sends it. */
async function send(emu: RunningEmulator, method: string, path: string, body?: unknown): Promise<Answer> {
  const url = `${emu.url}${path}`;
  const payload = body === undefined ? "" : JSON.stringify(body);
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Host: new URL(url).host,
    "X-Project-Id": FIXTURES.projectId,
    "X-Sdk-Date": formatSdkDate(new Date()),
  };
  Object.assign(
    headers,
    signRequest({
      method,
      url,
      headers,
      body: payload,
      accessKey: FIXTURES.accessKey,
      secretKey: FIXTURES.secretKey,
    }),
  );
  delete headers.Host;
  const r = await fetch(url, { method, headers, body: body === undefined ? undefined : payload });
  const text = await r.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: r.status, body: parsed, text };
}

const SETTLED = ["ACTIVE", "DOWN", "ADMIN_SHUTDOWN", "DELETED", "REJECTED"];

describe("Terraform's huaweicloud_dc_virtual_interface request sequence (replayed, huawei profile)", function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  const base = `/v3/${FIXTURES.projectId}/dcaas/virtual-interfaces`;
  const tagsAction = (id: string) => `/v3/${FIXTURES.projectId}/dc-vif/${id}/tags/action`;

  before(async () => {
    emu = await startEmulator({
      profile: "huawei",
      delays: { vifCreate: 150, vifDelete: 150, peerCreate: 150, peerDelete: 150 },
    });
  });
  after(async () => {
    await emu?.close();
  });

  /** The create/update waiter: polls until a settled state; ERROR and anything unexpected fail. */
  async function waitAvailable(id: string): Promise<any> {
    const seen: string[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await send(emu, "GET", `${base}/${id}`);
      assert.equal(r.status, 200, r.text);
      const status: string = r.body.virtual_interface.status;
      if (seen.at(-1) !== status) seen.push(status);
      assert.notEqual(status, "ERROR", `the interface failed: ${r.text}`);
      if (SETTLED.includes(status)) {
        assert.ok(["ACTIVE", "DOWN"].includes(status), `settled in ${status}, not ACTIVE or DOWN`);
        return r.body.virtual_interface;
      }
      await new Promise((res) => setTimeout(res, 25));
    }
    throw new Error(`never settled; states seen: ${seen.join(" -> ")}`);
  }

  /** Terraform's read: what it sets in state from the answer, tags flattened to a map. */
  function readBack(v: any) {
    return {
      name: v.name,
      description: v.description,
      type: v.type,
      route_mode: v.route_mode,
      vlan: v.vlan,
      bandwidth: v.bandwidth,
      remote_ep_group: v.remote_ep_group,
      asn: v.bgp_asn,
      bgp_md5: v.bgp_md5,
      local_gateway_v4_ip: v.local_gateway_v4_ip,
      remote_gateway_v4_ip: v.remote_gateway_v4_ip,
      address_family: v.address_family,
      tags: Object.fromEntries((v.tags ?? []).map((t: any) => [t.key, t.value])),
    };
  }

  it("create, wait, read, rename with the full update body, tag change, delete, wait for 404: every step succeeds", async () => {
    // create
    const created = await send(emu, "POST", base, {
      virtual_interface: {
        type: "private",
        route_mode: "bgp",
        vlan: FIXTURES.huaweiVlans.active1,
        bandwidth: 5,
        remote_ep_group: ["192.168.70.0/24"],
        name: "tf-vif",
        description: "Created by a Terraform-shaped request",
        direct_connect_id: FIXTURES.hostedConnections.active1,
        vgw_id: FIXTURES.gatewayId,
        local_gateway_v4_ip: "10.70.0.1/30",
        remote_gateway_v4_ip: "10.70.0.2/30",
        address_family: "ipv4",
        bgp_asn: 65070,
        bgp_md5: "tf-md5-key",
        tags: [
          { key: "foo", value: "bar" },
          { key: "key", value: "value" },
        ],
      },
    });
    assert.equal(created.status, 201, created.text);
    const id: string = created.body.virtual_interface.id;
    assert.ok(id);

    // wait, then read
    await waitAvailable(id);
    const read1 = await send(emu, "GET", `${base}/${id}`);
    assert.ok(read1.body.virtual_interface, "an answer without virtual_interface means gone to Terraform");
    assert.deepEqual(readBack(read1.body.virtual_interface), {
      name: "tf-vif",
      description: "Created by a Terraform-shaped request",
      type: "private",
      route_mode: "bgp",
      vlan: FIXTURES.huaweiVlans.active1,
      bandwidth: 5,
      remote_ep_group: ["192.168.70.0/24"],
      asn: 65070,
      bgp_md5: "tf-md5-key",
      local_gateway_v4_ip: "10.70.0.1/30",
      remote_gateway_v4_ip: "10.70.0.2/30",
      address_family: "ipv4",
      tags: { foo: "bar", key: "value" },
    });
    assert.equal(read1.body.virtual_interface.vif_peers.length, 1);

    // rename: the one PUT with the whole update body, then the waiter
    const renamed = await send(emu, "PUT", `${base}/${id}`, {
      virtual_interface: {
        name: "tf-vif-renamed",
        description: "",
        bandwidth: 10,
        remote_ep_group: ["192.168.70.0/24", "192.168.71.0/24"],
      },
    });
    assert.equal(renamed.status, 200, renamed.text);
    await waitAvailable(id);

    // tag change {foo=bar, key=value} -> {foo1=bar, key=value_update}: delete the old pairs, create the new
    const del = await send(emu, "POST", tagsAction(id), {
      action: "delete",
      tags: [
        { key: "foo", value: "bar" },
        { key: "key", value: "value" },
      ],
    });
    assert.equal(del.status, 204, del.text);
    const add = await send(emu, "POST", tagsAction(id), {
      action: "create",
      tags: [
        { key: "foo1", value: "bar" },
        { key: "key", value: "value_update" },
      ],
    });
    assert.equal(add.status, 204, add.text);

    // read after update: every changed value applied, the ForceNew fields unchanged
    const read2 = await send(emu, "GET", `${base}/${id}`);
    assert.deepEqual(readBack(read2.body.virtual_interface), {
      ...readBack(read1.body.virtual_interface),
      name: "tf-vif-renamed",
      description: "",
      bandwidth: 10,
      remote_ep_group: ["192.168.70.0/24", "192.168.71.0/24"],
      tags: { foo1: "bar", key: "value_update" },
    });

    // delete, then wait for 404
    const gone = await send(emu, "DELETE", `${base}/${id}`);
    assert.equal(gone.status, 204, gone.text);
    let last: Answer | undefined;
    for (let i = 0; i < 200; i++) {
      last = await send(emu, "GET", `${base}/${id}`);
      if (last.status === 404) break;
      assert.equal(last.status, 200, last.text);
      assert.equal(last.body.virtual_interface.status, "PENDING_DELETE");
      await new Promise((res) => setTimeout(res, 25));
    }
    assert.equal(last?.status, 404, last?.text);
    assert.equal(last?.body.error_code, "DC.1211");
    // A second DELETE of a gone interface is a 404, which Terraform takes as already deleted.
    assert.equal((await send(emu, "DELETE", `${base}/${id}`)).status, 404);
  });
});
