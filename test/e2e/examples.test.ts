// The example programs (examples/static and examples/fleet), run as their READMEs say against the
// emulator through the real engine: in place inside the clone with their own Pulumi.yaml, and copied
// verbatim into a project that installed the packed package.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { EmulatorAdmin } from "../helpers/emulatorAdmin";
import { packedProject } from "../helpers/project";
import { pulumiCommand, tearDownStack, tempBackend, uniqueStackName } from "../helpers/pulumi";
import { depositText, depositTree } from "../helpers/scan";

const ADMIN = "examples-admin-token";
const repo = path.resolve(__dirname, "../..");

/**
 * Where an example runs: in place inside the clone (its README's first way: the root's build and
 * node_modules), or copied verbatim (every file of its directory, nothing generated) into a user
 * project that installed the packed package (its README's second way).
 */
function exampleDir(name: string, where: "clone" | "user project"): string {
  const src = path.join(repo, "examples", name);
  assert.ok(fs.existsSync(path.join(src, "Pulumi.yaml")), `examples/${name} has its own Pulumi.yaml`);
  if (where === "clone") return src;
  const dir = path.join(packedProject(), "examples", name);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(dir, f));
  return dir;
}

describe("e2e: the examples run as written", function () {
  this.timeout(600_000);
  let emu: RunningEmulator;
  let admin: EmulatorAdmin;
  const emuLog: string[] = [];

  before(async () => {
    emu = await startEmulator({
      port: 0,
      adminToken: ADMIN,
      delays: { vifCreate: 300, vifDelete: 200, peerCreate: 200, peerDelete: 200 },
      log: (line) => emuLog.push(JSON.stringify(line)),
    });
    admin = new EmulatorAdmin(emu.url, ADMIN);
  });
  after(async () => {
    await emu?.close();
    depositText("examples", "emulator-log", emuLog.join("\n"));
  });

  const cases: [
    string,
    "clone" | "user project",
    Record<string, { value: string }>,
    (outputs: any) => void,
  ][] = [
    [
      "static",
      "clone",
      {},
      (o) => {
        assert.equal(o.status.value, "ACTIVE");
      },
    ],
    [
      "static",
      "user project",
      {},
      (o) => {
        assert.equal(o.status.value, "ACTIVE");
      },
    ],
    [
      "fleet",
      "clone",
      { count: { value: "4" } },
      (o) => {
        // Four branches, each an ACTIVE interface and IPv6 peer, from the pool: distinct slots,
        // spread over the two hosted connections, addresses from its blocks.
        assert.equal(o.activeCount.value, 4);
        const list = o.interfaces.value as any[];
        assert.equal(new Set(list.map((i) => `${i.hostedConnectionId}/${i.vlan}`)).size, 4);
        assert.equal(new Set(list.map((i) => i.hostedConnectionId)).size, 2);
        for (const i of list) {
          assert.ok(i.vlan >= 1000 && i.vlan <= 1999, String(i.vlan));
          assert.match(i.customerAddress, /^10\.20\.[0-3]\.\d+\/30$/);
          assert.match(i.ipv6CustomerAddress, /^fd00:20:0:[0-9a-f]*::1\/64$|^fd00:20::1\/64$/);
        }
      },
    ],
  ];

  for (const [name, where, extra, check] of cases) {
    it(`examples/${name} (${where}): up creates ACTIVE interfaces, a second preview has no changes, destroy removes them`, async () => {
      const backend = tempBackend();
      const output: string[] = [];
      const onOutput = (s: string) => output.push(s);
      const workDir = exampleDir(name, where);
      const stack = await LocalWorkspace.createStack(
        { stackName: uniqueStackName(name), workDir },
        {
          pulumiCommand: await pulumiCommand(),
          envVars: { ...backend.envVars, PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
        },
      );
      try {
        const a = emu.fixtures;
        await stack.setAllConfig({
          "dcaas:endpoint": { value: emu.url },
          "dcaas:projectId": { value: a.projectId },
          "dcaas:token": { value: a.token, secret: true },
          "dcaas:pollInterval": { value: "100ms" },
          hostedConnectionId: { value: a.hostedConnections.active1 },
          hostedConnectionIds: {
            value: JSON.stringify([a.hostedConnections.active1, a.hostedConnections.active2]),
          },
          borderGatewayId: { value: a.gatewayId },
          ...extra,
        });
        const up = await stack.up({ onOutput });
        check(up.outputs);
        await stack.preview({ expectNoChanges: true, onOutput });
        await stack.destroy({ onOutput });
        assert.deepEqual(await admin.interfaces(a.projectId), []);
      } finally {
        try {
          await tearDownStack(stack, {
            destroy: (s) => s.destroy({ onOutput }),
            beforeRemove: () => {
              depositTree(`examples-${name}`, "state", `${backend.dir}/state`);
              depositText(`examples-${name}`, "engine-output", output.join(""));
            },
          });
        } finally {
          // In the clone, the stack's settings file must not stay behind in examples/.
          fs.rmSync(path.join(workDir, `Pulumi.${stack.name}.yaml`), { force: true });
          backend.cleanup();
        }
      }
    });
  }
});
