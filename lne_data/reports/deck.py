"""The quarterly deck (PowerPoint): native, editable charts and tables, every run in French, its slides and
cells written as XML in one piece because python-pptx's call-by-call building was most of a national deck's time.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Sequence
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from .. import formatting
from ..palette import AMOUNT_KIND_STYLES, ATTENTION, AXE_PALETTE, NEUTRALS
from .data import (
    EXEMPLE,
    EXEMPLE_DETAIL,
    AttentionGroup,
    ReportData,
    as_text,
    attention_items,
    axe_attention,
    budget_series,
    cover_lines,
    decisions,
    declared_text,
    etp_left_out,
    etp_par_structure_lines,
    etp_text,
    execution_rows,
    grouped,
    key_figures,
    prevu_annees_text,
    prevu_text,
    progression_text,
    valeur_text,
)

# 16:9 at PowerPoint's default size; type large enough to be read on a projector at the back of the room.
SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
MARGIN_IN = 0.5
TITLE_PT, BODY_PT, TABLE_PT, FOOTER_PT = 30, 20, 16, 12
BODY_TOP_IN = 1.35
BODY_BOTTOM_IN = SLIDE_H_IN - 0.65
# Bars a projected chart can show with readable labels: the structures with the most ETP (all of them in the
# table that follows), the axes of one investment chart. A long name takes two lines: with 12 structures,
# LibreOffice already showed only every other label.
ETP_TOP_DECK = 10
DECK_AXES_PER_CHART = 8
# Fiche numbers listed in a sentence of the deck; the PDF lists them all.
DECK_LISTED = 30
# A sentence typed as a qualitative value may run to 2 000 characters: the deck shows its beginning, the PDF
# and the workbook all of it.
DECK_CELL_CHARS = 280
ALERT = ATTENTION[1:]  # palette.ATTENTION as python-pptx writes colours
# Every run of the deck says its language: French PowerPoint then checks its spelling in French.
LANG = "fr-FR"
GREY = "595959"


def _lines(text: str, width_in: float, font_pt: float) -> int:
    """Lines a text takes in a box, wrapped on words. The average glyph is taken wide (DejaVu Sans, which
    LibreOffice substitutes for Calibri) so that a page never overflows in either program."""
    per_line = max(1, int(width_in * 72 / (font_pt * 0.55)))
    # Most cells are shorter than a line: textwrap (which widens tabs) is only needed for the others.
    return sum(1 if len(part) <= per_line and "\t" not in part else max(1, len(textwrap.wrap(part, per_line)))
               for part in text.split("\n"))


def _short(text: str, limit: int = DECK_CELL_CHARS) -> str:
    return formatting.short(text, limit)


def cell_text(value: Any) -> str:
    """What a table cell shows: writable (`formatting.writable`), cut to `DECK_CELL_CHARS`; measured as written."""
    return _short(formatting.writable(as_text(value)))


# Once `formatting.writable` has marked what XML refuses, a carriage return is left: python-pptx writes it so.
_RUN_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_CELL_MARGINS = 'marL="54864" marR="54864" marT="27432" marB="27432"'  # 0.06 and 0.03 inch


def _cell_xml(value: Any, run_properties: str) -> str:
    """One table cell as python-pptx writes it after `text_frame.text = …`, `word_wrap = True`, margins and
    font: a paragraph per line, an empty line an empty paragraph, a carriage return written `_x000D_`; what XML
    refuses is shown by its mark (`cell_text`)."""
    paragraphs = []
    for line in cell_text(value).split("\n"):
        if line:
            line = _RUN_CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", line)
            paragraphs.append(f"<a:p><a:r>{run_properties}<a:t>{escape(line)}</a:t></a:r></a:p>")
        else:
            paragraphs.append("<a:p/>")
    return (f'<a:tc><a:txBody><a:bodyPr wrap="square"/><a:lstStyle/>{"".join(paragraphs)}</a:txBody>'
            f"<a:tcPr {_CELL_MARGINS}/></a:tc>")


def _run_xml(text: str, size: float, bold: bool, colour: str | None) -> str:
    """A run as python-pptx writes it after `run.text = …`, `font.size`, `font.bold` and `font.color.rgb`. Every
    text of the deck's boxes is written here: what XML refuses becomes its mark (`formatting.writable`)."""
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    fill = f'<a:solidFill><a:srgbClr val="{RGBColor.from_string(colour)}"/></a:solidFill>' if colour else ""
    properties = (f'<a:rPr lang="{LANG}" sz="{Pt(size).centipoints}" b="{int(bold)}"'
                  + (f">{fill}</a:rPr>" if fill else "/>"))
    text = _RUN_CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", formatting.writable(text))
    return f"<a:r>{properties}<a:t>{escape(text)}</a:t></a:r>"


