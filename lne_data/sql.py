"""Every SQL statement of the project, in one place.

Values are always bound as parameters (`?` or `$name`), never formatted into the text. Statements are
plain constants so that a maintainer can read the whole data model and every query in one file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_NAMED = re.compile(r"\$([a-z_][a-z0-9_]*)")


def bind(statement: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """The named parameters `statement` uses, taken from `record` (DuckDB refuses extra keys)."""
    return {name: record.get(name) for name in dict.fromkeys(_NAMED.findall(statement))}

# --------------------------------------------------------------------------------------------------
# Schema, as numbered migrations. A database records the versions it has; `db.migrate` applies the rest
# in order, each in its own transaction. Never edit a released migration: add a new one.
# --------------------------------------------------------------------------------------------------

MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    description VARCHAR NOT NULL,
    applied_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
)
"""

APPLIED_VERSIONS = "SELECT version FROM schema_migrations ORDER BY version"
# Read-only: whether `init` ever ran on this file (a DuckDB file made elsewhere has no such table).
HAS_SCHEMA = ("SELECT count(*) FROM information_schema.tables "
              "WHERE table_name = 'schema_migrations' AND table_schema = 'main'")
RECORD_MIGRATION = "INSERT INTO schema_migrations (version, description) VALUES (?, ?)"

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "Référentiel de la feuille de route",
        [
            """
            CREATE TABLE feuille_de_route (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                titre VARCHAR NOT NULL,
                territoire VARCHAR NOT NULL,
                structure_coordinatrice VARCHAR NOT NULL,
                annee_debut INTEGER NOT NULL,
                annee_fin INTEGER NOT NULL,
                version VARCHAR,
                source VARCHAR,
                sha256 VARCHAR NOT NULL,
                charge_le TIMESTAMP NOT NULL
            )
            """,
            "CREATE TABLE axes (code INTEGER PRIMARY KEY, libelle VARCHAR NOT NULL)",
            """
            CREATE TABLE objectifs (
                code VARCHAR PRIMARY KEY,
                axe INTEGER NOT NULL,
                libelle VARCHAR NOT NULL,
                libelle_sommaire VARCHAR,
                note VARCHAR
            )
            """,
            """
            CREATE TABLE fiches (
                numero INTEGER PRIMARY KEY,
                objectif VARCHAR NOT NULL,
                intitule VARCHAR NOT NULL,
                titre_sommaire VARCHAR,
                public_cible VARCHAR,
                enjeux VARCHAR,
                description VARCHAR,
                freins VARCHAR,
                leviers VARCHAR,
                ressources_existantes VARCHAR,
                ajoutee_le DATE,
                version VARCHAR
            )
            """,
            "CREATE TABLE structures (nom VARCHAR PRIMARY KEY, variantes VARCHAR, type VARCHAR)",
            """
            CREATE TABLE porteurs (
                fiche INTEGER NOT NULL,
                structure VARCHAR NOT NULL,
                role VARCHAR NOT NULL,
                niveau VARCHAR,
                source VARCHAR,
                PRIMARY KEY (fiche, structure)
            )
            """,
            """
            CREATE TABLE partenaires (
                fiche INTEGER NOT NULL,
                structure VARCHAR NOT NULL,
                precision VARCHAR,
                source VARCHAR,
                PRIMARY KEY (fiche, structure)
            )
            """,
            """
            CREATE TABLE moyens (
                id INTEGER PRIMARY KEY,
                fiche INTEGER NOT NULL,
                rubrique VARCHAR NOT NULL,
                nature VARCHAR NOT NULL,
                structure VARCHAR,
                attribution VARCHAR,
                libelle VARCHAR,
                quantifie BOOLEAN NOT NULL,
                montant DOUBLE,
                unite VARCHAR,
                periodicite VARCHAR,
                annee INTEGER,
                source VARCHAR,
                note VARCHAR
            )
            """,
            """
            CREATE TABLE indicateurs (
                code VARCHAR PRIMARY KEY,
                fiche INTEGER NOT NULL,
                rang INTEGER NOT NULL,
                libelle VARCHAR NOT NULL,
                type VARCHAR NOT NULL,
                unite VARCHAR,
                mode VARCHAR NOT NULL,
                cible DOUBLE,
                cible_source VARCHAR,
                echeance INTEGER
            )
            """,
        ],
    ),
    (
        2,
        "Saisies trimestrielles, imports et historique",
        [
            """
            CREATE TABLE imports (
                id INTEGER PRIMARY KEY,
                fichier VARCHAR NOT NULL,
                sha256 VARCHAR NOT NULL,
                auteur VARCHAR NOT NULL,
                importe_le TIMESTAMP NOT NULL,
                exemple BOOLEAN NOT NULL DEFAULT false,
                nb_nouvelles INTEGER NOT NULL,
                nb_modifiees INTEGER NOT NULL,
                nb_inchangees INTEGER NOT NULL,
                annule_le TIMESTAMP,
                annule_par VARCHAR
            )
            """,
            """
            CREATE TABLE saisies (
                indicateur VARCHAR NOT NULL,
                periode VARCHAR NOT NULL,
                valeur DOUBLE,
                valeur_texte VARCHAR,
                commentaire VARCHAR,
                saisi_par VARCHAR,
                import_id INTEGER NOT NULL,
                exemple BOOLEAN NOT NULL DEFAULT false,
                PRIMARY KEY (indicateur, periode)
            )
            """,
            # One row per value an import touched, with what was there before, so an import can be undone.
            """
            CREATE TABLE saisies_historique (
                import_id INTEGER NOT NULL,
                indicateur VARCHAR NOT NULL,
                periode VARCHAR NOT NULL,
                action VARCHAR NOT NULL,  -- ajout, modification, suppression (examples replaced by real data)
                existait BOOLEAN NOT NULL,
                avant_valeur DOUBLE,
                avant_valeur_texte VARCHAR,
                avant_commentaire VARCHAR,
                avant_saisi_par VARCHAR,
                avant_import_id INTEGER,
                avant_exemple BOOLEAN,
                apres_valeur DOUBLE,
                apres_valeur_texte VARCHAR,
                apres_commentaire VARCHAR,
                apres_saisi_par VARCHAR,
                PRIMARY KEY (import_id, indicateur, periode, action)
            )
            """,
            """
            CREATE TABLE suivi_fiches (
                fiche INTEGER NOT NULL,
                periode VARCHAR NOT NULL,
                statut VARCHAR,
                meteo VARCHAR,
                resultats VARCHAR,
                freins VARCHAR,
                prochaines_etapes VARCHAR,
                saisi_par VARCHAR,
                import_id INTEGER NOT NULL,
                exemple BOOLEAN NOT NULL DEFAULT false,
                PRIMARY KEY (fiche, periode)
            )
            """,
            """
            CREATE TABLE suivi_historique (
                import_id INTEGER NOT NULL,
                fiche INTEGER NOT NULL,
                periode VARCHAR NOT NULL,
                action VARCHAR NOT NULL,
                existait BOOLEAN NOT NULL,
                avant_statut VARCHAR,
                avant_meteo VARCHAR,
                avant_resultats VARCHAR,
                avant_freins VARCHAR,
                avant_prochaines_etapes VARCHAR,
                avant_saisi_par VARCHAR,
                avant_import_id INTEGER,
                avant_exemple BOOLEAN,
                PRIMARY KEY (import_id, fiche, periode, action)
            )
            """,
        ],
    ),
    (
        3,
        "Clôtures de trimestre (chiffres figés tels que présentés en comité)",
        [
            """
            CREATE TABLE clotures (
                id INTEGER PRIMARY KEY,
                periode VARCHAR NOT NULL,
                comite_le DATE NOT NULL,
                reference VARCHAR NOT NULL,
                cloture_le TIMESTAMP NOT NULL,
                cloture_par VARCHAR NOT NULL
            )
            """,
            # Each frozen table as Parquet: exact types, and the frozen view never depends on later schemas.
            """
            CREATE TABLE clotures_donnees (
                cloture_id INTEGER NOT NULL,
                nom VARCHAR NOT NULL,
                donnees BLOB NOT NULL,
                PRIMARY KEY (cloture_id, nom)
            )
            """,
        ],
    ),
    (
        4,
        "Moyens : montants sous condition et temps de travail partagé avec d'autres actions",
        [
            "ALTER TABLE moyens ADD COLUMN conditionnel BOOLEAN NOT NULL DEFAULT false",
            "ALTER TABLE moyens ADD COLUMN partage BOOLEAN NOT NULL DEFAULT false",
        ],
    ),
    (
        5,
        "Cibles fixées par la coordination (qui, quand, pourquoi), avec leur historique",
        [
            # One row per decision, never updated except to record its undoing: the history is the table. No foreign
            # key to `indicateurs`: the référentiel is replaced as a whole when it is reloaded.
            """
            CREATE TABLE cibles_fixees (
                id INTEGER PRIMARY KEY,
                indicateur VARCHAR NOT NULL,
                cible DOUBLE,  -- NULL: the coordination withdrew the target (not even the text's applies)
                echeance INTEGER,  -- NULL: due at the end of the roadmap
                motif VARCHAR NOT NULL,
                auteur VARCHAR NOT NULL,
                fixee_le TIMESTAMP NOT NULL,
                annulee_le TIMESTAMP,
                annulee_par VARCHAR
            )
            """,
        ],
    ),
    (
        6,
        "Versions de la feuille de route (gardées pour toujours), éléments retirés et indicateurs remplacés",
        [
            # The adoption date of the version a workbook transcribes; an indicator may say which one it replaces.
            "ALTER TABLE feuille_de_route ADD COLUMN adoptee_le DATE",
            "ALTER TABLE indicateurs ADD COLUMN remplace VARCHAR",
            # One row per version ever in force, never deleted: an undone version keeps its row, marked undone.
            """
            CREATE TABLE versions (
                numero INTEGER PRIMARY KEY,
                libelle VARCHAR,
                adoptee_le DATE,
                sha256 VARCHAR NOT NULL,
                charge_par VARCHAR NOT NULL,
                charge_le TIMESTAMP NOT NULL,
                fiches INTEGER NOT NULL,
                reconstituee VARCHAR,  -- NULL: loaded from a workbook; else how it was rebuilt, in French
                annulee_le TIMESTAMP,
                annulee_par VARCHAR
            )
            """,
            # Every référentiel table as it was in force, as Parquet (exact types, whatever later schemas add).
            """
            CREATE TABLE versions_donnees (
                version INTEGER NOT NULL,
                nom VARCHAR NOT NULL,
                donnees BLOB NOT NULL,
                PRIMARY KEY (version, nom)
            )
            """,
            # What a version retired (a fiche or an indicator), with what is needed to show its entries, which stay
            # in `saisies`/`suivi_fiches`; `remplace_par` is the indicator that took over a changed meaning.
            """
            CREATE TABLE referentiel_retraits (
                version INTEGER NOT NULL,
                genre VARCHAR NOT NULL,  -- fiche, indicateur
                code VARCHAR NOT NULL,  -- the fiche's number as text, or the indicator's code
                fiche INTEGER NOT NULL,
                libelle VARCHAR NOT NULL,
                type VARCHAR,
                unite VARCHAR,
                mode VARCHAR,
                retire_le DATE NOT NULL,
                remplace_par VARCHAR,
                PRIMARY KEY (version, genre, code)
            )
            """,
        ],
    ),
]

