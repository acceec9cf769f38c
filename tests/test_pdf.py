"""The print edition: real WeasyPrint PDFs, read back with pypdf as a printer or reader would."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FEATURE_YAML, ROOT, Run, TinySite
from pypdf import PdfReader

sys.path.insert(0, str(ROOT))  # the jishi of this checkout, not another installed one

from jishi.builder import load_site  # noqa: E402
from jishi.printing.pdf import pdf_path  # noqa: E402
from jishi.stats import format_stat  # noqa: E402

A4_PT = (595.28, 841.89)
MM_PT = 72 / 25.4
CLOSING = "，。、；：？！）》」』”’】"


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run `python build.py ARGS` as an editor would, optionally with a changed environment."""
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True,
                          text=True, timeout=300, cwd=cwd, env={**os.environ, **(env or {})})
    return Run(proc.returncode, proc.stdout, proc.stderr)


def text_of(reader: PdfReader) -> str:
    """The PDF's text with line breaks and spacing folded, as a search would see it."""
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def squeeze(text: str) -> str:
    """Text without any white space: Chinese lines break anywhere, even inside a statistic.

    Zero-width spaces go too: the print edition sets them beside Chinese curly quotes so that
    lines may break there.
    """
    return re.sub(r"[\s\u200b]+", "", text)


def outline_titles(outline: list) -> list[str]:
    """Every bookmark title, depth first."""
    titles: list[str] = []
    for item in outline:
        titles += outline_titles(item) if isinstance(item, list) else [item["/Title"]]
    return titles


@pytest.fixture(scope="module")
def yiyang(yiyang_full: Path) -> Path:
    """The repository's own Yiyang feature, built once with its PDFs (shared by the session)."""
    return yiyang_full


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> TinySite:
    """A tiny dated site built twice into two folders, for reproducibility."""
    site = TinySite(tmp_path_factory.mktemp("dated") / "site")
    site.write("content/demo/feature.yaml",
               (site.root / "content/demo/feature.yaml").read_text() + "date: 2019-11-20\n")
    for out in ("dist", "dist2"):
        result = run(["pdf", "--source", str(site.root), "--out", str(site.root / out)],
                     site.root)
        assert result.code == 0, result.err
    return site


def test_one_pdf_per_language_linked_from_its_page(yiyang: Path) -> None:
    site = load_site(ROOT)
    for lang, label in (("zh", "下载印刷版（PDF）"), ("en", "Download the print edition (PDF)")):
        rel = pdf_path(site.config, lang, "yiyang")
        reader = PdfReader(yiyang / rel)
        assert len(reader.pages) >= 2
        box = reader.pages[0].mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == A4_PT
        page = yiyang / Path(rel).parent / "index.html"
        html = page.read_text(encoding="utf-8")
        link = re.search(r'<a href="([^"]+\.pdf)"[^>]*>([^<]+)</a>', html)
        assert link and link.group(2) == label
        assert (page.parent / link.group(1)).resolve() == (yiyang / rel).resolve()


def test_headline_statistics_and_headings_in_each_language(yiyang: Path) -> None:
    site = load_site(ROOT)
    feature = site.features[0]
    for lang in site.config.languages:
        text = text_of(PdfReader(yiyang / pdf_path(site.config, lang, "yiyang")))
        flat = squeeze(text)
        assert squeeze(feature.meta["title"][lang]) in flat
        for stat in feature.data.stats.values():
            shown = format_stat(stat, lang)
            assert (squeeze(shown) in flat) if lang == "zh" else (shown in text), (lang, shown)
        for section in feature.sections:
            title = section.versions[lang].title
            if title:
                assert squeeze(title) in flat, (lang, title)
    zh = text_of(PdfReader(yiyang / pdf_path(site.config, "zh", "yiyang")))
    assert "23,162" not in zh and "Page " not in zh and "第 1 页" in zh
    en = text_of(PdfReader(yiyang / pdf_path(site.config, "en", "yiyang")))
    assert "Page 2" in en and "第" not in en
    assert en.count(feature.meta["series"]["en"]) >= 2  # the masthead and a running header


