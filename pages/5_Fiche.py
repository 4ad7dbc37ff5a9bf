"""Fiche action: one fiche in full, as the roadmap writes it, with its resources and indicators.

The fiche is chosen by the `fiche` query parameter, so that any chart or message can link to it.
"""

import streamlit as st

from lne_data import figures, ui

ui.setup("Fiche action", filters=False)
ref = ui.reference()
numeros = [int(n) for n in ref.fiches["numero"]]
asked = st.query_params.get("fiche", "")
default = int(asked) if asked.isdigit() and int(asked) in numeros else numeros[0]
if asked and (not asked.isdigit() or int(asked) not in numeros):
    st.warning(f"La fiche demandée ({ui.md(asked)}) n'existe pas : affichage de la fiche {default}.")
titles = ref.fiches.set_index("numero")["intitule"]
numero = st.selectbox("Fiche", numeros, index=numeros.index(default),
                      format_func=lambda n: f"Fiche {n} — {titles[n]}")
st.query_params["fiche"] = str(numero)
view = ui.guarded(lambda: ui.fiche(numero))
f = view.fiche

st.header(f"Fiche n°{numero} — {ui.md(f['intitule'])}")
st.markdown(f"**Axe {f['axe']}. {ui.md(f['axe_libelle'])}** — objectif {ui.md(f['objectif'])} "
            f"{ui.md(f['objectif_libelle'])}")
st.caption(f"Introduite par : {ui.md(f['version'])}")
st.markdown("**Porteur(s)** : " + " ; ".join(
    f"{ui.md(p.structure)} ({p.role}{', niveau ' + ui.md(p.niveau) if isinstance(p.niveau, str) else ''})"
    for p in view.porteurs.itertuples()) if not view.porteurs.empty else "**Porteur** : aucun")
st.markdown("**Partenaires** : " + (" ; ".join(ui.md(s) for s in view.partenaires["structure"]) or "aucun"))

for label, key in [("Public cible", "public_cible"), ("Enjeux / contexte", "enjeux"),
                   ("Description de l'action", "description"), ("Freins perçus", "freins"),
                   ("Leviers indispensables", "leviers"), ("Ressources existantes", "ressources_existantes")]:
    with st.expander(label, expanded=key in ("public_cible", "description")):
        ui.text(f[key])

st.subheader("Ressources à mobiliser")
st.dataframe(view.moyens.rename(columns={"rubrique": "Rubrique", "nature": "Nature", "structure": "Structure",
                                         "libelle": "Ligne", "quantifie": "Chiffré", "montant": "Montant",
                                         "unite": "Unité", "periodicite": "Périodicité", "annee": "Année",
                                         "source": "Texte de la feuille de route", "note": "Note"})[
    ["Rubrique", "Nature", "Structure", "Ligne", "Chiffré", "Montant", "Unité", "Périodicité", "Année",
     "Texte de la feuille de route", "Note"]], hide_index=True)

st.subheader("Indicateurs de suivi")
columns = st.columns(2)
for index, code in enumerate(view.mesures.indicateurs["code"]):
    with columns[index % 2]:
        st.plotly_chart(figures.indicateur(view.mesures, code), config={"displaylogo": False}, key=f"ind_{code}")
st.dataframe(view.mesures.dernieres[["code", "libelle", "type", "unite", "cible", "periode", "valeur", "valeur_texte"]]
             .rename(columns={"code": "Indicateur", "libelle": "Libellé", "type": "Type", "unite": "Unité",
                              "cible": "Cible", "periode": "Dernière période", "valeur": "Dernière valeur",
                              "valeur_texte": "Texte"}), hide_index=True)

st.subheader("Suivi trimestriel")
if view.suivi.empty:
    st.info("Aucun suivi saisi pour cette fiche.")
else:
    st.dataframe(view.suivi.rename(columns={"periode": "Période", "statut": "Statut", "meteo": "Météo",
                                            "resultats": "Résultats", "freins": "Freins",
                                            "prochaines_etapes": "Prochaines étapes", "saisi_par": "Saisi par",
                                            "exemple": "Exemple"}), hide_index=True)
