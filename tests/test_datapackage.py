"""`export --format datapackage`: the roadmap and its entries as open data, read back as a data portal would.

Each package is written by the command line into a folder, then read with `frictionless` itself (the reference
implementation of Frictionless Data): it must be valid (types, constraints, primary and foreign keys), its figures
must be those of `summary --json` (the overview's), what the roadmap does not quantify must be « non chiffré » with
empty amounts, example values marked, and each version a row of the SCDL « Délibérations » that the stored SCDL
schema accepts once the fields the roadmap does not give are completed — and refuses for exactly those until then.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import frictionless
import pytest

from lne_data import db, outils
from lne_data.outils import datapackage

from .conftest import GOOD, ROOT, app_session, open_page, run_cli, saisie_xlsx, second_departement

AMOUNTS = ["prevu_eur", "prevu_sous_condition_eur", "a_repartir_eur", "ponctuel_eur", "par_an_eur", "par_annee_eur",
           "non_precise_eur", "par_structure_eur"]


def cli_ok(*args: str) -> str:
    done = run_cli(*args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def export(path: Path, folder: Path) -> str:
    return cli_ok("export", "--db", str(path), "--format", "datapackage", "-o", str(folder))


def against_scdl(path: Path) -> list[list[Any]]:
    """A CSV checked against the SCDL schema as published: its problems (row, field, type, note)."""
    schema = frictionless.Schema.from_descriptor(scdl())
    resource = frictionless.Resource(path=path.name, basepath=str(path.parent), schema=schema)
    return resource.validate().flatten(["rowNumber", "fieldName", "type", "note"])


def rows(folder: Path, resource: str) -> list[dict[str, Any]]:
    """A resource's rows, typed by its Table Schema, as frictionless reads them."""
    package = frictionless.Package(str(folder / "datapackage.json"))
    return [dict(row) for row in package.get_resource(resource).read_rows()]


def number(value: Any) -> float:
    return float(value) if value is not None else 0.0


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> tuple[Path, Path, str]:
    """A fresh install (the roadmap and its labelled example values), exported: the database, the folder and what
    the command printed."""
    base = tmp_path_factory.mktemp("dp")
    path = base / "lne.duckdb"
    cli_ok("init", "--db", str(path), "--exemples")
    return path, base / "paquet", export(path, base / "paquet")


