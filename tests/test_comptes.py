"""Personal accounts: made and removed on the command line and on the Comptes page, refused with a French message
naming the near spellings; a person signed in personally (st.user, as Streamlit's st.login leaves it) gets her
account's role at every run, loses it when the account is removed or her sign-in is older than the session's
length, and what she writes carries her account's name. Without a provider configured, nothing changes.
(The sign-in itself, through a real provider in Chromium, is tests/test_e2e_comptes.py.)"""

from __future__ import annotations

import json
import shutil
import time

import pytest
from streamlit.testing.v1 import AppTest

from lne_data import auth, comptes, db, queries
from lne_data.problems import NotFound, RejectedInput

from .conftest import GOOD, PROVIDER, ROOT, app_session, dump, plain, run_cli, saisie_xlsx


def test_an_account_is_made_changed_listed_and_removed(con):
    person, before = comptes.add(con, " Dominique.Roux@CCI-lot.fr ", "Dominique Roux", "porteur", ["CCI du Lot"],
                                 auteur="Camille Martin")
    assert before is None and person.email == "dominique.roux@cci-lot.fr"
    assert comptes.find(con, "DOMINIQUE.ROUX@cci-lot.fr") == person
    assert comptes.fiches_of(con, person.structures) == [15]  # « CCI du Lot » carries fiche 15
    changed, before = comptes.add(con, "dominique.roux@cci-lot.fr", "Dominique Roux", "lecture", [], "Camille")
    assert before == person and changed.role == "lecture" and changed.structures == ()
    assert [p.as_json() for p in comptes.accounts(con)] == [
        {"email": "dominique.roux@cci-lot.fr", "nom": "Dominique Roux", "role": "lecture", "structures": []}]
    assert comptes.remove(con, "dominique.roux@cci-lot.fr", "Camille") == changed
    assert comptes.find(con, "dominique.roux@cci-lot.fr") is None and comptes.accounts(con) == []
    with pytest.raises(NotFound, match="Aucun compte pour « dominique.roux@cci-lot.fr »"):
        comptes.remove(con, "dominique.roux@cci-lot.fr", "Camille")


@pytest.mark.parametrize(("typed", "said"), [
    ("CCI du lot", "« CCI du lot » s'écrit autrement dans la feuille de route. Vouliez-vous dire : « CCI du Lot » ?"),
    ("CCI Lot", "« CCI Lot » n'est pas une structure de la feuille de route. Vouliez-vous dire : « CCI du Lot » ?"),
    ("Caf", "« Caf » ne porte aucune fiche de la feuille de route."),
])
def test_a_structure_must_carry_a_fiche_spelt_as_the_roadmap_does(con, typed, said):
    before = dump(con)
    with pytest.raises(RejectedInput) as refused:
        comptes.add(con, "x@y.fr", "X", "porteur", [typed])
    assert [p.code for p in refused.value.problems] == ["compte-structure-inconnue"]
    assert refused.value.problems[0].message.startswith(said)
    assert dump(con) == before


def test_every_problem_of_an_account_is_said_at_once(con):
    with pytest.raises(RejectedInput) as refused:
        comptes.add(con, "pas-une-adresse", "", "porteur", [])
    assert [p.code for p in refused.value.problems] == [
        "compte-email-invalide", "compte-nom-manquant", "compte-structure-manquante"]
    with pytest.raises(RejectedInput) as refused:
        comptes.add(con, "a@b.fr", "A", "lecture", ["CCI du Lot"])
    assert [p.code for p in refused.value.problems] == ["compte-structure-hors-porteur"]


