/**
 * Pieces shared by the two resources: the preview unknown sentinel, resource timeouts, error
 * wrapping, partial failures, and the field-table driven check and diff.
 */
import { backoffDelay, ConflictError, type DcaasClient, isAmbiguous, ValidationError } from "./client";
import { parseDuration, type ProviderConfig } from "./config";
import { type PollPlanner, processSettleTimes, type SettleTimes, type TransitionKind } from "./settleTimes";
import { GONE, UnexpectedStateError, type WaitTiming } from "./waiters";

/** Dependencies of the API-calling methods. */
export interface Deps {
  client: DcaasClient;
  config: ProviderConfig;
  /** Test hooks for the waiters (first poll delay, clock). */
  timing?: Partial<WaitTiming>;
  sleep?: (ms: number) => Promise<void>;
  /** Learned settle times (default: this process's). */
  settleTimes?: SettleTimes;
}

/** Waiter timing for one operation: the configured poll interval, test hooks, the deadline. */
export function timingOf(deps: Deps, timeoutMs: number): WaitTiming {
  return { pollIntervalMs: deps.config.pollIntervalMs, ...deps.timing, timeoutMs };
}

/**
 * The learned poll plan of a wait that starts right after this process's own create or delete
 * request; undefined (the usual backoff) when the API already reported a settled status, so an
 * object that is ready at once is not made to wait for the expected time.
 */
export function settlePlan(deps: Deps, kind: TransitionKind, reported?: string): PollPlanner | undefined {
  if (reported !== undefined && !reported.startsWith("PENDING")) return undefined;
  return (deps.settleTimes ?? processSettleTimes).planner(kind);
}

/** The value Pulumi sends for an unknown input during preview (`pulumi.runtime.unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a value is the unknown sentinel. */
export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

/** Whether a value is, or contains at any depth, the unknown sentinel. */
export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

/** The `timeouts` input of both resources: durations such as "90s" or "20m". */
export interface ResourceTimeouts {
  create?: string;
  update?: string;
  delete?: string;
}

/** Which deadline applies to an operation: the resource's `timeouts`, else the configured default. */
export function timeoutFor(
  timeouts: ResourceTimeouts | undefined,
  op: "create" | "update" | "delete",
  dflt: number,
): number {
  const t = timeouts?.[op];
  if (t === undefined || t === null || t === "") return dflt;
  return parseDuration(t, `timeouts.${op}`);
}

/** Check failures of the `timeouts` input (each a known duration or unknown). */
export function checkTimeouts(v: unknown): { property: string; reason: string }[] {
  if (v === undefined || v === null || isUnknown(v)) return [];
  if (typeof v !== "object" || Array.isArray(v)) {
    return [
      {
        property: "timeouts",
        reason: 'must be an object {create?, update?, delete?} of durations like "20m"',
      },
    ];
  }
  const out: { property: string; reason: string }[] = [];
  for (const [k, d] of Object.entries(v as Record<string, unknown>)) {
    if (!["create", "update", "delete"].includes(k)) {
      out.push({ property: `timeouts.${k}`, reason: "unknown timeout (use create, update or delete)" });
      continue;
    }
    if (d === undefined || d === null || isUnknown(d)) continue;
    if (typeof d !== "string" && typeof d !== "number") {
      out.push({ property: `timeouts.${k}`, reason: 'must be a duration like "90s" or "20m"' });
      continue;
    }
    try {
      const ms = parseDuration(d, `timeouts.${k}`);
      if (ms <= 0) out.push({ property: `timeouts.${k}`, reason: "must be longer than zero" });
    } catch (e) {
      out.push({ property: `timeouts.${k}`, reason: (e as Error).message.replace(/^timeouts\.\w+: /, "") });
    }
  }
  return out;
}

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Check failures of `importId` (a UUID, or unknown). */
export function checkImportId(v: unknown): { property: string; reason: string }[] {
  if (v === undefined || v === null || v === "" || isUnknown(v)) return [];
  if (typeof v !== "string" || !UUID_RE.test(v)) {
    return [{ property: "importId", reason: "must be the id (a UUID) of the object to adopt" }];
  }
  return [];
}

/** A copy without `__provider` and without undefined values. */
export function stripProvider<T extends Record<string, any>>(v: T | undefined): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, x] of Object.entries(v ?? {})) {
    if (k === "__provider" || x === undefined) continue;
    out[k] = x;
  }
  return out;
}

/** A copy without undefined and null values (outputs never carry undefined). */
export function compact<T extends Record<string, any>>(v: T): T {
  const out: Record<string, any> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) out[k] = x;
  return out as T;
}

/** Structural equality of JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a as object).filter((k) => (a as any)[k] !== undefined);
    const kb = Object.keys(b as object).filter((k) => (b as any)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual((a as any)[k], (b as any)[k]));
  }
  return false;
}

/**
 * An operation failed: "creating hosted VIF (branch-1): DC.1209: ...". The cause is kept, never
 * replaced, so callers can still branch on its class.
 */
