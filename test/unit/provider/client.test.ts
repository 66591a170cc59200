// The client's error classification, retry and backoff policy, auth headers and id checks,
// against a scripted fetch (no sockets).
import assert from "node:assert/strict";
import { verifyRequest } from "../../../api/signing";
import {
  AuthError,
  backoffDelay,
  clearTokenCache,
  ConflictError,
  DcaasClient,
  InvalidIdError,
  isAmbiguous,
  NetworkError,
  NotFoundError,
  parseRetryAfter,
  ResponseFormatError,
  ServerError,
  ThrottledError,
  ValidationError,
} from "../../../provider/client";
import type { ProviderConfig } from "../../../provider/config";

const PID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const VID = "6f1c2d3e-0001-4a5b-8c9d-00000000000a";

const vifObject = {
  id: VID,
  name: "v",
  description: null,
  tenant_id: PID,
  direct_connect_id: "6f1c2d3e-0001-4a5b-8c9d-000000000001",
  vgw_id: "7a2b3c4d-0001-4b5c-9d0e-000000000001",
  type: "private",
  vlan: 301,
  bandwidth: 100,
  route_mode: "bgp",
  bgp_asn: 65010,
  bgp_md5: null,
  remote_gateway_v4_ip: "10.0.0.1/30",
  local_gateway_v4_ip: "10.0.0.2/30",
  remote_ep_group: [],
  status: "ACTIVE",
  reason: null,
  device_id: null,
  create_time: "2026-01-01T00:00:00.000Z",
  update_time: "2026-01-01T00:00:00.000Z",
  enterprise_project_id: "0",
  vif_peers: [],
};

type Step = { status: number; body?: unknown; headers?: Record<string, string> } | Error;

function config(over: Partial<ProviderConfig> = {}): ProviderConfig {
  return {
    endpoint: "http://api.test",
    projectId: PID,
    profile: "jd-hosted",
    auth: { kind: "token", token: "tok" },
    pollIntervalMs: 10,
    maxRetries: 3,
    requestTimeoutMs: 1000,
    retryBaseDelayMs: 100,
    timeouts: { create: 1000, update: 1000, delete: 1000 },
    ...over,
  };
}

