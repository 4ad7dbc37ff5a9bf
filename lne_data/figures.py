"""Plotly figures, built with graph_objects (plotly.express costs several times more per rerun).

The colour grammar, written here once and used by every page, the PDF and the deck (lne_data.reports):
- AXE_PALETTE: the axes, and nothing else. Okabe-Ito's colours, which colour-blind readers tell apart; axe 1 is
  always blue, axe 2 orange, axe 3 green, on every chart and in every export.
- NEUTRALS (greys) with PATTERNS: everything that is not an axe — structures, roles (porteur, co-porteur,
  partenaire), kinds of amounts (ponctuel, annuel) — so that a blue bar never means « Lot Numérique » on one chart and
  axe 1 on the next. Greys differ in lightness and hatching, which survives colour blindness and grey printing.
- UNASSIGNED: one colour for « non attribué » and « non chiffré », always with the same hatching.
- ATTENTION: a target or a capacity, always a dashed line with its value written.
French separators (`1 234,5`); large enough type to be read when the screen is shared.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import numbers
import textwrap
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from . import cibles, formatting, periodes, rules
from .views import AssociationsView, BudgetView, ChargeView, IndicateursView

# Okabe & Ito (2008), "Color Universal Design": the axes' colours.
AXE_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
PALETTE = AXE_PALETTE  # the name lne_data.reports and older code use
# Dark to light, each at least 3:1 against white where it stands alone (WCAG 1.4.11).
NEUTRALS = ["#333333", "#8C8C8C", "#5C5C5C", "#B3B3B3"]
PATTERNS = ["", "/", ".", "x", "-", "|", "+", "\\"]
UNASSIGNED = "#767676"
UNASSIGNED_PATTERN = "x"
ATTENTION = "#B00020"
NEUTRAL = UNASSIGNED


def neutral(index: int) -> tuple[str, str]:
    """The colour and hatching of the index-th structure, role or kind of amount: greys first, then hatched greys
    (a national roadmap has more structures than greys: a combination repeats rather than fails)."""
    return NEUTRALS[index % len(NEUTRALS)], PATTERNS[(index // len(NEUTRALS)) % len(PATTERNS)]
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
# nobody may modify a figure these functions return (`for_meeting` works on a copy).

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


def _kept(inputs: Callable[..., tuple[Any, ...]]) -> Callable[[Callable[..., go.Figure]], Callable[..., go.Figure]]:
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


def _colours(colours: dict[int, str]) -> tuple[tuple[int, str], ...]:
    return tuple(sorted(colours.items()))


def axe_colours(axes: pd.DataFrame) -> dict[int, str]:
    return {int(code): AXE_PALETTE[i % len(AXE_PALETTE)] for i, code in enumerate(sorted(axes["code"]))}


def _wrap(title: str, width: int = 48) -> str:
    """Plotly does not wrap titles: cut long ones on word boundaries so nothing is lost off-screen. A word longer
    than the line stays whole, and so does a hyphenated one (« co-porteur »); a no-break space (`1 234 €`) does not
    break."""
    return "<br>".join(textwrap.wrap(title, width, break_long_words=False, break_on_hyphens=False))


def _layout(fig: go.Figure, title: str, *, height: int = 420, wrap: int = 48, **kwargs: object) -> go.Figure:
    wrapped = _wrap(title, wrap)
    fig.update_layout(
        title=dict(text=wrapped, font=dict(size=19 if "<br>" not in wrapped else 16)),
        font=FONT,
        separators=",\u202f",
        height=height,
        margin=dict(l=10, r=10, t=60 + 22 * wrapped.count("<br>"), b=10),
        plot_bgcolor="white",
        # Below the plot: a legend above it collides with the title as soon as it wraps.
        legend=dict(orientation="h", yanchor="top", y=-0.25, xanchor="left", x=0),
        # Plotly's toolbar is English (« Zoom », « Reset axes », « Download plot as a PNG ») and of no use to an élu:
        # its buttons are removed from the figure itself, so that every page drawing it (ui.chart, the meeting's)
        # goes without. The data and their downloads are one click away under each chart.
        modebar_remove=MODEBAR_BUTTONS,
        **kwargs,
    )
    fig.update_xaxes(gridcolor="#E5E5E5", zerolinecolor="#BBBBBB")
    fig.update_yaxes(gridcolor="#E5E5E5", zerolinecolor="#BBBBBB")
    return fig


@_kept(lambda title, message: (title, message))
def empty(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    # Wrapped: a sentence on one line was cut on both sides in a half-width chart.
    fig.add_annotation(text=_wrap(message, 40), showarrow=False, font=dict(size=17), x=0.5, y=0.5, xref="paper",
                       yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, height=260)


@_kept(lambda view, colours: (view.combine, view.par_fiche, _colours(colours)))
def budget_par_axe(view: BudgetView, colours: dict[int, str]) -> go.Figure:
    title = "Investissement par axe" + (" (cumul choisi)" if view.combine else " (montants ponctuels)")
    if view.par_fiche.empty:
        return empty(title, "Aucune fiche ne correspond aux filtres.")
    per_axe = view.par_fiche.groupby(["axe", "axe_libelle"], as_index=False)[["total", "non_precise"]].sum()
    per_axe = per_axe.sort_values("axe")
    # What the bar leaves out is said on it: an axe whose money has no stated period is not an axe without money.
    texts = [formatting.euros(total) + (f"<br>+ {formatting.euros(apart)} sans période précisée"
                                        if apart and not view.combine else "")
             for total, apart in zip(per_axe["total"], per_axe["non_precise"])]
    fig = go.Figure(
        go.Bar(
            x=per_axe["total"],
            y=per_axe["axe_libelle"].map(_t),
            orientation="h",
            marker_color=[colours[int(a)] for a in per_axe["axe"]],
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}<br>%{x:,.0f} €<extra></extra>",
            name="Investissement",
        )
    )
    fig.update_yaxes(autorange="reversed")
    # Room on the right for the widest label, written outside its bar.
    fig.update_xaxes(title_text="euros", tickformat=",.0f", range=[0, max(1.0, float(per_axe["total"].max())) * 1.5])
    return _layout(fig, title, height=340)


@_kept(lambda view, colours: (view.par_fiche, _colours(colours)))
def budget_sunburst(view: BudgetView, colours: dict[int, str]) -> go.Figure:
    data = view.par_fiche[view.par_fiche["total"] > 0]
    left_out = len(view.par_fiche) - len(data)
    title = "Répartition : axe → objectif → fiche" + (
        f" ({left_out} fiche(s) sans montant dans ce total, non représentées)" if left_out else "")
    if data.empty:
        return empty(title, "Aucun investissement chiffré pour ces fiches.")
    ids, labels, parents, values, marker = [], [], [], [], []
    for (axe, axe_label), in_axe in data.groupby(["axe", "axe_libelle"]):
        ids.append(f"a{axe}")
        labels.append(_t(axe_label))
        parents.append("")
        values.append(float(in_axe["total"].sum()))
        marker.append(colours[int(axe)])
        for (objectif, objectif_label), in_obj in in_axe.groupby(["objectif", "objectif_libelle"]):
            ids.append(f"o{objectif}")
            labels.append(_t(f"{objectif} {formatting.short(objectif_label, 38)}"))
            parents.append(f"a{axe}")
            values.append(float(in_obj["total"].sum()))
            marker.append(colours[int(axe)])
            for row in in_obj.itertuples():
                ids.append(f"f{row.fiche}")
                labels.append(f"Fiche {row.fiche}")
                parents.append(f"o{objectif}")
                values.append(float(row.total))
                marker.append(colours[int(axe)])
    fig = go.Figure(
        go.Sunburst(
            ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
            marker=dict(colors=marker, line=dict(color="white", width=2)),
            hovertemplate="%{label}<br>%{value:,.0f} €<extra></extra>",
            insidetextorientation="radial",
        )
    )
    return _layout(fig, title, height=520, wrap=34)


# One row per fiche, 24 pixels each: the labels are written across, one per line, and never overlap (upright labels
# of 23 fiches ran into each other in a half-width chart).
FICHE_ROW_PX = 24


@_kept(lambda view, colours: (view.par_fiche, _colours(colours)))
def budget_par_fiche(view: BudgetView, colours: dict[int, str]) -> go.Figure:
    title = "Investissement par fiche"
    data = view.par_fiche.sort_values("fiche")
    if data.empty:
        return empty(title, "Aucune fiche ne correspond aux filtres.")
    fig = go.Figure()
    chiffrees = data[(data["chiffrage"] != rules.NON_CHIFFRE) & (data["total"] > 0)]
    for (axe, label), group in chiffrees.groupby(["axe", "axe_libelle"]):
        fig.add_bar(
            y=[f"Fiche {n}" for n in group["fiche"]], x=group["total"], name=_t(label), orientation="h",
            marker_color=colours[int(axe)], text=[formatting.euros(v) for v in group["total"]], textposition="outside",
            cliponaxis=False, customdata=group["intitule"].map(_t),
            hovertemplate="%{y} : %{customdata}<br>%{x:,.0f} €<extra></extra>",
        )
    # A fiche the roadmap does not quantify, or whose money is all outside this total (no stated period), is written
    # as such on its row, never drawn as a bar of 0 € that would read as data.
    missing = data[data["chiffrage"] == rules.NON_CHIFFRE]
    apart = data[(data["chiffrage"] != rules.NON_CHIFFRE) & (data["total"] == 0)]
    for rows, name, word in [(missing, f"{rules.NON_CHIFFRE.capitalize()} par la feuille de route", rules.NON_CHIFFRE),
                             (apart, "Montants hors de ce total (annuels, par structure, sans période)", "hors total")]:
        if rows.empty:
            continue
        fig.add_scatter(
            y=[f"Fiche {n}" for n in rows["fiche"]], x=[0] * len(rows), mode="markers+text", name=name,
            text=[word] * len(rows), textposition="middle right", textfont=dict(color=UNASSIGNED),
            marker=dict(symbol="x-thin-open" if word == rules.NON_CHIFFRE else "circle-open", size=11,
                        color=UNASSIGNED, line=dict(width=2, color=UNASSIGNED)),
            customdata=rows["intitule"].map(_t), hovertemplate=f"%{{y}} : %{{customdata}}<br>{name}<extra></extra>",
        )
    order = [f"Fiche {int(n)}" for n in sorted(set(data["fiche"]))]
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=order, autorange="reversed")
    top = float(chiffrees["total"].max()) if not chiffrees.empty else 1.0
    fig.update_xaxes(title_text="euros", tickformat=",.0f", range=[0, top * 1.3])
    return _layout(fig, title, height=140 + FICHE_ROW_PX * len(order))


@_kept(lambda view, colours: (view.par_fiche, _colours(colours)))
def budget_par_objectif(view: BudgetView, colours: dict[int, str]) -> go.Figure:
    """The middle level of axe → objectif → fiche, as bars in the axe's colour: the sunburst's inner rings were too
    small to read, and a bar's length compares better than an angle."""
    data = view.par_fiche
    title = "Investissement par objectif"
    if data.empty:
        return empty(title, "Aucune fiche ne correspond aux filtres.")
    per = data.groupby(["axe", "objectif", "objectif_libelle"], as_index=False)["total"].sum()
    per = per.sort_values(["axe", "objectif"])
    labels = [_t(f"{o} {formatting.short(lib, 40)}") for o, lib in zip(per["objectif"], per["objectif_libelle"])]
    fig = go.Figure(go.Bar(
        y=labels, x=per["total"], orientation="h", marker_color=[colours[int(a)] for a in per["axe"]],
        text=[formatting.euros(v) if v else "0 € dans ce total" for v in per["total"]], textposition="outside",
        cliponaxis=False, customdata=per["objectif_libelle"].map(_t),
        hovertemplate="%{customdata}<br>%{x:,.0f} €<extra></extra>", name="Investissement",
    ))
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels, autorange="reversed",
                     automargin=True)
    fig.update_xaxes(title_text="euros", tickformat=",.0f", range=[0, max(1.0, float(per["total"].max())) * 1.45])
    return _layout(fig, title, height=140 + 34 * len(per))


