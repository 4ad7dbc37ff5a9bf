"""Territoires en Transitions (TeT): its plan-import workbook as TeT's own parser reads it, and such a workbook (another
territory's plan) read as a référentiel (`init --referentiel`, the Feuille de route page).

The format, as TeT's public code reads it (incubateur-ademe/territoires-en-transitions, `apps/backend/src/plans/plans/
import-plan-aggregate`, August 2026; README « Exports »): the data sheet is the first one whose cell A2 holds exactly
`Axe (x)`; row 2 holds the 28 headers of `COLUMNS`, each compared verbatim (surrounding spaces aside) and in order,
the first mismatch refusing the file; row 3 is skipped (the template writes each column's type there); every
non-empty row from row 4 is an action. A title is a text of 1 to 300 characters, unique within its axes; a row whose
« Titre de la sous-action » is filled is a sous-action of the action titled in its « Titre de l'action »; the
statut is fuzzy-matched against `STATUTS` (a near miss is silently changed: « En attente » becomes « En retard »,
« Fini » « À venir »); lists are split on the commas outside parentheses, double quotes and « »
(`LIST_SEPARATOR`), then de-duplicated case-insensitively; a date cell is read as a date, a text JJ/MM/AAAA too,
and a bare number as milliseconds after 1 January 1970; an amount is a number (an empty budget stays empty, a text
refuses the file); a financeur counts only with its amount. Indicators, ETP and yearly budgets are not imported.

The writer of that workbook is `outils.tet` (figure step); what both sides need of the format lives here, at the
check step, so that reading another territory's plan and writing ours apply one definition.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .formatting import UNWRITABLE, euros
from .problems import Problem, Problems, Severity, column_letter, quote
from .sheets import Column, Table, cell_text, convert, normalise_choice, unwritable_problem
from .xlsx import Cell, Workbook

# --------------------------------------------------------------------------------------------------
# The format
# --------------------------------------------------------------------------------------------------

MARK = "Axe (x)"  # in A2 of the data sheet
HEADER_ROW, TYPES_ROW, FIRST_DATA_ROW = 2, 3, 4
# (key, header) of each column, left to right: the headers verbatim, three of them alike (« Montant € HT »).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("axe", "Axe (x)"), ("sous_axe", "Sous-axe (x.x)"), ("sous_sous_axe", "Sous-sous axe (x.x.x)"),
    ("titre", "Titre de l'action"), ("sous_action", "Titre de la sous-action"), ("descriptif", "Descriptif"),
    ("instances", "Instances de gouvernance"), ("objectifs", "Objectifs"), ("indicateurs", "Indicateurs liés"),
    ("structures", "Structure pilote"), ("moyens", "Moyens humains et techniques"), ("partenaires", "Partenaires"),
    ("services", "Direction ou service pilote"), ("pilotes", "Personne pilote"), ("referents", "Élu·e référent·e"),
    ("participation", "Participation Citoyenne"), ("financements", "Financements"),
    ("financeur_1", "Financeur 1"), ("montant_1", "Montant € HT"), ("financeur_2", "Financeur 2"),
    ("montant_2", "Montant € HT"), ("financeur_3", "Financeur 3"), ("montant_3", "Montant € HT"),
    ("budget", "Budget prévisionnel total € HT"), ("statut", "Statut"), ("priorite", "Niveau de priorité"),
    ("debut", "Date de début"), ("fin", "Date de fin"),
)
HEADERS = tuple(header for _, header in COLUMNS)
POSITION = {key: index for index, (key, _) in enumerate(COLUMNS, start=1)}  # key → column number (A = 1)
# Row 3 as TeT's template writes it (its validation skips the row): what each column expects.
_TEXTE, _LISTE, _CHOIX, _NOMBRE, _DATE = ("Champ texte", "Champ texte\n(séparateur virgule)",
                                          "Champ liste déroulante\n(choix prédéfinis)", "Champ numérique",
                                          "Champ date")
TYPES = (_TEXTE, _TEXTE, _TEXTE, _TEXTE, _TEXTE, _TEXTE, _TEXTE, _TEXTE, "Champ texte non importé", _LISTE,
         _TEXTE, _LISTE, _LISTE, _LISTE, _LISTE, _CHOIX, "Champ texte libre", _LISTE, _NOMBRE, _LISTE, _NOMBRE,
         _LISTE, _NOMBRE, _NOMBRE, _CHOIX, _CHOIX, _DATE, _DATE)
STATUTS = ("À venir", "En cours", "Réalisé", "En pause", "Abandonné", "Bloqué", "En retard", "A discuter")
TITRE_MAX = 300
FINANCEURS = 3
# TeT's list separator, as its import schema writes it: a comma outside (…), "…" and « ».
LIST_SEPARATOR = re.compile(r',(?![^()]*\))(?=(?:(?:[^"]*"){2})*[^"]*$)(?![^«]*»)')


def split_list(text: str) -> list[str]:
    """A list cell as TeT reads it: split on `LIST_SEPARATOR`, each item trimmed with its runs of spaces made one,
    empty items dropped, an item already met (case aside) dropped."""
    items = [" ".join(part.split()) for part in LIST_SEPARATOR.split(text)]
    seen: set[str] = set()
    kept = []
    for item in items:
        if item and item.lower() not in seen:
            seen.add(item.lower())
            kept.append(item)
    return kept


def list_item(name: str) -> str:
    """`name` as an item of a TeT list: as it is, unless TeT would cut it at one of its commas; then between « »,
    which TeT keeps whole (and keeps in the name)."""
    return name if split_list(name) == [" ".join(name.split())] else f"« {name} »"


def join_list(names: list[str]) -> str:
    return ", ".join(list_item(name) for name in names)


# --------------------------------------------------------------------------------------------------
# Reading another territory's plan as a référentiel
# --------------------------------------------------------------------------------------------------

P = "referentiel"
TITRE_DEFAUT = "Plan d'action importé de Territoires en Transitions"
NON_PRECISE = "non précisé"
# Group headings of TeT's template in row 1: not the plan's title.
_GROUP_HEADINGS = {"présentation de l'action", "présentation de l’action"}
# Its row 4 (instructions) in the template, which TeT itself would read as an action.
_INSTRUCTIONS = ("Si vos axes sont numérotés", "Texte court de 300 caractères")
SANS_AXE = "Actions sans axe dans le plan"
_SOURCE_NOTE = "Plan Territoires en Transitions"

# The columns the référentiel has no place for, and why, said once per column with the rows concerned.
NOT_MAPPED = {
    "sous_sous_axe": "le référentiel n'a que deux niveaux (axe, objectif) : l'action est rattachée à son sous-axe",
    "instances": "le référentiel ne décrit pas les instances de gouvernance d'une fiche",
    "indicateurs": ("les indicateurs du référentiel ont un type et un mode (flux, stock) que ce texte ne donne pas : "
                    "ajoutez-les dans la feuille « indicateurs » du classeur de référence"),
    "services": "le référentiel ne nomme pas de service pilote",
    "pilotes": "le référentiel ne nomme pas de personnes",
    "referents": "le référentiel ne nomme pas de personnes",
    "participation": "le référentiel n'a pas de niveau de participation citoyenne",
    "statut": "le statut d'une fiche se déclare chaque trimestre, dans la feuille « Suivi » du modèle trimestriel",
    "priorite": "le référentiel n'a pas de niveau de priorité",
}

_LABEL = r"(?:sous-sous[- ]axe|sous[- ]axe|axe|objectif(?:\s+(?:strat[ée]gique|op[ée]rationnel|sp[ée]cifique))?" \
         r"|fiche(?:\s+action)?|action)"
_NUMBERED = re.compile(rf"^\s*(?:{_LABEL}\s*(?:n°\s*)?)?(\d+(?:\.\d+)*)(.*)$", re.IGNORECASE | re.DOTALL)


def numbered(text: str) -> tuple[str | None, str]:
    """« 1. Titre », « 1.2 Titre », « 1.2. Titre », « Axe 1 : Titre », « Action 3 - Titre » → (« 1 », « Titre »);
    a text that does not start with such a number → (None, the text). After the number comes « . », « ) », « : » or
    « - », or a space when the number has a dot (« 1.2 Titre »): « 3 ateliers » is not numbered."""
    found = _NUMBERED.match(text)
    if found is None:
        return None, text.strip()
    number, rest = found[1].rstrip("."), found[2]
    cut = re.match(r"^\s*(?:[.):]|\s-|\s–)\s*", rest)
    if cut is None and not (("." in found[1]) and rest[:1].isspace()):
        return None, text.strip()
    label = rest[cut.end():] if cut else rest
    label = label.strip()
    return (number, label) if label else (None, text.strip())


def find_sheet(workbook: Workbook) -> str | None:
    """The sheet TeT would read: the first whose A2 holds `MARK` (its spaces aside, as a person sees the cell)."""
    for name in workbook.sheet_names:
        try:
            rows = workbook.rows(name)
        except KeyError:  # a sheet left out when the workbook was read
            continue
        cells = next((row for row in rows if row and row[0].row == HEADER_ROW), [])
        first = next((cell for cell in cells if cell.col == 1), None)
        if first is not None and cell_text(first) == MARK:
            return name
    return None


@dataclass
class _Row:
    """One action row, its cells by key."""

    row: int
    cells: dict[str, Cell]

    def text(self, key: str) -> str | None:
        cell = self.cells.get(key)
        return None if cell is None else cell_text(cell)


@dataclass
class TetPlan:
    """A TeT workbook mapped onto the référentiel's sheets: each table's records (with `_row`, the Excel row of the
    action they come from) and what could not be mapped."""

    sheet: str
    tables: dict[str, Table] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)


def letter(key: str) -> str:
    return column_letter(POSITION[key])


def read_plan(workbook: Workbook, sheet: str) -> TetPlan:
    """Map the plan of `sheet` (found by `find_sheet`) onto the référentiel's sheets. Every cell that cannot be
    mapped is said: an error when the plan cannot be read as TeT reads it (a header, a title, an amount, a date), a
    warning when the référentiel has no place for it (`NOT_MAPPED`, sous-actions, numbers given, values assumed)."""
    plan = TetPlan(sheet)
    by_row = {row[0].row: row for row in workbook.rows(sheet) if row}
    if not _check_header(by_row.get(HEADER_ROW, []), plan):
        return plan
    rows = _action_rows(by_row, plan)
    _hidden(workbook, rows, plan)
    builder = _Builder(plan)
    builder.axes_and_objectifs(rows)
    for row in rows:
        builder.action(row)
    builder.roadmap(by_row.get(1, []))
    plan.tables = builder.tables()
    return plan


def _check_header(cells: list[Cell], plan: TetPlan) -> bool:
    """Row 2 as TeT checks it: the 28 headers verbatim and in order; the first difference said (TeT stops there too,
    and one shifted column would make every later one differ)."""
    found = {cell.col: (cell_text(cell) or "") for cell in cells}
    for position, expected in enumerate(HEADERS, start=1):
        actual = unicodedata.normalize("NFC", found.get(position, ""))
        if actual != expected:
            where = column_letter(position)
            plan.problems.append(Problem(
                "referentiel-tet-en-tete",
                f"La colonne {where} devrait être « {expected} » et non {quote(actual) if actual else 'vide'} : "
                "Territoires en Transitions lit les 28 en-têtes de la ligne 2 tels quels et dans cet ordre "
                f"({', '.join(HEADERS[:4])}, …, {HEADERS[-1]}). Corrigez l'en-tête (le modèle public de "
                "Territoires en Transitions écrit « Titre de la fiche action » en D, que son import refuse aussi).",
                sheet=plan.sheet, row=HEADER_ROW, column=where))
            return False
    return True


def _action_rows(by_row: dict[int, list[Cell]], plan: TetPlan) -> list[_Row]:
    """The rows TeT reads as actions (from row 4), but the template's row of instructions, said and skipped."""
    keys = {position: key for key, position in POSITION.items()}
    rows = []
    for number in sorted(n for n in by_row if n >= FIRST_DATA_ROW):
        cells = {keys[cell.col]: cell for cell in by_row[number] if cell.col in keys}
        if not any(cell_text(cell) for cell in cells.values()):
            continue
        row = _Row(number, cells)
        _check_cells(row, plan)
        if any((row.text(key) or "").startswith(_INSTRUCTIONS) for key in ("axe", "titre")):
            plan.problems.append(Problem(
                "referentiel-tet-ligne-consigne",
                "Cette ligne est la ligne de consignes du modèle de Territoires en Transitions (« Si vos axes sont "
                "numérotés… ») : elle n'est pas lue comme une action. Supprimez-la avant d'envoyer le fichier à "
                "Territoires en Transitions, qui la lirait, elle, comme une action.",
                "avertissement", sheet=plan.sheet, row=number))
            continue
        rows.append(row)
    return rows


