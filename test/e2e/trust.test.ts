// Trust, through the real CLI and engine with the packed package: (1) a secret BGP key that breaks a
// rule fails preview, preview --json, preview --diff and up without its text in any output, and a
// changed key shows as the replacement's reason without either value; (2) two stacks of one
// program never share an interface: the second up fails naming the holder and the owning stack,
// and destroying it leaves the first stack's interface ACTIVE; (3) a create timeout leaves the
// interface PENDING_CREATE, the next preview says what the update will do, the next up waits under
// the create timeout with progress lines in the engine's output, and finishes once it is ACTIVE.
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { FIXTURES, RunningEmulator, startEmulator } from "../../emulator";
import { EmulatorAdmin } from "../helpers/emulatorAdmin";
import { packedProject } from "../helpers/project";
import { pulumiCommand, tearDownStack, tempBackend, TempBackend, uniqueStackName } from "../helpers/pulumi";
import { depositSecrets, depositText, depositTree } from "../helpers/scan";

const execFileP = promisify(execFile);
const ADMIN = "trust-admin-token-6e1b";
const PEER_VIF = "5d6c17bc-0ebe-420b-8734-21f519e9d7ad";

/** One interface of the fixture connection, BGP with the secret config key. */
function vifSpec(name: string, vlan: number, over: Record<string, unknown> = {}) {
  return {
    name,
    hostedConnectionId: FIXTURES.hostedConnections.active1,
    borderGatewayId: FIXTURES.gatewayId,
    vlan,
    routeMode: "bgp",
    bgpAsn: 65010,
    bgpKey: true,
    customerAddress: `10.7.${vlan % 250}.1/30`,
    cloudAddress: `10.7.${vlan % 250}.2/30`,
    remoteSubnets: ["192.168.70.0/24"],
    ...over,
  };
}

