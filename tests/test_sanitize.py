"""Untrusted text: raw HTML cut to the allowlist, unsafe URLs dropped, unless editors trust it."""

from __future__ import annotations

import json

import pytest
from conftest import TinySite
from PIL import Image

from jishi.text import sanitize

SECTION = "content/demo/01-first-part.en.md"
HOSTILE = """---
title: Part one
---
Text <span class="note" onclick="steal()">kept</span> [bad](javascript:alert(1)) [ok](https://example.org/).

<div onmouseover="x()"><script>alert(1)</script><img src="images/a.jpg" onerror="alert(2)"><iframe src="https://evil.example/"></iframe><b>bold</b></div>

<a href="data:text/html,owned">data link</a> <a href=" JaVa&#x09;ScRipt:alert(3)">entity</a>
"""


@pytest.mark.parametrize(("url", "safe"), [
    ("https://example.org/", True), ("mailto:a@b.org", True), ("images/a.jpg", True),
    ("#notes", True), ("//cdn.example/x", True), ("javascript:alert(1)", False),
    ("JavaScript:x", False), (" java\tscript:x", False), ("&#106;avascript:x", False),
    ("data:text/html,x", False), ("vbscript:x", False), ("file:///etc/passwd", False),
])
def test_safe_url(url: str, safe: bool) -> None:
    assert sanitize.safe_url(url) is safe


@pytest.mark.parametrize(("piece", "cleaned"), [
    ('<span class="x" onclick="y">', '<span class="x">'),
    ("</span>", "</span>"),
    ("<script>", ""),
    ("</script>", ""),
    ('<a href="javascript:x()">', "<a>"),
    ('<img src="a.jpg" onerror="x()">', '<img src="a.jpg">'),
    ("<!-- note -->", ""),
    ("&amp;", "&amp;"),
    ("<div><style>p{}</style><p>a</p></div>\n", "<div><p>a</p></div>\n"),
])
def test_clean_piece(piece: str, cleaned: str) -> None:
    assert sanitize.clean_piece(piece) == cleaned


def test_build_cleans_raw_html_and_unsafe_links(site: TinySite) -> None:
    site.write(SECTION, HOSTILE)
    assert site.run("build", "--no-pdf").code == 0
    page = site.read("en/demo/index.html")
    body = page[page.index('id="first-part"'):]
    for gone in ("<script", "alert(", "onclick", "onmouseover", "onerror", "<iframe",
                 "javascript:", "JaVa", "data:text"):
        assert gone not in body, gone
    for kept in ('<span class="note">kept</span>', "<b>bold</b>", 'src="images/a.jpg"',
                 '<a href="https://example.org/">ok</a>', "<a>bad</a>"):
        assert kept in body, kept


def test_photo_caption_html_is_cleaned(site: TinySite) -> None:
    site.write("content/demo/02-second.en.md", '---\ntitle: Part two\n---\n'
               '![A photo](images/missing.jpg "A <em>caption</em><script>alert(1)</script>")\n')
    assert site.run("build", "--no-pdf").code == 0
    page = site.read("en/demo/index.html")
    assert "<em>caption</em>" in page and "<script>alert" not in page


def test_code_samples_stay_as_written(site: TinySite) -> None:
    site.write(SECTION, "---\ntitle: Part one\n---\n```html\n<script>alert(1)</script>\n```\n\n"
               "Inline `<b onclick=x>` code.\n")
    assert site.run("build", "--no-pdf").code == 0
    page = site.read("en/demo/index.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<code>&lt;b onclick=x&gt;</code>" in page


def test_allow_raw_html_trusts_editors(site: TinySite) -> None:
    site.write("site.yaml", "title: {zh: 测试站, en: Test Site}\nallow_raw_html: true\n")
    site.write(SECTION, HOSTILE)
    assert site.run("build", "--no-pdf").code == 0
    page = site.read("en/demo/index.html")
    assert "<script>alert(1)</script>" in page and 'onclick="steal()"' in page


def test_check_reports_what_is_removed_with_lines(site: TinySite) -> None:
    site.write(SECTION, HOSTILE)
    result = site.run("check", "--format", "json")
    found = [f for f in json.loads(result.out)["findings"] if f["code"] == "raw-html-removed"]
    where = {(f["line"], f["message"]) for f in found}
    assert (4, "the attribute onclick= of <span> is removed") in where
    assert (4, "the link or image URL javascript:... is removed") in where
    assert (6, "the tag <script> is removed with its content") in where
    assert (6, "the attribute onerror= of <img> is removed") in where
    assert (6, "the tag <iframe> is removed") in where
    assert {f["line"] for f in found} == {4, 6, 8}
    assert all(f["level"] == "warning" and f["hint"] for f in found)


def test_check_is_quiet_about_html_when_editors_are_trusted(site: TinySite) -> None:
    site.write("site.yaml", "title: {zh: 测试站, en: Test Site}\nallow_raw_html: true\n")
    site.write(SECTION, HOSTILE)
    result = site.run("check", "--format", "json")
    assert not [f for f in json.loads(result.out)["findings"]
                if f["code"] == "raw-html-removed"]


def test_check_warns_of_a_comment_never_closed(site: TinySite) -> None:
    site.write(SECTION, "---\ntitle: Part one\n---\nFirst.\n\n<!-- <!-- --> fine\n\n"
               "Second <!-- editor's note\n\nThe rest.\n")
    result = site.run("check", "--format", "json")
    found = [f for f in json.loads(result.out)["findings"] if f["code"] == "unclosed-comment"]
    assert [(f["file"], f["line"], f["level"]) for f in found] == [(SECTION, 8, "warning")]


@pytest.mark.parametrize("name", ["anim.webp", "pages.tiff"])
def test_multi_frame_photo_warns_that_only_the_first_frame_is_used(site: TinySite,
                                                                   name: str) -> None:
    frames = [Image.new("RGB", (64, 48), colour) for colour in ((200, 0, 0), (0, 0, 200))]
    path = site.root / "content/demo/images" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    frames[0].save(path, save_all=True, append_images=frames[1:])
    site.write(SECTION, f"---\ntitle: Part one\n---\n![Anim](images/{name})\n")
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    assert f"{SECTION}:4: photo content/demo/images/{name}: it has 2 frames" in result.err
    assert "only the first is used" in result.err
