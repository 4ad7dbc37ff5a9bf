"""The sheet « Dépenses » of the quarterly file (issue 23, execution): the template gives it per porteur, each cell is
checked as the person saw it, the import writes it with the indicator values in one transaction, an undo restores
it exactly, a closure freezes it; `views.execution` reads it per axe, per year and per structure."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from lne_data import clotures, queries, saisie, views
from lne_data.problems import RejectedInput
from lne_data.template import build_template

from .conftest import GOOD, TODAY, dump, edit_workbook, saisie_xlsx

BIBLIOTHEQUE = "Bibliothèque départementale du Lot"  # carries fiches 10, 11 and 13 alone
FIRST_ROW = "engagé 1\u202f000\u00a0€ · payé 400\u00a0€ · 0,5\u00a0ETP · reçu 300\u00a0€"
HEADER = ["fiche", "porteur", "periode", "nature", "montant_engage", "montant_paye", "etp_mobilises", "financeur",
          "financement_recu", "saisi_par"]


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) absent : installez le paquet Debian libreoffice-calc")


def libreoffice(tmp_path: Path, name: str, data: bytes) -> bytes:
    """`data` opened in LibreOffice and saved as .xlsx, headless, with a profile of its own."""
    source = tmp_path / name
    source.write_bytes(data)
    out = tmp_path / "libreoffice"
    subprocess.run([str(SOFFICE), f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(source)], check=True, capture_output=True,
                   timeout=240)
    return (out / f"{source.stem}.xlsx").read_bytes()


@pytest.fixture
def ctx(con):
    return saisie.load_context(con, today=TODAY)


def template(con, porteur: str | None = BIBLIOTHEQUE, periode: str = "2025-T3") -> bytes:
    buffer = io.BytesIO()
    build_template(con, periode, buffer, porteur=porteur)
    return buffer.getvalue()


def depenses_file(rows: list[list[Any]], saisie_rows: list[list[Any]] | None = None) -> bytes:
    return saisie_xlsx(saisie_rows or [], extra={"Dépenses": [HEADER, *rows]})


def fill(data: bytes, cells: dict[str, Any]) -> bytes:
    def change(wb: openpyxl.Workbook) -> None:
        for ref, value in cells.items():
            wb["Dépenses"][ref] = value
    return edit_workbook(data, change)


def stored(con) -> list[tuple[Any, ...]]:
    frame = queries.frame(con, "SELECT fiche, structure, periode, nature, financeur, engage, paye, etp, finance "
                               "FROM depenses ORDER BY ALL")
    return [tuple(None if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False)]


def where(validation: saisie.Validation) -> list[tuple[str, str | None, int | None, str | None]]:
    return sorted((p.code, p.sheet, p.row, p.column) for p in validation.problems)


def test_the_template_has_a_depenses_sheet_per_fiche_of_the_porteur_and_nature(con):
    wb = openpyxl.load_workbook(io.BytesIO(template(con)))
    assert wb.sheetnames == ["Instructions", "Saisie", "Listes", "Suivi", "Dépenses"]
    sheet = wb["Dépenses"]
    assert [c.value for c in sheet[1]] == [*HEADER, "intitule"]
    rows = [[c.value for c in row[:10]] for row in sheet.iter_rows(min_row=2, max_row=7)]
    assert rows == [[fiche, BIBLIOTHEQUE, "2025-T3", nature, None, None, None, None, None, None]
                    for fiche in (10, 11, 13) for nature in ("fonctionnement", "investissement")]
    assert sheet.protection.sheet
    keys = [c.protection.locked for c in sheet[2]]
    assert keys == [True] * 4 + [False] * 6 + [True]  # keys and title locked, the figures typed
    assert sheet["A8"].protection.locked is False  # free rows below, for a second financeur
    positive = next(v for v in sheet.data_validations.dataValidation if v.type == "decimal")
    assert (positive.operator, positive.formula1) == ("greaterThanOrEqual", "0")
    assert "E2:E13" in str(positive.sqref) and "G2:G13" in str(positive.sqref)
    instructions = " ".join(str(r[0]) for r in wb["Instructions"].iter_rows(values_only=True) if r[0])
    assert "Feuille « Dépenses »" in instructions and "Jamais de montant négatif" in instructions


def test_a_file_without_the_sheet_stays_valid(con, ctx):
    validation = saisie.check_file(saisie_xlsx(GOOD), "t3.xlsx", ctx)
    assert validation.ok and validation.depenses.empty
    saisie.import_file(con, validation, auteur="Claire")
    assert stored(con) == []


def test_french_numbers_are_read_as_the_person_saw_them(con, ctx):
    data = fill(template(con), {"E2": "1 234,50 €", "F2": "800", "G2": "0,5 ETP", "H2": "Région Occitanie",
                                "I2": "2 000", "E5": 12500.0, "G5": 2.5, "J5": "Claire"})
    validation = saisie.check_file(data, "bdl.xlsx", ctx)
    assert validation.ok, validation.problems
    saisie.import_file(con, validation, auteur="Claire")
    assert stored(con) == [
        (10, BIBLIOTHEQUE, "2025-T3", "fonctionnement", "Région Occitanie", 1234.5, 800.0, 0.5, 2000.0),
        (11, BIBLIOTHEQUE, "2025-T3", "investissement", "", 12500.0, None, 2.5, None),
    ]


def test_negative_text_and_another_porteurs_fiche_are_refused_cell_by_cell_and_nothing_changes(con, ctx):
    """Each refused with its sheet, row and column and what to do; the indicator values of the same file are not
    written either, and the database is exactly as it was."""
    saisie.import_file(con, saisie.check_file(saisie_xlsx(GOOD), "t3.xlsx", ctx), auteur="Claire")
    before = dump(con)
    data = depenses_file([
        [10, BIBLIOTHEQUE, "2025-T3", "fonctionnement", "-1 500", 200, None, None, None, None],
        [11, BIBLIOTHEQUE, "2025-T3", "investissement", 300, "beaucoup", None, None, None, None],
        [6, BIBLIOTHEQUE, "2025-T3", "fonctionnement", 100, None, None, None, None, None],
        [13, BIBLIOTHEQUE, "2025-T3", "fonctionnement", "12.500", "45 %", None, "Région", None, None],
    ], saisie_rows=[[2, "F02-I2", "2025-T3", 7, None, None]])
    validation = saisie.check_file(data, "bdl.xlsx", ctx)
    assert where(validation) == [
        ("saisie-depenses-fiche-non-portee", "Dépenses", 4, "A"),
        ("saisie-depenses-financement-sans-montant", "Dépenses", 5, "I"),
        ("saisie-depenses-montant-negatif", "Dépenses", 2, "E"),
        ("saisie-depenses-nombre-ambigu", "Dépenses", 5, "E"),
        ("saisie-depenses-nombre-invalide", "Dépenses", 3, "F"),
        ("saisie-depenses-pourcentage-inattendu", "Dépenses", 5, "F"),
    ]
    messages = {p.code: p.as_text() for p in validation.problems}
    assert messages["saisie-depenses-montant-negatif"] == (
        "Erreur [saisie-depenses-montant-negatif] feuille « Dépenses », ligne 2, colonne E : « -1 500 » : le montant "
        "engagé ne peut pas être négatif. Écrivez ce qui a été engagé, payé ou reçu pendant le trimestre (0 s'il n'y "
        "a rien eu) ; une annulation ou un remboursement se dit dans le commentaire du suivi, pas par un montant "
        "négatif.")
    assert messages["saisie-depenses-nombre-invalide"].endswith(
        "ligne 3, colonne F : « beaucoup » n'est pas un nombre. Le montant payé s'écrit en chiffres, en € (par "
        "exemple 1 234,50) ; laissez la case vide s'il n'est pas connu.")
    assert messages["saisie-depenses-fiche-non-portee"].endswith(
        "ligne 4, colonne A : La fiche n°6 n'est pas portée par « Bibliothèque départementale du Lot » (elle l'est "
        "par « Lot Numérique ») : chaque porteur déclare les dépenses des fiches qu'il porte. Supprimez cette ligne, "
        "ou corrigez le numéro de fiche.")
    assert "Écrivez 12500 ou 12,5" in messages["saisie-depenses-nombre-ambigu"]
    with pytest.raises(RejectedInput):
        saisie.preview(con, validation)
    with pytest.raises(RejectedInput):
        saisie.import_file(con, validation, auteur="Claire")
    assert dump(con) == before


def test_unknown_porteur_and_fiche_and_duplicates_are_refused(ctx):
    validation = saisie.check_file(depenses_file([
        [10, "Mairie de Cahors", "2025-T3", "fonctionnement", 1, None, None, None, None, None],
        [99, BIBLIOTHEQUE, "2025-T3", "fonctionnement", 1, None, None, None, None, None],
        [11, BIBLIOTHEQUE, "2025-T3", "fonctionnement", 1, None, None, None, None, None],
        [11, BIBLIOTHEQUE, "2025-T3", "fonctionnement", 2, None, None, None, None, None],
        [11, BIBLIOTHEQUE, "2025-T3", "fonctionnement", None, None, None, "Région", 5, None],
        [11, BIBLIOTHEQUE, "2025-T3", "fonctionnement", None, None, None, "région", 6, None],
        [13, BIBLIOTHEQUE, "2027-T1", "aménagement", None, None, None, None, 7, None],
    ]), "bdl.xlsx", ctx)
    assert where(validation) == [
        ("saisie-depenses-doublon", "Dépenses", 5, "A"),
        ("saisie-depenses-doublon", "Dépenses", 7, "H"),
        ("saisie-depenses-fiche-inconnue", "Dépenses", 3, "A"),
        ("saisie-depenses-financement-sans-financeur", "Dépenses", 8, "H"),
        ("saisie-depenses-periode-future", "Dépenses", 8, "C"),
        ("saisie-depenses-porteur-inconnu", "Dépenses", 2, "B"),
        ("saisie-depenses-valeur-non-autorisee", "Dépenses", 8, "D"),
    ]


def test_imported_with_the_indicators_in_one_transaction_and_undone_exactly(con, ctx):
    original = dump(con)
    first = depenses_file([
        [10, BIBLIOTHEQUE, "2025-T3", "fonctionnement", 1000, 400, 0.5, "Région", 300, "Claire"],
        [10, BIBLIOTHEQUE, "2025-T3", "fonctionnement", None, None, None, "État", 200, "Claire"],
    ], saisie_rows=GOOD)
    validation = saisie.check_file(first, "t3.xlsx", ctx)
    assert validation.ok, validation.problems
    preview = saisie.preview(con, validation)
    assert list(preview.depenses["statut"]) == ["nouvelle", "nouvelle"]
    assert list(preview.depenses["apres"]) == [FIRST_ROW, "reçu 200\u00a0€"]
    result = saisie.import_file(con, validation, auteur="Claire")
    assert (result.nouvelles, result.modifiees) == (5 + 2, 0)
    after_first = dump(con)
    assert {r[0] for r in after_first["depenses"]} == {10} and {r[-2] for r in after_first["depenses"]} == {1}

    # Corrected: the État was a mistake, the Région gave 350. The fiche's rows of that quarter and nature are the
    # file's: the État's row is removed (and comes back with an undo).
    corrected = saisie.check_file(depenses_file([
        [10, BIBLIOTHEQUE, "2025-T3", "fonctionnement", 1000, 400, 0.5, "Région", 350, "Claire"],
    ]), "t3-corrige.xlsx", ctx)
    preview = saisie.preview(con, corrected)
    assert sorted(zip(preview.depenses["financeur"], preview.depenses["statut"])) == [
        ("Région", "modifiée"), ("État", "retirée")]
    assert list(preview.depenses["avant"]) == [FIRST_ROW, "reçu 200\u00a0€"]
    second = saisie.import_file(con, corrected, auteur="Claire")
    assert (second.nouvelles, second.modifiees, second.inchangees) == (0, 2, 0)
    assert stored(con) == [(10, BIBLIOTHEQUE, "2025-T3", "fonctionnement", "Région", 1000.0, 400.0, 0.5, 350.0)]
    changed = saisie.depenses_of_import(con, second.import_id)
    assert changed[["financeur", "action", "avant", "apres"]].values.tolist() == [
        ["Région", "modification", FIRST_ROW, FIRST_ROW.replace("300", "350")],
        ["État", "suppression", "reçu 200\u00a0€", ""]]

    with pytest.raises(RejectedInput) as refused:
        saisie.undo_import(con, result.import_id, auteur="Claire")
    assert refused.value.problems[0].code == "import-remplace"
    assert saisie.undo_import(con, second.import_id, auteur="Claire") == saisie.Undone(valeurs=2, exemples=0)
    assert {k: v for k, v in dump(con).items() if k not in ("imports", "depenses_historique")} == \
        {k: v for k, v in after_first.items() if k not in ("imports", "depenses_historique")}
    assert saisie.undo_import(con, result.import_id, auteur="Claire") == saisie.Undone(valeurs=5 + 2, exemples=0)
    assert {k: v for k, v in dump(con).items() if not k.endswith("historique") and k != "imports"} == \
        {k: v for k, v in original.items() if not k.endswith("historique") and k != "imports"}


def test_the_same_file_again_changes_nothing(con, ctx):
    data = depenses_file([[10, BIBLIOTHEQUE, "2025-T3", "fonctionnement", 1000, 400, 0.5, None, None, None]])
    saisie.import_file(con, saisie.check_file(data, "t3.xlsx", ctx), auteur="Claire")
    before = dump(con)
    again = saisie.import_file(con, saisie.check_file(data, "t3.xlsx", ctx), auteur="Claire")
    assert again.import_id is None and again.inchangees == 1
    assert dump(con) == before


def execution_rows(con, ctx, rows: list[list[Any]], name: str = "t.xlsx") -> None:
    validation = saisie.check_file(depenses_file(rows), name, ctx)
    assert validation.ok, validation.problems
    saisie.import_file(con, validation, auteur="Claire")


def test_the_execution_read_model_per_axe_year_and_structure(con, ctx):
    execution_rows(con, ctx, [
        [10, BIBLIOTHEQUE, "2025-T2", "fonctionnement", 1000, 400, 0.5, None, None, None],
        [10, BIBLIOTHEQUE, "2025-T3", "investissement", 2000, 1500, 0.25, "Région", 800, None],
        [11, BIBLIOTHEQUE, "2026-T1", "fonctionnement", 300, None, None, None, None, None],
        [1, "Lot Numérique", "2026-T1", "fonctionnement", 50, 50, 1.0, None, None, None],
    ])
    ref = views.reference(con)
    axe_of = ref.fiches.set_index("numero")["axe"]
    view = views.execution(con, ref)
    par_axe = view.par_axe.set_index("axe")
    assert par_axe.loc[axe_of[10], "engage_eur"] == 3300 and par_axe.loc[axe_of[10], "paye_eur"] == 1900
    assert par_axe.loc[axe_of[1], "engage_eur"] == 50
    assert pd.isna(par_axe.loc[3, "engage_eur"])  # nothing declared on axe 3: missing, never 0 €
    assert view.annee(2025) == {"engage_eur": 3000.0, "paye_eur": 1900.0}
    assert view.annee(2026) == {"engage_eur": 350.0, "paye_eur": 50.0}
    assert view.annee(2024) == {"engage_eur": None, "paye_eur": None}
    assert view.periode_etp == "2026-T1"
    assert view.etp_par_structure.to_dict("records") == [{"structure": "Lot Numérique", "etp_mobilises": 1.0}]
    assert view.financements.to_dict("records") == [{"financeur": "Région", "montant_eur": 800.0}]
    at_t3 = views.execution(con, ref, views.Filters(periode="2025-T3"))
    assert at_t3.etp_par_structure.to_dict("records") == [{"structure": BIBLIOTHEQUE, "etp_mobilises": 0.25}]
    assert at_t3.annee(2026) == {"engage_eur": None, "paye_eur": None}


def test_a_closure_freezes_the_execution_and_its_reports_stay_the_same_bytes(con, ctx):
    from lne_data import reports

    execution_rows(con, ctx, [[10, BIBLIOTHEQUE, "2025-T3", "fonctionnement", 1000, 400, 0.5, None, None, None]])
    closure_id = clotures.close_quarter(con, "2025-T3", comite_le=date(2025, 10, 14), reference="Comité",
                                        auteur="Claire")
    before = {fmt: reports.build(reports.closure_report_data(clotures.load_closure(con, closure_id)), fmt)
              for fmt in reports.FORMATS}
    execution_rows(con, ctx, [[10, BIBLIOTHEQUE, "2025-T3", "fonctionnement", 9000, 9000, 3, None, None, None],
                              [11, BIBLIOTHEQUE, "2025-T4", "fonctionnement", 50, None, None, None, None, None]],
                   "corrections.xlsx")
    frozen = clotures.load_closure(con, closure_id)
    closed = views.execution(frozen.entries, frozen.ref)
    assert closed.annee(2025) == {"engage_eur": 1000.0, "paye_eur": 400.0}
    assert closed.etp_par_structure["etp_mobilises"].tolist() == [0.5]
    live = views.execution(con, views.reference(con))
    assert live.annee(2025) == {"engage_eur": 9050.0, "paye_eur": 9000.0}
    after = {fmt: reports.build(reports.closure_report_data(clotures.load_closure(con, closure_id)), fmt)
             for fmt in reports.FORMATS}
    for fmt in reports.FORMATS:
        assert after[fmt] == before[fmt], fmt


def test_comparing_a_closure_names_the_fiches_whose_declared_spending_changed(con, ctx):
    """The Clôtures page's comparison says which fiches' engagé or payé, declared up to the closed quarter, differ
    today: a correction and a late declaration of that quarter are named, a later quarter's dépense is not, a figure
    declared on one side only reads « non déclaré » on the other (never 0 €)."""
    execution_rows(con, ctx, [[10, BIBLIOTHEQUE, "2025-T3", "fonctionnement", 1000, 400, 0.5, None, None, None]])
    closure_id = clotures.close_quarter(con, "2025-T3", comite_le=date(2025, 10, 14), reference="Comité",
                                        auteur="Claire")
    closed = clotures.load_closure(con, closure_id)
    unchanged = clotures.compare_with_live(con, closed)
    assert unchanged.depenses_comparees and unchanged.depenses.empty and unchanged.empty
    execution_rows(con, ctx, [[10, BIBLIOTHEQUE, "2025-T3", "fonctionnement", 9000, 9000, 0.5, None, None, None],
                              [11, BIBLIOTHEQUE, "2025-T2", "fonctionnement", 300, None, None, None, None, None],
                              [13, BIBLIOTHEQUE, "2025-T4", "fonctionnement", 50, 50, None, None, None, None]],
                   "corrections.xlsx")
    for diff in (clotures.compare_with_live(con, closed), clotures.compare(closed, clotures.live(con, "2025-T3"))):
        assert not diff.empty
        assert diff.depenses_affichees.to_dict("records") == [
            {"fiche": 10, "engage_avant": "1\u202f000\u00a0€", "engage_apres": "9\u202f000\u00a0€",
             "paye_avant": "400\u00a0€", "paye_apres": "9\u202f000\u00a0€"},
            {"fiche": 11, "engage_avant": "non déclaré", "engage_apres": "300\u00a0€",
             "paye_avant": "non déclaré", "paye_apres": "non déclaré"}]
    older = clotures.Closure("2025-T3", closed.ref, views.FrozenEntries(
        closed.entries.saisies, closed.entries.suivis, closed.entries.state()), {"id": 0})
    assert not clotures.compare_with_live(con, older).depenses_comparees  # frozen before the dépenses were


def test_a_closure_made_before_the_execution_was_frozen_says_so(con):
    frozen = views.FrozenEntries(pd.DataFrame(), pd.DataFrame(), views.data_state(con))
    view = views.execution(frozen, views.reference(con))
    assert not view.disponible and not view.declaree


@needs_soffice
def test_a_depenses_sheet_saved_by_libreoffice_imports(con, ctx, tmp_path):
    """The template filled in, then opened and saved by LibreOffice: read and stored as typed."""
    data = fill(template(con), {"E2": "1 234,50", "F2": 800, "G2": "0,5", "H2": "Région Occitanie",
                                "I2": 2000, "E7": 0})
    resaved = libreoffice(tmp_path, "bdl.xlsx", data)
    assert resaved != data
    validation = saisie.check_file(resaved, "bdl.xlsx", ctx)
    assert validation.ok, validation.problems
    saisie.import_file(con, validation, auteur="Claire")
    assert stored(con) == [
        (10, BIBLIOTHEQUE, "2025-T3", "fonctionnement", "Région Occitanie", 1234.5, 800.0, 0.5, 2000.0),
        (13, BIBLIOTHEQUE, "2025-T3", "investissement", "", 0.0, None, None, None),
    ]


def test_budget_and_charge_rh_pages_show_planned_committed_paid_and_staff(con, ctx, db_path, monkeypatch):
    """What an élu reads: per axe, prévu (the page's « Total affiché »), engagé and payé side by side, three colours
    never shared; this year's engagé and payé; ETP prévus and mobilisés per structure, for the last quarter."""
    from .conftest import app_session, figures, open_page

    execution_rows(con, ctx, [
        [10, BIBLIOTHEQUE, "2026-T2", "fonctionnement", 1000, 400, 0.5, None, None, None],
        [1, "Lot Numérique", "2026-T3", "investissement", 2000, 1500, 1.25, None, None, None],
    ])
    con.close()
    session = app_session(db_path, monkeypatch)
    next(session)
    try:
        at = open_page("pages/1_Budget.py")
        metrics = {m.label: m.value for m in at.metric}
        assert metrics["Engagé en 2026"] == "3\u202f000\u00a0€" and metrics["Payé en 2026"] == "1\u202f900\u00a0€"
        assert metrics["Part payée de l'engagé en 2026"] == "63\u00a0%"
        shown = {f["layout"]["title"]["text"].replace("<br>", " "): f for f in figures(at)}
        axes = shown["Prévu 2024-2027, engagé et payé par axe"]
        assert [t["name"] for t in axes["data"]] == ["Prévu", "Engagé", "Payé"]
        # The prévu bar is the money planned the overview, the Budget page's sentences and summary --json say
        planned = dict(zip(axes["data"][0]["y"], axes["data"][0]["x"]))
        said = {s.value for s in at.markdown}
        for label, (prevu, sentence) in {"Lot Numérique Responsable": (13800, "13\u202f800\u00a0€ prévus sur"),
                                         "Lot Numérique Solidaire": (42304, "42\u202f304\u00a0€ prévus sur")}.items():
            bar = next(v for k, v in planned.items() if k.startswith(label))
            assert bar == prevu and any(label in m and sentence in m for m in said), (label, bar)
        styles = {(t["marker"]["color"], t["marker"]["pattern"]["shape"]) for t in axes["data"]}
        assert len(styles) == 3  # prévu, engagé and payé never share a colour and hatching
        engage = dict(zip(axes["data"][1]["y"], axes["data"][1]["x"]))
        assert engage["Lot Numérique Responsable"] == 2000 and engage["Lot Numérique Solidaire"] == 1000
        assert engage["Lot Numérique Innovant<br>(rien déclaré)"] is None  # no bar, said under the label: never 0 €
        captions = " ".join(c.value for c in at.caption).replace("\\", "")  # Markdown's escapes
        assert "engagé le plus élevé : Lot Numérique Responsable (2\u202f000\u00a0€)" in captions

        at = open_page("pages/2_Charge_RH.py")
        staff = next(f for f in figures(at) if f["layout"]["title"]["text"].startswith("ETP prévus et mobilisés"))
        title = staff["layout"]["title"]["text"].replace("<br>", " ")
        assert title == "ETP prévus et mobilisés par structure (T3 2026)"
        mobilised = dict(zip(staff["data"][1]["y"], staff["data"][1]["x"]))
        assert mobilised["Lot Numérique"] == 1.25
    finally:
        next(session, None)


def test_the_saisie_page_refuses_a_negative_amount_then_previews_and_imports_the_depenses(tmp_path, monkeypatch):
    from .conftest import XLSX, app_session, open_page, sign_in

    session = app_session(tmp_path / "app.duckdb", monkeypatch, first_opening=True)
    next(session)
    try:
        at = open_page("pages/6_Saisie.py")
        sign_in(at)
        bad = depenses_file([[10, BIBLIOTHEQUE, "2025-T3", "fonctionnement", "-1 000", None, None, None, None, None]])
        at.get("file_uploader")[0].set_value(("bdl.xlsx", bad, XLSX)).run()
        assert any("Fichier refusé : 1 erreur(s)" in e.value for e in at.error), [e.value for e in at.error]
        problems = next(t.value for t in at.table if "Code" in t.value.columns).map(lambda v: v.replace("\\", ""))
        assert problems[["Feuille", "Ligne", "Colonne", "Code"]].values.tolist() == [
            ["Dépenses", "2", "E", "saisie-depenses-montant-negatif"]]
        assert not any(b.label == "Importer" for b in at.button)

        good = depenses_file([[10, BIBLIOTHEQUE, "2025-T3", "fonctionnement", "1 000", 400, "0,5", None, None,
                               None]], saisie_rows=GOOD)
        at.get("file_uploader")[0].set_value(("bdl.xlsx", good, XLSX)).run()
        preview = next(d.value for d in at.dataframe if "Dépenses après" in d.value.columns)
        assert preview[["Fiche", "Porteur", "Nature", "Statut", "Dépenses après"]].values.tolist() == [
            [10, BIBLIOTHEQUE, "fonctionnement", "nouvelle",
             "engagé 1\u202f000\u00a0€ · payé 400\u00a0€ · 0,5\u00a0ETP"]]
        assert {m.label: m.value for m in at.metric}["Nouvelles valeurs"] == "6"
        next(b for b in at.button if b.label == "Importer").click().run()
        # the first real import is n°1 (the example entries of a fresh install are n°0)
        assert any("Import n°1 enregistré" in s.value for s in at.success), [s.value for s in at.success]
        history = open_page("pages/7_Historique.py")
        history.selectbox[0].set_value(1).run()
        changed = next(d.value for d in history.dataframe if "Dépenses après" in d.value.columns)
        assert changed[["Fiche", "Action", "Dépenses après"]].values.tolist() == [
            [10, "ajout", "engagé 1\u202f000\u00a0€ · payé 400\u00a0€ · 0,5\u00a0ETP"]]
    finally:
        next(session, None)


def test_the_meeting_has_an_execution_screen_after_the_budget_live_and_frozen(con, ctx):
    from lne_data import figures

    execution_rows(con, ctx, [[10, BIBLIOTHEQUE, "2025-T3", "fonctionnement", 1000, 400, 0.5, None, None, None]],
                   "t3.xlsx")
    saisie.import_file(con, saisie.check_file(saisie_xlsx(GOOD), "t3.xlsx", ctx), auteur="Claire")
    closure_id = clotures.close_quarter(con, "2025-T3", comite_le=date(2025, 10, 14), reference="Comité",
                                        auteur="Claire")
    execution_rows(con, ctx, [[10, BIBLIOTHEQUE, "2025-T3", "fonctionnement", 5000, 400, 0.5, None, None, None]],
                   "corrections.xlsx")
    ref = views.reference(con)
    axe = int(ref.fiches.set_index("numero").loc[10, "axe"])
    live = views.meeting(con, ref, views.Filters())
    kinds = [kind for _, kind, _ in live.steps]
    assert kinds[kinds.index("budget") + 1] == "execution"
    screen = live.ecran(kinds.index("execution") + 1)
    assert screen.titre == "Exécution budgétaire"
    assert live.execution_axes.set_index("axe").loc[axe, "engage_eur"] == 5000
    frozen = clotures.load_closure(con, closure_id)
    closed = views.meeting(frozen.entries, frozen.ref, views.Filters(periode=frozen.periode))
    assert closed.execution_axes.set_index("axe").loc[axe, "engage_eur"] == 1000
    fig = figures.meeting_execution(closed.execution_axes, "2025-T3")
    assert fig.layout.title.text == "Prévu, engagé et payé par axe, jusqu'au T3 2025"
    assert {t.textfont.size for t in fig.data} == {20} and fig.layout.font.size == 20
    assert [t.name for t in fig.data] == ["Prévu", "Engagé", "Payé"]


def test_the_reports_note_and_workbook_carry_the_execution(con, ctx):
    from lne_data import reports

    from .conftest import pdf_text, pptx_content, squeezed

    execution_rows(con, ctx, [[10, BIBLIOTHEQUE, "2025-T3", "fonctionnement", 1000, 400, 0.5, None, None, None]])
    data = reports.report_data(con, "2025-T3")
    axe = int(views.reference(con).fiches.set_index("numero").loc[10, "axe"])
    _, text = pdf_text(reports.build(data, "pdf"))
    assert squeezed("Exécution budgétaire déclarée, jusqu'au T3 2025") in squeezed(text)
    assert "non déclaré" in text  # the other axes: nothing declared, never 0 €
    book = openpyxl.load_workbook(io.BytesIO(reports.build(data, "xlsx")))
    rows = list(book["execution"].iter_rows(values_only=True))
    assert rows[0] == ("Axe n°", "Axe", "Prévu 2024-2027 (€)", "Engagé (€)", "Payé (€)", "Part engagée du prévu",
                       "Part payée du prévu")
    declared = next(r for r in rows[1:] if r[0] == axe)
    assert declared[3:5] == (1000, 400)
    # prévu is the money planned, the same figure summary --json gives, beside what summary says was engaged
    said = views.summary(con)["budget_par_axe"]
    assert {r[0]: r[2] for r in rows[1:]} == {int(k): v["prevu_eur"] for k, v in said.items()}
    assert said[str(axe)]["engage_eur"] == 1000 and said[str(axe)]["paye_eur"] == 400
    assert all(v["engage_eur"] is None for k, v in said.items() if int(k) != axe)  # nothing declared: null
    assert all(r[3] is None for r in rows[1:] if r[0] != axe)
    years = {r[0]: r[1:] for r in book["execution_annees"].iter_rows(min_row=2, values_only=True)}
    assert years[2025] == (1000, 400) and years[2024] == (None, None)
    _, slides = pptx_content(reports.build(data, "pptx"))
    texts = next(t for t, _ in slides if "Exécution budgétaire déclarée, jusqu'au T3 2025" in t)
    assert "1\u202f000\u00a0€" in texts and "400\u00a0€" in texts and "non déclaré" in texts
    assert any("Par année : 2025 : engagé 1\u202f000\u00a0€, payé 400\u00a0€." in t for t in texts)
