"""The Porteurs page: who carries or is partner of which fiches."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .base import Filters, Reference


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
