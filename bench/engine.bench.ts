// Benchmark through the real Pulumi engine: N = 1, 20 and 100 HostedVif + IPv6 VifPeer pairs
// against the emulator (provisioning delays 3 s for interfaces, 2 s for peers), next to the engine
// floor measured in the same run (the same program shape with a no-op dynamic resource). Figures:
// wall time of preview, up, refresh and destroy; API requests per created interface and per peer
// (the emulator's request log); bytes of state per resource (the file:// checkpoint); peak memory
// and CPU time of the dynamic provider process. Compares the engine's default parallelism with a
// wide `--parallel`. Also a slow cloud (60 s per interface, 30 s per peer, default pollInterval)
// at N = 20, the waits' requests and overshoot per created and deleted object (learned settle
// times, issue 14) against the figures before learning (bench/engine-report-before-learning.json),
// and other ways to raise the engine's parallelism (PULUMI_PARALLEL, GOMAXPROCS). Prints figures
// and writes bench/engine-report.md and bench/engine-report.json; it asserts nothing about time.
//
//   npm run bench                      (all sizes, both parallel settings, slow delays at N = 20)
//   npm run bench -- --sizes 1 --configs default --delays current --no-report   (a quick look)
//   npm run bench -- --sizes 20 --configs default,env,gomaxprocs --delays current   (parallelism)
//   flags: --sizes, --configs (default, wide, env, gomaxprocs), --delays (current, slow),
//          --slow-sizes, --slow-configs, --report NAME (bench/NAME.md, .json), --no-report
//   npm run bench -- --preview-only    (issue 12: preview with live checks on, N = 1, 20, 100: the API
//                                       requests a preview makes and preview time ÷ floor, median of
//                                       --repeat runs (default 3); writes bench/engine-preview-report.*)
//   npm run bench -- --fleet           (issue 22: N = 100, 500 links allocated from one pool over the
//                                       emulator's two hosted connections, --parallel 256, current
//                                       delays; preview ÷ floor (median of --repeat previews, default 3),
//                                       up − floor, API requests of a preview per N, state bytes per
//                                       resource, provider memory; writes bench/engine-fleet-report.*)
//   npm run bench -- --fleet --sizes 5 --repeat 1 --no-report   (a quick look)
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { EngineEvent, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { startEmulator } from "../emulator";
import { EmulatorAdmin } from "../test/helpers/emulatorAdmin";
import { packedProject } from "../test/helpers/project";
import { pulumiCommand, tempBackend, uniqueStackName } from "../test/helpers/pulumi";

const ROOT = path.join(__dirname, "..");
const ADMIN = "bench-admin-token";
type Delays = { vifCreate: number; vifDelete: number; peerCreate: number; peerDelete: number };
/** The emulator's delays and the provider's pollInterval per scenario (undefined: the default, 5 s). */
const SCENARIOS: Record<string, { delays: Delays; pollInterval: string | undefined }> = {
  current: {
    delays: { vifCreate: 3000, vifDelete: 3000, peerCreate: 2000, peerDelete: 2000 },
    pollInterval: "1s",
  },
  slow: {
    delays: { vifCreate: 60000, vifDelete: 60000, peerCreate: 30000, peerDelete: 30000 },
    pollInterval: undefined,
  },
};
const WIDE_PARALLEL = 256;
/** How each configuration raises (or not) the engine's parallelism. */
const CONFIG_SETTINGS: Record<string, { parallel?: number; env?: Record<string, string>; label: string }> = {
  default: { label: "engine default" },
  wide: { parallel: WIDE_PARALLEL, label: String(WIDE_PARALLEL) },
  // More slots than a 500-link fleet has steps (2 N = 1,000): shows what up − floor is when the
  // engine's --parallel does not bind, against "wide" in which every step waits in one of 256 slots.
  unbound: { parallel: 4 * WIDE_PARALLEL, label: String(4 * WIDE_PARALLEL) },
  // The engine without its checkpoint after every step (the file backend rewrites the whole state
  // each time): shows how much of a large up is the engine saving state rather than the provider.
  nocheckpoints: {
    parallel: WIDE_PARALLEL,
    env: { PULUMI_SKIP_CHECKPOINTS: "true" },
    label: `${WIDE_PARALLEL}, PULUMI_SKIP_CHECKPOINTS`,
  },
  // Neither limit: 1,024 slots and no checkpoint after every step (what the provider alone adds).
  "unbound-nocheckpoints": {
    parallel: 4 * WIDE_PARALLEL,
    env: { PULUMI_SKIP_CHECKPOINTS: "true" },
    label: `${4 * WIDE_PARALLEL}, PULUMI_SKIP_CHECKPOINTS`,
  },
  env: { env: { PULUMI_PARALLEL: String(WIDE_PARALLEL) }, label: `PULUMI_PARALLEL=${WIDE_PARALLEL}` },
  gomaxprocs: { env: { GOMAXPROCS: String(WIDE_PARALLEL / 4) }, label: `GOMAXPROCS=${WIDE_PARALLEL / 4}` },
};

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
/** Issue 22: links allocated from one pool (`allocation: { pool }`), N = 100 and 500, --parallel 256. */
const FLEET = process.argv.includes("--fleet");
const SIZES = (arg("sizes") ?? (FLEET ? "100,500" : "1,20,100")).split(",").map(Number);
const CONFIGS = (arg("configs") ?? (FLEET ? "wide" : "default,wide")).split(",");
const SCENARIO_NAMES = (arg("delays") ?? (FLEET ? "current" : "current,slow")).split(",");
const SLOW_SIZES = (arg("slow-sizes") ?? "20").split(",").map(Number);
const SLOW_CONFIGS = (arg("slow-configs") ?? "default,wide").split(",");
const WRITE_REPORT = !process.argv.includes("--no-report");
/** With the current delays, also run up and destroy with learning off: the same run's "before". */
const BASELINE = !FLEET && !process.argv.includes("--no-baseline");
const PREVIEW_ONLY = process.argv.includes("--preview-only");
const REPEAT = Number(arg("repeat") ?? "3");
/** Base name of the report files in bench/ (a second report for runs made in another process). */
const REPORT_NAME = arg("report") ?? (FLEET ? "engine-fleet-report" : "engine-report");
/** --fleet: how many previews of a new stack (floor and dcaas alternately) give the median. */
const PREVIEW_REPEAT = FLEET ? REPEAT : 1;
for (const c of [...CONFIGS, ...SLOW_CONFIGS])
  if (!CONFIG_SETTINGS[c]) throw new Error(`unknown config ${c}`);
for (const d of SCENARIO_NAMES) if (!SCENARIOS[d]) throw new Error(`unknown delays ${d}`);

// Targets of issue 6 (up − floor from the current delays).
const TARGET = {
  upOverFloorS:
    1.25 * ((SCENARIOS.current!.delays.vifCreate + SCENARIOS.current!.delays.peerCreate) / 1000) + 1,
  requestsPerResource: 8,
  previewRatio: 1.3,
  stateBytesPerResource: 6 * 1024,
  // Issue 12: a preview's reads with live checks on: at most 2 per distinct hosted connection or
  // gateway the program names, plus 2, whatever N (the bench program names one of each).
  previewRequests: 2 * 2 + 2,
};

/**
 * The pool of --fleet: the emulator's two hosted connections and its gateway (set in main), VLANs
 * for 500 links on either, /30 pairs (active + standby) for 1,024 links, /64s for 4,096 peers.
 */
const FLEET_POOL = {
  name: "bench-fleet",
  vlans: "1000-1999",
  interconnect: "10.20.0.0/19",
  ipv6: "fd00:20::/52",
};
// Issue 22's targets for the fleet: a preview's reads are those of the live checks, 2 per distinct
// hosted connection or gateway the pool names (2 + 1) plus 2, the same at every N.
const FLEET_TARGET = { previewRequests: 2 * 3 + 2 };

// Targets of issue 14 (waits that learn): mean requests per created or deleted object and mean
// overshoot, per scenario; N = 1 and up − floor are compared with the figures before learning.
const LEARN_TARGET: Record<string, { minPairs: number; requests: number; overshootMs: number }> = {
  current: { minPairs: 20, requests: 3, overshootMs: 300 },
  slow: { minPairs: 1, requests: 4, overshootMs: 2000 },
};
const BEFORE_LEARNING = (() => {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, "engine-report-before-learning.json"), "utf8"));
  } catch {
    return undefined;
  }
})();

// ---- the program ------------------------------------------------------------------------------

