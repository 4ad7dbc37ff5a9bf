"""Storing and applying versions: the earlier versions a workbook tells (`reconstruct`), loading a workbook as the
new version in force with its retirements (`load`), recording a database loaded before versions existed
(`record_existing`), undoing the version in force (`undo`). Each version's tables are kept as Parquet."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any

import duckdb
import pyarrow.parquet as pq

from .. import db, sql
from ..problems import Problem, RejectedInput
from ..referentiel import Referentiel, write_tables
from . import meaning
from .changes import State, difference, frame_arrow, state_of_db, state_of_frozen, state_of_referentiel


def first_row(cur: duckdb.DuckDBPyConnection, statement: str, params: Any = None) -> tuple[Any, ...] | None:
    """The first row, the result read to its end: DuckDB 2 refuses other work on a cursor with a result left open."""
    found = cur.execute(statement, params).fetchall()
    return found[0] if found else None


def _value(cur: duckdb.DuckDBPyConnection, statement: str, params: Any = None) -> Any:
    """The first column of the one row a count or an aggregate always returns."""
    return cur.execute(statement, params).fetchall()[0][0]



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


def restore(cur: duckdb.DuckDBPyConnection, data: dict[str, bytes]) -> None:
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
    if int(_value(cur, sql.COUNT_VERSIONS)) or not first_row(cur, sql.REFERENTIEL_SHA):
        return
    live = _snapshot(cur)
    sha = _value(cur, sql.REFERENTIEL_SHA)
    stages = reconstruct(state_of_db(cur))
    _write_stages(cur, stages[:-1], sha, auteur)
    restore(cur, live)
    _record(cur, stages[-1], sha, auteur, live)


def record_existing(con: duckdb.DuckDBPyConnection, auteur: str = "mise à jour de la base") -> None:
    with db.transaction(con) as cur:
        _record_existing(cur, auteur)


def load(con: duckdb.DuckDBPyConnection, referentiel: Referentiel, *, auteur: str = "ligne de commande",
         hors_periode: bool = False) -> bool:
    """Make this workbook the version in force, in one transaction. False when it changes nothing (the same
    workbook, or one whose content is the version in force's).

    Every load that changes something is a new version, kept for ever: a fiche or an indicator the workbook no
    longer has is retired, its entries kept. Refused when it would read an entry or a coordination's target under
    another meaning (`meaning.risks`), and, unless `hors_periode` says the person agreed, when it would leave
    entries outside its years."""
    with db.transaction(con) as cur:
        _record_existing(cur, auteur)
        row = first_row(cur, sql.REFERENTIEL_SHA)
        if row and row[0] == referentiel.sha256:
            return False
        incoming = state_of_referentiel(referentiel)
        if row is None:
            _write_stages(cur, reconstruct(incoming), referentiel.sha256, auteur)
            return True
        before = state_of_db(cur)
        if difference(before, incoming).empty:
            return False
        _check_meanings(cur, incoming, hors_periode=hors_periode)
        adopted = adoption_of(incoming)
        write_tables(cur, incoming, referentiel.sha256)
        numero = _record(cur, Stage(incoming, incoming["feuille_de_route"][0].get("version"), adopted),
                         referentiel.sha256, auteur)
        _record_retirements(cur, numero, before, incoming, adopted or date.today())
    return True


def _check_meanings(cur: duckdb.DuckDBPyConnection, after: State, *, hors_periode: bool) -> None:
    """Refuse what would misread what is recorded (`meaning.risks`), or a replacement of an indicator nobody
    knows."""
    problems = meaning.risks(cur, after, family=meaning.LOAD).refusals(hors_periode=hors_periode)
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


def undo(con: duckdb.DuckDBPyConnection, numero: int, auteur: str, *, hors_periode: bool = False) -> int:
    """Put back the version before `numero` (the one in force), exactly as it was; return its number.

    Refused when entries were made since for a fiche or an indicator that version does not have (undo their
    imports first), when it would read an entry or a target under another meaning, and, unless `hors_periode`,
    when it would leave entries outside its years."""
    with db.transaction(con) as cur:
        found = first_row(cur, sql.VERSION_BY_NUMERO, [numero])
        current = first_row(cur, sql.VERSION_EN_VIGUEUR)
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
        refusals = meaning.risks(cur, state_of_frozen(data), family=meaning.UNDO).refusals(hors_periode=hors_periode)
        if refusals:
            raise RejectedInput(refusals)
        restore(cur, {k: bytes(v) for k, v in data.items()})
        cur.execute(sql.DELETE_RETRAITS, [numero])
        cur.execute(sql.ANNULER_VERSION, {"numero": numero, "auteur": auteur})
    return int(previous)
