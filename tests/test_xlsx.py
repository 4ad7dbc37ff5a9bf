"""lne_data.xlsx: every case is a real file, built here as bytes (valid workbooks with xlsxwriter or openpyxl,
hostile ones with zipfile), and every rejection is checked by its stable code."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile

import openpyxl
import pytest
import xlsxwriter

from lne_data.problems import RejectedInput
from lne_data.xlsx import (
    Cell,
    Limits,
    WorkbookRejected,
    read_workbook,
    read_workbook_isolated,
)
from lne_data.xlsx.container import ByteBudget

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


# ---------------------------------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------------------------------

def xlsxwriter_bytes(fill, *, recalculated: bool = False) -> bytes:
    """A workbook written by xlsxwriter, with an instruction sheet first as the coordinators' templates have.

    xlsxwriter asks for a full recalculation on opening (`fullCalcOnLoad`); `recalculated` drops that request,
    as a spreadsheet program does when it saves the file after computing every formula.
    """
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet("Instructions").write_string(0, 0, "Remplissez la feuille « donnees ».")
    fill(book, book.add_worksheet("donnees"))
    book.close()
    if not recalculated:
        return out.getvalue()
    resaved = io.BytesIO()
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(resaved, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                assert b' fullCalcOnLoad="1"' in content
                content = content.replace(b' fullCalcOnLoad="1"', b"")
            target.writestr(info.filename, content)
    return resaved.getvalue()


def zip_bytes(parts: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def sheet_xml(rows: str, head: str = "", root: str = f'worksheet xmlns="{MAIN}"', prolog: str = "") -> str:
    name = root.split()[0]
    return f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<{root}>{head}<sheetData>{rows}</sheetData></{name}>'


def package(sheet: str, *, shared: str | None = None, extra: dict[str, bytes | str] | None = None,
            main_type: str = WORKBOOK_TYPE, more_types: str = "") -> dict[str, bytes | str]:
    """The smallest package Excel opens: one sheet « donnees », optionally shared strings."""
    types = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             f'<Override PartName="/xl/workbook.xml" ContentType="{main_type}"/>{more_types}</Types>')
    links = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared is not None:
        links += f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    parts: dict[str, bytes | str] = {
        "[Content_Types].xml": types,
        "_rels/.rels": f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                       'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                           '<sheet name="donnees" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG_REL}">{links}</Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    parts.update(extra or {})
    return parts


def crafted(sheet: str, **options) -> bytes:
    return zip_bytes(package(sheet, **options))


def ole_bytes(*streams: str) -> bytes:
    """A minimal OLE2 compound file (512-byte sectors: header, one FAT sector, one directory sector)."""
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<III", header, 0x2C, 1, 1, 0)  # FAT sectors, first directory sector, transaction
    struct.pack_into("<IIIII", header, 0x38, 4096, end, 0, end, 0)  # mini cutoff, mini FAT, DIFAT
    struct.pack_into("<109I", header, 0x4C, 0, *[free] * 108)
    fat = struct.pack("<128I", fat_sector, end, *[free] * 126)
    directory = bytearray(512)
    for index, (name, kind) in enumerate([("Root Entry", 5), *((stream, 2) for stream in streams)]):
        encoded = name.encode("utf-16-le") + b"\0\0"
        directory[index * 128:index * 128 + len(encoded)] = encoded
        struct.pack_into("<HB", directory, index * 128 + 64, len(encoded), kind)
    return bytes(header) + fat + bytes(directory)


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """Make the central directory lie about an entry's uncompressed size."""
    patched = bytearray(data)
    position = patched.find(b"PK\x01\x02")
    while position != -1:
        length = struct.unpack_from("<H", patched, position + 28)[0]
        if patched[position + 46:position + 46 + length] == name.encode():
            struct.pack_into("<I", patched, position + 24, size)
        position = patched.find(b"PK\x01\x02", position + 4)
    return bytes(patched)


def rejection(source, **options) -> WorkbookRejected:
    with pytest.raises(WorkbookRejected) as caught:
        read_workbook(source, **options)
    assert len(caught.value.problems) == 1
    return caught.value


