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
  /** The hosted connection: a hosted connection of the project, `ACTIVE`. */
  hostedConnectionId: pulumi.Input<string>;
  /** The virtual (border) gateway: a virtual gateway of the project. */
  borderGatewayId: pulumi.Input<string>;
  /** 1-3999; `jd-hosted`: unique on the hosted connection; `huawei`: the hosted connection's VLAN (server-side, `DC.1207`). */
  vlan: pulumi.Input<number>;
  /**
   * Mbit/s, from 2 up to the hosted connection's (server-side, `DC.1000`); omitted: the provider reads
   * the hosted connection (once per run) and sends its bandwidth.
   */
  bandwidth?: pulumi.Input<number>;
  /** "static" or "bgp". */
  routeMode: pulumi.Input<"static" | "bgp">;
  /** The customer's ASN: `jd-hosted` 65001-65499, `huawei` 1-4294967295 but not 64512; required with `bgp`, forbidden with `static`. */
  bgpAsn?: pulumi.Input<number>;
  /** BGP MD5 key, `bgp` only, 1-80 printable ASCII characters without whitespace; kept secret. */
  bgpKey?: pulumi.Input<string>;
  /** The customer's interconnect address: a host address of a private /30 (10/8, 172.16/12, 192.168/16), e.g. "10.0.0.1/30". */
  customerAddress: pulumi.Input<string>;
  /** The cloud's interconnect address: the other host address of the same /30, e.g. "10.0.0.2/30". */
  cloudAddress: pulumi.Input<string>;
  /**
   * Standby pair (high availability, `jd-hosted` only), customer side: same rules, its /30 disjoint from
   * the first (`huawei` refuses it: declare a second HostedVif on a second hosted connection).
   */
  standbyCustomerAddress?: pulumi.Input<string>;
  /** Standby pair (high availability, `jd-hosted` only), cloud side. */
  standbyCloudAddress?: pulumi.Input<string>;
  /** On-premises IPv4 networks without host bits: 1-50 required with `static`, optional with `bgp`. */
  remoteSubnets?: pulumi.Input<pulumi.Input<string>[]>;
  /** Adopt this existing interface instead of creating one (`pulumi import` does not work for dynamic resources). */
  importId?: pulumi.Input<string>;
  /**
   * Allow `importId` of an interface that carries another stack's owner mark (refused otherwise:
   * two stacks managing one interface delete it under each other).
   */
  importFromOtherStack?: pulumi.Input<boolean>;
  /** Deadlines of create, update and delete (durations such as "90s", "20m"); defaults come from configuration. */
  timeouts?: pulumi.Input<ResourceTimeouts>;
}

/** A hosted private virtual interface on a hosted connection. */
export class HostedVif extends pulumi.dynamic.Resource {
  /** The interface's name as the API holds it (refresh shows a rename made elsewhere as drift). */
  declare readonly name: pulumi.Output<string>;
  /** The interface's description as the API holds it ("" when none). */
  declare readonly description: pulumi.Output<string>;
  /** The hosted connection the interface is on (lower-case id). */
  declare readonly hostedConnectionId: pulumi.Output<string>;
  /** The virtual (border) gateway the interface attaches to (lower-case id). */
  declare readonly borderGatewayId: pulumi.Output<string>;
  /** The VLAN of the interface on its hosted connection. */
  declare readonly vlan: pulumi.Output<number>;
  /** Mbit/s (the hosted connection's when the program leaves it out). */
  declare readonly bandwidth: pulumi.Output<number>;
  /** True when the program left bandwidth out and the hosted connection's was used. */
  declare readonly bandwidthFromConnection: pulumi.Output<boolean | undefined>;
  /** "static" or "bgp" (under the huawei profile the API does not report it: the program's value). */
  declare readonly routeMode: pulumi.Output<"static" | "bgp">;
  /** The customer's ASN (under the huawei profile the API does not report it: the program's value). */
  declare readonly bgpAsn: pulumi.Output<number | undefined>;
  /** The BGP MD5 key; always a secret output, never copied into another output. */
  declare readonly bgpKey: pulumi.Output<string | undefined>;
  /** The customer's interconnect address, canonical CIDR text (e.g. "10.0.0.1/30"). */
  declare readonly customerAddress: pulumi.Output<string>;
  /** The cloud's interconnect address, canonical CIDR text. */
  declare readonly cloudAddress: pulumi.Output<string>;
  /** The standby pair's customer address (jd-hosted only), canonical CIDR text. */
  declare readonly standbyCustomerAddress: pulumi.Output<string | undefined>;
  /** The standby pair's cloud address (jd-hosted only), canonical CIDR text. */
  declare readonly standbyCloudAddress: pulumi.Output<string | undefined>;
  /** The on-premises networks as the API holds them, canonical and sorted ([] when none). */
  declare readonly remoteSubnets: pulumi.Output<string[]>;
  /** The `importId` the program gave, carried from its inputs (never sent to the API). */
  declare readonly importId: pulumi.Output<string | undefined>;
  /** The `importFromOtherStack` the program gave, carried from its inputs. */
  declare readonly importFromOtherStack: pulumi.Output<boolean | undefined>;
  /** The per-resource deadlines the program gave, carried from its inputs. */
  declare readonly timeouts: pulumi.Output<ResourceTimeouts | undefined>;
  /** ACTIVE, DOWN, PENDING_CREATE, ERROR, ... */
  declare readonly status: pulumi.Output<string>;
  /** The API's reason for the status when it gives one (an ERROR, a link DOWN), else undefined. */
  declare readonly statusReason: pulumi.Output<string | undefined>;
  /** The cloud device that terminates the interface ("" until the API assigns one). */
  declare readonly deviceId: pulumi.Output<string>;
  /** The tenant (project) that owns the interface, as the API reports it. */
  declare readonly tenantId: pulumi.Output<string>;
  /** The id of the IPv4 peer the API creates with the interface. */
  declare readonly ipv4PeerId: pulumi.Output<string>;
  /** When the API created the interface (its `create_time`, ISO 8601). */
  declare readonly createdAt: pulumi.Output<string>;
  /** When the API last changed the interface (its `update_time`, ISO 8601). */
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
        statusReason: undefined,
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
  /** The virtual interface the peer belongs to: an `ACTIVE` interface of the project. */
  vifId: pulumi.Input<string>;
  /** 0-64 characters; updatable in place. */
  name?: pulumi.Input<string>;
  /** 0-128 characters; updatable in place. */
  description?: pulumi.Input<string>;
  /** "ipv4" or "ipv6"; one peer per family on an interface. */
  addressFamily: pulumi.Input<"ipv4" | "ipv6">;
  /** The customer's gateway address: a host address of one subnet of the peer's family (IPv4: a /30; IPv6: /64 to /127). */
  customerAddress: pulumi.Input<string>;
  /** The cloud's gateway address, same subnet. */
  cloudAddress: pulumi.Input<string>;
  /** "static" or "bgp". */
  routeMode: pulumi.Input<"static" | "bgp">;
  /** The customer's ASN, 1-4294967295, never the gateway's own; required with `bgp`. */
  bgpAsn?: pulumi.Input<number>;
  /** BGP MD5 key, `bgp` only, 1-80 printable ASCII characters without whitespace; kept secret. */
  bgpKey?: pulumi.Input<string>;
  /** On-premises networks of the peer's family. */
  remoteSubnets?: pulumi.Input<pulumi.Input<string>[]>;
  /** Adopt this existing peer instead of creating one (`pulumi import` does not work for dynamic resources). */
  importId?: pulumi.Input<string>;
  /** Allow `importId` of a peer whose interface carries another stack's owner mark. */
  importFromOtherStack?: pulumi.Input<boolean>;
  /** Deadlines of create, update and delete; defaults come from configuration. */
  timeouts?: pulumi.Input<ResourceTimeouts>;
}