def _text_body_xml(paragraphs: Sequence[tuple[str, float, bool, str | None]]) -> str:
    """The `p:txBody` of a deck text box, as `_Deck.text` used to build it with python-pptx: wrapped, one run per
    paragraph, space after each paragraph a third of its type size."""
    from pptx.oxml.ns import nsdecls
    from pptx.util import Pt

    body = "".join(f'<a:p><a:pPr><a:spcAft><a:spcPts val="{Pt(size * 0.35).centipoints}"/></a:spcAft></a:pPr>'
                   f"{_run_xml(as_text(content), size, bold, colour)}</a:p>"
                   for content, size, bold, colour in paragraphs) or "<a:p/>"
    return (f'<p:txBody {nsdecls("a", "p")}><a:bodyPr wrap="square"><a:spAutoFit/></a:bodyPr><a:lstStyle/>'
            f"{body}</p:txBody>")


def _table_xml(widths: Sequence[int], height: int, headers: Sequence[str], rows: Sequence[Sequence[str]],
               font_pt: float) -> str:
    """The `a:tbl` of a deck table: widths and height in EMU, the height shared between rows as python-pptx's
    `add_table` shares it (the last row takes the remainder), PowerPoint's default table style."""
    from pptx.oxml.ns import nsdecls
    from pptx.util import Pt

    size = Pt(font_pt).centipoints
    head = f'<a:rPr lang="{LANG}" sz="{size}" b="1"><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:rPr>'
    body = f'<a:rPr lang="{LANG}" sz="{size}" b="0"/>'
    count = len(rows) + 1
    row_height = height // count
    parts = [f'<a:tbl {nsdecls("a")}><a:tblPr firstRow="1" bandRow="1">'
             "<a:tableStyleId>{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}</a:tableStyleId></a:tblPr><a:tblGrid>",
             *(f'<a:gridCol w="{w}"/>' for w in widths), "</a:tblGrid>"]
    for index, (values, run) in enumerate([(headers, head), *((row, body) for row in rows)]):
        h = row_height if index < count - 1 else height - (count - 1) * row_height
        parts.append(f'<a:tr h="{h}">' + "".join(_cell_xml(v, run) for v in values) + "</a:tr>")
    parts.append("</a:tbl>")
    return "".join(parts)


def _paginate(heights: list[float], budget: float, most: int | None = None) -> list[list[int]]:
    """Consecutive items in pages of at most `budget` height (an item taller than that alone on its page) and at
    most `most` items."""
    pages: list[list[int]] = [[]]
    used = 0.0
    for index, height in enumerate(heights):
        if pages[-1] and (used + height > budget or len(pages[-1]) == most):
            pages.append([])
            used = 0.0
        pages[-1].append(index)
        used += height
    return pages


DeckParagraph = tuple[str, float, bool, "str | None"]  # text, size in points, bold, colour


def _height(paragraphs: Sequence[DeckParagraph], width_in: float) -> float:
    """Inches that paragraphs take in a text box `width_in` wide, as `_Deck.text` spaces them."""
    return sum(_lines(formatting.writable(as_text(t)), width_in - 0.2, size) * size * 1.25 / 72 + size * 0.35 / 72
               for t, size, _, _ in paragraphs)


