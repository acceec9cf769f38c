"""jishi's Markdown syntax, read once: what a section refers to, with the line of each reference.

A section is scanned once, when it is read (content.read_section_file), and every later stage
reads that scan: validation, `check`, photo planning and the dev server's rebuilder. The
renderer's Python-Markdown processors are built from the patterns defined here. Fenced code and
code spans are found with Python-Markdown's own rules, so what a page shows as code is code
here too: a placeholder, photo or link inside it is text, never a reference.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor

ID = r"[A-Za-z][A-Za-z0-9_]*"  # the one rule for a statistic's or a chart's ID
ID_RE = re.compile(f"^{ID}$")
PLACEHOLDER_RE = re.compile(rf"\{{\{{\s*(?P<kind>[A-Za-z_]+)\s+(?P<id>{ID})\s*\}}\}}")
BLOCK_KINDS = ("callout", "chart")  # placeholders that stand alone on their line
FIGURE_RE = re.compile(
    r"^!\[(?P<alt>[^\]]*)\]\(\s*(?P<src>[^\s)]+)(?:\s+(?P<q>[\"'])(?P<title>.*?)(?P=q))?\s*\)$"
)
# Quote and list markers before a line's content: a photo may stand alone in a list item.
BLOCK_MARKERS_RE = re.compile(r"^(?:\s*(?:>|[-*+](?=\s)|\d+[.)](?=\s)))*\s*")
IMAGE_START_RE = re.compile(r"!\[[^\]]*\]\(")
# A link or photo target leading off the site: with a scheme (https:, mailto:) or a host (//)
OFF_SITE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
LINK_RE = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?(?P<target>[^)\s>]+)")
NOTE_RE = re.compile(r"\[\^[^\]]+\]:|<!--.*?-->\Z", re.S)
# A footnote definition, as Python-Markdown's FootnoteBlockProcessor reads one.
NOTE_DEF_RE = re.compile(r"^[ ]{0,3}\[\^(?P<label>[^\]]*)\]:", re.M)
BLOCK_PLACEHOLDER_RE = re.compile(r"\{\{\s*(callout|chart)\s+\S+\s*\}\}")
PARAGRAPH_RE = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")  # lines up to a blank one
FENCE_RE = FencedBlockPreprocessor.FENCED_BLOCK_RE
BACKTICKS = BacktickInlineProcessor(BACKTICK_RE)

BlockKind = Literal["note", "photo", "callout", "chart", "heading", "text"]


def photo_key(src: str) -> str:
    """The one name of the photo a Markdown src names (./images/a.jpg is images/a.jpg), as
    feature.yaml's pending_photos lists it and as the photo stage and check compare it."""
    return posixpath.normpath(src.strip())


def placeholder_pattern(kind: str, *, whole_line: bool = False) -> str:
    """The pattern of one kind of placeholder, like {{ stat ID }}, with the ID as group 'id'."""
    pattern = rf"\{{\{{\s*{kind}\s+(?P<id>{ID})\s*\}}\}}"
    return f"^{pattern}$" if whole_line else pattern


@dataclass(frozen=True)
class Placeholder:
    """A {{ kind id }} placeholder, with its line."""

    kind: str  # as written: stat, callout or chart are known, anything else is an error
    id: str
    line: int
    alone: bool  # the only thing on its line, as a callout or chart must be


@dataclass(frozen=True)
class Photo:
    """A photo alone on its line, which the page shows as a figure."""

    src: str
    alt: str
    title: str | None
    line: int


@dataclass(frozen=True)
class LooseImage:
    """Image syntax that is no figure: inside running text, or a photo line that cannot be read."""

    line: int
    starts_line: bool  # the line starts with it: a photo line written wrongly


@dataclass(frozen=True)
class Link:
    """A Markdown link (not an image), with its target as written."""

    target: str
    line: int


@dataclass(frozen=True)
class Block:
    """One block of a body (a paragraph, a photo, a callout...), for comparing languages."""

    line: int
    kind: BlockKind


@dataclass(frozen=True)
class Scan:
    """Everything a text refers to, in order, with lines; code is left out."""

    first_line: int
    prose: str  # the text with its code blanked out, line for line (for hand-typed figures)
    placeholders: tuple[Placeholder, ...] = ()
    strays: tuple[int, ...] = ()  # lines with a '{{' or '}}' that is no placeholder
    photos: tuple[Photo, ...] = ()
    loose_images: tuple[LooseImage, ...] = ()
    links: tuple[Link, ...] = ()
    blocks: tuple[Block, ...] = ()  # footnote definitions and comments left out
    notes: tuple[str, ...] = ()  # footnote labels in definition order, each once


@dataclass(frozen=True)
class VersionScan:
    """The scan of one section version: its titles (plain text) and its body (Markdown)."""

    title: Scan
    subtitle: Scan
    body: Scan

    def placeholders(self) -> Iterator[Placeholder]:
        """Every placeholder of the version, titles first."""
        for scan in (self.title, self.subtitle, self.body):
            yield from scan.placeholders


def scan_text(text: str, first_line: int) -> Scan:
    """Scan a plain text (a title, a caption): placeholders only, no Markdown."""
    placeholders, strays = _placeholders(text.split("\n"), first_line)
    return Scan(first_line, text, tuple(placeholders), tuple(strays))


