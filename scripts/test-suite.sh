#!/usr/bin/env bash
# Run one test suite by name (run through scripts/with-toolchain.sh). Suites that load the
# provider through its package name need the compiled dist/, so they build first.
set -euo pipefail
cd "$(dirname "$0")/.."
suite="$1"
shift || true
case "$suite" in
  unit | emulator)
    exec mocha "test/$suite/**/*.test.ts" "$@" ;;
  provider)
    bash scripts/build.sh
    exec mocha --timeout 300000 "test/$suite/**/*.test.ts" "$@" ;;
  e2e)
    # The secret scan over what every e2e test deposited is the final step, in the same mocha run
    # (so its test counts in the totals): named after the e2e files, outside their glob.
    bash scripts/build.sh
    exec mocha --timeout 300000 "test/e2e/**/*.test.ts" test/e2e/final/secret-scan.ts "$@" ;;
  bench)
    bash scripts/build.sh
    exec node -r ts-node/register/transpile-only bench/engine.bench.ts "$@" ;;
  bench-emulator)
    bash scripts/build.sh
    exec node -r ts-node/register/transpile-only bench/emulator.bench.ts "$@" ;;
  *)
    echo "unknown suite: $suite (unit, emulator, provider, e2e, bench, bench-emulator)" >&2
    exit 2 ;;
esac
