"""The roadmap's moyens: the Budget page (investment per fiche, `rules`' amounts) and the Charge RH page (ETP
per structure and per fiche)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from .. import formatting, rules
from .base import Filters, Reference, per_roadmap

# --------------------------------------------------------------------------------------------------
# Budget
# --------------------------------------------------------------------------------------------------


@dataclass
class BudgetView:
    # One row per fiche: axe, objectif, the amounts by period (rules.AMOUNT_COLUMNS), conditionnel, chiffrage;
    # every amount of a « non chiffré » fiche is missing (NaN), never 0.
    par_fiche: pd.DataFrame
    non_chiffrees: pd.DataFrame  # fiche, intitule, source, note: what the roadmap writes instead of an amount
    lignes: pd.DataFrame  # every quantified cash line, for the data table, its period said in French
    non_precises: pd.DataFrame  # the lines whose period the roadmap does not give, with its words
    # The money planned (rules.fiche_plan, per fiche: in `par_fiche`'s columns prevu, sous_condition, a_repartir)
    # and what the text places in each year: fiche, axe, annee, montant, sous_condition (rules.plan_per_year).
    prevu_annees: pd.DataFrame = field(default_factory=pd.DataFrame)
    annees_feuille: tuple[int, ...] = ()  # the roadmap's years, 2024 … 2027

    @property
    def periode(self) -> str:
        """« 2024-2027 »: the period every planned total is over."""
        return rules.periode_text(self.annees_feuille[0], self.annees_feuille[-1])

    def prevu(self, axe: int | None = None) -> rules.Prevu:
        """The one answer to « combien est prévu (pour l'axe `axe`) sur la période ? »."""
        rows = self.par_fiche if axe is None else self.par_fiche[self.par_fiche["axe"] == axe]
        return rules.prevu_of(rows)

    def phrase(self, axe: int | None = None) -> str:
        """`prevu`'s sentence: « 42 304 € prévus sur 2024-2027 ; 6 fiches non chiffrées (7, 9, 11, 12, 14, 15) »."""
        return self.prevu(axe).phrase(self.periode)

    def prevu_par_annee(self, axe: int | None = None) -> pd.DataFrame:
        """What the text places in each year of the roadmap (every year listed, 0 when it places nothing there:
        a year is not a fiche), then the row « à répartir » (annee missing): one-off amounts and those without a
        period, over the roadmap but in no particular year. Columns: annee (Int64), libelle, montant,
        sous_condition. Its `montant` adds up to `prevu(axe).prevu`."""
        years = self.prevu_annees if axe is None else self.prevu_annees[self.prevu_annees["axe"] == axe]
        per = years.groupby("annee")[["montant", "sous_condition"]].sum()
        shown = sorted(set(self.annees_feuille) | {int(y) for y in per.index})
        table = pd.DataFrame({"annee": pd.array(shown, dtype="Int64"), "libelle": [str(y) for y in shown]})
        table["montant"] = [float(per["montant"].get(y, 0.0)) for y in shown]
        table["sous_condition"] = [float(per["sous_condition"].get(y, 0.0)) for y in shown]
        total = self.prevu(axe)
        rest = self.par_fiche if axe is None else self.par_fiche[self.par_fiche["axe"] == axe]
        rest_condition = total.sous_condition - float(table["sous_condition"].sum())
        apart = pd.DataFrame({"annee": pd.array([None], dtype="Int64"),
                              "libelle": [f"{rules.A_REPARTIR} sur {self.periode}"],
                              "montant": [float(rest["a_repartir"].sum())], "sous_condition": [rest_condition]})
        return pd.concat([table, apart], ignore_index=True)

    def axes(self) -> list[tuple[int, str]]:
        """The axes in view, in order: (code, libelle)."""
        rows = self.par_fiche.drop_duplicates("axe").sort_values("axe")
        return [(int(a), str(label)) for a, label in zip(rows["axe"], rows["axe_libelle"])]

    def regle(self) -> str:
        """How the money planned is added up, as a tooltip says it (README « Modelling choices »)."""
        return (f"{self.phrase()}. Somme de ce que la feuille de route prévoit sur {self.periode} : les montants "
                "ponctuels et ceux sans période précisée (une fois, à répartir sur la période), les montants « par "
                "an » chaque année de vie de la fiche (de son adoption à la fin de la feuille de route), ceux d'une "
                "année donnée cette année-là. Les montants par structure partenaire sont dits à part : le nombre de "
                "structures n'est pas fixé. Les fiches non chiffrées ne comptent jamais pour 0 €. "
                f"Par année : {self.annees_phrase()}.")

    def annees_phrase(self, axe: int | None = None) -> str:
        """« 2024 : 3 000 € · 2025 : 3 200 € · … · à répartir sur 2024-2027 : 58 104 € »: a year where the text
        places nothing says « — », never « 0 € »."""
        rows = self.prevu_par_annee(axe)
        return " · ".join(f"{r.libelle} : {formatting.euros(r.montant) if r.montant else '—'}"
                          + (f" (dont {formatting.euros(r.sous_condition)} sous condition)" if r.sous_condition
                             else "") for r in rows.itertuples())

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


@per_roadmap
def budget(ref: Reference, filters: Filters) -> BudgetView:
    """Investment per fiche, by the rules of `rules`: the amounts by period, the money planned over the roadmap
    (`BudgetView.prevu`), the lines the text gives no figure or no period for."""
    fiches = ref.fiches[ref.fiches["numero"].isin(ref.fiches_for(filters))]
    amounts = rules.fiche_amounts(ref.moyens, fiches["numero"])
    table = fiches[["numero", "intitule", "axe", "axe_libelle", "objectif", "objectif_libelle"]].rename(
        columns={"numero": "fiche"}).merge(amounts, on="fiche", how="left")
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
    debut, fin = int(ref.feuille_de_route["annee_debut"]), int(ref.feuille_de_route["annee_fin"])
    planned = rules.planned_lines(ref.moyens, rules.fiche_years(fiches, debut, fin))
    plan = rules.fiche_plan(planned, fiches["numero"]).drop(columns="par_structure")  # already in `amounts`
    table = table.merge(plan, on="fiche", how="left")
    per_year = rules.plan_per_year(planned).merge(table[["fiche", "axe"]], on="fiche")
    return BudgetView(table, non_chiffrees, lignes, non_precises, per_year, tuple(range(debut, fin + 1)))


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


@per_roadmap
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
