"""Charts: the geometry of the SVG drawing and the figure a page gets."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as etree
from decimal import Decimal

import pytest
from conftest import DATA_YAML, TinySite
from pypdf import PdfReader

from jishi.model import Chart, Stat
from jishi.stats import format_stat
from jishi.web import chart_geometry as geo
from jishi.web.charts import chart_element

# The Yiyang disputes funnel, as data/yiyang.yaml defines it.
DISPUTES = {
    "received": Stat("received", Decimal(12375), {"zh": "婚姻家庭矛盾纠纷接待",
                     "en": "marriage and family disputes received"}, None, {"zh": "起", "en": ""}),
    "mediated": Stat("mediated", Decimal(10350), {"zh": "婚姻家庭矛盾纠纷调解",
                     "en": "disputes mediated"}, None, {"zh": "起", "en": ""}),
    "reconciled": Stat("reconciled", Decimal(5547), {"zh": "婚姻家庭矛盾纠纷调和",
                       "en": "disputes reconciled"}, "more_than", {"zh": "起", "en": ""}),
}
LONG_EN = ("counties, districts and county-level cities with a marriage and family dispute "
           "mediation centre")


def _items(lang: str, extra: list[geo.Item] | None = None) -> list[geo.Item]:
    found = [geo.Item(s.label[lang], s.value, format_stat(s, lang)) for s in DISPUTES.values()]
    return found + (extra or [])


CASES = {
    f"{kind}-{lang}-{extra}": (kind, _items(lang, [geo.Item(LONG_EN, Decimal(8), "8")]
                                            if extra else None))
    for kind in ("bar", "funnel") for lang in ("zh", "en") for extra in (False, True)
}


@pytest.mark.parametrize("kind", ["bar", "funnel"])
def test_bar_lengths_are_proportional_to_the_values(kind: geo.ChartKind) -> None:
    drawn = geo.layout(kind, _items("en"))
    widths = [shape.box.width for shape in drawn.shapes]
    values = [float(s.value) for s in DISPUTES.values()]
    for width, value in zip(widths, values, strict=True):
        assert width / widths[0] == pytest.approx(value / values[0], rel=1e-6)


def test_the_largest_funnel_stage_spans_the_width_and_all_stages_share_one_centre() -> None:
    drawn = geo.layout("funnel", _items("zh"))
    boxes = [shape.box for shape in drawn.shapes]
    assert boxes[0].width == pytest.approx(geo.WIDTH - 2 * geo.PAD)
    assert {round(b.x + b.width / 2, 6) for b in boxes} == {geo.WIDTH / 2}
    assert [b.y for b in boxes] == sorted(b.y for b in boxes)  # stages read top to bottom


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_label_and_bar_lies_inside_the_viewbox(case: str) -> None:
    kind, chart_items = CASES[case]
    drawn = geo.layout(kind, chart_items)
    for box in [t.box for t in drawn.texts] + [s.box for s in drawn.shapes]:
        assert box.inside(drawn.width, drawn.height), box


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_two_labels_or_bars_overlap(case: str) -> None:
    kind, chart_items = CASES[case]
    drawn = geo.layout(kind, chart_items)
    boxes = [t.box for t in drawn.texts] + [s.box for s in drawn.shapes]
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)


def test_a_long_label_wraps_and_each_figure_is_shown_whole() -> None:
    drawn = geo.layout("bar", _items("en", [geo.Item(LONG_EN, Decimal(8), "8")]))
    lines = [t.text for t in drawn.texts]
    wrapped = lines[lines.index("disputes reconciled") + 2:-1]
    assert len(wrapped) >= 2 and " ".join(wrapped) == LONG_EN
    assert {"12,375", "10,350", "more than 5,547", "8"} <= set(lines)


def test_chinese_wraps_between_characters_but_not_before_closing_punctuation() -> None:
    lines = geo.wrap("一二三四五六七八九十，一二三", 13, 13 * 10)
    assert lines == ["一二三四五六七八九", "十，一二三"]


def test_text_is_never_set_under_12_units() -> None:
    # The drawing is never shown narrower than WIDTH px, so a unit is at least a pixel.
    assert geo.WIDTH <= 360 - 2 * 16
    drawn = geo.layout("funnel", _items("en"))
    assert min(t.size for t in drawn.texts) >= 12


def test_a_wide_estimate_for_chinese_and_capitals() -> None:
    assert geo.text_width("婚姻", 10) == 20
    assert geo.text_width("MW", 10) > geo.text_width("ab", 10) > geo.text_width("il", 10)


def _figure(lang: str, *, ids: bool = True) -> etree.Element:
    chart = Chart("disputes", "funnel", {"zh": "纠纷", "en": "Disputes"}, tuple(DISPUTES))

    def number(sid: str) -> etree.Element:
        el = etree.Element("data", {"value": f"{DISPUTES[sid].value:f}"})
        el.text = format_stat(DISPUTES[sid], lang)
        return el
    return chart_element(chart, DISPUTES, lang, number, ids=ids)


def test_the_svg_is_an_image_named_by_its_title_and_described_in_words() -> None:
    fig = _figure("zh")
    svg = fig.find("svg")
    assert svg is not None and svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-disputes-title chart-disputes-desc"
    assert svg.findtext("title") == "纠纷"
    assert svg.findtext("desc") == ("婚姻家庭矛盾纠纷接待：12375起；婚姻家庭矛盾纠纷调解：10350起；"
                                    "婚姻家庭矛盾纠纷调和：5547多起")
    texts = [t.text for t in svg.iter("text")]
    assert "5547多起" in texts and "婚姻家庭矛盾纠纷接待" in texts


def test_the_data_table_stays_for_screen_readers() -> None:
    hidden = _figure("en").find("div")
    table = hidden.find("table") if hidden is not None else None
    assert table is not None and hidden is not None and hidden.get("class") == "visually-hidden"
    assert [d.text for d in table.iter("data")] == ["12,375", "10,350", "more than 5,547"]


def test_a_second_copy_names_the_drawing_without_ids() -> None:
    fig = _figure("en", ids=False)
    svg = fig.find("svg")
    assert svg is not None and fig.get("id") is None and svg.get("aria-label") == "Disputes"
    assert not [el for el in fig.iter() if el.get("id")]


def test_the_pdf_draws_the_same_svg(site: TinySite) -> None:
    # A statistic shown only by the chart: its label can reach the PDF only through the SVG,
    # since the print edition hides the data table.
    site.write("data/demo.yaml", DATA_YAML.replace("charts:", "  drawn:\n    value: 7\n"
               "    label: {zh: 只在图中, en: drawn only}\ncharts:").replace(
               "stats: [members, lectures]", "stats: [members, drawn]"))
    assert site.run("build").code == 0
    pdf = PdfReader(site.root / "dist/en/demo/demo-en.pdf")
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "drawn only" in text and "23,162" in text
    html = site.read("en/demo/index.html")
    assert html.count("drawn only") == 3  # the SVG's label and description, the hidden table


def test_a_word_longer_than_the_drawing_is_cut_to_fit() -> None:
    word = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung"
    lines = geo.wrap(f"a {word}", geo.FONT, geo.WIDTH - 2 * geo.PAD)
    assert "".join(lines[1:]) == word and len(lines) >= 3
    assert all(geo.text_width(line, geo.FONT) <= geo.WIDTH - 2 * geo.PAD for line in lines)
