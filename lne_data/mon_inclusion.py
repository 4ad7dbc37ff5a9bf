"""Mon Inclusion Numérique (MIN), the State's tool where a France Numérique Ensemble gouvernance declares its
roadmap's actions: MIN's own vocabulary (the 11 besoins an action ticks) and what the coordination decides for it,
fiche by fiche — the besoins it confirms, the identifier MIN gave the action — each with who and when.

The besoins of MIN, their labels and the four headings they sit under are MIN's, as read in its public code
(anct-cnum/suite-gestionnaire-numerique, 2026: `BesoinsPossible`, `BESOINS_LABELS`, `AjouterDesBesoins.tsx`), in
the order its form lists them; the labels are written as MIN writes them (« les acteur », « un fond »), since the
coordinatrice finds the box to tick by its words.

Decisions are rows, never overwritten (as `cibles`): confirming adds a row, undoing marks it undone, and the
besoins in force of a fiche are its latest confirmation not undone. Every write is one transaction; every refusal
says, in French, what to type instead, and leaves the database as it was.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

import duckdb

from . import db, sql
from .formatting import UNWRITABLE
from .problems import Problem, RejectedInput, hidden, quote

# MIN's form, heading by heading, each besoin's code and label.
RUBRIQUES: dict[str, dict[str, str]] = {
    "Besoin relatif à la formation des feuilles de route": {
        "etablir_un_diagnostic_territorial": "Établir un diagnostic territorial",
        "co_construire_la_feuille_de_route": "Co-construire la feuille de route avec les membres",
        "rediger_la_feuille_de_route": "Rédiger la feuille de route",
        "appui_juridique": "Appui juridique dédié à la gouvernance",
    },
    "Besoin relatif au financement du déploiement": {
        "structurer_un_fonds": "Structurer un fond local pour l’inclusion numérique",
        "monter_dossiers_de_subvention": "Monter des dossiers de subvention complexes",
        "animer_la_gouvernance": "Animer et mettre en œuvre la gouvernance et la feuille de route",
    },
    "Besoin relatif à l’outillage des acteurs": {
        "structurer_une_filiere_de_reconditionnement": "Structurer une filière de reconditionnement locale",
        "collecter_des_donnees_territoriales": "Collecter des données territoriales pour alimenter un hub national",
        "sensibiliser_les_acteurs_aux_outils_existants":
            "Sensibiliser les acteur de l’inclusion numérique aux outils existants",
    },
    "Besoins relatifs à la formation des professionnels de l’inclusion numérique": {
        "appuyer_la_certification_qualiopi": "Appuyer la certification Qualiopi de structures privées portant des "
                                             "formations à l’inclusion numérique",
    },
}
# Every besoin's label by its code, in MIN's order: the order besoins are stored, exported and shown in.
BESOINS: dict[str, str] = {code: label for rubrique in RUBRIQUES.values() for code, label in rubrique.items()}
RUBRIQUE_DE: dict[str, str] = {code: rubrique for rubrique, codes in RUBRIQUES.items() for code in codes}
AUTEUR_MAX, IDENTIFIANT_MAX = 100, 200
_FICHE = re.compile(r"(?:fiche\s*(?:n°|no|n)?\s*|f)?0*(\d{1,6})", re.IGNORECASE)


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", "" if value is None else str(value)).strip()


def fiche_number(text: Any) -> int | None:
    """The fiche a person names: « F03 », « 3 », « fiche 3 », « Fiche n°3 »; None when it names none."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    found = _FICHE.fullmatch(_text(text))
    return int(found.group(1)) if found else None


def besoins_of(text: str) -> list[str]:
    """The codes of a stored confirmation (`min_besoins.besoins`), in MIN's order."""
    return [code for code in text.split(",") if code]


def _fiche(cur: duckdb.DuckDBPyConnection, fiche: Any, problems: list[Problem]) -> int | None:
    numero = fiche_number(fiche)
    if numero is None or cur.execute(sql.FICHE_POUR_MIN, [numero]).fetchone() is None:
        shown = _text(fiche) if not isinstance(fiche, int) else str(fiche)
        problems.append(Problem("min-fiche-inconnue",
                                f"La fiche {quote(shown)} n'est pas une fiche de la feuille de route en vigueur "
                                "(écrivez son numéro : 3 ou F03).", value=shown))
        return None
    return numero


def _auteur(auteur: Any, problems: list[Problem]) -> str:
    name = _text(auteur)
    if not name:
        problems.append(Problem("min-auteur-manquant", "Indiquez votre nom : il est enregistré avec la décision."))
    elif len(name) > AUTEUR_MAX:
        problems.append(Problem("min-auteur-trop-long", f"Le nom dépasse {AUTEUR_MAX} caractères."))
    return name


def _codes(besoins: Any, problems: list[Problem]) -> list[str]:
    """The besoins typed (codes separated by commas, or a list), checked against MIN's 11, in MIN's order."""
    typed = besoins.split(",") if isinstance(besoins, str) else list(besoins or [])
    codes = [_text(code).lower() for code in typed if _text(code)]
    unknown = [code for code in codes if code not in BESOINS]
    for code in unknown:
        problems.append(Problem("min-besoin-inconnu",
                                f"{quote(code)} n'est pas un besoin de Mon Inclusion Numérique : choisissez parmi "
                                f"{', '.join(BESOINS)}.", value=code))
    if not codes:
        problems.append(Problem("min-besoins-vides",
                                "Mon Inclusion Numérique demande au moins un besoin par action : confirmez-en un ou "
                                "plusieurs (codes séparés par des virgules)."))
    return [code for code in BESOINS if code in codes]


