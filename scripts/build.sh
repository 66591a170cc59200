#!/usr/bin/env bash
# The build: compile to dist/ (tsconfig.build.json), then mark every `bin` in package.json
# executable. tsc writes files without the executable bit, so a bin that npm linked earlier (the
# npx cache of a checkout) would otherwise fail with "Permission denied" after a clean rebuild.
set -euo pipefail
cd "$(dirname "$0")/.."
tsc -p tsconfig.build.json
node -e '
const fs = require("node:fs");
for (const file of Object.values(require("./package.json").bin ?? {})) fs.chmodSync(file, 0o755);
'
