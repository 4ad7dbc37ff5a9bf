"""The mode réunion: the quarter one screen at a time, sized for a projector."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from .. import formatting, rules
from ..queries import Reader, consistent
from .base import Filters, Reference
from .ensemble import Overview, chiffres_cles, overview_and_quarter
from .entries import Entries, entries_of
from .moyens import BudgetView, ChargeView
from .series import IndicateursView

# A meeting screen is read on a 1280×720 projector from the back of the room: type of 20 px at least, nothing to
# scroll. An axe's fiches are a table of these columns (header, share of the width, characters a line holds at
# that size); an axe with more lines than a screen holds goes over several screens, « 1/2 », « 2/2 ». The widths
# hold their header in bold with the fonts of a bare Debian too (DejaVu Sans, wider than a desktop's Arial or
# Liberation Sans: « Indicateurs » needs 136 px of the 1120 the table has, a fiche's number 46).
MEETING_COLUMNS: list[tuple[str, str, float, int]] = [
    ("fiche", "N°", 0.05, 4),
    ("intitule", "Fiche action", 0.44, 46),
    ("porteurs", "Porteur(s)", 0.24, 24),
    ("meteo", "Météo", 0.14, 14),
    ("indicateurs", "Indicateurs", 0.13, 12),
]
# Height of the table body a screen holds under its header, and of a row of n lines, in pixels, as Chromium draws
# figures.meeting_fiches at 20 px (measured: 38 px a line, 26 px each further line; the test checks nothing is cut).
MEETING_ROWS_PX = 390
MEETING_CELL_LINES = 3  # a longer cell is cut with « … » (the Fiche page and the reports have the whole text)
MEETING_QUARTERS = 4  # time series show the last four quarters
MEETING_NAMES = 2  # porteurs named on the meeting's points of attention (one line)
MEETING_LISTED = 2  # rows of a list of points of attention on the meeting's screen (720 px: with the answers
# sentence and the porteurs without answer, each on two lines at 20 px, a third row was cut); the report has all
# The table of indicators behind their trajectory: (header, share of the width, characters a line holds at 20 px in
# DejaVu Sans, the widest of the fonts a projector's computer may have). A cell longer than its line wraps onto
# more lines (MEETING_CELL_LINES at most) and its row is drawn that much taller, never cut through its letters.
MEETING_LATE_COLUMNS: list[tuple[str, float, int]] = [
    ("Indicateur", 0.12, 9), ("Fiche", 0.07, 5), ("Libellé", 0.43, 38), ("Réalisé / attendu", 0.23, 19),
    ("Cible", 0.15, 12)]
MEETING_LATE_TITLE_PX = 56  # the list's title (24 px), above its header
MEETING_LATE_HEADER_PX = 34


def meeting_lines(text: str, chars: int) -> list[str]:
    """A cell's text in the lines the meeting's table shows: wrapped on words at `chars`, at most
    MEETING_CELL_LINES lines, the last cut with « … » when the text is longer."""
    lines = textwrap.wrap(str(text), chars, break_long_words=True) or [""]
    if len(lines) > MEETING_CELL_LINES:
        lines = lines[:MEETING_CELL_LINES]
        lines[-1] = lines[-1][: chars - 1].rstrip() + "…"
    return lines


def _row_px(row: pd.Series) -> int:
    return 12 + 26 * max(len(meeting_lines(row[name], chars)) for name, _, _, chars in MEETING_COLUMNS)


@dataclass
class MeetingView:
    overview: Overview
    budget: BudgetView
    charge: ChargeView
    indicateurs: IndicateursView  # of the quarter shown; its `series` holds that quarter's entries only
    fiches_par_axe: dict[int, pd.DataFrame]  # per axe: fiche, intitule, porteurs, statut, meteo, saisis/attendus
    steps: list[tuple[str, str, int | None]]  # (title, kind, axe)
    pages: list[tuple[int, int, slice | None]] = field(default_factory=list)  # per step: page, pages, rows shown
    completude_axes: pd.DataFrame | None = None  # axe, libelle, periode, saisis, attendus, part: last 4 quarters

    @property
    def chiffres(self) -> list[tuple[str, str]]:
        return chiffres_cles(self.overview, self.overview.attention, self.overview.periode)

    @property
    def retards(self) -> tuple[list[list[list[str]]], int]:
        """The first MEETING_LISTED indicators behind their trajectory as the meeting lists them, each cell in the
        lines it is drawn on (MEETING_LATE_COLUMNS; the title on one line, cut with « … »), and how many others
        there are."""
        late = self.overview.attention.sous_cible
        rows_ = []
        for r in late.head(MEETING_LISTED).itertuples():
            texts = [str(r.indicateur), str(int(r.fiche)), formatting.short(str(r.libelle), MEETING_LATE_COLUMNS[2][2]),
                     f"{formatting.number(r.valeur, 2)} / {formatting.number(r.attendu, 1)}",
                     formatting.number(r.cible, 2)]
            rows_.append([meeting_lines(text, chars) for text, (_, _, chars) in zip(texts, MEETING_LATE_COLUMNS)])
        return rows_, max(0, len(late) - MEETING_LISTED)

    @staticmethod
    def retards_px(rows_: list[list[list[str]]]) -> int:
        """The height of the list of `retards`: its title, header and rows, each as tall as its longest cell."""
        return (MEETING_LATE_TITLE_PX + MEETING_LATE_HEADER_PX
                + sum(12 + 26 * max(len(lines) for lines in row) for row in rows_))

    @property
    def sans_reponse(self) -> str:
        """« Sans réponse : A, B et 12 autres »: at most MEETING_NAMES names, one line of the screen."""
        names = self.overview.attention.porteurs_sans_reponse
        if not names:
            return ""
        shown = ", ".join(formatting.short(n, 32) for n in names[:MEETING_NAMES])
        others = len(names) - MEETING_NAMES
        return f"Sans réponse : {shown}" + (f" et {others} autres" if others > 0 else "")

    def ecran(self, numero: int) -> Ecran:
        """Screen `numero`, counted from 1 as the meeting shows it, with the fiches it lists if it is an axe's."""
        titre, kind, axe = self.steps[numero - 1]
        page, pages, rows_ = self.pages[numero - 1] if self.pages else (1, 1, None)
        fiches = None
        if axe is not None:
            fiches = self.fiches_par_axe[axe]
            if rows_ is not None and pages > 1:
                fiches = fiches.iloc[rows_].reset_index(drop=True)
        if pages > 1:
            titre = f"{titre} ({page}/{pages})"
        return Ecran(titre, kind, axe, fiches, page, pages)


