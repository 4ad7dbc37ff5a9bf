"""The read models computed in DuckDB give the very frames the pandas definition gives.

On live data, `views.indicateurs` and `views._quarter_in_database` (what the overview, the points of attention and
the meeting use) must equal their definitions, `views._indicateurs_from_series` and `views._quarter_from_view`
(which frozen quarters use), column types and floats included, whatever the entries: examples, values missing at the latest quarter, texts, falls of stock
indicators, sums that round differently depending on the order of the additions.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date

import pandas as pd
import pytest

from lne_data import sql, views
from lne_data.demo import load_examples

from .conftest import TODAY

PERIODES = [f"{year}-T{quarter}" for year in (2024, 2025, 2026) for quarter in (1, 2, 3, 4)]


def assert_same(expected, actual, path="quarter"):
    if isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(expected, actual, check_exact=True, obj=path)
        assert list(expected.dtypes) == list(actual.dtypes), path
    elif dataclasses.is_dataclass(expected):
        for field in dataclasses.fields(expected):
            assert_same(getattr(expected, field.name), getattr(actual, field.name), f"{path}.{field.name}")
    else:
        assert expected == actual, path


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
    """Live entries (and the same entries frozen) through DuckDB give what the pandas definition gives."""
    ref = views.reference(con)
    frozen = frozen_entries(con)
    for filters in filters_for(con, ref):
        fiches = ref.fiches_for(filters)
        for name, entries, series in [("live", con, views.LiveEntries(con).series(fiches)),
                                      ("frozen", frozen, frozen.series(fiches))]:
            definition = views._indicateurs_from_series(series, ref, filters)
            assert_same(definition, views.indicateurs(entries, ref, filters), f"{name} indicateurs {filters}")
            expected = views._quarter_from_view(definition, filters.periode)
            actual = views.entries_of(entries).quarter(ref, filters)
            assert_same(expected, actual, f"{name} quarter {filters}")
            overview = views.overview(entries, ref, filters)
            headline = views.headline(entries, ref, filters)
            for field in dataclasses.fields(headline):
                if field.name != "budget":
                    assert getattr(headline, field.name) == getattr(overview, field.name), (name, field.name, filters)
            assert_same(views.budget(ref, filters, annees=1, structures=1, combine=False), headline.budget)


def test_no_entries(con):
    check(con)


def test_example_entries(con):
    load_examples(con, today=TODAY)
    check(con)


def test_odd_entries(con):
    rng = random.Random(2026)
    con.execute("INSERT INTO imports VALUES (1, 'f.xlsx', 'x', 'test', current_timestamp, false, 0, 0, 0, NULL, NULL)")
    entries = []
    for code, in con.execute("SELECT code FROM indicateurs ORDER BY code").fetchall():
        for periode in PERIODES:
            if rng.random() < 0.3:
                continue
            valeur = rng.choice([0.1, 0.2, 0.3, 0.7, 1 / 3, 1e16, 3.3, 0.0, -0.0, 5.0, None, float("nan")])
            texte = rng.choice([None, None, "en cours", "Un texte"])
            entries.append((code, periode, valeur, texte, rng.choice([None, "c"]), "s", 1, rng.random() < 0.2))
    con.executemany("INSERT INTO saisies VALUES (?, ?, ?, ?, ?, ?, ?, ?)", entries)
    check(con)


@pytest.mark.parametrize("periode", ["2026-T1", None])
def test_overview_and_meeting_do_not_depend_on_where_the_entries_come_from(con, periode):
    """Live entries (computed in DuckDB) and the same entries frozen (computed in pandas) give the same views."""
    load_examples(con, today=date(2026, 11, 28))
    ref = views.reference(con)
    live = views.LiveEntries(con)
    saisies = con.execute("SELECT s.indicateur, i.fiche, s.periode, s.valeur, s.valeur_texte, s.commentaire, "
                          "s.exemple FROM saisies s JOIN indicateurs i ON i.code = s.indicateur "
                          "ORDER BY s.indicateur, s.periode").df()
    suivis = con.execute("SELECT fiche, periode, statut, meteo, resultats, freins, prochaines_etapes, saisi_par, "
                         "import_id, exemple FROM suivi_fiches ORDER BY fiche, periode").df()
    frozen = views.FrozenEntries(saisies, suivis, views.data_state(con))
    filters = views.Filters(periode=periode)
    assert_same(views.overview(frozen, ref, filters), views.overview(live, ref, filters), "overview")
    assert_same(views.meeting(frozen, ref, filters).indicateurs, views.meeting(live, ref, filters).indicateurs,
                "meeting")
