"""The PDFs' layout engine over reportlab: fonts, styles, escaped paragraphs, one-line table cells, tables
split over pages as a reader expects, headings kept with the start of what follows, bar charts, footers.

Several helpers here reach into reportlab's internals (underscored attributes and functions of `Table`,
`KeepTogether`, `Frame`, `paragraph.split`/`strip`, the canvas's `_doc._timeStamp`), written against
reportlab 5.1.0 as pinned in requirements.txt: check tests/test_reports.py's page-by-page comparisons when
upgrading it. reportlab is imported inside the functions, so that only the PDFs pay for it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from .. import formatting
from ..palette import ATTENTION, NEUTRALS
from .data import EXEMPLE, as_text

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
# One category of a one-series bar chart; a chart of several series gives each bar 9 points.
PDF_BAR_PT = 15.0
# A table row split across two pages keeps at least this much on each.
PDF_MIN_SPLIT_PT = 40
# SimpleDocTemplate's frame pads its content this much on each side: a table or a chart as wide as the margins
# leave would stick out of the text column by as much on the right (and the rest of a split table, centred, on
# both sides).
FRAME_PAD = 6.0
_fonts: tuple[str, str] | None = None


def _pdf_fonts() -> tuple[str, str]:
    """DejaVu Sans (accents, « € », narrow no-break spaces); Helvetica only if the Debian fonts are missing."""
    global _fonts
    if _fonts is None:
        regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            from reportlab.lib.fonts import addMapping
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
            for italic in (0, 1):
                addMapping("DejaVuSans", 0, italic, "DejaVuSans")
                addMapping("DejaVuSans", 1, italic, "DejaVuSans-Bold")
            _fonts = ("DejaVuSans", "DejaVuSans-Bold")
        else:
            _fonts = ("Helvetica", "Helvetica-Bold")
    return _fonts


_HELVETICA = str.maketrans({formatting.THOUSANDS: formatting.NBSP, "\u27e8": "<", "\u27e9": ">"})


def _pdf_text(value: Any) -> str:
    """Every text the PDFs draw, in a paragraph, a cell, a chart or a footer: a character reportlab cannot draw
    (a vertical tab pasted from Word, drawn as a blank or a black box) is shown by its mark
    (`formatting.writable`)."""
    text = formatting.writable(as_text(value))
    # Helvetica's encoding has no narrow no-break space nor the mark's angle brackets: the nearest it has.
    return text.translate(_HELVETICA) if _pdf_fonts()[0] == "Helvetica" else text


class Styles:
    def __init__(self, base: float) -> None:
        from reportlab.lib import colors
        from reportlab.lib.styles import ParagraphStyle

        regular, bold = _pdf_fonts()
        self.body = ParagraphStyle("body", fontName=regular, fontSize=base, leading=base * 1.25)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=base * 0.85, leading=base * 1.05,
                                    textColor=colors.HexColor("#404040"))
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=base * 0.9, leading=base * 1.1)
        self.right = ParagraphStyle("right", parent=self.cell, alignment=2)
        self.head = ParagraphStyle("head", parent=self.cell, fontName=bold, textColor=colors.white)
        self.title = ParagraphStyle("title", parent=self.body, fontName=bold, fontSize=base * 2.1,
                                    leading=base * 2.5, spaceAfter=base * 0.5)
        # A heading never ends a page: it goes with the beginning of what follows it (see `keep_with_start`).
        self.h1 = ParagraphStyle("h1", parent=self.body, fontName=bold, fontSize=base * 1.5, leading=base * 1.8,
                                 spaceBefore=base, spaceAfter=base * 0.5, keepWithNext=1)
        self.h2 = ParagraphStyle("h2", parent=self.body, fontName=bold, fontSize=base * 1.2, leading=base * 1.5,
                                 spaceBefore=base * 0.6, spaceAfter=base * 0.3, keepWithNext=1)
        self.alert = ParagraphStyle("alert", parent=self.body, fontName=bold, fontSize=base * 1.4,
                                    leading=base * 1.7, textColor=colors.HexColor(ATTENTION))
        self.label = ParagraphStyle("label", parent=self.cell, fontName=bold)
        self.bullet = ParagraphStyle("bullet", parent=self.body, leftIndent=base * 1.2, bulletIndent=base * 0.3,
                                     bulletFontName=regular)


def para(value: Any, style: Any) -> Any:
    """User and roadmap text as a Paragraph that shows what was typed: markup characters are escaped."""
    from reportlab.platypus import Paragraph

    return Paragraph(escape(_pdf_text(value)).replace("\n", "<br/>"), style)


# Padding of a table cell, in points: reportlab's default on the sides, tighter above and below.
_PAD_SIDE, _PAD_TOP, _PAD_BOTTOM = 6.0, 2.0, 3.0
# The height reportlab offers a cell's content when it measures a row (72 000 points, less the padding); a
# Paragraph's height does not depend on it.
_CELL_AVAIL_PT = 72000 - _PAD_TOP - _PAD_BOTTOM


@functools.cache
def _line_flowable() -> type:
    """The class of `_pdf_cell`'s one-line cells, made on first use: reportlab is only imported by the PDFs."""
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.platypus import Flowable

    class Line(Flowable):
        """One line of text drawn where, and as, the Paragraph holding it would draw it: at the top of its cell,
        left or right aligned, one leading tall. To the table it is a flowable like a Paragraph, so that rows
        are measured, split across pages and repeated exactly as before; unlike a Paragraph it has no markup to
        parse and no line to break, which is what made the PDF slow."""

        def __init__(self, text: str, style: Any, text_width: float) -> None:
            super().__init__()
            self.text, self.style, self.text_width = text, style, text_width
            # An empty Paragraph has no line, hence no height.
            self.height = style.leading if text else 0

        def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
            self.width = availWidth
            return availWidth, self.height

        def draw(self) -> None:
            # The very operators Paragraph writes for one line, in its order: the same page, and the same text
            # for whoever extracts it.
            if not self.text:
                return
            style, canvas = self.style, self.canv
            canvas.saveState()
            canvas.setFillColor(style.textColor)
            text = canvas.beginText(0, self.height - style.fontSize)
            text.setFont(style.fontName, style.fontSize, style.leading)
            shift = self.width - self.text_width if style.alignment == TA_RIGHT else 0
            if abs(shift) > 1e-6:
                text.setXPos(shift)
            text.textLine(self.text)
            if abs(shift) > 1e-6:
                text.setXPos(-shift)
            canvas.drawText(text)
            canvas.restoreState()

    return Line


