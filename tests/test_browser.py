"""The Yiyang pages in a real headless Chromium: phone layout, and switching language in place."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import Browser

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dist(yiyang_web: Path) -> Path:
    return yiyang_web


@pytest.fixture
def phone() -> Iterator[Browser]:
    browser = Browser(390, 844)
    yield browser
    browser.close()


@pytest.mark.parametrize("rel", ["yiyang/index.html", "en/yiyang/index.html"])
def test_phone_layout_fits_and_reads_well(dist: Path, phone: Browser, rel: str) -> None:
    phone.goto((dist / rel).as_uri())
    assert phone.eval("document.documentElement.scrollWidth") <= phone.eval("innerWidth")
    size = phone.eval("parseFloat(getComputedStyle(document.querySelector('.prose p')).fontSize)")
    assert size >= 16
    lead_height = phone.eval("document.querySelector('.headline').getBoundingClientRect().height")
    assert lead_height > 0


def test_switching_language_keeps_the_readers_place(dist: Path, phone: Browser) -> None:
    phone.goto((dist / "yiyang/index.html").as_uri())
    phone.eval("document.getElementById('happy-families').scrollIntoView()")
    phone.click(".lang-switch a[hreflang=en]")
    phone.wait_for("location.pathname.endsWith('/en/yiyang/index.html')")
    assert phone.eval("location.hash") == "#happy-families"
    assert phone.eval("document.documentElement.lang") == "en"


def test_without_javascript_the_section_link_keeps_the_place(dist: Path, phone: Browser) -> None:
    phone.disable_javascript()
    phone.goto((dist / "en/yiyang/index.html").as_uri())
    phone.click("#family-education .lang-jump")
    phone.wait_for("location.pathname.endsWith('/yiyang/index.html') && "
                   "!location.pathname.includes('/en/')")
    assert phone.eval("location.hash") == "#family-education"
    top = phone.eval("document.getElementById('family-education').getBoundingClientRect().top")
    bar = phone.eval("document.querySelector('.site-bar').getBoundingClientRect().bottom")
    assert bar <= top < bar + 60  # the section starts just below the bar, not hidden under it


CHART_BOXES = """(() => {
  const svg = document.querySelector('figure.chart svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const texts = [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, px: parseFloat(t.getAttribute('font-size')) * scale,
            box: [r.left, r.top, r.right, r.bottom]};
  });
  const s = svg.getBoundingClientRect();
  return {texts, svg: [s.left, s.top, s.right, s.bottom]};
})()"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


@pytest.mark.parametrize("rel", ["yiyang/index.html", "en/yiyang/index.html"])
@pytest.mark.parametrize("width", [360, 1280])
def test_the_chart_reads_on_a_phone_and_a_desktop(dist: Path, phone: Browser, rel: str,
                                                 width: int) -> None:
    phone.resize(width, 800)
    phone.goto((dist / rel).as_uri())
    assert phone.eval("document.documentElement.scrollWidth") <= width
    found = phone.eval(CHART_BOXES)
    svg, texts = found["svg"], found["texts"]
    shown = {t["text"] for t in texts}  # the disputes funnel: three figures, their labels
    figures = {"12,375", "10,350", "5,547"} if rel.startswith("en/") else \
        {"12375起", "10350起", "5547起"}  # each page formats its own language's way
    assert figures <= shown
    assert len(texts) >= 6
    for t in texts:
        assert t["px"] >= 12, t
        left, top, right, bottom = t["box"]
        assert svg[0] <= left and right <= svg[2] and svg[1] <= top and bottom <= svg[3], t
    for a, b in itertools.combinations(texts, 2):
        assert not _overlap(a["box"], b["box"]), (a, b)
    if os.environ.get("JISHI_SCREENSHOTS") and width == 360 and rel.startswith("en/"):
        phone.screenshot(ROOT / "docs" / "chart.png", "figure.chart")


@pytest.mark.parametrize(("start", "mode", "landing"), [
    ("yiyang/index.html", "parallel", "/yiyang/parallel/index.html"),
    ("yiyang/parallel/index.html", "en", "/en/yiyang/index.html"),
])
def test_switching_to_and_from_the_parallel_page_keeps_the_section(
        dist: Path, phone: Browser, start: str, mode: str, landing: str) -> None:
    phone.goto((dist / start).as_uri())
    phone.eval("document.getElementById('family-education').scrollIntoView()")
    selector = (".lang-switch a[href*=parallel]" if mode == "parallel"
                else f".lang-switch a[hreflang={mode}]")
    phone.click(selector)
    phone.wait_for(f"location.pathname.endsWith({landing!r})")
    assert phone.eval("location.hash") == "#family-education"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_parallel_page_sets_translations_side_by_side_when_there_is_room(
        dist: Path, phone: Browser, width: int) -> None:
    phone.resize(width, 900)
    phone.goto((dist / "yiyang/parallel/index.html").as_uri())
    assert phone.eval("document.documentElement.scrollWidth") <= width
    cells = phone.eval("[...document.querySelectorAll('#grassroots .prose .parallel-row')][0]"
                       ".querySelectorAll('.parallel-cell').length")
    tops = phone.eval("[...document.querySelectorAll('#grassroots .prose .parallel-row')][0]"
                      ".children[1].getBoundingClientRect().top - [...document.querySelectorAll("
                      "'#grassroots .prose .parallel-row')][0].children[0]"
                      ".getBoundingClientRect().top")
    assert cells == 2
    if width >= 1280:
        assert tops == 0  # beside each other
    else:
        assert tops > 0  # the translation follows its paragraph
    if os.environ.get("JISHI_SCREENSHOTS") and width == 1280:
        phone.eval("document.getElementById('grassroots').scrollIntoView()")
        phone.screenshot(ROOT / "docs" / "parallel.png")


CALLOUT_BOXES = """(() => {
  const box = e => { const r = e.getBoundingClientRect();
                     return [r.left, r.top + scrollY, r.right, r.bottom + scrollY]; };
  const others = [...document.querySelectorAll(
    'main h1, main h2, main h3, main h4, main a, main figure:not(.callout), .section-head, '
    + '.callout')];
  return [...document.querySelectorAll('figure.callout')].map(c => ({
    id: c.id, box: box(c),
    before: c.previousElementSibling ? [c.previousElementSibling.tagName,
                                        box(c.previousElementSibling)] : null,
    others: others.filter(o => o !== c && !c.contains(o))
                  .map(o => [o.tagName + '.' + o.className, box(o)]),
  }));
})()"""


@pytest.mark.parametrize("rel", ["yiyang/index.html", "en/yiyang/index.html"])
@pytest.mark.parametrize("width", [360, 768, 1280, 1920])
def test_callouts_never_collide_with_a_heading_link_or_figure(dist: Path, phone: Browser,
                                                              rel: str, width: int) -> None:
    phone.resize(width, 900)
    phone.goto((dist / rel).as_uri())
    assert phone.eval("document.documentElement.scrollWidth") <= width
    callouts = phone.eval(CALLOUT_BOXES)
    assert len(callouts) >= 3
    for callout in callouts:
        assert callout["box"][0] >= 0 and callout["box"][2] <= width, callout["id"]
        for name, box in callout["others"]:
            assert not _overlap(callout["box"], box), (width, callout["id"], name)
    if width >= 1280:  # with a margin to sit in, a callout sits beside the text before it
        beside = [c for c in callouts if c["before"] and c["before"][0] == "P"]
        assert beside
        for c in beside:
            text = c["before"][1]
            assert c["box"][0] >= text[2] and abs(c["box"][1] - text[1]) < 16, c["id"]
