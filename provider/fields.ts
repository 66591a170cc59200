/**
 * A resource's field table: one entry per property, read by every layer. From it come the user's
 * Args and the resource's outputs (types), the outputs' registration, the create body (to wire),
 * the outputs of a live object (from wire), the canonical form and the diff, what is secret, and
 * which fields replace. A new field is one entry in the resource's table (`hostedVifFields.ts`,
 * `vifPeerFields.ts`); nothing else in provider/ lists fields.
 *
 * Kept free of the engine and of the client: the program loads it through `provider/index.ts`.
 */
import { canonicalCidr, compareCidrText } from "../api/net";
import { UUID_RE } from "../api/schemas";
import type { HeldSlot, InterfaceSlot, PoolSpec } from "../api/allocation";
import { SECRET_WIRE_FIELDS } from "../api/secrets";
import type * as pulumi from "@pulumi/pulumi";
import { isUnknown } from "./unknowns";

/** How values of one type are written in docs, made canonical, compared and read from answers. */
export interface Kind<T> {
  /** The type as the reference docs print it. */
  readonly docType: string;
  /** Canonical form of a program's or a state's value; unknowns and invalid values pass through. */
  readonly norm?: (v: unknown) => unknown;
  /** A further step for comparison only (sets: sorted); not applied to what the rules see. */
  readonly diffNorm?: (v: unknown) => unknown;
  /** The value of an answer's field (never null nor undefined here). */
  readonly fromWire?: (v: any) => unknown;
  /** Left out of a create body when empty (an empty list means "none"). */
  readonly omitEmpty?: boolean;
  /** Phantom: the TypeScript type of the value. */
  readonly _type?: T;
}

const known = (v: unknown): v is string => typeof v === "string" && !isUnknown(v);
/** Lower-cased (and trimmed) when that makes it valid; else as the user wrote it, for the rule's "(got ...)". */
const lowerIf = (ok: (s: string) => boolean) => (v: unknown) => {
  if (!known(v)) return v;
  const l = v.trim().toLowerCase();
  return ok(l) ? l : v;
};
const cidr = (v: unknown) => (known(v) ? canonicalCidr(v.trim()) : v);
const enumOf = <T extends string>(...values: T[]): Kind<T> => ({
  docType: values.map((x) => JSON.stringify(x)).join(" | "),
  norm: lowerIf((s) => (values as string[]).includes(s)),
});

/** The value kinds of the two resources. */
export const kinds = {
  text: { docType: "string" } as Kind<string>,
  int: { docType: "number" } as Kind<number>,
  bool: { docType: "boolean" } as Kind<boolean>,
  /** An API id: lower-case when it is a UUID. */
  id: {
    docType: "string",
    norm: lowerIf((s) => UUID_RE.test(s)),
    fromWire: (v: string) => v.toLowerCase(),
  } as Kind<string>,
  routeMode: enumOf("static", "bgp"),
  family: enumOf("ipv4", "ipv6"),
  /** An address with its prefix length, canonical CIDR text. */
  cidr: { docType: "string", norm: cidr, fromWire: (v: string) => canonicalCidr(v) } as Kind<string>,
  /** A set of networks: canonical, kept in the program's order for the rules, sorted to compare. */
  cidrs: {
    docType: "string[]",
    norm: (v: unknown) => (Array.isArray(v) ? v.map(cidr) : v),
    diffNorm: (v: unknown) =>
      Array.isArray(v) && v.every(known) ? [...(v as string[])].sort(compareCidrText) : v,
    fromWire: (v: string[]) => [...v].map(canonicalCidr).sort(compareCidrText),
    omitEmpty: true,
  } as Kind<string[]>,
  timeouts: { docType: "{create?: string, update?: string, delete?: string}" } as Kind<ResourceTimeouts>,
  allocation: { docType: "{pool: PoolSpec, renumber?: boolean, held?: HeldSlot[]}" } as Kind<AllocationArgs>,
} as const;

