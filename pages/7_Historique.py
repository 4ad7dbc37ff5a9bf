"""Historique des imports: who imported what and when, what each import changed, and undo."""

import streamlit as st

from lne_data import ui

ui.setup("Historique des imports", filters=False)
ui.flash(ui.WRITE_MESSAGE)
ui.show_refusal()  # a confirmation refused: what the person saw had changed
history = ui.imports()
if history.table.empty:
    st.info("Aucun import pour l'instant.")
    st.stop()
ui.dataframe(history.table, {
    "id": "N°", "importe_le": "Date", "auteur": "Auteur", "fichier": "Fichier", "nb_nouvelles": "Nouvelles",
    "nb_modifiees": "Modifiées", "nb_inchangees": "Inchangées", "annule_le": "Annulé le", "annule_par": "Annulé par",
    "valide_par": "Validé par",
    "exemple": "Exemple"}, only=True,
    column_config={"Date": ui.datetime_column("Date"), "Annulé le": ui.datetime_column("Annulé le")})
with st.expander("Détails techniques", icon=":material/fingerprint:"):
    st.caption("L'empreinte identifie le fichier importé octet par octet : deux fichiers de même empreinte sont "
               "identiques.")
    ui.dataframe(history.table, {"id": "N°", "fichier": "Fichier", "sha256": "Empreinte SHA-256"}, only=True)

numero = st.selectbox("Détail de l'import", history.numeros, placeholder=ui.CHOOSE,
                      format_func=lambda n: f"Import n°{n}" + (" — données d'exemple" if n < 1 else ""))
ui.dataframe(ui.import_details(int(numero)), {
    "indicateur": "Indicateur", "fiche": "Fiche", "libelle": "Libellé", "periode": "Période", "action": "Action",
    "avant_valeur": "Avant", "avant_valeur_texte": "Avant (texte)", "apres_valeur": "Après",
    "apres_valeur_texte": "Après (texte)", "apres_commentaire": "Commentaire"})
depenses = ui.import_depenses(int(numero))
if not depenses.empty:
    ui.dataframe(depenses, {"fiche": "Fiche", "structure": "Porteur", "periode": "Période", "nature": "Nature",
                            "financeur": "Financeur", "action": "Action", "avant": "Dépenses avant",
                            "apres": "Dépenses après"}, only=True)

if not ui.is_coordinator():
    ui.sign_in_form("L'annulation d'un import est réservée au rôle **coordination**.")
    st.stop()
if history.annule(numero):
    st.caption("Cet import est déjà annulé.")
    st.stop()
ui.author_field()
confirm = st.checkbox(f"Je confirme vouloir annuler l'import n°{numero} et restaurer les valeurs précédentes",
                      key=f"confirmer_annulation_import_{numero}")
st.button("Annuler cet import", disabled=not confirm, icon=":material/undo:", on_click=ui.as_seen(ui.undo),
          args=(int(numero),))
