"""Quarterly reports for the comité syndical: an editable PowerPoint deck, the same report as a PDF, a workbook
of every figure, and a one-page PDF of one fiche.

Everything comes from the read models of `views`, so a report says exactly what the dashboard says. No
Streamlit here: the command line and the pages call the same functions. Text typed by users (comments, follow-up)
and the roadmap's wording are always written as plain text: a PowerPoint run or a spreadsheet string cell, and
in the PDF an escaped Paragraph, because reportlab reads `<`, `>` and `&` as markup (a table cell of one line is
drawn as it is, never parsed).
"""

from __future__ import annotations

import functools
import re
import textwrap
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

import pandas as pd

from . import cibles, clotures, exports, formatting, periodes, rules, sql, views
from .figures import NEUTRALS, PALETTE
from .queries import Reader, consistent, frame, snapshot

EXEMPLE = "Données d'exemple"
EXEMPLE_DETAIL = ("Les valeurs des indicateurs et le suivi des fiches sont fictifs, fournis pour la démonstration : "
                  "ils seront remplacés par les premières vraies saisies.")

FICHE_FIELDS = [
    ("Public cible", "public_cible"),
    ("Enjeux / contexte", "enjeux"),
    ("Description de l'action", "description"),
    ("Freins perçus", "freins"),
    ("Leviers indispensables", "leviers"),
    ("Ressources existantes", "ressources_existantes"),
]

# XML 1.0 refuses these control characters; both pptx and PDF are XML inside, and one stray character in a
# comment pasted from another program must not make the whole export fail.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --------------------------------------------------------------------------------------------------
# The data of one quarter
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttentionItem:
    rubrique: str
    fiche: int | None
    indicateur: str | None
    detail: str


@dataclass(frozen=True)
class ClotureInfo:
    """The closure a report is built from: the comité it was presented to, and who froze it when."""

    numero: int
    comite_le: date
    reference: str
    cloture_le: datetime
    cloture_par: str

    @property
    def comite_text(self) -> str:
        """« Comité syndical du 14/10/2025 — comité du 14 octobre 2025 »."""
        return f"{self.reference} — comité du {cibles.date_longue(self.comite_le)}"

    @property
    def cloture_text(self) -> str:
        """« Clôturé le 2 décembre 2026 par Claire Martin (clôture n°3) »."""
        return f"Clôturé le {cibles.date_longue(self.cloture_le)} par {self.cloture_par} (clôture n°{self.numero})"


@dataclass(frozen=True, eq=False)  # frames inside: compared by identity, never field by field
class ReportData:
    titre: str
    territoire: str
    version: str
    periode: str  # `2025-T3`
    genere_le: datetime  # a closure's report: the moment it was closed, so that its files never change
    exemple: bool  # the entries shown hold example data: every export says so
    axes: pd.DataFrame  # views.Headline.axes: code, libelle, fiches and rules.axe_totals' columns
    budget_annees: pd.DataFrame  # axe, libelle, annee, montant: amounts stated for one given year
    budget_fiches: pd.DataFrame  # views.BudgetView.par_fiche (one-off amounts only in `total`; NaN: non chiffré)
    non_chiffrees: pd.DataFrame  # fiche, intitule, source
    non_precises: pd.DataFrame  # views.BudgetView.non_precises: amounts whose period the roadmap does not give
    etp: pd.DataFrame  # structure, etp, fiches (views.ChargeView.par_structure)
    etp_lignes: pd.DataFrame  # views.ChargeView.par_fiche, including the « par structure » lines
    coordinatrice: str
    coordinatrice_etp: float
    coordinatrice_etp_possible: float
    fiches: pd.DataFrame  # fiche, axe, axe_libelle, intitule, porteurs, statut, meteo, resultats, freins,
    #                       prochaines_etapes, saisi_par, saisis, attendus
    indicateurs: pd.DataFrame  # every indicator with its value of the quarter (if any) and progression
    attention: views.Attention
    chiffres: views.Headline  # the key figures, the overview's own for the quarter (views.headline)
    cloture: ClotureInfo | None = None  # the closure the report is built from; None: today's data

    @property
    def periode_label(self) -> str:
        return periodes.label(self.periode)

    @property
    def saisis(self) -> pd.DataFrame:
        """The indicators reported this quarter."""
        return self.indicateurs[self.indicateurs["saisi"]].reset_index(drop=True)


def _quarter_of(ref: views.Reference, periode: str) -> str:
    found = periodes.parse(periode)
    if found is None:
        raise ValueError(f"Trimestre invalide « {periode} » : écrivez-le sous la forme 2025-T3.")
    debut, fin = int(ref.feuille_de_route["annee_debut"]), int(ref.feuille_de_route["annee_fin"])
    if found not in ref.periodes():
        raise ValueError(f"Le trimestre {periodes.label(found)} est hors de la feuille de route ({debut}-{fin}).")
    return found


@consistent  # one read transaction: an import committed meanwhile is either wholly in the report or not at all
def report_data(con: Reader, periode: str, *, now: datetime | None = None) -> ReportData:
    """Everything a quarterly report shows, from today's data. Raises ValueError (French message) for a malformed
    quarter or one outside the roadmap's years, LookupError when no référentiel is loaded."""
    ref = views.reference(con)
    found = _quarter_of(ref, periode)
    return _report_data(con, ref, found, exemple=views.data_state(con).exemples,
                        saisis_par=frame(con, sql.SAISIS_PAR_PERIODE, {"periode": found}),
                        suivi=frame(con, sql.SUIVI_PERIODE, {"periode": found}), genere_le=now or datetime.now())


def closure_report_data(closure: clotures.Closure) -> ReportData:
    """Everything the report of a closed quarter shows, from its frozen référentiel and entries only: whatever is
    imported or corrected afterwards, the same data, hence (`build`) the same bytes. It is dated by its closure."""
    if closure.meta is None:
        raise ValueError("Seul un trimestre clôturé a un rapport figé.")
    meta = closure.meta
    info = ClotureInfo(int(meta["id"]), pd.Timestamp(meta["comite_le"]).date(), str(meta["reference"]),
                       pd.Timestamp(meta["cloture_le"]).to_pydatetime().replace(microsecond=0),
                       str(meta["cloture_par"]))
    entries = closure.entries
    # A closure frozen before the author of each value was kept has none to show.
    saisis_par = (closure.saisis_par if closure.saisis_par is not None
                  else pd.DataFrame({"indicateur": pd.Series(dtype=object), "saisi_par": pd.Series(dtype=object)}))
    suivi = entries.suivi_periode(closure.periode).drop(columns=["periode", "import_id"], errors="ignore")
    return _report_data(entries, closure.ref, closure.periode, exemple=entries.state().exemples,
                        saisis_par=saisis_par.reset_index(drop=True), suivi=suivi, genere_le=info.cloture_le,
                        cloture=info)


