"""The README is part of the product: its tables and commands must match the code."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

from lne_data import cli, codes, referentiel, saisie

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(title)
    following = README.find("\n## ", start + 1)
    return README[start: following if following != -1 else None]


def test_every_reference_column_is_documented():
    doc = section("## The reference workbook")
    for sheet, columns in referentiel.SHEETS.items():
        assert f"#### `{sheet}`" in doc, sheet
        block = doc[doc.index(f"#### `{sheet}`"):]
        block = block[: block.find("\n#### ", 5) if "\n#### " in block[5:] else None]
        for column in columns:
            assert f"`{column.name}`" in block, (sheet, column.name)


def test_every_quarterly_column_and_choice_is_documented():
    doc = section("## The quarterly workbook (contract)")
    for column in [*saisie.SAISIE_COLUMNS, *saisie.SUIVI_COLUMNS]:
        assert f"`{column.name}`" in doc, column.name
    for choice in [*saisie.STATUTS, *saisie.METEOS, *saisie.LIVRABLE]:
        assert f"`{choice}`" in doc, choice


def test_every_command_is_documented():
    doc = section("## Command line")
    commands = cli.build_parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert re.search(rf"\| `{re.escape(name)}\b", doc), name


def test_the_two_setup_commands_exist_and_ci_runs_the_test_command():
    setup = section("## Set-up on a fresh machine")
    commands = re.findall(r"```\n(.+?)\n```", setup)
    assert commands == ["./scripts/run.sh", "./scripts/test.sh"]
    for command in commands:
        assert (ROOT / command).stat().st_mode & 0o111, command
    assert "./scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


# Problem codes and settings: `lne_data/codes.py` is the registry; the sources are scanned for what they raise and
# read, so that a new code or setting cannot be added without its entry and its line in the README.

RAISERS = {"Problem", "problem", "bad", "at", "reject"}
# Calls that pass on a code built elsewhere (the helpers themselves, regrouping, the child's problems).
PASSED_ON = {"problem.code", "first.code", "code", "c", "*args", "*fields",
             "f'{P}-{code}'", "f'{P}-suivi-{code}'", "f'{prefix}-{code}'"}
SHEET_SUFFIXES = {c.code for c in codes.SHEET_CODES}


def sources() -> list[Path]:
    """Every module of the package, those of its subpackages (`versions/store.py`…) included."""
    return sorted((ROOT / "lne_data").rglob("*.py"))


def module_of(path: Path) -> str:
    """The module as the package's code names it: `saisie` for `saisie.py` and for `saisie/check.py` alike."""
    return path.relative_to(ROOT / "lne_data").parts[0].removesuffix(".py")


def raised() -> list[tuple[str, set[str], bool]]:
    """(where, the full codes a call can raise, whether it warns) for every call raising a literal code."""
    found = []
    for path in sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = module_of(path)
        prefix = {"saisie": "saisie-", "referentiel": "referentiel-"}.get(module, "")
        for top in tree.body:
            for node in ast.walk(top):
                name = isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None))
                if name not in RAISERS:
                    continue
                argument = node.args[3 if name == "at" else 0]
                where, text = f"{path.relative_to(ROOT)}:{node.lineno}", ast.unparse(argument)
                if text in PASSED_ON:
                    continue
                warns = any(isinstance(a, ast.Constant) and a.value == "avertissement"
                            for a in [*node.args, *(k.value for k in node.keywords)])
                if isinstance(argument, ast.Constant):
                    code = argument.value
                    if name in ("Problem", "reject"):
                        full = {code}
                    elif module == "sheets":
                        full = {p + code for p in codes.SHEET_PREFIXES}
                    elif module == "saisie" and path.name == "depenses.py":  # the sheet « Dépenses »
                        full = {"saisie-depenses-" + code}
                    elif module == "saisie":
                        # check_periode reports through the Saisie sheet's helper, the Suivi sheet's and the
                        # Dépenses sheet's.
                        full = {"check_suivi": {"saisie-suivi-" + code},
                                "check_periode": {"saisie-" + code, "saisie-suivi-" + code,
                                                  "saisie-depenses-" + code}}.get(
                            getattr(top, "name", ""), {"saisie-" + code})
                    else:
                        full = {prefix + code}
                elif isinstance(argument, ast.IfExp):  # `"referentiel-x" if … else "version-x"`: both raised
                    assert isinstance(argument.body, ast.Constant) and isinstance(argument.orelse, ast.Constant), \
                        (where, text)
                    full = {argument.body.value, argument.orelse.value}
                else:
                    assert isinstance(argument, ast.JoinedStr) and len(argument.values) == 2, (where, text)
                    head, tail = argument.values
                    assert isinstance(head, ast.FormattedValue) and isinstance(head.value, ast.Name), (where, text)
                    assert isinstance(tail, ast.Constant), (where, text)
                    full = ({p + tail.value[1:] for p in codes.SHEET_PREFIXES} if head.value.id == "prefix"
                            else {prefix + tail.value[1:]})
                found.append((where, full, warns))
    return found


