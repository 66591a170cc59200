// `npm run demo` as a user meets it, through the real engine: a first run, a second run (true step
// titles), a foreign emulator on its port, its .dcaas/ deleted under its running emulator, the
// emulator's database replaced under a stack, and --destroy without the pid file.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { EmulatorAdmin } from "../helpers/emulatorAdmin";
import { freePort } from "../helpers/emulatorProcess";
import { uniqueStackName } from "../helpers/pulumi";
import { depositText } from "../helpers/scan";

const repo = path.resolve(__dirname, "../..");

describe("e2e: npm run demo converges from what a previous run left", function () {
  this.timeout(1_200_000);
  let dir: string;
  let port: number;
  const stack = uniqueStackName("demo");
  const transcript: string[] = [];

  function demo(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
    return new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", "scripts/demo.ts", ...args],
        {
          cwd: repo,
          env: {
            ...process.env,
            DCAAS_DEMO_DIR: dir,
            DCAAS_DEMO_PORT: String(port),
            DCAAS_DEMO_STACK: stack,
            DCAAS_DEMO_NO_BUILD: "1",
          },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let out = "";
      let err = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (err += d));
      child.on("exit", (code) => {
        transcript.push(`$ demo ${args.join(" ")} -> ${code}\n${out}\n${err}`);
        resolve({ code, out, err });
      });
    });
  }
  const titles = (out: string) => out.split("\n").filter((l) => /^== \d+\./.test(l));
  const pid = () => Number(fs.readFileSync(path.join(dir, "emulator.pid"), "utf8"));

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcaas-demo-"));
    port = await freePort();
  });
  after(async () => {
    await demo("--destroy");
    depositText("demo", "transcript", transcript.join("\n"));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(repo, `Pulumi.${stack}.yaml`), { force: true });
  });

  it("a foreign emulator on its port: one line naming it and the command that avoids it", async () => {
    const foreign = await startEmulator({ port, adminToken: "someone-elses-token" });
    try {
      const r = await demo();
      assert.equal(r.code, 1, r.out + r.err);
      assert.equal(
        r.err.trim(),
        `demo stopped: port ${port} is taken by a dcaas-emulator that is not the demo's (its admin token differs). ` +
          `Stop it, or run the demo on another port: DCAAS_DEMO_PORT=${port + 1} npm run demo`,
      );
    } finally {
      await foreign.close();
    }
  });

  it("first run creates; a second run's titles say it brings the stack back (no 'create')", async () => {
    const first = await demo();
    assert.equal(first.code, 0, first.out + first.err);
    // It ends with the console's address and the admin token that signs in to it.
    const url = /^ {3}Console: +(http:\/\/\S+\/_emulator\/console) /m.exec(first.out)?.[1];
    const token = /^ {3}Admin token: +(\S+) /m.exec(first.out)?.[1];
    assert.ok(url && token, first.out);
    assert.equal((await fetch(url)).status, 200);
    const signIn = await new EmulatorAdmin(url.replace(/\/_emulator\/console$/, ""), token).request(
      "GET",
      "/delays",
    );
    assert.equal(signIn.status, 200, "the printed token is the emulator's admin token");
    assert.equal(fs.readFileSync(path.join(dir, "admin-token"), "utf8").trim(), token);
    assert.equal(
      fs.statSync(path.join(dir, "admin-token")).mode & 0o077,
      0,
      "admin-token is private to its owner",
    );
    assert.match(titles(first.out)[1], /pulumi up: create the interface/);
    const second = await demo();
    assert.equal(second.code, 0, second.out + second.err);
    assert.match(second.out, /the demo's emulator is already running/);
    assert.match(titles(second.out)[1], /pulumi up --refresh: bring the existing stack back to the program/);
    assert.doesNotMatch(titles(second.out).join("\n"), /create/);
    assert.match(second.out, /changes: \{[^}]*"update":1/);
  });

  it(".dcaas/ deleted while its emulator runs: restarts the emulator afresh and converges", async () => {
    const old = pid();
    fs.rmSync(dir, { recursive: true, force: true });
    const r = await demo();
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(
      r.out,
      new RegExp(`found the demo's emulator \\(pid ${old}\\) running without its .*: restarting it afresh`),
    );
    assert.match(titles(r.out)[1], /create the interface/);
    assert.notEqual(pid(), old);
  });

  it("the emulator's database replaced under the stack: refresh before up recreates, then converges", async () => {
    process.kill(pid(), "SIGTERM");
    await new Promise((r) => setTimeout(r, 1500));
    for (const f of fs.readdirSync(dir)) if (f.startsWith("emulator.db")) fs.rmSync(path.join(dir, f));
    const r = await demo();
    assert.equal(r.code, 0, r.out + r.err);
    assert.doesNotMatch(r.out + r.err, /DC\.1211/);
    assert.match(r.out, /changes: \{[^}]*"create":2/);
  });

  it("--destroy without the pid file still finds and stops the demo's emulator", async () => {
    const running = pid();
    fs.rmSync(path.join(dir, "emulator.pid"));
    const r = await demo("--destroy");
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, new RegExp(`stopped pid ${running}`));
    assert.throws(() => process.kill(running, 0), "the emulator process is gone");
  });
});
