"""The « Exports » page in Chromium, as the coordinatrice uses it: it renders each tool's section, and the open-data
download is a zip of the data package that frictionless validates, its example values marked.

A screenshot of the page is kept in artifacts/screenshots/ (1280×720 and the whole page).
"""

from __future__ import annotations

import json
import time
import zipfile

import frictionless
import pytest

from lne_data import outils

from .conftest import SHOTS, painted, settle

pytestmark = pytest.mark.e2e


def test_the_page_renders_and_its_data_package_downloads_valid(server, browser, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 720}, locale="fr-FR", accept_downloads=True)
    try:
        page.goto(server + "/Exports", wait_until="domcontentloaded")
        settle(page)
        page.get_by_text("Données ouvertes (data.gouv.fr)", exact=True).first.wait_for(timeout=60_000)
        settle(page)
        page.screenshot(path=str(SHOTS / "13_exports.png"))
        assert page.locator('[data-testid="stException"]').count() == 0
        for tool in outils.par_outil():
            assert page.get_by_role("heading", name=tool.nom).count() == 1, tool.nom
        body = page.locator("body").inner_text()
        assert "Ensuite, dans l'outil" in body and "COLL_SIRET" in body
        downloads: list = []
        page.on("download", lambda d: downloads.append(d))
        page.get_by_role("button", name="Télécharger lne-donnees-ouvertes.zip").click()
        deadline = time.monotonic() + 120
        while not downloads and time.monotonic() < deadline:
            page.wait_for_timeout(100)  # the download event arrives through Playwright's loop
        assert len(downloads) == 1
        assert downloads[0].suggested_filename == "lne-donnees-ouvertes.zip"
        archive = tmp_path / "lne-donnees-ouvertes.zip"
        downloads[0].save_as(archive)
        page.set_viewport_size({"width": 1280, "height": 2400})
        painted(page)
        page.screenshot(path=str(SHOTS / "13_exports_complet.png"))
    finally:
        page.close()
    folder = tmp_path / "paquet"
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(folder)
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    described = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert "valeurs d'exemple, fictives" in described["description"]  # the server's fresh install: its examples
    values = frictionless.Package(str(folder / "datapackage.json")).get_resource("valeurs").read_rows()
    assert values and all(row["exemple"] is True for row in values)
