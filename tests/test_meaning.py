"""Entries keep their meaning: a value typed « 45 % » is never read « 45 participants », whatever version of the
roadmap comes, goes or comes back; a target keeps its unit; entries never fall outside the roadmap's years without
anyone agreeing (`lne_data.versions.meaning`)."""

from __future__ import annotations

import re

import openpyxl
import pytest

from lne_data import cibles, db, demo, queries, saisie, ui, versions
from lne_data.problems import RejectedInput
from lne_data.referentiel import read_referentiel

from .conftest import TODAY, XLSX, app_session, dump, edit_workbook, open_page, run_cli, saisie_xlsx, sign_in


def _header(ws) -> list:
    return [c.value for c in ws[1]]


def _without(code: str):
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["indicateurs"]
        column = _header(ws).index("code") + 1
        for row in range(ws.max_row, 1, -1):
            if ws.cell(row=row, column=column).value == code:
                ws.delete_rows(row)
    return change


def _setting(sheet: str, key: tuple[str, object], **values):
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[sheet]
        header = _header(ws)
        for row in range(2, ws.max_row + 1):
            if ws.cell(row=row, column=header.index(key[0]) + 1).value == key[1]:
                for column, value in values.items():
                    ws.cell(row=row, column=header.index(column) + 1, value=value)
                return
        raise AssertionError(f"no {key} in {sheet}")
    return change


def _version(con, referentiel_bytes: bytes, change, **options) -> bool:
    return versions.load(con, read_referentiel(edit_workbook(referentiel_bytes, change)), auteur="Claire",
                            **options)


def _import(con, rows: list[list]) -> int | None:
    validation = saisie.check_file(saisie_xlsx(rows), "t.xlsx", saisie.load_context(con, today=TODAY))
    assert validation.ok, [p.message for p in validation.errors]
    return saisie.import_file(con, validation, auteur="Claire").import_id


def _refused(call, *args, **kwargs) -> list:
    """Call a write that must be refused; what it refused with."""
    with pytest.raises(RejectedInput) as caught:
        call(*args, **kwargs)
    return caught.value.problems


PARTICIPANTS = _setting("indicateurs", ("code", "F06-I1"), type="nombre", unite="participants", mode="flux")


def test_an_entry_is_stored_with_the_meaning_it_was_typed_under(con):
    _import(con, [[6, "F06-I1", "2025-T3", "45 %", None, None]])
    assert queries.rows(con, "SELECT sens_type, sens_unite, sens_mode FROM saisies") == [("ratio", "%", "stock")]


def test_a_retired_code_brought_back_with_another_unit_is_refused(con, referentiel_bytes):
    """The bug: « 45 % » read as « 45 participants » once F06-I1 came back as a count."""
    _import(con, [[6, "F06-I1", "2025-T3", "45 %", None, None]])
    assert _version(con, referentiel_bytes, _without("F06-I1"))  # retired, its entry kept
    before = dump(con)
    problems = _refused(_version, con, referentiel_bytes, PARTICIPANTS)
    assert [p.code for p in problems] == ["referentiel-sens-change"]
    message = problems[0].message
    assert "F06-I1 a 1 saisie(s) (T3 2025) faite(s) en « % » (ratio, stock)" in message, message
    assert "lire en « participants » (nombre, flux)" in message and "remplace" in message
    assert dump(con) == before


def test_the_difference_says_so_before_anything_is_applied(con, referentiel_bytes, tmp_path):
    _import(con, [[6, "F06-I1", "2025-T3", "45 %", None, None]])
    path = tmp_path / "v3.xlsx"
    path.write_bytes(edit_workbook(referentiel_bytes, PARTICIPANTS))
    con.close()
    shown = run_cli("init", "--referentiel", str(path), "--db", str(tmp_path / "lne.duckdb"))
    assert shown.returncode != 0 and "Traceback" not in shown.stderr
    assert "F06-I1" in shown.stdout and "referentiel-sens-change" in shown.stderr, shown.stderr
    applied = run_cli("init", "--referentiel", str(path), "--appliquer", "--db", str(tmp_path / "lne.duckdb"))
    assert applied.returncode != 0 and "lire en « participants »" in applied.stderr, applied.stderr
    assert "Traceback" not in applied.stderr


