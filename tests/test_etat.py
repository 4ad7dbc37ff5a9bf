"""« Quelles fiches sont en retard ? »: a deliverable past its échéance is late, and said so by every output (the
overview, the Fiche page, Mode réunion, the PDF, the deck, the workbook); a fiche « en difficulté » is named with its
reasons; where nothing can be late no output counts « 0 en retard »."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from lne_data import db, periodes, reports, rules, saisie, versions, views
from lne_data.referentiel import read_referentiel

from .conftest import REFERENTIEL, ROOT, app_session, edit_workbook, figures, pdf_text, pptx_content, saisie_xlsx

MARCH_2027 = date(2027, 3, 15)
F22_NOT_STARTED = [[22, "F22-I4", "2027-T1", "non commencé", None, None],
                   [22, "F22-I5", "2027-T1", "non commencé", None, None]]
# « 0 indicateurs en retard », « 0 / 79 … en retard », « Indicateurs en retard : 0 »: a zero said of lateness.
ZERO_LATE = re.compile(r"(?<![\d,])0(?![\d,])[^.;]{0,45}en retard|en retard[^\n.;]{0,30}:\s*0(?![\d,])")
# What the outputs said before: the pattern finds each (a figure and its label are two lines of a tile).
assert all(ZERO_LATE.search(said) for said in ("0\nindicateurs en retard sur leur trajectoire",
                                                "Indicateurs en retard sur leur cible : 0", "0 indicateurs en retard"))


def _import(con, rows: list[list], today: date) -> None:
    validation = saisie.check_file(saisie_xlsx(rows), "saisie.xlsx", saisie.load_context(con, today=today))
    assert validation.errors == [], validation.errors
    saisie.import_file(con, validation, auteur="Claire")


def _open(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    if page:
        at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _unescaped(text: str) -> str:
    """Markdown as read on screen: its escapes show the characters escaped."""
    return re.sub(r"\\(.)", r"\1", text)


def _screen_text(at: AppTest) -> str:
    """Everything a page writes as text: Markdown, captions, alerts, tables, and the meeting's charts' texts."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader]
    parts += [a.value for kind in (at.info, at.warning, at.success) for a in kind]
    parts += [str(v) for t in at.table for v in [*t.value.columns, *t.value.to_numpy().ravel()]]
    for fig in figures(at):
        parts += [a.get("text", "") for a in fig["layout"].get("annotations", [])]
        parts += [fig["layout"].get("title", {}).get("text", "")]
        for trace in fig["data"]:
            if trace.get("type") == "table":
                parts += [str(v) for v in trace["header"]["values"]]
                parts += [str(v) for column in trace["cells"]["values"] for v in column]
    text = _unescaped("\n".join(parts)).replace("<br>", " ")
    return re.sub(r"</?b>", "", text)  # Plotly's line breaks and bold, as the room reads them


def _meeting_text(at_steps: int) -> str:
    """Every screen of Mode réunion, as text."""
    return "\n".join(_screen_text(_open("pages/8_Reunion.py", etape=str(step))) for step in range(1, at_steps + 1))


def _workbook_text(blob: bytes) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(blob), read_only=True)
    return "\n".join(" | ".join("" if v is None else str(v) for v in row)
                     for ws in wb.worksheets for row in ws.iter_rows(values_only=True))


def _deck_text(blob: bytes) -> str:
    _, slides = pptx_content(blob)
    return "\n".join(text for texts, _ in slides for text in texts)


def _reports(con, periode: str) -> dict[str, str]:
    data = reports.report_data(con, periode)
    return {"PDF": " ".join(pdf_text(reports.build(data, "pdf"))[1].split()),
            "deck": _deck_text(reports.build(data, "pptx")), "workbook": _workbook_text(reports.build_xlsx(data))}


@pytest.fixture
def march_2027(con, db_path: Path, monkeypatch):
    """Fiche 22's two deliverables due in 2026, entered « non commencé » for T1 2027, on 15 March 2027."""
    monkeypatch.setenv(periodes.ENV_AUJOURDHUI, MARCH_2027.isoformat())
    _import(con, F22_NOT_STARTED, MARCH_2027)
    return con


def test_the_rule_a_deliverable_is_late_once_its_echeance_is_over_and_it_is_not_done():
    late = rules.livrable_en_retard
    assert late("livrable", 2026, 0.0, "2027-T1", MARCH_2027)
    assert late("livrable", 2026, 0.5, "2026-T4", MARCH_2027)  # the year's last quarter shown: the deadline is there
    assert late("livrable", 2026, None, None, MARCH_2027)  # never entered
    assert not late("livrable", 2026, 1.0, "2027-T1", MARCH_2027)  # réalisé
    assert not late("livrable", 2026, 0.0, "2026-T3", MARCH_2027)  # as of T3 2026 it was not due yet
    assert not late("livrable", 2026, 0.0, "2026-T4", date(2026, 12, 31))  # the deadline's own day
    assert not late("livrable", None, 0.0, "2027-T1", MARCH_2027)
    assert not late("nombre", 2026, 0.0, "2027-T1", MARCH_2027)


