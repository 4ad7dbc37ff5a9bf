"""Territoires en Transitions (README « Exports »): the plan-import workbook read back as TeT's parser reads it, the
indicators by year checked by hand, and another territory's TeT plan loaded as a référentiel.

`read_as_tet` applies TeT's rules with openpyxl, written here from TeT's public code (apps/backend/src/plans/plans/
import-plan-aggregate: parsers/excel-parser.ts, schemas/import-action.input.ts, validators/), not from the module
under test: the 28 headers, the statut list and the list separator are literals of this file.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from lne_data import cibles, db, demo, queries, rules, saisie, versions, views
from lne_data.outils import tet
from lne_data.problems import RejectedInput
from lne_data.referentiel import read_referentiel
from lne_data.referentiel_tet import join_list

from .conftest import (
    TODAY,
    XLSX,
    app_session,
    dump,
    edit_workbook,
    open_page,
    run_cli,
    saisie_xlsx,
    second_departement,
    sign_in,
)

TET_HEADERS = [
    "Axe (x)", "Sous-axe (x.x)", "Sous-sous axe (x.x.x)", "Titre de l'action", "Titre de la sous-action", "Descriptif",
    "Instances de gouvernance", "Objectifs", "Indicateurs liés", "Structure pilote", "Moyens humains et techniques",
    "Partenaires", "Direction ou service pilote", "Personne pilote", "Élu·e référent·e", "Participation Citoyenne",
    "Financements", "Financeur 1", "Montant € HT", "Financeur 2", "Montant € HT", "Financeur 3", "Montant € HT",
    "Budget prévisionnel total € HT", "Statut", "Niveau de priorité", "Date de début", "Date de fin",
]
TET_STATUTS = ["À venir", "En cours", "Réalisé", "En pause", "Abandonné", "Bloqué", "En retard", "A discuter"]
TET_LIST = re.compile(r',(?![^()]*\))(?=(?:(?:[^"]*"){2})*[^"]*$)(?![^«]*»)')
A, B, C, D, E = 1, 2, 3, 4, 5  # columns of the axes and titles
STRUCTURES, PARTENAIRES, BUDGET, STATUT, DEBUT, FIN = 10, 12, 24, 25, 27, 28
FINANCEURS = ((18, 19), (20, 21), (22, 23))


def tet_items(text: str | None) -> list[str]:
    """A list cell as TeT's listSchema reads it: split, spaces collapsed, empties dropped, duplicates (case aside)."""
    seen, kept = set(), []
    for item in TET_LIST.split(text or ""):
        cleaned = re.sub(r"[ \t]+", " ", item).strip()
        if cleaned and cleaned.lower() not in seen:
            seen.add(cleaned.lower())
            kept.append(cleaned)
    return kept


