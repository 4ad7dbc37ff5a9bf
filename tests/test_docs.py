"""The README is part of the product: its tables and commands must match the code."""

from __future__ import annotations

import re

from lne_data import cli, referentiel, saisie

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