/** The user program: N pairs from config, dcaas resources or no-op dynamic resources of the same shape. */
const PROGRAM = `// Benchmark program (written by bench/engine.bench.ts): bench:pairs interface+peer pairs,
// bench:mode "real" (HostedVif + VifPeer) or "noop" (a dynamic resource that returns at once).
import * as pulumi from "@pulumi/pulumi";
import { HostedVif, VifPeer } from "pulumi-dcaas";

const cfg = new pulumi.Config("bench");
const mode = cfg.require("mode");
const pairs = cfg.requireNumber("pairs");
const connectionId = cfg.require("connectionId");
const gatewayId = cfg.require("gatewayId");
// With bench:pool (a PoolSpec as JSON, the --fleet mode): each link is allocated from the pool
// (connection, VLAN, /30 pairs, the peer's /64), the floor gets the same inputs.
const pool = cfg.getObject<any>("pool");

const noopProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: any) {
    return { id: "noop-" + Date.now().toString(36) + Math.random().toString(36).slice(2), outs: inputs };
  },
  async read(id: string, props: any) {
    return { id, props };
  },
  async delete() {},
};
class NoopVif extends pulumi.dynamic.Resource {
  constructor(name: string, args: Record<string, any>) {
    super(noopProvider, name, args, undefined, "bench", "NoopVif");
  }
}
class NoopPeer extends pulumi.dynamic.Resource {
  constructor(name: string, args: Record<string, any>) {
    super(noopProvider, name, args, undefined, "bench", "NoopPeer");
  }
}

for (let i = 0; pool && i < pairs; i++) {
  const vifArgs = {
    name: "bench-" + i,
    description: "benchmark link " + i,
    routeMode: "bgp" as const,
    bgpAsn: 65010,
    allocation: { pool },
  };
  const vif = mode === "real" ? new HostedVif("vif-" + i, vifArgs) : new NoopVif("vif-" + i, vifArgs);
  const peerArgs = {
    vifId: vif.id,
    name: "bench-" + i + "-v6",
    routeMode: "bgp" as const,
    bgpAsn: 65010,
    allocation: { pool },
  };
  if (mode === "real") new VifPeer("peer-" + i, peerArgs);
  else new NoopPeer("peer-" + i, peerArgs);
}

for (let i = 0; !pool && i < pairs; i++) {
  const hex = (i + 1).toString(16);
  const vifArgs = {
    name: "bench-" + i,
    description: "benchmark pair " + i,
    hostedConnectionId: connectionId,
    borderGatewayId: gatewayId,
    vlan: 100 + i,
    routeMode: "bgp" as const,
    bgpAsn: 65010,
    customerAddress: "10.20." + i + ".1/30",
    cloudAddress: "10.20." + i + ".2/30",
    remoteSubnets: ["192.168." + i + ".0/24"],
  };
  const vif = mode === "real" ? new HostedVif("vif-" + i, vifArgs) : new NoopVif("vif-" + i, vifArgs);
  const peerArgs = {
    vifId: vif.id,
    name: "bench-" + i + "-v6",
    addressFamily: "ipv6" as const,
    customerAddress: "fd00:" + hex + "::2/64",
    cloudAddress: "fd00:" + hex + "::1/64",
    routeMode: "bgp" as const,
    bgpAsn: 65010,
    remoteSubnets: ["fd00:50:" + hex + "::/64"],
  };
  if (mode === "real") new VifPeer("peer-" + i, peerArgs);
  else new NoopPeer("peer-" + i, peerArgs);
}

export const declaredPairs = pairs;
`;

// ---- the provider process: peak memory and CPU ------------------------------------------------

const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

interface ProcSample {
  pid: number;
  hwmKb: number;
  rssKb: number;
  cpuS: number;
}

/**
 * Samples /proc every 100 ms for node processes below this one whose command line runs the SDK's
 * dynamic-provider host (what `pulumi-resource-pulumi-nodejs` starts), keeping VmHWM and CPU time.
 */
class ProviderSampler {
  private timer?: NodeJS.Timeout;
  private seen = new Map<number, ProcSample>();
  private rejected = new Set<number>();

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
  }

  stop(): ProcSample[] {
    clearInterval(this.timer);
    this.sample();
    return [...this.seen.values()];
  }

  private descendsFromUs(pid: number): boolean {
    for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
      if (p === process.pid) return true;
      const stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
      p = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    }
    return false;
  }

  private sample(): void {
    for (const name of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      if (this.rejected.has(pid)) continue;
      try {
        let rec = this.seen.get(pid);
        if (!rec) {
          const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
          if (args.length === 0 || args[0] === "") continue;
          const isHost =
            path.basename(args[0]).startsWith("node") &&
            args.some((a) => a.includes("dynamic-provider")) &&
            !args.includes("-e");
          if (!isHost || !this.descendsFromUs(pid)) {
            // The shell wrapper's children carry its command line until they exec node: look again.
            if (!args.some((a) => a.includes("pulumi-resource-pulumi-nodejs"))) this.rejected.add(pid);
            continue;
          }
          rec = { pid, hwmKb: 0, rssKb: 0, cpuS: 0 };
          this.seen.set(pid, rec);
        }
        const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        rec.hwmKb = Math.max(rec.hwmKb, hwm);
        rec.rssKb = Math.max(rec.rssKb, rss);
        rec.cpuS = (Number(f[11]) + Number(f[12])) / CLK_TCK;
      } catch {
        // The process ended between readdir and read.
      }
    }
  }
}

// ---- helpers ----------------------------------------------------------------------------------

interface LogEntry {
  time: string;
  method: string;
  path: string;
  route: string | null;
  status: number;
  duration_ms: number;
  /** The object a POST created and, for a peer, its interface (the emulator's request log). */
  created_id?: string;
  created_in?: string;
  /** What a GET of one interface returned: its status and its peers', by id. */
  seen?: Record<string, string>;
}

type Counts = { method: string; route: string; count: number }[];

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const sum = (counts: Counts, method: string, suffix: string) =>
  counts.filter((c) => c.method === method && c.route.endsWith(suffix)).reduce((n, c) => n + c.count, 0);

function findCheckpoint(stateDir: string, stackName: string): string {
  const stack: string[] = [stateDir];
  while (stack.length) {
    const dir = stack.pop()!;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.name === `${stackName}.json`) return p;
    }
  }
  throw new Error(`no checkpoint for ${stackName} under ${stateDir}`);
}

/** Maximum number of overlapping [start, end] intervals. */
function peakOverlap(intervals: [number, number][]): number {
  const ev = intervals.flatMap(([s, e]) => [
    [s, 1],
    [e, -1],
  ]);
  ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let peak = 0;
  for (const [, d] of ev) peak = Math.max(peak, (cur += d));
  return peak;
}

// ---- one measured stack -----------------------------------------------------------------------

type Mode = "noop" | "real";
type Phase = "preview" | "up" | "previewNoChange" | "refresh" | "destroy";
const PHASES: Phase[] = ["preview", "up", "previewNoChange", "refresh", "destroy"];

interface PhaseResult {
  seconds: number;
  requests: Counts;
  requestTotal: number;
  provider: ProcSample[];
  summary?: unknown;
  /** --fleet, preview: each repeat (seconds is then their median, requestTotal their maximum). */
  repeats?: { seconds: number; requests: number }[];
}

