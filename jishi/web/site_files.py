"""The files beside the pages: sitemap.xml, robots.txt, 404.html and the root favicon.ico.

The data is computed here; the theme's templates (sitemap.xml, robots.txt, 404.html) write them.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
from pathlib import Path
from typing import Any

import jinja2

from ..model import Site
from .render import alternates, feature_path, html_lang, plan_pages, pretty_url, ui

log = logging.getLogger(__name__)

FAVICON = "favicon.svg"  # the icon every page links, in assets/ (a site's own overrides it)
FAVICON_ICO = "favicon.ico"  # copied to the root too: browsers ask for /favicon.ico by default
NO_BASE_URL = ("site.yaml has no base_url, so readers and search engines lose: sitemap.xml (not "
               "written), absolute hreflang and canonical links (they stay relative), and the "
               "picture of a shared link (a card needs an absolute image URL); set base_url: "
               "https://... to have them")


def sitemap(site: Site) -> list[dict[str, Any]]:
    """One entry per canonical page, with every language's version as an alternate."""
    if not site.config.base_url:
        return []
    entries = []
    for page in plan_pages(site):
        if page.path != page.canonical_path:
            continue  # a home page that shows the feature points search engines to its page
        entries.append({"loc": pretty_url(site.config, page.path),
                        "alternates": alternates(site, page)})
    return entries


def home_links(site: Site) -> list[dict[str, str]]:
    """Each language's home page, for the 404 page: absolute on base_url, else from '/'.

    The 404 page is served at whatever URL was asked for, so a relative link would point
    somewhere different every time; '/' is right when the site is at a host's root.
    """
    links = []
    for lang in site.config.languages:
        path = feature_path(site.config, lang, "").removesuffix("index.html")
        words = ui(lang)
        links.append({"lang": lang, "hreflang": html_lang(lang),
                      "href": pretty_url(site.config, path) or "/" + path,
                      "title": site.config.title[lang], "heading": words["not_found"],
                      "text": words["not_found_text"], "home": words["home"]})
    return links


def data_url(path: Path) -> str:
    """A small file as a data: URL, so the 404 page needs no other request."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def render(site: Site, env: jinja2.Environment, assets: dict[str, Path]) -> dict[str, bytes]:
    """sitemap.xml (with a base_url), robots.txt, 404.html and favicon.ico, by dist/ path."""
    config = site.config
    files: dict[str, bytes] = {}
    entries = sitemap(site)
    if entries:
        files["sitemap.xml"] = env.get_template("sitemap.xml").render(
            entries=entries).encode("utf-8")
    files["robots.txt"] = env.get_template("robots.txt").render(
        sitemap=pretty_url(config, "sitemap.xml")).encode("utf-8")
    icon = assets.get(FAVICON)
    files["404.html"] = env.get_template("404.html").render(
        html_lang=html_lang(config.languages[0]), links=home_links(site),
        favicon=data_url(icon) if icon else None).encode("utf-8")
    if FAVICON_ICO in assets:
        files[FAVICON_ICO] = assets[FAVICON_ICO].read_bytes()
    return files
