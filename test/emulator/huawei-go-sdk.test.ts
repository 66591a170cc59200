// Huawei Cloud's own Go SDK (huaweicloud-sdk-go-v3, services/dc/v3, pinned in test/go-sdk/go.mod;
// built by test/helpers/huaweiGoSdk.ts into the cache) drives the emulator under the huawei
// profile, signed with AK/SK: create (with tags), show, list (filters and paging), update (name and
// description, bandwidth, remote_ep_group), the dc-vif tags action and delete of an interface and
// a peer, then show until 404. Every answer must deserialize into the SDK's models. The SDK's and
// the Go toolchain's output never reach the log: the driver prints one JSON line, reported here in
// one line. Without Go on PATH this fails with a one-line message (like the Python SDK test
// without python3).
import * as assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { FIXTURES, type RunningEmulator, startEmulator } from "../../emulator";
import { goSdkVersion, huaweiGoSdk } from "../helpers/huaweiGoSdk";

describe("Huawei's Go SDK drives the emulator (huawei profile)", function () {
  this.timeout(900_000);
  let emu: RunningEmulator;

  before(async () => {
    emu = await startEmulator({
      profile: "huawei",
      delays: { vifCreate: 100, vifDelete: 100, peerCreate: 100, peerDelete: 100 },
    });
  });
  after(async () => {
    await emu?.close();
  });

  it("creates, shows, lists, pages, updates, tags and deletes an interface and a peer; every answer parses", async () => {
    const r = await huaweiGoSdk([
      "drive",
      emu.url,
      FIXTURES.projectId,
      FIXTURES.accessKey,
      FIXTURES.secretKey,
      FIXTURES.hostedConnections.active1,
      String(FIXTURES.huaweiVlans.active1),
      FIXTURES.gatewayId,
    ]);
    console.log(`      huaweicloud-sdk-go-v3 ${goSdkVersion()}: ${r.calls} calls, ${r.errors.length} errors`);
    assert.deepEqual(r.errors, [], r.steps.join("\n"));
    for (const op of [
      "CreateVirtualInterface",
      "ListVirtualInterfaces(direct_connect_id)",
      "ListVirtualInterfaces(id,status)",
      "ListVirtualInterfaces(vgw_id,limit=1)",
      "ListVirtualInterfaces(id=2 values)",
      "ListVirtualInterfaces(enterprise_project_id=2 values)",
      "ListVirtualInterfaces(limit=1,marker)",
      "UpdateVirtualInterface(name,description)",
      "UpdateVirtualInterface(bandwidth)",
      "UpdateVirtualInterface(remote_ep_group)",
      "BatchCreateResourceTags(create)",
      "BatchCreateResourceTags(delete)",
      "CreateVifPeer",
      "UpdateVifPeer",
      "DeleteVifPeer",
      "DeleteVirtualInterface",
    ]) {
      assert.ok(
        r.steps.some((s) => s.startsWith(`${op}: 2`)),
        `${op} did not succeed:\n${r.steps.join("\n")}`,
      );
    }
    assert.ok(r.steps.some((s) => /^ShowVirtualInterface\(deleting\): 404 DC\.1211/.test(s)));
  });

  it("reports an answer that does not deserialize (a loopback server with a string vlan)", async () => {
    const srv = createServer((_req, res) => {
      res.writeHead(201, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ virtual_interface: { id: "x", vlan: "301" }, request_id: "r" }));
    });
    await new Promise<void>((ok) => srv.listen(0, "127.0.0.1", ok));
    try {
      const { port } = srv.address() as AddressInfo;
      const r = await huaweiGoSdk([
        "drive",
        `http://127.0.0.1:${port}`,
        FIXTURES.projectId,
        "ak",
        "sk",
        "c",
        "301",
        "g",
      ]);
      assert.equal(r.calls, 1);
      assert.equal(r.errors.length, 1, r.errors.join("\n"));
      assert.match(r.errors[0], /^CreateVirtualInterface: the answer \(HTTP 201\) does not deserialize/);
    } finally {
      srv.close();
    }
  });
});
