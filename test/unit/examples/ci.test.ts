// examples/ci as a user copies it: what its README promises about pull-request previews matches
// the workflow and the provider (the variable it sets is the one the provider reads).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIG_KEYS } from "../../../provider/config";

const dir = path.resolve(__dirname, "../../../examples/ci");
const workflow = fs.readFileSync(path.join(dir, "dcaas.yml"), "utf8");
const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8").replace(/\s+/g, " ");

/** The lines of one job of the workflow (from `  name:` to the next job). */
function job(name: string): string {
  const m = new RegExp(`^  ${name}:\\n((?:    .*\\n|\\s*\\n)*)`, "m").exec(workflow);
  assert.ok(m, `the workflow has a ${name} job`);
  return m[1];
}

describe("examples/ci", () => {
  it("the pull-request preview turns live checks off for forks, which get no secrets", () => {
    const preview = job("preview");
    const env = CONFIG_KEYS.liveChecks.env[0];
    assert.equal(env, "DCAAS_LIVE_CHECKS");
    const line = preview.split("\n").find((l) => l.trim().startsWith(`${env}:`));
    assert.ok(line, `the preview job sets ${env}:\n${preview}`);
    assert.match(line, /github\.event\.pull_request\.head\.repo\.full_name != github\.repository && 'off'/);
    assert.match(line, /\|\| 'enforce'/, "same-repository pull requests keep enforce");
    assert.doesNotMatch(job("up"), new RegExp(env), "up never turns the checks off");
  });

  it("the README says what a preview reads, not 'without calling the API'", () => {
    assert.doesNotMatch(readme, /without calling the API/);
    assert.match(readme, /liveChecks=enforce` the preview also reads the API/);
    assert.match(readme, /fork.*`DCAAS_LIVE_CHECKS=off`/);
  });
});
