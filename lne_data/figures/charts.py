"""The pages' charts: Budget (per axe, objectif, fiche, the sunburst), Charge RH (ETP per structure and fiche, the
coordinating structure's load), Indicateurs (one indicator's series, completeness), Porteurs (porteurs, partners,
who carries what). Each is kept by the content it is drawn from (`grammar.kept_figures`)."""

from __future__ import annotations

import itertools

import pandas as pd
import plotly.graph_objects as go

from .. import cibles, formatting, periodes, rules
from ..palette import AMOUNT_KIND_STYLES, ATTENTION, NEUTRALS, UNASSIGNED, UNASSIGNED_PATTERN, neutral
from ..views import AssociationsView, BudgetView, ChargeView, IndicateursView
from .grammar import (
    NO_ETP,
    apply_layout,
    colours_key,
    empty,
    inert,
    kept_figures,
    template_text,
    wrap_title,
)


def _planned_bars(fig: go.Figure, table: pd.DataFrame, labels: list[str]) -> None:
    """The money planned of each row of `table` as one bar across, its kinds (rules.PLAN_KINDS) stacked in their
    greys and hatchings (palette.AMOUNT_KIND_STYLES): a one-off amount never looks like one without a period."""
    for column, name in rules.PLAN_KINDS.items():
        values = table[column].fillna(0.0)
        if not values.abs().sum():
            continue
        colour, pattern = AMOUNT_KIND_STYLES[column]
        fig.add_bar(x=values, y=labels, orientation="h", name=name, marker_color=colour,
                    marker_pattern_shape=pattern, hovertemplate="%{y}<br>" + template_text(name)
                    + " : %{x:,.0f} €<extra></extra>")


@kept_figures(lambda view, colours: (view.par_fiche, view.annees_feuille, colours_key(colours)))
def budget_par_axe(view: BudgetView, colours: dict[int, str]) -> go.Figure:
    """Per axe, the money planned over the roadmap (`BudgetView.prevu`): one bar per axe beside its own name,
    its kinds stacked; its total written at its end, with the conditional part and what is per structure."""
    title = f"Budget prévu par axe, {view.periode}"
    if view.par_fiche.empty:
        return empty(title, "Aucune fiche ne correspond aux filtres.")
    per_axe = view.par_fiche.groupby(["axe", "axe_libelle"], as_index=False)[list(rules.PLAN_KINDS)].sum()
    per_axe = per_axe.sort_values("axe")
    labels = [inert(label) for label in per_axe["axe_libelle"]]
    fig = go.Figure()
    _planned_bars(fig, per_axe, labels)
    planned = [view.prevu(int(a)) for a in per_axe["axe"]]
    totals = [p.prevu for p in planned]
    fig.add_scatter(x=totals, y=labels, mode="text", text=[p.etiquette("<br>") for p in planned],
                    textposition="middle right", cliponaxis=False, showlegend=False, hoverinfo="skip",
                    name="Prévu")
    fig.update_layout(barmode="stack", legend_traceorder="normal")  # the kinds in the order élus read them
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels, autorange="reversed",
                     automargin=True)
    fig.update_xaxes(title_text="euros", tickformat=",.0f", range=[0, max([1.0, *totals]) * 1.6])
    return apply_layout(fig, title, height=200 + 60 * len(per_axe))


@kept_figures(lambda view, colours: (view.par_fiche, view.prevu_annees, view.annees_feuille, colours_key(colours)))
def budget_par_annee(view: BudgetView, colours: dict[int, str]) -> go.Figure:
    """What the text places in each year of the roadmap, per axe, and beside the years what it places in none
    (« à répartir »: one-off amounts and those without a period), hatched: it is not one more year."""
    title = f"Budget prévu par année, {view.periode}"
    if view.par_fiche.empty:
        return empty(title, "Aucune fiche ne correspond aux filtres.")
    fig = go.Figure()
    axes = view.par_fiche.drop_duplicates("axe").sort_values("axe")
    for code, label in zip(axes["axe"], axes["axe_libelle"]):
        rows = view.prevu_par_annee(int(code))
        fig.add_bar(x=[inert(x) for x in rows["libelle"]], y=rows["montant"], name=inert(label),
                    marker_color=colours[int(code)], marker_pattern_shape=["" if pd.notna(a) else "/"
                                                                             for a in rows["annee"]],
                    hovertemplate=template_text(str(label)) + "<br>%{x} : %{y:,.0f} €<extra></extra>")
    rows = view.prevu_par_annee()
    fig.add_scatter(x=[inert(x) for x in rows["libelle"]], y=rows["montant"], mode="text", showlegend=False,
                    text=[formatting.euros(v) if v else "—" for v in rows["montant"]], textposition="top center",
                    hoverinfo="skip", cliponaxis=False, name="Total")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text="euros", tickformat=",.0f", range=[0, max(1.0, float(rows["montant"].max())) * 1.2])
    return apply_layout(fig, title, height=380)


