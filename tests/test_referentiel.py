"""The roadmap as data: the reference workbook reproduces the text, loads once, and refuses broken input."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import re
import subprocess
import sys
from datetime import datetime
from typing import Any

import duckdb
import openpyxl
import pytest

from lne_data import db, queries, rules, sql, versions, views
from lne_data.problems import RejectedInput
from lne_data.referentiel import SHEETS, read_referentiel

from .conftest import REFERENTIEL, ROOT, dump, edit_workbook, run_cli, second_departement

LN = "Lot Numérique"

# Read from the roadmap text, fiche by fiche (« RESSOURCES A MOBILISER » and « INDICATEURS DE SUIVI »):
# fiche: (axe, objectif, porteurs, quantified ETP excluding per-structure lines, one-off €, yearly €,
#         € whose period the text does not give, indicators)
FICHES = {
    1: (1, "1.1", {LN}, 0.0, 5000, 0, 0, 1),  # RH « Temps ponctuel » ; « Possibilité de … : 5 000€ » (sous condition)
    2: (1, "1.1", {LN}, 0.0, 4000, 0, 0, 3),  # « 4 000 € dont 2 520 € pour la formation de 12 médiateurs »
    3: (1, "1.1", {LN}, 0.10, 4800, 0, 0, 3),  # 0,10 ETP ; disques durs 4 000 € « pour le premier lot » + RAM 800 €
    4: (2, "2.1", {LN, "Préfecture du Lot"}, 0.15, 0, 0, 2000, 4),  # « 2 000 € (lieu, communication, buffet) »
    5: (2, "2.1", {LN, "RhinOcc"}, 0.10, 0, 0, 1200, 4),  # « 1200€ HT frais d'animation destinés à RhinOcc »
    6: (2, "2.2", {LN}, 1.0, 0, 0, 5000, 5),  # « 5 000 € pour l'organisation des 4 rencontres trimestrielles »
    7: (2, "2.2", {LN}, 0.15, 0, 0, 0, 5),  # investissement « En option »
    8: (2, "2.2", {LN, "Préfecture du Lot"}, 0.25, 20000, 0, 0, 2),  # « 20 k€ pour la prestation de formation »
    9: (2, "2.3", {"Secours Populaire – Fédération du Lot"}, 0.0, 0, 0, 0, 3),
    10: (2, "2.3", {"Bibliothèque départementale du Lot"}, 0.0, 0, 2000, 0, 2),  # « 2 000 € par an »
    11: (2, "2.3", {"Bibliothèque départementale du Lot"}, 0.0, 0, 0, 0, 4),  # « A définir »
    12: (2, "2.4", {"DSDEN du Lot"}, 0.0, 0, 0, 0, 2),
    13: (2, "2.4", {"Bibliothèque départementale du Lot"}, 0.25, 0, 0, 3000, 3),  # « 3000 € »
    14: (2, "2.5", {"Cybergendarmerie 46"}, 0.0, 0, 0, 0, 5),
    15: (2, "2.5", {"CCI du Lot"}, 0.0, 0, 0, 0, 2),
    16: (3, "3.1", {LN}, 0.1, 0, 0, 0, 2),
    17: (3, "3.1", {LN}, 0.1, 0, 0, 0, 3),
    18: (3, "3.1", {LN}, 0.1, 0, 0, 0, 2),
    19: (3, "3.1", {LN}, 0.25, 0, 0, 0, 4),
    20: (3, "3.1", {LN}, 0.10, 0, 0, 5000, 4),  # évènement annuel : « 5 000 € (lieu, buffet, …) »
    21: (3, "3.2", {LN}, 0.1, 0, 0, 5000, 3),  # « 5 000 € » (adhésion à la Rôsée, rencontre annuelle)
    22: (3, "3.2", {LN}, 0.35, 0, 1000, 0, 9),  # 0,1 LN + 0,25 médiateurs ; challenge 1 000 € par an
    23: (2, "2.4", {"Locollective"}, 0.1, 0, 0, 3104, 4),  # budget: charges hors valorisation = 3 104 €
}
AXES = {"Lot Numérique Responsable": [1, 2, 3],
        "Lot Numérique Solidaire": [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 23],
        "Lot Numérique Innovant": [16, 17, 18, 19, 20, 21, 22]}


@pytest.fixture(scope="module")
def summary(tmp_path_factory) -> dict:
    """The acceptance path itself: `init` then `summary --json` through the command line."""
    path = tmp_path_factory.mktemp("cli") / "x.duckdb"
    init = run_cli("init", "--db", str(path))
    assert init.returncode == 0, init.stderr
    result = run_cli("summary", "--json", "--db", str(path))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_summary_has_the_23_fiches_in_their_axes(summary):
    assert summary["fiches"] == 23
    assert {axe: v["fiches"] for axe, v in summary["axes"].items()} == AXES
    assert sum(v["objectifs"] for v in summary["axes"].values()) == 8
    assert [v["objectifs"] for v in summary["axes"].values()] == [1, 5, 2]


def test_lot_numerique_carries_the_15_fiches_of_the_introduction(summary):
    assert summary["porteurs"][LN] == [1, 2, 3, 4, 5, 6, 7, 8, 16, 17, 18, 19, 20, 21, 22]
    carried_by_others = ({f for s, fs in summary["porteurs"].items() if s != LN for f in fs}
                         - set(summary["porteurs"][LN]))
    assert carried_by_others == {9, 10, 11, 12, 13, 14, 15, 23}


def test_axe_figures_match_the_text(summary):
    responsable = summary["axes"]["Lot Numérique Responsable"]
    assert responsable["investissement_ponctuel_eur"] == 13800.0
    assert responsable["investissement_annuel_eur"] == 0.0
    assert responsable["etp"] == pytest.approx(0.1)
    for axe, fiches in AXES.items():
        figures = summary["axes"][axe]
        assert figures["investissement_ponctuel_eur"] == sum(FICHES[f][4] for f in fiches)
        assert figures["investissement_annuel_eur"] == sum(FICHES[f][5] for f in fiches)
        assert figures["investissement_periode_non_precisee_eur"] == sum(FICHES[f][6] for f in fiches)
        assert figures["etp"] == pytest.approx(sum(FICHES[f][3] for f in fiches))
    assert responsable["investissement_ponctuel_sous_condition_eur"] == 5000.0  # fiche 1 « Possibilité de »
    solidaire = summary["axes"]["Lot Numérique Solidaire"]
    assert solidaire["etp_partage_avec_d_autres_actions"] == pytest.approx(0.25)  # fiche 13 « également investi »
    assert solidaire["fiches_non_chiffrees"] == 6
    innovant = summary["axes"]["Lot Numérique Innovant"]
    assert innovant["investissement_par_annee_eur"] == {"2025": 200.0, "2026": 400.0, "2027": 600.0}
    assert innovant["investissement_par_structure_partenaire_eur"] == 2500.0
    assert innovant["etp_par_structure_partenaire"] == pytest.approx(0.1)


def test_etp_per_structure_keeps_unattributed_co_portage_apart(summary):
    etp = summary["etp_par_structure"]
    assert etp[LN] == pytest.approx(0.1 + 1 + 0.15 + 0.1 + 0.1 + 0.1 + 0.25 + 0.1 + 0.1 + 0.1)
    assert etp[rules.NON_ATTRIBUE] == pytest.approx(0.15 + 0.10 + 0.25)  # fiches 4, 5, 8: co-portage
    assert etp["Bibliothèque départementale du Lot"] == pytest.approx(0.25)
    assert etp["Locollective"] == pytest.approx(0.1)


def test_unquantified_investments_are_listed_not_zero(summary):
    # 7 « En option », 11 « A définir », 14 list without amounts; 9, 12, 15-19 empty boxes.
    assert summary["fiches_non_chiffrees"] == [7, 9, 11, 12, 14, 15, 16, 17, 18, 19]
    assert summary["indicateurs"] == 79
    assert summary["saisies"] == {}


def test_every_fiche_as_written(con):
    moyens = queries.frame(con, "SELECT * FROM moyens")
    porteurs = queries.frame(con, "SELECT * FROM porteurs")
    indicateurs = queries.frame(con, "SELECT * FROM indicateurs")
    fiches = queries.frame(con, "SELECT f.numero, f.objectif, o.axe FROM fiches f "
                                "JOIN objectifs o ON o.code = f.objectif")
    for numero, (axe, objectif, owners, etp, ponctuel, annuel, non_precise, n_ind) in FICHES.items():
        row = fiches[fiches["numero"] == numero].iloc[0]
        assert (row["axe"], row["objectif"]) == (axe, objectif), numero
        assert set(porteurs.loc[porteurs["fiche"] == numero, "structure"]) == owners, numero
        mine = moyens[(moyens["fiche"] == numero) & moyens["quantifie"]]
        staff = mine[(mine["nature"] == "etp") & (mine["periodicite"] != "par structure")]
        assert staff["montant"].sum() == pytest.approx(etp), numero
        cash = mine[mine["nature"].isin(["investissement", "charge"])]
        assert cash.loc[cash["periodicite"] == "ponctuel", "montant"].sum() == ponctuel, numero
        assert cash.loc[cash["periodicite"] == "par an", "montant"].sum() == annuel, numero
        assert cash.loc[cash["periodicite"] == "non précisée", "montant"].sum() == non_precise, numero
        assert (indicateurs["fiche"] == numero).sum() == n_ind, numero


def test_ambiguous_wording_is_modelled_not_guessed(con):
    moyens = queries.frame(con, "SELECT * FROM moyens")
    assert moyens["source"].notna().all()
    unquantified = moyens[~moyens["quantifie"]]
    assert unquantified["montant"].isna().all()  # never 0 for « temps ponctuel », « à définir », « en option »
    assert (moyens.loc[moyens["quantifie"], "montant"] > 0).all()
    sources = " | ".join(unquantified["source"])
    for wording in ("Temps ponctuel", "A définir", "En option"):
        assert wording in sources
    twenty_k = moyens[moyens["source"].str.contains("20 k€")]
    assert list(twenty_k["montant"]) == [20000.0]
    per_structure = moyens[moyens["periodicite"] == "par structure"]
    assert 2500.0 in set(per_structure["montant"])
    budget_23 = moyens[(moyens["fiche"] == 23) & (moyens["rubrique"] == "BUDGET")]
    assert budget_23.loc[budget_23["nature"] == "charge", "montant"].sum() == 3104
    assert budget_23.loc[budget_23["nature"] == "produit", "montant"].sum() == 3104
    assert set(budget_23.loc[budget_23["nature"] == "valorisation", "montant"]) == {800.0}


def test_indicator_codes_and_stated_targets(con):
    ind = queries.frame(con, "SELECT * FROM indicateurs").set_index("code")
    assert ind.index.str.fullmatch(r"F\d{2}-I\d+").all()
    # The text states no numeric target: 154 PCs (F03-I1) and 12 médiateurs (F02-I2) are a lot and a budget line,
    # said so in the row's note, never a target.
    assert ind["cible"].isna().all()
    assert ind.loc[ind["echeance"].notna()].index.tolist() == ["F22-I4", "F22-I5"]
    assert ind.loc["F22-I4", "cible_source"] == "Organisation du challenge départemental 2026"
    wb = openpyxl.load_workbook(REFERENTIEL, read_only=True)
    header, *rows = wb["indicateurs"].iter_rows(values_only=True)
    notes = {r[header.index("code")]: r[header.index("note")] for r in rows}
    assert "le texte ne fixe pas de cible : 154 est le nombre de PC du premier lot" in notes["F03-I1"]
    assert "pourcentage de perte" in notes["F03-I1"]
    assert "le texte ne fixe pas de cible : 12 vient d'une ligne de budget" in notes["F02-I2"]


def test_loading_twice_changes_nothing(con, referentiel):
    before = dump(con)
    assert versions.load(con, referentiel) is False
    assert dump(con) == before


def test_an_older_database_is_upgraded(db_path, referentiel):
    old = db.connect(db_path)
    assert db.migrate(old, up_to=1) == [1]
    old.execute("INSERT INTO axes VALUES (1, 'Axe créé par la version 1')")  # data written by the old version
    old.close()
    con = db.connect(db_path)
    assert db.applied_versions(con) == [1]
    # Numbers are reserved per piece of work (9 for one, 10 and 11 for another): they need not be contiguous.
    numbers = [version for version, _, _ in sql.MIGRATIONS]
    assert db.migrate(con) == numbers[1:] and numbers[-1] == db.latest_version()
    assert db.applied_versions(con) == numbers
    assert con.execute("SELECT libelle FROM axes").fetchall() == [("Axe créé par la version 1",)]
    assert versions.load(con, referentiel) is True
    assert views.summary(con)["fiches"] == 23
    assert db.migrate(con) == []
    con.close()


def test_another_territory_loads_without_code_change(db_path):
    con = db.connect(db_path)
    db.migrate(con)
    versions.load(con, read_referentiel(second_departement()))
    result = views.summary(con)
    assert result["fiches"] == 2
    assert result["axes"]["Inclure"]["investissement_ponctuel_eur"] == 12000
    assert result["porteurs"] == {"Conseil départemental du Gers": [2], "Gers Numérique": [1, 2]}
    assert result["fiches_non_chiffrees"] == [2]
    assert result["etp_par_structure"] == {"Gers Numérique": 0.5}
    con.close()


# --------------------------------------------------------------------------------------------------
# Every row of every table, as the workbook says, read here with openpyxl rather than by lne_data's reader
# --------------------------------------------------------------------------------------------------

DOUBLES = {("moyens", "montant"), ("indicateurs", "cible")}
STRUCTURE_REFS = ("porteurs", "partenaires", "moyens")
BOOLEANS = ("quantifie", "conditionnel", "partage")


def expected_tables(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """What each référentiel table must hold for this workbook: texts stripped (empty is NULL), choices and
    structure names written as the référentiel writes them, « oui »/« non » as booleans, amounts as floats,
    dates as dates, an indicator's rank from its code, a moyen's id from its line's rank."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheets = {}
    for name in SHEETS:
        header, *body = wb[name].iter_rows(values_only=True)
        sheets[name] = [dict(zip(header, row)) for row in body if any(v not in (None, "") for v in row)]
    def fold(text):
        return " ".join(str(text).strip().lower().split())
    names = {}
    for record in sheets["structures"]:
        names[fold(record["nom"])] = record["nom"].strip()
        for variant in (record.get("variantes") or "").split(";"):
            if variant.strip():
                names.setdefault(fold(variant), record["nom"].strip())
    choices = {(sheet, c.name): {fold(v): v for v in c.choices}
               for sheet, cs in SHEETS.items() for c in cs if c.choices}

    def value(table: str, column: str, raw: Any) -> Any:
        if isinstance(raw, str):
            raw = raw.strip() or None
        if raw is None:
            return None
        if column == "structure" and table in STRUCTURE_REFS:
            return names[fold(raw)]
        if (table, column) in choices:
            return choices[table, column][fold(raw)]
        if column in BOOLEANS:
            return {"oui": True, "non": False}[fold(raw)]
        if (table, column) in DOUBLES:
            return float(raw)
        if isinstance(raw, datetime):
            return raw.date()
        return raw

    expected = {}
    for table, columns in sql.REFERENTIEL_COLUMNS.items():
        rows = []
        for index, record in enumerate(sheets[table], start=1):
            row = {c: value(table, c, record.get(c)) for c in columns if c not in ("id", "rang")}
            row["id"] = index
            if table == "moyens":  # optional oui/non columns: absent or empty says « non »
                row.update({c: bool(row[c]) for c in ("conditionnel", "partage")})
            if table == "indicateurs":
                row["rang"] = int(re.fullmatch(r"F\d+-I(\d+)", row["code"])[1])
            rows.append(tuple(row[c] for c in columns))
        expected[table] = rows
    (fdr,) = sheets["feuille_de_route"]
    columns = ("titre", "territoire", "structure_coordinatrice", "annee_debut", "annee_fin", "version", "source")
    expected["feuille_de_route"] = [(1, *(value("feuille_de_route", c, fdr.get(c)) for c in columns),
                                     hashlib.sha256(data).hexdigest())]
    return expected


