"""The roadmap's rules, written once: what counts as ETP and as cash, how periods are said, when an amount is
« non chiffré », which indicators have a target, the météo words, how an indicator's value is written.

Every read model, page, export and command goes through these definitions. When two screens could disagree,
it is because one of them wrote its own version of a rule here: don't.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, NamedTuple

import pandas as pd

from . import formatting

# --------------------------------------------------------------------------------------------------
# Indicators: how a value is written, by kind
# --------------------------------------------------------------------------------------------------

# A deliverable is entered as its state; the number stored is its progress, so that it can be charted.
LIVRABLE = {"non commencé": 0.0, "en cours": 0.5, "réalisé": 1.0}
LIVRABLE_WORDS = {value: word for word, value in LIVRABLE.items()}

# The kinds of indicator that have a number to reach: a deliverable or a qualitative indicator has no target, no
# progression and no trajectory.
CHIFFRABLES = ("nombre", "ratio")


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value)) or str(value) in ("nan", "NaT", "<NA>")
    except (TypeError, ValueError):
        return False


def valeur_indicateur(type_: str, unite: str | None, valeur: Any, texte: Any = None) -> str:
    """An indicator's value as élus read it: `4 médiateurs`, `85 %`, `en cours`, or the sentence typed.

    A `livrable` is its state in words (0,5 is « en cours »), a `ratio` in % is the percentage, a `qualitatif` is
    its text; a missing value is « — ».
    """
    if type_ == "qualitatif":
        return "—" if _missing(texte) or not str(texte).strip() else str(texte)
    if type_ == "livrable":
        if not _missing(texte) and str(texte).strip():
            return str(texte)
        if _missing(valeur):
            return "—"
        return LIVRABLE_WORDS.get(float(valeur), formatting.number(float(valeur), 2))
    if _missing(valeur):
        return "—" if _missing(texte) or not str(texte).strip() else str(texte)
    unit = None if _missing(unite) or not str(unite).strip() else str(unite)
    return formatting.with_unit(float(valeur), unit)


# How an indicator's quarters make a year (a file by year, such as the indicators written for Territoires en
# Transitions), by its mode, as the dashboard reads the quarters (views.series: a stock's value, a flux's running
# total): a flux year adds up what happened in each of its quarters, a stock year is the level its last one reached.
REGLE_ANNUELLE = {"flux": "somme des trimestres renseignés de l'année",
                  "stock": "dernière valeur renseignée de l'année"}


def mode_annuel(mode: Any) -> str:
    """`flux` or `stock`: every mode but « stock » adds up, as the dashboard's running total does."""
    return "stock" if mode == "stock" else "flux"


def valeurs_annuelles(mode: Any, valeurs: Iterable[tuple[str, Any]]) -> dict[int, tuple[float, list[str]]]:
    """Quarters' values (`2025-T3`, value) made years: year → (its value, the quarters it comes from, in order),
    by `REGLE_ANNUELLE`. A quarter without a number counts for nothing; a year without any is absent, never 0."""
    by_year: dict[int, list[tuple[str, float]]] = {}
    for periode, valeur in sorted(valeurs, key=lambda pair: pair[0]):
        if not _missing(valeur):
            by_year.setdefault(int(periode[:4]), []).append((periode, float(valeur)))
    summed = mode_annuel(mode) == "flux"
    return {year: (math.fsum(v for _, v in quarters) if summed else quarters[-1][1],
                   [p for p, _ in quarters] if summed else [quarters[-1][0]])
            for year, quarters in sorted(by_year.items())}


def renseignes(indicateurs: pd.DataFrame, saisis: Any, par: pd.Series | None = None) -> pd.DataFrame:
    """Indicators reported over expected, per fiche (or per `par`, each indicator's axe say): `saisis`, how many
    have a value among the codes `saisis`, over `attendus`, how many there are. One count for the meeting, the
    overview and the reports, which would otherwise disagree on an indicator entered outside the view."""
    groups = indicateurs["fiche"] if par is None else par
    saisi = indicateurs["code"].isin(set(saisis))
    return pd.DataFrame({"saisis": saisi.groupby(groups).sum(), "attendus": saisi.groupby(groups).size()}).astype(int)


