/**
 * Pulumi's preview-time unknown: the sentinel the engine sends for an input not known yet, and
 * tests for it.
 */
import { PULUMI_UNKNOWN } from "../api/rules";

/** The value Pulumi sends for an unknown input during preview (`pulumi.runtime.unknownValue`). */
export const UNKNOWN = PULUMI_UNKNOWN;

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