def _report_data(source: Reader | views.Entries, ref: views.Reference, found: str, *, exemple: bool,
                 saisis_par: pd.DataFrame, suivi: pd.DataFrame, genere_le: datetime,
                 cloture: ClotureInfo | None = None) -> ReportData:
    """The report of quarter `found` from `source`, the live database or a closure's frozen entries, through the
    same read models as the dashboard."""
    everything = views.Filters()
    # The figures of the roadmap do not depend on the quarter: the overview's own (`views.headline`, for the
    # report's quarter), so that the report and the dashboard cannot differ. One-off, yearly, per-year,
    # per-structure amounts and those whose period the roadmap does not give are never added together, as on
    # the Budget page's default view.
    head = views.headline(source, ref, views.Filters(periode=found))
    money, staff = head.budget, head.charge
    budget_annees = money.par_annee

    view = views.indicateurs(source, ref, views.Filters(periode=found))
    quarter = view.series[view.series["periode"] == found]
    table = ref.indicateurs.merge(
        quarter[["indicateur", "valeur", "valeur_texte", "commentaire", "progression", "exemple"]],
        left_on="code", right_on="indicateur", how="left",
    ).drop(columns="indicateur")
    table = table.merge(saisis_par, left_on="code", right_on="indicateur", how="left").drop(columns="indicateur")
    table["saisi"] = table["code"].isin(set(quarter["indicateur"]))
    measurable = table["type"].isin(("nombre", "ratio")) & (table["cible"] > 0)
    table["part_cible"] = (table["progression"] / table["cible"]).where(measurable)

    carriers = ref.porteurs.assign(
        nom=lambda d: d["structure"] + d["role"].map(lambda r: " (co-porteur)" if r == "co-porteur" else ""))
    fiches = ref.fiches[["numero", "axe", "axe_libelle", "intitule"]].rename(columns={"numero": "fiche"})
    fiches = fiches.merge(carriers.groupby("fiche")["nom"].agg(" ; ".join).rename("porteurs"),
                          left_on="fiche", right_index=True, how="left")
    fiches = fiches.merge(suivi.drop(columns="exemple"), on="fiche", how="left")
    fiches["saisis"] = fiches["fiche"].map(table[table["saisi"]].groupby("fiche").size()).fillna(0).astype(int)
    fiches["attendus"] = fiches["fiche"].map(table.groupby("fiche").size()).fillna(0).astype(int)

    fdr = ref.feuille_de_route
    return ReportData(
        titre=str(fdr["titre"]),
        territoire=str(fdr["territoire"]),
        version=_text(fdr.get("version")),
        periode=found,
        genere_le=genere_le,
        exemple=exemple,
        axes=head.axes,
        budget_annees=budget_annees,
        budget_fiches=money.par_fiche,
        non_chiffrees=money.non_chiffrees,
        non_precises=money.non_precises,
        etp=staff.par_structure,
        etp_lignes=staff.par_fiche,
        coordinatrice=staff.coordinatrice,
        coordinatrice_etp=staff.coordinatrice_etp,
        coordinatrice_etp_possible=staff.coordinatrice_etp_possible,
        fiches=fiches.reset_index(drop=True),
        indicateurs=table,
        attention=views.attention(source, ref, everything, found),
        chiffres=head,
        cloture=cloture,
    )


# --------------------------------------------------------------------------------------------------
# Wording shared by every format
# --------------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return _CONTROL.sub("", str(value))


def _is_number(value: Any) -> bool:
    return value is not None and not pd.isna(value)


def valeur_text(row: Any) -> str:
    """The value of an indicator as élus read it (`rules.valeur_indicateur`), without control characters."""
    return _text(rules.valeur_indicateur(row.type, _text(row.unite) or None, row.valeur, row.valeur_texte)) or "—"


def progression_text(row: Any) -> str:
    """Where the indicator stands against its target; flux counts are summed since the first quarter."""
    if row.type not in ("nombre", "ratio") or not _is_number(row.progression):
        return ""
    unite = _text(row.unite) or None
    reached = rules.valeur_indicateur(row.type, unite, float(row.progression))
    prefix = "cumul " if row.mode == "flux" else ""
    if _is_number(row.cible) and row.cible:
        share = formatting.percent(100 * float(row.progression) / float(row.cible))
        origine = cibles.origine_courte(getattr(row, "cible_origine", None))
        cible = rules.valeur_indicateur(row.type, unite, float(row.cible))
        return (f"{prefix}{reached} sur {cible} ({share} de la cible"
                + (f", origine : {origine})" if origine else ")"))
    return f"{prefix}{reached}" if prefix else ""


_euros, _etp = formatting.euros, formatting.etp


def _annees_text(data: ReportData, code: int) -> str:
    rows = data.budget_annees[data.budget_annees["axe"] == code]
    return " ; ".join(f"{int(r.annee)} : {_euros(r.montant)}" for r in rows.itertuples())


def attention_items(data: ReportData) -> list[AttentionItem]:
    a, items = data.attention, []
    titles = data.fiches.set_index("fiche")["intitule"]

    def fiche_item(rubrique: str, numero: int) -> AttentionItem:
        return AttentionItem(rubrique, int(numero), None, f"Fiche {int(numero)} — {_text(titles.get(numero))}")

    items += [fiche_item("Fiches sans aucune valeur saisie ce trimestre", r.fiche) for r in a.sans_saisie.itertuples()]
    for r in a.sous_cible.itertuples():
        items.append(AttentionItem(
            "Indicateurs en retard sur leur trajectoire", int(r.fiche), r.indicateur,
            f"{r.indicateur} (fiche {int(r.fiche)}) : {formatting.number(r.valeur, 2)} atteints, "
            f"{formatting.number(r.attendu, 1)} attendus à ce stade, cible {formatting.number(r.cible, 2)} "
            f"({_text(r.cible_provenance) or 'origine non précisée'}) — {_text(r.libelle)}"))
    for r in a.en_baisse.itertuples():
        items.append(AttentionItem(
            "Indicateurs en baisse", int(r.fiche), r.indicateur,
            f"{r.indicateur} (fiche {int(r.fiche)}) : {formatting.number(r.avant, 2)} → "
            f"{formatting.number(r.apres, 2)} en {periodes.label(r.periode)}"))
    if a.porteurs_sans_reponse and a.reponses is not None:  # how many answered, and why examples do not count
        items.append(AttentionItem("Porteurs sans réponse ce trimestre", None, None, a.reponses.resume))
    items += [AttentionItem("Porteurs sans réponse ce trimestre", None, None, _text(s))
              for s in a.porteurs_sans_reponse]
    items += [fiche_item("Fiches sans porteur", n) for n in a.sans_porteur]
    items += [fiche_item("Fiches sans indicateur", n) for n in a.sans_indicateur]
    items += [fiche_item("Fiches sans investissement chiffré", n) for n in a.sans_investissement_chiffre]
    return items


def _grouped(items: list[AttentionItem]) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for item in items:
        groups.setdefault(item.rubrique, []).append(item.detail)
    return list(groups.items())


def _date(moment: datetime) -> str:
    return f"{moment:%d/%m/%Y}"


def _budget_series(data: ReportData) -> list[tuple[str, str]]:
    """The amounts kept apart, in the order élus read them; a kind no axe has is left out of the chart."""
    return [(column, label) for column, label in rules.AMOUNT_LABELS.items() if data.axes[column].abs().sum() > 0]


def _etp_left_out(shown: int, total: int, where: str) -> str:
    """What a chart of the structures with the most ETP leaves out, said under it (`where`: the full list)."""
    return (f"Graphique limité aux {shown} structures qui portent le plus d'ETP : les {total - shown} autres "
            f"(sur {total}) n'y figurent pas. La liste complète est {where} et dans le classeur Excel du rapport "
            f"(feuille « etp »).")


def _etp_par_structure_lines(data: ReportData) -> list[str]:
    rows = data.etp_lignes[~data.etp_lignes["compte"]]
    lines = [f"{_etp(r.etp)} dans chaque structure « {_text(r.structure)} » (fiche {int(r.fiche)}), non additionné"
             for r in rows.itertuples()]
    shared = data.etp_lignes[data.etp_lignes["compte"] & data.etp_lignes["partage"]]
    lines += [f"{_etp(r.etp)} de « {_text(r.structure)} » (fiche {int(r.fiche)}) également investis sur d'autres "
              "actions : comptés ici, mais pas propres à cette fiche" for r in shared.itertuples()]
    return lines


