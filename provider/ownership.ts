/**
 * The ownership mark: every interface the provider creates carries the tag
 * `pulumi-dcaas:owner = <project>/<stack>/<resource name>` in its create body, so that an object can
 * be traced to the stack that made it. Adoption (after a refused or ambiguous create) takes only an
 * object with the resource's own mark; `importId` of an object marked by another stack needs an
 * explicit opt-in. Peers have no tags in the API: a peer belongs to the stack that marked its
 * interface.
 */
import { createHash } from "node:crypto";

/** The tag key of the mark. */
export const OWNER_TAG_KEY = "pulumi-dcaas:owner";

/** The input the resource classes set to `<project>/<stack>/<resource name>` (never diffed, never shown). */
export const OWNER_INPUT = "__owner";

/** A parsed mark. */
export interface OwnerMark {
  project: string;
  stack: string;
  /** The resource name, or `sha256-<hex>` when the name does not fit a tag value. */
  resource: string;
}

/** Huawei's tag values: up to 255 characters; letters, digits, spaces and `_ . : / = + - @`. */
const TAG_VALUE_RE = /^[\p{L}\p{N} _.:/=+\-@]*$/u;
const TAG_VALUE_MAX = 255;

/**
 * The tag value for an `__owner` input (`project/stack/name`); a resource name that does not fit a
 * tag value (too long, other characters) is replaced by its SHA-256. Undefined without a mark.
 */
export function ownerTagValue(owner: unknown): string | undefined {
  const m = parseOwner(owner);
  if (!m) return undefined;
  const plain = `${m.project}/${m.stack}/${m.resource}`;
  if (plain.length <= TAG_VALUE_MAX && TAG_VALUE_RE.test(plain)) return plain;
  const hash = createHash("sha256").update(m.resource).digest("hex");
  return `${m.project}/${m.stack}/sha256-${hash}`;
}

/** Parses `project/stack/name` (project and stack names hold no `/`); undefined when it is not one. */
export function parseOwner(v: unknown): OwnerMark | undefined {
  if (typeof v !== "string") return undefined;
  const a = v.indexOf("/");
  const b = a < 0 ? -1 : v.indexOf("/", a + 1);
  if (a <= 0 || b <= a + 1 || b === v.length - 1) return undefined;
  return { project: v.slice(0, a), stack: v.slice(a + 1, b), resource: v.slice(b + 1) };
}

/** The create body's `tags` for an `__owner` input: one tag, or none without a mark. */
export function ownerTags(owner: unknown): { key: string; value: string }[] | undefined {
  const value = ownerTagValue(owner);
  return value === undefined ? undefined : [{ key: OWNER_TAG_KEY, value }];
}

/** The mark a live object carries (its tag value), or undefined when it has none. */
export function markOf(
  tags: readonly { key: string; value: string }[] | null | undefined,
): string | undefined {
  return (tags ?? []).find((t) => t.key === OWNER_TAG_KEY)?.value;
}

/** "project/stack" of a mark (tag value or `__owner` input); undefined when it is not one. */
export function stackOf(mark: unknown): string | undefined {
  const m = parseOwner(mark);
  return m ? `${m.project}/${m.stack}` : undefined;
}

/** "stack dcaas/prod (resource branch-1)" for a live mark, or a phrase saying there is none. */
export function describeMark(mark: string | undefined): string {
  const m = parseOwner(mark);
  if (!m) return "it carries no pulumi-dcaas owner mark (made outside this provider or before marks)";
  return `it is marked as owned by stack ${m.project}/${m.stack} (resource ${m.resource})`;
}

/**
 * Why `importId` of an object marked by another stack (named) is refused, unless the program sets
 * `importFromOtherStack: true`; undefined when it may be adopted. Unmarked objects (made outside
 * Pulumi) may be adopted. `ins` are the resource's inputs (its `__owner` and the flag).
 */
export function importRefusal(
  what: string,
  mark: string | undefined,
  ins: Record<string, any>,
): string | undefined {
  const theirs = stackOf(mark);
  if (theirs === undefined || theirs === stackOf(ins[OWNER_INPUT]) || ins.importFromOtherStack === true)
    return undefined;
  return (
    `cannot adopt ${what}: ${describeMark(mark)}, not by this stack; two stacks managing one object ` +
    `would delete it under each other. If that stack no longer manages it, set importFromOtherStack: true`
  );
}

/** Throws the refusal of `importRefusal`, if any. */
export function assertImportable(what: string, mark: string | undefined, ins: Record<string, any>): void {
  const refusal = importRefusal(what, mark, ins);
  if (refusal !== undefined) throw new Error(refusal);
}

/**
 * Check's verdict on adopting an existing object named by `importId`, as `up` will give it: its
 * refusal (another stack's mark, a replace-only field that differs) as a failure on `importId`, or
 * else the line that says, at preview, what `up` will adopt.
 */
export function adoptionAtPreview(a: {
  /** The object, as the refusal names it: "virtual interface <id>". */
  refusalWhat: string;
  /** The object, as the differences name it. */
  what: string;
  mark: string | undefined;
  ins: Record<string, any>;
  differences: string[];
  /** `HostedVif "x" adopts virtual interface <id> ("name", ACTIVE)` */
  adopts: string;
  noun: "interface" | "peer";
  /** The program's name when it is known and differs from the live object's. */
  renamedTo: string | undefined;
}): { failures: { property: string; reason: string }[]; notice?: string } {
  const refusal = importRefusal(a.refusalWhat, a.mark, a.ins);
  if (refusal !== undefined) return { failures: [{ property: "importId", reason: refusal }] };
  if (a.differences.length > 0) {
    const reason = `cannot adopt ${a.what}: fields that cannot change in place differ from the program: ${a.differences.join("; ")}`;
    return { failures: [{ property: "importId", reason }] };
  }
  const rename = a.renamedTo !== undefined ? `, renamed to "${a.renamedTo}"` : "";
  return {
    failures: [],
    notice:
      `${a.adopts} named by importId: the preview shows a create; up takes the existing ${a.noun} ` +
      `over${rename}, and creates nothing`,
  };
}