def _pdf_cell(value: Any, style: Any, width: float) -> Any:
    """A table cell of `width` points that shows what was typed. Text that fits on one line is drawn as it is,
    never parsed (markup characters show as typed); anything longer, or with a line break or a soft hyphen,
    stays an escaped Paragraph that wraps. The line is the one the Paragraph would have drawn (reportlab's own
    whitespace rules: a narrow no-break space becomes a space), and it must fit without the space shrinking
    reportlab allows, so that the page is the same either way."""
    from reportlab.lib.enums import TA_LEFT, TA_RIGHT
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus.paragraph import split, strip

    text = _pdf_text(value)
    if style.alignment in (TA_LEFT, TA_RIGHT) and "\n" not in text and "\xad" not in text:
        words = split(strip(text))
        line = " ".join(words)
        font, size = style.fontName, style.fontSize
        line_width = stringWidth(line, font, size)
        if line_width < width - _PAD_SIDE - _PAD_SIDE - 1e-6:
            if style.alignment == TA_RIGHT and words:
                # Summed word by word as Paragraph sums them, so that the line ends on the very same point.
                space = stringWidth(" ", font, size)
                line_width = -space
                for word in words:
                    line_width = line_width + space + stringWidth(word, font, size)
            return _line_flowable()(line, style, line_width)
    return para(text, style)


def _frame_room(frame: Any) -> float:
    """The height a frame offers from its top: what a whole page gives a flowable."""
    return frame._height - frame._topPadding - frame._bottomPadding


def _header_rows(table: Any) -> int:
    repeat = table.repeatRows
    return repeat if isinstance(repeat, int) else max(repeat) + 1