# --------------------------------------------------------------------------------------------------
# PowerPoint
# --------------------------------------------------------------------------------------------------

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
ALERT = "B00020"
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


_RUN_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_CELL_MARGINS = 'marL="54864" marR="54864" marT="27432" marB="27432"'  # 0.06 and 0.03 inch


def _cell_xml(value: Any, run_properties: str) -> str:
    """One table cell as python-pptx writes it after `text_frame.text = …`, `word_wrap = True`, margins and
    font: a paragraph per line, an empty line an empty paragraph, other control characters written `_x000D_`."""
    paragraphs = []
    for line in _short(_text(value)).split("\n"):
        if line:
            line = _RUN_CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", line)
            paragraphs.append(f"<a:p><a:r>{run_properties}<a:t>{escape(line)}</a:t></a:r></a:p>")
        else:
            paragraphs.append("<a:p/>")
    return (f'<a:tc><a:txBody><a:bodyPr wrap="square"/><a:lstStyle/>{"".join(paragraphs)}</a:txBody>'
            f"<a:tcPr {_CELL_MARGINS}/></a:tc>")


def _run_xml(text: str, size: float, bold: bool, colour: str | None) -> str:
    """A run as python-pptx writes it after `run.text = …`, `font.size`, `font.bold` and `font.color.rgb`."""
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    fill = f'<a:solidFill><a:srgbClr val="{RGBColor.from_string(colour)}"/></a:solidFill>' if colour else ""
    properties = (f'<a:rPr lang="{LANG}" sz="{Pt(size).centipoints}" b="{int(bold)}"'
                  + (f">{fill}</a:rPr>" if fill else "/>"))
    text = _RUN_CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return f"<a:r>{properties}<a:t>{escape(text)}</a:t></a:r>"


def _text_body_xml(paragraphs: Sequence[tuple[str, float, bool, str | None]]) -> str:
    """The `p:txBody` of a deck text box, as `_Deck.text` used to build it with python-pptx: wrapped, one run per
    paragraph, space after each paragraph a third of its type size."""
    from pptx.oxml.ns import nsdecls
    from pptx.util import Pt

    body = "".join(f'<a:p><a:pPr><a:spcAft><a:spcPts val="{Pt(size * 0.35).centipoints}"/></a:spcAft></a:pPr>'
                   f"{_run_xml(_text(content), size, bold, colour)}</a:p>"
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
    return sum(_lines(_text(t), width_in - 0.2, size) * size * 1.25 / 72 + size * 0.35 / 72
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
            return max(_lines(_short(_text(v)), w - 0.12, font_pt) for v, (_, w) in zip(values, columns)) * line + 0.08

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

    def bullets(self, title: str, groups: list[tuple[str, list[str]]], empty: str) -> None:
        width = SLIDE_W_IN - 2 * MARGIN_IN
        size = BODY_PT - 2
        entries: list[tuple[str, float, bool, str | None]] = []
        for heading, lines in groups:
            entries.append((f"{heading} ({len(lines)})", size + 2, True, None))
            entries += [(f"• {line}", size, False, None) for line in lines]
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
                  categories: list[str], series: list[tuple[str, list[float]]], number_format: str) -> Any:
        """A native, editable bar chart. Data labels leave zeros out (empty third section of the number format):
        an axe with no yearly amount shows no « 0 € » label."""
        from pptx.chart.data import CategoryChartData
        from pptx.dml.color import RGBColor
        from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
        from pptx.enum.lang import MSO_LANGUAGE_ID
        from pptx.util import Inches, Pt

        chart_data = CategoryChartData(number_format=number_format)
        chart_data.categories = [_text(c) for c in categories]
        for name, values in series:
            chart_data.add_series(name, [float(v) for v in values])
        shape = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(left), Inches(top), Inches(width),
                                       Inches(height), chart_data)
        chart = shape.chart
        chart.font.size = Pt(14)
        chart.has_title = True
        chart.chart_title.text_frame.text = title
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
        plot.has_data_labels = True
        plot.data_labels.number_format = f"{number_format};-{number_format};"
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
        for index, chart_series in enumerate(plot.series):
            chart_series.format.fill.solid()
            # Series are kinds of amounts or ETP, never axes: greys (lne_data.figures' colour grammar).
            chart_series.format.fill.fore_color.rgb = RGBColor.from_string(NEUTRALS[index % len(NEUTRALS)][1:])
        return chart

    def save(self, out: BinaryIO) -> None:
        # python-pptx's template says « Steve Canny » and 2013: the deck is the roadmap's, in French, dated by its
        # report (`build` dates the package the same way).
        core = self.prs.core_properties
        core.title = f"{self.data.titre} — {self.data.periode_label}"
        core.author = core.last_modified_by = self.data.titre
        core.comments = self.data.cloture.cloture_text if self.data.cloture else ""
        core.language = LANG
        core.revision = 1
        core.created = core.modified = self.data.genere_le
        self.prs.save(out)


def cover_lines(data: ReportData) -> list[str]:
    """What the first page of every format says of its data: the comité, the closure, or that it is today's."""
    if data.cloture is not None:
        return [data.cloture.comite_text, data.cloture.cloture_text]
    return [f"Données du {cibles.date_longue(data.genere_le)}, trimestre non clôturé : les chiffres peuvent encore "
            "changer."]


def key_figures(data: ReportData) -> list[tuple[str, str]]:
    """The quarter in key figures, as (figure, what it counts): the meeting's own (`views.chiffres_cles`), from the
    overview's headline for the quarter, so that the deck, the PDF and the dashboard say the same."""
    return views.chiffres_cles(data.chiffres, data.attention, data.periode)


def decisions(data: ReportData) -> list[str]:
    """What the comité is asked to decide, drawn from the quarter's points of attention."""
    att = data.attention

    def listed(numbers: Sequence[Any], limit: int = 12) -> str:
        shown = ", ".join(str(n) for n in list(numbers)[:limit])
        return shown + (f" et {len(numbers) - limit} autres" if len(numbers) > limit else "")

    asked = [f"Prendre acte du suivi du {data.periode_label}"
             + (f" présenté au {data.cloture.reference}" if data.cloture else "") + "."]
    if att.porteurs_sans_reponse:
        asked.append(f"Relancer les {len(att.porteurs_sans_reponse)} porteur(s) sans réponse : "
                     f"{listed([_text(p) for p in att.porteurs_sans_reponse], 6)}.")
    if not att.sous_cible.empty:
        fiches = sorted({int(f) for f in att.sous_cible["fiche"]})
        asked.append(f"Examiner les {len(att.sous_cible)} indicateur(s) en retard sur leur trajectoire "
                     f"(fiches {listed(fiches)}) : maintenir, revoir la cible ou renforcer les moyens.")
    if att.sans_porteur:
        asked.append(f"Désigner un porteur pour les fiches {listed(att.sans_porteur)}.")
    if att.sans_investissement_chiffre:
        asked.append(f"Demander le chiffrage de l'investissement des fiches {listed(att.sans_investissement_chiffre)}.")
    asked.append("Fixer la date du prochain comité et le trimestre qui y sera présenté.")
    return asked


