"""Targets with provenance: a target is stated by the roadmap's text (with its wording) or set by the coordination
(who, when, why), and every screen and export says which.

The coordination's decisions are rows of `cibles_fixees`, never overwritten: setting a target adds a row, undoing
one marks it undone. The effective target of an indicator is its latest decision not undone, else the text's
(`sql.INDICATEURS` works it out); a decision without a value withdraws the target, the text's included. Every
write is one transaction; every refusal says, in French, what to type instead.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from . import db, formatting, rules, sql
from .problems import NO_REFERENTIEL, NotFound, Problem, RejectedInput, quote
from .queries import Reader, frame
from .sheets import parse_number

TEXTE, COORDINATION, INCONNUE = "texte", "coordination", "inconnue"
# How each origin is named on screen and in exports.
ORIGINES = {TEXTE: "feuille de route", COORDINATION: "coordination", INCONNUE: "origine non enregistrée"}
MOTIF_MAX, AUTEUR_MAX = 500, 100
# The columns the référentiel's indicators carry about their target, beyond the workbook's own.
PROVENANCE_COLUMNS = ("cible_origine", "cible_detail", "cible_provenance")
_DECISION_COLUMNS = ["cible_decision", "cible_auteur", "cible_fixee_le", "cible_motif"]
_MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
         "novembre", "décembre")


def date_longue(moment: Any) -> str:
    """« 2 décembre 2026 », « 1er mars 2027 »: how a decision's date is said."""
    day = pd.Timestamp(moment)
    return f"{'1er' if day.day == 1 else day.day} {_MOIS[day.month - 1]} {day.year}"


def _present(value: Any) -> bool:
    return value is not None and not (not isinstance(value, str) and pd.isna(value)) and str(value).strip() != ""


def detail(origine: Any, source: Any = None, auteur: Any = None, fixee_le: Any = None, motif: Any = None,
           cible: Any = None) -> str | None:
    """Where a target comes from, in words: the text's wording, or « fixée par X le 2 décembre 2026 : motif »."""
    if origine == TEXTE:
        return f"« {source} »" if _present(source) else "écrite dans la feuille de route"
    if origine == COORDINATION:
        verbe = "fixée" if _present(cible) else "retirée"
        return f"{verbe} par {auteur} le {date_longue(fixee_le)} : {motif}"
    if origine == INCONNUE:
        return "clôture faite avant que l'origine des cibles soit enregistrée"
    return None


def provenance(origine: Any, detail_: Any) -> str | None:
    """« coordination : fixée par … », « feuille de route : « … » »: the origin and its detail in one cell."""
    if not _present(origine):
        return None
    label = ORIGINES.get(str(origine), str(origine))
    return f"{label} : {detail_}" if _present(detail_) else label


def origine_courte(origine: Any) -> str | None:
    """The origin in a word or two, for a chart's annotation: « (coordination) »."""
    return ORIGINES.get(str(origine)) if _present(origine) else None


def with_provenance(indicateurs: pd.DataFrame) -> pd.DataFrame:
    """The indicators of `sql.INDICATEURS`, the decision's author, date and reason turned into `cible_detail` and
    `cible_provenance` (the frames every read model, export and closure carries)."""
    out = indicateurs.copy()
    details = [detail(o, s, a, f, m, c) for o, s, a, f, m, c in zip(
        out["cible_origine"], out["cible_source"], out["cible_auteur"], out["cible_fixee_le"], out["cible_motif"],
        out["cible"])]
    out["cible_detail"] = pd.Series(details, index=out.index, dtype="object")
    out["cible_provenance"] = pd.Series([provenance(o, d) for o, d in zip(out["cible_origine"], details)],
                                        index=out.index, dtype="object")
    return out.drop(columns=_DECISION_COLUMNS)


