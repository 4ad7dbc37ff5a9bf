"""`python -m lne_data`: the command line of the coordinatrice and of the maintainers.

Over 500 lines as one module on purpose: it is one job, a function per command and the parser that names them,
with the few file and exit-status helpers they all share; split, a command would be read across several files.

Every subcommand takes `--db PATH` (else the `LNE_DB` environment variable, else `var/lne.duckdb`).
Exit status: 0 success; 1 the content was refused; 2 the file cannot be read as a workbook, the database
cannot be opened, or an argument cannot be used (a folder that does not exist, a folder, device or FIFO given
as a file, a period outside the roadmap). Messages are French and the same as the dashboard's; a command
ends in a traceback only for a bug of ours, and a refused command creates no file. What is refused is raised by
name where it is known (`problems.NotFound`, `Refused`, `RejectedInput`, `db.DatabaseUnavailable`, `Unusable`)
and caught by name: never `except LookupError` or `ValueError`, which would turn pandas' KeyError into « refusé ».

What a user typed or uploaded (a file name, an author, a motif, a structure) is printed through `problems.visible`:
a terminal escape sequence in an uploaded file's name is shown as ⟨U+001B⟩, never obeyed; JSON output stays exact
JSON, those characters escaped (`\\u001b`). In shared mode (`LNE_INSTANTANES`), every write takes the writers' lock
and publishes a snapshot, as the dashboard's writes do.
"""

from __future__ import annotations

import argparse
import errno
import getpass
import io
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any, NoReturn

import duckdb

from . import (
    auth,
    cibles,
    codes,
    comptes,
    db,
    formatting,
    mon_inclusion,
    outils,
    periodes,
    queries,
    saisie,
    snapshots,
    sql,
    versions,
    views,
)
from .formatting import number
from .outils import min as min_
from .problems import NO_REFERENTIEL, NotFound, Problem, Refused, RejectedInput, hidden, visible
from .referentiel import read_referentiel
from .template import build_template
from .xlsx import Limits

EXIT_OK, EXIT_REJECTED, EXIT_UNREADABLE = 0, 1, 2

# Problems about the container itself (not a workbook, encrypted, zip bomb…) give exit status 2.
FILE_LEVEL_CODES = codes.FILE_LEVEL_CODES


class Unusable(Exception):
    """An argument the command cannot use (a path, a period): its French message, exit status 2."""


# French for the system's reasons (strerror is English).
_REASONS = {
    errno.ENOENT: "ce chemin n'existe pas",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.EACCES: "accès refusé (droits du fichier ou du dossier)",
    errno.EPERM: "opération non permise",
    errno.ENOSPC: "le disque est plein",
    errno.EROFS: "le disque est en lecture seule",
    errno.ELOOP: "trop de liens symboliques",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.ENXIO: "périphérique absent",
}


def reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0, f"erreur système n°{exc.errno}")


def read_input(path: Path, limit: int) -> bytes:
    """A file named on the command line, as bytes: a regular file only — a FIFO would block the command and a
    device such as /dev/zero never ends — and at most `limit + 1` bytes (the reader refuses more itself)."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting, so it can be refused.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise Unusable(f"Impossible de lire {visible(path)} : {reason(exc)}.") from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise Unusable(f"{visible(path)} est un dossier : donnez le chemin d'un fichier.")
        raise Unusable(f"{visible(path)} n'est pas un fichier ordinaire (périphérique, tube ou socket) : donnez le "
                       "chemin d'un fichier enregistré sur le disque.")
    with os.fdopen(fd, "rb") as file:
        try:
            return file.read(limit + 1)
        except OSError as exc:
            raise Unusable(f"Impossible de lire {visible(path)} : {reason(exc)}.") from exc


def check_output(path: Path) -> None:
    """Refuse, before any work, a file the command could not write: its folder missing or not writable, or the
    path a folder, a device or a FIFO (writing to a FIFO would wait for a reader forever)."""
    check_parent(path)
    if path.exists() and not path.is_file():
        kind = "un dossier" if path.is_dir() else "un périphérique ou un tube"
        raise Unusable(f"{visible(path)} est {kind} : donnez à « -o » le chemin du fichier à écrire.")


def check_parent(path: Path) -> None:
    """The folder an output is written in: it must exist (only the default `var/` is created) and be writable."""
    folder = path.parent
    if not folder.is_dir():
        raise Unusable(f"Le dossier {visible(folder)} n'existe pas : créez-le d'abord, ou choisissez un autre chemin "
                       "pour « -o ».")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise Unusable(f"Impossible d'écrire dans le dossier {visible(folder)} : accès refusé.")


def write_output(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: into a temporary file of the same folder, then renamed over `path`."""
    check_output(path)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise Unusable(f"Impossible d'écrire {visible(path)} : {reason(exc)}.") from exc


def check_folder_output(path: Path) -> None:
    """Refuse, before any work, a folder the command could not write whole: its parent missing or not writable, the
    path a file, or a folder holding anything but what an earlier export wrote there (its `datapackage.json` and its
    CSV files, which are replaced). A folder of other files is never emptied."""
    check_parent(path)
    if path.exists() and not path.is_dir():
        raise Unusable(f"{visible(path)} n'est pas un dossier : donnez à « -o » le chemin du dossier à écrire (il "
                       "sera créé).")
    if path.is_dir():
        entries = list(path.iterdir())
        ours = all(e.is_file() and not e.is_symlink() and (e.name == "datapackage.json" or e.suffix == ".csv")
                   for e in entries)
        if entries and not (ours and (path / "datapackage.json").is_file()):
            raise Unusable(f"Le dossier {visible(path)} contient d'autres fichiers qu'un paquet de données : "
                           "choisissez un dossier vide ou un nouveau chemin pour « -o ».")


