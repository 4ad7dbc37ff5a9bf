#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian's chromium for the browser tests, LibreOffice Calc
# to produce quarterly files as people do in tests/test_producers.py) and run the whole suite. Extra arguments go
# to pytest. libreoffice-calc without recommends: about 40 MB to download, 210 MB installed (Debian 12).
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
UPDATED=""
if ! command -v chromium >/dev/null 2>&1; then
    $SUDO apt-get update -qq && UPDATED=1
    $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
if ! command -v soffice >/dev/null 2>&1; then
    [ -n "$UPDATED" ] || $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc >/dev/null
fi
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    # The multi-process deployment test puts nginx in front of two dashboards (tests/test_shared_deployment.py).
    [ -n "$UPDATED" ] || $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
fi
source "$(dirname "$0")/_setup.sh" requirements-dev.txt
cd "$ROOT"
exec "$PY" -m pytest "$@"
