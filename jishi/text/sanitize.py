"""Untrusted text: an editor's raw HTML is cut down to an allowlist, and unsafe URLs dropped.

One rule for every section (and every photo caption in one): raw HTML written in Markdown
keeps only the tags and attributes below, and no link or image keeps a URL whose scheme is not
http, https, mailto or tel (`javascript:`, `data:`, `vbscript:` ...). Titles and the feature's
texts are escaped whole elsewhere. `allow_raw_html: true` in site.yaml trusts the editors fully
and turns all of this off.

The cleaning runs inside Python-Markdown: a postprocessor cleans each stashed piece of raw HTML
with nh3 (the Rust ammonia library), and a treeprocessor drops unsafe URLs from the links and
images Markdown itself made. `report()` finds, in the source, what the cleaning removes, so
`check` can name the line.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

import markdown
import nh3
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from .syntax import Scan

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "data", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
    "wbr",
})
GENERIC_ATTRIBUTES = frozenset({"class", "lang", "dir", "title"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope"}),
    "ol": frozenset({"start", "reversed"}),
    "time": frozenset({"datetime"}),
    "data": frozenset({"value"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = ("href", "src", "cite")
DROPPED_WITH_CONTENT = frozenset({"script", "style"})  # their text is code, never prose

SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Browsers ignore these inside a URL, so "java\tscript:" is still javascript:.
URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f]+")
OPEN_TAG_RE = re.compile(r"^<([A-Za-z][A-Za-z0-9-]*)\b[^<>]*>$")
CLOSE_TAG_RE = re.compile(r"^</([A-Za-z][A-Za-z0-9-]*)\s*>$")


# The print edition's own URL for a planned photo (jishi.printing.pdf.PHOTO_SCHEME): made by jishi,
# never by an editor, and read only by the PDF's URL fetcher.
OWN_SCHEMES = frozenset({"jishi-photo"})


def safe_url(url: str) -> bool:
    """Whether a link or image URL may stay: relative, or with an allowed scheme."""
    m = SCHEME_RE.match(URL_NOISE_RE.sub("", html.unescape(url)))
    return m is None or m.group(1).lower() in URL_SCHEMES | OWN_SCHEMES


def allowed_attribute(tag: str, name: str) -> bool:
    """Whether an attribute of a tag is on the allowlist."""
    return name in GENERIC_ATTRIBUTES or name in ATTRIBUTES.get(tag, frozenset())


def clean(fragment: str) -> str:
    """Clean a piece of raw HTML to the allowlist with nh3 (comments are removed too)."""
    return nh3.clean(
        fragment, tags=set(TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={"*": set(GENERIC_ATTRIBUTES), **{t: set(a) for t, a in ATTRIBUTES.items()}},
        url_schemes=set(URL_SCHEMES), link_rel=None, strip_comments=True,
    )


def clean_piece(piece: str) -> str:
    """Clean one stashed piece: a whole HTML block, or one tag of inline HTML.

    Python-Markdown stashes the opening and closing tags of inline HTML separately; cleaned
    alone, an opening tag would come back closed (<span></span>), so the close is taken off.
    """
    closing = CLOSE_TAG_RE.match(piece)
    if closing:
        return piece if closing.group(1).lower() in TAGS else ""
    cleaned = clean(piece)
    opening = OPEN_TAG_RE.match(piece)
    if opening and not piece.endswith("/>"):
        cleaned = cleaned.removesuffix(f"</{opening.group(1).lower()}>")
    return cleaned


class CleanRawHtml(Postprocessor):
    """Cleans every piece of raw HTML the editor wrote, before it is put back in the page."""

    def run(self, text: str) -> str:
        stash = self.md.htmlStash.rawHtmlBlocks
        stash[:] = [clean_piece(p) if isinstance(p, str) else p for p in stash]
        return text


class DropUnsafeUrls(Treeprocessor):
    """Drops javascript:, data: and other unsafe URLs from Markdown's own links and images."""

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            for name in URL_ATTRIBUTES:
                value = el.get(name)
                if value is not None and not safe_url(value):
                    del el.attrib[name]


def register(md: markdown.Markdown) -> None:
    """Add the cleaning to a Markdown instance (not called when editors are trusted)."""
    # Before jishi's own placeholders are rendered into the stash (35), and the stash is put
    # back (30); after the inline patterns (20), which make the links.
    md.postprocessors.register(CleanRawHtml(md), "jishi-clean-raw-html", 40)
    md.treeprocessors.register(DropUnsafeUrls(md), "jishi-drop-unsafe-urls", 1)


# --- what check reports --------------------------------------------------------------------

class _Finder(HTMLParser):
    """Lists, with their lines, the tags, attributes and URLs clean() would remove."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag not in TAGS:
            self.found.append((line, f"the tag <{tag}> is removed"
                               + (" with its content" if tag in DROPPED_WITH_CONTENT else "")))
            return
        for name, value in attrs:
            if not allowed_attribute(tag, name):
                self.found.append((line, f"the attribute {name}= of <{tag}> is removed"))
            elif name in URL_ATTRIBUTES and value is not None and not safe_url(value):
                self.found.append((line, f"the URL of <{tag} {name}=...> is removed "
                                   f"(only {', '.join(sorted(URL_SCHEMES))} or a relative "
                                   "link may be used)"))


def report(scan: Scan) -> list[tuple[int, str]]:
    """What cleaning removes from a section's body, by line (code samples are left out).

    It reads the body's scan (jishi.text.syntax): its text with code blanked, its links and photos.
    """
    finder = _Finder()
    finder.feed(scan.prose)
    finder.close()
    found = [(scan.first_line + line - 1, message) for line, message in finder.found]
    urls = [(link.line, link.target) for link in scan.links] + \
        [(photo.line, photo.src) for photo in scan.photos]
    found += [(line, f"the link or image URL {url.split(':', 1)[0]}:... is removed")
              for line, url in urls if not safe_url(url)]
    return sorted(found)


def unclosed_comment(scan: Scan) -> int | None:
    """The line of a '<!--' never closed by '-->', which hides or garbles what follows it."""
    text, first_line = scan.prose, scan.first_line
    start = text.find("<!--")
    while start != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            return first_line + text.count("\n", 0, start)
        start = text.find("<!--", end + 3)
    return None
