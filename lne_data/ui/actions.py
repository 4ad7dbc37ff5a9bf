"""The dashboard's writes: checking an upload, importing it, undoing an import, a roadmap version, a target, closing
a quarter; and the messages a page shows after one (`done`, `flash`, `refused`).

Every write goes through `_write`: the role checked on the server right before writing, whatever the page showed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import TypeVar

import duckdb
import streamlit as st

from .. import cibles, clotures, comptes, depots, mon_inclusion, saisie, versions
from ..problems import NotFound, Problem, Refused, RejectedInput
from ..referentiel import read_referentiel
from .auth import is_coordinator, personal
from .data import connection, writing
from .widgets import md, today

T = TypeVar("T")

# Where a write's confirmation waits for the next run of the page (`flash`).
WRITE_MESSAGE = "_message_ecriture"
TARGET_MESSAGE = "_message_cible"
VERSION_MESSAGE = "_message_version"
CLOSURE_MESSAGE = "_message_cloture"
MIN_MESSAGE = "_message_min"
ACCOUNT_MESSAGE = "_message_compte"
DEPOT_MESSAGE = "_message_depot"
REFUSAL = "_refus_ecriture"
_REFERENTIEL_KEY = "_referentiel_verifie"
_AUTHOR_FIELD = "auteur"  # the field's key on the page
_AUTHOR = "_auteur_de_la_session"  # the name kept for the session, whichever page is open
# The uploader of the quarterly file is drawn afresh (a new key) once its file is imported: the page goes back to
# « déposer un fichier », the confirmation under it, where the person is reading.
UPLOAD_GENERATION = "_depot_numero"
_VERIFICATION_KEY = "_verification"


class NotAllowed(Exception):
    pass


def _check_role(refusal: str) -> None:
    if not is_coordinator():
        raise NotAllowed(refusal)


def author_field(label: str = "Votre nom (enregistré dans l'historique)") -> str:
    """The name a write is recorded under, typed once for the session: Streamlit forgets a field's value on a page
    that does not draw it, so the name is kept apart (`_AUTHOR`) and the field shows it again on every page that
    writes (an import on Saisie, its undo on Historique, a target, a closure). A person signed in personally types
    nothing: her account's name is recorded."""
    signed = personal()
    if signed is not None:
        st.caption(f"Enregistré au nom de **{md(signed.nom)}** (votre compte).")
        return signed.nom
    # Set again before the field is drawn: on another page the field is another widget, which would start empty.
    st.session_state[_AUTHOR_FIELD] = st.session_state.get(_AUTHOR_FIELD) or st.session_state.get(_AUTHOR) or ""
    name = str(st.text_input(label, key=_AUTHOR_FIELD) or "").strip()
    if name:
        st.session_state[_AUTHOR] = name
    return name


def author_name(default: str = "coordination") -> str:
    """Who is writing: the account's name of a person signed in personally; else as typed in `author_field` (on this
    run, or on an earlier page); `default` if nobody typed a name."""
    signed = personal()
    if signed is not None:
        return signed.nom
    typed = str(st.session_state.get(_AUTHOR_FIELD) or st.session_state.get(_AUTHOR) or "").strip()
    return typed or default


def _write(refusal: str, write: Callable[[duckdb.DuckDBPyConnection, str], T]) -> T:
    """`write(con, author)` for the coordination role only, through the single writer (`data.writing`: in shared
    mode the master, published for every process); every cached view is stale afterwards and cleared there."""
    _check_role(refusal)
    with writing() as con:
        return write(con, author_name())