def tolerate_old(indicateurs: pd.DataFrame) -> pd.DataFrame:
    """Indicators frozen by a closure made before targets had an origin: a target then shown is of unknown origin
    (it may be one the text never stated), said so rather than passed off as the text's."""
    if all(column in indicateurs.columns for column in PROVENANCE_COLUMNS):
        return indicateurs
    out = indicateurs.copy()
    has_target = out["cible"].notna() | out["echeance"].notna()
    out["cible_origine"] = pd.Series([INCONNUE if t else None for t in has_target], index=out.index, dtype="object")
    out["cible_detail"] = pd.Series([detail(o) for o in out["cible_origine"]], index=out.index, dtype="object")
    out["cible_provenance"] = pd.Series([provenance(o, d) for o, d in zip(out["cible_origine"], out["cible_detail"])],
                                        index=out.index, dtype="object")
    return out


# --------------------------------------------------------------------------------------------------
# Writes: one transaction each
# --------------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", "" if value is None else str(value)).strip()


def _valeur(code: str, unite: str | None, valeur: Any, problems: list[Problem]) -> float | None:
    number: float | None
    if isinstance(valeur, bool):
        valeur = str(valeur)
    if isinstance(valeur, (int, float)):
        number, percent = float(valeur), False
        if pd.isna(number) or number in (float("inf"), float("-inf")):
            number = None
        typed = formatting.number(number, 4) if number is not None else str(valeur)
    else:
        typed = _text(valeur)
        if not typed:
            problems.append(Problem("cible-valeur-manquante",
                                    f"Indiquez la valeur de la cible de {code} (par exemple 120 ou 2,5), ou retirez "
                                    "la cible."))
            return None
        number, percent = parse_number(typed)
    if number is None:
        problems.append(Problem("cible-valeur-invalide",
                                f"{quote(typed)} n'est pas un nombre : écrivez la cible comme 120, 1 234 ou 2,5.",
                                value=typed))
        return None
    if percent and unite != "%":
        problems.append(Problem("cible-pourcentage",
                                f"{code} se compte en {unite or 'valeur sans unité'}, pas en % : écrivez la cible "
                                "sans « % ».", value=typed))
        return None
    if number <= 0:
        problems.append(Problem("cible-valeur-negative",
                                f"Une cible est un nombre supérieur à 0 ({quote(typed)}) ; pour ne plus suivre de "
                                "cible, retirez-la.", value=typed))
        return None
    return number


def _echeance(echeance: Any, debut: int, fin: int, problems: list[Problem]) -> int | None:
    typed = str(echeance) if isinstance(echeance, int) else _text(echeance)
    if not typed:
        return None
    if not typed.isdigit() or not debut <= int(typed) <= fin:
        problems.append(Problem("cible-echeance-invalide",
                                f"L'échéance {quote(typed)} n'est pas une année de la feuille de route ({debut} à "
                                f"{fin}).",
                                value=typed))
        return None
    return int(typed)


