#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian's chromium for the browser tests, LibreOffice Calc
# to produce quarterly files as people do in tests/test_producers.py, Impress and poppler for the deck, node and npm
# for axe-core) and run the whole suite. Extra arguments go to pytest. libreoffice-calc without recommends: about
# 40 MB to download, 210 MB installed (Debian 12).
#
# `./scripts/test.sh --fast`: everything but the browser tests (markers e2e and multiprocess), so neither chromium,
# nginx, node nor axe-core is installed; LibreOffice still is (tests/test_producers.py, tests/test_deck_render.py).
# Style (ruff), types (mypy) and the layers (import-linter) are checked first, in both modes: a finding stops the run
# before the tests.
# Tests run on one worker per processor (pytest-xdist's `-n auto`: two on this project's 2-core machines and CI), a
# test module whole on one worker; `-n 0` among the arguments runs them in this process. The suite passes on four
# workers too (tried on 2 cores: 8 min 12 s against 7 min 58 s on two), so a larger machine shares it out. (Starting
# the browser modules first was tried: two browsers and servers side by side slowed each other, 15 min against 13.)
set -euo pipefail
FAST=""
if [ "${1:-}" = "--fast" ]; then
    FAST=1
    shift
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
UPDATED=""
if [ -z "$FAST" ] && ! command -v chromium >/dev/null 2>&1; then
    $SUDO apt-get update -qq && UPDATED=1
    $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
# Impress renders the deck (tests/test_deck_render.py), poppler-utils turns its pages into images to look at.
if ! command -v soffice >/dev/null 2>&1 || ! dpkg -s libreoffice-impress >/dev/null 2>&1 \
        || ! command -v pdftoppm >/dev/null 2>&1; then
    [ -n "$UPDATED" ] || $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc \
        libreoffice-impress poppler-utils >/dev/null
fi
if [ -z "$FAST" ] && ! command -v npm >/dev/null 2>&1; then
    [ -n "$UPDATED" ] || $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
if [ -z "$FAST" ] && ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    # The multi-process deployment test puts nginx in front of two dashboards (tests/test_shared_deployment.py).
    [ -n "$UPDATED" ] || $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
fi
source "$(dirname "$0")/_setup.sh" requirements-dev.lock
cd "$ROOT"
"$PY" -m ruff check .
"$PY" -m mypy
# The data flow of README « Architecture », as import-linter contracts (pyproject.toml).
"$VENV/bin/lint-imports"
if [ -n "$FAST" ]; then
    exec "$PY" -m pytest -n auto --dist loadfile -m "not e2e and not multiprocess" "$@"
fi
# axe-core, the accessibility audit injected by tests/a11y.py: the exact version and checksum of
# tests/package-lock.json, from the npm registry.
npm ci --prefix tests --no-audit --no-fund --silent
exec "$PY" -m pytest -n auto --dist loadfile "$@"
