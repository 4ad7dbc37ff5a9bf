"""Example quarterly entries, so that a fresh install shows charts before the first real import.

Every example row is flagged `exemple` in the database, signed « Exemple (données fictives) » and commented
as such; the dashboard shows a banner while any is present, and the first real import removes them all
(the removal is in that import's history, so undoing it brings them back).
"""

from __future__ import annotations

import hashlib
from datetime import date

import duckdb
import pandas as pd

from . import periodes, sql
from .queries import frame, rows
from .saisie import ENTRY_COLUMNS, LIVRABLE, METEOS, SUIVI_FRAME_COLUMNS, Validation, import_file

AUTEUR = "Exemple (données fictives)"
COMMENTAIRE = "Donnée d'exemple, à remplacer par les vraies valeurs"
FICHIER = "exemples-integres"


def _unit(code: str, salt: str) -> float:
    """A stable number in [0, 1) per indicator: the same examples on every machine and in every test."""
    digest = hashlib.sha256(f"{code}:{salt}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def example_entries(con: duckdb.DuckDBPyConnection, today: date | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Plausible values for the last four complete quarters within the roadmap's years."""
    fdr = frame(con, sql.FEUILLE_DE_ROUTE).iloc[0]
    last = periodes.previous(periodes.of_date(today or periodes.today()))
    quarters = [q for q in periodes.all_between(int(fdr["annee_debut"]), int(fdr["annee_fin"])) if q <= last][-4:]
    indicateurs = frame(con, sql.INDICATEURS)
    entries = []
    for ind in indicateurs.itertuples():
        # About one indicator in six stays empty, as in real life: the completeness grid has something to show.
        if _unit(ind.code, "absent") < 0.17:
            continue
        total = 0.0
        for step, periode in enumerate(quarters, start=1):
            value, text = None, None
            if ind.type == "nombre":
                scale = (ind.cible / 6) if pd.notna(ind.cible) and ind.cible else 2 + 10 * _unit(ind.code, "scale")
                value = float(round(scale * (0.5 + _unit(ind.code, periode))))
                if ind.mode == "stock":
                    total = max(total, value + step)
                    value = total
            elif ind.type == "ratio":
                value = float(round(40 + 45 * _unit(ind.code, periode)))
            elif ind.type == "livrable":
                text = list(LIVRABLE)[min(2, step // 2)]
                value = LIVRABLE[text]
            else:
                text = f"Exemple : appréciation qualitative du trimestre {periodes.label(periode)}."
            entries.append({"indicateur": ind.code, "periode": periode, "valeur": value, "valeur_texte": text,
                         "commentaire": COMMENTAIRE, "saisi_par": AUTEUR, "ligne": None})
    suivi = []
    fiches = frame(con, sql.FICHES)
    statuts = ("en cours", "en cours", "réalisé", "à venir", "en pause")
    for fiche in fiches.itertuples():
        suivi.append({
            "fiche": int(fiche.numero), "periode": quarters[-1],
            "statut": statuts[int(_unit(str(fiche.numero), "statut") * len(statuts))],
            "meteo": METEOS[int(_unit(str(fiche.numero), "meteo") * len(METEOS))],
            "resultats": "Exemple : résultats du trimestre.", "freins": None,
            "prochaines_etapes": "Exemple : prochaines étapes.", "saisi_par": AUTEUR, "ligne": None,
        })
    return pd.DataFrame(entries, columns=ENTRY_COLUMNS), pd.DataFrame(suivi, columns=SUIVI_FRAME_COLUMNS)


def load_examples(con: duckdb.DuckDBPyConnection, today: date | None = None) -> int:
    """Load the examples into a database that has no entry at all; return how many were written."""
    if rows(con, sql.COUNT_SAISIES)[0][0]:
        return 0
    entries, suivi = example_entries(con, today)
    validation = Validation(FICHIER, "exemples", [], entries, suivi)
    result = import_file(con, validation, auteur=AUTEUR, exemple=True)
    return result.nouvelles
