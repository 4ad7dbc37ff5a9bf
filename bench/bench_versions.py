"""Versions benchmark: what changed between two versions of the roadmap (`versions.difference`).

    python bench/bench_versions.py [--runs 3] [--moyens 2000] [--skip-everything] [--skip-national] [--skip-db]

Two roadmaps, each compared with a revision of itself:
- moyens : the Lot's référentiel whose 70 resource lines are repeated up to `--moyens` lines (2 000; grouped by
  fiche as in the sheet, one copy in two under its own label, so that many lines share their fiche, box, nature,
  structure, label and unit, and many are identical). Two revisions: « révision » (one line in 10 changed, one in
  50 retired, one in 50 added, one fiche's lines in reverse order) and « réévaluation » (every line's note
  changed: no line is identical any more, each is matched by its key).
- national : bench/generate.py's national référentiel (1 313 fiches, 8 535 indicators, ~3 000 resource lines);
  revision: one indicator in 10 relabelled, one in 20 with a new target, one in 100 retired, 100 added, and the
  resource lines revised as above.

For each: `versions.difference` on the two states, already read (the median of `--runs`); then, unless
`--skip-db`, the same two roadmaps loaded one after the other into a fresh database (`versions.load`, which
compares them too, timed once), and what the Feuille de route page does for the newest version:
`versions.changes_of` (both versions' frozen tables read back, then compared), its `resume()` and its `table`.

Everything runs in this process, pandas and DuckDB imported first, as in the dashboard.

Measured on the project's machine (2 cores, shared with four other engineers' test runs: load average 1.6 to 8),
the code of 440cc01 (a scan of the old lines per new line; one run of each, twice for the first two roadmaps)
then this one (three runs, the range of their medians of 3), back to back; « page » is what the Feuille de route
page does for a version:

| measure | before | after |
|---|---:|---:|
| `difference`, Lot at 2 000 lines, révision (287 changes) | 9.0 s, 6.6 s | **39 to 82 ms** |
| `difference`, Lot at 2 000 lines, réévaluation (2 001 changes) | 56.0 s | **48 to 233 ms** |
| `difference`, national (3 007 lines, 8 550 indicators, 2 304 changes) | 38.6 s, 23.3 s | **0.29 to 0.39 s** |
| page (`changes_of`, `resume`, `table`), Lot at 2 000 lines, révision | 5.5 s, 5.6 s | **91 to 196 ms** |
| page, Lot at 2 000 lines, réévaluation | 150.5 s | **92 to 345 ms** |
| page, national | 36.2 s, 28.4 s | **0.37 to 1.29 s** |
| `versions.load` of the revision, Lot at 2 000 lines, révision | 5.6 s, 7.6 s | **138 to 357 ms** |
| `versions.load` of the revision, Lot at 2 000 lines, réévaluation | 143.5 s | **136 to 601 ms** |
| `versions.load` of the revision, national | 53.9 s, 24.7 s | **0.94 to 1.65 s** |

Of the national page's time, reading both versions' frozen tables back into rows (`state_of_version`) takes 0.2
to 0.3 s each, comparing them the rest; everything is linear in the rows now.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from bench_referentiel import median_time  # noqa: E402

Tables = dict[str, list[dict[str, Any]]]


def lot_with(lines: int) -> Tables:
    """The Lot's référentiel with its resource lines repeated up to `lines`, grouped by fiche."""
    from lne_data.referentiel import read_referentiel

    tables = dict(read_referentiel(generate.LOT.read_bytes()).tables)
    model = tables["moyens"]
    repeated = []
    for i in range(lines):
        record, copy = dict(model[i % len(model)]), i // len(model)
        if copy % 2:
            record["libelle"] = f"{record['libelle'] or record['nature']} ({copy})"
        repeated.append(record)
    tables["moyens"] = sorted(repeated, key=lambda r: r["fiche"])  # stable: a fiche's copies in their order
    return tables


def national() -> Tables:
    from lne_data.referentiel import read_referentiel

    return dict(read_referentiel(generate.ensure(generate.DEFAULT_DIR, ())["referentiel"].read_bytes()).tables)


