"""Bad sources stop the build: exit 1, file and line, a hint, no traceback, dist/ untouched."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import DATA_YAML, FEATURE_YAML, ROOT, TinySite

# (file to write, its text, the location the message must name, words it must contain)
CASES = {
    "yaml syntax error in data": (
        "data/demo.yaml", "stats:\n  members:\n    value: [1, 2\n", "data/demo.yaml:4",
        "YAML syntax error"),
    "yaml syntax error in front matter": (
        "content/demo/01-first-part.en.md", "---\ntitle: Part: one: [\n---\nText.\n",
        "content/demo/01-first-part.en.md:2", "YAML syntax error"),
    "missing front matter": (
        "content/demo/01-first-part.en.md", "# Part one\n\nText.\n",
        "content/demo/01-first-part.en.md:1", "does not start with front matter"),
    "front matter never closed": (
        "content/demo/01-first-part.en.md", "---\ntitle: Part one\nText.\n",
        "content/demo/01-first-part.en.md:1", "never closed"),
    "front matter not a mapping": (
        "content/demo/01-first-part.en.md", "---\n- a list\n---\nText.\n",
        "content/demo/01-first-part.en.md:2", "front matter must be"),
    "unknown statistic": (
        "content/demo/01-first-part.en.md",
        "---\ntitle: Part one\n---\nFirst line.\n\nWe had {{ stat membres }} members.\n",
        "content/demo/01-first-part.en.md:6", "did you mean 'members'"),
    "unknown statistic in a title": (
        "content/demo/01-first-part.en.md",
        "---\ntitle: Part one\nsubtitle: \"{{ stat lectrues }}\"\n---\nText.\n",
        "content/demo/01-first-part.en.md:3", "did you mean 'lectures'"),
    "unknown statistic in feature.yaml": (
        "content/demo/feature.yaml", FEATURE_YAML.replace("A one-line summary.",
                                                          "\"{{ stat membrs }}\""),
        "content/demo/feature.yaml:6", "did you mean 'members'"),
    "unknown statistic in the hero's alt text": (
        "content/demo/feature.yaml", FEATURE_YAML + "hero:\n  src: images/h.jpg\n"
        "  alt: {zh: 图, en: \"{{ stat lectrues }}\"}\n",
        "content/demo/feature.yaml:7", "did you mean 'lectures'"),
    "a date that is no date": (
        "content/demo/feature.yaml", FEATURE_YAML + "date: 2019-13-45\n",
        "content/demo/feature.yaml:7", "'2019-13-45' is not a real date"),
    "unknown chart": (
        "content/demo/02-second.en.md", "---\ntitle: Part two\n---\n{{ chart tlaks }}\n",
        "content/demo/02-second.en.md:4", "did you mean 'talks'"),
    "malformed placeholder": (
        "content/demo/02-second.en.md", "---\ntitle: Part two\n---\nSee {{stat}} here.\n",
        "content/demo/02-second.en.md:4", "not a placeholder"),
    "callout not alone on its line": (
        "content/demo/02-second.en.md",
        "---\ntitle: Part two\n---\nText {{ callout members }} inline.\n",
        "content/demo/02-second.en.md:4", "must stand alone"),
    "photo inside running text": (
        "content/demo/02-second.en.md",
        "---\ntitle: Part two\n---\nText `![code](x.jpg)` then ![a photo](images/a.jpg) here.\n",
        "content/demo/02-second.en.md:4", "photo inside running text"),
    "photo file name with a space": (
        "content/demo/02-second.en.md",
        "---\ntitle: Part two\n---\n![A photo](images/IMG 01.jpg)\n",
        "content/demo/02-second.en.md:4", "no spaces in the file name"),
    "non-numeric value": (
        "data/demo.yaml",
        "stats:\n  members:\n    value: 23162名\n    label: {zh: 执委, en: members}\n",
        "data/demo.yaml:3", "is not a number"),
    "value with thousands separators": (
        "data/demo.yaml",
        "stats:\n  members:\n    value: 23,162\n    label: {zh: 执委, en: members}\n",
        "data/demo.yaml:3", "without commas, like value: 23162"),
    "value not finite": (
        "data/demo.yaml",
        "stats:\n  members:\n    value: .nan\n    label: {zh: 执委, en: members}\n",
        "data/demo.yaml:3", "is not a finite number"),
    "yaml indented with a tab": (
        "data/demo.yaml", "stats:\n  members:\n\tvalue: 1\n", "data/demo.yaml:3",
        "spaces, not tabs"),
    "placeholder in a data file's text": (
        "data/demo.yaml",
        "stats:\n  members:\n    value: 1\n    label: {zh: 执委, en: \"{{ stat nope }}\"}\n",
        "data/demo.yaml:4", "stats.members.label: a placeholder"),
    "placeholder in a chart title": (
        "data/demo.yaml",
        "stats:\n  members:\n    value: 1\n    label: {zh: 执委, en: members}\ncharts:\n"
        "  c:\n    title: {zh: 图, en: \"Chart {{ stat members }}\"}\n    stats: [members]\n",
        "data/demo.yaml:7", "charts.c.title: a placeholder"),
    "unknown qualifier": (
        "data/demo.yaml",
        "stats:\n  members:\n    value: 1\n    qualifier: more-than\n"
        "    label: {zh: 执委, en: members}\n",
        "data/demo.yaml:4", "did you mean 'more_than'"),
    "label missing a language": (
        "data/demo.yaml", "stats:\n  members:\n    value: 1\n    label: {zh: 执委}\n",
        "data/demo.yaml:4", "the 'en' text is missing"),
    "title missing in one language": (
        "content/demo/01-first-part.en.md", "---\nsubtitle: no title here\n---\nText.\n",
        "content/demo/01-first-part.en.md:1", "has a title in zh"),
    "title read as true/false": (
        "content/demo/01-first-part.en.md", "---\ntitle: Yes\n---\nText.\n",
        "content/demo/01-first-part.en.md:2", "title: expected text"),
    "label read as true/false": (
        "data/demo.yaml", "stats:\n  members:\n    value: 1\n    label: {zh: 执委, en: no}\n",
        "data/demo.yaml:4", "stats.members.label.en: expected text"),
    "two sections with one number": (
        "content/demo/01-other.zh.md", "---\ntitle: 另一\n---\n文字。\n",
        "content/demo/01-other.zh.md", "two sections share the number 01"),
    "two sections with one name": (
        "content/demo/03-second.zh.md", "---\ntitle: 另一\n---\n文字。\n",
        "content/demo/03-second.zh.md", "share the name 'second'"),
    "a section named like a part of the page": (
        "content/demo/03-main.zh.md", "---\ntitle: 另一\n---\n文字。\n",
        "content/demo/03-main.zh.md", "the section name 'main' is the anchor"),
    "one section written twice in a language": (
        "content/demo/2-second.zh.md", "---\ntitle: 另一\n---\n文字。\n",
        "content/demo/2-second.zh.md", "the same section in the same language"),
    "not utf-8": (
        "content/demo/01-first-part.zh.md", "---\ntitle: 第一部分\n---\n第一行\n".encode("gbk"),
        "content/demo/01-first-part.zh.md:2", "not UTF-8"),
    "unknown front matter key": (
        "content/demo/01-first-part.en.md", "---\ntilte: Part one\n---\nText.\n",
        "content/demo/01-first-part.en.md:2", "did you mean 'title'"),
    "bad file name": (
        "content/demo/03-extra.md", "---\ntitle: x\n---\n", "content/demo/03-extra.md",
        "NN-name.LANG.md"),
    "unknown setting in site.yaml": (
        "site.yaml", "title: {zh: 站, en: Site}\nlanguages: [zh, en]\nbase-url: x\n",
        "site.yaml:3", "unknown setting"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_source_stops_the_build(site: TinySite, case: str) -> None:
    rel, text, location, words = CASES[case]
    assert site.run("build", "--no-pdf").code == 0
    before = site.snapshot()
    site.write(rel, text)
    result = site.run("build", "--no-pdf")
    assert result.code == 1, result.err
    assert f"{location}:" in result.err, result.err
    assert words in result.err
    assert "Traceback" not in result.err
    assert "hint:" in result.err
    assert site.snapshot() == before


def test_errors_are_all_listed_at_once(site: TinySite) -> None:
    site.write("content/demo/01-first-part.en.md", "---\ntitle: x\n---\n{{ stat nope }}\n")
    site.write("content/demo/02-second.en.md", "---\ntitle: y\n---\n{{ chart nada }}\n")
    result = site.run("build", "--no-pdf")
    assert result.code == 1
    assert "01-first-part.en.md:4" in result.err and "02-second.en.md:4" in result.err
    assert "2 error(s)" in result.err


def test_a_bom_is_fine(site: TinySite) -> None:
    site.write("content/demo/01-first-part.zh.md",
               "\ufeff---\ntitle: 第一部分\n---\n正文。\n".encode())
    site.write("data/demo.yaml", "\ufeff" + DATA_YAML)
    assert site.run("build", "--no-pdf").code == 0
    page = site.read("demo/index.html")
    assert '<h2 id="first-part-title">第一部分</h2>' in page and "\ufeff" not in page


def test_verbose_shows_the_traceback(site: TinySite) -> None:
    site.write("data/demo.yaml", "stats: [\n")
    result = site.run("build", "--verbose")
    assert result.code == 1
    assert "Traceback" in result.err


def test_first_build_failing_leaves_no_output(site: TinySite) -> None:
    site.write("data/demo.yaml", "stats: [\n")
    assert site.run("build", "--no-pdf").code == 1
    assert not (site.root / "dist").exists()
    assert not any(p.name.startswith(".dist") for p in site.root.iterdir())


def test_usage_errors_exit_2(site: TinySite) -> None:
    assert site.run("build", "--no-such-flag").code == 2
    (site.root / "elsewhere").mkdir()
    (site.root / "elsewhere" / "precious.txt").write_text("keep me")
    result = site.run("build", "--out", str(site.root / "elsewhere"))
    assert result.code == 2
    assert (site.root / "elsewhere" / "precious.txt").read_text() == "keep me"


def test_missing_site_yaml(tmp_path) -> None:
    result = TinySite.__new__(TinySite)
    result.root = tmp_path
    run = result.run("build", "--no-pdf")
    assert run.code == 1
    assert "site.yaml is missing" in run.err


@pytest.mark.parametrize("kind", ["missing", "a file"])
def test_a_source_that_is_not_a_folder_is_a_usage_error(tmp_path, kind: str) -> None:
    source = tmp_path / "site"
    if kind == "a file":
        source.write_text("not a site")
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--source",
                           str(source)], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert f"--source {source}" in proc.stderr
    assert ("does not exist" if kind == "missing" else "is not a folder") in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "site" / "dist").exists()


def test_an_out_that_is_a_file_is_kept(site: TinySite) -> None:
    target = site.root / "dist"
    target.write_text("an editor's notes, not a build")
    result = site.run("build", "--no-pdf")
    assert result.code == 2, result.err
    assert "is a file" in result.err
    assert target.read_text() == "an editor's notes, not a build"