def sens_indicateur(type_: Any, unite: Any, mode: Any = None) -> str:
    """The meaning an indicator's values are read under, in words: « en % (ratio, stock) », « en participants
    (nombre, flux) », « sans unité (livrable) ». Two entries of the same code under two meanings are two things."""
    unit = "sans unité" if _missing(unite) or not str(unite).strip() else f"en « {unite} »"
    kind = ", ".join(str(v) for v in (type_, mode) if not _missing(v) and str(v).strip())
    return f"{unit} ({kind})" if kind else unit


# --------------------------------------------------------------------------------------------------
# Resources (moyens): what is cash, what is staff, how an amount's period is said
# --------------------------------------------------------------------------------------------------

# Cash a fiche spends: its `investissement` and `charge` lines. `produit` lines fund it, `valorisation` lines are
# in kind: neither is ever added to the euros spent.
CASH_NATURES = ("investissement", "charge")

# The periods an amount in euros can have, as the reference workbook writes them. `non précisée`: the text gives
# an amount for an activity that lasts (meetings, a yearly event, a membership) without saying over which period;
# it is never added to one-off amounts as if it were one.
PERIODICITES = ("ponctuel", "par an", "annee", "par structure", "non précisée")

# A fiche's amounts, one column per period, in the order élus read them, with their French name.
AMOUNTS: dict[str, tuple[str, str]] = {
    "ponctuel": ("ponctuel", "Montants ponctuels"),
    "par an": ("par_an", "Montants annuels (par an)"),
    "annee": ("par_annee", "Montants d'une année précise"),
    "par structure": ("par_structure", "Par structure partenaire"),
    "non précisée": ("non_precise", "Période non précisée"),
}
AMOUNT_COLUMNS = [column for column, _ in AMOUNTS.values()]
AMOUNT_LABELS = dict(AMOUNTS.values())

NON_CHIFFRE = "non chiffré"
# A fiche whose text gives no amount, said of the fiche itself (Fiche page, fiche PDF, Mon Inclusion Numérique).
NON_CHIFFRE_FEUILLE = f"{NON_CHIFFRE} dans la feuille de route"
CHIFFRE = "chiffré"
NON_ATTRIBUE = "Non attribué (co-portage)"
# An ETP line is a share of a full-time post for as long as the action runs, not an amount spent at a time.
ETP_BASE = "part d'un temps plein"
PAR_STRUCTURE = "par structure partenaire"


def periodicite_label(periodicite: Any, annee: Any = None, unite: Any = None) -> str:
    """How a line's period is said on screen and in exports: « ponctuel », « par an », « en 2026 », « par structure
    partenaire », « période non précisée »; a staff share (ETP) is « part d'un temps plein »."""
    if unite in ("ETP", "personnes") and periodicite != "par structure":
        return ETP_BASE if unite == "ETP" else "effectif"
    if _missing(periodicite) or periodicite is None:
        return ""
    if periodicite == "annee":
        return f"en {int(annee)}" if not _missing(annee) else "une année précise"
    if periodicite == "par structure":
        return PAR_STRUCTURE
    if periodicite == "non précisée":
        return "période non précisée"
    return str(periodicite)


# A resource line as élus read it on the Fiche page and in its PDF: the reference workbook's words (`RH`,
# `INVESTISSEMENT`, `etp`, `EUR`, `ponctuel`) stay in the database and the downloads of the reference.
RUBRIQUE_LABELS = {"RH": "Ressources humaines", "INVESTISSEMENT": "Investissement", "BUDGET": "Budget détaillé"}
NATURE_LABELS = {
    "etp": "Temps de travail (ETP)", "temps": "Temps de travail non chiffré", "personnes": "Personnes mobilisées",
    "investissement": "Investissement", "charge": "Dépense", "produit": "Financement",
    "valorisation": "Apport en nature",
    "autre": "Autre",
}
UNIT_SYMBOLS = {"EUR": "€", "ETP": "ETP", "personnes": "personnes"}
MOYEN_COLUMNS = {"rubrique": "Rubrique", "nature": "Nature", "structure": "Structure", "montant": "Montant",
                 "periodicite": "Période", "source": "Texte de la feuille de route", "note": "Note"}


def chiffree(quantifie: Any, montant: Any) -> bool:
    """Whether a resource line has an amount: the text quantifies it and gives one. Otherwise it is « non chiffré »
    (NON_CHIFFRE), never 0."""
    return bool(quantifie) and not _missing(montant)


