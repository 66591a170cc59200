// Benchmark of the emulator: show and list of hosted virtual interfaces with 10,000 interfaces
// loaded, driven by autocannon from this process against the emulator CLI in a second process,
// on loopback. Writes bench/emulator-report.md and bench/emulator-report.json.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem, type as osType, release } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { Backend } from "../emulator/backend";
import { FIXTURES, defaultFixtureSet } from "../emulator/fixtures";
import { Store } from "../emulator/store";

const ROOT = join(__dirname, "..");
const INTERFACES = Number(process.env.BENCH_INTERFACES ?? 10000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);

/** Fills a database with INTERFACES ACTIVE interfaces through the backend (its rules included). */
function populate(dbPath: string): string[] {
  const set = defaultFixtureSet();
  const a = set.projects[0];
  // 3,999 VLANs per hosted connection: add connections until there is room for every interface.
  for (let i = 0; a.connections.length * 3999 < INTERFACES + 3999; i++) {
    a.connections.push({
      id: `6f1c2d3e-00ff-4a5b-8c9d-${String(i).padStart(12, "0")}`,
      name: `bench-${i}`,
      type: "hosted",
      bandwidth: 1000,
      status: "ACTIVE",
    });
  }
  const store = new Store(dbPath);
  const backend = new Backend(store, {
    delays: { vifCreate: 0, vifDelete: 0, peerCreate: 0, peerDelete: 0 },
  });
  backend.loadFixtures(set);
  const active = a.connections.filter((c) => c.status === "ACTIVE");
  const ids: string[] = [];
  store.tx(() => {
    for (let n = 0; n < INTERFACES; n++) {
      const conn = active[Math.floor(n / 3999)];
      const base = n * 4;
      const ip = (k: number) => `10.${(base >> 16) & 255}.${(base >> 8) & 255}.${(base & 255) + k}/30`;
      const v = backend.createVif(a.projectId, {
        name: `bench-${n}`,
        direct_connect_id: conn.id,
        vgw_id: FIXTURES.gatewayId,
        vlan: (n % 3999) + 1,
        route_mode: "static",
        remote_gateway_v4_ip: ip(2),
        local_gateway_v4_ip: ip(1),
        remote_ep_group: ["192.168.0.0/24"],
      });
      ids.push(v.id);
    }
  });
  backend.settle();
  store.close();
  return ids;
}

function startCli(dbPath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "emulator/cli.ts", "--port", "0", "--db", dbPath],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer) => {
      out += d;
      const line = out.split("\n").find((l) => l.includes('"listening"'));
      if (line) {
        // Stop reading logs: one line per request would otherwise cost the load generator.
        child.stdout!.off("data", onData);
        child.stdout!.resume();
        resolve({ child, url: JSON.parse(line).url });
      }
    };
    child.stdout!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
  });
}

interface Figures {
  name: string;
  path: string;
  requests_per_s: number;
  latency_ms: { p50: number; p90: number; p99: number; max: number };
  requests: number;
  non2xx: number;
  errors: number;
}

