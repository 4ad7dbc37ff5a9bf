"""Roles and local passwords, without Streamlit.

Two roles: `lecture` (browse the dashboard) and `coordination` (upload, undo, close a quarter). Reading is
public unless the setting `lecture` is `protegee`. Passwords are never stored: only a salted scrypt hash,
given by the environment or `.streamlit/secrets.toml` (never committed). Failed sign-ins are slowed
down, per process, so that guessing is impractical.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["lecture", "coordination"]

ENV_COORDINATION = "LNE_COORDINATION_HASH"
ENV_LECTURE = "LNE_LECTURE_HASH"
ENV_LECTURE_MODE = "LNE_LECTURE"

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

    @classmethod
    def load(cls, secrets: Mapping[str, Any], environ: Mapping[str, str] = os.environ) -> Settings:
        """Environment first (containers), then the `[lne]` table of secrets.toml."""
        section = secrets.get("lne", {}) if secrets else {}
        mode = environ.get(ENV_LECTURE_MODE) or section.get("lecture", "publique")
        return cls(
            coordination_hash=environ.get(ENV_COORDINATION) or section.get("coordination_hash"),
            lecture_hash=environ.get(ENV_LECTURE) or section.get("lecture_hash"),
            lecture_protegee=str(mode).strip().lower() in ("protegee", "protégée", "privee", "privée"),
            coordinateurs_oidc=tuple(str(e).lower() for e in section.get("coordinateurs", ())),
        )


@dataclass
class Throttle:
    """Slows down failed sign-ins: each failure doubles the wait (from 1 s, at most 30 s)."""

    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    blocked_until: float = 0.0
    # Re-entrant: sign_in holds it across check, verification and record, which also take it.
    lock: threading.RLock = field(default_factory=threading.RLock)

    def wait(self) -> float:
        with self.lock:
            return max(0.0, self.blocked_until - self.clock())

    def record(self, success: bool) -> None:
        with self.lock:
            if success:
                self.failures = 0
                self.blocked_until = 0.0
            else:
                self.failures += 1
                self.blocked_until = self.clock() + min(30.0, 2.0 ** (self.failures - 1))


def sign_in(password: str, settings: Settings, throttle: Throttle) -> tuple[Role | None, str]:
    """The role a password grants, and a French message for the form.

    One attempt at a time per process: simultaneous attempts (many tabs, scripted sessions) would otherwise
    all be verified before the first failure is recorded, and the wait would bound bursts, not guesses.
    """
    with throttle.lock:
        waiting = throttle.wait()
        if waiting > 0:
            return None, f"Trop de tentatives : réessayez dans {int(waiting) + 1} s."
        if settings.coordination_hash and verify_password(password, settings.coordination_hash):
            throttle.record(True)
            return "coordination", "Connectée avec le rôle coordination."
        if settings.lecture_hash and verify_password(password, settings.lecture_hash):
            throttle.record(True)
            return "lecture", "Connecté(e) en lecture."
        throttle.record(False)
        return None, "Mot de passe incorrect."


def can_write(role: Role | None) -> bool:
    return role == "coordination"
