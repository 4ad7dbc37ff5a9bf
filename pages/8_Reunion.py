"""Mode réunion: the quarter one screen at a time, large type, for the comité syndical's shared screen."""

import streamlit as st

from lne_data import figures, ui

filters = ui.setup("Mode réunion", compact=True)
with st.sidebar:
    closure_id = ui.closure_choice()
view = ui.meeting(filters, closure_id)
colours = figures.axe_colours(ui.reference().axes)

count = len(view.steps)
step = ui.meeting_step(count)
previous, position, following = st.columns([1, 3, 1])
previous.button("◀ Précédent", disabled=step == 1, width="stretch", on_click=ui.move_step, args=(-1, count))
following.button("Suivant ▶", disabled=step == count, width="stretch", type="primary", on_click=ui.move_step,
                 args=(1, count))
position.progress(step / count, text=f"Écran {step} / {count}")

screen = view.ecran(step)
over = view.overview
st.header(f"{ui.md(screen.titre)} — {ui.periode_label(over.periode)}", divider="blue")
if screen.kind == "overview":
    cols = st.columns(4)
    cols[0].metric("Fiches action", over.nb_fiches)
    cols[1].metric("Budget ponctuel", ui.euros(over.budget_ponctuel))
    cols[2].metric("ETP chiffrés", ui.etp(over.etp))
    cols[3].metric("Indicateurs saisis", f"{over.indicateurs_saisis} / {over.indicateurs_total}")
    st.plotly_chart(figures.for_meeting(figures.budget_par_axe(view.budget, colours)), config={"displaylogo": False})
elif screen.kind == "axe":
    ui.table(screen.fiches, {"fiche": "Fiche", "intitule": "Intitulé", "porteurs": "Porteurs",
                             "statut": "Statut", "meteo": "Météo", "indicateurs": "Indicateurs saisis"})
elif screen.kind == "budget":
    st.plotly_chart(figures.for_meeting(figures.budget_sunburst(view.budget, colours)), config={"displaylogo": False})
elif screen.kind == "rh":
    st.plotly_chart(figures.for_meeting(figures.etp_par_structure(view.charge)), config={"displaylogo": False})
elif screen.kind == "indicateurs":
    st.plotly_chart(figures.for_meeting(figures.completude(view.indicateurs)), config={"displaylogo": False})
else:
    att = over.attention
    cols = st.columns(3)
    cols[0].metric("Fiches sans saisie", len(att.sans_saisie))
    cols[1].metric("Indicateurs en retard", len(att.sous_cible))
    cols[2].metric("Porteurs sans réponse", len(att.porteurs_sans_reponse))
    if att.reponses is not None:
        st.markdown(att.reponses.resume)
    if not att.sous_cible.empty:
        ui.table(att.sous_cible, {"indicateur": "Indicateur", "fiche": "Fiche", "libelle": "Libellé",
                                  "valeur": "Réalisé", "attendu": "Attendu à date", "cible": "Cible",
                                  "cible_provenance": "Origine de la cible"})
    if not att.sans_saisie.empty:
        ui.table(att.sans_saisie, {"fiche": "Fiche", "intitule": "Sans saisie ce trimestre"})
    if att.porteurs_sans_reponse:
        st.markdown("**Porteurs sans réponse** : " + ", ".join(map(ui.md, att.porteurs_sans_reponse)))
