"""End to end, in a real Chromium: every page the role changes in French and accessible (RGAA, i.e. WCAG 2.1 A
and AA) as the coordination sees it (signed in, which shows the upload, undo, target, roadmap, closure, account and
besoins forms), then the indicators page with filters chosen in the sidebar that leave nothing to show. What each
visit checks: tests/test_e2e_a11y.py.

The pages the role does not change (ROLE_BLIND: their charts and tables, the same signed in or out, but for the
sidebar's « Se déconnecter », which every page audited here shows) are audited signed out, without filters and with
filters, by tests/test_e2e_a11y.py: audited twice, they cost the suite a minute and find nothing more."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .a11y import EMPTYING, PAGES, ROLE_BLIND, audited_dashboard, choose, look, report, slug
from .conftest import APP_PASSWORD, menu, settle

pytestmark = pytest.mark.e2e

FILTERED = "Indicateurs"  # the one page with both the sidebar's filters and a coordination form (targets)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with audited_dashboard(tmp_path_factory) as url:
        yield url


def test_every_page_the_role_changes_is_french_and_accessible_as_coordination(server, browser):
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
        for index, (label, _path, _has_filters, _charts, _reads) in enumerate(PAGES):
            if label in ROLE_BLIND:
                continue
            menu(page, label)
            assert page.get_by_text("Se déconnecter").count(), label
            name = f"coordination_{index:02d}_{slug(label)}"
            findings[name] = look(page, name)
        # Filters chosen in the sidebar's lists, as a user does (signed out, the filtered pages are opened by an
        # address carrying the filters).
        menu(page, FILTERED)
        choose(page, "Axe", "1. Lot Numérique Responsable")
        choose(page, "Porteur", EMPTYING["porteur"])
        assert "Vue filtrée" in page.locator('[data-testid="stSidebar"]').inner_text()
        index = [label for label, *_ in PAGES].index(FILTERED)
        name = f"coordination_filtre_{index:02d}_{slug(FILTERED)}"
        findings[name] = look(page, name)
        # The filters just chosen go with the menu to the next page (its links once carried the address's).
        menu(page, "Budget par axe")
        assert "Vue filtrée : axe 1, porteur RhinOcc" in page.locator('[data-testid="stSidebar"]').inner_text()
    finally:
        page.close()
    assert not any(w or v for w, v in findings.values()), report(findings)
