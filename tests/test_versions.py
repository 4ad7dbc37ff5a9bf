"""The living roadmap: versions as data, what changed before it is applied, entries that survive versions."""

from __future__ import annotations

import json
import random
import re
from datetime import date, datetime

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from lne_data import clotures, db, formatting, queries, saisie, versions, views
from lne_data.problems import RejectedInput
from lne_data.referentiel import read_referentiel
from lne_data.versions import changes

from .conftest import ROOT, TODAY, XLSX, app_session, dump, edit_workbook, run_cli, saisie_xlsx, sign_in

HISTORY_TABLES = {"versions", "versions_donnees", "referentiel_retraits"}


def without_history(con) -> dict:
    """Every table but the versions' own history, which an undo keeps by design."""
    return {t: rows for t, rows in dump(con).items() if t not in HISTORY_TABLES}


def _header(ws) -> list:
    return [c.value for c in ws[1]]


def _delete(ws, column: str, values: set) -> None:
    index = _header(ws).index(column)
    for row in range(ws.max_row, 1, -1):
        if ws.cell(row=row, column=index + 1).value in values:
            ws.delete_rows(row)


def _append(ws, record: dict) -> None:
    ws.append([record.get(h) for h in _header(ws)])


def _set(ws, key: dict, column: str, value) -> None:
    header = _header(ws)
    for row in range(2, ws.max_row + 1):
        if all(ws.cell(row=row, column=header.index(k) + 1).value == v for k, v in key.items()):
            ws.cell(row=row, column=header.index(column) + 1, value=value)
            return
    raise AssertionError(f"no row {key} in {ws.title}")


def _replace_f03_i1(wb: openpyxl.Workbook) -> None:
    """F03-I1 retired, its meaning taken over by F03-I4."""
    ws = wb["indicateurs"]
    if "remplace" not in _header(ws):  # an optional column
        ws.cell(row=1, column=ws.max_column + 1, value="remplace")
    _delete(ws, "code", {"F03-I1"})
    _append(ws, {"code": "F03-I4", "fiche": 3, "libelle": "Nombre de foyers équipés d'un PC reconditionné et suivi",
                 "type": "nombre", "unite": "foyers", "mode": "flux", "remplace": "F03-I1"})


def _every_kind(wb: openpyxl.Workbook) -> None:
    """A new version touching every kind of element: added, retired and changed."""
    _set(wb["feuille_de_route"], {"territoire": "Lot"}, "version", "Actualisation de test")
    _set(wb["feuille_de_route"], {"territoire": "Lot"}, "adoptee_le", date(2026, 6, 30))
    _set(wb["axes"], {"code": 3}, "libelle", "Lot Numérique Innovant et durable")
    _set(wb["objectifs"], {"code": "2.5"}, "libelle", "Protéger les Lotois des cybermenaces")
    _append(wb["objectifs"], {"code": "3.3", "axe": 3, "libelle": "Objectif ajouté"})
    for sheet in ("porteurs", "partenaires", "moyens", "indicateurs"):
        _delete(wb[sheet], "fiche", {21})
    _delete(wb["fiches"], "numero", {21})
    _set(wb["fiches"], {"numero": 6}, "intitule", "Coordonner les acteurs de la médiation numérique")
    _append(wb["fiches"], {"numero": 24, "objectif": "3.3", "intitule": "Fiche ajoutée",
                           "ajoutee_le": date(2026, 6, 30), "version": "Actualisation de test"})
    _append(wb["structures"], {"nom": "Structure ajoutée", "type": "association"})
    _set(wb["structures"], {"nom": "Locollective"}, "type", "entreprise")
    _append(wb["porteurs"], {"fiche": 24, "structure": "Lot Numérique", "role": "porteur"})
    _append(wb["partenaires"], {"fiche": 6, "structure": "Structure ajoutée"})
    _set(wb["moyens"], {"fiche": 8, "nature": "investissement"}, "montant", 25000)
    _set(wb["moyens"], {"fiche": 6, "nature": "etp"}, "montant", 0.8)
    _replace_f03_i1(wb)
    _set(wb["indicateurs"], {"code": "F06-I1"}, "libelle", "Taux de participation aux rencontres")
    _set(wb["indicateurs"], {"code": "F22-I4"}, "echeance", 2027)


