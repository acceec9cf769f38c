"""Markdown with jishi's syntax: {{ stat }}, {{ callout }}, {{ chart }} and photo figures.

Each piece of syntax is a Python-Markdown processor registered with a priority, so it composes
with the standard extensions instead of patching rendered HTML.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from html import escape
from typing import Literal

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from ..model import DataFile
from ..stats import format_stat, stat_parts
from ..web.charts import chart_element
from . import sanitize
from .linebreaks import join_cjk_lines
from .syntax import FIGURE_RE, PLACEHOLDER_RE, placeholder_pattern

log = logging.getLogger(__name__)

STAT_RE = placeholder_pattern("stat")

Media = Callable[[str, str], etree.Element]  # (src, alt) -> <img>/<picture>/placeholder


@dataclass(frozen=True)
class MarkupContext:
    """What rendering one section in one language needs to know."""

    lang: str
    data: DataFile
    media: Media
    footnote_prefix: int = 0
    footnote_start: int = 0  # footnotes of the page's earlier sections: numbering goes on
    ids: set[str] = field(default_factory=set)  # element ids given on this page so far
    trusted_html: bool = False  # site.yaml allow_raw_html: editors' raw HTML is not cleaned
    # A last change to the body's element tree before it is serialised (the print edition's).
    tree_pass: Callable[[etree.Element], None] | None = None


def claim_id(el: etree.Element, ctx: MarkupContext) -> etree.Element:
    """Keep el's id only on its first use on the page: a second callout of a stat has none."""
    wanted = el.get("id")
    if wanted in ctx.ids:
        del el.attrib["id"]
    elif wanted:
        ctx.ids.add(wanted)
    return el


def stat_element(stat_id: str, ctx: MarkupContext) -> etree.Element:
    """Return <data value="23162">23162名</data> for a statistic."""
    stat = ctx.data.stats[stat_id]
    el = etree.Element("data", {"class": "stat", "value": f"{stat.value:f}"})
    el.text = format_stat(stat, ctx.lang)
    return el


def inline_html(text: str, ctx: MarkupContext) -> Markup:
    """Render a title or caption: escaped text with its statistics as <data>."""
    parts, last = [], 0
    for m in re.finditer(STAT_RE, text):
        parts.append(escape(text[last:m.start()], quote=False))
        parts.append(etree.tostring(stat_element(m["id"], ctx), encoding="unicode"))
        last = m.end()
    parts.append(escape(text[last:], quote=False))
    return Markup("".join(parts))


def inline_text(text: str, ctx: MarkupContext) -> str:
    """Render a title as plain text (for <title>, meta tags and alt text)."""
    return re.sub(STAT_RE, lambda m: format_stat(ctx.data.stats[m["id"]], ctx.lang), text)