def write_folder(path: Path, files: dict[str, bytes]) -> None:
    """Write the whole folder or nothing: its files into a temporary folder beside it, then renamed over `path` (an
    earlier export there is replaced, removed only once the new folder is in place)."""
    check_folder_output(path)
    temporary = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    old = path.parent / f"{temporary.name}.ancien"
    try:
        for name, data in files.items():
            (temporary / name).write_bytes(data)
            os.chmod(temporary / name, 0o666 & ~_umask())
        os.chmod(temporary, 0o777 & ~_umask())
        if path.exists():
            os.replace(path, old)
        os.replace(temporary, path)
    except OSError as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        if old.exists() and not path.exists():
            os.replace(old, path)  # the earlier export back where it was
        raise Unusable(f"Impossible d'écrire {visible(path)} : {reason(exc)}.") from exc
    shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def roadmap_period(con: duckdb.DuckDBPyConnection, text: str) -> str:
    """`text` as a quarter of the loaded roadmap (`2026-T1`), or Unusable with a French message."""
    found = periodes.parse(text)
    if found is None:
        raise Unusable(f"« {visible(text)} » n'est pas un trimestre : écrivez-le sous la forme 2026-T1.")
    row = con.execute(sql.ANNEES).fetchone()
    if row is None:
        raise NotFound(NO_REFERENTIEL)
    debut, fin = int(row[0]), int(row[1])
    if not debut <= periodes.annee(found) <= fin:
        raise Unusable(f"Le trimestre {periodes.label(found)} est hors de la feuille de route ({debut}-{fin}) : "
                       f"choisissez un trimestre de {debut} à {fin}.")
    return found


