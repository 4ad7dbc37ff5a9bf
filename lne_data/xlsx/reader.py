"""`read_workbook`: the whole read in this process, container checks first, then the parts, then the sheets."""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from typing import BinaryIO

from .container import ByteBudget, check_declared_sizes, check_signature, load_upload, open_zip
from .model import Limits, Masked, RawRows, Workbook, collector_paused, corrupt, sheet_key
from .parse import parse_sheet
from .parts import find_workbook_part, read_number_styles, read_relationships, read_shared_strings, read_sheet_list


def read_workbook(source: bytes | BinaryIO, *, wanted_sheets: Collection[str] | None = None,
                  limits: Limits = Limits()) -> Workbook:
    """Read an uploaded .xlsx in this process; WorkbookRejected says why a file cannot be used.

    Only the sheets named in `wanted_sheets` (all when None) are parsed, a name standing for every sheet
    `Workbook.find` would give for it (« SAISIE » for « Saisie »), and shared strings and styles only when at
    least one of them is a worksheet. In the server, prefer `read_workbook_isolated`.
    """
    if isinstance(wanted_sheets, str):
        raise TypeError("wanted_sheets est une collection de noms de feuilles, pas un nom seul")
    data = load_upload(source, limits)
    check_signature(data)
    with open_zip(data, limits) as zf, collector_paused():
        infos = zf.infolist()
        check_declared_sizes(infos, limits)
        parts = {info.filename.lower(): info for info in infos}
        if len(parts) != len(infos):
            corrupt("l'archive contient deux fois le même élément interne")
        budget = ByteBudget(limits)
        main = find_workbook_part(budget, zf, parts)
        sheets, hidden, date1904, full_calc = read_sheet_list(budget, zf, main, limits)
        rels = read_relationships(budget, zf, parts, main)
        parsed: dict[str, RawRows] = {}
        masked: dict[str, Masked] = {}
        worksheets: list[tuple[str, zipfile.ZipInfo]] = []
        wanted = None if wanted_sheets is None else {sheet_key(name) for name in wanted_sheets}
        for name, rel in sheets:
            if wanted is not None and sheet_key(name) not in wanted:
                continue
            kind, path = rels.get(rel, ("", ""))
            if path not in parts:
                corrupt("une feuille du classeur renvoie à un contenu absent", name)
            if kind == "worksheet":
                worksheets.append((name, parts[path]))
            else:
                parsed[name] = []  # a chart sheet or a dialog sheet: no cells
        if worksheets:
            linked = {kind: parts.get(path) for kind, path in rels.values()}
            styles, shared = linked.get("styles"), linked.get("sharedStrings")
            number_styles = read_number_styles(budget, zf, styles) if styles is not None else {}
            strings = read_shared_strings(budget, zf, shared) if shared is not None else []
            for name, info in worksheets:
                parsed[name], masked[name] = parse_sheet(budget, zf, info, name, strings, number_styles, date1904,
                                                          full_calc)
        return Workbook([name for name, _ in sheets], parsed, hidden, masked)

