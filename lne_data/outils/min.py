"""Mon Inclusion Numérique (MIN): each fiche of the roadmap as an action of MIN, in the field names MIN's action form
submits (`nom`, `contexte`, `description`, `besoins`, `anneeDeDebut`, `anneeDeFin`, `budgetGlobal`, `porteurs`,
`coFinancements`: anct-cnum/suite-gestionnaire-numerique, `ajouterUneActionAction`), as JSON; the same as a workbook
to retype it by hand, MIN having no import (« fiche de saisie MIN »); and the pre-flight: fiche by fiche, what MIN
will refuse as it is and what must still be done there.

What each field holds (README « Exports »):
- `contexte` and `description` are HTML (MIN's editor keeps paragraphs, bold and lists) built from the fiche, every
  text of the roadmap escaped; the workbook holds the same content as plain text, built from the same blocks.
- `besoins`: the coordination's confirmation in force, else the suggestion read from the fiche (`suggest_besoins`),
  said unconfirmed in the envelope and the pre-flight. Never empty: MIN requires one.
- `anneeDeDebut`, `anneeDeFin`: the fiche's life (`rules.fiche_years`: from its adoption to the roadmap's end), as
  strings; `anneeDeFin` left out when the fiche lives one year (MIN's « annuelle » action has none).
- `budgetGlobal`: the fixed money the roadmap plans for the fiche (`rules.Prevu.montant_fixe`, the Budget page's
  figure), whole euros. Left out — not 0, not null — when the text gives no fixed amount: `contexte` then says
  « non chiffré dans la feuille de route », and the pre-flight that MIN requires a budget to be decided.
- `porteurs`, `coFinancements[].coFinanceur`: structures as the roadmap names them (MIN picks membres of the
  gouvernance by id: the pre-flight says so); a co-financement is a funding line (`produit`) the text quantifies
  with an amount above 0.

The export reads the roadmap and the coordination's decisions only, never quarterly entries: no example entry can
appear in it.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from typing import Any, NamedTuple

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from .. import formatting, periodes, rules, views
from ..exports import set_text, sheet_name
from ..mon_inclusion import BESOINS, RUBRIQUE_DE
from ..queries import Reader
from .base import Format

FORMAT = "lne-mon-inclusion-numerique"
FORMAT_VERSION = 1
SOURCE = ("Noms des champs du formulaire d'action de Mon Inclusion Numérique (code public "
          "anct-cnum/suite-gestionnaire-numerique) ; MIN n'a pas d'import : chaque action se saisit dans MIN.")
NON_CHIFFRE_MIN = rules.NON_CHIFFRE_FEUILLE

# --------------------------------------------------------------------------------------------------
# Besoins suggested from the fiche
# --------------------------------------------------------------------------------------------------

# The words that suggest each besoin when the fiche's intitulé, objectif or description holds them (accents, case
# and « œ » aside; each word matched at the start of a word). A suggestion is no decision: the coordination
# confirms or changes it, and until then the export and the pre-flight say it is unconfirmed.
INDICES: dict[str, tuple[str, ...]] = {
    "etablir_un_diagnostic_territorial": ("diagnostic territorial", "diagnostics territoriaux", "état des lieux",
                                          "panorama", "cartographie"),
    "co_construire_la_feuille_de_route": ("co-construire", "co-construction", "coconstruction",
                                          "concevoir collectivement", "concertation"),
    "rediger_la_feuille_de_route": ("rédiger la feuille de route", "rédaction de la feuille de route"),
    "appui_juridique": ("juridique", "marché public", "groupement de commande"),
    "structurer_un_fonds": ("fonds local", "fonds de ", "fonds départemental", "fonds territorial",
                            "structurer un fonds"),
    "monter_dossiers_de_subvention": ("subvention", "appel à projets", "appels à projets", "financement",
                                      "ingénierie financière"),
    "animer_la_gouvernance": ("gouvernance", "coordonner", "coordination", "mettre en œuvre la feuille de route",
                              "mise en œuvre de la feuille de route"),
    "structurer_une_filiere_de_reconditionnement": ("reconditionnement", "réemploi"),
    "collecter_des_donnees_territoriales": ("données", "observatoire", "collecte"),
    "sensibiliser_les_acteurs_aux_outils_existants": ("outil",),
    "appuyer_la_certification_qualiopi": ("qualiopi", "certification"),
}
# Every action of a roadmap puts it into practice: the besoin proposed when no word of the others is found.
REPLI = "animer_la_gouvernance"
_WHERE = (("intitule", "l'intitulé"), ("objectif_libelle", "l'objectif"), ("description", "la description"))


def _plain(text: Any) -> str:
    """`text` for matching words: lower case, without accents, « œ » as « oe », one kind of apostrophe."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text).lower().replace("œ", "oe").replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Suggestion(NamedTuple):
    code: str
    raison: str  # « « reconditionn » dans l'intitulé »: the word that suggested it, and where


