"""The one writer: every file jishi publishes is staged beside the output, then swapped in.

A full build stages a whole new folder and exchanges it with the output in one step; the dev
server's partial writes (a page, the assets, a PDF) stage their files the same way and move
each over its namesake in one rename. Either way a reader sees the old file or the new one,
never half of one, and a failed or killed build leaves the output as it was.

Beside an output folder ``dist`` live:

- ``.dist.lock``: the lock that serialises builds of that output (it holds the last holder's
  process id, so a waiting build can say whom it waits for);
- ``.dist.jishi-build``: the marker saying which folder at ``dist`` jishi made, so that a later
  build may replace it (kept outside the served tree, so it is never published);
- ``.dist.new-*`` while a build writes; whatever a killed build left is removed by the next.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import functools
import logging
import os
import shutil
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import IO, Any

from .errors import JishiError, os_error

log = logging.getLogger(__name__)

LEGACY_MARKER = ".jishi-build"  # jishi 0.1 kept its marker inside the output
WAIT_NOTICE = 2.0  # seconds a build waits for the lock before it says whom it waits for
AT_FDCWD, RENAME_EXCHANGE = -100, 2  # from <fcntl.h> and <linux/fs.h>
FS_IOC_GETVERSION = 0x80087601  # _IOR('v', 1, long), <linux/fs.h>


class OutputError(JishiError):
    """A write that would escape the output folder or repeat a path."""


def beside(out: Path, kind: str) -> Path:
    """A file or folder of jishi's next to the output folder (``.dist.lock`` for dist)."""
    return out.parent / f".{out.name}.{kind}"


def current_umask() -> int:
    """The process umask, read without changing it (os.umask would race with other threads)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)  # no /proc (macOS): set and restore, the only portable way
    os.umask(mask)
    return mask


class Staging:
    """The folder files are staged in; it refuses paths outside it and paths written twice."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: set[str] = set()

    def path_for(self, rel: str) -> Path:
        """Return the staged path for a relative output path, refusing escapes and repeats."""
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise OutputError(f"refusing to write {rel!r}: it is outside the output folder")
        key = pure.as_posix()
        if key in self.written:
            raise OutputError(f"refusing to write {rel!r} twice: two sources make the same file")
        self.written.add(key)
        target = self.root.joinpath(*pure.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write_bytes(self, rel: str, data: bytes) -> None:
        """Stage one file's bytes."""
        self.path_for(rel).write_bytes(data)

    def write_text(self, rel: str, text: str) -> None:
        """Stage one UTF-8 text file."""
        self.write_bytes(rel, text.encode("utf-8"))

    def copy(self, rel: str, source: Path) -> None:
        """Stage a copy of a source file (its bytes only: permissions come from the umask)."""
        shutil.copyfile(source, self.path_for(rel))


def replace_file(target: Path, data: bytes) -> None:
    """Write one file whole or not at all (a cache file that several builds may share); its
    partial copy is removed when the write fails. OSError is the caller's to report."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".partial-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(name, target)  # a reader never sees half a file
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _holder(lock: IO[str]) -> str:
    lock.seek(0)
    return lock.read().strip() or "another build"


def _wait_for(lock: IO[str], path: Path) -> None:
    # Block on the lock (no polling); say whom we wait for only if the wait is long.
    notice = threading.Timer(WAIT_NOTICE, log.info, ("waiting for %s to finish writing (%s)",
                                                     _holder(lock), path))
    notice.daemon = True
    notice.start()
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
    finally:
        notice.cancel()


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the output's lock: one build writes into one output at a time."""
    path = beside(out, "lock")
    with open(path, "a+", encoding="utf-8") as lock:  # never deleted: that would race
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _wait_for(lock, path)
        lock.truncate(0)
        lock.write(f"jishi build {os.getpid()} since {time.strftime('%H:%M:%S')}\n")
        lock.flush()
        yield  # closing the file releases the lock, also when the process is killed


def sweep(out: Path) -> None:
    """Remove what killed builds of this output left beside it (call it holding the lock)."""
    prefixes = (f".{out.name}.new-", f".{out.name}.old-")  # .old-: jishi 0.1's two renames
    for path in out.parent.iterdir():
        if path.name.startswith(prefixes):
            log.debug("removing %s, left by a build that was stopped", path)
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)  # debris: a later build tries again
            else:
                path.unlink(missing_ok=True)


