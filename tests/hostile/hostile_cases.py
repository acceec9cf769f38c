"""The hostile and broken sites, one small spec each: what to write, and what the build says.

Each case is written over the tiny bilingual site of conftest.py. `files` replaces or adds
source files (text is written as is, bytes too); `links` makes symbolic links, where the
target "@canary" is a file outside the site and "@outside" a folder outside it; `message` is a
fragment the error must hold, `at` the `file` or `file:line` it must name.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    """One broken or hostile site and the error it must give."""

    name: str
    files: dict[str, str | bytes]
    at: str  # "file:line" (or "file" where no line applies) the message must name
    message: str
    code: int = 1
    links: dict[str, str] = field(default_factory=dict)


def stat(value: str, qualifier: str = "") -> str:
    """A data file whose statistic 'members' (line 2) has this value (line 3), qualifier (4)."""
    q = f"    qualifier: {qualifier}\n" if qualifier else ""
    return ("stats:\n  members:\n    value: " + value + "\n" + q
            + "    label: {zh: 执委, en: members}\n  lectures:\n    value: 2600\n"
            "    label: {zh: 讲座, en: lectures}\ncharts:\n  talks:\n"
            "    title: {zh: 活动, en: Activities}\n    stats: [members, lectures]\n")


def section(body: str, title: str = "第一部分") -> str:
    """A section file: front matter on lines 1-3, the body from line 4."""
    return f"---\ntitle: {title}\n---\n{body}\n"


def nested_list(depth: int) -> str:
    return "\n".join("    " * i + "- item" for i in range(depth))


BOMB = "\n".join(["    value: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
                 + [f"    x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]"
                    for i in range(1, 10)])
BOMB_QUALIFIER = ("stats:\n  members:\n    value: 1\n    label: {zh: 执委, en: members}\n"
                  "    unit: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                  + "".join(f"    note{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n"
                            for i in range(1, 9))
                  + "    qualifier: [" + ", ".join(["*a8"] * 9) + "]\n")
SECTION = "content/demo/01-first-part.zh.md"
DATA = "data/demo.yaml"
FEATURE = "content/demo/feature.yaml"
NOT_JPEG = b"this is not a photo at all"
TEMPLATE = "templates/partials/section.html"

CASES: list[Case] = [
    # --- YAML: expansion, nesting, numbers ---------------------------------------------------
    Case("alias-bomb-as-value", {DATA: "stats:\n  members:\n" + BOMB + "\n"}, f"{DATA}:8",
         "expand to more than"),
    Case("alias-bomb-as-qualifier", {DATA: BOMB_QUALIFIER}, f"{DATA}:10",
         "expand to more than"),
    Case("yaml-list-1000-deep", {DATA: "stats:\n  members:\n    value: " + "[" * 1000
                                 + "1" + "]" * 1000 + "\n"}, f"{DATA}:3", "nested more than"),
    Case("yaml-list-100000-deep", {DATA: "stats: " + "[" * 100_000 + "]" * 100_000 + "\n"},
         f"{DATA}:1", "nested more than"),
    Case("yaml-5000-nested-mappings",
         {DATA: "".join(" " * i + f"k{i}:\n" for i in range(5000)) + " " * 5000 + "v: 1\n"},
         f"{DATA}:51", "nested more than"),
    Case("yaml-block-sequences-on-one-line", {DATA: "- " * 3000 + "x\n"},
         f"{DATA}:1", "nested more than"),
    Case("front-matter-nested-deep", {SECTION: "---\ntitle: " + "[" * 2000 + "]" * 2000
                                      + "\n---\ntext\n"}, f"{SECTION}:2", "nested more than"),
    Case("front-matter-alias-bomb",
         {SECTION: "---\n" + BOMB.replace("    value", "title").replace("    x", "x")
          + "\n---\ntext\n"}, f"{SECTION}:7", "expand to more than"),
    Case("value-1e-300", {DATA: stat("1.0e-300")}, f"{DATA}:3", "too small to print"),
    Case("value-300-digits", {DATA: stat("9" * 300)}, f"{DATA}:3", "too large to print"),
    Case("value-5000-digits", {DATA: stat("7" * 5000)}, f"{DATA}:3", "not a usable number"),
    Case("value-too-precise", {DATA: stat("1234567.123456789")}, f"{DATA}:3",
         "more precise than 15 digits"),
    Case("value-nan", {DATA: stat(".nan")}, f"{DATA}:3", "not a finite number"),
    Case("value-with-commas", {DATA: stat('"23,162"')}, f"{DATA}:3", "is not a number"),
    Case("qualifier-10000-characters", {DATA: stat("1", "x" * 10_000)}, f"{DATA}:4",
         "unknown qualifier 'xxxx"),
    Case("unknown-key-1000-characters", {"site.yaml": "y" * 1000 + ": 1\n"},
         "site.yaml:1", "unknown setting"),
    Case("language-code-10000-characters", {"site.yaml": "title: {zh: 站, en: Site}\n"
                                            "languages: [zh, " + "e" * 10_000 + "]\n"},
         "site.yaml:2", "is not a language code"),
    Case("yaml-tab-indentation", {DATA: "stats:\n\tmembers:\n"}, f"{DATA}:2",
         "YAML syntax error"),
    Case("yaml-duplicate-key", {DATA: stat("1") + "stats: {}\n"}, f"{DATA}:12", "appears twice"),
    Case("yaml-impossible-date", {FEATURE: "title: {zh: 标题, en: Title}\ndate: 2019-13-45\n"},
         f"{FEATURE}:2", "not a real date"),
    Case("yaml-integer-key", {DATA: "stats:\n  1: {value: 1, label: {zh: 一, en: one}}\n"},
         f"{DATA}:2", "not a usable ID"),
    Case("data-top-level-list", {DATA: "- a\n- b\n"}, f"{DATA}:1", "expected 'stats:'"),
    Case("site-yaml-a-list", {"site.yaml": "- zh\n- en\n"}, "site.yaml:1", "key: value"),
    Case("allow-raw-html-not-a-flag", {"site.yaml": "title: {zh: 站, en: Site}\n"
                                       "allow_raw_html: sometimes\n"}, "site.yaml:2",
         "allow_raw_html: expected true or false"),
    Case("print-columns-nine", {"site.yaml": "title: {zh: 站, en: Site}\nprint:\n"
                                "  columns: 9\n"}, "site.yaml:3", "is not 1 to 4"),
    # --- control characters and encodings ------------------------------------------------------
    Case("nul-in-data", {DATA: stat("1").replace("members}", "mem\x00bers}")}, f"{DATA}:4",
         "control character U+0000"),
    Case("nul-in-site-yaml", {"site.yaml": "title: {zh: 站, en: \x00Site}\n"}, "site.yaml:1",
         "control character U+0000"),
    Case("nul-in-feature-yaml", {FEATURE: "title: {zh: 标题, en: Title}\nkicker: \x00\n"},
         f"{FEATURE}:2", "control character U+0000"),
    Case("nul-in-front-matter", {SECTION: "---\ntitle: 第一\x00部分\n---\ntext\n"},
         f"{SECTION}:2", "control character U+0000"),
    Case("nul-in-markdown", {SECTION: section("第一段。\n\n第二段\x00。")}, f"{SECTION}:6",
         "control character U+0000"),
    Case("escape-in-markdown", {SECTION: section("\x1b[31m红色\x1b[0m")}, f"{SECTION}:4",
         "control character U+001B"),
    Case("delete-in-markdown", {SECTION: section("文字\x7f")}, f"{SECTION}:4",
         "control character U+007F"),
    Case("c1-control-in-markdown", {SECTION: section("文字\x9b")}, f"{SECTION}:4",
         "control character U+009B"),
    Case("vertical-tab-in-markdown", {SECTION: section("a\x0bb")}, f"{SECTION}:4",
         "control character U+000B"),
    Case("not-utf8-markdown", {SECTION: b"---\ntitle: x\n---\n" + b"\xff\xfe text\n"},
         f"{SECTION}:4", "not UTF-8"),
    Case("not-utf8-data", {DATA: b"stats:\n  \xc3\x28: 1\n"}, f"{DATA}:2", "not UTF-8"),
    # --- Markdown nesting and syntax -------------------------------------------------------------
    Case("markdown-list-300-deep", {SECTION: section(nested_list(300))}, f"{SECTION}:20",
         "nested more than 16 levels"),
    Case("markdown-list-3000-deep", {SECTION: section(nested_list(3000))}, f"{SECTION}:20",
         "nested more than 16 levels"),
    Case("markdown-quote-300-deep", {SECTION: section("> " * 300 + "quote")}, f"{SECTION}:4",
         "nested more than 16 levels"),
    Case("markdown-quotes-no-spaces", {SECTION: section("text\n\n" + ">" * 5000 + " x")},
         f"{SECTION}:6", "nested more than 16 levels"),
    Case("markdown-mixed-markers-deep", {SECTION: section("- > 1. " * 40 + "x")},
         f"{SECTION}:4", "nested more than 16 levels"),
    Case("raw-html-100000-divs", {SECTION: section("text\n\n" + "<div>" * 100_000)},
         f"{SECTION}:6", "nested more than 100 levels"),
    Case("raw-html-divs-over-lines", {SECTION: section("\n".join(["<div><span>"] * 60))},
         f"{SECTION}:54", "nested more than 100 levels"),
    Case("photo-name-too-long", {SECTION: section("![照片](images/" + "a" * 300 + ".jpg)")},
         f"{SECTION}:4", "longer than 255 bytes"),
    Case("front-matter-never-closed", {SECTION: "---\ntitle: x\ntext\n"}, f"{SECTION}:1",
         "never closed"),
    Case("front-matter-missing", {SECTION: "just text\n"}, f"{SECTION}:1",
         "does not start with front matter"),
    Case("front-matter-a-list", {SECTION: "---\n- a\n---\ntext\n"}, f"{SECTION}:2",
         "front matter must be"),
    Case("title-yes", {SECTION: section("text", title="yes")}, f"{SECTION}:2",
         "title: expected text"),
    Case("unknown-statistic", {SECTION: section("{{ stat membres }}")}, f"{SECTION}:4",
         "did you mean 'members'"),
    Case("callout-inside-a-sentence", {SECTION: section("见 {{ callout members }} 。")},
         f"{SECTION}:4", "must stand alone"),
    Case("unknown-placeholder-kind", {SECTION: section("{{ graph talks }}")}, f"{SECTION}:4",
         "unknown placeholder"),
    Case("stray-braces", {SECTION: section("a {{ b")}, f"{SECTION}:4", "not a placeholder"),
    Case("placeholder-id-10000-characters", {SECTION: section("{{ stat " + "m" * 10_000
                                                              + " }}")},
         f"{SECTION}:4", "unknown statistic ID"),
    Case("photo-inside-running-text", {SECTION: section("文字 ![照片](images/a.jpg) 文字")},
         f"{SECTION}:4", "inside running text"),
    Case("photo-name-with-space", {SECTION: section("![照片](images/IMG 01.jpg)")},
         f"{SECTION}:4", "cannot be read"),
    Case("section-name-wrong", {"content/demo/01_bad.zh.md": section("x")},
         "content/demo/01_bad.zh.md", "not NN-name.LANG.md"),
    Case("section-language-unknown", {"content/demo/03-x.fr.md": section("x")},
         "content/demo/03-x.fr.md", "not one of the site's languages"),
    Case("feature-named-like-a-language", {"content/en/feature.yaml": "title: {zh: a, en: b}\n",
                                           "content/en/01-a.zh.md": section("x")},
         "content/en/feature.yaml", "has the name of a folder"),
    Case("chart-of-unknown-statistic", {DATA: stat("1").replace("[members, lectures]",
                                                                "[members, nobody]")},
         f"{DATA}:11", "unknown statistic 'nobody'"),
    # --- photos ---------------------------------------------------------------------------------
    Case("photo-path-traversal", {SECTION: section("![照片](../../../canary.jpg)")},
         f"{SECTION}:4", "outside the site folder"),
    Case("photo-absolute-path", {SECTION: section("![照片](/etc/passwd)")}, f"{SECTION}:4",
         "not a file in the feature"),
    Case("photo-not-an-image", {SECTION: section("![照片](images/a.jpg)"),
                                "content/demo/images/a.jpg": NOT_JPEG},
         f"{SECTION}:4", "not an image file"),
    Case("photo-linked-outside", {SECTION: section("![照片](images/leak.jpg)")},
         "content/demo/images/leak.jpg", "outside the site folder",
         links={"content/demo/images/leak.jpg": "@canary"}),
    Case("hero-outside-the-site", {FEATURE: "title: {zh: 标题, en: Title}\n"
                                   "hero: ../../../canary.jpg\n"},
         f"{FEATURE}:2", "outside the site folder"),
    # --- links out of the site ------------------------------------------------------------------
    Case("asset-linked-outside", {}, "assets/leak.txt", "outside the site folder",
         links={"assets/leak.txt": "@canary"}),
    Case("assets-folder-linked-outside", {}, "assets/more", "outside the site folder",
         links={"assets/more": "@outside"}),
    Case("section-linked-outside", {}, "content/demo/03-leak.zh.md", "outside the site folder",
         links={"content/demo/03-leak.zh.md": "@canary"}),
    Case("data-linked-outside", {}, DATA, "outside the site folder",
         links={DATA: "@canary"}),
    Case("feature-yaml-linked-outside", {}, FEATURE, "outside the site folder",
         links={FEATURE: "@canary"}),
    Case("site-yaml-linked-outside", {}, "site.yaml", "outside the site folder",
         links={"site.yaml": "@canary"}),
    Case("template-linked-outside", {}, TEMPLATE, "outside the site folder",
         links={TEMPLATE: "@canary"}),
    Case("feature-folder-linked-outside", {}, "content/other", "outside the site folder",
         links={"content/other": "@outside"}),
    # --- templates ------------------------------------------------------------------------------
    Case("template-includes-itself", {TEMPLATE: "<p>x</p>\n{% include 'partials/section.html' %}"},
         f"{TEMPLATE}:2", "loads itself"),
    Case("templates-include-each-other",
         {TEMPLATE: "{% include 'partials/b.html' %}",
          "templates/partials/b.html": "\n{% include 'partials/section.html' %}"},
         "templates/partials/b.html:2", "loads itself"),
    Case("template-extends-itself", {"templates/base.html": "{% extends 'base.html' %}"},
         "templates/base.html:1", "loads itself"),
    Case("template-syntax-error", {TEMPLATE: "<p>\n{% if %}\n</p>"}, f"{TEMPLATE}:2",
         "template error"),
]
