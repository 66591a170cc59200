// The stateless rules beyond the conformance table: every issue at once, message wording,
// secrets never echoed, preview unknowns, normalised values, and properties over random input.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type Issue,
  isPulumiUnknown,
  normalizeCidr,
  normalizeCidrList,
  normalizeEnum,
  PULUMI_UNKNOWN,
  type RuleResult,
  sameCidrSet,
  validateHostedVifCreate,
  validateHostedVifUpdate,
  validateVifPeerCreate,
  validateVifPeerUpdate,
} from "../../../api";
import { HOSTED_VIF_BASE, HOSTED_VIF_STATIC_BASE, VIF_PEER_BASE } from "../../helpers/conformance";

const U = PULUMI_UNKNOWN;
const preview = { isUnknown: isPulumiUnknown };
const vif = (o: Record<string, unknown> = {}) => ({ virtual_interface: { ...HOSTED_VIF_BASE, ...o } });
const vifStatic = (o: Record<string, unknown> = {}) => ({
  virtual_interface: { ...HOSTED_VIF_STATIC_BASE, ...o },
});
const peer = (o: Record<string, unknown> = {}) => ({ vif_peer: { ...VIF_PEER_BASE, ...o } });

function issues<T>(r: RuleResult<T>): Issue[] {
  assert.ok(!r.ok, "expected issues");
  return r.issues;
}
const brief = (list: Issue[]) => list.map((i) => `${i.code} ${i.path.slice(1).join(".")}`);