def check_upload(data: bytes, name: str) -> tuple[saisie.Validation, saisie.Preview | None]:
    """Check an uploaded file (parsed in a child process) and, if valid, what it would change.

    The page reruns at every click while the file stays in the uploader (typing one's name, « Importer »): the
    check of the same bytes on the same day against the same roadmap is kept for the session, since it costs
    seconds for a national file; once another version of the roadmap is in force (applied in another tab), the file
    is checked again and the page says so. The preview is always recomputed: the entries may have changed since.
    """
    con = connection()
    key = (hashlib.sha256(data).hexdigest(), name, today())
    kept = st.session_state.get(_VERIFICATION_KEY)
    if kept is not None and kept[0] == key and kept[1].referentiel == saisie.in_force(con):
        validation = kept[1]
    else:
        if kept is not None and kept[0] == key:
            st.info("La feuille de route a changé depuis la vérification de ce fichier : il vient d'être vérifié de "
                    "nouveau contre la version en vigueur. Relisez le résultat ci-dessous.", icon=":material/refresh:")
        with st.spinner("Vérification du fichier…", show_time=True):
            validation = saisie.check_file(data, name, saisie.load_context(con, today=key[2]))
        st.session_state[_VERIFICATION_KEY] = (key, validation)
    return validation, (saisie.preview(con, validation) if validation.ok else None)


def import_checked(validation: saisie.Validation) -> saisie.ImportResult:
    """Import the file as it was checked and previewed on the screen the person confirmed from (`as_seen`); the
    import refuses it if the roadmap changed since (`import-version-changee`). The confirmation waits for the page's
    next run (`flash(WRITE_MESSAGE)`)."""
    result = _write("L'import est réservé au rôle coordination.",
                    lambda con, author: saisie.import_file(con, validation, auteur=author))
    st.session_state[WRITE_MESSAGE] = (
        "Rien à importer : toutes les valeurs de ce fichier sont déjà enregistrées." if result.import_id is None
        else f"Import n°{result.import_id} enregistré : {result.nouvelles} nouvelle(s), {result.modifiees} "
             f"modifiée(s), {result.inchangees} inchangée(s). Les graphiques sont à jour.")
    st.session_state[UPLOAD_GENERATION] = st.session_state.get(UPLOAD_GENERATION, 0) + 1
    return result


def upload_key(name: str) -> str:
    """The key of the page's uploader, new after each import (`UPLOAD_GENERATION`)."""
    return f"{name}_{st.session_state.get(UPLOAD_GENERATION, 0)}"


def undo_text(import_id: int, undone: saisie.Undone) -> str:
    """« Import n°2 annulé : ses 13 valeur(s) retirée(s) ou remises comme avant, et les 291 données d'exemple
    qu'il avait remplacées de retour. »"""
    said = f"Import n°{import_id} annulé : {undone.valeurs} valeur(s) de cet import retirée(s) ou remise(s) comme avant"
    if undone.exemples:
        said += f", et les {undone.exemples} données d'exemple qu'il avait remplacées sont de retour"
    return said + "."


def undo(import_id: int) -> saisie.Undone:
    undone = _write("L'annulation est réservée au rôle coordination.",
                    lambda con, author: saisie.undo_import(con, import_id, auteur=author))
    st.session_state[WRITE_MESSAGE] = undo_text(import_id, undone)
    return undone


def check_referentiel(data: bytes) -> tuple[list[Problem], versions.Difference | None, versions.Risks]:
    """An uploaded reference workbook, checked (parsed in a child process), what it would change in the version
    in force, and what it would do to the entries and targets recorded. The check is kept for the session while the
    same file stays in the uploader; the difference and the risks are always recomputed, since the version in force
    and the entries may have changed meanwhile."""
    key = hashlib.sha256(data).hexdigest()
    kept = st.session_state.get(_REFERENTIEL_KEY)
    if kept is None or kept[0] != key:
        try:
            with st.spinner("Vérification du classeur…", show_time=True):
                kept = (key, read_referentiel(data, isolated=True), [])
        except RejectedInput as exc:
            kept = (key, None, exc.problems)
        st.session_state[_REFERENTIEL_KEY] = kept
    if kept[1] is None:
        return kept[2], None, versions.Risks()
    con = connection()
    return [], versions.difference_with_in_force(con, kept[1]), versions.risks_of(con, kept[1])


