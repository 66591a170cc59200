/**
 * pulumi-dcaas: Pulumi dynamic resources for Direct Connect hosted virtual interfaces (HostedVif)
 * and virtual interface peers (VifPeer).
 *
 * The provider objects below are serialized into every resource's state as `__provider`. They
 * capture nothing but code: each method loads the real logic from the installed package
 * (`pulumi-dcaas/impl`) at call time, and configuration comes from `configure()` or the
 * environment, so the text stays small and free of credentials and absolute paths.
 */
import * as pulumi from "@pulumi/pulumi";
import hostedVifProvider = require("./providers/hostedVif");
import vifPeerProvider = require("./providers/vifPeer");
import { redactSdkDebugLog } from "./sdkDebugLog";
import { preloadSqliteQuietly } from "./sqliteWarning";

preloadSqliteQuietly();
redactSdkDebugLog();

export { hostedVifProvider, vifPeerProvider };

/** Per-resource operation deadlines, as durations such as "90s", "20m" or "1h". */
export interface ResourceTimeouts {
  create?: string;
  update?: string;
  delete?: string;
}

/** Arguments of a HostedVif. Changing anything but name and description replaces the interface. */
export interface HostedVifArgs {
  /** 1-64 letters, digits, CJK, `-`, `_`, `.`; updatable in place. */
  name: pulumi.Input<string>;
  /** Up to 128 characters without `<` or `>`; updatable in place. */
  description?: pulumi.Input<string>;
  /** The hosted connection (ACTIVE, owned by the project). */
  hostedConnectionId: pulumi.Input<string>;
  /** The virtual (border) gateway. */
  borderGatewayId: pulumi.Input<string>;
  /** 1-3999: unique on the hosted connection (jd-hosted); equal to the hosted connection's VLAN (huawei). */
  vlan: pulumi.Input<number>;
  /** Mbit/s, at most the hosted connection's; omitted: the hosted connection's bandwidth. */
  bandwidth?: pulumi.Input<number>;
  /** "static" or "bgp". */
  routeMode: pulumi.Input<"static" | "bgp">;
  /** The customer's ASN (jd-hosted 65001-65499; huawei 1-4294967295 but not 64512); required with bgp, forbidden with static. */
  bgpAsn?: pulumi.Input<number>;
  /** BGP MD5 key (bgp only), 1-80 printable characters; kept secret. */
  bgpKey?: pulumi.Input<string>;
  /** The customer's interconnect address: a host address of a private /30, e.g. "10.0.0.1/30". */
  customerAddress: pulumi.Input<string>;
  /** The cloud's interconnect address: the other host address of the same /30. */
  cloudAddress: pulumi.Input<string>;
  /** Standby pair (high availability, jd-hosted profile only): customer side. */
  standbyCustomerAddress?: pulumi.Input<string>;
  /** Standby pair (high availability, jd-hosted profile only): cloud side. */
  standbyCloudAddress?: pulumi.Input<string>;
  /** On-premises IPv4 networks: 1-50 required with static, optional with bgp. */
  remoteSubnets?: pulumi.Input<pulumi.Input<string>[]>;
  /** Adopt this existing interface instead of creating one (`pulumi import` does not work for dynamic resources). */
  importId?: pulumi.Input<string>;
  /**
   * Allow `importId` of an interface that carries another stack's owner mark (refused otherwise:
   * two stacks managing one interface delete it under each other).
   */
  importFromOtherStack?: pulumi.Input<boolean>;
  /** Deadlines of create, update and delete; defaults come from configuration. */
  timeouts?: pulumi.Input<ResourceTimeouts>;
}

/** A hosted private virtual interface on a hosted connection. */
export class HostedVif extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly hostedConnectionId: pulumi.Output<string>;
  declare readonly borderGatewayId: pulumi.Output<string>;
  declare readonly vlan: pulumi.Output<number>;
  /** Mbit/s (the hosted connection's when the program leaves it out). */
  declare readonly bandwidth: pulumi.Output<number>;
  /** True when the program left bandwidth out and the hosted connection's was used. */
  declare readonly bandwidthFromConnection: pulumi.Output<boolean | undefined>;
  declare readonly routeMode: pulumi.Output<"static" | "bgp">;
  declare readonly bgpAsn: pulumi.Output<number | undefined>;
  declare readonly bgpKey: pulumi.Output<string | undefined>;
  declare readonly customerAddress: pulumi.Output<string>;
  declare readonly cloudAddress: pulumi.Output<string>;
  declare readonly standbyCustomerAddress: pulumi.Output<string | undefined>;
  declare readonly standbyCloudAddress: pulumi.Output<string | undefined>;
  declare readonly remoteSubnets: pulumi.Output<string[]>;
  declare readonly importId: pulumi.Output<string | undefined>;
  declare readonly importFromOtherStack: pulumi.Output<boolean | undefined>;
  declare readonly timeouts: pulumi.Output<ResourceTimeouts | undefined>;
  /** ACTIVE, DOWN, PENDING_CREATE, ERROR, ... */
  declare readonly status: pulumi.Output<string>;
  declare readonly deviceId: pulumi.Output<string>;
  declare readonly tenantId: pulumi.Output<string>;
  /** The id of the IPv4 peer the API creates with the interface. */
  declare readonly ipv4PeerId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly updatedAt: pulumi.Output<string>;

  /** Declares a hosted virtual interface. */
  constructor(name: string, args: HostedVifArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      hostedVifProvider,
      name,
      {
        description: undefined,
        bandwidth: undefined,
        bandwidthFromConnection: undefined,
        bgpAsn: undefined,
        bgpKey: undefined,
        standbyCustomerAddress: undefined,
        standbyCloudAddress: undefined,
        remoteSubnets: undefined,
        importId: undefined,
        importFromOtherStack: undefined,
        timeouts: undefined,
        status: undefined,
        deviceId: undefined,
        tenantId: undefined,
        ipv4PeerId: undefined,
        createdAt: undefined,
        updatedAt: undefined,
        ...args,
        __owner: ownerMark(name),
      },
      withSecretKey(opts),
      "dcaas",
      "HostedVif",
    );
  }
}