function scripted(steps: Step[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const sleeps: number[] = [];
  const fetchImpl = (async (url: string | URL, init: RequestInit) => {
    calls.push({ url: String(url), init });
    const s = steps.shift();
    if (!s) throw new Error("no more scripted answers");
    if (s instanceof Error) throw s;
    return new Response(s.body === undefined ? null : JSON.stringify(s.body), {
      status: s.status,
      headers: s.headers,
    });
  }) as typeof fetch;
  return {
    calls,
    sleeps,
    hooks: { fetch: fetchImpl, sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5 },
  };
}

const ok = (v = vifObject) => ({ status: 200, body: { virtual_interface: v, request_id: "r" } });
const err = (status: number, code: string, headers?: Record<string, string>) => ({
  status,
  body: { error_code: code, error_msg: `msg ${code}`, request_id: "r1" },
  headers,
});

describe("client: errors", () => {
  const cases: [number, string, new (...a: any[]) => Error][] = [
    [404, "DC.1211", NotFoundError],
    [400, "DC.1209", ConflictError],
    [400, "DC.1205", ConflictError],
    [409, "DC.0001", ConflictError],
    [400, "DC.0001", ValidationError],
    [401, "APIGW.0301", AuthError],
    [403, "APIGW.0302", AuthError],
  ];
  for (const [status, code, cls] of cases) {
    it(`${status} ${code} -> ${cls.name}, not retried, message "code: msg"`, async () => {
      const s = scripted([err(status, code)]);
      const c = new DcaasClient(config(), s.hooks);
      const e: any = await c.getVirtualInterface(VID).then(
        () => assert.fail("no error"),
        (x) => x,
      );
      assert.ok(e instanceof cls, `${e}`);
      assert.equal(e.message, `${code}: msg ${code}`);
      assert.equal((e as { code?: string }).code, code);
      assert.equal(s.calls.length, 1);
    });
  }

  it("refuses a non-UUID id before any request", async () => {
    const s = scripted([]);
    const c = new DcaasClient(config(), s.hooks);
    await assert.rejects(c.getVirtualInterface("../../etc"), InvalidIdError);
    await assert.rejects(c.deleteVifPeer("x"), InvalidIdError);
    assert.equal(s.calls.length, 0);
  });

  it("parses answers with the api/ schemas and rejects unexpected ones", async () => {
    const s = scripted([
      { status: 200, body: { virtual_interface: { ...vifObject, status: "WEIRD" }, request_id: "r" } },
    ]);
    await assert.rejects(new DcaasClient(config(), s.hooks).getVirtualInterface(VID), ResponseFormatError);
  });
});

describe("client: retries", () => {
  it("retries 429 honouring Retry-After, then succeeds", async () => {
    const s = scripted([err(429, "APIGW.0308", { "Retry-After": "3" }), ok()]);
    const v = await new DcaasClient(config(), s.hooks).getVirtualInterface(VID);
    assert.equal(v.id, VID);
    assert.equal(s.calls.length, 2);
    assert.equal(s.sleeps.length, 1);
    assert.ok(s.sleeps[0] >= 3000 && s.sleeps[0] <= 3100, `slept ${s.sleeps[0]}`);
  });

  it("retries 429 even for POST (a refused request was not applied)", async () => {
    const s = scripted([
      err(429, "APIGW.0308"),
      { status: 201, body: { virtual_interface: vifObject, request_id: "r" } },
    ]);
    await new DcaasClient(config(), s.hooks).createVirtualInterface({} as any);
    assert.equal(s.calls.length, 2);
  });

  it("retries 5xx and network errors on GET with growing backoff, up to maxRetries", async () => {
    const s = scripted([
      err(503, "DC.0003"),
      new TypeError("fetch failed"),
      err(500, "DC.0003"),
      err(502, "X"),
    ]);
    const e = await new DcaasClient(config({ maxRetries: 3 }), s.hooks)
      .getVirtualInterface(VID)
      .catch((x) => x);
    assert.ok(e instanceof ServerError);
    assert.equal(s.calls.length, 4);
    // random() = 0.5: 0.75 * base * 2^attempt
    assert.deepEqual(s.sleeps, [75, 150, 300]);
  });

  it("does not retry 5xx or network errors on POST, and marks them ambiguous", async () => {
    for (const step of [err(503, "DC.0003"), new TypeError("fetch failed")]) {
      const s = scripted([step]);
      const e = await new DcaasClient(config(), s.hooks).createVirtualInterface({} as any).catch((x) => x);
      assert.equal(s.calls.length, 1);
      assert.ok(isAmbiguous(e), `${e}`);
    }
    assert.equal(isAmbiguous(new ValidationError(400, "DC.0001", "m", "", "POST", "/")), false);
  });

  it("turns a per-request timeout into a NetworkError", async () => {
    const never = (async (_u: string, init: RequestInit) =>
      new Promise((_r, reject) =>
        init.signal!.addEventListener("abort", () => reject(init.signal!.reason)),
      )) as any;
    const c = new DcaasClient(config({ requestTimeoutMs: 30, maxRetries: 0 }), { fetch: never });
    const e = await c.getVirtualInterface(VID).catch((x) => x);
    assert.ok(e instanceof NetworkError);
    assert.equal(e.timedOut, true);
  });

  it("backoff: exponential with jitter, capped, never below Retry-After", () => {
    for (let a = 0; a < 10; a++) {
      const lo = backoffDelay(a, 100, 5000, undefined, () => 0);
      const hi = backoffDelay(a, 100, 5000, undefined, () => 0.999999);
      const exp = Math.min(5000, 100 * 2 ** a);
      assert.equal(lo, exp / 2);
      assert.ok(hi <= exp && hi >= exp - 1);
    }
    assert.ok(backoffDelay(0, 100, 5000, 2000, Math.random) >= 2000);
    assert.equal(parseRetryAfter("2"), 2000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(parseRetryAfter("soon"), undefined);
    assert.equal(parseRetryAfter(null), undefined);
  });

  it("follows list pages by next_marker until a page without one", async () => {
    const page = (ids: string[], more: boolean) => ({
      status: 200,
      body: {
        virtual_interfaces: ids.map((id) => ({ ...vifObject, id })),
        page_info: {
          previous_marker: "",
          current_count: ids.length,
          ...(more ? { next_marker: ids[ids.length - 1] } : {}),
        },
        request_id: "r",
      },
    });
    const a = "6f1c2d3e-0001-4a5b-8c9d-0000000000a1";
    const b = "6f1c2d3e-0001-4a5b-8c9d-0000000000b2";
    const s = scripted([page([a], true), page([b], false)]);
    const all = await new DcaasClient(config(), s.hooks).listVirtualInterfaces({ direct_connect_id: ["c"] });
    assert.deepEqual(
      all.map((v) => v.id),
      [a, b],
    );
    assert.match(s.calls[1].url, new RegExp(`marker=${a}`));
    assert.match(s.calls[0].url, /direct_connect_id=c/);
    assert.equal(s.calls.length, 2, "the page without next_marker is the last");
  });
});

describe("client: auth", () => {
  beforeEach(() => clearTokenCache());

  it("sends X-Auth-Token for token auth", async () => {
    const s = scripted([ok()]);
    await new DcaasClient(config(), s.hooks).getVirtualInterface(VID);
    assert.equal((s.calls[0].init.headers as Record<string, string>)["X-Auth-Token"], "tok");
  });

  it("signs with AK/SK so that the api/ verifier accepts the request", async () => {
    const s = scripted([ok()]);
    const c = new DcaasClient(
      config({ auth: { kind: "aksk", accessKey: "AK1", secretKey: "SK1" } }),
      s.hooks,
    );
    await c.updateVirtualInterface(VID, { name: "n" });
    const { url, init } = s.calls[0];
    const headers = init.headers as Record<string, string>;
    assert.match(headers.Authorization, /^SDK-HMAC-SHA256 Access=AK1, SignedHeaders=/);
    const r = verifyRequest({
      method: "PUT",
      url,
      headers,
      body: init.body as string,
      lookupSecret: (ak) => (ak === "AK1" ? "SK1" : undefined),
    });
    assert.deepEqual(r, { ok: true, accessKey: "AK1" });
    assert.equal(headers["X-Auth-Token"], undefined);
  });

  it("password auth: gets a token once, and refreshes it on APIGW.0307", async () => {
    const token = (t: string) => ({
      status: 201,
      body: { token: { expires_at: new Date(Date.now() + 86_400_000).toISOString() } },
      headers: { "X-Subject-Token": t },
    });
    const s = scripted([token("t1"), ok(), ok(), err(401, "APIGW.0307"), token("t2"), ok()]);
    const c = new DcaasClient(
      config({
        auth: {
          kind: "password",
          username: "u",
          password: "p",
          domainName: "d",
          iamEndpoint: "http://iam.test",
        },
      }),
      s.hooks,
    );
    await c.getVirtualInterface(VID);
    await c.getVirtualInterface(VID);
    await c.getVirtualInterface(VID);
    const tokenCalls = s.calls.filter((x) => x.url.startsWith("http://iam.test/v3/auth/tokens"));
    assert.equal(tokenCalls.length, 2);
    const body = JSON.parse(tokenCalls[0].init.body as string);
    assert.equal(body.auth.scope.project.id, PID);
    assert.equal(body.auth.identity.password.user.domain.name, "d");
    const used = s.calls
      .filter((x) => x.url.startsWith("http://api.test"))
      .map((x) => (x.init.headers as any)["X-Auth-Token"]);
    assert.deepEqual(used, ["t1", "t1", "t1", "t2"]);
  });

  it("token auth: APIGW.0307 is an AuthError (nothing to refresh)", async () => {
    const s = scripted([err(401, "APIGW.0307")]);
    await assert.rejects(new DcaasClient(config(), s.hooks).getVirtualInterface(VID), AuthError);
  });

  it("classifies 429 as ThrottledError when retries are exhausted", async () => {
    const s = scripted([err(429, "APIGW.0308", { "Retry-After": "1" })]);
    const e = await new DcaasClient(config({ maxRetries: 0 }), s.hooks)
      .getVirtualInterface(VID)
      .catch((x) => x);
    assert.ok(e instanceof ThrottledError);
    assert.equal(e.retryAfterMs, 1000);
  });
});