def referentiel_warnings(data: bytes) -> list[Problem]:
    """What the workbook `check_referentiel` accepted was read with a warning (a Territoires en Transitions plan:
    every cell the référentiel cannot take); empty for any other file."""
    kept = st.session_state.get(_REFERENTIEL_KEY)
    if kept is None or kept[0] != hashlib.sha256(data).hexdigest() or kept[1] is None:
        return []
    return list(kept[1].avertissements)


def apply_referentiel(data: bytes, hors_periode: bool = False) -> int | None:
    """Make the checked workbook the new version (`hors_periode`: the person agreed that entries fall outside its
    years). Its number, or None when it changed nothing."""
    refusal = "Le chargement d'une version de la feuille de route est réservé au rôle coordination."
    _check_role(refusal)  # before looking at the workbook: a visitor without the role learns nothing else
    kept = st.session_state.get(_REFERENTIEL_KEY)
    if kept is None or kept[0] != hashlib.sha256(data).hexdigest() or kept[1] is None:
        raise NotAllowed("Vérifiez d'abord le classeur.")
    checked = kept[1]
    changed = _write(refusal, lambda con, author: versions.load(con, checked, auteur=author,
                                                                   hors_periode=hors_periode))
    current = versions.in_force(connection())
    numero = int(current["numero"]) if changed and current else None
    st.session_state[VERSION_MESSAGE] = (f"Version n°{numero} enregistrée : elle est en vigueur." if numero
                                         else "Ce classeur ne changeait rien : aucune version n'a été créée.")
    return numero


def undo_version(numero: int, hors_periode: bool = False) -> int:
    previous = _write("L'annulation d'une version est réservée au rôle coordination.",
                      lambda con, author: versions.undo(con, numero, author, hors_periode=hors_periode))
    st.session_state[VERSION_MESSAGE] = (f"Version n°{numero} annulée : la version n°{previous} est de nouveau en "
                                         "vigueur.")
    return previous


def set_target(code: str, valeur: str, echeance: int | None, motif: str, retirer: bool) -> int:
    """Record the coordination's target. The confirmation is kept for the next run of the page (`flash`), which the
    page asks for so that every table shows the new target."""
    decision = _write("Fixer ou retirer une cible est réservé au rôle coordination.",
                      lambda con, author: cibles.set_target(con, code, valeur, echeance, motif, author,
                                                            retirer=retirer))
    st.session_state[TARGET_MESSAGE] = (
        f"Décision n°{decision} enregistrée : {code} " + ("n'a plus de cible." if retirer else "a une nouvelle cible."))
    return decision


def undo_target(decision: int, en_vigueur_vue: int | None) -> str:
    code = _write("L'annulation d'une cible est réservée au rôle coordination.",
                  lambda con, author: cibles.undo_target(con, decision, author, en_vigueur_vue=en_vigueur_vue))
    st.session_state[TARGET_MESSAGE] = (f"Décision n°{decision} annulée : la cible de {code} est de nouveau la "
                                        "précédente (celle de la coordination, sinon celle du texte).")
    return code


def confirm_min_besoins(fiche: int, besoins: list[str]) -> int:
    """Record the besoins the coordination confirms for the fiche's action in Mon Inclusion Numérique, in the name
    typed on the page (required: the decision is kept with who and when)."""
    decision = _write("Confirmer les besoins d'une action est réservé au rôle coordination.",
                      lambda con, _: mon_inclusion.confirm_besoins(con, fiche, besoins, author_name(default="")))
    st.session_state[MIN_MESSAGE] = f"Besoins de la fiche {fiche} confirmés (confirmation n°{decision})."
    return decision