class _Deck:
    def __init__(self, data: ReportData) -> None:
        from pptx import Presentation
        from pptx.util import Inches

        self.data = data
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
        self.blank = self.prs.slide_layouts[6]
        self._slide_ids = self.prs.slides._sldIdLst
        self._next_slide_id = max([255, *(int(i) for i in self._slide_ids.xpath("./p:sldId/@id"))]) + 1
        self._placeholders = list(self.blank.iter_cloneable_placeholders())  # none in the blank layout

    def new_slide(self) -> Any:
        """A blank slide at the end, as `prs.slides.add_slide(self.blank)` makes it. That call looks through all
        the presentation's relationships for one to the new slide, and through all slide ids for the largest:
        quadratic, 5 s of a national deck's 1 500 slides. A new slide has no relationship yet, and this deck
        hands out the ids itself. Relies on python-pptx 1.0 internals (pinned in requirements.txt)."""
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT
        from pptx.opc.packuri import PackURI
        from pptx.parts.slide import SlidePart

        part = self.prs.part
        partname = PackURI(f"/ppt/slides/slide{len(self._slide_ids) + 1}.xml")
        slide_part = SlidePart.new(partname, part.package, self.blank.part)
        rid = part.rels._add_relationship(RT.SLIDE, slide_part)
        slide = slide_part.slide
        for placeholder in self._placeholders:
            slide.shapes.clone_placeholder(placeholder)
        self._slide_ids._add_sldId(id=self._next_slide_id, rId=rid)
        self._next_slide_id += 1
        return slide

    def text(self, slide: Any, left: float, top: float, width: float, height: float,
             paragraphs: Sequence[tuple[str, float, bool, str | None]]) -> Any:
        """A text box of (text, size in points, bold, colour) paragraphs, wrapped, never auto-shrunk. Its text is
        written as XML in one piece (`_text_body_xml`): two or three boxes on each of a national deck's
        1 500 slides, and python-pptx's run-by-run calls were a third of its time."""
        from pptx.oxml import parse_xml
        from pptx.util import Inches

        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        placeholder = box.element.txBody
        placeholder.getparent().replace(placeholder, parse_xml(_text_body_xml(paragraphs)))
        return box

    def slide(self, title: str) -> Any:
        slide = self.new_slide()
        self.text(slide, MARGIN_IN, 0.35, SLIDE_W_IN - 2 * MARGIN_IN, 0.9, [(title, TITLE_PT, True, None)])
        footer = f"{self.data.titre} — suivi {self.data.periode_label}"
        self.text(slide, MARGIN_IN, SLIDE_H_IN - 0.55, 8.5, 0.4, [(footer, FOOTER_PT, False, GREY)])
        if self.data.exemple:
            self.text(slide, SLIDE_W_IN - MARGIN_IN - 3.8, SLIDE_H_IN - 0.55, 3.8, 0.4,
                      [(f"{EXEMPLE} (valeurs fictives)", FOOTER_PT, True, ALERT)])
        return slide

    def table(self, slide: Any, top: float, columns: Sequence[tuple[str, float]], rows: Sequence[Sequence[str]],
              font_pt: float = TABLE_PT) -> Any:
        """A table of plain text, the header row bold and white. Its XML is written in one piece: the same
        elements python-pptx's cell-by-cell calls give (`_table_xml`), thirteen times faster for the national
        deck's 57 000 cells."""
        from pptx.oxml import parse_xml
        from pptx.util import Inches

        widths = [int(Inches(w)) for _, w in columns]
        height = int(Inches(0.4 * (len(rows) + 1)))
        shape = slide.shapes.add_table(1, 1, Inches(MARGIN_IN), Inches(top), sum(widths), height)
        placeholder = shape.element.xpath("./a:graphic/a:graphicData/a:tbl")[0]
        placeholder.getparent().replace(placeholder, parse_xml(_table_xml(widths, height, [h for h, _ in columns],
                                                                          rows, font_pt)))
        return shape.table

    def paged_table(self, title: str, columns: Sequence[tuple[str, float]], rows: list[list[str]],
                    intro: str | None = None, font_pt: float = TABLE_PT) -> None:
        """As many slides as the rows need, each titled « (suite) » after the first, the header repeated; the
        introduction line only on the first, so that the following ones hold more rows."""
        first_top = BODY_TOP_IN + (0.6 if intro else 0)
        line = font_pt * 1.2 / 72

        def height(values: Sequence[str]) -> float:
            return max(_lines(cell_text(v), w - 0.12, font_pt) for v, (_, w) in zip(values, columns)) * line + 0.08

        header = height([h for h, _ in columns])
        pages: list[list[int]] = [[]]
        used, budget = 0.0, BODY_BOTTOM_IN - first_top - header - 0.1
        for index, row in enumerate(rows):
            needed = height(row)
            if pages[-1] and used + needed > budget:
                pages.append([])
                used, budget = 0.0, BODY_BOTTOM_IN - BODY_TOP_IN - header - 0.1
            pages[-1].append(index)
            used += needed
        for number, page in enumerate(pages):
            slide = self.slide(title if number == 0 else f"{title} (suite)")
            if intro and number == 0:
                self.text(slide, MARGIN_IN, BODY_TOP_IN - 0.05, SLIDE_W_IN - 2 * MARGIN_IN, 0.55,
                          [(intro, BODY_PT - 2, False, GREY)])
            if page:
                self.table(slide, first_top if number == 0 else BODY_TOP_IN, columns, [rows[i] for i in page],
                           font_pt)

    def bullets(self, title: str, groups: list[AttentionGroup], empty: str) -> None:
        width = SLIDE_W_IN - 2 * MARGIN_IN
        size = BODY_PT - 2
        entries: list[tuple[str, float, bool, str | None]] = []
        for group in groups:
            entries.append((group.heading, size + 2, True, None))
            entries += [(note, size, False, None) for note in group.notes]
            entries += [(f"• {line}", size, False, None) for line in group.points]
        if not entries:
            entries = [(empty, BODY_PT, False, None)]
        heights = [_height([entry], width) for entry in entries]
        for number, page in enumerate(_paginate(heights, BODY_BOTTOM_IN - BODY_TOP_IN - 0.2)):
            slide = self.slide(title if number == 0 else f"{title} (suite)")
            chosen = [entries[i] for i in page]
            if number > 0 and not chosen[0][2]:
                continued = next(e for e in reversed(entries[:page[0]]) if e[2])
                chosen.insert(0, (f"{continued[0]} — suite", continued[1], True, None))
            self.text(slide, MARGIN_IN, BODY_TOP_IN, width, BODY_BOTTOM_IN - BODY_TOP_IN, chosen)

    def bar_chart(self, slide: Any, left: float, top: float, width: float, height: float, title: str,
                  categories: list[str], series: list[tuple[str, list[float]]], number_format: str, *,
                  colours: Sequence[str] | None = None, patterns: Sequence[str] | None = None,
                  stacked: bool = False) -> Any:
        """A native, editable bar chart. Data labels leave zeros out (empty third section of the number format):
        an axe with no yearly amount shows no « 0 € » label. `colours`, `patterns`: one per series (else greys in
        order, plain; a pattern is `palette`'s hatching). `stacked`: one bar per category beside its own name, its
        series stacked, without labels (PowerPoint writes a stacked bar's labels inside it, where they cannot be
        read: the notes beside the chart say the figures)."""
        from pptx.chart.data import CategoryChartData
        from pptx.dml.color import RGBColor
        from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
        from pptx.enum.lang import MSO_LANGUAGE_ID
        from pptx.util import Inches, Pt

        chart_data = CategoryChartData(number_format=number_format)
        chart_data.categories = [formatting.writable(as_text(c)) for c in categories]
        for name, values in series:
            chart_data.add_series(formatting.writable(name), [float(v) for v in values])
        kind = XL_CHART_TYPE.BAR_STACKED if stacked else XL_CHART_TYPE.BAR_CLUSTERED
        shape = slide.shapes.add_chart(kind, Inches(left), Inches(top), Inches(width),
                                       Inches(height), chart_data)
        chart = shape.chart
        chart.font.size = Pt(14)
        chart.has_title = True
        chart.chart_title.text_frame.text = formatting.writable(title)
        chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(18)
        chart.chart_title.text_frame.paragraphs[0].runs[0].font.language_id = MSO_LANGUAGE_ID.FRENCH
        chart.has_legend = len(series) > 1
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
        # A bar chart draws its first category at the bottom; reversed, it reads top-down like the tables.
        chart.category_axis.reverse_order = True
        chart.value_axis.has_major_gridlines = True
        chart.value_axis.tick_labels.number_format = number_format
        chart.value_axis.tick_labels.number_format_is_linked = False
        plot = chart.plots[0]
        plot.gap_width = 60
        fills = list(colours) if colours is not None else [NEUTRALS[i % len(NEUTRALS)] for i in range(len(series))]
        for index, chart_series in enumerate(plot.series):
            # Series are kinds of amounts or ETP, never axes: greys (lne_data.palette), hatched as on screen.
            fill = chart_series.format.fill
            pattern = _deck_patterns().get(patterns[index] if patterns else "")
            if pattern is None:
                fill.solid()
                fill.fore_color.rgb = RGBColor.from_string(fills[index][1:])
            else:  # white hatching over the kind's grey: the bar keeps its grey, its kind its hatching
                fill.patterned()
                fill.pattern = pattern
                fill.back_color.rgb = RGBColor.from_string(fills[index][1:])
                fill.fore_color.rgb = RGBColor.from_string("FFFFFF")
        if stacked:
            plot.overlap = 100
            return chart
        plot.has_data_labels = True
        plot.data_labels.number_format = f"{number_format};-{number_format};"
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
        return chart

    def save(self, out: BinaryIO) -> None:
        # python-pptx's template says « Steve Canny » and 2013: the deck is the roadmap's, in French, dated by its
        # report (`build` dates the package the same way). A property holds 255 characters: a long title or a
        # closer's long name is cut there, whole on the slides.
        core = self.prs.core_properties
        core.title = formatting.document_property(f"{self.data.titre} — {self.data.periode_label}")
        core.author = core.last_modified_by = formatting.document_property(self.data.titre)
        core.comments = formatting.document_property(self.data.cloture.cloture_text if self.data.cloture else "")
        core.language = LANG
        core.revision = 1
        core.created = core.modified = self.data.genere_le
        self.prs.save(out)


