"""The quarterly template: the file the coordinatrice sends to each porteur, and gets back filled in.

One row per indicator, keys pre-filled and locked, drop-down lists where the answer is a choice, the
indicator's label, unit, target and last value beside it for reference (the importer ignores those
columns), a `Suivi` sheet for the fiche's status and weather, and French instructions first.
"""

from __future__ import annotations

from copy import copy
from io import BytesIO
from typing import Any, BinaryIO

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from . import periodes, rules, views
from .exports import set_text
from .problems import NotFound, quote
from .saisie import (
    DEPENSES_COLUMNS,
    DEPENSES_SHEET,
    LIVRABLE,
    METEOS,
    NATURES,
    SHEET,
    STATUTS,
    SUIVI_COLUMNS,
    SUIVI_SHEET,
)

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
REFERENCE_FILL = PatternFill("solid", fgColor="EDEDED")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")

# The Saisie sheet, left to right: the keys (locked), then what the porteur reads and writes side by side — the
# label just before the value cell, the unit and the mode (flux or stock) just after it — then the free columns and
# the references. The importer reads columns by their heading: their order is for the reader.
HEADERS = ["fiche", "indicateur", "periode", "libelle_indicateur", "valeur", "unite", "mode", "commentaire",
           "saisi_par", "type", "cible", "derniere_valeur", "derniere_periode"]
INPUT_COLUMNS = ("valeur", "commentaire", "saisi_par")
MODE_WORDS = {"flux": "flux : ce qui s'est passé pendant le trimestre",
              "stock": "stock : le niveau atteint à la fin du trimestre"}
# The sheet Dépenses: what the porteur types (yellow), the keys before (grey, locked), the fiche's title after.
DEPENSES_INPUTS = ("montant_engage", "montant_paye", "etp_mobilises", "financeur", "financement_recu", "saisi_par")
DEPENSES_AMOUNTS = ("montant_engage", "montant_paye", "financement_recu")
# Unlocked rows left blank under the fiches', for a second financeur of a fiche (its keys typed by the porteur).
DEPENSES_FREE_ROWS = 6
# Printed: landscape, as wide as the page, a new page every ROWS_PER_PAGE rows with the heading repeated.
ROWS_PER_PAGE = 30


def fiches_of(con: duckdb.DuckDBPyConnection, porteur: str | None) -> list[int]:
    fiches = views.fiches_table(con)["numero"].astype(int).tolist()
    if porteur is None:
        return fiches
    porteurs = views.porteurs_table(con)
    matched = porteurs[porteurs["structure"].str.casefold() == porteur.strip().casefold()]
    if matched.empty:
        known = ", ".join(sorted(porteurs["structure"].unique()))
        raise NotFound(f"{quote(porteur)} ne porte aucune fiche. Porteurs connus : {known}.")
    return sorted(int(n) for n in matched["fiche"].unique())


def build_template(
    con: duckdb.DuckDBPyConnection, periode: str, out: BinaryIO, *, porteur: str | None = None
) -> int:
    """Write the template for `periode` (`2026-T1`) to `out`; return the number of indicator rows."""
    parsed = periodes.parse(periode)
    if parsed is None:
        raise ValueError(f"{quote(periode)} n'est pas une période : écrivez par exemple 2026-T1.")
    fiches = set(fiches_of(con, porteur))
    fdr = views.feuille_de_route_table(con).iloc[0]
    indicateurs = views.indicateurs_table(con)
    indicateurs = indicateurs[indicateurs["fiche"].isin(fiches)]
    latest = views.latest_values(con, parsed).set_index("indicateur")
    fiche_titles = views.fiches_table(con).set_index("numero")["intitule"]

    wb = Workbook()
    _instructions_sheet(wb, fdr, parsed, porteur)
    sheet, livrable_rows = _saisie_sheet(wb, indicateurs, latest, parsed)
    _lists_sheet(wb, sheet, livrable_rows)
    suivi = _suivi_sheet(wb, fiches, fiche_titles, parsed)
    depenses = _depenses_sheet(wb, _carriers(con, fiches, porteur), fiche_titles, parsed)

    # Protection without a password: it prevents slips on the keys, not a determined user (the importer
    # checks everything anyway).
    for ws in (sheet, suivi, depenses):
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
    buffer = BytesIO()
    wb.save(buffer)
    out.write(buffer.getvalue())
    return len(indicateurs)


