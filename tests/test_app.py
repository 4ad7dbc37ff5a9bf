"""Every page through Streamlit's AppTest, from app.py, asserting on what a user sees."""

from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lne_data import cibles, periodes, ui

from .conftest import GOOD, XLSX, app_session, figures, open_page, saisie_xlsx, sign_in

PAGES = ["pages/1_Budget.py", "pages/2_Charge_RH.py", "pages/3_Indicateurs.py", "pages/4_Porteurs.py",
         "pages/5_Fiche.py", "pages/6_Saisie.py", "pages/7_Historique.py", "pages/8_Reunion.py",
         "pages/9_Clotures.py", "pages/12_Exports.py"]


@pytest.fixture(autouse=True)
def fresh_app(tmp_path, monkeypatch):
    """Each test gets its own database, as the app made it on a fresh install."""
    yield from app_session(tmp_path / "app.duckdb", monkeypatch, first_opening=True)


def latest_values(at: AppTest) -> pd.DataFrame:
    """The Indicateurs page's table of latest values (the targets' history may follow it), a table of text, as read on
    screen (st.table shows its Markdown escapes as the characters escaped)."""
    table = next(t.value for t in at.table if "Dernière valeur" in t.value.columns)
    return table.map(lambda v: re.sub(r"\\(.)", r"\1", v) if isinstance(v, str) else v)


def test_overview_shows_headline_figures_and_example_banner():
    at = open_page()
    assert at.title[0].value == "Vue d'ensemble"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Fiches action"] == "23"
    # The money planned over 2024-2027: one-off amounts and those without a period once, « par an » each year of
    # the fiche's life, given years; 5 000 € of it conditional (fiche 1), 2 500 € per structure apart (fiche 22).
    assert metrics["Prévu 2024-2027"] == "71\u202f304\u00a0€"
    assert metrics["ETP chiffrés"] == "3,2\u00a0ETP"
    helps = {m.label: m.proto.help for m in at.metric}
    assert "dont 5\u202f000\u00a0€ sous condition" in helps["Prévu 2024-2027"]
    assert "Dont 0,25\u00a0ETP également investis sur d'autres actions" in helps["ETP chiffrés"]
    captions = " ".join(c.value for c in at.caption)
    assert "10 fiches non chiffrées (7, 9, 11, 12, 14, 15, 16, 17, 18, 19)" in captions
    assert any("Données d'exemple" in w.value for w in at.warning)
    assert "Lot Numérique Responsable" in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_error(page):
    at = open_page(page)
    assert at.title or at.header or at.subheader, page  # the meeting heads each screen with a subheader
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
    if page is None:  # the late indicators are a table of text (st.table), each with its échéance
        late = next(t.value for t in at.table if "Échéance" in t.value.columns)
        assert list(late.columns) == ["Indicateur", "Fiche", "Réalisé", "Attendu", "Échéance", "Origine de la cible",
                                      "Libellé"]
        assert "None" not in " ".join(map(str, late.to_numpy().ravel()))


def test_latest_values_show_the_figure_next_to_a_bounded_title():
    """A 90-character title must not push the value out of sight: the table's text wraps (a table of text, which
    the browser's own search finds, not a canvas), and the value, with its unit, and its quarter come right after
    the title."""
    latest = latest_values(open_page("pages/3_Indicateurs.py"))
    assert list(latest.columns)[:5] == ["Indicateur", "Fiche", "Libellé", "Dernière valeur", "Période"]
    assert len(latest) == 79


def test_budget_chart_gives_the_roadmap_figure_for_an_axe():
    at = open_page("pages/1_Budget.py")
    bars = figures(at)[0]["data"][0]
    per_axe = dict(zip(bars["y"], bars["x"]))
    assert per_axe["Lot Numérique Responsable"] == 13800
    # Fiches 20 and 21's 5 000 € each come without a period: not one-off, shown apart with the roadmap's words.
    assert per_axe["Lot Numérique Innovant"] == 0
    assert any(h.value == "Montants sans période précisée : 24\u202f304\u00a0€" for h in at.subheader)
    apart = at.table[0].value
    shown = {text.replace("\\", "") for text in apart["Texte de la feuille de route"]}  # st.table's Markdown escapes
    assert "5 000 € (lieu, buffet, intervenants, communication)" in shown
    assert any("Fiches sans investissement chiffré : 10" in h.value for h in at.subheader)


