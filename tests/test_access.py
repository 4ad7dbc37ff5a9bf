"""Access control: without the coordination role, nothing can be written, through any page or any helper.

Every page of `pages/` is opened (AppTest) without signing in, then as `lecture`; no write widget may be offered.
The write helpers of `lne_data.ui` are called directly from a script without the role: they must raise
`NotAllowed` and leave the database as it was, whatever the page shows. Wrong passwords are refused and the
next attempt is throttled (even with the right password); protected reading shows a sign-in form and no data;
the password hash never reaches a page.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading

import pytest
from streamlit.testing.v1 import AppTest

from lne_data import auth, db, versions
from lne_data.demo import load_examples
from lne_data.ui.auth import SIGNED_IN_WITH, _throttle

from .a11y import PAGES as MENU
from .a11y import ROLE_BLIND
from .conftest import APP_PASSWORD as PASSWORD
from .conftest import GOOD, ROOT, app_session, open_page, saisie_xlsx, sign_in

PAGES = [None, *sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))]
READING_PASSWORD = "lecture-de-test-2026"
WRITE_BUTTONS = {"Importer", "Annuler cet import", "Clôturer ce trimestre", "Enregistrer la cible", "Annuler"}
# The only form a visitor without the role may submit is the sign-in form.
ALLOWED_FORMS = {"Se connecter"}
# Words of the roadmap and of the example entries: none may show before signing in when reading is protected.
DATA_WORDS = ["Lot Numérique Responsable", "Lot Numérique Solidaire", "Données d'exemple", "58\u202f104", "RhinOcc",
              "Fiche 6", "médiation numérique"]


@pytest.fixture(scope="module")
def prepared_db(tmp_path_factory, referentiel):
    """What `ui.connection()` makes of a fresh install (roadmap and examples), built once for the module."""
    path = tmp_path_factory.mktemp("acces") / "modele.duckdb"
    con = db.connect(path)
    db.migrate(con)
    versions.load(con, referentiel)
    load_examples(con)
    con.close()
    return path


@pytest.fixture(autouse=True)
def fresh_app(prepared_db, tmp_path, monkeypatch):
    """Each test gets its own copy of the database, a coordination password and empty Streamlit caches."""
    path = tmp_path / "app.duckdb"
    shutil.copyfile(prepared_db, path)
    yield from app_session(path, monkeypatch)


def page_id(page: str | None) -> str:
    return page or "app.py"


def url_path(page: str | None) -> str:
    """The address Streamlit gives a page of pages/ (« pages/1_Budget.py » is « /Budget »)."""
    return "/" + page.split("/")[-1].removesuffix(".py").split("_", 1)[1] if page else "/"


# The pages the accessibility audit visits signed out only (tests/a11y.py), by their file here.
BLIND = {page for page in PAGES if url_path(page) in {path for label, path, *_ in MENU if label in ROLE_BLIND}}


def nodes(at: AppTest, root=None):
    """Every element and block of the rendered page (main area and sidebar), or of `root` only."""
    stack = [at._tree if root is None else root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(getattr(node, "children", {}).values())


# Drawn anew on every run (a chart's element id, a download's file): not what the page says.
PER_RUN = frozenset({"uuid", "deferred_file_id"})


def _strings(message, skip: frozenset[str] = frozenset()) -> list[str]:
    """Every text and byte field of a protobuf message, recursively (bytes hold dataframes as Arrow), but the
    fields named in `skip`."""
    found = []
    for descriptor, value in message.ListFields():
        if descriptor.name in skip:
            continue
        values = value if descriptor.is_repeated else [value]
        for item in values:
            if hasattr(item, "ListFields"):
                found.extend(_strings(item, skip))
            elif isinstance(item, str):
                found.append(item)
            elif isinstance(item, bytes):
                found.append(item.decode("utf-8", "replace"))
    return found


def everything_shown(at: AppTest) -> str:
    """All that the page sends to the browser: every text and byte field of every element."""
    return "\n".join(text for node in nodes(at) if getattr(node, "proto", None) is not None
                     for text in _strings(node.proto))


def main_area(at: AppTest) -> str:
    """What the page's main area says and draws (its sidebar and identifiers drawn anew on each run aside)."""
    return "\n".join(text for node in nodes(at, at.main) if getattr(node, "proto", None) is not None
                     for text in _strings(node.proto, PER_RUN))


