"""Mon Inclusion Numérique: every fiche as an action of MIN, read back from the files the command line writes (the
JSON against MIN's rules, the « fiche de saisie MIN » with openpyxl), the money of the Budget page and never 0 € for
money the roadmap does not give, the besoins confirmed and undone with who and when, the identifiant MIN, and the
pre-flight of what MIN will refuse."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from lne_data import db, mon_inclusion, versions, views
from lne_data.demo import load_examples
from lne_data.outils import min as min_
from lne_data.problems import RejectedInput
from lne_data.referentiel import read_referentiel

from .conftest import TODAY, app_session, dump, edit_workbook, run_cli, sign_in, xlsx

# MIN's facts as read in its public code (anct-cnum/suite-gestionnaire-numerique: the enum `besoin_subvention`, the
# action form's `ajouterUneActionAction`), written here again so that the module cannot drift from them unseen.
MIN_BESOINS = ["etablir_un_diagnostic_territorial", "co_construire_la_feuille_de_route", "rediger_la_feuille_de_route",
               "appui_juridique", "structurer_un_fonds", "monter_dossiers_de_subvention", "animer_la_gouvernance",
               "structurer_une_filiere_de_reconditionnement", "collecter_des_donnees_territoriales",
               "sensibiliser_les_acteurs_aux_outils_existants", "appuyer_la_certification_qualiopi"]
MIN_FIELDS = {"nom", "contexte", "description", "besoins", "anneeDeDebut", "anneeDeFin", "budgetGlobal", "porteurs",
              "coFinancements", "demandeDeSubvention", "destinataires"}
# What MIN's editor (TipTap's StarterKit) keeps and what the export writes: paragraphs, bold, lists.
HTML_TAGS = {"p", "strong", "ul", "li"}
NON_CHIFFRE = "non chiffré dans la feuille de route"


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        assert not attrs, (tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def html_text(fragment: str) -> tuple[set[str], str]:
    """The tags of an HTML fragment and its text, entities decoded, as MIN's editor would show it."""
    parser = Tags()
    parser.feed(fragment)
    parser.close()
    return set(parser.tags), "".join(parser.text)


def assert_min_accepts(action: dict) -> None:
    """The rules MIN's form and domain apply to an action (`ActionValidator`, `CoFinancement.create`)."""
    assert set(action) <= MIN_FIELDS, set(action) - MIN_FIELDS
    for name in ("nom", "contexte", "description"):
        assert isinstance(action[name], str) and action[name].strip(), name
    for name in ("contexte", "description"):
        tags, text = html_text(action[name])
        assert tags <= HTML_TAGS and text.strip(), (name, tags)
    assert action["besoins"] and set(action["besoins"]) <= set(MIN_BESOINS), action["besoins"]
    assert len(set(action["besoins"])) == len(action["besoins"])
    assert isinstance(action["anneeDeDebut"], str) and re.fullmatch(r"\d{4}", action["anneeDeDebut"])
    if "anneeDeFin" in action:
        assert isinstance(action["anneeDeFin"], str) and int(action["anneeDeFin"]) > int(action["anneeDeDebut"])
    if "budgetGlobal" in action:
        budget = action["budgetGlobal"]
        assert isinstance(budget, int) and not isinstance(budget, bool) and budget >= 0, budget
    assert isinstance(action["porteurs"], list) and all(isinstance(p, str) and p for p in action["porteurs"])
    for cofinancement in action["coFinancements"]:
        assert set(cofinancement) == {"coFinanceur", "montant"}
        assert isinstance(cofinancement["coFinanceur"], str) and cofinancement["coFinanceur"]
        assert isinstance(cofinancement["montant"], (int, float)) and cofinancement["montant"] > 0


