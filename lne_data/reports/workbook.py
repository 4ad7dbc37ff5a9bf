"""The workbook of every figure of a quarterly report, one sheet per table; texts are string cells."""

from __future__ import annotations

import pandas as pd

from .. import exports, rules
from .data import (
    EXEMPLE,
    EXEMPLE_DETAIL,
    NOTE_RUBRIQUES,
    ReportData,
    attention_items,
    cover_lines,
    date_text,
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
    cover.append(("Montants", "Ponctuels, annuels, d'une année précise, par structure partenaire et sans période "
                              + "précisée sont tenus à part : ils ne s'additionnent pas. Une fiche dont la feuille de "
                              + "route ne chiffre pas l'investissement est « non chiffré » (cellules vides), jamais "
                              + "0 €."))

    years = sorted({int(y) for y in data.budget_annees["annee"]})
    budget = pd.DataFrame({
        "Axe n°": data.axes["code"], "Axe": data.axes["libelle"], "Fiches": data.axes["fiches"],
        "Ponctuel (€)": data.axes["ponctuel"], "Par an (€)": data.axes["par_an"],
        "Année précise, total (€)": data.axes["par_annee"],
        **{f"En {y} (€)": [float(data.budget_annees.loc[(data.budget_annees["axe"] == a)
                                                        & (data.budget_annees["annee"] == y), "montant"].sum())
                           for a in data.axes["code"]] for y in years},
        "Par structure partenaire (€)": data.axes["par_structure"],
        "Période non précisée (€)": data.axes["non_precise"], "dont ponctuel sous condition (€)": data.axes[
            "conditionnel"], "Fiches non chiffrées": data.axes["non_chiffrees"], "ETP": data.axes["etp"],
        "dont ETP partagés avec d'autres actions": data.axes["etp_partage"],
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
        "Échéance": ind["echeance"], "Origine de la cible": ind["cible_provenance"],
        "Part de la cible": ind["part_cible"], "Commentaire": ind["commentaire"], "Saisi par": ind["saisi_par"],
        "Donnée d'exemple": ind["exemple"].map(lambda v: None if pd.isna(v) else "oui" if bool(v) else "non"),
    })
    fiches = data.fiches
    suivi = pd.DataFrame({
        "Fiche": fiches["fiche"], "Axe": fiches["axe_libelle"], "Intitulé": fiches["intitule"],
        "Porteur(s)": fiches["porteurs"], "Statut": fiches["statut"], "Météo": fiches["meteo"],
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
    })