/** The `allocation` argument (api/allocation.ts AllocationInput, each part a Pulumi input). */
export interface AllocationArgs {
  /** The pool the link takes its values from. */
  pool: pulumi.Input<PoolSpec>;
  /** Take a new slot even though the link holds one (outside a shrunk or moved pool): that replaces it. */
  renumber?: pulumi.Input<boolean>;
  /** Slots held back after release: a PoolLedger's `held`. */
  held?: pulumi.Input<HeldSlot[]>;
  /** A VifPeer: its interface's `customerAddress`, so the peer's /64 has the same index as its /30. */
  pairedWith?: pulumi.Input<string>;
  /** A HostedVif: the slot a PoolLedger planned for it, `ledger.slotFor(name)` (deterministic for new links). */
  planned?: pulumi.Input<InterfaceSlot | undefined>;
}

/** Per-resource operation deadlines, as durations such as "90s", "20m" or "1h". */
export interface ResourceTimeouts {
  create?: string;
  update?: string;
  delete?: string;
}

/**
 * Where a field comes from: `arg` (the program's, sent to the API), `carried` (the program's, only
 * the provider reads it, carried into the outputs), `computed` (the API's), `internal` (set by the
 * resource class, never shown).
 */
export type Role = "arg" | "carried" | "computed" | "internal";

/** What a table entry may say besides its role and kind. */
export interface FieldOptions {
  /** The API's name of the field (create body and answers). */
  readonly wire?: string;
  /** The program must give it (unless a pool gives it: `allocated`). */
  readonly required?: boolean;
  /** A pool gives it when the resource has an `allocation`; the program then leaves it out. */
  readonly allocated?: boolean;
  /** A change is made in place (PUT); otherwise it replaces the object. */
  readonly updatable?: boolean;
  /**
   * Its value never appears in a CheckFailure, an error, a diff or a log; always a secret output.
   * An argument whose API field is secret (api/secrets.ts) is secret without saying so here.
   */
  readonly secret?: boolean;
  /** The value when the program (or an answer) has none. */
  readonly default?: unknown;
  /** The output may be undefined. */
  readonly maybe?: boolean;
  /** An answer that lacks the field (a profile's model without it) keeps the program's or state's value. */
  readonly absentKeeps?: boolean;
  /** An empty string in an answer means "none". */
  readonly emptyIsAbsent?: boolean;
  /** The output from the answer and the carried values, when it is not the wire field's value. */
  readonly read?: (live: any, carry: Record<string, any>) => unknown;
}

/** One entry of a field table. */
export interface Field<T = unknown, R extends Role = Role> extends FieldOptions {
  readonly role: R;
  readonly kind: Kind<T>;
}

/** A field table: property name to entry, in the order the docs and the outputs show them. */
export type FieldTable = Readonly<Record<string, Field<any>>>;

/** An argument the API receives. */
export const arg = <T, const O extends FieldOptions>(kind: Kind<T>, o: O) =>
  ({ role: "arg", kind, secret: o.wire !== undefined && SECRET_WIRE_FIELDS.includes(o.wire), ...o }) as Field<
    T,
    "arg"
  > &
    O;
/** An argument only the provider reads (importId, timeouts): carried into the outputs, never sent. */
export const carried = <T, const O extends FieldOptions>(kind: Kind<T>, o: O) =>
  ({ role: "carried", kind, ...o }) as Field<T, "carried"> & O;
/** An output the API computes. */
export const computed = <T, const O extends FieldOptions>(kind: Kind<T>, o: O) =>
  ({ role: "computed", kind, ...o }) as Field<T, "computed"> & O;
/** An input the resource class sets (the ownership mark): neither an argument nor a shown output. */
export const internal = () =>
  ({ role: "internal", kind: kinds.text, maybe: true }) as Field<string, "internal">;

