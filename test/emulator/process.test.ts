// The CLI as a child process: the listening line, structured logs without secrets, SIGTERM,
// persistence across restart and kill -9, and the VLAN race (in one process and across two
// processes sharing one database).
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createServer, type AddressInfo } from "node:net";
import { nodeProblem, parseArgs } from "../../emulator/cli";
import { EmulatorAdmin } from "../helpers/emulatorAdmin";
import { A, Client, tempDir, vifBody, withEmulator } from "./helpers";

const ROOT = join(__dirname, "..", "..");

interface Proc {
  child: ChildProcess;
  url: string;
  out: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function spawnCli(args: string[], env: Record<string, string> = {}): Promise<Proc> {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "emulator/cli.ts", ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI did not start within 60 s: ${out} ${err}`)), 60_000);
    const check = () => {
      for (const line of out.split("\n")) {
        if (!line.trim()) continue;
        const j = JSON.parse(line);
        if (j.msg === "listening") {
          clearTimeout(timer);
          resolve(j.url);
          return;
        }
      }
    };
    child.stdout!.on("data", check);
    child.on("exit", () => {
      clearTimeout(timer);
      reject(new Error(`CLI exited: ${out} ${err}`));
    });
  });
  return { child, url, out: () => out, exited };
}

/** Runs the CLI to its exit (for start-up failures): exit code, stdout, stderr. */
function runCli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "emulator/cli.ts", ...args],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (err += d));
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

async function stop(p: Proc | undefined): Promise<void> {
  if (p && p.child.exitCode === null && p.child.signalCode === null) {
    p.child.kill("SIGKILL");
    await p.exited;
  }
}

describe("emulator CLI and persistence", function () {
  this.timeout(60000);

  it("--version prints the package's version and exits 0 without starting", async () => {
    const r = await runCli(["--version"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `dcaas-emulator ${require("../../package.json").version}\n`);
  });

  it("parses flags and environment equivalents", () => {
    const o = parseArgs(["--port", "0", "--db=/tmp/x.db", "--vif-delay", "reads:2", "--peer-delay", "3s"], {
      DCAAS_EMULATOR_ADMIN_TOKEN: "t",
      DCAAS_EMULATOR_HOST: "127.0.0.1",
    });
    assert.notEqual(o, "help");
    if (o === "help" || o === "version") return;
    assert.equal(o.port, 0);
    assert.equal(o.dbPath, "/tmp/x.db");
    assert.equal(o.adminToken, "t");
    assert.deepEqual(o.delays, {
      vifCreate: { reads: 2 },
      vifDelete: { reads: 2 },
      peerCreate: 3000,
      peerDelete: 3000,
    });
    assert.equal(o.fixtures, true);
    assert.equal(
      (parseArgs([], { DCAAS_EMULATOR_PORT: "9999", DCAAS_EMULATOR_FIXTURES: "none" }) as any).port,
      9999,
    );
    assert.equal((parseArgs(["--fixtures", "none"], {}) as any).fixtures, false);
    assert.throws(() => parseArgs(["--bogus"], {}));
    assert.equal(parseArgs(["--version"], {}), "version");
    assert.equal(parseArgs(["--port", "1", "-V"], {}), "version");
    assert.throws(() => parseArgs(["--vif-delay", "soon"], {}));
    assert.throws(() => parseArgs(["--fixtures", "/nonexistent.json"], {}));
    assert.equal(parseArgs(["--help"], {}), "help");
  });

  it("a port in use: one line naming the port, exit 2, no stack trace", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const r = await runCli(["--port", String(port)]);
      assert.equal(r.code, 2, r.err);
      assert.equal(
        r.err,
        `dcaas-emulator: port ${port} is already in use on 127.0.0.1: stop what listens there, or pick another port with --port (0 = any free port)\n`,
      );
    } finally {
      blocker.close();
    }
  });

  it("--db in a directory that does not exist: one line naming the path, exit 2", async () => {
    const t = tempDir();
    try {
      const db = join(t.dir, "missing", "emu.db");
      const r = await runCli(["--port", "0", "--db", db]);
      assert.equal(r.code, 2, r.err);
      assert.equal(
        r.err,
        `dcaas-emulator: --db ${db}: the directory ${join(t.dir, "missing")} does not exist (create it first)\n`,
      );
    } finally {
      t.cleanup();
    }
  });

  it("names Node.js 22 as the minimum (node:sqlite) for an older Node", () => {
    assert.equal(nodeProblem(process.versions.node), undefined);
    assert.match(
      nodeProblem("20.19.0")!,
      /^needs Node\.js 22 or newer \(it stores its data with the built-in node:sqlite\); this is Node\.js v20\.19\.0/,
    );
  });

  it("reports the package's version in /_emulator/health", () =>
    withEmulator({}, async (emu) => {
      const health = await new EmulatorAdmin(emu.url, null).health();
      assert.equal(health.version, require("../../package.json").version);
      assert.notEqual(health.version, "0.0.0");
    }));

  it("logs JSON lines without secrets and closes cleanly on SIGTERM", async () => {
    const t = tempDir();
    let p: Proc | undefined;
    try {
      p = await spawnCli([
        "--port",
        "0",
        "--db",
        join(t.dir, "a.db"),
        "--admin-token",
        "admin-secret-xyz",
        "--vif-delay",
        "0",
      ]);
      const c = new Client(p.url);
      const md5 = "very-secret-md5";
      const r = await c.req(
        "POST",
        "/virtual-interfaces",
        vifBody({ route_mode: "bgp", bgp_asn: 65001, bgp_md5: md5, remote_ep_group: undefined }),
      );
      assert.equal(r.status, 201, r.text);
      await new Client(p.url, A.projectId, null).req("POST", "/v3/auth/tokens", {
        auth: {
          identity: {
            methods: ["password"],
            password: { user: { name: A.username, password: A.password, domain: { name: A.domainName } } },
          },
          scope: { project: { id: A.projectId } },
        },
      });
      p.child.kill("SIGTERM");
      const { code } = await p.exited;
      assert.equal(code, 0);
      const out = p.out();
      const lines = out
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      assert.ok(lines.some((l) => l.msg === "request" && l.status === 201));
      assert.ok(lines.some((l) => l.msg === "shutting down" && l.signal === "SIGTERM"));
      assert.equal(lines.filter((l) => l.msg === "listening").length, 1);
      for (const secret of [A.token, A.password, A.secretKey, md5, "admin-secret-xyz"]) {
        assert.ok(!out.includes(secret), `log leaks ${secret}`);
      }
    } finally {
      await stop(p);
      t.cleanup();
    }
  });

  it("loses nothing acknowledged across kill -9", async () => {
    const t = tempDir();
    let p: Proc | undefined;
    try {
      const db = join(t.dir, "k.db");
      p = await spawnCli(["--port", "0", "--db", db, "--vif-delay", "0"]);
      let c = new Client(p.url);
      const acked: string[] = [];
      // Acknowledged creates, then a burst in flight when the process dies.
      for (let i = 0; i < 20; i++) {
        const r = await c.req("POST", "/virtual-interfaces", vifBody());
        assert.equal(r.status, 201);
        acked.push(r.body.virtual_interface.id);
      }
      const renamed = acked[0];
      assert.equal(
        (
          await c.req("PUT", `/virtual-interfaces/${renamed}`, {
            virtual_interface: { name: "renamed-before-kill" },
          })
        ).status,
        200,
      );
      const inflight = Array.from({ length: 30 }, () =>
        c.req("POST", "/virtual-interfaces", vifBody()).then(
          (r) => (r.status === 201 ? (r.body.virtual_interface.id as string) : undefined),
          () => undefined,
        ),
      );
      await new Promise((r) => setTimeout(r, 15));
      p.child.kill("SIGKILL");
      await p.exited;
      for (const id of await Promise.all(inflight)) if (id) acked.push(id);

      p = await spawnCli(["--port", "0", "--db", db]);
      c = new Client(p.url);
      const list = (await c.req("GET", "/virtual-interfaces")).body.virtual_interfaces.map((v: any) => v.id);
      for (const id of acked) assert.ok(list.includes(id), `acknowledged ${id} lost`);
      assert.equal(
        (await c.req("GET", `/virtual-interfaces/${renamed}`)).body.virtual_interface.name,
        "renamed-before-kill",
      );
      assert.equal(
        (await c.req("GET", `/virtual-interfaces/${acked[1]}`)).body.virtual_interface.vif_peers.length,
        1,
      );
    } finally {
      await stop(p);
      t.cleanup();
    }
  });

  it("VLAN race in one process: exactly one of 40 concurrent creates wins", () =>
    withEmulator({}, async (_e, c) => {
      const results = await Promise.all(
        Array.from({ length: 40 }, () => c.req("POST", "/virtual-interfaces", vifBody({ vlan: 777 }))),
      );
      assert.equal(results.filter((r) => r.status === 201).length, 1);
      assert.ok(
        results
          .filter((r) => r.status !== 201)
          .every((r) => r.status === 400 && r.body.error_code === "DC.1209"),
      );
    }));

  it("VLAN race across two processes sharing one database: exactly one wins", async () => {
    const t = tempDir();
    let p1: Proc | undefined;
    let p2: Proc | undefined;
    try {
      const db = join(t.dir, "race.db");
      p1 = await spawnCli(["--port", "0", "--db", db]);
      p2 = await spawnCli(["--port", "0", "--db", db]);
      const clients = [new Client(p1.url), new Client(p2.url)];
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          clients[i % 2].req("POST", "/virtual-interfaces", vifBody({ vlan: 888 })),
        ),
      );
      const wins = results.filter((r) => r.status === 201);
      assert.equal(wins.length, 1, results.map((r) => r.status).join(","));
      assert.ok(results.filter((r) => r.status !== 201).every((r) => r.body.error_code === "DC.1209"));
    } finally {
      await stop(p1);
      await stop(p2);
      t.cleanup();
    }
  });
});
