"""Roles, local passwords and personal sign-in, without Streamlit.

Three roles: `lecture` (browse the dashboard), `coordination` (upload, undo, close a quarter), `porteur` (submit the
quarter of their own fiches, `depots`). Reading is public unless the setting `lecture` is `protegee`. A role comes
from a shared password (the default, nothing to set up) or, when an OpenID Connect provider is configured (`[auth]`
of secrets.toml, ProConnect in production), from the person's account (`comptes`), looked up again at every request.
Passwords are never stored: only a salted scrypt hash, given by the environment or `.streamlit/secrets.toml` (never
committed). Failed sign-ins are slowed down per client and per role, with a ceiling over all clients, so that
guessing is impractical and one visitor's guesses never keep the coordinatrice out for more than a few seconds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import math
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from . import comptes

Role = Literal["lecture", "coordination", "porteur"]
PasswordRole = Literal["lecture", "coordination"]

ENV_COORDINATION = "LNE_COORDINATION_HASH"
ENV_LECTURE = "LNE_LECTURE_HASH"
ENV_LECTURE_MODE = "LNE_LECTURE"
ENV_DUREE_SESSION = "LNE_DUREE_SESSION"
# How long a personal sign-in lasts, in hours: ProConnect's own session lasts 12 hours.
DUREE_SESSION_H = 12.0

_N, _R, _P = 2**14, 8, 1


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                                dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@dataclass(frozen=True)
class Settings:
    coordination_hash: str | None
    lecture_hash: str | None
    lecture_protegee: bool
    coordinateurs_oidc: tuple[str, ...] = ()  # e-mails granted the coordination role after st.login
    # An OpenID Connect provider is configured (`[auth]` of secrets.toml): personal sign-in is offered.
    fournisseur: str | None = None
    duree_session_h: float = DUREE_SESSION_H

    @classmethod
    def load(cls, secrets: Mapping[str, Any], environ: Mapping[str, str] = os.environ) -> Settings:
        """Environment first (containers), then the `[lne]` table of secrets.toml."""
        section = secrets.get("lne", {}) if secrets else {}
        mode = environ.get(ENV_LECTURE_MODE) or section.get("lecture", "publique")
        provider = secrets.get("auth") if secrets else None
        return cls(
            coordination_hash=environ.get(ENV_COORDINATION) or section.get("coordination_hash"),
            lecture_hash=environ.get(ENV_LECTURE) or section.get("lecture_hash"),
            lecture_protegee=str(mode).strip().lower() in ("protegee", "protégée", "privee", "privée"),
            coordinateurs_oidc=tuple(comptes.normalized_email(str(e)) for e in section.get("coordinateurs", ())),
            fournisseur=str(section.get("fournisseur") or "ProConnect") if provider else None,
            duree_session_h=_hours(environ.get(ENV_DUREE_SESSION) or section.get("duree_session")),
        )


def _hours(value: Any) -> float:
    """The session's length in hours (`12`, `0,5`); anything unreadable or not positive keeps the default, never
    a session without end."""
    try:
        hours = float(str(value).replace(",", ".")) if value not in (None, "") else DUREE_SESSION_H
    except ValueError:
        return DUREE_SESSION_H
    return hours if 0 < hours < float("inf") else DUREE_SESSION_H


# --------------------------------------------------------------------------------------------------
# Personal sign-in: who the provider says the person is, and the role their account gives
# --------------------------------------------------------------------------------------------------


def signed_in_at(claims: Mapping[str, Any]) -> float | None:
    """When the person authenticated, from the ID token's claims (`auth_time`, else `iat`), in epoch seconds."""
    for key in ("auth_time", "iat"):
        value = claims.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return None


def expired(claims: Mapping[str, Any], settings: Settings, now: float | None = None) -> bool:
    """Whether a personal sign-in is over: older than the session's length, or of unknown age. Streamlit keeps its
    identity cookie 30 days; the dashboard's sessions end sooner, and the person signs in again."""
    at = signed_in_at(claims)
    moment = time.time() if now is None else now
    return at is None or moment - at > settings.duree_session_h * 3600


def display_name(claims: Mapping[str, Any]) -> str:
    """A person's name from the provider's claims: ProConnect's `given_name` and `usual_name`, else `name`, else
    the e-mail."""
    parts = [str(claims.get(k) or "").strip() for k in ("given_name", "usual_name")]
    return " ".join(p for p in parts if p) or str(claims.get("name") or claims.get("email") or "").strip()


def person_for(claims: Mapping[str, Any], account: comptes.Person | None, settings: Settings) -> comptes.Person | None:
    """The person a personal sign-in is: her account in force; without one, an e-mail the setting `coordinateurs`
    lists is coordination (the first coordinatrice, before any account exists); anyone else has no role of her own
    (she reads what is public)."""
    if account is not None:
        return account
    email = comptes.normalized_email(str(claims.get("email") or ""))
    if email and email in settings.coordinateurs_oidc:
        return comptes.Person(email, display_name(claims) or email, "coordination", compte=False)
    return None


