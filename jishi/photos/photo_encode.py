"""Turn one source photo into its web renditions and print copy (runs in a worker process).

One decode per photo: JPEGs are decoded DCT-scaled (draft) to the smallest size that still
serves the print copy, every web width is resized from that one image, each from the next
larger, and nothing of the source's metadata (EXIF, GPS, XMP, comments) reaches an output.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import io
import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from PIL import Image, ImageCms, ImageFile, features

from . import jpeg_strip

ORIENT = {  # EXIF orientation -> the transpose that makes the photo upright
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_90,
}
READABLE = {"JPEG", "MPO", "PNG", "WEBP", "TIFF", "AVIF", "HEIF"}
EXT = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def stable_profile(icc: bytes) -> bytes:
    """An ICC profile with its creation date (header bytes 24-35) zeroed.

    Little CMS stamps the moment createProfile ran into the header, so without this every
    tagged photo, and every PDF showing one, differed from build to build.
    """
    return icc[:24] + bytes(12) + icc[36:]


SRGB_BYTES = stable_profile(SRGB.tobytes())  # 588 bytes: tags outputs whose source had one


@functools.cache
def heif_plugin() -> bool:
    """Register pillow-heif's HEIC reader where it is installed (it is optional)."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()
    return True


def readable_formats() -> list[str]:
    """The photo formats the installed Pillow can read, as editors name them."""
    names = ["JPEG", "PNG", "WebP", "TIFF"]
    if features.check("avif"):
        names.append("AVIF")
    if heif_plugin():
        names.append("HEIC")
    return names


@dataclass(frozen=True)
class Recipe:
    """Everything that shapes a photo's outputs; part of its cache key."""

    widths: tuple[int, ...]
    formats: tuple[str, ...]  # modern formats; a JPEG (or PNG for alpha) fallback is implied
    quality: tuple[tuple[str, int], ...]
    avif_speed: int
    print_size: int
    max_pixels: int


@dataclass(frozen=True)
class Rendition:
    """One encoded web file of a photo, stored in the cache entry."""

    format: str
    width: int
    height: int
    file: str
    size: int


@dataclass(frozen=True)
class Made:
    """What encoding one photo produced (stored as the cache entry's manifest)."""

    width: int  # the source after orientation
    height: int
    alpha: bool
    colour: str  # dominant colour, #rrggbb
    preview: str  # a tiny WebP as a data URI, shown blurred while the photo loads
    print_file: str
    renditions: tuple[Rendition, ...]
    notes: tuple[str, ...] = field(default=())  # warnings for the editor


class PhotoProblem(Exception):
    """A photo that cannot be used: what is wrong and how to fix it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@contextlib.contextmanager
def pixel_limit(limit: int) -> Iterator[None]:
    """Let Pillow open photos up to our own limit; we check the pixel count ourselves."""
    old = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = limit
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = old


def open_photo(path: Path, max_pixels: int) -> Image.Image:
    """Open a photo's header and refuse what jishi cannot or should not decode."""
    try:
        heif_plugin()
        im = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise _bomb(str(exc), max_pixels) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        suffix = path.suffix.lower()
        message = (f"is a {suffix[1:].upper()} file, which this Pillow cannot read"
                   if suffix in (".heic", ".heif", ".avif") else
                   "is not an image file jishi can read")
        raise PhotoProblem(message, f"save it as {', '.join(readable_formats())}") from exc
    if im.format not in READABLE:
        im.close()
        raise PhotoProblem(f"is a {im.format} file, not a photo format jishi takes",
                           f"save it as {', '.join(readable_formats())}")
    if im.width * im.height > max_pixels:
        im.close()
        raise _bomb(f"{im.width}x{im.height} pixels", max_pixels)
    return im


def _bomb(detail: str, max_pixels: int) -> PhotoProblem:
    return PhotoProblem(
        f"has too many pixels ({detail}; the limit is {max_pixels:,}), which could exhaust "
        "memory (a decompression bomb)",
        "scale the photo down, or raise images: max_pixels in site.yaml if it is genuine")


def oriented(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    """Width and height after the EXIF orientation is applied."""
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


def is_srgb(icc: bytes) -> bool:
    """True for an sRGB profile (cameras and phones embed one with most photos)."""
    try:
        return "sRGB" in ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc)))
    except (ImageCms.PyCMSError, OSError, ValueError):
        return False


