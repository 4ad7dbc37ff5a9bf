"""Texts a file cannot hold never break it: a control character pasted from Word, a title or a name longer than
a document property.

Seen before: a vertical tab (U+000B) in the roadmap's title, a fiche's title, a comment or a person's name made
`template` and `report --format xlsx` end in a traceback (openpyxl: « cannot be used in worksheets »); the deck
refused it too (lxml), and the PDF drew it as a blank or a black box. A roadmap title of 271 characters made every
deck fail (a PPTX document property holds 255), and a closer's name of 250 characters the closure's deck, for ever
(it is built from frozen data).

The database here holds such texts as earlier versions stored them (the import now refuses them, as
tests/test_hostile.py checks): every writer shows each refused character by its mark « ⟨U+000B⟩ », never drops it,
and cuts a document property with « … », the whole text kept in the body.
"""

from __future__ import annotations

import copy
import io
import shutil
from datetime import date

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from lne_data import clotures, db, exports, formatting, queries, reports, saisie, sql, versions
from lne_data.problems import RejectedInput
from lne_data.referentiel import Referentiel, read_referentiel

from .conftest import GOOD, TODAY, dump, edit_workbook, pdf_text, pptx_content, run_cli, saisie_xlsx, squeezed

VT, FF = "\x0b", "\x0c"
MARK_VT, MARK_FF = "\u27e8U+000B\u27e9", "\u27e8U+000C\u27e9"
LOT = f"Lot{VT}Numérique"
LOT_SHOWN = f"Lot{MARK_VT}Numérique"
# 271 characters, the vertical tab among them.
TITRE = (LOT + " — feuille de route " + "du numérique inclusif et durable " * 8)[:271]
TITRE_SHOWN = formatting.writable(TITRE)
INTITULE = f"Coordination{FF}du réseau des médiateurs"
AXE = f"Inclusion{VT}numérique"
INDICATEUR = f"Taux de présence{VT}aux ateliers"
COMMENTAIRE = f"Vu{VT}en réunion"
AUTEUR = f"Claire{FF}Martin"
RESULTATS = f"Ateliers{VT}ouverts"
# A closer's name of 250 characters, a form feed in it: the closure form has no length limit.
CLOSER = ("Claire" + FF + "Martin, coordinatrice " + "de la feuille de route " * 12)[:250]


def hostile(referentiel: Referentiel) -> Referentiel:
    """The real roadmap with control characters and a 271-character title, as an earlier version stored them."""
    tables = copy.deepcopy(referentiel.tables)
    tables["feuille_de_route"][0]["titre"] = TITRE
    for record in tables["axes"]:
        if record["code"] == 2:
            record["libelle"] = AXE
    for record in tables["fiches"]:
        if record["numero"] == 6:
            record["intitule"] = INTITULE
    for record in tables["indicateurs"]:
        if record["code"] == "F06-I1":
            record["libelle"] = INDICATEUR
    return Referentiel(sha256=referentiel.sha256, tables=tables)


@pytest.fixture(scope="module")
def stored(tmp_path_factory, referentiel):
    """A database with those texts, one quarter imported, a comment, an author and a follow-up then changed as an
    earlier version let them in, and the quarter closed by a closer with a 250-character name."""
    path = tmp_path_factory.mktemp("ecriture") / "modele.duckdb"
    con = db.connect(path)
    db.migrate(con)
    versions.load(con, hostile(referentiel))
    data = saisie_xlsx(GOOD, extra={"Suivi": [["fiche", "periode", "statut", "meteo", "resultats", "saisi_par"],
                                             [6, "2025-T3", "en cours", "nuageux", "Ateliers ouverts", "Claire"]]})
    validation = saisie.check_file(data, "t.xlsx", saisie.load_context(con, today=TODAY))
    assert validation.ok, validation.problems
    saisie.import_file(con, validation, auteur="Claire")
    con.execute("UPDATE saisies SET commentaire = ?, saisi_par = ? WHERE indicateur = 'F06-I1'",
                [COMMENTAIRE, AUTEUR])
    con.execute("UPDATE suivi_fiches SET resultats = ? WHERE fiche = 6", [RESULTATS])
    clotures.close_quarter(con, "2025-T3", comite_le=date(2025, 10, 14), reference="Comité syndical n°4",
                           auteur=CLOSER)
    con.close()
    return path