class Ecran(NamedTuple):
    titre: str
    kind: str  # overview, axe, budget, rh, indicateurs or attention
    axe: int | None
    fiches: pd.DataFrame | None  # on an axe's screen: the fiches it shows (fiches_par_axe, or a part of it)
    page: int = 1  # of an axe's screens, « 1/2 »
    pages: int = 1


def _meeting_pages(table: pd.DataFrame) -> list[slice]:
    """The fiches of an axe in screens of at most MEETING_ROWS_PX of rows, in order."""
    pages: list[slice] = []
    start, used = 0, 0
    for index, (_, row) in enumerate(table.iterrows()):
        height = _row_px(row)
        if index > start and used + height > MEETING_ROWS_PX:
            pages.append(slice(start, index))
            start, used = index, 0
        used += height
    pages.append(slice(start, len(table)))
    return pages


def _completude_axes(view: IndicateursView, ref: Reference, periode: str | None) -> pd.DataFrame:
    """Per axe and for the last MEETING_QUARTERS quarters up to `periode`: indicators reported over expected."""
    columns = ["axe", "libelle", "periode", "saisis", "attendus", "part"]
    grid = view.completude
    if grid.empty or periode is None:
        return pd.DataFrame(columns=columns)
    shown = [p for p in ref.periodes() if p <= periode][-MEETING_QUARTERS:]
    grid = grid[grid["periode"].isin(shown)]
    axe_of = ref.fiches.set_index("numero")["axe"]
    totals = grid.assign(axe=grid["fiche"].map(axe_of)).groupby(["axe", "periode"], as_index=False)[
        ["saisis", "attendus"]].sum()
    totals["part"] = (totals["saisis"] / totals["attendus"].where(totals["attendus"] > 0)).fillna(0.0)
    totals["libelle"] = totals["axe"].map(lambda a: ref.axe_label(int(a)))
    return totals[columns].sort_values(["axe", "periode"]).reset_index(drop=True)


