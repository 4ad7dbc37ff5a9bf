"""Targets with provenance: the text's (quoted) or the coordination's (who, when, why), and every screen and export
says which; « en retard » only against a target someone owns."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lne_data import cibles, cli, clotures, db, reports, sql, ui, versions, views
from lne_data.demo import load_examples
from lne_data.problems import RejectedInput
from lne_data.referentiel import read_referentiel

from .conftest import ROOT, TODAY, app_session, figures, pdf_text, pptx_content, second_departement, sign_in, squeezed

DECIDED = datetime(2026, 12, 2, 10, 30)
MOTIF = "validée en comité technique"


def effective(con, code: str) -> pd.Series:
    return views.reference(con).indicateurs.set_index("code").loc[code]


# --------------------------------------------------------------------------------------------------
# Setting, changing, withdrawing, undoing
# --------------------------------------------------------------------------------------------------


def test_the_text_sets_no_numeric_target_and_its_deadlines_are_quoted(con):
    ind = views.reference(con).indicateurs.set_index("code")
    assert ind["cible"].isna().all()
    assert ind.loc["F03-I1", "cible_provenance"] is None and pd.isna(ind.loc["F03-I1", "cible_origine"])
    f22 = ind.loc["F22-I4"]
    assert (f22["echeance"], f22["cible_origine"]) == (2026, "texte")
    assert f22["cible_provenance"] == "feuille de route : « Organisation du challenge départemental 2026 »"


def test_a_target_set_changed_and_undone_keeps_its_history(con):
    first = cibles.set_target(con, "F03-I1", "120", "2027", MOTIF, "Claire", now=DECIDED)
    row = effective(con, "F03-I1")
    assert (row["cible"], row["echeance"], row["cible_origine"]) == (120.0, 2027, "coordination")
    assert row["cible_detail"] == f"fixée par Claire le 2 décembre 2026 : {MOTIF}"
    assert row["cible_provenance"] == f"coordination : fixée par Claire le 2 décembre 2026 : {MOTIF}"

    second = cibles.set_target(con, "f03-i1 ", "1 234,5", "", "révisée après le premier lot", "Paul",
                               now=datetime(2027, 3, 1))
    row = effective(con, "F03-I1")
    assert (row["cible"], pd.isna(row["echeance"])) == (1234.5, True)
    assert row["cible_detail"] == "fixée par Paul le 1er mars 2027 : révisée après le premier lot"
    history = cibles.history(con)
    assert list(history["id"]) == [second, first]
    assert list(history["en_vigueur"]) == [True, False]

    assert cibles.undo_target(con, second, "Claire") == "F03-I1"
    assert effective(con, "F03-I1")["cible"] == 120.0  # the previous decision again
    history = cibles.history(con).set_index("id")
    assert history.loc[second, "annulee_par"] == "Claire" and pd.notna(history.loc[second, "annulee_le"])
    assert bool(history.loc[first, "en_vigueur"])
    cibles.undo_target(con, first, "Claire")
    row = effective(con, "F03-I1")
    assert pd.isna(row["cible"]) and pd.isna(row["cible_origine"])  # the text's: none
    with pytest.raises(RejectedInput, match="déjà été annulée"):
        cibles.undo_target(con, first, "Claire")
    with pytest.raises(RejectedInput, match="n°99 n'existe pas"):
        cibles.undo_target(con, 99, "Claire")


def test_the_coordination_can_withdraw_the_texts_target_and_undo_that(db_path):
    con = db.connect(db_path)
    db.migrate(con)
    versions.load(con, read_referentiel(second_departement()))
    assert (effective(con, "F01-I1")["cible"], effective(con, "F01-I1")["cible_provenance"]) == (
        30.0, "feuille de route : écrite dans la feuille de route")
    decision = cibles.set_target(con, "F01-I1", "", None, "le financement des formations est suspendu", "Claire",
                                 retirer=True, now=DECIDED)
    row = effective(con, "F01-I1")
    assert pd.isna(row["cible"]) and row["cible_origine"] == "coordination"
    assert row["cible_detail"] == "retirée par Claire le 2 décembre 2026 : le financement des formations est suspendu"
    cibles.undo_target(con, decision, "Claire")
    assert (effective(con, "F01-I1")["cible"], effective(con, "F01-I1")["cible_origine"]) == (30.0, "texte")
    con.close()


@pytest.mark.parametrize(("typed", "expected"), [("2,5", 2.5), ("1 234", 1234.0), ("1\u202f234,5", 1234.5),
                                                 ("12", 12.0), (7, 7.0)])
def test_a_target_is_read_as_a_french_user_types_it(con, typed, expected):
    cibles.set_target(con, "F02-I2", typed, None, MOTIF, "Claire")
    assert effective(con, "F02-I2")["cible"] == expected


def test_a_percentage_target_only_for_an_indicator_counted_in_percent(con):
    cibles.set_target(con, "F06-I1", "85 %", None, MOTIF, "Claire")
    assert effective(con, "F06-I1")["cible"] == 85.0
    with pytest.raises(RejectedInput, match="se compte en foyers, pas en %"):
        cibles.set_target(con, "F03-I1", "85 %", None, MOTIF, "Claire")


@pytest.mark.parametrize(("args", "codes", "message"), [
    (("F99-I1", "10", None, MOTIF, "Claire"), ["cible-indicateur-inconnu"], "« F99-I1 » n'existe pas"),
    (("F22-I4", "1", None, MOTIF, "Claire"), ["cible-type-non-chiffre"], "F22-I4 est un indicateur livrable"),
    (("F03-I3", "1", None, MOTIF, "Claire"), ["cible-type-non-chiffre"], "indicateur qualitatif"),
    (("F03-I1", "-5", None, MOTIF, "Claire"), ["cible-valeur-negative"], "nombre supérieur à 0"),
    (("F03-I1", "0", None, MOTIF, "Claire"), ["cible-valeur-negative"], "nombre supérieur à 0"),
    (("F03-I1", "beaucoup", None, MOTIF, "Claire"), ["cible-valeur-invalide"], "« beaucoup » n'est pas un nombre"),
    (("F03-I1", "2.5,1", None, MOTIF, "Claire"), ["cible-valeur-invalide"], "n'est pas un nombre"),
    (("F03-I1", "", None, MOTIF, "Claire"), ["cible-valeur-manquante"], "Indiquez la valeur de la cible"),
    (("F03-I1", "120", None, "  ", "Claire"), ["cible-motif-manquant"], "Indiquez le motif"),
    (("F03-I1", "120", "2031", MOTIF, ""), ["cible-echeance-invalide", "cible-auteur-manquant"],
     "n'est pas une année de la feuille de route (2024 à 2027)"),
])
def test_refusals_say_what_to_type_and_write_nothing(con, args, codes, message):
    with pytest.raises(RejectedInput) as refused:
        cibles.set_target(con, *args)
    assert [p.code for p in refused.value.problems] == codes
    assert message in " ".join(p.message for p in refused.value.problems)
    assert cibles.history(con).empty


def test_withdrawing_takes_no_value(con):
    with pytest.raises(RejectedInput, match="ni valeur ni échéance"):
        cibles.set_target(con, "F03-I1", "120", None, MOTIF, "Claire", retirer=True)


# --------------------------------------------------------------------------------------------------
# « En retard » rests on a target someone owns
# --------------------------------------------------------------------------------------------------


def test_no_indicator_is_behind_until_the_coordination_sets_a_target(con):
    load_examples(con, today=TODAY)
    ref = views.reference(con)
    assert views.overview(con, ref, views.Filters()).attention.sous_cible.empty
    cibles.set_target(con, "F03-I1", "154", "2027", "un foyer par PC du premier lot", "Claire", now=DECIDED)
    behind = views.overview(con, views.reference(con), views.Filters()).attention.sous_cible.set_index("indicateur")
    assert list(behind.index) == ["F03-I1"]
    assert behind.loc["F03-I1", "cible"] == 154 and behind.loc["F03-I1", "cible_origine"] == "coordination"
    assert behind.loc["F03-I1", "cible_provenance"].startswith("coordination : fixée par Claire le 2 décembre 2026")


# --------------------------------------------------------------------------------------------------
# Exports and closures
# --------------------------------------------------------------------------------------------------


def test_the_report_workbook_says_whose_target_it_is(con):
    load_examples(con, today=TODAY)
    cibles.set_target(con, "F03-I1", "154", "2027", "un foyer par PC du premier lot", "Claire", now=DECIDED)
    data = reports.report_data(con, "2026-T3")
    wb = openpyxl.load_workbook(io.BytesIO(reports.build_xlsx(data)))
    rows = list(wb["indicateurs"].iter_rows(values_only=True))
    found = {r[rows[0].index("Indicateur")]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert found["F03-I1"]["Cible"] == 154 and found["F03-I1"]["Échéance"] == 2027
    assert found["F03-I1"]["Origine de la cible"] == (
        "coordination : fixée par Claire le 2 décembre 2026 : un foyer par PC du premier lot")
    assert found["F22-I4"]["Origine de la cible"] == (
        "feuille de route : « Organisation du challenge départemental 2026 »")
    assert found["F02-I2"]["Cible"] is None and found["F02-I2"]["Origine de la cible"] is None
    attention = [r for r in wb["attention"].iter_rows(values_only=True) if r[2] == "F03-I1"]
    assert attention and "cible 154 (coordination : fixée par Claire" in attention[0][3]
    deck = io.BytesIO()
    reports.build_pptx(data, deck)
    _, slides = pptx_content(deck.getvalue())
    cells = [t for texts, _ in slides for t in texts]
    assert any("de la cible, origine : coordination)" in t for t in cells)
    pdf = io.BytesIO()
    reports.build_pdf(data, pdf)
    assert "origine:coordination" in squeezed(pdf_text(pdf.getvalue())[1])


def test_a_closure_keeps_the_provenance_it_was_presented_with(con):
    load_examples(con, today=TODAY)
    decision = cibles.set_target(con, "F03-I1", "154", "2027", MOTIF, "Claire", now=DECIDED)
    closed = clotures.close_quarter(con, "2026-T3", comite_le=date(2026, 12, 8), reference="CS", auteur="Claire")
    cibles.undo_target(con, decision, "Claire")
    frozen = clotures.load_closure(con, closed)
    row = frozen.ref.indicateurs.set_index("code").loc["F03-I1"]
    assert (row["cible"], row["cible_origine"]) == (154.0, "coordination")
    over = views.overview(frozen.entries, frozen.ref, views.Filters(periode=frozen.periode))
    assert list(over.attention.sous_cible["cible_origine"]) == ["coordination"]


def test_a_closure_frozen_before_targets_had_an_origin_still_loads(con):
    """An older closure froze the indicators without the provenance columns, with the 154 target the transcription
    then gave: it loads, and that target is said of unknown origin rather than the text's."""
    load_examples(con, today=TODAY)
    closed = clotures.close_quarter(con, "2026-T3", comite_le=date(2026, 10, 20), reference="CS", auteur="Claire")
    old = views.reference(con).indicateurs.drop(columns=list(cibles.PROVENANCE_COLUMNS))
    old.loc[old["code"] == "F03-I1", ["cible", "cible_source"]] = [154.0, "premier lot de 154 PC portables"]
    buffer = io.BytesIO()
    old.to_parquet(buffer, index=False)
    con.execute("UPDATE clotures_donnees SET donnees = ? WHERE cloture_id = ? AND nom = 'indicateurs'",
                [buffer.getvalue(), closed])
    frozen = clotures.load_closure(con, closed)
    ind = frozen.ref.indicateurs.set_index("code")
    assert ind.loc["F03-I1", "cible_origine"] == "inconnue"
    assert ind.loc["F03-I1", "cible_provenance"].startswith("origine non enregistrée : clôture faite avant")
    assert ind.loc["F22-I4", "cible_origine"] == "inconnue"  # its échéance too: nothing recorded whose it was
    assert pd.isna(ind.loc["F02-I2", "cible_origine"]) and ind.loc["F02-I2", "cible_provenance"] is None
    over = views.overview(frozen.entries, frozen.ref, views.Filters(periode=frozen.periode))
    assert list(over.attention.sous_cible["cible_origine"]) == ["inconnue"]


