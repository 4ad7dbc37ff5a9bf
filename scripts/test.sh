#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian's chromium for the browser tests) and run
# the whole suite. Extra arguments go to pytest.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
source "$(dirname "$0")/_setup.sh" requirements-dev.txt
cd "$ROOT"
exec "$PY" -m pytest "$@"
