"""The read models computed in DuckDB give the very frames pandas gives from the entries and the référentiel.

On live data and on the same data frozen, `views.indicateurs` and `Entries.quarter` (what the overview, the points of
attention and the meeting use) must equal the figures worked out here, in pandas, from the entries and the
référentiel (`expected_indicateurs`, `expected_quarter`), column types and floats included, whatever the entries:
examples, values missing at the latest quarter, texts, falls of stock indicators, sums that round differently
depending on the order of the additions.

Then what the views hand to the pages ready-made, so that pages neither filter nor reshape (one indicator's series,
the ETP asked of each partner structure, a fiche's porteurs, a meeting's screens, the registers of imports and
closures): each gives the rows it names, and only those.
"""
from __future__ import annotations

import dataclasses
import random
from datetime import date

import pandas as pd
import pytest

from lne_data import cibles, clotures, queries, saisie, sql, views
from lne_data.demo import load_examples
from lne_data.views.series import _RUNS_FROM, EN_BAISSE_COLUMNS, Quarter

from .conftest import GOOD, TODAY, assert_same, saisie_xlsx

PERIODES = [f"{year}-T{quarter}" for year in (2024, 2025, 2026) for quarter in (1, 2, 3, 4)]


def filters_for(con, ref):
    periods = [p for p, _ in con.execute("SELECT periode, count(*) FROM saisies GROUP BY 1 ORDER BY 1").fetchall()]
    chosen = [views.Filters(periode=periods[-1] if periods else None)]
    if periods:
        chosen += [views.Filters(periode=periods[0]), views.Filters(axe=int(ref.axes["code"].iloc[0]),
                                                                    periode=periods[-1])]
    chosen += [views.Filters(objectif=str(ref.objectifs["code"].iloc[1]), periode=periods[-1] if periods else None),
               views.Filters(porteur=str(ref.porteurs["structure"].iloc[0]), periode=periods[-1] if periods else None),
               views.Filters()]
    return chosen


def expected_indicateurs(series: pd.DataFrame, ref: views.Reference, filters: views.Filters) -> views.IndicateursView:
    """The Indicateurs view as defined, in pandas, from the entries of the fiches in scope (columns of
    sql.SERIES_FICHES): the entries up to the quarter sorted by indicator then period, a flux indicator's progression
    its running total and a stock indicator's its value; each fiche's share of indicators reported per quarter up to
    the latest with an entry; each indicator's latest entry and its distance to the target."""
    fiches = ref.fiches_for(filters)
    scope = ref.indicateurs[ref.indicateurs["fiche"].isin(fiches)].reset_index(drop=True)
    if filters.periode:
        series = series[series["periode"] <= filters.periode]
    series = series.merge(scope[["code", "mode", "type"]], left_on="indicateur", right_on="code").drop(columns="code")
    series = series.sort_values(["indicateur", "periode"])
    cumul = series.groupby("indicateur")["valeur"].cumsum()
    series["progression"] = series["valeur"].where(series["mode"] == "stock", cumul)
    last_period = series["periode"].max() if not series.empty else None
    all_periods = [p for p in ref.periodes() if last_period is not None and p <= last_period]
    counts = series.groupby(["fiche", "periode"]).size().rename("saisis").reset_index()
    grid = pd.MultiIndex.from_product([fiches, all_periods], names=["fiche", "periode"]).to_frame(index=False)
    grid = grid.merge(counts, on=["fiche", "periode"], how="left").fillna({"saisis": 0})
    grid["attendus"] = grid["fiche"].map(scope.groupby("fiche").size()).fillna(0)
    grid["part"] = (grid["saisis"] / grid["attendus"].where(grid["attendus"] > 0)).fillna(0.0)
    latest = series.groupby("indicateur").tail(1)
    dernieres = scope.merge(latest[["indicateur", "periode", "valeur", "valeur_texte", "progression", "exemple"]],
                            left_on="code", right_on="indicateur", how="left").drop(columns="indicateur")
    dernieres["ecart_cible"] = dernieres["progression"] - dernieres["cible"]
    return views.IndicateursView(scope, series.reset_index(drop=True), grid, dernieres, all_periods,
                                 bool(series["exemple"].any()) if not series.empty else False)