def write_widgets(at: AppTest) -> list[str]:
    found = [f"file_uploader {u.label!r}" for u in at.get("file_uploader")]
    for button in at.button:
        label = button.label
        if label in WRITE_BUTTONS:
            found.append(f"bouton {label!r}")
        elif button.proto.is_form_submitter and label not in ALLOWED_FORMS:
            found.append(f"formulaire {label!r}")
    return found


@pytest.fixture
def reading_password(monkeypatch):
    monkeypatch.setenv(auth.ENV_LECTURE, auth.hash_password(READING_PASSWORD))


def secret_parts(hashed: str) -> list[str]:
    """The hash as configured, and its salt and digest alone (a page could show any of them)."""
    _scheme, _n, _r, _p, salt, digest = hashed.split("$")
    return [hashed, salt, digest]


def leaked(at: AppTest, secrets: list[str]) -> list[str]:
    shown = everything_shown(at)
    return [secret for secret in secrets if secret in shown]


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_no_write_widget_without_the_role_and_never_the_hash(page, monkeypatch):
    hashed, reading = auth.hash_password(PASSWORD), auth.hash_password(READING_PASSWORD)
    monkeypatch.setenv(auth.ENV_COORDINATION, hashed)
    monkeypatch.setenv(auth.ENV_LECTURE, reading)
    secrets = secret_parts(hashed) + secret_parts(reading)

    at = open_page(page)
    assert write_widgets(at) == []
    assert leaked(at, secrets) == []
    if any(t.label == "Mot de passe" for t in at.text_input):
        sign_in(at, "mauvais mot de passe")
        assert write_widgets(at) == [] and leaked(at, secrets) == []
        _throttle.clear()  # forget the failure: the next sign-in must not wait
        # Signed in for reading only: still nothing to write with.
        sign_in(at, READING_PASSWORD)
        assert not at.exception, [e.value for e in at.exception]
        assert write_widgets(at) == [] and leaked(at, secrets) == []
    read = main_area(at)
    # Signed in as coordination, the page shows more; the hash still never.
    at.session_state["role"] = "coordination"
    at.session_state[SIGNED_IN_WITH] = hashed
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert leaked(at, secrets) == []
    # A page the accessibility audit visits signed out only shows the coordination what it shows a reader.
    assert len(BLIND) == len(ROLE_BLIND), BLIND  # each found among the files
    assert (main_area(at) == read) == (page in BLIND), page_id(page)


def test_the_write_widgets_are_there_for_the_coordination_role():
    """The other side of the test above: the detection does find them once signed in."""
    at = sign_in(open_page("pages/6_Saisie.py"))
    at.get("file_uploader")[0].set_value(("t3.xlsx", saisie_xlsx(GOOD), "application/octet-stream")).run()
    assert "bouton 'Importer'" in write_widgets(at)
    history = sign_in(open_page("pages/7_Historique.py"))
    assert "bouton 'Annuler cet import'" in write_widgets(history)
    targets = sign_in(open_page("pages/3_Indicateurs.py"))
    assert "bouton 'Enregistrer la cible'" in write_widgets(targets)


def write_without_role(data: bytes) -> None:
    """Run as an AppTest script: call every write helper of lne_data.ui as a visitor without the role."""
    import streamlit as st

    from lne_data import saisie, ui
    from tests.conftest import dump

    con = ui.connection()
    before = dump(con)
    validation = saisie.check_file(data, "t3.xlsx", saisie.load_context(con))
    assert validation.ok
    calls = {"import_checked": lambda: ui.import_checked(validation), "undo": lambda: ui.undo(1),
             "set_target": lambda: ui.set_target("F03-I1", "120", None, "motif", False),
             "undo_target": lambda: ui.undo_target(1, 1), "undo_version": lambda: ui.undo_version(2),
             "apply_referentiel": lambda: ui.apply_referentiel(b"classeur")}
    if hasattr(ui, "close_quarter"):
        from datetime import date

        calls["close_quarter"] = lambda: ui.close_quarter("2025-T3", date(2025, 10, 14), "Comité", "Claire")
    outcomes = {}
    for name, call in calls.items():
        try:
            call()
            outcomes[name] = "écrit"
        except ui.NotAllowed as exc:
            outcomes[name] = "refusé : " + str(exc)
    st.session_state["outcomes"] = outcomes
    st.session_state["unchanged"] = dump(con) == before
    st.session_state["role"] = ui.role()


