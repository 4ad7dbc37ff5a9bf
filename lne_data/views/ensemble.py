"""The overview (« Vue d'ensemble »): its headline figures (`_key_figures`, shared with a closure's headline
and the command line's `summary`), the axes' cards, the points of attention, who answered for the quarter, and the
quarter in key figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

import pandas as pd

from .. import formatting, periodes, rules, sql
from ..queries import Reader, consistent, rows
from . import etat
from .base import DataState, Filters, Reference, per_roadmap, reference
from .entries import Entries, entries_of
from .execution import ExecutionView, execution
from .moyens import BudgetView, ChargeView, budget, charge
from .series import Quarter

SOUS_CIBLE_COLUMNS = ["indicateur", "fiche", "libelle", "valeur", "attendu", "cible", "cible_origine",
                      "cible_provenance", "echeance"]


@dataclass
class Attention:
    sans_saisie: pd.DataFrame  # fiches with no entry in the quarter
    sous_cible: pd.DataFrame  # indicators behind their target trajectory (SOUS_CIBLE_COLUMNS): whose target it is
    en_baisse: pd.DataFrame  # stock indicators whose last value fell
    sans_porteur: list[int]
    sans_indicateur: list[int]
    sans_investissement_chiffre: list[int]  # the Budget view's « non chiffrées » (BudgetView.non_chiffrees)
    porteurs_sans_reponse: list[str]  # reponses.sans_reponse, or nobody when there is no quarter
    reponses: Reponses | None = None  # who answered for the quarter (None when no quarter has entries)
    # deliverables late against their échéance (etat.ECHUS_COLUMNS), how many indicators can be late at all
    echus: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=etat.ECHUS_COLUMNS))
    suivables: int = 0
    # the fiches « en difficulté » (rules.raisons_difficulte): fiche, intitule, raisons
    en_difficulte: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=etat.DIFFICULTE_COLUMNS))

    @property
    def fiches_en_difficulte(self) -> list[FicheEnDifficulte]:
        return [FicheEnDifficulte(int(r.fiche), str(r.intitule), str(r.raisons))
                for r in self.en_difficulte.itertuples()]

    @property
    def en_retard(self) -> int:
        """Indicators late, against their target or their échéance."""
        return len(self.sous_cible) + len(self.echus)

    @property
    def retard_chiffre(self) -> tuple[str, str]:
        return etat.retard_chiffre(self.en_retard, self.suivables)

    @property
    def retard_titre(self) -> str:
        return etat.retard_titre(self.en_retard, self.suivables)

    @property
    def retards(self) -> pd.DataFrame:
        """Every late indicator, against its target or its échéance, as one list (etat.RETARD_COLUMNS)."""
        return etat.retards(self.sous_cible, self.echus)

    @property
    def fiches_sans_saisie(self) -> list[FicheIntitulee]:
        return [FicheIntitulee(int(r.fiche), r.intitule) for r in self.sans_saisie.itertuples()]


class FicheIntitulee(NamedTuple):
    fiche: int
    intitule: str


class FicheEnDifficulte(NamedTuple):
    fiche: int
    intitule: str
    raisons: str  # rules.raisons_difficulte, joined by « ; »


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
    def prevu(self) -> rules.Prevu:
        """The money planned over the roadmap (`BudgetView.prevu`): the one answer every screen and export gives."""
        return self.budget.prevu()

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
    # What the porteurs declared engaged and paid (sheet « Dépenses »), for the fiches in view up to the quarter
    execution: ExecutionView | None = field(default=None, repr=False)

    @property
    def cartes_axes(self) -> list[CarteAxe]:
        """One card per axe that has fiches in scope, in the axes' order."""
        return [CarteAxe(int(a.code), a.libelle, int(a.fiches), int(a.objectifs), self.budget.phrase(int(a.code)),
                         self.budget.annees_phrase(int(a.code)), float(a.etp), float(a.etp_partage),
                         *self.saisis_par_axe.get(int(a.code), (0, 0)),
                         self.execution.phrase(int(a.code)) if self.execution is not None else "")
                for a in self.axes.itertuples()]


class CarteAxe(NamedTuple):
    code: int
    libelle: str
    fiches: int
    objectifs: int
    prevu: str  # the money planned over the roadmap, in its sentence (rules.Prevu.phrase)
    annees: str  # what the text places in each year, and what is « à répartir » (BudgetView.annees_phrase)
    etp: float
    etp_partage: float
    saisis: int  # indicators with a value for the quarter
    attendus: int
    execution: str  # what was declared engaged and paid (ExecutionView.phrase)


@consistent
def attention(
    source: Reader | Entries, ref: Reference, filters: Filters, periode: str | None,
) -> Attention:
    entries = entries_of(source)
    quarter = entries.quarter(ref, Filters(filters.axe, filters.objectif, filters.porteur, periode))
    state = entries.state()
    fiches = ref.fiches_for(filters)
    answers = _reponses(entries, ref, fiches, periode, state.exemples) if periode else None
    return _attention(quarter, answers, ref, filters, periode, etat.suivi_fiches(entries, ref, fiches, periode, state))


