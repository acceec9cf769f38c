"""Where a chart's bars and labels go: pure geometry, no markup (jishi.web.charts draws it).

The drawing is laid out in a viewBox WIDTH units wide that the page shows at its column width,
never narrower than WIDTH px (a 360 px phone leaves 328 px), so one unit is at least one pixel and
text set at FONT units is never under 12 px. Text widths are estimated, on the wide side, from
the characters themselves: the build has no font metrics, so a label is wrapped before it could
reach the edge, whatever face the reader's device uses.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ..model import ChartKind

WIDTH = 320  # viewBox units; the narrowest column (360 px phone) is 328 px
PAD = 4  # left and right margin inside the viewBox
FONT = 13  # label size in units: at least 13 px wherever the drawing is WIDTH px or wider
VALUE_FONT = 14  # the figures, bold
LINE = 1.35  # line height, in ems
BAR = 18  # bar thickness
GAP = 6  # between a label and its bar, and between a bar and its figure
ROW_GAP = 14  # between one item and the next
EPSILON = 1e-6  # lines set one below the other touch; float sums must not make them overlap

Anchor = Literal["start", "middle", "end"]


@dataclass(frozen=True)
class Item:
    """One statistic to draw: its label and figure as the page shows them."""

    label: str
    value: Decimal
    value_text: str  # formatted by the statistic rules: 近2600场次 / nearly 2,600


@dataclass(frozen=True)
class Box:
    """A rectangle in viewBox units."""

    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: Box) -> bool:
        """True when the two boxes share any area (touching edges do not count)."""
        e = EPSILON
        return (self.x + e < other.x + other.width and other.x + e < self.x + self.width
                and self.y + e < other.y + other.height and other.y + e < self.y + self.height)

    def inside(self, width: float, height: float) -> bool:
        """True when the box lies within a viewBox of that size."""
        e = EPSILON
        return (self.x >= -e and self.y >= -e and self.x + self.width <= width + e
                and self.y + self.height <= height + e)


@dataclass(frozen=True)
class Text:
    """One line of text: its baseline anchor point and the box it may take up."""

    text: str
    x: float  # of the anchor
    y: float  # of the baseline
    size: float
    anchor: Anchor
    bold: bool
    box: Box  # estimated extent, generous


@dataclass(frozen=True)
class Shape:
    """A bar: a rectangle in viewBox units."""

    box: Box


@dataclass(frozen=True)
class Layout:
    """A chart laid out: the viewBox size and what to draw in it."""

    width: float
    height: float
    shapes: tuple[Shape, ...]
    texts: tuple[Text, ...]


def char_width(ch: str) -> float:
    """A character's advance in ems, rounded up over common sans and serif faces."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch == " ":
        return 0.33
    if ch in "mwMW@%—…":
        return 1.0
    if ch.isupper() or ch in "–&":
        return 0.75
    if ch in "ijlI.,:;'!|“”‘’()":
        return 0.4
    return 0.62


def text_width(text: str, size: float) -> float:
    """Estimated width of a line of text set at size units."""
    return sum(char_width(ch) for ch in text) * size


def _tokens(text: str) -> list[str]:
    """Break opportunities: after each space, and between two CJK characters."""
    tokens: list[str] = []
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in ("W", "F")
        joins = tokens and not wide and not tokens[-1].endswith(" ") and not _wide(tokens[-1][-1])
        # Closing punctuation never starts a line: it stays with the character before it.
        if tokens and (joins or ch in "，。、；：！？）》」』”’"):
            tokens[-1] += ch
        else:
            tokens.append(ch)
    return tokens


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def wrap(text: str, size: float, width: float) -> list[str]:
    """Greedy line breaking so that no line is estimated wider than width."""
    lines: list[str] = []
    current = ""
    for token in (piece for t in _tokens(text) for piece in _fit(t, size, width)):
        trial = current + token
        if current and text_width(trial.rstrip(), size) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = trial
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _fit(token: str, size: float, width: float) -> list[str]:
    """A word too long for a line on its own is cut into pieces that fit (never overflows)."""
    pieces = [""]
    for ch in token:
        if pieces[-1] and text_width(pieces[-1] + ch, size) > width:
            pieces.append("")
        pieces[-1] += ch
    return pieces


def _text(text: str, x: float, top: float, size: float, anchor: Anchor, *,
          bold: bool = False) -> Text:
    width = text_width(text, size) * (1.08 if bold else 1.0)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    height = size * LINE
    # The baseline sits about 0.8 em below the top of a line box of LINE ems.
    return Text(text, x, top + size * (LINE - 1) / 2 + size * 0.88, size, anchor, bold,
                Box(left, top, width, height))


def _label_lines(label: str, top: float, x: float, anchor: Anchor) -> list[Text]:
    lines = wrap(label, FONT, WIDTH - 2 * PAD)
    return [_text(line, x, top + i * FONT * LINE, FONT, anchor) for i, line in enumerate(lines)]


def _rect(x: float, y: float, width: float, height: float) -> Shape:
    return Shape(Box(x, y, width, height))


def bar_layout(items: list[Item]) -> Layout:
    """Each label on its own line(s), its bar below, the figure just past the bar's end."""
    top_value = max((item.value for item in items), default=Decimal(0)) or Decimal(1)
    value_room = max(text_width(i.value_text, VALUE_FONT) * 1.08 for i in items)
    longest = WIDTH - 2 * PAD - GAP - value_room  # the longest bar still leaves its figure room
    shapes, texts, y = [], [], 0.0
    for item in items:
        labels = _label_lines(item.label, y, PAD, "start")
        texts += labels
        y += len(labels) * FONT * LINE + GAP / 2
        length = max(float(item.value / top_value) * longest, 0.0)
        shapes.append(_rect(PAD, y, length, BAR))
        value_top = y + (BAR - VALUE_FONT * LINE) / 2
        texts.append(_text(item.value_text, PAD + length + GAP, value_top, VALUE_FONT, "start",
                           bold=True))
        y += BAR + ROW_GAP
    return Layout(WIDTH, y - ROW_GAP + 2, tuple(shapes), tuple(texts))


def funnel_layout(items: list[Item]) -> Layout:
    """Stages from widest to narrowest, each bar centred under its figure and label.

    The bars are centred on one axis so the narrowing reads as a funnel; no band joins them,
    as it would run behind the next stage's text."""
    top_value = max((item.value for item in items), default=Decimal(0)) or Decimal(1)
    centre, full = WIDTH / 2, WIDTH - 2 * PAD
    shapes: list[Shape] = []
    texts: list[Text] = []
    y = 0.0
    for item in items:
        texts.append(_text(item.value_text, centre, y, VALUE_FONT, "middle", bold=True))
        y += VALUE_FONT * LINE
        labels = _label_lines(item.label, y, centre, "middle")
        texts += labels
        y += len(labels) * FONT * LINE + GAP / 2
        length = max(float(item.value / top_value) * full, 1.0)
        shapes.append(_rect(centre - length / 2, y, length, BAR))
        y += BAR + ROW_GAP
    return Layout(WIDTH, y - ROW_GAP + 2, tuple(shapes), tuple(texts))


LAYOUTS = {"bar": bar_layout, "funnel": funnel_layout}


def layout(kind: ChartKind, items: list[Item]) -> Layout:
    """Lay out a chart of a kind."""
    return LAYOUTS[kind](items)
