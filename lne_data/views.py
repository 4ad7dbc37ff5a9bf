"""What each page shows, computed without Streamlit: one function per page, returning plain data.

Pages call exactly one of these (through the cached wrappers of `lne_data.ui`) and hand the result to
`lne_data.figures`. Filters (axe, objectif, porteur, période) narrow the set of fiches the same way on
every page.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple, Protocol

import duckdb
import pandas as pd
import pyarrow as pa

from . import cibles, formatting, periodes, rules, sql
from .queries import Reader, Snapshot, consistent, frame, rows


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


@consistent
def reference(con: Reader) -> Reference:
    fdr = frame(con, sql.FEUILLE_DE_ROUTE)
    if fdr.empty:
        raise LookupError("Aucun référentiel chargé : lancez « python -m lne_data init ».")
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


# --------------------------------------------------------------------------------------------------
# Entries: state of the data (examples? last import?) and the quarter in view
# --------------------------------------------------------------------------------------------------


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


class Entries(Protocol):
    """Where indicator values come from: the live database, or a quarter frozen when it was presented."""

    def series(self, fiches: list[int]) -> pd.DataFrame: ...

    def suivi(self, fiche: int) -> pd.DataFrame: ...

    def suivi_periode(self, periode: str) -> pd.DataFrame: ...

    def state(self) -> DataState: ...

    def view(self, ref: Reference, filters: Filters) -> IndicateursView: ...

    def quarter(self, ref: Reference, filters: Filters) -> Quarter: ...

    def fiches_renseignees(self, ref: Reference, fiches: list[int], periode: str) -> set[int]: ...

    def indicateurs_saisis(self, ref: Reference, fiches: list[int], periode: str) -> int: ...


def _fetch(con: Reader, statement: str, params: Any = None, *, empty_as_frame: bool = True) -> pd.DataFrame:
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


def _numpy(con: Reader, statement: str, params: Any = None) -> dict[str, Any]:
    """Columns as NumPy arrays: a million numbers without a Python object each."""
    cur = con.cur if isinstance(con, Snapshot) else con.cursor()
    try:
        return cur.execute(statement, params).fetchnumpy()
    finally:
        if not isinstance(con, Snapshot):
            cur.close()


@dataclass
class LiveEntries:
    con: Reader

    def series(self, fiches: list[int]) -> pd.DataFrame:
        return _fetch(self.con, sql.SERIES_FICHES, {"fiches": fiches})

    def suivi(self, fiche: int) -> pd.DataFrame:
        return frame(self.con, sql.SUIVI_FICHE, {"fiche": fiche})

    def suivi_periode(self, periode: str) -> pd.DataFrame:
        return frame(self.con, sql.SUIVI_PERIODE, {"periode": periode})

    def state(self) -> DataState:
        return data_state(self.con)

    def view(self, ref: Reference, filters: Filters) -> IndicateursView:
        return _indicateurs_in_database(self.con, ref, filters)

    def quarter(self, ref: Reference, filters: Filters) -> Quarter:
        return _quarter_in_database(self.con, ref, filters)

    def fiches_renseignees(self, ref: Reference, fiches: list[int], periode: str) -> set[int]:
        return {int(n) for n, in rows(self.con, sql.FICHES_RENSEIGNEES, {"fiches": fiches, "periode": periode})}

    def indicateurs_saisis(self, ref: Reference, fiches: list[int], periode: str) -> int:
        return int(rows(self.con, sql.INDICATEURS_SAISIS, {"fiches": fiches, "periode": periode})[0][0])


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

    saisies: pd.DataFrame  # columns of sql.SERIES_FICHES
    suivis: pd.DataFrame  # columns of sql.SUIVI_FICHES
    frozen_state: DataState

    @contextmanager
    def reader(self, ref: Reference) -> Iterator[Snapshot]:
        """A cursor on which `saisies`, `indicateurs` (the référentiel's, given) and `suivi_fiches` are the frozen
        ones."""
        cur = frames_cursor()
        try:
            cur.register("saisies", self.saisies)
            cur.register("indicateurs", ref.indicateurs)
            cur.register("suivi_fiches", self.suivis)
            yield Snapshot(cur, frozen=True)  # nothing changes these frames: no transaction needed
        finally:
            cur.close()

    def series(self, fiches: list[int]) -> pd.DataFrame:
        return self.saisies[self.saisies["fiche"].isin(fiches)].reset_index(drop=True)

    def suivi(self, fiche: int) -> pd.DataFrame:
        rows_ = self.suivis[self.suivis["fiche"] == fiche].drop(columns=["fiche", "import_id"], errors="ignore")
        return rows_.sort_values("periode", ascending=False).reset_index(drop=True)

    def suivi_periode(self, periode: str) -> pd.DataFrame:
        return self.suivis[self.suivis["periode"] == periode].reset_index(drop=True)

    def state(self) -> DataState:
        return self.frozen_state

    def view(self, ref: Reference, filters: Filters) -> IndicateursView:
        with self.reader(ref) as frozen:
            return _indicateurs_in_database(frozen, ref, filters)

    def quarter(self, ref: Reference, filters: Filters) -> Quarter:
        with self.reader(ref) as frozen:
            return _quarter_in_database(frozen, ref, filters)

    def fiches_renseignees(self, ref: Reference, fiches: list[int], periode: str) -> set[int]:
        with self.reader(ref) as frozen:
            return {int(n) for n, in rows(frozen, sql.FICHES_RENSEIGNEES, {"fiches": fiches, "periode": periode})}

    def indicateurs_saisis(self, ref: Reference, fiches: list[int], periode: str) -> int:
        with self.reader(ref) as frozen:
            return int(rows(frozen, sql.INDICATEURS_SAISIS, {"fiches": fiches, "periode": periode})[0][0])


def entries_of(source: Reader | Entries) -> Entries:
    return LiveEntries(source) if isinstance(source, (duckdb.DuckDBPyConnection, Snapshot)) else source


# --------------------------------------------------------------------------------------------------
# Budget
# --------------------------------------------------------------------------------------------------

@dataclass
class BudgetView:
    # One row per fiche: axe, objectif, the amounts by period (rules.AMOUNT_COLUMNS), conditionnel, chiffrage and
    # total; every amount of a « non chiffré » fiche is missing (NaN), never 0.
    par_fiche: pd.DataFrame
    non_chiffrees: pd.DataFrame  # fiche, intitule, source, note: what the roadmap writes instead of an amount
    lignes: pd.DataFrame  # every quantified cash line, for the data table, its period said in French
    non_precises: pd.DataFrame  # the lines whose period the roadmap does not give, with its words
    annees: int
    structures: int
    combine: bool
    non_precise_fois: int = 1

    def total(self) -> float:
        return float(self.par_fiche["total"].sum())

    @property
    def par_annee(self) -> pd.DataFrame:
        """The amounts stated for one given year, per axe and year: axe, libelle, annee, montant."""
        yearly = self.lignes[self.lignes["periodicite"] == "annee"]
        return (yearly.groupby(["axe", "axe_libelle", "annee"], as_index=False)["montant"].sum()
                .rename(columns={"axe_libelle": "libelle"}))

    def somme(self, column: str) -> float:
        """The sum of one kind of amount over the fiches in view (the non chiffrées add nothing, and are named
        apart: `non_chiffrees`)."""
        return float(self.par_fiche[column].sum())


def budget(ref: Reference, filters: Filters, *, annees: int, structures: int, combine: bool,
           non_precise_fois: int = 1) -> BudgetView:
    """Investment per fiche, by the rules of `rules`: `combine` adds the yearly amounts × `annees`, the per-structure
    amounts × `structures` and the amounts without a stated period × `non_precise_fois` to the one-off ones;
    otherwise the total counts one-off amounts only."""
    fiches = ref.fiches[ref.fiches["numero"].isin(ref.fiches_for(filters))]
    amounts = rules.fiche_amounts(ref.moyens, fiches["numero"])
    table = fiches[["numero", "intitule", "axe", "axe_libelle", "objectif", "objectif_libelle"]].rename(
        columns={"numero": "fiche"}).merge(amounts, on="fiche", how="left")
    table["total"] = rules.shown_total(table, combine=combine, annees=annees, structures=structures,
                                       non_precise_fois=non_precise_fois)
    cash = rules.cash_lines(ref.moyens)
    cash = cash[cash["fiche"].isin(fiches["numero"])]
    quantified = cash[cash["quantifie"]]
    missing = table.loc[table["chiffrage"] == rules.NON_CHIFFRE, ["fiche", "intitule"]]
    # Only the unquantified fiches' wording is shown: grouping the others (a Python call per fiche) is wasted at
    # national scale. One other line is kept when none is left, so that the columns keep the types they had.
    worded = cash[cash["fiche"].isin(missing["fiche"])]
    if worded.empty:
        worded = cash.head(1)
    wording = worded.groupby("fiche").agg(
        source=("source", lambda s: " ; ".join(dict.fromkeys(str(x) for x in s if pd.notna(x)))),
        note=("note", lambda s: " ; ".join(dict.fromkeys(str(x) for x in s if pd.notna(x) and x))),
    )
    non_chiffrees = missing.merge(wording, left_on="fiche", right_index=True, how="left")
    non_chiffrees = non_chiffrees.fillna({"source": "(aucune ligne d'investissement)", "note": ""})
    non_chiffrees = non_chiffrees.reset_index(drop=True)
    lignes = quantified.merge(fiches[["numero", "axe", "axe_libelle"]], left_on="fiche", right_on="numero")
    lignes = lignes.assign(periode=[rules.periodicite_label(p, a, u) for p, a, u in
                                    zip(lignes["periodicite"], lignes["annee"], lignes["unite"])],
                           condition=lignes["conditionnel"].map({True: "sous condition", False: ""}))
    lignes = lignes[["fiche", "axe", "axe_libelle", "libelle", "montant", "periode", "condition", "periodicite",
                     "annee", "structure", "source", "note"]].reset_index(drop=True)
    non_precises = lignes.loc[lignes["periodicite"] == "non précisée",
                              ["fiche", "libelle", "montant", "source", "note"]].reset_index(drop=True)
    return BudgetView(table, non_chiffrees, lignes, non_precises, annees, structures, combine, non_precise_fois)


def budget_total_text(view: BudgetView) -> str:
    """What « Total affiché » adds up, and what it leaves out, in a sentence under it."""
    euros = formatting.euros
    if view.combine:
        parts = ["montants ponctuels", f"montants annuels × {view.annees} an(s)",
                 f"montants par structure × {view.structures} structure(s)", "montants d'une année précise",
                 "montants sans période précisée " + ("comptés une fois" if view.non_precise_fois == 1
                                                      else f"× {view.non_precise_fois} an(s)")]
        text = "Total affiché : " + ", ".join(parts) + "."
    else:
        text = ("Total affiché : montants ponctuels seulement. Ni les montants annuels "
                f"({euros(view.somme('par_an'))} par an), ni ceux sans période précisée "
                f"({euros(view.somme('non_precise'))}), ni ceux par structure partenaire n'y sont ajoutés.")
    conditionnel = view.somme("conditionnel")
    if conditionnel:
        text += f" Dont {euros(conditionnel)} sous condition (« possibilité de… » dans la feuille de route)."
    if len(view.non_chiffrees):
        text += (f" {len(view.non_chiffrees)} fiche(s) sans investissement chiffré ne sont pas comptées "
                 "(jamais à 0 €) : voir plus bas.")
    return text


# --------------------------------------------------------------------------------------------------
# Staffing (ETP)
# --------------------------------------------------------------------------------------------------


@dataclass
class ChargeView:
    par_structure: pd.DataFrame  # structure, etp (counted), partage (its part also spent on other actions), fiches
    # fiche, structure, etp, compte, partage, base (« part d'un temps plein » / « par structure partenaire »),
    # periodicite, libelle, source, attribution, note
    par_fiche: pd.DataFrame
    non_chiffre: pd.DataFrame  # RH lines without a number: fiche, libelle, source
    coordinatrice: str
    coordinatrice_etp: float  # lines attributed to the coordinating structure
    coordinatrice_etp_possible: float  # plus the co-portage lines it may carry
    capacite: float | None  # None until the user says what is available

    @property
    def surcharge(self) -> bool:
        return self.capacite is not None and self.coordinatrice_etp > self.capacite

    @property
    def surcharge_possible(self) -> bool:
        return self.capacite is not None and self.coordinatrice_etp_possible > self.capacite

    @property
    def comptees(self) -> pd.DataFrame:
        """The lines counted in ETP totals (`rules.etp_lines`)."""
        return self.par_fiche[self.par_fiche["compte"]]

    @property
    def total(self) -> float:
        return round(float(self.comptees["etp"].sum()), 4)

    @property
    def partage(self) -> float:
        """The part of `total` the roadmap says is also spent on other actions."""
        return round(float(self.comptees.loc[self.comptees["partage"], "etp"].sum()), 4)

    @property
    def question_capacite(self) -> str | None:
        """The question to ask before comparing an implausible capacity with the commitments, or None.

        The commitments are the largest the coordinating structure may carry (co-portage included): a capacity
        questioned against them is questioned against any smaller figure too.
        """
        engagements = self.coordinatrice_etp_possible
        if self.capacite is None or not rules.capacite_douteuse(self.capacite, engagements):
            return None
        ratio = self.capacite / engagements
        fois = f"{'' if abs(ratio - round(ratio)) < 0.05 else 'près de '}{formatting.number(round(ratio))} fois"
        meant = rules.capacite_sans_virgule(self.capacite, engagements)
        ask = (f"vouliez-vous écrire {formatting.number(meant, 2)} ?" if meant is not None
               else "confirmez-vous cette capacité ?")
        return (f"Vous avez saisi {formatting.etp(self.capacite)}, soit {fois} les engagements "
                f"({formatting.etp(engagements)}) : {ask}")

    @property
    def demandes_par_structure(self) -> list[EtpParStructure]:
        """The ETP a fiche asks of each partner structure, in `par_fiche`'s order. Left out of every total:
        the roadmap does not say how many structures take part."""
        lines = self.par_fiche[~self.par_fiche["compte"]]
        return [EtpParStructure(int(r.fiche), float(r.etp), str(r.structure)) for r in lines.itertuples()]


class EtpParStructure(NamedTuple):
    fiche: int
    etp: float  # asked of each structure
    structure: str  # who they are, as the roadmap words it


def charge(ref: Reference, filters: Filters, *, capacite: float | None) -> ChargeView:
    fiches = ref.fiches_for(filters)
    moyens = ref.moyens[ref.moyens["fiche"].isin(fiches)]
    etp = rules.etp_lines(moyens)
    counted = etp[etp["compte"]]
    par_structure = (
        counted.assign(etp_partage=counted["etp"].where(counted["partage"], 0.0)).groupby("structure")
        .agg(etp=("etp", "sum"), partage=("etp_partage", "sum"),
             fiches=("fiche", lambda s: ", ".join(str(int(n)) for n in sorted(set(s)))))
        .reset_index()
        .sort_values("etp", ascending=False)
    )
    coordinatrice = str(ref.feuille_de_route["structure_coordinatrice"])
    own = float(counted.loc[counted["structure"] == coordinatrice, "etp"].sum())
    coporte = set(ref.porteurs.loc[ref.porteurs["structure"] == coordinatrice, "fiche"])
    shared = float(counted.loc[(counted["structure"] == rules.NON_ATTRIBUE) & counted["fiche"].isin(coporte),
                               "etp"].sum())
    non_chiffre = moyens[(moyens["rubrique"] == "RH") & ~moyens["quantifie"]][["fiche", "libelle", "source"]]
    par_fiche = etp[["fiche", "structure", "etp", "compte", "partage", "partage_texte", "base", "periodicite",
                     "libelle", "attribution", "source", "note"]].sort_values(["compte", "fiche", "structure"],
                                                                    ascending=[False, True, True])
    return ChargeView(
        par_structure=par_structure.reset_index(drop=True),
        par_fiche=par_fiche.reset_index(drop=True),
        non_chiffre=non_chiffre.reset_index(drop=True),
        coordinatrice=coordinatrice,
        coordinatrice_etp=round(own, 4),
        coordinatrice_etp_possible=round(own + shared, 4),
        capacite=capacite,
    )


# --------------------------------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------------------------------


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
        return shown

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
        found = self.indicateurs[self.indicateurs["type"].isin(cibles.CHIFFRABLES)]
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


@consistent
def indicateurs(
    source: Reader | Entries, ref: Reference, filters: Filters
) -> IndicateursView:
    return entries_of(source).view(ref, filters)


def _indicateurs_from_series(series: pd.DataFrame, ref: Reference, filters: Filters) -> IndicateursView:
    """The definition of `indicateurs`, from the entries of the fiches in scope (columns of sql.SERIES_FICHES)."""
    fiches = ref.fiches_for(filters)
    scope = ref.indicateurs[ref.indicateurs["fiche"].isin(fiches)].reset_index(drop=True)
    if filters.periode:
        series = series[series["periode"] <= filters.periode]
    series = series.merge(scope[["code", "mode", "type"]], left_on="indicateur", right_on="code").drop(columns="code")
    series = series.sort_values(["indicateur", "periode"])
    cumul = series.groupby("indicateur")["valeur"].cumsum()
    series["progression"] = series["valeur"].where(series["mode"] == "stock", cumul)
    return _view_of_series(series, ref, fiches, scope)


def _view_of_series(series: pd.DataFrame, ref: Reference, fiches: list[int], scope: pd.DataFrame) -> IndicateursView:
    """The view, from the series sorted by indicator then period, with its progression."""
    last_period = series["periode"].max() if not series.empty else None  # once, not once per period
    all_periods = [p for p in ref.periodes() if last_period is not None and p <= last_period]
    counts = series.groupby(["fiche", "periode"]).size().rename("saisis").reset_index()
    # The series is sorted by indicator then period: an indicator's latest entry is the last of its run.
    codes = series["indicateur"]
    latest = series[codes.ne(codes.shift(-1))]
    return IndicateursView(scope, series.reset_index(drop=True), _completude(scope, fiches, all_periods, counts),
                           _dernieres(scope, latest), all_periods,
                           bool(series["exemple"].any()) if not series.empty else False)


def _indicateurs_in_database(con: Reader, ref: Reference, filters: Filters) -> IndicateursView:
    """`_indicateurs_from_series(LiveEntries(con).series(…), ref, filters)`, with the filter, the join, the sort and
    the numbering of the indicators done by DuckDB: pandas then sums the flux values by a number rather than by a
    text (the same compensated sums, in the same order), on a million rows."""
    fiches = ref.fiches_for(filters)
    series = _fetch(con, sql.SERIES_VIEW, {"fiches": fiches, "periode": filters.periode})
    if series.empty:  # the definition then gives its own column types
        return _indicateurs_from_series(LiveEntries(con).series(fiches), ref, filters)
    scope = ref.indicateurs[ref.indicateurs["fiche"].isin(fiches)].reset_index(drop=True)
    number = series.pop("k")
    cumul = series["valeur"].groupby(number).cumsum()
    series["progression"] = series["valeur"].where(series["mode"] == "stock", cumul)
    return _view_of_series(series, ref, fiches, scope)


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
    quarter's entries only; `en_baisse` lists the stock indicators whose last value fell. Frozen entries derive it
    from their whole series (`_quarter_from_view`, which defines it); live ones compute it in the database
    (`_quarter_in_database`), because a national roadmap holds a million values that pandas would receive first.
    """

    view: IndicateursView
    en_baisse: pd.DataFrame


EN_BAISSE_COLUMNS = ["indicateur", "fiche", "avant", "apres", "periode"]


def _quarter_from_view(view: IndicateursView, periode: str | None) -> Quarter:
    series = view.series
    in_quarter = series[series["periode"] == periode] if periode else series.iloc[0:0]
    # Stock indicators whose last value is below the one before (series sorted by indicator, then period).
    stock = series[series["mode"] == "stock"].dropna(subset=["valeur"])
    codes = stock["indicateur"]
    before = stock["valeur"].shift(1)
    fell = stock[codes.ne(codes.shift(-1)) & codes.eq(codes.shift(1)) & (stock["valeur"] < before)]
    falling = [{"indicateur": row.indicateur, "fiche": int(row.fiche), "avant": avant, "apres": row.valeur,
                "periode": row.periode} for row, avant in zip(fell.itertuples(), before[fell.index])]
    return Quarter(
        IndicateursView(view.indicateurs, in_quarter.reset_index(drop=True), view.completude, view.dernieres,
                        view.periodes, view.exemples),
        pd.DataFrame(falling, columns=EN_BAISSE_COLUMNS),
    )


def _quarter_in_database(con: Reader, ref: Reference, filters: Filters) -> Quarter:
    """`_quarter_from_view(indicateurs(con, ref, filters), filters.periode)`, computed in DuckDB.

    What reaches pandas is one row per indicator, per fiche and period, and per entry of the quarter, plus the
    flux values as bare numbers: their running total is summed by pandas itself (`groupby().cumsum()`, which
    compensates rounding errors), so that the progressions are the very same floats.
    """
    fiches = ref.fiches_for(filters)
    scope = ref.indicateurs[ref.indicateurs["fiche"].isin(fiches)].reset_index(drop=True)
    params = {"fiches": fiches, "periode": filters.periode}
    counts = _fetch(con, sql.QUARTER_COUNTS, params)
    latest = _fetch(con, sql.QUARTER_INDICATORS, params)
    flux = _numpy(con, sql.QUARTER_FLUX_VALUES, params)
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
    in_quarter = _fetch(con, sql.QUARTER_ENTRIES, params, empty_as_frame=latest.empty)
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


# --------------------------------------------------------------------------------------------------
# Porteurs and partenaires
# --------------------------------------------------------------------------------------------------


@dataclass
class AssociationsView:
    porteurs: pd.DataFrame  # structure, fiches (count), porteur, co_porteur, liste
    partenaires: pd.DataFrame  # structure, fiches (count), liste
    liens: pd.DataFrame  # structure, fiche, role (porteur / co-porteur / partenaire)


def associations(ref: Reference, filters: Filters) -> AssociationsView:
    fiches = ref.fiches_for(filters)
    porteurs = ref.porteurs[ref.porteurs["fiche"].isin(fiches)]
    partenaires = ref.partenaires[ref.partenaires["fiche"].isin(fiches)]

    def listing(s: pd.Series) -> str:
        return ", ".join(str(int(n)) for n in sorted(set(s)))

    by_porteur = porteurs.groupby("structure").agg(
        fiches=("fiche", "nunique"),
        porteur=("role", lambda r: int((r == "porteur").sum())),
        co_porteur=("role", lambda r: int((r == "co-porteur").sum())),
        liste=("fiche", listing),
    ).reset_index().sort_values(["fiches", "structure"], ascending=[False, True])
    by_partner = partenaires.groupby("structure").agg(fiches=("fiche", "nunique"), liste=("fiche", listing))
    by_partner = by_partner.reset_index().sort_values(["fiches", "structure"], ascending=[False, True])
    liens = pd.concat([
        porteurs[["structure", "fiche", "role"]],
        partenaires.assign(role="partenaire")[["structure", "fiche", "role"]],
    ]).sort_values(["structure", "fiche"]).reset_index(drop=True)
    return AssociationsView(by_porteur.reset_index(drop=True), by_partner.reset_index(drop=True), liens)


# --------------------------------------------------------------------------------------------------
# One fiche
# --------------------------------------------------------------------------------------------------


@dataclass
class FicheView:
    fiche: dict[str, Any]
    porteurs: pd.DataFrame
    partenaires: pd.DataFrame
    moyens: pd.DataFrame
    mesures: IndicateursView  # the fiche's indicators, their series and latest values
    suivi: pd.DataFrame

    @property
    def liste_porteurs(self) -> list[Portage]:
        return [Portage(p.structure, p.role, p.niveau if isinstance(p.niveau, str) else None)
                for p in self.porteurs.itertuples()]

    @property
    def liste_partenaires(self) -> list[str]:
        return list(self.partenaires["structure"])

    @property
    def moyens_affiches(self) -> pd.DataFrame:
        """The resource lines in French words (rules.moyens_lisibles), headed by rules.MOYEN_COLUMNS."""
        return rules.moyens_lisibles(self.moyens)


class Portage(NamedTuple):
    structure: str
    role: str  # porteur or co-porteur
    niveau: str | None  # when the roadmap says at which level (local, régional…)


@consistent
def fiche(source: Reader | Entries, ref: Reference, numero: int) -> FicheView:
    found = ref.fiches[ref.fiches["numero"] == numero]
    if found.empty:
        raise LookupError(f"La fiche n°{numero} n'existe pas.")
    fiche_row = found.iloc[0]
    scope = Filters(axe=int(fiche_row["axe"]), objectif=str(fiche_row["objectif"]))
    view = indicateurs(source, ref, scope)
    mine = view.indicateurs["fiche"] == numero
    mesures = IndicateursView(
        indicateurs=view.indicateurs[mine].reset_index(drop=True),
        series=view.series[view.series["fiche"] == numero].reset_index(drop=True),
        completude=view.completude[view.completude["fiche"] == numero].reset_index(drop=True),
        dernieres=view.dernieres[view.dernieres["fiche"] == numero].reset_index(drop=True),
        periodes=view.periodes,
        exemples=view.exemples,
    )
    return FicheView(
        fiche=fiche_row.to_dict(),
        porteurs=ref.porteurs[ref.porteurs["fiche"] == numero].reset_index(drop=True),
        partenaires=ref.partenaires[ref.partenaires["fiche"] == numero].reset_index(drop=True),
        moyens=ref.moyens[ref.moyens["fiche"] == numero].reset_index(drop=True),
        mesures=mesures,
        suivi=entries_of(source).suivi(numero),
    )


# --------------------------------------------------------------------------------------------------
# Overview and points of attention
# --------------------------------------------------------------------------------------------------


SOUS_CIBLE_COLUMNS = ["indicateur", "fiche", "libelle", "valeur", "attendu", "cible", "cible_origine",
                      "cible_provenance"]


@dataclass
class Attention:
    sans_saisie: pd.DataFrame  # fiches with no entry in the quarter
    sous_cible: pd.DataFrame  # indicators behind their target trajectory (SOUS_CIBLE_COLUMNS): whose target it is
    en_baisse: pd.DataFrame  # stock indicators whose last value fell
    sans_porteur: list[int]
    sans_indicateur: list[int]
    sans_investissement_chiffre: list[int]  # the « non chiffrées » of the budget (rules.fiche_amounts)
    porteurs_sans_reponse: list[str]  # reponses.sans_reponse, or nobody when there is no quarter
    reponses: Reponses | None = None  # who answered for the quarter (None when no quarter has entries)

    @property
    def fiches_sans_saisie(self) -> list[FicheIntitulee]:
        return [FicheIntitulee(int(r.fiche), r.intitule) for r in self.sans_saisie.itertuples()]


class FicheIntitulee(NamedTuple):
    fiche: int
    intitule: str


@dataclass
class Headline:
    """The overview's headline figures and the budget behind them, without the quarter's details (completeness,
    latest values, points of attention): what a closure's page shows, from two small queries even when the quarter
    sits on a million values. The same figures as `overview` (tests/test_read_models.py checks it)."""

    periode: str | None
    nb_fiches: int
    budget_ponctuel: float  # one-off amounts (of which `budget_conditionnel` is conditional)
    budget_annuel: float  # « par an »
    budget_non_precise: float  # amounts whose period the roadmap does not give, never added to the others
    budget_conditionnel: float
    etp: float  # ETP counted (rules.etp_lines), of which `etp_partage` is also spent on other actions
    etp_partage: float
    indicateurs_total: int
    indicateurs_saisis: int
    budget: BudgetView
    charge: ChargeView
    axes: pd.DataFrame  # one row per axe in scope: code, libelle, objectifs and rules.axe_totals' columns

    @property
    def non_chiffrees(self) -> list[int]:
        """The fiches whose investment the roadmap does not quantify."""
        return [int(n) for n in self.budget.non_chiffrees["fiche"]]


@dataclass
class Overview(Headline):
    """The headline figures, and the quarter behind them: the axes' cards and the points of attention."""

    titre: str
    state: DataState
    saisis_par_axe: dict[int, tuple[int, int]]  # axe → (indicators with a value for the quarter, indicators)
    attention: Attention = field(repr=False)

    @property
    def cartes_axes(self) -> list[CarteAxe]:
        """One card per axe that has fiches in scope, in the axes' order."""
        return [CarteAxe(int(a.code), a.libelle, int(a.fiches), int(a.objectifs), float(a.ponctuel),
                         float(a.non_precise), int(a.non_chiffrees), float(a.etp), float(a.etp_partage),
                         *self.saisis_par_axe.get(int(a.code), (0, 0))) for a in self.axes.itertuples()]


class CarteAxe(NamedTuple):
    code: int
    libelle: str
    fiches: int
    objectifs: int
    budget: float  # one-off amounts
    non_precise: float  # amounts whose period the roadmap does not give
    non_chiffrees: int  # fiches without any amount
    etp: float
    etp_partage: float
    saisis: int  # indicators with a value for the quarter
    attendus: int


@consistent
def attention(
    source: Reader | Entries, ref: Reference, filters: Filters, periode: str | None,
) -> Attention:
    entries = entries_of(source)
    quarter = entries.quarter(ref, Filters(filters.axe, filters.objectif, filters.porteur, periode))
    answers = _reponses(entries, ref, ref.fiches_for(filters), periode, entries.state().exemples) if periode else None
    return _attention(quarter, answers, ref, filters, periode)


def _attention(quarter: Quarter, answers: Reponses | None, ref: Reference, filters: Filters,
               periode: str | None) -> Attention:
    fiches = ref.fiches_for(filters)
    view = quarter.view
    in_quarter = view.series  # the quarter's entries only
    reported = set(in_quarter["fiche"])
    expected = set(view.indicateurs["fiche"])
    sans_saisie = ref.fiches[ref.fiches["numero"].isin([f for f in fiches if f in expected and f not in reported])]
    sans_saisie = sans_saisie[["numero", "intitule"]].rename(columns={"numero": "fiche"}).reset_index(drop=True)

    # A target is due at the end of the roadmap (or its echeance); the trajectory is linear from its start. Only an
    # effective target counts (the text's or the coordination's, never a number inferred from the text), and the
    # list says whose it is.
    start = periodes.start(f"{int(ref.feuille_de_route['annee_debut'])}-T1")
    behind = []
    for row in view.dernieres.dropna(subset=["cible"]).itertuples():
        if periode is None or row.type not in ("nombre", "ratio"):
            continue
        due_year = int(row.echeance) if pd.notna(row.echeance) else int(ref.feuille_de_route["annee_fin"])
        due = date(due_year, 12, 31)
        now = periodes.start(periode)
        share = min(1.0, max(0.0, (now - start).days / max(1, (due - start).days)))
        expected_value = row.cible * share
        value = float(row.progression) if pd.notna(row.progression) else 0.0
        if value < expected_value:
            behind.append({"indicateur": row.code, "fiche": row.fiche, "libelle": row.libelle, "valeur": value,
                           "attendu": round(expected_value, 1), "cible": row.cible,
                           "cible_origine": row.cible_origine, "cible_provenance": row.cible_provenance})
    sous_cible = pd.DataFrame(behind, columns=SOUS_CIBLE_COLUMNS)

    carried = set(ref.porteurs["fiche"])
    with_indicator = set(ref.indicateurs["fiche"])
    amounts = rules.fiche_amounts(ref.moyens, fiches)
    return Attention(
        sans_saisie=sans_saisie,
        sous_cible=sous_cible,
        en_baisse=quarter.en_baisse,
        sans_porteur=[f for f in fiches if f not in carried],
        sans_indicateur=[f for f in fiches if f not in with_indicator],
        sans_investissement_chiffre=[int(n) for n in amounts.loc[amounts["chiffrage"] == rules.NON_CHIFFRE, "fiche"]],
        porteurs_sans_reponse=answers.sans_reponse if answers is not None else [],
        reponses=answers,
    )


@consistent
def headline(source: Reader | Entries, ref: Reference, filters: Filters) -> Headline:
    entries = entries_of(source)
    periode = entries.state().periode_courante(filters)
    fiches, _, _, figures = _key_figures(ref, filters)
    return Headline(
        periode=periode,
        indicateurs_total=int(ref.indicateurs["fiche"].isin(fiches).sum()),
        indicateurs_saisis=entries.indicateurs_saisis(ref, fiches, periode) if periode else 0,
        **figures,
    )


def _key_figures(ref: Reference, filters: Filters) -> tuple[list[int], BudgetView, ChargeView, dict[str, Any]]:
    """The fiches in scope, their budget and staffing, and the headline figures drawn from them, as keyword
    arguments of `Headline`: one computation, so that the overview and a closure's headline cannot differ."""
    fiches = ref.fiches_for(filters)
    money = budget(ref, filters, annees=1, structures=1, combine=False)
    staff = charge(ref, filters, capacite=None)
    figures = {
        "nb_fiches": len(fiches),
        "budget_ponctuel": money.somme("ponctuel"),
        "budget_annuel": money.somme("par_an"),
        "budget_non_precise": money.somme("non_precise"),
        "budget_conditionnel": money.somme("conditionnel"),
        "etp": staff.total,
        "etp_partage": staff.partage,
        "budget": money,
        "charge": staff,
        "axes": axes_totals(ref, money, staff),
    }
    return fiches, money, staff, figures


def axes_totals(ref: Reference, money: BudgetView, staff: ChargeView) -> pd.DataFrame:
    """The axes in scope with their totals (`rules.axe_totals`), their name and number of objectifs."""
    totals = rules.axe_totals(money.par_fiche, staff.par_fiche)
    objectifs = money.par_fiche.groupby("axe")["objectif"].nunique().rename("objectifs")
    named = ref.axes.rename(columns={"code": "axe"}).merge(totals, on="axe").merge(objectifs, left_on="axe",
                                                                                      right_index=True)
    return named.rename(columns={"axe": "code"}).reset_index(drop=True)


def headline_help(head: Headline, figure: str) -> str:
    """What a headline figure adds up, as its tooltip says it."""
    euros = formatting.euros
    if figure == "ponctuel":
        text = ("Somme des montants que la feuille de route donne une fois (un achat, une formation, une "
                "prestation).")
        if head.budget_conditionnel:
            text += f" Dont {euros(head.budget_conditionnel)} sous condition (« possibilité de… »)."
        return text + " Les autres montants sont tenus à part : voir la page Budget."
    if figure == "annuel":
        return "Montants que la feuille de route donne « par an » (à multiplier par le nombre d'années)."
    if figure == "non_precise":
        return ("Montants que la feuille de route donne sans dire s'ils sont dépensés une fois ou chaque année "
                "(réunions, évènement annuel, adhésion…) : jamais ajoutés aux montants ponctuels.")
    text = ("Équivalents temps plein que la feuille de route chiffre, hors ETP demandés à chaque structure "
            "partenaire.")
    if head.etp_partage:
        text += (f" Dont {formatting.etp(head.etp_partage)} également investis sur d'autres actions (la "
                 "feuille de route le précise) : pas propres à ces fiches.")
    return text


def carte_axe_text(axe: CarteAxe) -> str:
    """An axe's card on the overview, in Markdown lines (no user text in it)."""
    euros = formatting.euros
    lines = [f"{axe.fiches} fiches · {axe.objectifs} objectif(s)",
             f"{euros(axe.budget)} ponctuels · {formatting.etp(axe.etp)}"]
    if axe.non_precise:
        lines.append(f"{euros(axe.non_precise)} sans période précisée")
    if axe.non_chiffrees:
        lines.append(f"{axe.non_chiffrees} fiche(s) sans investissement chiffré")
    lines.append(f"Indicateurs renseignés : {axe.saisis} / {axe.attendus}")
    return "  \n".join(lines)


@consistent
def summary(con: Reader, ref: Reference | None = None) -> dict[str, Any]:
    """The headline figures of the roadmap, as `python -m lne_data summary --json` prints them: the very figures of
    the overview (`_key_figures`), by axe and by structure. `ref`: another version of the roadmap (lne_data.versions)
    than the one in force; the entries are the database's either way."""
    ref = ref if ref is not None else reference(con)
    fiches, money, staff, figures = _key_figures(ref, Filters())
    per_year = money.par_annee
    result_axes: dict[str, dict[str, Any]] = {}
    for axe in figures["axes"].itertuples():
        code = int(axe.code)
        result_axes[str(axe.libelle)] = {
            "fiches": [int(n) for n in money.par_fiche.loc[money.par_fiche["axe"] == code, "fiche"]],
            "objectifs": int((ref.objectifs["axe"] == code).sum()),
            "investissement_ponctuel_eur": float(axe.ponctuel),
            "investissement_ponctuel_sous_condition_eur": float(axe.conditionnel),
            "investissement_annuel_eur": float(axe.par_an),
            "investissement_par_annee_eur": {str(int(r.annee)): float(r.montant) for r in per_year.itertuples()
                                             if r.axe == code},
            "investissement_par_structure_partenaire_eur": float(axe.par_structure),
            "investissement_periode_non_precisee_eur": float(axe.non_precise),
            "fiches_non_chiffrees": int(axe.non_chiffrees),
            "etp": float(axe.etp),
            "etp_partage_avec_d_autres_actions": float(axe.etp_partage),
            "etp_par_structure_partenaire": float(axe.etp_par_structure),
        }
    porteurs = ref.porteurs.groupby("structure")["fiche"].agg(lambda s: sorted(int(n) for n in s))
    return {
        "fiches": len(fiches),
        "axes": result_axes,
        "porteurs": {str(k): v for k, v in sorted(porteurs.items())},
        "etp_par_structure": {str(r.structure): round(float(r.etp), 4)
                              for r in staff.par_structure.sort_values("structure").itertuples()},
        "fiches_non_chiffrees": [int(n) for n in money.non_chiffrees["fiche"]],
        "indicateurs": len(ref.indicateurs),
        "saisies": {periode: int(n) for periode, n in rows(con, sql.SAISIES_PAR_PERIODE)},
    }


@consistent
def overview(source: Reader | Entries, ref: Reference, filters: Filters) -> Overview:
    return _overview(entries_of(source), ref, filters)[0]


def _overview(entries: Entries, ref: Reference, filters: Filters) -> tuple[Overview, Quarter]:
    """The overview, and the quarter it was computed from (the meeting shows more of it)."""
    state = entries.state()
    periode = state.periode_courante(filters)
    fiches, money, staff, figures = _key_figures(ref, filters)
    quarter = entries.quarter(ref, Filters(filters.axe, filters.objectif, filters.porteur, periode))
    view = quarter.view
    in_quarter = view.series  # the quarter's entries only
    axe_of = ref.fiches.set_index("numero")["axe"]
    expected = view.indicateurs["fiche"].map(axe_of).value_counts()
    reported = view.indicateurs.loc[view.indicateurs["code"].isin(in_quarter["indicateur"]), "fiche"].map(axe_of)
    reported = reported.value_counts()
    return Overview(
        titre=str(ref.feuille_de_route["titre"]),
        periode=periode,
        **figures,
        indicateurs_total=len(view.indicateurs),
        indicateurs_saisis=int(in_quarter["indicateur"].nunique()),
        state=state,
        saisis_par_axe={int(a): (int(reported.get(a, 0)), int(expected.get(a, 0))) for a in figures["axes"]["code"]},
        attention=_attention(quarter, _reponses(entries, ref, fiches, periode, state.exemples) if periode else None,
                             ref, filters, periode),
    ), quarter


@dataclass
class Reponses:
    """Which porteurs answered for a quarter: the one definition behind the Saisie page's « Qui a répondu ? », the
    overview's, the meeting's and the report's « Porteurs sans réponse ».

    A porteur has answered when at least one fiche it carries or co-carries has a real entry for the quarter: a value
    of one of its indicators or its follow-up (statut, météo…), as `sql.FICHES_RENSEIGNEES` selects them. Example
    entries are fictitious: they are nobody's answer, and while they are loaded every screen says so (`resume`).
    """

    periode: str
    table: pd.DataFrame  # porteur, fiches, fiches_renseignees, fiches_attendues, a_repondu; those without answer first
    exemples: bool  # example entries are loaded

    @property
    def sans_reponse(self) -> list[str]:
        """The porteurs who have not answered, alphabetically."""
        return sorted(self.table.loc[~self.table["a_repondu"], "porteur"])

    @property
    def resume(self) -> str:
        """« 3 porteurs sur 9 ont répondu pour T3 2026. », and why examples do not count while they are loaded."""
        answered, total = int(self.table["a_repondu"].sum()), len(self.table)
        said = (f"{answered} porteur{'s' if answered > 1 else ''} sur {total} "
                f"{'ont' if answered > 1 else 'a'} répondu pour {periodes.label(self.periode)}")
        if self.exemples:
            said += " : les données d'exemple chargées sont fictives et ne sont la réponse d'aucun porteur"
        return said + "."


REPONSES_COLUMNS = ["porteur", "fiches", "fiches_renseignees", "fiches_attendues", "a_repondu"]


def _reponses(entries: Entries, ref: Reference, fiches: list[int], periode: str, exemples: bool) -> Reponses:
    """Who answered for `periode` among the porteurs of `fiches` (their fiches in that scope only)."""
    answered = entries.fiches_renseignees(ref, fiches, periode)
    carried = ref.porteurs[ref.porteurs["fiche"].isin(fiches)]
    rows_ = []
    for structure, group in carried.groupby("structure"):
        mine = sorted({int(n) for n in group["fiche"]})
        done = [n for n in mine if n in answered]
        rows_.append({"porteur": structure, "fiches": ", ".join(map(str, mine)), "fiches_renseignees": len(done),
                      "fiches_attendues": len(mine), "a_repondu": bool(done)})
    table = pd.DataFrame(rows_, columns=REPONSES_COLUMNS).astype({"a_repondu": bool})
    return Reponses(periode, table.sort_values(["a_repondu", "porteur"]).reset_index(drop=True), exemples)


@consistent
def reponses(source: Reader | Entries, ref: Reference, periode: str) -> Reponses:
    """Who answered for the quarter, among the porteurs of every fiche."""
    entries = entries_of(source)
    return _reponses(entries, ref, ref.fiches_for(Filters()), periode, entries.state().exemples)


# --------------------------------------------------------------------------------------------------
# Mode réunion: the quarter one screen at a time
# --------------------------------------------------------------------------------------------------


# A meeting screen is read on a 1280×720 projector from the back of the room: type of 20 px at least, nothing to
# scroll. An axe's fiches are a table of these columns (header, share of the width, characters a line holds at
# that size); an axe with more lines than a screen holds goes over several screens, « 1/2 », « 2/2 ».
MEETING_COLUMNS: list[tuple[str, str, float, int]] = [
    ("fiche", "N°", 0.06, 4),
    ("intitule", "Fiche action", 0.44, 46),
    ("porteurs", "Porteur(s)", 0.24, 24),
    ("meteo", "Météo", 0.14, 14),
    ("indicateurs", "Indicateurs", 0.12, 12),
]
# Height of the table body a screen holds under its header, and of a row of n lines, in pixels, as Chromium draws
# figures.meeting_fiches at 20 px (measured: 38 px a line, 26 px each further line; the test checks nothing is cut).
MEETING_ROWS_PX = 390
MEETING_CELL_LINES = 3  # a longer cell is cut with « … » (the Fiche page and the reports have the whole text)
MEETING_QUARTERS = 4  # time series show the last four quarters
MEETING_NAMES = 2  # porteurs named on the meeting's points of attention (one line)
MEETING_LISTED = 3  # rows of a list of points of attention on the meeting's screen; the report has all


def chiffres_cles(head: Headline, attention: Attention | None, periode: str | None) -> list[tuple[str, str]]:
    """The quarter in key figures, as (figure, what it counts): the headline's, and who answered and how many
    indicators are behind their trajectory. The meeting's first screen, the deck's and the note au comité's."""
    quarter = periodes.label(periode) if periode else "aucun trimestre saisi"
    figures = [
        (str(head.nb_fiches), "fiches action"),
        (formatting.euros(head.budget_ponctuel), "d'investissement ponctuel chiffré"),
        (formatting.etp(head.etp), "chiffrés"),
        (f"{head.indicateurs_saisis} / {head.indicateurs_total}", f"indicateurs renseignés en {quarter}"),
    ]
    if attention is not None and attention.reponses is not None:
        table = attention.reponses.table
        figures.append((f"{int(table['a_repondu'].sum())} / {len(table)}", "porteurs ont répondu"))
    if attention is not None:
        figures.append((str(len(attention.sous_cible)), "indicateurs en retard sur leur trajectoire"))
    return figures


def meeting_lines(text: str, chars: int) -> list[str]:
    """A cell's text in the lines the meeting's table shows: wrapped on words at `chars`, at most
    MEETING_CELL_LINES lines, the last cut with « … » when the text is longer."""
    import textwrap

    lines = textwrap.wrap(str(text), chars, break_long_words=True) or [""]
    if len(lines) > MEETING_CELL_LINES:
        lines = lines[:MEETING_CELL_LINES]
        lines[-1] = lines[-1][: chars - 1].rstrip() + "…"
    return lines


def _cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _row_px(row: pd.Series) -> int:
    return 12 + 26 * max(len(meeting_lines(row[name], chars)) for name, _, _, chars in MEETING_COLUMNS)


@dataclass
class MeetingView:
    overview: Overview
    budget: BudgetView
    charge: ChargeView
    indicateurs: IndicateursView  # of the quarter shown; its `series` holds that quarter's entries only
    fiches_par_axe: dict[int, pd.DataFrame]  # per axe: fiche, intitule, porteurs, statut, meteo, saisis/attendus
    steps: list[tuple[str, str, int | None]]  # (title, kind, axe)
    pages: list[tuple[int, int, slice | None]] = field(default_factory=list)  # per step: page, pages, rows shown
    completude_axes: pd.DataFrame | None = None  # axe, libelle, periode, saisis, attendus, part: last 4 quarters

    @property
    def chiffres(self) -> list[tuple[str, str]]:
        return chiffres_cles(self.overview, self.overview.attention, self.overview.periode)

    @property
    def retards(self) -> tuple[list[list[str]], int]:
        """The first MEETING_LISTED indicators behind their trajectory as the meeting lists them, and how many
        others there are."""
        late = self.overview.attention.sous_cible
        rows_ = [[str(r.indicateur), str(int(r.fiche)), _cut(str(r.libelle), 44),
                  f"{formatting.number(r.valeur, 2)} / {formatting.number(r.attendu, 1)}",
                  formatting.number(r.cible, 2)] for r in late.head(MEETING_LISTED).itertuples()]
        return rows_, max(0, len(late) - MEETING_LISTED)

    @property
    def sans_reponse(self) -> str:
        """« Sans réponse : A, B et 12 autres »: at most MEETING_NAMES names, one line of the screen."""
        names = self.overview.attention.porteurs_sans_reponse
        if not names:
            return ""
        shown = ", ".join(_cut(n, 32) for n in names[:MEETING_NAMES])
        others = len(names) - MEETING_NAMES
        return f"Sans réponse : {shown}" + (f" et {others} autres" if others > 0 else "")

    def ecran(self, numero: int) -> Ecran:
        """Screen `numero`, counted from 1 as the meeting shows it, with the fiches it lists if it is an axe's."""
        titre, kind, axe = self.steps[numero - 1]
        page, pages, rows_ = self.pages[numero - 1] if self.pages else (1, 1, None)
        fiches = None
        if axe is not None:
            fiches = self.fiches_par_axe[axe]
            if rows_ is not None and pages > 1:
                fiches = fiches.iloc[rows_].reset_index(drop=True)
        if pages > 1:
            titre = f"{titre} ({page}/{pages})"
        return Ecran(titre, kind, axe, fiches, page, pages)


class Ecran(NamedTuple):
    titre: str
    kind: str  # overview, axe, budget, rh, indicateurs or attention
    axe: int | None
    fiches: pd.DataFrame | None  # on an axe's screen: the fiches it shows (fiches_par_axe, or a part of it)
    page: int = 1  # of an axe's screens, « 1/2 »
    pages: int = 1


def _meeting_pages(table: pd.DataFrame) -> list[slice]:
    """The fiches of an axe in screens of at most MEETING_ROWS_PX of rows, in order."""
    pages: list[slice] = []
    start, used = 0, 0
    for index, (_, row) in enumerate(table.iterrows()):
        height = _row_px(row)
        if index > start and used + height > MEETING_ROWS_PX:
            pages.append(slice(start, index))
            start, used = index, 0
        used += height
    pages.append(slice(start, len(table)))
    return pages


def _completude_axes(view: IndicateursView, ref: Reference, periode: str | None) -> pd.DataFrame:
    """Per axe and for the last MEETING_QUARTERS quarters up to `periode`: indicators reported over expected."""
    columns = ["axe", "libelle", "periode", "saisis", "attendus", "part"]
    grid = view.completude
    if grid.empty or periode is None:
        return pd.DataFrame(columns=columns)
    shown = [p for p in ref.periodes() if p <= periode][-MEETING_QUARTERS:]
    grid = grid[grid["periode"].isin(shown)]
    axe_of = ref.fiches.set_index("numero")["axe"]
    totals = grid.assign(axe=grid["fiche"].map(axe_of)).groupby(["axe", "periode"], as_index=False)[
        ["saisis", "attendus"]].sum()
    totals["part"] = (totals["saisis"] / totals["attendus"].where(totals["attendus"] > 0)).fillna(0.0)
    totals["libelle"] = totals["axe"].map(lambda a: ref.axe_label(int(a)))
    return totals[columns].sort_values(["axe", "periode"]).reset_index(drop=True)


@consistent
def meeting(source: Reader | Entries, ref: Reference, filters: Filters) -> MeetingView:
    entries = entries_of(source)
    over, quarter = _overview(entries, ref, filters)
    periode = over.periode
    inds = quarter.view
    in_quarter = inds.series  # the quarter's entries only
    reported = in_quarter.groupby("fiche")["indicateur"].nunique()
    expected = inds.indicateurs.groupby("fiche").size()
    # One query for the quarter's statuses rather than one per fiche (a national roadmap has 1 300 fiches).
    of_quarter = entries.suivi_periode(periode) if periode else None
    found = ({} if of_quarter is None else
             {int(n): (None if pd.isna(statut) else statut, None if pd.isna(meteo) else meteo) for n, statut, meteo
              in zip(of_quarter["fiche"], of_quarter["statut"], of_quarter["meteo"])})
    suivis = []
    for numero in ref.fiches_for(filters):
        statut, meteo = found.get(numero, (None, None))
        suivis.append({"fiche": numero, "statut": statut, "meteo": meteo})
    suivi = pd.DataFrame(suivis, columns=["fiche", "statut", "meteo"])
    owners = ref.porteurs.groupby("fiche")["structure"].agg(lambda s: ", ".join(s))
    per_axe: dict[int, pd.DataFrame] = {}
    for axe in over.axes["code"] if not over.axes.empty else []:
        fiches = ref.fiches[(ref.fiches["axe"] == axe) & ref.fiches["numero"].isin(ref.fiches_for(filters))]
        table = fiches[["numero", "intitule"]].rename(columns={"numero": "fiche"}).merge(suivi, on="fiche", how="left")
        table["porteurs"] = table["fiche"].map(owners).fillna("aucun porteur")
        table["meteo"] = table["meteo"].map(rules.meteo_affichee)
        table["indicateurs"] = [f"{int(reported.get(n, 0))} / {int(expected.get(n, 0))}" for n in table["fiche"]]
        per_axe[int(axe)] = table.reset_index(drop=True)
    steps: list[tuple[str, str, int | None]] = [("Vue d'ensemble", "overview", None)]
    pages: list[tuple[int, int, slice | None]] = [(1, 1, None)]
    for a in over.axes.itertuples():
        parts = _meeting_pages(per_axe[int(a.code)])
        for number, part in enumerate(parts, 1):
            steps.append((f"Axe {int(a.code)} — {_cut(str(a.libelle), 48)}", "axe", int(a.code)))
            pages.append((number, len(parts), part))
    steps += [("Budget par axe", "budget", None), ("Charge RH", "rh", None),
              ("Indicateurs renseignés, derniers trimestres", "indicateurs", None),
              ("Points d'attention", "attention", None)]
    pages += [(1, 1, None)] * 4
    return MeetingView(
        overview=over,
        budget=over.budget,
        charge=over.charge,
        indicateurs=inds,
        fiches_par_axe=per_axe,
        steps=steps,
        pages=pages,
        completude_axes=_completude_axes(inds, ref, periode),
    )


# --------------------------------------------------------------------------------------------------
# Registers: the imports and the closed quarters, latest first
# --------------------------------------------------------------------------------------------------


@dataclass
class ImportsView:
    table: pd.DataFrame  # columns of sql.IMPORTS, latest first

    @property
    def numeros(self) -> list[int]:
        return [int(n) for n in self.table["id"]]

    def annule(self, numero: int) -> bool:
        """Whether import `numero` was undone already (it cannot be undone twice)."""
        found = self.table.loc[self.table["id"] == numero, "annule_le"]
        return not found.empty and not pd.isna(found.iloc[0])


@dataclass
class CiblesView:
    table: pd.DataFrame  # columns of sql.CIBLES_HISTORIQUE, latest first

    @property
    def annulables(self) -> dict[int, str]:
        """The decisions not undone yet, number → label: the ones the coordination can undo."""
        open_ = self.table[self.table["annulee_le"].isna()]
        return {int(r.id): (f"Décision n°{int(r.id)} — {r.indicateur} : "
                            + ("cible retirée" if pd.isna(r.cible) else f"cible {formatting.number(float(r.cible), 2)}")
                            + f" ({r.auteur}, {cibles.date_longue(r.fixee_le)})") for r in open_.itertuples()}


@dataclass
class CloturesView:
    table: pd.DataFrame  # columns of sql.CLOTURES, latest first

    @property
    def numeros(self) -> list[int]:
        return [int(n) for n in self.table["id"]]

    def autres(self, numero: int) -> list[int]:
        """The closures a closure can be compared with: every other one, latest first."""
        return [n for n in self.numeros if n != numero]

    @property
    def lignes(self) -> pd.DataFrame:
        """The register as read on screen: « T3 2026 », « 14 octobre 2026 », « 2 décembre 2026 à 15 h 47 », who
        closed it, and whether it froze example data."""
        t = self.table
        return pd.DataFrame({
            "id": t["id"].astype(int),
            "periode": t["periode"].map(periodes.label),
            "comite_le": t["comite_le"].map(cibles.date_longue),
            "reference": t["reference"],
            "cloture_le": t["cloture_le"].map(lambda m: f"{cibles.date_longue(m)} à {pd.Timestamp(m):%H} h "
                                                        f"{pd.Timestamp(m):%M}"),
            "cloture_par": t["cloture_par"],
            "exemple": t["exemple"].map(lambda e: "oui (valeurs fictives)" if e else "non"),
        }, columns=["id", "periode", "comite_le", "reference", "cloture_le", "cloture_par", "exemple"])

    def libelle(self, numero: int) -> str:
        """« Clôture n°3 — T3 2026, Comité syndical du 14/10/2026 », and « (données d'exemple) » when it is."""
        row = self.table[self.table["id"] == numero].iloc[0]
        return (f"Clôture n°{numero} — {periodes.label(row['periode'])}, {row['reference']}"
                + (" (données d'exemple)" if bool(row.get("exemple", False)) else ""))