def suggest_besoins(fiche: Mapping[str, Any]) -> list[Suggestion]:
    """The besoins a fiche suggests (`INDICES`), in MIN's order, each with its reason; `REPLI` when none."""
    texts = [(where, _plain(fiche.get(column))) for column, where in _WHERE]
    found = []
    for code, words in INDICES.items():
        for word in words:
            pattern = re.compile(r"(?<!\w)" + re.escape(_plain(word)))
            place = next((where for where, text in texts if pattern.search(text)), None)
            if place is not None:
                found.append(Suggestion(code, f"« {word.strip()} » dans {place}"))
                break
    return found or [Suggestion(REPLI, "aucun mot des autres besoins dans la fiche : toute action de la feuille de "
                                       "route la met en œuvre")]


# --------------------------------------------------------------------------------------------------
# The fiche as HTML and as text: the same blocks
# --------------------------------------------------------------------------------------------------


class Bloc(NamedTuple):
    """A part of `contexte` or `description`: a heading (or none) and its lines; a line starting with « - » is an
    item of a list, as the roadmap writes lists."""

    titre: str | None
    lignes: tuple[str, ...]


def _lines(text: Any) -> tuple[str, ...]:
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ()
    return tuple(line.strip() for line in str(text).splitlines() if line.strip())


def _item(line: str) -> str | None:
    """The text of a list item (« - texte », « • texte »), or None for a paragraph."""
    return line[1:].strip() if line[:1] in ("-", "•", "–") and len(line) > 1 else None


def _escape(text: str) -> str:
    """Text of the roadmap or of a user inside an HTML element: `&`, `<`, `>` escaped, nothing else can open a
    tag there (quotes matter only inside an attribute, which the export never writes)."""
    return html.escape(text, quote=False)


def as_html(blocs: Iterable[Bloc]) -> str:
    """HTML as MIN's editor writes it: paragraphs, bold headings, lists; every text escaped."""
    parts: list[str] = []
    for bloc in blocs:
        lines = list(bloc.lignes)
        if bloc.titre and len(lines) == 1 and _item(lines[0]) is None:
            parts.append(f"<p><strong>{_escape(bloc.titre)} :</strong> {_escape(lines[0])}</p>")
            continue
        if bloc.titre:
            parts.append(f"<p><strong>{_escape(bloc.titre)} :</strong></p>")
        items: list[str] = []
        for line in [*lines, ""]:
            item = _item(line) if line else None
            if item is not None:
                items.append(f"<li>{_escape(item)}</li>")
                continue
            if items:
                parts.append(f"<ul>{''.join(items)}</ul>")
                items = []
            if line:
                parts.append(f"<p>{_escape(line)}</p>")
    return "".join(parts)


def as_text(blocs: Iterable[Bloc]) -> str:
    """The same blocks as plain text, to paste into MIN's editor: « Titre : texte », lists as « - » lines."""
    parts = []
    for bloc in blocs:
        lines = list(bloc.lignes)
        if bloc.titre and len(lines) == 1 and _item(lines[0]) is None:
            parts.append(f"{bloc.titre} : {lines[0]}")
        else:
            parts.append("\n".join(([f"{bloc.titre} :"] if bloc.titre else [])
                                   + [f"- {_item(line)}" if _item(line) is not None else line for line in lines]))
    return "\n\n".join(parts)


# --------------------------------------------------------------------------------------------------
# One action per fiche
# --------------------------------------------------------------------------------------------------

BLOQUANT, A_FAIRE, A_VERIFIER = "bloquant", "à faire", "à vérifier"
NIVEAUX = {BLOQUANT: "MIN refusera l'action telle quelle", A_FAIRE: "à faire par la coordination",
           A_VERIFIER: "à vérifier au moment de la saisie dans MIN"}