def moyens_lisibles(moyens: pd.DataFrame) -> pd.DataFrame:
    """A fiche's resource lines in French words (MOYEN_COLUMNS): « Investissement », « 2 000 € », « ponctuel »,
    « 0,5 ETP · part d'un temps plein »; a line the text does not quantify says « non chiffré », never 0."""
    shown = moyens.copy()
    shown["rubrique"] = [RUBRIQUE_LABELS.get(r, r) for r in shown["rubrique"]]
    shown["nature"] = [NATURE_LABELS.get(n, n) for n in moyens["nature"]]
    shown["montant"] = [
        NON_CHIFFRE if not chiffree(q, m) else
        formatting.with_unit(float(m), UNIT_SYMBOLS.get(u, u) if not _missing(u) else None)
        for q, m, u in zip(moyens["quantifie"], moyens["montant"], moyens["unite"])]
    shown["periodicite"] = [periodicite_label(p, a, None if _missing(u) else u)
                            for p, a, u in zip(moyens["periodicite"], moyens["annee"], moyens["unite"])]
    shown["structure"] = moyens["structure"].where(moyens["structure"].notna(), "non précisée")
    return shown


def cash_lines(moyens: pd.DataFrame) -> pd.DataFrame:
    """The lines of money a fiche spends (quantified or not)."""
    return moyens[moyens["nature"].isin(CASH_NATURES)]


def etp_lines(moyens: pd.DataFrame) -> pd.DataFrame:
    """The quantified ETP lines, `etp` their amount, `structure` « Non attribué (co-portage) » when the text does
    not say who provides them, and `compte`: whether the line counts in ETP totals. A line asked of each partner
    structure (« 0,1 ETP dans chaque structure ») does not: the roadmap does not say how many structures take part.
    `partage`: the text says the time is also spent on other actions (fiche 13): totals using it say so."""
    lines = moyens[(moyens["nature"] == "etp") & moyens["quantifie"].astype(bool)].copy()
    lines["structure"] = lines["structure"].fillna(NON_ATTRIBUE)
    lines = lines.rename(columns={"montant": "etp"})
    lines["compte"] = lines["periodicite"].ne("par structure")
    if "partage" not in lines.columns:  # a référentiel frozen before the column existed
        lines["partage"] = False
    lines["partage"] = lines["partage"].fillna(False).astype(bool)
    lines["partage_texte"] = lines["partage"].map({True: "également investi sur d'autres actions", False: ""})
    lines["base"] = [periodicite_label(p, None, "ETP") for p in lines["periodicite"]]
    return lines


def fiche_amounts(moyens: pd.DataFrame, fiches: Any) -> pd.DataFrame:
    """One row per fiche of `fiches` (numbers): its cash by period (AMOUNT_COLUMNS), `conditionnel` (the part of it
    the text makes conditional: « possibilité de », « en option »), and `chiffrage`. A fiche whose cash lines give
    no amount at all is « non chiffré »: its amounts are missing (NaN), never 0."""
    numbers = pd.Index([int(n) for n in fiches], name="fiche")
    cash = cash_lines(moyens)
    cash = cash[cash["fiche"].isin(numbers) & cash["quantifie"].astype(bool)]
    table = pd.DataFrame(index=numbers)
    for periodicite, (column, _label) in AMOUNTS.items():
        table[column] = cash[cash["periodicite"] == periodicite].groupby("fiche")["montant"].sum()
    conditional = (cash["conditionnel"].fillna(False).astype(bool) if "conditionnel" in cash.columns
                   else pd.Series(False, index=cash.index))  # a référentiel frozen before the column existed
    table["conditionnel"] = cash[conditional].groupby("fiche")["montant"].sum()
    chiffree = pd.Series(table.index.isin(cash["fiche"]), index=table.index)
    amounts = [*AMOUNT_COLUMNS, "conditionnel"]
    table[amounts] = table[amounts].astype("float64").fillna(0.0)
    table.loc[~chiffree, amounts] = float("nan")
    table["chiffrage"] = [CHIFFRE if c else NON_CHIFFRE for c in chiffree]
    return table.reset_index()


ETP_FIGURES = ["etp", "etp_partage", "etp_par_structure"]


