// diff as a pure function: update versus replace, deleteBeforeReplace, unknowns, normalisation,
// and the inputs that never matter (importId, timeouts, __provider).
import assert from "node:assert/strict";
import { UNKNOWN } from "../../../provider/unknowns";
import { diffHostedVif, hostedVifInputsFromOutputs, hostedVifOutputs } from "../../../provider/hostedVif";
import { diffVifPeer } from "../../../provider/vifPeer";
import { PEER_ARGS, VIF_ARGS } from "./check.test";

const OUTS = {
  ...VIF_ARGS,
  status: "ACTIVE",
  deviceId: "10.1.1.1",
  tenantId: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
  ipv4PeerId: "11111111-2222-4333-8444-555555555555",
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  __provider: "old code",
};

describe("diff: HostedVif", () => {
  it("reports no change for the same intent, ignoring __provider and computed outputs", () => {
    assert.deepEqual(diffHostedVif("id", OUTS, { ...VIF_ARGS, __provider: "new code" }), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("updates name and description in place", () => {
    const d = diffHostedVif("id", OUTS, { ...VIF_ARGS, name: "branch-2", description: "moved" });
    assert.deepEqual(d, { changes: true, replaces: [], deleteBeforeReplace: false });
  });

  for (const [prop, value] of [
    ["vlan", 302],
    ["bgpAsn", 65011],
    ["bgpKey", "other-key"],
    ["routeMode", "static"],
    ["remoteSubnets", ["192.168.51.0/24"]],
  ] as const) {
    it(`replaces on ${prop}, deleting first while connection and VLAN stay equal`, () => {
      const d = diffHostedVif("id", OUTS, { ...VIF_ARGS, [prop]: value });
      assert.deepEqual(d.replaces, [prop]);
      // A changed secret answers "unknown" changes: the engine then diffs the inputs itself and
      // shows the secret as the reason (it masks secrets before the CLI compares them).
      assert.equal(d.changes, prop === "bgpKey" ? undefined : true);
      assert.equal(d.deleteBeforeReplace, true);
    });
  }

  it("creates before deleting when the copies can coexist (other connection, disjoint /30s)", () => {
    const d = diffHostedVif("id", OUTS, {
      ...VIF_ARGS,
      hostedConnectionId: "6f1c2d3e-0001-4a5b-8c9d-000000000002",
      customerAddress: "10.0.1.1/30",
      cloudAddress: "10.0.1.2/30",
      standbyCustomerAddress: "10.0.1.5/30",
      standbyCloudAddress: "10.0.1.6/30",
    });
    assert.deepEqual(d.replaces.sort(), [
      "cloudAddress",
      "customerAddress",
      "hostedConnectionId",
      "standbyCloudAddress",
      "standbyCustomerAddress",
    ]);
    assert.equal(d.deleteBeforeReplace, false);
  });

  it("deletes first when the new interconnect /30 overlaps the old one on the same gateway", () => {
    const d = diffHostedVif("id", OUTS, {
      ...VIF_ARGS,
      hostedConnectionId: "6f1c2d3e-0001-4a5b-8c9d-000000000002",
      // The old standby /30 becomes the new primary.
      customerAddress: "10.0.0.5/30",
      cloudAddress: "10.0.0.6/30",
      standbyCustomerAddress: "10.0.1.5/30",
      standbyCloudAddress: "10.0.1.6/30",
    });
    assert.equal(d.deleteBeforeReplace, true);
  });

  it("reports a replacement for an unknown replacing field, an update for an unknown name", () => {
    const d = diffHostedVif("id", OUTS, { ...VIF_ARGS, hostedConnectionId: UNKNOWN });
    assert.deepEqual(d.replaces, ["hostedConnectionId"]);
    assert.equal(d.deleteBeforeReplace, true, "an unknown connection may be the same one");
    const n = diffHostedVif("id", OUTS, { ...VIF_ARGS, name: UNKNOWN });
    assert.deepEqual(n, { changes: true, replaces: [], deleteBeforeReplace: false });
    const s = diffHostedVif("id", OUTS, { ...VIF_ARGS, remoteSubnets: [UNKNOWN] });
    assert.deepEqual(s.replaces, ["remoteSubnets"]);
  });

  it("never changes on the owner mark or importFromOtherStack", () => {
    const olds = { ...OUTS, __owner: "proj/old-stack-name/branch-1" };
    const news = { ...VIF_ARGS, __owner: "proj/dev/branch-1", importFromOtherStack: true };
    assert.deepEqual(diffHostedVif("id", olds, news), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("never changes on importId or timeouts alone", () => {
    const d = diffHostedVif("id", OUTS, {
      ...VIF_ARGS,
      importId: OUTS.ipv4PeerId,
      timeouts: { create: "1h" },
    });
    assert.deepEqual(d, { changes: false, replaces: [], deleteBeforeReplace: false });
    const withOld = diffHostedVif("id", { ...OUTS, timeouts: { create: "5m" } }, VIF_ARGS);
    assert.equal(withOld.changes, false);
  });

  it("compares normalised values: order of subnets, CIDR spelling, case, default description", () => {
    const olds = { ...OUTS, remoteSubnets: ["10.20.0.0/16", "192.168.50.0/24"], description: "" };
    const news = {
      ...VIF_ARGS,
      description: undefined,
      routeMode: "BGP",
      remoteSubnets: ["192.168.50.0/24", "10.20.0.0/16"],
    };
    assert.equal(diffHostedVif("id", olds, news).changes, false);
  });

  it("sees drift when the live object (refreshed outputs) differs from the stored inputs", () => {
    const d = diffHostedVif("id", { ...OUTS, name: "renamed-out-of-band" }, VIF_ARGS);
    assert.deepEqual(d, { changes: true, replaces: [], deleteBeforeReplace: false });
  });
});

describe("diff: VifPeer", () => {
  const PEER_OUTS = { ...PEER_ARGS, description: "", status: "ACTIVE", receiveRouteNum: 0, __provider: "x" };

  it("no change for the same intent; name/description in place", () => {
    assert.equal(diffVifPeer("id", PEER_OUTS, PEER_ARGS).changes, false);
    assert.deepEqual(diffVifPeer("id", PEER_OUTS, { ...PEER_ARGS, name: "n2", description: "d" }), {
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("deletes first when interface and family stay (one peer per family)", () => {
    const d = diffVifPeer("id", PEER_OUTS, {
      ...PEER_ARGS,
      customerAddress: "fd00:11::2/64",
      cloudAddress: "fd00:11::1/64",
    });
    assert.deepEqual(d.replaces.sort(), ["cloudAddress", "customerAddress"]);
    assert.equal(d.deleteBeforeReplace, true);
  });

  it("creates first on another interface; an unknown interface may be the same one", () => {
    const other = diffVifPeer("id", PEER_OUTS, {
      ...PEER_ARGS,
      vifId: "6d6c17bc-0ebe-420b-8734-21f519e9d7ad",
    });
    assert.deepEqual(other.replaces, ["vifId"]);
    assert.equal(other.deleteBeforeReplace, false);
    const unknown = diffVifPeer("id", PEER_OUTS, { ...PEER_ARGS, vifId: UNKNOWN });
    assert.deepEqual(unknown.replaces, ["vifId"]);
    assert.equal(unknown.deleteBeforeReplace, true);
  });

  it("treats an omitted routeMode as the API default static", () => {
    const staticOuts = { ...PEER_OUTS, routeMode: "static", bgpAsn: undefined };
    const { routeMode: _r, bgpAsn: _a, ...news } = PEER_ARGS;
    assert.equal(diffVifPeer("id", staticOuts, news).changes, false);
  });
});

describe("diff and outputs: HostedVif bandwidth and answers without route_mode/bgp_asn/bgp_md5", () => {
  const withBw = { ...OUTS, bandwidth: 1000 };

  it("an omitted bandwidth means the connection's: no change against the live value", () => {
    assert.equal(diffHostedVif("id", withBw, VIF_ARGS).changes, false);
    assert.equal(diffHostedVif("id", withBw, { ...VIF_ARGS, bandwidth: 1000 }).changes, false);
  });

  it("a bandwidth the program sets replaces when it differs from the live one", () => {
    assert.deepEqual(diffHostedVif("id", withBw, { ...VIF_ARGS, bandwidth: 200 }).replaces, ["bandwidth"]);
    assert.deepEqual(diffHostedVif("id", OUTS, { ...VIF_ARGS, bandwidth: 200 }).replaces, ["bandwidth"]);
  });

  it("outputs keep the carried route mode, ASN and key when the answer leaves them out (Huawei's model)", () => {
    const live: any = {
      id: "5d6c17bc-0ebe-420b-8734-21f519e9d7ad",
      name: "branch-1",
      description: VIF_ARGS.description,
      tenant_id: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
      direct_connect_id: VIF_ARGS.hostedConnectionId,
      vgw_id: VIF_ARGS.borderGatewayId,
      type: "private",
      vlan: 301,
      bandwidth: 1000,
      remote_gateway_v4_ip: "10.0.0.1/30",
      local_gateway_v4_ip: "10.0.0.2/30",
      remote_ep_group: ["192.168.50.0/24"],
      status: "ACTIVE",
      reason: null,
      device_id: null,
      create_time: "2026-01-01T00:00:00.000Z",
      update_time: "2026-01-01T00:00:00.000Z",
      enterprise_project_id: "0",
    };
    const outs = hostedVifOutputs(live, VIF_ARGS);
    assert.equal(outs.routeMode, "bgp");
    assert.equal(outs.bgpAsn, 65010);
    assert.equal(outs.bgpKey, "s3cr3t-key");
    assert.equal(outs.standbyCustomerAddress, VIF_ARGS.standbyCustomerAddress);
    assert.equal(outs.bandwidth, 1000);
    assert.equal(hostedVifOutputs({ ...live, description: null }, VIF_ARGS).description, "");
    assert.equal(outs.ipv4PeerId, "");
    assert.equal(diffHostedVif("id", { ...outs }, VIF_ARGS).changes, false);
    // When the answer has them, the answer wins (drift on them stays visible under jd-hosted).
    const jd = hostedVifOutputs({ ...live, route_mode: "bgp", bgp_asn: 65099, bgp_md5: "k" }, VIF_ARGS);
    assert.equal(jd.bgpAsn, 65099);
    assert.deepEqual(diffHostedVif("id", jd, VIF_ARGS).replaces, ["bgpAsn", "bgpKey"]);
  });
});

describe("read's inputs: an omitted bandwidth stays omitted", () => {
  it("leaves bandwidth out of the inputs view when the program left it out, keeps it otherwise", () => {
    const omitted = hostedVifInputsFromOutputs({
      ...VIF_ARGS,
      bandwidth: 1000,
      bandwidthFromConnection: true,
    });
    assert.equal("bandwidth" in omitted, false);
    assert.equal("bandwidthFromConnection" in omitted, false);
    const given = hostedVifInputsFromOutputs({ ...VIF_ARGS, bandwidth: 200 });
    assert.equal(given.bandwidth, 200);
  });
});
