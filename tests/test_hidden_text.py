"""What cannot be seen is shown, what a terminal would obey is not, and a bad setting is said, never a traceback.

Seen by a hostile tester (issue 21): « Lot Numérique » followed by a zero-width space, as an indicator code of a
quarterly workbook or a porteur of the reference workbook, was refused as unknown with a message showing
« Lot Numérique » — the same name as the known one; an import whose file was named `\\x1b[31mrouge.xlsx` coloured
the terminal of whoever ran `historique`; `LNE_AUJOURDHUI=2026-02-30` ended `check` in a traceback; and the command
line's undo in shared mode left every dashboard showing the undone value, without a word.

Each command runs through the command line's `main` in this process (`run_cli`: its exit status, what it printed);
one runs in a child process as the coordinatrice runs it, where a traceback would show. Every refusal leaves the
database exactly as it was (`dump`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from lne_data import cibles, db, periodes, saisie, snapshots, versions
from lne_data.problems import RejectedInput, quote, visible
from lne_data.referentiel import read_referentiel

from .conftest import GOOD, REFERENTIEL, ROOT, TODAY, app_session, dump, edit_workbook, run_cli, run_cli_process
from .hostile import workbook

ZWSP = "\u200b"
HIDDEN = {
    "\u200b": "⟨U+200B⟩", "\u200c": "⟨U+200C⟩", "\u200d": "⟨U+200D⟩", "\u2060": "⟨U+2060⟩", "\ufeff": "⟨U+FEFF⟩",
    "\u00a0": "⟨U+00A0⟩", "\u00ad": "⟨U+00AD⟩", "\u200e": "⟨U+200E⟩", "\u200f": "⟨U+200F⟩", "\u202e": "⟨U+202E⟩",
    "\u2066": "⟨U+2066⟩", "\x1b": "⟨U+001B⟩", "\x07": "⟨U+0007⟩", "\x0b": "⟨U+000B⟩", "\x9b": "⟨U+009B⟩",
    "\n": "⟨U+000A⟩", "\u3164": "⟨U+3164⟩", "\U000e0041": "⟨U+E0041⟩",
}
ESCAPED_NAME = "\x1b[31mrouge\x1b]0;titre piégé\x07.xlsx"
CONTROLS = ("\x1b", "\x07", "\x9b")


def env(**values: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "LNE_AUJOURDHUI": TODAY.isoformat(), **values}


def state(path: Path) -> dict:
    with duckdb.connect(str(path), read_only=True) as con:
        return dump(con)


def assert_said(done, status: int, *words: str) -> None:
    assert done.returncode == status, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    for word in words:
        assert word in done.stdout + done.stderr, (word, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cachee") / "lne.duckdb"
    assert_said(run_cli("init", "--db", str(path), env=env()), 0)
    return path


@pytest.fixture
def base_copy(base: Path, tmp_path: Path) -> Path:
    path = tmp_path / "lne.duckdb"
    path.write_bytes(base.read_bytes())
    return path


# --------------------------------------------------------------------------------------------------
# One function renders a user's value for a message
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("char", "shown"), HIDDEN.items())
def test_every_invisible_or_controlling_character_is_shown_by_its_code_point(char, shown):
    assert visible(f"Lot Numérique{char}") == f"Lot Numérique{shown}"
    assert quote(f"a{char}b") == f"« a{shown}b »"


def test_ordinary_text_is_left_as_it_is():
    text = "Préfecture du Lot — « 1 234,5 » œuvre, 😀, F06-I1, l'été"
    assert visible(text) == text
    # The French numbers of our own messages keep their no-break spaces; a user's value shows them.
    assert visible("1\u202f234\u00a0€", spaces=False) == "1\u202f234\u00a0€"
    assert visible("1\u202f234") == "1⟨U+202F⟩234"


def test_a_quoted_value_stays_bounded_whatever_it_holds():
    assert len(quote(ZWSP * 10_000)) < 80 * len("⟨U+200B⟩") + 10


# --------------------------------------------------------------------------------------------------
# A zero-width space in a code or a structure name
# --------------------------------------------------------------------------------------------------


def test_an_indicator_code_with_a_zero_width_space_is_shown_with_it(con):
    data = workbook([[6, f"Lot Numérique{ZWSP}", "2025-T3", 3, None, None],
                     [6, f"F06-I1{ZWSP}", "2025-T3", 3, None, None]])
    validation = saisie.check_file(data, "saisie.xlsx", saisie.load_context(con, today=TODAY))
    messages = [p.message for p in validation.errors if p.code == "saisie-indicateur-inconnu"]
    assert any("« Lot Numérique⟨U+200B⟩ »" in m for m in messages), messages
    assert any("« F06-I1⟨U+200B⟩ »" in m for m in messages), messages


def test_check_and_import_show_the_zero_width_space_and_write_nothing(base_copy, tmp_path):
    path = tmp_path / "saisie.xlsx"
    path.write_bytes(workbook([[6, f"Lot Numérique{ZWSP}", "2025-T3", 3, None, None]]))
    before = state(base_copy)
    for command in ("check", "import"):
        done = run_cli(command, "--db", str(base_copy), str(path), env=env())
        assert_said(done, 1, "saisie-indicateur-inconnu", "« Lot Numérique⟨U+200B⟩ »")
    assert state(base_copy) == before


def porteur_with_zero_width_space() -> bytes:
    def change(wb) -> None:
        sheet = wb["porteurs"]
        column = [c.value for c in sheet[1]].index("structure") + 1
        sheet.cell(row=2, column=column).value = f"Lot Numérique{ZWSP}"

    return edit_workbook(REFERENTIEL.read_bytes(), change)


def test_a_porteur_with_a_zero_width_space_is_shown_with_it(base_copy, tmp_path):
    data = porteur_with_zero_width_space()
    with pytest.raises(RejectedInput) as refused:
        read_referentiel(data)
    assert any(p.code == "referentiel-structure-inconnue" and "« Lot Numérique⟨U+200B⟩ »" in p.message
               for p in refused.value.problems), [p.message for p in refused.value.problems]
    path = tmp_path / "referentiel.xlsx"
    path.write_bytes(data)
    before = state(base_copy)
    done = run_cli("init", "--db", str(base_copy), "--referentiel", str(path), "--appliquer", env=env())
    assert_said(done, 1, "referentiel-structure-inconnue", "« Lot Numérique⟨U+200B⟩ »")
    assert state(base_copy) == before


def test_options_with_a_zero_width_space_are_shown_with_it(base_copy, tmp_path):
    before = state(base_copy)
    done = run_cli("template", "--db", str(base_copy), "--periode", "2025-T3", "--porteur", f"Lot Numérique{ZWSP}",
                   "-o", str(tmp_path / "modele.xlsx"), env=env())
    assert_said(done, 1, "« Lot Numérique⟨U+200B⟩ » ne porte aucune fiche")
    done = run_cli("cible", "--db", str(base_copy), f"F03-I1{ZWSP}", "--valeur", "120", "--motif", "essai",
                   env=env())
    assert_said(done, 1, "cible-indicateur-inconnu", "« F03-I1⟨U+200B⟩ »")
    assert state(base_copy) == before
    assert not (tmp_path / "modele.xlsx").exists()


# --------------------------------------------------------------------------------------------------
# What the command line prints never drives the terminal
# --------------------------------------------------------------------------------------------------


def test_an_escape_sequence_in_a_file_name_is_printed_visibly(base_copy):
    con = db.connect(base_copy)
    validation = saisie.check_file(workbook(GOOD), ESCAPED_NAME, saisie.load_context(con, today=TODAY))
    assert validation.ok, validation.errors
    saisie.import_file(con, validation, auteur="Claire\x1b[2J")
    con.close()
    for args in (("historique",), ("annuler", "1", "--auteur", "Léa\x1b]0;x\x07"), ("historique",),
                 ("cible", "F03-I1", "--valeur", "120", "--motif", "vu\x1b[5m en comité\u202e",
                  "--auteur", "Jo\x07"), ("cible", "--historique")):
        done = run_cli(*args, "--db", str(base_copy), env=env())
        assert_said(done, 0)
        for control in CONTROLS:
            assert control not in done.stdout + done.stderr, (args, done.stdout, done.stderr)
    done = run_cli("historique", "--db", str(base_copy), env=env())
    assert "« ⟨U+001B⟩[31mrouge⟨U+001B⟩]0;titre piégé⟨U+0007⟩.xlsx »" in done.stdout, done.stdout
    assert "Claire⟨U+001B⟩[2J" in done.stdout and "par Léa⟨U+001B⟩]0;x⟨U+0007⟩" in done.stdout, done.stdout
    done = run_cli("cible", "--historique", "--db", str(base_copy), env=env())
    assert "vu⟨U+001B⟩[5m en comité⟨U+202E⟩" in done.stdout and "Jo⟨U+0007⟩" in done.stdout, done.stdout


def test_json_output_stays_exact_and_escapes_what_a_terminal_would_obey(tmp_path):
    path = tmp_path / "lne.duckdb"
    author = "Claire\x1b[31m\u202e\x9b\u00a0"
    assert_said(run_cli("init", "--db", str(path), "--auteur", author, env=env()), 0)
    done = run_cli("versions", "--json", "--db", str(path), env=env())
    assert_said(done, 0)
    assert json.loads(done.stdout)[0]["charge_par"] == author
    assert not any(c in done.stdout for c in (*CONTROLS, "\u202e")), done.stdout
    assert "\\u001b" in done.stdout and "\\u202e" in done.stdout


def test_a_path_with_an_escape_sequence_is_printed_visibly(base_copy, tmp_path):
    done = run_cli("check", "--db", str(base_copy), str(tmp_path / "\x1b[31mabsent.xlsx"), env=env())
    assert_said(done, 2, "⟨U+001B⟩[31mabsent.xlsx")
    assert "\x1b" not in done.stderr


# --------------------------------------------------------------------------------------------------
# LNE_AUJOURDHUI that is not a day
# --------------------------------------------------------------------------------------------------

COMMANDS = [
    ("init",), ("versions",), ("versions", "--annuler", "2"), ("summary",), ("check", "{saisie}"),
    ("import", "{saisie}"), ("template", "--periode", "2025-T3", "-o", "{out}"),
    ("report", "--periode", "2025-T3", "--format", "xlsx", "-o", "{out}"), ("cible", "F03-I1", "--valeur", "120",
                                                                             "--motif", "essai"),
    ("cible", "--historique"), ("historique",), ("annuler", "1"),
]


@pytest.mark.parametrize("value", ["2026-02-30", "28/11/2026", "20261128", "2026-11-28\x1b[31m"])
def test_an_impossible_today_is_said_in_french(value):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(periodes.ENV_AUJOURDHUI, value)
        with pytest.raises(periodes.InvalidToday) as refused:
            periodes.today()
    message = str(refused.value)
    assert periodes.ENV_AUJOURDHUI in message and "AAAA-MM-JJ" in message and visible(value) in message


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_refuses_an_impossible_today_with_exit_status_2(base_copy, tmp_path, command):
    saisie_path = tmp_path / "saisie.xlsx"
    saisie_path.write_bytes(workbook(GOOD))
    args = [a.format(saisie=saisie_path, out=tmp_path / "sortie.xlsx") for a in command]
    before = state(base_copy)
    done = run_cli(*args, "--db", str(base_copy), env=env(LNE_AUJOURDHUI="2026-02-30"))
    assert_said(done, 2, "LNE_AUJOURDHUI", "« 2026-02-30 »", "AAAA-MM-JJ")
    assert state(base_copy) == before
    assert not (tmp_path / "sortie.xlsx").exists()


def test_the_password_command_refuses_an_impossible_today_too():
    done = run_cli_process("mot-de-passe", env=env(LNE_AUJOURDHUI="2026-02-30"))
    assert_said(done, 2, "LNE_AUJOURDHUI", "AAAA-MM-JJ")


@pytest.fixture
def dashboard(tmp_path, monkeypatch):
    yield from app_session(tmp_path / "lne.duckdb", monkeypatch)


def test_the_dashboard_says_an_impossible_today_in_french(dashboard, tmp_path, monkeypatch):
    monkeypatch.setenv(periodes.ENV_AUJOURDHUI, "2026-02-30")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [e.value.replace("\\", "") for e in at.error]  # escaped for Markdown: LNE\_AUJOURDHUI
    assert any("LNE_AUJOURDHUI" in e and "« 2026-02-30 »" in e and "AAAA-MM-JJ" in e for e in shown), shown
    assert not (tmp_path / "lne.duckdb").exists()  # stopped before the database was even opened


# --------------------------------------------------------------------------------------------------
# Shared mode: the command line's writes are published
# --------------------------------------------------------------------------------------------------


def prepare(con) -> None:
    db.migrate(con)
    if not con.execute("SELECT count(*) FROM fiches").fetchone()[0]:
        versions.load(con, read_referentiel(REFERENTIEL.read_bytes()))


@pytest.fixture
def shared(tmp_path: Path) -> snapshots.SnapshotStore:
    folder = tmp_path / "instantanes"
    folder.mkdir()
    store = snapshots.SnapshotStore(tmp_path / "maitre.duckdb", folder)
    store.prepare(prepare)
    with store.write() as con:
        validation = saisie.check_file(workbook(GOOD), "saisie.xlsx", saisie.load_context(con, today=TODAY))
        saisie.import_file(con, validation, auteur="Claire")
    return store


def shared_env(store: snapshots.SnapshotStore) -> dict[str, str]:
    return env(LNE_DB=str(store.master), LNE_INSTANTANES=str(store.folder))


def values(store: snapshots.SnapshotStore) -> int:
    store.refresh()
    return store.connection().execute("SELECT count(*) FROM saisies WHERE NOT exemple").fetchone()[0]


def test_the_command_lines_undo_in_shared_mode_is_published(shared):
    assert values(shared) > 0
    before = shared.generation()
    done = run_cli("annuler", "1", env=shared_env(shared))
    assert_said(done, 0, "Import n°1 annulé", f"Instantané n°{before + 1} publié")
    assert shared.generation() == before + 1
    assert values(shared) == 0  # what every dashboard reads now: the undone values are gone


def test_the_command_lines_target_and_version_writes_in_shared_mode_are_published(shared):
    before = shared.generation()
    done = run_cli("cible", "F03-I1", "--valeur", "154", "--motif", "comité", env=shared_env(shared))
    assert_said(done, 0, "publié")
    done = run_cli("cible", "--annuler", "1", env=shared_env(shared))
    assert_said(done, 0, "publié")
    assert shared.generation() == before + 2
    shared.refresh()
    history = cibles.history(shared.connection())
    assert len(history) == 1 and history["annulee_par"].notna().all()


def test_a_refused_undo_in_shared_mode_changes_nothing_and_says_no_publication(shared):
    before = state(shared.master)
    for args in (("annuler", "99"), ("versions", "--annuler", "1"), ("cible", "--annuler", "7")):
        done = run_cli(*args, env=shared_env(shared))
        assert_said(done, 1)
        assert "publié" not in done.stdout
    assert state(shared.master) == before


def test_another_database_than_the_master_is_not_published(shared, base_copy):
    before = shared.generation()
    done = run_cli("cible", "--db", str(base_copy), "F03-I1", "--valeur", "154", "--motif", "essai",
                   env=shared_env(shared))
    assert_said(done, 0)
    assert "publié" not in done.stdout and shared.generation() == before


def test_without_lne_instantanes_the_undo_says_the_dashboards_show_the_old_state(tmp_path):
    master = tmp_path / "lne.duckdb"
    folder = tmp_path / "lne.duckdb.instantanes"  # deploy.shared's default folder
    folder.mkdir()
    store = snapshots.SnapshotStore(master, folder)
    store.prepare(prepare)
    with store.write() as con:
        validation = saisie.check_file(workbook(GOOD), "saisie.xlsx", saisie.load_context(con, today=TODAY))
        saisie.import_file(con, validation, auteur="Claire")
    generation = store.generation()
    done = run_cli("annuler", "1", "--db", str(master), env=env())
    assert_said(done, 0, "Import n°1 annulé", "l'état d'avant", "python -m lne_data.snapshots",
                f"LNE_INSTANTANES={folder}")
    assert store.generation() == generation
