"""The sheet « Dépenses » of the quarterly workbook: what each porteur engaged and paid on its fiches over the
quarter (fonctionnement, investissement), the ETP it really mobilised, and the financements it received.

Optional: a file without the sheet stays valid. Each row is checked like the other sheets' (numbers as the person
saw them, never negative, a fiche the row's porteur carries, a message per cell). One row per fiche, porteur,
quarter and nature gives the figures; further rows of the same fiche and nature name one more financeur each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import periodes
from ..problems import Problem, Problems, quote
from ..sheets import (
    RECALCULER,
    Column,
    ambiguous_number,
    cell_text,
    normalise_choice,
    number_shown,
    read_table,
)
from ..xlsx import Cell, Workbook

if TYPE_CHECKING:
    from .check import Context

P = "saisie-depenses"
DEPENSES_SHEET = "Dépenses"
NATURES = ("fonctionnement", "investissement")

DEPENSES_COLUMNS = [
    Column("fiche", "entier", mandatory=True, example="6"),
    Column("porteur", mandatory=True, example="Lot Numérique"),
    Column("periode", mandatory=True, example="2025-T3"),
    Column("nature", mandatory=True, choices=NATURES, example="investissement"),
    Column("montant_engage", "brut", example="12 500"),
    Column("montant_paye", "brut", example="8 000"),
    Column("etp_mobilises", "brut", example="0,5"),
    Column("financeur", required=False),
    Column("financement_recu", "brut", required=False, example="5 000"),
    Column("saisi_par", required=False),
]
# The figures a row may give: the fiche's own (one row per fiche, porteur, quarter and nature), or a financement.
FIGURES = {"montant_engage": "engage", "montant_paye": "paye", "etp_mobilises": "etp",
           "financement_recu": "finance"}
OWN_FIGURES = ("engage", "paye", "etp")
DEPENSES_FRAME_COLUMNS = ["fiche", "structure", "periode", "nature", "financeur", "engage", "paye", "etp", "finance",
                          "saisi_par", "ligne"]
MAX_TEXT = 2000

# What a quarter's row reports: an amount in euros, or staff in ETP.
_UNITS = {"engage": "€", "paye": "€", "finance": "€", "etp": "ETP"}
_WHAT = {"engage": "Le montant engagé", "paye": "Le montant payé", "finance": "Le financement reçu",
         "etp": "Le nombre d'ETP mobilisés"}

Report = Callable[[str, str, str], None]  # (code, column name, message)


def empty_depenses() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in DEPENSES_FRAME_COLUMNS})


def check_depenses(workbook: Workbook, ctx: Context, problems: Problems | list[Problem],
                   periode_of: Callable[[str | None, Callable[[str, str], None]], str | None]) -> pd.DataFrame:
    """The rows of the sheet « Dépenses » to write, every problem added to `problems`; none when the file has no
    such sheet. `periode_of(text, problem)` checks a quarter as the other sheets do (`check.check_periode`)."""
    if not workbook.find(DEPENSES_SHEET):
        return empty_depenses()
    table, found = read_table(workbook, DEPENSES_SHEET, DEPENSES_COLUMNS, prefix=P)
    problems.extend(found)
    if table is None:
        return empty_depenses()
    records: list[dict[str, Any]] = []
    own_rows: dict[tuple[Any, ...], int] = {}
    rows_seen: dict[tuple[Any, ...], int] = {}
    for record in table.records:
        if not any(record.get(c) is not None for c in (*FIGURES, "financeur")):
            continue  # the template lists every fiche and nature; a row left blank says nothing this quarter

        def problem(code: str, column: str, message: str, severity: str = "erreur") -> None:
            problems.append(Problem(f"{P}-{code}", message, severity=severity,  # type: ignore[arg-type]
                                    sheet=table.sheet, row=record["_row"],  # noqa: B023
                                    column=table.columns.get(column, column)))

        row = _check_row(record, ctx, problem, periode_of)
        if row is not None and _unique(row, record["_row"], own_rows, rows_seen, problem):
            records.append(row)
    return pd.DataFrame(records, columns=DEPENSES_FRAME_COLUMNS) if records else empty_depenses()


def _check_row(record: dict[str, Any], ctx: Context, problem: Report,
               periode_of: Callable[[str | None, Callable[[str, str], None]], str | None]) -> dict[str, Any] | None:
    """One row's figures, or None when a cell of it is refused (each said with its column)."""
    structure = _structure(record["fiche"], record["porteur"], ctx, problem)
    periode = periode_of(record["periode"], lambda code, message: problem(code, "periode", message))
    figures = {name: _quantity(record[column], name, problem, column) if record.get(column) is not None else None
               for column, name in FIGURES.items()}
    financeur = record.get("financeur")
    for column in ("financeur", "saisi_par"):
        if record.get(column) and len(record[column]) > MAX_TEXT:
            problem("texte-trop-long", column,
                   f"Le texte dépasse {MAX_TEXT} caractères ({len(record[column])}) : raccourcissez-le.")
    if financeur and record.get("financement_recu") is None:
        problem("financement-sans-montant", "financement_recu",
               f"Le financeur {quote(financeur)} est nommé sans montant : écrivez dans « financement_recu » ce qu'il "
               "a versé pendant le trimestre (en €), ou videz la case « financeur ».")
    if not financeur and record.get("financement_recu") is not None:
        problem("financement-sans-financeur", "financeur",
               "Un financement reçu est saisi sans son financeur : écrivez qui l'a versé dans « financeur ».")
    if structure is None or periode is None or record["nature"] is None or any(
            record.get(column) is not None and figures[name] is None for column, name in FIGURES.items()):
        return None
    return {"fiche": int(record["fiche"]), "structure": structure, "periode": periode, "nature": record["nature"],
            "financeur": financeur or "", **figures, "saisi_par": record.get("saisi_par"), "ligne": record["_row"]}


