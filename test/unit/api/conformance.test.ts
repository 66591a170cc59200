// Runs the shared conformance table against the stateless rules: every valid body is accepted
// (and matches its zod schema), every invalid body yields exactly one issue, with the expected
// code on the expected field.
import assert from "node:assert/strict";
import {
  HostedVifCreateSchema,
  HostedVifUpdateSchema,
  type Issue,
  issueField,
  type RuleResult,
  validateHostedVifCreate,
  validateHostedVifUpdate,
  validateVifPeerCreate,
  validateVifPeerUpdate,
  VifPeerCreateSchema,
  VifPeerUpdateSchema,
} from "../../../api";
import { CONFORMANCE_CASES, type ConformanceKind } from "../../helpers/conformance";

const VALIDATORS: Record<ConformanceKind, (body: unknown) => RuleResult<unknown>> = {
  hostedVifCreate: validateHostedVifCreate,
  hostedVifUpdate: validateHostedVifUpdate,
  vifPeerCreate: validateVifPeerCreate,
  vifPeerUpdate: validateVifPeerUpdate,
};

const SCHEMAS = {
  hostedVifCreate: HostedVifCreateSchema,
  hostedVifUpdate: HostedVifUpdateSchema,
  vifPeerCreate: VifPeerCreateSchema,
  vifPeerUpdate: VifPeerUpdateSchema,
};

const show = (issues: Issue[]) => issues.map((i) => `${i.code} ${i.path.join(".")}: ${i.message}`).join("\n");

describe("api conformance table", () => {
  it("has unique case names and covers every kind with valid and invalid cases", () => {
    const names = CONFORMANCE_CASES.map((c) => c.name);
    assert.equal(new Set(names).size, names.length);
    for (const kind of Object.keys(VALIDATORS) as ConformanceKind[]) {
      const cases = CONFORMANCE_CASES.filter((c) => c.kind === kind);
      assert.ok(
        cases.some((c) => "ok" in c.expect),
        `${kind} has a valid case`,
      );
      assert.ok(
        cases.some((c) => "code" in c.expect),
        `${kind} has an invalid case`,
      );
    }
  });

  for (const c of CONFORMANCE_CASES) {
    it(c.name, () => {
      const result = VALIDATORS[c.kind](c.body);
      if ("ok" in c.expect) {
        assert.ok(result.ok, result.ok ? "" : show(result.issues));
        // The normalised value is what the wire schema describes.
        const parsed = SCHEMAS[c.kind].safeParse(result.value);
        assert.ok(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues));
      } else {
        assert.ok(!result.ok, "expected the body to be refused");
        assert.equal(result.issues.length, 1, `exactly one issue expected:\n${show(result.issues)}`);
        const [issue] = result.issues;
        assert.equal(issue.code, c.expect.code, show(result.issues));
        assert.equal(issueField(issue), c.expect.field, show(result.issues));
        assert.match(issue.message, /\S/);
      }
    });
  }
});
