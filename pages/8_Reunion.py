"""Mode réunion: the quarter one screen at a time for the comité syndical's projector (1280×720): type of 20 px
and more, nothing to scroll, ← → PageUp PageDown Home End to move, the screen in the URL (`?etape=3`)."""

import streamlit as st

from lne_data import figures, ui

filters = ui.setup("Mode réunion", compact=True)
with st.sidebar:
    closure_id = ui.closure_choice()
view = ui.meeting(filters, closure_id)
colours = figures.axe_colours(ui.reference().axes)

count = len(view.steps)
step = ui.meeting_step(count)
ui.meeting_navigation(step, count)

screen = view.ecran(step)
over = view.overview
st.subheader(f"{ui.md(screen.titre)} — {ui.periode_label(over.periode)}")
config = {"displaylogo": False, "locale": "fr", "displayModeBar": False}
if screen.kind == "overview":
    st.plotly_chart(figures.meeting_chiffres(view.chiffres), config=config)
elif screen.kind == "axe":
    st.plotly_chart(figures.meeting_fiches(screen), config=config)
elif screen.kind == "budget":
    st.plotly_chart(figures.meeting_budget(view.budget, colours), config=config)
elif screen.kind == "rh":
    st.plotly_chart(figures.meeting_etp(view.charge), config=config)
elif screen.kind == "indicateurs":
    st.plotly_chart(figures.meeting_completude(view.completude_axes, colours), config=config)
else:
    att = over.attention
    st.plotly_chart(figures.meeting_chiffres([
        (str(len(att.sans_saisie)), "fiches sans saisie"), (str(len(att.sous_cible)), "indicateurs en retard"),
        (str(len(att.porteurs_sans_reponse)), "porteurs sans réponse")], height=120), config=config)
    if att.reponses is not None:
        st.markdown(f"#### {ui.md(att.reponses.resume)}")
    late, others = view.retards
    if late:
        st.plotly_chart(figures.meeting_liste(
            "Indicateurs en retard" + (f" (et {others} autres : voir le rapport)" if others else ""), late,
            height=view.retards_px(late)), config=config)
    if view.sans_reponse:
        st.markdown(f"#### {ui.md(view.sans_reponse)}")
