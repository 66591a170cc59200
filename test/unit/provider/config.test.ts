// Configuration resolution: stack config first, environment fallbacks, region endpoints, and
// errors that name the key and the variable.
import assert from "node:assert/strict";
import {
  parseDuration,
  resolveConfig,
  resetStackConfig,
  setStackConfig,
  DEFAULTS,
} from "../../../provider/config";

const PID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

describe("config", () => {
  afterEach(() => resetStackConfig());

  it("reads DCAAS_* variables", () => {
    const c = resolveConfig(
      { DCAAS_ENDPOINT: "http://127.0.0.1:9/", DCAAS_PROJECT_ID: PID, DCAAS_TOKEN: "t" },
      {},
    );
    assert.equal(c.endpoint, "http://127.0.0.1:9");
    assert.equal(c.projectId, PID);
    assert.deepEqual(c.auth, { kind: "token", token: "t" });
    assert.equal(c.pollIntervalMs, DEFAULTS.pollIntervalMs);
    assert.equal(c.timeouts.create, DEFAULTS.createTimeoutMs);
  });

  it("falls back to Huawei's HW_* variables and derives the endpoint from the region", () => {
    const c = resolveConfig(
      { HW_ACCESS_KEY: "AK", HW_SECRET_KEY: "SK", HW_PROJECT_ID: PID, HW_REGION_NAME: "ap-southeast-1" },
      {},
    );
    assert.equal(c.endpoint, "https://dcaas.ap-southeast-1.myhuaweicloud.com");
    assert.equal(c.region, "ap-southeast-1");
    assert.deepEqual(c.auth, { kind: "aksk", accessKey: "AK", secretKey: "SK", securityToken: undefined });
  });

  it("prefers the stack configuration (set by configure()) over the environment", () => {
    setStackConfig({
      get: (k: string) =>
        ({
          "dcaas:endpoint": "http://stack:1",
          "dcaas:projectId": PID,
          "dcaas:token": "stack-token",
          "other:x": "y",
        })[k],
    });
    const c = resolveConfig({ DCAAS_ENDPOINT: "http://env:1", DCAAS_TOKEN: "env-token" });
    assert.equal(c.endpoint, "http://stack:1");
    assert.deepEqual(c.auth, { kind: "token", token: "stack-token" });
  });

  it("accepts the raw config map too and merges configure() calls", () => {
    setStackConfig({ "dcaas:projectId": PID });
    setStackConfig({ "dcaas:pollInterval": "2s" });
    const c = resolveConfig({ DCAAS_ENDPOINT: "http://e:1", DCAAS_TOKEN: "t" });
    assert.equal(c.projectId, PID);
    assert.equal(c.pollIntervalMs, 2000);
  });

  it("names the key and the variables of missing configuration", () => {
    assert.throws(
      () => resolveConfig({ DCAAS_PROJECT_ID: PID, DCAAS_TOKEN: "t" }, {}),
      /dcaas:endpoint.*DCAAS_ENDPOINT.*dcaas:region.*DCAAS_REGION or HW_REGION_NAME/,
    );
    assert.throws(
      () => resolveConfig({ DCAAS_ENDPOINT: "http://e:1", DCAAS_TOKEN: "t" }, {}),
      /project id.*"dcaas:projectId".*DCAAS_PROJECT_ID or HW_PROJECT_ID/,
    );
    assert.throws(
      () => resolveConfig({ DCAAS_ENDPOINT: "http://e:1", DCAAS_PROJECT_ID: PID }, {}),
      /credentials.*DCAAS_TOKEN/,
    );
    assert.throws(
      () =>
        resolveConfig({ DCAAS_ENDPOINT: "http://e:1", DCAAS_PROJECT_ID: PID, DCAAS_ACCESS_KEY: "AK" }, {}),
      /secret key.*dcaas:secretKey.*DCAAS_SECRET_KEY or HW_SECRET_KEY/,
    );
    assert.throws(
      () =>
        resolveConfig(
          { DCAAS_ENDPOINT: "http://e:1", DCAAS_PROJECT_ID: PID, DCAAS_USERNAME: "u", DCAAS_PASSWORD: "p" },
          {},
        ),
      /domain.*dcaas:domainName.*DCAAS_DOMAIN_NAME/,
    );
  });

  it("validates the project id, endpoint, durations and maxRetries", () => {
    const base = { DCAAS_ENDPOINT: "http://e:1", DCAAS_PROJECT_ID: PID, DCAAS_TOKEN: "t" };
    assert.throws(() => resolveConfig({ ...base, DCAAS_PROJECT_ID: "nothex" }, {}), /32 hexadecimal/);
    assert.throws(() => resolveConfig({ ...base, DCAAS_ENDPOINT: "ftp://x" }, {}), /not an http/);
    assert.throws(
      () => resolveConfig({ ...base, DCAAS_CREATE_TIMEOUT: "soon" }, {}),
      /DCAAS_CREATE_TIMEOUT.*soon/,
    );
    assert.throws(() => resolveConfig({ ...base, DCAAS_MAX_RETRIES: "-1" }, {}), /maxRetries/);
    const c = resolveConfig(
      { ...base, DCAAS_CREATE_TIMEOUT: "20m", HW_MAX_RETRIES: "2", DCAAS_POLL_INTERVAL: "500ms" },
      {},
    );
    assert.equal(c.timeouts.create, 20 * 60_000);
    assert.equal(c.maxRetries, 2);
    assert.equal(c.pollIntervalMs, 500);
    // learnWaits: on by default, off on request, anything else named with the accepted values.
    assert.equal(c.learnWaits, true);
    assert.equal(resolveConfig({ ...base, DCAAS_LEARN_WAITS: "OFF" }, {}).learnWaits, false);
    assert.throws(
      () => resolveConfig({ ...base, DCAAS_LEARN_WAITS: "maybe" }, {}),
      /invalid configuration "dcaas:learnWaits".*one of on, off \(got "maybe"\)/,
    );
  });

  it("an invalid value names its key once and where it came from; a credential's hint says --secret", () => {
    const base = { DCAAS_ENDPOINT: "http://e:1", DCAAS_PROJECT_ID: PID, DCAAS_TOKEN: "t" };
    const message = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return assert.fail("expected a ConfigError");
    };
    assert.equal(
      message(() => resolveConfig(base, { pollInterval: "banana" })),
      'invalid configuration "dcaas:pollInterval" (in the stack\'s configuration): "banana" is not a valid duration (use forms like "90s", "20m", "1h30m")',
    );
    assert.equal(
      message(() => resolveConfig({ ...base, DCAAS_LEARN_WAITS: "maybe" }, {})),
      'invalid configuration "dcaas:learnWaits" (from the environment variable DCAAS_LEARN_WAITS): must be one of on, off (got "maybe")',
    );
    assert.match(
      message(() => resolveConfig({ ...base, HW_MAX_RETRIES: "lots" }, {})),
      /^invalid configuration "dcaas:maxRetries" \(from the environment variable HW_MAX_RETRIES\): an integer from 0 to 100 \(got "lots"\)$/,
    );
    const missing = message(() => resolveConfig({ DCAAS_ENDPOINT: "http://e:1", DCAAS_PROJECT_ID: PID }, {}));
    assert.match(missing, /pulumi config set --secret dcaas:token \.\.\./);
    assert.match(
      missing,
      /pulumi config set dcaas:accessKey \.\.\..*pulumi config set --secret dcaas:secretKey/,
    );
    assert.doesNotMatch(missing, /pulumi config set dcaas:token/);
  });

  it("password auth: IAM on the configured endpoint, or on iam.{region} when only a region is set", () => {
    const user = { DCAAS_USERNAME: "u", DCAAS_PASSWORD: "p", DCAAS_DOMAIN_NAME: "d", DCAAS_PROJECT_ID: PID };
    const viaEndpoint = resolveConfig({ ...user, DCAAS_ENDPOINT: "http://emu:1" }, {});
    assert.equal(viaEndpoint.auth.kind === "password" && viaEndpoint.auth.iamEndpoint, "http://emu:1");
    const viaRegion = resolveConfig({ ...user, HW_REGION_NAME: "cn-north-4" }, {});
    assert.equal(
      viaRegion.auth.kind === "password" && viaRegion.auth.iamEndpoint,
      "https://iam.cn-north-4.myhuaweicloud.com",
    );
    const explicit = resolveConfig(
      { ...user, HW_REGION_NAME: "cn-north-4", DCAAS_IAM_ENDPOINT: "http://iam:2/" },
      {},
    );
    assert.equal(explicit.auth.kind === "password" && explicit.auth.iamEndpoint, "http://iam:2");
  });

  it("parses durations", () => {
    assert.equal(parseDuration("90s"), 90_000);
    assert.equal(parseDuration("20m"), 1_200_000);
    assert.equal(parseDuration("1h30m"), 5_400_000);
    assert.equal(parseDuration("250ms"), 250);
    assert.equal(parseDuration("45"), 45_000);
    assert.throws(() => parseDuration("5 minutes"));
    assert.throws(() => parseDuration(""));
    assert.throws(() => parseDuration("1m garbage"));
  });
});