# --------------------------------------------------------------------------------------------------
# Référentiel: replaced as a whole, in one transaction, from the reference workbook.
# --------------------------------------------------------------------------------------------------

REFERENTIEL_SHA = "SELECT sha256 FROM feuille_de_route WHERE id = 1"
REFERENTIEL_TABLES = (
    "indicateurs",
    "moyens",
    "partenaires",
    "porteurs",
    "structures",
    "fiches",
    "objectifs",
    "axes",
    "feuille_de_route",
)
# Table names come from the constant tuple above, never from input.
DELETE_ALL = {table: f"DELETE FROM {table}" for table in REFERENTIEL_TABLES}

INSERT_FEUILLE_DE_ROUTE = """
INSERT INTO feuille_de_route
    (id, titre, territoire, structure_coordinatrice, annee_debut, annee_fin, version, source, sha256, charge_le,
     adoptee_le)
VALUES (1, $titre, $territoire, $structure_coordinatrice, $annee_debut, $annee_fin, $version, $source,
        $sha256, current_timestamp, $adoptee_le)
"""
# Every other sheet goes in with one statement per table, its rows registered on the cursor as an Arrow table
# named `referentiel_entrant`: a national référentiel has 16 000 rows, and one INSERT per row cost ~1 ms each.
# Columns in the order of the schema; `moyens.id` is the line's rank in its sheet, `indicateurs.rang` comes
# from the code (F06-I2 → 2).
REFERENTIEL_COLUMNS: dict[str, tuple[str, ...]] = {
    "axes": ("code", "libelle"),
    "objectifs": ("code", "axe", "libelle", "libelle_sommaire", "note"),
    "fiches": ("numero", "objectif", "intitule", "titre_sommaire", "public_cible", "enjeux", "description", "freins",
               "leviers", "ressources_existantes", "ajoutee_le", "version"),
    "structures": ("nom", "variantes", "type"),
    "porteurs": ("fiche", "structure", "role", "niveau", "source"),
    "partenaires": ("fiche", "structure", "precision", "source"),
    "indicateurs": ("code", "fiche", "rang", "libelle", "type", "unite", "mode", "cible", "cible_source", "echeance",
                    "remplace"),
    "moyens": ("id", "fiche", "rubrique", "nature", "structure", "attribution", "libelle", "quantifie", "montant",
               "unite", "periodicite", "annee", "source", "note", "conditionnel", "partage"),
}
REFERENTIEL_ENTRANT = "referentiel_entrant"
# Table and column names come from the constant mapping above, never from input; values are never in the text.
INSERT_REFERENTIEL = {
    table: f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM {REFERENTIEL_ENTRANT}"
    for table, columns in REFERENTIEL_COLUMNS.items()
}
INDICATEURS_AVEC_SAISIES = "SELECT DISTINCT indicateur FROM saisies ORDER BY indicateur"
FICHES_AVEC_SUIVI = "SELECT DISTINCT fiche FROM suivi_fiches ORDER BY fiche"

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
# Which indicators of the version in force have entries, and whether each has any (a change of meaning under the
# same code would misread them).
INDICATEURS_SAISIS_DETAIL = """
SELECT i.code, i.type, i.unite, i.mode FROM indicateurs i
WHERE EXISTS (SELECT 1 FROM saisies s WHERE s.indicateur = i.code)
"""
CODES_CONNUS = "SELECT code FROM indicateurs UNION SELECT code FROM referentiel_retraits WHERE genre = 'indicateur'"

