"""Clôture de trimestre: a frozen quarter shows the figures as presented, whatever happens afterwards."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from lne_data import clotures, saisie, views
from lne_data.demo import load_examples
from lne_data.problems import RejectedInput

from .conftest import GOOD, TODAY, assert_same, saisie_xlsx


def import_rows(con, rows, name="t.xlsx"):
    validation = saisie.check_file(saisie_xlsx(rows), name, saisie.load_context(con, today=TODAY))
    assert validation.ok, validation.problems
    return saisie.import_file(con, validation, auteur="Claire")


def latest(view: views.IndicateursView, code: str) -> float:
    return float(view.dernieres.set_index("code").loc[code, "valeur"])


def test_frozen_quarter_keeps_the_presented_figures_after_corrections(con):
    import_rows(con, GOOD)
    closure_id = clotures.close_quarter(con, "2025-T3", comite_le=date(2025, 10, 14),
                                        reference="Comité syndical du 14/10/2025", auteur="Claire")
    corrected = [list(r) for r in GOOD]
    corrected[1][3] = 9  # F02-I2: 4 → 9, imported after the comité
    import_rows(con, corrected, "corrections.xlsx")
    import_rows(con, [[6, "F06-I3", "2025-T4", 2, None, None]], "t4.xlsx")  # a later quarter

    frozen = clotures.load_closure(con, closure_id)
    assert frozen.meta["reference"] == "Comité syndical du 14/10/2025"
    frozen_view = views.indicateurs(frozen.entries, frozen.ref, views.Filters())
    live_view = views.indicateurs(con, views.reference(con), views.Filters())
    assert latest(frozen_view, "F02-I2") == 4.0
    assert latest(live_view, "F02-I2") == 9.0
    assert "2025-T4" not in set(frozen_view.series["periode"])
    overview = views.overview(frozen.entries, frozen.ref, views.Filters())
    assert overview.periode == "2025-T3" and overview.nb_fiches == 23

    diff = clotures.compare(frozen, clotures.live(con, "2025-T3"))
    changed = diff.valeurs[["indicateur", "periode", "avant", "apres"]].values.tolist()
    assert changed == [["F02-I2", "2025-T3", 4.0, 9.0]]
    assert diff.budgets.empty and diff.statuts.empty


def test_comparing_two_closures_shows_statuses_and_values(con):
    suivi = {"Suivi": [["fiche", "periode", "statut", "meteo"], [6, "2025-T3", "en cours", "nuageux"]]}
    validation = saisie.check_file(saisie_xlsx(GOOD, extra=suivi), "a.xlsx", saisie.load_context(con, today=TODAY))
    saisie.import_file(con, validation, auteur="Claire")
    first = clotures.close_quarter(con, "2025-T3", comite_le=date(2025, 10, 14), reference="CS 1", auteur="Claire")
    suivi["Suivi"][1] = [6, "2025-T3", "réalisé", "ensoleillé"]
    validation = saisie.check_file(saisie_xlsx(GOOD, extra=suivi), "b.xlsx", saisie.load_context(con, today=TODAY))
    saisie.import_file(con, validation, auteur="Claire")
    second = clotures.close_quarter(con, "2025-T3", comite_le=date(2025, 11, 4), reference="CS 2", auteur="Claire")
    diff = clotures.compare(clotures.load_closure(con, first), clotures.load_closure(con, second))
    assert diff.valeurs.empty
    assert diff.statuts[["statut_avant", "statut_apres"]].values.tolist() == [["en cours", "réalisé"]]
    assert list(clotures.closures(con)["id"]) == [second, first]


def test_closing_needs_a_valid_period_and_a_reference(con):
    with pytest.raises(RejectedInput) as caught:
        clotures.close_quarter(con, "2025-T9", comite_le=date(2025, 10, 1), reference="CS", auteur="x")
    assert caught.value.problems[0].code == "cloture-periode-invalide"
    with pytest.raises(RejectedInput) as caught:
        clotures.close_quarter(con, "2025-T3", comite_le=date(2025, 10, 1), reference=" ", auteur="x")
    assert caught.value.problems[0].code == "cloture-reference-manquante"
    assert clotures.closures(con).empty


def definition(before: clotures.Closure, after: clotures.Closure) -> clotures.Comparison:
    """The comparison as first written: every value of both states merged by pandas. DuckDB must find the same."""
    keys = ["indicateur", "fiche", "periode"]
    merged = before.entries.saisies.merge(after.entries.saisies, on=keys, how="outer", suffixes=("_avant", "_apres"))
    differs = pd.Series(False, index=merged.index)
    for column in ("valeur", "valeur_texte"):
        a, b = merged[f"{column}_avant"], merged[f"{column}_apres"]
        differs |= a.ne(b) & ~(a.isna() & b.isna())
    return clotures._comparison(merged[differs].copy(), before, after.entries.suivis, after.ref,
                                after.entries.depenses(before.periode))


def change_everything_after_closing(con) -> None:
    """Today's data moved on in every way a comparison must see (or ignore)."""
    con.execute("UPDATE saisies SET valeur = valeur + 1 WHERE indicateur = 'F02-I2'")  # numbers
    con.execute("UPDATE saisies SET valeur_texte = valeur_texte || ' (corrigé)' WHERE indicateur = 'F03-I3'")  # texts
    con.execute("UPDATE saisies SET valeur_texte = 'réalisé', valeur = 1 WHERE indicateur = 'F16-I1'")  # livrable
    con.execute("UPDATE saisies SET valeur = NULL WHERE indicateur = 'F03-I1'")  # was NaN: the same
    con.execute("UPDATE saisies SET valeur = -0.0 WHERE indicateur = 'F13-I1'")  # was 0.0: the same
    con.execute("DELETE FROM saisies WHERE indicateur = 'F05-I1' AND periode = '2026-T2'")  # removed
    con.execute("INSERT INTO saisies (indicateur, periode, valeur, valeur_texte, commentaire, saisi_par, import_id, "
                "exemple) VALUES ('F07-I1', '2026-T1', 12, NULL, NULL, 's', 1, false), "  # added
                "('F07-I2', '2026-T1', NULL, NULL, 'vide', 's', 1, false), "  # empty, on one side only: the same
                "('F07-I3', '2026-T1', 'NaN', NULL, NULL, 's', 1, false), "  # NaN, on one side only: the same
                "('F07-I4', '2026-T4', 5, NULL, NULL, 's', 1, false)")  # after the closed quarter: not compared
    con.execute("UPDATE indicateurs SET fiche = 8 WHERE code = 'F06-I5'")  # moved to another fiche
    con.execute("UPDATE suivi_fiches SET statut = 'en pause' WHERE fiche = 6")
    con.execute("UPDATE suivi_fiches SET meteo = NULL WHERE fiche = 9")
    con.execute("UPDATE moyens SET montant = montant * 2 WHERE fiche = 20 AND quantifie")