@pytest.mark.parametrize("as_reader", [False, True], ids=["sans connexion", "lecture"])
def test_write_helpers_refuse_without_the_role(as_reader):
    at = AppTest.from_function(write_without_role, args=(saisie_xlsx(GOOD),), default_timeout=60)
    if as_reader:
        at.session_state["role"] = "lecture"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    outcomes = at.session_state["outcomes"]
    assert set(outcomes) >= {"import_checked", "undo", "set_target", "undo_target"}
    assert all(outcome.startswith("refusé : ") and "coordination" in outcome for outcome in outcomes.values()), \
        outcomes
    assert at.session_state["unchanged"] is True
    assert at.session_state["role"] == "lecture"


def test_a_wrong_password_is_refused_and_the_next_attempt_throttled():
    throttle = _throttle()  # the one of this server process, holding a counter per client
    now = [1000.0]
    throttle.clock = lambda: now[0]  # "right after": no time passes between the attempts
    at = open_page("pages/6_Saisie.py")
    sign_in(at, "mauvais mot de passe")
    assert any("Mot de passe incorrect" in e.value for e in at.error)
    sign_in(at, PASSWORD)  # even the right password, right after a failure, waits
    assert any("Trop de tentatives" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.get("file_uploader")
    # Another client (here another browser session: AppTest has no address) is not held back by those failures.
    other = sign_in(open_page("pages/7_Historique.py"))
    assert not other.error, [e.value for e in other.error]
    assert other.session_state["role"] == "coordination"
    now[0] += 1.5  # the wait after one failure has passed
    sign_in(at, PASSWORD)
    assert at.get("file_uploader")


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_protected_reading_shows_the_sign_in_form_and_no_data(page, monkeypatch, reading_password):
    monkeypatch.setenv(auth.ENV_LECTURE_MODE, "protegee")
    at = open_page(page, fiche="6", axe="1")
    assert any(t.label == "Mot de passe" for t in at.text_input)
    for kind in ("dataframe", "table", "metric", "plotly_chart", "file_uploader", "download_button", "selectbox",
                 "page_link"):
        assert not at.get(kind), kind
    shown = everything_shown(at)
    assert [word for word in DATA_WORDS if word in shown] == []
    configured = os.environ[auth.ENV_COORDINATION], os.environ[auth.ENV_LECTURE]
    assert leaked(at, [part for hashed in configured for part in secret_parts(hashed)]) == []
    sign_in(at, READING_PASSWORD)
    assert not at.exception, [e.value for e in at.exception]
    assert not any(t.label == "Mot de passe" for t in at.text_input) or page in (
        "pages/3_Indicateurs.py", "pages/6_Saisie.py", "pages/7_Historique.py",
        "pages/9_Clotures.py", "pages/10_Feuille_de_route.py", "pages/11_Comptes.py",
        "pages/12_Exports.py")  # these ask again, for writing (Exports: MIN's besoins)
    assert "Données d'exemple" in everything_shown(at)  # signed in, the page and its data banner are there
    assert write_widgets(at) == []


def test_simultaneous_sign_ins_are_throttled_too(monkeypatch):
    attempts = 8
    inside = threading.Barrier(attempts)
    verified: list[str] = []
    real = auth.verify_password

    def verify(password: str, stored: str) -> bool:
        verified.append(password)
        with contextlib.suppress(threading.BrokenBarrierError):
            inside.wait(timeout=3)  # all together inside verification: only possible if none was held back
        return real(password, stored)

    monkeypatch.setattr(auth, "verify_password", verify)
    settings = auth.Settings(coordination_hash=auth.hash_password(PASSWORD), lecture_hash=None,
                             lecture_protegee=False)
    throttle = auth.Throttle()
    start = threading.Barrier(attempts)
    answers: list[str] = []

    def attempt(n: int) -> None:
        start.wait()
        answers.append(auth.sign_in(f"essai {n}", settings, throttle)[1])

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # One guess checked; the others told to wait, as a second attempt in a row is.
    assert len(verified) == 1, f"{len(verified)} mots de passe vérifiés en même temps : {sorted(answers)}"


def upload_good(at: AppTest) -> AppTest:
    at.get("file_uploader")[0].set_value(("t3.xlsx", saisie_xlsx(GOOD), "application/octet-stream")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_password_change_signs_out_the_sessions_opened_with_the_old_one(monkeypatch):
    """The coordination password is changed (`mot-de-passe --ecrire`: secrets.toml is re-read by the running
    server; here the environment) while a coordinatrice has a file checked and « Importer » on screen: her next
    click imports nothing, signs her out with a French message, and the server's gate already refused her uploads
    before that click. The new password signs in; the old one no longer does."""
    at = upload_good(sign_in(open_page("pages/6_Saisie.py")))
    new_values = {m.label: m.value for m in at.metric}["Nouvelles valeurs"]
    assert int(new_values) > 0
    allowed = [session for session, signed_in_with in auth.UPLOAD_RIGHTS.sessions.items()
               if signed_in_with == os.environ[auth.ENV_COORDINATION]]
    assert allowed and all(auth.UPLOAD_RIGHTS.allows(session) for session in allowed)

    monkeypatch.setenv(auth.ENV_COORDINATION, auth.hash_password("nouveau-mot-de-passe-2026"))
    assert not any(auth.UPLOAD_RIGHTS.allows(session) for session in allowed)  # before any run of her page
    next(b for b in at.button if b.label == "Importer").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not any("Import n°" in s.value for s in at.success), [s.value for s in at.success]
    assert [w.value for w in at.warning if "a changé depuis votre connexion" in w.value] == [
        "Le mot de passe du rôle coordination a changé depuis votre connexion : vous avez été déconnecté(e). "
        "Reconnectez-vous avec le nouveau mot de passe."]
    assert "role" not in at.session_state and SIGNED_IN_WITH not in at.session_state
    assert not at.get("file_uploader") and write_widgets(at) == []
    assert not any(session in auth.UPLOAD_RIGHTS.sessions for session in allowed)
    at.run()  # said once
    assert not any("a changé" in w.value for w in at.warning)

    sign_in(at, PASSWORD)
    assert any("Mot de passe incorrect" in e.value for e in at.error)
    _throttle.clear()
    sign_in(at, "nouveau-mot-de-passe-2026")
    # Nothing was imported by the click: the same file brings the same new values.
    assert {m.label: m.value for m in upload_good(at).metric}["Nouvelles valeurs"] == new_values


def test_a_removed_password_signs_out_too(monkeypatch):
    at = sign_in(open_page("pages/7_Historique.py"))
    assert at.session_state["role"] == "coordination"
    monkeypatch.delenv(auth.ENV_COORDINATION)
    at.run()
    assert "role" not in at.session_state
    assert any("n'a plus de mot de passe" in w.value for w in at.warning), [w.value for w in at.warning]
    assert write_widgets(at) == []


def test_a_write_checks_the_password_in_force_too(monkeypatch):
    """The role is checked right before each write (`actions._write`), not only when the page starts."""

    def write_after_change() -> None:
        import os

        import streamlit as st

        from lne_data import auth as roles
        from lne_data import ui
        from lne_data.ui.auth import SIGNED_IN_WITH

        st.session_state["role"] = "coordination"
        st.session_state[SIGNED_IN_WITH] = os.environ[roles.ENV_COORDINATION]
        assert ui.is_coordinator()
        os.environ[roles.ENV_COORDINATION] = roles.hash_password("autre-mot-de-passe-2026")
        try:
            ui.undo(1)
            st.session_state["outcome"] = "écrit"
        except ui.NotAllowed as exc:
            st.session_state["outcome"] = f"refusé : {exc}"

    monkeypatch.setenv(auth.ENV_COORDINATION, auth.hash_password(PASSWORD))  # restored after the test
    at = AppTest.from_function(write_after_change, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["outcome"] == "refusé : L'annulation est réservée au rôle coordination."
    assert "role" not in at.session_state
