"""What the read models read of the entries (`lne_data.views.entries`, `views.series`): the state of the data,
an indicator's series, a fiche's follow-up, and the quarter reduced in the database."""

from __future__ import annotations

# --------------------------------------------------------------------------------------------------
# State of the data, series and follow-up
# --------------------------------------------------------------------------------------------------

# The quarters with entries, and the latest real import (views.data_state); examples are counted by
# sql.COUNT_EXEMPLES, with the import's statements that replace them.
SAISIES_PAR_PERIODE = "SELECT periode, count(*) AS n FROM saisies GROUP BY periode ORDER BY periode"
DERNIER_IMPORT = """
SELECT importe_le, auteur FROM imports WHERE NOT exemple AND annule_le IS NULL ORDER BY id DESC LIMIT 1
"""
SERIES_FICHES = """
SELECT s.indicateur, i.fiche, s.periode, s.valeur, s.valeur_texte, s.commentaire, s.exemple
FROM saisies s JOIN indicateurs i ON i.code = s.indicateur
WHERE list_contains($fiches, i.fiche)
ORDER BY s.indicateur, s.periode
"""
SUIVI_FICHE = """
SELECT periode, statut, meteo, resultats, freins, prochaines_etapes, saisi_par, exemple
FROM suivi_fiches WHERE fiche = $fiche ORDER BY periode DESC
"""
# Every fiche's follow-up for a quarter (the meeting, the reports), and who entered each indicator's value.
SUIVI_PERIODE = """
SELECT fiche, statut, meteo, resultats, freins, prochaines_etapes, saisi_par, exemple
FROM suivi_fiches WHERE periode = $periode ORDER BY fiche
"""
SAISIS_PAR_PERIODE = "SELECT indicateur, saisi_par FROM saisies WHERE periode = $periode"

# --------------------------------------------------------------------------------------------------
# Read models at national scale: the overview, its points of attention and the meeting reduce the entries up to
# a quarter in the database rather than in pandas (views.series). `$fiches` is the scope,
# `$periode` the quarter (NULL: every period).
# --------------------------------------------------------------------------------------------------

# `k` numbers the indicators in code order: grouping and sorting by it is faster than by the code, same order.
_QUARTER_BASE = """
WITH codes AS (
    SELECT code, row_number() OVER (ORDER BY code) AS k, fiche, mode, type FROM indicateurs
    WHERE list_contains($fiches, fiche)
),
base AS (
    SELECT s.indicateur, c.k, c.fiche, s.periode, s.valeur, s.valeur_texte, s.commentaire, s.exemple, c.mode, c.type
    FROM saisies s JOIN codes c ON c.code = s.indicateur
    WHERE $periode IS NULL OR s.periode <= $periode
)
"""
# The series of views.indicateurs, sorted by indicator then period, with each indicator's number.
SERIES_VIEW = _QUARTER_BASE + """
SELECT indicateur, fiche, periode, valeur, valeur_texte, commentaire, exemple, mode, type, k
FROM base ORDER BY k, periode
"""
QUARTER_COUNTS = _QUARTER_BASE + """
SELECT fiche, periode, count(*) AS saisis, bool_or(exemple) AS exemple FROM base GROUP BY fiche, periode
"""
_FLUX_VALUES = "mode <> 'stock' AND valeur IS NOT NULL AND NOT isnan(valeur)"
_STOCK_VALUES = "mode = 'stock' AND valeur IS NOT NULL AND NOT isnan(valeur)"
# One row per indicator: its latest entry (max_by on a struct, so that a NULL value or text is kept, not
# skipped), whether it has flux values to add up, and for a stock indicator whether its last value fell.
QUARTER_INDICATORS = _QUARTER_BASE + f"""
SELECT indicateur, last.periode AS periode, last.valeur AS valeur, last.valeur_texte AS valeur_texte,
       last.exemple AS exemple, mode, flux > 0 AS flux,
       coalesce(stock >= 2 AND last2[1].valeur < last2[2].valeur, false) AS en_baisse,
       last2[1].fiche AS baisse_fiche, last2[2].valeur AS baisse_avant, last2[1].valeur AS baisse_apres,
       last2[1].periode AS baisse_periode
FROM (
    SELECT k, any_value(indicateur) AS indicateur, any_value(mode) AS mode,
           max_by({{'periode': periode, 'valeur': valeur, 'valeur_texte': valeur_texte, 'exemple': exemple}},
                  periode) AS last,
           count(*) FILTER (WHERE {_FLUX_VALUES}) AS flux,
           count(*) FILTER (WHERE {_STOCK_VALUES}) AS stock,
           max_by({{'fiche': fiche, 'periode': periode, 'valeur': valeur}}, periode, 2)
               FILTER (WHERE {_STOCK_VALUES}) AS last2
    FROM base GROUP BY k
)
ORDER BY k
"""
# The values a flux indicator's running total adds up, in order, with the indicator's number (the n-th distinct
# number is the n-th code with `flux` in QUARTER_INDICATORS).
QUARTER_FLUX_VALUES = _QUARTER_BASE + f"""
SELECT k, valeur FROM base WHERE {_FLUX_VALUES} ORDER BY k, periode
"""
QUARTER_ENTRIES = _QUARTER_BASE + """
SELECT indicateur, fiche, periode, valeur, valeur_texte, commentaire, exemple
FROM base WHERE periode = $periode ORDER BY k
"""
# The fiches answered for in a quarter (views.Reponses): a real value of one of their indicators, or their follow-up
# (statut, météo…). Example entries are nobody's answer.
FICHES_RENSEIGNEES = """
SELECT i.fiche FROM saisies s JOIN indicateurs i ON i.code = s.indicateur
WHERE list_contains($fiches, i.fiche) AND s.periode = $periode AND NOT s.exemple
UNION
SELECT fiche FROM suivi_fiches WHERE list_contains($fiches, fiche) AND periode = $periode AND NOT exemple
"""
# The indicators in scope with an entry in the quarter (the overview's « Indicateurs saisis »).
INDICATEURS_SAISIS = """
SELECT count(DISTINCT s.indicateur) FROM saisies s JOIN indicateurs i ON i.code = s.indicateur
WHERE list_contains($fiches, i.fiche) AND s.periode = $periode
"""