@pytest.fixture
def moved_on(con):
    """The examples with odd values, a closure of 2026-T3, then today's data changed, and a second closure."""
    load_examples(con, today=TODAY)
    con.execute("UPDATE saisies SET valeur = 'NaN' WHERE indicateur = 'F03-I1'")
    con.execute("UPDATE saisies SET valeur = 0 WHERE indicateur = 'F13-I1'")
    con.execute("DELETE FROM saisies WHERE indicateur LIKE 'F07-%'")  # values added afterwards
    first = clotures.close_quarter(con, "2026-T3", comite_le=date(2026, 10, 20), reference="CS 1", auteur="Claire")
    change_everything_after_closing(con)
    second = clotures.close_quarter(con, "2026-T3", comite_le=date(2026, 11, 3), reference="CS 2", auteur="Claire")
    return clotures.load_closure(con, first), clotures.load_closure(con, second)


def test_comparison_with_today_finds_what_pandas_found(con, moved_on):
    frozen, _ = moved_on
    expected = definition(frozen, clotures.live(con, "2026-T3"))
    changed = expected.valeurs.groupby("indicateur").size().to_dict()
    assert changed == {"F02-I2": 4, "F03-I3": 4, "F05-I1": 1, "F06-I5": 8, "F07-I1": 1, "F16-I1": 3}
    assert set(expected.valeurs.loc[expected.valeurs["indicateur"] == "F06-I5", "fiche"]) == {6, 8}
    assert len(expected.statuts) == 2 and list(expected.budgets["fiche"]) == [20]
    assert_same(expected, clotures.compare_with_live(con, frozen))
    assert_same(expected, clotures.compare_with_live(con, frozen, views.reference(con)))
    assert_same(expected, clotures.compare(frozen, clotures.live(con, "2026-T3")))


def test_comparing_two_closures_finds_what_pandas_found(moved_on):
    first, second = moved_on
    assert_same(definition(first, second), clotures.compare(first, second))
    assert_same(definition(second, first), clotures.compare(second, first))
    nothing = clotures.compare(first, first)
    assert nothing.empty
    assert_same(definition(first, first), nothing)


