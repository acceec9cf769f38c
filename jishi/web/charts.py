"""Charts of statistics: an inline SVG drawn at build time, and the data table for screen readers.

The geometry is jishi.web.chart_geometry's; this module turns a laid-out chart into elements. Every
figure is formatted by jishi.stats, the one place numbers are written.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown.util import AtomicString

from ..langs import pick
from ..model import Chart, Stat
from ..stats import format_stat
from .chart_geometry import Item, Layout, Text, layout

log = logging.getLogger(__name__)

COLUMN_HEADS = {"zh": ("项目", "数量"), "zh-Hant": ("項目", "數量"), "en": ("Item", "Number")}
# Presentation attributes, not only CSS: WeasyPrint draws the SVG in the PDF without the page's
# stylesheet reaching inside it, and a reader's style sheet may still override them.
FONTS = ("system-ui, -apple-system, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', "
         "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif")
INK, BAR_FILL = "#1d1b18", "#b3261e"


def _num(x: float) -> str:
    """A coordinate, short and stable: at most two decimals, no trailing zeros."""
    return f"{x:.2f}".rstrip("0").rstrip(".") or "0"


def _atomic(el: etree.Element, text: str) -> etree.Element:
    # Python-Markdown's inline patterns skip atomic text: nothing may turn into markup inside
    # an SVG <text> (an emphasis or a <span lang> there would not render).
    el.text = AtomicString(text)
    return el


def items(chart: Chart, stats: dict[str, Stat], lang: str) -> list[Item]:
    """The chart's statistics as labelled figures in a language."""
    return [Item(stats[sid].label[lang], stats[sid].value, format_stat(stats[sid], lang))
            for sid in chart.stats]


def description(chart_items: list[Item], lang: str) -> str:
    """The chart in words, for a screen reader: each label with its figure."""
    sep, colon = ("；", "：") if lang.startswith("zh") else ("; ", ": ")
    return sep.join(f"{item.label}{colon}{item.value_text}" for item in chart_items)


def _text_element(parent: etree.Element, text: Text) -> None:
    attrs = {"x": _num(text.x), "y": _num(text.y), "font-size": _num(text.size)}
    if text.anchor != "start":
        attrs["text-anchor"] = text.anchor
    if text.bold:
        attrs["font-weight"] = "700"
    _atomic(etree.SubElement(parent, "text", attrs), text.text)


def svg_element(drawn: Layout, title: str, desc: str, ids: tuple[str, str] | None
                ) -> etree.Element:
    """The drawing: role=img, named by its <title> and described by its <desc>."""
    svg = etree.Element("svg", {
        "class": "chart-svg", "role": "img", "viewBox": f"0 0 {_num(drawn.width)} "
        f"{_num(drawn.height)}", "width": _num(drawn.width), "height": _num(drawn.height),
        "preserveAspectRatio": "xMinYMin meet"})
    if ids:
        svg.set("aria-labelledby", " ".join(ids))
    else:  # a second copy on the page: no ids to point at, so the name is given directly
        svg.set("aria-label", title)
    _atomic(etree.SubElement(svg, "title", {"id": ids[0]} if ids else {}), title)
    _atomic(etree.SubElement(svg, "desc", {"id": ids[1]} if ids else {}), desc)
    bars = etree.SubElement(svg, "g", {"class": "chart-bars", "fill": BAR_FILL})
    for shape in drawn.shapes:
        box = shape.box
        etree.SubElement(bars, "rect", {"x": _num(box.x), "y": _num(box.y),
                                        "width": _num(box.width), "height": _num(box.height)})
    labels = etree.SubElement(svg, "g", {"class": "chart-labels", "fill": INK,
                                         "font-family": FONTS})
    for text in drawn.texts:
        _text_element(labels, text)
    return svg


def table_element(chart: Chart, stats: dict[str, Stat], lang: str,
                  number: Callable[[str], etree.Element]) -> etree.Element:
    """The chart's figures as a captioned table, kept for screen readers (visually hidden).

    The hiding is on a wrapper: a table grows to its content whatever width it is given, and
    would widen the page on a phone."""
    wrapper = etree.Element("div", {"class": "visually-hidden"})
    table = etree.SubElement(wrapper, "table")
    etree.SubElement(table, "caption").text = chart.title[lang]
    head_row = etree.SubElement(etree.SubElement(table, "thead"), "tr")
    for text in pick(COLUMN_HEADS, lang):
        etree.SubElement(head_row, "th", {"scope": "col"}).text = text
    body = etree.SubElement(table, "tbody")
    for sid in chart.stats:
        row = etree.SubElement(body, "tr")
        etree.SubElement(row, "th", {"scope": "row"}).text = stats[sid].label[lang]
        etree.SubElement(row, "td").append(number(sid))
    return wrapper


def chart_element(chart: Chart, stats: dict[str, Stat], lang: str,
                  number: Callable[[str], etree.Element], *, ids: bool = True
                  ) -> etree.Element:
    """Return a <figure>: the title, the SVG drawing and the hidden data table.

    ids=False for a second copy of a chart on one page, whose ids would not be unique.
    """
    fig = etree.Element("figure", {"class": f"chart chart-{chart.kind}"})
    if ids:
        fig.set("id", f"chart-{chart.id}")
    title = chart.title[lang]
    etree.SubElement(fig, "figcaption", {"class": "chart-title", "aria-hidden": "true"}
                     ).text = title
    chart_items = items(chart, stats, lang)
    names = (f"chart-{chart.id}-title", f"chart-{chart.id}-desc") if ids else None
    drawn = layout(chart.kind, chart_items)
    fig.append(svg_element(drawn, title, description(chart_items, lang), names))
    fig.append(table_element(chart, stats, lang, number))
    return fig
