"""Benchmark whole-site builds of a synthetic series against Hugo, paired and alternating.

    python bench/series.py [--runs 7] [--sizes 1,14,200] [--photo-features 14] [--photo-runs 3]

For each size it writes the synthetic series (bench/synth.py: N features × 8 sections × 2
languages, text only) and prints medians of: the cold build (no .cache/), the warm build
(nothing changed), the rebuild after editing one section of one feature (the `build` command),
pages per second, and peak memory (the largest process, and the whole process tree sampled
every 10 ms: the build's worker processes count too). Where `hugo` is on PATH the same text is
built by Hugo in the same loop, alternating with jishi, and the ratios are of each run's pair,
so that load from other work on the machine falls on both sides alike. Then the photo run: the
same with three generated photos per feature (WebP + JPEG at 480/960/1600 px on both sides),
and the repo's own Yiyang feature (`build --no-pdf`, whole process).

Every build is the real command line, timed from start to exit (Python's start-up included).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from hugo_series import write_hugo
from synth import series_text, write_series

ROOT = Path(__file__).resolve().parent.parent
PHOTO_SETTINGS = "images:\n  widths: [480, 960, 1600]\n  formats: [webp]\n"
# Hugo makes no font subsets; jishi's (cached in .cache/fonts) are left out of the comparison.
SAME_WORK = "display_font: false\n"


def _tree_rss(pid: int) -> int:
    """Resident KiB of a process and all its descendants, read from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


@dataclass
class Run:
    """One timed command: wall seconds, CPU seconds, peak KiB (largest process, whole tree)."""

    seconds: float
    cpu: float
    peak_kib: int
    tree_kib: int


# Python's bytecode cache on, as an installed jishi has it (some shells turn it off).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str]) -> Run:
    """Run a command to its end; sample the tree's memory while it runs."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.01):
            peak[0] = max(peak[0], _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, peak[0])


def jishi(root: Path, *, cold: bool) -> Run:
    """One `build --no-pdf`; cold removes the site's .cache/ first."""
    if cold:
        shutil.rmtree(root / ".cache", ignore_errors=True)
    return timed([sys.executable, str(ROOT / "build.py"), "build", "--no-pdf", "-q",
                  "--source", str(root)])


def hugo(root: Path) -> Run:
    """One full Hugo build from nothing (its output and resource cache removed)."""
    for folder in ("public", "resources", "hugo-cache"):
        shutil.rmtree(root / folder, ignore_errors=True)
    return timed(["hugo", "--quiet", "--source", str(root), "--cacheDir",
                  str(root / "hugo-cache")])


def edit_one_section(root: Path, run: int) -> None:
    """Change one paragraph of one section of one feature, differently each run."""
    path = root / "content" / "feature-001" / "03-part-3.en.md"
    text = path.read_text(encoding="utf-8").rstrip("\n").rsplit(" Edit ", 1)[0]
    path.write_text(f"{text} Edit {run}.\n", encoding="utf-8")


@dataclass
class Figures:
    """Every run of one site, so medians and paired ratios come from the same loop."""

    cold: list[Run] = field(default_factory=list)
    warm: list[Run] = field(default_factory=list)
    edit: list[Run] = field(default_factory=list)
    hugo: list[Run] = field(default_factory=list)


def measure(root: Path, hugo_root: Path | None, runs: int) -> Figures:
    """Alternate jishi (cold, warm, one edit) and Hugo, `runs` times."""
    figures = Figures()
    for run in range(runs):
        figures.cold.append(jishi(root, cold=True))
        if hugo_root:
            figures.hugo.append(hugo(hugo_root))
        figures.warm.append(jishi(root, cold=False))
        edit_one_section(root, run)
        figures.edit.append(jishi(root, cold=False))
    return figures


def _median(runs: list[Run], attr: str = "seconds") -> float:
    return statistics.median(getattr(run, attr) for run in runs)


