// Chaos: one stack of 20 HostedVif + VifPeer pairs goes up through the real engine against an
// emulator that injects (seeded) 20% 5xx, 10% 429 with Retry-After, 5% dropped connections, 5%
// ambiguous POSTs (applied, answer lost) and 0-300 ms latency on every cloud request. The
// provider's retries and idempotent creates must converge; afterwards the emulator's inventory
// equals the stack's state exactly, and destroy, with the faults still on, leaves nothing.
//
// Bounded: at most MAX_UPS `up`s (the later ones with refresh) if the engine reports a failure;
// the test reports how many it took. The seed fixes the fault draws, but the engine's
// parallelism orders requests differently on every run, so the exact faults per request vary.
import * as assert from "node:assert/strict";
import { Stack } from "@pulumi/pulumi/automation";
import { FIXTURES, startEmulator, RunningEmulator } from "../../emulator";
import { EmulatorAdmin } from "../helpers/emulatorAdmin";
import { assertInventoryEqualsState, dynamicResources, fleetStack, upUntilConverged } from "../helpers/fleet";
import { packedProject } from "../helpers/project";
import { tearDownStack, tempBackend, TempBackend } from "../helpers/pulumi";
import { depositSecrets, depositText, depositTree } from "../helpers/scan";

const PAIRS = 20;
const MAX_UPS = 3;
const SEED = 20240611;
const BGP_KEY = "chaos-bgp-key-5e1d77";
const ADMIN = "chaos-admin-token-a81c";

/** Rules whose marginal rates are the ones above: error, throttle and drop exclude each other, in this order. */
function chaosRules(): object[] {
  const err = 0.2;
  const throttle = 0.1 / (1 - err);
  const drop = 0.05 / (1 - err - 0.1);
  const ambiguous = 0.05 / (1 - err - 0.1 - 0.05);
  return [
    { kind: "latency", minMs: 0, maxMs: 300 },
    { kind: "error", rate: err, code: "DC.0003", status: 500 },
    { kind: "throttle", rate: throttle, retryAfter: 1 },
    { kind: "drop", rate: drop },
    { kind: "ambiguous", method: "POST", rate: ambiguous },
  ];
}

describe(`e2e chaos: ${PAIRS} pairs under injected faults (at most ${MAX_UPS} ups)`, function () {
  this.timeout(600_000);
  let emu: RunningEmulator;
  let admin: EmulatorAdmin;
  let backend: TempBackend;
  let stack: Stack | undefined;
  const output: string[] = [];
  const onOutput = (s: string) => output.push(s);
  const emuLog: string[] = [];
  const failures: string[] = [];

  before(async () => {
    const project = packedProject();
    emu = await startEmulator({
      port: 0,
      adminToken: ADMIN,
      faultSeed: SEED,
      delays: { vifCreate: 300, vifDelete: 200, peerCreate: 200, peerDelete: 200 },
      log: (l) => emuLog.push(JSON.stringify(l)),
    });
    admin = new EmulatorAdmin(emu.url, ADMIN);
    backend = tempBackend();
    depositSecrets("chaos", [BGP_KEY, ADMIN]);
    stack = await fleetStack({
      project,
      backend,
      url: emu.url,
      prefix: "chaos",
      pairs: PAIRS,
      bgpKey: BGP_KEY,
      // More retries than the default 6 and a shorter base delay: with ~35% of requests failing,
      // seven failures in a row of one request (0.35^7) is likely somewhere among a few thousand.
      config: { "dcaas:maxRetries": "10", "dcaas:retryBaseDelay": "200ms" },
    });
  });

  after(async () => {
    try {
      if (stack)
        await tearDownStack(stack, {
          before: () => admin.clearFaults(),
          destroy: (s) => s.destroy({ onOutput }),
          tolerateFailure: true, // reported by the tests
          beforeRemove: () => depositTree("chaos", "state", `${backend.dir}/state`),
        });
    } finally {
      depositText("chaos", "engine-output", output.join(""));
      await emu?.close();
      depositText("chaos", "emulator-log", emuLog.join("\n"));
      backend?.cleanup();
    }
  });

  it("one up converges under faults and the inventory equals the state (no duplicates, no orphans)", async () => {
    const added = await admin.request("POST", "/faults", { seed: SEED, rules: chaosRules() });
    assert.equal(added.status, 201, added.text);
    const started = Date.now();
    const ups = await upUntilConverged(stack!, MAX_UPS, onOutput, failures);
    const secs = Math.round((Date.now() - started) / 1000);
    console.log(`      chaos: converged after ${ups} up(s) in ${secs}s`);
    if (failures.length) console.log(`      chaos: failed ups:\n${failures.join("\n---\n")}`);

    // The faults did fire, of every kind.
    const fired = new Map<number, number>();
    for (const line of emuLog) {
      const l = JSON.parse(line);
      for (const id of l.faults ?? []) fired.set(id, (fired.get(id) ?? 0) + 1);
    }
    const rules = (await admin.faultsList()).rules as any[];
    const byKind = Object.fromEntries(rules.map((r) => [r.kind, fired.get(r.id) ?? 0]));
    console.log(`      chaos: faults fired ${JSON.stringify(byKind)} over ${emuLog.length} log lines`);
    for (const kind of ["latency", "error", "throttle", "drop", "ambiguous"]) {
      assert.ok(byKind[kind] > 0, `no ${kind} fault fired: ${JSON.stringify(byKind)}`);
    }

    await assertInventoryEqualsState(stack!, admin, PAIRS);
  });

  it("destroy, with the faults still on, leaves nothing", async () => {
    const res = await upUntilDestroyed(stack!, MAX_UPS, onOutput, failures);
    console.log(`      chaos: destroyed after ${res} destroy(s)`);
    assert.deepEqual(await admin.interfaces(FIXTURES.projectId), []);
    const dep = (await stack!.exportStack()).deployment;
    assert.equal(dynamicResources(dep).length, 0);
  });
});

async function upUntilDestroyed(
  stack: Stack,
  max: number,
  onOutput: (s: string) => void,
  failures: string[],
): Promise<number> {
  for (let i = 1; ; i++) {
    try {
      const res = await stack.destroy({ onOutput, refresh: i > 1 });
      assert.equal(res.summary.result, "succeeded");
      return i;
    } catch (err) {
      failures.push(String((err as Error).message).slice(-2000));
      if (i >= max) throw err;
    }
  }
}
