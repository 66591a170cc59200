// The stateful rules of api/stateful as pure functions over a small world: each rule valid and
// invalid, with its code and field; own objects, unknown inputs and program resources.
import assert from "node:assert/strict";
import {
  type InterfaceFacts,
  type Issue,
  PULUMI_UNKNOWN,
  hostedVifCreateStatefulIssues,
  isPulumiUnknown,
  vifPeerCreateStatefulIssues,
  vifPeerUpdateStatefulIssues,
  worldOf,
} from "../../../api";

const CONN = "11111111-1111-4111-8111-111111111111";
const CONN_DOWN = "22222222-2222-4222-8222-222222222222";
const CONN_STD = "33333333-3333-4333-8333-333333333333";
const GW = "44444444-4444-4444-8444-444444444444";
const VIF = "55555555-5555-4555-8555-555555555555";
const VIF_PENDING = "66666666-6666-4666-8666-666666666666";
const MISSING = "77777777-7777-4777-8777-777777777777";

const live: InterfaceFacts = {
  id: VIF,
  label: `virtual interface ${VIF} ("branch-1")`,
  direct_connect_id: CONN,
  vgw_id: GW,
  vlan: 301,
  status: "ACTIVE",
  networks: ["10.0.0.0/30"],
  peers: [{ address_family: "ipv4", label: "peer p1" }],
};

const world = worldOf({
  connections: [
    { id: CONN, type: "hosted", status: "ACTIVE", bandwidth: 100 },
    { id: CONN_DOWN, type: "hosted", status: "DOWN", bandwidth: 100 },
    { id: CONN_STD, type: "standard", status: "ACTIVE", bandwidth: 1000 },
  ],
  gateways: [{ id: GW, local_ep_group: ["172.16.0.0/16"], bgp_asn: 64512 }],
  interfaces: [
    live,
    {
      ...live,
      id: VIF_PENDING,
      label: "pending",
      vlan: 302,
      status: "PENDING_CREATE",
      networks: ["10.0.0.4/30"],
      peers: [],
    },
  ],
});

const vif = (over: Record<string, unknown> = {}) => ({
  name: "branch-2",
  direct_connect_id: CONN,
  vgw_id: GW,
  vlan: 400,
  route_mode: "bgp",
  bgp_asn: 65010,
  remote_gateway_v4_ip: "10.0.1.1/30",
  local_gateway_v4_ip: "10.0.1.2/30",
  remote_ep_group: ["192.168.10.0/24"],
  ...over,
});

const peer = (over: Record<string, unknown> = {}) => ({
  vif_id: VIF,
  address_family: "ipv6",
  remote_gateway_ip: "fd00::1/64",
  local_gateway_ip: "fd00::2/64",
  route_mode: "bgp",
  bgp_asn: 65010,
  ...over,
});

function only(issues: Issue[], code: string, path: string[], text: RegExp) {
  assert.equal(issues.length, 1, JSON.stringify(issues));
  assert.equal(issues[0].code, code);
  assert.deepEqual(issues[0].path, path);
  assert.match(issues[0].message, text);
}

