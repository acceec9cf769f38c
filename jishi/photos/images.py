"""Photos: find every photo a feature uses, have it encoded, and say how a page shows it."""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from .. import inside
from ..errors import ErrorList, display_path, quoted, where
from ..langs import pick
from ..model import Feature, ImageSettings
from ..text.syntax import OFF_SITE_RE, photo_key

if TYPE_CHECKING:  # Pillow loads only when a site has photo files to encode
    from .photo_encode import Made, Recipe
    from .photos_cache import Outcome

log = logging.getLogger(__name__)

PENDING = {"zh": "图片待补", "zh-Hant": "圖片待補", "en": "Photo pending"}
MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
FALLBACK_WIDTH = 960  # the <img src> for browsers that read neither srcset nor <source>


@dataclass(frozen=True)
class PhotoUse:
    """One place a section shows a photo."""

    src: str  # as written in the Markdown, relative to the feature folder
    path: Path  # the source file
    used_in: Path
    line: int


@dataclass(frozen=True)
class Variant:
    """One web file of a photo: a format at a width."""

    format: str  # avif | webp | jpeg | png
    width: int
    height: int
    out: str  # relative to dist/
    file: Path  # the encoded file in the cache


@dataclass(frozen=True)
class Photo:
    """A photo as the pages show it, or pending (out is None) when the file is missing."""

    src: str
    source: Path
    out: str | None  # the fallback file relative to dist/, None when the photo is pending
    width: int = 0  # the source's size after its EXIF orientation
    height: int = 0
    print_file: Path | None = None  # upright sRGB copy at print resolution, for the PDF
    variants: tuple[Variant, ...] = ()
    background: str = ""  # inline CSS: colour and tiny preview shown while it loads
    alpha: bool = False


def find_uses(feature: Feature, site_root: Path, errors: ErrorList) -> list[PhotoUse]:
    """Every photo figure in a feature's sections (and its hero), with the line that shows it."""
    uses = []
    if feature.hero is not None:
        hero = PhotoUse(feature.hero.src, (feature.folder / feature.hero.src).resolve(),
                        feature.folder / "feature.yaml", feature.hero.line)
        if _inside(hero, site_root, errors):
            uses.append(hero)
    for section in feature.sections:
        for version in section.versions.values():
            for photo in version.scan.body.photos:
                use = PhotoUse(photo.src, (feature.folder / photo.src).resolve(),
                               version.path, photo.line)
                if _inside(use, site_root, errors):
                    uses.append(use)
    return uses


NAME_MAX = 255  # bytes in one file name on the common file systems; longer cannot be opened


def _inside(use: PhotoUse, site_root: Path, errors: ErrorList) -> bool:
    if OFF_SITE_RE.match(use.src) or use.src.startswith("/"):
        errors.add(use.used_in, use.line, f"photo {quoted(use.src)} is not a file in the "
                   "feature", "put the photo in the feature's images/ folder and write "
                   "images/NAME.jpg")
        return False
    if any(len(part.encode()) > NAME_MAX for part in use.src.split("/")):
        errors.add(use.used_in, use.line, f"photo {quoted(use.src)}: a file name is longer than "
                   f"{NAME_MAX} bytes", "rename the photo to a short name, like images/market.jpg")
        return False
    if not inside.is_inside(use.path, site_root):
        errors.add(use.used_in, use.line, f"photo {quoted(use.src)} is outside the site folder",
                   "copy the photo into the feature's images/ folder")
        return False
    return True


def recipe(settings: ImageSettings) -> Recipe:
    """The encoder recipe for the site's settings, AVIF only where this Pillow has it."""
    from PIL import features

    from .photo_encode import Recipe

    formats = tuple(f for f in settings.formats if f != "avif" or features.check("avif"))
    if formats != settings.formats:
        log.info("photos: this Pillow cannot write AVIF; writing %s only",
                 ", ".join(formats) or "the JPEG/PNG fallback")
    return Recipe(settings.widths, formats, tuple(sorted(settings.quality.items())),
                  settings.avif_speed, settings.print_size, settings.max_pixels)


