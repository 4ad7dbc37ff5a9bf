"""`read_workbook_isolated`: the same read in a fresh interpreter with memory and CPU limits, its answer
unpickled with no class allowed."""

from __future__ import annotations

import os
import pickle
import struct
import sys
from collections.abc import Collection
from dataclasses import astuple
from typing import TYPE_CHECKING, NoReturn

from lne_data.problems import Problem

from .container import check_size
from .model import Limits, Workbook, WorkbookRejected, collector_paused
from .reader import read_workbook

if TYPE_CHECKING:
    import subprocess

_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# -I -S: no user site, no PYTHON* variables, no site-packages; the child needs only the standard library.
_CHILD_BOOT = (f"import sys; sys.path.insert(0, {_PACKAGE_ROOT!r}); "
               "from lne_data.xlsx.isolated import _child_main; _child_main()")
_EXIT_OUT_OF_MEMORY = 3
_HEADER = struct.Struct("<I")


def _interrupted() -> WorkbookRejected:
    return WorkbookRejected([Problem(
        "analyse-interrompue",
        "La lecture du fichier a été interrompue : il est trop complexe ou trop endommagé pour être analysé sans "
        "risque (mémoire ou temps de calcul dépassés). Ouvrez-le dans Excel, supprimez les lignes et colonnes "
        "inutilisées sous et à droite des données, enregistrez-le au format « Classeur Excel (*.xlsx) », puis "
        "déposez-le de nouveau.")])


class _PrimitivesOnly(pickle.Unpickler):
    """The child parsed hostile bytes; should it ever be subverted, its answer still must not run code here."""

    def find_class(self, module: str, name: str) -> NoReturn:
        raise pickle.UnpicklingError(f"{module}.{name} refusé")


def read_workbook_isolated(data: bytes, *, wanted_sheets: Collection[str] | None = None,
                           limits: Limits = Limits(), memory_mb: int = 1024, cpu_seconds: int = 30) -> Workbook:
    """`read_workbook` in a child interpreter capped at `memory_mb` of address space and `cpu_seconds` of CPU.

    If the child dies (memory, CPU, signal) or overruns twice its CPU allowance in wall time, the upload is
    rejected with `analyse-interrompue`; the calling process is never at risk. The child is a new interpreter
    started by `subprocess` (no fork of this threaded server) rather than a `multiprocessing` worker: spawn and
    forkserver re-run the parent's `__main__` in the child, and under Streamlit `__main__` is the page script.
    Request and answer go through temporary files, so neither side can block on a full pipe; the answer is
    capped by RLIMIT_FSIZE and may hold plain values only.
    """
    import subprocess  # imported here, like tempfile, because the child never needs them: it starts faster
    import tempfile

    check_size(data, limits)
    request = pickle.dumps((None if wanted_sheets is None else sorted(wanted_sheets), limits, memory_mb,
                            cpu_seconds))
    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as answer:
        given.write(_HEADER.pack(len(request)) + request)
        given.write(data)
        given.seek(0)
        child = subprocess.Popen([sys.executable, "-I", "-S", "-c", _CHILD_BOOT], stdin=given, stdout=answer,
                                 stderr=subprocess.DEVNULL, close_fds=True)
        try:
            returncode = _wait(child, 2 * cpu_seconds + 5)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        if returncode != 0:
            raise _interrupted()
        answer.seek(0)
        try:
            with collector_paused():  # a 100 000-row answer is 700 000 objects: 0.32 s to load, 0.10 s paused
                status, payload = _PrimitivesOnly(answer).load()
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError):
            raise _interrupted() from None
    if status == "bug":
        raise RuntimeError(f"erreur interne pendant la lecture isolée du classeur :\n{payload}")
    try:
        if status == "ok":
            sheet_names, parsed, hidden, masked = payload
            return Workbook(sheet_names, parsed, hidden, masked)
        problems = [Problem(*fields) for fields in payload]
    except (TypeError, ValueError):
        raise _interrupted() from None
    raise WorkbookRejected(problems) if status == "rejected" and problems else _interrupted()


def _wait(child: subprocess.Popen[bytes], timeout: float) -> int | None:
    """The child's exit status, or None if it is still running after `timeout` seconds.

    `Popen.wait(timeout)` polls with sleeps of up to 50 ms, a third of a small file's whole round trip; a pidfd
    (Linux 5.3+) wakes the caller as soon as the child exits. Elsewhere, the polling wait will do.
    """
    import select
    import subprocess

    try:
        pidfd = os.pidfd_open(child.pid)
    except (AttributeError, OSError):
        try:
            return child.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
    try:
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        exited = poller.poll(timeout * 1000)
    finally:
        os.close(pidfd)
    return child.wait() if exited else None


def _child_main() -> None:
    """Entry point of the isolated child: limits first, then the parse, then one pickled answer on stdout."""
    import resource
    import traceback

    given = sys.stdin.buffer
    wanted, limits, memory_mb, cpu_seconds = pickle.loads(given.read(_HEADER.unpack(given.read(4))[0]))
    def lower(kind: int, soft: int, hard: int) -> None:
        """Tighten a limit, never past one the server was already given (raising it would be refused)."""
        _, current = resource.getrlimit(kind)
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        resource.setrlimit(kind, (soft, hard))

    memory = memory_mb * 1024 * 1024
    answer_cap = limits.max_uncompressed_total + 16 * 1024 * 1024
    lower(resource.RLIMIT_AS, memory, memory)
    lower(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 1)  # SIGXCPU at the soft limit, SIGKILL at the hard
    lower(resource.RLIMIT_CORE, 0, 0)  # SIGXCPU would otherwise dump a core holding the upload
    lower(resource.RLIMIT_FSIZE, answer_cap, answer_cap)
    try:
        try:
            workbook = read_workbook(given.read(limits.max_file_bytes + 1), wanted_sheets=wanted, limits=limits)
            answer: tuple[str, object] = ("ok", (workbook.sheet_names, workbook._raw,
                                                       sorted(workbook.hidden), workbook._masked))
        except WorkbookRejected as rejected:
            answer = ("rejected", [astuple(problem) for problem in rejected.problems])
        except MemoryError:
            raise
        except Exception:  # noqa: BLE001 - a bug of ours, reported to the parent with its traceback
            answer = ("bug", traceback.format_exc())
        sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
        sys.stdout.buffer.flush()
    except MemoryError:
        os._exit(_EXIT_OUT_OF_MEMORY)
