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
import poolLedgerProvider = require("./providers/poolLedger");
import type { HeldSlot, InterfaceSlot, PoolSpec } from "../api/allocation";
import {
  type AllocatedArgsOf,
  type FieldTable,
  type OutputsOf,
  type PinnedArgsOf,
  registration,
  secretProps,
} from "./fields";
import { HOSTED_VIF } from "./hostedVifFields";
import { redactSdkDebugLog } from "./sdkDebugLog";
import { preloadSqliteQuietly } from "./sqliteWarning";
import { VIF_PEER } from "./vifPeerFields";

preloadSqliteQuietly();
redactSdkDebugLog();

export { hostedVifProvider, poolLedgerProvider, vifPeerProvider };
export type { AllocationArgs, ResourceTimeouts } from "./fields";
export type { AllocationInput, HeldSlot, InterfaceSlot, PoolSpec } from "../api/allocation";

/*
 * The Args and the outputs come from the field tables: an interface that extends the derived type
 * (and merges with the class of the same name, which Pulumi fills at run time) is how TypeScript
 * names a derived type and declares a class's outputs without listing them again.
 */
/* eslint-disable @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging */

/** Arguments of a HostedVif with every value written (one per entry of its field table, provider/hostedVifFields.ts). Changing anything but name and description replaces the interface. */
export interface HostedVifPinnedArgs extends PinnedArgsOf<typeof HOSTED_VIF> {}

/** Arguments of a HostedVif whose connection, gateway, VLAN and interconnect pairs come from a pool (`allocation`). */
export interface HostedVifAllocatedArgs extends AllocatedArgsOf<typeof HOSTED_VIF> {}

/** Arguments of a HostedVif: every value written, or the connection, VLAN and addresses from a pool. */
export type HostedVifArgs = HostedVifPinnedArgs | HostedVifAllocatedArgs;

/** The outputs of a HostedVif, from its field table. */
export interface HostedVif extends OutputsOf<typeof HOSTED_VIF> {}

/** A hosted private virtual interface on a hosted connection. */
export class HostedVif extends pulumi.dynamic.Resource {
  /** Declares a hosted virtual interface. */
  constructor(name: string, args: HostedVifArgs, opts?: pulumi.CustomResourceOptions) {
    const props = { ...registration(HOSTED_VIF), ...args, __owner: ownerMark(name) };
    const options = withSecretOutputs(opts, HOSTED_VIF);
    const restoreStacks = withoutPromiseStacks();
    try {
      super(hostedVifProvider, name, props, options, "dcaas", "HostedVif");
    } finally {
      restoreStacks();
    }
  }
}

/** Arguments of a VifPeer with every value written (one per entry of its field table, provider/vifPeerFields.ts). Changing anything but name and description replaces the peer. */
export interface VifPeerPinnedArgs extends PinnedArgsOf<typeof VIF_PEER> {}

/** Arguments of a VifPeer whose IPv6 addresses come from a pool's ipv6 block (`allocation`). */
export interface VifPeerAllocatedArgs extends AllocatedArgsOf<typeof VIF_PEER> {}

/** Arguments of a VifPeer: every value written, or its IPv6 addresses from a pool. */
export type VifPeerArgs = VifPeerPinnedArgs | VifPeerAllocatedArgs;

/** The outputs of a VifPeer, from its field table. */
export interface VifPeer extends OutputsOf<typeof VIF_PEER> {}

/** A virtual interface peer (typically the IPv6 peer of a HostedVif). */
export class VifPeer extends pulumi.dynamic.Resource {
  /** Declares a virtual interface peer. */
  constructor(name: string, args: VifPeerArgs, opts?: pulumi.CustomResourceOptions) {
    const props = { ...registration(VIF_PEER), ...args, __owner: ownerMark(name) };
    const options = withSecretOutputs(opts, VIF_PEER);
    const restoreStacks = withoutPromiseStacks();
    try {
      super(vifPeerProvider, name, props, options, "dcaas", "VifPeer");
    } finally {
      restoreStacks();
    }
  }
}

