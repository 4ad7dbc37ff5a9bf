"""The command line never ends in a traceback (but for a bug of ours), never waits forever, and a refused command
creates nothing.

Seen before: `import --db` into a missing folder created the folder and an empty database, then ended in a
traceback; `template -o` into a missing folder ended in a traceback; `check /dev/zero` read forever; `check` on a
FIFO waited forever for a writer; `template --periode 2031-T1` wrote a template for a quarter outside the roadmap.
Each case runs the command line's `main` (`run_cli`, in this process): exit status 2, a French message on stderr,
no traceback, and the folder left exactly as it was. The cases on a FIFO or a device, which could wait forever, run
`python -m lne_data` in a child process with a time limit, so that a hang fails instead of blocking the tests.

The dashboard started while the command line holds the database shows a French message saying what to do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lne_data import cli, ui
from lne_data.problems import NotFound

from .conftest import ROOT, app_session, run_cli, run_cli_process

LIMIT = 60  # seconds: far more than any case needs; only a hang reaches it


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A database made by `init`, and beside it a template written by `template`."""
    path = tmp_path_factory.mktemp("cli") / "lne.duckdb"
    done = run("init", "--db", str(path))
    assert done.returncode == 0, done.stderr
    done = run("template", "--db", str(path), "--periode", "2025-T3", "-o", str(path.parent / "modele.xlsx"))
    assert done.returncode == 0, done.stderr
    return path


# Arguments naming what a command could wait on forever: those commands run in a child process.
BLOCKING = {"tube", "/dev/zero"}


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    if BLOCKING.isdisjoint(args):
        return run_cli(*args, cwd=cwd)
    try:
        return run_cli_process(*args, cwd=cwd, timeout=LIMIT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    except subprocess.TimeoutExpired:
        pytest.fail(f"« {' '.join(args)} » ne s'est pas terminée en {LIMIT} s")


def listing(folder: Path) -> dict[str, tuple[int, float]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime) for p in sorted(folder.rglob("*"))
            if not p.is_fifo()}


@pytest.fixture
def work(tmp_path, base) -> Path:
    """A folder holding a copy of the database, a FIFO, a sub-folder and a real workbook."""
    shutil.copyfile(base, tmp_path / "lne.duckdb")
    shutil.copyfile(base.parent / "modele.xlsx", tmp_path / "modele.xlsx")
    os.mkfifo(tmp_path / "tube")
    (tmp_path / "dossier").mkdir()
    return tmp_path


CASES = {
    "import dans un dossier absent": (["import", "modele.xlsx", "--db", "absent/lne.duckdb"], "n'existe pas"),
    "import dans une base absente": (["import", "modele.xlsx", "--db", "nouvelle.duckdb"], "init"),
    "annuler dans une base absente": (["annuler", "1", "--db", "nouvelle.duckdb"], "init"),
    "init dans un dossier absent": (["init", "--db", "absent/lne.duckdb"], "dossier absent"),
    "historique sur un tube": (["historique", "--db", "tube"], "tube"),
    "init sur un dossier": (["init", "--db", "dossier"], "dossier"),
    "template dans un dossier absent": (["template", "--periode", "2026-T1", "-o", "absent/m.xlsx"], "absent"),
    "template sur un dossier": (["template", "--periode", "2026-T1", "-o", "dossier"], "dossier"),
    "template sur un tube": (["template", "--periode", "2026-T1", "-o", "tube"], "tube"),
    "template hors feuille de route": (["template", "--periode", "2031-T1", "-o", "m.xlsx"], "2024-2027"),
    "template, période illisible": (["template", "--periode", "bientôt", "-o", "m.xlsx"], "2026-T1"),
    "rapport hors feuille de route": (["report", "--periode", "2031-T1", "--format", "xlsx", "-o", "r.xlsx"],
                                      "2024-2027"),
    "rapport dans un dossier absent": (["report", "--periode", "2025-T3", "--format", "xlsx", "-o", "absent/r.xlsx"],
                                       "absent"),
    "check /dev/zero": (["check", "/dev/zero"], "fichier ordinaire"),
    "check sur un tube": (["check", "tube"], "fichier ordinaire"),
    "import d'un tube": (["import", "tube"], "fichier ordinaire"),
    "init, référentiel sur un tube": (["init", "--referentiel", "tube"], "fichier ordinaire"),
    "check d'un dossier": (["check", "dossier"], "dossier"),
    "check d'un fichier absent": (["check", "absent.xlsx"], "n'existe pas"),
}


