"""A build with the page cache equals a cold build of the same sources, byte for byte.

Warm, after an edit, after the cache was deleted or damaged: every dist/ must be the one a
build with no .cache/ at all makes. Large sites render in worker processes; that too must
give the same pages as rendering in one process.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.synth import write_series
from jishi import builder
from jishi.web import parallel
from jishi.web.render import PageRenderer, make_env, plan_pages
from tests.conftest import ROOT, TinySite

FEATURES = 7  # 7 × 8 sections × 2 languages: enough work for the worker processes
PAGES = 3 * FEATURES  # each feature in each language, and its parallel page


def build(source: Path, out: Path) -> str:
    """Build with the real command line; return what it logged."""
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--no-pdf",
                           "--source", str(source), "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def cold(source: Path, tmp: Path) -> dict[str, bytes]:
    """dist/ as a build with no cache makes it, from a copy of the same sources."""
    copy = tmp / "cold-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns(".cache", "dist"))
    build(copy, tmp / "cold-out")
    return files(tmp / "cold-out")


def counts(log: str) -> tuple[int, int]:
    """(rendered, from the cache) from the build's pages line."""
    m = re.search(r"pages: \d+ \((\d+) rendered, (\d+) from the cache\)", log)
    assert m, log
    return int(m[1]), int(m[2])


@pytest.fixture
def series(tmp_path: Path) -> Path:
    root = tmp_path / "series"
    write_series(root, FEATURES)
    with (root / "site.yaml").open("a", encoding="utf-8") as site:
        site.write("display_font: false\n")  # no font subsets: they have a cache of their own
    return root


def test_warm_and_edited_builds_equal_a_cold_build(series: Path, tmp_path: Path) -> None:
    out = series / "dist"
    assert counts(build(series, out)) == (PAGES + 2, 0)  # 2 homes are never cached
    expected = files(out)
    assert counts(build(series, out)) == (2, PAGES)
    assert files(out) == expected
    section = series / "content/feature-003/02-part-2.en.md"
    section.write_text(section.read_text(encoding="utf-8") + "\nOne more line.\n",
                       encoding="utf-8")
    # Only that feature's pages (a page shows what its other language holds, like which
    # sections it has; the parallel page shows both), and the two homes.
    assert counts(build(series, out)) == (2 + 3, PAGES - 3)
    assert files(out) == cold(series, tmp_path)
    assert files(out) != expected


def test_a_data_or_template_change_reaches_every_page_it_touches(series: Path,
                                                                  tmp_path: Path) -> None:
    out = series / "dist"
    build(series, out)
    data = series / "data/feature-002.yaml"
    data.write_text(re.sub(r"value: \d+", "value: 4242", data.read_text(encoding="utf-8"),
                           count=1), encoding="utf-8")
    build(series, out)
    assert files(out) == cold(series, tmp_path)
    template = (ROOT / "templates/feature.html").read_text(encoding="utf-8")
    (series / "templates").mkdir()
    (series / "templates/feature.html").write_text(
        template.replace("<article", "<!-- a site's own template -->\n<article", 1),
        encoding="utf-8")
    assert counts(build(series, out)) == (PAGES + 2, 0)
    assert files(out) == cold(series, tmp_path)
    assert "a site's own template" in (out / "feature-001/index.html").read_text(encoding="utf-8")


DAMAGE = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "empty": lambda raw: b"",
    "one byte of the page changed": lambda raw: raw[:-20] + bytes([raw[-20] ^ 1]) + raw[-19:],
    "not an entry": lambda raw: b"\x00\xff garbage",
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_cache_entry_is_rendered_again(series: Path, tmp_path: Path,
                                                 damage: str) -> None:
    out = series / "dist"
    build(series, out)
    expected = files(out)
    entries = sorted((series / ".cache/pages").glob("*.page"))
    assert len(entries) == PAGES
    for entry in entries[:3]:
        entry.write_bytes(DAMAGE[damage](entry.read_bytes()))
    assert counts(build(series, out)) == (2 + 3, PAGES - 3)
    assert files(out) == expected
    assert counts(build(series, out)) == (2, PAGES)  # the entries were made again


def test_a_deleted_cache_is_rebuilt(series: Path) -> None:
    out = series / "dist"
    build(series, out)
    expected = files(out)
    shutil.rmtree(series / ".cache")
    assert counts(build(series, out)) == (PAGES + 2, 0)
    assert files(out) == expected


def test_page_level_ids_hold_when_only_one_section_changed(site: TinySite,
                                                           tmp_path: Path) -> None:
    """A callout shown in two sections keeps its id on the first only, whichever that is."""
    site.write("content/demo/03-third.zh.md", "---\ntitle: 第三部分\n---\n{{ callout members }}\n")
    site.write("content/demo/03-third.en.md", "---\ntitle: Part three\n---\n"
               "{{ callout members }}\n")
    build(site.root, site.root / "dist")
    assert site.read("demo/index.html").count('id="stat-members"') == 1
    first = site.root / "content/demo/01-first-part.zh.md"
    first.write_text(first.read_text(encoding="utf-8").replace("{{ callout members }}", ""),
                     encoding="utf-8")
    build(site.root, site.root / "dist")
    page = site.read("demo/index.html")
    assert page.count('id="stat-members"') == 1
    assert page.index('id="stat-members"') > page.index('id="third"')  # now in section 03
    assert files(site.root / "dist") == cold(site.root, tmp_path)


def test_worker_processes_render_the_pages_one_process_would(series: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    site = builder.load_site(series)
    renderer = PageRenderer(site, make_env(series), builder.plan_photos(site))
    pages = plan_pages(site)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1, 2, 3}, raising=False)
    assert parallel.worker_count(pages) > 1
    shared = parallel.render_all(renderer.render, pages)
    monkeypatch.setattr(parallel, "MIN_SECTIONS", 10**9)
    assert parallel.worker_count(pages) == 1
    assert parallel.render_all(renderer.render, pages) == shared


def test_a_template_error_in_a_worker_is_reported_with_its_line(series: Path) -> None:
    (series / "templates").mkdir()
    (series / "templates/feature.html").write_text("<p>\n{{ no_such_thing.title }}</p>\n",
                                                   encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--no-pdf",
                           "--source", str(series)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert "feature.html:2: template error" in proc.stderr
    assert "Traceback" not in proc.stderr
