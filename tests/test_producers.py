"""Quarterly files as real programs write them, made by these tests and imported through the real path
(`saisie.check_file`, parsed in a child process, then the import): LibreOffice (values typed through its CSV
import, which recognises « 45 % » or « 2,5 » as typing in a cell does, and a workbook re-saved), pandas
`to_excel` with both engines, xlsxwriter, and a CSV written by pandas then opened in LibreOffice.

Each checks that what the person saw is what is stored, or that it is questioned. LibreOffice comes from the
Debian package `libreoffice-calc` (`scripts/test.sh` installs it); its tests are skipped only when `soffice` is
absent.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from lne_data import queries, saisie

from .conftest import SAISIE_HEADER, TODAY

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) absent : installez le paquet Debian libreoffice-calc")
# CSV import options: ; separator, " quotes, UTF-8 (76), from line 1, column formats, French locale (1036).
FRENCH_CSV = "CSV:59,34,76,1,{columns},1036"
VALEUR_AS_TEXT = "4/2"  # column 4 (valeur) read as text, as a cell formatted « Texte » keeps what is typed

NFD = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731 - what macOS may store for « é »


@pytest.fixture
def ctx(con):
    return saisie.load_context(con, today=TODAY)


# LibreOffice's « Recalcul au chargement » set to « Toujours recalculer » (by default it never recalculates an
# .xlsx it did not write), the same as Données > Calculer > Recalcul inconditionnel before saving.
RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item></oor:items>
"""


def libreoffice(tmp_path: Path, name: str, data: bytes, infilter: str | None = None, *,
                recalculate: bool = False) -> bytes:
    """`data` (a CSV or a workbook named `name`) opened in LibreOffice and saved as .xlsx, headless."""
    source = tmp_path / name
    source.write_bytes(data)
    out = tmp_path / "libreoffice"
    # A profile of its own: two runs sharing one (another engineer's, CI's) would wait on each other's lock.
    profile = tmp_path / ("profil-recalcul" if recalculate else "profil")
    if recalculate:
        (profile / "user").mkdir(parents=True, exist_ok=True)
        (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE)
    command = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
               *([f"--infilter={infilter}"] if infilter else []), "--convert-to", "xlsx", "--outdir", str(out),
               str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=240)
    return (out / f"{source.stem}.xlsx").read_bytes()


def csv_of(rows: list[list[object]]) -> bytes:
    """A CSV as pandas writes it for a French spreadsheet (; and decimal comma)."""
    return pd.DataFrame(rows, columns=SAISIE_HEADER).to_csv(sep=";", decimal=",", index=False).encode()


def stored(con) -> dict[tuple[str, str], tuple[object, object, object]]:
    frame = queries.frame(con, "SELECT indicateur, periode, valeur, valeur_texte, commentaire FROM saisies")
    return {(r.indicateur, r.periode): tuple(None if pd.isna(v) else v for v in (r.valeur, r.valeur_texte,
                                                                                   r.commentaire))
            for r in frame.itertuples()}


def problems(validation: saisie.Validation) -> list[tuple[str, int | None, str | None]]:
    return sorted((p.code, p.row, p.column) for p in validation.problems)


@needs_soffice
def test_values_typed_in_libreoffice_are_stored_as_seen(con, ctx, tmp_path):
    """Typed in LibreOffice in French: « 45 % » becomes 0.45 in a percent-formatted cell and is stored 45;
    « 150 % » and « 2,5 » médiateurs are stored and questioned; decomposed accents are the same words. The
    file's only sheet is named after the file, « saisie »: it is found."""
    data = libreoffice(tmp_path, "saisie.csv", csv_of([
        [6, "F06-I1", "2025-T3", "45 %", None, None],
        [6, "F06-I1", "2025-T2", "150 %", None, None],
        [10, "F10-I2", "2025-T3", "2,5", None, None],
        [5, "F05-I4", "2025-T3", "1234,5", None, None],
        [4, "F04-I1", "2025-T3", NFD("réalisé"), NFD("Schéma validé"), None],
        [6, "F06-I4", "2025-T3", NFD("Deux réunions avec les élus"), None, None],
    ]), FRENCH_CSV.format(columns=""))
    validation = saisie.check_file(data, "saisie.xlsx", ctx)
    assert problems(validation) == [("saisie-nombre-non-entier", 4, "D"),
                                    ("saisie-pourcentage-superieur-100", 3, "D")]
    saisie.import_file(con, validation, auteur="test")
    assert stored(con) == {
        ("F06-I1", "2025-T3"): (45.0, None, None),
        ("F06-I1", "2025-T2"): (150.0, None, None),
        ("F10-I2", "2025-T3"): (2.5, None, None),
        ("F05-I4", "2025-T3"): (1234.5, None, None),
        ("F04-I1", "2025-T3"): (1.0, "réalisé", "Schéma validé"),
        ("F06-I4", "2025-T3"): (None, "Deux réunions avec les élus", None),
    }