/** The inputs every resource has that only the provider reads, and the ownership mark. */
export const PROVIDER_INPUTS = {
  /**
   * Adopt this existing object instead of creating one (`pulumi import` does not work for dynamic resources).
   * @output The `importId` the program gave, carried from its inputs (never sent to the API).
   */
  importId: carried(kinds.text, {}),
  /**
   * Allow `importId` of an object that carries another stack's owner mark (a peer: its interface's);
   * refused otherwise: two stacks managing one object delete it under each other.
   * @output The `importFromOtherStack` the program gave, carried from its inputs.
   */
  importFromOtherStack: carried(kinds.bool, {}),
  /**
   * Deadlines of create, update and delete (durations such as "90s", "20m"); defaults come from configuration.
   * @output The per-resource deadlines the program gave, carried from its inputs.
   */
  timeouts: carried(kinds.timeouts, {}),
  /**
   * Take the values a pool gives (see docs/guides/fleet-allocation.md) instead of writing them: a
   * HostedVif's connection, gateway, VLAN and interconnect pairs, a VifPeer's IPv6 addresses. Kept
   * by resource name across runs; never handed out twice.
   * @output The allocation the program gave, carried from its inputs (never sent to the API).
   */
  allocation: carried(kinds.allocation, {}),
  /** The ownership mark, `<project>/<stack>/<resource name>`, set by the resource class. */
  __owner: internal(),
} as const;

// ---- types derived from a table -----------------------------------------------------------

type ValueOf<F> = F extends Field<infer V, any> ? V : never;
type InputOf<V> = V extends (infer E)[] ? pulumi.Input<pulumi.Input<E>[]> : pulumi.Input<V>;
type ArgKeys<T> = { [K in keyof T]: T[K] extends { role: "arg" | "carried" } ? K : never }[keyof T];
type RequiredKeys<T> = { [K in keyof T]: T[K] extends { required: true } ? K : never }[keyof T];
type ShownKeys<T> = { [K in keyof T]: T[K] extends { role: "internal" } ? never : K }[keyof T];
type MaybeKeys<T> = {
  [K in keyof T]: T[K] extends { maybe: true } ? K : T[K] extends { role: "carried" } ? K : never;
}[keyof T];
type ArgValues<T> = { [K in keyof T]: InputOf<ValueOf<T[K]>> };
type OutputValues<T> = {
  readonly [K in keyof T]: pulumi.Output<K extends MaybeKeys<T> ? ValueOf<T[K]> | undefined : ValueOf<T[K]>>;
};
type PlainValues<T> = { [K in keyof T]: ValueOf<T[K]> };

type AllocatedKeys<T> = { [K in keyof T]: T[K] extends { allocated: true } ? K : never }[keyof T];
/** The user's arguments of a resource with table T, every value written (each documented where the table is). */
export type PinnedArgsOf<T> = Omit<
  Pick<ArgValues<T>, ArgKeys<T> & RequiredKeys<T>> &
    Partial<Pick<ArgValues<T>, Exclude<ArgKeys<T>, RequiredKeys<T>>>>,
  "allocation"
>;
/** The user's arguments of a resource with table T whose allocated values come from a pool. */
export type AllocatedArgsOf<T> = Omit<PinnedArgsOf<T>, AllocatedKeys<T>> &
  Required<Pick<ArgValues<T>, "allocation" & keyof T>>;
/** The outputs of a resource with table T, as `pulumi.Output`s. */
export type OutputsOf<T> = Pick<OutputValues<T>, ShownKeys<T>>;
/** The resolved inputs of a resource with table T, as the provider receives them. */
export type InputsOf<T> = Pick<PlainValues<T>, ArgKeys<T> & RequiredKeys<T>> &
  Partial<Pick<PlainValues<T>, Exclude<ArgKeys<T>, RequiredKeys<T>>>> & { __owner?: string };
/** The resolved outputs of a resource with table T. */
export type StateOf<T> = InputsOf<T> &
  Pick<PlainValues<T>, Exclude<keyof T, MaybeKeys<T> | ArgKeys<T>>> &
  Partial<Pick<PlainValues<T>, Exclude<MaybeKeys<T>, ArgKeys<T>>>>;

// ---- what a table drives --------------------------------------------------------------------

/** One input property with an API field: the view the rules, the diff and the failures use. */
export interface FieldSpec {
  prop: string;
  wire: string;
  updatable: boolean;
  /** Its value never appears in a CheckFailure, an error or a diff. */
  secret?: boolean;
}

/** The program's fields the API receives, in table order. */
export function wireFields(table: FieldTable): FieldSpec[] {
  return Object.entries(table)
    .filter(([, f]) => f.role === "arg" && f.wire !== undefined)
    .map(([prop, f]) => ({ prop, wire: f.wire!, updatable: f.updatable === true, secret: f.secret }));
}

