"""The one place jishi calls fontTools: subset a font to some characters as WOFF2.

Imported only when a subset has to be made (a warm build takes them from the cache).
"""

from __future__ import annotations

import io
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTLibError


class UnreadableFont(Exception):
    """fontTools could not read or subset the font file."""


def options(number: int) -> subset.Options:
    """fontTools' defaults, less what a few display lines of one language never need."""
    opts = subset.Options()
    opts.flavor = "woff2"  # compressed with brotli
    opts.font_number = number  # the face inside a collection (.ttc)
    # locl swaps glyphs for other CJK locales; keeping it pulls in their forms too (measured
    # on Noto Serif CJK SC: 1.8x the bytes and time, like pyftsubset --layout-features-=locl).
    opts.layout_features = [f for f in opts.layout_features if f != "locl"]
    opts.hinting = False  # screens that show CJK at display sizes do not use TrueType hints
    opts.desubroutinize = True  # brotli compresses the flat outlines better
    opts.name_IDs = [1, 2, 4, 6]  # family, style, full and PostScript names only
    opts.name_languages = [0x409]
    return opts


def subset_woff2(file: Path, number: int, chars: str) -> bytes:
    """The WOFF2 bytes of file's face number holding exactly the glyphs chars need."""
    opts = options(number)
    try:
        font = subset.load_font(str(file), opts, dontLoadGlyphNames=True)
    except (TTLibError, OSError, ValueError, AssertionError) as exc:
        raise UnreadableFont(str(exc) or type(exc).__name__) from exc
    try:
        subsetter = subset.Subsetter(opts)
        subsetter.populate(text=chars)
        subsetter.subset(font)
        out = io.BytesIO()
        subset.save_font(font, out, opts)
    finally:
        font.close()
    return out.getvalue()
