// Authentication: IAM tokens, AK/SK signatures with the 15-minute skew, project binding and
// tenant isolation.
import assert from "node:assert/strict";
import { formatSdkDate, signRequest } from "../../api/signing";
import { A, B, Client, createActiveVif, withEmulator } from "./helpers";

function tokenBody(user: string, password: string, domain: string, project: { id?: string; name?: string }) {
  return {
    auth: {
      identity: {
        methods: ["password"],
        password: { user: { name: user, password, domain: { name: domain } } },
      },
      scope: { project },
    },
  };
}

async function signedFetch(
  url: string,
  method: string,
  body: string | undefined,
  ak: string,
  sk: string,
  date = new Date(),
  tamper?: (h: Record<string, string>) => void,
) {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Sdk-Date": formatSdkDate(date),
  };
  Object.assign(headers, signRequest({ method, url, headers, body, accessKey: ak, secretKey: sk }));
  tamper?.(headers);
  const r = await fetch(url, { method, headers, body });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

describe("emulator auth", function () {
  it("issues a 24 h project token in X-Subject-Token that then works", () =>
    withEmulator({}, async (e) => {
      const anon = new Client(e.url, A.projectId, null);
      const r = await anon.req(
        "POST",
        "/v3/auth/tokens",
        tokenBody(A.username, A.password, A.domainName, { id: A.projectId }),
      );
      assert.equal(r.status, 201, r.text);
      const token = r.headers.get("x-subject-token");
      assert.ok(token && token.length > 20);
      assert.equal(r.body.token.project.id, A.projectId);
      const ttl = Date.parse(r.body.token.expires_at) - Date.parse(r.body.token.issued_at);
      assert.equal(ttl, 24 * 3600 * 1000);
      const byName = await anon.req(
        "POST",
        "/v3/auth/tokens",
        tokenBody(A.username, A.password, A.domainName, { name: A.region }),
      );
      assert.equal(byName.status, 201);
      const c = new Client(e.url, A.projectId, token);
      assert.equal((await c.req("GET", "/virtual-interfaces")).status, 200);
    }));

  it("refuses wrong passwords and foreign projects with Keystone-style 401s", () =>
    withEmulator({}, async (e) => {
      const anon = new Client(e.url, A.projectId, null);
      const wrong = await anon.req(
        "POST",
        "/v3/auth/tokens",
        tokenBody(A.username, "nope", A.domainName, { id: A.projectId }),
      );
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.code, 401);
      const foreign = await anon.req(
        "POST",
        "/v3/auth/tokens",
        tokenBody(A.username, A.password, A.domainName, { id: B.projectId }),
      );
      assert.equal(foreign.status, 401);
      const bad = await anon.req("POST", "/v3/auth/tokens", { auth: {} });
      assert.equal(bad.status, 400);
      assert.equal((await anon.req("POST", "/v3/auth/tokens", "{{")).status, 400);
    }));

  it("answers 401 APIGW.0301 without or with bad credentials, 403 APIGW.0302 for another project", () =>
    withEmulator({}, async (e) => {
      const none = await new Client(e.url, A.projectId, null).req("GET", "/virtual-interfaces");
      assert.equal(none.status, 401);
      assert.equal(none.body.error_code, "APIGW.0301");
      const bad = await new Client(e.url, A.projectId, "not-a-token").req("GET", "/virtual-interfaces");
      assert.equal(bad.status, 401);
      assert.equal(bad.body.error_code, "APIGW.0301");
      const other = await new Client(e.url, A.projectId, B.token).req("GET", "/virtual-interfaces");
      assert.equal(other.status, 403);
      assert.equal(other.body.error_code, "APIGW.0302");
      const unknownProject = await new Client(e.url, "ffffffffffffffffffffffffffffffff", A.token).req(
        "GET",
        "/virtual-interfaces",
      );
      assert.equal(unknownProject.status, 403);
    }));

  it("hides a tenant's objects from another tenant: foreign ids are 404", () =>
    withEmulator({}, async (e, c) => {
      const v = await createActiveVif(c);
      const b = new Client(e.url, B.projectId, B.token);
      const show = await b.req("GET", `/virtual-interfaces/${v.id}`);
      assert.equal(show.status, 404);
      assert.equal(show.body.error_code, "DC.1211");
      assert.equal((await b.req("DELETE", `/virtual-interfaces/${v.id}`)).status, 404);
      assert.equal(
        (await b.req("PUT", `/virtual-interfaces/${v.id}`, { virtual_interface: { name: "x" } })).status,
        404,
      );
      assert.deepEqual((await b.req("GET", "/virtual-interfaces")).body.virtual_interfaces, []);
      assert.equal(
        (await c.req("GET", `/virtual-interfaces/${v.id}`)).status,
        200,
        "still there for its owner",
      );
    }));

  it("verifies AK/SK signatures: good, bad signature, wrong key, skewed clock, unknown AK, other project", () =>
    withEmulator({}, async (e) => {
      const url = `${e.url}/v3/${A.projectId}/dcaas/virtual-interfaces?limit=5&status=ACTIVE&status=DOWN`;
      const good = await signedFetch(url, "GET", undefined, A.accessKey, A.secretKey);
      assert.equal(good.status, 200, JSON.stringify(good.body));
      const body = JSON.stringify({
        virtual_interface: {
          name: "signed",
          direct_connect_id: A.hostedConnections.active1,
          vgw_id: A.gatewayId,
          vlan: 3999,
          route_mode: "static",
          remote_gateway_v4_ip: "10.77.0.2/30",
          local_gateway_v4_ip: "10.77.0.1/30",
          remote_ep_group: ["192.168.1.0/24"],
        },
      });
      const createUrl = `${e.url}/v3/${A.projectId}/dcaas/virtual-interfaces`;
      const post = await signedFetch(createUrl, "POST", body, A.accessKey, A.secretKey);
      assert.equal(post.status, 201, JSON.stringify(post.body));
      const badSig = await signedFetch(url, "GET", undefined, A.accessKey, A.secretKey, new Date(), (h) => {
        h.Authorization = h.Authorization.replace(
          /Signature=([0-9a-f])/,
          (_m, d) => `Signature=${d === "0" ? "1" : "0"}`,
        );
      });
      assert.equal(badSig.status, 401);
      assert.equal(badSig.body.error_code, "APIGW.0301");
      const wrongKey = await signedFetch(url, "GET", undefined, A.accessKey, "not-the-secret");
      assert.equal(wrongKey.status, 401);
      const skewed = await signedFetch(
        url,
        "GET",
        undefined,
        A.accessKey,
        A.secretKey,
        new Date(Date.now() - 16 * 60 * 1000),
      );
      assert.equal(skewed.status, 401);
      assert.equal(skewed.body.error_code, "APIGW.0301");
      const nearlySkewed = await signedFetch(
        url,
        "GET",
        undefined,
        A.accessKey,
        A.secretKey,
        new Date(Date.now() - 14 * 60 * 1000),
      );
      assert.equal(nearlySkewed.status, 200);
      const unknownAk = await signedFetch(url, "GET", undefined, "EMUAKUNKNOWN00000000", A.secretKey);
      assert.equal(unknownAk.status, 401);
      const otherProject = await signedFetch(url, "GET", undefined, B.accessKey, B.secretKey);
      assert.equal(otherProject.status, 403);
      assert.equal(otherProject.body.error_code, "APIGW.0302");
      // A body changed after signing no longer verifies.
      const headers: Record<string, string> = { "Content-Type": "application/json" };
      Object.assign(
        headers,
        signRequest({
          method: "POST",
          url: createUrl,
          headers,
          body,
          accessKey: A.accessKey,
          secretKey: A.secretKey,
        }),
      );
      const changed = await fetch(createUrl, {
        method: "POST",
        headers,
        body: body.replace("signed", "signee"),
      });
      assert.equal(changed.status, 401);
    }));
});
