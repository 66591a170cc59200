// The conformance table of the contract's stateless constraints: valid and invalid bodies for
// every field, each invalid case breaking exactly one rule. Run against api/rules.ts by
// test/unit/api/conformance.test.ts and replayed over HTTP against the emulator.
import type { ErrorCode } from "../../api/errors";

/** Which validator (and which route) a case exercises. */
export type ConformanceKind = "hostedVifCreate" | "hostedVifUpdate" | "vifPeerCreate" | "vifPeerUpdate";

/** The expected outcome: accepted, or refused with this code on this wire field. */
export type ConformanceExpect = { ok: true } | { code: ErrorCode; field: string };

/** One case: a request body and the expected outcome of the stateless rules. */
export interface ConformanceCase {
  /** A unique, readable case name. */
  name: string;
  /** The operation. */
  kind: ConformanceKind;
  /** The full request body, wrapper included. */
  body: unknown;
  /** The expected outcome; `field` is the wire field right under the wrapper (or the wrapper itself). */
  expect: ConformanceExpect;
}

/** The emulator's fixture hosted connection used by every hosted VIF case. */
export const CONFORMANCE_DIRECT_CONNECT_ID = "6f1c2d3e-0001-4a5b-8c9d-000000000001";
/** The emulator's fixture virtual gateway used by every hosted VIF case. */
export const CONFORMANCE_VGW_ID = "7a2b3c4d-0001-4b5c-9d0e-000000000001";
/** A placeholder `vif_id` in peer cases; an HTTP replay substitutes the id of a live ACTIVE interface. */
export const CONFORMANCE_PEER_VIF_ID = "5d6c17bc-0ebe-420b-8734-21f519e9d7ad";

const OK = { ok: true } as const;
const DEL = Symbol("delete");
type Overrides = Record<string, unknown>;

function apply(base: Overrides, overrides: Overrides, removed: readonly string[]): Overrides {
  const out: Overrides = { ...base, ...overrides };
  for (const k of removed) delete out[k];
  for (const [k, v] of Object.entries(out)) if (v === DEL) delete out[k];
  return out;
}

/** The valid BGP hosted VIF base body (inner object). */
export const HOSTED_VIF_BASE: Readonly<Overrides> = Object.freeze({
  name: "conf-vif-1",
  direct_connect_id: CONFORMANCE_DIRECT_CONNECT_ID,
  vgw_id: CONFORMANCE_VGW_ID,
  vlan: 301,
  route_mode: "bgp",
  bgp_asn: 65010,
  remote_gateway_v4_ip: "10.0.0.1/30",
  local_gateway_v4_ip: "10.0.0.2/30",
});

/** The valid static hosted VIF base body (inner object). */
export const HOSTED_VIF_STATIC_BASE: Readonly<Overrides> = Object.freeze(
  apply(HOSTED_VIF_BASE, { route_mode: "static", remote_ep_group: ["192.168.50.0/24"] }, ["bgp_asn"]),
);

/** The valid IPv6 BGP peer base body (inner object). */
export const VIF_PEER_BASE: Readonly<Overrides> = Object.freeze({
  name: "conf-peer-v6",
  vif_id: CONFORMANCE_PEER_VIF_ID,
  address_family: "ipv6",
  local_gateway_ip: "fd00:1::1/64",
  remote_gateway_ip: "fd00:1::2/64",
  route_mode: "bgp",
  bgp_asn: 65020,
});

const vif = (o: Overrides = {}, removed: string[] = []) => ({
  virtual_interface: apply(HOSTED_VIF_BASE, o, removed),
});
const vifStatic = (o: Overrides = {}, removed: string[] = []) => ({
  virtual_interface: apply(HOSTED_VIF_STATIC_BASE, o, removed),
});
const peer = (o: Overrides = {}, removed: string[] = []) => ({ vif_peer: apply(VIF_PEER_BASE, o, removed) });
const err = (code: ErrorCode, field: string) => ({ code, field });