def _hidden(workbook: Workbook, rows: list[_Row], plan: TetPlan) -> None:
    """What the sender may not have seen is read all the same, by TeT too: said, as for every workbook."""
    where = plan.sheet
    if where in workbook.hidden:
        plan.problems.append(Problem(
            "referentiel-feuille-masquee",
            f"La feuille « {where} » est masquée dans ce classeur : c'est pourtant elle qui est lue (sa cellule A2 "
            f"porte « {MARK} »). Vérifiez qu'elle contient bien le plan à charger.", "avertissement", sheet=where))
    for number in sorted(set(workbook.hidden_rows(where)) & {row.row for row in rows}):
        plan.problems.append(Problem(
            "referentiel-ligne-masquee",
            "Ligne masquée dans le classeur (à la main ou par un filtre), et pourtant lue comme les autres, par "
            "Territoires en Transitions aussi : affichez toutes les lignes et vérifiez-les.", "avertissement",
            sheet=where, row=number))
    filled = {POSITION[key] for row in rows for key in row.cells}
    for position in sorted(set(workbook.hidden_columns(where)) & filled):
        plan.problems.append(Problem(
            "referentiel-colonne-masquee",
            f"La colonne {column_letter(position)} (« {HEADERS[position - 1]} ») est masquée dans le classeur : elle "
            "est pourtant lue. Affichez-la et vérifiez ses valeurs.", "avertissement", sheet=where,
            row=HEADER_ROW, column=column_letter(position)))