# --------------------------------------------------------------------------------------------------
# Reading the référentiel
# --------------------------------------------------------------------------------------------------

FEUILLE_DE_ROUTE = """
SELECT titre, territoire, structure_coordinatrice, annee_debut, annee_fin, version, source, charge_le
FROM feuille_de_route WHERE id = 1
"""
AXES = "SELECT code, libelle FROM axes ORDER BY code"
OBJECTIFS = "SELECT code, axe, libelle, libelle_sommaire, note FROM objectifs ORDER BY axe, code"
FICHES = """
SELECT f.numero, f.intitule, f.titre_sommaire, f.objectif, o.libelle AS objectif_libelle, o.axe,
       a.libelle AS axe_libelle, f.public_cible, f.enjeux, f.description, f.freins, f.leviers,
       f.ressources_existantes, f.ajoutee_le, f.version
FROM fiches f JOIN objectifs o ON o.code = f.objectif JOIN axes a ON a.code = o.axe
ORDER BY f.numero
"""
STRUCTURES = "SELECT nom, variantes, type FROM structures ORDER BY nom"
PORTEURS = "SELECT fiche, structure, role, niveau, source FROM porteurs ORDER BY fiche, role DESC, structure"
PARTENAIRES = "SELECT fiche, structure, precision, source FROM partenaires ORDER BY fiche, structure"
MOYENS = """
SELECT id, fiche, rubrique, nature, structure, attribution, libelle, quantifie, montant, unite, periodicite,
       annee, conditionnel, partage, source, note
FROM moyens ORDER BY fiche, id
"""
# Each indicator with its effective target: the latest coordination decision not undone, else the text's.
# `cible_origine` says which ('texte', 'coordination', NULL when there is none); the decision's author, date and
# reason come along so that every screen can say who owns the target (lne_data.cibles words them).
INDICATEURS = """
SELECT i.code, i.fiche, i.rang, i.libelle, i.type, i.unite, i.mode,
       CASE WHEN c.id IS NULL THEN i.cible ELSE c.cible END AS cible,
       i.cible_source,
       CASE WHEN c.id IS NULL THEN i.echeance ELSE c.echeance END AS echeance,
       CASE WHEN c.id IS NOT NULL THEN 'coordination'
            WHEN i.cible IS NOT NULL OR i.echeance IS NOT NULL THEN 'texte' END AS cible_origine,
       c.id AS cible_decision, c.auteur AS cible_auteur, c.fixee_le AS cible_fixee_le, c.motif AS cible_motif
FROM indicateurs i
LEFT JOIN (
    SELECT * FROM cibles_fixees WHERE annulee_le IS NULL
    QUALIFY row_number() OVER (PARTITION BY indicateur ORDER BY id DESC) = 1
) c ON c.indicateur = i.code
ORDER BY i.fiche, i.rang
"""