@functools.cache
def _table_class() -> type:
    """The class of the PDF's tables, made on first use: reportlab is only imported by the PDFs."""
    from reportlab.platypus import Table

    class SplitTable(Table):
        """A table split over pages as a reader expects. reportlab splits between rows first and, when no row fits,
        within the first row that does not: a five-line row was cut four lines and one, its last line alone on
        the next page. And when a row taller than a page came after others, the rows before it ended one part,
        the next part (header, beginning of the long row) started on the same page: its header twice there. Here
        a row is split within itself only when even a whole page could not hold it, and then where it stands;
        any other row goes whole to the next page. Every part is placed where the table was (reportlab makes the
        parts of a split within a row centred)."""

        def split(self, availWidth: float, availHeight: float) -> list[Any]:
            self._calc(availWidth, availHeight)
            heights = self._rowHeights
            # The rows that fit here whole (the header included): the next one is where the table breaks.
            fitting = self._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans=1)
            frame = getattr(self, "_frame", None)
            room = (_frame_room(frame) if frame is not None else availHeight) - sum(heights[:_header_rows(self)])
            parts: list[Any] = []
            if self.splitInRow and fitting < len(heights) and heights[fitting] > room + 1e-6:
                # Fails when less than PDF_MIN_SPLIT_PT of the row would stay here: it then starts the next page.
                parts = self._splitRows(availHeight, doInRowSplit=1)
            if not parts:
                parts = self._splitRows(availHeight, doInRowSplit=0)
            for part in parts:
                part.hAlign, part.vAlign = self.hAlign, self.vAlign
            return parts

    return SplitTable


def _start_height(flowable: Any, width: float, height: float, frame: Any) -> float:
    """The least of a flowable that must stand under the heading before it: a table's header and first row (or,
    a row taller than a page being split, the least of it a page may keep), two lines of a paragraph, anything
    else whole."""
    from reportlab.platypus import Paragraph, Table

    _, whole = flowable.wrap(width, height)
    if isinstance(flowable, Table):
        rows = flowable._rowHeights
        header = _header_rows(flowable)
        start = sum(rows[:header + 1])
        if len(rows) > header and frame is not None and start > _frame_room(frame) + 1e-6:
            start = sum(rows[:header]) + PDF_MIN_SPLIT_PT
        return min(start, whole)
    if isinstance(flowable, Paragraph):
        return min(whole, 2 * flowable.style.leading)
    return whole


@functools.cache
def keep_with_start() -> type:
    """The group reportlab makes of headings (`keepWithNext`) and the flowable after them, made on first use.
    reportlab's KeepTogether sends the whole group to the next page when it does not fit on this one: a heading
    over a table of three pages left the rest of its page empty. Here the headings only need the beginning of
    what follows to fit under them; otherwise they start the next page with it."""
    from reportlab.platypus import KeepTogether
    from reportlab.platypus.flowables import _listWrapOn

    class KeepWithStart(KeepTogether):
        def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
            *headings, last = self._content
            dims: list[Any] = []
            width, height = _listWrapOn(headings, availWidth, self.canv, dims=dims)
            # The frame keeps the larger of the space after the last heading and the space before what follows.
            gap = max(headings[-1].getSpaceAfter() if headings else 0, last.getSpaceBefore())
            frame = getattr(self, "_frame", None)
            self._H = height + gap + _start_height(last, availWidth, availHeight, frame)
            self._H0 = dims[0][1] if dims else 0
            self._wrapInfo = availWidth, availHeight
            return width, 0xFFFFFF  # as KeepTogether: always split, which places the group or breaks the page

    return KeepWithStart


