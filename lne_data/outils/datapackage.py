"""The roadmap and its entries as open data: a Frictionless Data Package (`export --format datapackage`).

One CSV file per table — axes, objectifs, fiches (with their money and ETP as `rules` counts them), prévu par année,
structures, porteurs, partenaires, moyens, indicateurs, valeurs, versions — each described by its Table Schema in
`datapackage.json` (types, constraints, primary and foreign keys, French descriptions), and every version of the
roadmap as a row of the SCDL « Délibérations » format (schema 2.1.5, stored in `schemas/` as published).

What the data says, and only that:
- an amount the roadmap does not give is an empty cell beside a column that says « non chiffré », never 0;
- example values are marked (`exemple` = oui) and the package's description says they are fictitious;
- a field of the SCDL schema the roadmap does not give (the syndicat's SIRET, the deliberation's number, its ACTES
  subject, the votes) is left empty and named (`A_COMPLETER`, `remarques`): the file must be completed before it
  is published, nothing is invented to pass the schema;
- no person's name: who loaded a version, who set a target or typed a value stay in the dashboard.

Texts are written exactly as stored (a text starting with « = » stays so): the files are for data portals and
tools, which read CSV as text; a spreadsheet imports them (Données > À partir d'un fichier texte).
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from .. import cibles, periodes, referentiel, rules, versions, views
from .base import Format

# The SCDL « Délibérations » schema this export follows, byte for byte as schema.data.gouv.fr publishes it.
SCDL_SCHEMA = Path(__file__).parent / "schemas" / "scdl-deliberations-2.1.5.json"
SCDL_SOURCE = "https://schema.data.gouv.fr/schemas/scdl/deliberations/2.1.5/schema.json"
# Fields the SCDL requires that the roadmap does not give: empty here, to be completed before publication.
A_COMPLETER = ("COLL_SIRET", "DELIB_ID", "DELIB_MATIERE_CODE", "DELIB_MATIERE_NOM")
DESCRIPTOR = "datapackage.json"

OUI, NON = "oui", "non"
CHIFFRAGES = [rules.CHIFFRE, rules.NON_CHIFFRE]


# --------------------------------------------------------------------------------------------------
# Table Schemas: one field each, in French
# --------------------------------------------------------------------------------------------------


def champ(nom: str, type_: str, description: str, *, requis: bool = False, **contraintes: Any) -> dict[str, Any]:
    """A Table Schema field; `contraintes` are its constraints (enum, minimum, pattern, unique)."""
    field: dict[str, Any] = {"name": nom, "type": type_, "description": description}
    if type_ == "boolean":
        field.update(trueValues=[OUI], falseValues=[NON])
    constraints = {**({"required": True} if requis else {}), **contraintes}
    if constraints:
        field["constraints"] = constraints
    return field


def texte(nom: str, description: str, **options: Any) -> dict[str, Any]:
    return champ(nom, "string", description, **options)


def euros(nom: str, description: str) -> dict[str, Any]:
    return champ(nom, "number", f"{description} (euros). Vide quand la fiche est « non chiffrée », jamais 0.",
                 minimum=0)


def etps(nom: str, description: str) -> dict[str, Any]:
    return champ(nom, "number", f"{description} (équivalents temps plein). Vide quand la feuille de route ne "
                                "chiffre aucun ETP pour la fiche, jamais 0.", minimum=0)


def choix(column: str, sheet: str) -> list[str]:
    """The values a column of the reference workbook accepts (`referentiel.SHEETS`), as its loader checks them."""
    found = next(c for c in referentiel.SHEETS[sheet] if c.name == column)
    return list(found.choices or ())


def _fk(field: str, resource: str, key: str) -> dict[str, Any]:
    return {"fields": [field], "reference": {"resource": resource, "fields": [key]}}


FICHE = champ("fiche", "integer", "Numéro de la fiche action (clé de « fiches »).", requis=True)
SOURCE = texte("source", "Texte exact de la feuille de route.")

RESOURCES: dict[str, dict[str, Any]] = {
    "axes": {
        "title": "Axes stratégiques",
        "fields": [champ("code", "integer", "Numéro de l'axe, tel que la feuille de route le donne.", requis=True),
                   texte("libelle", "Nom de l'axe, tel qu'écrit.", requis=True)],
        "primaryKey": ["code"],
    },
    "objectifs": {
        "title": "Objectifs opérationnels",
        "fields": [texte("code", "Numéro de l'objectif (2.3) ; l'objectif unique et non numéroté d'un axe est N.1.",
                         requis=True, pattern=r"\d+\.\d+"),
                   champ("axe", "integer", "Numéro de son axe.", requis=True),
                   texte("libelle", "Intitulé, tel que les fiches l'écrivent.", requis=True),
                   texte("libelle_sommaire", "Intitulé du sommaire quand il diffère."),
                   texte("note", "Choix de transcription, quand il en a fallu un.")],
        "primaryKey": ["code"],
        "foreignKeys": [_fk("axe", "axes", "code")],
    },
    "fiches": {
        "title": "Fiches action",
        "fields": [
            champ("numero", "integer", "Numéro de la fiche action.", requis=True),
            champ("axe", "integer", "Numéro de son axe.", requis=True),
            texte("objectif", "Numéro de son objectif.", requis=True),
            texte("intitule", "« Intitulé de l'action ».", requis=True),
            texte("titre_sommaire", "Titre du sommaire quand il diffère de l'intitulé."),
            texte("public_cible", "Public cible, tel qu'écrit."),
            texte("enjeux", "Enjeux, tels qu'écrits."),
            texte("description", "Description de l'action, telle qu'écrite (listes : une ligne par élément)."),
            texte("freins", "Freins identifiés, tels qu'écrits."),
            texte("leviers", "Leviers, tels qu'écrits."),
            texte("ressources_existantes", "Ressources existantes, telles qu'écrites."),
            champ("ajoutee_le", "date", "Date à laquelle la fiche est entrée dans la feuille de route."),
            texte("version", "Version de la feuille de route qui l'a introduite."),
            texte("chiffrage", "« non chiffré » quand la feuille de route ne donne aucun montant pour la fiche : "
                               "ses montants sont alors vides, jamais 0.", requis=True, enum=CHIFFRAGES),
            euros("prevu_eur", "Prévu sur la feuille de route : montants ponctuels et sans période précisée (une "
                               "fois), « par an » × années de vie de la fiche, montants d'une année donnée"),
            euros("prevu_sous_condition_eur", "Dont prévu sous condition (« possibilité de… », « en option »)"),
            euros("a_repartir_eur", "Dont à répartir sur la période, dans aucune année précise"),
            euros("ponctuel_eur", "Montants ponctuels (dépensés une fois)"),
            euros("par_an_eur", "Montants donnés « par an » (pour une année)"),
            euros("par_annee_eur", "Montants d'une année donnée, toutes années ajoutées"),
            euros("non_precise_eur", "Montants d'une activité qui dure, sans période précisée par le texte"),
            euros("par_structure_eur", "Montant par structure partenaire, jamais ajouté aux totaux : le nombre de "
                                       "structures n'est pas fixé"),
            texte("chiffrage_etp", "« non chiffré » quand la feuille de route ne chiffre aucun ETP pour la fiche.",
                  requis=True, enum=CHIFFRAGES),
            etps("etp", "ETP comptés (hors ETP demandés à chaque structure partenaire)"),
            etps("etp_partage", "Dont ETP également investis sur d'autres actions"),
            etps("etp_par_structure", "ETP demandés à chaque structure partenaire, jamais ajoutés aux totaux"),
        ],
        "primaryKey": ["numero"],
        "foreignKeys": [_fk("axe", "axes", "code"), _fk("objectif", "objectifs", "code")],
    },
    "prevu_par_annee": {
        "title": "Argent prévu par année",
        "description": "Ce que le texte place dans chaque année (« par an », années données) ; les montants à "
                       "répartir sur la période sont dans « fiches » (a_repartir_eur).",
        "fields": [FICHE, champ("annee", "year", "Année.", requis=True),
                   champ("prevu_eur", "number", "Prévu cette année-là (euros).", requis=True, minimum=0),
                   champ("prevu_sous_condition_eur", "number", "Dont sous condition (euros).", requis=True,
                         minimum=0)],
        "primaryKey": ["fiche", "annee"],
        "foreignKeys": [_fk("fiche", "fiches", "numero")],
    },
    "structures": {
        "title": "Structures",
        "fields": [texte("nom", "Nom normalisé, employé dans toutes les autres tables.", requis=True),
                   texte("variantes", "Autres graphies trouvées dans le texte, séparées par « ; »."),
                   texte("type", "collectivité, État, association, réseau, entreprise, établissement public, "
                                 "autre.")],
        "primaryKey": ["nom"],
    },
    "porteurs": {
        "title": "Porteurs des fiches",
        "fields": [FICHE, texte("structure", "Structure porteuse (clé de « structures »).", requis=True),
                   texte("role", "porteur (seul) ou co-porteur (plusieurs).", requis=True,
                         enum=choix("role", "porteurs")),
                   texte("niveau", "Niveau, quand le texte le donne."), SOURCE],
        "primaryKey": ["fiche", "structure"],
        "foreignKeys": [_fk("fiche", "fiches", "numero"), _fk("structure", "structures", "nom")],
    },
    "partenaires": {
        "title": "Partenaires des fiches",
        "fields": [FICHE, texte("structure", "Structure partenaire (clé de « structures »).", requis=True),
                   texte("precision", "Précision donnée par le texte."), SOURCE],
        "primaryKey": ["fiche", "structure"],
        "foreignKeys": [_fk("fiche", "fiches", "numero"), _fk("structure", "structures", "nom")],
    },
    "moyens": {
        "title": "Moyens des fiches (argent et temps)",
        "fields": [
            champ("id", "integer", "Rang de la ligne dans le classeur de référence.", requis=True),
            FICHE,
            texte("rubrique", "Case de la fiche : RH, INVESTISSEMENT, ou BUDGET (tableau de budget détaillé).",
                  requis=True, enum=choix("rubrique", "moyens")),
            texte("nature", "etp, temps (non chiffré), personnes, investissement, charge, produit (financement), "
                            "valorisation (apport en nature), autre.", requis=True, enum=choix("nature", "moyens")),
            texte("structure", "Qui apporte la ligne, quand le texte le dit (clé de « structures ») ; vide sinon."),
            texte("attribution", "Comment la structure a été fixée.", enum=choix("attribution", "moyens")),
            texte("libelle", "Libellé court."),
            texte("chiffrage", "« non chiffré » quand le texte ne donne pas de nombre (« temps ponctuel », « à "
                               "définir », « en option », case vide) : montant vide, jamais 0. Les mots du texte "
                               "sont dans « source ».", requis=True, enum=CHIFFRAGES),
            champ("montant", "number", "Montant dans son unité ; vide quand non chiffré.", minimum=0),
            texte("unite", "EUR, ETP ou personnes.", enum=choix("unite", "moyens")),
            texte("periodicite", "Pour les euros : ponctuel, par an, annee (une année donnée), par structure, non "
                                 "précisée.", enum=choix("periodicite", "moyens")),
            texte("periode", "La période en mots, comme l'écrit le tableau de bord."),
            champ("annee", "year", "L'année, pour la périodicité « annee »."),
            champ("conditionnel", "boolean", "Le texte rend la ligne conditionnelle.", requis=True),
            champ("partage", "boolean", "Le texte dit la ressource aussi dépensée sur d'autres actions.",
                  requis=True),
            SOURCE,
            texte("note", "Choix de transcription, quand il en a fallu un."),
        ],
        "primaryKey": ["id"],
        "foreignKeys": [_fk("fiche", "fiches", "numero"), _fk("structure", "structures", "nom")],
    },
    "indicateurs": {
        "title": "Indicateurs de suivi",
        "fields": [
            texte("code", "F{fiche}-I{rang}, par exemple F06-I1.", requis=True, pattern=r"F\d{2,}-I\d+"),
            FICHE,
            champ("rang", "integer", "Rang de l'indicateur dans sa fiche.", requis=True, minimum=1),
            texte("libelle", "Libellé, tel qu'écrit.", requis=True),
            texte("type", "nombre, ratio, livrable ou qualitatif.", requis=True,
                  enum=choix("type", "indicateurs")),
            texte("unite", "Unité d'un nombre ou d'un ratio."),
            texte("mode", "flux (chaque trimestre dit ce qui s'y est passé ; les valeurs s'additionnent) ou stock "
                          "(chaque valeur est le niveau atteint).", requis=True, enum=choix("mode", "indicateurs")),
            champ("cible", "number", "Cible en vigueur, quand il y en a une."),
            texte("cible_origine", "texte : la feuille de route l'écrit ; coordination : fixée par la coordination "
                                   "(qui, quand et pourquoi : page Indicateurs du tableau de bord).",
                  enum=[cibles.TEXTE, cibles.COORDINATION]),
            texte("cible_source", "Mots du texte qui donnent la cible ou l'échéance."),
            champ("echeance", "year", "Année où la cible ou le livrable est dû."),
        ],
        "primaryKey": ["code"],
        "foreignKeys": [_fk("fiche", "fiches", "numero")],
    },
    "valeurs": {
        "title": "Valeurs saisies",
        "description": "Une ligne par indicateur et trimestre saisi. Les valeurs d'exemple (fictives, fournies "
                       "avant le premier import réel) ont exemple = oui.",
        "fields": [
            texte("indicateur", "Code de l'indicateur (clé de « indicateurs »).", requis=True),
            FICHE,
            texte("periode", "Trimestre, AAAA-Tn.", requis=True, pattern=r"\d{4}-T[1-4]"),
            champ("valeur", "number", "Valeur d'un nombre ou d'un ratio ; avancement d'un livrable (0 non commencé, "
                                      "0,5 en cours, 1 réalisé)."),
            texte("texte", "Texte saisi : un indicateur qualitatif, l'état d'un livrable."),
            texte("valeur_affichee", "La valeur comme le tableau de bord l'écrit (« 4 médiateurs », « en cours »).",
                  requis=True),
            texte("commentaire", "Commentaire du porteur."),
            champ("exemple", "boolean", "oui : valeur d'exemple, fictive.", requis=True),
        ],
        "primaryKey": ["indicateur", "periode"],
        "foreignKeys": [_fk("indicateur", "indicateurs", "code"), _fk("fiche", "fiches", "numero")],
    },
    "versions": {
        "title": "Versions de la feuille de route",
        "fields": [
            champ("numero", "integer", "Numéro de la version.", requis=True),
            texte("libelle", "Libellé de la version (colonne « version » du classeur)."),
            champ("adoptee_le", "date", "Date d'adoption par le comité."),
            champ("charge_le", "datetime", "Chargement dans le tableau de bord.", requis=True),
            champ("fiches", "integer", "Nombre de fiches action.", requis=True, minimum=0),
            texte("reconstituee", "Quand la version ne vient pas d'un classeur : la règle qui l'a reconstituée."),
            texte("sha256", "Empreinte du classeur chargé (ou de son contenu).", requis=True,
                  pattern="[0-9a-f]{64}"),
            champ("annulee_le", "datetime", "Annulation dans le tableau de bord (erreur de chargement)."),
            champ("en_vigueur", "boolean", "oui : la version en vigueur.", requis=True),
        ],
        "primaryKey": ["numero"],
    },
}


# --------------------------------------------------------------------------------------------------
# The SCDL « Délibérations »: each version of the roadmap, as the schema stored here says
# --------------------------------------------------------------------------------------------------


def scdl_schema() -> dict[str, Any]:
    """The SCDL « Délibérations » schema, as published (`SCDL_SOURCE`)."""
    schema: dict[str, Any] = json.loads(SCDL_SCHEMA.read_text(encoding="utf-8"))
    return schema


def left_empty(rows: pd.DataFrame) -> list[str]:
    """The fields the SCDL requires that are empty in some row of `rows` (`deliberations`): always `A_COMPLETER`,
    and DELIB_DATE when a version has no adoption date."""
    required = [f["name"] for f in scdl_schema()["fields"] if f.get("constraints", {}).get("required")]
    return [name for name in required if name in A_COMPLETER or rows[name].isna().any()]


def deliberations_schema(empty: list[str]) -> dict[str, Any]:
    """The SCDL fields, in its order, with its types, formats, patterns and descriptions; a field it requires that
    is left `empty` (the roadmap does not give it) is not required here and says so: the package stays valid and
    tells what publishing it as SCDL still needs."""
    fields = []
    for source in scdl_schema()["fields"]:
        field = {k: source[k] for k in ("name", "type", "format", "title", "description", "constraints")
                 if k in source}
        if source["name"] in empty:
            field["constraints"] = {k: v for k, v in source.get("constraints", {}).items() if k != "required"}
            field["description"] += (" — Laissé vide : la feuille de route ne le donne pas. Le schéma SCDL "
                                     "l'exige : à compléter avant de publier le fichier.")
        fields.append(field)
    return {"fields": fields}


def deliberations(ref: views.Reference, listed: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per version of the roadmap not undone (an undone version was a loading error, not a deliberation):
    the structure that coordinates the roadmap (its comité adopts it), the adoption date, the object in words. Every
    other field is empty: the roadmap does not give it."""
    titre = ref.feuille_de_route["titre"]
    names = [f["name"] for f in scdl_schema()["fields"]]
    rows = []
    for v in listed:
        if v["annulee_le"]:
            continue
        what = f" — {v['libelle']}" if v["libelle"] else ""
        rows.append({"COLL_NOM": ref.feuille_de_route["structure_coordinatrice"], "DELIB_DATE": v["adoptee_le"],
                     "DELIB_OBJET": f"Feuille de route « {titre} »{what} : {v['fiches']} fiches action"})
    return pd.DataFrame(rows, columns=names)


