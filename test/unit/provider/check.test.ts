// check as a pure function: the api/ rules through the provider's property names, the unknown
// sentinel, normalisation, and the provider-only inputs (importId, timeouts).
import assert from "node:assert/strict";
import { UNKNOWN } from "../../../provider/unknowns";
import { checkHostedVif, HOSTED_VIF_FIELDS } from "../../../provider/hostedVif";
import { checkVifPeer, VIF_PEER_FIELDS } from "../../../provider/vifPeer";
import { CONFORMANCE_CASES } from "../../helpers/conformance";

const CONN = "6f1c2d3e-0001-4a5b-8c9d-000000000001";
const GW = "7a2b3c4d-0001-4b5c-9d0e-000000000001";
const VIF = "5d6c17bc-0ebe-420b-8734-21f519e9d7ad";

/** The README example. */
export const VIF_ARGS = {
  name: "branch-1",
  description: "Shanghai DC, rack 4",
  hostedConnectionId: CONN,
  borderGatewayId: GW,
  vlan: 301,
  routeMode: "bgp",
  bgpAsn: 65010,
  bgpKey: "s3cr3t-key",
  customerAddress: "10.0.0.1/30",
  cloudAddress: "10.0.0.2/30",
  standbyCustomerAddress: "10.0.0.5/30",
  standbyCloudAddress: "10.0.0.6/30",
  remoteSubnets: ["192.168.50.0/24"],
};

export const PEER_ARGS = {
  vifId: VIF,
  name: "branch-1-v6",
  addressFamily: "ipv6",
  customerAddress: "fd00:10::2/64",
  cloudAddress: "fd00:10::1/64",
  routeMode: "bgp",
  bgpAsn: 65010,
  remoteSubnets: ["fd00:50::/64"],
};

/** The property each failure is about: `property`, or for a value-less failure the name its reason starts with. */
const props = (failures: { property: string; reason: string }[]) =>
  failures.map((f) => f.property || /^(\S+) \(value not shown\): /.exec(f.reason)?.[1] || "").sort();

