"""Reports: every format opened again and checked against the database; text typed by users never becomes a
formula or markup; example data marked as such, and only then; the fiche PDF holds on one page; CLI statuses."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import datetime

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from lne_data import cibles, cli, db, formatting, queries, reports, rules, saisie, versions, views
from lne_data.demo import load_examples
from lne_data.palette import NEUTRALS
from lne_data.problems import NotFound, Refused
from lne_data.referentiel import read_referentiel
from lne_data.reports import pdflayout

from .conftest import (
    GOOD,
    REFERENTIEL,
    TODAY,
    edit_workbook,
    pdf_text,
    pptx_content,
    run_cli,
    run_cli_process,
    saisie_xlsx,
    squeezed,
    xlsx,
)

NOW = datetime(2025, 11, 28, 9, 30)
NNBSP, NBSP = "\u202f", "\u00a0"
HYPERLINK = '=HYPERLINK("https://a.fr";"ici")'
AT_SUM = "@SUM(1)"
MARKUP = "<b>gras</b> & <i>x</i>"
RESULTATS = "=1+1 rencontres <br/> tenues"

ROWS = [
    *GOOD,
    [6, "F06-I3", "2025-T3", 2, HYPERLINK, None],
    [7, "F07-I1", "2025-T3", 3, AT_SUM, None],
    [8, "F08-I1", "2025-T3", 5, MARKUP, None],
]
SUIVI = [["fiche", "periode", "statut", "meteo", "resultats", "freins", "prochaines_etapes"],
         [6, "2025-T3", "en cours", "éclaircies", RESULTATS, None, "Rencontre T4"]]


def _as_text(wb: openpyxl.Workbook) -> None:
    # Typed as text, as Excel stores a cell whose content starts with an apostrophe: the importer must keep it.
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(("=", "@")):
                    cell.data_type = "s"


@pytest.fixture
def imported(con):
    data = edit_workbook(saisie_xlsx(ROWS, extra={"Suivi": SUIVI}), _as_text)
    validation = saisie.check_file(data, "t3.xlsx", saisie.load_context(con, today=TODAY))
    assert validation.errors == []
    saisie.import_file(con, validation, auteur="Claire")
    return con


@pytest.fixture
def data(imported) -> reports.ReportData:
    return reports.report_data(imported, "2025-T3", now=NOW)


def quarter_values(con) -> dict[str, tuple]:
    found = queries.frame(con, "SELECT indicateur, valeur, valeur_texte, commentaire FROM saisies WHERE periode = ?",
                          ["2025-T3"])
    found = found.astype(object).where(found.notna(), None)
    return {r.indicateur: (r.valeur, r.valeur_texte, r.commentaire) for r in found.itertuples()}


def expected_budget(con) -> dict[str, dict[str, float]]:
    ref = views.reference(con)
    money = views.budget(ref, views.Filters())
    return money.par_fiche.groupby("axe_libelle")[rules.AMOUNT_COLUMNS].sum().to_dict()


def expected_etp(con) -> dict[str, float]:
    view = views.charge(views.reference(con), views.Filters(), capacite=None)
    return dict(zip(view.par_structure["structure"], view.par_structure["etp"]))


def test_report_data_follows_the_read_models(data, imported):
    assert (data.periode, data.periode_label, data.exemple) == ("2025-T3", "T3 2025", False)
    axes = data.axes.set_index("libelle")
    budget = expected_budget(imported)
    for column in rules.AMOUNT_COLUMNS:
        assert axes[column].to_dict() == budget[column]
    assert axes.loc["Lot Numérique Responsable", "ponctuel"] == 13800
    assert dict(zip(data.etp["structure"], data.etp["etp"])) == expected_etp(imported)
    assert set(data.saisis["code"]) == set(quarter_values(imported))
    f02 = data.indicateurs.set_index("code").loc["F02-I2"]
    # The text sets no target for F02-I2 (12 is a budget line): no share of a target until the coordination sets one.
    assert f02["valeur"] == 4.0 and pd.isna(f02["cible"]) and pd.isna(f02["part_cible"])
    cibles.set_target(imported, "F02-I2", "12", None, "12 médiateurs budgétés : cible retenue", "Claire")
    f02 = reports.report_data(imported, "2025-T3", now=NOW).indicateurs.set_index("code").loc["F02-I2"]
    assert (f02["valeur"], f02["cible"], round(f02["part_cible"], 3)) == (4.0, 12.0, 0.333)
    assert f02["cible_origine"] == "coordination"
    suivi = data.fiches.set_index("fiche").loc[6]
    assert (suivi["statut"], suivi["meteo"], suivi["resultats"]) == ("en cours", "éclaircies", RESULTATS)


def test_invalid_quarters_are_refused_in_french(imported):
    with pytest.raises(Refused, match="Trimestre invalide"):
        reports.report_data(imported, "2025-T5")
    with pytest.raises(Refused, match="hors de la feuille de route"):
        reports.report_data(imported, "2031-T1")
    assert reports.report_data(imported, "T3 2025").periode == "2025-T3"


def test_pptx_native_charts_and_tables_hold_the_database_figures(data, imported):
    out = io.BytesIO()
    reports.build_pptx(data, out)
    prs, slides = pptx_content(out.getvalue())
    assert round(prs.slide_width / prs.slide_height, 2) == round(16 / 9, 2)
    title_texts = " ".join(slides[0][0])
    assert "Lot Numérique Ensemble 2024-2027" in title_texts and "T3 2025" in title_texts
    # Today's data, not a closure's: the deck says so, dated in French.
    assert "Données du 28 novembre 2025, trimestre non clôturé" in title_texts
    everything = [t for texts, _ in slides for t in texts]
    assert not any("Données d'exemple" in t for t in everything)
    assert any(t.startswith("Axe 1 — Lot Numérique Responsable") for t in everything)

    charts = {title: chart for _, found in slides for title, chart in found.items()}
    budget_chart = charts["Budget prévu par axe (€)"]
    categories = list(budget_chart.plots[0].categories)
    assert categories == list(data.axes["libelle"])
    per_series = {s.name: dict(zip(categories, s.values)) for s in budget_chart.plots[0].series}
    budget = expected_budget(imported)
    kinds = rules.PLAN_KINDS
    # One bar per axe, the kinds of money planned stacked: « par an » over the fiche's years (all four here, every
    # fiche with a yearly amount adopted in 2024); per structure is never stacked (their number is not fixed).
    assert set(per_series) == set(kinds.values())
    assert per_series[kinds["ponctuel"]] == budget["ponctuel"]
    assert per_series[kinds["ponctuel"]]["Lot Numérique Responsable"] == 13800
    assert per_series[kinds["par_an_prevu"]] == {axe: 4 * v for axe, v in budget["par_an"].items()}
    assert per_series[kinds["par_annee"]] == budget["par_annee"]
    assert per_series[kinds["non_precise"]] == budget["non_precise"]
    assert per_series[kinds["non_precise"]]["Lot Numérique Innovant"] == 10000  # fiches 20 and 21

    etp_chart = charts["ETP par structure"]
    etp_values = dict(zip(etp_chart.plots[0].categories, etp_chart.plots[0].series[0].values))
    assert etp_values == pytest.approx(expected_etp(imported))

    indicator_cells = [t for texts, _ in slides if any(x.startswith("Indicateurs — T3 2025") for x in texts)
                       for t in texts]
    for code in quarter_values(imported):
        assert any(cell.startswith(f"{code} — ") for cell in indicator_cells), code
    assert "4 médiateurs" in [c.replace(NBSP, " ") for c in indicator_cells]
    assert "85 %" in [c.replace(NBSP, " ") for c in indicator_cells]
    assert "réalisé" in indicator_cells and "Retours positifs des foyers" in indicator_cells
    assert f"1{NNBSP}234{NBSP}médiateurs" in " ".join(indicator_cells)
    # User text stays the very text typed: no field, no formula, no markup read.
    for comment in (HYPERLINK, AT_SUM, MARKUP):
        assert comment in indicator_cells
    axe2 = [texts for texts, _ in slides if any(t.startswith("Axe 2 — Lot Numérique Solidaire") for t in texts)]
    assert any("éclaircies" in texts and "en cours" in texts for texts in axe2)
    assert any(t == "Points d'attention" for t in everything)


def test_pdf_report_holds_french_figures_and_plain_user_text(data, imported):
    out = io.BytesIO()
    reports.build_pdf(data, out)
    pages, text = pdf_text(out.getvalue())
    assert pages > 1
    assert "Suivi trimestriel — T3 2025" in text
    # Thousands are set apart by a narrow no-break space; reportlab draws the no-break space before the unit as
    # an ordinary one once the line is broken.
    shown = text.replace(NBSP, " ")
    # Axe 1 one-off, axe 2 one-off and without a stated period, axe 3 without a stated period, yearly, per structure.
    # (The chart's labels keep the narrow no-break space; a table's cells draw it as an ordinary one.)
    assert "13 800 €".replace(" ", NNBSP, 1) in shown
    for amount in ("13 800 €", "20 000 €", "14 304 €", "10 000 €", "2 000 €", "2 500 €"):
        assert amount in shown.replace(NNBSP, " "), amount
    assert "0,25 ETP" in shown
    flat = squeezed(text)
    for code in quarter_values(imported):
        assert code in flat
    for shown in ("4médiateurs", "85%", "1234médiateurs", "réalisé", "Retourspositifsdesfoyers"):
        assert shown in flat
    for comment in (HYPERLINK, AT_SUM, MARKUP, RESULTATS):
        assert squeezed(comment) in flat
    assert "Données d'exemple" not in text


def test_xlsx_has_every_figure_and_user_text_stays_text(data, imported):
    wb = openpyxl.load_workbook(io.BytesIO(reports.build_xlsx(data)))
    assert {"budget", "etp", "indicateurs", "suivi", "attention"} <= set(wb.sheetnames)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate)

    def records(name: str) -> list[dict]:
        rows = list(wb[name].iter_rows(values_only=True))
        return [dict(zip(rows[0], r)) for r in rows[1:]]

    budget = {r["Axe"]: r for r in records("budget")}
    expected = expected_budget(imported)
    assert {k: v["Ponctuel (€)"] for k, v in budget.items()} == expected["ponctuel"]
    assert {k: v["Par an (€)"] for k, v in budget.items()} == expected["par_an"]
    assert budget["Lot Numérique Innovant"]["Prévu en 2026 (€)"] == 400 + 1000  # Silver Geek in 2026, 1 000 € par an
    assert {k: v["Période non précisée (€)"] for k, v in budget.items()} == expected["non_precise"]
    assert budget["Lot Numérique Solidaire"]["Fiches non chiffrées"] == 6
    assert budget["Lot Numérique Solidaire"]["dont ETP partagés avec d'autres actions"] == pytest.approx(0.25)
    # The attention sheet names every fiche the budget leaves unquantified (it named 4 of the 10).
    unquantified = [r["Fiche"] for r in records("attention") if r["Point d'attention"] ==
                    "Fiches sans investissement chiffré"]
    assert unquantified == [7, 9, 11, 12, 14, 15, 16, 17, 18, 19]
    # ETP lines say what they are: a share of a full-time post, or asked of each partner structure; never « ponctuel ».
    assert {r["Base"] for r in records("etp_lignes")} == {"part d'un temps plein", "par structure partenaire"}
    shared = [r for r in records("etp_lignes") if r["Partagé"]]
    assert [(r["Fiche"], r["Partagé"]) for r in shared] == [(13, "également investi sur d'autres actions")]
    assert {r["Structure"]: r["ETP"] for r in records("etp")} == pytest.approx(expected_etp(imported))
    indicateurs = {r["Indicateur"]: r for r in records("indicateurs")}
    for code, (valeur, texte, commentaire) in quarter_values(imported).items():
        assert indicateurs[code]["Valeur T3 2025"] == valeur and indicateurs[code]["Texte"] == texte
        assert indicateurs[code]["Commentaire"] == commentaire
    assert indicateurs["F06-I3"]["Commentaire"] == HYPERLINK and indicateurs["F07-I1"]["Commentaire"] == AT_SUM
    sheet = wb["indicateurs"]
    column = [c.value for c in sheet[1]].index("Commentaire") + 1
    hostile = [sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)
               if sheet.cell(row=r, column=column).value in (HYPERLINK, AT_SUM)]
    assert len(hostile) == 2 and all(c.data_type == "s" for c in hostile)
    suivi = {r["Fiche"]: r for r in records("suivi")}
    assert (suivi[6]["Statut"], suivi[6]["Météo"], suivi[6]["Résultats"]) == ("en cours", "éclaircies", RESULTATS)
    cover = [r["Rubrique"] for r in records("rapport")]
    assert "Données d'exemple" not in cover


def test_example_data_is_marked_in_every_format(con):
    assert load_examples(con, today=TODAY) > 0
    data = reports.report_data(con, "2026-T3", now=NOW)
    assert data.exemple
    out = io.BytesIO()
    reports.build_pptx(data, out)
    _, slides = pptx_content(out.getvalue())
    assert "Données d'exemple" in slides[0][0][0].split("\n") or any(
        "Données d'exemple" in t.split("\n") for t in slides[0][0])
    out = io.BytesIO()
    reports.build_pdf(data, out)
    first_page = PdfReader(io.BytesIO(out.getvalue())).pages[0].extract_text()
    assert "Données d'exemple" in first_page.split("\n")
    wb = openpyxl.load_workbook(io.BytesIO(reports.build_xlsx(data)))
    assert "Données d'exemple" in [row[0] for row in wb["rapport"].iter_rows(values_only=True)]
    out = io.BytesIO()
    reports.build_fiche_pdf(con, 6, out)
    assert "Données d'exemple" in pdf_text(out.getvalue())[1]


def test_fiche_pdf_is_one_page_with_its_porteur(con):
    load_examples(con, today=TODAY)  # follow-up and qualitative texts make the fiches longer
    fiches = views.reference(con).fiches.set_index("numero")
    length = fiches[["public_cible", "enjeux", "description", "freins", "leviers", "ressources_existantes"]].fillna("")
    longest = length.apply(lambda row: sum(len(x) for x in row), axis=1).nlargest(4).index
    for numero in sorted({22, *longest}):
        out = io.BytesIO()
        reports.build_fiche_pdf(con, int(numero), out)
        pages, text = pdf_text(out.getvalue())
        assert pages == 1, numero
        if numero == 22:
            flat = squeezed(text)
            assert "Fiche action n°22" in text and "LotNumérique(porteur)" in flat
            assert squeezed("Mettre en place un programme départemental E-sport") in flat
            assert squeezed("Silver Geek") in flat and "Cotisation" in text
    with pytest.raises(NotFound, match="n'existe pas"):
        reports.build_fiche_pdf(con, 99, io.BytesIO())


def test_a_fiche_too_long_for_any_type_size_is_scaled_onto_one_page(imported):
    long_text = "<b>Texte</b> & suite " + " ".join(f"phrase {n} de la description très détaillée." for n in range(600))
    imported.execute("UPDATE fiches SET description = ? WHERE numero = 22", [long_text])
    out = io.BytesIO()
    reports.build_fiche_pdf(imported, 22, out)
    pages, text = pdf_text(out.getvalue())
    assert pages == 1
    flat = squeezed(text)
    assert squeezed("<b>Texte</b> & suite") in flat and "phrase599" in flat
    assert "Données d'exemple" not in text


def test_cli_report_exit_statuses(tmp_path, capsys):
    """The report commands' statuses and messages; the deck and a refused argument through a real `python -m
    lne_data` process (its status reaches the shell), the rest in this process."""
    db = str(tmp_path / "cli.duckdb")
    assert run_cli("init", "--db", db, "--exemples").returncode == 0
    deck, fiche = tmp_path / "r.pptx", tmp_path / "f.pdf"
    done = run_cli_process("report", "--periode", "2025-T3", "--format", "pptx", "-o", str(deck), "--db", db)
    assert done.returncode == 0, done.stderr
    Presentation(str(deck))
    done = run_cli("report", "--fiche", "22", "--format", "pdf", "-o", str(fiche), "--db", db)
    assert done.returncode == 0, done.stderr
    assert len(PdfReader(fiche).pages) == 1

    refused = run_cli_process("report", "--periode", "2025-T9", "--format", "pdf", "-o", str(tmp_path / "x.pdf"),
                              "--db", db)
    assert refused.returncode == 2 and "n'est pas un trimestre" in refused.stderr  # an argument, not content
    unknown = run_cli("report", "--fiche", "99", "--format", "pdf", "-o", str(tmp_path / "y.pdf"), "--db", db)
    assert unknown.returncode == 1 and "n'existe pas" in unknown.stderr
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "y.pdf").exists()

    # The other branches, through `cli.main` itself.
    pdf, book = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    assert cli.main(["report", "--periode", "T3 2025", "--format", "pdf", "-o", str(pdf), "--db", db]) == 0
    assert "Données d'exemple" in PdfReader(pdf).pages[0].extract_text()
    assert cli.main(["report", "--periode", "2025-T3", "--format", "xlsx", "-o", str(book), "--db", db]) == 0
    assert openpyxl.load_workbook(book).sheetnames[0] == "rapport"
    assert cli.main(["report", "--fiche", "22", "--format", "pptx", "-o", str(tmp_path / "z.pptx"), "--db", db]) == 1
    assert cli.main(["report", "--format", "pdf", "-o", str(tmp_path / "z.pdf"), "--db", db]) == 1
    errors = capsys.readouterr().err
    assert "n'existe qu'en PDF" in errors and "Indiquez le trimestre" in errors


def test_a_quarter_without_entries_still_gives_every_format(con):
    data = reports.report_data(con, "2024-T1", now=NOW)
    assert data.saisis.empty and not data.exemple and data.fiches["statut"].isna().all()
    deck, pdf = io.BytesIO(), io.BytesIO()
    reports.build_pptx(data, deck)
    reports.build_pdf(data, pdf)
    _, slides = pptx_content(deck.getvalue())
    assert any("aucune valeur saisie pour T1 2024" in t for texts, _ in slides for t in texts)
    assert "Aucune valeur saisie pour T1 2024." in pdf_text(pdf.getvalue())[1]
    wb = openpyxl.load_workbook(io.BytesIO(reports.build_xlsx(data)))
    assert wb["indicateurs"].max_row == len(data.indicateurs) + 1


# A roadmap far larger than the Lot's, built by code: more axes than one investment chart holds, more structures
# with ETP than one ETP chart shows, and one fiche whose title alone is taller than a PDF page.
AXES, FICHES_PER_AXE, STRUCTURES = 30, 4, 40
LONG_TITLE = "Intitulé très long " + " ".join(f"étape{n} du programme national" for n in range(700)) + " FINDUTITRE"


def structure(k: int) -> str:
    return f"Structure {k:03d}"


def large_referentiel() -> bytes:
    fiches = AXES * FICHES_PER_AXE

    def owner(n: int) -> int:
        return (n - 1) % STRUCTURES + 1

    return xlsx({
        "feuille_de_route": [
            ["titre", "territoire", "structure_coordinatrice", "annee_debut", "annee_fin", "version", "source"],
            ["Feuille de route nationale d'essai", "France", structure(1), 2025, 2028, "v1", "test"],
        ],
        "axes": [["code", "libelle"], *([a, f"Axe national {a:02d}"] for a in range(1, AXES + 1))],
        "objectifs": [["code", "axe", "libelle"], *([f"{a}.1", a, f"Objectif {a}"] for a in range(1, AXES + 1))],
        "fiches": [["numero", "objectif", "intitule"],
                   *([n, f"{(n - 1) // FICHES_PER_AXE + 1}.1", LONG_TITLE if n == 1 else f"Fiche {n}"]
                     for n in range(1, fiches + 1))],
        "structures": [["nom", "variantes", "type"], *([structure(k), "", "collectivité"]
                                                       for k in range(1, STRUCTURES + 1))],
        "porteurs": [["fiche", "structure", "role"], *([n, structure(owner(n)), "porteur"]
                                                      for n in range(1, fiches + 1))],
        "partenaires": [["fiche", "structure"]],
        # Structure k carries 0.05 × k ETP on each of its three fiches: the ranking has no tie.
        "moyens": [
            ["fiche", "rubrique", "nature", "structure", "quantifie", "montant", "unite", "periodicite", "source"],
            *([n, "RH", "etp", structure(owner(n)), "oui", round(0.05 * owner(n), 2), "ETP", "ponctuel", "ETP"]
              for n in range(1, fiches + 1)),
            *([n, "INVESTISSEMENT", "investissement", structure(owner(n)), "oui", 1000 * n, "EUR", "ponctuel",
               "€"] for n in range(1, fiches + 1)),
        ],
        "indicateurs": [["code", "fiche", "libelle", "type", "unite", "mode", "cible"],
                        *([f"F{n:02d}-I1", n, f"Personnes accompagnées {n}", "nombre", "personnes", "flux", 10]
                          for n in range(1, fiches + 1))],
    })


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> reports.ReportData:
    connection = db.connect(tmp_path_factory.mktemp("large") / "large.duckdb")
    db.migrate(connection)
    versions.load(connection, read_referentiel(large_referentiel()))
    data = reports.report_data(connection, "2026-T1", now=NOW)
    connection.close()
    return data


RANKED = [structure(k) for k in range(STRUCTURES, 0, -1)]  # most ETP first


def test_pdf_of_a_large_roadmap_builds_each_chart_on_one_page_and_says_what_it_leaves_out(large):
    assert list(large.etp["structure"]) == RANKED  # the fixture is what the test relies on
    out = io.BytesIO()
    reports.build_pdf(large, out)  # a chart or a row taller than a page used to raise LayoutError
    reader = PdfReader(io.BytesIO(out.getvalue()))
    pages = [page.extract_text() for page in reader.pages]
    flat = squeezed("\n".join(pages))
    caption = ("Graphique limité aux 25 structures qui portent le plus d'ETP : les 15 autres (sur 40) n'y figurent "
               "pas. La liste complète est dans le tableau ci-dessous et dans le classeur Excel du rapport")
    assert squeezed(caption) in flat
    chart_page = next(text for text in pages if "Graphique limité" in text)
    shown = set(re.findall(r"Structure \d{3}", chart_page))
    assert shown == set(RANKED[:25])
    for name in RANKED:  # the full list, in the table
        assert name.replace(" ", "") in flat
    # The axes do not fit one chart: they are spread over several, every axe charted once, in order.
    spans = [(int(a), int(b)) for a, b in re.findall(r"Budget prévu des axes (\d+) à (\d+)", "\n".join(pages))]
    assert len(spans) > 1 and spans[0][0] == 1 and spans[-1][1] == AXES
    assert all(b + 1 == c for (_, b), (c, _) in zip(spans, spans[1:]))
    # The fiche whose title is taller than a page: its row is split over pages, nothing cut.
    assert {int(n) for n in re.findall(r"étape(\d+)duprogrammenational", flat)} == set(range(700))
    assert "FINDUTITRE" in flat


def test_deck_of_a_large_roadmap_charts_the_largest_structures_and_pages_the_rest(large):
    out = io.BytesIO()
    reports.build_pptx(large, out)
    _, slides = pptx_content(out.getvalue())
    everything = [t for texts, _ in slides for t in texts]
    etp_charts = [found["ETP par structure"] for _, found in slides if "ETP par structure" in found]
    assert len(etp_charts) == 1
    plot = etp_charts[0].plots[0]
    assert list(plot.categories) == RANKED[:10]
    assert list(plot.series[0].values) == pytest.approx([0.15 * k for k in range(STRUCTURES, STRUCTURES - 10, -1)])
    assert any("Graphique limité aux 10 structures qui portent le plus d'ETP : les 30 autres (sur 40) n'y figurent "
               "pas." in t for t in everything)
    listed = [t for texts, _ in slides
              if any(x.startswith("Charge en ETP par structure — liste complète") for x in texts) for t in texts]
    assert set(RANKED) <= set(listed)
    budget = [(title, chart) for _, found in slides for title, chart in found.items()
              if title.startswith("Budget prévu par axe")]
    assert len(budget) > 1 and all(len(list(c.plots[0].categories)) <= 8 for _, c in budget)
    assert [c for _, chart in budget for c in chart.plots[0].categories] == list(large.axes["libelle"])
    # Every fiche but the one with the long title is in its axe's table once, over as many slides as needed.
    fiche_cells = [t for t in everything if re.fullmatch(r"Fiche \d+", t)]
    assert len(fiche_cells) == len(set(fiche_cells)) == AXES * FICHES_PER_AXE - 1


# The PDF's tables draw a cell that fits on one line without a Paragraph, and give reportlab the row heights. The
# pages must be the very pages the escaped Paragraphs gave: checked against the tables as they were built before.
TABLE_WIDTHS = [40.0, 80.0, 260.0, 90.0, 140.0]
TALL = " ".join(f"suivi{n} du trimestre" for n in range(200))  # a row taller than a page: split within itself


def odd_rows() -> list[list[str]]:
    texts = ["F06-I3", "", "  deux  espaces\tet tabulation ", "—", "réalisé", f"1{NNBSP}234,5{NBSP}€",
             "Un texte assez long pour tenir sur plusieurs lignes de la colonne, sans retour à la ligne tapé. " * 3,
             "ligne un\nligne deux", "mot" * 40, "coupure\u00adpossible", f"{NBSP}espace insécable{NBSP}",
             f"a{NBSP}{NBSP}b", "x\u2003y\u200bz", "\r\n  ", "Ünïcödé «€» — ½"]
    rows = [[str(1000 + n), texts[n % len(texts)], texts[(3 * n + 1) % len(texts)],
             formatting.euros(1234.5 * n), texts[(7 * n + 2) % len(texts)]] for n in range(150)]
    rows.insert(0, ["1", "F01-I1", TALL, formatting.euros(10), "premier"])
    rows.insert(90, ["90", "F90-I1", TALL, formatting.etp(0.25), "au milieu"])
    return rows


def paragraph_table(s, headers: list[str], rows: list[list[str]], widths: list[float], numeric=()):
    """`pdflayout.pdf_table` before one-line cells: an escaped Paragraph in every cell, rows measured by reportlab
    (and split over pages as the report's tables are)."""
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    right = s.cell.clone("right", alignment=2)
    body = [[pdflayout.para(v, right if i in numeric else s.cell) for i, v in enumerate(row)] for row in rows]
    table = pdflayout._table_class()([[pdflayout.para(h, s.head) for h in headers], *body], colWidths=list(widths),
                                   repeatRows=1, splitByRow=1, splitInRow=pdflayout.PDF_MIN_SPLIT_PT, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(NEUTRALS[0])),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#BBBBBB")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F2F2F2")]),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def table_pages(table) -> list[PdfReader]:
    """The table in an A4 landscape document, starting low on its first page: its first row is split."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate, Spacer

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4), invariant=1).build([Spacer(1, 360), table])
    return PdfReader(io.BytesIO(out.getvalue())).pages


def test_pdf_tables_draw_the_pages_paragraphs_drew():
    s = pdflayout.Styles(10)
    headers = ["N°", "Code", "Par structure partenaire", "Montant", "Commentaire"]
    rows = odd_rows()
    before = table_pages(paragraph_table(s, headers, rows, TABLE_WIDTHS, numeric=(0, 3)))
    after = table_pages(pdflayout.pdf_table(s, headers, rows, TABLE_WIDTHS, numeric=(0, 3)))
    assert len(after) == len(before) > 5
    # The same operators, byte for byte: same text at the same places, rows split at the same points, the header
    # on every page.
    for page, (old, new) in enumerate(zip(before, after), 1):
        assert new.get_contents().get_data() == old.get_contents().get_data(), page
    assert all(page.extract_text().startswith("N°\nCode\nPar structure partenaire") for page in after)
    # …while most cells were drawn without a Paragraph.
    from reportlab.platypus import Paragraph

    assert not isinstance(pdflayout._pdf_cell(formatting.euros(1234.5), s.right, 90), Paragraph)
    assert not isinstance(pdflayout._pdf_cell("  deux  espaces\tet tabulation ", s.cell, 260), Paragraph)
    for wraps in ("ligne un\nligne deux", "mot" * 40, "coupure\u00adpossible", TALL):
        assert isinstance(pdflayout._pdf_cell(wraps, s.cell, 260), Paragraph), wraps


def test_pdf_table_cells_show_markup_as_typed():
    s = pdflayout.Styles(10)
    typed = [MARKUP, RESULTATS, HYPERLINK, "&amp; &lt;b&gt;", "a < b > c & d", "<br/>", "<para>x</para>"]
    rows = [[str(n), text, text + " " + TALL if n == 3 else text, formatting.euros(n), text]
            for n, text in enumerate(typed * 6)]
    headers = ["N°", "Code", "Texte & suite", "Montant", "<i>Commentaire</i>"]
    before = table_pages(paragraph_table(s, headers, rows, TABLE_WIDTHS, numeric=(0, 3)))
    after = table_pages(pdflayout.pdf_table(s, headers, rows, TABLE_WIDTHS, numeric=(0, 3)))
    # Paragraph writes a markup character as a fragment of its own: the same page, other operators.
    assert [p.extract_text() for p in after] == [p.extract_text() for p in before]
    flat = squeezed("\n".join(p.extract_text() for p in after))
    for text in typed:
        assert squeezed(text) in flat
    assert "<i>Commentaire</i>" in after[0].extract_text()


# The quarterly PDF as the comité syndical reads it: tables and charts within the column the text is set in (the
# rest of a split table where its beginning was), a heading never alone at the foot of a page, a table's header
# once on a page. Checked on what the pages draw, for the Lot's roadmap with its examples, a quarter without any
# entry, follow-ups long enough to be split over pages, and the large roadmap.
FOLLOW_UP = " ".join(f"Phrase {n} du suivi de la fiche, assez longue pour remplir la colonne." for n in range(15))
FOLLOW_UP_LONG = " ".join(f"Phrase {n} d'un suivi de plusieurs pages." for n in range(300))
FICHE_HEADER = ["N°", "Fiche action", "Porteur(s)", "Statut", "Météo", "Indicateurs", "Suivi"]
HEADING = re.compile(r"(Axe \d+ — |Fiches action — |Indicateurs — |Investissement |Charge en ETP|Points d'attention"
                     r"|.* \(\d+\)$)")


def long_follow_ups(data: reports.ReportData) -> reports.ReportData:
    """Every third fiche with a follow-up of half a page, one with a follow-up of several pages: rows split within
    themselves, and rows moved whole to the next page."""
    fiches = data.fiches.copy()
    fiches["resultats"] = fiches["resultats"].astype(object)
    fiches.loc[fiches.index % 3 == 1, "resultats"] = FOLLOW_UP
    fiches.loc[fiches["fiche"] == 6, "resultats"] = FOLLOW_UP_LONG
    return dataclasses.replace(data, fiches=fiches)


@pytest.fixture(scope="module")
def lot_pdfs(tmp_path_factory, large) -> dict[str, list]:
    connection = db.connect(tmp_path_factory.mktemp("lot") / "lot.duckdb")
    db.migrate(connection)
    versions.load(connection, read_referentiel(REFERENTIEL.read_bytes()))
    load_examples(connection, today=TODAY)
    t3 = reports.report_data(connection, "2026-T3", now=NOW)
    cases = {"T3 2026": t3, "T1 2024": reports.report_data(connection, "2024-T1", now=NOW),
             "suivis longs": long_follow_ups(t3), "grande feuille de route": large}
    connection.close()
    pdfs = {}
    for name, data in cases.items():
        out = io.BytesIO()
        reports.build_pdf(data, out)
        pdfs[name] = PdfReader(io.BytesIO(out.getvalue())).pages
    return pdfs


def text_column(page) -> tuple[float, float]:
    """Where the report sets its text: between its margins, less the frame's padding."""
    from reportlab.lib.units import cm

    return 1.5 * cm + pdflayout.FRAME_PAD, float(page.mediabox.width) - 1.5 * cm - pdflayout.FRAME_PAD


def filled_rects(page) -> list[tuple[tuple[float, ...] | None, float, float]]:
    """Every rectangle a page fills (table rows and headers, chart bars and legend): colour, left and right edge."""
    found: list[tuple[tuple[float, ...] | None, float, float]] = []
    fill: list[tuple[float, ...] | None] = [None]

    def before(operator, operands, cm, tm) -> None:
        if operator == b"rg":
            fill[0] = tuple(round(float(v), 3) for v in operands)
        elif operator == b"re":
            x, _, w, _ = (float(v) for v in operands)
            scale, shift = cm[0], cm[4]
            left, right = sorted((scale * x + shift, scale * (x + w) + shift))
            found.append((fill[0], left, right))

    page.extract_text(visitor_operand_before=before)
    return found


def body_lines(page) -> list[str]:
    """The lines of a page as extracted, without its footer."""
    lines = [line.strip() for line in page.extract_text().splitlines()]
    return [line for line in lines if line and " — page " not in line and "(valeurs fictives)" not in line]


def test_pdf_tables_and_charts_fill_the_text_column_and_no_more(lot_pdfs):
    row_fills = {(1.0, 1.0, 1.0), (0.949, 0.949, 0.949)}  # the tables' alternating rows
    for name, pages in lot_pdfs.items():
        rows = 0
        for number, page in enumerate(pages, 1):
            left, right = text_column(page)
            for fill, x0, x1 in filled_rects(page):
                assert left - 0.01 <= x0 and x1 <= right + 0.01, (name, number, fill, x0, x1)
                if fill in row_fills:
                    # Every table of the report is as wide as the column: each part of a split table too.
                    assert (round(x0, 2), round(x1, 2)) == (round(left, 2), round(right, 2)), (name, number)
                    rows += 1
        assert rows > 20, name


def test_pdf_headings_stay_with_what_follows_them(lot_pdfs):
    for name, pages in lot_pdfs.items():
        for number, page in enumerate(pages, 1):
            lines = body_lines(page)
            assert not HEADING.match(lines[-1]), (name, number, lines[-1])
    # The examples' T3 2026 PDF used to end its second page with « Axe 2 — … », its table on the next page: wherever
    # the heading falls, the table's header is right under it, on the same page.
    found = [lines for lines in map(body_lines, lot_pdfs["T3 2026"]) if "Axe 2 — Lot Numérique Solidaire" in lines]
    assert found
    for lines in found:
        at = lines.index("Axe 2 — Lot Numérique Solidaire")
        assert lines[at + 1:at + 8] == FICHE_HEADER


def test_pdf_table_header_shows_once_per_page_and_table(lot_pdfs):
    for name, pages in lot_pdfs.items():
        for number, page in enumerate(pages, 1):
            lines = body_lines(page)
            starts = [i for i in range(len(lines)) if lines[i:i + len(FICHE_HEADER)] == FICHE_HEADER]
            # Two headers on one page are two tables: an « Axe » heading comes between them.
            for first, second in zip(starts, starts[1:]):
                assert any(line.startswith("Axe ") for line in lines[first:second]), (name, number)
            # A page that goes on with a table starts with its header.
            if starts and not any(HEADING.match(line) for line in lines[:starts[0]]):
                assert starts[0] == 0, (name, number)
    # The follow-up of several pages is split within its row, read to its end, once.
    pages = [squeezed(page.extract_text()) for page in lot_pdfs["suivis longs"]]
    assert sum("Phrase0d'unsuivi" in page for page in pages) == sum("Phrase299d'unsuivi" in page for page in pages) == 1
    assert sum("d'unsuivideplusieurspages" in page for page in pages) > 2


def test_pdf_table_split_within_a_row_stays_where_it_began_with_its_header_once_per_page():
    s = pdflayout.Styles(10)
    headers = ["N°", "Code", "Par structure partenaire", "Montant", "Commentaire"]
    # Narrower than the page: placed on the left, as the rest of it after a row split within itself (its first
    # row, taller than a page, and the one in the middle).
    pages = table_pages(pdflayout.pdf_table(s, headers, odd_rows(), TABLE_WIDTHS, numeric=(0, 3)))
    edges = {(round(x0, 2), round(x1, 2)) for page in pages for _, x0, x1 in filled_rects(page)}
    assert edges == {(78.0, 78.0 + sum(TABLE_WIDTHS))}  # one-inch margin and the frame's padding
    assert [page.extract_text().count("Par structure partenaire") for page in pages] == [1] * len(pages)
    # The long row in the middle starts right under the row before it, on the same page.
    middle = next(text for text in (page.extract_text() for page in pages) if "au milieu" in text)
    assert "1088" in middle and "suivi0 du trimestre" in middle


def test_the_report_counts_who_answered_as_the_saisie_page_does(con):
    """With only examples loaded, the workbook's attention sheet says that no porteur answered and why, then names
    all nine, one per row, as « Qui a répondu ? » on the Saisie page does (views.Reponses, one definition); the
    PDF, the note and the deck head them « (9) »: the sentence that explains them is not counted as a porteur."""
    load_examples(con, today=TODAY)
    data = reports.report_data(con, "2026-T3", now=NOW)
    ref = views.reference(con)
    answers = views.reponses(con, ref, "2026-T3")
    porteurs = set(ref.porteurs["structure"])
    expected = len(porteurs) - int(answers.table["a_repondu"].sum())
    assert expected == 9
    wb = openpyxl.load_workbook(io.BytesIO(reports.build_xlsx(data)))
    sheet = list(wb["attention"].iter_rows(values_only=True))
    rows = [r for r in sheet if r[0] == "Porteurs sans réponse ce trimestre"]
    assert [r[3] for r in sheet if r[0] == "Qui a répondu ce trimestre"] == [
        "0 porteur sur 9 a répondu pour T3 2026 : les données d'exemple chargées sont fictives et ne sont la réponse "
        "d'aucun porteur."]
    assert len(rows) == expected
    assert sorted(r[3] for r in rows) == sorted(ref.structures_porteuses())
    assert [r[3] for r in rows] == answers.sans_reponse
    heading = f"Porteurs sans réponse ce trimestre ({expected})"
    _, text = pdf_text(reports.build(data, "pdf"))
    assert text.count(heading) == 2 and "ce trimestre (10)" not in text  # the note au comité and the report
    _, slides = pptx_content(reports.build(data, "pptx"))
    deck = "\n".join(t for texts, _ in slides for t in texts)
    assert heading in deck and "ce trimestre (10)" not in deck