def test_undoing_a_version_never_reads_entries_under_the_meaning_before_it(con, referentiel_bytes):
    """The other way round: F06-I1 counted participants in version 3, entries were typed so, and undoing version 3
    would bring back « % »."""
    assert _version(con, referentiel_bytes, PARTICIPANTS)  # no entry yet: a change of meaning is free
    _import(con, [[6, "F06-I1", "2025-T3", "12", None, None]])
    assert queries.rows(con, "SELECT sens_unite FROM saisies") == [("participants",)]
    before = dump(con)
    problems = _refused(versions.undo, con, 3, "Claire")
    assert [p.code for p in problems] == ["version-sens-change"]
    assert "en « participants » (nombre, flux)" in problems[0].message
    assert "en « % » (ratio, stock)" in problems[0].message
    assert dump(con) == before
    assert [p.code for p in versions.undo_risks(con, 3).meaning] == ["version-sens-change"]


def test_a_coordination_target_keeps_its_unit(con, referentiel_bytes):
    """« 80 foyers » set by the coordination is never read « taux visé : 80 % »."""
    decision = cibles.set_target(con, "F03-I1", "80", None, "décidé en comité technique", "Claire")
    before = dump(con)
    to_percent = _setting("indicateurs", ("code", "F03-I1"), type="ratio", unite="%", mode="stock")
    problems = _refused(_version, con, referentiel_bytes, to_percent)
    assert [p.code for p in problems] == ["referentiel-cible-sens-change"]
    message = problems[0].message.replace("\xa0", " ")  # French numbers keep their unit on the line
    assert f"décision n°{decision} : 80 foyers) serait lue « 80 % »" in message, message
    assert "se lirait en « % » (ratio) et non plus en « foyers » (nombre)" in message
    assert dump(con) == before
    # Withdrawn by the coordination, the target no longer stands in the way.
    cibles.set_target(con, "F03-I1", None, None, "l'indicateur change de sens", "Claire", retirer=True)
    assert _version(con, referentiel_bytes, to_percent)


def test_a_version_that_leaves_entries_outside_its_years_names_them_and_needs_a_confirmation(
        con, referentiel_bytes, tmp_path):
    _import(con, [[6, "F06-I1", "2024-T4", "45 %", None, None], [6, "F06-I1", "2025-T1", "50 %", None, None]])
    from_2025 = _setting("feuille_de_route", ("territoire", "Lot"), annee_debut=2025)
    before = dump(con)
    problems = _refused(_version, con, referentiel_bytes, from_2025)
    assert [p.code for p in problems] == ["referentiel-saisies-hors-periode"]
    assert "couvre 2025-2027 : 1 saisie(s) (valeurs et suivis) des trimestres T4 2024 (1)" in problems[0].message
    assert "--hors-periode" in problems[0].message
    assert dump(con) == before
    # The command line: « --appliquer » alone is refused, with the quarters named; the explicit option applies.
    path = tmp_path / "v3.xlsx"
    path.write_bytes(edit_workbook(referentiel_bytes, from_2025))
    con.close()
    base = ("init", "--referentiel", str(path), "--appliquer", "--db", str(tmp_path / "lne.duckdb"))
    refused = run_cli(*base)
    assert refused.returncode != 0 and "T4 2024 (1)" in refused.stderr and "Traceback" not in refused.stderr
    applied = run_cli(*base, "--hors-periode")
    assert applied.returncode == 0, applied.stderr
    assert "version n°3" in applied.stdout
    con = db.connect(tmp_path / "lne.duckdb")
    try:
        assert len(queries.rows(con, "SELECT * FROM saisies")) == 2, "the entries stay, outside the roadmap"
    finally:
        con.close()


