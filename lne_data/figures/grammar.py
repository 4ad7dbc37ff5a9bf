"""The layout and the cache every figure shares, the colour grammar of `lne_data.palette` as Plotly draws it, and
each chart's text alternative (`summary`). French separators (`1 234,5`); large enough type to be read when the
screen is shared.
"""

from __future__ import annotations

import functools
import hashlib
import html
import numbers
import textwrap
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .. import formatting
from ..palette import AXE_PALETTE

MODEBAR_BUTTONS = ["zoom", "pan", "select", "lasso", "zoomIn", "zoomOut", "autoScale", "resetScale", "toImage",
                   "hoverClosestCartesian", "hoverCompareCartesian", "toggleSpikelines", "zoomInGeo", "zoomOutGeo",
                   "resetGeo", "hoverClosestGeo", "hoverClosestGl2d", "hoverClosestPie", "toggleHover", "resetViews",
                   "sendDataToCloud", "resetViewMapbox", "zoomInMapbox", "zoomOutMapbox"]
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=15)


# --------------------------------------------------------------------------------------------------------------
# Figures are kept, by the content of what they are drawn from
# --------------------------------------------------------------------------------------------------------------
# A page draws its figures again on every run (each widget change), and Plotly's validation of every property
# makes that the largest part of a page at national scale (~25 ms per figure, a dozen per page). A figure whose
# data, texts and options are the same is the same figure: it is built once per server process and shared, so
# nobody may modify a figure these functions return (the meeting's figures work on a copy).

_FIGURES_KEPT = 256


def _fingerprint(*parts: Any) -> str:
    """Frames by content (values, index, columns, types), anything else by its repr."""
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, pd.DataFrame):
            digest.update(repr((list(part.columns), [str(t) for t in part.dtypes], len(part))).encode())
            digest.update(pd.util.hash_pandas_object(part, index=True).to_numpy().tobytes())
        else:
            digest.update(repr(part).encode())
        digest.update(b"\x00")
    return digest.hexdigest()


class _Drawing:
    """A figure to draw, equal to another by `key` alone (the function's name and the fingerprint of what it is
    drawn from), so that `_drawn`'s cache finds a figure by its content. `draw` is let go once called: the cache
    keeps its keys, and must not keep the frames a figure was drawn from along with them."""

    def __init__(self, key: tuple[str, str], draw: Callable[[], go.Figure]) -> None:
        self.key = key
        self.draw: Callable[[], go.Figure] | None = draw

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Drawing) and other.key == self.key


@functools.lru_cache(maxsize=_FIGURES_KEPT)
def _drawn(drawing: _Drawing) -> go.Figure:
    draw, drawing.draw = drawing.draw, None
    assert draw is not None  # a drawing is drawn once: the cache answers for it afterwards
    return draw()


