// `npm run demo`: the main job, step by step in the terminal. Starts the emulator with a persistent
// database under .dcaas/, runs examples/basic (the root Pulumi.yaml) through the real Pulumi engine
// on a local file:// backend, renames the interface in place, changes it out of band through the
// emulator's admin API, shows the drift gate catching that, refreshes, and leaves the stack up.
// `npm run demo -- --destroy` destroys the stack and stops the emulator.
// It converges from what a previous run left: its own emulator is reused (recognised by its admin
// token and pid), one whose .dcaas/ was deleted is restarted, a state describing objects the
// emulator no longer has is refreshed before `up`; a foreign server on the port is named in one line
// with the command that avoids it. Env: DCAAS_DEMO_PORT, DCAAS_DEMO_DIR (default .dcaas),
// DCAAS_DEMO_ADMIN_TOKEN, DCAAS_DEMO_STACK, DCAAS_DEMO_NO_BUILD.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { FIXTURES } from "../emulator/fixtures";
import { detectDrift, exitCodeOf, renderReport } from "../cli/dcaas";

const root = path.resolve(__dirname, "..");
const work = path.resolve(root, process.env.DCAAS_DEMO_DIR ?? ".dcaas");
const workRel = path.relative(root, work) || ".";
const pidFile = path.join(work, "emulator.pid");
const port = Number(process.env.DCAAS_DEMO_PORT ?? 18787);
const endpoint = `http://127.0.0.1:${port}`;
const adminToken = process.env.DCAAS_DEMO_ADMIN_TOKEN ?? "demo-admin-token";
const stackName = process.env.DCAAS_DEMO_STACK ?? "demo";

/** A failure the user fixes with one command: printed as one line, no stack trace. */
class DemoStop extends Error {}
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

/** What listens on the demo's port. */
type Listener =
  { kind: "none" } | { kind: "foreign"; what: string } | { kind: "demo"; pid: number | undefined };

