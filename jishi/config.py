"""site.yaml: the site's title, languages and settings, read into a SiteConfig."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from . import yamlio
from .derived import hant_config
from .errors import ContentError, ErrorList, quoted
from .fields import localized, sub_mapping, unknown_keys
from .model import ImageSettings, PrintSettings, SiteConfig
from .photos import image_config
from .stats import read_stats
from .yamlio import LineDict

log = logging.getLogger(__name__)

KNOWN_KEYS = {"title", "languages", "base_url", "images", "print", "stats", "display_font",
              "allow_raw_html"}
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")


def _languages(data: LineDict, path: Path, errors: ErrorList) -> list[str]:
    langs = data.get("languages", ["zh", "en"])
    line = data.line_of("languages")
    if not isinstance(langs, list) or not langs or not all(isinstance(x, str) for x in langs):
        errors.add(path, line, "languages: expected a list of language codes, like [zh, en]")
        return ["zh", "en"]
    bad = [lang for lang in langs if not LANG_RE.match(lang)]
    for lang in bad:
        errors.add(path, line, f"languages: {quoted(lang)} is not a language code "
                   "(use zh, en, ...)", "write languages: [zh, en]")
    if bad:
        return ["zh", "en"]  # so the texts are not reported again against a bad code
    if len(set(langs)) != len(langs):
        errors.add(path, line, "languages: a language is listed twice")
    return langs


def load_config(source: Path) -> SiteConfig:
    """Read and validate site.yaml in source."""
    path = source / "site.yaml"
    if not path.is_file():
        raise ContentError(path, None, "site.yaml is missing",
                           "is --source the site's folder? `python build.py new SLUG` starts one")
    data = yamlio.load(path)
    if data is None:
        data = LineDict()
    if not isinstance(data, LineDict):
        raise ContentError(path, 1, "expected settings as 'key: value' lines",
                           "write for example title: {zh: 站名, en: Site name}")
    errors = ErrorList()
    languages = _languages(data, path, errors)
    # A derived language is switched on by a block of its own: `zh-Hant: {from: zh}`.
    unknown_keys(data, KNOWN_KEYS | set(languages), path, errors)
    derived = hant_config.read(data, languages, path, errors)
    written = [lang for lang in languages if lang not in derived]
    title = localized(data.get("title"), (path, data.line_of("title")), "title", written, errors)
    stats = read_stats(sub_mapping(data, "stats", path, errors, "IDs, each with its fields"),
                       path, written, errors, origin=path)
    base_url = _base_url(data, path, errors)
    images = image_settings(sub_mapping(data, "images", path, errors), path, errors)
    printing = print_settings(sub_mapping(data, "print", path, errors), path, errors)
    display_font = _display_font(data, path, errors)
    trusted = data.get("allow_raw_html", False)
    if not isinstance(trusted, bool):
        errors.add(path, data.line_of("allow_raw_html"), "allow_raw_html: expected true or "
                   "false", "leave it out (raw HTML is cleaned), or write allow_raw_html: true "
                   "to trust every editor's HTML as it is")
    errors.raise_if_any()
    return SiteConfig(source=source, title=title, languages=languages, base_url=base_url,
                      images=images, print=printing, stats=stats, derived=derived,
                      display_font=display_font,
                      display_font_line=data.line_of("display_font") or 0,
                      allow_raw_html=trusted is True)


def authored(config: SiteConfig) -> list[str]:
    """The languages whose texts are written; a derived language is converted from one of them."""
    return [lang for lang in config.languages if lang not in config.derived]


def _display_font(data: LineDict, path: Path, errors: ErrorList) -> str | Literal[False] | None:
    """site.yaml `display_font:` a family, a font file in the site, or false (none)."""
    value = data.get("display_font")
    if value is None or value is False:
        return value
    if not isinstance(value, str) or not value.strip() or any(c in value for c in "\"'{};<>"):
        errors.add(path, data.line_of("display_font"),
                   "display_font: expected a font family, a font file, or false",
                   "write for example display_font: Noto Serif CJK SC, "
                   "display_font: fonts/MyFont.otf or display_font: false")
        return None
    return value.strip()


def _base_url(data: LineDict, path: Path, errors: ErrorList) -> str | None:
    """site.yaml `base_url:` an http(s) URL, ending in '/' so page paths can follow it."""
    base_url = data.get("base_url")
    if base_url is None:
        return None
    if not (isinstance(base_url, str) and re.match(r"^https?://[^\s]+$", base_url)):
        errors.add(path, data.line_of("base_url"), "base_url: expected an http(s) URL",
                   "for example base_url: https://example.org/yiyang/")
        return None
    return base_url if base_url.endswith("/") else base_url + "/"


def image_settings(block: LineDict, path: Path, errors: ErrorList) -> ImageSettings:
    """Validate site.yaml `images:` (the checks live in jishi.photos.image_config)."""
    unknown_keys(block, image_config.KEYS, path, errors)
    return image_config.read(block, path, errors)


LENGTH = r"(?:0|\d+(?:\.\d+)?(?:mm|cm|in|pt))"
PAGE_NAMES = r"(?:a3|a4|a5|b4|b5|jis-b4|jis-b5|letter|legal|ledger)"
PAGE_SIZE_RE = re.compile(rf"^(?:{PAGE_NAMES}(?: (?:portrait|landscape))?|{LENGTH} {LENGTH})$",
                          re.IGNORECASE)
MARGINS_RE = re.compile(rf"^{LENGTH}(?: {LENGTH}){{0,3}}$")
PRINT_KEYS = {"page_size", "margins", "columns", "bleed", "crop_marks", "press", "font"}


def _print_text(block: LineDict, key: str, pattern: re.Pattern[str], example: str,
                path: Path, errors: ErrorList) -> str | None:
    value = block.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not pattern.match(value.strip()):
        errors.add(path, block.line_of(key), f"print.{key}: {quoted(value)} is not understood",
                   f"write for example {key}: {example}")
        return None
    return value.strip()


def _print_flag(block: LineDict, key: str, path: Path, errors: ErrorList) -> bool | None:
    value = block.get(key)
    if value is not None and not isinstance(value, bool):
        errors.add(path, block.line_of(key), f"print.{key}: expected true or false")
        return None
    return value


def _print_columns(block: LineDict, path: Path, errors: ErrorList) -> int | None:
    value = block.get("columns")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
        errors.add(path, block.line_of("columns"), f"print.columns: {quoted(value)} is not 1 to 4",
                   "write for example columns: 2")
        return None
    return value


def _print_font(block: LineDict, path: Path, errors: ErrorList) -> str | None:
    value = block.get("font")
    if value is not None and (not isinstance(value, str) or not value.strip()
                              or any(c in value for c in "\"'{};<>")):
        errors.add(path, block.line_of("font"), "print.font: expected a font family or a file",
                   "write for example font: Noto Serif CJK SC, or font: fonts/MyFont.otf")
        return None
    return value.strip() if value else None


def print_settings(block: LineDict, path: Path, errors: ErrorList) -> PrintSettings:
    """Validate site.yaml `print:`."""
    unknown_keys(block, PRINT_KEYS, path, errors)
    found: dict[str, Any] = {
        "page_size": _print_text(block, "page_size", PAGE_SIZE_RE, "A4 (or 170mm 240mm)",
                                 path, errors),
        "margins": _print_text(block, "margins", MARGINS_RE, "20mm 16mm", path, errors),
        "bleed": _print_text(block, "bleed", re.compile(f"^{LENGTH}$"), "3mm", path, errors),
        "columns": _print_columns(block, path, errors),
        "crop_marks": _print_flag(block, "crop_marks", path, errors),
        "press": _print_flag(block, "press", path, errors),
        "font": _print_font(block, path, errors),
    }
    settings = PrintSettings(**{k: v for k, v in found.items() if v is not None})
    return replace(settings, font_line=block.line_of("font") or 0)