def test_every_font_embedded_and_subset(yiyang: Path) -> None:
    for pdf in yiyang.rglob("*.pdf"):
        reader = PdfReader(pdf)
        fonts = {}
        for page in reader.pages:
            for ref in page["/Resources"]["/Font"].values():
                font = ref.get_object()
                fonts[str(font["/BaseFont"])] = font
        assert fonts
        for name, font in fonts.items():
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, name
            assert re.match(r"^/[A-Z]{6}\+", name), name  # a subset tag


def test_metadata_and_bookmarks(yiyang: Path) -> None:
    site = load_site(ROOT)
    feature = site.features[0]
    for lang, tag in (("zh", "zh-Hans"), ("en", "en")):
        reader = PdfReader(yiyang / pdf_path(site.config, lang, "yiyang"))
        meta = reader.metadata
        assert meta.title == feature.meta["title"][lang]
        assert meta.author == feature.meta["byline"][lang]
        assert meta.subject == feature.meta["summary"][lang]
        assert reader.trailer["/Root"]["/Lang"] == tag
        assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
        titles = outline_titles(reader.outline)
        assert titles[0] == feature.meta["title"][lang]
        assert titles[1:] == [s.versions[lang].title for s in feature.sections
                              if s.versions[lang].title]


def test_chinese_lines_never_start_with_closing_punctuation(yiyang: Path) -> None:
    site = load_site(ROOT)
    reader = PdfReader(yiyang / pdf_path(site.config, "zh", "yiyang"))
    lines = [line.strip() for page in reader.pages for line in page.extract_text().split("\n")]
    assert len(lines) > 100
    assert [line for line in lines if line and line[0] in CLOSING] == []


def test_preflight_report_beside_each_pdf(yiyang: Path) -> None:
    report = (yiyang / "yiyang/yiyang-zh.preflight.txt").read_text(encoding="utf-8")
    pages = len(PdfReader(yiyang / "yiyang/yiyang-zh.pdf").pages)
    assert f"Pages: {pages}\n" in report
    assert "Page size (trim): 210 x 297 mm" in report and "Bleed: none" in report
    assert "Noto-Serif-CJK-SC (Type0, embedded, subset)" in report
    assert "images/cai-shumin-visit.jpg: pending" in report


def test_two_builds_give_byte_identical_pdfs(dated: TinySite) -> None:
    for lang, rel in (("zh", "demo/demo-zh.pdf"), ("en", "en/demo/demo-en.pdf")):
        first = (dated.root / "dist" / rel).read_bytes()
        assert first == (dated.root / "dist2" / rel).read_bytes(), lang
        meta = PdfReader(dated.root / "dist" / rel).metadata
        assert meta["/CreationDate"].startswith("D:20191120")


def test_press_adds_bleed_crop_marks_and_pdfx(dated: TinySite) -> None:
    outs = [dated.root / "press1", dated.root / "press2"]
    for out in outs:
        result = run(["pdf", "--press", "--source", str(dated.root), "--out", str(out)],
                     dated.root)
        assert result.code == 0, result.err
    data = (outs[0] / "demo/demo-zh.pdf").read_bytes()
    assert data == (outs[1] / "demo/demo-zh.pdf").read_bytes()  # dated, so reproducible too
    reader = PdfReader(outs[0] / "demo/demo-zh.pdf")
    page = reader.pages[0]
    bleed = (float(page.mediabox.width) - float(page.trimbox.width)) / 2
    assert round(bleed / MM_PT, 1) == 3.0
    assert round(float(page.trimbox.width), 2) == A4_PT[0]
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4<" in reader.trailer["/Root"]["/Metadata"].get_data()
    assert "Bleed: 3 mm" in (outs[0] / "demo/demo-zh.preflight.txt").read_text(encoding="utf-8")
    plain = PdfReader(dated.root / "dist/demo/demo-zh.pdf").pages[0]
    assert plain.mediabox == plain.trimbox
    assert dark_pixels_in_corner(outs[0] / "demo/demo-zh.pdf", 3.0) > 20  # the crop marks


