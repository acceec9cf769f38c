"""A feature's statistics: read data/<feature>.yaml, validate it, format numbers per language."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast, get_args

from . import yamlio
from .errors import ContentError, ErrorList, quoted, where
from .fields import localized, sub_mapping, unknown_keys
from .langs import pick
from .model import Chart, ChartKind, DataFile, Stat
from .text.syntax import ID_RE
from .yamlio import LineDict

log = logging.getLogger(__name__)

QUALIFIERS = ("more_than", "over", "nearly", "about")
CHART_KINDS: tuple[ChartKind, ...] = get_args(ChartKind)
STAT_KEYS = {"value", "qualifier", "unit", "label", "note"}
CHART_KEYS = {"kind", "title", "stats"}
# A value is printed as written, so it must be a figure a page can show: at most 15
# significant digits (all a float holds exactly) and, unless zero, between these bounds.
MAX_DIGITS = 15
SMALLEST, LARGEST = Decimal("0.000001"), Decimal("1E15")

# Chinese puts 近/约 before the number and 多/余 after it; English puts a word before.
ZH_BEFORE = {"nearly": "近", "about": "约"}
ZH_AFTER = {"more_than": "多", "over": "余"}
# The same words in Traditional characters (约 → 約, 余 → 餘), by language; see jishi.langs.
ZH_WORDS = {"zh": (ZH_BEFORE, ZH_AFTER),
            "zh-Hant": ({"nearly": "近", "about": "約"}, {"more_than": "多", "over": "餘"})}
EN_BEFORE = {"nearly": "nearly ", "about": "about ", "more_than": "more than ", "over": "over "}


def number_text(value: Decimal, lang: str) -> str:
    """Return the bare number: grouped by thousands except in Chinese."""
    if lang.startswith("zh"):
        return f"{value:f}"
    return f"{value:,f}"


def stat_parts(stat: Stat, lang: str) -> tuple[str, str, str]:
    """Split a statistic's rendering into (before, number, after): 近 / 2600 / 场次."""
    number = number_text(stat.value, lang)
    unit = stat.unit.get(lang, "")
    q = stat.qualifier or ""
    if lang.startswith("zh"):
        words_before, words_after = pick(ZH_WORDS, lang, "zh")
        return words_before.get(q, ""), number, words_after.get(q, "") + unit
    # A symbol such as % sits against the number; a word is spaced from it.
    after = unit if not unit or not unit[0].isalnum() else f" {unit}"
    return EN_BEFORE.get(q, ""), number, after


def format_stat(stat: Stat, lang: str) -> str:
    """Render a statistic inline, in a language: 近2600场次 / nearly 2,600."""
    return "".join(stat_parts(stat, lang))


def _value(raw: Any, where: tuple[Path, int], sid: str, errors: ErrorList) -> Decimal | None:
    path, line = where
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        grouped = isinstance(raw, str) and re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", raw)
        errors.add(path, line, f"stats.{sid}.value: {quoted(raw)} is not a number",
                   f"write it without commas, like value: {str(raw).replace(',', '')} (English "
                   "pages add them)" if grouped else
                   "write the number alone, like value: 2600 (put 近/多 in 'qualifier', "
                   "the measure word in 'unit')")
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        # YAML reads .nan and .inf as floats; a page would show NaN or Infinity.
        errors.add(path, line, f"stats.{sid}.value: {quoted(raw)} is not a finite number",
                   "write the figure itself, like value: 2600")
        return None
    return _printable(value, raw, (path, line), sid, errors)


def _printable(value: Decimal, raw: Any, where: tuple[Path, int], sid: str,
               errors: ErrorList) -> Decimal | None:
    """Refuse a value no page should print: never rounded silently (see MAX_DIGITS)."""
    size = abs(value)
    if value.is_zero() or (SMALLEST <= size < LARGEST
                           and len(value.normalize().as_tuple().digits) <= MAX_DIGITS):
        return value
    what = ("too large" if size >= LARGEST else "too small" if size < SMALLEST
            else f"more precise than {MAX_DIGITS} digits")
    errors.add(where[0], where[1], f"stats.{sid}.value: {quoted(raw)} is {what} to print",
               f"write the figure as the page should show it: at most {MAX_DIGITS} digits, "
               "from 0.000001 to 999999999999999 (put 万, 亿 or million in 'unit')")
    return None


def _optional_map(raw: Any, where: tuple[Path, int], key: str, errors: ErrorList) -> dict:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(yamlio.is_text(v) for v in raw.values()):
        errors.add(where[0], where[1],
                   f"{key}: expected a map of languages, like {{zh: 名, en: ''}}",
                   yamlio.QUOTE_HINT if isinstance(raw, dict) else
                   f"write {key.rsplit('.', 1)[-1]}: {{zh: ..., en: ...}}")
        return {}
    return {str(k): str(v) for k, v in raw.items()}


def _plain(texts: dict[str, str], where: tuple[Path, int], key: str,
           errors: ErrorList) -> dict[str, str]:
    """A data file's texts are shown as they are: a placeholder there would never render."""
    if any("{{" in t or "}}" in t for t in texts.values()):
        errors.add(where[0], where[1], f"{key}: a placeholder such as {{{{ stat ID }}}} cannot "
                   "be used in a data file", "write the text itself; placeholders work in "
                   "the sections and feature.yaml")
    return texts


