"""`check`: every finding with its file and line, the exit codes, --strict, JSON, marking."""

from __future__ import annotations

import json

import pytest
from conftest import FEATURE_YAML, ROOT, SECTIONS, TinySite

PENDING = "pending_photos: [images/missing.jpg]\n"


@pytest.fixture
def clean(site: TinySite) -> TinySite:
    """The tiny site with its missing photo acknowledged: check finds nothing to warn about."""
    site.write("content/demo/feature.yaml", FEATURE_YAML + PENDING)
    return site


def findings(site: TinySite, *args: str) -> tuple[int, list[dict]]:
    """Run check --format json; return the exit code and the findings."""
    result = site.run("check", "--format", "json", *args)
    assert "Traceback" not in result.err, result.err
    return result.code, json.loads(result.out)["findings"]


def only(found: list[dict], code: str) -> list[dict]:
    """The findings of one kind."""
    return [f for f in found if f["code"] == code]


def test_clean_site_passes_strict(clean: TinySite) -> None:
    code, found = findings(clean, "--strict")
    assert code == 0
    assert [f["level"] for f in found] == ["info", "info"]  # the two acknowledged placeholders
    assert only(found, "photo-pending")[0]["file"] == "content/demo/02-second.zh.md"


def test_repo_yiyang_passes_strict() -> None:
    result = TinySite.__new__(TinySite)
    result.root = ROOT
    run = result.run("check", "--strict")
    assert run.code == 0, run.out + run.err
    assert "0 error(s), 0 warning(s)" in run.out


def test_check_writes_nothing(clean: TinySite) -> None:
    before = {p: p.read_bytes() for p in clean.root.rglob("*") if p.is_file()}
    clean.run("check")
    after = {p: p.read_bytes() for p in clean.root.rglob("*") if p.is_file()}
    assert before == after and not (clean.root / "dist").exists()


def test_missing_language_warns_and_strict_fails(clean: TinySite) -> None:
    (clean.root / "content/demo/02-second.en.md").unlink()
    code, found = findings(clean)
    assert code == 0
    [f] = only(found, "missing-language")
    assert f["level"] == "warning" and "02-second has no en version" in f["message"]
    assert f["file"] == "content/demo/02-second.zh.md"
    assert findings(clean, "--strict")[0] == 1


def test_paragraph_counts_differ(clean: TinySite) -> None:
    clean.write("content/demo/01-first-part.en.md",
                SECTIONS["01-first-part.en.md"] + "\nAn extra paragraph.\n")
    [f] = only(findings(clean)[1], "paragraphs")
    assert f["file"] == "content/demo/01-first-part.en.md" and f["line"] == 9
    assert "3 paragraphs here, 2 in 01-first-part.zh.md" in f["message"]


def test_block_kinds_out_of_step(clean: TinySite) -> None:
    clean.write("content/demo/02-second.en.md",
                "---\ntitle: Part two\n---\n{{ chart talks }}\n\n"
                "![A photo](images/missing.jpg \"The photo's caption\")\n")
    [f] = only(findings(clean)[1], "paragraphs")
    assert f["line"] == 4 and "block 1 is chart here but photo" in f["message"]


def test_stale_translation_and_marking(clean: TinySite) -> None:
    en = clean.root / "content/demo/01-first-part.en.md"
    crlf = SECTIONS["01-first-part.en.md"].replace("\n", "\r\n").encode("utf-8")
    en.write_bytes(b"\xef\xbb\xbf" + crlf)
    marked = clean.run("check", "--mark-translated", "content/demo/01-first-part.en.md")
    assert marked.code == 0 and "translated_from:" in marked.out
    after = en.read_bytes()
    lines = crlf.split(b"\r\n")
    digest = after.split(b"translated_from: ")[1][:12]
    # every other byte as it was: BOM, CRLF line ends, the rest of the front matter
    assert after == b"\xef\xbb\xbf" + b"\r\n".join(
        [*lines[:3], b"translated_from: " + digest, *lines[3:]])
    assert not only(findings(clean)[1], "stale-translation")
    clean.write("content/demo/01-first-part.zh.md",
                SECTIONS["01-first-part.zh.md"].replace("执委，", "名执委，"))
    [f] = only(findings(clean)[1], "stale-translation")
    assert f["file"] == "content/demo/01-first-part.en.md" and f["line"] == 4
    assert "01-first-part.zh.md changed" in f["message"] and "--mark-translated" in f["hint"]
    assert clean.run("check", "--mark-translated", str(en)).code == 0
    assert after.count(b"translated_from") == en.read_bytes().count(b"translated_from") == 1
    assert not only(findings(clean)[1], "stale-translation")