def _instructions_sheet(wb: Workbook, fdr: pd.Series, parsed: str, porteur: str | None) -> None:
    """The first sheet: what to do, in the porteur's words."""
    instructions = wb.active
    instructions.title = "Instructions"
    lines = [
        f"Saisie trimestrielle — {fdr['titre']}",
        f"Trimestre : {periodes.label(parsed)}" + (f" — porteur : {porteur}" if porteur else ""),
        "",
        "Ce qu'il faut faire",
        "1. Ouvrez la feuille « Saisie » : une ligne par indicateur de vos fiches.",
        "2. Pour chaque ligne, lisez l'indicateur (colonne « libelle_indicateur »), puis écrivez sa valeur"
        " dans la case",
        "   jaune juste à droite (« valeur »), dans l'unité écrite à sa droite. Ne connaissez-vous pas la valeur ?",
        "   Laissez la case vide.",
        "3. Regardez la colonne « mode » :",
        "   - « flux » : écrivez ce qui s'est passé pendant ce trimestre seulement (le tableau de bord additionne) ;",
        "   - « stock » : écrivez le niveau atteint à la fin du trimestre.",
        "4. Écrivez les nombres simplement : 12 ou 1 234,5. Écrivez un pourcentage (12 %) seulement si l'unité est %.",
        "   Pas de formule, pas de « N/A », pas de « 1.234 » (on ne sait pas si c'est 1 234 ou 1,234).",
        f"5. Pour un livrable, choisissez dans la liste : {', '.join(f'« {k} »' for k in LIVRABLE)}.",
        "   Pour un indicateur qualitatif, écrivez une phrase.",
        "6. Vous pouvez ajouter un commentaire et votre nom (colonnes « commentaire » et « saisi_par »).",
        "7. Feuille « Suivi » (facultatif) : pour chaque fiche, son état et sa météo ce trimestre.",
        "   Feuille « Dépenses » (facultatif) : pour chaque fiche et chaque nature (fonctionnement, investissement),",
        "   le montant engagé et le montant payé pendant le trimestre (en €, par exemple 1 234,50), les ETP réellement",
        "   mobilisés (par exemple 0,5) et un financement reçu (financeur et montant). Jamais de montant négatif.",
        "   Un deuxième financeur ? Remplissez une ligne libre en bas : fiche, porteur, periode, nature, financeur",
        "   et financement_recu seulement (les montants engagé et payé restent sur la ligne de la fiche).",
        "8. Ne changez pas les cases grises : elles disent de quelle fiche, de quel indicateur et de quel trimestre il",
        "   s'agit. « derniere_valeur » rappelle la dernière vraie valeur reçue, pour comparer.",
        "9. Enregistrez au format Excel (.xlsx) et renvoyez le fichier. Si vous le renvoyez corrigé, la nouvelle",
        "   valeur remplace l'ancienne ; rien n'est compté deux fois.",
    ]
    for index, text in enumerate(lines, start=1):
        set_text(instructions.cell(row=index, column=1), text)
    instructions["A1"].font = Font(bold=True, size=14)
    instructions["A4"].font = Font(bold=True)
    instructions.column_dimensions["A"].width = 110
    _print_setup(instructions, fit_height=True)


def _saisie_sheet(wb: Workbook, indicateurs: pd.DataFrame, latest: pd.DataFrame,
                  parsed: str) -> tuple[Worksheet, list[int]]:
    """The Saisie sheet, one row per indicator; with the rows of the deliverables, which get a list of states."""
    sheet = wb.create_sheet(SHEET)
    headers = HEADERS
    column = {name: index for index, name in enumerate(headers)}
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
    last_values = {code: (periode, valeur, texte) for code, periode, valeur, texte in zip(
        latest.index, latest["periode"], latest["valeur"], latest["valeur_texte"])}
    models = _models(sheet, [
        {"protection": Protection(locked=name not in INPUT_COLUMNS),
         "fill": INPUT_FILL if name == "valeur" else (REFERENCE_FILL if name not in INPUT_COLUMNS else PatternFill()),
         "alignment": Alignment(wrap_text=name == "libelle_indicateur", vertical="top")}
        for name in headers
    ]) if len(indicateurs) else []
    livrable_rows: list[int] = []
    for row, ind in enumerate(indicateurs.itertuples(), start=2):
        cells = [sheet.cell(row=row, column=col) for col in range(1, len(headers) + 1)]
        cells[column["fiche"]].value = int(ind.fiche)
        set_text(cells[column["indicateur"]], ind.code)
        set_text(cells[column["periode"]], parsed)
        set_text(cells[column["libelle_indicateur"]], ind.libelle)
        set_text(cells[column["type"]], ind.type)
        set_text(cells[column["unite"]], ind.unite or "")
        set_text(cells[column["mode"]], MODE_WORDS.get(ind.mode, "") if ind.type in rules.CHIFFRABLES else "")
        if pd.notna(ind.cible):
            cells[column["cible"]].value = float(ind.cible)
        if ind.code in last_values:
            periode_avant, valeur, texte = last_values[ind.code]
            if pd.notna(texte):
                set_text(cells[column["derniere_valeur"]], texte)
            elif pd.notna(valeur):
                cells[column["derniere_valeur"]].value = float(valeur)
            set_text(cells[column["derniere_periode"]], periode_avant)
        for cell, model in zip(cells, models):
            cell._style = copy(model)
        if ind.type == "livrable":
            livrable_rows.append(row)
    widths = {"fiche": 6, "indicateur": 10, "periode": 9, "libelle_indicateur": 60, "valeur": 14, "unite": 14,
              "mode": 24, "commentaire": 30, "saisi_par": 16, "type": 10, "cible": 8, "derniere_valeur": 14,
              "derniere_periode": 14}
    for name, width in widths.items():
        sheet.column_dimensions[get_column_letter(column[name] + 1)].width = width
    sheet.freeze_panes = get_column_letter(column["libelle_indicateur"] + 1) + "2"
    _print_setup(sheet, rows=len(indicateurs))
    return sheet, livrable_rows