const maxHwm = (ps: ProcSample[]) => Math.max(0, ...ps.map((p) => p.hwmKb));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadStart = os.loadavg();
  const t0 = performance.now();
  console.log("building the user project (npm pack + npm install)...");
  const project = packedProject();
  fs.writeFileSync(path.join(project, "index.ts"), PROGRAM);

  const requestLog: LogEntry[] = [];
  const emu = await startEmulator({
    port: 0,
    adminToken: ADMIN,
    delays: SCENARIOS.current!.delays,
    log: (line: any) => {
      if (line.msg === "request" && !String(line.path).startsWith("/_emulator")) requestLog.push(line);
    },
  });
  const admin = new EmulatorAdmin(emu.url, ADMIN);
  const backend = tempBackend();
  const envVars = { ...backend.envVars, PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
  const cmd = await pulumiCommand();
  const fx = emu.fixtures;
  const fleetPool = {
    ...FLEET_POOL,
    hostedConnectionIds: [fx.hostedConnections.active1, fx.hostedConnections.active2],
    borderGatewayId: fx.gatewayId,
  };

  const versions = {
    node: process.version,
    pulumi: execFileSync("pulumi", ["version"], { encoding: "utf8" }).trim(),
    pulumiSdk: JSON.parse(
      fs.readFileSync(path.join(project, "node_modules/@pulumi/pulumi/package.json"), "utf8"),
    ).version as string,
    pulumiDcaas: JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version as string,
  };
  const machine = {
    os: `${os.type()} ${os.release()}`,
    nproc: Number(execFileSync("nproc", { encoding: "utf8" }).trim()),
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    engineDefaultParallel: `GOMAXPROCS × 4 (= ${os.availableParallelism() * 4} with GOMAXPROCS = ${os.availableParallelism()})`,
  };
  console.log(JSON.stringify({ versions, machine }, null, 2));

  if (PREVIEW_ONLY) {
    try {
      await previewOnly({ project, emu, admin, envVars, cmd, versions, machine, startedAt, loadStart, t0 });
    } finally {
      await emu.close();
      backend.cleanup();
    }
    return;
  }

  const runs: any[] = [];
  /** --fleet: the phases of the run under way (a large N may be interrupted before its end). */
  let inProgress: { pairs: number; parallel: string; phases: any[] } | undefined;
  /** Writes the report; after each run too, so an interrupted benchmark leaves what it measured. */
  const writeReport = (final: boolean) => {
    const report = {
      complete: final,
      command:
        "npm run bench  (bash scripts/with-toolchain.sh bash scripts/test-suite.sh bench → " +
        "tsc -p tsconfig.build.json && node -r ts-node/register/transpile-only bench/engine.bench.ts" +
        (process.argv.length > 2 ? ` ${process.argv.slice(2).join(" ")}` : "") +
        ")",
      date: startedAt.toISOString(),
      durationMinutes: round((performance.now() - t0) / 60000, 1),
      loadAverage: { start: loadStart.map((x) => round(x)), end: os.loadavg().map((x) => round(x)) },
      versions,
      machine,
      setup: {
        emulator: {
          delaysMs: Object.fromEntries(SCENARIO_NAMES.map((d) => [d, SCENARIOS[d]!.delays])),
          address: emu.url.replace(/:\d+$/, ":<ephemeral>"),
        },
        engine: {
          backend: "file:// (temporary directory)",
          env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
          parallel: {
            default: machine.engineDefaultParallel,
            ...Object.fromEntries(Object.entries(CONFIG_SETTINGS).map(([k, v]) => [k, v.label])),
          },
        },
        provider: {
          "dcaas:pollInterval": Object.fromEntries(
            SCENARIO_NAMES.map((d) => [d, SCENARIOS[d]!.pollInterval ?? "default (5s)"]),
          ),
          auth: "AK/SK (stack secrets)",
        },
        program: FLEET
          ? `N × (HostedVif, BGP, allocation: { pool }) + N × (VifPeer, BGP, allocation: { pool }: its IPv6 /64), ` +
            `one pool ${JSON.stringify({ ...fleetPool, hostedConnectionIds: ["active1", "active2"], borderGatewayId: "<gateway>" })}`
          : "N × (HostedVif, BGP, /30 IPv4, one remote subnet) + N × (VifPeer IPv6 BGP on it)",
        floor:
          "the same program with a no-op dynamic resource (create/read/delete return at once), same config and settings",
      },
      targets: FLEET ? { ...TARGET, ...FLEET_TARGET } : TARGET,
      ...(FLEET ? { previewRepeat: PREVIEW_REPEAT } : {}),
      runs,
      ...(inProgress ? { inProgress } : {}),
    };
    const md = FLEET ? fleetMarkdown(report) : markdown(report);
    if (final) console.log(`\n${JSON.stringify(runs, null, 2)}\n\n${md}`);
    if (WRITE_REPORT) {
      fs.writeFileSync(
        path.join(ROOT, "bench", `${REPORT_NAME}.json`),
        `${JSON.stringify(report, null, 2)}\n`,
      );
      fs.writeFileSync(path.join(ROOT, "bench", `${REPORT_NAME}.md`), md);
      console.log(`wrote bench/${REPORT_NAME}.md and .json`);
    }
  };
  try {
    for (const scenario of SCENARIO_NAMES) {
      const { delays, pollInterval } = SCENARIOS[scenario]!;
      await admin.setDelays(delays);
      for (const n of scenario === "slow" ? SLOW_SIZES : SIZES) {
        for (const config of scenario === "slow" ? SLOW_CONFIGS : CONFIGS) {
          const settings = CONFIG_SETTINGS[config]!;
          const parallel = settings.parallel;
          console.log(`\n=== ${scenario} delays, N = ${n} pairs, parallel = ${settings.label} ===`);
          const stacks: Record<Mode, Stack> & { usual?: Stack } = {} as any;
          for (const mode of ["noop", "real"] as Mode[]) {
            const s = await LocalWorkspace.createStack(
              { stackName: uniqueStackName(`bench-${mode}-${n}`), workDir: project },
              { pulumiCommand: cmd, envVars: { ...envVars, ...settings.env } },
            );
            await s.setAllConfig({
              "dcaas:endpoint": { value: emu.url },
              "dcaas:projectId": { value: fx.projectId },
              "dcaas:accessKey": { value: fx.accessKey, secret: true },
              "dcaas:secretKey": { value: fx.secretKey, secret: true },
              ...(pollInterval ? { "dcaas:pollInterval": { value: pollInterval } } : {}),
              "bench:mode": { value: mode },
              "bench:pairs": { value: String(n) },
              "bench:connectionId": { value: fx.hostedConnections.active1 },
              "bench:gatewayId": { value: fx.gatewayId },
              ...(FLEET ? { "bench:pool": { value: JSON.stringify(fleetPool) } } : {}),
            });
            stacks[mode] = s;
          }
          const results: Record<Mode, Partial<Record<Phase, PhaseResult>>> = { noop: {}, real: {} };
          const extra: Record<Mode, any> = { noop: {}, real: {} };
          const output: string[] = [];
          const onOutput = (s: string) => output.push(s);
          try {
            // Phase by phase, floor then dcaas, so both see the same background load.
            for (const phase of PHASES) {
              const reps = phase === "preview" ? PREVIEW_REPEAT : 1;
              const repeats: Record<Mode, { seconds: number; requests: number }[]> = { noop: [], real: [] };
              for (let rep = 0; rep < reps; rep++)
                for (const mode of ["noop", "real"] as Mode[]) {
                  const stack = stacks[mode];
                  await admin.clearRequests();
                  requestLog.length = 0;
                  const sampler = new ProviderSampler();
                  sampler.start();
                  const start = performance.now();
                  const startEpoch = Date.now();
                  const events: { at: number; e: EngineEvent }[] = [];
                  const onEvent = (e: EngineEvent) => events.push({ at: Date.now() - startEpoch, e });
                  let summary: unknown;
                  try {
                    if (phase === "preview" || phase === "previewNoChange") {
                      summary = (await stack.preview({ parallel, onOutput })).changeSummary;
                    } else if (phase === "up") {
                      summary = (await stack.up({ parallel, onOutput, onEvent })).summary.resourceChanges;
                    } else if (phase === "refresh") {
                      summary = (await stack.refresh({ parallel, onOutput })).summary.resourceChanges;
                    } else {
                      summary = (await stack.destroy({ parallel, onOutput })).summary.resourceChanges;
                    }
                  } catch (e) {
                    console.error(output.slice(-40).join(""));
                    throw e;
                  }
                  const seconds = (performance.now() - start) / 1000;
                  const endEpoch = Date.now();
                  const provider = sampler.stop();
                  const { total, counts } = await admin.requests();
                  repeats[mode].push({ seconds, requests: total });
                  const prev = results[mode][phase];
                  results[mode][phase] = {
                    seconds,
                    requests: counts,
                    requestTotal: Math.max(total, prev?.requestTotal ?? 0),
                    // Peak memory and CPU of the provider: the highest of the repeats.
                    provider: prev && maxHwm(prev.provider) > maxHwm(provider) ? prev.provider : provider,
                    summary,
                  };
                  if (reps > 1) {
                    const r = results[mode][phase]!;
                    r.seconds = median(repeats[mode].map((x) => x.seconds));
                    r.repeats = repeats[mode].map((x) => ({
                      seconds: round(x.seconds),
                      requests: x.requests,
                    }));
                  }
                  const log = [...requestLog];
                  if (process.env.BENCH_DUMP_LOG) {
                    // For diagnosis: the request log of each phase, one JSON line per request.
                    fs.mkdirSync(process.env.BENCH_DUMP_LOG, { recursive: true });
                    fs.writeFileSync(
                      path.join(
                        process.env.BENCH_DUMP_LOG,
                        `${n}-${config}-${scenario}-${phase}-${mode}.jsonl`,
                      ),
                      log.map((e) => JSON.stringify(e)).join("\n") + "\n",
                    );
                  }
                  if (FLEET && phase === "preview" && (summary as any)?.create !== 2 * n + 1)
                    throw new Error(`${mode} preview of N=${n}: ${JSON.stringify(summary)}`);
                  console.log(
                    `${phase.padEnd(16)} ${mode.padEnd(5)} ${seconds.toFixed(2).padStart(7)} s  ` +
                      `${String(total).padStart(5)} API requests  ${JSON.stringify(summary)}`,
                  );
                  if (FLEET) {
                    // Each phase into the report at once: an N too large to finish leaves what it measured.
                    inProgress ??= { pairs: n, parallel: settings.label, phases: [] };
                    inProgress.phases.push({
                      phase,
                      mode,
                      seconds: round(seconds),
                      apiRequests: total,
                      apiRequestsByRoute: counts,
                      providerPeakVmHWMMb: round(maxHwm(provider) / 1024, 1),
                      providerCpuSeconds: round(provider.reduce((a, p) => a + p.cpuS, 0)),
                      summary,
                    });
                    writeReport(false);
                  }
                  if (phase === "up") {
                    extra[mode].steps = stepTimes(events, seconds);
                    extra[mode].state = stateFigures(backend.dir, stack.name);
                    if (mode === "real") {
                      extra[mode].upRequests = await attributeUp(admin, fx.projectId, log, n, delays);
                      extra[mode].peerToVif = await peersOfInterfaces(admin, fx.projectId);
                      extra[mode].upTimeline = timeline(log, startEpoch, endEpoch, n);
                    }
                  }
                  if (phase === "destroy" && mode === "real") {
                    extra[mode].destroyRequests = attributeDestroy(log, n, delays, extra[mode].peerToVif);
                    const left = await admin.interfaces(fx.projectId);
                    if (left.length !== 0) throw new Error(`destroy left ${left.length} interfaces`);
                  }
                }
            }
            if (BASELINE && scenario === "current") {
              // The same program with learning off (DCAAS_LEARN_WAITS=off: the usual schedule), up
              // then destroy, after the dcaas stack is gone: the "before" of this run.
              const s = await LocalWorkspace.createStack(
                { stackName: uniqueStackName(`bench-usual-${n}`), workDir: project },
                {
                  pulumiCommand: cmd,
                  envVars: { ...envVars, ...settings.env, DCAAS_LEARN_WAITS: "off" },
                },
              );
              stacks.usual = s;
              await s.setAllConfig(await stacks.real.getAllConfig());
              const base: any = {};
              for (const phase of ["up", "destroy"] as const) {
                await admin.clearRequests();
                requestLog.length = 0;
                const start = performance.now();
                if (phase === "up") await s.up({ parallel, onOutput });
                else await s.destroy({ parallel, onOutput });
                const seconds = (performance.now() - start) / 1000;
                const log = [...requestLog];
                console.log(
                  `${phase.padEnd(16)} usual ${seconds.toFixed(2).padStart(7)} s  ${String(log.length).padStart(5)} API requests`,
                );
                if (phase === "up") {
                  base.upDeltaS = round(seconds - results.noop.up!.seconds);
                  base.upRequests = await attributeUp(admin, fx.projectId, log, n, delays);
                  base.peerToVif = await peersOfInterfaces(admin, fx.projectId);
                } else {
                  base.destroyDeltaS = round(seconds - results.noop.destroy!.seconds);
                  base.destroyRequests = attributeDestroy(log, n, delays, base.peerToVif);
                }
              }
              delete base.peerToVif;
              extra.real.baseline = base;
            }
          } finally {
            for (const s of Object.values(stacks)) {
              try {
                await s.destroy({ parallel: WIDE_PARALLEL });
              } finally {
                await s.workspace.removeStack(s.name, { force: true });
              }
            }
          }
          runs.push(summarise(n, config, scenario, results, extra));
          inProgress = undefined;
          writeReport(false);
        }
      }
    }
  } finally {
    await emu.close();
    backend.cleanup();
  }

  writeReport(true);
}

