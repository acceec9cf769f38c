"""Reading time in the masthead, counted per script."""

from __future__ import annotations

from conftest import TinySite

from jishi.web import reading


def test_chinese_characters_and_english_words_are_counted_apart() -> None:
    assert reading.minutes("字" * reading.HAN_PER_MINUTE) == 1
    assert reading.minutes("字" * (reading.HAN_PER_MINUTE + 1)) == 2
    assert reading.minutes("word " * reading.WORDS_PER_MINUTE * 3) == 3
    # Both scripts on one page: the times add up.
    mixed = "字" * reading.HAN_PER_MINUTE * 2 + " word" * reading.WORDS_PER_MINUTE * 2
    assert reading.minutes(mixed) == 4
    assert reading.minutes("") == 1


def test_a_drawing_is_not_read_twice() -> None:
    assert reading.text_of("<p>一二</p><svg><text>三四</text></svg><p>five</p>") == "一二 five"


def test_the_masthead_says_how_long_each_page_takes(site: TinySite) -> None:
    site.write("content/demo/03-long.zh.md", "---\ntitle: 长\n---\n" + "字" * 600 + "\n")
    site.write("content/demo/03-long.en.md", "---\ntitle: Long\n---\n" + "word " * 500 + "\n")
    assert site.run("build", "--no-pdf").code == 0
    assert '<p class="reading-time">阅读约3分钟</p>' in site.read("demo/index.html")
    assert '<p class="reading-time">3-minute read</p>' in site.read("en/demo/index.html")
