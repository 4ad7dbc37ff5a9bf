"""Every problem code the package can raise, and every setting it reads: one place to look them up.

A problem code is stable: tests, the README and users' e-mails refer to it. Each has a level (`erreur` refuses
the file or the action, `avertissement` only warns), a short French title and what to do. The codes of a sheet
read by `sheets.read_table` are one family, prefixed by the sheet: `saisie-`, `saisie-suivi-`, `saisie-depenses-` or
`referentiel-`.
`tests/test_docs.py` scans the sources for raised codes and read settings, and checks that each is here and in
the README (`python -m lne_data.codes` prints the README's tables).
"""

from __future__ import annotations

from dataclasses import dataclass

from .problems import Severity

E: Severity = "erreur"
A: Severity = "avertissement"


@dataclass(frozen=True)
class Code:
    code: str
    level: Severity
    title: str
    fix: str


def _codes(prefix: str, rows: list[tuple[str, Severity, str, str]]) -> list[Code]:
    return [Code(f"{prefix}{suffix}", level, title, fix) for suffix, level, title, fix in rows]


# The prefixes of the sheets read by `sheets.read_table`, each of which can raise every code of SHEET_CODES.
SHEET_PREFIXES = ("saisie-", "saisie-suivi-", "saisie-depenses-", "referentiel-")
SHEET_CODES = _codes("", [
    ("feuille-manquante", E, "Feuille introuvable", "Renommer la feuille de données, ou repartir du modèle."),
    ("feuille-ambigue", E, "Deux feuilles du même nom (casse, espaces)", "En garder une seule."),
    ("feuille-masquee", A, "La feuille lue est masquée", "Vérifier que c'est la bonne copie."),
    ("feuille-vide", E, "Feuille vide", "Mettre les en-têtes en ligne 1."),
    ("colonne-manquante", E, "Colonne obligatoire absente de l'en-tête", "Ajouter la colonne."),
    ("colonne-en-double", E, "Colonne présente deux fois", "Supprimer l'une des deux."),
    ("valeur-obligatoire", E, "Cellule obligatoire vide", "Remplir la cellule."),
    ("ligne-masquee", A, "Lignes masquées lues et importées", "Afficher les lignes et les vérifier."),
    ("colonne-masquee", A, "Colonne masquée lue et importée", "Afficher la colonne et la vérifier."),
    ("formule-sans-valeur", E, "Formule sans résultat enregistré", "Enregistrer le classeur dans un tableur."),
    ("formule-a-recalculer", E, "Classeur à recalculer à l'ouverture",
     "L'ouvrir et l'enregistrer dans Excel (LibreOffice : Recalcul inconditionnel), ou coller les valeurs."),
    ("erreur-excel", E, "Erreur Excel dans la cellule (#DIV/0!…)", "Saisir une valeur."),
    ("nombre-invalide", E, "Pas un nombre", "Saisir un nombre (1 234,5)."),
    ("entier-attendu", E, "Nombre entier attendu", "Saisir un nombre entier."),
    ("oui-non-attendu", E, "« oui » ou « non » attendu", "Écrire oui ou non."),
    ("date-invalide", E, "Pas une date", "Saisir une date (21/10/2024)."),
    ("valeur-non-autorisee", E, "Valeur hors de la liste", "Choisir une valeur de la liste déroulante."),
    ("caractere-de-controle", E, "Caractère invisible (collé depuis Word…) qu'aucun fichier ne peut contenir",
     "Retaper le texte à l'endroit du repère ⟨U+000B⟩."),
])