def _deck_patterns() -> dict[str, Any]:
    """PowerPoint's fills for palette.PATTERNS' hatchings of the kinds of amounts ("" is a plain fill)."""
    from pptx.enum.dml import MSO_PATTERN

    return {"/": MSO_PATTERN.WIDE_UPWARD_DIAGONAL, ".": MSO_PATTERN.PERCENT_50, "x": MSO_PATTERN.DIAGONAL_CROSS}


# A deck slide per axe charts at most this many fiches (a national axe has hundreds: all are in the appendix).
DECK_AXE_FICHES = 15


def build_pptx(data: ReportData, out: BinaryIO) -> None:
    """A deck to present: title, the quarter in key figures, one slide per axe (its chart and its points
    d'attention), what the comité is asked to decide; then, after a divider, the full tables as an appendix
    (every fiche, investment and ETP charts, every indicator, every point of attention). Native, editable charts;
    every run in French."""
    deck = _Deck(data)
    _cover(deck, data)
    _key_figures_slide(deck, data)
    _axe_slides(deck, data)
    _decisions_and_divider(deck, data)
    _appendix_fiches(deck, data)
    _budget_slides(deck, data)
    _execution_slides(deck, data)
    _etp_slides(deck, data)
    _indicateurs_slides(deck, data)
    deck.bullets("Points d'attention", grouped(attention_items(data)), "Aucun point d'attention ce trimestre.")
    deck.save(out)


