"""Personal accounts: who may sign in personally (through an OpenID Connect provider such as ProConnect), under which
name, with which role, and — for a porteur — for which structures of the roadmap.

An account is an e-mail (as the provider gives it, compared in lower case), a name (written in every history for what
the person does), a role — `coordination` (every write), `lecture` (the élus: reading, also when reading is
protected), `porteur` (their own fiches: submitting their quarter, `depots`) — and, for a porteur only, one or more
structures spelt exactly as the référentiel's `nom`. Accounts are managed by the coordination (the Comptes page) and
on the command line (`comptes`); removing one keeps its row (who, when) and the names it wrote stay in the histories.
Every write is one transaction; every refusal says, in French, what to type instead.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import duckdb

from . import db, sql
from .problems import NotFound, Problem, RejectedInput, quote
from .queries import rows

Role = Literal["coordination", "lecture", "porteur"]
ROLES: tuple[Role, ...] = ("coordination", "lecture", "porteur")
# How each role is said on screen.
ROLE_LABELS = {"coordination": "coordination", "lecture": "lecture (élus)", "porteur": "porteur"}
NOM_MAX = 100
# An address as providers give them: something@domain.tld, no spaces.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Person:
    """A person signed in personally: their account (or, without one, their e-mail listed in the setting
    `coordinateurs`, `compte=False`)."""

    email: str
    nom: str
    role: Role
    structures: tuple[str, ...] = ()
    compte: bool = True

    def as_json(self) -> dict[str, Any]:
        return {"email": self.email, "nom": self.nom, "role": self.role, "structures": list(self.structures)}

    def label(self) -> str:
        """« Camille Martin (porteur : CCI du Lot) »: who is signed in, as the sidebar says it."""
        role = ROLE_LABELS[self.role] + (f" : {', '.join(self.structures)}" if self.structures else "")
        return f"{self.nom} ({role})"


def normalized_email(email: str) -> str:
    """The e-mail as accounts are keyed: NFC, no surrounding spaces, lower case."""
    return unicodedata.normalize("NFC", email or "").strip().lower()


def _person(row: tuple[Any, ...]) -> Person:
    return Person(email=row[0], nom=row[1], role=row[2], structures=tuple(row[3] or ()))


def find(con: duckdb.DuckDBPyConnection, email: str) -> Person | None:
    """The account in force for `email`, or None (none, or removed)."""
    found = rows(con, sql.COMPTE, [normalized_email(email)])
    return _person(found[0]) if found else None


def _find_in(cur: duckdb.DuckDBPyConnection, email: str) -> Person | None:
    """`find` inside a write transaction (its cursor sees what the transaction wrote)."""
    found = cur.execute(sql.COMPTE, [email]).fetchall()
    return _person(found[0]) if found else None


def accounts(con: duckdb.DuckDBPyConnection) -> list[Person]:
    """Every account in force, coordination first, then lecture, then porteurs, by name."""
    return [_person(row) for row in rows(con, sql.COMPTES)]


def fiches_of(con: duckdb.DuckDBPyConnection, structures: Iterable[str]) -> list[int]:
    """The fiches the structures carry or co-carry in the version in force."""
    return [int(row[0]) for row in rows(con, sql.FICHES_DES_STRUCTURES, [list(structures)])]


def _near(name: str, choices: Iterable[str]) -> list[str]:
    """The names of `choices` nearest to `name`, case and accents aside."""
    def key(text: str) -> str:
        return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()

    keyed = {key(choice): choice for choice in choices}
    typed = key(name)
    containing = [choice for k, choice in keyed.items() if typed and typed in k]
    close = [keyed[k] for k in difflib.get_close_matches(typed, list(keyed), n=4, cutoff=0.5)]
    return list(dict.fromkeys([*close, *containing]))[:4]


def _structure_problems(con: duckdb.DuckDBPyConnection, structures: list[str]) -> list[Problem]:
    """Each structure must carry a fiche of the roadmap, spelt as the référentiel's `nom`; a variante or a near
    spelling is refused, naming the spelling to use."""
    porteuses = [str(row[0]) for row in rows(con, sql.STRUCTURES_PORTEUSES)]
    spellings: dict[str, str] = {}
    for nom, variantes in rows(con, sql.STRUCTURES_ET_VARIANTES):
        for spelling in [nom, *str(variantes or "").split(";")]:
            if spelling.strip():
                spellings[spelling.strip().casefold()] = nom
    problems = []
    for structure in structures:
        if structure in porteuses:
            continue
        known = spellings.get(structure.casefold())
        near = _near(structure, porteuses)
        if known in porteuses:
            said, near = f"{quote(structure)} s'écrit autrement dans la feuille de route", [known]
        elif known:
            said = f"{quote(structure)} ne porte aucune fiche de la feuille de route"
        else:
            said = f"{quote(structure)} n'est pas une structure de la feuille de route"
        advice = (f" Vouliez-vous dire : {', '.join(f'« {n} »' for n in near)} ?" if near
                  else " Écrivez le nom d'une structure qui porte une fiche, tel que la page « Porteurs et "
                       "partenaires » l'écrit.")
        problems.append(Problem("compte-structure-inconnue", said + "." + advice))
    return problems


def _checked(con: duckdb.DuckDBPyConnection, email: str, nom: str, role: str,
             structures: list[str]) -> tuple[Person, list[Problem]]:
    problems = []
    if not _EMAIL.fullmatch(email):
        problems.append(Problem("compte-email-invalide", f"{quote(email)} n'est pas une adresse e-mail : "
                                                         "écrivez-la comme prenom.nom@exemple.fr."))
    if not nom:
        problems.append(Problem("compte-nom-manquant", "Indiquez le nom de la personne (« Camille Martin ») : il "
                                                       "est écrit dans l'historique de ce qu'elle fait."))
    elif len(nom) > NOM_MAX:
        problems.append(Problem("compte-nom-trop-long", f"Le nom dépasse {NOM_MAX} caractères : raccourcissez-le."))
    if role not in ROLES:
        problems.append(Problem("compte-role-inconnu", f"{quote(role)} n'est pas un rôle : choisissez "
                                                       "coordination, lecture ou porteur."))
    elif role == "porteur" and not structures:
        problems.append(Problem("compte-structure-manquante",
                                "Un compte porteur répond pour une structure au moins : indiquez-la (--structure "
                                "« CCI du Lot »)."))
    elif role != "porteur" and structures:
        problems.append(Problem("compte-structure-hors-porteur",
                                f"Seul un compte porteur a des structures : retirez-les, ou choisissez le rôle porteur "
                                f"(rôle demandé : {quote(role)})."))
    if role == "porteur":
        problems += _structure_problems(con, structures)
    person = Person(email, nom, role if role in ROLES else "lecture", tuple(sorted(set(structures))))
    return person, problems


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", "" if value is None else str(value)).strip()


def add(con: duckdb.DuckDBPyConnection, email: str, nom: str, role: str, structures: Iterable[str] = (),
        auteur: str = "") -> tuple[Person, Person | None]:
    """Create the account of `email` (or change it, or give a removed one back): the account written, and the
    account as it was before (None if there was none in force). Refused whole, with every problem, otherwise."""
    person, problems = _checked(con, normalized_email(email), _text(nom), _text(role),
                                [_text(s) for s in structures if _text(s)])
    if problems:
        raise RejectedInput(problems)
    with db.transaction(con) as cur:
        before = _find_in(cur, person.email)
        cur.execute(sql.UPSERT_COMPTE, {"email": person.email, "nom": person.nom, "role": person.role,
                                        "le": datetime.now(), "par": _text(auteur) or "inconnu"})
        cur.execute(sql.DELETE_COMPTE_STRUCTURES, [person.email])
        for structure in person.structures:
            cur.execute(sql.INSERT_COMPTE_STRUCTURE, [person.email, structure])
    return person, before


def remove(con: duckdb.DuckDBPyConnection, email: str, auteur: str = "") -> Person:
    """Remove the account of `email`: from its next request, the person has no role of her own (`auth`)."""
    address = normalized_email(email)
    with db.transaction(con) as cur:
        before = _find_in(cur, address)
        if before is None:
            raise NotFound(f"Aucun compte pour {quote(address)} : la liste des comptes est donnée par "
                           "« comptes ».")
        cur.execute(sql.RETIRER_COMPTE, {"email": address, "le": datetime.now(), "par": _text(auteur) or "inconnu"})
    return before
