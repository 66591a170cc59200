// Schemathesis (from PyPI, pinned and installed by scripts/schemathesis.sh into a cached
// virtualenv) fuzzes the emulator's /openapi.json: zero 5xx and zero responses that break the
// document (checks not_a_server_error, status_code_conformance, response_schema_conformance,
// content_type_conformance). The tool's report goes to a file (one line of ours in the log, its
// tail on failure). Operations the document itself declares "not implemented" (their
// only response is 501) are excluded and listed. If schemathesis cannot be installed, this fails
// with the pip output.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FIXTURES, type RunningEmulator, startEmulator } from "../../emulator";

const SCRIPT = path.resolve(__dirname, "../../scripts/schemathesis.sh");
const MAX_EXAMPLES = "25";

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", [SCRIPT, ...args], { env: { ...process.env, ...env } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
  });
}

describe("schemathesis against the emulator's OpenAPI document", function () {
  this.timeout(420_000);
  let emu: RunningEmulator;

  before(async () => {
    emu = await startEmulator({ delays: { vifCreate: 0, vifDelete: 0, peerCreate: 0, peerDelete: 0 } });
  });
  after(async () => {
    await emu?.close();
  });

  it("documents the IAM error body of POST /v3/auth/tokens (regression: schemathesis found ErrorBody documented)", async () => {
    const doc = (await (await fetch(`${emu.url}/openapi.json`)).json()) as any;
    const res = await fetch(`${emu.url}/v3/auth/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as any;
    const schema = doc.paths["/v3/auth/tokens"].post.responses["400"].content["application/json"].schema;
    assert.deepEqual(schema.required, ["error"]);
    assert.equal(typeof body.error?.code, "number");
    assert.equal(typeof body.error?.message, "string");
  });

  it("finds zero 5xx and zero responses that break the document", async () => {
    const doc = (await (await fetch(`${emu.url}/openapi.json`)).json()) as any;
    const excluded: string[] = [];
    for (const [p, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        if (Object.keys(op.responses ?? {}).join() === "501") excluded.push(`${method.toUpperCase()} ${p}`);
      }
    }
    console.log(`      schemathesis: excluded as documented "not implemented" (501): ${excluded.join(", ")}`);
    const { code, out } = await run(
      // The admin API (tag emulator-admin) is the emulator's own: not fuzzed (it resets, injects faults).
      [
        emu.url,
        "--seed",
        "4242",
        "--exclude-tag",
        "emulator-admin",
        ...excluded.flatMap((n) => ["--exclude-name", n]),
      ],
      { SCHEMATHESIS_MAX_EXAMPLES: MAX_EXAMPLES, SCHEMATHESIS_PROJECT_ID: FIXTURES.projectId },
    );
    // The tool's own report ends in a pytest-style banner that CI would read as a test runner
    // closing: it goes to a file, the log gets one line of ours, and the tail only on failure.
    const logFile = path.join(os.tmpdir(), `dcaas-schemathesis-${process.pid}.log`);
    writeFileSync(logFile, out);
    const tail = `${out.split("\n").slice(-60).join("\n")}\n(full output: ${logFile})`;
    const tested = /Tested: +(\d+)/.exec(out)?.[1] ?? "?";
    const cases = /^ *(\d+) generated/m.exec(out)?.[1] ?? "?";
    const warnings = [...out.matchAll(/^ *⚠️ +(.+)$/gm)].map((m) => m[1].trim());
    console.log(
      `      schemathesis: exit ${code}, ${tested} operations, ${cases} generated cases, ` +
        `${warnings.length ? `warnings: ${warnings.join("; ")}` : "no warnings"} (output: ${logFile})`,
    );
    assert.match(
      out,
      /Schemathesis v4\.32\.5/,
      `schemathesis did not run (pip install or start failed):\n${tail}`,
    );
    assert.match(out, /Tested: +\d+/, tail);
    assert.equal(code, 0, `schemathesis reported failures:\n${tail}`);
  });
});