def test_budget_gives_one_answer_per_axe():
    """« Combien d'euros sont prévus pour l'axe 2 ? »: one figure, no cumul to choose (issue 23)."""
    at = open_page("pages/1_Budget.py")
    assert not at.radio and not at.number_input
    ends = figures(at)[0]["data"][-1]  # the total written at the end of each axe's bar
    per_axe = dict(zip(ends["y"], ends["x"]))
    # Innovant: 1 000/an × 4 + 200 + 400 + 600 + 10 000 without a stated period, once; 2 500 per structure apart
    assert per_axe["Lot Numérique Innovant"] == 4000 + 1200 + 10000
    assert per_axe["Lot Numérique Solidaire"] == 20000 + 2000 * 4 + 14304
    said = " ".join(m.value for m in at.markdown)
    assert "Lot Numérique Innovant** : 15\u202f200\u00a0€ prévus sur 2024-2027 ; + 2\u202f500\u00a0€ par structure " \
           "partenaire (nombre non fixé) ; 4 fiches non chiffrées (16, 17, 18, 19)." in said


def test_filters_live_in_the_url_and_narrow_the_charts():
    at = open_page("pages/1_Budget.py", axe="1")
    bars = figures(at)[0]["data"][0]
    assert list(bars["y"]) == ["Lot Numérique Responsable"]
    assert at.query_params["axe"] in ("1", ["1"])


def test_the_menu_carries_the_filters_just_chosen():
    """An élu chooses an axe in the sidebar, then another page in the menu: the filter goes with her (the links
    were drawn before the lists, with the address's filters of the run before)."""
    at = open_page("pages/1_Budget.py")
    at.selectbox(key="filtre_axe").set_value(2).run()
    links = [link.proto for link in at.get("page_link")]
    assert len(links) == 13 and {link.query_string for link in links} == {"axe=2"}, links
    # Through a page without filters (a fiche) they go on to the next one.
    fiche = open_page("pages/5_Fiche.py", axe="2")
    assert {link.proto.query_string for link in fiche.get("page_link")} == {"axe=2"}