def _cover(deck: _Deck, data: ReportData) -> None:
    """The title slide: the roadmap, the quarter, the example warning."""
    width = SLIDE_W_IN - 2 * MARGIN_IN
    title = deck.new_slide()
    lines: list[tuple[str, float, bool, str | None]] = [
        (data.titre, 40, True, None),
        (f"Comité syndical — suivi du {data.periode_label}", 30, False, None),
        *[(line, 20, False, GREY) for line in cover_lines(data)],
    ]
    if data.version:
        lines.append((f"Feuille de route : {data.version}", 16, False, GREY))
    if data.exemple:
        lines += [(EXEMPLE, 26, True, ALERT), (EXEMPLE_DETAIL, 16, False, ALERT)]
    deck.text(title, MARGIN_IN + 0.3, 1.2, width - 0.6, 5.6, lines)


def _key_figures_slide(deck: _Deck, data: ReportData) -> None:
    """The quarter in key figures, three tiles a row."""
    width = SLIDE_W_IN - 2 * MARGIN_IN
    slide = deck.slide(f"Le {data.periode_label} en chiffres")
    figures = key_figures(data)
    per_row = 3
    tile_w, tile_h = (width - 0.3 * (per_row - 1)) / per_row, 2.3
    for index, (figure, label) in enumerate(figures):
        row, col = divmod(index, per_row)
        deck.text(slide, MARGIN_IN + col * (tile_w + 0.3), BODY_TOP_IN + 0.2 + row * (tile_h + 0.2), tile_w, tile_h,
                  [(figure, 40, True, AXE_PALETTE[0][1:]), (label, 20, False, None)])


