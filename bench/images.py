"""Benchmark the photo pipeline on camera-sized photos it generates itself.

    python bench/images.py [--runs 3] [--avif-speeds 6,8,9]

Prints medians of several runs: cold build (empty cache), warm build (nothing changed), photos
per second, bytes in and out per format, and peak memory of the largest process. Where `hugo` is
on PATH it builds the same photos to the same widths with Hugo in the same run and prints the
ratio. Each build is the real command line (`python build.py build --no-pdf`), timed from start
to exit, so the figures include Python's start-up, the pages and the copy into dist/.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, features

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (480, 960, 1600)
PHOTOS = [(f"street-{i:02d}.jpg", (4000, 3000), 1) for i in range(12)]
PHOTOS.append(("portrait-turned.jpg", (6000, 4000), 6))  # stored sideways, EXIF says turn it


def scene(size: tuple[int, int], seed: int) -> Image.Image:
    """A photo-like picture: 1/f texture, hard-edged shapes, thin detail and sensor grain."""
    rnd = random.Random(seed)
    w, h = size
    sw, sh = w // 4, h // 4
    acc, octave, weight = Image.new("RGB", (sw, sh), (128, 128, 128)), 4, 1.0
    while octave <= sw:
        bands = [Image.effect_noise((octave, max(2, octave * sh // sw)), 64) for _ in range(3)]
        acc = Image.blend(acc, Image.merge("RGB", bands).resize((sw, sh), Image.BICUBIC), weight)
        octave, weight = octave * 2, weight * 0.5
    draw = ImageDraw.Draw(acc)
    for _ in range(40):
        x, y, r = rnd.randrange(sw), rnd.randrange(sh), rnd.randrange(8, sw // 6)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tuple(rnd.randrange(40, 230)
                                                            for _ in range(3)))
    img = acc.filter(ImageFilter.GaussianBlur(1.5)).resize((w, h), Image.BICUBIC)
    draw = ImageDraw.Draw(img)
    for _ in range(300):
        x, y = rnd.randrange(w), rnd.randrange(h)
        draw.line([(x, y), (x + rnd.randrange(-200, 200), y + rnd.randrange(-200, 200))],
                  fill=tuple(rnd.randrange(256) for _ in range(3)), width=rnd.randrange(1, 4))
    return ImageChops.add(img, Image.effect_noise((w, h), 10).convert("RGB"), 1.0, -128)


def make_photo(job: tuple[Path, tuple[int, int], int, int]) -> None:
    """Write one generated camera JPEG (quality 92, with EXIF orientation)."""
    path, size, orientation, seed = job
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "jishi bench camera"
    scene(size, seed).save(path, "JPEG", quality=92, exif=exif)


def generate(folder: Path) -> list[Path]:
    """The benchmark's photos, made in parallel."""
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(folder / name, size, turn, seed) for seed, (name, size, turn) in enumerate(PHOTOS)]
    with ProcessPoolExecutor() as pool:
        list(pool.map(make_photo, jobs))
    return [job[0] for job in jobs]


def write_site(root: Path, photos: list[Path], formats: list[str], avif_speed: int) -> None:
    """A one-feature site whose single section shows every photo."""
    images = root / "content/bench/images"
    images.mkdir(parents=True, exist_ok=True)
    for photo in photos:
        if not (images / photo.name).exists():
            os.link(photo, images / photo.name)
    (root / "site.yaml").write_text(
        "title: {zh: 基准, en: Bench}\nlanguages: [zh, en]\nimages:\n"
        f"  widths: {list(WIDTHS)}\n  formats: [{', '.join(formats)}]\n"
        f"  avif_speed: {avif_speed}\n", encoding="utf-8")
    meta = "".join(f"{k}: {{zh: 基准, en: Bench}}\n"
                   for k in ("kicker", "series", "title", "subtitle", "byline", "summary"))
    (root / "content/bench/feature.yaml").write_text(meta, encoding="utf-8")
    (root / "data").mkdir(exist_ok=True)
    (root / "data/bench.yaml").write_text("stats: {}\ncharts: {}\n", encoding="utf-8")
    for lang in ("zh", "en"):
        body = "\n\n".join(f"![{p.stem}](images/{p.name})" for p in photos)
        (root / f"content/bench/01-photos.{lang}.md").write_text(
            f"---\ntitle: Photos\n---\n{body}\n", encoding="utf-8")


