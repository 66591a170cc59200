// A fleet of branch links declared by name: each branch gets a BGP hosted virtual interface and an
// IPv6 peer, with its hosted connection, VLAN, interconnect /30 pairs and IPv6 /64 allocated from
// one pool. Adding, removing or reordering branches never renumbers the others: a link keeps what
// it holds, by its name. `pulumi preview` shows the values each new link will get.
// Stack config (project namespace): hostedConnectionIds (JSON list), borderGatewayId; optional
// branches (JSON list of names, default branch-01..branch-NN), count (default 20), asn, vlans,
// interconnect, ipv6, holdFor.
import * as pulumi from "@pulumi/pulumi";
import { HostedVif, PoolLedger, VifPeer } from "pulumi-dcaas";
import type { PoolSpec } from "pulumi-dcaas";

const cfg = new pulumi.Config();
const count = cfg.getNumber("count") ?? 20;
const branches =
  cfg.getObject<string[]>("branches") ??
  Array.from({ length: count }, (_, i) => `branch-${String(i + 1).padStart(2, "0")}`);
const asn = cfg.getNumber("asn") ?? 65010;

// One pool for the whole fleet: where the links go and what they may use.
const pool: PoolSpec = {
  name: "branches",
  hostedConnectionIds: cfg.requireObject<string[]>("hostedConnectionIds"),
  borderGatewayId: cfg.require("borderGatewayId"),
  vlans: cfg.get("vlans") ?? "1000-1999",
  interconnect: cfg.get("interconnect") ?? "10.20.0.0/22",
  ipv6: cfg.get("ipv6") ?? "fd00:20::/56",
};

// The ledger plans the branches' slots (new ones in the order of their names, so preview and up
// agree), and holds a removed branch's VLAN and /30s back for a day before another may get them.
const ledger = new PoolLedger("branches", { pool, holdFor: cfg.get("holdFor") ?? "24h", links: branches });
const allocation = { pool, held: ledger.held };

const links = branches.map((name) => {
  const vif = new HostedVif(name, {
    name,
    description: `Branch ${name}`,
    routeMode: "bgp",
    bgpAsn: asn,
    allocation: { ...allocation, planned: ledger.slotFor(name) },
  });
  const v6 = new VifPeer(`${name}-v6`, {
    vifId: vif.id,
    name: `${name}-v6`,
    routeMode: "bgp",
    bgpAsn: asn,
    // The peer's /64 has the index of the interface's /30: it follows the interface.
    allocation: { ...allocation, pairedWith: vif.customerAddress },
  });
  return { name, vif, v6 };
});

export const interfaces = links.map(({ name, vif, v6 }) => ({
  name,
  id: vif.id,
  hostedConnectionId: vif.hostedConnectionId,
  vlan: vif.vlan,
  customerAddress: vif.customerAddress,
  cloudAddress: vif.cloudAddress,
  ipv6CustomerAddress: v6.customerAddress,
  status: vif.status,
}));
export const heldBack = ledger.held;
export const activeCount = pulumi
  .all(links.map(({ vif, v6 }) => pulumi.all([vif.status, v6.status])))
  .apply((s) => s.filter(([a, b]) => a === "ACTIVE" && b === "ACTIVE").length);