# --------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------


def test_cli_sets_lists_and_undoes_a_target(con, db_path, capsys):
    con.close()  # the command opens the file itself
    base = ["--db", str(db_path)]
    assert cli.main(["cible", "F03-I1", "--valeur", "2,5", "--echeance", "2027", "--motif", MOTIF,
                     "--auteur", "Claire", *base]) == 0
    assert "Décision n°1 enregistrée : F03-I1" in capsys.readouterr().out
    assert cli.main(["cible", "F22-I4", "--valeur", "abc", "--motif", "", *base]) == 1
    err = capsys.readouterr().err
    assert "[cible-type-non-chiffre]" in err and "[cible-motif-manquant]" in err and "Rien n'a été enregistré" in err
    assert cli.main(["cible", "--historique", *base]) == 0
    out = capsys.readouterr().out
    assert "n°1" in out and "Claire — F03-I1 : cible 2,5 foyers, échéance 2027" in out and "en vigueur" in out
    assert cli.main(["cible", "--annuler", "1", "--auteur", "Paul", *base]) == 0
    assert cli.main(["cible", "--annuler", "1", *base]) == 1
    assert "déjà été annulée" in capsys.readouterr().err
    assert cli.main(["cible", "--historique", *base]) == 0
    out = capsys.readouterr().out
    assert "annulée le" in out and "par Paul" in out
    garbage = db_path.with_name("pas-une-base.duckdb")
    garbage.write_text("ceci n'est pas une base")
    assert cli.main(["cible", "F03-I1", "--valeur", "3", "--motif", MOTIF, "--db", str(garbage)]) == 2


