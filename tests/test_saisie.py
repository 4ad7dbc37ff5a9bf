"""The quarterly workbook: every problem at once with its place, nothing written on refusal, preview, import,
re-import, corrections, history and undo; the CLI's exit statuses."""

from __future__ import annotations

import io
import unicodedata
import zipfile

import openpyxl
import pandas as pd
import pytest

from lne_data import queries, saisie
from lne_data.demo import load_examples
from lne_data.problems import RejectedInput

from .conftest import GOOD, SAISIE_HEADER, TODAY, dump, run_cli, run_cli_process, saisie_xlsx, xlsx


@pytest.fixture
def ctx(con):
    return saisie.load_context(con, today=TODAY)


def check(data: bytes, ctx, name: str = "saisie.xlsx") -> saisie.Validation:
    return saisie.check_file(data, name, ctx)


def codes(validation: saisie.Validation) -> dict[str, list[tuple]]:
    found: dict[str, list[tuple]] = {}
    for p in validation.problems:
        found.setdefault(p.code, []).append((p.sheet, p.row, p.column))
    return found


def test_a_good_file_is_accepted_with_typed_values(ctx):
    validation = check(saisie_xlsx(GOOD), ctx)
    assert validation.errors == []
    values = validation.entries.set_index("indicateur")
    assert values.loc["F06-I1", "valeur"] == 85.0
    assert values.loc["F02-I2", "valeur"] == 4.0
    assert values.loc["F04-I1", "valeur_texte"] == "réalisé" and values.loc["F04-I1", "valeur"] == 1.0
    assert values.loc["F03-I3", "valeur_texte"] == "Retours positifs des foyers"
    assert values.loc["F10-I2", "valeur"] == 1234.0


def test_every_problem_is_reported_at_once_with_its_place(ctx):
    rows = [
        [99, "F99-I1", "2025-T3", 1, None, None],  # row 2: unknown fiche and indicator
        [6, "F02-I1", "2025-T3", 1, None, None],  # row 3: indicator of another fiche
        [6, "F06-I3", "2025-T5", 1, None, None],  # row 4: malformed period
        [6, "F06-I3", "2023-T4", 1, None, None],  # row 5: outside the roadmap
        [6, "F06-I3", "2027-T2", 1, None, None],  # row 6: in the future
        [6, "F06-I3", "2025-T3", "N/A", None, None],  # row 7: not a number
        [6, "F06-I3", "2025-T2", True, None, None],  # row 8: boolean
        [6, "F06-I3", "2025-T1", "inf", None, None],  # row 9: not finite
        [6, "F06-I3", "2024-T4", -3, None, None],  # row 10: negative count
        [2, "F02-I2", "2025-T3", 4, None, None],  # row 11
        [2, "F02-I2", "2025-T3", 5, None, None],  # row 12: duplicate of row 11
        [4, "F04-I1", "2025-T3", "fini", None, None],  # row 13: deliverable state unknown
    ]
    validation = check(saisie_xlsx(rows), ctx)
    found = codes(validation)
    assert ("Saisie", 2, "A") in found["saisie-fiche-inconnue"]
    assert ("Saisie", 2, "B") in found["saisie-indicateur-inconnu"]
    assert found["saisie-indicateur-hors-fiche"] == [("Saisie", 3, "B")]
    assert found["saisie-periode-invalide"] == [("Saisie", 4, "C")]
    assert found["saisie-periode-hors-feuille-de-route"] == [("Saisie", 5, "C")]
    assert found["saisie-periode-future"] == [("Saisie", 6, "C")]
    assert ("Saisie", 7, "D") in found["saisie-nombre-invalide"]
    assert ("Saisie", 8, "D") in found["saisie-nombre-invalide"]
    assert ("Saisie", 9, "D") in found["saisie-nombre-invalide"]
    assert found["saisie-valeur-negative"] == [("Saisie", 10, "D")]
    assert found["saisie-doublon"] == [("Saisie", 12, "B")]
    assert found["saisie-livrable-invalide"] == [("Saisie", 13, "D")]
    assert all(p.is_error for p in validation.problems)
    duplicate = next(p for p in validation.problems if p.code == "saisie-doublon")
    assert "ligne 11" in duplicate.message