def _check_cells(row: _Row, plan: TetPlan) -> None:
    """What no column can hold: an Excel error, a formula without its result, a character pasted from Word."""
    for key, cell in row.cells.items():
        where = letter(key)
        if isinstance(cell.value, str) and UNWRITABLE.search(cell.value):
            plan.problems.append(unwritable_problem(cell.value, prefix=P, sheet=plan.sheet, row=row.row,
                                                    letter=where))
        elif cell.kind in ("erreur", "formule-sans-valeur", "formule-a-recalculer"):
            _value, problem = convert(cell, Column(HEADERS[POSITION[key] - 1]), sheet=plan.sheet, prefix=P,
                                      letter=where)
            if problem is not None:
                plan.problems.append(problem)


class _Builder:
    """The référentiel's records, built action by action."""

    def __init__(self, plan: TetPlan):
        self.plan = plan
        self.axes: dict[str | None, dict[str, Any]] = {}  # axe text (None: actions without axe) → record
        self.objectifs: dict[tuple[str | None, str | None], dict[str, Any]] = {}
        self.fiches: list[dict[str, Any]] = []
        self.porteurs: list[dict[str, Any]] = []
        self.partenaires: list[dict[str, Any]] = []
        self.moyens: list[dict[str, Any]] = []
        self.structures: dict[str, dict[str, Any]] = {}  # normalise_choice(name) → record
        self.dates: list[date] = []
        self.numbers: dict[int, str] = {}  # fiche number → the action's title
        self.actions: dict[tuple[Any, ...], int] = {}  # (axe, sous-axe, sous-sous-axe, title) → first row
        self.fiche_rows: list[tuple[_Row, dict[str, Any]]] = []
        self.fdr: dict[str, Any] = {}

    def problem(self, code: str, message: str, row: int | None, key: str | None,
                severity: Severity = "erreur") -> None:
        self.plan.problems.append(Problem(code, message, severity, sheet=self.plan.sheet, row=row,
                                          column=letter(key) if key else None))

    # ---- axes and objectifs: numbered as the plan numbers them, else given the next free number ----

    def axes_and_objectifs(self, rows: list[_Row]) -> None:
        for row in rows:
            if row.text("sous_action"):
                continue
            axe, sous_axe = row.text("axe"), row.text("sous_axe")
            if axe is None and sous_axe is not None:
                self.problem("referentiel-valeur-obligatoire",
                             f"Le sous-axe {quote(sous_axe)} n'a pas d'axe : écrivez l'axe de cette action en A.",
                             row.row, "axe")
                continue
            if axe not in self.axes:
                self.axes[axe] = {"_row": row.row, "_text": axe}
            if (axe, sous_axe) not in self.objectifs:
                self.objectifs[(axe, sous_axe)] = {"_row": row.row, "_text": sous_axe, "_axe": axe}
        self._number_axes()
        self._number_objectifs()

    def _number_axes(self) -> None:
        used: set[int] = set()
        pending = []
        for text, record in self.axes.items():
            number, label = numbered(text) if text is not None else (None, SANS_AXE)
            record["libelle"] = label
            if number is not None and number.isdigit() and int(number) not in used:
                record["code"] = int(number)
                used.add(int(number))
            else:
                pending.append((text, record))
        for text, record in pending:
            record["code"] = max(used, default=0) + 1
            used.add(record["code"])
            if text is None:
                self.problem("referentiel-tet-sans-axe",
                             f"Des actions n'ont pas d'axe (colonne A vide) : elles sont rattachées à un axe "
                             f"n°{record['code']} « {SANS_AXE} ». Donnez-leur un axe dans le plan pour les classer.",
                             record["_row"], "axe", "avertissement")
            else:
                self._numbered_said(record, "L'axe", f"n°{record['code']}", "axe")

    def _number_objectifs(self) -> None:
        used: set[str] = set()
        pending = []
        for (axe, text), record in self.objectifs.items():
            code = self.axes[axe]["code"]
            number, label = numbered(text) if text is not None else (None, self.axes[axe]["libelle"])
            record["axe"], record["libelle"] = code, label
            parts = number.split(".") if number else []
            if len(parts) == 1 or (len(parts) == 2 and parts[0] == str(code)):
                candidate = f"{code}.{parts[-1]}"
                if candidate not in used:
                    record["code"] = candidate
                    used.add(candidate)
                    continue
            pending.append((text, record))
        for text, record in pending:
            axe_code = record["axe"]
            k = 1 + max((int(c.split(".")[1]) for c in used if c.split(".")[0] == str(axe_code)), default=0)
            record["code"] = f"{axe_code}.{k}"
            used.add(record["code"])
            if text is None:
                record["note"] = (f"{_SOURCE_NOTE} : pas de sous-axe, objectif créé pour les actions rattachées "
                                  "directement à l'axe")
            else:
                record["note"] = f"{_SOURCE_NOTE} : non numéroté, code attribué"
                self._numbered_said(record, "Le sous-axe", record["code"], "sous_axe")

    def _numbered_said(self, record: dict[str, Any], what: str, given: str, key: str) -> None:
        self.problem("referentiel-tet-numero-attribue",
                     f"{what} {quote(record['_text'])} n'a pas de numéro en tête (« 1. … », « 1.2 … »), ou un numéro "
                     f"déjà pris : il reçoit le numéro {given}. Numérotez-le dans le plan pour choisir.",
                     record["_row"], key, "avertissement")

    # ---- actions: one fiche each, with its porteurs, partenaires and moyens ----

    def action(self, row: _Row) -> None:
        titre, sous_action = row.text("titre"), row.text("sous_action")
        if sous_action is not None:
            self.problem("referentiel-tet-sous-action",
                         f"La sous-action {quote(sous_action)} (de l'action {quote(titre or '')}) n'est pas reprise : "
                         "une fiche du référentiel n'a pas de sous-actions. Décrivez-la dans le descriptif de son "
                         "action si elle doit y figurer.", row.row, "sous_action", "avertissement")
            return
        if titre is None:
            self.problem("referentiel-valeur-obligatoire",
                         "Cette action n'a pas de titre : écrivez-le en D (Territoires en Transitions la refuserait "
                         "aussi).", row.row, "titre")
            return
        axe, sous_axe = row.text("axe"), row.text("sous_axe")
        if (axe, sous_axe) not in self.objectifs:
            return  # a sous-axe without an axe, said by axes_and_objectifs
        key = (axe, sous_axe, row.text("sous_sous_axe"), titre)
        if key in self.actions:
            self.problem("referentiel-tet-action-en-double",
                         f"L'action {quote(titre)} est déjà ligne {self.actions[key]}, dans les mêmes axes : "
                         "Territoires en Transitions refuse deux actions du même titre dans un axe. Gardez une seule "
                         "ligne, ou changez l'un des titres.", row.row, "titre")
            return
        self.actions[key] = row.row
        fiche = {"_row": row.row, "_titre": titre, "objectif": self.objectifs[(axe, sous_axe)]["code"],
                 "description": row.text("descriptif"), "enjeux": row.text("objectifs")}
        self.fiche_rows.append((row, fiche))

    def _number_fiches(self) -> None:
        pending = []
        for _row, fiche in self.fiche_rows:
            number, label = numbered(fiche["_titre"])
            if number is not None and number.isdigit() and int(number) not in self.numbers:
                fiche["numero"], fiche["intitule"] = int(number), label
                self.numbers[int(number)] = fiche["_titre"]
            else:
                fiche["intitule"] = fiche["_titre"] if number is None or not number.isdigit() else label
                pending.append(fiche)
        for fiche in pending:
            fiche["numero"] = max(self.numbers, default=0) + 1
            self.numbers[fiche["numero"]] = fiche["_titre"]
            self.problem("referentiel-tet-numero-attribue",
                         f"L'action {quote(fiche['_titre'])} n'a pas de numéro en tête (« 12. Titre »), ou un "
                         f"numéro déjà pris : elle devient la fiche n°{fiche['numero']}. Numérotez-la dans le plan "
                         "pour choisir.", fiche["_row"], "titre", "avertissement")

    def _structure(self, name: str, row: int) -> str:
        """The structure's name as first written in the plan; TeT's own spelling rule (case, spaces, accents aside:
        the same structure) makes a later spelling one of its variantes."""
        key = normalise_choice(name)
        record = self.structures.get(key)
        if record is None:
            folded = _folded(name)
            record = next((r for r in self.structures.values() if _folded(r["nom"]) == folded), None)
            if record is None:
                record = self.structures[key] = {"_row": row, "nom": name, "variantes": None, "type": None}
            else:
                record["variantes"] = "; ".join(filter(None, [record["variantes"], name]))
                self.structures[key] = record
        return str(record["nom"])

    def links(self, row: _Row, numero: int) -> None:
        """The action's porteurs, partenaires, moyens and dates; the cells the référentiel cannot hold, said."""
        porteurs = [self._structure(n, row.row) for n in split_list(row.text("structures") or "")]
        for name in dict.fromkeys(porteurs):
            self.porteurs.append({"_row": row.row, "fiche": numero, "structure": name, "niveau": None,
                                  "role": "porteur" if len(set(porteurs)) == 1 else "co-porteur",
                                  "source": row.text("structures")})
        for name in dict.fromkeys(self._structure(n, row.row) for n in split_list(row.text("partenaires") or "")):
            self.partenaires.append({"_row": row.row, "fiche": numero, "structure": name, "precision": None,
                                     "source": row.text("partenaires")})
        self._moyens(row, numero)
        self._dates(row)
        for key, why in NOT_MAPPED.items():
            if row.text(key) is not None:
                self.problem("referentiel-tet-non-repris",
                             f"La colonne « {HEADERS[POSITION[key] - 1]} » n'est pas reprise : {why}.", row.row, key,
                             "avertissement")

    def _moyens(self, row: _Row, numero: int) -> None:
        def line(rubrique: str, nature: str, libelle: str, source: str, note: str, *, montant: float | None = None,
                 structure: str | None = None) -> None:
            self.moyens.append({
                "_row": row.row, "fiche": numero, "rubrique": rubrique, "nature": nature, "structure": structure,
                "attribution": "explicite" if structure else None, "libelle": libelle,
                "quantifie": montant is not None, "montant": montant, "unite": "EUR" if montant is not None else None,
                "periodicite": "non précisée" if montant is not None else None, "annee": None,
                "conditionnel": False, "partage": False, "source": source, "note": f"{_SOURCE_NOTE} : {note}"})

        if row.text("moyens"):
            line("RH", "autre", HEADERS[POSITION["moyens"] - 1], str(row.text("moyens")), "texte libre, non chiffré")
        if row.text("financements"):
            line("BUDGET", "produit", "Financements", str(row.text("financements")), "texte libre, non chiffré")
        for k in range(1, FINANCEURS + 1):
            name, amount = row.text(f"financeur_{k}"), self._amount(row, f"montant_{k}")
            if name and amount is not None:
                line("BUDGET", "produit", f"Financeur {k}", f"{name} : {euros(amount)} HT",
                     "financeur et montant hors taxes, sans année", montant=amount,
                     structure=self._structure(name, row.row))
            elif name or row.text(f"montant_{k}"):
                self.problem("referentiel-tet-financeur-incomplet",
                             f"Le financeur {k} a un nom sans montant, ou un montant sans nom : il n'est pas repris "
                             "(Territoires en Transitions l'ignore aussi). Donnez les deux, ou videz les deux.",
                             row.row, f"financeur_{k}" if name else f"montant_{k}", "avertissement")
        budget = self._amount(row, "budget")
        if budget is not None:
            line("INVESTISSEMENT", "investissement", HEADERS[POSITION["budget"] - 1],
                 f"Budget prévisionnel total : {euros(budget)} HT", "budget total de l'action, hors taxes, sans année",
                 montant=budget)

    def _amount(self, row: _Row, key: str) -> float | None:
        cell = row.cells.get(key)
        if cell is None or cell_text(cell) is None:
            return None
        value, problem = convert(cell, Column(HEADERS[POSITION[key] - 1], "nombre", example="124566"),
                                 sheet=self.plan.sheet, prefix=P, letter=letter(key))
        if problem is not None:
            self.plan.problems.append(problem)
            return None
        if value < 0:
            self.problem("referentiel-montant-negatif", "Un montant ne peut pas être négatif.", row.row, key)
            return None
        return float(value)

    def _dates(self, row: _Row) -> None:
        found: dict[str, date] = {}
        for key in ("debut", "fin"):
            cell = row.cells.get(key)
            if cell is None or cell_text(cell) is None:
                continue
            if cell.kind == "nombre":
                self.problem("referentiel-tet-date-nombre",
                             f"{quote(cell_text(cell))} est un nombre, pas une date : Territoires en Transitions le "
                             "lirait comme une date de 1970. Saisissez la date (JJ/MM/AAAA) dans une cellule au "
                             "format date.", row.row, key)
                continue
            value, problem = convert(cell, Column(HEADERS[POSITION[key] - 1], "date"), sheet=self.plan.sheet,
                                     prefix=P, letter=letter(key))
            if problem is not None:
                self.plan.problems.append(problem)
            elif value is not None:
                found[key] = value
        if "debut" in found and "fin" in found and found["debut"] > found["fin"]:
            self.problem("referentiel-tet-dates-inversees",
                         f"La date de fin ({found['fin']:%d/%m/%Y}) précède la date de début "
                         f"({found['debut']:%d/%m/%Y}) : Territoires en Transitions refuserait l'action. Corrigez "
                         "l'une des deux.", row.row, "fin")
            return
        self.dates += found.values()
        for key in found:
            self.problem("referentiel-tet-non-repris",
                         f"La colonne « {HEADERS[POSITION[key] - 1]} » n'est pas reprise pour la fiche : le "
                         "référentiel n'a pas de dates par fiche ; les dates du plan donnent seulement les années de "
                         "la feuille de route.", row.row, key, "avertissement")

    # ---- the roadmap itself: what the plan gives, what is assumed ----

    def roadmap(self, first_row: list[Cell]) -> None:
        self._number_fiches()
        for row, fiche in self.fiche_rows:
            self.links(row, fiche["numero"])
        a1 = next((cell_text(c) for c in first_row if c.col == 1), None)
        titre = a1 if a1 and a1.lower() not in _GROUP_HEADINGS else None
        if titre is None:
            self._assumed(f"Le titre du plan n'est pas dans le fichier (cellule A1) : « {TITRE_DEFAUT} » est pris. "
                          "Écrivez le titre du plan en A1 pour le garder.", 1)
        self._assumed(f"Le plan ne dit pas son territoire : « {NON_PRECISE} » est enregistré.", None)
        counted = Counter(p["structure"] for p in self.porteurs)
        coordinatrice = max(counted, key=lambda name: counted[name]) if counted else NON_PRECISE
        self._assumed(f"Le plan ne dit pas quelle structure le coordonne : {quote(coordinatrice)}, pilote du plus "
                      "grand nombre d'actions, est prise comme structure coordinatrice (page Charge RH)."
                      if counted else f"Aucune action n'a de structure pilote : la structure coordinatrice est "
                      f"« {NON_PRECISE} ».", None)
        if not self.dates:
            self.problem("referentiel-tet-sans-annees",
                         "Aucune action n'a de date de début ni de fin : les années de la feuille de route ne "
                         "peuvent pas être déduites du plan. Saisissez les dates (JJ/MM/AAAA) d'au moins une action.",
                         None, "debut")
        self.fdr = {"_row": 1, "titre": titre or TITRE_DEFAUT, "territoire": NON_PRECISE,
                    "structure_coordinatrice": coordinatrice,
                    "annee_debut": min(d.year for d in self.dates) if self.dates else None,
                    "annee_fin": max(d.year for d in self.dates) if self.dates else None, "version": None,
                    "source": f"Classeur d'import de plan Territoires en Transitions, feuille « {self.plan.sheet} »",
                    "adoptee_le": None}

    def _assumed(self, message: str, row: int | None) -> None:
        self.problem("referentiel-tet-suppose", message, row, "axe" if row else None, "avertissement")

    def tables(self) -> dict[str, Table]:
        sheet = self.plan.sheet
        fiches = [{"_row": f["_row"], "numero": f["numero"], "objectif": f["objectif"], "intitule": f["intitule"],
                   "description": f["description"], "enjeux": f["enjeux"]}
                  for _row, f in sorted(self.fiche_rows, key=lambda pair: pair[1]["numero"])]
        axes = sorted(({"_row": r["_row"], "code": r["code"], "libelle": r["libelle"]} for r in self.axes.values()),
                      key=lambda r: r["code"])
        objectifs = [{k: r.get(k) for k in ("_row", "code", "axe", "libelle", "note")}
                     for r in self.objectifs.values() if "code" in r]
        structures = list({id(r): r for r in self.structures.values()}.values())
        return {
            "feuille_de_route": Table(sheet, [self.fdr], {"titre": "A", "annee_debut": letter("debut"),
                                                          "annee_fin": letter("fin")}),
            "axes": Table(sheet, axes, {"code": letter("axe"), "libelle": letter("axe")}),
            "objectifs": Table(sheet, objectifs, {"code": letter("sous_axe"), "axe": letter("axe"),
                                                  "libelle": letter("sous_axe")}),
            "fiches": Table(sheet, fiches, {"numero": letter("titre"), "intitule": letter("titre"),
                                            "objectif": letter("sous_axe")}),
            "structures": Table(sheet, structures, {"nom": letter("structures")}),
            "porteurs": Table(sheet, self.porteurs, {"fiche": letter("titre"), "structure": letter("structures")}),
            "partenaires": Table(sheet, self.partenaires, {"fiche": letter("titre"),
                                                           "structure": letter("partenaires")}),
            "moyens": Table(sheet, self.moyens, {"fiche": letter("titre"), "montant": letter("budget")}),
            "indicateurs": Table(sheet, [], {}),
        }


def _folded(text: str) -> str:
    """A name as TeT compares tags: without accents or case, its spaces made one."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())