def test_cli_on_a_database_not_yet_migrated_says_to_run_init(db_path, capsys):
    # Without its référentiel: today's loader writes the columns and versions of later migrations (test_versions
    # checks that a référentiel loaded before versions existed gets them).
    old = db.connect(db_path)
    db.migrate(old, up_to=4)
    old.close()
    assert cli.main(["cible", "--historique", "--db", str(db_path)]) == 2
    assert "n'est pas à jour : lancez « python -m lne_data init »" in capsys.readouterr().err
    assert cli.main(["init", "--db", str(db_path)]) == 0
    assert cli.main(["cible", "--historique", "--db", str(db_path)]) == 0


# --------------------------------------------------------------------------------------------------
# Pages (AppTest)
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def app(tmp_path, monkeypatch):
    yield from app_session(tmp_path / "app.duckdb", monkeypatch, first_opening=True)


def open_page(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def latest_values(at: AppTest) -> pd.DataFrame:
    table = next(t.value for t in at.table if "Origine de la cible" in t.value.columns
                 and "Dernière valeur" in t.value.columns)
    # A table of text, as read on screen: st.table shows its Markdown escapes as the characters escaped.
    return table.map(lambda v: re.sub(r"\\(.)", r"\1", v) if isinstance(v, str) else v).set_index("Indicateur")


def labelled(widgets, label: str):
    return next(w for w in widgets if w.label == label)


def test_the_coordination_sets_a_target_on_the_indicateurs_page(app):
    at = open_page("pages/3_Indicateurs.py")
    assert latest_values(at).loc["F03-I1", "Cible"] == "—"  # the text sets none
    sign_in(at)
    labelled(at.selectbox, "Indicateur").set_value("F03-I1")
    labelled(at.text_input, "Cible").set_value("1 234,5")
    labelled(at.selectbox, "Échéance").set_value(2027)
    labelled(at.text_area, "Motif (obligatoire)").set_value(MOTIF)
    labelled(at.text_input, "Votre nom (enregistré dans l'historique)").set_value("Claire")
    labelled(at.button, "Enregistrer la cible").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("Décision n°1 enregistrée" in s.value for s in at.success)
    row = latest_values(at).loc["F03-I1"]
    assert row["Cible"] == "1\u202f234,5\u00a0foyers" and row["Échéance"] == "2027"
    assert row["Origine de la cible"].startswith("coordination : fixée par Claire le ")
    assert row["Origine de la cible"].endswith(f" : {MOTIF}")
    labelled(at.selectbox, "Fiche").set_value(3).run()
    annotations = [a["text"] for fig in figures(at) for a in fig["layout"].get("annotations", [])]
    assert "cible 1\u202f234,5\u00a0foyers (coordination)" in annotations

    # A value typed wrong is refused with the reason, and nothing changes.
    labelled(at.text_input, "Cible").set_value("beaucoup")
    labelled(at.text_area, "Motif (obligatoire)").set_value(MOTIF)
    labelled(at.button, "Enregistrer la cible").click().run()
    assert any("« beaucoup » n'est pas un nombre" in e.value for e in at.error)
    assert latest_values(at).loc["F03-I1", "Cible"] == "1\u202f234,5\u00a0foyers"

    # Undone: the indicator has no target again (the text sets none).
    labelled(at.selectbox, "Décision à annuler").set_value(1)
    labelled(at.button, "Annuler").click().run()
    assert any("Décision n°1 annulée" in s.value for s in at.success)
    row = latest_values(at).loc["F03-I1"]
    assert row["Cible"] == "—" and row["Origine de la cible"] == ""


def test_reading_alone_cannot_set_a_target(app):
    at = open_page("pages/3_Indicateurs.py")
    assert not any(b.label == "Enregistrer la cible" for b in at.button)
    assert any("réservé au rôle" in m.value for m in at.markdown)
    sign_in(at, "mauvais mot de passe")
    assert not any(b.label == "Enregistrer la cible" for b in at.button)
    assert cibles.history(ui.connection()).empty


def test_the_overview_lists_an_indicator_behind_only_once_the_coordination_owns_its_target(app):
    at = open_page()
    # Fiche 22's two deliverables due in 2026 can be late; on 28 November 2026 they are not yet.
    assert any("Indicateurs en retard : 0 sur 2 ayant une cible ou une échéance" in m.value for m in at.markdown)
    cibles.set_target(ui.connection(), "F03-I1", "154", "2027", MOTIF, "Claire", now=DECIDED)
    st.cache_data.clear()
    ui.indicateurs.clear()
    at = open_page()
    assert any("Indicateurs en retard : 1 sur 3 ayant une cible ou une échéance" in m.value for m in at.markdown)
    table = next(t.value for t in at.table if "Attendu" in t.value.columns)
    table = table.map(lambda v: re.sub(r"\\(.)", r"\1", str(v))).set_index("Indicateur")  # as read on screen
    assert table.loc["F03-I1", "Échéance"] == "2027"
    assert table.loc["F03-I1", "Origine de la cible"] == f"coordination : fixée par Claire le 2 décembre 2026 : {MOTIF}"


def test_the_fiche_page_says_whose_target_it_is(app):
    at = open_page("pages/5_Fiche.py")
    at.query_params["fiche"] = "22"
    at.run()
    table = next(t.value for t in at.table if "Origine de la cible" in t.value.columns)
    origins = " ".join(map(str, table["Origine de la cible"]))
    assert "feuille de route" in origins and "Organisation du challenge départemental 2026" in origins


def test_the_sql_effective_target_ignores_undone_decisions(con):
    """The statement itself: the latest decision not undone wins, whatever the order they were undone in."""
    for value in ("10", "20", "30"):
        cibles.set_target(con, "F02-I2", value, None, MOTIF, "Claire")
    cibles.undo_target(con, 3, "Claire")
    found = {r[0]: r[7] for r in con.execute(sql.INDICATEURS).fetchall()}
    assert found["F02-I2"] == 20.0
