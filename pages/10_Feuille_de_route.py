"""Feuille de route: its versions, what each one changed, the fiches and indicators retired with their entries; a new
version (coordination) is shown against the one in force before it is applied, and the version in force can be
undone."""

import streamlit as st

from lne_data import ui

ui.setup("Feuille de route", filters=False)
ui.flash(ui.VERSION_MESSAGE)  # the write made on the previous run, now that every table shows it
listing = ui.versions_view()
st.caption("Chaque chargement d'un classeur de référence qui change la feuille de route en est une nouvelle version, "
           "gardée pour toujours. Les versions « reconstituées » ne viennent pas d'un classeur : elles sont tirées du "
           "classeur suivant (dates d'ajout des fiches).")
ui.dataframe(listing.table, ui.VERSION_COLUMNS, only=True,
             column_config={"Chargée le": ui.datetime_column("Chargée le"),
                            "Adoptée le": st.column_config.DateColumn("Adoptée le", format="DD/MM/YYYY")})
with st.expander("Détails techniques", icon=":material/fingerprint:"):
    st.caption("L'empreinte identifie le classeur chargé octet par octet : deux classeurs de même empreinte sont "
               "identiques.")
    ui.dataframe(listing.table, ui.VERSION_FINGERPRINT_COLUMNS, only=True)

if len(listing.numeros) > 1:
    st.subheader("Ce qu'une version a changé")
    numero = st.selectbox("Version", listing.avec_precedente, format_func=listing.libelle, key="version_vue")
    changes = ui.version_changes(int(numero))
    if changes is not None:
        st.markdown(f"Par rapport à la version précédente : {ui.md(changes.resume())}")
        ui.dataframe(changes.table, ui.DIFF_COLUMNS, only=True)

st.subheader("Fiches et indicateurs retirés")
retired = ui.retired()
if retired.empty:
    st.caption("Aucune fiche ni aucun indicateur retiré : tous sont dans la version en vigueur.")
else:
    st.caption("Retirés par une version, ils gardent leurs saisies et leur historique, lisibles ici.")
    ui.dataframe(retired.table, ui.RETIRED_COLUMNS, only=True)
    ui.dataframe(retired.saisies, ui.RETIRED_ENTRY_COLUMNS, only=True)

st.subheader("Nouvelle version")
if not ui.is_coordinator():
    ui.sign_in_form("Le chargement d'une version de la feuille de route est réservé au rôle **coordination**.")
    st.stop()
uploaded = ui.uploader("Classeur de référence (.xlsx, même mise en page que data/referentiel_lne_2024-2027.xlsx)",
                       key="referentiel")
if uploaded is not None:
    found, difference = ui.check_referentiel(uploaded.getvalue())
    if found:
        st.error("Ce classeur est refusé : rien n'a été changé. Voici chaque problème.", icon=":material/block:")
        ui.problems(found, uploaded.name)
    elif difference is None or difference.empty:
        st.info("Ce classeur ne change rien à la version en vigueur.", icon=":material/info:")
    else:
        st.markdown(f"**Ce qui changerait** : {ui.md(difference.resume())}")
        ui.dataframe(difference.table, ui.DIFF_COLUMNS, only=True)
        confirm = st.checkbox("Je confirme : ce classeur devient la nouvelle version de la feuille de route",
                              key="confirmer_version")
        if st.button("Appliquer la nouvelle version", disabled=not confirm, icon=":material/published_with_changes:"):
            try:
                ui.apply_referentiel(uploaded.getvalue())
            except (ui.NotAllowed, ui.RejectedInput) as exc:
                ui.refused(exc)
                st.stop()
            st.rerun()

undoable = listing.annulable
if undoable is not None:
    st.subheader("Annuler la version en vigueur")
    agreed = st.checkbox(f"Je confirme vouloir annuler la version n°{undoable} et remettre la précédente telle "
                         "qu'elle était", key="confirmer_annulation_version")
    if st.button("Annuler cette version", disabled=not agreed, icon=":material/undo:"):
        try:
            ui.undo_version(undoable)
        except (ui.NotAllowed, ui.RejectedInput) as exc:
            ui.refused(exc)
            st.stop()
        st.rerun()