# --------------------------------------------------------------------------------------------------
# The tables, read through the read models and `rules`
# --------------------------------------------------------------------------------------------------


def fiches(ref: views.Reference) -> pd.DataFrame:
    """The fiches with their money (`views.budget`: the overview's and `summary`'s) and their ETP (`rules.fiche_etp`
    over `views.charge`'s lines)."""
    money = views.budget(ref, views.Filters()).par_fiche
    staff = views.charge(ref, views.Filters(), capacite=None).par_fiche
    table = ref.fiches.rename(columns={"numero": "fiche"}).merge(money.drop(columns=["intitule", "axe", "objectif"]),
                                                                 on="fiche")
    table = table.merge(rules.fiche_etp(staff, ref.fiches["numero"]), on="fiche")
    table = table.rename(columns={"fiche": "numero", "prevu": "prevu_eur", "sous_condition": "prevu_sous_condition_eur",
                                  "a_repartir": "a_repartir_eur", "ponctuel": "ponctuel_eur", "par_an": "par_an_eur",
                                  "par_annee": "par_annee_eur", "non_precise": "non_precise_eur",
                                  "par_structure": "par_structure_eur"})
    table["ajoutee_le"] = table["ajoutee_le"].map(_day)
    return table


def prevu_par_annee(ref: views.Reference) -> pd.DataFrame:
    plan = views.budget(ref, views.Filters()).prevu_annees
    return plan.rename(columns={"montant": "prevu_eur", "sous_condition": "prevu_sous_condition_eur"})