/** Every key of the provider's inputs (arguments, carried, internal). */
export function inputKeys(table: FieldTable): Set<string> {
  return new Set(Object.entries(table).flatMap(([k, f]) => (f.role === "computed" ? [] : [k])));
}

/** The properties whose values are secret (the engine's additionalSecretOutputs). */
export function secretProps(table: FieldTable): string[] {
  return Object.entries(table).flatMap(([k, f]) => (f.secret ? [k] : []));
}

/** Every output the resource registers, as undefined: the program's arguments are spread over it. */
export function registration(table: FieldTable): Record<string, undefined> {
  return Object.fromEntries(
    Object.entries(table)
      .filter(([, f]) => f.role !== "internal")
      .map(([k]) => [k, undefined]),
  );
}

/**
 * Canonical form of inputs or outputs: the kinds' canonical values and the inputs' defaults. Unknowns and
 * invalid values pass through untouched so the rules can report them; sets keep their order (issue
 * paths index into them). Null and undefined values are dropped.
 */
export function normalise(table: FieldTable, v: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...v };
  for (const [k, f] of Object.entries(table)) {
    const unset = out[k] === undefined || out[k] === null;
    if (unset && f.default !== undefined && f.role !== "computed") out[k] = structuredClone(f.default);
    if (f.kind.norm && out[k] !== undefined && out[k] !== null) out[k] = f.kind.norm(out[k]);
  }
  for (const k of Object.keys(out)) if (out[k] === undefined || out[k] === null) delete out[k];
  return out;
}

/** The canonical form to compare: `normalise`, then sets sorted. */
export function normaliseForDiff(table: FieldTable, v: Record<string, any>): Record<string, any> {
  return sortSets(table, normalise(table, v));
}

/** Sorts the set-valued fields of normalised values in place; returns them. */
export function sortSets(table: FieldTable, n: Record<string, any>): Record<string, any> {
  for (const [k, f] of Object.entries(table)) if (f.kind.diffNorm && k in n) n[k] = f.kind.diffNorm(n[k]);
  return n;
}

/** The create body's fields for normalised inputs (the arguments' wire fields); unknowns pass through. */
export function toWire(table: FieldTable, n: Record<string, any>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of wireFields(table)) {
    const v = n[f.prop];
    if (v === undefined) continue;
    if (table[f.prop].kind.omitEmpty && Array.isArray(v) && v.length === 0) continue;
    body[f.wire] = v;
  }
  return body;
}

/** The normalised program values a create body stands for (the inverse of `toWire`). */
export function fromBody(table: FieldTable, body: Record<string, unknown>): Record<string, any> {
  return normaliseForDiff(
    table,
    Object.fromEntries(
      wireFields(table).flatMap((f) => (body[f.wire] === undefined ? [] : [[f.prop, body[f.wire]]])),
    ),
  );
}

/**
 * The outputs for a live object: each field from its wire field (or its `read`), the carried and
 * internal ones from `carry` (the program's or the state's values); absent values take the default.
 */
export function outputsOf(table: FieldTable, live: Record<string, any>, carry: Record<string, any>) {
  const out: Record<string, any> = {};
  for (const [k, f] of Object.entries(table)) {
    let v: unknown;
    if (f.read) v = f.read(live, carry);
    else if (f.role === "carried" || f.role === "internal") v = carry[k];
    else if (f.wire !== undefined) {
      if (f.absentKeeps && !Object.prototype.hasOwnProperty.call(live, f.wire)) v = carry[k];
      else {
        v = live[f.wire];
        if (v === null || (f.emptyIsAbsent && v === "")) v = undefined;
        else if (v !== undefined && f.kind.fromWire) v = f.kind.fromWire(v);
      }
    }
    if ((v === undefined || v === null) && f.default !== undefined) v = structuredClone(f.default);
    if (v !== undefined && v !== null) out[k] = v;
  }
  return out;
}

/** The input view of outputs (what `read` reports as the live object's inputs). */
export function inputsOf(table: FieldTable, o: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const k of inputKeys(table)) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
