"""Where indicator values come from: the live database, or a quarter frozen at a clôture (queried with the same
SQL, its frames registered under the tables' names); `indicateurs`, the Indicateurs page's read model, from either."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

import duckdb
import pandas as pd

from .. import sql
from ..queries import Reader, Snapshot, consistent, frame, rows
from .base import DataState, Filters, Reference, data_state, fetch
from .series import IndicateursView, Quarter, indicateurs_in_database, quarter_in_database


class Entries(Protocol):
    """Where indicator values come from: the live database, or a quarter frozen when it was presented."""

    def series(self, fiches: list[int]) -> pd.DataFrame: ...

    def suivi(self, fiche: int) -> pd.DataFrame: ...

    def suivi_periode(self, periode: str) -> pd.DataFrame: ...

    def state(self) -> DataState: ...

    def view(self, ref: Reference, filters: Filters) -> IndicateursView: ...

    def quarter(self, ref: Reference, filters: Filters) -> Quarter: ...

    def fiches_renseignees(self, ref: Reference, fiches: list[int], periode: str) -> set[int]: ...

    def fiches_deposees(self, periode: str) -> set[int]: ...

    def indicateurs_saisis(self, ref: Reference, fiches: list[int], periode: str) -> int: ...

    def depenses(self, periode: str | None) -> pd.DataFrame | None: ...


@dataclass
class LiveEntries:
    con: Reader

    def series(self, fiches: list[int]) -> pd.DataFrame:
        return fetch(self.con, sql.SERIES_FICHES, {"fiches": fiches})

    def suivi(self, fiche: int) -> pd.DataFrame:
        return frame(self.con, sql.SUIVI_FICHE, {"fiche": fiche})

    def suivi_periode(self, periode: str) -> pd.DataFrame:
        return frame(self.con, sql.SUIVI_PERIODE, {"periode": periode})

    def state(self) -> DataState:
        return data_state(self.con)

    def view(self, ref: Reference, filters: Filters) -> IndicateursView:
        return indicateurs_in_database(self.con, ref, filters)

    def quarter(self, ref: Reference, filters: Filters) -> Quarter:
        return quarter_in_database(self.con, ref, filters)

    def fiches_renseignees(self, ref: Reference, fiches: list[int], periode: str) -> set[int]:
        return {int(n) for n, in rows(self.con, sql.FICHES_RENSEIGNEES, {"fiches": fiches, "periode": periode})}

    def fiches_deposees(self, periode: str) -> set[int]:
        """The fiches a porteur's file waiting for the coordination's validation reports for `periode`."""
        return {int(n) for n, in rows(self.con, sql.FICHES_DEPOSEES, [periode])}

    def indicateurs_saisis(self, ref: Reference, fiches: list[int], periode: str) -> int:
        return int(rows(self.con, sql.INDICATEURS_SAISIS, {"fiches": fiches, "periode": periode})[0][0])

    def depenses(self, periode: str | None) -> pd.DataFrame:
        """The rows of the sheets « Dépenses » imported, up to `periode` (every one when None)."""
        if periode is None:
            return frame(self.con, sql.DEPENSES)
        return frame(self.con, sql.DEPENSES_JUSQUA, {"periode": periode})


_FRAMES: duckdb.DuckDBPyConnection | None = None
_FRAMES_LOCK = threading.Lock()


def frames_cursor() -> duckdb.DuckDBPyConnection:
    """A cursor of the process's in-memory DuckDB, where frames are registered to be queried with SQL. What is
    registered on a cursor is seen by that cursor only, so concurrent sessions never see each other's frames."""
    global _FRAMES
    with _FRAMES_LOCK:
        if _FRAMES is None:
            _FRAMES = duckdb.connect()
        return _FRAMES.cursor()


@dataclass
class FrozenEntries:
    """Entries frozen at a clôture. The read models query them with the very SQL they run on the live tables: the
    frames are registered under the tables' names (scanned where they are, not copied), because a national closure
    holds a million values that pandas would otherwise join, sort and sum."""

    saisies: pd.DataFrame  # columns of sql.SERIES_JUSQUA (what clotures freezes)
    suivis: pd.DataFrame  # columns of sql.SUIVI_JUSQUA
    frozen_state: DataState
    # Columns of sql.DEPENSES_JUSQUA; None for a closure made before the execution was frozen (none was presented).
    depenses_figees: pd.DataFrame | None = None

    @contextmanager
    def reader(self, ref: Reference | None = None) -> Iterator[Snapshot]:
        """A cursor on which `saisies`, `indicateurs` (the référentiel's, when given) and `suivi_fiches` are the
        frozen ones."""
        cur = frames_cursor()
        try:
            cur.register("saisies", self.saisies)
            if ref is not None:
                cur.register("indicateurs", ref.indicateurs)
            cur.register("suivi_fiches", self.suivis)
            yield Snapshot(cur, frozen=True)  # nothing changes these frames: no transaction needed
        finally:
            cur.close()

    def series(self, fiches: list[int]) -> pd.DataFrame:
        return self.saisies[self.saisies["fiche"].isin(fiches)].reset_index(drop=True)

    # The live tables' own SQL, so that a closed quarter's follow-up has the same columns and order as today's.
    def suivi(self, fiche: int) -> pd.DataFrame:
        with self.reader() as frozen:
            return frame(frozen, sql.SUIVI_FICHE, {"fiche": fiche})

    def suivi_periode(self, periode: str) -> pd.DataFrame:
        with self.reader() as frozen:
            return frame(frozen, sql.SUIVI_PERIODE, {"periode": periode})

    def state(self) -> DataState:
        return self.frozen_state

    def view(self, ref: Reference, filters: Filters) -> IndicateursView:
        with self.reader(ref) as frozen:
            return indicateurs_in_database(frozen, ref, filters)

    def quarter(self, ref: Reference, filters: Filters) -> Quarter:
        with self.reader(ref) as frozen:
            return quarter_in_database(frozen, ref, filters)

    def fiches_renseignees(self, ref: Reference, fiches: list[int], periode: str) -> set[int]:
        with self.reader(ref) as frozen:
            return {int(n) for n, in rows(frozen, sql.FICHES_RENSEIGNEES, {"fiches": fiches, "periode": periode})}

    def fiches_deposees(self, periode: str) -> set[int]:
        """A closure freezes what was imported: a file still waiting was nobody's answer then."""
        return set()

    def depenses(self, periode: str | None) -> pd.DataFrame | None:
        """The dépenses frozen with the quarter (up to it); None when the closure predates their freezing."""
        if self.depenses_figees is None or periode is None:
            return self.depenses_figees
        return self.depenses_figees[self.depenses_figees["periode"] <= periode].reset_index(drop=True)

    def indicateurs_saisis(self, ref: Reference, fiches: list[int], periode: str) -> int:
        with self.reader(ref) as frozen:
            return int(rows(frozen, sql.INDICATEURS_SAISIS, {"fiches": fiches, "periode": periode})[0][0])


def entries_of(source: Reader | Entries) -> Entries:
    return LiveEntries(source) if isinstance(source, (duckdb.DuckDBPyConnection, Snapshot)) else source


@consistent
def indicateurs(
    source: Reader | Entries, ref: Reference, filters: Filters
) -> IndicateursView:
    return entries_of(source).view(ref, filters)


def saisis_par(con: Reader, periode: str) -> pd.DataFrame:
    """Who typed each value of `periode` (indicateur, saisi_par): a report says it."""
    return frame(con, sql.SAISIS_PAR_PERIODE, {"periode": periode})