# Per client and role, each failure doubles the wait, from 1 s up to MAX_WAIT.
MAX_WAIT = 30.0
# Failures across all clients within CROWD_WINDOW seconds that mean someone is guessing from many clients (or
# many sessions) at once. Then every client leaves CROWD_WAIT seconds between attempts, a newcomer too: guessing
# from many clients is slowed, and nobody — the coordinatrice included — waits longer than that for it.
CROWD_FAILURES = 20
CROWD_WINDOW = 60.0
CROWD_WAIT = 5.0
# Memory stays bounded whatever the number of clients: the least recently seen are forgotten first, and a client
# quiet for FORGET_AFTER seconds is forgotten (its doubling starts again from 1 s).
MAX_CLIENTS = 10_000
FORGET_AFTER = 900.0


def client_key(address: str | None, forwarded_for: list[str], session: str) -> str:
    """Who is signing in, as far as the server can tell: the connection's address; behind a reverse proxy on
    the same machine (the connection comes from the loopback, Streamlit gives no address), the address that
    proxy appended last to `X-Forwarded-For` — earlier entries are whatever the client sent; else the browser
    session. An IPv6 address counts by its /64 network, which one subscriber usually holds whole."""
    if not isinstance(address, str) or not address:  # (AppTest gives a stand-in object, not an address)
        appended = [part.strip() for header in forwarded_for if isinstance(header, str)
                    for part in header.split(",") if part.strip()]
        address = appended[-1] if appended else None
    if address is None:
        return f"session:{session}"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"adresse:{address[:64]}"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"ip:{ip.ipv4_mapped}"
        return f"ip:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"ip:{ip}"


@dataclass
class _Client:
    failures: dict[str, int] = field(default_factory=dict)  # per role
    blocked_until: dict[str, float] = field(default_factory=dict)  # per role
    admitted_at: float = float("-inf")  # last attempt checked (or first turned away while crowded)


@dataclass
class Throttle:
    """Slows down failed sign-ins, per client and per role, with a ceiling over all clients.

    A client's wrong guesses make that client wait (the wait doubles at each failure, from 1 s up to 30 s) for the
    role they were checked against; another client is not held back by them, and signing in with one role does
    not clear the failures of the other (knowing the reading password gives no more coordination guesses).
    """

    clock: Callable[[], float] = time.monotonic
    # Re-entrant: sign_in holds it across check, verification and record, which also take it.
    lock: threading.RLock = field(default_factory=threading.RLock)
    clients: OrderedDict[str, _Client] = field(default_factory=OrderedDict)
    # The times of the latest failures, all clients together: enough to tell whether CROWD_FAILURES fell within
    # CROWD_WINDOW, and no more.
    recent_failures: deque[float] = field(default_factory=lambda: deque(maxlen=CROWD_FAILURES))

    def _client(self, client: str, now: float) -> _Client:
        """The client's record, created if new; the least recently seen records are forgotten first."""
        entry = self.clients.pop(client, None) or _Client()
        while self.clients:
            oldest_key = next(iter(self.clients))
            oldest = self.clients[oldest_key]
            last = max(oldest.admitted_at, *oldest.blocked_until.values(), float("-inf"))
            if len(self.clients) >= MAX_CLIENTS or last < now - FORGET_AFTER:
                del self.clients[oldest_key]
            else:
                break
        self.clients[client] = entry
        return entry

    def crowded(self) -> bool:
        with self.lock:
            return (len(self.recent_failures) == CROWD_FAILURES
                    and self.recent_failures[0] > self.clock() - CROWD_WINDOW)

    def wait(self, client: str = "", role: str = "coordination") -> float:
        """Seconds before this client's next attempt is checked against this role's password."""
        with self.lock:
            entry = self.clients.get(client)
            until = entry.blocked_until.get(role, 0.0) if entry else 0.0
            return max(0.0, until - self.clock())

    def crowd_wait(self, client: str = "") -> float:
        """Seconds this client must still wait because many sign-ins are failing on the server (0 otherwise).
        A client first seen while crowded is noted now and waits CROWD_WAIT, as one that has just tried."""
        with self.lock:
            if not self.crowded():
                return 0.0
            now = self.clock()
            entry = self._client(client, now)
            if entry.admitted_at == float("-inf"):
                entry.admitted_at = now
            return max(0.0, entry.admitted_at + CROWD_WAIT - now)

    def record(self, client: str, roles: Collection[str], success: bool) -> None:
        """One attempt checked against `roles`: a success clears those roles' failures for this client only; a
        failure counts once for each role, and once towards the ceiling."""
        with self.lock:
            now = self.clock()
            entry = self._client(client, now)
            entry.admitted_at = now
            for role in roles:
                if success:
                    entry.failures.pop(role, None)
                    entry.blocked_until.pop(role, None)
                else:
                    entry.failures[role] = entry.failures.get(role, 0) + 1
                    entry.blocked_until[role] = now + min(MAX_WAIT, 2.0 ** (entry.failures[role] - 1))
            if not success:
                self.recent_failures.append(now)