def expected_quarter(view: views.IndicateursView, periode: str | None) -> Quarter:
    """The quarter as defined, in pandas, from the whole view: its series cut to the quarter's entries, and the stock
    indicators whose last value is below the one before."""
    series = view.series
    in_quarter = series[series["periode"] == periode] if periode else series.iloc[0:0]
    stock = series[series["mode"] == "stock"].dropna(subset=["valeur"])
    codes = stock["indicateur"]
    before = stock["valeur"].shift(1)
    fell = stock[codes.ne(codes.shift(-1)) & codes.eq(codes.shift(1)) & (stock["valeur"] < before)]
    falling = [{"indicateur": row.indicateur, "fiche": int(row.fiche), "avant": avant, "apres": row.valeur,
                "periode": row.periode} for row, avant in zip(fell.itertuples(), before[fell.index])]
    return Quarter(
        views.IndicateursView(view.indicateurs, in_quarter.reset_index(drop=True), view.completude, view.dernieres,
                              view.periodes, view.exemples),
        pd.DataFrame(falling, columns=EN_BAISSE_COLUMNS),
    )


def frozen_entries(con) -> views.FrozenEntries:
    """The database's entries as a clôture freezes them (clotures._frames), Parquet round trip included."""
    from io import BytesIO

    def parquet(df: pd.DataFrame) -> pd.DataFrame:
        buffer = BytesIO()
        df.to_parquet(buffer, index=False)
        return pd.read_parquet(BytesIO(buffer.getvalue()))

    saisies = parquet(con.execute(sql.SERIES_JUSQUA, {"periode": "9999-T4"}).df())
    suivis = parquet(con.execute(sql.SUIVI_JUSQUA, {"periode": "9999-T4"}).df())
    return views.FrozenEntries(saisies, suivis, views.data_state(con))


def check(con):
    """Live entries (and the same entries frozen) through DuckDB give what pandas gives from the same entries."""
    ref = views.reference(con)
    frozen = frozen_entries(con)
    for filters in filters_for(con, ref):
        fiches = ref.fiches_for(filters)
        for name, entries, series in [("live", con, views.LiveEntries(con).series(fiches)),
                                      ("frozen", frozen, frozen.series(fiches))]:
            definition = expected_indicateurs(series, ref, filters)
            assert_same(definition, views.indicateurs(entries, ref, filters), f"{name} indicateurs {filters}")
            expected = expected_quarter(definition, filters.periode)
            actual = views.entries_of(entries).quarter(ref, filters)
            assert_same(expected, actual, f"{name} quarter {filters}")
            overview = views.overview(entries, ref, filters)
            headline = views.headline(entries, ref, filters)
            for field in dataclasses.fields(headline):
                if field.name not in ("budget", "charge", "axes"):
                    assert getattr(headline, field.name) == getattr(overview, field.name), (name, field.name, filters)
            pd.testing.assert_frame_equal(headline.axes, overview.axes)
            assert_same(views.budget(ref, filters), headline.budget)
            assert_same(views.charge(ref, filters, capacite=None), headline.charge)


def test_no_entries(con):
    check(con)


def coordination_targets(con) -> None:
    """Targets the coordination set (the text sets none for numbers), so that indicators fall behind them."""
    cibles.set_target(con, "F03-I1", "154", "2027", "un foyer par PC du premier lot", "Claire")
    cibles.set_target(con, "F02-I2", "12", "2026", "les 12 médiateurs budgétés", "Claire")


def test_example_entries(con):
    load_examples(con, today=TODAY)
    coordination_targets(con)
    check(con)


def test_odd_entries(con):
    rng = random.Random(2026)
    con.execute("INSERT INTO imports (id, fichier, sha256, auteur, importe_le, exemple, nb_nouvelles, nb_modifiees, "
                "nb_inchangees) VALUES (1, 'f.xlsx', 'x', 'test', current_timestamp, false, 0, 0, 0)")
    entries = []
    for code, in con.execute("SELECT code FROM indicateurs ORDER BY code").fetchall():
        for periode in PERIODES:
            if rng.random() < 0.3:
                continue
            valeur = rng.choice([0.1, 0.2, 0.3, 0.7, 1 / 3, 1e16, 3.3, 0.0, -0.0, 5.0, None, float("nan")])
            texte = rng.choice([None, None, "en cours", "Un texte"])
            entries.append((code, periode, valeur, texte, rng.choice([None, "c"]), "s", 1, rng.random() < 0.2))
    con.executemany("INSERT INTO saisies (indicateur, periode, valeur, valeur_texte, commentaire, saisi_par, "
                    "import_id, exemple) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", entries)
    coordination_targets(con)
    check(con)