def _axe_slides(deck: _Deck, data: ReportData) -> None:
    """One slide per axe: its fiches' indicators reported, its points d'attention."""
    width = SLIDE_W_IN - 2 * MARGIN_IN
    body_height = BODY_BOTTOM_IN - BODY_TOP_IN
    for axe in data.axes.itertuples():
        fiches = data.fiches[data.fiches["axe"] == axe.code]
        slide = deck.slide(f"Axe {axe.code} — {_short(as_text(axe.libelle), 60)}")
        shown = fiches.head(DECK_AXE_FICHES)
        chart_title = "Indicateurs renseignés par fiche"
        if len(fiches) > len(shown):
            chart_title += f" ({len(shown)} premières fiches sur {len(fiches)})"
        deck.bar_chart(slide, MARGIN_IN, BODY_TOP_IN, 7.2, body_height, chart_title,
                       [f"Fiche {int(n)}" for n in shown["fiche"]],
                       [(f"Renseignés en {data.periode_label}", list(shown["saisis"])),
                        ("Attendus", list(shown["attendus"]))], "0")
        side_left, side_width = MARGIN_IN + 7.4, width - 7.4
        notes: list[DeckParagraph] = [
            (f"{axe.fiches} fiche(s) · {etp_text(axe.etp)}", 18, True, None),
            (f"Budget : {prevu_text(data, int(axe.code))}", 16, False, None),
            (f"Indicateurs renseignés : {int(fiches['saisis'].sum())} sur {int(fiches['attendus'].sum())}",
             18, False, None),
            ("Points d'attention", 20, True, ALERT),
        ]
        points = axe_attention(data, int(axe.code)) or ["Aucun point d'attention pour cet axe."]
        room = body_height - _height(notes, side_width) - _height([("x", 16, False, None)], side_width)
        kept: list[DeckParagraph] = []
        for point in points:
            candidate = (f"• {_short(point, 160)}", 16, False, None)
            if _height([*kept, candidate], side_width) > room:
                break
            kept.append(candidate)
        if len(kept) < len(points):
            kept.append((f"… et {len(points) - len(kept)} autre(s) : voir l'annexe.", 16, True, GREY))
        deck.text(slide, side_left, BODY_TOP_IN, side_width, body_height, notes + kept)


def _decisions_and_divider(deck: _Deck, data: ReportData) -> None:
    """What the comité is asked to decide, then the appendix's divider."""
    width = SLIDE_W_IN - 2 * MARGIN_IN
    body_height = BODY_BOTTOM_IN - BODY_TOP_IN
    slide = deck.slide("Ce que le comité est invité à décider")
    asked = [(f"{number}. {_short(line, 300)}", 20, False, None) for number, line in enumerate(decisions(data), 1)]
    deck.text(slide, MARGIN_IN, BODY_TOP_IN, width, body_height, asked)

    divider = deck.new_slide()
    deck.text(divider, MARGIN_IN + 0.3, 2.6, width - 0.6, 2.4, [
        ("Annexes", 44, True, None),
        ("Les fiches de chaque axe, l'investissement et la charge en ETP, tous les indicateurs du trimestre et "
         "tous les points d'attention.", 20, False, GREY)])


