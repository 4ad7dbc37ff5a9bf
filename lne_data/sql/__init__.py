"""Every SQL statement of the project, in one place: the schema's migrations apart from the queries, and the queries
by subject, next to the module that runs them.

Values are always bound as parameters (`?` or `$name`), never formatted into the text. Statements are plain
constants, all importable as `sql.NAME`, so that a maintainer can read the whole data model and every query here.

- `migrations`: the schema as numbered migrations, and `schema_migrations` (`db.migrate`).
- `referentiel`: replacing the référentiel from its workbook, and reading it (`views.reference`).
- `versions`: the référentiel's versions and what each retired (`lne_data.versions`).
- `saisie`: the quarterly import, its preview, history and undo (`lne_data.saisie`, the template).
- `series`: what the read models read of the entries, and the quarter reduced in DuckDB (`views.entries`,
  `views.series`, the reports).
- `depenses`: execution (sheet « Dépenses »): its import, history and undo, and what the read models read of it.
- `clotures`: quarters frozen for a comité, and compared (`lne_data.clotures`).
- `cibles`: targets set by the coordination (`lne_data.cibles`).
- `mon_inclusion`: the coordination's decisions for Mon Inclusion Numérique (`lne_data.mon_inclusion`).
- `comptes`: personal accounts (`lne_data.comptes`) and the files porteurs submit (`lne_data.depots`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Re-exported: every statement is read as `sql.NAME`, wherever it is written.
from .cibles import (  # noqa: F401
    ANNULER_CIBLE,
    CIBLE_BY_ID,
    CIBLE_EN_VIGUEUR,
    CIBLES_HISTORIQUE,
    INDICATEUR_POUR_CIBLE,
    INSERT_CIBLE,
    NEXT_CIBLE_ID,
)
from .clotures import (  # noqa: F401
    CLOTURE,
    CLOTURE_DONNEES,
    CLOTURES,
    INSERT_CLOTURE,
    INSERT_CLOTURE_DONNEES,
    NEXT_CLOTURE_ID,
    SERIES_JUSQUA,
    SUIVI_JUSQUA,
    VALEURS_DIFFERENTES,
    VALEURS_DIFFERENTES_ACTUELLES,
)
from .comptes import (  # noqa: F401
    COMPTE,
    COMPTES,
    DECIDER_DEPOT,
    DELETE_COMPTE_STRUCTURES,
    DEPOT,
    DEPOTS,
    FICHES_DEPOSEES,
    FICHES_DES_STRUCTURES,
    INSERT_COMPTE_STRUCTURE,
    INSERT_DEPOT,
    INSERT_DEPOT_FICHE,
    NEXT_DEPOT_ID,
    RETIRER_COMPTE,
    STRUCTURES_ET_VARIANTES,
    STRUCTURES_PORTEUSES,
    UPSERT_COMPTE,
    VALIDE_PAR,
)
from .depenses import (  # noqa: F401
    COUNT_DEPENSES_RETIREES,
    COUNT_HISTORY_DEPENSES,
    DELETE_REPLACED_DEPENSES,
    DEPENSES,
    DEPENSES_COUNTS,
    DEPENSES_JUSQUA,
    DEPENSES_OF_IMPORT,
    HISTORY_DEPENSES,
    HISTORY_REMOVE_DEPENSES,
    PREVIEW_DEPENSES,
    PREVIEW_DEPENSES_RETIREES,
    UNDO_CONFLICTS_DEPENSES,
    UNDO_DEPENSES,
    UPSERT_DEPENSES,
)
from .migrations import (  # noqa: F401
    APPLIED_VERSIONS,
    HAS_SCHEMA,
    MIGRATIONS,
    MIGRATIONS_TABLE,
    RECORD_MIGRATION,
)
from .mon_inclusion import (  # noqa: F401
    ANNULER_MIN_BESOINS,
    FICHE_POUR_MIN,
    INSERT_MIN_BESOINS,
    INSERT_MIN_IDENTIFIANT,
    MIN_BESOINS,
    MIN_BESOINS_EN_VIGUEUR_DE,
    MIN_HISTORIQUE,
    MIN_IDENTIFIANT_PRIS,
    MIN_IDENTIFIANTS,
    NEXT_MIN_BESOINS_ID,
    NEXT_MIN_IDENTIFIANT_ID,
)
from .referentiel import (  # noqa: F401
    ANNEES,
    AXES,
    DELETE_ALL,
    FEUILLE_DE_ROUTE,
    FICHES,
    INDICATEURS,
    INSERT_FEUILLE_DE_ROUTE,
    INSERT_REFERENTIEL,
    MOYENS,
    OBJECTIFS,
    PARTENAIRES,
    PORTEURS,
    REFERENTIEL_COLUMNS,
    REFERENTIEL_ENTRANT,
    REFERENTIEL_SHA,
    REFERENTIEL_TABLES,
    STRUCTURES,
)
from .saisie import (  # noqa: F401
    COUNT_EXEMPLES,
    COUNT_HISTORY,
    COUNT_SAISIES,
    DELETE_EXEMPLES,
    DELETE_EXEMPLES_SUIVI,
    DERNIERE_VALEUR_AVANT,
    HISTORY_OF_IMPORT,
    HISTORY_REMOVE_EXEMPLES,
    HISTORY_REMOVE_EXEMPLES_SUIVI,
    HISTORY_SAISIES,
    HISTORY_SUIVI,
    IMPORT_BY_ID,
    IMPORTS,
    INSERT_IMPORT,
    MARK_UNDONE,
    NEXT_EXAMPLE_IMPORT_ID,
    NEXT_IMPORT_ID,
    PREVIEW_COUNTS,
    PREVIEW_SAISIES,
    PREVIEW_SUIVI,
    PREVIEW_TEXT_LIMIT,
    SAISIES,
    UNDO_CONFLICTS,
    UNDO_SENS_CHANGE,
    UNDO_STATEMENTS,
    UPSERT_SAISIES,
    UPSERT_SUIVI,
)
from .series import (  # noqa: F401
    DERNIER_IMPORT,
    FICHES_RENSEIGNEES,
    INDICATEURS_SAISIS,
    QUARTER_COUNTS,
    QUARTER_ENTRIES,
    QUARTER_FLUX_VALUES,
    QUARTER_INDICATORS,
    SAISIES_PAR_PERIODE,
    SAISIS_PAR_PERIODE,
    SERIES_FICHES,
    SERIES_VIEW,
    SUIVI_FICHE,
    SUIVI_PERIODE,
)
from .versions import (  # noqa: F401
    ANNULER_VERSION,
    CODES_CONNUS,
    COUNT_VERSIONS,
    DELETE_RETRAITS,
    INSERT_RETRAIT,
    INSERT_VERSION,
    INSERT_VERSION_DONNEES,
    NEXT_VERSION,
    PERIODES_SAISIES,
    RESTORE_TABLE,
    RETRAITS,
    SAISIES_RETIREES,
    SAISIES_SANS_INDICATEUR,
    SENS_DES_CIBLES,
    SENS_DES_SAISIES,
    SNAPSHOT_TABLE,
    SUIVI_SANS_FICHE,
    VERSION_BY_NUMERO,
    VERSION_DONNEES,
    VERSION_EN_VIGUEUR,
    VERSION_PRECEDENTE,
    VERSIONS,
)

_NAMED = re.compile(r"\$([a-z_][a-z0-9_]*)")


def bind(statement: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """The named parameters `statement` uses, taken from `record` (DuckDB refuses extra keys)."""
    return {name: record.get(name) for name in dict.fromkeys(_NAMED.findall(statement))}