// ---- figures ----------------------------------------------------------------------------------

function stateFigures(backendDir: string, stackName: string) {
  const file = findCheckpoint(path.join(backendDir, "state"), stackName);
  const bytes = fs.statSync(file).size;
  const cp = JSON.parse(fs.readFileSync(file, "utf8"));
  const resources: any[] = cp.checkpoint?.latest?.resources ?? cp.latest?.resources ?? [];
  const byType: Record<string, { count: number; avgBytes: number; avgProviderBytes: number }> = {};
  for (const r of resources) {
    const t = String(r.type);
    const e = (byType[t] ??= { count: 0, avgBytes: 0, avgProviderBytes: 0 });
    e.count++;
    e.avgBytes += JSON.stringify(r).length;
    e.avgProviderBytes +=
      JSON.stringify(r.inputs?.__provider ?? "").length + JSON.stringify(r.outputs?.__provider ?? "").length;
  }
  for (const e of Object.values(byType)) {
    e.avgBytes = Math.round(e.avgBytes / e.count);
    e.avgProviderBytes = Math.round(e.avgProviderBytes / e.count);
  }
  const dynamic = resources.filter((r) => String(r.type).startsWith("pulumi-nodejs:dynamic")).length;
  return {
    checkpointBytes: bytes,
    resourcesInCheckpoint: resources.length,
    dynamicResources: dynamic,
    bytesPerResource: Math.round(bytes / resources.length),
    bytesPerDynamicResource: Math.round(bytes / Math.max(1, dynamic)),
    byType,
  };
}

/** Mean and maximum of a list (rounded), or undefined when it is empty. */
function stats(xs: number[]): { mean: number; max: number; n: number } | undefined {
  return xs.length ? { mean: round(mean(xs)), max: round(Math.max(...xs)), n: xs.length } : undefined;
}

/** When a request reached the emulator, and when its response left. */
const startOf = (e: LogEntry) => Date.parse(e.time) - e.duration_ms;
const endOf = (e: LogEntry) => Date.parse(e.time);

/**
 * Splits the requests of `up` between interfaces and peers. Both wait on GET
 * /virtual-interfaces/{id} (a peer is read through its interface). An interface's requests: its POST
 * and its GETs from its create_time up to the first that started at or after its due time
 * (create_time + its delay: the one that saw ACTIVE). A peer's: its POST (the emulator's log names
 * the peer and its interface) and the GETs of that interface after the POST up to the first that
 * started at or after the due time (POST + its delay). Reads of the interface between the GET that
 * saw it ACTIVE and the peer's POST (the peer's check) are counted apart. Overshoot: the end of the
 * GET that saw the object settled minus its due time.
 */
async function attributeUp(
  admin: EmulatorAdmin,
  projectId: string,
  log: LogEntry[],
  n: number,
  delays: Delays,
) {
  const vifs = await admin.interfaces(projectId);
  // GETs of each interface (a peer is read through its interface), as [start, end, what it
  // returned], in time order.
  type Get = [number, number, Record<string, string> | undefined];
  const gets = new Map<string, Get[]>();
  for (const e of log) {
    const m = /\/virtual-interfaces\/([0-9a-f-]{36})$/.exec(e.path);
    if (e.method === "GET" && m) {
      const list = gets.get(m[1]) ?? [];
      list.push([startOf(e), endOf(e), e.seen]);
      gets.set(m[1], list);
    }
  }
  for (const list of gets.values()) list.sort((a, b) => a[0] - b[0]);
  const vifPosts = log.filter((e) => e.method === "POST" && /\/virtual-interfaces$/.test(e.path)).length;
  const peerPosts = log.filter((e) => e.method === "POST" && /\/vif-peers$/.test(e.path));
  const perVif: number[] = [];
  const perPeer: number[] = [];
  const peerReadsBefore: number[] = [];
  const vifOvershoot: number[] = [];
  const peerOvershoot: number[] = [];
  const intervals: [number, number][] = [];
  const seenActive = new Map<string, number>();
  /**
   * The wait's requests: polls until the first that returned the object settled (the emulator's log
   * says what each GET returned); without that record, the first that started at or after `due`
   * (a poll that straddles the due time can be either: learned polls land within a millisecond of it).
   */
  const waitOf = (polls: Get[], due: number, id: string, pending: string) => {
    let k = polls.findIndex(([, , seen]) => seen?.[id] !== undefined && seen[id] !== pending);
    if (k < 0 && polls.every(([, , seen]) => seen === undefined))
      k = polls.findIndex(([start]) => start >= due);
    if (k < 0) k = polls.length - 1;
    return { gets: k + 1, seenAt: polls[k]?.[1] ?? NaN };
  };
  for (const v of vifs) {
    const created = Date.parse(v.create_time);
    const due = created + delays.vifCreate;
    const w = waitOf(
      (gets.get(v.id) ?? []).filter(([start]) => start >= created),
      due,
      v.id,
      "PENDING_CREATE",
    );
    perVif.push(1 + w.gets);
    vifOvershoot.push(w.seenAt - due);
    intervals.push([created, w.seenAt]);
    seenActive.set(v.id, w.seenAt);
  }
  // Each peer POST names the peer and its interface in the emulator's log (created_id, created_in).
  let unmatched = 0;
  for (const e of peerPosts) {
    if (e.status !== 201 || !e.created_in) {
      unmatched++;
      continue;
    }
    const post = startOf(e);
    const due = post + delays.peerCreate;
    const all = gets.get(e.created_in) ?? [];
    // Reads of the interface between the GET that saw it ACTIVE and the peer's POST (check, create).
    peerReadsBefore.push(
      all.filter(([start]) => start > (seenActive.get(e.created_in!) ?? Infinity) && start < post).length,
    );
    const w = waitOf(
      all.filter(([start]) => start >= endOf(e)),
      due,
      e.created_id!,
      "PENDING_CREATE",
    );
    perPeer.push(1 + w.gets);
    peerOvershoot.push(w.seenAt - due);
    intervals.push([post, w.seenAt]);
  }
  return {
    interfacesSeen: vifs.length,
    postsPerInterface: round(vifPosts / n),
    postsPerPeer: round(peerPosts.length / n),
    perInterface: stats(perVif)!,
    perPeer: stats(perPeer) ?? { mean: NaN, max: NaN, n: 0 },
    peerReadsBeforePost: stats(peerReadsBefore),
    peersUnmatched: unmatched,
    allPerResource: round(log.length / (2 * n)),
    interfaceOvershootMs: stats(vifOvershoot)!,
    peerOvershootMs: stats(peerOvershoot),
    peakConcurrentOperations: peakOverlap(intervals),
  };
}