def test_missing_sheet_and_missing_column(ctx):
    no_sheet = xlsx({"Feuil1": [SAISIE_HEADER, [6, "F06-I1", "2025-T3", 1, None, None]]})
    assert codes(check(no_sheet, ctx))["saisie-feuille-manquante"] == [("Saisie", None, None)]
    no_column = saisie_xlsx([[6, "F06-I1", "2025-T3"]], header=["fiche", "indicateur", "periode"])
    assert codes(check(no_column, ctx))["saisie-colonne-manquante"] == [("Saisie", 1, "valeur")]


def test_a_hidden_saisie_sheet_is_read_with_a_warning(ctx):
    wb = openpyxl.Workbook()
    wb.active.title = "Saisie (2)"  # the visible copy someone worked in
    wb.active.append(SAISIE_HEADER)
    hidden = wb.create_sheet("Saisie")
    hidden.sheet_state = "hidden"
    hidden.append(SAISIE_HEADER)
    hidden.append([6, "F06-I1", "2025-T3", 3, None, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    validation = check(buffer.getvalue(), ctx)
    assert validation.ok and list(validation.entries["indicateur"]) == ["F06-I1"]
    [warning] = validation.warnings
    assert (warning.code, warning.sheet) == ("saisie-feuille-masquee", "Saisie")
    assert "masquée" in warning.message and "Afficher" in warning.message
    assert "saisie-feuille-masquee" not in codes(check(saisie_xlsx(GOOD), ctx))


def test_formula_without_cached_value_and_excel_error(ctx):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Saisie"
    ws.append(SAISIE_HEADER)
    ws.append([6, "F06-I3", "2025-T3", "=1+1", None, None])  # openpyxl stores no cached value
    ws.append([6, "F06-I4", "2025-T3", "#DIV/0!", None, None])
    ws["D3"].data_type = "e"
    buffer = io.BytesIO()
    wb.save(buffer)
    found = codes(check(buffer.getvalue(), ctx))
    assert found["saisie-formule-sans-valeur"] == [("Saisie", 2, "D")]
    assert found["saisie-erreur-excel"] == [("Saisie", 3, "D")]


def test_not_a_workbook(ctx):
    found = codes(check(b"fiche;indicateur\n6;F06-I1\n", ctx, "saisie.xlsx"))
    assert "format-inconnu" in found
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert "format-ods" in codes(check(buffer.getvalue(), ctx))


def test_refused_file_writes_nothing(con, ctx):
    load_examples(con, today=TODAY)
    before = dump(con)
    validation = check(saisie_xlsx([*GOOD, [6, "F06-I1", "2025-T3", "beaucoup", None, None]]), ctx)
    assert not validation.ok
    with pytest.raises(RejectedInput):
        saisie.import_file(con, validation, auteur="test")
    assert dump(con) == before


def test_preview_import_reimport_correction_and_undo(con, ctx):
    first = check(saisie_xlsx(GOOD), ctx, "t3.xlsx")
    preview = saisie.preview(con, first)
    assert (preview.count("nouvelle"), preview.count("modifiée"), preview.count("inchangée")) == (5, 0, 0)
    result = saisie.import_file(con, first, auteur="Claire")
    assert (result.import_id, result.nouvelles) == (1, 5)
    after_first = dump(con)

    # The same file again: nothing changes, no import is recorded.
    again = saisie.import_file(con, check(saisie_xlsx(GOOD), ctx), auteur="Claire")
    assert again.import_id is None and again.inchangees == 5
    assert dump(con) == after_first

    corrected_rows = [list(r) for r in GOOD]
    corrected_rows[1][3] = 6  # F02-I2: 4 → 6
    corrected = check(saisie_xlsx(corrected_rows), ctx, "t3-corrige.xlsx")
    preview = saisie.preview(con, corrected)
    changed = preview.rows[preview.rows["statut"] == "modifiée"]
    assert list(changed["indicateur"]) == ["F02-I2"]
    assert (changed["avant_valeur"].iloc[0], changed["apres_valeur"].iloc[0]) == (4.0, 6.0)
    second = saisie.import_file(con, corrected, auteur="Claire")
    assert (second.nouvelles, second.modifiees, second.inchangees) == (0, 1, 4)
    values = queries.frame(con, "SELECT indicateur, valeur FROM saisies").set_index("indicateur")["valeur"]
    assert values["F02-I2"] == 6.0

    # Undoing the first import while the second overwrote one of its values is refused.
    with pytest.raises(RejectedInput) as caught:
        saisie.undo_import(con, 1, auteur="Claire")
    assert caught.value.problems[0].code == "import-remplace"
    assert saisie.undo_import(con, second.import_id, auteur="Claire") == saisie.Undone(valeurs=1, exemples=0)
    assert dump(con)["saisies"] == after_first["saisies"]
    history = queries.imports(con).set_index("id")
    assert history.loc[2, "annule_par"] == "Claire"
    assert history.loc[1, "fichier"] == "t3.xlsx" and len(history.loc[1, "sha256"]) == 64


def test_first_real_import_replaces_examples_and_undo_brings_them_back(con, ctx):
    assert load_examples(con, today=TODAY) > 0
    with_examples = dump(con)
    assert all(row[-1] for row in with_examples["saisies"])  # every example row is flagged
    result = saisie.import_file(con, check(saisie_xlsx(GOOD), ctx), auteur="Claire")
    assert result.exemples_retires > 0
    saisies = queries.frame(con, "SELECT * FROM saisies")
    assert not saisies["exemple"].any() and len(saisies) == 5
    saisie.undo_import(con, result.import_id, auteur="Claire")
    assert dump(con)["saisies"] == with_examples["saisies"]


def test_suivi_sheet_is_checked_and_imported(con, ctx):
    suivi = {"Suivi": [["fiche", "periode", "statut", "meteo", "resultats", "freins", "prochaines_etapes"],
                       [6, "2025-T3", "en cours", "éclaircies", "3 rencontres", None, "Rencontre T4"],
                       [7, "2025-T3", "fini", "tempête", None, None, None]]}
    bad = check(saisie_xlsx(GOOD, extra=suivi), ctx)
    assert set(codes(bad)) == {"saisie-suivi-valeur-non-autorisee"}
    assert [(p.row, p.column) for p in bad.problems] == [(3, "C"), (3, "D")]
    suivi["Suivi"].pop()
    good = check(saisie_xlsx(GOOD, extra=suivi), ctx)
    saisie.import_file(con, good, auteur="Claire")
    stored = queries.frame(con, "SELECT fiche, statut, meteo FROM suivi_fiches")
    assert stored.to_dict("records") == [{"fiche": 6, "statut": "en cours", "meteo": "éclaircies"}]


def test_cli_exit_statuses(tmp_path):
    """Each command's exit status and what it prints, in this process (`conftest.run_cli`), and a refusal through
    a real `python -m lne_data` process: its status reaches the shell, its message (no traceback) stderr."""
    path = str(tmp_path / "cli.duckdb")
    assert run_cli("init", "--db", path).returncode == 0
    good, bad, junk = tmp_path / "bon.xlsx", tmp_path / "mauvais.xlsx", tmp_path / "faux.xlsx"
    good.write_bytes(saisie_xlsx(GOOD))
    bad.write_bytes(saisie_xlsx([[6, "F06-I1", "2025-T3", "N/A", None, None]]))
    junk.write_bytes(b"%PDF-1.4 pas un classeur")

    checked = run_cli("check", str(good), "--db", path)
    assert checked.returncode == 0 and "5 nouvelle(s)" in checked.stdout
    refused = run_cli("check", str(bad), "--db", path)
    assert refused.returncode == 1
    assert "[saisie-nombre-invalide] feuille « Saisie », ligne 2, colonne D" in refused.stderr
    in_a_process = run_cli_process("check", str(bad), "--db", path)
    assert (in_a_process.returncode, in_a_process.stdout, in_a_process.stderr) == (1, refused.stdout, refused.stderr)
    assert run_cli("import", str(junk), "--db", path).returncode == 2
    imported = run_cli("import", str(good), "--auteur", "Claire", "--db", path)
    assert imported.returncode == 0 and "Import n°1" in imported.stdout
    assert "Rien à importer" in run_cli("import", str(good), "--db", path).stdout
    assert "Claire" in run_cli("historique", "--db", path).stdout
    undone = run_cli("annuler", "1", "--db", path)
    assert undone.returncode == 0 and "annulé" in undone.stdout
    assert run_cli("annuler", "1", "--db", path).returncode == 1


def test_template_round_trip(con, tmp_path):
    from lne_data.template import build_template

    buffer = io.BytesIO()
    count = build_template(con, "2025-T3", buffer, porteur="CCI du Lot")
    assert count == 2  # fiche 15 only: two indicators
    wb = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert wb.sheetnames[0] == "Instructions" and wb["Saisie"].protection.sheet
    rows = list(wb["Saisie"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2]) for r in rows] == [(15, "F15-I1", "2025-T3"), (15, "F15-I2", "2025-T3")]
    # Filled in as a porteur would, the template is accepted as it is.
    wb["Saisie"]["E2"] = 3  # « valeur », just right of the indicator's label
    wb["Saisie"]["E3"] = "12"
    filled = io.BytesIO()
    wb.save(filled)
    validation = saisie.check_file(filled.getvalue(), "cci.xlsx", saisie.load_context(con, today=TODAY))
    assert validation.errors == [] and len(validation.entries) == 2


def test_template_locks_keys_colours_inputs_and_offers_lists(con):
    """What a porteur sees in the template: keys and references locked and grey, the label just left of the yellow
    value cell and its unit and mode (flux or stock, in words) just right of it, the comment and the author editable,
    a drop-down on every deliverable's value and on each fiche's status and weather; the last value is the last real
    one, never an example (the examples are fictitious: on the first send-out, there is none)."""
    from lne_data.template import MODE_WORDS, build_template

    load_examples(con, today=TODAY)
    buffer = io.BytesIO()
    count = build_template(con, "2026-T3", buffer)
    indicateurs = queries.frame(con, "SELECT code, fiche, libelle, type, unite, mode, cible FROM indicateurs "
                                     "ORDER BY fiche, rang")
    assert count == len(indicateurs) == 79
    assert len(queries.frame(con, "SELECT * FROM saisies WHERE periode < '2026-T3' AND exemple")) > 0
    wb = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert wb.sheetnames == ["Instructions", "Saisie", "Listes", "Suivi", "Dépenses"]
    assert wb["Listes"].sheet_state == "hidden"
    sheet = wb["Saisie"]
    assert sheet.freeze_panes == "D2" and sheet.protection.sheet
    assert [c.value for c in sheet[1]] == ["fiche", "indicateur", "periode", "libelle_indicateur", "valeur", "unite",
                                           "mode", "commentaire", "saisi_par", "type", "cible", "derniere_valeur",
                                           "derniere_periode"]
    assert all(c.font.bold and c.fill.fgColor.rgb == "001F4E79" for c in sheet[1])
    rows = list(sheet.iter_rows(min_row=2, max_col=13))
    assert len(rows) == 79
    for row, ind in zip(rows, indicateurs.itertuples()):
        assert [c.value for c in row[:4]] == [ind.fiche, ind.code, "2026-T3", ind.libelle]
        assert (row[5].value or "") == (ind.unite if pd.notna(ind.unite) else "")
        assert (row[6].value or "") == (MODE_WORDS[ind.mode] if ind.type in ("nombre", "ratio") else "")
        assert row[9].value == ind.type
        assert row[10].value == (None if pd.isna(ind.cible) else ind.cible)
        assert [row[11].value, row[12].value] == [None, None]  # only examples before: no « dernière valeur »
        assert [c.protection.locked for c in row] == [True] * 4 + [False] + [True] * 2 + [False] * 2 + [True] * 4
        assert row[4].fill.fgColor.rgb == "00FFF2CC"
        assert {c.fill.fgColor.rgb for c in (*row[:4], *row[5:7], *row[9:])} == {"00EDEDED"}
        assert all(c.fill.fill_type is None for c in row[7:9])
        assert all(c.value is None for c in (row[4], *row[7:9]))
        assert all(c.data_type == "s" for c in (*row[1:4], row[5], row[9], row[12]) if c.value is not None)
    (livrables,) = sheet.data_validations.dataValidation
    assert (livrables.type, livrables.formula1) == ("list", "=Listes!$A$1:$A$3")
    assert {str(r) for r in livrables.sqref.ranges} == {f"E{r[0].row}" for r in rows if r[9].value == "livrable"}
    assert [wb["Listes"].cell(row=i, column=1).value for i in (1, 2, 3)] == list(saisie.LIVRABLE)
    assert any("flux" in str(r[0]) for r in wb["Instructions"].iter_rows(values_only=True))
    suivi = wb["Suivi"]
    assert suivi.freeze_panes == "C2" and suivi.protection.sheet
    fiches = list(suivi.iter_rows(min_row=2))
    assert [r[0].value for r in fiches] == list(range(1, 24)) and {r[1].value for r in fiches} == {"2026-T3"}
    for row in fiches:
        assert [c.protection.locked for c in row] == [True, True, False, False, False, False, False, False, True]
        assert [bool(c.alignment.wrap_text) for c in row] == [False] * 4 + [True] * 5
        assert {c.alignment.vertical for c in row} == {"top"}
    lists = {v.formula1: str(v.sqref) for v in suivi.data_validations.dataValidation}
    assert lists == {f"=Listes!$B$1:$B${len(saisie.STATUTS)}": "C2:C24",
                     f"=Listes!$C$1:$C${len(saisie.METEOS)}": "D2:D24"}


def test_template_prints_landscape_on_the_page_width_30_rows_a_page(con):
    from lne_data.template import build_template

    buffer = io.BytesIO()
    build_template(con, "2026-T3", buffer)
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["Saisie"]
    setup = sheet.page_setup
    assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"
    assert [b.id for b in sheet.row_breaks.brk] == [31, 61]  # 79 rows: 30, 30, 19, the heading on each page


def test_template_last_value_is_the_last_real_one(con):
    """A real import before the quarter is the template's « derniere_valeur »; examples never are."""
    from lne_data.template import build_template

    load_examples(con, today=TODAY)
    data = saisie_xlsx([[6, "F06-I1", "2025-T3", 85, None, None]])
    validation = saisie.check_file(data, "t3.xlsx", saisie.load_context(con, today=TODAY))
    saisie.import_file(con, validation, auteur="test")
    buffer = io.BytesIO()
    build_template(con, "2026-T3", buffer)
    rows = {r[1]: r for r in openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["Saisie"].iter_rows(
        min_row=2, values_only=True)}
    assert rows["F06-I1"][11:13] == (85, "2025-T3")
    assert {r[11] for code, r in rows.items() if code != "F06-I1"} == {None}


# --------------------------------------------------------------------------------------------------
# What the person saw is what is stored
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("blank", [" ", "\u00a0", "\u202f", "\t\t"])
def test_a_blank_cell_never_erases_a_stored_text(con, ctx, blank):
    """A qualitative sentence stored last time survives a file whose cell only holds spaces: such a cell looks
    empty, so it says nothing (it used to import as « 1 modifiée », the sentence replaced by nothing)."""
    first = [[3, "F03-I3", "2025-T3", "Retours positifs des foyers", None, None],
             [6, "F06-I3", "2025-T3", 3, None, None]]
    saisie.import_file(con, check(saisie_xlsx(first), ctx), auteur="Claire")
    before = dump(con)["saisies"]
    again = check(saisie_xlsx([[3, "F03-I3", "2025-T3", blank, None, None],
                               [6, "F06-I3", "2025-T3", blank, None, None],
                               [2, "F02-I2", "2025-T3", 4, None, None]]), ctx)
    assert again.errors == [], [p.message for p in again.errors]  # no « « None » n'est pas un nombre »
    assert list(again.entries["indicateur"]) == ["F02-I2"]
    preview = saisie.preview(con, again)
    assert (preview.count("nouvelle"), preview.count("modifiée")) == (1, 0)
    saisie.import_file(con, again, auteur="Claire")
    stored = queries.frame(con, "SELECT indicateur, valeur, valeur_texte FROM saisies").set_index("indicateur")
    assert stored.loc["F03-I3", "valeur_texte"] == "Retours positifs des foyers"
    assert stored.loc["F06-I3", "valeur"] == 3.0
    assert [row for row in dump(con)["saisies"] if row[0] != "F02-I2"] == before


def test_percentages_are_stored_as_shown_and_questioned_elsewhere(ctx):
    """« 45 % » in a percent-formatted cell holds 0.45: on a rate in %, 45 is stored; on a count it is refused,
    since neither 45 nor 0.45 partenariats is what was meant; « 150 % » is stored with a warning whose message
    has one percent sign."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Saisie"
    ws.append(SAISIE_HEADER)
    ws.append([6, "F06-I1", "2025-T3", 0.45, None, None])
    ws.append([6, "F06-I1", "2025-T2", 1.5, None, None])
    ws.append([6, "F06-I1", "2025-T1", "150 %", None, None])
    for row in (2, 3):
        ws.cell(row=row, column=4).number_format = "0%"
    buffer = io.BytesIO()
    wb.save(buffer)
    validation = check(buffer.getvalue(), ctx)
    assert validation.errors == []
    assert dict(zip(validation.entries["periode"], validation.entries["valeur"])) == {
        "2025-T3": 45.0, "2025-T2": 150.0, "2025-T1": 150.0}
    over = [p for p in validation.warnings if p.code == "saisie-pourcentage-superieur-100"]
    # One warning for both rows (the same problem, grouped: see problems.Problems).
    assert [(p.rows, p.message) for p in over] == [((3, 4), "150 % dépasse 100 % : vérifiez la valeur.")]
    assert all("% %" not in p.message for p in validation.problems)

    ws["B2"] = "F06-I3"
    buffer = io.BytesIO()
    wb.save(buffer)
    refused = check(buffer.getvalue(), ctx)
    [problem] = refused.errors
    assert (problem.code, problem.row, problem.column) == ("saisie-pourcentage-inattendu", 2, "D")
    assert "« 45 % »" in problem.message and "partenariats" in problem.message


def test_ambiguous_and_fractional_counts_are_questioned(ctx):
    """« 1.234 » could be 1 234 or 1,234: refused with both readings; « 2,5 » médiateurs formés is stored as
    typed, with a warning; 2,5 € is ordinary."""
    validation = check(saisie_xlsx([[10, "F10-I2", "2025-T3", "2,5", None, None],
                                    [5, "F05-I4", "2025-T3", "2,5", None, None]]), ctx)
    assert validation.errors == []
    [warning] = validation.warnings
    assert (warning.code, warning.row, warning.column) == ("saisie-nombre-non-entier", 2, "D")
    assert "2,5 médiateurs" in warning.message
    assert list(validation.entries["valeur"]) == [2.5, 2.5]

    refused = check(saisie_xlsx([[6, "F06-I3", "2025-T3", "1.234", None, None]]), ctx)
    [problem] = refused.problems
    assert (problem.code, problem.row, problem.column) == ("saisie-nombre-ambigu", 2, "D")
    assert "1234" in problem.message and "1,234" in problem.message


def test_decomposed_accents_are_accepted_in_every_choice(con, ctx):
    """A Mac may store « réalisé » as e + combining accent: the same word for livrables, statut and météo."""
    nfd = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731
    suivi = {"Suivi": [["fiche", "periode", "statut", "meteo", "resultats"],
                       [6, "2025-T3", nfd("réalisé"), nfd("éclaircies"), nfd("Trois rencontres réalisées")]]}
    validation = check(saisie_xlsx([[4, "F04-I1", "2025-T3", nfd("Réalisé"), None, None]], extra=suivi), ctx)
    assert validation.problems == []
    saisie.import_file(con, validation, auteur="Claire")
    assert queries.frame(con, "SELECT valeur, valeur_texte FROM saisies").to_dict("records") == [
        {"valeur": 1.0, "valeur_texte": "réalisé"}]
    assert queries.frame(con, "SELECT statut, meteo, resultats FROM suivi_fiches").to_dict("records") == [
        {"statut": "réalisé", "meteo": "éclaircies", "resultats": "Trois rencontres réalisées"}]


@pytest.mark.parametrize("rows", [[], [[6, "F06-I1", "2025-T3", None, None, None]]], ids=["en-tete", "vide"])
def test_a_file_reporting_only_the_suivi_is_imported(con, ctx, rows):
    suivi = {"Suivi": [["fiche", "periode", "statut", "meteo"], [6, "2025-T3", "en cours", "nuageux"]]}
    validation = check(saisie_xlsx(rows, extra=suivi), ctx)
    assert validation.problems == []
    result = saisie.import_file(con, validation, auteur="Claire")
    assert (result.import_id, result.nouvelles) == (1, 1)
    assert queries.frame(con, "SELECT fiche, statut, meteo FROM suivi_fiches").to_dict("records") == [
        {"fiche": 6, "statut": "en cours", "meteo": "nuageux"}]
    # Without a Suivi either, an empty Saisie sheet is still refused.
    assert not check(saisie_xlsx(rows), ctx).ok


def test_renamed_sheets_are_found_and_named_as_they_are(con, ctx):
    data = xlsx({"SAISIE ": [SAISIE_HEADER, [6, "F06-I3", "2025-T3", "beaucoup", None, None]],
                 "suivi": [["fiche", "periode", "statut"], [6, "2025-T3", "fini"]]})
    found = codes(check(data, ctx))
    assert found == {"saisie-nombre-invalide": [("SAISIE ", 2, "D")],
                     "saisie-suivi-valeur-non-autorisee": [("suivi", 2, "C")]}
    good = xlsx({"SAISIE ": [SAISIE_HEADER, [6, "F06-I3", "2025-T3", 3, None, None]],
                 "suivi": [["fiche", "periode", "statut"], [6, "2025-T3", "en cours"]]})
    validation = check(good, ctx)
    assert validation.problems == [] and len(validation.entries) == 1 and len(validation.suivi) == 1


def test_a_formula_from_xlsxwriter_is_refused_with_what_to_do(ctx):
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Saisie")
    sheet.write_row(0, 0, SAISIE_HEADER)
    sheet.write_row(1, 0, [6, "F06-I3", "2025-T3"])
    sheet.write_formula(1, 3, "=SUM(1,2)")  # cached 0: imported as 0 before
    book.close()
    [problem] = check(buffer.getvalue(), ctx).problems
    assert (problem.code, problem.row, problem.column) == ("saisie-formule-a-recalculer", 2, "D")
    assert "enregistrez-le, puis renvoyez-le" in problem.message and "Collage spécial" in problem.message