def _axe_attention(data: ReportData, code: int) -> list[str]:
    """The points of attention of one axe's fiches, in the order of `attention_items`."""
    fiches = set(data.fiches.loc[data.fiches["axe"] == code, "fiche"].astype(int))
    short = {"Fiches sans aucune valeur saisie ce trimestre": "sans valeur saisie",
             "Fiches sans porteur": "sans porteur", "Fiches sans indicateur": "sans indicateur",
             "Fiches sans investissement chiffré": "sans investissement chiffré"}
    lines = []
    for item in attention_items(data):
        if item.fiche is None or item.fiche not in fiches:
            continue
        lines.append(f"{item.detail}" if item.indicateur else f"Fiche {item.fiche} {short.get(item.rubrique, '')}")
    return lines


# A deck slide per axe charts at most this many fiches (a national axe has hundreds: all are in the appendix).
DECK_AXE_FICHES = 15


def build_pptx(data: ReportData, out: BinaryIO) -> None:
    """A deck to present: title, the quarter in key figures, one slide per axe (its chart and its points
    d'attention), what the comité is asked to decide; then, after a divider, the full tables as an appendix
    (every fiche, investment and ETP charts, every indicator, every point of attention). Native, editable charts;
    every run in French."""
    deck = _Deck(data)
    width = SLIDE_W_IN - 2 * MARGIN_IN
    body_height = BODY_BOTTOM_IN - BODY_TOP_IN

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

    slide = deck.slide(f"Le {data.periode_label} en chiffres")
    figures = key_figures(data)
    per_row = 3
    tile_w, tile_h = (width - 0.3 * (per_row - 1)) / per_row, 2.3
    for index, (figure, label) in enumerate(figures):
        row, col = divmod(index, per_row)
        deck.text(slide, MARGIN_IN + col * (tile_w + 0.3), BODY_TOP_IN + 0.2 + row * (tile_h + 0.2), tile_w, tile_h,
                  [(figure, 40, True, PALETTE[0][1:]), (label, 20, False, None)])

    for axe in data.axes.itertuples():
        fiches = data.fiches[data.fiches["axe"] == axe.code]
        slide = deck.slide(f"Axe {axe.code} — {_short(_text(axe.libelle), 60)}")
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
            (f"{axe.fiches} fiche(s) · {_euros(axe.ponctuel)} ponctuels · {_etp(axe.etp)}", 18, True, None),
            (f"Indicateurs renseignés : {int(fiches['saisis'].sum())} sur {int(fiches['attendus'].sum())}",
             18, False, None),
            ("Points d'attention", 20, True, ALERT),
        ]
        points = _axe_attention(data, int(axe.code)) or ["Aucun point d'attention pour cet axe."]
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

    slide = deck.slide("Ce que le comité est invité à décider")
    asked = [(f"{number}. {_short(line, 300)}", 20, False, None) for number, line in enumerate(decisions(data), 1)]
    deck.text(slide, MARGIN_IN, BODY_TOP_IN, width, body_height, asked)

    divider = deck.new_slide()
    deck.text(divider, MARGIN_IN + 0.3, 2.6, width - 0.6, 2.4, [
        ("Annexes", 44, True, None),
        ("Les fiches de chaque axe, l'investissement et la charge en ETP, tous les indicateurs du trimestre et "
         "tous les points d'attention.", 20, False, GREY)])

    for axe in data.axes.itertuples():
        fiches = data.fiches[data.fiches["axe"] == axe.code]
        intro = (f"{axe.fiches} fiche(s) · {_euros(axe.ponctuel)} ponctuels · {_etp(axe.etp)} · indicateurs "
                 f"renseignés en {data.periode_label} : {int(fiches['saisis'].sum())} sur "
                 f"{int(fiches['attendus'].sum())}")
        rows = [[str(r.fiche), _text(r.intitule), _text(r.porteurs), _text(r.statut) or "—", _text(r.meteo) or "—",
                 f"{r.saisis} / {r.attendus}"] for r in fiches.itertuples()]
        deck.paged_table(f"Axe {axe.code} — {axe.libelle}",
                         [("N°", 0.6), ("Fiche action", 5.0), ("Porteur(s)", 2.9), ("Statut", 1.3), ("Météo", 1.4),
                          ("Saisis", 1.13)], rows, intro)

    # Charts beside their notes. A national roadmap's axes go over several slides (their amounts never add up:
    # no ranking would be fair); its structures are cut to those with the most ETP, the full list in a table.
    side_left, side_width = MARGIN_IN + 7.8, width - 7.8
    body_height = BODY_BOTTOM_IN - BODY_TOP_IN
    kinds = _budget_series(data)
    closing: list[DeckParagraph] = [(
        "Les montants annuels, par structure et sans période précisée ne sont pas additionnés aux ponctuels : "
        + "ils dépendent du nombre d'années et de structures retenus.", 12, False, GREY)]
    if not data.non_chiffrees.empty:
        numbers = [str(int(n)) for n in data.non_chiffrees["fiche"]]
        listed = ", ".join(numbers[:DECK_LISTED])
        if len(numbers) > DECK_LISTED:
            listed += f"… et {len(numbers) - DECK_LISTED} autres (toutes dans le rapport PDF)"
        closing.append((f"Sans investissement chiffré (jamais compté 0 €) : fiches {listed}.", 12, False, GREY))
    per_axe: list[list[DeckParagraph]] = []
    for axe in data.axes.itertuples():
        parts = [f"{_euros(axe.ponctuel)} ponctuels"
                 + (f" (dont {_euros(axe.conditionnel)} sous condition)" if axe.conditionnel else "")]
        if axe.non_precise:
            parts.append(f"{_euros(axe.non_precise)} sans période précisée")
        if axe.non_chiffrees:
            parts.append(f"{int(axe.non_chiffrees)} fiche(s) non chiffrée(s)")
        if axe.par_an:
            parts.append(f"{_euros(axe.par_an)} par an")
        if axe.par_annee:
            parts.append(f"année précise : {_annees_text(data, axe.code)}")
        if axe.par_structure:
            parts.append(f"{_euros(axe.par_structure)} par structure partenaire")
        per_axe.append([(axe.libelle, 16, True, None), (" ; ".join(parts), 14, False, None)])
    groups = _paginate([_height(n, side_width) for n in per_axe], body_height - _height(closing, side_width),
                       most=DECK_AXES_PER_CHART)
    for number, group in enumerate(groups):
        axes = data.axes.iloc[group]
        chart_title = "Investissement par axe (€)"
        if len(groups) > 1:
            chart_title += f" — axes {int(axes['code'].iloc[0])} à {int(axes['code'].iloc[-1])}"
        slide = deck.slide("Investissement par axe" if number == 0 else "Investissement par axe (suite)")
        deck.bar_chart(slide, MARGIN_IN, BODY_TOP_IN, 7.6, body_height, chart_title, list(axes["libelle"]),
                       [(label, list(axes[c])) for c, label in kinds], '#,##0 "€"')
        notes = [line for i in group for line in per_axe[i]] + (closing if number == len(groups) - 1 else [])
        deck.text(slide, side_left, BODY_TOP_IN, side_width, body_height, notes)

    top = data.etp.head(ETP_TOP_DECK)
    slide = deck.slide("Charge en ETP par structure")
    deck.bar_chart(slide, MARGIN_IN, BODY_TOP_IN, 7.6, body_height, "ETP par structure",
                   list(top["structure"]), [("ETP", list(top["etp"]))], "0.00")
    coordination: list[DeckParagraph] = [
        (f"{data.coordinatrice} : {_etp(data.coordinatrice_etp)} attribués, "
         + f"{_etp(data.coordinatrice_etp_possible)} avec les co-portages non répartis.", 15, True, None)]
    coordination += [(line, 13, False, GREY) for line in _etp_par_structure_lines(data)]
    notes = [(f"{_text(r.structure)} : {_etp(r.etp)} (fiches {r.fiches})", 15, False, None)
             for r in data.etp.itertuples()] + coordination
    if len(top) == len(data.etp) and _height(notes, side_width) <= body_height:
        deck.text(slide, side_left, BODY_TOP_IN, side_width, body_height, notes)
    else:
        where = "dans le tableau des diapositives suivantes"
        notes = [(_etp_left_out(len(top), len(data.etp), where) if len(top) < len(data.etp)
                  else f"Le détail par structure est {where}.", 15, False, None)]
        if _height(notes + coordination, side_width) <= body_height:
            notes, coordination = notes + coordination, []
        deck.text(slide, side_left, BODY_TOP_IN, side_width, body_height, notes)
        deck.paged_table("Charge en ETP par structure — liste complète",
                         [("Structure", 4.6), ("ETP", 1.6), ("Fiches", 6.13)],
                         [[_text(r.structure), _etp(r.etp), _text(r.fiches)] for r in data.etp.itertuples()],
                         f"{len(data.etp)} structures, de la plus chargée à la moins chargée")
        if coordination:
            deck.bullets("Charge en ETP — coordination et lignes par structure",
                         [("Coordination et ETP comptés dans chaque structure", [t for t, *_ in coordination])],
                         "")

    saisis = data.saisis
    rows = [[str(int(r.fiche)), f"{r.code} — {_text(r.libelle)}", valeur_text(r), progression_text(r),
             _text(r.commentaire)] for r in saisis.itertuples()]
    deck.paged_table(f"Indicateurs — {data.periode_label}",
                     [("Fiche", 0.8), ("Indicateur", 4.4), ("Valeur", 2.0), ("Progression", 2.4),
                      ("Commentaire", 2.73)], rows,
                     f"{len(saisis)} indicateur(s) renseigné(s) sur {len(data.indicateurs)}"
                     + ("" if rows else f" : aucune valeur saisie pour {data.periode_label}."), font_pt=14)

    deck.bullets("Points d'attention", _grouped(attention_items(data)), "Aucun point d'attention ce trimestre.")
    deck.save(out)


