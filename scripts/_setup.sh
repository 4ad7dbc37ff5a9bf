# Shared by run.sh, test.sh and lne: a virtual environment with the locked requirements (requirements.lock or
# requirements-dev.lock, the argument). Sourced, not executed. Re-running is cheap: pip only installs what changed.
# --require-hashes: every package, transitive ones included, at the version the tests ran with and with the hash of
# its file on PyPI; a requirement missing from the lock stops here (regenerate with ./scripts/lock.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${LNE_VENV:-$ROOT/.venv}"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r "$ROOT/$1"
PY="$VENV/bin/python"