def fiche_etp(etp: pd.DataFrame, fiches: Any) -> pd.DataFrame:
    """One row per fiche of `fiches` (numbers): `etp` counted in totals, `etp_partage` the part of it the text says
    is also spent on other actions, `etp_par_structure` asked of each partner structure (never counted: their number
    is not fixed), and `chiffrage_etp`. `etp`: `etp_lines`. A fiche without any quantified ETP line (« temps
    ponctuel », an empty box) is « non chiffré »: its figures are missing (NaN), never 0 ETP. Added up per axe, the
    counted ones are `axe_totals`' ETP."""
    numbers = pd.Index([int(n) for n in fiches], name="fiche")
    lines = etp[etp["fiche"].isin(numbers)]
    counted = lines[lines["compte"]]
    table = pd.DataFrame(index=numbers)
    table["etp"] = counted.groupby("fiche")["etp"].sum()
    table["etp_partage"] = counted[counted["partage"]].groupby("fiche")["etp"].sum()
    table["etp_par_structure"] = lines[~lines["compte"]].groupby("fiche")["etp"].sum()
    table[ETP_FIGURES] = table[ETP_FIGURES].astype("float64").fillna(0.0).round(4)
    quantified = pd.Series(table.index.isin(lines["fiche"]), index=table.index)
    table.loc[~quantified, ETP_FIGURES] = float("nan")
    table["chiffrage_etp"] = [CHIFFRE if q else NON_CHIFFRE for q in quantified]
    return table.reset_index()


def axe_totals(par_fiche: pd.DataFrame, etp: pd.DataFrame) -> pd.DataFrame:
    """Per axe: fiches, amounts by period, the conditional part, how many fiches are non chiffrées, ETP counted,
    the shared part of it, and ETP asked per partner structure. `par_fiche`: fiche, axe and the columns of
    `fiche_amounts`; `etp`: `etp_lines` of the same fiches. The one sum behind the overview's cards, the reports'
    axes, `summary` and the closures."""
    grouped = par_fiche.groupby("axe")
    table = pd.DataFrame({"fiches": grouped.size()})
    for column in [*AMOUNT_COLUMNS, "conditionnel"]:
        table[column] = grouped[column].sum()  # the non chiffrées (NaN) add nothing: they are counted apart
    for column in PLAN_COLUMNS[:4]:  # the money planned (fiche_plan), when `par_fiche` has it
        if column in par_fiche.columns:
            table[column] = grouped[column].sum()
    table["non_chiffrees"] = grouped["chiffrage"].agg(lambda s: int((s == NON_CHIFFRE).sum()))
    staff = etp.merge(par_fiche[["fiche", "axe"]], on="fiche")
    counted = staff[staff["compte"]]
    table["etp"] = counted.groupby("axe")["etp"].sum()
    table["etp_partage"] = counted[counted["partage"]].groupby("axe")["etp"].sum()
    table["etp_par_structure"] = staff[~staff["compte"]].groupby("axe")["etp"].sum()
    table = table.fillna({"etp": 0.0, "etp_partage": 0.0, "etp_par_structure": 0.0})
    for column in ("etp", "etp_partage", "etp_par_structure"):
        table[column] = table[column].round(4)
    return table.reset_index()


# --------------------------------------------------------------------------------------------------
# The money planned: what the text plans, per fiche and per year of the roadmap (README « Modelling choices »)
# --------------------------------------------------------------------------------------------------

# Where an amount the text gives for no particular year sits: over the roadmap's period, in none of its years.
A_REPARTIR = "à répartir"
PLAN_COLUMNS = ["prevu", "sous_condition", "a_repartir", "par_an_prevu", "par_structure"]
# What `prevu` adds up, kind by kind (columns of `fiche_amounts` and `fiche_plan`), as charts and legends name it.
PLAN_KINDS = {
    "ponctuel": "Ponctuel (une fois, à répartir)",
    "non_precise": "Période non précisée (une fois, à répartir)",
    "par_an_prevu": "Par an × années de vie de la fiche",
    "par_annee": "Année donnée par le texte",
}


