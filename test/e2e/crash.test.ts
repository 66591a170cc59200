// Crash: the emulator runs as a child process on a SQLite file; it is killed with SIGKILL in the
// middle of an `up` of several pairs (some interfaces created, some still provisioning). The
// provider is configured to give up quickly (2 retries, 100 ms base) so that this `up` fails
// while the emulator is down. The emulator is then restarted on the same database and port, and
// the next `up` (with refresh, at most two) converges with no duplicates: inventory == state.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Stack } from "@pulumi/pulumi/automation";
import { FIXTURES } from "../../emulator";
import { EmulatorAdmin } from "../helpers/emulatorAdmin";
import { EmulatorProcess, freePort, spawnEmulator } from "../helpers/emulatorProcess";
import { assertInventoryEqualsState, fleetStack, upUntilConverged } from "../helpers/fleet";
import { packedProject } from "../helpers/project";
import { tearDownStack, tempBackend, TempBackend } from "../helpers/pulumi";
import { depositSecrets, depositText, depositTree } from "../helpers/scan";

const PAIRS = 6;
const BGP_KEY = "crash-bgp-key-c0ffee42";
const ADMIN = "crash-admin-token-77b2";

describe("e2e crash: kill -9 the emulator during up, restart on the same database", function () {
  this.timeout(600_000);
  let tmp: string;
  let port: number;
  let emu: EmulatorProcess | undefined;
  let backend: TempBackend;
  let stack: Stack | undefined;
  const output: string[] = [];
  const onOutput = (s: string) => output.push(s);
  const emuLog: string[] = [];
  const args = () => [
    "--db",
    path.join(tmp, "emulator.db"),
    "--port",
    String(port),
    "--admin-token",
    ADMIN,
    "--vif-delay",
    "1500",
    "--peer-delay",
    "800",
  ];

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dcaas-crash-"));
    port = await freePort();
    emu = await spawnEmulator(args(), emuLog);
    backend = tempBackend();
    depositSecrets("crash", [BGP_KEY, ADMIN]);
    stack = await fleetStack({
      project: packedProject(),
      backend,
      url: emu.url,
      prefix: "crash",
      pairs: PAIRS,
      bgpKey: BGP_KEY,
      config: { "dcaas:maxRetries": "2", "dcaas:retryBaseDelay": "100ms" },
    });
  });

  after(async () => {
    try {
      if (stack)
        await tearDownStack(stack, {
          destroy: async (s) => {
            if (emu) await s.destroy({ onOutput, refresh: true });
          },
          tolerateFailure: true, // reported by the tests
          beforeRemove: () => depositTree("crash", "state", `${backend.dir}/state`),
        });
    } finally {
      depositText("crash", "engine-output", output.join(""));
      if (emu && emu.child.exitCode === null) {
        emu.child.kill("SIGTERM");
        await emu.exited;
      }
      depositText("crash", "emulator-stdout", emuLog.join("\n"));
      backend?.cleanup();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("the next up after the crash and restart converges with no duplicates", async () => {
    const admin = new EmulatorAdmin(emu!.url, ADMIN);
    const upPromise = stack!.up({ onOutput }).then(
      (r) => r.summary.result,
      (e: Error) => `failed: ${e.message.slice(-600)}`,
    );
    // Kill once some interfaces exist and at least one is still provisioning.
    let seen = "";
    for (const deadline = Date.now() + 120_000; ;) {
      assert.ok(Date.now() < deadline, "no interface appeared within 120 s");
      const vifs = await admin.interfaces(FIXTURES.projectId);
      seen = vifs.map((v) => v.status).join(",");
      if (vifs.length >= 3 && vifs.some((v) => v.status !== "ACTIVE")) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    emu!.child.kill("SIGKILL");
    assert.equal(await emu!.exited, "SIGKILL");
    const firstUp = await upPromise;
    console.log(`      crash: killed with interfaces [${seen}]; the up during the crash: ${firstUp}`);
    assert.match(firstUp, /^failed/, "the up must fail while the emulator is down");

    emu = await spawnEmulator(args(), emuLog);
    const failures: string[] = [];
    const ups = await upUntilConverged(stack!, 2, onOutput, failures, { refresh: true });
    console.log(`      crash: converged after ${ups} up(s) following the restart`);
    if (failures.length) console.log(`      crash: failed ups:\n${failures.join("\n---\n")}`);
    await assertInventoryEqualsState(stack!, admin, PAIRS);
  });
});