def undo_min_besoins(fiche: int, en_vigueur_vue: int | None) -> int:
    """Undo the confirmation the page showed (`as_seen`): refused if another one is in force since."""
    decision = _write("L'annulation d'une confirmation est réservée au rôle coordination.",
                      lambda con, _: mon_inclusion.undo_besoins(con, fiche, author_name(default=""),
                                                                en_vigueur_vue=en_vigueur_vue))
    st.session_state[MIN_MESSAGE] = (f"Confirmation n°{decision} des besoins de la fiche {fiche} annulée : la "
                                     "précédente revient, sinon les besoins proposés d'après la fiche.")
    return decision


def set_min_identifiant(fiche: int, identifiant: str, retirer: bool) -> int:
    decision = _write("Noter l'identifiant MIN d'une action est réservé au rôle coordination.",
                      lambda con, _: mon_inclusion.set_identifiant(con, fiche, identifiant, author_name(default=""),
                                                                   retirer=retirer))
    st.session_state[MIN_MESSAGE] = (f"Fiche {fiche} : identifiant MIN retiré." if retirer
                                     else f"Fiche {fiche} : identifiant MIN enregistré.")
    return decision


def close_quarter(periode: str, comite_le: date, reference_: str, auteur: str) -> int:
    """Freeze the quarter, in the name of `auteur` (typed on the page; the account's name of a person signed in
    personally, whatever was typed). The page then shows the new closure, chosen, with its confirmation (`flash`) on
    its next run, which the page asks for: everything it drew before (the register, the choice of closure) is
    stale."""
    closure_id = _write("La clôture d'un trimestre est réservée au rôle coordination.",
                        lambda con, signed: clotures.close_quarter(
                            con, periode, comite_le=comite_le, reference=reference_,
                            auteur=signed if personal() is not None else auteur))
    st.query_params["cloture"] = str(closure_id)
    st.session_state.pop("cloture", None)  # the choice widget then follows the URL
    st.session_state[CLOSURE_MESSAGE] = (f"Trimestre clôturé (clôture n°{closure_id}). Il restera consultable tel "
                                         "quel, et ses rapports ne changeront plus.")
    return closure_id


def add_account(email: str, nom: str, role: str, structures: list[str]) -> comptes.Person:
    """Create or change an account (the Comptes page). Refused whole, with every problem, like the command line."""
    person, before = _write("La gestion des comptes est réservée au rôle coordination.",
                            lambda con, author: comptes.add(con, email, nom, role, structures, auteur=author))
    st.session_state[ACCOUNT_MESSAGE] = (
        f"Compte créé : {person.email} — {person.label()}." if before is None
        else f"Compte modifié : {person.email} — {before.label()} → {person.label()}.")
    return person


def remove_account(email: str) -> comptes.Person:
    """Remove an account: the person loses her role at her next request (`ui.auth.person`, the upload gate)."""
    removed = _write("La gestion des comptes est réservée au rôle coordination.",
                     lambda con, author: comptes.remove(con, email, auteur=author))
    st.session_state[ACCOUNT_MESSAGE] = (f"Compte retiré : {removed.email} — {removed.nom} n'a plus de rôle, dès sa "
                                         "prochaine action.")
    return removed


def check_submission(data: bytes, name: str) -> tuple[saisie.Validation, saisie.Preview | None]:
    """A porteur's file checked as the coordination's upload is, and against her structures (`depots.check`); what
    it would change once validated. Kept for the session while the same file stays in the uploader."""
    signed = personal()
    if signed is None or signed.role != "porteur":
        raise NotAllowed("Le dépôt d'un trimestre est réservé aux comptes porteurs.")
    con = connection()
    key = ("depot", hashlib.sha256(data).hexdigest(), name, today(), signed.email, signed.structures)
    kept = st.session_state.get(_VERIFICATION_KEY)
    if kept is not None and kept[0] == key and kept[1].referentiel == saisie.in_force(con):
        validation = kept[1]
    else:
        with st.spinner("Vérification du fichier…", show_time=True):
            validation = depots.check(con, signed.email, data, name, today=key[3])
        st.session_state[_VERIFICATION_KEY] = (key, validation)
    return validation, (saisie.preview(con, validation) if validation.ok else None)


