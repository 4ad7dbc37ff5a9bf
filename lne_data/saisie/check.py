"""Checking a quarterly workbook whole: every problem with its sheet, row and column, and the entries and follow-up
it would write (`Validation`).

The contract of the workbook (sheet and column names) is documented in the README. A workbook is read
from its raw cells in a child process (`xlsx.read_workbook_isolated`), every problem is collected with its
sheet, row and column, and nothing is written unless there is no error at all.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from .. import periodes, sql
from ..problems import NO_REFERENTIEL, NotFound, Problem, Problems, excerpt, quote
from ..rules import LIVRABLE, METEOS
from ..sheets import (
    RECALCULER,
    Column,
    Table,
    ambiguous_number,
    cell_content,
    cell_text,
    normalise_choice,
    number_shown,
    percent_shown,
    read_table,
    shown_number,
)
from ..xlsx import Cell, Workbook, WorkbookRejected, read_workbook_isolated
from .depenses import DEPENSES_SHEET, check_depenses, empty_depenses

P = "saisie"
SHEET = "Saisie"
SUIVI_SHEET = "Suivi"
MAX_TEXT = 2000

STATUTS = ("à venir", "en cours", "réalisé", "en pause", "abandonné")

SAISIE_COLUMNS = [
    Column("fiche", "entier", mandatory=True, example="6"),
    Column("indicateur", mandatory=True, example="F06-I1"),
    Column("periode", mandatory=True, example="2025-T3"),
    Column("valeur", "brut", example="12"),
    Column("commentaire", required=False),
    Column("saisi_par", required=False),
]
SUIVI_COLUMNS = [
    Column("fiche", "entier", mandatory=True, example="6"),
    Column("periode", mandatory=True, example="2025-T3"),
    Column("statut", required=False, choices=STATUTS),
    Column("meteo", required=False, choices=METEOS),
    Column("resultats", required=False),
    Column("freins", required=False),
    Column("prochaines_etapes", required=False),
    Column("saisi_par", required=False),
]
SUIVI_TEXTS = ("statut", "meteo", "resultats", "freins", "prochaines_etapes")

ENTRY_COLUMNS = ["indicateur", "periode", "valeur", "valeur_texte", "commentaire", "saisi_par", "ligne"]
SUIVI_FRAME_COLUMNS = ["fiche", "periode", *SUIVI_TEXTS, "saisi_par", "ligne"]


# Units of a `nombre` that measure rather than count: money, percentages, staff and time, physical quantities.
# Any other unit (médiateurs, ateliers, foyers…) counts things, and 2,5 of them is questioned.
_MEASURES = re.compile(r"(€|k€|m€|eur|euros?|%|etp|h|heures?|jours?|journées?|demi-journées?|semaines?|mois|"
                       r"ans?|années?|km|m|m²|m2|kg|t|tonnes?|l|litres?|kwh|mwh|ko|mo|go|to)", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)
def _counts_things(unite: str | None) -> bool:
    if not unite or not unite.strip():
        return False
    return _MEASURES.fullmatch(unite.strip()) is None


@dataclass(frozen=True)
class Indicateur:
    code: str
    fiche: int
    libelle: str
    type: str
    unite: str | None

    @property
    def compte(self) -> bool:
        """A count of things (médiateurs formés): its values are whole numbers."""
        return self.type == "nombre" and _counts_things(self.unite)


@dataclass
class Context:
    """What a quarterly file is checked against: the référentiel in the database, and today's date."""

    indicateurs: dict[str, Indicateur]
    fiches: set[int]
    annee_debut: int
    annee_fin: int
    today: date = field(default_factory=periodes.today)
    # The fingerprint of the référentiel in force when the file was checked: an import writes only against it.
    referentiel: str | None = None
    # Each fiche's porteurs and co-porteurs, as the référentiel names them: whose dépenses a row may declare.
    porteurs: dict[int, list[str]] = field(default_factory=dict)