describe("check: HostedVif", () => {
  it("accepts the README example unchanged, with no failures", () => {
    const r = checkHostedVif({}, { ...VIF_ARGS, __provider: "code" });
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.inputs, VIF_ARGS);
  });

  it("echoes an invalid value as the user wrote it, not lower-cased; a valid one in capitals is accepted", () => {
    const bad = checkHostedVif({}, { ...VIF_ARGS, routeMode: "BGPX", hostedConnectionId: "NOT-A-UUID" });
    const reasons = bad.failures.map((f) => f.reason).join("\n");
    assert.match(reasons, /routeMode must be one of static, bgp \(got "BGPX"\)/);
    assert.match(reasons, /\(got "NOT-A-UUID"\)/);
    const good = checkHostedVif(
      {},
      { ...VIF_ARGS, routeMode: " BGP ", hostedConnectionId: CONN.toUpperCase() },
    );
    assert.deepEqual(good.failures, []);
    assert.equal(good.inputs.routeMode, "bgp");
    assert.equal(good.inputs.hostedConnectionId, CONN);
  });

  it("names an unknown property and suggests the camelCase or API-named property meant", () => {
    const { bgpAsn: _a, hostedConnectionId: _c, ...rest } = VIF_ARGS;
    const r = checkHostedVif({}, { ...rest, bgp_asn: 65010, direct_connect_id: CONN, colour: "red" });
    // Unknown keys are never named as the property (a misspelt secret would be printed).
    assert.ok(
      r.failures.filter((f) => f.reason.includes("unknown property")).every((f) => f.property === ""),
      JSON.stringify(r.failures),
    );
    const reasons = r.failures.map((f) => f.reason);
    assert.ok(
      reasons.includes(
        "bgp_asn (value not shown): unknown property bgp_asn of HostedVif (did you mean bgpAsn?)",
      ),
      JSON.stringify(reasons),
    );
    assert.ok(
      reasons.includes(
        "direct_connect_id (value not shown): unknown property direct_connect_id of HostedVif (did you mean hostedConnectionId?)",
      ),
      JSON.stringify(reasons),
    );
    assert.ok(reasons.includes("colour (value not shown): unknown property colour of HostedVif"));
    const p = checkVifPeer({}, { ...PEER_ARGS, address_family: "ipv6" });
    assert.ok(
      p.failures.some(
        (f) =>
          f.reason ===
          "address_family (value not shown): unknown property address_family of VifPeer (did you mean addressFamily?)",
      ),
      JSON.stringify(p.failures),
    );
  });

  it("reports every failure at once, each naming the property and the rule", () => {
    const r = checkHostedVif(
      {},
      {
        ...VIF_ARGS,
        vlan: 4000,
        bgpAsn: 70000,
        customerAddress: "10.9.0.1/30",
        bgpKey: "has space",
        name: "bad name!",
      },
    );
    assert.deepEqual(props(r.failures), ["bgpAsn", "bgpKey", "cloudAddress", "name", "vlan"].sort());
    const byProp = Object.fromEntries(r.failures.map((f) => [f.property, f.reason]));
    assert.match(byProp.vlan, /vlan must be an integer from 1 to 3999.*\(DC\.0001\)$/);
    assert.match(byProp.bgpAsn, /bgpAsn .*65001.*65499.*\(DC\.0008\)$/);
    // Wire names are rewritten to the property names the user wrote.
    assert.match(byProp.cloudAddress, /cloudAddress and customerAddress/);
    assert.doesNotMatch(byProp.cloudAddress, /gateway_v4_ip/);
  });

  it("names a secret field only in the reason, so the engine cannot print its value", () => {
    // The engine prints `property <p> value <v> has a problem` for a failure naming <p>, secret or
    // not; a failure without a property prints only the reason.
    for (const [over, rule] of [
      [{ bgpKey: "has space" }, /bgpKey must be 1 to 80 printable/],
      [{ bgpKey: "k".repeat(81) }, /bgpKey must be 1 to 80 printable/],
      [{ routeMode: "static", bgpAsn: undefined, remoteSubnets: ["192.168.1.0/24"] }, /only allowed when/],
    ] as const) {
      const r = checkHostedVif({}, { ...VIF_ARGS, ...over });
      const f = r.failures.filter((x) => /bgpKey/.test(x.reason));
      assert.equal(f.length, 1, JSON.stringify(r.failures));
      assert.equal(f[0].property, "");
      assert.match(f[0].reason, /^bgpKey \(value not shown\): /);
      assert.match(f[0].reason, rule);
      const key = (over as any).bgpKey ?? VIF_ARGS.bgpKey;
      assert.ok(!f[0].reason.includes(key), f[0].reason);
    }
    const peer = checkVifPeer({}, { ...PEER_ARGS, bgpKey: "peer key" });
    assert.deepEqual(
      peer.failures.map((f) => f.property),
      [""],
    );
    assert.ok(!peer.failures[0].reason.includes("peer key"));
  });

  it("names an unknown (perhaps misspelt secret) property only in the reason", () => {
    const r = checkHostedVif({}, { ...VIF_ARGS, bgpMd5: "s3cr3t" });
    assert.deepEqual(r.failures, [
      { property: "", reason: "bgpMd5 (value not shown): unknown property bgpMd5 of HostedVif" },
    ]);
  });

  it("accepts the owner mark and importFromOtherStack; the mark becomes the create body's tag", () => {
    const r = checkHostedVif(
      {},
      { ...VIF_ARGS, __owner: "proj/dev/branch-1", importFromOtherStack: true, __provider: "code" },
    );
    assert.deepEqual(r.failures, []);
    assert.equal(r.inputs.__owner, "proj/dev/branch-1");
    const bad = checkHostedVif({}, { ...VIF_ARGS, importFromOtherStack: "yes" });
    assert.deepEqual(props(bad.failures), ["importFromOtherStack"]);
  });

  it("requires bgpAsn with bgp (DC.1203) and forbids it and bgpKey with static", () => {
    const { bgpAsn: _a, ...noAsn } = VIF_ARGS;
    const r1 = checkHostedVif({}, noAsn);
    assert.deepEqual(props(r1.failures), ["bgpAsn"]);
    assert.match(r1.failures[0].reason, /DC\.1203/);
    const r2 = checkHostedVif({}, { ...VIF_ARGS, routeMode: "static" });
    assert.deepEqual(props(r2.failures), ["bgpAsn", "bgpKey"]);
  });

  it("requires remoteSubnets with static", () => {
    const { bgpAsn: _a, bgpKey: _k, remoteSubnets: _s, ...rest } = VIF_ARGS;
    const r = checkHostedVif({}, { ...rest, routeMode: "static" });
    assert.deepEqual(props(r.failures), ["remoteSubnets"]);
    const ok = checkHostedVif({}, { ...rest, routeMode: "static", remoteSubnets: ["192.168.1.0/24"] });
    assert.deepEqual(ok.failures, []);
  });

  it("checks the standby pair: both or neither, disjoint from the primary /30", () => {
    const { standbyCloudAddress: _c, ...oneSided } = VIF_ARGS;
    assert.deepEqual(props(checkHostedVif({}, oneSided).failures), ["standbyCloudAddress"]);
    const overlapping = {
      ...VIF_ARGS,
      standbyCustomerAddress: "10.0.0.1/30",
      standbyCloudAddress: "10.0.0.2/30",
    };
    const r = checkHostedVif({}, overlapping);
    assert.equal(r.failures.length, 1);
    assert.match(r.failures[0].reason, /disjoint/);
  });

  it("passes the unknown sentinel everywhere and skips the rules that depend on it", () => {
    const allUnknown = Object.fromEntries(Object.keys(VIF_ARGS).map((k) => [k, UNKNOWN]));
    assert.deepEqual(checkHostedVif({}, allUnknown).failures, []);
    // The pair rule needs both addresses; with one unknown the other is still checked alone.
    const r = checkHostedVif({}, { ...VIF_ARGS, customerAddress: UNKNOWN, cloudAddress: "10.0.0.2/29" });
    assert.deepEqual(props(r.failures), ["cloudAddress"]);
    const unknownMode = checkHostedVif({}, { ...VIF_ARGS, routeMode: UNKNOWN });
    assert.deepEqual(unknownMode.failures, []);
  });

  it("normalises so that equal intents produce identical inputs", () => {
    const a = checkHostedVif({}, VIF_ARGS).inputs;
    const b = checkHostedVif(
      {},
      {
        ...VIF_ARGS,
        routeMode: "BGP",
        hostedConnectionId: CONN.toUpperCase(),
        customerAddress: " 10.0.0.1/30",
        remoteSubnets: ["192.168.50.0/24"],
      },
    ).inputs;
    assert.deepEqual(b, a);
    const c = checkHostedVif({}, { ...VIF_ARGS, remoteSubnets: ["192.168.50.0/24", "10.20.0.0/16"] }).inputs;
    const d = checkHostedVif({}, { ...VIF_ARGS, remoteSubnets: ["10.20.0.0/16", "192.168.50.0/24"] }).inputs;
    assert.deepEqual(c.remoteSubnets, ["10.20.0.0/16", "192.168.50.0/24"]);
    assert.deepEqual(c, d);
    const { description: _d, ...noDescription } = VIF_ARGS;
    assert.equal(checkHostedVif({}, noDescription).inputs.description, "");
  });

  it("rejects unknown properties, a bad importId and bad timeouts; accepts good ones", () => {
    const r = checkHostedVif(
      {},
      { ...VIF_ARGS, vlanId: 3, importId: "vif-1", timeouts: { create: "soon", wait: "1m" } },
    );
    assert.deepEqual(props(r.failures), ["importId", "timeouts.create", "timeouts.wait", "vlanId"]);
    const ok = checkHostedVif(
      {},
      { ...VIF_ARGS, importId: CONN, timeouts: { create: "90s", delete: "20m" } },
    );
    assert.deepEqual(ok.failures, []);
    assert.deepEqual(ok.inputs.timeouts, { create: "90s", delete: "20m" });
    assert.deepEqual(checkHostedVif({}, { ...VIF_ARGS, importId: UNKNOWN, timeouts: UNKNOWN }).failures, []);
  });
});

