"""jishi.text.markup: a section body and its titles, rendered with jishi's syntax by
Python-Markdown."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from dataclasses import replace
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from jishi.model import Chart, DataFile, Stat
from jishi.text.markup import (
    MarkupContext,
    callout_element,
    chart_figure,
    claim_id,
    inline_html,
    inline_text,
    stat_element,
    to_html,
)
from jishi.text.syntax import scan_body

DATA = DataFile(Path("data/demo.yaml"), {
    "members": Stat("members", Decimal(23162), {"zh": "执委", "en": "members"},
                    unit={"zh": "名", "en": ""}),
    "lectures": Stat("lectures", Decimal(2600), {"zh": "讲座", "en": "lectures"}, "nearly",
                     unit={"zh": "场次", "en": ""}, note={"en": "since 2015"}),
}, {"talks": Chart("talks", "bar", {"zh": "活动", "en": "Activities"}, ("members", "lectures"))})


def media(src: str, alt: str) -> etree.Element:
    return etree.Element("img", {"src": f"web/{src}", "alt": alt})


def ctx(lang: str = "en", **changes: object) -> MarkupContext:
    return replace(MarkupContext(lang, DATA, media), **changes)  # type: ignore[arg-type]


def html(el: etree.Element) -> str:
    return etree.tostring(el, encoding="unicode")


def test_a_statistic_is_data_with_its_value_in_the_pages_language() -> None:
    assert html(stat_element("members", ctx("zh"))) == \
        '<data class="stat" value="23162">23162名</data>'
    assert html(stat_element("lectures", ctx())) == \
        '<data class="stat" value="2600">nearly 2,600</data>'


def test_titles_escape_their_text_and_render_statistics() -> None:
    assert inline_html("<b> & {{ stat members }}", ctx()) == \
        '&lt;b&gt; &amp; <data class="stat" value="23162">23,162</data>'
    assert inline_text("{{ stat lectures }} talks", ctx()) == "nearly 2,600 talks"


def test_a_callout_is_a_figure_with_number_label_and_note() -> None:
    fig = callout_element("lectures", ctx())
    assert fig.get("id") == "stat-lectures"
    assert [s.text for s in fig.iter("span")] == ["nearly ", "2,600"]
    assert fig.findtext("figcaption") == "lectures"
    assert fig.findtext("figcaption/small") == "since 2015"


def test_an_id_is_kept_on_its_first_use_on_a_page_only() -> None:
    page = ctx()
    assert claim_id(etree.Element("p", {"id": "x"}), page).get("id") == "x"
    assert claim_id(etree.Element("p", {"id": "x"}), page).get("id") is None
    assert callout_element("members", page).get("id") == "stat-members"
    assert callout_element("members", page).get("id") is None


def test_a_chart_is_a_figure_of_its_statistics() -> None:
    fig = chart_figure("talks", ctx())
    assert fig.tag == "figure"
    assert "23,162" in html(fig) and "nearly 2,600" in html(fig)


def test_a_body_renders_statistics_callouts_charts_and_photo_figures() -> None:
    body = ("There are {{ stat members }} members.\n\n{{ callout members }}\n\n"
            "{{ chart talks }}\n\n![A hall](images/hall.jpg \"The {{ stat lectures }} hall\")\n")
    out = to_html(body, ctx())
    assert '<p>There are <data class="stat" value="23162">23,162</data> members.</p>' in out
    assert '<figure class="callout" id="stat-members">' in out
    assert '<figure class="photo"><img alt="A hall" src="web/images/hall.jpg">' \
           '<figcaption>The <data class="stat" value="2600">nearly 2,600</data> hall' \
           '</figcaption>\n</figure>' in out
    assert "{{" not in out


def test_a_photo_alone_on_its_line_is_a_figure_even_inside_a_paragraph() -> None:
    # The scan calls such a line a photo (so the photo stage plans it): the page must show it
    # as that planned figure, never as a bare <img> of the source file.
    out = to_html("Text before\n![A hall](images/hall.jpg)\nText after", ctx())
    assert out == ('<p>Text before</p>\n<figure class="photo"><img alt="A hall" '
                   'src="web/images/hall.jpg"><figcaption>A hall</figcaption>\n</figure>\n'
                   '<p>Text after</p>')


def test_code_spans_and_fenced_code_are_shown_as_written() -> None:
    out = to_html("Write `{{ stat ID }}`.\n\n```\n{{ callout ID }}\n<b>\n```\n", ctx())
    assert "<code>{{ stat ID }}</code>" in out
    assert "<pre><code>{{ callout ID }}\n&lt;b&gt;\n</code></pre>" in out


def test_placeholders_in_raw_html_render_but_not_in_fenced_code() -> None:
    out = to_html('<div class="box">{{ stat members }}</div>\n\n```\n{{ stat members }}\n```\n',
                  ctx())
    assert '<div class="box"><data class="stat" value="23162">23,162</data></div>' in out
    assert "<pre><code>{{ stat members }}\n</code></pre>" in out


def test_headings_in_a_body_rank_below_the_section_title() -> None:
    out = to_html("# One\n\nText\n\n## Two\n", ctx())
    assert "<h3>One</h3>" in out and "<h4>Two</h4>" in out


def test_chinese_inside_another_language_is_marked() -> None:
    assert '<span lang="zh-Hans">《益阳日报》</span>' in to_html("See 《益阳日报》 now.", ctx())
    assert "<span" not in to_html("见《益阳日报》。", ctx("zh"))


def test_footnote_ids_differ_between_the_sections_of_a_page() -> None:
    note = "Text[^a].\n\n[^a]: A note.\n"
    first, third = to_html(note, ctx(footnote_prefix=1)), to_html(note, ctx(footnote_prefix=3))
    assert 'id="fn:2-a"' in first and 'href="#fn:2-a"' in first
    assert 'id="fn:4-a"' in third and 'href="#fn:4-a"' in third


def test_a_tree_pass_sees_the_finished_tree_before_it_is_serialised() -> None:
    seen: list[str] = []

    def mark(root: etree.Element) -> None:
        seen.extend(el.tag for el in root.iter() if el.tag != root.tag)
        for link in root.iter("a"):
            link.set("href", "changed")

    out = to_html("A [link](other.html) and {{ stat members }}.", ctx(tree_pass=mark))
    assert '<a href="changed">link</a>' in out
    assert seen == ["p", "a", "data"]


TRICKY = [
    "Write `{{ stat members }}` to show {{ stat lectures }}.",
    "A span over `two\n{{ stat members }}` lines, then {{ stat lectures }}.",
    "```\n{{ callout members }}\n![p](images/p.jpg)\n```\n\n{{ callout lectures }}",
    "~~~\n{{ stat members }}\n~~~\nText {{ stat lectures }}",
    "Text\n![In a paragraph](images/a.jpg)\nmore text",
    "- item\n- ![In a list](images/b.jpg)\n\n> ![In a quote](images/c.jpg)",
    "``{{ stat members }} ` {{ stat lectures }}`` and ` {{ stat lectures }}",
    '<div class="box">{{ stat members }}</div>\n\nText.',
]


class _Shown(HTMLParser):
    """What a rendered body shows: statistics in the text, callouts, and every image."""

    def __init__(self) -> None:
        super().__init__()
        self.stats: list[str] = []
        self.callouts: list[str] = []
        self.images: list[tuple[str, bool]] = []  # (src, inside a figure)
        self.open: list[str] = []  # the class of each open <figure>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "figure":
            self.open.append(a.get("class") or "")
            if a.get("class") == "callout":
                self.callouts.append(a.get("id") or "")
        elif tag == "data" and "callout" not in self.open:
            self.stats.append(a.get("value") or "")
        elif tag == "img":
            self.images.append((a.get("src") or "", bool(self.open)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self.open.pop()


def test_the_page_shows_what_the_scan_read_no_more_and_no_less() -> None:
    for body in TRICKY:
        scan = scan_body(body, 1)
        shown = _Shown()
        shown.feed(to_html(body, ctx()))
        assert shown.stats == [str(DATA.stats[p.id].value) for p in scan.placeholders
                               if p.kind == "stat"], body
        assert shown.callouts == [f"stat-{p.id}" for p in scan.placeholders
                                  if p.kind == "callout"], body
        assert shown.images == [(f"web/{p.src}", True) for p in scan.photos], body