def in_force(con: duckdb.DuckDBPyConnection) -> str | None:
    """The fingerprint of the référentiel in force: what a check is tied to (`Context.referentiel`)."""
    cur = con.cursor()
    try:
        found = cur.execute(sql.REFERENTIEL_SHA).fetchall()
    finally:
        cur.close()
    return str(found[0][0]) if found else None


def load_context(con: duckdb.DuckDBPyConnection, today: date | None = None) -> Context:
    cur = con.cursor()
    try:
        fdr = cur.execute(sql.ANNEES).fetchone()
        if fdr is None:
            raise NotFound(NO_REFERENTIEL)
        indicateurs = {
            code: Indicateur(code, fiche, libelle, type_, unite)
            for code, fiche, _, libelle, type_, unite, *_ in cur.execute(sql.INDICATEURS).fetchall()
        }
        fiches = {row[0] for row in cur.execute(sql.FICHES).fetchall()}
        porteurs: dict[int, list[str]] = {}
        for fiche, structure, *_ in cur.execute(sql.PORTEURS).fetchall():
            porteurs.setdefault(int(fiche), []).append(str(structure))
        referentiel = in_force(cur)
    finally:
        cur.close()
    return Context(indicateurs, fiches, fdr[0], fdr[1], today or periodes.today(), referentiel, porteurs)


@dataclass
class Validation:
    """The outcome of checking one file: its problems, and (when there is no error) what it would write."""

    fichier: str
    sha256: str
    problems: list[Problem]
    entries: pd.DataFrame
    suivi: pd.DataFrame
    ignored_rows: int = 0
    # The référentiel it was checked against (`Context.referentiel`); None only for the examples written at install.
    referentiel: str | None = None
    # The rows of the sheet « Dépenses » (`depenses.DEPENSES_FRAME_COLUMNS`); empty when the file has none.
    depenses: pd.DataFrame = field(default_factory=empty_depenses)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


def check_file(data: bytes, fichier: str, ctx: Context) -> Validation:
    """Check a quarterly workbook from its bytes; never raises for bad content, returns the problems."""
    sha = hashlib.sha256(data).hexdigest()
    try:
        workbook = read_workbook_isolated(data, wanted_sheets={SHEET, SUIVI_SHEET, DEPENSES_SHEET})
    except WorkbookRejected as exc:
        return Validation(fichier, sha, exc.problems, _empty(ENTRY_COLUMNS), _empty(SUIVI_FRAME_COLUMNS),
                          referentiel=ctx.referentiel)
    return check_workbook(workbook, fichier, sha, ctx)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


VALEURS_CACHE = 4096


def check_workbook(workbook: Workbook, fichier: str, sha256: str, ctx: Context) -> Validation:
    # Grouped as found (see `Problems`): whatever the file, the list stays short and each message short.
    problems = Problems()
    table, found = read_table(workbook, SHEET, SAISIE_COLUMNS, prefix=P)
    problems.extend(found)
    # One list per column rather than one dict per entry: cheaper to fill and to turn into a frame.
    entries: dict[str, list[Any]] = {column: [] for column in ENTRY_COLUMNS}
    sheet = table.sheet if table is not None else SHEET  # its real name: « SAISIE » is found for « Saisie »
    ignored = _check_rows(table, sheet, ctx, problems, entries) if table is not None else 0
    suivi = check_suivi(workbook, ctx, problems)
    depenses = check_depenses(workbook, ctx, problems, lambda text, report: check_periode(text, ctx, report))
    # A file may report only the fiches' statut and météo (sheet Suivi) or their dépenses: an empty Saisie sheet is
    # then fine.
    # A sheet Dépenses refused cell by cell still said something: its problems are the ones to fix.
    depenses_said = not depenses.empty or any(p.code.startswith("saisie-depenses-") for p in problems)
    if table is not None and suivi.empty and not depenses_said:
        if table.records and not entries["ligne"] and not any(p.is_error for p in problems):
            problems.append(Problem(f"{P}-aucune-valeur",
                                    f"Aucune valeur n'est saisie dans la feuille « {sheet} » : remplissez la colonne "
                                    "« valeur » des indicateurs à déclarer, ou le statut et la météo des fiches "
                                    "dans la feuille « Suivi ».", sheet=sheet))
        if not table.records:
            problems.append(Problem(f"{P}-aucune-ligne",
                                    f"La feuille « {sheet} » n'a aucune ligne sous l'en-tête : repartez du modèle "
                                    "trimestriel, qui liste les indicateurs.", sheet=sheet, row=2))
    found = list(problems)
    # A refused file is never previewed nor imported: no frame of its entries, which would copy every text of every
    # row (pandas 3 stores strings in Arrow buffers: a 50 000-character text filled down 100 000 rows is 5 GB).
    refused = any(p.is_error for p in found)
    entries_frame = pd.DataFrame(entries, columns=ENTRY_COLUMNS) if entries["ligne"] and not refused \
        else _empty(ENTRY_COLUMNS)
    if refused:
        suivi, depenses = _empty(SUIVI_FRAME_COLUMNS), empty_depenses()
    return Validation(fichier, sha256, found, entries_frame, suivi, ignored, ctx.referentiel, depenses)


