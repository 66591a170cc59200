// The ownership mark as data: the tag a create body carries, parsing it back, and the sentence an
// error uses to name the owning stack.
import assert from "node:assert/strict";
import {
  describeMark,
  markOf,
  OWNER_TAG_KEY,
  ownerTags,
  ownerTagValue,
  parseOwner,
  stackOf,
} from "../../../provider/ownership";
import { hostedVifToWire } from "../../../provider/hostedVif";
import { validateHostedVifBody } from "../../../provider/wire";
import { VIF_ARGS } from "./check.test";

describe("ownership mark", () => {
  it("is one tag, project/stack/resource name, in the create body, valid for the API's tag rules", () => {
    assert.deepEqual(ownerTags("dcaas-e2e/prod/branch-1"), [
      { key: OWNER_TAG_KEY, value: "dcaas-e2e/prod/branch-1" },
    ]);
    const body = hostedVifToWire({ ...VIF_ARGS, __owner: "dcaas-e2e/prod/branch-1" });
    assert.deepEqual(body.tags, [{ key: "pulumi-dcaas:owner", value: "dcaas-e2e/prod/branch-1" }]);
    assert.deepEqual(validateHostedVifBody(body, "jd-hosted"), { ok: true });
    assert.equal(hostedVifToWire(VIF_ARGS).tags, undefined, "no mark, no tag");
  });

  it("keeps slashes of the resource name; hashes names that do not fit a tag value", () => {
    assert.deepEqual(parseOwner("p/s/a/b"), { project: "p", stack: "s", resource: "a/b" });
    const long = ownerTagValue(`p/s/${"x".repeat(300)}`)!;
    assert.match(long, /^p\/s\/sha256-[0-9a-f]{64}$/);
    assert.match(ownerTagValue("p/s/odd<name>")!, /^p\/s\/sha256-/);
    assert.notEqual(ownerTagValue("p/s/odd<name>"), ownerTagValue("p/s/odd<name2>"));
    for (const bad of [undefined, "", "p", "p/s", "p//n", "/s/n", "p/s/"]) {
      assert.equal(parseOwner(bad), undefined, String(bad));
      assert.equal(ownerTags(bad), undefined);
    }
  });

  it("reads the mark and the owning stack of a live object", () => {
    const tags = [
      { key: "env", value: "prod" },
      { key: OWNER_TAG_KEY, value: "proj/prod/branch-1" },
    ];
    assert.equal(markOf(tags), "proj/prod/branch-1");
    assert.equal(markOf(null), undefined);
    assert.equal(stackOf(markOf(tags)), "proj/prod");
    assert.equal(describeMark(markOf(tags)), "it is marked as owned by stack proj/prod (resource branch-1)");
    assert.match(describeMark(undefined), /no pulumi-dcaas owner mark/);
  });
});