@dataclass(frozen=True)
class Point:
    """One thing the pre-flight says about a fiche's action: its code, its level (`NIVEAUX`), the message."""

    fiche: int
    code: str
    niveau: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"fiche": self.fiche, "code": self.code, "niveau": self.niveau, "message": self.message}


@dataclass
class MinAction:
    fiche: int
    intitule: str
    action: dict[str, Any]  # MIN's fields, exactly as its form submits them
    contexte: tuple[Bloc, ...]
    description: tuple[Bloc, ...]
    suggestion: list[Suggestion]
    confirmation: views.Confirmation | None
    identifiant: views.Identifiant | None
    annees: tuple[int, int]  # the fiche's life: first and last year
    prevu: rules.Prevu
    budget: str  # its money in one sentence (`budget_text`)
    non_chiffre: str | None  # the roadmap's words where it gives no amount (« Temps ponctuel »)
    decrite: bool  # whether the fiche has a description of its own
    points: list[Point] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        confirmed = self.confirmation
        return {
            "fiche": self.fiche,
            "intitule": self.intitule,
            "identifiant_min": None if self.identifiant is None else {
                "valeur": self.identifiant.identifiant, "par": self.identifiant.auteur,
                "le": self.identifiant.le.isoformat(timespec="seconds")},
            "besoins": {
                "confirmes": confirmed is not None,
                "par": confirmed.auteur if confirmed else None,
                "le": confirmed.le.isoformat(timespec="seconds") if confirmed else None,
                "suggestion": [{"code": s.code, "libelle": BESOINS[s.code], "raison": s.raison}
                               for s in self.suggestion]},
            "action": self.action,
            "a_faire": [{"code": p.code, "niveau": p.niveau, "message": p.message} for p in self.points],
        }


def budget_text(prevu: rules.Prevu, periode: str, wording: str | None) -> str:
    """The fiche's money in one sentence, the Budget page's (`rules.Prevu.phrase`) — « non chiffré dans la
    feuille de route » with the roadmap's words when it gives no fixed amount."""
    if prevu.montant_fixe is not None:
        return prevu.phrase(periode)
    if prevu.chiffrees:  # amounts per partner structure only: no global figure
        return f"{NON_CHIFFRE_MIN} en montant global : {prevu.phrase(periode)}"
    return NON_CHIFFRE_MIN + (f" ({wording})" if wording else "")


def _fiche_blocs(fiche: Mapping[str, Any], ref: views.Reference, money: str, sources: list[str]) -> tuple[Bloc, ...]:
    """`contexte`: the roadmap and where the fiche sits in it, its public, its stakes, its indicators, its money."""
    numero = int(fiche["numero"])
    fdr = ref.feuille_de_route
    version = f" ({fdr['version']})" if isinstance(fdr.get("version"), str) and fdr["version"] else ""
    blocs = [Bloc("Feuille de route", (f"fiche action n°{numero} de « {fdr['titre']} »{version}",)),
             Bloc("Axe", (f"{int(fiche['axe'])} — {fiche['axe_libelle']}",)),
             Bloc("Objectif", (f"{fiche['objectif']} — {fiche['objectif_libelle']}",))]
    for column, title in (("public_cible", "Public cible"), ("enjeux", "Enjeux")):
        if _lines(fiche.get(column)):
            blocs.append(Bloc(title, _lines(fiche.get(column))))
    mine = ref.indicateurs[ref.indicateurs["fiche"] == numero]
    if not mine.empty:
        blocs.append(Bloc("Indicateurs de suivi", tuple(f"- {_indicateur(row)}" for row in mine.itertuples())))
    blocs.append(Bloc("Budget", (money, *(f"- « {s} »" for s in sources))))
    return tuple(blocs)


def _indicateur(row: Any) -> str:
    said = f"{row.code} — {row.libelle}"
    if row.cible is not None and not pd.isna(row.cible):
        unit = None if not isinstance(row.unite, str) or not row.unite else row.unite
        said += f" (cible : {formatting.with_unit(float(row.cible), unit)}"
        said += f" en {int(row.echeance)})" if row.echeance is not None and not pd.isna(row.echeance) else ")"
    elif row.echeance is not None and not pd.isna(row.echeance):
        said += f" (échéance : {int(row.echeance)})"
    return said