@consistent
def meeting(source: Reader | Entries, ref: Reference, filters: Filters) -> MeetingView:
    entries = entries_of(source)
    over, quarter = overview_and_quarter(entries, ref, filters)
    periode = over.periode
    inds = quarter.view
    in_quarter = inds.series  # the quarter's entries only
    counts = rules.renseignes(inds.indicateurs, in_quarter["indicateur"])
    # One query for the quarter's statuses rather than one per fiche (a national roadmap has 1 300 fiches).
    of_quarter = entries.suivi_periode(periode) if periode else None
    found = ({} if of_quarter is None else
             {int(n): (None if pd.isna(statut) else statut, None if pd.isna(meteo) else meteo) for n, statut, meteo
              in zip(of_quarter["fiche"], of_quarter["statut"], of_quarter["meteo"])})
    suivis = []
    for numero in ref.fiches_for(filters):
        statut, meteo = found.get(numero, (None, None))
        suivis.append({"fiche": numero, "statut": statut, "meteo": meteo})
    suivi = pd.DataFrame(suivis, columns=["fiche", "statut", "meteo"])
    owners = ref.porteurs.groupby("fiche")["structure"].agg(lambda s: ", ".join(s))
    per_axe: dict[int, pd.DataFrame] = {}
    for axe in over.axes["code"] if not over.axes.empty else []:
        fiches = ref.fiches[(ref.fiches["axe"] == axe) & ref.fiches["numero"].isin(ref.fiches_for(filters))]
        table = fiches[["numero", "intitule"]].rename(columns={"numero": "fiche"}).merge(suivi, on="fiche", how="left")
        table["porteurs"] = table["fiche"].map(owners).fillna("aucun porteur")
        table["meteo"] = table["meteo"].map(rules.meteo_affichee)
        table["indicateurs"] = [f"{int(counts['saisis'].get(n, 0))} / {int(counts['attendus'].get(n, 0))}"
                                for n in table["fiche"]]
        per_axe[int(axe)] = table.reset_index(drop=True)
    steps: list[tuple[str, str, int | None]] = [("Vue d'ensemble", "overview", None)]
    pages: list[tuple[int, int, slice | None]] = [(1, 1, None)]
    for a in over.axes.itertuples():
        parts = _meeting_pages(per_axe[int(a.code)])
        for number, part in enumerate(parts, 1):
            steps.append((f"Axe {int(a.code)} — {formatting.short(str(a.libelle), 48)}", "axe", int(a.code)))
            pages.append((number, len(parts), part))
    steps += [("Budget par axe", "budget", None), ("Charge RH", "rh", None),
              ("Indicateurs renseignés, derniers trimestres", "indicateurs", None),
              ("Points d'attention", "attention", None)]
    pages += [(1, 1, None)] * 4
    return MeetingView(
        overview=over,
        budget=over.budget,
        charge=over.charge,
        indicateurs=inds,
        fiches_par_axe=per_axe,
        steps=steps,
        pages=pages,
        completude_axes=_completude_axes(inds, ref, periode),
    )
