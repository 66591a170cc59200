// The `dcaas` command line without an engine: argument handling, the report's wording and exit
// statuses, and the one-line explanations of setup errors. The engine runs are in
// test/e2e/lifecycle.test.ts.
import assert from "node:assert/strict";
import {
  type DriftReport,
  EXIT,
  exitCodeOf,
  endpointInUse,
  explainError,
  healthOf,
  main,
  renderReport,
} from "../../../cli/dcaas";

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    return { code: await fn(), out: out.join(""), err: err.join("") };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

const base: DriftReport = {
  stack: "dev",
  workDir: "/p",
  drifted: false,
  resources: [],
  unhealthy: false,
  health: [],
};

describe("dcaas CLI", () => {
  it("says 'unknown command' (and the usage) for a mistyped command, exit 2", async () => {
    const r = await capture(() => main(["drfit"]));
    assert.equal(r.code, 2);
    assert.match(r.err, /^dcaas: unknown command drfit \(did you mean drift\?\)\n/);
    assert.match(r.err, /usage: dcaas drift/);
    assert.equal((await capture(() => main([]))).code, 2);
    assert.equal((await capture(() => main(["--help"]))).code, 0);
  });

  it("--version prints the package's version, exit 0", async () => {
    const version = require("../../../package.json").version;
    for (const flag of ["--version", "-V"]) {
      const r = await capture(() => main([flag]));
      assert.equal(r.code, 0);
      assert.equal(r.out, `dcaas ${version}\n`);
    }
  });

  it("tells the user to run `pulumi up --refresh` to restore the program's values", () => {
    const text = renderReport({
      ...base,
      drifted: true,
      resources: [
        {
          urn: "u::a",
          name: "a",
          type: "t",
          op: "update" as any,
          kind: "changed",
          fields: [{ field: "name", expected: "x", live: "y" }],
        },
      ],
    });
    assert.match(text, /`pulumi up --refresh` to restore the program's/);
    assert.doesNotMatch(text, /`pulumi up` to restore/);
  });

  it("keeps operational health apart from drift, with exit 3 when only health is wrong", () => {
    const h = healthOf(
      { urn: "urn::p", type: "pulumi-nodejs:dynamic:Resource" },
      { status: "ACTIVE", bgpStatus: "DOWN" },
    );
    assert.deepEqual(h, {
      urn: "urn::p",
      name: "p",
      type: "pulumi-nodejs:dynamic:Resource",
      status: "ACTIVE",
      bgpStatus: "DOWN",
    });
    assert.equal(healthOf({ urn: "u::v", type: "t" }, { status: "ACTIVE" }), undefined);
    assert.equal(healthOf({ urn: "u::v", type: "t" }, { status: "ACTIVE", bgpStatus: "UP" }), undefined);
    assert.equal(healthOf({ urn: "u::v", type: "t" }, { status: "DOWN" })?.status, "DOWN");
    assert.equal(
      healthOf({ urn: "u::v", type: "t" }, { status: "DOWN", statusReason: "fibre cut at MMR" })?.reason,
      "fibre cut at MMR",
    );
    const sick = { ...base, unhealthy: true, health: [h!] };
    assert.equal(exitCodeOf(base), EXIT.ok);
    assert.equal(exitCodeOf(sick), EXIT.unhealthy);
    assert.equal(exitCodeOf({ ...sick, drifted: true }), EXIT.drift);
    const text = renderReport(sick);
    assert.match(text, /^No drift: /);
    assert.match(text, /Operational health: 1 interface\(s\)\/peer\(s\) not ACTIVE or with BGP not UP/);
    assert.match(text, /  p \(pulumi-nodejs:dynamic:Resource\): status ACTIVE, BGP DOWN/);
  });

  it("explains setup errors in one line with what to do", () => {
    const cases: [string, RegExp][] = [
      ["no Pulumi.yaml project file found (searching upwards from /x)", /^no Pulumi project in \/p: /],
      ["no stack named 'prod' found", /^stack prod does not exist in \/p's backend/],
      [
        'constructing secrets manager of type "passphrase": passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables',
        /^the stack's secrets need a passphrase: set PULUMI_CONFIG_PASSPHRASE/,
      ],
      [
        "error: reading hosted VIF: GET /virtual-interfaces/f1: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9\n    at foo (/a/b.ts:1:2)",
        /^the Direct Connect API is unreachable \(ECONNREFUSED 127\.0\.0\.1:9\): check dcaas:endpoint/,
      ],
    ];
    for (const [msg, re] of cases) {
      const line = explainError(new Error(msg), "/p", "prod");
      assert.match(line, re);
      assert.doesNotMatch(line, /\n/);
    }
  });

  it("an unreachable API: names the endpoint read and where it came from (the state, not dcaas:endpoint)", () => {
    // The engine's text also holds the provider's retry lines, with ")" and ";" after the address.
    const err = new Error(
      "GET /virtual-interfaces/f1 (http://127.0.0.1:9) failed (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9); retry 1 of 1 in 0.4s\n" +
        "error: reading hosted VIF: GET /virtual-interfaces/f1: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9 (after 1 retry)",
    );
    const used = "http://127.0.0.1:9";
    assert.equal(
      explainError(err, "/p", "prod", { used, from: "state" }),
      "the Direct Connect API at http://127.0.0.1:9 is unreachable (ECONNREFUSED 127.0.0.1:9): refresh and drift read the endpoint stored in the stack's state by the last `pulumi up`: start the API or emulator there, or set dcaas:endpoint and run `pulumi up` to store another",
    );
    assert.equal(
      explainError(err, "/p", "prod", { used, from: "state", configured: "http://new:1" }),
      "the Direct Connect API at http://127.0.0.1:9 is unreachable (ECONNREFUSED 127.0.0.1:9): refresh and drift read the endpoint stored in the stack's state by the last `pulumi up`, not dcaas:endpoint (now http://new:1): run `pulumi up` to store that one, or start the API or emulator at http://127.0.0.1:9",
    );
    assert.match(
      explainError(err, "/p", "prod", { used, from: "environment" }),
      /^the Direct Connect API at http:\/\/127\.0\.0\.1:9 is unreachable \(ECONNREFUSED 127\.0\.0\.1:9\): check DCAAS_ENDPOINT/,
    );
    // The endpoint travels on the error detectDrift throws.
    assert.match(
      explainError(Object.assign(err, { endpoint: { used, from: "state" } }), "/p", "prod"),
      /API at http/,
    );
  });

  it("endpointInUse: the default dynamic provider's stored dcaas:endpoint, else DCAAS_ENDPOINT; the config's when it differs", async () => {
    const provider = (inputs: Record<string, unknown>) => ({
      type: "pulumi:providers:pulumi-nodejs",
      urn: "urn:pulumi:dev::p::pulumi:providers:pulumi-nodejs::default",
      inputs,
    });
    const stackOf = (resources: unknown[], config: Record<string, string>) => ({
      exportStack: async () => ({ deployment: { resources } }),
      getAllConfig: async () =>
        Object.fromEntries(Object.entries(config).map(([k, value]) => [k, { value }])),
    });
    assert.deepEqual(
      await endpointInUse(
        stackOf([provider({ "dcaas:endpoint": "http://a:1" })], { "dcaas:endpoint": "http://a:1" }),
        {},
      ),
      { used: "http://a:1", from: "state" },
    );
    assert.deepEqual(
      await endpointInUse(
        stackOf([provider({ "dcaas:endpoint": "http://a:1" })], { "dcaas:endpoint": "http://b:1" }),
        {
          DCAAS_ENDPOINT: "http://env:1",
        },
      ),
      { used: "http://a:1", from: "state", configured: "http://b:1" },
    );
    assert.deepEqual(await endpointInUse(stackOf([provider({})], {}), { DCAAS_ENDPOINT: "http://env:1" }), {
      used: "http://env:1",
      from: "environment",
    });
    const secret = {
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      ciphertext: "v1:x",
    };
    assert.deepEqual(await endpointInUse(stackOf([provider({ "dcaas:endpoint": secret })], {}), {}), {
      used: "(secret)",
      from: "state",
    });
    const broken = {
      exportStack: async () => Promise.reject(new Error("no")),
      getAllConfig: async () => ({}),
    };
    assert.deepEqual(await endpointInUse(broken, {}), { used: undefined, from: "none" });
  });
});
