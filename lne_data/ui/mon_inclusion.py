"""Mon Inclusion Numérique on a page (the « Exports » page draws `min_section`): the JSON and the « fiche de saisie
MIN » to download, the pre-flight, and for the coordination each fiche's besoins to confirm and its identifiant MIN
to record, with who and when."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from .. import views
from ..mon_inclusion import BESOINS, RUBRIQUES
from ..outils import min as min_
from ..problems import RejectedInput
from .actions import (
    MIN_MESSAGE,
    NotAllowed,
    as_seen,
    author_field,
    confirm_min_besoins,
    flash,
    refused,
    set_min_identifiant,
    show_refusal,
    undo_min_besoins,
)
from .auth import is_coordinator, sign_in_form
from .data import connection
from .widgets import dataframe, datetime_column, download, md, today

# The tool whose section `min_section` draws on the Exports page.
MIN_OUTIL = min_.OUTIL
FICHE_COLUMNS = {"fiche": "Fiche", "intitule": "Intitulé", "identifiant": "Identifiant MIN", "besoins": "Besoins",
                 **{niveau: niveau.capitalize() for niveau in min_.NIVEAUX}}
HISTORY_COLUMNS = {"genre": "Décision", "id": "N°", "fiche": "Fiche", "valeur": "Besoins ou identifiant",
                   "auteur": "Par", "le": "Le", "annule_le": "Annulée le", "annule_par": "Annulée par",
                   "en_vigueur": "En vigueur"}


@st.cache_data(show_spinner=False)
def _min_export(jour: date) -> min_.MinExport:
    return min_.build(views.min_source(connection()), jour)


@st.cache_data(show_spinner=False)
def _min_history() -> pd.DataFrame:
    return views.min_decisions(connection()).historique


def min_export() -> min_.MinExport:
    """Every fiche as an action of MIN, with its pre-flight as of today (cached; cleared by every write)."""
    return _min_export(today())


def min_json() -> Callable[[], bytes]:
    """The actions of MIN as JSON, written when the download button is clicked."""
    return lambda: min_export().json_bytes()


def min_xlsx() -> Callable[[], bytes]:
    """The « fiche de saisie MIN » workbook, written when the download button is clicked."""
    return lambda: min_export().xlsx_bytes()


def min_preflight() -> list[dict[str, Any]]:
    """The pre-flight as plain data: one dict per point (fiche, intitule, code, niveau, message)."""
    return min_export().preflight


def min_section(*, fichiers: bool = True) -> None:
    """Mon Inclusion Numérique: the files (unless the page draws the registry's buttons itself: `fichiers=False`),
    what is left to do before typing them in MIN, and (coordination) each fiche's besoins and identifiant MIN."""
    st.subheader("Mon Inclusion Numérique")
    st.caption("Chaque fiche devient une action de Mon Inclusion Numérique, avec les noms de champs de son "
               "formulaire. MIN n'a pas d'import : la fiche de saisie Excel donne chaque champ à recopier, dans "
               "l'ordre du formulaire. Le budget global est celui de la page Budget ; une fiche que la feuille de "
               "route ne chiffre pas est dite « non chiffré dans la feuille de route », jamais 0 €.")
    flash(MIN_MESSAGE)
    show_refusal()  # an undo refused: the confirmation shown had changed meanwhile
    found = min_export()
    if fichiers:
        columns = st.columns(2)
        for where, (chosen, data) in zip(columns, ((min_.JSON, min_json()), (min_.FICHE_DE_SAISIE, min_xlsx()))):
            download(chosen.libelle, data, chosen.fichier, chosen.mime, where=where, key=f"min_{chosen.nom}")
    st.markdown(f"**Avant la saisie dans MIN** — {len(found.actions)} actions : {md(found.resume())}.")
    st.caption(" ; ".join(f"{md(n)} : {md(meaning)}" for n, meaning in min_.NIVEAUX.items()) + ".")
    dataframe(pd.DataFrame(found.par_fiche()), FICHE_COLUMNS, only=True)
    actions = {a.fiche: a for a in found.actions}
    numero = st.selectbox("Fiche", list(actions), key="min_fiche",
                          format_func=lambda n: f"Fiche {n} — {actions[n].intitule}")
    action = actions[numero]
    st.markdown("\n".join(f"- **{md(p.niveau)}** — {md(p.message)}" for p in action.points)
                or "Rien à faire pour cette fiche.")
    if not is_coordinator():
        sign_in_form("Confirmer les besoins d'une action ou noter son identifiant MIN est réservé au rôle "
                     "**coordination**.")
        return
    _fiche_editor(action)


def _fiche_editor(action: min_.MinAction) -> None:
    numero = action.fiche
    st.markdown(f"**Besoins et identifiant MIN de la fiche {numero}**")
    confirmed = action.confirmation
    if confirmed is None:
        st.info("Besoins pas encore confirmés. Proposés d'après la fiche : "
                + " ; ".join(f"{md(BESOINS[s.code])} ({md(s.raison)})" for s in action.suggestion) + ".",
                icon=":material/lightbulb:")
    else:
        st.success(f"Besoins confirmés par {md(confirmed.auteur)} le {confirmed.le:%d/%m/%Y à %H:%M} "
                   f"(confirmation n°{confirmed.decision}).", icon=":material/task_alt:")
    author_field()
    # Checkboxes under MIN's own four headings, as its form shows them (a multiselect's chips would be named
    # « Remove … » in English, which no option translates).
    current = set(action.action["besoins"])
    version = confirmed.decision if confirmed else 0
    with st.form(f"min_besoins_{numero}"):
        st.markdown("Besoins de l'action dans MIN (au moins un) :")
        chosen = []
        for rubrique, codes in RUBRIQUES.items():
            st.caption(md(rubrique))
            chosen += [code for code, label in codes.items()
                       if st.checkbox(label, value=code in current, key=f"min_{numero}_{version}_{code}")]
        confirm = st.form_submit_button("Confirmer ces besoins", type="primary", icon=":material/task_alt:")
    if confirm:
        _write_then_rerun(lambda: confirm_min_besoins(numero, chosen))
    if confirmed is not None:
        st.button("Annuler la confirmation", icon=":material/undo:", key=f"min_annuler_{numero}",
                  on_click=as_seen(undo_min_besoins), args=(numero, confirmed.decision))
    recorded = action.identifiant
    with st.form(f"min_identifiant_{numero}"):
        typed = st.text_input("Identifiant de l'action dans MIN", value=recorded.identifiant if recorded else "",
                              placeholder="recopié depuis MIN une fois l'action créée")
        if recorded is not None:
            st.caption(f"Noté par {md(recorded.auteur)} le {recorded.le:%d/%m/%Y à %H:%M}.")
        retirer = st.checkbox("Retirer l'identifiant (l'action n'existe plus dans MIN)")
        record = st.form_submit_button("Enregistrer l'identifiant", icon=":material/tag:")
    if record:
        _write_then_rerun(lambda: set_min_identifiant(numero, "" if retirer else typed, retirer))
    with st.expander("Historique des décisions pour Mon Inclusion Numérique"):
        dataframe(_min_history(), HISTORY_COLUMNS, only=True,
                  column_config={"Le": datetime_column("Le"), "Annulée le": datetime_column("Annulée le")})


def _write_then_rerun(write: Callable[[], object]) -> None:
    try:
        write()
    except (NotAllowed, RejectedInput) as exc:
        refused(exc)
    else:
        st.rerun()