def read_as_tet(data: bytes) -> list[dict[str, Any]]:
    """The actions TeT's import would make of `data`, each rule TeT applies asserted on the way."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    found = [ws for ws in wb.worksheets if ws["A2"].value == "Axe (x)"]  # TeT: strict equality on A2
    assert found, "Territoires en Transitions ne trouverait pas l'onglet des données"
    ws = found[0]
    assert [str(ws.cell(2, c).value or "").strip() for c in range(1, 29)] == TET_HEADERS
    assert all(isinstance(ws.cell(3, c).value, str) for c in range(1, 29)), "ligne 3 : les types"
    actions = []
    for row in ws.iter_rows(min_row=4):
        if all(cell.value is None for cell in row):
            continue
        cell = {position: row[position - 1] for position in range(1, 29)}
        value = {position: c.value for position, c in cell.items()}
        assert isinstance(value[D], str) and 1 <= len(value[D].strip()) <= 300, (row[0].row, value[D])
        axes = [value[k] for k in (A, B, C) if value[k]]
        assert all(isinstance(a, str) for a in axes)
        assert value[STATUT] is None or value[STATUT] in TET_STATUTS, value[STATUT]
        budget = value[BUDGET]
        assert budget is None or (isinstance(budget, (int, float)) and not isinstance(budget, bool)
                                  and 0 <= budget <= 999_999_999_999), budget
        for key in (DEBUT, FIN):  # a date cell, never a bare number (TeT reads one as a 1970 date)
            assert value[key] is None or (cell[key].is_date and isinstance(value[key], datetime)), value[key]
        if value[DEBUT] and value[FIN]:
            assert value[DEBUT] <= value[FIN]
        financeurs = []
        for name, amount in FINANCEURS:
            if value[name] and value[amount] is not None:
                assert isinstance(value[amount], (int, float)), value[amount]
                financeurs.append((value[name], value[amount]))
        actions.append({"row": row[0].row, "axes": axes, "titre": value[D].strip(), "budget": budget,
                        "statut": value[STATUT], "debut": value[DEBUT], "fin": value[FIN], "financeurs": financeurs,
                        "structures": tet_items(value[STRUCTURES]), "partenaires": tet_items(value[PARTENAIRES]),
                        "cells": value})
    keys = [(tuple(a["axes"]), a["titre"]) for a in actions]
    assert len(set(keys)) == len(keys), "deux actions du même titre dans un axe"
    return actions


def folded(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


# --------------------------------------------------------------------------------------------------
# The plan-import workbook
# --------------------------------------------------------------------------------------------------


def test_the_lots_plan_passes_every_rule_of_tets_import(con):
    ref = views.reference(con)
    actions = read_as_tet(tet.plan(con))
    assert len(actions) == 23
    fiches = ref.fiches.set_index("numero")
    for action in actions:
        numero = int(action["titre"].split(".")[0])
        fiche = fiches.loc[numero]
        assert action["titre"] == f"{numero}. {fiche.intitule}"
        assert action["axes"] == [f"{fiche.axe}. {fiche.axe_libelle}", f"{fiche.objectif} {fiche.objectif_libelle}"]
        porteurs = ref.porteurs.loc[ref.porteurs["fiche"] == numero, "structure"]
        assert sorted(action["structures"]) == sorted(porteurs)
        assert sorted(action["partenaires"]) == sorted(ref.partenaires.loc[ref.partenaires["fiche"] == numero,
                                                                            "structure"])
        assert action["fin"] == datetime(2027, 12, 31)
    assert sorted(int(a["titre"].split(".")[0]) for a in actions) == list(range(1, 24))
    assert next(a for a in actions if a["titre"].startswith("23."))["debut"] == datetime(2025, 11, 28)
    # Every structure is spelt one way in every row, the référentiel's.
    names = {name for a in actions for name in [*a["structures"], *a["partenaires"]]}
    assert names <= set(ref.structures["nom"])
    assert len({folded(n) for n in names}) == len(names)
    # Fiche 23's quantified funding lines are its financeurs, with their amounts.
    assert next(a for a in actions if a["titre"].startswith("23."))["financeurs"] == [("ANCT", 2000),
                                                                                        ("Locollective", 1104)]


def test_the_budget_is_the_money_planned_and_empty_when_not_quantified(con):
    summary = views.version_summary(con, None)
    actions = {int(a["titre"].split(".")[0]): a for a in read_as_tet(tet.plan(con))}
    # The cells add up to the money planned that every page and `summary` say: 71 304 € for the Lot.
    total = sum(v["prevu_eur"] for v in summary["budget_par_axe"].values())
    assert sum(a["budget"] or 0 for a in actions.values()) == total == 71_304
    for axe, planned in summary["budget_par_axe"].items():
        fiches = [n for n, a in actions.items() if a["axes"][0].startswith(f"{axe}.")]
        assert sum(actions[n]["budget"] or 0 for n in fiches) == planned["prevu_eur"]
    non_chiffrees = summary["fiches_non_chiffrees"]
    assert non_chiffrees == [7, 9, 11, 12, 14, 15, 16, 17, 18, 19]
    assert [n for n, a in actions.items() if a["budget"] is None] == sorted(non_chiffrees, key=list(actions).index)
    # Fiche 1: « outils de sensibilisation : 5 000€ », conditional, once; fiche 22: 200 + 400 + 600 € and 2 000 € a
    # year over 2024-2027, its « 2500€ environ par structure partenaire » never added.
    assert actions[1]["budget"] == 5000 and actions[22]["budget"] == 5200
    financements = actions[22]["cells"][17]
    assert "5 200 € prévus sur 2024-2027" in financements.replace("\u202f", " ").replace("\u00a0", " ")
    assert "par structure partenaire" in financements
    assert actions[16]["cells"][17].startswith("Non chiffré dans la feuille de route")


def import_suivi(con, rows: list[list[Any]]) -> None:
    data = saisie_xlsx([], extra={"Suivi": [["fiche", "periode", "statut", "meteo"], *rows]})
    validation = saisie.check_file(data, "suivi.xlsx", saisie.load_context(con, today=TODAY))
    assert validation.ok, validation.problems
    saisie.import_file(con, validation, auteur="Claire")


def test_the_statut_is_the_last_quarters_in_teTs_spelling(con):
    # Today 28/11/2026: the last complete quarter is T3 2026; T4 2026 has begun and is not said yet.
    import_suivi(con, [[6, "2026-T3", "en cours", "nuageux"], [4, "2026-T2", "réalisé", "ensoleillé"],
                       [5, "2026-T3", "en pause", None], [5, "2026-T4", "abandonné", None],
                       [7, "2025-T1", "à venir", None], [7, "2026-T1", None, "orageux"]])
    data = tet.plan(con)
    statuts = {int(a["titre"].split(".")[0]): a["statut"] for a in read_as_tet(data)}
    assert {n: s for n, s in statuts.items() if s} == {4: "Réalisé", 5: "En pause", 6: "En cours", 7: "À venir"}
    notes = openpyxl.load_workbook(io.BytesIO(data))["À lire"]
    lines = {row[0]: row[1:] for row in notes.iter_rows(values_only=True) if isinstance(row[0], int)}
    assert lines[6][:3] == ("En cours", "T3 2026", "nuageux")
    assert lines[4][:2] == ("Réalisé", "T2 2026") and "aucun statut pour T3 2026" in lines[4][3]
    assert lines[8][0] == "—" and "aucun statut déclaré" in lines[8][3]


def test_example_statuts_are_never_written_and_said(con):
    demo.load_examples(con, TODAY)
    data = tet.plan(con)
    assert all(a["statut"] is None for a in read_as_tet(data))
    notes = openpyxl.load_workbook(io.BytesIO(data))["À lire"]
    remarks = [row[4] for row in notes.iter_rows(values_only=True) if isinstance(row[0], int)]
    assert len(remarks) == 23 and all("exemple" in r for r in remarks)


def test_every_suivi_statut_has_its_exact_tet_spelling():
    assert set(tet.STATUT_TET) == set(saisie.STATUTS)
    assert set(tet.STATUT_TET.values()) <= set(TET_STATUTS)


def test_a_name_with_a_comma_stays_one_name_for_tet():
    names = ["Agence régionale de santé, délégation du Gers", "Maison France Services (Auch, Condom)", "Gers Numérique"]
    written = join_list(names)
    assert written == ("« Agence régionale de santé, délégation du Gers », Maison France Services (Auch, Condom), "
                       "Gers Numérique")
    assert tet_items(written) == ["« Agence régionale de santé, délégation du Gers »", *names[1:]]


def fresh_db(path: Path, workbook: bytes):
    connection = db.connect(path)
    db.migrate(connection)
    versions.load(connection, read_referentiel(workbook))
    return connection


def test_another_roadmaps_long_titles_and_comma_names(tmp_path):
    long_title = "Former les aidants " + "et les accompagner " * 25  # 494 characters

    def change(wb):
        wb["fiches"]["C2"] = long_title
        wb["structures"].append(["Agence régionale de santé, délégation du Gers", "", "État"])
        wb["partenaires"].append([1, "Agence régionale de santé, délégation du Gers"])
    connection = fresh_db(tmp_path / "gers.duckdb", edit_workbook(second_departement(), change))
    try:
        actions = read_as_tet(tet.plan(connection))
    finally:
        connection.close()
    first = actions[0]
    assert len(first["titre"]) == 300 and first["titre"].startswith("1. Former les aidants") \
        and first["titre"].endswith("…")
    assert "« Agence régionale de santé, délégation du Gers »" in first["partenaires"]
    assert first["axes"] == ["1. Inclure", "1.1 Former les aidants"]
    assert [a["budget"] for a in actions] == [12000, None]  # fiche 2: « à définir », non chiffrée


def test_the_command_line_writes_the_file_or_nothing(tmp_path, loaded_db):
    base = tmp_path / "lne.duckdb"
    shutil.copyfile(loaded_db, base)
    out = tmp_path / "plan.xlsx"
    done = run_cli("export", "--db", str(base), "--format", "tet", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert f"Classeur d'import du plan d'action (Territoires en Transitions) écrit dans {out}." in done.stdout
    assert "À faire : 23 fiche(s) sur 23 sans statut déclaré jusqu'à T3 2026" in done.stdout
    assert len(read_as_tet(out.read_bytes())) == 23
    yearly = run_cli("export", "--db", str(base), "--format", "tet-indicateurs", "-o", str(tmp_path / "i.xlsx"))
    assert yearly.returncode == 0 and "Indicateurs par année (Territoires en Transitions)" in yearly.stdout
    assert openpyxl.load_workbook(tmp_path / "i.xlsx").sheetnames == ["Indicateurs", "Règle"]
    missing = tmp_path / "absent" / "plan.xlsx"
    refused = run_cli("export", "--db", str(base), "--format", "tet", "-o", str(missing))
    assert refused.returncode == 2 and "n'existe pas" in refused.stderr and not missing.parent.exists()
    unknown = run_cli("export", "--db", str(base), "--format", "docx", "-o", str(out))
    assert unknown.returncode == 2 and "n'est pas un choix possible" in unknown.stderr


# --------------------------------------------------------------------------------------------------
# A TeT plan read as a référentiel
# --------------------------------------------------------------------------------------------------


def test_the_lots_plan_for_tet_loads_back_as_the_same_roadmap(con, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(tet.plan(con))
    done = run_cli("init", "--db", str(tmp_path / "retour.duckdb"), "--referentiel", str(path))
    assert done.returncode == 0, done.stderr
    assert "[referentiel-tet-suppose]" in done.stderr and "[referentiel-tet-non-repris]" in done.stderr
    connection = db.connect(tmp_path / "retour.duckdb")
    try:
        back, back_summary = views.reference(connection), views.version_summary(connection, None)
    finally:
        connection.close()
    ref, summary = views.reference(con), views.version_summary(con, None)
    assert back.feuille_de_route["titre"] == "Lot Numérique Ensemble 2024-2027"
    assert (back.feuille_de_route["annee_debut"], back.feuille_de_route["annee_fin"]) == (2024, 2027)
    assert back.feuille_de_route["structure_coordinatrice"] == "Lot Numérique"
    assert back.axes.to_dict("records") == ref.axes.to_dict("records")
    columns = ["numero", "intitule", "objectif", "objectif_libelle", "axe"]
    assert back.fiches[columns].to_dict("records") == ref.fiches[columns].to_dict("records")
    for table in ("porteurs", "partenaires"):
        theirs, ours = getattr(back, table), getattr(ref, table)
        assert set(zip(theirs["fiche"], theirs["structure"])) == set(zip(ours["fiche"], ours["structure"]))
    # The money planned reads the same: each fiche's « prévu », axe by axe, and the same fiches non chiffrées.
    assert {a: v["prevu_eur"] for a, v in back_summary["budget_par_axe"].items()} == \
        {a: v["prevu_eur"] for a, v in summary["budget_par_axe"].items()}
    assert back_summary["fiches_non_chiffrees"] == summary["fiches_non_chiffrees"]


def tet_workbook(rows: list[dict[int, Any]], *, title: str | None = "Plan numérique du Gers 2025-2028",
                 headers: list[str] = TET_HEADERS, sheet: str = "Fichier d'import") -> bytes:
    """A plan-import workbook as a territory fills TeT's template: instructions first, the data sheet found by A2."""
    wb = openpyxl.Workbook()
    wb.active.title = "Mode d'emploi"
    wb.active["A1"] = "Remplir l'onglet suivant"
    ws = wb.create_sheet(sheet)
    if title:
        ws["A1"] = title
    for position, header in enumerate(headers, start=1):
        ws.cell(2, position, header)
        ws.cell(3, position, "Champ texte")
    for number, row in enumerate(rows, start=4):
        for position, value in row.items():
            ws.cell(number, position, value)
            if isinstance(value, date):
                ws.cell(number, position).number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


