"""The data of one quarter's report (`ReportData`, from today's database or a closure) and the wording every
format shares: values and progressions, points of attention, the cover, key figures and decisions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

import pandas as pd

from .. import cibles, clotures, formatting, periodes, rules, views
from ..palette import AMOUNT_KIND_STYLES
from ..problems import Refused
from ..queries import Reader, consistent

EXEMPLE = "Données d'exemple"
EXEMPLE_DETAIL = ("Les valeurs des indicateurs et le suivi des fiches sont fictifs, fournis pour la démonstration : "
                  "ils seront remplacés par les premières vraies saisies.")

@dataclass(frozen=True)
class AttentionItem:
    rubrique: str
    fiche: int | None
    indicateur: str | None
    detail: str
    note: bool = False  # a sentence that explains its rubrique (who answered): not one of its points, not counted


class AttentionGroup(NamedTuple):
    """One rubrique of the points of attention as every format shows it: its heading counts its points only."""

    rubrique: str
    notes: list[str]  # read first, without a bullet
    points: list[str]

    @property
    def heading(self) -> str:
        return f"{self.rubrique} ({len(self.points)})"


# The workbook's attention sheet names a note apart: its rubrique's rows are its points only, one per row.
NOTE_RUBRIQUES = {"Porteurs sans réponse ce trimestre": "Qui a répondu ce trimestre"}


@dataclass(frozen=True)
class ClotureInfo:
    """The closure a report is built from: the comité it was presented to, and who froze it when."""

    numero: int
    comite_le: date
    reference: str
    cloture_le: datetime
    cloture_par: str

    @property
    def comite_text(self) -> str:
        """« Comité syndical du 14/10/2025 — comité du 14 octobre 2025 »."""
        return f"{self.reference} — comité du {cibles.date_longue(self.comite_le)}"

    @property
    def cloture_text(self) -> str:
        """« Clôturé le 2 décembre 2026 par Claire Martin (clôture n°3) »."""
        return f"Clôturé le {cibles.date_longue(self.cloture_le)} par {self.cloture_par} (clôture n°{self.numero})"


@dataclass(frozen=True, eq=False)  # frames inside: compared by identity, never field by field
class ReportData:
    titre: str
    territoire: str
    version: str
    periode: str  # `2025-T3`
    genere_le: datetime  # a closure's report: the moment it was closed, so that its files never change
    exemple: bool  # the entries shown hold example data: every export says so
    axes: pd.DataFrame  # views.Headline.axes: code, libelle, fiches and rules.axe_totals' columns
    budget_annees: pd.DataFrame  # axe, libelle, annee, montant: amounts stated for one given year
    budget_fiches: pd.DataFrame  # views.BudgetView.par_fiche (one-off amounts only in `total`; NaN: non chiffré)
    non_chiffrees: pd.DataFrame  # fiche, intitule, source
    non_precises: pd.DataFrame  # views.BudgetView.non_precises: amounts whose period the roadmap does not give
    etp: pd.DataFrame  # structure, etp, fiches (views.ChargeView.par_structure)
    etp_lignes: pd.DataFrame  # views.ChargeView.par_fiche, including the « par structure » lines
    coordinatrice: str
    coordinatrice_etp: float
    coordinatrice_etp_possible: float
    fiches: pd.DataFrame  # fiche, axe, axe_libelle, intitule, porteurs, statut, meteo, resultats, freins,
    #                       prochaines_etapes, saisi_par, saisis, attendus, etat (« en difficulté : … » or « »)
    indicateurs: pd.DataFrame  # every indicator with its value of the quarter (if any), progression and retard
    attention: views.Attention
    chiffres: views.Headline  # the key figures, the overview's own for the quarter (views.headline)
    cloture: ClotureInfo | None = None  # the closure the report is built from; None: today's data
    # The execution declared up to the quarter (sheet « Dépenses »): per axe, prévu (one-off), engagé and payé
    # (`views.prevu_engage_paye`), and per year engagé and payé; None for a closure made before it was frozen.
    execution: pd.DataFrame | None = None
    execution_annees: pd.DataFrame | None = None

    @property
    def periode_label(self) -> str:
        return periodes.label(self.periode)

    @property
    def saisis(self) -> pd.DataFrame:
        """The indicators reported this quarter."""
        return self.indicateurs[self.indicateurs["saisi"]].reset_index(drop=True)


def _quarter_of(ref: views.Reference, periode: str) -> str:
    found = periodes.parse(periode)
    if found is None:
        raise Refused(f"Trimestre invalide « {periode} » : écrivez-le sous la forme 2025-T3.")
    debut, fin = int(ref.feuille_de_route["annee_debut"]), int(ref.feuille_de_route["annee_fin"])
    if found not in ref.periodes():
        raise Refused(f"Le trimestre {periodes.label(found)} est hors de la feuille de route ({debut}-{fin}).")
    return found


@consistent  # one read transaction: an import committed meanwhile is either wholly in the report or not at all
def report_data(con: Reader, periode: str, *, now: datetime | None = None) -> ReportData:
    """Everything a quarterly report shows, from today's data. Raises Refused (French message) for a malformed
    quarter or one outside the roadmap's years, NotFound when no référentiel is loaded."""
    ref = views.reference(con)
    found = _quarter_of(ref, periode)
    return _report_data(con, ref, found, exemple=views.data_state(con).exemples,
                        saisis_par=views.saisis_par(con, found),
                        suivi=views.LiveEntries(con).suivi_periode(found), genere_le=now or datetime.now())


