"""The quarterly import (`lne_data.saisie`): the imports' register, the preview, the upsert with its history, the
undo; the examples replaced by real entries; the last values the template recalls."""

from __future__ import annotations

# --------------------------------------------------------------------------------------------------
# Saisies and imports
# --------------------------------------------------------------------------------------------------

SAISIES = """
SELECT s.indicateur, i.fiche, s.periode, s.valeur, s.valeur_texte, s.commentaire, s.saisi_par, s.import_id,
       s.exemple
FROM saisies s JOIN indicateurs i ON i.code = s.indicateur
ORDER BY i.fiche, i.rang, s.periode
"""
COUNT_SAISIES = "SELECT count(*) FROM saisies"

IMPORTS = """
SELECT id, fichier, sha256, auteur, importe_le, exemple, nb_nouvelles, nb_modifiees, nb_inchangees, annule_le,
       annule_par, valide_par
FROM imports ORDER BY id DESC
"""
# The real imports are numbered from 1, as the coordination counts them; the built-in examples (`demo`) are loaded
# as import n°0 (then -1… should they be loaded again after every real import was undone).
NEXT_IMPORT_ID = "SELECT coalesce(max(id), 0) + 1 FROM imports"
NEXT_EXAMPLE_IMPORT_ID = "SELECT least(coalesce(min(id), 1), 1) - 1 FROM imports"
INSERT_IMPORT = """
INSERT INTO imports (id, fichier, sha256, auteur, importe_le, exemple, nb_nouvelles, nb_modifiees, nb_inchangees)
VALUES ($id, $fichier, $sha256, $auteur, current_timestamp, $exemple, $nb_nouvelles, $nb_modifiees,
        $nb_inchangees)
"""

# --------------------------------------------------------------------------------------------------
# Quarterly import: the file's rows are registered as the views `incoming` and `incoming_suivi`.
# An entry is unchanged when its value, text and comment are the same; who typed it does not count.
# --------------------------------------------------------------------------------------------------

_SAISIE_DIFFERS = """(s.valeur IS DISTINCT FROM i.valeur OR s.valeur_texte IS DISTINCT FROM i.valeur_texte
     OR s.commentaire IS DISTINCT FROM i.commentaire)"""
_SUIVI_DIFFERS = """(s.statut IS DISTINCT FROM i.statut OR s.meteo IS DISTINCT FROM i.meteo
     OR s.resultats IS DISTINCT FROM i.resultats OR s.freins IS DISTINCT FROM i.freins
     OR s.prochaines_etapes IS DISTINCT FROM i.prochaines_etapes)"""

_SAISIE_STATUT = f"""CASE WHEN s.indicateur IS NULL OR s.exemple THEN 'nouvelle'
     WHEN {_SAISIE_DIFFERS} THEN 'modifiée' ELSE 'inchangée' END"""
_SUIVI_STATUT = f"""CASE WHEN s.fiche IS NULL OR s.exemple THEN 'nouvelle'
     WHEN {_SUIVI_DIFFERS} THEN 'modifiée' ELSE 'inchangée' END"""

# The preview shows at most this many characters of a text (then « … »): it is read on screen, and a 2 000-character
# comment filled down 100 000 rows would otherwise come back as 100 000 Python strings per text column (the import
# itself writes the whole texts, from `incoming`).
PREVIEW_TEXT_LIMIT = 200


def _excerpt(expression: str) -> str:
    return (f"CASE WHEN length({expression}) > {PREVIEW_TEXT_LIMIT} "
            f"THEN rtrim(left({expression}, {PREVIEW_TEXT_LIMIT - 1})) || '…' ELSE {expression} END")


