"""Crawl a served site from its home page, as a reader's browser would fetch it.

Every same-site link, photo (src and srcset), stylesheet, script, icon, font (url() in the
stylesheets) and PDF is fetched once; each answer is kept with its status and Content-Type.
One crawler for every server the tests start (nginx, `serve`).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

# The Content-Type a path's ending must be served with (the first word, before any ;).
EXPECTED = {
    "/": {"text/html"}, ".html": {"text/html"}, ".css": {"text/css"},
    ".js": {"text/javascript", "application/javascript"}, ".woff2": {"font/woff2"},
    ".jpg": {"image/jpeg"}, ".png": {"image/png"}, ".webp": {"image/webp"},
    ".avif": {"image/avif"}, ".svg": {"image/svg+xml"}, ".pdf": {"application/pdf"},
    ".ico": {"image/x-icon", "image/vnd.microsoft.icon"}, ".txt": {"text/plain"},
    ".xml": {"application/xml", "text/xml"}, ".webmanifest": {"application/manifest+json"},
}
CSS_URL_RE = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
LINK_ATTRS = {"href", "src", "poster"}


@dataclass(frozen=True)
class Answer:
    """What the server answered for one URL."""

    url: str
    status: int
    content_type: str
    body: bytes

    def kind(self) -> str:
        """The path's ending that decides its expected type ('/' for a folder)."""
        path = urlsplit(self.url).path
        if path.endswith("/"):
            return "/"
        name = path.rsplit("/", 1)[-1]
        return "." + name.rsplit(".", 1)[-1] if "." in name else ""

    def type_ok(self) -> bool:
        """Whether the Content-Type is the one a browser needs for this kind of file."""
        return self.content_type.split(";")[0].strip() in EXPECTED.get(self.kind(), set())


class References(HTMLParser):
    """The URLs a page refers to, and the language of its <html>."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Collect href/src/poster and every candidate of a srcset."""
        for name, value in attrs:
            if tag == "html" and name == "lang":
                self.lang = value or ""
            elif value and name in LINK_ATTRS:
                self.urls.append(value)
            elif value and name == "srcset":
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]


def fetch(url: str) -> Answer:
    """GET a URL (redirects followed, as a browser does); a 4xx/5xx is an answer too."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return Answer(url, response.status, response.headers.get("Content-Type", ""),
                          response.read())
    except urllib.error.HTTPError as exc:
        return Answer(url, exc.code, exc.headers.get("Content-Type", ""), exc.read())


def refers_to(answer: Answer) -> tuple[str, list[str]]:
    """The language of a page and what it refers to (a stylesheet: its url()s)."""
    kind = answer.content_type.split(";")[0].strip()
    if kind == "text/css":
        return "", CSS_URL_RE.findall(answer.body.decode("utf-8"))
    if kind != "text/html":
        return "", []
    parser = References()
    parser.feed(answer.body.decode("utf-8"))
    return parser.lang, parser.urls


def crawl(home: str) -> tuple[dict[str, Answer], dict[str, str]]:
    """Every URL of the site reachable from home; and each page's <html lang>."""
    origin = urlsplit(home).netloc
    answers: dict[str, Answer] = {}
    langs: dict[str, str] = {}
    queue = [home]
    while queue:
        url = queue.pop()
        if url in answers:
            continue
        answers[url] = answer = fetch(url)
        lang, refs = refers_to(answer)
        if lang:
            langs[url] = lang
        for ref in refs:
            target = urldefrag(urljoin(url, ref)).url
            if urlsplit(target).netloc == origin and urlsplit(target).scheme == "http":
                queue.append(target)
    return answers, langs