def _check_rows(table: Table, sheet: str, ctx: Context, problems: Problems, entries: dict[str, list[Any]]) -> int:
    """Check every row of the Saisie sheet, adding its entry to `entries` (one list per column); the number of
    rows ignored (no value)."""
    ignored = 0
    seen: dict[tuple[str, str], int] = {}
    letters = table.columns
    # A file repeats the same few thousand codes and a handful of periods: each distinct one is checked once,
    # and the problems it raised (their wording never depends on the row) are reported again on every row.
    indicateurs_vus: dict[Any, tuple[Any, list[tuple[Any, ...]]]] = {}
    periodes_vues: dict[Any, tuple[Any, list[tuple[Any, ...]]]] = {}
    # Same for values, up to a bound: a text filled down the column is parsed once, not once per row.
    valeurs_vues: dict[Any, tuple[Any, list[tuple[Any, ...]]]] = {}
    for record in table.records:
        row = record["_row"]

        # `problem` is only called during this iteration (hence noqa B023): `row` is this record's row.
        def problem(code: str, column: str, message: str, severity: str = "erreur") -> None:
            problems.append(
                Problem(f"{P}-{code}", message, severity=severity, sheet=sheet, row=row,  # type: ignore[arg-type]  # noqa: B023
                        column=letters.get(column, column))
            )

        cell: Cell | None = record["valeur"]
        if cell is None:
            if record.get("commentaire"):
                problem("valeur-vide", "valeur",
                        "Un commentaire est saisi sans valeur : la ligne est ignorée. Saisissez la valeur "
                        "ou videz le commentaire.", "avertissement")
            ignored += 1
            continue
        indicateur, said = _once(indicateurs_vus, (record["fiche"], record["indicateur"]),
                                 functools.partial(check_indicateur, record, ctx))
        for args in said:
            problem(*args)
        periode, said = _once(periodes_vues, record["periode"],
                              functools.partial(_check_periode_said, record["periode"], ctx))
        for args in said:
            problem(*args)
        (valeur, texte), said = _once(valeurs_vues, (indicateur.code if indicateur else None, *cell_content(cell)),
                                      functools.partial(_check_valeur_said, cell, indicateur), bound=VALEURS_CACHE)
        for args in said:
            problem(*args)
        for column in ("commentaire", "saisi_par"):
            if record.get(column) and len(record[column]) > MAX_TEXT:
                problem("texte-trop-long", column,
                        f"Le texte dépasse {MAX_TEXT} caractères ({len(record[column])}) : raccourcissez-le.")
        if indicateur and periode:
            key = (indicateur.code, periode)
            if key in seen:
                problem("doublon", "indicateur",
                        f"L'indicateur {indicateur.code} a déjà une valeur pour {periodes.label(periode)} à la "
                        f"ligne {seen[key]} : gardez une seule ligne par indicateur et par trimestre.")
            else:
                seen[key] = row
            entries["indicateur"].append(indicateur.code)
            entries["periode"].append(periode)
            entries["valeur"].append(valeur)
            entries["valeur_texte"].append(texte)
            entries["commentaire"].append(record.get("commentaire"))
            entries["saisi_par"].append(record.get("saisi_par"))
            entries["ligne"].append(row)
    return ignored