def test_an_import_undo_never_puts_values_back_under_another_meaning(con, referentiel_bytes):
    """Examples replaced by a real import are put back by its undo: not once their indicator means something
    else."""
    demo.load_examples(con, TODAY)
    assert queries.rows(con, "SELECT count(*) FROM saisies WHERE indicateur = 'F06-I1'")[0][0] > 0
    import_id = _import(con, [[2, "F02-I2", "2025-T3", 4, None, None]])  # every example goes
    assert _version(con, referentiel_bytes, PARTICIPANTS)  # F06-I1 has no entry left
    before = dump(con)
    problems = _refused(saisie.undo_import, con, import_id, auteur="Claire")
    assert {p.code for p in problems} == {"import-sens-change"}
    assert any(re.search(r"de F06-I1 saisie\(s\) en « % » \(ratio, stock\), alors que l'indicateur se lit "
                         r"maintenant en « participants »", p.message) for p in problems), problems
    assert dump(con) == before


def test_entries_made_before_get_the_meaning_of_their_indicator(tmp_path, referentiel):
    """Migration 7 on a database of migration 6: an entry of an indicator in force takes its meaning, an entry of a
    retired one the meaning it had when retired."""
    con = db.connect(tmp_path / "old.duckdb")
    try:
        db.migrate(con, up_to=6)
        versions.load(con, referentiel)
        con.execute("INSERT INTO imports VALUES (1, 'a.xlsx', 'x', 'Claire', now(), false, 2, 0, 0, NULL, NULL)")
        con.execute("INSERT INTO saisies VALUES ('F06-I1', '2025-T3', 0.45, NULL, NULL, NULL, 1, false), "
                    "('F99-I9', '2025-T3', 3, NULL, NULL, NULL, 1, false)")
        con.execute("INSERT INTO referentiel_retraits VALUES (2, 'indicateur', 'F99-I9', 9, 'Ancien', 'nombre', "
                    "'ateliers', 'flux', DATE '2025-11-28', NULL)")
        db.migrate(con)
        assert queries.rows(con, "SELECT indicateur, sens_type, sens_unite, sens_mode FROM saisies ORDER BY 1") == [
            ("F06-I1", "ratio", "%", "stock"), ("F99-I9", "nombre", "ateliers", "flux")]
    finally:
        con.close()


# --------------------------------------------------------------------------------------------------
# The Feuille de route page says it before anything is applied
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("LNE_SANS_EXEMPLES", "1")
    yield from app_session(tmp_path / "app.duckdb", monkeypatch, first_opening=True)


def _upload(at, data: bytes) -> None:
    at.get("file_uploader")[0].set_value(("v3.xlsx", data, XLSX)).run()
    assert not at.exception, [e.value for e in at.exception]


def test_the_page_refuses_a_version_that_would_misread_entries_before_applying_it(app, referentiel_bytes):
    _import(ui.connection(), [[6, "F06-I1", "2025-T3", "45 %", None, None]])
    at = sign_in(open_page("pages/10_Feuille_de_route.py"))
    _upload(at, edit_workbook(referentiel_bytes, PARTICIPANTS))
    assert any("ferait lire autrement des valeurs déjà saisies" in e.value for e in at.error)
    # As read on screen: Markdown's escapes rendered.
    shown = re.sub(r"\\(.)", r"\1", " ".join(" ".join(map(str, t.value.to_numpy().ravel())) for t in at.table))
    assert "referentiel-sens-change" in shown and "F06-I1" in shown, shown
    assert not [b for b in at.button if b.label == "Appliquer la nouvelle version"]


def test_the_page_asks_to_confirm_entries_left_outside_the_years(app, referentiel_bytes):
    _import(ui.connection(), [[6, "F06-I1", "2024-T4", "45 %", None, None]])
    at = sign_in(open_page("pages/10_Feuille_de_route.py"))
    _upload(at, edit_workbook(referentiel_bytes, _setting("feuille_de_route", ("territoire", "Lot"),
                                                          annee_debut=2025)))
    assert any("T4 2024" in w.value for w in at.warning), [w.value for w in at.warning]
    next(c for c in at.checkbox if c.key == "confirmer_version").check().run()
    assert next(b for b in at.button if b.label == "Appliquer la nouvelle version").disabled
    next(c for c in at.checkbox if c.key == "confirmer_hors_periode").check().run()
    next(b for b in at.button if b.label == "Appliquer la nouvelle version").click().run()
    assert any("Version n°3 enregistrée" in s.value for s in at.success), [s.value for s in at.success]
    assert versions.in_force(ui.connection())["numero"] == 3