def stored_tables(con) -> dict[str, list[tuple[Any, ...]]]:
    """The référentiel tables as loaded, in the columns of `expected_tables`."""
    stored = {table: con.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
              for table, columns in sql.REFERENTIEL_COLUMNS.items()}
    stored["feuille_de_route"] = con.execute(
        "SELECT id, titre, territoire, structure_coordinatrice, annee_debut, annee_fin, version, source, sha256 "
        "FROM feuille_de_route").fetchall()
    assert isinstance(con.execute("SELECT charge_le FROM feuille_de_route").fetchone()[0], datetime)
    return stored


def typed(tables: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """Each value with its type (1 and 1.0 are equal in Python, not in a DOUBLE column), rows sorted."""
    return {t: sorted((tuple((type(v).__name__, v) for v in row) for row in rows), key=repr)
            for t, rows in tables.items()}


def _renamed_and_extended(wb: openpyxl.Workbook) -> None:
    wb["fiches"].cell(row=2, column=3, value="  Intitulé réécrit  ")
    ws = wb["indicateurs"]
    header = [c.value for c in ws[1]]
    ws.append([{"code": "F01-I9", "fiche": 1, "libelle": "Nouvel indicateur", "type": "ratio", "mode": "stock",
                "cible": 50}.get(h) for h in header])
    moyens = wb["moyens"]
    moyens.delete_rows(2)  # every later line's id moves up by one


@pytest.mark.parametrize("workbook", ["lot", "autre territoire"])
def test_every_table_holds_the_workbook_exactly(db_path, referentiel_bytes, workbook):
    data = referentiel_bytes if workbook == "lot" else second_departement()
    con = db.connect(db_path)
    db.migrate(con)
    assert versions.load(con, read_referentiel(data)) is True
    assert typed(stored_tables(con)) == typed(expected_tables(data))
    con.close()


def test_a_new_version_replaces_every_row(con, referentiel_bytes):
    changed = edit_workbook(referentiel_bytes, _renamed_and_extended)
    assert versions.load(con, read_referentiel(changed)) is True
    assert typed(stored_tables(con)) == typed(expected_tables(changed))
    assert con.execute("SELECT intitule FROM fiches WHERE numero = 1").fetchone() == ("Intitulé réécrit",)
    assert con.execute("SELECT count(*) FROM indicateurs").fetchone() == (80,)


def test_a_failure_while_writing_keeps_the_previous_referentiel(con, referentiel_bytes, monkeypatch):
    """One transaction: a statement failing after others have run leaves the référentiel as it was."""
    before = dump(con)
    failing = dict(sql.INSERT_REFERENTIEL, moyens="INSERT INTO moyens (id) SELECT NULL")  # id is the primary key
    monkeypatch.setattr(sql, "INSERT_REFERENTIEL", failing)
    with pytest.raises(duckdb.Error):
        versions.load(con, read_referentiel(edit_workbook(referentiel_bytes, _renamed_and_extended)))
    assert dump(con) == before


def _remove_sheet(name):
    return lambda wb: wb.remove(wb[name])


def _remove_column(sheet, header):
    def change(wb):
        ws = wb[sheet]
        for cell in ws[1]:
            if cell.value == header:
                ws.delete_cols(cell.column)
                return
        raise AssertionError(header)
    return change


def _duplicate_fiche(wb):
    ws = wb["fiches"]
    ws.append([c.value for c in ws[3]])


def _unknown_axe(wb):
    ws = wb["objectifs"]
    headers = [c.value for c in ws[1]]
    ws.cell(row=2, column=headers.index("axe") + 1, value=9)


def _pasted_vertical_tab(wb):
    ws = wb["fiches"]
    headers = [c.value for c in ws[1]]
    # What Excel writes for a vertical tab pasted from Word, and the reader decodes.
    ws.cell(row=3, column=headers.index("intitule") + 1, value="Coordination_x000B_du réseau")


@pytest.mark.parametrize(
    "change, code, sheet",
    [
        (_remove_sheet("moyens"), "referentiel-feuille-manquante", "moyens"),
        (_remove_column("fiches", "intitule"), "referentiel-colonne-manquante", "fiches"),
        (_duplicate_fiche, "referentiel-doublon", "fiches"),
        (_unknown_axe, "referentiel-axe-inconnu", "objectifs"),
        (_pasted_vertical_tab, "referentiel-caractere-de-controle", "fiches"),
    ],
    ids=["feuille manquante", "colonne manquante", "fiche en double", "axe inconnu", "caractère de contrôle"],
)
def test_broken_reference_workbook_is_refused_and_changes_nothing(con, referentiel_bytes, change, code, sheet):
    before = dump(con)
    broken = edit_workbook(referentiel_bytes, change)
    with pytest.raises(RejectedInput) as caught:
        versions.load(con, read_referentiel(broken))
    found = [p for p in caught.value.problems if p.code == code]
    assert found and found[0].sheet == sheet
    assert all(p.message and p.message[0].isupper() for p in caught.value.problems)
    assert dump(con) == before


def test_cli_refuses_a_broken_workbook_in_french(tmp_path, referentiel_bytes):
    broken = tmp_path / "casse.xlsx"
    broken.write_bytes(edit_workbook(referentiel_bytes, _duplicate_fiche))
    result = run_cli("init", "--db", str(tmp_path / "y.duckdb"), "--referentiel", str(broken))
    assert result.returncode == 1
    assert "referentiel-doublon" in result.stderr and "apparaît deux fois" in result.stderr


def test_cli_says_when_the_database_is_held_by_another_process(tmp_path):
    path = tmp_path / "held.duckdb"
    assert run_cli("init", "--db", str(path)).returncode == 0
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('ok', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        result = run_cli("summary", "--db", str(path))
        assert result.returncode == 2
        assert "ouverte par un autre programme" in result.stderr
    finally:
        holder.kill()
        holder.wait()


def test_db_path_comes_from_the_environment(tmp_path):
    import os

    path = tmp_path / "env.duckdb"
    result = run_cli("init", env={**os.environ, "LNE_DB": str(path)})
    assert result.returncode == 0, result.stderr
    assert path.exists()


def test_a_time_where_a_date_is_expected_is_refused_with_its_place(con, referentiel_bytes):
    from datetime import time

    def time_instead_of_date(wb):
        ws = wb["fiches"]
        column = [c.value for c in ws[1]].index("ajoutee_le") + 1
        ws.cell(row=2, column=column, value=time(8, 30))
        ws.cell(row=2, column=column).number_format = "hh:mm"

    before = dump(con)
    with pytest.raises(RejectedInput) as caught:
        versions.load(con, read_referentiel(edit_workbook(referentiel_bytes, time_instead_of_date)))
    problem = next(p for p in caught.value.problems if p.code == "referentiel-date-invalide")
    assert (problem.sheet, problem.row) == ("fiches", 2)
    assert dump(con) == before


def test_the_shipped_workbook_is_what_the_transcription_writes(tmp_path):
    """tools/transcription_lne.py is the transcription as reviewable code, data/ the workbook the dashboard loads:
    one source of truth only if they agree, cell for cell (a hand edit of either, not carried to the other, fails)."""
    out = tmp_path / "transcription.xlsx"
    done = subprocess.run([sys.executable, "tools/transcription_lne.py", "-o", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    written = openpyxl.load_workbook(out)
    shipped = openpyxl.load_workbook(ROOT / "data" / "referentiel_lne_2024-2027.xlsx")
    assert written.sheetnames == shipped.sheetnames
    for name in written.sheetnames:
        ours = [tuple(c.value for c in row) for row in written[name].iter_rows()]
        theirs = [tuple(c.value for c in row) for row in shipped[name].iter_rows()]
        assert ours == theirs, name


def test_the_transcription_stops_an_amount_its_quote_does_not_write():
    """Every amount of the transcription is checked against the text's words it quotes, not against totals of the
    Lot written in the tool: 20 000 € miscopied 2 000 € for fiche 8 is stopped, however the totals come out."""
    spec = importlib.util.spec_from_file_location("transcription_lne", ROOT / "tools" / "transcription_lne.py")
    transcription = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(transcription)
    feuilles = transcription.lignes()
    transcription.controler(feuilles)
    line = next(m for m in feuilles["moyens"] if m["fiche"] == 8 and m.get("montant") == 20000)
    assert line["source"].startswith("20 k€")
    line["montant"] = 2000
    with pytest.raises(AssertionError, match="'fiche': 8"):
        transcription.controler(feuilles)
