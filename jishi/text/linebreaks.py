"""Soft line breaks in Chinese: a line break between two CJK characters is no space at all.

An editor who wraps a Chinese paragraph in the source (巾帼 / 争辉 on two lines) means one word;
a browser turns the line break into a space ("巾帼 争辉"). The CSS segment-break rule that
Firefox and goldmark's East Asian extension apply removes a break that has a wide (East Asian)
character on both sides, and keeps it, as a space, anywhere else (between Latin words). This
works on the element tree, so a break beside an inline element (**争辉**) is seen too.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

# Text in these elements is shown as written.
VERBATIM = {"pre", "code", "kbd", "samp", "script", "style", "svg"}
BLOCKS = {"p", "div", "figure", "figcaption", "table", "caption", "thead", "tbody", "tr", "th",
          "td", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "h1", "h2", "h3", "h4", "h5",
          "h6", "hr", "section", "header", "footer", "aside", "nav", "details", "summary",
          "picture"}
BREAK_RE = re.compile(r"[ \t]*\n[ \t]*")
# Curly quotes, dashes and ellipses serve both scripts (Unicode calls them ambiguous): beside a
# wide character they are Chinese punctuation, so “执委妈妈” on the next line joins its sentence.
SHARED_PUNCTUATION = set("“”‘’—…·")


def is_wide(ch: str) -> bool:
    """A character of an East Asian script or its full-width punctuation."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def joins(left: str, right: str) -> bool:
    """Whether a line break between these two characters is no space at all."""
    if not left or not right:
        return False
    return ((is_wide(left) or left in SHARED_PUNCTUATION)
            and (is_wide(right) or right in SHARED_PUNCTUATION)
            and (is_wide(left) or is_wide(right)))


@dataclass
class Slot:
    """One run of text in the tree: an element's text or its tail."""

    element: etree.Element
    attr: Literal["text", "tail"]

    @property
    def value(self) -> str:
        return getattr(self.element, self.attr) or ""

    @value.setter
    def value(self, text: str) -> None:
        setattr(self.element, self.attr, text)


def _slots(el: etree.Element) -> Iterator[Slot | None]:
    """Text runs in reading order; None where verbatim text or a block's edge breaks the flow."""
    if el.tag in VERBATIM:
        yield None
        return
    yield Slot(el, "text")
    for child in el:
        block = child.tag in BLOCKS
        if block:  # the lines of two paragraphs never join: only the source's layout is there
            yield None
        yield from _slots(child)
        if block:
            yield None
        yield Slot(child, "tail")


def _join(text: str, before: str, after: str) -> str:
    """Drop each line break in text whose neighbours (inside it, or before/after it) are wide."""
    def keep(m: re.Match[str]) -> str:
        left = text[m.start() - 1] if m.start() else before
        right = text[m.end()] if m.end() < len(text) else after
        return "" if joins(left, right) else m.group(0)
    return BREAK_RE.sub(keep, text)


def join_cjk_lines(root: etree.Element) -> None:
    """Remove the soft line breaks between two CJK characters everywhere under root."""
    slots = list(_slots(root))
    for i, slot in enumerate(slots):
        if slot is None or "\n" not in slot.value:
            continue
        slot.value = _join(slot.value, _neighbour(slots, i, -1), _neighbour(slots, i, 1))


def _neighbour(slots: list[Slot | None], i: int, step: int) -> str:
    """The character just before (step -1) or after (step 1) slot i, '' at verbatim text."""
    j = i + step
    while 0 <= j < len(slots):
        slot = slots[j]
        if slot is None:
            return ""
        if slot.value:
            return slot.value[-1] if step < 0 else slot.value[0]
        j += step
    return ""
