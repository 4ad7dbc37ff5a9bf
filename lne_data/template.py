"""The quarterly template: the file the coordinatrice sends to each porteur, and gets back filled in.

One row per indicator, keys pre-filled and locked, drop-down lists where the answer is a choice, the
indicator's label, unit, target and last value beside it for reference (the importer ignores those
columns), a `Suivi` sheet for the fiche's status and weather, and French instructions first.
"""

from __future__ import annotations

from io import BytesIO
from typing import BinaryIO

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from . import periodes, sql
from .exports import set_text
from .queries import frame
from .saisie import LIVRABLE, METEOS, STATUTS, SUIVI_COLUMNS, SUIVI_SHEET, SHEET

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
        "2. Nombres : 12, 1 234,5 ou 12 % sont acceptés. N/A, VRAI/FAUX ou une formule ne le sont pas.",
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
    livrable_rows: list[int] = []
    for row, ind in enumerate(indicateurs.itertuples(), start=2):
        sheet.cell(row=row, column=1, value=int(ind.fiche))
        set_text(sheet.cell(row=row, column=2), ind.code)
        set_text(sheet.cell(row=row, column=3), parsed)
        set_text(sheet.cell(row=row, column=7), ind.libelle)
        set_text(sheet.cell(row=row, column=8), ind.type)
        set_text(sheet.cell(row=row, column=9), ind.unite or "")
        if pd.notna(ind.cible):
            sheet.cell(row=row, column=10, value=float(ind.cible))
        if ind.code in latest.index:
            last = latest.loc[ind.code]
            if pd.notna(last["valeur_texte"]):
                set_text(sheet.cell(row=row, column=11), last["valeur_texte"])
            elif pd.notna(last["valeur"]):
                sheet.cell(row=row, column=11, value=float(last["valeur"]))
            set_text(sheet.cell(row=row, column=12), last["periode"])
        for col in range(1, len(headers) + 1):
            cell = sheet.cell(row=row, column=col)
            editable = col in (4, 5, 6)
            cell.protection = Protection(locked=not editable)
            cell.fill = INPUT_FILL if col == 4 else (REFERENCE_FILL if not editable else PatternFill())
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
        for row in livrable_rows:
            validation.add(f"D{row}")

    suivi = wb.create_sheet(SUIVI_SHEET)
    suivi.append([c.name for c in SUIVI_COLUMNS] + ["intitule"])
    for cell in suivi[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
    for row, numero in enumerate(sorted(fiches), start=2):
        suivi.cell(row=row, column=1, value=numero)
        set_text(suivi.cell(row=row, column=2), parsed)
        set_text(suivi.cell(row=row, column=len(SUIVI_COLUMNS) + 1), str(fiche_titles.get(numero, "")))
        for col in range(1, len(SUIVI_COLUMNS) + 2):
            editable = 3 <= col <= len(SUIVI_COLUMNS)
            suivi.cell(row=row, column=col).protection = Protection(locked=not editable)
            suivi.cell(row=row, column=col).alignment = Alignment(wrap_text=col > 4, vertical="top")
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
