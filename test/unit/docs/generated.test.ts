// The generated parts of docs/ match their sources (provider/index.ts and the field tables,
// provider/config.ts, the CLIs' usage texts, the emulator's /openapi.json): a change to a source
// without `scripts/gen-docs.ts` run fails here, naming the page.
import assert from "node:assert/strict";
import { fill, generatedPages } from "../../../scripts/gen-docs";

describe("docs: generated pages", function () {
  this.timeout(120_000);

  it("every generated page is up to date (run scripts/gen-docs.ts after changing a source)", async () => {
    const pages = await generatedPages();
    assert.ok(pages.length >= 7, pages.map((p) => p.page).join(", "));
    const stale = pages.filter((p) => p.current !== p.expected).map((p) => p.page);
    assert.deepEqual(
      stale,
      [],
      "stale: run `bash scripts/with-toolchain.sh node -r ts-node/register/transpile-only scripts/gen-docs.ts`",
    );
  });

  it("the resource pages hold every argument and output, each with its doc comment", async () => {
    const byPage = new Map((await generatedPages()).map((p) => [p.page, p.expected]));
    const vif = byPage.get("docs/resources/hosted-vif.md")!;
    for (const row of [
      "| `deviceId` | `string` | API |",
      "| `bgpKey` | secret `string` | optional | replaces | `bgp_md5` |",
    ]) {
      assert.ok(vif.includes(row), row);
    }
    assert.match(byPage.get("docs/emulator/admin-api.md")!, /\| `GET \/_emulator\/health` \(open\) \|/);
    assert.match(
      byPage.get("docs/installation-configuration.md")!,
      /\| `dcaas:learnWaits` \| `DCAAS_LEARN_WAITS` \|/,
    );
  });

  it("a region is replaced between its markers only, and a missing region is an error", () => {
    const page = "intro\n<!-- generated:t -->\nold\n<!-- /generated:t -->\noutro\n";
    assert.equal(
      fill("p.md", page, { t: "new" }),
      "intro\n<!-- generated:t -->\nnew\n<!-- /generated:t -->\noutro\n",
    );
    assert.throws(() => fill("p.md", "no markers", { t: "new" }), /p\.md: no <!-- generated:t -->/);
  });
});