const cidrs = (n: number, family: "ipv4" | "ipv6" = "ipv4") =>
  Array.from({ length: n }, (_, i) =>
    family === "ipv4" ? `192.168.${100 + i}.0/24` : `fd00:${100 + i}::/48`,
  );

const hostedVifCreate: Array<[string, unknown, ConformanceExpect]> = [
  // valid
  ["valid: bgp base", vif(), OK],
  ["valid: static base with remote_ep_group", vifStatic(), OK],
  ["valid: bgp with bgp_md5", vif({ bgp_md5: "s3cr3t-key" }), OK],
  ["valid: bgp_md5 of 80 characters", vif({ bgp_md5: "k".repeat(80) }), OK],
  ["valid: bgp with remote_ep_group", vif({ remote_ep_group: ["192.168.50.0/24", "10.200.0.0/16"] }), OK],
  ["valid: bgp with empty remote_ep_group", vif({ remote_ep_group: [] }), OK],
  ["valid: static with 50 remote networks", vifStatic({ remote_ep_group: cidrs(50) }), OK],
  ["valid: description", vif({ description: "branch office link" }), OK],
  ["valid: empty description", vif({ description: "" }), OK],
  ["valid: name with CJK, dot, underscore", vif({ name: "专线_branch.1" }), OK],
  ["valid: name of 64 characters", vif({ name: "n".repeat(64) }), OK],
  ["valid: name of 1 character", vif({ name: "n" }), OK],
  ["valid: vlan 1", vif({ vlan: 1 }), OK],
  ["valid: vlan 3999", vif({ vlan: 3999 }), OK],
  ["valid: bgp_asn 65001", vif({ bgp_asn: 65001 }), OK],
  ["valid: bgp_asn 65499", vif({ bgp_asn: 65499 }), OK],
  [
    "valid: addresses the other way round",
    vif({ remote_gateway_v4_ip: "10.0.0.2/30", local_gateway_v4_ip: "10.0.0.1/30" }),
    OK,
  ],
  [
    "valid: interconnect in 172.16/12 (outside the VPC block)",
    vif({ remote_gateway_v4_ip: "172.20.0.1/30", local_gateway_v4_ip: "172.20.0.2/30" }),
    OK,
  ],
  [
    "valid: interconnect in 192.168/16",
    vif({ remote_gateway_v4_ip: "192.168.1.1/30", local_gateway_v4_ip: "192.168.1.2/30" }),
    OK,
  ],
  [
    "valid: standby pair",
    vif({ standby_remote_gateway_v4_ip: "10.0.0.5/30", standby_local_gateway_v4_ip: "10.0.0.6/30" }),
    OK,
  ],
  ["valid: type private", vif({ type: "private" }), OK],
  ["valid: bandwidth 2", vif({ bandwidth: 2 }), OK],
  ["valid: service_type VGW", vif({ service_type: "VGW" }), OK],
  ["valid: address_family ipv4", vif({ address_family: "ipv4" }), OK],
  ["valid: priority low with bgp", vif({ priority: "low" }), OK],
  ["valid: enable_bfd", vif({ enable_bfd: true, enable_nqa: false }), OK],
  ["valid: enable_nqa", vif({ enable_nqa: true }), OK],
  ["valid: enterprise_project_id 0", vif({ enterprise_project_id: "0" }), OK],
  [
    "valid: tags",
    vif({
      tags: [
        { key: "env", value: "prod" },
        { key: "team", value: "" },
      ],
    }),
    OK,
  ],

  // the envelope
  ["invalid: body is an array", [], err("DC.0000", "virtual_interface")],
  ["invalid: body is null", null, err("DC.0000", "virtual_interface")],
  ["invalid: wrapper missing", { ...HOSTED_VIF_BASE }, err("DC.0000", "virtual_interface")],
  ["invalid: wrapper not an object", { virtual_interface: "vif" }, err("DC.0000", "virtual_interface")],
  ["invalid: extra top-level field", { ...vif(), dry_run: true }, err("DC.0001", "dry_run")],
  ["invalid: unknown field", vif({ colour: "blue" }), err("DC.0001", "colour")],
  [
    "invalid: extend_attribute is not a create field",
    vif({ extend_attribute: {} }),
    err("DC.0001", "extend_attribute"),
  ],

  // name
  ["invalid: name missing", vif({}, ["name"]), err("DC.0001", "name")],
  ["invalid: name empty", vif({ name: "" }), err("DC.0001", "name")],
  ["invalid: name of 65 characters", vif({ name: "n".repeat(65) }), err("DC.0001", "name")],
  ["invalid: name with a space and !", vif({ name: "bad name!" }), err("DC.0001", "name")],
  ["invalid: name not a string", vif({ name: 5 }), err("DC.0001", "name")],

  // description
  [
    "invalid: description of 129 characters",
    vif({ description: "d".repeat(129) }),
    err("DC.0001", "description"),
  ],
  ["invalid: description with < >", vif({ description: "<b>link</b>" }), err("DC.0001", "description")],
  ["invalid: description null", vif({ description: null }), err("DC.0001", "description")],

  // ids
  ["invalid: direct_connect_id missing", vif({}, ["direct_connect_id"]), err("DC.0001", "direct_connect_id")],
  [
    "invalid: direct_connect_id not a UUID",
    vif({ direct_connect_id: "dc-1" }),
    err("DC.0001", "direct_connect_id"),
  ],
  ["invalid: vgw_id missing", vif({}, ["vgw_id"]), err("DC.0001", "vgw_id")],
  ["invalid: vgw_id not a UUID", vif({ vgw_id: "7a2b3c4d-0001" }), err("DC.0001", "vgw_id")],

  // type
  ["invalid: type public", vif({ type: "public" }), err("DC.0001", "type")],

  // vlan
  ["invalid: vlan missing", vif({}, ["vlan"]), err("DC.0001", "vlan")],
  ["invalid: vlan 0", vif({ vlan: 0 }), err("DC.0001", "vlan")],
  ["invalid: vlan 4000", vif({ vlan: 4000 }), err("DC.0001", "vlan")],
  ["invalid: vlan fractional", vif({ vlan: 301.5 }), err("DC.0001", "vlan")],
  ["invalid: vlan as a string", vif({ vlan: "301" }), err("DC.0001", "vlan")],

  // route_mode
  ["invalid: route_mode missing", vif({}, ["route_mode"]), err("DC.0001", "route_mode")],
  ["invalid: route_mode ospf", vif({ route_mode: "ospf" }), err("DC.0001", "route_mode")],
  ["invalid: route_mode upper case", vif({ route_mode: "BGP" }), err("DC.0001", "route_mode")],

  // bgp_asn
  ["invalid: bgp without bgp_asn", vif({}, ["bgp_asn"]), err("DC.1203", "bgp_asn")],
  ["invalid: bgp_asn 64512 (the cloud's)", vif({ bgp_asn: 64512 }), err("DC.0008", "bgp_asn")],
  ["invalid: bgp_asn 65000", vif({ bgp_asn: 65000 }), err("DC.0008", "bgp_asn")],
  ["invalid: bgp_asn 65500", vif({ bgp_asn: 65500 }), err("DC.0008", "bgp_asn")],
  ["invalid: bgp_asn as a string", vif({ bgp_asn: "65010" }), err("DC.0001", "bgp_asn")],
  ["invalid: bgp_asn with static", vifStatic({ bgp_asn: 65010 }), err("DC.0001", "bgp_asn")],

  // bgp_md5
  ["invalid: bgp_md5 with whitespace", vif({ bgp_md5: "has space" }), err("DC.0001", "bgp_md5")],
  ["invalid: bgp_md5 empty", vif({ bgp_md5: "" }), err("DC.0001", "bgp_md5")],
  ["invalid: bgp_md5 of 81 characters", vif({ bgp_md5: "k".repeat(81) }), err("DC.0001", "bgp_md5")],
  ["invalid: bgp_md5 not ASCII", vif({ bgp_md5: "clé-secrète" }), err("DC.0001", "bgp_md5")],
  ["invalid: bgp_md5 with static", vifStatic({ bgp_md5: "s3cr3t" }), err("DC.0001", "bgp_md5")],

  // primary interconnect pair
  [
    "invalid: remote_gateway_v4_ip missing",
    vif({}, ["remote_gateway_v4_ip"]),
    err("DC.0001", "remote_gateway_v4_ip"),
  ],
  [
    "invalid: local_gateway_v4_ip missing",
    vif({}, ["local_gateway_v4_ip"]),
    err("DC.0001", "local_gateway_v4_ip"),
  ],
  [
    "invalid: remote address without prefix",
    vif({ remote_gateway_v4_ip: "10.0.0.1" }),
    err("DC.0004", "remote_gateway_v4_ip"),
  ],
  [
    "invalid: remote address not an IP",
    vif({ remote_gateway_v4_ip: "10.0.0.256/30" }),
    err("DC.0004", "remote_gateway_v4_ip"),
  ],
  [
    "invalid: remote address /29",
    vif({ remote_gateway_v4_ip: "10.0.0.1/29" }),
    err("DC.0004", "remote_gateway_v4_ip"),
  ],
  [
    "invalid: remote address is the /30 network",
    vif({ remote_gateway_v4_ip: "10.0.0.0/30" }),
    err("DC.0004", "remote_gateway_v4_ip"),
  ],
  [
    "invalid: remote address is the /30 broadcast",
    vif({ remote_gateway_v4_ip: "10.0.0.3/30" }),
    err("DC.0004", "remote_gateway_v4_ip"),
  ],
  [
    "invalid: remote address is IPv6",
    vif({ remote_gateway_v4_ip: "fd00::1/126" }),
    err("DC.0004", "remote_gateway_v4_ip"),
  ],
  [
    "invalid: public interconnect addresses",
    vif({ remote_gateway_v4_ip: "12.3.4.1/30", local_gateway_v4_ip: "10.0.0.2/30" }),
    err("DC.0004", "remote_gateway_v4_ip"),
  ],
  [
    "invalid: local address outside 172.16/12",
    vif({ local_gateway_v4_ip: "172.32.0.2/30" }),
    err("DC.0004", "local_gateway_v4_ip"),
  ],
  [
    "invalid: addresses in different /30s",
    vif({ local_gateway_v4_ip: "10.0.0.6/30" }),
    err("DC.0004", "local_gateway_v4_ip"),
  ],
  [
    "invalid: addresses equal",
    vif({ local_gateway_v4_ip: "10.0.0.1/30" }),
    err("DC.0004", "local_gateway_v4_ip"),
  ],

  // standby pair
  [
    "invalid: standby remote without standby local",
    vif({ standby_remote_gateway_v4_ip: "10.0.0.5/30" }),
    err("DC.0001", "standby_local_gateway_v4_ip"),
  ],
  [
    "invalid: standby local without standby remote",
    vif({ standby_local_gateway_v4_ip: "10.0.0.6/30" }),
    err("DC.0001", "standby_remote_gateway_v4_ip"),
  ],
  [
    "invalid: standby /30 equals the primary /30",
    vif({ standby_remote_gateway_v4_ip: "10.0.0.2/30", standby_local_gateway_v4_ip: "10.0.0.1/30" }),
    err("DC.0004", "standby_remote_gateway_v4_ip"),
  ],
  [
    "invalid: standby addresses in different /30s",
    vif({ standby_remote_gateway_v4_ip: "10.0.0.5/30", standby_local_gateway_v4_ip: "10.0.0.10/30" }),
    err("DC.0004", "standby_local_gateway_v4_ip"),
  ],
  [
    "invalid: standby remote is the broadcast address",
    vif({ standby_remote_gateway_v4_ip: "10.0.0.7/30", standby_local_gateway_v4_ip: "10.0.0.6/30" }),
    err("DC.0004", "standby_remote_gateway_v4_ip"),
  ],

  // remote_ep_group
  [
    "invalid: static without remote_ep_group",
    vifStatic({}, ["remote_ep_group"]),
    err("DC.0001", "remote_ep_group"),
  ],
  [
    "invalid: static with empty remote_ep_group",
    vifStatic({ remote_ep_group: [] }),
    err("DC.0001", "remote_ep_group"),
  ],
  [
    "invalid: 51 remote networks",
    vifStatic({ remote_ep_group: cidrs(51) }),
    err("DC.0001", "remote_ep_group"),
  ],
  [
    "invalid: remote network with host bits",
    vifStatic({ remote_ep_group: ["192.168.50.1/24"] }),
    err("DC.0004", "remote_ep_group"),
  ],
  [
    "invalid: remote network not CIDR",
    vifStatic({ remote_ep_group: ["192.168.50.0"] }),
    err("DC.0004", "remote_ep_group"),
  ],
  [
    "invalid: remote network IPv6",
    vifStatic({ remote_ep_group: ["fd00:100::/56"] }),
    err("DC.0004", "remote_ep_group"),
  ],
  [
    "invalid: duplicate remote networks",
    vifStatic({ remote_ep_group: ["192.168.50.0/24", "192.168.50.0/24"] }),
    err("DC.0001", "remote_ep_group"),
  ],
  [
    "invalid: remote_ep_group not an array",
    vifStatic({ remote_ep_group: "192.168.50.0/24" }),
    err("DC.0001", "remote_ep_group"),
  ],

  // Huawei-defined fields
  ["invalid: bandwidth 1", vif({ bandwidth: 1 }), err("DC.0001", "bandwidth")],
  ["invalid: bandwidth as a string", vif({ bandwidth: "100" }), err("DC.0001", "bandwidth")],
  ["invalid: service_type GDGW", vif({ service_type: "GDGW" }), err("DC.0001", "service_type")],
  ["invalid: address_family ipv6", vif({ address_family: "ipv6" }), err("DC.0001", "address_family")],
  ["invalid: priority high", vif({ priority: "high" }), err("DC.0001", "priority")],
  ["invalid: priority with static", vifStatic({ priority: "normal" }), err("DC.0001", "priority")],
  ["invalid: enable_bfd not a boolean", vif({ enable_bfd: "yes" }), err("DC.0001", "enable_bfd")],
  [
    "invalid: enable_bfd and enable_nqa",
    vif({ enable_bfd: true, enable_nqa: true }),
    err("DC.0001", "enable_nqa"),
  ],
  ["invalid: lag_id", vif({ lag_id: "9c1d2e3f-0001-4a5b-8c9d-000000000001" }), err("DC.0001", "lag_id")],
  [
    "invalid: gateway_id",
    vif({ gateway_id: "9c1d2e3f-0001-4a5b-8c9d-000000000002" }),
    err("DC.0001", "gateway_id"),
  ],
  [
    "invalid: service_ep_group",
    vif({ service_ep_group: ["100.64.0.0/24"] }),
    err("DC.0001", "service_ep_group"),
  ],
  [
    "invalid: local_gateway_v6_ip",
    vif({ local_gateway_v6_ip: "fd00::1/126" }),
    err("DC.0001", "local_gateway_v6_ip"),
  ],
  [
    "invalid: remote_gateway_v6_ip",
    vif({ remote_gateway_v6_ip: "fd00::2/126" }),
    err("DC.0001", "remote_gateway_v6_ip"),
  ],
  [
    "invalid: enterprise_project_id",
    vif({ enterprise_project_id: "default" }),
    err("DC.0001", "enterprise_project_id"),
  ],
  [
    "invalid: resource_tenant_id",
    vif({ resource_tenant_id: "tenant-b" }),
    err("DC.0001", "resource_tenant_id"),
  ],
  [
    "invalid: 11 tags",
    vif({ tags: Array.from({ length: 11 }, (_, i) => ({ key: `k${i}`, value: "v" })) }),
    err("DC.0001", "tags"),
  ],
  ["invalid: tag key _sys_", vif({ tags: [{ key: "_sys_owner", value: "x" }] }), err("DC.0001", "tags")],
  [
    "invalid: duplicate tag keys",
    vif({
      tags: [
        { key: "env", value: "a" },
        { key: "env", value: "b" },
      ],
    }),
    err("DC.0001", "tags"),
  ],
  [
    "invalid: tag with extra field",
    vif({ tags: [{ key: "env", value: "a", ttl: 1 }] }),
    err("DC.0001", "tags"),
  ],
];