PREVIEW_SAISIES = f"""
SELECT i.indicateur, ind.fiche, ind.libelle, i.periode, {_SAISIE_STATUT} AS statut,
       CASE WHEN s.exemple THEN NULL ELSE s.valeur END AS avant_valeur,
       CASE WHEN s.exemple THEN NULL ELSE {_excerpt("s.valeur_texte")} END AS avant_texte,
       i.valeur AS apres_valeur, {_excerpt("i.valeur_texte")} AS apres_texte,
       {_excerpt("i.commentaire")} AS commentaire, ind.unite, ind.type
FROM incoming i
JOIN indicateurs ind ON ind.code = i.indicateur
LEFT JOIN saisies s ON s.indicateur = i.indicateur AND s.periode = i.periode
ORDER BY ind.fiche, ind.rang, i.periode
"""
PREVIEW_SUIVI = f"""
SELECT i.fiche, i.periode, {_SUIVI_STATUT} AS statut_saisie, s.statut AS avant_statut, i.statut,
       s.meteo AS avant_meteo, i.meteo
FROM incoming_suivi i
LEFT JOIN suivi_fiches s ON s.fiche = i.fiche AND s.periode = i.periode
ORDER BY i.fiche, i.periode
"""
PREVIEW_COUNTS = f"""
WITH statuts AS (
    SELECT {_SAISIE_STATUT} AS statut FROM incoming i
    LEFT JOIN saisies s ON s.indicateur = i.indicateur AND s.periode = i.periode
    UNION ALL
    SELECT {_SUIVI_STATUT} FROM incoming_suivi i
    LEFT JOIN suivi_fiches s ON s.fiche = i.fiche AND s.periode = i.periode
)
SELECT count(*) FILTER (WHERE statut = 'nouvelle'), count(*) FILTER (WHERE statut = 'modifiée'),
       count(*) FILTER (WHERE statut = 'inchangée')
FROM statuts
"""
COUNT_EXEMPLES = ("SELECT (SELECT count(*) FROM saisies WHERE exemple)"
                  " + (SELECT count(*) FROM suivi_fiches WHERE exemple)")

HISTORY_REMOVE_EXEMPLES = """
INSERT INTO saisies_historique (import_id, indicateur, periode, action, existait, avant_valeur, avant_valeur_texte,
                                avant_commentaire, avant_saisi_par, avant_import_id, avant_exemple, avant_sens_type,
                                avant_sens_unite, avant_sens_mode)
SELECT $import_id, indicateur, periode, 'suppression', true, valeur, valeur_texte, commentaire, saisi_par, import_id,
       exemple, sens_type, sens_unite, sens_mode
FROM saisies WHERE exemple
"""
HISTORY_REMOVE_EXEMPLES_SUIVI = """
INSERT INTO suivi_historique (import_id, fiche, periode, action, existait, avant_statut, avant_meteo,
                              avant_resultats, avant_freins, avant_prochaines_etapes, avant_saisi_par,
                              avant_import_id, avant_exemple)
SELECT $import_id, fiche, periode, 'suppression', true, statut, meteo, resultats, freins, prochaines_etapes,
       saisi_par, import_id, exemple
FROM suivi_fiches WHERE exemple
"""
DELETE_EXEMPLES = "DELETE FROM saisies WHERE exemple"
DELETE_EXEMPLES_SUIVI = "DELETE FROM suivi_fiches WHERE exemple"

