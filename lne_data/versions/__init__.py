"""The living roadmap: its versions, what changed between two of them, and entries that survive them.

Every load of a référentiel workbook that changes something is a new version (number, the workbook's `version`
wording, the comité's adoption date, who loaded it, SHA-256), kept for ever with every référentiel table as it was
in force (Parquet, like a closure's frozen tables). The live tables (`fiches`, `indicateurs`…) are the version in
force, so that every read model keeps working unchanged; an older version is read through the same read models
(`reference`), from its frozen tables.

A fiche or an indicator that a version no longer has is retired (`referentiel_retraits`), not deleted: its entries
stay where they are and are shown « retiré le … ». An indicator whose meaning changes takes a new code and says
which one it replaces (`remplace`): the old one is retired with the link old → new.

The first load into an empty database rebuilds the earlier versions the workbook itself tells (`reconstruct`):
each earlier `ajoutee_le` of its fiches is a version holding the fiches added by then.

- `changes`: the rows of each table (a workbook's, the live tables', a version's) and what changed between two
  such states (`difference`, `Difference`);
- `store`: loading a workbook as the new version in force, the versions a workbook tells, undoing one;
- `meaning`: what a state about to be put in force would do to the entries and targets recorded (read under
  another meaning, left outside its years), checked before a version or an undo is applied;
- `read`: reading versions, an older one's tables in memory (which `views.version_reference` reads), and what the
  « Feuille de route » page shows.
"""

from .changes import DIFF_COLUMNS, Change, Difference, difference, state_of_referentiel
from .meaning import Risks
from .read import (
    RETIRED_COLUMNS,
    RETIRED_ENTRY_COLUMNS,
    VERSION_COLUMNS,
    VERSION_FINGERPRINT_COLUMNS,
    RetiredView,
    VersionsView,
    as_json,
    changes_of,
    difference_with_in_force,
    in_force,
    label,
    restored,
    retired,
    retired_entries,
    risks_of,
    undo_risks,
)
from .store import load, record_existing, undo

__all__ = [
    "DIFF_COLUMNS", "RETIRED_COLUMNS", "RETIRED_ENTRY_COLUMNS", "VERSION_COLUMNS", "VERSION_FINGERPRINT_COLUMNS",
    "Change", "Difference", "RetiredView", "Risks", "VersionsView", "as_json", "changes_of", "difference",
    "difference_with_in_force", "in_force", "label", "load", "record_existing", "restored", "retired",
    "retired_entries", "risks_of", "state_of_referentiel", "undo", "undo_risks",
]