# --------------------------------------------------------------------------------------------------
# Saisies
# --------------------------------------------------------------------------------------------------

SAISIES = """
SELECT s.indicateur, i.fiche, s.periode, s.valeur, s.valeur_texte, s.commentaire, s.saisi_par, s.import_id,
       s.exemple
FROM saisies s JOIN indicateurs i ON i.code = s.indicateur
ORDER BY i.fiche, i.rang, s.periode
"""
COUNT_SAISIES = "SELECT count(*) FROM saisies"
ANNEES = "SELECT annee_debut, annee_fin FROM feuille_de_route WHERE id = 1"
SAISIES_PAR_PERIODE = "SELECT periode, count(*) AS n FROM saisies GROUP BY periode ORDER BY periode"
SUIVI_FICHES = """
SELECT fiche, periode, statut, meteo, resultats, freins, prochaines_etapes, saisi_par, import_id, exemple
FROM suivi_fiches ORDER BY fiche, periode
"""
SAISIES_EXISTANTES = """
SELECT indicateur, periode, valeur, valeur_texte, commentaire, saisi_par, import_id, exemple
FROM saisies
"""
SUIVI_EXISTANT = """
SELECT fiche, periode, statut, meteo, resultats, freins, prochaines_etapes, saisi_par, import_id, exemple
FROM suivi_fiches
"""
IMPORTS = """
SELECT id, fichier, sha256, auteur, importe_le, exemple, nb_nouvelles, nb_modifiees, nb_inchangees, annule_le,
       annule_par
FROM imports ORDER BY id DESC
"""
NEXT_IMPORT_ID = "SELECT coalesce(max(id), 0) + 1 FROM imports"
INSERT_IMPORT = """
INSERT INTO imports (id, fichier, sha256, auteur, importe_le, exemple, nb_nouvelles, nb_modifiees, nb_inchangees)
VALUES ($id, $fichier, $sha256, $auteur, current_timestamp, $exemple, $nb_nouvelles, $nb_modifiees,
        $nb_inchangees)
"""