def timed(cmd: list[str], cwd: Path) -> tuple[float, int, str, float]:
    """Run a command: wall seconds, peak RSS (KiB) of its largest process, stderr, CPU seconds.

    CPU seconds (user + system, the command and every process it waited for) are the figure
    to trust on a machine that other work shares; wall seconds are what a user waits.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return seconds, usage.ru_maxrss, err, usage.ru_utime + usage.ru_stime


def jishi_build(root: Path) -> tuple[float, int, float, float]:
    """One build by the real command line: seconds, peak KiB, photo stage seconds, CPU."""
    seconds, rss, err, cpu = timed([sys.executable, str(ROOT / "build.py"), "build", "--no-pdf",
                               "--source", str(root)], ROOT)
    stage = re.search(r"photos: \d+ \(.*?\) in ([\d.]+) s", err)
    return seconds, rss, float(stage[1]) if stage else float("nan"), cpu


def cold_and_warm(root: Path, runs: int) -> dict[str, float]:
    """Median cold and warm build figures, and peak memory, over several runs."""
    cold = [_cold(root) for _ in range(runs)]
    warm = [jishi_build(root) for _ in range(runs)]

    def median(runs: list[tuple[float, int, float, float]], index: int) -> float:
        return statistics.median(run[index] for run in runs)

    return {"cold": median(cold, 0), "warm": median(warm, 0), "cold_stage": median(cold, 2),
            "warm_stage": median(warm, 2), "cold_cpu": median(cold, 3),
            "warm_cpu": median(warm, 3), "peak_mib": max(run[1] for run in cold) / 1024}


def _cold(root: Path) -> tuple[float, int, float, float]:
    shutil.rmtree(root / ".cache", ignore_errors=True)
    return jishi_build(root)


def out_bytes(dist: Path) -> dict[str, int]:
    """Bytes written per format."""
    sizes: dict[str, int] = {}
    for path in dist.rglob("*"):
        if path.suffix in (".avif", ".webp", ".jpg", ".png"):
            sizes[path.suffix[1:]] = sizes.get(path.suffix[1:], 0) + path.stat().st_size
    return sizes


def webp_1600(dist: Path) -> list[int]:
    """Bytes of each photo's 1600 px WebP."""
    return sorted(p.stat().st_size for p in dist.rglob("*-1600.*.webp"))


HUGO_LAYOUT = """{{ range .Resources.ByType "image" }}{{ $img := . }}
{{ range slice 480 960 1600 }}{{ $w := . }}{{ range slice "webp q75" "jpg q80" }}
{{ ($img.Resize (printf "%dx %s" $w .)).RelPermalink }}{{ end }}{{ end }}{{ end }}
"""


def hugo_site(root: Path, photos: list[Path]) -> None:
    """The same photos as a Hugo page bundle, resized to the same widths in WebP and JPEG."""
    bundle = root / "content/photos"
    bundle.mkdir(parents=True, exist_ok=True)
    for photo in photos:
        os.link(photo, bundle / photo.name)
    (bundle / "index.md").write_text("---\ntitle: photos\n---\n", encoding="utf-8")
    (root / "config.toml").write_text(
        'baseURL = "http://example.org/"\ndisableKinds = ["taxonomy", "term", "RSS", '
        '"sitemap", "404"]\n', encoding="utf-8")
    layouts = root / "layouts/_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (layouts / "single.html").write_text(HUGO_LAYOUT, encoding="utf-8")
    (layouts / "list.html").write_text("home\n", encoding="utf-8")