def closure_report_data(closure: clotures.Closure) -> ReportData:
    """Everything the report of a closed quarter shows, from its frozen référentiel and entries only: whatever is
    imported or corrected afterwards, the same data, hence (`build`) the same bytes. It is dated by its closure."""
    if closure.meta is None:
        raise Refused("Seul un trimestre clôturé a un rapport figé.")
    meta = closure.meta
    info = ClotureInfo(int(meta["id"]), pd.Timestamp(meta["comite_le"]).date(), str(meta["reference"]),
                       pd.Timestamp(meta["cloture_le"]).to_pydatetime().replace(microsecond=0),
                       str(meta["cloture_par"]))
    entries = closure.entries
    # A closure frozen before the author of each value was kept has none to show.
    saisis_par = (closure.saisis_par if closure.saisis_par is not None
                  else pd.DataFrame({"indicateur": pd.Series(dtype=object), "saisi_par": pd.Series(dtype=object)}))
    suivi = entries.suivi_periode(closure.periode)
    return _report_data(entries, closure.ref, closure.periode, exemple=entries.state().exemples,
                        saisis_par=saisis_par.reset_index(drop=True), suivi=suivi, genere_le=info.cloture_le,
                        cloture=info)


def _report_data(source: Reader | views.Entries, ref: views.Reference, found: str, *, exemple: bool,
                 saisis_par: pd.DataFrame, suivi: pd.DataFrame, genere_le: datetime,
                 cloture: ClotureInfo | None = None) -> ReportData:
    """The report of quarter `found` from `source`, the live database or a closure's frozen entries, through the
    same read models as the dashboard."""
    everything = views.Filters()
    # The figures of the roadmap do not depend on the quarter: the overview's own (`views.headline`, for the
    # report's quarter), so that the report and the dashboard cannot differ. One-off, yearly, per-year,
    # per-structure amounts and those whose period the roadmap does not give are never added together, as on
    # the Budget page's default view.
    head = views.headline(source, ref, views.Filters(periode=found))
    money, staff = head.budget, head.charge
    budget_annees = money.par_annee

    view = views.indicateurs(source, ref, views.Filters(periode=found))
    quarter = view.series[view.series["periode"] == found]
    table = ref.indicateurs.merge(
        quarter[["indicateur", "valeur", "valeur_texte", "commentaire", "progression", "exemple"]],
        left_on="code", right_on="indicateur", how="left",
    ).drop(columns="indicateur")
    table = table.merge(saisis_par, left_on="code", right_on="indicateur", how="left").drop(columns="indicateur")
    table["saisi"] = table["code"].isin(set(quarter["indicateur"]))
    measurable = table["type"].isin(rules.CHIFFRABLES) & (table["cible"] > 0)
    table["part_cible"] = (table["progression"] / table["cible"]).where(measurable)

    carriers = ref.porteurs.assign(
        nom=lambda d: d["structure"] + d["role"].map(lambda r: " (co-porteur)" if r == "co-porteur" else ""))
    fiches = ref.fiches[["numero", "axe", "axe_libelle", "intitule"]].rename(columns={"numero": "fiche"})
    fiches = fiches.merge(carriers.groupby("fiche")["nom"].agg(" ; ".join).rename("porteurs"),
                          left_on="fiche", right_index=True, how="left")
    fiches = fiches.merge(suivi.drop(columns="exemple"), on="fiche", how="left")
    counts = rules.renseignes(table, quarter["indicateur"])
    fiches["saisis"] = fiches["fiche"].map(counts["saisis"]).fillna(0).astype(int)
    fiches["attendus"] = fiches["fiche"].map(counts["attendus"]).fillna(0).astype(int)

    spent = views.execution(source, ref, views.Filters(periode=found))
    attention = views.attention(source, ref, everything, found)
    states, late = etat_text(attention), retard_text(attention)
    fiches["etat"] = [states.get(int(n), "") for n in fiches["fiche"]]
    table["retard"] = [late.get(str(c), "") for c in table["code"]]

    fdr = ref.feuille_de_route
    return ReportData(
        titre=str(fdr["titre"]),
        territoire=str(fdr["territoire"]),
        version=as_text(fdr.get("version")),
        periode=found,
        genere_le=genere_le,
        exemple=exemple,
        axes=head.axes,
        budget_annees=budget_annees,
        budget_fiches=money.par_fiche,
        non_chiffrees=money.non_chiffrees,
        non_precises=money.non_precises,
        etp=staff.par_structure,
        etp_lignes=staff.par_fiche,
        coordinatrice=staff.coordinatrice,
        coordinatrice_etp=staff.coordinatrice_etp,
        coordinatrice_etp_possible=staff.coordinatrice_etp_possible,
        fiches=fiches.reset_index(drop=True),
        indicateurs=table,
        attention=attention,
        chiffres=head,
        cloture=cloture,
        execution=views.prevu_engage_paye(money, spent) if spent.disponible else None,
        execution_annees=spent.par_annee if spent.disponible else None,
    )


