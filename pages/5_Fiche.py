"""Fiche action: one fiche in full, as the roadmap writes it, with its resources and indicators.

The fiche is chosen by the `fiche` query parameter, so that any chart or message can link to it.
"""

import streamlit as st

from lne_data import figures, ui

ui.setup("Fiche action", filters=False)
ref = ui.reference()
numeros = ref.numeros()
asked = st.query_params.get("fiche", "")
default = int(asked) if asked.isdigit() and int(asked) in numeros else numeros[0]
if asked and (not asked.isdigit() or int(asked) not in numeros):
    st.warning(f"La fiche demandée ({ui.md(asked)}) n'existe pas : affichage de la fiche {default}.")
titles = ref.intitules()
numero = st.selectbox("Fiche", numeros, index=numeros.index(default), placeholder=ui.CHOOSE,
                      format_func=lambda n: f"Fiche {n} — {titles[n]}")
st.query_params["fiche"] = str(numero)
view = ui.guarded(lambda: ui.fiche(numero))
f = view.fiche

st.header(f"Fiche n°{numero} — {ui.md(f['intitule'])}")
st.markdown(f"**Axe {f['axe']}. {ui.md(f['axe_libelle'])}** — objectif {ui.md(f['objectif'])} "
            f"{ui.md(f['objectif_libelle'])}")
st.caption(f"Introduite par : {ui.md(f['version'])}")
# Its state for élus, the overview's own rule (rules.raisons_difficulte), each reason named.
(st.warning if view.raisons else st.info)(ui.md(view.etat), icon=":material/flag:" if view.raisons else None)
ui.download("Fiche en une page (PDF)", ui.fiche_pdf(numero), f"fiche_{numero}.pdf", ui.REPORT_MIME["pdf"],
            icon=":material/picture_as_pdf:")
st.markdown("**Porteur(s)** : " + " ; ".join(
    f"{ui.md(p.structure)} ({p.role}{', niveau ' + ui.md(p.niveau) if p.niveau is not None else ''})"
    for p in view.liste_porteurs) if view.liste_porteurs else "**Porteur** : aucun")
st.markdown("**Partenaires** : " + (" ; ".join(ui.md(s) for s in view.liste_partenaires) or "aucun"))

for label, key in [("Public cible", "public_cible"), ("Enjeux / contexte", "enjeux"),
                   ("Description de l'action", "description"), ("Freins perçus", "freins"),
                   ("Leviers indispensables", "leviers"), ("Ressources existantes", "ressources_existantes")]:
    with st.expander(label, expanded=key in ("public_cible", "description")):
        ui.text(f[key])

st.subheader("Ressources à mobiliser")
st.markdown(f"**Investissement prévu** : {view.phrase_prevu}")
ui.table(view.moyens_affiches, ui.MOYEN_COLUMNS)

st.subheader("Indicateurs de suivi")
columns = st.columns(2)
for index, row in enumerate(view.mesures.indicateurs_de(numero)):
    with columns[index % 2]:
        if row.type == "qualitatif":
            with st.container(border=True):
                st.markdown(f"**{row.code} — {ui.md(row.libelle)}** (qualitatif)")
                texts = view.mesures.textes(row.code)
                for entry in texts:
                    st.caption(ui.periode_label(entry.periode))
                    ui.text(entry.texte)
                if not texts:
                    st.caption("Aucun texte saisi.")
        else:
            ui.chart(figures.indicateur(view.mesures, row.code), view.mesures.serie(row.code), name=row.code,
                     columns={"periode": "Période", "valeur": "Valeur", "progression": "Cumul ou niveau",
                              "commentaire": "Commentaire", "exemple": "Exemple"})
ui.table(view.mesures.dernieres_affichees, {"code": "Indicateur", "libelle": "Libellé", "type": "Type",
                                  "unite": "Unité",
                                  "cible": "Cible", "echeance": "Échéance", "cible_provenance": "Origine de la cible",
                                  "periode": "Dernière période", "valeur": "Dernière valeur",
                                  "valeur_texte": "Texte"})

if view.retards is not None and not view.retards.empty:
    st.markdown("**Indicateurs en retard**")
    ui.table(view.retards, {k: ui.RETARD_LABELS[k] for k in ("indicateur", "libelle", "realise", "attendu",
                                                              "echeance", "origine")})

st.subheader("Suivi trimestriel")
if view.suivi.empty:
    st.info("Aucun suivi saisi pour cette fiche.")
else:
    ui.table(view.suivi, {"periode": "Période", "statut": "Statut", "meteo": "Météo", "resultats": "Résultats",
                          "freins": "Freins", "prochaines_etapes": "Prochaines étapes", "saisi_par": "Saisi par"})