def code_of(source, **options) -> str:
    return rejection(source, **options).problems[0].code


def values(rows: list[list[Cell]]) -> list[list[tuple[int, int, object, str]]]:
    return [[(c.row, c.col, c.value, c.kind) for c in row] for row in rows]


# ---------------------------------------------------------------------------------------------------------------
# Values read back exactly
# ---------------------------------------------------------------------------------------------------------------

def test_values_and_kinds_read_back_exactly():
    def fill(book, sheet):
        date = book.add_format({"num_format": "dd/mm/yyyy"})
        moment = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        clock = book.add_format({"num_format": "hh:mm"})
        sheet.write_row(0, 0, ["texte", "nombre", "booleen", "erreur", "date"])
        sheet.write_string(1, 0, "=1+1")
        sheet.write_number(1, 1, 42)
        sheet.write_boolean(1, 2, True)
        sheet.write_formula(1, 3, "=1/0", None, "#DIV/0!")
        sheet.write_datetime(1, 4, dt.datetime(2024, 10, 21), date)
        sheet.write_string(2, 0, "N/A")
        sheet.write_number(2, 1, -3.25)
        sheet.write_boolean(2, 2, False)
        sheet.write_formula(2, 3, "=2*21", None, 42)
        sheet.write_datetime(2, 4, dt.datetime(2024, 10, 21, 8, 30), moment)
        sheet.write_formula(3, 0, '="a"&"b"', None, "ab")
        sheet.write_datetime(3, 4, dt.datetime(1899, 12, 31, 8, 30), clock)

    rows = read_workbook(xlsxwriter_bytes(fill, recalculated=True), wanted_sheets=["donnees"]).rows("donnees")
    assert values(rows[1:]) == [
        [(2, 1, "=1+1", "texte"), (2, 2, 42.0, "nombre"), (2, 3, True, "booleen"), (2, 4, "#DIV/0!", "erreur"),
         (2, 5, "2024-10-21", "date")],
        [(3, 1, "N/A", "texte"), (3, 2, -3.25, "nombre"), (3, 3, False, "booleen"), (3, 4, 42.0, "nombre"),
         (3, 5, "2024-10-21T08:30:00", "date")],
        [(4, 1, "ab", "texte"), (4, 5, "08:30:00", "date")],
    ]
    assert type(rows[1][1].value) is float and type(rows[1][2].value) is bool

    # As xlsxwriter leaves them, with the request to recalculate on opening: no formula result is trusted.
    rows = read_workbook(xlsxwriter_bytes(fill), wanted_sheets=["donnees"]).rows("donnees")
    assert [(c.row, c.col, c.value, c.kind) for row in rows[1:] for c in row if c.kind == "formule-a-recalculer"
            ] == [(2, 4, None, "formule-a-recalculer"), (3, 4, None, "formule-a-recalculer"),
                  (4, 1, None, "formule-a-recalculer")]


def test_formula_without_cached_value_and_inline_strings_from_openpyxl():
    book = openpyxl.Workbook()
    book.active.title = "donnees"
    book.active["A1"] = "=SUM(1,2)"
    book.active["B1"] = "texte"
    out = io.BytesIO()
    book.save(out)
    assert values(read_workbook(out.getvalue()).rows("donnees")) == [
        [(1, 1, None, "formule-sans-valeur"), (1, 2, "texte", "texte")]]


def test_rows_are_excel_rows_and_empty_cells_are_left_out():
    def fill(book, sheet):
        sheet.write_string(0, 0, "en-tête")
        sheet.write_blank(1, 0, None, book.add_format({"bold": True}))  # formatted, empty: not a cell
        sheet.write_string(4, 2, "plus bas")
        sheet.write_string(4, 3, "")

    rows = read_workbook(xlsxwriter_bytes(fill)).rows("donnees")
    assert values(rows) == [[(1, 1, "en-tête", "texte")], [(5, 3, "plus bas", "texte")]]