/* eslint-enable @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging */

/** Arguments of a PoolLedger. */
export interface PoolLedgerArgs {
  /** The pool whose released slots are held back (the same PoolSpec the links use). */
  pool: pulumi.Input<PoolSpec>;
  /** How long a released slot is held back before it may be handed out again, e.g. "24h", "168h". */
  holdFor: pulumi.Input<string>;
  /**
   * The names of the HostedVifs that allocate from the pool: the ledger plans their slots (new links
   * in the order of their names), so preview and up give every new link the same slot.
   */
  links?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Slots other stacks hold back on the same pool: their ledgers' `held` outputs, read with a
   * StackReference (`new pulumi.StackReference("org/project/stack").getOutput("held")`). They join
   * this ledger's `held` (marked with `stack`) until their `until`, so its links and its plan skip them.
   */
  alsoHold?: pulumi.Input<pulumi.Input<HeldSlot>[]>;
}

/**
 * A pool's memory of released slots: a VLAN or /30 whose interface is gone is held back for
 * `holdFor` before another link gets it. Give its `held` to the links: `allocation: { pool, held:
 * ledger.held }`. No cloud object; it changes (an update) only when what it holds back changes.
 */
export class PoolLedger extends pulumi.dynamic.Resource {
  /** The slots held back, each with its former owner, when it was released and until when it is held. */
  declare readonly held: pulumi.Output<HeldSlot[]>;
  /** The pool. */
  declare readonly pool: pulumi.Output<PoolSpec>;
  /** The hold duration. */
  declare readonly holdFor: pulumi.Output<string>;
  /** The slot of every link of `links` (a link with an interface: its values; a new one: the planned slot). */
  declare readonly plan: pulumi.Output<Record<string, InterfaceSlot> | undefined>;

  /** The slot planned for the link `name`: give it as `allocation.planned`. */
  slotFor(name: string): pulumi.Output<InterfaceSlot | undefined> {
    return this.plan.apply((p) => p?.[name]);
  }

  /** Declares a pool ledger. */
  constructor(name: string, args: PoolLedgerArgs, opts?: pulumi.CustomResourceOptions) {
    const props = { held: undefined, ours: undefined, plan: undefined, ...args, __owner: ownerMark(name) };
    const restoreStacks = withoutPromiseStacks();
    try {
      super(poolLedgerProvider, name, props, opts, "dcaas", "PoolLedger");
    } finally {
      restoreStacks();
    }
  }
}

/**
 * Sets `Error.stackTraceLimit` to 0 until the returned function is called. While a resource
 * registers, the SDK wraps each of its properties in four debug promises, and each captures a stack
 * trace eagerly (`new Error().stack`, runtime/debuggable.js); under ts-node, source-map-support
 * formats every frame, so a resource with 27 outputs spent about 7 ms of the program's CPU there
 * (7 s of a 17 s preview of 1,000 resources, measured with --cpu-prof; bench/engine-fleet-report).
 * Those traces are shown only in the SDK's promise-leak message, which also names the resource and
 * property by their labels. The previous limit is restored even when the constructor throws, and the
 * arguments are built before, so an error in them keeps its stack.
 */
function withoutPromiseStacks(): () => void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return () => {
    Error.stackTraceLimit = limit;
  };
}

/**
 * The ownership mark of a resource, `<project>/<stack>/<resource name>`: the provider tags the
 * interfaces it creates with it (`pulumi-dcaas:owner`) and adopts only objects carrying it. An
 * internal input (`__` prefix): the CLI never displays it, and it never causes a diff.
 */
function ownerMark(name: string): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
}

/** The resource options with the table's secret fields (`bgpKey`) always secret outputs, even when the input was plain text. */
function withSecretOutputs(
  opts: pulumi.CustomResourceOptions | undefined,
  table: FieldTable,
): pulumi.CustomResourceOptions {
  const extra = opts?.additionalSecretOutputs ?? [];
  return {
    ...opts,
    additionalSecretOutputs: [...extra, ...secretProps(table).filter((k) => !extra.includes(k))],
  };
}
