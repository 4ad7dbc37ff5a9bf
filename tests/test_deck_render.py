"""The deck as the comité sees it: rendered by LibreOffice (`soffice --headless --convert-to pdf`), every shape
inside its slide, every run in French, a short main deck before the appendix; and the PDF's note au comité.
Rendered slides are kept as PNG in artifacts/slides/ to be looked at."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from pptx import Presentation
from pypdf import PdfReader

from lne_data import clotures, reports, versions
from lne_data.demo import load_examples

from .conftest import ROOT, TODAY

SLIDES = ROOT / "artifacts" / "slides"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module")
def closed(tmp_path_factory):
    from lne_data import db
    from lne_data.referentiel import read_referentiel

    con = db.connect(tmp_path_factory.mktemp("deck") / "lne.duckdb")
    db.migrate(con)
    versions.load(con, read_referentiel(db.DEFAULT_REFERENTIEL.read_bytes()))
    load_examples(con, today=TODAY)
    closure_id = clotures.close_quarter(con, "2026-T3", comite_le=date(2026, 10, 14),
                                        reference="Comité syndical du 14/10/2026", auteur="Claire Martin")
    data = reports.closure_report_data(clotures.load_closure(con, closure_id))
    con.close()
    return data


def texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_a_short_main_deck_then_the_appendix_every_run_in_french_every_shape_on_its_slide(closed):
    blob = reports.build(closed, "pptx")
    prs = Presentation(io.BytesIO(blob))
    slides = list(prs.slides)
    firsts = [(texts(s) or [""])[0] for s in slides]
    assert firsts[1] == "Le T3 2026 en chiffres"
    axes = [i for i, t in enumerate(firsts) if t.startswith("Axe ")]
    divider = firsts.index(next(t for t in firsts if t.startswith("Annexes")))
    decide = firsts.index("Ce que le comité est invité à décider")
    # Main deck: title, key figures, one slide per axe with its chart and its points d'attention, the decisions.
    assert [i for i in axes if i < divider] == [2, 3, 4] and decide == 5 and divider == 6
    for index in (2, 3, 4):
        assert any(shape.has_chart for shape in slides[index].shapes)
        assert any("Points d'attention" in t for t in texts(slides[index]))
    assert divider + 1 < len(slides)  # the full tables follow the divider
    for number, slide in enumerate(slides, 1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= prs.slide_width, (number, shape.name)
            assert shape.top + shape.height <= prs.slide_height, (number, shape.name)
            runs = shape.element.iter(f"{A}r")
            for run in runs:
                properties = run.find(f"{A}rPr")
                assert properties is not None and properties.get("lang") == "fr-FR", (number, shape.name)
            if shape.has_chart:
                for run in shape.chart._chartSpace.iter(f"{A}r"):
                    assert run.find(f"{A}rPr").get("lang") == "fr-FR", (number, "chart")

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice manque : installez libreoffice-impress (scripts/test.sh le fait).")
    SLIDES.mkdir(parents=True, exist_ok=True)
    deck = SLIDES / "deck.pptx"
    deck.write_bytes(blob)
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(SLIDES), str(deck)],
                   check=True, capture_output=True, timeout=300)
    rendered = SLIDES / "deck.pdf"
    assert len(PdfReader(rendered).pages) == len(slides)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(rendered), str(SLIDES / "diapo")], check=True,
                       timeout=300)


def test_the_pdf_opens_on_a_two_page_note_au_comite(closed):
    pages = PdfReader(io.BytesIO(reports.build(closed, "pdf"))).pages
    first, second, third = (pages[i].extract_text() for i in range(3))
    assert "Note au comité syndical — suivi du T3 2026" in first and "Le trimestre en chiffres" in first
    assert "comité du 14 octobre 2026" in first and "par Claire Martin" in first
    assert "Points d'attention" in second and "Ce que le comité est invité à décider" in second
    assert "détail" in third and "Note au comité" not in third
