// The stateful rules of the contract: what a create may do given the rest of the world (the
// hosted connection, the gateway, the live interfaces and their peers). Pure functions over a
// small read-only view, shared by the emulator (over its store, inside its transaction) and the
// provider (`check`, over a view read from the API with GETs). They return the same issues as the
// stateless rules of ./rules; a rule whose inputs are unknown (preview) or invalid is skipped.
import { STATEFUL_RULE_CODES } from "./errors";
import { type Issue, issueOf } from "./issues";
import { cidrsOverlap, formatCidr, networkOf, parseCidr } from "./net";
import type { Profile } from "./profile";

/** What the rules need to know about a connection. */
export interface ConnectionFacts {
  /** The connection's id. */
  id: string;
  /** `hosted`, `standard`, ... */
  type: string;
  /** `ACTIVE`, `DOWN`, ... */
  status: string;
  /** Mbit/s. */
  bandwidth: number;
  /** The VLAN the partner assigned to the hosted connection (Huawei); null or absent in the JD model. */
  vlan?: number | null;
}

/** What the rules need to know about a virtual gateway. */
export interface GatewayFacts {
  /** The gateway's id. */
  id: string;
  /** The VPC's CIDR blocks. */
  local_ep_group: readonly string[];
  /** The cloud side's ASN. */
  bgp_asn: number;
}

/** A live interface (or one another resource of the same program is about to create). */
export interface InterfaceFacts {
  /** The interface's id (for a program's resource: a placeholder that no live object has). */
  id: string;
  /** How a message names it: `virtual interface <id> ("name")` or `resource "x" of this program`. */
  label: string;
  /** Its hosted connection. */
  direct_connect_id: string;
  /** Its gateway. */
  vgw_id: string;
  /** Its VLAN on the connection. */
  vlan: number;
  /** `ACTIVE`, `PENDING_CREATE`, ... */
  status: string;
  /** Its interconnect networks (primary and standby /30s, canonical network text). */
  networks: readonly string[];
  /** Its peers: address family and how a message names each. */
  peers: readonly { address_family: string; label: string }[];
}

/**
 * The world as the rules see it. Lookups rather than lists, so the emulator answers from its
 * indexes and the provider from what it read; `undefined` means "does not exist".
 */
export interface WorldView {
  /** The connection with this id, if the project has it. */
  connection(id: string): ConnectionFacts | undefined;
  /** The gateway with this id, if the project has it. */
  gateway(id: string): GatewayFacts | undefined;
  /** The interface with this id, if the project has it. */
  interface(id: string): InterfaceFacts | undefined;
  /** Live interfaces on the connection that use the VLAN. */
  interfacesWithVlan(connectionId: string, vlan: number): InterfaceFacts[];
  /** Live interfaces on the gateway whose interconnect networks overlap the network. */
  interfacesOverlapping(gatewayId: string, network: string): InterfaceFacts[];
}

/** Options of the stateful rules. */
export interface StatefulOptions {
  /** Tells whether a value is still unknown (preview); rules that need it are skipped. */
  isUnknown?: (v: unknown) => boolean;
  /** Interfaces that are the caller's own (its live object during an update): never a conflict. */
  isOwn?: (iface: InterfaceFacts) => boolean;
  /** The rule profile (default `jd-hosted`): `huawei` wants the VLAN equal to the connection's. */
  profile?: Profile;
}

const W_VIF = "virtual_interface";
const W_PEER = "vif_peer";

function usable(v: unknown, opts: StatefulOptions): boolean {
  return v !== undefined && v !== null && !(opts.isUnknown?.(v) ?? false);
}

function knownString(v: unknown, opts: StatefulOptions): v is string {
  return typeof v === "string" && usable(v, opts);
}

function knownInt(v: unknown, opts: StatefulOptions): v is number {
  return typeof v === "number" && Number.isInteger(v) && usable(v, opts);
}

