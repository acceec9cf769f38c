"""How a statistic reads in each language, for every qualifier."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jishi.model import Stat
from jishi.stats import format_stat


def stat(value: str, qualifier: str | None = None, zh: str = "", en: str = "") -> Stat:
    return Stat("x", Decimal(value), {"zh": "标签", "en": "label"}, qualifier,
                {"zh": zh, "en": en})


@pytest.mark.parametrize(("value", "qualifier", "unit", "zh"), [
    ("23162", None, "名", "23162名"),
    ("2600", "nearly", "场次", "近2600场次"),
    ("2600", "about", "场次", "约2600场次"),
    ("600", "more_than", "期", "600多期"),
    ("300", "over", "场", "300余场"),
    ("10000", "more_than", "人次", "10000多人次"),
    ("12375", None, "", "12375"),
    ("3.5", None, "%", "3.5%"),
])
def test_chinese(value: str, qualifier: str | None, unit: str, zh: str) -> None:
    assert format_stat(stat(value, qualifier, zh=unit), "zh") == zh


@pytest.mark.parametrize(("value", "qualifier", "unit", "en"), [
    ("23162", None, "", "23,162"),
    ("2600", "nearly", "", "nearly 2,600"),
    ("2600", "about", "", "about 2,600"),
    ("600", "more_than", "", "more than 600"),
    ("300", "over", "", "over 300"),
    ("1400", "more_than", "villages", "more than 1,400 villages"),
    ("12375", None, "cases", "12,375 cases"),
    ("1234567.25", None, "", "1,234,567.25"),
    ("3.5", None, "%", "3.5%"),
])
def test_english(value: str, qualifier: str | None, unit: str, en: str) -> None:
    assert format_stat(stat(value, qualifier, en=unit), "en") == en


def test_no_thousands_separator_in_chinese_even_for_millions() -> None:
    assert format_stat(stat("1234567", "nearly", zh="人"), "zh") == "近1234567人"