/** Arguments of a VifPeer. Changing anything but name and description replaces the peer. */
export interface VifPeerArgs {
  /** The virtual interface (ACTIVE) the peer belongs to. */
  vifId: pulumi.Input<string>;
  /** Up to 64 characters; updatable in place. */
  name?: pulumi.Input<string>;
  /** Up to 128 characters; updatable in place. */
  description?: pulumi.Input<string>;
  /** "ipv4" or "ipv6"; one peer per family on an interface. */
  addressFamily: pulumi.Input<"ipv4" | "ipv6">;
  /** The customer's gateway address, CIDR of the peer's family (IPv6 /64 to /127). */
  customerAddress: pulumi.Input<string>;
  /** The cloud's gateway address, same subnet. */
  cloudAddress: pulumi.Input<string>;
  /** "static" or "bgp". */
  routeMode: pulumi.Input<"static" | "bgp">;
  /** The customer's ASN, 1-4294967295 (not the gateway's own); required with bgp. */
  bgpAsn?: pulumi.Input<number>;
  /** BGP MD5 key (bgp only); kept secret. */
  bgpKey?: pulumi.Input<string>;
  /** On-premises networks of the peer's family. */
  remoteSubnets?: pulumi.Input<pulumi.Input<string>[]>;
  /** Adopt this existing peer instead of creating one. */
  importId?: pulumi.Input<string>;
  /** Allow `importId` of a peer whose interface carries another stack's owner mark. */
  importFromOtherStack?: pulumi.Input<boolean>;
  /** Deadlines of create, update and delete; defaults come from configuration. */
  timeouts?: pulumi.Input<ResourceTimeouts>;
}

/** A virtual interface peer (typically the IPv6 peer of a HostedVif). */
export class VifPeer extends pulumi.dynamic.Resource {
  declare readonly vifId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly addressFamily: pulumi.Output<"ipv4" | "ipv6">;
  declare readonly customerAddress: pulumi.Output<string>;
  declare readonly cloudAddress: pulumi.Output<string>;
  declare readonly routeMode: pulumi.Output<"static" | "bgp">;
  declare readonly bgpAsn: pulumi.Output<number | undefined>;
  declare readonly bgpKey: pulumi.Output<string | undefined>;
  declare readonly remoteSubnets: pulumi.Output<string[]>;
  declare readonly importId: pulumi.Output<string | undefined>;
  declare readonly importFromOtherStack: pulumi.Output<boolean | undefined>;
  declare readonly timeouts: pulumi.Output<ResourceTimeouts | undefined>;
  declare readonly status: pulumi.Output<string>;
  /** UP or DOWN for BGP peers; absent for static ones. */
  declare readonly bgpStatus: pulumi.Output<string | undefined>;
  declare readonly deviceId: pulumi.Output<string>;
  declare readonly tenantId: pulumi.Output<string>;
  /** Routes received over BGP; -1 for static peers. */
  declare readonly receiveRouteNum: pulumi.Output<number>;
  declare readonly bgpRouteLimit: pulumi.Output<number | undefined>;
  declare readonly enableBfd: pulumi.Output<boolean>;
  declare readonly enableNqa: pulumi.Output<boolean>;

  /** Declares a virtual interface peer. */
  constructor(name: string, args: VifPeerArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      vifPeerProvider,
      name,
      {
        name: undefined,
        description: undefined,
        bgpAsn: undefined,
        bgpKey: undefined,
        remoteSubnets: undefined,
        importId: undefined,
        importFromOtherStack: undefined,
        timeouts: undefined,
        status: undefined,
        bgpStatus: undefined,
        deviceId: undefined,
        tenantId: undefined,
        receiveRouteNum: undefined,
        bgpRouteLimit: undefined,
        enableBfd: undefined,
        enableNqa: undefined,
        ...args,
        __owner: ownerMark(name),
      },
      withSecretKey(opts),
      "dcaas",
      "VifPeer",
    );
  }
}

/**
 * The ownership mark of a resource, `<project>/<stack>/<resource name>`: the provider tags the
 * interfaces it creates with it (`pulumi-dcaas:owner`) and adopts only objects carrying it. An
 * internal input (`__` prefix): the CLI never displays it, and it never causes a diff.
 */
function ownerMark(name: string): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
}

/** The resource options with `bgpKey` always a secret output, even when the input was plain text. */
function withSecretKey(opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions {
  const extra = opts?.additionalSecretOutputs ?? [];
  return { ...opts, additionalSecretOutputs: extra.includes("bgpKey") ? extra : [...extra, "bgpKey"] };
}
