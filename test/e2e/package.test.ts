// The package as a user gets it: a clean copy of the repository (tracked files, no dist/) packs a
// tarball that contains dist/ (prepack builds it); installed beside a newer 3.x @pulumi/pulumi the
// program holds one SDK copy (`npm ls`); a preview runs through the real engine with no
// ExperimentalWarning; the packed emulator reports the package's version.
import * as assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { startEmulator } from "../../emulator";
import { EmulatorAdmin } from "../helpers/emulatorAdmin";
import { pulumiCommand, tempBackend, uniqueStackName } from "../helpers/pulumi";

const repo = path.resolve(__dirname, "../..");
/** A 3.x SDK newer than the CLI's pairing (3.259.0), as a user may already have. */
const NEWER_SDK = "3.276.0";

describe("e2e: the packed package in a user's project", function () {
  this.timeout(900_000);
  let tmp: string;
  let tgz: string;
  let user: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dcaas-package-"));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("a clean clone packs a tarball holding dist/ (built by prepack)", () => {
    const clone = path.join(tmp, "clone");
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], {
      cwd: repo,
      encoding: "utf8",
    })
      .split("\n")
      .filter((f) => f && fs.existsSync(path.join(repo, f)));
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
      fs.copyFileSync(path.join(repo, f), path.join(clone, f));
    }
    assert.equal(fs.existsSync(path.join(clone, "dist")), false, "the clean copy has no dist/");
    // The clone's dev dependencies, as `npm ci` would install them (without downloading them again).
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(clone, "node_modules"));
    const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", tmp], {
      cwd: clone,
      encoding: "utf8",
    })
      .trim()
      .split("\n")
      .pop()!;
    tgz = path.join(tmp, name);
    const listing = execFileSync("tar", ["-tzf", tgz], { encoding: "utf8" }).split("\n");
    for (const f of [
      "package/dist/provider/index.js",
      "package/dist/provider/index.d.ts",
      "package/dist/emulator/cli.js",
      "package/dist/cli/dcaas.js",
    ]) {
      assert.ok(listing.includes(f), `${f} is packed (${listing.length} entries)`);
    }
    const pkg = JSON.parse(execFileSync("tar", ["-xzOf", tgz, "package/package.json"], { encoding: "utf8" }));
    assert.equal(pkg.dependencies["@pulumi/pulumi"], undefined, "the SDK is not a hard dependency");
    assert.match(pkg.peerDependencies["@pulumi/pulumi"], /^\^3\./);
  });

  it(`installs beside @pulumi/pulumi ${NEWER_SDK} with one SDK copy`, () => {
    assert.ok(tgz, "the tarball of the previous test");
    user = path.join(tmp, "user");
    fs.mkdirSync(user);
    const lock = JSON.parse(fs.readFileSync(path.join(repo, "package-lock.json"), "utf8"));
    const locked = (n: string) => lock.packages[`node_modules/${n}`].version as string;
    fs.writeFileSync(
      path.join(user, "package.json"),
      JSON.stringify({
        name: "user-program",
        private: true,
        dependencies: {
          "pulumi-dcaas": `file:${tgz}`,
          "@pulumi/pulumi": NEWER_SDK,
          typescript: locked("typescript"),
          "ts-node": locked("ts-node"),
          "@types/node": locked("@types/node"),
        },
      }),
    );
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: user,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const ls = execFileSync("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable", "--long"], {
      cwd: user,
      encoding: "utf8",
    });
    const copies = ls.split("\n").filter((l) => /node_modules\/@pulumi\/pulumi:/.test(l));
    assert.deepEqual(
      copies.map((l) => path.relative(user, l.split(":")[0])),
      ["node_modules/@pulumi/pulumi"],
      `one SDK copy:\n${ls}`,
    );
    assert.match(copies[0], new RegExp(`@pulumi/pulumi@${NEWER_SDK.replace(/\./g, "\\.")}`));
    assert.equal(fs.existsSync(path.join(user, "node_modules/pulumi-dcaas/node_modules/@pulumi")), false);
  });

  it("runs a preview of examples/static with that SDK, with no ExperimentalWarning", async () => {
    assert.ok(user, "the project of the previous test");
    for (const f of ["Pulumi.yaml", "index.ts"]) {
      fs.copyFileSync(path.join(repo, "examples/static", f), path.join(user, f));
    }
    const emu = await startEmulator({ port: 0 });
    const backend = tempBackend();
    const out: string[] = [];
    const stack = await LocalWorkspace.createStack(
      { stackName: uniqueStackName("pkg"), workDir: user },
      {
        pulumiCommand: await pulumiCommand(),
        envVars: { ...backend.envVars, PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
      },
    );
    try {
      await stack.setAllConfig({
        "dcaas:endpoint": { value: emu.url },
        "dcaas:projectId": { value: emu.fixtures.projectId },
        "dcaas:token": { value: emu.fixtures.token, secret: true },
        hostedConnectionId: { value: emu.fixtures.hostedConnections.active1 },
        borderGatewayId: { value: emu.fixtures.gatewayId },
      });
      const preview = await stack.preview({ onOutput: (s) => out.push(s) });
      assert.equal(preview.changeSummary.create, 2, JSON.stringify(preview.changeSummary));
      assert.doesNotMatch(out.join(""), /ExperimentalWarning|SQLite is an experimental/);
    } finally {
      await stack.workspace.removeStack(stack.name, { force: true });
      backend.cleanup();
      await emu.close();
    }
  });

  it("the packed emulator's /_emulator/health reports the package's version", async () => {
    assert.ok(user, "the project of the previous test");
    const version = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")).version;
    const child = spawn(process.execPath, ["node_modules/pulumi-dcaas/dist/emulator/cli.js", "--port", "0"], {
      cwd: user,
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let buf = "";
        child.stdout.on("data", (d) => {
          buf += d;
          const m = /"url":"([^"]+)"/.exec(buf);
          if (m) resolve(m[1]);
        });
        child.on("exit", (code) => reject(new Error(`emulator exited ${code}: ${buf}`)));
      });
      const health = await new EmulatorAdmin(url, null).health();
      assert.equal(health.version, version);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
