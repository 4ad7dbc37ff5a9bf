"""Porteurs submit their own quarter: checked as the coordination's upload is and against their structures on the
server, queued « à valider », accepted (imported in one transaction under the porteur's name, validated by the
coordination) or sent back with a message the porteur reads; « Qui a répondu ? » counts a file waiting. A porteur's
forged request for another structure's fiche is refused and changes nothing. (In Chromium, against a real provider:
tests/test_e2e_comptes.py.)"""

from __future__ import annotations

import shutil
import time

import pytest
from streamlit.testing.v1 import AppTest

from lne_data import comptes, db, depots, queries, views
from lne_data.problems import Refused, RejectedInput

from .conftest import GOOD, PROVIDER, ROOT, TODAY, app_session, dump, plain, saisie_xlsx

CCI = [[15, "F15-I1", "2026-T3", 4, "Ateliers de l'automne", "Dominique Roux"],
       [15, "F15-I2", "2026-T3", 12, None, None]]


@pytest.fixture
def accounts(con):
    comptes.add(con, "dominique.roux@cci-lot.fr", "Dominique Roux", "porteur", ["CCI du Lot"], "installation")
    comptes.add(con, "camille.martin@lot-numerique.fr", "Camille Martin", "coordination", auteur="installation")
    return con


def test_a_porteur_submits_the_coordination_accepts_under_both_names(accounts):
    con = accounts
    depot = depots.submit(con, "dominique.roux@cci-lot.fr", saisie_xlsx(CCI), "cci_t3.xlsx", today=TODAY)
    listed = depots.depots(con)
    assert list(listed["statut"]) == ["a_valider"] and list(listed["fiches"][0]) == [15]
    # « Qui a répondu ? » counts the file waiting, and says so.
    answers = views.reponses(con, views.reference(con), "2026-T3")
    row = answers.table[answers.table["porteur"] == "CCI du Lot"].iloc[0]
    assert row["a_repondu"] and row["depot_a_valider"]
    assert "dont 1 par un fichier déposé qui attend la validation de la coordination" in answers.resume
    result = depots.accept(con, depot, "Camille Martin", today=TODAY)
    imports = queries.imports(con)
    assert (imports.iloc[0]["id"], imports.iloc[0]["auteur"], imports.iloc[0]["valide_par"]) == (
        result.import_id, "Dominique Roux", "Camille Martin")
    assert list(depots.depots(con)["statut"]) == ["accepte"]
    assert int(depots.depots(con)["import_id"][0]) == result.import_id
    after = views.reponses(con, views.reference(con), "2026-T3").table
    assert not after[after["porteur"] == "CCI du Lot"].iloc[0]["depot_a_valider"]  # answered by the import now
    with pytest.raises(RejectedInput, match="déjà accepté"):
        depots.accept(con, depot, "Camille Martin", today=TODAY)


def test_a_file_sent_back_carries_its_message_and_imports_nothing(accounts):
    con = accounts
    depot = depots.submit(con, "dominique.roux@cci-lot.fr", saisie_xlsx(CCI), "cci_t3.xlsx", today=TODAY)
    with pytest.raises(RejectedInput, match="Dites au porteur"):
        depots.send_back(con, depot, "Camille Martin", "  ")
    depots.send_back(con, depot, "Camille Martin", "F15-I2 : 12 TPE ou 12 ateliers ? Merci de vérifier.")
    row = depots.depots(con).iloc[0]
    assert (row["statut"], row["decide_par"], row["message"]) == (
        "renvoye", "Camille Martin", "F15-I2 : 12 TPE ou 12 ateliers ? Merci de vérifier.")
    assert queries.imports(con).empty


def test_a_forged_submission_for_another_structures_fiche_is_refused_and_changes_nothing(accounts):
    con = accounts
    before = dump(con)
    with pytest.raises(RejectedInput) as refused:
        depots.submit(con, "dominique.roux@cci-lot.fr", saisie_xlsx([*CCI, GOOD[0]]), "forge.xlsx", today=TODAY)
    assert [p.code for p in refused.value.problems if p.is_error] == ["depot-fiche-hors-structures"]
    assert "la ou les fiches 6, qui ne sont pas portées par « CCI du Lot »" in refused.value.problems[-1].message
    with pytest.raises(Refused):  # another role: nothing submitted either
        depots.submit(con, "camille.martin@lot-numerique.fr", saisie_xlsx(CCI), "t3.xlsx", today=TODAY)
    assert dump(con) == before