def _once(cache: dict[Any, tuple[Any, list[tuple[Any, ...]]]], key: Any, check: Any,
          bound: int | None = None) -> tuple[Any, list[tuple[Any, ...]]]:
    """`check(report)` computed once per `key` (up to `bound` keys), with the problems it reported through
    `report`: their wording never depends on the row, so each is said again on every row with that key."""
    known = cache.get(key)
    if known is None:
        calls: list[tuple[Any, ...]] = []
        known = (check(lambda *args: calls.append(args)), calls)
        if bound is None or len(cache) < bound:
            cache[key] = known
    return known


def _check_periode_said(periode: Any, ctx: Context, report: Any) -> str | None:
    return check_periode(periode, ctx, lambda code, message: report(code, "periode", message))


def _check_valeur_said(cell: Cell, indicateur: Indicateur | None, report: Any) -> tuple[float | None, str | None]:
    return check_valeur(cell, indicateur, lambda code, message, severity="erreur":
                        report(code, "valeur", message, severity))


def canonical_code(text: str) -> str:
    """`f6-i1` or `F6-I1` is what the user meant by `F06-I1`."""
    match = re.fullmatch(r"F0*(\d+)\s*-\s*I(\d+)", text.strip(), re.IGNORECASE)
    return f"F{int(match[1]):02d}-I{int(match[2])}" if match else text.strip()


def check_indicateur(record: dict[str, Any], ctx: Context, problem: Any) -> Indicateur | None:
    fiche, code = record["fiche"], record["indicateur"]
    if fiche is not None and fiche not in ctx.fiches:
        problem("fiche-inconnue", "fiche",
                f"La fiche n°{fiche} n'existe pas dans la feuille de route (fiches {min(ctx.fiches)} à "
                f"{max(ctx.fiches)}).")
    if code is None:
        return None
    indicateur = ctx.indicateurs.get(canonical_code(code))
    if indicateur is None:
        problem("indicateur-inconnu", "indicateur",
                f"L'indicateur {quote(code)} n'existe pas. Utilisez un code de la liste du modèle (par exemple "
                f"{next(iter(ctx.indicateurs), 'F01-I1')}).")
        return None
    if fiche is not None and fiche in ctx.fiches and indicateur.fiche != fiche:
        problem("indicateur-hors-fiche", "indicateur",
                f"L'indicateur {indicateur.code} appartient à la fiche n°{indicateur.fiche}, pas à la fiche "
                f"n°{fiche} : corrigez le numéro de fiche ou le code.")
        return None
    return indicateur


def check_periode(text: str | None, ctx: Context, problem: Any) -> str | None:
    if text is None:
        return None
    periode = periodes.parse(text)
    if periode is None:
        problem("periode-invalide", f"{quote(text)} n'est pas une période : écrivez l'année puis le trimestre, "
                                    "par exemple 2025-T3.")
        return None
    if not ctx.annee_debut <= periodes.annee(periode) <= ctx.annee_fin:
        problem("periode-hors-feuille-de-route",
                f"{periodes.label(periode)} est en dehors de la feuille de route ({ctx.annee_debut}-"
                f"{ctx.annee_fin}).")
        return None
    if periodes.start(periode) > ctx.today:
        current = periodes.label(periodes.of_date(ctx.today))
        problem("periode-future", f"{periodes.label(periode)} n'a pas encore commencé : on ne déclare que des "
                                  f"trimestres en cours ou passés (aujourd'hui : {current}).")
        return None
    return periode