def _import(con, rows: list[list]) -> None:
    validation = saisie.check_file(saisie_xlsx(rows), "t.xlsx", saisie.load_context(con, today=TODAY))
    assert validation.ok, [p.message for p in validation.errors]
    saisie.import_file(con, validation, auteur="Claire")


# --------------------------------------------------------------------------------------------------
# The Lot's two versions
# --------------------------------------------------------------------------------------------------


def test_a_fresh_database_has_the_lots_two_versions(tmp_path):
    """Acceptance: `versions --json` lists the adoption and the actualisation; version 1 has 22 fiches, the
    version in force 23; loading the same workbook again changes nothing."""
    path = str(tmp_path / "lne.duckdb")
    assert run_cli("init", "--db", path).returncode == 0
    listed = json.loads(run_cli("versions", "--json", "--db", path).stdout)
    assert [{k: v[k] for k in ("numero", "libelle", "adoptee_le", "fiches")} for v in listed] == [
        {"numero": 1, "libelle": "Adoption (comité syndical du 21/10/2024)", "adoptee_le": "2024-10-21", "fiches": 22},
        {"numero": 2, "libelle": "Actualisation du 28/11/2025", "adoptee_le": "2025-11-28", "fiches": 23},
    ]
    assert "ajoutee_le" in listed[0]["reconstituee"] and listed[1]["reconstituee"] is None
    assert [v["en_vigueur"] for v in listed] == [False, True]
    first = json.loads(run_cli("summary", "--json", "--version", "1", "--db", path).stdout)
    latest = json.loads(run_cli("summary", "--json", "--db", path).stdout)
    assert (first["fiches"], latest["fiches"]) == (22, 23)
    assert 23 not in first["axes"]["Lot Numérique Solidaire"]["fiches"]
    assert (first["indicateurs"], latest["indicateurs"]) == (75, 79)
    again = run_cli("init", "--db", path)
    assert again.returncode == 0 and "déjà à jour" in again.stdout
    assert len(json.loads(run_cli("versions", "--json", "--db", path).stdout)) == 2


def test_version_2_added_fiche_23_and_nothing_else(con):
    changes = versions.changes_of(con, 2)
    added = {(c.element, c.cle) for c in changes.changes if c.changement == "ajouté"}
    assert ("fiche", "n°23") in added and ("porteur", "Locollective (fiche 23)") in added
    assert {c for e, c in added if e == "indicateur"} == {"F23-I1", "F23-I2", "F23-I3", "F23-I4"}
    assert not [c for c in changes.changes if c.changement == "retiré"]
    assert {(c.element, c.champ) for c in changes.changes if c.changement == "modifié"} == {
        ("feuille de route", "version"), ("feuille de route", "adoptee_le")}
    assert all(c.fiche in (None, 23) for c in changes.changes)


def test_a_database_loaded_before_versions_gets_them_and_keeps_its_referentiel(con):
    before = without_history(con)
    con.execute("DELETE FROM versions_donnees")
    con.execute("DELETE FROM versions")
    versions.record_existing(con)
    assert [v["fiches"] for v in versions.as_json(con)] == [22, 23]
    assert without_history(con) == before


# --------------------------------------------------------------------------------------------------
# What changed, before it is applied
# --------------------------------------------------------------------------------------------------