describe("check: VifPeer", () => {
  it("accepts the README example", () => {
    const r = checkVifPeer({}, PEER_ARGS);
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.inputs, { ...PEER_ARGS, description: "" });
  });

  it("passes an unknown vifId (interface not created yet, as in a first preview)", () => {
    assert.deepEqual(checkVifPeer({}, { ...PEER_ARGS, vifId: UNKNOWN }).failures, []);
  });

  it("checks addresses against the family, prefix range and subnet", () => {
    const r = checkVifPeer(
      {},
      { ...PEER_ARGS, customerAddress: "fd00:10::2/48", cloudAddress: "fd00:10::1/48" },
    );
    assert.ok(r.failures.length >= 1);
    assert.ok(r.failures.every((f) => ["customerAddress", "cloudAddress"].includes(f.property)));
    const wrongFamily = checkVifPeer({}, { ...PEER_ARGS, addressFamily: "ipv4" });
    assert.ok(props(wrongFamily.failures).includes("customerAddress"));
    const subnets = checkVifPeer({}, { ...PEER_ARGS, remoteSubnets: ["192.168.1.0/24"] });
    assert.deepEqual(props(subnets.failures), ["remoteSubnets"]);
  });

  it("normalises family case and IPv6 spelling", () => {
    const r = checkVifPeer({}, { ...PEER_ARGS, addressFamily: "IPv6", customerAddress: "FD00:10:0::2/64" });
    assert.deepEqual(r.failures, []);
    assert.equal(r.inputs.addressFamily, "ipv6");
    assert.equal(r.inputs.customerAddress, "fd00:10::2/64");
  });
});

