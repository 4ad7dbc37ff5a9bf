"""The execution's charts (sheet « Dépenses »): prévu / engagé / payé per axe, engagé / payé per year, ETP prévus /
mobilisés per structure. Prévu, engagé and payé have their colour and hatching (`palette.EXECUTION`), never shared."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .. import formatting, periodes
from ..palette import EXECUTION
from .grammar import apply_layout, empty, inert, kept_figures

NOTHING_DECLARED = "Aucune dépense déclarée pour ces fiches (feuille « Dépenses » du fichier trimestriel)."
NO_STAFF = "Aucun ETP prévu ni déclaré pour ces structures."
# The three kinds of money, in the order read: what was planned, then engaged, then paid.
KINDS = [("prevu_eur", "prevu", "Prévu"), ("engage_eur", "engage", "Engagé"), ("paye_eur", "paye", "Payé")]


def _bar(name: str, kind: str, values: pd.Series, labels: pd.Series, unit: str = "€",
         orientation: str = "h") -> go.Bar:
    """One kind of money (or of ETP) as bars; a figure nobody declared has no bar (the label says it), never 0."""
    colour, pattern = EXECUTION[kind]
    numbers = [None if pd.isna(v) else float(v) for v in values]
    shown = ["" if v is None else formatting.euros(v) if unit == "€" else formatting.etp(v) for v in numbers]
    along, across = (numbers, list(labels)) if orientation == "h" else (list(labels), numbers)
    return go.Bar(
        x=along, y=across, orientation=orientation, name=name, marker_color=colour, marker_pattern_shape=pattern,
        marker_line_color=EXECUTION["paye"][0], marker_line_width=1, text=shown, textposition="outside",
        cliponaxis=False, hovertemplate=f"{name}<br>%{{text}}<extra></extra>",
    )


def _labelled(labels: pd.Series, *notes: tuple[pd.Series, str]) -> pd.Series:
    """Each label made inert, with each note's word under it where its mask is true (figures missing)."""
    return pd.Series([inert(label) + "".join(f"<br>({word})" for mask, word in notes if mask.iloc[i])
                      for i, label in enumerate(labels)], index=labels.index)


@kept_figures(lambda table, title: (table, title))
def prevu_engage_paye_par_axe(table: pd.DataFrame, title: str) -> go.Figure:
    """`views.prevu_engage_paye`: per axe, three bars side by side."""
    if table.empty:
        return empty(title, "Aucune fiche ne correspond aux filtres.")
    labels = _labelled(table["libelle"], (table[["engage_eur", "paye_eur"]].isna().all(axis=1), "rien déclaré"))
    fig = go.Figure([_bar(name, kind, table[column], labels) for column, kind, name in KINDS])
    top = float(table[[c for c, _, _ in KINDS]].max().max()) if table[[c for c, _, _ in KINDS]].notna().any().any() \
        else 1.0
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="euros", tickformat=",.0f", range=[0, max(1.0, top) * 1.45])
    return apply_layout(fig, title, height=120 + 110 * len(table), barmode="group")


@kept_figures(lambda table: (table,))
def engage_paye_par_annee(table: pd.DataFrame) -> go.Figure:
    """`ExecutionView.par_annee`: engagé and payé per year of the roadmap."""
    title = "Engagé et payé par année (déclarés par les porteurs)"
    if table[["engage_eur", "paye_eur"]].isna().all().all():
        return empty(title, NOTHING_DECLARED)
    years = _labelled(table["annee"].astype(str), (table[["engage_eur", "paye_eur"]].isna().all(axis=1),
                                                   "rien déclaré"))
    fig = go.Figure([_bar(name, kind, table[column], years, orientation="v") for column, kind, name in KINDS[1:]])
    fig.update_yaxes(title_text="euros", tickformat=",.0f")
    fig.update_xaxes(type="category")
    return apply_layout(fig, title, height=380, barmode="group")


@kept_figures(lambda table, periode: (table, periode))
def etp_prevus_mobilises(table: pd.DataFrame, periode: str | None) -> go.Figure:
    """`views.etp_prevus_mobilises`: per structure, the ETP the roadmap plans and those declared for a quarter."""
    title = "ETP prévus et mobilisés par structure" + (f" ({periodes.label(periode)})" if periode else "")
    if table.empty:
        return empty(title, NO_STAFF)
    labels = _labelled(table["structure"], (table["etp_mobilises"].isna(), "rien déclaré"),
                       (table["etp_prevus"].isna(), "aucun ETP prévu"))
    fig = go.Figure([_bar("Prévus (feuille de route)", "prevu", table["etp_prevus"], labels, unit="ETP"),
                     _bar("Mobilisés (déclarés)", "paye", table["etp_mobilises"], labels, unit="ETP")])
    top = float(table[["etp_prevus", "etp_mobilises"]].max().max()) \
        if table[["etp_prevus", "etp_mobilises"]].notna().any().any() else 1.0
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="ETP", range=[0, max(1.0, top) * 1.45])
    return apply_layout(fig, title, height=120 + 70 * len(table), barmode="group")
