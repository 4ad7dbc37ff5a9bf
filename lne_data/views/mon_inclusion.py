"""What the exports to Mon Inclusion Numérique read: the roadmap in force, its money planned (the Budget page's very
read model) and the coordination's decisions for MIN (besoins confirmed, identifiers), in one snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import pandas as pd

from .. import sql
from ..mon_inclusion import besoins_of
from ..queries import Reader, consistent, frame
from .base import Filters, Reference, reference
from .moyens import BudgetView, budget


class Confirmation(NamedTuple):
    """The besoins the coordination confirmed for a fiche's action, in force: decision number, codes, who, when."""

    decision: int
    besoins: tuple[str, ...]
    auteur: str
    le: datetime


class Identifiant(NamedTuple):
    """The identifier MIN gave a fiche's action, as the coordination recorded it."""

    decision: int
    identifiant: str
    auteur: str
    le: datetime


@dataclass
class MinDecisions:
    besoins: pd.DataFrame  # the confirmation in force of each fiche: id, fiche, besoins, auteur, confirme_le
    identifiants: pd.DataFrame  # each fiche's latest identifier: id, fiche, identifiant (None), auteur, saisi_le
    historique: pd.DataFrame  # every decision, latest first (sql.MIN_HISTORIQUE)

    def confirmation(self, fiche: int) -> Confirmation | None:
        found = self.besoins[self.besoins["fiche"] == fiche]
        if found.empty:
            return None
        row = found.iloc[0]
        return Confirmation(int(row["id"]), tuple(besoins_of(str(row["besoins"]))), str(row["auteur"]),
                            pd.Timestamp(row["confirme_le"]).to_pydatetime())

    def identifiant(self, fiche: int) -> Identifiant | None:
        found = self.identifiants[self.identifiants["fiche"] == fiche]
        if found.empty or pd.isna(found.iloc[0]["identifiant"]):
            return None
        row = found.iloc[0]
        return Identifiant(int(row["id"]), str(row["identifiant"]), str(row["auteur"]),
                           pd.Timestamp(row["saisi_le"]).to_pydatetime())


@dataclass
class MinSource:
    ref: Reference
    budget: BudgetView  # every fiche, its money planned by `rules` (`par_fiche`: prevu, sous_condition…)
    decisions: MinDecisions


@consistent
def min_decisions(con: Reader) -> MinDecisions:
    return MinDecisions(frame(con, sql.MIN_BESOINS), frame(con, sql.MIN_IDENTIFIANTS), frame(con, sql.MIN_HISTORIQUE))


@consistent
def min_source(con: Reader) -> MinSource:
    """The roadmap in force and the coordination's decisions for MIN, read together."""
    ref = reference(con)
    # The money planned over the roadmap is the Budget page's (`views.budget`, `rules.fiche_plan`).
    planned = budget(ref, Filters())
    return MinSource(ref, planned, min_decisions(con))
