"""Find the fonts the print edition needs: a Chinese font, by fontconfig or from site.yaml."""

from __future__ import annotations

import ctypes
import functools
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, quoted
from ..model import SiteConfig

log = logging.getLogger(__name__)

FONT_PACKAGE = "fonts-noto-cjk"
SUBSET_PACKAGE = "libharfbuzz-subset0"
# The names WeasyPrint's ffi module opens (Linux, macOS, Windows).
SUBSET_LIBRARIES = ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib",
                    "libharfbuzz-subset-0.dll")
HARFBUZZ_LIBRARIES = ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll")
FONT_FILES = (".otf", ".ttf", ".ttc", ".otc", ".woff", ".woff2")
# Serif families set the body like a newspaper; sans families set headings. First found wins.
SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "Noto Serif SC",
         "AR PL UMing CN")
SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC",
        "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback")


@dataclass(frozen=True)
class ChineseFont:
    """The Chinese faces the print stylesheet names: body, headings, and a file if given."""

    body: str  # a CSS family name
    heading: str
    file: Path | None = None  # a font file from site.yaml, loaded with @font-face


def installed_chinese_families() -> list[str]:
    """Families fontconfig knows that cover Chinese (empty when fc-list is missing)."""
    # Asked once per process and fontconfig setting, not on every live-preview rebuild and PDF
    # (fc-list costs about 10 ms); a font installed while serve runs shows after a restart.
    fc_list = shutil.which("fc-list")
    settings = tuple(os.environ.get(k, "") for k in ("FONTCONFIG_FILE", "FONTCONFIG_PATH"))
    return list(_chinese_families(fc_list, settings)) if fc_list else []


@functools.lru_cache(maxsize=4)
def _chinese_families(fc_list: str, settings: tuple[str, ...]) -> tuple[str, ...]:
    del settings  # part of the cache key: fc-list reads them from the environment
    proc = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True,
                          timeout=60, check=False)
    families: set[str] = set()
    for line in proc.stdout.splitlines():
        families.update(name.strip() for name in line.split(",") if name.strip())
    return tuple(sorted(families))


def _missing_font(config: SiteConfig, message: str) -> ContentError:
    line = config.print.font_line or None
    return ContentError(config.source / "site.yaml", line, message,
                        f"install a Chinese font (Debian/Ubuntu: apt-get install {FONT_PACKAGE}), "
                        "or set print: font: to an installed family or to a font file in the "
                        "site (like fonts/MyFont.otf)")


def _from_setting(config: SiteConfig, installed: list[str]) -> ChineseFont:
    font = config.print.font or ""
    if font.lower().endswith(FONT_FILES):
        path = (config.source / font).resolve()
        if not path.is_file():
            raise _missing_font(config, f"print.font: the font file {font} does not exist")
        return ChineseFont("jishi-zh", "jishi-zh", path)
    if font not in installed:
        raise _missing_font(config, "print.font: no installed font family is called "
                            f"{quoted(font)}")
    return ChineseFont(font, font)


def find_chinese_font(config: SiteConfig) -> ChineseFont:
    """The Chinese font of the print edition; a ContentError saying how to get one if none."""
    installed = installed_chinese_families()
    if config.print.font:
        return _from_setting(config, installed)
    serif = next((f for f in SERIF if f in installed), None)
    sans = next((f for f in SANS if f in installed), None)
    if serif or sans:
        return ChineseFont(serif or sans or "", sans or serif or "")
    if installed:
        return ChineseFont(installed[0], installed[0])
    raise _missing_font(config, "no Chinese font is installed, so the print edition (PDF) "
                        "cannot be set")


def load_library(names: tuple[str, ...]) -> ctypes.CDLL | None:
    """The first of these shared libraries that loads, as WeasyPrint looks for them."""
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


def check_subsetter() -> str | None:
    """A warning when WeasyPrint cannot use HarfBuzz's subsetter (it then subsets ~15x slower).

    WeasyPrint uses it only when libharfbuzz-subset loads and HarfBuzz is 4.1.0 or newer.
    """
    subset = load_library(SUBSET_LIBRARIES)
    harfbuzz = load_library(HARFBUZZ_LIBRARIES)
    if subset is not None and harfbuzz is not None and harfbuzz.hb_version_atleast(4, 1, 0):
        return None
    found = "is older than 4.1.0" if subset is not None else "is not installed"
    return (f"the HarfBuzz subsetter {found}: each PDF takes about fifteen times longer and "
            f"far more memory (install it: apt-get install {SUBSET_PACKAGE})")
