"""What the quarterly template (`lne_data.template`) reads: the référentiel's tables as stored (targets as the text
gives them, the template's own) and each indicator's last value before the quarter."""

from __future__ import annotations

import pandas as pd

from .. import sql
from ..queries import Reader, frame


def feuille_de_route_table(con: Reader) -> pd.DataFrame:
    return frame(con, sql.FEUILLE_DE_ROUTE)


def fiches_table(con: Reader) -> pd.DataFrame:
    return frame(con, sql.FICHES)


def porteurs_table(con: Reader) -> pd.DataFrame:
    return frame(con, sql.PORTEURS)


def indicateurs_table(con: Reader) -> pd.DataFrame:
    return frame(con, sql.INDICATEURS)


def latest_values(con: Reader, periode: str) -> pd.DataFrame:
    """Each indicator's last value before `periode` (a parsed quarter)."""
    return frame(con, sql.DERNIERE_VALEUR_AVANT, {"periode": periode})
