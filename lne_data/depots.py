"""Porteurs submit their own quarter: a file checked exactly as the coordination's upload is (`saisie.check_file`),
kept whole in a queue « à valider » (`depots`, migration 11), then accepted by the coordination — imported through
the same path as her own uploads, in one transaction, recorded as the porteur's answer and her validation — or sent
back with a message the porteur reads on her page.

A porteur answers for her structures only: every fiche her file reports (values, follow-up, dépenses) must be carried
or co-carried by one of her account's structures, and every row of « Dépenses » must name one of them. It is checked
here, on the server, when the file is submitted, whatever the page showed: her account is read again from the
database, and a file reporting another structure's fiche is refused whole (`depot-fiche-hors-structures`), nothing
written. A porteur reads the submissions of her structures' fiches only (`visible_to`).
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from . import comptes, db, saisie, sql
from .problems import Problem, Refused, RejectedInput, quote
from .queries import frame, rows

A_VALIDER, ACCEPTE, RENVOYE = "a_valider", "accepte", "renvoye"
STATUTS = {A_VALIDER: "à valider", ACCEPTE: "accepté", RENVOYE: "renvoyé au porteur"}
MESSAGE_MAX = 2000


def _porteur(con: duckdb.DuckDBPyConnection, email: str) -> comptes.Person:
    """The account in force of a porteur, read again now: a removed account, or another role, submits nothing."""
    account = comptes.find(con, email)
    if account is None or account.role != "porteur":
        raise Refused("Le dépôt d'un trimestre est réservé aux comptes porteurs en vigueur : rien n'a été enregistré.")
    return account


def reported(con: duckdb.DuckDBPyConnection, validation: saisie.Validation) -> set[tuple[int, str]]:
    """The (fiche, quarter) pairs a checked file reports: its values (through their indicator's fiche), its
    follow-up and its dépenses."""
    fiche_of = {str(code): int(fiche) for code, fiche, *_ in rows(con, sql.INDICATEURS)}
    pairs = {(fiche_of[str(i)], str(p)) for i, p in zip(validation.entries["indicateur"], validation.entries["periode"])
             if str(i) in fiche_of}
    pairs |= {(int(f), str(p)) for f, p in zip(validation.suivi["fiche"], validation.suivi["periode"])}
    pairs |= {(int(f), str(p)) for f, p in zip(validation.depenses["fiche"], validation.depenses["periode"])}
    return pairs


def scope_problems(con: duckdb.DuckDBPyConnection, account: comptes.Person,
                   validation: saisie.Validation) -> list[Problem]:
    """What a porteur's file reports outside her structures: one problem naming the fiches, one for dépenses rows of
    another structure."""
    mine = set(comptes.fiches_of(con, account.structures))
    outside = sorted({fiche for fiche, _ in reported(con, validation) if fiche not in mine})
    problems = []
    structures = ", ".join(f"« {s} »" for s in account.structures)
    if outside:
        problems.append(Problem(
            "depot-fiche-hors-structures",
            f"Le fichier renseigne la ou les fiches {', '.join(map(str, outside))}, qui ne sont pas portées par "
            f"{structures} : vous ne pouvez déposer que les fiches {', '.join(map(str, sorted(mine))) or '(aucune)'}. "
            "Repartez de votre modèle (« Télécharger mon modèle »)."))
    others = sorted({str(s) for s in validation.depenses["structure"] if str(s) not in account.structures})
    if others:
        problems.append(Problem(
            "depot-fiche-hors-structures",
            f"La feuille « Dépenses » déclare pour {', '.join(quote(s) for s in others)} : vous ne déclarez que pour "
            f"{structures}."))
    return problems


def check(con: duckdb.DuckDBPyConnection, email: str, data: bytes, fichier: str,
          today: date | None = None) -> saisie.Validation:
    """A porteur's file checked as the coordination's upload is, plus her scope: the problems of both at once."""
    account = _porteur(con, email)
    validation = saisie.check_file(data, fichier, saisie.load_context(con, today=today))
    if not validation.ok:
        return validation
    return dataclasses.replace(validation, problems=[*validation.problems, *scope_problems(con, account, validation)])


def submit(con: duckdb.DuckDBPyConnection, email: str, data: bytes, fichier: str, today: date | None = None) -> int:
    """Put a porteur's file in the queue « à valider »: checked again here, whole, against her account as it is now;
    refused (RejectedInput, every problem) with nothing written otherwise. The submission's number."""
    account = _porteur(con, email)
    validation = check(con, email, data, fichier, today)
    if not validation.ok:
        raise RejectedInput(validation.problems)
    pairs = sorted(reported(con, validation))
    with db.transaction(con) as cur:
        depot_id = int(cur.execute(sql.NEXT_DEPOT_ID).fetchall()[0][0])
        cur.execute(sql.INSERT_DEPOT, {"id": depot_id, "email": account.email, "nom": account.nom, "fichier": fichier,
                                       "sha256": hashlib.sha256(data).hexdigest(), "contenu": data,
                                       "le": datetime.now()})
        for fiche, periode in pairs:
            cur.execute(sql.INSERT_DEPOT_FICHE, [depot_id, fiche, periode])
    return depot_id


def depots(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every submission, latest first, without its bytes: id, email, nom, fichier, depose_le, statut, decide_le,
    decide_par, message, import_id, fiches, periodes."""
    return frame(con, sql.DEPOTS)


def visible_to(con: duckdb.DuckDBPyConnection, account: comptes.Person) -> pd.DataFrame:
    """The submissions a porteur may read: those whose every fiche her structures carry (hers, her colleagues')."""
    mine = set(comptes.fiches_of(con, account.structures))
    listed = depots(con)
    keep = [bool(fiches is not None and len(fiches) and {int(f) for f in fiches} <= mine)
            for fiches in listed["fiches"]]
    return listed[keep].reset_index(drop=True)


def _pending(cur: duckdb.DuckDBPyConnection, depot_id: int) -> tuple[Any, ...]:
    found = cur.execute(sql.DEPOT, [depot_id]).fetchall()
    if not found:
        raise RejectedInput([Problem("depot-inconnu", f"Le dépôt n°{depot_id} n'existe pas.")])
    if found[0][7] != A_VALIDER:
        raise RejectedInput([Problem("depot-deja-traite", f"Le dépôt n°{depot_id} est déjà "
                                                          f"{STATUTS[found[0][7]]} : rien n'a été changé.")])
    return tuple(found[0])


def content(con: duckdb.DuckDBPyConnection, depot_id: int) -> tuple[str, bytes]:
    """A submission's file name and bytes (the coordination's preview)."""
    cur = con.cursor()
    try:
        row = _pending(cur, depot_id)
    finally:
        cur.close()
    return str(row[3]), bytes(row[5])


def accept(con: duckdb.DuckDBPyConnection, depot_id: int, auteur: str,
           today: date | None = None) -> saisie.ImportResult:
    """Import a submission through the coordination's own path (checked again against the roadmap in force), recorded
    under the porteur's name and validated by `auteur`, the submission marked accepted in the same transaction."""
    fichier, data = content(con, depot_id)
    row = rows(con, sql.DEPOT, [depot_id])[0]
    validation = saisie.check_file(data, fichier, saisie.load_context(con, today=today))
    if not validation.ok:
        raise RejectedInput(validation.problems)

    def mark(cur: duckdb.DuckDBPyConnection, import_id: int | None) -> None:
        _pending(cur, depot_id)  # inside the transaction: accepted or sent back meanwhile, nothing is imported
        cur.execute(sql.DECIDER_DEPOT, {"id": depot_id, "statut": ACCEPTE, "le": datetime.now(), "par": auteur,
                                        "message": None, "import_id": import_id})

    return saisie.import_file(con, validation, auteur=str(row[2]), valide_par=auteur, then=mark)


def send_back(con: duckdb.DuckDBPyConnection, depot_id: int, auteur: str, message: str) -> None:
    """Send a submission back to its porteur with what to correct; nothing of it is imported."""
    said = (message or "").strip()
    if not said:
        raise RejectedInput([Problem("depot-message-manquant", "Dites au porteur ce qu'il doit corriger : le message "
                                                               "est ce qu'il lira sur sa page.")])
    with db.transaction(con) as cur:
        _pending(cur, depot_id)
        cur.execute(sql.DECIDER_DEPOT, {"id": depot_id, "statut": RENVOYE, "le": datetime.now(), "par": auteur,
                                        "message": said[:MESSAGE_MAX], "import_id": None})