def _appendix_fiches(deck: _Deck, data: ReportData) -> None:
    """Every fiche of every axe, in tables over as many slides as needed."""
    for axe in data.axes.itertuples():
        fiches = data.fiches[data.fiches["axe"] == axe.code]
        intro = (f"{axe.fiches} fiche(s) · {prevu_text(data, int(axe.code))} · {etp_text(axe.etp)} · indicateurs "
                 f"renseignés en {data.periode_label} : {int(fiches['saisis'].sum())} sur "
                 f"{int(fiches['attendus'].sum())}")
        rows = [[str(r.fiche), as_text(r.intitule), as_text(r.porteurs), as_text(r.statut) or "—",
                 as_text(r.meteo) or "—",
                 f"{r.saisis} / {r.attendus}"] for r in fiches.itertuples()]
        deck.paged_table(f"Axe {axe.code} — {axe.libelle}",
                         [("N°", 0.6), ("Fiche action", 5.0), ("Porteur(s)", 2.9), ("Statut", 1.3), ("Météo", 1.4),
                          ("Saisis", 1.13)], rows, intro)


def _execution_slides(deck: _Deck, data: ReportData) -> None:
    """The execution declared by the porteurs, per axe: prévu (`BudgetView.prevu`), engagé, payé, « non déclaré »
    never 0 €."""
    title = "Exécution budgétaire déclarée"
    if data.execution is None or data.execution_annees is None:
        deck.bullets(title, [], "Non figée par cette clôture, antérieure à son suivi.")
        return

    money = declared_text
    rows = execution_rows(data)
    years = "; ".join(f"{int(r.annee)} : engagé {money(r.engage_eur)}, payé {money(r.paye_eur)}"
                      for r in data.execution_annees.itertuples() if not (math.isnan(r.engage_eur)
                                                                          and math.isnan(r.paye_eur)))
    deck.paged_table(f"{title}, jusqu'au {data.periode_label}",
                     [("Axe", 5.6), (f"Prévu {data.chiffres.budget.periode}", 2.2), ("Engagé", 2.2), ("Payé", 2.2)],
                     rows,
                     intro="Déclaré par les porteurs (feuille « Dépenses »). Par année : "
                           + (years or "aucune dépense déclarée") + ".")


def _budget_slides(deck: _Deck, data: ReportData) -> None:
    """The money planned per axe: charts beside their notes, as many slides as the axes need."""
    width = SLIDE_W_IN - 2 * MARGIN_IN
    body_height = BODY_BOTTOM_IN - BODY_TOP_IN
    side_left, side_width = MARGIN_IN + 7.8, width - 7.8
    # Charts beside their notes: one bar per axe, its kinds of money stacked, each in its own grey. A national
    # roadmap's axes go over several slides.
    kinds = budget_series(data)
    closing: list[DeckParagraph] = [
        (f"Au total : {prevu_text(data)}.", 12, True, None),
        (f"Par année : {prevu_annees_text(data)}. « Par an » : chaque année de vie de la fiche ; ponctuel et "
         "période non précisée : une fois, à répartir sur la période.", 11, False, GREY)]
    if not data.non_chiffrees.empty:
        numbers = [str(int(n)) for n in data.non_chiffrees["fiche"]]
        listed = ", ".join(numbers[:DECK_LISTED])
        if len(numbers) > DECK_LISTED:
            listed += f"… et {len(numbers) - DECK_LISTED} autres (toutes dans le rapport PDF)"
        closing.append((f"Sans investissement chiffré (jamais compté 0 €) : fiches {listed}.", 11, False, GREY))
    per_axe: list[list[DeckParagraph]] = [
        [(axe.libelle, 14, True, None), (prevu_text(data, int(axe.code)), 13, False, None)]
        for axe in data.axes.itertuples()]
    groups = _paginate([_height(n, side_width) for n in per_axe], body_height - _height(closing, side_width),
                       most=DECK_AXES_PER_CHART)
    for number, group in enumerate(groups):
        axes = data.axes.iloc[group]
        chart_title = "Budget prévu par axe (€)"
        if len(groups) > 1:
            chart_title += f" — axes {int(axes['code'].iloc[0])} à {int(axes['code'].iloc[-1])}"
        slide = deck.slide("Budget prévu par axe" if number == 0 else "Budget prévu par axe (suite)")
        deck.bar_chart(slide, MARGIN_IN, BODY_TOP_IN, 7.6, body_height, chart_title, list(axes["libelle"]),
                       [(label, list(axes[c])) for c, label, _ in kinds], '#,##0 "€"',
                       colours=[colour for *_, colour in kinds],
                       patterns=[AMOUNT_KIND_STYLES[c][1] for c, *_ in kinds], stacked=True)
        notes = [line for i in group for line in per_axe[i]] + (closing if number == len(groups) - 1 else [])
        deck.text(slide, side_left, BODY_TOP_IN, side_width, body_height, notes)