/** A virtual interface peer (typically the IPv6 peer of a HostedVif). */
export class VifPeer extends pulumi.dynamic.Resource {
  /** The virtual interface the peer belongs to. */
  declare readonly vifId: pulumi.Output<string>;
  /** The peer's name as the API holds it (refresh shows a rename made elsewhere as drift). */
  declare readonly name: pulumi.Output<string>;
  /** The peer's description as the API holds it ("" when none). */
  declare readonly description: pulumi.Output<string>;
  /** "ipv4" or "ipv6". */
  declare readonly addressFamily: pulumi.Output<"ipv4" | "ipv6">;
  /** The customer's gateway address, canonical CIDR text. */
  declare readonly customerAddress: pulumi.Output<string>;
  /** The cloud's gateway address, canonical CIDR text. */
  declare readonly cloudAddress: pulumi.Output<string>;
  /** "static" or "bgp". */
  declare readonly routeMode: pulumi.Output<"static" | "bgp">;
  /** The customer's ASN of a BGP peer. */
  declare readonly bgpAsn: pulumi.Output<number | undefined>;
  /** The BGP MD5 key; always a secret output, never copied into another output. */
  declare readonly bgpKey: pulumi.Output<string | undefined>;
  /** The on-premises networks as the API holds them, canonical and sorted ([] when none). */
  declare readonly remoteSubnets: pulumi.Output<string[]>;
  /** The `importId` the program gave, carried from its inputs (never sent to the API). */
  declare readonly importId: pulumi.Output<string | undefined>;
  /** The `importFromOtherStack` the program gave, carried from its inputs. */
  declare readonly importFromOtherStack: pulumi.Output<boolean | undefined>;
  /** The per-resource deadlines the program gave, carried from its inputs. */
  declare readonly timeouts: pulumi.Output<ResourceTimeouts | undefined>;
  /** ACTIVE, DOWN, PENDING_CREATE, ERROR, ... (`dcaas drift` reports a peer not ACTIVE as a health problem). */
  declare readonly status: pulumi.Output<string>;
  /** UP or DOWN for BGP peers; absent for static ones. */
  declare readonly bgpStatus: pulumi.Output<string | undefined>;
  /** The cloud device that terminates the peer ("" until the API assigns one). */
  declare readonly deviceId: pulumi.Output<string>;
  /** The tenant (project) that owns the peer, as the API reports it. */
  declare readonly tenantId: pulumi.Output<string>;
  /** Routes received over BGP; -1 for static peers. */
  declare readonly receiveRouteNum: pulumi.Output<number>;
  /** The most routes the cloud accepts over this peer's BGP session, when the API reports a limit. */
  declare readonly bgpRouteLimit: pulumi.Output<number | undefined>;
  /** Whether BFD runs on the peer (set by the cloud; the API offers no way to change it here). */
  declare readonly enableBfd: pulumi.Output<boolean>;
  /** Whether NQA probing runs on the peer (set by the cloud; the API offers no way to change it here). */
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