SAISIE_CODES = _codes("saisie-", [
    ("fiche-inconnue", E, "Fiche absente de la feuille de route", "Corriger le numéro de fiche."),
    ("indicateur-inconnu", E, "Indicateur inconnu", "Utiliser un code de la liste du modèle."),
    ("indicateur-hors-fiche", E, "L'indicateur n'appartient pas à la fiche", "Corriger la fiche ou le code."),
    ("periode-invalide", E, "Pas une période", "Écrire l'année puis le trimestre : 2025-T3."),
    ("periode-hors-feuille-de-route", E, "Trimestre hors de la feuille de route", "Corriger la période."),
    ("periode-future", E, "Trimestre pas encore commencé", "Ne déclarer que des trimestres commencés."),
    ("valeur-negative", E, "Valeur négative", "Saisir une valeur positive ou nulle."),
    ("livrable-invalide", E, "État de livrable inconnu", "Écrire non commencé, en cours ou réalisé."),
    ("texte-trop-long", E, "Texte de plus de 2 000 caractères", "Raccourcir le texte."),
    ("doublon", E, "Deux lignes pour un indicateur et un trimestre", "Garder une seule ligne."),
    ("pourcentage-inattendu", E, "Pourcentage pour un indicateur qui n'est pas en %",
     "Saisir la valeur dans l'unité de l'indicateur, sans format pourcentage."),
    ("nombre-ambigu", E, "Nombre ambigu (1.234)", "Écrire 1234 ou 1,234."),
    ("aucune-valeur", E, "Aucune valeur saisie", "Remplir la colonne valeur ou la feuille Suivi."),
    ("aucune-ligne", E, "Aucune ligne sous l'en-tête", "Repartir du modèle trimestriel."),
    ("valeur-vide", A, "Commentaire sans valeur : ligne ignorée", "Saisir la valeur ou vider le commentaire."),
    ("pourcentage-douteux", A, "Pourcentage très faible (0,85 % pour 85 % ?)", "Vérifier la valeur."),
    ("pourcentage-superieur-100", A, "Pourcentage au-delà de 100 %", "Vérifier la valeur."),
    ("nombre-non-entier", A, "Compte non entier, enregistré tel quel", "Corriger si c'est une faute de frappe."),
])

SUIVI_CODES = _codes("saisie-suivi-", [
    ("fiche-inconnue", E, "Fiche absente de la feuille de route", "Corriger le numéro de fiche."),
    ("periode-invalide", E, "Pas une période", "Écrire l'année puis le trimestre : 2025-T3."),
    ("periode-hors-feuille-de-route", E, "Trimestre hors de la feuille de route", "Corriger la période."),
    ("periode-future", E, "Trimestre pas encore commencé", "Ne déclarer que des trimestres commencés."),
    ("texte-trop-long", E, "Texte de plus de 2 000 caractères", "Raccourcir le texte."),
    ("doublon", E, "Deux suivis pour une fiche et un trimestre", "Garder une seule ligne."),
])

DEPENSES_CODES = _codes("saisie-depenses-", [
    ("fiche-inconnue", E, "Fiche absente de la feuille de route", "Corriger le numéro de fiche."),
    ("porteur-inconnu", E, "Porteur qui ne porte aucune fiche", "Garder le nom écrit par le modèle."),
    ("fiche-non-portee", E, "Fiche portée par un autre porteur", "Ne déclarer que les fiches que l'on porte."),
    ("periode-invalide", E, "Pas une période", "Écrire l'année puis le trimestre : 2025-T3."),
    ("periode-hors-feuille-de-route", E, "Trimestre hors de la feuille de route", "Corriger la période."),
    ("periode-future", E, "Trimestre pas encore commencé", "Ne déclarer que des trimestres commencés."),
    ("montant-negatif", E, "Montant ou ETP négatif", "Saisir ce qui a eu lieu pendant le trimestre (0 si rien)."),
    ("pourcentage-inattendu", E, "Pourcentage au lieu d'un montant ou d'ETP", "Saisir en € ou en ETP, sans %."),
    ("nombre-ambigu", E, "Nombre ambigu (12.500)", "Écrire 12500 ou 12,5."),
    ("texte-trop-long", E, "Texte de plus de 2 000 caractères", "Raccourcir le texte."),
    ("financement-sans-montant", E, "Financeur sans montant reçu", "Saisir le financement reçu, ou vider."),
    ("financement-sans-financeur", E, "Financement reçu sans financeur", "Nommer le financeur."),
    ("doublon", E, "Deux lignes pour les mêmes montants ou le même financeur", "Garder une seule ligne."),
])

