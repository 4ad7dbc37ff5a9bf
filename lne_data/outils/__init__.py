"""The roadmap in the State's tools and in open data: one writer per format, and the registry (`FORMATS`) that the
command line's `export --format NOM -o CHEMIN` and the « Exports » page both read.

The writers are the figure step of the data flow (README « Architecture »): they read the roadmap and its entries
through the read models (`views`, `queries`) and `rules`, never an SQL statement or the database itself.

- `base`: `Format` (a file: its name, what it is for, what the person must still do in the tool, its writer) and
  `Outil` (a tool and its formats);
- `min`: Mon Inclusion Numérique, each fiche as an action of MIN in its field names (`min.JSON`), the same as a
  workbook to retype it (`min.FICHE_DE_SAISIE`), and the pre-flight of what MIN will refuse.
- `tet`: Territoires en Transitions, its plan-import workbook (`tet.PLAN`) and its indicators one value per year
  (`tet.INDICATEURS`).
- `datapackage`: the roadmap and its entries as a Frictionless Data Package, each version as an SCDL
  « Délibérations » row (open data).

A new format is one `Format` in its module and one name in `_ORDER` below: the command line offers it and the page
shows it, in its tool's section.
"""

from __future__ import annotations

from .base import Format, Outil
from .datapackage import DATAPACKAGE
from .min import FICHE_DE_SAISIE as MIN_FICHE_DE_SAISIE
from .min import JSON as MIN_JSON
from .tet import INDICATEURS as TET_INDICATEURS
from .tet import PLAN as TET_PLAN

# In the page's order: the tools first (MIN, TeT, TeT's indicators), open data last.
_ORDER: tuple[Format, ...] = (MIN_JSON, MIN_FICHE_DE_SAISIE, TET_PLAN, TET_INDICATEURS, DATAPACKAGE)

FORMATS: dict[str, Format] = {f.nom: f for f in _ORDER}


def par_outil() -> list[Outil]:
    """The tools in the page's order, each with its formats."""
    tools: dict[str, list[Format]] = {}
    for found in _ORDER:
        tools.setdefault(found.outil, []).append(found)
    return [Outil(name, tuple(formats)) for name, formats in tools.items()]


__all__ = ["FORMATS", "Format", "Outil", "par_outil"]
