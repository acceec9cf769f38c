"""`--help` and a small site's build load only the libraries they use.

Start-up is most of a one-feature build, so Pillow, the worker pool, fontTools, WeasyPrint and
pypdf load only when a build has photos to encode, many pages to render, a font to subset or a
PDF to make. (tests/test_pdf.py holds the WeasyPrint rule for `check`.)
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bench.synth import write_series
from tests.conftest import ROOT, TinySite

HEAVY = {"PIL", "weasyprint", "pypdf", "fontTools", "multiprocessing", "concurrent"}


def imported(*args: str, cwd: Path) -> set[str]:
    """The top-level packages a run of build.py imported, read from -X importtime."""
    proc = subprocess.run([sys.executable, "-X", "importtime", str(ROOT / "build.py"), *args],
                          capture_output=True, text=True, timeout=300, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    names = re.findall(r"^import time:.*\|\s*([\w.]+)$", proc.stderr, re.MULTILINE)
    assert "jishi.cli" in names
    return {name.split(".")[0] for name in names}


def test_help_loads_no_library(site: TinySite) -> None:
    loaded = imported("--help", cwd=site.root)
    assert not loaded & (HEAVY | {"markdown", "jinja2", "yaml"})


def test_a_one_feature_build_loads_no_heavy_library(site: TinySite) -> None:
    build = ["build", "--no-pdf", "--source", str(site.root)]
    imported(*build, cwd=site.root)  # the first build may subset the display type
    assert not imported(*build, cwd=site.root) & HEAVY


def test_the_probe_sees_the_pool_for_a_large_site_and_pillow_for_photos(
        site: TinySite, tmp_path: Path) -> None:
    """The other side of the rule: the same probe sees them when a build needs them."""
    write_series(tmp_path / "series", 7)
    assert {"multiprocessing", "concurrent"} <= imported(
        "build", "--no-pdf", "--source", str(tmp_path / "series"), cwd=tmp_path)
    from PIL import Image

    (site.root / "content/demo/images").mkdir()
    Image.new("RGB", (64, 48), "teal").save(site.root / "content/demo/images/missing.jpg")
    assert "PIL" in imported("build", "--no-pdf", "--source", str(site.root), cwd=site.root)