def fiche_years(fiches: pd.DataFrame, debut: int, fin: int) -> dict[int, list[int]]:
    """The years of each fiche's life: from the year it was adopted (`ajoutee_le`; the roadmap's first year when
    the date is missing or earlier) to the roadmap's last, both counted whole. `fiches`: numero, ajoutee_le."""
    years: dict[int, list[int]] = {}
    added = fiches["ajoutee_le"] if "ajoutee_le" in fiches.columns else pd.Series(None, index=fiches.index)
    for numero, when in zip(fiches["numero"], added):
        start = debut if _missing(when) else max(debut, pd.Timestamp(when).year)
        years[int(numero)] = list(range(start, fin + 1))
    return years


def planned_lines(moyens: pd.DataFrame, years: dict[int, list[int]]) -> pd.DataFrame:
    """Every quantified cash line of the fiches of `years`, placed where the text puts it: « par an » once in each
    year of the fiche's life, an amount of a given year in that year, « ponctuel » and « période non précisée » in
    no year (`annee` missing: « à répartir » over the roadmap's period), « par structure » apart (`fixe` false: the
    number of structures is not fixed). Columns: fiche, periodicite, annee (Int64), montant, conditionnel, fixe."""
    cash = cash_lines(moyens)
    cash = cash[cash["fiche"].isin(list(years)) & cash["quantifie"].astype(bool)]
    conditional = (cash["conditionnel"].fillna(False).astype(bool) if "conditionnel" in cash.columns
                   else pd.Series(False, index=cash.index))
    placed = []
    for fiche, periodicite, montant, annee, cond in zip(cash["fiche"], cash["periodicite"], cash["montant"],
                                                      cash["annee"], conditional):
        line = {"fiche": int(fiche), "periodicite": periodicite, "montant": float(montant),
                "conditionnel": bool(cond), "fixe": periodicite != "par structure"}
        if periodicite == "par an":
            placed += [{**line, "annee": year} for year in years[int(fiche)]]
        else:
            given = periodicite == "annee" and not _missing(annee)
            placed.append({**line, "annee": int(annee) if given else None})
    columns = ["fiche", "periodicite", "annee", "montant", "conditionnel", "fixe"]
    table = pd.DataFrame(placed, columns=columns)
    return table.astype({"fiche": "int64", "annee": "Int64", "montant": "float64", "conditionnel": bool,
                         "fixe": bool})


def fiche_plan(lines: pd.DataFrame, fiches: Any) -> pd.DataFrame:
    """Per fiche of `fiches` (numbers): `prevu`, its planned total over the roadmap (every fixed amount:
    ponctuel, non précisée, par an × its years, given years), `sous_condition` the part of it the text makes
    conditional, `a_repartir` the part in no particular year, `par_structure` apart. Missing (NaN) for a fiche
    the text does not quantify, never 0. `lines`: `planned_lines`."""
    numbers = pd.Index([int(n) for n in fiches], name="fiche")
    fixed = lines[lines["fixe"]]
    table = pd.DataFrame(index=numbers)
    table["prevu"] = fixed.groupby("fiche")["montant"].sum()
    table["sous_condition"] = fixed[fixed["conditionnel"]].groupby("fiche")["montant"].sum()
    table["a_repartir"] = fixed[fixed["annee"].isna()].groupby("fiche")["montant"].sum()
    table["par_an_prevu"] = fixed[fixed["periodicite"] == "par an"].groupby("fiche")["montant"].sum()
    table["par_structure"] = lines[~lines["fixe"]].groupby("fiche")["montant"].sum()
    table = table.astype("float64").fillna(0.0)
    table.loc[~table.index.isin(lines["fiche"]), PLAN_COLUMNS] = float("nan")
    return table.reset_index()


def plan_per_year(lines: pd.DataFrame) -> pd.DataFrame:
    """The fixed amounts the text places in a year, per fiche and year: fiche, annee, montant, sous_condition."""
    placed = lines[lines["fixe"] & lines["annee"].notna()]
    placed = placed.assign(sous_condition=placed["montant"].where(placed["conditionnel"], 0.0))
    table = placed.groupby(["fiche", "annee"], as_index=False)[["montant", "sous_condition"]].sum()
    return table.astype({"annee": "int64"})


