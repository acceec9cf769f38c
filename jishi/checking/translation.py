"""Translations and their sources: which source text a translation was made from.

A translation's front matter may say `translated_from: <hash>`, the hash of its source section
(the default language's version) when it was translated. `check` reports it stale once the
source changes; `check --mark-translated FILE` records the current hash, leaving every other
byte of FILE as it was.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .. import yamlio
from ..config import load_config
from ..content import SECTION_RE, read_section_file
from ..errors import ContentError, ErrorList, UsageError
from ..model import SectionVersion

KEY = "translated_from"
KEY_LINE_RE = re.compile(rf"^{KEY}\s*:.*$")


def source_hash(version: SectionVersion) -> str:
    """A short hash of what a translator translates: title, subtitle and body."""
    parts = [version.title or "", version.subtitle or "", version.body]
    text = "\n".join(line.rstrip() for part in parts for line in part.strip().split("\n"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def is_stale(source: SectionVersion, version: SectionVersion) -> bool:
    """True when a translation records a source hash that is not its source's hash now."""
    recorded = version.meta.get(KEY)
    return recorded is not None and str(recorded) != source_hash(source)


def source_file(path: Path, languages: list[str]) -> Path:
    """The default-language file a translation file was made from."""
    m = SECTION_RE.match(path.name)
    if m is None:
        raise UsageError(f"{path}: not a section file (NN-name.LANG.md)")
    if m["lang"] == languages[0]:
        raise UsageError(f"{path} is in the default language {languages[0]}: it is the source; "
                         "mark one of its translations instead")
    if m["lang"] not in languages:
        raise UsageError(f"{path}: '{m['lang']}' is not one of the site's languages {languages}")
    return path.with_name(f"{m['num']}-{m['slug']}.{languages[0]}.md")


def _read(path: Path, lang: str) -> SectionVersion:
    errors = ErrorList()
    version = read_section_file(path, lang, errors)
    errors.raise_if_any()
    assert version is not None
    return version


def _locate(source: Path, file: Path) -> Path:
    for candidate in (file, source / file):
        if candidate.is_file():
            return candidate
    raise UsageError(f"--mark-translated: {file} does not exist")


def with_key(text: str, value: str, path: Path) -> str:
    """Return text with `translated_from: value` set in its front matter, all else unchanged."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").lstrip("\ufeff").rstrip() != "---":
        raise ContentError(path, 1, "the file does not start with front matter",
                           "begin the file with a line '---'")
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    for index, line in enumerate(lines[1:], start=1):
        bare = line.rstrip("\r\n")
        if bare.rstrip() in ("---", "..."):
            lines.insert(index, f"{KEY}: {value}{newline}")
            return "".join(lines)
        if KEY_LINE_RE.match(bare):
            lines[index] = f"{KEY}: {value}{line[len(bare):]}"
            return "".join(lines)
    raise ContentError(path, 1, "the front matter is never closed", "add a line '---' after it")


def mark_translated(source: Path, file: Path) -> tuple[Path, str]:
    """Record in FILE the hash of its source section; return (file, hash)."""
    config = load_config(source)
    path = _locate(source, file)
    origin = source_file(path, config.languages)
    if not origin.is_file():
        raise UsageError(f"{path}: its source {origin.name} does not exist")
    digest = source_hash(_read(origin, config.languages[0]))
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = with_key(yamlio.decode(path, raw), digest, path)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path, digest
