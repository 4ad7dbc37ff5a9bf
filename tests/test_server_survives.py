"""The real server survives hostile uploads: a workbook with one value in XFD1048576 (which makes calamine-based
readers abort the whole process) and a 256 MiB zip bomb are refused with their French message and code, while
`/_stcore/health` keeps answering 200 and another page keeps loading, during the upload and after it.

A real `streamlit run` (the fixture of tests/test_e2e.py, with a coordination password in its environment) is
driven by Debian's chromium through Playwright; the refusals are kept as screenshots in artifacts/screenshots/.
"""

from __future__ import annotations

import urllib.request

import pytest

from lne_data import auth

from .conftest import PATIENT, SHOTS, Watch, another_page_loads, health, open_saisie_signed_in, settle
from .hostile import xfd_bytes, zip_bomb_bytes

pytestmark = pytest.mark.e2e

PASSWORD = "coordination-e2e-2026"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOADS = [
    ("valeur_en_XFD1048576.xlsx", xfd_bytes, "feuille-trop-grande", "20_rejet_xfd1048576"),
    ("bombe_zip_256_Mio.xlsx", zip_bomb_bytes, "zip-suspect", "21_rejet_bombe_zip"),
]


@pytest.fixture(scope="module")
def coordination_password():
    """In the environment before the server fixture starts streamlit, which inherits it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(auth.ENV_COORDINATION, auth.hash_password(PASSWORD))
        yield PASSWORD


class HealthWatch(Watch):
    """Polls /_stcore/health every 0.2 s for as long as the block runs; keeps every status (or error)."""

    interval = 0.2

    def __init__(self, url: str):
        super().__init__()
        self.url = f"{url}/_stcore/health"
        self.answers: list[object] = []

    def sample(self) -> None:
        try:
            with urllib.request.urlopen(self.url, timeout=10) as response:
                self.answers.append(response.status)
        except OSError as exc:
            self.answers.append(repr(exc))


def test_hostile_uploads_are_refused_and_the_server_keeps_serving(coordination_password, server, browser,
                                                                   tab):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    try:
        file_input = open_saisie_signed_in(page, server, coordination_password)

        for name, build, code, shot in UPLOADS:
            with HealthWatch(server) as watch:
                file_input.set_input_files(files=[{"name": name, "mimeType": XLSX, "buffer": build()}])
                another_page_loads(tab, server)  # while the upload is being checked
                refused = page.get_by_text("Fichier refusé")
                refused.wait_for(timeout=180_000)
                settle(page, PATIENT)
                problems = page.locator('[data-testid="stTable"]').last  # the problems, shown whole
                problems.wait_for(timeout=60_000)
                page.get_by_text(code, exact=False).first.wait_for(state="attached", timeout=60_000)
            page.screenshot(path=str(SHOTS / f"{shot}.png"))
            assert watch.answers and set(watch.answers) == {200}, watch.answers
            assert "Rien n'a été enregistré" in refused.inner_text()
            assert page.get_by_role("button", name="Importer").count() == 0
            assert page.locator('[data-testid="stException"]').count() == 0
            assert health(server) == 200
            another_page_loads(tab, server)  # and afterwards
    finally:
        page.close()