@pytest.mark.parametrize("args, said", CASES.values(), ids=CASES.keys())
def test_a_command_that_cannot_run_says_why_and_creates_nothing(work, args, said):
    if "--db" not in args:
        args = [*args, "--db", "lne.duckdb"]
    before = listing(work)
    done = run(*args, cwd=work)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and said in done.stderr, done.stderr
    assert done.stdout == ""
    assert listing(work) == before


def test_a_database_without_the_dashboards_tables_is_refused_without_a_traceback(work):
    import duckdb

    duckdb.connect(str(work / "vide.duckdb")).close()
    for args in (["import", "modele.xlsx"], ["check", "modele.xlsx"], ["historique"]):
        done = run(*args, "--db", "vide.duckdb", cwd=work)
        assert done.returncode == 2 and "Traceback" not in done.stderr and "init" in done.stderr, done.stderr


def test_a_template_is_written_whole_where_asked(work):
    """The other side: with a folder that exists, the template is written, and no temporary file is left."""
    done = run("template", "--periode", "2026-T1", "-o", "dossier/m.xlsx", "--db", "lne.duckdb", cwd=work)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in (work / "dossier").iterdir()] == ["m.xlsx"]


@pytest.fixture
def held(tmp_path, base, monkeypatch):
    """The dashboard's database, held by another process as the command line holds it during an import."""
    path = tmp_path / "app.duckdb"
    shutil.copyfile(base, path)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys\n"
                               f"con = duckdb.connect({str(path)!r})\nprint('ouverte', flush=True)\nsys.stdin.read()"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ouverte"
        yield from app_session(path, monkeypatch)
    finally:
        holder.stdin.close()
        holder.wait(timeout=LIMIT)


def test_the_dashboard_says_in_french_that_the_command_line_holds_the_database(held):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] and "occupée par un autre programme" in at.error[0].value
    assert "ligne de commande" in at.error[0].value and "rechargez la page" in at.error[0].value
    assert not at.get("plotly_chart") and not at.get("metric")


def test_the_dashboard_opens_once_the_database_is_free(tmp_path, base, monkeypatch):
    """Nothing of the failure is kept: the first visit after the command line has finished works."""
    path = tmp_path / "app.duckdb"
    shutil.copyfile(base, path)
    for _ in app_session(path, monkeypatch):
        holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, sys\ncon = duckdb.connect({str(path)!r})\n"
                                   "print('ouverte', flush=True)\nsys.stdin.read()"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "ouverte"
        first = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        assert first.error and not first.exception
        holder.stdin.close()
        holder.wait(timeout=LIMIT)
        second = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        assert not second.exception and not second.error, [e.value for e in second.error]


def test_a_dashboard_pointed_at_a_missing_folder_says_so_in_french(tmp_path, monkeypatch):
    for _ in app_session(tmp_path / "absent" / "lne.duckdb", monkeypatch):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        assert not at.exception, [e.value for e in at.exception]
        assert "ne peut pas être ouverte" in at.error[0].value
        assert str(tmp_path) not in at.error[0].value  # the path is for the server's log, not for visitors
        assert not (tmp_path / "absent").exists()


def test_a_bug_in_a_command_ends_in_its_traceback_not_in_a_french_refusal(monkeypatch, capsys):
    """A KeyError is a LookupError: caught as « not found », it would reach the user as a refusal, without the
    traceback that says where the bug is."""
    def broken(args):
        return {}["absent"]

    monkeypatch.setattr(cli, "cmd_history", broken)
    with pytest.raises(KeyError, match="absent"):
        cli.main(["historique"])
    assert capsys.readouterr().err == ""


def test_what_does_not_exist_is_refused_in_french(monkeypatch, capsys):
    def missing(args):
        raise NotFound("La clôture n°99 n'existe pas.")

    monkeypatch.setattr(cli, "cmd_history", missing)
    assert cli.main(["historique"]) == cli.EXIT_REJECTED
    assert capsys.readouterr().err == "La clôture n°99 n'existe pas.\n"


def test_a_bug_in_a_page_data_call_is_not_shown_as_a_missing_fiche():
    with pytest.raises(KeyError):
        ui.guarded(lambda: {}["absent"])
