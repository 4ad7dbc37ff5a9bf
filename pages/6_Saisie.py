"""Saisie trimestrielle: template to send out, upload, every problem at once, preview, then import; a porteur signed in
personally submits her own quarter, which the coordination validates or sends back (the queue « à valider »)."""

import streamlit as st

from lne_data import ui

ui.setup("Saisie trimestrielle", filters=False)
ref = ui.reference()
current = ui.this_quarter()
choices = ref.periodes_jusqua(current) or ref.periodes()

signed = ui.person() if ui.role() == "porteur" else None
if signed is not None:
    st.subheader("1. Votre modèle")
    st.markdown(f"Vos fiches ({ui.md(', '.join(signed.structures))}) :")
    ui.dataframe(ui.fiches_of(signed), {"numero": "Fiche", "intitule": "Intitulé"}, only=True)
else:
    st.subheader("1. Envoyer le modèle aux porteurs")
left, right = st.columns(2)
ordered = list(reversed(choices))
# Porteurs report a quarter once it is over: the previous quarter is the usual one to send out.
usual = ui.previous_quarter(current)
periode = left.selectbox("Trimestre", ordered, index=ordered.index(usual) if usual in ordered else 0,
                         placeholder=ui.CHOOSE,
                         format_func=ui.periode_label)
porteurs = list(signed.structures) if signed is not None else [None, *ref.structures_porteuses()]
porteur = right.selectbox("Porteur", porteurs, placeholder=ui.CHOOSE,
                          format_func=lambda s: "Toutes les fiches" if s is None else s)
ui.download("Télécharger le modèle Excel", ui.template_bytes(periode, porteur),
            f"saisie_{periode}" + (f"_{porteur}" if porteur else "") + ".xlsx", ui.REPORT_MIME["xlsx"])
with st.expander(f"Qui a répondu pour {ui.periode_label(periode)} ?", icon=":material/mark_email_read:"):
    answers = ui.reponses(periode)
    st.markdown(answers.resume)
    ui.dataframe(answers.table, {"porteur": "Porteur", "fiches": "Fiches", "fiches_renseignees": "Fiches renseignées",
                                 "fiches_attendues": "Fiches portées", "a_repondu": "A répondu",
                                 "depot_a_valider": "Fichier à valider"})

if signed is not None:
    st.subheader("2. Déposer votre fichier rempli")
    st.caption("Il est vérifié comme celui de la coordination ; une fois déposé, la coordination le valide (il est "
               "alors importé à votre nom) ou vous le renvoie avec un message, ci-dessous.")
    ui.flash(ui.DEPOT_MESSAGE)
    ui.show_refusal()
    returned = ui.sent_back(signed)
    if returned:
        st.warning(ui.md(returned), icon=":material/reply:")
    mine = ui.uploader("Votre classeur de saisie (.xlsx)", key=ui.upload_key("depot_porteur"))
    if mine is not None:
        validation, preview = ui.check_submission(mine.getvalue(), mine.name)
        if validation.errors:
            st.error(f"Fichier refusé : {len(validation.errors)} erreur(s) à corriger. Rien n'a été déposé.",
                     icon=":material/block:")
        if validation.problems:
            ui.problems(validation.problems, mine.name)
        if preview is not None:
            st.info(f"Fichier valide : {preview.count('nouvelle')} nouvelle(s) valeur(s), {preview.count('modifiée')} "
                    f"modifiée(s), {preview.count('inchangée')} inchangée(s).", icon=":material/task_alt:")
            st.button("Déposer pour validation", type="primary", icon=":material/send:",
                      on_click=ui.as_seen(ui.submit_quarter), args=(mine.getvalue(), mine.name))
    st.subheader("Vos dépôts")
    ui.dataframe(ui.depots_table(signed), ui.DEPOT_COLUMNS, only=True,
                 column_config={"Déposé le": ui.datetime_column("Déposé le")})
    st.stop()

st.subheader("2. Déposer un fichier rempli")
if not ui.is_coordinator():
    ui.show_refusal()
    ui.sign_in_form("Le dépôt d'un fichier est réservé au rôle **coordination**.")
    st.stop()
