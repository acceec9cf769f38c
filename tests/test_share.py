"""Found and shared: link cards, JSON-LD, sitemap, robots.txt, the 404 page and the favicon."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser
from pathlib import Path

from conftest import ROOT, TinySite

BASE = "https://example.org/features/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
              "x": "http://www.w3.org/1999/xhtml"}


class Head(HTMLParser):
    """The meta tags, links and JSON-LD scripts of a page, as a crawler reads them."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str | None]] = []
        self.json_ld: list[str] = []
        self.styles = 0
        self._in_ld = False
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        key = a.get("property") or a.get("name")
        if tag == "meta" and key:
            self.meta.setdefault(key, []).append(a.get("content") or "")
        elif tag in ("a", "link"):
            self.links.append(a)
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")
        elif tag == "style":
            self.styles += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.json_ld[-1] += data

    def one(self, key: str) -> str:
        (value,) = self.meta[key]
        return value


def with_base_url(site: TinySite, *, french: bool = False) -> None:
    fr, languages = (", fr: Site", "[zh, en, fr]") if french else ("", "[zh, en]")
    site.write("site.yaml", f"title: {{zh: 测试站, en: Test Site{fr}}}\n"
               f"languages: {languages}\nbase_url: {BASE}\n")


def with_hero(site: TinySite) -> None:
    from PIL import Image

    photo = site.root / "content/demo/images/cover.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1200, 800), (30, 90, 160)).save(photo)
    feature = (site.root / "content/demo/feature.yaml").read_text(encoding="utf-8")
    site.write("content/demo/feature.yaml", feature + "date: 2019-11-20\nhero:\n"
               "  src: images/cover.jpg\n  alt: {zh: 封面照片, en: The cover photo}\n")


def test_a_shared_link_gets_a_card_and_a_news_article(site: TinySite) -> None:
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    head = Head(site.read("demo/index.html"))
    assert head.one("og:title") == "测试标题" and head.one("og:type") == "article"
    assert head.one("og:description") == "一句摘要。"
    assert head.one("og:site_name") == "测试站"
    assert head.one("og:locale") == "zh_CN" and head.meta["og:locale:alternate"] == ["en_GB"]
    assert head.one("twitter:card") == "summary"  # no picture: the small card
    assert "og:image" not in head.meta and "og:url" not in head.meta  # no base_url
    (ld,) = head.json_ld
    article = json.loads(ld)
    assert article["@type"] == "NewsArticle" and article["headline"] == "测试标题"
    assert article["inLanguage"] == "zh-Hans"
    assert article["author"] == {"@type": "Person", "name": "文：记者"}
    assert article["publisher"] == {"@type": "Organization", "name": "测试站"}
    en = json.loads(Head(site.read("en/demo/index.html")).json_ld[0])
    assert en["headline"] == "Test Headline" and en["inLanguage"] == "en"
    assert en["publisher"]["name"] == "Test Site"


def test_with_base_url_the_card_shows_the_hero_photo_by_absolute_url(site: TinySite) -> None:
    with_base_url(site)
    with_hero(site)
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    head = Head(site.read("en/demo/index.html"))
    image = head.one("og:image")
    assert image.startswith(BASE) and image.endswith(".jpg")
    assert (site.root / "dist" / image.removeprefix(BASE)).is_file()
    assert head.one("og:image:width") == "1200" and head.one("og:image:height") == "800"
    assert head.one("og:image:alt") == "The cover photo"
    assert head.one("twitter:card") == "summary_large_image"
    assert head.one("twitter:image") == image
    assert head.one("og:url") == BASE + "en/demo/"
    assert head.one("article:published_time") == "2019-11-20"
    article = json.loads(head.json_ld[0])
    assert article["image"] == [image] and article["datePublished"] == "2019-11-20"
    assert article["mainEntityOfPage"] == BASE + "en/demo/"


def test_json_ld_cannot_be_broken_out_of(site: TinySite) -> None:
    hostile = "</script><script>alert(1)</script><!-- & \u2028"
    feature = (site.root / "content/demo/feature.yaml").read_text(encoding="utf-8")
    site.write("content/demo/feature.yaml",
               feature.replace("byline: {zh: 文：记者,", f"byline: {{zh: {json.dumps(hostile)},"))
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    page = site.read("demo/index.html")
    head = Head(page)
    (ld,) = head.json_ld  # the script element holds all of it: nothing closed it early
    assert json.loads(ld)["author"]["name"] == hostile
    assert "<" not in ld and "alert(1)</script>" not in page.split("</head>")[0]