# --------------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------------

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
# One category of a one-series bar chart; a chart of several series gives each bar 9 points.
PDF_BAR_PT = 15.0
# Above a chart, on the same page: its heading; below it, its caption (two or three lines).
PDF_CHART_ROOM_PT = 70.0
# The structures charted in the PDF, largest first; all of them are in the table that follows.
ETP_TOP_PDF = 25
# A table row split across two pages keeps at least this much on each.
PDF_MIN_SPLIT_PT = 40
# SimpleDocTemplate's frame pads its content this much on each side: a table or a chart as wide as the margins
# leave would stick out of the text column by as much on the right (and the rest of a split table, centred, on
# both sides).
_FRAME_PAD = 6.0
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


def _pdf_text(value: Any) -> str:
    text = _text(value)
    # Helvetica's encoding has no narrow no-break space: fall back to the ordinary one it has.
    return text.replace(formatting.THOUSANDS, formatting.NBSP) if _pdf_fonts()[0] == "Helvetica" else text


class _Styles:
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
        # A heading never ends a page: it goes with the beginning of what follows it (see `_keep_with_start`).
        self.h1 = ParagraphStyle("h1", parent=self.body, fontName=bold, fontSize=base * 1.5, leading=base * 1.8,
                                 spaceBefore=base, spaceAfter=base * 0.5, keepWithNext=1)
        self.h2 = ParagraphStyle("h2", parent=self.body, fontName=bold, fontSize=base * 1.2, leading=base * 1.5,
                                 spaceBefore=base * 0.6, spaceAfter=base * 0.3, keepWithNext=1)
        self.alert = ParagraphStyle("alert", parent=self.body, fontName=bold, fontSize=base * 1.4,
                                    leading=base * 1.7, textColor=colors.HexColor(f"#{ALERT}"))
        self.label = ParagraphStyle("label", parent=self.cell, fontName=bold)
        self.bullet = ParagraphStyle("bullet", parent=self.body, leftIndent=base * 1.2, bulletIndent=base * 0.3,
                                     bulletFontName=regular)


def _para(value: Any, style: Any) -> Any:
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
    return _para(text, style)


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
def _keep_with_start() -> type:
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


