"""Roles, the Streamlit side: who is signed in, the sign-in form and its throttle, signing out.

The rules themselves (password hashes, the throttle's waits, which role may write) live in `lne_data.auth`, tested
without Streamlit; the role is checked on the server before every write (`actions`), never inferred from what the
page displays.
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

from .. import auth, server

# The password hash a session's role was granted with (`auth.credential`), checked at every run and before every
# write: a new password ends the sessions opened with the old one.
SIGNED_IN_WITH = "_connecte_avec"
SIGNED_OUT_MESSAGE = "_message_deconnexion"


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
    user = getattr(st, "user", None)
    if user is not None and getattr(user, "is_logged_in", False):
        email = str(getattr(user, "email", "") or "").lower()
        return "coordination" if email in config.coordinateurs_oidc else "lecture"
    return None if config.lecture_protegee else "lecture"


def is_coordinator() -> bool:
    return auth.can_write(role())


def sign_in_form(reason: str) -> None:
    """A password form; the role it grants lives in this browser session only."""
    config = settings()
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
    if st.session_state.get("role") and st.sidebar.button("Se déconnecter", icon=":material/logout:"):
        _forget_role()
        st.rerun()


def signed_out_notice() -> None:
    """Why this session lost its role, once (`role`)."""
    message = st.session_state.pop(SIGNED_OUT_MESSAGE, None)
    if message:
        st.warning(message, icon=":material/key_off:")


# The server's gate (`lne_data.server`) compares each upload's session with the coordination hash in force.
auth.UPLOAD_RIGHTS.current = lambda: settings().coordination_hash


def uploader(label: str, key: str) -> UploadedFile | None:
    """The pages' only file uploader (`.xlsx`): drawn for the coordination role only, its session allowed to upload
    by the server's gate right before. A server started without the gate (`streamlit run app.py`) would keep
    anyone's uploads in memory: it draws none and says how to start it."""
    if not is_coordinator():
        return None
    # (AppTest patches `streamlit.config.get_option`, not `st.get_option`, which is bound apart.)
    if not server.installed and not streamlit_config.get_option("global.appTest"):
        st.error("Le dépôt de fichiers est désactivé : ce serveur a été démarré sans sa protection des dépôts "
                 "(« streamlit run app.py »). La personne qui l'administre le démarre par « ./scripts/run.sh » "
                 "(« streamlit run server.py »).", icon=":material/block:")
        return None
    session = _session_id()
    if session is not None:
        auth.UPLOAD_RIGHTS.allow(session, st.session_state.get(SIGNED_IN_WITH) or auth.OIDC)
    return st.file_uploader(label, type=["xlsx"], key=key)

