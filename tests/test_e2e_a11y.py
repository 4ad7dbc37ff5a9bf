"""End to end, in a real Chromium: every page in French and accessible (RGAA, i.e. WCAG 2.1 A and AA).

Each page is visited as an élu opens it (signed out), without filters and with filters that leave nothing to show
(`axe=1` and a porteur that carries no fiche of that axe: every table and chart of the filtered pages is empty,
their empty states are audited too); the pages the role changes are visited as the coordination too (signed in,
which shows the upload, undo and target forms: tests/test_e2e_a11y_coordination.py). On each visit:

- axe-core (installed from npm by scripts/test.sh, `tests/package.json`, pinned in `tests/package-lock.json`) audits
  the page against the WCAG 2.0/2.1 A and AA rules, every expander opened; no serious or critical violation;
- no word of Streamlit's or Plotly's English interface (ENGLISH below) is on screen, in a tooltip, label or
  placeholder, nor in the ⋮ menu;
- a screenshot at 1280×720 (and one of the whole page) goes to artifacts/screenshots/a11y/;
- signed out and without filters, the page is drawn whole as an élu first sees it on a fresh install: its title,
  its charts, the banner saying the values are examples, no exception (`drawn`).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .a11y import EMPTYING, MEETING, PAGES, SHOTS, audited_dashboard, drawn, look, report, slug
from .conftest import GOOD, menu, open_saisie_signed_in, saisie_xlsx, settle

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with audited_dashboard(tmp_path_factory) as url:
        yield url


@pytest.mark.parametrize("filtered", [False, True], ids=["sans_filtre", "filtre_vide"])
def test_every_page_signed_out_is_french_and_accessible(server, browser, filtered):
    findings = {}
    query = "?" + "&".join(f"{k}={v}" for k, v in EMPTYING.items()) if filtered else ""
    # One élu's tab: the first page opened by its address (a shared link, its filters in it), the others with the
    # menu, whose links carry the filters (tests/test_e2e.py opens each page by its address).
    page = browser.new_page(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    try:
        for index, (label, path, has_filters, charts, reads) in enumerate(PAGES):
            if filtered and not has_filters:
                continue
            if findings:
                menu(page, label)
            else:
                page.goto(server + path + query, wait_until="domcontentloaded")
                settle(page)
            if filtered and label != MEETING:  # the meeting's sidebar is folded
                assert "Vue filtrée" in page.locator('[data-testid="stSidebar"]').inner_text(), label
            if not filtered:
                drawn(page, charts, reads)
            name = f"public_{'filtre_' if filtered else ''}{index:02d}_{slug(label)}"
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