def test_a_closed_quarters_reports_stay_the_same_bytes_whatever_is_imported_later(con):
    """The deck, the PDF and the workbook handed to the comité are its closure's: a correction imported afterwards,
    a later quarter, another day, change nothing of them — to the byte (their dates are the closure's)."""
    import io
    import time

    import openpyxl
    from pypdf import PdfReader

    from lne_data import reports

    import_rows(con, GOOD)
    closure_id = clotures.close_quarter(con, "2025-T3", comite_le=date(2025, 10, 14),
                                        reference="Comité syndical du 14/10/2025", auteur="Claire Martin")
    before = {fmt: reports.build(reports.closure_report_data(clotures.load_closure(con, closure_id)), fmt)
              for fmt in reports.FORMATS}
    corrected = [list(r) for r in GOOD]
    corrected[1][3] = 9  # F02-I2: 4 → 9, imported after the comité
    import_rows(con, corrected, "corrections.xlsx")
    import_rows(con, [[6, "F06-I3", "2025-T4", 2, None, None]], "t4.xlsx")
    time.sleep(2.1)  # zip entries are dated to two seconds: a build dated by the clock would differ now
    after = {fmt: reports.build(reports.closure_report_data(clotures.load_closure(con, closure_id)), fmt)
             for fmt in reports.FORMATS}
    for fmt in reports.FORMATS:
        assert after[fmt] == before[fmt], fmt
    # Today's report does see the correction: the closure's does not.
    live = reports.report_data(con, "2025-T3")
    assert live.indicateurs.set_index("code").loc["F02-I2", "valeur"] == 9
    closed = reports.closure_report_data(clotures.load_closure(con, closure_id))
    assert closed.indicateurs.set_index("code").loc["F02-I2", "valeur"] == 4
    assert closed.indicateurs.set_index("code").loc["F06-I1", "saisi_par"] == "Coordinatrice"

    # Each file says which comité it was made for, and who closed it when (in French).
    said = "Clôturé le "
    first_page = PdfReader(io.BytesIO(before["pdf"])).pages[0].extract_text()
    assert "comité du 14 octobre 2025" in first_page and said in first_page and "par Claire Martin" in first_page
    from pptx import Presentation

    deck = Presentation(io.BytesIO(before["pptx"]))
    cover = " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert "comité du 14 octobre 2025" in cover and said in cover and "par Claire Martin" in cover
    assert deck.core_properties.language == "fr-FR"
    wb = openpyxl.load_workbook(io.BytesIO(before["xlsx"]))
    rows = dict(wb["rapport"].iter_rows(values_only=True))
    assert "14 octobre 2025" in rows["Comité"] and "par Claire Martin" in rows["Clôture"]


def test_closing_example_data_marks_the_closure_and_needs_a_name(con):
    load_examples(con, today=TODAY)
    with pytest.raises(RejectedInput) as caught:
        clotures.close_quarter(con, "2026-T3", comite_le=date(2026, 10, 1), reference="CS", auteur=" ")
    assert caught.value.problems[0].code == "cloture-auteur-manquant"
    closure_id = clotures.close_quarter(con, "2026-T3", comite_le=date(2026, 10, 1), reference="CS", auteur="Léa")
    register = views.CloturesView(clotures.closures(con))
    assert register.lignes.iloc[0]["exemple"] == "oui (valeurs fictives)"
    assert register.libelle(closure_id).endswith("(données d'exemple)")
    assert "données d'exemple" in clotures.load_closure(con, closure_id).label


def test_a_closed_quarters_follow_up_reads_as_todays_until_it_changes(con):
    """Live and frozen entries answer with the same SQL: same columns, same order, same values."""
    suivi = {"Suivi": [["fiche", "periode", "statut", "meteo"], [6, "2025-T3", "en cours", "nuageux"],
                       [3, "2025-T3", "à venir", "orageux"]]}
    validation = saisie.check_file(saisie_xlsx(GOOD, extra=suivi), "a.xlsx", saisie.load_context(con, today=TODAY))
    saisie.import_file(con, validation, auteur="Claire")
    closure_id = clotures.close_quarter(con, "2025-T3", comite_le=date(2025, 10, 14), reference="CS", auteur="C")
    frozen, live = clotures.load_closure(con, closure_id).entries, views.LiveEntries(con)
    pd.testing.assert_frame_equal(frozen.suivi_periode("2025-T3"), live.suivi_periode("2025-T3"), check_dtype=False)
    pd.testing.assert_frame_equal(frozen.suivi(6), live.suivi(6), check_dtype=False)
    assert list(frozen.suivi_periode("2025-T3")["fiche"]) == [3, 6]