def _description_blocs(fiche: Mapping[str, Any], partenaires: pd.DataFrame) -> tuple[Bloc, ...]:
    """`description`: what the action does, its levers, its obstacles, its partners."""
    blocs = []
    if _lines(fiche.get("description")):
        blocs.append(Bloc(None, _lines(fiche.get("description"))))
    for column, title in (("leviers", "Leviers"), ("freins", "Freins")):
        if _lines(fiche.get(column)):
            blocs.append(Bloc(title, _lines(fiche.get(column))))
    if not partenaires.empty:
        blocs.append(Bloc("Partenaires", tuple(
            f"- {p.structure}" + (f" ({p.precision})" if isinstance(p.precision, str) and p.precision else "")
            for p in partenaires.itertuples())))
    if not blocs:  # MIN requires a description: the fiche's title, said to be all the roadmap gives
        blocs.append(Bloc(None, (f"{fiche['intitule']} (la feuille de route ne décrit pas davantage cette action).",)))
    return tuple(blocs)


def _cofinancements(moyens: pd.DataFrame) -> list[dict[str, Any]]:
    """The funding lines (`produit`) the text quantifies with an amount above 0 and a funder: MIN refuses 0."""
    funding = moyens[(moyens["nature"] == "produit") & moyens["quantifie"].astype(bool)]
    found = []
    for row in funding.itertuples():
        if isinstance(row.structure, str) and row.structure and rules.chiffree(row.quantifie, row.montant) \
                and float(row.montant) > 0:
            amount = float(row.montant)
            found.append({"coFinanceur": row.structure, "montant": int(amount) if amount.is_integer() else amount})
    return found


def _action(fiche: Mapping[str, Any], source: views.MinSource, years: tuple[int, int]) -> MinAction:
    ref, money = source.ref, source.budget
    numero = int(fiche["numero"])
    prevu = rules.prevu_of(money.par_fiche[money.par_fiche["fiche"] == numero])
    worded = money.non_chiffrees.loc[money.non_chiffrees["fiche"] == numero, "source"]
    wording = f"« {worded.iloc[0]} »" if not worded.empty else None
    sources = list(dict.fromkeys(str(s) for s in money.lignes.loc[money.lignes["fiche"] == numero, "source"]))
    suggestion = suggest_besoins(fiche)
    confirmation = source.decisions.confirmation(numero)
    said = budget_text(prevu, money.periode, wording)
    contexte = _fiche_blocs(fiche, ref, said, sources)
    description = _description_blocs(fiche, ref.partenaires[ref.partenaires["fiche"] == numero])
    start, end = years
    action: dict[str, Any] = {
        "nom": str(fiche["intitule"]),
        "contexte": as_html(contexte),
        "description": as_html(description),
        "besoins": list(confirmation.besoins) if confirmation else [s.code for s in suggestion],
        "anneeDeDebut": str(start),
    }
    if end > start:
        action["anneeDeFin"] = str(end)
    if prevu.montant_fixe is not None:
        action["budgetGlobal"] = int(round(prevu.montant_fixe))
    action["porteurs"] = list(ref.porteurs.loc[ref.porteurs["fiche"] == numero, "structure"])
    action["coFinancements"] = _cofinancements(ref.moyens[ref.moyens["fiche"] == numero])
    return MinAction(numero, str(fiche["intitule"]), action, contexte, description, suggestion, confirmation,
                     source.decisions.identifiant(numero), years, prevu, said, wording,
                     decrite=bool(_lines(fiche.get("description"))))


# --------------------------------------------------------------------------------------------------
# Pre-flight: what MIN will refuse, what must still be done
# --------------------------------------------------------------------------------------------------