class Prevu(NamedTuple):
    """The one answer to « combien est prévu pour … sur la période ? »: the figures and their sentence."""

    prevu: float  # every fixed quantified amount over the roadmap, the conditional ones included
    sous_condition: float
    par_structure: float  # per partner structure, their number not fixed: never added
    a_repartir: float  # the part of `prevu` in no particular year
    non_chiffrees: tuple[int, ...]  # fiches the text does not quantify
    chiffrees: int  # fiches with at least one amount

    def phrase(self, periode: str, *, lister: bool = True) -> str:
        """« 13 800 € prévus sur 2024-2027, dont 5 000 € sous condition ; + 2 500 € par structure partenaire
        (nombre non fixé) ; 4 fiches non chiffrées (16, 17, 18, 19) ». Never « 0 € » for money the text gives."""
        euros = formatting.euros
        if not self.prevu and self.par_structure:  # only amounts per structure: their number is not fixed
            head = f"aucun montant fixe sur {periode}"
        elif not self.prevu and not self.chiffrees:  # nothing quantified: never « 0 € »
            head = f"aucun montant chiffré sur {periode}"
        else:
            head = f"{euros(self.prevu)} prévus sur {periode}"
        parts = [head + (f", dont {euros(self.sous_condition)} sous condition" if self.sous_condition else "")]
        if self.par_structure:
            parts.append(f"+ {euros(self.par_structure)} {PAR_STRUCTURE} (nombre non fixé)")
        if self.non_chiffrees:
            n = len(self.non_chiffrees)
            listed = ", ".join(str(f) for f in self.non_chiffrees[:12]) + (" …" if n > 12 else "")
            parts.append(f"{n} fiche{'s' if n > 1 else ''} non chiffrée{'s' if n > 1 else ''}"
                         + (f" ({listed})" if lister else ""))
        return " ; ".join(parts)


    def fiche_phrase(self, periode: str) -> str:
        """`phrase` for one fiche: « non chiffré dans la feuille de route » when its text gives no amount (never
        « 0 € », nor « 1 fiche non chiffrée » about itself)."""
        if not self.chiffrees:
            return NON_CHIFFRE_FEUILLE
        return self.phrase(periode)

    @property
    def montant_fixe(self) -> float | None:
        """The fixed money planned as one number, for a tool that takes one (Mon Inclusion Numérique's budget);
        None where the text gives no fixed amount: fiches it does not quantify, or whose amounts are all per
        partner structure (their number not fixed). Never 0 € for money the text does not give."""
        if not self.chiffrees or (not self.prevu and self.par_structure):
            return None
        return self.prevu

    def etiquette(self, sep: str = ", ") -> str:
        """What a bar says at its end: its total, the conditional part, what is per structure; « non chiffré » for
        fiches the text does not quantify, never « 0 € » for money it gives."""
        if not self.chiffrees:
            return NON_CHIFFRE
        euros = formatting.euros
        parts = [euros(self.prevu) if self.prevu else "aucun montant fixe"]
        if self.sous_condition:
            parts.append(f"dont {euros(self.sous_condition)} sous condition")
        if self.par_structure:
            parts.append(f"+ {euros(self.par_structure)} par structure")
        return sep.join(parts)


def prevu_of(plan: pd.DataFrame) -> Prevu:
    """The planned money of the fiches of `plan` (`fiche_plan`'s rows, any subset: an axe, the roadmap)."""
    missing = plan["prevu"].isna()
    return Prevu(float(plan["prevu"].sum()), float(plan["sous_condition"].sum()),
                 float(plan["par_structure"].sum()), float(plan["a_repartir"].sum()),
                 tuple(int(n) for n in plan.loc[missing, "fiche"]), int((~missing).sum()))


def periode_text(debut: int, fin: int) -> str:
    """« 2024-2027 »."""
    return f"{debut}-{fin}"


# --------------------------------------------------------------------------------------------------
# Tables of amounts and ETP as every screen, download and export heads them
# --------------------------------------------------------------------------------------------------

