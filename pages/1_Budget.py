"""Budget par axe: the money the roadmap plans over its years, axe → objectif → fiche, year by year, with the
unquantified fiches named (README « Modelling choices »: the yearly allocation rule)."""

import streamlit as st

from lne_data import figures, ui

filters = ui.setup("Budget par axe")
ref = ui.reference()
view = ui.budget(filters)
colours = figures.axe_colours(ref.axes)

st.metric(f"Prévu {view.periode}", ui.euros(view.prevu().prevu), help=view.regle())
st.markdown(f"**Budget** : {view.phrase()}.")
for code, libelle in view.axes():
    st.markdown(f"**Axe {code}. {ui.md(libelle)}** : {view.phrase(code)}.")
st.caption(f"Par année : {view.annees_phrase()}. « Par an » : chaque année de vie de la fiche ; une année donnée : "
           "cette année-là ; ponctuel et période non précisée : une fois, à répartir sur la période.")
ui.chart(figures.budget_par_axe(view, colours), view.par_fiche, name="budget_par_fiche",
         columns=ui.BUDGET_FICHE_COLUMNS)
ui.chart(figures.budget_par_annee(view, colours), view.prevu_par_annee(), name="budget_par_annee",
         columns={"libelle": "Année", "montant": "Prévu (€)", "sous_condition": "dont sous condition (€)"})
ui.chart(figures.budget_par_objectif(view, colours), view.par_fiche, name="budget_axe_objectif_fiche",
         columns={"axe_libelle": "Axe", "objectif": "Objectif", "objectif_libelle": "Libellé de l'objectif",
                  "fiche": "Fiche", "chiffrage": "Chiffrage", "prevu": f"Prévu {view.periode} (€)"})
ui.chart(figures.budget_par_fiche(view, colours), view.lignes, name="lignes_budget",
         columns=ui.BUDGET_LINE_COLUMNS)

st.subheader(f"Montants sans période précisée : {ui.euros(view.somme('non_precise'))}")
st.caption("La feuille de route donne ces montants sans dire s'ils sont dépensés une fois, chaque année ou sur "
           "toute la période : comptés une fois, à répartir sur la période, jamais multipliés par les années. "
           "Voici ce qu'elle écrit.")
ui.table(view.non_precises, {"fiche": "Fiche", "libelle": "Ligne", "montant": "Montant (€)",
                             "source": "Texte de la feuille de route", "note": "Note"})

st.subheader(f"Fiches sans investissement chiffré : {len(view.non_chiffrees)}")
st.caption("Ces fiches ne sont pas comptées à 0 € : la feuille de route ne donne pas de montant. "
           "Voici ce qu'elle écrit.")
ui.table(view.non_chiffrees, {"fiche": "Fiche", "intitule": "Intitulé", "source": "Texte de la feuille de route",
                              "note": "Note"})

ui.execution_budget_section(filters, view)

ui.version_comparison_section(filters, ("fiches", "prevu", "ponctuel", "par_an", "non_precise"),
                              " (le prévu sur la période, comme la vue d'ensemble, puis les montants par nature)")