@pytest.fixture
def rcon(stored, tmp_path):
    path = tmp_path / "lne.duckdb"
    shutil.copyfile(stored, path)
    con = db.connect(path)
    yield con
    con.close()


def cells(data: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]


def test_writable_marks_what_files_refuse_and_keeps_the_rest():
    assert formatting.writable(LOT) == LOT_SHOWN
    assert formatting.writable("\x00\x1f\ufffe\ud800") == "⟨U+0000⟩⟨U+001F⟩⟨U+FFFE⟩⟨U+D800⟩"
    kept = "tab\tligne\nretour\r« € »\u202f\u00a0\x7f"
    assert formatting.writable(kept) == kept
    cut = formatting.document_property(TITRE)
    assert len(cut) <= 255 and cut.endswith("…") and cut.startswith(LOT_SHOWN)


def test_template_and_every_report_format_are_written_by_the_command_line(stored, tmp_path):
    """The commands that ended in a traceback: each file is written, the marks read back in it."""
    path = tmp_path / "lne.duckdb"
    shutil.copyfile(stored, path)
    outputs = {}
    for args in (["template", "--periode", "2025-T4", "-o", str(tmp_path / "modele.xlsx")],
                 *(["report", "--periode", "2025-T3", "--format", fmt, "-o", str(tmp_path / f"rapport.{fmt}")]
                   for fmt in ("xlsx", "pdf", "pptx"))):
        done = run_cli(*args, "--db", str(path))
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        outputs[args[-1].rsplit(".", 1)[-1] if args[0] == "report" else "template"] = (tmp_path / args[-1]).read_bytes()

    template = cells(outputs["template"])
    assert f"Saisie trimestrielle — {TITRE_SHOWN}" in template
    assert formatting.writable(INDICATEUR) in template and formatting.writable(INTITULE) in template

    workbook = cells(outputs["xlsx"])
    for text in (TITRE, AXE, INTITULE, INDICATEUR, COMMENTAIRE, AUTEUR, RESULTATS):
        assert formatting.writable(text) in workbook, text

    pages, text = pdf_text(outputs["pdf"])
    assert pages > 2
    for shown in (LOT_SHOWN, formatting.writable(INTITULE), formatting.writable(COMMENTAIRE)):
        assert squeezed(shown) in squeezed(text), shown
    assert PdfReader(io.BytesIO(outputs["pdf"])).metadata.title == formatting.document_property(
        f"{TITRE} — T3 2025")

    prs, slides = pptx_content(outputs["pptx"])
    shown = "\n".join(t for texts, _ in slides for t in texts)
    assert TITRE_SHOWN in shown  # whole on the slides
    for text in (INTITULE, COMMENTAIRE, formatting.writable(AXE)):
        assert formatting.writable(text) in shown, text
    assert prs.core_properties.title == formatting.document_property(f"{TITRE} — T3 2025")
    assert len(prs.core_properties.title) <= 255 and prs.core_properties.title.endswith("…")
    assert prs.core_properties.author.startswith(LOT_SHOWN)
    charts = [chart for _, found in slides for chart in found.values()]
    assert any(formatting.writable(AXE) in list(chart.plots[0].categories) for chart in charts)


def test_a_closure_with_a_long_closers_name_builds_every_format(rcon):
    """The closure's files come from frozen data: the writers make them, whatever was frozen."""
    closure = clotures.load_closure(rcon, int(clotures.closures(rcon)["id"].iloc[0]))
    data = reports.closure_report_data(closure)
    built = {fmt: reports.build(data, fmt) for fmt in reports.FORMATS}
    closer = formatting.writable(CLOSER)

    prs, slides = pptx_content(built["pptx"])
    cover = " ".join(slides[0][0])
    assert closer in cover  # the whole name on the cover
    comments = prs.core_properties.comments
    assert len(comments) <= 255 and comments.endswith("…") and comments.startswith("Clôturé le ")
    assert f"Claire{MARK_FF}Martin" in comments

    _, text = pdf_text(built["pdf"])
    assert squeezed(closer) in squeezed(text)
    assert any(closer in c for c in cells(built["xlsx"]))


