"""Territoires en Transitions (TeT): the roadmap as its plan-import workbook (`plan`), and its indicators with the
columns of TeT's indicator export, one value per year (`indicateurs`).

The plan workbook is made for TeT's parser as its public code reads it (`referentiel_tet` says how): the data sheet
first, A2 `Axe (x)`, the 28 headers verbatim in row 2, the types in row 3, one action per fiche from row 4; axes
« 1. … », objectifs « 1.1 … », titles « n. intitulé » of at most 300 characters (hence unique within an axe); each
structure spelt as the référentiel names it, in every row; lists joined by TeT's separator, a name TeT would cut at
a comma written between « » (TeT keeps them in the name); the budget is the money the roadmap plans for the fiche
(`rules.fiche_plan`, the one figure of every page), empty when « non chiffré » — never 0; the statut is the fiche's
latest statut up to the last complete quarter, in TeT's own spelling (`STATUT_TET`); dates are date cells. A second
sheet, « À lire », says all this and where each statut comes from; TeT reads only the first.

An indicator's quarters become a year by its mode (`rules.valeurs_annuelles`: flux, the sum of the year's quarters;
stock, the year's last value), the rule written in the file; example values are a row of their own, their source
« Exemple (données fictives) ».
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any, NamedTuple

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import formatting, periodes, referentiel_tet, rules, views
from ..exports import set_text
from ..queries import Reader, consistent
from ..referentiel_tet import COLUMNS, HEADERS, MARK, TITRE_MAX, TYPES, join_list
from .base import Format

# The statut words of the Suivi sheet (saisie.STATUTS), each as TeT spells it among its own (referentiel_tet.STATUTS):
# written exactly, since TeT matches the rest fuzzily (« En attente » would become « En retard »). TeT's « Bloqué »,
# « En retard » and « A discuter » have no word in the Suivi sheet, and the météo is no statut: never inferred.
STATUT_TET = {"à venir": "À venir", "en cours": "En cours", "réalisé": "Réalisé", "en pause": "En pause",
              "abandonné": "Abandonné"}
PLAN_SHEET = "Plan d'action"
NOTES_SHEET = "À lire"
INDICATEURS_SHEET = "Indicateurs"  # TeT's own export's sheet
REGLE_SHEET = "Règle"
# TeT's indicator export, left to right, before one `<année> Résultat` column per year with a value, then one
# `<année> Objectif` per year with a target (apps/backend/src/indicateurs/indicateurs/export-indicateurs).
INDICATEUR_HEADERS = ("Identifiant", "Nom de l'indicateur", "Indicateur parent", "Unité", "Pilote",
                      "Direction ou service pilote", "Commentaire", "Source")
SOURCE = "Collectivité"  # TeT's word for the collectivité's own values
SOURCE_EXEMPLE = "Exemple (données fictives)"
MONTANTS_HT = ("La feuille de route ne dit pas si ses montants sont hors taxes ou toutes taxes comprises : ils sont "
               "écrits tels que le texte les donne, dans les colonnes « € HT » de Territoires en Transitions.")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_DATE_FORMAT = "DD/MM/YYYY"


# --------------------------------------------------------------------------------------------------
# The plan-import workbook
# --------------------------------------------------------------------------------------------------


@consistent
def plan(con: Reader) -> bytes:
    """The roadmap in force as TeT's plan-import workbook."""
    ref = views.reference(con)
    money = views.budget(ref, views.Filters())
    statuts, last = latest_statuts(con, ref)
    wb = Workbook()
    sheet = wb.active
    sheet.title = PLAN_SHEET
    _plan_head(sheet, str(ref.feuille_de_route["titre"]))
    fiches = ref.fiches.sort_values(["axe", "objectif", "numero"], key=_natural)
    par_fiche = ParFiche.of(ref, money)
    rows = [plan_row(ref, par_fiche, fiche, statuts.get(int(fiche.numero))) for fiche in fiches.itertuples()]
    for number, values in enumerate(rows, start=referentiel_tet.FIRST_DATA_ROW):
        for position, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=position)
            if isinstance(value, date):
                cell.value, cell.number_format = value, _DATE_FORMAT
            elif isinstance(value, str):
                set_text(cell, value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif value is not None:
                cell.value = value
    _notes_sheet(wb, ref, money, statuts, last)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _natural(column: pd.Series) -> pd.Series:
    """Objectif codes in their numbers' order (« 2.10 » after « 2.9 »)."""
    if column.name != "objectif":
        return column
    return column.map(lambda code: tuple(int(p) if p.isdigit() else 0 for p in str(code).split(".")))


def _plan_head(sheet: Worksheet, titre: str) -> None:
    """Row 1: the roadmap's title (TeT skips the row); row 2 the headers TeT checks; row 3 the types it skips."""
    set_text(sheet.cell(row=1, column=1), titre)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    for position, (header, kind) in enumerate(zip(HEADERS, TYPES), start=1):
        head = sheet.cell(row=referentiel_tet.HEADER_ROW, column=position)
        set_text(head, header)
        head.font, head.fill = Font(bold=True, color="FFFFFF"), _HEADER_FILL
        head.alignment = Alignment(wrap_text=True, vertical="top")
        set_text(sheet.cell(row=referentiel_tet.TYPES_ROW, column=position), kind)
        sheet.column_dimensions[get_column_letter(position)].width = 40 if position in (4, 6, 8, 11, 17) else 18
    assert sheet["A2"].value == MARK
    sheet.freeze_panes = "E4"


class Statut(NamedTuple):
    """A fiche's statut as written to TeT: the word (None: none to write), the quarter it comes from, its météo
    then, and why nothing is written when nothing is."""

    statut: str | None
    periode: str | None
    meteo: str | None
    remarque: str


def latest_statuts(con: Reader, ref: views.Reference) -> tuple[dict[int, Statut], str | None]:
    """Each fiche's latest real statut up to the last complete quarter (`periodes.last_complete`), and that quarter
    (None before the roadmap's first one ends). Example follow-ups are never written: TeT would hold them as real."""
    last = min(periodes.last_complete(periodes.today()), ref.periodes()[-1])
    found: dict[int, Statut] = {}
    examples: set[int] = set()
    entries = views.entries_of(con)
    for periode in reversed(ref.periodes_jusqua(last)):
        for row in entries.suivi_periode(periode).itertuples():
            fiche = int(row.fiche)
            if fiche in found or row.statut is None or pd.isna(row.statut):
                continue
            if bool(row.exemple):
                examples.add(fiche)
                continue
            meteo = None if row.meteo is None or pd.isna(row.meteo) else str(row.meteo)
            found[fiche] = Statut(STATUT_TET[str(row.statut)], periode, meteo,
                                  "" if periode == last else f"aucun statut pour {periodes.label(last)} : celui de "
                                                            f"{periodes.label(periode)}")
    for numero in ref.numeros():
        if numero not in found:
            found[numero] = Statut(None, None, None, "statut d'exemple (fictif) : non écrit" if numero in examples
                                   else "aucun statut déclaré : à renseigner dans Territoires en Transitions")
    return found, (last if ref.periodes_jusqua(last) else None)


@dataclass
class ParFiche:
    """What a plan row says of its fiche, worked out once for every fiche (a national roadmap has 1 300 of them):
    its porteurs, partenaires, indicators, resource lines in words, financeurs, and the money planned."""

    porteurs: dict[int, list[str]]
    partenaires: dict[int, list[str]]
    indicateurs: dict[int, str]
    rh: dict[int, str]
    depenses: dict[int, str]
    financements: dict[int, str]
    financeurs: dict[int, list[tuple[str, float]]]
    prevu: dict[int, rules.Prevu]
    periode: str

    @classmethod
    def of(cls, ref: views.Reference, money: views.BudgetView) -> ParFiche:
        moyens = ref.moyens
        readable = rules.moyens_lisibles(moyens)  # the Fiche page's words, line by line
        said = pd.Series([f"- {r.montant}" + (f" ({r.periodicite})" if r.periodicite else "")
                          + (f", {r.structure}" if r.structure != "non précisée" else "")
                          + f" — « {' '.join(str(r.source).split())} »" for r in readable.itertuples()],
                         index=readable.index, dtype="object")

        def lines(index: pd.Index) -> dict[int, str]:
            return {int(f): "\n".join(group) for f, group in said.loc[index].groupby(moyens.loc[index, "fiche"])}

        funding = moyens[moyens["nature"] == "produit"]
        named = funding[funding["quantifie"].astype(bool) & funding["structure"].notna() & funding["montant"].notna()]
        codes = ref.indicateurs["code"] + " — " + ref.indicateurs["libelle"]
        return cls(
            porteurs=_names(ref.porteurs), partenaires=_names(ref.partenaires),
            indicateurs={int(f): "\n".join(group) for f, group in codes.groupby(ref.indicateurs["fiche"])},
            rh=lines(moyens.index[moyens["rubrique"] == "RH"]), depenses=lines(rules.cash_lines(moyens).index),
            financements=lines(funding.index),
            financeurs={int(f): list(zip(g["structure"], g["montant"].astype(float)))
                        for f, g in named.groupby("fiche")},
            prevu={int(f): rules.prevu_of(g) for f, g in money.par_fiche.groupby("fiche")},
            periode=money.periode)


def _names(table: pd.DataFrame) -> dict[int, list[str]]:
    """Each fiche's structures in a porteurs or partenaires table, in its order, each once."""
    return {int(f): list(dict.fromkeys(group)) for f, group in table["structure"].groupby(table["fiche"])}


def plan_row(ref: views.Reference, par_fiche: ParFiche, fiche: Any, statut: Statut | None) -> list[Any]:
    """One fiche as an action of TeT's plan: its 28 cells, in `COLUMNS`' order."""
    numero = int(fiche.numero)
    prevu = par_fiche.prevu[numero]
    financeurs = par_fiche.financeurs.get(numero, [])
    debut = fiche.ajoutee_le if isinstance(fiche.ajoutee_le, date) else None
    cells: dict[str, Any] = {
        "axe": f"{int(fiche.axe)}. {fiche.axe_libelle}",
        "sous_axe": f"{fiche.objectif} {fiche.objectif_libelle}",
        "titre": formatting.short(f"{numero}. {' '.join(str(fiche.intitule).split())}", TITRE_MAX),
        "descriptif": _descriptif(fiche),
        "objectifs": _text(fiche.enjeux),
        "indicateurs": par_fiche.indicateurs.get(numero),
        "structures": join_list(par_fiche.porteurs.get(numero, [])) or None,
        "moyens": par_fiche.rh.get(numero),
        "partenaires": join_list(par_fiche.partenaires.get(numero, [])) or None,
        "financements": _financements(par_fiche, numero, prevu, len(financeurs)),
        # Empty when the roadmap does not quantify the fiche, or gives only amounts per partner structure: never 0.
        "budget": prevu.prevu if prevu.chiffrees and prevu.prevu > 0 else None,
        "statut": statut.statut if statut else None,
        "debut": pd.Timestamp(debut or date(int(ref.feuille_de_route["annee_debut"]), 1, 1)).date(),
        "fin": date(int(ref.feuille_de_route["annee_fin"]), 12, 31),
    }
    for k, (name, amount) in enumerate(financeurs[:referentiel_tet.FINANCEURS], start=1):
        cells[f"financeur_{k}"], cells[f"montant_{k}"] = str(name), amount
    return [cells.get(key) for key, _ in COLUMNS]


def _text(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) or not str(value).strip() \
        else str(value).strip()


def _descriptif(fiche: Any) -> str | None:
    """The fiche's description, then what TeT has no column for: its public, levers, obstacles, resources."""
    parts = [_text(fiche.description)]
    for label, value in (("Public cible", fiche.public_cible), ("Leviers", fiche.leviers),
                         ("Freins", fiche.freins), ("Ressources existantes", fiche.ressources_existantes)):
        if _text(value):
            parts.append(f"{label} : {_text(value)}")
    return "\n\n".join(p for p in parts if p) or None


def _financements(par_fiche: ParFiche, numero: int, prevu: rules.Prevu, financeurs: int) -> str:
    """What the money columns cannot say: the planned sentence (`rules.Prevu`), or « non chiffré », then every cash
    and funding line with the roadmap's words."""
    if prevu.chiffrees:
        said = prevu.phrase(par_fiche.periode, lister=False)
        head = f"{said[:1].upper()}{said[1:]}."  # « 2 000 € prévus sur 2024-2027. », « Aucun montant fixe … »
    else:
        head = f"{rules.NON_CHIFFRE.capitalize()} dans la feuille de route : aucun montant pour cette fiche."
    cash, funding = par_fiche.depenses.get(numero), par_fiche.financements.get(numero)
    parts = [head, f"Dépenses :\n{cash}" if cash else None, f"Financements :\n{funding}" if funding else None]
    if financeurs > referentiel_tet.FINANCEURS:
        parts.append(f"{financeurs} financeurs chiffrés : les {referentiel_tet.FINANCEURS} premiers sont dans les "
                     "colonnes Financeur, les autres seulement ici.")
    parts.append(MONTANTS_HT)
    return "\n\n".join(p for p in parts if p)


def _notes_sheet(wb: Workbook, ref: views.Reference, money: views.BudgetView, statuts: dict[int, Statut],
                 last: str | None) -> None:
    """« À lire »: how the plan sheet was made, what to do in TeT, and where each statut comes from."""
    sheet = wb.create_sheet(NOTES_SHEET)
    fdr = ref.feuille_de_route
    quarter = periodes.label(last) if last else "aucun (la feuille de route n'a pas encore de trimestre terminé)"
    lines = [
        ("Fichier", f"Plan d'action « {fdr['titre']} » pour l'import de Territoires en Transitions, écrit par le "
                    f"tableau de bord le {periodes.today():%d/%m/%Y} ; version de la feuille de route : "
                    f"{fdr.get('version') or '—'}."),
        ("Feuille lue", f"Territoires en Transitions lit la feuille « {PLAN_SHEET} » (la première dont A2 porte "
                        f"« {MARK} ») : ses 28 en-têtes en ligne 2, une action par ligne à partir de la ligne 4. "
                        "Cette feuille-ci n'est pas lue : ne rien changer à la première avant l'envoi."),
        ("Axes et titres", "Axes « 1. … », sous-axes « 1.1 … » (les objectifs), une action par fiche titrée "
                           f"« n. intitulé » ({TITRE_MAX} caractères au plus)."),
        ("Structures", "Structure pilote = porteurs de la fiche, Partenaires = ses partenaires, chacun écrit comme le "
                       "référentiel le nomme, séparés par des virgules ; un nom qui contient une virgule est écrit "
                       "entre « » (Territoires en Transitions garde alors les « » dans le nom)."),
        ("Budget", f"Budget prévisionnel total = ce que la feuille de route prévoit pour la fiche sur {money.periode} "
                   "(mêmes montants que la page Budget par axe) ; vide pour une fiche non chiffrée, jamais 0. Le "
                   "détail et les montants par structure partenaire sont dans « Financements ». " + MONTANTS_HT),
        ("Statut", f"Dernier statut déclaré (feuille Suivi) jusqu'à {quarter}, écrit comme Territoires en "
                   "Transitions l'écrit : " + ", ".join(f"{k} → {v}" for k, v in STATUT_TET.items())
                   + ". La météo n'est pas un statut : elle n'est pas écrite. Un statut d'exemple n'est jamais écrit."),
        ("Dates", "Date de début : l'adoption de la fiche ; date de fin : fin de la feuille de route."),
        ("Non importé par Territoires en Transitions", "Indicateurs liés (à créer dans l'outil), ETP et montants "
                                                       "par année (dans « Moyens » et « Financements », en texte)."),
        ("À faire dans Territoires en Transitions", "Personne pilote, élu·e référent·e, service pilote, priorité, "
                                                    "indicateurs : les renseigner dans l'outil après l'import."),
    ]
    for number, (label, text) in enumerate(lines, start=1):
        set_text(sheet.cell(row=number, column=1), label)
        sheet.cell(row=number, column=1).font = Font(bold=True)
        set_text(sheet.cell(row=number, column=2), text)
        sheet.cell(row=number, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    start = len(lines) + 2
    for position, header in enumerate(("Fiche", "Statut écrit", "Trimestre", "Météo", "Remarque"), start=1):
        set_text(sheet.cell(row=start, column=position), header)
        sheet.cell(row=start, column=position).font = Font(bold=True)
    for number, (fiche, statut) in enumerate(sorted(statuts.items()), start=start + 1):
        values = [fiche, statut.statut or "—", periodes.label(statut.periode) if statut.periode else "—",
                  statut.meteo or "—", statut.remarque]
        for position, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=position)
            set_text(cell, value) if isinstance(value, str) else setattr(cell, "value", value)
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 28, 110


# --------------------------------------------------------------------------------------------------
# The indicators, one value per year
# --------------------------------------------------------------------------------------------------


@consistent
def indicateurs(con: Reader) -> bytes:
    """Every indicator of the roadmap in force with TeT's export columns: one row for the values entered, one more
    for example values if any, and one `<année> Résultat` column per year with a value, `<année> Objectif` per year
    with a target."""
    ref = views.reference(con)
    series = views.indicateurs(con, ref, views.Filters()).series
    # Grouped once: a national roadmap has 8 500 indicators and a million values.
    by_code = dict(tuple(series.groupby("indicateur", sort=False))) if not series.empty else {}
    pilotes = {int(f): ", ".join(dict.fromkeys(group["structure"])) for f, group in ref.porteurs.groupby("fiche")}
    rows = [row for indicateur in ref.indicateurs.itertuples()
            for row in _indicateur_rows(ref, by_code.get(indicateur.code, series.iloc[:0]),
                                        pilotes.get(int(indicateur.fiche), ""), indicateur)]
    resultats = sorted({year for row in rows for year in row["resultats"]})
    objectifs = sorted({year for row in rows for year in row["objectifs"]})
    wb = Workbook()
    sheet = wb.active
    sheet.title = INDICATEURS_SHEET
    headers = [*INDICATEUR_HEADERS, *(f"{y} Résultat" for y in resultats), *(f"{y} Objectif" for y in objectifs)]
    for position, header in enumerate(headers, start=1):
        set_text(sheet.cell(row=1, column=position), header)
        sheet.cell(row=1, column=position).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(position)].width = 60 if position in (2, 7) else 16
    for number, row in enumerate(rows, start=2):
        for position, text in enumerate(row["fixes"], start=1):
            set_text(sheet.cell(row=number, column=position), text)
        values = [row["resultats"].get(y) for y in resultats] + [row["objectifs"].get(y) for y in objectifs]
        for position, value in enumerate(values, start=len(INDICATEUR_HEADERS) + 1):
            sheet.cell(row=number, column=position).value = value
    sheet.freeze_panes = "C2"
    _rule_sheet(wb, ref)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _indicateur_rows(ref: views.Reference, mine: pd.DataFrame, pilotes: str, indicateur: Any) -> list[dict[str, Any]]:
    """The indicator's row (always, as TeT's export has the collectivité's), and one for example values if any:
    `mine` is its entries, `pilotes` its fiche's porteurs."""
    chiffrable = indicateur.type in rules.CHIFFRABLES
    target: dict[int, float] = {}
    if chiffrable and pd.notna(indicateur.cible):
        year = int(indicateur.echeance) if pd.notna(indicateur.echeance) else int(ref.feuille_de_route["annee_fin"])
        target[year] = float(indicateur.cible)
    rows = []
    for exemple in (False, True):
        values = mine[mine["exemple"].astype(bool) == exemple] if not mine.empty else mine
        if exemple and values.empty:
            continue
        annual = rules.valeurs_annuelles(indicateur.mode, zip(values["periode"], values["valeur"])) if chiffrable \
            else {}
        comment = _commentaire(indicateur, annual, chiffrable, exemple, bool(target))
        fixes = [str(indicateur.code), str(indicateur.libelle), "", _text(indicateur.unite) or "", pilotes, "",
                 comment, SOURCE_EXEMPLE if exemple else SOURCE]
        rows.append({"fixes": fixes, "resultats": {y: v for y, (v, _) in annual.items()},
                     "objectifs": {} if exemple else target})
    return rows


