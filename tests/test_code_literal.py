"""Code is literal everywhere: what a page shows as code, the build and `check` leave alone."""

from __future__ import annotations

from conftest import TinySite

SECTION = "content/demo/02-second.en.md"


def test_a_placeholder_in_a_code_span_is_shown_as_written(site: TinySite) -> None:
    site.write(SECTION, "---\ntitle: Part two\n---\n"
                        "Write `{{ stat ID }}` to show a figure, `{{ callout ID }}` "
                        "for a callout.\n")
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    page = site.read("en/demo/index.html")
    assert "<code>{{ stat ID }}</code> to show a figure" in page
    assert "<code>{{ callout ID }}</code>" in page


def test_fenced_code_is_shown_as_written(site: TinySite) -> None:
    site.write(SECTION, "---\ntitle: Part two\n---\nHow to write them:\n\n"
                        "```\n{{ callout nothing }}\n\n![a photo](images/none.jpg)\n"
                        "{{ stat ID }} and {{ oops\n```\n\nThat is all.\n")
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    page = site.read("en/demo/index.html")
    assert "<pre><code>{{ callout nothing }}\n\n![a photo](images/none.jpg)\n" \
           "{{ stat ID }} and {{ oops\n</code></pre>" in page


def test_check_reads_no_photo_or_link_inside_code(site: TinySite) -> None:
    site.write(SECTION, "---\ntitle: Part two\n---\n"
                        "Link as `[text](#nowhere)`, a photo as `![alt](images/gone.jpg)`.\n\n"
                        "```\n![](images/also-gone.jpg)\n```\n\n"
                        "And [a real one](#missing-anchor).\n")
    result = site.run("check", "--strict")
    assert "missing-anchor" in result.out and result.code == 1  # links outside code are read
    assert "nowhere" not in result.err + result.out
    assert "gone.jpg" not in result.err + result.out
