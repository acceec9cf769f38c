"""Traditional Chinese, derived: a third reading language converted from the Simplified text
with OpenCC, with its own pages, interface words, figures and PDF."""

from __future__ import annotations

import io
import re

import pypdf
from conftest import TinySite

from jishi.derived.hant import convert_text
from jishi.editor.rebuild import Rebuilder
from jishi.model import Derived

HANT_SITE = """\
title: {zh: 测试站, en: Test Site}
languages: [zh, en, zh-Hant]
zh-Hant: {from: zh, opencc: s2twp, keep: [益阳]}
"""
NAMES_ZH = """\
---
title: 益阳的软件
---
益阳市这里的软件有{{ stat members }}名用户，见[这里的链接](https://example.org/这里 "这里的说明")。

代码 `这里的代码` 照写。

```
这里的代码块
```
"""


def hant_site(site: TinySite) -> TinySite:
    """The fixture's site with zh-Hant switched on, and a section of names, links and code."""
    site.write("site.yaml", HANT_SITE)
    site.write("content/demo/03-names.zh.md", NAMES_ZH)
    site.write("content/demo/03-names.en.md", "---\ntitle: Names\n---\nText.\n")
    return site


def test_zh_hant_pages_are_converted_from_the_simplified_text(site: TinySite) -> None:
    result = hant_site(site).run("build", "--no-pdf")
    assert result.code == 0, result.err
    page = site.read("zh-Hant/demo/index.html")
    assert '<html lang="zh-Hant">' in page
    assert '<body class="lang-zh lang-zh-Hant">' in page  # set as Chinese by the stylesheet
    assert '<h1 id="headline" class="headline">測試標題</h1>' in page
    assert "<p>導語段落。</p>" in page
    assert "<title>測試標題 · 測試站</title>" in page
    # Figures with the Chinese rules (近 before, no separators) and their units converted.
    assert '舉辦講座<data class="stat" value="2600">近2600場次</data>' in page
    assert '<data class="stat" value="23162">23162名</data>執委' in page
    # Chart titles, photo captions and interface words are Traditional too.
    assert "圖片的說明文字" in page and "目錄" in page and "活動" in page
    assert site.read("zh-Hant/index.html") != page  # the home page shows the default language
    assert "测试标题" in site.read("demo/index.html")  # the Simplified page is unchanged


def test_placeholders_links_code_and_kept_names_are_not_converted(site: TinySite) -> None:
    assert hant_site(site).run("build", "--no-pdf").code == 0
    page = site.read("zh-Hant/demo/index.html")
    assert '<h2 id="names-title">益阳的軟體</h2>' in page
    assert ('<p>益阳市這裡的軟體有<data class="stat" value="23162">23162名</data>名使用者，見'
            '<a href="https://example.org/这里" title="這裡的說明">這裡的連結</a>。</p>') in page
    assert "<p>程式碼 <code>这里的代码</code> 照寫。</p>" in page and "这里的代码块" in page


def test_zh_hant_has_its_alternates_and_language_switch(site: TinySite) -> None:
    assert hant_site(site).run("build", "--no-pdf").code == 0
    simplified = site.read("demo/index.html")
    assert '<link rel="alternate" hreflang="zh-Hant" href="../zh-Hant/demo/index.html">' \
        in simplified
    assert '<a href="../zh-Hant/demo/index.html" hreflang="zh-Hant" lang="zh-Hant" ' \
           'data-keep-place>繁體中文</a>' in simplified
    hant = site.read("zh-Hant/demo/index.html")
    assert '<span aria-current="page" lang="zh-Hant">繁體中文</span>' in hant
    assert 'hreflang="zh-Hans" href="../../demo/index.html"' in hant


def test_a_hand_written_zh_hant_section_overrides_the_conversion(site: TinySite) -> None:
    hant_site(site).write("content/demo/00-lead.zh-Hant.md", "---\n---\n編輯親手寫的導語。\n")
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    page = site.read("zh-Hant/demo/index.html")
    assert "<p>編輯親手寫的導語。</p>" in page and "導語段落" not in page
    assert "舉辦講座" in page  # the other sections are still converted


