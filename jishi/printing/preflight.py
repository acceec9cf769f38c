"""Preflight for printers: read a made PDF back and report pages, fonts, bleed and photo ppi."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

log = logging.getLogger(__name__)

MIN_PPI = 300
PT_PER_MM = 72 / 25.4
CSS_PX_PER_IN = 96


@dataclass(frozen=True)
class Placed:
    """A photo as laid out: its file URL and size on the page in CSS pixels."""

    src: str
    width: float
    height: float
    page: int


@dataclass(frozen=True)
class FontInfo:
    """A font as the PDF holds it."""

    name: str
    subtype: str
    embedded: bool
    subset: bool


@dataclass
class Report:
    """What a printer checks before press."""

    pdf: str
    pages: int
    trim_mm: tuple[float, float]
    bleed_mm: float
    variant: str
    fonts: list[FontInfo] = field(default_factory=list)
    photos: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _descriptor_has_file(font: Any) -> bool:
    fonts = [font.get_object()]
    fonts += [d.get_object() for d in font.get("/DescendantFonts", [])]
    for item in fonts:
        descriptor = item.get("/FontDescriptor")
        if descriptor is not None and any(
            key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
        ):
            return True
    return False


def read_fonts(reader: Any) -> list[FontInfo]:
    """Every font of every page, with whether its file is embedded and subset."""
    found: dict[str, FontInfo] = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        for ref in (fonts.get_object().values() if fonts else ()):
            font = ref.get_object()
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            found[name] = FontInfo(name.split("+", 1)[-1], str(font.get("/Subtype", "")),
                                   _descriptor_has_file(font), "+" in name[:7])
    return sorted(found.values(), key=lambda f: f.name)


def _mm(box: Any) -> tuple[float, float]:
    return (round(float(box.width) / PT_PER_MM, 1), round(float(box.height) / PT_PER_MM, 1))


def pixels(path: Path) -> tuple[int, int] | None:
    """An image file's size in pixels; None when it cannot be read."""
    from PIL import Image  # only the print edition reads photos here: pages never load Pillow

    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, Image.DecompressionBombError):
        return None


def photo_line(placed: Placed, names: dict[str, str]) -> tuple[str, str | None]:
    """One photo's effective resolution at its placed size, and a warning when too low."""
    url = urlparse(placed.src)
    path = Path(unquote(url.path))
    shown = names.get(placed.src, path.name)
    size = pixels(path) if url.scheme == "file" else None
    if size is None:
        return (f"{shown}: on page {placed.page}, not a photo file jishi can read",
                f"{shown}: its resolution could not be checked")
    px_w, px_h = size
    # The print stylesheet fits photos in their box (object-fit: contain): the smaller scale wins.
    scale = min(placed.width / px_w, placed.height / px_h)  # CSS px per image pixel
    ppi = CSS_PX_PER_IN / scale
    width_mm, height_mm = (n * scale / CSS_PX_PER_IN * 25.4 for n in (px_w, px_h))
    line = (f"{shown}: {px_w} x {px_h} px placed at {width_mm:.0f} x {height_mm:.0f} mm "
            f"on page {placed.page} = {ppi:.0f} ppi")
    warning = f"{shown}: {ppi:.0f} ppi at its placed size, under {MIN_PPI} ppi"
    return line, warning if ppi < MIN_PPI else None


def check(rel: str, data: bytes, placed: list[Placed], pending: list[str],
          names: dict[str, str], variant: str) -> Report:
    """Read a PDF back and build its preflight report; names maps photo URLs to their src."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    first = reader.pages[0]
    trim = _mm(first.trimbox)
    media = _mm(first.mediabox)
    report = Report(rel, len(reader.pages), trim, round((media[0] - trim[0]) / 2, 1), variant,
                    read_fonts(reader))
    for item in placed:
        line, warning = photo_line(item, names)
        report.photos.append(line)
        if warning:
            report.warnings.append(warning)
    for src in pending:
        report.photos.append(f"{src}: pending (no file yet; a labelled placeholder is printed)")
        report.warnings.append(f"{src}: photo pending")
    for font in report.fonts:
        if not font.embedded:
            report.warnings.append(f"font {font.name} is not embedded")
    return report


def format_report(report: Report) -> str:
    """The report as the short text file written next to the PDF."""
    bleed = f"{report.bleed_mm:g} mm" if report.bleed_mm else "none"
    lines = [f"Preflight: {report.pdf}",
             f"Pages: {report.pages}",
             f"Page size (trim): {report.trim_mm[0]:g} x {report.trim_mm[1]:g} mm",
             f"Bleed: {bleed}",
             f"PDF: {report.variant}",
             "Fonts:"]
    for font in report.fonts:
        state = "embedded" if font.embedded else "NOT EMBEDDED"
        lines.append(f"  {font.name} ({font.subtype.lstrip('/')}, {state}"
                     f"{', subset' if font.subset else ''})")
    lines.append("Photos:" if report.photos else "Photos: none")
    lines += [f"  {line}" for line in report.photos]
    lines.append(f"Warnings: {len(report.warnings)}")
    lines += [f"  {w}" for w in report.warnings]
    return "\n".join(lines) + "\n"
