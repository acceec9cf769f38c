"""Watching the sources for `serve`: OS file events in, batches of changed sources out.

As mkdocs' livereload _build_loop does: watch with OS events (watchfiles, inotify on Linux),
wait for the saves to settle, rebuild, repeat. Nothing here reads or stats the sources, so an
idle preview costs nothing however large the site.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import watchfiles

from .. import builder
from ..errors import display_path
from ..model import SiteConfig
from .rebuild import Outcome, Rebuilder

WATCHED = ("content", "data", "templates", "assets")
QUIET_MS = 50  # saves closer together than this become one rebuild
MAX_WAIT_MS = 1000  # rebuild even while saves keep coming
STEP_MS = 10  # how often watchfiles looks at the events the OS queued (it reads no file)
READY_MS = 200  # how soon watchfiles reports it is watching (then, how often it idles by)


class Watcher:
    """Reports changed, added and removed source files from the OS's file events (inotify).

    watchfiles watches the site folder and hands over the events the OS queued; a batch of
    changes is handed on once QUIET_MS passed with nothing new (or after MAX_WAIT_MS of steady
    saving), and events keep being collected while a batch is rebuilt. Build output, the photo
    cache and editors' backup files are filtered out here.
    """

    def __init__(self, source: Path, skip: list[Path]) -> None:
        self.source = source.resolve()
        self.skip = [p.resolve() for p in skip]
        self.stopping = threading.Event()
        self.filepath: str | None = None  # livereload's handler logs the last changed file

    def wanted(self, change: watchfiles.Change, path: str) -> bool:
        """Whether a file event is about a source: site.yaml or a file in a watched folder."""
        try:
            parts = Path(path).relative_to(self.source).parts
        except ValueError:
            return False
        if not parts or (parts[0] not in WATCHED and parts != ("site.yaml",)):
            return False
        if any(_ignored(part) for part in parts):
            return False
        return not any(Path(path).is_relative_to(folder) for folder in self.skip)

    def events(self) -> Iterator[set[Path]]:
        """The source files each burst of OS events touched; an empty set first, once watched."""
        # Unfiltered, so that the first set (changes, or an empty one after a quiet READY_MS)
        # comes even while files outside the sources keep changing (a log file).
        events = watchfiles.watch(
            self.source, watch_filter=None, debounce=MAX_WAIT_MS, step=STEP_MS,
            stop_event=self.stopping, rust_timeout=READY_MS, yield_on_timeout=True,
            raise_interrupt=False, ignore_permission_denied=True)
        ready = False
        for changes in events:
            paths = {Path(path) for change, path in changes if self.wanted(change, path)}
            if paths or not ready:
                ready = True
                yield paths

    def batches(self) -> Iterator[set[Path]]:
        """Each batch of changed sources, once QUIET_MS passed with no other save in it.

        An empty batch comes first, as soon as the OS watches the sources. The events are
        read in a thread of their own, so saves made during a rebuild are waited for too.
        """
        found: queue.Queue[set[Path] | None] = queue.Queue()
        threading.Thread(target=self._feed, args=(found,), name="jishi-watch",
                         daemon=True).start()
        while (batch := found.get()) is not None:
            if batch:
                batch |= self._settle(found)
                self.filepath = display_path(min(batch), self.source)
            yield batch

    def _feed(self, found: queue.Queue[set[Path] | None]) -> None:
        for paths in self.events():
            found.put(paths)
        found.put(None)  # stopped

    def _settle(self, found: queue.Queue[set[Path] | None]) -> set[Path]:
        # Wait until QUIET_MS pass with no new save (at most MAX_WAIT_MS in all): a condition
        # wait with a timeout, not a poll.
        more: set[Path] = set()
        give_up = time.monotonic() + MAX_WAIT_MS / 1000
        while (wait := min(QUIET_MS / 1000, give_up - time.monotonic())) > 0:
            try:
                batch = found.get(timeout=wait)
            except queue.Empty:
                break
            if batch is None:
                found.put(None)  # stopping: hand over what came, then end
                break
            more |= batch
        return more


def _ignored(name: str) -> bool:
    # Editors' swap, backup and lock files are not sources.
    return name.startswith((".", "#", "~")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


class BuildLoop(threading.Thread):
    """Builds once, then waits for changes and rebuilds; reports and reloads after each build.

    The watcher is in place before the first build, so a save made while it runs is seen.
    """

    def __init__(self, watcher: Watcher, rebuilder: Rebuilder,
                 done: Callable[[Outcome, set[Path]], None], *, first: bool = True) -> None:
        super().__init__(name="jishi-build", daemon=True)
        self.watcher = watcher
        self.rebuilder = rebuilder
        self.done = done
        self.first = first  # make the first (full) build here
        self.stopping = watcher.stopping
        self.ready = threading.Event()  # set once the OS watches the sources

    def run(self) -> None:
        """Rebuild after each batch of changes until stopped."""
        for changed in self.watcher.batches():
            if not self.ready.is_set():
                self.ready.set()
                if self.first:
                    self.done(self.rebuilder.full(), set())
            if changed:
                self.done(self.rebuilder.update(changed), changed)


def unwatched(source: Path, out: Path, config: SiteConfig | None) -> list[Path]:
    """Folders the build itself writes: watching them would set off rebuild after rebuild."""
    # Before a good build (a broken site.yaml) the default photo cache still stands.
    return [out, source / ".cache"] + ([builder.cache_dir(config)] if config else [])


