"""Page benchmark: server-side time of every page with 1 000 000 indicator values, cold and warm, and the cold
start of `streamlit run`.

    python bench/bench_pages.py [--values 1000000] [--warm 5] [--cold 3] [--cloture]
                                [--pages app.py,pages/1_Budget.py,...]

The database: the national-scale référentiel of bench/generate.py (1 313 fiches, 8 535 indicators), then
`--values` entries generated in DuckDB itself (`INSERT … SELECT` over `range()`, a few seconds for a million):
one value per indicator and quarter, the most recent quarters first, with values that follow each indicator's
type, one import per quarter with its history rows (as real imports leave them), and the fiches' status for
the last four quarters. The primary key (indicator, quarter) means a million values need 118 quarters of
8 535 indicators: the roadmap's first year is moved back accordingly (1997 for a million), which is the harshest
shape for the time axis (long series, a completeness grid of 1 313 fiches × 120 quarters).

Each page runs through Streamlit's AppTest, as tests/test_app.py does (app.py first, then `switch_page`):
- froid : every `st.cache_data` and `st.cache_resource` cleared just before the run (so the DuckDB connection is
  reopened too), like the first visitor after a server start; the median of `--cold` such runs;
- chaud : the median of `--warm` further reruns of the same page (what a visitor who changes nothing pays).
The AppTest time is the script run plus AppTest's own bookkeeping; it is the server's share of a page view
(the browser's rendering is not counted).

Then `streamlit run server.py` is started on a free loopback port with the same database and timed until
`/_stcore/health` answers, then terminated.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from bench_import import template_db  # noqa: E402

from deploy.serving import free_port, wait_healthy  # noqa: E402

PAGES = ["app.py", "pages/1_Budget.py", "pages/2_Charge_RH.py", "pages/3_Indicateurs.py", "pages/4_Porteurs.py",
         "pages/5_Fiche.py", "pages/6_Saisie.py", "pages/7_Historique.py", "pages/8_Reunion.py",
         "pages/9_Clotures.py"]


# --------------------------------------------------------------------------------------------------------------
# The database with a million values
# --------------------------------------------------------------------------------------------------------------

VALUES_SQL = """
INSERT INTO saisies (indicateur, periode, valeur, valeur_texte, commentaire, saisi_par, import_id, exemple)
SELECT code, periode,
       CASE type WHEN 'nombre' THEN (h % 97 + 1)::DOUBLE
                 WHEN 'ratio' THEN (5 + h % 90)::DOUBLE
                 WHEN 'livrable' THEN [0.0, 0.5, 1.0][h % 3 + 1]
                 ELSE NULL END,
       CASE type WHEN 'livrable' THEN ['non commencé', 'en cours', 'réalisé'][h % 3 + 1]
                 WHEN 'qualitatif' THEN 'Avancement du trimestre ' || periode || ' : réunions tenues.'
                 ELSE NULL END,
       CASE WHEN h % 3 = 0 THEN 'Commentaire ' || (h % 1000)::VARCHAR END,
       'Syndicat numérique ' || lpad((((fiche - 1) // 13) + 1)::VARCHAR, 3, '0'),
       import_id, false
FROM (
    SELECT i.code, i.fiche, i.type, p.periode, p.import_id, (hash(i.code, p.periode) % 1000003)::BIGINT AS h
    FROM indicateurs i CROSS JOIN periodes_bench p
    ORDER BY p.periode DESC, i.fiche, i.rang
    LIMIT $n
)
"""
HISTORY_SQL = """
INSERT INTO saisies_historique (import_id, indicateur, periode, action, existait, apres_valeur, apres_valeur_texte,
                                apres_commentaire, apres_saisi_par)
SELECT import_id, indicateur, periode, 'ajout', false, valeur, valeur_texte, commentaire, saisi_par FROM saisies
"""
IMPORTS_SQL = """
INSERT INTO imports (id, fichier, sha256, auteur, importe_le, exemple, nb_nouvelles, nb_modifiees, nb_inchangees)
SELECT p.import_id, 'saisie_' || p.periode || '.xlsx', md5(p.periode), 'banc d''essai',
       TIMESTAMP '2026-01-01' + INTERVAL (p.import_id) MINUTE, false, count(s.indicateur), 0, 0
FROM periodes_bench p JOIN saisies s ON s.periode = p.periode
GROUP BY ALL
"""
SUIVI_SQL = """
INSERT INTO suivi_fiches (fiche, periode, statut, meteo, resultats, freins, prochaines_etapes, saisi_par, import_id,
                          exemple)
SELECT f.numero, p.periode,
       ['à venir', 'en cours', 'réalisé', 'en pause'][(hash(f.numero, p.periode) % 4)::BIGINT + 1],
       ['ensoleillé', 'éclaircies', 'nuageux', 'orageux'][(hash(p.periode, f.numero) % 4)::BIGINT + 1],
       'Résultats du trimestre.', NULL, 'Prochaines étapes.', 'banc d''essai', p.import_id, false
FROM fiches f CROSS JOIN (SELECT * FROM periodes_bench ORDER BY periode DESC LIMIT 4) p
WHERE EXISTS (SELECT 1 FROM saisies s WHERE s.periode = p.periode)
"""


def build_database(values: int, today: date | None = None) -> Path:
    """Copy the référentiel template, widen the roadmap's years if needed, generate `values` entries."""
    import duckdb

    paths = generate.ensure(generate.DEFAULT_DIR, (100,))
    template = template_db(paths["referentiel"])
    current = generate.quarters(today)[0]
    target = generate.DEFAULT_DIR / f"pages_{values}_{current}.duckdb"
    if target.exists():
        return target
    partial = target.with_suffix(".partial")
    for leftover in (partial, Path(f"{partial}.wal")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(template, partial)
    con = duckdb.connect(str(partial))
    start = time.perf_counter()
    indicators = con.execute("SELECT count(*) FROM indicateurs").fetchone()[0]
    quarters_needed = math.ceil(values / indicators)
    last_year, last_quarter = int(current[:4]), int(current[-1])
    first_year = last_year - math.ceil((quarters_needed - last_quarter) / 4)
    annee_debut, = con.execute("SELECT annee_debut FROM feuille_de_route").fetchone()
    if first_year < annee_debut:
        con.execute("UPDATE feuille_de_route SET annee_debut = ?", [first_year])
    con.execute("""
        CREATE TEMP TABLE periodes_bench AS
        SELECT periode, row_number() OVER (ORDER BY periode)::INTEGER AS import_id FROM (
            SELECT y::VARCHAR || '-T' || q::VARCHAR AS periode
            FROM range(?, ?) t(y) CROSS JOIN range(1, 5) u(q)
        ) WHERE periode <= ?
    """, [min(first_year, annee_debut), last_year + 1, current])
    con.execute("BEGIN TRANSACTION")
    con.execute(VALUES_SQL, {"n": values})
    con.execute(IMPORTS_SQL)
    con.execute("DELETE FROM periodes_bench WHERE import_id NOT IN (SELECT id FROM imports)")
    con.execute(HISTORY_SQL)
    con.execute(SUIVI_SQL)
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    count, = con.execute("SELECT count(*) FROM saisies").fetchone()
    con.close()
    assert count == values, (count, values)
    partial.rename(target)
    print(f"base de {values:,} valeurs créée en {time.perf_counter() - start:.1f} s : {target}".replace(",", "\u202f"))
    return target


# --------------------------------------------------------------------------------------------------------------
# Pages through AppTest
# --------------------------------------------------------------------------------------------------------------

def time_pages(pages: list[str], warm_runs: int,
               cold_runs: int = 1) -> list[tuple[str, float, float, list[float], str | None]]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.set_option("client.showErrorDetails", "full")  # the real message of a failing page, not the redacted one
    results = []
    for page in pages:
        path, _, query = page.partition("?")
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.run()
        if path != "app.py":
            at.switch_page(path)
        for pair in query.split("&") if query else []:
            key, _, value = pair.partition("=")
            at.query_params[key] = value  # like a shared link
        colds = []
        for _ in range(cold_runs):
            st.cache_data.clear()
            st.cache_resource.clear()
            start = time.perf_counter()
            at.run()
            colds.append(time.perf_counter() - start)
            if at.exception:
                break
        cold = statistics.median(colds)
        if at.exception:
            # Reported, not fatal: the other pages are still worth timing.
            error = " ".join(str(at.exception[0].message).split())[:300]
            results.append((page, cold, math.nan, [], error))
            print(f"  {page:34s} ERREUR après {cold * 1000:.0f} ms : {error}", flush=True)
            continue
        warm = []
        for _ in range(warm_runs):
            start = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - start)
        results.append((page, cold, statistics.median(warm), warm, None))
        print(f"  {page:34s} froid {cold * 1000:7.0f} ms   chaud {statistics.median(warm) * 1000:6.0f} ms", flush=True)
    return results


def cold_start(db_path: Path, timeout: float = 60) -> float:
    """Seconds from `streamlit run` to the first 200 on /_stcore/health (loopback only), then stop it."""
    port = free_port()
    env = {**os.environ, "LNE_DB": str(db_path)}
    command = [sys.executable, "-m", "streamlit", "run", "server.py", "--server.address", "127.0.0.1",
               "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    start = time.perf_counter()
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", [server], timeout, poll=0.02)
        return time.perf_counter() - start
    except (RuntimeError, TimeoutError) as exc:
        raise SystemExit(str(exc)) from exc
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=1_000_000)
    parser.add_argument("--warm", type=int, default=5, help="warm reruns per page (median)")
    parser.add_argument("--cold", type=int, default=3, help="cold runs per page, caches cleared each time (median)")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--starts", type=int, default=3, help="cold starts of `streamlit run` (median)")
    parser.add_argument("--cloture", action="store_true",
                        help="also close the last complete quarter and time the pages that show it frozen")
    args = parser.parse_args()

    db_path = build_database(args.values)
    # The pages write nothing here, but a copy keeps the generated base pristine for the next run.
    work = db_path.with_name(f"run_{os.getpid()}.duckdb")
    shutil.copyfile(db_path, work)
    os.environ["LNE_DB"] = str(work)
    os.environ.pop("LNE_COORDINATION_HASH", None)
    pages = args.pages.split(",")
    if args.cloture:
        from lne_data import clotures, db, periodes

        con = db.connect(work)
        quarter = periodes.previous(generate.quarters()[0])
        start = time.perf_counter()
        closure = clotures.close_quarter(con, quarter, comite_le=date.today(), reference="Banc d'essai",
                                         auteur="banc d'essai")
        print(f"clôture n°{closure} de {quarter} : {time.perf_counter() - start:.1f} s")
        con.close()
        pages += [f"pages/9_Clotures.py?cloture={closure}", f"pages/8_Reunion.py?cloture={closure}"]
    try:
        print(f"{os.cpu_count()} cœurs, charge moyenne {os.getloadavg()[0]:.1f} ; base {db_path.name}", flush=True)
        results = time_pages(pages, args.warm, args.cold)
        import streamlit as st

        st.cache_resource.clear()  # releases nothing by itself: the connection goes with this process below
        starts = []
        for _ in range(args.starts):
            starts.append(cold_start(db_path))
        print()
        print("| page | froid | chaud (médiane) |")
        print("|---|---:|---:|")
        for page, cold, warm, _, error in results:
            if error:
                print(f"| {page} | erreur ({error}) | — |")
            else:
                print(f"| {page} | {cold * 1000:.0f} ms | {warm * 1000:.0f} ms |")
        print(f"\n`streamlit run` → /_stcore/health : {statistics.median(starts):.2f} s (médiane de {len(starts)} : "
              + ", ".join(f"{s:.2f}" for s in starts) + ")")
    finally:
        for leftover in (work, Path(f"{work}.wal")):
            leftover.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
