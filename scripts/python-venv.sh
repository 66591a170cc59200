#!/usr/bin/env bash
# Ensures the cached Python virtualenv the suite uses (schemathesis, and Huawei Cloud's own SDK
# for the SDK tests), installed from PyPI with pinned versions, and prints its directory.
# Installs once; a lock keeps parallel test runs from installing over each other.
# Env: DCAAS_CACHE_DIR (default ~/.cache/pulumi-dcaas).
set -euo pipefail
# Pinned: schemathesis for the OpenAPI fuzzing; huaweicloudsdkcore/huaweicloudsdkdc (3.1.219) for
# the SDK tests; python-dateutil, which huaweicloudsdkcore imports to parse times but does not declare.
REQUIREMENTS=(
  "schemathesis==4.32.5"
  "huaweicloudsdkcore==3.1.219"
  "huaweicloudsdkdc==3.1.219"
  "python-dateutil==2.9.0.post0"
)
cache="${DCAAS_CACHE_DIR:-$HOME/.cache/pulumi-dcaas}"
venv="$cache/schemathesis-venv"
stamp="$venv/.requirements"
want=$(printf '%s\n' "${REQUIREMENTS[@]}")
mkdir -p "$cache"
exec 9>"$cache/python-venv.lock"
flock 9
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "python-venv.sh: installing ${REQUIREMENTS[*]} into $venv" >&2
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --disable-pip-version-check --quiet "${REQUIREMENTS[@]}" >&2
  printf '%s\n' "$want" >"$stamp"
fi
echo "$venv"