/** The id of each interface's IPv6 peer (the benchmark's VifPeer), mapped to the interface's id. */
async function peersOfInterfaces(admin: EmulatorAdmin, projectId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const v of await admin.interfaces(projectId)) {
    for (const p of v.vif_peers ?? []) if (p.address_family === "ipv6") out[p.id] = v.id;
  }
  return out;
}

/**
 * The engine's view of `up` from its events (as received here): when the first resource step
 * began, how long the steps of each type took (pre → outputs), and the time after the last step.
 */
function stepTimes(events: { at: number; e: EngineEvent }[], seconds: number) {
  const pre = new Map<string, number>();
  const byType: Record<string, number[]> = {};
  let first = Infinity;
  let last = 0;
  for (const { at, e } of events) {
    const m = e.resourcePreEvent?.metadata ?? e.resOutputsEvent?.metadata;
    if (!m || !String(m.type).startsWith("pulumi-nodejs:dynamic")) continue;
    if (e.resourcePreEvent) {
      pre.set(m.urn, at);
      first = Math.min(first, at);
    } else if (pre.has(m.urn)) {
      const type = String(m.type).split(":").pop()!;
      (byType[type] ??= []).push(at - pre.get(m.urn)!);
      last = Math.max(last, at);
    }
  }
  return {
    firstStepAfterS: round(first / 1000),
    lastStepBeforeEndS: round(seconds - last / 1000),
    stepSpanS: round((last - first) / 1000),
    meanStepS: Object.fromEntries(Object.entries(byType).map(([t, xs]) => [t, round(mean(xs) / 1000)])),
  };
}

/**
 * Where the time of `up` goes outside the API waits: from the start of the command to the first
 * API request, and from the last one to the end; with one pair, every request relative to the start.
 */
function timeline(log: LogEntry[], startEpoch: number, endEpoch: number, n: number) {
  const times = log.map((e) => Date.parse(e.time) - e.duration_ms).sort((a, b) => a - b);
  const ends = log.map((e) => Date.parse(e.time)).sort((a, b) => a - b);
  return {
    firstRequestAfterS: round((times[0] - startEpoch) / 1000),
    lastRequestBeforeEndS: round((endEpoch - ends[ends.length - 1]) / 1000),
    apiSpanS: round((ends[ends.length - 1] - times[0]) / 1000),
    requests:
      n === 1
        ? log.map((e) => ({
            atS: round((Date.parse(e.time) - e.duration_ms - startEpoch) / 1000, 3),
            method: e.method,
            route: e.route,
            ms: e.duration_ms,
          }))
        : undefined,
  };
}

/**
 * Destroy requests and overshoot per deleted peer and interface. A peer's requests are its DELETE
 * and the GETs on its interface between that DELETE and the interface's DELETE; an interface's are
 * its DELETE and the GETs after it. Due time: the DELETE's arrival + the delay; overshoot: end of
 * the GET that saw it gone (a 404 for an interface, an answer without the peer for a peer, as the
 * emulator's log records) minus the due time.
 */
function attributeDestroy(log: LogEntry[], n: number, delays: Delays, peerToVif: Record<string, string>) {
  const vifDelete = new Map<string, number>();
  const peerDelete = new Map<string, number>();
  type Get = { end: number; status: number; seen?: Record<string, string> };
  const gets = new Map<string, Get[]>();
  let other = 0;
  for (const e of log) {
    const v = /\/virtual-interfaces\/([0-9a-f-]{36})$/.exec(e.path);
    const p = /\/vif-peers\/([0-9a-f-]{36})$/.exec(e.path);
    if (v && e.method === "DELETE") vifDelete.set(v[1]!, startOf(e));
    else if (p && e.method === "DELETE") peerDelete.set(p[1]!, startOf(e));
    else if (v && e.method === "GET") {
      const list = gets.get(v[1]!) ?? [];
      list.push({ end: endOf(e), status: e.status, seen: e.seen });
      gets.set(v[1]!, list);
    } else other++;
  }
  const perVif: number[] = [];
  const perPeer: number[] = [];
  const vifOvershoot: number[] = [];
  const peerOvershoot: number[] = [];
  const settle = (polls: Get[], due: number, gone: (g: Get) => boolean, out: number[]) => {
    const seen = polls.find(gone) ?? polls.find((g) => g.end >= due);
    if (seen !== undefined) out.push(seen.end - due);
  };
  for (const [vifId, at] of vifDelete) {
    const after = (gets.get(vifId) ?? []).filter((g) => g.end >= at).sort((a, b) => a.end - b.end);
    perVif.push(1 + after.length);
    settle(after, at + delays.vifDelete, (g) => g.status === 404, vifOvershoot);
  }
  for (const [peerId, at] of peerDelete) {
    const vifId = peerToVif[peerId];
    const until = (vifId && vifDelete.get(vifId)) || Infinity;
    const between = (vifId ? (gets.get(vifId) ?? []) : [])
      .filter((g) => g.end >= at && g.end < until)
      .sort((a, b) => a.end - b.end);
    perPeer.push(1 + between.length);
    settle(
      between,
      at + delays.peerDelete,
      (g) => g.seen !== undefined && !(peerId in g.seen),
      peerOvershoot,
    );
  }
  return {
    perInterface: round(mean(perVif)),
    perPeer: round(mean(perPeer)),
    interfaceRequests: stats(perVif),
    peerRequests: stats(perPeer),
    interfaceOvershootMs: stats(vifOvershoot),
    peerOvershootMs: stats(peerOvershoot),
    otherRequests: other,
    all: log.length,
    deletedInterfaces: vifDelete.size,
    deletedPeers: peerDelete.size,
    n,
  };
}

function summarise(
  n: number,
  config: string,
  scenario: string,
  results: Record<Mode, Partial<Record<Phase, PhaseResult>>>,
  extra: Record<Mode, any>,
) {
  const sec = (mode: Mode, phase: Phase) => round(results[mode][phase]!.seconds);
  const provider = (mode: Mode, phase: Phase) => {
    const ps = results[mode][phase]!.provider;
    return {
      processes: ps.length,
      peakVmHWMMb: round(Math.max(0, ...ps.map((p) => p.hwmKb)) / 1024, 1),
      cpuSeconds: round(ps.reduce((a, p) => a + p.cpuS, 0)),
    };
  };
  const phases: Record<string, any> = {};
  for (const phase of PHASES) {
    phases[phase] = {
      floorS: sec("noop", phase),
      dcaasS: sec("real", phase),
      deltaS: round(sec("real", phase) - sec("noop", phase)),
      ratio: round(sec("real", phase) / sec("noop", phase)),
      apiRequests: results.real[phase]!.requestTotal,
      apiRequestsByRoute: results.real[phase]!.requests,
      ...(results.real[phase]!.repeats
        ? { repeats: { floor: results.noop[phase]!.repeats, dcaas: results.real[phase]!.repeats } }
        : {}),
      floorApiRequests: results.noop[phase]!.requestTotal,
      changes: results.real[phase]!.summary,
      provider: provider("real", phase),
      floorProvider: provider("noop", phase),
    };
  }
  const refreshCounts = results.real.refresh!.requests;
  const up = extra.real.upRequests;
  const upDelta = phases.up.deltaS;
  const stateReal = extra.real.state;
  const label = CONFIG_SETTINGS[config]!.label;
  const d = SCENARIOS[scenario]!.delays;
  const upLimit = round(1.25 * ((d.vifCreate + d.peerCreate) / 1000) + 1);
  const previewRequestLimit = FLEET ? FLEET_TARGET.previewRequests : TARGET.previewRequests;
  return {
    pairs: n,
    resources: 2 * n,
    config,
    scenario,
    delaysMs: SCENARIOS[scenario]!.delays,
    pollInterval: SCENARIOS[scenario]!.pollInterval ?? "default (5s)",
    parallel: label,
    learning: learningFigures(
      n,
      scenario,
      label,
      up,
      extra.real.destroyRequests,
      upDelta,
      extra.real.baseline,
    ),
    phases,
    upTimeline: extra.real.upTimeline,
    upSteps: { floor: extra.noop.steps, dcaas: extra.real.steps },
    requests: {
      up,
      refreshPerResource: round(results.real.refresh!.requestTotal / (2 * n)),
      refreshGets: sum(refreshCounts, "GET", "{virtual_interface_id}"),
      destroy: extra.real.destroyRequests,
    },
    state: { dcaas: stateReal, floor: extra.noop.state },
    targets: {
      upMinusFloor: { value: upDelta, limit: upLimit, pass: upDelta <= upLimit },
      requestsPerInterface: {
        value: up.perInterface.max,
        mean: up.perInterface.mean,
        limit: TARGET.requestsPerResource,
        pass: up.perInterface.max <= TARGET.requestsPerResource,
      },
      requestsPerPeer: {
        value: up.perPeer.max,
        mean: up.perPeer.mean,
        limit: TARGET.requestsPerResource,
        pass: up.perPeer.max <= TARGET.requestsPerResource,
      },
      previewRatio: {
        value: phases.preview.ratio,
        limit: TARGET.previewRatio,
        pass: phases.preview.ratio <= TARGET.previewRatio,
      },
      previewRequests: {
        value: phases.preview.apiRequests,
        limit: previewRequestLimit,
        pass: phases.preview.apiRequests <= previewRequestLimit,
      },
      stateBytesPerResource: {
        value: stateReal.bytesPerDynamicResource,
        limit: TARGET.stateBytesPerResource,
        pass: stateReal.bytesPerDynamicResource <= TARGET.stateBytesPerResource,
      },
    },
  };
}