// Every case of the shared conformance table whose fields the resources expose goes through
// check: the provider refuses exactly what the server refuses, on the matching property.
describe("check: the shared conformance table", () => {
  const resources = {
    hostedVifCreate: { wrapper: "virtual_interface", fields: HOSTED_VIF_FIELDS, check: checkHostedVif },
    vifPeerCreate: { wrapper: "vif_peer", fields: VIF_PEER_FIELDS, check: checkVifPeer },
  } as const;
  let ran = 0;
  for (const c of CONFORMANCE_CASES) {
    if (c.kind !== "hostedVifCreate" && c.kind !== "vifPeerCreate") continue;
    const res = resources[c.kind];
    const inner = (c.body as Record<string, unknown>)?.[res.wrapper];
    if (!inner || typeof inner !== "object" || Array.isArray(inner)) continue;
    // Fields outside the wrapper cannot be written as args; null means "absent" to Pulumi.
    if (Object.keys(c.body as object).length !== 1) continue;
    if (Object.values(inner).some((v) => v === null)) continue;
    const byWire = new Map(res.fields.map((f) => [f.wire, f.prop]));
    const entries = Object.entries(inner as Record<string, unknown>).filter(([k]) => k !== "type");
    if ((inner as any).type !== undefined && (inner as any).type !== "private") continue;
    // Fields the resources do not expose (bandwidth, tags, ...) cannot be expressed as args.
    if (entries.some(([k]) => !byWire.has(k))) continue;
    const args = Object.fromEntries(entries.map(([k, v]) => [byWire.get(k)!, v]));
    const expect = c.expect;
    // Inputs the provider normalises (case, spacing) are sent normalised, so the server never sees them.
    if ("code" in expect) {
      const raw = (inner as any)[expect.field];
      if (
        typeof raw === "string" &&
        raw !== raw.trim().toLowerCase() &&
        /route_mode|address_family/.test(expect.field)
      )
        continue;
    }
    ran++;
    it(`${c.kind}: ${c.name}`, () => {
      const r = res.check({}, args);
      if ("ok" in expect) {
        assert.deepEqual(r.failures, []);
      } else {
        const prop = byWire.get(expect.field) ?? expect.field;
        assert.ok(
          r.failures.some((f) => props([f])[0] === prop && f.reason.endsWith(`(${expect.code})`)),
          `expected ${expect.code} on ${prop}, got ${JSON.stringify(r.failures)}`,
        );
      }
    });
  }
  it("ran a meaningful share of the table", () => assert.ok(ran >= 40, `only ${ran} cases applied`));
});

