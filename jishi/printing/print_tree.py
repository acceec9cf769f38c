"""Print-only changes to a section, made on its element tree before it is serialised.

The print edition renders each section body twice through Python-Markdown with one of these
passes (jishi.text.markup's MarkupContext.tree_pass): once for the text, once for its footnotes,
which the print stylesheet sets full width after the columns.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from urllib.parse import urljoin

from ..text.syntax import OFF_SITE_RE

ZWSP = "\u200b"
# Pango follows the older UAX #14, where curly quotes (class QU) glue to both neighbours, so
# 过“望”“闻”“问”“切”全 cannot break and Chinese lines end short. A zero-width space before an
# opening quote and after a closing one restores the break a Chinese typesetter would allow;
# never before closing punctuation, which must not start a line.
OPEN_QUOTE_RE = re.compile(r"(?<=[^\s\u200b“‘（《「『【])(?=[“‘])")
CLOSE_QUOTE_RE = re.compile(r"(?<=[”’])(?=[^\s，。、；：？！）》」』】”’…·])")

TreePass = Callable[[etree.Element], None]


def quote_breaks(text: str) -> str:
    """Let a Chinese line break around the curly quotes in one run of text."""
    return OPEN_QUOTE_RE.sub(ZWSP, CLOSE_QUOTE_RE.sub(ZWSP, text))


def break_quotes(root: etree.Element) -> None:
    """Apply quote_breaks to every run of text under root (attributes are left alone)."""
    for el in root.iter():
        if el is not root and el.tail:
            el.tail = quote_breaks(el.tail)
        if el.text:
            el.text = quote_breaks(el.text)


def print_links(root: etree.Element, page_url: str | None) -> None:
    """Links to the site's own pages and files, made to work from a downloaded PDF.

    WeasyPrint would resolve them against the source folder, printing file:// links into the
    editor's disk. With the site's base_url they become absolute; without, they stay as text.
    """
    for link in root.iter("a"):
        href = link.get("href")
        if href is None or href.startswith("#") or OFF_SITE_RE.match(href):
            continue
        if page_url is None:
            del link.attrib["href"]
        else:
            link.set("href", urljoin(page_url, href))


def is_notes(el: etree.Element) -> bool:
    """The footnotes Python-Markdown appends to a body."""
    return el.tag == "div" and el.get("class") == "footnote"


def keep(root: etree.Element, *, notes: bool) -> None:
    """Keep only the footnotes (notes) or only the text (not notes) of a body."""
    for child in list(root):
        if is_notes(child) != notes:
            root.remove(child)


def print_pass(page_url: str | None, lang: str, *, notes: bool) -> TreePass:
    """The print edition's pass over a body: its text or its notes, links and quotes fixed."""
    def run(root: etree.Element) -> None:
        keep(root, notes=notes)
        print_links(root, page_url)
        if lang[:2] == "zh":
            break_quotes(root)

    return run
