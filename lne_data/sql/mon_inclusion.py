"""Mon Inclusion Numérique: the besoins the coordination confirmed for each fiche's action and the identifier MIN
gave it, with who and when (`lne_data.mon_inclusion` writes them, `views.mon_inclusion` reads them)."""

from __future__ import annotations

FICHE_POUR_MIN = "SELECT numero FROM fiches WHERE numero = ?"

NEXT_MIN_BESOINS_ID = "SELECT coalesce(max(id), 0) + 1 FROM min_besoins"
INSERT_MIN_BESOINS = """
INSERT INTO min_besoins (id, fiche, besoins, auteur, confirme_le)
VALUES ($id, $fiche, $besoins, $auteur, $confirme_le)
"""
# The confirmation a fiche follows now: its latest not undone (the same rule as `MIN_BESOINS` below).
MIN_BESOINS_EN_VIGUEUR_DE = "SELECT max(id) FROM min_besoins WHERE fiche = ? AND annule_le IS NULL"
ANNULER_MIN_BESOINS = "UPDATE min_besoins SET annule_le = $annule_le, annule_par = $auteur WHERE id = $id"
# Each fiche's confirmation in force.
MIN_BESOINS = """
SELECT id, fiche, besoins, auteur, confirme_le FROM min_besoins WHERE annule_le IS NULL
QUALIFY row_number() OVER (PARTITION BY fiche ORDER BY id DESC) = 1
ORDER BY fiche
"""

NEXT_MIN_IDENTIFIANT_ID = "SELECT coalesce(max(id), 0) + 1 FROM min_identifiants"
INSERT_MIN_IDENTIFIANT = """
INSERT INTO min_identifiants (id, fiche, identifiant, auteur, saisi_le)
VALUES ($id, $fiche, $identifiant, $auteur, $saisi_le)
"""
# Each fiche's latest identifier decision (identifiant NULL: withdrawn).
MIN_IDENTIFIANTS = """
SELECT id, fiche, identifiant, auteur, saisi_le FROM min_identifiants
QUALIFY row_number() OVER (PARTITION BY fiche ORDER BY id DESC) = 1
ORDER BY fiche
"""
# Another fiche whose identifier in force is this one: one action of MIN is one fiche.
MIN_IDENTIFIANT_PRIS = """
SELECT fiche FROM (
    SELECT fiche, identifiant FROM min_identifiants
    QUALIFY row_number() OVER (PARTITION BY fiche ORDER BY id DESC) = 1
) WHERE identifiant = $identifiant AND fiche <> $fiche
"""

# Every decision of both kinds, latest first: what was confirmed or recorded, by whom, when, and its undoing.
MIN_HISTORIQUE = """
SELECT 'besoins' AS genre, id, fiche, besoins AS valeur, auteur, confirme_le AS le, annule_le, annule_par,
       annule_le IS NULL AND id = max(id) FILTER (WHERE annule_le IS NULL) OVER (PARTITION BY fiche) AS en_vigueur
FROM min_besoins
UNION ALL
SELECT 'identifiant', id, fiche, identifiant, auteur, saisi_le, NULL, NULL,
       id = max(id) OVER (PARTITION BY fiche)
FROM min_identifiants
ORDER BY le DESC, genre, id DESC
"""