def _lists_sheet(wb: Workbook, sheet: Worksheet, livrable_rows: list[int]) -> None:
    """The hidden lists the drop-downs read (a deliverable's states, the statuses, the météo words)."""
    value_letter = get_column_letter(HEADERS.index("valeur") + 1)
    lists = wb.create_sheet("Listes")
    for index, value in enumerate(LIVRABLE, start=1):
        set_text(lists.cell(row=index, column=1), value)
    for index, value in enumerate(STATUTS, start=1):
        set_text(lists.cell(row=index, column=2), value)
    for index, value in enumerate(METEOS, start=1):
        set_text(lists.cell(row=index, column=3), value)
    for index, value in enumerate(NATURES, start=1):
        set_text(lists.cell(row=index, column=4), value)
    lists.sheet_state = "hidden"
    if livrable_rows:
        validation = DataValidation(type="list", formula1=f"=Listes!$A$1:$A${len(LIVRABLE)}", allow_blank=True)
        validation.error = "Choisissez un état dans la liste."
        sheet.add_data_validation(validation)
        # Given at once: adding cells one by one checks each against every cell already there.
        validation.sqref = MultiCellRange(" ".join(f"{value_letter}{row}" for row in livrable_rows))


def _suivi_sheet(wb: Workbook, fiches: set[int], fiche_titles: pd.Series, parsed: str) -> Worksheet:
    """The Suivi sheet, one row per fiche: its status and météo this quarter."""
    suivi = wb.create_sheet(SUIVI_SHEET)
    suivi.append([c.name for c in SUIVI_COLUMNS] + ["intitule"])
    for cell in suivi[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
    suivi_models = _models(suivi, [
        {"protection": Protection(locked=not 3 <= col <= len(SUIVI_COLUMNS)),
         "alignment": Alignment(wrap_text=col > 4, vertical="top")}
        for col in range(1, len(SUIVI_COLUMNS) + 2)
    ]) if fiches else []
    titles = dict(zip(fiche_titles.index, fiche_titles))
    for row, numero in enumerate(sorted(fiches), start=2):
        cells = [suivi.cell(row=row, column=col) for col in range(1, len(SUIVI_COLUMNS) + 2)]
        cells[0].value = numero
        set_text(cells[1], parsed)
        set_text(cells[-1], str(titles.get(numero, "")))
        for cell, model in zip(cells, suivi_models):
            cell._style = copy(model)
    statut = DataValidation(type="list", formula1=f"=Listes!$B$1:$B${len(STATUTS)}", allow_blank=True)
    meteo = DataValidation(type="list", formula1=f"=Listes!$C$1:$C${len(METEOS)}", allow_blank=True)
    suivi.add_data_validation(statut)
    suivi.add_data_validation(meteo)
    last_row = len(fiches) + 1
    statut.add(f"C2:C{last_row}")
    meteo.add(f"D2:D{last_row}")
    for letter, width in zip("ABCDEFGHI", (7, 10, 14, 14, 40, 40, 40, 18, 60)):
        suivi.column_dimensions[letter].width = width
    suivi.freeze_panes = "C2"
    _print_setup(suivi, rows=len(fiches))
    return suivi


def _carriers(con: duckdb.DuckDBPyConnection, fiches: set[int], porteur: str | None) -> list[tuple[int, str]]:
    """(fiche, structure) for each fiche of the file and each of its porteurs (the file's porteur only, when it has
    one), as the référentiel names them."""
    porteurs = views.porteurs_table(con)
    porteurs = porteurs[porteurs["fiche"].isin(fiches)]
    if porteur is not None:
        porteurs = porteurs[porteurs["structure"].str.casefold() == porteur.strip().casefold()]
    return sorted({(int(f), str(s)) for f, s in zip(porteurs["fiche"], porteurs["structure"])})


def _depenses_sheet(wb: Workbook, carriers: list[tuple[int, str]], fiche_titles: pd.Series,
                    parsed: str) -> Worksheet:
    """The Dépenses sheet: one row per fiche, porteur and nature, then free rows for further financeurs."""
    ws = wb.create_sheet(DEPENSES_SHEET)
    headers = [c.name for c in DEPENSES_COLUMNS] + ["intitule"]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
    formats = {**dict.fromkeys(DEPENSES_AMOUNTS, '#,##0.00 "€"'), "etp_mobilises": "0.00"}
    styles = [{"protection": Protection(locked=name not in DEPENSES_INPUTS),
               "fill": INPUT_FILL if name in DEPENSES_INPUTS else REFERENCE_FILL,
               "number_format": formats.get(name, "General"),
               "alignment": Alignment(vertical="top")} for name in headers]
    models = _models(ws, styles)
    free = _models(ws, [{**style, "protection": Protection(locked=name == "intitule"),
                         "fill": INPUT_FILL if name != "intitule" else REFERENCE_FILL}
                        for name, style in zip(headers, styles)])
    titles = dict(zip(fiche_titles.index, fiche_titles))
    row = 1
    for row, (fiche, structure, nature) in enumerate(
            ((f, s, n) for f, s in carriers for n in NATURES), start=2):
        cells = [ws.cell(row=row, column=col) for col in range(1, len(headers) + 1)]
        cells[0].value = fiche
        for cell, text in zip(cells[1:4], (structure, parsed, nature)):
            set_text(cell, text)
        set_text(cells[-1], str(titles.get(fiche, "")))
        for cell, model in zip(cells, models):
            cell._style = copy(model)
    last = row + DEPENSES_FREE_ROWS
    for free_row in range(row + 1, last + 1):
        for col, model in enumerate(free, start=1):
            ws.cell(row=free_row, column=col)._style = copy(model)
    letter = {name: get_column_letter(index) for index, name in enumerate(headers, start=1)}
    positive = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    positive.error = "Écrivez un nombre positif ou nul : ce qui a eu lieu pendant le trimestre (0 si rien)."
    positive.errorTitle = "Nombre attendu"
    ws.add_data_validation(positive)
    nature = DataValidation(type="list", formula1=f"=Listes!$D$1:$D${len(NATURES)}", allow_blank=True)
    ws.add_data_validation(nature)
    if last >= 2:
        positive.sqref = MultiCellRange(" ".join(f"{letter[name]}2:{letter[name]}{last}"
                                                 for name in (*DEPENSES_AMOUNTS, "etp_mobilises")))
        nature.add(f"{letter['nature']}2:{letter['nature']}{last}")
    # Wide enough for each heading and the longest porteur's name; the fiche's title on one line, as a reference.
    for name, width in zip(headers, (7, 36, 10, 16, 17, 15, 14, 24, 18, 16, 90)):
        ws.column_dimensions[letter[name]].width = width
    ws.freeze_panes = "E2"
    _print_setup(ws, rows=last - 1)
    return ws


def _print_setup(sheet: Worksheet, *, rows: int = 0, fit_height: bool = False) -> None:
    """Printed as people expect: A4 landscape, every column on the width of the page, the heading on each page and
    a page every ROWS_PER_PAGE rows (9 rows used to take 10 pages, columns spread over several sheets of paper)."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1 if fit_height else 0
    if rows:
        sheet.print_title_rows = "1:1"
        for last in range(ROWS_PER_PAGE + 1, rows + 1, ROWS_PER_PAGE):
            sheet.row_breaks.append(Break(id=last))


def _models(sheet: Worksheet, styles: list[dict[str, Any]]) -> list[StyleArray]:
    """Each column's style, set once through openpyxl on a cell outside the sheet, for the data cells to copy.

    Setting a style attribute on a cell looks it up among every style of the workbook (hashing it each time):
    done for each cell, that was most of the 7 s a national template (8 535 rows × 12 columns) took. A cell's
    `_style` is the array of style ids that openpyxl's own `copy_worksheet` copies from cell to cell. The styles are
    registered in the order the first data row used to register them (and only when there is one), so the file
    written is the same as when each cell was styled on its own.
    """
    models = []
    for attributes in styles:
        model = Cell(sheet)
        for name, value in attributes.items():
            setattr(model, name, value)
        models.append(model._style)
    return models