def test_a_porteur_reads_only_her_structures_submissions(accounts):
    con = accounts
    comptes.add(con, "lot@lot-numerique.fr", "Léa Lot", "porteur", ["Lot Numérique"], "installation")
    mine = depots.submit(con, "dominique.roux@cci-lot.fr", saisie_xlsx(CCI), "cci.xlsx", today=TODAY)
    theirs = depots.submit(con, "lot@lot-numerique.fr", saisie_xlsx([GOOD[0]]), "ln.xlsx", today=TODAY)
    cci = comptes.find(con, "dominique.roux@cci-lot.fr")
    assert list(depots.visible_to(con, cci)["id"]) == [mine]
    assert list(depots.visible_to(con, comptes.find(con, "lot@lot-numerique.fr"))["id"]) == [theirs]


# --------------------------------------------------------------------------------------------------
# Through the page's write helper, as the browser reaches it
# --------------------------------------------------------------------------------------------------


def forge(data: bytes) -> None:
    """Run as an AppTest script, signed in as the porteur: the page's write helper called straight with a file her
    page never offered (another structure's fiche)."""
    import streamlit as st

    from lne_data import ui
    from tests.conftest import dump

    before = dump(ui.connection())
    try:
        ui.submit_quarter(data, "forge.xlsx")
        st.session_state["outcome"] = "déposé"
    except ui.RejectedInput as exc:
        st.session_state["outcome"] = "refusé : " + " ".join(p.message for p in exc.problems if p.is_error)
    st.session_state["unchanged"] = dump(ui.connection()) == before


@pytest.fixture
def app_db(tmp_path, loaded_db, monkeypatch):
    path = tmp_path / "app.duckdb"
    shutil.copyfile(loaded_db, path)
    con = db.connect(path)
    comptes.add(con, "dominique.roux@cci-lot.fr", "Dominique Roux", "porteur", ["CCI du Lot"], "installation")
    comptes.add(con, "camille.martin@lot-numerique.fr", "Camille Martin", "coordination", auteur="installation")
    con.close()
    yield from app_session(path, monkeypatch)


def as_person(at: AppTest, email: str) -> AppTest:
    at.secrets["auth"] = PROVIDER
    at.secrets["lne"] = {"fournisseur": "ProConnect"}
    at.user = {"is_logged_in": True, "email": email, "iat": int(time.time())}
    return at


def test_the_page_helper_refuses_a_forged_file_on_the_server(app_db):
    at = as_person(AppTest.from_function(forge, args=(saisie_xlsx([*CCI, GOOD[0]]),), default_timeout=60),
                   "dominique.roux@cci-lot.fr")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["outcome"].startswith("refusé : Le fichier renseigne la ou les fiches 6")
    assert at.session_state["unchanged"] is True


def test_the_saisie_page_takes_a_porteurs_file_to_the_coordinations_validation(app_db):
    porteur = as_person(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "dominique.roux@cci-lot.fr")
    porteur.run()
    porteur.switch_page("pages/6_Saisie.py").run()
    assert [s.label for s in porteur.selectbox if s.label == "Porteur"] and porteur.selectbox[1].options == [
        "CCI du Lot"]  # her template only
    porteur.get("file_uploader")[0].set_value(("cci_t3.xlsx", saisie_xlsx(CCI), "application/octet-stream")).run()
    next(b for b in porteur.button if b.label == "Déposer pour validation").click().run()
    assert any("Fichier déposé (dépôt n°1)" in plain(s.value) for s in porteur.success)

    coordination = as_person(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60),
                             "camille.martin@lot-numerique.fr")
    coordination.run()
    coordination.switch_page("pages/6_Saisie.py").run()
    assert any("1 à valider" in e.label for e in coordination.expander)
    next(b for b in coordination.button if b.label == "Valider et importer").click().run()
    assert any("Dépôt n°1 validé : import n°1 enregistré" in plain(s.value) for s in coordination.success)
    from lne_data.ui import connection

    imports = queries.imports(connection())
    assert list(imports["auteur"]) == ["Dominique Roux"] and list(imports["valide_par"]) == ["Camille Martin"]
    porteur.run()
    assert not porteur.exception
