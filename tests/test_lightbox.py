"""Photos open full size on click, tap or key, in a <dialog>; without JavaScript, as a link."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import Browser
from conftest import TinySite
from PIL import Image

OPEN = "document.querySelector('dialog.lightbox') && document.querySelector('dialog.lightbox').open"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny site with one real photo, built without the PDF."""
    site = TinySite(tmp_path_factory.mktemp("lightbox") / "site")
    path = site.root / "content/demo/images/missing.jpg"
    path.parent.mkdir(parents=True)
    Image.new("RGB", (2000, 1200), (40, 110, 170)).save(path)
    assert site.run("build", "--no-pdf").code == 0
    return site.root / "dist/en/demo/index.html"


@pytest.fixture
def browser() -> Iterator[Browser]:
    opened = Browser(1280, 900)
    yield opened
    opened.close()


def _largest(page: Path, browser: Browser) -> str:
    href = browser.eval("document.querySelector('a.photo-open').getAttribute('href')")
    assert (page.parent / href).is_file()
    return href.rsplit("/", 1)[-1]


def test_a_click_opens_the_photo_full_size_and_escape_closes_it(page: Path,
                                                                browser: Browser) -> None:
    browser.goto(page.as_uri())
    name = _largest(page, browser)
    assert "1600" in name and name.endswith(".jpg")  # the largest width the build made
    browser.click("a.photo-open")
    browser.wait_for(OPEN)
    assert browser.eval("document.querySelector('dialog.lightbox img').src").endswith(name)
    assert browser.eval("document.querySelector('dialog.lightbox img').alt") == "A photo"
    assert browser.eval("location.href") == page.as_uri()  # the page stayed
    browser.press("Escape")
    browser.wait_for(f"!({OPEN})")
    assert browser.eval("document.activeElement.className") == "photo-open"


@pytest.mark.parametrize("key", ["Enter", " "])
def test_the_keyboard_opens_it_too(page: Path, browser: Browser, key: str) -> None:
    browser.goto(page.as_uri())
    browser.eval("document.querySelector('a.photo-open').focus()")
    browser.press(key)
    browser.wait_for(OPEN)
    browser.click(".lightbox-close")
    browser.wait_for(f"!({OPEN})")


def test_without_javascript_the_photo_is_a_link_to_the_file(page: Path, browser: Browser) -> None:
    browser.disable_javascript()
    browser.goto(page.as_uri())
    name = _largest(page, browser)
    browser.click("a.photo-open")
    browser.wait_for(f"location.href.endsWith({name!r})")
