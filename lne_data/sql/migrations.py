"""The schema, as numbered migrations, and the table recording which a database has (`db.migrate`)."""

from __future__ import annotations

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



def _meaning_of(code: str, prefix: str, *, mode: bool = True) -> str:
    """`SET` assignments giving the meaning (type, unité, mode) of indicator `code`: the one in force, else the one
    it had when retired (its latest retirement)."""
    fields = ("type", "unite", "mode") if mode else ("type", "unite")
    return ", ".join(
        f"{prefix}{f} = CASE WHEN EXISTS (SELECT 1 FROM indicateurs i WHERE i.code = {code}) "
        f"THEN (SELECT i.{f} FROM indicateurs i WHERE i.code = {code}) "
        f"ELSE (SELECT arg_max(r.{f}, r.version) FROM referentiel_retraits r WHERE r.genre = 'indicateur' "
        f"AND r.code = {code}) END"
        for f in fields)


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
    (
        7,
        "Saisies et cibles gardent le type, l'unité et le mode sous lesquels elles ont été saisies",
        [
            # An entry is read under the meaning it was typed against: a later version cannot make « 45 % » read as
            # « 45 participants » (`versions.meaning` compares them before a version or an undo is applied).
            "ALTER TABLE saisies ADD COLUMN sens_type VARCHAR",
            "ALTER TABLE saisies ADD COLUMN sens_unite VARCHAR",
            "ALTER TABLE saisies ADD COLUMN sens_mode VARCHAR",
            # What an undo of an import puts back keeps its own meaning too.
            "ALTER TABLE saisies_historique ADD COLUMN avant_sens_type VARCHAR",
            "ALTER TABLE saisies_historique ADD COLUMN avant_sens_unite VARCHAR",
            "ALTER TABLE saisies_historique ADD COLUMN avant_sens_mode VARCHAR",
            "ALTER TABLE cibles_fixees ADD COLUMN sens_type VARCHAR",
            "ALTER TABLE cibles_fixees ADD COLUMN sens_unite VARCHAR",
            # Entries made before: the meaning of their indicator in force, else the one it had when retired (its
            # latest retirement). The versions so far refused a change of meaning of an indicator with entries.
            f"UPDATE saisies SET {_meaning_of('saisies.indicateur', 'sens_')}",
            f"UPDATE saisies_historique SET {_meaning_of('saisies_historique.indicateur', 'avant_sens_')} "
            "WHERE existait",
            f"UPDATE cibles_fixees SET {_meaning_of('cibles_fixees.indicateur', 'sens_', mode=False)}",
        ],
    ),
    (
        8,
        "Exécution : dépenses engagées et payées, ETP mobilisés et financements reçus, par fiche et par trimestre",
        [
            # One row per fiche, porteur (`structure`), quarter, nature and financeur, as the sheet « Dépenses » of
            # the quarterly file gives it. `financeur` is '' on the row of the fiche's own figures (engagé, payé,
            # ETP); a row naming a financeur gives what it paid in (`finance`). Amounts over the quarter, in euros.
            """
            CREATE TABLE depenses (
                fiche INTEGER NOT NULL,
                structure VARCHAR NOT NULL,
                periode VARCHAR NOT NULL,
                nature VARCHAR NOT NULL,  -- fonctionnement, investissement
                financeur VARCHAR NOT NULL DEFAULT '',
                engage DOUBLE,
                paye DOUBLE,
                etp DOUBLE,
                finance DOUBLE,
                saisi_par VARCHAR,
                import_id INTEGER NOT NULL,
                exemple BOOLEAN NOT NULL DEFAULT false,
                PRIMARY KEY (fiche, structure, periode, nature, financeur)
            )
            """,
            # What an import replaced, so that it can be undone exactly (as `saisies_historique`).
            """
            CREATE TABLE depenses_historique (
                import_id INTEGER NOT NULL,
                fiche INTEGER NOT NULL,
                structure VARCHAR NOT NULL,
                periode VARCHAR NOT NULL,
                nature VARCHAR NOT NULL,
                financeur VARCHAR NOT NULL,
                action VARCHAR NOT NULL,  -- ajout, modification
                existait BOOLEAN NOT NULL,
                avant_engage DOUBLE,
                avant_paye DOUBLE,
                avant_etp DOUBLE,
                avant_finance DOUBLE,
                avant_saisi_par VARCHAR,
                avant_import_id INTEGER,
                avant_exemple BOOLEAN,
                apres_engage DOUBLE,
                apres_paye DOUBLE,
                apres_etp DOUBLE,
                apres_finance DOUBLE,
                PRIMARY KEY (import_id, fiche, structure, periode, nature, financeur, action)
            )
            """,
        ],
    ),
    (
        9,
        "Mon Inclusion Numérique : besoins confirmés par la coordination et identifiant MIN de chaque fiche",
        [
            # One row per decision, never updated except to record its undoing: the history is the table (as
            # `cibles_fixees`). The besoins in force of a fiche are its latest confirmation not undone. No foreign key
            # to `fiches`: the référentiel is replaced as a whole when a version is loaded, fiche numbers stay.
            """
            CREATE TABLE min_besoins (
                id INTEGER PRIMARY KEY,
                fiche INTEGER NOT NULL,
                besoins VARCHAR NOT NULL,  -- MIN's codes, in MIN's order, separated by commas
                auteur VARCHAR NOT NULL,
                confirme_le TIMESTAMP NOT NULL,
                annule_le TIMESTAMP,
                annule_par VARCHAR
            )
            """,
            # The identifier MIN gave the fiche's action once created there; the latest row of a fiche is in force,
            # NULL saying that the coordination withdrew it.
            """
            CREATE TABLE min_identifiants (
                id INTEGER PRIMARY KEY,
                fiche INTEGER NOT NULL,
                identifiant VARCHAR,
                auteur VARCHAR NOT NULL,
                saisi_le TIMESTAMP NOT NULL
            )
            """,
        ],
    ),
    (
        10,
        "Comptes personnels : e-mail, nom, rôle et structures des porteurs",
        [
            # One row per person ever given an account, never deleted: a removed account keeps its row, with who
            # removed it and when (`retire_le`), and the names it wrote stay in every history. The e-mail is the one
            # the OpenID Connect provider gives (ProConnect), lower case.
            """
            CREATE TABLE comptes (
                email VARCHAR PRIMARY KEY,
                nom VARCHAR NOT NULL,
                role VARCHAR NOT NULL CHECK (role IN ('coordination', 'lecture', 'porteur')),
                cree_le TIMESTAMP NOT NULL,
                cree_par VARCHAR NOT NULL,
                modifie_le TIMESTAMP,
                modifie_par VARCHAR,
                retire_le TIMESTAMP,
                retire_par VARCHAR
            )
            """,
            # The structures of the roadmap a porteur's account answers for, spelt as the référentiel's `nom`.
            """
            CREATE TABLE comptes_structures (
                email VARCHAR NOT NULL,
                structure VARCHAR NOT NULL,
                PRIMARY KEY (email, structure)
            )
            """,
        ],
    ),
    (
        11,
        "Fichiers déposés par les porteurs, à valider par la coordination",
        [
            # A porteur's quarterly file, checked as the coordination's upload is, kept whole (its bytes) until the
            # coordination accepts it (imported through the same path, `import_id`) or sends it back with a message.
            """
            CREATE TABLE depots (
                id INTEGER PRIMARY KEY,
                email VARCHAR NOT NULL,
                nom VARCHAR NOT NULL,
                fichier VARCHAR NOT NULL,
                sha256 VARCHAR NOT NULL,
                contenu BLOB NOT NULL,
                depose_le TIMESTAMP NOT NULL,
                statut VARCHAR NOT NULL CHECK (statut IN ('a_valider', 'accepte', 'renvoye')),
                decide_le TIMESTAMP,
                decide_par VARCHAR,
                message VARCHAR,
                import_id INTEGER
            )
            """,
            # What the file reports: its fiches (each carried by one of the account's structures) and quarters,
            # for « Qui a répondu ? » and for the porteur's page.
            """
            CREATE TABLE depots_fiches (
                depot_id INTEGER NOT NULL,
                fiche INTEGER NOT NULL,
                periode VARCHAR NOT NULL,
                PRIMARY KEY (depot_id, fiche, periode)
            )
            """,
            # An import made from a porteur's file: who validated it (the import's `auteur` is the porteur).
            "ALTER TABLE imports ADD COLUMN valide_par VARCHAR",
        ],
    ),
]
