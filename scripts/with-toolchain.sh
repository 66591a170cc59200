#!/usr/bin/env bash
# Run a command with the project's toolchain on PATH (Node 22+, node_modules/.bin, pulumi).
set -euo pipefail
# shellcheck source=bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
exec "$@"
