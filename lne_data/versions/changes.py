"""What changed between two states of the référentiel: the rows of each table, read from a workbook, from the live
tables or from a version's frozen ones, compared element by element (fiche, indicateur, cible, moyen…), field by
field, in French words (`Difference`)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import formatting, rules, sql
from ..referentiel import Referentiel, tables_of

State = dict[str, list[dict[str, Any]]]

FDR_COLUMNS = ("titre", "territoire", "structure_coordinatrice", "annee_debut", "annee_fin", "version", "source",
               "adoptee_le")
COLUMNS: dict[str, tuple[str, ...]] = {"feuille_de_route": FDR_COLUMNS, **sql.REFERENTIEL_COLUMNS}
# How a row of each table is known from one version to the next; `moyens` have no key of their own (matched below).
KEYS: dict[str, tuple[str, ...]] = {
    "feuille_de_route": (), "axes": ("code",), "objectifs": ("code",), "fiches": ("numero",), "structures": ("nom",),
    "porteurs": ("fiche", "structure"), "partenaires": ("fiche", "structure"), "indicateurs": ("code",),
}
# Not compared: a moyen's id is its line's rank (moving a line changes nothing), an indicator's rank comes from its
# code.
NOT_COMPARED = {"moyens": {"id"}, "indicateurs": {"rang"}}
MOYEN_KEY = ("fiche", "rubrique", "nature", "structure", "libelle", "unite")
ORDER = ("feuille_de_route", "axes", "objectifs", "fiches", "structures", "porteurs", "partenaires", "moyens",
         "indicateurs")
ELEMENTS = {"feuille_de_route": "feuille de route", "axes": "axe", "objectifs": "objectif", "fiches": "fiche",
            "structures": "structure", "porteurs": "porteur", "partenaires": "partenaire", "moyens": "moyen",
            "indicateurs": "indicateur"}
TARGET_FIELDS = {"cible", "cible_source", "echeance"}
FEMININE = {"feuille de route", "fiche", "structure", "cible"}  # « 1 fiche ajoutée », « 2 indicateurs retirés »
# What a change of meaning is: entries typed under one of these would be misread under another.
MEANING_FIELDS = ("type", "unite", "mode")
CHANGEMENTS = ("ajouté", "retiré", "modifié")
DIFF_COLUMNS = {"element": "Élément", "cle": "Quoi", "fiche": "Fiche", "changement": "Changement", "champ": "Champ",
                "avant": "Avant", "apres": "Après"}


# --------------------------------------------------------------------------------------------------
# States of the référentiel: the rows of each table, whichever their source
# --------------------------------------------------------------------------------------------------


def state_of_referentiel(referentiel: Referentiel) -> State:
    tables = tables_of(referentiel)
    return {table: [{c: record.get(c) for c in COLUMNS[table]} for record in tables[table]] for table in ORDER}


def state_of_db(con: duckdb.DuckDBPyConnection) -> State:
    """The version in force, as the live tables hold it."""
    return {table: records_of(frame_arrow(con, sql.SNAPSHOT_TABLE[table]), table) for table in ORDER}


def state_of_frozen(data: dict[str, bytes]) -> State:
    """A version as its frozen tables (Parquet, `versions_donnees`) hold it."""
    return {table: records_of(pq.read_table(BytesIO(data[table])), table) for table in ORDER}


def frame_arrow(con: duckdb.DuckDBPyConnection, statement: str) -> pa.Table:
    return con.sql(statement).to_arrow_table()


def records_of(table: pa.Table, name: str) -> list[dict[str, Any]]:
    return [{c: record.get(c) for c in COLUMNS[name]} for record in table.to_pylist()]


def same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) \
            and not isinstance(b, bool):
        return abs(float(a) - float(b)) < 1e-9
    if isinstance(a, datetime):
        a = a.date()
    if isinstance(b, datetime):
        b = b.date()
    return a == b


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float):
        return formatting.number(value, 4)
    return str(value)


# --------------------------------------------------------------------------------------------------
# What changed
# --------------------------------------------------------------------------------------------------


@dataclass
class Change:
    element: str  # fiche, indicateur, cible, moyen (montant), moyen (ETP)…
    cle: str  # which one, in words
    fiche: int | None
    changement: str  # ajouté, retiré, modifié
    champ: str | None = None
    avant: str | None = None
    apres: str | None = None


@dataclass
class Difference:
    changes: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.changes

    @property
    def table(self) -> pd.DataFrame:
        return pd.DataFrame([vars(c) for c in self.changes], columns=list(DIFF_COLUMNS))

    def counts(self) -> dict[str, dict[str, int]]:
        """How many of each element were added, retired or changed (a changed element counts once)."""
        seen: dict[str, dict[str, set[str]]] = {}
        for c in self.changes:
            seen.setdefault(c.element, {k: set() for k in CHANGEMENTS})[c.changement].add(c.cle)
        return {element: {k: len(v) for k, v in kinds.items()} for element, kinds in seen.items()}

    def resume(self) -> str:
        if self.empty:
            return "Aucune différence avec la version en vigueur."
        parts = []
        for element, kinds in self.counts().items():
            agreed = "e" if element in FEMININE else ""
            said = [f"{n} {k}{agreed}{'s' if n > 1 else ''}" for k, n in kinds.items() if n]
            parts.append(f"{element} : {', '.join(said)}")
        return " ; ".join(parts)

    def en_clair(self) -> list[str]:
        """What changed in élus' words, one sentence per fiche, axe, objective or structure, and per fiche how many
        porteurs, partners, amounts, indicators or targets were added, retired or changed: « Fiche 23 ajoutée :
        … », « 9 montants ajoutés dans la fiche 23 ». The field-by-field detail is `table`."""
        order: list[str | tuple[str, str, int | None]] = []
        counted: dict[tuple[str, str, int | None], set[str]] = {}
        for c in self.changes:
            if c.element in COUNTED:
                key = (c.element, c.changement, c.fiche)
                if key not in counted:
                    counted[key] = set()
                    order.append(key)
                counted[key].add(c.cle)
            else:
                order.append(_sentence(c))
        return list(dict.fromkeys(_counted_sentence(*item, len(counted[item])) if isinstance(item, tuple) else item
                                  for item in order))

    def lines(self) -> list[str]:
        out = []
        for c in self.changes:
            where = f"{c.element} {c.cle}".strip()
            if c.changement == "modifié":
                out.append(f"~ {where} — {c.champ} : {c.avant} → {c.apres}")
            elif c.changement == "ajouté":
                out.append(f"+ {where} : {c.apres}")
            else:
                out.append(f"- {where} : {c.avant}")
        return out

    def as_json(self) -> list[dict[str, Any]]:
        return [vars(c) for c in self.changes]


# What an élu calls each field that changed.
FIELD_WORDS = {"titre": "titre", "territoire": "territoire", "structure_coordinatrice": "structure coordinatrice",
               "annee_debut": "première année", "annee_fin": "dernière année", "version": "nom de la version",
               "source": "source", "adoptee_le": "date d'adoption", "libelle": "libellé", "intitule": "intitulé",
               "objectif": "objectif", "axe": "axe", "type": "type", "role": "rôle", "niveau": "niveau",
               "precision": "précision", "ajoutee_le": "date d'ajout", "unite": "unité", "mode": "mode de calcul",
               "cible": "cible", "cible_source": "origine de la cible", "echeance": "échéance", "fiche": "fiche"}
# Elements counted per fiche in `en_clair`: (singular, plural, feminine).
COUNTED = {"porteur": ("porteur", "porteurs", False), "partenaire": ("partenaire", "partenaires", False),
           "moyen (montant)": ("montant", "montants", False), "moyen (ETP)": ("ligne d'ETP", "lignes d'ETP", True),
           "moyen": ("moyen non chiffré ou autre", "moyens non chiffrés ou autres", False),
           "indicateur": ("indicateur", "indicateurs", False), "cible": ("cible", "cibles", True)}
NAMED = {"fiche": ("Fiche", True), "axe": ("Axe", False), "objectif": ("Objectif", False),
         "structure": ("Structure", True), "feuille de route": ("Feuille de route", True)}


def _agreed(changement: str, feminine: bool, plural: bool) -> str:
    """« ajouté », « ajoutées »…"""
    return changement + ("e" if feminine else "") + ("s" if plural else "")


def _sentence(c: Change) -> str:
    """One fiche, axe, objective, structure or field of the roadmap, in words."""
    name, feminine = NAMED.get(c.element, (c.element.capitalize(), False))
    if c.element == "structure" and c.changement != "modifié":
        return f"{name} {_agreed(c.changement, feminine, False)} : {c.cle} ({c.apres or c.avant})"
    who = f"{name} {c.cle.removeprefix('n°')}".strip()
    if c.changement == "modifié":
        word = FIELD_WORDS.get(c.champ or "", c.champ or "")
        return f"{who} — {word} : « {c.avant} » devient « {c.apres} »"
    return f"{who} {_agreed(c.changement, feminine, False)} : {c.apres if c.changement == 'ajouté' else c.avant}"


def _counted_sentence(element: str, changement: str, fiche: int | None, n: int) -> str:
    """« 9 montants ajoutés dans la fiche 23 », « 1 indicateur retiré de la fiche 21 »."""
    singular, plural, feminine = COUNTED[element]
    where = "" if fiche is None else (f" de la fiche {fiche}" if changement == "retiré" else f" dans la fiche {fiche}")
    return f"{n} {plural if n > 1 else singular} {_agreed(changement, feminine, n > 1)}{where}"


def _label(table: str, record: dict[str, Any]) -> tuple[str, int | None, str]:
    """Which element a row is, in words; its fiche; what it is (shown on the side it exists)."""
    if table == "feuille_de_route":
        return "", None, str(record.get("titre"))
    if table == "axes":
        return f"{record['code']}", None, str(record["libelle"])
    if table == "objectifs":
        return f"{record['code']}", None, str(record["libelle"])
    if table == "fiches":
        return f"n°{record['numero']}", int(record["numero"]), str(record["intitule"])
    if table == "structures":
        return str(record["nom"]), None, _shown(record.get("type"))
    if table == "porteurs":
        return f"{record['structure']} (fiche {record['fiche']})", int(record["fiche"]), str(record["role"])
    if table == "partenaires":
        return (f"{record['structure']} (fiche {record['fiche']})", int(record["fiche"]),
                _shown(record.get("precision")) if record.get("precision") else "partenaire")
    if table == "moyens":
        what = record.get("libelle") or record.get("source") or record["nature"]
        unit = {"EUR": "€"}.get(record.get("unite") or "", record.get("unite"))
        amount = (formatting.with_unit(float(record["montant"]), unit) if record.get("montant") is not None
                  else rules.NON_CHIFFRE)
        period = f", {record['periodicite']}" if record.get("periodicite") else ""
        return f"fiche {record['fiche']} — {what}", int(record["fiche"]), f"{amount}{period}"
    ind = str(record["libelle"]) + (f" (remplace {record['remplace']})" if record.get("remplace") else "")
    return str(record["code"]), int(record["fiche"]), ind


def _element(table: str, record: dict[str, Any], champ: str | None = None) -> str:
    if table == "indicateurs" and champ in TARGET_FIELDS:
        return "cible"
    if table == "moyens":
        unit = record.get("unite")
        return {"ETP": "moyen (ETP)", "EUR": "moyen (montant)"}.get(unit or "", "moyen")
    return ELEMENTS[table]


def _compare_rows(table: str, before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    cle, fiche, _ = _label(table, after)
    skip = NOT_COMPARED.get(table, set())
    return [Change(_element(table, after, c), cle, fiche, "modifié", c, _shown(before.get(c)), _shown(after.get(c)))
            for c in COLUMNS[table] if c not in skip and not same(before.get(c), after.get(c))]


def _added(table: str, record: dict[str, Any]) -> Change:
    cle, fiche, what = _label(table, record)
    return Change(_element(table, record), cle, fiche, "ajouté", None, None, what)


def _removed(table: str, record: dict[str, Any]) -> Change:
    cle, fiche, what = _label(table, record)
    return Change(_element(table, record), cle, fiche, "retiré", None, what, None)


def difference(before: State, after: State) -> Difference:
    """Every element added, retired or changed (field by field, old → new) from `before` to `after`."""
    changes: list[Change] = []
    for table in ORDER:
        old, new = before.get(table, []), after.get(table, [])
        if table == "moyens":
            changes += _moyens(old, new)
            continue
        key = KEYS[table]
        old_by = {tuple(r[k] for k in key): r for r in old}
        new_by = {tuple(r[k] for k in key): r for r in new}
        for k, record in new_by.items():
            changes += _compare_rows(table, old_by[k], record) if k in old_by else [_added(table, record)]
        changes += [_removed(table, record) for k, record in old_by.items() if k not in new_by]
    order = {t: i for i, t in enumerate(["feuille de route", "axe", "objectif", "fiche", "structure", "porteur",
                                         "partenaire", "moyen (montant)", "moyen (ETP)", "moyen", "indicateur",
                                         "cible"])}
    changes.sort(key=lambda c: (order.get(c.element, 99), c.fiche if c.fiche is not None else -1, c.cle))
    return Difference(changes)


def _moyens(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    """Lines of resources have no key: identical lines match first, then lines with the same fiche, box, nature,
    structure, label and unit are the same line changed (in order), the rest are added or retired.

    Each old line waits in a queue of the lines alike (whole, then by key), in the sheet's order: a new line takes
    the first one left, as a scan of the old lines from the top would, in time linear in the lines (a scan per new
    line took 9 to 56 s for 2 000 of them: bench/bench_versions.py)."""
    compared = [c for c in COLUMNS["moyens"] if c not in NOT_COMPARED["moyens"]]

    def whole(r: dict[str, Any]) -> tuple[str, ...]:
        return tuple(_shown(r.get(c)) for c in compared)

    taken = [False] * len(old)
    identical: dict[tuple[str, ...], deque[int]] = {}
    for i, record in enumerate(old):
        identical.setdefault(whole(record), deque()).append(i)
    unmatched_new = []
    for record in new:
        queue = identical.get(whole(record))
        if queue:
            taken[queue.popleft()] = True
        else:
            unmatched_new.append(record)
    # Queued once the identical ones are taken, so that a queue's first line is never taken already.
    same_key: dict[tuple[Any, ...], deque[int]] = {}
    for i, record in enumerate(old):
        if not taken[i]:
            same_key.setdefault(tuple(record.get(c) for c in MOYEN_KEY), deque()).append(i)
    changes: list[Change] = []
    for record in unmatched_new:
        queue = same_key.get(tuple(record.get(c) for c in MOYEN_KEY))
        if queue:
            found = queue.popleft()
            taken[found] = True
            changes += _compare_rows("moyens", old[found], record)
        else:
            changes.append(_added("moyens", record))
    changes += [_removed("moyens", record) for i, record in enumerate(old) if not taken[i]]
    return changes
