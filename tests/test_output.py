"""The output folder: permissions, one-line OS errors, the marker, debris, the lock, the swap."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ROOT, Run, TinySite
from photo_site import photo_site, save_photo, show_photos

from jishi import output
from jishi.editor.rebuild import Rebuilder

Mount = Callable[..., Path]


def build(site: TinySite, out: Path, *, pdf: bool = False, env: dict[str, str] | None = None,
          umask: int | None = None) -> Run:
    """The real command line, building site into out (web pages only unless asked)."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", *([] if pdf else ["--no-pdf"]),
         "--source", str(site.root), "--out", str(out)],
        capture_output=True, text=True, timeout=300, cwd=site.root,
        env={**os.environ, **(env or {})},
        preexec_fn=None if umask is None else (lambda: os.umask(umask)))  # noqa: PLW1509
    return Run(proc.returncode, proc.stdout, proc.stderr)


def tree(out: Path) -> dict[str, bytes]:
    """Every file under out and its bytes."""
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def debris(out: Path) -> list[str]:
    """What builds of out left beside it besides the lock and the marker."""
    keep = {out.name, f".{out.name}.lock", f".{out.name}.jishi-build"}
    return sorted(p.name for p in out.parent.iterdir()
                  if p.name.startswith(f".{out.name}.") and p.name not in keep)


def assert_reported(result: Run, code: int, *words: str) -> None:
    """The failure is the project's own message, naming what it must, with no traceback."""
    assert result.code == code, result.err
    assert "Traceback" not in result.err, result.err
    for word in words:
        assert word in result.err, result.err


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Mount]:
    """Mount small RAM disks (root only): a full or read-only disk, for real."""
    mounted: list[Path] = []

    def mount(name: str, size: str = "4m") -> Path:
        path = tmp_path / name
        path.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                               str(path)], capture_output=True) if shutil.which("mount") else None
        if done is None or done.returncode:
            pytest.skip("mounting a tmpfs needs root and a mount command")
        mounted.append(path)
        return path

    yield mount
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], check=False)


def read_only(path: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True)


# Permissions --------------------------------------------------------------------------------

@pytest.mark.parametrize(("mask", "folders", "files"), [(0o022, 0o755, 0o644),
                                                        (0o027, 0o750, 0o640)])
def test_published_files_follow_the_umask(site: TinySite, tmp_path: Path, mask: int,
                                          folders: int, files: int) -> None:
    photo_site(site, 1)
    out = tmp_path / "www" / "dist"
    result = build(site, out, umask=mask)
    assert result.code == 0, result.err
    modes = {p.relative_to(out.parent).as_posix(): stat.S_IMODE(p.stat().st_mode)
             for p in [out, *out.rglob("*")]}
    wanted = {rel: folders if (out.parent / rel).is_dir() else files for rel in modes}
    assert any(rel.endswith(".avif") for rel in modes)  # the photos are among them
    assert modes == wanted


