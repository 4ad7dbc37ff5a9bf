"""What every read model starts from: the filters, the référentiel as frames, the state of the entries, and a
query's result read into a frame (through Arrow) or into NumPy columns."""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

import pandas as pd
import pyarrow as pa

from .. import cibles, periodes, sql
from ..problems import NO_REFERENTIEL, NotFound
from ..queries import Reader, Snapshot, consistent, frame, rows


@dataclass(frozen=True)
class Filters:
    axe: int | None = None
    objectif: str | None = None
    porteur: str | None = None
    periode: str | None = None  # the quarter looked at; None = the latest with entries

    def describe(self) -> str:
        parts = []
        if self.axe is not None:
            parts.append(f"axe {self.axe}")
        if self.objectif:
            parts.append(f"objectif {self.objectif}")
        if self.porteur:
            parts.append(f"porteur {self.porteur}")
        return ", ".join(parts)


@dataclass
class Reference:
    """The référentiel as frames: small (a few hundred rows), read once and shared by every view."""

    feuille_de_route: dict[str, Any]
    axes: pd.DataFrame
    objectifs: pd.DataFrame
    fiches: pd.DataFrame
    porteurs: pd.DataFrame
    partenaires: pd.DataFrame
    moyens: pd.DataFrame
    indicateurs: pd.DataFrame
    structures: pd.DataFrame

    def fiches_for(self, filters: Filters) -> list[int]:
        fiches = self.fiches
        if filters.axe is not None:
            fiches = fiches[fiches["axe"] == filters.axe]
        if filters.objectif:
            fiches = fiches[fiches["objectif"] == filters.objectif]
        numbers = set(fiches["numero"].astype(int))
        if filters.porteur:
            carried = set(self.porteurs.loc[self.porteurs["structure"] == filters.porteur, "fiche"].astype(int))
            numbers &= carried
        return sorted(numbers)

    def periodes(self) -> list[str]:
        return periodes.all_between(int(self.feuille_de_route["annee_debut"]), int(self.feuille_de_route["annee_fin"]))

    def axe_label(self, code: int) -> str:
        return str(self.axes.set_index("code").loc[code, "libelle"])

    def numeros(self) -> list[int]:
        """The fiches' numbers, in the roadmap's order."""
        return [int(n) for n in self.fiches["numero"]]

    def intitules(self) -> dict[int, str]:
        """Each fiche's title by its number: a selectbox labels every option with it, on every run."""
        return dict(zip(self.numeros(), self.fiches["intitule"]))

    def structures_porteuses(self) -> list[str]:
        """The structures carrying or co-carrying at least one fiche, in alphabetical order."""
        return sorted(self.porteurs["structure"].unique())

    def annees(self) -> list[int]:
        """The roadmap's years, in order."""
        return list(range(int(self.feuille_de_route["annee_debut"]), int(self.feuille_de_route["annee_fin"]) + 1))

    def periodes_jusqua(self, periode: str) -> list[str]:
        """The roadmap's quarters up to `periode` included (empty when it is before the roadmap starts)."""
        return [p for p in self.periodes() if p <= periode]

    def empreinte(self) -> str:
        """A digest of everything the référentiel holds: two references with the same digest give the same figures.
        Computed at each call (a few ms for the Lot) rather than kept, so that a frame changed in place after a
        first call can never be answered with the figures of before."""
        return hashlib.sha256(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()


P = ParamSpec("P")
R = TypeVar("R")
# Enough for every filter combination a meeting goes through on the version in force and an earlier one. A view of
# the Lot's roadmap weighs 8 to 32 kB once pickled, of the national one (bench/generate.py, 1 313 fiches) 0.2 to 1 MB:
# 64 MB at the very most.
ROADMAP_MEMO_SIZE = 64
_roadmap_memo: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_roadmap_memo_lock = threading.Lock()


def per_roadmap(function: Callable[P, R]) -> Callable[P, R]:
    """For a read model computed from the référentiel alone (its first argument) and hashable arguments (filters,
    numbers): computed once per content of the référentiel and arguments, in this process (every page, export,
    closure and command that asks for the budget of the same roadmap and filters), each caller getting its own
    copy to change as it likes. Neither the entries nor the quarter looked at (`Filters.periode`) are part of the
    key: a function that reads entries, or whose result depends on the quarter, must not be memoised here."""

    @functools.wraps(function)
    def memoised(*args: P.args, **kwargs: P.kwargs) -> R:
        ref = args[0]
        assert isinstance(ref, Reference), function.__qualname__
        rest = tuple(dataclasses.replace(a, periode=None) if isinstance(a, Filters) else a for a in args[1:])
        key = (function.__qualname__, ref.empreinte(), rest, tuple(sorted(kwargs.items())))
        with _roadmap_memo_lock:
            found = key in _roadmap_memo
            if found:
                _roadmap_memo.move_to_end(key)
                value = _roadmap_memo[key]
        if not found:
            value = function(*args, **kwargs)
            with _roadmap_memo_lock:
                _roadmap_memo[key] = value
                while len(_roadmap_memo) > ROADMAP_MEMO_SIZE:
                    _roadmap_memo.popitem(last=False)
        return copy.deepcopy(value)

    return memoised


@consistent
def reference(con: Reader) -> Reference:
    fdr = frame(con, sql.FEUILLE_DE_ROUTE)
    if fdr.empty:
        raise NotFound(NO_REFERENTIEL)
    return Reference(
        feuille_de_route=fdr.iloc[0].to_dict(),
        axes=frame(con, sql.AXES),
        objectifs=frame(con, sql.OBJECTIFS),
        fiches=frame(con, sql.FICHES),
        porteurs=frame(con, sql.PORTEURS),
        partenaires=frame(con, sql.PARTENAIRES),
        moyens=frame(con, sql.MOYENS),
        indicateurs=cibles.with_provenance(frame(con, sql.INDICATEURS)),
        structures=frame(con, sql.STRUCTURES),
    )


@dataclass
class DataState:
    exemples: bool
    periodes_saisies: list[str]
    dernier_import: pd.Timestamp | None
    dernier_import_auteur: str | None

    def periode_courante(self, filters: Filters) -> str | None:
        if filters.periode:
            return filters.periode
        return self.periodes_saisies[-1] if self.periodes_saisies else None


@consistent
def data_state(con: Reader) -> DataState:
    exemples = rows(con, sql.COUNT_EXEMPLES)[0][0] > 0
    found = [p for p, _ in rows(con, sql.SAISIES_PAR_PERIODE)]
    last = rows(con, sql.DERNIER_IMPORT)
    return DataState(
        exemples=exemples,
        periodes_saisies=found,
        dernier_import=last[0][0] if last else None,
        dernier_import_auteur=last[0][1] if last else None,
    )


def fetch(con: Reader, statement: str, params: Any = None, *, empty_as_frame: bool = True) -> pd.DataFrame:
    """`frame`, through Arrow: the same frame, two to three times faster for a million rows of text.

    Where `frame` (DuckDB's `.df()`) gives text columns another type than Arrow does, the frame is made the same:
    an empty result goes through `frame` (unless `empty_as_frame` is false: then it has the types of a slice of a
    non-empty result), and a text column holding no value at all is objects (None). Frozen entries are frames
    read from Parquet, typed by Arrow: their results keep Arrow's types, as slices of those frames would.
    """
    frozen = isinstance(con, Snapshot) and con.frozen
    cur = con.cur if isinstance(con, Snapshot) else con.cursor()
    try:
        table = cur.sql(statement, params=params).to_arrow_table()
        if not table.num_rows and empty_as_frame and not frozen:
            return cur.execute(statement, params).df()
    finally:
        if not isinstance(con, Snapshot):
            cur.close()
    # One chunk per column: selecting rows from a million-row frame (a page picking one indicator) is then
    # twice as fast as from the batches DuckDB hands over.
    table = table.combine_chunks()
    result = table.to_pandas()
    if frozen:
        return result
    for name, column in zip(table.column_names, table.columns):
        if table.num_rows and column.null_count == table.num_rows and (pa.types.is_string(column.type)
                                                    or pa.types.is_large_string(column.type)):
            result[name] = pd.Series([None] * table.num_rows, dtype="object", index=result.index)
    return result


def fetch_numpy(con: Reader, statement: str, params: Any = None) -> dict[str, Any]:
    """Columns as NumPy arrays: a million numbers without a Python object each."""
    cur = con.cur if isinstance(con, Snapshot) else con.cursor()
    try:
        return cur.execute(statement, params).fetchnumpy()
    finally:
        if not isinstance(con, Snapshot):
            cur.close()