# One row per fiche, 24 pixels each: the labels are written across, one per line, and never overlap (upright labels
# of 23 fiches ran into each other in a half-width chart).
FICHE_ROW_PX = 24


@kept_figures(lambda view, colours: (view.par_fiche, view.annees_feuille, colours_key(colours)))
def budget_par_fiche(view: BudgetView, colours: dict[int, str]) -> go.Figure:
    title = f"Budget prévu par fiche, {view.periode}"
    data = view.par_fiche.sort_values("fiche")
    if data.empty:
        return empty(title, "Aucune fiche ne correspond aux filtres.")
    fig = go.Figure()
    chiffrees = data[(data["chiffrage"] != rules.NON_CHIFFRE) & (data["prevu"] > 0)]
    for (axe, label), group in chiffrees.groupby(["axe", "axe_libelle"]):
        fig.add_bar(
            y=[f"Fiche {n}" for n in group["fiche"]], x=group["prevu"], name=inert(label), orientation="h",
            marker_color=colours[int(axe)], textposition="outside", cliponaxis=False,
            text=[formatting.euros(v) + (" sous condition" if c == v else f" dont {formatting.euros(c)} sous condition"
                                         if c else "")
                  + (f" + {formatting.euros(p)} par structure" if p else "")
                  for v, c, p in zip(group["prevu"], group["sous_condition"], group["par_structure"])],
            customdata=group["intitule"].map(inert),
            hovertemplate="%{y} : %{customdata}<br>%{x:,.0f} €<extra></extra>",
        )
    # A fiche the roadmap does not quantify, or whose money is all per partner structure (their number not fixed),
    # is written as such on its row, never drawn as a bar of 0 € that would read as data.
    missing = data[data["chiffrage"] == rules.NON_CHIFFRE]
    apart = data[(data["chiffrage"] != rules.NON_CHIFFRE) & (data["prevu"] == 0)]
    for rows, name, words in [
        (missing, f"{rules.NON_CHIFFRE.capitalize()} par la feuille de route", [rules.NON_CHIFFRE] * len(missing)),
        (apart, "Par structure partenaire seulement (nombre non fixé)",
         [f"{formatting.euros(v)} par structure" for v in apart["par_structure"]]),
    ]:
        if rows.empty:
            continue
        fig.add_scatter(
            y=[f"Fiche {n}" for n in rows["fiche"]], x=[0] * len(rows), mode="markers+text", name=name,
            text=words, textposition="middle right", textfont=dict(color=UNASSIGNED),
            marker=dict(symbol="x-thin-open" if rows is missing else "circle-open", size=11,
                        color=UNASSIGNED, line=dict(width=2, color=UNASSIGNED)),
            customdata=rows["intitule"].map(inert), hovertemplate=f"%{{y}} : %{{customdata}}<br>{name}<extra></extra>",
        )
    order = [f"Fiche {int(n)}" for n in sorted(set(data["fiche"]))]
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=order, autorange="reversed")
    top = float(chiffrees["prevu"].max()) if not chiffrees.empty else 1.0
    fig.update_xaxes(title_text="euros", tickformat=",.0f", range=[0, top * 1.6])
    return apply_layout(fig, title, height=140 + FICHE_ROW_PX * len(order))