def confirm_besoins(con: duckdb.DuckDBPyConnection, fiche: Any, besoins: Any, auteur: str, *,
                    now: datetime | None = None) -> int:
    """Record that the coordination confirms `besoins` (MIN's codes) for the action of `fiche`; return the
    decision's number. Every problem is reported at once; nothing is written then."""
    problems: list[Problem] = []
    with db.transaction(con) as cur:
        numero = _fiche(cur, fiche, problems)
        codes = _codes(besoins, problems)
        name = _auteur(auteur, problems)
        if problems:
            raise RejectedInput(problems)
        decision = int(cur.execute(sql.NEXT_MIN_BESOINS_ID).fetchall()[0][0])
        cur.execute(sql.INSERT_MIN_BESOINS, {"id": decision, "fiche": numero, "besoins": ",".join(codes),
                                             "auteur": name, "confirme_le": now or datetime.now()})
    return decision


def undo_besoins(con: duckdb.DuckDBPyConnection, fiche: Any, auteur: str, *, en_vigueur_vue: int | None = None,
                 now: datetime | None = None) -> int:
    """Undo the confirmation in force of `fiche`'s besoins: the previous one not undone is in force again, else
    none (the export then proposes the suggested besoins, said unconfirmed). Return the decision undone.

    `en_vigueur_vue`: the confirmation the screen showed when the person clicked; if another one is in force now
    (confirmed or undone meanwhile, in another tab), nothing is undone."""
    problems: list[Problem] = []
    with db.transaction(con) as cur:
        numero = _fiche(cur, fiche, problems)
        name = _auteur(auteur, problems)
        if problems or numero is None:
            raise RejectedInput(problems)
        in_force = cur.execute(sql.MIN_BESOINS_EN_VIGUEUR_DE, [numero]).fetchall()[0][0]
        if in_force is None:
            raise RejectedInput([Problem("min-aucune-confirmation",
                                         f"Les besoins de la fiche {numero} ne sont pas confirmés : rien à annuler.")])
        if en_vigueur_vue is not None and in_force != en_vigueur_vue:
            raise RejectedInput([Problem(
                "min-confirmation-changee-depuis",
                f"Les besoins confirmés de la fiche {numero} ont changé depuis l'affichage de la page (la "
                f"confirmation n°{in_force} est en vigueur, vous aviez vu la n°{en_vigueur_vue}) : rien n'a été "
                "annulé. Relisez-les, puis recommencez.")])
        cur.execute(sql.ANNULER_MIN_BESOINS, {"id": in_force, "auteur": name, "annule_le": now or datetime.now()})
    return int(in_force)


def _identifiant(identifiant: Any, problems: list[Problem]) -> str:
    typed = _text(identifiant)
    if not typed:
        problems.append(Problem("min-identifiant-vide",
                                "Indiquez l'identifiant de l'action dans Mon Inclusion Numérique (ou retirez-le)."))
    elif len(typed) > IDENTIFIANT_MAX:
        problems.append(Problem("min-identifiant-trop-long", f"L'identifiant dépasse {IDENTIFIANT_MAX} caractères."))
    elif UNWRITABLE.search(typed) or any(hidden(c, spaces=False) for c in typed):
        problems.append(Problem("min-identifiant-invalide",
                                f"L'identifiant {quote(typed)} contient un caractère invisible : recopiez-le depuis "
                                "Mon Inclusion Numérique.", value=typed))
    return typed


def set_identifiant(con: duckdb.DuckDBPyConnection, fiche: Any, identifiant: Any, auteur: str, *,
                    retirer: bool = False, now: datetime | None = None) -> int:
    """Record the identifier MIN gave the action of `fiche` (stored as typed, in Unicode NFC), or with `retirer`
    that it has none; return the decision's number. One action of MIN is one fiche: an identifier another fiche
    holds is refused."""
    problems: list[Problem] = []
    with db.transaction(con) as cur:
        numero = _fiche(cur, fiche, problems)
        typed = None if retirer else _identifiant(identifiant, problems)
        if retirer and _text(identifiant):
            problems.append(Problem("min-retrait-avec-identifiant",
                                    "Pour retirer l'identifiant, n'en donnez pas de nouveau."))
        if typed and numero is not None:
            taken = cur.execute(sql.MIN_IDENTIFIANT_PRIS, {"identifiant": typed, "fiche": numero}).fetchall()
            if taken:
                problems.append(Problem("min-identifiant-deja-pris",
                                        f"L'identifiant {quote(typed)} est déjà celui de la fiche {taken[0][0]} : une "
                                        "action de Mon Inclusion Numérique correspond à une seule fiche.",
                                        value=typed))
        name = _auteur(auteur, problems)
        if problems:
            raise RejectedInput(problems)
        decision = int(cur.execute(sql.NEXT_MIN_IDENTIFIANT_ID).fetchall()[0][0])
        cur.execute(sql.INSERT_MIN_IDENTIFIANT, {"id": decision, "fiche": numero, "identifiant": typed,
                                                 "auteur": name, "saisi_le": now or datetime.now()})
    return decision