def test_conversion_cache_is_safe_to_delete_or_corrupt(site: TinySite) -> None:
    assert hant_site(site).run("build", "--no-pdf").code == 0
    cold = site.snapshot()
    entries = sorted((site.root / ".cache/opencc").rglob("*.txt"))
    assert entries, "the converted texts are cached"
    for entry in entries:  # a damaged cache: truncated, or holding another text
        entry.write_bytes(entry.read_bytes()[:-3] + "錯誤".encode())
    assert site.run("build", "--no-pdf").code == 0
    assert site.snapshot() == cold
    for entry in entries:
        entry.unlink()
    assert site.run("build", "--no-pdf").code == 0
    assert site.snapshot() == cold


def test_check_does_not_write_the_conversion_cache(site: TinySite) -> None:
    assert hant_site(site).run("check").code == 0
    assert not (site.root / ".cache/opencc").exists()


def test_new_writes_no_section_file_for_a_derived_language(site: TinySite) -> None:
    assert hant_site(site).run("new", "changsha").code == 0
    assert sorted(p.name for p in (site.root / "content/changsha").glob("*.md")) == [
        "01-start.en.md", "01-start.zh.md"]
    assert site.run("build", "--no-pdf").code == 0
    assert "第一節" in site.read("zh-Hant/changsha/index.html")


def test_bad_derived_language_settings_name_their_line(site: TinySite) -> None:
    site.write("site.yaml", HANT_SITE.replace("from: zh, opencc: s2twp", "from: zz, opencc: s2x"))
    result = site.run("build", "--no-pdf")
    assert result.code == 1 and "Traceback" not in result.err
    assert "site.yaml:3: zh-Hant.from: 'zz' is not another language of the site" in result.err
    site.write("site.yaml", HANT_SITE.replace("opencc: s2twp", "opencc: s2x"))
    result = site.run("build", "--no-pdf")
    assert "site.yaml:3: zh-Hant.opencc: 's2x' is not one of s2t, s2tw, s2twp, s2hk" in result.err


def test_hong_kong_configuration_is_chosen_in_site_yaml() -> None:
    text = "这里的软件{{ stat members }}"
    assert convert_text(text, Derived("zh-Hant", "zh", "s2twp")) == "這裡的軟體{{ stat members }}"
    assert convert_text(text, Derived("zh-Hant", "zh", "s2hk")) == "這裏的軟件{{ stat members }}"


def test_zh_hant_pdf_is_set_in_traditional_characters(site: TinySite) -> None:
    result = hant_site(site).run("pdf")
    assert result.code == 0, result.err
    pdf = pypdf.PdfReader(io.BytesIO((site.root / "dist/zh-Hant/demo/demo-zh-Hant.pdf")
                                     .read_bytes()))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in pdf.pages))
    assert "測試標題" in text and "導語段落" in text and "舉辦講座近2600場次" in text
    assert "第1頁" in text and "测试标题" not in text
    assert pdf.metadata is not None and pdf.metadata.title == "測試標題"
    fonts = {str(font.get_object()["/BaseFont"]) for page in pdf.pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("Noto-Serif-CJK-TC" in name for name in fonts), fonts  # Traditional glyph forms
    assert 'href="demo-zh-Hant.pdf"' in site.read("zh-Hant/demo/index.html")


def test_check_reports_each_finding_once_not_again_for_zh_hant(site: TinySite) -> None:
    hant_site(site).write("content/demo/00-lead.zh.md", "---\n---\n导语段落，共12345人。\n")
    result = site.run("check", "--format", "json")
    assert result.code == 0, result.err
    assert result.out.count("12345 is typed by hand") == 1
    assert result.out.count("photo images/missing.jpg is missing") == 2  # zh and en
    assert "no zh-Hant version" not in result.out


def test_serve_rebuild_of_a_simplified_section_updates_its_zh_hant_page(site: TinySite) -> None:
    rebuilder = Rebuilder(hant_site(site).root, site.root / "dist")
    assert rebuilder.full().error is None
    path = site.root / "content/demo/01-first-part.zh.md"
    path.write_text(path.read_text(encoding="utf-8").replace("举办讲座", "开办讲座"),
                    encoding="utf-8")
    assert rebuilder.update({path}).error is None
    assert "開辦講座" in site.read("zh-Hant/demo/index.html")
    assert "开办讲座" in site.read("demo/index.html")
