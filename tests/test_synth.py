"""The benchmarks' synthetic series is a valid site, and the same seed gives the same text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.synth import write_series

ROOT = Path(__file__).resolve().parent.parent


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_synthetic_series_passes_strict_check(tmp_path: Path) -> None:
    write_series(tmp_path, 3)
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--strict",
                           "--source", str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert len(list((tmp_path / "content").glob("feature-*/*.md"))) == 3 * 8 * 2


def test_the_same_seed_writes_the_same_series(tmp_path: Path) -> None:
    write_series(tmp_path / "a", 2)
    write_series(tmp_path / "b", 2)
    write_series(tmp_path / "c", 2, seed=2)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_the_photo_run_writes_three_photos_each_and_shows_them(tmp_path: Path) -> None:
    write_series(tmp_path, 1, photos=True)
    feature = tmp_path / "content" / "feature-001"
    assert sorted(p.name for p in (feature / "images").iterdir()) == [
        "photo-0.jpg", "photo-1.jpg", "photo-2.jpg"]
    shown = "".join(p.read_text(encoding="utf-8") for p in feature.glob("*.en.md"))
    assert shown.count("](images/photo-") == 3
