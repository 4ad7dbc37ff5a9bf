"""What every export to a tool is: `Format`, one entry of the registry (`lne_data.outils.FORMATS`) that the command
line's `export --format` and the « Exports » page both read, so that a file, its name and what is said about it
exist once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Format:
    """One file the dashboard writes for a tool of the State or for open data.

    `ecrire` gives the file's bytes from the database (a read-only connection will do: the writers read through the
    read models); a `dossier` format is a folder (the data package): its bytes are a zip of the folder, downloaded as
    such from the page and unpacked in place by the command line. `a_verifier`, when given, says from the data what
    the file leaves to be done before the tool takes it (a field the roadmap does not give, a fiche the tool will
    refuse): the page shows it under the button, the command line prints it after writing."""

    nom: str  # the command line's `--format`: « datapackage »
    outil: str  # the tool the file is for, one section of the page: « Données ouvertes (data.gouv.fr) »
    libelle: str  # what the file is, as its button and the command line say it
    fichier: str  # the name the page offers the download under
    mime: str
    pour: str  # what the file is for, in one paragraph (French)
    ensuite: tuple[str, ...]  # what the person must still do in the tool, step by step (French)
    ecrire: Callable[[duckdb.DuckDBPyConnection], bytes]
    dossier: bool = False
    a_verifier: Callable[[duckdb.DuckDBPyConnection], list[str]] | None = None

    def remarques(self, con: duckdb.DuckDBPyConnection) -> list[str]:
        """What is left to do for this database's data (empty when nothing is)."""
        return self.a_verifier(con) if self.a_verifier is not None else []


@dataclass(frozen=True)
class Outil:
    """A tool and the files the dashboard writes for it, in the page's order."""

    nom: str
    formats: tuple[Format, ...]