async function probe(): Promise<Listener> {
  let health: { status?: string; pid?: number } | undefined;
  try {
    const res = await fetch(`${endpoint}/_emulator/health`, { signal: AbortSignal.timeout(2000) });
    health = res.ok ? ((await res.json().catch(() => undefined)) as typeof health) : undefined;
    if (!health || health.status !== "ok")
      return { kind: "foreign", what: `a server that is not dcaas-emulator (HTTP ${res.status})` };
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    return code === "ECONNREFUSED"
      ? { kind: "none" }
      : { kind: "foreign", what: `something that does not answer HTTP (${code ?? (err as Error).message})` };
  }
  // The demo's emulator answers the admin API to the demo's token; another one does not.
  const res = await fetch(`${endpoint}/_emulator/delays`, {
    headers: { "x-emulator-admin-token": adminToken },
  });
  await res.body?.cancel();
  if (!res.ok)
    return { kind: "foreign", what: "a dcaas-emulator that is not the demo's (its admin token differs)" };
  return { kind: "demo", pid: typeof health.pid === "number" ? health.pid : undefined };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopPid(pid: number): Promise<void> {
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

async function startEmulator(): Promise<void> {
  const found = await probe();
  if (found.kind === "foreign") {
    throw new DemoStop(
      `port ${port} is taken by ${found.what}. Stop it, or run the demo on another port: DCAAS_DEMO_PORT=${port + 1} npm run demo`,
    );
  }
  if (found.kind === "demo") {
    const recorded = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8")) : undefined;
    if (recorded !== undefined && (found.pid === undefined || found.pid === recorded)) {
      console.log(`   the demo's emulator is already running at ${endpoint} (pid ${recorded})`);
      return;
    }
    // The demo's emulator, but its ${workRel}/ (pid file, database file, state) was deleted under it.
    if (found.pid === undefined) {
      throw new DemoStop(
        `the demo's emulator at ${endpoint} runs without its ${workRel}/ (deleted?) and does not report its pid. Stop it (it listens on port ${port}), then rerun npm run demo`,
      );
    }
    console.log(
      `   found the demo's emulator (pid ${found.pid}) running without its ${workRel}/: restarting it afresh`,
    );
    await stopPid(found.pid);
  }
  fs.mkdirSync(work, { recursive: true });
  const logPath = path.join(work, "emulator.log");
  const logStart = fs.existsSync(logPath) ? fs.statSync(logPath).size : 0;
  const log = fs.openSync(logPath, "a");
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
  for (let i = 0; i < 150; i++) {
    const now = await probe();
    if (now.kind === "demo" && now.pid === child.pid) {
      console.log(
        `   emulator pid ${child.pid} listening at ${endpoint} (db ${workRel}/emulator.db, log ${workRel}/emulator.log)`,
      );
      return;
    }
    if (child.exitCode !== null || !alive(child.pid!)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  fs.rmSync(pidFile, { force: true });
  const said = fs.readFileSync(logPath, "utf8").slice(logStart).trim().split("\n").pop() ?? "";
  throw new DemoStop(`the emulator did not start: ${said || `see ${logPath}`}`);
}

/** Interfaces the demo's emulator holds in the fixture project. */
async function liveInterfaces(): Promise<number> {
  const res = await fetch(`${endpoint}/v3/${FIXTURES.projectId}/dcaas/virtual-interfaces`, {
    headers: { "x-auth-token": FIXTURES.token },
  });
  if (!res.ok) return 0;
  return (((await res.json()) as { virtual_interfaces?: unknown[] }).virtual_interfaces ?? []).length;
}

/** Resources of the stack's state other than the stack itself and providers. */
async function stateResources(stack: Stack): Promise<number> {
  const state = await stack.exportStack();
  return ((state.deployment?.resources ?? []) as { type: string }[]).filter(
    (r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"),
  ).length;
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
  const found = await probe();
  if (found.kind === "demo") {
    const stack = await LocalWorkspace.selectStack({ stackName, workDir: root }, { envVars: env }).catch(
      () => undefined,
    );
    if (stack) {
      await stack.destroy({ onOutput: echo, refresh: true });
      await stack.workspace.removeStack(stackName);
    } else {
      console.log("   no demo stack");
    }
  } else {
    console.log("   the demo's emulator is not running; nothing to destroy");
  }
  done(t);
  t = step("Stop the emulator");
  const recorded = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8")) : undefined;
  const pid = found.kind === "demo" ? (found.pid ?? recorded) : recorded;
  if (pid !== undefined && alive(pid)) {
    await stopPid(pid);
    console.log(`   stopped pid ${pid}`);
  } else if (found.kind === "foreign") {
    console.log(`   not stopping ${found.what} on port ${port}: it is not the demo's`);
  } else {
    console.log("   no demo emulator was running");
  }
  fs.rmSync(pidFile, { force: true });
  done(t);
}

async function demo(): Promise<void> {
  console.log(bold("pulumi-dcaas demo: a hosted virtual interface and an IPv6 peer, end to end"));
  let t = step("Start the emulator (persistent, authenticated, real asynchronous lifecycle)");
  await startEmulator();
  done(t);

  const stack = await openStack();
  await stack.setConfig("vifName", { value: "branch-1" });
  const known = await stateResources(stack);
  if (known === 0) {
    // A fresh state: anything the demo's emulator holds in the fixture project is left over from a
    // state that was deleted, and would collide (VLAN 301 already used).
    const orphans = await liveInterfaces();
    if (orphans > 0) {
      console.log(
        `   the demo's emulator holds ${orphans} interface(s) no state knows of: resetting its data`,
      );
      await admin("/_emulator/reset", {});
    }
  }
  t = step(
    known === 0
      ? "pulumi up: create the interface (BGP, standby pair) and its IPv6 peer, wait until ACTIVE"
      : "pulumi up --refresh: bring the existing stack back to the program (the last run left it renamed by hand)",
  );
  // Refresh first: a state describing objects the emulator no longer has (its database replaced)
  // drops them and up creates them again instead of failing on DC.1211.
  const up = await stack.up({ onOutput: echo, refresh: true });
  console.log(`   changes: ${JSON.stringify(up.summary.resourceChanges)}`);
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
  console.log(`   exit status would be ${exitCodeOf(report)}`);
  done(t);

  t = step("pulumi refresh: accept the live name into the state");
  await stack.refresh({ onOutput: echo });
  const after = await detectDrift({ workDir: root, stackName, envVars: env });
  console.log(`   drift gate after refresh: ${after.drifted ? "still drifting" : "clean (exit 0)"}`);
  done(t);

  console.log(
    `\n${bold("The stack is up.")} Its state is in ${workRel}/state; the emulator keeps running at ${endpoint}.`,
  );
  // The console is where a newcomer looks next; it asks for the admin token (a local demo value).
  const tokenFile = path.join(work, "admin-token");
  fs.writeFileSync(tokenFile, `${adminToken}\n`, { mode: 0o600 });
  console.log(`   Console:     ${endpoint}/_emulator/console  (sign in with the admin token)`);
  console.log(
    `   Admin token: ${adminToken}  (also in ${workRel}/admin-token; DCAAS_DEMO_ADMIN_TOKEN sets another)`,
  );
  console.log("   The next `pulumi up` would rename the interface back to the program's name.");
  console.log("   To destroy the stack and stop the emulator:  npm run demo -- --destroy");
  console.log(
    `   Or by hand: PULUMI_BACKEND_URL=${env.PULUMI_BACKEND_URL} PULUMI_CONFIG_PASSPHRASE= PULUMI_HOME=${env.PULUMI_HOME} pulumi destroy -s ${stackName} --yes; kill $(cat ${workRel}/emulator.pid)`,
  );
}

async function main(): Promise<void> {
  const t0 = Date.now();
  // DCAAS_DEMO_NO_BUILD=1: dist/ is fresh already (the e2e suite builds it first).
  if (!process.env.DCAAS_DEMO_NO_BUILD) {
    const build = spawnSync("bash", ["scripts/build.sh"], { cwd: root, stdio: "inherit" });
    if (build.status !== 0) throw new Error("the TypeScript build failed");
  }
  if (process.argv.includes("--destroy")) await destroy();
  else await demo();
  console.log(`\ndemo finished in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}

main().catch((err) => {
  if (err instanceof DemoStop) console.error(`\ndemo stopped: ${err.message}`);
  else console.error(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