def _etp_slides(deck: _Deck, data: ReportData) -> None:
    """ETP per structure: the chart, and the full list when the notes cannot hold it."""
    width = SLIDE_W_IN - 2 * MARGIN_IN
    body_height = BODY_BOTTOM_IN - BODY_TOP_IN
    side_left, side_width = MARGIN_IN + 7.8, width - 7.8
    top = data.etp.head(ETP_TOP_DECK)
    slide = deck.slide("Charge en ETP par structure")
    deck.bar_chart(slide, MARGIN_IN, BODY_TOP_IN, 7.6, body_height, "ETP par structure",
                   list(top["structure"]), [("ETP", list(top["etp"]))], "0.00")
    coordination: list[DeckParagraph] = [
        (f"{data.coordinatrice} : {etp_text(data.coordinatrice_etp)} attribués, "
         + f"{etp_text(data.coordinatrice_etp_possible)} avec les co-portages non répartis.", 15, True, None)]
    coordination += [(line, 13, False, GREY) for line in etp_par_structure_lines(data)]
    notes = [(f"{as_text(r.structure)} : {etp_text(r.etp)} (fiches {r.fiches})", 15, False, None)
             for r in data.etp.itertuples()] + coordination
    if len(top) == len(data.etp) and _height(notes, side_width) <= body_height:
        deck.text(slide, side_left, BODY_TOP_IN, side_width, body_height, notes)
    else:
        where = "dans le tableau des diapositives suivantes"
        notes = [(etp_left_out(len(top), len(data.etp), where) if len(top) < len(data.etp)
                  else f"Le détail par structure est {where}.", 15, False, None)]
        if _height(notes + coordination, side_width) <= body_height:
            notes, coordination = notes + coordination, []
        deck.text(slide, side_left, BODY_TOP_IN, side_width, body_height, notes)
        deck.paged_table("Charge en ETP par structure — liste complète",
                         [("Structure", 4.6), ("ETP", 1.6), ("Fiches", 6.13)],
                         [[as_text(r.structure), etp_text(r.etp), as_text(r.fiches)] for r in data.etp.itertuples()],
                         f"{len(data.etp)} structures, de la plus chargée à la moins chargée")
        if coordination:
            deck.bullets("Charge en ETP — coordination et lignes par structure",
                         [AttentionGroup("Coordination et ETP comptés dans chaque structure", [],
                                          [t for t, *_ in coordination])],
                         "")


def _indicateurs_slides(deck: _Deck, data: ReportData) -> None:
    """Every indicator reported this quarter."""
    saisis = data.saisis
    rows = [[str(int(r.fiche)), f"{r.code} — {as_text(r.libelle)}", valeur_text(r), progression_text(r),
             as_text(r.commentaire)] for r in saisis.itertuples()]
    deck.paged_table(f"Indicateurs — {data.periode_label}",
                     [("Fiche", 0.8), ("Indicateur", 4.4), ("Valeur", 2.0), ("Progression", 2.4),
                      ("Commentaire", 2.73)], rows,
                     f"{len(saisis)} indicateur(s) renseigné(s) sur {len(data.indicateurs)}"
                     + ("" if rows else f" : aucune valeur saisie pour {data.periode_label}."), font_pt=14)
