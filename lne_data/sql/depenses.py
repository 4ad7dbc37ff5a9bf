"""Execution (sheet « Dépenses » of the quarterly file): its preview, upsert with history and undo
(`lne_data.saisie`), and what the read models and closures read of it (`views.execution`, `clotures`).
The file's rows are registered as the view `incoming_depenses`."""

from __future__ import annotations

_KEY = ("d.fiche = i.fiche AND d.structure = i.structure AND d.periode = i.periode AND d.nature = i.nature "
        "AND d.financeur = i.financeur")
# A row is unchanged when its figures are the same; who typed it does not count (as for the indicators).
_DIFFERS = """(d.engage IS DISTINCT FROM i.engage OR d.paye IS DISTINCT FROM i.paye OR d.etp IS DISTINCT FROM i.etp
     OR d.finance IS DISTINCT FROM i.finance)"""
_STATUT = f"""CASE WHEN d.fiche IS NULL OR d.exemple THEN 'nouvelle'
     WHEN {_DIFFERS} THEN 'modifiée' ELSE 'inchangée' END"""

PREVIEW_DEPENSES = f"""
SELECT i.fiche, i.structure, i.periode, i.nature, i.financeur, {_STATUT} AS statut,
       d.engage AS avant_engage, i.engage AS engage, d.paye AS avant_paye, i.paye AS paye,
       d.etp AS avant_etp, i.etp AS etp, d.finance AS avant_finance, i.finance AS finance
FROM incoming_depenses i
LEFT JOIN depenses d ON {_KEY}
ORDER BY i.fiche, i.structure, i.periode, i.nature, i.financeur
"""
DEPENSES_COUNTS = f"""
SELECT count(*) FILTER (WHERE statut = 'nouvelle'), count(*) FILTER (WHERE statut = 'modifiée'),
       count(*) FILTER (WHERE statut = 'inchangée')
FROM (SELECT {_STATUT} AS statut FROM incoming_depenses i LEFT JOIN depenses d ON {_KEY})
"""
HISTORY_DEPENSES = f"""
INSERT INTO depenses_historique (import_id, fiche, structure, periode, nature, financeur, action, existait,
                                 avant_engage, avant_paye, avant_etp, avant_finance, avant_saisi_par,
                                 avant_import_id, avant_exemple, apres_engage, apres_paye, apres_etp, apres_finance)
SELECT $import_id, i.fiche, i.structure, i.periode, i.nature, i.financeur,
       CASE WHEN d.fiche IS NULL THEN 'ajout' ELSE 'modification' END, d.fiche IS NOT NULL,
       d.engage, d.paye, d.etp, d.finance, d.saisi_par, d.import_id, d.exemple, i.engage, i.paye, i.etp, i.finance
FROM incoming_depenses i
LEFT JOIN depenses d ON {_KEY}
WHERE d.fiche IS NULL OR {_DIFFERS}
"""
UPSERT_DEPENSES = """
INSERT INTO depenses (fiche, structure, periode, nature, financeur, engage, paye, etp, finance, saisi_par, import_id,
                      exemple)
SELECT i.fiche, i.structure, i.periode, i.nature, i.financeur, i.engage, i.paye, i.etp, i.finance, i.saisi_par,
       $import_id, $exemple
FROM incoming_depenses i
JOIN depenses_historique h ON h.import_id = $import_id AND h.action <> 'suppression' AND h.fiche = i.fiche
     AND h.structure = i.structure AND h.periode = i.periode AND h.nature = i.nature AND h.financeur = i.financeur
ON CONFLICT (fiche, structure, periode, nature, financeur) DO UPDATE SET
    engage = excluded.engage, paye = excluded.paye, etp = excluded.etp, finance = excluded.finance,
    saisi_par = excluded.saisi_par, import_id = excluded.import_id, exemple = excluded.exemple
"""
# A file gives a fiche's figures for a quarter and a nature whole: a row of that fiche, porteur, quarter and nature
# the file no longer gives (a financeur removed from a corrected file) is removed, kept in the history for an undo.
_REPLACED = """
FROM depenses d
WHERE EXISTS (SELECT 1 FROM incoming_depenses i WHERE i.fiche = d.fiche AND i.structure = d.structure
              AND i.periode = d.periode AND i.nature = d.nature)
  AND NOT EXISTS (SELECT 1 FROM incoming_depenses i WHERE i.fiche = d.fiche AND i.structure = d.structure
                  AND i.periode = d.periode AND i.nature = d.nature AND i.financeur = d.financeur)
"""
PREVIEW_DEPENSES_RETIREES = f"""
SELECT d.fiche, d.structure, d.periode, d.nature, d.financeur, 'retirée' AS statut,
       d.engage AS avant_engage, NULL::DOUBLE AS engage, d.paye AS avant_paye, NULL::DOUBLE AS paye,
       d.etp AS avant_etp, NULL::DOUBLE AS etp, d.finance AS avant_finance, NULL::DOUBLE AS finance
{_REPLACED}
ORDER BY d.fiche, d.structure, d.periode, d.nature, d.financeur
"""
COUNT_DEPENSES_RETIREES = f"SELECT count(*) {_REPLACED}"
HISTORY_REMOVE_DEPENSES = f"""
INSERT INTO depenses_historique (import_id, fiche, structure, periode, nature, financeur, action, existait,
                                 avant_engage, avant_paye, avant_etp, avant_finance, avant_saisi_par,
                                 avant_import_id, avant_exemple)
SELECT $import_id, d.fiche, d.structure, d.periode, d.nature, d.financeur, 'suppression', true,
       d.engage, d.paye, d.etp, d.finance, d.saisi_par, d.import_id, d.exemple
{_REPLACED}
"""
DELETE_REPLACED_DEPENSES = """
DELETE FROM depenses WHERE EXISTS (
    SELECT 1 FROM depenses_historique h WHERE h.import_id = $import_id AND h.action = 'suppression'
    AND h.fiche = depenses.fiche AND h.structure = depenses.structure AND h.periode = depenses.periode
    AND h.nature = depenses.nature AND h.financeur = depenses.financeur)
"""
COUNT_HISTORY_DEPENSES = "SELECT count(*) FROM depenses_historique WHERE import_id = $1"
# An undo is refused when a row it would restore has been overwritten by a later import.
UNDO_CONFLICTS_DEPENSES = """
SELECT d.import_id FROM depenses_historique h
LEFT JOIN depenses d ON d.fiche = h.fiche AND d.structure = h.structure AND d.periode = h.periode
     AND d.nature = h.nature AND d.financeur = h.financeur
WHERE h.import_id = $import_id AND h.action <> 'suppression' AND d.import_id IS DISTINCT FROM $import_id
UNION ALL
SELECT d.import_id FROM depenses_historique h
JOIN depenses d ON d.fiche = h.fiche AND d.structure = h.structure AND d.periode = h.periode
     AND d.nature = h.nature AND d.financeur = h.financeur
WHERE h.import_id = $import_id AND h.action = 'suppression'
"""
UNDO_DEPENSES = (
    """
    DELETE FROM depenses WHERE EXISTS (
        SELECT 1 FROM depenses_historique h WHERE h.import_id = $import_id AND h.action <> 'suppression'
        AND h.fiche = depenses.fiche
        AND h.structure = depenses.structure AND h.periode = depenses.periode AND h.nature = depenses.nature
        AND h.financeur = depenses.financeur)
    """,
    """
    INSERT INTO depenses (fiche, structure, periode, nature, financeur, engage, paye, etp, finance, saisi_par,
                          import_id, exemple)
    SELECT fiche, structure, periode, nature, financeur, avant_engage, avant_paye, avant_etp, avant_finance,
           avant_saisi_par, avant_import_id, avant_exemple
    FROM depenses_historique WHERE import_id = $import_id AND existait
    """,
)
# Every row up to a quarter: what a closure freezes, and what the execution read model reads (live or frozen).
DEPENSES_JUSQUA = """
SELECT fiche, structure, periode, nature, financeur, engage, paye, etp, finance, saisi_par, exemple
FROM depenses WHERE periode <= $periode
ORDER BY fiche, structure, periode, nature, financeur
"""
DEPENSES = """
SELECT fiche, structure, periode, nature, financeur, engage, paye, etp, finance, saisi_par, exemple
FROM depenses ORDER BY fiche, structure, periode, nature, financeur
"""
# What an import changed in the dépenses, row by row, for the Historique page.
DEPENSES_OF_IMPORT = """
SELECT fiche, structure, periode, nature, financeur, action, avant_engage, avant_paye, avant_etp, avant_finance,
       apres_engage, apres_paye, apres_etp, apres_finance
FROM depenses_historique WHERE import_id = $import_id
ORDER BY fiche, structure, periode, nature, financeur
"""
