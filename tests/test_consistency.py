"""The same total everywhere: per axe and per structure, every output an élu or the comité reads gives the figures
that the reference workbook itself gives, added up here by hand from its rows (not through `lne_data.rules`).

Outputs read as their readers read them: the overview's metrics and axe cards and the Budget and Charge RH charts
(AppTest), `summary --json` and `report --format xlsx` (the command line, the file's cells), the read models, and
a closure's headline. Two roadmaps: the Lot's, and one generated here with every kind of amount the layout allows
(yearly, per year, per structure, period not given, conditional, shared ETP, co-portage without attribution,
fiches without any figure).
"""

from __future__ import annotations

import io
import json
import random
import subprocess
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from lne_data import clotures, db, formatting, versions, views
from lne_data.referentiel import read_referentiel

from . import conftest
from .conftest import REFERENTIEL, ROOT, app_session, figures, xlsx

NON_ATTRIBUE = "Non attribué (co-portage)"  # as the README says the Charge RH page names it
KINDS = {"ponctuel": "ponctuel", "par an": "par_an", "annee": "par_annee", "par structure": "par_structure",
         "non précisée": "non_precise"}


def generated_roadmap(seed: int = 7) -> bytes:
    """A made-up territory: 3 axes, 5 objectifs, 14 fiches, every kind of line the layout allows."""
    rng = random.Random(seed)
    structures = ["Agence Numérique", "Département", "Association Relais", "Réseau des tiers-lieux", "Préfecture"]
    fiches, porteurs, moyens, indicateurs = [], [], [], []
    objectifs = [("1.1", 1), ("1.2", 1), ("2.1", 2), ("3.1", 3), ("3.2", 3)]
    for numero in range(1, 15):
        objectif = objectifs[numero % len(objectifs)][0]
        fiches.append([numero, objectif, f"Action générée n°{numero}"])
        owners = rng.sample(structures, 2 if numero % 4 == 0 else 1)
        porteurs += [[numero, owner, "co-porteur" if len(owners) > 1 else "porteur"] for owner in owners]
        indicateurs.append([f"F{numero:02d}-I1", numero, "Nombre de personnes accompagnées", "nombre", "personnes",
                            "flux"])
        if numero % 5 == 0:  # no figure at all
            moyens.append([numero, "INVESTISSEMENT", "investissement", None, "non", None, None, None, None, "non",
                           "non", "à définir"])
            continue
        provider = owners[0] if len(owners) == 1 else None  # co-portage: the text does not say who
        etp = round(rng.choice([0.05, 0.1, 0.25, 0.5]), 2)
        moyens.append([numero, "RH", "etp", provider, "oui", etp, "ETP", None, None, "non",
                       "oui" if numero == 7 else "non", f"{etp} ETP"])
        if numero % 3 == 0:
            moyens.append([numero, "RH", "etp", "Réseau des tiers-lieux", "oui", 0.1, "ETP", "par structure", None,
                           "non", "non", "0,1 ETP dans chaque structure"])
        periodicite = ["ponctuel", "par an", "annee", "par structure", "non précisée"][numero % 5]
        amount = rng.randrange(5, 60) * 100
        moyens.append([numero, "INVESTISSEMENT", "investissement", provider, "oui", amount, "EUR", periodicite,
                       2026 if periodicite == "annee" else None, "oui" if numero == 2 else "non", "non",
                       f"{amount} €"])
        if numero % 4 == 1:
            moyens.append([numero, "BUDGET", "charge", provider, "oui", 300, "EUR", "ponctuel", None, "non", "non",
                           "Déplacements 300 €"])
            moyens.append([numero, "BUDGET", "produit", provider, "oui", 300, "EUR", "ponctuel", None, "non", "non",
                           "Subvention 300 €"])
            moyens.append([numero, "BUDGET", "valorisation", provider, "oui", 150, "EUR", "ponctuel", None, "non",
                           "non", "Mise à disposition 150 €"])
    return xlsx({
        "feuille_de_route": [
            ["titre", "territoire", "structure_coordinatrice", "annee_debut", "annee_fin", "version", "source"],
            ["Feuille de route générée 2025-2028", "Territoire de test", "Agence Numérique", 2025, 2028, "v1",
             "générée par les tests"],
        ],
        "axes": [["code", "libelle"], [1, "Relier"], [2, "Former"], [3, "Innover ensemble"]],
        "objectifs": [["code", "axe", "libelle"], *[[c, a, f"Objectif {c}"] for c, a in objectifs]],
        "fiches": [["numero", "objectif", "intitule"], *fiches],
        "structures": [["nom", "variantes", "type"], *[[s, "", "autre"] for s in structures]],
        "porteurs": [["fiche", "structure", "role"], *porteurs],
        "partenaires": [["fiche", "structure"]],
        "moyens": [["fiche", "rubrique", "nature", "structure", "quantifie", "montant", "unite", "periodicite",
                    "annee", "conditionnel", "partage", "source"], *moyens],
        "indicateurs": [["code", "fiche", "libelle", "type", "unite", "mode"], *indicateurs],
    })