@pytest.mark.parametrize("periode", ["2026-T1", None])
def test_overview_and_meeting_do_not_depend_on_where_the_entries_come_from(con, periode):
    """Live entries (computed in DuckDB) and the same entries frozen (computed in pandas) give the same views."""
    load_examples(con, today=date(2026, 11, 28))
    coordination_targets(con)
    ref = views.reference(con)
    live = views.LiveEntries(con)
    saisies = con.execute("SELECT s.indicateur, i.fiche, s.periode, s.valeur, s.valeur_texte, s.commentaire, "
                          "s.exemple FROM saisies s JOIN indicateurs i ON i.code = s.indicateur "
                          "ORDER BY s.indicateur, s.periode").df()
    suivis = con.execute("SELECT fiche, periode, statut, meteo, resultats, freins, prochaines_etapes, saisi_par, "
                         "import_id, exemple FROM suivi_fiches ORDER BY fiche, periode").df()
    # the dépenses as a closure freezes them (none declared here: the execution is « aucune dépense déclarée »)
    depenses = con.execute("SELECT fiche, structure, periode, nature, financeur, engage, paye, etp, finance, "
                           "saisi_par, exemple FROM depenses ORDER BY ALL").df()
    frozen = views.FrozenEntries(saisies, suivis, views.data_state(con), depenses)
    filters = views.Filters(periode=periode)
    overview = views.overview(live, ref, filters)
    assert periode is None or not overview.attention.sous_cible.empty, "some indicator is behind its target"
    assert_same(views.overview(frozen, ref, filters), overview, "overview")
    assert_same(views.meeting(frozen, ref, filters).indicateurs, views.meeting(live, ref, filters).indicateurs,
                "meeting")


# --------------------------------------------------------------------------------------------------
# What the views hand to the pages
# --------------------------------------------------------------------------------------------------


def frozen_copy(con) -> views.FrozenEntries:
    """The database's entries as a closure holds them, shuffled: the frozen view must sort them itself."""
    saisies = con.execute("SELECT s.indicateur, i.fiche, s.periode, s.valeur, s.valeur_texte, s.commentaire, "
                          "s.exemple FROM saisies s JOIN indicateurs i ON i.code = s.indicateur").df()
    suivis = con.execute("SELECT fiche, periode, statut, meteo, resultats, freins, prochaines_etapes, saisi_par, "
                         "import_id, exemple FROM suivi_fiches").df()
    return views.FrozenEntries(saisies.sample(frac=1, random_state=3).reset_index(drop=True), suivis,
                               views.data_state(con))


@pytest.mark.parametrize("where", ["live", "frozen"])
def test_an_indicators_series_holds_its_points_only_in_period_order(con, where):
    load_examples(con, today=TODAY)
    ref = views.reference(con)
    view = views.indicateurs(con if where == "live" else frozen_copy(con), ref, views.Filters())
    pieces = []
    for code in view.indicateurs["code"]:
        serie = view.serie(code)
        assert set(serie["indicateur"]) <= {code}
        assert list(serie["periode"]) == sorted(set(serie["periode"])), code  # in order, one point per quarter
        pieces.append(serie)
    assert sum(len(p) for p in pieces) == len(view.series) > 0  # every point belongs to exactly one indicator
    assert list(view.serie("F02-I2")["periode"]) == ["2025-T4", "2026-T1", "2026-T2", "2026-T3"]
    assert view.serie("F99-I9").empty


