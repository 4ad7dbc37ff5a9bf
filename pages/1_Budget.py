"""Budget par axe: where the roadmap's money goes, axe → objectif → fiche, with the unquantified ones named."""

import streamlit as st

from lne_data import figures, ui

filters = ui.setup("Budget par axe")
ref = ui.reference()
debut, fin = int(ref.feuille_de_route["annee_debut"]), int(ref.feuille_de_route["annee_fin"])

mode = st.radio(
    "Montants comptés",
    ["ponctuels", "cumul"],
    format_func=lambda m: "Montants ponctuels seulement" if m == "ponctuels"
    else "Cumul sur la période (ponctuels + annuels × années + par structure × structures + sans période précisée)",
    horizontal=True,
)
combine = mode == "cumul"
annees, structures, non_precise_fois = 1, 1, 1
if combine:
    left, middle, right = st.columns(3)
    annees = left.number_input(f"Nombre d'années pour les montants annuels ({debut}-{fin} : {fin - debut + 1})",
                               min_value=1, max_value=fin - debut + 1, value=fin - debut + 1)
    structures = middle.number_input("Nombre de structures partenaires pour les montants « par structure »",
                                     min_value=0, max_value=200, value=1)
    non_precise_fois = right.selectbox(
        "Montants dont la feuille de route ne précise pas la période", [1, int(annees)], placeholder=ui.CHOOSE,
        format_func=lambda n: "comptés une fois" if n == 1 else f"comptés chaque année ({n} ans)")
view = ui.budget(filters, int(annees), int(structures), combine, int(non_precise_fois))
colours = figures.axe_colours(ref.axes)

st.metric("Total affiché", ui.euros(view.total()))
st.caption(ui.budget_total_help(view))
ui.chart(figures.budget_par_axe(view, colours), view.par_fiche, name="budget_par_fiche",
         columns={**ui.BUDGET_FICHE_COLUMNS, "total": "Total affiché (€)"})
ui.chart(figures.budget_par_objectif(view, colours), view.par_fiche, name="budget_axe_objectif_fiche",
         columns={"axe_libelle": "Axe", "objectif": "Objectif", "objectif_libelle": "Libellé de l'objectif",
                  "fiche": "Fiche", "chiffrage": "Chiffrage", "total": "Total affiché (€)"})
ui.chart(figures.budget_par_fiche(view, colours), view.lignes, name="lignes_budget",
         columns=ui.BUDGET_LINE_COLUMNS)

st.subheader(f"Montants sans période précisée : {ui.euros(view.somme('non_precise'))}")
st.caption("La feuille de route donne ces montants sans dire s'ils sont dépensés une fois, chaque année ou sur "
           "toute la période : ils ne sont jamais ajoutés aux montants ponctuels. Voici ce qu'elle écrit.")
ui.table(view.non_precises, {"fiche": "Fiche", "libelle": "Ligne", "montant": "Montant (€)",
                             "source": "Texte de la feuille de route", "note": "Note"})

st.subheader(f"Fiches sans investissement chiffré : {len(view.non_chiffrees)}")
st.caption("Ces fiches ne sont pas comptées à 0 € : la feuille de route ne donne pas de montant. "
           "Voici ce qu'elle écrit.")
ui.table(view.non_chiffrees, {"fiche": "Fiche", "intitule": "Intitulé", "source": "Texte de la feuille de route",
                              "note": "Note"})

ui.execution_budget_section(filters, view)

ui.version_comparison_section(filters, ("fiches", "ponctuel", "par_an", "non_precise"),
                              " (montants comptés une fois, comme la vue d'ensemble)")