/** The interconnect network of an address such as "10.0.0.1/30", or undefined when not a CIDR. */
function networkText(v: unknown, opts: StatefulOptions): string | undefined {
  if (!knownString(v, opts)) return undefined;
  const c = parseCidr(v.trim());
  return c && c.width === 32 ? formatCidr(networkOf(c)) : undefined;
}

/** Issues of the interconnect networks and remote subnets against the gateway and its interfaces. */
function subnetIssues(
  world: WorldView,
  gw: GatewayFacts,
  wrapper: string,
  interconnect: { field: string; network: string }[],
  remote: unknown,
  opts: StatefulOptions,
): Issue[] {
  const out: Issue[] = [];
  const code = STATEFUL_RULE_CODES.subnetOverlap;
  for (const { field, network } of interconnect) {
    const vpc = gw.local_ep_group.find((block) => cidrsOverlap(network, block));
    if (vpc !== undefined) {
      out.push(
        issueOf(
          code,
          [wrapper, field],
          (nm) =>
            `${nm(field)}: the interconnect subnet ${network} overlaps the VPC block ${vpc} of gateway ${gw.id}`,
        ),
      );
      continue;
    }
    const holder = world.interfacesOverlapping(gw.id, network).find((i) => !(opts.isOwn?.(i) ?? false));
    if (holder) {
      out.push(
        issueOf(
          code,
          [wrapper, field],
          (nm) =>
            `${nm(field)}: the interconnect subnet ${network} overlaps a subnet already used by ${holder.label} on gateway ${gw.id}`,
        ),
      );
    }
  }
  if (Array.isArray(remote)) {
    remote.forEach((net, i) => {
      if (!knownString(net, opts) || !parseCidr(net.trim())) return;
      const vpc = gw.local_ep_group.find((block) => cidrsOverlap(net.trim(), block));
      if (vpc !== undefined) {
        out.push(
          issueOf(
            code,
            [wrapper, "remote_ep_group", String(i)],
            (nm) =>
              `${nm("remote_ep_group")}: the remote subnet ${net.trim()} overlaps the VPC block ${vpc} of gateway ${gw.id}`,
          ),
        );
      }
    });
  }
  return out;
}

/**
 * The stateful rules of a hosted interface create (`virtual_interface` body, wire names): the
 * connection exists, is hosted and ACTIVE; the gateway exists; under `huawei` the VLAN equals the
 * connection's; the bandwidth fits the connection; a BGP ASN is not the gateway's; the VLAN is
 * free on the connection; the interconnect /30s and remote subnets avoid the gateway's
 * VPC blocks and the other interfaces' /30s on the gateway. In the order the API checks them.
 */