def test_the_difference_covers_every_kind_of_element(con, referentiel_bytes):
    changed = read_referentiel(edit_workbook(referentiel_bytes, _every_kind))
    difference = versions.difference_with_in_force(con, changed)
    kinds = {(c.element, c.changement) for c in difference.changes}
    assert kinds >= {
        ("feuille de route", "modifié"), ("axe", "modifié"), ("objectif", "ajouté"), ("objectif", "modifié"),
        ("fiche", "ajouté"), ("fiche", "retiré"), ("fiche", "modifié"), ("structure", "ajouté"),
        ("structure", "modifié"), ("porteur", "ajouté"), ("porteur", "retiré"), ("partenaire", "ajouté"),
        ("partenaire", "retiré"), ("moyen (montant)", "modifié"), ("moyen (montant)", "retiré"),
        ("moyen (ETP)", "modifié"), ("indicateur", "ajouté"), ("indicateur", "retiré"), ("indicateur", "modifié"),
        ("cible", "modifié"),
    }
    by = {(c.element, c.cle, c.champ): (c.avant, c.apres) for c in difference.changes}
    assert by["moyen (montant)", "fiche 8 — Prestation de formation", "montant"] == (
        formatting.number(20000.0, 4), formatting.number(25000.0, 4))
    assert by["moyen (ETP)", next(k[1] for k in by if k[0] == "moyen (ETP)" and k[1].startswith("fiche 6")),
              "montant"] == ("1", formatting.number(0.8, 4))
    assert by["cible", "F22-I4", "echeance"] == ("2026", "2027")
    assert by["fiche", "n°6", "intitule"][1] == "Coordonner les acteurs de la médiation numérique"
    assert by["feuille de route", "", "adoptee_le"] == ("28/11/2025", "30/06/2026")
    assert any(c.cle == "F03-I4" and "remplace F03-I1" in c.apres for c in difference.changes)
    assert difference.table.columns.tolist() == list(versions.DIFF_COLUMNS)


def test_the_command_shows_the_difference_and_applies_only_when_asked(tmp_path, referentiel_bytes):
    path = str(tmp_path / "lne.duckdb")
    assert run_cli("init", "--db", path).returncode == 0
    workbook = tmp_path / "v3.xlsx"
    workbook.write_bytes(edit_workbook(referentiel_bytes, _every_kind))
    con = db.connect(path)
    before = dump(con)
    con.close()
    shown = run_cli("init", "--referentiel", str(workbook), "--db", path)
    assert shown.returncode == 1, shown.stderr
    assert "+ fiche n°24 : Fiche ajoutée" in shown.stdout and "- fiche n°21" in shown.stdout
    assert "~ cible F22-I4 — echeance : 2026 → 2027" in shown.stdout
    assert "--appliquer" in shown.stderr
    con = db.connect(path)
    assert dump(con) == before, "without --appliquer nothing is written"
    con.close()
    applied = run_cli("init", "--referentiel", str(workbook), "--appliquer", "--auteur", "Claire", "--db", path)
    assert applied.returncode == 0, applied.stderr
    listed = json.loads(run_cli("versions", "--json", "--db", path).stdout)
    assert (listed[-1]["numero"], listed[-1]["libelle"], listed[-1]["charge_par"]) == (3, "Actualisation de test",
                                                                                       "Claire")
    assert listed[-1]["adoptee_le"] == "2026-06-30" and listed[-1]["fiches"] == 23
    assert json.loads(run_cli("summary", "--json", "--version", "2", "--db", path).stdout)["fiches"] == 23
    told = run_cli("versions", "--difference", "3", "--db", path)
    assert told.returncode == 0 and "+ fiche n°24" in told.stdout


def _scanned_moyens(old: list[dict], new: list[dict]) -> list[versions.Change]:
    """The oracle: resource lines matched by scanning the old ones from the top for each new one (the definition,
    in quadratic time; each line's content computed once so that a few hundred lines stay quick)."""
    compared = [c for c in changes.COLUMNS["moyens"] if c not in changes.NOT_COMPARED["moyens"]]
    remaining = [(tuple(changes._shown(o.get(c)) for c in compared), o) for o in old]
    unmatched = []
    for record in new:
        whole = tuple(changes._shown(record.get(c)) for c in compared)
        found = next((i for i, (w, _) in enumerate(remaining) if w == whole), None)
        if found is None:
            unmatched.append(record)
        else:
            remaining.pop(found)
    out: list[versions.Change] = []
    for record in unmatched:
        key = tuple(record.get(c) for c in changes.MOYEN_KEY)
        found = next((i for i, (_, o) in enumerate(remaining)
                      if tuple(o.get(c) for c in changes.MOYEN_KEY) == key), None)
        if found is None:
            out.append(changes._added("moyens", record))
        else:
            out += changes._compare_rows("moyens", remaining.pop(found)[1], record)
    return out + [changes._removed("moyens", o) for _, o in remaining]


