"""Feature pages kept between builds, keyed by hashes of everything they are made from.

A page is taken from the cache only when the hash of its inputs is the one it was made from:
the page itself as read (its feature's every section, front matter and data), every feature's
masthead (series pages show their neighbours), the site settings, the photo plan (which holds
each photo's content hash), the PDF links and font subsets, the templates and assets, and
jishi's own code and libraries. Never file times. Each entry carries a checksum of its HTML:
an entry that is truncated, corrupt or from another version is ignored and the page rendered
again, so deleting or damaging `.cache/pages/` is always safe.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import output
from ..model import Site
from . import parallel
from .render import THEME, Page

log = logging.getLogger(__name__)

FORMAT = b"jishi-page-cache 1\n"
CODE = Path(__file__).resolve().parents[1]  # all of jishi


def _hash_tree(digest: hashlib._Hash, root: Path, pattern: str = "*") -> None:
    """Feed every file under root (its relative name and bytes) into digest, in a fixed order."""
    if not root.is_dir():
        return
    for path in sorted(p for p in root.rglob(pattern) if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


@functools.cache
def code_fingerprint() -> bytes:
    """jishi's code, the default theme and the libraries that shape a page."""
    import jinja2
    import markdown

    # nh3 cleans raw HTML and markupsafe escapes: an upgrade of either changes pages too.
    libraries = [importlib.metadata.version(name) for name in ("nh3", "markupsafe")]
    digest = hashlib.sha256(f"{sys.version}|{markdown.__version__}|{jinja2.__version__}|"
                            f"{'|'.join(libraries)}".encode())
    _hash_tree(digest, CODE, "*.py")
    _hash_tree(digest, THEME / "templates")
    _hash_tree(digest, THEME / "assets")
    return digest.digest()


def site_fingerprint(site: Site, inputs: object) -> bytes:
    """Everything a feature page may show besides its own feature's sections.

    inputs holds what the build planned before rendering (photos, PDF links, font subsets):
    its repr is made of content hashes and names, never of times.
    """
    digest = hashlib.sha256(FORMAT + code_fingerprint())
    source = site.config.source
    _hash_tree(digest, source / "templates")
    _hash_tree(digest, source / "assets")
    digest.update(repr(dataclasses.replace(site, features=[])).encode())  # settings and all
    for feature in site.features:  # mastheads, dates, order, data: all but the sections
        digest.update(repr(dataclasses.replace(feature, sections=[])).encode())
    digest.update(repr(inputs).encode())
    return digest.digest()


class PageCache:
    """Rendered feature pages in a folder, one file per page, each checked when read."""

    def __init__(self, folder: Path, site_key: bytes) -> None:
        self.folder = folder
        self.site_key = site_key
        self.features: dict[str, bytes] = {}  # slug -> hash of the feature as read

    def key(self, page: Page) -> bytes:
        """The hash of a page's inputs: the site's, the page as planned, its whole feature."""
        assert page.feature is not None  # noqa: S101 - a home page listing features is never cached
        slug = page.feature.slug
        if slug not in self.features:  # each feature has a page per language: hash it once
            self.features[slug] = hashlib.sha256(repr(page.feature).encode()).digest()
        plan = repr(dataclasses.replace(page, feature=None)).encode()
        return hashlib.sha256(self.site_key + self.features[slug] + plan).hexdigest().encode()

    def _file(self, page: Page) -> Path:
        return self.folder / (hashlib.sha256(page.path.encode()).hexdigest()[:32] + ".page")

    def get(self, page: Page, key: bytes) -> str | None:
        """The page's HTML when an intact entry was made from the same inputs, else None."""
        try:
            raw = self._file(page).read_bytes()
        except OSError:
            return None
        head, _, html = raw.partition(b"\n\n")
        if head != FORMAT + key + b"\n" + hashlib.sha256(html).hexdigest().encode():
            return None  # another version, other inputs, or a damaged entry: render again
        try:
            return html.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def put(self, page: Page, key: bytes, html: str) -> None:
        """Store a page; a cache that cannot be written only costs the next build time."""
        data = html.encode("utf-8")
        entry = FORMAT + key + b"\n" + hashlib.sha256(data).hexdigest().encode() + b"\n\n" + data
        try:
            output.replace_file(self._file(page), entry)
        except OSError as exc:
            log.warning("page cache not written (%s); the next build renders the page again",
                        exc)


def split(cache: PageCache, pages: Sequence[Page]
          ) -> tuple[dict[str, str], list[Page], dict[str, bytes]]:
    """Pages found in the cache (path → HTML), the pages to render, and every page's key."""
    found: dict[str, str] = {}
    missing: list[Page] = []
    keys: dict[str, bytes] = {}
    for page in pages:
        if page.feature is None:  # a series home lists every feature: always rendered
            missing.append(page)
            continue
        keys[page.path] = cache.key(page)
        html = cache.get(page, keys[page.path])
        if html is None:
            missing.append(page)
        else:
            found[page.path] = html
    return found, missing, keys


def render_cached(folder: Path, site: Site, inputs: object, pages: Sequence[Page],
                  render: parallel.Render) -> dict[str, str]:
    """Every page: unchanged feature pages from the cache, the rest rendered (and stored)."""
    cache = PageCache(folder, site_fingerprint(site, inputs))
    found, missing, keys = split(cache, pages)
    made = parallel.render_all(render, missing)
    for page in missing:
        if page.path in keys:
            cache.put(page, keys[page.path], made[page.path])
    log.info("pages: %d (%d rendered, %d from the cache)", len(pages), len(missing), len(found))
    return {page.path: found[page.path] if page.path in found else made[page.path]
            for page in pages}