def out_folder(feature: Feature, source: Path) -> str:
    """Where a photo's web files go in dist/: beside where the feature keeps the photo."""
    try:
        rel = source.parent.relative_to(feature.folder.resolve()).as_posix()
    except ValueError:
        rel = "images"  # a photo shared from elsewhere in the site
    return f"{feature.slug}/{rel}".removesuffix("/.")


def _fallback(variants: list[Variant]) -> Variant:
    plain = [v for v in variants if v.format in ("jpeg", "png")]
    fitting = [v for v in plain if v.width <= FALLBACK_WIDTH]
    return max(fitting, key=lambda v: v.width) if fitting else min(plain, key=lambda v: v.width)


def made_photo(use: PhotoUse, feature: Feature, outcome: Outcome, made: Made) -> Photo:
    """The Photo for an encoded source."""
    folder = out_folder(feature, use.path)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", use.path.stem).strip("-") or "photo"  # URL-safe
    variants = [Variant(r.format, r.width, r.height, f"{folder}/{stem}-{r.file}",
                        outcome.entry.folder / r.file) for r in made.renditions]
    background = f"background:{made.colour}"
    if made.preview:
        background += f" url({made.preview}) 50%/cover no-repeat"
    if made.alpha:
        background = "background:none"  # it would show through the transparent parts
    return Photo(use.src, use.path, _fallback(variants).out, made.width, made.height,
                 outcome.entry.folder / made.print_file, tuple(variants), background, made.alpha)


def _check_use(use: PhotoUse, outcome: Outcome, settings: ImageSettings,
               errors: ErrorList) -> Made | None:
    shown = display_path(use.path)
    made = outcome.made
    if outcome.problem is not None:
        errors.add(use.used_in, use.line, f"photo {shown} {outcome.problem.message}",
                   outcome.problem.hint)
    elif made is not None and made.width * made.height > settings.max_pixels:
        errors.add(use.used_in, use.line, f"photo {shown} has too many pixels "
                   f"({made.width}x{made.height}; the limit is {settings.max_pixels:,})",
                   "scale it down, or raise images: max_pixels in site.yaml")
    elif made is not None:
        for note in made.notes:
            log.warning("%s: photo %s: %s", where(use.used_in, use.line), shown, note)
        if made.width < max(settings.widths):
            log.warning("%s: photo %s is %d px wide, less than the largest width %d: it will "
                        "look soft on large screens; use a larger original if there is one",
                        where(use.used_in, use.line), shown, made.width, max(settings.widths))
        return made
    return None


def plan(feature: Feature, uses: list[PhotoUse], outcomes: dict[Path, Outcome],
         settings: ImageSettings, errors: ErrorList) -> dict[str, Photo]:
    """Each photo's outputs; a missing file is a warning and a labelled placeholder."""
    photos: dict[str, Photo] = {}
    checked: dict[Path, Made | None] = {}  # a photo shown twice is checked (and warned) once
    for use in uses:
        outcome = outcomes.get(use.path)
        if outcome is None:
            # A photo the editor listed in pending_photos is expected to be missing.
            if photo_key(use.src) in feature.pending_photos and use.src not in photos:
                log.info("%s: photo %s is pending (feature.yaml pending_photos): showing a "
                         "labelled placeholder", where(use.used_in, use.line), use.src)
            elif use.src not in photos:
                log.warning("%s: photo %s is missing; showing a 'photo pending' placeholder",
                            where(use.used_in, use.line), use.src)
            photos.setdefault(use.src, Photo(use.src, use.path, None))
            continue
        if use.path not in checked or checked[use.path] is None:
            checked[use.path] = _check_use(use, outcome, settings, errors)
        made = checked[use.path]
        if made is not None and use.src not in photos:
            photos[use.src] = made_photo(use, feature, outcome, made)
    return photos


