"""The site model every stage after reading works from: plain dataclasses, no behaviour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

from .text.syntax import VersionScan

Localized = dict[str, str]  # language code -> text
ChartKind = Literal["bar", "funnel"]  # a funnel: stages that narrow, drawn centred


@dataclass(frozen=True)
class Stat:
    """One statistic of a feature, as the data file declares it."""

    id: str
    value: Decimal
    label: Localized
    qualifier: str | None = None
    unit: Localized = field(default_factory=dict)
    note: Localized = field(default_factory=dict)
    line: int = 0
    origin: Path | None = None  # site.yaml for a series-wide statistic; None: the data file


@dataclass(frozen=True)
class Chart:
    """A chart built from several statistics."""

    id: str
    kind: ChartKind
    title: Localized
    stats: tuple[str, ...]
    line: int = 0


@dataclass(frozen=True)
class DataFile:
    """A feature's statistics and charts."""

    path: Path
    stats: dict[str, Stat]
    charts: dict[str, Chart]


@dataclass(frozen=True)
class SectionVersion:
    """One language's version of a section: front matter and Markdown body."""

    path: Path
    lang: str
    title: str | None
    subtitle: str | None
    body: str
    body_line: int  # line of path at which body starts
    meta: dict
    meta_lines: dict[str, int] = field(default_factory=dict)  # front-matter key -> line
    # What titles and body refer to, scanned once when the file is read; every stage reads it.
    scan: VersionScan = field(kw_only=True, repr=False)


@dataclass
class Section:
    """A numbered section and its versions by language."""

    number: int
    slug: str
    versions: dict[str, SectionVersion] = field(default_factory=dict)


@dataclass(frozen=True)
class Hero:
    """The feature's lead photo, shown with the masthead."""

    src: str  # relative to the feature folder, like images/cover.jpg
    alt: Localized = field(default_factory=dict)
    caption: Localized = field(default_factory=dict)
    line: int = 0


@dataclass(frozen=True)
class Source:
    """Where a feature first appeared: printed as 原载… / First published in…"""

    publication: Localized
    date: dt.date | None = None
    page: str | None = None  # a page number or name, as printed
    line: int = 0


@dataclass
class Feature:
    """A documentary feature: masthead, sections and its data."""

    slug: str
    folder: Path
    meta: dict[str, Localized]  # kicker, series, title, subtitle, byline, summary
    sections: list[Section]
    data: DataFile
    date: dt.date | None = None
    hero: Hero | None = None
    pending_photos: tuple[str, ...] = ()  # photos the editor knows are still to come
    lines: dict[str, int] = field(default_factory=dict)  # feature.yaml line of each key
    source: Source | None = None  # where it first appeared, when feature.yaml says
    order: int | None = None  # place in the series (feature.yaml `order:`)
    headline_stat: str | None = None  # the statistic its card on the series home shows


def _default_quality() -> dict[str, int]:
    return {"avif": 50, "webp": 75, "jpeg": 80}


@dataclass(frozen=True)
class ImageSettings:
    """site.yaml `images:` — how photos are prepared for web and print (jishi.photos.images)."""

    widths: tuple[int, ...] = (480, 960, 1600)
    formats: tuple[str, ...] = ("avif", "webp")  # modern formats; JPEG/PNG fallback implied
    quality: dict[str, int] = field(default_factory=_default_quality)
    avif_speed: int = 8  # bench/images.py: 6 costs 2.5x the CPU for 11% fewer AVIF bytes
    sizes: str = "(min-width: 42rem) 38rem, calc(100vw - 2rem)"
    print_size: int = 2400  # the print copy keeps at least this long side when it can
    max_pixels: int = 100_000_000  # larger sources are refused (decompression bombs)
    placeholder_ratio: tuple[int, int] = (3, 2)  # width:height of a pending photo
    cache: Path | None = None  # default <source>/.cache/images


@dataclass(frozen=True)
class PrintSettings:
    """site.yaml `print:` — the print edition's page (see jishi.printing.pdf)."""

    page_size: str = "A4"  # a CSS page size: A4, A3, A5, B5, letter, ... or "170mm 240mm"
    margins: str = "20mm 16mm 20mm 16mm"  # CSS margin shorthand: top right bottom left
    columns: int = 2
    bleed: str = "3mm"  # added round the page for press output
    crop_marks: bool = True  # drawn for press output
    press: bool = False  # every PDF for press (the same as --press)
    font: str | None = None  # the Chinese font: a family name or a font file in the site
    font_line: int = 0  # line of `font:` in site.yaml, for its errors


@dataclass(frozen=True)
class Derived:
    """site.yaml `zh-Hant: {from: zh}` — a reading language converted from another (OpenCC)."""

    lang: str  # zh-Hant
    source: str  # zh: the language whose text is converted
    opencc: str = "s2twp"  # the OpenCC configuration
    keep: tuple[str, ...] = ()  # names written as in the source, never converted
    line: int = 0


@dataclass
class SiteConfig:
    """site.yaml, validated."""

    source: Path
    title: Localized
    languages: list[str]
    base_url: str | None = None
    images: ImageSettings = field(default_factory=ImageSettings)
    print: PrintSettings = field(default_factory=PrintSettings)
    stats: dict[str, Stat] = field(default_factory=dict)  # series-wide, usable by any feature
    derived: dict[str, Derived] = field(default_factory=dict)  # language -> how it is made
    # The display face: None finds one, False turns display type off, else a family or file.
    display_font: str | Literal[False] | None = None
    display_font_line: int = 0  # line of `display_font:` in site.yaml, for its errors
    allow_raw_html: bool = False  # trust editors' raw HTML as it is (see jishi/text/sanitize.py)


@dataclass
class Site:
    """Everything a build renders."""

    config: SiteConfig
    features: list[Feature]
