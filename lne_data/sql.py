"""Every SQL statement of the project, in one place.

Values are always bound as parameters (`?` or `$name`), never formatted into the text. Statements are
plain constants so that a maintainer can read the whole data model and every query in one file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_NAMED = re.compile(r"\$([a-z_]+)")


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
                PRIMARY KEY (import_id, indicateur, periode)
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
                existait BOOLEAN NOT NULL,
                avant_statut VARCHAR,
                avant_meteo VARCHAR,
                avant_resultats VARCHAR,
                avant_freins VARCHAR,
                avant_prochaines_etapes VARCHAR,
                avant_saisi_par VARCHAR,
                avant_import_id INTEGER,
                avant_exemple BOOLEAN,
                PRIMARY KEY (import_id, fiche, periode)
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
    (id, titre, territoire, structure_coordinatrice, annee_debut, annee_fin, version, source, sha256, charge_le)
VALUES (1, $titre, $territoire, $structure_coordinatrice, $annee_debut, $annee_fin, $version, $source,
        $sha256, current_timestamp)
"""
INSERT_AXE = "INSERT INTO axes (code, libelle) VALUES ($code, $libelle)"
INSERT_OBJECTIF = """
INSERT INTO objectifs (code, axe, libelle, libelle_sommaire, note)
VALUES ($code, $axe, $libelle, $libelle_sommaire, $note)
"""
INSERT_FICHE = """
INSERT INTO fiches (numero, objectif, intitule, titre_sommaire, public_cible, enjeux, description, freins,
                    leviers, ressources_existantes, ajoutee_le, version)
VALUES ($numero, $objectif, $intitule, $titre_sommaire, $public_cible, $enjeux, $description, $freins,
        $leviers, $ressources_existantes, $ajoutee_le, $version)
"""
INSERT_STRUCTURE = "INSERT INTO structures (nom, variantes, type) VALUES ($nom, $variantes, $type)"
INSERT_PORTEUR = """
INSERT INTO porteurs (fiche, structure, role, niveau, source) VALUES ($fiche, $structure, $role, $niveau, $source)
"""
INSERT_PARTENAIRE = """
INSERT INTO partenaires (fiche, structure, precision, source) VALUES ($fiche, $structure, $precision, $source)
"""
INSERT_MOYEN = """
INSERT INTO moyens (id, fiche, rubrique, nature, structure, attribution, libelle, quantifie, montant, unite,
                    periodicite, annee, source, note)
VALUES ($id, $fiche, $rubrique, $nature, $structure, $attribution, $libelle, $quantifie, $montant, $unite,
        $periodicite, $annee, $source, $note)
"""
INSERT_INDICATEUR = """
INSERT INTO indicateurs (code, fiche, rang, libelle, type, unite, mode, cible, cible_source, echeance)
VALUES ($code, $fiche, $rang, $libelle, $type, $unite, $mode, $cible, $cible_source, $echeance)
"""
INDICATEURS_AVEC_SAISIES = "SELECT DISTINCT indicateur FROM saisies ORDER BY indicateur"
FICHES_AVEC_SUIVI = "SELECT DISTINCT fiche FROM suivi_fiches ORDER BY fiche"

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
       annee, source, note
FROM moyens ORDER BY fiche, id
"""
INDICATEURS = """
SELECT code, fiche, rang, libelle, type, unite, mode, cible, cible_source, echeance
FROM indicateurs ORDER BY fiche, rang
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

# Cash spent by a fiche: investissement and charge rows; produits fund it and valorisations are in kind.
BUDGET_PAR_FICHE = """
SELECT f.numero AS fiche, o.axe, f.objectif,
       sum(CASE WHEN m.quantifie AND m.periodicite = 'ponctuel' THEN m.montant ELSE 0 END) AS ponctuel,
       sum(CASE WHEN m.quantifie AND m.periodicite = 'par an' THEN m.montant ELSE 0 END) AS par_an,
       sum(CASE WHEN m.quantifie AND m.periodicite = 'par structure' THEN m.montant ELSE 0 END) AS par_structure,
       count(*) FILTER (WHERE m.quantifie) AS lignes_chiffrees,
       count(m.id) AS lignes
FROM fiches f
JOIN objectifs o ON o.code = f.objectif
LEFT JOIN moyens m ON m.fiche = f.numero AND m.nature IN ('investissement', 'charge') AND m.unite IS DISTINCT FROM 'ETP'
GROUP BY ALL
ORDER BY f.numero
"""
BUDGET_PAR_ANNEE = """
SELECT m.fiche, o.axe, m.annee, sum(m.montant) AS montant
FROM moyens m JOIN fiches f ON f.numero = m.fiche JOIN objectifs o ON o.code = f.objectif
WHERE m.quantifie AND m.periodicite = 'annee' AND m.nature IN ('investissement', 'charge')
GROUP BY ALL ORDER BY m.fiche, m.annee
"""
ETP_LIGNES = """
SELECT m.fiche, o.axe, m.structure, m.attribution, m.periodicite, m.montant AS etp, m.libelle, m.source, m.note
FROM moyens m JOIN fiches f ON f.numero = m.fiche JOIN objectifs o ON o.code = f.objectif
WHERE m.nature = 'etp' AND m.quantifie
ORDER BY m.fiche, m.id
"""
OBJECTIFS_PAR_AXE = "SELECT axe, count(*) AS n FROM objectifs GROUP BY axe"
