"""The real server's memory stays put when a coordinatrice uploads a long text filled down 100 000 rows.

Before, the process that checks the isolated parser's answer built one message per row quoting the whole text,
and the dashboard's server grew to 3 GB and kept it. Here a real `streamlit run` (its own, so that its process id
is known) is driven by Debian's chromium through Playwright: sign in as coordination, upload a small file of the
same shape (so that what any first upload loads is paid before measuring), read the server's resident memory,
upload the 100 000-row file, read it again once the page shows the grouped problems, and check that the page and
another one still answer.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lne_data import auth

from .conftest import (
    PATIENT,
    SHOTS,
    MiB,
    Watch,
    another_page_loads,
    health,
    open_saisie_signed_in,
    rss,
    settle,
    streamlit_server,
)
from .filled_down import filled_down, long_text

pytestmark = pytest.mark.e2e

PASSWORD = "coordination-memoire-2026"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS = 100_000


class PeakWatch(Watch):
    """Samples a process's resident memory every 0.1 s while the block runs; `peak` is the highest seen."""

    def __init__(self, pid: int):
        super().__init__()
        self.pid, self.peak = pid, rss(pid)

    def sample(self) -> None:
        self.peak = max(self.peak, rss(self.pid))


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, int]]:
    """A `streamlit run` of its own (the URL and the server's process id), with a coordination password."""
    with streamlit_server(tmp_path_factory.mktemp("memoire") / "lne.duckdb",
                          **{auth.ENV_COORDINATION: auth.hash_password(PASSWORD)}) as (url, process):
        yield url, process.pid


def upload(page, name: str, data: bytes, rows: int) -> None:
    """Upload `data` and wait until the page shows its problems: the grouped line of its `rows` bad values."""
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": XLSX, "buffer": data}])
    others = f"{rows - 20:,}".replace(",", "\u202f")
    page.locator('[data-testid="stTable"]').get_by_text(f"et {others} autres lignes").first.wait_for(
        state="attached", timeout=300_000)
    settle(page, timeout=300_000)


def test_long_text_filled_down_100_000_rows_leaves_the_server_memory_and_page_usable(server, browser):
    url, pid = server
    text = long_text(50_000)
    big = filled_down(ROWS, text)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 2000}, locale="fr-FR")
    try:
        open_saisie_signed_in(page, url, PASSWORD)
        upload(page, "petit.xlsx", filled_down(1_000, text), 1_000)
        before = rss(pid)

        with PeakWatch(pid) as watch:
            upload(page, "rempli_vers_le_bas.xlsx", big, ROWS)
        after = rss(pid)
        page.screenshot(path=str(SHOTS / "22_texte_long_recopie_100000_lignes.png"))
        print(f"\nserveur : {before / MiB:.0f} Mo avant, {after / MiB:.0f} Mo après, pic {watch.peak / MiB:.0f} Mo, "
              f"fichier {len(big) / MiB:.1f} Mo")
        assert after - before < 100 * MiB, (before / MiB, after / MiB, watch.peak / MiB)

        # The grouped problems, whole, on the page: 6 lines, each with its first rows and the count of the others.
        table = page.locator('[data-testid="stTable"]').last
        table.wait_for(timeout=60_000)
        shown = table.inner_text()
        for code in ("saisie-nombre-invalide", "saisie-texte-trop-long", "saisie-doublon",
                     "saisie-suivi-valeur-non-autorisee", "saisie-suivi-texte-trop-long", "saisie-suivi-doublon"):
            assert code in shown
        assert "et 99\u202f980 autres lignes" in shown and "et 99\u202f979 autres lignes" in shown
        assert len(shown) < 20_000
        assert page.get_by_text("Fichier refusé : 6 erreur(s) à corriger").count() == 1
        assert page.get_by_role("button", name="Importer").count() == 0
        assert page.locator('[data-testid="stException"]').count() == 0

        # Still usable: the page answers a widget, the server its health check, another page loads.
        page.get_by_role("button", name="Liste des problèmes (CSV)").wait_for(timeout=60_000)
        page.get_by_text("Qui a répondu pour").first.click()
        settle(page, PATIENT)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert health(url) == 200
        another_page_loads(browser, url)
    except Exception:
        page.screenshot(path=str(SHOTS / "22_texte_long_recopie_100000_lignes_echec.png"))
        raise
    finally:
        page.close()