def _structure(fiche: int | None, porteur: str | None, ctx: Context, problem: Report) -> str | None:
    """The porteur as the référentiel names it, when it carries `fiche`; else None, the problem said."""
    if fiche is None or porteur is None:
        return None
    if fiche not in ctx.fiches:
        problem("fiche-inconnue", "fiche",
               f"La fiche n°{fiche} n'existe pas dans la feuille de route (fiches {min(ctx.fiches)} à "
               f"{max(ctx.fiches)}).")
        return None
    carriers = ctx.porteurs.get(fiche, [])
    key = normalise_choice(porteur)
    known = {normalise_choice(name): name for names in ctx.porteurs.values() for name in names}
    for name in carriers:
        if normalise_choice(name) == key:
            return name
    named = ", ".join(f"« {name} »" for name in carriers) or "aucun porteur"
    if key not in known:
        problem("porteur-inconnu", "porteur",
               f"{quote(porteur)} ne porte aucune fiche de la feuille de route : gardez le nom du porteur écrit par "
               f"le modèle (la fiche n°{fiche} est portée par {named}).")
    else:
        problem("fiche-non-portee", "fiche",
               f"La fiche n°{fiche} n'est pas portée par « {known[key]} » (elle l'est par {named}) : chaque porteur "
               "déclare les dépenses des fiches qu'il porte. Supprimez cette ligne, ou corrigez le numéro de fiche.")
    return None


def _quantity(cell: Cell, name: str, problem: Report, column: str) -> float | None:
    """An amount in euros or a number of ETP, as the person saw it: « 1 234,50 € », « 2,5 », « 0,5 ETP ». None
    when it cannot be read so, the problem said."""
    text = cell_text(cell)
    if cell.kind == "formule-sans-valeur":
        problem("formule-sans-valeur", column,
               "Cette cellule contient une formule dont le résultat n'est pas enregistré : ouvrez le fichier dans "
               "Excel ou LibreOffice et enregistrez-le, ou saisissez le nombre lui-même.")
        return None
    if cell.kind == "formule-a-recalculer":
        problem("formule-a-recalculer", column, RECALCULER)
        return None
    if cell.kind == "erreur":
        problem("erreur-excel", column, f"La cellule contient l'erreur Excel {cell.value} : saisissez un "
                                                "nombre.")
        return None
    unit = _UNITS[name]
    example = "1 234,50" if unit == "€" else "0,5"
    if cell.kind == "texte" and unit == "ETP" and text and text.casefold().endswith("etp"):
        cell = Cell(cell.row, cell.col, text[:-3].strip(), "texte")
    value, percent = number_shown(cell) if cell.kind != "booleen" else (None, False)
    if value is None:
        problem("nombre-invalide", column,
               f"{quote(text)} n'est pas un nombre. {_WHAT[name]} s'écrit en chiffres, en {unit} (par exemple "
               f"{example}) ; laissez la case vide s'il n'est pas connu.")
        return None
    if percent:
        problem("pourcentage-inattendu", column,
               f"{quote(text)} est un pourcentage : {_WHAT[name].lower()} s'écrit en {unit}, sans signe %. Si la "
               "cellule est au format pourcentage, remettez-la au format « Standard » avant de saisir.")
        return None
    ambiguous = ambiguous_number(text or "") if cell.kind == "texte" else None
    if ambiguous:
        whole, decimal = ambiguous.replace(".", ""), ambiguous.replace(".", ",")
        problem("nombre-ambigu", column,
               f"{quote(text)} peut se lire de deux façons : {whole} (point séparateur des milliers) ou {decimal} "
               f"(point décimal à l'anglaise). Écrivez {whole} ou {decimal}, selon ce que vous vouliez dire.")
        return None
    if value < 0:
        problem("montant-negatif", column,
               f"{quote(text)} : {_WHAT[name].lower()} ne peut pas être négatif. Écrivez ce qui a été "
               f"{'mobilisé' if unit == 'ETP' else 'engagé, payé ou reçu'} pendant le trimestre (0 s'il n'y a rien "
               "eu) ; une annulation ou un remboursement se dit dans le commentaire du suivi, pas par un montant "
               "négatif.")
        return None
    return value


def _unique(row: dict[str, Any], line: int, own_rows: dict[tuple[Any, ...], int],
            rows_seen: dict[tuple[Any, ...], int], problem: Report) -> bool:
    """Whether `row` is the only one of its key: the fiche's own figures once per fiche, porteur, quarter and
    nature, and each financeur once."""
    group = (row["fiche"], row["structure"], row["periode"], row["nature"])
    what = f"fiche n°{row['fiche']}, {row['structure']}, {row['nature']}, {periodes.label(row['periode'])}"
    key = (*group, row["financeur"].casefold())
    if key in rows_seen:
        named = f"le financeur « {row['financeur']} »" if row["financeur"] else "ses montants"
        problem("doublon", "financeur" if row["financeur"] else "fiche",
               f"La ligne {rows_seen[key]} donne déjà {named} ({what}) : gardez une seule ligne.")
        return False
    rows_seen[key] = line
    if any(row[name] is not None for name in OWN_FIGURES):
        if group in own_rows:
            problem("doublon", "montant_engage",
                   f"Les montants (engagé, payé) et les ETP ({what}) sont déjà donnés à la ligne {own_rows[group]} : "
                   "gardez-les sur une seule ligne ; une ligne de plus ne sert qu'à nommer un autre financeur "
                   "(colonnes « financeur » et « financement_recu »).")
            return False
        own_rows[group] = line
    return True