def dark_pixels_in_corner(pdf: Path, size_mm: float) -> int:
    """Dark pixels in the page's top-left corner of size_mm, rendered by poppler's pdftoppm."""
    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian: poppler-utils) is needed to look at the crop marks")
    px = int(size_mm / 25.4 * 300)
    subprocess.run(["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-x", "0", "-y", "0",
                    "-W", str(px), "-H", str(px), "-gray", "-png", "-singlefile", str(pdf),
                    str(pdf.with_suffix(""))], check=True, timeout=60)
    with Image.open(pdf.with_suffix(".png")) as image:
        histogram = image.convert("L").histogram()
    return sum(histogram[:128])


def test_no_chinese_font_still_builds_the_pages(site: TinySite, tmp_path: Path) -> None:
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n')
    result = run(["build", "--source", str(site.root)], site.root,
                 {"FONTCONFIG_FILE": str(empty)})
    assert result.code == 1
    assert "no Chinese font" in result.err and "fonts-noto-cjk" in result.err
    assert "print: font:" in result.err and "Traceback" not in result.err
    assert "测试标题" in site.read("demo/index.html")
    assert ".pdf" not in site.read("demo/index.html")
    assert not list((site.root / "dist").rglob("*.pdf"))


def test_pdf_command_without_a_font_leaves_dist_untouched(site: TinySite) -> None:
    assert site.run("build", "--no-pdf").code == 0
    before = site.snapshot()
    site.write("site.yaml", "title: {zh: 站, en: Site}\nlanguages: [zh, en]\n"
               "print:\n  font: fonts/Missing.otf\n")
    result = site.run("pdf")
    assert result.code == 1
    assert "site.yaml:4" in result.err and "fonts/Missing.otf does not exist" in result.err
    assert site.snapshot() == before


def test_no_pdf_makes_no_pdf_and_no_link(site: TinySite) -> None:
    assert site.run("build", "--no-pdf").code == 0
    assert not list((site.root / "dist").rglob("*.pdf"))
    assert "print-edition" not in site.read("demo/index.html")


def test_bad_print_settings_are_errors(site: TinySite) -> None:
    site.write("site.yaml", "title: {zh: 站, en: Site}\nlanguages: [zh, en]\n"
               "print:\n  columns: 7\n  page_size: A9\n  colums: 2\n")
    result = site.run("build")
    assert result.code == 1
    assert "site.yaml:4: print.columns" in result.err
    assert "site.yaml:5: print.page_size" in result.err
    assert "site.yaml:6: colums: unknown setting" in result.err and "columns" in result.err


def test_photo_resolution_in_preflight(site: TinySite) -> None:
    from PIL import Image

    path = site.root / "content/demo/images/missing.jpg"
    path.parent.mkdir(parents=True)
    Image.new("RGB", (640, 480), (90, 120, 60)).save(path)
    site.write("site.yaml", "title: {zh: 站, en: Site}\nlanguages: [zh, en]\n"
               "print:\n  page_size: A5\n  columns: 1\n  margins: 15mm\n")
    result = site.run("pdf")
    assert result.code == 0, result.err
    report = (site.root / "dist/demo/demo-zh.preflight.txt").read_text(encoding="utf-8")
    # A5 less two 15 mm margins leaves 118 mm across, but the 85 mm height cap wins:
    # 480 px over 85 mm is 143 ppi, and the photo is drawn 113 mm wide.
    assert re.search(r"\n  images/missing.jpg: 640 x 480 px placed at 113 x 85 mm "
                     r"on page \d = 143 ppi\n", report), report
    assert "under 300 ppi" in report and "under 300 ppi" in result.out
    reader = PdfReader(site.root / "dist/demo/demo-zh.pdf")
    assert round(float(reader.pages[0].mediabox.width) / MM_PT) == 148


