"""Bounded work for any file: one long text filled down a column (one shared string, one cell per row) makes a short
list of short problems, the same list whatever the number of rows, is parsed once per distinct value, and `check`
prints a few kilobytes.

Before: one message per row quoting the whole text (1 GB of `check` output at 10 000 rows, a MemoryError at
100 000), and a frame of the refused file's entries copying the text into every row.

The tests use 500 and 2 000 rows: enough for the old behaviour to fail every assertion (2 000 rows × 6 columns of
problems, each row quoted, or even each row's number listed, is far over the 20 000 characters allowed), and the same
list at both sizes shows that it does not grow with the file. The same file at 100 000 rows, with the time and the
memory its check takes, is measured by `python bench/bench_bounded.py` (never part of the tests).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lne_data import saisie, sheets, sql
from lne_data.formatting import THOUSANDS
from lne_data.problems import LISTED_ROWS, QUOTE_LIMIT, Problem, Problems, excerpt, quote
from lne_data.saisie import check as saisie_check

from .conftest import ROOT, TODAY, saisie_xlsx
from .filled_down import filled_down, long_text

ROWS = 2_000
SMALL = 500
TEXT = long_text(50_000)
# Each problem of the file, and on how many rows it is (the first row of each key is not a duplicate).
EXPECTED = {
    ("saisie-nombre-invalide", "Saisie", "D"): ROWS,
    ("saisie-texte-trop-long", "Saisie", "E"): ROWS,
    ("saisie-doublon", "Saisie", "B"): ROWS - 1,
    ("saisie-suivi-valeur-non-autorisee", "Suivi", "C"): ROWS,
    ("saisie-suivi-texte-trop-long", "Suivi", "E"): ROWS,
    ("saisie-suivi-doublon", "Suivi", "A"): ROWS - 1,
}


@pytest.fixture(scope="module")
def big_file() -> bytes:
    data = filled_down(ROWS, TEXT)
    assert len(data) < 256 * 1024  # small on disk: the text is stored once
    return data


def test_quote_cuts_long_text_with_an_ellipsis():
    assert quote("2025-T9") == "« 2025-T9 »"
    quoted = quote(TEXT)
    assert quoted.startswith("« Atelier de médiation") and quoted.endswith("… »")
    assert len(excerpt(TEXT)) == QUOTE_LIMIT
    assert excerpt("x" * QUOTE_LIMIT) == "x" * QUOTE_LIMIT


def test_long_text_filled_down_is_a_short_list_of_problems_whatever_the_rows(con, big_file):
    context = saisie.load_context(con, today=TODAY)
    validation = saisie.check_file(big_file, "rempli_vers_le_bas.xlsx", context)

    assert not validation.ok
    assert len(validation.problems) < 50
    assert sum(len(p.message) + len(p.as_text()) for p in validation.problems) < 20_000
    found = {(p.code, p.sheet, p.column): p for p in validation.problems}
    assert set(found) == set(EXPECTED)  # every kind of problem at once, each at its column
    for key, count in EXPECTED.items():
        problem = found[key]
        assert problem.count == count, key
        first = 3 if key[0].endswith("doublon") else 2
        assert problem.rows == tuple(range(first, first + LISTED_ROWS)), key
        assert problem.unlisted == count - LISTED_ROWS
    nombre = found[("saisie-nombre-invalide", "Saisie", "D")]
    assert nombre.message.startswith(f"{quote(TEXT)} n'est pas un nombre")
    rows = ", ".join(map(str, range(2, 22)))
    assert f"lignes {rows} et 1{THOUSANDS}980 autres lignes, colonne D" in nombre.as_text()
    # A refused file keeps no frame of its entries (it would copy the text into each of its rows).
    assert validation.entries.empty and validation.suivi.empty

    # Four times fewer rows: the same problems, the same messages and listed rows; only the counts differ.
    small = saisie.check_file(filled_down(SMALL, TEXT), "rempli_vers_le_bas.xlsx", context)
    assert [(p.code, p.sheet, p.column, p.message, p.rows) for p in small.problems] == [
        (p.code, p.sheet, p.column, p.message, p.rows) for p in validation.problems]
    assert [p.count for p in small.problems] == [
        p.count - (ROWS - SMALL) for p in validation.problems]


def test_problems_frame_lists_the_first_rows_and_counts_the_others(con):
    validation = saisie.check_file(filled_down(1_000, TEXT, suivi=False), "f.xlsx",
                                   saisie.load_context(con, today=TODAY))
    table = saisie.problems_frame(validation.problems)
    assert len(table) == 3
    lignes = dict(zip(table["Code"], table["Ligne"], strict=True))
    assert lignes["saisie-nombre-invalide"] == ", ".join(map(str, range(2, 22))) + " et 980 autres lignes"
    assert lignes["saisie-doublon"] == ", ".join(map(str, range(3, 23))) + " et 979 autres lignes"
    assert table["Message"].str.len().max() < 400


def test_each_distinct_value_is_checked_once(con, monkeypatch):
    calls = {"check_valeur": 0, "convert": 0}

    def counting(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)
        return wrapper

    # Patched where check_workbook looks it up: lne_data.saisie re-exports it, and patching the re-export would
    # count nothing.
    monkeypatch.setattr(saisie_check, "check_valeur", counting("check_valeur", saisie_check.check_valeur))
    monkeypatch.setattr(sheets, "convert", counting("convert", sheets.convert))
    validation = saisie.check_file(filled_down(ROWS, TEXT), "f.xlsx", saisie.load_context(con, today=TODAY))
    assert {p.code for p in validation.problems} == {key[0] for key in EXPECTED}
    assert calls["check_valeur"] == 1  # one value, in 2 000 cells
    assert calls["convert"] == 1  # Suivi's `statut`, the one column of the file that goes through `convert`


def test_a_long_qualitative_text_filled_down_is_refused_without_a_copy_per_row(con):
    validation = saisie.check_file(filled_down(2_000, TEXT, suivi=False, indicateur="F06-I4"), "f.xlsx",
                                   saisie.load_context(con, today=TODAY))
    codes = {(p.code, p.column): p.count for p in validation.problems}
    assert codes == {("saisie-texte-trop-long", "D"): 2_000, ("saisie-texte-trop-long", "E"): 2_000,
                     ("saisie-doublon", "B"): 1_999}
    assert validation.entries.empty


def test_many_different_bad_values_in_one_column_stay_a_short_list():
    problems = Problems(Problem("saisie-nombre-invalide", f"{quote(f'abc{i}')} n'est pas un nombre.", sheet="Saisie",
                                row=i + 2, column="D") for i in range(10_000))
    found = list(problems)
    assert len(found) == 21  # 20 different messages, then one that counts the rest
    assert sum(p.count for p in found) == 10_000
    assert found[-1].message.startswith("Le même problème se répète") and found[-1].count == 9_980
    assert found[-1].rows[:2] == (22, 23)
    # Grouped problems given again (read_table's, then check_workbook's) keep their counts.
    again = list(Problems(found + found))
    assert [p.count for p in again] == [2 * p.count for p in found]


def test_check_command_output_is_bounded(tmp_path: Path, big_file, loaded_db):
    """The real command, in its own process, on the 2 000-row file: a few kilobytes on its outputs, where one line
    per bad row (6 columns × 2 000 rows) would be far more than the 20 000 characters allowed."""
    database = tmp_path / "lne.duckdb"
    shutil.copyfile(loaded_db, database)
    fichier = tmp_path / "rempli_vers_le_bas.xlsx"
    fichier.write_bytes(big_file)
    result = subprocess.run([sys.executable, "-m", "lne_data", "check", str(fichier), "--db", str(database)],
                            cwd=ROOT, capture_output=True, timeout=120)
    assert result.returncode == 1, result.stderr[-2000:]
    assert len(result.stdout) + len(result.stderr) < 20_000
    err = result.stderr.decode()
    for code, _, column in EXPECTED:
        assert f"[{code}]" in err and f"colonne {column}" in err
    assert "Fichier refusé : 6 erreur(s)" in err


def test_preview_shows_an_excerpt_of_long_texts_and_the_import_stores_them_whole(con):
    comment = long_text(saisie.MAX_TEXT)  # the longest text accepted
    rows = [[6, "F06-I4", periode, comment, comment, None] for periode in ("2025-T1", "2025-T2", "2025-T3")]
    validation = saisie.check_file(saisie_xlsx(rows), "f.xlsx", saisie.load_context(con, today=TODAY))
    assert validation.ok, validation.problems
    preview = saisie.preview(con, validation)
    for column in ("apres_texte", "commentaire"):
        shown = list(preview.rows[column])
        assert [len(text) for text in shown] == [sql.PREVIEW_TEXT_LIMIT] * 3
        assert all(comment.startswith(text[:-1]) and text.endswith("…") for text in shown)
    saisie.import_file(con, validation, auteur="test")
    stored = con.execute("SELECT valeur_texte, commentaire FROM saisies WHERE indicateur = 'F06-I4'").fetchall()
    assert stored == [(comment, comment)] * 3
