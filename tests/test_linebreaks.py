"""Chinese soft line breaks: gone between two CJK characters, a space between Latin words."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from pathlib import Path

import pytest
from conftest import TinySite

from jishi.model import DataFile
from jishi.text.linebreaks import join_cjk_lines
from jishi.text.markup import MarkupContext, to_html


def _html(body: str, lang: str = "zh") -> str:
    def media(src: str, alt: str) -> etree.Element:
        return etree.Element("img", {"src": src, "alt": alt})
    return to_html(body, MarkupContext(lang, DataFile(Path("d.yaml"), {}, {}), media))


@pytest.mark.parametrize(("source", "page"), [
    ("巾帼\n争辉", "<p>巾帼争辉</p>"),
    ("巾帼 \n 争辉，\n“执委妈妈”\n。", "<p>巾帼争辉，“执委妈妈”。</p>"),  # spaces, punctuation
    ("“Hello”\n“world”", "<p>“Hello”\n“world”</p>"),  # quotes between Latin words
    ("Hello\nworld", "<p>Hello\nworld</p>"),  # Latin words keep their space
    ("巾帼\nfamily", "<p>巾帼\nfamily</p>"),  # one side Latin: the space stays
    ("巾帼\n**争辉**", "<p>巾帼<strong>争辉</strong></p>"),  # the break beside an element
    ("**巾帼**\n争辉", "<p><strong>巾帼</strong>争辉</p>"),
    ("`巾帼\n争辉`", "<p><code>巾帼\n争辉</code></p>"),  # code is shown as written
])
def test_a_soft_break_between_cjk_characters_disappears(source: str, page: str) -> None:
    assert _html(source) == page


def test_an_english_page_joins_a_quoted_chinese_phrase_too() -> None:
    page = _html("The motto\n巾帼\n争辉 stands.", "en")
    assert page == ('<p>The motto\n<span lang="zh-Hans">巾帼</span><span lang="zh-Hans">争辉'
                    "</span> stands.</p>")


def test_text_after_verbatim_code_is_not_joined_across_it() -> None:
    root = etree.fromstring("<p>巾帼\n<code>x</code>\n争辉</p>")
    join_cjk_lines(root)
    assert etree.tostring(root, encoding="unicode") == "<p>巾帼\n<code>x</code>\n争辉</p>"


def test_the_built_page_and_pdf_show_the_word_whole(site: TinySite) -> None:
    from pypdf import PdfReader
    site.write("content/demo/00-lead.zh.md", "---\n---\n导语段落：巾帼\n争辉。\n")
    assert site.run("build").code == 0
    assert "巾帼争辉" in site.read("demo/index.html")
    text = "".join(page.extract_text() for page in PdfReader(
        site.root / "dist/demo/demo-zh.pdf").pages)
    assert "巾帼争辉" in text


def test_the_layout_between_two_blocks_is_left_alone() -> None:
    root = etree.fromstring("<div><p>巾帼</p>\n<p>争辉</p>\n</div>")
    join_cjk_lines(root)
    assert etree.tostring(root, encoding="unicode") == "<div><p>巾帼</p>\n<p>争辉</p>\n</div>"