async function run(name: string, url: string, paths: string[], connections = CONNECTIONS): Promise<Figures> {
  let i = 0;
  const r = await autocannon({
    url,
    connections,
    duration: DURATION,
    headers: { "X-Auth-Token": FIXTURES.token },
    requests: [
      {
        setupRequest: (req: any) => {
          req.path = paths[i++ % paths.length];
          return req;
        },
      },
    ],
  });
  return {
    name,
    path: paths.length === 1 ? paths[0] : `${paths[0]} (and ${paths.length - 1} more)`,
    requests_per_s: r.requests.average,
    latency_ms: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "dcaas-bench-"));
  const dbPath = join(dir, "bench.db");
  let child: ChildProcess | undefined;
  try {
    const t0 = Date.now();
    const ids = populate(dbPath);
    const loadSeconds = (Date.now() - t0) / 1000;
    console.log(`loaded ${ids.length} interfaces in ${loadSeconds.toFixed(1)} s`);
    const started = await startCli(dbPath);
    child = started.child;
    const base = `/v3/${FIXTURES.projectId}/dcaas/virtual-interfaces`;
    const sample = Array.from({ length: 1000 }, (_, k) => `${base}/${ids[(k * 7919) % ids.length]}`);
    // Warm-up, then the measured runs.
    await run("warm-up", started.url, sample.slice(0, 50), 8);
    const results: Figures[] = [];
    results.push(await run("show (GET one interface)", started.url, sample));
    results.push(await run("list limit=100", started.url, [`${base}?limit=100`]));
    const markers = Array.from(
      { length: 100 },
      (_, k) => `${base}?limit=100&marker=${[...ids].sort()[k * 99]}`,
    );
    results.push(await run("list limit=100, paging with marker", started.url, markers));
    results.push(await run("list limit=2000 (the default page)", started.url, [`${base}?limit=2000`], 8));
    for (const f of results) {
      console.log(
        `${f.name.padEnd(40)} ${f.requests_per_s.toFixed(0).padStart(7)} req/s  p50 ${f.latency_ms.p50} ms  p90 ${f.latency_ms.p90} ms  p99 ${f.latency_ms.p99} ms  non-2xx ${f.non2xx}  errors ${f.errors}`,
      );
    }
    const show = results[0];
    const target = { show_req_per_s: 2000, show_p99_ms: 50, connections: 32 };
    const met =
      show.requests_per_s >= target.show_req_per_s &&
      show.latency_ms.p99 < target.show_p99_ms &&
      show.non2xx === 0;
    const machine = {
      os: `${osType()} ${release()}`,
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model ?? "unknown",
      memory_gb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    };
    const versions = {
      node: process.version,
      sqlite: process.versions.sqlite ?? "unknown",
      autocannon: require("autocannon/package.json").version as string,
      emulator: require("../package.json").version as string,
    };
    const report = {
      command: "npm run bench:emulator  (node -r ts-node/register/transpile-only bench/emulator.bench.ts)",
      date: new Date().toISOString(),
      setup: {
        interfaces: ids.length,
        connections: CONNECTIONS,
        duration_s: DURATION,
        load_seconds: loadSeconds,
        topology: "emulator CLI in one process (SQLite file, WAL), autocannon in another, loopback 127.0.0.1",
      },
      versions,
      machine,
      target,
      target_met: met,
      results,
    };
    writeFileSync(join(ROOT, "bench", "emulator-report.json"), `${JSON.stringify(report, null, 2)}\n`);
    const rows = results
      .map(
        (f) =>
          `| ${f.name} | ${f.name.startsWith("list limit=2000") ? 8 : CONNECTIONS} | ${f.requests_per_s.toFixed(0)} | ${f.latency_ms.p50} | ${f.latency_ms.p90} | ${f.latency_ms.p99} | ${f.non2xx} | ${f.errors} |`,
      )
      .join("\n");
    const md = `# Emulator benchmark

Command: \`${report.command}\`  
Date: ${report.date}  
Setup: ${ids.length} hosted virtual interfaces (each with its IPv4 peer) in a SQLite file, emulator CLI in one
process, autocannon ${versions.autocannon} in another, loopback only, ${DURATION} s per run after a warm-up.  
Versions: Node ${versions.node}, SQLite ${versions.sqlite}, pulumi-dcaas ${versions.emulator}.  
Machine: ${machine.os}, ${machine.cpus} × ${machine.cpu_model}, ${machine.memory_gb} GB.

| run | connections | req/s | p50 ms | p90 ms | p99 ms | non-2xx | errors |
|---|---|---|---|---|---|---|---|
${rows}

Target: at least ${target.show_req_per_s} show requests per second with p99 under ${target.show_p99_ms} ms at
${target.connections} connections: **${met ? "met" : "NOT met"}**.
`;
    writeFileSync(join(ROOT, "bench", "emulator-report.md"), md);
    console.log(
      `target ${met ? "met" : "NOT met"}; wrote bench/emulator-report.md and bench/emulator-report.json`,
    );
  } finally {
    child?.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