def pdf_table(styles: Styles, headers: Sequence[str], rows: Sequence[Sequence[Any]],
               widths: Sequence[float], numeric: Sequence[int] = ()) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    cells = [[_pdf_cell(h, styles.head, widths[i]) for i, h in enumerate(headers)],
             *([_pdf_cell(v, styles.right if i in numeric else styles.cell, widths[i]) for i, v in enumerate(row)]
               for row in rows)]
    # Left to measure the rows, reportlab measures all of them whenever it lays the table out or splits it, in
    # time quadratic in the rows (its shortcut for long tables only stops early in tables with spans): the four
    # passes over the national table of 8 535 indicators took seconds. The heights are measured here once, as
    # reportlab measures them (the tallest cell, its padding added), and given to the table. Each cell is then a
    # tuple of one flowable, as reportlab makes it when it measures: it empties a bare flowable split within a row.
    inner = [w - _PAD_SIDE - _PAD_SIDE for w in widths]
    pad = _PAD_BOTTOM + _PAD_TOP
    heights = [max(cell.wrap(w, _CELL_AVAIL_PT)[1] + pad for cell, w in zip(row, inner)) for row in cells]
    # Split between rows, the header repeated on every page; a row taller than a whole page (a long follow-up,
    # a structure in hundreds of fiches) is split within itself rather than failing the whole document, but never
    # into a sliver shorter than PDF_MIN_SPLIT_PT.
    table = _table_class()([[(cell,) for cell in row] for row in cells], colWidths=list(widths),
                           rowHeights=heights, repeatRows=1, splitByRow=1, splitInRow=PDF_MIN_SPLIT_PT,
                           hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(NEUTRALS[0])),  # not axe 1's blue
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#BBBBBB")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F2F2F2")]),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD_SIDE),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD_SIDE),
        ("TOPPADDING", (0, 0), (-1, -1), _PAD_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), _PAD_BOTTOM),
    ]))
    return table


def _pdf_category_pt(series: int) -> float:
    return max(PDF_BAR_PT, 9.0 * series)


def _pdf_chart_height(categories: int, series: int, stacked: bool = False) -> float:
    legend_h = 13 * series + 6 if series > 1 else 0
    return 40 + legend_h + categories * _pdf_category_pt(1 if stacked else series)


def pdf_chart_capacity(series: int, max_height: float, stacked: bool = False) -> int:
    """How many categories a chart of `series` series (stacked: one bar per category) may show within
    `max_height` points."""
    return max(1, int((max_height - _pdf_chart_height(0, series, stacked)) // _pdf_category_pt(1 if stacked
                                                                                             else series)))


# A chart's category names are drawn right-aligned left of its bars, in 8-point type; reportlab ends them 4 to 5
# points left of the axis, within the gap kept for them.
PDF_CHART_LABEL_PT, _CHART_LABEL_GAP = 8.0, 10.0
# The left of the bars: room for most names, more for longer ones, never more than this share of the width.
PDF_CHART_LEFT_PT, PDF_CHART_LEFT_MAX = 190.0, 0.4