@_kept(lambda view: (view.par_structure, view.coordinatrice))
def etp_par_structure(view: ChargeView) -> go.Figure:
    title = "ETP par structure (lignes chiffrées, hors ETP demandés à chaque structure partenaire)"
    data = view.par_structure
    if data.empty:
        return empty(title, "Aucun ETP chiffré pour ces fiches.")
    # The coordinating structure darkest, the others lighter, « non attribué » hatched: never an axe's colour.
    colours = [UNASSIGNED if s == rules.NON_ATTRIBUE else NEUTRALS[0] if s == view.coordinatrice else NEUTRALS[1]
               for s in data["structure"]]
    patterns = [UNASSIGNED_PATTERN if s == rules.NON_ATTRIBUE else "" for s in data["structure"]]
    fig = go.Figure(go.Bar(
        x=data["etp"], y=data["structure"].map(_t), orientation="h", marker_color=colours,
        marker_pattern_shape=patterns,
        text=[formatting.number(v, 2) for v in data["etp"]], textposition="auto",
        customdata=[[f, f"<br>dont {formatting.etp(p)} également investis sur d'autres actions" if p else ""]
                    for f, p in zip(data["fiches"], data["partage"])],
        hovertemplate="%{y}<br>%{x:.2f} ETP%{customdata[1]}<br>fiches %{customdata[0]}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="ETP")
    return _layout(fig, title, height=max(280, 60 + 40 * len(data)))


@_kept(lambda view: (view.coordinatrice, view.coordinatrice_etp, view.coordinatrice_etp_possible,
                     view.capacite))
def charge_coordinatrice(view: ChargeView) -> go.Figure:
    title = f"{_t(view.coordinatrice)} : engagements et capacité"
    certain, possible = view.coordinatrice_etp, view.coordinatrice_etp_possible
    fig = go.Figure()
    fig.add_bar(x=[certain], y=["Engagé"], orientation="h", name="ETP attribués", marker_color=NEUTRALS[0],
                hovertemplate="%{x:.2f} ETP attribués<extra></extra>")
    fig.add_bar(x=[possible - certain], y=["Engagé"], orientation="h", name="ETP en co-portage non réparti",
                marker_color=UNASSIGNED, marker_pattern_shape=UNASSIGNED_PATTERN,
                hovertemplate="jusqu'à %{x:.2f} ETP de plus en co-portage<extra></extra>")
    if view.capacite is not None:
        fig.add_vline(x=view.capacite, line_width=3, line_dash="dash", line_color=ATTENTION,
                      annotation_text=f"capacité {formatting.etp(view.capacite)}",
                      annotation_position="top")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="ETP", range=[0, max(possible, view.capacite or 0) * 1.15 + 0.1])
    return _layout(fig, title, height=260)


@_kept(lambda view: (view.par_fiche, view.coordinatrice))
def etp_par_fiche(view: ChargeView) -> go.Figure:
    title = "ETP par fiche et par structure"
    data = view.comptees
    if data.empty:
        return empty(title, "Aucun ETP chiffré pour ces fiches.")
    fig = go.Figure()
    # The coordinating structure keeps the darkest grey it has in every other RH chart, « non attribué » its hatched
    # grey; the others take the next greys and hatchings.
    others = itertools.count(1)
    for structure, group in data.groupby("structure", sort=True):
        if structure == view.coordinatrice:
            colour, pattern = NEUTRALS[0], ""
        elif structure == rules.NON_ATTRIBUE:
            colour, pattern = UNASSIGNED, UNASSIGNED_PATTERN
        else:
            colour, pattern = neutral(next(others))
        fig.add_bar(x=[f"F{n}" for n in group["fiche"]], y=group["etp"], name=_t(structure),
                    marker_color=colour, marker_pattern_shape=pattern, marker_line=dict(color="white", width=1),
                    hovertemplate="%{fullData.name}<br>fiche %{x} : %{y:.2f} ETP<extra></extra>")
    fig.update_layout(barmode="stack")
    _fiche_axis(fig, data["fiche"])
    fig.update_yaxes(title_text="ETP")
    return _layout(fig, title, height=460)


def indicateur(view: IndicateursView, code: str) -> go.Figure:
    # The figure is kept by the indicator's own rows, found without scanning the series when it is large.
    return _indicateur(code, view.indicateurs[view.indicateurs["code"] == code], view.serie(code))


@_kept(lambda code, described, data: (code, described, data))
def _indicateur(code: str, described: pd.DataFrame, data: pd.DataFrame) -> go.Figure:
    info = described.set_index("code").loc[code]
    title = f"{code} — {_t(info['libelle'])}"
    if data.empty:
        return empty(title, "Aucune valeur saisie pour cet indicateur.")
    if info["type"] == "qualitatif":
        return empty(title, "Indicateur qualitatif : voir les textes saisis dans le tableau.")
    x = [periodes.label(p) for p in data["periode"]]
    fig = go.Figure()
    unit = _template_text(info["unite"]) if isinstance(info["unite"], str) else ""
    if info["mode"] == "flux" and info["type"] == "nombre":
        fig.add_bar(x=x, y=data["valeur"], name="Valeur du trimestre", marker_color=NEUTRALS[3],
                    hovertemplate=f"%{{x}} : %{{y:,.2f}} {unit}<extra></extra>")
        fig.add_scatter(x=x, y=data["progression"], name="Cumul", mode="lines+markers",
                        line=dict(color=NEUTRALS[0], width=3),
                        hovertemplate=f"cumul %{{x}} : %{{y:,.2f}} {unit}<extra></extra>")
    else:
        fig.add_scatter(x=x, y=data["valeur"], name="Valeur", mode="lines+markers",
                        line=dict(color=NEUTRALS[0], width=3),
                        hovertemplate=f"%{{x}} : %{{y:,.2f}} {unit}<extra></extra>")
    cible = info["cible"]
    if pd.notna(cible):
        # Whose target it is, on the line itself: the text's or the coordination's (lne_data.cibles).
        origine = cibles.origine_courte(info.get("cible_origine"))
        written = rules.valeur_indicateur(info["type"], info["unite"] if isinstance(info["unite"], str) else None,
                                          float(cible))
        label = f"cible {_t(written)}" + (f" ({origine})" if origine else "")
        fig.add_hline(y=float(cible), line_dash="dash", line_color=ATTENTION, line_width=2,
                      annotation_text=label, annotation_position="top left")
    if info["type"] == "livrable":
        fig.update_yaxes(range=[-0.05, 1.1], tickvals=[0, 0.5, 1], ticktext=["non commencé", "en cours", "réalisé"])
    else:
        fig.update_yaxes(title_text=unit, rangemode="tozero")
    fig.update_xaxes(type="category")
    return _layout(fig, title, height=360)


@_kept(lambda view: (view.completude,))
def completude(view: IndicateursView) -> go.Figure:
    title = "Complétude des saisies : part des indicateurs de la fiche renseignés"
    grid = view.completude
    if grid.empty:
        return empty(title, "Aucune saisie pour ces fiches.")
    pivot = grid.pivot(index="fiche", columns="periode", values="part").sort_index()
    fig = go.Figure(go.Heatmap(
        z=pivot.values, x=[periodes.label(p) for p in pivot.columns], y=[f"Fiche {n}" for n in pivot.index],
        zmin=0, zmax=1, colorscale=[[0, "#F2F2F2"], [0.001, "#D9D9D9"], [1, NEUTRALS[0]]],
        colorbar=dict(title="renseigné", tickformat=".0%"), xgap=2, ygap=2,
        hovertemplate="%{y}, %{x} : %{z:.0%} des indicateurs<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category")
    return _layout(fig, title, height=max(320, 80 + 24 * len(pivot)))


@_kept(lambda view: (view.porteurs,))
def porteurs(view: AssociationsView) -> go.Figure:
    title = "Fiches par porteur"
    data = view.porteurs
    if data.empty:
        return empty(title, "Aucun porteur pour ces fiches.")
    fig = go.Figure()
    fig.add_bar(x=data["porteur"], y=data["structure"].map(_t), orientation="h", name="porteur",
                marker_color=NEUTRALS[0],
                hovertemplate="%{y} : porteur de %{x} fiche(s)<extra></extra>")
    fig.add_bar(x=data["co_porteur"], y=data["structure"].map(_t), orientation="h", name="co-porteur",
                marker_color=NEUTRALS[1], marker_pattern_shape="/",
                hovertemplate="%{y} : co-porteur de %{x} fiche(s)<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="fiches", dtick=1)
    return _layout(fig, title, height=max(300, 90 + 34 * len(data)))


@_kept(lambda view, top=15: (view.partenaires.head(top), len(view.partenaires), top))
def partenaires(view: AssociationsView, top: int = 15) -> go.Figure:
    data = view.partenaires.head(top)
    left_out = len(view.partenaires) - len(data)
    title = "Structures les plus souvent partenaires" + (
        f" ({len(data)} premières ; {left_out} autres non affichées : voir le tableau)" if left_out else "")
    if data.empty:
        return empty(title, "Aucun partenaire pour ces fiches.")
    fig = go.Figure(go.Bar(
        x=data["fiches"], y=data["structure"].map(_t), orientation="h", marker_color=NEUTRALS[2],
        customdata=data["liste"], hovertemplate="%{y} : %{x} fiche(s) (%{customdata})<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="fiches", dtick=1)
    return _layout(fig, title, height=max(300, 90 + 30 * len(data)))


# Rows of the « qui porte quoi » matrix beyond which the least frequent partners are left to its table. Porteurs are
# never left out, whatever their number: a fiche must never look as if nobody carried it.
LIENS_ROWS = 30
LIENS_ROW_PX = 26  # a label of 15-pixel type per row, readable without overlapping the next one


@_kept(lambda view, rows=LIENS_ROWS: (view.liens, rows))
def liens(view: AssociationsView, rows: int = LIENS_ROWS) -> go.Figure:
    title = "Qui porte ou soutient quelle fiche"
    if view.liens.empty:
        return empty(title, "Aucun lien pour ces fiches.")
    weight = view.liens.groupby("structure")["fiche"].nunique()
    carrying = set(view.liens.loc[view.liens["role"] != "partenaire", "structure"])
    order = pd.DataFrame({"structure": weight.index, "fiches": weight.to_numpy()})
    order["porte"] = order["structure"].isin(carrying)
    # Porteurs first, then partners, each from the most to the least frequent.
    order = order.sort_values(["porte", "fiches", "structure"], ascending=[False, False, True])
    porteurs_ = order[order["porte"]]
    partners = order[~order["porte"]]
    shown_partners = partners.head(max(0, rows - len(porteurs_)))
    keep = [*porteurs_["structure"], *shown_partners["structure"]]
    left_out = len(partners) - len(shown_partners)
    data = view.liens[view.liens["structure"].isin(keep)]
    code = {"porteur": 2, "co-porteur": 2, "partenaire": 1}
    pivot = data.assign(z=data["role"].map(code)).pivot_table(index="structure", columns="fiche", values="z",
                                                              aggfunc="max").reindex(keep)
    roles = data.pivot_table(index="structure", columns="fiche", values="role", aggfunc="first").reindex(keep)
    fig = go.Figure(go.Heatmap(
        z=pivot.values, x=[f"F{int(c)}" for c in pivot.columns], y=[_t(s) for s in pivot.index],
        customdata=roles.reindex(columns=pivot.columns).fillna("").values,
        zmin=0, zmax=2, showscale=False, xgap=2, ygap=2,
        colorscale=[[0, "#FFFFFF"], [0.5, NEUTRALS[3]], [1, NEUTRALS[0]]],
        hovertemplate="%{y} — fiche %{x} : %{customdata}<extra></extra>",
    ))
    fig.update_xaxes(type="category", categoryorder="array",
                     categoryarray=[f"F{int(c)}" for c in sorted(pivot.columns)])
    fig.update_yaxes(type="category", autorange="reversed", automargin=True)
    title += " (gris foncé : porte ou co-porte ; gris clair : partenaire)"
    if left_out:
        title += f" ({left_out} partenaires les moins fréquents non affichés : voir le tableau)"
    wrapped_lines = _wrap(title).count("<br>")
    return _layout(fig, title, height=max(360, 110 + 22 * wrapped_lines + LIENS_ROW_PX * len(keep)))


def _fiche_axis(fig: go.Figure, fiches: pd.Series) -> None:
    """Fiches in numerical order (F2 before F10), whatever the order of the traces."""
    numbers = sorted(set(fiches))
    # Past a dozen fiches, level labels run into each other in a half-width chart: they stand upright instead.
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=[f"F{int(n)}" for n in numbers],
                     tickangle=0 if len(numbers) <= 12 else -90)


def _t(text: object) -> str:
    """Data text made inert for Plotly, which renders a subset of HTML (links included) in every label."""
    return html.escape(str(text), quote=False)


def _template_text(text: str) -> str:
    """Data text inside a hover template: inert HTML, and `%{` no longer starts a Plotly variable."""
    return _t(text).replace("%{", "%\u200b{")


def for_meeting(fig: go.Figure) -> go.Figure:
    """Larger type and a taller chart: one chart per screen, read from the back of a meeting room."""
    # 440 px: with the navigation row and the heading, one screen of a 1280×720 shared display.
    fig = go.Figure(fig)  # a copy: the figure given may be a kept one, shared with other pages
    fig.update_layout(font=dict(size=20), title_font_size=22, height=440)
    fig.update_xaxes(tickfont_size=18, title_font_size=20)
    fig.update_yaxes(tickfont_size=18, title_font_size=20)
    return fig


def _seq(values: Any) -> list[Any]:
    return [] if values is None else list(values)


def summary(fig: go.Figure) -> str:
    """The chart's text alternative (RGAA 1.3, WCAG 1.1.1): its title and one sentence on what it shows, read under
    the chart by everyone and by screen readers; the data themselves are in the table under it (« Voir les données »).
    """
    title = html.unescape(str(fig.layout.title.text or "").replace("<br>", " "))
    traces = [t for t in fig.data if t.type in ("bar", "scatter", "heatmap")]
    if not traces:
        notes = [html.unescape(str(a.text)) for a in fig.layout.annotations or []]
        return f"{title} : {' '.join(notes).rstrip('.') or 'aucune donnée'}."
    if traces[0].type == "heatmap":
        grid = traces[0]
        return (f"{title} : grille de {len(_seq(grid.y))} lignes sur {len(_seq(grid.x))} colonnes, plus la case est "
                "foncée, plus la part est grande ; le détail est dans le tableau sous le graphique.")
    totals: dict[str, float] = {}
    horizontal = any(t.type == "bar" and t.orientation == "h" for t in traces)
    # Bars are the data; a line drawn over them (a cumul) or markers (« non chiffré ») are read from the table.
    for trace in [t for t in traces if t.type == "bar"] or traces:
        categories, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
        for category, value in zip(_seq(categories), _seq(values)):
            if isinstance(value, numbers.Real) and not pd.isna(value):
                totals[str(category)] = totals.get(str(category), 0.0) + float(value)
    if not totals:
        return f"{title} : aucune valeur chiffrée."
    axis = fig.layout.xaxis if horizontal else fig.layout.yaxis
    unit = str(axis.title.text or "") if axis.title else ""
    written = {"euros": formatting.euros, "ETP": formatting.etp}.get(
        unit, lambda v: f"{formatting.number(v, 2)} {unit}".strip())
    biggest = max(totals, key=lambda k: totals[k])
    return (f"{title} : {len(totals)} éléments ; le plus élevé : {html.unescape(biggest)} "
            f"({written(totals[biggest])}).")


# --------------------------------------------------------------------------------------------------
# Mode réunion: every screen one figure of a fixed height, its type 20 px at least (1280×720 projector)
# --------------------------------------------------------------------------------------------------

MEETING_TEXT, MEETING_TITLE = 20, 24
MEETING_HEIGHT = 430  # under the navigation row and the heading, within 720 px (tests/test_e2e_reunion.py)
MEETING_TOP_STRUCTURES = 6  # bars of the ETP chart: more would not hold their names (two lines) at 20 px


def _meeting_layout(fig: go.Figure, title: str, height: int = MEETING_HEIGHT, **kwargs: Any) -> go.Figure:
    kwargs.setdefault("margin", dict(l=10, r=10, t=50, b=10))
    fig.update_layout(title=dict(text=_t(title), font=dict(size=MEETING_TITLE)), font=dict(FONT, size=MEETING_TEXT),
                      separators=",\u202f", height=height, plot_bgcolor="white", **kwargs)
    fig.update_xaxes(tickfont_size=MEETING_TEXT, title_font_size=MEETING_TEXT, gridcolor="#E5E5E5")
    fig.update_yaxes(tickfont_size=MEETING_TEXT, title_font_size=MEETING_TEXT, gridcolor="#E5E5E5")
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
        fig.add_annotation(text=f"<b>{_t(value)}</b>", x=x, y=y, xref="paper", yref="paper", showarrow=False,
                           font=dict(size=44, color=PALETTE[0]), yanchor="bottom", xanchor="center")
        # Centred on its third of the width (Plotly would anchor the side ones to their edge, over the middle one).
        fig.add_annotation(text=_wrap(_t(label), 24), x=x, y=y, xref="paper", yref="paper", showarrow=False,
                           font=dict(size=22), yanchor="top", yshift=-4, xanchor="center")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _meeting_layout(fig, "", height=height, margin=dict(l=10, r=10, t=10, b=10))


def meeting_fiches(ecran: Any) -> go.Figure:
    """An axe's fiches on one screen: the rows `views.meeting` put there, each cell in the lines
    `views.meeting_lines` counted when it split the axe."""
    from .views import MEETING_COLUMNS, meeting_lines

    table = ecran.fiches
    cells = [["<br>".join(_t(line) for line in meeting_lines(v, chars)) for v in table[name]]
             for name, _, _, chars in MEETING_COLUMNS]
    fig = go.Figure(go.Table(
        columnwidth=[share for _, _, share, _ in MEETING_COLUMNS],
        header=dict(values=[f"<b>{label}</b>" for _, label, _, _ in MEETING_COLUMNS], font=dict(size=MEETING_TEXT,
                    color="white"), fill_color=PALETTE[0], align="left", height=34),
        cells=dict(values=cells, font=dict(size=MEETING_TEXT), align="left", height=30,
                   fill_color=[["white", "#F2F2F2"] * (len(table) // 2 + 1)]),
    ))
    return _meeting_layout(fig, "", margin=dict(l=0, r=0, t=0, b=0))


def meeting_budget(view: BudgetView, colours: dict[int, str]) -> go.Figure:
    """`budget_par_axe` in the meeting's type and height."""
    fig = go.Figure(budget_par_axe(view, colours))  # a copy: the figure given may be a kept one
    fig = _meeting_layout(fig, (fig.layout.title.text or "").replace("<br>", " "))
    # A long axe name on two or three lines leaves the bars their room.
    fig.update_traces(textfont_size=MEETING_TEXT, y=[_wrap(str(y), 30) for y in fig.data[0].y])
    # Room on the right for « + 14 304 € sans période précisée » at 20 px.
    fig.update_xaxes(tickangle=0, nticks=4, range=[0, max(1.0, max(fig.data[0].x, default=1.0)) * 2.2])
    return fig


def meeting_etp(view: ChargeView, top: int = MEETING_TOP_STRUCTURES) -> go.Figure:
    """The structures with the most ETP, at most `top` of them, saying how many are left out."""
    data = view.par_structure.head(top)
    title = "ETP par structure"
    if len(view.par_structure) > top:
        title += f" : les {top} plus chargées sur {len(view.par_structure)}"
    if data.empty:
        return _meeting_layout(empty(title, "Aucun ETP chiffré pour ces fiches."), title)
    colours = [PALETTE[0] if s == view.coordinatrice else NEUTRAL for s in data["structure"]]
    fig = go.Figure(go.Bar(
        # Whole names, wrapped: cut ones may be the same (« Structure partenaire… ») and Plotly would merge bars.
        x=data["etp"], y=[_wrap(_t(str(s)), 30) for s in data["structure"]], orientation="h", marker_color=colours,
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
            x=[periodes.label(p) for p in rows_["periode"]], y=rows_["part"], name=_t(f"Axe {int(axe)}"),
            marker_color=colours.get(int(axe), NEUTRAL), text=[formatting.percent(100 * v) for v in rows_["part"]],
            textposition="outside", cliponaxis=False, textfont_size=MEETING_TEXT,
            hovertemplate=_template_text(f"Axe {int(axe)}") + ", %{x} : %{y:.0%}<extra></extra>",
        ))
    fig.update_yaxes(range=[0, 1.2], tickformat=".0%")
    fig.update_xaxes(type="category")
    return _meeting_layout(fig, title, barmode="group",
                           legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1,
                                       font=dict(size=MEETING_TEXT)))


def meeting_liste(title: str, headers: list[str], rows_: list[list[str]], shares: list[float],
                  height: int) -> go.Figure:
    """A short table of the meeting (points of attention), its cells on one line each, cut with « … »."""
    fig = go.Figure(go.Table(
        columnwidth=shares,
        header=dict(values=[f"<b>{_t(h)}</b>" for h in headers], font=dict(size=MEETING_TEXT, color="white"),
                    fill_color=PALETTE[0], align="left", height=34),
        cells=dict(values=[[_t(r[i]) for r in rows_] for i in range(len(headers))], font=dict(size=MEETING_TEXT),
                   align="left", height=32),
    ))
    return _meeting_layout(fig, title, height=height, margin=dict(l=0, r=0, t=56 if title else 0, b=0))
