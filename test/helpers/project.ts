// A temporary Pulumi project that installs the packed pulumi-dcaas (`npm pack`) as a user would,
// built once per test run and removed at exit.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const repo = path.resolve(__dirname, "../..");
let cached: string | undefined;

/** Returns the directory of a Pulumi project whose node_modules holds the packed package. */
export function packedProject(): string {
  if (cached) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcaas-user-project-"));
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  // The suites build dist/ first, so packing skips prepack's second build.
  const tgzName = execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", dir], {
    cwd: repo,
    encoding: "utf8",
  })
    .trim()
    .split("\n")
    .pop()!;
  const lock = JSON.parse(fs.readFileSync(path.join(repo, "package-lock.json"), "utf8"));
  const locked = (name: string) => lock.packages[`node_modules/${name}`].version as string;
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify(
      {
        name: "dcaas-user-project",
        private: true,
        main: "index.ts",
        dependencies: {
          "pulumi-dcaas": `file:./${tgzName}`,
          // The SDK is a peer dependency: the program brings its own, here the one the CLI pairs with.
          "@pulumi/pulumi": locked("@pulumi/pulumi"),
          typescript: locked("typescript"),
          "ts-node": locked("ts-node"),
          "@types/node": locked("@types/node"),
        },
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    "name: dcaas-e2e\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
  );
  fs.copyFileSync(path.join(repo, "test/e2e/fixtures/program/index.ts"), path.join(dir, "index.ts"));
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: "ES2022",
        module: "commonjs",
        moduleResolution: "node",
        esModuleInterop: true,
      },
    }),
  );
  // Everything but the tarball is already in npm's cache from the repository's own install.
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
    stdio: ["ignore", "ignore", "inherit"],
  });
  cached = dir;
  return dir;
}
