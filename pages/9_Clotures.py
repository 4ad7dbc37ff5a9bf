"""Clôtures et rapports: freeze a quarter as presented to a comité, look at it later, compare, export."""

import streamlit as st

from lne_data import figures, ui

ui.setup("Clôtures et rapports", filters=False)
ui.flash(ui.CLOSURE_MESSAGE)
ref = ui.reference()
history = ui.closures()
FORMATS = [("pptx", "Diaporama (PowerPoint)"), ("pdf", "Rapport (PDF)"), ("xlsx", "Tous les chiffres (Excel)")]

st.subheader("Trimestres clôturés")
if history.table.empty:
    st.info("Aucun trimestre clôturé. La clôture fige les chiffres tels que présentés en comité syndical.")
else:
    ui.table(history.lignes, {"id": "N°", "periode": "Trimestre", "comite_le": "Comité du", "reference": "Référence",
                              "cloture_le": "Clôturé le", "cloture_par": "Par", "exemple": "Données d'exemple"})
    closure_id = ui.closure_choice()
    if closure_id is not None:
        frozen = ui.closure_headline(closure_id)
        colours = figures.axe_colours(ref.axes)
        st.markdown(f"**Vue figée** — {ui.md(ui.closure(closure_id).label)}")
        cols = st.columns(4)
        cols[0].metric("Fiches action", frozen.nb_fiches)
        cols[1].metric(f"Prévu {frozen.budget.periode}", ui.euros(frozen.prevu.prevu),
                       help=ui.headline_help(frozen, "prevu"))
        cols[2].metric("ETP chiffrés", ui.etp(frozen.etp), help=ui.headline_help(frozen, "etp"))
        cols[3].metric("Indicateurs saisis", f"{frozen.indicateurs_saisis} / {frozen.indicateurs_total}")
        st.caption(f"**Budget** : {frozen.budget.phrase()}.")
        st.markdown(f"**Rapports de la clôture n°{closure_id}**, faits de ses seules données figées : ils restent "
                    "identiques quoi qu'on importe ensuite.")
        cols = st.columns(3)
        for col, (fmt, label) in zip(cols, FORMATS):
            ui.download(label, ui.closure_report_bytes(closure_id, fmt), f"lne_cloture_{closure_id}.{fmt}",
                        ui.REPORT_MIME[fmt], where=col, key=f"cloture_{fmt}", stretch=True)
        ui.chart(figures.budget_par_axe(frozen.budget, colours), frozen.budget.par_fiche, name="budget_fige",
                 columns=ui.BUDGET_FICHE_COLUMNS)
        against = st.selectbox("Comparer avec", [0, *history.autres(closure_id)],
                               format_func=lambda i: "les données actuelles" if i == 0 else f"la clôture n°{i}")
        diff = ui.comparison(closure_id, against or None)
        if diff.empty:
            st.success("Aucune différence.")
        if not diff.valeurs.empty:
            st.markdown(f"**Valeurs d'indicateurs différentes : {len(diff.valeurs)}**")
            ui.table(diff.valeurs, {"indicateur": "Indicateur", "fiche": "Fiche", "periode": "Période",
                                    "avant": "Clôture", "apres": "Comparée"})
        if not diff.statuts.empty:
            st.markdown(f"**Statuts ou météos différents : {len(diff.statuts)}**")
            ui.table(diff.statuts, {"fiche": "Fiche", "periode": "Période", "statut_avant": "Statut (clôture)",
                                    "statut_apres": "Statut (comparé)", "meteo_avant": "Météo (clôture)",
                                    "meteo_apres": "Météo (comparée)"})
        if not diff.budgets.empty:
            st.markdown(f"**Budgets ou ETP différents : {len(diff.budgets)}**")
            ui.table(diff.budgets, {"fiche": "Fiche", "ponctuel_avant": "Ponctuel (clôture)",
                                    "ponctuel_apres": "Ponctuel (comparé)", "non_precise_avant":
                                    "Sans période précisée (clôture)", "non_precise_apres":
                                    "Sans période précisée (comparé)", "etp_avant": "ETP (clôture)",
                                    "etp_apres": "ETP (comparés)"})
        if not diff.depenses.empty:
            st.markdown(f"**Dépenses déclarées différentes : {len(diff.depenses)} fiche(s)**")
            ui.table(diff.depenses_affichees, {"fiche": "Fiche", "engage_avant": "Engagé (clôture)",
                                     "engage_apres": "Engagé (comparé)", "paye_avant": "Payé (clôture)",
                                     "paye_apres": "Payé (comparé)"})
        if not diff.depenses_comparees:
            st.caption("Dépenses non comparées : une clôture faite avant que les dépenses ne soient figées ne les "
                       "a pas gardées.")

st.subheader("Rapports sur les données actuelles")
latest_first = list(reversed(ref.periodes_jusqua(ui.this_quarter())))
default = ui.last_complete_quarter(latest_first)
periode_rapport = st.selectbox("Trimestre du rapport", latest_first, index=latest_first.index(default),
                               format_func=ui.periode_label)
st.caption("Faits des données du jour : ils changent si une valeur est corrigée. Pour un comité, clôturez le "
           "trimestre et emportez les rapports de la clôture.")
cols = st.columns(3)
for col, (fmt, label) in zip(cols, FORMATS):
    ui.download(label, ui.report_bytes(periode_rapport, fmt), f"lne_{periode_rapport}.{fmt}", ui.REPORT_MIME[fmt],
                where=col, stretch=True)

st.subheader("Clôturer un trimestre")
if not ui.is_coordinator():
    ui.sign_in_form("La clôture est réservée au rôle **coordination**.")
    st.stop()
exemples = ui.data_state().exemples
with st.form("cloture"):
    periode = st.selectbox("Trimestre présenté", latest_first, index=latest_first.index(default),
                           format_func=ui.periode_label)
    comite_le = st.date_input("Date du comité", value=ui.today(), format="DD/MM/YYYY")
    reference_ = st.text_input("Référence de la réunion", placeholder="Comité syndical du 14/10/2025")
    auteur = ui.author_field("Votre nom (enregistré avec la clôture)")
    confirme = True
    if exemples:
        st.warning("La base contient des **données d'exemple** (valeurs fictives) : la clôture les figera et sera "
                   "marquée « données d'exemple ».", icon=":material/science:")
        confirme = st.checkbox("Je clôture quand même ce trimestre avec ses données d'exemple")
    submitted = st.form_submit_button("Clôturer ce trimestre", icon=":material/lock:")
if submitted:
    if not confirme:
        st.error("Rien n'a été clôturé : cochez la case pour clôturer des données d'exemple.", icon=":material/block:")
    else:
        try:
            ui.close_quarter(periode, comite_le, reference_, auteur)
        except (ui.NotAllowed, ui.RejectedInput) as exc:
            ui.refused(exc)
        else:
            st.rerun()
