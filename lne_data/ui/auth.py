"""Roles, the Streamlit side: who is signed in, the sign-in form and its throttle, signing out.

Two ways in. A shared password (`mot-de-passe`), the default, gives a role to this browser session. When an OpenID
Connect provider is configured (`[auth]` of secrets.toml: ProConnect), a person signs in with Streamlit's `st.login`
and gets the role of her account (`comptes`), read again from the database at every run of a page and before every
write: a removed account, or a sign-in older than the session's length (`auth.expired`), loses its role at its next
request. The rules themselves (password hashes, the throttle's waits, which role may write, when a sign-in expires)
live in `lne_data.auth`, tested without Streamlit; the role is checked on the server before every write (`actions`),
never inferred from what the page displays.
"""

from __future__ import annotations

import hmac
import uuid
from typing import Any

import streamlit as st
from streamlit import config as streamlit_config
from streamlit.errors import StreamlitSecretNotFoundError
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.uploaded_file_manager import UploadedFile

from .. import auth, comptes, db, formatting, server
from .data import connection

# The password hash a session's role was granted with (`auth.credential`), checked at every run and before every
# write: a new password ends the sessions opened with the old one.
SIGNED_IN_WITH = "_connecte_avec"
SIGNED_OUT_MESSAGE = "_message_deconnexion"
# The e-mail of the person signed in personally at the previous run (or « sans compte: »…): a change is told once.
_PERSON = "_personne"


@st.cache_resource
def _throttle() -> auth.Throttle:
    """One per server process, holding a counter per client: opening a new tab does not start afresh."""
    return auth.Throttle()


def _client() -> str:
    """Who is signing in, for the throttle: the address (see auth.client_key), else this browser session."""
    if "_client" not in st.session_state:
        st.session_state["_client"] = uuid.uuid4().hex
    return auth.client_key(st.context.ip_address, st.context.headers.get_all("X-Forwarded-For"),
                           st.session_state["_client"])


def settings() -> auth.Settings:
    try:
        secrets: Any = dict(st.secrets)
    except StreamlitSecretNotFoundError as exc:
        # No secrets.toml at all is the normal case on a fresh install. A file Streamlit cannot parse is not: read
        # as none, it would silently drop the passwords it holds, so it stops the page with its traceback.
        if exc.error_id != "no-secrets-found":
            raise
        secrets = {}
    return auth.Settings.load(secrets)


def _session_id() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def _forget_role() -> None:
    st.session_state.pop("role", None)
    st.session_state.pop(SIGNED_IN_WITH, None)
    session = _session_id()
    if session is not None:
        auth.UPLOAD_RIGHTS.forbid(session)


def role() -> auth.Role | None:
    config = settings()
    current = st.session_state.get("role")
    if current:
        signed_in_with = st.session_state.get(SIGNED_IN_WITH)
        now = auth.credential(config, current)
        if signed_in_with and now and hmac.compare_digest(str(signed_in_with).encode(), now.encode()):
            return current
        # Signed in with a password that is no longer the role's (changed or removed): signed out, told why.
        _forget_role()
        st.session_state[SIGNED_OUT_MESSAGE] = (
            f"Le mot de passe du rôle {current} a changé depuis votre connexion : vous avez été déconnecté(e). "
            "Reconnectez-vous avec le nouveau mot de passe." if now else
            f"Le rôle {current} n'a plus de mot de passe sur ce serveur : vous avez été déconnecté(e).")
    found = person()
    if found is not None:
        return found.role
    return None if config.lecture_protegee else "lecture"


def _claims() -> dict[str, Any] | None:
    """What the provider said of the person signed in personally in this browser (Streamlit's identity cookie,
    read when the session started), or None."""
    user = getattr(st, "user", None)
    if user is None:
        return None
    claims = dict(user.to_dict())
    return claims if claims.get("is_logged_in") else None


def _account(email: str) -> comptes.Person | None:
    try:
        return comptes.find(connection(), email) if email else None
    except db.DatabaseUnavailable:
        return None


def person() -> comptes.Person | None:
    """The person signed in personally, with the role of her account as the database says it now; None when nobody
    is, when her sign-in has expired, or when she has no account (she then reads what is public). What changed
    since the previous run (expired, removed, no account) is told once (`signed_out_notice`)."""
    config = settings()
    claims = _claims() if config.fournisseur else None
    if claims is None:
        st.session_state.pop(_PERSON, None)
        return None
    email = comptes.normalized_email(str(claims.get("email") or ""))
    previous = st.session_state.get(_PERSON)
    if auth.expired(claims, config):
        if previous != f"expiree:{email}":
            st.session_state[SIGNED_OUT_MESSAGE] = (
                f"Votre connexion date de plus de {_hours(config.duree_session_h)} : reconnectez-vous avec "
                f"{config.fournisseur} pour retrouver votre rôle.")
        st.session_state[_PERSON] = f"expiree:{email}"
        return None
    found = auth.person_for(claims, _account(email), config)
    if found is None:
        if previous == email:
            st.session_state[SIGNED_OUT_MESSAGE] = (
                "Votre compte a été retiré de ce tableau de bord : vous n'y avez plus de rôle. Pour le retrouver, "
                "adressez-vous à la coordination.")
        elif previous != f"sans-compte:{email}":
            st.session_state[SIGNED_OUT_MESSAGE] = (
                f"Vous êtes connecté(e) avec l'adresse {email or '(sans adresse e-mail)'}, qui n'a pas de compte sur "
                "ce tableau de bord : demandez-en un à la coordination.")
        st.session_state[_PERSON] = f"sans-compte:{email}"
        return None
    st.session_state[_PERSON] = found.email
    return found


