"""Photos: find every photo a feature uses, check it, and say how a page shows it."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path

from .errors import ErrorList, where
from .markup import IMAGE_RE
from .model import Feature

log = logging.getLogger(__name__)

PENDING = {"zh": "图片待补", "en": "Photo pending"}


@dataclass(frozen=True)
class PhotoUse:
    """One place a section shows a photo."""

    src: str  # as written in the Markdown, relative to the feature folder
    path: Path  # the source file
    used_in: Path
    line: int


@dataclass(frozen=True)
class Photo:
    """A photo as the pages show it: its output path, or pending when the file is missing."""

    src: str
    source: Path
    out: str | None  # output path relative to dist/, None when the photo is pending


def find_uses(feature: Feature, site_root: Path, errors: ErrorList) -> list[PhotoUse]:
    """Every photo figure in a feature's sections, with the line that shows it."""
    uses = []
    for section in feature.sections:
        for version in section.versions.values():
            for offset, line in enumerate(version.body.split("\n")):
                m = IMAGE_RE.match(line.strip())
                if not m:
                    continue
                use = PhotoUse(m["src"], (feature.folder / m["src"]).resolve(),
                               version.path, version.body_line + offset)
                if _inside(use, site_root, errors):
                    uses.append(use)
    return uses


def _inside(use: PhotoUse, site_root: Path, errors: ErrorList) -> bool:
    if "://" in use.src or use.src.startswith("/"):
        errors.add(use.used_in, use.line, f"photo '{use.src}' is not a file in the feature",
                   "put the photo in the feature's images/ folder and write images/NAME.jpg")
        return False
    if not use.path.is_relative_to(site_root.resolve()):
        errors.add(use.used_in, use.line, f"photo '{use.src}' is outside the site folder",
                   "copy the photo into the feature's images/ folder")
        return False
    return True


def plan(feature: Feature, uses: list[PhotoUse]) -> dict[str, Photo]:
    """Decide each photo's output; a missing file is a warning and a labelled placeholder."""
    photos: dict[str, Photo] = {}
    for use in uses:
        if use.src in photos:
            continue
        if use.path.is_file():
            rel = use.path.relative_to(feature.folder.resolve()).as_posix()
            photos[use.src] = Photo(use.src, use.path, f"{feature.slug}/{rel}")
        else:
            log.warning("%s: photo %s is missing; showing a 'photo pending' placeholder",
                        where(use.used_in, use.line), use.src)
            photos[use.src] = Photo(use.src, use.path, None)
    return photos


def pending_element(alt: str, lang: str) -> etree.Element:
    """A labelled placeholder that no reader could take for the real photograph."""
    label = PENDING.get(lang[:2], PENDING["en"])
    svg = etree.Element("svg", {
        "class": "photo-pending", "viewBox": "0 0 300 200", "role": "img",
        "aria-label": f"{label}: {alt}" if alt else label,
    })
    etree.SubElement(svg, "rect", {"width": "300", "height": "200", "fill": "#e9e5dc"})
    etree.SubElement(svg, "path", {"d": "M0 0L300 200M300 0L0 200", "stroke": "#cfc8b8"})
    text = etree.SubElement(svg, "text", {
        "x": "150", "y": "106", "text-anchor": "middle", "font-size": "18", "fill": "#5b5446",
    })
    text.text = label
    return svg


def media_element(photo: Photo | None, alt: str, lang: str, root: str) -> etree.Element:
    """The <img> for a photo on a page whose path back to dist/ is root."""
    if photo is None or photo.out is None:
        return pending_element(alt, lang)
    return etree.Element("img", {"src": root + photo.out, "alt": alt, "loading": "lazy",
                                 "decoding": "async"})