def test_weasyprint_is_not_imported_for_help_check_or_html_only(site: TinySite) -> None:
    for args in (["--help"], ["build", "--no-pdf", "--source", str(site.root)],
                 ["check", "--source", str(site.root)]):
        proc = subprocess.run([sys.executable, "-X", "importtime", str(ROOT / "build.py"), *args],
                              capture_output=True, text=True, timeout=120, cwd=site.root)
        assert proc.returncode == 0, proc.stderr
        imported = re.findall(r"^import time:.*\|\s*([\w.]+)$", proc.stderr, re.MULTILINE)
        assert "jishi.cli" in imported
        assert not [m for m in imported if m.split(".")[0] in ("weasyprint", "pypdf")]


def test_site_overrides_the_print_template(site: TinySite) -> None:
    site.write("templates/print/print.css",
               (ROOT / "templates/print/print.css").read_text(encoding="utf-8")
               + "\n.byline::after { content: ' / site print theme'; }\n")
    assert site.run("pdf").code == 0
    text = text_of(PdfReader(site.root / "dist/en/demo/demo-en.pdf"))
    assert "site print theme" in text


def test_chinese_quotes_may_break_but_punctuation_never_starts_a_line() -> None:
    import xml.etree.ElementTree as etree

    from jishi.printing.print_tree import ZWSP, break_quotes

    root = etree.fromstring(
        '<div><p title="“不动”">通过“望”“闻”全面，<b>“执委妈妈”</b>“好”，了解</p></div>')
    break_quotes(root)
    assert etree.tostring(root, encoding="unicode") == (
        f'<div><p title="“不动”">通过{ZWSP}“望”{ZWSP}“闻”{ZWSP}全面，'
        '<b>“执委妈妈”</b>“好”，了解</p></div>')  # each run of text on its own, as before


def test_font_family_from_site_yaml(site: TinySite) -> None:
    site.write("site.yaml", "title: {zh: 站, en: Site}\nlanguages: [zh, en]\n"
               "print:\n  font: Noto Sans CJK SC\n")
    result = site.run("pdf")
    assert result.code == 0, result.err
    report = (site.root / "dist/demo/demo-zh.preflight.txt").read_text(encoding="utf-8")
    assert "Noto-Sans-CJK-SC" in report and "Serif" not in report
    site.write("site.yaml", "title: {zh: 站, en: Site}\nlanguages: [zh, en]\n"
               "print:\n  font: No Such Font SC\n")
    result = site.run("pdf")
    assert result.code == 1
    assert "site.yaml:4: print.font: no installed font family is called 'No Such Font SC'" \
        in result.err


def test_missing_harfbuzz_subsetter_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from jishi.printing import fonts

    assert fonts.check_subsetter() is None  # the set-up installs it
    real = fonts.load_library
    monkeypatch.setattr(fonts, "load_library", lambda names: None
                        if names == fonts.SUBSET_LIBRARIES else real(names))
    warning = fonts.check_subsetter()
    assert warning and "is not installed" in warning
    assert "apt-get install libharfbuzz-subset0" in warning

    class OldHarfBuzz:  # HarfBuzz 2.7 has the subsetter, but WeasyPrint needs 4.1.0
        @staticmethod
        def hb_version_atleast(major: int, minor: int, micro: int) -> int:
            return int((major, minor, micro) <= (2, 7, 4))

    monkeypatch.setattr(fonts, "load_library", lambda names: OldHarfBuzz()
                        if names == fonts.HARFBUZZ_LIBRARIES else real(names))
    assert "older than 4.1.0" in str(fonts.check_subsetter())