def scan_body(body: str, first_line: int) -> Scan:
    """Scan a Markdown body once: placeholders, photos, links and blocks, code left out."""
    fences = [m.span() for m in FENCE_RE.finditer(body)]
    prose = mask(body, code_regions(body, fences))
    lines = prose.split("\n")
    placeholders, strays = _placeholders(lines, first_line)
    photos, loose = _images(body.split("\n"), lines, first_line)
    links = [Link(m["target"], first_line + n)
             for n, line in enumerate(lines) if "](" in line for m in LINK_RE.finditer(line)]
    notes = dict.fromkeys(m["label"] for m in NOTE_DEF_RE.finditer(prose))
    return Scan(first_line, prose, tuple(placeholders), tuple(strays), tuple(photos),
                tuple(loose), tuple(links), tuple(blocks(body, fences, first_line)), tuple(notes))


def scan_version(title: str | None, subtitle: str | None, body: str,
                 lines: dict[str, int], body_line: int) -> VersionScan:
    """Scan a section version: titles at their front-matter lines, the body where it starts."""
    return VersionScan(scan_text(title or "", lines.get("title", 1)),
                       scan_text(subtitle or "", lines.get("subtitle", 1)),
                       scan_body(body, body_line))


def code_regions(body: str, fences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where the fenced code blocks and code spans are, as (start, end) offsets into body."""
    found = list(fences)
    if "`" not in body:  # no code span without a backtick: most sections, scanned at once
        return sorted(found)
    start = 0
    for fence_start, fence_end in [*fences, (len(body), len(body))]:
        # Python-Markdown finds code spans inside each paragraph's text.
        between = body[start:fence_start]
        for m in PARAGRAPH_RE.finditer(between) if "`" in between else ():
            found += [(start + m.start() + a, start + m.start() + b)
                      for a, b in code_spans(m.group(0))]
        start = fence_end
    return sorted(found)


def code_spans(text: str) -> Iterator[tuple[int, int]]:
    """The code spans of one paragraph, by Python-Markdown's backtick rule."""
    pattern = BACKTICKS.getCompiledRegExp()
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        node, begin, end = BACKTICKS.handleMatch(m, text)
        if node is not None and not isinstance(node, str) and begin is not None and end:
            yield begin, end
        pos = max(end or m.end(), m.start() + 1)


def mask(text: str, regions: list[tuple[int, int]]) -> str:
    """text with each region blanked out, keeping every line break (so lines still count)."""
    if not regions:
        return text
    chars = list(text)
    for start, end in regions:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _placeholders(lines: list[str], first_line: int) -> tuple[list[Placeholder], list[int]]:
    found, strays = [], []
    for n, line in enumerate(lines):
        if "{{" not in line and "}}" not in line:
            continue
        for m in PLACEHOLDER_RE.finditer(line):
            found.append(Placeholder(m["kind"], m["id"], first_line + n,
                                     line.strip() == m.group(0)))
        leftover = PLACEHOLDER_RE.sub("", line)
        if "{{" in leftover or "}}" in leftover:
            strays.append(first_line + n)
    return found, strays


def figure_match(line: str) -> re.Match[str] | None:
    """Match a line that holds only a photo (inside list or quote markers, if any)."""
    return FIGURE_RE.match(BLOCK_MARKERS_RE.sub("", line).strip())


def _images(raw: list[str], masked: list[str], first_line: int
            ) -> tuple[list[Photo], list[LooseImage]]:
    photos, loose = [], []
    for n, (line, seen) in enumerate(zip(raw, masked, strict=True)):
        if "![" not in seen or not IMAGE_START_RE.search(seen):
            continue
        m = figure_match(line)
        if m and BLOCK_MARKERS_RE.sub("", seen).startswith("!["):
            photos.append(Photo(m["src"], m["alt"], m["title"], first_line + n))
        else:
            loose.append(LooseImage(first_line + n,
                                    BLOCK_MARKERS_RE.sub("", seen).startswith("![")))
    return photos, loose


def blocks(body: str, fences: list[tuple[int, int]], first_line: int) -> list[Block]:
    """The body's blocks as (line, kind): blank lines part them, except inside fenced code."""
    lines = body.split("\n")
    fenced = {body.count("\n", 0, start) + n for start, end in fences
              for n in range(body.count("\n", start, end) + 1)}
    found, start = [], None
    for n, line in enumerate([*lines, ""]):
        if line.strip() or n in fenced:
            start = n if start is None else start
            continue
        if start is not None:
            found.append(Block(first_line + start, block_kind(lines[start:n])))
            start = None
    return [b for b in found if b.kind != "note"]


def block_kind(lines: list[str]) -> BlockKind:
    """What a block is: a note, a photo, a callout, a chart, a heading, or text."""
    text = "\n".join(lines).strip()
    if NOTE_RE.match(text):
        return "note"
    if FIGURE_RE.match(text):
        return "photo"
    m = BLOCK_PLACEHOLDER_RE.fullmatch(text)
    if m:
        return "callout" if m.group(1) == "callout" else "chart"
    return "heading" if text.startswith("#") else "text"
