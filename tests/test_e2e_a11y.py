"""End to end, in a real Chromium: every page in French and accessible (RGAA, i.e. WCAG 2.1 A and AA).

Each page is visited as an élu opens it (signed out) and as the coordination (signed in, which shows the upload,
undo and target forms), without filters and with filters that leave nothing to show (`axe=1` and a porteur that
carries no fiche of that axe: every table and chart of the filtered pages is empty, their empty states are
audited too). On each visit:

- axe-core (installed from npm by scripts/test.sh, `tests/package.json`, pinned in `tests/package-lock.json`) audits
  the page against the WCAG 2.0/2.1 A and AA rules, every expander opened; no serious or critical violation;
- no word of Streamlit's or Plotly's English interface (ENGLISH below) is on screen, in a tooltip, label or
  placeholder, nor in the ⋮ menu;
- a screenshot at 1280×720 (and one of the whole page) goes to artifacts/screenshots/a11y/;
- signed out and without filters, the page is drawn whole as an élu first sees it on a fresh install: its title,
  its charts, the banner saying the values are examples, no exception (`drawn`).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import (
    APP_PASSWORD,
    APP_PASSWORD_HASH,
    GOOD,
    ROOT,
    open_saisie_signed_in,
    painted,
    saisie_xlsx,
    settle,
    streamlit_server,
)

pytestmark = pytest.mark.e2e

AXE = ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "artifacts" / "screenshots" / "a11y"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# (menu label, path, filtered by the sidebar, Plotly charts drawn at least, a text the page shows once drawn)
PAGES = [
    ("Vue d'ensemble", "/", True, 0, "Fiches action"),
    ("Budget par axe", "/Budget", True, 2, None),
    ("Charge RH", "/Charge_RH", True, 2, None),
    ("Indicateurs", "/Indicateurs", True, 2, None),
    ("Porteurs et partenaires", "/Porteurs", True, 3, None),
    ("Fiche action", "/Fiche", False, 1, None),
    ("Saisie trimestrielle", "/Saisie", False, 0, "2. Déposer un fichier rempli"),
    ("Historique des imports", "/Historique", False, 0, "Détail de l'import"),
    ("Clôtures et rapports", "/Clotures", False, 0, "Rapports sur les données actuelles"),
    ("Feuille de route", "/Feuille_de_route", False, 0, "Ce qu'une version a changé"),
    ("Comptes", "/Comptes", False, 0, None),
    ("Exports", "/Exports", False, 0, None),
    # Last: the meeting folds the sidebar (the projector shows the quarter), so no menu link is clickable after it.
    ("Mode réunion", "/Reunion", True, 0, None),
]
MEETING = "Mode réunion"
# Nothing of axe 1 is carried by RhinOcc: with both filters, every filtered table and chart is empty.
EMPTYING = {"axe": "1", "porteur": "RhinOcc"}

# Words of Streamlit's, Plotly's and the browser's English interface seen (or possible) on these pages. Matched as
# whole words, case-sensitively, in the visible text and in tooltips, labels, placeholders and alternative texts.
ENGLISH = [
    "Drag and drop", "Browse files", "per file", "Choose an option", "empty", "No options", "No results",
    "Print", "Record a screencast", "Made with Streamlit", "Settings", "Rerun", "Clear cache", "Deploy", "About",
    "Download", "Fullscreen", "Full screen", "Close", "Search", "Show data", "Select all", "Clear all", "Upload",
    "Running", "Stop", "Error", "Copy", "None", "NaN", "nan", "True", "False", "Loading", "Please wait",
    "Zoom", "Pan", "Autoscale", "Reset axes", "Toggle", "Produced with Plotly", "Box Select", "Lasso Select",
    "Sort ascending", "Sort descending", "Hide column", "Pin column", "Collapse", "Expand", "Open", "Show",
    "Press Enter", "Remove", "Delete", "Row", "Column", "Sign in", "Log in", "Submit",
]
# The accessible names Streamlit gives its own icon buttons (the arrow of a list, the sidebar's arrow, a table's
# toolbar, the file input behind the uploader's button, the uploader's button itself: its « Upload » is hidden from
# sight but kept as its name, axe-core not reading the French generated text), which no option or parameter
# translates: read by screen readers, and the table toolbar's ones shown as tooltips on hover. Known and said in the
# README (« Accessibilité »); any other English accessible name fails the test.
STREAMLIT_ARIA = {"Open", "Close", "Collapse sidebar", "Expand sidebar", "Search", "Fullscreen", "Close fullscreen",
                  "Show/hide columns", "Show password", "Hide password", "file upload", "Upload", "Clear value",
                  "Clear all", "Running..."}
_ENGLISH = re.compile("|".join(rf"(?<![\w-]){re.escape(w)}(?![\w-])" for w in ENGLISH))

# What a reader reads: the rendered text, tooltips, alternative texts, accessible names, and a placeholder when it
# is shown (its field is empty: a selectbox's input holds the label of the option chosen).
_SCREEN_TEXT = """(allowed) => {
  // The uploader's « Upload », kept for screen readers only (the button's accessible name, see STREAMLIT_ARIA),
  // is set aside while the visible text is read.
  const hidden = [...document.querySelectorAll('[data-testid="stFileUploaderDropzone"] button p')];
  hidden.forEach(e => e.style.display = 'none');
  const parts = [document.body.innerText];
  hidden.forEach(e => e.style.display = '');
  for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[alt],[data-title]')) {
    for (const a of ['aria-label', 'title', 'alt', 'data-title']) {
      const v = el.getAttribute(a);
      if (v && !(a === 'aria-label' && allowed.includes(v))) parts.push(v);
    }
    if (el.getAttribute('placeholder') && el.value === '') parts.push(el.getAttribute('placeholder'));
  }
  return parts.join('\\n');
}"""

_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => [n.target.join(' '), n.failureSummary])}));
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    if not AXE.exists():
        pytest.fail("axe-core manque : lancez ./scripts/test.sh, qui l'installe (npm ci dans tests/).")
    with streamlit_server(tmp_path_factory.mktemp("a11y") / "lne.duckdb",
                          LNE_COORDINATION_HASH=APP_PASSWORD_HASH) as (url, _process):
        yield url


def english_words(page) -> list[str]:
    found = set(_ENGLISH.findall(page.evaluate(_SCREEN_TEXT, sorted(STREAMLIT_ARIA))))
    menu = page.locator('[data-testid="stMainMenu"]')
    if menu.count():  # Streamlit's ⋮ menu: its items are only in the page once it is open
        menu.first.click()
        page.locator('[data-testid="stMainMenuItem"]').first.wait_for(timeout=10_000)
        found |= {f"menu : {w}" for w in _ENGLISH.findall(page.evaluate(_SCREEN_TEXT, sorted(STREAMLIT_ARIA)))}
        page.keyboard.press("Escape")
    return sorted(found)


# Every expander open, every chart it held drawn (opening one reruns nothing: no need to wait for the script).
_OPENED_AND_DRAWN = """() => !document.querySelector('[data-testid="stExpander"] details:not([open])')
  && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'))"""


