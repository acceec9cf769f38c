"""jishi.checking.numbers: which figures typed in prose check reports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jishi.checking import numbers
from jishi.model import Stat

STATS = {"lectures": Stat("lectures", Decimal(2600), {"zh": "讲座", "en": "lectures"}),
         "share": Stat("share", Decimal("3.5"), {"zh": "占比", "en": "share"})}


def found(line: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(h.text, h.equals) for h in numbers.scan_line(numbers.mask(line), 7, STATS)]


def test_mask_blanks_links_placeholders_and_tags_in_place() -> None:
    line = "a {{ stat lectures }} [l](http://e.org/1234) <b id=9>b</b> [^12] c"
    masked = numbers.mask(line)
    assert len(masked) == len(line)
    assert not any(ch.isdigit() for ch in masked)
    assert masked.startswith("a ") and masked.endswith(" c")


def test_mask_reads_full_width_digits() -> None:
    assert numbers.mask("２６００场") == "2600场"


def test_prose_lines_skip_indented_code_and_count_lines() -> None:
    # Fenced code and code spans arrive blanked by the section's scan (jishi.text.syntax).
    text = "first 12\n    indented 77\n\tcode 5\nlast 13"
    assert list(numbers.prose_lines(text, 10)) == [(10, "first 12"), (13, "last 13")]


@pytest.mark.parametrize(("line", "hits"), [
    ("举办讲座2600场", [("2600", ("lectures",))]),
    ("nearly 2,600 lectures", [("2,600", ("lectures",))]),
    ("占3.5%", [("3.5", ("share",))]),
    ("共有12375名", [("12375", ())]),
    ("1.3万人", [("1.3", ())]),
    ("2016年来", []),
    ("since 2016", []),
    ("8月20日", []),
    ("the 12th meeting", []),
    ("G20 and 5G", []),
    ("“3+1”活动", []),
    ("3个执委帮扶1个家庭", []),
    ("at 8:30", []),
])
def test_scan_line(line: str, hits: list[tuple[str, tuple[str, ...]]]) -> None:
    assert found(line) == hits


def test_scan_gives_the_line_of_each_figure() -> None:
    hits = numbers.scan("导语\n\n举办讲座2600场\n", 4, STATS)
    assert [(h.line, h.value, h.equals) for h in hits] == [(6, Decimal(2600), ("lectures",))]


def test_scan_line_numbers_its_hits() -> None:
    assert [h.line for h in numbers.scan_line("12375名", 7, STATS)] == [7]