BUDGET_FICHE_COLUMNS = {
    "fiche": "Fiche", "intitule": "Intitulé", "axe_libelle": "Axe", "objectif": "Objectif", "chiffrage": "Chiffrage",
    "prevu": "Prévu sur la feuille de route (€)", "sous_condition": "dont prévu sous condition (€)",
    "a_repartir": "dont à répartir, sans année (€)", "par_an_prevu": "dont par an × années de la fiche (€)",
    "ponctuel": "Ponctuel (€)", "conditionnel": "dont sous condition (€)", "par_an": "Par an (€)",
    "par_annee": "Année précise, total (€)", "par_structure": "Par structure partenaire (€)",
    "non_precise": "Période non précisée (€)",
}
BUDGET_LINE_COLUMNS = {
    "fiche": "Fiche", "axe_libelle": "Axe", "libelle": "Ligne", "montant": "Montant (€)", "periode": "Période",
    "condition": "Condition", "structure": "Structure", "source": "Texte de la feuille de route", "note": "Note",
}
ETP_LINE_COLUMNS = {
    "fiche": "Fiche", "structure": "Structure", "etp": "ETP", "base": "Base", "partage_texte": "Partagé",
    "attribution": "Attribution", "libelle": "Ligne", "source": "Texte de la feuille de route", "note": "Note",
}
ETP_STRUCTURE_COLUMNS = {"structure": "Structure", "etp": "ETP", "partage": "dont partagés avec d'autres actions",
                         "fiches": "Fiches"}

def ecart_indicateur(type_: str, unite: str | None, ecart: Any) -> str:
    """How far an indicator stands from its target, signed: `+3 foyers`, `−12,5 points` for a ratio in %.

    Only counts and ratios have a distance to their target; a deliverable's state or a text has none (« — »).
    """
    if type_ not in CHIFFRABLES or _missing(ecart):
        return "—"
    value = float(ecart)
    sign = "+" if value > 0 else "−" if value < 0 else ""
    unit = None if _missing(unite) or not str(unite).strip() else str(unite)
    if unit == "%":  # a difference of percentages is counted in points, not in %
        return f"{sign}{formatting.number(abs(value), 1)}{formatting.NBSP}point{'s' if abs(value) >= 2 else ''}"
    return sign + formatting.with_unit(abs(value), unit)


# --------------------------------------------------------------------------------------------------
# Staffing: a capacity typed on the Charge RH page
# --------------------------------------------------------------------------------------------------

# A capacity this many times the commitments is questioned, never taken as is: « 2,5 » typed in a field that
# ignores the comma becomes 25, and « les engagements tiennent » would then be said on a number nobody meant.
CAPACITE_FACTEUR_DOUTEUX = 5


def capacite_douteuse(capacite: float, engagements: float) -> bool:
    """Whether a capacity (ETP) is implausibly large against the commitments it is compared with."""
    return engagements > 0 and capacite >= CAPACITE_FACTEUR_DOUTEUX * engagements


def capacite_sans_virgule(capacite: float, engagements: float) -> float | None:
    """The capacity that was probably meant if a decimal separator was lost (25 for 2,5; 250 for 2,50), or None
    when dividing by ten does not give a plausible one."""
    meant = capacite
    while capacite_douteuse(meant, engagements):
        meant /= 10
    if meant == capacite or meant < engagements / CAPACITE_FACTEUR_DOUTEUX:
        return None
    return round(meant, 4)


# The weather of a fiche as the meeting shows it: an icon with its word, read from the back of the room and by
# whoever does not see the colours.
# Symbols of the fonts every system has (DejaVu has them all), not colour emoji, which a bare Linux lacks.
METEO_ICONES = {"ensoleillé": "\u2600", "éclaircies": "\u263c", "nuageux": "\u2601", "orageux": "\u2608"}
# The words a porteur may write in the Suivi sheet, from best to worst: the template's list, the check, the meeting.
METEOS = tuple(METEO_ICONES)


def meteo_affichee(meteo: object) -> str:
    """« ☀️ ensoleillé »; « — » when the fiche has no weather for the quarter; an unknown word as it is."""
    if meteo is None or (not isinstance(meteo, str) and pd.isna(meteo)) or not str(meteo).strip():
        return "—"
    icon = METEO_ICONES.get(str(meteo).strip().lower())
    return f"{icon} {meteo}" if icon else str(meteo)


# --------------------------------------------------------------------------------------------------
# Late indicators and fiches in difficulty: what élus ask first (« Quelles fiches sont en retard ? »)
# --------------------------------------------------------------------------------------------------

# An indicator is late against an effective target (its trajectory, views.ensemble) or against a deadline: a
# `livrable` whose échéance is over and that is not « réalisé ». Where nothing in scope can be late (no numeric
# target, no échéance), no screen or report counts « 0 en retard »: it says AUCUNE_CIBLE.
AUCUNE_CIBLE = "aucune cible chiffrée ni échéance : aucun indicateur ne peut être en retard"