export function hostedVifCreateStatefulIssues(
  body: Record<string, unknown>,
  world: WorldView,
  opts: StatefulOptions = {},
): Issue[] {
  const out: Issue[] = [];
  const connId = body.direct_connect_id;
  let conn: ConnectionFacts | undefined;
  if (knownString(connId, opts)) {
    conn = world.connection(connId);
    if (!conn) {
      out.push(
        issueOf(
          STATEFUL_RULE_CODES.connectionMissing,
          [W_VIF, "direct_connect_id"],
          (nm) => `${nm("direct_connect_id")}: the connection ${connId} does not exist in the project`,
        ),
      );
    } else if (conn.type !== "hosted") {
      out.push(
        issueOf(
          STATEFUL_RULE_CODES.connectionNotHosted,
          [W_VIF, "direct_connect_id"],
          (nm) =>
            `${nm("direct_connect_id")}: the connection ${conn!.id} is of type ${conn!.type}, not hosted`,
        ),
      );
    } else if (conn.status !== "ACTIVE") {
      out.push(
        issueOf(
          STATEFUL_RULE_CODES.connectionNotActive,
          [W_VIF, "direct_connect_id"],
          (nm) => `${nm("direct_connect_id")}: the connection ${conn!.id} is ${conn!.status}, not ACTIVE`,
        ),
      );
    }
  }
  const gwId = body.vgw_id;
  let gw: GatewayFacts | undefined;
  if (knownString(gwId, opts)) {
    gw = world.gateway(gwId);
    if (!gw) {
      out.push(
        issueOf(
          STATEFUL_RULE_CODES.gatewayMissing,
          [W_VIF, "vgw_id"],
          (nm) => `${nm("vgw_id")}: the virtual gateway ${gwId} does not exist in the project`,
        ),
      );
    }
  }
  if (conn && knownInt(body.vlan, opts))
    out.push(...vlanOnConnection(opts.profile ?? "jd-hosted", conn, body.vlan));
  if (conn && knownInt(body.bandwidth, opts)) out.push(...bandwidthWithinConnection(conn, body.bandwidth));
  const bgp = usable(body.route_mode, opts) && body.route_mode === "bgp";
  if (gw && bgp && knownInt(body.bgp_asn, opts)) out.push(...asnNotGateway(W_VIF, gw, body.bgp_asn));
  if (conn && knownInt(body.vlan, opts)) {
    const holder = world.interfacesWithVlan(conn.id, body.vlan).find((i) => !(opts.isOwn?.(i) ?? false));
    if (holder) {
      out.push(
        issueOf(
          STATEFUL_RULE_CODES.vlanConflict,
          [W_VIF, "vlan"],
          () => `vlan ${body.vlan} is already used on connection ${conn.id} by ${holder.label}`,
        ),
      );
    }
  }
  if (gw) {
    const interconnect: { field: string; network: string }[] = [];
    for (const field of ["remote_gateway_v4_ip", "standby_remote_gateway_v4_ip"]) {
      const network = networkText(body[field], opts);
      if (network !== undefined) interconnect.push({ field, network });
    }
    out.push(...subnetIssues(world, gw, W_VIF, interconnect, body.remote_ep_group, opts));
  }
  return out;
}

/**
 * The stateful rules of a peer create (`vif_peer` body, wire names): the interface exists and is
 * ACTIVE; it has no peer of this family yet; a BGP peer's ASN is not the gateway's own; an IPv4
 * peer's /30 and remote subnets avoid the gateway's VPC blocks and the other interfaces' /30s.
 */
export function vifPeerCreateStatefulIssues(
  body: Record<string, unknown>,
  world: WorldView,
  opts: StatefulOptions = {},
): Issue[] {
  const out: Issue[] = [];
  const vifId = body.vif_id;
  if (!knownString(vifId, opts)) return out;
  const vif = world.interface(vifId);
  if (!vif) {
    return [
      issueOf(
        STATEFUL_RULE_CODES.interfaceMissing,
        [W_PEER, "vif_id"],
        (nm) => `${nm("vif_id")}: the virtual interface ${vifId} does not exist in the project`,
      ),
    ];
  }
  if (vif.status !== "ACTIVE") {
    out.push(
      issueOf(
        STATEFUL_RULE_CODES.parentState,
        [W_PEER, "vif_id"],
        (nm) => `${nm("vif_id")}: the virtual interface ${vif.id} is ${vif.status}, not ACTIVE`,
      ),
    );
  }
  const family = body.address_family;
  if (knownString(family, opts)) {
    const taken = vif.peers.find((p) => p.address_family === family);
    if (taken) {
      out.push(
        issueOf(
          STATEFUL_RULE_CODES.peerFamilyTaken,
          [W_PEER, "address_family"],
          (nm) =>
            `${nm("address_family")}: the virtual interface ${vif.id} already has an ${family} peer (${taken.label})`,
        ),
      );
    }
  }
  const gw = world.gateway(vif.vgw_id);
  const routeMode = usable(body.route_mode, opts) ? body.route_mode : "static";
  if (gw && routeMode === "bgp" && knownInt(body.bgp_asn, opts))
    out.push(...asnNotGateway(W_PEER, gw, body.bgp_asn));
  if (gw && family === "ipv4") {
    const network = networkText(body.remote_gateway_ip, opts);
    const interconnect = network === undefined ? [] : [{ field: "remote_gateway_ip", network }];
    const mine = (i: InterfaceFacts) => i.id === vif.id || (opts.isOwn?.(i) ?? false);
    out.push(
      ...subnetIssues(world, gw, W_PEER, interconnect, body.remote_ep_group, { ...opts, isOwn: mine }),
    );
  }
  return out;
}

