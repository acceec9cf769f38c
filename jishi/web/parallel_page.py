"""Parallel reading: a feature's two languages side by side, aligned by section and block.

The site's first language is paired with the first other language that is not a script of the
same one (zh with en; zh-Hant, a second script of Chinese, is not a parallel reading of zh). The
page is `<feature>/parallel/index.html`. Each section's blocks are paired in order, as the
translation check (`check`'s paragraphs warning) compares them: a paragraph beside its
translation; a photo, callout or chart once, from the first language; the notes of both below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..model import SiteConfig
from ..text.markup import Block

SHOWN_ONCE = ("photo", "callout", "chart")


@dataclass(frozen=True)
class Row:
    """One line of a parallel section: a pair of paragraphs, or a figure shown once."""

    kind: Literal["pair", "once"]
    left: str | None = None  # the first language's paragraph (pair) or the figure (once)
    right: str | None = None  # the partner language's paragraph (pair)


def base(lang: str) -> str:
    """The language a tag names, whatever its script: zh-Hant → zh."""
    return lang.split("-")[0].lower()


def partner(config: SiteConfig) -> str | None:
    """The language read beside the first one, or None when the site has no such language."""
    first = config.languages[0]
    return next((lang for lang in config.languages[1:] if base(lang) != base(first)), None)


def parallel_path(slug: str) -> str:
    """Where a feature's parallel page goes: beside the first language's page."""
    return f"{slug}/parallel/index.html"


def _row(left: Block | None, right: Block | None) -> list[Row]:
    """Rows for the blocks at one position in the two languages."""
    if left is not None and left.kind in SHOWN_ONCE:
        rows = [Row("once", left.html)]
        if right is not None and right.kind != left.kind:  # out of step: nothing is dropped
            rows += _row(None, right)
        return rows
    if right is not None and right.kind in SHOWN_ONCE:
        return [*(_row(left, None) if left else []), Row("once", None, right.html)]
    return [Row("pair", left.html if left else None, right.html if right else None)]


def align(left: list[Block], right: list[Block]) -> list[Row]:
    """Pair two versions' blocks in order; where one version has more, the rest stand alone."""
    ours = [b for b in left if b.kind != "notes"]
    theirs = [b for b in right if b.kind != "notes"]
    rows: list[Row] = []
    for i in range(max(len(ours), len(theirs))):
        rows += _row(ours[i] if i < len(ours) else None,
                     theirs[i] if i < len(theirs) else None)
    return rows


def notes(blocks: list[Block]) -> str | None:
    """A version's footnotes, shown under the section's rows."""
    return next((b.html for b in blocks if b.kind == "notes"), None)
