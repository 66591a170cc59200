/**
 * Keeps node:sqlite's ExperimentalWarning out of user programs. Nothing of this package loads
 * node:sqlite in a program, but the SDK's closure serializer (@pulumi/pulumi
 * runtime/closure/createClosure.js, computeBuiltInModules) `require`s every name in
 * `module.builtinModules` to recognise built-in modules in captured code, and from Node 23 that
 * list holds node:sqlite, whose first load prints "ExperimentalWarning: SQLite is an experimental
 * feature" (two more diagnostic messages on every preview). Loading it once here, with that one
 * warning swallowed, makes the serializer's require a cache hit. Every other warning still prints.
 */
import { builtinModules } from "node:module";

/** Loads node:sqlite once with its ExperimentalWarning suppressed, if this Node lists it. */
export function preloadSqliteQuietly(): void {
  if (!builtinModules.includes("node:sqlite")) return;
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning.message;
    if (/SQLite is an experimental feature/.test(text)) return;
    (emitWarning as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    require("node:sqlite");
  } catch {
    // A Node built without SQLite: the serializer skips nothing then either.
  } finally {
    process.emitWarning = emitWarning;
  }
}