/** The stateful rule of a peer update: new IPv4 remote subnets avoid the gateway's VPC blocks. */
export function vifPeerUpdateStatefulIssues(
  body: Record<string, unknown>,
  vif: InterfaceFacts | undefined,
  addressFamily: string,
  world: WorldView,
  opts: StatefulOptions = {},
): Issue[] {
  if (!vif || addressFamily !== "ipv4" || !Array.isArray(body.remote_ep_group)) return [];
  const gw = world.gateway(vif.vgw_id);
  return gw ? subnetIssues(world, gw, W_PEER, [], body.remote_ep_group, opts) : [];
}

/** The stored state of an interface a huawei-profile update is judged against. */
export interface InterfaceUpdateFacts {
  /** Its hosted connection and gateway. */
  direct_connect_id: string;
  vgw_id: string;
  /** `static` or `bgp`. */
  route_mode: string;
  /** `ACTIVE`, `AUTHORIZATION`, ... */
  status: string;
  enable_bfd?: unknown;
  enable_nqa?: unknown;
}

/**
 * The stateful rules of a huawei-profile interface update (`virtual_interface` body, wire names):
 * the bandwidth fits the hosted connection (`DC.1000`); a static interface keeps at least one
 * remote subnet and new remote subnets avoid the gateway's VPC blocks; priority applies to BGP
 * interfaces only; BFD and NQA are never on together after the update; the accepter's status is
 * accepted only while the interface awaits acceptance (`AUTHORIZATION`, else `DC.1210`).
 */
export function hostedVifUpdateStatefulIssues(
  body: Record<string, unknown>,
  vif: InterfaceUpdateFacts,
  world: WorldView,
  opts: StatefulOptions = {},
): Issue[] {
  const out: Issue[] = [];
  const conn = world.connection(vif.direct_connect_id);
  if (conn && knownInt(body.bandwidth, opts)) out.push(...bandwidthWithinConnection(conn, body.bandwidth));
  if (Array.isArray(body.remote_ep_group)) {
    if (vif.route_mode === "static" && body.remote_ep_group.length === 0) {
      out.push(
        issueOf(
          "DC.0001",
          [W_VIF, "remote_ep_group"],
          (nm) =>
            `${nm("remote_ep_group")} must hold at least one network: the interface's ${nm("route_mode")} is static`,
        ),
      );
    }
    const gw = world.gateway(vif.vgw_id);
    if (gw) out.push(...subnetIssues(world, gw, W_VIF, [], body.remote_ep_group, opts));
  }
  if (body.priority !== undefined && vif.route_mode !== "bgp") {
    out.push(
      issueOf(
        "DC.0001",
        [W_VIF, "priority"],
        (nm) =>
          `priority applies to BGP virtual interfaces only (the interface's ${nm("route_mode")} is static)`,
      ),
    );
  }
  const bfd = body.enable_bfd ?? vif.enable_bfd;
  const nqa = body.enable_nqa ?? vif.enable_nqa;
  if (bfd === true && nqa === true) {
    const on = body.enable_bfd === true ? "enable_nqa" : "enable_bfd";
    out.push(
      issueOf(
        "DC.0001",
        [W_VIF, body.enable_bfd === true ? "enable_bfd" : "enable_nqa"],
        (nm) =>
          `${nm("enable_bfd")} and ${nm("enable_nqa")} cannot both be true: the interface has ${on} on; turn it off in an earlier request`,
      ),
    );
  }
  if (body.status !== undefined && vif.status !== "AUTHORIZATION") {
    out.push(
      issueOf(
        "DC.1210",
        [W_VIF, "status"],
        () =>
          `status cannot be changed: the interface is ${vif.status}; only an interface awaiting acceptance (AUTHORIZATION) can be ACCEPTED or REJECTED`,
      ),
    );
  }
  return out;
}

