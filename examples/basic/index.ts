// A BGP hosted virtual interface with an IPv6 peer: the shape most branch links take.
// Stack config (project namespace): hostedConnectionId, borderGatewayId, bgpKey (secret);
// optional: vifName, description, vlan. Provider config lives in the `dcaas` namespace.
import * as pulumi from "@pulumi/pulumi";
import { HostedVif, VifPeer } from "pulumi-dcaas";

const cfg = new pulumi.Config();

const vif = new HostedVif("branch-1", {
  name: cfg.get("vifName") ?? "branch-1",
  description: cfg.get("description") ?? "Shanghai DC, rack 4",
  hostedConnectionId: cfg.require("hostedConnectionId"),
  borderGatewayId: cfg.require("borderGatewayId"),
  vlan: cfg.getNumber("vlan") ?? 301,
  routeMode: "bgp",
  bgpAsn: 65010,
  bgpKey: cfg.requireSecret("bgpKey"),
  customerAddress: "10.0.0.1/30",
  cloudAddress: "10.0.0.2/30",
  standbyCustomerAddress: "10.0.0.5/30",
  standbyCloudAddress: "10.0.0.6/30",
  remoteSubnets: ["192.168.50.0/24"],
});

const v6 = new VifPeer("branch-1-v6", {
  vifId: vif.id,
  name: "branch-1-v6",
  addressFamily: "ipv6",
  customerAddress: "fd00:10::2/64",
  cloudAddress: "fd00:10::1/64",
  routeMode: "bgp",
  bgpAsn: 65010,
  remoteSubnets: ["fd00:50::/64"],
});

export const vifId = vif.id;
export const vifName = vif.name;
export const status = vif.status;
export const ipv4PeerId = vif.ipv4PeerId;
export const ipv6PeerId = v6.id;
export const ipv6PeerStatus = v6.status;
export const ipv6BgpStatus = v6.bgpStatus;