def submit_quarter(data: bytes, name: str) -> int:
    """Put the porteur's file in the queue « à valider »: her account read again and the file checked again, whole,
    on the server (`depots.submit`), whatever the page showed."""
    signed = personal()
    if signed is None or signed.role != "porteur":
        raise NotAllowed("Le dépôt d'un trimestre est réservé aux comptes porteurs.")
    try:
        with writing() as con:
            depot_id = depots.submit(con, signed.email, data, name, today=today())
    except Refused as exc:
        raise NotAllowed(str(exc)) from exc
    st.session_state[DEPOT_MESSAGE] = (f"Fichier déposé (dépôt n°{depot_id}) : la coordination le vérifie puis "
                                       "l'importe, ou vous le renvoie avec un message sur cette page.")
    st.session_state[UPLOAD_GENERATION] = st.session_state.get(UPLOAD_GENERATION, 0) + 1
    return depot_id


def depot_preview(depot_id: int) -> tuple[str, saisie.Validation, saisie.Preview | None]:
    """A submission as the coordination reviews it: checked again against the roadmap in force, what it would
    change."""
    _check_role("La validation des dépôts est réservée au rôle coordination.")
    con = connection()
    fichier, data = depots.content(con, depot_id)
    validation = saisie.check_file(data, fichier, saisie.load_context(con, today=today()))
    return fichier, validation, (saisie.preview(con, validation) if validation.ok else None)


def accept_depot(depot_id: int) -> saisie.ImportResult:
    result = _write("La validation des dépôts est réservée au rôle coordination.",
                    lambda con, author: depots.accept(con, depot_id, author, today=today()))
    st.session_state[DEPOT_MESSAGE] = (
        f"Dépôt n°{depot_id} validé" + (f" : import n°{result.import_id} enregistré ({result.nouvelles} nouvelle(s), "
                                        f"{result.modifiees} modifiée(s))." if result.import_id is not None
                                        else " : ses valeurs étaient déjà toutes enregistrées."))
    return result


def send_back_depot(depot_id: int, message: str) -> None:
    _write("La validation des dépôts est réservée au rôle coordination.",
           lambda con, author: depots.send_back(con, depot_id, author, message))
    st.session_state[DEPOT_MESSAGE] = f"Dépôt n°{depot_id} renvoyé au porteur avec votre message."


def as_seen(action: Callable[..., object]) -> Callable[..., None]:
    """A confirmation button's `on_click`, given what the confirmation names as its `args` (the version, the
    decision, the import). Streamlit calls it with the `args` of the run that drew the button: the write acts on
    what the person saw, not on what a rerun finds after another tab or process changed the state; the write
    itself refuses an item no longer in force. A refusal waits for the page (`show_refusal`)."""
    def on_click(*seen: object) -> None:
        try:
            action(*seen)
        except (NotAllowed, RejectedInput, NotFound) as exc:
            st.session_state[REFUSAL] = exc
    return on_click


def show_refusal() -> None:
    """Why the write confirmed on the previous screen (`as_seen`) was refused, if it was."""
    refusal = st.session_state.pop(REFUSAL, None)
    if refusal is not None:
        refused(refusal)


def flash(key: str = TARGET_MESSAGE) -> bool:
    """The confirmation of a write made on the previous run of the page, shown once; whether there was one."""
    message = st.session_state.pop(key, None)
    if message:
        st.success(md(message), icon=":material/check_circle:")
    return bool(message)


def refused(exc: Exception) -> None:
    """Why a write was refused, every problem on its own line."""
    found = exc.problems if isinstance(exc, RejectedInput) else []
    lines = [f"- {md(p.message)}" for p in found if p.is_error] or [md(str(exc))]
    st.error("Rien n'a été enregistré.\n\n" + "\n".join(lines), icon=":material/block:")
