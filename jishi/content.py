"""Read a site's features: feature.yaml, the numbered section files, and their front matter."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from . import inside, series, yamlio
from .config import authored
from .errors import ContentError, ErrorList, quoted, where
from .fields import date_value, localized, unknown_keys
from .model import Feature, Hero, Section, SectionVersion, SiteConfig
from .provenance import read_source
from .stats import load_data
from .text import limits
from .text.syntax import photo_key, scan_version
from .yamlio import LineDict

log = logging.getLogger(__name__)

SECTION_RE = re.compile(r"^(?P<num>\d+)-(?P<slug>[a-z0-9][a-z0-9-]*)\.(?P<lang>[A-Za-z-]+)\.md$")
FEATURE_TEXT_KEYS = ("kicker", "series", "title", "subtitle", "byline", "summary",
                     "edition_note")
FEATURE_KEYS = set(FEATURE_TEXT_KEYS) | {"date", "hero", "pending_photos", "source", "order",
                                         "headline_stat"}
FRONT_MATTER_KEYS = {"title", "subtitle", "translated_from"}
FENCE = "---"


def split_front_matter(text: str, path: Path) -> tuple[LineDict, str, int]:
    """Split '---' fenced YAML front matter from the body; return (meta, body, body_line)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise ContentError(path, 1, "the file does not start with front matter",
                           "begin the file with a line '---', then 'title: ...', then '---'")
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in (FENCE, "..."):
            meta = yamlio.parse("\n".join(lines[1:index]), path, first_line=2)
            break
    else:
        raise ContentError(path, 1, "the front matter is never closed",
                           "add a line '---' after the front matter (title, subtitle)")
    if meta is None:
        meta = LineDict()
    if not isinstance(meta, LineDict):
        raise ContentError(path, 2, "front matter must be 'key: value' lines",
                           "write for example: title: 凝聚基层力量")
    for key in meta.lines:
        meta.lines[key] += 1  # parse() counted from the first line after the fence
    meta.line += 1
    return meta, "\n".join(lines[index + 1:]), index + 2


def _text_field(meta: LineDict, key: str, path: Path, errors: ErrorList) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if not yamlio.is_text(value) or not str(value).strip():
        errors.add(path, meta.line_of(key), f"{key}: expected text",
                   f"write {key}: followed by the text, in quotes if it holds a colon or is "
                   "a bare yes, no, on or off (YAML reads those as true/false)")
        return None
    return str(value)


def read_section_file(path: Path, lang: str, errors: ErrorList) -> SectionVersion | None:
    """Read one section file; record its errors rather than stopping at the first."""
    text = errors.capture(yamlio.read_text, path)
    parts = errors.capture(split_front_matter, text, path) if text is not None else None
    if parts is None:
        return None
    meta, body, body_line = parts
    errors.capture(limits.check_depth, body, body_line, path)
    unknown_keys(meta, FRONT_MATTER_KEYS, path, errors)
    title = _text_field(meta, "title", path, errors)
    subtitle = _text_field(meta, "subtitle", path, errors)
    lines = dict(meta.lines)
    return SectionVersion(path, lang, title, subtitle, body, body_line, dict(meta), lines,
                          scan=scan_version(title, subtitle, body, lines, body_line))


def _section_files(folder: Path, languages: list[str], errors: ErrorList
                   ) -> list[tuple[Path, re.Match[str]]]:
    found = []
    for path in sorted(folder.glob("*.md")):
        match = SECTION_RE.match(path.name)
        if not match:
            errors.add(path, None, "the file name is not NN-name.LANG.md",
                       f"rename it like 01-family-education.{languages[0]}.md "
                       "(a number, a lower-case name, the language)")
        elif match["lang"] not in languages:
            errors.add(path, None, f"'{match['lang']}' is not one of the site's languages "
                       f"{languages}{yamlio.did_you_mean(match['lang'], set(languages))}",
                       "add the language to site.yaml or rename the file")
        else:
            found.append((path, match))
    return found