@kept_figures(lambda view, colours: (view.par_fiche, view.annees_feuille, colours_key(colours)))
def budget_par_objectif(view: BudgetView, colours: dict[int, str]) -> go.Figure:
    """The middle level of axe → objectif → fiche, as bars in the axe's colour: the sunburst's inner rings were too
    small to read, and a bar's length compares better than an angle."""
    data = view.par_fiche
    title = f"Budget prévu par objectif, {view.periode}"
    if data.empty:
        return empty(title, "Aucune fiche ne correspond aux filtres.")
    per = data.groupby(["axe", "objectif", "objectif_libelle"], as_index=False).agg(
        total=("prevu", "sum"), par_structure=("par_structure", "sum"), chiffrees=("prevu", "count"))
    per = per.sort_values(["axe", "objectif"])
    labels = [inert(f"{o} {formatting.short(lib, 40)}") for o, lib in zip(per["objectif"], per["objectif_libelle"])]
    fig = go.Figure(go.Bar(
        y=labels, x=per["total"], orientation="h", marker_color=[colours[int(a)] for a in per["axe"]],
        text=[formatting.euros(v) if v else f"{formatting.euros(p)} par structure" if p else rules.NON_CHIFFRE
              if not n else "aucun montant fixe" for v, p, n in zip(per["total"], per["par_structure"],
                                                                    per["chiffrees"])], textposition="outside",
        cliponaxis=False, customdata=per["objectif_libelle"].map(inert),
        hovertemplate="%{customdata}<br>%{x:,.0f} €<extra></extra>", name="Investissement",
    ))
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels, autorange="reversed",
                     automargin=True)
    fig.update_xaxes(title_text="euros", tickformat=",.0f", range=[0, max(1.0, float(per["total"].max())) * 1.45])
    return apply_layout(fig, title, height=140 + 34 * len(per))