REFERENTIEL_CODES = _codes("referentiel-", [
    ("doublon", E, "Clé en double (axe, objectif, fiche, structure, indicateur…)", "Garder une seule ligne."),
    ("feuille-de-route-unique", E, "La feuille feuille_de_route doit avoir une ligne", "N'en garder qu'une."),
    ("annees-inversees", E, "Année de fin avant l'année de début", "Corriger les années."),
    ("axe-inconnu", E, "Objectif rattaché à un axe inconnu", "Corriger l'axe."),
    ("objectif-inconnu", E, "Fiche rattachée à un objectif inconnu", "Corriger l'objectif."),
    ("variante-ambigue", E, "Variante de nom donnée à deux structures", "La laisser à une seule."),
    ("structure-inconnue", E, "Structure absente de « structures »", "L'ajouter ou corriger le nom."),
    ("fiche-inconnue", E, "Fiche absente de « fiches »", "Corriger le numéro de fiche."),
    ("montant-manquant", E, "Ligne de moyens quantifiée sans montant", "Saisir le montant."),
    ("unite-manquante", E, "Montant sans unité", "Saisir l'unité."),
    ("periodicite-etp", A, "Périodicité donnée à des ETP ou des personnes",
     "Laisser vide, ou « par structure »."),
    ("montant-non-quantifie", E, "Montant sur une ligne non quantifiée", "Écrire oui dans quantifie, ou vider."),
    ("montant-negatif", E, "Montant négatif", "Corriger le montant."),
    ("annee-manquante", E, "Périodicité « annee » sans année", "Saisir l'année."),
    ("code-indicateur-invalide", E, "Code d'indicateur hors du modèle F06-I1", "Corriger le code."),
    ("remplace-invalide", E, "« remplace » n'est pas un code d'indicateur", "Corriger le code remplacé."),
    ("remplace-encore-present", E, "L'indicateur remplacé est encore là", "Retirer l'ancien indicateur."),
    ("sens-change", E, "Un indicateur déjà saisi change de type, d'unité ou de mode",
     "Lui donner un nouveau code, l'ancien dans « remplace »."),
    ("remplace-inconnu", E, "« remplace » désigne un code qu'aucune version n'a eu", "Corriger le code."),
    ("cible-sens-change", E, "La cible fixée par la coordination se lirait dans une autre unité",
     "Retirer d'abord la cible, ou donner un nouveau code à l'indicateur."),
    ("saisies-hors-periode", E, "Des saisies tomberaient hors des années de la nouvelle version",
     "Confirmer (case à cocher, --hors-periode) ou garder les années."),
])

# A plan-import workbook of Territoires en Transitions read as a référentiel (lne_data/referentiel_tet.py).
REFERENTIEL_TET_CODES = _codes("referentiel-tet-", [
    ("en-tete", E, "En-tête de la ligne 2 différent de celui de Territoires en Transitions",
     "Remettre les 28 en-têtes, dans l'ordre."),
    ("action-en-double", E, "Deux actions du même titre dans les mêmes axes", "Garder une ligne, ou changer un titre."),
    ("date-nombre", E, "Date saisie comme un nombre (lue en 1970 par Territoires en Transitions)",
     "Saisir la date JJ/MM/AAAA dans une cellule au format date."),
    ("dates-inversees", E, "Date de fin avant la date de début", "Corriger l'une des deux."),
    ("sans-annees", E, "Aucune date : les années de la feuille de route sont inconnues",
     "Saisir les dates d'au moins une action."),
    ("ligne-consigne", A, "Ligne de consignes du modèle, non lue", "La supprimer avant d'envoyer le fichier."),
    ("sans-axe", A, "Actions sans axe, rattachées à un axe créé pour elles", "Leur donner un axe dans le plan."),
    ("numero-attribue", A, "Axe, sous-axe ou action sans numéro (ou numéro déjà pris) : numéro attribué",
     "Numéroter dans le plan (« 1. … »)."),
    ("sous-action", A, "Sous-action non reprise (une fiche n'en a pas)", "La décrire dans son action si besoin."),
    ("non-repris", A, "Colonne sans équivalent dans le référentiel : valeur non reprise",
     "Rien, ou compléter le classeur de référence."),
    ("financeur-incomplet", A, "Financeur sans montant, ou montant sans financeur : non repris",
     "Donner les deux, ou vider les deux."),
    ("suppose", A, "Ce que le plan ne dit pas (titre, territoire, structure coordinatrice) : valeur supposée",
     "Vérifier ; écrire le titre du plan en A1."),
])

