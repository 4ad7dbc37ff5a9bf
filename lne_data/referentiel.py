"""The reference workbook: read it, check it whole, load it in one transaction.

The layout is documented in README.md. Nothing here knows about the Lot: another territory's
roadmap in the same layout loads the same way.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import duckdb
import pyarrow as pa

from . import referentiel_tet, sql
from .problems import Problem, Problems, RejectedInput, Severity, quote
from .rules import PERIODICITES
from .sheets import Column, Table, normalise_choice, read_table
from .xlsx import WorkbookRejected, read_workbook, read_workbook_isolated

P = "referentiel"

NATURES = ("etp", "temps", "personnes", "investissement", "charge", "produit", "valorisation", "autre")
TYPES_INDICATEUR = ("nombre", "ratio", "livrable", "qualitatif")
MODES = ("flux", "stock")

SHEETS: dict[str, list[Column]] = {
    "feuille_de_route": [
        Column("titre", mandatory=True, example="Lot Numérique Ensemble 2024-2027"),
        Column("territoire", mandatory=True, example="Lot"),
        Column("structure_coordinatrice", mandatory=True, example="Lot Numérique"),
        Column("annee_debut", "entier", mandatory=True, example="2024"),
        Column("annee_fin", "entier", mandatory=True, example="2027"),
        Column("version", required=False),
        Column("source", required=False),
        # Date the comité adopted the version transcribed; absent: the latest fiche's `ajoutee_le` (versions.store).
        Column("adoptee_le", "date", required=False),
    ],
    "axes": [
        Column("code", "entier", mandatory=True, example="1"),
        Column("libelle", mandatory=True, example="Lot Numérique Responsable"),
    ],
    "objectifs": [
        Column("code", mandatory=True, example="2.3"),
        Column("axe", "entier", mandatory=True, example="2"),
        Column("libelle", mandatory=True),
        Column("libelle_sommaire", required=False),
        Column("note", required=False),
    ],
    "fiches": [
        Column("numero", "entier", mandatory=True, example="6"),
        Column("objectif", mandatory=True, example="2.2"),
        Column("intitule", mandatory=True),
        Column("titre_sommaire", required=False),
        Column("public_cible", required=False),
        Column("enjeux", required=False),
        Column("description", required=False),
        Column("freins", required=False),
        Column("leviers", required=False),
        Column("ressources_existantes", required=False),
        Column("ajoutee_le", "date", required=False),
        Column("version", required=False),
    ],
    "structures": [
        Column("nom", mandatory=True, example="Lot Numérique"),
        Column("variantes", required=False),
        Column("type", required=False),
    ],
    "porteurs": [
        Column("fiche", "entier", mandatory=True, example="5"),
        Column("structure", mandatory=True, example="Lot Numérique"),
        Column("role", mandatory=True, choices=("porteur", "co-porteur"), example="porteur"),
        Column("niveau", required=False),
        Column("source", required=False),
    ],
    "partenaires": [
        Column("fiche", "entier", mandatory=True, example="5"),
        Column("structure", mandatory=True),
        Column("precision", required=False),
        Column("source", required=False),
    ],
    "moyens": [
        Column("fiche", "entier", mandatory=True, example="3"),
        Column("rubrique", mandatory=True, choices=("RH", "INVESTISSEMENT", "BUDGET"), example="RH"),
        Column("nature", mandatory=True, choices=NATURES, example="etp"),
        Column("structure", required=False),
        Column("attribution", required=False, choices=("explicite", "porteur unique", "non précisée")),
        Column("libelle", required=False),
        Column("quantifie", "booleen", mandatory=True, example="oui"),
        Column("montant", "nombre", required=False, example="0,1"),
        Column("unite", required=False, choices=("ETP", "EUR", "personnes")),
        Column("periodicite", required=False, choices=PERIODICITES),
        Column("annee", "entier", required=False),
        Column("conditionnel", "booleen", required=False, example="non"),
        Column("partage", "booleen", required=False, example="non"),
        Column("source", mandatory=True, example="0,10 ETP en mobilisation ponctuelle de la coordinatrice"),
        Column("note", required=False),
    ],
    "indicateurs": [
        Column("code", mandatory=True, example="F06-I1"),
        Column("fiche", "entier", mandatory=True, example="6"),
        Column("libelle", mandatory=True),
        Column("type", mandatory=True, choices=TYPES_INDICATEUR, example="nombre"),
        Column("unite", required=False),
        Column("mode", mandatory=True, choices=MODES, example="flux"),
        Column("cible", "nombre", required=False),
        Column("cible_source", required=False),
        Column("echeance", "entier", required=False),
        # The code of an indicator whose meaning this one takes over (a new code, since entries typed under the
        # old meaning must not be read under the new one); the old one is retired, its entries kept.
        Column("remplace", required=False),
    ],
}

CODE_INDICATEUR = re.compile(r"^F(\d{2,})-I(\d+)$")


@dataclass
class Referentiel:
    sha256: str
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # What was read with a warning (a Territoires en Transitions plan: every cell not taken): the command line and
    # the Feuille de route page say it, since the workbook loads all the same.
    avertissements: list[Problem] = field(default_factory=list)

    @property
    def feuille_de_route(self) -> dict[str, Any]:
        return self.tables["feuille_de_route"][0]


def read_referentiel(source: bytes | BinaryIO, *, isolated: bool = False) -> Referentiel:
    """Read and check the whole workbook; raise RejectedInput with every problem found. `isolated`: parse it in a
    child process with limits, as every upload to the dashboard is."""
    data = source if isinstance(source, bytes) else source.read()
    reader = read_workbook_isolated if isolated else read_workbook
    try:
        workbook = reader(data, wanted_sheets=set(SHEETS))
        if not any(workbook.find(sheet) for sheet in SHEETS):
            # None of the reference workbook's sheets: perhaps a plan-import workbook of Territoires en Transitions,
            # whose data sheet is found by its content (A2), whatever its name.
            whole = reader(data)
            found = referentiel_tet.find_sheet(whole)
            if found is not None:
                return _from_tet(data, referentiel_tet.read_plan(whole, found))
    except WorkbookRejected as exc:
        raise RejectedInput(exc.problems) from exc
    problems = Problems()  # grouped as found, like a quarterly file's
    tables: dict[str, Table] = {}
    for sheet, columns in SHEETS.items():
        table, found_problems = read_table(workbook, sheet, columns, prefix=P)
        problems.extend(found_problems)
        if table is not None:
            tables[sheet] = table
    if len(tables) == len(SHEETS):
        problems.extend(check_consistency(tables))
    return _checked(data, tables, problems)


def _checked(data: bytes, tables: dict[str, Table], problems: Problems) -> Referentiel:
    """The référentiel, or RejectedInput with every problem when one is an error."""
    if any(p.is_error for p in problems):
        raise RejectedInput(list(problems))
    return Referentiel(
        sha256=hashlib.sha256(data).hexdigest(),
        tables={name: [clean(r) for r in table.records] for name, table in tables.items()},
        avertissements=[p for p in problems if not p.is_error],
    )


def _from_tet(data: bytes, plan: referentiel_tet.TetPlan) -> Referentiel:
    """A Territoires en Transitions plan mapped onto the référentiel's sheets, then checked as a reference workbook
    is (`check_consistency`): every record has every column of its sheet, those the plan does not give empty."""
    problems = plan.problems
    if plan.tables and not any(p.is_error for p in problems):
        for name, table in plan.tables.items():
            for record in table.records:
                for column in SHEETS[name]:
                    record.setdefault(column.name, None)
        problems.extend(check_consistency(plan.tables))
    return _checked(data, plan.tables, problems)


def clean(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if not k.startswith("_")}


def check_consistency(tables: dict[str, Table]) -> list[Problem]:
    """Cross-sheet rules: unique keys, references that resolve, amounts that match their flags.

    Also rewrites structure names to their normalised `nom`, so that « Lot numérique » and « Lot Numérique »
    are one structure downstream.
    """
    found = _Found()
    _check_roadmap(tables["feuille_de_route"], found)
    axes = found.unique(tables["axes"], "code", "L'axe")
    objectifs = _check_objectifs(tables["objectifs"], axes, found)
    fiches = _check_fiches(tables["fiches"], objectifs, found)
    names = _structure_names(tables["structures"], found)
    for sheet in ("porteurs", "partenaires", "moyens"):
        _check_links(tables[sheet], fiches, names, found, pairs_unique=sheet != "moyens")
    _check_moyens(tables["moyens"], found)
    _check_indicateurs(tables["indicateurs"], fiches, found)
    return found.problems


class _Found:
    """The problems `check_consistency` finds, each said at its record's row and column."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def at(self, table: Table, record: dict[str, Any], column: str, code: str, message: str,
           severity: Severity = "erreur") -> None:
        self.problems.append(Problem(f"{P}-{code}", message, severity, sheet=table.sheet, row=record["_row"],
                                     column=table.columns.get(column)))

    def unique(self, table: Table, key: str, label: str) -> set[Any]:
        """The values of `key` in `table`, each seen twice said."""
        seen: set[Any] = set()
        for record in table.records:
            value = record[key]
            if value is None:
                continue
            if value in seen:
                self.at(table, record, key, "doublon",
                        f"{label} {quote(value)} apparaît deux fois : gardez une seule ligne.")
            seen.add(value)
        return seen


