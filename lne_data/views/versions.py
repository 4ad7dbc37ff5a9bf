"""An earlier version of the roadmap through the read models of the one in force (`version_reference`,
`version_summary`), and the figures of two versions side by side (`compare_figures`): the store keeps versions
(`lne_data.versions`), the read models read them."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from .. import versions
from .base import Filters, Reference, reference
from .ensemble import axes_totals, summary
from .moyens import budget, charge


def version_reference(con: duckdb.DuckDBPyConnection, numero: int) -> Reference:
    """Version `numero` through the very read model of the version in force (`reference`), on its frozen tables in a
    database of its own, in memory. Targets are the text's: the coordination's decisions apply to the roadmap in
    force."""
    memory = versions.restored(con, numero)
    try:
        return reference(memory)
    finally:
        memory.close()


def version_summary(con: duckdb.DuckDBPyConnection, numero: int | None = None) -> dict[str, Any]:
    """`summary --json [--version N]`: the headline figures of version N (default: the one in force)."""
    if numero is None:
        return summary(con)
    return summary(con, ref=version_reference(con, numero))


# --------------------------------------------------------------------------------------------------
# Comparing the figures of two versions (Budget, Charge RH)
# --------------------------------------------------------------------------------------------------

COMPARED = ("fiches", "prevu", "ponctuel", "par_an", "non_precise", "etp")


def compare_figures(before: Reference, after: Reference, filters: Filters) -> pd.DataFrame:
    """Per axe, the overview's figures (`axes_totals`) of two versions side by side: fiches, the money planned
    over the roadmap (`BudgetView.prevu`), one-off, yearly and period-not-given investment, ETP counted."""

    def totals(ref: Reference) -> pd.DataFrame:
        money = budget(ref, filters)
        staff = charge(ref, filters, capacite=None)
        return axes_totals(ref, money, staff).set_index("code")[["libelle", *COMPARED]]

    a, b = totals(before), totals(after)
    table = a.merge(b, how="outer", left_index=True, right_index=True, suffixes=("_avant", "_apres"))
    table["libelle"] = table["libelle_apres"].fillna(table["libelle_avant"])
    for column in COMPARED:
        table[f"{column}_avant"] = table[f"{column}_avant"].fillna(0)
        table[f"{column}_apres"] = table[f"{column}_apres"].fillna(0)
        table[f"{column}_ecart"] = table[f"{column}_apres"] - table[f"{column}_avant"]
    table = table.reset_index().rename(columns={"code": "axe"})
    return table[["axe", "libelle", *(f"{c}_{s}" for c in COMPARED for s in ("avant", "apres", "ecart"))]]