export class OperationError extends Error {
  override name = "OperationError";
  constructor(
    readonly operation: string,
    readonly kind: string,
    readonly ident: string,
    override readonly cause: unknown,
  ) {
    super(`${operation} ${kind} (${ident}): ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * A Pulumi partial failure: the object exists, so the error carries its id and full outputs
 * (including `__provider`, which the engine does not add back) and Pulumi records it instead of
 * orphaning it; the next `up` re-converges through `update`.
 */
export function partialFailure(
  message: string,
  id: string,
  properties: Record<string, unknown>,
  reasons: string[],
) {
  const e = new Error(message) as Error & {
    id: string;
    properties: Record<string, unknown>;
    reasons: string[];
  };
  e.id = id;
  e.properties = properties;
  e.reasons = reasons;
  return e;
}

/** One input property of a resource, its wire name, and whether it can change in place. */
export interface FieldSpec {
  prop: string;
  wire: string;
  updatable: boolean;
}

/** A CheckFailure as the dynamic provider interface defines it. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** A validation issue from api/rules. */
export interface RuleIssue {
  code: string;
  path: (string | number)[];
  message: string;
}

/**
 * Turns api/ rule issues (wire paths) into CheckFailures naming the property; wire field names in
 * the message are replaced by the property names the user wrote.
 */
export function issuesToFailures(
  issues: readonly RuleIssue[],
  fields: readonly FieldSpec[],
  wrapper: string,
) {
  const byWire = new Map(fields.map((f) => [f.wire, f.prop]));
  return issues.map((issue) => {
    const path = issue.path.map(String);
    const rel = path[0] === wrapper ? path.slice(1) : path;
    const wireField = rel[0] ?? "";
    const prop = byWire.get(wireField) ?? wireField;
    let message = issue.message;
    // Longest names first so "remote_gateway_v4_ip" is not half-replaced by a shorter name.
    for (const f of [...fields].sort((a, b) => b.wire.length - a.wire.length)) {
      if (f.wire === f.prop) continue;
      message = message.replace(new RegExp(`(?<![A-Za-z0-9_])${f.wire}(?![A-Za-z0-9_])`, "g"), f.prop);
    }
    return { property: prop, reason: `${message} (${issue.code})` };
  });
}

/** The diff of one resource, from its field table and normaliser. */
export function diffFields(
  fields: readonly FieldSpec[],
  normalise: (v: Record<string, any>) => Record<string, any>,
  olds: Record<string, any>,
  news: Record<string, any>,
): { changes: boolean; replaces: string[]; updates: string[] } {
  const o = normalise(stripProvider(olds));
  const n = normalise(stripProvider(news));
  const replaces: string[] = [];
  const updates: string[] = [];
  for (const f of fields) {
    const nv = n[f.prop];
    const changed = containsUnknown(nv) || !deepEqual(o[f.prop], nv);
    if (!changed) continue;
    (f.updatable ? updates : replaces).push(f.prop);
  }
  return { changes: replaces.length > 0 || updates.length > 0, replaces, updates };
}

/** "vlan (program 301, live 302)" for every replace-only field that differs; secrets are not shown. */
export function immutableDifferencesOf(
  fields: readonly FieldSpec[],
  normalise: (v: Record<string, any>) => Record<string, any>,
  program: Record<string, any>,
  live: Record<string, any>,
): string[] {
  const p = normalise(program);
  const l = normalise(live);
  const out: string[] = [];
  for (const f of fields) {
    if (f.updatable || deepEqual(p[f.prop], l[f.prop])) continue;
    if (f.prop === "bgpKey") out.push("bgpKey (differs; values not shown)");
    else out.push(`${f.prop} (program ${JSON.stringify(p[f.prop])}, live ${JSON.stringify(l[f.prop])})`);
  }
  return out;
}

/**
 * POST with idempotency. After an ambiguous failure (network error, 5xx) the attempt may have been
 * applied, so look for the object it would have created and adopt it before trying again. A refusal
 * (VLAN in use, family taken, ...) may be our own earlier attempt too: this call's ambiguous POST, or
 * a run interrupted after its POST (pending create cleared); `findIdentical` adopts only an object
 * identical to the intent (same name and every immutable field).
 */
export async function createIdempotent<T>(
  deps: Deps,
  post: () => Promise<T>,
  findIdentical: () => Promise<T | undefined>,
): Promise<T> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let ambiguous: unknown;
  for (let attempt = 0; ; attempt++) {
    if (ambiguous !== undefined) {
      const found = await findIdentical();
      if (found) return found;
    }
    try {
      return await post();
    } catch (e) {
      if (isAmbiguous(e) && attempt < deps.config.maxRetries) {
        ambiguous = e;
        await sleep(backoffDelay(attempt, deps.config.retryBaseDelayMs, 20_000, undefined));
        continue;
      }
      if (ambiguous !== undefined || e instanceof ConflictError || e instanceof ValidationError) {
        const found = await findIdentical();
        if (found) return found;
      }
      throw e;
    }
  }
}

/**
 * Waits for a just-created object to become available. When the wait fails while the object still
 * exists (timeout, ERROR), throws a partial failure carrying its id and full outputs (with
 * `__provider`), so Pulumi records the object instead of orphaning it; the next `up` re-converges.
 */
export async function waitCreated<T extends { id: string }>(
  kind: string,
  ident: string,
  created: T,
  inputs: Record<string, any>,
  wait: () => Promise<T>,
  outputs: (obj: T) => Record<string, any>,
): Promise<T> {
  try {
    return await wait();
  } catch (e) {
    if (e instanceof UnexpectedStateError && e.state === GONE)
      throw new OperationError("creating", kind, ident, e);
    const last = ((e as any)?.value ?? (e as any)?.lastValue ?? created) as T;
    const properties = { ...outputs(last), __provider: inputs.__provider };
    const msg = `creating ${kind} (${ident}): ${(e as Error).message}`;
    throw partialFailure(msg, created.id, properties, [msg]);
  }
}
