"""Vue d'ensemble: the roadmap at a glance for élus, and what needs attention this quarter."""

import streamlit as st

from lne_data import ui

filters = ui.setup("Vue d'ensemble")
view = ui.guarded(lambda: ui.overview(filters))
state = view.state

st.caption(
    f"{ui.md(view.titre)} — trimestre affiché : **{ui.periode_label(view.periode)}** — dernier import : "
    + (f"{state.dernier_import:%d/%m/%Y} par {ui.md(state.dernier_import_auteur)}" if state.dernier_import is not None
       else "aucun (seules les données d'exemple sont chargées)" if state.exemples else "aucun")
)
cols = st.columns(4)
cols[0].metric("Fiches action", view.nb_fiches)
cols[1].metric(f"Prévu {view.budget.periode}", ui.euros(view.prevu.prevu), help=ui.headline_help(view, "prevu"))
cols[2].metric("ETP chiffrés", ui.etp(view.etp), help=ui.headline_help(view, "etp"))
cols[3].metric("Indicateurs saisis", f"{view.indicateurs_saisis} / {view.indicateurs_total}",
               help=f"Indicateurs ayant une valeur pour {ui.periode_label(view.periode)}.")
st.caption(f"**Budget** : {view.budget.phrase()}. Par année : {view.budget.annees_phrase()}."
           + (f" **Exécution déclarée** : {view.execution.phrase()}." if view.execution is not None else ""))

st.subheader("Les axes")
axes = view.cartes_axes  # each card's sentences are computed on each reading: read once
cards = st.columns(max(1, len(axes)))
for card, axe in zip(cards, axes):
    with card.container(border=True):
        st.markdown(f"#### {axe.code}. {ui.md(axe.libelle)}")
        st.markdown(ui.carte_axe_text(axe))
        st.page_link("pages/1_Budget.py", label="Budget de l'axe", query_params={"axe": str(axe.code)},
                     icon=":material/euro:")

st.subheader(f"Points d'attention — {ui.periode_label(view.periode)}")
att = view.attention
# « Quelles fiches sont en difficulté ? », first: each fiche named, with why (rules.raisons_difficulte).
st.markdown(f"**{ui.difficulte_titre(len(att.en_difficulte), view.periode)}**",  # no user text in it
            help=ui.DIFFICULTE_AIDE)
for row in att.fiches_en_difficulte:
    st.page_link("pages/5_Fiche.py", label=f"Fiche {row.fiche} — {ui.md(ui.short(row.intitule, 90))}",
                 query_params={"fiche": str(row.fiche)})
    st.caption(ui.md(row.raisons))
# The whole width: each late indicator's figures, échéance and whose target it is stay readable at 1280 pixels.
st.markdown(f"**{att.retard_titre}**")  # no user text in it
if att.en_retard:
    ui.table(att.retards, {k: ui.RETARD_LABELS[k] for k in ("indicateur", "fiche", "realise", "attendu", "echeance",
                                                             "origine", "libelle")})
left, right = st.columns(2)
with left:
    st.markdown(f"**Fiches sans aucune saisie ce trimestre : {len(att.sans_saisie)}**")
    for row in att.fiches_sans_saisie:
        # Cut with « … » where the column ends, rather than by the link's own box without a sign.
        st.page_link("pages/5_Fiche.py", label=f"Fiche {row.fiche} — {ui.md(ui.short(row.intitule, 60))}",
                     query_params={"fiche": str(row.fiche)})
    if att.reponses is not None:
        st.markdown(att.reponses.resume)
    if att.porteurs_sans_reponse:
        st.markdown("**Porteurs sans réponse ce trimestre** : " + ", ".join(map(ui.md, att.porteurs_sans_reponse)))
with right:
    st.markdown(f"**Indicateurs en baisse : {len(att.en_baisse)}**")
    if not att.en_baisse.empty:
        ui.dataframe(att.en_baisse, {"indicateur": "Indicateur", "fiche": "Fiche", "avant": "Valeur précédente",
                                     "apres": "Dernière valeur", "periode": "Trimestre"}, only=True)
    if att.sans_porteur or att.sans_indicateur or att.sans_investissement_chiffre:
        st.markdown(
            "**Fiches incomplètes dans la feuille de route** — sans porteur : "
            + (", ".join(map(str, att.sans_porteur)) or "aucune")
            + " ; sans indicateur : " + (", ".join(map(str, att.sans_indicateur)) or "aucune")
            + " ; sans investissement chiffré : " + (", ".join(map(str, att.sans_investissement_chiffre)) or "aucune")
        )