/**
 * The figures and targets of issue 14 for one run: requests per created and deleted object, the
 * overshoot of every kind of wait, and up − floor, next to the same run before learning.
 */
function learningFigures(
  n: number,
  scenario: string,
  label: string,
  up: any,
  destroy: any,
  upDelta: number,
  baseline?: any,
) {
  // Before learning: this run's baseline (learning off), else the recorded figures.
  const before = baseline
    ? {
        source: "this run, DCAAS_LEARN_WAITS=off",
        phases: { up: { deltaS: baseline.upDeltaS }, destroy: { deltaS: baseline.destroyDeltaS } },
        requests: {
          up: { ...baseline.upRequests, peerOvershootMsApprox: baseline.upRequests.peerOvershootMs },
          destroy: baseline.destroyRequests,
        },
      }
    : scenario === "current" && !FLEET
      ? BEFORE_LEARNING?.runs?.find((r: any) => r.pairs === n && String(r.parallel) === label)
      : undefined;
  const requests = {
    createInterface: up.perInterface,
    createPeer: up.perPeer,
    deleteInterface: destroy.interfaceRequests,
    deletePeer: destroy.peerRequests,
  };
  const overshootMs = {
    createInterface: up.interfaceOvershootMs,
    createPeer: up.peerOvershootMs,
    deleteInterface: destroy.interfaceOvershootMs,
    deletePeer: destroy.peerOvershootMs,
  };
  const worstRequests = Math.max(...Object.values(requests).map((x: any) => x?.mean ?? Infinity));
  const worstOvershoot = Math.max(...Object.values(overshootMs).map((x: any) => x?.mean ?? Infinity));
  const t = LEARN_TARGET[scenario]!;
  const targets: Record<string, { value: number; limit: number; pass: boolean }> = {};
  if (n >= t.minPairs) {
    targets.meanRequestsPerObject = {
      value: worstRequests,
      limit: t.requests,
      pass: worstRequests <= t.requests,
    };
    targets.meanOvershootMs = {
      value: worstOvershoot,
      limit: t.overshootMs,
      pass: worstOvershoot <= t.overshootMs,
    };
  }
  if (before) {
    const b = before.requests.up;
    if (n === 1) {
      const beforeReq = Math.max(
        b.perInterface.mean,
        b.perPeer.mean,
        before.requests.destroy.perInterface,
        before.requests.destroy.perPeer,
      );
      targets.requestsNoWorseThanBefore = {
        value: worstRequests,
        limit: beforeReq,
        pass: worstRequests <= beforeReq,
      };
      const bo = Math.max(b.interfaceOvershootMs.mean, b.peerOvershootMsApprox?.mean ?? 0);
      const o = Math.max(up.interfaceOvershootMs.mean, up.peerOvershootMs?.mean ?? 0);
      targets.createOvershootNoWorseThanBefore = { value: o, limit: bo, pass: o <= bo };
    }
    const bu = before.phases.up.deltaS;
    targets.upMinusFloorNoWorseThanBefore = { value: upDelta, limit: bu, pass: upDelta <= bu };
  }
  return {
    requests,
    overshootMs,
    peerReadsBeforePost: up.peerReadsBeforePost,
    upMinusFloorS: upDelta,
    before: before
      ? {
          source: before.source ?? "bench/engine-report-before-learning.json",
          upMinusFloorS: before.phases.up.deltaS,
          destroyMinusFloorS: before.phases.destroy?.deltaS,
          up: before.requests.up,
          destroy: before.requests.destroy,
        }
      : undefined,
    targets,
  };
}

/** "20", or "20 (slow)" for the slow delays. */
const nLabel = (x: any) => (x.scenario === "current" ? String(x.pairs) : `${x.pairs} (${x.scenario})`);

// ---- the report -------------------------------------------------------------------------------

