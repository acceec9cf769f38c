"""Random sources never crash jishi: each reader either reads or says what is wrong.

Hypothesis writes random front matter, YAML, data files and Markdown (from pieces of each
syntax, so it reaches the interesting corners quickly). Every one must come back read or
rendered, or raise one of jishi's own errors; any other exception, or a run past the deadline,
fails the test.
"""

from __future__ import annotations

import contextlib
import tempfile
import xml.etree.ElementTree as etree
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jishi import content, stats, validate, yamlio
from jishi.errors import ErrorList, JishiError
from jishi.model import Chart, DataFile, Stat
from jishi.text import markup, sanitize, syntax

QUICK = settings(max_examples=200, deadline=2000,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def pieces(tokens: list[str]) -> st.SearchStrategy[str]:
    """Text made of syntax tokens mixed with arbitrary characters."""
    return st.lists(st.one_of(st.sampled_from(tokens), st.text(max_size=6)),
                    max_size=40).map("".join)


YAML_TOKENS = ["a", "b", ": ", ":", " ", "  ", "\n", "- ", "[", "]", "{", "}", ", ", "&x ",
               "*x", "'", '"', "# c", "? ", "!!str ", "!!python/object:os.system ", "!!binary ",
               "2019-13-45", "2019-11-20", "1.0e-300", "9" * 40, "0x1F", ".nan", "\t", "...",
               "---", "|", ">", "%YAML 1.1\n", "yes", "~", "<<: *x", "\x00", "\ufeff"]
MARKDOWN_TOKENS = ["{{ stat members }}", "{{ stat nope }}", "{{ callout members }}",
                   "{{ chart talks }}", "{{ ", " }}", "{{ stat ", "![a](images/x.jpg \"c\")",
                   "![", "](", ")", "<div>", "</div>", "<script>", "<span onclick=x>", "<!--",
                   "-->", "```", "~~~", "`", "    ", "- ", "> ", "1. ", "\n", "\n\n", "[^1]",
                   "[^1]: ", "|", "| a | b |\n|---|---|\n", "# ", "## ", "*", "_", "&amp;",
                   "&#0;", "[x](javascript:alert(1))", "{: #id }", "文字", "2016年", "\x1b"]


# --- the YAML reader ---------------------------------------------------------------------------

@QUICK
@given(pieces(YAML_TOKENS))
def test_yaml_reader_reads_or_reports(text: str) -> None:
    with contextlib.suppress(JishiError):
        yamlio.parse(text, Path("x.yaml"))


@QUICK
@given(st.binary(max_size=200))
def test_any_bytes_decode_or_report(raw: bytes) -> None:
    try:
        text = yamlio.decode(Path("x.md"), raw)
    except JishiError:
        return
    assert not yamlio.NON_PRINTABLE.search(text)


# --- the front-matter reader -------------------------------------------------------------------

@QUICK
@given(pieces(["---\n", "---", "...\n", "title: ", "subtitle: ", "x", "\n", ": ", "[", "]",
               "- ", "{{ stat members }}", "yes", "translated_from: "]))
def test_front_matter_reads_or_reports(text: str) -> None:
    try:
        meta, body, line = content.split_front_matter(text, Path("01-a.zh.md"))
    except JishiError:
        return
    assert body in text and line >= 2 and isinstance(meta, yamlio.LineDict)


# --- the statistic syntax ----------------------------------------------------------------------

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8),
                    st.decimals().map(str), st.sampled_from(["nearly", "over", "bogus", "zh"]))
FIELDS = st.dictionaries(
    st.sampled_from(["value", "qualifier", "unit", "label", "note", "kind", "title", "stats",
                     "other"]),
    st.one_of(SCALARS, st.dictionaries(st.sampled_from(["zh", "en", "fr"]), SCALARS,
                                       max_size=3),
              st.lists(st.sampled_from(["members", "a", "b c"]), max_size=3)),
    max_size=6)
DATA_FILES = st.dictionaries(
    st.sampled_from(["stats", "charts", "extra"]),
    st.one_of(SCALARS, st.dictionaries(st.sampled_from(["members", "a", "b c", "1x"]), FIELDS,
                                       max_size=3)),
    max_size=3)


@QUICK
@given(DATA_FILES)
def test_data_file_reads_or_reports(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "demo.yaml")
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        try:
            found = stats.load_data(path, ["zh", "en"])
        except JishiError:
            return
    for stat in found.stats.values():  # whatever is read can be printed in both languages
        assert stats.format_stat(stat, "zh") and stats.format_stat(stat, "en")


@QUICK
@given(pieces(["{{", "}}", " ", "stat", "callout", "chart", "members", "talks", "\n", "x",
               "`", "{{ stat members }}"]))
def test_placeholder_scan_finds_lines_inside_the_text(text: str) -> None:
    found = syntax.scan_text(text, 10)
    lines = text.count("\n") + 1
    for ref in found.placeholders:
        assert 10 <= ref.line < 10 + lines


# --- the Markdown extensions -------------------------------------------------------------------

MEMBERS = Stat("members", Decimal(23162), {"zh": "执委", "en": "members"}, None,
               {"zh": "名", "en": ""})
DATA = DataFile(Path("demo.yaml"), {"members": MEMBERS},
                {"talks": Chart("talks", "bar", {"zh": "活动", "en": "Talks"}, ("members",))})


def media(src: str, alt: str) -> etree.Element:
    return etree.Element("img", {"src": src, "alt": alt})


def render(text: str, lang: str) -> str:
    """Read a section file, validate it and render it, as a build does."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, f"01-a.{lang}.md")
        path.write_text(text, encoding="utf-8")
        errors = ErrorList()
        version = content.read_section_file(path, lang, errors)
        if version is not None:
            validate.check_version(version, DATA, errors)
        errors.raise_if_any()
    assert version is not None
    return markup.to_html(version.body, markup.MarkupContext(lang, DATA, media))


@QUICK
@given(pieces(MARKDOWN_TOKENS), st.sampled_from(["zh", "en"]))
def test_markdown_renders_or_reports(body: str, lang: str) -> None:
    try:
        html = render("---\ntitle: 标题\n---\n" + body, lang)
    except JishiError:
        return
    assert "<script" not in html and "javascript:" not in html and "onclick" not in html


# --- the sanitiser -----------------------------------------------------------------------------

HTML_TOKENS = ["<", ">", "</", "/>", "div", "span", "a", "img", "script", "style", "svg", " ",
               "=", '"', "'", "href", "src", "onclick", "onerror", "javascript:", "JaVaScRiPt:",
               "data:", "&#106;", "&#x09;", "\t", "\n", "<!--", "-->", "x", "alert(1)"]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


@QUICK
@given(pieces(HTML_TOKENS))
def test_cleaned_html_has_only_allowed_tags_attributes_and_urls(piece: str) -> None:
    parser = _Tags()
    parser.feed(sanitize.clean_piece(piece))
    for tag, attrs in parser.tags:
        assert tag in sanitize.TAGS
        for name, value in attrs:
            assert sanitize.allowed_attribute(tag, name)
            assert name not in sanitize.URL_ATTRIBUTES or sanitize.safe_url(value or "")
