"""jishi.printing.print_tree: the print edition's changes to a section, made on its element tree."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from jishi.printing.print_tree import ZWSP, keep, print_links, print_pass


def tree(html: str) -> etree.Element:
    return etree.fromstring(f"<div>{html}</div>")


def text(root: etree.Element) -> str:
    return etree.tostring(root, encoding="unicode")


LINKS = ('<p><a href="#part">in the PDF</a> <a href="https://example.org/">web</a> '
         '<a href="../en/demo/index.html#x" class="k">page</a> <a>no href</a></p>')


def test_links_to_the_site_become_absolute_with_a_base_url() -> None:
    root = tree(LINKS)
    print_links(root, "https://news.example.cn/yiyang/demo/index.html")
    assert [a.get("href") for a in root.iter("a")] == [
        "#part", "https://example.org/", "https://news.example.cn/yiyang/en/demo/index.html#x",
        None]
    assert root.find(".//a[@class='k']") is not None  # other attributes stay


def test_links_to_the_site_stay_as_text_without_one() -> None:
    root = tree(LINKS)
    print_links(root, None)
    assert [a.get("href") for a in root.iter("a")] == [
        "#part", "https://example.org/", None, None]
    assert "page</a>" in text(root)


def test_the_text_and_the_notes_of_a_body_part() -> None:
    body = '<p>One</p><div class="footnote"><ol><li>Note</li></ol></div><p>Two</p>'
    text_only, notes_only = tree(body), tree(body)
    keep(text_only, notes=False)
    keep(notes_only, notes=True)
    assert text(text_only) == "<div><p>One</p><p>Two</p></div>"
    assert text(notes_only) == '<div><div class="footnote"><ol><li>Note</li></ol></div></div>'


def test_quotes_break_only_on_chinese_pages() -> None:
    zh, en = tree("<p>过“望”“闻”全</p>"), tree("<p>过“望”“闻”全</p>")
    print_pass(None, "zh-Hant", notes=False)(zh)
    print_pass(None, "en", notes=False)(en)
    assert zh.findtext("p") == f"过{ZWSP}“望”{ZWSP}“闻”{ZWSP}全"
    assert en.findtext("p") == "过“望”“闻”全"