def lossless_print(im: Image.Image, orientation: int, recipe: Recipe) -> bool:
    """True when the source JPEG itself, stripped of metadata, can be the print copy."""
    icc = im.info.get("icc_profile")
    return (im.format == "JPEG" and orientation == 1 and im.mode in ("RGB", "L")
            and max(im.size) < 2 * recipe.print_size and (not icc or is_srgb(icc)))


def decode(im: Image.Image, orientation: int, recipe: Recipe, for_print: bool) -> Image.Image:
    """Decode once, DCT-scaled to the smallest size that still serves every output."""
    width, height = oriented(im.size, orientation)
    scale = max(recipe.print_size / max(width, height) if for_print else 0,
                max(recipe.widths) / width)
    if scale < 1:
        need = (math.ceil(im.width * scale), math.ceil(im.height * scale))
        im.draft(im.mode, need)  # JPEG only; a no-op for other formats
    # WeasyPrint's import turns on Pillow's process-wide LOAD_TRUNCATED_IMAGES, which would let a
    # cut-off photo through as grey once a PDF was made in this process (serve, or a worker
    # forked after one): a photo is refused whole, whoever imported what.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        im.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise PhotoProblem(f"cannot be decoded: it is corrupt or truncated ({exc})",
                           "export or copy the photo again from the original") from exc
    return im


def has_alpha(im: Image.Image) -> bool:
    """True when the photo has transparency that shows (not an all-opaque alpha channel)."""
    if im.mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode not in ("RGBA", "LA", "PA"):
        return False
    # one band, so getextrema() is the pair (lowest, highest)
    lowest, _ = cast(tuple[int, int], im.getchannel("A").getextrema())
    return lowest < 255


def to_srgb(im: Image.Image, alpha: bool, notes: list[str]) -> tuple[Image.Image, bool]:
    """Convert any colour space to 8-bit sRGB, honouring an embedded ICC profile.

    Returns the image and whether the source carried a profile (its outputs are then tagged).
    """
    target = "RGBA" if alpha else "RGB"
    icc = im.info.get("icc_profile")
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")  # 16-bit grey
    if im.mode in ("P", "PA", "1", "LA") or (im.mode == "RGBA" and not alpha):
        im = im.convert(target)
    if not icc:
        return (im if im.mode == target else im.convert(target)), False
    try:
        if im.mode == target and is_srgb(icc):
            return im, True
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            im, profile, SRGB, renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
            outputMode=target, flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
        return cast(Image.Image, converted), True  # None only when converting in place
    except (ImageCms.PyCMSError, OSError, ValueError) as exc:
        notes.append(f"its embedded colour profile cannot be used ({exc}); colours are taken "
                     "as sRGB, so they may be off: export it again with an sRGB profile")
        return im.convert(target), False