GERS = [
    {A: "1. Inclure", B: "1.1 Former les aidants", D: "1. Former 30 aidants", 6: "Des sessions de formation",
     8: "30 aidants formés", 9: "Nombre d'aidants formés", STRUCTURES: "Gers Numérique",
     11: "0,5 ETP animateur", PARTENAIRES: "Conseil départemental du Gers, CAF du Gers", 14: "Marie Dupont",
     18: "Région Occitanie", 19: 6000, BUDGET: 12000, STATUT: "En cours", DEBUT: date(2025, 1, 6),
     FIN: date(2026, 12, 31)},
    {A: "1. Inclure", B: "1.1 Former les aidants", D: "1. Former 30 aidants", E: "Session pilote à Auch"},
    {A: "1. Inclure", B: "Relais de proximité", D: "Ouvrir des permanences",
     STRUCTURES: "gers numérique, Conseil Départemental du Gers", DEBUT: date(2025, 3, 1), FIN: date(2028, 6, 30)},
    {A: "Axe 2 : Innover", D: "3. Ouvrir deux tiers-lieux", 7: "Comité de pilotage",
     STRUCTURES: "Conseil départemental du Gers", 20: "Leader", BUDGET: 40000, DEBUT: date(2025, 1, 1),
     FIN: date(2027, 12, 31)},
    {A: "Axe 2 : Innover", B: "2.1 Tiers-lieux", C: "2.1.1 Équipement", D: "4. Équiper les tiers-lieux",
     STRUCTURES: "Gers Numérique", PARTENAIRES: "Conseil departemental du Gers", 16: "Information", 26: "Élevé"},
]


