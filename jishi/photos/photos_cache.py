"""The photo cache: each photo is encoded once per content and recipe, in parallel on all cores.

An entry lives in ``<cache>/<key[:2]>/<key>/`` where the key hashes the source's bytes and the
recipe; it is encoded in ``<cache>/tmp/<pid>-*`` and moved into place with its manifest.json,
so an entry without one is simply made again. What a killed encode left in tmp/ (its process
no longer runs) is removed by the next build. Deleting the cache is always safe: the next
build makes every entry again.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import PIL

from ..errors import ContentError, os_error
from .photo_encode import Made, PhotoProblem, Recipe, Rendition, make

log = logging.getLogger(__name__)

VERSION = "2"  # bump when the pipeline's output changes for the same recipe
MANIFEST = "manifest.json"
WORK = "tmp"  # beside the two-letter folders of the entries
SCRATCH = "jishi-photos-"  # check's throwaway cache, in the system's temporary folder
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


@dataclass(frozen=True)
class Entry:
    """A photo's place in the cache."""

    source: Path
    key: str
    folder: Path
    work: Path  # where it is encoded before it is moved into folder


@dataclass(frozen=True)
class Outcome:
    """A photo's encoded result, or the problem that stopped it."""

    entry: Entry
    made: Made | None = None
    problem: PhotoProblem | None = None
    encoded: bool = False  # False when it came from the cache


def entry_for(source: Path, recipe: Recipe, cache: Path) -> Entry:
    """The cache entry for a source file's current bytes under a recipe."""
    digest = hashlib.sha256()
    # max_pixels changes what is accepted (checked on every build), not the output.
    shape = dataclasses.replace(recipe, max_pixels=0)
    digest.update(json.dumps([VERSION, PIL.__version__, dataclasses.asdict(shape)]).encode())
    with source.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    key = digest.hexdigest()
    return Entry(source, key, cache / key[:2] / key, cache / WORK)


def load(entry: Entry) -> Made | None:
    """A complete cache entry's result, or None when it is missing or incomplete."""
    try:
        data = json.loads((entry.folder / MANIFEST).read_text(encoding="utf-8"))
        made = Made(**{**data, "renditions": tuple(Rendition(**r) for r in data["renditions"]),
                       "notes": tuple(data["notes"])})
    except (OSError, ValueError, TypeError, KeyError):
        return None
    files = [made.print_file, *(r.file for r in made.renditions)]
    return made if all((entry.folder / f).is_file() for f in files) else None