def _points(action: MinAction, aujourdhui: date) -> list[Point]:
    n, fields, year = action.fiche, action.action, aujourdhui.year
    start, end = action.annees
    points = []
    if action.identifiant is None:
        points.append(Point(n, "action-a-creer", A_FAIRE,
                            "Action à créer dans Mon Inclusion Numérique (feuille de route de la gouvernance, "
                            "« Ajouter une action »), puis noter ici l'identifiant que MIN lui donne."))
        if end < year:
            points.append(Point(n, "action-terminee", BLOQUANT,
                                f"La fiche s'est achevée en {end} : MIN ne propose que l'année en cours et les "
                                "suivantes, une action passée ne s'y déclare pas."))
        elif start < year:
            points.append(Point(n, "annee-debut-passee", BLOQUANT,
                                f"MIN ne propose pas d'année de début avant {year} : choisir {year} (la fiche court "
                                f"depuis {start}) ; le budget global couvre {start}-{end}."))
    if action.confirmation is None:
        points.append(Point(n, "besoins-non-confirmes", A_FAIRE,
                            "Besoins proposés d'après la fiche, pas encore confirmés par la coordination : "
                            + "; ".join(BESOINS[s.code] for s in action.suggestion)
                            + ". Les confirmer ou les changer avant la saisie."))
    points += _budget_points(action)
    porteurs = fields["porteurs"]
    if not porteurs:
        points.append(Point(n, "sans-porteur", BLOQUANT, "La fiche n'a pas de porteur : MIN en demande au moins un."))
    else:
        points.append(Point(n, "porteurs-membres", A_VERIFIER,
                            f"Porteur{'s' if len(porteurs) > 1 else ''} à choisir parmi les membres de la gouvernance "
                            f"dans MIN : {', '.join(porteurs)} ; une structure qui n'en est pas membre doit d'abord "
                            "y être ajoutée."))
    funders = list(dict.fromkeys(c["coFinanceur"] for c in fields["coFinancements"]))
    if funders:
        points.append(Point(n, "cofinanceurs-membres", A_VERIFIER,
                            f"Co-financeur{'s' if len(funders) > 1 else ''} à choisir parmi les membres de la "
                            f"gouvernance dans MIN : {', '.join(funders)}."))
    if not action.decrite:
        points.append(Point(n, "description-absente", A_FAIRE,
                            "La feuille de route ne décrit pas l'action : MIN exige une description, à rédiger."))
    return points


def _budget_points(action: MinAction) -> list[Point]:
    n, prevu, euros = action.fiche, action.prevu, formatting.euros
    budget = action.action.get("budgetGlobal")
    if budget is None:
        said = f" ({action.non_chiffre})" if action.non_chiffre else ""
        return [Point(n, "budget-non-chiffre", BLOQUANT,
                      f"MIN exige un budget global ; la feuille de route ne chiffre pas cette action{said} : décider "
                      "du montant avec les porteurs avant de la saisir.")]
    points = []
    if prevu.sous_condition:
        points.append(Point(n, "budget-sous-condition", A_VERIFIER,
                            f"Le budget global compte {euros(prevu.sous_condition)} que la feuille de route met sous "
                            "condition : les retirer si la condition n'est pas remplie."))
    if prevu.par_structure:
        points.append(Point(n, "budget-par-structure", A_VERIFIER,
                            f"{euros(prevu.par_structure)} {rules.PAR_STRUCTURE} ne sont pas dans le budget global "
                            "(le nombre de structures n'est pas fixé) : les y ajouter une fois ce nombre connu."))
    if budget != prevu.prevu:
        points.append(Point(n, "budget-arrondi", A_VERIFIER,
                            f"MIN prend des euros entiers : {euros(prevu.prevu)} arrondis à {euros(budget)}."))
    funded = sum(float(c["montant"]) for c in action.action["coFinancements"])
    if funded != budget:
        gap = budget - funded
        points.append(Point(n, "financement-a-completer", A_VERIFIER,
                            f"MIN affiche l'écart entre le budget global ({euros(budget)}) et ses co-financements "
                            f"({euros(funded)}) tant qu'une demande de subvention ne le comble pas : "
                            + (f"{euros(gap)} restent à financer." if gap > 0
                               else f"les co-financements le dépassent de {euros(-gap)}.")))
    return points


# --------------------------------------------------------------------------------------------------
# The export: JSON, workbook, pre-flight
# --------------------------------------------------------------------------------------------------