CIBLE_CODES = _codes("cible-", [
    ("valeur-manquante", E, "Cible sans valeur", "Saisir une valeur, ou retirer la cible."),
    ("valeur-invalide", E, "Valeur de cible illisible", "Écrire un nombre à la française (2,5)."),
    ("pourcentage", E, "Pourcentage pour un indicateur qui n'est pas en %", "Saisir dans l'unité."),
    ("valeur-negative", E, "Cible négative", "Saisir une valeur positive."),
    ("echeance-invalide", E, "Échéance hors de la feuille de route", "Choisir une année de la feuille de route."),
    ("indicateur-inconnu", E, "Indicateur inconnu", "Corriger le code."),
    ("type-non-chiffre", E, "Indicateur sans valeur chiffrée (livrable, qualitatif)", "Pas de cible chiffrée."),
    ("retrait-avec-valeur", E, "Retrait et valeur à la fois", "Choisir l'un ou l'autre."),
    ("motif-manquant", E, "Motif absent", "Dire pourquoi."),
    ("motif-trop-long", E, "Motif trop long", "Le raccourcir."),
    ("auteur-manquant", E, "Auteur absent", "Indiquer son nom."),
    ("auteur-trop-long", E, "Nom trop long", "Le raccourcir."),
    ("inconnue", E, "Décision de cible inconnue", "Vérifier le numéro (cible --historique)."),
    ("deja-annulee", E, "Décision déjà annulée", "Rien à faire."),
    ("changee-depuis", E, "La cible a changé depuis l'affichage de la page", "Relire l'historique, recommencer."),
])

MIN_CODES = _codes("min-", [
    ("fiche-inconnue", E, "Fiche absente de la feuille de route en vigueur",
     "Écrire le numéro de la fiche (3 ou F03)."),
    ("besoin-inconnu", E, "Besoin inconnu de Mon Inclusion Numérique",
     "Choisir parmi ses 11 besoins (README « Exports »)."),
    ("besoins-vides", E, "Aucun besoin confirmé", "En confirmer au moins un : MIN l'exige."),
    ("auteur-manquant", E, "Auteur absent", "Indiquer son nom."),
    ("auteur-trop-long", E, "Nom trop long", "Le raccourcir."),
    ("aucune-confirmation", E, "Besoins pas encore confirmés : rien à annuler", "Rien à faire."),
    ("confirmation-changee-depuis", E, "Les besoins confirmés ont changé depuis l'affichage de la page",
     "Les relire, recommencer."),
    ("identifiant-vide", E, "Identifiant MIN absent", "Le recopier depuis MIN, ou le retirer."),
    ("identifiant-trop-long", E, "Identifiant MIN trop long", "Recopier l'identifiant seul."),
    ("identifiant-invalide", E, "Caractère invisible dans l'identifiant MIN", "Le recopier depuis MIN."),
    ("identifiant-deja-pris", E, "Identifiant MIN déjà donné à une autre fiche", "Vérifier la fiche ou l'identifiant."),
    ("retrait-avec-identifiant", E, "Retrait et identifiant à la fois", "Choisir l'un ou l'autre."),
])

CLOTURE_CODES = _codes("cloture-", [
    ("periode-invalide", E, "Pas une période", "Écrire par exemple 2025-T3."),
    ("reference-manquante", E, "Référence de la réunion absente", "Indiquer la réunion (Comité syndical n°4)."),
    ("auteur-manquant", E, "Auteur absent", "Indiquer son nom."),
])

VERSION_CODES = _codes("version-", [
    ("inconnue", E, "Version inconnue", "Vérifier le numéro (versions)."),
    ("deja-annulee", E, "Version déjà annulée", "Rien à faire."),
    ("pas-en-vigueur", E, "Seule la version en vigueur s'annule", "Annuler d'abord les suivantes."),
    ("premiere", E, "La première version ne s'annule pas", "Charger une nouvelle version à la place."),
    ("saisies", E, "Des saisies portent sur ce que l'autre version n'a pas", "Annuler d'abord ces imports."),
    ("sens-change", E, "La version remise ferait lire autrement des valeurs saisies",
     "Charger plutôt une nouvelle version, ou annuler d'abord ces imports."),
    ("cible-sens-change", E, "La cible fixée par la coordination se lirait dans une autre unité",
     "Retirer d'abord la cible."),
    ("saisies-hors-periode", E, "Des saisies tomberaient hors des années de la version remise",
     "Confirmer (case à cocher, --hors-periode)."),
])

