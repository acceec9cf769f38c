"""Find figures typed by hand in prose: they belong in data/ and in the text as {{ stat ID }}.

Only Arabic digits are read (Chinese numerals such as 三年来 and English number words are
prose). A number is reported when it equals a statistic's value (naming the statistic) or
looks like a statistic: 10 or more, a decimal, or a percentage. These are not reported:
- years: 2016年, 2016—2019年, and in English a four-digit year after a month or a word such
  as in/since/by ("in 2016", "August 2019") or before "s" (1990s); any other four-digit number
  from 1800 to 2100 counts as a year unless it equals a statistic's value;
- dates and times: 8月, 3个月, 20日, 5号, "August 8", "8 August", 8:30;
- ordinals: 12th, 1st, 第12届;
- names: numbers inside quotation marks or book-title marks (“3+1”活动, 《…》, "…"),
  and numbers joined to a letter (G20, 5G, COVID-19);
- small counts: whole numbers under 10 (3个执委帮扶1个家庭) unless they equal a statistic;
- code, links, footnote labels, list numbers and {{ placeholders }}.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..model import Stat

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
          "jul", "aug", "sep", "sept", "oct", "nov", "dec")
YEAR_WORDS = set(MONTHS) | {"in", "since", "from", "by", "until", "till", "to", "of", "before",
                            "after", "during", "between", "and", "or", "for", "early", "late",
                            "mid", "around", "spring", "summer", "autumn", "fall", "winter",
                            "year", "–", "-", "—"}
OPEN_QUOTES, CLOSE_QUOTES = "“《「『〈", "”》」』〉"
FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
NUMBER_RE = re.compile(r"(?<![A-Za-z0-9_.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
MASKS = (
    re.compile(r"\{\{.*?\}\}"),  # placeholders
    re.compile(r"\]\([^)]*\)"),  # link and image targets
    re.compile(r"\[\^[^\]]*\]:?"),  # footnote labels
    re.compile(r"<[^>]+>"),  # HTML tags
    re.compile(r"\{[:#.][^}]*\}"),  # attribute lists
    re.compile(r"^\s*\d+[.)]\s"),  # ordered-list numbers
    re.compile(r"\b(?:https?|mailto|ftp):\S+"),  # bare URLs
)
MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000)}


@dataclass(frozen=True)
class HandNumber:
    """A figure typed by hand: where, what, and the statistics it equals."""

    line: int
    text: str
    value: Decimal
    equals: tuple[str, ...]


def mask(line: str) -> str:
    """Blank out what is not prose, keeping every other character where it was."""
    for pattern in MASKS:
        line = pattern.sub(lambda m: " " * len(m.group(0)), line)
    return line.translate(FULL_WIDTH)


def prose_lines(text: str, first_line: int) -> Iterator[tuple[int, str]]:
    """Each line of Markdown that is prose, masked, with its line number.

    text comes with its code spans and fenced code already blanked out (jishi.text.syntax's scan);
    an indented line is taken for code too.
    """
    for offset, raw in enumerate(text.split("\n")):
        if not raw.startswith(("    ", "\t")):
            yield first_line + offset, mask(raw)


def _inside_quotes(before: str) -> bool:
    depth = sum(before.count(c) for c in OPEN_QUOTES) - sum(before.count(c) for c in CLOSE_QUOTES)
    return depth > 0 or before.count('"') % 2 == 1


def _word_before(before: str) -> str:
    words = re.findall(r"[A-Za-z]+|[–—-]", before[-16:])
    return words[-1].lower() if words else ""


def _is_date(value: Decimal, before: str, after: str) -> bool:
    after = after.lstrip()
    whole = value == value.to_integral_value()
    if whole and 1 <= value <= 12 and re.match(r"个?月", after):
        return True
    if whole and 1 <= value <= 31 and (
        after[:1] in ("日", "号") or _word_before(before) in MONTHS
        or re.match(r"(?i)(" + "|".join(MONTHS) + r")\b", after)
    ):
        return True
    return bool(re.match(r":\d\d", after)) or before.endswith(":")


def _is_year(raw: str, before: str, after: str) -> bool | None:
    """True for a year, None for 'probably a year', False otherwise."""
    stripped = after.lstrip()
    if re.match(r"年|[-–—~至到]\s*\d{4}\s*年", stripped):
        return True
    if not re.fullmatch(r"\d{4}", raw):
        return False
    if after.startswith("s") or _word_before(before) in YEAR_WORDS:
        return True
    return None if 1800 <= int(raw) <= 2100 and not stripped.startswith("%") else False


def _is_name_or_ordinal(before: str, after: str) -> bool:
    if re.match(r"(st|nd|rd|th)(?![A-Za-z])", after) or before.endswith("第"):
        return True
    if re.search(r"[A-Za-z][-]?$", before) or re.match(r"[A-Z]", after):
        return True
    return _inside_quotes(before)


def scan_line(line: str, number: int, stats: dict[str, Stat]) -> Iterator[HandNumber]:
    """Every hand-typed figure on one masked line that check should report."""
    for m in NUMBER_RE.finditer(line):
        before, after = line[:m.start()], line[m.end():]
        value = Decimal(m.group(0).replace(",", ""))
        unit = after.lstrip()[:1]
        if unit in MULTIPLIERS:
            value *= MULTIPLIERS[unit]
        if _is_name_or_ordinal(before, after) or _is_date(value, before, after):
            continue
        equals = tuple(sid for sid, stat in stats.items() if stat.value == value)
        year = _is_year(m.group(1), before, after) if not m.group(2) else False
        if year or (year is None and not equals):
            continue
        if equals or _looks_like_statistic(value, after):
            yield HandNumber(number, m.group(0), value, equals)


def _looks_like_statistic(value: Decimal, after: str) -> bool:
    return value >= 10 or value != value.to_integral_value() or after.lstrip().startswith("%")


def scan(text: str, first_line: int, stats: dict[str, Stat]) -> list[HandNumber]:
    """Every hand-typed figure of a Markdown text starting at first_line."""
    return [hit for number, line in prose_lines(text, first_line)
            for hit in scan_line(line, number, stats)]
