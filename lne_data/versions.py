"""The living roadmap: its versions, what changed between two of them, and entries that survive them.

Every load of a référentiel workbook that changes something is a new version (number, the workbook's `version`
wording, the comité's adoption date, who loaded it, SHA-256), kept for ever with every référentiel table as it was
in force (Parquet, like a closure's frozen tables). The live tables (`fiches`, `indicateurs`…) are the version in
force, so that every read model keeps working unchanged; an older version is read through the same read models
(`reference`), from its frozen tables.

A fiche or an indicator that a version no longer has is retired (`referentiel_retraits`), not deleted: its entries
stay where they are and are shown « retiré le … ». An indicator whose meaning changes takes a new code and says
which one it replaces (`remplace`): the old one is retired with the link old → new.

The first load into an empty database rebuilds the earlier versions the workbook itself tells (`reconstruct`):
each earlier `ajoutee_le` of its fiches is a version holding the fiches added by then.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import db, formatting, sql, views
from .problems import Problem, RejectedInput
from .queries import frame, rows
from .referentiel import Referentiel, tables_of, write_tables

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
    return {table: _records(frame_arrow(con, sql.SNAPSHOT_TABLE[table]), table) for table in ORDER}


def _one(cur: duckdb.DuckDBPyConnection, statement: str, params: Any = None) -> tuple[Any, ...] | None:
    """The first row, the result read to its end: DuckDB 2 refuses other work on a cursor with a result left open."""
    found = cur.execute(statement, params).fetchall()
    return found[0] if found else None


def _value(cur: duckdb.DuckDBPyConnection, statement: str, params: Any = None) -> Any:
    """The first column of the one row a count or an aggregate always returns."""
    return cur.execute(statement, params).fetchall()[0][0]


def frame_arrow(con: duckdb.DuckDBPyConnection, statement: str) -> pa.Table:
    return con.sql(statement).to_arrow_table()


def _records(table: pa.Table, name: str) -> list[dict[str, Any]]:
    return [{c: record.get(c) for c in COLUMNS[name]} for record in table.to_pylist()]


def _same(a: Any, b: Any) -> bool:
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
        amount = (f"{_shown(record['montant'])} {record.get('unite') or ''}".strip()
                  if record.get("montant") is not None else "non chiffré")
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
            for c in COLUMNS[table] if c not in skip and not _same(before.get(c), after.get(c))]


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
    structure, label and unit are the same line changed (in order), the rest are added or retired."""
    compared = [c for c in COLUMNS["moyens"] if c not in NOT_COMPARED["moyens"]]

    def whole(r: dict[str, Any]) -> tuple[str, ...]:
        return tuple(_shown(r.get(c)) for c in compared)

    remaining_old = list(old)
    unmatched_new = []
    for record in new:
        found = next((i for i, o in enumerate(remaining_old) if whole(o) == whole(record)), None)
        if found is None:
            unmatched_new.append(record)
        else:
            remaining_old.pop(found)
    changes: list[Change] = []
    for record in unmatched_new:
        key = tuple(record.get(c) for c in MOYEN_KEY)
        found = next((i for i, o in enumerate(remaining_old) if tuple(o.get(c) for c in MOYEN_KEY) == key), None)
        if found is None:
            changes.append(_added("moyens", record))
        else:
            changes += _compare_rows("moyens", remaining_old.pop(found), record)
    changes += [_removed("moyens", record) for record in remaining_old]
    return changes


# --------------------------------------------------------------------------------------------------
# Earlier versions a workbook tells
# --------------------------------------------------------------------------------------------------


@dataclass
class Stage:
    """One version to record: its tables, its wording and adoption date, how it was rebuilt (None: as loaded)."""

    tables: State
    libelle: str | None
    adoptee_le: date | None
    reconstituee: str | None = None


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def adoption_of(tables: State) -> date | None:
    """The adoption date of the version a workbook transcribes: its own, else its latest fiche's `ajoutee_le`."""
    fdr = tables["feuille_de_route"][0]
    dates = [d for d in (_as_date(f.get("ajoutee_le")) for f in tables["fiches"]) if d is not None]
    return _as_date(fdr.get("adoptee_le")) or (max(dates) if dates else None)