def _pair(folder: Path, languages: list[str], errors: ErrorList) -> list[Section]:
    by_number: dict[int, Section] = {}
    for path, match in _section_files(folder, languages, errors):
        number, slug, lang = int(match["num"]), match["slug"], match["lang"]
        section = by_number.setdefault(number, Section(number, slug))
        if section.slug != slug:
            other = next(iter(section.versions.values())).path.name if section.versions else slug
            errors.add(path, None, f"two sections share the number {match['num']}: "
                       f"{other} and {path.name}",
                       "give each section its own number, or the same name in every language")
            continue
        if lang in section.versions:
            errors.add(path, None, f"{path.name} and {section.versions[lang].path.name} are "
                       "the same section in the same language",
                       "delete one of them, or give it a number of its own")
            continue
        version = read_section_file(path, lang, errors)
        if version:
            section.versions[lang] = version
    sections = [by_number[n] for n in sorted(by_number)]
    _unique_anchors(sections, errors)
    return sections


THEME_IDS = ("main", "headline")  # ids the default theme gives its own parts


def _unique_anchors(sections: list[Section], errors: ErrorList) -> None:
    """Each section's name is its anchor (#family-education), so two may not share one."""
    first: dict[str, Section] = {}
    for section in sections:
        if section.slug in THEME_IDS and section.versions:
            errors.add(next(iter(section.versions.values())).path, None,
                       f"the section name '{section.slug}' is the anchor of a part of the page "
                       f"({', '.join(THEME_IDS)} are taken)", "give the section another name")
        other = first.setdefault(section.slug, section)
        if other is not section and section.versions:
            path = next(iter(section.versions.values())).path
            errors.add(path, None, f"sections {other.number:02d}-{other.slug} and "
                       f"{section.number:02d}-{section.slug} share the name '{section.slug}', "
                       "which is the anchor of a section's link",
                       "give each section a name of its own")


def check_titles(section: Section, languages: list[str], errors: ErrorList) -> None:
    """Titles in every language or none; warn about a language with no version."""
    with_title = [v for v in section.versions.values() if v.title]
    for version in section.versions.values():
        if with_title and not version.title:
            errors.add(version.path, 1, f"the section has a title in "
                       f"{with_title[0].lang} ({with_title[0].path.name}) but none here",
                       "add 'title: ...' to the front matter (only a lead may have no title, "
                       "and then in no language)")
    missing = [lang for lang in languages if lang not in section.versions]
    if missing and section.versions:
        present = next(iter(section.versions.values()))
        log.warning("%s: section %02d-%s has no %s version yet", where(present.path),
                    section.number, section.slug, "/".join(missing))


def read_sections(folder: Path, languages: list[str], errors: ErrorList,
                  written: list[str] | None = None) -> list[Section]:
    """Pair NN-name.LANG.md files into ordered sections.

    written: the languages every section should have (a derived language's version is made,
    unless a file overrides it); all of languages when not given.
    """
    sections = _pair(folder, languages, errors)
    for section in sections:
        # Versions in the site's language order, so the default language is reported first.
        section.versions = {lang: section.versions[lang] for lang in languages
                            if lang in section.versions}
        check_titles(section, written or languages, errors)
    return sections


def _pending_photos(meta: LineDict, path: Path, errors: ErrorList) -> tuple[str, ...]:
    """feature.yaml `pending_photos:` the photos an editor acknowledges are still to come."""
    raw = meta.get("pending_photos")
    line = meta.line_of("pending_photos")
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        errors.add(path, line, "pending_photos: expected a list of photo paths",
                   "write pending_photos: [images/a.jpg, images/b.jpg], as the Markdown uses them")
        return ()
    photos = tuple(photo_key(x) for x in raw)
    for photo in photos:
        if "://" in photo or photo.startswith(("/", "../")) or photo == "..":
            errors.add(path, line, f"pending_photos: {quoted(photo)} is not a path inside "
                       "the feature",
                       "list photos as the Markdown writes them, like images/a.jpg")
    if len(set(photos)) != len(photos):
        errors.add(path, line, "pending_photos: a photo is listed twice")
    return photos


def _feature_meta(path: Path) -> LineDict:
    meta = yamlio.load(path) or LineDict()
    if not isinstance(meta, LineDict):
        raise ContentError(path, 1, "expected 'key: value' lines (title, subtitle, ...)")
    return meta


