"""What a change re-renders in `serve`: the Rebuilder on a tiny site, change by change."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TinySite, needs_serif

from jishi.editor.rebuild import Rebuilder

ZH = ["demo/index.html", "demo/parallel/index.html", "index.html"]  # parallel: zh beside en
ALL = ["demo/index.html", "demo/parallel/index.html", "en/demo/index.html", "en/index.html",
       "index.html"]


@pytest.fixture
def rebuilder(site: TinySite) -> Rebuilder:
    """A Rebuilder after its first, full build."""
    rb = Rebuilder(site.root, site.root / "dist")
    assert rb.full().error is None
    return rb


def edit(site: TinySite, rel: str, old: str, new: str) -> Path:
    """Replace text in a source file."""
    path = site.root / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return path


def test_one_section_rerenders_the_pages_of_its_language(site: TinySite,
                                                         rebuilder: Rebuilder) -> None:
    path = edit(site, "content/demo/01-first-part.zh.md", "举办讲座", "开办讲座")
    outcome = rebuilder.update({path})
    assert outcome.error is None and outcome.kind == "section"
    assert sorted(outcome.pages) == ZH  # not the English pages, no photos, no PDF
    assert "开办讲座" in site.read("demo/index.html")


def test_data_change_rerenders_the_pages_that_use_it(site: TinySite,
                                                     rebuilder: Rebuilder) -> None:
    path = edit(site, "data/demo.yaml", "value: 23162", "value: 23163")
    outcome = rebuilder.update({path})
    assert outcome.kind == "feature" and sorted(outcome.pages) == ALL
    assert "23,163" in site.read("en/demo/index.html")


def test_template_change_rerenders_every_page(site: TinySite, rebuilder: Rebuilder) -> None:
    theme = (Path(__file__).resolve().parent.parent / "templates/base.html").read_text("utf-8")
    path = site.write("templates/base.html", theme.replace("<main", "<!-- mine --><main"))
    outcome = rebuilder.update({path})
    assert outcome.kind == "templates" and sorted(outcome.pages) == ALL
    assert "<!-- mine -->" in site.read("en/index.html")


def test_an_error_keeps_the_last_good_build_until_fixed(site: TinySite,
                                                        rebuilder: Rebuilder) -> None:
    bad = edit(site, "content/demo/00-lead.en.md", "---\n---", "---\ntitle: [\n---")
    assert rebuilder.update({bad}).error is not None
    assert "The lead paragraph." in site.read("en/demo/index.html")
    other = edit(site, "content/demo/00-lead.zh.md", "导语段落", "新导语段落")
    # The earlier broken file is still broken: the build stays failed.
    assert rebuilder.update({other}).error is not None
    fixed = edit(site, "content/demo/00-lead.en.md", "title: [\n", "")
    outcome = rebuilder.update({fixed})
    assert outcome.error is None and rebuilder.error is None
    assert "新导语段落" in site.read("demo/index.html")


def test_a_new_section_file_rereads_its_feature(site: TinySite, rebuilder: Rebuilder) -> None:
    zh = site.write("content/demo/03-third.zh.md", "---\ntitle: 第三部分\n---\n正文。\n")
    en = site.write("content/demo/03-third.en.md", "---\ntitle: Part three\n---\nText.\n")
    outcome = rebuilder.update({zh, en})
    assert outcome.error is None and outcome.kind == "feature"
    assert 'id="third"' in site.read("en/demo/index.html")


def test_a_stylesheet_change_copies_assets_and_swaps_css(site: TinySite,
                                                         rebuilder: Rebuilder) -> None:
    path = site.write("assets/style.css", "body { color: teal; }\n")
    outcome = rebuilder.update({path})
    assert outcome.kind == "assets" and outcome.pages == []
    assert outcome.reload_path == "assets/style.css"  # livereload.js reloads just the CSS
    assert "teal" in site.read("assets/style.css")
    script = site.write("assets/jishi.js", "// mine\n")
    assert rebuilder.update({script}).reload_path == "*"  # a script needs the page reloaded
    script.unlink()
    assert rebuilder.update({script}).kind == "full"
    assert "// mine" not in site.read("assets/jishi.js")  # the theme's script is back


def photo(site: TinySite, rel: str) -> Path:
    """A real photo file in the site."""
    from PIL import Image

    path = site.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (900, 600), (40, 110, 170)).save(path)
    return path


def test_a_hero_added_while_serving_shows_the_photo(site: TinySite,
                                                     rebuilder: Rebuilder) -> None:
    rebuilder.update({photo(site, "content/demo/images/cover.jpg")})
    path = edit(site, "content/demo/feature.yaml", "summary:", "hero: images/cover.jpg\nsummary:")
    assert rebuilder.update({path}).error is None
    hero = site.read("en/demo/index.html").split('<figure class="photo hero">')[1]
    # The photo, as the link that opens it full size.
    assert hero.startswith('<a class="photo-open"') and "<picture>" in hero.split("</figure>")[0]
    assert "cover" in hero.split("</figure>")[0]


def test_a_section_edit_with_a_hero_does_not_redo_the_photos(tmp_path: Path) -> None:
    site = TinySite(tmp_path / "hero")
    photo(site, "content/demo/images/cover.jpg")
    edit(site, "content/demo/feature.yaml", "summary:", "hero: images/cover.jpg\nsummary:")
    rebuilder = Rebuilder(site.root, site.root / "dist")
    assert rebuilder.full().error is None
    path = edit(site, "content/demo/01-first-part.zh.md", "举办讲座", "开办讲座")
    outcome = rebuilder.update({path})
    assert outcome.kind == "section" and sorted(outcome.pages) == ZH


def test_deleting_a_feature_folder_rebuilds_without_it(site: TinySite,
                                                       rebuilder: Rebuilder) -> None:
    import shutil

    site.write("content/b/feature.yaml", (site.root / "content/demo/feature.yaml").read_text())
    site.write("content/b/01-x.zh.md", "---\ntitle: 甲\n---\n文。\n")
    site.write("content/b/01-x.en.md", "---\ntitle: A\n---\nText.\n")
    site.write("data/b.yaml", "stats: {}\n")
    assert rebuilder.update({site.root / "content/b/feature.yaml"}).error is None
    assert (site.root / "dist/en/b/index.html").is_file()
    files = sorted((site.root / "content/b").iterdir())
    shutil.rmtree(site.root / "content/b")
    outcome = rebuilder.update(set(files))
    assert outcome.error is None and outcome.kind == "full"
    assert not (site.root / "dist/en/b").exists()
    assert "Part one" in site.read("en/demo/index.html")


def test_deleting_the_only_feature_yaml_is_an_error_until_restored(
        site: TinySite, rebuilder: Rebuilder) -> None:
    path = site.root / "content/demo/feature.yaml"
    text = path.read_text(encoding="utf-8")
    path.unlink()
    outcome = rebuilder.update({path})
    assert outcome.error is not None and "no feature found" in str(outcome.error)
    assert "Part one" in site.read("en/demo/index.html")  # the last good build stays
    path.write_text(text, encoding="utf-8")
    assert rebuilder.update({path}).error is None


def test_a_file_that_cannot_be_read_is_an_error_not_a_crash(site: TinySite,
                                                            rebuilder: Rebuilder) -> None:
    path = site.root / "content/demo/00-lead.en.md"
    text = path.read_text(encoding="utf-8")
    path.unlink()
    path.mkdir()  # whatever the reason, the file cannot be read now
    outcome = rebuilder.update({path})
    assert outcome.error is not None and "00-lead.en.md" in str(outcome.error)
    path.rmdir()
    path.write_text(text.replace("lead paragraph", "new lead"), encoding="utf-8")
    assert rebuilder.update({path}).error is None
    assert "The new lead." in site.read("en/demo/index.html")


def test_an_english_section_edit_rerenders_the_parallel_page(site: TinySite,
                                                             rebuilder: Rebuilder) -> None:
    path = edit(site, "content/demo/01-first-part.en.md", "members and", "members, and")
    outcome = rebuilder.update({path})
    assert outcome.error is None and "demo/parallel/index.html" in outcome.pages
    assert "members, and" in site.read("demo/parallel/index.html")


def test_a_callout_shown_twice_keeps_one_id_after_an_edit(site: TinySite) -> None:
    # Both sections show the same callout: the page keeps its id on the first only, whether
    # the other section was rendered now or taken from the rebuilder's cache.
    site.write("content/demo/02-second.en.md",
               "---\ntitle: Part two\n---\n{{ callout members }}\n\n{{ chart talks }}\n")
    rebuilder = Rebuilder(site.root, site.root / "dist")
    assert rebuilder.full().error is None
    assert site.read("en/demo/index.html").count('id="stat-members"') == 1
    path = edit(site, "content/demo/02-second.en.md", "Part two", "Part 2")
    assert rebuilder.update({path}).kind == "section"
    assert site.read("en/demo/index.html").count('id="stat-members"') == 1
    path = edit(site, "content/demo/01-first-part.en.md", "{{ callout members }}", "")
    assert rebuilder.update({path}).kind == "section"
    assert site.read("en/demo/index.html").count('id="stat-members"') == 1  # moved to part two


def test_the_first_photo_of_a_page_stays_the_eager_one_after_an_edit(site: TinySite) -> None:
    photo(site, "content/demo/images/a.jpg")
    photo(site, "content/demo/images/b.jpg")
    site.write("content/demo/01-first-part.en.md",
               "---\ntitle: Part one\n---\n![A](images/a.jpg)\n")
    site.write("content/demo/02-second.en.md",
               "---\ntitle: Part two\n---\n![B](images/b.jpg)\n")
    rebuilder = Rebuilder(site.root, site.root / "dist")
    assert rebuilder.full().error is None
    path = edit(site, "content/demo/02-second.en.md", "Part two", "Part 2")
    assert rebuilder.update({path}).kind == "section"
    page = site.read("en/demo/index.html")
    assert page.count('loading="eager"') == 1 and page.count('loading="lazy"') == 1
    path = edit(site, "content/demo/01-first-part.en.md", "![A](images/a.jpg)", "No photo.")
    assert rebuilder.update({path}).error is None
    page = site.read("en/demo/index.html")
    assert page.count('loading="eager"') == 1 and 'loading="lazy"' not in page


def test_the_lead_photo_is_the_eager_one_above_a_section_photo(site: TinySite) -> None:
    photo(site, "content/demo/images/cover.jpg")
    photo(site, "content/demo/images/a.jpg")
    edit(site, "content/demo/feature.yaml", "summary:", "hero: images/cover.jpg\nsummary:")
    site.write("content/demo/01-first-part.en.md",
               "---\ntitle: Part one\n---\n![A](images/a.jpg)\n")
    assert Rebuilder(site.root, site.root / "dist").full().error is None
    hero, rest = site.read("en/demo/index.html").split('<figure class="photo hero">')[1] \
        .split("</figure>", 1)
    assert 'loading="eager"' in hero and 'loading="eager"' not in rest


def test_the_files_beside_the_pages_follow_their_template_and_assets(
        site: TinySite, rebuilder: Rebuilder) -> None:
    theme = (Path(__file__).resolve().parent.parent / "templates/404.html").read_text("utf-8")
    path = site.write("templates/404.html", theme.replace("<main>", "<main><!-- mine -->"))
    assert rebuilder.update({path}).error is None
    assert "<!-- mine -->" in site.read("404.html")
    icon = site.write("assets/favicon.ico", b"the site's own icon")
    assert rebuilder.update({icon}).error is None
    assert (site.root / "dist/favicon.ico").read_bytes() == b"the site's own icon"


@needs_serif
def test_a_new_section_title_gets_a_display_type_subset(site: TinySite,
                                                        rebuilder: Rebuilder) -> None:
    before = site.read("demo/index.html")
    path = edit(site, "content/demo/01-first-part.zh.md", "title: 第一部分", "title: 新标题")
    assert rebuilder.update({path}).error is None
    page = site.read("demo/index.html")
    fonts = [p for p in page.split('"') if p.endswith(".woff2")]
    assert fonts
    assert fonts[0] not in before  # the new title's characters: a new subset
    assert (site.root / "dist/demo" / fonts[0]).is_file()


def test_editing_a_source_section_marks_its_translation_stale(site: TinySite) -> None:
    from jishi.checking.translation import mark_translated

    mark_translated(site.root, site.root / "content/demo/01-first-part.en.md")
    rebuilder = Rebuilder(site.root, site.root / "dist")
    assert rebuilder.full().error is None
    assert "stale-note" not in site.read("en/demo/index.html")
    path = edit(site, "content/demo/01-first-part.zh.md", "举办讲座", "开办讲座")
    outcome = rebuilder.update({path})
    assert outcome.kind == "section" and "en/demo/index.html" in outcome.pages
    assert "stale-note" in site.read("en/demo/index.html")  # as a full build shows it
    assert "stale-note" in site.read("demo/parallel/index.html")
    # Marking it translated again changes only its front matter: every page drops the notice.
    en = mark_translated(site.root, site.root / "content/demo/01-first-part.en.md")[0]
    assert rebuilder.update({en}).error is None
    assert "stale-note" not in site.read("en/demo/index.html")
    assert "stale-note" not in site.read("demo/parallel/index.html")


def test_a_photo_saved_beside_the_sections_is_planned_again(site: TinySite,
                                                           rebuilder: Rebuilder) -> None:
    from PIL import Image

    for lang in ("zh", "en"):
        edit(site, f"content/demo/02-second.{lang}.md", "(images/missing.jpg", "(beside.jpg")
    rebuilder.full()
    photo = site.root / "content/demo/beside.jpg"
    Image.new("RGB", (640, 480), "red").save(photo)
    outcome = rebuilder.update({photo})
    assert outcome.error is None and outcome.kind == "full"
    assert "beside" in site.read("demo/index.html") and "Photo pending" not in site.read(
        "en/demo/index.html")