# Few values per column, so that lines are often identical, share their key, or differ only by what `_shown`
# rounds away (1 and 1.00000001, 1 and 1.0, a date and the same day's datetime).
MOYEN_VALUES = {
    "fiche": (1, 2, 2.0), "rubrique": ("RH", "INVESTISSEMENT"), "nature": ("etp", "investissement"),
    "structure": (None, "Lot Numérique", "Département du Lot"), "attribution": (None, "porteur unique"),
    "libelle": (None, "Coordination", "Matériel"), "quantifie": (True, False),
    "montant": (None, 1, 1.0, 1.00000001, 0.5, 2000, float("nan")), "unite": (None, "EUR", "ETP"),
    "periodicite": (None, "ponctuel", "par an"),
    "annee": (None, 2026, date(2026, 1, 1), datetime(2026, 1, 1), datetime(2026, 1, 1, 12)),
    "source": (None, "a", "b"), "note": (None, "n"), "conditionnel": (False, True), "partage": (False, True),
}


def _random_line(rng: random.Random) -> dict:
    return {c: rng.choice(MOYEN_VALUES[c]) for c in changes.COLUMNS["moyens"] if c != "id"}


def _revised(rng: random.Random, lines: list[dict]) -> list[dict]:
    """Another version of `lines`: some changed in a field or two, dropped, repeated, added, moved."""
    if rng.random() < 0.1:
        return [_random_line(rng) for _ in range(rng.randrange(30))]
    out = []
    for line in lines:
        line = dict(line)
        roll = rng.random()
        if roll < 0.15:
            continue
        if roll < 0.45:
            for c in rng.sample(list(MOYEN_VALUES), rng.randint(1, 2)):
                line[c] = rng.choice(MOYEN_VALUES[c])
        out.append(line)
        if rng.random() < 0.1:
            out.append(dict(line) if rng.random() < 0.5 else _random_line(rng))
    if out and rng.random() < 0.5:
        a, b = sorted(rng.sample(range(len(out) + 1), 2))
        out[a:b] = rng.sample(out[a:b], b - a)
    return out


def _numbered(lines: list[dict]) -> list[dict]:
    return [{"id": i, **line} for i, line in enumerate(lines, 1)]


@pytest.mark.parametrize("seed", range(300))
def test_resource_lines_match_as_the_scan_from_the_top_would(seed):
    rng = random.Random(seed)
    size = rng.choice((0, 1, 3, 8, 20, 40, 120 if seed % 10 == 0 else 30))
    before = _numbered([_random_line(rng) for _ in range(size)])
    if size and rng.random() < 0.3:  # many identical lines
        before = _numbered([dict(rng.choice(before)) for _ in range(size)])
    after = _numbered(_revised(rng, before))
    assert [vars(c) for c in changes._moyens(before, after)] == [vars(c) for c in _scanned_moyens(before, after)]
    whole = versions.difference({"moyens": before}, {"moyens": after})
    expected = _scanned_moyens(before, after)
    order = {"moyen (montant)": 0, "moyen (ETP)": 1, "moyen": 2}
    expected.sort(key=lambda c: (order[c.element], c.fiche if c.fiche is not None else -1, c.cle))
    assert [vars(c) for c in whole.changes] == [vars(c) for c in expected]


# --------------------------------------------------------------------------------------------------
# Entries survive versions; undo
# --------------------------------------------------------------------------------------------------


def test_retiring_an_indicator_with_entries_keeps_them_and_undo_restores_exactly(con, referentiel_bytes):
    _import(con, [[3, "F03-I1", "2025-T3", 12, "Premiers foyers", "Coordinatrice"]])
    before = without_history(con)
    assert versions.load(con, read_referentiel(edit_workbook(referentiel_bytes, _replace_f03_i1)),
                            auteur="Claire") is True
    assert "F03-I1" not in set(views.reference(con).indicateurs["code"])
    retired = versions.retired(con)
    row = retired.set_index("code").loc["F03-I1"]
    assert (row["remplace_par"], row["saisies"], row["version"]) == ("F03-I4", 1, 3)
    assert row["retire_le"].date() == date(2025, 11, 28)  # the workbook's adoption date
    entries = versions.retired_entries(con)
    assert entries[["indicateur", "periode", "valeur"]].values.tolist() == [["F03-I1", "2025-T3", 12.0]]
    history = queries.import_details(con, 1)
    assert history["libelle"].iloc[0].endswith("(retiré le 28/11/2025)")
    assert versions.undo(con, 3, "Claire") == 2
    assert without_history(con) == before
    assert versions.retired(con).empty
    assert versions.as_json(con)[-1]["annulee_le"] is not None
    with pytest.raises(RejectedInput, match="déjà été annulée"):
        versions.undo(con, 3, "Claire")


