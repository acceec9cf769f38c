"""The Yiyang feature itself: every figure of the editor's map, in both languages, faithfully."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The statistics table of the editor's map, as printed (zh) and by the English rules.
MAP_FIGURES = [
    ("23162名", "23,162"), ("600多期", "more than 600"), ("32697人次", "32,697"),
    ("近2600场次", "nearly 2,600"), ("12件", "12"), ("25个", "25"), ("300余场", "over 300"),
    ("近1000场", "nearly 1,000"), ("100余次", "over 100"), ("10000多人次", "more than 10,000"),
    ("2075名", "2,075"), ("2075张", "2,075"), ("3000余条", "over 3,000"),
    ("1400多个", "more than 1,400"), ("7个", "7"), ("20多个", "more than 20"), ("8个", "8"),
    ("12375起", "12,375"), ("10350起", "10,350"), ("5547起", "5,547"),
]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.skip += tag in ("script", "style", "head")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("script", "style", "head")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def plain(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", "", "".join(parser.parts))


@pytest.fixture(scope="module")
def out(yiyang_web: Path) -> Path:
    return yiyang_web


@pytest.fixture(scope="module")
def pages(out: Path) -> dict[str, str]:
    return {lang: (out / rel).read_text(encoding="utf-8")
            for lang, rel in (("zh", "yiyang/index.html"), ("en", "en/yiyang/index.html"))}


@pytest.mark.parametrize(("zh", "en"), MAP_FIGURES)
def test_every_map_figure_is_rendered_as_data(pages: dict[str, str], zh: str, en: str) -> None:
    assert re.search(rf'<data class="stat" value="\d+">{re.escape(zh)}', pages["zh"]), zh
    assert re.search(rf'<data class="stat" value="\d+">{re.escape(en)}</data>', pages["en"]), en


def test_headline_numbers_are_callouts(pages: dict[str, str]) -> None:
    for value in ("23162", "2075", "12375"):
        for html in pages.values():
            assert re.search(rf'class="callout"[^>]*>\s*<p class="callout-number">'
                             rf'<data class="stat" value="{value}">', html), value


def test_no_placeholder_syntax_survives(out: Path) -> None:
    files = [p for p in out.rglob("*") if p.suffix in (".html", ".css", ".js", ".svg")]
    html = sorted(p.relative_to(out).as_posix() for p in files if p.suffix == ".html")
    # two feature pages, two home pages and the not-found page: nothing escapes the scan
    assert {"index.html", "en/index.html", "yiyang/index.html", "en/yiyang/index.html",
            "404.html"} <= set(html)
    for path in files:
        # JSON-LD nests objects ("}}"); what it says is checked by the share tests
        text = re.sub(r'<script type="application/ld\+json">.*?</script>', "",
                      path.read_text(encoding="utf-8"), flags=re.S)
        assert "{{" not in text and "}}" not in text, path


def test_three_photos_are_labelled_pending(pages: dict[str, str]) -> None:
    for lang, label in (("zh", "图片待补"), ("en", "Photo pending")):
        shown = re.findall(r'<figure class="photo">(.*?)</figure>', pages[lang], re.S)
        assert len(shown) == 3
        assert all(label in fig and "<figcaption>" in fig for fig in shown)


def _seed() -> Path | None:
    for base in (ROOT.parent, ROOT.parent.parent):
        path = base / "shared" / "seed" / "yiyang-feature.txt"
        if path.is_file():
            return path
    return None


@pytest.mark.skipif(_seed() is None, reason="the seed text is not beside this checkout")
def test_the_chinese_page_holds_every_fragment_of_the_seed(pages: dict[str, str]) -> None:
    text = plain(pages["zh"])
    raw = _seed().read_text(encoding="utf-8")  # type: ignore[union-attr]
    raw = raw.replace("——>", " ").replace("←", "").replace("↑", "")
    fragments = [f for line in raw.split() for f in line.split("。") if f]
    missing = [f for f in fragments if f not in text]
    assert not missing