IMPORT_CODES = _codes("import-", [
    ("inconnu", E, "Import inconnu", "Vérifier le numéro (historique)."),
    ("deja-annule", E, "Import déjà annulé", "Rien à faire."),
    ("remplace", E, "Valeurs modifiées depuis par un autre import", "Annuler d'abord le plus récent."),
    ("sens-change", E, "L'annulation remettrait des valeurs sous une autre unité ou un autre type",
     "Remettre d'abord la version de la feuille de route sous laquelle elles ont été saisies."),
    ("version-changee", E, "La feuille de route a changé depuis la vérification du fichier",
     "Vérifier de nouveau le fichier, relire l'aperçu, puis importer."),
])

COMPTE_CODES = _codes("compte-", [
    ("email-invalide", E, "Adresse e-mail illisible", "L'écrire comme prenom.nom@exemple.fr."),
    ("nom-manquant", E, "Nom absent", "Indiquer le nom de la personne."),
    ("nom-trop-long", E, "Nom trop long", "Le raccourcir."),
    ("role-inconnu", E, "Rôle inconnu", "Choisir coordination, lecture ou porteur."),
    ("structure-manquante", E, "Compte porteur sans structure", "Indiquer la structure (--structure)."),
    ("structure-hors-porteur", E, "Structure donnée à un compte qui n'est pas porteur",
     "La retirer, ou choisir le rôle porteur."),
    ("structure-inconnue", E, "Structure qui ne porte aucune fiche, ou écrite autrement",
     "L'écrire comme la feuille de route (noms proches proposés)."),
])

DEPOT_CODES = _codes("depot-", [
    ("fiche-hors-structures", E, "Fiche portée par une autre structure que celles du compte",
     "Ne déposer que les fiches de sa structure (son modèle)."),
    ("inconnu", E, "Dépôt inconnu", "Recharger la page."),
    ("deja-traite", E, "Dépôt déjà accepté ou renvoyé", "Recharger la page."),
    ("message-manquant", E, "Renvoi sans message", "Dire au porteur quoi corriger."),
])

# Problems about the container itself (not a workbook, encrypted, zip bomb…): the command line exits with 2.
FILE_CODES = _codes("", [
    ("fichier-vide", E, "Fichier vide", "Déposer le classeur rempli."),
    ("fichier-trop-volumineux", E, "Fichier trop volumineux", "Ne garder que les données utiles."),
    ("format-xls", E, "Format Excel 97-2003 (.xls)", "Enregistrer au format .xlsx."),
    ("format-ods", E, "Format LibreOffice (.ods)", "Enregistrer au format .xlsx."),
    ("format-xlsb", E, "Format Excel binaire (.xlsb)", "Enregistrer au format .xlsx."),
    ("format-inconnu", E, "Pas un classeur", "Déposer un fichier .xlsx."),
    ("classeur-chiffre", E, "Classeur protégé par mot de passe", "Enregistrer une copie sans mot de passe."),
    ("classeur-macro", E, "Classeur à macros (.xlsm)", "Enregistrer au format .xlsx."),
    ("zip-non-classeur", E, "Archive zip qui n'est pas un classeur", "Déposer un fichier .xlsx."),
    ("zip-suspect", E, "Archive anormale (taille, compression)", "Enregistrer à nouveau le classeur."),
    ("fichier-corrompu", E, "Fichier endommagé", "L'ouvrir et l'enregistrer à nouveau."),
    ("feuille-trop-grande", E, "Feuille trop grande", "Supprimer les lignes et colonnes inutiles."),
    ("trop-de-feuilles", E, "Trop de feuilles", "Supprimer les feuilles inutiles."),
    ("analyse-interrompue", E, "Lecture interrompue (mémoire ou temps)", "Alléger le classeur."),
])

