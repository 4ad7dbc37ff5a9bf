"""The Indicateurs page: the indicators in scope, their series, completeness and latest values, and the quarter
reduced from them for the overview, the points of attention and the meeting, computed in DuckDB (sql.series)."""

from __future__ import annotations

import functools
import threading
import unicodedata
import weakref
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from .. import cibles, formatting, periodes, rules, sql
from ..queries import Reader
from .base import Filters, Reference, fetch, fetch_numpy


@dataclass
class IndicateursView:
    indicateurs: pd.DataFrame  # the indicators in scope, with fiche, type, unit, target
    # indicateur, periode, valeur, valeur_texte, progression (cumulated for flux); sorted by indicator, then period
    series: pd.DataFrame
    completude: pd.DataFrame  # fiche × periode: share of the fiche's indicators reported (0..1)
    dernieres: pd.DataFrame  # latest value per indicator with its period and target
    periodes: list[str]
    exemples: bool

    @functools.cached_property
    def dernieres_affichees(self) -> pd.DataFrame:
        """`dernieres` as élus read it: the value, the cumul or level, the target and the distance to it written by
        the indicator's kind (`en cours`, `85 %`, `12 médiateurs`, `−5 points`), never a bare 0,5 or 0,85.

        Worked out once per view (a national roadmap has 8 500 indicators): the view is shared, never modified.
        """
        shown = self.dernieres.copy()
        kinds, units = list(shown["type"]), list(shown["unite"])

        def written(values: pd.Series, texts: pd.Series | None = None) -> list[str]:
            texts_ = [None] * len(shown) if texts is None else list(texts)
            return [rules.valeur_indicateur(k, u, v, t) for k, u, v, t in zip(kinds, units, values, texts_)]

        shown["valeur"] = written(shown["valeur"], shown["valeur_texte"])
        shown["progression"] = written(shown["progression"])
        shown["cible"] = written(shown["cible"])
        shown["ecart_cible"] = [rules.ecart_indicateur(k, u, e) for k, u, e in zip(kinds, units, shown["ecart_cible"])]
        shown["periode"] = [periodes.label(p) if isinstance(p, str) else p for p in shown["periode"]]
        # A year, as text: a table of text (st.table) cannot hold numbers and blanks in one column.
        shown["echeance"] = [str(int(e)) if pd.notna(e) else None for e in shown["echeance"]]
        return shown

    def recherche(self, mots: str) -> Recherche:
        """The indicators whose code or label holds `mots`, accents and case aside (« accompagn »
        finds « accompagnés » and « Accompagnements »; « Numerique » finds « numérique »), as
        `dernieres_affichees` rows, with the fiches they belong to and what was found, in a sentence. Every
        word typed must be found; an empty search finds every indicator."""
        words = _folded(mots).split()
        shown = self.dernieres_affichees
        if not words:
            return Recherche(shown, self.fiches, "")
        haystack = [_folded(f"{code} {libelle}") for code, libelle in zip(shown["code"], shown["libelle"])]
        found = shown[[all(w in text for w in words) for text in haystack]].reset_index(drop=True)
        fiches = sorted(int(n) for n in found["fiche"].unique())
        said = " ".join(mots.split())
        if found.empty:
            return Recherche(found, [], f"Aucun indicateur ne contient « {said} ».")
        count = len(found)
        where = f"fiche {fiches[0]}" if len(fiches) == 1 else "fiches " + ", ".join(map(str, fiches))
        return Recherche(found, fiches, f"{count} indicateur{'s' if count > 1 else ''} "
                                        f"contien{'nen' if count > 1 else ''}t « {said} » : {where}.")

    @property
    def fiches(self) -> list[int]:
        """The fiches that have at least one indicator in scope, by number."""
        return sorted(int(n) for n in self.indicateurs["fiche"].unique())

    def indicateurs_de(self, fiche: int) -> list[Indicateur]:
        """A fiche's indicators, in the roadmap's order."""
        mine = self.indicateurs[self.indicateurs["fiche"] == fiche]
        return [Indicateur(r.code, r.libelle, r.type) for r in mine.itertuples()]

    def chiffrables(self) -> dict[str, str]:
        """The indicators in scope that can have a numeric target (nombre, ratio), code → label with the target they
        have now and whose it is: what the coordination picks from to set one."""
        found = self.indicateurs[self.indicateurs["type"].isin(rules.CHIFFRABLES)]
        labels = {}
        for r in found.itertuples():
            now = (f"cible actuelle {formatting.number(float(r.cible), 2)} ({cibles.origine_courte(r.cible_origine)})"
                   if pd.notna(r.cible) else "sans cible")
            labels[r.code] = f"{r.code} — {r.libelle} — {now}"
        return labels

    def serie(self, code: str) -> pd.DataFrame:
        """One indicator's rows of `series`, in period order."""
        return _rows_of(self.series, code)

    def textes(self, code: str) -> list[TexteSaisi]:
        """What was written for an indicator, quarter by quarter (None where only a number was entered)."""
        found = self.serie(code)
        return [TexteSaisi(periode, None if pd.isna(texte) else texte)
                for periode, texte in zip(found["periode"], found["valeur_texte"])]


