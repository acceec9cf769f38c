"""Validation of YAML settings shared by every file that holds them (site, feature, data).

Each helper records what is wrong in an ErrorList, with the file and line, and goes on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from . import yamlio
from .errors import ErrorList, cut, quoted
from .yamlio import LineDict


def localized(
    value: Any, where: tuple[Path, int], key: str, languages: list[str], errors: ErrorList
) -> dict[str, str]:
    """Validate a {lang: text} map that must cover every language."""
    path, line = where
    if not isinstance(value, dict):
        errors.add(path, line, f"{key}: expected a map of languages, like {{zh: ..., en: ...}}",
                   f"write {key}: {{{', '.join(f'{lang}: ...' for lang in languages)}}}")
        return {}
    result: dict[str, str] = {}
    for lang in languages:
        text = value.get(lang)
        if text is None or (isinstance(text, str) and not text.strip()):
            errors.add(path, line, f"{key}: the '{lang}' text is missing",
                       f"add {lang}: ... under {key}")
        elif not yamlio.is_text(text):
            errors.add(path, line, f"{key}.{lang}: expected text", yamlio.QUOTE_HINT)
        else:
            result[lang] = str(text)
    for extra in set(value) - set(languages):
        errors.add(path, line, f"{key}: {quoted(extra)} is not one of the site's languages "
                   f"{languages}{yamlio.did_you_mean(str(extra)[:101], set(languages))}")
    return result


def date_value(raw: Any, key: str, where: tuple[Path, int], errors: ErrorList) -> dt.date | None:
    """A YAML date (2019-11-20), or None when absent; anything else is an error."""
    if raw is None or isinstance(raw, dt.date):
        return raw
    errors.add(where[0], where[1], f"{key}: {quoted(raw)} is not a date",
               "write it as date: 2019-11-20")
    return None


def unknown_keys(data: LineDict, known: set[str], path: Path, errors: ErrorList) -> None:
    """Report keys nobody reads: a typo there would otherwise be silently ignored."""
    for key in data:
        if key not in known:
            errors.add(path, data.line_of(key), f"{cut(str(key))}: unknown setting"
                       f"{yamlio.did_you_mean(str(key)[:101], known)}",
                       f"known settings: {', '.join(sorted(known))}")


def sub_mapping(data: LineDict, key: str, path: Path, errors: ErrorList,
                expected: str = "settings as 'key: value' lines") -> LineDict:
    """Return the mapping under key (empty when absent); record an error when it is not one."""
    block = data.get(key)
    if block is None:
        return LineDict()
    if not isinstance(block, LineDict):
        errors.add(path, data.line_of(key), f"{key}: expected {expected}")
        return LineDict()
    return block
