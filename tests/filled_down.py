"""Workbooks where one long text, typed once, is filled down a column: one shared string, many cells.

Such a file is small (the text is stored once in xl/sharedStrings.xml, each cell refers to it by number) yet
every cell reads as the whole text. Written as raw package XML: openpyxl would take seconds for 100 000 rows.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
SAISIE_HEADER = ["fiche", "indicateur", "periode", "valeur", "commentaire", "saisi_par"]
SUIVI_HEADER = ["fiche", "periode", "statut", "meteo", "resultats", "freins", "prochaines_etapes", "saisi_par"]


def long_text(length: int = 50_000) -> str:
    """A paragraph typed once (pasted from a report), `length` characters long."""
    sentence = "Atelier de médiation numérique au tiers-lieu, bilan détaillé de la séance. "
    return (sentence * (length // len(sentence) + 1))[:length]


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def _sheet(header: list[str], rows: int, body: str) -> str:
    """`body` is one row's cells, with `{r}` for its row number; the shared string indexes are fixed."""
    head = "".join(_inline(f"{chr(65 + i)}1", name) for i, name in enumerate(header))
    data = "".join(f'<row r="{r}">' + body.replace("{r}", str(r)) + "</row>" for r in range(2, rows + 2))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}"><sheetData>'
            f'<row r="1">{head}</row>{data}</sheetData></worksheet>')


def filled_down(rows: int = 100_000, text: str | None = None, *, suivi: bool = True,
                indicateur: str = "F06-I3") -> bytes:
    """Sheet `Saisie`: fiche 6, `indicateur` (F06-I3 is a count), 2025-T3 on every row, with the long text as
    `valeur` and as `commentaire`; sheet `Suivi` (when `suivi`): fiche 6, 2025-T3, the text as `statut` and as
    `resultats`."""
    text = long_text() if text is None else text
    shared = [indicateur, "2025-T3", text]
    strings = "".join(f"<si><t>{escape(s)}</t></si>" for s in shared)
    sst = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN}" count="{len(shared)}" '
           f'uniqueCount="{len(shared)}">{strings}</sst>')
    s = ' t="s"'
    saisie = _sheet(SAISIE_HEADER, rows, f'<c r="A{{r}}"><v>6</v></c><c r="B{{r}}"{s}><v>0</v></c>'
                                         f'<c r="C{{r}}"{s}><v>1</v></c><c r="D{{r}}"{s}><v>2</v></c>'
                                         f'<c r="E{{r}}"{s}><v>2</v></c>')
    sheets = [("Saisie", saisie)]
    if suivi:
        sheets.append(("Suivi", _sheet(SUIVI_HEADER, rows, f'<c r="A{{r}}"><v>6</v></c><c r="B{{r}}"{s}><v>1</v></c>'
                                                           f'<c r="C{{r}}"{s}><v>2</v></c>'
                                                           f'<c r="E{{r}}"{s}><v>2</v></c>')))
    worksheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{worksheet}"/>'
                        for i in range(1, len(sheets) + 1))
    links = "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                    for i in range(1, len(sheets) + 1))
    links += f'<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    listed = "".join(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, (name, _) in enumerate(sheets, 1))
    parts = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT}">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            f"{overrides}</Types>"),
        "_rels/.rels": (f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                        'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{listed}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG_REL}">{links}</Relationships>',
        "xl/sharedStrings.xml": sst,
        **{f"xl/worksheets/sheet{i}.xml": xml for i, (_, xml) in enumerate(sheets, 1)},
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()
