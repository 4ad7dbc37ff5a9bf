"""Clôtures: a quarter frozen as presented to a comité, and compared (`lne_data.clotures`)."""

from __future__ import annotations

SERIES_JUSQUA = """
SELECT s.indicateur, i.fiche, s.periode, s.valeur, s.valeur_texte, s.commentaire, s.exemple
FROM saisies s JOIN indicateurs i ON i.code = s.indicateur
WHERE s.periode <= $periode
ORDER BY s.indicateur, s.periode
"""
SUIVI_JUSQUA = """
SELECT fiche, periode, statut, meteo, resultats, freins, prochaines_etapes, saisi_par, exemple
FROM suivi_fiches WHERE periode <= $periode ORDER BY fiche, periode
"""
# The values that differ between a closure (its frozen entries registered as `cloture_avant`) and another state:
# another closure (`cloture_apres`) or today's entries up to the closure's quarter. NaN counts as missing, as in
# pandas, where the frozen values have been; a row on one side only differs unless it is empty.
_VALEURS_DIFFERENTES = """
SELECT coalesce(a.indicateur, b.indicateur) AS indicateur, coalesce(a.fiche, b.fiche) AS fiche,
       coalesce(a.periode, b.periode) AS periode, a.valeur AS valeur_avant, a.valeur_texte AS valeur_texte_avant,
       b.valeur AS valeur_apres, b.valeur_texte AS valeur_texte_apres
FROM cloture_avant a FULL OUTER JOIN {apres} b
  ON b.indicateur = a.indicateur AND b.fiche = a.fiche AND b.periode = a.periode
WHERE nullif(a.valeur, 'NaN'::DOUBLE) IS DISTINCT FROM nullif(b.valeur, 'NaN'::DOUBLE)
   OR a.valeur_texte IS DISTINCT FROM b.valeur_texte
"""
VALEURS_DIFFERENTES = _VALEURS_DIFFERENTES.format(apres="cloture_apres")
VALEURS_DIFFERENTES_ACTUELLES = _VALEURS_DIFFERENTES.format(apres="""(
    SELECT s.indicateur, i.fiche, s.periode, s.valeur, s.valeur_texte
    FROM saisies s JOIN indicateurs i ON i.code = s.indicateur
    WHERE s.periode <= $periode
)""")
NEXT_CLOTURE_ID = "SELECT coalesce(max(id), 0) + 1 FROM clotures"
INSERT_CLOTURE = """
INSERT INTO clotures (id, periode, comite_le, reference, cloture_le, cloture_par)
VALUES ($id, $periode, $comite_le, $reference, current_timestamp, $cloture_par)
"""
INSERT_CLOTURE_DONNEES = "INSERT INTO clotures_donnees (cloture_id, nom, donnees) VALUES ($cloture_id, $nom, $donnees)"
# `exemple`: the closure froze example entries (clotures.close_quarter then adds a frame named `exemples`).
CLOTURES = """
SELECT id, periode, comite_le, reference, cloture_le, cloture_par,
       EXISTS (SELECT 1 FROM clotures_donnees d WHERE d.cloture_id = c.id AND d.nom = 'exemples') AS exemple
FROM clotures c ORDER BY id DESC
"""
CLOTURE = "SELECT id, periode, comite_le, reference, cloture_le, cloture_par FROM clotures WHERE id = ?"
CLOTURE_DONNEES = "SELECT nom, donnees FROM clotures_donnees WHERE cloture_id = ?"
