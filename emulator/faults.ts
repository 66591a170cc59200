/**
 * Fault injection: rules per route template and method, drawn with a seedable PRNG so that a
 * test with a fixed seed sees the same faults every run.
 */
import { isErrorCode, type ErrorCode } from "../api/errors";

/** What a fault does to a matching request. */
export type FaultKind = "error" | "throttle" | "latency" | "drop" | "ambiguous" | "stuck" | "fail";

/** A fault rule as given to `POST /_emulator/faults`. */
export interface FaultRule {
  /** Assigned by the emulator. */
  id: number;
  /** HTTP method, or "*" (default). */
  method: string;
  /** A route template such as `/v3/{project_id}/dcaas/virtual-interfaces`, or "*" (default). */
  route: string;
  kind: FaultKind;
  /** Probability per matching request, 0..1 (default 1). */
  rate: number;
  /** How many more times the rule may fire; null = unlimited. A throttle burst of N is `times: N`. */
  times: number | null;
  /** error: the code to answer with (default DC.0003) and optionally its HTTP status. */
  code?: ErrorCode;
  status?: number;
  /** throttle: Retry-After seconds (default 1). */
  retryAfter?: number;
  /** latency: a delay drawn uniformly from [minMs, maxMs]. */
  minMs?: number;
  maxMs?: number;
}

/** What the faults decided for one request. */
export interface FaultDecision {
  latencyMs: number;
  /** Close the connection without answering, before doing anything. */
  drop: boolean;
  /** Answer with this error instead of running the handler. */
  error?: { code: ErrorCode; status?: number; retryAfter?: number; kind: "error" | "throttle" };
  /** Run the handler, then close the connection without answering. */
  ambiguous: boolean;
  /** Outcome for an asynchronous operation started by this request. */
  outcome: "normal" | "stuck" | "error";
  /** Ids of the rules that fired. */
  fired: number[];
}

const KINDS: readonly FaultKind[] = ["error", "throttle", "latency", "drop", "ambiguous", "stuck", "fail"];
const METHODS = ["*", "GET", "POST", "PUT", "DELETE"];

/** mulberry32: a tiny, good-enough seedable PRNG. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The active fault rules and their random source. */
export class Faults {
  private rules: FaultRule[] = [];
  /** Every rule added, as added, by id (the newest 1000), so a request log entry can name its faults. */
  private readonly history = new Map<number, FaultRule>();
  private nextId = 1;
  private random: () => number;
  private seed: number;

  constructor(seed = Date.now()) {
    this.seed = seed >>> 0;
    this.random = mulberry32(this.seed);
  }

  /** Re-seeds the random source. */
  reseed(seed: number): void {
    this.seed = seed >>> 0;
    this.random = mulberry32(this.seed);
  }

  /** Checks and adds rules; returns them with their ids. Throws Error with a message on bad input. */
  add(raw: unknown[]): FaultRule[] {
    const parsed = raw.map((r, i) => parseRule(r, i));
    for (const r of parsed) {
      r.id = this.nextId++;
      this.history.set(r.id, { ...r });
    }
    for (const id of this.history.keys()) {
      if (this.history.size <= 1000) break;
      this.history.delete(id);
    }
    this.rules.push(...parsed);
    return parsed;
  }

  clear(): void {
    this.rules = [];
  }

  /** Removes one rule; false when no active rule has that id. */
  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  /** A rule as it was added (also after it ran out or was cleared), or undefined when long gone. */
  described(id: number): FaultRule | undefined {
    const r = this.history.get(id);
    return r && { ...r };
  }

  list(): { seed: number; rules: FaultRule[] } {
    return { seed: this.seed, rules: this.rules.map((r) => ({ ...r })) };
  }