def _commentaire(indicateur: Any, annual: dict[int, tuple[float, list[str]]], chiffrable: bool, exemple: bool,
                 has_target: bool) -> str:
    """What a reader of the row needs: example or not, the rule that made each year, where the target comes from."""
    parts = [f"{'EXEMPLE — valeurs fictives. ' if exemple else ''}Fiche {int(indicateur.fiche)}."]
    if not chiffrable:
        parts.append(f"Indicateur {indicateur.type} : pas de valeur chiffrée, rien par année.")
    else:
        mode = rules.mode_annuel(indicateur.mode)
        parts.append(f"{mode.capitalize()} : {rules.REGLE_ANNUELLE[mode]}.")
        parts += [f"{year} : {' + '.join(f'T{periodes.trimestre(p)}' for p in quarters)}." for year, (_, quarters)
                  in annual.items()]
    if has_target and not exemple:
        parts.append(f"Objectif : {indicateur.cible_provenance}.")
    return " ".join(parts)


def _rule_sheet(wb: Workbook, ref: views.Reference) -> None:
    sheet = wb.create_sheet(REGLE_SHEET)
    fin = int(ref.feuille_de_route["annee_fin"])
    lines = [
        f"Indicateurs de « {ref.feuille_de_route['titre']} », écrits le {periodes.today():%d/%m/%Y} avec les colonnes "
        "de l'export d'indicateurs de Territoires en Transitions : une valeur par année.",
        f"Résultat d'une année, indicateur en flux : {rules.REGLE_ANNUELLE['flux']} (chaque trimestre dit ce qui "
        "s'est passé pendant le trimestre). Une année dont des trimestres manquent est la somme de ceux renseignés : "
        "la colonne Commentaire les nomme.",
        f"Résultat d'une année, indicateur en stock : {rules.REGLE_ANNUELLE['stock']} (chaque trimestre dit le "
        "niveau atteint) ; la colonne Commentaire nomme son trimestre.",
        "Indicateurs livrables et qualitatifs : pas de valeur chiffrée, colonnes vides.",
        f"Objectif : la cible en vigueur (celle fixée par la coordination, sinon celle du texte), dans la colonne de "
        f"son année d'échéance, {fin} quand aucune n'est donnée ; sa provenance est dans la colonne Commentaire.",
        f"Source « {SOURCE} » : les valeurs saisies. Source « {SOURCE_EXEMPLE} » : les valeurs d'exemple, fictives, "
        "sur une ligne à part ; elles ne sont la valeur de personne.",
        "Pilote : les porteurs de la fiche de l'indicateur.",
    ]
    for number, line in enumerate(lines, start=1):
        set_text(sheet.cell(row=number, column=1), line)
        sheet.cell(row=number, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 120



# --------------------------------------------------------------------------------------------------
# The registry's entries (outils.FORMATS): the command line's `export --format` and the « Exports » page
# --------------------------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OUTIL = "Territoires en Transitions"


@consistent
def plan_remarques(con: Reader) -> list[str]:
    """What the plan leaves to do in TeT for this database's data: statuts, indicators, people."""
    ref = views.reference(con)
    statuts, last = latest_statuts(con, ref)
    written = sum(1 for s in statuts.values() if s.statut is not None)
    quarter = periodes.label(last) if last else "aucun trimestre terminé"
    return [f"{ref.fiches.shape[0] - written} fiche(s) sur {ref.fiches.shape[0]} sans statut déclaré jusqu'à "
            f"{quarter} (ou seulement un statut d'exemple) : à renseigner dans Territoires en Transitions (feuille "
            "« À lire »).",
            f"{ref.indicateurs.shape[0]} indicateurs à créer dans Territoires en Transitions, qui n'importe pas la "
            "colonne « Indicateurs liés » ; personnes pilotes, élu·e·s référent·e·s, services et priorités à "
            "renseigner."]


def indicateurs_remarques(con: Reader) -> list[str]:
    return ["Territoires en Transitions n'importe pas les valeurs d'indicateurs d'une collectivité : elles se "
            "saisissent dans l'outil, année par année, depuis ce fichier (jamais les lignes d'exemple)."]


PLAN = Format(
    nom="tet", outil=OUTIL, libelle="Classeur d'import du plan d'action",
    fichier="plan_territoires_en_transitions.xlsx", mime=XLSX,
    pour=("Le plan d'action au format du classeur d'import de Territoires en Transitions, accepté par l'outil sans "
          "retouche : une action par fiche, ses axes et objectifs, porteurs, partenaires, le budget que la feuille de "
          "route prévoit (vide quand elle ne le chiffre pas, jamais 0), le statut du dernier trimestre. La feuille "
          "« À lire » dit chaque règle."),
    ensuite=("Envoyer le fichier au support de Territoires en Transitions, qui fait l'import (nom et type du plan "
             "donnés à ce moment), sans rien changer à la feuille « Plan d'action ».",
             "Après l'import : créer les indicateurs (liste dans la colonne « Indicateurs liés »), nommer les "
             "personnes pilotes, les élu·e·s référent·e·s et les services, fixer les priorités.",
             "Vérifier les statuts : la feuille « À lire » dit de quel trimestre vient chacun."),
    ecrire=plan, a_verifier=plan_remarques)

INDICATEURS = Format(
    nom="tet-indicateurs", outil=OUTIL, libelle="Indicateurs par année",
    fichier="indicateurs_territoires_en_transitions.xlsx", mime=XLSX,
    pour=("Les indicateurs avec les colonnes de l'export d'indicateurs de Territoires en Transitions, une valeur par "
          "année : la somme des trimestres pour un indicateur en flux, la dernière valeur de l'année pour un stock "
          "(règle écrite dans le fichier) ; les valeurs d'exemple sur des lignes à part, signalées."),
    ensuite=("Saisir les valeurs dans Territoires en Transitions, année par année, depuis ce fichier : l'outil "
             "n'importe pas les valeurs d'indicateurs d'une collectivité.",
             "Ne jamais saisir les lignes « Exemple (données fictives) »."),
    ecrire=indicateurs, a_verifier=indicateurs_remarques)