def kept_figures(
    inputs: Callable[..., tuple[Any, ...]]
) -> Callable[[Callable[..., go.Figure]], Callable[..., go.Figure]]:
    """Keep the figures a function builds; `inputs` takes the function's arguments and returns everything the
    figure is drawn from (when one of them cannot be fingerprinted, the figure is built and not kept)."""

    def decorate(build: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
        @functools.wraps(build)
        def kept(*args: Any, **kwargs: Any) -> go.Figure:
            try:
                key = (build.__name__, _fingerprint(*inputs(*args, **kwargs)))
            except (TypeError, ValueError):
                return build(*args, **kwargs)
            return _drawn(_Drawing(key, lambda: build(*args, **kwargs)))

        return kept

    return decorate


def colours_key(colours: dict[int, str]) -> tuple[tuple[int, str], ...]:
    return tuple(sorted(colours.items()))


def axe_colours(axes: pd.DataFrame) -> dict[int, str]:
    return {int(code): AXE_PALETTE[i % len(AXE_PALETTE)] for i, code in enumerate(sorted(axes["code"]))}


def wrap_title(title: str, width: int = 48) -> str:
    """Plotly does not wrap titles: cut long ones on word boundaries so nothing is lost off-screen. A word longer
    than the line stays whole, and so does a hyphenated one (« co-porteur »); a no-break space (`1 234 €`) does not
    break."""
    return "<br>".join(textwrap.wrap(title, width, break_long_words=False, break_on_hyphens=False))


def apply_layout(fig: go.Figure, title: str, *, height: int = 420, wrap: int = 48, **kwargs: object) -> go.Figure:
    wrapped = wrap_title(title, wrap)
    top = 60 + 22 * wrapped.count("<br>")
    fig.update_layout(
        title=dict(text=wrapped, font=dict(size=19 if "<br>" not in wrapped else 16)),
        font=FONT,
        separators=",\u202f",
        height=height,
        margin=dict(l=10, r=10, t=top, b=10),
        plot_bgcolor="white",
        # Below the plot: a legend above it collides with the title as soon as it wraps.
        legend=dict(orientation="h", yanchor="top", y=_legend_y(fig, height - top - 10), xanchor="left", x=0),
        # Plotly's toolbar is English (« Zoom », « Reset axes », « Download plot as a PNG ») and of no use to an élu:
        # its buttons are removed from the figure itself, so that every page drawing it (ui.chart, the meeting's)
        # goes without. The data and their downloads are one click away under each chart.
        modebar_remove=MODEBAR_BUTTONS,
        **kwargs,
    )
    fig.update_xaxes(gridcolor="#E5E5E5", zerolinecolor="#BBBBBB")
    fig.update_yaxes(gridcolor="#E5E5E5", zerolinecolor="#BBBBBB")
    return fig


# The x axis's tick labels, and its title when it has one, take this much below the plot (DejaVu Sans, 13 px).
_UNDER_PLOT_PX, _UNDER_PLOT_TITLED_PX = 40, 64
_LEGEND_ROW_PX = 22


def _legend_y(fig: go.Figure, plot_px: int) -> float:
    """Where the legend's top goes, in fractions of the plot's height below it: a quarter of it, or further on a
    short chart, so that the legend never lies over the x axis's labels or title (a one-bar chart, 190 px high, had
    « euros » written through its second row). The legend's own rows are taken off the plot's height: Plotly widens
    the bottom margin for them, which shortens the plot."""
    entries = sum(1 for t in fig.data if t.showlegend is not False and t.name)
    rows = -(-entries // 2)  # two kinds a row at the narrowest (half-width charts)
    under = _UNDER_PLOT_TITLED_PX if fig.layout.xaxis.title.text else _UNDER_PLOT_PX
    plot = max(plot_px - _LEGEND_ROW_PX * rows - under, 40)
    return min(-0.25, -under / plot)


NO_ETP = "Aucun ETP chiffré pour ces fiches."  # every staffing chart, on the pages and in Mode réunion


@kept_figures(lambda title, message: (title, message))
def empty(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    # Wrapped: a sentence on one line was cut on both sides in a half-width chart.
    fig.add_annotation(text=wrap_title(message, 40), showarrow=False, font=dict(size=17), x=0.5, y=0.5, xref="paper",
                       yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return apply_layout(fig, title, height=260)


def inert(text: object) -> str:
    """Data text made inert for Plotly, which renders a subset of HTML (links included) in every label."""
    return html.escape(str(text), quote=False)


def template_text(text: str) -> str:
    """Data text inside a hover template: inert HTML, and `%{` no longer starts a Plotly variable."""
    return inert(text).replace("%{", "%\u200b{")




def _seq(values: Any) -> list[Any]:
    return [] if values is None else list(values)


def _plain(text: object) -> str:
    """A Plotly label as a sentence reads it: its line breaks (`wrap_title`) are spaces, its entities characters."""
    return " ".join(html.unescape(str(text or "").replace("<br>", " ")).split())


def summary(fig: go.Figure) -> str:
    """The chart's text alternative (RGAA 1.3, WCAG 1.1.1): its title and one sentence on what it shows, read under
    the chart by everyone and by screen readers; the data themselves are in the table under it (« Voir les données »).
    """
    title = _plain(fig.layout.title.text)
    traces = [t for t in fig.data if t.type in ("bar", "scatter", "heatmap")]
    if not traces:
        notes = [_plain(a.text) for a in fig.layout.annotations or []]
        return f"{title} : {' '.join(notes).rstrip('.') or 'aucune donnée'}."
    if traces[0].type == "heatmap":
        grid = traces[0]
        return (f"{title} : grille de {len(_seq(grid.y))} lignes sur {len(_seq(grid.x))} colonnes, plus la case est "
                "foncée, plus la part est grande ; le détail est dans le tableau sous le graphique.")
    horizontal = any(t.type == "bar" and t.orientation == "h" for t in traces)
    axis = fig.layout.xaxis if horizontal else fig.layout.yaxis
    unit = str(axis.title.text or "") if axis.title else ""
    written = {"euros": formatting.euros, "ETP": formatting.etp}.get(
        unit, lambda v: f"{formatting.number(v, 2)} {unit}".strip())
    # Bars are the data; a line drawn over them (a cumul) or markers (« non chiffré ») are read from the table.
    bars = [t for t in traces if t.type == "bar"] or traces
    # Bars side by side (prévu, engagé, payé) are different quantities: each is said apart, never added up.
    groups = [[trace] for trace in bars] if fig.layout.barmode == "group" else [bars]
    said = []
    for group in groups:
        totals: dict[str, float] = {}
        for trace in group:
            categories, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
            for category, value in zip(_seq(categories), _seq(values)):
                if isinstance(value, numbers.Real) and not pd.isna(value):
                    totals[str(category)] = totals.get(str(category), 0.0) + float(value)
        if totals:
            biggest = max(totals, key=lambda k: totals[k])
            said.append((len(totals), f"{group[0].name} " if len(groups) > 1 else "",
                         f"{_plain(biggest)} ({written(totals[biggest])})"))
    if not said:
        return f"{title} : aucune valeur chiffrée."
    if len(said) == 1 and said[0][0] == 1:
        return f"{title} : un seul élément, {said[0][2]}."
    return (f"{title} : {max(n for n, _, _ in said)} éléments ; "
            + " ; ".join(f"{name.lower()}le plus élevé : {text}" for _, name, text in said) + ".")