def test_every_code_raised_is_in_the_registry_with_its_level():
    calls = raised()
    assert len(calls) > 100  # the scan sees the sources
    for where, full, warns in calls:
        for code in full:
            assert code in codes.CODES, (where, code)
            assert (codes.CODES[code].level == "avertissement") == warns, (where, code)


def test_every_registry_code_is_raised():
    seen = {code for _, full, _ in raised() for code in full}
    family = {p + c.code for p in codes.SHEET_PREFIXES for c in codes.SHEET_CODES}
    assert set(codes.CODES) - family <= seen, set(codes.CODES) - family - seen
    assert {code.removeprefix("saisie-") for code in seen} >= SHEET_SUFFIXES


def test_every_registry_code_is_in_the_readme():
    doc = section("## Problem codes")
    for suffix in SHEET_SUFFIXES:
        assert f"| `{suffix}` |" in doc, suffix
    for code in codes.CODES:
        if not any(code == p + s for p in codes.SHEET_PREFIXES for s in SHEET_SUFFIXES):
            assert f"| `{code}` |" in doc, code
    for code in codes.FILE_LEVEL_CODES:
        assert code in section("## The quarterly workbook (contract)"), code
    for line in codes.markdown().splitlines():  # titles and fixes as in the registry: `python -m lne_data.codes`
        assert line in README, line


def test_every_setting_read_is_in_the_registry_and_the_readme():
    read_from = [*sources(), ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "deploy").glob("*.py"),
                 *(p for p in (ROOT / "scripts").iterdir() if p.is_file())]
    read = {name for path in read_from for name in re.findall(r"\bLNE_[A-Z_]+\b", path.read_text(encoding="utf-8"))}
    secrets = set(re.findall(r"section\.get\(\"(\w+)\"", (ROOT / "lne_data" / "auth.py").read_text()))
    assert {"LNE_DB", "LNE_INSTANTANES"} <= read and "coordination_hash" in secrets
    assert read == {s.env for s in codes.SETTINGS if s.env}
    assert secrets == {s.secret for s in codes.SETTINGS if s.secret}
    doc = section("## Settings")
    for setting in codes.SETTINGS:
        assert f"`{setting.env or setting.secret}`" in doc, setting


def test_the_architecture_names_every_module_and_the_overview_budget_path():
    doc = section("## Architecture")
    # A module has its row; a package's submodule has a row of its own (`ui.frame`) or is named in its package's row.
    for path in sources():
        parts = path.relative_to(ROOT / "lne_data").with_suffix("").parts
        name = ".".join(parts).removesuffix(".__init__")
        if name == "__init__":
            continue
        if re.search(rf"^\| [a-z ]+ \| [^|]*`{re.escape(name)}`[^|]*\|", doc, re.MULTILINE):
            continue
        assert len(parts) == 2, name
        row = re.search(rf"^\| [a-z ]+ \| [^|]*`{re.escape(parts[0])}`[^|]*\|.*$", doc, re.MULTILINE)
        assert row and (f"`{parts[1]}`" in row.group(0) or f"`{name}`" in row.group(0)), name
    for name in ("ui.overview", "views.overview", "views.ensemble._key_figures", "rules.fiche_amounts",
                 "rules.axe_totals"):
        assert f"`{name}`" in doc, name
    glossary = doc[doc.index("### Glossary"):]
    for term in ("fiche", "axe", "objectif", "porteur", "partenaire", "moyens", "indicateur", "cible", "saisie",
                 "suivi", "période", "clôture", "comité", "ETP", "non chiffré", "périodicité", "version",
                 "instantané"):
        assert re.search(rf"^\| [^|]*\b{term}\b", glossary, re.MULTILINE), term


# Dependencies (README « Dependencies »): what the code imports is declared in the requirements file of where it runs,
# and the locks that scripts/_setup.sh installs pin every package those files name.