def test_the_command_line_manages_accounts(db_path, loaded_db):
    shutil.copyfile(loaded_db, db_path)
    base = ["--db", str(db_path)]
    made = run_cli("comptes", "ajouter", "dominique.roux@cci-lot.fr", "--nom", "Dominique Roux", "--role",
                   "porteur", "--structure", "CCI du Lot", "--structure", "Lot Numérique", *base)
    assert made.returncode == 0, made.stderr
    assert made.stdout == ("Compte créé : dominique.roux@cci-lot.fr — Dominique Roux (porteur : CCI du Lot, Lot "
                           "Numérique).\n")
    listed = run_cli("comptes", "--json", *base)
    assert json.loads(listed.stdout) == [{"email": "dominique.roux@cci-lot.fr", "nom": "Dominique Roux",
                                          "role": "porteur", "structures": ["CCI du Lot", "Lot Numérique"]}]
    refused = run_cli("comptes", "ajouter", "e@x.fr", "--nom", "E", "--role", "porteur", "--structure", "CCI Lot",
                      *base)
    assert refused.returncode == 1 and "Vouliez-vous dire : « CCI du Lot » ?" in refused.stderr
    assert run_cli("comptes", "retirer", "inconnu@x.fr", *base).returncode == 1
    assert run_cli("comptes", "retirer", "dominique.roux@cci-lot.fr", *base).returncode == 0
    assert json.loads(run_cli("comptes", "--json", *base).stdout) == []


def test_a_personal_sign_in_expires_and_needs_an_email_in_an_account_or_the_setting():
    settings = auth.Settings(None, None, False, coordinateurs_oidc=("premiere@lot.fr",), fournisseur="ProConnect")
    now = 1_800_000_000.0
    assert not auth.expired({"iat": now - 11 * 3600}, settings, now)
    assert auth.expired({"iat": now - 13 * 3600}, settings, now)
    assert auth.expired({"auth_time": now - 13 * 3600, "iat": now}, settings, now)  # when she authenticated
    assert auth.expired({}, settings, now)  # of unknown age: over
    claims = {"email": "Premiere@lot.fr", "given_name": "Anne", "usual_name": "Premier"}
    first = auth.person_for(claims, None, settings)
    assert first == comptes.Person("premiere@lot.fr", "Anne Premier", "coordination", compte=False)
    assert auth.person_for({"email": "autre@lot.fr"}, None, settings) is None
    account = comptes.Person("premiere@lot.fr", "Anne Premier", "lecture")
    assert auth.person_for(claims, account, settings) == account  # the account wins over the setting
    assert auth.Settings.load({"lne": {"duree_session": "0,5"}, "auth": PROVIDER}, {}).duree_session_h == 0.5
    assert auth.Settings.load({"lne": {"duree_session": "-1"}}, {}).duree_session_h == auth.DUREE_SESSION_H
    assert auth.Settings.load({}, {}).fournisseur is None


# --------------------------------------------------------------------------------------------------
# The pages, with a person signed in as Streamlit's st.login leaves her (AppTest's `user`)
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def app_db(tmp_path, loaded_db, monkeypatch):
    path = tmp_path / "app.duckdb"
    shutil.copyfile(loaded_db, path)
    con = db.connect(path)
    comptes.add(con, "camille.martin@lot-numerique.fr", "Camille Martin", "coordination", auteur="installation")
    comptes.add(con, "elise.blanc@lot.fr", "Élise Blanc", "lecture", auteur="installation")
    con.close()
    yield from app_session(path, monkeypatch)


def signed_in(page: str | None, email: str, *, age_h: float = 0.1, at: AppTest | None = None) -> AppTest:
    if at is None:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.secrets["auth"] = PROVIDER
        at.secrets["lne"] = {"fournisseur": "ProConnect"}
    at.user = {"is_logged_in": True, "email": email, "given_name": "X", "usual_name": "Y",
               "iat": int(time.time() - age_h * 3600)}
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def test_the_role_is_the_accounts_and_a_removed_account_loses_it_at_its_next_run(app_db):
    at = signed_in("pages/6_Saisie.py", "Camille.Martin@lot-numerique.fr")
    assert at.get("file_uploader")
    assert any("Enregistré au nom de **Camille Martin**" in c.value for c in at.caption)
    assert any("Connecté(e) : Camille Martin (coordination)" in plain(c.value) for c in at.sidebar.caption)
    # Her account removed (here, straight in the database: the Comptes page or the command line do the same).
    from lne_data.ui import connection

    comptes.remove(connection(), "camille.martin@lot-numerique.fr", "Dominique")
    at.run()
    assert not at.get("file_uploader")
    assert any("Votre compte a été retiré" in plain(w) for w in warnings(at)), warnings(at)


