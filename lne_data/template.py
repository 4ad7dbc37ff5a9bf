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
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from . import periodes, sql
from .exports import set_text
from .queries import frame
from .saisie import LIVRABLE, METEOS, SHEET, STATUTS, SUIVI_COLUMNS, SUIVI_SHEET

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
REFERENCE_FILL = PatternFill("solid", fgColor="EDEDED")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")

INFO_COLUMNS = ["libelle_indicateur", "type", "unite", "cible", "derniere_valeur", "derniere_periode"]


def fiches_of(con: duckdb.DuckDBPyConnection, porteur: str | None) -> list[int]:
    fiches = frame(con, sql.FICHES)["numero"].astype(int).tolist()
    if porteur is None:
        return fiches
    porteurs = frame(con, sql.PORTEURS)
    matched = porteurs[porteurs["structure"].str.casefold() == porteur.strip().casefold()]
    if matched.empty:
        known = ", ".join(sorted(porteurs["structure"].unique()))
        raise LookupError(f"« {porteur} » ne porte aucune fiche. Porteurs connus : {known}.")
    return sorted(int(n) for n in matched["fiche"].unique())


def build_template(
    con: duckdb.DuckDBPyConnection, periode: str, out: BinaryIO, *, porteur: str | None = None
) -> int:
    """Write the template for `periode` (`2026-T1`) to `out`; return the number of indicator rows."""
    parsed = periodes.parse(periode)
    if parsed is None:
        raise ValueError(f"« {periode} » n'est pas une période : écrivez par exemple 2026-T1.")
    fiches = set(fiches_of(con, porteur))
    fdr = frame(con, sql.FEUILLE_DE_ROUTE).iloc[0]
    indicateurs = frame(con, sql.INDICATEURS)
    indicateurs = indicateurs[indicateurs["fiche"].isin(fiches)]
    latest = frame(con, sql.DERNIERE_VALEUR_AVANT, {"periode": parsed}).set_index("indicateur")
    fiche_titles = frame(con, sql.FICHES).set_index("numero")["intitule"]

    wb = Workbook()
    instructions = wb.active
    instructions.title = "Instructions"
    lines = [
        f"Saisie trimestrielle — {fdr['titre']}",
        f"Période : {periodes.label(parsed)} ({parsed})" + (f" — porteur : {porteur}" if porteur else ""),
        "",
        "1. Feuille « Saisie » : une ligne par indicateur. Remplissez la colonne « valeur » (fond jaune) ;",
        "   laissez-la vide si la valeur n'est pas connue ce trimestre. « commentaire » et « saisi_par » sont libres.",
        "2. Nombres : 12 ou 1 234,5 ; « 12 % » seulement pour un indicateur en %. N/A, VRAI/FAUX, une formule",
        "   ou « 1.234 » (1 234 ou 1,234 ?) ne sont pas acceptés.",
        "   Indicateur en « flux » : ce qui s'est passé pendant le trimestre (le tableau de bord fait le cumul).",
        "   Indicateur en « stock » : le niveau atteint à la fin du trimestre.",
        f"3. Livrable : choisissez {', '.join(f'« {k} »' for k in LIVRABLE)} dans la liste.",
        "   Qualitatif : écrivez une phrase.",
        "4. Feuille « Suivi » : pour chaque fiche, le statut, la météo et les commentaires du trimestre (facultatif).",
        "5. Ne modifiez pas les colonnes grisées (fiche, indicateur, période) : elles identifient la valeur.",
        "6. Renvoyez le fichier au format .xlsx. Un fichier déposé deux fois ne crée pas de doublon :",
        "   les valeurs corrigées remplacent les précédentes, et l'historique les garde.",
    ]
    for index, text in enumerate(lines, start=1):
        set_text(instructions.cell(row=index, column=1), text)
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.column_dimensions["A"].width = 110

    sheet = wb.create_sheet(SHEET)
    headers = ["fiche", "indicateur", "periode", "valeur", "commentaire", "saisi_par", *INFO_COLUMNS]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
    last_values = {code: (periode, valeur, texte) for code, periode, valeur, texte in zip(
        latest.index, latest["periode"], latest["valeur"], latest["valeur_texte"])}
    models = _models(sheet, [
        {"protection": Protection(locked=col not in (4, 5, 6)),
         "fill": INPUT_FILL if col == 4 else (REFERENCE_FILL if col not in (4, 5, 6) else PatternFill())}
        for col in range(1, len(headers) + 1)
    ]) if len(indicateurs) else []
    livrable_rows: list[int] = []
    for row, ind in enumerate(indicateurs.itertuples(), start=2):
        cells = [sheet.cell(row=row, column=col) for col in range(1, len(headers) + 1)]
        cells[0].value = int(ind.fiche)
        set_text(cells[1], ind.code)
        set_text(cells[2], parsed)
        set_text(cells[6], ind.libelle)
        set_text(cells[7], ind.type)
        set_text(cells[8], ind.unite or "")
        if pd.notna(ind.cible):
            cells[9].value = float(ind.cible)
        if ind.code in last_values:
            periode_avant, valeur, texte = last_values[ind.code]
            if pd.notna(texte):
                set_text(cells[10], texte)
            elif pd.notna(valeur):
                cells[10].value = float(valeur)
            set_text(cells[11], periode_avant)
        for cell, model in zip(cells, models):
            cell._style = copy(model)
        if ind.type == "livrable":
            livrable_rows.append(row)
    widths = {"A": 7, "B": 11, "C": 10, "D": 14, "E": 40, "F": 18, "G": 70, "H": 10, "I": 14, "J": 8, "K": 16, "L": 16}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "D2"

    lists = wb.create_sheet("Listes")
    for index, value in enumerate(LIVRABLE, start=1):
        set_text(lists.cell(row=index, column=1), value)
    for index, value in enumerate(STATUTS, start=1):
        set_text(lists.cell(row=index, column=2), value)
    for index, value in enumerate(METEOS, start=1):
        set_text(lists.cell(row=index, column=3), value)
    lists.sheet_state = "hidden"
    if livrable_rows:
        validation = DataValidation(type="list", formula1=f"=Listes!$A$1:$A${len(LIVRABLE)}", allow_blank=True)
        validation.error = "Choisissez un état dans la liste."
        sheet.add_data_validation(validation)
        # Given at once: adding cells one by one checks each against every cell already there.
        validation.sqref = MultiCellRange(" ".join(f"D{row}" for row in livrable_rows))

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

    # Protection without a password: it prevents slips on the keys, not a determined user (the importer
    # checks everything anyway).
    for ws in (sheet, suivi):
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
    buffer = BytesIO()
    wb.save(buffer)
    out.write(buffer.getvalue())
    return len(indicateurs)


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
