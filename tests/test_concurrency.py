"""Several coordinators importing at once while many visitors read the pages, on ONE shared connection.

This is how the dashboard runs: `lne_data.ui.connection()` is one cached connection per server process, every
read model opens its own cursor, and every write goes through `db.transaction`, which holds `db.WRITE_LOCK`.
Imports must all succeed, one after the other (ids 1..n, no "Conflict on tuple" error), and a reader must
never see an error nor a part of an import: for each quarter, either none of its values or all of them.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from lne_data import queries, saisie, views
from lne_data.views import entries

from .conftest import TODAY
from .hostile import workbook

PERIODES = ["2024-T1", "2024-T2", "2024-T3", "2024-T4", "2025-T1", "2025-T2"]
READERS = 8

# In ONE statement (one snapshot): each import's recorded count against the values that carry its number.
CONSISTENCY = """
SELECT i.id, i.nb_nouvelles, i.annule_le IS NOT NULL AS annule,
       (SELECT count(*) FROM saisies s WHERE s.import_id = i.id) AS en_base,
       (SELECT count(*) FROM saisies_historique h WHERE h.import_id = i.id) AS historique
FROM imports i ORDER BY i.id
"""
PER_PERIOD = "SELECT periode, count(*) FROM saisies GROUP BY periode"


def quarter_file(indicateurs: list[tuple[str, int, str]], periode: str) -> bytes:
    """One value for every indicator of the roadmap, for one quarter."""
    values = {"livrable": "réalisé", "qualitatif": f"Bilan {periode}", "ratio": 50}
    return workbook([[fiche, code, periode, values.get(kind, 5), f"Import {periode}", "Test"]
                     for code, fiche, kind in indicateurs])


class Readers:
    """Reader threads calling the read models in a loop until told to stop; they record what they saw."""

    def __init__(self, con, expected: int):
        self.con, self.expected = con, expected
        self.ref = views.reference(con)
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self.partial: list[object] = []
        self.reads = Counter()
        self.threads = [threading.Thread(target=self.run, args=(n,), daemon=True) for n in range(READERS)]

    def run(self, n: int) -> None:
        try:
            while not self.stop.is_set():
                self.read(n)
        except BaseException as exc:  # noqa: BLE001 — any error is a failure of the test, reported below
            self.errors.append(exc)

    def read(self, n: int) -> None:
        con, ref, expected = self.con, self.ref, self.expected
        kind = n % 4
        if kind == 0:
            for periode, count in queries.rows(con, PER_PERIOD):
                if count != expected:
                    self.partial.append(("par période", periode, count))
            for row in queries.rows(con, CONSISTENCY):
                import_id, nouvelles, annule, en_base, historique = row
                if historique != nouvelles or en_base != (0 if annule else nouvelles):
                    self.partial.append(("import", row))
        elif kind == 1:
            series = views.indicateurs(con, ref, views.Filters()).series
            for periode, count in series.groupby("periode").size().items():
                if count != expected:
                    self.partial.append(("vue indicateurs", periode, count))
        elif kind == 2:
            overview = views.overview(con, ref, views.Filters())
            # The quarter shown and its values come from one snapshot (test_overview_reads_one_snapshot below).
            if overview.periode is not None and overview.indicateurs_saisis != expected:
                self.partial.append(("vue d'ensemble", overview.periode, overview.indicateurs_saisis))
            views.data_state(con)
        else:
            history = queries.imports(con)
            for import_id in history["id"]:
                details = queries.import_details(con, int(import_id))
                if len(details) not in (0, expected):
                    self.partial.append(("détail", int(import_id), len(details)))
        self.reads[kind] += 1

    def __enter__(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in self.threads)


def run_all(targets) -> list[BaseException]:
    """Start every target at the same moment (a barrier), wait for all; return the errors raised."""
    barrier = threading.Barrier(len(targets))
    errors: list[BaseException] = []

    def wrapped(target):
        try:
            barrier.wait()
            target()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


@pytest.fixture
def indicateurs(con):
    return queries.rows(con, "SELECT code, fiche, type FROM indicateurs ORDER BY fiche, rang")


def test_concurrent_imports_and_undos_while_reading(con, indicateurs):
    files = {periode: quarter_file(indicateurs, periode) for periode in PERIODES}
    expected = len(indicateurs)
    results: dict[str, saisie.ImportResult] = {}

    def importer(periode: str):
        def target():
            validation = saisie.check_file(files[periode], f"{periode}.xlsx", saisie.load_context(con, today=TODAY))
            assert validation.errors == [], validation.errors[:3]
            results[periode] = saisie.import_file(con, validation, auteur=f"coordination {periode}")
        return target

    with Readers(con, expected) as readers:
        errors = run_all([importer(p) for p in PERIODES])
        assert errors == [], errors
        ids = sorted(r.import_id for r in results.values())
        assert ids == list(range(1, len(PERIODES) + 1))
        assert all(r.nouvelles == expected and r.modifiees == 0 for r in results.values())

        # Then half of them undone at once, still while reading.
        undone = [results[p].import_id for p in PERIODES[::2]]
        restored: list[int] = []
        errors = run_all([lambda i=i: restored.append(saisie.undo_import(con, i, auteur="coordination").valeurs)
                          for i in undone])
        assert errors == [], errors
        assert restored == [expected] * len(undone)
    assert readers.errors == [], readers.errors[:3]
    assert readers.partial == [], readers.partial[:5]
    assert all(readers.reads[kind] > 0 for kind in range(4)), readers.reads

    per_period = dict(queries.rows(con, PER_PERIOD))
    assert per_period == dict.fromkeys(PERIODES[1::2], expected)
    history = queries.imports(con).set_index("id")
    assert sorted(history.index) == list(range(1, len(PERIODES) + 1))
    assert set(history.loc[history["annule_le"].notna()].index) == set(undone)


def test_the_same_file_imported_twice_at_once_is_recorded_once(con, indicateurs):
    data = quarter_file(indicateurs, "2025-T3")
    validations = [saisie.check_file(data, "t3.xlsx", saisie.load_context(con, today=TODAY)) for _ in range(4)]
    results: list[saisie.ImportResult] = []
    errors = run_all([lambda v=v: results.append(saisie.import_file(con, v, auteur="coordination"))
                      for v in validations])
    assert errors == [], errors
    assert sorted((r.import_id or 0, r.nouvelles, r.inchangees) for r in results) == [
        (0, 0, len(indicateurs))] * 3 + [(1, len(indicateurs), 0)]
    assert len(queries.imports(con)) == 1


def test_overview_reads_one_snapshot(con, indicateurs, monkeypatch):
    """A page's queries run in one read transaction: a write committed meanwhile is not half seen."""
    for periode in ("2025-T1", "2025-T2"):
        validation = saisie.check_file(quarter_file(indicateurs, periode), f"{periode}.xlsx",
                                       saisie.load_context(con, today=TODAY))
        saisie.import_file(con, validation, auteur="coordination")
    real = views.data_state

    def state_then_concurrent_undo(connection):
        state = real(connection)
        # What the concurrent test above observed: another session's undo commits between two statements.
        worker = threading.Thread(target=saisie.undo_import, args=(con, 2), kwargs={"auteur": "coordination"})
        worker.start()
        worker.join()
        return state

    monkeypatch.setattr(entries, "data_state", state_then_concurrent_undo)  # where LiveEntries.state finds it
    overview = views.overview(con, views.reference(con), views.Filters())
    # Consistent: either before the undo (T2 2025 with all its values) or after it (T1 2025 with all its values).
    assert (overview.periode, overview.indicateurs_saisis) in {("2025-T2", len(indicateurs)),
                                                               ("2025-T1", len(indicateurs))}
