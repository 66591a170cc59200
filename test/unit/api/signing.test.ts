// SDK-HMAC-SHA256: Huawei's published test vector, round trips, refusals, and a cross-check
// against the signer of @huaweicloud/huaweicloud-sdk-core (dev dependency, tests only).
import assert from "node:assert/strict";
import {
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  formatSdkDate,
  parseAuthorization,
  parseSdkDate,
  sha256Hex,
  signRequest,
  verifyRequest,
} from "../../../api/signing";

const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner");

// Huawei "API Request Signing Guide" example (reference section 7.2).
const VECTOR = {
  url: "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
  ak: "QTWAOYTTINDUT2QVKYUC",
  sk: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
  date: "20191115T033655Z",
  canonicalHash: "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
  signature: "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
};

const AK = "EMUAKTEST00000000001";
const SK = "emulator-test-secret-key";
const lookup = (ak: string) => (ak === AK ? SK : ak === VECTOR.ak ? VECTOR.sk : undefined);

function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

describe("api/signing", () => {
  describe("Huawei's published test vector", () => {
    const headers = {
      "content-type": "application/json",
      host: "service.region.example.com",
      "x-sdk-date": VECTOR.date,
    };

    it("hashes the canonical request to the published value", () => {
      const canonical = canonicalRequest({
        method: "GET",
        url: VECTOR.url,
        headers,
        signedHeaders: ["content-type", "host", "x-sdk-date"],
      });
      assert.equal(sha256Hex(canonical), VECTOR.canonicalHash);
    });

    it("signs to the published signature", () => {
      const added = signRequest({
        method: "GET",
        url: VECTOR.url,
        headers: { "content-type": "application/json" },
        accessKey: VECTOR.ak,
        secretKey: VECTOR.sk,
        date: parseSdkDate(VECTOR.date),
      });
      assert.equal(added["X-Sdk-Date"], VECTOR.date);
      assert.equal(added.host, "service.region.example.com");
      assert.equal(
        added.Authorization,
        `SDK-HMAC-SHA256 Access=${VECTOR.ak}, SignedHeaders=content-type;host;x-sdk-date, Signature=${VECTOR.signature}`,
      );
    });

    it("verifies as received by a server (path and query only, the clock at the signing time)", () => {
      const result = verifyRequest({
        method: "GET",
        url: pathOf(VECTOR.url),
        headers: {
          ...headers,
          authorization: `SDK-HMAC-SHA256 Access=${VECTOR.ak}, SignedHeaders=content-type;host;x-sdk-date, Signature=${VECTOR.signature}`,
        },
        lookupSecret: lookup,
        now: parseSdkDate(VECTOR.date),
      });
      assert.deepEqual(result, { ok: true, accessKey: VECTOR.ak });
    });
  });

  describe("canonical parts", () => {
    it("always ends the canonical URI with a slash and re-encodes decoded segments", () => {
      assert.equal(canonicalUri("/v3/p/dcaas/virtual-interfaces"), "/v3/p/dcaas/virtual-interfaces/");
      assert.equal(canonicalUri("/v3/p/"), "/v3/p/");
      assert.equal(canonicalUri("/a%20b/c d/~x*"), "/a%20b/c%20d/~x%2A/");
    });

    it("sorts query keys and repeated values and encodes them", () => {
      assert.equal(canonicalQueryString("?status=DOWN&id=b&id=a&limit=10"), "id=a&id=b&limit=10&status=DOWN");
      assert.equal(canonicalQueryString("name=a%20b&x="), "name=a%20b&x=");
      assert.equal(canonicalQueryString(""), "");
    });

    it("formats and parses X-Sdk-Date, refusing rolled-over fields", () => {
      const d = new Date(Date.UTC(2024, 0, 31, 23, 59, 58));
      assert.equal(formatSdkDate(d), "20240131T235958Z");
      assert.equal(parseSdkDate("20240131T235958Z")?.getTime(), d.getTime());
      assert.equal(parseSdkDate("20241332T000000Z"), undefined);
      assert.equal(parseSdkDate("2024-01-31T23:59:58Z"), undefined);
    });

    it("parses the Authorization header and refuses other schemes", () => {
      const p = parseAuthorization(
        `SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=${"a".repeat(64)}`,
      );
      assert.deepEqual(p, {
        accessKey: "AK1",
        signedHeaders: ["host", "x-sdk-date"],
        signature: "a".repeat(64),
      });
      assert.equal(parseAuthorization("Bearer abc"), undefined);
      assert.equal(
        parseAuthorization("SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host, Signature=xyz"),
        undefined,
      );
      assert.equal(parseAuthorization(undefined), undefined);
    });
  });

  describe("sign then verify", () => {
    const now = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));
    const url =
      "http://127.0.0.1:8787/v3/0a1b2c3d4e5f60718293a4b5c6d7e8f9/dcaas/virtual-interfaces?limit=5&id=b&id=a";
    const body = JSON.stringify({ virtual_interface: { name: "vif-1", vlan: 301 } });

    function signed(extra: Record<string, string> = {}) {
      const base = {
        "content-type": "application/json",
        "x-project-id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        ...extra,
      };
      const added = signRequest({
        method: "POST",
        url,
        headers: base,
        body,
        accessKey: AK,
        secretKey: SK,
        date: now,
      });
      // As Node's http server presents them: lower-case names.
      const received: Record<string, string> = {};
      for (const [k, v] of Object.entries({ ...base, ...added })) received[k.toLowerCase()] = v;
      return received;
    }

    it("accepts an untouched request", () => {
      const r = verifyRequest({
        method: "POST",
        url: pathOf(url),
        headers: signed(),
        body,
        lookupSecret: lookup,
        now,
      });
      assert.deepEqual(r, { ok: true, accessKey: AK });
    });

    it("accepts a request with extra unsigned headers (only SignedHeaders count)", () => {
      const headers = { ...signed(), "user-agent": "curl/8", "x-forwarded-for": "10.1.1.1" };
      assert.equal(
        verifyRequest({ method: "POST", url: pathOf(url), headers, body, lookupSecret: lookup, now }).ok,
        true,
      );
    });

    it("accepts a clock 14 minutes off and refuses one 16 minutes off", () => {
      const headers = signed();
      const at = (min: number) => new Date(now.getTime() + min * 60_000);
      assert.equal(
        verifyRequest({ method: "POST", url: pathOf(url), headers, body, lookupSecret: lookup, now: at(14) })
          .ok,
        true,
      );
      assert.equal(
        verifyRequest({ method: "POST", url: pathOf(url), headers, body, lookupSecret: lookup, now: at(-14) })
          .ok,
        true,
      );
      const late = verifyRequest({
        method: "POST",
        url: pathOf(url),
        headers,
        body,
        lookupSecret: lookup,
        now: at(16),
      });
      assert.equal(late.ok, false);
      assert.match(late.ok ? "" : late.reason, /15 minutes/);
      const early = verifyRequest({
        method: "POST",
        url: pathOf(url),
        headers,
        body,
        lookupSecret: lookup,
        now: at(-16),
      });
      assert.equal(early.ok, false);
    });

    const tampered: Array<
      [string, (h: Record<string, string>) => Partial<Parameters<typeof verifyRequest>[0]>]
    > = [
      ["a changed body", () => ({ body: body.replace("301", "302") })],
      ["a changed method", () => ({ method: "PUT" })],
      ["a changed path", () => ({ url: pathOf(url).replace("virtual-interfaces", "vif-peers") })],
      ["a changed query", () => ({ url: pathOf(url).replace("limit=5", "limit=6") })],
      [
        "a changed signed header",
        (h) => ({ headers: { ...h, "x-project-id": "1b2c3d4e5f60718293a4b5c6d7e8f90a" } }),
      ],
      [
        "a removed signed header",
        (h) => ({ headers: Object.fromEntries(Object.entries(h).filter(([k]) => k !== "host")) }),
      ],
      [
        "an unknown access key",
        (h) => ({ headers: { ...h, authorization: h.authorization.replace(AK, "NOSUCHAK") } }),
      ],
      ["a wrong secret", () => ({ lookupSecret: () => "another-secret" })],
      ["a missing Authorization header", (h) => ({ headers: { ...h, authorization: "" } })],
      ["a malformed X-Sdk-Date", (h) => ({ headers: { ...h, "x-sdk-date": "yesterday" } })],
      [
        "X-Sdk-Date left out of SignedHeaders",
        (h) => ({
          headers: {
            ...h,
            authorization: h.authorization
              .replace("SignedHeaders=", "SignedHeaders=")
              .replace(";x-sdk-date", ""),
          },
        }),
      ],
    ];
    for (const [what, change] of tampered) {
      it(`refuses ${what}`, () => {
        const headers = signed();
        const input = {
          method: "POST",
          url: pathOf(url),
          headers,
          body,
          lookupSecret: lookup,
          now,
          ...change(headers),
        };
        const r = verifyRequest(input);
        assert.equal(r.ok, false);
        assert.match(r.ok ? "" : r.reason, /\S/);
      });
    }

    it("signs the empty-body hash when there is no body", () => {
      const added = signRequest({ method: "GET", url, accessKey: AK, secretKey: SK, date: now });
      const headers = {
        host: added.host,
        "x-sdk-date": added["X-Sdk-Date"],
        authorization: added.Authorization,
      };
      assert.equal(
        verifyRequest({ method: "GET", url: pathOf(url), headers, lookupSecret: lookup, now }).ok,
        true,
      );
      assert.equal(
        verifyRequest({ method: "GET", url: pathOf(url), headers, body: "x", lookupSecret: lookup, now }).ok,
        false,
      );
    });
  });

  describe("cross-check with @huaweicloud/huaweicloud-sdk-core's AKSKSigner", () => {
    const credential = { getAk: () => AK, getSk: () => SK };

    it("reproduces the published test vector with the SDK too", () => {
      const out = AKSKSigner.sign(
        {
          method: "GET",
          endpoint: "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
          queryParams: { limit: 2, marker: "13551d6b-755d-4757-b956-536f674975c0" },
          headers: { "content-type": "application/json", "X-Sdk-Date": VECTOR.date },
        },
        { getAk: () => VECTOR.ak, getSk: () => VECTOR.sk },
      );
      assert.match(out.Authorization, new RegExp(`Signature=${VECTOR.signature}$`));
    });

    const requests = [
      {
        method: "POST",
        endpoint: "http://127.0.0.1:8787/v3/0a1b2c3d4e5f60718293a4b5c6d7e8f9/dcaas/virtual-interfaces",
        queryParams: {},
        headers: { "Content-Type": "application/json", "X-Project-Id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9" },
        data: { virtual_interface: { name: "专线-1", vlan: 301, remote_ep_group: ["192.168.50.0/24"] } },
      },
      {
        method: "GET",
        endpoint:
          "https://dcaas.cn-north-4.example.com/v3/0a1b2c3d4e5f60718293a4b5c6d7e8f9/dcaas/virtual-interfaces",
        queryParams: { limit: 10, id: ["b-2", "a 1"], marker: "x/y+z" },
        headers: { "Content-Type": "application/json" },
      },
      {
        method: "DELETE",
        endpoint:
          "http://localhost:9000/v3/0a1b2c3d4e5f60718293a4b5c6d7e8f9/dcaas/vif-peers/4c95de3e-9f75-4357-9c79-b22498dd71c7",
        queryParams: {},
        headers: { "Content-Type": "application/json" },
      },
    ];

    for (const req of requests) {
      it(`${req.method} ${new URL(req.endpoint).pathname}: our verifier accepts the SDK's signature and our signer matches it`, () => {
        const sdkHeaders: Record<string, string> = AKSKSigner.sign(structuredClone(req), credential);
        const qs = new URLSearchParams();
        for (const [k, v] of Object.entries(req.queryParams)) {
          for (const item of Array.isArray(v) ? v : [v]) qs.append(k, String(item));
        }
        const target = new URL(req.endpoint).pathname + (qs.size > 0 ? `?${qs}` : "");
        const body = req.data === undefined ? undefined : JSON.stringify(req.data);
        const received: Record<string, string> = {};
        for (const [k, v] of Object.entries(sdkHeaders)) received[k.toLowerCase()] = v;
        const now = parseSdkDate(received["x-sdk-date"]);
        assert.ok(now);

        const r = verifyRequest({
          method: req.method,
          url: target,
          headers: received,
          body,
          lookupSecret: lookup,
          now,
        });
        assert.deepEqual(r, { ok: true, accessKey: AK });

        const { Authorization: _auth, ...toSign } = sdkHeaders;
        const ours = signRequest({
          method: req.method,
          url: new URL(req.endpoint).origin + target,
          headers: toSign,
          body,
          accessKey: AK,
          secretKey: SK,
        });
        assert.equal(ours.Authorization, sdkHeaders.Authorization);
      });
    }
  });
});