def test_an_elu_reads_and_a_person_without_account_is_told(app_db):
    elu = signed_in("pages/6_Saisie.py", "elise.blanc@lot.fr")
    assert not elu.get("file_uploader")
    assert any("Vous êtes connecté(e) : Élise Blanc (lecture (élus))" in plain(i.value) for i in elu.info)
    stranger = signed_in(None, "agent@exemple.gouv.fr")
    assert any("agent@exemple.gouv.fr, qui n'a pas de compte" in plain(w) for w in warnings(stranger))
    stranger.switch_page("pages/6_Saisie.py").run()
    assert not stranger.get("file_uploader")
    assert not any("pas de compte" in w for w in warnings(stranger))  # said once


def test_a_sign_in_older_than_the_session_has_no_role(app_db):
    at = signed_in(None, "camille.martin@lot-numerique.fr", age_h=13)
    assert any("Votre connexion date de plus de 12 h : reconnectez-vous avec ProConnect" in plain(w)
               for w in warnings(at)), warnings(at)
    at.switch_page("pages/6_Saisie.py").run()
    assert not at.get("file_uploader")
    assert any(b.label == "S'identifier avec ProConnect" for b in at.button)


def test_an_import_is_recorded_under_the_accounts_name(app_db):
    at = signed_in("pages/6_Saisie.py", "camille.martin@lot-numerique.fr")
    at.get("file_uploader")[0].set_value(("t3.xlsx", saisie_xlsx(GOOD), "application/octet-stream")).run()
    next(b for b in at.button if b.label == "Importer").click().run()
    assert any("Import n°1 enregistré" in s.value for s in at.success), [s.value for s in at.success]
    from lne_data.ui import connection

    assert list(queries.imports(connection())["auteur"]) == ["Camille Martin"]


def test_the_comptes_page_adds_refuses_and_removes(app_db):
    at = signed_in("pages/11_Comptes.py", "camille.martin@lot-numerique.fr")
    fields = {t.label: t for t in at.text_input}
    fields["Adresse e-mail (celle de ProConnect)"].set_value("dominique.roux@cci-lot.fr")
    fields["Nom (écrit dans l'historique)"].set_value("Dominique Roux")
    at.selectbox[0].set_value("porteur")
    next(b for b in at.button if b.label == "Enregistrer le compte").click().run()
    assert any("Compte porteur sans structure" in e.value or "structure au moins" in e.value for e in at.error)
    at.multiselect[0].set_value(["CCI du Lot"])
    next(b for b in at.button if b.label == "Enregistrer le compte").click().run()
    assert any("Compte créé : dominique.roux@cci-lot.fr — Dominique Roux (porteur : CCI du Lot)." in plain(s.value)
               for s in at.success), [s.value for s in at.success]
    from lne_data.ui import connection

    assert comptes.find(connection(), "dominique.roux@cci-lot.fr").structures == ("CCI du Lot",)
    removal = next(s for s in at.selectbox if s.label == "Compte")
    removal.set_value("elise.blanc@lot.fr").run()
    next(c for c in at.checkbox if c.label.startswith("Je confirme retirer")).check().run()
    next(b for b in at.button if b.label == "Retirer ce compte").click().run()
    assert comptes.find(connection(), "elise.blanc@lot.fr") is None


def test_without_a_provider_nothing_personal_is_offered(app_db):
    """No `[auth]`: a browser's identity is ignored, the password is the way in, as before accounts existed."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.user = {"is_logged_in": True, "email": "camille.martin@lot-numerique.fr", "iat": int(time.time())}
    at.run()
    at.switch_page("pages/6_Saisie.py").run()
    assert not at.get("file_uploader")
    assert any(t.label == "Mot de passe" for t in at.text_input)
    assert not any(b.label.startswith("S'identifier") for b in at.button)
