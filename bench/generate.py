"""Workbooks for the benchmarks, built by code with xlsxwriter (fast, constant memory).

    python bench/generate.py [--out DIR]      # writes the scaled référentiel and the quarterly files

- `referentiel_national.xlsx`: a roadmap at national scale in the layout of data/referentiel_lne_2024-2027.xlsx
  (README « The reference workbook »): the Lot's 23 fiches, 3 axes and 8 objectifs repeated for 101 départements
  (13 fiches each, 1 313 fiches), 6 or 7 indicators per fiche (8 535 indicators of every type), porteurs,
  partenaires and moyens for each fiche. It loads with `lne_data.referentiel` without a problem.
- `saisie_{N}.xlsx`: a VALID quarterly workbook of N data rows for that roadmap (sheet « Saisie », the six
  contract columns, an « Instructions » sheet first): one row per indicator and quarter, the current quarter
  first then the previous ones (100 000 rows need 12 quarters: 2024-T1 … 2026-T4 when run in late 2026), every
  period ≤ the current quarter and within the roadmap's years. Values follow the indicator's type: counts
  (a few typed as French text, `1 234,5`), percentages, deliverable states, sentences; a comment on one row in
  three.

Everything is deterministic for a given date: the same files on every run of the same day.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lne_data import periodes  # noqa: E402

DEPARTEMENTS = 101
FICHES_PAR_DEPARTEMENT = 13
ANNEE_DEBUT, ANNEE_FIN = 2024, 2027
COORDINATRICE = "Agence nationale de la cohésion numérique"
DEFAULT_DIR = Path(tempfile.gettempdir()) / "lne_bench"
SIZES = (100, 1_000, 10_000, 100_000)

# The 23 fiches of the Lot: objectif and a title, reused (with the département's name) at national scale.
LOT = ROOT / "data" / "referentiel_lne_2024-2027.xlsx"

# Rank in the fiche → (type, unit, mode). Fiches with an odd number get a 7th indicator.
INDICATOR_KINDS = [
    ("nombre", "personnes", "flux"),
    ("nombre", "ateliers", "flux"),
    ("nombre", "lieux", "stock"),
    ("ratio", "%", "stock"),
    ("livrable", None, "stock"),
    ("qualitatif", None, "stock"),
    ("nombre", "€", "flux"),
]
LIVRABLES = ("non commencé", "en cours", "réalisé")


def departement(d: int) -> str:
    return f"{d + 1:03d}"


def fiche_count() -> int:
    return DEPARTEMENTS * FICHES_PAR_DEPARTEMENT


def indicators_of(numero: int) -> list[tuple[str, str, str | None, str]]:
    """(code, type, unit, mode) of each indicator of fiche `numero`."""
    count = 7 if numero % 2 else 6
    return [(f"F{numero:02d}-I{rank}", *INDICATOR_KINDS[rank - 1]) for rank in range(1, count + 1)]


def all_indicators() -> list[tuple[int, str, str, str | None, str]]:
    return [(n, *ind) for n in range(1, fiche_count() + 1) for ind in indicators_of(n)]


def _lot_fiches() -> list[dict]:
    from lne_data.referentiel import read_referentiel

    ref = read_referentiel(LOT.read_bytes())
    return ref.tables["fiches"], ref.tables["objectifs"], ref.tables["axes"]


def _sheet(book: xlsxwriter.Workbook, name: str, header: list[str], rows) -> None:
    sheet = book.add_worksheet(name)
    sheet.write_row(0, 0, header)
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            elif isinstance(value, date):
                sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
            else:
                sheet.write_number(r, c, value)


def build_referentiel(path: Path) -> None:
    """The national-scale roadmap (see the module docstring)."""
    lot_fiches, objectifs, axes = _lot_fiches()
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    _sheet(book, "feuille_de_route",
           ["titre", "territoire", "structure_coordinatrice", "annee_debut", "annee_fin", "version", "source"],
           [["Numérique Ensemble national 2024-2027 (banc d'essai)", "France", COORDINATRICE, ANNEE_DEBUT,
             ANNEE_FIN, "banc d'essai", "bench/generate.py"]])
    _sheet(book, "axes", ["code", "libelle"], [[a["code"], a["libelle"]] for a in axes])
    _sheet(book, "objectifs", ["code", "axe", "libelle"], [[o["code"], o["axe"], o["libelle"]] for o in objectifs])

    def fiches():
        for n in range(1, fiche_count() + 1):
            model = lot_fiches[(n - 1) % len(lot_fiches)]
            dep = departement((n - 1) // FICHES_PAR_DEPARTEMENT)
            yield [n, model["objectif"], f"{model['intitule']} ({dep})", model["public_cible"], model["enjeux"],
                   model["description"], model["freins"], model["leviers"], model["ressources_existantes"],
                   model["ajoutee_le"] or date(2024, 10, 21), "Banc d'essai"]

    _sheet(book, "fiches", ["numero", "objectif", "intitule", "public_cible", "enjeux", "description", "freins",
                            "leviers", "ressources_existantes", "ajoutee_le", "version"], fiches())

    def structures():
        yield [COORDINATRICE, "ANCN", "État"]
        yield ["Banque des Territoires", "", "établissement public"]
        for d in range(DEPARTEMENTS):
            dep = departement(d)
            yield [f"Syndicat numérique {dep}", f"syndicat numerique {dep}", "collectivité"]
            yield [f"Conseil départemental {dep}", "", "collectivité"]
            yield [f"Association de médiation {dep}", "", "association"]
            yield [f"Communauté de communes {dep}-A", "", "collectivité"]
            yield [f"Communauté de communes {dep}-B", "", "collectivité"]

    _sheet(book, "structures", ["nom", "variantes", "type"], structures())

    def owners(n: int) -> list[tuple[str, str]]:
        dep = departement((n - 1) // FICHES_PAR_DEPARTEMENT)
        if n % 4 == 0:
            return [(f"Syndicat numérique {dep}", "co-porteur"), (f"Conseil départemental {dep}", "co-porteur")]
        if n % 9 == 0:
            return [(COORDINATRICE, "porteur")]
        return [(f"Syndicat numérique {dep}", "porteur")]

    _sheet(book, "porteurs", ["fiche", "structure", "role", "source"],
           ([n, s, role, s] for n in range(1, fiche_count() + 1) for s, role in owners(n)))

    def partners():
        for n in range(1, fiche_count() + 1):
            dep = departement((n - 1) // FICHES_PAR_DEPARTEMENT)
            yield [n, f"Association de médiation {dep}", "partenaire opérationnel", "médiation"]
            yield [n, f"Communauté de communes {dep}-{'AB'[n % 2]}", None, "relais local"]
            if n % 5 == 0:
                yield [n, "Banque des Territoires", "partenaire financier", "cofinancement"]

    _sheet(book, "partenaires", ["fiche", "structure", "precision", "source"], partners())

    def means():
        for n in range(1, fiche_count() + 1):
            owner, role = owners(n)[0]
            single = role == "porteur"
            who, how = (owner, "porteur unique") if single else (None, "non précisée")
            etp = round(0.1 + 0.05 * (n % 7), 2)
            yield [n, "RH", "etp", who, how, "Coordination", "oui", etp, "ETP", "ponctuel", None,
                   f"{etp} ETP de coordination"]
            if n % 6 == 0:
                yield [n, "INVESTISSEMENT", "investissement", None, None, "À définir", "non", None, None, None,
                       None, "à définir"]
            else:
                amount = 1000 * (1 + n % 20)
                yield [n, "INVESTISSEMENT", "investissement", who, how, "Matériel", "oui", amount, "EUR",
                       "ponctuel", None, f"{amount} €"]
            if n % 5 == 0:
                yield [n, "INVESTISSEMENT", "charge", who, how, "Licences", "oui", 2000, "EUR", "par an", None,
                       "2 000 € par an"]
            if n % 11 == 0:
                yield [n, "INVESTISSEMENT", "investissement", who, how, "Équipement 2026", "oui", 500, "EUR",
                       "annee", 2026, "500 € en 2026"]

    _sheet(book, "moyens", ["fiche", "rubrique", "nature", "structure", "attribution", "libelle", "quantifie",
                            "montant", "unite", "periodicite", "annee", "source"], means())

    def indicators():
        for n, code, type_, unit, mode in all_indicators():
            rank = int(code.rsplit("I", 1)[1])
            cible = 50 * (1 + n % 4) if type_ == "nombre" and rank == 1 and n % 3 == 0 else None
            echeance = 2026 if type_ == "livrable" else None
            yield [code, n, f"Indicateur {rank} de la fiche {n} ({type_}, {mode})", type_, unit, mode, cible,
                   f"cible de {cible}" if cible else None, echeance]

    _sheet(book, "indicateurs", ["code", "fiche", "libelle", "type", "unite", "mode", "cible", "cible_source",
                                 "echeance"], indicators())
    book.close()


def quarters(today: date | None = None) -> list[str]:
    """The quarters a file may hold, most recent first: within the roadmap and not after the current one."""
    current = periodes.of_date(today or periodes.today())
    return [p for p in reversed(periodes.all_between(ANNEE_DEBUT, ANNEE_FIN)) if p <= current]


def saisie_rows(n_rows: int, today: date | None = None):
    """(fiche, code, periode, valeur, commentaire, saisi_par) of a valid file of `n_rows` rows."""
    indicators = all_indicators()
    available = quarters(today)
    if n_rows > len(indicators) * len(available):
        raise ValueError(f"{n_rows} lignes : au plus {len(indicators) * len(available)} couples indicateur × "
                         "trimestre pour ce référentiel à cette date")
    produced = 0
    for q, periode in enumerate(available):
        for i, (n, code, type_, _unit, _mode) in enumerate(indicators):
            if produced == n_rows:
                return
            k = i + 7 * q
            if type_ == "nombre":
                value: float | str = float(k % 97 + 1)
                if k % 50 == 0:
                    value = f"1 {k % 1000:03d},5"  # French writing, read as text then parsed
            elif type_ == "ratio":
                value = float(5 + k % 90)
            elif type_ == "livrable":
                value = LIVRABLES[k % 3]
            else:
                value = f"Avancement du trimestre {periode} pour {code} : réunions tenues, publics rencontrés."
            commentaire = f"Commentaire {k}" if k % 3 == 0 else None
            dep = departement((n - 1) // FICHES_PAR_DEPARTEMENT)
            yield n, code, periode, value, commentaire, f"Syndicat numérique {dep}"
            produced += 1


def build_saisie(target: Path | io.BytesIO, n_rows: int, today: date | None = None) -> None:
    book = xlsxwriter.Workbook(target if isinstance(target, io.BytesIO) else str(target),
                               {"constant_memory": True, "in_memory": isinstance(target, io.BytesIO)})
    book.add_worksheet("Instructions").write_string(0, 0, "Remplissez la feuille « Saisie » (banc d'essai).")
    sheet = book.add_worksheet("Saisie")
    sheet.write_row(0, 0, ["fiche", "indicateur", "periode", "valeur", "commentaire", "saisi_par"])
    write_string, write_number = sheet.write_string, sheet.write_number
    for r, (n, code, periode, value, commentaire, saisi_par) in enumerate(saisie_rows(n_rows, today), start=1):
        write_number(r, 0, n)
        write_string(r, 1, code)
        write_string(r, 2, periode)
        if isinstance(value, str):
            write_string(r, 3, value)
        else:
            write_number(r, 3, value)
        if commentaire:
            write_string(r, 4, commentaire)
        write_string(r, 5, saisi_par)
    book.close()


def ensure(directory: Path = DEFAULT_DIR, sizes=SIZES) -> dict[str, Path]:
    """Build what is missing (files are named after the day: periods depend on it) and return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = {"referentiel": directory / "referentiel_national.xlsx"}
    if not paths["referentiel"].exists():
        build_referentiel(paths["referentiel"])
    stamp = periodes.of_date(periodes.today())
    for size in sizes:
        path = directory / f"saisie_{size}_{stamp}.xlsx"
        if not path.exists():
            build_saisie(path, size)
        paths[str(size)] = path
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args()
    for name, path in ensure(args.out).items():
        print(f"{name:12s} {path} ({path.stat().st_size / 1e6:.2f} Mo)")


if __name__ == "__main__":
    main()