class StatInline(InlineProcessor):
    """{{ stat ID }} inside running text."""

    def __init__(self, ctx: MarkupContext) -> None:
        super().__init__(STAT_RE)
        self.ctx = ctx

    # types-Markdown ignores InlineProcessor's own override of Pattern.handleMatch; so do we.
    def handleMatch(  # type: ignore[override]  # noqa: N802
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        return stat_element(m["id"], self.ctx), m.start(0), m.end(0)


class ForeignScript(InlineProcessor):
    """Marks runs of Chinese inside another language's page, for fonts and screen readers."""

    def __init__(self) -> None:
        super().__init__(r"[《「『（]?[\u3400-\u9fff][\u3400-\u9fff\u3000-\u303f\uff01-\uff1f·+]*")

    # types-Markdown ignores InlineProcessor's own override of Pattern.handleMatch; so do we.
    def handleMatch(  # type: ignore[override]  # noqa: N802
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        span = etree.Element("span", {"lang": "zh-Hans"})
        span.text = m.group(0)
        return span, m.start(0), m.end(0)


class LineBlockProcessor(BlockProcessor):
    """Turns a line that holds only a pattern into a block element, splitting the paragraph."""

    pattern: re.Pattern[str]

    def __init__(self, parser: markdown.blockparser.BlockParser, ctx: MarkupContext) -> None:
        super().__init__(parser)
        self.ctx = ctx

    def _split(self, block: str) -> tuple[str, re.Match[str], str] | None:
        lines = block.split("\n")
        for i, line in enumerate(lines):
            m = self.pattern.match(line.strip())
            if m:
                return "\n".join(lines[:i]), m, "\n".join(lines[i + 1:])
        return None

    def test(self, parent: etree.Element, block: str) -> bool:
        return self._split(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        before, m, after = self._split(blocks.pop(0))  # type: ignore[misc]
        if after.strip():
            blocks.insert(0, after)
        if before.strip():
            self.parser.parseBlocks(parent, [before])
        parent.append(self.element(m))

    def element(self, m: re.Match[str]) -> etree.Element:
        """Build the element for one match."""
        raise NotImplementedError


def callout_element(stat_id: str, ctx: MarkupContext) -> etree.Element:
    """{{ callout ID }}: a large number with its label and source note."""
    stat = ctx.data.stats[stat_id]
    fig = etree.Element("figure", {"class": "callout", "id": f"stat-{stat.id}"})
    number = etree.SubElement(fig, "p", {"class": "callout-number"})
    data = etree.SubElement(number, "data", {"class": "stat", "value": f"{stat.value:f}"})
    before, figure, after = stat_parts(stat, ctx.lang)
    # The figure is set large; qualifier and unit stay small beside it.
    for css, text in (("callout-q", before), ("callout-figure", figure), ("callout-unit", after)):
        if text:
            etree.SubElement(data, "span", {"class": css}).text = text
    caption = etree.SubElement(fig, "figcaption", {"class": "callout-label"})
    caption.text = stat.label[ctx.lang]
    if stat.note.get(ctx.lang):
        note = etree.SubElement(caption, "small", {"class": "callout-note"})
        note.text = stat.note[ctx.lang]
    return claim_id(fig, ctx)


def chart_figure(chart_id: str, ctx: MarkupContext) -> etree.Element:
    """{{ chart ID }}: the chart's figures."""
    chart = ctx.data.charts[chart_id]
    # A second copy on the page keeps no ids (its title and description ids included).
    first = f"chart-{chart.id}" not in ctx.ids
    return claim_id(chart_element(chart, ctx.data.stats, ctx.lang,
                                  lambda sid: stat_element(sid, ctx), ids=first), ctx)


class CodeStashMark(Preprocessor):
    """Notes how many stashed blocks are fenced code: they come first, and stay literal."""

    count = 0

    def run(self, lines: list[str]) -> list[str]:
        self.count = len(self.md.htmlStash.rawHtmlBlocks)
        return lines


class RawHtmlPlaceholders(Postprocessor):
    """Placeholders inside an editor's raw HTML block render too, never reaching a page as {{."""

    def __init__(self, md: markdown.Markdown, ctx: MarkupContext, code: CodeStashMark) -> None:
        super().__init__(md)
        self.ctx = ctx
        self.code = code

    def run(self, text: str) -> str:
        makers: dict[str, Callable[[str, MarkupContext], etree.Element]] = {
            "stat": stat_element, "callout": callout_element, "chart": chart_figure}
        stash = self.md.htmlStash.rawHtmlBlocks
        for i, block in enumerate(stash):
            if i < self.code.count or not isinstance(block, str):  # code, or not HTML text
                continue
            stash[i] = PLACEHOLDER_RE.sub(lambda m: etree.tostring(
                makers[m["kind"]](m["id"], self.ctx), encoding="unicode", method="html"), block)
        return text


class CalloutBlock(LineBlockProcessor):
    """{{ callout ID }}: a large number with its label and source note."""

    pattern = re.compile(placeholder_pattern("callout", whole_line=True))

    def element(self, m: re.Match[str]) -> etree.Element:
        return callout_element(m["id"], self.ctx)


class ChartBlock(LineBlockProcessor):
    """{{ chart ID }}: a chart of several statistics."""

    pattern = re.compile(placeholder_pattern("chart", whole_line=True))

    def element(self, m: re.Match[str]) -> etree.Element:
        return chart_figure(m["id"], self.ctx)


class FigureBlock(LineBlockProcessor):
    """An image alone on its line becomes a <figure> with its caption.

    A line, as jishi.text.syntax's scan reads a photo: one in the middle of a paragraph splits it,
    like a callout, rather than showing the source file as a bare <img>.
    """

    pattern = FIGURE_RE

    def element(self, m: re.Match[str]) -> etree.Element:
        alt = inline_text(m["alt"], self.ctx)
        fig = etree.Element("figure", {"class": "photo"})
        fig.append(self.ctx.media(m["src"], alt))
        text = m["title"] if m["title"] is not None else m["alt"]
        if text.strip():  # no empty <figcaption> for a photo with neither caption nor alt
            # The inline stage runs after this one, so {{ stat }} in the caption still renders.
            etree.SubElement(fig, "figcaption").text = text
        return fig


class SubHeadings(Treeprocessor):
    """Headings in a body rank below the section's own <h2>: the body's top level becomes h3.

    The page's only <h1> is the headline, and a section title is an <h2>, so an editor's
    `# Heading` or `## Heading` inside a section is a sub-heading of it.
    """

    def run(self, root: etree.Element) -> None:
        headings = [el for el in root.iter() if re.fullmatch(r"h[1-6]", el.tag)]
        if not headings:
            return
        shift = 3 - min(int(el.tag[1]) for el in headings)
        for el in headings:
            el.tag = f"h{min(int(el.tag[1]) + shift, 6)}"


class FootnoteNumbers(Treeprocessor):
    """Footnotes are numbered through the page: Python-Markdown starts each section at 1."""

    def __init__(self, md: markdown.Markdown, ctx: MarkupContext) -> None:
        super().__init__(md)
        self.ctx = ctx  # the section's: a reused parser is pointed at each in turn

    def run(self, root: etree.Element) -> None:
        start = self.ctx.footnote_start
        if not start:
            return
        for sup in root.iter("sup"):
            link = sup.find("a")
            if sup.get("id", "").startswith("fnref") and link is not None and link.text:
                link.text = str(int(link.text) + start)
        for div in root.iter("div"):
            listing = div.find("ol")
            if div.get("class") == "footnote" and listing is not None:
                listing.set("start", str(start + 1))
                # WeasyPrint ignores `start`; the counter itself says it to browsers and print.
                listing.set("style", f"counter-reset: list-item {start}")


class TreePass(Treeprocessor):
    """Runs the context's tree pass once the tree is complete (after unescaping, at 0)."""

    def __init__(self, md: markdown.Markdown, ctx: MarkupContext) -> None:
        super().__init__(md)
        self.ctx = ctx

    def run(self, root: etree.Element) -> None:
        if self.ctx.tree_pass is not None:
            self.ctx.tree_pass(root)


class CjkLineBreaks(Treeprocessor):
    """A source line break between two Chinese characters is no space (jishi.text.linebreaks)."""

    def run(self, root: etree.Element) -> None:
        join_cjk_lines(root)


class JishiExtension(Extension):
    """Registers jishi's syntax with Python-Markdown."""

    def __init__(self, ctx: MarkupContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.users: list[StatInline | LineBlockProcessor | RawHtmlPlaceholders | TreePass
                         | FootnoteNumbers] = []

    def use(self, ctx: MarkupContext) -> None:
        """Point every processor at another section's context (the parser is reused)."""
        self.ctx = ctx
        for processor in self.users:
            processor.ctx = ctx

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        code = CodeStashMark(md)
        stat, raw_html = StatInline(self.ctx), RawHtmlPlaceholders(md, self.ctx, code)
        callout, chart = CalloutBlock(md.parser, self.ctx), ChartBlock(md.parser, self.ctx)
        figure, tree_pass = FigureBlock(md.parser, self.ctx), TreePass(md, self.ctx)
        notes = FootnoteNumbers(md, self.ctx)
        self.users = [stat, callout, chart, figure, raw_html, tree_pass, notes]
        # Below code spans (190) so `{{ stat x }}` in backticks stays literal.
        md.inlinePatterns.register(stat, "jishi-stat", 185)
        if not self.ctx.lang.startswith("zh"):
            # Last of all inline patterns, so it only ever sees plain text.
            md.inlinePatterns.register(ForeignScript(), "jishi-foreign-script", 1)
        # Above headers and lists but below indented code (80).
        md.parser.blockprocessors.register(callout, "jishi-callout", 76)
        md.parser.blockprocessors.register(chart, "jishi-chart", 75)
        # Just above plain paragraphs (10), below footnote definitions (17).
        md.parser.blockprocessors.register(figure, "jishi-figure", 12)
        md.treeprocessors.register(SubHeadings(md), "jishi-sub-headings", 5)
        # After footnote references (inline, 20) and the footnote list (50) are made.
        md.treeprocessors.register(notes, "jishi-footnote-numbers", 6)
        # After the inline patterns (20), so a break beside **bold** text is seen too.
        md.treeprocessors.register(CjkLineBreaks(md), "jishi-cjk-line-breaks", 4)
        md.treeprocessors.register(tree_pass, "jishi-tree-pass", -1)  # a no-op without one
        # Between fenced code (25), which stashes code blocks, and raw HTML blocks (20).
        md.preprocessors.register(code, "jishi-code-mark", 22)
        # Before the stashed raw HTML is put back (30).
        md.postprocessors.register(raw_html, "jishi-raw-html", 35)
        if not self.ctx.trusted_html:
            sanitize.register(md)


@dataclass
class _Parser:
    """One configured Markdown parser and the two extensions whose state changes per section."""

    md: markdown.Markdown
    jishi: JishiExtension
    footnotes: FootnoteExtension


def _new_parser(ctx: MarkupContext) -> _Parser:
    jishi = JishiExtension(ctx)
    footnotes = FootnoteExtension(UNIQUE_IDS=True, BACKLINK_TITLE="")
    md = markdown.Markdown(
        extensions=[jishi, footnotes, "fenced_code", "tables", "attr_list", "sane_lists"],
        output_format="html",
    )
    return _Parser(md, jishi, footnotes)


# Building a parser costs more than converting a section, so each process keeps one per kind
# of page (Chinese pages have no foreign-script pass; a site that trusts its editors' raw HTML
# has no cleaning) and resets it between sections.
_PARSERS: dict[tuple[bool, bool], _Parser] = {}


def _convert(body: str, ctx: MarkupContext) -> tuple[str, markdown.Markdown]:
    """Render one section body; the parser is returned too, for serialising parts of its tree."""
    kind = (ctx.lang.startswith("zh"), ctx.trusted_html)  # trusted: no cleaning registered
    parser = _PARSERS.get(kind) or _PARSERS.setdefault(kind, _new_parser(ctx))
    parser.jishi.use(ctx)
    # reset() clears the footnotes and adds one to the prefix: ids unique across the sections.
    parser.footnotes.unique_prefix = ctx.footnote_prefix
    parser.md.reset()
    try:
        return parser.md.convert(body), parser.md
    except BaseException:
        del _PARSERS[kind]  # a parse stopped half-way may leave state behind: never reuse it
        raise


def to_html(body: str, ctx: MarkupContext) -> str:
    """Render one section body to HTML."""
    return _convert(body, ctx)[0]


BlockKind = Literal["text", "photo", "callout", "chart", "notes"]


@dataclass(frozen=True)
class Block:
    """One top-level block of a rendered body: a paragraph, a figure, the notes..."""

    kind: BlockKind
    html: str


def block_kind(el: etree.Element) -> BlockKind:
    """What a rendered top-level element is, for aligning two languages block by block."""
    classes = set((el.get("class") or "").split())
    if el.tag == "div" and "footnote" in classes:
        return "notes"
    for kind in ("photo", "callout", "chart"):
        if el.tag == "figure" and kind in classes:
            return kind
    return "text"


def to_blocks(body: str, ctx: MarkupContext) -> list[Block]:
    """Render one section body as its top-level blocks, each finished as to_html finishes it."""
    found: list[etree.Element] = []

    def collect(root: etree.Element) -> None:
        if ctx.tree_pass is not None:
            ctx.tree_pass(root)
        found.extend(root)  # the finished tree's top-level elements

    md = _convert(body, replace(ctx, tree_pass=collect))[1]
    blocks = []
    for el in found:
        text = md.serializer(el)
        for post in md.postprocessors:  # raw HTML, footnote back-links, escapes: per block
            text = post.run(text)
        blocks.append(Block(block_kind(el), text.strip()))
    return blocks