describe("check: HostedVif per rule profile", () => {
  const { standbyCustomerAddress: _s1, standbyCloudAddress: _s2, ...HUAWEI_ARGS } = VIF_ARGS;
  const huawei = (over: Record<string, unknown>) => checkHostedVif({}, { ...HUAWEI_ARGS, ...over }, "huawei");
  const jd = (over: Record<string, unknown>) => checkHostedVif({}, { ...VIF_ARGS, ...over }, "jd-hosted");

  it("jd-hosted is the default and says so in the ASN range message", () => {
    const r = checkHostedVif({}, { ...VIF_ARGS, bgpAsn: 4200000000 });
    assert.deepEqual(props(r.failures), ["bgpAsn"]);
    assert.match(r.failures[0].reason, /from 65001 to 65499 \(jd-hosted profile\).*\(DC\.0008\)$/);
    assert.deepEqual(jd({ bgpAsn: 4200000000 }).failures, r.failures);
  });

  it("huawei accepts ASNs 1-4294967295 except 64512 (DC.1223, saying huawei profile)", () => {
    for (const asn of [1, 65010, 64513, 4200000000, 4294967295]) {
      assert.deepEqual(huawei({ bgpAsn: asn }).failures, [], String(asn));
    }
    const r = huawei({ bgpAsn: 64512 });
    assert.deepEqual(props(r.failures), ["bgpAsn"]);
    assert.match(r.failures[0].reason, /must not be 64512.*huawei profile.*\(DC\.1223\)$/);
    assert.match(huawei({ bgpAsn: 0 }).failures[0].reason, /from 1 to 4294967295 \(got 0\) \(DC\.0008\)$/);
    assert.match(
      huawei({ bgpAsn: 4294967296 }).failures[0].reason,
      /from 1 to 4294967295 \(got 4294967296\) \(DC\.0008\)$/,
    );
  });

  it("huawei refuses a standby pair, saying what to do instead, one failure per property", () => {
    const r = checkHostedVif({}, VIF_ARGS, "huawei");
    assert.deepEqual(props(r.failures), ["standbyCloudAddress", "standbyCustomerAddress"]);
    for (const f of r.failures) {
      assert.match(f.reason, /huawei profile/);
      assert.match(f.reason, /second virtual interface on a second hosted connection/);
    }
    assert.deepEqual(jd({}).failures, []);
  });

  it("bandwidth: optional under both (the connection's, read at create), 2 or more, an integer", () => {
    assert.deepEqual(huawei({}).failures, []);
    assert.deepEqual(jd({}).failures, []);
    assert.equal(huawei({}).inputs.bandwidth, undefined);
    for (const profile of ["jd-hosted", "huawei"] as const) {
      const base = profile === "huawei" ? HUAWEI_ARGS : VIF_ARGS;
      assert.deepEqual(checkHostedVif({}, { ...base, bandwidth: 200 }, profile).failures, []);
      assert.equal(checkHostedVif({}, { ...base, bandwidth: 200 }, profile).inputs.bandwidth, 200);
      for (const bad of [1, 2.5, "100"]) {
        const r = checkHostedVif({}, { ...base, bandwidth: bad }, profile);
        assert.deepEqual(props(r.failures), ["bandwidth"], `${profile} ${JSON.stringify(bad)}`);
      }
      assert.deepEqual(checkHostedVif({}, { ...base, bandwidth: UNKNOWN }, profile).failures, []);
    }
  });

  it("the VLAN of the hosted connection is a stateful rule: check accepts any valid VLAN under huawei", () => {
    assert.deepEqual(huawei({ vlan: 1234 }).failures, []);
    assert.deepEqual(props(huawei({ vlan: 4000 }).failures), ["vlan"]);
  });
});
