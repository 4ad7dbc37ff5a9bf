"""End to end, in a real Chromium: every page in French and accessible (RGAA, i.e. WCAG 2.1 A and AA) as the
coordination sees it (signed in, which shows the upload, undo, target and account forms), without filters and with
filters chosen in the sidebar that leave nothing to show. What each visit checks: tests/test_e2e_a11y.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .a11y import EMPTYING, MEETING, PAGES, audited_dashboard, choose, look, report, slug
from .conftest import APP_PASSWORD, settle

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with audited_dashboard(tmp_path_factory) as url:
        yield url


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
                choose(page, "Axe", "1. Lot Numérique Responsable")
                choose(page, "Porteur", EMPTYING["porteur"])
                assert "Vue filtrée" in page.locator('[data-testid="stSidebar"]').inner_text(), label
            name = f"coordination_{'filtre_' if filtered else ''}{index:02d}_{slug(label)}"
            findings[name] = look(page, name)
    finally:
        page.close()
    assert not any(w or v for w, v in findings.values()), report(findings)
