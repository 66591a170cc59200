// The example programs a user copies (examples/static and examples/fleet), run as written against
// the emulator through the real engine, from a project that installed the packed package.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { startEmulator, RunningEmulator } from "../../emulator";
import { EmulatorAdmin } from "../helpers/emulatorAdmin";
import { packedProject } from "../helpers/project";
import { pulumiCommand, tempBackend, uniqueStackName } from "../helpers/pulumi";
import { depositText, depositTree } from "../helpers/scan";

const ADMIN = "examples-admin-token";
const repo = path.resolve(__dirname, "../..");

/** Copies examples/<name>/index.ts into the packed project, as its own Pulumi project. */
function exampleProject(name: string): string {
  const dir = path.join(packedProject(), "examples", name);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(repo, "examples", name, "index.ts"), path.join(dir, "index.ts"));
  // Its own package.json, so the SDK takes this index.ts as the entry point, not the parent's "main".
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: `example-${name}`, main: "index.ts" }),
  );
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    `name: example-${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`,
  );
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

  const cases: [string, Record<string, { value: string }>, (outputs: any) => void][] = [
    [
      "static",
      {},
      (o) => {
        assert.equal(o.status.value, "ACTIVE");
      },
    ],
    [
      "fleet",
      { count: { value: "4" } },
      (o) => {
        assert.equal(o.activeCount.value, 4);
        assert.deepEqual(
          o.interfaces.value.map((i: any) => i.vlan),
          [1000, 1001, 1002, 1003],
        );
      },
    ],
  ];

  for (const [name, extra, check] of cases) {
    it(`examples/${name}: up creates ACTIVE interfaces, a second preview has no changes, destroy removes them`, async () => {
      const backend = tempBackend();
      const output: string[] = [];
      const onOutput = (s: string) => output.push(s);
      const stack = await LocalWorkspace.createStack(
        { stackName: uniqueStackName(name), workDir: exampleProject(name) },
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
          await stack.destroy({ onOutput });
        } finally {
          depositTree(`examples-${name}`, "state", `${backend.dir}/state`);
          depositText(`examples-${name}`, "engine-output", output.join(""));
          await stack.workspace.removeStack(stack.name, { force: true });
          backend.cleanup();
        }
      }
    });
  }
});