def _seconds(wait: float) -> int:
    return max(1, math.ceil(wait))


def sign_in(password: str, settings: Settings, throttle: Throttle,
            client: str = "") -> tuple[PasswordRole | None, str]:
    """The role a password grants `client` (see `client_key`), and a French message for the form.

    The password is checked only against the roles this client may try now; a failure counts against each role
    it was checked against. One attempt at a time per process: simultaneous attempts (many tabs, scripted
    sessions) would otherwise all be verified before the first failure is recorded, and the wait would bound
    bursts, not guesses.
    """
    with throttle.lock:
        crowd = throttle.crowd_wait(client)
        if crowd > 0:
            return None, (f"Trop de tentatives de connexion sur ce serveur en ce moment : réessayez dans "
                          f"{_seconds(crowd)} s.")
        stored_hashes: tuple[tuple[PasswordRole, str | None], ...] = (
            ("coordination", settings.coordination_hash), ("lecture", settings.lecture_hash))
        hashes: dict[PasswordRole, str] = {role: stored for role, stored in stored_hashes if stored}
        held = {role: throttle.wait(client, role) for role in hashes}
        open_roles = [role for role in hashes if held[role] == 0]
        for role in open_roles:
            if verify_password(password, hashes[role]):
                throttle.record(client, [role], True)
                return role, ("Connectée avec le rôle coordination." if role == "coordination"
                              else "Connecté(e) en lecture.")
        if open_roles:
            throttle.record(client, open_roles, False)
        if len(open_roles) < len(hashes):
            # A role was not checked: the right password may have been typed, « incorrect » would mislead.
            return None, f"Trop de tentatives : réessayez dans {_seconds(max(held.values()))} s."
        return None, "Mot de passe incorrect."


def can_write(role: Role | None) -> bool:
    return role == "coordination"


def can_submit(role: Role | None) -> bool:
    """A porteur submits the quarter of her own fiches (`depots`), checked against her structures there."""
    return role == "porteur"


def credential(settings: Settings, role: Role) -> str | None:
    """The password hash a session signed in with `role` must still find to keep it: that role's hash today."""
    return settings.coordination_hash if role == "coordination" else settings.lecture_hash


# An upload right granted without a password: a personal sign-in (OpenID Connect), `oidc:<e-mail>`, valid while the
# person's account (or the setting `coordinateurs`) still lets her upload.
OIDC = "oidc"


def personal_credential(email: str) -> str:
    return f"{OIDC}:{email}"
# Coordination sessions are a handful; the least recently allowed are forgotten first (one that still draws its
# uploader is allowed again at its next run), so that the server's memory of them stays bounded.
MAX_UPLOAD_SESSIONS = 1_000


@dataclass
class UploadRights:
    """Which sessions of this server process may upload a file, and with which password each was signed in.

    Streamlit's upload endpoint stores a file for any open session, signed in or not, in the server's memory until
    the session ends. The server's gate (`lne_data.server`) asks `allows` before it lets an upload through; a page
    allows its session right before drawing an uploader for the coordination role, and signing out forgets it.
    """

    lock: threading.Lock = field(default_factory=threading.Lock)
    sessions: OrderedDict[str, str] = field(default_factory=OrderedDict)
    # The coordination hash in force now (the settings can change while the server runs: secrets.toml is re-read);
    # set by the dashboard at its first allowed upload.
    current: Callable[[], str | None] | None = None
    # Whether the person of a personal sign-in (her e-mail) may still upload: her account in force, as coordination
    # or porteur; set by the dashboard.
    person_may_upload: Callable[[str], bool] | None = None

    def allow(self, session: str, signed_in_with: str) -> None:
        """`signed_in_with`: the coordination hash the session's password matched, or `personal_credential`."""
        with self.lock:
            self.sessions.pop(session, None)
            self.sessions[session] = signed_in_with
            while len(self.sessions) > MAX_UPLOAD_SESSIONS:
                self.sessions.popitem(last=False)

    def forbid(self, session: str) -> None:
        with self.lock:
            self.sessions.pop(session, None)

    def allows(self, session: str) -> bool:
        """Whether an upload from `session` may reach the server's memory: allowed, and signed in with the
        coordination password still in force (a password change closes the sessions opened with the old one), or
        signed in personally with an account that still lets her upload (a removed account closes her sessions)."""
        with self.lock:
            signed_in_with = self.sessions.get(session)
        if signed_in_with is None:
            return False
        if signed_in_with.startswith(f"{OIDC}:"):
            email = signed_in_with[len(OIDC) + 1:]
            return self.person_may_upload is not None and self.person_may_upload(email)
        current = self.current() if self.current is not None else None
        return current is not None and hmac.compare_digest(signed_in_with.encode(), current.encode())


# One per server process: the pages' sessions and the server's gate share it.
UPLOAD_RIGHTS = UploadRights()
