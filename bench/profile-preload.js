// Preload for CPU profiles of a benchmark's processes (see CONTRIBUTING.md, "Where the time goes").
// The engine stops the dynamic-provider host with SIGINT and then kills it; node writes a --cpu-prof
// profile only on a normal exit, so the provider exits normally on that signal.
if (process.argv.some((a) => /dynamic-provider/.test(a))) {
  process.on("SIGINT", () => process.exit(0));
  process.on("SIGTERM", () => process.exit(0));
}
