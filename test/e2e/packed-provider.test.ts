// The provider objects of the packed package, as a user program serializes them into state: from
// node_modules they become one `require("pulumi-dcaas/providers/...")` line (no code, no
// credentials, no paths), and that text, loaded the way the provider host loads it, works.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { packedProject } from "../helpers/project";

const SCRIPT = `
const pulumi = require("@pulumi/pulumi");
const { hostedVifProvider, vifPeerProvider } = require("pulumi-dcaas");
(async () => {
  const out = [];
  for (const p of [hostedVifProvider, vifPeerProvider]) {
    const sf = await pulumi.runtime.serializeFunction(() => p, { allowSecrets: true });
    const loaded = require("require-from-string")(sf.text, "").handler();
    const checked = await loaded.check({}, { name: "bad name!" });
    out.push({ text: sf.text, containsSecrets: sf.containsSecrets, failures: checked.failures });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe("e2e: the packed provider's serialized form", function () {
  this.timeout(300_000);

  it("is a require of the installed package, small, and works when loaded as the provider host does", () => {
    const dir = packedProject();
    const script = path.join(dir, "serialize-providers.js");
    fs.writeFileSync(script, SCRIPT);
    const results = JSON.parse(
      execFileSync(process.execPath, [script], {
        cwd: dir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      }),
    );
    const modules = ["pulumi-dcaas/providers/hosted-vif", "pulumi-dcaas/providers/vif-peer"];
    results.forEach((r: any, i: number) => {
      assert.ok(r.text.includes(`require("${modules[i]}")`), r.text);
      assert.ok(
        Buffer.byteLength(r.text) < 1024,
        `__provider is ${Buffer.byteLength(r.text)} bytes:\n${r.text}`,
      );
      assert.ok(!r.text.includes("loadImpl"), "the code is not copied into the state");
      assert.ok(!r.text.includes(dir) && !r.text.includes("/tmp/"), "no absolute path");
      assert.equal(r.containsSecrets, false);
      // Empty inputs: the rules name the missing required properties.
      const props = r.failures.map((f: any) => f.property);
      const required = i === 0 ? ["hostedConnectionId", "vlan"] : ["vifId", "addressFamily"];
      for (const p of required)
        assert.ok(props.includes(p), `check did not name ${p}: ${JSON.stringify(r.failures)}`);
      console.log(`      ${modules[i]}: ${Buffer.byteLength(r.text)} bytes`);
    });
  });
});
