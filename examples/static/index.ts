// A statically routed hosted virtual interface: no BGP, the on-premises networks are listed.
// Stack config (project namespace): hostedConnectionId, borderGatewayId; optional vlan.
import * as pulumi from "@pulumi/pulumi";
import { HostedVif } from "pulumi-dcaas";

const cfg = new pulumi.Config();

const vif = new HostedVif("warehouse", {
  name: "warehouse-static",
  description: "Static routes to the warehouse LAN",
  hostedConnectionId: cfg.require("hostedConnectionId"),
  borderGatewayId: cfg.require("borderGatewayId"),
  vlan: cfg.getNumber("vlan") ?? 410,
  routeMode: "static",
  customerAddress: "192.168.200.1/30",
  cloudAddress: "192.168.200.2/30",
  remoteSubnets: ["10.40.0.0/16", "10.41.8.0/22"],
});

export const vifId = vif.id;
export const status = vif.status;