def exported(db_path: Path, tmp_path: Path, fmt: str = "min") -> Path:
    """The file the command line writes, as the coordinatrice runs it."""
    out = tmp_path / ("min.json" if fmt == "min" else "min.xlsx")
    result = run_cli("export", "--format", fmt, "-o", str(out), "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert f"(Mon Inclusion Numérique) écrit dans {out}." in result.stdout
    assert "À faire : " in result.stdout and "points bloquants" in result.stdout
    return out


def by_fiche(document: dict) -> dict[int, dict]:
    return {entry["fiche"]: entry for entry in document["actions"]}


# --------------------------------------------------------------------------------------------------
# MIN's facts
# --------------------------------------------------------------------------------------------------


def test_the_besoins_are_min_s_eleven_codes_in_the_order_of_its_form():
    assert list(mon_inclusion.BESOINS) == MIN_BESOINS
    assert mon_inclusion.BESOINS["animer_la_gouvernance"] == \
        "Animer et mettre en œuvre la gouvernance et la feuille de route"
    assert len(mon_inclusion.RUBRIQUES) == 4 and set(mon_inclusion.RUBRIQUE_DE) == set(MIN_BESOINS)


# --------------------------------------------------------------------------------------------------
# The JSON, read back
# --------------------------------------------------------------------------------------------------


def test_every_fiche_is_an_action_min_accepts(con, db_path, tmp_path):
    budget = views.budget(views.reference(con), views.Filters()).par_fiche
    con.close()
    document = json.loads(exported(db_path, tmp_path).read_text(encoding="utf-8"))
    assert document["format"] == min_.FORMAT and document["genere_le"] == TODAY.isoformat()
    assert [b["code"] for b in document["besoins_possibles"]] == MIN_BESOINS
    actions = by_fiche(document)
    assert sorted(actions) == list(range(1, 24))
    for entry in actions.values():
        assert_min_accepts(entry["action"])
    # Fiche 3, as the roadmap gives it: 4 000 € of disks and 800 € of RAM, from its adoption to the roadmap's end.
    f3 = actions[3]["action"]
    assert f3["nom"] == "Expérimenter une boucle de reconditionnement solidaire"
    assert (f3["anneeDeDebut"], f3["anneeDeFin"], f3["budgetGlobal"]) == ("2024", "2027", 4800)
    assert f3["porteurs"] == ["Lot Numérique"] and f3["coFinancements"] == []
    assert "structurer_une_filiere_de_reconditionnement" in f3["besoins"]
    _, contexte = html_text(f3["contexte"])
    assert "Axe : 1 — Lot Numérique Responsable" in contexte and "F03-I1 — Nombre de foyers Lotois" in contexte
    assert "Public cible : Lotois non équipés en matériel informatique" in contexte
    _, description = html_text(f3["description"])
    assert "Organiser une boucle locale de reconditionnement" in description and "Leviers :" in description
    assert "Freins :" in description and "Partenaires :" in description
    # Fiche 23 entered the roadmap in 2025 and gives its funding: ANCT 2 000 €, fonds propres 1 104 €.
    f23 = actions[23]["action"]
    assert (f23["anneeDeDebut"], f23["anneeDeFin"], f23["budgetGlobal"]) == ("2025", "2027", 3104)
    assert f23["coFinancements"] == [{"coFinanceur": "ANCT", "montant": 2000},
                                     {"coFinanceur": "Locollective", "montant": 1104}]
    # The same money as the Budget page, fiche by fiche.
    for row in budget.itertuples():
        if row.prevu == row.prevu:  # chiffrée
            assert actions[row.fiche]["action"]["budgetGlobal"] == round(row.prevu), row.fiche


def test_a_fiche_the_roadmap_does_not_quantify_never_exports_0(con, db_path, tmp_path):
    par_fiche = views.budget(views.reference(con), views.Filters()).par_fiche
    non_chiffrees = [int(f) for f in par_fiche.loc[par_fiche["prevu"].isna(), "fiche"]]
    assert {16, 17, 18, 19} <= set(non_chiffrees)
    con.close()
    actions = by_fiche(json.loads(exported(db_path, tmp_path).read_text(encoding="utf-8")))
    for fiche in non_chiffrees:
        entry = actions[fiche]
        assert "budgetGlobal" not in entry["action"], fiche  # not 0, not null: absent
        assert NON_CHIFFRE in html_text(entry["action"]["contexte"])[1], fiche
        assert "budget-non-chiffre" in {p["code"] for p in entry["a_faire"] if p["niveau"] == "bloquant"}
    # Fiche 7: « En option selon évolution du dispositif : contribution 2025 », said in the roadmap's words.
    assert "« En option selon évolution du dispositif" in html_text(actions[7]["action"]["contexte"])[1]
    # Workbook: the same fiches say it in words where the budget goes, never 0.
    sheet = openpyxl.load_workbook(exported(db_path, tmp_path, "min-xlsx"))["Actions"]
    header = [c.value for c in sheet[1]]
    budget_column = header.index("Budget global (budgetGlobal)")
    for row in sheet.iter_rows(min_row=2, values_only=True):
        expected = actions[row[0]]["action"].get("budgetGlobal", NON_CHIFFRE)
        assert row[budget_column] == expected, row[0]
        assert row[budget_column] != 0


def test_per_structure_amounts_and_conditions_are_said_not_added(con):
    actions = {a.fiche: a for a in min_.export(con).actions}
    f22 = actions[22]
    # 200 + 400 + 600 € of Silver Geek and 1 000 € a year over 2024-2027; « 2500€ environ par structure » apart.
    assert f22.action["budgetGlobal"] == 5200
    said = "5\u202f200\u00a0€ prévus sur 2024-2027 ; + 2\u202f500\u00a0€ par structure partenaire (nombre non fixé)"
    assert said in html_text(f22.action["contexte"])[1]
    assert "budget-par-structure" in {p.code for p in f22.points}
    f1 = actions[1]
    assert f1.action["budgetGlobal"] == 5000 and "budget-sous-condition" in {p.code for p in f1.points}


def test_the_fixed_amount_is_none_where_the_text_gives_none():
    from lne_data import rules

    assert rules.Prevu(0.0, 0.0, 0.0, 0.0, (16,), 0).montant_fixe is None  # non chiffrée
    assert rules.Prevu(0.0, 0.0, 2500.0, 0.0, (), 1).montant_fixe is None  # per partner structure only
    assert rules.Prevu(5200.0, 0.0, 2500.0, 1200.0, (), 1).montant_fixe == 5200.0
    assert rules.Prevu(0.0, 0.0, 0.0, 0.0, (), 1).montant_fixe == 0.0  # lines the text gives at 0 €: its own 0


# --------------------------------------------------------------------------------------------------
# Another territory: escaping, a per-structure-only fiche, a formula-looking title, a 0 € funding line
# --------------------------------------------------------------------------------------------------

HOSTILE = "<script>alert('x')</script> & <b>gras</b>"


def other_territory() -> bytes:
    return edit_workbook(_other_territory(), _title_as_text)


def _title_as_text(book: openpyxl.Workbook) -> None:
    """Fiche 1's title typed as text that looks like a formula (a string cell, as a spreadsheet keeps « '=… »)."""
    cell = book["fiches"]["C2"]
    cell.value, cell.data_type = TITLE, "s"


TITLE = "=HYPERLINK(\"http://exemple.fr\")"


def _other_territory() -> bytes:
    return xlsx({
        "feuille_de_route": [
            ["titre", "territoire", "structure_coordinatrice", "annee_debut", "annee_fin", "version", "source"],
            ["Gers Numérique Solidaire 2025-2028", "Gers", "Gers Numérique", 2025, 2028, "v1", "exemple de test"],
        ],
        "axes": [["code", "libelle"], [1, "Inclure <tous>"]],
        "objectifs": [["code", "axe", "libelle"], ["1.1", 1, "Former les aidants"]],
        "fiches": [
            ["numero", "objectif", "intitule", "public_cible", "description", "leviers"],
            [1, "1.1", "titre remplacé", "Aidants & proches", f"{HOSTILE}\n- premier\n- second",
             "Un levier"],
            [2, "1.1", "Ouvrir deux tiers-lieux", "Habitants", None, None],
            [3, "1.1", "Cartographier les lieux", None, None, None],
        ],
        "structures": [["nom", "variantes", "type"], ["Gers Numérique", "", "collectivité"],
                       ["Conseil départemental du Gers", "", "collectivité"]],
        "porteurs": [["fiche", "structure", "role"], [1, "Gers Numérique", "porteur"],
                     [2, "Gers Numérique", "porteur"], [3, "Gers Numérique", "porteur"]],
        "partenaires": [["fiche", "structure", "precision"], [1, "Conseil départemental du Gers", "<i>financeur</i>"]],
        "moyens": [
            ["fiche", "rubrique", "nature", "structure", "quantifie", "montant", "unite", "periodicite", "source"],
            [1, "INVESTISSEMENT", "investissement", "Gers Numérique", "oui", 12000, "EUR", "ponctuel", "12 k€"],
            [1, "BUDGET", "produit", "Conseil départemental du Gers", "oui", 3000, "EUR", "ponctuel", "CD32 3 000 €"],
            [1, "BUDGET", "produit", "Gers Numérique", "oui", 0, "EUR", "ponctuel", "Fonds propres 0 €"],
            [2, "INVESTISSEMENT", "investissement", None, "oui", 2500, "EUR", "par structure", "2 500 € par lieu"],
            [3, "INVESTISSEMENT", "investissement", None, "non", None, None, None, "à définir"],
        ],
        "indicateurs": [["code", "fiche", "libelle", "type", "unite", "mode"],
                        ["F01-I1", 1, "Aidants formés <b>", "nombre", "aidants", "flux"]],
    })


@pytest.fixture
def gers(tmp_path: Path) -> Path:
    path = tmp_path / "gers.duckdb"
    con = db.connect(path)
    db.migrate(con)
    versions.load(con, read_referentiel(other_territory()))
    con.close()
    return path


def test_every_text_of_the_roadmap_is_escaped_and_no_amount_is_invented(gers, tmp_path):
    document = json.loads(exported(gers, tmp_path).read_text(encoding="utf-8"))
    actions = by_fiche(document)
    for entry in actions.values():
        assert_min_accepts(entry["action"])
    f1 = actions[1]["action"]
    assert f1["nom"] == TITLE  # MIN's name is a plain text field: as typed
    assert "<script>" not in f1["description"] and "&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;b&gt;gras" \
        in f1["description"]
    tags, text = html_text(f1["description"])
    assert tags == {"p", "strong", "ul", "li"} and HOSTILE in text and "premier" in text
    assert "Conseil départemental du Gers (<i>financeur</i>)" in text
    tags, text = html_text(f1["contexte"])
    assert "Aidants formés <b>" in text and "Inclure <tous>" in text and "Aidants & proches" in text
    # A funding line of 0 € is no co-financement: MIN refuses one.
    assert f1["coFinancements"] == [{"coFinanceur": "Conseil départemental du Gers", "montant": 3000}]
    assert (f1["anneeDeDebut"], f1["anneeDeFin"], f1["budgetGlobal"]) == ("2025", "2028", 12000)
    # Fiche 2 gives money per tiers-lieu only: no global figure, said; fiche 3 none at all.
    f2, f3 = actions[2], actions[3]
    assert "budgetGlobal" not in f2["action"] and "budgetGlobal" not in f3["action"]
    assert f"{NON_CHIFFRE} en montant global : aucun montant fixe" in html_text(f2["action"]["contexte"])[1]
    assert f"{NON_CHIFFRE} (« à définir »)" in html_text(f3["action"]["contexte"])[1]
    # Without a description of its own, the action still has one (MIN requires it), and the pre-flight says so.
    assert "ne décrit pas davantage" in html_text(f3["action"]["description"])[1]
    assert "description-absente" in {p["code"] for p in f3["a_faire"]}


def test_the_workbook_reads_back_with_texts_as_texts(gers, tmp_path):
    book = openpyxl.load_workbook(exported(gers, tmp_path, "min-xlsx"))
    assert book.sheetnames == ["Lisez-moi", "À faire", "Actions", "Fiche 1", "Fiche 2", "Fiche 3"]
    actions = book["Actions"]
    title = actions.cell(row=2, column=3)
    assert title.value == TITLE and title.data_type == "s"  # text, never a formula
    assert [actions.cell(row=r, column=8).value for r in (2, 3, 4)] == [12000, NON_CHIFFRE, NON_CHIFFRE]
    assert actions.cell(row=2, column=8).number_format == '#,##0 "€"'
    fiche = {row[0]: row[1:] for row in book["Fiche 1"].iter_rows(min_row=3, values_only=True) if row[0]}
    assert HOSTILE in fiche["Description de l'action (description)"][0]  # plain text, as typed: no HTML there
    assert "- premier\n- second" in fiche["Description de l'action (description)"][0]
    assert fiche["Co-financements (coFinancements)"][0] == "Conseil départemental du Gers : 3\u202f000\u00a0€"
    assert fiche["Année de fin (anneeDeFin)"][0] == "2028"
    todo = list(book["À faire"].iter_rows(min_row=2, values_only=True))
    assert ("bloquant", "budget-non-chiffre") in {(r[2], r[4]) for r in todo if r[0] == 3}


# --------------------------------------------------------------------------------------------------
# Besoins confirmed by the coordination, and the identifiant MIN: the command line, in process
# --------------------------------------------------------------------------------------------------


def test_besoins_are_confirmed_and_undone_with_who_and_when(con, db_path, tmp_path):
    con.close()
    base = ["--db", str(db_path)]
    shown = run_cli("min", "besoins", "F03", *base)
    assert shown.returncode == 0 and "non confirmés, proposés d'après la fiche" in shown.stdout
    assert "« reconditionnement » dans l'intitulé" in shown.stdout
    before = datetime.now().replace(microsecond=0)
    done = run_cli("min", "besoins", "F03", "--confirmer",
                   " structurer_une_filiere_de_reconditionnement,appui_juridique", "--auteur", "Marie Dupont", *base)
    assert done.returncode == 0, done.stderr
    assert "confirmés par Marie Dupont" in done.stdout
    entry = by_fiche(json.loads(exported(db_path, tmp_path).read_text(encoding="utf-8")))[3]
    assert entry["action"]["besoins"] == ["appui_juridique", "structurer_une_filiere_de_reconditionnement"]
    assert entry["besoins"]["confirmes"] and entry["besoins"]["par"] == "Marie Dupont"
    assert datetime.fromisoformat(entry["besoins"]["le"]) >= before
    assert "besoins-non-confirmes" not in {p["code"] for p in entry["a_faire"]}

    undone = run_cli("min", "besoins", "3", "--annuler", "--auteur", "Paul", *base)
    assert undone.returncode == 0 and "Confirmation n°1 annulée" in undone.stdout
    entry = by_fiche(json.loads(exported(db_path, tmp_path).read_text(encoding="utf-8")))[3]
    assert not entry["besoins"]["confirmes"] and entry["besoins"]["par"] is None
    assert entry["action"]["besoins"] == [s["code"] for s in entry["besoins"]["suggestion"]]
    assert "besoins-non-confirmes" in {p["code"] for p in entry["a_faire"]}
    con = db.connect(db_path)
    rows = con.execute("SELECT fiche, besoins, auteur, annule_par, annule_le IS NOT NULL FROM min_besoins").fetchall()
    con.close()
    assert rows == [(3, "appui_juridique,structurer_une_filiere_de_reconditionnement", "Marie Dupont", "Paul", True)]
    history = run_cli("min", "historique", *base)
    assert "Marie Dupont — fiche 3" in history.stdout
    assert "annulée le" in history.stdout and "par Paul" in history.stdout


def test_a_refused_decision_leaves_the_database_as_it_was(con, db_path):
    mon_inclusion.set_identifiant(con, 3, "42", "Marie")
    before = dump(con)
    con.close()
    base = ["--db", str(db_path)]
    unknown = run_cli("min", "besoins", "F03", "--confirmer", "acheter_des_tablettes", "--auteur", "", *base)
    assert unknown.returncode == 1
    assert "[min-besoin-inconnu]" in unknown.stderr and "[min-auteur-manquant]" in unknown.stderr
    assert "Rien n'a été enregistré" in unknown.stderr
    assert run_cli("min", "besoins", "F99", "--confirmer", "appui_juridique", "--auteur", "M", *base).returncode == 1
    assert run_cli("min", "besoins", "F03", "--annuler", "--auteur", "M", *base).returncode == 1  # none to undo
    taken = run_cli("min", "identifiant", "F04", " 42 ", "--auteur", "Marie", *base)
    assert taken.returncode == 1 and "[min-identifiant-deja-pris]" in taken.stderr and "fiche 3" in taken.stderr
    hidden = run_cli("min", "identifiant", "F04", "4\u200b2", "--auteur", "Marie", *base)
    assert hidden.returncode == 1 and "[min-identifiant-invalide]" in hidden.stderr
    assert run_cli("min", "identifiant", "F04", "--confirmer", "appui_juridique", *base).returncode == 1
    missing = run_cli("export", "--format", "min", "-o", str(db_path.parent / "absent" / "min.json"), *base)
    assert missing.returncode == 2
    con = db.connect(db_path)
    assert dump(con) == before
    con.close()


def test_the_identifiant_min_is_recorded_replaced_and_withdrawn(con, db_path, tmp_path):
    con.close()
    base = ["--db", str(db_path)]
    assert run_cli("min", "identifiant", "F03", "act-3", "--auteur", "Marie", *base).returncode == 0
    entry = by_fiche(json.loads(exported(db_path, tmp_path).read_text(encoding="utf-8")))[3]
    assert entry["identifiant_min"]["valeur"] == "act-3" and entry["identifiant_min"]["par"] == "Marie"
    codes = {p["code"] for p in entry["a_faire"]}
    assert "action-a-creer" not in codes and "annee-debut-passee" not in codes  # created in MIN already
    assert run_cli("min", "identifiant", "F03", "act-3b", "--auteur", "Paul", *base).returncode == 0
    listed = run_cli("min", "identifiant", *base)
    assert "Fiche 3 : act-3b — noté par Paul" in listed.stdout
    assert run_cli("min", "identifiant", "F03", "--retirer", "--auteur", "Paul", *base).returncode == 0
    entry = by_fiche(json.loads(exported(db_path, tmp_path).read_text(encoding="utf-8")))[3]
    assert entry["identifiant_min"] is None and "action-a-creer" in {p["code"] for p in entry["a_faire"]}
    # « act-3 » is free again once no fiche holds it.
    assert run_cli("min", "identifiant", "F04", "act-3", "--auteur", "Paul", *base).returncode == 0


def test_an_undo_acts_on_the_confirmation_the_person_saw(con):
    seen = mon_inclusion.confirm_besoins(con, 6, ["animer_la_gouvernance"], "Marie")
    mon_inclusion.confirm_besoins(con, 6, "animer_la_gouvernance,etablir_un_diagnostic_territorial", "Paul")
    before = dump(con)
    with pytest.raises(RejectedInput) as refused:
        mon_inclusion.undo_besoins(con, 6, "Marie", en_vigueur_vue=seen)
    assert [p.code for p in refused.value.problems] == ["min-confirmation-changee-depuis"]
    assert dump(con) == before
    assert mon_inclusion.undo_besoins(con, 6, "Marie") == seen + 1
    assert views.min_decisions(con).confirmation(6).besoins == ("animer_la_gouvernance",)  # Marie's again


# --------------------------------------------------------------------------------------------------
# Pre-flight and suggestions
# --------------------------------------------------------------------------------------------------


def test_the_pre_flight_says_what_min_refuses_as_of_today(con):
    source = views.min_source(con)
    codes = {a.fiche: {p.code: p for p in a.points} for a in min_.build(source, TODAY).actions}
    start = codes[1]["annee-debut-passee"]
    assert start.niveau == "bloquant" and "choisir 2026 (la fiche court depuis 2024)" in start.message
    assert "Lot Numérique, Préfecture du Lot" in codes[4]["porteurs-membres"].message
    assert "ANCT, Locollective" in codes[23]["cofinanceurs-membres"].message
    assert "budget-non-chiffre" in codes[16] and "besoins-non-confirmes" in codes[16]
    # In 2024 the fiches adopted that year start in the current year; after the roadmap's end they are over.
    early = {a.fiche: {p.code for p in a.points} for a in min_.build(source, date(2024, 11, 1)).actions}
    assert "annee-debut-passee" not in early[1] and "action-terminee" not in early[1]
    late = {a.fiche: {p.code for p in a.points} for a in min_.build(source, date(2028, 3, 15)).actions}
    assert "action-terminee" in late[1] and "annee-debut-passee" not in late[1]
    plain = min_.build(source, TODAY).preflight
    assert plain and set(plain[0]) == {"fiche", "intitule", "code", "niveau", "message"}


def test_cli_controle_lists_the_pre_flight_fiche_by_fiche(con, db_path):
    con.close()
    out = run_cli("min", "controle", "--db", str(db_path))
    assert out.returncode == 0 and "Fiche 16 — " in out.stdout and "[bloquant] MIN exige un budget global" in out.stdout
    listed = json.loads(run_cli("min", "controle", "--json", "--db", str(db_path)).stdout)
    assert {p["niveau"] for p in listed} == set(min_.NIVEAUX)


def test_suggestions_name_the_word_that_made_them():
    fiche = {"intitule": "Expérimenter une boucle de reconditionnement solidaire", "objectif_libelle": "",
             "description": "définition du cadre juridique de la cession"}
    assert min_.suggest_besoins(fiche) == [
        min_.Suggestion("appui_juridique", "« juridique » dans la description"),
        min_.Suggestion("structurer_une_filiere_de_reconditionnement", "« reconditionnement » dans l'intitulé")]
    # Accents and case aside, at the start of a word only: « MISE EN OEUVRE » is found, « vitoutil » is not.
    assert min_.suggest_besoins({"intitule": "", "objectif_libelle": "MISE EN OEUVRE DE LA FEUILLE DE ROUTE",
                                 "description": "vitoutil"}) == [
        min_.Suggestion("animer_la_gouvernance", "« mise en œuvre de la feuille de route » dans l'objectif")]
    fallback = min_.suggest_besoins({"intitule": "Organiser un évènement", "description": None})
    assert [s.code for s in fallback] == [min_.REPLI] and "aucun mot" in fallback[0].raison


def test_the_registry_offers_both_files_to_the_command_line_and_the_page(con):
    from lne_data import outils

    assert [f.nom for f in outils.par_outil()[0].formats] == ["min", "min-xlsx"]
    assert outils.FORMATS["min"].ecrire(con) == min_.export(con).json_bytes()
    book = openpyxl.load_workbook(io.BytesIO(outils.FORMATS["min-xlsx"].ecrire(con)))
    assert book.sheetnames[:3] == ["Lisez-moi", "À faire", "Actions"] and len(book.sheetnames) == 3 + 23
    [said] = outils.FORMATS["min"].remarques(con)
    assert said.startswith(min_.export(con).resume())


def test_example_entries_never_reach_the_export(con):
    before = min_.export(con).json_bytes()
    assert load_examples(con, TODAY) > 0
    assert min_.export(con).json_bytes() == before


# --------------------------------------------------------------------------------------------------
# The coordination's editing on the Exports page (ui.min_section)
# --------------------------------------------------------------------------------------------------


def _section() -> None:
    from lne_data import ui

    ui.min_section()


@pytest.fixture
def session(con, db_path, monkeypatch):
    con.close()
    yield from app_session(db_path, monkeypatch)


def test_the_coordination_confirms_and_undoes_besoins_on_the_page(session, db_path):
    at = AppTest.from_function(_section, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("23 actions" in m.value and "bloquants" in m.value for m in at.markdown)
    assert not at.checkbox  # reading only, until signed in
    sign_in(at)
    at.selectbox(key="min_fiche").set_value(3).run()
    assert any("Proposés d'après la fiche" in i.value for i in at.info)

    def box(code: str):
        return at.checkbox(key=f"min_3_0_{code}")

    proposed = [code for code in MIN_BESOINS if box(code).value]
    assert proposed == ["appui_juridique", "structurer_une_filiere_de_reconditionnement"]  # the suggestion, ticked
    for code in proposed:
        box(code).uncheck()
    next(b for b in at.button if b.label == "Confirmer ces besoins").click().run()
    said = " ".join(e.value for e in at.error)
    assert "au moins un besoin" in said and "Indiquez votre nom" in said  # recorded with who: a name is required
    at.text_input(key="auteur").set_value("Claire Martin").run()
    box("appui_juridique").check()
    box("animer_la_gouvernance").check()
    next(b for b in at.button if b.label == "Confirmer ces besoins").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Besoins confirmés par Claire Martin" in s.value for s in at.success)
    next(b for b in at.button if b.label == "Annuler la confirmation").click().run()
    assert any("annulée" in s.value for s in at.success)
    con = db.connect(db_path)
    rows = con.execute("SELECT fiche, besoins, auteur, annule_par FROM min_besoins").fetchall()
    con.close()
    assert rows == [(3, "appui_juridique,animer_la_gouvernance", "Claire Martin", "Claire Martin")]