def test_charge_rh_shows_lot_numerique_total_and_warns_over_capacity():
    at = open_page("pages/2_Charge_RH.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["ETP attribués à Lot Numérique"] == "2,1\u00a0ETP"
    assert metrics["Avec le co-portage non réparti"] == "2,6\u00a0ETP"
    capacity(at).set_value("2").run()
    assert any("Surcharge" in e.value for e in at.error)
    capacity(at).set_value("3").run()
    assert not at.error and any("tiennent" in s.value for s in at.success)


def capacity(at: AppTest):
    return at.text_input(key="capacite")


def test_a_capacity_typed_with_a_decimal_comma_is_read_as_written():
    """« 2,5 » is 2,5 ETP, as the field's own example says: below the 2,6 ETP the coordination may carry."""
    at = open_page("pages/2_Charge_RH.py")
    for typed in ("2,5", "2.5", "2,5 ETP"):
        capacity(at).set_value(typed).run()
        assert {m.label: m.value for m in at.metric}["Capacité saisie"] == "2,5\u00a0ETP", typed
        warnings = [w.value for w in at.warning if "Surcharge possible" in w.value]
        assert warnings and "2,5\u00a0ETP" in warnings[0], typed
        assert not at.success and not at.error, typed


def test_an_implausible_capacity_is_questioned_before_it_is_compared():
    """25 ETP for 2,6 ETP of commitments is most likely « 2,5 » with its comma lost: asked, not taken as is."""
    at = open_page("pages/2_Charge_RH.py")
    capacity(at).set_value("25").run()
    question = next(w.value for w in at.warning if "Vous avez saisi" in w.value)
    assert question == ("Vous avez saisi 25\u00a0ETP, soit près de 10 fois les engagements (2,6\u00a0ETP) : "
                        "vouliez-vous écrire 2,5 ?")
    assert not any("tiennent" in s.value for s in at.success)
    at.checkbox(key="capacite_confirmee_25.0").check().run()
    assert any("tiennent" in s.value for s in at.success)


def test_a_capacity_that_is_not_a_number_gets_a_french_error():
    at = open_page("pages/2_Charge_RH.py")
    for typed, said in [("abc", "« abc » n'est pas un nombre"), ("2,5 %", "n'est pas un nombre"),
                        ("-1", "entre 0 et 100")]:
        capacity(at).set_value(typed).run()
        assert any(said in e.value for e in at.error), (typed, [e.value for e in at.error])
        assert {m.label: m.value for m in at.metric}["Capacité saisie"] == "—"
        assert not at.success


def test_fiche_page_is_reached_by_its_link_and_shows_its_porteur():
    at = open_page("pages/5_Fiche.py", fiche="5")
    text = " ".join(m.value for m in at.markdown)
    assert "Fiche n°5" in " ".join(h.value for h in at.header)
    assert "RhinOcc" in text and "co-porteur" in text and "régional" in text
    at = open_page("pages/5_Fiche.py", fiche="99")
    assert any("n'existe pas" in w.value for w in at.warning)


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
    assert any("Import n°1 enregistré" in s.value for s in at.success), [s.value for s in at.success]

    overview = open_page()
    assert not any("Données d'exemple" in w.value for w in overview.warning)
    indicators = open_page("pages/3_Indicateurs.py")
    latest = latest_values(indicators).set_index("Indicateur")
    assert latest.loc["F02-I2", "Dernière valeur"] == "4\u00a0médiateurs"

    history = open_page("pages/7_Historique.py")
    sign_in(history)
    history.selectbox[0].set_value(1).run()
    history.checkbox[0].check().run()
    next(b for b in history.button if b.label == "Annuler cet import").click().run()
    assert any("Import n°1 annulé" in s.value for s in history.success)
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
    assert any("Import n°1 enregistré" in s.value for s in at.success)
    at.run()  # once imported, the file has left the uploader: nothing is checked again
    assert not any("Rien à importer" in s.value for s in at.success) and not at.metric
    assert checked == ["t3.xlsx"]
    at.get("file_uploader")[0].set_value(("t3_corrige.xlsx", saisie_xlsx(GOOD[:2]), XLSX)).run()
    assert checked == ["t3.xlsx", "t3_corrige.xlsx"]


def test_meeting_mode_walks_through_every_screen():
    at = open_page("pages/8_Reunion.py")
    position = next(m.value for m in at.markdown if m.value.startswith("#### Écran "))
    count = int(position.split("/")[1].split()[0])
    # Overview, axe 1, axe 2 on three screens (13 fiches), axe 3, budget, execution, RH, indicators, attention.
    assert count == 12
    titles = [shown(at.subheader[0].value)]
    for _ in range(count - 1):
        next(b for b in at.button if b.label == "Suivant").click().run()
        assert not at.exception
        titles.append(shown(at.subheader[0].value))
    assert titles[1].startswith("Axe 1 — Lot Numérique Responsable")
    assert titles[2].startswith("Axe 2 — Lot Numérique Solidaire (1/3)")
    assert titles[4].startswith("Axe 2 — Lot Numérique Solidaire (3/3)")
    assert titles[titles.index(next(t for t in titles if t.startswith("Budget par axe"))) + 1].startswith(
        "Exécution budgétaire")
    assert titles[-1].startswith("Points d'attention")
    assert next(b for b in at.button if b.label == "Suivant").disabled
    next(b for b in at.button if b.label == "Début").click().run()
    assert at.subheader[0].value.startswith("Vue d'ensemble")


def shown(markdown: str) -> str:
    """Markdown as read on screen: its escapes show the characters escaped."""
    return re.sub(r"\\(.)", r"\1", markdown)


def table_cells(at: AppTest) -> list[str]:
    """The tables' cells as read on screen (st.table shows its Markdown escapes as the characters escaped)."""
    return [re.sub(r"\\(.)", r"\1", str(v)) for t in at.table for v in t.value.to_numpy().ravel()]


def test_closing_a_quarter_from_the_page_then_viewing_it_frozen(monkeypatch, tmp_path):
    # A comité on 2 December 2026, whatever the suite's pinned day: the examples are then those of 2026, made by
    # the dashboard itself on that day (the copy of the fixture was made for the suite's day).
    monkeypatch.setenv(periodes.ENV_AUJOURDHUI, "2026-12-02")
    (tmp_path / "app.duckdb").unlink()
    at = open_page("pages/9_Clotures.py")
    assert any("Aucun trimestre clôturé" in i.value for i in at.info)
    # A comité on 2 December presents the last quarter over, not the current, empty one.
    assert at.selectbox[0].value == "2026-T3"
    sign_in(at)
    form = {s.label: s for s in at.selectbox}
    assert form["Trimestre présenté"].value == "2026-T3"
    next(t for t in at.text_input if t.label == "Référence de la réunion").set_value("Comité syndical de test")
    next(t for t in at.text_input if t.label.startswith("Votre nom")).set_value("Claire Martin")
    next(d for d in at.date_input).set_value(date(2026, 12, 2))
    # Example data: closing them must be confirmed.
    next(b for b in at.button if b.label == "Clôturer ce trimestre").click().run()
    assert any("cochez la case" in e.value for e in at.error), [e.value for e in at.error]
    assert any("Aucun trimestre clôturé" in i.value for i in at.info)
    next(c for c in at.checkbox if "données d'exemple" in c.label).check()
    next(b for b in at.button if b.label == "Clôturer ce trimestre").click().run()
    assert not at.exception
    # The same page, without reloading it: the closure is listed, chosen and shown frozen.
    assert any("clôture n°1" in s.value for s in at.success), [s.value for s in at.success]
    assert not any("Aucun trimestre clôturé" in i.value for i in at.info)
    cells = table_cells(at)
    assert {"T3 2026", "2 décembre 2026", "Claire Martin", "oui (valeurs fictives)"} <= set(cells), cells
    # When it was closed is the real clock, not the pinned day: only its French form is asserted.
    assert any(re.fullmatch(r"\d{1,2} [a-zéû]+ \d{4} à \d{2} h \d{2}", c) for c in cells), cells
    assert not any("2026-T3" in c or "00:00:00" in c for c in cells), cells
    assert any("Vue figée" in m.value and "par Claire Martin" in m.value and "données d'exemple" in m.value
               for m in at.markdown)
    at = open_page("pages/9_Clotures.py", cloture="1")
    assert any("Vue figée" in m.value for m in at.markdown)
    assert any("Aucune différence" in s.value for s in at.success)


def test_the_who_carries_what_matrix_never_leaves_a_porteur_out():
    """CCI du Lot, Locollective and Secours Populaire carry one fiche each and are partners of none: among the 25
    most frequent structures they were not, and fiches 15, 23 and 9 looked as if nobody carried them."""
    at = open_page("pages/4_Porteurs.py")
    matrix = next(f for f in figures(at) if f["layout"]["title"]["text"].startswith("Qui porte"))
    heat = matrix["data"][0]
    cells = {(s, f): z for s, row in zip(heat["y"], heat["z"]) for f, z in zip(heat["x"], row)}
    for structure, fiche in [("CCI du Lot", "F15"), ("Locollective", "F23"),
                             ("Secours Populaire – Fédération du Lot", "F9")]:
        assert cells[(structure, fiche)] == 2, structure  # 2: porte ou co-porte
    porteurs = {"Lot Numérique", "Bibliothèque départementale du Lot", "Préfecture du Lot", "CCI du Lot",
                "Cybergendarmerie 46", "DSDEN du Lot", "Locollective", "RhinOcc",
                "Secours Populaire – Fédération du Lot"}
    assert porteurs <= set(heat["y"])
    # The matrix leaves out partners only, and says how many: 73 structures, 30 rows shown.
    title = matrix["layout"]["title"]["text"].replace("<br>", " ")
    assert "43 partenaires les moins fréquents non affichés : voir le tableau" in title
    assert len(heat["y"]) == 30 and matrix["layout"]["height"] >= 26 * 30
    # Every fiche carried by someone has its carrier in the matrix.
    carried = {f for (s, f), z in cells.items() if z == 2}
    assert carried == {f"F{n}" for n in range(1, 24)}


def test_a_chart_showing_part_of_the_partners_says_how_many_are_left_out():
    at = open_page("pages/4_Porteurs.py")
    chart = next(f for f in figures(at) if "partenaires" in f["layout"]["title"]["text"].split("<br>")[0])
    title = chart["layout"]["title"]["text"].replace("<br>", " ")
    assert "15 premières ; 55 autres non affichées : voir le tableau" in title
    assert len(chart["data"][0]["y"]) == 15


def test_the_import_preview_and_the_latest_values_write_each_value_by_its_kind():
    """A deliverable is read « en cours » / « réalisé » and a ratio in % « 85 % », not 0.5, 1 or a bare 85: in
    the import preview (before and after) and in the Indicateurs page's latest values."""
    at = open_page("pages/6_Saisie.py")
    sign_in(at)
    first = saisie_xlsx([[4, "F04-I1", "2025-T3", "en cours", None, None],
                         [6, "F06-I1", "2025-T3", "85 %", None, None]])
    at.get("file_uploader")[0].set_value(("t3.xlsx", first, XLSX)).run()
    shown = preview_table(at)
    assert list(shown.loc["F04-I1", ["Avant", "Après"]]) == ["—", "en cours"]
    assert shown.loc["F06-I1", "Après"] == "85\u00a0%"
    next(b for b in at.button if b.label == "Importer").click().run()
    assert any("Import n°1 enregistré" in s.value for s in at.success)

    second = saisie_xlsx([[4, "F04-I1", "2025-T3", "réalisé", None, None],
                          [6, "F06-I1", "2025-T3", "90 %", None, None], [2, "F02-I2", "2025-T3", 4, None, None]])
    at.get("file_uploader")[0].set_value(("t3_bis.xlsx", second, XLSX)).run()
    shown = preview_table(at)
    assert list(shown.loc["F04-I1", ["Avant", "Après"]]) == ["en cours", "réalisé"]
    assert list(shown.loc["F06-I1", ["Avant", "Après"]]) == ["85\u00a0%", "90\u00a0%"]
    assert shown.loc["F02-I2", "Après"] == "4\u00a0médiateurs"
    next(b for b in at.button if b.label == "Importer").click().run()
    # The text sets no target: the coordination owns this one (lne_data.cibles), the page writes it by kind.
    cibles.set_target(ui.connection(), "F02-I2", "12", None, "décidée en comité technique", "Claire")
    ui.invalidate()

    latest = latest_values(open_page("pages/3_Indicateurs.py")).set_index("Indicateur")
    assert latest.loc["F04-I1", "Dernière valeur"] == "réalisé"
    assert latest.loc["F04-I1", "Cumul ou niveau"] == "réalisé"
    assert latest.loc["F06-I1", "Dernière valeur"] == "90\u00a0%"
    assert latest.loc["F02-I2", "Dernière valeur"] == "4\u00a0médiateurs"
    assert latest.loc["F02-I2", "Cible"] == "12\u00a0médiateurs"
    assert latest.loc["F02-I2", "Écart à la cible"] == "−8\u00a0médiateurs"
    assert latest.loc["F10-I1", "Dernière valeur"] == "—"  # nothing entered since the examples went


def test_the_latest_values_write_the_examples_by_their_kind_too():
    latest = latest_values(open_page("pages/3_Indicateurs.py")).set_index("Indicateur")
    livrables = latest.loc[(latest["Type"] == "livrable") & (latest["Période"] != ""), "Dernière valeur"]
    assert len(livrables) and set(livrables) <= {"non commencé", "en cours", "réalisé"}
    assert latest.loc["F06-I1", "Dernière valeur"].endswith("\u00a0%")


def preview_table(at: AppTest):
    return next(t.value for t in at.dataframe if "Après" in t.value.columns).set_index("Indicateur")


def answers_on_saisie(at: AppTest, periode: str) -> tuple[int, int, str]:
    """(porteurs who answered, porteurs, the sentence above the table) in « Qui a répondu ? »."""
    next(s for s in at.selectbox if s.label == "Trimestre").set_value(periode).run()
    table = next(t.value for t in at.dataframe if "A répondu" in t.value.columns)
    said = next(m.value for m in at.markdown if "répondu pour" in m.value)
    return int(table["A répondu"].sum()), len(table), said


def meeting_tiles(at: AppTest) -> dict[str, str]:
    """The meeting's key figures as the room reads them: label → figure, from the tiles' chart."""
    notes = figures(at)[0]["layout"]["annotations"]
    return {label["text"]: value["text"].removeprefix("<b>").removesuffix("</b>")
            for value, label in zip(notes[::2], notes[1::2])}


def test_the_saisie_page_the_overview_and_the_meeting_agree_on_who_answered():
    """Example entries are nobody's answer: with them, « Qui a répondu ? » says nobody did, and the overview and the
    meeting count every porteur without an answer, each saying why; after a real import all three count the same."""

    from lne_data import periodes

    latest = periodes.previous(periodes.of_date(periodes.today()))  # the examples' last quarter, shown by the meeting
    saisie = open_page("pages/6_Saisie.py")
    answered, porteurs, said = answers_on_saisie(saisie, latest)
    assert (answered, porteurs) == (0, 9)
    assert said == (f"0 porteur sur 9 a répondu pour {periodes.label(latest)} : les données d'exemple chargées sont "
                    "fictives et ne sont la réponse d'aucun porteur.")
    meeting = open_page("pages/8_Reunion.py", etape="12")
    assert meeting_tiles(meeting)["porteurs sans réponse"] == "9"
    assert f"#### {said}" in [shown(m.value) for m in meeting.markdown]
    overview = open_page()
    assert said in [m.value for m in overview.markdown]
    assert any(m.value.startswith("**Porteurs sans réponse ce trimestre**") and "CCI du Lot" in m.value
               for m in overview.markdown)

    sign_in(saisie)
    saisie.get("file_uploader")[0].set_value(("t3.xlsx", saisie_xlsx(GOOD), XLSX)).run()
    next(b for b in saisie.button if b.label == "Importer").click().run()
    answered, porteurs, said = answers_on_saisie(saisie, "2025-T3")
    # Fiches 2, 3, 4, 6 and 10: Lot Numérique, Préfecture du Lot (co-porteur of 4), Bibliothèque départementale.
    assert (answered, porteurs) == (3, 9)
    assert said == "3 porteurs sur 9 ont répondu pour T3 2025."
    meeting = open_page("pages/8_Reunion.py", etape="12")
    assert meeting_tiles(meeting)["porteurs sans réponse"] == "6"
    assert f"#### {said}" in [shown(m.value) for m in meeting.markdown]
    assert said in [m.value for m in open_page().markdown]


def test_charge_rh_lines_say_a_share_of_a_post_and_flag_shared_time():
    """An ETP is a share of a full-time post, never « ponctuel »; fiche 13's 0,25 ETP « également investi sur
    d'autres actions » is flagged, in the table and under the charts."""
    at = open_page("pages/2_Charge_RH.py")
    lines = next(t.value for t in at.dataframe if "Base" in t.value.columns)
    assert set(lines["Base"]) == {"part d'un temps plein", "par structure partenaire"}
    assert list(lines.loc[lines["Partagé"] != "", "Fiche"]) == [13]
    assert any("Dont 0,25\u00a0ETP que la feuille de route dit « également investis sur d'autres actions »" in c.value
               for c in at.caption)


def test_overview_late_indicators_show_their_figures_before_their_title():
    """In half of a 1280-pixel screen the figures of an indicator behind its target come first, the long title
    (300 px) after them; a qualitative indicator's empty chart says so on lines that fit its half."""
    open_page()
    cibles.set_target(ui.connection(), "F02-I2", "500", None, "décidée en comité technique", "Claire")
    ui.invalidate()
    at = open_page()
    late = next(t.value for t in at.table if "Attendu" in t.value.columns)
    assert list(late.columns)[:5] == ["Indicateur", "Fiche", "Réalisé", "Attendu", "Échéance"]
    assert list(late.columns)[-1] == "Libellé" and "F02\\-I2" in set(late["Indicateur"])  # Markdown-escaped
    at = open_page("pages/3_Indicateurs.py")
    next(s for s in at.selectbox if s.label == "Fiche").set_value(3).run()
    notes = [a["text"] for fig in figures(at) for a in fig["layout"].get("annotations", [])]
    qualitative = [n for n in notes if n.startswith("Indicateur qualitatif")]
    assert qualitative and all(max(len(line) for line in n.split("<br>")) <= 40 for n in qualitative)


def test_after_the_roadmap_ends_every_page_shows_its_last_quarter(monkeypatch, tmp_path):
    """In March 2028 the roadmap is over: every page still opens, on its last quarter (T4 2027), never on a quarter
    outside it; the examples of a fresh install are those of 2027. The whole suite can be run so too
    (`LNE_AUJOURDHUI=2028-03-15 ./scripts/test.sh`); this keeps the usual run from forgetting it."""
    monkeypatch.setenv(periodes.ENV_AUJOURDHUI, "2028-03-15")
    (tmp_path / "app.duckdb").unlink()  # made by the dashboard itself on that day, not copied from the suite's day
    at = open_page()
    assert any("trimestre affiché : **T4 2027**" in c.value for c in at.caption), [c.value for c in at.caption]
    for page in [*PAGES, "pages/10_Feuille_de_route.py"]:
        at = open_page(page)  # no exception
        chosen = [str(s.value) for s in at.selectbox if periodes.parse(str(s.value))]
        assert all(v <= "2027-T4" for v in chosen), (page, chosen)
    assert open_page("pages/9_Clotures.py").selectbox[0].value == "2027-T4"
    assert open_page("pages/6_Saisie.py").selectbox[0].value == "2027-T4"


def test_chart_sentences_read_as_french_text_under_the_charts():
    """The sentence under every chart is read as written: an indicator without values says so without a literal
    « &lt;br&gt; » (its message wraps in the chart), and a chart of one bar says « un seul élément »."""
    at = open_page("pages/3_Indicateurs.py")
    at.selectbox[0].set_value(4).run()
    said = [c.value for c in at.caption if "F04" in c.value]
    assert any("Aucune valeur saisie pour cet indicateur" in s for s in said), said
    assert not [s for s in said if "&lt;" in s or "&gt;" in s or "<br" in s], said
    budget = open_page("pages/1_Budget.py", axe="1")
    said = [c.value for c in budget.caption]
    assert any("un seul élément" in s for s in said), said
    assert not [s for s in said if re.search(r"\b1 éléments", s)], said


def test_after_importing_the_page_says_it_where_the_person_reads_and_the_undo_names_who_did_it():
    """After « Importer »: the confirmation of import n°1 (the examples are not counted as an import), under the
    uploader, emptied for the next file; no « Rien à importer ». The undo, from Historique in the same session, says
    what it put back (13 values of the import, the examples it had replaced) and is recorded under the name typed on
    Saisie, not « coordination »."""
    rows = [[f, code, "2025-T3", 1, None, None] for f, code in [
        (2, "F02-I2"), (3, "F03-I1"), (5, "F05-I1"), (6, "F06-I3"), (7, "F07-I1"), (8, "F08-I1"), (9, "F09-I1"),
        (10, "F10-I1"), (10, "F10-I2"), (11, "F11-I1"), (12, "F12-I1"), (13, "F13-I1"), (14, "F14-I1")]]
    at = open_page("pages/6_Saisie.py")
    sign_in(at)
    next(t for t in at.text_input if t.label.startswith("Votre nom")).set_value("Claire Martin").run()
    at.get("file_uploader")[0].set_value(("t3.xlsx", saisie_xlsx(rows), XLSX)).run()
    assert {m.label: m.value for m in at.metric}["Nouvelles valeurs"] == "13"
    next(b for b in at.button if b.label == "Importer").click().run()
    said = [shown(s.value) for s in at.success]
    assert any(s.startswith("Import n°1 enregistré : 13 nouvelle(s)") for s in said), said
    assert not any("Rien à importer" in s for s in said) and not at.metric  # the uploader is empty again
    kinds = [e.type for e in at.main if hasattr(e, "type")]
    assert kinds.index("file_uploader") < kinds.index("success"), kinds  # under it, not at the top of the page

    at.switch_page("pages/7_Historique.py").run()
    assert next(t for t in at.text_input if t.label.startswith("Votre nom")).value == "Claire Martin"
    at.selectbox[0].set_value(1).run()
    next(c for c in at.checkbox if c.key == "confirmer_annulation_import_1").check().run()
    next(b for b in at.button if b.label == "Annuler cet import").click().run()
    said = [shown(s.value) for s in at.success]
    undone = next(s for s in said if s.startswith("Import n°1 annulé"))
    assert undone.startswith("Import n°1 annulé : 13 valeur(s) de cet import retirée(s) ou remise(s) comme avant, "
                             "et les "), undone
    assert "304" not in undone
    register = next(d.value for d in at.dataframe if "Annulé par" in d.value.columns).set_index("N°")
    assert register.loc[1, "Annulé par"] == "Claire Martin"


def _luminance(colour: str) -> float:
    colour = {"white": "#FFFFFF", "black": "#000000"}.get(colour.lower(), colour)
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2's contrast ratio of two colours `#RRGGBB`."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _text_colours(fig: dict) -> list[tuple[str, str, str]]:
    """(what, text colour, background) of every text a meeting figure draws; None where the colour is not set (the
    theme's grey would then be drawn)."""
    layout, found = fig["layout"], []
    found.append(("font", layout.get("font", {}).get("color"), "#FFFFFF"))
    for axis in ("xaxis", "yaxis"):
        spec = layout.get(axis, {})
        if spec.get("visible", True):
            found.append((f"{axis} ticks", spec.get("tickfont", {}).get("color"), "#FFFFFF"))
    found += [("annotation", a.get("font", {}).get("color"), "#FFFFFF") for a in layout.get("annotations", [])]
    for trace in fig["data"]:
        if trace["type"] == "table":
            found.append(("header", trace["header"]["font"]["color"], trace["header"]["fill"]["color"]))
            fills = trace["cells"].get("fill", {}).get("color") or ["#FFFFFF"]
            fills = {c for row in fills for c in (row if isinstance(row, list) else [row])}
            found += [("cell", trace["cells"]["font"]["color"], fill) for fill in fills]
    return found


def test_meeting_text_reads_at_4_5_to_1_and_blue_means_axe_1_only():
    """Every text of every meeting screen is written in a colour set by the figure, at 4.5:1 at least against what
    it stands on (WCAG 1.4.3; the theme's grey was 3.7:1); axe 1's blue (any axe's colour) is not used for the big
    numbers, the tables' headers or « Lot Numérique »: only the screens that draw the axes use their colours."""
    from lne_data.palette import AXE_PALETTE

    at = open_page("pages/8_Reunion.py")
    count = int(next(m.value for m in at.markdown if m.value.startswith("#### Écran ")).split("/")[1].split()[0])
    for step in range(1, count + 1):
        if step > 1:
            next(b for b in at.button if b.label == "Suivant").click().run()
        title = shown(at.subheader[0].value)
        for fig in figures(at):
            for what, colour, background in _text_colours(fig):
                assert colour and contrast(colour, background) >= 4.5, (title, what, colour, background)
            if not title.startswith(("Budget", "Indicateurs renseignés")):
                used = json.dumps(fig).upper()
                assert not [c for c in AXE_PALETTE[:-1] if c.upper() in used], title


@pytest.mark.parametrize("query", [{}, {"axe": "2"}], ids=["tout", "axe_2"])
def test_the_overview_names_the_fiches_the_budget_page_says_are_not_figured(query):
    """One list: the overview's « sans investissement chiffré » are the fiches of the Budget page's table under
    « Fiches sans investissement chiffré », with or without filters."""
    overview = open_page(**query)
    said = next(m.value for m in overview.markdown if "sans investissement chiffré : " in m.value)
    listed = said.split("sans investissement chiffré : ")[1].strip()
    on_overview = [] if listed == "aucune" else [int(n) for n in listed.split(", ")]
    budget = open_page("pages/1_Budget.py", **query)
    count = next(int(h.value.rsplit(" ", 1)[1]) for h in budget.subheader
                 if h.value.startswith("Fiches sans investissement chiffré : "))
    table = next(t.value for t in budget.table if "Intitulé" in t.value.columns)
    assert on_overview == [int(n) for n in table["Fiche"]]
    assert len(on_overview) == count > 0