@needs_soffice
def test_a_csv_kept_as_text_in_libreoffice(con, ctx, tmp_path):
    """The template's « 12 % » kept as text (a « Texte » column) is 12; « 1.234 » kept as text is refused, since
    it reads as 1 234 or 1,234."""
    rows = [[6, "F06-I1", "2025-T3", "12 %", None, None], [6, "F06-I3", "2025-T3", "1.234", None, None]]
    data = libreoffice(tmp_path, "saisie.csv", csv_of(rows), FRENCH_CSV.format(columns=VALEUR_AS_TEXT))
    refused = saisie.check_file(data, "saisie.xlsx", ctx)
    assert problems(refused) == [("saisie-nombre-ambigu", 3, "D")]
    data = libreoffice(tmp_path, "saisie.csv", csv_of(rows[:1]), FRENCH_CSV.format(columns=VALEUR_AS_TEXT))
    validation = saisie.check_file(data, "saisie.xlsx", ctx)
    assert validation.problems == []
    saisie.import_file(con, validation, auteur="test")
    assert stored(con) == {("F06-I1", "2025-T3"): (12.0, None, None)}


def _openpyxl_workbook() -> bytes:
    """What a script (openpyxl) leaves: a formula without result, a percent format, a blank qualitative cell, a
    row hidden by a filter, decomposed accents."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Saisie"
    ws.append(SAISIE_HEADER)
    ws.append([6, "F06-I1", "2025-T3", 0.45, None, None])
    ws["D2"].number_format = "0%"
    ws.append([6, "F06-I3", "2025-T3", "=1+2", None, None])
    ws.append([6, "F06-I4", "2025-T3", "\u00a0", None, None])
    ws.append([4, "F04-I1", "2025-T3", NFD("réalisé"), None, None])
    ws.append([2, "F02-I2", "2025-T3", 4, None, None])
    ws.row_dimensions[6].hidden = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@needs_soffice
def test_a_workbook_resaved_by_libreoffice(con, ctx, tmp_path):
    """Refused as the script wrote it (a formula has no result); once opened and saved in LibreOffice, as the
    message says, the computed 3 is stored, the percent cell is 45, the blank cell erases nothing, and the row
    hidden by a filter is named."""
    original = _openpyxl_workbook()
    assert problems(saisie.check_file(original, "saisie.xlsx", ctx)) == [
        ("saisie-formule-sans-valeur", 3, "D"), ("saisie-ligne-masquee", 6, None)]
    saisie.import_file(con, saisie.check_file(
        openpyxl_sentence(), "avant.xlsx", ctx), auteur="test")  # a sentence stored last quarter
    resaved = libreoffice(tmp_path, "saisie.xlsx", original)
    validation = saisie.check_file(resaved, "saisie.xlsx", ctx)
    assert problems(validation) == [("saisie-ligne-masquee", 6, None)]
    assert validation.warnings[0].message.startswith("La ligne 6 de la feuille « Saisie » est masquée")
    saisie.import_file(con, validation, auteur="test")
    assert stored(con) == {
        ("F06-I1", "2025-T3"): (45.0, None, None),
        ("F06-I3", "2025-T3"): (3.0, None, None),
        ("F06-I4", "2025-T3"): (None, "Compte rendu du T3", None),
        ("F04-I1", "2025-T3"): (1.0, "réalisé", None),
        ("F02-I2", "2025-T3"): (4.0, None, None),
    }


def openpyxl_sentence() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "Saisie"
    wb.active.append(SAISIE_HEADER)
    wb.active.append([6, "F06-I4", "2025-T3", "Compte rendu du T3", None, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("engine", ["openpyxl", "xlsxwriter"])
def test_pandas_to_excel(con, ctx, engine):
    """A table someone prepared with pandas: texts and numbers as they were in the frame, a blank comment
    empty, a missing value not reported."""
    frame = pd.DataFrame([
        [6, "F06-I1", "2025-T3", "45 %", " ", None],
        [6, "F06-I3", "2025-T3", 3, "Trois conventions", "Coordinatrice"],
        [5, "F05-I4", "2025-T3", 2500.5, None, None],
        [6, "F06-I4", "2025-T3", NFD("Réunion d'été"), None, None],
        [2, "F02-I2", "2025-T3", None, None, None],
    ], columns=SAISIE_HEADER)
    buffer = io.BytesIO()
    frame.to_excel(buffer, sheet_name="Saisie", index=False, engine=engine)
    validation = saisie.check_file(buffer.getvalue(), "pandas.xlsx", ctx)
    assert validation.problems == []
    saisie.import_file(con, validation, auteur="test")
    assert stored(con) == {
        ("F06-I1", "2025-T3"): (45.0, None, None),
        ("F06-I3", "2025-T3"): (3.0, None, "Trois conventions"),
        ("F05-I4", "2025-T3"): (2500.5, None, None),
        ("F06-I4", "2025-T3"): (None, "Réunion d'été", None),
    }


def _xlsxwriter_workbook(*, formula: bool) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Saisie")
    sheet.write_row(0, 0, SAISIE_HEADER)
    sheet.write_row(1, 0, [6, "F06-I1", "2025-T3"])
    sheet.write_number(1, 3, 0.125, book.add_format({"num_format": "0.0%"}))
    sheet.write_row(2, 0, [6, "F06-I3", "2025-T3"])
    if formula:
        sheet.write_formula(2, 3, "=SUM(1,2)")  # a cached 0, and a request to recalculate on opening
    else:
        sheet.write_number(2, 3, 3)
    sheet.write_string(2, 4, "Conventions signées")
    sheet.write_row(3, 0, [6, "F06-I4", "2025-T3", "\u202f"])
    sheet.set_column(4, 4, None, None, {"hidden": True})  # the comments were hidden before sending
    book.close()
    return buffer.getvalue()


def test_xlsxwriter_workbook(con, ctx):
    validation = saisie.check_file(_xlsxwriter_workbook(formula=False), "xlsxwriter.xlsx", ctx)
    assert problems(validation) == [("saisie-colonne-masquee", 1, "E")]
    saisie.import_file(con, validation, auteur="test")
    assert stored(con) == {("F06-I1", "2025-T3"): (12.5, None, None),
                           ("F06-I3", "2025-T3"): (3.0, None, "Conventions signées")}


def test_xlsxwriter_formula_is_refused(ctx):
    assert problems(saisie.check_file(_xlsxwriter_workbook(formula=True), "xlsxwriter.xlsx", ctx)) == [
        ("saisie-colonne-masquee", 1, "E"), ("saisie-formule-a-recalculer", 3, "D")]


@needs_soffice
def test_xlsxwriter_formula_after_libreoffice_recalculates_it(con, ctx, tmp_path):
    """The how-to of `formule-a-recalculer` works: recalculated and saved by LibreOffice, the formula's result
    is its own (3, where xlsxwriter had cached 0) and the request to recalculate is gone."""
    resaved = libreoffice(tmp_path, "xlsxwriter.xlsx", _xlsxwriter_workbook(formula=True), recalculate=True)
    validation = saisie.check_file(resaved, "xlsxwriter.xlsx", ctx)
    assert problems(validation) == [("saisie-colonne-masquee", 1, "E")]
    saisie.import_file(con, validation, auteur="test")
    assert stored(con)[("F06-I3", "2025-T3")] == (3.0, None, "Conventions signées")