  /** Decides the faults of one request to `method template`. */
  decide(method: string, template: string): FaultDecision {
    const d: FaultDecision = { latencyMs: 0, drop: false, ambiguous: false, outcome: "normal", fired: [] };
    if (this.rules.length === 0) return d;
    for (const r of this.rules) {
      if (r.times !== null && r.times <= 0) continue;
      if (r.method !== "*" && r.method !== method) continue;
      if (r.route !== "*" && r.route !== template) continue;
      if (r.rate < 1 && this.random() >= r.rate) continue;
      // An error-like rule only fires if nothing earlier already decided the answer.
      if ((r.kind === "error" || r.kind === "throttle" || r.kind === "drop") && (d.error || d.drop)) continue;
      if (r.times !== null) r.times--;
      d.fired.push(r.id);
      switch (r.kind) {
        case "latency": {
          const min = r.minMs ?? 0;
          const max = r.maxMs ?? min;
          d.latencyMs += Math.round(min + this.random() * (max - min));
          break;
        }
        case "drop":
          d.drop = true;
          break;
        case "ambiguous":
          d.ambiguous = true;
          break;
        case "stuck":
          d.outcome = "stuck";
          break;
        case "fail":
          d.outcome = "error";
          break;
        case "error":
          d.error = { code: r.code ?? "DC.0003", status: r.status, kind: "error" };
          break;
        case "throttle":
          d.error = { code: "APIGW.0308", retryAfter: r.retryAfter ?? 1, kind: "throttle" };
          break;
      }
    }
    this.rules = this.rules.filter((r) => r.times === null || r.times > 0);
    return d;
  }
}

function parseRule(raw: unknown, index: number): FaultRule {
  const where = `rules[${index}]`;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new Error(`${where} must be an object`);
  const r = raw as Record<string, unknown>;
  const known = new Set([
    "method",
    "route",
    "kind",
    "rate",
    "times",
    "code",
    "status",
    "retryAfter",
    "minMs",
    "maxMs",
  ]);
  for (const k of Object.keys(r))
    if (!known.has(k)) throw new Error(`${where}.${k} is not a fault rule field`);
  const kind = r.kind as FaultKind;
  if (!KINDS.includes(kind)) throw new Error(`${where}.kind must be one of ${KINDS.join(", ")}`);
  const method = r.method === undefined ? "*" : String(r.method).toUpperCase();
  if (!METHODS.includes(method)) throw new Error(`${where}.method must be one of ${METHODS.join(", ")}`);
  const route = r.route === undefined ? "*" : r.route;
  if (typeof route !== "string" || (route !== "*" && !route.startsWith("/"))) {
    throw new Error(`${where}.route must be "*" or a route template starting with /`);
  }
  const rate = r.rate === undefined ? 1 : r.rate;
  if (typeof rate !== "number" || !(rate >= 0 && rate <= 1))
    throw new Error(`${where}.rate must be a number in [0, 1]`);
  const times = r.times === undefined || r.times === null ? null : r.times;
  if (times !== null && !(Number.isInteger(times) && (times as number) >= 1)) {
    throw new Error(`${where}.times must be an integer >= 1`);
  }
  const rule: FaultRule = { id: 0, method, route, kind, rate, times: times as number | null };
  if (r.code !== undefined) {
    if (!isErrorCode(r.code)) throw new Error(`${where}.code is not a known error code`);
    rule.code = r.code;
  }
  if (r.status !== undefined) {
    if (!Number.isInteger(r.status) || (r.status as number) < 400 || (r.status as number) > 599) {
      throw new Error(`${where}.status must be an HTTP error status`);
    }
    rule.status = r.status as number;
  }
  for (const k of ["retryAfter", "minMs", "maxMs"] as const) {
    if (r[k] === undefined) continue;
    if (!Number.isInteger(r[k]) || (r[k] as number) < 0)
      throw new Error(`${where}.${k} must be an integer >= 0`);
    rule[k] = r[k] as number;
  }
  if (kind === "latency" && rule.minMs === undefined)
    throw new Error(`${where}: latency needs minMs (and maxMs)`);
  return rule;
}