HISTORY_SAISIES = f"""
INSERT INTO saisies_historique (import_id, indicateur, periode, action, existait, avant_valeur, avant_valeur_texte,
                                avant_commentaire, avant_saisi_par, avant_import_id, avant_exemple, avant_sens_type,
                                avant_sens_unite, avant_sens_mode, apres_valeur, apres_valeur_texte,
                                apres_commentaire, apres_saisi_par)
SELECT $import_id, i.indicateur, i.periode,
       CASE WHEN s.indicateur IS NULL THEN 'ajout' ELSE 'modification' END, s.indicateur IS NOT NULL,
       s.valeur, s.valeur_texte, s.commentaire, s.saisi_par, s.import_id, s.exemple, s.sens_type, s.sens_unite,
       s.sens_mode, i.valeur, i.valeur_texte, i.commentaire, i.saisi_par
FROM incoming i
LEFT JOIN saisies s ON s.indicateur = i.indicateur AND s.periode = i.periode
WHERE s.indicateur IS NULL OR {_SAISIE_DIFFERS}
"""
UPSERT_SAISIES = """
INSERT INTO saisies (indicateur, periode, valeur, valeur_texte, commentaire, saisi_par, import_id, exemple,
                     sens_type, sens_unite, sens_mode)
SELECT i.indicateur, i.periode, i.valeur, i.valeur_texte, i.commentaire, i.saisi_par, $import_id, $exemple,
       ind.type, ind.unite, ind.mode
FROM incoming i
JOIN indicateurs ind ON ind.code = i.indicateur
JOIN saisies_historique h ON h.import_id = $import_id AND h.action <> 'suppression'
     AND h.indicateur = i.indicateur AND h.periode = i.periode
ON CONFLICT (indicateur, periode) DO UPDATE SET
    valeur = excluded.valeur, valeur_texte = excluded.valeur_texte, commentaire = excluded.commentaire,
    saisi_par = excluded.saisi_par, import_id = excluded.import_id, exemple = excluded.exemple,
    sens_type = excluded.sens_type, sens_unite = excluded.sens_unite, sens_mode = excluded.sens_mode
"""
HISTORY_SUIVI = f"""
INSERT INTO suivi_historique (import_id, fiche, periode, action, existait, avant_statut, avant_meteo,
                              avant_resultats, avant_freins, avant_prochaines_etapes, avant_saisi_par,
                              avant_import_id, avant_exemple)
SELECT $import_id, i.fiche, i.periode, CASE WHEN s.fiche IS NULL THEN 'ajout' ELSE 'modification' END,
       s.fiche IS NOT NULL, s.statut, s.meteo, s.resultats, s.freins, s.prochaines_etapes, s.saisi_par,
       s.import_id, s.exemple
FROM incoming_suivi i
LEFT JOIN suivi_fiches s ON s.fiche = i.fiche AND s.periode = i.periode
WHERE s.fiche IS NULL OR {_SUIVI_DIFFERS}
"""
UPSERT_SUIVI = """
INSERT INTO suivi_fiches (fiche, periode, statut, meteo, resultats, freins, prochaines_etapes, saisi_par, import_id,
                          exemple)
SELECT i.fiche, i.periode, i.statut, i.meteo, i.resultats, i.freins, i.prochaines_etapes, i.saisi_par, $import_id,
       $exemple
FROM incoming_suivi i
JOIN suivi_historique h ON h.import_id = $import_id AND h.action <> 'suppression'
     AND h.fiche = i.fiche AND h.periode = i.periode
ON CONFLICT (fiche, periode) DO UPDATE SET
    statut = excluded.statut, meteo = excluded.meteo, resultats = excluded.resultats, freins = excluded.freins,
    prochaines_etapes = excluded.prochaines_etapes, saisi_par = excluded.saisi_par,
    import_id = excluded.import_id, exemple = excluded.exemple
"""

