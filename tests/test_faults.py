"""Builds killed at random moments: the output is the old tree or the new one, never a mix;
the next build leaves nothing behind; no photo worker outlives its build."""

from __future__ import annotations

import contextlib
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, TinySite
from photo_site import photo_site
from test_output import debris, tree

SEED = 20261130
KILLS = 12
TAG = "JISHI_FAULT_TEST"  # inherited by a build's photo workers: how the test finds them


def lead(site: TinySite, version: int) -> None:
    """Two versions of the site that differ in one paragraph."""
    site.write("content/demo/00-lead.en.md", f"---\n---\nThe lead, version {version}.\n")


def cold(site: TinySite) -> None:
    """Empty the photo cache's entries (not its tmp/), so the next build encodes again."""
    cache = site.root / ".cache" / "images"
    for folder in cache.iterdir() if cache.is_dir() else ():
        if folder.name != "tmp":
            shutil.rmtree(folder)


def start(site: TinySite, out: Path, tag: str, verb: str = "build") -> subprocess.Popen[str]:
    """Start the real command line with a tag in its environment."""
    args = [sys.executable, str(ROOT / "build.py"), verb, "--source", str(site.root)]
    args += ["--no-pdf", "--out", str(out)] if verb == "build" else []
    env = {**os.environ, TAG: tag, "TMPDIR": str(site.root.parent / "tmp")}
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=site.root)


def tagged(tag: str) -> list[int]:
    """The processes still running with this tag in their environment."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes().split(b"\0")
            except OSError:
                continue  # it ended while we looked
            if f"{TAG}={tag}".encode() in environ:
                found.append(int(entry.name))
    return found


def survivors(pids: list[int], timeout: float) -> list[int]:
    """The processes among pids still alive after timeout (waiting on pidfds, not polling)."""
    fds = {}
    for pid in pids:
        try:
            fds[os.pidfd_open(pid)] = pid
        except ProcessLookupError:
            continue
    poller = select.poll()
    for fd in fds:
        poller.register(fd, select.POLLIN)  # readable once the process has exited
    deadline, alive = time.monotonic() + timeout, set(fds)
    while alive and time.monotonic() < deadline:
        for fd, _ in poller.poll(max(1, int((deadline - time.monotonic()) * 1000))):
            alive.discard(fd)
            poller.unregister(fd)
    for fd in fds:
        os.close(fd)
    return sorted(fds[fd] for fd in alive)


def describe(pids: list[int]) -> list[str]:
    """What each process is, to say which outlived its build."""
    found = []
    for pid in pids:
        with contextlib.suppress(OSError):
            status = Path(f"/proc/{pid}/status").read_text().splitlines()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:120]
            found.append(f"{pid} {command.decode(errors='replace')} "
                         + " ".join(line for line in status if line.startswith(("State", "PPid"))))
    return found


def kill_at(proc: subprocess.Popen[str], moment: float, signum: int) -> tuple[int, str]:
    """Send signum at moment (seconds after start) unless the build ended first.

    Moments start at 1 s: a SIGINT inside Python's own start-up (site imports) prints its
    traceback before jishi runs, which no program can prevent.
    """
    try:
        _, err = proc.communicate(timeout=moment)
        return proc.returncode, err
    except subprocess.TimeoutExpired:
        proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err


@pytest.fixture
def photos(site: TinySite) -> TinySite:
    """The tiny site with three photos, so a cold build runs photo workers."""
    photo_site(site, 3)
    (site.root.parent / "tmp").mkdir()
    return site


@pytest.mark.slow
def test_killed_builds_leave_the_old_or_the_new_tree(photos: TinySite) -> None:
    site, out, rng = photos, photos.root.parent / "dist", random.Random(SEED)
    trees = []
    for version in (0, 1):  # the two trees a build may leave, made undisturbed
        lead(site, version)
        cold(site)
        began = time.monotonic()
        proc = start(site, out, "reference")
        assert proc.wait(timeout=300) == 0
        took = time.monotonic() - began
        trees.append(tree(out))
    for attempt in range(KILLS):
        lead(site, attempt % 2)
        cold(site)
        signum = rng.choice([signal.SIGINT, signal.SIGKILL])
        tag = f"{os.getpid()}-kill-{attempt}"  # this run's build only, not an earlier run's
        code, err = kill_at(start(site, out, tag), rng.uniform(1.0, took * 1.1), signum)
        assert tree(out) in trees, f"attempt {attempt}: the output is neither tree"
        orphans = survivors(tagged(tag), timeout=10)
        assert orphans == [], f"attempt {attempt}: orphans {describe(orphans)}"
        if signum == signal.SIGINT:
            # 130: stopped by jishi; -SIGINT: the signal came as the finished build exited.
            assert code in (0, 130, -signal.SIGINT) and "Traceback" not in err, err
    assert start(site, out, "last").wait(timeout=300) == 0
    assert tree(out) == trees[(KILLS - 1) % 2]
    assert debris(out) == []
    assert list((site.root / ".cache/images/tmp").iterdir()) == []


def dead_pid() -> int:
    """The id of a process that has ended."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_what_killed_encodes_left_is_removed_by_the_next_run(photos: TinySite) -> None:
    cache, scratch = photos.root / ".cache/images/tmp", photos.root.parent / "tmp"
    left = [cache / f"{dead_pid()}-0123456789ab-x1", scratch / f"jishi-photos-{dead_pid()}-x2"]
    running = [cache / f"{os.getpid()}-0123456789ab-x3", scratch / f"jishi-photos-{os.getpid()}-x4"]
    for folder in left + running:
        (folder / "half").mkdir(parents=True)
    assert start(photos, photos.root / "dist", "check", verb="check").wait(timeout=300) == 0
    assert not left[1].exists() and left[0].exists()  # check writes nothing in the cache
    assert start(photos, photos.root / "dist", "build").wait(timeout=300) == 0
    assert not left[0].exists()
    assert all(folder.is_dir() for folder in running)  # a live process's work is its own