def test_the_fiche_pdf_shows_the_marks(rcon):
    buffer = io.BytesIO()
    reports.build_fiche_pdf(rcon, 6, buffer)
    _, text = pdf_text(buffer.getvalue())
    assert squeezed(formatting.writable(INTITULE)) in squeezed(text)
    assert PdfReader(io.BytesIO(buffer.getvalue())).metadata.author == formatting.document_property(TITRE)


def test_the_dashboards_downloads_keep_every_text_in_sight(rcon):
    """Excel: each refused character by its mark, a text longer than a cell holds cut with « … », a sheet name
    fit for Excel; CSV refuses nothing, so it keeps the text as stored."""
    table = queries.frame(rcon, sql.SAISIES)
    table = table[~table["exemple"]].reset_index(drop=True)
    long = "x" * 40_000
    table.loc[0, "valeur_texte"] = long
    data = exports.xlsx_bytes({f"{LOT} [export]: saisies du trimestre": table})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    (sheet,) = wb.worksheets
    assert len(sheet.title) <= 31 and sheet.title.startswith(f"Lot{MARK_VT}Numérique _export__") \
        and sheet.title.endswith("…")
    written = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert formatting.writable(COMMENTAIRE) in written and formatting.writable(AUTEUR) in written
    cut = next(c for c in written if c.startswith("xxx"))
    assert len(cut) == exports.CELL_CHARS and cut.endswith("…")

    parsed = pd.read_csv(io.BytesIO(exports.csv_bytes(table)), sep=";", encoding="utf-8-sig")
    assert COMMENTAIRE in parsed["commentaire"].tolist() and long in parsed["valeur_texte"].tolist()


def _title(wb: openpyxl.Workbook) -> None:
    ws = wb["feuille_de_route"]
    headers = [c.value for c in ws[1]]
    # Excel writes a vertical tab pasted into a cell as _x000B_; the reader gives the character back.
    ws.cell(row=2, column=headers.index("titre") + 1, value="Lot_x000B_Numérique Ensemble 2024-2027")


def test_a_referentiel_with_a_control_character_is_refused_where_it_is(stored, tmp_path, referentiel_bytes):
    """Refused, never stored nor silently cleaned: the message shows the character by its mark and says what to
    do, and the database (loaded by `init`) is left as it was."""
    broken = edit_workbook(referentiel_bytes, _title)
    with pytest.raises(RejectedInput) as caught:
        read_referentiel(broken)
    (problem,) = [p for p in caught.value.problems if p.code == "referentiel-caractere-de-controle"]
    assert (problem.sheet, problem.row, problem.column) == ("feuille_de_route", 2, "A")
    assert f"« {LOT_SHOWN} Ensemble 2024-2027 »" in problem.message and "Retapez" in problem.message

    path = tmp_path / "lne.duckdb"
    shutil.copyfile(stored, path)
    (tmp_path / "casse.xlsx").write_bytes(broken)
    con = db.connect(path)
    before = dump(con)
    con.close()
    done = run_cli("init", "--db", str(path), "--referentiel", str(tmp_path / "casse.xlsx"))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "referentiel-caractere-de-controle" in done.stderr and LOT_SHOWN in done.stderr
    con = db.connect(path)
    assert dump(con) == before
    con.close()


def test_a_quarterly_file_with_a_control_character_is_refused_and_imports_nothing(rcon):
    """The command line's `import` and the Saisie page share `saisie.check_file`: refused with the cell's place,
    nothing written (tests/test_hostile.py runs every kind through preview and import)."""
    data = saisie_xlsx([[6, "F06-I3", "2025-T4", 3, "Vu_x000B_en réunion", "Claire"]])
    before = dump(rcon)
    validation = saisie.check_file(data, "t.xlsx", saisie.load_context(rcon, today=TODAY))
    (problem,) = validation.errors
    assert (problem.code, problem.sheet, problem.row, problem.column) == (
        "saisie-caractere-de-controle", "Saisie", 2, "E")
    assert f"« Vu{MARK_VT}en réunion »" in problem.message
    with pytest.raises(RejectedInput):
        saisie.import_file(rcon, validation, auteur="test")
    assert dump(rcon) == before
