"""Late indicators and fiches in difficulty (`rules.livrable_en_retard`, `rules.raisons_difficulte`) worked out for
the quarter shown: the one computation behind the overview's points of attention, the Fiche page, the meeting and
the reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from .. import formatting, periodes, rules
from .base import DataState, Reference
from .entries import Entries

ECHUS_COLUMNS = ["indicateur", "fiche", "libelle", "etat", "echeance", "cible_provenance"]
DIFFICULTE_COLUMNS = ["fiche", "intitule", "raisons"]


def livrables_echus(dernieres: pd.DataFrame, periode: str | None, aujourdhui: date) -> pd.DataFrame:
    """The deliverables in `dernieres` (the latest value of each indicator up to the quarter) late against their
    échéance: indicateur, fiche, libelle, etat (« non commencé », « en cours », « — » when never entered),
    echeance and whose échéance it is (cible_provenance)."""
    late = [{"indicateur": r.code, "fiche": int(r.fiche), "libelle": r.libelle,
             "etat": rules.valeur_indicateur(r.type, None, r.valeur), "echeance": int(r.echeance),
             "cible_provenance": r.cible_provenance}
            for r in dernieres.itertuples()
            if rules.livrable_en_retard(r.type, r.echeance, r.valeur, periode, aujourdhui)]
    return pd.DataFrame(late, columns=ECHUS_COLUMNS).astype({"fiche": "int64", "echeance": "int64"})


def suivables(indicateurs: pd.DataFrame, periode: str | None) -> int:
    """How many indicators of `indicateurs` can be late at all (`rules.peut_etre_en_retard`)."""
    return sum(rules.peut_etre_en_retard(r.type, r.cible, r.echeance, periode) for r in indicateurs.itertuples())


@dataclass
class SuiviFiches:
    """What the difficulty of the fiches reads from the quarter shown and the one before it."""

    meteo: dict[int, str] = field(default_factory=dict)
    meteo_precedente: dict[int, str] = field(default_factory=dict)
    renseignees: set[int] = field(default_factory=set)
    renseignees_precedente: set[int] = field(default_factory=set)
    saisie: bool = False  # some porteur really answered for the quarter: a fiche without entry is silent
    precedente_saisie: bool = False  # and for the quarter before: « two quarters running » can be said


def suivi_fiches(entries: Entries, ref: Reference, fiches: list[int], periode: str | None,
                 state: DataState) -> SuiviFiches:
    """The météo of `fiches` and whether anything was entered for them, in `periode` and the quarter before."""
    if periode is None:
        return SuiviFiches()

    def meteos(quarter: str) -> dict[int, str]:
        found = entries.suivi_periode(quarter)
        return {int(n): m for n, m in zip(found["fiche"], found["meteo"]) if isinstance(m, str)}

    before = periodes.previous(periode)
    had_entries = before in state.periodes_saisies
    answered = entries.fiches_renseignees(ref, fiches, periode)
    answered_before = entries.fiches_renseignees(ref, fiches, before) if had_entries else set()
    return SuiviFiches(
        meteo=meteos(periode),
        meteo_precedente=meteos(before) if had_entries else {},
        renseignees=answered,
        renseignees_precedente=answered_before,
        # A quarter nobody really answered for (examples only, or before the dashboard was used) is held against
        # no fiche: silence is counted only within quarters some porteur answered.
        saisie=bool(answered),
        precedente_saisie=bool(answered_before),
    )


def en_difficulte(ref: Reference, fiches: list[int], suivi: SuiviFiches, echus: pd.DataFrame,
                  sous_cible: pd.DataFrame, periode: str | None) -> pd.DataFrame:
    """The fiches of `fiches` « en difficulté » for the quarter shown, in the roadmap's order, with their reasons
    (`rules.raisons_difficulte`) joined by « ; »."""
    titles = ref.intitules()
    found = []
    for numero in fiches:
        raisons = rules.raisons_difficulte(
            suivi.meteo.get(numero), suivi.meteo_precedente.get(numero),
            [(r.indicateur, r.echeance) for r in echus[echus["fiche"] == numero].itertuples()],
            list(sous_cible.loc[sous_cible["fiche"] == numero, "indicateur"]),
            suivi.saisie and numero not in suivi.renseignees,
            suivi.precedente_saisie and numero not in suivi.renseignees_precedente)
        if raisons:
            found.append({"fiche": numero, "intitule": titles.get(numero, ""), "raisons": " ; ".join(raisons)})
    return pd.DataFrame(found, columns=DIFFICULTE_COLUMNS).astype({"fiche": "int64"})


def retard_chiffre(en_retard: int, suivis: int) -> tuple[str, str]:
    """The late indicators as a key figure (figure, what it counts): « 2 / 3 » of those with a target or an échéance;
    never « 0 » when nothing can be late."""
    if not suivis:
        return "aucune", "cible chiffrée ni échéance"  # « aucune cible chiffrée ni échéance »: nothing can be late
    return f"{en_retard} / {suivis}", "indicateurs en retard (cible ou échéance)"


def retard_titre(en_retard: int, suivis: int) -> str:
    """The heading of the list of late indicators, in a sentence: « Indicateurs en retard : 2 sur 2 ayant une cible
    ou une échéance », or that nothing can be late."""
    if not suivis:
        return f"Indicateurs en retard : {rules.AUCUNE_CIBLE}"
    return f"Indicateurs en retard : {en_retard} sur {suivis} ayant une cible ou une échéance"


def difficulte_titre(count: int, periode: str | None) -> str:
    """« Fiches en difficulté (T1 2027) : 2 », or « aucune »."""
    quarter = f" ({periodes.label(periode)})" if periode else ""
    return f"Fiches en difficulté{quarter} : {count if count else 'aucune'}"


# The late indicators as every list shows them: what is reached, what was due, by when, and whose target it is.
RETARD_COLUMNS = ["indicateur", "fiche", "libelle", "realise", "attendu", "echeance", "origine", "constat"]
RETARD_LABELS = {"indicateur": "Indicateur", "fiche": "Fiche", "libelle": "Libellé", "realise": "Réalisé",
                 "attendu": "Attendu", "echeance": "Échéance", "origine": "Origine de la cible"}


def retards(sous_cible: pd.DataFrame, echus: pd.DataFrame) -> pd.DataFrame:
    """The indicators late against their target (`sous_cible`: reached, expected at this stage, target) and the
    deliverables late against their échéance (`echus`), in one list by fiche, each with its échéance; `constat`
    says it in a sentence (the reports' points of attention)."""
    number = formatting.number
    rows_ = [{"indicateur": r.indicateur, "fiche": int(r.fiche), "libelle": r.libelle,
              "realise": number(r.valeur, 2),
              "attendu": f"{number(r.attendu, 1)} à ce stade (cible {number(r.cible, 2)})",
              "echeance": int(r.echeance), "origine": r.cible_provenance,
              "constat": f"{number(r.valeur, 2)} atteint(s), {number(r.attendu, 1)} attendu(s) à ce stade, "
                         f"échéance {int(r.echeance)}, cible {number(r.cible, 2)}"} for r in sous_cible.itertuples()]
    rows_ += [{"indicateur": r.indicateur, "fiche": int(r.fiche), "libelle": r.libelle, "realise": r.etat,
               "attendu": "réalisé", "echeance": int(r.echeance), "origine": r.cible_provenance,
               "constat": f"« {r.etat} » au lieu de « réalisé », échéance {int(r.echeance)}"}
              for r in echus.itertuples()]
    table = pd.DataFrame(rows_, columns=RETARD_COLUMNS).astype({"fiche": "int64", "echeance": "int64"})
    return table.sort_values(["fiche", "indicateur"], kind="stable").reset_index(drop=True)
