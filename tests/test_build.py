"""End to end: a tiny two-language site, built by the real command line, read as a reader would."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from conftest import TinySite


def test_build_writes_both_languages(site: TinySite) -> None:
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    zh = site.read("demo/index.html")
    en = site.read("en/demo/index.html")
    assert '<html lang="zh-Hans">' in zh
    assert '<html lang="en">' in en
    assert "测试标题" in zh and "Test Headline" in en
    assert "{{" not in zh + en


def test_statistics_render_per_language(site: TinySite) -> None:
    assert site.run("build", "--no-pdf").code == 0
    zh = site.read("demo/index.html")
    en = site.read("en/demo/index.html")
    assert '<data class="stat" value="23162">23162名</data>' in zh
    assert '<data class="stat" value="2600">近2600场次</data>' in zh
    assert '<data class="stat" value="23162">23,162</data>' in en
    assert '<data class="stat" value="2600">nearly 2,600</data>' in en


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag in ("a", "link"):
            self.links.append(a)


def _parse(html: str) -> _Anchors:
    parser = _Anchors()
    parser.feed(html)
    return parser


def test_sections_ordered_and_anchored_alike_in_both_languages(site: TinySite) -> None:
    assert site.run("build", "--no-pdf").code == 0
    for rel in ("demo/index.html", "en/demo/index.html"):
        ids = [i for i in _parse(site.read(rel)).ids if i in ("lead", "first-part", "second")]
        assert ids == ["lead", "first-part", "second"]


def test_language_switch_and_alternates(site: TinySite) -> None:
    assert site.run("build", "--no-pdf").code == 0
    zh = _parse(site.read("demo/index.html"))
    hreflangs = {a.get("hreflang"): a.get("href") for a in zh.links if a.get("rel") == "alternate"}
    assert hreflangs == {"zh-Hans": "index.html", "en": "../en/demo/index.html",
                         "x-default": "index.html"}  # x-default: the default language's page
    en = _parse(site.read("en/demo/index.html"))
    back = {a.get("hreflang"): a.get("href") for a in en.links if a.get("rel") == "alternate"}
    assert back == {"zh-Hans": "../../demo/index.html", "en": "index.html",
                    "x-default": "../../demo/index.html"}
    switch = [a for a in zh.links if a.get("hreflang") == "en" and "data-keep-place" in a]
    assert switch and switch[0]["href"] == "../en/demo/index.html"
    # each section links to the same section in the other language
    assert any(a.get("href") == "../en/demo/index.html#first-part" for a in zh.links)


def test_all_links_are_relative(site: TinySite) -> None:
    from PIL import Image

    photo = site.root / "content/demo/images/missing.jpg"  # a real photo: srcset links too
    photo.parent.mkdir(parents=True)
    Image.new("RGB", (64, 48), (200, 30, 30)).save(photo)
    assert site.run("build", "--no-pdf").code == 0
    for rel in ("index.html", "demo/index.html", "en/demo/index.html", "en/index.html"):
        page = site.read(rel)
        urls = re.findall(r'(?:href|src)="([^"]+)"', page)
        for srcset in re.findall(r'srcset="([^"]+)"', page):
            urls += [part.split()[0] for part in srcset.split(", ")]
        assert any(".jpg" in url for url in urls), rel
        for url in urls:
            assert not url.startswith(("/", "http:", "https:")), (rel, url)
            if not url.startswith("#"):
                target = (site.root / "dist" / rel).parent / url.split("#")[0]
                assert target.exists(), (rel, url)


def test_canonical_only_with_base_url(site: TinySite) -> None:
    assert site.run("build", "--no-pdf").code == 0
    assert 'rel="canonical"' not in site.read("demo/index.html")
    site.write("site.yaml", "title: {zh: 站, en: Site}\nlanguages: [zh, en]\n"
               "base_url: https://example.org/features\n")
    assert site.run("build", "--no-pdf").code == 0
    zh = site.read("demo/index.html")
    assert '<link rel="canonical" href="https://example.org/features/demo/">' in zh
    assert 'hreflang="en" href="https://example.org/features/en/demo/"' in zh
    assert 'hreflang="x-default" href="https://example.org/features/demo/"' in zh
    en = site.read("en/demo/index.html")
    assert '<link rel="canonical" href="https://example.org/features/en/demo/">' in en


def test_root_index_shows_the_single_feature(site: TinySite) -> None:
    assert site.run("build", "--no-pdf").code == 0
    assert "测试标题" in site.read("index.html")
    assert "Test Headline" in site.read("en/index.html")


def test_callout_chart_and_figure(site: TinySite) -> None:
    assert site.run("build", "--no-pdf").code == 0
    zh = site.read("demo/index.html")
    assert 'class="callout"' in zh and "执委</figcaption>" in zh
    assert "<caption>活动</caption>" in zh and '<th scope="row">讲座</th>' in zh
    assert "图片待补" in zh and "<figcaption>图片的说明文字</figcaption>" in zh
    en = site.read("en/demo/index.html")
    assert "Photo pending" in en
    captions = [html.unescape(c) for c in re.findall(r"<figcaption>(.*?)</figcaption>", en)]
    assert "The photo's caption" in captions


def test_missing_photo_is_a_warning(site: TinySite) -> None:
    result = site.run("build", "--no-pdf")
    assert result.code == 0
    assert "content/demo/02-second.zh.md:4" in result.err and "missing" in result.err


def test_real_photo_is_shown(site: TinySite) -> None:
    from PIL import Image

    path = site.root / "content/demo/images/missing.jpg"
    path.parent.mkdir(parents=True)
    Image.new("RGB", (64, 48), (200, 30, 30)).save(path)
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    assert "图片待补" not in site.read("demo/index.html")
    assert "is missing" not in result.err


def test_theme_overridden_file_by_file(site: TinySite) -> None:
    site.write("assets/style.css", "body { color: rebeccapurple; }\n")
    assert site.run("build", "--no-pdf").code == 0
    assert "rebeccapurple" in site.read("assets/style.css")
    assert (site.root / "dist/assets/jishi.js").exists()  # the rest of the theme stays


def test_two_features_get_a_home_page_listing_both(site: TinySite) -> None:
    site.write("content/second/feature.yaml", "title: {zh: 第二篇, en: Second feature}\n")
    site.write("content/second/01-only.zh.md", "---\ntitle: 唯一\n---\n正文。\n")
    site.write("content/second/01-only.en.md", "---\ntitle: Only\n---\nText.\n")
    assert site.run("build", "--no-pdf").code == 0
    home = site.read("index.html")
    assert 'href="demo/index.html"' in home and 'href="second/index.html"' in home
    assert "第二篇" in home and "测试标题" in home
    assert 'href="second/index.html"' in site.read("en/index.html")
    assert "Only" in site.read("en/second/index.html")


def test_headings_in_a_body_rank_below_the_section_title(site: TinySite) -> None:
    site.write("content/demo/02-second.en.md",
               "---\ntitle: Part two\n---\n# Top\n\nText.\n\n## Below\n\nMore.\n")
    assert site.run("build", "--no-pdf").code == 0
    body = site.read("en/demo/index.html").split('id="second-title"')[1]
    assert "<h3>Top</h3>" in body and "<h4>Below</h4>" in body
    assert site.read("en/demo/index.html").count("<h1") == 1  # the headline alone


def test_ids_stay_unique_when_a_callout_or_chart_is_shown_twice(site: TinySite) -> None:
    site.write("content/demo/02-second.en.md", "---\ntitle: Part two\n---\n{{ chart talks }}\n"
               "\n{{ callout members }}\n\n{{ chart talks }}\n")
    assert site.run("build", "--no-pdf").code == 0
    page = site.read("en/demo/index.html")
    ids = _parse(page).ids
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert ids.count("chart-talks") == 1 and ids.count("stat-members") == 1
    assert page.count('class="chart chart-bar"') == 2 and page.count('class="callout"') == 2


def test_placeholders_in_raw_html_render(site: TinySite) -> None:
    site.write("content/demo/02-second.en.md", "---\ntitle: Part two\n---\n"
               "<div class=\"box\">Members: {{ stat members }}</div>\n\n<div>\n"
               "{{ callout lectures }}\n</div>\n")
    assert site.run("build", "--no-pdf").code == 0
    page = site.read("en/demo/index.html")
    assert '<div class="box">Members: <data class="stat" value="23162">23,162</data></div>' \
        in page
    assert '<figure class="callout" id="stat-lectures">' in page
    assert "{{" not in page