def encode_entry(entry: Entry, recipe: Recipe) -> Outcome:
    """Encode one photo into a fresh folder and move it into place (runs in a worker)."""
    entry.folder.parent.mkdir(parents=True, exist_ok=True)
    entry.work.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-{entry.key[:12]}-", dir=entry.work))
    try:
        made = make(entry.source, work, recipe)
    except PhotoProblem as problem:
        shutil.rmtree(work, ignore_errors=True)
        return Outcome(entry, problem=problem)
    except (OSError, ValueError, MemoryError) as exc:  # an encoder or Pillow refusing it
        shutil.rmtree(work, ignore_errors=True)
        return Outcome(entry, problem=PhotoProblem(
            f"could not be converted ({type(exc).__name__}: {exc})",
            "open it in a photo editor and export it again as JPEG or PNG"))
    try:
        manifest = json.dumps(dataclasses.asdict(made), ensure_ascii=False, indent=1)
        (work / MANIFEST).write_text(manifest, encoding="utf-8")
        shutil.rmtree(entry.folder, ignore_errors=True)  # an incomplete earlier attempt
        os.replace(work, entry.folder)
        return Outcome(entry, made, encoded=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


class Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.shown = self.stream.isatty() and total > 1

    def step(self) -> None:
        """Count one finished photo and redraw."""
        self.done += 1
        if self.shown:
            bar = "#" * (24 * self.done // self.total)
            self.stream.write(f"\rphotos [{bar:<24}] {self.done}/{self.total}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


def _workers(count: int) -> int:
    return max(1, min(count, os.cpu_count() or 1))


def die_with_parent(parent: int) -> None:
    """Worker initializer (Linux): the kernel kills this worker when its build dies.

    A build killed with SIGKILL cannot shut its pool down; without this its workers would go
    on encoding into the cache with nobody to report to. (PR_SET_PDEATHSIG, through libc.)
    """
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the request was made
        os._exit(1)


def _pool(workers: int) -> ProcessPoolExecutor:
    if not sys.platform.startswith("linux"):
        return ProcessPoolExecutor(max_workers=workers)
    # fork, so that the worker's parent is the build itself (not a fork server) and the
    # death signal follows the build.
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=die_with_parent, initargs=(os.getpid(),))


def encode_all(entries: list[Entry], recipe: Recipe) -> list[Outcome]:
    """Encode the missed entries, in parallel on all cores when there are several."""
    progress = Progress(len(entries))
    if _workers(len(entries)) == 1:
        outcomes = []
        for entry in entries:
            outcomes.append(encode_entry(entry, recipe))
            progress.step()
        return outcomes
    pool = _pool(_workers(len(entries)))
    try:
        futures: dict[Future[Outcome], Entry] = {
            pool.submit(encode_entry, entry, recipe): entry for entry in entries}
        outcomes = []
        for future in as_completed(futures):
            outcomes.append(future.result())
            progress.step()
    except BaseException as exc:
        # Ctrl-C stops the workers now; another failure drops only the photos not started.
        if isinstance(exc, KeyboardInterrupt):
            for child in multiprocessing.active_children():
                child.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return outcomes


def running(pid: int) -> bool:
    """True while a process with this id exists (signal 0 only checks)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def sweep(folder: Path, prefix: str = "") -> None:
    """Remove the work folders (named prefix + pid + '-') of encodes whose process is gone."""
    with contextlib.suppress(FileNotFoundError):
        for path in folder.iterdir():
            pid = path.name.removeprefix(prefix).split("-")[0]
            if path.name.startswith(prefix) and pid.isdigit() and not running(int(pid)):
                log.debug("removing %s, left by an encode that was stopped", path)
                shutil.rmtree(path, ignore_errors=True)  # debris: a later build tries again


def _ensure(cache: Path) -> None:
    try:
        cache.mkdir(parents=True, exist_ok=True)
        (cache / WORK).mkdir(exist_ok=True)
    except OSError as exc:
        raise cache_error(exc, cache) from exc
    sweep(cache / WORK)


def cache_error(exc: OSError, cache: Path) -> ContentError:
    """The photo cache cannot be written: say where, and where to put it instead."""
    error = os_error(exc, "cannot write the photo cache", cache)
    error.hint += "; or set images: cache: in site.yaml to a folder jishi may write"
    return error


def lookup(entries: Iterable[Entry]) -> tuple[dict[str, Outcome], dict[str, Entry]]:
    """Split entries into those the cache holds and those to encode, each key once."""
    done: dict[str, Outcome] = {}  # two files with the same bytes share one entry
    missed: dict[str, Entry] = {}
    for entry in entries:
        made = load(entry)
        if made is not None:
            done[entry.key] = Outcome(entry, made)
        else:
            missed[entry.key] = entry
    return done, missed


def encode_missed(missed: list[Entry], recipe: Recipe, *, write: bool) -> list[Outcome]:
    """Encode into the cache, or (write=False) into a scratch folder removed afterwards."""
    if write:
        return encode_all(missed, recipe)
    temp = Path(tempfile.gettempdir())
    sweep(temp, SCRATCH)  # what a killed `check` left
    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH}{os.getpid()}-") as scratch:
        return encode_all([dataclasses.replace(e, folder=Path(scratch) / e.key, work=Path(scratch))
                           for e in missed], recipe)


def process(sources: Iterable[Path], recipe: Recipe, cache: Path, *,
            write: bool = True) -> dict[Path, Outcome]:
    """Every source's result: from the cache where it is complete, encoded otherwise.

    With write=False (``check``) the cache is only read: photos it lacks are encoded into a
    scratch folder that is removed again, so every problem is found and nothing is written.
    """
    started = time.perf_counter()
    sources = list(sources)
    if not sources:
        return {}
    if write:
        _ensure(cache)
    entries = {source: entry_for(source, recipe, cache) for source in sources}
    done, missed = lookup(entries.values())
    try:
        for outcome in encode_missed(list(missed.values()), recipe, write=write):
            done[outcome.entry.key] = outcome
    except OSError as exc:  # in a worker or here: the cache's disk refused a write
        raise cache_error(exc, cache) from exc
    log.info("photos: %d (%d encoded, %d from the cache) in %.2f s", len(entries),
             len(missed), len(entries) - len(missed), time.perf_counter() - started)
    return {source: done[entry.key] for source, entry in entries.items()}