pending = ui.pending_depots()
ui.flash(ui.DEPOT_MESSAGE)  # above the queue, which folds once nothing waits
with st.expander(f"Fichiers déposés par les porteurs : {len(pending)} à valider", expanded=bool(pending),
                 icon=":material/inbox:"):
    ui.dataframe(ui.depots_table(None), ui.DEPOT_COLUMNS, only=True,
                 column_config={"Déposé le": ui.datetime_column("Déposé le")})
    if pending:
        numero = st.selectbox("Dépôt à examiner", pending, placeholder=ui.CHOOSE, format_func=lambda n: f"Dépôt n°{n}")
        fichier, checked, seen = ui.depot_preview(numero)
        if checked.problems:
            ui.problems(checked.problems, fichier)
        if seen is not None:
            st.caption(f"{seen.count('nouvelle')} nouvelle(s) valeur(s), {seen.count('modifiée')} modifiée(s), "
                       f"{seen.count('inchangée')} inchangée(s).")
            ui.dataframe(seen.rows, {"indicateur": "Indicateur", "fiche": "Fiche", "periode": "Période",
                                     "statut": "Statut", "avant": "Avant", "apres": "Après"}, only=True)
            st.button("Valider et importer", type="primary", icon=":material/done_all:",
                      on_click=ui.as_seen(ui.accept_depot), args=(numero,))
        with st.form(f"renvoi_{numero}"):
            message = st.text_area("Message au porteur (ce qu'il doit corriger)")
            if st.form_submit_button("Renvoyer au porteur", icon=":material/reply:"):
                try:
                    ui.send_back_depot(numero, message)
                except (ui.NotAllowed, ui.RejectedInput) as exc:
                    ui.refused(exc)
                else:
                    st.rerun()

ui.author_field()
upload = ui.uploader("Classeur de saisie (.xlsx)", key=ui.upload_key("fichier_saisie"))
# After « Importer », the uploader is empty again and the confirmation is here, where the person was reading.
if ui.flash(ui.WRITE_MESSAGE):
    st.page_link("pages/7_Historique.py", label="Voir l'historique des imports", icon=":material/history:")
ui.show_refusal()  # an import refused: the roadmap changed since its file was checked
if upload is None:
    st.stop()
validation, preview = ui.check_upload(upload.getvalue(), upload.name)
if validation.errors:
    st.error(f"Fichier refusé : {len(validation.errors)} erreur(s) à corriger. Rien n'a été enregistré. "
             "Corrigez le fichier puis déposez-le à nouveau.", icon=":material/block:")
if validation.problems:
    ui.problems(validation.problems, upload.name)
if preview is None:
    st.stop()

st.subheader("3. Vérifier puis importer")
cols = st.columns(4)
cols[0].metric("Nouvelles valeurs", preview.count("nouvelle"))
cols[1].metric("Valeurs modifiées", preview.count("modifiée"))
cols[2].metric("Inchangées", preview.count("inchangée"))
cols[3].metric("Lignes vides ignorées", validation.ignored_rows)
if preview.exemples_retires:
    st.info(f"Cet import retirera les {preview.exemples_retires} données d'exemple.", icon=":material/science:")
ui.dataframe(preview.rows, {
    "indicateur": "Indicateur", "fiche": "Fiche", "libelle": "Libellé", "periode": "Période", "statut": "Statut",
    "avant": "Avant", "apres": "Après", "commentaire": "Commentaire"}, only=True)
if not preview.suivi.empty:
    ui.dataframe(preview.suivi, {"fiche": "Fiche", "periode": "Période", "statut_saisie": "Statut",
                                 "avant_statut": "Statut avant", "statut": "Statut après",
                                 "avant_meteo": "Météo avant", "meteo": "Météo après"})
if not preview.depenses.empty:
    ui.dataframe(preview.depenses, {"fiche": "Fiche", "structure": "Porteur", "periode": "Période", "nature": "Nature",
                                    "financeur": "Financeur", "statut": "Statut", "avant": "Dépenses avant",
                                    "apres": "Dépenses après"}, only=True)
if preview.changes == 0 and not preview.exemples_retires:
    st.success("Rien à importer : toutes les valeurs de ce fichier sont déjà enregistrées.")
    st.stop()
st.button("Importer", type="primary", icon=":material/file_upload:", on_click=ui.as_seen(ui.import_checked),
          args=(validation,))
