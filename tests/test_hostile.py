"""Hostile and odd quarterly workbooks (tests/hostile.py) through the real path: `saisie.check_file`, which parses
in a child process (`read_workbook_isolated`), then preview and import.

A refused file is refused by the import too and leaves the database exactly as it was; an accepted file stores
what was typed, verbatim, and what leaves the application (CSV, Excel exports) cannot run as a formula.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile

import openpyxl
import pytest

from lne_data import db, exports, queries, saisie, sql, versions
from lne_data.demo import load_examples
from lne_data.problems import RejectedInput

from .conftest import TODAY, dump
from .hostile import CASES, Case

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheet programs evaluate at the start of a CSV field
TEXT_COLUMNS = ("valeur_texte", "commentaire", "saisi_par")


@pytest.fixture(scope="module")
def template_db(tmp_path_factory, referentiel):
    """A database with the roadmap and the example entries, built once and copied for each case."""
    path = tmp_path_factory.mktemp("hostile") / "modele.duckdb"
    con = db.connect(path)
    db.migrate(con)
    versions.load(con, referentiel)
    load_examples(con, today=TODAY)
    con.close()
    return path


@pytest.fixture
def hcon(template_db, tmp_path):
    path = tmp_path / "lne.duckdb"
    shutil.copyfile(template_db, path)
    con = db.connect(path)
    yield con
    con.close()


def located(problem, case: Case) -> bool:
    return all(expected is None or expected == got for expected, got in
               ((case.sheet, problem.sheet), (case.row, problem.row), (case.column, problem.column)))


def describe(validation: saisie.Validation) -> list[str]:
    return [p.as_text()[:200] for p in validation.problems]


def test_the_corpus_covers_every_category_and_outcome():
    assert len(CASES) >= 40
    assert {c.category for c in CASES} >= {"fichier", "zip", "feuille", "cellule", "sens", "taille", "injection"}
    assert {c.outcome for c in CASES} == {"reject", "warn", "accept"}
    assert all(c.code for c in CASES if c.outcome != "accept")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_workbook(case: Case, hcon):
    ctx = saisie.load_context(hcon, today=TODAY)
    before = dump(hcon)
    validation = saisie.check_file(case.data(), "saisie.xlsx", ctx)

    if case.outcome == "reject":
        assert not validation.ok, describe(validation)
        matching = [p for p in validation.errors if p.code == case.code]
        assert matching, describe(validation)
        assert any(located(p, case) for p in matching), describe(validation)
        assert all(p.message for p in validation.problems)
        with pytest.raises(RejectedInput):
            saisie.preview(hcon, validation)
        with pytest.raises(RejectedInput):
            saisie.import_file(hcon, validation, auteur="test")
        assert dump(hcon) == before
        return

    assert validation.ok, describe(validation)
    if case.outcome == "warn":
        matching = [p for p in validation.warnings if p.code == case.code]
        assert matching and any(located(p, case) for p in matching), describe(validation)
    else:
        assert validation.problems == [], describe(validation)
    result = saisie.import_file(hcon, validation, auteur="test")
    assert result.import_id is not None and result.nouvelles == len(validation.entries)
    stored = queries.frame(hcon, "SELECT * FROM saisies WHERE NOT exemple").set_index(["indicateur", "periode"])
    assert len(stored) == len(validation.entries)
    for key, columns in case.stored.items():
        assert key in stored.index, (key, list(stored.index))
        for column, value in columns.items():
            assert stored.loc[key, column] == value, (key, column)


INJECTIONS = [c for c in CASES if c.category == "injection"]


@pytest.mark.parametrize("case", INJECTIONS, ids=lambda c: c.name)
def test_injected_text_is_stored_verbatim_and_exported_inert(case: Case, hcon):
    validation = saisie.check_file(case.data(), "saisie.xlsx", saisie.load_context(hcon, today=TODAY))
    saisie.import_file(hcon, validation, auteur="test")
    table = queries.frame(hcon, sql.SAISIES)
    table = table[~table["exemple"]].reset_index(drop=True)
    typed = {(key, column): value for key, columns in case.stored.items() for column, value in columns.items()}
    for (key, column), value in typed.items():
        row = table[(table["indicateur"] == key[0]) & (table["periode"] == key[1])]
        assert row[column].tolist() == [value]  # exactly as typed, nothing escaped in the database

    # CSV: no type, so a text that a spreadsheet program would evaluate gets an apostrophe in front.
    parsed = list(csv.reader(io.StringIO(exports.csv_bytes(table).decode("utf-8-sig")), delimiter=";"))
    header, rows = parsed[0], parsed[1:]
    assert len(rows) == len(table)
    for (key, column), value in typed.items():
        index = table.index[(table["indicateur"] == key[0]) & (table["periode"] == key[1])][0]
        field = rows[index][header.index(column)]
        assert field == ("'" + value if value.startswith(TRIGGERS) else value), (column, field)
    for row in rows:
        for column in TEXT_COLUMNS:
            assert not row[header.index(column)].startswith(TRIGGERS)

    # Excel: every text is a string cell (t="s" or inlineStr), never a formula, and keeps its exact wording.
    data = exports.xlsx_bytes({"saisies": table})
    sheet = openpyxl.load_workbook(io.BytesIO(data))["saisies"]
    names = [cell.value for cell in sheet[1]]
    for (key, column), value in typed.items():
        index = table.index[(table["indicateur"] == key[0]) & (table["periode"] == key[1])][0]
        cell = sheet.cell(row=index + 2, column=names.index(column) + 1)
        assert (cell.data_type, cell.value) == ("s", value)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
