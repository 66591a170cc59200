// Twenty branch links declared from a list: one BGP hosted virtual interface per branch, each on
// its own VLAN and /30, spread over two hosted connections.
// Stack config (project namespace): hostedConnectionIds (JSON list), borderGatewayId; optional count.
import * as pulumi from "@pulumi/pulumi";
import { HostedVif } from "pulumi-dcaas";

const cfg = new pulumi.Config();
const connections = cfg.requireObject<string[]>("hostedConnectionIds");
const count = cfg.getNumber("count") ?? 20;

const branches = Array.from({ length: count }, (_, i) => ({
  name: `branch-${String(i + 1).padStart(2, "0")}`,
  vlan: 1000 + i,
  asn: 65100 + i,
  // 10.20.0.0/22 holds 256 /30s; branch i uses the i-th.
  customer: `10.20.${Math.floor((i * 4) / 256)}.${((i * 4) % 256) + 1}/30`,
  cloud: `10.20.${Math.floor((i * 4) / 256)}.${((i * 4) % 256) + 2}/30`,
  lan: `192.168.${100 + i}.0/24`,
}));

const vifs = branches.map(
  (b, i) =>
    new HostedVif(b.name, {
      name: b.name,
      description: `Branch ${i + 1}`,
      hostedConnectionId: connections[i % connections.length],
      borderGatewayId: cfg.require("borderGatewayId"),
      vlan: b.vlan,
      routeMode: "bgp",
      bgpAsn: b.asn,
      customerAddress: b.customer,
      cloudAddress: b.cloud,
      remoteSubnets: [b.lan],
    }),
);

export const interfaces = vifs.map((v) => ({ name: v.name, id: v.id, vlan: v.vlan, status: v.status }));
export const activeCount = pulumi
  .all(vifs.map((v) => v.status))
  .apply((s) => s.filter((x) => x === "ACTIVE").length);