# --------------------------------------------------------------------------------------------------
# Wording shared by every format
# --------------------------------------------------------------------------------------------------


def as_text(value: Any) -> str:
    """A value as text, « » for none. Characters a file refuses are kept: each writer shows them by their mark
    where it writes (`formatting.writable`), never drops them."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def is_number(value: Any) -> bool:
    return value is not None and not pd.isna(value)


def valeur_text(row: Any) -> str:
    """The value of an indicator as élus read it (`rules.valeur_indicateur`)."""
    return as_text(rules.valeur_indicateur(row.type, as_text(row.unite) or None, row.valeur, row.valeur_texte)) or "—"


def progression_text(row: Any) -> str:
    """Where the indicator stands against its target; flux counts are summed since the first quarter."""
    if row.type not in rules.CHIFFRABLES or not is_number(row.progression):
        return ""
    unite = as_text(row.unite) or None
    reached = rules.valeur_indicateur(row.type, unite, float(row.progression))
    prefix = "cumul " if row.mode == "flux" else ""
    if is_number(row.cible) and row.cible:
        share = formatting.percent(100 * float(row.progression) / float(row.cible))
        origine = cibles.origine_courte(getattr(row, "cible_origine", None))
        cible = rules.valeur_indicateur(row.type, unite, float(row.cible))
        return (f"{prefix}{reached} sur {cible} ({share} de la cible"
                + (f", origine : {origine})" if origine else ")"))
    return f"{prefix}{reached}" if prefix else ""


euros_text, etp_text = formatting.euros, formatting.etp


def annees_text(data: ReportData, code: int) -> str:
    rows = data.budget_annees[data.budget_annees["axe"] == code]
    return " ; ".join(f"{int(r.annee)} : {euros_text(r.montant)}" for r in rows.itertuples())


DIFFICULTE = "Fiches en difficulté"
RETARD = "Indicateurs en retard sur leur cible ou leur échéance"


def attention_items(data: ReportData) -> list[AttentionItem]:
    a, items = data.attention, []
    titles = data.fiches.set_index("fiche")["intitule"]

    def fiche_item(rubrique: str, numero: int) -> AttentionItem:
        return AttentionItem(rubrique, int(numero), None, f"Fiche {int(numero)} — {as_text(titles.get(numero))}")

    items += [AttentionItem(DIFFICULTE, int(r.fiche), None,
                            f"Fiche {int(r.fiche)} — {as_text(r.intitule)} : {as_text(r.raisons)}")
              for r in a.en_difficulte.itertuples()]
    items += [fiche_item("Fiches sans aucune valeur saisie ce trimestre", r.fiche) for r in a.sans_saisie.itertuples()]
    for r in a.retards.itertuples():
        items.append(AttentionItem(
            RETARD, int(r.fiche), r.indicateur,
            f"{r.indicateur} (fiche {int(r.fiche)}) : {as_text(r.constat)} "
            f"({as_text(r.origine) or 'origine non précisée'}) — {as_text(r.libelle)}"))
    for r in a.en_baisse.itertuples():
        items.append(AttentionItem(
            "Indicateurs en baisse", int(r.fiche), r.indicateur,
            f"{r.indicateur} (fiche {int(r.fiche)}) : {formatting.number(r.avant, 2)} → "
            f"{formatting.number(r.apres, 2)} en {periodes.label(r.periode)}"))
    if a.porteurs_sans_reponse and a.reponses is not None:  # how many answered, and why examples do not count
        items.append(AttentionItem("Porteurs sans réponse ce trimestre", None, None, a.reponses.resume, note=True))
    items += [AttentionItem("Porteurs sans réponse ce trimestre", None, None, as_text(s))
              for s in a.porteurs_sans_reponse]
    items += [fiche_item("Fiches sans porteur", n) for n in a.sans_porteur]
    items += [fiche_item("Fiches sans indicateur", n) for n in a.sans_indicateur]
    items += [fiche_item("Fiches sans investissement chiffré", n) for n in a.sans_investissement_chiffre]
    return items


def etat_text(attention: views.Attention) -> dict[int, str]:
    """Each fiche in difficulty's state as a report's table says it: « en difficulté : reasons »."""
    return {int(r.fiche): f"{rules.EN_DIFFICULTE} : {r.raisons}" for r in attention.en_difficulte.itertuples()}


def retard_text(attention: views.Attention) -> dict[str, str]:
    """Each late indicator's lateness as a report's table says it: « en retard (échéance 2026) »."""
    return {str(r.indicateur): f"en retard (échéance {int(r.echeance)})" for r in attention.retards.itertuples()}


def grouped(items: list[AttentionItem]) -> list[AttentionGroup]:
    groups: dict[str, AttentionGroup] = {}
    for item in items:
        group = groups.setdefault(item.rubrique, AttentionGroup(item.rubrique, [], []))
        (group.notes if item.note else group.points).append(item.detail)
    return list(groups.values())


def date_text(moment: datetime) -> str:
    return f"{moment:%d/%m/%Y}"


def budget_series(data: ReportData) -> list[tuple[str, str, str]]:
    """The kinds of money planned a chart stacks, in the order élus read them (`rules.PLAN_KINDS`), each with its own
    colour (`palette.AMOUNT_KIND_STYLES`): (column of `axes`, label, colour). A kind no axe has is left out."""
    return [(column, label, AMOUNT_KIND_STYLES[column][0]) for column, label in rules.PLAN_KINDS.items()
            if data.axes[column].abs().sum() > 0]


def declared_text(value: float) -> str:
    """An amount the porteurs declare (engagé, payé): « non déclaré » where none was, never 0 €."""
    return formatting.declared_euros(value)


def execution_rows(data: ReportData) -> list[list[str]]:
    """Per axe: « code. libellé », prévu (`BudgetView.prevu`; « non chiffré » for an axe the text does not
    quantify), engagé, payé (`declared_text`), as every report's execution table writes them."""
    assert data.execution is not None
    return [[f"{int(r.axe)}. {as_text(r.libelle)}",
             rules.NON_CHIFFRE if pd.isna(r.prevu_eur) else euros_text(r.prevu_eur),
             declared_text(r.engage_eur), declared_text(r.paye_eur)] for r in data.execution.itertuples()]