IMPORT_BY_ID = "SELECT id, annule_le FROM imports WHERE id = ?"
# What an undo puts back: the entries and follow-ups the import wrote, and the example entries it had replaced.
COUNT_HISTORY = """
SELECT (SELECT count(*) FILTER (WHERE action <> 'suppression') FROM saisies_historique WHERE import_id = $1)
     + (SELECT count(*) FILTER (WHERE action <> 'suppression') FROM suivi_historique WHERE import_id = $1),
       (SELECT count(*) FILTER (WHERE action = 'suppression') FROM saisies_historique WHERE import_id = $1)
     + (SELECT count(*) FILTER (WHERE action = 'suppression') FROM suivi_historique WHERE import_id = $1)
"""
# An undo is refused when a value it would restore has been overwritten by a later import.
UNDO_CONFLICTS = """
SELECT s.import_id FROM saisies_historique h
LEFT JOIN saisies s ON s.indicateur = h.indicateur AND s.periode = h.periode
WHERE h.import_id = $import_id AND h.action <> 'suppression' AND s.import_id IS DISTINCT FROM $import_id
UNION ALL
SELECT s.import_id FROM saisies_historique h
JOIN saisies s ON s.indicateur = h.indicateur AND s.periode = h.periode
WHERE h.import_id = $import_id AND h.action = 'suppression' AND s.import_id <> $import_id
  AND NOT EXISTS (SELECT 1 FROM saisies_historique h2 WHERE h2.import_id = $import_id AND h2.action = 'ajout'
                  AND h2.indicateur = h.indicateur AND h2.periode = h.periode)
UNION ALL
SELECT s.import_id FROM suivi_historique h
LEFT JOIN suivi_fiches s ON s.fiche = h.fiche AND s.periode = h.periode
WHERE h.import_id = $import_id AND h.action <> 'suppression' AND s.import_id IS DISTINCT FROM $import_id
"""
# What an undo would put back under another meaning than its indicator's now (in force, else when retired).
UNDO_SENS_CHANGE = """
SELECT h.indicateur, count(*) AS saisies, any_value(h.avant_sens_type), any_value(h.avant_sens_unite),
       any_value(h.avant_sens_mode), any_value(n.type), any_value(n.unite), any_value(n.mode)
FROM saisies_historique h
JOIN (SELECT code, type, unite, mode FROM indicateurs
      UNION ALL
      SELECT code, arg_max(type, version), arg_max(unite, version), arg_max(mode, version) FROM referentiel_retraits
      WHERE genre = 'indicateur' AND code NOT IN (SELECT code FROM indicateurs) GROUP BY code) n
     ON n.code = h.indicateur
WHERE h.import_id = $import_id AND h.existait AND h.avant_sens_type IS NOT NULL
  AND (h.avant_sens_type IS DISTINCT FROM n.type OR h.avant_sens_unite IS DISTINCT FROM n.unite
       OR h.avant_sens_mode IS DISTINCT FROM n.mode)
GROUP BY h.indicateur ORDER BY h.indicateur
"""
UNDO_STATEMENTS = (
    """
    DELETE FROM saisies WHERE EXISTS (
        SELECT 1 FROM saisies_historique h WHERE h.import_id = $import_id AND h.action <> 'suppression'
        AND h.indicateur = saisies.indicateur AND h.periode = saisies.periode)
    """,
    """
    INSERT INTO saisies (indicateur, periode, valeur, valeur_texte, commentaire, saisi_par, import_id, exemple,
                         sens_type, sens_unite, sens_mode)
    SELECT indicateur, periode, avant_valeur, avant_valeur_texte, avant_commentaire, avant_saisi_par,
           avant_import_id, avant_exemple, avant_sens_type, avant_sens_unite, avant_sens_mode
    FROM saisies_historique WHERE import_id = $import_id AND existait
    """,
    """
    DELETE FROM suivi_fiches WHERE EXISTS (
        SELECT 1 FROM suivi_historique h WHERE h.import_id = $import_id AND h.action <> 'suppression'
        AND h.fiche = suivi_fiches.fiche AND h.periode = suivi_fiches.periode)
    """,
    """
    INSERT INTO suivi_fiches (fiche, periode, statut, meteo, resultats, freins, prochaines_etapes, saisi_par,
                              import_id, exemple)
    SELECT fiche, periode, avant_statut, avant_meteo, avant_resultats, avant_freins, avant_prochaines_etapes,
           avant_saisi_par, avant_import_id, avant_exemple
    FROM suivi_historique WHERE import_id = $import_id AND existait
    """,
)
MARK_UNDONE = "UPDATE imports SET annule_le = current_timestamp, annule_par = $auteur WHERE id = $import_id"
# An indicator retired since the import is named from its latest retirement, so that its history stays readable.
HISTORY_OF_IMPORT = """
SELECT h.indicateur, coalesce(i.fiche, r.fiche) AS fiche,
       coalesce(i.libelle, r.libelle || ' (retiré le ' || strftime(r.retire_le, '%d/%m/%Y') || ')') AS libelle,
       h.periode, h.action, h.avant_valeur, h.avant_valeur_texte,
       h.apres_valeur, h.apres_valeur_texte, h.apres_commentaire
FROM saisies_historique h
LEFT JOIN indicateurs i ON i.code = h.indicateur
LEFT JOIN (SELECT code, max_by(fiche, version) AS fiche, max_by(libelle, version) AS libelle,
                  max_by(retire_le, version) AS retire_le
           FROM referentiel_retraits WHERE genre = 'indicateur' GROUP BY code) r ON r.code = h.indicateur
WHERE h.import_id = ? AND (i.code IS NOT NULL OR r.code IS NOT NULL)
ORDER BY coalesce(i.fiche, r.fiche), i.rang NULLS LAST, h.indicateur, h.periode
"""
# The last real value before a quarter, for the template: example values are fictitious, never a porteur's.
DERNIERE_VALEUR_AVANT = """
SELECT s.indicateur, s.periode, s.valeur, s.valeur_texte
FROM saisies s
JOIN (SELECT indicateur, max(periode) AS periode FROM saisies WHERE periode < $periode AND NOT exemple
      GROUP BY indicateur) m
  ON m.indicateur = s.indicateur AND m.periode = s.periode
WHERE NOT s.exemple
"""
