"""site.yaml `images:`: every setting checked, every mistake reported with its line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import ErrorList
from ..model import ImageSettings
from ..yamlio import LineDict

KEYS = {"widths", "formats", "quality", "avif_speed", "sizes", "print_size", "max_pixels",
        "placeholder_ratio", "cache"}
MODERN = ("avif", "webp")
RATIO_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[:/x]\s*(\d+(?:\.\d+)?)\s*$")


def _int(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


class Reader:
    """Reads one `images:` block, recording errors against site.yaml lines."""

    def __init__(self, block: LineDict, path: Path, errors: ErrorList) -> None:
        self.block = block
        self.path = path
        self.errors = errors

    def error(self, key: str, message: str, hint: str) -> None:
        """Record a mistake in one setting."""
        self.errors.add(self.path, self.block.line_of(key), f"images: {key}: {message}", hint)

    def number(self, key: str, low: int, high: int, default: int) -> int:
        """A whole number in [low, high]."""
        if key not in self.block:
            return default
        value = _int(self.block[key], low, high)
        if value is None:
            self.error(key, f"expected a whole number from {low:,} to {high:,}",
                       f"for example {key}: {default}")
            return default
        return value

    def widths(self, default: tuple[int, ...]) -> tuple[int, ...]:
        """A list of pixel widths."""
        value = self.block.get("widths", list(default))
        if not isinstance(value, list) or not value or any(_int(w, 16, 10000) is None
                                                          for w in value):
            self.error("widths", "expected a list of pixel widths from 16 to 10000",
                       "for example widths: [480, 960, 1600]")
            return default
        return tuple(sorted(set(value)))

    def formats(self, default: tuple[str, ...]) -> tuple[str, ...]:
        """The modern formats to write besides the fallback."""
        value = self.block.get("formats", list(default))
        if not isinstance(value, list) or any(f not in MODERN for f in value):
            self.error("formats", f"expected a list of {' and '.join(MODERN)}",
                       "for example formats: [avif, webp]; a JPEG (or PNG with transparency) "
                       "fallback is always written")
            return default
        return tuple(dict.fromkeys(value))

    def quality(self, default: dict[str, int]) -> dict[str, int]:
        """Encoder quality per format, 1-100."""
        value = self.block.get("quality", {})
        if not isinstance(value, dict) or any(k not in default or _int(q, 1, 100) is None
                                              for k, q in value.items()):
            self.error("quality", "expected a map of avif, webp and jpeg to 1-100",
                       "for example quality: {avif: 50, webp: 75, jpeg: 80}")
            return default
        return {**default, **value}

    def text(self, key: str, default: str) -> str:
        """A non-empty string."""
        value = self.block.get(key, default)
        if not isinstance(value, str) or not value.strip():
            self.error(key, "expected text", f'for example {key}: "{default}"')
            return default
        return value.strip()

    def ratio(self, default: tuple[int, int]) -> tuple[int, int]:
        """An aspect ratio as [width, height] or "width:height"."""
        value = self.block.get("placeholder_ratio", list(default))
        match = RATIO_RE.match(value) if isinstance(value, str) else None
        if match:
            value = [float(match[1]), float(match[2])]
        if (isinstance(value, list) and len(value) == 2
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0
                        for v in value)):
            w, h = value
            if 0.1 <= w / h <= 10:
                return (round(w * 100), round(h * 100)) if w % 1 or h % 1 else (int(w), int(h))
        self.error("placeholder_ratio", "expected width and height, like [3, 2] or \"4:3\"",
                   "quote a ratio written with a colon: YAML reads 3:2 unquoted as a number")
        return default

    def cache(self, source: Path) -> Path | None:
        """The cache folder, relative to the site folder."""
        value = self.block.get("cache")
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error("cache", "expected a folder path", "for example cache: .cache/images")
            return None
        return source / value


def read(block: LineDict, path: Path, errors: ErrorList) -> ImageSettings:
    """Validate site.yaml `images:` into ImageSettings."""
    d = ImageSettings()
    r = Reader(block, path, errors)
    return ImageSettings(
        widths=r.widths(d.widths), formats=r.formats(d.formats), quality=r.quality(d.quality),
        avif_speed=r.number("avif_speed", 0, 10, d.avif_speed),
        sizes=r.text("sizes", d.sizes),
        print_size=r.number("print_size", 300, 20000, d.print_size),
        max_pixels=r.number("max_pixels", 10_000, 2_000_000_000, d.max_pixels),
        placeholder_ratio=r.ratio(d.placeholder_ratio), cache=r.cache(path.parent),
    )
