"""What each page shows, computed without Streamlit: one function per page, returning plain data.

Pages call exactly one of these (through the cached wrappers of `lne_data.ui`) and hand the result to
`lne_data.figures`. Filters (axe, objectif, porteur, période) narrow the set of fiches the same way on
every page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import duckdb
import pandas as pd

from . import periodes, sql
from .queries import NON_ATTRIBUE, Reader, Snapshot, consistent, frame, rows


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
        indicateurs=frame(con, sql.INDICATEURS),
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

    def state(self) -> DataState: ...


@dataclass
class LiveEntries:
    con: Reader

    def series(self, fiches: list[int]) -> pd.DataFrame:
        return frame(self.con, sql.SERIES_FICHES, {"fiches": fiches})

    def suivi(self, fiche: int) -> pd.DataFrame:
        return frame(self.con, sql.SUIVI_FICHE, {"fiche": fiche})

    def state(self) -> DataState:
        return data_state(self.con)


@dataclass
class FrozenEntries:
    saisies: pd.DataFrame  # columns of sql.SERIES_FICHES
    suivis: pd.DataFrame  # columns of sql.SUIVI_FICHES
    frozen_state: DataState

    def series(self, fiches: list[int]) -> pd.DataFrame:
        return self.saisies[self.saisies["fiche"].isin(fiches)].reset_index(drop=True)

    def suivi(self, fiche: int) -> pd.DataFrame:
        rows_ = self.suivis[self.suivis["fiche"] == fiche].drop(columns=["fiche", "import_id"], errors="ignore")
        return rows_.sort_values("periode", ascending=False).reset_index(drop=True)

    def state(self) -> DataState:
        return self.frozen_state


def entries_of(source: Reader | Entries) -> Entries:
    return LiveEntries(source) if isinstance(source, (duckdb.DuckDBPyConnection, Snapshot)) else source


# --------------------------------------------------------------------------------------------------
# Budget
# --------------------------------------------------------------------------------------------------

CASH = ("investissement", "charge")


@dataclass
class BudgetView:
    par_fiche: pd.DataFrame  # one row per fiche: axe, objectif, ponctuel, annuel, par_structure, par_annee, total
    non_chiffrees: pd.DataFrame  # fiche, intitule, libelle, source
    lignes: pd.DataFrame  # every cash line, for the data table
    annees: int
    structures: int
    combine: bool

    def total(self) -> float:
        return float(self.par_fiche["total"].sum())


def budget(ref: Reference, filters: Filters, *, annees: int, structures: int, combine: bool) -> BudgetView:
    """Investment per fiche. `combine` adds the yearly amounts × `annees` and per-structure amounts ×
    `structures` to the one-off ones; otherwise the total counts one-off amounts only."""
    fiches = ref.fiches[ref.fiches["numero"].isin(ref.fiches_for(filters))]
    cash = ref.moyens[ref.moyens["nature"].isin(CASH) & ref.moyens["fiche"].isin(fiches["numero"])]
    quantified = cash[cash["quantifie"]]

    def amount(kind: str) -> pd.Series:
        return quantified[quantified["periodicite"] == kind].groupby("fiche")["montant"].sum()

    table = fiches[["numero", "intitule", "axe", "axe_libelle", "objectif", "objectif_libelle"]].copy()
    table = table.rename(columns={"numero": "fiche"}).set_index("fiche")
    table["ponctuel"] = amount("ponctuel")
    table["par_an"] = amount("par an")
    table["par_structure"] = amount("par structure")
    table["par_annee"] = amount("annee")
    table = table.fillna({"ponctuel": 0.0, "par_an": 0.0, "par_structure": 0.0, "par_annee": 0.0})
    if combine:
        table["total"] = (
            table["ponctuel"] + table["par_an"] * annees + table["par_structure"] * structures + table["par_annee"]
        )
    else:
        table["total"] = table["ponctuel"]
    chiffrees = set(quantified["fiche"])
    wording = cash.groupby("fiche").agg(
        source=("source", lambda s: " ; ".join(dict.fromkeys(str(x) for x in s if pd.notna(x)))),
        note=("note", lambda s: " ; ".join(dict.fromkeys(str(x) for x in s if pd.notna(x) and x))),
    )
    missing = fiches.loc[~fiches["numero"].isin(chiffrees), ["numero", "intitule"]].rename(columns={"numero": "fiche"})
    non_chiffrees = missing.merge(wording, left_on="fiche", right_index=True, how="left")
    non_chiffrees = non_chiffrees.fillna({"source": "(aucune ligne d'investissement)", "note": ""})
    non_chiffrees = non_chiffrees.reset_index(drop=True)
    lignes = quantified.merge(fiches[["numero", "axe_libelle"]], left_on="fiche", right_on="numero")[
        ["fiche", "axe_libelle", "libelle", "montant", "periodicite", "annee", "structure", "source", "note"]
    ]
    return BudgetView(table.reset_index(), non_chiffrees, lignes.reset_index(drop=True), annees, structures, combine)


# --------------------------------------------------------------------------------------------------
# Staffing (ETP)
# --------------------------------------------------------------------------------------------------


@dataclass
class ChargeView:
    par_structure: pd.DataFrame  # structure, etp (attributed), fiches
    par_fiche: pd.DataFrame  # fiche, structure, etp, libelle, source, attribution, periodicite
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


def charge(ref: Reference, filters: Filters, *, capacite: float | None) -> ChargeView:
    fiches = ref.fiches_for(filters)
    moyens = ref.moyens[ref.moyens["fiche"].isin(fiches)]
    etp = moyens[(moyens["nature"] == "etp") & moyens["quantifie"]].copy()
    etp["structure"] = etp["structure"].fillna(NON_ATTRIBUE)
    etp = etp.rename(columns={"montant": "etp"})
    per_structure_rows = etp[etp["periodicite"] == "par structure"]
    counted = etp[etp["periodicite"] != "par structure"]
    par_structure = (
        counted.groupby("structure")
        .agg(etp=("etp", "sum"), fiches=("fiche", lambda s: ", ".join(str(int(n)) for n in sorted(set(s)))))
        .reset_index()
        .sort_values("etp", ascending=False)
    )
    coordinatrice = str(ref.feuille_de_route["structure_coordinatrice"])
    own = float(counted.loc[counted["structure"] == coordinatrice, "etp"].sum())
    coporte = set(ref.porteurs.loc[ref.porteurs["structure"] == coordinatrice, "fiche"])
    shared = float(counted.loc[(counted["structure"] == NON_ATTRIBUE) & counted["fiche"].isin(coporte), "etp"].sum())
    non_chiffre = moyens[(moyens["rubrique"] == "RH") & ~moyens["quantifie"]][["fiche", "libelle", "source"]]
    par_fiche = pd.concat([counted, per_structure_rows])[
        ["fiche", "structure", "etp", "periodicite", "libelle", "attribution", "source", "note"]
    ].sort_values(["fiche", "structure"])
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
    series: pd.DataFrame  # indicateur, periode, valeur, valeur_texte, progression (cumulated for flux)
    completude: pd.DataFrame  # fiche × periode: share of the fiche's indicators reported (0..1)
    dernieres: pd.DataFrame  # latest value per indicator with its period and target
    periodes: list[str]
    exemples: bool


@consistent
def indicateurs(
    source: Reader | Entries, ref: Reference, filters: Filters
) -> IndicateursView:
    fiches = ref.fiches_for(filters)
    scope = ref.indicateurs[ref.indicateurs["fiche"].isin(fiches)].reset_index(drop=True)
    series = entries_of(source).series(fiches)
    if filters.periode:
        series = series[series["periode"] <= filters.periode]
    series = series.merge(scope[["code", "mode", "type"]], left_on="indicateur", right_on="code").drop(columns="code")
    series = series.sort_values(["indicateur", "periode"])
    cumul = series.groupby("indicateur")["valeur"].cumsum()
    series["progression"] = series["valeur"].where(series["mode"] == "stock", cumul)
    all_periods = [p for p in ref.periodes() if not series.empty and p <= series["periode"].max()]
    counts = series.groupby(["fiche", "periode"]).size().rename("saisis").reset_index()
    expected = scope.groupby("fiche").size().rename("attendus")
    grid = pd.MultiIndex.from_product([fiches, all_periods], names=["fiche", "periode"]).to_frame(index=False)
    grid = grid.merge(counts, on=["fiche", "periode"], how="left").fillna({"saisis": 0})
    grid["attendus"] = grid["fiche"].map(expected).fillna(0)
    grid["part"] = (grid["saisis"] / grid["attendus"].where(grid["attendus"] > 0)).fillna(0.0)
    latest = series.sort_values("periode").groupby("indicateur").tail(1)
    dernieres = scope.merge(
        latest[["indicateur", "periode", "valeur", "valeur_texte", "progression", "exemple"]],
        left_on="code", right_on="indicateur", how="left",
    ).drop(columns="indicateur")
    dernieres["ecart_cible"] = dernieres["progression"] - dernieres["cible"]
    return IndicateursView(scope, series.reset_index(drop=True), grid, dernieres, all_periods,
                           bool(series["exemple"].any()) if not series.empty else False)


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


@dataclass
class Attention:
    sans_saisie: pd.DataFrame  # fiches with no entry in the quarter
    sous_cible: pd.DataFrame  # indicators behind their target trajectory
    en_baisse: pd.DataFrame  # stock indicators whose last value fell
    sans_porteur: list[int]
    sans_indicateur: list[int]
    sans_moyens_chiffres: list[int]
    porteurs_sans_reponse: list[str]


@dataclass
class Overview:
    titre: str
    periode: str | None
    nb_fiches: int
    budget_ponctuel: float
    budget_annuel: float
    etp: float
    indicateurs_total: int
    indicateurs_saisis: int
    state: DataState
    axes: pd.DataFrame  # code, libelle, fiches, objectifs, budget, etp, saisis, attendus
    attention: Attention = field(repr=False)


@consistent
def attention(
    source: Reader | Entries, ref: Reference, filters: Filters, periode: str | None,
) -> Attention:
    fiches = ref.fiches_for(filters)
    view = indicateurs(source, ref, Filters(filters.axe, filters.objectif, filters.porteur, periode))
    in_quarter = view.series[view.series["periode"] == periode] if periode else view.series.iloc[0:0]
    reported = set(in_quarter["fiche"])
    expected = set(view.indicateurs["fiche"])
    sans_saisie = ref.fiches[ref.fiches["numero"].isin([f for f in fiches if f in expected and f not in reported])]
    sans_saisie = sans_saisie[["numero", "intitule"]].rename(columns={"numero": "fiche"}).reset_index(drop=True)

    # A target is due at the end of the roadmap (or its echeance); the trajectory is linear from its start.
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
                           "attendu": round(expected_value, 1), "cible": row.cible})
    sous_cible = pd.DataFrame(behind, columns=["indicateur", "fiche", "libelle", "valeur", "attendu", "cible"])

    falling = []
    stock = view.series[view.series["mode"] == "stock"].dropna(subset=["valeur"])
    for code, group in stock.groupby("indicateur"):
        if len(group) >= 2 and group["valeur"].iloc[-1] < group["valeur"].iloc[-2]:
            falling.append({"indicateur": code, "fiche": int(group["fiche"].iloc[-1]),
                            "avant": group["valeur"].iloc[-2], "apres": group["valeur"].iloc[-1],
                            "periode": group["periode"].iloc[-1]})
    en_baisse = pd.DataFrame(falling, columns=["indicateur", "fiche", "avant", "apres", "periode"])

    carried = set(ref.porteurs["fiche"])
    with_indicator = set(ref.indicateurs["fiche"])
    moyens = ref.moyens[ref.moyens["quantifie"]]
    with_means = set(moyens["fiche"])
    answered = set()
    for structure, group in ref.porteurs[ref.porteurs["fiche"].isin(fiches)].groupby("structure"):
        if set(group["fiche"]) & reported:
            answered.add(structure)
    porteurs_sans = sorted(set(ref.porteurs.loc[ref.porteurs["fiche"].isin(fiches), "structure"]) - answered)
    return Attention(
        sans_saisie=sans_saisie,
        sous_cible=sous_cible,
        en_baisse=en_baisse,
        sans_porteur=[f for f in fiches if f not in carried],
        sans_indicateur=[f for f in fiches if f not in with_indicator],
        sans_moyens_chiffres=[f for f in fiches if f not in with_means],
        porteurs_sans_reponse=porteurs_sans if periode else [],
    )


@consistent
def overview(source: Reader | Entries, ref: Reference, filters: Filters) -> Overview:
    state = entries_of(source).state()
    periode = state.periode_courante(filters)
    fiches = ref.fiches_for(filters)
    money = budget(ref, filters, annees=1, structures=1, combine=False)
    staff = charge(ref, filters, capacite=None)
    view = indicateurs(source, ref, Filters(filters.axe, filters.objectif, filters.porteur, periode))
    in_quarter = view.series[view.series["periode"] == periode] if periode else view.series.iloc[0:0]
    cards = []
    for axe in ref.axes.itertuples():
        in_axe = set(ref.fiches.loc[ref.fiches["axe"] == axe.code, "numero"]) & set(fiches)
        if not in_axe:
            continue
        cards.append({
            "code": int(axe.code),
            "libelle": axe.libelle,
            "fiches": len(in_axe),
            "objectifs": int(ref.fiches.loc[ref.fiches["numero"].isin(in_axe), "objectif"].nunique()),
            "budget": float(money.par_fiche.loc[money.par_fiche["fiche"].isin(in_axe), "ponctuel"].sum()),
            "etp": float(staff.par_fiche.loc[
                staff.par_fiche["fiche"].isin(in_axe) & (staff.par_fiche["periodicite"] != "par structure"), "etp"
            ].sum()),
            "saisis": int(in_quarter["indicateur"].isin(
                view.indicateurs.loc[view.indicateurs["fiche"].isin(in_axe), "code"]).sum()),
            "attendus": int(view.indicateurs["fiche"].isin(in_axe).sum()),
        })
    return Overview(
        titre=str(ref.feuille_de_route["titre"]),
        periode=periode,
        nb_fiches=len(fiches),
        budget_ponctuel=float(money.par_fiche["ponctuel"].sum()),
        budget_annuel=float(money.par_fiche["par_an"].sum()),
        etp=float(staff.par_fiche.loc[staff.par_fiche["periodicite"] != "par structure", "etp"].sum()),
        indicateurs_total=len(view.indicateurs),
        indicateurs_saisis=int(in_quarter["indicateur"].nunique()),
        state=state,
        axes=pd.DataFrame(cards),
        attention=attention(source, ref, filters, periode),
    )


@consistent
def reponses(source: Reader | Entries, ref: Reference, periode: str) -> pd.DataFrame:
    """For each porteur: its fiches, and how many of them have at least one entry for the quarter."""
    series = entries_of(source).series(ref.fiches_for(Filters()))
    reported = set(series.loc[(series["periode"] == periode) & ~series["exemple"].astype(bool), "fiche"])
    rows_ = []
    for structure, group in ref.porteurs.groupby("structure"):
        fiches = sorted(int(n) for n in group["fiche"])
        done = [n for n in fiches if n in reported]
        rows_.append({"porteur": structure, "fiches": ", ".join(map(str, fiches)),
                      "fiches_renseignees": len(done), "fiches_attendues": len(fiches),
                      "a_repondu": len(done) > 0})
    return pd.DataFrame(rows_).sort_values(["a_repondu", "porteur"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# Mode réunion: the quarter one screen at a time
# --------------------------------------------------------------------------------------------------


@dataclass
class MeetingView:
    overview: Overview
    budget: BudgetView
    charge: ChargeView
    indicateurs: IndicateursView
    fiches_par_axe: dict[int, pd.DataFrame]  # per axe: fiche, intitule, porteurs, statut, meteo, saisis/attendus
    steps: list[tuple[str, str, int | None]]  # (title, kind, axe)


@consistent
def meeting(source: Reader | Entries, ref: Reference, filters: Filters) -> MeetingView:
    entries = entries_of(source)
    over = overview(entries, ref, filters)
    periode = over.periode
    inds = indicateurs(entries, ref, Filters(filters.axe, filters.objectif, filters.porteur, periode))
    in_quarter = inds.series[inds.series["periode"] == periode] if periode else inds.series.iloc[0:0]
    reported = in_quarter.groupby("fiche")["indicateur"].nunique()
    expected = inds.indicateurs.groupby("fiche").size()
    suivis = []
    for numero in ref.fiches_for(filters):
        last = entries.suivi(numero)
        last = last[last["periode"] == periode] if periode else last.iloc[0:0]
        suivis.append({"fiche": numero,
                       "statut": last["statut"].iloc[0] if not last.empty else None,
                       "meteo": last["meteo"].iloc[0] if not last.empty else None})
    suivi = pd.DataFrame(suivis, columns=["fiche", "statut", "meteo"])
    owners = ref.porteurs.groupby("fiche")["structure"].agg(lambda s: ", ".join(s))
    per_axe: dict[int, pd.DataFrame] = {}
    for axe in over.axes["code"] if not over.axes.empty else []:
        fiches = ref.fiches[(ref.fiches["axe"] == axe) & ref.fiches["numero"].isin(ref.fiches_for(filters))]
        table = fiches[["numero", "intitule"]].rename(columns={"numero": "fiche"}).merge(suivi, on="fiche", how="left")
        table["porteurs"] = table["fiche"].map(owners)
        table["indicateurs"] = [f"{int(reported.get(n, 0))} / {int(expected.get(n, 0))}" for n in table["fiche"]]
        per_axe[int(axe)] = table.reset_index(drop=True)
    steps: list[tuple[str, str, int | None]] = [("Vue d'ensemble", "overview", None)]
    steps += [(f"Axe {int(a.code)} — {a.libelle}", "axe", int(a.code)) for a in over.axes.itertuples()]
    steps += [("Budget par axe", "budget", None), ("Charge RH", "rh", None),
              ("Indicateurs : complétude des saisies", "indicateurs", None), ("Points d'attention", "attention", None)]
    return MeetingView(
        overview=over,
        budget=budget(ref, filters, annees=1, structures=1, combine=False),
        charge=charge(ref, filters, capacite=None),
        indicateurs=inds,
        fiches_par_axe=per_axe,
        steps=steps,
    )
