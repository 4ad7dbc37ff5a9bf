"""Feuille de route: its versions, what each one changed, the fiches and indicators retired with their entries; a new
version (coordination) is shown against the one in force before it is applied, and the version in force can be
undone."""

import streamlit as st

from lne_data import ui

ui.setup("Feuille de route", filters=False)
ui.flash(ui.VERSION_MESSAGE)  # the write made on the previous run, now that every table shows it
ui.show_refusal()  # a confirmation refused: what the person saw had changed
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
        ui.changes_in_words(changes, "Par rapport à la version précédente :")

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
uploaded = ui.uploader("Classeur de référence (.xlsx, même mise en page que data/referentiel_lne_2024-2027.xlsx), ou "
                       "classeur d'import de plan de Territoires en Transitions", key="referentiel")
if uploaded is not None:
    found, difference, risks = ui.check_referentiel(uploaded.getvalue())
    changes = not found and difference is not None and not difference.empty
    if found:
        st.error("Ce classeur est refusé : rien n'a été changé. Voici chaque problème.", icon=":material/block:")
        ui.problems(found, uploaded.name)
    elif not changes:
        st.info("Ce classeur ne change rien à la version en vigueur.", icon=":material/info:")
    else:
        ui.changes_in_words(difference, "**Ce qui changerait** :")
    warned = [] if found else ui.referentiel_warnings(uploaded.getvalue())
    if warned:
        st.warning("Ce classeur est lu avec des avertissements : voici ce que le référentiel ne reprend pas, ou "
                   "suppose.", icon=":material/warning:")
        ui.problems(warned, uploaded.name)
    if changes and risks.meaning:
        st.error("Cette version ferait lire autrement des valeurs déjà saisies : elle ne peut pas être appliquée "
                 "telle quelle. Voici chaque indicateur concerné.", icon=":material/block:")
        ui.problems(risks.meaning, uploaded.name)
    elif changes:
        outside = False
        if risks.outside is not None:
            st.warning(ui.md(risks.outside.message), icon=":material/warning:")
            outside = st.checkbox("Je confirme : ces saisies restent enregistrées, hors des années de la nouvelle "
                                  "version", key="confirmer_hors_periode")
        confirm = st.checkbox("Je confirme : ce classeur devient la nouvelle version de la feuille de route",
                              key="confirmer_version")
        if st.button("Appliquer la nouvelle version", disabled=not confirm or (risks.outside is not None and
                                                                               not outside),
                     icon=":material/published_with_changes:"):
            try:
                ui.apply_referentiel(uploaded.getvalue(), outside)
            except (ui.NotAllowed, ui.RejectedInput) as exc:
                ui.refused(exc)
                st.stop()
            st.rerun()

undoable = listing.annulable
if undoable is not None:
    st.subheader("Annuler la version en vigueur")
    undo_risks = ui.undo_risks(undoable)
    if undo_risks.meaning:
        st.error("Remettre la version précédente ferait lire autrement des valeurs déjà saisies : cette version ne "
                 "peut pas être annulée.", icon=":material/block:")
        ui.problems(undo_risks.meaning, f"version n°{undoable}")
        st.stop()
    outside_too = False
    if undo_risks.outside is not None:
        st.warning(ui.md(undo_risks.outside.message), icon=":material/warning:")
        outside_too = st.checkbox("Je confirme : ces saisies restent enregistrées, hors des années de la version "
                                  "remise", key=f"confirmer_hors_periode_{undoable}")
    # Keyed by the version it names: a confirmation ticked for n°2 is not carried over to n°3.
    agreed = st.checkbox(f"Je confirme vouloir annuler la version n°{undoable} et remettre la précédente telle "
                         "qu'elle était", key=f"confirmer_annulation_version_{undoable}")
    st.button("Annuler cette version", disabled=not agreed or (undo_risks.outside is not None and not outside_too),
              icon=":material/undo:", on_click=ui.as_seen(ui.undo_version), args=(undoable, outside_too))
