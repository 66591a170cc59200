// ARCHITECTURE.md's layout matches the tree, and the README stays a front door that keeps the
// command lines other tests run (test/e2e/checkout-bins.test.ts runs its `npx` lines).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { codeBlocks, read, repo } from "./markdown";

/** The directories the layout block of ARCHITECTURE.md names (`api/`, `provider/providers/`, ...). */
function listedDirectories(): string[] {
  const md = read("ARCHITECTURE.md");
  const at = md.indexOf("## Layout");
  assert.ok(at >= 0, "ARCHITECTURE.md has a Layout section");
  const block = codeBlocks(md.slice(at))[0];
  return block.text
    .split("\n")
    .map((l) => /^(\.?[\w-]+(?:\/[\w.-]+)*\/)\s/.exec(l)?.[1])
    .filter((d): d is string => d !== undefined);
}

describe("docs: layout", () => {
  it("every directory ARCHITECTURE.md lists exists", () => {
    const listed = listedDirectories();
    assert.ok(listed.length >= 8, listed.join(" "));
    const missing = listed.filter(
      (d) => !fs.statSync(path.join(repo, d), { throwIfNoEntry: false })?.isDirectory(),
    );
    assert.deepEqual(missing, []);
  });

  it("every top-level directory of the repository is listed", () => {
    const tracked = execFileSync("git", ["ls-files"], { cwd: repo, encoding: "utf8" })
      .split("\n")
      .filter((f) => f.includes("/"))
      .map((f) => `${f.split("/")[0]}/`);
    const listed = new Set(listedDirectories());
    assert.deepEqual([...new Set(tracked)].filter((d) => !listed.has(d)).sort(), []);
  });

  it("the README is a front door of at most 150 lines", () => {
    const lines = read("README.md").split("\n").length;
    assert.ok(lines <= 150, `README.md has ${lines} lines`);
  });

  it("the README keeps, in code blocks, the command lines test/e2e/checkout-bins.test.ts runs", () => {
    const commands = codeBlocks(read("README.md")).flatMap((b) => b.text.split("\n").map((l) => l.trim()));
    for (const prefix of ["npx dcaas-emulator --port ", "npx dcaas drift", "npm run demo", "npm test"]) {
      assert.ok(
        commands.some((l) => l.startsWith(prefix)),
        `a README code block line starts with ${prefix}`,
      );
    }
    const emulator = commands.find((l) => l.startsWith("npx dcaas-emulator"))!;
    for (const flag of ["--port", "--db", "--admin-token"]) assert.ok(emulator.includes(flag), flag);
  });
});
