"""jishi.checking.translation: what a translation was made from, and when it has gone stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from jishi.checking.translation import is_stale, source_file, source_hash, with_key
from jishi.errors import ContentError, UsageError
from jishi.model import SectionVersion
from jishi.text.syntax import scan_version


def version(body: str, *, title: str | None = "标题", meta: dict | None = None) -> SectionVersion:
    """A section version as the reader makes one."""
    return SectionVersion(Path("content/demo/01-a.zh.md"), "zh", title, None, body, 5,
                          meta or {}, scan=scan_version(title, None, body, {}, 5))


def test_the_hash_covers_title_and_body_but_not_trailing_spaces() -> None:
    base = source_hash(version("正文。\n"))
    assert len(base) == 12
    assert source_hash(version("正文。   \n\n")) == base  # trailing white space is no change
    assert source_hash(version("正文改了。\n")) != base
    assert source_hash(version("正文。\n", title="新标题")) != base


def test_a_translation_is_stale_only_when_its_recorded_hash_differs() -> None:
    source = version("正文。\n")
    assert not is_stale(source, version("Text.\n", meta={}))  # never marked: no claim made
    assert not is_stale(source, version("Text.\n", meta={"translated_from": source_hash(source)}))
    assert is_stale(source, version("Text.\n", meta={"translated_from": "000000000000"}))


def test_the_source_of_a_translation_is_the_default_languages_file() -> None:
    path = Path("content/demo/02-second-part.en.md")
    assert source_file(path, ["zh", "en"]) == Path("content/demo/02-second-part.zh.md")


@pytest.mark.parametrize(("name", "words"), [
    ("02-second.zh.md", "is the source"),
    ("02-second.fr.md", "not one of the site's languages"),
    ("notes.md", "not a section file"),
])
def test_only_a_translation_has_a_source(name: str, words: str) -> None:
    with pytest.raises(UsageError, match=words):
        source_file(Path("content/demo") / name, ["zh", "en"])


def test_marking_changes_one_line_and_keeps_the_rest() -> None:
    text = "---\ntitle: Part\r\n---\nBody.\n"
    marked = with_key(text, "abc123abc123", Path("x.en.md"))
    # added as the front matter's last line, with the file's own line ending
    assert marked == "---\ntitle: Part\r\ntranslated_from: abc123abc123\n---\nBody.\n"
    again = with_key(marked, "def456def456", Path("x.en.md"))
    assert again == marked.replace("abc123abc123", "def456def456")


def test_marking_a_file_without_front_matter_is_an_error() -> None:
    with pytest.raises(ContentError, match="does not start with front matter"):
        with_key("Body only.\n", "abc", Path("x.en.md"))
