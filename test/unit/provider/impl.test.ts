// The provider methods the serialized providers load (provider/impl.ts): configuration problems in
// check are resource-level CheckFailures, never exceptions. The dynamic provider host prints a
// thrown check error with its stack ("ConfigError: ...: ConfigError: ... at resolveProfile ...").
import * as assert from "node:assert/strict";
import * as impl from "../../../provider/impl";

describe("provider methods (impl)", () => {
  afterEach(() => impl.resetConfiguration());

  it("an invalid dcaas:profile fails check with one line naming the key and the rule", async () => {
    const stack: Record<string, string> = { "dcaas:profile": "hw", "dcaas:liveChecks": "off" };
    await impl.configure({ config: { get: (k) => stack[k] } });
    const r = await impl.hostedVif.check({}, { name: "a", vlan: 10 });
    assert.deepEqual(r.failures, [
      {
        property: "",
        reason:
          'invalid configuration "dcaas:profile" (in the stack\'s configuration): must be one of jd-hosted, huawei (got "hw")',
      },
    ]);
  });

  it("an invalid DCAAS_PROFILE fails check the same way, naming the variable", async () => {
    process.env.DCAAS_PROFILE = "HW";
    try {
      const r = await impl.hostedVif.check({}, { name: "a", vlan: 10 });
      assert.equal(r.failures.length, 1);
      assert.equal(r.failures[0].property, "");
      assert.match(r.failures[0].reason, /DCAAS_PROFILE.*must be one of jd-hosted, huawei \(got "HW"\)/);
    } finally {
      delete process.env.DCAAS_PROFILE;
    }
  });
});