def test_sheets_in_workbook_order_and_only_wanted_ones_parsed():
    workbook = read_workbook(io.BytesIO(xlsxwriter_bytes(lambda book, sheet: sheet.write(0, 0, 1))),
                             wanted_sheets={"donnees"})
    assert workbook.sheet_names == ["Instructions", "donnees"]
    assert values(workbook.rows("donnees")) == [[(1, 1, 1.0, "nombre")]]
    assert workbook.rows("donnees") is workbook.rows("donnees")
    with pytest.raises(KeyError, match="demandée"):
        workbook.rows("Instructions")
    with pytest.raises(KeyError, match="pas de feuille"):
        workbook.rows("Feuil1")


def test_number_formats_decide_dates():
    def fill(book, sheet):
        sheet.write_number(0, 0, 45586, book.add_format({"num_format": '0 "jours d\'activité"'}))
        sheet.write_number(0, 1, 45586, book.add_format({"num_format": "[$-40C]d mmmm yyyy;@"}))
        sheet.write_number(0, 2, 1.5, book.add_format({"num_format": "[h]:mm"}))
        sheet.write_number(0, 3, 45586, book.add_format({"num_format": 14}))
        sheet.write_number(0, 4, 60, book.add_format({"num_format": 14}))  # Excel's phantom 1900-02-29

    assert values(read_workbook(xlsxwriter_bytes(fill)).rows("donnees")) == [[
        (1, 1, 45586.0, "nombre"), (1, 2, "2024-10-21", "date"), (1, 3, "1900-01-01T12:00:00", "date"),
        (1, 4, "2024-10-21", "date"), (1, 5, 60.0, "nombre")]]


def test_other_generators_prefixes_missing_references_rich_text():
    shared = (f'<x:sst xmlns:x="{MAIN}"><x:si><x:t>simple</x:t></x:si>'
              '<x:si><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve">gras </x:t></x:r><x:r><x:t>et</x:t></x:r>'
              '<x:rPh sb="0" eb="1"><x:t>phonétique</x:t></x:rPh></x:si>'
              '<x:si><x:t>ligne_x000D_\nsuivante</x:t></x:si></x:sst>')
    sheet = sheet_xml('<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c></x:row>\n  '
                      '<x:row r="3">\n <x:c r="B3" t="s">\n <x:v>2</x:v>\n </x:c>\n'
                      '<x:c t="inlineStr"><x:is><x:t> espacé </x:t></x:is>\n</x:c>'
                      '<x:c t="str"><x:f>A1</x:f><x:v> avec espaces </x:v></x:c>'
                      '<x:c t="d"><x:v>2024-10-21T00:00:00</x:v></x:c></x:row>',
                      root=f'x:worksheet xmlns:x="{MAIN}"').replace("<sheetData>", "<x:sheetData>").replace(
                          "</sheetData>", "</x:sheetData>")
    assert values(read_workbook(crafted(sheet, shared=shared)).rows("donnees")) == [
        [(1, 1, "simple", "texte"), (1, 2, "gras et", "texte")],
        [(3, 2, "ligne\r\nsuivante", "texte"), (3, 3, " espacé ", "texte"), (3, 4, " avec espaces ", "texte"),
         (3, 5, "2024-10-21", "date")],
    ]


# ---------------------------------------------------------------------------------------------------------------
# Not a workbook we can read: told apart by content, never by name
# ---------------------------------------------------------------------------------------------------------------

def test_empty_file():
    assert code_of(b"") == "fichier-vide"


def test_too_big_from_bytes_and_from_a_stream():
    data = xlsxwriter_bytes(lambda book, sheet: sheet.write(0, 0, 1))
    assert code_of(data, limits=Limits(max_file_bytes=1000)) == "fichier-trop-volumineux"
    assert code_of(io.BytesIO(data), limits=Limits(max_file_bytes=1000)) == "fichier-trop-volumineux"


