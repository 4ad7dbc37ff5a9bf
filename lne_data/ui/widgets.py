"""What pages draw with: charts with their data, tables headed in French, the decimal field, escaped text, French
numbers and dates, and the comparison of two roadmap versions.

Every table here shows a missing value as « — » and an empty one as a sentence, never Streamlit's English words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from .. import exports, figures, formatting, periodes, rules, saisie, sheets, versions, views
from ..problems import NotFound, Problem
from .data import REPORT_MIME, version_comparison, versions_view

T = TypeVar("T")

# Column headings of the tables of amounts, ETP and resources: the same on screen, in downloads and in exports.
BUDGET_FICHE_COLUMNS, BUDGET_LINE_COLUMNS = rules.BUDGET_FICHE_COLUMNS, rules.BUDGET_LINE_COLUMNS
ETP_LINE_COLUMNS, ETP_STRUCTURE_COLUMNS = rules.ETP_LINE_COLUMNS, rules.ETP_STRUCTURE_COLUMNS
MOYEN_COLUMNS = rules.MOYEN_COLUMNS
# The late indicators' columns, and what « en difficulté » means, as every screen says them.
RETARD_LABELS, DIFFICULTE_AIDE = views.RETARD_LABELS, rules.DIFFICULTE_AIDE

DIFF_COLUMNS = versions.DIFF_COLUMNS
VERSION_COLUMNS = versions.VERSION_COLUMNS
VERSION_FINGERPRINT_COLUMNS = versions.VERSION_FINGERPRINT_COLUMNS
RETIRED_COLUMNS = versions.RETIRED_COLUMNS
RETIRED_ENTRY_COLUMNS = versions.RETIRED_ENTRY_COLUMNS

# What a table shows for a missing value: Streamlit's default is the word « None », meaningless to an élu.
MISSING = "—"
# What an empty table shows: Streamlit would draw an empty grid, or the English word « empty ».
NOTHING = "Aucune ligne à afficher."

headline_help = views.headline_help
carte_axe_text = views.carte_axe_text
difficulte_titre = views.difficulte_titre


def decimal_input(label: str, *, key: str, unit: str | None = None, min_value: float | None = None,
                  max_value: float | None = None, placeholder: str | None = None,
                  help: str | None = None) -> float | None:
    """A number field that reads what French users type: `2,5`, `2.5`, `1 234,5`, `2,5 ETP` (with `unit`).

    Used instead of st.number_input, which drops a decimal comma (`2,5` becomes 25) without a word. None while the
    field is empty; anything else that is not a number in range is answered by a French error under the field
    (and None), never read as something else.
    """
    typed = st.text_input(label, key=key, placeholder=placeholder, help=help)
    if not typed.strip():
        return None
    value = sheets.parse_field_number(typed, unit)
    suffix = f"\u00a0{unit}" if unit else ""
    if value is None:
        st.error(f"« {md(typed.strip())} » n'est pas un nombre : écrivez par exemple 2,5{suffix} (virgule ou point "
                 "pour les décimales).", icon=":material/error:")
        return None
    if (min_value is not None and value < min_value) or (max_value is not None and value > max_value):
        bounds = (f"entre {formatting.number(min_value, 2)} et {formatting.number(max_value, 2)}"
                  if min_value is not None and max_value is not None
                  else f"au moins {formatting.number(min_value, 2)}" if min_value is not None
                  else f"au plus {formatting.number(max_value, 2)}")
        st.error(f"{formatting.number(value, 2)}{suffix} : saisissez une valeur {bounds}{suffix}.",
                 icon=":material/error:")
        return None
    return value


def download(label: str, data: Callable[[], bytes], file_name: str, mime: str, *, where: Any = None,
             key: str | None = None, icon: str = ":material/download:", stretch: bool = False) -> None:
    """A download button, every one of the dashboard's. Its file is written when it is clicked (`data` is called
    then, not on every run of the page). A click does not rerun the page (`on_click="ignore"`): a rerun gives every
    button of the page a new file address, and a second button clicked while it ran (the Excel file right after the
    CSV) downloaded nothing."""
    (where or st).download_button(label, data, file_name=file_name, mime=mime, key=key, icon=icon,
                                  on_click="ignore", width="stretch" if stretch else "content")


def chart(fig: go.Figure, data: pd.DataFrame, *, name: str, columns: dict[str, str] | None = None) -> None:
    """A chart with its data one click away, downloadable as CSV and Excel."""
    # No Plotly toolbar: its buttons are English (« Zoom », « Download plot as a PNG »), and the data are one click
    # away below, downloadable in French.
    st.plotly_chart(fig, config={"displayModeBar": False, "locale": "fr"}, key=f"chart_{name}")
    st.caption(md(figures.summary(fig)))
    table = _quarters(data)
    table = table.rename(columns=columns) if columns else table
    if columns:
        table = table[list(columns.values())]
    with st.expander("Voir les données", icon=":material/table:"):
        if table.empty:
            st.caption(NOTHING)
            return
        st.dataframe(french_numbers(table), hide_index=True, placeholder=MISSING)
        left, right = st.columns(2)
        # The files are written when a button is clicked, not on every run of the page: an Excel file of a
        # national completeness grid (150 000 rows) takes seconds, and most visitors never download it.
        download("Télécharger (CSV)", lambda: exports.csv_bytes(table), f"{name}.csv", "text/csv", where=left,
                 key=f"csv_{name}")
        download("Télécharger (Excel)", lambda: exports.xlsx_bytes({name: table}), f"{name}.xlsx", REPORT_MIME["xlsx"],
                 where=right, key=f"xlsx_{name}")


# Columns of long wording: sized to their content, a title of 90 characters pushed the figures after it out of
# sight (an élu saw no value without scrolling sideways); at this width the rest stays on a 1280-pixel screen.
LONG_TEXTS = frozenset({"libelle", "intitule", "commentaire"})
LONG_TEXT_PX = 300


def dataframe(data: pd.DataFrame, columns: dict[str, str], *, only: bool = False,
              column_config: dict[str, Any] | None = None) -> None:
    """A frame to scroll and sort, its columns headed in French by `columns`. With `only`, just the columns named,
    in that order; otherwise the others are shown too, under their own name."""
    if data.empty:  # Streamlit would draw an empty grid with the English word « empty »
        st.caption(NOTHING)
        return
    shown = _quarters(data[list(columns)] if only else data)
    config = {columns[name]: st.column_config.TextColumn(columns[name], width=LONG_TEXT_PX)
              for name in LONG_TEXTS & set(columns) & set(shown.columns)}
    config.update(column_config or {})
    st.dataframe(french_numbers(shown.rename(columns=columns)), hide_index=True, column_config=config,
                 placeholder=MISSING)


# Numbers that name rather than count (a fiche, an import, a year): written as they are, « 2026 », not « 2 026 ».
NUMBERS_THAT_NAME = frozenset({"fiche", "n°", "id", "axe", "échéance", "echeance", "année", "annee", "numéro", "numero",
                               "rang", "ligne", "objectif", "version", "code"})
# Above this many cells a table keeps Streamlit's own display of numbers: writing each as French text costs
# seconds for a national completeness grid (150 000 rows), and such a table is read to be downloaded.
FRENCH_CELLS = 50_000


def french_numbers(table: pd.DataFrame) -> Any:
    """The table with its figures written the French way on screen, « 2 500,5 » and « 1 000 », not « 2500.5 » or
    « 1000 » (Streamlit's own display): a Styler whose display values are French, the figures kept as numbers
    underneath so that a click on a heading still sorts them as numbers. Missing values stay « — »."""
    numeric = [c for c in table.columns
               if pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])]
    if not numeric or table.size > FRENCH_CELLS or not table.columns.is_unique:
        return table
    styler = table.style.format(na_rep=MISSING)
    for column in numeric:
        naming = str(column).strip().lower() in NUMBERS_THAT_NAME
        styler = styler.format(_plain if naming else _money if "€" in str(column) else _figure, subset=[column],
                               na_rep=MISSING)
    return styler


CHANGES_LISTED = 40  # sentences of `changes_in_words` shown; the rest are in its technical detail


def changes_in_words(difference: versions.Difference, intro: str) -> None:
    """What a version changes, in élus' words first (« Fiche 23 ajoutée : … », « 9 montants ajoutés dans la fiche
    23 »), then, folded under « Détails techniques », each field that changed, as the files name it."""
    lines = difference.en_clair()
    shown = "\n".join(f"- {md(line)}" for line in lines[:CHANGES_LISTED])
    more = (f"\n\n… et {len(lines) - CHANGES_LISTED} autres changements : voir les détails techniques."
            if len(lines) > CHANGES_LISTED else "")
    st.markdown(f"{intro}\n\n{shown}{more}")
    with st.expander("Détails techniques : chaque champ changé", icon=":material/list_alt:"):
        st.caption(md(difference.resume()))
        dataframe(difference.table, DIFF_COLUMNS, only=True)


def _plain(value: Any) -> str:
    """A number that names (fiche 23, year 2026), without separator."""
    return MISSING if pd.isna(value) else str(int(value)) if float(value).is_integer() else str(value)


def _figure(value: Any) -> str:
    return MISSING if pd.isna(value) else formatting.number(value, 2)


def _money(value: Any) -> str:
    """An amount of a column in euros: `2 500`, `2 500,50` (the heading says €)."""
    return MISSING if pd.isna(value) else formatting.euros(value).removesuffix(f"{formatting.NBSP}€")


def table(data: pd.DataFrame, columns: dict[str, str]) -> None:
    """A short table whose texts wrap (the roadmap's wording must be readable whole, not cut).

    st.table renders Markdown in cells: every text is escaped so that it is shown as written.
    """
    if data.empty:
        st.caption(NOTHING)
        return
    shown = _quarters(data[list(columns)]).rename(columns=columns).astype("object").where(lambda d: d.notna(), "")
    st.table(shown.map(_cell), hide_index=True)


def _quarters(data: pd.DataFrame) -> pd.DataFrame:
    """Quarters as élus read them, « T3 2026 », in whichever table shows them (files and URLs keep `2026-T3`)."""
    if "periode" not in data.columns:
        return data
    shown = data.copy()
    shown["periode"] = [periodes.label(p) if isinstance(p, str) and periodes.parse(p) == p else p
                        for p in data["periode"]]
    return shown


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return formatting.escape_markdown(value)
    if isinstance(value, float):
        return formatting.number(value, 2)
    return value


def text(value: Any) -> None:
    """User or roadmap text, shown as text: no Markdown, no HTML, no Streamlit directives."""
    st.text(str(value) if not pd.isna(value) else "—")


def datetime_column(label: str) -> Any:
    return st.column_config.DatetimeColumn(label, format="DD/MM/YYYY HH:mm")


def md(value: Any) -> str:
    """Escape roadmap or user text before putting it in Markdown (labels, captions)."""
    return formatting.escape_markdown(value)


short = formatting.short


def euros(value: float) -> str:
    return formatting.euros(value)


def etp(value: float) -> str:
    return formatting.etp(value)


def periode_label(periode: str | None) -> str:
    return periodes.label(periode) if periode else "aucun trimestre saisi"


def today() -> date:
    """LNE_AUJOURDHUI or the real date (`periodes.today`)."""
    return periodes.today()


def this_quarter() -> str:
    """The quarter of `today()` (`2026-T2`)."""
    return periodes.of_date(today())


def previous_quarter(periode: str) -> str:
    return periodes.previous(periode)


def guarded(load: Callable[[], T]) -> T:
    """Run a data call; a missing fiche or référentiel shows a French message instead of a traceback. Any other
    exception (a KeyError is a bug, not a missing fiche) goes on to Streamlit and the log with its traceback."""
    try:
        return load()
    except NotFound as exc:
        st.error(str(exc), icon=":material/error:")
        st.stop()
        raise


def problems(found: list[Problem], file_name: str) -> None:
    """Every problem of a file, readable whole, and as a list to send back to whoever filled it in."""
    table = saisie.problems_frame(found)
    if len(table) <= 200:
        st.table(table.map(formatting.escape_markdown), hide_index=True)
    else:  # st.table would make the page endless; the full list is in the downloads
        st.dataframe(table, hide_index=True, placeholder=MISSING)
    stem = file_name.rsplit(".", 1)[0]
    left, right = st.columns(2)
    download("Liste des problèmes (CSV)", lambda: exports.csv_bytes(table), f"problemes_{stem}.csv", "text/csv",
             where=left)
    download("Liste des problèmes (Excel)", lambda: exports.xlsx_bytes({"problemes": table}),
             f"problemes_{stem}.xlsx", REPORT_MIME["xlsx"], where=right)


COMPARISON_COLUMNS = {"axe": "Axe", "libelle": "Libellé"}


def comparison_columns(numero: int, figures_: tuple[str, ...]) -> dict[str, str]:
    """The headings of a comparison of version `numero` with the one in force, for these figures."""
    words = {"fiches": "Fiches", "prevu": "Prévu sur la période (€)", "ponctuel": "Ponctuel (€)",
             "par_an": "Par an (€)", "non_precise": "Sans période précisée (€)", "etp": "ETP"}
    columns = dict(COMPARISON_COLUMNS)
    for name in figures_:
        columns[f"{name}_avant"] = f"{words[name]} — version n°{numero}"
        columns[f"{name}_apres"] = f"{words[name]} — en vigueur"
        columns[f"{name}_ecart"] = f"{words[name]} — écart"
    return columns


def version_comparison_section(filters: views.Filters, figures_: tuple[str, ...], how: str = "") -> None:
    """The Budget and Charge RH pages' comparison of another version with the one in force, axe by axe (`how`: what
    the figures count, said after the caption); nothing when the roadmap has a single version."""
    others = versions_view().autres()
    if not others:
        return
    st.subheader("Comparer avec une autre version de la feuille de route")
    st.caption("Ce que la feuille de route prévoyait dans une version (à l'adoption, par exemple) et ce qu'elle "
               f"prévoit dans la version en vigueur, axe par axe{how}.")
    compared = int(st.selectbox("Version comparée à celle en vigueur", others, format_func=versions_view().libelle,
                                key="version_comparee"))
    dataframe(version_comparison(compared, filters), comparison_columns(compared, figures_), only=True)

