"""The real server's memory stays put when a coordinatrice uploads a long text filled down thousands of rows.

Before, the process that checks the isolated parser's answer built one message per row quoting the whole text,
and the dashboard's server grew to 3 GB at 100 000 rows and kept it. Here a real `streamlit run` (its own, so that
its process id is known) is driven by Debian's chromium through Playwright: sign in as coordination, upload a small
file of the same shape (so that what any first upload loads is paid before measuring), then the same file at 1 000
and at 5 000 rows, reading the server's resident memory before, during (its peak) and after each: the 4 000 rows
more may not cost the server more than a few kilobytes each (the text is 50 000 characters; the old messages cost
tens of kilobytes a row), and the server keeps none of it. Then the page shows the grouped problems whole, and the
page and another one still answer. The same upload at 100 000 rows, with the time it takes, is measured by
`python bench/bench_bounded.py --serveur` (never part of the tests).
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
SMALL, ROWS = 1_000, 5_000
# What each row more may add to the server's peak: far less than the text a row's message would quote (50 000
# characters, 50 to 200 KB in memory), more than what the cells of a row and their grouped problems take.
PER_ROW = 8 * 1024


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


def measured(page, pid: int, name: str, data: bytes, rows: int) -> tuple[int, int, int]:
    """The server's resident memory before the upload of `data`, at its peak while it is checked, and after."""
    before = rss(pid)
    with PeakWatch(pid) as watch:
        upload(page, name, data, rows)
    return before, watch.peak, rss(pid)


def test_long_text_filled_down_leaves_the_server_memory_and_page_usable(server, browser, tab):
    url, pid = server
    text = long_text(50_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 2000}, locale="fr-FR")
    try:
        open_saisie_signed_in(page, url, PASSWORD)
        upload(page, "petit.xlsx", filled_down(500, text), 500)

        small = measured(page, pid, "rempli_vers_le_bas_court.xlsx", filled_down(SMALL, text), SMALL)
        big = filled_down(ROWS, text)
        large = measured(page, pid, "rempli_vers_le_bas.xlsx", big, ROWS)
        page.screenshot(path=str(SHOTS / "22_texte_long_recopie.png"))
        (before_small, peak_small, _), (before, peak, after) = small, large
        print(f"\nserveur : {SMALL} lignes, pic {(peak_small - before_small) / MiB:+.0f} Mo ; {ROWS} lignes, "
              f"{before / MiB:.0f} Mo avant, {after / MiB:.0f} Mo après, pic {(peak - before) / MiB:+.0f} Mo, "
              f"fichier {len(big) / MiB:.2f} Mo")
        extra = (peak - before) - (peak_small - before_small)
        assert extra < (ROWS - SMALL) * PER_ROW, ([x / MiB for x in small], [x / MiB for x in large])
        assert after - before_small < 100 * MiB, ([x / MiB for x in small], [x / MiB for x in large])

        # The grouped problems, whole, on the page: 6 lines, each with its first rows and the count of the others.
        table = page.locator('[data-testid="stTable"]').last
        table.wait_for(timeout=60_000)
        shown = table.inner_text()
        for code in ("saisie-nombre-invalide", "saisie-texte-trop-long", "saisie-doublon",
                     "saisie-suivi-valeur-non-autorisee", "saisie-suivi-texte-trop-long", "saisie-suivi-doublon"):
            assert code in shown
        assert "et 4\u202f980 autres lignes" in shown and "et 4\u202f979 autres lignes" in shown
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
        another_page_loads(tab, url)
    except Exception:
        page.screenshot(path=str(SHOTS / "22_texte_long_recopie_echec.png"))
        raise
    finally:
        page.close()