def test_a_large_series_gives_the_same_rows_as_a_plain_selection():
    """From 10 000 rows an indicator's points are a slice of the sorted series; shuffled, a selection again."""
    codes = [f"F{n:03d}-I1" for n in range(300)]
    periods = [f"{year}-T{q}" for year in range(2020, 2030) for q in (1, 2, 3, 4)]
    series = pd.DataFrame([(code, periode, float(i)) for i, (code, periode)
                           in enumerate((c, p) for c in codes for p in periods)],
                          columns=["indicateur", "periode", "valeur"])
    assert len(series) >= _RUNS_FROM
    for frame in (series, series.sample(frac=1, random_state=1)):
        view = views.IndicateursView(pd.DataFrame(), frame, pd.DataFrame(), pd.DataFrame(), periods, False)
        for code in (codes[0], codes[150], codes[-1], "F999-I1"):
            expected = frame[frame["indicateur"] == code]
            pd.testing.assert_frame_equal(view.serie(code), expected)
            pd.testing.assert_frame_equal(view.serie(code), expected)  # the second time from the known runs


def test_a_qualitative_indicator_gives_its_texts_quarter_by_quarter(con):
    load_examples(con, today=TODAY)
    view = views.indicateurs(con, views.reference(con), views.Filters())
    texts = view.textes("F06-I4")
    assert [t.periode for t in texts] == ["2025-T4", "2026-T1", "2026-T2", "2026-T3"]
    assert all(t.texte.startswith("Exemple : appréciation qualitative") for t in texts)
    assert [t.texte for t in view.textes("F02-I2")] == [None] * 4  # numbers only: no text
    assert view.textes("F99-I9") == []


def test_a_fiches_indicators_in_the_roadmaps_order(con):
    ref = views.reference(con)
    view = views.indicateurs(con, ref, views.Filters(axe=1))
    assert view.fiches == sorted(set(ref.fiches.loc[ref.fiches["axe"] == 1, "numero"]) & set(ref.indicateurs["fiche"]))
    mine = ref.indicateurs[ref.indicateurs["fiche"] == 6]
    all_fiches = views.indicateurs(con, ref, views.Filters())
    assert [i.code for i in all_fiches.indicateurs_de(6)] == list(mine["code"])
    assert {i.type for i in all_fiches.indicateurs_de(6)} >= {"qualitatif"}
    assert view.indicateurs_de(6) == []  # fiche 6 is not in axe 1


def test_the_etp_asked_of_each_partner_structure_are_the_par_structure_lines(con):
    ref = views.reference(con)
    asked = views.charge(ref, views.Filters(), capacite=None).demandes_par_structure
    assert asked == [views.EtpParStructure(22, 0.1, "Structures d'accueil de personnes âgées")]
    assert views.charge(ref, views.Filters(axe=1), capacite=None).demandes_par_structure == []


def test_a_fiches_porteurs_with_their_level_when_the_roadmap_gives_one(con):
    ref = views.reference(con)
    assert views.fiche(con, ref, 5).liste_porteurs == [
        views.Portage("Lot Numérique", "co-porteur", "départemental"),
        views.Portage("RhinOcc", "co-porteur", "régional"),
    ]
    assert views.fiche(con, ref, 6).liste_porteurs == [views.Portage("Lot Numérique", "porteur", None)]


def test_meeting_screens_are_counted_from_one_and_an_axes_screen_lists_its_fiches(con):
    load_examples(con, today=TODAY)
    meeting = views.meeting(con, views.reference(con), views.Filters())
    first, second, last = meeting.ecran(1), meeting.ecran(2), meeting.ecran(len(meeting.steps))
    assert (first.kind, first.axe, first.fiches) == ("overview", None, None)
    assert (second.kind, second.axe) == ("axe", 1)
    pd.testing.assert_frame_equal(second.fiches, meeting.fiches_par_axe[1])
    assert last.kind == "attention" and last.fiches is None


def test_the_registers_know_which_import_was_undone_and_which_closures_compare(con):
    load_examples(con, today=TODAY)  # import n°0: the real ones are counted from 1
    validation = saisie.check_file(saisie_xlsx(GOOD), "t3.xlsx", saisie.load_context(con, today=TODAY))
    saisie.import_file(con, validation, auteur="test")  # n°1
    saisie.undo_import(con, 1, auteur="test")
    imports = views.ImportsView(queries.imports(con))
    assert imports.numeros == [1, 0]
    assert imports.annule(1) and not imports.annule(0)
    for periode in ("2025-T3", "2025-T4", "2026-T1"):
        clotures.close_quarter(con, periode, comite_le=date(2026, 4, 1), reference="Comité", auteur="test")
    closed = views.CloturesView(clotures.closures(con))
    assert closed.numeros == [3, 2, 1]
    assert closed.autres(2) == [3, 1]