def gers_expected(referentiel) -> None:
    t = referentiel.tables
    assert t["feuille_de_route"][0] | {} == {
        "titre": "Plan numérique du Gers 2025-2028", "territoire": "non précisé",
        "structure_coordinatrice": "Gers Numérique", "annee_debut": 2025, "annee_fin": 2028, "version": None,
        "source": "Classeur d'import de plan Territoires en Transitions, feuille « Fichier d'import »",
        "adoptee_le": None}
    assert [(r["code"], r["libelle"]) for r in t["axes"]] == [(1, "Inclure"), (2, "Innover")]
    assert sorted((r["code"], r["axe"], r["libelle"]) for r in t["objectifs"]) == [
        ("1.1", 1, "Former les aidants"), ("1.2", 1, "Relais de proximité"), ("2.1", 2, "Tiers-lieux"),
        ("2.2", 2, "Innover")]
    assert [(r["numero"], r["objectif"], r["intitule"]) for r in t["fiches"]] == [
        (1, "1.1", "Former 30 aidants"), (3, "2.2", "Ouvrir deux tiers-lieux"), (4, "2.1", "Équiper les tiers-lieux"),
        (5, "1.2", "Ouvrir des permanences")]
    assert sorted((r["fiche"], r["structure"], r["role"]) for r in t["porteurs"]) == [
        (1, "Gers Numérique", "porteur"), (3, "Conseil départemental du Gers", "porteur"),
        (4, "Gers Numérique", "porteur"), (5, "Conseil départemental du Gers", "co-porteur"),
        (5, "Gers Numérique", "co-porteur")]
    assert sorted((r["fiche"], r["structure"]) for r in t["partenaires"]) == [
        (1, "CAF du Gers"), (1, "Conseil départemental du Gers"), (4, "Conseil départemental du Gers")]
    structures = {r["nom"]: r["variantes"] for r in t["structures"]}
    assert structures == {"Gers Numérique": None, "Conseil départemental du Gers": "Conseil departemental du Gers",
                          "CAF du Gers": None, "Région Occitanie": None}
    assert sorted((r["fiche"], r["nature"], r["structure"], r["quantifie"], r["montant"], r["periodicite"])
                  for r in t["moyens"]) == [
        (1, "autre", None, False, None, None), (1, "investissement", None, True, 12000.0, "non précisée"),
        (1, "produit", "Région Occitanie", True, 6000.0, "non précisée"),
        (3, "investissement", None, True, 40000.0, "non précisée")]
    assert t["indicateurs"] == []