FILE_LEVEL_CODES = frozenset(c.code for c in FILE_CODES)

# Every full code, by code. A code of a sheet family is here once per prefix; where a module raises a code of
# the family itself too (`saisie-nombre-invalide`), the family's entry is kept.
CODES: dict[str, Code] = {}
for _code in [*(Code(p + c.code, c.level, c.title, c.fix) for p in SHEET_PREFIXES for c in SHEET_CODES),
              *SAISIE_CODES, *SUIVI_CODES, *DEPENSES_CODES, *REFERENTIEL_CODES, *REFERENTIEL_TET_CODES, *CIBLE_CODES,
              *MIN_CODES, *CLOTURE_CODES, *VERSION_CODES, *IMPORT_CODES, *COMPTE_CODES, *DEPOT_CODES, *FILE_CODES]:
    CODES.setdefault(_code.code, _code)


@dataclass(frozen=True)
class Setting:
    env: str | None  # environment variable
    secret: str | None  # key of the [lne] table of .streamlit/secrets.toml, if any
    default: str
    meaning: str


SETTINGS = [
    Setting("LNE_DB", None, "`var/lne.duckdb`", "the database file (`--db` wins on the command line)"),
    Setting("LNE_AUJOURDHUI", None, "the real date",
            "the day the dashboard, the command line and the examples take as today (`AAAA-MM-JJ`); the tests pin it; "
            "anything else (`2026-02-30`) stops every command (exit status 2) and every page with a French message"),
    Setting("LNE_SANS_EXEMPLES", None, "unset",
            "any value: the database the dashboard creates at its first opening gets no example entries"),
    Setting("LNE_COORDINATION_HASH", "coordination_hash", "none: no coordination sign-in",
            "scrypt hash of the coordination password (`mot-de-passe`)"),
    Setting("LNE_LECTURE_HASH", "lecture_hash", "none", "scrypt hash of the reading password"),
    Setting("LNE_LECTURE", "lecture", "`publique`", "`protegee`: reading needs a password"),
    Setting(None, "coordinateurs", "none",
            "e-mails given the coordination role after OpenID Connect sign-in even without an account (the first "
            "coordinatrice, before any account exists)"),
    Setting("LNE_DUREE_SESSION", "duree_session", "`12` (hours)",
            "how long a personal sign-in (OpenID Connect) lasts before the person must sign in again"),
    Setting(None, "fournisseur", "`ProConnect`", "the provider's name on the sign-in button"),
    Setting("LNE_INSTANTANES", None, "unset: one process", "folder of the snapshots (shared mode)"),
    Setting("LNE_PRECHAUFFAGE", None, "on", "`0`: no background computation of the shared read models"),
    Setting("LNE_VENV", None, "`.venv`", "virtual environment used by `scripts/`"),
]


def markdown() -> str:
    """The README's tables of problem codes and settings."""
    def table(codes: list[Code]) -> list[str]:
        return ["| code | level | title | what to do |", "|---|---|---|---|",
                *(f"| `{c.code}` | {c.level} | {c.title} | {c.fix} |" for c in codes)]

    lines = [f"Sheet codes, each prefixed by the sheet ({', '.join(f'`{p}`' for p in SHEET_PREFIXES)}):", "",
             *table(SHEET_CODES), ""]
    for codes in (SAISIE_CODES, SUIVI_CODES, DEPENSES_CODES, REFERENTIEL_CODES, REFERENTIEL_TET_CODES, CIBLE_CODES,
                  MIN_CODES, CLOTURE_CODES, VERSION_CODES, IMPORT_CODES, COMPTE_CODES, DEPOT_CODES):
        lines += [*table(codes), ""]
    lines += ["File-level codes (command line: exit status 2):", "", *table(FILE_CODES), ""]
    lines += ["| environment variable | `[lne]` in secrets.toml | default | meaning |", "|---|---|---|---|",
              *(f"| {f'`{s.env}`' if s.env else '—'} | {f'`{s.secret}`' if s.secret else '—'} | {s.default} "
                f"| {s.meaning} |" for s in SETTINGS)]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown())