def test_undated_press_pdf_is_reproducible_with_source_date_epoch(site: TinySite) -> None:
    env = {"SOURCE_DATE_EPOCH": "1574208000"}  # 2019-11-20 00:00 UTC
    made = []
    for out in ("press1", "press2"):
        result = run(["pdf", "--press", "--source", str(site.root), "--out",
                      str(site.root / out)], site.root, env)
        assert result.code == 0, result.err
        assert "has no date" not in result.err
        made.append((site.root / out / "en/demo/demo-en.pdf").read_bytes())
    assert made[0] == made[1]
    meta = PdfReader(site.root / "press1/en/demo/demo-en.pdf").metadata
    assert meta["/CreationDate"].startswith("D:20191120000000")


def test_tall_photo_resolution_at_its_fitted_size(site: TinySite) -> None:
    from PIL import Image

    path = site.root / "content/demo/images/missing.jpg"
    path.parent.mkdir(parents=True)
    Image.new("RGB", (600, 1800), (90, 120, 60)).save(path)
    result = site.run("pdf")
    assert result.code == 0, result.err
    report = (site.root / "dist/en/demo/demo-en.preflight.txt").read_text(encoding="utf-8")
    # The print stylesheet caps a photo's height at 85 mm: 1800 px over 85 mm is 538 ppi.
    assert re.search(r"images/missing.jpg: 600 x 1800 px placed at 28 x 85 mm on page \d "
                     r"= 538 ppi\n", report), report
    assert "under 300 ppi" not in report


def test_an_image_inside_a_paragraph_stops_the_print_edition_too(site: TinySite) -> None:
    from PIL import Image

    path = site.root / "content/demo/images/icon.png"
    path.parent.mkdir(parents=True)
    Image.new("RGB", (60, 60), (200, 0, 0)).save(path)
    site.write("content/demo/00-lead.en.md",
               "---\n---\nThe lead paragraph ![a red square](images/icon.png) inline.\n")
    result = site.run("pdf")
    assert result.code == 1
    assert "content/demo/00-lead.en.md:3: a photo inside running text" in result.err
    assert "Traceback" not in result.err
    assert not (site.root / "dist").exists()


def test_preflight_names_a_photo_it_cannot_read(tmp_path: Path) -> None:
    from jishi.printing.preflight import Placed, photo_line

    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a photo")
    for src in (broken.as_uri(), (tmp_path / "gone.jpg").as_uri(), "https://example.org/a.jpg"):
        line, warning = photo_line(Placed(src, 300, 200, 2), {})
        assert "on page 2, not a photo file jishi can read" in line, src
        assert warning and "resolution could not be checked" in warning


def test_the_same_sources_in_another_folder_give_the_same_pdf(tmp_path: Path) -> None:
    from PIL import Image

    made = []
    for folder in ("one", "two/deeper"):
        site = TinySite(tmp_path / folder)
        site.write("content/demo/feature.yaml", FEATURE_YAML + "date: 2019-11-20\n")
        path = site.root / "content/demo/images/missing.jpg"
        path.parent.mkdir(parents=True)
        Image.new("RGB", (900, 600), (50, 90, 20)).save(path)
        result = site.run("pdf")
        assert result.code == 0, result.err
        made.append((site.root / "dist/demo/demo-zh.pdf").read_bytes())
        assert str(tmp_path).encode() not in made[-1]
    assert made[0] == made[1]  # a CI machine's checkout and an editor's give the same file


def link_targets(pdf: Path) -> list[str]:
    """Every link of a PDF: its URI, or '#name' for a link inside the document."""
    found = []
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            action = annot.get("/A")
            found.append(action["/URI"] if action else f"#{annot.get('/Dest')}")
    return list(dict.fromkeys(found))  # a link broken over two lines is one link