def test_the_package_is_valid_for_frictionless(examples):
    _, folder, _ = examples
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    described = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    names = [r["name"] for r in described["resources"]]
    assert names == ["axes", "objectifs", "fiches", "prevu_par_annee", "structures", "porteurs", "partenaires",
                     "moyens", "indicateurs", "valeurs", "versions", "deliberations"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(["datapackage.json", *(f"{n}.csv" for n in names)])
    for resource in described["resources"]:
        fields = resource["schema"]["fields"]
        assert all(f.get("description") for f in fields), resource["name"]  # every column said, in French
        assert resource["name"] == "deliberations" or resource["schema"]["primaryKey"], resource["name"]
    assert described["name"] == "lot-numerique-ensemble-2024-2027"


def test_its_figures_are_summarys(examples):
    """Added up by axe and by year, the fiches' money and ETP are `summary --json`'s, which are the overview's."""
    path, folder, _ = examples
    summary = json.loads(cli_ok("summary", "--json", "--db", str(path)))
    fiches = rows(folder, "fiches")
    assert len(fiches) == summary["fiches"] == 23
    assert len(rows(folder, "indicateurs")) == summary["indicateurs"]
    by_axe: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for fiche in fiches:
        by_axe[fiche["axe"]].append(fiche)
    for code, planned in summary["budget_par_axe"].items():
        mine = by_axe[int(code)]
        assert sum(number(f["prevu_eur"]) for f in mine) == pytest.approx(planned["prevu_eur"])
        assert sum(number(f["prevu_sous_condition_eur"]) for f in mine) == pytest.approx(planned["sous_condition_eur"])
        assert sum(number(f["a_repartir_eur"]) for f in mine) == pytest.approx(planned["a_repartir_eur"])
        assert sum(number(f["par_structure_eur"]) for f in mine) == pytest.approx(planned["par_structure_eur"])
        assert [f["numero"] for f in mine if f["chiffrage"] == "non chiffré"] == planned["non_chiffrees"]
    for axe in summary["axes"].values():
        mine = [f for f in fiches if f["numero"] in axe["fiches"]]
        assert sum(number(f["ponctuel_eur"]) for f in mine) == pytest.approx(axe["investissement_ponctuel_eur"])
        assert sum(number(f["par_an_eur"]) for f in mine) == pytest.approx(axe["investissement_annuel_eur"])
        assert sum(number(f["non_precise_eur"]) for f in mine) == pytest.approx(
            axe["investissement_periode_non_precisee_eur"])
        assert sum(number(f["etp"]) for f in mine) == pytest.approx(axe["etp"])
        assert sum(number(f["etp_partage"]) for f in mine) == pytest.approx(axe["etp_partage_avec_d_autres_actions"])
        assert sum(number(f["etp_par_structure"]) for f in mine) == pytest.approx(axe["etp_par_structure_partenaire"])
    assert [f["numero"] for f in fiches if f["chiffrage"] == "non chiffré"] == summary["fiches_non_chiffrees"]
    per_year: dict[str, float] = defaultdict(float)
    for row in rows(folder, "prevu_par_annee"):
        per_year[str(row["annee"])] += float(row["prevu_eur"])
    assert per_year == pytest.approx({y: v["prevu_eur"] for y, v in summary["budget_par_annee"].items()})
    carried: dict[str, list[int]] = defaultdict(list)
    for row in rows(folder, "porteurs"):
        carried[row["structure"]].append(row["fiche"])
    assert {k: sorted(v) for k, v in carried.items()} == summary["porteurs"]


def test_what_the_roadmap_does_not_quantify_is_said_never_zero(examples):
    _, folder, _ = examples
    for fiche in rows(folder, "fiches"):
        if fiche["chiffrage"] == "non chiffré":
            assert all(fiche[a] is None for a in AMOUNTS), fiche
        else:
            assert fiche["prevu_eur"] is not None or fiche["par_structure_eur"], fiche
        if fiche["chiffrage_etp"] == "non chiffré":
            assert fiche["etp"] is None and fiche["etp_partage"] is None, fiche
    fiches = {f["numero"]: f for f in rows(folder, "fiches")}
    assert fiches[16]["chiffrage"] == "non chiffré" and fiches[16]["prevu_eur"] is None
    assert float(fiches[1]["prevu_eur"]) == 5000 and float(fiches[1]["prevu_sous_condition_eur"]) == 5000
    assert float(fiches[22]["par_structure_eur"]) == 2500  # « 2500€ environ par structure partenaire », apart
    assert float(fiches[13]["etp_partage"]) == 0.25
    lines = rows(folder, "moyens")
    unquantified = [m for m in lines if m["chiffrage"] == "non chiffré"]
    assert unquantified and all(m["montant"] is None for m in unquantified)
    assert all(m["montant"] is not None for m in lines if m["chiffrage"] == "chiffré")
    assert any(m["source"] == "Temps ponctuel" for m in unquantified)
    # The cells as a spreadsheet shows them: empty beside « non chiffré », never « 0 ».
    raw = {int(r["numero"]): r for r in csv.DictReader(io.StringIO((folder / "fiches.csv").read_text("utf-8")))}
    assert [raw[16][a] for a in AMOUNTS] == [""] * len(AMOUNTS) and raw[16]["chiffrage"] == "non chiffré"
    assert raw[8]["ponctuel_eur"] == "20000" and raw[6]["non_precise_eur"] == "5000" and raw[6]["ponctuel_eur"] == "0"


def test_example_values_are_marked_and_said(examples):
    path, folder, printed = examples
    values = rows(folder, "valeurs")
    connection = db.connect(path, read_only=True)
    try:
        stored = connection.execute("SELECT count(*) FROM saisies WHERE exemple").fetchone()[0]
    finally:
        connection.close()
    assert stored > 0 and len(values) == stored and all(v["exemple"] is True for v in values)
    assert all(v["valeur_affichee"] for v in values)
    described = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert f"{stored} valeurs d'exemple, fictives" in described["description"]
    assert f"À faire : {stored} valeurs d'exemple, fictives" in printed


def test_no_persons_name_leaves(examples):
    """Who loaded a version, who typed a value (« Coordinatrice »…), who set a target stay in the dashboard."""
    _, folder, _ = examples
    columns = {f["name"] for r in json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["resources"]
               for f in r["schema"]["fields"]}
    assert not columns & {"charge_par", "annulee_par", "saisi_par", "auteur", "cible_auteur", "cible_detail",
                          "cible_provenance"}


# --------------------------------------------------------------------------------------------------
# The SCDL « Délibérations »
# --------------------------------------------------------------------------------------------------


def scdl() -> dict[str, Any]:
    return json.loads(datapackage.SCDL_SCHEMA.read_text(encoding="utf-8"))


def test_the_stored_scdl_schema_is_the_published_one():
    schema = scdl()
    assert schema["name"] == "deliberations" and schema["version"] == "2.1.5"
    assert schema["path"] == "https://gitlab.com/opendatafrance/scdl/deliberations/raw/v2.1.5/schema.json"
    assert [f["name"] for f in schema["fields"]] == [
        "COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE", "DELIB_MATIERE_CODE", "DELIB_MATIERE_NOM", "DELIB_OBJET",
        "BUDGET_ANNEE", "BUDGET_NOM", "PREF_ID", "PREF_DATE", "VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR",
        "VOTE_CONTRE", "VOTE_ABSTENTION", "DELIB_URL"]
    assert datapackage.SCDL_SOURCE in (ROOT / "README.md").read_text(encoding="utf-8")


def test_each_version_is_a_deliberation_the_scdl_accepts_once_completed(examples, tmp_path):
    """Against the SCDL schema as published, the only problems are the required fields the roadmap does not give,
    on every row; completed with values of the schema's own examples, the same file is valid."""
    _, folder, printed = examples
    schema = frictionless.Schema.from_descriptor(scdl())
    text = (folder / "deliberations.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].split(",") == [f.name for f in schema.fields]
    found = rows(folder, "deliberations")
    assert [(r["COLL_NOM"], r["DELIB_DATE"].isoformat()) for r in found] == [
        ("Lot Numérique", "2024-10-21"), ("Lot Numérique", "2025-11-28")]
    assert "Lot Numérique Ensemble 2024-2027" in found[0]["DELIB_OBJET"] and "22 fiches" in found[0]["DELIB_OBJET"]
    assert all(r[f] is None for r in found for f in ("COLL_SIRET", "DELIB_ID", "VOTE_POUR", "DELIB_URL"))
    problems = against_scdl(folder / "deliberations.csv")
    assert sorted(problems) == sorted([row, name, "constraint-error", 'constraint "required" is "True"']
                                      for row in (2, 3) for name in datapackage.A_COMPLETER)
    assert "COLL_SIRET, DELIB_ID, DELIB_MATIERE_CODE, DELIB_MATIERE_NOM sont vides" in printed
    example = {f["name"]: f["example"] for f in scdl()["fields"]}
    completed = tmp_path / "deliberations.csv"
    table = list(csv.reader(io.StringIO(text)))
    header = table[0]
    for row in table[1:]:
        for name in datapackage.A_COMPLETER:
            row[header.index(name)] = example[name].lstrip("'")
    with completed.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(table)
    assert against_scdl(completed) == []


# --------------------------------------------------------------------------------------------------
# Real entries, a target of the coordination, another territory
# --------------------------------------------------------------------------------------------------


def test_real_entries_and_a_coordination_target(tmp_path):
    path = tmp_path / "lne.duckdb"
    cli_ok("init", "--db", str(path), "--exemples")
    upload = tmp_path / "t3.xlsx"
    upload.write_bytes(saisie_xlsx(GOOD))
    cli_ok("import", str(upload), "--db", str(path), "--auteur", "Camille Martin")
    cli_ok("cible", "F03-I1", "--valeur", "120", "--motif", "Objectif du comité", "--auteur", "Camille Martin",
           "--db", str(path))
    printed = export(path, tmp_path / "paquet")
    folder = tmp_path / "paquet"
    assert frictionless.validate(str(folder / "datapackage.json")).valid
    values = {(v["indicateur"], v["periode"]): v for v in rows(folder, "valeurs")}
    assert len(values) == len(GOOD) and not any(v["exemple"] for v in values.values())
    assert values[("F06-I1", "2025-T3")]["valeur_affichee"] == "85\u00a0%"
    assert values[("F04-I1", "2025-T3")]["valeur_affichee"] == "réalisé"
    assert values[("F06-I1", "2025-T3")]["commentaire"] == "Rencontre de septembre"
    target = next(i for i in rows(folder, "indicateurs") if i["code"] == "F03-I1")
    assert float(target["cible"]) == 120 and target["cible_origine"] == "coordination"
    assert "Camille Martin" not in "".join(p.read_text(encoding="utf-8") for p in folder.iterdir())
    assert "exemple" not in printed
    described = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert "valeurs d'exemple" not in described["description"]


def test_another_territorys_roadmap(tmp_path):
    """Nothing of the Lot in the writer: the Gers roadmap of the tests gives its own package."""
    path = tmp_path / "gers.duckdb"
    workbook = tmp_path / "gers.xlsx"
    workbook.write_bytes(second_departement())
    cli_ok("init", "--db", str(path), "--referentiel", str(workbook))
    printed = export(path, tmp_path / "gers")
    folder = tmp_path / "gers"
    assert frictionless.validate(str(folder / "datapackage.json")).valid
    fiches = {f["numero"]: f for f in rows(folder, "fiches")}
    assert float(fiches[1]["prevu_eur"]) == 12000 and float(fiches[1]["etp"]) == 0.5
    assert fiches[2]["chiffrage"] == "non chiffré" and fiches[2]["prevu_eur"] is None
    assert fiches[2]["chiffrage_etp"] == "non chiffré"
    (row,) = rows(folder, "deliberations")
    assert row["COLL_NOM"] == "Gers Numérique" and "Gers Numérique Solidaire 2025-2028" in row["DELIB_OBJET"]
    # Its workbook gives no adoption date: DELIB_DATE is left empty and said, not made up.
    assert row["DELIB_DATE"] is None and "DELIB_DATE" in printed
    assert sorted(p[1] for p in against_scdl(folder / "deliberations.csv")) == sorted(
        [*datapackage.A_COMPLETER, "DELIB_DATE"])
    assert json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["name"] == (
        "gers-numerique-solidaire-2025-2028")


def test_the_page_and_the_command_line_give_the_same_files(examples):
    """The page downloads `ecrire`'s zip; the command line unpacks that zip: the same files."""
    path, folder, _ = examples
    connection = db.connect(path, read_only=True)
    try:
        data = outils.FORMATS["datapackage"].ecrire(connection)
    finally:
        connection.close()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist()[0] == "datapackage.json"
        assert {n: archive.read(n) for n in archive.namelist()} == {p.name: p.read_bytes() for p in folder.iterdir()}


# --------------------------------------------------------------------------------------------------
# The folder: written whole, an earlier export replaced, anything else refused
# --------------------------------------------------------------------------------------------------


def test_an_earlier_export_is_replaced_and_other_folders_are_left_alone(examples, tmp_path):
    path, _, _ = examples
    folder = tmp_path / "paquet"
    export(path, folder)
    (folder / "valeurs.csv").write_text("abîmé", encoding="utf-8")
    export(path, folder)
    assert frictionless.validate(str(folder / "datapackage.json")).valid
    mine = tmp_path / "mes documents"
    mine.mkdir()
    (mine / "notes.txt").write_text("à garder", encoding="utf-8")
    file = tmp_path / "fichier.csv"
    file.write_text("x", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    for target, said in ((mine, "contient d'autres fichiers"), (file, "n'est pas un dossier"),
                         (tmp_path / "absent" / "paquet", "n'existe pas")):
        done = run_cli("export", "--db", str(path), "--format", "datapackage", "-o", str(target))
        assert done.returncode == 2 and said in done.stderr, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temporary folder left behind
    assert [p.name for p in mine.iterdir()] == ["notes.txt"] and file.read_text(encoding="utf-8") == "x"


def test_unknown_format_and_missing_database(tmp_path):
    done = run_cli("export", "--db", str(tmp_path / "absente.duckdb"), "--format", "datapackage", "-o",
                   str(tmp_path / "paquet"))
    assert done.returncode == 2 and not (tmp_path / "paquet").exists()
    done = run_cli("export", "--db", str(tmp_path / "absente.duckdb"), "--format", "docx", "-o", str(tmp_path / "x"))
    assert done.returncode == 2 and "n'est pas un choix possible" in done.stderr


# --------------------------------------------------------------------------------------------------
# The « Exports » page (AppTest; in Chromium: tests/test_e2e_exports.py)
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def fresh_app(tmp_path, monkeypatch):
    """The dashboard on a database of its own, as the app made it on a fresh install."""
    yield from app_session(tmp_path / "app.duckdb", monkeypatch, first_opening=True)


def test_the_exports_page_shows_each_tool_its_file_and_what_is_left_to_do(fresh_app):
    """Every format of the registry under its tool's heading, with its button, what the data still lacks and the
    steps left in the tool; on a fresh install, the example values are said before anything is published."""
    at = open_page("pages/12_Exports.py")
    assert at.title[0].value == "Exports"
    assert [s.value for s in at.subheader] == [tool.nom for tool in outils.par_outil()]
    assert len(at.get("download_button")) == len(outils.FORMATS)
    # As read on screen: Markdown's escapes (« COLL\\_SIRET ») are the characters escaped.
    warnings = re.sub(r"\\(.)", r"\1", " ".join(w.value for w in at.warning))
    assert "valeurs d'exemple, fictives" in warnings and "COLL_SIRET" in warnings
    shown = re.sub(r"\\(.)", r"\1", " ".join(m.value for m in at.markdown))
    assert "Ensuite, dans l'outil" in shown and "validata.fr" in shown
