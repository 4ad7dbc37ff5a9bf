"""The colour grammar (lne_data.figures) and the charts' text alternatives, read from the figures the pages draw."""

from __future__ import annotations

from lne_data import figures, rules, views

AXES = set(figures.AXE_PALETTE[:3])


def _colours(fig) -> set[str]:
    found = set()
    for trace in fig.data:
        marker = getattr(trace, "marker", None)
        colour = getattr(marker, "color", None) if marker is not None else None
        if isinstance(colour, str):
            found.add(colour)
        elif colour is not None and not isinstance(colour, (int, float)):
            found |= {c for c in colour if isinstance(c, str)}
        line = getattr(trace, "line", None)
        if line is not None and isinstance(getattr(line, "color", None), str):
            found.add(line.color)
    return found


def test_axes_colours_mean_axes_only(con):
    ref = views.reference(con)
    everything = views.Filters()
    charge = views.charge(ref, everything, capacite=2.0)
    assoc = views.associations(ref, everything)
    for fig in (figures.etp_par_structure(charge), figures.etp_par_fiche(charge), figures.charge_coordinatrice(charge),
                figures.porteurs(assoc), figures.partenaires(assoc)):
        assert not _colours(fig) & AXES, fig.layout.title.text
    budget = views.budget(ref, everything)
    colours = figures.axe_colours(ref.axes)
    # The budget per axe stacks kinds of amounts (greys, one bar per axe beside its name); per year, the axes.
    assert not _colours(figures.budget_par_axe(budget, colours)) & AXES
    assert _colours(figures.budget_par_annee(budget, colours)) == AXES


def test_one_off_and_period_less_amounts_are_told_apart(con):
    """Every kind of money planned has its own grey and hatching on the page, in the PDF and in the deck (they
    were painted in the same black)."""
    from lne_data.palette import AMOUNT_KIND_STYLES

    assert len(set(AMOUNT_KIND_STYLES.values())) == len(AMOUNT_KIND_STYLES) == len(rules.PLAN_KINDS)
    assert len({colour for colour, _ in AMOUNT_KIND_STYLES.values()}) == len(AMOUNT_KIND_STYLES)
    ref = views.reference(con)
    budget = views.budget(ref, views.Filters())
    bars = {t.name: (t.marker.color, t.marker.pattern.shape) for t in
            figures.budget_par_axe(budget, figures.axe_colours(ref.axes)).data if t.type == "bar"}
    assert bars[rules.PLAN_KINDS["ponctuel"]] != bars[rules.PLAN_KINDS["non_precise"]]


def test_non_attribue_and_non_chiffre_share_one_colour(con):
    ref = views.reference(con)
    charge = views.charge(ref, views.Filters(), capacite=None)
    by_name = {t.name: t for t in figures.etp_par_fiche(charge).data}
    assert by_name[rules.NON_ATTRIBUE].marker.color == figures.UNASSIGNED
    budget = views.budget(ref, views.Filters())
    marks = [t for t in figures.budget_par_fiche(budget, figures.axe_colours(ref.axes)).data if t.type == "scatter"]
    assert marks and {t.marker.color for t in marks} == {figures.UNASSIGNED}


def test_budget_by_fiche_writes_one_label_per_row(con):
    """Labels across, one row per fiche: they cannot overlap, whatever the number of fiches."""
    ref = views.reference(con)
    budget = views.budget(ref, views.Filters())
    fig = figures.budget_par_fiche(budget, figures.axe_colours(ref.axes))
    assert list(fig.layout.yaxis.categoryarray) == [f"Fiche {n}" for n in range(1, 24)]
    assert fig.layout.height >= figures.FICHE_ROW_PX * 23


def test_every_chart_has_a_summary_sentence_in_french(con):
    ref = views.reference(con)
    budget = views.budget(ref, views.Filters())
    said = figures.summary(figures.budget_par_axe(budget, figures.axe_colours(ref.axes)))
    assert said == ("Budget prévu par axe, 2024-2027 : 3 éléments ; le plus élevé : "
                    "Lot Numérique Solidaire (42\u202f304\u00a0€).")
    empty = figures.budget_par_objectif(views.budget(ref, views.Filters(axe=1, porteur="RhinOcc")), {})
    assert figures.summary(empty) == "Budget prévu par objectif, 2024-2027 : Aucune fiche ne correspond aux filtres."
