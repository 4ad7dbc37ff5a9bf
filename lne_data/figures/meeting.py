"""Mode réunion's figures: one per screen of a 1280×720 projector, of a fixed height, their type 20 px at least."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .. import formatting, periodes
from ..palette import NEUTRAL, NEUTRALS, TABLE_HEADER, TABLE_STRIPE, TEXT
from ..views import (
    MEETING_COLUMNS,
    BudgetView,
    ChargeView,
    meeting_lines,
)
from .charts import budget_par_axe
from .execution import prevu_engage_paye_par_axe
from .grammar import FONT, NO_ETP, empty, inert, template_text, wrap_title

MEETING_TEXT, MEETING_TITLE = 20, 24
MEETING_HEIGHT = 430  # under the navigation row and the heading, within 720 px (tests/test_e2e_reunion.py)
MEETING_BUDGET_HEIGHT = 380  # the budget chart for three axes (20 px more per further axe): the sentence per year
# is written under it, within 720 px (tests/test_e2e_reunion.py)
# A short list's row of one line (20 px type; each further line 26 px more: as Chromium draws them in DejaVu Sans,
# a row counted 28 px a line had its second line cut), its header (drawn 36 px high whatever is asked) and its title.
MEETING_LIST_ROW, MEETING_LIST_LINE, MEETING_LIST_HEADER, MEETING_LIST_TITLE = 34, 26, 36, 56
MEETING_TOP_STRUCTURES = 6  # bars of the ETP chart: more would not hold their names (two lines) at 20 px


def _meeting_layout(fig: go.Figure, title: str, height: int = MEETING_HEIGHT, **kwargs: Any) -> go.Figure:
    kwargs.setdefault("margin", dict(l=10, r=10, t=50, b=10))
    # Text in TEXT, not the theme's grey (3.7:1 on white, below WCAG's 4.5:1), nor an axe's blue.
    fig.update_layout(title=dict(text=inert(title), font=dict(size=MEETING_TITLE, color=TEXT)),
                      font=dict(FONT, size=MEETING_TEXT, color=TEXT),
                      separators=",\u202f", height=height, plot_bgcolor="white", **kwargs)
    for update in (fig.update_xaxes, fig.update_yaxes):
        update(tickfont=dict(size=MEETING_TEXT, color=TEXT), title_font=dict(size=MEETING_TEXT, color=TEXT),
               gridcolor="#E5E5E5")
    return fig


def meeting_chiffres(figures_: list[tuple[str, str]], height: int = MEETING_HEIGHT) -> go.Figure:
    """Key figures as tiles of large type: (figure, what it counts), three to a row."""
    fig = go.Figure()
    per_row = 3
    rows_ = max(1, -(-len(figures_) // per_row))
    for index, (value, label) in enumerate(figures_):
        row, col = divmod(index, per_row)
        x = (col + 0.5) / per_row
        y = 1 - (row + 0.5) / rows_  # the figure above this line, its label under it
        # The label hangs a fixed number of pixels under its figure, whatever the height of the tiles.
        fig.add_annotation(text=f"<b>{inert(value)}</b>", x=x, y=y, xref="paper", yref="paper", showarrow=False,
                           font=dict(size=44, color=TEXT), yanchor="bottom", xanchor="center")
        # Centred on its third of the width (Plotly would anchor the side ones to their edge, over the middle one).
        fig.add_annotation(text=wrap_title(inert(label), 24), x=x, y=y, xref="paper", yref="paper", showarrow=False,
                           font=dict(size=22, color=TEXT), yanchor="top", yshift=-4, xanchor="center")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _meeting_layout(fig, "", height=height, margin=dict(l=10, r=10, t=10, b=10))


def meeting_fiches(ecran: Any) -> go.Figure:
    """An axe's fiches on one screen: the rows `views.meeting` put there, each cell in the lines
    `views.meeting_lines` counted when it split the axe."""
    table = ecran.fiches
    cells = [["<br>".join(inert(line) for line in meeting_lines(v, chars)) for v in table[name]]
             for name, _, _, chars in MEETING_COLUMNS]
    fig = go.Figure(go.Table(
        columnwidth=[share for _, _, share, _ in MEETING_COLUMNS],
        header=dict(values=[f"<b>{label}</b>" for _, label, _, _ in MEETING_COLUMNS], font=dict(size=MEETING_TEXT,
                    color="white"), fill_color=TABLE_HEADER, align="left", height=34),
        cells=dict(values=cells, font=dict(size=MEETING_TEXT, color=TEXT), align="left", height=30,
                   fill_color=[["white", TABLE_STRIPE] * (len(table) // 2 + 1)]),
    ))
    return _meeting_layout(fig, "", margin=dict(l=0, r=0, t=0, b=0))


def meeting_budget(view: BudgetView, colours: dict[int, str]) -> go.Figure:
    """`budget_par_axe` in the meeting's type and height: one bar per axe beside its name, its kinds stacked, and
    at its end the axe's sentence (`BudgetView.phrase`: the conditional part, per structure, the fiches non
    chiffrées), wrapped, at 20 px; no axis to read, the figures are written."""
    fig = go.Figure(budget_par_axe(view, colours))  # a copy: the figure given may be a kept one
    codes = [code for code, _ in view.axes()]
    fig = _meeting_layout(fig, "", height=MEETING_BUDGET_HEIGHT + 20 * max(0, len(codes) - 3),
                          margin=dict(l=10, r=10, t=10, b=10),
                          legend=dict(orientation="h", yanchor="top", y=-0.02, xanchor="left", x=0,
                                      font=dict(size=MEETING_TEXT), entrywidth=0.5, entrywidthmode="fraction",
                                      traceorder="normal"))
    # A long axe name on two lines leaves the bars their room; a long kind on two lines stays in its half of the
    # legend (« Période non précisée (une fois, à répartir) » ran past the screen's edge at 20 px in DejaVu Sans).
    labels = [wrap_title(str(y), 22) for y in fig.data[0].y]
    for trace in fig.data:
        if trace.name:
            trace.name = wrap_title(str(trace.name), 32)
    fig.update_traces(y=labels)
    fig.update_traces(textfont_size=MEETING_TEXT, text=[wrap_title(view.phrase(code), 44) for code in codes],
                      selector=dict(type="scatter"))
    fig.update_yaxes(categoryarray=labels)
    totals = [float(x) for x in fig.data[-1].x]
    # Room on the right for a sentence of three or four lines at 20 px.
    fig.update_xaxes(visible=False, range=[0, max([1.0, *totals]) * 2.3])
    return fig


def meeting_execution(table: pd.DataFrame | None, periode: str | None) -> go.Figure:
    """Prévu, engagé and payé per axe (`views.prevu_engage_paye`), in the meeting's type and height."""
    title = "Prévu, engagé et payé par axe" + (f", jusqu'au {periodes.label(periode)}" if periode else "")
    if table is None:
        return _meeting_layout(empty(title, "Cette clôture a été faite avant que l'exécution soit figée : elle ne "
                                            "la montre pas."), title)
    fig = go.Figure(prevu_engage_paye_par_axe(table, title))  # a copy: the figure given may be a kept one
    fig = _meeting_layout(fig, title, legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1,
                                                  font=dict(size=MEETING_TEXT)))
    if not fig.data:
        return fig
    fig.update_traces(textfont_size=MEETING_TEXT, y=[wrap_title(str(y), 24) for y in fig.data[0].y])
    top = max((v for trace in fig.data for v in trace.x if v is not None), default=1.0)
    fig.update_xaxes(tickangle=0, nticks=4, range=[0, max(1.0, top) * 1.6])
    return fig


