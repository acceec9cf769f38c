"""A series: several features in one site, with a home page of cards, series order and
previous/next links, series-wide statistics, and `new` numbering the next installment."""

from __future__ import annotations

import re

from conftest import TinySite

from jishi.builder import load_site
from jishi.editor.rebuild import Rebuilder


def add_feature(site: TinySite, slug: str, title: tuple[str, str], extra: str = "",
                data: str = "stats: {}\n", body: tuple[str, str] = ("正文。", "Text.")) -> None:
    """Write one more small feature into the site: feature.yaml, data and one section."""
    site.write(f"content/{slug}/feature.yaml",
               f"kicker: {{zh: 巡礼, en: Tour}}\ntitle: {{zh: {title[0]}, en: {title[1]}}}\n"
               + extra)
    site.write(f"data/{slug}.yaml", data)
    site.write(f"content/{slug}/01-start.zh.md", f"---\ntitle: 开始\n---\n{body[0]}\n")
    site.write(f"content/{slug}/01-start.en.md", f"---\ntitle: Start\n---\n{body[1]}\n")


def three_features(site: TinySite) -> None:
    """demo (the fixture's own, order 2), changde (order 1) and zhuzhou (order 3)."""
    with (site.root / "content/demo/feature.yaml").open("a", encoding="utf-8") as f:
        f.write("order: 2\nheadline_stat: lectures\n")
    add_feature(site, "zhuzhou", ("株洲篇", "Zhuzhou"), "order: 3\n")
    add_feature(site, "changde", ("常德篇", "Changde"), "order: 1\n")


def headlines(html: str) -> list[str]:
    """The home page's card headlines, top to bottom."""
    return re.findall(r'<span class="headline">(.*?)</span>', html)


def test_home_lists_every_feature_as_a_card_in_series_order(site: TinySite) -> None:
    three_features(site)
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    zh, en = site.read("index.html"), site.read("en/index.html")
    assert headlines(zh) == ["常德篇", "测试标题", "株洲篇"]
    assert headlines(en) == ["Changde", "Test Headline", "Zhuzhou"]
    assert re.findall(r'<li class="card[^"]*"><a href="([^"]+)"', zh) == [
        "changde/index.html", "demo/index.html", "zhuzhou/index.html"]
    assert '<span class="kicker">巡礼</span>' in zh and '<span class="kicker">Tour</span>' in en
    # demo's headline statistic, with each language's number rules; the others show none.
    assert zh.count('class="card-stat"') == 1
    assert ('<data class="stat" value="2600">近2600场次</data></span> '
            '<span class="card-label">讲座') in zh
    assert '<data class="stat" value="2600">nearly 2,600</data></span> <span class="card-label">' \
        'lectures' in en
    # No hero photo: a typographic card, not a "photo pending" placeholder.
    assert "card-type" in zh and "photo-pending" not in zh


def test_each_feature_keeps_its_own_url_and_page(site: TinySite) -> None:
    three_features(site)
    assert site.run("build", "--no-pdf").code == 0
    for slug, headline in (("changde", "常德篇"), ("demo", "测试标题"), ("zhuzhou", "株洲篇")):
        page = site.read(f"{slug}/index.html")
        assert f'<h1 id="headline" class="headline">{headline}</h1>' in page
        assert f'href="../en/{slug}/index.html"' in page
        assert site.read(f"en/{slug}/index.html").count('<article class="feature"') == 1
    assert '<article class="feature"' not in site.read("index.html")


def test_previous_and_next_follow_series_order(site: TinySite) -> None:
    three_features(site)
    assert site.run("build", "--no-pdf").code == 0
    first, middle, last = (site.read(f"{s}/index.html") for s in ("changde", "demo", "zhuzhou"))
    assert 'rel="prev"' not in first
    assert '<a class="series-next" rel="next" href="../demo/index.html">' \
           '<span class="series-dir">下一篇</span> 测试标题</a>' in first
    assert 'rel="prev" href="../changde/index.html"' in middle
    assert 'rel="next" href="../zhuzhou/index.html"' in middle
    assert 'rel="prev" href="../demo/index.html"' in last and 'rel="next"' not in last
    english = site.read("en/demo/index.html")
    assert '<span class="series-dir">Previous</span> Changde</a>' in english
    assert '<span class="series-dir">Next</span> Zhuzhou</a>' in english


def test_without_order_the_series_runs_by_date_then_folder_name(site: TinySite) -> None:
    add_feature(site, "b-dated-late", ("乙", "B"), "date: 2020-05-01\n")
    add_feature(site, "c-dated-early", ("丙", "C"), "date: 2019-01-01\n")
    add_feature(site, "a-numbered", ("甲", "A"), "order: 7\n")
    slugs = [f.slug for f in load_site(site.root).features]
    # A numbered feature first, then by date, then the undated ones by folder name.
    assert slugs == ["a-numbered", "c-dated-early", "b-dated-late", "demo"]


def test_two_features_may_not_share_a_place(site: TinySite) -> None:
    add_feature(site, "one", ("一", "One"), "order: 1\n")
    add_feature(site, "two", ("二", "Two"), "order: 2\n")
    assert site.run("build", "--no-pdf").code == 0
    before = site.snapshot()
    site.write("content/two/feature.yaml", "title: {zh: 二, en: Two}\norder: 1\n")
    result = site.run("build", "--no-pdf")
    assert result.code == 1
    assert "content/two/feature.yaml:2: order: 1 is also the order of content/one/" in result.err
    assert "Traceback" not in result.err and site.snapshot() == before