def moyens(ref: views.Reference) -> pd.DataFrame:
    """Every resource line; one the text does not quantify says « non chiffré », its amount empty (`rules.chiffree`)."""
    table = ref.moyens.copy()
    quantified = [rules.chiffree(q, m) for q, m in zip(table["quantifie"], table["montant"])]
    table["chiffrage"] = [rules.CHIFFRE if q else rules.NON_CHIFFRE for q in quantified]
    table["montant"] = table["montant"].where(quantified)
    table["periode"] = [rules.periodicite_label(p, a, u) for p, a, u in
                        zip(table["periodicite"], table["annee"], table["unite"].astype(object))]
    return table


def valeurs(con: duckdb.DuckDBPyConnection, ref: views.Reference) -> pd.DataFrame:
    """Every value entered, written as the dashboard writes it (`rules.valeur_indicateur`); who typed it left out."""
    table = views.valeurs(con).rename(columns={"valeur_texte": "texte"})
    kinds = ref.indicateurs.set_index("code")[["type", "unite"]]
    kind = kinds.reindex(table["indicateur"])
    table["valeur_affichee"] = [rules.valeur_indicateur(t, u, v, x) for t, u, v, x in
                                zip(kind["type"], kind["unite"].astype(object), table["valeur"], table["texte"])]
    return table