def test_marking_the_source_language_is_refused(clean: TinySite) -> None:
    result = clean.run("check", "--mark-translated", "content/demo/01-first-part.zh.md")
    assert result.code == 2 and "default language" in result.err


def test_unknown_statistic_is_an_error_with_did_you_mean(clean: TinySite) -> None:
    clean.write("content/demo/01-first-part.en.md",
                "---\ntitle: Part one\n---\nThere are {{ stat membres }} members.\n\n"
                "{{ callout members }}\n")
    code, found = findings(clean)
    assert code == 1
    [f] = found
    assert f["level"] == "error" and f["line"] == 4 and "did you mean 'members'" in f["message"]


def test_statistic_and_chart_never_used(clean: TinySite) -> None:
    clean.write("data/demo.yaml", (clean.root / "data/demo.yaml").read_text("utf-8").replace(
        "charts:", "  spare:\n    value: 5\n    label: {zh: 备用, en: spare}\ncharts:"))
    clean.write("content/demo/02-second.zh.md", "---\ntitle: 第二部分\n---\n"
                "![照片说明](images/missing.jpg \"图片的说明文字\")\n\n段落。\n")
    clean.write("content/demo/02-second.en.md", "---\ntitle: Part two\n---\n"
                "![A photo](images/missing.jpg \"The photo's caption\")\n\nText.\n")
    found = findings(clean)[1]
    assert {(f["message"], f["line"]) for f in only(found, "unused-statistic")} == {
        ("statistic 'spare' is never used", 11)}
    [chart] = only(found, "unused-chart")
    assert chart["file"] == "data/demo.yaml" and "'talks'" in chart["message"]


def test_hand_typed_figures(clean: TinySite) -> None:
    clean.write("content/demo/00-lead.zh.md",
                "---\n---\n共有23162名执委。2016年8月，350人参加了第12届“3+1”活动，3个执委帮扶1个家庭。\n")
    clean.write("content/demo/00-lead.en.md",
                "---\n---\nIn August 2016 the 12th meeting drew 2,600 people and 12% more.\n")
    found = findings(clean)[1]
    zh, en = only(found, "hand-typed-statistic")
    assert zh["file"] == "content/demo/00-lead.zh.md" and zh["line"] == 3
    assert "23162 is typed by hand and equals the statistic 'members'" in zh["message"]
    assert "{{ stat members }}" in zh["hint"]
    assert en["message"].startswith("2,600 is typed by hand and equals the statistic 'lectures'")
    looks = {(f["file"].split("/")[-1], f["message"].split()[0])
             for f in only(found, "hand-typed-number")}
    # not the year, month, ordinals, the quoted name “3+1” or the small counts 3 and 1
    assert looks == {("00-lead.zh.md", "350"), ("00-lead.en.md", "12")}


def test_photos_missing_pending_and_alt(site: TinySite) -> None:
    code, found = findings(site)
    assert code == 0
    assert {(f["file"], f["line"]) for f in only(found, "photo-missing")} == {
        ("content/demo/02-second.zh.md", 4), ("content/demo/02-second.en.md", 4)}
    assert "pending_photos" in only(found, "photo-missing")[0]["hint"]
    site.write("content/demo/02-second.en.md", "---\ntitle: Part two\n---\n"
               "![](images/missing.jpg \"The photo's caption\")\n\n{{ chart talks }}\n")
    [alt] = only(findings(site)[1], "photo-alt")
    assert alt["file"] == "content/demo/02-second.en.md" and alt["line"] == 4


def test_pending_photo_that_arrived_or_is_unused(clean: TinySite) -> None:
    clean.write("content/demo/feature.yaml",
                FEATURE_YAML + "pending_photos: [images/missing.jpg, images/other.jpg]\n")
    clean.write("content/demo/images/missing.jpg", b"not checked here")
    found = findings(clean)[1]
    assert "images/missing.jpg is here now" in only(found, "photo-pending-arrived")[0]["message"]
    [unused] = only(found, "photo-pending-unused")
    assert unused["file"] == "content/demo/feature.yaml" and unused["line"] == 7


def test_pending_photos_must_be_a_list(clean: TinySite) -> None:
    clean.write("content/demo/feature.yaml", FEATURE_YAML + "pending_photos: images/x.jpg\n")
    code, [f] = findings(clean)
    assert code == 1 and f["line"] == 7 and "pending_photos" in f["message"]


def test_broken_links(clean: TinySite) -> None:
    clean.write("content/demo/00-lead.en.md",
                "---\n---\nSee [part one](#first-part), [中文](../../demo/index.html#second), "
                "[nowhere](#nowhere),\n[a file](report.pdf), [out](../../../x.html) "
                "and [the web](https://example.org/).\n")
    found = only(findings(clean)[1], "broken-link")
    assert [(f["line"], f["message"].split(":")[0]) for f in found] == [
        (3, "link #nowhere"), (4, "link report.pdf"), (4, "link ../../../x.html")]