@pytest.mark.parametrize(("data", "code", "words"), [
    (ole_bytes("EncryptionInfo", "EncryptedPackage"), "classeur-chiffre", "mot de passe"),
    (ole_bytes("Workbook"), "format-xls", "97-2003"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "format-xls", "mot de passe ou au format"),
    (zip_bytes({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"},
               zipfile.ZIP_STORED), "format-ods", "LibreOffice"),
    ("structure;nombre\nLot Numérique;3\n".encode(), "format-inconnu", "CSV"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "format-inconnu", "PDF"),
    (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "format-inconnu", "HTML"),
    (zip_bytes({"notes.txt": "bonjour"}), "zip-non-classeur", "zip"),
    (zip_bytes({"[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-'
                                       'types"/>', "word/document.xml": "<w/>"}), "zip-non-classeur", "Word"),
], ids=["chiffre", "xls", "ole-illisible", "ods", "csv", "pdf", "html", "zip", "docx"])
def test_other_formats_are_named(data, code, words):
    problem = rejection(data).problems[0]
    assert problem.code == code
    assert words in problem.message


def test_binary_and_macro_workbooks():
    sheet = sheet_xml("")
    assert code_of(crafted(sheet, extra={"xl/vbaProject.bin": b"\x00" * 64})) == "classeur-macro"
    macro_type = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    assert code_of(crafted(sheet, main_type=macro_type)) == "classeur-macro"
    binary_type = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
    assert code_of(crafted(sheet, main_type=binary_type)) == "format-xlsb"


def test_truncated_zip_and_bad_xml_are_corrupt():
    data = xlsxwriter_bytes(lambda book, sheet: sheet.write(0, 0, 1))
    assert code_of(data[: len(data) // 2]) == "fichier-corrompu"
    broken = rejection(crafted(sheet_xml('<row r="1"><c r="A1"><v>1</v></row>')))
    assert (broken.problems[0].code, broken.problems[0].sheet) == ("fichier-corrompu", "donnees")


def test_rejection_is_a_rejected_input_with_a_readable_message():
    error = rejection(b"")
    assert isinstance(error, RejectedInput)
    assert "[fichier-vide]" in str(error)


# ---------------------------------------------------------------------------------------------------------------
# Hostile files: rejected cheaply, before anything proportional to what they claim
# ---------------------------------------------------------------------------------------------------------------

def test_bomb_entry_is_refused_from_its_declared_ratio():
    padding = " " * (20 * 1024 * 1024)  # 20 MB of whitespace deflates to ~20 KB
    assert code_of(crafted(sheet_xml("", head=padding))) == "zip-suspect"


def test_declared_total_over_the_limit():
    data = xlsxwriter_bytes(lambda book, sheet: sheet.write(0, 0, 1))
    assert code_of(data, limits=Limits(max_uncompressed_total=2000)) == "zip-suspect"


def test_lying_size_header_stops_at_the_declared_size():
    data = declare_size(crafted(sheet_xml("", head=" " * (5 * 1024 * 1024))), "xl/worksheets/sheet1.xml", 1000)
    assert code_of(data) == "fichier-corrompu"


@pytest.mark.parametrize("limits", [Limits(max_entry_ratio=10), Limits(max_uncompressed_total=1024 * 1024)])
def test_inflation_is_counted_while_reading(limits):
    """What zipfile actually inflates is bounded too, should headers and zipfile ever disagree."""
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes({"big.xml": b" " * (3 * 1024 * 1024)})))
    with pytest.raises(WorkbookRejected) as caught:
        for _ in ByteBudget(limits).chunks(archive, archive.getinfo("big.xml")):
            pass
    assert caught.value.problems[0].code == "zip-suspect"


def test_too_many_entries():
    parts = package(sheet_xml(""), extra={f"xl/media/image{i}.png": b"" for i in range(1001)})
    assert code_of(zip_bytes(parts)) == "zip-suspect"


def test_huge_dimension_is_refused_before_any_row():
    problem = rejection(crafted(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>',
                                          head='<dimension ref="A1:XFD1048576"/>'))).problems[0]
    assert (problem.code, problem.sheet, problem.row, problem.column) == (
        "feuille-trop-grande", "donnees", 1048576, "XFD")


