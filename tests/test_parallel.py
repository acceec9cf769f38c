"""Parallel reading, and a section that exists in one language only."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from conftest import TinySite
from test_build import _parse

from jishi.model import SiteConfig
from jishi.text.markup import Block
from jishi.web.parallel_page import Row, align, partner

PARALLEL = "demo/parallel/index.html"


def _section(page: str, slug: str) -> str:
    return page.split(f'<section id="{slug}"')[1].split("</section>")[0]


class _Rows(HTMLParser):
    """The rows of a parallel section's body: each cell's text, or ("once", tag) for a figure."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.depth = 0  # open <div>s inside the current row
        self.cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if self.depth:
            self.depth += tag == "div"
            if classes == "parallel-cell":
                self.rows[-1].append("")
            elif self.rows[-1] == ["once"]:
                self.rows[-1].append(tag)
        elif classes in ("parallel-row", "parallel-once"):
            self.rows.append([] if classes == "parallel-row" else ["once"])
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "div":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and self.rows[-1] and self.rows[-1][0] != "once":
            self.rows[-1][-1] += data.strip()


def _rows(section: str) -> list[tuple[str, ...]]:
    """Each row of a parallel section's body, the section head left out."""
    parser = _Rows()
    parser.feed(section.split('<div class="prose">', 1)[1])
    return [tuple(row) for row in parser.rows]


def test_each_paragraph_sits_beside_its_translation(site: TinySite) -> None:
    site.write("content/demo/01-first-part.zh.md", "---\ntitle: 第一部分\n---\n第一段。\n\n"
               "{{ callout members }}\n\n第二段。\n")
    site.write("content/demo/01-first-part.en.md", "---\ntitle: Part one\n---\nParagraph one.\n"
               "\n{{ callout members }}\n\nParagraph two.\n")
    assert site.run("build", "--no-pdf").code == 0
    section = _section(site.read(PARALLEL), "first-part")
    rows = _rows(section)
    assert rows[0] == ("第一段。", "Paragraph one.") and rows[2] == ("第二段。", "Paragraph two.")
    assert rows[1] == ("once", "figure") and section.count('class="callout"') == 1  # once
    assert '<h2 id="first-part-title">第一部分</h2>' in section and "Part one</h2>" in section


def test_figures_are_shown_once_and_ids_stay_unique(site: TinySite) -> None:
    assert site.run("build", "--no-pdf").code == 0
    page = site.read(PARALLEL)
    assert page.count('class="chart chart-bar"') == 1 and page.count('class="photo-pending"') == 1
    assert "Photo pending" not in page  # the figure comes from the first language
    ids = _parse(page).ids
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert [i for i in ids if i in ("lead", "first-part", "second")] == [
        "lead", "first-part", "second"]  # the same anchors as the single-language pages


def test_every_page_links_to_all_three_modes(site: TinySite) -> None:
    assert site.run("build", "--no-pdf").code == 0
    expected = {"demo/index.html": ["", "../en/demo/index.html", "parallel/index.html"],
                "en/demo/index.html": ["../../demo/index.html", "",
                                       "../../demo/parallel/index.html"],
                PARALLEL: ["../index.html", "../../en/demo/index.html", ""]}
    for rel, links in expected.items():
        switch = _parse(site.read(rel).split('class="lang-switch"')[1].split("</nav>")[0])
        found = {a["href"] for a in switch.links if "data-keep-place" in a}
        assert found == {link for link in links if link}, rel
    assert "对照阅读" in site.read("en/demo/index.html")


def test_the_parallel_page_has_no_language_alternates(site: TinySite) -> None:
    assert site.run("build", "--no-pdf").code == 0
    assert 'rel="alternate"' not in site.read(PARALLEL)


def test_different_paragraph_counts_align_what_they_can(site: TinySite) -> None:
    site.write("content/demo/00-lead.en.md", "---\n---\nThe lead paragraph.\n\nAn extra one.\n")
    assert site.run("build", "--no-pdf").code == 0
    assert _rows(_section(site.read(PARALLEL), "lead")) == [
        ("导语段落。", "The lead paragraph."), ("", "An extra one.")]
    result = site.run("check", "--format", "json")
    [finding] = [f for f in json.loads(result.out)["findings"] if f["code"] == "paragraphs"]
    assert finding["file"].endswith("00-lead.en.md")
    assert finding["message"].startswith("section 00-lead: 2 paragraphs here, 1 in")
    assert "the parallel page pairs the first 1" in finding["message"]


def test_a_section_in_one_language_leaves_a_notice_in_the_other(site: TinySite) -> None:
    site.write("content/demo/03-extra.en.md", "---\ntitle: Only in English\n---\nExtra text.\n")
    assert site.run("build", "--no-pdf").code == 0
    zh = _section(site.read("demo/index.html"), "extra")
    assert "本节只有英文版：" in zh
    assert '<a href="../en/demo/index.html#extra" hreflang="en" lang="en">Only in English</a>' in zh
    parallel = _section(site.read(PARALLEL), "extra")
    assert "本节只有英文版：" in parallel and 'href="../../en/demo/index.html#extra"' in parallel
    assert ("", "Extra text.") in _rows(parallel)
    assert "本节只有" not in site.read("en/demo/index.html")


def test_a_lead_in_one_language_names_the_language_in_the_pages_words(site: TinySite) -> None:
    (site.root / "content/demo/00-lead.en.md").unlink()
    assert site.run("build", "--no-pdf").code == 0
    lead = _section(site.read("en/demo/index.html"), "lead")
    assert "This section is only in Chinese:" in lead
    assert '<a href="../../demo/index.html#lead" hreflang="zh-Hans" lang="zh-Hans">' \
        'read it in Chinese</a>' in lead


def _blocks(*kinds: str) -> list[Block]:
    return [Block(kind, f"{kind}{i}") for i, kind in enumerate(kinds)]  # type: ignore[arg-type]


def test_align_pairs_text_and_shows_figures_once() -> None:
    rows = align(_blocks("text", "chart", "text", "notes"), _blocks("text", "chart", "text"))
    assert rows == [Row("pair", "text0", "text0"), Row("once", "chart1"),
                    Row("pair", "text2", "text2")]


def test_align_keeps_every_block_when_the_versions_go_out_of_step() -> None:
    rows = align(_blocks("text", "photo"), _blocks("text", "text", "photo"))
    assert rows == [Row("pair", "text0", "text0"), Row("once", "photo1"),
                    Row("pair", None, "text1"), Row("once", None, "photo2")]


def test_a_second_script_of_the_first_language_is_not_its_parallel() -> None:
    def config(*langs: str) -> SiteConfig:
        return SiteConfig(Path("."), {}, list(langs))
    assert partner(config("zh", "zh-Hant", "en")) == "en"
    assert partner(config("zh", "zh-Hant")) is None
    assert partner(config("en")) is None


def test_a_stale_translation_says_so_in_its_column(site: TinySite) -> None:
    en = "content/demo/01-first-part.en.md"
    assert site.run("check", "--mark-translated", en).code == 0
    zh = site.root / "content/demo/01-first-part.zh.md"
    zh.write_text(zh.read_text(encoding="utf-8") + "\n新增的一段。\n", encoding="utf-8")
    assert site.run("build", "--no-pdf").code == 0
    head = _section(site.read(PARALLEL), "first-part").split("</header>")[0]
    english = head.split('<div class="parallel-cell" lang="en">')[1]
    assert "This translation may not reflect the latest changes to the Chinese text." in english
    assert "stale-note" not in head.split('<div class="parallel-cell" lang="en">')[0]