def serious_violations(page) -> list[dict]:
    # Closed expanders hide tables and captions from the audit: open them all first.
    page.evaluate("() => document.querySelectorAll('[data-testid=\"stExpander\"] details:not([open]) > summary')"
                  ".forEach(s => s.click())")
    page.wait_for_function(_OPENED_AND_DRAWN, timeout=10_000)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(_AXE_RUN, WCAG_TAGS)
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def look(page, name: str) -> tuple[list[str], list[dict]]:
    """Screenshots, then what the élu would read and what axe-core finds."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    assert page.locator('[data-testid="stException"]').count() == 0, name
    words = english_words(page)
    violations = serious_violations(page)
    page.set_viewport_size({"width": 1280, "height": 3000})
    painted(page)
    page.screenshot(path=str(SHOTS / f"{name}_complet.png"))
    page.set_viewport_size({"width": 1280, "height": 720})
    return words, violations


def report(findings: dict[str, tuple[list[str], list[dict]]]) -> str:
    lines = []
    for name, (words, violations) in findings.items():
        if words:
            lines.append(f"{name} : mots anglais {words}")
        for v in violations:
            lines.append(f"{name} : {v['impact']} {v['id']} ({v['help']}) {json.dumps(v['nodes'], ensure_ascii=False)}")
    return "\n".join(lines)


def _slug(label: str) -> str:
    return re.sub(r"[^a-z]+", "_", label.lower().replace("é", "e").replace("ô", "o")).strip("_")


@pytest.mark.parametrize("filtered", [False, True], ids=["sans_filtre", "filtre_vide"])
def test_every_page_signed_out_is_french_and_accessible(server, browser, filtered):
    findings = {}
    query = "?" + "&".join(f"{k}={v}" for k, v in EMPTYING.items()) if filtered else ""
    # One élu's tab: each page opened by its address (a new session of the dashboard). In the same tab, as following
    # a link does: a new tab per page costs twice the time (Chromium compiles the dashboard's scripts again).
    page = browser.new_page(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    try:
        for index, (label, path, has_filters, charts, reads) in enumerate(PAGES):
            if filtered and not has_filters:
                continue
            page.goto(server + path + query, wait_until="domcontentloaded")
            settle(page)
            if not filtered:
                drawn(page, charts, reads)
            name = f"public_{'filtre_' if filtered else ''}{index:02d}_{_slug(label)}"
            findings[name] = look(page, name)
    finally:
        page.close()
    assert not any(w or v for w, v in findings.values()), report(findings)


def drawn(page, charts: int, reads: str | None) -> None:
    """What an élu opening the page on a fresh install sees: its title, its charts drawn, the banner saying the
    values are examples, no exception."""
    if charts:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    if reads:
        # The first page a cold server serves can pass `settle` before its script has drawn anything: the
        # screenshot would be a blank page, the élu's first sight of it.
        page.get_by_text(reads, exact=True).first.wait_for(timeout=60_000)
        settle(page)
    assert page.locator(".js-plotly-plot").count() >= charts
    title = page.locator("h1, h2, h3").first.inner_text()  # a meeting screen's title is an h3
    assert title and "Error" not in title
    assert "Données d'exemple" in page.content()


def _choose(page, label: str, option: str) -> None:
    """Choose in a sidebar list by typing, as a keyboard user does (long lists only draw the options in view)."""
    page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label, exact=True).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option).first.click()
    settle(page)


@pytest.mark.parametrize("filtered", [False, True], ids=["sans_filtre", "filtre_vide"])
def test_every_page_as_coordination_is_french_and_accessible(server, browser, filtered):
    findings = {}
    page = browser.new_page(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    try:
        # The role lives in the browser session: sign in once, then move with the menu (a new address would be a
        # new session).
        page.goto(server + "/Saisie", wait_until="domcontentloaded")
        settle(page)
        page.get_by_label("Mot de passe").fill(APP_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        settle(page)
        assert page.get_by_text("Se déconnecter").count()
        for index, (label, _path, has_filters, _charts, _reads) in enumerate(PAGES):
            # The meeting's filters sit in its folded sidebar: the signed-out run checks it filtered (by its URL).
            if filtered and (not has_filters or label == MEETING):
                continue
            page.locator('[data-testid="stSidebar"]').get_by_role("link", name=label, exact=True).click()
            settle(page)
            if filtered:  # chosen on each page, as a user does with the sidebar's lists
                _choose(page, "Axe", "1. Lot Numérique Responsable")
                _choose(page, "Porteur", EMPTYING["porteur"])
                assert "Vue filtrée" in page.locator('[data-testid="stSidebar"]').inner_text(), label
            name = f"coordination_{'filtre_' if filtered else ''}{index:02d}_{_slug(label)}"
            findings[name] = look(page, name)
    finally:
        page.close()
    assert not any(w or v for w, v in findings.values()), report(findings)


_OUTLINE = """(a) => { const s = getComputedStyle(a);
  return {outline: s.outlineStyle === 'none' ? 'none' : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
          background: s.backgroundColor, text: a.innerText.trim()}; }"""


def test_the_keyboard_sees_where_it_is_and_streamlits_own_words_are_french(server, browser):
    """Tab first reaches « Aller au contenu principal » (Streamlit's « Skip to main content »); a menu link focused
    from the keyboard is ringed, unlike the current page (WCAG 2.4.7: it had the current page's grey, nothing
    else); an uploaded file's size reads « 5,6 ko », not « 5.6KB », on screen and for screen readers."""
    page = browser.new_page(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    try:
        page.goto(server + "/Budget", wait_until="domcontentloaded")
        settle(page)
        page.locator("body").focus()
        page.keyboard.press("Tab")
        skip = page.evaluate("() => [document.activeElement.dataset.testid, document.activeElement.innerText]")
        assert skip == ["stSkipToContent", "Aller au contenu principal"], skip
        assert "Skip to main content" not in page.content()
        current = page.locator('[data-testid="stSidebar"] a[href="Budget"]').evaluate(_OUTLINE)
        focused = None
        for _ in range(12):  # from the skip link, through the menu to the first link after the current page
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.getAttribute('href')") == "Charge_RH":
                focused = page.evaluate(f"({_OUTLINE})(document.activeElement)")
                break
        assert focused is not None and focused["text"].endswith("Charge RH"), focused
        assert current["outline"] == "none" and focused["outline"].startswith("solid"), (current, focused)
        assert focused["outline"].endswith("rgb(0, 0, 0)")  # black: 21:1 on white, and on the sidebar's grey
        page.screenshot(path=str(SHOTS / "focus_clavier_menu.png"))

        file_input = open_saisie_signed_in(page, server)
        path = Path(tempfile.mkdtemp()) / "t3.xlsx"
        path.write_bytes(saisie_xlsx(GOOD))
        file_input.set_input_files(str(path))
        settle(page)
        chip = page.locator('[data-testid="stFileChip"]')
        chip.wait_for(timeout=30_000)
        said = [chip.inner_text(), chip.get_attribute("aria-label") or ""]
        assert all(re.search(r"\d+(,\d+)?\u00a0ko", s) for s in said), said
        assert not [s for s in said if re.search(r"\d(KB|MB|B)\b", s)], said
        page.screenshot(path=str(SHOTS / "fichier_depose.png"))
    finally:
        page.close()