def check_valeur(cell: Cell, indicateur: Indicateur | None, problem: Any) -> tuple[float | None, str | None]:
    """The number (and/or text) an entry stores, according to the kind of its indicator.

    What is stored is what the person saw: « 45 % » (typed, or 0.45 in a percent-formatted cell) is 45 on a
    rate in %; a reading that could be wrong (a percentage on a count, « 1.234 », 2,5 médiateurs) is questioned.
    """
    if indicateur is not None and cell.kind == "nombre" and type(cell.value) is float:
        # The common case, settled without building the cell's text: a finite, non-negative number for a count
        # (whole, if it counts things), or for a rate that raises no warning (what the checks below would return
        # for it, unchanged).
        number = cell.value
        if 0 <= number < math.inf and (
                (indicateur.type == "nombre" and (number.is_integer() or not indicateur.compte))
                or (indicateur.type == "ratio" and (
                    indicateur.unite != "%" or number == 0 or 1 < number <= 100))):
            return number, None
    text = cell_text(cell)
    if cell.kind == "formule-sans-valeur":
        problem("formule-sans-valeur",
                "La valeur est une formule dont le résultat n'est pas enregistré : ouvrez le fichier dans Excel ou "
                "LibreOffice et enregistrez-le, ou saisissez la valeur elle-même.")
        return None, None
    if cell.kind == "formule-a-recalculer":
        problem("formule-a-recalculer", RECALCULER)
        return None, None
    if cell.kind == "erreur":
        problem("erreur-excel", f"La cellule contient l'erreur Excel {cell.value} : saisissez un nombre.")
        return None, None
    if indicateur is None:
        return None, None
    if indicateur.type == "qualitatif":
        if text and len(text) > MAX_TEXT:
            problem("texte-trop-long", f"Le texte dépasse {MAX_TEXT} caractères : raccourcissez-le.")
        return None, text
    if indicateur.type == "livrable":
        key = normalise_choice(text or "")
        if key not in LIVRABLE:
            problem("livrable-invalide",
                    f"{quote(text)} : pour un livrable, écrivez « non commencé », « en cours » ou « réalisé ».")
            return None, None
        label = next(k for k in LIVRABLE if k == key)
        return LIVRABLE[label], label
    if cell.kind == "booleen":
        problem("nombre-invalide", f"{quote(text)} (VRAI/FAUX) n'est pas un nombre : saisissez un nombre.")
        return None, None
    return _check_number(cell, text, indicateur, problem), None


def _check_number(cell: Cell, text: str | None, indicateur: Indicateur, problem: Any) -> float | None:
    """A count's or a rate's number as the person saw it, or None with the problem said."""
    value, percent = number_shown(cell)
    if value is None:
        problem("nombre-invalide",
                f"{quote(text)} n'est pas un nombre. Saisissez un nombre, par exemple 12 ou 1 234,5 ; laissez la "
                "cellule vide si la valeur n'est pas connue.")
        return None
    if value < 0:
        problem("valeur-negative", f"{excerpt(text)} : un {('taux' if indicateur.type == 'ratio' else 'nombre')} "
                                   "ne peut pas être négatif.")
        return None
    in_percent = indicateur.unite == "%"
    if percent and not in_percent:
        # 45 % of a count is neither 45 nor 0.45 of it: any number stored would be a guess.
        unit = f"en {indicateur.unite}" if indicateur.unite else "sans unité"
        problem("pourcentage-inattendu",
                f"{quote(text)} est un pourcentage, mais l'indicateur {indicateur.code} s'exprime {unit}, pas en % : "
                "saisissez la valeur elle-même, sans signe %. Si la cellule est au format pourcentage, remettez-la "
                "au format « Standard » (clic droit > Format de cellule > Nombre) avant de saisir.")
        return None
    ambiguous = ambiguous_number(text or "") if cell.kind == "texte" else None
    if ambiguous:
        whole, decimal = ambiguous.replace(".", ""), ambiguous.replace(".", ",")
        problem("nombre-ambigu",
                f"{quote(text)} peut se lire de deux façons : {whole} (point séparateur des milliers) ou {decimal} "
                f"(point décimal à l'anglaise). Écrivez {whole} ou {decimal}, selon ce que vous vouliez dire.")
        return None
    if indicateur.compte and not value.is_integer():
        problem("nombre-non-entier",
                f"{shown_number(value)} {indicateur.unite} : l'indicateur {indicateur.code} compte des "
                f"{indicateur.unite}, un nombre entier est attendu. La valeur sera enregistrée telle quelle ; "
                "corrigez-la si ce n'est pas ce que vous vouliez dire.", "avertissement")
    if indicateur.type == "ratio" and in_percent and 0 < value <= 1 and cell.kind == "nombre":
        meant = shown_number(percent_shown(value))
        problem("pourcentage-douteux",
                f"{shown_number(value)} % semble très faible : si vous vouliez dire {meant} %, saisissez {meant} "
                f"(ou {meant} %).", "avertissement")
    if indicateur.type == "ratio" and in_percent and value > 100:
        problem("pourcentage-superieur-100", f"{shown_number(value)} % dépasse 100 % : vérifiez la valeur.",
                "avertissement")
    return value


