"""The référentiel's versions, kept for ever, and what each retired (`lne_data.versions`)."""

from __future__ import annotations

from .referentiel import REFERENTIEL_ENTRANT, REFERENTIEL_TABLES

# --------------------------------------------------------------------------------------------------
# Versions of the référentiel (lne_data.versions)
# --------------------------------------------------------------------------------------------------

# Table names come from REFERENTIEL_TABLES, never from input. A snapshot is every column (`SELECT *`); it is
# restored by name, so that a column a later migration adds takes its default.
SNAPSHOT_TABLE = {table: f"SELECT * FROM {table}" for table in REFERENTIEL_TABLES}
RESTORE_TABLE = {table: f"INSERT INTO {table} BY NAME SELECT * FROM {REFERENTIEL_ENTRANT}"
                 for table in REFERENTIEL_TABLES}
VERSIONS = """
SELECT numero, libelle, adoptee_le, sha256, charge_par, charge_le, fiches, reconstituee, annulee_le, annulee_par,
       numero = max(numero) FILTER (WHERE annulee_le IS NULL) OVER () AS en_vigueur
FROM versions ORDER BY numero
"""
VERSION_EN_VIGUEUR = """
SELECT numero, libelle, adoptee_le, sha256, charge_par, charge_le, fiches, reconstituee
FROM versions WHERE annulee_le IS NULL ORDER BY numero DESC LIMIT 1
"""
VERSION_PRECEDENTE = "SELECT max(numero) FROM versions WHERE annulee_le IS NULL AND numero < ?"
VERSION_BY_NUMERO = "SELECT numero, annulee_le FROM versions WHERE numero = ?"
NEXT_VERSION = "SELECT coalesce(max(numero), 0) + 1 FROM versions"
COUNT_VERSIONS = "SELECT count(*) FROM versions"
INSERT_VERSION = """
INSERT INTO versions (numero, libelle, adoptee_le, sha256, charge_par, charge_le, fiches, reconstituee)
VALUES ($numero, $libelle, $adoptee_le, $sha256, $charge_par, current_timestamp, $fiches, $reconstituee)
"""
INSERT_VERSION_DONNEES = "INSERT INTO versions_donnees (version, nom, donnees) VALUES ($version, $nom, $donnees)"
VERSION_DONNEES = "SELECT nom, donnees FROM versions_donnees WHERE version = ?"
ANNULER_VERSION = "UPDATE versions SET annulee_le = current_timestamp, annulee_par = $auteur WHERE numero = $numero"
INSERT_RETRAIT = """
INSERT INTO referentiel_retraits (version, genre, code, fiche, libelle, type, unite, mode, retire_le, remplace_par)
VALUES ($version, $genre, $code, $fiche, $libelle, $type, $unite, $mode, $retire_le, $remplace_par)
"""
DELETE_RETRAITS = "DELETE FROM referentiel_retraits WHERE version = ?"
# The fiches and indicators retired and not back in the version in force: the latest retirement of each (by a
# version not undone), with how many entries (values or follow-ups) they keep.
RETRAITS = """
WITH r AS (
    SELECT r.* FROM referentiel_retraits r JOIN versions v ON v.numero = r.version AND v.annulee_le IS NULL
    QUALIFY row_number() OVER (PARTITION BY r.genre, r.code ORDER BY r.version DESC) = 1
)
SELECT r.genre, r.code, r.fiche, r.libelle, r.type, r.unite, r.mode, r.retire_le, r.version, r.remplace_par,
       CASE WHEN r.genre = 'indicateur'
            THEN (SELECT count(*) FROM saisies s WHERE s.indicateur = r.code)
            ELSE (SELECT count(*) FROM suivi_fiches s WHERE s.fiche = r.fiche) END AS saisies
FROM r
WHERE (r.genre = 'indicateur' AND r.code NOT IN (SELECT code FROM indicateurs))
   OR (r.genre = 'fiche' AND r.fiche NOT IN (SELECT numero FROM fiches))
ORDER BY r.fiche, r.genre DESC, r.code
"""
SAISIES_RETIREES = """
SELECT s.indicateur, s.periode, s.valeur, s.valeur_texte, s.commentaire, s.saisi_par, s.exemple
FROM saisies s WHERE s.indicateur NOT IN (SELECT code FROM indicateurs)
ORDER BY s.indicateur, s.periode
"""
# An undo is refused when entries exist for an indicator or a fiche the previous version does not have (registered
# as `referentiel_entrant`, the previous version's indicators, and `fiches_precedentes`).
SAISIES_SANS_INDICATEUR = """
SELECT DISTINCT s.indicateur FROM saisies s
WHERE s.indicateur IN (SELECT code FROM indicateurs)
  AND s.indicateur NOT IN (SELECT code FROM referentiel_entrant)
ORDER BY 1
"""
SUIVI_SANS_FICHE = """
SELECT DISTINCT s.fiche FROM suivi_fiches s
WHERE s.fiche IN (SELECT numero FROM fiches) AND s.fiche NOT IN (SELECT numero FROM fiches_precedentes)
ORDER BY 1
"""
# Every indicator code a version ever had: what « remplace » may name.
CODES_CONNUS = "SELECT code FROM indicateurs UNION SELECT code FROM referentiel_retraits WHERE genre = 'indicateur'"
# The meanings entries were typed under, per indicator, with how many and over which quarters (`versions.meaning`).
SENS_DES_SAISIES = """
SELECT indicateur, sens_type, sens_unite, sens_mode, count(*), min(periode), max(periode) FROM saisies
WHERE sens_type IS NOT NULL GROUP BY ALL ORDER BY ALL
"""
# The coordination's target each indicator follows now, when it has a value, with the meaning it was typed in.
SENS_DES_CIBLES = """
SELECT indicateur, id, cible, sens_type, sens_unite FROM cibles_fixees c
WHERE annulee_le IS NULL AND cible IS NOT NULL
  AND id = (SELECT max(id) FROM cibles_fixees d WHERE d.indicateur = c.indicateur AND d.annulee_le IS NULL)
ORDER BY indicateur
"""
PERIODES_SAISIES = """
SELECT periode, count(*) FROM (SELECT periode FROM saisies UNION ALL SELECT periode FROM suivi_fiches)
GROUP BY periode ORDER BY periode
"""