/** Plain facts a world view can be built from (tests, the provider's reads, program resources). */
export interface WorldFacts {
  /** Connections of the project. */
  connections: readonly ConnectionFacts[];
  /** Gateways of the project. */
  gateways: readonly GatewayFacts[];
  /** Live interfaces of the project (and, for the provider, the program's other resources). */
  interfaces: readonly InterfaceFacts[];
}

/** A world view over plain lists (linear scans: for the provider's small views and for tests). */
export function worldOf(facts: WorldFacts): WorldView {
  const lower = (s: string) => s.toLowerCase();
  return {
    connection: (id) => facts.connections.find((c) => lower(c.id) === lower(id)),
    gateway: (id) => facts.gateways.find((g) => lower(g.id) === lower(id)),
    interface: (id) => facts.interfaces.find((i) => lower(i.id) === lower(id)),
    interfacesWithVlan: (connectionId, vlan) =>
      facts.interfaces.filter((i) => lower(i.direct_connect_id) === lower(connectionId) && i.vlan === vlan),
    interfacesOverlapping: (gatewayId, network) =>
      facts.interfaces.filter(
        (i) => lower(i.vgw_id) === lower(gatewayId) && i.networks.some((n) => cidrsOverlap(n, network)),
      ),
  };
}

/** The interconnect networks of an interface body or object (primary and standby /30s). */
export function interconnectNetworks(v: {
  remote_gateway_v4_ip?: unknown;
  standby_remote_gateway_v4_ip?: unknown;
}): string[] {
  const out: string[] = [];
  for (const x of [v.remote_gateway_v4_ip, v.standby_remote_gateway_v4_ip]) {
    const n = networkText(x, {});
    if (n !== undefined) out.push(n);
  }
  return out;
}

// ---- single rules, also used on their own ----

/** The part of a hosted connection the stateful rules read. */
export interface ConnectionView {
  id: string;
  bandwidth: number;
  /** The VLAN the partner assigned to the hosted connection (Huawei); null or absent in the JD model. */
  vlan?: number | null;
}

/** The part of a virtual gateway the stateful rules read. */
export interface GatewayView {
  id: string;
  bgp_asn: number;
}

/**
 * The VLAN of a new interface against its hosted connection: under `huawei` it must equal the
 * connection's VLAN (`DC.1207`); `jd-hosted` lets the customer choose it.
 */
export function vlanOnConnection(profile: Profile, conn: ConnectionView, vlan: number): Issue[] {
  if (profile !== "huawei" || typeof conn.vlan !== "number" || conn.vlan === vlan) return [];
  return [
    issueOf(
      "DC.1207",
      ["virtual_interface", "vlan"],
      () =>
        `vlan must equal the VLAN ${conn.vlan} of hosted connection ${conn.id} (huawei profile; got ${vlan})`,
    ),
  ];
}

/** The bandwidth of a new interface (Mbit/s) must not exceed its connection's (`DC.1000`). */
export function bandwidthWithinConnection(conn: ConnectionView, bandwidth: number): Issue[] {
  if (bandwidth <= conn.bandwidth) return [];
  return [
    issueOf(
      "DC.1000",
      ["virtual_interface", "bandwidth"],
      () => `bandwidth ${bandwidth} Mbit/s exceeds the ${conn.bandwidth} Mbit/s of connection ${conn.id}.`,
    ),
  ];
}

/**
 * A customer BGP ASN (of an interface or a peer, under `wrapper`) must differ from the gateway's
 * own ASN (`DC.1223`).
 */
export function asnNotGateway(
  wrapper: "virtual_interface" | "vif_peer",
  gateway: GatewayView,
  asn: number | null | undefined,
): Issue[] {
  if (asn === undefined || asn === null || asn !== gateway.bgp_asn) return [];
  return [
    issueOf(
      "DC.1223",
      [wrapper, "bgp_asn"],
      (nm) => `${nm("bgp_asn")} ${asn} is the ASN of gateway ${gateway.id} (the cloud side of the session)`,
    ),
  ];
}