def test_the_rule_names_each_reason_a_fiche_is_in_difficulty():
    reasons = rules.raisons_difficulte
    assert reasons("ensoleillé", "nuageux", [], [], False, False) == []
    assert reasons("Orageux", None, [], [], False, False) == [rules.RAISON_ORAGEUX]
    assert reasons("nuageux", "éclaircies", [], [], False, False) == []
    assert reasons("nuageux", "nuageux", [], [], False, False) == [rules.RAISON_NUAGEUX]
    assert reasons(None, None, [("F22-I4", 2026)], ["F03-I1"], True, True) == [
        "livrable F22-I4 en retard sur son échéance (2026)", "indicateur F03-I1 en retard sur sa cible",
        rules.RAISON_SANS_REPONSE]
    assert reasons(None, None, [("F22-I4", 2026), ("F22-I5", 2026), ("F22-I6", 2027)], ["F01-I1", "F01-I2"], False,
                   False) == ["livrables F22-I4, F22-I5 en retard sur leur échéance (2026)",
                              "livrable F22-I6 en retard sur son échéance (2027)",
                              "indicateurs F01-I1, F01-I2 en retard sur leur cible"]
    assert reasons(None, None, [], [], True, False) == []  # one quarter without an answer is not two


def test_a_fiche_is_in_difficulty_for_its_weather_and_its_silence(con, monkeypatch):
    """Orageux at once, nuageux two quarters running, no entry two quarters running: each said by its reason, on
    live and on frozen entries alike (the overview of a closure)."""
    monkeypatch.setenv(periodes.ENV_AUJOURDHUI, "2026-11-28")
    suivi = [["fiche", "periode", "statut", "meteo", "resultats", "freins", "prochaines_etapes"],
             [6, "2026-T2", "en cours", "nuageux", None, None, None],
             [2, "2026-T2", "en cours", "ensoleillé", None, None, None]]
    validation = saisie.check_file(
        saisie_xlsx([[2, "F02-I2", "2026-T2", 4, None, None]], extra={"Suivi": suivi}), "t2.xlsx",
        saisie.load_context(con, today=date(2026, 11, 28)))
    saisie.import_file(con, validation, auteur="Claire")
    suivi = [suivi[0], [6, "2026-T3", "en cours", "nuageux", None, None, None],
             [4, "2026-T3", "en cours", "orageux", None, None, None]]
    validation = saisie.check_file(
        saisie_xlsx([[2, "F02-I2", "2026-T3", 5, None, None]], extra={"Suivi": suivi}), "t3.xlsx",
        saisie.load_context(con, today=date(2026, 11, 28)))
    saisie.import_file(con, validation, auteur="Claire")
    ref = views.reference(con)
    found = views.overview(con, ref, views.Filters()).attention.en_difficulte.set_index("fiche")["raisons"]
    assert found[4] == rules.RAISON_ORAGEUX
    assert found[6] == rules.RAISON_NUAGEUX
    assert found[1] == rules.RAISON_SANS_REPONSE  # nothing for fiche 1 in T2 nor in T3
    assert 2 not in found.index  # entered both quarters, sunny
    assert views.fiche(con, ref, 6).etat == f"En difficulté en T3 2026 : {rules.RAISON_NUAGEUX}."
    assert views.fiche(con, ref, 2).etat == "Pas en difficulté en T3 2026."


