"""Charge RH: staffing (ETP) per structure and per fiche, and the coordinating structure's load against its capacity."""

import streamlit as st

from lne_data import figures, ui

filters = ui.setup("Charge RH")
ref = ui.reference()
coordinatrice = ui.md(ref.feuille_de_route["structure_coordinatrice"])
capacite = ui.decimal_input(f"ETP disponibles chez {coordinatrice}", key="capacite", unit="ETP", min_value=0.0,
                            max_value=100.0, placeholder="par exemple 2,5",
                            help="La feuille de route ne fixe pas de capacité : saisissez les ETP réellement "
                                 "disponibles pour les comparer aux engagements.")
view = ui.charge(filters, capacite)

cols = st.columns(3)
cols[0].metric(f"ETP attribués à {coordinatrice}", ui.etp(view.coordinatrice_etp))
cols[1].metric("Avec le co-portage non réparti", ui.etp(view.coordinatrice_etp_possible),
               help="Certaines fiches co-portées donnent un ETP sans dire quelle structure le porte.")
cols[2].metric("Capacité saisie", ui.etp(view.capacite) if view.capacite is not None else "—")
# An implausible capacity is compared with the commitments only once confirmed (a lost comma turns 2,5 into 25).
confirmed = True
if view.question_capacite:
    st.warning(view.question_capacite, icon=":material/help:")
    confirmed = st.checkbox(f"Oui, la capacité disponible est bien de {ui.etp(view.capacite)}",
                            key=f"capacite_confirmee_{view.capacite}")
if view.capacite is None:
    st.info("Saisissez la capacité disponible pour vérifier que les engagements y tiennent.", icon=":material/info:")
elif not confirmed:
    st.info("Corrigez la capacité ou confirmez-la pour la comparer aux engagements.", icon=":material/info:")
elif view.surcharge:
    st.error(f"Surcharge : les engagements attribués ({ui.etp(view.coordinatrice_etp)}) dépassent la capacité "
             f"({ui.etp(view.capacite)}).", icon=":material/warning:")
elif view.surcharge_possible:
    st.warning(f"Surcharge possible si {coordinatrice} assure le co-portage non réparti "
               f"({ui.etp(view.coordinatrice_etp_possible)} pour {ui.etp(view.capacite)}).", icon=":material/warning:")
else:
    st.success("Les engagements tiennent dans la capacité saisie.", icon=":material/check_circle:")

ui.chart(figures.charge_coordinatrice(view), view.par_fiche, name="etp_lignes", columns=ui.ETP_LINE_COLUMNS)
ui.chart(figures.etp_par_structure(view), view.par_structure, name="etp_par_structure",
         columns=ui.ETP_STRUCTURE_COLUMNS)
ui.chart(figures.etp_par_fiche(view), view.par_fiche, name="etp_par_fiche", columns=ui.ETP_LINE_COLUMNS)
if view.partage:
    st.caption(f"Dont {ui.etp(view.partage)} que la feuille de route dit « également investis sur d'autres "
               "actions » : comptés dans ces totaux, mais pas propres à ces fiches.")

if view.demandes_par_structure:
    st.info("ETP demandés à chaque structure partenaire (non additionnés ci-dessus) : "
            + " ; ".join(f"fiche {d.fiche} : {ui.etp(d.etp)} par structure ({ui.md(d.structure)})"
                         for d in view.demandes_par_structure))
ui.execution_charge_section(filters, view)

st.subheader("Temps de travail non chiffré par la feuille de route")
ui.table(view.non_chiffre, {"fiche": "Fiche", "libelle": "Ligne", "source": "Texte de la feuille de route"})

ui.version_comparison_section(filters, ("fiches", "etp"))