def reconstruct(tables: State) -> list[Stage]:
    """The versions `tables` tells, oldest first, itself last: each `ajoutee_le` of its fiches before its own
    adoption is an earlier version holding the fiches added by then, with their porteurs, partenaires, moyens and
    indicators, and the structures they name; axes and objectifs are kept whole (the text gives no date for them).
    """
    fdr = tables["feuille_de_route"][0]
    adopted = adoption_of(tables)
    final = Stage(tables, fdr.get("version"), adopted)
    dates = sorted({d for d in (_as_date(f.get("ajoutee_le")) for f in tables["fiches"]) if d is not None})
    # Only a date some fiche came after is an earlier version: otherwise it would hold every fiche.
    earlier = [d for d in dates if d < dates[-1] and (adopted is None or d < adopted)] if dates else []
    if not earlier:
        return [final]
    stages = []
    for day in earlier:
        kept = [f for f in tables["fiches"] if (added := _as_date(f.get("ajoutee_le"))) is not None and added <= day]
        numbers = {f["numero"] for f in kept}
        wording = next((f["version"] for f in kept if _as_date(f.get("ajoutee_le")) == day and f.get("version")),
                       None) or f"Version du {day:%d/%m/%Y}"
        stage = {name: [r for r in tables[name] if r.get("fiche") in numbers]
                 for name in ("porteurs", "partenaires", "moyens", "indicateurs")}
        named = {r["structure"] for name in ("porteurs", "partenaires", "moyens") for r in stage[name]
                 if r.get("structure")}
        named_after = {r["structure"] for name in ("porteurs", "partenaires", "moyens") for r in tables[name]
                       if r.get("structure")}
        # A structure no fiche names is kept (the workbook lists it for its own reasons); one that only later
        # fiches name had no place in the earlier text.
        structures = [s for s in tables["structures"] if s["nom"] in named or s["nom"] not in named_after]
        later = sorted(f["numero"] for f in tables["fiches"] if f["numero"] not in numbers)
        stages.append(Stage(
            {**tables, **stage, "fiches": kept, "structures": structures,
             "feuille_de_route": [{**fdr, "version": wording, "adoptee_le": day}]},
            wording, day,
            f"reconstituée du classeur : les fiches dont « ajoutee_le » est au plus le {day:%d/%m/%Y} (sans "
            + (f"la fiche {later[0]}, ajoutée" if len(later) == 1 else f"les fiches {', '.join(map(str, later))}, "
               "ajoutées")
            + " ensuite), avec leurs porteurs, partenaires, moyens et indicateurs",
        ))
    return [*stages, final]


