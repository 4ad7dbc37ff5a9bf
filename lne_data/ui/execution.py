"""The execution on the pages (sheet « Dépenses » of the quarterly files): the Budget page's « prévu / engagé /
payé » and the Charge RH page's « ETP prévus / mobilisés », each one section under the page's planned figures."""

from __future__ import annotations

import streamlit as st

from .. import formatting, periodes, views
from ..figures.execution import engage_paye_par_annee, etp_prevus_mobilises, prevu_engage_paye_par_axe
from .data import connection, reference
from .widgets import chart, this_quarter

AXE_COLUMNS = {"libelle": "Axe", "prevu_eur": "Prévu (€)", "engage_eur": "Engagé (€)", "paye_eur": "Payé (€)",
               "taux_engage": "Part engagée du prévu", "taux_paye": "Part payée du prévu"}
ANNEE_COLUMNS = {"annee": "Année", "engage_eur": "Engagé (€)", "paye_eur": "Payé (€)"}
ETP_COLUMNS = {"structure": "Structure", "etp_prevus": "ETP prévus", "etp_mobilises": "ETP mobilisés"}
DECLARED = ("Déclaré par les porteurs dans la feuille « Dépenses » de leur fichier trimestriel (montants du "
            "trimestre, additionnés). Un montant non déclaré n'est jamais compté 0 €.")


@st.cache_data(show_spinner=False)
def execution(filters: views.Filters) -> views.ExecutionView:
    return views.execution(connection(), reference(), filters)


def execution_budget_section(filters: views.Filters, budget: views.BudgetView) -> None:
    """Prévu (`BudgetView.prevu`, the page's figure), engagé and payé per axe; engagé and payé per year, this
    year's first."""
    view = execution(filters)
    st.subheader("Exécution : prévu, engagé, payé")
    st.caption(DECLARED)
    year = int(this_quarter()[:4])
    current = view.annee(year)
    cols = st.columns(3)
    cols[0].metric(f"Engagé en {year}", formatting.declared_euros(current["engage_eur"]))
    cols[1].metric(f"Payé en {year}", formatting.declared_euros(current["paye_eur"]))
    paid = (current["paye_eur"] / current["engage_eur"] if current["paye_eur"] is not None
            and current["engage_eur"] else None)
    cols[2].metric(f"Part payée de l'engagé en {year}", "—" if paid is None else formatting.percent(100 * paid))
    table = views.prevu_engage_paye(budget, view)
    title = f"Prévu {budget.periode}, engagé et payé par axe"
    chart(prevu_engage_paye_par_axe(table, title), table, name="execution_par_axe", columns=AXE_COLUMNS)
    chart(engage_paye_par_annee(view.par_annee), view.par_annee, name="execution_par_annee", columns=ANNEE_COLUMNS)


def execution_charge_section(filters: views.Filters, charge: views.ChargeView) -> None:
    """ETP prévus (the roadmap's counted lines) and mobilisés (declared for the last quarter) per structure."""
    view = execution(filters)
    st.subheader("ETP prévus et mobilisés")
    st.caption(("ETP réellement mobilisés déclarés par les porteurs pour " + periodes.label(view.periode_etp)
                if view.periode_etp else "Aucun ETP mobilisé déclaré pour l'instant")
               + " (feuille « Dépenses » du fichier trimestriel), à côté des ETP que prévoit la feuille de route.")
    table = views.etp_prevus_mobilises(charge, view)
    chart(etp_prevus_mobilises(table, view.periode_etp), table, name="etp_prevus_mobilises", columns=ETP_COLUMNS)
