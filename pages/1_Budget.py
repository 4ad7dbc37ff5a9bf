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
    else "Cumul sur la période (ponctuels + annuels × années + par structure × structures)",
    horizontal=True,
)
combine = mode == "cumul"
annees, structures = 1, 1
if combine:
    left, right = st.columns(2)
    annees = left.number_input(f"Nombre d'années pour les montants annuels ({debut}-{fin} : {fin - debut + 1})",
                               min_value=1, max_value=fin - debut + 1, value=fin - debut + 1)
    structures = right.number_input("Nombre de structures partenaires pour les montants « par structure »",
                                    min_value=0, max_value=200, value=1)
view = ui.budget(filters, int(annees), int(structures), combine)
colours = figures.axe_colours(ref.axes)

st.metric("Total affiché", ui.euros(view.total()))
ui.chart(figures.budget_par_axe(view, colours), view.par_fiche, name="budget_par_fiche",
         columns={"fiche": "Fiche", "intitule": "Intitulé", "axe_libelle": "Axe", "objectif": "Objectif",
                  "ponctuel": "Ponctuel (€)", "par_an": "Par an (€)", "par_structure": "Par structure (€)",
                  "par_annee": "Année précise (€)", "total": "Total affiché (€)"})
left, right = st.columns([3, 2])
with left:
    ui.chart(figures.budget_par_fiche(view, colours), view.lignes, name="lignes_budget",
             columns={"fiche": "Fiche", "axe_libelle": "Axe", "libelle": "Ligne", "montant": "Montant (€)",
                      "periodicite": "Périodicité", "annee": "Année", "structure": "Structure",
                      "source": "Texte de la feuille de route", "note": "Note"})
with right:
    ui.chart(figures.budget_sunburst(view, colours), view.par_fiche, name="budget_axe_objectif_fiche",
             columns={"axe_libelle": "Axe", "objectif": "Objectif", "objectif_libelle": "Libellé de l'objectif",
                      "fiche": "Fiche", "total": "Total affiché (€)"})

st.subheader(f"Fiches sans investissement chiffré : {len(view.non_chiffrees)}")
st.caption("Ces fiches ne sont pas comptées à 0 € : la feuille de route ne donne pas de montant. "
           "Voici ce qu'elle écrit.")
ui.table(view.non_chiffrees, {"fiche": "Fiche", "intitule": "Intitulé", "source": "Texte de la feuille de route",
                              "note": "Note"})
