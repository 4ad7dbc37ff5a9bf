"""Clôture de trimestre: a frozen quarter shows the figures as presented, whatever happens afterwards."""

from __future__ import annotations

from datetime import date

import pytest

from lne_data import clotures, saisie, views
from lne_data.problems import RejectedInput

from .conftest import TODAY, saisie_xlsx
from .test_saisie import GOOD


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
    assert diff.valeurs[["indicateur", "periode", "avant", "apres"]].values.tolist() == [["F02-I2", "2025-T3", 4.0, 9.0]]
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