def prevu_text(data: ReportData, code: int | None = None) -> str:
    """The one sentence of the money planned, for the roadmap or axe `code` (`views.BudgetView.phrase`)."""
    return data.chiffres.budget.phrase(code)


def prevu_annees_text(data: ReportData, code: int | None = None) -> str:
    """What the text places in each year, then what is « à répartir » (`views.BudgetView.annees_phrase`)."""
    return data.chiffres.budget.annees_phrase(code)


def prevu_annees(data: ReportData, code: int | None = None) -> pd.DataFrame:
    """`views.BudgetView.prevu_par_annee`: libelle (a year, or « à répartir sur … »), montant, sous_condition."""
    return data.chiffres.budget.prevu_par_annee(code)


def etp_left_out(shown: int, total: int, where: str) -> str:
    """What a chart of the structures with the most ETP leaves out, said under it (`where`: the full list)."""
    return (f"Graphique limité aux {shown} structures qui portent le plus d'ETP : les {total - shown} autres "
            f"(sur {total}) n'y figurent pas. La liste complète est {where} et dans le classeur Excel du rapport "
            f"(feuille « etp »).")


def etp_par_structure_lines(data: ReportData) -> list[str]:
    rows = data.etp_lignes[~data.etp_lignes["compte"]]
    lines = [f"{etp_text(r.etp)} dans chaque structure « {as_text(r.structure)} » (fiche {int(r.fiche)}), "
             "non additionné"
             for r in rows.itertuples()]
    shared = data.etp_lignes[data.etp_lignes["compte"] & data.etp_lignes["partage"]]
    lines += [f"{etp_text(r.etp)} de « {as_text(r.structure)} » (fiche {int(r.fiche)}) également investis sur d'autres "
              "actions : comptés ici, mais pas propres à cette fiche" for r in shared.itertuples()]
    return lines