GERS_WARNINGS = [
    ("referentiel-tet-numero-attribue", 6, "B"), ("referentiel-tet-sous-action", 5, "E"),
    ("referentiel-tet-numero-attribue", 6, "D"), ("referentiel-tet-financeur-incomplet", 7, "T"),
    ("referentiel-tet-non-repris", 4, "AA"), ("referentiel-tet-non-repris", 4, "AB"),
    ("referentiel-tet-non-repris", 4, "I"), ("referentiel-tet-non-repris", 4, "N"),
    ("referentiel-tet-non-repris", 4, "Y"), ("referentiel-tet-non-repris", 7, "G"),
    ("referentiel-tet-non-repris", 8, "C"), ("referentiel-tet-non-repris", 8, "P"),
    ("referentiel-tet-non-repris", 8, "Z"),
    ("referentiel-tet-suppose", None, None), ("referentiel-tet-suppose", None, None),
]


def test_another_territorys_tet_plan_loads_as_a_referentiel(tmp_path):
    data = tet_workbook(GERS)
    referentiel = read_referentiel(data)
    gers_expected(referentiel)
    said = [(p.code, p.row, p.column) for p in referentiel.avertissements]
    assert sorted(said, key=repr) == sorted(GERS_WARNINGS, key=repr)
    dates = next(p for p in referentiel.avertissements if p.code == "referentiel-tet-non-repris" and p.column == "AA")
    assert dates.rows == (4, 6, 7)  # grouped down the column
    # Through the command line, into a database: the usual load, then its figures.
    path = tmp_path / "gers.xlsx"
    path.write_bytes(data)
    done = run_cli("init", "--db", str(tmp_path / "gers.duckdb"), "--referentiel", str(path))
    assert done.returncode == 0, done.stderr
    assert "Référentiel « Plan numérique du Gers 2025-2028 » chargé" in done.stdout
    assert "Avertissement [referentiel-tet-sous-action] feuille « Fichier d'import », ligne 5, colonne E" \
        in done.stderr
    connection = db.connect(tmp_path / "gers.duckdb")
    try:
        summary = views.version_summary(connection, None)
    finally:
        connection.close()
    assert {a: v["prevu_eur"] for a, v in summary["budget_par_axe"].items()} == {"1": 12000, "2": 40000}
    assert summary["fiches_non_chiffrees"] == [4, 5]


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent : installez le paquet Debian "
                                            "libreoffice-calc")
