#!/usr/bin/env bash
# Makes sure Debian's headless-capable Chromium is installed for the browser tests
# (test/e2e/console.test.ts drives it with playwright-core; no browser is ever downloaded).
# Prints the executable's path on stdout. Installs the `chromium` package with apt-get when it is
# missing (needs root, as on the project's machines and in CI). Env: DCAAS_CHROMIUM to use another
# executable. Exits non-zero with one line saying why when no browser can be had.
set -euo pipefail
if [ -n "${DCAAS_CHROMIUM:-}" ]; then
  [ -x "$DCAAS_CHROMIUM" ] || { echo "ensure-chromium: DCAAS_CHROMIUM=$DCAAS_CHROMIUM is not an executable" >&2; exit 1; }
  echo "$DCAAS_CHROMIUM"
  exit 0
fi
for bin in /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -x "$bin" ]; then
    echo "$bin"
    exit 0
  fi
done
command -v apt-get >/dev/null 2>&1 || { echo "ensure-chromium: no chromium and no apt-get to install it (set DCAAS_CHROMIUM)" >&2; exit 1; }
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: chromium is missing and installing it needs root: run 'apt-get install -y chromium' as root (or set DCAAS_CHROMIUM)" >&2
  exit 1
fi
echo "ensure-chromium: installing Debian's chromium with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-o DPkg::Lock::Timeout=900 -o Acquire::Retries=3)
# The package lists may be missing or stale on a fresh machine: update once, then install.
if ! apt-get "${apt_opts[@]}" install -y --no-install-recommends chromium fonts-dejavu-core >&2; then
  apt-get "${apt_opts[@]}" update >&2 || { echo "ensure-chromium: apt-get update failed" >&2; exit 1; }
  apt-get "${apt_opts[@]}" install -y --no-install-recommends chromium fonts-dejavu-core >&2 ||
    { echo "ensure-chromium: apt-get install chromium failed" >&2; exit 1; }
fi
[ -x /usr/bin/chromium ] || { echo "ensure-chromium: apt-get installed chromium but /usr/bin/chromium is missing" >&2; exit 1; }
echo /usr/bin/chromium