@dataclass
class MinExport:
    titre: str
    territoire: str
    version: str | None
    periode: str  # « 2024-2027 »
    genere_le: date
    actions: list[MinAction]

    @property
    def preflight(self) -> list[dict[str, Any]]:
        """Every point of every fiche, as plain data (fiche, intitule, code, niveau, message): the pre-flight."""
        return [{**p.as_dict(), "intitule": a.intitule} for a in self.actions for p in a.points]

    def par_fiche(self) -> list[dict[str, Any]]:
        """One row per fiche: its identifiant MIN, whether its besoins are confirmed, its points by level."""
        return [{"fiche": a.fiche, "intitule": a.intitule,
                 "identifiant": a.identifiant.identifiant if a.identifiant else None,
                 "besoins": "confirmés" if a.confirmation else "proposés, à confirmer",
                 **{niveau: sum(p.niveau == niveau for p in a.points) for niveau in NIVEAUX}}
                for a in self.actions]

    def resume(self) -> str:
        """« 32 points bloquants, 45 à faire, 38 à vérifier »: the pre-flight in a few words."""
        counts = self.counts()
        bloquants = counts[BLOQUANT]
        return (f"{formatting.number(bloquants)} point{'s' if bloquants > 1 else ''} "
                f"bloquant{'s' if bloquants > 1 else ''}, {formatting.number(counts[A_FAIRE])} {A_FAIRE}, "
                f"{formatting.number(counts[A_VERIFIER])} {A_VERIFIER}")

    def counts(self) -> dict[str, int]:
        """How many points of each level: « 23 bloquants, 40 à faire, … »."""
        return {niveau: sum(p.niveau == niveau for a in self.actions for p in a.points) for niveau in NIVEAUX}

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version_format": FORMAT_VERSION,
            "genere_le": self.genere_le.isoformat(),
            "source_des_champs": SOURCE,
            "feuille_de_route": {"titre": self.titre, "territoire": self.territoire, "version": self.version,
                                 "annees": self.periode},
            "besoins_possibles": [{"code": code, "libelle": label, "rubrique": RUBRIQUE_DE[code]}
                                  for code, label in BESOINS.items()],
            "actions": [action.as_json() for action in self.actions],
        }

    def json_bytes(self) -> bytes:
        """The export as UTF-8 JSON, the same bytes for the same roadmap, decisions and day."""
        return (json.dumps(self.as_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    def xlsx_bytes(self) -> bytes:
        """The « fiche de saisie MIN » workbook."""
        return fiche_de_saisie(self)


def build(source: views.MinSource, aujourdhui: date) -> MinExport:
    """Every fiche of the roadmap in force as an action of MIN, with its pre-flight as of `aujourdhui`."""
    ref = source.ref
    fdr = ref.feuille_de_route
    lives = rules.fiche_years(ref.fiches, int(fdr["annee_debut"]), int(fdr["annee_fin"]))
    actions = []
    for fiche in ref.fiches.to_dict("records"):
        life = lives[int(fiche["numero"])] or [int(fdr["annee_fin"])]  # added after the roadmap's end: its last year
        action = _action(fiche, source, (life[0], life[-1]))
        action.points = _points(action, aujourdhui)
        actions.append(action)
    version = fdr.get("version")
    return MinExport(str(fdr["titre"]), str(fdr["territoire"]), version if isinstance(version, str) else None,
                     source.budget.periode, aujourdhui, actions)


def export(con: Reader) -> MinExport:
    """The export of the database's roadmap in force, as of today (`periodes.today`)."""
    return build(views.min_source(con), periodes.today())


# --------------------------------------------------------------------------------------------------
# The workbook « fiche de saisie MIN »
# --------------------------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _row(sheet: Worksheet, row: int, values: Iterable[Any], *, bold: bool = False, euros: int | None = None) -> None:
    """One row of values from column A; text through `set_text`, an empty text left an empty cell; the value of
    column `euros` (a whole number of euros) shown « 4 400 € »."""
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            if value:
                set_text(cell, value)
        elif value is not None:
            cell.value = value
            if column == euros and isinstance(value, int):
                cell.number_format = '#,##0 "€"'
        cell.alignment = _WRAP
        if bold:
            cell.font = _BOLD


def _widths(sheet: Worksheet, widths: Iterable[int]) -> None:
    for column, width in zip("ABCDEFGHIJKL", widths):
        sheet.column_dimensions[column].width = width


def _budget_cell(action: MinAction) -> int | str:
    budget = action.action.get("budgetGlobal")
    return NON_CHIFFRE_MIN if budget is None else int(budget)


def _besoins_text(action: MinAction) -> str:
    return "\n".join(f"{BESOINS[code]} ({RUBRIQUE_DE[code]})" for code in action.action["besoins"])


def _confirmation_text(action: MinAction) -> str:
    confirmed = action.confirmation
    if confirmed is None:
        return "non confirmés : proposés d'après la fiche (" + " ; ".join(s.raison for s in action.suggestion) + ")"
    return f"confirmés par {confirmed.auteur} le {confirmed.le:%d/%m/%Y à %H:%M}"


def fiche_de_saisie(export_: MinExport) -> bytes:
    """The workbook to retype each action in MIN: what to read first, the pre-flight, every action on one row, then
    one sheet per fiche with MIN's fields in the order of its form. Texts are string cells (`set_text`)."""
    wb = Workbook()
    readme = wb.active
    readme.title = "Lisez-moi"
    _readme(readme, export_)
    todo = wb.create_sheet("À faire")
    _row(todo, 1, ["Fiche", "Intitulé", "Niveau", "À faire", "Code"], bold=True)
    for index, point in enumerate(export_.preflight, start=2):
        _row(todo, index, [point["fiche"], point["intitule"], point["niveau"], point["message"], point["code"]])
    _widths(todo, (7, 40, 12, 90, 24))
    todo.freeze_panes = "A2"
    table = wb.create_sheet("Actions")
    _row(table, 1, ["Fiche", "Identifiant MIN", "Nom de l'action (nom)", "Besoins (besoins)", "Besoins confirmés",
                    "Année de début (anneeDeDebut)", "Année de fin (anneeDeFin)", "Budget global (budgetGlobal)",
                    "Porteurs (porteurs)", "Co-financements (coFinancements)", "Points à faire"], bold=True)
    for index, action in enumerate(export_.actions, start=2):
        fields = action.action
        _row(table, index, [
            action.fiche, action.identifiant.identifiant if action.identifiant else "", fields["nom"],
            _besoins_text(action), _confirmation_text(action), fields["anneeDeDebut"], fields.get("anneeDeFin", ""),
            _budget_cell(action), "\n".join(fields["porteurs"]), _cofinancements_text(fields), len(action.points)],
             euros=8)
    _widths(table, (7, 16, 40, 45, 30, 12, 12, 16, 30, 30, 10))
    table.freeze_panes = "C2"
    for action in export_.actions:
        _fiche_sheet(wb.create_sheet(sheet_name(f"Fiche {action.fiche}")), action)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _cofinancements_text(fields: Mapping[str, Any]) -> str:
    return "\n".join(f"{c['coFinanceur']} : {formatting.euros(c['montant'])}" for c in fields["coFinancements"])


def _readme(sheet: Worksheet, export_: MinExport) -> None:
    lines = [
        ("Fiche de saisie Mon Inclusion Numérique", None),
        ("Feuille de route", f"{export_.titre} ({export_.territoire})" + (f", {export_.version}" if export_.version
                                                                          else "")),
        ("Générée le", export_.genere_le.strftime("%d/%m/%Y")),
        ("Actions", len(export_.actions)),
        ("Avant la saisie", export_.resume()),
        ("Mode d'emploi", "MIN n'a pas d'import : chaque fiche se saisit à la main dans « Ajouter une action » de la "
                          "feuille de route de la gouvernance. Une feuille par fiche donne chaque champ du formulaire "
                          "dans l'ordre, à copier-coller ; la feuille « À faire » dit ce que MIN refusera et ce qui "
                          "reste à décider. Une fois l'action créée, noter son identifiant MIN dans le tableau de bord "
                          "(page Exports, ou « min identifiant »)."),
        ("Budget global", "Le montant fixe que la feuille de route prévoit pour la fiche sur "
                          f"{export_.periode} (celui de la page Budget). « {NON_CHIFFRE_MIN} » : la feuille de route "
                          "ne donne pas de montant ; MIN en exige un, à décider — jamais 0 € par défaut."),
        ("Niveaux", " ; ".join(f"{n} : {meaning}" for n, meaning in NIVEAUX.items())),
        ("Source des champs", SOURCE),
    ]
    for index, (label, value) in enumerate(lines, start=1):
        _row(sheet, index, [label, value])
        sheet.cell(row=index, column=1).font = _BOLD
    _widths(sheet, (22, 110))


def _fiche_sheet(sheet: Worksheet, action: MinAction) -> None:
    fields = action.action
    rows: list[tuple[str, Any, str]] = [
        ("Identifiant MIN", action.identifiant.identifiant if action.identifiant else "",
         "" if action.identifiant else "à noter une fois l'action créée dans MIN"),
        ("Nom de l'action (nom)", fields["nom"], ""),
        ("Contexte de l'action (contexte)", as_text(action.contexte), "à coller dans l'éditeur de MIN"),
        ("Description de l'action (description)", as_text(action.description), "à coller dans l'éditeur de MIN"),
        ("Besoins (besoins)", _besoins_text(action), _confirmation_text(action)),
        ("Année de début (anneeDeDebut)", fields["anneeDeDebut"], ""),
        ("Année de fin (anneeDeFin)", fields.get("anneeDeFin", ""),
         "" if "anneeDeFin" in fields else "action annuelle : pas d'année de fin"),
        ("Budget global (budgetGlobal)", _budget_cell(action), action.budget),
        ("Porteurs (porteurs)", "\n".join(fields["porteurs"]), "membres de la gouvernance dans MIN"),
        ("Co-financements (coFinancements)", _cofinancements_text(fields), ""),
    ]
    _row(sheet, 1, [f"Fiche {action.fiche} — {action.intitule}"], bold=True)
    _row(sheet, 2, ["Champ de MIN", "À saisir", "Remarque"], bold=True)
    for index, (label, value, note) in enumerate(rows, start=3):
        _row(sheet, index, [label, value, note], euros=2)
    row = len(rows) + 4
    _row(sheet, row, ["À faire", "", ""], bold=True)
    for index, point in enumerate(action.points, start=row + 1):
        _row(sheet, index, [point.niveau, point.message, point.code])
    _widths(sheet, (32, 90, 40))


# --------------------------------------------------------------------------------------------------
# The registry's entries (`lne_data.outils.FORMATS`): the command line's `export --format` and the Exports page
# --------------------------------------------------------------------------------------------------

OUTIL = "Mon Inclusion Numérique"
_ENSUITE = (
    "Lire ce qui reste à faire avant la saisie (feuille « À faire », ou « min controle ») : confirmer les besoins de "
    "chaque fiche, décider du budget des fiches que la feuille de route ne chiffre pas.",
    "Vérifier que chaque porteur et co-financeur est membre de la gouvernance dans MIN, sinon l'y ajouter.",
    "Dans MIN, feuille de route de la gouvernance, « Ajouter une action » pour chaque fiche, champ par champ depuis "
    "la fiche de saisie (MIN n'a pas d'import) ; l'année de début ne peut être antérieure à l'année en cours.",
    "Noter l'identifiant que MIN donne à chaque action (page Exports, ou « min identifiant »).",
)


def remarques(con: Reader) -> list[str]:
    """What is left to do before MIN takes the actions, in a sentence (the details: `MinExport.preflight`)."""
    found = export(con)
    if not found.preflight:
        return []
    return [f"{found.resume()} avant la saisie dans Mon Inclusion Numérique : voir « min controle » ou la feuille "
            "« À faire » de la fiche de saisie."]


JSON = Format(
    nom="min", outil=OUTIL, libelle="Actions de Mon Inclusion Numérique (JSON)",
    fichier="actions_mon_inclusion_numerique.json", mime="application/json",
    pour=("Chaque fiche comme une action de Mon Inclusion Numérique, avec les noms de champs de son formulaire "
          "(nom, contexte, description, besoins, années, budget global, porteurs, co-financements) : le budget de la "
          "page Budget, absent et dit « non chiffré dans la feuille de route » quand le texte ne le chiffre pas, "
          "jamais 0 ; les besoins confirmés par la coordination ou, à défaut, proposés d'après la fiche."),
    ensuite=_ENSUITE, ecrire=lambda con: export(con).json_bytes(), a_verifier=remarques)

FICHE_DE_SAISIE = Format(
    nom="min-xlsx", outil=OUTIL, libelle="Fiche de saisie MIN (Excel)",
    fichier="fiche_de_saisie_mon_inclusion_numerique.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    pour=("Les mêmes actions à recopier dans Mon Inclusion Numérique : une feuille par fiche avec chaque champ du "
          "formulaire dans l'ordre, le contexte et la description en texte à coller, et la feuille « À faire » de ce "
          "que MIN refusera ou qui reste à décider."),
    ensuite=_ENSUITE, ecrire=lambda con: export(con).xlsx_bytes(), a_verifier=remarques)
