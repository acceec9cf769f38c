"""`python build.py new SLUG`: start a feature (and, in an empty folder, a site) to edit.

Every file is written only after checking that none of them exists: `new` never overwrites.
The texts are marked placeholders in each language, and no figure is made up: the data file
holds only a commented example.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from .. import series
from ..config import authored, load_config
from ..errors import JishiError, UsageError

log = logging.getLogger(__name__)

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
DEFAULT_LANGUAGES = ["zh", "en"]
RESERVED = {  # names whose pages would clash with the theme's files or the live preview
    "assets": "the theme's stylesheet and scripts live in assets/",
    "print": "the live preview shows the print edition at /print",
    "livereload": "the live preview's reload channel is /livereload",
    "glossary": "data/glossary.yaml is the site's glossary, not a feature's data file",
}
WORDS = {
    "zh": {"kicker": "栏目", "series": "系列名", "title": "标题", "subtitle": "副标题",
           "byline": "文：作者", "summary": "一句话摘要。", "section": "第一节",
           "body": "在这里写第一节的正文。每段之间空一行。", "site": "站点名称"},
    "en": {"kicker": "Kicker", "series": "Series name", "title": "Headline",
           "subtitle": "Subheadline", "byline": "Text by the author",
           "summary": "A one-sentence summary.", "section": "First section",
           "body": "Write the first section here. Leave a blank line between paragraphs.",
           "site": "Site name"},
}
DATA_YAML = """\
# Statistics of this feature. Each figure the text prints is defined here once and written
# in the text as {{ stat ID }} (inline), or {{ callout ID }} alone on a line. For example:
#
# stats:
#   members:
#     value: 23162                      # an integer or a decimal
#     qualifier: more_than              # optional: more_than | over | nearly | about
#     unit: {zh: 名, en: ""}
#     label: {zh: 执委, en: executive committee members}
# charts:
#   activities:
#     kind: bar
#     title: {zh: ..., en: ...}
#     stats: [members, ...]
stats: {}
charts: {}
"""


def words(lang: str) -> dict[str, str]:
    """Placeholder texts in a language (English for a language jishi has no words for)."""
    return WORDS.get(lang[:2], WORDS["en"])


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def feature_yaml(languages: list[str], order: int | None = None) -> str:
    """feature.yaml with a placeholder for every text in every language (and its place)."""
    lines = [f"order: {order}   # place in the series"] if order is not None else []
    for key in ("kicker", "series", "title", "subtitle", "byline", "summary"):
        lines.append(f"{key}:")
        lines += [f"  {lang}: {_quoted(words(lang)[key])}" for lang in languages]
    lines += ["# date: 2026-01-31", "# hero: images/cover.jpg",
              "# pending_photos: [images/a.jpg]   # photos still to come: shown as placeholders"]
    return "\n".join(lines) + "\n"


def section_md(lang: str) -> str:
    """A first section in one language."""
    w = words(lang)
    return f"---\ntitle: {_quoted(w['section'])}\n---\n\n{w['body']}\n"


def site_yaml(languages: list[str]) -> str:
    """site.yaml for a folder that has none."""
    titles = "\n".join(f"  {lang}: {_quoted(words(lang)['site'])}" for lang in languages)
    return f"title:\n{titles}\nlanguages: [{', '.join(languages)}]\n"


def check_slug(slug: str, languages: list[str]) -> None:
    """Refuse a slug that is not a clean folder name or whose pages would clash with others."""
    if not SLUG_RE.match(slug):
        raise UsageError(f"'{slug}' cannot name a feature: use lower-case letters, digits and "
                         "hyphens, starting with a letter or digit (like changsha or "
                         "2024-yiyang)")
    if slug in languages:
        raise UsageError(f"'{slug}' cannot name a feature: it is one of the site's languages, "
                         f"whose pages live in {slug}/; choose another name")
    if slug in RESERVED:
        raise UsageError(f"'{slug}' cannot name a feature: {RESERVED[slug]}; choose another name")


def plan(source: Path, slug: str) -> dict[Path, str]:
    """Every file `new` would write, and its text."""
    files: dict[Path, str] = {}
    order = None
    if (source / "site.yaml").is_file():
        config = load_config(source)
        # A derived language (zh-Hant) is converted, not written: it gets no section file.
        reading, languages = config.languages, authored(config)
        order = series.next_order(source)
    else:
        reading = languages = DEFAULT_LANGUAGES
        files[source / "site.yaml"] = site_yaml(languages)
    check_slug(slug, reading)
    folder = source / "content" / slug
    files[folder / "feature.yaml"] = feature_yaml(languages, order)
    for lang in languages:
        files[folder / f"01-start.{lang}.md"] = section_md(lang)
    files[source / "data" / f"{slug}.yaml"] = DATA_YAML
    return files


class Exists(JishiError):
    """`new` would overwrite something (exit code 1)."""


def new_feature(source: Path, slug: str) -> list[Path]:
    """Write a new feature's files; refuse, writing nothing, if any of them exists."""
    files = plan(source, slug)
    folder = source / "content" / slug
    taken = [p for p in [folder, *files] if p.exists()]
    if taken:
        raise Exists(f"{taken[0]} already exists; `new` never overwrites. Choose another "
                     "name, or edit the existing feature")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (folder / "images").mkdir()
    return list(files)
