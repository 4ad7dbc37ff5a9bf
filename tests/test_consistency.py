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
import re
import subprocess
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from lne_data import clotures, db, formatting, saisie, versions, views
from lne_data.referentiel import read_referentiel

from . import conftest
from .conftest import REFERENTIEL, ROOT, app_session, figures, xlsx

NON_ATTRIBUE = "Non attribué (co-portage)"  # as the README says the Charge RH page names it
KINDS = {"ponctuel": "ponctuel", "par an": "par_an", "annee": "par_annee", "par structure": "par_structure",
         "non précisée": "non_precise"}


def generated_roadmap(seed: int = 7) -> bytes:
    """A made-up territory: 4 axes, 6 objectifs, 16 fiches, every kind of line the layout allows."""
    rng = random.Random(seed)
    structures = ["Agence Numérique", "Département", "Association Relais", "Réseau des tiers-lieux", "Préfecture"]
    fiches, porteurs, moyens, indicateurs = [], [], [], []
    objectifs = [("1.1", 1), ("1.2", 1), ("2.1", 2), ("3.1", 3), ("3.2", 3)]
    for numero in range(1, 15):
        objectif = objectifs[numero % len(objectifs)][0]
        # Fiche 11 is adopted in the roadmap's second year (its yearly amount counts from then), fiche 1 before the
        # roadmap starts (from its first year), the others without a date.
        added = {1: datetime(2024, 5, 1), 11: datetime(2026, 6, 1)}.get(numero)
        fiches.append([numero, objectif, f"Action générée n°{numero}", added])
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
                       2026 if periodicite == "annee" else None, "oui" if numero in (2, 6) else "non", "non",
                       f"{amount} €"])
        if numero % 4 == 1:
            moyens.append([numero, "BUDGET", "charge", provider, "oui", 300, "EUR", "ponctuel", None, "non", "non",
                           "Déplacements 300 €"])
            moyens.append([numero, "BUDGET", "produit", provider, "oui", 300, "EUR", "ponctuel", None, "non", "non",
                           "Subvention 300 €"])
            moyens.append([numero, "BUDGET", "valorisation", provider, "oui", 150, "EUR", "ponctuel", None, "non",
                           "non", "Mise à disposition 150 €"])
    # Axe 4: money per partner structure only (fiche 15) and a fiche without any figure (16): never « 0 € ».
    objectifs.append(("4.1", 4))
    for numero in (15, 16):
        fiches.append([numero, "4.1", f"Action générée n°{numero}", None])
        porteurs.append([numero, structures[0], "porteur"])
        indicateurs.append([f"F{numero:02d}-I1", numero, "Nombre de structures équipées", "nombre", "structures",
                            "stock"])
    moyens.append([15, "INVESTISSEMENT", "investissement", None, "oui", 1500, "EUR", "par structure", None, "non",
                   "non", "1 500 € par structure partenaire"])
    moyens.append([16, "INVESTISSEMENT", "investissement", None, "non", None, None, None, None, "non", "non",
                   "à définir"])
    return xlsx({
        "feuille_de_route": [
            ["titre", "territoire", "structure_coordinatrice", "annee_debut", "annee_fin", "version", "source"],
            ["Feuille de route générée 2025-2028", "Territoire de test", "Agence Numérique", 2025, 2028, "v1",
             "générée par les tests"],
        ],
        "axes": [["code", "libelle"], [1, "Relier"], [2, "Former"], [3, "Innover ensemble"], [4, "Équiper"]],
        "objectifs": [["code", "axe", "libelle"], *[[c, a, f"Objectif {c}"] for c, a in objectifs]],
        "fiches": [["numero", "objectif", "intitule", "ajoutee_le"], *fiches],
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


def planned_by_hand(data: bytes) -> dict[str, Any]:
    """The money the workbook plans, added up from its rows by the rule README « Modelling choices » states: « par
    an » in each year from the fiche's adoption (the roadmap's first year at the earliest) to the roadmap's end, a
    given year in that year, « ponctuel » and « non précisée » once in no year (« à répartir »), « par structure »
    apart, the conditional part said; fiches without any quantified cash line named. Keyed by axe code."""
    wb = openpyxl.load_workbook(io.BytesIO(data))

    def rows(sheet: str) -> list[dict[str, Any]]:
        header, *body = wb[sheet].iter_rows(values_only=True)
        return [dict(zip(header, r)) for r in body if any(v is not None for v in r)]

    fdr = rows("feuille_de_route")[0]
    debut, fin = int(fdr["annee_debut"]), int(fdr["annee_fin"])
    axe_of_objectif = {r["code"]: r["axe"] for r in rows("objectifs")}
    axe_of = {r["numero"]: axe_of_objectif[r["objectif"]] for r in rows("fiches")}
    start = {r["numero"]: max(debut, r["ajoutee_le"].year) if r.get("ajoutee_le") else debut for r in rows("fiches")}
    axes: dict[int, dict[str, Any]] = {a: {"prevu": 0.0, "sous_condition": 0.0, "par_structure": 0.0,
                                           "a_repartir": 0.0, "a_repartir_condition": 0.0, "chiffrees": set(),
                                           "annees": defaultdict(float), "annees_condition": defaultdict(float)}
                                       for a in set(axe_of.values())}
    for r in rows("moyens"):
        if r["quantifie"] != "oui" or r["nature"] not in ("investissement", "charge"):
            continue
        axe, amount = axes[axe_of[r["fiche"]]], float(r["montant"])
        axe["chiffrees"].add(r["fiche"])
        if r["periodicite"] == "par structure":
            axe["par_structure"] += amount
            continue
        years = (list(range(start[r["fiche"]], fin + 1)) if r["periodicite"] == "par an"
                 else [int(r["annee"])] if r["periodicite"] == "annee" else [])
        conditional = r["conditionnel"] == "oui"
        for year in years:
            axe["annees"][year] += amount
            axe["annees_condition"][year] += amount if conditional else 0.0
        total = amount * len(years) if years else amount
        axe["a_repartir"] += 0.0 if years else amount
        axe["a_repartir_condition"] += amount if conditional and not years else 0.0
        axe["prevu"] += total
        axe["sous_condition"] += total if conditional else 0.0
    for code, axe in axes.items():
        axe["non_chiffrees"] = sorted(n for n, a in axe_of.items() if a == code and n not in axe["chiffrees"])
    return {"debut": debut, "fin": fin, "axes": axes}


def sentence(axe: dict[str, Any], periode: str) -> str:
    """An axe's planned money as the issue asks it to be said, from `planned_by_hand`'s figures."""
    euros = formatting.euros
    head = (f"{euros(axe['prevu'])} prévus sur {periode}" if axe["prevu"]
            else f"aucun montant fixe sur {periode}" if axe["par_structure"]
            else f"aucun montant chiffré sur {periode}")
    parts = [head + (f", dont {euros(axe['sous_condition'])} sous condition" if axe["sous_condition"] else "")]
    if axe["par_structure"]:
        parts.append(f"+ {euros(axe['par_structure'])} par structure partenaire (nombre non fixé)")
    n = len(axe["non_chiffrees"])
    if n:
        parts.append(f"{n} fiche{'s' if n > 1 else ''} non chiffrée{'s' if n > 1 else ''} "
                     f"({', '.join(map(str, axe['non_chiffrees']))})")
    return " ; ".join(parts)


def total_of(planned: dict[str, Any]) -> dict[str, Any]:
    """The roadmap's planned money, all axes together, in `planned_by_hand`'s shape."""
    axes = planned["axes"].values()
    years: dict[str, dict[int, float]] = {"annees": defaultdict(float), "annees_condition": defaultdict(float)}
    for axe in axes:
        for key, per_year in years.items():
            for year, amount in axe[key].items():
                per_year[year] += amount
    return {**{k: sum(a[k] for a in axes) for k in ("prevu", "sous_condition", "par_structure", "a_repartir",
                                                    "a_repartir_condition")},
            **years, "non_chiffrees": sorted(n for a in axes for n in a["non_chiffrees"])}


def years_sentence(axe: dict[str, Any], planned: dict[str, Any]) -> str:
    """« 2024 : — · 2025 : 3 200 € · … · à répartir sur 2024-2027 : 58 104 € (dont 5 000 € sous condition) »."""
    euros = formatting.euros

    def said(amount: float, condition: float) -> str:
        return (euros(amount) if amount else "—") + (f" (dont {euros(condition)} sous condition)" if condition
                                                     else "")

    years = [f"{y} : {said(axe['annees'].get(y, 0.0), axe['annees_condition'].get(y, 0.0))}"
             for y in range(planned["debut"], planned["fin"] + 1)]
    return " · ".join([*years, f"à répartir sur {planned['debut']}-{planned['fin']} : "
                       + said(axe["a_repartir"], axe["a_repartir_condition"])])


ZERO_EUROS = re.compile(r"(?<![\d\u202f\u00a0 ])0[\u00a0 ]€")  # « 0 € » alone, not the end of « 10 000 € »


def flat(text: str) -> str:
    """Text compared without its spaces: PDF extraction and reportlab draw no-break spaces as ordinary ones,
    and wrap lines anywhere."""
    return "".join(str(text).replace("\\", "").split())


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
        assert metrics["ETP chiffrés"] == formatting.etp(sum(expected["etp_axe"].values()))
        cards = " ".join(m.value for m in at.markdown)
        for libelle in expected["money"]:
            assert formatting.etp(expected["etp_axe"][libelle]) in cards, libelle

        at.switch_page("pages/1_Budget.py").run()
        bars = figures(at)[0]["data"][0]  # the first kind stacked: the one-off amounts
        assert bars["name"].startswith("Ponctuel")
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
    planned = total_of(planned_by_hand(data))
    figures_ = {label: figure for figure, label in reports.key_figures(report)}
    prevu = formatting.euros(planned["prevu"])
    label = next(label for label in figures_ if label.startswith("prévus sur"))
    assert figures_[label] == prevu
    if planned["sous_condition"]:
        assert f"dont {formatting.euros(planned['sous_condition'])} sous condition" in label
    assert figures_["chiffrés"] == formatting.etp(etp)
    deck = Presentation(io.BytesIO(reports.build(report, "pptx")))
    key_slide = [s.text_frame.text for s in deck.slides[1].shapes if s.has_text_frame]
    assert any(t.startswith(prevu) for t in key_slide), key_slide
    # Compared without spaces: reportlab draws the no-break spaces of a paragraph as ordinary ones.
    note = flat(PdfReader(io.BytesIO(reports.build(report, "pdf"))).pages[0].extract_text())
    for figure in (prevu, formatting.etp(etp), label):
        assert flat(figure) in note, figure


# --------------------------------------------------------------------------------------------------
# The money planned (issue 23): one answer per axe and per year, the same on every screen and in every export
# --------------------------------------------------------------------------------------------------


def test_summary_json_gives_the_money_planned_per_axe_and_per_year(roadmap):
    data, path = roadmap
    planned = planned_by_hand(data)
    summary = json.loads(run_cli("summary", "--json", "--db", str(path)).stdout)
    assert set(summary["budget_par_axe"]) == {str(a) for a in planned["axes"]}
    for code, axe in planned["axes"].items():
        shown = summary["budget_par_axe"][str(code)]
        assert shown["prevu_eur"] == pytest.approx(axe["prevu"]), code
        assert shown["sous_condition_eur"] == pytest.approx(axe["sous_condition"]), code
        assert shown["par_structure_eur"] == pytest.approx(axe["par_structure"]), code
        assert shown["non_chiffrees"] == axe["non_chiffrees"], code
        assert shown["engage_eur"] is None and shown["paye_eur"] is None  # no execution data yet: never 0
        assert shown["phrase"] == sentence(axe, f"{planned['debut']}-{planned['fin']}")
    total = total_of(planned)
    years = summary["budget_par_annee"]
    assert list(years) == [str(y) for y in range(planned["debut"], planned["fin"] + 1)]
    for year, shown in years.items():
        assert shown["prevu_eur"] == pytest.approx(total["annees"].get(int(year), 0.0)), year
        assert shown["engage_eur"] is None and shown["paye_eur"] is None
    # The years and what is in none of them add up to what is planned over the roadmap.
    assert sum(y["prevu_eur"] for y in years.values()) + total["a_repartir"] == pytest.approx(total["prevu"])
    # The text output says the same sentence.
    text = run_cli("summary", "--db", str(path)).stdout
    for axe in planned["axes"].values():
        assert sentence(axe, f"{planned['debut']}-{planned['fin']}") in text


def _meeting_budget_screen(at: AppTest) -> AppTest:
    """Mode réunion, moved screen by screen to « Budget par axe » as the meeting's buttons do."""
    at.switch_page("pages/8_Reunion.py").run()
    for _ in range(40):
        if at.subheader[0].value.startswith("Budget par axe"):
            return at
        next(b for b in at.button if b.label == "Suivant").click().run()
        assert not at.exception
    raise AssertionError("no « Budget par axe » screen")


def test_the_pages_say_the_money_planned_the_same(roadmap, tmp_path, monkeypatch):
    data, path = roadmap
    planned = planned_by_hand(data)
    periode = f"{planned['debut']}-{planned['fin']}"
    total = total_of(planned)
    copy = tmp_path / "lne.duckdb"
    copy.write_bytes(path.read_bytes())
    for _ in app_session(copy, monkeypatch):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        assert not at.exception
        assert {m.label: m.value for m in at.metric}[f"Prévu {periode}"] == formatting.euros(total["prevu"])
        captions = " ".join(c.value for c in at.caption)
        assert sentence(total, periode) in captions and years_sentence(total, planned) in captions
        cards = [m.value for m in at.markdown if "**Budget** :" in m.value]
        assert len(cards) == len(planned["axes"])
        for card, (code, axe) in zip(cards, sorted(planned["axes"].items())):
            assert f"**Budget** : {sentence(axe, periode)}" in card, code
            assert f"Par année : {years_sentence(axe, planned)}" in card, code
            if axe["chiffrees"]:  # an axe whose text gives amounts never reads « 0 € »
                assert not ZERO_EUROS.search(card), card

        at.switch_page("pages/1_Budget.py").run()
        assert not at.exception
        assert {m.label: m.value for m in at.metric}[f"Prévu {periode}"] == formatting.euros(total["prevu"])
        said = " ".join(m.value for m in at.markdown)
        for code, axe in planned["axes"].items():
            assert f"** : {sentence(axe, periode)}." in said, code
        assert years_sentence(total, planned) in " ".join(c.value for c in at.caption)
        per_axe, per_year = figures(at)[0], figures(at)[1]
        ends = per_axe["data"][-1]  # the total written at the end of each axe's bar
        assert ends["x"] == pytest.approx([a["prevu"] for _, a in sorted(planned["axes"].items())])
        for text, (_, axe) in zip(ends["text"], sorted(planned["axes"].items())):
            assert not ZERO_EUROS.search(text) and (formatting.euros(axe["prevu"]) in text if axe["prevu"]
                                                    else True), text
        written = per_year["data"][-1]
        expected_years = [total["annees"].get(y, 0.0) for y in range(planned["debut"], planned["fin"] + 1)]
        assert written["y"] == pytest.approx([*expected_years, total["a_repartir"]])

        _meeting_budget_screen(at)
        ends = figures(at)[0]["data"][-1]  # each axe's sentence at the end of its bar, wrapped
        assert ends["x"] == pytest.approx([a["prevu"] for _, a in sorted(planned["axes"].items())])
        assert [t.replace("<br>", " ") for t in ends["text"]] == [
            sentence(axe, periode) for _, axe in sorted(planned["axes"].items())]
        assert f"#### Par année : {years_sentence(total, planned)}" in " ".join(m.value for m in at.markdown)
        next(b for b in at.button if b.label == "Début").click().run()
        tiles = " ".join(a["text"] for a in figures(at)[0]["layout"]["annotations"])
        assert formatting.euros(total["prevu"]) in tiles
        if total["sous_condition"]:  # the conditional amount said, not presented as firm
            assert f"dont {formatting.euros(total['sous_condition'])} sous condition" in tiles.replace("<br>", " ")


def test_the_reports_say_the_money_planned_the_same(roadmap, tmp_path):
    from pptx import Presentation
    from pypdf import PdfReader

    data, path = roadmap
    planned = planned_by_hand(data)
    periode = f"{planned['debut']}-{planned['fin']}"
    total = total_of(planned)
    made = {}
    for fmt in ("pdf", "pptx", "xlsx"):
        made[fmt] = tmp_path / f"rapport.{fmt}"
        run_cli("report", "--periode", f"{planned['debut']}-T1", "--format", fmt, "-o", str(made[fmt]),
                "--db", str(path))
    pdf = flat(" ".join(p.extract_text() for p in PdfReader(made["pdf"]).pages))
    deck = " ".join(shape.text_frame.text for slide in Presentation(made["pptx"]).slides for shape in slide.shapes
                    if shape.has_text_frame)
    for axe in [*planned["axes"].values(), total]:
        assert flat(sentence(axe, periode)) in pdf, sentence(axe, periode)
        assert sentence(axe, periode) in deck, sentence(axe, periode)
    assert flat(years_sentence(total, planned)) in pdf and years_sentence(total, planned) in deck
    if total["sous_condition"]:  # the PDF's note au comité says what is conditional
        assert flat(f"dont {formatting.euros(total['sous_condition'])} sous condition") in pdf

    wb = openpyxl.load_workbook(made["xlsx"])
    header, *body = wb["budget"].iter_rows(values_only=True)
    for row in (dict(zip(header, r)) for r in body):
        axe = planned["axes"][row["Axe n°"]]
        assert row["Budget prévu"] == sentence(axe, periode)
        assert close(row[f"Prévu {periode} (€)"], axe["prevu"])
        assert close(row["dont sous condition (€)"], axe["sous_condition"])
        assert close(row["Par structure partenaire (€)"], axe["par_structure"])
        for year in range(planned["debut"], planned["fin"] + 1):
            assert close(row[f"Prévu en {year} (€)"], axe["annees"].get(year, 0.0)), (row["Axe"], year)
        assert close(row[f"Prévu à répartir sur {periode} (€)"], axe["a_repartir"])
    cover = {r[0]: r[1] for r in wb["rapport"].iter_rows(values_only=True)}
    assert cover["Budget prévu"] == sentence(total, periode)
    assert cover["Budget prévu par année"] == years_sentence(total, planned)


def test_the_lot_plans_what_its_text_says():
    """The Lot's roadmap, read by hand from its text (« 2 000 € par an pour la formation », « 200€ en 2025, 400€
    en 2026, 600€ en 2027 », « 1000€ par an », « 2500€ environ par structure partenaire », « Possibilité de … :
    5 000€ »): the three answers the issue found (20 000 €, 34 304 €, 42 304 €) are now one."""
    planned = planned_by_hand(REFERENTIEL.read_bytes())
    axes = planned["axes"]
    assert sentence(axes[1], "2024-2027") == ("13\u202f800\u00a0€ prévus sur 2024-2027, "
                                              "dont 5\u202f000\u00a0€ sous condition")
    assert axes[2]["prevu"] == 20000 + 14304 + 2000 * 4
    assert axes[3]["prevu"] == 10000 + 1000 * 4 + 200 + 400 + 600 and axes[3]["par_structure"] == 2500
    assert dict(total_of(planned)["annees"]) == {2024: 3000, 2025: 3200, 2026: 3400, 2027: 3600}


def declare_execution(path: Path, folder: Path) -> dict[str, Any]:
    """A quarterly file with a sheet « Dépenses » on the first fiche of the first two axes (their first porteur),
    over two quarters of two years, imported by the command line as the coordinatrice does; what it declares, added
    up by hand per axe and per year. One amount paid is left empty: « non déclaré », never 0."""
    con = db.connect(path, read_only=True)
    try:
        ref = views.reference(con)
    finally:
        con.close()
    start = int(ref.feuille_de_route["annee_debut"])
    axes = sorted(int(a) for a in ref.fiches["axe"].unique())[:2]
    first = {a: int(ref.fiches.loc[ref.fiches["axe"] == a, "numero"].min()) for a in axes}
    porteur = {a: str(ref.porteurs.loc[ref.porteurs["fiche"] == first[a], "structure"].iloc[0]) for a in axes}
    a, b = axes
    rows = [[first[a], porteur[a], f"{start}-T2", "fonctionnement", "1 000", "400", None, None, None, None],
            [first[a], porteur[a], f"{start + 1}-T1", "investissement", "300", None, None, None, None, None],
            [first[b], porteur[b], f"{start + 1}-T1", "fonctionnement", "2 500,50", "1 000", None, None, None, None]]
    header = [c.name for c in saisie.DEPENSES_COLUMNS]
    workbook = folder / "depenses.xlsx"
    workbook.write_bytes(conftest.saisie_xlsx([], extra={saisie.DEPENSES_SHEET: [header, *rows]}))
    run_cli("import", str(workbook), "--db", str(path), "--auteur", "tests")
    return {"axes": {a: (1300.0, 400.0), b: (2500.5, 1000.0)},
            "annees": {start: (1000.0, 400.0), start + 1: (2800.5, 1000.0)},
            "periode": f"{start + 1}-T1", "debut": start}


def test_committed_and_paid_are_the_same_everywhere(roadmap, tmp_path, monkeypatch):
    """What the porteurs declared engaged and paid, per axe and per year: the same figures in summary --json, on the
    overview's cards, the Budget page, Mode réunion, the PDF, the deck and the workbook; an axe with nothing
    declared says so, never 0 €."""
    from pypdf import PdfReader

    _, original = roadmap
    path = tmp_path / "lne.duckdb"
    path.write_bytes(original.read_bytes())
    declared = declare_execution(path, tmp_path)
    euros = formatting.euros

    summary = json.loads(run_cli("summary", "--json", "--db", str(path)).stdout)
    for code, shown in summary["budget_par_axe"].items():
        engage, paye = declared["axes"].get(int(code), (None, None))
        assert (shown["engage_eur"], shown["paye_eur"]) == (engage, paye), code
    for year, shown in summary["budget_par_annee"].items():
        assert (shown["engage_eur"], shown["paye_eur"]) == declared["annees"].get(int(year), (None, None)), year

    for _ in app_session(path, monkeypatch):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        assert not at.exception
        cards = [m.value for m in at.markdown if "**Budget** :" in m.value]  # in the axes' order
        codes = sorted(int(c) for c in summary["budget_par_axe"])
        for i, code in enumerate(codes):
            engage_paye = declared["axes"].get(code)
            said = (f"**Exécution déclarée** : engagé {euros(engage_paye[0])}, payé {euros(engage_paye[1])}"
                    if engage_paye else "**Exécution déclarée** : aucune dépense déclarée")
            assert said in cards[i], (code, cards[i])

        at.switch_page("pages/1_Budget.py").run()
        assert not at.exception
        chart = next(f for f in figures(at) if f["layout"]["title"]["text"].replace("<br>", " ").startswith(
            "Prévu ") and "engagé et payé par axe" in f["layout"]["title"]["text"].replace("<br>", " "))
        engage_bars, paye_bars = chart["data"][1]["x"], chart["data"][2]["x"]
        assert engage_bars == [declared["axes"].get(c, (None, None))[0] for c in codes]
        assert paye_bars == [declared["axes"].get(c, (None, None))[1] for c in codes]

        at.switch_page("pages/8_Reunion.py").run()
        for _ in range(60):
            if at.subheader[0].value.startswith("Exécution budgétaire"):
                break
            next(b for b in at.button if b.label == "Suivant").click().run()
            assert not at.exception
        meeting = figures(at)[0]
        assert meeting["data"][1]["x"] == [declared["axes"].get(c, (None, None))[0] for c in codes]
        assert meeting["data"][2]["x"] == [declared["axes"].get(c, (None, None))[1] for c in codes]

    made = {}
    for fmt in ("pdf", "pptx", "xlsx"):
        made[fmt] = tmp_path / f"rapport.{fmt}"
        run_cli("report", "--periode", declared["periode"], "--format", fmt, "-o", str(made[fmt]), "--db", str(path))
    pdf = flat(" ".join(p.extract_text() for p in PdfReader(made["pdf"]).pages))
    _, slides = conftest.pptx_content(made["pptx"].read_bytes())
    shown = next(texts for texts, _ in slides if any(t.startswith("Exécution budgétaire déclarée") for t in texts))
    deck = " | ".join(shown)  # the execution's slide, its table's cells included
    for engage, paye in declared["axes"].values():
        assert flat(euros(engage)) in pdf and flat(euros(paye)) in pdf
        assert euros(engage) in deck and euros(paye) in deck
    for year, (engage, paye) in declared["annees"].items():
        assert f"{year} : engagé {euros(engage)}, payé {euros(paye)}" in deck
    wb = openpyxl.load_workbook(made["xlsx"])
    header, *body = wb["execution"].iter_rows(values_only=True)
    cells = {r[0]: dict(zip(header, r)) for r in body}
    for code in codes:
        engage, paye = declared["axes"].get(code, (None, None))
        assert (cells[code]["Engagé (€)"], cells[code]["Payé (€)"]) == (engage, paye), code
        assert close(cells[code][f"Prévu {declared['debut']}-{summary_fin(summary)} (€)"],
                     summary["budget_par_axe"][str(code)]["prevu_eur"])
    years = {r[0]: r[1:] for r in wb["execution_annees"].iter_rows(min_row=2, values_only=True)}
    for year, shown in years.items():
        assert shown == declared["annees"].get(year, (None, None)), year


def summary_fin(summary: dict[str, Any]) -> int:
    return max(int(y) for y in summary["budget_par_annee"])


def test_a_fiche_says_the_money_its_text_plans_as_the_budget_page_counts_it(roadmap, monkeypatch):
    """The Fiche page and the fiche PDF give each fiche's planned money in the Budget page's one sentence: its total
    over the roadmap as `views.budget` counts it for that fiche, « non chiffré dans la feuille de route » for a fiche
    whose text gives no amount, never « 0 € »."""
    from lne_data import reports

    _, path = roadmap
    con = db.connect(path, read_only=True)
    try:
        ref = views.reference(con)
        budget = views.budget(ref, views.Filters())
        per_fiche = budget.par_fiche.set_index("fiche")
        chiffree = int(per_fiche["prevu"].dropna().idxmax())
        non_chiffrees = per_fiche.index[per_fiche["prevu"].isna()]
        shown = {}
        for numero in ref.numeros():
            view = views.fiche(con, ref, numero)
            assert view.prevu is not None and "0 €" not in view.phrase_prevu.split(";")[0], numero
            if numero in non_chiffrees:
                assert view.phrase_prevu == "non chiffré dans la feuille de route", numero
            else:
                assert view.prevu.prevu == pytest.approx(float(per_fiche.loc[numero, "prevu"])), numero
            shown[numero] = view.phrase_prevu
        assert formatting.euros(float(per_fiche.loc[chiffree, "prevu"])) in shown[chiffree]
        for numero in {chiffree, *non_chiffrees[:1]}:
            out = io.BytesIO()
            reports.build_fiche_pdf(con, int(numero), out)
            assert conftest.squeezed(f"Investissement prévu : {shown[numero]}") in conftest.squeezed(
                conftest.pdf_text(out.getvalue())[1]), numero
    finally:
        con.close()
    for _ in app_session(path, monkeypatch):
        for numero in {chiffree, *non_chiffrees[:1]}:
            at = conftest.open_page("pages/5_Fiche.py", fiche=str(numero))
            assert f"**Investissement prévu** : {shown[numero]}" in [m.value for m in at.markdown], numero
