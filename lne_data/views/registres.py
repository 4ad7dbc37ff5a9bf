"""The registers the coordination reads and acts on: the imports, the targets it set, the closed quarters, latest
first."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import cibles, formatting, periodes


@dataclass
class ImportsView:
    table: pd.DataFrame  # columns of sql.IMPORTS, latest first

    @property
    def numeros(self) -> list[int]:
        return [int(n) for n in self.table["id"]]

    def annule(self, numero: int) -> bool:
        """Whether import `numero` was undone already (it cannot be undone twice)."""
        found = self.table.loc[self.table["id"] == numero, "annule_le"]
        return not found.empty and not pd.isna(found.iloc[0])


@dataclass
class CiblesView:
    table: pd.DataFrame  # columns of sql.CIBLES_HISTORIQUE, latest first

    @property
    def annulables(self) -> dict[int, str]:
        """The decisions not undone yet, number → label: the ones the coordination can undo."""
        open_ = self.table[self.table["annulee_le"].isna()]
        return {int(r.id): (f"Décision n°{int(r.id)} — {r.indicateur} : "
                            + ("cible retirée" if pd.isna(r.cible) else f"cible {formatting.number(float(r.cible), 2)}")
                            + f" ({r.auteur}, {cibles.date_longue(r.fixee_le)})") for r in open_.itertuples()}

    def en_vigueur(self, decision: int) -> int | None:
        """The decision in force for the indicator of `decision` (the one an undo of it would change), as this
        register shows it."""
        indicateur = self.table.loc[self.table["id"] == decision, "indicateur"]
        if indicateur.empty:
            return None
        current = self.table[(self.table["indicateur"] == indicateur.iloc[0]) & self.table["en_vigueur"].fillna(False)]
        return int(current["id"].iloc[0]) if not current.empty else None


@dataclass
class CloturesView:
    table: pd.DataFrame  # columns of sql.CLOTURES, latest first

    @property
    def numeros(self) -> list[int]:
        return [int(n) for n in self.table["id"]]

    def autres(self, numero: int) -> list[int]:
        """The closures a closure can be compared with: every other one, latest first."""
        return [n for n in self.numeros if n != numero]

    @property
    def lignes(self) -> pd.DataFrame:
        """The register as read on screen: « T3 2026 », « 14 octobre 2026 », « 2 décembre 2026 à 15 h 47 », who
        closed it, and whether it froze example data."""
        t = self.table
        return pd.DataFrame({
            "id": t["id"].astype(int),
            "periode": t["periode"].map(periodes.label),
            "comite_le": t["comite_le"].map(cibles.date_longue),
            "reference": t["reference"],
            "cloture_le": t["cloture_le"].map(lambda m: f"{cibles.date_longue(m)} à {pd.Timestamp(m):%H} h "
                                                        f"{pd.Timestamp(m):%M}"),
            "cloture_par": t["cloture_par"],
            "exemple": t["exemple"].map(lambda e: "oui (valeurs fictives)" if e else "non"),
        }, columns=["id", "periode", "comite_le", "reference", "cloture_le", "cloture_par", "exemple"])

    def libelle(self, numero: int) -> str:
        """« Clôture n°3 — T3 2026, Comité syndical du 14/10/2026 », and « (données d'exemple) » when it is."""
        row = self.table[self.table["id"] == numero].iloc[0]
        return (f"Clôture n°{numero} — {periodes.label(row['periode'])}, {row['reference']}"
                + (" (données d'exemple)" if bool(row.get("exemple", False)) else ""))
