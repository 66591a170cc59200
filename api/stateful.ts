// Stateful rules as pure functions over a small view of the world (the hosted connection, the
// virtual gateway): each returns the issues it finds, as `rules.ts` does, and the emulator's
// backend turns them into its answer. Rules only one profile has say so in their message.
import type { Issue } from "./issues";
import type { Profile } from "./profile";

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
    {
      code: "DC.1207",
      path: ["virtual_interface", "vlan"],
      message: `vlan must equal the VLAN ${conn.vlan} of hosted connection ${conn.id} (huawei profile; got ${vlan})`,
    },
  ];
}

/** The bandwidth of a new interface (Mbit/s) must not exceed its connection's (`DC.1000`). */
export function bandwidthWithinConnection(conn: ConnectionView, bandwidth: number): Issue[] {
  if (bandwidth <= conn.bandwidth) return [];
  return [
    {
      code: "DC.1000",
      path: ["virtual_interface", "bandwidth"],
      message: `bandwidth ${bandwidth} Mbit/s exceeds the ${conn.bandwidth} Mbit/s of connection ${conn.id}.`,
    },
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
    {
      code: "DC.1223",
      path: [wrapper, "bgp_asn"],
      message: `The BGP ASN ${asn} is the same as the local (gateway) ASN.`,
    },
  ];
}
