// Proves the toolchain: the bootstrapped Pulumi CLI, the Node.js language host and the dynamic
// provider plugin run preview, up and destroy of a trivial dynamic resource through the Automation API.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import * as semver from "semver";
import { pulumiCommand, tempBackend, withStack } from "../helpers/pulumi";

describe("e2e: toolchain smoke", function () {
  this.timeout(300_000);
  const workDir = path.join(__dirname, "fixtures", "smoke");

  it("the CLI is the pinned version (cached build) or a newer v3 (from PATH)", async () => {
    const cmd = await pulumiCommand();
    const version = execFileSync(cmd.command, ["version"], { encoding: "utf8" }).trim();
    const sdk: string = require("@pulumi/pulumi/package.json").version;
    const cache = process.env.DCAAS_CACHE_DIR;
    if (cache && cmd.command.startsWith(cache)) {
      assert.equal(version, `v${sdk}`);
    } else {
      assert.ok(
        semver.gte(semver.coerce(version) ?? "0.0.0", sdk),
        `${version} is older than the SDK ${sdk}`,
      );
    }
  });

  it("runs preview, up and destroy of a dynamic resource", async () => {
    const backend = tempBackend();
    try {
      await withStack(workDir, backend, async (stack) => {
        await stack.setConfig("message", { value: "hello, dcaas" });
        const preview = await stack.preview();
        assert.equal(preview.changeSummary.create, 2, JSON.stringify(preview.changeSummary));

        const up = await stack.up();
        assert.equal(up.summary.result, "succeeded");
        assert.equal(up.outputs.length.value, "hello, dcaas".length);

        await stack.preview({ expectNoChanges: true });

        const destroy = await stack.destroy();
        assert.equal(destroy.summary.result, "succeeded");
        assert.equal(destroy.summary.resourceChanges?.delete, 2);
      });
    } finally {
      backend.cleanup();
    }
  });
});