# --------------------------------------------------------------------------------------------------
# Headline figures
# --------------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------------
# Quarterly import: the file's rows are registered as the views `incoming` and `incoming_suivi`.
# An entry is unchanged when its value, text and comment are the same; who typed it does not count.
# --------------------------------------------------------------------------------------------------

_SAISIE_DIFFERS = """(s.valeur IS DISTINCT FROM i.valeur OR s.valeur_texte IS DISTINCT FROM i.valeur_texte
     OR s.commentaire IS DISTINCT FROM i.commentaire)"""
_SUIVI_DIFFERS = """(s.statut IS DISTINCT FROM i.statut OR s.meteo IS DISTINCT FROM i.meteo
     OR s.resultats IS DISTINCT FROM i.resultats OR s.freins IS DISTINCT FROM i.freins
     OR s.prochaines_etapes IS DISTINCT FROM i.prochaines_etapes)"""

_SAISIE_STATUT = f"""CASE WHEN s.indicateur IS NULL OR s.exemple THEN 'nouvelle'
     WHEN {_SAISIE_DIFFERS} THEN 'modifiée' ELSE 'inchangée' END"""
_SUIVI_STATUT = f"""CASE WHEN s.fiche IS NULL OR s.exemple THEN 'nouvelle'
     WHEN {_SUIVI_DIFFERS} THEN 'modifiée' ELSE 'inchangée' END"""

# The preview shows at most this many characters of a text (then « … »): it is read on screen, and a 2 000-character
# comment filled down 100 000 rows would otherwise come back as 100 000 Python strings per text column (the import
# itself writes the whole texts, from `incoming`).
PREVIEW_TEXT_LIMIT = 200


def _excerpt(expression: str) -> str:
    return (f"CASE WHEN length({expression}) > {PREVIEW_TEXT_LIMIT} "
            f"THEN rtrim(left({expression}, {PREVIEW_TEXT_LIMIT - 1})) || '…' ELSE {expression} END")


PREVIEW_SAISIES = f"""
SELECT i.indicateur, ind.fiche, ind.libelle, i.periode, {_SAISIE_STATUT} AS statut,
       CASE WHEN s.exemple THEN NULL ELSE s.valeur END AS avant_valeur,
       CASE WHEN s.exemple THEN NULL ELSE {_excerpt("s.valeur_texte")} END AS avant_texte,
       i.valeur AS apres_valeur, {_excerpt("i.valeur_texte")} AS apres_texte,
       {_excerpt("i.commentaire")} AS commentaire, ind.unite, ind.type
FROM incoming i
JOIN indicateurs ind ON ind.code = i.indicateur
LEFT JOIN saisies s ON s.indicateur = i.indicateur AND s.periode = i.periode
ORDER BY ind.fiche, ind.rang, i.periode
"""
PREVIEW_SUIVI = f"""
SELECT i.fiche, i.periode, {_SUIVI_STATUT} AS statut_saisie, s.statut AS avant_statut, i.statut,
       s.meteo AS avant_meteo, i.meteo
FROM incoming_suivi i
LEFT JOIN suivi_fiches s ON s.fiche = i.fiche AND s.periode = i.periode
ORDER BY i.fiche, i.periode
"""
PREVIEW_COUNTS = f"""
WITH statuts AS (
    SELECT {_SAISIE_STATUT} AS statut FROM incoming i
    LEFT JOIN saisies s ON s.indicateur = i.indicateur AND s.periode = i.periode
    UNION ALL
    SELECT {_SUIVI_STATUT} FROM incoming_suivi i
    LEFT JOIN suivi_fiches s ON s.fiche = i.fiche AND s.periode = i.periode
)
SELECT count(*) FILTER (WHERE statut = 'nouvelle'), count(*) FILTER (WHERE statut = 'modifiée'),
       count(*) FILTER (WHERE statut = 'inchangée')
FROM statuts
"""
COUNT_EXEMPLES = ("SELECT (SELECT count(*) FROM saisies WHERE exemple)"
                  " + (SELECT count(*) FROM suivi_fiches WHERE exemple)")

HISTORY_REMOVE_EXEMPLES = """
INSERT INTO saisies_historique (import_id, indicateur, periode, action, existait, avant_valeur, avant_valeur_texte,
                                avant_commentaire, avant_saisi_par, avant_import_id, avant_exemple)
SELECT $import_id, indicateur, periode, 'suppression', true, valeur, valeur_texte, commentaire, saisi_par, import_id,
       exemple
FROM saisies WHERE exemple
"""
HISTORY_REMOVE_EXEMPLES_SUIVI = """
INSERT INTO suivi_historique (import_id, fiche, periode, action, existait, avant_statut, avant_meteo,
                              avant_resultats, avant_freins, avant_prochaines_etapes, avant_saisi_par,
                              avant_import_id, avant_exemple)
SELECT $import_id, fiche, periode, 'suppression', true, statut, meteo, resultats, freins, prochaines_etapes,
       saisi_par, import_id, exemple
FROM suivi_fiches WHERE exemple
"""
DELETE_EXEMPLES = "DELETE FROM saisies WHERE exemple"
DELETE_EXEMPLES_SUIVI = "DELETE FROM suivi_fiches WHERE exemple"