def _check_roadmap(fdr: Table, found: _Found) -> None:
    if len(fdr.records) != 1:
        found.problems.append(
            Problem(
                f"{P}-feuille-de-route-unique",
                f"La feuille « feuille_de_route » doit avoir exactement une ligne de données ({len(fdr.records)} "
                "trouvée(s)).",
                sheet=fdr.sheet,
            )
        )
    else:
        record = fdr.records[0]
        if record["annee_debut"] and record["annee_fin"] and record["annee_debut"] > record["annee_fin"]:
            found.at(fdr, record, "annee_fin", "annees-inversees", "L'année de fin précède l'année de début.")


def _check_objectifs(objectifs_table: Table, axes: set[Any], found: _Found) -> set[Any]:
    objectifs = found.unique(objectifs_table, "code", "L'objectif")
    for record in objectifs_table.records:
        if record["axe"] is not None and record["axe"] not in axes:
            found.at(
                objectifs_table, record, "axe", "axe-inconnu",
                f"L'axe {record['axe']} n'existe pas dans la feuille « axes » (axes connus : "
                f"{', '.join(map(str, sorted(axes))) or 'aucun'}).",
            )
    return objectifs


def _check_fiches(fiches_table: Table, objectifs: set[Any], found: _Found) -> set[Any]:
    fiches = found.unique(fiches_table, "numero", "La fiche n°")
    for record in fiches_table.records:
        if record["objectif"] is not None and record["objectif"] not in objectifs:
            found.at(
                fiches_table, record, "objectif", "objectif-inconnu",
                f"L'objectif {quote(record['objectif'])} n'existe pas dans la feuille « objectifs ».",
            )
    return fiches