def test_fiche_22_deliverables_not_started_in_march_2027_are_late_in_every_output(march_2027, db_path, monkeypatch):
    """Acceptance: with LNE_AUJOURDHUI=2027-03-15 and fiche 22's two deliverables « non commencé », the overview,
    the Fiche page, Mode réunion, the PDF, the deck and the workbook name them late, with their échéance, and fiche
    22 « en difficulté » for it."""
    expected = ("F22-I4", "F22-I5")
    outputs = _reports(march_2027, "2027-T1")
    steps = len(views.meeting(march_2027, views.reference(march_2027), views.Filters()).steps)
    march_2027.close()
    session = app_session(db_path, monkeypatch)
    next(session)
    try:
        overview = _screen_text(_open())
        outputs["overview"] = overview
        outputs["Fiche page"] = _screen_text(_open("pages/5_Fiche.py", fiche="22"))
        outputs["Mode réunion"] = _meeting_text(steps)
    finally:
        next(session, None)
    for name, text in outputs.items():
        for code in expected:
            assert code in text, (name, code)
        assert "2026" in text and "en difficulté" in text.lower(), name
    assert "Indicateurs en retard : 2 sur 2 ayant une cible ou une échéance" in overview
    assert "Fiches en difficulté (T1 2027) : 1" in overview
    assert "livrables F22-I4, F22-I5 en retard sur leur échéance (2026)" \
        in overview
    assert "En difficulté en T1 2027 : livrables F22-I4, F22-I5 en retard sur leur échéance (2026)" \
        in outputs["Fiche page"]
    assert "« non commencé » au lieu de « réalisé », échéance 2026" in outputs["PDF"]
    assert "F22-I4 (fiche 22) : « non commencé » au lieu de « réalisé », échéance 2026" in outputs["workbook"]
    assert "en retard (échéance 2026)" in outputs["workbook"]  # the indicators sheet, column « En retard »


def _without_echeances(wb: openpyxl.Workbook) -> None:
    ws = wb["indicateurs"]
    header = [c.value for c in ws[1]]
    for column in ("cible", "echeance"):
        index = header.index(column) + 1
        for row in range(2, ws.max_row + 1):
            ws.cell(row, index).value = None
    source = header.index("cible_source") + 1
    for row in range(2, ws.max_row + 1):
        ws.cell(row, source).value = None


def test_with_no_target_anywhere_no_output_says_zero_late(tmp_path, monkeypatch):
    """Acceptance: a roadmap with no numeric target and no échéance, entries for a quarter: nothing can be late, and
    no screen nor report says « 0 … en retard »; they say « aucune cible chiffrée »."""
    monkeypatch.setenv(periodes.ENV_AUJOURDHUI, MARCH_2027.isoformat())
    path = tmp_path / "sans_cible.duckdb"
    con = db.connect(path)
    db.migrate(con)
    versions.load(con, read_referentiel(edit_workbook(REFERENTIEL.read_bytes(), _without_echeances)))
    assert views.reference(con).indicateurs[["cible", "echeance"]].isna().all().all()
    _import(con, [*F22_NOT_STARTED, [2, "F02-I2", "2027-T1", 4, None, None]], MARCH_2027)
    outputs = _reports(con, "2027-T1")
    steps = len(views.meeting(con, views.reference(con), views.Filters()).steps)
    con.close()
    session = app_session(path, monkeypatch)
    next(session)
    try:
        outputs["overview"] = _screen_text(_open())
        outputs["Mode réunion"] = _meeting_text(steps)
    finally:
        next(session, None)
    for name, text in outputs.items():
        assert not ZERO_LATE.search(text), (name, ZERO_LATE.search(text))
    for name in ("overview", "Mode réunion", "PDF", "deck", "workbook"):
        assert "aucune cible chiffrée" in " ".join(outputs[name].split()), name


def test_an_indicator_is_found_by_its_words_in_a_table_of_text(tmp_path, monkeypatch):
    """« Le nombre de personnes accompagnées progresse-t-il ? »: « accompagn » finds the accompaniment indicators
    of fiches 9 and 12, accents and case aside, in a table of text (st.table: an HTML table the browser's own search
    reads), and the fiche list keeps their fiches only."""
    session = app_session(tmp_path / "app.duckdb", monkeypatch, first_opening=True)
    next(session)
    try:
        at = _open("pages/3_Indicateurs.py")
        search = next(t for t in at.text_input if t.label == "Rechercher un indicateur")
        search.set_value("accompagn").run()
        assert not at.exception
        assert "3 indicateurs contiennent « accompagn » : fiches 9, 12." in _screen_text(at)
        found = next(t.value for t in at.table if "Dernière valeur" in t.value.columns)
        assert [_unescaped(c) for c in found["Indicateur"]] == ["F09-I2", "F09-I3", "F12-I2"]
        assert [o.split(" — ")[0] for o in next(s for s in at.selectbox if s.label == "Fiche").options] == [
            "Fiche 9", "Fiche 12"]
        search.set_value("PARENTS ACCOMPAGNÉS").run()
        found = next(t.value for t in at.table if "Dernière valeur" in t.value.columns)
        assert [_unescaped(c) for c in found["Indicateur"]] == ["F12-I2"]
        search.set_value("téléportation").run()
        assert "Aucun indicateur ne contient « téléportation »." in _screen_text(at)
        search.set_value("").run()
        every = next(t.value for t in at.table if "Dernière valeur" in t.value.columns)
        assert len(every) == 79  # no search: every indicator, a table of text still
    finally:
        next(session, None)
