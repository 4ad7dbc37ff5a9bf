"""Roles, the Streamlit side: who is signed in, the sign-in form and its throttle, signing out.

The rules themselves (password hashes, the throttle's waits, which role may write) live in `lne_data.auth`, tested
without Streamlit; the role is checked on the server before every write (`actions`), never inferred from what the
page displays.
"""

from __future__ import annotations

import uuid
from typing import Any

import streamlit as st

from .. import auth


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
    except Exception:  # noqa: BLE001 — no secrets.toml at all is the normal case on a fresh install
        secrets = {}
    return auth.Settings.load(secrets)


def role() -> auth.Role | None:
    current = st.session_state.get("role")
    if current:
        return current
    config = settings()
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
            st.rerun()
        st.error(message)


def sign_out_button() -> None:
    if st.session_state.get("role") and st.sidebar.button("Se déconnecter", icon=":material/logout:"):
        del st.session_state["role"]
        st.rerun()