def by_hand(data: bytes) -> dict[str, Any]:
    """The totals the workbook gives, added up from its rows with openpyxl and plain Python."""
    wb = openpyxl.load_workbook(io.BytesIO(data))

    def rows(sheet: str) -> list[dict[str, Any]]:
        header, *body = wb[sheet].iter_rows(values_only=True)
        return [dict(zip(header, r)) for r in body if any(v is not None for v in r)]

    axe_of_objectif = {r["code"]: r["axe"] for r in rows("objectifs")}
    axe_of = {r["numero"]: axe_of_objectif[r["objectif"]] for r in rows("fiches")}
    libelle = {r["code"]: r["libelle"] for r in rows("axes")}
    money: dict[str, dict[str, float]] = {libelle[a]: defaultdict(float) for a in set(axe_of.values())}
    etp_axe: dict[str, float] = defaultdict(float)
    etp_structure: dict[str, float] = defaultdict(float)
    for r in rows("moyens"):
        if r["quantifie"] != "oui":
            continue
        axe = libelle[axe_of[r["fiche"]]]
        if r["nature"] in ("investissement", "charge"):
            money[axe][KINDS[r["periodicite"]]] += r["montant"]
        elif r["nature"] == "etp" and r["periodicite"] != "par structure":
            etp_axe[axe] += r["montant"]
            etp_structure[r["structure"] or NON_ATTRIBUE] += r["montant"]
    return {"money": money, "etp_axe": etp_axe, "etp_structure": etp_structure}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    done = conftest.run_cli(*args)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module", params=["lot", "générée"])
def roadmap(request, tmp_path_factory) -> tuple[bytes, Path]:
    """The roadmap's workbook, and a database made from it by the command line, with one closure."""
    data = REFERENTIEL.read_bytes() if request.param == "lot" else generated_roadmap()
    folder = tmp_path_factory.mktemp("coherence")
    workbook = folder / "referentiel.xlsx"
    workbook.write_bytes(data)
    path = folder / "lne.duckdb"
    run_cli("init", "--referentiel", str(workbook), "--db", str(path))
    con = db.connect(path)
    start = int(views.reference(con).feuille_de_route["annee_debut"])
    clotures.close_quarter(con, f"{start}-T1", comite_le=date(start, 4, 10), reference="Comité de test",
                           auteur="tests")
    con.close()
    return data, path


