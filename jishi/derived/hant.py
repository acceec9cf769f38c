"""Simplified to Traditional Chinese with OpenCC; the one module that touches the library.

Only prose is converted: placeholders, link targets and URLs, code (by jishi.text.syntax's rule, the
one Python-Markdown follows), HTML tags and the names in the site's `keep:` list pass through as
written. Converted texts are kept in the site's
.cache/opencc/ by a hash of everything that decides them, so a rebuild converts only what
changed; deleting the folder is always safe, and an entry that does not match its own checksum
is converted again.
"""

from __future__ import annotations

import hashlib
import logging
import re
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .. import output
from ..errors import ContentError
from ..model import Derived
from ..text import syntax

log = logging.getLogger(__name__)

# Pieces of a source that are not prose, besides code (found by jishi.text.syntax's one rule for
# code): each is left exactly as written.
PROTECTED = [
    r"\{\{.*?\}\}",  # a placeholder: {{ stat lectures }}
    r"\]\(\s*<?[^)\s>]*>?",  # a link's or photo's target; its title (the caption) is prose
    r"(?m:^[ \t]*\[[^\]\n]+\]:[ \t]*\S+)",  # a reference link's target
    r"<[A-Za-z/!?][^>\n]*>",  # an HTML tag and its attributes
    r"[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+",  # a bare URL
]


def opencc_version(derived: Derived, site_yaml: Path) -> str:
    """The installed OpenCC's version (part of every cache key); an error when it is missing."""
    try:
        return version("opencc")
    except PackageNotFoundError:
        raise ContentError(site_yaml, derived.line, f"{derived.lang} is converted with OpenCC, "
                           "which is not installed", "pip install 'opencc>=1.1.9,<2' (bash "
                           "scripts/setup.sh installs it)") from None


@cache
def _pattern(keep: tuple[str, ...]) -> re.Pattern[str]:
    names = [re.escape(name) for name in sorted(keep, key=len, reverse=True)]
    return re.compile("|".join(PROTECTED + names))


@cache
def _opencc(config: str) -> Any:
    import opencc  # imported only when a text is not in the cache: it loads dictionaries

    return opencc.OpenCC(f"{config}.json")


def protected(text: str, keep: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where text must stay as written: code, placeholders, targets, tags, URLs, kept names."""
    code = syntax.code_regions(text, [m.span() for m in syntax.FENCE_RE.finditer(text)])
    masked = syntax.mask(text, code)  # a placeholder or name inside code is code
    return sorted(code + [m.span() for m in _pattern(keep).finditer(masked)])


def convert_text(text: str, derived: Derived) -> str:
    """Convert the prose of one source text, leaving every protected piece as it was."""
    converter = _opencc(derived.opencc)
    out, at = [], 0
    for start, end in protected(text, derived.keep):
        if end <= at:
            continue  # inside a piece already kept
        start = max(start, at)
        out += [converter.convert(text[at:start]), text[start:end]]
        at = end
    out.append(converter.convert(text[at:]))
    return "".join(out)


class Converter:
    """Converts texts for one derived language, through a cache in the site's .cache/."""

    def __init__(self, derived: Derived, cache_dir: Path, site_yaml: Path, *,
                 write: bool = True) -> None:
        self.derived = derived
        self.folder = cache_dir
        self.write = write  # `check` writes nothing, not even the cache
        self.recipe = hashlib.sha256("\0".join(
            [opencc_version(derived, site_yaml), derived.opencc, *derived.keep, *PROTECTED,
             syntax.FENCE_RE.pattern]
        ).encode()).hexdigest()
        self.done: dict[str, str] = {}  # a label shown by many features is read once

    def __call__(self, text: str) -> str:
        """The text converted: from the cache when it was converted before."""
        if not text:
            return text
        if text not in self.done:
            self.done[text] = self._cached(text)
        return self.done[text]

    def _cached(self, text: str) -> str:
        key = hashlib.sha256(f"{self.recipe}\0{text}".encode()).hexdigest()
        path = self.folder / key[:2] / f"{key}.txt"
        found = _read(path)
        if found is not None:
            return found
        converted = convert_text(text, self.derived)
        if self.write:
            _store(path, converted)
        return converted


def _read(path: Path) -> str | None:
    """A cached text, or None when it is missing or does not match its checksum."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    digest, _, body = raw.partition(b"\n")
    if hashlib.sha256(body).hexdigest().encode() != digest:
        return None
    return body.decode("utf-8")


def _store(path: Path, text: str) -> None:
    """Write a cache entry in one rename; a cache that cannot be written is only slower."""
    body = text.encode("utf-8")
    try:
        output.replace_file(path, hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    except OSError as exc:
        log.debug("OpenCC cache not written: %s", exc)
