"""Comptes: who signs in personally (ProConnect), under which name and role; the coordination adds, changes and
removes accounts (README « Comptes et ProConnect »)."""

import streamlit as st

from lne_data import ui

ui.setup("Comptes", filters=False)
if not ui.is_coordinator():
    ui.sign_in_form("La gestion des comptes est réservée au rôle **coordination**.")
    st.stop()
ui.flash(ui.ACCOUNT_MESSAGE)
ui.show_refusal()
st.caption("Chaque personne se connecte avec son adresse e-mail professionnelle (ProConnect) et reçoit le rôle de son "
           "compte : coordination (tout), lecture (les élus), porteur (déposer le trimestre des fiches de sa "
           "structure, que la coordination valide). Ce qu'elle fait est enregistré à son nom.")
ui.dataframe(ui.accounts(), {"email": "Adresse e-mail", "nom": "Nom", "role": "Rôle", "structures": "Structures"},
             only=True)

st.subheader("Ajouter ou modifier un compte")
porteurs = ui.reference().structures_porteuses()
with st.form("compte", clear_on_submit=False):
    email = st.text_input("Adresse e-mail (celle de ProConnect)", placeholder="prenom.nom@exemple.fr")
    nom = st.text_input("Nom (écrit dans l'historique)", placeholder="Camille Martin")
    role = st.selectbox("Rôle", ["lecture", "porteur", "coordination"], placeholder=ui.CHOOSE,
                        format_func=lambda r: {"lecture": "Lecture (élus)", "porteur": "Porteur",
                                               "coordination": "Coordination"}[r])
    structures = st.multiselect("Structures (pour un porteur)", porteurs, placeholder="Choisir une ou plusieurs "
                                                                                     "structures")
    submitted = st.form_submit_button("Enregistrer le compte", icon=":material/person_add:")
if submitted:
    try:
        ui.add_account(email, nom, role, structures)
    except (ui.NotAllowed, ui.RejectedInput) as exc:
        ui.refused(exc)
    else:
        st.rerun()

st.subheader("Retirer un compte")
emails = ui.accounts_emails()
if not emails:
    st.info("Aucun compte à retirer.")
    st.stop()
chosen = st.selectbox("Compte", emails, placeholder=ui.CHOOSE)
confirm = st.checkbox(f"Je confirme retirer le compte {chosen} : la personne perd son rôle dès sa prochaine action",
                      key=f"confirmer_retrait_{chosen}")
st.button("Retirer ce compte", disabled=not confirm, icon=":material/person_remove:",
          on_click=ui.as_seen(ui.remove_account), args=(chosen,))