@kept_figures(lambda view: (view.par_structure, view.coordinatrice))
def etp_par_structure(view: ChargeView) -> go.Figure:
    title = "ETP par structure (lignes chiffrées, hors ETP demandés à chaque structure partenaire)"
    data = view.par_structure
    if data.empty:
        return empty(title, NO_ETP)
    # The coordinating structure darkest, the others lighter, « non attribué » hatched: never an axe's colour.
    colours = [UNASSIGNED if s == rules.NON_ATTRIBUE else NEUTRALS[0] if s == view.coordinatrice else NEUTRALS[1]
               for s in data["structure"]]
    patterns = [UNASSIGNED_PATTERN if s == rules.NON_ATTRIBUE else "" for s in data["structure"]]
    fig = go.Figure(go.Bar(
        x=data["etp"], y=data["structure"].map(inert), orientation="h", marker_color=colours,
        marker_pattern_shape=patterns,
        text=[formatting.number(v, 2) for v in data["etp"]], textposition="auto",
        customdata=[[f, f"<br>dont {formatting.etp(p)} également investis sur d'autres actions" if p else ""]
                    for f, p in zip(data["fiches"], data["partage"])],
        hovertemplate="%{y}<br>%{x:.2f} ETP%{customdata[1]}<br>fiches %{customdata[0]}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="ETP")
    return apply_layout(fig, title, height=max(280, 60 + 40 * len(data)))


@kept_figures(lambda view: (view.coordinatrice, view.coordinatrice_etp, view.coordinatrice_etp_possible,
                     view.capacite))
def charge_coordinatrice(view: ChargeView) -> go.Figure:
    title = f"{inert(view.coordinatrice)} : engagements et capacité"
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
    return apply_layout(fig, title, height=260)


@kept_figures(lambda view: (view.par_fiche, view.coordinatrice))
def etp_par_fiche(view: ChargeView) -> go.Figure:
    title = "ETP par fiche et par structure"
    data = view.comptees
    if data.empty:
        return empty(title, NO_ETP)
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
        fig.add_bar(x=[f"F{n}" for n in group["fiche"]], y=group["etp"], name=inert(structure),
                    marker_color=colour, marker_pattern_shape=pattern, marker_line=dict(color="white", width=1),
                    hovertemplate="%{fullData.name}<br>fiche %{x} : %{y:.2f} ETP<extra></extra>")
    fig.update_layout(barmode="stack")
    _fiche_axis(fig, data["fiche"])
    fig.update_yaxes(title_text="ETP")
    return apply_layout(fig, title, height=460)


def indicateur(view: IndicateursView, code: str) -> go.Figure:
    # The figure is kept by the indicator's own rows, found without scanning the series when it is large.
    return _indicateur(code, view.indicateurs[view.indicateurs["code"] == code], view.serie(code))


@kept_figures(lambda code, described, data: (code, described, data))
def _indicateur(code: str, described: pd.DataFrame, data: pd.DataFrame) -> go.Figure:
    info = described.set_index("code").loc[code]
    title = f"{code} — {inert(info['libelle'])}"
    if data.empty:
        return empty(title, "Aucune valeur saisie pour cet indicateur.")
    if info["type"] == "qualitatif":
        return empty(title, "Indicateur qualitatif : voir les textes saisis dans le tableau.")
    x = [periodes.label(p) for p in data["periode"]]
    fig = go.Figure()
    unit = template_text(info["unite"]) if isinstance(info["unite"], str) else ""
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
        label = f"cible {inert(written)}" + (f" ({origine})" if origine else "")
        fig.add_hline(y=float(cible), line_dash="dash", line_color=ATTENTION, line_width=2,
                      annotation_text=label, annotation_position="top left")
    if info["type"] == "livrable":
        fig.update_yaxes(range=[-0.05, 1.1], tickvals=[0, 0.5, 1], ticktext=["non commencé", "en cours", "réalisé"])
    else:
        fig.update_yaxes(title_text=unit, rangemode="tozero")
    fig.update_xaxes(type="category")
    return apply_layout(fig, title, height=360)


@kept_figures(lambda view: (view.completude,))
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
    return apply_layout(fig, title, height=max(320, 80 + 24 * len(pivot)))


@kept_figures(lambda view: (view.porteurs,))
def porteurs(view: AssociationsView) -> go.Figure:
    title = "Fiches par porteur"
    data = view.porteurs
    if data.empty:
        return empty(title, "Aucun porteur pour ces fiches.")
    fig = go.Figure()
    fig.add_bar(x=data["porteur"], y=data["structure"].map(inert), orientation="h", name="porteur",
                marker_color=NEUTRALS[0],
                hovertemplate="%{y} : porteur de %{x} fiche(s)<extra></extra>")
    fig.add_bar(x=data["co_porteur"], y=data["structure"].map(inert), orientation="h", name="co-porteur",
                marker_color=NEUTRALS[1], marker_pattern_shape="/",
                hovertemplate="%{y} : co-porteur de %{x} fiche(s)<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="fiches", dtick=1)
    return apply_layout(fig, title, height=max(300, 90 + 34 * len(data)))


@kept_figures(lambda view, top=15: (view.partenaires.head(top), len(view.partenaires), top))
def partenaires(view: AssociationsView, top: int = 15) -> go.Figure:
    data = view.partenaires.head(top)
    left_out = len(view.partenaires) - len(data)
    title = "Structures les plus souvent partenaires" + (
        f" ({len(data)} premières ; {left_out} autres non affichées : voir le tableau)" if left_out else "")
    if data.empty:
        return empty(title, "Aucun partenaire pour ces fiches.")
    fig = go.Figure(go.Bar(
        x=data["fiches"], y=data["structure"].map(inert), orientation="h", marker_color=NEUTRALS[2],
        customdata=data["liste"], hovertemplate="%{y} : %{x} fiche(s) (%{customdata})<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="fiches", dtick=1)
    return apply_layout(fig, title, height=max(300, 90 + 30 * len(data)))


# Rows of the « qui porte quoi » matrix beyond which the least frequent partners are left to its table. Porteurs are
# never left out, whatever their number: a fiche must never look as if nobody carried it.
LIENS_ROWS = 30
LIENS_ROW_PX = 26  # a label of 15-pixel type per row, readable without overlapping the next one


@kept_figures(lambda view, rows=LIENS_ROWS: (view.liens, rows))
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
        z=pivot.values, x=[f"F{int(c)}" for c in pivot.columns], y=[inert(s) for s in pivot.index],
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
    wrapped_lines = wrap_title(title).count("<br>")
    return apply_layout(fig, title, height=max(360, 110 + 22 * wrapped_lines + LIENS_ROW_PX * len(keep)))


def _fiche_axis(fig: go.Figure, fiches: pd.Series) -> None:
    """Fiches in numerical order (F2 before F10), whatever the order of the traces."""
    numbers = sorted(set(fiches))
    # Past a dozen fiches, level labels run into each other in a half-width chart: they stand upright instead.
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=[f"F{int(n)}" for n in numbers],
                     tickangle=0 if len(numbers) <= 12 else -90)
