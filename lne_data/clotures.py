"""Clôture de trimestre: the figures exactly as presented to a comité syndical, frozen, and compared.

Closing a quarter copies, in one transaction, the référentiel and every entry up to that quarter. A frozen
quarter is then shown through the same read models as the live data (`views.FrozenEntries`), so that it
looks like the dashboard did on the day, whatever was imported or corrected since.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from typing import Any

import duckdb
import pandas as pd

from . import cibles, db, formatting, periodes, sql, views
from .problems import NotFound, Problem, RejectedInput, quote
from .queries import frame, rows, snapshot

# What a comparison of two states checks per fiche: its cash by period (rules) and its ETP counted.
MONEY_COMPARED = ["ponctuel", "par_an", "non_precise", "etp"]
# What a comparison checks of the execution declared (sheet « Dépenses »), per fiche, up to the closure's quarter.
DEPENSES_COMPARED = ["engage", "paye"]
DEPENSES_COMPARED_COLUMNS = ["fiche", "engage_avant", "engage_apres", "paye_avant", "paye_apres"]
REFERENCE_TABLES = ("axes", "objectifs", "fiches", "porteurs", "partenaires", "moyens", "indicateurs", "structures")


@dataclass
class Closure:
    """A quarter as presented: its reference, its entries; `meta` is None for the live data."""

    periode: str
    ref: views.Reference
    entries: views.FrozenEntries
    meta: dict[str, Any] | None
    saisis_par: pd.DataFrame | None = None  # indicateur, saisi_par of the quarter (None: frozen before it was kept)

    @property
    def label(self) -> str:
        if self.meta is None:
            return f"données actuelles ({periodes.label(self.periode)})"
        return (f"clôture n°{self.meta['id']} — {periodes.label(self.periode)}, comité du "
                f"{cibles.date_longue(self.meta['comite_le'])} ({self.meta['reference']}), clôturé le "
                f"{cibles.date_longue(self.meta['cloture_le'])} par {self.meta['cloture_par']}"
                + (f", feuille de route {self.version}" if self.version else "")
                + (" — données d'exemple" if self.entries.state().exemples else ""))

    @property
    def version(self) -> str | None:
        """The version of the roadmap the quarter was presented with (« version n°2 — … »); None for a closure made
        before versions existed."""
        numero = self.ref.feuille_de_route.get("version_numero")
        if numero is None or pd.isna(numero):
            return None
        return versions_label(numero, self.ref.feuille_de_route)


def versions_label(numero: Any, fdr: dict[str, Any]) -> str:
    adopted = fdr.get("version_adoptee_le")
    text = f"version n°{int(numero)}" + (f" — {fdr['version']}" if isinstance(fdr.get("version"), str) else "")
    return text + (f", adoptée le {pd.Timestamp(adopted):%d/%m/%Y}" if adopted is not None and not pd.isna(adopted)
                   else "")


def _frames(con: duckdb.DuckDBPyConnection, periode: str) -> dict[str, pd.DataFrame]:
    ref = views.reference(con)
    frames = {name: getattr(ref, name) for name in REFERENCE_TABLES}
    # The version in force is frozen with the figures: a closure says which roadmap it was presented with.
    current = rows(con, sql.VERSION_EN_VIGUEUR)
    frames["feuille_de_route"] = pd.DataFrame([{**ref.feuille_de_route,
                                                "version_numero": int(current[0][0]) if current else None,
                                                "version_adoptee_le": current[0][2] if current else None}])
    frames["saisies"] = frame(con, sql.SERIES_JUSQUA, {"periode": periode})
    frames["suivi"] = frame(con, sql.SUIVI_JUSQUA, {"periode": periode})
    # The execution (sheet « Dépenses ») as presented: engagé, payé, ETP mobilisés and financements up to the quarter.
    frames["depenses"] = frame(con, sql.DEPENSES_JUSQUA, {"periode": periode})
    # Who typed each value of the quarter: the closure's report says it, as today's does.
    frames["saisis_par"] = frame(con, sql.SAISIS_PAR_PERIODE, {"periode": periode})
    return frames


def _parquet(df: pd.DataFrame) -> bytes:
    buffer = BytesIO()
    df.to_parquet(buffer, index=False)
    return buffer.getvalue()


def close_quarter(
    con: duckdb.DuckDBPyConnection, periode: str, *, comite_le: date, reference: str, auteur: str
) -> int:
    parsed = periodes.parse(periode)
    if parsed is None:
        raise RejectedInput([Problem("cloture-periode-invalide",
                                     f"{quote(periode)} n'est pas une période : écrivez par exemple 2025-T3.")])
    if not reference.strip():
        raise RejectedInput([Problem("cloture-reference-manquante",
                                     "Indiquez la référence de la réunion (par exemple « Comité syndical n°4 »).")])
    if not auteur.strip():
        raise RejectedInput([Problem("cloture-auteur-manquant",
                                     "Indiquez votre nom : la clôture dit qui l'a faite.")])
    with db.transaction(con) as cur:
        # Read inside the write lock so that no import slips between the frozen tables.
        frames = _frames(cur, parsed)
        if frames["saisies"]["exemple"].any() or frames["suivi"]["exemple"].any():
            # Marks the closure as one of example data in every list (sql.CLOTURES), without a schema change.
            frames["exemples"] = pd.DataFrame({"exemple": [True]})
        closure_id = int(cur.execute(sql.NEXT_CLOTURE_ID).fetchall()[0][0])
        cur.execute(sql.INSERT_CLOTURE, {"id": closure_id, "periode": parsed, "comite_le": comite_le,
                                         "reference": reference.strip(), "cloture_par": auteur.strip()})
        for name, df in frames.items():
            cur.execute(sql.INSERT_CLOTURE_DONNEES, {"cloture_id": closure_id, "nom": name, "donnees": _parquet(df)})
    return closure_id


def closures(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return frame(con, sql.CLOTURES)


def _closure(frames: dict[str, pd.DataFrame], periode: str, meta: dict[str, Any] | None) -> Closure:
    # A closure frozen before targets had an origin lacks those columns: its targets are said of unknown origin.
    frames = {**frames, "indicateurs": cibles.tolerate_old(frames["indicateurs"])}
    ref = views.Reference(feuille_de_route=frames["feuille_de_route"].iloc[0].to_dict(),
                          **{name: frames[name] for name in REFERENCE_TABLES})
    saisies = frames["saisies"]
    state = views.DataState(
        exemples=bool(saisies["exemple"].any()) if not saisies.empty else False,
        periodes_saisies=sorted(saisies["periode"].unique().tolist()),
        dernier_import=pd.Timestamp(meta["cloture_le"]) if meta else None,
        dernier_import_auteur=meta["cloture_par"] if meta else None,
    )
    entries = views.FrozenEntries(saisies, frames["suivi"], state, frames.get("depenses"))
    return Closure(periode, ref, entries, meta, frames.get("saisis_par"))


def load_closure(con: duckdb.DuckDBPyConnection, closure_id: int) -> Closure:
    meta = frame(con, sql.CLOTURE, [closure_id])
    if meta.empty:
        raise NotFound(f"La clôture n°{closure_id} n'existe pas.")
    frames = {name: pd.read_parquet(BytesIO(data)) for name, data in rows(con, sql.CLOTURE_DONNEES, [closure_id])}
    info = meta.iloc[0].to_dict()
    return _closure(frames, info["periode"], info)


def live(con: duckdb.DuckDBPyConnection, periode: str) -> Closure:
    """The live data up to `periode`, in the same shape as a closure. Reads every value into pandas (a million at
    national scale): the page compares a closure with today through `compare_with_live` instead."""
    return _closure(_frames(con, periode), periode, None)


@dataclass
class Comparison:
    valeurs: pd.DataFrame  # indicateur, fiche, periode, avant, apres (values that differ or appeared/disappeared)
    statuts: pd.DataFrame  # fiche, periode, statut/météo before and after
    budgets: pd.DataFrame  # fiche, investment (one-off, yearly) and ETP before and after, where they differ
    # fiche, engage/paye before and after (NaN: nothing declared), where the dépenses declared up to the quarter
    # differ; empty when one side is a closure made before the dépenses were frozen (`depenses_comparees` False)
    depenses: pd.DataFrame = field(default_factory=lambda: _typed_depenses(pd.DataFrame(
        columns=DEPENSES_COMPARED_COLUMNS)))
    depenses_comparees: bool = True

    @property
    def empty(self) -> bool:
        return self.valeurs.empty and self.statuts.empty and self.budgets.empty and self.depenses.empty

    @property
    def depenses_affichees(self) -> pd.DataFrame:
        """`depenses` as screens write amounts declared: « 1 200 € », « non déclaré »."""
        amounts = [c for c in DEPENSES_COMPARED_COLUMNS if c != "fiche"]
        return self.depenses.assign(**{c: [formatting.declared_euros(v) for v in self.depenses[c]]
                                       for c in amounts})


def _value(row: pd.Series, prefix: str) -> Any:
    text = row.get(f"valeur_texte_{prefix}")
    return text if isinstance(text, str) else row.get(f"valeur_{prefix}")


def compare(before: Closure, after: Closure) -> Comparison:
    """What changed between two states of the roadmap: values, statuses, budgets and staffing.

    A value differs when its number or its text does (a missing number and NaN are the same: pandas' rule, which
    this comparison first followed); a value present on one side only differs unless it is empty.
    """
    # DuckDB compares the two closures where they are (two frames of a million rows at national scale).
    cur = views.frames_cursor()
    try:
        cur.register("cloture_avant", before.entries.saisies)
        cur.register("cloture_apres", after.entries.saisies)
        changed = _differences(cur, sql.VALEURS_DIFFERENTES)
    finally:
        cur.close()
    return _comparison(changed, before, after.entries.suivis, after.ref,
                       after.entries.depenses(before.periode))


def compare_with_live(
    con: duckdb.DuckDBPyConnection, before: Closure, ref: views.Reference | None = None
) -> Comparison:
    """`compare(before, live(con, before.periode))`, without reading every value up to that quarter into pandas:
    DuckDB compares the closure with the live table and returns the values that differ. `ref` is today's
    référentiel when the caller has it already."""
    with snapshot(con) as snap:
        snap.cur.register("cloture_avant", before.entries.saisies)
        try:
            changed = _differences(snap.cur, sql.VALEURS_DIFFERENTES_ACTUELLES, {"periode": before.periode})
        finally:
            snap.cur.unregister("cloture_avant")
        suivis = frame(snap, sql.SUIVI_JUSQUA, {"periode": before.periode})
        current = ref if ref is not None else views.reference(snap)
        depenses = views.entries_of(snap).depenses(before.periode)
    return _comparison(changed, before, suivis, current, depenses)


def _differences(cur: duckdb.DuckDBPyConnection, statement: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """The values that differ, through Arrow: typed as pandas types the merged frames, texts as `str` even when no
    value differs (`.df()` gives objects then)."""
    return cur.sql(statement, params=params).to_arrow_table().to_pandas()


def _typed_depenses(table: pd.DataFrame) -> pd.DataFrame:
    return table.astype({"fiche": "int64", **dict.fromkeys(DEPENSES_COMPARED_COLUMNS[1:], "float64")})


def _depenses_per_fiche(depenses: pd.DataFrame) -> pd.DataFrame:
    """Engagé and payé declared per fiche; NaN (nothing declared), never 0, where no row gives the figure."""
    if depenses.empty:
        return pd.DataFrame(columns=DEPENSES_COMPARED, index=pd.Index([], name="fiche"), dtype="float64")
    figures = depenses.assign(**{c: pd.to_numeric(depenses[c]) for c in DEPENSES_COMPARED})
    return figures.groupby("fiche")[DEPENSES_COMPARED].sum(min_count=1)


def _depenses_differences(before: pd.DataFrame | None, after: pd.DataFrame | None) -> pd.DataFrame | None:
    """The fiches whose engagé or payé declared differ (a figure declared on one side only differs); None when
    either side was frozen before the dépenses were."""
    if before is None or after is None:
        return None
    m = _depenses_per_fiche(before).join(_depenses_per_fiche(after), how="outer", suffixes=("_avant", "_apres"))
    changed = pd.Series(False, index=m.index)
    for column in DEPENSES_COMPARED:
        a, b = m[f"{column}_avant"], m[f"{column}_apres"]
        changed |= ((a - b).abs() > 1e-9) | (a.isna() != b.isna())
    return _typed_depenses(m[changed].reset_index().reindex(columns=DEPENSES_COMPARED_COLUMNS))


def _comparison(changed: pd.DataFrame, before: Closure, suivis: pd.DataFrame, ref: views.Reference,
                depenses: pd.DataFrame | None = None) -> Comparison:
    """The comparison of `before` with another state: its values that differ (`changed`: the columns of
    sql.VALEURS_DIFFERENTES), its statuses (`suivis`), its référentiel (`ref`) and its dépenses declared up to
    `before`'s quarter (`depenses`; None for a closure that did not freeze them)."""
    keys = ["indicateur", "fiche", "periode"]
    changed["avant"] = changed.apply(lambda r: _value(r, "avant"), axis=1) if not changed.empty else None
    changed["apres"] = changed.apply(lambda r: _value(r, "apres"), axis=1) if not changed.empty else None
    valeurs = changed.reindex(columns=[*keys, "avant", "apres"]).sort_values(keys).reset_index(drop=True)

    suivi_keys = ["fiche", "periode"]
    s = before.entries.suivis.merge(suivis, on=suivi_keys, how="outer", suffixes=("_avant", "_apres"))
    moved = pd.Series(False, index=s.index)
    for column in ("statut", "meteo"):
        a, b = s[f"{column}_avant"], s[f"{column}_apres"]
        moved |= a.ne(b) & ~(a.isna() & b.isna())
    statuts = s[moved].reindex(columns=[*suivi_keys, "statut_avant", "statut_apres", "meteo_avant", "meteo_apres"])

    def money(ref: views.Reference) -> pd.DataFrame:
        spent = views.budget(ref, views.Filters()).par_fiche
        staff = views.charge(ref, views.Filters(), capacite=None).comptees.groupby("fiche")["etp"].sum()
        out = spent.set_index("fiche")[MONEY_COMPARED[:-1]]
        out["etp"] = staff
        return out.fillna({"etp": 0.0})

    # A fiche « non chiffrée » (NaN) on both sides has not changed; on one side only, it has.
    m = money(before.ref).join(money(ref), how="outer", suffixes=("_avant", "_apres"))
    changed_money = pd.Series(False, index=m.index)
    for column in MONEY_COMPARED:
        a, b = m[f"{column}_avant"], m[f"{column}_apres"]
        changed_money |= ((a - b).abs() > 1e-9) | (a.isna() != b.isna())
    budgets = m[changed_money].reset_index().rename(columns={"index": "fiche"})
    spent = _depenses_differences(before.entries.depenses(before.periode), depenses)
    if spent is None:
        return Comparison(valeurs, statuts.reset_index(drop=True), budgets, depenses_comparees=False)
    return Comparison(valeurs, statuts.reset_index(drop=True), budgets, spent)
