"""End to end: a real `streamlit run` on a free loopback port, Debian's chromium driven by Playwright.

Every page opened by its menu address is drawn whole, in French and accessible: tests/test_e2e_a11y.py, which
visits them all. Here, pages opened by an address an élu is sent (a fiche, a filtered page) and what the élu does
there (download, read the money planned); the test fails if Streamlit shows an exception or if the page's main
chart is not drawn, and keeps a screenshot of each page in artifacts/screenshots/ (1280×720, the size of a shared
screen in a meeting).
"""

from __future__ import annotations

import time

import pytest

from .conftest import SHOTS, painted, settle

pytestmark = pytest.mark.e2e

# (path, screenshot name, Plotly charts drawn at least)
LINKED = [
    ("/Fiche?fiche=6", "06_fiche_6", 1),
    # Axe 2 alone: one bar, three kinds of amount in the legend (its second row once lay over the title « euros »).
    ("/Budget?axe=2", "09_budget_axe_2", 2),
    # Every screen of Mode réunion is tested at the projector's size, and kept, by tests/test_e2e_reunion.py.
]


# A chart's axis labels or title that its legend covers, drawn in Chromium with the fonts of the machine.
_UNDER_THE_LEGEND = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap((plot, i) => {
  const legend = plot.querySelector('g.legend');
  if (!legend) return [];
  const l = legend.getBoundingClientRect();
  return [...plot.querySelectorAll('.xtitle, .ytitle, .xtick text, .ytick text')].filter(o => {
    const r = o.getBoundingClientRect();
    return r.width > 0 && !(r.right <= l.left || r.left >= l.right || r.bottom <= l.top || r.top >= l.bottom);
  }).map(o => `graphique ${i + 1} : ${o.textContent}`);
})"""


@pytest.mark.parametrize("path, name, charts", LINKED, ids=[p[1] for p in LINKED])
def test_a_page_opened_by_a_link_renders_in_chromium(server, tab, path, name, charts):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = tab
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(server + path, wait_until="domcontentloaded")
    settle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    # Streamlit scrolls inside its own container: a tall viewport shows the whole page at once.
    page.set_viewport_size({"width": 1280, "height": 3000})
    painted(page)
    page.screenshot(path=str(SHOTS / f"{name}_complet.png"))
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator(".js-plotly-plot").count() >= charts
    assert not page.evaluate(_UNDER_THE_LEGEND), name
    title = page.locator("h1, h2").first.inner_text()
    assert title and "Error" not in title
    assert "Données d'exemple" in page.content()  # fresh install: the banner says the values are examples


def test_budget_downloads_say_non_chiffre_never_zero(server, tab, tmp_path):
    """What an élu downloads from « Voir les données » under the budget chart: a fiche the roadmap leaves
    unquantified is « non chiffré » with empty amounts, in the CSV and in the Excel file, never 0 €."""
    import csv
    import io

    import openpyxl

    page = tab  # its context accepts downloads (Playwright's default)
    page.set_viewport_size({"width": 1280, "height": 720})
    downloads: list = []

    def record(download) -> None:
        downloads.append(download)

    try:
        page.goto(server + "/Budget", wait_until="domcontentloaded")
        settle(page)
        page.get_by_text("Voir les données").first.click()
        # On a server that has served two pages only, a click landing before the page's last run had ended was
        # lost (its button's file address was that of the run before): the élu clicks on a page at rest.
        settle(page)
        # One click right after the other, as an élu does: a download must not rerun the page (a rerun gave every
        # button a new file address, and the second click, landing during it, downloaded nothing).
        page.on("download", record)
        for label in ("Télécharger (CSV)", "Télécharger (Excel)"):
            page.get_by_role("button", name=label).first.click()
        deadline = time.monotonic() + 60
        while len(downloads) < 2 and time.monotonic() < deadline:
            page.wait_for_timeout(100)  # the download events arrive through Playwright's loop
        # Streamlit says under a button why its file did not come (« Download failed », a timeout…).
        errors = page.locator('[data-testid="stDownloadButtonError"]').all_inner_texts()
        assert len(downloads) == 2, ([d.suggested_filename for d in downloads], errors)
        files = {}
        for download in downloads:
            path = tmp_path / download.suggested_filename
            download.save_as(path)
            files["Télécharger (CSV)" if path.suffix == ".csv" else "Télécharger (Excel)"] = path
    finally:
        page.remove_listener("download", record)
    text = files["Télécharger (CSV)"].read_bytes().decode("utf-8-sig")
    rows = {int(r["Fiche"]): r for r in csv.DictReader(io.StringIO(text), delimiter=";")}
    wb = openpyxl.load_workbook(files["Télécharger (Excel)"])
    header, *body = wb.worksheets[0].iter_rows(values_only=True)
    cells = {int(r[0]): dict(zip(header, r)) for r in body}
    amounts = ["Ponctuel (€)", "Par an (€)", "Période non précisée (€)", "Prévu sur la feuille de route (€)"]
    for fiche in (7, 9, 11, 12, 14, 15, 16, 17, 18, 19):
        assert rows[fiche]["Chiffrage"] == cells[fiche]["Chiffrage"] == "non chiffré", fiche
        assert all(rows[fiche][a] == "" for a in amounts), rows[fiche]
        assert all(cells[fiche][a] is None for a in amounts), cells[fiche]
    assert rows[8]["Ponctuel (€)"] == "20000,0" and cells[8]["Ponctuel (€)"] == 20000
    assert rows[6]["Période non précisée (€)"] == "5000,0" and rows[6]["Ponctuel (€)"] == "0,0"


def test_the_money_planned_is_told_whole_at_the_size_of_a_shared_screen(server, tab):
    """« Combien pour l'axe 3 ? » read in Chromium at 1280×720: axe 3's card names every kind of amount its text
    gives (a sum per partner structure, fiches without a figure), no card of an axe with amounts says « 0 € », and
    Mode réunion's budget screen says the conditional 5 000 € of axe 1 as conditional."""
    import re

    page = tab
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(server + "/", wait_until="domcontentloaded")
    settle(page)
    cards = page.locator('[data-testid="stColumn"]').filter(has_text="Budget :")
    cards.first.wait_for(timeout=60_000)
    texts = [" ".join(t.split()) for t in cards.all_inner_texts()]
    assert len(texts) == 3, texts
    axe3 = next(t for t in texts if t.startswith("3."))
    assert ("Budget : 15 200 € prévus sur 2024-2027 ; + 2 500 € par structure partenaire (nombre non fixé) ; "
            "4 fiches non chiffrées (16, 17, 18, 19)") in axe3, axe3
    assert not [t for t in texts if re.search(r"(?<![\d ])0 €", t)], texts
    page.goto(server + "/Reunion?etape=8", wait_until="domcontentloaded")
    settle(page)
    page.locator("h3").filter(has_text="Budget par axe").first.wait_for(timeout=60_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    # Plotly draws each wrapped line apart: compared without spaces
    drawn = "".join(page.locator(".js-plotly-plot").first.inner_text().split())
    said = "13\u202f800\u00a0€ prévus sur 2024-2027, dont 5\u202f000\u00a0€ sous condition"
    assert "".join(said.split()) in drawn, drawn
