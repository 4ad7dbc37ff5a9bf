"""What the accessibility audits share (tests/test_e2e_a11y.py signed out, tests/test_e2e_a11y_coordination.py
signed in): the pages of the menu, axe-core's run, the English words looked for, the screenshots, the dashboard
they visit. Two modules so that two workers can audit side by side (pytest-xdist gives a module to one worker)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from .conftest import APP_PASSWORD_HASH, ROOT, painted, settle, streamlit_server

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
# The pages whose content the role does not change (no form of the coordination's; only the sidebar's « Se
# déconnecter » differs): audited signed out only. tests/test_access.py checks that they read the same either way.
ROLE_BLIND = {"Vue d'ensemble", "Budget par axe", "Charge RH", "Porteurs et partenaires", "Fiche action", MEETING}
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


@contextmanager
def audited_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A dashboard on a fresh install of its own, with a coordination password: its URL."""
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


def slug(label: str) -> str:
    return re.sub(r"[^a-z]+", "_", label.lower().replace("é", "e").replace("ô", "o")).strip("_")


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


def choose(page, label: str, option: str) -> None:
    """Choose in a sidebar list by typing, as a keyboard user does (long lists only draw the options in view)."""
    page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label, exact=True).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option).first.click()
    settle(page)