def pending_element(alt: str, lang: str, ratio: tuple[int, int] = (3, 2)) -> etree.Element:
    """A labelled placeholder that no reader could take for the real photograph."""
    label = pick(PENDING, lang)
    w, h = 300, round(300 * ratio[1] / ratio[0])
    svg = etree.Element("svg", {
        "class": "photo-pending", "viewBox": f"0 0 {w} {h}", "role": "img",
        "aria-label": f"{label}: {alt}" if alt else label,
    })
    etree.SubElement(svg, "rect", {"width": str(w), "height": str(h), "fill": "#e9e5dc"})
    etree.SubElement(svg, "path", {"d": f"M0 0L{w} {h}M{w} 0L0 {h}", "stroke": "#cfc8b8"})
    text = etree.SubElement(svg, "text", {
        "x": str(w // 2), "y": str(h // 2 + 6), "text-anchor": "middle", "font-size": "18",
        "fill": "#5b5446",
    })
    text.text = label
    return svg


def srcset(photo: Photo, fmt: str, root: str) -> str:
    """The srcset of one format: every width, smallest first."""
    found = sorted((v for v in photo.variants if v.format == fmt), key=lambda v: v.width)
    return ", ".join(f"{root}{quote(v.out)} {v.width}w" for v in found)


def picture_element(photo: Photo, alt: str, root: str, sizes: str,
                    eager: bool) -> etree.Element:
    """<picture>: a <source> per modern format, and an <img> with its size and fallback."""
    picture = etree.Element("picture")
    formats = list(dict.fromkeys(v.format for v in photo.variants))
    fallback = next(v for v in photo.variants if v.out == photo.out)
    for fmt in formats:
        if fmt != fallback.format:
            etree.SubElement(picture, "source", {
                "type": MIME[fmt], "srcset": srcset(photo, fmt, root), "sizes": sizes})
    attrs = {"src": root + quote(fallback.out), "srcset": srcset(photo, fallback.format, root),
             "sizes": sizes, "width": str(_largest(photo).width),
             "height": str(_largest(photo).height), "alt": alt}
    attrs |= {"loading": "eager", "fetchpriority": "high"} if eager else \
        {"loading": "lazy", "decoding": "async"}
    if photo.background:
        attrs["style"] = photo.background
    etree.SubElement(picture, "img", attrs)
    return picture


def _largest(photo: Photo) -> Variant:
    return max(photo.variants, key=lambda v: v.width)


def full_size_link(photo: Photo, picture: etree.Element, root: str) -> etree.Element:
    """The photo as a link to its largest fallback file: a tap opens it full size.

    Without JavaScript the link opens the file; jishi.js shows it in a <dialog> instead. The
    link's name is the photo's alt text, which the <img> inside it carries.
    """
    fallback = next(v for v in photo.variants if v.out == photo.out)
    largest = max((v for v in photo.variants if v.format == fallback.format),
                  key=lambda v: v.width)
    link = etree.Element("a", {"class": "photo-open", "href": root + quote(largest.out),
                               "data-width": str(largest.width),
                               "data-height": str(largest.height)})
    link.append(picture)
    return link


class PageMedia:
    """Makes the media of one page's figures; the page's first photo loads eagerly."""

    def __init__(self, photos: dict[str, Photo], settings: ImageSettings, lang: str,
                 root: str) -> None:
        self.photos = photos
        self.settings = settings
        self.lang = lang
        self.root = root
        self.shown = 0

    def __call__(self, src: str, alt: str) -> etree.Element:
        """The <picture> for a photo, or the placeholder for a pending one."""
        photo = self.photos.get(src)
        if photo is None or photo.out is None:
            return pending_element(alt, self.lang, self.settings.placeholder_ratio)
        self.shown += 1
        picture = picture_element(photo, alt, self.root, self.settings.sizes, self.shown == 1)
        return full_size_link(photo, picture, self.root)
