// The version of the installed pulumi-dcaas package, for `--version` of its command-line tools
// (and the emulator's /_emulator/health).

/** The package's version: ../package.json from the sources (api/), ../../package.json from dist/api/. */
export const PACKAGE_VERSION: string = (() => {
  for (const rel of ["../package.json", "../../package.json"]) {
    try {
      const pkg = require(rel) as { name?: string; version?: string };
      if (pkg.name === "pulumi-dcaas" && pkg.version) return pkg.version;
    } catch {
      // not at this level
    }
  }
  return "0.0.0";
})();
