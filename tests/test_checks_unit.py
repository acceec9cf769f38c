"""jishi.checking.checks, function by function: what `check` reports about a site it has read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import TinySite

from jishi.builder import load_site
from jishi.checking import checks
from jishi.checking.findings import Finding, from_error
from jishi.errors import ContentError, ContentErrors, UsageError
from jishi.model import Feature

EN = "content/demo/02-second.en.md"


def feature_of(site: TinySite) -> Feature:
    return load_site(site.root).features[0]


def codes(findings: list[Finding]) -> list[tuple[str, int | None]]:
    return [(f.code, f.line) for f in findings]


def test_a_finding_is_located_as_file_and_line(tmp_path: Path) -> None:
    assert Finding("warning", "x", tmp_path / "a.md", 4, "m").location().endswith("a.md:4")
    assert Finding("warning", "x", tmp_path / "a.md", None, "m").location().endswith("a.md")
    assert Finding("error", "x", None, None, "m").location() == ""


def test_content_errors_become_error_findings() -> None:
    one = ContentError(Path("a.md"), 3, "bad", "fix it")
    assert from_error(one) == [Finding("error", "content", Path("a.md"), 3, "bad",
                                              "fix it")]
    assert len(from_error(ContentErrors([one, one]))) == 2
    assert from_error(UsageError("no"))[0].message == "no"


def test_the_tiny_site_has_only_its_missing_photo(site: TinySite) -> None:
    feature = feature_of(site)
    assert codes(checks.check_feature(feature, ["zh", "en"])) == [
        ("photo-missing", 4), ("photo-missing", 4)]


def test_a_section_missing_a_language(site: TinySite) -> None:
    (site.root / EN).unlink()
    section = feature_of(site).sections[2]
    assert codes(checks.check_translations(section, ["zh", "en"])) == [("missing-language", None)]


def test_blocks_out_of_step_between_languages(site: TinySite) -> None:
    site.write(EN, "---\ntitle: Part two\n---\n{{ chart talks }}\n\n"
                   "![A photo](images/missing.jpg)\n")
    section = feature_of(site).sections[2]
    zh, en = section.versions["zh"], section.versions["en"]
    found = checks.compare_paragraphs(zh, en)
    assert codes(found) == [("paragraphs", 4)]
    assert "block 1 is chart here but photo" in found[0].message


def test_a_count_of_blocks_that_differs(site: TinySite) -> None:
    site.write(EN, "---\ntitle: Part two\n---\n![A photo](images/missing.jpg)\n\n"
                   "{{ chart talks }}\n\nOne more paragraph.\n")
    section = feature_of(site).sections[2]
    found = checks.compare_paragraphs(section.versions["zh"], section.versions["en"])
    assert codes(found) == [("paragraphs", 8)]


def test_fenced_code_with_blank_lines_is_one_block(site: TinySite) -> None:
    site.write(EN, "---\ntitle: Part two\n---\n![A photo](images/missing.jpg)\n\n"
                   "```\n{{ chart talks }}\n\nstill code\n```\n")
    site.write("content/demo/02-second.zh.md", "---\ntitle: 第二部分\n---\n"
               "![照片](images/missing.jpg)\n\n文字。\n")
    section = feature_of(site).sections[2]
    assert checks.compare_paragraphs(section.versions["zh"], section.versions["en"]) == []


def test_a_stale_translation(site: TinySite) -> None:
    site.write(EN, "---\ntitle: Part two\ntranslated_from: 0000000000\n---\n"
                   "![A photo](images/missing.jpg)\n\n{{ chart talks }}\n")
    section = feature_of(site).sections[2]
    assert codes(checks.check_stale(section.versions["zh"], section.versions["en"])) == [
        ("stale-translation", 3)]


def test_statistics_no_text_uses(site: TinySite) -> None:
    site.write("data/demo.yaml", (site.root / "data/demo.yaml").read_text("utf-8").replace(
        "charts:", "  unused:\n    value: 5\n    label: {zh: 未用, en: unused}\ncharts:"))
    assert codes(checks.check_statistics(feature_of(site))) == [("unused-statistic", 11)]


def test_a_statistic_shown_only_in_a_code_span_is_unused(site: TinySite) -> None:
    site.write("data/demo.yaml", (site.root / "data/demo.yaml").read_text("utf-8").replace(
        "charts:", "  halls:\n    value: 5\n    label: {zh: 馆, en: halls}\ncharts:"))
    site.write(EN, "---\ntitle: Part two\n---\n![A photo](images/missing.jpg)\n\n"
                   "Write `{{ stat halls }}` for the halls.\n")
    assert [f.message for f in checks.check_statistics(feature_of(site))] == [
        "statistic 'halls' is never used"]


def test_figures_typed_by_hand(site: TinySite) -> None:
    site.write(EN, "---\ntitle: Part two\n---\nThere were 23,162 members and 815 halls.\n")
    site.write("content/demo/02-second.zh.md", "---\ntitle: 第二部分\n---\n文字。\n")
    found = checks.check_numbers(feature_of(site))
    assert codes(found) == [("hand-typed-statistic", 4), ("hand-typed-number", 4)]
    assert "{{ stat members }}" in found[0].hint


def test_figures_in_code_are_not_typed_by_hand(site: TinySite) -> None:
    # A code span may run over two lines of a paragraph, as Python-Markdown reads it.
    site.write(EN, "---\ntitle: Part two\n---\nWrite `stats: members: value:\n23162` "
                   "in the data file:\n\n~~~yaml\nhalls:\n  value: 815\n~~~\n")
    site.write("content/demo/02-second.zh.md", "---\ntitle: 第二部分\n---\n文字。\n")
    assert checks.check_numbers(feature_of(site)) == []


def test_photo_uses_read_the_scan(site: TinySite) -> None:
    uses = [(v.lang, p.src, p.line) for v, p in checks.photo_uses(feature_of(site))]
    assert uses == [("zh", "images/missing.jpg", 4), ("en", "images/missing.jpg", 4)]


def test_photos_missing_pending_or_without_alt(site: TinySite) -> None:
    site.write(EN, "---\ntitle: Part two\n---\n![](images/missing.jpg)\n\n{{ chart talks }}\n")
    site.write("content/demo/feature.yaml", (site.root / "content/demo/feature.yaml")
               .read_text("utf-8") + "pending_photos: [images/missing.jpg, images/other.jpg]\n")
    found = checks.check_photos(feature_of(site))
    assert sorted(f.code for f in found) == [
        "photo-alt", "photo-pending", "photo-pending", "photo-pending-unused"]


@pytest.mark.parametrize(("target", "problem"), [
    ("#first-part", ""),
    ("https://example.org/", ""),
    ("#nowhere", "no anchor #nowhere on demo/index.html"),
    ("../en/demo/index.html#first-part", ""),
    ("../en/demo/", ""),
    ("missing.html", "no such page or file in the built site"),
    ("../../../out.html", "it leads out of the site"),
    ("/demo/index.html", "a link starting with / breaks"),
])
def test_where_a_link_arrives(target: str, problem: str) -> None:
    ids = {"demo/index.html": {"first-part"}, "en/demo/index.html": {"first-part"}}
    files = set(ids)
    found = checks.link_problem("demo/index.html", target, ids, files)
    assert found.startswith(problem) if problem else found == ""


def test_links_are_read_from_the_scan_with_their_lines(site: TinySite) -> None:
    site.write(EN, "---\ntitle: Part two\n---\n![A photo](images/missing.jpg)\n\n"
                   "See [a](#nowhere) and `[b](#also-nowhere)`.\n")
    loaded = load_site(site.root)
    found = list(checks.check_links(loaded, loaded.features[0], {"en/demo/index.html": set()},
                                    {"en/demo/index.html"}))
    assert [(f.code, f.line, f.message) for f in found] == [
        ("broken-link", 6, "link #nowhere: no anchor #nowhere on en/demo/index.html")]


def test_exit_code_counts_and_reports() -> None:
    found = [Finding("warning", "w", Path("a.md"), 2, "careful", "do this"),
             Finding("info", "i", None, None, "noted")]
    assert checks.exit_code(found, strict=False) == 0
    assert checks.exit_code(found, strict=True) == 1
    assert checks.exit_code([Finding("error", "e", None, None, "x")], strict=False) == 1
    assert checks.counts(found) == {"error": 0, "warning": 1, "info": 1}
    text = checks.format_text(found, strict=True)
    assert "a.md:2: warning: careful\n    hint: do this" in text
    assert text.endswith("check failed (--strict): 0 error(s), 1 warning(s), 1 note(s)")
    report = json.loads(checks.format_json(found, strict=False))
    assert report["ok"] is True and report["findings"][0]["line"] == 2