def open_db(args: argparse.Namespace, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """The database of a command other than `init`: it must exist and hold the dashboard's tables."""
    con = db.connect(args.db, read_only=read_only, create=False)
    if not db.has_schema(con):
        con.close()
        raise Unusable(f"La base {db.resolve_db_path(args.db)} n'a pas les tables du tableau de bord : créez-la ou "
                       "mettez-la à jour avec « python -m lne_data init ».")
    return con


def _shared_store(args: argparse.Namespace) -> snapshots.SnapshotStore | None:
    """The snapshots to publish after a write: in shared mode, when the database is the master the dashboards
    publish (`LNE_DB`; another file given with `--db` is read by no dashboard)."""
    folder = snapshots.folder_from_env()
    if folder is None or db.resolve_db_path(args.db).resolve() != db.resolve_db_path(None).resolve():
        return None
    return snapshots.SnapshotStore(args.db, folder)


@contextmanager
def writing(args: argparse.Namespace, *, create: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database a command writes to. In shared mode, under the writers' lock, and published when the block
    ends (even when the command refused: the same data again) — else the dashboards would go on reading the
    snapshot from before, an undone import still shown, until some other write published. `main` says it once
    the command succeeded (`publication_note`). Without `create`, the database must exist with its tables."""
    args.writes = True
    store = _shared_store(args)
    if store is None:
        with closing(db.connect(args.db) if create else open_db(args)) as con:
            yield con
        return
    if not create:
        open_db(args).close()  # refused before the lock: store.write() would create a missing master
    with store.write() as con:
        yield con
    args.published = (store.generation(), store.folder)


def publication_note(args: argparse.Namespace) -> str | None:
    """After a successful write, what the dashboards show: the snapshot just published, or — a master whose
    snapshots sit in `deploy.shared`'s default folder while `LNE_INSTANTANES` is not set here — that they show
    the state from before until the next publication, and how to publish."""
    published = getattr(args, "published", None)
    if published is not None:
        return (f"Instantané n°{published[0]} publié dans {published[1]} : les tableaux de bord le montrent à "
                "l'affichage suivant de chaque page.")
    if not getattr(args, "writes", False) or snapshots.folder_from_env() is not None:
        return None
    folder = Path(f"{db.resolve_db_path(args.db)}.instantanes")
    if not (folder / snapshots.POINTER).is_file():
        return None
    return (f"Attention : les tableaux de bord en mode partagé lisent l'instantané publié dans {folder}, qui ne "
            "contient pas ce changement : ils montrent l'état d'avant (une valeur annulée y reste affichée) jusqu'à "
            f"la prochaine publication. Publiez-le maintenant avec « {snapshots.ENV_FOLDER}={folder} python -m "
            f"lne_data.snapshots » (même {db.ENV_DB}), ou définissez {snapshots.ENV_FOLDER} avant la commande.")


def print_json(value: Any) -> None:
    """`value` as JSON, exact, with every character a terminal would obey or nobody would see escaped (`\\u001b`,
    `\\u200b`): the same JSON value, safe to print. Outside strings JSON is ASCII, so only strings change."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    print("".join(_json_escape(c) if c not in " \n" and hidden(c) else c for c in text))


def _json_escape(char: str) -> str:
    code = ord(char)
    if code > 0xFFFF:  # JSON writes a character beyond the BMP as its UTF-16 surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


class _Shown:
    """A text stream that writes every line through `visible` (no-break spaces kept: the French numbers of our own
    messages hold them): the net under the command line's output, whatever a message quotes."""

    def __init__(self, stream: Any):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write("\n".join(visible(line, spaces=False) for line in text.split("\n")))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem.as_text(), file=sys.stderr)


def exit_status_for(problems: list[Problem]) -> int:
    if any(p.code in FILE_LEVEL_CODES for p in problems if p.is_error):
        return EXIT_UNREADABLE
    return EXIT_REJECTED


def cmd_init(args: argparse.Namespace) -> int:
    path = Path(args.referentiel) if args.referentiel else db.DEFAULT_REFERENTIEL
    data = read_input(path, Limits().max_file_bytes)
    with writing(args, create=True) as con:
        applied = db.migrate(con)
        # A database loaded before versions existed: its référentiel becomes its versions before anything is compared.
        versions.record_existing(con, auteur=args.auteur)
        referentiel = read_referentiel(data)
        print_problems(referentiel.avertissements)  # loaded all the same: what was read with a warning
        # Like an import: a workbook that would change the version in force is shown first, applied when asked.
        difference = versions.difference_with_in_force(con, referentiel)
        if not difference.empty:
            in_force = versions.in_force(con)
            print(f"Différences avec la {versions.label(in_force) if in_force else 'version en vigueur'} "
                  f"({difference.resume()}) :")
            for line in difference.lines():
                print(f"  {visible(line, spaces=False)}")
            # What it would do to the entries and targets recorded, said before anything is applied.
            print_problems(versions.risks_of(con, referentiel).problems)
            if not args.appliquer:
                print("Rien n'a été changé : relancez la commande avec « --appliquer » pour en faire la nouvelle "
                      "version de la feuille de route.", file=sys.stderr)
                return EXIT_REJECTED
        changed = versions.load(con, referentiel, auteur=args.auteur, hors_periode=args.hors_periode)
        if args.exemples:
            from .demo import load_examples

            load_examples(con)
        in_force = versions.in_force(con)
    if applied:
        print(f"Schéma de la base mis à jour (versions {', '.join(map(str, applied))}).")
    print(
        f"Référentiel « {visible(referentiel.feuille_de_route['titre'])} » "
        + ("chargé" if changed else "déjà à jour, rien à changer")
        + f" dans {db.resolve_db_path(args.db)}"
        + (f" ; en vigueur : {versions.label(in_force)}." if in_force else ".")
    )
    return EXIT_OK


def cmd_versions(args: argparse.Namespace) -> int:
    if args.annuler is not None:
        with writing(args) as con:
            previous = versions.undo(con, args.annuler, args.auteur, hors_periode=args.hors_periode)
            in_force = versions.in_force(con)
        print(f"Version n°{args.annuler} annulée : la version n°{previous} est de nouveau en vigueur "
              f"({versions.label(in_force)}).")
        return EXIT_OK
    with closing(open_db(args, read_only=True)) as con:
        listed = versions.as_json(con)
        changes = versions.changes_of(con, args.difference) if args.difference is not None else None
    if args.difference is not None and changes is None:
        print("La première version n'a pas de version précédente à laquelle la comparer.", file=sys.stderr)
        return EXIT_REJECTED
    if args.json:
        out: Any = changes.as_json() if changes is not None else listed
        print_json(out)
        return EXIT_OK
    if changes is not None:
        print(f"Ce que la version n°{args.difference} a changé ({changes.resume()}) :")
        for line in changes.lines():
            print(f"  {visible(line, spaces=False)}")
        return EXIT_OK
    if not listed:
        print("Aucune version : lancez « python -m lne_data init ».")
    for v in listed:
        state = (" — en vigueur" if v["en_vigueur"] else
                 f" — annulée le {v['annulee_le'].replace('T', ' ')}" if v["annulee_le"] else "")
        adopted = f", adoptée le {date.fromisoformat(v['adoptee_le']):%d/%m/%Y}" if v["adoptee_le"] else ""
        rebuilt = f" ({v['reconstituee']})" if v["reconstituee"] else ""
        print(f"n°{v['numero']} {visible(v['libelle'] or 'sans libellé')}{adopted} : {v['fiches']} fiches, "
              f"chargée par {visible(v['charge_par'])} le {v['charge_le'].replace('T', ' ')}{rebuilt}{state}")
    return EXIT_OK


def cmd_summary(args: argparse.Namespace) -> int:
    with closing(open_db(args, read_only=True)) as con:
        result = views.version_summary(con, args.version)
    if args.json:
        print_json(result)
    else:
        print(f"{result['fiches']} fiches action, {result['indicateurs']} indicateurs")
        for (axe, figures), planned in zip(result["axes"].items(), result["budget_par_axe"].values()):
            # Numbers the French way (lne_data.formatting): « 13 800 € », « 0,1 ETP »; the list keeps its commas.
            # The money planned in the one sentence every screen and export says (rules.Prevu.phrase).
            print(f"- {axe} : fiches {', '.join(map(str, figures['fiches']))} ; {planned['phrase']} ; "
                  f"{formatting.etp(figures['etp'])}")
        print(f"Fiches sans investissement chiffré : {', '.join(map(str, result['fiches_non_chiffrees']))}")
    return EXIT_OK


def _check(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> tuple[int, saisie.Validation | None]:
    path = Path(args.fichier)
    data = read_input(path, Limits().max_file_bytes)
    validation = saisie.check_file(data, path.name, saisie.load_context(con))
    print_problems(validation.problems)
    if not validation.ok:
        print(f"Fichier refusé : {number(len(validation.errors))} erreur(s), rien n'a été écrit.", file=sys.stderr)
        return exit_status_for(validation.errors), validation
    return EXIT_OK, validation


def cmd_check(args: argparse.Namespace) -> int:
    with closing(open_db(args, read_only=True)) as con:
        status, validation = _check(args, con)
        if status != EXIT_OK or validation is None:
            return status
        result = saisie.preview(con, validation)
    print(
        f"Fichier valide : {number(len(validation.entries))} valeur(s)"
        + (f" et {number(len(validation.depenses))} ligne(s) de dépenses" if len(validation.depenses) else "")
        + f" — {number(result.count('nouvelle'))} "
        f"nouvelle(s), {number(result.count('modifiée'))} modifiée(s), {number(result.count('inchangée'))} "
        "inchangée(s). Rien n'a été écrit."
    )
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    with writing(args) as con:
        status, validation = _check(args, con)
        if status != EXIT_OK or validation is None:
            return status
        result = saisie.import_file(con, validation, auteur=args.auteur)
    if result.import_id is None:
        print(f"Rien à importer : les {number(result.inchangees)} valeur(s) du fichier sont déjà enregistrées.")
    else:
        print(
            f"Import n°{result.import_id} enregistré : {number(result.nouvelles)} nouvelle(s), "
            f"{number(result.modifiees)} modifiée(s), {number(result.inchangees)} inchangée(s)"
            + (f" ; {number(result.exemples_retires)} donnée(s) d'exemple retirée(s)" if result.exemples_retires
               else "")
            + "."
        )
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    output = Path(args.output)
    check_output(output)  # before the work: a typing mistake in -o is told at once
    buffer = BytesIO()
    with closing(open_db(args, read_only=True)) as con:
        periode = roadmap_period(con, args.periode)
        try:
            count = build_template(con, periode, buffer, porteur=args.porteur)
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_REJECTED
    write_output(output, buffer.getvalue())  # only a complete template reaches the disk
    print(f"Modèle écrit dans {visible(args.output)} ({count} indicateur(s)).")
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    with closing(open_db(args, read_only=True)) as con:
        imports = queries.imports(con)
    if imports.empty:
        print("Aucun import.")
    for row in imports.itertuples():
        state = f" — annulé le {row.annule_le:%d/%m/%Y %H:%M} par {visible(row.annule_par)}" if row.annule_par else ""
        print(
            f"n°{row.id} {row.importe_le:%d/%m/%Y %H:%M} {visible(row.auteur)} « {visible(row.fichier)} » : "
            f"{number(row.nb_nouvelles)} nouvelle(s), {number(row.nb_modifiees)} modifiée(s){state}"
        )
    return EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    with writing(args) as con:
        undone = saisie.undo_import(con, args.import_id, auteur=args.auteur)
    print(f"Import n°{args.import_id} annulé : {number(undone.valeurs)} valeur(s) de cet import retirée(s) ou "
          "remise(s) dans leur état précédent"
          + (f", {number(undone.exemples)} donnée(s) d'exemple de retour." if undone.exemples else "."))
    return EXIT_OK


def _decision_text(row: object) -> str:
    """One decision of the coordination as the history lists it."""
    r: Any = row
    unit = f" {r.unite}" if isinstance(r.unite, str) and r.unite else ""
    what = ("cible retirée" if r.cible is None or r.cible != r.cible
            else f"cible {formatting.number(float(r.cible), 2)}{unit}"
            + (f", échéance {int(r.echeance)}" if r.echeance is not None and r.echeance == r.echeance else ""))
    state = (f" — annulée le {r.annulee_le:%d/%m/%Y %H:%M} par {visible(r.annulee_par)}" if r.annulee_par
             else " — en vigueur" if r.en_vigueur else " — remplacée depuis")
    return (f"n°{r.id} {r.fixee_le:%d/%m/%Y %H:%M} {visible(r.auteur)} — {r.indicateur} : {what} — motif : "
            f"{visible(r.motif)}{state}")


def cmd_cible(args: argparse.Namespace) -> int:
    if args.historique:
        with closing(open_db(args, read_only=True)) as con:
            decisions = cibles.history(con)
        if decisions.empty:
            print("Aucune cible fixée par la coordination : les seules cibles sont celles du texte.")
        for row in decisions.astype(object).where(decisions.notna(), None).itertuples():
            print(_decision_text(row))
        return EXIT_OK
    try:
        if args.annuler is not None:
            with writing(args) as con:
                code = cibles.undo_target(con, args.annuler, args.auteur)
            print(f"Décision n°{args.annuler} annulée : la cible de {code} est de nouveau la précédente "
                  "(celle de la coordination, sinon celle du texte).")
            return EXIT_OK
        if not args.indicateur:
            print("Indiquez l'indicateur (par exemple « cible F03-I1 --valeur 120 --motif … »), ou « --historique », "
                  "ou « --annuler N ».", file=sys.stderr)
            return EXIT_REJECTED
        with writing(args) as con:
            decision = cibles.set_target(con, args.indicateur, args.valeur, args.echeance, args.motif or "",
                                         args.auteur, retirer=args.retirer)
    except RejectedInput as exc:
        # The problems concern the command's options, not a file: their message alone, without a location.
        for problem in exc.problems:
            print(f"Refusé [{problem.code}] : {problem.message}", file=sys.stderr)
        print("Rien n'a été enregistré.", file=sys.stderr)
        return EXIT_REJECTED
    print(f"Décision n°{decision} enregistrée : {visible(args.indicateur.strip().upper())} "
          + ("n'a plus de cible." if args.retirer else "a pour cible celle fixée par la coordination."))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    # Imported here: python-pptx and reportlab take a while to load and the other commands never need them.
    from . import reports

    if args.fiche is not None and args.format != "pdf":
        print("La fiche seule n'existe qu'en PDF : utilisez « --format pdf » avec « --fiche ».", file=sys.stderr)
        return EXIT_REJECTED
    if args.fiche is None and not args.periode:
        print("Indiquez le trimestre du rapport avec « --periode », par exemple 2025-T3.", file=sys.stderr)
        return EXIT_REJECTED
    output = Path(args.output)
    check_output(output)
    con = open_db(args, read_only=True)
    buffer = io.BytesIO()
    try:
        if args.fiche is not None:
            reports.build_fiche_pdf(con, args.fiche, buffer)
        else:
            buffer.write(reports.build(reports.report_data(con, roadmap_period(con, args.periode)), args.format))
    except (NotFound, Refused) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REJECTED
    finally:
        con.close()
    # Written only once complete, so that a refusal never leaves a half-written file behind.
    write_output(output, buffer.getvalue())
    print(f"Rapport écrit dans {visible(args.output)}.")
    return EXIT_OK


# The formats of `export`, each a file (or a folder) for a tool of the State or for open data: the registry of
# `lne_data.outils`, which the « Exports » page reads too. A format is added there, in one line.
EXPORTS = outils.FORMATS


def cmd_export(args: argparse.Namespace) -> int:
    chosen = EXPORTS[args.format]
    output = Path(args.output)
    # Before the work: a typing mistake in -o is told at once.
    (check_folder_output if chosen.dossier else check_output)(output)
    with closing(open_db(args, read_only=True)) as con:
        data = chosen.ecrire(con)
        left = chosen.remarques(con)
    if chosen.dossier:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            write_folder(output, {name: archive.read(name) for name in archive.namelist()})
    else:
        write_output(output, data)
    print(f"{chosen.libelle} ({chosen.outil}) écrit dans {visible(args.output)}.")
    for remark in left:
        print(f"À faire : {remark}")
    return EXIT_OK


def _fiche_line(action: min_.MinAction) -> str:
    """A fiche's besoins as `min besoins` lists them: confirmed (by whom, when) or proposed (and why)."""
    labels = mon_inclusion.BESOINS
    confirmed = action.confirmation
    if confirmed is not None:
        state = f"confirmés par {visible(confirmed.auteur)} le {confirmed.le:%d/%m/%Y %H:%M} (n°{confirmed.decision})"
        listed = [f"    {code} — {labels[code]}" for code in confirmed.besoins]
    else:
        state = "non confirmés, proposés d'après la fiche"
        listed = [f"    {s.code} — {labels[s.code]} ({s.raison})" for s in action.suggestion]
    return "\n".join([f"Fiche {action.fiche} — {visible(action.intitule)} : besoins {state}", *listed])


# The options of `min` that only one of its actions takes.
_MIN_OPTIONS = {"valeur": "identifiant", "confirmer": "besoins", "annuler": "besoins", "retirer": "identifiant",
                "json": "controle"}


def cmd_min(args: argparse.Namespace) -> int:
    misplaced = [name for name, quoi in _MIN_OPTIONS.items() if getattr(args, name) not in (None, False)
                 and quoi != args.quoi]
    if misplaced or (args.confirmer is not None and args.annuler) or (args.valeur is not None and args.retirer):
        said = ", ".join("l'identifiant" if name == "valeur" else f"--{name}" for name in misplaced)
        print((f"« min {args.quoi} » ne prend pas {said}." if misplaced
               else "Choisissez : confirmer ou annuler, donner un identifiant ou le retirer.")
              + " Voir « min --help ».", file=sys.stderr)
        return EXIT_REJECTED
    try:
        if args.quoi == "besoins":
            return _min_besoins(args)
        if args.quoi == "identifiant":
            return _min_identifiant(args)
    except RejectedInput as exc:
        # The problems concern the command's arguments, not a file: their message alone, without a location.
        for problem in exc.problems:
            print(f"Refusé [{problem.code}] : {problem.message}", file=sys.stderr)
        print("Rien n'a été enregistré.", file=sys.stderr)
        return EXIT_REJECTED
    with closing(open_db(args, read_only=True)) as con:
        if args.quoi == "historique":
            return _min_history(views.min_decisions(con).historique)
        found = min_.export(con)
    if args.json:
        print_json(found.preflight)
        return EXIT_OK
    for action in found.actions:
        print(f"Fiche {action.fiche} — {visible(action.intitule)}"
              + (f" (identifiant MIN {visible(action.identifiant.identifiant)})" if action.identifiant else ""))
        for point in action.points:
            print(f"  [{point.niveau}] {visible(point.message, spaces=False)}")
    return EXIT_OK


def _min_besoins(args: argparse.Namespace) -> int:
    if args.confirmer is not None or args.annuler:
        if not args.fiche:
            print("Indiquez la fiche : « min besoins F03 --confirmer … ».", file=sys.stderr)
            return EXIT_REJECTED
        with writing(args) as con:
            if args.annuler:
                decision = mon_inclusion.undo_besoins(con, args.fiche, args.auteur)
            else:
                decision = mon_inclusion.confirm_besoins(con, args.fiche, args.confirmer, args.auteur)
            found = min_.export(con)
        numero = mon_inclusion.fiche_number(args.fiche)
        done = "annulée" if args.annuler else "enregistrée"
        print(f"Confirmation n°{decision} {done}.")
        print(_fiche_line(next(a for a in found.actions if a.fiche == numero)))
        return EXIT_OK
    with closing(open_db(args, read_only=True)) as con:
        found = min_.export(con)
    numero = mon_inclusion.fiche_number(args.fiche) if args.fiche else None
    shown = [a for a in found.actions if numero is None or a.fiche == numero]
    if not shown:
        print(f"La fiche « {visible(args.fiche)} » n'est pas une fiche de la feuille de route en vigueur.",
              file=sys.stderr)
        return EXIT_REJECTED
    for action in shown:
        print(_fiche_line(action))
    if numero is not None:
        print("Besoins de Mon Inclusion Numérique (codes à donner à « --confirmer », séparés par des virgules) :")
        for code, label in mon_inclusion.BESOINS.items():
            print(f"  {code} — {label}")
    return EXIT_OK


def _min_identifiant(args: argparse.Namespace) -> int:
    if args.valeur is not None or args.retirer:
        if not args.fiche:
            print("Indiquez la fiche : « min identifiant F03 IDENTIFIANT ».", file=sys.stderr)
            return EXIT_REJECTED
        with writing(args) as con:
            decision = mon_inclusion.set_identifiant(con, args.fiche, args.valeur, args.auteur, retirer=args.retirer)
        numero = mon_inclusion.fiche_number(args.fiche)
        print(f"Décision n°{decision} enregistrée : la fiche {numero} "
              + ("n'a plus d'identifiant MIN." if args.retirer
                 else f"a pour identifiant MIN « {visible(str(args.valeur).strip())} »."))
        return EXIT_OK
    with closing(open_db(args, read_only=True)) as con:
        decisions = views.min_decisions(con)
    numero = mon_inclusion.fiche_number(args.fiche) if args.fiche else None
    listed = decisions.identifiants[decisions.identifiants["identifiant"].notna()]
    if numero is not None:
        listed = listed[listed["fiche"] == numero]
    if listed.empty:
        print("Aucun identifiant MIN enregistré" + (f" pour la fiche {numero}." if numero is not None else "."))
    for row in listed.itertuples():
        print(f"Fiche {row.fiche} : {visible(row.identifiant)} — noté par {visible(row.auteur)} le "
              f"{row.saisi_le:%d/%m/%Y %H:%M}")
    return EXIT_OK


def _min_history(history: Any) -> int:
    if history.empty:
        print("Aucune décision de la coordination pour Mon Inclusion Numérique.")
    for row in history.itertuples():
        what = (f"besoins {visible(row.valeur)}" if row.genre == "besoins"
                else f"identifiant {visible(row.valeur)}" if isinstance(row.valeur, str) else "identifiant retiré")
        state = (f" — annulée le {row.annule_le:%d/%m/%Y %H:%M} par {visible(row.annule_par)}"
                 if isinstance(row.annule_par, str) else " — en vigueur" if row.en_vigueur else " — remplacée depuis")
        print(f"{row.genre} n°{row.id} {row.le:%d/%m/%Y %H:%M} {visible(row.auteur)} — fiche {row.fiche} : "
              f"{what}{state}")
    return EXIT_OK


def cmd_comptes(args: argparse.Namespace) -> int:
    """`comptes [--json]`, `comptes ajouter EMAIL --nom … --role … [--structure …]`, `comptes retirer EMAIL`."""
    if args.action and not args.email:
        print(f"Indiquez l'adresse e-mail du compte : « comptes {args.action} prenom.nom@exemple.fr ».",
              file=sys.stderr)
        return EXIT_REJECTED
    if args.action == "ajouter":
        try:
            with writing(args) as con:
                person, before = comptes.add(con, args.email, args.nom or "", args.role or "", args.structure or [],
                                             args.auteur)
        except RejectedInput as exc:
            for problem in exc.problems:
                print(f"Refusé [{problem.code}] : {problem.message}", file=sys.stderr)
            print("Aucun compte n'a été créé ni modifié.", file=sys.stderr)
            return EXIT_REJECTED
        if before is None:
            print(f"Compte créé : {visible(person.email)} — {visible(person.label())}.")
        else:
            print(f"Compte modifié : {visible(person.email)} — {visible(before.label())} → {visible(person.label())}.")
        return EXIT_OK
    if args.action == "retirer":
        with writing(args) as con:
            removed = comptes.remove(con, args.email, args.auteur)
        print(f"Compte retiré : {visible(removed.email)} — {visible(removed.nom)} n'a plus de rôle sur le tableau de "
              "bord, dès sa prochaine action.")
        return EXIT_OK
    with closing(open_db(args, read_only=True)) as con:
        listed = comptes.accounts(con)
    if args.json:
        print_json([p.as_json() for p in listed])
        return EXIT_OK
    if not listed:
        print("Aucun compte : personne ne se connecte encore personnellement (voir README « Comptes et ProConnect »).")
    for p in listed:
        print(f"{visible(p.email)} — {visible(p.label())}")
    return EXIT_OK


SECRETS = db.PROJECT_ROOT / ".streamlit" / "secrets.toml"


def cmd_password(args: argparse.Namespace) -> int:
    if sys.stdin.isatty():
        password = getpass.getpass("Nouveau mot de passe : ")
        if password != getpass.getpass("Répétez-le : "):
            print("Les deux saisies diffèrent : rien n'a été changé.", file=sys.stderr)
            return EXIT_REJECTED
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 12:
        print("Mot de passe trop court : 12 caractères au moins.", file=sys.stderr)
        return EXIT_REJECTED
    key = f"{args.role}_hash"
    line = f'{key} = "{auth.hash_password(password)}"'
    if not args.ecrire:
        print("[lne]")
        print(line)
        variable = auth.ENV_COORDINATION if args.role == 'coordination' else auth.ENV_LECTURE
        print(f"# ou, dans l'environnement : {variable}"
              "=<la valeur entre guillemets>")
        return EXIT_OK
    target = Path(args.secrets)
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = target.read_text(encoding="utf-8").splitlines() if target.exists() else []
    lines = [x for x in lines if not x.strip().startswith(f"{key} ")]
    if "[lne]" not in (x.strip() for x in lines):
        lines += ["", "[lne]"]
    index = [x.strip() for x in lines].index("[lne]")
    lines.insert(index + 1, line)
    target.write_text("\n".join(lines).strip() + "\n", encoding="utf-8")
    target.chmod(0o600)
    print(f"Empreinte du mot de passe « {args.role} » enregistrée dans {target} (jamais le mot de passe lui-même).")
    return EXIT_OK


# argparse writes its own messages in English, quoting values as Python does (« invalid choice: 'docx' (choose
# from 'pptx', 'pdf', 'xlsx') »): the usual ones are said in French here; any other keeps argparse's words.
_ARGPARSE_FR = [
    (re.compile(r"^the following arguments are required: (.+)$"), "arguments obligatoires manquants : {0}"),
    (re.compile(r"^argument (\S+): invalid choice: '([^']*)' \(choose from (.+)\)$"),
     "{0} : « {1} » n'est pas un choix possible ; choisissez parmi {2}"),
    (re.compile(r"^argument (\S+): expected one argument$"), "{0} attend une valeur"),
    (re.compile(r"^argument (\S+): invalid (\w+) value: '([^']*)'$"), "{0} : « {2} » n'est pas une valeur valable"),
    (re.compile(r"^unrecognized arguments: (.+)$"), "arguments inconnus : {0}"),
    (re.compile(r"^argument (\S+): not allowed with argument (\S+)$"), "{0} ne peut pas être donné avec {1}"),
    (re.compile(r"^one of the arguments (.+) is required$"), "un de ces arguments est obligatoire : {0}"),
]


def _french_error(message: str) -> str:
    for pattern, french in _ARGPARSE_FR:
        found = pattern.match(message)
        if found:
            groups = [g.replace("'", "").replace("{", "").replace("}", "") for g in found.groups()]
            return french.format(*groups)
    return message


class FrenchParser(argparse.ArgumentParser):
    """argparse, saying « utilisation », « options » and its usual errors in French (exit status 2, as argparse)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", "utilisation : ", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage: ", "utilisation : ", 1)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {_french_error(message)}\n")


_Add = Callable[[str, str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser]


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchParser(
        prog="python -m lne_data",
        description="Données du tableau de bord Lot Numérique Ensemble.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    def add(name: str, help_text: str, handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.add_argument(
            "--db",
            help=f"fichier DuckDB (défaut : variable {db.ENV_DB}, "
                 f"sinon {db.DEFAULT_DB_PATH.relative_to(db.PROJECT_ROOT)})",
        )
        command.set_defaults(handler=handler)
        return command

    _roadmap_commands(add)
    _entry_commands(add)
    _min_command(add)
    _account_command(add)
    _password_command(sub)
    return parser


def _roadmap_commands(add: _Add) -> None:
    """The référentiel and its versions: init, summary, versions."""
    init = add("init", "Créer ou mettre à jour la base et charger le référentiel.", cmd_init)
    init.add_argument("--referentiel", help="classeur de référence (défaut : data/referentiel_lne_2024-2027.xlsx)")
    init.add_argument(
        "--exemples",
        action="store_true",
        help="charger aussi les saisies d'exemple (signalées comme telles) si la base n'a aucune saisie",
    )
    init.add_argument("--appliquer", action="store_true",
                      help="faire du classeur la nouvelle version quand il diffère de la version en vigueur (sans "
                           "cette option, la différence est affichée et rien n'est changé)")
    init.add_argument("--hors-periode", action="store_true",
                      help="avec --appliquer : accepter que des saisies tombent hors des années de la nouvelle version "
                           "(elles restent enregistrées ; sans cette option, la version est refusée et les trimestres "
                           "concernés sont nommés)")
    init.add_argument("--auteur", default=getpass.getuser(), help="qui charge (défaut : l'utilisateur système)")

    summary = add("summary", "Afficher les chiffres clés de la feuille de route.", cmd_summary)
    summary.add_argument("--json", action="store_true", help="sortie JSON")
    summary.add_argument("--version", type=int, metavar="N",
                         help="chiffres de la version n°N de la feuille de route (défaut : celle en vigueur)")

    vers = add("versions", "Lister les versions de la feuille de route, voir ce qu'une version a changé, ou annuler "
                           "la version en vigueur.", cmd_versions)
    vers.add_argument("--json", action="store_true", help="sortie JSON")
    vers.add_argument("--difference", type=int, metavar="N", help="ce que la version n°N a changé par rapport à la "
                                                                   "précédente")
    vers.add_argument("--annuler", type=int, metavar="N",
                      help="annuler la version n°N (celle en vigueur) : la précédente est remise telle quelle")
    vers.add_argument("--hors-periode", action="store_true",
                      help="avec --annuler : accepter que des saisies tombent hors des années de la version remise")
    vers.add_argument("--auteur", default=getpass.getuser(), help="qui annule")


def _entry_commands(add: _Add) -> None:
    """The quarter's entries and what is made of them: check, import, template, report, cible, historique,
    annuler."""
    check = add("check", "Vérifier un fichier de saisie trimestrielle sans rien écrire.", cmd_check)
    check.add_argument("fichier", help="classeur .xlsx (feuille « Saisie »)")

    imp = add("import", "Vérifier puis importer un fichier de saisie trimestrielle.", cmd_import)
    imp.add_argument("fichier", help="classeur .xlsx (feuille « Saisie »)")
    imp.add_argument("--auteur", default=getpass.getuser(), help="qui importe (défaut : l'utilisateur système)")

    template = add("template", "Écrire le modèle de saisie d'un trimestre.", cmd_template)
    template.add_argument("--periode", required=True, help="trimestre, par exemple 2026-T1")
    template.add_argument("--porteur", help="seulement les fiches de cette structure")
    template.add_argument("-o", "--output", required=True, help="fichier .xlsx à écrire")

    report = add("report", "Écrire le rapport d'un trimestre (PowerPoint, PDF, Excel) ou le PDF d'une fiche.",
                 cmd_report)
    report.add_argument("--periode", help="trimestre, par exemple 2025-T3")
    report.add_argument("--format", required=True, choices=("pptx", "pdf", "xlsx"), help="format du fichier")
    report.add_argument("--fiche", type=int, help="seulement cette fiche, sur une page (avec --format pdf)")
    report.add_argument("-o", "--output", required=True, help="fichier à écrire")

    export = add("export", "Écrire la feuille de route pour un outil de l'État ou en données ouvertes (voir le README, "
                           "« Exports »).", cmd_export)
    export.add_argument("--format", required=True, choices=tuple(EXPORTS),
                        help="; ".join(f"{name} : {found.libelle} ({found.outil})" for name, found in EXPORTS.items()))
    export.add_argument("-o", "--output", required=True,
                        help="fichier à écrire (un dossier pour datapackage, créé ou remplacé)")

    cible = add("cible", "Fixer, retirer ou annuler la cible d'un indicateur (décision de la coordination), ou en "
                         "lister l'historique.", cmd_cible)
    cible.add_argument("indicateur", nargs="?", help="code de l'indicateur, par exemple F03-I1")
    cible.add_argument("--valeur", help="la cible, écrite à la française : 120, 1 234 ou 2,5")
    cible.add_argument("--echeance", help="année où la cible est due (défaut : fin de la feuille de route)")
    cible.add_argument("--motif", help="pourquoi cette cible (obligatoire)")
    cible.add_argument("--retirer", action="store_true", help="plus aucune cible pour cet indicateur")
    cible.add_argument("--auteur", default=getpass.getuser(), help="qui décide (défaut : l'utilisateur système)")
    cible.add_argument("--historique", action="store_true", help="lister les décisions de la coordination")
    cible.add_argument("--annuler", type=int, metavar="N", help="annuler la décision n°N (voir « --historique »)")

    add("historique", "Lister les imports.", cmd_history)
    undo = add("annuler", "Annuler un import (restaurer les valeurs précédentes).", cmd_undo)
    undo.add_argument("import_id", type=int, help="numéro de l'import (voir « historique »)")
    undo.add_argument("--auteur", default=getpass.getuser(), help="qui annule")


def _min_command(add: _Add) -> None:
    """The coordination's decisions for Mon Inclusion Numérique, and what is left to do before typing in MIN."""
    min_ = add("min", "Mon Inclusion Numérique : confirmer les besoins d'une fiche, noter l'identifiant MIN de son "
                      "action, lister ce qui reste à faire avant la saisie (controle) ou les décisions (historique).",
               cmd_min)
    min_.add_argument("quoi", choices=("besoins", "identifiant", "controle", "historique"),
                      help="besoins, identifiant, controle ou historique")
    min_.add_argument("fiche", nargs="?", help="la fiche : 3 ou F03 (sans elle : toutes)")
    min_.add_argument("valeur", nargs="?", help="avec « identifiant » : l'identifiant de l'action dans MIN")
    min_.add_argument("--confirmer", metavar="CODES",
                      help="avec « besoins » : les besoins confirmés, codes de MIN séparés par des virgules")
    min_.add_argument("--annuler", action="store_true",
                      help="avec « besoins » : annuler la confirmation en vigueur (la précédente revient)")
    min_.add_argument("--retirer", action="store_true", help="avec « identifiant » : la fiche n'a plus d'identifiant")
    min_.add_argument("--json", action="store_true", help="avec « controle » : sortie JSON")
    min_.add_argument("--auteur", default=getpass.getuser(), help="qui décide (défaut : l'utilisateur système)")


def _account_command(add: _Add) -> None:
    """Personal accounts (README « Comptes et ProConnect »)."""
    accounts = add("comptes", "Lister, créer ou retirer les comptes personnels (connexion ProConnect).", cmd_comptes)
    accounts.add_argument("action", nargs="?", choices=("ajouter", "retirer"),
                          help="ajouter (ou modifier) un compte, ou le retirer ; sans action : la liste des comptes")
    accounts.add_argument("email", nargs="?", help="adresse e-mail de la personne (celle que donne ProConnect)")
    accounts.add_argument("--nom", help="nom de la personne, écrit dans l'historique de ce qu'elle fait")
    accounts.add_argument("--role", choices=comptes.ROLES, help="coordination, lecture (élus) ou porteur")
    accounts.add_argument("--structure", action="append", metavar="STRUCTURE",
                          help="pour un porteur : structure de la feuille de route pour laquelle il répond (à répéter "
                               "pour plusieurs), écrite comme la feuille de route l'écrit")
    accounts.add_argument("--json", action="store_true", help="la liste en JSON")
    accounts.add_argument("--auteur", default=getpass.getuser(), help="qui crée ou retire le compte")


def _password_command(sub: Any) -> None:
    """The one command without a database."""
    password = sub.add_parser("mot-de-passe",
                              help="Créer l'empreinte d'un mot de passe (rôle coordination ou lecture).",
                              description="Lit le mot de passe au clavier (ou sur l'entrée standard) et produit son "
                                          "empreinte scrypt, à placer dans .streamlit/secrets.toml ou l'environnement.")
    password.add_argument("--role", choices=("coordination", "lecture"), default="coordination")
    password.add_argument("--ecrire", action="store_true", help="écrire l'empreinte dans .streamlit/secrets.toml")
    password.add_argument("--secrets", default=str(SECRETS), help=argparse.SUPPRESS)
    password.set_defaults(handler=cmd_password)


def main(argv: list[str] | None = None) -> int:
    """Run a command with its output through `_Shown`: a user's text never drives the terminal."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Shown(out), _Shown(err)
    try:
        return _run(build_parser().parse_args(argv))
    finally:
        sys.stdout, sys.stderr = out, err


def _run(args: argparse.Namespace) -> int:
    try:
        # Every command, before any work: a misspelt LNE_AUJOURDHUI is said once, not met halfway through a write.
        periodes.today()
        status = args.handler(args)
        note = publication_note(args) if status == EXIT_OK else None
        if note:
            print(note, file=sys.stderr if note.startswith("Attention") else sys.stdout)
        return status
    except periodes.InvalidToday as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    except RejectedInput as exc:
        print_problems(exc.problems)
        return exit_status_for(exc.problems)
    except (db.DatabaseUnavailable, Unusable) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    except duckdb.CatalogException:
        # A database created by an older version lacks a later migration's tables (e.g. cibles_fixees); only `init`
        # and the dashboard migrate, read-only commands cannot.
        print(f"La base {db.resolve_db_path(args.db)} n'est pas à jour : lancez « python -m lne_data init » "
              "(ou ouvrez le tableau de bord) pour appliquer les migrations.", file=sys.stderr)
        return EXIT_UNREADABLE
    except (NotFound, Refused) as exc:  # never LookupError: a KeyError is a bug, and ends in its traceback
        print(str(exc), file=sys.stderr)
        return EXIT_REJECTED
    except duckdb.Error as exc:  # a last resort too: the database refused what no check above foresaw
        print(f"La base de données a refusé l'opération ; rien n'a été écrit. Détail : {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except OSError as exc:  # the last resort for a file the checks above did not foresee: a message, no traceback
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"Erreur de lecture ou d'écriture{where} : {reason(exc)}.", file=sys.stderr)
        return EXIT_UNREADABLE