const hostedVifUpdate: Array<[string, unknown, ConformanceExpect]> = [
  ["valid: rename", { virtual_interface: { name: "renamed-vif" } }, OK],
  ["valid: clear description", { virtual_interface: { description: "" } }, OK],
  ["valid: name and description", { virtual_interface: { name: "vif.2", description: "moved" } }, OK],
  ["invalid: wrapper missing", { name: "renamed" }, err("DC.0000", "virtual_interface")],
  ["invalid: nothing to change", { virtual_interface: {} }, err("DC.0001", "virtual_interface")],
  ["invalid: vlan is immutable", { virtual_interface: { vlan: 302 } }, err("DC.0001", "vlan")],
  [
    "invalid: bandwidth is not updatable here",
    { virtual_interface: { bandwidth: 10 } },
    err("DC.0001", "bandwidth"),
  ],
  [
    "invalid: remote_ep_group is not updatable here",
    { virtual_interface: { remote_ep_group: [] } },
    err("DC.0001", "remote_ep_group"),
  ],
  ["invalid: unknown field", { virtual_interface: { colour: "blue" } }, err("DC.0001", "colour")],
  ["invalid: empty name", { virtual_interface: { name: "" } }, err("DC.0001", "name")],
  ["invalid: name with a space", { virtual_interface: { name: "bad name" } }, err("DC.0001", "name")],
  [
    "invalid: description with <",
    { virtual_interface: { description: "a<b" } },
    err("DC.0001", "description"),
  ],
];

