// Huawei Cloud's own Python SDK (huaweicloudsdkdc 3.1.219, from the cached virtualenv of
// scripts/python-venv.sh) drives the emulator under the huawei profile, signed with AK/SK:
// create, show, list (filters and paging), update and delete of an interface and a peer. Every
// answer must deserialize into the SDK's models without an error or a warning. The SDK's own
// output never reaches the log: the Python side prints one JSON line, reported here in one line.
import * as assert from "node:assert/strict";
import { FIXTURES, type RunningEmulator, startEmulator } from "../../emulator";
import { huaweiSdk } from "../helpers/huaweiSdk";

describe("Huawei's Python SDK drives the emulator (huawei profile)", function () {
  this.timeout(600_000);
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

  it("creates, shows, lists, pages, updates and deletes an interface and a peer; every answer parses", async () => {
    const r = await huaweiSdk([
      "drive",
      emu.url,
      FIXTURES.projectId,
      FIXTURES.accessKey,
      FIXTURES.secretKey,
      FIXTURES.hostedConnections.active1,
      String(FIXTURES.huaweiVlans.active1),
      FIXTURES.gatewayId,
    ]);
    console.log(
      `      huaweicloudsdkdc: ${r.calls} calls, ${r.errors.length} errors, ${r.warnings.length} warnings`,
    );
    assert.deepEqual(r.errors, [], r.steps.join("\n"));
    assert.deepEqual(r.warnings, []);
    for (const op of [
      "CreateVirtualInterface",
      "ListVirtualInterfaces(limit=1,marker)",
      "UpdateVirtualInterface",
      "CreateVifPeer",
      "UpdateVifPeer",
      "DeleteVifPeer",
      "DeleteVirtualInterface",
    ]) {
      assert.ok(
        r.steps.some((s: string) => s.startsWith(`${op}: 2`)),
        `${op} did not succeed:\n${r.steps.join("\n")}`,
      );
    }
    assert.ok(r.steps.some((s: string) => /^ShowVirtualInterface\(deleting\): 404 DC\.1211/.test(s)));
  });
});
