// `npm run demo`: the main job, step by step in the terminal. Starts the emulator with a persistent
// database under .dcaas/, runs examples/basic (the root Pulumi.yaml) through the real Pulumi engine
// on a local file:// backend, renames the interface in place, changes it out of band through the
// emulator's admin API, shows the drift gate catching that, refreshes, and leaves the stack up.
// `npm run demo -- --destroy` destroys the stack and stops the emulator.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { FIXTURES } from "../emulator/fixtures";
import { detectDrift, renderReport } from "../cli/dcaas";

const root = path.resolve(__dirname, "..");
const work = path.join(root, ".dcaas");
const pidFile = path.join(work, "emulator.pid");
const port = Number(process.env.DCAAS_DEMO_PORT ?? 18787);
const endpoint = `http://127.0.0.1:${port}`;
const adminToken = process.env.DCAAS_DEMO_ADMIN_TOKEN ?? "demo-admin-token";
const stackName = "demo";
const env = {
  PULUMI_BACKEND_URL: `file://${path.join(work, "state")}`,
  PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "",
  PULUMI_HOME: path.join(work, "pulumi-home"),
  PULUMI_SKIP_UPDATE_CHECK: "true",
};

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
let stepNo = 0;
function step(title: string): number {
  stepNo += 1;
  console.log(`\n${bold(`== ${stepNo}. ${title}`)}`);
  return Date.now();
}
function done(t0: number): void {
  console.log(`   (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
}

async function health(): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/_emulator/health`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function startEmulator(): Promise<void> {
  if (await health()) {
    console.log(`   emulator already running at ${endpoint}`);
    return;
  }
  fs.mkdirSync(work, { recursive: true });
  const log = fs.openSync(path.join(work, "emulator.log"), "a");
  const child = spawn(
    process.execPath,
    [
      path.join(root, "dist/emulator/cli.js"),
      "--port",
      String(port),
      "--db",
      path.join(work, "emulator.db"),
      "--admin-token",
      adminToken,
    ],
    { detached: true, stdio: ["ignore", log, log] },
  );
  child.unref();
  fs.writeFileSync(pidFile, String(child.pid));
  for (let i = 0; i < 100; i++) {
    if (await health()) {
      console.log(
        `   emulator pid ${child.pid} listening at ${endpoint} (db .dcaas/emulator.db, log .dcaas/emulator.log)`,
      );
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the emulator did not start; see ${path.join(work, "emulator.log")}`);
}

async function admin(pathname: string, body: unknown): Promise<void> {
  const res = await fetch(`${endpoint}${pathname}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-emulator-admin-token": adminToken },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${pathname}: HTTP ${res.status} ${await res.text()}`);
}

async function openStack(): Promise<Stack> {
  fs.mkdirSync(path.join(work, "state"), { recursive: true });
  const stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir: root }, { envVars: env });
  const a = FIXTURES;
  await stack.setAllConfig({
    "dcaas:endpoint": { value: endpoint },
    "dcaas:projectId": { value: a.projectId },
    "dcaas:accessKey": { value: a.accessKey, secret: true },
    "dcaas:secretKey": { value: a.secretKey, secret: true },
    "dcaas:pollInterval": { value: "250ms" },
    hostedConnectionId: { value: a.hostedConnections.active1 },
    borderGatewayId: { value: a.gatewayId },
    bgpKey: { value: "demo-md5-key-0001", secret: true },
  });
  return stack;
}

function printOutputs(outputs: Record<string, { value: unknown; secret: boolean }>): void {
  for (const [k, v] of Object.entries(outputs)) {
    console.log(`   ${k.padEnd(16)} ${v.secret ? "[secret]" : JSON.stringify(v.value)}`);
  }
}

const echo = (s: string) => process.stdout.write(s.replace(/^/gm, "   "));

async function destroy(): Promise<void> {
  let t = step("Destroy the demo stack");
  if (await health()) {
    const stack = await LocalWorkspace.selectStack({ stackName, workDir: root }, { envVars: env }).catch(
      () => undefined,
    );
    if (stack) {
      await stack.destroy({ onOutput: echo });
      await stack.workspace.removeStack(stackName);
    } else {
      console.log("   no demo stack");
    }
  } else {
    console.log("   the emulator is not running; nothing to destroy");
  }
  done(t);
  t = step("Stop the emulator");
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    try {
      process.kill(pid, "SIGTERM");
      console.log(`   stopped pid ${pid}`);
    } catch {
      console.log(`   pid ${pid} was not running`);
    }
    fs.rmSync(pidFile);
  }
  done(t);
}

async function demo(): Promise<void> {
  console.log(bold("pulumi-dcaas demo: a hosted virtual interface and an IPv6 peer, end to end"));
  let t = step("Start the emulator (persistent, authenticated, real asynchronous lifecycle)");
  await startEmulator();
  done(t);

  t = step("pulumi up: create the interface (BGP, standby pair) and its IPv6 peer, wait until ACTIVE");
  const stack = await openStack();
  await stack.setConfig("vifName", { value: "branch-1" });
  const up = await stack.up({ onOutput: echo });
  console.log("\n   outputs:");
  printOutputs(up.outputs);
  done(t);

  t = step("Rename the interface in the program: an in-place update, no replacement");
  await stack.setConfig("vifName", { value: "branch-1-shanghai" });
  const rename = await stack.up({ onOutput: echo, diff: false });
  console.log(`   changes: ${JSON.stringify(rename.summary.resourceChanges)}`);
  done(t);

  t = step("Someone renames the interface by hand (out of band, through the emulator's admin API)");
  const vifId = String(rename.outputs.vifId.value);
  await admin(`/_emulator/virtual-interfaces/${vifId}/rename`, { name: "renamed-by-hand" });
  console.log(`   interface ${vifId} is now called "renamed-by-hand" in the cloud`);
  done(t);

  t = step("Nightly drift gate: `dcaas drift` (a refresh preview) catches it and exits 1");
  const report = await detectDrift({ workDir: root, stackName, envVars: env });
  echo(renderReport(report));
  console.log(`   exit status would be ${report.drifted ? 1 : 0}`);
  done(t);

  t = step("pulumi refresh: accept the live name into the state");
  await stack.refresh({ onOutput: echo });
  const after = await detectDrift({ workDir: root, stackName, envVars: env });
  console.log(`   drift gate after refresh: ${after.drifted ? "still drifting" : "clean (exit 0)"}`);
  done(t);

  console.log(
    `\n${bold("The stack is up.")} Its state is in .dcaas/state; the emulator keeps running at ${endpoint}.`,
  );
  console.log("   The next `pulumi up` would rename the interface back to the program's name.");
  console.log("   To destroy the stack and stop the emulator:  npm run demo -- --destroy");
  console.log(
    `   Or by hand: PULUMI_BACKEND_URL=${env.PULUMI_BACKEND_URL} PULUMI_CONFIG_PASSPHRASE= PULUMI_HOME=${env.PULUMI_HOME} pulumi destroy -s ${stackName} --yes; kill $(cat .dcaas/emulator.pid)`,
  );
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const build = spawnSync("tsc", ["-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) throw new Error("the TypeScript build failed");
  if (process.argv.includes("--destroy")) await destroy();
  else await demo();
  console.log(`\ndemo finished in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}

main().catch((err) => {
  console.error(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