def close(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6


def test_read_models_summary_and_closure_give_the_workbook_totals(roadmap):
    data, path = roadmap
    expected = by_hand(data)
    summary = json.loads(run_cli("summary", "--json", "--db", str(path)).stdout)
    con = db.connect(path, read_only=True)
    try:
        ref = views.reference(con)
        overview = views.overview(con, ref, views.Filters())
        frozen = clotures.load_closure(con, int(clotures.closures(con)["id"].iloc[0]))
        closed = views.headline(frozen.entries, frozen.ref, views.Filters(periode=frozen.periode))
    finally:
        con.close()
    for axes in (overview.axes, closed.axes):
        for axe in axes.itertuples():
            for column in KINDS.values():
                assert close(getattr(axe, column), expected["money"][axe.libelle][column]), (axe.libelle, column)
            assert close(axe.etp, expected["etp_axe"][axe.libelle]), axe.libelle
    for libelle, figures_ in summary["axes"].items():
        money = expected["money"][libelle]
        assert close(figures_["investissement_ponctuel_eur"], money["ponctuel"]), libelle
        assert close(figures_["investissement_annuel_eur"], money["par_an"]), libelle
        assert close(sum(figures_["investissement_par_annee_eur"].values()), money["par_annee"]), libelle
        assert close(figures_["investissement_par_structure_partenaire_eur"], money["par_structure"]), libelle
        assert close(figures_["investissement_periode_non_precisee_eur"], money["non_precise"]), libelle
        assert close(figures_["etp"], expected["etp_axe"][libelle]), libelle
    assert summary["etp_par_structure"] == pytest.approx(dict(expected["etp_structure"]))
    total = sum(m["ponctuel"] for m in expected["money"].values())
    assert close(overview.budget_ponctuel, total) and close(closed.budget_ponctuel, total)


def test_the_workbook_report_gives_the_same_cells(roadmap, tmp_path):
    data, path = roadmap
    expected = by_hand(data)
    out = tmp_path / "rapport.xlsx"
    con = db.connect(path, read_only=True)
    start = int(views.reference(con).feuille_de_route["annee_debut"])
    con.close()
    run_cli("report", "--periode", f"{start}-T1", "--format", "xlsx", "-o", str(out), "--db", str(path))
    wb = openpyxl.load_workbook(out)

    def sheet(name: str) -> list[dict[str, Any]]:
        header, *body = wb[name].iter_rows(values_only=True)
        return [dict(zip(header, r)) for r in body]

    headers = {"ponctuel": "Ponctuel (€)", "par_an": "Par an (€)", "par_annee": "Année précise, total (€)",
               "par_structure": "Par structure partenaire (€)", "non_precise": "Période non précisée (€)"}
    for row in sheet("budget"):
        for column, header in headers.items():
            assert close(row[header] or 0.0, expected["money"][row["Axe"]][column]), (row["Axe"], header)
        assert close(row["ETP"], expected["etp_axe"][row["Axe"]]), row["Axe"]
    assert {r["Structure"]: r["ETP"] for r in sheet("etp")} == pytest.approx(dict(expected["etp_structure"]))
    # A fiche without any figure is « non chiffré » with empty amounts, never 0 €.
    for row in sheet("budget_fiches"):
        if row["Chiffrage"] == "non chiffré":
            assert all(row[h] is None for h in headers.values()), row
        else:
            assert row["Chiffrage"] == "chiffré" and all(row[h] is not None for h in headers.values()), row


def test_the_pages_show_the_same_totals(roadmap, tmp_path, monkeypatch):
    data, path = roadmap
    expected = by_hand(data)
    copy = tmp_path / "lne.duckdb"  # the closure's database, untouched by the app
    copy.write_bytes(path.read_bytes())
    for _ in app_session(copy, monkeypatch):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        assert not at.exception
        metrics = {m.label: m.value for m in at.metric}
        total = sum(m["ponctuel"] for m in expected["money"].values())
        assert metrics["Budget ponctuel"] == formatting.euros(total)
        assert metrics["Sans période"] == formatting.euros(
            sum(m["non_precise"] for m in expected["money"].values()))
        assert metrics["ETP chiffrés"] == formatting.etp(sum(expected["etp_axe"].values()))
        cards = " ".join(m.value for m in at.markdown)
        for libelle, money in expected["money"].items():
            line = f"{formatting.euros(money['ponctuel'])} ponctuels · {formatting.etp(expected['etp_axe'][libelle])}"
            assert line in cards, (libelle, line)

        at.switch_page("pages/1_Budget.py").run()
        bars = figures(at)[0]["data"][0]
        assert dict(zip(bars["y"], bars["x"])) == pytest.approx(
            {libelle: money["ponctuel"] for libelle, money in expected["money"].items()})

        at.switch_page("pages/2_Charge_RH.py").run()
        chart = next(f for f in figures(at) if f["layout"]["title"]["text"].startswith("ETP par structure"))
        shown = dict(zip(chart["data"][0]["y"], chart["data"][0]["x"]))
        assert shown == pytest.approx(dict(expected["etp_structure"]))


def test_the_generated_roadmap_has_every_kind_of_line():
    """The second roadmap is worth comparing only if it holds what the Lot's does and more."""
    ref_con = db.connect(":memory:")
    db.migrate(ref_con)
    versions.load(ref_con, read_referentiel(generated_roadmap()))
    moyens = views.reference(ref_con).moyens
    assert set(moyens["periodicite"].dropna()) == {"ponctuel", "par an", "annee", "par structure", "non précisée"}
    assert moyens["conditionnel"].any() and moyens["partage"].any()
    assert moyens["structure"].isna().any() and (~moyens["quantifie"]).any()
    ref_con.close()


def test_the_closures_reports_give_the_same_totals(roadmap):
    """The key figures of a closure's deck and note au comité are the overview's, per axe and in total."""
    from pptx import Presentation
    from pypdf import PdfReader

    from lne_data import reports

    data, path = roadmap
    expected = by_hand(data)
    con = db.connect(path, read_only=True)
    try:
        frozen = clotures.load_closure(con, int(clotures.closures(con)["id"].iloc[0]))
    finally:
        con.close()
    report = reports.closure_report_data(frozen)
    total = sum(m["ponctuel"] for m in expected["money"].values())
    etp = sum(expected["etp_axe"].values())
    assert close(report.chiffres.budget_ponctuel, total) and close(report.chiffres.etp, etp)
    for axe in report.axes.itertuples():
        assert close(axe.ponctuel, expected["money"][axe.libelle]["ponctuel"]), axe.libelle
    figures_ = {label: figure for figure, label in reports.key_figures(report)}
    assert figures_["d'investissement ponctuel chiffré"] == formatting.euros(total)
    assert figures_["chiffrés"] == formatting.etp(etp)
    deck = Presentation(io.BytesIO(reports.build(report, "pptx")))
    key_slide = [s.text_frame.text for s in deck.slides[1].shapes if s.has_text_frame]
    assert any(t.startswith(formatting.euros(total)) for t in key_slide), key_slide
    # Compared without spaces: reportlab draws the no-break spaces of a paragraph as ordinary ones.
    note = "".join(PdfReader(io.BytesIO(reports.build(report, "pdf"))).pages[0].extract_text().split())
    for figure in (formatting.euros(total), formatting.etp(etp)):
        assert "".join(figure.split()) in note, figure
