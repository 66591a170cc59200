#!/usr/bin/env bash
# `npm test`: lint, type-check, build, then every suite (unit, emulator, provider, e2e).
# Prints each step's wall time and one closing line "tests: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT
status=0
passed=0 failed=0 pending=0

step() { # name command...
  local name="$1" start end
  shift
  echo
  echo "=== $name"
  start=$(date +%s)
  "$@" 2>&1 | tee "$log_dir/$name.log"
  local rc=${PIPESTATUS[0]}
  end=$(date +%s)
  echo "=== $name: exit $rc in $((end - start))s"
  if [ "$rc" -ne 0 ]; then status=1; fi
  local p f s
  p=$(grep -aoE '^ *[0-9]+ passing' "$log_dir/$name.log" | grep -oE '[0-9]+' | tail -1)
  f=$(grep -aoE '^ *[0-9]+ failing' "$log_dir/$name.log" | grep -oE '[0-9]+' | tail -1)
  s=$(grep -aoE '^ *[0-9]+ pending' "$log_dir/$name.log" | grep -oE '[0-9]+' | tail -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); pending=$((pending + ${s:-0}))
  # A suite that crashed before mocha's summary still counts as a failure.
  if [ "$rc" -ne 0 ] && [ -z "$f" ]; then failed=$((failed + 1)); fi
  return 0
}

step lint bash scripts/lint.sh
step typecheck tsc -p tsconfig.json --noEmit
step build bash scripts/build.sh
for suite in unit emulator provider e2e; do
  if compgen -G "test/$suite/*.test.ts" >/dev/null || compgen -G "test/$suite/**/*.test.ts" >/dev/null; then
    step "$suite" bash scripts/test-suite.sh "$suite"
  else
    echo "=== $suite: no tests yet"
  fi
done
echo
echo "tests: $passed passed, $failed failed, $pending skipped"
exit $status
