"""Limits on a section's Markdown, measured on the source before Python-Markdown parses it.

Python-Markdown recurses once per level of nested lists and quotes: 300 levels raise
RecursionError and 3,000 take minutes. A real feature nests three or four levels; past
MAX_MARKDOWN_DEPTH the section is refused with the line where it gets too deep.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ContentError

MAX_MARKDOWN_DEPTH = 16
# Raw HTML nested this deep is refused too: cleaning it takes time that grows with the square
# of the depth (100,000 nested <div>s, half a megabyte, take minutes).
MAX_HTML_DEPTH = 100
# A tag, not an autolink (<https://...>, <a@b.org>): the name ends at a space, / or >.
TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*?(/?)>")
# Elements that never hold others, or that HTML closes by itself when the next one opens.
UNNESTED = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                      "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th",
                      "option"})
TAB = 4  # Python-Markdown's indentation step for a nested list
# The leading quote and list markers of a line, each one level: "> - 1. text" is three.
MARKER_RE = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")
FENCE_RE = re.compile(r"^[ \t]*(```|~~~)")


def line_depth(line: str) -> int:
    """How deep a line nests: its indentation in steps of TAB, plus its leading markers."""
    indent = len(line.expandtabs(TAB)) - len(line.expandtabs(TAB).lstrip(" "))
    markers, pos = 0, 0
    while m := MARKER_RE.match(line, pos):
        markers, pos = markers + 1, m.end()
    return indent // TAB + markers


def html_depth(line: str, depth: int) -> int:
    """The nesting of raw HTML elements after line, given the nesting before it."""
    for m in TAG_RE.finditer(line):
        if m[2].lower() in UNNESTED or m[3]:
            continue
        depth = max(depth - 1, 0) if m[1] else depth + 1
    return depth


def check_depth(body: str, first_line: int, path: Path) -> None:
    """Raise a ContentError at the first line nested deeper than the limits."""
    fenced, html = False, 0
    for offset, line in enumerate(body.split("\n")):
        if FENCE_RE.match(line):
            fenced = not fenced  # a code sample's own indentation is no nesting
        if fenced:
            continue
        if line_depth(line) > MAX_MARKDOWN_DEPTH:
            raise ContentError(
                path, first_line + offset, f"lists or quotes are nested more than "
                f"{MAX_MARKDOWN_DEPTH} levels deep here", "a section needs a few levels at "
                "most: outdent this line, or make the deep part a list of its own")
        html = html_depth(line, html)
        if html > MAX_HTML_DEPTH:
            raise ContentError(
                path, first_line + offset, f"raw HTML elements are nested more than "
                f"{MAX_HTML_DEPTH} levels deep here", "close the elements you open (<div> "
                "needs </div>), or write the part in Markdown")
