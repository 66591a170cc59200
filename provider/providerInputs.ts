/**
 * The inputs only the provider has, not the API: `timeouts`, `importId`, `importFromOtherStack`,
 * and the `__provider` the engine adds; their checks, and the deadline an operation gets.
 */
import { parseDuration } from "./durations";
import { UUID_RE } from "../api/schemas";
import { isUnknown } from "./unknowns";

import type { ResourceTimeouts } from "./fields";

export type { ResourceTimeouts };

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

/** Check failures of `importId` (a UUID, or unknown). */
export function checkImportId(v: unknown): { property: string; reason: string }[] {
  if (v === undefined || v === null || v === "" || isUnknown(v)) return [];
  if (typeof v !== "string" || !UUID_RE.test(v)) {
    return [{ property: "importId", reason: "must be the id (a UUID) of the object to adopt" }];
  }
  return [];
}

/** Check failures of `importFromOtherStack` (a boolean, or unknown). */
export function checkImportFromOtherStack(v: unknown): { property: string; reason: string }[] {
  if (v === undefined || v === null || isUnknown(v) || typeof v === "boolean") return [];
  return [{ property: "importFromOtherStack", reason: "must be true or false" }];
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
