"""Mode réunion on a projector: a real server, Chromium at 1280×720, every screen of the meeting.

For each screen, on the Lot with its examples and on a 120-fiche roadmap built here (long axes, long titles, many
porteurs), reached as the presenter reaches it (the first by its address, each next one with the clicker's « page
suivante », the address following): the sidebar is folded, no text is outside the window or outside the chart that
draws it (nothing to scroll, nothing cut), and every text is 20 px or more (the buttons aside: they are for the
presenter). The keyboard and a presenter's clicker move through the screens and the address keeps the screen.
Screenshots go to artifacts/screenshots/reunion/.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS, SHOTS, run_cli, settle, streamlit_server, xlsx

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 1280, 720
SMALLEST_PX = 20
# Every text node of the main area: its size, its box, and the box of the chart drawing it (if any).
MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const found = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, text = node.textContent.trim();
    if (!text) continue;
    const element = node.parentElement;
    if (element.closest('button, .modebar, .hoverlayer')) continue;
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || style.display === 'none' || style.opacity === '0') continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const chart = element.closest('.js-plotly-plot');
    const frame = chart ? chart.getBoundingClientRect() : null;
    found.push({text: text.slice(0, 60), size: parseFloat(style.fontSize), left: box.left, right: box.right,
                top: box.top, bottom: box.bottom,
                chart: frame ? [frame.left, frame.right, frame.top, frame.bottom] : null});
  }
  return found;
}"""


# A bare Debian has DejaVu Sans only (fonts-dejavu-core), wider than the Liberation or Arial of a desktop: the
# meeting is checked with the fonts of the widest case, whatever else this machine has.
DEJAVU_ONLY = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>*Liberation*</glob><glob>*liberation*</glob><glob>*Noto*</glob><glob>*Arial*</glob>
  </rejectfont></selectfont>
</fontconfig>
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    fonts = tmp_path_factory.mktemp("fonts") / "fonts.conf"
    fonts.write_text(DEJAVU_ONLY)
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts)}
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, env=env)
        yield instance
        instance.close()


def fiches_roadmap(count: int = 120) -> bytes:
    """A roadmap of `count` fiches over 4 axes (one of 60 fiches), titles of up to 150 characters, up to three
    porteurs a fiche, three indicators each."""
    porteurs_ = [f"Structure partenaire départementale n°{i}" for i in range(1, 31)]
    axes = [[1, "Inclusion numérique des publics éloignés et accompagnement de proximité sur tout le territoire"],
            [2, "Infrastructures"], [3, "Usages et services numériques des collectivités"], [4, "Gouvernance"]]
    sizes = {1: 60, 2: 20, 3: 25, 4: count - 105}
    fiches, porteurs, indicateurs, moyens = [], [], [], []
    numero = 0
    for axe, size in sizes.items():
        for _ in range(size):
            numero += 1
            long = " et de leurs partenaires associatifs, culturels et sociaux" * (numero % 3)
            fiches.append([numero, f"{axe}.1", f"Action {numero} : accompagner les habitants{long}"[:150]])
            for k in range(1 + numero % 3):
                porteurs.append([numero, porteurs_[(numero + 7 * k) % len(porteurs_)], "porteur" if k == 0
                                 else "co-porteur"])
            for k in range(1, 4):
                indicateurs.append([f"F{numero:03d}-I{k}", numero, f"Indicateur {k} de la fiche {numero}", "nombre",
                                    "personnes", "flux", 100])
            moyens.append([numero, "INVESTISSEMENT", "investissement", porteurs_[numero % len(porteurs_)], "oui",
                           1000 * (numero % 7 + 1), "EUR", "ponctuel", "montant"])
            moyens.append([numero, "RH", "etp", porteurs_[numero % len(porteurs_)], "oui", 0.1, "ETP", "ponctuel",
                           "0,1 ETP"])
    return xlsx({
        "feuille_de_route": [["titre", "territoire", "structure_coordinatrice", "annee_debut", "annee_fin",
                              "version", "source"],
                             ["Feuille de route de test à 120 fiches", "Test", porteurs_[0], 2024, 2027, "v1", "test"]],
        "axes": [["code", "libelle"], *axes],
        "objectifs": [["code", "axe", "libelle"], *[[f"{a}.1", a, f"Objectif de l'axe {a}"] for a, _ in axes]],
        "fiches": [["numero", "objectif", "intitule"], *fiches],
        "structures": [["nom", "variantes", "type"], *[[s, "", "collectivité"] for s in porteurs_]],
        "porteurs": [["fiche", "structure", "role"], *porteurs],
        "partenaires": [["fiche", "structure"]],
        "moyens": [["fiche", "rubrique", "nature", "structure", "quantifie", "montant", "unite", "periodicite",
                    "source"], *moyens],
        "indicateurs": [["code", "fiche", "libelle", "type", "unite", "mode", "cible"], *indicateurs],
    })


LATE = ["F01-I1", "F02-I1", "F02-I2", "F02-I3", "F03-I1"]


def start(db_file: Path) -> Iterator[str]:
    with streamlit_server(db_file) as (url, _process):
        yield url