def test_links_in_the_pdf_never_point_into_the_editors_disk(site: TinySite) -> None:
    site.write("content/demo/00-lead.en.md",
               "---\n---\nSee [part one](#first-part), [中文](../../demo/index.html#second) "
               "and [the web](https://example.org/).\n")
    assert site.run("pdf").code == 0
    targets = link_targets(site.root / "dist/en/demo/demo-en.pdf")
    # No base_url: a link to another page of the site cannot work from a downloaded PDF.
    assert targets == ["#first-part", "https://example.org/"]
    assert "中文" in text_of(PdfReader(site.root / "dist/en/demo/demo-en.pdf"))
    site.write("site.yaml", (site.root / "site.yaml").read_text("utf-8")
               + "base_url: https://news.example.cn/yiyang/\n")
    assert site.run("pdf").code == 0
    assert link_targets(site.root / "dist/en/demo/demo-en.pdf") == [
        "#first-part", "https://news.example.cn/yiyang/demo/index.html#second",
        "https://example.org/"]


def line_starts(page: object) -> list[float]:
    """Where each run of body text starts across the page, in points (headers and feet left out)."""
    starts: list[float] = []
    height = float(page.mediabox.height)  # type: ignore[attr-defined]

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        x, y = cm[0] * tm[4] + cm[2] * tm[5] + cm[4], cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        if text.strip() and 25 * MM_PT < y < height - 25 * MM_PT:
            starts.append(x)

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return starts


def column_count(page: object, margin_mm: float = 16) -> int:
    """How many columns of text lines a page shows: distinct places lines start, 5+ lines each."""
    width = float(page.mediabox.width)  # type: ignore[attr-defined]
    text_width = width - 2 * margin_mm * MM_PT
    starts = line_starts(page)
    count = 0
    for n in range(1, 5):  # a column of a layout in n columns starts at margin + k * width / n
        edges = [margin_mm * MM_PT + k * (text_width + 6 * MM_PT) / n for k in range(n)]
        if all(sum(abs(x - edge) < 3 for x in starts) >= 5 for edge in edges):
            count = n
    return count


def test_body_is_set_in_two_columns_by_default(yiyang: Path) -> None:
    site = load_site(ROOT)
    for lang in site.config.languages:
        reader = PdfReader(yiyang / pdf_path(site.config, lang, "yiyang"))
        assert column_count(reader.pages[1]) == 2, lang


def test_columns_are_configurable(site: TinySite) -> None:
    site.write("site.yaml", "title: {zh: 站, en: Site}\nlanguages: [zh, en]\n"
               "print:\n  columns: 3\n")
    site.write("content/demo/00-lead.en.md",
               "---\n---\n" + "\n\n".join(["A paragraph of the lead, long enough to wrap over "
                                          "several lines in a narrow column."] * 40) + "\n")
    assert site.run("pdf").code == 0
    reader = PdfReader(site.root / "dist/en/demo/demo-en.pdf")
    assert column_count(reader.pages[0]) == 3


def test_a_long_table_and_a_footnote_are_printed_whole(site: TinySite) -> None:
    rows = "\n".join(f"| row {i} | data {i} |" for i in range(90))
    site.write("content/demo/03-table.en.md", "---\ntitle: Table\n---\nText with a note[^1].\n\n"
               f"| One | Two |\n|---|---|\n{rows}\n\n[^1]: This is the note.\n")
    site.write("content/demo/03-table.zh.md", "---\ntitle: 表格\n---\n正文有脚注[^1]。\n\n"
               f"| 一 | 二 |\n|---|---|\n{rows}\n\n[^1]: 这是脚注。\n")
    result = site.run("pdf")
    assert result.code == 0, result.err
    reader = PdfReader(site.root / "dist/en/demo/demo-en.pdf")
    text = text_of(reader)
    assert all(f"row {i} data {i}" in text for i in range(90))  # no row lost at a page break
    assert text.count("One Two") >= 2  # the header row repeats on the next page
    assert "This is the note." in reader.pages[-1].extract_text()  # after the table, at the end
    assert "这是脚注。" in squeeze(text_of(PdfReader(site.root / "dist/demo/demo-zh.pdf")))