def print_base(im: Image.Image, orientation: int, print_size: int) -> Image.Image:
    """The upright print copy: reduced by a whole factor (cheap, sharp) while still large."""
    factor = max(1, max(im.size) // print_size)
    if factor > 1:
        im = im.reduce(factor)
    if orientation in ORIENT:
        im = im.transpose(ORIENT[orientation])
    return im


def web_sizes(im: Image.Image, widths: tuple[int, ...]) -> list[Image.Image]:
    """Each configured width the photo can fill, largest first, never upscaled."""
    wanted = sorted({w for w in widths if w < im.width} | {min(im.width, max(widths))},
                    reverse=True)
    out, current = [], im
    for width in wanted:
        height = max(1, round(im.height * width / im.width))
        if (width, height) != current.size:
            factor = current.width // width  # box-reduce by a whole factor, Lanczos the rest
            base = current.reduce(factor) if factor > 1 else current
            current = base.resize((width, height), Image.Resampling.LANCZOS)
        out.append(current)
    return out


def encode(im: Image.Image, fmt: str, recipe: Recipe, tagged: bool) -> bytes:
    """Encode one rendition with no metadata at all (a small sRGB profile when tagged)."""
    im.info.clear()  # Pillow copies EXIF, comments and profiles from im.info otherwise
    quality = dict(recipe.quality)
    options: dict[str, object] = {"icc_profile": SRGB_BYTES} if tagged else {}
    if fmt == "avif":
        # One encoder thread, always: libaom's output with one thread differs from its output
        # with several, so a photo encoded alone would differ from one encoded with others.
        options |= {"quality": quality["avif"], "speed": recipe.avif_speed, "max_threads": 1}
    elif fmt == "webp":
        options |= {"quality": quality["webp"], "method": 4 if im.width <= 480 else 2}
    elif fmt == "jpeg":
        options |= {"quality": quality["jpeg"], "optimize": True}  # progressive: 2.5x the time
    else:
        options |= {"compress_level": 6}
    buf = io.BytesIO()
    im.save(buf, fmt.upper(), **options)
    return buf.getvalue()


def file_name(width: int, data: bytes, fmt: str) -> str:
    """A name that carries the content hash, so hosts may cache the file forever."""
    return f"{width}.{hashlib.sha256(data).hexdigest()[:10]}.{EXT[fmt]}"


def preview(im: Image.Image) -> tuple[str, str]:
    """A dominant colour and a tiny WebP (a few hundred bytes) to show while loading."""
    pixel = im.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    r, g, b = cast(tuple[int, int, int], pixel)  # an RGB pixel is a triple
    tiny = im.convert("RGB").resize((16, max(1, round(16 * im.height / im.width))),
                                    Image.Resampling.BOX)
    buf = io.BytesIO()
    tiny.save(buf, "WEBP", quality=40)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f"#{r:02x}{g:02x}{b:02x}", f"data:image/webp;base64,{data}"


def write_print(im: Image.Image, folder: Path, alpha: bool) -> str:
    """Write the print copy: a high-quality tagged sRGB JPEG (PNG when it has alpha)."""
    fmt = "png" if alpha else "jpeg"
    im.info.clear()
    buf = io.BytesIO()
    if alpha:
        im.save(buf, "PNG", icc_profile=SRGB_BYTES, compress_level=6)
    else:
        im.save(buf, "JPEG", quality=90, icc_profile=SRGB_BYTES)
    return _store("print-", im.width, buf.getvalue(), fmt, folder)


def _store(prefix: str, width: int, data: bytes, fmt: str, folder: Path) -> str:
    name = prefix + file_name(width, data, fmt)
    (folder / name).write_bytes(data)
    return name


def write_stripped(source: Path, width: int, folder: Path) -> str:
    """Write the source JPEG as the print copy, losslessly, with its metadata removed."""
    try:
        data = jpeg_strip.strip(source.read_bytes())
    except ValueError as exc:
        raise PhotoProblem(f"is not a complete JPEG file ({exc})",
                           "export or copy the photo again from the original") from exc
    return _store("print-", width, data, "jpeg", folder)


def renditions(sizes: list[Image.Image], folder: Path, alpha: bool,
               recipe: Recipe, tagged: bool) -> list[Rendition]:
    """Encode every width in every format into folder."""
    formats = [*recipe.formats, "png" if alpha else "jpeg"]
    made = []
    for im in sizes:
        for fmt in formats:
            data = encode(im, fmt, recipe, tagged)
            name = file_name(im.width, data, fmt)
            (folder / name).write_bytes(data)
            made.append(Rendition(fmt, im.width, im.height, name, len(data)))
    return made


def make(source: Path, folder: Path, recipe: Recipe) -> Made:
    """Read one photo and write its renditions and print copy into folder."""
    notes: list[str] = []
    with pixel_limit(recipe.max_pixels):
        im = open_photo(source, recipe.max_pixels)
        frames = getattr(im, "n_frames", 1)
        if frames > 1:  # an animated WebP/GIF or a multi-page TIFF: a page shows a still
            notes.append(f"it has {frames} frames (an animation or several pages); only the "
                         "first is used: save the frame you want as a single image")
        orientation = im.getexif().get(0x0112, 1)
        width, height = oriented(im.size, orientation)
        lossless = lossless_print(im, orientation, recipe)
        im = decode(im, orientation, recipe, for_print=not lossless)
    alpha = has_alpha(im)
    base, tagged = to_srgb(im, alpha, notes)
    if lossless:  # the source is upright sRGB: keep its pixels, drop its metadata
        print_name = write_stripped(source, width, folder)
    else:
        base = print_base(base, orientation, recipe.print_size)
        print_name = write_print(base, folder, alpha)
    sizes = web_sizes(base, recipe.widths)
    colour, tiny = preview(sizes[-1])
    made = renditions(sizes, folder, alpha, recipe, tagged)
    return Made(width, height, alpha, colour, "" if alpha else tiny, print_name,
                tuple(made), tuple(notes))
