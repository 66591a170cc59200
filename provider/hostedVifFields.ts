/**
 * The field table of HostedVif: every property, where it comes from, its API field, whether it
 * changes in place, whether it is secret, how an answer maps to it. The doc comment of an entry
 * documents the argument (the text after `@output` documents the output); the reference docs
 * (docs/resources/hosted-vif.md) are generated from this file.
 */
import { arg, computed, kinds, PROVIDER_INPUTS } from "./fields";

export const HOSTED_VIF = {
  /**
   * 1-64 letters, digits, CJK, `-`, `_`, `.`; updatable in place.
   * @output The interface's name as the API holds it (refresh shows a rename made elsewhere as drift).
   */
  name: arg(kinds.text, { wire: "name", required: true, updatable: true }),
  /**
   * Up to 128 characters without `<` or `>`; updatable in place.
   * @output The interface's description as the API holds it ("" when none).
   */
  description: arg(kinds.text, { wire: "description", updatable: true, default: "" }),
  /**
   * The hosted connection: a hosted connection of the project, `ACTIVE`.
   * @output The hosted connection the interface is on (lower-case id).
   */
  hostedConnectionId: arg(kinds.id, { wire: "direct_connect_id", required: true, allocated: true }),
  /**
   * The virtual (border) gateway: a virtual gateway of the project.
   * @output The virtual (border) gateway the interface attaches to (lower-case id).
   */
  borderGatewayId: arg(kinds.id, { wire: "vgw_id", required: true, allocated: true }),
  /**
   * 1-3999; `jd-hosted`: unique on the hosted connection; `huawei`: the hosted connection's VLAN (server-side, `DC.1207`).
   * @output The VLAN of the interface on its hosted connection.
   */
  vlan: arg(kinds.int, { wire: "vlan", required: true, allocated: true }),
  /**
   * Mbit/s, from 2 up to the hosted connection's (server-side, `DC.1000`); omitted: the provider reads
   * the hosted connection (once per run) and sends its bandwidth.
   * @output Mbit/s (the hosted connection's when the program leaves it out).
   */
  bandwidth: arg(kinds.int, { wire: "bandwidth" }),
  /** True when the program left bandwidth out and the hosted connection's was used. */
  bandwidthFromConnection: computed(kinds.bool, {
    maybe: true,
    read: (_v, carry) =>
      carry.bandwidthFromConnection === true || carry.bandwidth === undefined || carry.bandwidth === null
        ? true
        : undefined,
  }),
  /**
   * "static" or "bgp".
   * @output "static" or "bgp" (under the huawei profile the API does not report it: the program's value).
   */
  routeMode: arg(kinds.routeMode, { wire: "route_mode", required: true, absentKeeps: true }),
  /**
   * The customer's ASN: `jd-hosted` 65001-65499, `huawei` 1-4294967295 but not 64512; required with `bgp`, forbidden with `static`.
   * @output The customer's ASN (under the huawei profile the API does not report it: the program's value).
   */
  bgpAsn: arg(kinds.int, { wire: "bgp_asn", maybe: true, absentKeeps: true }),
  /**
   * BGP MD5 key, `bgp` only, 1-80 printable ASCII characters without whitespace; kept secret.
   * @output The BGP MD5 key; always a secret output, never copied into another output.
   */
  bgpKey: arg(kinds.text, {
    wire: "bgp_md5",
    secret: true,
    maybe: true,
    absentKeeps: true,
    emptyIsAbsent: true,
  }),
  /**
   * The customer's interconnect address: a host address of a private /30 (10/8, 172.16/12, 192.168/16), e.g. "10.0.0.1/30".
   * @output The customer's interconnect address, canonical CIDR text (e.g. "10.0.0.1/30").
   */
  customerAddress: arg(kinds.cidr, { wire: "remote_gateway_v4_ip", required: true, allocated: true }),
  /**
   * The cloud's interconnect address: the other host address of the same /30, e.g. "10.0.0.2/30".
   * @output The cloud's interconnect address, canonical CIDR text.
   */
  cloudAddress: arg(kinds.cidr, { wire: "local_gateway_v4_ip", required: true, allocated: true }),
  /**
   * Standby pair (high availability, `jd-hosted` only), customer side: same rules, its /30 disjoint from
   * the first (`huawei` refuses it: declare a second HostedVif on a second hosted connection).
   * @output The standby pair's customer address (jd-hosted only), canonical CIDR text.
   */
  standbyCustomerAddress: arg(kinds.cidr, {
    wire: "standby_remote_gateway_v4_ip",
    allocated: true,
    maybe: true,
    absentKeeps: true,
    emptyIsAbsent: true,
  }),
  /**
   * Standby pair (high availability, `jd-hosted` only), cloud side.
   * @output The standby pair's cloud address (jd-hosted only), canonical CIDR text.
   */
  standbyCloudAddress: arg(kinds.cidr, {
    wire: "standby_local_gateway_v4_ip",
    allocated: true,
    maybe: true,
    absentKeeps: true,
    emptyIsAbsent: true,
  }),
  /**
   * On-premises IPv4 networks without host bits: 1-50 required with `static`, optional with `bgp`.
   * @output The on-premises networks as the API holds them, canonical and sorted ([] when none).
   */
  remoteSubnets: arg(kinds.cidrs, { wire: "remote_ep_group", default: [] }),
  ...PROVIDER_INPUTS,
  /** ACTIVE, DOWN, PENDING_CREATE, ERROR, ... */
  status: computed(kinds.text, { wire: "status" }),
  /** The API's reason for the status when it gives one (an ERROR, a link DOWN), else undefined. */
  statusReason: computed(kinds.text, { wire: "reason", maybe: true, emptyIsAbsent: true }),
  /** The cloud device that terminates the interface ("" until the API assigns one). */
  deviceId: computed(kinds.text, { wire: "device_id", default: "" }),
  /** The tenant (project) that owns the interface, as the API reports it. */
  tenantId: computed(kinds.text, { wire: "tenant_id" }),
  /** The enterprise project that holds the interface ("0": the default project). */
  enterpriseProjectId: computed(kinds.text, { wire: "enterprise_project_id" }),
  /** The id of the IPv4 peer the API creates with the interface. */
  ipv4PeerId: computed(kinds.text, {
    read: (v) =>
      (v.vif_peers ?? []).find((p: { address_family: string }) => p.address_family === "ipv4")?.id ?? "",
  }),
  /** When the API created the interface (its `create_time`, ISO 8601). */
  createdAt: computed(kinds.text, { wire: "create_time" }),
  /** When the API last changed the interface (its `update_time`, ISO 8601). */
  updatedAt: computed(kinds.text, { wire: "update_time" }),
} as const;