describe("api/stateful: hosted interface create", () => {
  it("accepts a free VLAN and clear subnets on an ACTIVE hosted connection", () => {
    assert.deepEqual(hostedVifCreateStatefulIssues(vif(), world), []);
  });

  it("connection missing: DC.1012 on direct_connect_id", () => {
    only(
      hostedVifCreateStatefulIssues(vif({ direct_connect_id: MISSING }), world),
      "DC.1012",
      ["virtual_interface", "direct_connect_id"],
      /does not exist/,
    );
  });

  it("connection not hosted: DC.1204", () => {
    only(
      hostedVifCreateStatefulIssues(vif({ direct_connect_id: CONN_STD }), world),
      "DC.1204",
      ["virtual_interface", "direct_connect_id"],
      /standard, not hosted/,
    );
  });

  it("connection not ACTIVE: DC.1005", () => {
    only(
      hostedVifCreateStatefulIssues(vif({ direct_connect_id: CONN_DOWN }), world),
      "DC.1005",
      ["virtual_interface", "direct_connect_id"],
      /DOWN, not ACTIVE/,
    );
  });

  it("gateway missing: DC.1111 on vgw_id", () => {
    only(
      hostedVifCreateStatefulIssues(vif({ vgw_id: MISSING }), world),
      "DC.1111",
      ["virtual_interface", "vgw_id"],
      /does not exist/,
    );
  });

  it("bandwidth over the connection's: DC.1000; within it passes", () => {
    only(
      hostedVifCreateStatefulIssues(vif({ bandwidth: 101 }), world),
      "DC.1000",
      ["virtual_interface", "bandwidth"],
      /101 Mbit\/s exceeds the 100/,
    );
    assert.deepEqual(hostedVifCreateStatefulIssues(vif({ bandwidth: 100 }), world), []);
  });

  it("VLAN in use on the connection: DC.1209 naming the holder", () => {
    only(
      hostedVifCreateStatefulIssues(vif({ vlan: 301 }), world),
      "DC.1209",
      ["virtual_interface", "vlan"],
      new RegExp(`by virtual interface ${VIF}`),
    );
  });

  it("the caller's own live object never conflicts", () => {
    const own = { isOwn: (i: InterfaceFacts) => i.id === VIF };
    assert.deepEqual(
      hostedVifCreateStatefulIssues(
        vif({ vlan: 301, remote_gateway_v4_ip: "10.0.0.1/30", local_gateway_v4_ip: "10.0.0.2/30" }),
        world,
        own,
      ),
      [],
    );
  });

  it("interconnect /30 inside the gateway's VPC: DC.0004", () => {
    only(
      hostedVifCreateStatefulIssues(
        vif({ remote_gateway_v4_ip: "172.16.0.1/30", local_gateway_v4_ip: "172.16.0.2/30" }),
        world,
      ),
      "DC.0004",
      ["virtual_interface", "remote_gateway_v4_ip"],
      /overlaps the VPC block 172\.16\.0\.0\/16/,
    );
  });

  it("interconnect /30 of another interface on the gateway: DC.0004 naming it", () => {
    only(
      hostedVifCreateStatefulIssues(
        vif({ remote_gateway_v4_ip: "10.0.0.5/30", local_gateway_v4_ip: "10.0.0.6/30" }),
        world,
      ),
      "DC.0004",
      ["virtual_interface", "remote_gateway_v4_ip"],
      /overlaps a subnet already used by pending/,
    );
  });

  it("standby /30 is checked too", () => {
    only(
      hostedVifCreateStatefulIssues(
        vif({ standby_remote_gateway_v4_ip: "10.0.0.1/30", standby_local_gateway_v4_ip: "10.0.0.2/30" }),
        world,
      ),
      "DC.0004",
      ["virtual_interface", "standby_remote_gateway_v4_ip"],
      /overlaps a subnet already used by virtual interface/,
    );
  });

  it("remote subnet inside the gateway's VPC: DC.0004 at its index", () => {
    only(
      hostedVifCreateStatefulIssues(vif({ remote_ep_group: ["192.168.0.0/24", "172.16.5.0/24"] }), world),
      "DC.0004",
      ["virtual_interface", "remote_ep_group", "1"],
      /remote subnet 172\.16\.5\.0\/24 overlaps/,
    );
  });

  it("unknown inputs skip the rules that need them", () => {
    const isUnknown = isPulumiUnknown;
    assert.deepEqual(
      hostedVifCreateStatefulIssues(vif({ direct_connect_id: PULUMI_UNKNOWN, vlan: 301 }), world, {
        isUnknown,
      }),
      [],
    );
    assert.deepEqual(hostedVifCreateStatefulIssues(vif({ vlan: PULUMI_UNKNOWN }), world, { isUnknown }), []);
    assert.deepEqual(
      hostedVifCreateStatefulIssues(
        vif({ vgw_id: PULUMI_UNKNOWN, remote_gateway_v4_ip: "10.0.0.1/30" }),
        world,
        { isUnknown },
      ),
      [],
    );
  });

  it("a missing connection skips the VLAN rule (one mistake, one issue)", () => {
    only(
      hostedVifCreateStatefulIssues(vif({ direct_connect_id: MISSING, vlan: 301 }), world),
      "DC.1012",
      ["virtual_interface", "direct_connect_id"],
      /does not exist/,
    );
  });
});