def _attention(quarter: Quarter, answers: Reponses | None, ref: Reference, filters: Filters,
               periode: str | None, suivi: etat.SuiviFiches) -> Attention:
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
        if periode is None or row.type not in rules.CHIFFRABLES:
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
                           "cible_origine": row.cible_origine, "cible_provenance": row.cible_provenance,
                           "echeance": due_year})
    sous_cible = pd.DataFrame(behind, columns=SOUS_CIBLE_COLUMNS)
    echus = etat.livrables_echus(view.dernieres, periode, periodes.today())

    carried = set(ref.porteurs["fiche"])
    with_indicator = set(ref.indicateurs["fiche"])
    # The Budget page's « non chiffrées », from the same view (computed once per roadmap and filters).
    non_chiffrees = budget(ref, filters).non_chiffrees
    return Attention(
        sans_saisie=sans_saisie,
        sous_cible=sous_cible,
        en_baisse=quarter.en_baisse,
        sans_porteur=[f for f in fiches if f not in carried],
        sans_indicateur=[f for f in fiches if f not in with_indicator],
        sans_investissement_chiffre=[int(n) for n in non_chiffrees["fiche"]],
        porteurs_sans_reponse=answers.sans_reponse if answers is not None else [],
        reponses=answers,
        echus=echus,
        suivables=etat.suivables(view.indicateurs, periode),
        en_difficulte=etat.en_difficulte(ref, fiches, suivi, echus, sous_cible, periode),
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


@per_roadmap
def _key_figures(ref: Reference, filters: Filters) -> tuple[list[int], BudgetView, ChargeView, dict[str, Any]]:
    """The fiches in scope, their budget and staffing, and the headline figures drawn from them, as keyword
    arguments of `Headline`: one computation, so that the overview and a closure's headline cannot differ."""
    fiches = ref.fiches_for(filters)
    money = budget(ref, filters)
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
    if figure == "prevu":
        return head.budget.regle()
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
    lines = [f"{axe.fiches} fiches · {axe.objectifs} objectif(s) · {formatting.etp(axe.etp)}",
             f"**Budget** : {axe.prevu}", f"Par année : {axe.annees}"]
    if axe.execution:
        lines.append(f"**Exécution déclarée** : {axe.execution}")
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
    par_axe, par_annee = budget_prevu_json(money, execution(con, ref))
    return {
        "budget_par_axe": par_axe,
        "budget_par_annee": par_annee,
        "fiches": len(fiches),
        "axes": result_axes,
        "porteurs": {str(k): v for k, v in sorted(porteurs.items())},
        "etp_par_structure": {str(r.structure): round(float(r.etp), 4)
                              for r in staff.par_structure.sort_values("structure").itertuples()},
        "fiches_non_chiffrees": [int(n) for n in money.non_chiffrees["fiche"]],
        "indicateurs": len(ref.indicateurs),
        "saisies": {periode: int(n) for periode, n in rows(con, sql.SAISIES_PAR_PERIODE)},
    }


def budget_prevu_json(money: BudgetView, spent: ExecutionView) -> tuple[dict[str, Any], dict[str, Any]]:
    """`summary --json`'s `budget_par_axe` and `budget_par_annee`: the money planned (`BudgetView.prevu`,
    `prevu_par_annee`), per axe over the roadmap and per year as the text places it, beside its execution."""
    par_axe: dict[str, Any] = {}
    for code in sorted({int(a) for a in money.par_fiche["axe"]}):
        planned = money.prevu(code)
        par_axe[str(code)] = {
            "prevu_eur": planned.prevu, "sous_condition_eur": planned.sous_condition,
            "par_structure_eur": planned.par_structure, "a_repartir_eur": planned.a_repartir,
            "non_chiffrees": list(planned.non_chiffrees),
            **spent.axe(code),
            "phrase": planned.phrase(money.periode),
        }
    par_annee: dict[str, Any] = {}
    for row in money.prevu_par_annee().itertuples():
        if pd.isna(row.annee):
            continue  # « à répartir » is in no year: per axe, `a_repartir_eur`
        year = int(row.annee)
        par_annee[str(year)] = {"prevu_eur": float(row.montant), "sous_condition_eur": float(row.sous_condition),
                                **spent.annee(year)}
    return par_axe, par_annee


@consistent
def overview(source: Reader | Entries, ref: Reference, filters: Filters) -> Overview:
    return overview_and_quarter(entries_of(source), ref, filters)[0]


def overview_and_quarter(entries: Entries, ref: Reference, filters: Filters) -> tuple[Overview, Quarter]:
    """The overview, and the quarter it was computed from (the meeting shows more of it)."""
    state = entries.state()
    periode = state.periode_courante(filters)
    fiches, money, staff, figures = _key_figures(ref, filters)
    quarter = entries.quarter(ref, Filters(filters.axe, filters.objectif, filters.porteur, periode))
    view = quarter.view
    in_quarter = view.series  # the quarter's entries only
    axe_of = ref.fiches.set_index("numero")["axe"]
    counts = rules.renseignes(view.indicateurs, in_quarter["indicateur"], par=view.indicateurs["fiche"].map(axe_of))
    return Overview(
        titre=str(ref.feuille_de_route["titre"]),
        periode=periode,
        **figures,
        indicateurs_total=len(view.indicateurs),
        indicateurs_saisis=int(in_quarter["indicateur"].nunique()),
        state=state,
        saisis_par_axe={int(a): (int(counts["saisis"].get(a, 0)), int(counts["attendus"].get(a, 0)))
                        for a in figures["axes"]["code"]},
        attention=_attention(quarter, _reponses(entries, ref, fiches, periode, state.exemples) if periode else None,
                             ref, filters, periode, etat.suivi_fiches(entries, ref, fiches, periode, state)),
        execution=execution(entries, ref, Filters(filters.axe, filters.objectif, filters.porteur, periode)),
    ), quarter


@dataclass
class Reponses:
    """Which porteurs answered for a quarter: the one definition behind the Saisie page's « Qui a répondu ? », the
    overview's, the meeting's and the report's « Porteurs sans réponse ».

    A porteur has answered when at least one fiche it carries or co-carries has a real entry for the quarter: a value
    of one of its indicators or its follow-up (statut, météo…), as `sql.FICHES_RENSEIGNEES` selects them; or when a
    file it submitted for that quarter waits for the coordination's validation (`depots`, `depot_a_valider`). Example
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
        waiting = int(self.table["depot_a_valider"].sum())
        if waiting:
            said += f", dont {waiting} par un fichier déposé qui attend la validation de la coordination"
        if self.exemples:
            said += " : les données d'exemple chargées sont fictives et ne sont la réponse d'aucun porteur"
        return said + "."


REPONSES_COLUMNS = ["porteur", "fiches", "fiches_renseignees", "fiches_attendues", "a_repondu", "depot_a_valider"]


def _reponses(entries: Entries, ref: Reference, fiches: list[int], periode: str, exemples: bool) -> Reponses:
    """Who answered for `periode` among the porteurs of `fiches` (their fiches in that scope only)."""
    answered = entries.fiches_renseignees(ref, fiches, periode)
    submitted = entries.fiches_deposees(periode)
    carried = ref.porteurs[ref.porteurs["fiche"].isin(fiches)]
    rows_ = []
    for structure, group in carried.groupby("structure"):
        mine = sorted({int(n) for n in group["fiche"]})
        done = [n for n in mine if n in answered]
        waiting = not done and any(n in submitted for n in mine)
        rows_.append({"porteur": structure, "fiches": ", ".join(map(str, mine)), "fiches_renseignees": len(done),
                      "fiches_attendues": len(mine), "a_repondu": bool(done) or waiting, "depot_a_valider": waiting})
    table = pd.DataFrame(rows_, columns=REPONSES_COLUMNS).astype({"a_repondu": bool, "depot_a_valider": bool})
    return Reponses(periode, table.sort_values(["a_repondu", "porteur"]).reset_index(drop=True), exemples)


@consistent
def reponses(source: Reader | Entries, ref: Reference, periode: str) -> Reponses:
    """Who answered for the quarter, among the porteurs of every fiche."""
    entries = entries_of(source)
    return _reponses(entries, ref, ref.fiches_for(Filters()), periode, entries.state().exemples)


def prevu_label(head: Headline) -> str:
    """What the key figure « 71 304 € » counts, short enough for a tile: the head of the planned money's sentence
    (`rules.Prevu.phrase`) with its conditional part, « prévus sur 2024-2027, dont 5 000 € sous condition »; the
    whole sentence is on the budget's screen, slide and page."""
    planned = head.prevu
    phrase = planned.phrase(head.budget.periode).split(" ; ")[0]
    amount = formatting.euros(planned.prevu)
    return phrase[len(amount) + 1:] if phrase.startswith(amount) else phrase


def chiffres_cles(head: Headline, attention: Attention | None, periode: str | None) -> list[tuple[str, str]]:
    """The quarter in key figures, as (figure, what it counts): the headline's, how many fiches are in difficulty,
    who answered and how many indicators are late (never « 0 » when nothing can be late: `etat.retard_chiffre`).
    The meeting's first screen, the deck's and the note au comité's."""
    quarter = periodes.label(periode) if periode else "aucun trimestre saisi"
    # The fiches « en difficulté » among them: the question élus ask first (etat.en_difficulte).
    figures = [
        (str(head.nb_fiches), "fiches action") if attention is None else
        (f"{len(attention.en_difficulte)} / {head.nb_fiches}", "fiches action en difficulté"),
        (formatting.euros(head.prevu.prevu), prevu_label(head)),
        (formatting.etp(head.etp), "chiffrés"),
        (f"{head.indicateurs_saisis} / {head.indicateurs_total}", f"indicateurs renseignés en {quarter}"),
    ]
    if attention is not None and attention.reponses is not None:
        table = attention.reponses.table
        figures.append((f"{int(table['a_repondu'].sum())} / {len(table)}", "porteurs ont répondu"))
    if attention is not None:
        figures.append(attention.retard_chiffre)
    return figures
