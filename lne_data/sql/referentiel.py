"""The référentiel: replaced as a whole from the reference workbook (`lne_data.referentiel`), and read back as
frames (`views.reference`)."""

from __future__ import annotations

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

# The roadmap's years, for the quarters a file or a target may name.
ANNEES = "SELECT annee_debut, annee_fin FROM feuille_de_route WHERE id = 1"