function markdown(r: any): string {
  const ok = (p: boolean) => (p ? "**pass**" : "**FAIL**");
  const L: string[] = [];
  L.push("# Engine benchmark: HostedVif + VifPeer through the real Pulumi engine", "");
  L.push(`Command: \`${r.command}\`  `);
  if (!r.complete)
    L.push("**Partial report: the benchmark was still running or was interrupted after these runs.**  ");
  L.push(`Date: ${r.date} (${r.durationMinutes} min)  `);
  L.push(
    `Versions: Node ${r.versions.node}, pulumi ${r.versions.pulumi}, @pulumi/pulumi ${r.versions.pulumiSdk}, pulumi-dcaas ${r.versions.pulumiDcaas} (packed and installed in a temporary project)  `,
  );
  L.push(
    `Machine: ${r.machine.os}, nproc ${r.machine.nproc} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB; ` +
      `load average ${r.loadAverage.start.join(" ")} at start, ${r.loadAverage.end.join(" ")} at the end ` +
      "(2 cores shared with other work: expect noise of a second or more per command)",
    "",
  );
  L.push(
    `Setup: emulator on loopback with delays ${JSON.stringify(r.setup.emulator.delaysMs)} ms; file:// backend; ` +
      `PULUMI_NODEJS_TRANSPILE_ONLY=true; dcaas:pollInterval ${JSON.stringify(r.setup.provider["dcaas:pollInterval"])}; ` +
      `program: ${r.setup.program}. Floor: ${r.setup.floor}. Each phase runs the floor stack, then the ` +
      "dcaas stack. Times are wall times of the Automation API call (CLI start, language host, provider host included).",
    "",
  );
  L.push("## Waits that learn (issue 14): requests and overshoot per created and deleted object", "");
  L.push(
    "Requests per object: its POST or DELETE plus the GETs of its wait (mean / max). Overshoot: end of the GET " +
      "that saw the object settled minus the time it settled in the emulator (mean / max, ms). " +
      "Before: the same program and stack settings in the same run with DCAAS_LEARN_WAITS=off (the usual " +
      'schedule), run after the learning stack was destroyed; its row follows each run\'s, marked "before". ' +
      "Peer reads before POST: GETs of the interface between the one that saw it ACTIVE and the peer's POST " +
      "(the peer's live check), counted apart from the peer's requests.",
    "",
  );
  L.push(
    "| N pairs | parallel | create: per interface | create: per peer | delete: per interface | delete: per peer | " +
      "overshoot create interface | create peer | delete interface | delete peer | up − floor, s (before) | targets |",
  );
  L.push("|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const x of r.runs) {
    const l = x.learning;
    const f = (v: any) => (v ? `${v.mean} / ${v.max}` : "-");
    const tg = Object.entries(l.targets as Record<string, any>)
      .map(([k, t]) => `${k} ${t.value} vs ${t.limit} ${ok(t.pass)}`)
      .join("; ");
    L.push(
      `| ${nLabel(x)} | ${x.parallel} | ${f(l.requests.createInterface)} | ${f(l.requests.createPeer)} | ` +
        `${f(l.requests.deleteInterface)} | ${f(l.requests.deletePeer)} | ${f(l.overshootMs.createInterface)} | ` +
        `${f(l.overshootMs.createPeer)} | ${f(l.overshootMs.deleteInterface)} | ${f(l.overshootMs.deletePeer)} | ` +
        `${l.upMinusFloorS}${l.before ? ` (${l.before.upMinusFloorS})` : ""} | ${tg || "-"} |`,
    );
    const b = l.before;
    if (b?.up?.perInterface && b.destroy?.interfaceRequests) {
      L.push(
        `| ${nLabel(x)} | ${x.parallel}, before | ${f(b.up.perInterface)} | ${f(b.up.perPeer)} | ` +
          `${f(b.destroy.interfaceRequests)} | ${f(b.destroy.peerRequests)} | ${f(b.up.interfaceOvershootMs)} | ` +
          `${f(b.up.peerOvershootMs)} | ${f(b.destroy.interfaceOvershootMs)} | ${f(b.destroy.peerOvershootMs)} | ` +
          `${b.upMinusFloorS} | ${b.source} |`,
      );
    }
  }
  L.push("");
  L.push(
    "Peer reads before POST (mean / max): " +
      r.runs
        .map(
          (x: any) =>
            `${nLabel(x)} ${x.parallel}: ${x.learning.peerReadsBeforePost ? `${x.learning.peerReadsBeforePost.mean} / ${x.learning.peerReadsBeforePost.max}` : "-"}`,
        )
        .join("; "),
  );
  L.push("");
  L.push("## Wall time (seconds): floor / dcaas (dcaas − floor)", "");
  L.push("| N pairs | parallel | preview (create) | up | preview (no change) | refresh | destroy |");
  L.push("|---|---|---|---|---|---|---|");
  for (const x of r.runs) {
    const c = (p: string) =>
      `${x.phases[p].floorS} / ${x.phases[p].dcaasS} (${x.phases[p].deltaS >= 0 ? "+" : ""}${x.phases[p].deltaS})`;
    L.push(
      `| ${nLabel(x)} | ${x.parallel} | ${c("preview")} | ${c("up")} | ${c("previewNoChange")} | ${c("refresh")} | ${c("destroy")} |`,
    );
  }
  L.push("", "## Targets", "");
  L.push(
    "| N pairs | parallel | up − floor ≤ " +
      r.targets.upOverFloorS +
      " s (slow: 113.5 s) | requests per interface ≤ 8 (max, mean) | requests per peer ≤ 8 (max, mean) | preview ≤ 1.3 × floor | preview API requests ≤ " +
      r.targets.previewRequests +
      " | state ≤ 6 KB per resource |",
  );
  L.push("|---|---|---|---|---|---|---|---|");
  for (const x of r.runs) {
    const t = x.targets;
    L.push(
      `| ${nLabel(x)} | ${x.parallel} | ${t.upMinusFloor.value} s ${ok(t.upMinusFloor.pass)} | ` +
        `${t.requestsPerInterface.value} (${t.requestsPerInterface.mean}) ${ok(t.requestsPerInterface.pass)} | ` +
        `${t.requestsPerPeer.value} (${t.requestsPerPeer.mean}) ${ok(t.requestsPerPeer.pass)} | ` +
        `${t.previewRatio.value} × ${ok(t.previewRatio.pass)} | ` +
        `${t.previewRequests.value} ${ok(t.previewRequests.pass)} | ` +
        `${t.stateBytesPerResource.value} B ${ok(t.stateBytesPerResource.pass)} |`,
    );
  }
  L.push("", "## API requests (emulator request log)", "");
  L.push(
    "| N pairs | parallel | up: total | up: per interface (POST + waits) mean / max | up: per peer mean / max | up: all / resource | refresh per resource | destroy per interface / per peer | preview requests |",
  );
  L.push("|---|---|---|---|---|---|---|---|---|");
  for (const x of r.runs) {
    const u = x.requests.up;
    L.push(
      `| ${nLabel(x)} | ${x.parallel} | ${x.phases.up.apiRequests} | ${u.perInterface.mean} / ${u.perInterface.max} | ` +
        `${u.perPeer.mean} / ${u.perPeer.max} | ${u.allPerResource} | ${x.requests.refreshPerResource} | ` +
        `${x.requests.destroy.perInterface} / ${x.requests.destroy.perPeer} | ${x.phases.preview.apiRequests} + ${x.phases.previewNoChange.apiRequests} |`,
    );
  }
  L.push("", "## Waits: polling overshoot and concurrency during up", "");
  L.push(
    "| N pairs | parallel | interface overshoot after ACTIVE, ms mean / max | peer overshoot, ms mean / max | peak concurrent operations seen by the API | up start → first request, s | first → last request, s | last request → up end, s |",
  );
  L.push("|---|---|---|---|---|---|---|---|");
  for (const x of r.runs) {
    const u = x.requests.up;
    L.push(
      `| ${nLabel(x)} | ${x.parallel} | ${u.interfaceOvershootMs.mean} / ${u.interfaceOvershootMs.max} | ` +
        `${u.peerOvershootMs ? `${u.peerOvershootMs.mean} / ${u.peerOvershootMs.max}` : "-"} | ${u.peakConcurrentOperations} | ` +
        `${x.upTimeline.firstRequestAfterS} | ${x.upTimeline.apiSpanS} | ${x.upTimeline.lastRequestBeforeEndS} |`,
    );
  }
  L.push("", "## Where up spends its time (engine events as received by the Automation API)", "");
  L.push(
    "| N pairs | parallel | first step began after, s: floor / dcaas | step span, s: floor / dcaas | last step → end, s: floor / dcaas | mean step, s: floor (vif, peer) / dcaas (HostedVif, VifPeer) |",
  );
  L.push("|---|---|---|---|---|---|");
  for (const x of r.runs) {
    const f = x.upSteps.floor;
    const d = x.upSteps.dcaas;
    const ms = (o: Record<string, number>) => Object.values(o).join(", ");
    L.push(
      `| ${nLabel(x)} | ${x.parallel} | ${f.firstStepAfterS} / ${d.firstStepAfterS} | ${f.stepSpanS} / ${d.stepSpanS} | ` +
        `${f.lastStepBeforeEndS} / ${d.lastStepBeforeEndS} | ${ms(f.meanStepS)} / ${ms(d.meanStepS)} |`,
    );
  }
  L.push("", "## State (file:// checkpoint after up)", "");
  L.push(
    "| N pairs | parallel | checkpoint bytes | resources in it | bytes / dcaas resource (2N) | bytes / all resources | HostedVif avg bytes (of which __provider) | VifPeer avg bytes (__provider) | floor: bytes / resource |",
  );
  L.push("|---|---|---|---|---|---|---|---|---|");
  for (const x of r.runs) {
    const s = x.state.dcaas;
    const hv = s.byType["pulumi-nodejs:dynamic/dcaas:HostedVif"];
    const vp = s.byType["pulumi-nodejs:dynamic/dcaas:VifPeer"];
    L.push(
      `| ${nLabel(x)} | ${x.parallel} | ${s.checkpointBytes} | ${s.resourcesInCheckpoint} | ${s.bytesPerDynamicResource} | ${s.bytesPerResource} | ` +
        `${hv?.avgBytes} (${hv?.avgProviderBytes}) | ${vp?.avgBytes} (${vp?.avgProviderBytes}) | ${x.state.floor.bytesPerDynamicResource} |`,
    );
  }
  L.push("", "## Provider process (node dynamic-provider host) during up", "");
  L.push(
    "| N pairs | parallel | provider processes | peak VmHWM MB | CPU s | floor: peak VmHWM MB | floor: CPU s |",
  );
  L.push("|---|---|---|---|---|---|---|");
  for (const x of r.runs) {
    const p = x.phases.up.provider;
    const f = x.phases.up.floorProvider;
    L.push(
      `| ${nLabel(x)} | ${x.parallel} | ${p.processes} | ${p.peakVmHWMMb} | ${p.cpuSeconds} | ${f.peakVmHWMMb} | ${f.cpuSeconds} |`,
    );
  }
  L.push("");
  return `${L.join("\n")}\n`;
}

