"""Transcription à la main de la feuille de route « Lot Numérique Ensemble 2024-2027 » (version du 28/11/2025).

Ce fichier EST la transcription : tout le contenu du classeur de référence est écrit ci-dessous en données
Python littérales, fiche après fiche, dans l'ordre du texte. Le lancer réécrit le classeur :

    python tools/transcription_lne.py                # écrit data/referentiel_lne_2024-2027.xlsx
    python tools/transcription_lne.py -o autre.xlsx  # ailleurs

La mise en page du classeur (feuilles, colonnes, valeurs permises) est décrite dans README.md.
Conventions de transcription :
- texte copié tel quel depuis la feuille de route (fautes comprises) ; balises HTML résiduelles retirées ;
- listes à puces : une ligne par élément commençant par « - », sous-éléments indentés de deux espaces ;
- cellules de tableau aplaties dans le texte source : une ligne par ligne de cellule ;
- colonne `note` (hors mise en page, ignorée par le chargeur) : choix de transcription à connaître.

Dépendances : bibliothèque standard + openpyxl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

REPO = Path(__file__).resolve().parent.parent
SORTIE_PAR_DEFAUT = REPO / "data" / "referentiel_lne_2024-2027.xlsx"

ADOPTION = (dt.date(2024, 10, 21), "Adoption (comité syndical du 21/10/2024)")
ACTUALISATION = (dt.date(2025, 11, 28), "Actualisation (comité syndical du 28/11/2025)")

# ---------------------------------------------------------------------------------------------------------
# Feuille de route, axes, objectifs
# ---------------------------------------------------------------------------------------------------------

FEUILLE_DE_ROUTE = {
    "titre": "Lot Numérique Ensemble 2024-2027",
    "territoire": "Lot",
    "structure_coordinatrice": "Lot Numérique",
    "annee_debut": 2024,
    "annee_fin": 2027,
    "version": "Actualisation du 28/11/2025",
    "source": "Feuille de route adoptée le 21/10/2024, actualisée le 28/11/2025",
    # « VIII. Actualisation » : « Le comité syndical du 28 novembre 2025 a décidé d'intégrer une action proposée
    # par le Locollective ». La version d'adoption (fiches 1 à 22) est reconstituée par lne_data.versions à partir
    # des « ajoutee_le » des fiches (« VII. Adoption » : « adoptée par le comité syndical […] du 21 octobre 2024 »).
    "adoptee_le": ACTUALISATION[0],
    "note": (
        "L'introduction annonce « 22 actions, dont 15 portées ou co-portées par le syndicat » (texte adopté "
        "le 21/10/2024) ; l'actualisation du 28/11/2025 ajoute la fiche n°23 (portée par la Locollective) : "
        "23 fiches au total. Les fiches n°13, 22 et 23 n'ont pas de titre « Fiche n° » dans le corps du "
        "texte : elles sont identifiées par le SOMMAIRE."
    ),
}

AXES = [
    {"code": 1, "libelle": "Lot Numérique Responsable"},
    {"code": 2, "libelle": "Lot Numérique Solidaire"},
    {"code": 3, "libelle": "Lot Numérique Innovant"},
]

OBJECTIFS = [
    {
        "code": "1.1",
        "axe": 1,
        "libelle": "Développer la culture du numérique responsable",
        "libelle_sommaire": "",
        "note": "Non numéroté dans le texte (seul objectif de l'axe 1, absent du SOMMAIRE) : code 1.1 attribué",
    },
    {
        "code": "2.1",
        "axe": 2,
        "libelle": "Mettre en œuvre la feuille de route France Numérique Ensemble",
        "libelle_sommaire": "",
    },
    {
        "code": "2.2",
        "axe": 2,
        "libelle": "Coordonner les acteurs de l'inclusion numérique",
        "libelle_sommaire": "",
    },
    {
        "code": "2.3",
        "axe": 2,
        "libelle": "Renforcer le maillage territorial de la médiation numérique pour aller vers les publics isolés",
        "libelle_sommaire": (
            "Renforcer le maillage territorial de la médiation numérique pour aller vers les publics éloignés"
        ),
        "note": "Le SOMMAIRE et le titre de section écrivent « publics éloignés », le champ OBJECTIF des fiches "
        "« publics isolés »",
    },
    {
        "code": "2.4",
        "axe": 2,
        "libelle": "Accompagner les jeunes et leurs parents dans leur vie numérique",
        "libelle_sommaire": "",
    },
    {
        "code": "2.5",
        "axe": 2,
        "libelle": "Protéger des cybermenaces",
        "libelle_sommaire": "",
    },
    {
        "code": "3.1",
        "axe": 3,
        "libelle": "Evoluer vers un territoire intelligent, solidaire, performant et durable",
        "libelle_sommaire": "",
    },
    {
        "code": "3.2",
        "axe": 3,
        "libelle": "Améliorer la qualité de vie et l'attractivité du territoire grâce aux nouvelles technologies",
        "libelle_sommaire": "",
    },
]

# ---------------------------------------------------------------------------------------------------------
# Structures (noms normalisés). Variantes : autres graphies trouvées dans le texte, séparées par « ; ».
# ---------------------------------------------------------------------------------------------------------

STRUCTURES = [
    # Porteurs
    {"nom": "Lot Numérique", "variantes": "Lot numérique; syndicat Lot Numérique", "type": "collectivité"},
    {"nom": "Préfecture du Lot", "variantes": "Préfecture", "type": "État"},
    {"nom": "RhinOcc", "variantes": "Rhinocc; Hub régional RhinOcc", "type": "réseau",
     "note": "Hub régional pour un numérique inclusif"},
    {"nom": "Secours Populaire – Fédération du Lot",
     "variantes": "Secours Populaire - Fédération du Lot; Secours Populaire du Lot; "
                  "Fédération du Secours populaire français du Lot; Secours Populaire Français du Lot",
     "type": "association"},
    {"nom": "Bibliothèque départementale du Lot",
     "variantes": "Bibliothèque départementale (Département); Bibliothèque départementale; BDL",
     "type": "collectivité", "note": "Service du Département du Lot"},
    {"nom": "DSDEN du Lot",
     "variantes": "Direction des Services Départementaux de l'Éducation Nationale (DSDEN) du Lot; DSDEN; "
                  "DSDEN SDJES; Education nationale",
     "type": "État"},
    {"nom": "Cybergendarmerie 46", "variantes": "Cybergendarmerie; cyber gendarmerie du Lot", "type": "État"},
    {"nom": "CCI du Lot", "variantes": "Chambre de Commerce et d'Industrie du Lot", "type": "établissement public"},
    {"nom": "Locollective", "variantes": "LoCollective; la Locollective", "type": "association"},
    # Collectivités et État
    {"nom": "Département du Lot", "variantes": "Département; DSD", "type": "collectivité",
     "note": "« DSD » (fiches 8, 11, 22) : direction du Département, « Département (DSD) » dans les fiches 8 et 11"},
    {"nom": "Région Occitanie", "variantes": "Région; La Région", "type": "collectivité"},
    {"nom": "CC Quercy Bouriane", "variantes": "", "type": "collectivité"},
    {"nom": "TE46", "variantes": "", "type": "collectivité"},
    {"nom": "Aveyron", "variantes": "", "type": "collectivité",
     "note": "« Aveyron/Lozère » (fiche 17) : partenaires interdépartementaux, structure non précisée"},
    {"nom": "Lozère", "variantes": "", "type": "collectivité",
     "note": "« Aveyron/Lozère » (fiche 17) : partenaires interdépartementaux, structure non précisée"},
    {"nom": "Services de l'État", "variantes": "services de l'Etat", "type": "État"},
    {"nom": "SGAR", "variantes": "", "type": "État"},
    {"nom": "ANSSI", "variantes": "", "type": "État"},
    {"nom": "ANCT", "variantes": "", "type": "établissement public"},
    {"nom": "Banque des Territoires", "variantes": "Banque des territoires", "type": "établissement public"},
    {"nom": "ADEME", "variantes": "", "type": "établissement public"},
    {"nom": "CNFPT", "variantes": "", "type": "établissement public"},
    {"nom": "CDG46", "variantes": "", "type": "établissement public"},
    {"nom": "Atelier Canopé", "variantes": "Canopé", "type": "établissement public"},
    {"nom": "CLEMI", "variantes": "", "type": "établissement public"},
    {"nom": "CPAM", "variantes": "", "type": "autre", "note": "Organisme de sécurité sociale"},
    {"nom": "Caf", "variantes": "", "type": "autre", "note": "Organisme de sécurité sociale"},
    # Associations, entreprises, réseaux nommés
    {"nom": "La Mêlée", "variantes": "La Mèlée", "type": "association"},
    {"nom": "La MedNum", "variantes": "La Mednum; la Mednum", "type": "autre",
     "note": "Coopérative nationale de la médiation numérique"},
    {"nom": "Coll.in", "variantes": "", "type": "autre", "note": "Nature non précisée par le texte"},
    {"nom": "Institut du Numérique Responsable", "variantes": "INR", "type": "association"},
    {"nom": "Association de la Fresque du Numérique", "variantes": "", "type": "association"},
    {"nom": "ADSM46", "variantes": "", "type": "association",
     "note": "Sigle non développé dans le texte ; type supposé"},
    {"nom": "Alliance très haut débit", "variantes": "", "type": "autre",
     "note": "Nature non précisée par le texte"},
    {"nom": "Souris grise", "variantes": "", "type": "autre"},
    {"nom": "Fréquence école", "variantes": "", "type": "association"},
    {"nom": "Francas", "variantes": "les Francas", "type": "association"},
    {"nom": "Promeneurs du Net", "variantes": "promeneurs du net; PdN", "type": "réseau"},
    {"nom": "Orange Digital Center", "variantes": "", "type": "entreprise"},
    {"nom": "GAPD", "variantes": "GAPD (Groupe Académique des Professeurs documentalistes)", "type": "réseau"},
    {"nom": "Internet sans crainte", "variantes": "", "type": "autre", "note": "Programme national"},
    {"nom": "CRIJ", "variantes": "", "type": "association"},
    {"nom": "Les entreprises s'engagent", "variantes": "Les entreprises s’engagent", "type": "association"},
    {"nom": "UEL", "variantes": "", "type": "association",
     "note": "Citée parmi les « Associations d’accompagnement des entreprises »"},
    {"nom": "Interconnectés", "variantes": "InterConnectés; réseau des InterConnectés", "type": "réseau"},
    {"nom": "CyberTour", "variantes": "Cyber Tour", "type": "autre"},
    {"nom": "MAIF", "variantes": "", "type": "entreprise"},
    {"nom": "La Rôsée", "variantes": "la Rôsée", "type": "association",
     "note": "Réseau régional des tiers-lieux, sous forme associative"},
    {"nom": "AD'OCC", "variantes": "Ad'Occ", "type": "autre"},
    {"nom": "Silver Geek", "variantes": "", "type": "association"},
    {"nom": "Mission Locale", "variantes": "", "type": "association"},
    # Groupes génériques
    {"nom": "EPCI", "variantes": "", "type": "autre", "note": "Groupe générique"},
    {"nom": "Communes", "variantes": "communes", "type": "autre", "note": "Groupe générique"},
    {"nom": "Collectivités", "variantes": "", "type": "autre", "note": "Groupe générique"},
    {"nom": "Autres départements d'Occitanie", "variantes": "autres départements d'Occitanie",
     "type": "autre", "note": "Groupe générique"},
    {"nom": "Associations", "variantes": "", "type": "autre", "note": "Groupe générique"},
    {"nom": "Entreprises", "variantes": "", "type": "autre", "note": "Groupe générique"},
    {"nom": "Opérateurs de service public", "variantes": "", "type": "autre", "note": "Groupe générique"},
    {"nom": "Chambres consulaires", "variantes": "Consulaires; Autres consulaires", "type": "autre",
     "note": "Groupe générique"},
    {"nom": "Structures employeuses de conseillers/médiateurs numériques",
     "variantes": "structures employeuses de conseillers/médiateurs numériques; "
                  "Structures employeuses des médiateurs numériques",
     "type": "autre", "note": "Groupe générique"},
    {"nom": "Réseau des conseillers et médiateurs numériques",
     "variantes": "Réseau des conseillers/médiateurs numériques; Conseillers et médiateurs numériques; "
                  "réseau de la médiation numérique; conseillers/médiateurs numériques; médiateurs numériques",
     "type": "réseau", "note": "Réseau animé par Lot Numérique (fiche 6)"},
    {"nom": "Référents départementaux RhinOcc", "variantes": "référents départementaux", "type": "réseau"},
    {"nom": "Réseau des France Services", "variantes": "réseau France Services", "type": "réseau"},
    {"nom": "Associations de parents d'élèves", "variantes": "associations de parents d'élèves", "type": "autre",
     "note": "Groupe générique"},
    {"nom": "Centres sociaux", "variantes": "", "type": "autre", "note": "Groupe générique"},
    {"nom": "MJC", "variantes": "", "type": "autre", "note": "Groupe générique"},
    {"nom": "Réseau des bibliothèques du département", "variantes": "", "type": "réseau"},
    {"nom": "Fabriques de territoire", "variantes": "", "type": "réseau"},
    {"nom": "CCAS", "variantes": "", "type": "autre", "note": "Groupe générique"},
    {"nom": "CIAS", "variantes": "", "type": "autre", "note": "Groupe générique"},
    {"nom": "Structures d'accueil de personnes âgées",
     "variantes": "structures d'accueil de personnes âgées; "
                  "Etablissements accueillant des personnes âgées en résidence; structure senior",
     "type": "autre", "note": "Groupe générique"},
    {"nom": "Réseau Info Jeunes", "variantes": "réseau Info Jeunes", "type": "réseau"},
    {"nom": "Structures enfance jeunesse", "variantes": "Les structures enfance jeunesse", "type": "autre",
     "note": "Groupe générique"},
]

# ---------------------------------------------------------------------------------------------------------
# Fiches action, dans l'ordre du texte (la fiche n°23 est placée entre les fiches 13 et 14).
#
# Dans chaque fiche :
#   porteurs    : structure, role, niveau, source
#   partenaires : structure, precision, source (une ligne par structure ; l'expression d'origine en source)
#   moyens      : rubrique, nature, structure, attribution, libelle, quantifie, montant, unite, periodicite,
#                 annee, source, note
#   indicateurs : libelle, type, unite, mode, cible, cible_source, echeance, note (code calculé F..-I..)
# ---------------------------------------------------------------------------------------------------------

VIDE = "(rubrique vide)"
PERIODICITE_NON_PRECISEE = "périodicité non précisée"
QUALITATIF = "placé sous « Qualitatif : » dans le texte"

FICHES = [
    # ===================================== AXE 1 — LOT NUMÉRIQUE RESPONSABLE ============================
    {
        "numero": 1,
        "objectif": "1.1",
        "intitule": "Partager des outils et bonnes pratiques numérique responsable",
        "titre_sommaire": "",
        "public_cible": "Collectivités, acteurs locaux du numérique responsable",
        "enjeux": (
            "Si l'impact social et environnemental du numérique est aujourd'hui bien documenté, il est pourtant "
            "peu connu des personnes qui l'utilisent et beaucoup de fausses représentations circulent. Quant aux "
            "collectivités, la loi AGEC (Anti-Gaspillage pour une Économie Circulaire) du 10 février 2020 leur "
            "impose un minimum de 20 % de réemploi ou de réutilisation intégrant des matières recyclées dans le "
            "volume annuel total de la dépense HT en matériel informatique. Lot Numérique peut accompagner les "
            "collectivités dans leur transition vers des pratiques numériques responsables au travers du partage "
            "d'outils et de bonnes pratiques capitalisés lors de sa veille active sur cette thématique."
        ),
        "description": (
            "- Veille et communication sur les expérimentations en cours sur le territoire et au sein des "
            "collectivités\n"
            "- Diffusion et accompagnement à l'appropriation des outils et ressources développés à l'échelle "
            "nationale (Institut du Numérique Responsable, ADEME...)"
        ),
        "freins": (
            "Risque d'être « hors-sol » et de ne pas réussir à toucher les collectivités pas ou peu sensibilisées "
            "sur le numérique responsable."
        ),
        "leviers": (
            "Implication du service informatique de chaque collectivité pour l'accompagnement à la mise en œuvre "
            "des bonnes pratiques"
        ),
        "ressources_existantes": (
            "Charte Numérique Responsable de l'INR\n"
            "Ressources de l'ADEME\n"
            "Groupe Colibris Electronique du Département"
        ),
        "porteurs": [
            {"structure": "Lot Numérique", "role": "porteur", "source": "Lot Numérique"},
        ],
        "partenaires": [
            {"structure": "Département du Lot",
             "precision": "DSI du Département ; Groupe projet Colibris du Département",
             "source": "Département, EPCI, communes ; DSI du Département, des EPCI ; "
                       "Groupe projet Colibris du Département",
             "note": "Trois mentions du Département réunies (une ligne par fiche × structure)"},
            {"structure": "EPCI", "precision": "DSI des EPCI",
             "source": "Département, EPCI, communes ; DSI du Département, des EPCI",
             "note": "Deux mentions des EPCI réunies (une ligne par fiche × structure)"},
            {"structure": "Communes", "source": "Département, EPCI, communes"},
            {"structure": "Institut du Numérique Responsable", "source": "Institut du Numérique Responsable"},
            {"structure": "ADEME", "source": "ADEME"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "temps", "structure": "Lot Numérique", "attribution": "porteur unique",
             "libelle": "Temps ponctuel", "quantifie": "non", "source": "Temps ponctuel"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "Lot Numérique",
             "attribution": "porteur unique", "libelle": "Outils de sensibilisation auprès des membres",
             "quantifie": "oui", "montant": 5000, "unite": "EUR", "periodicite": "ponctuel",
             "conditionnel": "oui",
             "source": "Possibilité de porter des outils de sensibilisation auprès des membres : 5 000€",
             "note": "« Possibilité de » : montant sous condition ; achat d'outils, compté une fois"},
        ],
        "indicateurs": [
            {"libelle": "Nombre de communications aux collectivités partenaires sur le numérique responsable",
             "type": "nombre", "unite": "communications", "mode": "flux"},
        ],
    },
    {
        "numero": 2,
        "objectif": "1.1",
        "intitule": (
            "Former les acteurs de la médiation à animer des ateliers de sensibilisation au numérique responsable"
        ),
        "titre_sommaire": "",
        "public_cible": "Médiateurs (numériques, culturels, bénévoles des bibliothèques)",
        "enjeux": (
            "Souvent négligée, l'empreinte carbone du numérique est pourtant considérable : la consommation "
            "d'énergie du secteur du numérique est comparable à celle de certains des plus grands pays du monde. "
            "Le numérique représente 4 % des émissions de gaz à effet de serre (GES) et ce taux continue de "
            "croître de façon exponentielle.\n"
            "Pour inverser cette tendance, la sensibilisation du grand public est indispensable. Cela peut être "
            "réalisé par le biais des médiateurs et conseillers numériques du territoire dans les espaces de "
            "médiation numérique ou les bibliothèques. Il existe de nombreux outils sur lesquels s'appuyer, qui "
            "ont été créés ces dernières années, notamment la « Fresque du numérique »."
        ),
        "description": (
            "- Organiser des sessions de formation des médiateurs au numérique responsable :\n"
            "  - Former les médiateurs à l'animation de la Fresque du numérique et à tout autre outil pertinent "
            "identifié ;\n"
            "  - Relayer les webinaires sur le numérique responsable.\n"
            "- Recenser et diffuser toutes les ressources disponibles auprès des médiateurs.\n"
            "- Favoriser le partage de bonnes pratiques."
        ),
        "freins": "",
        "leviers": (
            "Adhésion des structures employeuses de médiateurs aux enjeux de sensibilisation du grand public au "
            "numérique responsable\n"
            "Veille sur les ressources disponibles"
        ),
        "ressources_existantes": "Fresque du numérique\nADEME",
        "porteurs": [
            {"structure": "Lot Numérique", "role": "porteur", "source": "Lot numérique"},
        ],
        "partenaires": [
            {"structure": "Bibliothèque départementale du Lot",
             "source": "Bibliothèque départementale (Département)"},
            {"structure": "Association de la Fresque du Numérique", "source": "Association de la Fresque du Numérique"},
            {"structure": "RhinOcc", "source": "Rhinocc"},
            {"structure": "Institut du Numérique Responsable", "source": "Institut du Numérique Responsable"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "temps", "structure": "Lot Numérique", "attribution": "porteur unique",
             "libelle": "Temps ponctuel de coordination du réseau des médiateurs", "quantifie": "non",
             "source": "Temps ponctuel coordination du réseau des médiateurs"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "Lot Numérique",
             "attribution": "porteur unique",
             "libelle": "Formation des médiateurs au numérique responsable (dont Fresque du numérique)",
             "quantifie": "oui", "montant": 4000, "unite": "EUR", "periodicite": "ponctuel",
             "source": "4 000 € dont 2 520 € pour la formation de 12 médiateurs à la Fresque du numérique",
             "note": "« 4 000 € dont 2 520 € … » : le total est 4 000 € (les 2 520 € en font partie)"},
        ],
        "indicateurs": [
            {"libelle": "Nombre de sensibilisations des médiateurs réalisées",
             "type": "nombre", "unite": "sensibilisations", "mode": "flux"},
            {"libelle": "Nombre de médiateurs formés à l'animation de la Fresque numérique responsable",
             "type": "nombre", "unite": "médiateurs", "mode": "flux",
             "note": "le texte ne fixe pas de cible : 12 vient d'une ligne de budget (« 2 520 € pour la formation "
                     "de 12 médiateurs à la Fresque du numérique »), ce que coûte une formation, pas un objectif "
                     "de l'indicateur ; la coordination peut fixer une cible dans le tableau de bord"},
            {"libelle": "Nombre d'ateliers Fresque du Numérique organisés sur le territoire",
             "type": "nombre", "unite": "ateliers", "mode": "flux"},
        ],
    },
    {
        "numero": 3,
        "objectif": "1.1",
        "intitule": "Expérimenter une boucle de reconditionnement solidaire",
        "titre_sommaire": "",
        "public_cible": "Lotois non équipés en matériel informatique",
        "enjeux": (
            "Dans le cadre de la coordination des conseillers/médiateurs numériques, plusieurs ont signalé que "
            "certains Lotois n'étaient pas équipés de matériel informatique, ce qui présentait un frein dans leur "
            "accès au numérique.\n"
            "Afin de répondre à ces difficultés, le syndicat Lot numérique a décidé de structurer une offre pour "
            "pourvoir en matériel informatique reconditionné les personnes qui n'ont pas encore d'équipement à "
            "domicile. Le Département a proposé de lui céder gracieusement du matériel informatique."
        ),
        "description": (
            "Organiser une boucle locale de reconditionnement afin de permettre aux Lotois en difficulté de "
            "s'équiper gratuitement :\n"
            "- identification de matériels réformés du Département pouvant être cédé au syndicat ;\n"
            "- définition du cadre juridique de la cession et validation du projet en Conseil Départemental et "
            "Comité Syndical Lot Numérique ;\n"
            "- récupération par Lot Numérique du matériel cédé par le Département et commande des disques durs ;\n"
            "- formation des conseillers et médiateurs numériques au reconditionnement des ordinateurs et "
            "distribution du matériel ;\n"
            "- reconditionnement et accompagnement à l'usage du matériel par les conseillers et médiateurs "
            "numériques du territoire\n"
            "- réalisation d'un bilan quantitatif et qualitatif de l'expérimentation en vue d'une possible "
            "reconduction ou d'un passage à l'échelle"
        ),
        "freins": (
            "Impossibilité de vérifier l'état du matériel avant reconditionnement, un pourcentage de perte par "
            "rapport au don initial est à anticiper."
        ),
        "leviers": (
            "Implication du service informatique du Département pour mettre à disposition des PC réformés\n"
            "Implication des médiateurs numériques pour le reconditionnement et la mise à disposition du matériel"
        ),
        "ressources_existantes": (
            "PC réformés du Département\n"
            "Restitution de l'expérimentation de la boucle locale de reconditionnement du Sicoval\n"
            "Crédits FNE"
        ),
        "porteurs": [
            {"structure": "Lot Numérique", "role": "porteur", "source": "Lot Numérique"},
        ],
        "partenaires": [
            {"structure": "Département du Lot", "source": "Département"},
            {"structure": "Réseau des conseillers et médiateurs numériques",
             "source": "Réseau des conseillers/médiateurs numériques"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "etp", "structure": "Lot Numérique", "attribution": "explicite",
             "libelle": "Suivi du projet (coordinatrice du réseau)", "quantifie": "oui", "montant": 0.10,
             "unite": "ETP",
             "source": "Suivi du projet : 0,10 ETP en mobilisation ponctuelle de la coordinatrice du réseau"},
            {"rubrique": "RH", "nature": "temps", "structure": "Réseau des conseillers et médiateurs numériques",
             "attribution": "explicite", "libelle": "Reconditionnement : temps homme des médiateurs numériques",
             "quantifie": "non", "source": "Reconditionnement : Temps homme des médiateurs numériques"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "Lot Numérique",
             "attribution": "porteur unique", "libelle": "Achat de disques durs", "quantifie": "oui",
             "montant": 4000, "unite": "EUR", "periodicite": "ponctuel",
             "source": "Achat de disques durs : 30€/disque dur = 4 000 € de budget estimé pour le premier lot "
                       "de 154 PC portables",
             "note": "Montant retenu : le budget estimé de 4 000 € écrit par le texte (30 € × 154 = 4 620 €)"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "Lot Numérique",
             "attribution": "porteur unique", "libelle": "Achat de RAM", "quantifie": "oui", "montant": 800,
             "unite": "EUR", "periodicite": "ponctuel",
             "source": "Achat de RAM : 800€ de budget estimé pour les ordinateurs non pourvus"},
        ],
        "indicateurs": [
            {"libelle": "Nombre de foyers Lotois équipés grâce au dispositif",
             "type": "nombre", "unite": "foyers", "mode": "flux",
             "note": QUALITATIF + " ; le texte ne fixe pas de cible : 154 est le nombre de PC du premier lot "
                     "(« premier lot de 154 PC portables »), dont une part sera perdue (« un pourcentage de perte "
                     "par rapport au don initial est à anticiper ») ; la coordination peut fixer une cible dans le "
                     "tableau de bord"},
            {"libelle": "Ratio ordinateurs récupérés/ordinateurs distribués",
             "type": "ratio", "unite": "", "mode": "stock",
             "note": QUALITATIF + " ; unité non précisée par le texte"},
            {"libelle": "Retours sur le développement des usages numérique à + 6 mois",
             "type": "qualitatif", "mode": "stock", "note": QUALITATIF},
        ],
    },
    # ===================================== AXE 2 — LOT NUMÉRIQUE SOLIDAIRE ==============================
    # ---- 2.1 Mettre en œuvre la feuille de route France Numérique Ensemble
    {
        "numero": 4,
        "objectif": "2.1",
        "intitule": "Coordonner la mise en œuvre de la feuille de route départementale",
        "titre_sommaire": "",
        "public_cible": "Acteurs de l'inclusion numérique",
        "enjeux": (
            "L'Etat a souhaité territorialiser sa stratégie en faveur de l'inclusion numérique « France numérique "
            "Ensemble ». Il a invité les Préfectures départementales à identifier une structure en capacité de "
            "copiloter l'élaboration d'une feuille de route départementale et de structurer une gouvernance "
            "locale. Le syndicat Lot numérique s'est positionné et a participé à la mise en place d'un comité de "
            "pilotage et d'un comité technique."
        ),
        "description": (
            "Consolider et animer la gouvernance sur le sujet de l'inclusion numérique, afin de suivre la mise en "
            "œuvre de la feuille de route à l'échelle départementale :\n"
            "- Consolider la gouvernance en intégrant les parties prenantes et leurs différents positionnements ;\n"
            "- Animer des temps de suivi des déploiements, d'information stratégique ;\n"
            "- Concevoir collectivement des groupes de travail sur les enjeux prioritaires identifiés ;\n"
            "- Garantir une cohérence des déploiements et leur visibilité ;\n"
            "- Développer des projets multipartenariaux et obtenir des financements associés."
        ),
        "freins": (
            "Une feuille de route qui doit être articulée avec les plans d'actions existants (emploi, CTG, "
            "éducation, etc.).\n"
            "Un cadre influencé par la politique de l'Etat."
        ),
        "leviers": (
            "Un pilotage clair et identifié, validé par les instances des parties prenantes.\n"
            "Exploitation des synergies et opportunités avec France Numérique Ensemble.\n"
            "Mobilisation des partenaires pour porter les groupes de travail"
        ),
        "ressources_existantes": "La Base France Numérique Ensemble",
        "porteurs": [
            {"structure": "Lot Numérique", "role": "co-porteur", "source": "Lot Numérique"},
            {"structure": "Préfecture du Lot", "role": "co-porteur", "source": "Préfecture"},
        ],
        "partenaires": [
            {"structure": "EPCI", "source": "EPCI"},
            {"structure": "Département du Lot", "source": "Département"},
            {"structure": "Opérateurs de service public", "source": "Opérateurs de service public"},
            {"structure": "Associations", "source": "Associations"},
            {"structure": "Entreprises", "source": "Entreprises"},
            {"structure": "RhinOcc", "source": "RhinOcc"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "etp", "structure": "", "attribution": "non précisée",
             "libelle": "Coordination", "quantifie": "oui", "montant": 0.15, "unite": "ETP",
             "source": "0,15 ETP Coordination",
             "note": "Co-portage Lot Numérique / Préfecture : répartition non précisée"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "",
             "attribution": "non précisée", "libelle": "Lieu, communication, buffet", "quantifie": "oui",
             "montant": 2000, "unite": "EUR", "periodicite": "non précisée",
             "source": "2 000 € (lieu, communication, buffet)",
             "note": PERIODICITE_NON_PRECISEE + " (frais de réunions de la gouvernance) ; co-portage : "
                     "financeur non précisé"},
        ],
        "indicateurs": [
            {"libelle": "Schéma de gouvernance", "type": "livrable", "mode": "stock"},
            {"libelle": "Nombre de rencontres du comité de pilotage et des comités techniques",
             "type": "nombre", "unite": "rencontres", "mode": "flux"},
            {"libelle": "Nombre de communications internes à la gouvernance (dont livrables)",
             "type": "nombre", "unite": "communications", "mode": "flux"},
            {"libelle": "Nombre de communications publiques",
             "type": "nombre", "unite": "communications", "mode": "flux"},
        ],
    },
    {
        "numero": 5,
        "objectif": "2.1",
        "intitule": "Assurer une veille sur les financements et mutualiser l'ingénierie financière",
        "titre_sommaire": "",
        "public_cible": "Acteurs de l'inclusion numérique",
        "enjeux": (
            "Les financements d'État dans le cadre de France Numérique Ensemble sont connus pour les années 2024 "
            "et 2025. Les financements des postes de Conseillers numériques et de Coordinateur de Conseillers "
            "numériques sont également connus, avec la contrainte d'une logique dégressive pour les postes de "
            "terrain. Enfin, si les feuilles de routes prévues affichent des actions et certains modes de "
            "financement, le défi de leur pérennisation reste également entier. Ces problématiques étant communes "
            "à tous les départements, l'échelle régionale semble la plus pertinente pour aborder ces questions."
        ),
        "description": (
            "- Identifier les actions sur le département qui nécessitent des financements\n"
            "- Participer au groupe de travail régional pour identifier et qualifier collectivement les sources de "
            "financements publics régionaux, nationaux, européens, et aussi privés\n"
            "- Explorer les scénarios permettant de pérenniser l'offre de médiation numérique\n"
            "- Formuler une réponse inter-départementale à un fonds structurant"
        ),
        "freins": "Nécessite que les partenaires parviennent à un accord sur une réponse commune",
        "leviers": (
            "Animation de RhinOcc\n"
            "Expertise en fonds européens et projets multi-partenariaux au sein du groupe de travail\n"
            "Implication des parties prenantes"
        ),
        "ressources_existantes": "",
        "porteurs": [
            {"structure": "RhinOcc", "role": "co-porteur", "niveau": "régional",
             "source": "RhinOcc au niveau régional"},
            {"structure": "Lot Numérique", "role": "co-porteur", "niveau": "départemental",
             "source": "Lot Numérique au niveau départemental"},
        ],
        "partenaires": [
            {"structure": "La Mêlée", "source": "La Mêlée/RhinOcc",
             "note": "« La Mêlée/RhinOcc » : RhinOcc, co-porteur de la fiche, n'est pas repris en partenaire"},
            {"structure": "Autres départements d'Occitanie", "source": "autres départements d'Occitanie"},
            {"structure": "Référents départementaux RhinOcc", "source": "référents départementaux"},
            {"structure": "Banque des Territoires", "source": "Banque des territoires"},
            {"structure": "ANCT", "source": "ANCT et services de l'Etat"},
            {"structure": "Services de l'État", "source": "ANCT et services de l'Etat"},
            {"structure": "Région Occitanie", "source": "Région Occitanie"},
            {"structure": "La MedNum", "source": "La Mednum"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "etp", "structure": "", "attribution": "non précisée",
             "libelle": "Temps de travail", "quantifie": "oui", "montant": 0.10, "unite": "ETP",
             "source": "0,10 ETP",
             "note": "Co-portage RhinOcc / Lot Numérique : répartition non précisée"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "",
             "attribution": "non précisée", "libelle": "Frais d'animation destinés à RhinOcc", "quantifie": "oui",
             "montant": 1200, "unite": "EUR", "periodicite": "non précisée",
             "source": "1200€ HT frais d'animation destinés à RhinOcc",
             "note": PERIODICITE_NON_PRECISEE + " (frais d'animation d'un groupe de travail régional) ; montant HT ; "
                     "RhinOcc en est le destinataire, le payeur n'est pas précisé (co-portage)"},
        ],
        "indicateurs": [
            {"libelle": "Nombre de financements identifiés",
             "type": "nombre", "unite": "financements", "mode": "flux"},
            {"libelle": "Nombre d'ateliers en groupe de travail",
             "type": "nombre", "unite": "ateliers", "mode": "flux"},
            {"libelle": "Nombre de demandes de financements réalisés",
             "type": "nombre", "unite": "demandes", "mode": "flux"},
            {"libelle": "Montant global des financements demandés",
             "type": "nombre", "unite": "€", "mode": "flux"},
        ],
    },
    # ---- 2.2 Coordonner les acteurs de l'inclusion numérique
    {
        "numero": 6,
        "objectif": "2.2",
        "intitule": "Poursuivre la coordination départementale des acteurs de la médiation numérique",
        "titre_sommaire": "",
        "public_cible": "Acteurs de la médiation numérique",
        "enjeux": (
            "Un poste de conseillère numérique coordonnatrice est en place depuis 2021 au sein de Lot Numérique. "
            "Elle est l'interlocutrice privilégiée pour toutes les questions de médiation numérique dans le "
            "département du Lot. Elle anime le réseau des professionnels de la médiation numérique."
        ),
        "description": (
            "- Consolider le réseau des conseillers et médiateurs numériques par l'organisation de rencontres "
            "trimestrielles visant le partage d'expérience et la montée en compétences\n"
            "- Assurer une veille numérique et l'animation de la communauté en ligne\n"
            "- Coordonner des actions de médiation numérique au niveau départemental en lien avec les animateurs "
            "locaux\n"
            "- Renforcer le maillage et les synergies territoriales via la réalisation de diagnostics territoriaux "
            "et le développement de partenariats"
        ),
        "freins": (
            "Les structures employeuses de conseillers et médiateurs numériques doivent pouvoir leur dégager du "
            "temps pour prendre part aux animations du réseau.\n"
            "Dégressivité des financements de l'Etat pour le poste jusqu'à interruption en 2027."
        ),
        "leviers": "Recherche de financements et ingénierie financière pour pérenniser le poste",
        "ressources_existantes": (
            "Subvention 50 000 € Banque des territoires (2024-2026)\n"
            "Outils RhinOcc (réseau, carto)"
        ),
        "porteurs": [
            {"structure": "Lot Numérique", "role": "porteur", "source": "Lot Numérique"},
        ],
        "partenaires": [
            {"structure": "Structures employeuses de conseillers/médiateurs numériques",
             "source": "Structures employeuses de conseillers/médiateurs numériques"},
            {"structure": "Préfecture du Lot", "source": "Préfecture"},
            {"structure": "EPCI", "source": "EPCI/communes"},
            {"structure": "Communes", "source": "EPCI/communes"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "etp", "structure": "Lot Numérique", "attribution": "porteur unique",
             "libelle": "Poste de coordination", "quantifie": "oui", "montant": 1.0, "unite": "ETP",
             "source": "1 ETP + déplacements et frais de structure"},
            {"rubrique": "RH", "nature": "autre", "structure": "Lot Numérique", "attribution": "porteur unique",
             "libelle": "Déplacements et frais de structure", "quantifie": "non",
             "source": "1 ETP + déplacements et frais de structure"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "Lot Numérique",
             "attribution": "porteur unique", "libelle": "Organisation des 4 rencontres trimestrielles",
             "quantifie": "oui", "montant": 5000, "unite": "EUR", "periodicite": "non précisée",
             "source": "5 000 € pour l'organisation des 4 rencontres trimestrielles (repas, formations/animations)",
             "note": PERIODICITE_NON_PRECISEE + " (4 rencontres trimestrielles : vraisemblablement par an)"},
        ],
        "indicateurs": [
            {"libelle": "Taux de participation aux rencontres trimestrielles",
             "type": "ratio", "unite": "%", "mode": "stock"},
            {"libelle": "Données d'inscription et de participation à la plateforme de mutualisation Social RhinOcc",
             "type": "nombre", "unite": "inscrits", "mode": "stock",
             "note": "Indicateur composite (inscription et participation) : saisi comme nombre d'inscrits"},
            {"libelle": "Nombre de partenariats tissés",
             "type": "nombre", "unite": "partenariats", "mode": "flux"},
            {"libelle": "Données issues du compte-rendu d'activité coordinateur",
             "type": "qualitatif", "mode": "stock"},
            {"libelle": "Evaluation qualitative par les conseillers/médiateurs numériques et leurs structures "
                        "employeuses",
             "type": "qualitatif", "mode": "stock", "note": QUALITATIF},
        ],
    },
    {
        "numero": 7,
        "objectif": "2.2",
        "intitule": "Participer au Hub pour un numérique inclusif régional RhinOcc",
        "titre_sommaire": "Participer au Hub régional RhinOcc pour un numérique inclusif",
        "public_cible": "Acteurs de l'inclusion numérique",
        "enjeux": (
            "RhinOcc s'organise sur le principe de partenariats. Le rôle de Référents RhinOcc confère à la "
            "structure départementale partenaire la représentation du dispositif à cette échelle, le déploiement "
            "de missions confiées par ses soutiens et ses partenaires (ex.: La MedNum) et l'implication des "
            "parties prenantes sur des chantiers stratégiques.\n"
            "Lot Numérique, contributeur à la définition des missions et du fonctionnement régional de RhinOcc, a "
            "été désigné \"Référént départemental RhinOcc\" pour le Lot, pour l'exécution de missions du Hub et "
            "sa représentation à sa propre échelle territoriale de 2021 à 2023, via une convention et un "
            "financement par La Mêlée."
        ),
        "description": (
            "- Participer au Comité stratégique\n"
            "- Bénéficiaire auprès de RhinOcc des outils (cartographie des lieux, plateforme d'animation locale), "
            "de l'information stratégique dispensée et de toutes ressources en ingénierie produites.\n"
            "- Participer aux temps de coordination avec les autres Référents départementaux RhinOcc (Lozère "
            "Développement, SMICA, RING, La Mêlée).\n"
            "- Bénéficiaire d'un appui de 1er niveau au rôle de Référént départemental RhinOcc, en impliquant au "
            "besoin RhinOcc dans des chantiers stratégiques sur le département, et au rôle de Conseiller numérique "
            "coordinateur départemental."
        ),
        "freins": (
            "Moyens financiers par La Mêlée non-renouvelés\n"
            "Possible évolution du modèle économique de RhinOcc, qui peut engendrer des appels à contribution pour "
            "poursuivre ses missions"
        ),
        "leviers": "Poursuite de l'implication du Référént départemental dans le hub",
        "ressources_existantes": "",
        "porteurs": [
            {"structure": "Lot Numérique", "role": "porteur", "source": "Lot Numérique"},
        ],
        "partenaires": [
            {"structure": "La Mêlée", "source": "La Mêlée/RhinOcc"},
            {"structure": "RhinOcc", "source": "La Mêlée/RhinOcc"},
            {"structure": "Banque des Territoires", "source": "Banque des Territoires"},
            {"structure": "ANCT", "source": "ANCT"},
            {"structure": "La MedNum", "source": "La Mednum"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "etp", "structure": "Lot Numérique", "attribution": "porteur unique",
             "libelle": "Participation au Hub", "quantifie": "oui", "montant": 0.15, "unite": "ETP",
             "source": "0,15 ETP et déplacements occasionnels"},
            {"rubrique": "RH", "nature": "autre", "structure": "Lot Numérique", "attribution": "porteur unique",
             "libelle": "Déplacements occasionnels", "quantifie": "non",
             "source": "0,15 ETP et déplacements occasionnels"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "Lot Numérique",
             "attribution": "porteur unique", "libelle": "Contribution 2025 à RhinOcc (en option)",
             "quantifie": "non", "conditionnel": "oui",
             "source": "En option selon évolution du dispositif : contribution 2025",
             "note": "Contribution optionnelle pour 2025, montant non précisé"},
        ],
        "indicateurs": [
            {"libelle": "Nombre de participations au Comité stratégique",
             "type": "nombre", "unite": "participations", "mode": "flux"},
            {"libelle": "Nombre d'accès aux plateformes de services RhinOcc (cartographie, plateforme d'animation "
                        "locale, etc.)",
             "type": "nombre", "unite": "accès", "mode": "flux"},
            {"libelle": "Nombre de participation aux réunions de coordination des Référents départementaux RhinOcc",
             "type": "nombre", "unite": "participations", "mode": "flux"},
            {"libelle": "Nombre de participation aux réunions de coordination des Coordinateurs de conseillers "
                        "numériques",
             "type": "nombre", "unite": "participations", "mode": "flux"},
            {"libelle": "Nombre d'appui stratégique de 1er niveau dispensés par RhinOcc",
             "type": "nombre", "unite": "appuis", "mode": "flux"},
        ],
    },
    {
        "numero": 8,
        "objectif": "2.2",
        "intitule": "Former à l'inclusion numérique et outiller les aidants",
        "titre_sommaire": "",
        "public_cible": (
            "Aidants numériques : conseillers France Services, travailleurs sociaux, secrétaires de mairie"
        ),
        "enjeux": (
            "Selon ses problématiques d'accès aux droits et/ou de montée en compétence numérique, l'utilisateur "
            "peut être amené à solliciter l'aide de divers relais de proximité : secrétaires de mairie, conseillers "
            "France Services, travailleurs sociaux, médiateurs numériques... Aujourd'hui, ces différents acteurs et "
            "leur périmètre d'action ne sont pas toujours bien identifiés par l'utilisateur, ni par les acteurs "
            "eux-mêmes. L'enjeu est donc de favoriser l'interconnaissance des professionnels et de mieux coordonner "
            "l'offre locale d'accompagnement au numérique et à l'accès aux droits par le numérique."
        ),
        "description": (
            "- Informer les aidants numériques de proximité sur l'offre territoriale d'accompagnement au numérique "
            "(accès aux droits, médiation, formation...)\n"
            "- Effectuer un diagnostic des besoins de formation des aidants numériques de proximité\n"
            "- Coordonner la formation des aidants numériques à l'inclusion numérique et à l'outil Aidants Connect"
        ),
        "freins": (
            "Temps RH pour recenser et mobiliser les acteurs locaux (amorçage) et construire le parcours de "
            "formation, puis garantir la mobilisation régulière des réseaux locaux"
        ),
        "leviers": (
            "Implication des réseaux d'acteurs (France Services, travailleurs sociaux (DSD), secrétaires de "
            "mairie...)\n"
            "Renfort externe sur la formation et l'outillage"
        ),
        "ressources_existantes": "Bloc de formation Aidants Connect\nPlateforme PASIP",
        "porteurs": [
            {"structure": "Lot Numérique", "role": "co-porteur", "source": "Lot Numérique"},
            {"structure": "Préfecture du Lot", "role": "co-porteur", "source": "Préfecture"},
        ],
        "partenaires": [
            {"structure": "Réseau des France Services", "source": "Réseau des France Services"},
            {"structure": "Réseau des conseillers et médiateurs numériques",
             "source": "Réseau des conseillers et médiateurs numériques"},
            {"structure": "Département du Lot", "precision": "DSD", "source": "Département (DSD)"},
            {"structure": "ADSM46", "source": "ADSM46"},
            {"structure": "Associations", "source": "Associations"},
            {"structure": "La Mêlée", "source": "La Mêlée/RhinOcc/Coll.in"},
            {"structure": "RhinOcc", "source": "La Mêlée/RhinOcc/Coll.in"},
            {"structure": "Coll.in", "source": "La Mêlée/RhinOcc/Coll.in"},
            {"structure": "Alliance très haut débit", "source": "Alliance très haut débit"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "etp", "structure": "", "attribution": "non précisée",
             "libelle": "Coordination départementale", "quantifie": "oui", "montant": 0.25, "unite": "ETP",
             "source": "Coordination départementale : 0,25 ETP",
             "note": "Co-portage Lot Numérique / Préfecture : répartition non précisée"},
            {"rubrique": "RH", "nature": "autre", "structure": "", "attribution": "non précisée",
             "libelle": "Véhicule de fonction", "quantifie": "non", "source": "Véhicule de fonction"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "",
             "attribution": "non précisée", "libelle": "Prestation de formation", "quantifie": "oui",
             "montant": 20000, "unite": "EUR", "periodicite": "ponctuel",
             "source": "20 k€ pour la prestation de formation",
             "note": "« 20 k€ » = 20 000 € ; co-portage : financeur non précisé"},
        ],
        "indicateurs": [
            {"libelle": "Nombre de sensibilisations aux aidants numériques réalisées",
             "type": "nombre", "unite": "sensibilisations", "mode": "flux"},
            {"libelle": "Nombre d'aidants numériques formés à l'inclusion numérique et/ou Aidants Connect",
             "type": "nombre", "unite": "aidants", "mode": "flux"},
        ],
    },
    # ---- 2.3 Renforcer le maillage territorial de la médiation numérique
    {
        "numero": 9,
        "objectif": "2.3",
        "intitule": "Former à la médiation numérique les bénévoles du Secours Populaire du Lot",
        "titre_sommaire": "",
        "public_cible": (
            "Personnes accueillies au sein des espaces de solidarité de la Fédération du Lot.\n"
            "Bénévoles de l'association formés à l'accompagnement numérique."
        ),
        "enjeux": (
            "Favoriser un meilleur accès aux droits à l'information, à la communication et au lien social des "
            "personnes accueillies par le secours populaire du Lot."
        ),
        "description": (
            "1) Former les bénévoles référents pour l'accompagnement numérique sur 3 antennes par le conseiller "
            "numérique de la Fédération du Secours populaire français du Lot :\n"
            "- Identifier et accompagner des bénévoles à la médiation numérique en leur mettant à disposition du "
            "matériel, des outils (sites, ressources, logiciels...), des supports et techniques pédagogiques.\n"
            "- A travers cette formation permettre aux bénévoles de réaliser un diagnostic, d'évaluer les besoins "
            "et attentes numériques des personnes accueillies, de réaliser des accompagnements de premier niveau : "
            "prise en main de PC, smartphone, tablette, utilisation des sites Ameli, Doctolib, mon espace santé.\n"
            "- Permettre également aux bénévoles de connaître les interlocuteurs, partenaires du territoire et "
            "savoir orienter les personnes en fonction de leurs demandes (conseiller numériques, services public, "
            "assistante sociale, Maisons France Services).\n"
            "Formations individuelles et collectives sur site.\n"
            "2) Étendre l'accompagnement numérique sur au moins 3 antennes des espaces de solidarité du Secours "
            "Populaire du Lot :\n"
            "- Proposer aux personnes accueillies une offre plus large de permanence et d'accompagnement numérique."
        ),
        "freins": "Zone géographique étendue\nDisponibilité bénévole",
        "leviers": "Formation des bénévoles autour de la médiation numérique",
        "ressources_existantes": (
            "1 conseiller numérique\n"
            "Supports pédagogiques\n"
            "6 locaux situés dans les communes des 6 antennes existantes.\n"
            "3 PC portables/6 PC/6 Tablettes 3 Smartphones"
        ),
        "porteurs": [
            {"structure": "Secours Populaire – Fédération du Lot", "role": "porteur",
             "source": "Secours Populaire - Fédération du Lot"},
        ],
        "partenaires": [
            {"structure": "CPAM", "source": "CPAM"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "personnes", "structure": "Secours Populaire – Fédération du Lot",
             "attribution": "porteur unique", "libelle": "Bénévoles", "quantifie": "oui", "montant": 5,
             "unite": "personnes", "source": "5 bénévoles"},
            {"rubrique": "RH", "nature": "personnes", "structure": "Secours Populaire – Fédération du Lot",
             "attribution": "porteur unique", "libelle": "Conseiller numérique (CDI)", "quantifie": "oui",
             "montant": 1, "unite": "personnes", "source": "1 conseiller numérique (CDI)",
             "note": "Une personne, pas un ETP : la quotité consacrée à l'action n'est pas précisée"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "",
             "attribution": "non précisée", "libelle": "Investissement", "quantifie": "non", "source": VIDE},
        ],
        "indicateurs": [
            {"libelle": "Nombre de journées de formation des bénévoles référents par le conseiller numérique",
             "type": "nombre", "unite": "journées", "mode": "flux"},
            {"libelle": "Quantification des accompagnements numériques réalisés par les bénévoles et par le "
                        "conseiller numérique à travers des comptes rendus d'activité",
             "type": "nombre", "unite": "accompagnements", "mode": "flux"},
            {"libelle": "Questionnaire de satisfaction à destination des personnes bénéficiant d'accompagnements "
                        "numérique",
             "type": "qualitatif", "mode": "stock"},
        ],
    },
    {
        "numero": 10,
        "objectif": "2.3",
        "intitule": "Former à la médiation numérique les professionnels et bénévoles des bibliothèques",
        "titre_sommaire": "Former à la médiation numérique les professionnels et les bénévoles des bibliothèques",
        "public_cible": "Professionnels et bénévoles des bibliothèques, médiateurs numériques et culturels",
        "enjeux": (
            "La culture numérique est aujourd’hui présente dans notre quotidien modifiant les formes d’interaction "
            "sociale et notre rapport au temps. Selon le Baromètre du Numérique 2023, les médiathèques et les "
            "bibliothèques restent les endroits les mieux identifiés par les habitants pour bénéficier d’un "
            "accompagnement au numérique. Heure du conte numérique, sensibilisation aux fausses nouvelles (fake "
            "news), atelier d’initiation à la robotique : les médiateurs animent avec et par le numérique.\n"
            "La formation des acteurs est indispensable dans un contexte médiatique aussi changeant. Outre "
            "l’actualisation des connaissances, la formation permet également aux médiateurs de se rencontrer et "
            "de favoriser l’émergence de projets communs qu’ils soient portés dans les bibliothèques ou les espaces "
            "dédiés à la médiation numérique."
        ),
        "description": (
            "- Organiser des formations au numérique à destination des bibliothèques (salariés, bénévoles)\n"
            "- Intégrer à ces formations les acteurs de la médiation numérique pour favoriser leur montée en "
            "compétences, le partage de bonnes pratiques et l’émergence de projets communs\n"
            "- Recenser et diffuser les ressources identifiées auprès des bibliothèques et des médiateurs numériques"
        ),
        "freins": "",
        "leviers": (
            "Adhésion des acteurs aux enjeux de la médiation numérique\n"
            "Veille sur les ressources disponibles"
        ),
        "ressources_existantes": (
            "Fiche de médiation numérique de la Souris grise (accessibles sur le portail de la bibliothèque "
            "départementale)\n"
            "Fonds professionnel de la bibliothèque départementale"
        ),
        "porteurs": [
            {"structure": "Bibliothèque départementale du Lot", "role": "porteur",
             "source": "Bibliothèque départementale (Département)"},
        ],
        "partenaires": [
            {"structure": "Lot Numérique", "source": "Lot numérique"},
            {"structure": "CNFPT", "source": "CNFPT"},
            {"structure": "Souris grise", "source": "Souris grise"},
            {"structure": "Fréquence école", "source": "Fréquence école"},
            {"structure": "Atelier Canopé", "source": "Atelier Canopé"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "temps", "structure": "Bibliothèque départementale du Lot",
             "attribution": "porteur unique", "libelle": "Temps ponctuel de coordination", "quantifie": "non",
             "source": "Temps ponctuel coordination"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement",
             "structure": "Bibliothèque départementale du Lot", "attribution": "porteur unique",
             "libelle": "Formation", "quantifie": "oui", "montant": 2000, "unite": "EUR", "periodicite": "par an",
             "source": "2 000 € par an pour la formation"},
        ],
        "indicateurs": [
            {"libelle": "Nombre d’actions en lien avec le numérique organisées suite à la formation des acteurs",
             "type": "nombre", "unite": "actions", "mode": "flux"},
            {"libelle": "Nombre de médiateurs formés", "type": "nombre", "unite": "médiateurs", "mode": "flux"},
        ],
    },
    {
        "numero": 11,
        "objectif": "2.3",
        "intitule": (
            "Diffuser l'offre départementale du numérique culturel auprès des publics seniors résidant en "
            "établissements d'accueil"
        ),
        "titre_sommaire": "",
        "public_cible": "Personnes seniors résidants dans les EHPAD et résidences autonomie du Lot",
        "enjeux": (
            "La proportion des personnes de 60 ans et plus correspond à plus d'un tiers de la population lotoise. "
            "4,5 % de ces seniors vivent en institution (soit environ 3 200 personnes). L'accès à l'offre "
            "culturelle constitue un enjeu du bien vieillir dans le Lot.\n"
            "Par ailleurs, le Département propose à l'ensemble des Lotois et des Lotoises une offre de numérique "
            "culturel à travers la Médiathèque Numérique du Lot. L'accès à ce service nécessite d'être inscrit dans "
            "une des bibliothèques partenaires. Or se rendre en bibliothèques peut constituer un frein pour des "
            "personnes âgées en résidence, qui n'ont pas forcément la mobilité nécessaire. De leur côté, les "
            "bibliothèques n'ont pas toutes les moyens de se déplacer en résidences et d'aller vers ce public.\n"
            "La présence d'animateurs dans les résidences et de conseillers numériques sur le territoire, ainsi que "
            "d'une référente personnes âgées à la Bibliothèque départementale, ouvrent des perspectives pour ce "
            "public."
        ),
        "description": (
            "- Effectuer un état des lieux des partenariats déjà existants : quelles bibliothèques souhaiteraient "
            "aller en EHPAD pour des démonstrations, inscriptions, médiations ?\n"
            "- Etat des lieux de l'équipement des résidents (matériel et accès wifi)\n"
            "- Former les animateurs et conseillers à la MNL et à sa médiation\n"
            "- Faire se rencontrer ces partenaires et les bibliothèques pour aller plus loin\n"
            "- Conventionner avec les établissements\n"
            "- Effectuer un bilan annuel de l'action"
        ),
        "freins": (
            "Positionnement BDL / bibliothèques\n"
            "Temps de formation des animateurs et conseillers\n"
            "Surcoût probable modéré\n"
            "Equipement matériel et accès wifi"
        ),
        "leviers": (
            "Formation des animateurs et conseillers\n"
            "Communication sur la démarche dans le cadre du SDLP auprès des bibliothèques\n"
            "Inscription dans le cadre de BNR qui permet de prévoir le prêt de matériel, le partenariat avec "
            "Valentin Haüy, l'acquisition de livres audios numériques et physiques"
        ),
        "ressources_existantes": "MNL, matériel BDL pour démonstrations et formations",
        "porteurs": [
            {"structure": "Bibliothèque départementale du Lot", "role": "porteur",
             "source": "Bibliothèque départementale (Département)"},
        ],
        "partenaires": [
            {"structure": "Lot Numérique", "precision": "coordination de la médiation numérique",
             "source": "Lot Numérique (coordination de la médiation numérique)"},
            {"structure": "Département du Lot", "precision": "DSD", "source": "Département (DSD)"},
            {"structure": "Structures employeuses de conseillers/médiateurs numériques",
             "source": "Structures employeuses des médiateurs numériques"},
            {"structure": "Structures d'accueil de personnes âgées",
             "source": "Etablissements accueillant des personnes âgées en résidence"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "temps", "structure": "Bibliothèque départementale du Lot",
             "attribution": "porteur unique", "libelle": "Temps homme formation", "quantifie": "non",
             "source": "Temps homme formation"},
            {"rubrique": "RH", "nature": "temps", "structure": "Bibliothèque départementale du Lot",
             "attribution": "porteur unique", "libelle": "Temps homme coordination", "quantifie": "non",
             "source": "Temps homme coordination"},
            {"rubrique": "RH", "nature": "temps", "structure": "Bibliothèque départementale du Lot",
             "attribution": "porteur unique", "libelle": "Temps homme inscription au service", "quantifie": "non",
             "source": "Temps homme inscription au service"},
            {"rubrique": "RH", "nature": "temps", "structure": "Bibliothèque départementale du Lot",
             "attribution": "porteur unique", "libelle": "Temps homme prêt de matériel", "quantifie": "non",
             "source": "Temps homme prêt de matériel"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement",
             "structure": "Bibliothèque départementale du Lot", "attribution": "porteur unique",
             "libelle": "Équipement des établissements (à définir)", "quantifie": "non",
             "source": "A définir en fonction du diagnostic sur les équipements des établissements"},
        ],
        "indicateurs": [
            {"libelle": "Nombre d'établissements qui conventionnent pour la mise en place du service MNL",
             "type": "nombre", "unite": "établissements", "mode": "flux"},
            {"libelle": "Nombre de résidents inscrits à la MNL via ce dispositif",
             "type": "nombre", "unite": "résidents", "mode": "stock"},
            {"libelle": "Nombre d'actions de médiation menées dans les établissements par les animateurs et "
                        "conseillers formés",
             "type": "nombre", "unite": "actions", "mode": "flux"},
            {"libelle": "Bilan annuel comprenant : typologie des usagers du service, répartition de l'action sur "
                        "le territoire, nombre de partenariats mis en œuvre avec les bibliothèques",
             "type": "livrable", "mode": "stock"},
        ],
    },
    # ---- 2.4 Accompagner les jeunes et leurs parents dans leur vie numérique
    {
        "numero": 12,
        "objectif": "2.4",
        "intitule": "Favoriser la prise en main des outils liés à la parentalité numérique",
        "titre_sommaire": "",
        "public_cible": "Parents d'élèves",
        "enjeux": (
            "Lors des ateliers de co-construction de la feuille de route France Numérique Ensemble, de nombreux "
            "acteurs ont souligné la nécessité d'aider les parents à s'approprier les outils numériques pour "
            "accompagner leurs enfants, à la fois dans le suivi de leur scolarité (ENT, Pronote), mais aussi dans "
            "celui de leurs usages numériques personnels (contrôle parental, réseaux sociaux...)."
        ),
        "description": (
            "Cette action vise à coordonner et enrichir les initiatives engagées par les partenaires afin d'aider "
            "les parents à s'approprier les outils numériques afin de pouvoir accompagner leurs enfants vers un "
            "usage raisonné du numérique. Elle se traduit par :\n"
            "- La mobilisation des partenaires au sein d'un groupe de travail ;\n"
            "- L'articulation des différents acteurs (numérique éducatif, secteur de la médiation numérique)\n"
            "- Le développement de nouvelles actions adressées aux familles."
        ),
        "freins": "",
        "leviers": "",
        "ressources_existantes": (
            "Parcours PIX parentalité numérique\n"
            "La plateforme « Je protège mon enfant »\n"
            "L'association e-enfance"
        ),
        "porteurs": [
            {"structure": "DSDEN du Lot", "role": "porteur",
             "source": "Direction des Services Départementaux de l'Éducation Nationale (DSDEN) du Lot"},
        ],
        "partenaires": [
            {"structure": "Atelier Canopé", "source": "Atelier Canopé"},
            {"structure": "Francas", "source": "Francas/promeneurs du net"},
            {"structure": "Promeneurs du Net", "source": "Francas/promeneurs du net"},
            {"structure": "Structures employeuses de conseillers/médiateurs numériques",
             "source": "structures employeuses de conseillers/médiateurs numériques"},
            {"structure": "Associations de parents d'élèves", "source": "associations de parents d'élèves"},
            {"structure": "Orange Digital Center", "source": "Orange Digital Center"},
            {"structure": "Réseau des France Services", "source": "réseau France Services"},
            {"structure": "EPCI", "source": "EPCI"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "temps", "structure": "", "attribution": "non précisée",
             "libelle": "RH", "quantifie": "non", "source": VIDE},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "",
             "attribution": "non précisée", "libelle": "Investissement", "quantifie": "non", "source": VIDE},
        ],
        "indicateurs": [
            {"libelle": "Nombre d'ateliers parentalité numériques mis en œuvre",
             "type": "nombre", "unite": "ateliers", "mode": "flux"},
            {"libelle": "Nombre de parents accompagnés", "type": "nombre", "unite": "parents", "mode": "flux"},
        ],
    },
    {
        "numero": 13,
        "objectif": "2.4",
        "intitule": "Coordonner et développer les actions pour une jeunesse numérique responsable",
        "titre_sommaire": "",
        "public_cible": "Parents, jeunes de 6 à 25 ans",
        "enjeux": (
            "Bien qu'ils soient souvent présentés comme « digital natives », les jeunes montrent des niveaux de "
            "compétences et de connaissances très différents avec le numérique. Très à l'aise pour naviguer avec "
            "leurs smartphones et familiers des codes des réseaux sociaux, ils peuvent se trouver démunis dans des "
            "contextes autres que les usages auxquels ils sont habitués. D'autre part, l'augmentation du taux "
            "d'équipement des jeunes et de leurs pratiques numériques amène de nouveaux enjeux de sensibilisation, "
            "notamment autour du cyberharcèlement et de l'analyse de l'information. Pourtant, ce public reste "
            "difficile à atteindre en dehors des établissements scolaires qu'il fréquente, et ne perçoit pas "
            "toujours l'intérêt d'une montée en compétence sur le numérique, qu'il pense maîtriser. Considérées "
            "comme relevant de la sphère publique mais aussi privée, les pratiques numériques des jeunes sont peu "
            "investies par la communauté éducative."
        ),
        "description": (
            "Cette action vise à coordonner la programmation d'actions de sensibilisation à l'esprit critique et à "
            "la maîtrise des contenus numériques (réseaux sociaux, sens critique, cyberharcèlement, usage de l'IA, "
            "etc.). Elle se traduit par :\n"
            "- La programmation d'un évènement (spectacle, conférence) à destination des familles autour du "
            "numérique\n"
            "- L'articulation de cet évènement avec le Projet Educatif Départemental\n"
            "- Le développement d'actions favorisant l'émergence de projets communs (bibliothèques et secteur de "
            "la médiation numérique)"
        ),
        "freins": "Multiplicité des acteurs\nCible jeunes difficile à atteindre",
        "leviers": (
            "Articulation avec le PED\n"
            "Articulation avec les dispositifs d'action culturelle coordonnés par la bibliothèque départementale"
        ),
        "ressources_existantes": (
            "Actions portées par le Département et ses partenaires : Semaine de la presse et des médias, Safer "
            "Internet Day, etc\n"
            "Cultive ta science ! : un dispositif d'action culturelle porté conjointement par les acteurs des "
            "bibliothèques et du numérique"
        ),
        "note": "Pas de titre « Fiche n°13 » dans le corps du texte : fiche identifiée par le SOMMAIRE "
                "(objectif 2.4, après la fiche n°12)",
        "porteurs": [
            {"structure": "Bibliothèque départementale du Lot", "role": "porteur",
             "source": "Bibliothèque départementale (Département)"},
        ],
        "partenaires": [
            {"structure": "Département du Lot", "precision": "Education", "source": "Département (Education)"},
            {"structure": "Lot Numérique", "source": "Lot Numérique"},
            {"structure": "GAPD", "source": "GAPD (Groupe Académique des Professeurs documentalistes)"},
            {"structure": "Atelier Canopé", "source": "Atelier Canopé"},
            {"structure": "Internet sans crainte", "source": "Internet sans crainte"},
            {"structure": "CLEMI", "source": "CLEMI"},
            {"structure": "Promeneurs du Net", "source": "Promeneurs du Net"},
            {"structure": "Centres sociaux", "source": "Centres sociaux"},
            {"structure": "CRIJ", "source": "CRIJ"},
            {"structure": "MJC", "source": "MJC"},
            {"structure": "Orange Digital Center", "source": "Orange Digital Center"},
            {"structure": "Réseau des bibliothèques du département", "source": "Réseau des bibliothèques du département"},
            {"structure": "Réseau des conseillers et médiateurs numériques", "source": "réseau de la médiation numérique"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "etp", "structure": "Bibliothèque départementale du Lot",
             "attribution": "explicite", "libelle": "Temps de la Bibliothèque départementale (BDL)",
             "quantifie": "oui", "montant": 0.25, "unite": "ETP", "partage": "oui",
             "source": "0,25 ETP (BDL) également investi sur d'autres actions en faveur du jeune public et du "
                       "numérique",
             "note": "également investi sur d'autres actions en faveur du jeune public et du numérique : les "
                     "0,25 ETP ne sont pas propres à cette fiche"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement",
             "structure": "Bibliothèque départementale du Lot", "attribution": "porteur unique",
             "libelle": "Investissement", "quantifie": "oui", "montant": 3000, "unite": "EUR",
             "periodicite": "non précisée", "source": "3000 €",
             "note": PERIODICITE_NON_PRECISEE + " (actions de sensibilisation et un évènement à destination des "
                     "familles)"},
        ],
        "indicateurs": [
            {"libelle": "Nombre d'actions de sensibilisation au numérique intégrées au PED",
             "type": "nombre", "unite": "actions", "mode": "flux"},
            {"libelle": "Nombre de parents touchés par l'évènement programmé",
             "type": "nombre", "unite": "parents", "mode": "flux"},
            {"libelle": "Nombre d'actions menées en collaboration entre médiateurs numériques du territoire et "
                        "bibliothécaires",
             "type": "nombre", "unite": "actions", "mode": "flux"},
        ],
    },
    {
        "numero": 23,
        "objectif": "2.4",
        "intitule": "Renforcer la maîtrise des outils numériques par les animateurs des structures enfance jeunesse",
        "titre_sommaire": "",
        "public_cible": "Animateur.trice.s Enfance - Jeunesse",
        "enjeux": (
            "- Sensibiliser, former les équipes d'animation jeunesse au numérique :\n"
            "  - présentation des technologies émergentes comme l'intelligence artificielle,\n"
            "  - explication du fonctionnement des réseaux sociaux,\n"
            "  - présentation d'outils de prévention comme la mallette Cyber,\n"
            "- Valoriser le numérique comme outil d'innovation pédagogique, facilitateur des pratiques "
            "d'animation et levier d'innovation des pratiques d'animation,\n"
            "- Expérimenter le numérique avec des groupes de jeunes,\n"
            "- Utiliser les espaces d'animation afin d'aborder les questions de prévention autour du numérique."
        ),
        "description": (
            "Cette action vise à accompagner les animateur.trice.s enfance - jeunesse dans la découverte et "
            "l'expérimentation du numérique afin qu'ils puissent l'intégrer de manière autonome et efficace dans "
            "leurs pratiques pédagogiques au sein des structures du Lot. Elle a une portée départementale et "
            "repose sur l'organisation de sessions de formation par petits groupes, animées par le conseiller "
            "numérique de la LoCollective.\n"
            "Une enquête préalable auprès des structures permettra de recenser les besoins, identifier les "
            "animateur.trice.s intéressé.e.s et constituer des groupes homogènes en fonction des niveaux de "
            "compétences. Les journées de formation seront ainsi adaptées selon le niveau des participants "
            "(débutant, initié) et le public visé (enfance, jeunesse).\n"
            "Pour faciliter la participation malgré les contraintes de mobilité, les sessions seront proposées "
            "dans deux lieux du département. Les groupes seront limités à 6-8 personnes afin d'assurer un "
            "accompagnement personnalisé.\n"
            "Les sessions permettront de sensibiliser les équipes aux usages éducatifs du numérique, de tester des "
            "outils innovants avec des publics jeunes et de partager des méthodes favorisant la créativité et "
            "l'inclusion.\n"
            "La formation pourra être conçue sous des formes innovantes et ludiques.\n"
            "Par exemple : atelier de création d'un escape game utilisant des QR codes, la réalité augmentée, des "
            "balises NFC ou encore la création de contenus interactifs. Cette approche par le \"faire\" rendra la "
            "formation plus dynamique et motivante. Les animateurs acquerront des compétences techniques tout en "
            "imaginant des situations de jeu qu'ils pourront ensuite réinvestir avec leur public jeunesse, dans "
            "une logique d'éducation au numérique et de prévention."
        ),
        "freins": (
            "- Des animateurs réticents à l'utilisation du numérique\n"
            "- Le numérique doit être inscrit dans un projet de structure. Cela donnera envie aux animateur.trices "
            "d'utiliser des outils et peut nécessiter un investissement (mutualisation inter structures ?).\n"
            "- Nécessité de proposer des groupes de niveaux homogènes : débutants, confirmés. La mobilité des "
            "équipes."
        ),
        "leviers": (
            "- S'appuyer sur les réseaux d'animation présents dans le département (gestion de dispositifs, "
            "jeunesse et sports, Caf, fédérations) afin de collecter les besoins autour du numérique ;\n"
            "- Mobiliser les réseaux d'animation jeunesse sur le principe d'inscrire ce projet dans le programme de "
            "formation des animateurs périscolaire dans les années à venir ;\n"
            "- S'appuyer sur l'expérience du conseiller numérique pour former les équipes d'animation et améliorer "
            "les pratiques pédagogiques ;\n"
            "- Envie de découvrir et réinvestir dans les projets. Proposer des actions complémentaires sur certains "
            "sujets autour du numérique (Canopé, les Francas)"
        ),
        "ressources_existantes": (
            "Financement ANCT FNE\n"
            "Dispositifs déjà existants sur le territoire ou à l'échelle nationale/régionale, appels à projets, "
            "etc.\n"
            "Réseau des ACM JS, Réseaux AVS en lien avec Caf et MSA, PdN, Francas, Canopé, collectifs jeunesse "
            "dans les communautés de communes"
        ),
        "note": "Pas de titre « Fiche n° » dans le corps du texte : fiche n°23 identifiée par le SOMMAIRE "
                "(objectif 2.4, entre les fiches 13 et 14) ; action de la Locollective intégrée par le comité "
                "syndical du 28/11/2025 ; seule fiche avec un tableau « Budget »",
        "ajoutee_le": ACTUALISATION,
        "porteurs": [
            {"structure": "Locollective", "role": "porteur", "source": "Locollective"},
        ],
        "partenaires": [
            {"structure": "Lot Numérique", "source": "Lot Numérique"},
            {"structure": "Structures enfance jeunesse", "source": "Les structures enfance jeunesse"},
            {"structure": "DSDEN du Lot", "precision": "SDJES", "source": "DSDEN SDJES"},
            {"structure": "Caf", "source": "Caf"},
            {"structure": "Promeneurs du Net", "source": "Promeneurs du Net"},
            {"structure": "Francas", "source": "Francas"},
            {"structure": "Atelier Canopé", "source": "Atelier Canopé"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "etp", "structure": "Locollective", "attribution": "porteur unique",
             "libelle": "Conseiller numérique de la Locollective", "quantifie": "oui", "montant": 0.1,
             "unite": "ETP", "source": "Équivalent ETP approximatif : 0.1",
             "note": "approximatif"},
            {"rubrique": "INVESTISSEMENT", "nature": "autre", "structure": "Locollective",
             "attribution": "porteur unique", "libelle": "Renvoi au budget détaillé", "quantifie": "non",
             "source": "Charges détaillées dans le budget ci-dessous. Mise à disposition par l'association inscrite "
                       "dans les valorisations",
             "note": "Les montants sont dans les lignes BUDGET ci-dessous"},
            # Tableau « Budget » — colonne Charges
            {"rubrique": "BUDGET", "nature": "charge", "structure": "Locollective", "attribution": "porteur unique",
             "libelle": "Matériel fongible et MAD", "quantifie": "oui", "montant": 300, "unite": "EUR",
             "periodicite": "non précisée", "source": "Matériel fongible et MAD 300 €",
             "note": "budget de l'action, période non précisée"},
            {"rubrique": "BUDGET", "nature": "charge", "structure": "Locollective", "attribution": "porteur unique",
             "libelle": "Abonnement", "quantifie": "oui", "montant": 294, "unite": "EUR",
             "periodicite": "non précisée", "source": "Abonnement 294 €",
             "note": "budget de l'action, période non précisée"},
            {"rubrique": "BUDGET", "nature": "charge", "structure": "Locollective", "attribution": "porteur unique",
             "libelle": "Adm (assurance...)", "quantifie": "oui", "montant": 100, "unite": "EUR",
             "periodicite": "non précisée", "source": "Adm (assurance...) 100 €",
             "note": "budget de l'action, période non précisée"},
            {"rubrique": "BUDGET", "nature": "charge", "structure": "Locollective", "attribution": "porteur unique",
             "libelle": "Déplacements", "quantifie": "oui", "montant": 342, "unite": "EUR",
             "periodicite": "non précisée", "source": "Déplacements 342 €",
             "note": "budget de l'action, période non précisée"},
            {"rubrique": "BUDGET", "nature": "charge", "structure": "Locollective", "attribution": "porteur unique",
             "libelle": "Charges Salariales", "quantifie": "oui", "montant": 2068, "unite": "EUR",
             "periodicite": "non précisée", "source": "Charges Salariales 2 068 €",
             "note": "budget de l'action, période non précisée"},
            {"rubrique": "BUDGET", "nature": "valorisation", "structure": "Locollective",
             "attribution": "porteur unique", "libelle": "Valorisation du matériel (charges)", "quantifie": "oui",
             "montant": 800, "unite": "EUR", "periodicite": "non précisée", "source": "Valorisation du matériel 800 €",
             "note": "budget de l'action, période non précisée ; apport en nature (colonne Charges) : total "
                     "charges 3 904 € = 3 104 € décaissés + 800 € valorisés"},
            # Tableau « Budget » — colonne Produits
            {"rubrique": "BUDGET", "nature": "produit", "structure": "ANCT", "attribution": "explicite",
             "libelle": "ANCT (via Lot Numérique)", "quantifie": "oui", "montant": 2000, "unite": "EUR",
             "periodicite": "non précisée", "source": "ANCT (via Lot Numérique) 2 000 €",
             "note": "budget de l'action, période non précisée ; versé via Lot Numérique"},
            {"rubrique": "BUDGET", "nature": "produit", "structure": "Locollective",
             "attribution": "porteur unique", "libelle": "Fonds propres", "quantifie": "oui", "montant": 1104, "unite": "EUR",
             "periodicite": "non précisée", "source": "Fonds propres 1 104 €",
             "note": "budget de l'action, période non précisée"},
            {"rubrique": "BUDGET", "nature": "valorisation", "structure": "Locollective",
             "attribution": "porteur unique", "libelle": "Valorisation du matériel (produits)", "quantifie": "oui",
             "montant": 800, "unite": "EUR", "periodicite": "non précisée", "source": "Valorisation du matériel 800 €",
             "note": "budget de l'action, période non précisée ; même apport en nature que la ligne "
                     "« Valorisation du matériel » côté charges, inscrit ici côté produits : ne pas additionner "
                     "les deux ; total produits 3 904 € = 2 000 + 1 104 + 800"},
        ],
        "indicateurs": [
            {"libelle": "Nombre de participants et de structures impliquées",
             "type": "nombre", "unite": "participants / structures", "mode": "flux",
             "note": "Un seul indicateur pour deux comptes (participants et structures) : la mise en page n'a "
                     "qu'une valeur par indicateur"},
            {"libelle": "Type de structures impliquées : associatives, collectivités...",
             "type": "qualitatif", "mode": "stock"},
            {"libelle": "Nombre de projets liés au numérique réinvestis par les animateurs",
             "type": "nombre", "unite": "projets", "mode": "flux"},
            {"libelle": "Type de projets d'animation impliquant le numérique",
             "type": "qualitatif", "mode": "stock"},
        ],
    },
    # ---- 2.5 Protéger des cybermenaces
    {
        "numero": 14,
        "objectif": "2.5",
        "intitule": "Renforcer la sensibilisation des Lotois à la cybersécurité",
        "titre_sommaire": "",
        "public_cible": "Grand public",
        "enjeux": (
            "Avec l'explosion des usages numériques, les menaces cyber sont de plus en plus sophistiquées et ne "
            "cessent de croître. Elles sont des sources d'inquiétudes pour des usagers qui ont du mal à comprendre "
            "leur fonctionnement et leurs buts. Cela s'ajoute aux freins psychologiques déjà existants pour les "
            "personnes éloignées du numérique, et nécessite un accompagnement pour comprendre les principales "
            "menaces et s'en prémunir."
        ),
        "description": (
            "Cette action vise à :\n"
            "- renforcer la sensibilisation du grand public aux différents types d'anarques via de la "
            "sensibilisation, de la mise en situation et la diffusion de bonnes pratiques.\n"
            "- former et outiller les acteurs de la médiation numérique du territoire."
        ),
        "freins": "Appréhension des publics ayant besoin d'être rassurés par un acteur de confiance",
        "leviers": "Stratégie de captation des publics à définir\nMise à jour régulière des connaissances",
        "ressources_existantes": (
            "Plaquettes, flyers, diagnostic, plateforme de la cyber gendarmerie du Lot\n"
            "Mallette cyber de cybermalveillance.gouv.fr\n"
            "Cyber Tour"
        ),
        "note": "« anarques » (sic) conservé tel quel dans la description",
        "porteurs": [
            {"structure": "Cybergendarmerie 46", "role": "porteur", "source": "Cybergendarmerie 46"},
        ],
        "partenaires": [
            {"structure": "Réseau des conseillers et médiateurs numériques",
             "source": "Conseillers et médiateurs numériques"},
            {"structure": "ANSSI", "source": "ANSSI"},
            {"structure": "Collectivités", "source": "Collectivités"},
            {"structure": "Chambres consulaires", "source": "Consulaires"},
            {"structure": "DSDEN du Lot", "source": "DSDEN"},
            {"structure": "Orange Digital Center", "source": "Orange Digital Center"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "temps", "structure": "Cybergendarmerie 46", "attribution": "porteur unique",
             "libelle": "Cellule prévention partenariat : binômes d'animation", "quantifie": "non",
             "source": "Cellule prévention partenariat (non organique) : Binômes animation formés à la thématique "
                       "de la cyber sécurité et à la prévention des cybermenaces"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "Cybergendarmerie 46",
             "attribution": "porteur unique", "libelle": "Outils et matériel de sensibilisation (sans montant)",
             "quantifie": "non",
             "source": "Outil création supports (Licence à financer ?) Kakémono Pupitre tablette ordinateur portable",
             "note": "Liste d'éléments sans montant, gardée en une ligne (découpage des éléments incertain dans "
                     "le texte aplati)"},
        ],
        "indicateurs": [
            {"libelle": "Nombre d'actions de sensibilisation réalisées",
             "type": "nombre", "unite": "actions", "mode": "flux"},
            {"libelle": "Nombre de participants aux actions",
             "type": "nombre", "unite": "participants", "mode": "flux"},
            {"libelle": "Nombre de plaquettes, flyers distribués",
             "type": "nombre", "unite": "plaquettes et flyers", "mode": "flux"},
            {"libelle": "Nombre de visiteurs sur la plateforme cyber",
             "type": "nombre", "unite": "visiteurs", "mode": "flux"},
            {"libelle": "Nombre de conseillers/médiateurs numériques formés et outillés",
             "type": "nombre", "unite": "médiateurs", "mode": "flux"},
        ],
    },
    {
        "numero": 15,
        "objectif": "2.5",
        "intitule": "Sensibiliser et acculturer les TPE-PME aux enjeux de la cybersécurité",
        "titre_sommaire": "Sensibiliser et acculturer les professionnels des TPE-PME aux enjeux de la cybersécurité",
        "public_cible": "TPE/PME",
        "enjeux": (
            "La digitalisation de l’économie et de l’administration peut être à la fois un levier de réussite et "
            "une source de difficultés pour les petites et moyennes entreprises. Un accompagnement spécifique doit "
            "être envisagé pour permettre une acculturation au numérique, et notamment sur des sujets clés comme la "
            "cybersécurité."
        ),
        "description": (
            "Cette action a pour but de sensibiliser et acculturer les professionnels des TPE-PME aux enjeux de la "
            "cybersécurité : réglementation européenne, cybermalveillance (phishing,...), bonnes pratiques à mettre "
            "en place en interne. Elle peut se décliner en plusieurs niveaux :\n"
            "- recenser les guides et ressources dédiées aux TPE/PME (financements, ex.: BPI, etc.)\n"
            "- organiser des ateliers de sensibilisation\n"
            "- diffuser/créer des ressources (newsletters,...)"
        ),
        "freins": "Indisponibilité de la cible les jours ouvrés en journée",
        "leviers": (
            "Mobilisation des acteurs du développement économique à l’échelle du département sur des créneaux "
            "adaptés\n"
            "Mise à jour régulière des connaissances des formateurs"
        ),
        "ressources_existantes": (
            "Actions de sensibilisation de la cybergendarmerie et de l’ANSSI\n"
            "Ateliers et accompagnements des médiateurs numériques, prestataires privés (Ateliers Google "
            "Numérique,...)\n"
            "Cybermalveillance.gouv.fr / Mois de la cybersécurité\n"
            "Cyber Tour"
        ),
        "porteurs": [
            {"structure": "CCI du Lot", "role": "porteur", "source": "CCI du Lot"},
        ],
        "partenaires": [
            {"structure": "Cybergendarmerie 46", "source": "Cybergendarmerie"},
            {"structure": "ANSSI", "source": "ANSSI"},
            {"structure": "La Mêlée", "source": "La Mêlée"},
            {"structure": "Chambres consulaires", "source": "Autres consulaires"},
            {"structure": "Les entreprises s'engagent", "precision": "association d’accompagnement des entreprises",
             "source": "Associations d’accompagnement des entreprises (Les entreprises s’engagent, UEL)"},
            {"structure": "UEL", "precision": "association d’accompagnement des entreprises",
             "source": "Associations d’accompagnement des entreprises (Les entreprises s’engagent, UEL)"},
            {"structure": "Région Occitanie", "source": "Région"},
            {"structure": "EPCI", "source": "EPCI"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "temps", "structure": "CCI du Lot", "attribution": "porteur unique",
             "libelle": "Temps ponctuel", "quantifie": "non", "source": "Temps ponctuel"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "",
             "attribution": "non précisée", "libelle": "Investissement", "quantifie": "non", "source": VIDE},
        ],
        "indicateurs": [
            {"libelle": "Nombre d’ateliers de sensibilisation organisés",
             "type": "nombre", "unite": "ateliers", "mode": "flux"},
            {"libelle": "Nombre de TPE-PME sensibilisées", "type": "nombre", "unite": "TPE-PME", "mode": "flux"},
        ],
    },
    # ===================================== AXE 3 — LOT NUMÉRIQUE INNOVANT ===============================
    # ---- 3.1 Evoluer vers un territoire intelligent, solidaire, performant et durable
    {
        "numero": 16,
        "objectif": "3.1",
        "intitule": (
            "Améliorer la connaissance des outils et services numériques existants sur le territoire, favoriser le "
            "partage et identifier les besoins éventuellement convergents"
        ),
        "titre_sommaire": "",
        "public_cible": "Collectivités",
        "enjeux": (
            "Le numérique est source d'opportunité, mais il nécessite la mise à disposition de moyens techniques "
            "appropriés pour faire face à des besoins en perpétuelle évolution. Par ailleurs, la transversalité du "
            "numérique et la diversité des acteurs investissant certains champs rend parfois difficile la lecture "
            "du territoire. Une clarification s'avère donc nécessaire."
        ),
        "description": (
            "- Etablir une liste, la plus exhaustive, d'outils et services numériques existants.\n"
            "- Clarifier le positionnement de certains acteurs comme le CDG46 concernant les outils et services "
            "qu'ils proposent ou envisagent de déployer.\n"
            "- Diffuser la liste des outils et services numériques existants auprès des membres pour partager un "
            "état des lieux et connaître les besoins\n"
            "  - en déterminant s'il est adressé uniquement aux membres ou aussi aux communes.\n"
            "- Analyser les résultats :\n"
            "  - en croisant les besoins avec l'offre existante ;\n"
            "  - en mettant en avant les besoins convergents."
        ),
        "freins": "",
        "leviers": "Clarification des services, outils et projets du CDG46",
        "ressources_existantes": "Catalogue de services du SMICA et de Gers Numérique",
        "porteurs": [
            {"structure": "Lot Numérique", "role": "porteur", "source": "Lot Numérique"},
        ],
        "partenaires": [
            {"structure": "Département du Lot", "source": "Département/EPCI"},
            {"structure": "EPCI", "source": "Département/EPCI"},
            {"structure": "TE46", "source": "TE46"},
            {"structure": "Communes", "source": "Communes"},
            {"structure": "CDG46", "source": "CDG46"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "etp", "structure": "Lot Numérique", "attribution": "porteur unique",
             "libelle": "Chef de projet", "quantifie": "oui", "montant": 0.1, "unite": "ETP",
             "source": "0,1 ETP Chef de projet"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "",
             "attribution": "non précisée", "libelle": "Investissement", "quantifie": "non", "source": VIDE},
        ],
        "indicateurs": [
            {"libelle": "Liste des outils et services numériques existants (livrable)",
             "type": "livrable", "mode": "stock"},
            {"libelle": "Nombre de retours du questionnaire", "type": "nombre", "unite": "retours", "mode": "flux"},
        ],
    },
    {
        "numero": 17,
        "objectif": "3.1",
        "intitule": "Rechercher les mutualisations possibles à l'échelle interdépartementale",
        "titre_sommaire": "",
        "public_cible": "Collectivités",
        "enjeux": (
            "Le numérique est souvent associé à des domaines techniques ou nouveaux nécessitant une expertise dont "
            "les collectivités ne sont pas forcément en capacité de se doter individuellement. Même l'échelle "
            "départementale peut sembler fragile pour porter certains projets d'envergure (exemples : DataCenter, "
            "smart territoire, ...).\n"
            "Des partenariats interdépartementaux ont permis de mener à bien des projets complexes comme celui du "
            "déploiement de la fibre optique à l'échelle Aveyron/Lot/Lozère.\n"
            "Des discussions déclinées de la même façon en matière d'usages et services numériques avaient été "
            "engagées avant la crise sanitaire COVID-19."
        ),
        "description": (
            "- Partager l'état des lieux des besoins en outils et services numériques à l'échelle "
            "interdépartementale.\n"
            "- Organiser des temps de travail interdépartementaux pour identifier les besoins communs et les "
            "possibles mutualisations.\n"
            "- Conventionner concernant les mutualisations faisant consensus."
        ),
        "freins": "Avancement différent d'un département à un autre",
        "leviers": (
            "Diagnostic préalable réalisé par les autres départements\n"
            "Portage politique de la mutualisation"
        ),
        "ressources_existantes": "",
        "porteurs": [
            {"structure": "Lot Numérique", "role": "porteur", "source": "Lot Numérique"},
        ],
        "partenaires": [
            {"structure": "Aveyron", "source": "Aveyron/Lozère"},
            {"structure": "Lozère", "source": "Aveyron/Lozère"},
            {"structure": "La Mêlée", "source": "La Mèlée"},
            {"structure": "Région Occitanie", "source": "Région Occitanie/SGAR"},
            {"structure": "SGAR", "source": "Région Occitanie/SGAR"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "etp", "structure": "Lot Numérique", "attribution": "porteur unique",
             "libelle": "Chef de projet", "quantifie": "oui", "montant": 0.1, "unite": "ETP",
             "source": "0,1 ETP Chef de projet"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "",
             "attribution": "non précisée", "libelle": "Investissement", "quantifie": "non", "source": VIDE},
        ],
        "indicateurs": [
            {"libelle": "Nombre de rencontres interdépartementales",
             "type": "nombre", "unite": "rencontres", "mode": "flux"},
            {"libelle": "Nombre de sujets de mutualisation identifiés",
             "type": "nombre", "unite": "sujets", "mode": "flux"},
            {"libelle": "Conventionnement (livrable)", "type": "livrable", "mode": "stock"},
        ],
    },
    {
        "numero": 18,
        "objectif": "3.1",
        "intitule": "Effectuer une veille sur les opportunités et assurer le relai d'information auprès des membres",
        "titre_sommaire": "",
        "public_cible": "Collectivités",
        "enjeux": (
            "Le syndicat Lot Numérique fait partie d'un riche écosystème d'acteurs au niveau régional et national. "
            "Il est en contact avec de nombreux partenaires et suit les actualités liées au numérique."
        ),
        "description": (
            "- Effectuer une veille sur les opportunités : appels à projets, appels à manifestation d'intérêt, "
            "financements (européens, régionaux, nationaux, privés).\n"
            "- Assurer le relai d'information auprès des membres.\n"
            "- Soumettre aux instances du syndicat les opportunités pour lesquelles le portage d'une réponse par "
            "Lot Numérique pourrait s'avérer pertinent."
        ),
        "freins": "",
        "leviers": "Référent numérique bien identifié dans chaque EPCI",
        "ressources_existantes": (
            "Newsletters des différents acteurs et partenaires\n"
            "Réseau interdépartemental des chargés de mission numérique"
        ),
        "porteurs": [
            {"structure": "Lot Numérique", "role": "porteur", "source": "Lot Numérique"},
        ],
        "partenaires": [],  # « Partenariats envisageables » vide
        "moyens": [
            {"rubrique": "RH", "nature": "etp", "structure": "Lot Numérique", "attribution": "porteur unique",
             "libelle": "Veille et relai d'information", "quantifie": "oui", "montant": 0.1, "unite": "ETP",
             "source": "0,1 ETP"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "",
             "attribution": "non précisée", "libelle": "Investissement", "quantifie": "non", "source": VIDE},
        ],
        "indicateurs": [
            {"libelle": "Nombre d'opportunités relayées", "type": "nombre", "unite": "opportunités", "mode": "flux"},
            {"libelle": "Nombre d'opportunités saisies", "type": "nombre", "unite": "opportunités", "mode": "flux"},
        ],
    },
    {
        "numero": 19,
        "objectif": "3.1",
        "intitule": "Renouveler le groupement de commande pour l'exploitation du réseau de WIFI public",
        "titre_sommaire": "",
        "public_cible": "Collectivités",
        "enjeux": (
            "En 2018, afin de favoriser l'accès à internet pour les habitants et touristes de passage, le syndicat "
            "Lot Numérique a décidé de financer une borne de WIFI public par commune. 100 bornes ont ainsi été "
            "installées dans les communes volontaires, l'abonnement pour le fonctionnement restant à leur charge. "
            "En 2022, le syndicat a formalisé un groupement de commandes afin d'attribuer pour 4 ans un marché pour "
            "continuer d'assurer le fonctionnement de ces bornes en réseau. Ce groupement a permis d'obtenir des "
            "tarifs compétitifs. La convention et le marché arrivent à échéance en 2025."
        ),
        "description": (
            "- Recenser les communes et autres collectivités souhaitant faire partie du groupement de commande.\n"
            "- Constituer une convention de groupement de commandes et veiller aux délibérations concordantes des "
            "membres du groupement.\n"
            "- Construire un nouveau marché public WIFI public, le lancer et assurer son suivi global."
        ),
        "freins": "Procédure lourde et chronophage",
        "leviers": (
            "Recensement préalable auprès des communes du souhait de poursuivre le service sur leur territoire\n"
            "Appui sur une expertise commande publique"
        ),
        "ressources_existantes": "Précédent groupement de commandes",
        "porteurs": [
            {"structure": "Lot Numérique", "role": "porteur", "source": "Lot Numérique"},
        ],
        "partenaires": [
            {"structure": "Département du Lot", "source": "Département/EPCI"},
            {"structure": "EPCI", "source": "Département/EPCI"},
            {"structure": "Communes", "source": "Communes"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "etp", "structure": "Lot Numérique", "attribution": "porteur unique",
             "libelle": "Groupement de commande WIFI public", "quantifie": "oui", "montant": 0.25, "unite": "ETP",
             "source": "0,25 ETP"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "",
             "attribution": "non précisée", "libelle": "Investissement", "quantifie": "non", "source": VIDE},
        ],
        "indicateurs": [
            {"libelle": "Nombre de communes souhaitant maintenir le service",
             "type": "nombre", "unite": "communes", "mode": "stock"},
            {"libelle": "Nombre de collectivités membres du nouveau groupement de commandes",
             "type": "nombre", "unite": "collectivités", "mode": "stock"},
            {"libelle": "Nombre de bornes WIFI en fonctionnement", "type": "nombre", "unite": "bornes", "mode": "stock"},
            {"libelle": "Nombre d'utilisateurs du réseau WIFI public",
             "type": "nombre", "unite": "utilisateurs", "mode": "flux"},
        ],
    },
    {
        "numero": 20,
        "objectif": "3.1",
        "intitule": "Organiser un évènement annuel de partage et d'acculturation autour du numérique",
        "titre_sommaire": "",
        "public_cible": "Acteurs de l'inclusion numérique, collectivités, élus",
        "enjeux": (
            "Véritable vitrine de la transition numérique rurale, l'organisation d'un évènement permettra de "
            "fédérer les acteurs et sensibiliser les publics cibles à différentes thématiques numériques. Un comité "
            "de pilotage pourra y être adossé pour maintenir la dynamique initiée par la démarche d'élaboration de "
            "la feuille de route Lot Numérique Ensemble. Cet évènement pourrait faire l'objet d'une demande de "
            "label NEC local afin de donner de la visibilité aux actions d'inclusion numérique menées sur le "
            "territoire."
        ),
        "description": (
            "Organisation d'un évènement annuel départemental autour du numérique qui s'articulera autour d'une ou "
            "plusieurs thématiques, sous forme de conférences, tables rondes, démonstrations et ateliers. Certaines "
            "demi-journées ou ateliers pourraient être dédiés à des cibles particulières selon les thématiques et "
            "les années : élus, agents, acteurs de la médiation numérique... Cet évènement pourra être "
            "territorialisé et décliné à plus petite échelle via des évènements satellites (EPCI, communes...), "
            "dans le cadre d'une semaine ou d'un mois du numérique."
        ),
        "freins": "Surmobilisation des partenaires qui sont sollicités sur de multiples thématiques",
        "leviers": (
            "Trouver le bon dosage pour le dimensionnement de cette journée : pas trop ambitieux pour une première, "
            "ni trop modeste pour s'inscrire dans la durée\n"
            "Anticiper l'évènement au moins 6 mois à l'avance"
        ),
        "ressources_existantes": (
            "Guide d'organisation NEC local\n"
            "Le 82 fait son numérique (format)\n"
            "Crédits FNE"
        ),
        "porteurs": [
            {"structure": "Lot Numérique", "role": "porteur", "source": "Lot Numérique"},
        ],
        "partenaires": [
            {"structure": "Département du Lot", "precision": "Locaux", "source": "Département"},
            {"structure": "Préfecture du Lot", "precision": "Locaux", "source": "Préfecture"},
            {"structure": "EPCI", "precision": "Locaux", "source": "EPCI"},
            {"structure": "CC Quercy Bouriane", "precision": "Locaux ; partenaire technique et financier",
             "source": "CC Quercy Bouriane : partenaire technique et financier"},
            {"structure": "RhinOcc", "precision": "Ressources régionales et nationales mobilisables",
             "source": "RhinOcc"},
            {"structure": "La MedNum", "precision": "Ressources régionales et nationales mobilisables",
             "source": "la Mednum"},
            {"structure": "ANCT", "precision": "Ressources régionales et nationales mobilisables", "source": "ANCT"},
            {"structure": "Interconnectés", "precision": "Ressources régionales et nationales mobilisables",
             "source": "Interconnectés"},
            {"structure": "CyberTour", "precision": "Ressources régionales et nationales mobilisables",
             "source": "CyberTour"},
            {"structure": "MAIF", "precision": "Ressources régionales et nationales mobilisables ; "
                                               "Numérique Ethique Tour",
             "source": "MAIF (Numérique Ethique Tour)"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "etp", "structure": "Lot Numérique", "attribution": "porteur unique",
             "libelle": "Organisation de l'évènement", "quantifie": "oui", "montant": 0.10, "unite": "ETP",
             "source": "0,10 ETP"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "Lot Numérique",
             "attribution": "porteur unique", "libelle": "Lieu, buffet, intervenants, communication",
             "quantifie": "oui", "montant": 5000, "unite": "EUR", "periodicite": "non précisée",
             "source": "5 000 € (lieu, buffet, intervenants, communication)",
             "note": PERIODICITE_NON_PRECISEE + " (évènement annuel)"},
        ],
        "indicateurs": [
            {"libelle": "Nombre de participants à l'évènement",
             "type": "nombre", "unite": "participants", "mode": "flux"},
            {"libelle": "Nombre d'intervenants", "type": "nombre", "unite": "intervenants", "mode": "flux"},
            {"libelle": "Nombre de partenaires locaux impliqués",
             "type": "nombre", "unite": "partenaires", "mode": "flux"},
            {"libelle": "Audience de l'évènement (locale, régionale, nationale)",
             "type": "qualitatif", "mode": "stock",
             "note": "Échelle qualitative (locale, régionale, nationale)"},
        ],
    },
    # ---- 3.2 Améliorer la qualité de vie et l'attractivité du territoire grâce aux nouvelles technologies
    {
        "numero": 21,
        "objectif": "3.2",
        "intitule": "Accompagner le développement du réseau départemental des tiers-lieux",
        "titre_sommaire": "",
        "public_cible": "Tiers-lieux",
        "enjeux": (
            "Depuis une dizaine d'années, des tiers-lieux se sont développés sur le territoire. Protéiformes, ils "
            "disposent très souvent d'un lien avec le numérique : espaces de coworking/télétravail, fablabs, "
            "espaces de médiation numérique, ... Prenant le relais du Département, le syndicat s'est positionné "
            "pour accompagner l'émergence d'un réseau départemental des tiers-lieux en organisant des temps de "
            "rencontre et de montée en compétences. Le syndicat s'est appuyé sur les Fabriques de territoire "
            "labellisées par l'ANCT pour être des tiers-lieux ressources. A l'échelle régionale, un réseau des "
            "tiers-lieux existe sous forme associative, la Rôsée, et propose également des temps de rencontre.\n"
            "Les rencontres départementales du réseau des tiers-lieux ont fait émerger le besoin d'un poste dédié à "
            "l'animation du réseau. Pour autant, les décideurs publics manquent de visibilité quant à la réalité "
            "des tiers-lieux du territoire et l'opportunité de créer un tel poste. Il est donc proposé d'établir un "
            "panorama afin de permettre aux décideurs publics de se positionner."
        ),
        "description": (
            "- Adhérer à la Rôsée\n"
            "- Organiser une journée de rencontre annuelle en partenariat avec les Fabriques de territoire et le "
            "réseau régional\n"
            "- Etablir un panorama des tiers-lieux du Lot."
        ),
        "freins": "Certains tiers-lieux n'ont pas de lien avec le numérique.",
        "leviers": (
            "Planification plusieurs mois à l'avance de la rencontre des tiers-lieux\n"
            "Mobilisation des tiers-lieux pour alimenter en données le panorama"
        ),
        "ressources_existantes": (
            "Cartographie des tiers-lieux départementale\n"
            "Observatoire des tiers-lieux national"
        ),
        "porteurs": [
            {"structure": "Lot Numérique", "role": "porteur", "source": "Lot Numérique"},
        ],
        "partenaires": [
            {"structure": "Fabriques de territoire", "source": "Fabriques de territoire"},
            {"structure": "La Rôsée", "source": "La Rôsée"},
            {"structure": "Département du Lot", "precision": "attractivité, SIG",
             "source": "Département (attractivité, SIG)/EPCI"},
            {"structure": "EPCI", "source": "Département (attractivité, SIG)/EPCI"},
            {"structure": "La Mêlée", "source": "La Mêlée"},
            {"structure": "Région Occitanie", "source": "La Région/Ad'Occ"},
            {"structure": "AD'OCC", "source": "La Région/Ad'Occ"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "etp", "structure": "Lot Numérique", "attribution": "porteur unique",
             "libelle": "Chef de projet", "quantifie": "oui", "montant": 0.1, "unite": "ETP",
             "source": "0,1 ETP Chef de projet"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "Lot Numérique",
             "attribution": "porteur unique", "libelle": "Investissement", "quantifie": "oui", "montant": 5000,
             "unite": "EUR", "periodicite": "non précisée", "source": "5 000 €",
             "note": PERIODICITE_NON_PRECISEE + " (adhésion à la Rôsée, journée de rencontre annuelle)"},
        ],
        "indicateurs": [
            {"libelle": "Nombre de participants aux journées de rencontre",
             "type": "nombre", "unite": "participants", "mode": "flux"},
            {"libelle": "Panorama des tiers-lieux du Lot (livrable)", "type": "livrable", "mode": "stock"},
            {"libelle": "Satisfaction des participants aux journées de rencontre",
             "type": "qualitatif", "mode": "stock", "note": QUALITATIF},
        ],
    },
    {
        "numero": 22,
        "objectif": "3.2",
        "intitule": (
            "Mettre en place un programme départemental E-sport intergénérationnel alliant bien vieillir et "
            "insertion socio-professionnelle de la jeunesse"
        ),
        "titre_sommaire": "",
        "public_cible": "Séniors, Jeunes",
        "enjeux": (
            "Si les plus de 60 ans pourraient représenter 1/3 de la population française en 2040, le Lot en "
            "comptait déjà près de 40% en 2021 (source Insee). Assurer le bien vieillir représente donc un enjeu "
            "majeur pour le territoire. En parallèle, il peut être difficile pour les jeunes de trouver leur place "
            "dans un département qui n'est pas à leur image. Dans ce contexte, il est essentiel de créer du lien au "
            "travers de projets motivant la rencontre des jeunes et des plus âgés et de casser les représentations "
            "stéréotypées des différentes générations, qui maintiennent l'entre-soi et augmentent l'isolement."
        ),
        "description": (
            "Le programme « Silver Geek » vise à améliorer la santé et le bien-être des seniors, à développer les "
            "liens sociaux et intergénérationnels, tout en réduisant la fracture numérique. L'action se structure en "
            "deux volets :\n"
            "1) L'animation d'ateliers numériques ludiques\n"
            "Ces ateliers ont pour but de faire découvrir aux seniors des pratiques vidéoludiques et de nouveaux "
            "usages numériques. Ils portent sur deux pôles, en fonction des appétences et capacités de chacun :\n"
            "- Tablette : découverte et utilisation d'applications ludiques et créatrices de liens ;\n"
            "- Jeux vidéo : découverte de jeux basés sur le mouvement (exergames) qui permettent une remise en "
            "activité physique douce des personnes âgées.\n"
            "Ces ateliers seront animés dans chaque structure d'accueil de personnes âgées par deux jeunes, engagés "
            "sur la réalisation de ces ateliers hebdomadaires ou bi-mensuels pour la totalité de l'année scolaire. "
            "Ces jeunes pourront bénéficier de l'accompagnement de conseillers ou médiateurs numériques "
            "professionnels pour apprendre à mener ces animations.\n"
            "2) L'organisation d'un challenge départemental E-sport senior\n"
            "Chaque structure d'accueil de personnes âgées ayant participé aux ateliers numériques pourra proposer "
            "une équipe (seniors + jeunes accompagnateurs) pour le challenge départemental. Il s'agit d'un évènement "
            "E-sport dans lequel les équipes seniors seront en compétition les unes contre les autres. L'équipe "
            "gagnante pourra participer à la finale régionale Occitanie organisée par l'association Silver Geek."
        ),
        "freins": "Mobilisation de jeunes sur une longue durée (année scolaire)",
        "leviers": (
            "Coordination départementale pour le suivi des différentes structures\n"
            "Implication de chaque structure dans l'organisation et le suivi des ateliers via l'identification de "
            "deux référents projet en interne"
        ),
        "ressources_existantes": (
            "Expérimentation au CCAS de Pradines : ateliers numériques intergénérationnels + évènement E-sport "
            "Prad 'Games"
        ),
        "note": "Pas de titre « Fiche n°22 » dans le corps du texte : fiche identifiée par le SOMMAIRE "
                "(objectif 3.2, après la fiche n°21)",
        "porteurs": [
            {"structure": "Lot Numérique", "role": "porteur", "source": "Lot Numérique"},
        ],
        "partenaires": [
            {"structure": "Silver Geek", "source": "Silver Geek"},
            {"structure": "Bibliothèque départementale du Lot", "source": "Bibliothèque départementale"},
            {"structure": "Département du Lot", "precision": "DSD", "source": "DSD",
             "note": "« DSD » : direction du Département (« Département (DSD) » dans les fiches 8 et 11)"},
            {"structure": "CCAS", "source": "CCAS/CIAS"},
            {"structure": "CIAS", "source": "CCAS/CIAS"},
            {"structure": "Structures d'accueil de personnes âgées",
             "source": "structures d'accueil de personnes âgées"},
            {"structure": "Mission Locale", "source": "Mission Locale"},
            {"structure": "Réseau Info Jeunes", "source": "réseau Info Jeunes"},
        ],
        "moyens": [
            {"rubrique": "RH", "nature": "etp", "structure": "Lot Numérique", "attribution": "explicite",
             "libelle": "Coordination et organisation du challenge départemental", "quantifie": "oui",
             "montant": 0.1, "unite": "ETP",
             "source": "0,1 ETP à Lot Numérique pour la coordination et l'organisation du challenge départemental"},
            {"rubrique": "RH", "nature": "etp", "structure": "Structures d'accueil de personnes âgées",
             "attribution": "explicite", "libelle": "Organisation et suivi des ateliers numériques",
             "quantifie": "oui", "montant": 0.1, "unite": "ETP", "periodicite": "par structure",
             "source": "0,1 ETP dans chaque structure senior pour l'organisation et le suivi des ateliers "
                       "numériques"},
            {"rubrique": "RH", "nature": "etp", "structure": "Réseau des conseillers et médiateurs numériques",
             "attribution": "explicite", "libelle": "Accompagnement des jeunes", "quantifie": "oui",
             "montant": 0.25, "unite": "ETP",
             "source": "0,25 ETP pour l'accompagnement des jeunes par les conseillers/médiateurs numériques"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "Lot Numérique",
             "attribution": "explicite", "libelle": "Cotisation Silver Geek", "quantifie": "oui", "montant": 200,
             "unite": "EUR", "periodicite": "annee", "annee": 2025,
             "source": "Cotisation Silver Geek : 200€ en 2025, 400€ en 2026, 600€ en 2027",
             "note": "Rubrique « Pour le porteur : »"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "Lot Numérique",
             "attribution": "explicite", "libelle": "Cotisation Silver Geek", "quantifie": "oui", "montant": 400,
             "unite": "EUR", "periodicite": "annee", "annee": 2026,
             "source": "Cotisation Silver Geek : 200€ en 2025, 400€ en 2026, 600€ en 2027",
             "note": "Rubrique « Pour le porteur : »"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "Lot Numérique",
             "attribution": "explicite", "libelle": "Cotisation Silver Geek", "quantifie": "oui", "montant": 600,
             "unite": "EUR", "periodicite": "annee", "annee": 2027,
             "source": "Cotisation Silver Geek : 200€ en 2025, 400€ en 2026, 600€ en 2027",
             "note": "Rubrique « Pour le porteur : »"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "Lot Numérique",
             "attribution": "explicite", "libelle": "Challenge départemental", "quantifie": "oui", "montant": 1000,
             "unite": "EUR", "periodicite": "par an",
             "source": "Challenge départemental : 1000€ par an (salle, décoration, goûter)",
             "note": "Rubrique « Pour le porteur : »"},
            {"rubrique": "INVESTISSEMENT", "nature": "investissement", "structure": "",
             "attribution": "non précisée", "libelle": "Investissement matériel", "quantifie": "oui",
             "montant": 2500, "unite": "EUR", "periodicite": "par structure",
             "source": "Investissement matériel : 2500€ environ par structure partenaire (tablettes, console, jeux, "
                       "écran TV ou vidéoprojecteur)",
             "note": "environ ; rubrique « Porteur ou partenaire : » : à la charge du porteur ou de la structure "
                     "partenaire, non tranché"},
        ],
        "indicateurs": [
            {"libelle": "Nombre de structures impliquées", "type": "nombre", "unite": "structures", "mode": "flux"},
            {"libelle": "Nombre de personnes âgées participant aux ateliers numériques",
             "type": "nombre", "unite": "personnes âgées", "mode": "flux"},
            {"libelle": "Nombre de jeunes impliqués", "type": "nombre", "unite": "jeunes", "mode": "flux"},
            {"libelle": "Organisation du challenge départemental 2026",
             "type": "livrable", "mode": "stock", "echeance": 2026,
             "cible_source": "Organisation du challenge départemental 2026"},
            {"libelle": "Envoi d'une équipe à la finale régionale 2026",
             "type": "livrable", "mode": "stock", "echeance": 2026,
             "cible_source": "Envoi d'une équipe à la finale régionale 2026"},
            {"libelle": "Evolution de la santé et du bien-être des personnes âgées impliquées",
             "type": "qualitatif", "mode": "stock", "note": "placé sous « Qualitatifs : » dans le texte"},
            {"libelle": "Evolution de l'intérêt et appétence pour les outils numériques chez les seniors",
             "type": "qualitatif", "mode": "stock", "note": "placé sous « Qualitatifs : » dans le texte"},
            {"libelle": "Création ou renforcement du lien social et intergénérationnel",
             "type": "qualitatif", "mode": "stock", "note": "placé sous « Qualitatifs : » dans le texte"},
            {"libelle": "Montée en compétences des jeunes (médiation, animation, logistique, organisation...)",
             "type": "qualitatif", "mode": "stock", "note": "placé sous « Qualitatifs : » dans le texte"},
        ],
    },
]

# ---------------------------------------------------------------------------------------------------------
# Mise en forme du classeur
# ---------------------------------------------------------------------------------------------------------

# (colonne, largeur, retour à la ligne)
COLONNES = {
    "feuille_de_route": [
        ("titre", 34, False), ("territoire", 11, False), ("structure_coordinatrice", 22, False),
        ("annee_debut", 12, False), ("annee_fin", 10, False), ("version", 28, False), ("source", 50, True),
        ("adoptee_le", 12, False), ("note", 70, True),
    ],
    "axes": [("code", 8, False), ("libelle", 32, False)],
    "objectifs": [
        ("code", 8, False), ("axe", 6, False), ("libelle", 60, True), ("libelle_sommaire", 60, True),
        ("note", 50, True),
    ],
    "fiches": [
        ("numero", 8, False), ("objectif", 9, False), ("intitule", 50, True), ("titre_sommaire", 40, True),
        ("public_cible", 32, True), ("enjeux", 70, True), ("description", 70, True), ("freins", 45, True),
        ("leviers", 45, True), ("ressources_existantes", 45, True), ("ajoutee_le", 12, False),
        ("version", 26, True), ("note", 45, True),
    ],
    "structures": [
        ("nom", 40, True), ("variantes", 55, True), ("type", 20, False), ("note", 50, True),
    ],
    "porteurs": [
        ("fiche", 7, False), ("structure", 36, True), ("role", 12, False), ("niveau", 14, False),
        ("source", 45, True), ("note", 40, True),
    ],
    "partenaires": [
        ("fiche", 7, False), ("structure", 40, True), ("precision", 36, True), ("source", 55, True),
        ("note", 45, True),
    ],
    "moyens": [
        ("fiche", 7, False), ("rubrique", 16, False), ("nature", 14, False), ("structure", 32, True),
        ("attribution", 15, False), ("libelle", 38, True), ("quantifie", 10, False), ("montant", 11, False),
        ("unite", 10, False), ("periodicite", 14, False), ("annee", 8, False), ("conditionnel", 12, False),
        ("partage", 9, False), ("source", 60, True),
        ("note", 55, True),
    ],
    "indicateurs": [
        ("code", 10, False), ("fiche", 7, False), ("libelle", 60, True), ("type", 11, False),
        ("unite", 18, False), ("mode", 8, False), ("cible", 8, False), ("cible_source", 40, True),
        ("echeance", 10, False), ("remplace", 10, False), ("note", 45, True),
    ],
}

FORMATS_NOMBRE = {
    ("fiches", "ajoutee_le"): "DD/MM/YYYY",
    ("feuille_de_route", "adoptee_le"): "DD/MM/YYYY",
}


# ---------------------------------------------------------------------------------------------------------
# Mise à plat et contrôles
# ---------------------------------------------------------------------------------------------------------

def lignes() -> dict[str, list[dict]]:
    """Les données à plat, une liste de lignes par feuille, fiches triées par numéro."""
    fiches = sorted(FICHES, key=lambda f: f["numero"])
    feuilles: dict[str, list[dict]] = {
        "feuille_de_route": [FEUILLE_DE_ROUTE],
        "axes": AXES,
        "objectifs": OBJECTIFS,
        "fiches": [],
        "structures": STRUCTURES,
        "porteurs": [],
        "partenaires": [],
        "moyens": [],
        "indicateurs": [],
    }
    for f in fiches:
        date, version = f.get("ajoutee_le", ADOPTION)
        feuilles["fiches"].append({
            **{k: v for k, v in f.items() if k not in ("porteurs", "partenaires", "moyens", "indicateurs")},
            "ajoutee_le": date,
            "version": version,
        })
        n = f["numero"]
        feuilles["porteurs"] += [{"fiche": n, **p} for p in f["porteurs"]]
        feuilles["partenaires"] += [{"fiche": n, **p} for p in f["partenaires"]]
        feuilles["moyens"] += [{"fiche": n, "conditionnel": "non", "partage": "non", **m} for m in f["moyens"]]
        feuilles["indicateurs"] += [
            {"code": f"F{n:02d}-I{k}", "fiche": n, **i} for k, i in enumerate(f["indicateurs"], start=1)
        ]
    return feuilles


def controler(feuilles: dict[str, list[dict]]) -> None:
    """Contrôles de cohérence de la transcription ; lève AssertionError au premier écart."""
    noms = [s["nom"] for s in STRUCTURES]
    assert len(noms) == len(set(noms)), "nom de structure en double"
    # Aucune graphie (nom ou variante, casse ignorée) ne doit désigner deux structures.
    graphies: dict[str, str] = {}
    for s in STRUCTURES:
        for g in [s["nom"], *s["variantes"].split(";")]:
            g = g.strip().casefold()
            if g:
                assert graphies.setdefault(g, s["nom"]) == s["nom"], f"graphie ambiguë : {g}"
    numeros = [f["numero"] for f in feuilles["fiches"]]
    assert numeros == list(range(1, 24)), numeros
    codes_obj = {o["code"] for o in OBJECTIFS}
    assert all(f["objectif"] in codes_obj for f in feuilles["fiches"])
    for feuille in ("porteurs", "partenaires", "moyens"):
        for r in feuilles[feuille]:
            assert not r.get("structure") or r["structure"] in noms, (feuille, r)
    for feuille in ("porteurs", "partenaires"):
        cles = [(r["fiche"], r["structure"]) for r in feuilles[feuille]]
        assert len(cles) == len(set(cles)), f"{feuille} : fiche × structure en double"
    for f in feuilles["fiches"]:
        ps = [p for p in feuilles["porteurs"] if p["fiche"] == f["numero"]]
        attendu = "porteur" if len(ps) == 1 else "co-porteur"
        assert ps and all(p["role"] == attendu for p in ps), f["numero"]
    ln = sorted(p["fiche"] for p in feuilles["porteurs"] if p["structure"] == "Lot Numérique")
    assert ln == [1, 2, 3, 4, 5, 6, 7, 8, 16, 17, 18, 19, 20, 21, 22], ln
    natures = {"etp", "temps", "personnes", "investissement", "charge", "produit", "valorisation", "autre"}
    for m in feuilles["moyens"]:
        assert m["rubrique"] in {"RH", "INVESTISSEMENT", "BUDGET"}, m
        assert m["nature"] in natures, m
        assert m["attribution"] in {"explicite", "porteur unique", "non précisée"}, m
        assert bool(m.get("structure")) == (m["attribution"] != "non précisée"), m
        assert m.get("conditionnel", "non") in {"oui", "non"} and m.get("partage", "non") in {"oui", "non"}, m
        if m["quantifie"] == "oui" and m["unite"] == "EUR":
            assert isinstance(m.get("montant"), (int, float)) and m["montant"] > 0, m
            assert m["periodicite"] in {"ponctuel", "par an", "annee", "par structure", "non précisée"}, m
            assert (m["periodicite"] == "annee") == bool(m.get("annee")), m
            # Every amount whose period the text leaves open says so in its note, with the text's reason.
            note = m.get("note") or ""
            assert (m["periodicite"] == "non précisée") == (
                "périodicité non précisée" in note or "période non précisée" in note), m
        elif m["quantifie"] == "oui":
            # A staff share (ETP) or a headcount is a rate, not an amount spent at a time: no period, unless it
            # is asked of each partner structure.
            assert isinstance(m.get("montant"), (int, float)) and m["montant"] > 0, m
            assert m.get("periodicite") in {None, "par structure"}, m
        else:
            assert m["quantifie"] == "non" and m.get("montant") is None, m
    for i in feuilles["indicateurs"]:
        assert i["type"] in {"nombre", "ratio", "livrable", "qualitatif"}, i
        assert i["mode"] in {"flux", "stock"}, i
        # Une cible ou une échéance n'est du texte que citée : sinon c'est une déduction, que la coordination
        # fixe elle-même dans le tableau de bord (qui, quand, pourquoi).
        assert bool(i.get("cible_source")) == (i.get("cible") is not None or i.get("echeance") is not None), i
    # Le texte ne fixe aucune cible chiffrée ; seules les deux échéances 2026 de la fiche 22 sont écrites.
    assert [i["code"] for i in feuilles["indicateurs"] if i.get("cible") is not None] == []
    assert [i["code"] for i in feuilles["indicateurs"] if i.get("echeance")] == ["F22-I4", "F22-I5"]
    # Chaque montant chiffré est écrit dans les mots du texte qu'il cite (« source ») : un chiffre recopié de
    # travers, ou qui ne viendrait pas du texte, est arrêté ici, sans total du Lot écrit en dur.
    for m in feuilles["moyens"]:
        if m["quantifie"] == "oui":
            assert _cite(m["montant"], str(m.get("source", ""))), m
    # Un budget de fiche (rubrique BUDGET) est équilibré : ses charges égalent ses produits.
    for n in sorted({m["fiche"] for m in feuilles["moyens"] if m["rubrique"] == "BUDGET"}):
        b = [m for m in feuilles["moyens"] if m["fiche"] == n and m["rubrique"] == "BUDGET"]
        charges = sum(m["montant"] for m in b if m["nature"] == "charge")
        produits = sum(m["montant"] for m in b if m["nature"] == "produit")
        assert charges == produits, (n, charges, produits)


def _cite(montant: float, source: str) -> bool:
    """Le nombre figure dans la citation, écrit à la française (« 5 000 », « 0,25 », « 12 k€ ») ou non (« 0.1 »)."""
    chiffres = re.sub(r"(?<=\d)(?<!\b0)[\s\u00a0\u202f.](?=\d{3}\b)", "", source)  # « 0.125 » stays a decimal
    lus = {float(v.replace(",", ".")) for v in re.findall(r"\d+(?:[,.]\d+)?", chiffres)}
    lus |= {float(v.replace(",", ".")) * 1000 for v in re.findall(r"(\d+(?:[,.]\d+)?)\s*[kK]€", chiffres)}
    return float(montant) in lus


# ---------------------------------------------------------------------------------------------------------
# Écriture
# ---------------------------------------------------------------------------------------------------------

def ecrire(chemin: Path) -> None:
    feuilles = lignes()
    controler(feuilles)
    wb = Workbook()
    wb.remove(wb.active)
    gras = Font(bold=True)
    for nom_feuille, colonnes in COLONNES.items():
        ws = wb.create_sheet(nom_feuille)
        for c, (col, largeur, _retour) in enumerate(colonnes, start=1):
            cell = ws.cell(row=1, column=c, value=col)
            cell.font = gras
            cell.alignment = Alignment(vertical="top")
            ws.column_dimensions[get_column_letter(c)].width = largeur
        for r, ligne in enumerate(feuilles[nom_feuille], start=2):
            for c, (col, _largeur, retour) in enumerate(colonnes, start=1):
                valeur = ligne.get(col)
                if valeur == "":
                    valeur = None
                cell = ws.cell(row=r, column=c, value=valeur)
                cell.alignment = Alignment(wrap_text=retour, vertical="top")
                fmt = FORMATS_NOMBRE.get((nom_feuille, col))
                if fmt and valeur is not None:
                    cell.number_format = fmt
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(colonnes))}{max(ws.max_row, 1)}"
    chemin.parent.mkdir(parents=True, exist_ok=True)
    wb.save(chemin)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=SORTIE_PAR_DEFAUT,
                        help=f"classeur à écrire (défaut : {SORTIE_PAR_DEFAUT.relative_to(REPO)})")
    args = parser.parse_args(argv)
    ecrire(args.output)
    print(f"Écrit : {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