class Recherche(NamedTuple):
    table: pd.DataFrame  # the indicators found, as IndicateursView.dernieres_affichees
    fiches: list[int]  # their fiches
    resume: str  # « 3 indicateurs contiennent « accompagn » : fiches 9, 12. » (« » without a search)


def _folded(text: str) -> str:
    """Text as a search compares it: NFKD without its accents, case folded (« Accompagnés » → « accompagnes »)."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class Indicateur(NamedTuple):
    code: str
    libelle: str
    type: str  # nombre, ratio, qualitatif…


class TexteSaisi(NamedTuple):
    periode: str
    texte: str | None


_RUNS: dict[int, tuple[weakref.ref[pd.DataFrame], dict[str, tuple[int, int]] | None]] = {}
_RUNS_LOCK = threading.Lock()
_RUNS_FROM = 10_000  # rows; below, a plain selection is as fast as building the index


def _rows_of(series: pd.DataFrame, code: str) -> pd.DataFrame:
    """`series[series["indicateur"] == code]`, as a slice when the series is large.

    A series is sorted by indicator, so each indicator's rows are one run: where the runs start and stop is worked
    out once per series object (a page shows several indicators of the same cached view, run after run) and an
    indicator's rows are then a slice, not a scan and a copy of a million rows.
    """
    if len(series) < _RUNS_FROM:
        return series[series["indicateur"] == code]
    with _RUNS_LOCK:
        known = _RUNS.get(id(series))
        runs = known[1] if known is not None and known[0]() is series else None
        found = known is not None and known[0]() is series
    if not found:
        codes = series["indicateur"].to_numpy()
        change = (codes[1:] != codes[:-1]).nonzero()[0] + 1
        starts = [0, *change.tolist()]
        stops = [*change.tolist(), len(codes)]
        runs = {codes[start]: (start, stop) for start, stop in zip(starts, stops)}
        if len(runs) != len(starts):  # an indicator in two places: not sorted after all
            runs = None
        with _RUNS_LOCK:
            for key in [key for key, (ref, _) in _RUNS.items() if ref() is None]:
                del _RUNS[key]
            _RUNS[id(series)] = (weakref.ref(series), runs)
    if runs is None:
        return series[series["indicateur"] == code]
    start, stop = runs.get(code, (0, 0))
    return series.iloc[start:stop]


def indicateurs_in_database(con: Reader, ref: Reference, filters: Filters) -> IndicateursView:
    """The indicators in scope and their entries up to `filters.periode`, sorted by indicator then period, with
    their progression: a stock indicator's value, a flux indicator's running total. The filter, the join, the sort
    and the numbering of the indicators are done by DuckDB: pandas then sums the flux values by a number rather
    than by a text (compensated sums, in period order), on a million rows."""
    fiches = ref.fiches_for(filters)
    scope = ref.indicateurs[ref.indicateurs["fiche"].isin(fiches)].reset_index(drop=True)
    series = fetch(con, sql.SERIES_VIEW, {"fiches": fiches, "periode": filters.periode})
    if series.empty:  # `.df()` types an empty text column as objects: give `mode` and `type` the référentiel's
        series = series.astype({"mode": scope["mode"].dtype, "type": scope["type"].dtype})
    number = series.pop("k")
    cumul = series["valeur"].groupby(number).cumsum()
    series["progression"] = series["valeur"].where(series["mode"] == "stock", cumul)
    last_period = series["periode"].max() if not series.empty else None  # once, not once per period
    all_periods = [p for p in ref.periodes() if last_period is not None and p <= last_period]
    counts = series.groupby(["fiche", "periode"]).size().rename("saisis").reset_index()
    # The series is sorted by indicator then period: an indicator's latest entry is the last of its run.
    codes = series["indicateur"]
    latest = series[codes.ne(codes.shift(-1))]
    return IndicateursView(scope, series.reset_index(drop=True), _completude(scope, fiches, all_periods, counts),
                           _dernieres(scope, latest), all_periods,
                           bool(series["exemple"].any()) if not series.empty else False)


def _completude(scope: pd.DataFrame, fiches: list[int], all_periods: list[str], counts: pd.DataFrame) -> pd.DataFrame:
    """fiche × periode: share of the fiche's indicators reported; `counts` has fiche, periode, saisis."""
    expected = scope.groupby("fiche").size().rename("attendus")
    grid = pd.MultiIndex.from_product([fiches, all_periods], names=["fiche", "periode"]).to_frame(index=False)
    grid = grid.merge(counts, on=["fiche", "periode"], how="left").fillna({"saisis": 0})
    grid["attendus"] = grid["fiche"].map(expected).fillna(0)
    grid["part"] = (grid["saisis"] / grid["attendus"].where(grid["attendus"] > 0)).fillna(0.0)
    return grid


