/**
 * Silences node:sqlite's one ExperimentalWarning for the CLI (it is expected and not actionable);
 * imported before anything that loads node:sqlite. Every other warning still prints.
 */
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === "string" ? warning : warning.message;
  if (/SQLite is an experimental feature/.test(text)) return;
  (emitWarning as (...a: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
