"""Display type: headlines, section titles and callout figures of Chinese pages in a serif face.

Each Chinese page gets a WOFF2 subset of the face holding exactly the characters those
elements show (a few KB instead of the face's 20+ MB). Subsets are cached in the site's
.cache/fonts/ by the font file's hash and the character set, so a warm build subsets nothing.
The body text stays in the platform's fonts.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import logging
import shutil
import subprocess
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path

from .. import output
from ..errors import ContentError, quoted
from ..model import Feature, Site, SiteConfig
from ..printing.fonts import FONT_PACKAGE, SERIF, installed_chinese_families
from ..stats import stat_parts
from ..text import markup
from .render import Page, plan_pages

log = logging.getLogger(__name__)

FONT_FILES = (".otf", ".ttf", ".ttc", ".otc")
OUT_DIR = "assets/fonts"
# Bumped when the subsetting options change, so old cached subsets are not reused.
RECIPE = "woff2-nolocl-nohint-1"
NO_FONT = ("no Chinese serif font for the display type (headline, section titles, callout "
           f"figures): they use the reader's system fonts (install one: apt-get install "
           f"{FONT_PACKAGE}, or set display_font: in site.yaml)")


@dataclass(frozen=True)
class Face:
    """A font to subset: a file, and its number inside a collection (.ttc)."""

    file: Path
    number: int = 0


@dataclass
class DisplayPlan:
    """Which subset each page loads, and the subsets to copy into the output."""

    face: Face | None
    fonts: dict[str, str] = field(default_factory=dict)  # page path -> dist/ path of its subset
    files: dict[str, Path] = field(default_factory=dict)  # dist/ path -> cached subset


def _fc_match(pattern: str) -> tuple[str, Face] | None:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    proc = subprocess.run([fc_match, "-f", "%{family}\n%{file}\n%{index}", pattern],
                          capture_output=True, text=True, timeout=60, check=False)
    lines = proc.stdout.split("\n")
    if proc.returncode or len(lines) < 3 or not lines[2].isdigit():
        return None
    return lines[0], Face(Path(lines[1]), int(lines[2]))


@functools.lru_cache(maxsize=16)
def family_face(family: str) -> Face | None:
    """The bold face of an installed family (the display elements are set bold), or None."""
    found = _fc_match(f"{family}:weight=bold")
    if found is None or family not in found[0].split(","):
        return None  # fontconfig answers every question with some font: only this family
    return found[1]


def _missing(config: SiteConfig, message: str) -> ContentError:
    return ContentError(config.source / "site.yaml", config.display_font_line or None, message,
                        "name an installed font family (fc-list :lang=zh family), a font file "
                        "in the site (fonts/MyFont.otf), or write display_font: false")


def find_face(config: SiteConfig) -> Face | None:
    """The display face: site.yaml's display_font, else the first Chinese serif installed."""
    named = config.display_font
    if named is False:
        return None
    if isinstance(named, str) and named.lower().endswith(FONT_FILES):
        path = (config.source / named).resolve()
        if not path.is_file():
            raise _missing(config, f"display_font: the font file {named} does not exist")
        return Face(path)
    if isinstance(named, str):
        face = family_face(named)
        if face is None:
            raise _missing(config, "display_font: no installed font family is called "
                           f"{quoted(named)}")
        return face
    installed = installed_chinese_families()
    return next((face for family in SERIF if family in installed
                 if (face := family_face(family)) is not None), None)


def _no_media(src: str, alt: str) -> etree.Element:
    raise AssertionError("display text holds no photos")


def feature_text(feature: Feature, lang: str) -> str:
    """What a feature page sets in display type: headline, section titles, callout figures."""
    ctx = markup.MarkupContext(lang, feature.data, _no_media)
    texts = [markup.inline_text(feature.meta["title"].get(lang, ""), ctx)]
    for section in feature.sections:
        version = section.versions.get(lang)
        if version is None:
            continue
        texts.append(markup.inline_text(version.title or "", ctx))
        for ref in version.scan.body.placeholders:  # the section's one scan
            if ref.kind == "callout" and ref.alone:
                texts.append("".join(stat_parts(feature.data.stats[ref.id], lang)))
    return "".join(texts)


def page_text(site: Site, page: Page) -> str:
    """The characters a page sets in display type (a home page lists its features' titles)."""
    if page.feature is not None:
        return feature_text(page.feature, page.lang)
    ctx_titles = [markup.inline_text(f.meta["title"].get(page.lang, ""),
                                     markup.MarkupContext(page.lang, f.data, _no_media))
                  for f in site.features]
    return site.config.title[page.lang] + "".join(ctx_titles)


def wants_display_type(lang: str) -> bool:
    """Only Chinese pages are set in the Chinese display face."""
    return lang == "zh" or lang.startswith("zh-")


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def font_digest(file: Path, cache: Path) -> str:
    """The SHA-256 of a font file, remembered in the cache while its size and time hold.

    Hashing a 27 MB collection takes longer than the rest of a warm build's font work.
    """
    stat = file.stat()
    stamp = f"{file} {stat.st_size} {stat.st_mtime_ns}"
    memo = cache / "digests" / f"{hashlib.sha256(str(file).encode()).hexdigest()[:16]}.txt"
    if memo.is_file():
        lines = memo.read_text(encoding="utf-8").splitlines()
        if len(lines) == 2 and lines[0] == stamp:
            return lines[1]
    digest = _file_digest(file)
    output.replace_file(memo, f"{stamp}\n{digest}\n".encode())
    return digest


@functools.lru_cache(maxsize=1)
def fonttools_version() -> str:
    """The installed fontTools version, read without importing fontTools."""
    return importlib.metadata.version("fonttools")


def subset_key(face: Face, chars: str, cache: Path) -> str:
    """The cache key of a subset: the font's bytes, its number, the characters, the recipe."""
    parts = [font_digest(face.file, cache), str(face.number), RECIPE, fonttools_version(), chars]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:20]


def plan(site: Site, cache: Path) -> DisplayPlan:
    """Find the face and make (or take from the cache) the subset of every Chinese page."""
    face = find_face(site.config)
    result = DisplayPlan(face)
    if face is None:
        return result
    for page in plan_pages(site):
        if not wants_display_type(page.lang):
            continue
        chars = "".join(sorted(set(page_text(site, page)) - {"\n"}))
        key = subset_key(face, chars, cache)
        cached = cache / f"{key}.woff2"
        if not cached.is_file():
            write_subset(site.config, face, chars, cached)
        rel = f"{OUT_DIR}/display-{key}.woff2"
        result.fonts[page.path] = rel
        result.files[rel] = cached
    return result


def write_subset(config: SiteConfig, face: Face, chars: str, target: Path) -> None:
    """Subset the face to chars as WOFF2 into target."""
    from . import font_subset  # fontTools is imported only when a subset must be made

    try:
        data = _subset(face, chars, target.stem)
    except font_subset.UnreadableFont as exc:
        raise _missing(config, f"display_font: cannot read the font {face.file.name}: {exc}") \
            from exc
    output.replace_file(target, data)


@functools.lru_cache(maxsize=32)
def _subset(face: Face, chars: str, key: str) -> bytes:
    # Kept for the process too: the live preview, and sites built one after another in one
    # process, make each subset once. key (the font's hash) tells a changed file apart.
    del key
    from . import font_subset

    return font_subset.subset_woff2(face.file, face.number, chars)


