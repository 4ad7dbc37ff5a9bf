"""What the open-data export (`lne_data.outils.datapackage`) reads besides the référentiel: every value entered for
the indicators in force, example values marked (`exemple`)."""

from __future__ import annotations

import pandas as pd

from .. import sql
from ..queries import Reader, frame


def valeurs(con: Reader) -> pd.DataFrame:
    """Every value of the indicators in force, by fiche, indicator and quarter (sql.SAISIES): indicateur, fiche,
    periode, valeur, valeur_texte, commentaire, saisi_par, import_id, exemple. The values of a retired indicator
    stay on the Feuille de route page (`versions.retired_entries`)."""
    return frame(con, sql.SAISIES)
