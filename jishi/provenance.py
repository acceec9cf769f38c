"""Where a feature first appeared (feature.yaml `source:`), printed as 原载… / First published in…

    source:
      publication: {zh: 某某报, en: The Daily}   # required, one text per language
      date: 2019-11-20                          # optional
      page: 6                                   # optional: a page number or name (A6)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import ErrorList
from .fields import date_value, localized, unknown_keys
from .langs import pick
from .model import Source
from .yamlio import LineDict

SOURCE_KEYS = {"publication", "date", "page"}
FIRST_PUBLISHED = {"zh": "原载", "zh-Hant": "原載"}
HINT = "write source: {publication: {zh: ..., en: ...}, date: 2019-11-20, page: 6}"


def read_source(meta: LineDict, path: Path, languages: list[str],
                errors: ErrorList) -> Source | None:
    """Validate feature.yaml `source:`; None when the feature has none."""
    raw, line = meta.get("source"), meta.line_of("source")
    if raw is None:
        return None
    if not isinstance(raw, LineDict):
        errors.add(path, line, "source: expected publication, date and page", HINT)
        return None
    unknown_keys(raw, SOURCE_KEYS, path, errors)
    publication = localized(raw.get("publication"), (path, raw.line_of("publication") or line),
                            "source.publication", languages, errors)
    date = date_value(raw.get("date"), "source.date", (path, raw.line_of("date")), errors)
    return Source(publication, date, _page(raw, path, errors), line)


def _page(raw: LineDict, path: Path, errors: ErrorList) -> str | None:
    value: Any = raw.get("page")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip():
        errors.add(path, raw.line_of("page"), "source.page: expected a page number or name",
                   "write page: 6, or page: A6")
        return None
    return str(value).strip()


def source_line(source: Source, lang: str) -> str:
    """The line a reader sees: 原载《…》2019年11月20日第6版。 / First published in …, page 6."""
    publication = source.publication.get(lang, "")
    if lang[:2] == "zh":
        day = source.date
        when = f"{day.year}年{day.month}月{day.day}日" if day else ""
        page = f"第{source.page}版" if source.page else ""
        return f"{pick(FIRST_PUBLISHED, lang, 'zh')}《{publication}》{when}{page}。"
    parts = [f"First published in {publication}"]
    if source.date:
        parts.append(f"{source.date.day} {source.date:%B} {source.date.year}")
    if source.page:
        parts.append(f"page {source.page}")
    return ", ".join(parts) + "."