const vifPeerCreate: Array<[string, unknown, ConformanceExpect]> = [
  ["valid: IPv6 bgp base", peer(), OK],
  [
    "valid: IPv6 static with remote_ep_group",
    peer({ route_mode: "static", remote_ep_group: ["fd00:100::/56"] }, ["bgp_asn"]),
    OK,
  ],
  ["valid: route_mode absent means static", peer({}, ["route_mode", "bgp_asn"]), OK],
  ["valid: /127 link", peer({ local_gateway_ip: "fd00:1::/127", remote_gateway_ip: "fd00:1::1/127" }), OK],
  ["valid: /126 link", peer({ local_gateway_ip: "fd00:1::1/126", remote_gateway_ip: "fd00:1::2/126" }), OK],
  ["valid: address_family in capitals", peer({ address_family: "IPv6" }), OK],
  [
    "valid: upper-case IPv6 text",
    peer({ local_gateway_ip: "FD00:1::1/64", remote_gateway_ip: "FD00:1:0:0::2/64" }),
    OK,
  ],
  ["valid: bgp_md5", peer({ bgp_md5: "peer-key" }), OK],
  ["valid: bgp_asn 1", peer({ bgp_asn: 1 }), OK],
  ["valid: bgp_asn 4294967295", peer({ bgp_asn: 4294967295 }), OK],
  ["valid: empty name and description", peer({ name: "", description: "" }), OK],
  ["valid: bgp with remote_ep_group", peer({ remote_ep_group: ["fd00:100::/56", "fd00:200::/48"] }), OK],

  ["invalid: wrapper missing", { ...VIF_PEER_BASE }, err("DC.0000", "vif_peer")],
  ["invalid: wrapper not an object", { vif_peer: [] }, err("DC.0000", "vif_peer")],
  ["invalid: unknown field", peer({ vlan: 301 }), err("DC.0001", "vlan")],
  ["invalid: name of 65 characters", peer({ name: "p".repeat(65) }), err("DC.0001", "name")],
  ["invalid: name not a string", peer({ name: 1 }), err("DC.0001", "name")],
  [
    "invalid: description of 129 characters",
    peer({ description: "d".repeat(129) }),
    err("DC.0001", "description"),
  ],
  ["invalid: address_family missing", peer({}, ["address_family"]), err("DC.0001", "address_family")],
  ["invalid: address_family ipv5", peer({ address_family: "ipv5" }), err("DC.0001", "address_family")],
  ["invalid: local_gateway_ip missing", peer({}, ["local_gateway_ip"]), err("DC.0001", "local_gateway_ip")],
  [
    "invalid: remote_gateway_ip missing",
    peer({}, ["remote_gateway_ip"]),
    err("DC.0001", "remote_gateway_ip"),
  ],
  [
    "invalid: local address without prefix",
    peer({ local_gateway_ip: "fd00:1::1" }),
    err("DC.0004", "local_gateway_ip"),
  ],
  [
    "invalid: local address IPv4 in an IPv6 peer",
    peer({ local_gateway_ip: "10.0.0.1/30" }),
    err("DC.0004", "local_gateway_ip"),
  ],
  ["invalid: prefix /63", peer({ local_gateway_ip: "fd00:1::1/63" }), err("DC.0004", "local_gateway_ip")],
  ["invalid: prefix /128", peer({ remote_gateway_ip: "fd00:1::2/128" }), err("DC.0004", "remote_gateway_ip")],
  [
    "invalid: subnet-router anycast address",
    peer({ remote_gateway_ip: "fd00:1::/64" }),
    err("DC.0004", "remote_gateway_ip"),
  ],
  [
    "invalid: multicast address",
    peer({ remote_gateway_ip: "ff02::2/64" }),
    err("DC.0004", "remote_gateway_ip"),
  ],
  [
    "invalid: addresses in different subnets",
    peer({ remote_gateway_ip: "fd00:2::2/64" }),
    err("DC.0004", "local_gateway_ip"),
  ],
  [
    "invalid: addresses with different prefixes",
    peer({ remote_gateway_ip: "fd00:1::2/65" }),
    err("DC.0004", "local_gateway_ip"),
  ],
  [
    "invalid: addresses equal",
    peer({ remote_gateway_ip: "fd00:1::1/64" }),
    err("DC.0004", "local_gateway_ip"),
  ],
  [
    "invalid: IPv4 peer address is the /30 network",
    peer({ address_family: "ipv4", local_gateway_ip: "10.0.0.0/30", remote_gateway_ip: "10.0.0.2/30" }),
    err("DC.0004", "local_gateway_ip"),
  ],
  [
    "invalid: IPv4 peer address not /30",
    peer({ address_family: "ipv4", local_gateway_ip: "10.0.0.1/24", remote_gateway_ip: "10.0.0.2/30" }),
    err("DC.0004", "local_gateway_ip"),
  ],
  ["invalid: route_mode rip", peer({ route_mode: "rip" }), err("DC.0001", "route_mode")],
  ["invalid: bgp without bgp_asn", peer({}, ["bgp_asn"]), err("DC.1203", "bgp_asn")],
  ["invalid: bgp_asn 0", peer({ bgp_asn: 0 }), err("DC.0008", "bgp_asn")],
  ["invalid: bgp_asn 4294967296", peer({ bgp_asn: 4294967296 }), err("DC.0008", "bgp_asn")],
  ["invalid: bgp_asn as a string", peer({ bgp_asn: "65020" }), err("DC.0001", "bgp_asn")],
  ["invalid: bgp_asn with static", peer({ route_mode: "static" }), err("DC.0001", "bgp_asn")],
  ["invalid: bgp_asn with route_mode absent", peer({}, ["route_mode"]), err("DC.0001", "bgp_asn")],
  [
    "invalid: bgp_md5 with static",
    peer({ route_mode: "static", bgp_md5: "k" }, ["bgp_asn"]),
    err("DC.0001", "bgp_md5"),
  ],
  ["invalid: bgp_md5 with whitespace", peer({ bgp_md5: "a b" }), err("DC.0001", "bgp_md5")],
  [
    "invalid: remote network of the other family",
    peer({ remote_ep_group: ["192.168.50.0/24"] }),
    err("DC.0004", "remote_ep_group"),
  ],
  [
    "invalid: remote network with host bits",
    peer({ remote_ep_group: ["fd00:100::1/56"] }),
    err("DC.0004", "remote_ep_group"),
  ],
  [
    "invalid: duplicate remote networks (different spelling)",
    peer({ remote_ep_group: ["fd00:100::/56", "FD00:100:0::/56"] }),
    err("DC.0001", "remote_ep_group"),
  ],
  [
    "invalid: 51 remote networks",
    peer({ remote_ep_group: cidrs(51, "ipv6") }),
    err("DC.0001", "remote_ep_group"),
  ],
  ["invalid: vif_id missing", peer({}, ["vif_id"]), err("DC.0001", "vif_id")],
  ["invalid: vif_id not a UUID", peer({ vif_id: "vif-1" }), err("DC.0001", "vif_id")],
];