@pytest.mark.parametrize(("rows", "row", "column"), [
    ('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', 1048576, "XFD"),
    ('<row r="1"><c r="XFD1048576"><v>1</v></c></row>', 1048576, "XFD"),
    ('<row r="1"><c r="CW1"><v>1</v></c></row>', 1, "CW"),
    # Past ZZZ, where openpyxl's get_column_letter gives up: still named (problems.column_letter).
    ('<row r="1"><c r="AAAA1"><v>1</v></c></row>', 1, "AAAA"),
    ('<row r="1"><c r="CV1"><v>1</v></c><c><v>2</v></c></row>', 1, "CW"),
    ('<row r="200001"><c><v>1</v></c></row>', 200001, "A"),
])
def test_cell_beyond_the_limits(rows, row, column):
    """One value in XFD1048576 is the 5 KB file that makes python-calamine abort the process."""
    problem = rejection(crafted(sheet_xml(rows))).problems[0]
    assert (problem.code, problem.sheet, problem.row, problem.column) == (
        "feuille-trop-grande", "donnees", row, column)


def test_row_and_cell_limits_are_settable():
    data = xlsxwriter_bytes(lambda book, sheet: [sheet.write(i, 0, i) for i in range(20)])
    assert code_of(data, limits=Limits(max_rows=10)) == "feuille-trop-grande"
    assert code_of(data, limits=Limits(max_cells=5)) == "feuille-trop-grande"
    assert code_of(data, limits=Limits(max_sheets=1)) == "trop-de-feuilles"


def test_the_limits_are_written_the_french_way():
    """Counts and sizes in a refusal as the coordinatrice reads them elsewhere (`formatting`): `200 000 lignes`
    with a narrow no-break space, `20 Mo`, never `200,000` nor `20971520`."""
    huge = rejection(crafted(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>',
                                       head='<dimension ref="A1:XFD1048576"/>'))).problems[0].message
    assert "200\u202f000 lignes, 100 colonnes, 3\u202f000\u202f000 cellules remplies" in huge
    data = xlsxwriter_bytes(lambda book, sheet: sheet.write(0, 0, 1))
    padded = data + b"\x00" * (3 * 1024 * 1024)  # past a 2 Mo limit, read as too big before anything else
    heavy = rejection(padded, limits=Limits(max_file_bytes=2 * 1024 * 1024)).problems[0].message
    assert "Le fichier pèse plus de 2\u00a0Mo," in heavy, heavy


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
          '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>')


def test_doctype_and_entities_in_a_sheet_are_refused():
    sheet = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol4;</t></is></c></row>', prolog=LAUGHS)
    problem = rejection(crafted(sheet)).problems[0]
    assert (problem.code, problem.sheet) == ("fichier-corrompu", "donnees")


def test_shared_strings_bombs():
    sheet = sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    entities = f'<?xml version="1.0"?>{LAUGHS}<sst xmlns="{MAIN}"><si><t>&lol4;</t></si></sst>'
    assert code_of(crafted(sheet, shared=entities)) == "fichier-corrompu"
    repeated = f'<sst xmlns="{MAIN}">' + "<si><t>a</t></si>" * 200_000 + "</sst>"
    assert code_of(crafted(sheet, shared=repeated)) == "zip-suspect"


@pytest.mark.parametrize("cell", ['<c r="A1" t="s"><v>7</v></c>', '<c r="A1"><v>nan</v></c>',
                                  '<c r="A1" t="d"><v>hier</v></c>', '<c r="A1" t="b"><v>oui</v></c>'])
def test_impossible_values_are_corrupt(cell):
    """What Excel never writes: a dangling shared string, a NaN, a date or a boolean that is not one."""
    shared = f'<sst xmlns="{MAIN}"><si><t>a</t></si></sst>'
    problem = rejection(crafted(sheet_xml(f'<row r="1">{cell}</row>'), shared=shared)).problems[0]
    assert (problem.code, problem.sheet) == ("fichier-corrompu", "donnees")


# ---------------------------------------------------------------------------------------------------------------
# Isolated reading
# ---------------------------------------------------------------------------------------------------------------

def small_workbook() -> bytes:
    return xlsxwriter_bytes(lambda book, sheet: sheet.write_row(0, 0, ["a", 1, True]))


