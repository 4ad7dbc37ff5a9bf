"""Untrusted text is shown as written: a roadmap (or a quarterly entry) may contain Markdown links, `:red[…]` or
`:material/…:` directives and HTML; the pages display those characters, never a link, a colour, an icon or a tag.

The roadmap is the real workbook with hostile wording added to the texts the pages show (title, axe, objectif,
fiche 6, a partner structure, resource lines, an indicator), and a quarterly import adds hostile comments, a
qualitative answer, a follow-up text and an author's name. Streamlit renders Markdown in markdown, captions,
headings, alerts, metric, widget, expander and page-link labels and in `st.table` cells: there, every special
character must be escaped; `st.text` and `st.dataframe` show text literally and must show it whole.
"""

from __future__ import annotations

import json
import re
import shutil

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from lne_data import db, saisie, versions
from lne_data.formatting import escape_markdown
from lne_data.referentiel import read_referentiel

from .conftest import REFERENTIEL, ROOT, TODAY, app_session, edit_workbook
from .hostile import workbook

LINK = "[Cliquez ici](http://evil.example/piege)"
RED = ":red[Alerte rouge]"
ICON = ":material/warning:"
SCRIPT = "<script>alert('x')</script>"
HTML_LINK = '<a href="http://evil.example/a">lien caché</a>'
HOSTILE = f"{LINK} {RED} {ICON} {SCRIPT} {HTML_LINK}"

TITRE = f"Feuille de route {HOSTILE}"
AXE = f"Axe piégé {HOSTILE}"
OBJECTIF = f"Objectif piégé {HOSTILE}"
INTITULE = f"Coordination {HOSTILE}"
PUBLIC = f"Médiateurs {HOSTILE}"
STRUCTURE = f"Partenaire {LINK} {RED}"
MOYEN = f"5 000 € {HOSTILE}"
NON_CHIFFRE = f"À définir {HOSTILE}"
INDICATEUR = f"Taux de présence {HOSTILE}"
AUTEUR = f"Claire {LINK} {RED} {SCRIPT}"
COMMENTAIRE = f"Vu {LINK} {ICON}"
QUALITATIF = f"Bilan {HOSTILE}"
RESULTATS = f"Résultats {HOSTILE}"

PAGES = {"app.py": None, "fiche": "pages/5_Fiche.py", "budget": "pages/1_Budget.py"}
# Texts each page must show (escaped where Markdown is rendered, as they are elsewhere).
SHOWN = {
    "app.py": [AXE],
    "fiche": [INTITULE, PUBLIC, STRUCTURE, MOYEN, INDICATEUR, QUALITATIF, RESULTATS, OBJECTIF, AXE],
    "budget": [NON_CHIFFRE],
}


def hostile_referentiel() -> bytes:
    def change(wb: openpyxl.Workbook) -> None:
        def rows(sheet: str):
            ws = wb[sheet]
            header = {cell.value: cell.column for cell in ws[1]}
            for row in ws.iter_rows(min_row=2):
                yield (lambda name, _row=row: _row[header[name] - 1]), row

        for cell, _ in rows("feuille_de_route"):
            cell("titre").value = TITRE
        for cell, _ in rows("axes"):
            if cell("code").value == 2:
                cell("libelle").value = AXE
        partner = None
        for cell, _ in rows("partenaires"):
            if cell("fiche").value == 6 and partner is None:
                partner = cell("structure").value
        for cell, _ in rows("structures"):
            if cell("nom").value == partner:  # renamed; the old name stays a variant, as the other sheets use it
                cell("variantes").value = "; ".join(filter(None, [partner, cell("variantes").value]))
                cell("nom").value = STRUCTURE
        for cell, _ in rows("fiches"):
            if cell("numero").value == 6:
                cell("intitule").value = INTITULE
                cell("public_cible").value = PUBLIC
                objectif = cell("objectif").value
        for cell, _ in rows("objectifs"):
            if cell("code").value == objectif:
                cell("libelle").value = OBJECTIF
        first_unquantified = True
        for cell, _ in rows("moyens"):
            if cell("fiche").value == 6 and cell("nature").value == "investissement":
                cell("source").value = MOYEN
            elif (cell("nature").value == "investissement" and cell("quantifie").value == "non"
                  and first_unquantified):
                cell("source").value = NON_CHIFFRE
                first_unquantified = False
        for cell, _ in rows("indicateurs"):
            if cell("code").value == "F06-I1":
                cell("libelle").value = INDICATEUR
    return edit_workbook(REFERENTIEL.read_bytes(), change)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """The hostile roadmap, and one quarter imported with hostile entries by an author with a hostile name."""
    path = tmp_path_factory.mktemp("textes") / "modele.duckdb"
    con = db.connect(path)
    db.migrate(con)
    versions.load(con, read_referentiel(hostile_referentiel()))
    data = workbook(
        [[6, "F06-I1", "2025-T3", 85, COMMENTAIRE, AUTEUR], [6, "F06-I4", "2025-T3", QUALITATIF, None, AUTEUR]],
        others={"Suivi": [["fiche", "periode", "statut", "meteo", "resultats", "saisi_par"],
                          [6, "2025-T3", "en cours", "nuageux", RESULTATS, AUTEUR]]})
    validation = saisie.check_file(data, f"{LINK}.xlsx", saisie.load_context(con, today=TODAY))
    assert validation.errors == [], validation.errors
    saisie.import_file(con, validation, auteur=AUTEUR)
    con.close()
    return path