def test_the_dev_servers_writes_follow_the_umask(site: TinySite, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    rebuilder = Rebuilder(site.root, out)
    old = os.umask(0o022)
    try:
        assert rebuilder.full().error is None
        section = site.write("content/demo/00-lead.en.md", "---\n---\nA new lead.\n")
        asset = site.write("assets/extra.css", "body { color: black; }\n")
        outcome = rebuilder.update({section, asset})
    finally:
        os.umask(old)
    assert outcome.error is None and "en/demo/index.html" in outcome.pages
    assert "A new lead." in (out / "en/demo/index.html").read_text(encoding="utf-8")
    for rel in ("en/demo/index.html", "assets/extra.css"):
        assert stat.S_IMODE((out / rel).stat().st_mode) == 0o644, rel
    assert debris(out) == []


# Operating-system errors: one message, exit 1 or 2, the output untouched ---------------------

def test_read_only_output_disk(site: TinySite, tmpfs: Mount) -> None:
    disk = tmpfs("disk")
    out = disk / "dist"
    assert build(site, out).code == 0
    before = tree(out)
    read_only(disk)
    assert_reported(build(site, out), 1, str(out), "read-only", "hint:")
    assert tree(out) == before


def test_output_below_a_read_only_folder(site: TinySite, tmpfs: Mount) -> None:
    disk = tmpfs("disk")
    read_only(disk)
    assert_reported(build(site, disk / "sub" / "dist"), 1, str(disk / "sub"), "read-only",
                    "hint:")


def test_output_below_an_immutable_folder(site: TinySite, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    out = locked / "dist"
    assert build(site, out).code == 0
    before = tree(out)
    if subprocess.run(["chattr", "+i", str(locked)], capture_output=True).returncode:
        pytest.skip("chattr +i needs root on a file system that supports it")
    try:
        result = build(site, out)
    finally:
        subprocess.run(["chattr", "-i", str(locked)], check=True)
    assert_reported(result, 1, "dist", "not permitted", "chattr -i")
    assert tree(out) == before


def test_disk_full_while_copying_photos(site: TinySite, tmpfs: Mount) -> None:
    disk = tmpfs("disk", size="512k")
    out = disk / "dist"
    assert build(site, out).code == 0
    before = tree(out)
    photo_site(site, 3)  # their renditions need more than the disk has left
    assert_reported(build(site, out), 1, str(out), "no space left", "free some space")
    assert tree(out) == before
    assert debris(out) == []


def test_an_output_name_too_long_is_a_usage_error(site: TinySite, tmp_path: Path) -> None:
    result = build(site, tmp_path / ("x" * 300))
    assert_reported(result, 2, "too long", "shorter")
    assert list(tmp_path.iterdir()) == [site.root]


def test_an_output_below_a_file_is_a_usage_error(site: TinySite) -> None:
    result = site.run("build", "--no-pdf", "--out", "site.yaml/dist")
    assert_reported(result, 2, "site.yaml is a file, not a folder")


@pytest.mark.parametrize("kind", ["folder", "dangling link"])
def test_a_section_that_is_not_a_file(site: TinySite, kind: str) -> None:
    assert site.run("build", "--no-pdf").code == 0
    before = site.snapshot()
    path = site.root / "content/demo/03-third.zh.md"
    if kind == "folder":
        path.mkdir()
    else:
        path.symlink_to("nowhere.md")
    result = site.run("build", "--no-pdf")
    assert_reported(result, 1, "content/demo/03-third.zh.md", "hint:")
    assert site.snapshot() == before


def test_an_unwritable_photo_cache(site: TinySite, tmpfs: Mount) -> None:
    cache = tmpfs("cache-disk")
    site.write("site.yaml", f"title: {{zh: 站, en: Site}}\nlanguages: [zh, en]\n"
                            f"images:\n  cache: {cache}\n")
    photo_site(site, 1)
    assert site.run("build", "--no-pdf").code == 0
    before = site.snapshot()
    read_only(cache)
    photo_site(site, 2, seed=2)  # new photos: their encodes need the cache
    assert_reported(site.run("build", "--no-pdf"), 1, str(cache), "photo cache", "read-only",
                    "images: cache:")
    assert site.snapshot() == before


def test_a_print_font_typo_stops_before_anything_is_written(site: TinySite) -> None:
    assert site.run("build", "--no-pdf").code == 0
    before, folder = site.snapshot(), (site.root / "dist").stat().st_ino
    site.write("site.yaml", "title: {zh: 站, en: Site}\nlanguages: [zh, en]\n"
                            "print:\n  font: Noto Serif CJK XX\n")
    assert_reported(site.run("build"), 1, "site.yaml:4", "Noto Serif CJK XX")
    assert site.snapshot() == before
    assert (site.root / "dist").stat().st_ino == folder  # not even swapped for a copy


# The marker --------------------------------------------------------------------------------

def test_the_marker_is_kept_beside_the_output_not_published(site: TinySite,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert build(site, out).code == 0
    assert not [p for p in out.rglob(".*")]  # nothing hidden is served
    assert (tmp_path / ".dist.jishi-build").is_file()
    assert build(site, out).code == 0  # jishi knows its own folder again


def test_a_folder_jishi_did_not_make_is_refused(site: TinySite, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert build(site, out).code == 0
    shutil.rmtree(out)
    out.mkdir()
    (out / "mine.txt").write_text("someone's file")  # a new folder in the old one's place
    assert_reported(build(site, out), 2, "did not make")
    assert (out / "mine.txt").read_text() == "someone's file"


def test_an_output_made_by_an_earlier_jishi_is_replaced(site: TinySite, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    (out / ".jishi-build").write_text("made by jishi; the next build replaces this folder\n")
    (out / "stale.html").write_text("old")
    assert build(site, out).code == 0
    assert not (out / "stale.html").exists() and not (out / ".jishi-build").exists()


# Debris, the lock and the swap -------------------------------------------------------------

def test_a_build_removes_what_killed_builds_left(site: TinySite, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    for name in (".dist.new-k1ll3d", ".dist.old-k1ll3d"):
        (tmp_path / name / "demo").mkdir(parents=True)
        (tmp_path / name / "demo" / "index.html").write_text("half a build")
    (tmp_path / ".dist.new-marker").write_text("half a marker")
    (tmp_path / ".other.new-keep").mkdir()  # another output's: not ours to remove
    assert build(site, out).code == 0
    assert debris(out) == []
    assert (tmp_path / ".other.new-keep").is_dir()


def test_a_second_build_waits_for_the_first_and_says_for_whom(site: TinySite,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "dist"
    (tmp_path / ".dist.new-busy").mkdir()  # the holder's staging folder: not debris yet
    with open(tmp_path / ".dist.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.write("jishi build 4242 since 03:00:00\n")
        lock.flush()
        second = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "build", "--no-pdf", "--source",
             str(site.root), "--out", str(out)], stderr=subprocess.PIPE, text=True)
        assert second.stderr is not None
        # Read what it says (blocking) up to the wait, or to the end of a build that did not.
        said = next(line for line in second.stderr if "waiting for" in line or "built" in line)
        assert "waiting for jishi build 4242" in said and ".dist.lock" in said
        assert not out.exists() and (tmp_path / ".dist.new-busy").is_dir()
    assert second.wait(timeout=120) == 0
    assert (out / "index.html").is_file() and debris(out) == []


READER = """
import sys
from pathlib import Path
page, stop, misses = Path(sys.argv[1]), Path(sys.argv[2]), 0
print("reading", flush=True)
while not stop.exists():
    try:
        open(page, "rb").close()
    except FileNotFoundError:
        misses += 1
print(misses)
"""


@contextlib.contextmanager
def reader(page: Path) -> Iterator[list[int]]:
    """A process reading page over and over; the list gets how often it was not there."""
    stop, misses = page.parent.parent / "stop-reading", []
    proc = subprocess.Popen([sys.executable, "-c", READER, str(page), str(stop)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "reading\n"
    try:
        yield misses
    finally:
        stop.touch()
        misses.append(int(proc.communicate(timeout=60)[0]))
        stop.unlink()


def test_a_reader_never_finds_the_output_missing_during_a_swap(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    with output.writing(out, whole=True) as staging:
        staging.write_text("index.html", "first")
    with reader(out / "index.html") as misses:
        for round_ in range(300):
            with output.writing(out, whole=True) as staging:
                staging.write_text("index.html", f"round {round_}")
    assert misses == [0]
    assert (out / "index.html").read_text() == "round 299" and debris(out) == []


def test_partial_writes_refuse_paths_outside_the_output(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    with output.writing(out, whole=True) as staging:
        staging.write_text("index.html", "home")
    with pytest.raises(output.OutputError, match="outside the output folder"):
        output.update(out, {"../site.yaml": b"stolen"})
    assert tree(out) == {"index.html": b"home"} and debris(out) == []
    assert not (tmp_path / "site.yaml").exists()


@pytest.mark.slow
def test_concurrent_builds_into_one_output(site: TinySite, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert build(site, out).code == 0
    with reader(out / "index.html") as misses:
        for _ in range(3):
            procs = [subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build",
                                       "--no-pdf", "--source", str(site.root), "--out",
                                       str(out)], stderr=subprocess.PIPE, text=True)
                     for _ in range(4)]
            results = [(p.communicate(timeout=300)[1], p.returncode) for p in procs]
            assert all(code == 0 and "Traceback" not in err for err, code in results), results
    assert misses == [0] and debris(out) == []


# Reproducible bytes -------------------------------------------------------------------------

def photo_files(out: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in tree(out).items() if rel.startswith("demo/images/")}


def test_a_photo_encodes_alike_alone_or_with_others(tmp_path: Path) -> None:
    alone, together = TinySite(tmp_path / "a" / "site"), TinySite(tmp_path / "b" / "site")
    save_photo(alone, "p.jpg", 5)
    show_photos(alone, ["p.jpg"])
    for seed, name in enumerate(["p.jpg", "q.jpg", "r.jpg"], 5):
        save_photo(together, name, seed)
    show_photos(together, ["p.jpg", "q.jpg", "r.jpg"])
    for site in (alone, together):
        assert build(site, site.root / "dist").code == 0
    mine = photo_files(alone.root / "dist")
    assert any(rel.endswith(".avif") for rel in mine)
    shared = photo_files(together.root / "dist")
    assert {rel: shared.get(rel) for rel in mine} == mine


@pytest.mark.slow
def test_two_builds_in_different_folders_give_the_same_bytes(tmp_path: Path) -> None:
    sites = [TinySite(tmp_path / name / "site") for name in ("first", "second")]
    for site in sites:  # photos that need turning upright and converting to sRGB
        save_photo(site, "turned.jpg", 7, kind="rotated")
        save_photo(site, "cmyk.jpg", 8, kind="cmyk")
        show_photos(site, ["turned.jpg", "cmyk.jpg"])
    trees = []
    for site in sites:  # one after the other: seconds apart
        result = build(site, site.root / "dist", pdf=True,
                       env={"SOURCE_DATE_EPOCH": "1700000000"})
        assert result.code == 0, result.err
        trees.append(tree(site.root / "dist"))
    assert any(rel.endswith(".pdf") for rel in trees[0])
    assert trees[0] == trees[1]
