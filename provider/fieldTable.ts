/**
 * The field table of a resource (each input property, its wire field, whether it updates in place,
 * whether it is secret) and what is driven by it: api/ rule issues as CheckFailures, the diff, the
 * immutable-field comparison, and the value comparisons they use.
 */
import { type Issue, renderIssue } from "../api/issues";
import type { FieldSpec } from "./fields";
import { stripProvider } from "./providerInputs";

export type { FieldSpec };
import { containsUnknown } from "./unknowns";

/** A CheckFailure as the dynamic provider interface defines it. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/**
 * A CheckFailure that names a property but keeps its value out of the output. The engine prints the
 * value of the property a failure names (`property bgpKey value {&{{...}}} has a problem`), secret
 * or not; a failure without a property prints only `<type> resource '<name>' has a problem: <reason>`.
 */
export function failureWithoutValue(prop: string, reason: string): CheckFailure {
  return { property: "", reason: `${prop} (value not shown): ${reason}` };
}

/**
 * Turns api/ rule issues (wire paths) into CheckFailures naming the property; the issue's message
 * names its fields by the property names the user wrote (api/issues.ts renderIssue). A failure
 * about a secret field names it in the reason only, so the engine never prints its value.
 */
export function issuesToFailures(
  issues: readonly Issue[],
  fields: readonly FieldSpec[],
  wrapper: string,
): CheckFailure[] {
  const byWire = new Map(fields.map((f) => [f.wire, f]));
  const propOf = (wire: string) => byWire.get(wire)?.prop ?? wire;
  return issues.map((issue) => {
    const path = issue.path.map(String);
    const rel = path[0] === wrapper ? path.slice(1) : path;
    const wireField = rel[0] ?? "";
    const field = byWire.get(wireField);
    const prop = field?.prop ?? wireField;
    const reason = `${renderIssue(issue, propOf)} (${issue.code})`;
    return field?.secret ? failureWithoutValue(prop, reason) : { property: prop, reason };
  });
}

/**
 * CheckFailures for input keys a resource does not have, suggesting the property meant when the key
 * is a snake_case, differently cased or API (wire) spelling of one: "unknown property bgp_asn of
 * HostedVif (did you mean bgpAsn?)". They never name the property: a misspelt secret
 * (`bgpMd5: pulumi.secret(...)`) would otherwise be printed by the engine.
 */
export function unknownPropertyFailures(
  raw: Record<string, unknown>,
  known: ReadonlySet<string>,
  type: string,
  fields: readonly FieldSpec[],
): CheckFailure[] {
  const fold = (s: string) => s.replace(/[_-]/g, "").toLowerCase();
  return Object.keys(raw)
    .filter((k) => !known.has(k))
    .map((k) => {
      const meant = fields.find((f) => f.wire === k)?.prop ?? [...known].find((x) => fold(x) === fold(k));
      return failureWithoutValue(
        k,
        `unknown property ${k} of ${type}${meant ? ` (did you mean ${meant}?)` : ""}`,
      );
    });
}

/** The diff of one resource, from its field table and normaliser; `secrets` lists changed secret fields. */
export function diffFields(
  fields: readonly FieldSpec[],
  normalise: (v: Record<string, any>) => Record<string, any>,
  olds: Record<string, any>,
  news: Record<string, any>,
): { changes: boolean; replaces: string[]; updates: string[]; secrets: string[] } {
  const o = normalise(stripProvider(olds));
  const n = normalise(stripProvider(news));
  const replaces: string[] = [];
  const updates: string[] = [];
  const secrets: string[] = [];
  for (const f of fields) {
    const nv = n[f.prop];
    const changed = containsUnknown(nv) || !deepEqual(o[f.prop], nv);
    if (!changed) continue;
    (f.updatable ? updates : replaces).push(f.prop);
    if (f.secret) secrets.push(f.prop);
  }
  return { changes: replaces.length > 0 || updates.length > 0, replaces, updates, secrets };
}

/**
 * The `changes` to answer for a diff. The engine masks secret inputs ("[secret]") before the CLI
 * compares old and new inputs for the `[diff: ...]` of a step, and the dynamic provider host forwards
 * no detailed diff, so a changed secret alone would show as a replacement with no reason. When a
 * secret field changed, the answer is "unknown" (undefined): the engine then diffs the old and new
 * inputs itself, on the real values, and the step carries `bgpKey` as a changed key (shown, never
 * its value), while the replacement keys and delete-before-replace stay as given.
 */
export function changesToReport(d: { changes: boolean; secrets: string[] }): boolean | undefined {
  return d.changes && d.secrets.length > 0 ? undefined : d.changes;
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
    if (f.secret) out.push(`${f.prop} (differs; values not shown)`);
    else out.push(`${f.prop} (program ${JSON.stringify(p[f.prop])}, live ${JSON.stringify(l[f.prop])})`);
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