const vifPeerUpdate: Array<[string, unknown, ConformanceExpect]> = [
  ["valid: rename", { vif_peer: { name: "peer-renamed" } }, OK],
  ["valid: description", { vif_peer: { description: "updated" } }, OK],
  ["valid: remote_ep_group", { vif_peer: { remote_ep_group: ["fd00:300::/56"] } }, OK],
  ["valid: all three", { vif_peer: { name: "p", description: "", remote_ep_group: ["fd00:300::/56"] } }, OK],
  ["invalid: wrapper missing", { name: "p" }, err("DC.0000", "vif_peer")],
  ["invalid: nothing to change", { vif_peer: {} }, err("DC.0001", "vif_peer")],
  ["invalid: bgp_asn is immutable", { vif_peer: { bgp_asn: 65030 } }, err("DC.0001", "bgp_asn")],
  [
    "invalid: address_family is immutable",
    { vif_peer: { address_family: "ipv4" } },
    err("DC.0001", "address_family"),
  ],
  ["invalid: unknown field", { vif_peer: { colour: "blue" } }, err("DC.0001", "colour")],
  ["invalid: name of 65 characters", { vif_peer: { name: "p".repeat(65) } }, err("DC.0001", "name")],
  [
    "invalid: remote network with host bits",
    { vif_peer: { remote_ep_group: ["fd00:300::1/56"] } },
    err("DC.0004", "remote_ep_group"),
  ],
  [
    "invalid: duplicate remote networks",
    { vif_peer: { remote_ep_group: ["fd00:300::/56", "fd00:300::/56"] } },
    err("DC.0001", "remote_ep_group"),
  ],
];

function build(kind: ConformanceKind, rows: Array<[string, unknown, ConformanceExpect]>): ConformanceCase[] {
  return rows.map(([name, body, expect]) => ({ name: `${kind}: ${name}`, kind, body, expect }));
}

/** Every conformance case, valid and invalid, for the four validated operations. */
export const CONFORMANCE_CASES: ConformanceCase[] = [
  ...build("hostedVifCreate", hostedVifCreate),
  ...build("hostedVifUpdate", hostedVifUpdate),
  ...build("vifPeerCreate", vifPeerCreate),
  ...build("vifPeerUpdate", vifPeerUpdate),
];
