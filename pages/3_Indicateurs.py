"""Indicateurs: values per quarter against their targets, completeness of the entries, latest values, and the
targets the coordination sets (who, when, why), with their history and undo."""

import streamlit as st

from lne_data import figures, ui

LATEST_COLUMNS = {"code": "Indicateur", "fiche": "Fiche", "libelle": "Libellé", "valeur": "Dernière valeur",
                  "periode": "Période", "progression": "Cumul ou niveau", "cible": "Cible", "echeance": "Échéance",
                  "ecart_cible": "Écart à la cible", "cible_provenance": "Origine de la cible", "type": "Type"}

filters = ui.setup("Indicateurs")
view = ui.indicateurs(filters)
if view.exemples:
    st.caption("Les valeurs ci-dessous sont des exemples fictifs.")

if not view.fiches:
    st.info("Aucune fiche ne correspond aux filtres.")
    st.stop()
# « Le nombre de personnes accompagnées progresse-t-il ? »: an indicator found by its words, accents and case aside.
mots = st.text_input("Rechercher un indicateur", key="recherche",
                     placeholder="des mots de son libellé ou son code, par exemple « accompagn » ou « F09 »")
found = view.recherche(mots)
if found.resume:
    st.markdown(f"**{ui.md(found.resume)}**")
if mots.strip() and found.fiches:
    ui.table(found.table, LATEST_COLUMNS)
titles = ui.reference().intitules()
fiches = found.fiches or view.fiches
numero = st.selectbox("Fiche", fiches, placeholder=ui.CHOOSE, format_func=lambda n: f"Fiche {n} — {titles[n]}")
st.page_link("pages/5_Fiche.py", label="Ouvrir la fiche complète", query_params={"fiche": str(numero)},
             icon=":material/description:")
columns = st.columns(2)
for index, code in enumerate(i.code for i in view.indicateurs_de(numero)):
    with columns[index % 2]:
        ui.chart(figures.indicateur(view, code), view.serie(code), name=code,
                 columns={"periode": "Période", "valeur": "Valeur", "valeur_texte": "Texte",
                          "progression": "Cumul ou niveau", "commentaire": "Commentaire", "exemple": "Exemple"})

st.subheader("Complétude des saisies")
ui.chart(figures.completude(view), view.completude, name="completude",
         columns={"fiche": "Fiche", "periode": "Période", "saisis": "Indicateurs saisis",
                  "attendus": "Indicateurs de la fiche", "part": "Part renseignée"})

st.subheader("Dernières valeurs")
if mots.strip():
    st.caption("Les indicateurs trouvés sont listés sous la recherche, en haut de la page.")
else:  # a table of text, which the browser's own search (Ctrl+F) finds too
    ui.table(view.dernieres_affichees, LATEST_COLUMNS)

st.subheader("Cibles fixées par la coordination")
st.caption("Une cible que la feuille de route n'écrit pas est décidée par la coordination : qui, quand, pourquoi. "
           "Chaque décision reste dans l'historique et peut être annulée.")
ui.flash()
ui.show_refusal()  # a confirmation refused: what the person saw had changed
history = ui.target_history()
if history.table.empty:
    st.info("Aucune cible fixée par la coordination pour l'instant.")
else:
    ui.dataframe(history.table, {
        "id": "N°", "indicateur": "Indicateur", "libelle": "Libellé", "cible": "Cible", "unite": "Unité",
        "echeance": "Échéance", "motif": "Motif", "auteur": "Fixée par", "fixee_le": "Le",
        "en_vigueur": "En vigueur", "annulee_le": "Annulée le", "annulee_par": "Annulée par"}, only=True,
        column_config={"Le": ui.datetime_column("Le"), "Annulée le": ui.datetime_column("Annulée le")})
if not ui.is_coordinator():
    ui.sign_in_form("Fixer, changer ou annuler une cible est réservé au rôle **coordination**.")
    st.stop()
choices = view.chiffrables()
annees = ui.reference().annees()
with st.form("cible"):
    code = st.selectbox("Indicateur", list(choices), placeholder=ui.CHOOSE, format_func=lambda c: choices[c])
    valeur = st.text_input("Cible", placeholder="par exemple 120, 1 234 ou 2,5")
    echeance = st.selectbox("Échéance", [None, *annees], placeholder=ui.CHOOSE,
                            format_func=lambda a: f"fin de la feuille de route ({annees[-1]})" if a is None else str(a))
    motif = st.text_area("Motif (obligatoire)", placeholder="par exemple : validée en comité technique du 2 décembre")
    ui.author_field()
    retirer = st.checkbox("Retirer la cible : plus aucune cible pour cet indicateur, pas même celle du texte")
    submitted = st.form_submit_button("Enregistrer la cible", type="primary", icon=":material/flag:")
if submitted:
    try:
        ui.set_target(code, valeur, echeance, motif, retirer)
    except (ui.NotAllowed, ui.RejectedInput) as exc:
        ui.refused(exc)
    else:
        st.rerun()
annulables = history.annulables
if annulables:
    decision = st.selectbox("Décision à annuler", list(annulables), placeholder=ui.CHOOSE,
                            format_func=lambda n: annulables[n])
    st.button("Annuler", icon=":material/undo:", on_click=ui.as_seen(ui.undo_target),
              args=(decision, history.en_vigueur(decision)))
