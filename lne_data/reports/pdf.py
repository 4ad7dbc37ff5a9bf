"""The quarterly report as an A4 landscape PDF: the two-page « note au comité », then the detail."""

from __future__ import annotations

from typing import Any, BinaryIO

import pandas as pd

from .. import formatting
from ..palette import AXE_PALETTE
from .data import (
    EXEMPLE,
    EXEMPLE_DETAIL,
    ReportData,
    as_text,
    attention_items,
    budget_series,
    cover_lines,
    date_text,
    decisions,
    etp_left_out,
    etp_par_structure_lines,
    etp_text,
    euros_text,
    execution_rows,
    grouped,
    key_figures,
    prevu_annees,
    prevu_annees_text,
    prevu_text,
    progression_text,
    valeur_text,
)
from .pdflayout import (
    FRAME_PAD,
    Styles,
    bullet_item,
    dated_canvas,
    footer_drawer,
    keep_with_start,
    para,
    pdf_bar_chart,
    pdf_chart_capacity,
    pdf_table,
)

# Above a chart, on the same page: its heading; below it, its caption (two or three lines).
PDF_CHART_ROOM_PT = 70.0
# The structures charted in the PDF, largest first; all of them are in the table that follows.
ETP_TOP_PDF = 25

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

    s = Styles(12)
    first: list[Any] = [
        para(data.titre, s.title),
        para(f"Note au comité syndical — suivi du {data.periode_label}", s.h1.clone("note_h1", spaceBefore=0)),
        *[para(line, s.body) for line in cover_lines(data)],
    ]
    if data.exemple:
        first += [Spacer(1, 4), para(EXEMPLE, s.alert), para(EXEMPLE_DETAIL, s.body)]
    first.append(para("Le trimestre en chiffres", s.h1))
    big = s.title.clone("figure", fontSize=22, leading=26, spaceAfter=0, textColor=colors.HexColor(AXE_PALETTE[0]))
    figures = key_figures(data)
    per_row = 3
    cells: list[list[Any]] = [[[para(f, big), para(label, s.body)] for f, label in figures[i:i + per_row]]
             for i in range(0, len(figures), per_row)]
    cells[-1] += [""] * (per_row - len(cells[-1]))
    grid = Table(cells, colWidths=[width / per_row] * per_row, hAlign="LEFT")
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 10)]))
    first.append(grid)
    if len(data.axes) > NOTE_AXES:  # a table shrunk to fit would be unreadable: the detail has every axe
        first.append(para(f"Les {len(data.axes)} axes sont détaillés à partir de la page 3.", s.body))
    else:
        rows = [[f"{a.code}. {as_text(a.libelle)}", str(a.fiches), prevu_text(data, int(a.code)), etp_text(a.etp),
                 "{} / {}".format(*_axe_saisis(data, int(a.code)))] for a in data.axes.itertuples()]
        first += [para("Par axe", s.h2),
                  pdf_table(Styles(10), ["Axe", "Fiches", "Budget prévu", "ETP", "Indicateurs renseignés"], rows,
                             [w * width for w in (.28, .07, .45, .08, .12)], numeric=(1, 3, 4))]
    first += _note_execution(data, width, s)

    second: list[Any] = [para("Points d'attention", s.h1.clone("note_h1b", spaceBefore=0))]
    groups = grouped(attention_items(data))
    if not groups:
        second.append(para("Aucun point d'attention ce trimestre.", s.body))
    for group in groups:
        second.append(para(group.heading, s.h2))
        second += [para(note, s.body) for note in group.notes]
        second += [bullet_item(line, s.bullet) for line in group.points[:NOTE_LISTED]]
        if len(group.points) > NOTE_LISTED:
            second.append(para(f"… et {len(group.points) - NOTE_LISTED} autre(s) : voir le détail.", s.small))
    second.append(para("Ce que le comité est invité à décider", s.h1))
    second += [para(f"{number}. {line}", s.body.clone("decision", spaceAfter=4))
               for number, line in enumerate(decisions(data), 1)]
    return [KeepInFrame(width, height, first, mode="shrink"), PageBreak(),
            KeepInFrame(width, height, second, mode="shrink"), PageBreak()]


def _note_execution(data: ReportData, width: float, s: Styles) -> list[Any]:
    """The execution declared by the porteurs, per axe: prévu (`BudgetView.prevu`), engagé, payé; « non déclaré »,
    never 0 €."""
    if data.execution is None:
        return [para("Exécution budgétaire : non figée par cette clôture, antérieure à son suivi.", s.body)]
    if data.execution[["engage_eur", "paye_eur"]].isna().all().all() or len(data.execution) > NOTE_AXES:
        said = ("aucune dépense déclarée" if data.execution[["engage_eur", "paye_eur"]].isna().all().all()
                else "détaillée dans le classeur du rapport")
        return [para(f"Exécution budgétaire : {said}.", s.body)]

    return [para(f"Exécution budgétaire déclarée, jusqu'au {data.periode_label}", s.h2),
            pdf_table(Styles(10), ["Axe", f"Prévu {data.chiffres.budget.periode}", "Engagé", "Payé"],
                      execution_rows(data),
                      [w * width for w in (.46, .18, .18, .18)], numeric=(1, 2, 3))]


