"""The terminology check: a glossary of Chinese terms and their English renderings, kept by
`check` in every pair of section versions."""

from __future__ import annotations

import json

import pytest
from conftest import FEATURE_YAML, ROOT, TinySite

from jishi.checking.glossary import load, rendering_re
from jishi.config import load_config
from jishi.content import read_features
from jishi.errors import ErrorList


@pytest.mark.parametrize(("rendering", "text"), [
    ("women's federation", "the Women's Federations of Hunan"),  # case and plural
    ("women's federation", "the women’s federation’s duties"),  # curly apostrophes, possessive
    ("left-behind children", "left behind children"),  # a space for the hyphen
    ("executive member", "executive-member mothers"),  # a hyphen for the space
    ("party", "two parties"),  # y becomes ies
    ("mediation centre", "Mediation centres were built"),
])
def test_a_rendering_matches_its_forms(rendering: str, text: str) -> None:
    assert rendering_re(rendering).search(text)


@pytest.mark.parametrize(("rendering", "text"), [
    ("federation", "federationist"),  # whole words only
    ("member", "members-only"),  # a hyphenated compound is another word
    ("pilot scheme", "pilot of the scheme"),  # the words in order, side by side
])
def test_a_rendering_does_not_match_other_words(rendering: str, text: str) -> None:
    assert not rendering_re(rendering).search(text)


@pytest.fixture
def site(site: TinySite) -> TinySite:
    """The tiny site with its missing photo acknowledged: it has nothing else to warn about."""
    site.write("content/demo/feature.yaml",
               FEATURE_YAML + "pending_photos: [images/missing.jpg]\n")
    return site


def findings(site: TinySite, *args: str) -> tuple[int, list[dict]]:
    result = site.run("check", "--format", "json", *args)
    assert "Traceback" not in result.err, result.err
    return result.code, [f for f in json.loads(result.out)["findings"]
                         if f["code"].startswith("glossary") or f["level"] == "error"]


def test_a_term_without_its_rendering_is_reported_in_both_files(site: TinySite) -> None:
    site.write("data/glossary.yaml", "terms:\n  讲座: lecture\n  执委: executive member\n")
    code, found = findings(site)
    assert code == 0  # a warning
    [f] = found
    assert f["level"] == "warning" and f["code"] == "glossary-missing"
    assert (f["file"], f["line"]) == ("content/demo/01-first-part.zh.md", 3)  # its subtitle
    assert "'执委'" in f["message"] and "demo/01-first-part.en.md" in f["message"]
    assert "executive member" in f["message"] and "data/glossary.yaml:3" in f["message"]
    code, _ = findings(site, "--strict")
    assert code == 1


def test_using_the_rendering_clears_the_finding(site: TinySite) -> None:
    site.write("data/glossary.yaml", "terms:\n  执委: [executive member, board member]\n")
    site.write("content/demo/01-first-part.en.md",
               "---\ntitle: Part one\n---\nThere are {{ stat members }} Executive Members "
               "and {{ stat lectures }} lectures.\n\n{{ callout members }}\n")
    code, found = findings(site, "--strict")
    assert found == [] and code == 0


def test_a_form_to_avoid_is_reported_at_its_line(site: TinySite) -> None:
    site.write("data/glossary.yaml",
               "terms:\n  讲座: {use: [lecture], avoid: [talk show]}\n")
    site.write("content/demo/01-first-part.en.md",
               "---\ntitle: Part one\n---\nThere are {{ stat members }} members.\n\n"
               "And {{ stat lectures }} lectures, not talk-shows.\n")
    _, found = findings(site)
    [f] = found
    assert f["code"] == "glossary-avoid"
    assert (f["file"], f["line"]) == ("content/demo/01-first-part.en.md", 6)
    assert "'talk show'" in f["message"] and "use lecture" in f["hint"]


def test_reverse_reports_a_rendering_without_its_term(site: TinySite) -> None:
    site.write("data/glossary.yaml", "reverse: true\nterms:\n  图表: chart\n")
    site.write("content/demo/02-second.en.md",
               "---\ntitle: Part two\n---\nA chart follows.\n\n{{ chart talks }}\n")
    _, found = findings(site)
    [f] = found
    assert f["code"] == "glossary-reverse" and f["file"] == "content/demo/02-second.en.md"
    assert f["line"] == 4


def test_code_and_placeholders_are_not_text(site: TinySite) -> None:
    site.write("data/glossary.yaml", "terms:\n  代码: code\n")
    site.write("content/demo/01-first-part.zh.md",
               "---\ntitle: 第一部分\n---\n`代码`不是正文。{{ stat members }}\n")
    _, found = findings(site)
    assert found == []


def test_a_features_own_glossary_wins(site: TinySite) -> None:
    site.write("data/glossary.yaml", "terms:\n  执委: executive member\n")
    site.write("data/demo.glossary.yaml", "terms:\n  执委: member\n")
    _, found = findings(site, "--strict")
    assert found == []


def test_a_bad_glossary_is_an_error_with_its_line(site: TinySite) -> None:
    site.write("data/glossary.yaml", "terms:\n  执委: executive member\n  讲座: [1, 2]\n")
    code, found = findings(site)
    assert code == 1
    [f] = found
    assert (f["file"], f["line"]) == ("data/glossary.yaml", 3) and "讲座" in f["message"]


def test_a_feature_may_not_be_named_glossary(site: TinySite) -> None:
    site.write("content/glossary/feature.yaml", "title: {zh: 标题, en: Title}\n")
    site.write("content/glossary/01-a.zh.md", "---\ntitle: 一\n---\n正文。\n")
    result = site.run("build", "--no-pdf")
    assert result.code == 1 and "content/glossary/feature.yaml" in result.err
    assert "data/glossary.yaml" in result.err


def test_yiyang_ships_a_glossary_it_keeps() -> None:
    config = load_config(ROOT)
    [feature] = read_features(config, ErrorList())
    glossary = load(config, feature)
    assert glossary is not None and len(glossary.terms) >= 25
    assert glossary.language == "en"
    # test_check's test_repo_yiyang_passes_strict runs check --strict on it, glossary included