def test_series_wide_statistics_are_usable_from_any_feature(site: TinySite) -> None:
    site.write("site.yaml", """\
        title: {zh: 测试站, en: Test Site}
        languages: [zh, en]
        stats:
          women:
            value: 3400
            qualifier: more_than
            unit: {zh: 万, en: " thousand"}
            label: {zh: 全省妇女, en: women in the province}
        """)
    add_feature(site, "changde", ("常德篇", "Changde"), "headline_stat: women\n",
                body=("全省妇女{{ stat women }}。", "There are {{ stat women }} women."))
    assert site.run("build", "--no-pdf").code == 0
    assert '<data class="stat" value="3400">3400多万</data>' in site.read("changde/index.html")
    assert "more than 3,400 thousand" in site.read("en/changde/index.html")
    assert "3400多万</data></span> <span class=\"card-label\">全省妇女" in site.read("index.html")


def test_a_features_own_statistic_wins_with_a_warning(site: TinySite) -> None:
    site.write("site.yaml", "title: {zh: 测试站, en: Test Site}\nlanguages: [zh, en]\n"
               "stats:\n  lectures:\n    value: 1\n    label: {zh: 讲座, en: lectures}\n")
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    assert "近2600场次" in site.read("demo/index.html")
    assert ("data/demo.yaml:6: statistic 'lectures' is also defined series-wide in "
            "site.yaml:4; this feature uses its own") in result.err


def test_an_unknown_headline_statistic_is_an_error(site: TinySite) -> None:
    with (site.root / "content/demo/feature.yaml").open("a", encoding="utf-8") as f:
        f.write("headline_stat: lecturs\n")
    result = site.run("build", "--no-pdf")
    assert result.code == 1
    assert ("content/demo/feature.yaml:7: headline_stat: unknown statistic ID 'lecturs' "
            "(did you mean 'lectures'?)") in result.err


def test_new_in_a_numbered_series_takes_the_next_place(site: TinySite) -> None:
    three_features(site)
    result = site.run("new", "yueyang")
    assert result.code == 0, result.err
    assert (site.root / "content/yueyang/feature.yaml").read_text(
        encoding="utf-8").startswith("order: 4")
    assert [f.slug for f in load_site(site.root).features][-1] == "yueyang"


def test_new_in_an_unnumbered_site_adds_no_order(site: TinySite) -> None:
    assert site.run("new", "yueyang").code == 0
    assert "order:" not in (site.root / "content/yueyang/feature.yaml").read_text(
        encoding="utf-8")


def test_check_names_an_unused_series_wide_statistic_in_site_yaml(site: TinySite) -> None:
    site.write("site.yaml", "title: {zh: 测试站, en: Test Site}\nlanguages: [zh, en]\n"
               "stats:\n  spare:\n    value: 1\n    label: {zh: 备用, en: spare}\n"
               "  women:\n    value: 2\n    label: {zh: 妇女, en: women}\n")
    add_feature(site, "changde", ("常德篇", "Changde"), "headline_stat: women\n")
    result = site.run("check", "--format", "json")
    assert result.code == 0, result.err
    assert "series-wide statistic 'spare' is never used" in result.out
    assert re.search(r'"file": "site\.yaml",\s*"line": 4,\s*"message": "series-wide', result.out)
    assert "'women' is never used" not in result.out  # a card shows it


def test_serve_rebuild_of_a_features_order_updates_its_neighbours(site: TinySite) -> None:
    three_features(site)
    rebuilder = Rebuilder(site.root, site.root / "dist")
    assert rebuilder.full().error is None
    path = site.write("content/changde/feature.yaml",
                      "kicker: {zh: 巡礼, en: Tour}\ntitle: {zh: 常德篇, en: Changde}\norder: 4\n")
    assert rebuilder.update({path}).error is None
    assert headlines(site.read("index.html")) == ["测试标题", "株洲篇", "常德篇"]
    assert 'rel="next" href="../changde/index.html"' in site.read("zhuzhou/index.html")


def test_cards_show_hero_photos_and_only_the_first_loads_at_once(site: TinySite) -> None:
    from PIL import Image

    with (site.root / "content/demo/feature.yaml").open("a", encoding="utf-8") as f:
        f.write("order: 3\n")
    for slug, order in (("changde", 1), ("zhuzhou", 2)):
        add_feature(site, slug, (f"{slug}篇", slug.title()),
                    f"order: {order}\nhero: {{src: images/cover.jpg, alt: {{zh: 江边, en: "
                    "The river}}\n")
        (site.root / f"content/{slug}/images").mkdir()
        Image.new("RGB", (640, 480), (30, 90, 160)).save(
            site.root / f"content/{slug}/images/cover.jpg")
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    cards = site.read("en/index.html").split('<li class="card')[1:]
    assert [c.startswith('"><a') for c in cards] == [True, True, False]  # the last: card-type
    first, second = (re.findall(r"<img [^>]*>", card)[0] for card in cards[:2])
    assert 'alt="The river"' in first and 'loading="eager"' in first
    assert 'fetchpriority="high"' in first
    assert 'loading="lazy"' in second and "fetchpriority" not in second
    assert 'src="../' in first  # the photo is linked from the English home page