def test_a_change_of_meaning_under_the_same_code_is_refused_when_it_has_entries(con, referentiel_bytes):
    _import(con, [[3, "F03-I1", "2025-T3", 12, None, None]])
    before = dump(con)
    changed = edit_workbook(referentiel_bytes, lambda wb: _set(wb["indicateurs"], {"code": "F03-I1"}, "unite", "PC"))
    with pytest.raises(RejectedInput) as caught:
        versions.load(con, read_referentiel(changed))
    assert [p.code for p in caught.value.problems] == ["referentiel-sens-change"]
    assert "remplace" in caught.value.problems[0].message
    assert dump(con) == before


def test_undo_is_refused_while_entries_exist_for_what_the_previous_version_lacks(con, referentiel_bytes):
    versions.load(con, read_referentiel(edit_workbook(referentiel_bytes, _replace_f03_i1)))
    _import(con, [[3, "F03-I4", "2025-T3", 3, None, None]])
    with pytest.raises(RejectedInput, match="F03-I4"):
        versions.undo(con, 3, "Claire")
    with pytest.raises(RejectedInput, match="Seule la version en vigueur"):
        versions.undo(con, 2, "Claire")


def test_a_closure_records_the_version_it_was_presented_with(con):
    closure_id = clotures.close_quarter(con, "2025-T3", comite_le=date(2025, 10, 10), reference="Comité n°4",
                                        auteur="Claire")
    closure = clotures.load_closure(con, closure_id)
    assert closure.version == "version n°2 — Actualisation du 28/11/2025, adoptée le 28/11/2025"
    assert "feuille de route version n°2" in closure.label


def test_budget_comparison_of_two_versions_per_axe(con):
    table = views.compare_figures(views.version_reference(con, 1), views.reference(con), views.Filters())
    solidaire = table.set_index("axe").loc[2]
    assert (solidaire["fiches_avant"], solidaire["fiches_apres"]) == (12, 13)
    assert solidaire["non_precise_ecart"] == pytest.approx(3104)  # fiche 23's budget, period not given
    assert solidaire["prevu_ecart"] == pytest.approx(3104)  # planned over 2024-2027: the same, once
    assert solidaire["etp_ecart"] == pytest.approx(0.1)


# --------------------------------------------------------------------------------------------------
# The dashboard
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def app(tmp_path, monkeypatch):
    yield from app_session(tmp_path / "app.duckdb", monkeypatch, first_opening=True)


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_roadmap_page_shows_versions_difference_applies_and_undoes(app, referentiel_bytes):
    at = open_page("pages/10_Feuille_de_route.py")
    assert any("En vigueur : version n°2" in c.value for c in at.sidebar.caption)
    listed = at.dataframe[0].value
    assert listed["Fiches"].tolist() == [22, 23]
    assert "Empreinte SHA-256" not in listed.columns and list(listed.columns[:3]) == ["N°", "Version", "État"]
    assert any("Empreinte SHA-256" in d.value.columns for d in at.dataframe)  # under « Détails techniques »
    changes = next(d.value for d in at.dataframe if "Quoi" in d.value.columns)
    assert "n°23" in set(changes["Quoi"]) and set(changes["Changement"]) == {"ajouté", "modifié"}
    assert not at.get("file_uploader")
    sign_in(at)
    at.get("file_uploader")[0].set_value(("v3.xlsx", edit_workbook(referentiel_bytes, _every_kind), XLSX)).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = next(d.value for d in at.dataframe if "Quoi" in d.value.columns and "n°24" in set(d.value["Quoi"]))
    assert {"ajouté", "retiré", "modifié"} <= set(shown["Changement"])
    apply = next(b for b in at.button if b.label == "Appliquer la nouvelle version")
    assert apply.disabled
    next(c for c in at.checkbox if c.key == "confirmer_version").check().run()
    next(b for b in at.button if b.label == "Appliquer la nouvelle version").click().run()
    assert any("Version n°3 enregistrée" in s.value for s in at.success), [s.value for s in at.success]
    assert at.dataframe[0].value["Fiches"].tolist() == [22, 23, 23], "the page shows the new version at once"
    assert any("En vigueur : version n°3" in c.value for c in at.sidebar.caption)
    next(c for c in at.checkbox if c.key == "confirmer_annulation_version_3").check().run()
    next(b for b in at.button if b.label == "Annuler cette version").click().run()
    assert any("la version n°2 est de nouveau en vigueur" in s.value for s in at.success)
    assert "annulée le" in at.dataframe[0].value["État"].iloc[-1]