def _structure_names(structures_table: Table, found: _Found) -> dict[str, str]:
    """Every way a structure is written (its name, its variantes), normalised, to its name."""
    found.unique(structures_table, "nom", "La structure")
    names: dict[str, str] = {}
    for record in structures_table.records:
        if record["nom"] is None:
            continue
        names[normalise_choice(record["nom"])] = record["nom"]
    for record in structures_table.records:
        for variant in (record["variantes"] or "").split(";"):
            key = normalise_choice(variant)
            if not key or record["nom"] is None:
                continue
            if key in names and names[key] != record["nom"]:
                found.at(
                    structures_table, record, "variantes", "variante-ambigue",
                    f"La variante {quote(variant.strip())} désigne déjà {quote(names[key])} : une variante ne peut "
                    "désigner qu'une structure.",
                )
            names.setdefault(key, record["nom"])
    return names


def _resolve_structure(table: Table, record: dict[str, Any], names: dict[str, str], found: _Found) -> None:
    value = record["structure"]
    if value is None:
        return
    nom = names.get(normalise_choice(value))
    if nom is None:
        found.at(
            table, record, "structure", "structure-inconnue",
            f"La structure {quote(value)} n'est pas dans la feuille « structures » : ajoutez-la (ou sa "
            "variante d'écriture) dans cette feuille.",
        )
    else:
        record["structure"] = nom


def _check_links(table: Table, fiches: set[Any], names: dict[str, str], found: _Found, *,
                 pairs_unique: bool) -> None:
    """A porteurs, partenaires or moyens sheet: its fiches exist, its structures are known (and rewritten to their
    name); a structure is named once per fiche, but in `moyens`."""
    seen_pairs: set[tuple[Any, Any]] = set()
    for record in table.records:
        if record["fiche"] is not None and record["fiche"] not in fiches:
            found.at(table, record, "fiche", "fiche-inconnue",
                     f"La fiche n°{record['fiche']} n'existe pas dans « fiches ».")
        _resolve_structure(table, record, names, found)
        if pairs_unique and record["structure"] is not None:
            pair = (record["fiche"], record["structure"])
            if pair in seen_pairs:
                found.at(
                    table, record, "structure", "doublon",
                    f"La structure {quote(record['structure'])} figure deux fois pour la fiche "
                    f"n°{record['fiche']}.",
                )
            seen_pairs.add(pair)