def _pdf_table(styles: _Styles, headers: Sequence[str], rows: Sequence[Sequence[Any]],
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


def _pdf_chart_height(categories: int, series: int) -> float:
    legend_h = 13 * series + 6 if series > 1 else 0
    return 40 + legend_h + categories * _pdf_category_pt(series)


def _pdf_chart_capacity(series: int, max_height: float) -> int:
    """How many categories a chart of `series` series may show within `max_height` points."""
    return max(1, int((max_height - _pdf_chart_height(0, series)) // _pdf_category_pt(series)))


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


def _pdf_bar_chart(categories: list[str], series: list[tuple[str, list[float]]], label: Callable[[float], str],
                   width: float, max_height: float) -> Any:
    """A horizontal bar chart drawn in the PDF itself (vector, selectable labels), one colour per series. A
    drawing cannot be split across pages: the caller gives it no more categories than `_pdf_chart_capacity`."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    if len(categories) > _pdf_chart_capacity(len(series), max_height):
        raise ValueError(f"{len(categories)} catégories : trop pour un graphique d'une page")
    regular, _ = _pdf_fonts()
    legend_h = 13 * len(series) + 6 if len(series) > 1 else 0
    height = _pdf_chart_height(len(categories), len(series))
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
    chart.barLabels.fontName = regular
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.groupSpacing = 6
    for index in range(len(series)):
        chart.bars[index].fillColor = colors.HexColor(NEUTRALS[index % len(NEUTRALS)])  # kinds, not axes
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
        legend.colorNamePairs = [(colors.HexColor(NEUTRALS[i % len(NEUTRALS)]), _pdf_text(name))
                                 for i, (name, _) in enumerate(series)]
        drawing.add(legend)
    return drawing


def _footer(text: str, exemple: bool) -> Callable[[Any, Any], None]:
    def draw(canvas: Any, doc: Any) -> None:
        regular, bold = _pdf_fonts()
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.setFillColorRGB(0.35, 0.35, 0.35)
        # Aligned on the text and the tables above it, inside the frame's padding.
        canvas.drawString(doc.leftMargin + _FRAME_PAD, doc.bottomMargin / 2, _pdf_text(f"{text} — page {doc.page}"))
        if exemple:
            canvas.setFont(bold, 7.5)
            canvas.setFillColorRGB(0.69, 0, 0.13)
            canvas.drawRightString(doc.pagesize[0] - doc.rightMargin - _FRAME_PAD, doc.bottomMargin / 2,
                                   _pdf_text(f"{EXEMPLE} (valeurs fictives)"))
        canvas.restoreState()
    return draw


# Items of one kind of point of attention the note lists; the detail lists them all.
NOTE_LISTED = 4
# Axes the note tables on its first page; a national roadmap's are in the detail.
NOTE_AXES = 8


def _note(data: ReportData, width: float, height: float) -> list[Any]:
    """The « note au comité »: two pages, whatever the roadmap's size. The first says what the report is and the
    quarter in key figures (the overview's, `key_figures`) with each axe's; the second the points of attention,
    a few of each kind, and what the comité is asked to decide. Each page is shrunk to fit rather than cut."""
    from reportlab.lib import colors
    from reportlab.platypus import KeepInFrame, PageBreak, Spacer, Table, TableStyle

    s = _Styles(12)
    first: list[Any] = [
        _para(data.titre, s.title),
        _para(f"Note au comité syndical — suivi du {data.periode_label}", s.h1.clone("note_h1", spaceBefore=0)),
        *[_para(line, s.body) for line in cover_lines(data)],
    ]
    if data.exemple:
        first += [Spacer(1, 4), _para(EXEMPLE, s.alert), _para(EXEMPLE_DETAIL, s.body)]
    first.append(_para("Le trimestre en chiffres", s.h1))
    big = s.title.clone("figure", fontSize=22, leading=26, spaceAfter=0, textColor=colors.HexColor(PALETTE[0]))
    figures = key_figures(data)
    per_row = 3
    cells: list[list[Any]] = [[[_para(f, big), _para(label, s.body)] for f, label in figures[i:i + per_row]]
             for i in range(0, len(figures), per_row)]
    cells[-1] += [""] * (per_row - len(cells[-1]))
    grid = Table(cells, colWidths=[width / per_row] * per_row, hAlign="LEFT")
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 10)]))
    first.append(grid)
    if len(data.axes) > NOTE_AXES:  # a table shrunk to fit would be unreadable: the detail has every axe
        first.append(_para(f"Les {len(data.axes)} axes sont détaillés à partir de la page 3.", s.body))
    else:
        rows = [[f"{a.code}. {_text(a.libelle)}", str(a.fiches), _euros(a.ponctuel), _etp(a.etp),
                 "{} / {}".format(*_axe_saisis(data, int(a.code)))] for a in data.axes.itertuples()]
        first += [_para("Par axe", s.h2),
                  _pdf_table(_Styles(10), ["Axe", "Fiches", "Ponctuel", "ETP", "Indicateurs renseignés"], rows,
                             [w * width for w in (.48, .1, .16, .1, .16)], numeric=(1, 2, 3, 4))]

    second: list[Any] = [_para("Points d'attention", s.h1.clone("note_h1b", spaceBefore=0))]
    groups = _grouped(attention_items(data))
    if not groups:
        second.append(_para("Aucun point d'attention ce trimestre.", s.body))
    for heading, lines in groups:
        second.append(_para(f"{heading} ({len(lines)})", s.h2))
        second += [_bullet(line, s.bullet) for line in lines[:NOTE_LISTED]]
        if len(lines) > NOTE_LISTED:
            second.append(_para(f"… et {len(lines) - NOTE_LISTED} autre(s) : voir le détail.", s.small))
    second.append(_para("Ce que le comité est invité à décider", s.h1))
    second += [_para(f"{number}. {line}", s.body.clone("decision", spaceAfter=4))
               for number, line in enumerate(decisions(data), 1)]
    return [KeepInFrame(width, height, first, mode="shrink"), PageBreak(),
            KeepInFrame(width, height, second, mode="shrink"), PageBreak()]


def _axe_saisis(data: ReportData, code: int) -> tuple[int, int]:
    fiches = data.fiches[data.fiches["axe"] == code]
    return int(fiches["saisis"].sum()), int(fiches["attendus"].sum())


def build_pdf(data: ReportData, out: BinaryIO) -> None:
    """An A4 landscape PDF: the two-page « note au comité » (`_note`), then the detail: tables over as many pages
    as they need, bar charts of one page each, points of attention."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer

    s = _Styles(10)
    page = landscape(A4)
    doc = SimpleDocTemplate(out, pagesize=page, leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=1.4 * cm,
                            bottomMargin=1.4 * cm, title=f"{data.titre} — {data.periode_label}",
                            author=data.titre, lang="fr-FR", keepTogetherClass=_keep_with_start())
    width = doc.width - 2 * _FRAME_PAD
    story: list[Any] = [
        *_note(data, width, doc.height - 2 * _FRAME_PAD),
        _para(f"{data.titre} — détail", s.title),
        _para(f"Suivi trimestriel — {data.periode_label}", s.h1),
        _para(f"Généré le {_date(data.genere_le)}" + (f" · feuille de route : {data.version}" if data.version else ""),
              s.small),
    ]
    if data.exemple:
        story += [Spacer(1, 6), _para(EXEMPLE, s.alert), _para(EXEMPLE_DETAIL, s.body)]

    story.append(_para("Investissement par axe", s.h1))
    rows = [[f"{a.code}. {a.libelle}", f"{a.fiches} (dont {a.non_chiffrees} non chiffrée(s))" if a.non_chiffrees
             else str(a.fiches), _euros(a.ponctuel), _euros(a.par_an), _annees_text(data, a.code) or "—",
             _euros(a.par_structure), _euros(a.non_precise), _etp(a.etp)] for a in data.axes.itertuples()]
    story.append(_pdf_table(s, ["Axe", "Fiches", "Ponctuel", "Par an", "Année précise", "Par structure partenaire",
                                "Période non précisée", "ETP"], rows,
                            [w * width for w in (.22, .12, .11, .10, .14, .11, .11, .09)],
                            numeric=(2, 3, 5, 6, 7)))
    # A chart is kept on one page with its heading and caption; longer lists are split into several charts
    # (the axes: their amounts are never added together, so no ranking would be fair) or cut to the largest
    # (the structures, whose ETP add up), the full list always in the table.
    chart_height = doc.height - 2 * _FRAME_PAD - PDF_CHART_ROOM_PT
    kinds = _budget_series(data)
    per_chart = _pdf_chart_capacity(len(kinds), chart_height)
    charts: list[list[Any]] = []
    for start in range(0, len(data.axes), per_chart):
        axes = data.axes.iloc[start:start + per_chart]
        chart = _pdf_bar_chart(list(axes["libelle"]), [(label, list(axes[c])) for c, label in kinds], _euros, width,
                               chart_height)
        if len(data.axes) > per_chart:
            first, last = int(axes["code"].iloc[0]), int(axes["code"].iloc[-1])
            charts.append([_para(f"Investissement des axes {first} à {last}", s.h2), chart])
        else:
            charts.append([chart])
    # The notes say how to read the charts: they stay under the last one, never alone at the top of a page.
    charts[-1].append(_para("Les montants annuels, par structure et sans période précisée ne sont pas additionnés "
                            "aux montants ponctuels : ils dépendent du nombre d'années et de structures retenus.",
                            s.small))
    if not data.non_precises.empty:
        charts[-1].append(_para("Montants dont la feuille de route ne précise pas la période : " + " ; ".join(
            f"fiche {int(r.fiche)} : {_euros(r.montant)} (« {_text(r.source)} »)"
            for r in data.non_precises.itertuples()) + ".", s.small))
    if not data.non_chiffrees.empty:
        charts[-1].append(_para("Fiches sans investissement chiffré (jamais comptées 0 €) : "
                                + ", ".join(str(int(n)) for n in data.non_chiffrees["fiche"]) + ".", s.small))
    story += [KeepTogether(block) for block in charts]

    shown = min(ETP_TOP_PDF, _pdf_chart_capacity(1, chart_height))
    top = data.etp.head(shown)
    heading: list[Any] = [
        _para("Charge en ETP par structure", s.h1),
        _pdf_bar_chart(list(top["structure"]), [("ETP", list(top["etp"]))], _etp, width, chart_height),
    ]
    if len(data.etp) > shown:
        heading.append(_para(_etp_left_out(shown, len(data.etp), "dans le tableau ci-dessous"), s.small))
    etp_rows = [[_text(r.structure), _etp(r.etp), _text(r.fiches)] for r in data.etp.itertuples()]
    story += [
        KeepTogether(heading),
        _pdf_table(s, ["Structure", "ETP", "Fiches"], etp_rows, [w * width for w in (.45, .15, .40)], numeric=(1,)),
        # Set apart from the table's last row, which it otherwise touched.
        _para(f"{data.coordinatrice} : {_etp(data.coordinatrice_etp)} attribués, "
              f"{_etp(data.coordinatrice_etp_possible)} avec les co-portages non répartis.",
              s.body.clone("under_table", spaceBefore=4)),
        *[_para(line, s.small) for line in _etp_par_structure_lines(data)],
    ]

    story.append(_para(f"Fiches action — suivi {data.periode_label}", s.h1))
    for axe in data.axes.itertuples():
        fiches = data.fiches[data.fiches["axe"] == axe.code]
        rows = []
        for r in fiches.itertuples():
            follow = "\n".join(f"{label} : {_text(value)}" for label, value in
                               (("Résultats", r.resultats), ("Freins", r.freins),
                                ("Prochaines étapes", r.prochaines_etapes)) if _text(value))
            rows.append([str(r.fiche), _text(r.intitule), _text(r.porteurs), _text(r.statut) or "—",
                         _text(r.meteo) or "—", f"{r.saisis} / {r.attendus}", follow])
        story += [_para(f"Axe {axe.code} — {axe.libelle}", s.h2),
                  _pdf_table(s, ["N°", "Fiche action", "Porteur(s)", "Statut", "Météo", "Indicateurs", "Suivi"], rows,
                             [w * width for w in (.04, .26, .18, .08, .08, .095, .265)], numeric=(0, 5))]

    saisis = data.saisis
    story.append(_para(f"Indicateurs — {data.periode_label} ({len(saisis)} renseigné(s) sur "
                       f"{len(data.indicateurs)})", s.h1))
    if saisis.empty:
        story.append(_para(f"Aucune valeur saisie pour {data.periode_label}.", s.body))
    else:
        rows = [[str(int(r.fiche)), r.code, _text(r.libelle), valeur_text(r), progression_text(r),
                 _text(r.commentaire)] for r in saisis.itertuples()]
        story.append(_pdf_table(s, ["Fiche", "Code", "Indicateur", "Valeur", "Progression", "Commentaire"], rows,
                                [w * width for w in (.06, .07, .33, .14, .18, .22)], numeric=(0,)))

    story.append(_para("Points d'attention", s.h1))
    groups = _grouped(attention_items(data))
    if not groups:
        story.append(_para("Aucun point d'attention ce trimestre.", s.body))
    for group_heading, group_lines in groups:
        story.append(_para(f"{group_heading} ({len(group_lines)})", s.h2))
        story += [_bullet(line, s.bullet) for line in group_lines]

    footer = _footer(f"{data.titre} — suivi {data.periode_label}", data.exemple)
    doc.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=_dated_canvas(data.genere_le))


def _dated_canvas(moment: datetime) -> Callable[..., Any]:
    """reportlab's canvas, its file made the same at every build: reportlab writes the build's time as the PDF's
    dates and draws the file's identifier from it. Invariant mode takes both from a fixed date; the dates are then
    set to `moment` (a closure's: when it was closed), so that the PDF still says when it was made."""
    from reportlab.pdfgen.canvas import Canvas

    def make(*args: Any, **kwargs: Any) -> Any:
        canvas = Canvas(*args, **{**kwargs, "invariant": 1})
        canvas._doc._timeStamp.YMDhms = tuple(moment.timetuple())[:6]
        return canvas

    return make


def _bullet(value: Any, style: Any) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(_pdf_text(value)), style, bulletText="•")


# --------------------------------------------------------------------------------------------------
# One fiche on one page
# --------------------------------------------------------------------------------------------------

FICHE_SIZES = (9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)


def _moyen_text(row: Any) -> tuple[str, str]:
    if not row.quantifie or not _is_number(row.montant):
        return "non chiffré", _text(row.source)
    unit = _text(row.unite)
    amount = (_euros(row.montant) if unit == "EUR" else _etp(row.montant) if unit == "ETP"
              else formatting.with_unit(float(row.montant), unit or None))
    period = rules.periodicite_label(row.periodicite, row.annee, unit)
    if getattr(row, "conditionnel", False) is True:
        period = f"{period}, sous condition"
    return f"{amount} ({period})" if period else amount, _text(row.libelle) or _text(row.source)


def _fiche_story(view: views.FicheView, s: _Styles, width: float, exemple: bool, now: datetime) -> list[Any]:
    from reportlab.platypus import Spacer

    f = view.fiche
    story: list[Any] = [
        _para(f"Fiche action n°{int(f['numero'])} — {_text(f['intitule'])}", s.h1.clone("top", spaceBefore=0)),
        _para(f"Axe {int(f['axe'])} — {_text(f['axe_libelle'])} · Objectif {_text(f['objectif'])} : "
              f"{_text(f['objectif_libelle'])}", s.small),
    ]
    if exemple:
        story.append(_para(f"{EXEMPLE} : les valeurs d'indicateurs et le suivi sont fictifs.", s.alert))
    porteurs = " ; ".join(
        f"{_text(p.structure)} ({p.role}" + (f", niveau {_text(p.niveau)}" if _text(p.niveau) else "") + ")"
        for p in view.porteurs.itertuples()) or "aucun"
    partenaires = " ; ".join(
        _text(p.structure) + (f" ({_text(p.precision)})" if _text(p.precision) else "")
        for p in view.partenaires.itertuples()) or "aucun"
    fields = [("Porteur(s)", porteurs), ("Partenaires", partenaires)]
    fields += [(label, _text(f.get(key)) or "—") for label, key in FICHE_FIELDS]
    added = f.get("ajoutee_le")
    fields.append(("Introduite", (_text(f.get("version")) or "—")
                   + (f", le {added:%d/%m/%Y}" if isinstance(added, (datetime, pd.Timestamp)) else "")))
    story.append(Spacer(1, 3))
    story.append(_grid(s, [[_para(label, s.label), _para(text, s.cell)] for label, text in fields],
                       [0.18 * width, 0.82 * width]))

    story.append(_para("Ressources à mobiliser", s.h2))
    rows = [[_text(r.rubrique), _text(r.structure) or "non précisée", *_moyen_text(r)]
            for r in view.moyens.itertuples()]
    story.append(_pdf_table(s, ["Rubrique", "Structure", "Montant", "Ligne"], rows or [["—", "—", "—", "—"]],
                            [w * width for w in (.14, .24, .17, .45)]))

    story.append(_para("Indicateurs de suivi (dernière valeur)", s.h2))
    rows = []
    for r in view.mesures.dernieres.itertuples():
        latest = "—" if not _text(r.periode) else f"{valeur_text(r)} ({periodes.label(r.periode)})"
        target = formatting.number(float(r.cible), 2) if _is_number(r.cible) else (
            f"échéance {int(r.echeance)}" if _is_number(r.echeance) else "—")
        origine = cibles.origine_courte(r.cible_origine)
        target += f" ({origine})" if origine else ""
        rows.append([r.code, _text(r.libelle), target, latest, progression_text(r)])
    story.append(_pdf_table(s, ["Code", "Indicateur", "Cible", "Dernière valeur", "Progression"],
                            rows or [["—", "aucun indicateur", "", "", ""]],
                            [w * width for w in (.08, .42, .1, .2, .2)]))

    if not view.suivi.empty:
        last = view.suivi.iloc[0]
        follow = [f"{periodes.label(last['periode'])} : {_text(last['statut']) or '—'}, "
                  + f"météo {_text(last['meteo']) or '—'}"]
        follow += [f"{label} : {_text(last[key])}" for label, key in
                   (("Résultats", "resultats"), ("Freins", "freins"), ("Prochaines étapes", "prochaines_etapes"))
                   if _text(last[key])]
        story += [_para("Dernier suivi", s.h2), _para("\n".join(follow), s.cell)]
    story.append(_para(f"Généré le {_date(now)}", s.small.clone("end", spaceBefore=4)))
    return story


def _grid(s: _Styles, rows: list[list[Any]], widths: list[float]) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#CCCCCC")),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def build_fiche_pdf(con: Reader, numero: int, out: BinaryIO, *, now: datetime | None = None) -> None:
    """One fiche on one A4 page: roadmap fields, porteurs, partenaires, resources, indicators and their latest
    values. Raises LookupError (French message) for an unknown fiche."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import KeepInFrame, SimpleDocTemplate
    from reportlab.platypus.doctemplate import LayoutError

    with snapshot(con) as snap:
        ref = views.reference(snap)
        view = views.fiche(snap, ref, int(numero))
        exemple = views.data_state(snap).exemples
    moment = now or datetime.now()
    margins = {"leftMargin": 1.3 * cm, "rightMargin": 1.3 * cm, "topMargin": 1.2 * cm, "bottomMargin": 1.2 * cm}
    width = A4[0] - 2.6 * cm - 2 * _FRAME_PAD
    footer = _footer(f"{ref.feuille_de_route['titre']} — fiche n°{int(numero)}", exemple)

    def render(story: list[Any]) -> tuple[bytes, int]:
        buffer = BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, title=f"Fiche action n°{int(numero)}", lang="fr-FR",
                                author=str(ref.feuille_de_route["titre"]), keepTogetherClass=_keep_with_start(),
                                **margins)
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
        return buffer.getvalue(), doc.page

    def attempt(size: float) -> bytes | None:
        try:
            pdf, pages = render(_fiche_story(view, _Styles(size), width, exemple, moment))
        except LayoutError:  # one field alone taller than a page
            return None
        return pdf if pages == 1 else None

    # Long fiches get smaller type, the text reflowed: the largest size that holds on one page, found by
    # bisection since most fiches fit at the first size and the longest need several tries. If even the
    # smallest size overflows, the whole page is scaled down rather than cut: nothing of the fiche is dropped.
    best = attempt(FICHE_SIZES[0])
    if best is None:
        low, high = 1, len(FICHE_SIZES) - 1
        while low <= high:
            middle = (low + high) // 2
            found = attempt(FICHE_SIZES[middle])
            if found is None:
                low = middle + 1
            else:
                best, high = found, middle - 1
    if best is not None:
        out.write(best)
        return
    frame_height = A4[1] - 2.4 * cm - 2 * _FRAME_PAD
    story = [KeepInFrame(width, frame_height, _fiche_story(view, _Styles(FICHE_SIZES[-1]), width, exemple, moment),
                         mode="shrink")]
    out.write(render(story)[0])


# --------------------------------------------------------------------------------------------------
# Workbook
# --------------------------------------------------------------------------------------------------


def _columns(table: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The columns a table is shown with everywhere (the dashboard's data tables and downloads), in French."""
    return table[list(columns)].rename(columns=columns)


def build_xlsx(data: ReportData) -> bytes:
    """Every figure of the report, one sheet per table; texts are string cells, never live formulas."""
    cover = [("Feuille de route", data.titre), ("Territoire", data.territoire), ("Version", data.version),
             ("Trimestre", data.periode_label), ("Généré le", _date(data.genere_le))]
    if data.cloture is not None:
        cover += [("Comité", data.cloture.comite_text), ("Clôture", data.cloture.cloture_text)]
    else:
        cover.append(("Clôture", cover_lines(data)[0]))
    if data.exemple:
        cover.append((EXEMPLE, EXEMPLE_DETAIL))
    cover.append(("Montants", "Ponctuels, annuels, d'une année précise, par structure partenaire et sans période "
                              + "précisée sont tenus à part : ils ne s'additionnent pas. Une fiche dont la feuille de "
                              + "route ne chiffre pas l'investissement est « non chiffré » (cellules vides), jamais "
                              + "0 €."))

    years = sorted({int(y) for y in data.budget_annees["annee"]})
    budget = pd.DataFrame({
        "Axe n°": data.axes["code"], "Axe": data.axes["libelle"], "Fiches": data.axes["fiches"],
        "Ponctuel (€)": data.axes["ponctuel"], "Par an (€)": data.axes["par_an"],
        "Année précise, total (€)": data.axes["par_annee"],
        **{f"En {y} (€)": [float(data.budget_annees.loc[(data.budget_annees["axe"] == a)
                                                        & (data.budget_annees["annee"] == y), "montant"].sum())
                           for a in data.axes["code"]] for y in years},
        "Par structure partenaire (€)": data.axes["par_structure"],
        "Période non précisée (€)": data.axes["non_precise"], "dont ponctuel sous condition (€)": data.axes[
            "conditionnel"], "Fiches non chiffrées": data.axes["non_chiffrees"], "ETP": data.axes["etp"],
        "dont ETP partagés avec d'autres actions": data.axes["etp_partage"],
        "ETP par structure partenaire (non additionnés)": data.axes["etp_par_structure"],
    })
    budget_fiches = _columns(data.budget_fiches, rules.BUDGET_FICHE_COLUMNS)
    etp = _columns(data.etp, rules.ETP_STRUCTURE_COLUMNS)
    etp_lignes = _columns(data.etp_lignes, rules.ETP_LINE_COLUMNS)
    ind = data.indicateurs
    indicateurs = pd.DataFrame({
        "Fiche": ind["fiche"], "Indicateur": ind["code"], "Libellé": ind["libelle"], "Type": ind["type"],
        "Unité": ind["unite"], "Mode": ind["mode"], f"Valeur {data.periode_label}": ind["valeur"],
        "Texte": ind["valeur_texte"], "Progression": ind["progression"], "Cible": ind["cible"],
        "Échéance": ind["echeance"], "Origine de la cible": ind["cible_provenance"],
        "Part de la cible": ind["part_cible"], "Commentaire": ind["commentaire"], "Saisi par": ind["saisi_par"],
        "Donnée d'exemple": ind["exemple"].map(lambda v: None if pd.isna(v) else "oui" if bool(v) else "non"),
    })
    fiches = data.fiches
    suivi = pd.DataFrame({
        "Fiche": fiches["fiche"], "Axe": fiches["axe_libelle"], "Intitulé": fiches["intitule"],
        "Porteur(s)": fiches["porteurs"], "Statut": fiches["statut"], "Météo": fiches["meteo"],
        "Résultats": fiches["resultats"], "Freins": fiches["freins"], "Prochaines étapes": fiches["prochaines_etapes"],
        "Saisi par": fiches["saisi_par"], "Indicateurs renseignés": fiches["saisis"],
        "Indicateurs attendus": fiches["attendus"],
    })
    attention = pd.DataFrame([vars(i) for i in attention_items(data)],
                             columns=["rubrique", "fiche", "indicateur", "detail"]).rename(columns={
        "rubrique": "Point d'attention", "fiche": "Fiche", "indicateur": "Indicateur", "detail": "Détail"})
    return exports.xlsx_bytes({
        "rapport": pd.DataFrame(cover, columns=["Rubrique", "Valeur"]),
        "budget": budget,
        "budget_fiches": budget_fiches,
        "etp": etp,
        "etp_lignes": etp_lignes,
        "indicateurs": indicateurs,
        "suivi": suivi,
        "attention": attention,
    })


# --------------------------------------------------------------------------------------------------
# The same bytes at every build
# --------------------------------------------------------------------------------------------------

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