HISTORY_SAISIES = f"""
INSERT INTO saisies_historique (import_id, indicateur, periode, action, existait, avant_valeur, avant_valeur_texte,
                                avant_commentaire, avant_saisi_par, avant_import_id, avant_exemple, apres_valeur,
                                apres_valeur_texte, apres_commentaire, apres_saisi_par)
SELECT $import_id, i.indicateur, i.periode,
       CASE WHEN s.indicateur IS NULL THEN 'ajout' ELSE 'modification' END, s.indicateur IS NOT NULL,
       s.valeur, s.valeur_texte, s.commentaire, s.saisi_par, s.import_id, s.exemple,
       i.valeur, i.valeur_texte, i.commentaire, i.saisi_par
FROM incoming i
LEFT JOIN saisies s ON s.indicateur = i.indicateur AND s.periode = i.periode
WHERE s.indicateur IS NULL OR {_SAISIE_DIFFERS}
"""
UPSERT_SAISIES = """
INSERT INTO saisies (indicateur, periode, valeur, valeur_texte, commentaire, saisi_par, import_id, exemple)
SELECT i.indicateur, i.periode, i.valeur, i.valeur_texte, i.commentaire, i.saisi_par, $import_id, $exemple
FROM incoming i
JOIN saisies_historique h ON h.import_id = $import_id AND h.action <> 'suppression'
     AND h.indicateur = i.indicateur AND h.periode = i.periode
ON CONFLICT (indicateur, periode) DO UPDATE SET
    valeur = excluded.valeur, valeur_texte = excluded.valeur_texte, commentaire = excluded.commentaire,
    saisi_par = excluded.saisi_par, import_id = excluded.import_id, exemple = excluded.exemple
"""
HISTORY_SUIVI = f"""
INSERT INTO suivi_historique (import_id, fiche, periode, action, existait, avant_statut, avant_meteo,
                              avant_resultats, avant_freins, avant_prochaines_etapes, avant_saisi_par,
                              avant_import_id, avant_exemple)
SELECT $import_id, i.fiche, i.periode, CASE WHEN s.fiche IS NULL THEN 'ajout' ELSE 'modification' END,
       s.fiche IS NOT NULL, s.statut, s.meteo, s.resultats, s.freins, s.prochaines_etapes, s.saisi_par,
       s.import_id, s.exemple
FROM incoming_suivi i
LEFT JOIN suivi_fiches s ON s.fiche = i.fiche AND s.periode = i.periode
WHERE s.fiche IS NULL OR {_SUIVI_DIFFERS}
"""
UPSERT_SUIVI = """
INSERT INTO suivi_fiches (fiche, periode, statut, meteo, resultats, freins, prochaines_etapes, saisi_par, import_id,
                          exemple)
SELECT i.fiche, i.periode, i.statut, i.meteo, i.resultats, i.freins, i.prochaines_etapes, i.saisi_par, $import_id,
       $exemple
FROM incoming_suivi i
JOIN suivi_historique h ON h.import_id = $import_id AND h.action <> 'suppression'
     AND h.fiche = i.fiche AND h.periode = i.periode
ON CONFLICT (fiche, periode) DO UPDATE SET
    statut = excluded.statut, meteo = excluded.meteo, resultats = excluded.resultats, freins = excluded.freins,
    prochaines_etapes = excluded.prochaines_etapes, saisi_par = excluded.saisi_par,
    import_id = excluded.import_id, exemple = excluded.exemple
"""