describe("api/stateful: peer create and update", () => {
  it("accepts an IPv6 peer on an ACTIVE interface", () => {
    assert.deepEqual(vifPeerCreateStatefulIssues(peer(), world), []);
  });

  it("interface missing: DC.1211 on vif_id", () => {
    only(
      vifPeerCreateStatefulIssues(peer({ vif_id: MISSING }), world),
      "DC.1211",
      ["vif_peer", "vif_id"],
      /does not exist/,
    );
  });

  it("interface not ACTIVE: DC.1205", () => {
    only(
      vifPeerCreateStatefulIssues(peer({ vif_id: VIF_PENDING }), world),
      "DC.1205",
      ["vif_peer", "vif_id"],
      /PENDING_CREATE, not ACTIVE/,
    );
  });

  it("a second peer of one family: DC.0001 on address_family naming the first", () => {
    only(
      vifPeerCreateStatefulIssues(
        peer({ address_family: "ipv4", remote_gateway_ip: "10.0.9.1/30", local_gateway_ip: "10.0.9.2/30" }),
        world,
      ),
      "DC.0001",
      ["vif_peer", "address_family"],
      /already has an ipv4 peer \(peer p1\)/,
    );
  });

  it("ASN equal to the gateway's: DC.1223 for BGP; static peers carry no ASN rule", () => {
    only(
      vifPeerCreateStatefulIssues(peer({ bgp_asn: 64512 }), world),
      "DC.1223",
      ["vif_peer", "bgp_asn"],
      /64512 is the ASN of gateway/,
    );
    assert.deepEqual(
      vifPeerCreateStatefulIssues(peer({ route_mode: "static", bgp_asn: undefined }), world),
      [],
    );
  });

  it("IPv4 peer /30 of another interface: DC.0004; its own interface's /30 is not a conflict", () => {
    const w = worldOf({
      connections: [],
      gateways: [{ id: GW, local_ep_group: ["172.16.0.0/16"], bgp_asn: 64512 }],
      interfaces: [
        { ...live, peers: [] },
        { ...live, id: VIF_PENDING, label: "other", networks: ["10.0.0.4/30"] },
      ],
    });
    const p4 = (ip: string, ip2: string) =>
      peer({ address_family: "ipv4", remote_gateway_ip: ip, local_gateway_ip: ip2 });
    only(
      vifPeerCreateStatefulIssues(p4("10.0.0.5/30", "10.0.0.6/30"), w),
      "DC.0004",
      ["vif_peer", "remote_gateway_ip"],
      /overlaps a subnet already used by other/,
    );
    assert.deepEqual(vifPeerCreateStatefulIssues(p4("10.0.0.1/30", "10.0.0.2/30"), w), []);
  });

  it("unknown vif_id skips every peer rule", () => {
    assert.deepEqual(
      vifPeerCreateStatefulIssues(peer({ vif_id: PULUMI_UNKNOWN, bgp_asn: 64512 }), world, {
        isUnknown: isPulumiUnknown,
      }),
      [],
    );
  });

  it("update: IPv4 remote subnets inside the VPC: DC.0004; IPv6 peers are not checked", () => {
    only(
      vifPeerUpdateStatefulIssues({ remote_ep_group: ["172.16.1.0/24"] }, live, "ipv4", world),
      "DC.0004",
      ["vif_peer", "remote_ep_group", "0"],
      /overlaps the VPC block/,
    );
    assert.deepEqual(
      vifPeerUpdateStatefulIssues({ remote_ep_group: ["172.16.1.0/24"] }, live, "ipv6", world),
      [],
    );
  });
});

describe("api/stateful: per rule profile", () => {
  const hw = worldOf({
    connections: [{ id: CONN, type: "hosted", status: "ACTIVE", bandwidth: 100, vlan: 400 }],
    gateways: [{ id: GW, local_ep_group: ["172.16.0.0/16"], bgp_asn: 64512 }],
    interfaces: [],
  });

  it("huawei: the VLAN must equal the hosted connection's (DC.1207); equal passes", () => {
    only(
      hostedVifCreateStatefulIssues(vif({ vlan: 401 }), hw, { profile: "huawei" }),
      "DC.1207",
      ["virtual_interface", "vlan"],
      /huawei profile/,
    );
    assert.deepEqual(hostedVifCreateStatefulIssues(vif({ vlan: 400 }), hw, { profile: "huawei" }), []);
  });

  it("jd-hosted: the customer picks the VLAN, whatever the connection's", () => {
    assert.deepEqual(hostedVifCreateStatefulIssues(vif({ vlan: 401 }), hw, { profile: "jd-hosted" }), []);
    assert.deepEqual(hostedVifCreateStatefulIssues(vif({ vlan: 401 }), hw), []);
  });

  for (const profile of ["jd-hosted", "huawei"] as const) {
    it(`${profile}: bandwidth within the connection's, VLAN free, ASN not the gateway's, subnets clear`, () => {
      const w = worldOf({
        connections: [{ id: CONN, type: "hosted", status: "ACTIVE", bandwidth: 100, vlan: 301 }],
        gateways: [{ id: GW, local_ep_group: ["172.16.0.0/16"], bgp_asn: 64512 }],
        interfaces: [live],
      });
      const ok = vif({ vlan: 301, bandwidth: 100, bgp_asn: 65010 });
      const isOwn = (i: InterfaceFacts) => i.id === VIF;
      assert.deepEqual(hostedVifCreateStatefulIssues(ok, w, { profile, isOwn }), []);
      only(
        hostedVifCreateStatefulIssues({ ...ok, bandwidth: 101 }, w, { profile, isOwn }),
        "DC.1000",
        ["virtual_interface", "bandwidth"],
        /exceeds/,
      );
      only(
        hostedVifCreateStatefulIssues(ok, w, { profile }),
        "DC.1209",
        ["virtual_interface", "vlan"],
        /already used/,
      );
      only(
        hostedVifCreateStatefulIssues({ ...ok, bgp_asn: 64512 }, w, { profile, isOwn }),
        "DC.1223",
        ["virtual_interface", "bgp_asn"],
        /ASN of gateway/,
      );
      only(
        hostedVifCreateStatefulIssues({ ...ok, remote_ep_group: ["172.16.2.0/24"] }, w, { profile, isOwn }),
        "DC.0004",
        ["virtual_interface", "remote_ep_group", "0"],
        /VPC block/,
      );
    });
  }
});