@pytest.fixture(scope="module", params=["lot", "120_fiches"])
def meeting(request, tmp_path_factory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("reunion")
    db_file = folder / "lne.duckdb"
    if request.param == "120_fiches":
        workbook = folder / "referentiel.xlsx"
        workbook.write_bytes(fiches_roadmap())
        done = run_cli("init", "--referentiel", str(workbook), "--exemples", "--db", str(db_file))
        assert done.returncode == 0, done.stderr
    else:
        # The Lot with indicators behind their trajectory, figures with decimals and thousands: the points
        # d'attention list them on its last screen (a row once wrapped and was cut through its letters).
        done = run_cli("init", "--exemples", "--db", str(db_file))
        assert done.returncode == 0, done.stderr
        for code in LATE:
            done = run_cli("cible", code, "--valeur", "1 234 567,89", "--motif", "retard", "--db", str(db_file))
            assert done.returncode == 0, done.stderr
    yield from ((f"{url}/Reunion", request.param) for url in start(db_file))


def screen_count(page) -> int:
    position = page.get_by_text("Écran ").first.inner_text()  # « Écran 3 / 11 · Données d'exemple »
    return int(position.split("/")[1].split()[0])


def open_step(page, url: str, step: int) -> None:
    page.goto(f"{url}?etape={step}", wait_until="domcontentloaded")
    settle(page)
    # Every screen is drawn by a chart: on a cold server the first run may still be going after `settle`.
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    settle(page)


def next_step(page, step: int) -> None:
    """The presenter's clicker (« page suivante ») moves to screen `step`: the address says so once it has run."""
    page.keyboard.press("PageDown")
    page.wait_for_url(f"**etape={step}", timeout=60_000)
    settle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    settle(page)


def test_every_meeting_screen_fits_the_projector_in_large_type(meeting, browser):
    url, name = meeting
    folder = SHOTS / "reunion"
    folder.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, locale="fr-FR")
    try:
        open_step(page, url, 1)
        count = screen_count(page)
        titles = []
        for step in range(1, count + 1):
            if step > 1:
                next_step(page, step)
            assert page.get_by_text(f"Écran {step} / {count}").count() == 1, step
            page.screenshot(path=str(folder / f"{name}_{step:02d}.png"))
            assert page.locator('[data-testid="stException"]').count() == 0, step
            # The filters are folded away; Streamlit's « » » in the corner unfolds them.
            sidebar = page.evaluate("() => document.querySelector('[data-testid=\"stSidebar\"]')"
                                    ".getBoundingClientRect().right")
            assert sidebar <= 1, sidebar
            assert page.locator('[data-testid="stExpandSidebarButton"]').is_visible()
            texts = page.evaluate(MEASURE)
            assert texts, step
            small = [t["text"] for t in texts if t["size"] < SMALLEST_PX]
            assert not small, (name, step, small)
            outside = [t["text"] for t in texts if t["left"] < 0 or t["right"] > WIDTH + 0.5 or t["top"] < 0
                       or t["bottom"] > HEIGHT + 0.5]
            assert not outside, (name, step, outside)
            cut = [t["text"] for t in texts if t["chart"] and (t["bottom"] > t["chart"][3] + 0.5
                                                               or t["top"] < t["chart"][2] - 0.5
                                                               or t["right"] > t["chart"][1] + 0.5
                                                               or t["left"] < t["chart"][0] - 0.5)]
            assert not cut, (name, step, cut)
            titles.append(page.locator("h3").first.inner_text())
        axes = [t for t in titles if t.startswith("Axe ")]
        if name == "lot":
            # Axe 2 has 13 fiches: more than a screen holds, said « 1/3 »…
            assert any(t.startswith("Axe 2 — Lot Numérique Solidaire (1/") for t in axes), axes
        else:
            assert any("(1/" in t for t in axes) and any(t.startswith("Axe 1") and "(5/" in t for t in axes), axes
        assert any("Indicateurs renseignés" in t for t in titles)
        if name == "lot":  # the fiches in difficulty were on the last screen, whole (checked above with every text)
            assert page.get_by_text("Fiches en difficulté (et ").count() == 1
    finally:
        page.close()


def test_the_keyboard_and_a_clicker_move_through_the_screens_and_the_address_keeps_it(meeting, browser):
    url, name = meeting
    if name != "lot":
        pytest.skip("the keys are the same whatever the roadmap")
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, locale="fr-FR")
    try:
        open_step(page, url, 1)
        count = screen_count(page)

        def press(key: str, expected: int) -> None:
            page.keyboard.press(key)
            page.wait_for_url(f"**etape={expected}*", timeout=15_000)
            settle(page)
            assert page.get_by_text(f"Écran {expected} / {count}").count() == 1, key

        page.locator("h3").first.click()  # the presenter clicked on the page: focus is in the document
        press("ArrowRight", 2)
        press("PageDown", 3)
        press("PageUp", 2)
        press("ArrowLeft", 1)
        press("End", count)
        press("Home", 1)
        # The address keeps the screen: opened again, the meeting is where it was.
        press("PageDown", 2)
        page.goto(page.url, wait_until="domcontentloaded")
        settle(page)
        assert page.get_by_text(f"Écran 2 / {count}").count() == 1
    finally:
        page.close()