def personal() -> comptes.Person | None:
    """The person whose name a write records: signed in personally, unless this session holds a shared password's
    role (which then decides, as `role` does)."""
    return None if st.session_state.get("role") else person()


def _hours(hours: float) -> str:
    return f"{hours:g} h".replace(".", ",")


def is_coordinator() -> bool:
    return auth.can_write(role())


def sign_in_form(reason: str) -> None:
    """The personal sign-in's button when a provider is configured; a password form when a password is; the role a
    password grants lives in this browser session only."""
    config = settings()
    if config.fournisseur:
        signed = person()
        if signed is None:
            st.markdown(reason)
            if st.button(f"S'identifier avec {config.fournisseur}", icon=":material/badge:", type="primary"):
                st.login()
        else:
            st.info(f"{reason} Vous êtes connecté(e) : {formatting.escape_markdown(signed.label())}.",
                    icon=":material/badge:")
        if not config.coordination_hash and not config.lecture_hash:
            return
        reason = "Ou avec le mot de passe partagé du rôle :"
    if not config.coordination_hash and not config.lecture_hash:
        st.info(
            f"{reason} Aucun mot de passe n'est configuré sur ce serveur : la personne qui l'administre le crée "
            "avec « ./scripts/lne mot-de-passe --ecrire » (voir le README).",
            icon=":material/lock:",
        )
        return
    with st.form("connexion"):
        st.markdown(reason)
        password = st.text_input("Mot de passe", type="password")
        submitted = st.form_submit_button("Se connecter", icon=":material/login:")
    if submitted:
        granted, message = auth.sign_in(password, config, _throttle(), _client())
        if granted:
            st.session_state["role"] = granted
            st.session_state[SIGNED_IN_WITH] = auth.credential(config, granted)
            st.session_state.pop(SIGNED_OUT_MESSAGE, None)
            st.rerun()
        st.error(message)


def sign_out_button() -> None:
    """Signing out: of the shared password's role, in this session; of a personal sign-in, everywhere
    (`st.logout` deletes Streamlit's identity cookie, then the provider's session through its end_session_endpoint)."""
    if st.session_state.get("role"):
        if st.sidebar.button("Se déconnecter", icon=":material/logout:"):
            _forget_role()
            st.rerun()
        return
    signed = person()
    if signed is not None:
        st.sidebar.caption(f"Connecté(e) : {formatting.escape_markdown(signed.label())}")
    if _claims() is not None and st.sidebar.button("Se déconnecter", icon=":material/logout:", key="deconnexion"):
        auth.UPLOAD_RIGHTS.forbid(_session_id() or "")
        st.session_state.pop(_PERSON, None)
        st.logout()


def signed_out_notice() -> None:
    """Why this session lost its role, once (`role`)."""
    message = st.session_state.pop(SIGNED_OUT_MESSAGE, None)
    if message:
        st.warning(message, icon=":material/key_off:")


def _may_upload(email: str) -> bool:
    """For the server's gate, outside any page run: the account of `email` in force, as coordination or porteur
    (or the e-mail listed in `coordinateurs`)."""
    account = _account(email)
    if account is not None:
        return account.role in ("coordination", "porteur")
    return email in settings().coordinateurs_oidc


# The server's gate (`lne_data.server`) compares each upload's session with the coordination hash in force, or the
# account of the person signed in personally.
auth.UPLOAD_RIGHTS.current = lambda: settings().coordination_hash
auth.UPLOAD_RIGHTS.person_may_upload = _may_upload


def uploader(label: str, key: str) -> UploadedFile | None:
    """The pages' only file uploader (`.xlsx`): drawn for the coordination role, or for a porteur (her quarter), its
    session allowed to upload by the server's gate right before. A server started without the gate (`streamlit run
    app.py`) would keep anyone's uploads in memory: it draws none and says how to start it."""
    current = role()
    if not (auth.can_write(current) or auth.can_submit(current)):
        return None
    # (AppTest patches `streamlit.config.get_option`, not `st.get_option`, which is bound apart.)
    if not server.installed and not streamlit_config.get_option("global.appTest"):
        st.error("Le dépôt de fichiers est désactivé : ce serveur a été démarré sans sa protection des dépôts "
                 "(« streamlit run app.py »). La personne qui l'administre le démarre par « ./scripts/run.sh » "
                 "(« streamlit run server.py »).", icon=":material/block:")
        return None
    session = _session_id()
    signed = None if st.session_state.get(SIGNED_IN_WITH) else person()
    if session is not None:
        auth.UPLOAD_RIGHTS.allow(session, st.session_state.get(SIGNED_IN_WITH)
                                 or auth.personal_credential(signed.email if signed else ""))
    return st.file_uploader(label, type=["xlsx"], key=key)

