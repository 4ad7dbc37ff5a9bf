"""Every page through Streamlit's AppTest, from app.py, asserting on what a user sees."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lne_data import cibles, ui

from .conftest import APP_PASSWORD as PASSWORD
from .conftest import ROOT, app_session, saisie_xlsx
from .test_saisie import GOOD

PAGES = ["pages/1_Budget.py", "pages/2_Charge_RH.py", "pages/3_Indicateurs.py", "pages/4_Porteurs.py",
         "pages/5_Fiche.py", "pages/6_Saisie.py", "pages/7_Historique.py", "pages/8_Reunion.py",
         "pages/9_Clotures.py"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def fresh_app(tmp_path, monkeypatch):
    """Each test gets its own database, created by the app itself as on a fresh install."""
    yield from app_session(tmp_path / "app.duckdb", monkeypatch)


def open_page(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    if page:
        at.switch_page(page)
    # Like a shared link: the page opened with these parameters in its URL.
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def decode(value):
    """Plotly 7 ships numeric arrays as typed arrays (base64 + dtype); turn them back into lists."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    if isinstance(value, dict):
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def figures(at: AppTest) -> list[dict]:
    return [decode(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]


def test_overview_shows_headline_figures_and_example_banner():
    at = open_page()
    assert at.title[0].value == "Vue d'ensemble"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Fiches action"] == "23"
    assert metrics["Budget ponctuel"] == "58\u202f104\u00a0€"
    assert any("Données d'exemple" in w.value for w in at.warning)
    assert "Lot Numérique Responsable" in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_error(page):
    at = open_page(page)
    assert at.title or at.header, page
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", [None, *PAGES])
def test_tables_show_a_dash_for_missing_values_and_french_headings(page):
    """An élu reads « — » where a value is missing, never Streamlit's default « None », and no table is headed
    with the code's column names."""
    if page is None:
        # The overview's table of indicators behind their target exists once the coordination owns a target (the
        # text sets none for numbers).
        open_page()
        cibles.set_target(ui.connection(), "F03-I1", "154", "2027", "un foyer par PC du premier lot", "Claire")
        ui.invalidate()
    at = open_page(page)
    tables = at.dataframe
    for table in tables:
        assert table.proto.placeholder == "—", page
        internal = {"indicateur", "fiche", "periode", "valeur", "avant", "apres", "libelle"}
        assert not internal & set(map(str, table.value.columns)), (page, list(table.value.columns))
    if page is None:
        assert tables, "la vue d'ensemble montre au moins un tableau (indicateurs en retard)"


def test_latest_values_show_the_figure_next_to_a_bounded_title():
    """A 90-character title must not push the value out of sight: the title column has a fixed width, and the
    value, its unit and its quarter come right after it."""
    latest = open_page("pages/3_Indicateurs.py").dataframe[-1]
    assert list(latest.value.columns)[:6] == ["Indicateur", "Fiche", "Libellé", "Dernière valeur", "Unité",
                                              "Période"]
    config = json.loads(latest.proto.columns)
    assert config["Libellé"]["width"] == ui.LONG_TEXT_PX


def test_budget_chart_gives_the_roadmap_figure_for_an_axe():
    at = open_page("pages/1_Budget.py")
    bars = figures(at)[0]["data"][0]
    per_axe = dict(zip(bars["y"], bars["x"]))
    assert per_axe["Lot Numérique Responsable"] == 13800
    assert per_axe["Lot Numérique Innovant"] == 10000
    assert any("Fiches sans investissement chiffré : 10" in h.value for h in at.subheader)


def test_budget_cumulates_yearly_amounts_only_when_asked():
    at = open_page("pages/1_Budget.py")
    at.radio[0].set_value("cumul").run()
    at.number_input[0].set_value(4).run()  # 4 years
    at.number_input[1].set_value(3).run()  # 3 partner structures for fiche 22
    per_axe = dict(zip(figures(at)[0]["data"][0]["y"], figures(at)[0]["data"][0]["x"]))
    # Innovant: 10 000 one-off + 1 000/an × 4 + 200 + 400 + 600 + 2 500 × 3
    assert per_axe["Lot Numérique Innovant"] == 10000 + 4000 + 1200 + 7500
    assert per_axe["Lot Numérique Solidaire"] == 34304 + 2000 * 4


def test_filters_live_in_the_url_and_narrow_the_charts():
    at = open_page("pages/1_Budget.py", axe="1")
    bars = figures(at)[0]["data"][0]
    assert list(bars["y"]) == ["Lot Numérique Responsable"]
    assert at.query_params["axe"] in ("1", ["1"])


def test_charge_rh_shows_lot_numerique_total_and_warns_over_capacity():
    at = open_page("pages/2_Charge_RH.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["ETP attribués à Lot Numérique"] == "2,1\u00a0ETP"
    assert metrics["Avec le co-portage non réparti"] == "2,6\u00a0ETP"
    at.number_input[0].set_value(2.0).run()
    assert any("Surcharge" in e.value for e in at.error)
    at.number_input[0].set_value(3.0).run()
    assert not at.error and any("tiennent" in s.value for s in at.success)


def test_fiche_page_is_reached_by_its_link_and_shows_its_porteur():
    at = open_page("pages/5_Fiche.py", fiche="5")
    text = " ".join(m.value for m in at.markdown)
    assert "Fiche n°5" in " ".join(h.value for h in at.header)
    assert "RhinOcc" in text and "co-porteur" in text and "régional" in text
    at = open_page("pages/5_Fiche.py", fiche="99")
    assert any("n'existe pas" in w.value for w in at.warning)


def sign_in(at: AppTest, password: str = PASSWORD) -> AppTest:
    next(t for t in at.text_input if t.label == "Mot de passe").set_value(password)
    next(b for b in at.button if b.label == "Se connecter").click().run()
    return at


def test_upload_is_refused_without_the_coordination_role():
    at = open_page("pages/6_Saisie.py")
    assert not at.get("file_uploader")
    assert any("réservé au rôle" in m.value for m in at.markdown)
    sign_in(at, "mauvais mot de passe")
    assert not at.get("file_uploader")
    assert any("incorrect" in e.value for e in at.error)


def test_upload_check_preview_import_and_undo():
    at = open_page("pages/6_Saisie.py")
    sign_in(at)
    assert at.get("file_uploader"), "signed in, the uploader is shown"

    bad = saisie_xlsx([[6, "F06-I1", "2025-T3", "N/A", None, None], [99, "F99-I1", "2031-T1", 1, None, None]])
    at.get("file_uploader")[0].set_value(("mauvais.xlsx", bad, XLSX)).run()
    assert any("Fichier refusé : 4 erreur(s)" in e.value for e in at.error)
    problems = next(t.value for t in at.table if "Code" in t.value.columns)
    problems["Code"] = problems["Code"].str.replace("\\", "")  # Markdown-escaped for display
    assert set(problems["Code"]) == {"saisie-nombre-invalide", "saisie-fiche-inconnue",
                                     "saisie-indicateur-inconnu", "saisie-periode-hors-feuille-de-route"}
    assert not any(b.label == "Importer" for b in at.button)

    at.get("file_uploader")[0].set_value(("t3.xlsx", saisie_xlsx(GOOD), XLSX)).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Nouvelles valeurs"] == "5"
    assert any("retirera les" in i.value for i in at.info)
    next(b for b in at.button if b.label == "Importer").click().run()
    assert any("Import n°2 enregistré" in s.value for s in at.success), [s.value for s in at.success]

    overview = open_page()
    assert not any("Données d'exemple" in w.value for w in overview.warning)
    indicators = open_page("pages/3_Indicateurs.py")
    latest = indicators.dataframe[-1].value.set_index("Indicateur")
    assert latest.loc["F02-I2", "Dernière valeur"] == 4.0

    history = open_page("pages/7_Historique.py")
    sign_in(history)
    history.selectbox[0].set_value(2).run()
    history.checkbox[0].check().run()
    next(b for b in history.button if b.label == "Annuler cet import").click().run()
    assert any("Import n°2 annulé" in s.value for s in history.success)
    assert any("Données d'exemple" in w.value for w in open_page().warning)


def test_an_uploaded_file_is_checked_once_while_the_page_reruns(monkeypatch):
    """A national file takes seconds to check: typing one's name or clicking « Importer » reruns the page, and must
    not check the same file again; a different file is checked, and the preview still follows the database."""
    from lne_data import saisie

    checked = []
    real = saisie.check_file
    monkeypatch.setattr(saisie, "check_file", lambda data, name, ctx: checked.append(name) or real(data, name, ctx))
    at = open_page("pages/6_Saisie.py")
    sign_in(at)
    at.get("file_uploader")[0].set_value(("t3.xlsx", saisie_xlsx(GOOD), XLSX)).run()
    next(t for t in at.text_input if t.label.startswith("Votre nom")).set_value("Coordinatrice").run()
    assert {m.label: m.value for m in at.metric}["Nouvelles valeurs"] == "5"
    next(b for b in at.button if b.label == "Importer").click().run()
    assert any("Import n°2 enregistré" in s.value for s in at.success)
    at.run()  # the same file, once imported: nothing left to import
    assert any("Rien à importer" in s.value for s in at.success)
    assert checked == ["t3.xlsx"]
    at.get("file_uploader")[0].set_value(("t3_corrige.xlsx", saisie_xlsx(GOOD[:2]), XLSX)).run()
    assert checked == ["t3.xlsx", "t3_corrige.xlsx"]


def test_meeting_mode_walks_through_every_screen():
    at = open_page("pages/8_Reunion.py")
    position = at.get("progress")[0].proto.text
    count = int(position.split("/")[-1])
    assert count == 8  # overview, 3 axes, budget, RH, indicators, attention
    titles = [at.header[0].value]
    for _ in range(count - 1):
        next(b for b in at.button if b.label == "Suivant ▶").click().run()
        assert not at.exception
        titles.append(at.header[0].value)
    assert titles[1].startswith("Axe 1 — Lot Numérique Responsable")
    assert titles[-1].startswith("Points d'attention")
    assert next(b for b in at.button if b.label == "Suivant ▶").disabled


def test_closing_a_quarter_from_the_page_then_viewing_it_frozen():
    at = open_page("pages/9_Clotures.py")
    assert any("Aucun trimestre clôturé" in i.value for i in at.info)
    sign_in(at)
    at.selectbox[0].set_value("2026-T3")
    at.text_input[0].set_value("Comité syndical de test")
    next(b for b in at.button if b.label == "Clôturer ce trimestre").click().run()
    assert any("clôture n°1" in s.value for s in at.success), [s.value for s in at.success]
    at = open_page("pages/9_Clotures.py", cloture="1")
    assert any("Vue figée" in m.value for m in at.markdown)
    assert any("Aucune différence" in s.value for s in at.success)