def _pdf_chart_labels(categories: Sequence[str], width: float) -> tuple[list[str], float]:
    """The names a chart shows left of its bars, and where its bars start. With the bars at a fixed 190 points, a
    long structure name (« Réseau des conseillers et médiateurs numériques ») ran into the left margin, and a
    longer one would have run off the page: the bars move right to make room, up to a point; a name longer still
    is cut with « … » (it is whole in the table under the chart)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font = _pdf_fonts()[0]

    def measure(text: str) -> float:
        return stringWidth(text, font, PDF_CHART_LABEL_PT)

    names = [_pdf_text(c) for c in categories]
    longest = max((measure(n) for n in names), default=0.0)
    left = min(max(PDF_CHART_LEFT_PT, longest + _CHART_LABEL_GAP), PDF_CHART_LEFT_MAX * width)
    room = left - _CHART_LABEL_GAP
    shown = []
    for name in names:
        if measure(name) > room:
            while name and measure(name.rstrip() + "…") > room:
                name = name[:-1]
            name = name.rstrip() + "…"
        shown.append(name)
    return shown, left


def pdf_bar_chart(categories: list[str], series: list[tuple[str, list[float]]], label: Callable[[float], str],
                   width: float, max_height: float, *, colours: Sequence[str] | None = None,
                   totals: Sequence[str] | None = None) -> Any:
    """A horizontal bar chart drawn in the PDF itself (vector, selectable labels), one colour per series
    (`colours`, else the greys in order). With `totals`, the series are stacked, one bar per category beside its
    own name, and each bar says its total at its end. A drawing cannot be split across pages: the caller gives it
    no more categories than `pdf_chart_capacity`."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    stacked = totals is not None
    if len(categories) > pdf_chart_capacity(len(series), max_height, stacked):
        raise ValueError(f"{len(categories)} catégories : trop pour un graphique d'une page")
    regular, _ = _pdf_fonts()
    legend_h = 13 * len(series) + 6 if len(series) > 1 else 0
    height = _pdf_chart_height(len(categories), len(series), stacked)
    fills = list(colours) if colours is not None else [NEUTRALS[i % len(NEUTRALS)] for i in range(len(series))]
    names, left = _pdf_chart_labels(categories, width)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = left, 16 + legend_h
    chart.width, chart.height = width - left - 90, height - 24 - legend_h
    # The first category is drawn at the bottom: reversed so the chart reads in the tables' order.
    chart.data = [list(reversed(values)) for _, values in series]
    chart.categoryAxis.categoryNames = list(reversed(names))
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = PDF_CHART_LABEL_PT
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = lambda v: _pdf_text(formatting.number(v, 2))
    chart.barLabelFormat = lambda v: _pdf_text(label(v)) if v else ""
    if totals is not None:
        # Stacked: the total written once, at the end of the bar's last piece (the others say nothing).
        chart.categoryAxis.style = "stacked"
        last = [max([i for i, (_, values) in enumerate(series) if values[c]], default=len(series) - 1)
                for c in range(len(categories))]
        chart.barLabelFormat = "values"
        chart.barLabelArray = [list(reversed([_pdf_text(totals[c]) if last[c] == i else ""
                                              for c in range(len(categories))])) for i in range(len(series))]
    chart.barLabels.fontName = regular
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.groupSpacing = 6
    for index in range(len(series)):
        chart.bars[index].fillColor = colors.HexColor(fills[index])  # kinds, not axes
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    if len(series) > 1:
        legend = Legend()
        legend.x, legend.y = left, legend_h - 2
        legend.fontName, legend.fontSize = regular, 8
        legend.alignment = "right"
        legend.columnMaximum = len(series)
        legend.dy = legend.dx = 7
        legend.deltay = 13
        legend.colorNamePairs = [(colors.HexColor(fills[i]), _pdf_text(name))
                                 for i, (name, _) in enumerate(series)]
        drawing.add(legend)
    return drawing


def footer_drawer(text: str, exemple: bool) -> Callable[[Any, Any], None]:
    def draw(canvas: Any, doc: Any) -> None:
        regular, bold = _pdf_fonts()
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.setFillColorRGB(0.35, 0.35, 0.35)
        # Aligned on the text and the tables above it, inside the frame's padding.
        canvas.drawString(doc.leftMargin + FRAME_PAD, doc.bottomMargin / 2, _pdf_text(f"{text} — page {doc.page}"))
        if exemple:
            canvas.setFont(bold, 7.5)
            canvas.setFillColorRGB(0.69, 0, 0.13)
            canvas.drawRightString(doc.pagesize[0] - doc.rightMargin - FRAME_PAD, doc.bottomMargin / 2,
                                   _pdf_text(f"{EXEMPLE} (valeurs fictives)"))
        canvas.restoreState()
    return draw


def dated_canvas(moment: datetime) -> Callable[..., Any]:
    """reportlab's canvas, its file made the same at every build: reportlab writes the build's time as the PDF's
    dates and draws the file's identifier from it. Invariant mode takes both from a fixed date; the dates are then
    set to `moment` (a closure's: when it was closed), so that the PDF still says when it was made."""
    from reportlab.pdfgen.canvas import Canvas

    def make(*args: Any, **kwargs: Any) -> Any:
        canvas = Canvas(*args, **{**kwargs, "invariant": 1})
        canvas._doc._timeStamp.YMDhms = tuple(moment.timetuple())[:6]
        return canvas

    return make


def bullet_item(value: Any, style: Any) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(_pdf_text(value)), style, bulletText="•")
