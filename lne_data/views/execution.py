"""The execution of the roadmap, as the porteurs declare it in the sheet « Dépenses » of their quarterly files:
euros engaged and paid per axe and per year, ETP really mobilised per structure, financements received. Live, or
frozen at a clôture (`Entries.depenses`).

A figure nobody declared is missing (NaN), never 0: « non déclaré » is not « rien dépensé ».
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import formatting, periodes
from ..queries import Reader
from .base import Filters, Reference
from .entries import Entries, entries_of
from .moyens import BudgetView, ChargeView

AMOUNTS = ["engage_eur", "paye_eur"]


@dataclass
class ExecutionView:
    # axe, libelle, engage_eur, paye_eur: every axe of the roadmap in view, NaN where nothing was declared.
    par_axe: pd.DataFrame
    # annee, engage_eur, paye_eur: every year of the roadmap, NaN where nothing was declared.
    par_annee: pd.DataFrame
    # axe, annee, engage_eur, paye_eur: the years declared of each axe.
    par_axe_annee: pd.DataFrame
    # structure, etp_mobilises: the ETP each porteur mobilised over the quarter `periode_etp`.
    etp_par_structure: pd.DataFrame
    periode_etp: str | None  # the quarter the ETP are of: the one looked at, else the last with dépenses declared
    financements: pd.DataFrame  # financeur, montant_eur: received up to the quarter, most first
    # False for a closure made before the execution was frozen: nothing can be said of it (not « 0 € »).
    disponible: bool = True

    @property
    def declaree(self) -> bool:
        """Whether any dépense, ETP or financement was declared in view."""
        return bool(self.par_annee[AMOUNTS].notna().any().any()) or not self.etp_par_structure.empty \
            or not self.financements.empty

    def annee(self, annee: int) -> dict[str, float | None]:
        """{engage_eur, paye_eur} of one year: None where nothing was declared."""
        return _declared(self.par_annee[self.par_annee["annee"] == annee])

    def phrase(self, axe: int | None = None) -> str:
        """What the porteurs declared, as every screen and report says it: « engagé 3 000 €, payé 1 900 € »,
        « engagé 1 000 €, payé non déclaré », « aucune dépense déclarée » (never « 0 € » for nothing declared)."""
        found = self.axe(axe) if axe is not None else _declared(
            self.par_annee[list(AMOUNTS)].sum(min_count=1).to_frame().T)
        if all(v is None for v in found.values()):
            return "aucune dépense déclarée"
        return ", ".join(f"{word} {formatting.declared_euros(found[column])}"
                         for word, column in zip(("engagé", "payé"), AMOUNTS))

    def axe(self, code: int) -> dict[str, float | None]:
        """{engage_eur, paye_eur} of one axe: None where nothing was declared."""
        return _declared(self.par_axe[self.par_axe["axe"] == code])


def _declared(row: pd.DataFrame) -> dict[str, float | None]:
    # None (JSON null, « non déclaré »), never 0: nothing declared is not nothing spent.
    return {column: (None if row.empty or pd.isna(row[column].iloc[0]) else float(row[column].iloc[0]))
            for column in AMOUNTS}


def _sum(values: pd.Series) -> float:
    return float(values.sum(min_count=1))


def _empty() -> pd.DataFrame:
    return pd.DataFrame({"fiche": pd.Series(dtype="int64"), "structure": pd.Series(dtype="object"),
                         "periode": pd.Series(dtype="object"), "engage": pd.Series(dtype="float64"),
                         "paye": pd.Series(dtype="float64"), "etp": pd.Series(dtype="float64"),
                         "financeur": pd.Series(dtype="object"), "finance": pd.Series(dtype="float64")})


def execution(source: Reader | Entries, ref: Reference, filters: Filters | None = None) -> ExecutionView:
    """Engagé and payé per axe and per year, ETP mobilisés per structure, financements reçus: the fiches in view
    (`filters`), up to the quarter looked at (`filters.periode`, every quarter when None)."""
    filters = filters or Filters()
    found = entries_of(source).depenses(filters.periode)
    disponible = found is not None
    rows = _empty() if found is None or found.empty else found
    fiches = ref.fiches[ref.fiches["numero"].isin(ref.fiches_for(filters))]
    rows = rows[rows["fiche"].isin(fiches["numero"])].merge(
        fiches[["numero", "axe"]].rename(columns={"numero": "fiche"}), on="fiche")
    rows = rows.assign(annee=[periodes.annee(p) for p in rows["periode"]],
                       engage_eur=pd.to_numeric(rows["engage"]), paye_eur=pd.to_numeric(rows["paye"]))
    axes = ref.axes[ref.axes["code"].isin(fiches["axe"])].rename(columns={"code": "axe"})[["axe", "libelle"]]
    par_axe = axes.merge(rows.groupby("axe").agg(engage_eur=("engage_eur", _sum), paye_eur=("paye_eur", _sum))
                         .reset_index(), on="axe", how="left")
    par_annee = pd.DataFrame({"annee": ref.annees()}).merge(
        rows.groupby("annee").agg(engage_eur=("engage_eur", _sum), paye_eur=("paye_eur", _sum)).reset_index(),
        on="annee", how="left")
    par_axe_annee = (rows.groupby(["axe", "annee"]).agg(engage_eur=("engage_eur", _sum),
                                                        paye_eur=("paye_eur", _sum)).reset_index())
    staffed = rows[rows["etp"].notna()]
    periode_etp = filters.periode or (str(staffed["periode"].max()) if not staffed.empty else None)
    quarter = staffed[staffed["periode"] == periode_etp]
    etp = (quarter.groupby("structure", as_index=False).agg(etp_mobilises=("etp", "sum"))
           .sort_values(["etp_mobilises", "structure"], ascending=[False, True]).reset_index(drop=True))
    funded = rows[rows["finance"].notna() & (rows["financeur"] != "")]
    financements = (funded.groupby("financeur", as_index=False).agg(montant_eur=("finance", "sum"))
                    .sort_values(["montant_eur", "financeur"], ascending=[False, True]).reset_index(drop=True))
    return ExecutionView(par_axe.reset_index(drop=True), par_annee, par_axe_annee, etp, periode_etp, financements,
                         disponible)


def prevu_engage_paye(budget: BudgetView, view: ExecutionView) -> pd.DataFrame:
    """Per axe in view: prevu_eur (`BudgetView.prevu`: the money planned over the roadmap, the same figure as the
    overview, the Budget page and every report; NaN for an axe the text does not quantify), engage_eur, paye_eur
    (NaN where nothing was declared) and the part engaged and paid of what is planned (taux_engage, taux_paye: NaN
    when nothing is planned or declared)."""
    planned = [budget.prevu(int(code)) for code in view.par_axe["axe"]]
    table = view.par_axe.assign(prevu_eur=[p.prevu if p.chiffrees else float("nan") for p in planned])
    table = table[["axe", "libelle", "prevu_eur", *AMOUNTS]]
    prevu = table["prevu_eur"].where(table["prevu_eur"] > 0)
    return table.assign(taux_engage=table["engage_eur"] / prevu, taux_paye=table["paye_eur"] / prevu)


def etp_prevus_mobilises(charge: ChargeView, view: ExecutionView) -> pd.DataFrame:
    """Per structure: etp_prevus (the roadmap's lines counted, Charge RH) and etp_mobilises (declared for the quarter
    `view.periode_etp`; NaN where the structure declared none); the structures of either side."""
    planned = charge.par_structure[["structure", "etp"]].rename(columns={"etp": "etp_prevus"})
    table = planned.merge(view.etp_par_structure, on="structure", how="outer")
    return table.sort_values(["etp_prevus", "structure"], ascending=[False, True], na_position="last") \
        .reset_index(drop=True)