@pytest.fixture(autouse=True)
def fresh_app(hostile_db, tmp_path, monkeypatch):
    path = tmp_path / "app.duckdb"
    shutil.copyfile(hostile_db, path)
    yield from app_session(path, monkeypatch)


def open_page(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if PAGES[name]:
        at.switch_page(PAGES[name])
    if name == "fiche":
        at.query_params["fiche"] = "6"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rendered(at: AppTest) -> list[tuple[str, str]]:
    """(where, text) for every text Streamlit renders as Markdown."""
    found = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "error", "warning", "info", "success"):
        found += [(kind, element.value) for element in at.get(kind)]
    for kind in ("metric", "selectbox", "radio", "number_input", "checkbox", "text_input", "button",
                 "download_button", "expander"):
        found += [(f"{kind} (libellé)", element.label) for element in at.get(kind)]
    found += [("page_link", element.proto.label) for element in at.get("page_link")]
    for table in at.table:
        frame = table.value
        found += [("table", value) for column in frame.columns for value in frame[column] if isinstance(value, str)]
    return found


def literal(at: AppTest) -> list[str]:
    """Texts shown as they are: st.text, and the cells of st.dataframe."""
    texts = [element.value for element in at.get("text")]
    for frame in at.dataframe:
        texts += [str(v) for column in frame.value.columns for v in frame.value[column] if isinstance(v, str)]
    return texts


_ESCAPED = re.compile(r"\\.")
LIVE = {
    "lien Markdown": re.compile(r"\]\("),
    "directive :couleur[…]": re.compile(r":(red|blue|green|orange|violet|gray|grey|rainbow|primary)\["),
    "icône :material/…:": re.compile(r":material/"),
    "balise HTML": re.compile(r"<\s*/?\s*(script|a|img)\b", re.IGNORECASE),
}


def live_markup(text: str) -> list[str]:
    """What Markdown would turn into a link, a colour, an icon or HTML once escaped characters are set aside."""
    bare = _ESCAPED.sub("", text)
    return [name for name, pattern in LIVE.items() if pattern.search(bare)]


def test_the_detector_sees_raw_markup_and_accepts_escaped_text():
    assert set(live_markup(HOSTILE)) == set(LIVE)
    assert live_markup(escape_markdown(HOSTILE)) == []


# What GitHub-flavoured Markdown links without any bracket: a scheme and `://`, `www.`, an address with `@`.
BARE_LINK = re.compile(r"(?i)\b(?:https?|ftp)://|\bwww\.|[\w.+-]@[\w-]+\.\w")


@pytest.mark.parametrize("text", ["Voir http://evil.example/piege", "HTTPS://EVIL.EXAMPLE", "www.evil.example",
                                  "écrire à contact@evil.example", "mailto:a@b.fr", "[x](http://a.fr) www.b.fr"])
def test_bare_addresses_are_shown_as_typed_and_not_linked(text):
    """Escaping every punctuation mark is not enough: Streamlit links bare addresses in the text once parsed
    (tests/test_e2e_untrusted.py shows it in Chromium). The parsed text must hold no such address, yet read the
    same."""
    escaped = escape_markdown(text)
    parsed = re.sub(r"\\(.)", r"\1", escaped)  # what Markdown makes of the escapes
    assert BARE_LINK.search(text) or "mailto" in text
    assert not BARE_LINK.search(parsed), parsed
    assert parsed.replace("\u2060", "") == text  # the word joiners are invisible; nothing else changed


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_show_untrusted_text_literally(name):
    at = open_page(name)
    markdown = rendered(at)
    problems = [(where, kinds, text[:120]) for where, text in markdown if (kinds := live_markup(text))]
    assert problems == []
    plain = literal(at)
    for text in SHOWN[name]:
        escaped = escape_markdown(text)
        assert any(escaped in value for _, value in markdown) or any(text in value for value in plain), text


def test_the_overview_caption_escapes_the_title_and_the_author():
    at = open_page("app.py")
    captions = [c.value for c in at.caption if "trimestre affiché" in c.value]
    assert captions, [c.value for c in at.caption]
    assert [live_markup(c) for c in captions] == [[]]
    assert escape_markdown(TITRE) in captions[0] and escape_markdown(AUTEUR) in captions[0]


@pytest.mark.parametrize("name", ["fiche", "budget"])
def test_charts_carry_no_html_from_the_roadmap(name):
    """Plotly renders a subset of HTML in titles, labels and hover texts, links included: none may come from data."""
    at = open_page(name)
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert specs
    strings: list[str] = []

    def walk(value):
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for spec in specs:
        walk(json.loads(spec))
    tags = [s[:120] for s in strings if LIVE["balise HTML"].search(s)]
    assert tags == []