def test_sitemap_lists_every_language_as_alternates(site: TinySite) -> None:
    with_base_url(site, french=True)
    for rel in ("content/demo/feature.yaml", "data/demo.yaml"):
        text = (site.root / rel).read_text(encoding="utf-8")
        site.write(rel, re.sub(r"en: ([^}]*)}", r"en: \1, fr: \1}", text))
    for name in ("00-lead", "01-first-part", "02-second"):
        site.write(f"content/demo/{name}.fr.md",
                   (site.root / f"content/demo/{name}.en.md").read_text(encoding="utf-8"))
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    tree = etree.fromstring((site.root / "dist/sitemap.xml").read_bytes())
    urls = {u.findtext("s:loc", namespaces=SITEMAP_NS): u
            for u in tree.findall("s:url", SITEMAP_NS)}
    pages = [BASE + "demo/", BASE + "en/demo/", BASE + "fr/demo/"]
    parallel = BASE + "demo/parallel/"  # both languages on one page: no translation of it
    assert sorted(urls) == sorted([*pages, parallel])  # the home pages show the feature
    for loc, url in urls.items():
        links = {x.get("hreflang"): x.get("href") for x in url.findall("x:link", SITEMAP_NS)}
        assert links == ({} if loc == parallel else {"zh-Hans": pages[0], "en": pages[1],
                                                      "fr": pages[2], "x-default": pages[0]})
    robots = (site.root / "dist/robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in robots.splitlines()
    head = Head(site.read("fr/demo/index.html"))
    alternates = {a["hreflang"]: a["href"] for a in head.links if a.get("rel") == "alternate"}
    assert alternates == {"zh-Hans": pages[0], "en": pages[1], "fr": pages[2],
                          "x-default": pages[0]}


def test_without_base_url_the_build_says_once_what_is_lost(site: TinySite) -> None:
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    assert result.err.count("has no base_url") == 1
    assert "sitemap.xml (not written)" in result.err
    assert not (site.root / "dist/sitemap.xml").exists()
    robots = (site.root / "dist/robots.txt").read_text(encoding="utf-8")
    assert robots.startswith("User-agent: *\n") and "Sitemap" not in robots
    with_base_url(site)
    assert "has no base_url" not in site.run("build", "--no-pdf").err


def page_urls(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]+)"', page)


def test_404_page_works_at_any_depth(site: TinySite) -> None:
    assert site.run("build", "--no-pdf").code == 0
    page = site.read("404.html")
    head = Head(page)
    assert head.styles == 1 and not any(a.get("rel") == "stylesheet" for a in head.links)
    assert '<span lang="zh-Hans">找不到这个页面</span>' in page and "Page not found" in page
    homes = [a["href"] for a in head.links if a.get("hreflang")]
    assert homes == ["/", "/en/"]  # from the host's root, whatever URL shows the page
    icon = [a["href"] for a in head.links if a.get("rel") == "icon"]
    assert icon and icon[0].startswith("data:image/svg+xml;base64,")
    with_base_url(site)
    assert site.run("build", "--no-pdf").code == 0
    page = site.read("404.html")
    assert [u for u in page_urls(page) if not u.startswith("data:")] == [BASE, BASE + "en/"]


def test_every_page_links_the_favicon_and_a_site_may_replace_it(site: TinySite) -> None:
    assert site.run("build", "--no-pdf").code == 0
    dist = site.root / "dist"
    theme_ico = (ROOT / "assets/favicon.ico").read_bytes()
    assert (dist / "favicon.ico").read_bytes() == theme_ico
    for rel in ("index.html", "demo/index.html", "en/demo/index.html", "en/index.html"):
        icons = [a["href"] for a in Head(site.read(rel)).links if a.get("rel") == "icon"]
        assert len(icons) == 2, rel
        for href in icons:
            assert (dist / Path(rel).parent / str(href)).resolve().is_file(), (rel, href)
    site.write("assets/favicon.ico", b"site's own icon")
    assert site.run("build", "--no-pdf").code == 0
    assert (dist / "favicon.ico").read_bytes() == b"site's own icon"


def test_a_series_home_is_described_by_its_headlines(site: TinySite) -> None:
    site.write("content/other/feature.yaml", (site.root / "content/demo/feature.yaml").read_text(
        encoding="utf-8").replace("测试标题", "另一篇").replace("Test Headline", "Another"))
    site.write("data/other.yaml", "stats: {}\n")
    site.write("content/other/01-only.zh.md", "---\ntitle: 唯一\n---\n正文。\n")
    site.write("content/other/01-only.en.md", "---\ntitle: Only\n---\nText.\n")
    with_base_url(site)
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    home = Head(site.read("en/index.html"))
    assert home.one("description") == "Test Headline; Another"
    assert home.one("og:type") == "website" and home.one("og:title") == "Test Site"
    assert home.one("og:url") == BASE + "en/"
    assert Head(site.read("index.html")).one("description") == "测试标题；另一篇"
    assert home.json_ld == []  # a list of articles is no NewsArticle