def test_isolated_reader_gives_the_same_rows():
    data = small_workbook()
    isolated = read_workbook_isolated(data, wanted_sheets=["donnees"])
    assert isolated.sheet_names == ["Instructions", "donnees"]
    assert isolated.rows("donnees") == read_workbook(data).rows("donnees")


def test_isolated_reader_passes_rejections_through():
    with pytest.raises(WorkbookRejected) as caught:
        read_workbook_isolated(crafted(sheet_xml('<row r="1"><c r="XFD1048576"><v>1</v></c></row>')))
    problem = caught.value.problems[0]
    assert (problem.code, problem.sheet, problem.column) == ("feuille-trop-grande", "donnees", "XFD")


def test_child_out_of_memory_is_reported_and_the_parent_carries_on():
    with pytest.raises(WorkbookRejected) as caught:
        read_workbook_isolated(small_workbook(), memory_mb=1)
    assert caught.value.problems[0].code == "analyse-interrompue"
    assert "Excel" in caught.value.problems[0].message
    assert read_workbook_isolated(small_workbook()).rows("donnees")[0][0].value == "a"


def test_hidden_sheets_are_named_in_process_and_isolated():
    book = openpyxl.Workbook()
    book.active.title = "visible"
    book.create_sheet("masquee").sheet_state = "hidden"
    book.create_sheet("tres_masquee").sheet_state = "veryHidden"
    for sheet in book.worksheets:
        sheet["A1"] = sheet.title
    out = io.BytesIO()
    book.save(out)
    for workbook in (read_workbook(out.getvalue()), read_workbook_isolated(out.getvalue())):
        assert workbook.sheet_names == ["visible", "masquee", "tres_masquee"]
        assert workbook.hidden == {"masquee", "tres_masquee"}
        assert values(workbook.rows("masquee")) == [[(1, 1, "masquee", "texte")]]  # still read, only flagged


# ---------------------------------------------------------------------------------------------------------------
# What the person saw: percent formats, blank and decomposed texts, hidden rows and columns, sheet names
# ---------------------------------------------------------------------------------------------------------------

def test_percent_formats_are_told_apart_from_plain_numbers():
    """« 45 % » typed in Excel is 0.45 with a percent format: the format is part of what the person saw."""
    def fill(book, sheet):
        formats = [9, 10, "0.0%", "[Red]0%;[Blue]-0%", '0" %"', "0\\%", "0.00", '"%"@']
        for col, number_format in enumerate(formats):
            sheet.write_number(0, col, 0.45, book.add_format({"num_format": number_format}))
        sheet.write_number(0, len(formats), 0.45)

    assert values(read_workbook(xlsxwriter_bytes(fill)).rows("donnees")) == [[
        (1, 1, 0.45, "pourcentage"), (1, 2, 0.45, "pourcentage"), (1, 3, 0.45, "pourcentage"),
        (1, 4, 0.45, "pourcentage"),
        (1, 5, 0.45, "nombre"), (1, 6, 0.45, "nombre"),  # a quoted or escaped % is only a sign: nothing × 100
        (1, 7, 0.45, "nombre"), (1, 8, 0.45, "nombre"), (1, 9, 0.45, "nombre")]]


@pytest.mark.parametrize("blank", [" ", "\u00a0", "\u202f", "\t", " \u00a0\t\u202f\u2009 "])
def test_texts_of_spaces_only_are_empty_cells(blank):
    """A cell holding only spaces looks empty on screen: it is empty, in shared strings and inline strings."""
    def fill(book, sheet):
        sheet.write_string(0, 0, "avant")
        sheet.write_string(0, 1, blank)
        sheet.write_string(0, 2, f"{blank}texte{blank}")

    assert values(read_workbook(xlsxwriter_bytes(fill)).rows("donnees")) == [
        [(1, 1, "avant", "texte"), (1, 3, f"{blank}texte{blank}", "texte")]]
    inline = sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve">{blank}</t></is></c>'
                       f'<c r="B1" t="str"><f>A1</f><v xml:space="preserve">{blank}</v></c>'
                       '<c r="C1" t="inlineStr"><is><t>x</t></is></c></row>')
    assert values(read_workbook(crafted(inline)).rows("donnees")) == [[(1, 3, "x", "texte")]]


