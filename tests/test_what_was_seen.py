"""A write acts on what the person saw: an import on the roadmap its file was checked against, a confirmation on the
version, decision or import it names — even when another tab (a second AppTest session here) changed the state
between the screen and the click."""

from __future__ import annotations

import re

import openpyxl
import pytest

from lne_data import cibles, queries, saisie, sql, ui, versions
from lne_data.problems import RejectedInput
from lne_data.referentiel import read_referentiel

from .conftest import TODAY, XLSX, app_session, dump, edit_workbook, open_page, saisie_xlsx, sign_in

F03_I1 = [[3, "F03-I1", "2025-T3", 12, "Premiers foyers", "Coordinatrice"]]


def _retire_f03_i1(wb: openpyxl.Workbook) -> None:
    """A new version of the roadmap without indicator F03-I1."""
    ws = wb["indicateurs"]
    code = [c.value for c in ws[1]].index("code") + 1
    for row in range(ws.max_row, 1, -1):
        if ws.cell(row=row, column=code).value == "F03-I1":
            ws.delete_rows(row)


def read(boxes) -> str:
    """Message boxes as the person reads them: Markdown's escapes (« \\( », « \\: ») rendered."""
    return re.sub(r"\\(.)", r"\1", " ".join(box.value for box in boxes))


def _entries(con, code: str) -> list:
    return [r for r in queries.rows(con, "SELECT indicateur, periode, valeur FROM saisies") if r[0] == code]


# --------------------------------------------------------------------------------------------------
# An import is written against the roadmap its file was checked against
# --------------------------------------------------------------------------------------------------


def test_an_import_checked_before_a_new_version_is_refused_and_writes_nothing(con, referentiel_bytes):
    validation = saisie.check_file(saisie_xlsx(F03_I1), "t.xlsx", saisie.load_context(con, today=TODAY))
    assert validation.ok
    versions.load(con, read_referentiel(edit_workbook(referentiel_bytes, _retire_f03_i1)), auteur="Onglet B")
    before = dump(con)
    with pytest.raises(RejectedInput) as caught:
        saisie.import_file(con, validation, auteur="Onglet A")
    [problem] = caught.value.problems
    assert problem.code == "import-version-changee"
    assert "version n°3 est en vigueur" in problem.message and "Vérifiez de nouveau" in problem.message
    assert dump(con) == before
    # Checked again, against the version in force: F03-I1 is no longer an indicator of the roadmap.
    again = saisie.check_file(saisie_xlsx(F03_I1), "t.xlsx", saisie.load_context(con, today=TODAY))
    assert not again.ok


def test_an_import_checked_before_a_version_applied_then_undone_goes_through(con, referentiel_bytes):
    """The check is tied to the roadmap's content in force, not to a counter: back to the same version, the file's
    check holds again."""
    validation = saisie.check_file(saisie_xlsx(F03_I1), "t.xlsx", saisie.load_context(con, today=TODAY))
    versions.load(con, read_referentiel(edit_workbook(referentiel_bytes, _retire_f03_i1)), auteur="Onglet B")
    versions.undo(con, 3, "Onglet B")
    result = saisie.import_file(con, validation, auteur="Onglet A")
    assert result.nouvelles == 1
    assert _entries(con, "F03-I1") == [("F03-I1", "2025-T3", 12.0)]


# --------------------------------------------------------------------------------------------------
# Two tabs of the dashboard
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("LNE_SANS_EXEMPLES", "1")  # every entry here is one a test made
    yield from app_session(tmp_path / "app.duckdb", monkeypatch, first_opening=True)


def _apply_version_in(tab, referentiel_bytes: bytes) -> None:
    tab.get("file_uploader")[0].set_value(("v3.xlsx", edit_workbook(referentiel_bytes, _retire_f03_i1), XLSX)).run()
    next(c for c in tab.checkbox if c.key == "confirmer_version").check().run()
    next(b for b in tab.button if b.label == "Appliquer la nouvelle version").click().run()
    assert any("Version n°3 enregistrée" in s.value for s in tab.success), [s.value for s in tab.success]


