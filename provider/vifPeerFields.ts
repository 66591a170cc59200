/**
 * The field table of VifPeer: every property, where it comes from, its API field, whether it
 * changes in place, whether it is secret, how an answer maps to it. The doc comment of an entry
 * documents the argument (the text after `@output` documents the output); the reference docs
 * (docs/resources/vif-peer.md) are generated from this file.
 */
import { arg, computed, kinds, PROVIDER_INPUTS } from "./fields";

export const VIF_PEER = {
  /**
   * The virtual interface the peer belongs to: an `ACTIVE` interface of the project.
   * @output The virtual interface the peer belongs to.
   */
  vifId: arg(kinds.id, { wire: "vif_id", required: true }),
  /**
   * 0-64 characters; updatable in place.
   * @output The peer's name as the API holds it (refresh shows a rename made elsewhere as drift).
   */
  name: arg(kinds.text, { wire: "name", updatable: true, default: "" }),
  /**
   * 0-128 characters; updatable in place.
   * @output The peer's description as the API holds it ("" when none).
   */
  description: arg(kinds.text, { wire: "description", updatable: true, default: "" }),
  /**
   * "ipv4" or "ipv6"; one peer per family on an interface.
   * @output "ipv4" or "ipv6".
   */
  addressFamily: arg(kinds.family, { wire: "address_family", required: true, allocated: true }),
  /**
   * The customer's gateway address: a host address of one subnet of the peer's family (IPv4: a /30; IPv6: /64 to /127).
   * @output The customer's gateway address, canonical CIDR text.
   */
  customerAddress: arg(kinds.cidr, { wire: "remote_gateway_ip", required: true, allocated: true }),
  /**
   * The cloud's gateway address, same subnet.
   * @output The cloud's gateway address, canonical CIDR text.
   */
  cloudAddress: arg(kinds.cidr, { wire: "local_gateway_ip", required: true, allocated: true }),
  /**
   * "static" or "bgp".
   * @output "static" or "bgp".
   */
  routeMode: arg(kinds.routeMode, { wire: "route_mode", required: true, default: "static" }),
  /**
   * The customer's ASN, 1-4294967295, never the gateway's own; required with `bgp`.
   * @output The customer's ASN of a BGP peer.
   */
  bgpAsn: arg(kinds.int, { wire: "bgp_asn", maybe: true }),
  /**
   * BGP MD5 key, `bgp` only, 1-80 printable ASCII characters without whitespace; kept secret.
   * @output The BGP MD5 key; always a secret output, never copied into another output.
   */
  bgpKey: arg(kinds.text, { wire: "bgp_md5", maybe: true, emptyIsAbsent: true }),
  /**
   * On-premises networks of the peer's family.
   * @output The on-premises networks as the API holds them, canonical and sorted ([] when none).
   */
  remoteSubnets: arg(kinds.cidrs, { wire: "remote_ep_group", default: [] }),
  ...PROVIDER_INPUTS,
  /** ACTIVE, DOWN, PENDING_CREATE, ERROR, ... (`dcaas drift` reports a peer not ACTIVE as a health problem). */
  status: computed(kinds.text, { wire: "status" }),
  /** UP or DOWN for BGP peers; absent for static ones. */
  bgpStatus: computed(kinds.text, { wire: "bgp_status", maybe: true }),
  /** The cloud device that terminates the peer ("" until the API assigns one). */
  deviceId: computed(kinds.text, { wire: "device_id", default: "" }),
  /** The tenant (project) that owns the peer, as the API reports it. */
  tenantId: computed(kinds.text, { wire: "tenant_id" }),
  /** Routes received over BGP; -1 for static peers. */
  receiveRouteNum: computed(kinds.int, { wire: "receive_route_num" }),
  /** The most routes the cloud accepts over this peer's BGP session, when the API reports a limit. */
  bgpRouteLimit: computed(kinds.int, { wire: "bgp_route_limit", maybe: true }),
  /** Whether BFD runs on the peer (set by the cloud; the API offers no way to change it here). */
  enableBfd: computed(kinds.bool, { wire: "enable_bfd" }),
  /** Whether NQA probing runs on the peer (set by the cloud; the API offers no way to change it here). */
  enableNqa: computed(kinds.bool, { wire: "enable_nqa" }),
} as const;