/** A stack of the packed project, configured for `emu`, with the secret config `bgpKey`. */
async function newStack(
  project: string,
  backend: TempBackend,
  emu: RunningEmulator,
  prefix: string,
  bgpKey: string,
  spec: unknown,
): Promise<Stack> {
  const stack = await LocalWorkspace.createStack(
    { stackName: uniqueStackName(prefix), workDir: project },
    {
      pulumiCommand: await pulumiCommand(),
      envVars: { ...backend.envVars, PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    },
  );
  await stack.setAllConfig({
    "dcaas:endpoint": { value: emu.url },
    "dcaas:projectId": { value: FIXTURES.projectId },
    "dcaas:accessKey": { value: FIXTURES.accessKey, secret: true },
    "dcaas:secretKey": { value: FIXTURES.secretKey, secret: true },
    "dcaas:pollInterval": { value: "100ms" },
    bgpKey: { value: bgpKey, secret: true },
    spec: { value: JSON.stringify(spec) },
  });
  return stack;
}

/** Runs the pulumi CLI on a stack as a user would (no Automation API); never throws. */
async function cli(
  stack: Stack,
  backend: TempBackend,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number; text: string; stdout: string }> {
  try {
    const { stdout, stderr } = await execFileP(
      "pulumi",
      [...args, "--stack", stack.name, "--non-interactive", "--color", "never"],
      {
        cwd: stack.workspace.workDir,
        env: { ...process.env, ...backend.envVars, PULUMI_NODEJS_TRANSPILE_ONLY: "true", ...extraEnv },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return { code: 0, text: `${stdout}\n${stderr}`, stdout };
  } catch (err: any) {
    return {
      code: typeof err.code === "number" ? err.code : 1,
      text: `${err.stdout ?? ""}\n${err.stderr ?? ""}`,
      stdout: err.stdout ?? "",
    };
  }
}

const COMMANDS: [string, string[]][] = [
  ["preview", ["preview"]],
  ["preview --json", ["preview", "--json"]],
  ["preview --diff", ["preview", "--diff"]],
  ["up", ["up", "--yes"]],
];

describe("e2e trust: secrets, ownership and waits through the real engine", function () {
  this.timeout(900_000);
  let project: string;
  let backend: TempBackend;
  const output: string[] = [];
  const emuLog: string[] = [];
  const emulators: RunningEmulator[] = [];
  const stacks: Stack[] = [];

  async function emulator(delays: Record<string, unknown>): Promise<RunningEmulator> {
    const emu = await startEmulator({
      port: 0,
      adminToken: ADMIN,
      delays: delays as any,
      log: (l) => emuLog.push(JSON.stringify(l)),
    });
    emulators.push(emu);
    return emu;
  }

  async function stackOn(emu: RunningEmulator, prefix: string, key: string, spec: unknown) {
    const s = await newStack(project, backend, emu, prefix, key, spec);
    stacks.push(s);
    return s;
  }

  before(() => {
    project = packedProject();
    backend = tempBackend();
    depositSecrets("trust", [ADMIN]);
  });

  after(async () => {
    try {
      for (const s of stacks) {
        await tearDownStack(s, {
          destroy: (st) =>
            st.destroy({ onOutput: (o) => output.push(o) }).catch((e: Error) => {
              output.push(`destroy of ${st.name} failed: ${e.message}`);
            }),
        }).catch(() => undefined);
      }
    } finally {
      if (backend) depositTree("trust", "state", `${backend.dir}/state`);
      depositText("trust", "engine-output", output.join("\n"));
      for (const emu of emulators) await emu.close();
      depositText("trust", "emulator-log", emuLog.join("\n"));
      backend?.cleanup();
    }
  });

  describe("a secret key that breaks a rule", () => {
    let emu: RunningEmulator;
    before(async () => {
      emu = await emulator({ vifCreate: 200, vifDelete: 100, peerCreate: 100, peerDelete: 100 });
    });

    const cases: [string, string, unknown, RegExp][] = [
      [
        "whitespace",
        "trust key with space 5d1e",
        { vifs: { "key-space": vifSpec("key-space", 701) }, peers: {} },
        /bgpKey \(value not shown\): bgpKey must be 1 to 80 printable ASCII characters without whitespace/,
      ],
      [
        "over 80 characters",
        `trust-long-key-${"9".repeat(80)}`,
        { vifs: { "key-long": vifSpec("key-long", 702) }, peers: {} },
        /bgpKey \(value not shown\): bgpKey must be 1 to 80 printable/,
      ],
      [
        "on a static interface",
        "trust-static-key-7c2a",
        {
          vifs: {
            "key-static": vifSpec("key-static", 703, { routeMode: "static", bgpAsn: undefined }),
          },
          peers: {},
        },
        /bgpKey \(value not shown\): bgpKey is only allowed when routeMode is bgp/,
      ],
      [
        "on a peer",
        "trust peer key 3b9f",
        {
          vifs: {},
          peers: {
            "key-peer": {
              vif: PEER_VIF,
              name: "key-peer",
              addressFamily: "ipv6",
              customerAddress: "fd00:70::2/64",
              cloudAddress: "fd00:70::1/64",
              routeMode: "bgp",
              bgpAsn: 65010,
              bgpKey: true,
            },
          },
        },
        /bgpKey \(value not shown\): bgpKey must be 1 to 80 printable/,
      ],
    ];

    for (const [name, key, spec, rule] of cases) {
      it(`${name}: fails preview, preview --json, preview --diff and up, never printing the key`, async () => {
        depositSecrets("trust", [key]);
        const stack = await stackOn(emu, "trust-key", key, spec);
        for (const [label, args] of COMMANDS) {
          const r = await cli(stack, backend, args);
          output.push(`--- ${name}: pulumi ${label} (exit ${r.code})\n${r.text}`);
          assert.notEqual(r.code, 0, `pulumi ${label} must fail:\n${r.text}`);
          assert.match(r.text, rule, `pulumi ${label} must name the field and the rule:\n${r.text}`);
          assert.ok(!r.text.includes(key), `pulumi ${label} printed the key:\n${r.text}`);
          assert.doesNotMatch(r.text, /property bgpKey value/);
        }
        assert.deepEqual(await new EmulatorAdmin(emu.url, ADMIN).interfaces(FIXTURES.projectId), []);
      });
    }

    it("a changed key shows as the reason of the replacement, without either value", async () => {
      const [keyA, keyB] = ["trust-key-a-41f0", "trust-key-b-92c7"];
      depositSecrets("trust", [keyA, keyB]);
      const stack = await stackOn(emu, "trust-replace", keyA, {
        vifs: { "key-change": vifSpec("key-change", 704) },
        peers: {},
      });
      const up = await stack.up({ onOutput: (o) => output.push(o) });
      assert.equal(up.summary.result, "succeeded");
      await stack.setConfig("bgpKey", { value: keyB, secret: true });
      const texts: Record<string, string> = {};
      let json = "";
      for (const [label, args] of COMMANDS.slice(0, 3)) {
        const r = await cli(stack, backend, args);
        output.push(`--- key change: pulumi ${label} (exit ${r.code})\n${r.text}`);
        assert.equal(r.code, 0, r.text);
        for (const k of [keyA, keyB])
          assert.ok(!r.text.includes(k), `pulumi ${label} printed a key:\n${r.text}`);
        texts[label] = r.text;
        if (label === "preview --json") json = r.stdout;
      }
      assert.match(
        texts.preview,
        /\+-\s+pulumi-nodejs:dynamic\/dcaas:HostedVif\s+key-change\s+replace\s+\[diff: ~bgpKey\]/,
      );
      // --diff lists the changed properties under the replacement instead of a [diff: ...] suffix.
      assert.match(
        texts["preview --diff"],
        /\+-pulumi-nodejs:dynamic\/dcaas:HostedVif: \(replace\)\n.*\n.*::key-change\]\n\s+~ bgpKey: \[secret\] => \[secret\]\n/,
      );
      const steps = JSON.parse(json).steps as any[];
      const step = steps.find((s) => String(s.urn).endsWith("::key-change"));
      assert.ok(step, texts["preview --json"]);
      assert.equal(step.op, "replace");
      assert.deepEqual(step.replaceReasons, ["bgpKey"]);
      assert.ok((step.diffReasons ?? []).includes("bgpKey"), JSON.stringify(step));
    });
  });

  describe("the engine's debug output", () => {
    // The Node SDK logs each RegisterResource answer at debug level, secret outputs in clear
    // (upstream); `--json` carries debug events, `-d` and `-v=9 --logtostderr` print them. The engine
    // masks the secrets of the stack's config in them, not a secret the program got elsewhere.
    const DEBUG: [string, string[]][] = [
      ["preview -v=9 --logtostderr", ["preview", "-v=9", "--logtostderr"]],
      ["up -d", ["up", "--yes", "-d"]],
      ["up --json", ["up", "--yes", "--json"]],
    ];
    // The engine itself, at -v=9, logs every property it (un)marshals, secrets included: upstream
    // (pulumi sdk/go/common/resource/plugin/rpc.go, v3.259.0 and v3.276.0), nothing a provider can
    // change. Those lines are left out of the check and of the suite's scan, by this exact shape.
    const ENGINE_V9 =
      /^\{"time":"[^"]+","level":"INFO","msg":"(Un)?[Mm]arshaling property for RPC\[.*"v":9\}$/;

    it("preview -v=9, up -d and up --json never print a key the program made secret", async () => {
      const emu = await emulator({ vifCreate: 100, vifDelete: 100, peerCreate: 100, peerDelete: 100 });
      const [configKey, envKey] = ["trust-debug-key-0c9e71", "trust-env-key-5f2a83"];
      depositSecrets("trust", [configKey, envKey]);
      const stack = await stackOn(emu, "trust-debug", configKey, {
        vifs: { "key-debug": vifSpec("key-debug", 705, { bgpKey: "env" }) },
        peers: {
          "key-debug-v6": {
            vif: "key-debug",
            name: "key-debug-v6",
            addressFamily: "ipv6",
            customerAddress: "fd00:75::2/64",
            cloudAddress: "fd00:75::1/64",
            routeMode: "bgp",
            bgpAsn: 65010,
            bgpKey: true,
          },
        },
      });
      for (const [label, args] of DEBUG) {
        const r = await cli(stack, backend, args, { DCAAS_E2E_BGP_KEY: envKey });
        const lines = r.text.split("\n");
        const engineV9 = lines.filter((l) => ENGINE_V9.test(l));
        const text = lines.filter((l) => !ENGINE_V9.test(l)).join("\n");
        output.push(
          `--- debug: pulumi ${label} (exit ${r.code}; ${engineV9.length} engine -v=9 property lines left out)\n${text}`,
        );
        assert.equal(r.code, 0, `pulumi ${label}:\n${text.slice(-4000)}`);
        // The SDK's debug lines are there (without them the check below would pass vacuously) ...
        assert.match(
          text,
          /RegisterResource RPC finished: resource:key-debug\[/,
          `pulumi ${label} shows the SDK's debug lines`,
        );
        // ... and hold neither key.
        for (const key of [configKey, envKey]) {
          const at = text.indexOf(key);
          assert.equal(
            at,
            -1,
            `pulumi ${label} printed a key: ...${text.slice(Math.max(0, at - 300), at + 40)}`,
          );
        }
      }
      const admin = new EmulatorAdmin(emu.url, ADMIN);
      assert.equal((await admin.interfaces(FIXTURES.projectId)).length, 1);
    });
  });

  describe("two stacks, one program, one emulator", () => {
    it("the second up fails naming the holder and the owning stack; destroying it leaves the first's interface ACTIVE", async () => {
      const emu = await emulator({ vifCreate: 200, vifDelete: 100, peerCreate: 100, peerDelete: 100 });
      const admin = new EmulatorAdmin(emu.url, ADMIN);
      const key = "trust-two-stacks-key-0d4e";
      depositSecrets("trust", [key]);
      const spec = {
        vifs: { "branch-1": vifSpec("branch-1", 710) },
        peers: {
          "branch-1-v6": {
            vif: "branch-1",
            name: "branch-1-v6",
            addressFamily: "ipv6",
            customerAddress: "fd00:71::2/64",
            cloudAddress: "fd00:71::1/64",
            routeMode: "bgp",
            bgpAsn: 65010,
            bgpKey: true,
          },
        },
      };
      const prod = await stackOn(emu, "prod", key, spec);
      const copy = await stackOn(emu, "copy", key, spec);
      assert.equal((await prod.up({ onOutput: (o) => output.push(o) })).summary.result, "succeeded");
      const [vif] = await admin.interfaces(FIXTURES.projectId);
      assert.deepEqual(vif.tags, [{ key: "pulumi-dcaas:owner", value: `dcaas-e2e/${prod.name}/branch-1` }]);

      // Preview already refuses the copy (live checks, issue 12), naming the holder and its owner:
      const previewOut: string[] = [];
      await assert.rejects(copy.preview({ onOutput: (o) => previewOut.push(o) }));
      const previewText = previewOut.join("");
      output.push(previewText);
      assert.ok(
        previewText.includes(
          `by virtual interface ${vif.id} ("branch-1", marked as owned by stack dcaas-e2e/${prod.name})`,
        ) && /DC\.1209/.test(previewText),
        previewText,
      );
      // Without live checks (dcaas:liveChecks=off), create meets the API's refusal and says the same.
      await copy.setConfig("dcaas:liveChecks", { value: "off" });
      const copyOut: string[] = [];
      await assert.rejects(copy.up({ onOutput: (o) => copyOut.push(o) }));
      const text = copyOut.join("");
      output.push(text);
      assert.ok(
        text.includes(`by virtual interface ${vif.id} ("branch-1")`) &&
          text.includes(`It is marked as owned by stack dcaas-e2e/${prod.name} (resource branch-1)`),
        text,
      );
      assert.doesNotMatch(text, /holds VLAN 710/, "the holder is named once, by the API's refusal");
      assert.match(text, /creating hosted VIF \(branch-1\): DC\.1209: /);

      const destroyed = await copy.destroy({ onOutput: (o) => output.push(o) });
      assert.equal(destroyed.summary.result, "succeeded");

      // importId of the first stack's interface: preview refuses it (it was "+ create" and the
      // refusal came only at up), and with importFromOtherStack says that up adopts it.
      const adopter = await stackOn(emu, "adopt", key, {
        vifs: { "branch-1": vifSpec("branch-1", 710, { importId: vif.id }) },
        peers: {},
      });
      const refusedOut: string[] = [];
      await assert.rejects(adopter.preview({ onOutput: (o) => refusedOut.push(o) }));
      const refused = refusedOut.join("");
      output.push(refused);
      assert.ok(
        refused.includes(
          `cannot adopt virtual interface ${vif.id}: it is marked as owned by stack dcaas-e2e/${prod.name} (resource branch-1), not by this stack;`,
        ) && refused.includes("set importFromOtherStack: true"),
        refused,
      );
      await adopter.setConfig("spec", {
        value: JSON.stringify({
          vifs: { "branch-1": vifSpec("branch-1", 710, { importId: vif.id, importFromOtherStack: true }) },
          peers: {},
        }),
      });
      const adoptOut: string[] = [];
      await adopter.preview({ onOutput: (o) => adoptOut.push(o) });
      const adopting = adoptOut.join("");
      output.push(adopting);
      assert.match(
        adopting,
        new RegExp(
          `HostedVif "branch-1" adopts virtual interface ${vif.id} \\("branch-1", ACTIVE\\) named by importId: the preview shows a create; up takes the existing interface over, and creates nothing`,
        ),
      );
      // Not taken over here (two stacks would then manage it): the stack is destroyed empty.

      const after = await admin.interfaces(FIXTURES.projectId);
      assert.deepEqual(
        after.map((v) => [v.id, v.status, v.vif_peers.length]),
        [[vif.id, "ACTIVE", 2]],
      );
      await prod.preview({ expectNoChanges: true, onOutput: (o) => output.push(o) });
    });
  });

  describe("a create timeout, then the next up", () => {
    it("leaves PENDING_CREATE; preview says what the update does; up waits under the create timeout, reporting, and finishes once ACTIVE", async () => {
      // Interfaces stay PENDING_CREATE until the admin API says otherwise.
      const emu = await emulator({ vifCreate: 3_600_000, vifDelete: 100, peerCreate: 100, peerDelete: 100 });
      const admin = new EmulatorAdmin(emu.url, ADMIN);
      const key = "trust-timeout-key-58aa";
      depositSecrets("trust", [key]);
      const stack = await stackOn(emu, "trust-wait", key, {
        vifs: { slow: vifSpec("slow", 720, { timeouts: { create: "30s" } }) },
        peers: {},
      });

      const first: string[] = [];
      await assert.rejects(
        stack.up({ onOutput: (o) => first.push(o) }),
        /timeout after 30s waiting for virtual interface [0-9a-f-]{36} to reach status ACTIVE/,
      );
      output.push(first.join(""));
      const [vif] = await admin.interfaces(FIXTURES.projectId);
      assert.equal(vif.status, "PENDING_CREATE");
      assert.match(
        first.join(""),
        /creating hosted VIF \(slow\): still waiting for virtual interface [0-9a-f-]{36} to reach status ACTIVE, status PENDING_CREATE after \d+s of the 30s create timeout/,
      );

      const preview: string[] = [];
      const pr = await stack.preview({ onOutput: (o) => preview.push(o) });
      output.push(preview.join(""));
      assert.equal(pr.changeSummary.update, 1, JSON.stringify(pr.changeSummary));
      assert.match(
        preview.join(""),
        /hosted VIF \(slow\) was left in status PENDING_CREATE by an earlier run: the update waits for status ACTIVE under the 30s create timeout, and changes nothing else/,
      );

      // Still pending: the next up gives up after the create timeout (30 s), not the 30 min default.
      const second: string[] = [];
      await assert.rejects(
        stack.up({ onOutput: (o) => second.push(o) }),
        /updating hosted VIF \(slow\): timeout after 30s waiting for virtual interface [0-9a-f-]{36} to reach status ACTIVE \(last status PENDING_CREATE\)/,
      );
      output.push(second.join(""));

      // Once it becomes ACTIVE during the wait, the up finishes.
      const third: string[] = [];
      const upDone = stack.up({ onOutput: (o) => third.push(o) });
      const waitingLine =
        /updating hosted VIF \(slow\): still waiting for virtual interface [0-9a-f-]{36} to reach status ACTIVE, status PENDING_CREATE after \d+s of the 30s create timeout/;
      for (const deadline = Date.now() + 300_000; !waitingLine.test(third.join(""));) {
        assert.ok(Date.now() < deadline, `no progress line within 300 s:\n${third.join("")}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      await admin.status("virtual-interfaces", vif.id, "ACTIVE");
      const up = await upDone;
      output.push(third.join(""));
      assert.equal(up.summary.result, "succeeded");
      assert.equal(up.outputs.vifStatuses.value.slow, "ACTIVE");
      assert.equal(up.outputs.vifIds.value.slow, vif.id);
      assert.equal((await admin.interfaces(FIXTURES.projectId)).length, 1);
      await stack.preview({ expectNoChanges: true, onOutput: (o) => output.push(o) });
    });
  });
});
