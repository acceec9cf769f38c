"""An incremental rebuild equals a full one: random edits under the Rebuilder, then a cold build.

Each example starts from a built tiny site, applies a few random edits (section bodies and
titles, the data file, a template override, marking a translation as up to date), lets the
Rebuilder bring dist/ up to date after each, and then compares dist/ with what a cold build of
the same sources writes: every page byte for byte, and every other file the cold build wrote.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT, TinySite
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jishi.checking.translation import mark_translated
from jishi.editor.rebuild import Rebuilder

SECTION_FILES = [f"content/demo/{name}.{lang}.md" for name in ("01-first-part", "02-second")
                 for lang in ("zh", "en")]
# Blocks a section body is made of: what the page-level passes care about (a callout or chart
# shown twice keeps its id once; the first photo loads eagerly) and plain text around them.
BLOCKS = [
    "Plain words. 正文。",
    "There are {{ stat members }} members.",
    "{{ callout members }}",
    "{{ callout lectures }}",
    "{{ chart talks }}",
    "![Photo A](images/a.jpg \"Caption A\")",
    "![Photo B](images/b.jpg)",
    "A note.[^1]\n\n[^1]: The note.",
]
TITLES = ["Part one", "第一部分", "{{ stat lectures }} talks", "Another title"]


def make_photo(path: Path, colour: tuple[int, int, int]) -> None:
    """A small real photo."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (480, 320), colour).save(path)


@pytest.fixture(scope="module")
def template_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny site with two photos, built once so every example finds its photos encoded."""
    site = TinySite(tmp_path_factory.mktemp("incremental") / "site")
    make_photo(site.root / "content/demo/images/a.jpg", (40, 110, 170))
    make_photo(site.root / "content/demo/images/b.jpg", (170, 60, 40))
    # Both photos stay in use by a last section no edit touches, so an edit that adds or drops
    # a photo elsewhere does not change the photo plan (that would make a full build, which
    # empties the rebuilder's caches): the examples test the incremental path.
    for lang in ("zh", "en"):
        site.write(f"content/demo/02-second.{lang}.md", "---\ntitle: Two\n---\nText.\n")
        site.write(f"content/demo/03-photos.{lang}.md",
                   "---\ntitle: Photos\n---\n![A](images/a.jpg)\n\n![B](images/b.jpg)\n")
    # Small photos and no display type subsets (a subset of a CJK face takes about a second
    # per new set of characters): the examples stay about pages, ids and photos.
    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8")
               + "display_font: false\nimages:\n  widths: [480]\n  formats: [webp]\n")
    for rel in SECTION_FILES:  # translations up to date: an edit of a source makes them stale
        if rel.endswith(".en.md"):
            mark_translated(site.root, site.root / rel)
    assert Rebuilder(site.root, site.root / "dist").full().error is None
    shutil.rmtree(site.root / "dist")  # the photo cache (.cache/) stays
    return site.root


def section_edit() -> st.SearchStrategy[tuple[str, str, str]]:
    """Rewrite a section file: a title and a body of random blocks."""
    body = st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=4).map("\n\n".join)
    return st.tuples(st.just("section"), st.sampled_from(SECTION_FILES),
                     st.tuples(st.sampled_from(TITLES), body).map(
                         lambda tb: f"---\ntitle: \"{tb[0]}\"\n---\n{tb[1]}\n"))


def data_edit() -> st.SearchStrategy[tuple[str, str, str]]:
    """Change the figures (and so the callouts, charts and inline statistics)."""
    return st.tuples(st.just("data"), st.just("data/demo.yaml"),
                     st.tuples(st.integers(1, 99999), st.integers(1, 9999)).map(
                         lambda v: f"value: {v[0]}|value: {v[1]}"))


def template_edit() -> st.SearchStrategy[tuple[str, str, str]]:
    """Override the theme's base template with a marked copy, or remove the override."""
    return st.tuples(st.just("template"), st.just("templates/base.html"),
                     st.sampled_from(["", "<!-- one -->", "<!-- two -->"]))


def mark_edit() -> st.SearchStrategy[tuple[str, str, str]]:
    """Mark an English section as translated from its Chinese source as it is now."""
    return st.tuples(st.just("mark"), st.sampled_from(
        [f for f in SECTION_FILES if f.endswith(".en.md")]), st.just(""))


def apply(root: Path, edit: tuple[str, str, str]) -> Path:
    """Make one edit to the sources; return the file changed."""
    kind, rel, text = edit
    path = root / rel
    if kind == "mark":
        mark_translated(root, path)  # a later edit of the source makes it stale
    elif kind == "section":
        path.write_text(text, encoding="utf-8")
    elif kind == "data":
        first, second = text.split("|")
        data = path.read_text(encoding="utf-8").split("value: ")
        path.write_text(f"{data[0]}{first}{data[1][data[1].index(chr(10)):]}"
                        f"{second}{data[2][data[2].index(chr(10)):]}", encoding="utf-8")
    elif text:
        theme = (ROOT / "templates/base.html").read_text(encoding="utf-8")
        path.parent.mkdir(exist_ok=True)
        path.write_text(theme.replace("</body>", f"{text}</body>"), encoding="utf-8")
    else:
        path.unlink(missing_ok=True)
    return path


def files(out: Path) -> dict[str, bytes]:
    """Every file of a built folder, by path."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


def assert_same_as_cold(root: Path, out: Path) -> None:
    """dist/ holds what a cold build of the sources writes: pages exactly, other files too."""
    cold_out = root.parent / "cold"
    shutil.rmtree(cold_out, ignore_errors=True)
    assert Rebuilder(root, cold_out).full().error is None
    cold, warm = files(cold_out), files(out)
    pages = sorted(p for p in cold if p.endswith(".html"))
    assert pages == sorted(p for p in warm if p.endswith(".html"))
    for rel, data in cold.items():
        assert warm.get(rel) == data, rel  # old content-named files (font subsets) may stay


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.one_of(section_edit(), data_edit(), template_edit(), mark_edit()),
                min_size=1, max_size=4))
def test_an_incremental_rebuild_equals_a_cold_build(template_site: Path,
                                                     edits: list[tuple[str, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        shutil.copytree(template_site, root)
        rebuilder = Rebuilder(root, root / "dist")
        assert rebuilder.full().error is None
        for edit in edits:
            outcome = rebuilder.update({apply(root, edit)})
            assert outcome.error is None, outcome.error
        assert_same_as_cold(root, root / "dist")