def _sha_of(tables: State) -> str:
    """A reconstructed version has no workbook of its own: its SHA-256 is its content's."""
    return hashlib.sha256(json.dumps(tables, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


# --------------------------------------------------------------------------------------------------
# Loading, recording, undoing
# --------------------------------------------------------------------------------------------------


def _snapshot(cur: duckdb.DuckDBPyConnection) -> dict[str, bytes]:
    out = {}
    for table in sql.REFERENTIEL_TABLES:
        buffer = BytesIO()
        pq.write_table(frame_arrow(cur, sql.SNAPSHOT_TABLE[table]), buffer)
        out[table] = buffer.getvalue()
    return out


def _restore(cur: duckdb.DuckDBPyConnection, data: dict[str, bytes]) -> None:
    for table in sql.REFERENTIEL_TABLES:
        cur.execute(sql.DELETE_ALL[table])
    for table in reversed(sql.REFERENTIEL_TABLES):
        cur.register(sql.REFERENTIEL_ENTRANT, pq.read_table(BytesIO(data[table])))
        try:
            cur.execute(sql.RESTORE_TABLE[table])
        finally:
            cur.unregister(sql.REFERENTIEL_ENTRANT)


def _record(cur: duckdb.DuckDBPyConnection, stage: Stage, sha256: str, auteur: str,
            data: dict[str, bytes] | None = None) -> int:
    numero = int(_value(cur, sql.NEXT_VERSION))
    cur.execute(sql.INSERT_VERSION, {"numero": numero, "libelle": stage.libelle, "adoptee_le": stage.adoptee_le,
                                     "sha256": sha256, "charge_par": auteur, "fiches": len(stage.tables["fiches"]),
                                     "reconstituee": stage.reconstituee})
    for name, blob in (data or _snapshot(cur)).items():
        cur.execute(sql.INSERT_VERSION_DONNEES, {"version": numero, "nom": name, "donnees": blob})
    return numero


def _write_stages(cur: duckdb.DuckDBPyConnection, stages: list[Stage], sha256: str, auteur: str) -> None:
    for stage in stages:
        sha = sha256 if stage.reconstituee is None else _sha_of(stage.tables)
        write_tables(cur, stage.tables, sha)
        _record(cur, stage, sha, auteur)


def _record_existing(cur: duckdb.DuckDBPyConnection, auteur: str) -> None:
    """A database loaded before versions existed: its référentiel becomes the versions it tells, the one in force
    kept exactly as it is."""
    if int(_value(cur, sql.COUNT_VERSIONS)) or not _one(cur, sql.REFERENTIEL_SHA):
        return
    live = _snapshot(cur)
    sha = _value(cur, sql.REFERENTIEL_SHA)
    stages = reconstruct(state_of_db(cur))
    _write_stages(cur, stages[:-1], sha, auteur)
    _restore(cur, live)
    _record(cur, stages[-1], sha, auteur, live)


def record_existing(con: duckdb.DuckDBPyConnection, auteur: str = "mise à jour de la base") -> None:
    with db.transaction(con) as cur:
        _record_existing(cur, auteur)


def load(con: duckdb.DuckDBPyConnection, referentiel: Referentiel, *, auteur: str) -> bool:
    """`referentiel.load_referentiel`: the workbook as the new version in force, in one transaction."""
    with db.transaction(con) as cur:
        _record_existing(cur, auteur)
        row = _one(cur, sql.REFERENTIEL_SHA)
        if row and row[0] == referentiel.sha256:
            return False
        incoming = state_of_referentiel(referentiel)
        if row is None:
            _write_stages(cur, reconstruct(incoming), referentiel.sha256, auteur)
            return True
        before = state_of_db(cur)
        if difference(before, incoming).empty:
            return False
        _check_meanings(cur, before, incoming)
        adopted = adoption_of(incoming)
        write_tables(cur, incoming, referentiel.sha256)
        numero = _record(cur, Stage(incoming, incoming["feuille_de_route"][0].get("version"), adopted),
                         referentiel.sha256, auteur)
        _record_retirements(cur, numero, before, incoming, adopted or date.today())
    return True


def _check_meanings(cur: duckdb.DuckDBPyConnection, before: State, after: State) -> None:
    """Refuse what would misread entries: an indicator with entries whose type, unit or way of adding up changes
    under the same code, or a replacement of an indicator nobody knows."""
    problems = []
    new = {r["code"]: r for r in after["indicateurs"]}
    for code, type_, unite, mode in cur.execute(sql.INDICATEURS_SAISIS_DETAIL).fetchall():
        record = new.get(code)
        if record is None:
            continue
        changed = [c for c, old in zip(MEANING_FIELDS, (type_, unite, mode)) if not _same(old, record.get(c))]
        if changed:
            problems.append(Problem(
                "referentiel-sens-change",
                f"L'indicateur {code} a déjà des saisies et son {', '.join(changed)} change : ses valeurs seraient "
                "lues autrement. Donnez-lui un nouveau code et écrivez « " + code + " » dans la colonne « remplace » "
                "du nouvel indicateur : l'ancien est retiré, ses saisies gardées, et le lien est enregistré.",
                sheet="indicateurs"))
    known = {r[0] for r in cur.execute(sql.CODES_CONNUS).fetchall()}
    for record in after["indicateurs"]:
        if record.get("remplace") and record["remplace"] not in known:
            problems.append(Problem(
                "referentiel-remplace-inconnu",
                f"L'indicateur {record['code']} remplace {record['remplace']}, qu'aucune version de la feuille de "
                "route n'a eu : vérifiez le code dans la colonne « remplace ».", sheet="indicateurs"))
    if problems:
        raise RejectedInput(problems)


def _record_retirements(cur: duckdb.DuckDBPyConnection, numero: int, before: State, after: State,
                        retire_le: date) -> None:
    fiches = {r["numero"] for r in after["fiches"]}
    codes = {r["code"] for r in after["indicateurs"]}
    replaced_by = {r["remplace"]: r["code"] for r in after["indicateurs"] if r.get("remplace")}
    for fiche in before["fiches"]:
        if fiche["numero"] not in fiches:
            cur.execute(sql.INSERT_RETRAIT, sql.bind(sql.INSERT_RETRAIT, {
                "version": numero, "genre": "fiche", "code": str(fiche["numero"]), "fiche": fiche["numero"],
                "libelle": fiche["intitule"], "retire_le": retire_le}))
    for ind in before["indicateurs"]:
        if ind["code"] not in codes:
            cur.execute(sql.INSERT_RETRAIT, sql.bind(sql.INSERT_RETRAIT, {
                **ind, "version": numero, "genre": "indicateur", "retire_le": retire_le,
                "remplace_par": replaced_by.get(ind["code"])}))


def undo(con: duckdb.DuckDBPyConnection, numero: int, auteur: str) -> int:
    """Put back the version before `numero` (the one in force), exactly as it was; return its number.

    Refused when entries were made since for a fiche or an indicator that version does not have: undo their
    imports first."""
    with db.transaction(con) as cur:
        found = _one(cur, sql.VERSION_BY_NUMERO, [numero])
        current = _one(cur, sql.VERSION_EN_VIGUEUR)
        if found is None:
            raise RejectedInput([Problem("version-inconnue", f"La version n°{numero} n'existe pas.")])
        if found[1] is not None:
            raise RejectedInput([Problem("version-deja-annulee", f"La version n°{numero} a déjà été annulée.")])
        if current is None or current[0] != numero:
            raise RejectedInput([Problem("version-pas-en-vigueur",
                                         f"Seule la version en vigueur (n°{current[0] if current else '—'}) peut être "
                                         "annulée : annulez d'abord les suivantes.")])
        previous = _value(cur, sql.VERSION_PRECEDENTE, [numero])
        if previous is None:
            raise RejectedInput([Problem("version-premiere",
                                         f"La version n°{numero} est la première : il n'y a pas de version à "
                                         "remettre en vigueur.")])
        data = dict(cur.execute(sql.VERSION_DONNEES, [previous]).fetchall())
        cur.register(sql.REFERENTIEL_ENTRANT, pq.read_table(BytesIO(data["indicateurs"])))
        cur.register("fiches_precedentes", pq.read_table(BytesIO(data["fiches"])))
        try:
            orphans = [r[0] for r in cur.execute(sql.SAISIES_SANS_INDICATEUR).fetchall()]
            orphans += [f"fiche n°{r[0]}" for r in cur.execute(sql.SUIVI_SANS_FICHE).fetchall()]
        finally:
            cur.unregister(sql.REFERENTIEL_ENTRANT)
            cur.unregister("fiches_precedentes")
        if orphans:
            raise RejectedInput([Problem(
                "version-saisies",
                f"Des saisies ont été importées pour des éléments que la version n°{previous} n'a pas ("
                + ", ".join(orphans) + ") : annulez d'abord ces imports (page « Historique des imports »).")])
        _restore(cur, {k: bytes(v) for k, v in data.items()})
        cur.execute(sql.DELETE_RETRAITS, [numero])
        cur.execute(sql.ANNULER_VERSION, {"numero": numero, "auteur": auteur})
    return int(previous)


# --------------------------------------------------------------------------------------------------
# Reading versions
# --------------------------------------------------------------------------------------------------


def listing(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return frame(con, sql.VERSIONS)


def in_force(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    found = frame(con, sql.VERSION_EN_VIGUEUR)
    return None if found.empty else found.iloc[0].to_dict()


def as_json(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """`versions --json`: every version, undone ones included (they are history too)."""
    out = []
    for r in listing(con).itertuples():
        out.append({
            "numero": int(r.numero), "libelle": r.libelle,
            "adoptee_le": pd.Timestamp(r.adoptee_le).date().isoformat() if pd.notna(r.adoptee_le) else None,
            "fiches": int(r.fiches), "charge_par": r.charge_par,
            "charge_le": pd.Timestamp(r.charge_le).isoformat(timespec="seconds"), "sha256": r.sha256,
            "reconstituee": r.reconstituee if isinstance(r.reconstituee, str) else None,
            "annulee_le": pd.Timestamp(r.annulee_le).isoformat(timespec="seconds") if pd.notna(r.annulee_le) else None,
            "en_vigueur": bool(r.en_vigueur),
        })
    return out


def label(version: dict[str, Any] | Any) -> str:
    """« version n°2 — Actualisation du 28/11/2025, adoptée le 28/11/2025 »."""
    get = version.get if isinstance(version, dict) else lambda k: getattr(version, k)
    text = f"version n°{int(get('numero'))}"  # type: ignore[arg-type]  # a version always has its numero
    if isinstance(get("libelle"), str) and get("libelle"):
        text += f" — {get('libelle')}"
    if pd.notna(get("adoptee_le")):
        text += f", adoptée le {pd.Timestamp(get('adoptee_le')):%d/%m/%Y}"
    return text


def _data(con: duckdb.DuckDBPyConnection, numero: int) -> dict[str, bytes]:
    data = {name: bytes(blob) for name, blob in rows(con, sql.VERSION_DONNEES, [numero])}
    if not data:
        raise LookupError(f"La version n°{numero} de la feuille de route n'existe pas.")
    return data


def state_of_version(con: duckdb.DuckDBPyConnection, numero: int) -> State:
    data = _data(con, numero)
    return {table: _records(pq.read_table(BytesIO(data[table])), table) for table in ORDER}


def reference(con: duckdb.DuckDBPyConnection, numero: int) -> views.Reference:
    """Version `numero` through the very read model of the version in force (`views.reference`), on its frozen
    tables in a database of its own, in memory. Targets are the text's: the coordination's decisions apply to
    the roadmap in force."""
    data = _data(con, numero)
    memory = duckdb.connect()
    try:
        db.migrate(memory)
        _restore(memory, data)
        return views.reference(memory)
    finally:
        memory.close()


def summary(con: duckdb.DuckDBPyConnection, numero: int | None = None) -> dict[str, Any]:
    """`summary --json [--version N]`: the headline figures of version N (default: the one in force)."""
    if numero is None:
        return views.summary(con)
    return views.summary(con, ref=reference(con, numero))


def difference_with_in_force(con: duckdb.DuckDBPyConnection, referentiel: Referentiel) -> Difference:
    """What loading `referentiel` would change (empty on a database without a référentiel, or the same workbook)."""
    cur = con.cursor()
    try:
        row = _one(cur, sql.REFERENTIEL_SHA)
        if row is None or row[0] == referentiel.sha256:
            return Difference()
        return difference(state_of_db(cur), state_of_referentiel(referentiel))
    finally:
        cur.close()


def difference_between(con: duckdb.DuckDBPyConnection, avant: int, apres: int) -> Difference:
    return difference(state_of_version(con, avant), state_of_version(con, apres))


def previous(con: duckdb.DuckDBPyConnection, numero: int) -> int | None:
    """The version that was in force when `numero` was loaded: an undone one never was after it."""
    found = rows(con, sql.VERSION_PRECEDENTE, [numero])
    return int(found[0][0]) if found and found[0][0] is not None else None


def changes_of(con: duckdb.DuckDBPyConnection, numero: int) -> Difference | None:
    """What version `numero` changed in the one before it; None for the first version."""
    before = previous(con, numero)
    return None if before is None else difference_between(con, before, numero)


def retired(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The fiches and indicators retired and not back, with when, by which version, replaced by what, and how many
    entries they keep."""
    return frame(con, sql.RETRAITS)


def retired_entries(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The entries of indicators no longer in force, readable as they were typed."""
    return frame(con, sql.SAISIES_RETIREES)


# --------------------------------------------------------------------------------------------------
# Comparing the figures of two versions (Budget, Charge RH)
# --------------------------------------------------------------------------------------------------

COMPARED = ("fiches", "ponctuel", "par_an", "non_precise", "etp")


def compare_figures(before: views.Reference, after: views.Reference, filters: views.Filters) -> pd.DataFrame:
    """Per axe, the overview's figures (views.axes_totals) of two versions side by side: fiches, one-off, yearly
    and period-not-given investment, ETP counted."""

    def totals(ref: views.Reference) -> pd.DataFrame:
        money = views.budget(ref, filters, annees=1, structures=1, combine=False)
        staff = views.charge(ref, filters, capacite=None)
        return views.axes_totals(ref, money, staff).set_index("code")[["libelle", *COMPARED]]

    a, b = totals(before), totals(after)
    table = a.merge(b, how="outer", left_index=True, right_index=True, suffixes=("_avant", "_apres"))
    table["libelle"] = table["libelle_apres"].fillna(table["libelle_avant"])
    for column in COMPARED:
        table[f"{column}_avant"] = table[f"{column}_avant"].fillna(0)
        table[f"{column}_apres"] = table[f"{column}_apres"].fillna(0)
        table[f"{column}_ecart"] = table[f"{column}_apres"] - table[f"{column}_avant"]
    table = table.reset_index().rename(columns={"code": "axe"})
    return table[["axe", "libelle", *(f"{c}_{s}" for c in COMPARED for s in ("avant", "apres", "ecart"))]]


# --------------------------------------------------------------------------------------------------
# What the « Feuille de route » page shows
# --------------------------------------------------------------------------------------------------

VERSION_COLUMNS = {"numero": "N°", "libelle": "Version", "adoptee_le": "Adoptée le", "fiches": "Fiches",
                   "charge_par": "Chargée par", "charge_le": "Chargée le", "sha256": "Empreinte SHA-256",
                   "reconstituee": "Reconstituée", "etat": "État"}
RETIRED_COLUMNS = {"genre": "Élément", "code": "Code", "fiche": "Fiche", "libelle": "Libellé",
                   "retire": "Retiré", "remplace_par": "Remplacé par", "saisies": "Saisies gardées"}
RETIRED_ENTRY_COLUMNS = {"indicateur": "Indicateur", "periode": "Période", "valeur": "Valeur",
                         "valeur_texte": "Valeur (texte)", "commentaire": "Commentaire", "saisi_par": "Saisi par"}


@dataclass
class VersionsView:
    table: pd.DataFrame  # sql.VERSIONS, with `etat` in words

    @classmethod
    def of(cls, con: duckdb.DuckDBPyConnection) -> VersionsView:
        table = listing(con)
        table["etat"] = [("en vigueur" if bool(r.en_vigueur) else
                          f"annulée le {pd.Timestamp(r.annulee_le):%d/%m/%Y} par {r.annulee_par}"
                          if pd.notna(r.annulee_le) else "remplacée") for r in table.itertuples()]
        return cls(table)

    @property
    def numeros(self) -> list[int]:
        return [int(n) for n in self.table["numero"]]

    @property
    def en_vigueur(self) -> int | None:
        found = self.table.loc[self.table["en_vigueur"].fillna(False).astype(bool), "numero"]
        return int(found.iloc[0]) if not found.empty else None

    @property
    def actives(self) -> list[int]:
        """The versions not undone, latest first."""
        return [int(n) for n in self.table.loc[self.table["annulee_le"].isna(), "numero"]][::-1]

    @property
    def avec_precedente(self) -> list[int]:
        """The versions that changed one before them, latest first."""
        return [n for n in reversed(self.numeros) if n != self.numeros[0]]

    def autres(self) -> list[int]:
        """The versions to compare the one in force with (undone ones too: they were once proposed)."""
        return [n for n in reversed(self.numeros) if n != self.en_vigueur]

    def libelle(self, numero: int) -> str:
        row = self.table.loc[self.table["numero"] == numero].iloc[0]
        return label(row.to_dict())

    @property
    def annulable(self) -> int | None:
        """The version in force, when there is one before it to put back."""
        current = self.en_vigueur
        return current if current is not None and any(n < current for n in self.actives) else None


@dataclass
class RetiredView:
    table: pd.DataFrame
    saisies: pd.DataFrame

    @classmethod
    def of(cls, con: duckdb.DuckDBPyConnection) -> RetiredView:
        table = retired(con)
        table["retire"] = [f"retiré le {pd.Timestamp(r.retire_le):%d/%m/%Y} (version n°{int(r.version)})"
                           for r in table.itertuples()]
        return cls(table, retired_entries(con))

    @property
    def empty(self) -> bool:
        return self.table.empty
