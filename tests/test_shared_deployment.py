"""Two dashboard processes behind nginx share one database: an import through one is read through the other.

The deployment of docs/multi-process.md, on loopback: `deploy.shared.start` runs two `streamlit run` processes in
shared mode (`LNE_INSTANTANES`) and Debian's nginx in front, with sticky sessions (cookie `lne_serveur`). One
browser, kept on process A, signs in and imports a quarterly workbook on the Saisie page; another, kept on process
B, had the fiche open before the import (its caches hold the old state) and sees the new follow-up once it reloads.
Nothing here is timed: bench/bench_room.py measures this deployment.
"""

from __future__ import annotations

import os
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from lne_data import db, snapshots

from .conftest import APP_PASSWORD, APP_PASSWORD_HASH, MiB, anonymous_uploads, settle
from .hostile import workbook

pytestmark = [pytest.mark.e2e, pytest.mark.multiprocess]

BILAN = "Bilan de la salle 17 : trente élus connectés"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator:
    from deploy import shared

    if not Path(shared.NGINX).exists():
        pytest.fail("nginx manque : installez le paquet Debian « nginx-light » (scripts/test.sh le fait).")
    run_dir = tmp_path_factory.mktemp("deploiement")
    env = {**os.environ, "LNE_DB": str(run_dir / "maitre.duckdb"), "LNE_COORDINATION_HASH": APP_PASSWORD_HASH}
    env.pop("LNE_INSTANTANES", None)
    running = shared.start(run_dir, 2, env=env)
    try:
        yield running
    finally:
        running.stop()
        if not any(p.returncode not in (0, -15) for p in running.processes):
            shutil.rmtree(run_dir, ignore_errors=True)


def cookie_for(url: str, backend: str) -> str:
    """A value of the sticky cookie that nginx sends to `backend` (it says which process answered)."""
    for n in range(200):
        request = urllib.request.Request(f"{url}/_stcore/health", headers={"Cookie": f"lne_serveur=cle{n}"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            if answer.headers["X-LNE-Processus"] == backend:
                return f"cle{n}"
    raise AssertionError(f"aucune clé ne mène à {backend}")


def pinned_page(browser, url: str, key: str):
    context = browser.new_context(viewport={"width": 1280, "height": 2000}, locale="fr-FR")
    context.add_cookies([{"name": "lne_serveur", "value": key, "url": url}])
    return context, context.new_page()


def test_an_import_through_one_process_is_read_through_the_other(deployment, browser):
    url = deployment.url
    a, b = deployment.backends
    data = workbook([[6, "F06-I1", "2025-T3", 42, "Import de la salle", "Claire"]],
                    others={"Suivi": [["fiche", "periode", "statut", "meteo", "resultats", "freins", "saisi_par"],
                                      [6, "2025-T3", "en cours", "nuageux", BILAN, None, "Claire"]]})
    context_b, reader = pinned_page(browser, url, cookie_for(url, b))
    context_a, writer = pinned_page(browser, url, cookie_for(url, a))
    try:
        # B shows the fiche before the import: its caches now hold the examples' state.
        answer = reader.goto(f"{url}/Fiche?fiche=6", wait_until="domcontentloaded")
        assert answer.headers["x-lne-processus"] == b
        reader.get_by_text("Suivi trimestriel").wait_for(timeout=120_000)
        settle(reader)
        assert BILAN not in reader.content()

        answer = writer.goto(f"{url}/Saisie", wait_until="domcontentloaded")
        assert answer.headers["x-lne-processus"] == a
        writer.get_by_label("Mot de passe").wait_for(timeout=120_000)
        writer.get_by_label("Mot de passe").fill(APP_PASSWORD)
        writer.get_by_role("button", name="Se connecter").click()
        writer.get_by_label("Votre nom (enregistré dans l'historique)").wait_for(timeout=60_000)
        writer.get_by_label("Votre nom (enregistré dans l'historique)").fill("Claire")
        writer.keyboard.press("Enter")
        settle(writer)
        writer.locator('input[type="file"]').set_input_files(files=[{
            "name": "salle_17.xlsx", "buffer": data,
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
        writer.get_by_role("button", name="Importer").wait_for(timeout=120_000)
        writer.get_by_role("button", name="Importer").click()
        writer.get_by_text("Import n°").wait_for(timeout=120_000)
        assert writer.locator('[data-testid="stException"]').count() == 0

        # The single writer published a new snapshot; B reads it at its next page run.
        folder = Path(os.environ.get("LNE_INSTANTANES") or f"{deployment.run_dir / 'maitre.duckdb'}.instantanes")
        assert snapshots.SnapshotStore(deployment.run_dir / "maitre.duckdb", folder).generation() >= 2
        answer = reader.goto(f"{url}/Fiche?fiche=6", wait_until="domcontentloaded")
        assert answer.headers["x-lne-processus"] == b
        reader.get_by_text(BILAN).wait_for(timeout=120_000)
        assert reader.locator('[data-testid="stException"]').count() == 0
        assert "Données d'exemple" not in reader.content()  # the first real import removed them, for B too
    finally:
        context_a.close()
        context_b.close()


def test_the_master_stays_free_for_the_writer(deployment):
    """Between writes no process holds the master: the command line can open it (and publish afterwards)."""
    con = db.connect(deployment.run_dir / "maitre.duckdb", read_only=True)
    con.close()


def test_nginx_hides_the_metrics_and_a_process_refuses_anonymous_uploads(deployment):
    """nginx answers 404 at /_stcore/metrics itself (no process named in X-LNE-Processus); an anonymous session
    kept on process A by its sticky cookie has its uploads refused by A's gate, and A's memory stays put."""
    url = deployment.url
    for path in ("/_stcore/metrics", "//_stcore/metrics", "/_stcore/metrics?families=session_events_total"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{url}{path}", timeout=30)
        assert refused.value.code == 404 and refused.value.headers["X-LNE-Processus"] is None, path
    a = deployment.backends[0]
    answers, before, after = anonymous_uploads(url, deployment.processes[0].pid, 4, 19 * MiB,
                                               cookies={"lne_serveur": cookie_for(url, a)})
    assert answers == [403] * 4
    assert after - before < 20 * MiB, (before / MiB, after / MiB)
