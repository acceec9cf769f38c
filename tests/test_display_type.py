"""Display type: Chinese headlines, section titles and callout figures in a subset serif face."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SITE_YAML, TinySite, needs_serif
from fontTools.ttLib import TTFont

# What the tiny site's Chinese page sets in display type: the headline, the two section
# titles and the callout figure (23162名); nothing of the body, kicker or subtitles.
DISPLAY_ZH = set("测试标题" + "第一部分" + "第二部分" + "23162名")



def font_link(page: str) -> str | None:
    found = re.search(r'<link rel="preload" href="([^"]+\.woff2)" as="font" '
                      r'type="font/woff2" crossorigin>', page)
    return found[1] if found else None


def characters(font: Path) -> set[str]:
    with TTFont(font) as ttf:
        return {chr(code) for code in ttf.getBestCmap()}


@needs_serif
def test_a_chinese_page_loads_a_subset_of_exactly_its_display_text(site: TinySite) -> None:
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    page = site.read("demo/index.html")
    href = font_link(page)
    assert href is not None and href.startswith("../assets/fonts/display-")
    face = re.search(r"@font-face \{([^}]*)\}", page)
    assert face and f'url("{href}")' in face[1] and "font-display: swap" in face[1]
    font = site.root / "dist/demo" / href
    assert font.read_bytes()[:4] == b"wOF2"
    assert characters(font) == DISPLAY_ZH
    assert font.stat().st_size < 60_000
    assert font_link(site.read("en/demo/index.html")) is None  # English keeps system fonts
    home = site.read("index.html")  # shows the same feature: the same subset
    assert font_link(home) == href.removeprefix("../")


@needs_serif
def test_a_warm_build_does_no_subsetting(site: TinySite) -> None:
    assert site.run("build", "--no-pdf").code == 0
    first = site.snapshot()
    cached = sorted((site.root / ".cache/fonts").glob("*.woff2"))
    assert len(cached) == 1
    # Without fontTools the build can only succeed by taking the subset from the cache.
    script = ("import sys; sys.modules['fontTools'] = None; from jishi.cli import main; "
              f"sys.exit(main(['build', '--no-pdf', '--source', {str(site.root)!r}]))")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert site.snapshot() == first
    site.write("content/demo/01-first-part.zh.md", "---\ntitle: 新的标题\n---\n正文。\n")
    assert site.run("build", "--no-pdf").code == 0
    font = site.root / "dist/demo" / str(font_link(site.read("demo/index.html")))
    assert set("新的") <= characters(font) and "一" not in characters(font)
    assert len(list((site.root / "dist/assets/fonts").iterdir())) == 1  # the old one is gone


def test_display_font_false_turns_it_off_quietly(site: TinySite) -> None:
    site.write("site.yaml", SITE_YAML + "display_font: false\n")
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    assert font_link(site.read("demo/index.html")) is None and "@font-face" not in site.read(
        "demo/index.html")
    assert "display type" not in result.err
    assert not (site.root / "dist/assets/fonts").exists()


def test_without_a_chinese_serif_the_build_warns_and_uses_system_fonts(
        site: TinySite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no fc-list: no installed font is found
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    assert result.err.count("warning: no Chinese serif font for the display type") == 1
    assert font_link(site.read("demo/index.html")) is None


@pytest.mark.parametrize(("setting", "message"), [
    ("No Such Serif", "no installed font family is called 'No Such Serif'"),
    ("fonts/Missing.otf", "the font file fonts/Missing.otf does not exist"),
    ("[1, 2]", "expected a font family, a font file, or false"),
])
def test_a_bad_display_font_is_an_error_at_its_line(site: TinySite, setting: str,
                                                     message: str) -> None:
    site.write("site.yaml", SITE_YAML + f"display_font: {setting}\n")
    result = site.run("build", "--no-pdf")
    assert result.code == 1
    assert f"site.yaml:3: display_font: {message}" in result.err
    assert "Traceback" not in result.err


def test_a_font_file_in_the_site_is_used(site: TinySite) -> None:
    found = subprocess.run(["fc-match", "-f", "%{file}", "Liberation Serif:weight=bold"],
                           capture_output=True, text=True, check=False).stdout
    if not found.endswith(".ttf"):
        pytest.skip("needs fonts-liberation (scripts/setup.sh installs it)")
    site.write("fonts/Display.ttf", Path(found).read_bytes())
    site.write("site.yaml", SITE_YAML + "display_font: fonts/Display.ttf\n")
    assert site.run("build", "--no-pdf").code == 0
    font = site.root / "dist/demo" / str(font_link(site.read("demo/index.html")))
    assert characters(font) == set("23162")  # the Latin face has the figure's digits only


def test_an_unreadable_font_file_is_an_error(site: TinySite) -> None:
    site.write("fonts/Broken.otf", b"not a font at all")
    site.write("site.yaml", SITE_YAML + "display_font: fonts/Broken.otf\n")
    result = site.run("build", "--no-pdf")
    assert result.code == 1 and "cannot read the font Broken.otf" in result.err
    assert "Traceback" not in result.err


def test_check_reports_a_display_font_that_is_not_there(site: TinySite) -> None:
    site.write("site.yaml", SITE_YAML + "display_font: No Such Serif\n")
    result = site.run("check")
    assert result.code == 1
    assert "site.yaml:3: error: display_font: no installed font family is called" in result.out