def echeance_passee(echeance: Any, periode: str | None, aujourdhui: Any) -> bool:
    """Whether a deadline year is over for the quarter shown: its last day (31 December of `echeance`) is before
    `aujourdhui` (`periodes.today()`), and the quarter shown (None: no quarter entered yet) reaches it. A quarter
    shown from before the deadline says what was known then: the deliverable was not late yet."""
    if _missing(echeance):
        return False
    due = pd.Timestamp(int(echeance), 12, 31).date()
    if aujourdhui <= due:
        return False
    if periode is None:
        return True
    year, quarter = int(periode[:4]), int(periode[-1])
    return (year, quarter) >= (int(echeance), 4)


def livrable_en_retard(type_: Any, echeance: Any, valeur: Any, periode: str | None, aujourdhui: Any) -> bool:
    """A deliverable past its échéance (`echeance_passee`) whose last state up to the quarter (`valeur`, missing
    when never entered) is not « réalisé »."""
    if type_ != "livrable" or not echeance_passee(echeance, periode, aujourdhui):
        return False
    return _missing(valeur) or float(valeur) < LIVRABLE["réalisé"]


def peut_etre_en_retard(type_: Any, cible: Any, echeance: Any, periode: str | None) -> bool:
    """Whether an indicator can be late at all: a count or ratio with an effective target once a quarter is entered
    (its trajectory needs one), or a deliverable with an échéance."""
    if type_ == "livrable":
        return not _missing(echeance)
    return type_ in CHIFFRABLES and not _missing(cible) and periode is not None


# A fiche is « en difficulté » for élus when at least one of these holds for the quarter shown, each said by its
# reason (README « Modelling choices »). « Two quarters running »: the quarter shown and the one before it; silence
# counts only in a quarter some porteur really answered for (examples only, or before the dashboard, hold nobody).
EN_DIFFICULTE = "en difficulté"
RAISON_ORAGEUX = "météo orageuse"
RAISON_NUAGEUX = "météo nuageuse deux trimestres de suite"
RAISON_SANS_REPONSE = "aucune saisie de ses porteurs deux trimestres de suite"
DIFFICULTE_AIDE = ("Une fiche est « en difficulté » quand, pour le trimestre affiché, sa météo est orageuse, ou "
                   "nuageuse deux trimestres de suite ; un de ses livrables n'est pas réalisé à son échéance ; un de "
                   "ses indicateurs est en retard sur sa cible ; ou ses porteurs n'ont rien saisi pour elle deux "
                   "trimestres de suite. Chaque raison est nommée.")


def raisons_difficulte(meteo: Any, meteo_precedente: Any, livrables_echus: list[tuple[str, int]],
                       sous_cible: list[str], sans_saisie: bool, sans_saisie_precedente: bool) -> list[str]:
    """Why a fiche is « en difficulté » for the quarter shown, in French, each reason named; empty: it is not.

    `meteo`, `meteo_precedente`: its météo for the quarter and the one before (None: not given);
    `livrables_echus`: its deliverables late against their échéance (code, year); `sous_cible`: its indicators late
    against their target; `sans_saisie`, `sans_saisie_precedente`: nothing was entered for it (no value, no
    follow-up) in the quarter, in the one before (False when nobody really answered for that quarter)."""
    def word(value: Any) -> str:
        return "" if _missing(value) else str(value).strip().lower()

    raisons = []
    if word(meteo) == "orageux":
        raisons.append(RAISON_ORAGEUX)
    if word(meteo) == "nuageux" and word(meteo_precedente) == "nuageux":
        raisons.append(RAISON_NUAGEUX)
    for annee in sorted({int(a) for _, a in livrables_echus}):
        codes = [code for code, a in livrables_echus if int(a) == annee]
        several = len(codes) > 1
        raisons.append(f"livrable{'s' if several else ''} {', '.join(codes)} en retard sur "
                       f"{'leur' if several else 'son'} échéance ({annee})")
    if sous_cible:
        several = len(sous_cible) > 1
        raisons.append(f"indicateur{'s' if several else ''} {', '.join(sous_cible)} en retard sur "
                       f"{'leur' if several else 'sa'} cible")
    if sans_saisie and sans_saisie_precedente:
        raisons.append(RAISON_SANS_REPONSE)
    return raisons