def tables(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Every resource's rows, by resource name (RESOURCES, then « deliberations »)."""
    ref = views.reference(con)
    listed = versions.as_json(con)
    return {
        "axes": ref.axes,
        "objectifs": ref.objectifs,
        "fiches": fiches(ref),
        "prevu_par_annee": prevu_par_annee(ref),
        "structures": ref.structures,
        "porteurs": ref.porteurs,
        "partenaires": ref.partenaires,
        "moyens": moyens(ref),
        "indicateurs": ref.indicateurs,
        "valeurs": valeurs(con, ref),
        "versions": pd.DataFrame(listed, columns=[f["name"] for f in RESOURCES["versions"]["fields"]]),
        "deliberations": deliberations(ref, listed),
    }


def _day(value: Any) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).date().isoformat()


# --------------------------------------------------------------------------------------------------
# Writing: CSV cells as their Table Schema types read them, the descriptor, the zip
# --------------------------------------------------------------------------------------------------


def cell(value: Any, type_: str) -> str:
    """One CSV cell: empty for a missing value; `oui`/`non`; a number without a needless « .0 »; a date or a moment
    in ISO 8601; a text exactly as stored."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if type_ == "boolean":
        return OUI if bool(value) else NON
    if type_ in ("integer", "year"):
        return str(int(value))
    if type_ == "number":
        number = float(value)
        return str(int(number)) if number.is_integer() else repr(number)
    if type_ == "date":
        return pd.Timestamp(value).date().isoformat()
    if type_ == "datetime":
        return pd.Timestamp(value).isoformat(timespec="seconds")
    return str(value)


def csv_bytes(table: pd.DataFrame, fields: list[dict[str, Any]]) -> bytes:
    """The resource's CSV: UTF-8, comma-separated, the fields in their schema's order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f["name"] for f in fields])
    columns = [(table[f["name"]].astype(object), f["type"]) for f in fields]
    for i in range(len(table)):
        writer.writerow([cell(values.iat[i], type_) for values, type_ in columns])
    return out.getvalue().encode("utf-8")