IMPORT_BY_ID = "SELECT id, annule_le FROM imports WHERE id = ?"
COUNT_HISTORY = """
SELECT (SELECT count(*) FROM saisies_historique WHERE import_id = $1)
     + (SELECT count(*) FROM suivi_historique WHERE import_id = $1)
"""
# An undo is refused when a value it would restore has been overwritten by a later import.
UNDO_CONFLICTS = """
SELECT s.import_id FROM saisies_historique h
LEFT JOIN saisies s ON s.indicateur = h.indicateur AND s.periode = h.periode
WHERE h.import_id = $import_id AND h.action <> 'suppression' AND s.import_id IS DISTINCT FROM $import_id
UNION ALL
SELECT s.import_id FROM saisies_historique h
JOIN saisies s ON s.indicateur = h.indicateur AND s.periode = h.periode
WHERE h.import_id = $import_id AND h.action = 'suppression' AND s.import_id <> $import_id
  AND NOT EXISTS (SELECT 1 FROM saisies_historique h2 WHERE h2.import_id = $import_id AND h2.action = 'ajout'
                  AND h2.indicateur = h.indicateur AND h2.periode = h.periode)
UNION ALL
SELECT s.import_id FROM suivi_historique h
LEFT JOIN suivi_fiches s ON s.fiche = h.fiche AND s.periode = h.periode
WHERE h.import_id = $import_id AND h.action <> 'suppression' AND s.import_id IS DISTINCT FROM $import_id
"""
UNDO_STATEMENTS = (
    """
    DELETE FROM saisies WHERE EXISTS (
        SELECT 1 FROM saisies_historique h WHERE h.import_id = $import_id AND h.action <> 'suppression'
        AND h.indicateur = saisies.indicateur AND h.periode = saisies.periode)
    """,
    """
    INSERT INTO saisies (indicateur, periode, valeur, valeur_texte, commentaire, saisi_par, import_id, exemple)
    SELECT indicateur, periode, avant_valeur, avant_valeur_texte, avant_commentaire, avant_saisi_par,
           avant_import_id, avant_exemple
    FROM saisies_historique WHERE import_id = $import_id AND existait
    """,
    """
    DELETE FROM suivi_fiches WHERE EXISTS (
        SELECT 1 FROM suivi_historique h WHERE h.import_id = $import_id AND h.action <> 'suppression'
        AND h.fiche = suivi_fiches.fiche AND h.periode = suivi_fiches.periode)
    """,
    """
    INSERT INTO suivi_fiches (fiche, periode, statut, meteo, resultats, freins, prochaines_etapes, saisi_par,
                              import_id, exemple)
    SELECT fiche, periode, avant_statut, avant_meteo, avant_resultats, avant_freins, avant_prochaines_etapes,
           avant_saisi_par, avant_import_id, avant_exemple
    FROM suivi_historique WHERE import_id = $import_id AND existait
    """,
)
MARK_UNDONE = "UPDATE imports SET annule_le = current_timestamp, annule_par = $auteur WHERE id = $import_id"
# An indicator retired since the import is named from its latest retirement, so that its history stays readable.
HISTORY_OF_IMPORT = """
SELECT h.indicateur, coalesce(i.fiche, r.fiche) AS fiche,
       coalesce(i.libelle, r.libelle || ' (retiré le ' || strftime(r.retire_le, '%d/%m/%Y') || ')') AS libelle,
       h.periode, h.action, h.avant_valeur, h.avant_valeur_texte,
       h.apres_valeur, h.apres_valeur_texte, h.apres_commentaire
FROM saisies_historique h
LEFT JOIN indicateurs i ON i.code = h.indicateur
LEFT JOIN (SELECT code, max_by(fiche, version) AS fiche, max_by(libelle, version) AS libelle,
                  max_by(retire_le, version) AS retire_le
           FROM referentiel_retraits WHERE genre = 'indicateur' GROUP BY code) r ON r.code = h.indicateur
WHERE h.import_id = ? AND (i.code IS NOT NULL OR r.code IS NOT NULL)
ORDER BY coalesce(i.fiche, r.fiche), i.rang NULLS LAST, h.indicateur, h.periode
"""
# The last real value before a quarter, for the template: example values are fictitious, never a porteur's.
DERNIERE_VALEUR_AVANT = """
SELECT s.indicateur, s.periode, s.valeur, s.valeur_texte
FROM saisies s
JOIN (SELECT indicateur, max(periode) AS periode FROM saisies WHERE periode < $periode AND NOT exemple
      GROUP BY indicateur) m
  ON m.indicateur = s.indicateur AND m.periode = s.periode
WHERE NOT s.exemple
"""

# --------------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------------

DERNIER_IMPORT = """
SELECT importe_le, auteur FROM imports WHERE NOT exemple AND annule_le IS NULL ORDER BY id DESC LIMIT 1
"""
SERIES_FICHES = """
SELECT s.indicateur, i.fiche, s.periode, s.valeur, s.valeur_texte, s.commentaire, s.exemple
FROM saisies s JOIN indicateurs i ON i.code = s.indicateur
WHERE list_contains($fiches, i.fiche)
ORDER BY s.indicateur, s.periode
"""
SUIVI_FICHE = """
SELECT periode, statut, meteo, resultats, freins, prochaines_etapes, saisi_par, exemple
FROM suivi_fiches WHERE fiche = $fiche ORDER BY periode DESC
"""


# --------------------------------------------------------------------------------------------------
# Clôtures
# --------------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------------
# Cibles fixées par la coordination
# --------------------------------------------------------------------------------------------------

INDICATEUR_POUR_CIBLE = "SELECT code, type, unite FROM indicateurs WHERE code = ?"
NEXT_CIBLE_ID = "SELECT coalesce(max(id), 0) + 1 FROM cibles_fixees"
INSERT_CIBLE = """
INSERT INTO cibles_fixees (id, indicateur, cible, echeance, motif, auteur, fixee_le)
VALUES ($id, $indicateur, $cible, $echeance, $motif, $auteur, $fixee_le)
"""
CIBLE_BY_ID = "SELECT id, indicateur, annulee_le FROM cibles_fixees WHERE id = ?"
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


