"""Charts of statistics: an accessible table now, drawn as SVG later."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as etree
from collections.abc import Callable

from .langs import pick
from .model import Chart, Stat

log = logging.getLogger(__name__)

COLUMN_HEADS = {"zh": ("项目", "数量"), "zh-Hant": ("項目", "數量"), "en": ("Item", "Number")}


def chart_element(chart: Chart, stats: dict[str, Stat], lang: str,
                  number: Callable[[str], etree.Element]) -> etree.Element:
    """Return a <figure> holding the chart's figures as a captioned table."""
    fig = etree.Element("figure", {"class": f"chart chart-{chart.kind}", "id": f"chart-{chart.id}"})
    table = etree.SubElement(fig, "table")
    caption = etree.SubElement(table, "caption")
    caption.text = chart.title[lang]
    head_row = etree.SubElement(etree.SubElement(table, "thead"), "tr")
    for text in pick(COLUMN_HEADS, lang):
        th = etree.SubElement(head_row, "th", {"scope": "col"})
        th.text = text
    body = etree.SubElement(table, "tbody")
    top = max(stats[sid].value for sid in chart.stats) or 1
    for sid in chart.stats:
        row = etree.SubElement(body, "tr")
        label = etree.SubElement(row, "th", {"scope": "row"})
        label.text = stats[sid].label[lang]
        cell = etree.SubElement(row, "td")
        # The bar length is presentational: CSS draws it from this custom property.
        cell.set("style", f"--share:{float(stats[sid].value / top):.4f}")
        cell.append(number(sid))
    return fig
