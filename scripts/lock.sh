#!/usr/bin/env bash
# Regenerate requirements.lock (from requirements.txt) and requirements-dev.lock (from requirements-dev.txt): every
# package, transitive ones included, pinned with the hashes of all its files on PyPI, which scripts/_setup.sh installs
# with `pip install --require-hashes`. Run after changing a requirements file; extra arguments go to both
# `uv pip compile` calls (`--upgrade-package numpy`, `--upgrade`). Versions already locked are kept unless asked.
#
# Resolved for the machines the project runs on (CPython 3.11, Linux x86_64, glibc 2.28 or later) whatever machine
# runs this. The dev lock is constrained by the runtime one, so that the tests run the versions the dashboard runs,
# and run.sh and test.sh can share one .venv.
#
# uv, pinned, in a virtual environment of its own (.venv-lock): it is needed only here, never to run or test.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
UV_VERSION=0.13.8
LOCK_VENV="$ROOT/.venv-lock"
if ! "$LOCK_VENV/bin/uv" --version 2>/dev/null | grep -qx "uv $UV_VERSION.*"; then
    python3 -m venv "$LOCK_VENV"
    "$LOCK_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
cd "$ROOT"
compile() {
    "$LOCK_VENV/bin/uv" pip compile --quiet --generate-hashes --python-version 3.11 \
        --python-platform x86_64-manylinux_2_28 --custom-compile-command ./scripts/lock.sh "$@"
}
compile requirements.txt -o requirements.lock "${@}"
compile requirements-dev.txt -c requirements.lock -o requirements-dev.lock "${@}"