def meeting_etp(view: ChargeView, top: int = MEETING_TOP_STRUCTURES) -> go.Figure:
    """The structures with the most ETP, at most `top` of them, saying how many are left out."""
    data = view.par_structure.head(top)
    title = "ETP par structure"
    if len(view.par_structure) > top:
        title += f" : les {top} plus chargées sur {len(view.par_structure)}"
    if data.empty:
        return _meeting_layout(empty(title, NO_ETP), title)
    # The coordinating structure darkest, as on the Charge RH page: grey, never axe 1's blue.
    colours = [NEUTRALS[0] if s == view.coordinatrice else NEUTRALS[1] for s in data["structure"]]
    fig = go.Figure(go.Bar(
        # Whole names, wrapped: cut ones may be the same (« Structure partenaire… ») and Plotly would merge bars.
        x=data["etp"], y=[wrap_title(inert(str(s)), 30) for s in data["structure"]], orientation="h",
        marker_color=colours,
        text=[formatting.etp(v) for v in data["etp"]], textposition="outside", cliponaxis=False,
        textfont_size=MEETING_TEXT, hovertemplate="%{y}<br>%{x:.2f} ETP<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, max(0.1, float(data["etp"].max())) * 1.3], title_text="ETP")
    return _meeting_layout(fig, title)


def meeting_completude(grid: pd.DataFrame, colours: dict[int, str]) -> go.Figure:
    """Per axe, the share of its indicators reported in each of the last quarters (`views.MeetingView`'s
    `completude_axes`): four quarters, one bar per axe, readable whatever the number of fiches."""
    title = "Part des indicateurs renseignés, par axe"
    if grid.empty:
        return _meeting_layout(empty(title, "Aucune saisie pour ces fiches."), title)
    fig = go.Figure()
    for axe, rows_ in grid.groupby("axe", sort=True):
        fig.add_trace(go.Bar(
            x=[periodes.label(p) for p in rows_["periode"]], y=rows_["part"], name=inert(f"Axe {int(axe)}"),
            marker_color=colours.get(int(axe), NEUTRAL), text=[formatting.percent(100 * v) for v in rows_["part"]],
            textposition="outside", cliponaxis=False, textfont_size=MEETING_TEXT,
            hovertemplate=template_text(f"Axe {int(axe)}") + ", %{x} : %{y:.0%}<extra></extra>",
        ))
    fig.update_yaxes(range=[0, 1.2], tickformat=".0%")
    fig.update_xaxes(type="category")
    return _meeting_layout(fig, title, barmode="group",
                           legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1,
                                       font=dict(size=MEETING_TEXT, color=TEXT)))


def meeting_liste(title: str, headers: list[str], rows_: list[list[str]], shares: list[float],
                  height: int) -> go.Figure:
    """A short table of the meeting (points of attention), its cells cut with « … » by the read model, on one line
    each or on the lines a « \\n » separates (`meeting_liste_height` counts them)."""
    fig = go.Figure(go.Table(
        columnwidth=shares,
        header=dict(values=[f"<b>{inert(h)}</b>" for h in headers], font=dict(size=MEETING_TEXT, color="white"),
                    fill_color=TABLE_HEADER, align="left", height=MEETING_LIST_HEADER),
        cells=dict(values=[["<br>".join(inert(line) for line in r[i].split("\n")) for r in rows_]
                           for i in range(len(headers))], font=dict(size=MEETING_TEXT, color=TEXT),
                   align="left", height=MEETING_LIST_ROW),
    ))
    return _meeting_layout(fig, title, height=height, margin=dict(l=0, r=0, t=MEETING_LIST_TITLE if title else 0, b=0))


def meeting_liste_height(rows_: list[list[str]]) -> int:
    """The height of a `meeting_liste` of these rows under its title and header: a row of one line, and
    MEETING_LIST_LINE more per further line, as Chromium draws 20 px type (tests/test_e2e_reunion.py checks nothing
    is cut)."""
    lines = [max(cell.count("\n") for cell in row) for row in rows_]
    return (MEETING_LIST_TITLE + MEETING_LIST_HEADER
            + sum(MEETING_LIST_ROW + 4 + MEETING_LIST_LINE * more for more in lines) + 8)