def hugo_cold(root: Path, runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of a Hugo build with its resource cache emptied."""
    wall, cpu = [], []
    for _ in range(runs):
        for folder in ("public", "resources", "hugo-cache"):
            shutil.rmtree(root / folder, ignore_errors=True)
        seconds, _, _, used = timed(["hugo", "--quiet", "--source", str(root),
                                     "--cacheDir", str(root / "hugo-cache")], root)
        wall.append(seconds)
        cpu.append(used)
    return statistics.median(wall), statistics.median(cpu)


def report(name: str, root: Path, result: dict[str, float], bytes_in: int) -> None:
    """Print one configuration's figures."""
    count = len(PHOTOS)
    sizes = out_bytes(root / "dist")
    webp = webp_1600(root / "dist")
    print(f"\n{name}")
    print(f"  cold build      {result['cold']:6.2f} s   ({count / result['cold']:.1f} photos/s; "
          f"{result['cold_cpu']:.2f} CPU s)")
    print(f"  warm build      {result['warm']:6.2f} s   "
          f"({100 * result['warm'] / result['cold']:.1f}% of cold, whole command; "
          f"{result['warm_cpu']:.2f} CPU s)")
    share = 100 * result["warm_stage"] / result["cold_stage"]
    print(f"  photo stage     {result['cold_stage']:6.2f} s cold, "
          f"{result['warm_stage']:.3f} s warm ({share:.2f}%)")
    print(f"  peak memory     {result['peak_mib']:6.0f} MiB in the largest process")
    print(f"  bytes in        {bytes_in / 1e6:8.1f} MB ({count} photos)")
    for fmt, total in sorted(sizes.items()):
        print(f"  bytes out {fmt:<5} {total / 1e6:8.2f} MB ({100 * total / bytes_in:.1f}% of in)")
    if webp:
        print(f"  WebP at 1600 px  median {statistics.median(webp) / 1e3:.0f} KB, "
              f"largest {webp[-1] / 1e3:.0f} KB")


def configurations(avif: bool, speeds: str) -> list[tuple[str, list[str], int]]:
    """The format sets to time: WebP + JPEG (as Hugo makes), then with AVIF at each speed."""
    configs = [("WebP + JPEG", ["webp"], 8)]
    if not avif:
        print("AVIF: this Pillow cannot write it; skipped")
        return configs
    configs.append(("AVIF (speed 8) + WebP + JPEG", ["avif", "webp"], 8))
    return configs + [(f"AVIF (speed {s}) + WebP + JPEG", ["avif", "webp"], int(s))
                      for s in speeds.split(",") if s and int(s) != 8]


def main() -> None:
    """Generate the photos, run every configuration, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per median (default 3)")
    parser.add_argument("--avif-speeds", default="",
                        help="also time AVIF at these speeds, e.g. 6,8,9 (to pick avif_speed)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # figures appear as they are measured
    with tempfile.TemporaryDirectory(prefix="jishi-bench-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        photos = generate(work / "photos")
        bytes_in = sum(p.stat().st_size for p in photos)
        print(f"{len(photos)} photos generated in {time.perf_counter() - started:.1f} s; "
              f"{os.cpu_count()} cores; Pillow {Image.__version__}; medians of {args.runs} runs")
        cold: dict[str, tuple[float, float]] = {}
        configs = configurations(features.check("avif"), args.avif_speeds)
        for index, (name, formats, speed) in enumerate(configs):
            root = work / f"site-{index}"
            write_site(root, photos, formats, speed)
            result = cold_and_warm(root, args.runs)
            report(name, root, result, bytes_in)
            cold[name] = (result["cold"], result["cold_cpu"])
        compare_hugo(work, photos, args.runs, cold)


def compare_hugo(work: Path, photos: list[Path], runs: int,
                 cold: dict[str, tuple[float, float]]) -> None:
    """Build the same photos with Hugo, where it is installed, and print the ratios."""
    if not shutil.which("hugo"):
        print("\nHugo: not on PATH; comparison skipped")
        return
    version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()
    root = work / "hugo"
    hugo_site(root, photos)
    wall, cpu = hugo_cold(root, runs)
    print(f"\nHugo {version[1] if len(version) > 1 else '?'}, same photos, widths "
          f"{'/'.join(map(str, WIDTHS))}, WebP + JPEG: cold build {wall:.2f} s ({cpu:.2f} CPU s)")
    for name, (ours, ours_cpu) in cold.items():
        print(f"  jishi {name}: {wall / ours:.1f}x faster than Hugo "
              f"({cpu / ours_cpu:.1f}x less CPU time)")


if __name__ == "__main__":
    main()