def _dernieres(scope: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    """Every indicator in scope with its latest entry (`latest`: one row per indicator, columns of the series)."""
    dernieres = scope.merge(
        latest[["indicateur", "periode", "valeur", "valeur_texte", "progression", "exemple"]],
        left_on="code", right_on="indicateur", how="left",
    ).drop(columns="indicateur")
    dernieres["ecart_cible"] = dernieres["progression"] - dernieres["cible"]
    return dernieres


@dataclass
class Quarter:
    """The entries up to a quarter, reduced to what the overview, the points of attention and the meeting show.

    `view` is the `IndicateursView` of `indicateurs(…, filters with the quarter)` except that its `series` holds the
    quarter's entries only; `en_baisse` lists the stock indicators whose last value fell. Live and frozen entries alike
    compute it in DuckDB (`quarter_in_database`), because a national roadmap holds a million values that pandas
    would receive first (tests/test_read_models.py checks it against the same figures worked out in pandas).
    """

    view: IndicateursView
    en_baisse: pd.DataFrame


EN_BAISSE_COLUMNS = ["indicateur", "fiche", "avant", "apres", "periode"]


def quarter_in_database(con: Reader, ref: Reference, filters: Filters) -> Quarter:
    """`indicateurs(con, ref, filters)` with its series cut to the quarter's entries, and the stock indicators whose
    last value fell, computed in DuckDB.

    What reaches pandas is one row per indicator, per fiche and period, and per entry of the quarter, plus the
    flux values as bare numbers: their running total is summed by pandas itself (`groupby().cumsum()`, which
    compensates rounding errors), so that the progressions are the very same floats.
    """
    fiches = ref.fiches_for(filters)
    scope = ref.indicateurs[ref.indicateurs["fiche"].isin(fiches)].reset_index(drop=True)
    params = {"fiches": fiches, "periode": filters.periode}
    counts = fetch(con, sql.QUARTER_COUNTS, params)
    latest = fetch(con, sql.QUARTER_INDICATORS, params)
    flux = fetch_numpy(con, sql.QUARTER_FLUX_VALUES, params)
    keys = pd.Series(flux["k"])
    running = pd.Series(flux["valeur"], dtype="float64").groupby(keys).cumsum()
    flux_codes = latest.loc[latest["flux"].astype(bool), "indicateur"] if not latest.empty else []
    totals = dict(zip(flux_codes, running[keys.ne(keys.shift(-1)).to_numpy()].to_numpy()))
    last = latest["valeur"]
    summed = latest["indicateur"].map(totals).astype("float64")
    latest["progression"] = last.where((latest["mode"] == "stock") | last.isna(), summed)
    fell = latest[latest["en_baisse"].astype(bool)] if not latest.empty else latest
    falling = [{"indicateur": row.indicateur, "fiche": int(row.baisse_fiche), "avant": row.baisse_avant,
                "apres": row.baisse_apres, "periode": row.baisse_periode} for row in fell.itertuples()]
    max_periode = counts["periode"].max() if not counts.empty else None
    all_periods = [p for p in ref.periodes() if max_periode is not None and p <= max_periode]
    exemples = bool(counts["exemple"].any()) if not counts.empty else False
    # Nothing when no quarter is given, as from the view; typed like a slice of the series when it is not empty.
    in_quarter = fetch(con, sql.QUARTER_ENTRIES, params, empty_as_frame=latest.empty)
    in_quarter = in_quarter.merge(scope[["code", "mode", "type"]], left_on="indicateur", right_on="code")
    in_quarter = in_quarter.drop(columns="code").merge(latest[["indicateur", "progression"]], on="indicateur",
                                                       how="left")
    return Quarter(
        IndicateursView(scope, in_quarter[QUARTER_SERIES_COLUMNS].reset_index(drop=True),
                        _completude(scope, fiches, all_periods, counts[["fiche", "periode", "saisis"]]),
                        _dernieres(scope, latest), all_periods, exemples),
        pd.DataFrame(falling, columns=EN_BAISSE_COLUMNS),
    )


QUARTER_SERIES_COLUMNS = ["indicateur", "fiche", "periode", "valeur", "valeur_texte", "commentaire", "exemple", "mode",
                          "type", "progression"]