def _check_moyens(moyens: Table, found: _Found) -> None:
    for record in moyens.records:
        if record["quantifie"] is True and record["montant"] is None:
            found.at(moyens, record, "montant", "montant-manquant",
                     "La ligne est marquée quantifiée (« oui ») mais n'a pas de montant : saisissez le montant ou "
                     "écrivez « non » dans « quantifie ».")
        if record["quantifie"] is True and (record["unite"] is None or (
                record["unite"] == "EUR" and record["periodicite"] is None)):
            found.at(moyens, record, "unite", "unite-manquante",
                     "Une ligne quantifiée doit préciser son unité (ETP, EUR, personnes) et, pour un montant en euros, "
                     "sa périodicité (« non précisée » quand le texte ne la donne pas).")
        if record["unite"] in ("ETP", "personnes") and record["periodicite"] not in (None, "par structure"):
            # A warning, not a refusal: workbooks written before this rule say « ponctuel » there, and the
            # figures do not change (an ETP line counts the same whatever its period, unless per structure).
            found.at(moyens, record, "periodicite", "periodicite-etp",
                     f"{quote(record['periodicite'])} ne s'applique pas à des ETP ou à des personnes, qui sont une "
                     "part de temps plein ou un effectif, pas une dépense datée : la ligne est lue comme une part de "
                     "temps plein. Laissez la périodicité vide, ou écrivez « par structure » quand le texte les "
                     "demande à chaque structure.", "avertissement")
        if record["quantifie"] is False and record["montant"] is not None:
            found.at(moyens, record, "montant", "montant-non-quantifie",
                     "La ligne porte un montant mais est marquée non quantifiée : écrivez « oui » dans « quantifie » "
                     "ou videz le montant.")
        if record["montant"] is not None and record["montant"] < 0:
            found.at(moyens, record, "montant", "montant-negatif", "Un montant ne peut pas être négatif.")
        if record["periodicite"] == "annee" and record["annee"] is None:
            found.at(moyens, record, "annee", "annee-manquante",
                     "La périodicité « annee » demande l'année concernée dans la colonne « annee ».")


def _check_indicateurs(indicateurs: Table, fiches: set[Any], found: _Found) -> None:
    found.unique(indicateurs, "code", "L'indicateur")
    for record in indicateurs.records:
        code, fiche = record["code"], record["fiche"]
        if fiche is not None and fiche not in fiches:
            found.at(indicateurs, record, "fiche", "fiche-inconnue",
                     f"La fiche n°{fiche} n'existe pas dans « fiches ».")
        match = CODE_INDICATEUR.match(code or "")
        if code is not None and (match is None or (fiche is not None and int(match[1]) != fiche)):
            expected = f"F{fiche:02d}-I1" if isinstance(fiche, int) else "F06-I1"
            found.at(
                indicateurs, record, "code", "code-indicateur-invalide",
                f"Le code {quote(code)} ne suit pas la forme F<fiche sur 2 chiffres>-I<rang> de sa fiche "
                f"(par exemple {expected}).",
            )
        else:
            record["rang"] = int(match[2]) if match else None
    codes = {r["code"] for r in indicateurs.records if r["code"] is not None}
    for record in indicateurs.records:
        replaced = record.get("remplace")
        if replaced is None:
            continue
        if not CODE_INDICATEUR.match(replaced):
            found.at(indicateurs, record, "remplace", "remplace-invalide",
                     f"« remplace » doit être le code d'un indicateur (par exemple F03-I1), pas {quote(replaced)}.")
        elif replaced in codes:
            found.at(indicateurs, record, "remplace", "remplace-encore-present",
                     f"L'indicateur {quote(replaced)} est remplacé par {quote(record['code'])} mais figure encore "
                     "dans le classeur : retirez sa ligne (ses saisies sont gardées).")


def tables_of(referentiel: Referentiel) -> dict[str, list[dict[str, Any]]]:
    """The rows each référentiel table receives: a workbook without the optional oui/non columns says no line is
    conditional or shared; a moyen's id is its line's rank."""
    return {**referentiel.tables,
            "moyens": [{**record, "id": index, "conditionnel": bool(record.get("conditionnel")),
                        "partage": bool(record.get("partage"))}
                       for index, record in enumerate(referentiel.tables["moyens"], 1)]}


def write_tables(cur: duckdb.DuckDBPyConnection, tables: dict[str, list[dict[str, Any]]], sha256: str) -> None:
    """Replace every référentiel table by `tables` (as `tables_of` gives them), inside the caller's transaction."""
    for table in sql.REFERENTIEL_TABLES:
        cur.execute(sql.DELETE_ALL[table])
    cur.execute(sql.INSERT_FEUILLE_DE_ROUTE,
                sql.bind(sql.INSERT_FEUILLE_DE_ROUTE, {**tables["feuille_de_route"][0], "sha256": sha256}))
    for table, columns in sql.REFERENTIEL_COLUMNS.items():
        cur.register(sql.REFERENTIEL_ENTRANT, _arrow(tables[table], columns))
        try:
            cur.execute(sql.INSERT_REFERENTIEL[table])
        finally:
            cur.unregister(sql.REFERENTIEL_ENTRANT)


def _arrow(records: list[dict[str, Any]], columns: tuple[str, ...]) -> pa.Table:
    """The records as columns. Arrow infers each column's type from the Python values, as binding them one row at
    a time did (int, float, str, bool, date, or null when a column is empty), and DuckDB casts them to the table's
    types on insert; Arrow, unlike pandas, keeps ints with gaps as ints and never turns None into NaN."""
    return pa.table({name: pa.array([record.get(name) for record in records]) for name in columns})
