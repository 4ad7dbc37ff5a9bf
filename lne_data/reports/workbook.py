"""The workbook of every figure of a quarterly report, one sheet per table; texts are string cells."""

from __future__ import annotations

import pandas as pd

from .. import exports, rules
from ..views import difficulte_titre
from .data import (
    EXEMPLE,
    EXEMPLE_DETAIL,
    NOTE_RUBRIQUES,
    ReportData,
    attention_items,
    cover_lines,
    date_text,
    prevu_annees,
)


def _columns(table: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The columns a table is shown with everywhere (the dashboard's data tables and downloads), in French."""
    return table[list(columns)].rename(columns=columns)


def build_xlsx(data: ReportData) -> bytes:
    """Every figure of the report, one sheet per table; texts are string cells, never live formulas."""
    cover = [("Feuille de route", data.titre), ("Territoire", data.territoire), ("Version", data.version),
             ("Trimestre", data.periode_label), ("Généré le", date_text(data.genere_le))]
    if data.cloture is not None:
        cover += [("Comité", data.cloture.comite_text), ("Clôture", data.cloture.cloture_text)]
    else:
        cover.append(("Clôture", cover_lines(data)[0]))
    if data.exemple:
        cover.append((EXEMPLE, EXEMPLE_DETAIL))
    cover.append(("Fiches en difficulté", difficulte_titre(len(data.attention.en_difficulte), data.periode)))
    cover.append(("Indicateurs en retard", data.attention.retard_titre))
    money = data.chiffres.budget
    cover += [("Budget prévu", money.phrase()), ("Budget prévu par année", money.annees_phrase()),
              ("Montants", f"Prévu sur {money.periode} : les montants ponctuels et sans période précisée une fois (à "
                           + "répartir sur la période, en aucune année), les montants « par an » chaque année de vie "
                           + "de la fiche, ceux d'une année donnée cette année-là. Les montants par structure "
                           + "partenaire sont à part (nombre de structures non fixé). Une fiche dont la feuille de "
                           + "route ne chiffre pas l'investissement est « non chiffré » (cellules vides), jamais 0 €.")]

    years = list(prevu_annees(data)["libelle"])
    per_year = {int(a): prevu_annees(data, int(a)).set_index("libelle")["montant"] for a in data.axes["code"]}
    planned = {int(a): money.prevu(int(a)) for a in data.axes["code"]}
    budget = pd.DataFrame({
        "Axe n°": data.axes["code"], "Axe": data.axes["libelle"], "Fiches": data.axes["fiches"],
        "Budget prévu": [money.phrase(int(a)) for a in data.axes["code"]],
        f"Prévu {money.periode} (€)": [planned[int(a)].prevu for a in data.axes["code"]],
        "dont sous condition (€)": [planned[int(a)].sous_condition for a in data.axes["code"]],
        **{f"Prévu {'en ' if y[:1].isdigit() else ''}{y} (€)": [float(per_year[int(a)].get(y, 0.0))
                                                            for a in data.axes["code"]] for y in years},
        "Par structure partenaire (€)": data.axes["par_structure"],
        "Fiches non chiffrées": data.axes["non_chiffrees"],
        "Fiches non chiffrées (numéros)": [", ".join(map(str, planned[int(a)].non_chiffrees))
                                           for a in data.axes["code"]],
        "Ponctuel (€)": data.axes["ponctuel"], "Par an (€)": data.axes["par_an"],
        "Année précise, total (€)": data.axes["par_annee"], "Période non précisée (€)": data.axes["non_precise"],
        "ETP": data.axes["etp"], "dont ETP partagés avec d'autres actions": data.axes["etp_partage"],
        "ETP par structure partenaire (non additionnés)": data.axes["etp_par_structure"],
    })
    budget_fiches = _columns(data.budget_fiches, rules.BUDGET_FICHE_COLUMNS)
    etp = _columns(data.etp, rules.ETP_STRUCTURE_COLUMNS)
    etp_lignes = _columns(data.etp_lignes, rules.ETP_LINE_COLUMNS)
    ind = data.indicateurs
    indicateurs = pd.DataFrame({
        "Fiche": ind["fiche"], "Indicateur": ind["code"], "Libellé": ind["libelle"], "Type": ind["type"],
        "Unité": ind["unite"], "Mode": ind["mode"], f"Valeur {data.periode_label}": ind["valeur"],
        "Texte": ind["valeur_texte"], "Progression": ind["progression"], "Cible": ind["cible"],
        "Échéance": ind["echeance"], "En retard": ind["retard"], "Origine de la cible": ind["cible_provenance"],
        "Part de la cible": ind["part_cible"], "Commentaire": ind["commentaire"], "Saisi par": ind["saisi_par"],
        "Donnée d'exemple": ind["exemple"].map(lambda v: None if pd.isna(v) else "oui" if bool(v) else "non"),
    })
    fiches = data.fiches
    suivi = pd.DataFrame({
        "Fiche": fiches["fiche"], "Axe": fiches["axe_libelle"], "Intitulé": fiches["intitule"],
        "État": fiches["etat"], "Porteur(s)": fiches["porteurs"], "Statut": fiches["statut"], "Météo": fiches["meteo"],
        "Résultats": fiches["resultats"], "Freins": fiches["freins"], "Prochaines étapes": fiches["prochaines_etapes"],
        "Saisi par": fiches["saisi_par"], "Indicateurs renseignés": fiches["saisis"],
        "Indicateurs attendus": fiches["attendus"],
    })
    attention = pd.DataFrame([{**vars(i), "rubrique": NOTE_RUBRIQUES.get(i.rubrique, i.rubrique) if i.note
                               else i.rubrique} for i in attention_items(data)],
                             columns=["rubrique", "fiche", "indicateur", "detail"]).rename(columns={
        "rubrique": "Point d'attention", "fiche": "Fiche", "indicateur": "Indicateur", "detail": "Détail"})
    return exports.xlsx_bytes({
        "rapport": pd.DataFrame(cover, columns=["Rubrique", "Valeur"]),
        "budget": budget,
        "budget_fiches": budget_fiches,
        "etp": etp,
        "etp_lignes": etp_lignes,
        "indicateurs": indicateurs,
        "suivi": suivi,
        "attention": attention,
        **_execution_sheets(data),
    })


def _execution_sheets(data: ReportData) -> dict[str, pd.DataFrame]:
    """The execution declared by the porteurs (sheet « Dépenses »): per axe and per year; an empty cell is « non
    déclaré », never 0 €. None for a closure made before the execution was frozen."""
    if data.execution is None or data.execution_annees is None:
        return {"execution": pd.DataFrame({"Exécution": ["Non figée par cette clôture, antérieure à son suivi."]})}
    axes = data.execution
    return {
        "execution": pd.DataFrame({
            "Axe n°": axes["axe"], "Axe": axes["libelle"],
            f"Prévu {data.chiffres.budget.periode} (€)": axes["prevu_eur"],
            "Engagé (€)": axes["engage_eur"], "Payé (€)": axes["paye_eur"],
            "Part engagée du prévu": axes["taux_engage"], "Part payée du prévu": axes["taux_paye"]}),
        "execution_annees": pd.DataFrame({"Année": data.execution_annees["annee"],
                                          "Engagé (€)": data.execution_annees["engage_eur"],
                                          "Payé (€)": data.execution_annees["paye_eur"]}),
    }
