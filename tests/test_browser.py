"""The Yiyang pages in a real headless Chromium: phone layout, and switching language in place."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import Browser

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dist(yiyang_web: Path) -> Path:
    return yiyang_web


@pytest.fixture
def phone() -> Iterator[Browser]:
    browser = Browser(390, 844)
    yield browser
    browser.close()


@pytest.mark.parametrize("rel", ["yiyang/index.html", "en/yiyang/index.html"])
def test_phone_layout_fits_and_reads_well(dist: Path, phone: Browser, rel: str) -> None:
    phone.goto((dist / rel).as_uri())
    assert phone.eval("document.documentElement.scrollWidth") <= phone.eval("innerWidth")
    size = phone.eval("parseFloat(getComputedStyle(document.querySelector('.prose p')).fontSize)")
    assert size >= 16
    lead_height = phone.eval("document.querySelector('.headline').getBoundingClientRect().height")
    assert lead_height > 0


def test_switching_language_keeps_the_readers_place(dist: Path, phone: Browser) -> None:
    phone.goto((dist / "yiyang/index.html").as_uri())
    phone.eval("document.getElementById('happy-families').scrollIntoView()")
    phone.click(".lang-switch a[hreflang=en]")
    phone.wait_for("location.pathname.endsWith('/en/yiyang/index.html')")
    assert phone.eval("location.hash") == "#happy-families"
    assert phone.eval("document.documentElement.lang") == "en"


def test_without_javascript_the_section_link_keeps_the_place(dist: Path, phone: Browser) -> None:
    phone.disable_javascript()
    phone.goto((dist / "en/yiyang/index.html").as_uri())
    phone.click("#family-education .lang-jump")
    phone.wait_for("location.pathname.endsWith('/yiyang/index.html') && "
                   "!location.pathname.includes('/en/')")
    assert phone.eval("location.hash") == "#family-education"
    top = phone.eval("document.getElementById('family-education').getBoundingClientRect().top")
    bar = phone.eval("document.querySelector('.site-bar').getBoundingClientRect().bottom")
    assert bar <= top < bar + 60  # the section starts just below the bar, not hidden under it
