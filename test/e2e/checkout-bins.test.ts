// The README's bins as a user runs them from a checkout: `npx dcaas-emulator ...` and
// `npx dcaas drift --help`, after a second `npm run build`. npx links a checkout's own bins once,
// into its exec cache, and marks them executable then; a clean rebuild writes new files, so
// without the build's chmod the next `npx` failed with "sh: 1: dcaas: Permission denied" (127).
import * as assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EmulatorAdmin } from "../helpers/emulatorAdmin";

const repo = path.resolve(__dirname, "../..");
const readme = fs.readFileSync(path.join(repo, "README.md"), "utf8");

/** The README's command line that starts with `prefix` (inside a code block), split into words. */
function readmeCommand(prefix: string): string[] {
  const line = readme
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l.startsWith(prefix));
  assert.ok(line, `the README has a line starting with ${JSON.stringify(prefix)}`);
  return line.replace(/#.*$/, "").trim().split(/\s+/);
}

describe("e2e: the README's bins from a checkout, after a second build", function () {
  this.timeout(600_000);
  let clone: string;
  let tmp: string;
  let modulesBefore: string[];

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dcaas-bins-"));
    clone = path.join(tmp, "clone");
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], {
      cwd: repo,
      encoding: "utf8",
    })
      .split("\n")
      .filter((f) => f && fs.existsSync(path.join(repo, f)));
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
      fs.cpSync(path.join(repo, f), path.join(clone, f), { preserveTimestamps: true });
    }
    // The clone's own node_modules, never a symlink to the repo's: `npm run build` bootstraps, and
    // an `npm ci` there (package-lock.json newer than the install stamp) would empty the repo's
    // node_modules through the link, as it did in CI. Hard links where the filesystem allows
    // (fast; npm replaces files rather than writing into them), else a copy.
    const modules = path.join(repo, "node_modules");
    try {
      execFileSync("cp", ["-al", modules, path.join(clone, "node_modules")]);
    } catch {
      fs.rmSync(path.join(clone, "node_modules"), { recursive: true, force: true });
      execFileSync("cp", ["-a", modules, path.join(clone, "node_modules")]);
    }
    modulesBefore = fs.readdirSync(modules).sort();
  });

  after(() => {
    // The npx exec cache entry that links this clone (one per clone path): remove it with the clone.
    const cache = path.join(os.homedir(), ".npm/_npx");
    for (const entry of fs.existsSync(cache) ? fs.readdirSync(cache) : []) {
      const pkg = path.join(cache, entry, "package.json");
      if (fs.existsSync(pkg) && fs.readFileSync(pkg, "utf8").includes(path.basename(tmp))) {
        fs.rmSync(path.join(cache, entry), { recursive: true, force: true });
      }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  // A user's shell, not the npm process that runs this suite: inherited npm_config_local_prefix
  // and friends would point npm at the repo instead of the clone.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== "INIT_CWD"),
  );

  function npm(args: string[]): void {
    const r = spawnSync("npm", args, { cwd: clone, env, encoding: "utf8" });
    assert.equal(r.status, 0, `npm ${args.join(" ")} exits 0\n${r.stdout}\n${r.stderr}`);
  }

  function npx(words: string[]): { status: number | null; out: string } {
    assert.equal(words[0], "npx");
    const r = spawnSync("npx", words.slice(1), { cwd: clone, env, encoding: "utf8", timeout: 120_000 });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  }

  it("npm run build marks every bin of package.json executable", () => {
    npm(["run", "build"]);
    const bins: Record<string, string> = JSON.parse(
      fs.readFileSync(path.join(clone, "package.json"), "utf8"),
    ).bin;
    assert.deepEqual(Object.keys(bins).sort(), ["dcaas", "dcaas-emulator"]);
    for (const file of Object.values(bins)) {
      const mode = fs.statSync(path.join(clone, file)).mode & 0o777;
      assert.equal(mode & 0o111, 0o111, `${file} is executable (mode ${mode.toString(8)})`);
    }
  });

  it("`npx dcaas drift --help` runs before and after a clean second build", () => {
    const words = readmeCommand("npx dcaas drift");
    const help = ["npx", "dcaas", "drift", "--help"];
    assert.deepEqual(words.slice(0, 3), help.slice(0, 3));
    const first = npx(help);
    assert.equal(first.status, 0, first.out);
    fs.rmSync(path.join(clone, "dist"), { recursive: true, force: true });
    npm(["run", "build"]);
    const second = npx(help);
    assert.equal(second.status, 0, second.out);
    assert.match(second.out, /usage: dcaas drift/);
    assert.doesNotMatch(second.out, /Permission denied/);
  });

  it("the README's `npx dcaas-emulator ...` serves after the second build", async () => {
    const words = readmeCommand("npx dcaas-emulator");
    // The README's command word for word, except an ephemeral port and a temporary database, so a
    // demo emulator on 8787 or an earlier /tmp/dcaas.db cannot interfere.
    const at = (flag: string) => words.indexOf(flag) + 1;
    assert.ok(at("--port") > 0 && at("--db") > 0 && at("--admin-token") > 0, words.join(" "));
    words[at("--port")] = "0";
    words[at("--db")] = path.join(tmp, "dcaas.db");
    const child = spawn("npx", words.slice(1), {
      cwd: clone,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let out = "";
    child.stderr.on("data", (d) => (out += d));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "listening" line in 120 s:\n${out}`)), 120_000);
        child.stdout.on("data", (d) => {
          out += d;
          const m = /"msg":"listening","url":"([^"]+)"/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.on("exit", (code) => reject(new Error(`dcaas-emulator exited ${code}:\n${out}`)));
      });
      const health = await new EmulatorAdmin(url, null).request("GET", "/health");
      assert.equal(health.status, 200);
    } finally {
      // npx runs the bin in a child of its own: stop the whole process group.
      if (child.exitCode === null) process.kill(-child.pid!, "SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
    }
  });

  // Last, so a harm done by any step above shows here and not as failures of later suites.
  it("leaves the repo's own node_modules untouched", () => {
    const now = fs.readdirSync(path.join(repo, "node_modules")).sort();
    assert.deepEqual(now, modulesBefore);
    assert.ok(fs.existsSync(path.join(repo, "node_modules/@pulumi/pulumi/package.json")));
  });
});