/** The --fleet report (issue 22): the figures of the issue per N, then the usual tables. */
function fleetMarkdown(r: any): string {
  const ok = (p: boolean) => (p ? "**met**" : "**not met**");
  const L: string[] = [];
  L.push("# Engine benchmark: fleets allocated from a pool (issue 22)", "");
  L.push(`Command: \`${r.command}\`  `);
  if (!r.complete)
    L.push("**Partial report: the benchmark was still running or was interrupted after these runs.**  ");
  L.push(
    `Date: ${r.date} (${r.durationMinutes} min); load average ${r.loadAverage.start.join(" ")} at start, ` +
      `${r.loadAverage.end.join(" ")} at the end (2 cores shared with other work: expect noise of a second or more per command)  `,
  );
  L.push(`Program: ${r.setup.program}.  `);
  L.push(
    `Floor: ${r.setup.floor} (the same allocation inputs, nothing allocated). Emulator delays ` +
      `${JSON.stringify(r.setup.emulator.delaysMs)} ms, dcaas:pollInterval ${JSON.stringify(r.setup.provider["dcaas:pollInterval"])}, ` +
      `live checks on (default). Preview: a new stack, median of ${r.previewRepeat} previews each of floor and dcaas ` +
      "(alternately); the other phases once. Targets are printed, never asserted.",
    "",
  );
  L.push(
    `| N links | parallel | preview s: floor / dcaas (each) | preview ÷ floor ≤ ${r.targets.previewRatio} | up s: floor / dcaas | ` +
      "up − floor ≤ 1.25 × (interface + peer delay) + 1 s | API requests of a preview (each) | " +
      `state bytes / resource ≤ ${r.targets.stateBytesPerResource} | provider peak VmHWM MB: preview / up (floor) | provider CPU s: preview / up |`,
  );
  L.push("|---|---|---|---|---|---|---|---|---|---|");
  for (const x of r.runs) {
    const p = x.phases.preview;
    const u = x.phases.up;
    const each = (xs?: { seconds: number }[]) => (xs ? ` (${xs.map((e) => e.seconds).join(", ")})` : "");
    const t = x.targets;
    L.push(
      `| ${x.pairs} | ${x.parallel} | ${p.floorS}${each(p.repeats?.floor)} / ${p.dcaasS}${each(p.repeats?.dcaas)} | ` +
        `${p.ratio} ${ok(t.previewRatio.pass)} | ${u.floorS} / ${u.dcaasS} | ` +
        `${t.upMinusFloor.value} s vs ${t.upMinusFloor.limit} s ${ok(t.upMinusFloor.pass)} | ` +
        `${p.repeats ? p.repeats.dcaas.map((e: any) => e.requests).join(", ") : p.apiRequests} ` +
        `(≤ ${t.previewRequests.limit} ${ok(t.previewRequests.pass)}) | ` +
        `${t.stateBytesPerResource.value} ${ok(t.stateBytesPerResource.pass)} | ` +
        `${p.provider.peakVmHWMMb} / ${u.provider.peakVmHWMMb} (${p.floorProvider.peakVmHWMMb} / ${u.floorProvider.peakVmHWMMb}) | ` +
        `${p.provider.cpuSeconds} / ${u.provider.cpuSeconds} |`,
    );
  }
  const counts = r.runs.map((x: any) => `N = ${x.pairs}: ${x.phases.preview.apiRequests}`);
  const distinct = new Set(r.runs.map((x: any) => x.phases.preview.apiRequests)).size;
  L.push("");
  L.push(
    `API requests of a preview independent of N: ${r.runs.length > 1 ? ok(distinct === 1) : "(one N only)"} ` +
      `(most of any repeat, ${counts.join("; ")}). By route:`,
    "",
  );
  for (const x of r.runs)
    L.push(
      `- N = ${x.pairs}: ` +
        x.phases.preview.apiRequestsByRoute
          .map((c: any) => `${c.method} ${c.route} × ${c.count}`)
          .join("; ") +
        `; preview with no change: ${x.phases.previewNoChange.apiRequests} requests (` +
        x.phases.previewNoChange.apiRequestsByRoute
          .map((c: any) => `${c.method} ${c.route} × ${c.count}`)
          .join("; ") +
        ")",
    );
  const ip = r.inProgress;
  if (ip) {
    L.push(
      "",
      `## N = ${ip.pairs} (parallel ${ip.parallel}): interrupted before its end, the phases it measured`,
      "",
    );
    L.push(
      "| phase | floor or dcaas | s | API requests | provider peak VmHWM MB | provider CPU s | changes |",
    );
    L.push("|---|---|---|---|---|---|---|");
    for (const p of ip.phases)
      L.push(
        `| ${p.phase} | ${p.mode === "noop" ? "floor" : "dcaas"} | ${p.seconds} | ${p.apiRequests} | ` +
          `${p.providerPeakVmHWMMb} | ${p.providerCpuSeconds} | ${JSON.stringify(p.summary)} |`,
      );
    const of = (phase: string, mode: string) =>
      ip.phases.find((p: any) => p.phase === phase && p.mode === mode);
    const [pf, pd, uf, ud] = [
      of("preview", "noop"),
      of("preview", "real"),
      of("up", "noop"),
      of("up", "real"),
    ];
    L.push("");
    if (pf && pd)
      L.push(
        `Preview ÷ floor (first preview): ${round(pd.seconds / pf.seconds)} ` +
          `${ok(pd.seconds / pf.seconds <= r.targets.previewRatio)}; API requests of the preview: ${pd.apiRequests} ` +
          `(≤ ${r.targets.previewRequests} ${ok(pd.apiRequests <= r.targets.previewRequests)})  `,
      );
    if (uf && ud) L.push(`Up − floor: ${round(ud.seconds - uf.seconds)} s  `);
  }
  L.push("", "# Details", "");
  // The usual tables of the engine benchmark for the same runs (without their title).
  L.push(...markdown(r).split("\n").slice(2));
  return `${L.join("\n").trimEnd()}\n`;
}

// ---- preview only (issue 12) -------------------------------------------------------------------

/** Preview of a new stack, floor and dcaas (live checks on), N = SIZES, median of REPEAT runs each. */
async function previewOnly(ctx: {
  project: string;
  emu: Awaited<ReturnType<typeof startEmulator>>;
  admin: EmulatorAdmin;
  envVars: Record<string, string>;
  cmd: Awaited<ReturnType<typeof pulumiCommand>>;
  versions: Record<string, string>;
  machine: Record<string, unknown>;
  startedAt: Date;
  loadStart: number[];
  t0: number;
}) {
  const { emu, admin, cmd, envVars, project } = ctx;
  const fx = emu.fixtures;
  const runs: any[] = [];
  for (const n of SIZES) {
    const stacks: Record<Mode, Stack> = {} as any;
    for (const mode of ["noop", "real"] as Mode[]) {
      const s = await LocalWorkspace.createStack(
        { stackName: uniqueStackName(`bench-preview-${mode}-${n}`), workDir: project },
        { pulumiCommand: cmd, envVars },
      );
      await s.setAllConfig({
        "dcaas:endpoint": { value: emu.url },
        "dcaas:projectId": { value: fx.projectId },
        "dcaas:accessKey": { value: fx.accessKey, secret: true },
        "dcaas:secretKey": { value: fx.secretKey, secret: true },
        "bench:mode": { value: mode },
        "bench:pairs": { value: String(n) },
        "bench:connectionId": { value: fx.hostedConnections.active1 },
        "bench:gatewayId": { value: fx.gatewayId },
      });
      stacks[mode] = s;
    }
    const times: Record<Mode, number[]> = { noop: [], real: [] };
    const requests: number[] = [];
    let byRoute: Counts = [];
    try {
      for (let i = 0; i < REPEAT; i++) {
        for (const mode of ["noop", "real"] as Mode[]) {
          await admin.clearRequests();
          const start = performance.now();
          const preview = await stacks[mode].preview();
          times[mode].push((performance.now() - start) / 1000);
          if (preview.changeSummary.create !== 2 * n + 1) {
            throw new Error(`${mode} preview of N=${n}: ${JSON.stringify(preview.changeSummary)}`);
          }
          if (mode === "real") {
            const { total, counts } = await admin.requests();
            requests.push(total);
            byRoute = counts;
          }
        }
      }
    } finally {
      for (const s of Object.values(stacks)) await s.workspace.removeStack(s.name, { force: true });
    }
    const floorS = round(median(times.noop));
    const dcaasS = round(median(times.real));
    const ratio = round(dcaasS / floorS);
    const maxRequests = Math.max(...requests);
    const run = {
      pairs: n,
      resources: 2 * n,
      repeat: REPEAT,
      floorS: { median: floorS, all: times.noop.map((x) => round(x)) },
      dcaasS: { median: dcaasS, all: times.real.map((x) => round(x)) },
      ratio: { value: ratio, limit: TARGET.previewRatio, pass: ratio <= TARGET.previewRatio },
      apiRequests: {
        value: maxRequests,
        all: requests,
        limit: TARGET.previewRequests,
        pass: maxRequests <= TARGET.previewRequests,
        byRoute,
      },
    };
    console.log(
      `preview N=${String(n).padStart(3)}: floor ${floorS} s, dcaas ${dcaasS} s, ratio ${ratio} ` +
        `(limit ${TARGET.previewRatio}), API requests ${requests.join("/")} ` +
        `(limit ${TARGET.previewRequests}) ${JSON.stringify(byRoute)}`,
    );
    runs.push(run);
  }
  const report = {
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`,
    date: ctx.startedAt.toISOString(),
    durationMinutes: round((performance.now() - ctx.t0) / 60000, 1),
    loadAverage: { start: ctx.loadStart.map((x) => round(x)), end: os.loadavg().map((x) => round(x)) },
    versions: ctx.versions,
    machine: ctx.machine,
    program:
      "N × (HostedVif on one hosted connection and one gateway) + N × (VifPeer IPv6 on it, vifId unknown at preview)",
    floor: "the same program with a no-op dynamic resource",
    liveChecks: "enforce (default)",
    runs,
  };
  const ok = (p: boolean) => (p ? "**pass**" : "**FAIL**");
  const L = [
    "# Preview with live checks on (issue 12)",
    "",
    `Command: \`${report.command}\`  `,
    `Date: ${report.date} (${report.durationMinutes} min); load average ${report.loadAverage.start.join(" ")} at start, ` +
      `${report.loadAverage.end.join(" ")} at the end (2 cores shared with other work)  `,
    `Program: ${report.program}. Floor: ${report.floor}. Median of ${REPEAT} previews of a new stack each.`,
    "",
    `| N pairs | floor s (all) | dcaas s (all) | ratio ≤ ${TARGET.previewRatio} | API requests ≤ ${TARGET.previewRequests} (each run) | by route |`,
    "|---|---|---|---|---|---|",
    ...runs.map(
      (x) =>
        `| ${x.pairs} | ${x.floorS.median} (${x.floorS.all.join(", ")}) | ${x.dcaasS.median} (${x.dcaasS.all.join(", ")}) | ` +
        `${x.ratio.value} ${ok(x.ratio.pass)} | ${x.apiRequests.all.join(", ")} ${ok(x.apiRequests.pass)} | ` +
        `${x.apiRequests.byRoute.map((c: any) => `${c.method} ${c.route} × ${c.count}`).join("; ")} |`,
    ),
    "",
  ];
  const md = `${L.join("\n")}\n`;
  console.log(`\n${md}`);
  if (WRITE_REPORT) {
    fs.writeFileSync(
      path.join(ROOT, "bench", "engine-preview-report.json"),
      `${JSON.stringify(report, null, 2)}\n`,
    );
    fs.writeFileSync(path.join(ROOT, "bench", "engine-preview-report.md"), md);
    console.log("wrote bench/engine-preview-report.md and bench/engine-preview-report.json");
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