def test_the_quarters_up_to_a_quarter(con):
    ref = views.reference(con)
    assert ref.periodes_jusqua("2023-T4") == []
    assert ref.periodes_jusqua("2024-T1") == ["2024-T1"]
    assert ref.periodes_jusqua("2024-T3") == ["2024-T1", "2024-T2", "2024-T3"]
    assert ref.periodes_jusqua("2031-T1") == ref.periodes()


def test_who_answered_is_one_definition_live_frozen_and_in_the_points_of_attention(con):
    """Examples are nobody's answer; a real value or a fiche's follow-up alone is. « Qui a répondu ? » and the points
    of attention (overview, meeting, report) say the same, on live and on frozen entries."""
    load_examples(con, today=TODAY)
    ref = views.reference(con)
    last = views.data_state(con).periodes_saisies[-1]
    for entries in (con, frozen_entries(con)):
        answers = views.reponses(entries, ref, last)
        assert answers.exemples and not answers.table["a_repondu"].any()
        attention = views.attention(entries, ref, views.Filters(), last)
        assert attention.porteurs_sans_reponse == answers.sans_reponse == ref.structures_porteuses()
        assert attention.reponses.resume == answers.resume

    suivi = {"Suivi": [["fiche", "periode", "statut", "meteo", "resultats", "freins", "prochaines_etapes"],
                       [9, "2025-T3", "en cours", None, None, None, None]]}
    validation = saisie.check_file(saisie_xlsx(GOOD, extra=suivi), "t3.xlsx", saisie.load_context(con, today=TODAY))
    saisie.import_file(con, validation, auteur="test")
    for entries in (con, frozen_entries(con)):
        answers = views.reponses(entries, ref, "2025-T3")
        assert set(answers.table.loc[answers.table["a_repondu"], "porteur"]) == {
            "Lot Numérique", "Préfecture du Lot", "Bibliothèque départementale du Lot",
            "Secours Populaire – Fédération du Lot"}  # fiche 9: its follow-up only
        assert views.attention(entries, ref, views.Filters(), "2025-T3").porteurs_sans_reponse == answers.sans_reponse
        assert answers.resume == "4 porteurs sur 9 ont répondu pour T3 2025."


def test_the_roadmaps_figures_are_worked_out_once_and_every_reader_gets_them_as_the_roadmap_says(con):
    """`views.per_roadmap`: the budget of a roadmap is computed once for every page, export and command asking for it,
    yet a reader that changes its copy changes nobody else's, and a référentiel changed since (a version loaded, a
    frame changed in place) is never answered with the figures of before."""
    ref = views.reference(con)
    first = views.budget(ref, views.Filters())
    ponctuel = first.somme("ponctuel")
    assert ponctuel > 0
    first.par_fiche["ponctuel"] = 0.0  # a reader reshaping its view
    assert views.budget(ref, views.Filters()).somme("ponctuel") == ponctuel

    line = ref.moyens.index[(ref.moyens["periodicite"] == "ponctuel") & ref.moyens["quantifie"]
                            & (ref.moyens["rubrique"] == "INVESTISSEMENT")][0]
    ref.moyens.loc[line, "montant"] += 1000.0  # the same object, another content
    again = views.budget(ref, views.Filters())
    assert again.somme("ponctuel") == ponctuel + 1000.0
    assert views.overview(con, ref, views.Filters()).budget_ponctuel == ponctuel + 1000.0


def test_the_roadmaps_figures_kept_are_bounded_whatever_the_filters_asked(con):
    from lne_data.views import base

    ref = views.reference(con)
    for capacite in range(base.ROADMAP_MEMO_SIZE + 10):
        views.charge(ref, views.Filters(), capacite=float(capacite))
    assert len(base._roadmap_memo) == base.ROADMAP_MEMO_SIZE
