"""What a version may not do to what is already recorded: read an entry or a coordination's target under another
meaning than the one it was typed under, or leave entries outside the roadmap's years without anyone agreeing.

Every entry keeps the type, unit and mode of its indicator when it was imported (`saisies.sens_*`), every target
decision the type and unit it was typed in (`cibles_fixees.sens_*`). A state of the référentiel about to be put in
force — a new version, or the one an undo brings back — is compared with them here, before anything is written:
the same check for the Feuille de route page's preview, `init --appliquer`, `versions --annuler` and the writes
themselves (`store.load`, `store.undo`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from .. import formatting, periodes, sql
from ..problems import Problem
from ..rules import sens_indicateur
from .changes import MEANING_FIELDS, State, same

# What puts a state in force: a new version of the workbook (codes `referentiel-…`), an undo (codes `version-…`).
LOAD, UNDO = "chargement", "annulation"
HORS_PERIODE_OPTION = "--hors-periode"


@dataclass
class Risks:
    """What putting a state in force would do to what is recorded."""

    meaning: list[Problem] = field(default_factory=list)  # refused, whatever is confirmed
    outside: Problem | None = None  # entries left outside the roadmap's years: only once confirmed

    def refusals(self, *, hors_periode: bool) -> list[Problem]:
        """The problems that refuse the change: a change of meaning always, entries outside the years unless the
        person confirmed it (`hors_periode`)."""
        return self.meaning + ([self.outside] if self.outside is not None and not hors_periode else [])

    @property
    def problems(self) -> list[Problem]:
        """Everything to say before the change, in words."""
        return self.refusals(hors_periode=False)


def risks(cur: duckdb.DuckDBPyConnection, target: State, *, family: str) -> Risks:
    """Compare `target` (the state about to be in force) with the entries and the coordination's targets in the
    database. `family`: LOAD or UNDO, which family of codes and the wording of what to do."""
    indicateurs = {r["code"]: r for r in target["indicateurs"]}
    meaning = [_entries_misread(family, code, rows, indicateurs[code])
               for code, rows in _grouped(cur.execute(sql.SENS_DES_SAISIES).fetchall()).items()
               if code in indicateurs and _differs(rows, indicateurs[code])]
    for code, decision, cible, type_, unite in cur.execute(sql.SENS_DES_CIBLES).fetchall():
        record = indicateurs.get(code)
        if record is not None and type_ is not None and not (same(type_, record.get("type"))
                                                              and same(unite, record.get("unite"))):
            meaning.append(_target_misread(family, code, decision, cible, (type_, unite), record))
    fdr = target["feuille_de_route"][0]
    return Risks(meaning, _outside(cur, int(fdr["annee_debut"]), int(fdr["annee_fin"]), family))


def _grouped(found: list[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    for code, *rest in found:
        out.setdefault(code, []).append(tuple(rest))
    return out


def _differs(rows: list[tuple[Any, ...]], record: dict[str, Any]) -> bool:
    return any(not all(same(old, record.get(f)) for f, old in zip(MEANING_FIELDS, row[:3])) for row in rows)


def _fix(family: str, code: str) -> str:
    if family == UNDO:
        return ("Pour revenir en arrière, chargez plutôt une nouvelle version où cet indicateur garde son sens, ou "
                f"annulez d'abord les imports de {code} faits depuis.")
    return (f"Donnez-lui un nouveau code et écrivez « {code} » dans la colonne « remplace » du nouvel indicateur : "
            "l'ancien est retiré, ses saisies gardées avec leur sens, et le lien est enregistré.")


def _entries_misread(family: str, code: str, rows: list[tuple[Any, ...]], record: dict[str, Any]) -> Problem:
    count = sum(int(r[3]) for r in rows)
    first, last = min(r[4] for r in rows), max(r[5] for r in rows)
    when = periodes.label(first) if first == last else f"{periodes.label(first)} à {periodes.label(last)}"
    typed = " et ".join(sorted({sens_indicateur(*r[:3]) for r in rows}))
    who = "Cette version" if family == LOAD else "La version remise en vigueur"
    return Problem(
        "referentiel-sens-change" if family == LOAD else "version-sens-change",
        f"L'indicateur {code} a {formatting.number(count)} saisie(s) ({when}) faite(s) {typed} : {who.lower()} la "
        f"ferait lire {sens_indicateur(*(record.get(f) for f in MEANING_FIELDS))}, donc autrement. "
        + _fix(family, code),
        sheet="indicateurs" if family == LOAD else None, value=code)


def _target_misread(family: str, code: str, decision: int, cible: float, typed: tuple[Any, Any],
                    record: dict[str, Any]) -> Problem:
    seen = formatting.with_unit(float(cible), typed[1] or None)
    then = formatting.with_unit(float(cible), record.get("unite") or None)
    return Problem(
        "referentiel-cible-sens-change" if family == LOAD else "version-cible-sens-change",
        f"La cible de {code} fixée par la coordination (décision n°{decision} : {seen}) serait lue « {then} » : "
        f"l'indicateur se lirait {sens_indicateur(record.get('type'), record.get('unite'))} et non plus "
        f"{sens_indicateur(*typed)}. Retirez d'abord cette cible (page "
        f"« Indicateurs », ou « cible {code} --retirer »), ou donnez un nouveau code à l'indicateur.",
        sheet="indicateurs" if family == LOAD else None, value=code)


def _outside(cur: duckdb.DuckDBPyConnection, debut: int, fin: int, family: str) -> Problem | None:
    found = [(p, int(n)) for p, n in cur.execute(sql.PERIODES_SAISIES).fetchall()
             if not debut <= periodes.annee(p) <= fin]
    if not found:
        return None
    total = sum(n for _, n in found)
    listed = ", ".join(f"{periodes.label(p)} ({formatting.number(n)})" for p, n in found)
    who = "Cette version" if family == LOAD else "La version remise en vigueur"
    return Problem(
        "referentiel-saisies-hors-periode" if family == LOAD else "version-saisies-hors-periode",
        f"{who} couvre {debut}-{fin} : {formatting.number(total)} saisie(s) (valeurs et suivis) des trimestres "
        f"{listed} seraient hors de ses années. Elles resteraient enregistrées, hors de la feuille de route. Pour "
        f"appliquer quand même, confirmez-le (case à cocher, ou option « {HORS_PERIODE_OPTION} » de la ligne de "
        "commande).")
