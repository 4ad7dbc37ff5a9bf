"""Reading versions: the list and the one in force, an older version's tables in a database of its own (`restored`,
which `views.version_reference` reads through the read models of the one in force), what a version changed
(`changes_of`), the retired fiches and indicators, and what the « Feuille de route » page shows (`VersionsView`,
`RetiredView`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from .. import db, sql
from ..problems import NotFound
from ..queries import frame, rows
from ..referentiel import Referentiel
from . import meaning
from .changes import Difference, State, difference, state_of_db, state_of_frozen, state_of_referentiel
from .store import first_row, restore

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
        raise NotFound(f"La version n°{numero} de la feuille de route n'existe pas.")
    return data


def state_of_version(con: duckdb.DuckDBPyConnection, numero: int) -> State:
    data = _data(con, numero)
    return state_of_frozen(data)


def restored(con: duckdb.DuckDBPyConnection, numero: int) -> duckdb.DuckDBPyConnection:
    """Version `numero`'s frozen tables in a database of its own, in memory, for the read models to read as they read
    the version in force (`views.version_reference`). The caller closes it."""
    data = _data(con, numero)
    memory = duckdb.connect()
    try:
        db.migrate(memory)
        restore(memory, data)
    except BaseException:
        memory.close()
        raise
    return memory


def difference_with_in_force(con: duckdb.DuckDBPyConnection, referentiel: Referentiel) -> Difference:
    """What loading `referentiel` would change (empty on a database without a référentiel, or the same workbook)."""
    cur = con.cursor()
    try:
        row = first_row(cur, sql.REFERENTIEL_SHA)
        if row is None or row[0] == referentiel.sha256:
            return Difference()
        return difference(state_of_db(cur), state_of_referentiel(referentiel))
    finally:
        cur.close()


def risks_of(con: duckdb.DuckDBPyConnection, referentiel: Referentiel) -> meaning.Risks:
    """What loading `referentiel` would do to the entries and targets recorded (shown before it is applied)."""
    cur = con.cursor()
    try:
        return meaning.risks(cur, state_of_referentiel(referentiel), family=meaning.LOAD)
    finally:
        cur.close()


def undo_risks(con: duckdb.DuckDBPyConnection, numero: int) -> meaning.Risks:
    """What undoing version `numero` would do to the entries and targets recorded, by bringing back the one before."""
    before = previous(con, numero)
    if before is None:
        return meaning.Risks()
    state = state_of_version(con, before)
    cur = con.cursor()
    try:
        return meaning.risks(cur, state, family=meaning.UNDO)
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
# What the « Feuille de route » page shows
# --------------------------------------------------------------------------------------------------

# Which version is in force comes right after its name: at a projector's width the last columns are off screen.
VERSION_COLUMNS = {"numero": "N°", "libelle": "Version", "etat": "État", "adoptee_le": "Adoptée le",
                   "fiches": "Fiches", "charge_par": "Chargée par", "charge_le": "Chargée le",
                   "reconstituee": "Reconstituée"}
# The workbook's fingerprint, for whoever checks a file against a version: apart, under « Détails techniques ».
VERSION_FINGERPRINT_COLUMNS = {"numero": "N°", "libelle": "Version", "sha256": "Empreinte SHA-256"}
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
