"""Targets set by the coordination, with their history (`lne_data.cibles`)."""

from __future__ import annotations

INDICATEUR_POUR_CIBLE = "SELECT code, type, unite FROM indicateurs WHERE code = ?"
NEXT_CIBLE_ID = "SELECT coalesce(max(id), 0) + 1 FROM cibles_fixees"
INSERT_CIBLE = """
INSERT INTO cibles_fixees (id, indicateur, cible, echeance, motif, auteur, fixee_le, sens_type, sens_unite)
VALUES ($id, $indicateur, $cible, $echeance, $motif, $auteur, $fixee_le, $sens_type, $sens_unite)
"""
CIBLE_BY_ID = "SELECT id, indicateur, annulee_le FROM cibles_fixees WHERE id = ?"
# The decision an indicator follows now: the latest not undone (the same rule as `en_vigueur` below).
CIBLE_EN_VIGUEUR = "SELECT max(id) FROM cibles_fixees WHERE indicateur = ? AND annulee_le IS NULL"
ANNULER_CIBLE = "UPDATE cibles_fixees SET annulee_le = $annulee_le, annulee_par = $auteur WHERE id = $id"
# Every decision, latest first, with whether it is the one in force (the latest not undone of its indicator).
CIBLES_HISTORIQUE = """
SELECT c.id, c.indicateur, i.fiche, i.libelle, i.unite, c.cible, c.echeance, c.motif, c.auteur, c.fixee_le,
       c.annulee_le, c.annulee_par,
       c.annulee_le IS NULL AND c.id = max(c.id) FILTER (WHERE c.annulee_le IS NULL)
                                     OVER (PARTITION BY c.indicateur) AS en_vigueur
FROM cibles_fixees c LEFT JOIN indicateurs i ON i.code = c.indicateur
ORDER BY c.id DESC
"""
