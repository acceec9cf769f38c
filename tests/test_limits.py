"""jishi.text.limits: how deep a section's Markdown and raw HTML nest, measured on the source."""

from __future__ import annotations

from pathlib import Path

import pytest

from jishi.errors import ContentError
from jishi.text import limits


@pytest.mark.parametrize(("line", "depth"), [
    ("plain text", 0), ("- item", 1), ("    - nested", 2), ("> > - 1. deep", 4),
    ("- - - x", 3), ("\t\t- tabbed", 3), ("-not a list", 0), ("1.5 points", 0),
    (">>>> x", 4), ("  - two spaces", 1),
])
def test_line_depth(line: str, depth: int) -> None:
    assert limits.line_depth(line) == depth


@pytest.mark.parametrize(("line", "depth"), [
    ("<div><span>x</span>", 1), ("<div/><br><img src=x>", 0), ("</div></div>", 0),
    ("<p>a<p>b<li>c", 0), ("<https://example.org> <a@b.org>", 0), ("a < b > c", 0),
])
def test_html_depth(line: str, depth: int) -> None:
    assert limits.html_depth(line, 0) == depth


def test_check_depth_names_the_first_line_too_deep() -> None:
    body = "\n".join("    " * i + "- item" for i in range(40))
    with pytest.raises(ContentError) as info:
        limits.check_depth(body, 4, Path("s.md"))
    assert info.value.line == 4 + limits.MAX_MARKDOWN_DEPTH and info.value.hint


def test_code_samples_do_not_count() -> None:
    body = "```\n" + "\n".join(" " * 100 + "<div>" * 200 for _ in range(3)) + "\n```\n"
    limits.check_depth(body, 1, Path("s.md"))


def test_many_autolinks_and_closed_elements_are_fine() -> None:
    body = "\n".join("<https://example.org/> <div><b>x</b></div>" for _ in range(500))
    limits.check_depth(body, 1, Path("s.md"))