def _stat_texts(raw: LineDict, path: Path, sid: str, langs: list[str], errors: ErrorList
                ) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """A statistic's label (every language), unit and note (optional)."""
    texts = []
    for key in ("label", "unit", "note"):
        at, name = (path, raw.line_of(key)), f"stats.{sid}.{key}"
        found = (localized(raw.get(key), at, name, langs, errors) if key == "label"
                 else _optional_map(raw.get(key), at, name, errors))
        texts.append(_plain(found, at, name, errors))
    return texts[0], texts[1], texts[2]


def _check_id(block: str, item_id: str, where: tuple[Path, int], errors: ErrorList) -> None:
    # Placeholders match only this rule, so an ID outside it could never be shown.
    if not ID_RE.match(item_id):
        errors.add(*where, f"{block}: {quoted(item_id)} is not a usable ID",
                   "use letters, digits and _ only, starting with a letter")


def _stat(sid: str, raw: Any, where: tuple[Path, int], langs: list[str], errors: ErrorList
          ) -> Stat | None:
    path, line = where
    _check_id("stats", sid, where, errors)
    if not isinstance(raw, LineDict):
        errors.add(path, line, f"stats.{sid}: expected value, label and optional "
                   "qualifier, unit, note")
        return None
    unknown_keys(raw, STAT_KEYS, path, errors)
    value = _value(raw.get("value"), (path, raw.line_of("value")), sid, errors)
    qualifier = raw.get("qualifier")
    if qualifier is not None and qualifier not in QUALIFIERS:
        errors.add(path, raw.line_of("qualifier"),
                   f"stats.{sid}.qualifier: unknown qualifier {quoted(qualifier)}"
                   f"{yamlio.did_you_mean(str(qualifier)[:101], set(QUALIFIERS))}",
                   f"use one of: {', '.join(QUALIFIERS)}")
    label, unit, note = _stat_texts(raw, path, sid, langs, errors)
    if value is None:
        return None
    return Stat(sid, value, label, qualifier, unit, note, line)


def _chart(cid: str, raw: Any, where: tuple[Path, int], stats: dict[str, Stat],
           langs: list[str], errors: ErrorList) -> Chart | None:
    path, line = where
    _check_id("charts", cid, where, errors)
    if not isinstance(raw, LineDict):
        errors.add(path, line, f"charts.{cid}: expected kind, title and stats")
        return None
    unknown_keys(raw, CHART_KEYS, path, errors)
    kind = raw.get("kind", "bar")
    if kind not in CHART_KINDS:
        errors.add(path, raw.line_of("kind"), f"charts.{cid}.kind: unknown kind {quoted(kind)}",
                   f"use one of: {', '.join(CHART_KINDS)}")
    at = (path, raw.line_of("title"))
    title = _plain(localized(raw.get("title"), at, f"charts.{cid}.title", langs, errors), at,
                   f"charts.{cid}.title", errors)
    ids = raw.get("stats")
    if not isinstance(ids, list) or not ids:
        errors.add(path, raw.line_of("stats"), f"charts.{cid}.stats: expected a list of stat IDs")
        return None
    for sid in ids:
        if sid not in stats:
            errors.add(path, raw.line_of("stats"), f"charts.{cid}.stats: unknown statistic "
                       f"{quoted(sid)}{yamlio.did_you_mean(str(sid)[:101], set(stats))}",
                       "list IDs defined under stats: in this file")
    return Chart(cid, cast(ChartKind, kind), title, tuple(str(s) for s in ids), line)


def read_stats(block: LineDict, path: Path, languages: list[str], errors: ErrorList,
               origin: Path | None = None) -> dict[str, Stat]:
    """Validate a `stats:` block (of a data file, or series-wide of site.yaml)."""
    stats: dict[str, Stat] = {}
    for sid, raw in block.items():
        stat = _stat(str(sid), raw, (path, block.line_of(sid)), languages, errors)
        if stat:
            stats[stat.id] = replace(stat, origin=origin)
    return stats


def with_shared(own: dict[str, Stat], shared: dict[str, Stat], path: Path) -> dict[str, Stat]:
    """A feature's statistics and the series-wide ones: its own ID wins, with a warning."""
    for sid in sorted(own.keys() & shared.keys()):
        theirs = shared[sid]
        log.warning("%s: statistic '%s' is also defined series-wide in %s; this feature uses "
                    "its own (rename one of them if they are different figures)",
                    where(path, own[sid].line), sid, where(theirs.origin or path, theirs.line))
    return {**shared, **own}


def load_data(path: Path, languages: list[str], shared: dict[str, Stat] | None = None
              ) -> DataFile:
    """Read and validate a feature's data file; a missing file means no statistics of its own.

    shared: the series-wide statistics of site.yaml, usable from the feature too.
    """
    if not path.is_file():
        return DataFile(path, dict(shared or {}), {})
    data = yamlio.load(path) or LineDict()
    if not isinstance(data, LineDict):
        raise ContentError(path, 1, "expected 'stats:' and 'charts:' at the top",
                           "start the file with a line 'stats:', as the README shows")
    errors = ErrorList()
    unknown_keys(data, {"stats", "charts"}, path, errors)
    block = sub_mapping(data, "stats", path, errors, "IDs, each with its fields")
    stats = with_shared(read_stats(block, path, languages, errors), shared or {}, path)
    charts: dict[str, Chart] = {}
    block = sub_mapping(data, "charts", path, errors, "IDs, each with its fields")
    for cid, raw in block.items():
        chart = _chart(str(cid), raw, (path, block.line_of(cid)), stats, languages, errors)
        if chart:
            charts[chart.id] = chart
    errors.raise_if_any()
    return DataFile(path, stats, charts)