def test_template_error_found_without_writing(clean: TinySite) -> None:
    clean.write("templates/feature.html", "{% extends 'base.html' %}{% block main %}"
                "{{ no_such_thing }}{% endblock %}")
    code, found = findings(clean)
    [f] = [f for f in found if f["level"] == "error"]
    assert code == 1 and "no_such_thing" in f["message"]
    assert f["file"] == "templates/feature.html" and f["line"] == 1
    assert not (clean.root / "dist").exists()


def test_text_report_names_file_and_line(site: TinySite) -> None:
    result = site.run("check")
    assert result.code == 0
    assert "content/demo/02-second.zh.md:4: warning: photo images/missing.jpg is missing" \
        in result.out
    assert "check passed: 0 error(s), 2 warning(s), 0 note(s)" in result.out
    strict = site.run("check", "--strict")
    assert strict.code == 1 and "check failed (--strict)" in strict.out


def test_build_strict_stops_on_warnings(site: TinySite) -> None:
    result = site.run("build", "--strict")
    assert result.code == 1 and "photo images/missing.jpg is missing" in result.err
    assert not (site.root / "dist").exists()
    site.write("content/demo/feature.yaml", FEATURE_YAML + PENDING)
    assert site.run("build", "--strict").code == 0


def test_check_with_real_photos_leaves_the_cache_alone(clean: TinySite) -> None:
    from PIL import Image

    photo = clean.root / "content/demo/images/missing.jpg"
    photo.parent.mkdir(parents=True)
    Image.new("RGB", (600, 400), (20, 90, 160)).save(photo)
    clean.write("content/demo/feature.yaml", FEATURE_YAML)  # the photo has arrived
    code, found = findings(clean)
    assert code == 0
    assert not only(found, "photo-missing")
    assert not (clean.root / ".cache").exists() and not (clean.root / "dist").exists()
    photo.write_bytes(photo.read_bytes()[:200])  # truncated: check still finds it
    code, found = findings(clean)
    assert code == 1
    assert "missing.jpg" in json.dumps(found)
    assert not (clean.root / ".cache").exists()


def test_print_template_errors_found_without_writing(clean: TinySite) -> None:
    css = (ROOT / "templates/print/print.css").read_text(encoding="utf-8")
    clean.write("templates/print/print.css",
                css.replace("size: {{ page.size }};", "size: {{ page.sise.x }};"))
    line = css.split("size: {{ page.size }};")[0].count("\n") + 1
    code, found = findings(clean)
    [f] = [f for f in found if f["level"] == "error"]
    assert code == 1 and "sise" in f["message"]
    assert (f["file"], f["line"]) == ("templates/print/print.css", line)
    built = clean.run("build")  # the build stops on the same error, naming the same place
    assert built.code == 1 and f"templates/print/print.css:{line}: template error" in built.err
    clean.write("templates/print/print.css", css)
    clean.write("templates/print/feature.html", "<html>{% if %}</html>\n")
    code, found = findings(clean)
    assert code == 1 and [(f["file"], f["line"]) for f in found if f["level"] == "error"] == [
        ("templates/print/feature.html", 1)]
    assert not (clean.root / "dist").exists()


def test_photo_inside_a_paragraph(clean: TinySite) -> None:
    from PIL import Image

    path = clean.root / "content/demo/images/icon.png"
    path.parent.mkdir(parents=True)
    Image.new("RGB", (60, 60), (200, 0, 0)).save(path)
    clean.write("content/demo/00-lead.en.md",
                "---\n---\nThe lead paragraph ![a red square](images/icon.png) inline.\n")
    code, found = findings(clean)
    [f] = [f for f in found if f["level"] == "error"]
    assert code == 1  # the page would show a broken image: the build refuses it too
    assert (f["file"], f["line"]) == ("content/demo/00-lead.en.md", 3)
    assert "photo inside running text" in f["message"]
    assert not only(found, "photo-missing")


def test_a_pending_photo_written_with_dot_slash_is_pending_for_build_and_check(
        clean: TinySite) -> None:
    for lang in ("zh", "en"):
        path = clean.root / f"content/demo/02-second.{lang}.md"
        path.write_text(path.read_text("utf-8").replace("(images/missing.jpg",
                                                        "(./images/missing.jpg"), "utf-8")
    built = clean.run("build", "--no-pdf")
    assert built.code == 0 and "is pending" in built.err and "is missing" not in built.err
    code, found = findings(clean, "--strict")
    assert code == 0 and [f["code"] for f in found] == ["photo-pending", "photo-pending"]
