"""Sections: paired across languages by NN-name, ordered by NN, anchored by name."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TinySite

from jishi.builder import load_site


def test_sections_pair_by_number_and_name(site: TinySite) -> None:
    feature = load_site(site.root).features[0]
    assert [(s.number, s.slug) for s in feature.sections] == [
        (0, "lead"), (1, "first-part"), (2, "second")]
    assert all(set(s.versions) == {"zh", "en"} for s in feature.sections)


def test_order_follows_the_number_not_the_name(site: TinySite) -> None:
    site.write("content/demo/10-aardvark.zh.md", "---\ntitle: 十\n---\n十。\n")
    site.write("content/demo/10-aardvark.en.md", "---\ntitle: Ten\n---\nTen.\n")
    site.write("content/demo/9-zebra.zh.md", "---\ntitle: 九\n---\n九。\n")
    site.write("content/demo/9-zebra.en.md", "---\ntitle: Nine\n---\nNine.\n")
    slugs = [s.slug for s in load_site(site.root).features[0].sections]
    assert slugs == ["lead", "first-part", "second", "zebra", "aardvark"]


def test_a_lead_has_no_title_in_any_language(site: TinySite) -> None:
    lead = load_site(site.root).features[0].sections[0]
    assert all(v.title is None for v in lead.versions.values())
    assert site.run("build", "--no-pdf").code == 0
    assert '<section id="lead" class="section lead"' in site.read("demo/index.html")


def test_a_section_in_one_language_is_built_with_a_warning(site: TinySite) -> None:
    site.write("content/demo/03-only-zh.zh.md", "---\ntitle: 仅中文\n---\n只有中文。\n")
    result = site.run("build", "--no-pdf")
    assert result.code == 0
    assert "03-only-zh.zh.md" in result.err and "no en version" in result.err
    assert "只有中文" in site.read("demo/index.html")
    english = site.read("en/demo/index.html")
    assert "只有中文" not in english  # the text is not shown in the other language; a notice
    assert 'class="section section-notice"' in english and "#only-zh" in english  # links to it


def test_front_matter_lines_are_counted_from_the_file_start(site: TinySite) -> None:
    path = site.write("content/demo/01-first-part.en.md",
                      "---\ntitle: Part one\nsubtitle: Sub\n---\nBody.\n")
    version = load_site(site.root).features[0].sections[1].versions["en"]
    assert version.path == path
    assert version.meta_lines == {"title": 2, "subtitle": 3}
    assert version.body_line == 5


def test_anchor_comes_from_the_file_name(tmp_path: Path, site: TinySite) -> None:
    assert site.run("build", "--no-pdf").code == 0
    for rel in ("demo/index.html", "en/demo/index.html"):
        assert '<section id="first-part"' in site.read(rel)


@pytest.mark.parametrize("name", ["en", "assets"])
def test_a_feature_may_not_take_a_folder_the_site_uses(site: TinySite, name: str) -> None:
    (site.root / "content/demo").rename(site.root / "content" / name)
    (site.root / "data/demo.yaml").rename(site.root / "data" / f"{name}.yaml")
    result = site.run("build", "--no-pdf")
    assert result.code == 1, result.err
    assert f"content/{name}/feature.yaml: the feature folder '{name}'" in result.err
    assert "hint: rename" in result.err and "Traceback" not in result.err
    assert not (site.root / "dist").exists()