def slug(text: str) -> str:
    """« Lot Numérique Ensemble 2024-2027 » → « lot-numerique-ensemble-2024-2027 », a package name."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-") or "feuille-de-route"


def descriptor(ref: views.Reference, data: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """`datapackage.json`: the package, then each resource with its path and Table Schema."""
    fdr = ref.feuille_de_route
    examples = int(data["valeurs"]["exemple"].sum())
    about = (f"La feuille de route « {fdr['titre']} » ({fdr['territoire']}), version « {fdr['version']} », et ses "
             "saisies trimestrielles, telles que le tableau de bord de suivi les tient. Un montant que la feuille de "
             "route ne donne pas est vide, à côté d'une colonne qui dit « non chiffré » : jamais 0. Aucun nom de "
             "personne n'y figure.")
    if examples:
        about += (f" Attention : {examples} valeurs d'exemple, fictives, y figurent (colonne exemple = oui) ; elles "
                  "disparaissent au premier import de vraies saisies.")
    resources = []
    for name, spec in {**RESOURCES, "deliberations": _deliberations_resource(data["deliberations"])}.items():
        schema = {k: spec[k] for k in ("fields", "primaryKey", "foreignKeys") if k in spec}
        resources.append({"name": name, "path": f"{name}.csv", "title": spec["title"],
                          **({"description": spec["description"]} if "description" in spec else {}),
                          "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
                          "encoding": "utf-8", "schema": schema})
    package: dict[str, Any] = {"name": slug(str(fdr["titre"])), "title": str(fdr["titre"]), "description": about,
                               "profile": "tabular-data-package"}
    if isinstance(fdr.get("source"), str) and fdr["source"]:
        package["sources"] = [{"title": fdr["source"]}]
    return {**package, "resources": resources}


def _deliberations_resource(rows: pd.DataFrame) -> dict[str, Any]:
    scdl = scdl_schema()
    empty = left_empty(rows)
    return {"title": "Délibérations (SCDL)",
            "description": (f"Chaque version de la feuille de route adoptée, au format SCDL « Délibérations » "
                            f"{scdl['version']} ({SCDL_SOURCE}). Champs laissés vides, que la feuille de route ne "
                            f"donne pas et que le schéma exige : {', '.join(empty)}."),
            **deliberations_schema(empty)}


def package_files(con: duckdb.DuckDBPyConnection) -> dict[str, bytes]:
    """Every file of the package, by name: `datapackage.json` first, then one CSV per resource."""
    ref = views.reference(con)
    data = tables(con)
    described = descriptor(ref, data)
    files = {DESCRIPTOR: (json.dumps(described, ensure_ascii=False, indent=2) + "\n").encode("utf-8")}
    for resource in described["resources"]:
        files[resource["path"]] = csv_bytes(data[resource["name"]], resource["schema"]["fields"])
    return files


def zip_bytes(files: dict[str, bytes], day: date) -> bytes:
    """The files in a zip, at its root (`frictionless validate` reads the zip itself), dated `day`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=(day.year, day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def build(con: duckdb.DuckDBPyConnection) -> bytes:
    """The data package as a zip of its folder."""
    return zip_bytes(package_files(con), periodes.today())


def remarques(con: duckdb.DuckDBPyConnection) -> list[str]:
    """What this database's package leaves to do before it is published."""
    data = tables(con)
    found = []
    rows = len(data["deliberations"])
    if rows:
        found.append(f"deliberations.csv ({rows} version{'s' if rows > 1 else ''} de la feuille de route) : "
                     f"{', '.join(left_empty(data['deliberations']))} sont vides — la feuille de route ne les donne "
                     "pas et le schéma SCDL les exige. Complétez-les avant de publier ce fichier.")
    examples = int(data["valeurs"]["exemple"].sum())
    if examples:
        found.append(f"{examples} valeurs d'exemple, fictives, sont dans valeurs.csv (exemple = oui) : ne publiez pas "
                     "ce paquet avant le premier import de vraies saisies.")
    return found


DATAPACKAGE = Format(
    nom="datapackage",
    outil="Données ouvertes (data.gouv.fr)",
    libelle="Paquet de données ouvertes (Frictionless Data Package)",
    fichier="lne-donnees-ouvertes.zip",
    mime="application/zip",
    pour=("Toute la feuille de route et ses saisies en données ouvertes : un fichier CSV par table (axes, "
          "objectifs, fiches avec leur argent prévu et leurs ETP, structures, porteurs, partenaires, moyens, "
          "indicateurs, valeurs saisies, versions), chacun décrit dans datapackage.json (types, clés, descriptions "
          "en français), lisible par data.gouv.fr et tout outil Frictionless. Un montant que la feuille de route ne "
          "donne pas y est « non chiffré », jamais 0 ; les valeurs d'exemple y sont marquées. Chaque version de la "
          "feuille de route y est aussi une ligne au format SCDL « Délibérations » (deliberations.csv)."),
    ensuite=(
        "Décompresser le zip : il contient datapackage.json et un fichier CSV par table.",
        "Compléter dans deliberations.csv ce que la feuille de route ne donne pas : COLL_SIRET (SIRET du "
        "syndicat), DELIB_ID (numéro de chaque délibération), DELIB_MATIERE_CODE et DELIB_MATIERE_NOM (la matière "
        "de la nomenclature ACTES sous laquelle la délibération a été transmise) ; si vous les avez, les votes "
        "(VOTE_…), le contrôle de légalité (PREF_ID, PREF_DATE) et le lien du document (DELIB_URL).",
        "Valider deliberations.csv avec le validateur du SCDL (validata.fr, schéma « Délibérations » 2.1.5).",
        "Choisir la licence de publication (Licence Ouverte 2.0 ou ODbL, celles des administrations) et publier "
        "les fichiers sur data.gouv.fr au nom du syndicat.",
    ),
    ecrire=build,
    dossier=True,
    a_verifier=remarques,
)
