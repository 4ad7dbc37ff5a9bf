"""End to end, in a real Chromium: text typed by users neither leaves as a live formula nor becomes a link.

Exports.
Streamlit's own table toolbar offers « Download as CSV » to every visitor and writes each cell as typed: a comment
`=HYPERLINK(…)` or `+cmd|…` would open as a live formula in Excel, undoing the project's neutralised downloads.
The server runs on a database holding such comments, once with the project's configuration and once with a
deployment setting turning the export back on (`STREAMLIT_CLIENT_DISABLE_DATA_EXPORT=false`, as a container's
environment could); in both, the details of the import on the public Historique page have a toolbar (search,
full screen) without any download.

Links. Streamlit's Markdown turns bare addresses (`http://…`, `www.…`, `nom@domaine.fr`) into links even when
every punctuation mark is escaped; the Fiche page shows the follow-up texts and qualitative answers typed by
porteurs in such tables, to anonymous readers. There, they must show as typed and link nowhere.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lne_data import db, saisie, versions
from lne_data.referentiel import read_referentiel

from .conftest import REFERENTIEL, TODAY, settle, streamlit_server
from .hostile import HYPERLINK, PLUS_CMD, workbook

pytestmark = pytest.mark.e2e

HYPERLINK_CLIC = '=HYPERLINK("http://x","clic")'
CALC = "+cmd|' /C calc'!A0"
BARE = "Voir http://evil.example/piege, www.evil.example ou contact@evil.example"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("exports") / "lne.duckdb"
    con = db.connect(path)
    db.migrate(con)
    versions.load(con, read_referentiel(REFERENTIEL.read_bytes()))
    data = workbook([[6, "F06-I1", "2025-T3", 85, HYPERLINK_CLIC, CALC],
                     [6, "F06-I4", "2025-T3", HYPERLINK, PLUS_CMD, None]],
                    others={"Suivi": [["fiche", "periode", "statut", "meteo", "resultats", "freins", "saisi_par"],
                                      [6, "2025-T3", "en cours", "nuageux", BARE, f"Freins : {BARE}",
                                       "claire@evil.example"]]})
    validation = saisie.check_file(data, "t3.xlsx", saisie.load_context(con, today=TODAY))
    assert validation.errors == [], validation.errors
    saisie.import_file(con, validation, auteur=CALC)
    con.close()
    return str(path)


@pytest.fixture(scope="module", params=["config du projet", "export réactivé"])
def server(request, hostile_db) -> Iterator[str]:
    env = {"STREAMLIT_CLIENT_DISABLE_DATA_EXPORT": "false"} if request.param == "export réactivé" else {}
    with streamlit_server(hostile_db, **env) as (url, _process):
        yield url


def test_the_table_toolbar_offers_no_download(server, tab):
    page = tab
    page.set_viewport_size({"width": 1280, "height": 1400})
    page.goto(server + "/Historique", wait_until="domcontentloaded")
    settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    # The tables in view (the files' fingerprints wait in the folded « Détails techniques »).
    tables = page.locator('[data-testid="stDataFrame"]:visible')
    tables.nth(1).wait_for(timeout=60_000)  # the first visitor of a fresh server waits for its imports
    assert tables.count() == 2  # the imports, and the details of the one selected (with its comments)
    for n in range(tables.count()):
        tables.nth(n).hover()
        toolbar = tables.nth(n).locator('xpath=..').locator('[data-testid="stElementToolbar"]')
        # The toolbar is there (search, full screen), so a download button would be found if offered.
        toolbar.get_by_role("button", name="Search").wait_for(timeout=10_000)
        labels = [b.get_attribute("aria-label") or b.inner_text()
                  for b in toolbar.get_by_role("button").all()]
        assert not [label for label in labels if "download" in label.lower() or "csv" in label.lower()], labels


def test_bare_addresses_typed_by_porteurs_link_nowhere(server, tab):
    page = tab
    page.set_viewport_size({"width": 1280, "height": 3000})
    page.goto(server + "/Fiche?fiche=6", wait_until="domcontentloaded")
    page.get_by_text("Suivi trimestriel").wait_for(timeout=60_000)
    settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    shown = page.locator('[data-testid="stTable"]').all_inner_texts()
    # Shown as typed (the word joiners that break the patterns are invisible)...
    assert any(BARE in text.replace("\u2060", "") for text in shown), shown
    assert any(f"Freins : {BARE}" in text.replace("\u2060", "") for text in shown)
    assert any("claire@evil.example" in text.replace("\u2060", "") for text in shown)
    # ... and nothing on the page leads there.
    links = [a.get_attribute("href") for a in page.locator("a").all()]
    assert [href for href in links if href and "evil" in href] == [], links
