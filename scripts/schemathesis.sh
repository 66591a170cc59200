#!/usr/bin/env bash
# Fuzzes a running emulator's OpenAPI document with schemathesis (from PyPI, pinned), installed
# by scripts/python-venv.sh into a virtualenv in the cache and reused when present.
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
# The cached virtualenv (shared with the Huawei SDK tests) holds schemathesis==$SCHEMATHESIS_VERSION.
venv=$(bash "$(dirname "$0")/python-venv.sh")
if ! "$venv/bin/st" --version 2>/dev/null | grep -qF "$SCHEMATHESIS_VERSION"; then
  echo "schemathesis.sh: $venv has no schemathesis $SCHEMATHESIS_VERSION (see scripts/python-venv.sh)" >&2
  exit 1
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