@pytest.mark.parametrize("page, column", [("pages/1_Budget.py", "Prévu sur la période (€) — version n°1"),
                                          ("pages/2_Charge_RH.py", "ETP — version n°1")])
def test_budget_and_staffing_compare_two_versions(app, page, column):
    at = open_page(page)
    table = next(d.value for d in at.dataframe if column in d.value.columns).set_index("Axe")
    assert (table.loc[2, "Fiches — version n°1"], table.loc[2, "Fiches — en vigueur"]) == (12, 13)


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.main.markdown).replace("\\", "")


def test_the_roadmap_page_says_what_a_version_changed_in_words_first(app):
    """« What changed » reads as élus say it, the field-by-field detail folded under « Détails techniques »."""
    at = open_page("pages/10_Feuille_de_route.py")
    said = _markdown(at)
    assert "- Fiche 23 ajoutée : Renforcer la maîtrise des outils numériques" in said, said
    assert "- 9 montants ajoutés dans la fiche 23" in said and "- 4 indicateurs ajoutés dans la fiche 23" in said
    assert "- Feuille de route — date d'adoption : « 21/10/2024 » devient « 28/11/2025 »" in said
    assert "moyen (montant)" not in said and "adoptee_le" not in said
    detail = next(e for e in at.expander if e.label.startswith("Détails techniques : chaque champ"))
    assert any("Quoi" in d.value.columns for d in detail.dataframe)
    assert any("moyen (montant) : 9 ajoutés" in c.value.replace("\\", "") for c in detail.caption)


def _cents(wb: openpyxl.Workbook) -> None:
    _set(wb["moyens"], {"fiche": 8, "nature": "investissement"}, "montant", 2500.5)


def _display(frame) -> pd.DataFrame:
    """A table's cells as the browser writes them: the Styler's display values when there are some."""
    values = frame.proto.arrow_data.styler.display_values
    return pa.ipc.open_stream(values).read_pandas() if values else frame.value


def test_amounts_and_figures_are_written_the_french_way_where_they_are_read(app, referentiel_bytes):
    """« 2 500,50 » typed in the roadmap is « 2 500,50 € » on the Fiche page, « 2 500,50 » in the Budget page's
    table; no table writes « 1000 » or « 624.7 »: « 1 000 », « 624,7 »."""
    at = open_page("pages/10_Feuille_de_route.py")
    sign_in(at)
    at.get("file_uploader")[0].set_value(("centimes.xlsx", edit_workbook(referentiel_bytes, _cents), XLSX)).run()
    assert any("1 montant modifié dans la fiche 8" in m for m in _markdown(at).splitlines())
    next(c for c in at.checkbox if c.key == "confirmer_version").check().run()
    next(b for b in at.button if b.label == "Appliquer la nouvelle version").click().run()
    fiche = open_page("pages/5_Fiche.py")
    fiche.query_params["fiche"] = "8"
    fiche.run()
    cells = [str(v) for t in fiche.table for v in t.value.to_numpy().ravel()]
    assert f"2{formatting.THOUSANDS}500,50{formatting.NBSP}€" in cells, cells
    budget = _display(open_page("pages/1_Budget.py").dataframe[0]).set_index("Fiche")
    assert budget.loc["8", "Ponctuel (€)"] == f"2{formatting.THOUSANDS}500,50"
    assert budget.loc["1", "Ponctuel (€)"] == f"5{formatting.THOUSANDS}000"
    shown = [v for d in open_page("pages/7_Historique.py").dataframe for v in _display(d).to_numpy().ravel()]
    assert "291" in shown and not [v for v in shown if re.fullmatch(r"\d+\.\d+|\d{4,}", str(v))], shown
