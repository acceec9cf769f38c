"""Newspaper furniture: footnotes numbered through the page, where a feature first appeared, the
editors' note, and the notice a translation carries once its source has changed."""

from __future__ import annotations

import re
from html import unescape

import pytest
from conftest import FEATURE_YAML, TinySite
from pypdf import PdfReader

SOURCE = """\
source:
  publication: {zh: 测试日报, en: The Test Daily}
  date: 2019-11-20
  page: A6
edition_note: {zh: 本文按原版面整理。, en: This text follows the printed page.}
"""
STALE_EN = "This translation may not reflect the latest changes to the Chinese text."


def note_numbers(html: str) -> list[str]:
    """The numbers a reader sees on the footnote references, in page order."""
    return re.findall(r'<sup id="fnref[^"]*"><a class="footnote-ref"[^>]*>(\d+)</a>', html)


@pytest.fixture
def noted(site: TinySite) -> TinySite:
    """The tiny site with a footnote in each of two English sections."""
    site.write("content/demo/01-first-part.en.md",
               "---\ntitle: Part one\n---\nOne fact.[^a]\n\n[^a]: The first note.\n")
    site.write("content/demo/02-second.en.md",
               "---\ntitle: Part two\n---\nAnother fact.[^b] A third.[^c]\n\n"
               "[^b]: The second note.\n[^c]: The third note.\n")
    return site


def test_footnotes_are_numbered_through_the_page(noted: TinySite) -> None:
    assert noted.run("build", "--no-pdf").code == 0
    html = noted.read("en/demo/index.html")
    assert note_numbers(html) == ["1", "2", "3"]  # not 1, 1, 2: numbering goes on
    assert '<ol start="2"' in html  # the second section's list of notes starts at 2
    assert len(set(re.findall(r'<li id="(fn[^"]*)"', html))) == 3  # and the ids stay unique


def test_footnotes_are_numbered_through_the_pdf(noted: TinySite) -> None:
    assert noted.run("pdf").code == 0
    text = "\n".join(page.extract_text()
                     for page in PdfReader(noted.root / "dist/en/demo/demo-en.pdf").pages)
    assert re.search(r"1\.\s*The first note", text)
    assert re.search(r"2\.\s*The second note", text)
    assert re.search(r"3\.\s*The third note", text)


def test_source_and_edition_note_on_the_page(site: TinySite) -> None:
    site.write("content/demo/feature.yaml", FEATURE_YAML + SOURCE)
    assert site.run("build", "--no-pdf").code == 0
    zh, en = site.read("demo/index.html"), unescape(site.read("en/demo/index.html"))
    assert "原载《测试日报》2019年11月20日第A6版。" in zh
    assert "First published in The Test Daily, 20 November 2019, page A6." in en
    assert "编者注：</strong>本文按原版面整理。" in zh
    assert "Editor's note: </strong>This text follows the printed page." in en


def test_source_and_edition_note_in_the_pdf(site: TinySite) -> None:
    site.write("content/demo/feature.yaml", FEATURE_YAML + SOURCE)
    assert site.run("pdf").code == 0
    reader = PdfReader(site.root / "dist/en/demo/demo-en.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "First published in The Test Daily, 20 November 2019, page A6." in text
    assert "This text follows the printed page." in text


def test_source_without_date_or_page(site: TinySite) -> None:
    site.write("content/demo/feature.yaml",
               FEATURE_YAML + "source:\n  publication: {zh: 测试日报, en: The Test Daily}\n")
    assert site.run("build", "--no-pdf").code == 0
    assert "原载《测试日报》。" in site.read("demo/index.html")
    assert "First published in The Test Daily." in site.read("en/demo/index.html")


@pytest.mark.parametrize(("block", "line", "message"), [
    ("source: Hunan Daily\n", 7, "source: expected publication, date and page"),
    ("source:\n  publication: {zh: 报}\n", 8, "source.publication: the 'en' text is missing"),
    ("source:\n  publication: {zh: 报, en: Daily}\n  date: yesterday\n", 9,
     "source.date: 'yesterday' is not a date"),
    ("source:\n  publication: {zh: 报, en: Daily}\n  edition: 2\n", 9, "edition: unknown setting"),
])
def test_a_bad_source_is_an_error_with_its_line(site: TinySite, block: str, line: int,
                                                message: str) -> None:
    assert site.run("build", "--no-pdf").code == 0
    before = site.snapshot()
    site.write("content/demo/feature.yaml", FEATURE_YAML + block)
    result = site.run("build", "--no-pdf")
    assert result.code == 1
    assert f"content/demo/feature.yaml:{line}:" in result.err and message in result.err
    assert "Traceback" not in result.err
    assert site.snapshot() == before


def test_a_stale_translation_says_so_until_marked_again(site: TinySite) -> None:
    en = "content/demo/01-first-part.en.md"
    assert site.run("check", "--mark-translated", en).code == 0
    assert site.run("build", "--no-pdf").code == 0
    assert STALE_EN not in site.read("en/demo/index.html")  # up to date: no notice

    zh = site.root / "content/demo/01-first-part.zh.md"
    zh.write_text(zh.read_text(encoding="utf-8") + "\n新增的一段。\n", encoding="utf-8")
    assert site.run("build", "--no-pdf").code == 0
    page = site.read("en/demo/index.html")
    section = page[page.index('id="first-part"'):page.index('id="second"')]
    assert STALE_EN in section  # on the section whose source changed, and only there
    assert page.count(STALE_EN) == 1
    assert "此译文" not in site.read("demo/index.html")  # the source itself carries none

    assert site.run("check", "--mark-translated", en).code == 0
    assert site.run("build", "--no-pdf").code == 0
    assert STALE_EN not in site.read("en/demo/index.html")


def test_a_stale_translation_says_so_in_the_pdf(site: TinySite) -> None:
    en = "content/demo/01-first-part.en.md"
    assert site.run("check", "--mark-translated", en).code == 0
    zh = site.root / "content/demo/01-first-part.zh.md"
    zh.write_text(zh.read_text(encoding="utf-8") + "\n新增的一段。\n", encoding="utf-8")
    assert site.run("pdf").code == 0
    reader = PdfReader(site.root / "dist/en/demo/demo-en.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert STALE_EN in text