def report(name: str, figures: Figures, pages: int) -> None:
    """Print medians, pages per second, memory and the paired ratios against Hugo."""
    cold = _median(figures.cold)
    print(f"\n{name}: {pages} pages, medians of {len(figures.cold)} runs")
    print(f"  jishi cold   {cold:7.3f} s  ({pages / cold:,.0f} pages/s; "
          f"{_median(figures.cold, 'cpu'):.2f} CPU s)")
    print(f"  jishi warm   {_median(figures.warm):7.3f} s  (nothing changed; "
          f"{_median(figures.warm, 'cpu'):.2f} CPU s)")
    print(f"  jishi edit   {_median(figures.edit):7.3f} s  (one section of one feature edited; "
          f"{_median(figures.edit, 'cpu'):.2f} CPU s)")
    print(f"  peak memory  {max(r.peak_kib for r in figures.cold) / 1024:7.0f} MiB largest "
          f"process, {max(r.tree_kib for r in figures.cold) / 1024:.0f} MiB whole tree (cold)")
    if not figures.hugo:
        return
    print(f"  Hugo full    {_median(figures.hugo):7.3f} s  "
          f"({_median(figures.hugo, 'cpu'):.2f} CPU s)")
    for label, ours in (("cold", figures.cold), ("edit", figures.edit)):
        pairs = list(zip(ours, figures.hugo, strict=True))
        wall = [mine.seconds / theirs.seconds for mine, theirs in pairs]
        cpu = [mine.cpu / theirs.cpu for mine, theirs in pairs]
        print(f"  jishi {label} / Hugo full, paired: median {statistics.median(wall):.2f}x "
              f"(range {min(wall):.2f}–{max(wall):.2f}); CPU time {statistics.median(cpu):.2f}x")


def bench_series(work: Path, features: int, runs: int, *, photos: bool) -> None:
    """Write one synthetic site and its Hugo twin, measure both, print the figures."""
    root = work / f"series-{features}{'-photos' if photos else ''}"
    write_series(root, features, photos=photos)
    with (root / "site.yaml").open("a", encoding="utf-8") as site:
        site.write(SAME_WORK + (PHOTO_SETTINGS if photos else ""))
    hugo_root = None
    if shutil.which("hugo"):
        hugo_root = root.with_name(root.name + "-hugo")
        write_hugo(hugo_root, series_text(features, photos=photos), root)
    figures = measure(root, hugo_root, runs)
    pages = sum(1 for _ in (root / "dist").rglob("*.html"))
    kind = f"with {3 * features} photos" if photos else "text only"
    report(f"{features} feature(s) × 8 sections × 2 languages, {kind}", figures, pages)


def bench_yiyang(work: Path, runs: int) -> None:
    """The repo's own one-feature site, as an editor builds it."""
    root = work / "yiyang"
    root.mkdir()
    for name in ("site.yaml", "content", "data"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    figures = Figures(cold=[jishi(root, cold=True) for _ in range(runs)],
                      warm=[jishi(root, cold=False) for _ in range(runs)])
    print(f"\nYiyang (one feature, `build --no-pdf`), medians of {runs} runs: "
          f"no .cache/ {_median(figures.cold):.3f} s ({_median(figures.cold, 'cpu'):.2f} CPU s), "
          f"repeated {_median(figures.warm):.3f} s ({_median(figures.warm, 'cpu'):.2f} CPU s), "
          f"peak {max(r.peak_kib for r in figures.cold) / 1024:.0f} MiB")


def main() -> None:
    """Measure every configuration and print the figures as they come."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per median (default 5)")
    parser.add_argument("--sizes", default="1,14,200", help="features per text-only series")
    parser.add_argument("--photo-features", type=int, default=14, help="0 skips the photo run")
    parser.add_argument("--photo-runs", type=int, default=3)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    hugo_version = subprocess.run(["hugo", "version"], capture_output=True, text=True
                                  ).stdout.split()[1] if shutil.which("hugo") else "not on PATH"
    print(f"{os.cpu_count()} cores; Python {sys.version.split()[0]}; Hugo {hugo_version}")
    with tempfile.TemporaryDirectory(prefix="jishi-series-") as tmp:
        work = Path(tmp)
        for size in (int(s) for s in args.sizes.split(",") if s):
            bench_series(work, size, args.runs, photos=False)
        if args.photo_features:
            bench_series(work, args.photo_features, args.photo_runs, photos=True)
        bench_yiyang(work, args.runs)


if __name__ == "__main__":
    main()