describe("api/rules", () => {
  describe("every issue at once", () => {
    it("reports each broken field of a hosted VIF, in contract order, never stopping at the first", () => {
      const r = validateHostedVifCreate(
        vifStatic({
          name: "",
          vlan: 4000,
          bgp_md5: "has space",
          local_gateway_v4_ip: "8.8.8.2/30",
          remote_ep_group: ["192.168.50.1/24", "192.168.50.1/24", "nope"],
          colour: "blue",
        }),
      );
      assert.deepEqual(brief(issues(r)), [
        "DC.0001 colour",
        "DC.0001 name",
        "DC.0001 vlan",
        "DC.0001 bgp_md5",
        "DC.0004 local_gateway_v4_ip",
        "DC.0004 remote_ep_group.0",
        "DC.0004 remote_ep_group.1",
        "DC.0004 remote_ep_group.2",
      ]);
    });

    it("reports missing required fields together, with DC.1203 for a BGP interface without an ASN", () => {
      const r = validateHostedVifCreate({ virtual_interface: { route_mode: "bgp" } });
      assert.deepEqual(brief(issues(r)), [
        "DC.0001 name",
        "DC.0001 direct_connect_id",
        "DC.0001 vgw_id",
        "DC.0001 vlan",
        "DC.1203 bgp_asn",
        "DC.0001 remote_gateway_v4_ip",
        "DC.0001 local_gateway_v4_ip",
      ]);
    });

    it("keeps checking the inner object when the envelope has an extra key", () => {
      const r = validateHostedVifCreate({ ...vif({ vlan: 0 }), extra: 1 });
      assert.deepEqual(brief(issues(r)), ["DC.0001 ", "DC.0001 vlan"]);
      assert.deepEqual(issues(r)[0].path, ["extra"]);
    });
  });

  describe("messages", () => {
    it("name the field, the rule and the received value", () => {
      const [vlan] = issues(validateHostedVifCreate(vif({ vlan: 4000 })));
      assert.equal(vlan.message, "vlan must be an integer from 1 to 3999 (got 4000)");
      assert.deepEqual(vlan.path, ["virtual_interface", "vlan"]);
      const [asn] = issues(validateHostedVifCreate(vif({ bgp_asn: 64512 })));
      assert.equal(
        asn.message,
        "bgp_asn must be an integer from 65001 to 65499 (jd-hosted profile) (got 64512)",
      );
      const [same] = issues(validateHostedVifCreate(vif({ local_gateway_v4_ip: "10.0.0.1/30" })));
      assert.match(same.message, /local_gateway_v4_ip must differ from remote_gateway_v4_ip/);
      const [hostBits] = issues(validateHostedVifCreate(vifStatic({ remote_ep_group: ["192.168.50.1/24"] })));
      assert.match(hostBits.message, /remote_ep_group\[0\].*host bits.*192\.168\.50\.0\/24/);
    });

    it("never echo the BGP key", () => {
      for (const key of ["has space", "x".repeat(81), "clé"]) {
        const [issue] = issues(validateHostedVifCreate(vif({ bgp_md5: key })));
        assert.equal(issue.path[1], "bgp_md5");
        assert.ok(!issue.message.includes(key), issue.message);
      }
      const [issue] = issues(validateVifPeerCreate(peer({ bgp_md5: "sec ret" })));
      assert.ok(!issue.message.includes("sec ret"));
    });
  });

  describe("preview unknowns", () => {
    it("treat the sentinel as an ordinary (invalid) value without the option", () => {
      assert.deepEqual(brief(issues(validateHostedVifCreate(vif({ vlan: U })))), ["DC.0001 vlan"]);
    });

    it("let every field of a hosted VIF be unknown on its own", () => {
      for (const field of Object.keys(HOSTED_VIF_BASE)) {
        const r = validateHostedVifCreate(vif({ [field]: U }), preview);
        assert.ok(r.ok, `${field}: ${r.ok ? "" : brief(r.issues)}`);
      }
      for (const field of Object.keys(HOSTED_VIF_STATIC_BASE)) {
        assert.ok(validateHostedVifCreate(vifStatic({ [field]: U }), preview).ok, field);
      }
    });

    it("skip the cross-field rules that depend on an unknown value, and only those", () => {
      // route_mode unknown: neither "bgp needs an ASN" nor "static forbids one" can be decided.
      assert.ok(validateHostedVifCreate(vif({ route_mode: U, bgp_asn: undefined }), preview).ok);
      assert.ok(validateHostedVifCreate(vif({ route_mode: U, bgp_md5: "k" }), preview).ok);
      // ... but an ASN out of range is still wrong whatever the route mode.
      assert.deepEqual(brief(issues(validateHostedVifCreate(vif({ route_mode: U, bgp_asn: 1 }), preview))), [
        "DC.0008 bgp_asn",
      ]);
      // One interconnect address unknown: the other is still checked alone, the pair rules are skipped.
      assert.ok(
        validateHostedVifCreate(vif({ remote_gateway_v4_ip: U, local_gateway_v4_ip: "10.9.9.2/30" }), preview)
          .ok,
      );
      assert.deepEqual(
        brief(
          issues(
            validateHostedVifCreate(
              vif({ remote_gateway_v4_ip: U, local_gateway_v4_ip: "10.9.9.3/30" }),
              preview,
            ),
          ),
        ),
        ["DC.0004 local_gateway_v4_ip"],
      );
      // Unknown standby address: the pair exists, its disjointness cannot be decided yet.
      assert.ok(
        validateHostedVifCreate(
          vif({ standby_remote_gateway_v4_ip: U, standby_local_gateway_v4_ip: "10.0.0.2/30" }),
          preview,
        ).ok,
      );
      // A whole unknown remote_ep_group satisfies "required with static".
      assert.ok(validateHostedVifCreate(vifStatic({ remote_ep_group: U }), preview).ok);
    });

    it("skip unknown array elements but check the known ones", () => {
      assert.ok(
        validateHostedVifCreate(vifStatic({ remote_ep_group: [U, U, "192.168.50.0/24"] }), preview).ok,
      );
      const r = validateHostedVifCreate(vifStatic({ remote_ep_group: [U, "192.168.50.1/24"] }), preview);
      assert.deepEqual(brief(issues(r)), ["DC.0004 remote_ep_group.1"]);
      assert.ok(validateHostedVifCreate(vif({ tags: [U, { key: "env", value: U }] }), preview).ok);
    });

    it("let an unknown address family accept gateway addresses of either family", () => {
      assert.ok(validateVifPeerCreate(peer({ address_family: U }), preview).ok);
      assert.ok(
        validateVifPeerCreate(
          peer({
            address_family: U,
            local_gateway_ip: "10.1.0.1/30",
            remote_gateway_ip: "10.1.0.2/30",
            remote_ep_group: ["10.2.0.0/16"],
          }),
          preview,
        ).ok,
      );
      // The two addresses must still agree with each other.
      const r = validateVifPeerCreate(peer({ address_family: U, local_gateway_ip: "10.1.0.1/30" }), preview);
      assert.deepEqual(brief(issues(r)), ["DC.0004 local_gateway_ip"]);
    });

    it("apply to update bodies too", () => {
      assert.ok(validateHostedVifUpdate({ virtual_interface: { name: U } }, preview).ok);
      assert.ok(validateVifPeerUpdate({ vif_peer: { remote_ep_group: [U] } }, preview).ok);
    });
  });

  describe("peers", () => {
    it("accept Huawei's own IPv4 example addresses (a public /30)", () => {
      const r = validateVifPeerCreate(
        peer({
          address_family: "ipv4",
          local_gateway_ip: "12.3.4.1/30",
          remote_gateway_ip: "12.3.4.2/30",
          route_mode: "static",
          bgp_asn: undefined,
          remote_ep_group: ["172.56.0.0/16"],
        }),
      );
      assert.ok(r.ok, r.ok ? "" : brief(r.issues).join());
    });

    it("refuse IPv4 gateway addresses that are not unicast", () => {
      const r = validateVifPeerCreate(
        peer({ address_family: "ipv4", local_gateway_ip: "224.0.0.1/30", remote_gateway_ip: "224.0.0.2/30" }),
      );
      assert.deepEqual(brief(issues(r)), ["DC.0004 local_gateway_ip", "DC.0004 remote_gateway_ip"]);
    });

    it("check update networks against the peer's family when the caller knows it", () => {
      const body = { vif_peer: { remote_ep_group: ["10.2.0.0/16"] } };
      assert.ok(validateVifPeerUpdate(body).ok);
      assert.ok(validateVifPeerUpdate(body, { addressFamily: "ipv4" }).ok);
      assert.deepEqual(brief(issues(validateVifPeerUpdate(body, { addressFamily: "ipv6" }))), [
        "DC.0004 remote_ep_group.0",
      ]);
    });
  });

  describe("values", () => {
    it("return the inner object with address_family lower-cased and undefined fields dropped", () => {
      const r = validateVifPeerCreate(peer({ address_family: "IPv6", description: undefined }));
      assert.ok(r.ok);
      assert.equal(r.value.address_family, "ipv6");
      assert.ok(!("description" in r.value));
      assert.equal(r.value.local_gateway_ip, "fd00:1::1/64");
      const h = validateHostedVifCreate(vif({ address_family: "IPV4" }));
      assert.ok(h.ok);
      assert.equal(h.value.address_family, "ipv4");
      assert.equal(h.value.vlan, 301);
    });
  });

  describe("normalisers", () => {
    it("make equal intents compare equal", () => {
      assert.equal(normalizeCidr("FD00:0::1/64"), "fd00::1/64");
      assert.deepEqual(normalizeCidrList(["FD00:100::/56", "10.0.0.0/8"]), ["fd00:100::/56", "10.0.0.0/8"]);
      assert.equal(sameCidrSet(["10.0.0.0/8", "FD00::/8"], ["fd00::/8", "10.0.0.0/8"]), true);
      assert.equal(sameCidrSet(["10.0.0.0/8"], ["10.0.0.0/9"]), false);
      assert.equal(normalizeEnum(" BGP "), "bgp");
      assert.equal(normalizeEnum("IPv6"), "ipv6");
      assert.equal(normalizeEnum(5), 5);
    });
  });

  describe("properties", () => {
    it("accept a VLAN exactly when it is an integer from 1 to 3999", () => {
      fc.assert(
        fc.property(fc.integer({ min: -10_000, max: 10_000 }), (vlan) => {
          const r = validateHostedVifCreate(vif({ vlan }));
          return r.ok === (vlan >= 1 && vlan <= 3999);
        }),
      );
    });

    it("accept any two different host addresses of one private /30 and refuse any pair across /30s", () => {
      const private30 = fc.oneof(
        fc.tuple(
          fc.constant(10),
          fc.integer({ min: 0, max: 255 }),
          fc.integer({ min: 0, max: 255 }),
          fc.integer({ min: 0, max: 63 }),
        ),
        fc.tuple(
          fc.constant(172),
          fc.integer({ min: 16, max: 31 }),
          fc.integer({ min: 0, max: 255 }),
          fc.integer({ min: 0, max: 63 }),
        ),
        fc.tuple(
          fc.constant(192),
          fc.constant(168),
          fc.integer({ min: 0, max: 255 }),
          fc.integer({ min: 0, max: 63 }),
        ),
      );
      const text = ([a, b, c, block]: [number, number, number, number], host: number) =>
        `${a}.${b}.${c}.${block * 4 + host}/30`;
      fc.assert(
        fc.property(private30, fc.boolean(), (block, swap) => {
          const [x, y] = swap ? [2, 1] : [1, 2];
          return validateHostedVifCreate(
            vif({ remote_gateway_v4_ip: text(block, x), local_gateway_v4_ip: text(block, y) }),
          ).ok;
        }),
      );
      fc.assert(
        fc.property(private30, private30, (b1, b2) => {
          fc.pre(b1.join(".") !== b2.join("."));
          const r = validateHostedVifCreate(
            vif({ remote_gateway_v4_ip: text(b1, 1), local_gateway_v4_ip: text(b2, 2) }),
          );
          return !r.ok && r.issues.length === 1 && r.issues[0].code === "DC.0004";
        }),
      );
    });

    it("never throw, whatever the body", () => {
      fc.assert(
        fc.property(fc.jsonValue(), (inner) => {
          for (const body of [inner, { virtual_interface: inner }, { vif_peer: inner }]) {
            validateHostedVifCreate(body);
            validateHostedVifUpdate(body);
            validateVifPeerCreate(body);
            validateVifPeerUpdate(body);
          }
          return true;
        }),
      );
      fc.assert(
        fc.property(
          fc.dictionary(
            fc.constantFrom(...Object.keys(HOSTED_VIF_BASE), "remote_ep_group", "tags"),
            fc.jsonValue(),
          ),
          (o) => {
            const r = validateHostedVifCreate(vif(o));
            return r.ok || r.issues.every((i) => i.message.length > 0 && i.path.length >= 1);
          },
        ),
      );
    });
  });
});
