#!/usr/bin/env bash
# Fuzzes a running emulator's OpenAPI document with schemathesis (from PyPI, pinned), installed
# into a virtualenv in the cache and reused when present.
# Usage: scripts/schemathesis.sh BASE_URL [extra schemathesis run options...]
# Env: DCAAS_CACHE_DIR (default ~/.cache/pulumi-dcaas), SCHEMATHESIS_MAX_EXAMPLES (default 30),
#      SCHEMATHESIS_TOKEN and SCHEMATHESIS_PROJECT_ID (default the fixture token and project A).
set -euo pipefail
SCHEMATHESIS_VERSION=4.32.5
url="${1:?usage: scripts/schemathesis.sh BASE_URL [options...]}"
shift
case "$url" in
  http://127.0.0.1:* | http://localhost:* | http://\[::1\]:*) ;;
  *) echo "schemathesis.sh: only loopback URLs are allowed, got $url" >&2; exit 2 ;;
esac
cache="${DCAAS_CACHE_DIR:-$HOME/.cache/pulumi-dcaas}"
venv="$cache/schemathesis-venv"
if ! "$venv/bin/st" --version 2>/dev/null | grep -qF "$SCHEMATHESIS_VERSION"; then
  echo "schemathesis.sh: installing schemathesis==$SCHEMATHESIS_VERSION into $venv" >&2
  rm -rf "$venv"
  mkdir -p "$cache"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --disable-pip-version-check --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi
# Hypothesis keeps its example database in the working directory: run from a scratch one.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# Every path is under the fixture project the token belongs to (a random project id only
# exercises the 403 of another project).
cat >schemathesis.toml <<TOML
[parameters]
"path.project_id" = "${SCHEMATHESIS_PROJECT_ID:-0a1b2c3d4e5f60718293a4b5c6d7e8f9}"
TOML
exec "$venv/bin/st" --no-color run "$url/openapi.json" \
  --url "$url" \
  --header "X-Auth-Token: ${SCHEMATHESIS_TOKEN:-emulator-token-project-a}" \
  --checks not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-30}" \
  --workers 1 \
  "$@"