def _axe_saisis(data: ReportData, code: int) -> tuple[int, int]:
    fiches = data.fiches[data.fiches["axe"] == code]
    return int(fiches["saisis"].sum()), int(fiches["attendus"].sum())


def build_pdf(data: ReportData, out: BinaryIO) -> None:
    """An A4 landscape PDF: the two-page « note au comité » (`_note`), then the detail: tables over as many pages
    as they need, bar charts of one page each, points of attention."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate, Spacer

    s = Styles(10)
    page = landscape(A4)
    title = formatting.document_property(f"{data.titre} — {data.periode_label}")
    doc = SimpleDocTemplate(out, pagesize=page, leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=1.4 * cm,
                            bottomMargin=1.4 * cm, title=title, author=formatting.document_property(data.titre),
                            lang="fr-FR", keepTogetherClass=keep_with_start())
    width = doc.width - 2 * FRAME_PAD
    story: list[Any] = [
        *_note(data, width, doc.height - 2 * FRAME_PAD),
        para(f"{data.titre} — détail", s.title),
        para(f"Suivi trimestriel — {data.periode_label}", s.h1),
        para(f"Généré le {date_text(data.genere_le)}"
             + (f" · feuille de route : {data.version}" if data.version else ""),
              s.small),
    ]
    if data.exemple:
        story += [Spacer(1, 6), para(EXEMPLE, s.alert), para(EXEMPLE_DETAIL, s.body)]

    chart_height = doc.height - 2 * FRAME_PAD - PDF_CHART_ROOM_PT
    story += _budget_section(data, s, width, chart_height)
    story += _etp_section(data, s, width, chart_height)
    story += _fiches_section(data, s, width)
    story += _indicateurs_section(data, s, width)
    story += _attention_section(data, s)

    footer = footer_drawer(f"{data.titre} — suivi {data.periode_label}", data.exemple)
    doc.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=dated_canvas(data.genere_le))


def _budget_section(data: ReportData, s: Styles, width: float, chart_height: float) -> list[Any]:
    from reportlab.platypus import KeepTogether

    story: list[Any] = [para("Budget prévu par axe", s.h1), para(f"{prevu_text(data)}.", s.body)]
    years = prevu_annees(data)
    rows = [[f"{a.code}. {a.libelle}", prevu_text(data, int(a.code)),
             *[euros_text(v) if v else "—" for v in prevu_annees(data, int(a.code))["montant"]], etp_text(a.etp)]
            for a in data.axes.itertuples()]
    rows.append(["Total", prevu_text(data), *[euros_text(v) if v else "—" for v in years["montant"]],
                 etp_text(float(data.axes["etp"].sum()))])
    share = 0.29 / max(1, len(years) - 1)  # the years; « à répartir » (the last) a little wider
    headers = [as_text(y) if pd.notna(a) else "À répartir" for y, a in zip(years["libelle"], years["annee"])]
    story.append(pdf_table(s, ["Axe", "Prévu", *headers, "ETP"], rows,
                            [w * width for w in (.18, .36, *[share] * (len(years) - 1), .10, .07)],
                            numeric=tuple(range(2, len(years) + 3))))
    story += _kinds_table(data, s, width)
    # A chart is kept on one page with its heading and caption; longer lists are split into several charts. One bar
    # per axe, its kinds of money stacked, each kind its own grey (one-off and period-less amounts never alike).
    kinds = budget_series(data)
    per_chart = pdf_chart_capacity(len(kinds), chart_height, stacked=True)
    charts: list[list[Any]] = []
    for start in range(0, len(data.axes), per_chart):
        axes = data.axes.iloc[start:start + per_chart]
        totals = [data.chiffres.budget.prevu(int(a)).etiquette() for a in axes["code"]]
        chart = pdf_bar_chart(list(axes["libelle"]), [(label, list(axes[c])) for c, label, _ in kinds], euros_text,
                              width, chart_height, colours=[colour for *_, colour in kinds], totals=totals)
        if len(data.axes) > per_chart:
            first, last = int(axes["code"].iloc[0]), int(axes["code"].iloc[-1])
            charts.append([para(f"Budget prévu des axes {first} à {last}", s.h2), chart])
        else:
            charts.append([chart])
    # The notes say how to read the charts: they stay under the last one, never alone at the top of a page.
    charts[-1].append(para(
        "« Par an » : chaque année de vie de la fiche ; une année donnée par le texte : cette année-là ; ponctuel et "
        "période non précisée : une fois, à répartir sur la période. Les montants par structure partenaire ne sont "
        f"pas additionnés (nombre de structures non fixé). Par année : {prevu_annees_text(data)}.", s.small))
    if not data.non_precises.empty:
        charts[-1].append(para("Montants dont la feuille de route ne précise pas la période : " + " ; ".join(
            f"fiche {int(r.fiche)} : {euros_text(r.montant)} (« {as_text(r.source)} »)"
            for r in data.non_precises.itertuples()) + ".", s.small))
    if not data.non_chiffrees.empty:
        charts[-1].append(para("Fiches sans investissement chiffré (jamais comptées 0 €) : "
                                + ", ".join(str(int(n)) for n in data.non_chiffrees["fiche"]) + ".", s.small))
    story += [KeepTogether(block) for block in charts]
    return story


def _kinds_table(data: ReportData, s: Styles, width: float) -> list[Any]:
    """What each axe's planned total adds up, kind by kind, with the amounts per structure kept apart: every figure
    traced to the lines of its fiches (the Budget page lists them)."""
    def amount(value: float) -> str:
        return euros_text(value) if value else "—"

    rows = [[f"{a.code}. {a.libelle}", amount(a.ponctuel), amount(a.non_precise), amount(a.par_an_prevu),
             amount(a.par_annee), amount(a.par_structure), str(a.non_chiffrees) if a.non_chiffrees else "—"]
            for a in data.axes.itertuples()]
    headers = ["Axe", "Ponctuel", "Période non précisée", "Par an × années de la fiche", "Années données",
               "Par structure partenaire (à part)", "Fiches non chiffrées"]
    return [para("Ce que le prévu additionne", s.h2),
            pdf_table(s, headers, rows, [w * width for w in (.22, .12, .13, .15, .12, .14, .12)],
                      numeric=(1, 2, 3, 4, 5, 6))]


def _etp_section(data: ReportData, s: Styles, width: float, chart_height: float) -> list[Any]:
    from reportlab.platypus import KeepTogether

    shown = min(ETP_TOP_PDF, pdf_chart_capacity(1, chart_height))
    top = data.etp.head(shown)
    heading: list[Any] = [
        para("Charge en ETP par structure", s.h1),
        pdf_bar_chart(list(top["structure"]), [("ETP", list(top["etp"]))], etp_text, width, chart_height),
    ]
    if len(data.etp) > shown:
        heading.append(para(etp_left_out(shown, len(data.etp), "dans le tableau ci-dessous"), s.small))
    etp_rows = [[as_text(r.structure), etp_text(r.etp), as_text(r.fiches)] for r in data.etp.itertuples()]
    return [
        KeepTogether(heading),
        pdf_table(s, ["Structure", "ETP", "Fiches"], etp_rows, [w * width for w in (.45, .15, .40)], numeric=(1,)),
        # Set apart from the table's last row, which it otherwise touched.
        para(f"{data.coordinatrice} : {etp_text(data.coordinatrice_etp)} attribués, "
              f"{etp_text(data.coordinatrice_etp_possible)} avec les co-portages non répartis.",
              s.body.clone("under_table", spaceBefore=4)),
        *[para(line, s.small) for line in etp_par_structure_lines(data)],
    ]


def _fiches_section(data: ReportData, s: Styles, width: float) -> list[Any]:
    story: list[Any] = []
    story.append(para(f"Fiches action — suivi {data.periode_label}", s.h1))
    for axe in data.axes.itertuples():
        fiches = data.fiches[data.fiches["axe"] == axe.code]
        rows = []
        for r in fiches.itertuples():
            follow = "\n".join(f"{label} : {as_text(value)}" for label, value in
                               (("Résultats", r.resultats), ("Freins", r.freins),
                                ("Prochaines étapes", r.prochaines_etapes)) if as_text(value))
            rows.append([str(r.fiche), as_text(r.intitule), as_text(r.porteurs), as_text(r.statut) or "—",
                         as_text(r.meteo) or "—", f"{r.saisis} / {r.attendus}", follow])
        story += [para(f"Axe {axe.code} — {axe.libelle}", s.h2),
                  pdf_table(s, ["N°", "Fiche action", "Porteur(s)", "Statut", "Météo", "Indicateurs", "Suivi"], rows,
                             [w * width for w in (.04, .26, .18, .08, .08, .095, .265)], numeric=(0, 5))]
    return story


def _indicateurs_section(data: ReportData, s: Styles, width: float) -> list[Any]:
    story: list[Any] = []
    saisis = data.saisis
    story.append(para(f"Indicateurs — {data.periode_label} ({len(saisis)} renseigné(s) sur "
                       f"{len(data.indicateurs)})", s.h1))
    if saisis.empty:
        story.append(para(f"Aucune valeur saisie pour {data.periode_label}.", s.body))
    else:
        rows = [[str(int(r.fiche)), r.code, as_text(r.libelle), valeur_text(r), progression_text(r),
                 as_text(r.commentaire)] for r in saisis.itertuples()]
        story.append(pdf_table(s, ["Fiche", "Code", "Indicateur", "Valeur", "Progression", "Commentaire"], rows,
                                [w * width for w in (.06, .07, .33, .14, .18, .22)], numeric=(0,)))
    return story


def _attention_section(data: ReportData, s: Styles) -> list[Any]:
    story: list[Any] = []
    story.append(para("Points d'attention", s.h1))
    groups = grouped(attention_items(data))
    if not groups:
        story.append(para("Aucun point d'attention ce trimestre.", s.body))
    for group in groups:
        story.append(para(group.heading, s.h2))
        story += [para(note, s.body) for note in group.notes]
        story += [bullet_item(line, s.bullet) for line in group.points]
    return story