def check_suivi(workbook: Workbook, ctx: Context, problems: Problems | list[Problem]) -> pd.DataFrame:
    if not workbook.find(SUIVI_SHEET):
        return _empty(SUIVI_FRAME_COLUMNS)
    table, found = read_table(workbook, SUIVI_SHEET, SUIVI_COLUMNS, prefix=f"{P}-suivi")
    problems.extend(found)
    if table is None:
        return _empty(SUIVI_FRAME_COLUMNS)
    records = []
    seen: dict[tuple[int, str], int] = {}
    for record in table.records:
        row = record["_row"]
        if not any(record.get(c) for c in SUIVI_TEXTS):
            continue  # the template lists every fiche; a fiche left blank says nothing this quarter

        def problem(code: str, message: str, column: str) -> None:  # called during this iteration only
            problems.append(Problem(f"{P}-suivi-{code}", message, sheet=table.sheet, row=row,  # noqa: B023
                                    column=table.columns.get(column, column)))

        fiche = record["fiche"]
        if fiche is not None and fiche not in ctx.fiches:
            problem("fiche-inconnue", f"La fiche n°{fiche} n'existe pas dans la feuille de route.", "fiche")
            continue
        periode = check_periode(record["periode"], ctx, lambda c, m: problem(c, m, "periode"))
        for column in (*SUIVI_TEXTS, "saisi_par"):
            if record.get(column) and len(record[column]) > MAX_TEXT:
                problem("texte-trop-long", f"Le texte dépasse {MAX_TEXT} caractères : raccourcissez-le.", column)
        if fiche is None or periode is None:
            continue
        if (fiche, periode) in seen:
            problem("doublon", f"La fiche n°{fiche} a déjà un suivi pour {periodes.label(periode)} à la ligne "
                               f"{seen[(fiche, periode)]} : gardez une seule ligne.", "fiche")
            continue
        seen[(fiche, periode)] = row
        records.append({**{c: record.get(c) for c in SUIVI_FRAME_COLUMNS if c != "ligne"}, "periode": periode,
                        "ligne": row})
    return pd.DataFrame(records, columns=SUIVI_FRAME_COLUMNS) if records else _empty(SUIVI_FRAME_COLUMNS)


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table: what the upload page shows and the CLI prints, in the order of the file. A grouped
    problem is one line whose « Ligne » lists its first rows and counts the others. The message (what to fix) comes
    before the code, which is for whoever gives support, not for the person correcting the file."""
    ordered = sorted(problems, key=lambda p: (p.sheet or "", p.row or 0, p.column or ""))
    return pd.DataFrame(
        [{"Gravité": p.severity, "Feuille": p.sheet or "", "Ligne": p.rows_text(),
          "Colonne": p.column or "", "Message": p.message, "Code": p.code} for p in ordered],
        columns=["Gravité", "Feuille", "Ligne", "Colonne", "Message", "Code"],
    )

