"""The Fiche page: one fiche action, its porteurs, partenaires, moyens, indicators and follow-up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pandas as pd

from .. import periodes, rules
from ..problems import NotFound
from ..queries import Reader, consistent
from .base import Filters, Reference
from .ensemble import attention
from .entries import Entries, entries_of, indicateurs
from .series import IndicateursView


@dataclass
class FicheView:
    fiche: dict[str, Any]
    porteurs: pd.DataFrame
    partenaires: pd.DataFrame
    moyens: pd.DataFrame
    mesures: IndicateursView  # the fiche's indicators, their series and latest values
    suivi: pd.DataFrame
    periode: str | None = None  # the quarter its state is given for: the latest with entries
    raisons: list[str] = field(default_factory=list)  # why it is « en difficulté » (empty: it is not)
    retards: pd.DataFrame | None = None  # its late indicators (etat.RETARD_COLUMNS)
    prevu: rules.Prevu | None = None  # the money its text plans, the Budget page's rule (rules.fiche_plan)
    periode_prevu: str = ""  # « 2024-2027 »: the period `prevu` is over

    @property
    def etat(self) -> str:
        """Its state for élus, in a sentence: « En difficulté en T1 2027 : … », the same as the overview's."""
        quarter = f" en {periodes.label(self.periode)}" if self.periode else ""
        if self.raisons:
            return f"En difficulté{quarter} : {' ; '.join(self.raisons)}."
        if self.periode is None:
            return "Aucun trimestre saisi : rien ne signale cette fiche en difficulté."
        return f"Pas en difficulté{quarter}."

    @property
    def phrase_prevu(self) -> str:
        """« 13 800 € prévus sur 2024-2027, dont … », or « non chiffré dans la feuille de route »."""
        return self.prevu.fiche_phrase(self.periode_prevu) if self.prevu is not None else ""

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
        raise NotFound(f"La fiche n°{numero} n'existe pas.")
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
    entries = entries_of(source)
    periode = entries.state().periode_courante(Filters())
    att = attention(entries, ref, scope, periode)  # the overview's very rule, for this fiche
    found_state = att.en_difficulte[att.en_difficulte["fiche"] == numero]
    retards = att.retards
    debut, fin = int(ref.feuille_de_route["annee_debut"]), int(ref.feuille_de_route["annee_fin"])
    planned = rules.planned_lines(ref.moyens, rules.fiche_years(found, debut, fin))
    return FicheView(
        prevu=rules.prevu_of(rules.fiche_plan(planned, [numero])),
        periode_prevu=rules.periode_text(debut, fin),
        periode=periode,
        raisons=str(found_state["raisons"].iloc[0]).split(" ; ") if not found_state.empty else [],
        retards=retards[retards["fiche"] == numero].reset_index(drop=True),
        fiche=fiche_row.to_dict(),
        porteurs=ref.porteurs[ref.porteurs["fiche"] == numero].reset_index(drop=True),
        partenaires=ref.partenaires[ref.partenaires["fiche"] == numero].reset_index(drop=True),
        moyens=ref.moyens[ref.moyens["fiche"] == numero].reset_index(drop=True),
        mesures=mesures,
        suivi=entries_of(source).suivi(numero),
    )
