// The suite-wide secret scan, the e2e suite's final step: scripts/test-suite.sh names this file
// after the e2e files (its name is outside their glob, test/e2e/**/*.test.ts), so mocha loads it,
// and runs it, last; a root-level check below fails it if any other suite would run after it. Its
// test counts in the suite's totals like any other. Every text the e2e tests deposited through
// test/helpers/scan.ts (the backends' state files, the engine output with the provider's logs and
// progress lines, the output of `pulumi preview`, `preview --json`, `preview --diff` and `up` for
// secret keys that break a rule (trust), the emulators' structured logs and stdout) must hold no
// BGP key, password, token or secret key in plain text: neither the fixtures' credentials nor any
// secret a test registered. Run with the rest of the suite (`scripts/test-suite.sh e2e`); alone
// it fails (nothing deposited).
import * as assert from "node:assert/strict";
import { FIXTURES } from "../../../emulator";
import { deposits, registeredSecrets } from "../../helpers/scan";

const SOURCES = [
  "lifecycle-jd-hosted",
  "lifecycle-huawei",
  "chaos",
  "console",
  "crash",
  "interrupt",
  "interrupt-nocp",
  "trust",
  "live-checks",
];

describe("e2e secret scan over the suite's state, engine output and emulator logs", function () {
  before(function () {
    // Last by construction: no suite of this mocha run comes after this one.
    const suite = this.test!.parent!;
    const siblings = suite.parent!.suites;
    assert.ok(
      siblings[siblings.length - 1] === suite,
      `the secret scan must run after every other suite; after it: ${siblings
        .slice(siblings.indexOf(suite) + 1)
        .map((s) => s.title)
        .join(", ")}`,
    );
  });

  it("finds no secret anywhere", () => {
    const texts = deposits();
    const registered = registeredSecrets();
    for (const src of SOURCES) {
      const mine = texts.filter(([f]) => f.startsWith(`${src}--`));
      assert.ok(
        mine.some(([f]) => f.includes("--state")) &&
          mine.some(([f]) => f.includes("--engine-output")) &&
          mine.some(([f]) => f.includes("--emulator")),
        `${src} deposited no state, engine output or emulator log: ${mine.map(([f]) => f).join(", ")}`,
      );
      assert.ok(
        registered.some((r) => r.source === src),
        `${src} registered no secret`,
      );
    }
    // The scan must see real state: stacks whose BGP keys are stored (encrypted) under bgpKey.
    assert.ok(
      texts.some(([f, t]) => f.includes("--state") && t.includes("bgpKey") && t.includes("pair-1")),
      "no deposited state holds the fleet's resources",
    );
    const A = FIXTURES;
    const B = FIXTURES.otherProject;
    const secrets = new Set([
      ...registered.map((r) => r.secret),
      A.password,
      A.token,
      A.secretKey,
      B.password,
      B.token,
      B.secretKey,
    ]);
    let bytes = 0;
    const found: string[] = [];
    for (const [file, text] of texts) {
      bytes += text.length;
      for (const s of secrets) {
        const at = text.indexOf(s);
        if (at >= 0) found.push(`${s.slice(0, 4)}… in ${file}: …${text.slice(Math.max(0, at - 200), at)}`);
      }
    }
    console.log(
      `      secret scan: ${secrets.size} secrets over ${texts.length} deposits (${Math.round(bytes / 1024)} KiB)`,
    );
    assert.deepEqual(found, [], found.join("\n\n"));
  });
});