def cover_lines(data: ReportData) -> list[str]:
    """What the first page of every format says of its data: the comité, the closure, or that it is today's."""
    if data.cloture is not None:
        return [data.cloture.comite_text, data.cloture.cloture_text]
    return [f"Données du {cibles.date_longue(data.genere_le)}, trimestre non clôturé : les chiffres peuvent encore "
            "changer."]


def key_figures(data: ReportData) -> list[tuple[str, str]]:
    """The quarter in key figures, as (figure, what it counts): the meeting's own (`views.chiffres_cles`), from the
    overview's headline for the quarter, so that the deck, the PDF and the dashboard say the same."""
    return views.chiffres_cles(data.chiffres, data.attention, data.periode)


def decisions(data: ReportData) -> list[str]:
    """What the comité is asked to decide, drawn from the quarter's points of attention."""
    att = data.attention

    def listed(numbers: Sequence[Any], limit: int = 12) -> str:
        shown = ", ".join(str(n) for n in list(numbers)[:limit])
        return shown + (f" et {len(numbers) - limit} autres" if len(numbers) > limit else "")

    asked = [f"Prendre acte du suivi du {data.periode_label}"
             + (f" présenté au {data.cloture.reference}" if data.cloture else "") + "."]
    if att.porteurs_sans_reponse:
        asked.append(f"Relancer les {len(att.porteurs_sans_reponse)} porteur(s) sans réponse : "
                     f"{listed([as_text(p) for p in att.porteurs_sans_reponse], 6)}.")
    if not att.en_difficulte.empty:
        asked.append(f"Faire le point avec les porteurs des {len(att.en_difficulte)} fiche(s) en difficulté "
                     f"(fiches {listed(list(att.en_difficulte['fiche']))}).")
    if att.en_retard:
        fiches = sorted({int(f) for f in att.retards["fiche"]})
        asked.append(f"Examiner les {att.en_retard} indicateur(s) en retard sur leur cible ou leur échéance "
                     f"(fiches {listed(fiches)}) : maintenir, revoir la cible ou l'échéance, ou renforcer les moyens.")
    if att.sans_porteur:
        asked.append(f"Désigner un porteur pour les fiches {listed(att.sans_porteur)}.")
    if att.sans_investissement_chiffre:
        asked.append(f"Demander le chiffrage de l'investissement des fiches {listed(att.sans_investissement_chiffre)}.")
    asked.append("Fixer la date du prochain comité et le trimestre qui y sera présenté.")
    return asked


def axe_attention(data: ReportData, code: int) -> list[str]:
    """The points of attention of one axe's fiches, in the order of `attention_items`."""
    fiches = set(data.fiches.loc[data.fiches["axe"] == code, "fiche"].astype(int))
    short = {"Fiches sans aucune valeur saisie ce trimestre": "sans valeur saisie",
             "Fiches sans porteur": "sans porteur", "Fiches sans indicateur": "sans indicateur",
             "Fiches sans investissement chiffré": "sans investissement chiffré"}
    lines = []
    for item in attention_items(data):
        if item.fiche is None or item.fiche not in fiches:
            continue
        lines.append(f"{item.detail}" if item.indicateur or item.rubrique == DIFFICULTE
                     else f"Fiche {item.fiche} {short.get(item.rubrique, '')}")
    return lines
