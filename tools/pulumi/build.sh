#!/usr/bin/env bash
# Build the Pulumi CLI and this project's Node.js language host with Go, from the Go module proxy,
# into a cache directory outside the repository keyed by version and by this directory's contents.
#   build.sh VERSION            build if needed (VERSION like v3.259.0, must match go.mod)
#   build.sh --bindir VERSION   print the bin directory
# See README.md beside this file for why it looks like this.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
print_only=""
if [ "${1:-}" = "--bindir" ]; then print_only=1; shift; fi
want="${1:?usage: build.sh [--bindir] VERSION}"
cache="${DCAAS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-dcaas}"
key=$(cat "$here/go.mod" "$here/go.sum" "$here/build.sh" "$here"/langhost/*.go | sha256sum | cut -c1-12)
dir="$cache/pulumi-$want-$key"
if [ -n "$print_only" ]; then echo "$dir/bin"; exit 0; fi
if [ -x "$dir/bin/pulumi" ] && [ -x "$dir/bin/pulumi-language-nodejs" ] && [ -x "$dir/bin/pulumi-resource-pulumi-nodejs" ]; then
  exit 0
fi

pinned=$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 }' "$here/go.mod")
if [ "$pinned" != "$want" ]; then
  echo "[pulumi-build] error: @pulumi/pulumi is $want but tools/pulumi/go.mod pins pkg/v3 $pinned." >&2
  echo "[pulumi-build] Keep them equal: set both to one version the Go module proxy serves." >&2
  exit 1
fi
if ! command -v go >/dev/null 2>&1; then
  echo "[pulumi-build] error: Go is not installed. Install Go 1.25 or newer (https://go.dev/doc/install," >&2
  echo "[pulumi-build] or 'apt-get install golang-go' where it is new enough), or put a pulumi $want CLI" >&2
  echo "[pulumi-build] with its pulumi-language-nodejs plugin on PATH." >&2
  exit 1
fi

echo "[pulumi-build] building pulumi $want and pulumi-language-nodejs with $(go version | cut -d' ' -f3) into $dir" >&2
echo "[pulumi-build] a cold build downloads ~1 GiB of modules and takes 10-20 minutes on 2 cores; later runs reuse it" >&2
start=$(date +%s)
tmp="$dir.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp/bin"
trap 'rm -rf "$tmp"' EXIT
(
  cd "$here"
  export GOFLAGS="-mod=readonly -trimpath"
  go build -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$want" \
    -o "$tmp/bin/" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi ./langhost
)
mv "$tmp/bin/langhost" "$tmp/bin/pulumi-language-nodejs"
# The dynamic provider plugin is a small shell script shipped inside the @pulumi/pulumi npm package.
sdk_script="$here/../../node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
if [ ! -f "$sdk_script" ]; then
  echo "[pulumi-build] error: $sdk_script is missing; run npm ci first" >&2
  exit 1
fi
install -m 0755 "$sdk_script" "$tmp/bin/pulumi-resource-pulumi-nodejs"
"$tmp/bin/pulumi" version >/dev/null
rm -rf "$dir"
# Drop other builds (each ~130 MB) untouched for a day; a recent one may belong to another checkout
# sharing this cache, or be running right now.
find "$cache" -maxdepth 1 -name "pulumi-v*" ! -name "$(basename "$dir")*" -mmin +1440 -exec rm -rf {} + 2>/dev/null || true
mv "$tmp" "$dir"
trap - EXIT
echo "[pulumi-build] built $("$dir/bin/pulumi" version) in $(($(date +%s) - start))s" >&2
