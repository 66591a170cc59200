// The rule profile: its default by endpoint host, the provider's configuration key with its
// environment fallback, and the profile-specific stateful rules of api/stateful.ts.
import assert from "node:assert/strict";
import { defaultProfileFor, parseProfile } from "../../../api/profile";
import { asnNotGateway, bandwidthWithinConnection, vlanOnConnection } from "../../../api/stateful";
import { ConfigError, resolveConfig, resolveProfile } from "../../../provider/config";

describe("rule profile", () => {
  it("defaults to huawei for a Huawei Cloud host, else jd-hosted", () => {
    assert.equal(defaultProfileFor("https://dcaas.cn-north-4.myhuaweicloud.com"), "huawei");
    assert.equal(defaultProfileFor("https://dcaas.ap-southeast-1.myhuaweicloud.com/"), "huawei");
    assert.equal(defaultProfileFor("http://127.0.0.1:8787"), "jd-hosted");
    assert.equal(defaultProfileFor("https://myhuaweicloud.com.example.org"), "jd-hosted");
    assert.equal(defaultProfileFor(undefined), "jd-hosted");
    assert.equal(defaultProfileFor("not a url"), "jd-hosted");
  });

  it("parses a profile name with a one-line error naming the allowed values", () => {
    assert.equal(parseProfile("huawei"), "huawei");
    assert.throws(
      () => parseProfile("aws", "--profile"),
      /^Error: --profile must be one of jd-hosted, huawei \(got "aws"\)$/,
    );
  });

  it("provider: dcaas:profile wins, then DCAAS_PROFILE, then the endpoint or region default", () => {
    assert.equal(resolveProfile({}, {}), "jd-hosted");
    assert.equal(resolveProfile({ DCAAS_REGION: "cn-north-4" }, {}), "huawei");
    assert.equal(
      resolveProfile({ DCAAS_ENDPOINT: "http://127.0.0.1:1", DCAAS_REGION: "cn-north-4" }, {}),
      "jd-hosted",
    );
    assert.equal(
      resolveProfile({ DCAAS_PROFILE: "huawei", DCAAS_ENDPOINT: "http://127.0.0.1:1" }, {}),
      "huawei",
    );
    assert.equal(
      resolveProfile({ DCAAS_PROFILE: "huawei" }, { profile: "jd-hosted", region: "cn-north-4" }),
      "jd-hosted",
    );
    assert.throws(
      () => resolveProfile({ DCAAS_PROFILE: "HUAWEI" }, {}),
      (e: Error) => {
        assert.ok(e instanceof ConfigError);
        assert.match(
          e.message,
          /dcaas:profile.*DCAAS_PROFILE.*must be one of jd-hosted, huawei \(got "HUAWEI"\)/,
        );
        return true;
      },
    );
    const cfg = resolveConfig(
      { DCAAS_REGION: "cn-north-4", DCAAS_PROJECT_ID: "0a1b2c3d4e5f60718293a4b5c6d7e8f9", DCAAS_TOKEN: "t" },
      {},
    );
    assert.equal(cfg.endpoint, "https://dcaas.cn-north-4.myhuaweicloud.com");
    assert.equal(cfg.profile, "huawei");
  });
});

describe("api/stateful rules", () => {
  const conn = { id: "c1", bandwidth: 1000, vlan: 301 };
  it("VLAN: equal to the hosted connection's under huawei (DC.1207), free under jd-hosted", () => {
    assert.deepEqual(vlanOnConnection("huawei", conn, 301), []);
    const [issue, ...rest] = vlanOnConnection("huawei", conn, 302);
    assert.deepEqual(rest, []);
    assert.equal(issue.code, "DC.1207");
    assert.deepEqual(issue.path, ["virtual_interface", "vlan"]);
    assert.match(
      issue.message,
      /vlan must equal the VLAN 301 of hosted connection c1 \(huawei profile; got 302\)/,
    );
    assert.deepEqual(vlanOnConnection("jd-hosted", conn, 302), []);
    assert.deepEqual(vlanOnConnection("huawei", { ...conn, vlan: null }, 302), []);
  });

  it("bandwidth within the connection's (DC.1000)", () => {
    assert.deepEqual(bandwidthWithinConnection(conn, 1000), []);
    assert.equal(bandwidthWithinConnection(conn, 1001)[0].code, "DC.1000");
  });

  it("a customer ASN never the gateway's (DC.1223), for interfaces and peers", () => {
    const gw = { id: "g", bgp_asn: 64512 };
    assert.deepEqual(asnNotGateway("virtual_interface", gw, 65010), []);
    assert.deepEqual(asnNotGateway("vif_peer", gw, undefined), []);
    assert.deepEqual(asnNotGateway("vif_peer", gw, 64512)[0].path, ["vif_peer", "bgp_asn"]);
    assert.equal(asnNotGateway("virtual_interface", gw, 64512)[0].code, "DC.1223");
  });
});
