"""The report as a file in the format asked for, the same bytes whenever it is built from the same data."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from io import BytesIO

from .data import ReportData
from .deck import build_pptx
from .pdf import build_pdf
from .workbook import build_xlsx

_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def pinned_zip(blob: bytes, moment: datetime) -> bytes:
    """An Office file (a zip) whose every entry is dated `moment`, its core properties' dates too, and so are
    those of the workbooks inside it (a native chart's data): python-pptx, openpyxl and xlsxwriter write the time
    of the build there, which made two builds of a closed quarter's files differ."""
    stamp = tuple(max(moment, datetime(1980, 1, 1)).timetuple())[:6]
    iso = f"{moment:%Y-%m-%dT%H:%M:%SZ}".encode()
    source = zipfile.ZipFile(BytesIO(blob))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.endswith("docProps/core.xml"):
                content = _CORE_DATES.sub(lambda m: m.group(1) + iso + m.group(3), content)
            elif item.filename.endswith(".xlsx"):
                content = pinned_zip(content, moment)
            entry = zipfile.ZipInfo(item.filename, date_time=stamp)  # type: ignore[arg-type]
            entry.compress_type, entry.external_attr = item.compress_type, item.external_attr
            target.writestr(entry, content)
    return out.getvalue()


FORMATS = ("pptx", "pdf", "xlsx")


def build(data: ReportData, fmt: str) -> bytes:
    """The report as a file, the same bytes whenever it is built from the same data: a closed quarter's deck, PDF
    and workbook are dated by their closure (`closure_report_data`), never by the moment they are downloaded."""
    if fmt == "xlsx":
        return pinned_zip(build_xlsx(data), data.genere_le)
    buffer = BytesIO()
    if fmt == "pptx":
        build_pptx(data, buffer)
        return pinned_zip(buffer.getvalue(), data.genere_le)
    if fmt == "pdf":
        build_pdf(data, buffer)
        return buffer.getvalue()
    raise ValueError(f"Format inconnu « {fmt} » : pptx, pdf ou xlsx.")
