#!/usr/bin/env bash
# Lint and formatting check (run through scripts/with-toolchain.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
eslint .
prettier --check "api/**/*.ts" "provider/**/*.ts" "emulator/**/*.ts" "cli/**/*.ts" "test/**/*.ts" "bench/**/*.ts" "examples/**/*.ts"