def revised_moyens(moyens: list[dict[str, Any]], everything: bool = False) -> list[dict[str, Any]]:
    """A yearly revision of the resource lines (or, `everything`, a note added to every one of them)."""
    out = []
    for i, record in enumerate(moyens):
        record = dict(record)
        if everything:
            record["note"] = f"réévalué en 2026 ({i})"
        elif i % 50 == 7:
            continue
        elif i % 10 == 3:
            if record.get("montant") is not None:
                record["montant"] = round(float(record["montant"]) * 1.1, 2)
            else:
                record["source"] = f"{record.get('source') or ''} (précisé)"
        out.append(record)
        if not everything and i % 50 == 21:
            out.append({**record, "libelle": f"Ligne ajoutée {i}", "montant": 1500.0, "unite": "EUR",
                        "quantifie": True})
    fiche = out[len(out) // 2]["fiche"]
    first = next(i for i, r in enumerate(out) if r["fiche"] == fiche)
    last = max(i for i, r in enumerate(out) if r["fiche"] == fiche)
    out[first:last + 1] = out[first:last + 1][::-1]
    return out


def revised_indicators(indicateurs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for i, record in enumerate(indicateurs):
        record = dict(record)
        if i % 100 == 50:
            continue
        if i % 10 == 1:
            record["libelle"] = f"{record['libelle']} (reformulé)"
        if i % 20 == 2:
            record["cible"], record["echeance"] = 100, 2027
        out.append(record)
    firsts = {r["fiche"]: r for r in reversed(indicateurs)}  # each fiche's first indicator
    fiches = sorted(firsts)[::max(1, len(firsts) // 100)][:100]
    out += [{**firsts[f], "code": f"F{f:02d}-I9", "rang": 9, "libelle": "Indicateur ajouté"} for f in fiches]
    return out


def revision(tables: Tables, *, everything: bool = False, indicators: bool = False) -> Tables:
    after = {**tables, "moyens": revised_moyens(tables["moyens"], everything)}
    if indicators:
        after["indicateurs"] = revised_indicators(tables["indicateurs"])
    after["feuille_de_route"] = [{**tables["feuille_de_route"][0], "version": "Révision du banc d'essai"}]
    return after


def bench_difference(label: str, before: Tables, after: Tables, runs: int) -> list[tuple[str, float, list[float]]]:
    from lne_data import versions
    from lne_data.referentiel import Referentiel

    old = versions.state_of_referentiel(Referentiel("avant", before))
    new = versions.state_of_referentiel(Referentiel("après", after))
    found: list[versions.Difference] = []
    median, times = median_time(lambda: found.append(versions.difference(old, new)), runs)
    counts = {k: sum(v.values()) for k, v in found[-1].counts().items() if k.startswith("moyen")
              or k == "indicateur"}
    said = ", ".join(f"{n} {k}" for k, n in counts.items())
    return [(f"difference, {label} ({len(old['moyens'])} → {len(new['moyens'])} lignes, "
             f"{len(new['indicateurs'])} indicateurs ; {len(found[-1].changes)} changements : {said})",
             median, times)]


def bench_database(label: str, before: Tables, after: Tables, runs: int) -> list[tuple[str, float, list[float]]]:
    from lne_data import db, versions
    from lne_data.referentiel import Referentiel

    with tempfile.TemporaryDirectory() as work:
        con = db.connect(Path(work) / "versions.duckdb")
        db.migrate(con)
        versions.load(con, Referentiel("avant", before))
        start = time.perf_counter()
        assert versions.load(con, Referentiel("après", after))
        loaded = time.perf_counter() - start
        numero = versions.in_force(con)["numero"]

        def page():
            changes = versions.changes_of(con, numero)
            assert changes is not None and not changes.empty
            changes.resume()
            return changes.table

        median, times = median_time(page, runs)
        con.close()
    return [(f"versions.load, {label} (compare puis écrit)", loaded, [loaded]),
            (f"changes_of + resume + table, {label} (page Feuille de route)", median, times)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (median)")
    parser.add_argument("--moyens", type=int, default=2_000, help="resource lines of the first roadmap")
    parser.add_argument("--skip-national", action="store_true")
    parser.add_argument("--skip-db", action="store_true")
    parser.add_argument("--skip-everything", action="store_true", help="without the « réévaluation »")
    args = parser.parse_args()
    import duckdb  # noqa: F401
    import pandas  # noqa: F401  (loaded by the dashboard and the command line before any of this)

    print(f"{os.cpu_count()} cœurs, charge moyenne {os.getloadavg()[0]:.1f}", flush=True)
    cases = []
    lot = lot_with(args.moyens)
    cases.append((f"Lot à {args.moyens} lignes, révision", lot, revision(lot)))
    if not args.skip_everything:
        cases.append((f"Lot à {args.moyens} lignes, réévaluation", lot, revision(lot, everything=True)))
    if not args.skip_national:
        whole = national()
        cases.append(("national, révision", whole, revision(whole, indicators=True)))
    results = []
    for label, before, after in cases:
        results += bench_difference(label, before, after, args.runs)
        print(f"| {results[-1][0]} | {results[-1][1] * 1000:.0f} ms |", flush=True)
        if not args.skip_db:
            results += bench_database(label, before, after, args.runs)
    print("\n| mesure | médiane | essais |\n|---|---:|---|")
    for label, median, times in results:
        print(f"| {label} | {median * 1000:.0f} ms | " + ", ".join(f"{t * 1000:.0f}" for t in times) + " |")


if __name__ == "__main__":
    main()