# The first part of a path → the requirements file its imports must be declared in (with those it includes).
DECLARED_IN = {"tests": "requirements-dev.txt", "bench": "bench/requirements.txt"} | dict.fromkeys(
    ("lne_data", "app.py", "pages", "server.py", "deploy", "tools"), "requirements.txt")
LOCKS = {"requirements.txt": "requirements.lock", "requirements-dev.txt": "requirements-dev.lock"}


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(path: Path) -> dict[str, str | None]:
    """Every package a requirements file names, those of the files it includes (`-r`) too → its pinned version."""
    found: dict[str, str | None] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found |= requirements(path.parent / line[3:].strip())
        elif line:
            spec = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?:==\s*(\S+))?.*", line)
            assert spec, (path.name, line)
            found[normalized(spec.group(1))] = spec.group(2)
    return found


def locked(path: Path) -> dict[str, str]:
    """A lock's pins, each checked to carry a hash (pip refuses the file otherwise, as scripts/_setup.sh runs it)."""
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})*)",
                      path.read_text(encoding="utf-8"), re.MULTILINE)
    assert pins, path.name
    for name, version, hashes in pins:
        assert hashes, f"{path.name}: {name}=={version} has no hash"
    return {normalized(name): version for name, version, _ in pins}


def third_party_imports() -> dict[str, set[str]]:
    """Each project file (relative path) → the top-level modules it imports that are neither standard nor ours."""
    paths = sorted(p for p in ROOT.rglob("*.py")
                   if not any(part.startswith(".") or part == "node_modules" for part in p.relative_to(ROOT).parts))
    ours = {p.stem for p in paths} | {p.parent.name for p in paths if p.name == "__init__.py"}
    found = {}
    for path in paths:
        modules = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.partition(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.partition(".")[0])
        found[path.relative_to(ROOT).as_posix()] = modules - set(sys.stdlib_module_names) - ours
    return found


def test_every_third_party_import_is_declared_where_that_code_runs():
    # A module's distribution as installed (`pptx` is python-pptx); one not installed here (a benchmark's reader)
    # is taken to be named as its module.
    distributions = importlib.metadata.packages_distributions()
    missing = []
    imports = third_party_imports()
    assert "websockets" in imports["deploy/warm_visit.py"] and "starlette" in imports["server.py"]
    for path, modules in imports.items():
        where = DECLARED_IN.get(path.split("/")[0])
        assert where, f"{path}: which requirements file declares its imports?"
        declared = requirements(ROOT / where)
        for module in sorted(modules):
            names = {normalized(d) for d in distributions.get(module, [module])}
            if not names & declared.keys():
                missing.append(f"{path}: {module} ({' or '.join(sorted(names))}) not in {where}")
    assert not missing, missing


def test_the_locks_pin_every_requirement_at_its_version_and_the_tests_run_them():
    for source, lock in LOCKS.items():
        pins = locked(ROOT / lock)
        for name, version in requirements(ROOT / source).items():
            assert name in pins, f"{name} ({source}) is not in {lock}: run ./scripts/lock.sh"
            assert version in (None, pins[name]), f"{name}=={version} ({source}) but {pins[name]} in {lock}"
    # The dev lock is resolved within the runtime one: the tests run the versions the dashboard runs.
    runtime, dev = locked(ROOT / "requirements.lock"), locked(ROOT / "requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime
    # And this environment is the lock's (scripts/test.sh installs it before running the tests).
    installed = {name: importlib.metadata.version(name) for name in dev}
    assert installed == dev


def test_the_readme_speaks_first_to_the_people_who_use_it():
    """Set-up says which port and how long the first start takes, then how to set the coordination password (12
    characters, no restart); the coordinatrice's and the élus' guides come before the architecture."""
    setup = section("## Set-up on a fresh machine")
    assert "PORT=" in setup and "first start" in setup
    password = setup.index("mot-de-passe --ecrire")
    assert setup.index("```\n./scripts/test.sh\n```") < password < setup.index("--fast")  # right after the two
    assert "12 characters" in setup and "No restart" in " ".join(setup.split())
    coordinatrice, elus = README.index("## Guide de la coordinatrice"), README.index("## Guide des élus")
    assert coordinatrice < elus < README.index("## Architecture")
    guide = section("## Guide de la coordinatrice")
    steps = [guide.index(f"**{step}**") for step in ("Modèle", "Relance", "Dépôt", "Import", "Clôture")]
    assert steps == sorted(steps)
