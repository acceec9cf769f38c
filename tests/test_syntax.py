"""jishi.text.syntax: one scan of a section tells every stage what it refers to, and where."""

from __future__ import annotations

import re

from jishi.text.syntax import (
    ID_RE,
    Block,
    Link,
    LooseImage,
    Photo,
    Placeholder,
    block_kind,
    code_regions,
    figure_match,
    mask,
    placeholder_pattern,
    scan_body,
    scan_text,
    scan_version,
)


def test_an_id_is_a_letter_then_letters_digits_or_underscores() -> None:
    assert all(ID_RE.match(i) for i in ("members", "a", "A_1", "talks2019"))
    assert not any(ID_RE.match(i) for i in ("1st", "my-chart", "a.b", "_x", ""))


def test_placeholder_pattern_matches_one_kind_with_the_id_rule() -> None:
    stat = re.compile(placeholder_pattern("stat"))
    assert stat.search("We had {{  stat members }} then")["id"] == "members"  # type: ignore[index]
    assert stat.search("{{ stat my-id }}") is None
    line = re.compile(placeholder_pattern("callout", whole_line=True))
    assert line.match("{{ callout x }}") and not line.match("see {{ callout x }}")


def test_a_plain_text_has_placeholders_and_strays_but_no_markdown() -> None:
    scan = scan_text("`{{ stat members }}` and {{stat}}\n{{ chart talks }}", 7)
    assert scan.placeholders == (Placeholder("stat", "members", 7, False),
                                 Placeholder("chart", "talks", 8, True))
    assert scan.strays == (7,)
    assert scan.photos == scan.links == ()


def test_a_body_scan_gives_each_reference_its_line() -> None:
    body = ("There are {{ stat members }} [members](#first).\n\n{{ callout members }}\n\n"
            '![A hall](images/hall.jpg "The hall")\n\n- ![In a list](images/l.jpg)\n')
    scan = scan_body(body, 4)
    assert scan.placeholders == (Placeholder("stat", "members", 4, False),
                                 Placeholder("callout", "members", 6, True))
    assert scan.links == (Link("#first", 4),)
    assert scan.photos == (Photo("images/hall.jpg", "A hall", "The hall", 8),
                           Photo("images/l.jpg", "In a list", None, 10))
    assert scan.strays == () and scan.loose_images == ()


def test_code_spans_are_literal() -> None:
    scan = scan_body("Write `{{ stat ID }}` or ``a ` {{ x }}`` and `[l](#x)` `![p](p.jpg)`.", 1)
    assert scan.placeholders == scan.strays == scan.links == scan.loose_images == ()


def test_a_code_span_may_run_over_two_lines_of_a_paragraph() -> None:
    scan = scan_body("Write `{{ stat\nID }}` here.\n\nThen {{ stat members }}.", 1)
    assert scan.strays == ()
    assert scan.placeholders == (Placeholder("stat", "members", 4, False),)


def test_an_unclosed_backtick_hides_nothing() -> None:
    assert scan_body("A ` tick then {{ stat members }}.", 1).placeholders == (
        Placeholder("stat", "members", 1, False),)


def test_fenced_code_is_literal_and_one_block() -> None:
    body = "Before.\n\n```\n{{ callout x }}\n\n![p](p.jpg)\n```\n\n~~~python\n{{ oops\n~~~\n"
    scan = scan_body(body, 10)
    assert scan.placeholders == scan.strays == scan.photos == ()
    assert scan.blocks == (Block(10, "text"), Block(12, "text"), Block(18, "text"))


def test_an_unclosed_fence_is_no_fence() -> None:
    scan = scan_body("```\n{{ stat members }}\n", 1)
    assert scan.placeholders == (Placeholder("stat", "members", 2, True),)


def test_images_that_are_no_figure() -> None:
    scan = scan_body("Text ![a](a.jpg) here.\n\n![b](images/IMG 01.jpg)\n", 3)
    assert scan.loose_images == (LooseImage(3, starts_line=False), LooseImage(5, starts_line=True))
    assert scan.photos == ()


def test_blocks_leave_out_notes_and_comments() -> None:
    body = ("# Heading\n\nText[^1].\n\n{{ chart talks }}\n\n![p](p.jpg)\n\n"
            "[^1]: A note.\n\n<!-- an editor's comment -->\n")
    assert [b.kind for b in scan_body(body, 1).blocks] == [
        "heading", "text", "chart", "photo"]


def test_block_kind() -> None:
    assert block_kind(["{{ callout members }}"]) == "callout"
    assert block_kind(["{{ stat members }}"]) == "text"
    assert block_kind(["![a](b.jpg)"]) == "photo"
    assert block_kind(["[^n]: note"]) == "note"


def test_figure_match_looks_through_list_and_quote_markers() -> None:
    m = figure_match('> 1. ![alt](images/a.jpg "cap")')
    assert m and (m["src"], m["alt"], m["title"]) == ("images/a.jpg", "alt", "cap")
    assert figure_match("see ![alt](images/a.jpg)") is None


def test_mask_keeps_lines_and_offsets() -> None:
    text = "ab `c`\nd"
    assert mask(text, code_regions(text, [])) == "ab    \nd"


def test_a_version_scan_reads_titles_at_their_front_matter_lines() -> None:
    scan = scan_version("T {{ stat a }}", None, "{{ stat b }}", {"title": 2}, 5)
    assert [(p.id, p.line) for p in scan.placeholders()] == [("a", 2), ("b", 5)]