def test_the_import_page_refuses_a_file_checked_before_another_tab_applied_a_version(app, referentiel_bytes):
    a = sign_in(open_page("pages/6_Saisie.py"))
    a.get("file_uploader")[0].set_value(("t.xlsx", saisie_xlsx(F03_I1), XLSX)).run()
    assert not a.error, [e.value for e in a.error]
    b = sign_in(open_page("pages/10_Feuille_de_route.py"))
    _apply_version_in(b, referentiel_bytes)
    before = dump(ui.connection())

    next(btn for btn in a.button if btn.label == "Importer").click().run()
    assert not a.exception, [e.value for e in a.exception]
    shown = read(a.error)
    assert "Rien n'a été enregistré" in shown and "La feuille de route a changé" in shown, shown
    assert dump(ui.connection()) == before
    assert not _entries(ui.connection(), "F03-I1")
    # The same file, checked again against the version in force, is refused on its row: nothing to import.
    assert any("vient d'être vérifié de nouveau" in i.value for i in a.info), [i.value for i in a.info]
    assert any("Fichier refusé" in e.value for e in a.error), shown
    assert not [btn for btn in a.button if btn.label == "Importer"]


def test_undoing_the_version_seen_does_not_undo_the_one_another_tab_applied(app, referentiel_bytes):
    a = sign_in(open_page("pages/10_Feuille_de_route.py"))
    next(c for c in a.checkbox if c.key == "confirmer_annulation_version_2").check().run()
    b = sign_in(open_page("pages/10_Feuille_de_route.py"))
    _apply_version_in(b, referentiel_bytes)

    next(btn for btn in a.button if btn.label == "Annuler cette version").click().run()
    assert not a.exception, [e.value for e in a.exception]
    shown = read(a.error)
    assert "Seule la version en vigueur (n°3) peut être annulée" in shown, shown
    assert "annulée" not in read(a.success)
    assert versions.in_force(ui.connection())["numero"] == 3
    # The screen now names version n°3, unticked: a tick given for n°2 never carries over.
    assert not next(c for c in a.checkbox if c.key == "confirmer_annulation_version_3").value


def test_undoing_the_target_decision_seen_is_refused_once_another_tab_decided(app):
    con = ui.connection()
    first = cibles.set_target(con, "F03-I1", "154", "2027", "un foyer par PC", "Onglet A")
    a = sign_in(open_page("pages/3_Indicateurs.py"))
    assert next(s for s in a.selectbox if s.label == "Décision à annuler").value == first
    second = cibles.set_target(con, "F03-I1", "200", "2027", "revue en comité technique", "Onglet B")

    next(btn for btn in a.button if btn.label == "Annuler").click().run()
    assert not a.exception, [e.value for e in a.exception]
    shown = read(a.error)
    assert f"la décision n°{second} est en vigueur, vous aviez vu la n°{first}" in shown, shown
    history = cibles.history(con).set_index("id")
    assert history["annulee_le"].isna().all(), "neither decision was undone"
    # Seen, the same undo goes through.
    next(s for s in a.selectbox if s.label == "Décision à annuler").set_value(second).run()
    next(btn for btn in a.button if btn.label == "Annuler").click().run()
    assert f"Décision n°{second} annulée" in read(a.success), read(a.success)
    assert queries.rows(con, sql.CIBLE_EN_VIGUEUR, ["F03-I1"])[0][0] == first


def test_undoing_an_import_acts_on_the_import_named_on_screen(app):
    con = ui.connection()
    first = saisie.import_file(con, saisie.check_file(saisie_xlsx(F03_I1), "a.xlsx",
                                                      saisie.load_context(con, today=TODAY)), auteur="A").import_id
    a = sign_in(open_page("pages/7_Historique.py"))
    a.selectbox[0].set_value(first).run()
    next(c for c in a.checkbox if c.key == f"confirmer_annulation_import_{first}").check().run()
    other = [[3, "F03-I1", "2025-T4", 20, None, None]]
    second = saisie.import_file(con, saisie.check_file(saisie_xlsx(other), "b.xlsx",
                                                       saisie.load_context(con, today=TODAY)), auteur="B").import_id

    next(btn for btn in a.button if btn.label == "Annuler cet import").click().run()
    assert not a.exception, [e.value for e in a.exception]
    assert f"Import n°{first} annulé : 1 valeur(s) de cet import retirée(s) ou remise(s) comme avant." in read(
        a.success), read(a.success)
    undone = {r[0]: r[1] for r in queries.rows(con, "SELECT id, annule_le FROM imports")}
    assert undone[first] is not None and undone[second] is None