def set_target(con: duckdb.DuckDBPyConnection, code: str, valeur: Any, echeance: Any, motif: str, auteur: str, *,
               retirer: bool = False, now: datetime | None = None) -> int:
    """Record the coordination's target for indicator `code` (or, with `retirer`, that it has none); return the
    decision's number. `valeur` is read as a French user types it (« 2,5 », « 1 234 »); `echeance` is a year of the
    roadmap or empty (the end of the roadmap). Every problem is reported at once; nothing is written then."""
    code = _text(code).upper()
    motif, auteur = _text(motif), _text(auteur)
    problems: list[Problem] = []
    with db.transaction(con) as cur:
        found = cur.execute(sql.INDICATEUR_POUR_CIBLE, [code]).fetchone()
        years = cur.execute(sql.ANNEES).fetchone()
        if years is None:
            raise NotFound(NO_REFERENTIEL)
        debut, fin = years
        cible: float | None = None
        if found is None:
            problems.append(Problem("cible-indicateur-inconnu",
                                    f"L'indicateur {quote(code)} n'existe pas dans la feuille de route (code comme "
                                    "F03-I1).", value=code))
        elif found[1] not in rules.CHIFFRABLES:
            problems.append(Problem("cible-type-non-chiffre",
                                    f"{code} est un indicateur {found[1]} : il n'a pas de cible chiffrée (seuls les "
                                    "indicateurs nombre ou ratio en ont).", value=code))
        elif retirer:
            if _present(valeur) or _present(echeance):
                problems.append(Problem("cible-retrait-avec-valeur",
                                        "Pour retirer la cible, ne donnez ni valeur ni échéance."))
        else:
            cible = _valeur(code, found[2] or None, valeur, problems)
        annee = None if retirer else _echeance(echeance, int(debut), int(fin), problems)
        if not motif:
            problems.append(Problem("cible-motif-manquant",
                                    "Indiquez le motif de la décision (par exemple « validé en comité technique du "
                                    "2 décembre 2026 »)."))
        elif len(motif) > MOTIF_MAX:
            problems.append(Problem("cible-motif-trop-long", f"Le motif dépasse {MOTIF_MAX} caractères."))
        if not auteur:
            problems.append(Problem("cible-auteur-manquant", "Indiquez qui fixe la cible."))
        elif len(auteur) > AUTEUR_MAX:
            problems.append(Problem("cible-auteur-trop-long", f"Le nom dépasse {AUTEUR_MAX} caractères."))
        if problems:
            raise RejectedInput(problems)
        decision = int(cur.execute(sql.NEXT_CIBLE_ID).fetchall()[0][0])
        cur.execute(sql.INSERT_CIBLE, {"id": decision, "indicateur": code, "cible": cible, "echeance": annee,
                                       "motif": motif, "auteur": auteur, "fixee_le": now or datetime.now(),
                                       # The meaning the value was typed under (`versions.meaning` keeps it).
                                       "sens_type": found[1] if found else None,
                                       "sens_unite": found[2] if found else None})
    return decision


def undo_target(con: duckdb.DuckDBPyConnection, decision: int, auteur: str, *, en_vigueur_vue: int | None = None,
                now: datetime | None = None) -> str:
    """Undo the coordination's decision `decision`: the indicator's target is again the previous decision not undone,
    else the text's. Return the indicator's code.

    `en_vigueur_vue`: the decision the indicator followed on the screen the person confirmed from; if another one
    is in force now (recorded or undone meanwhile, in another tab), the undo is refused rather than acting on a
    state the person did not see."""
    auteur = _text(auteur)
    with db.transaction(con) as cur:
        found = cur.execute(sql.CIBLE_BY_ID, [decision]).fetchone()
        if found is None:
            raise RejectedInput([Problem("cible-inconnue", f"La décision de cible n°{decision} n'existe pas.")])
        if found[2] is not None:
            raise RejectedInput([Problem("cible-deja-annulee",
                                         f"La décision de cible n°{decision} a déjà été annulée.")])
        if en_vigueur_vue is not None:
            now_in_force = cur.execute(sql.CIBLE_EN_VIGUEUR, [found[1]]).fetchall()[0][0]
            if now_in_force != en_vigueur_vue:
                raise RejectedInput([Problem(
                    "cible-changee-depuis",
                    f"La cible de {found[1]} a changé depuis l'affichage de la page (la décision n°{now_in_force} "
                    f"est en vigueur, vous aviez vu la n°{en_vigueur_vue}) : rien n'a été annulé. Relisez "
                    "l'historique des cibles, puis recommencez.")])
        if not auteur:
            raise RejectedInput([Problem("cible-auteur-manquant", "Indiquez qui annule la décision.")])
        cur.execute(sql.ANNULER_CIBLE, {"id": decision, "auteur": auteur, "annulee_le": now or datetime.now()})
    return str(found[1])


def history(con: Reader) -> pd.DataFrame:
    """Every decision of the coordination, latest first, with `en_vigueur` for the one each indicator follows."""
    return frame(con, sql.CIBLES_HISTORIQUE)
