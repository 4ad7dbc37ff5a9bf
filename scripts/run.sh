#!/usr/bin/env bash
# Install and start the dashboard on its embedded data (the roadmap and labelled example entries).
# The database is created at var/lne.duckdb on first start (or at $LNE_DB).
set -euo pipefail
source "$(dirname "$0")/_setup.sh" requirements.lock
cd "$ROOT"
# One visit as soon as the server answers (deploy/warm_visit.py), so that the first élu does not pay the start.
"$PY" -m deploy.warm_visit "${PORT:-8501}" >/dev/null 2>&1 &
# server.py: the pages of app.py behind the gate of lne_data/server.py (uploads, metrics; README « Production »).
exec "$PY" -m streamlit run server.py --server.port "${PORT:-8501}" "$@"