# --------------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------------

SUIVI_PERIODE = """
SELECT fiche, statut, meteo, resultats, freins, prochaines_etapes, saisi_par, exemple
FROM suivi_fiches WHERE periode = $periode ORDER BY fiche
"""
SAISIS_PAR_PERIODE = "SELECT indicateur, saisi_par FROM saisies WHERE periode = $periode"


# --------------------------------------------------------------------------------------------------
# Read models at national scale: the overview, its points of attention and the meeting reduce the entries up to
# a quarter in the database rather than in pandas (views._quarter_in_database). `$fiches` is the scope,
# `$periode` the quarter (NULL: every period).
# --------------------------------------------------------------------------------------------------

# `k` numbers the indicators in code order: grouping and sorting by it is faster than by the code, same order.
_QUARTER_BASE = """
WITH codes AS (
    SELECT code, row_number() OVER (ORDER BY code) AS k, fiche, mode, type FROM indicateurs
    WHERE list_contains($fiches, fiche)
),
base AS (
    SELECT s.indicateur, c.k, c.fiche, s.periode, s.valeur, s.valeur_texte, s.commentaire, s.exemple, c.mode, c.type
    FROM saisies s JOIN codes c ON c.code = s.indicateur
    WHERE $periode IS NULL OR s.periode <= $periode
)
"""
# The series of views.indicateurs, sorted by indicator then period, with each indicator's number.
SERIES_VIEW = _QUARTER_BASE + """
SELECT indicateur, fiche, periode, valeur, valeur_texte, commentaire, exemple, mode, type, k
FROM base ORDER BY k, periode
"""
QUARTER_COUNTS = _QUARTER_BASE + """
SELECT fiche, periode, count(*) AS saisis, bool_or(exemple) AS exemple FROM base GROUP BY fiche, periode
"""
_FLUX_VALUES = "mode <> 'stock' AND valeur IS NOT NULL AND NOT isnan(valeur)"
_STOCK_VALUES = "mode = 'stock' AND valeur IS NOT NULL AND NOT isnan(valeur)"
# One row per indicator: its latest entry (max_by on a struct, so that a NULL value or text is kept, not
# skipped), whether it has flux values to add up, and for a stock indicator whether its last value fell.
QUARTER_INDICATORS = _QUARTER_BASE + f"""
SELECT indicateur, last.periode AS periode, last.valeur AS valeur, last.valeur_texte AS valeur_texte,
       last.exemple AS exemple, mode, flux > 0 AS flux,
       coalesce(stock >= 2 AND last2[1].valeur < last2[2].valeur, false) AS en_baisse,
       last2[1].fiche AS baisse_fiche, last2[2].valeur AS baisse_avant, last2[1].valeur AS baisse_apres,
       last2[1].periode AS baisse_periode
FROM (
    SELECT k, any_value(indicateur) AS indicateur, any_value(mode) AS mode,
           max_by({{'periode': periode, 'valeur': valeur, 'valeur_texte': valeur_texte, 'exemple': exemple}},
                  periode) AS last,
           count(*) FILTER (WHERE {_FLUX_VALUES}) AS flux,
           count(*) FILTER (WHERE {_STOCK_VALUES}) AS stock,
           max_by({{'fiche': fiche, 'periode': periode, 'valeur': valeur}}, periode, 2)
               FILTER (WHERE {_STOCK_VALUES}) AS last2
    FROM base GROUP BY k
)
ORDER BY k
"""
# The values a flux indicator's running total adds up, in order, with the indicator's number (the n-th distinct
# number is the n-th code with `flux` in QUARTER_INDICATORS).
QUARTER_FLUX_VALUES = _QUARTER_BASE + f"""
SELECT k, valeur FROM base WHERE {_FLUX_VALUES} ORDER BY k, periode
"""
QUARTER_ENTRIES = _QUARTER_BASE + """
SELECT indicateur, fiche, periode, valeur, valeur_texte, commentaire, exemple
FROM base WHERE periode = $periode ORDER BY k
"""
# The fiches answered for in a quarter (views.Reponses): a real value of one of their indicators, or their follow-up
# (statut, météo…). Example entries are nobody's answer.
FICHES_RENSEIGNEES = """
SELECT i.fiche FROM saisies s JOIN indicateurs i ON i.code = s.indicateur
WHERE list_contains($fiches, i.fiche) AND s.periode = $periode AND NOT s.exemple
UNION
SELECT fiche FROM suivi_fiches WHERE list_contains($fiches, fiche) AND periode = $periode AND NOT exemple
"""
# The indicators in scope with an entry in the quarter (the overview's « Indicateurs saisis »).
INDICATEURS_SAISIS = """
SELECT count(DISTINCT s.indicateur) FROM saisies s JOIN indicateurs i ON i.code = s.indicateur
WHERE list_contains($fiches, i.fiche) AND s.periode = $periode
"""
