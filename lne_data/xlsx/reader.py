"""`read_workbook`: the whole read in this process, container checks first, then the parts, then the sheets."""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from typing import BinaryIO

from .container import _Budget, _check_declared_sizes, _check_signature, _load, _open_zip
from .model import Limits, Masked, RawRows, Workbook, _collector_paused, _corrupt, _sheet_key
from .parse import _parse_sheet
from .parts import _number_styles, _relationships, _shared_strings, _sheet_list, _workbook_part


def read_workbook(source: bytes | BinaryIO, *, wanted_sheets: Collection[str] | None = None,
                  limits: Limits = Limits()) -> Workbook:
    """Read an uploaded .xlsx in this process; WorkbookRejected says why a file cannot be used.

    Only the sheets named in `wanted_sheets` (all when None) are parsed, a name standing for every sheet
    `Workbook.find` would give for it (« SAISIE » for « Saisie »), and shared strings and styles only when at
    least one of them is a worksheet. In the server, prefer `read_workbook_isolated`.
    """
    if isinstance(wanted_sheets, str):
        raise TypeError("wanted_sheets est une collection de noms de feuilles, pas un nom seul")
    data = _load(source, limits)
    _check_signature(data)
    with _open_zip(data, limits) as zf, _collector_paused():
        infos = zf.infolist()
        _check_declared_sizes(infos, limits)
        parts = {info.filename.lower(): info for info in infos}
        if len(parts) != len(infos):
            _corrupt("l'archive contient deux fois le même élément interne")
        budget = _Budget(limits)
        main = _workbook_part(budget, zf, parts)
        sheets, hidden, date1904, full_calc = _sheet_list(budget, zf, main, limits)
        rels = _relationships(budget, zf, parts, main)
        parsed: dict[str, RawRows] = {}
        masked: dict[str, Masked] = {}
        worksheets: list[tuple[str, zipfile.ZipInfo]] = []
        wanted = None if wanted_sheets is None else {_sheet_key(name) for name in wanted_sheets}
        for name, rel in sheets:
            if wanted is not None and _sheet_key(name) not in wanted:
                continue
            kind, path = rels.get(rel, ("", ""))
            if path not in parts:
                _corrupt("une feuille du classeur renvoie à un contenu absent", name)
            if kind == "worksheet":
                worksheets.append((name, parts[path]))
            else:
                parsed[name] = []  # a chart sheet or a dialog sheet: no cells
        if worksheets:
            linked = {kind: parts.get(path) for kind, path in rels.values()}
            styles, shared = linked.get("styles"), linked.get("sharedStrings")
            number_styles = _number_styles(budget, zf, styles) if styles is not None else {}
            strings = _shared_strings(budget, zf, shared) if shared is not None else []
            for name, info in worksheets:
                parsed[name], masked[name] = _parse_sheet(budget, zf, info, name, strings, number_styles, date1904,
                                                          full_calc)
        return Workbook([name for name, _ in sheets], parsed, hidden, masked)

