"""Indicateurs: values per quarter against their targets, completeness of the entries, latest values."""

import streamlit as st

from lne_data import figures, ui

filters = ui.setup("Indicateurs")
view = ui.indicateurs(filters)
if view.exemples:
    st.caption("Les valeurs ci-dessous sont des exemples fictifs.")

fiches = view.fiches
if not fiches:
    st.info("Aucune fiche ne correspond aux filtres.")
    st.stop()
titles = ui.reference().intitules()
numero = st.selectbox("Fiche", fiches, format_func=lambda n: f"Fiche {n} — {titles[n]}")
st.page_link("pages/5_Fiche.py", label="Ouvrir la fiche complète", query_params={"fiche": str(numero)},
             icon=":material/description:")
columns = st.columns(2)
for index, code in enumerate(i.code for i in view.indicateurs_de(numero)):
    with columns[index % 2]:
        ui.chart(figures.indicateur(view, code), view.serie(code), name=code,
                 columns={"periode": "Période", "valeur": "Valeur", "valeur_texte": "Texte",
                          "progression": "Cumul ou niveau", "commentaire": "Commentaire", "exemple": "Exemple"})

st.subheader("Complétude des saisies")
ui.chart(figures.completude(view), view.completude, name="completude",
         columns={"fiche": "Fiche", "periode": "Période", "saisis": "Indicateurs saisis",
                  "attendus": "Indicateurs de la fiche", "part": "Part renseignée"})

st.subheader("Dernières valeurs")
ui.dataframe(view.dernieres_affichees, {"code": "Indicateur", "fiche": "Fiche", "libelle": "Libellé",
                                        "valeur": "Dernière valeur", "unite": "Unité", "periode": "Période",
                                        "progression": "Cumul ou niveau", "cible": "Cible",
                                        "ecart_cible": "Écart à la cible", "valeur_texte": "Texte", "type": "Type",
                                        "exemple": "Exemple"}, only=True)
