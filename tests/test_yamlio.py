"""jishi.yamlio: YAML with the line of every key, and the limits that keep a hostile file small."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jishi import yamlio
from jishi.errors import ContentError

P = Path("data/x.yaml")


def error_of(text: str, first_line: int = 1) -> ContentError:
    with pytest.raises(ContentError) as info:
        yamlio.parse(text, P, first_line)
    return info.value


def test_mappings_know_the_line_of_each_key() -> None:
    data = yamlio.parse("a: 1\n\nb:\n  c: 2\n", P)
    assert isinstance(data, yamlio.LineDict)
    assert (data.line_of("a"), data.line_of("b"), data["b"].line_of("c")) == (1, 3, 4)
    assert data.line_of("missing") == data.line == 1


def test_first_line_shifts_error_lines() -> None:
    assert error_of("a: [1\n", first_line=5).line == 6


def test_dates_and_impossible_dates() -> None:
    assert yamlio.parse("d: 2019-11-20", P)["d"] == dt.date(2019, 11, 20)
    assert "not a real date" in error_of("d: 2019-13-45").message


def test_duplicate_and_structured_keys_are_errors() -> None:
    assert "appears twice" in error_of("a: 1\na: 2\n").message
    assert error_of("a: 1\na: 2\n").line == 2
    assert "not a plain value" in error_of("? [1, 2]\n: x\n").message


def test_integer_beyond_pythons_digit_limit_is_an_error() -> None:
    assert "not a usable number" in error_of("v: " + "7" * 5000).message


def test_a_tab_in_the_indentation_gets_its_own_hint() -> None:
    assert "tabs" in error_of("a:\n\tb: 1\n").hint


def test_nesting_beyond_the_limit_is_refused_at_its_line() -> None:
    deep = "a:\n  b: " + "[" * (yamlio.MAX_DEPTH + 1) + "]" * (yamlio.MAX_DEPTH + 1) + "\n"
    err = error_of(deep)
    assert "nested more than" in err.message and err.line == 2
    ok = "a: " + "[" * (yamlio.MAX_DEPTH - 2) + "]" * (yamlio.MAX_DEPTH - 2)
    assert yamlio.parse(ok, P)["a"] is not None


def test_aliases_may_repeat_a_value_but_not_explode() -> None:
    data = yamlio.parse("u: &u {zh: 名, en: ''}\na: *u\nb: *u\n", P)
    assert data["a"] == data["b"] == {"zh": "名", "en": ""}
    lines = ["x0: &a0 [a, a, a, a, a, a, a, a, a, a]"]
    lines += [f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 7)]
    err = error_of("\n".join(lines))
    assert "expand to more than" in err.message and err.line == 5  # x4 holds 111,111 values


def test_decode_takes_utf8_with_or_without_bom() -> None:
    assert yamlio.decode(P, "\ufeff标题".encode()) == "标题"
    assert yamlio.decode(P, b"a\tb\r\n") == "a\tb\r\n"


def test_decode_names_the_line_of_a_bad_byte() -> None:
    with pytest.raises(ContentError) as info:
        yamlio.decode(P, b"ok\nok\n\xff\n")
    assert info.value.line == 3 and "not UTF-8" in info.value.message


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x9b", "\ufffe"])
def test_decode_refuses_control_characters_with_line_and_column(char: str) -> None:
    with pytest.raises(ContentError) as info:
        yamlio.decode(P, f"one\ntw{char}o\n".encode())
    assert (info.value.line, info.value.hint != "") == (2, True)
    assert f"U+{ord(char):04X}" in info.value.message and "column 3" in info.value.message


def test_read_text_and_load(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("title: 标题\n", encoding="utf-8")
    assert yamlio.read_text(path) == "title: 标题\n"
    assert yamlio.load(path) == {"title": "标题"}


@pytest.mark.parametrize(("value", "text"), [
    ("x", True), (3, True), (2.5, True), (True, False), (None, False), ([1], False)])
def test_is_text(value: object, text: bool) -> None:
    assert yamlio.is_text(value) is text


def test_did_you_mean() -> None:
    assert yamlio.did_you_mean("membres", {"members", "lectures"}) == " (did you mean 'members'?)"
    assert yamlio.did_you_mean("zzz", {"members"}) == ""
    assert yamlio.did_you_mean("m" * 1000, {"members"}) == ""
