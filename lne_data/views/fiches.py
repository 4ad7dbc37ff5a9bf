"""The Fiche page: one fiche action, its porteurs, partenaires, moyens, indicators and follow-up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import pandas as pd

from .. import rules
from ..problems import NotFound
from ..queries import Reader, consistent
from .base import Filters, Reference
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
    return FicheView(
        fiche=fiche_row.to_dict(),
        porteurs=ref.porteurs[ref.porteurs["fiche"] == numero].reset_index(drop=True),
        partenaires=ref.partenaires[ref.partenaires["fiche"] == numero].reset_index(drop=True),
        moyens=ref.moyens[ref.moyens["fiche"] == numero].reset_index(drop=True),
        mesures=mesures,
        suivi=entries_of(source).suivi(numero),
    )