def read_feature(folder: Path, config: SiteConfig, errors: ErrorList) -> Feature | None:
    """Read a feature folder and its data file; errors are collected, not raised."""
    found = len(errors.errors)
    data_path = config.source / "data" / f"{folder.name}.yaml"
    for top in (folder, data_path):
        inside.check_tree(top, config.source, errors)
    if len(errors.errors) > found:
        return None  # a link out of the site: nothing of this feature is read
    meta = errors.capture(_feature_meta, folder / "feature.yaml")
    data = errors.capture(load_data, data_path,
                          authored(config), config.stats)
    sections = read_sections(folder, config.languages, errors, authored(config))
    if meta is None or data is None:
        return None
    return _feature(folder, meta, sections, data, config, errors)


def _feature(folder: Path, meta: LineDict, sections: list[Section], data: Any,
             config: SiteConfig, errors: ErrorList) -> Feature:
    path = folder / "feature.yaml"
    unknown_keys(meta, FEATURE_KEYS, path, errors)
    languages = authored(config)
    texts = {}
    for key in FEATURE_TEXT_KEYS:
        if key in meta or key == "title":
            texts[key] = localized(meta.get(key), (path, meta.line_of(key)), key,
                                   languages, errors)
    hero = _hero(meta, path, languages, errors)
    date = date_value(meta.get("date"), "date", (path, meta.line_of("date")), errors)
    pending = _pending_photos(meta, path, errors)
    if not sections:
        errors.add(folder, None, "the feature has no sections",
                   "add a file like 01-start.zh.md with front matter and text")
    source = read_source(meta, path, languages, errors)
    return Feature(folder.name, folder, texts, sections, data, date, hero, pending,
                   dict(meta.lines), source, order=series.read_order(meta, path, errors),
                   headline_stat=series.read_headline_stat(meta, data, path, errors))


def _hero(meta: LineDict, path: Path, languages: list[str], errors: ErrorList) -> Hero | None:
    """feature.yaml `hero:` a photo path, or {src, alt: {..}, caption: {..}}."""
    raw, line = meta.get("hero"), meta.line_of("hero")
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = {"src": raw}
    if not isinstance(raw, dict) or not isinstance(raw.get("src"), str):
        errors.add(path, line, "hero: expected a photo path, or src: with optional alt: and "
                   "caption:", "write hero: images/cover.jpg")
        return None
    unknown = set(raw) - {"src", "alt", "caption"}
    for key in sorted(unknown):
        errors.add(path, line, f"hero.{key}: unknown setting", "use src, alt and caption")
    texts = {key: localized(raw[key], (path, line), f"hero.{key}", languages, errors)
             for key in ("alt", "caption") if key in raw}
    return Hero(raw["src"], texts.get("alt", {}), texts.get("caption", {}), line)


def read_features(config: SiteConfig, errors: ErrorList) -> list[Feature]:
    """Read every content/<feature>/ that holds a feature.yaml."""
    content = config.source / "content"
    folders = sorted(p.parent for p in content.glob("*/feature.yaml"))
    if not folders:
        errors.add(content, None, "no feature found",
                   "a feature is a folder content/<name>/ with a feature.yaml; "
                   "`python build.py new NAME` makes one")
    for folder in folders:
        _check_feature_name(folder, config, errors)
    features = [read_feature(folder, config, errors) for folder in folders]
    return [f for f in features if f is not None]


def _check_feature_name(folder: Path, config: SiteConfig, errors: ErrorList) -> None:
    """A feature's folder name is its URL: it may not be a language's folder or assets/, and
    its data file may not be the site's glossary (data/glossary.yaml)."""
    reserved = {*config.languages[1:], "assets", "glossary"}
    if folder.name in reserved:
        errors.add(folder / "feature.yaml", None, f"the feature folder '{folder.name}' has the "
                   "name of a folder or file the site already uses (one per extra language, "
                   "assets/, data/glossary.yaml); its files would overwrite that one's",
                   f"rename content/{folder.name}/ (and data/{folder.name}.yaml)")