def test_the_same_plan_saved_by_libreoffice_loads_the_same(tmp_path):
    source = tmp_path / "gers.xlsx"
    source.write_bytes(tet_workbook(GERS))
    subprocess.run([str(SOFFICE), f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"), str(source)], check=True,
                   capture_output=True, timeout=240)
    resaved = read_referentiel((tmp_path / "lo" / "gers.xlsx").read_bytes())
    gers_expected(resaved)
    assert resaved.tables == read_referentiel(source.read_bytes()).tables


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent : installez le paquet Debian "
                                            "libreoffice-calc")
def test_the_lots_plan_opened_and_saved_in_libreoffice_still_passes(con, tmp_path):
    source = tmp_path / "plan.xlsx"
    source.write_bytes(tet.plan(con))
    subprocess.run([str(SOFFICE), f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"), str(source)], check=True,
                   capture_output=True, timeout=240)
    resaved = read_as_tet((tmp_path / "lo" / "plan.xlsx").read_bytes())
    original = read_as_tet(source.read_bytes())
    keys = ("axes", "titre", "budget", "statut", "debut", "fin", "financeurs", "structures", "partenaires")
    assert [{k: a[k] for k in keys} for a in resaved] == [{k: a[k] for k in keys} for a in original]


def test_every_cell_that_cannot_be_read_is_said_and_nothing_is_written(tmp_path, loaded_db):
    base = tmp_path / "lne.duckdb"
    shutil.copyfile(loaded_db, base)
    good = {A: "1. Inclure", B: "1.1 Former", DEBUT: date(2025, 1, 1), FIN: date(2027, 12, 31)}
    rows = [
        {**good, D: "1. Former des aidants"},
        {A: "1. Inclure", B: "1.1 Former", 6: "Un descriptif sans titre"},
        {**good, D: "2. Équiper", BUDGET: "beaucoup"},
        {**good, D: "3. Ouvrir", FIN: 47727},
        {**good, D: "4. Animer", DEBUT: date(2026, 1, 1), FIN: date(2025, 1, 1)},
        {**good, D: "1. Former des aidants"},
        {**good, D: "5. Financer", 18: "Région", 19: "mille"},
        {**good, D: "6. Rembourser", BUDGET: -5},
    ]
    path = tmp_path / "mauvais.xlsx"
    path.write_bytes(tet_workbook(rows))
    with pytest.raises(RejectedInput) as refused:
        read_referentiel(path.read_bytes())
    errors = sorted((p.code, p.row, p.column) for p in refused.value.problems if p.is_error)
    assert errors == [
        ("referentiel-montant-negatif", 11, "X"), ("referentiel-nombre-invalide", 6, "X"),
        ("referentiel-nombre-invalide", 10, "S"), ("referentiel-tet-action-en-double", 9, "D"),
        ("referentiel-tet-date-nombre", 7, "AB"), ("referentiel-tet-dates-inversees", 8, "AB"),
        ("referentiel-valeur-obligatoire", 5, "D")]
    with closing(db.connect(base, read_only=True)) as connection:
        before = dump(connection)
    done = run_cli("init", "--db", str(base), "--referentiel", str(path), "--appliquer")
    assert done.returncode == 1
    for code, row, column in errors:
        assert f"[{code}] feuille « Fichier d'import », ligne {row}, colonne {column}" in done.stderr
    with closing(db.connect(base, read_only=True)) as connection:
        assert dump(connection) == before


def test_tets_own_template_header_is_refused_where_it_differs():
    headers = [*TET_HEADERS]
    headers[3] = "Titre de la fiche action"  # as TeT's public modele-import-pa.xlsx writes D2
    with pytest.raises(RejectedInput) as refused:
        read_referentiel(tet_workbook(GERS, headers=headers))
    assert [(p.code, p.row, p.column) for p in refused.value.problems] == [("referentiel-tet-en-tete", 2, "D")]
    assert "« Titre de l'action »" in refused.value.problems[0].message


def test_a_plan_without_dates_or_title_says_what_it_lacks():
    undated = [{A: "1. Inclure", D: "1. Former", STRUCTURES: "Gers Numérique"}]
    with pytest.raises(RejectedInput) as refused:
        read_referentiel(tet_workbook(undated, title=None))
    found = {(p.code, p.severity) for p in refused.value.problems}
    assert ("referentiel-tet-sans-annees", "erreur") in found and ("referentiel-tet-suppose", "avertissement") in found
    titled = read_referentiel(tet_workbook([{**undated[0], DEBUT: date(2025, 1, 1)}], title=None))
    assert titled.tables["feuille_de_route"][0]["titre"] == "Plan d'action importé de Territoires en Transitions"
    assert (titled.tables["feuille_de_route"][0]["annee_debut"], titled.tables["feuille_de_route"][0]["annee_fin"]) \
        == (2025, 2025)


# --------------------------------------------------------------------------------------------------
# The indicators, one value per year
# --------------------------------------------------------------------------------------------------


def test_valeurs_annuelles_by_mode():
    quarters = [("2025-T2", 3.0), ("2025-T1", 2.0), ("2025-T3", float("nan")), ("2026-T1", 0.0), ("2027-T1", None)]
    assert rules.valeurs_annuelles("flux", quarters) == {2025: (5.0, ["2025-T1", "2025-T2"]), 2026: (0.0, ["2026-T1"])}
    assert rules.valeurs_annuelles("stock", quarters) == {2025: (3.0, ["2025-T2"]), 2026: (0.0, ["2026-T1"])}


def indicateurs_sheet(data: bytes) -> tuple[list[str], dict[tuple[str, str], dict[str, Any]], Any]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheet = wb["Indicateurs"]
    rows = list(sheet.iter_rows(values_only=True))
    headers = list(rows[0])
    by_key = {(r[0], r[7]): dict(zip(headers, r)) for r in rows[1:]}
    return headers, by_key, wb


def test_quarters_roll_up_to_years_by_hand_on_a_flux_and_a_stock_indicator(con):
    values = [  # F02-I1 sensibilisations (flux), F19-I3 bornes WIFI en fonctionnement (stock)
        [2, "F02-I1", "2025-T1", 3], [2, "F02-I1", "2025-T2", 4], [2, "F02-I1", "2025-T4", 5],
        [2, "F02-I1", "2026-T1", 2], [2, "F02-I1", "2026-T3", 6],
        [19, "F19-I3", "2025-T1", 10], [19, "F19-I3", "2025-T2", 12], [19, "F19-I3", "2025-T3", 11],
        [19, "F19-I3", "2026-T1", 14], [19, "F19-I3", "2026-T2", 15],
    ]
    validation = saisie.check_file(saisie_xlsx([[*v, None, None] for v in values]), "t.xlsx",
                                   saisie.load_context(con, today=TODAY))
    assert validation.ok, validation.problems
    saisie.import_file(con, validation, auteur="Claire")
    cibles.set_target(con, "F02-I1", "40", "2027", "Objectif du comité", "Claire")
    headers, rows, wb = indicateurs_sheet(tet.indicateurs(con))
    assert headers == ["Identifiant", "Nom de l'indicateur", "Indicateur parent", "Unité", "Pilote",
                       "Direction ou service pilote", "Commentaire", "Source", "2025 Résultat", "2026 Résultat",
                       "2027 Objectif"]
    flux, stock = rows[("F02-I1", "Collectivité")], rows[("F19-I3", "Collectivité")]
    # By hand: flux 2025 = 3 + 4 + 5 (T3 not entered), 2026 = 2 + 6; stock 2025 = T3's 11, 2026 = T2's 15.
    assert (flux["2025 Résultat"], flux["2026 Résultat"], flux["2027 Objectif"]) == (12, 8, 40)
    assert (stock["2025 Résultat"], stock["2026 Résultat"], stock["2027 Objectif"]) == (11, 15, None)
    assert "Flux : somme des trimestres renseignés de l'année. 2025 : T1 + T2 + T4. 2026 : T1 + T3." \
        in flux["Commentaire"]
    assert "Stock : dernière valeur renseignée de l'année. 2025 : T3. 2026 : T2." in stock["Commentaire"]
    assert "coordination" in flux["Commentaire"] and flux["Unité"] == "sensibilisations"
    assert flux["Pilote"] == "Lot Numérique" and flux["Nom de l'indicateur"].startswith("Nombre de sensibilisations")
    rule = " ".join(r[0] for r in wb["Règle"].iter_rows(values_only=True))
    assert "indicateur en flux : somme des trimestres renseignés de l'année" in rule
    assert "indicateur en stock : dernière valeur renseignée de l'année" in rule
    # The same figures as the dashboard: the flux's running total, the stock's latest value.
    view = views.indicateurs(con, views.reference(con), views.Filters())
    latest = view.dernieres.set_index("code")
    assert latest.loc["F02-I1", "progression"] == flux["2025 Résultat"] + flux["2026 Résultat"]
    assert latest.loc["F19-I3", "progression"] == stock["2026 Résultat"]
    # Every indicator has its row; deliverables and qualitative ones have no number.
    assert len([k for k in rows if k[1] == "Collectivité"]) == 79
    assert rows[("F04-I1", "Collectivité")]["2025 Résultat"] is None


def test_example_values_are_a_row_of_their_own_marked_as_such(con):
    demo.load_examples(con, TODAY)
    _headers, rows, _wb = indicateurs_sheet(tet.indicateurs(con))
    examples = {code: row for (code, source), row in rows.items() if source == "Exemple (données fictives)"}
    assert examples and all(row["Commentaire"].startswith("EXEMPLE — valeurs fictives.") for row in examples.values())
    years = [h for h in _headers if h.endswith("Résultat")]
    real = [row for (code, source), row in rows.items() if source == "Collectivité"]
    assert len(real) == 79 and all(row[y] is None for row in real for y in years)
    stored = queries.frame(con, "SELECT count(DISTINCT indicateur) FROM saisies WHERE exemple AND valeur IS NOT NULL "
                                "AND indicateur IN (SELECT code FROM indicateurs WHERE type IN ('nombre', 'ratio'))")
    assert len(examples) >= int(stored.iloc[0, 0])


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("LNE_SANS_EXEMPLES", "1")
    yield from app_session(tmp_path / "app.duckdb", monkeypatch, first_opening=True)


def test_the_roadmap_page_says_what_a_tet_plan_does_not_give(app):
    at = sign_in(open_page("pages/10_Feuille_de_route.py"))
    at.get("file_uploader")[0].set_value(("gers.xlsx", tet_workbook(GERS), XLSX)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(w.value.startswith("Ce classeur est lu avec des avertissements") for w in at.warning)
    table = next(t.value for t in at.table if "Code" in t.value.columns)
    assert sorted((code, row) for code, row in zip(table["Code"].str.replace("\\", ""), table["Ligne"])
                  if code == "referentiel-tet-sous-action") == [("referentiel-tet-sous-action", "5")]
    assert len(table) == len(GERS_WARNINGS)
    said = "\n".join(m.value for m in at.main.markdown).replace("\\", "")
    assert "« Plan numérique du Gers 2025-2028 »" in said  # the difference with the version in force, as usual


def test_hidden_rows_columns_and_sheet_are_read_and_said():
    def hide(wb):
        ws = wb["Fichier d'import"]
        ws.row_dimensions[7].hidden = True
        ws.column_dimensions["L"].hidden = True
        ws.sheet_state = "hidden"
    referentiel = read_referentiel(edit_workbook(tet_workbook(GERS), hide))
    said = {(p.code, p.row, p.column) for p in referentiel.avertissements}
    assert {("referentiel-ligne-masquee", 7, None), ("referentiel-colonne-masquee", 2, "L"),
            ("referentiel-feuille-masquee", None, None)} <= said
    assert 3 in {r["numero"] for r in referentiel.tables["fiches"]}  # row 7, hidden, is read all the same