def test_texts_are_nfc_whatever_the_keyboard():
    """« réalisé » typed on a Mac may be stored decomposed (e + combining accent): it is read composed."""
    nfd = "re\u0301alise\u0301"
    shared = f'<sst xmlns="{MAIN}"><si><t>{nfd}</t></si></sst>'
    sheet = sheet_xml(f'<row r="1"><c r="A1" t="s"><v>0</v></c>'
                      f'<c r="B1" t="inlineStr"><is><t>{nfd}</t></is></c></row>')
    assert values(read_workbook(crafted(sheet, shared=shared)).rows("donnees")) == [
        [(1, 1, "réalisé", "texte"), (1, 2, "réalisé", "texte")]]


def test_hidden_rows_and_columns_are_named_in_process_and_isolated():
    def fill(book, sheet):
        sheet.write_row(0, 0, ["a", "b", "c"])
        sheet.write_row(1, 0, [1, 2, 3])
        sheet.write_row(2, 0, [4, 5, 6])
        sheet.set_row(2, None, None, {"hidden": True})
        sheet.set_row(5, None, None, {"hidden": True})  # hidden but empty: nothing to see, not named
        sheet.set_column(1, 1, None, None, {"hidden": True})

    data = xlsxwriter_bytes(fill)
    for workbook in (read_workbook(data), read_workbook_isolated(data)):
        assert workbook.hidden_rows("donnees") == [3]
        assert workbook.hidden_columns("donnees") == [2]
        assert len(workbook.rows("donnees")) == 3  # hidden cells are read like any other
        assert workbook.hidden_rows("Instructions") == workbook.hidden_columns("Instructions") == []


def test_hidden_columns_are_bounded_by_the_limits():
    sheet = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>',
                      head='<cols><col min="1" max="16384" hidden="1"/><col min="x" max="2" hidden="1"/>'
                           '<col min="3" max="2" hidden="true"/></cols>')
    assert read_workbook(crafted(sheet)).hidden_columns("donnees") == list(range(1, Limits().max_cols + 1))


def test_sheets_are_found_ignoring_case_and_surrounding_spaces():
    book = openpyxl.Workbook()
    book.active.title = "SAISIE "
    book.active["A1"] = "x"
    book.create_sheet("suivi")["A1"] = "y"
    book.create_sheet("Autre")["A1"] = "z"
    out = io.BytesIO()
    book.save(out)
    for workbook in (read_workbook(out.getvalue(), wanted_sheets={"Saisie", "Suivi"}),
                     read_workbook_isolated(out.getvalue(), wanted_sheets={"Saisie", "Suivi"})):
        assert workbook.find("Saisie") == ["SAISIE "] and workbook.find("Suivi") == ["suivi"]
        assert values(workbook.rows("SAISIE ")) == [[(1, 1, "x", "texte")]]
        assert workbook.find("Feuil1") == []
        with pytest.raises(KeyError):
            workbook.rows("Autre")  # not asked for


def test_full_recalculation_on_load_distrusts_every_cached_formula_result():
    workbook_xml = (f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="donnees" sheetId="1" '
                    'r:id="rId1"/></sheets><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
    sheet = sheet_xml('<row r="1"><c r="A1"><f>1+2</f><v>0</v></c><c r="B1" t="str"><f>"a"</f><v>a</v></c>'
                      '<c r="C1"><f>1+2</f></c><c r="D1"><v>5</v></c></row>')
    assert values(read_workbook(crafted(sheet, extra={"xl/workbook.xml": workbook_xml})).rows("donnees")) == [[
        (1, 1, None, "formule-a-recalculer"), (1, 2, None, "formule-a-recalculer"),
        (1, 3, None, "formule-sans-valeur"), (1, 4, 5.0, "nombre")]]
    assert values(read_workbook(crafted(sheet)).rows("donnees"))[0][:2] == [
        (1, 1, 0.0, "nombre"), (1, 2, "a", "texte")]  # saved by a spreadsheet program: the results are its own