def _identity(folder: Path) -> str:
    """Which folder this is: device, inode and (where the disk keeps one) inode generation.

    The generation tells a new folder from a removed one whose inode number it reuses (ext4
    hands the same number straight back after ``rm -r dist; mkdir dist``).
    """
    info = folder.stat()
    generation = 0
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        generation = struct.unpack("l", fcntl.ioctl(fd, FS_IOC_GETVERSION, bytes(8)))[0]
    except OSError:
        generation = 0  # tmpfs and others keep none; their inode numbers are not reused soon
    finally:
        os.close(fd)
    return f"{info.st_dev}:{info.st_ino}:{generation}"


def made_by_jishi(out: Path) -> bool:
    """True when the folder at out is one jishi made (the marker beside it names it)."""
    if (out / LEGACY_MARKER).is_file():
        return True
    try:
        return _identity(out) in beside(out, "jishi-build").read_text().split()
    except OSError:
        return False


def _mark(out: Path, staged: Path) -> None:
    # Name both the staged folder and the current one: whether or not the swap that follows
    # happens (a kill between the two), the folder at out is still recognised as jishi's.
    names = [_identity(staged), *([_identity(out)] if out.is_dir() else [])]
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.new-", dir=out.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(["made by jishi: the folder beside may be replaced", *names]))
    os.chmod(tmp, 0o666 & ~current_umask())
    os.replace(tmp, beside(out, "jishi-build"))


@functools.cache
def _renameat2() -> Any:
    """libc's renameat2 (Linux, glibc 2.28 and later), or None."""
    if not sys.platform.startswith("linux"):
        return None
    return getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)


def _libc_exchange(new: Path, out: Path) -> bool:
    """Exchange two folders in one step (Linux renameat2); False where that is not possible."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(new), AT_FDCWD, os.fsencode(out), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # a file system without it
        return False
    raise OSError(code, os.strerror(code), str(out))


def swap_in(new: Path, out: Path) -> None:
    """Put the folder new at out; afterwards new holds the previous output (to be removed)."""
    if not out.exists():
        os.rename(new, out)
        return
    if _libc_exchange(new, out):
        return
    # Elsewhere two renames: a reader may find no folder for an instant, never a mixed one.
    old = new.with_name(new.name.replace(".new-", ".old-", 1))
    os.rename(out, old)
    try:
        os.rename(new, out)
    except OSError:
        os.rename(old, out)  # put the previous output back
        raise
    os.rename(old, new)


def merge(staged: Path, out: Path) -> None:
    """Move each staged file over its namesake in out, each in one rename."""
    for path in sorted(staged.rglob("*")):
        if not path.is_dir():
            target = out / path.relative_to(staged)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)


def _stage_folder(out: Path) -> Path:
    # mkdtemp makes the folder 0700; the published one must be readable as the umask allows.
    root = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    os.chmod(root, 0o777 & ~current_umask())
    return root


@contextlib.contextmanager
def writing(out: Path, *, whole: bool) -> Iterator[Staging]:
    """Stage files for out; when the block ends well, swap them in.

    whole=True: the staged folder becomes the output (a full build); whole=False: the staged
    files replace their namesakes in it (the dev server). An operating-system error becomes
    one ContentError naming the output; on any error the output stays as it was.
    """
    out = out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with locked(out):
            sweep(out)
            staging = Staging(_stage_folder(out))
            try:
                yield staging
                if whole:
                    _mark(out, staging.root)
                    swap_in(staging.root, out)
                else:
                    merge(staging.root, out)
            finally:
                shutil.rmtree(staging.root, ignore_errors=True)  # the old output, or a failure
    except OSError as exc:
        raise os_error(exc, f"cannot write the output folder {out.name}",
                       _shown_path(exc, out)) from exc


def _shown_path(exc: OSError, out: Path) -> Path:
    """The path to name in the message: a source that failed, else the output folder itself."""
    # A failed copy names its source first and its destination second (shutil's sendfile).
    names = [Path(os.fsdecode(n)) for n in (exc.filename, exc.filename2) if n]
    ours = f".{out.name}."  # the lock, the marker and the staging folder beside out
    if not names or any(p.parent == out.parent and p.name.startswith(ours)
                        for name in names for p in (name, *name.parents)):
        return out
    return names[0]


def update(out: Path, files: Mapping[str, bytes | Path]) -> None:
    """Replace some files of a built output (bytes, or a file to copy), each in one rename."""
    if not files:
        return
    with writing(out, whole=False) as staging:
        for rel, data in files.items():
            if isinstance(data, Path):
                staging.copy(rel, data)
            else:
                staging.write_bytes(rel, data)
