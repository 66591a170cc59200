/**
 * Lifecycle as data: how long each asynchronous operation takes (milliseconds, or a number of
 * reads) and the transition record stored with the object. Nothing here keeps a timer: due times
 * are stored, and the backend applies whatever is due when it is next asked.
 */
import type { Transition } from "./store";

/** A delay: milliseconds, or `{reads: N}` for "after N reads of the object". */
export type Delay = number | { reads: number };

/** The delays of the four asynchronous operations. */
export interface Delays {
  vifCreate: Delay;
  vifDelete: Delay;
  peerCreate: Delay;
  peerDelete: Delay;
}

/** The operations that take time. */
export type LifecycleOp = keyof Delays;

/** Defaults: 2 s for interfaces, 1 s for peers. */
export const DEFAULT_DELAYS: Delays = {
  vifCreate: 2000,
  vifDelete: 2000,
  peerCreate: 1000,
  peerDelete: 1000,
};

/** The transition an operation schedules, given its delay and an optional outcome override. */
export function schedule(
  delay: Delay,
  next: string | null,
  now: number,
  reason: string | null = null,
): Transition {
  if (next === null) return { dueAt: null, readsLeft: null, next: null, reason: null };
  if (typeof delay === "number") return { dueAt: now + delay, readsLeft: null, next, reason };
  return { dueAt: null, readsLeft: delay.reads, next, reason };
}

/** The "nothing pending" transition of a settled object. */
export const SETTLED: Transition = { dueAt: null, readsLeft: null, next: null, reason: null };

/** True when a transition is waiting to be applied (timed or read-counted). */
export function isScheduled(t: Transition): boolean {
  return t.next !== null;
}

/** Parses and checks a delay given by a user (CLI flag, admin API, options); throws on nonsense. */
export function parseDelay(value: unknown, what: string): Delay {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === "string") {
    const m = /^(\d+)(ms|s)?$/.exec(value.trim());
    if (m) return Number(m[1]) * (m[2] === "s" ? 1000 : 1);
    const r = /^reads:(\d+)$/.exec(value.trim());
    if (r) return { reads: Number(r[1]) };
  }
  if (
    value !== null &&
    typeof value === "object" &&
    Object.keys(value).length === 1 &&
    Number.isInteger((value as { reads?: unknown }).reads) &&
    (value as { reads: number }).reads >= 0
  ) {
    return { reads: (value as { reads: number }).reads };
  }
  throw new Error(`${what}: expected milliseconds (integer >= 0), "Ns", "reads:N" or {"reads": N}`);
}

/** Merges a partial delay setting into a full one, checking each value. */
export function mergeDelays(base: Delays, patch: Partial<Record<LifecycleOp, unknown>> | undefined): Delays {
  const out = { ...base };
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (!(key in DEFAULT_DELAYS))
      throw new Error(`unknown delay ${key} (vifCreate, vifDelete, peerCreate, peerDelete)`);
    if (value === undefined) continue;
    out[key as LifecycleOp] = parseDelay(value, key);
  }
  return out;
}
