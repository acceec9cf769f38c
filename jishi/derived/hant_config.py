"""site.yaml's derived languages: `zh-Hant: {from: zh, opencc: s2twp, keep: [益阳]}`.

A language listed in `languages:` that also has a block of its own is not written by hand: its
text is converted from the `from` language with OpenCC (see jishi.derived.hant).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ErrorList, quoted
from ..fields import unknown_keys
from ..model import Derived
from ..yamlio import LineDict, did_you_mean

# OpenCC's configurations from Simplified Chinese: Traditional (OpenCC standard), Taiwan,
# Taiwan with its phrases (软件 → 軟體), Hong Kong.
OPENCC = ("s2t", "s2tw", "s2twp", "s2hk")
KEYS = {"from", "opencc", "keep"}


def read(data: LineDict, languages: list[str], path: Path, errors: ErrorList
         ) -> dict[str, Derived]:
    """Every derived language of site.yaml, validated, by language."""
    found: dict[str, Derived] = {}
    for lang in languages:
        if lang in data:
            derived = _derived(lang, data.get(lang), data.line_of(lang), languages, path, errors)
            if derived is not None:
                found[lang] = derived
    for derived in found.values():
        if derived.source in found:
            errors.add(path, derived.line, f"{derived.lang}.from: {derived.source} is itself "
                       "converted", "convert from a language whose text is written")
    return found


def _derived(lang: str, block: Any, line: int, languages: list[str], path: Path,
             errors: ErrorList) -> Derived | None:
    example = f"write {lang}: {{from: zh, opencc: s2twp}}"
    if not isinstance(block, LineDict):
        errors.add(path, line, f"{lang}: expected from: (and optional opencc:, keep:)", example)
        return None
    unknown_keys(block, KEYS, path, errors)
    source = block.get("from")
    if source not in languages or source == lang:
        errors.add(path, block.line_of("from"), f"{lang}.from: {quoted(source)} is not another "
                   f"language of the site{did_you_mean(str(source), set(languages))}", example)
        return None
    if not (lang.startswith("zh-Hant") and str(source).startswith("zh")):
        # Interface words and figures follow the language's tag, so it must say Traditional.
        errors.add(path, line, f"{lang}: only Traditional Chinese (zh-Hant, zh-Hant-HK, ...) "
                   "is converted, from Simplified, with OpenCC",
                   f"write {lang}'s sections by hand (without a {lang}: block), or list "
                   "zh-Hant in languages with zh-Hant: {from: zh}")
        return None
    return Derived(lang, str(source), _opencc(block, lang, path, errors),
                   _keep(block, lang, path, errors), line)


def _opencc(block: LineDict, lang: str, path: Path, errors: ErrorList) -> str:
    value = block.get("opencc", "s2twp")
    if value not in OPENCC:
        errors.add(path, block.line_of("opencc"), f"{lang}.opencc: {quoted(value)} is not one of "
                   f"{', '.join(OPENCC)}{did_you_mean(str(value), set(OPENCC))}",
                   "s2twp: Taiwan with its own words; s2hk: Hong Kong")
        return "s2twp"
    return str(value)


def _keep(block: LineDict, lang: str, path: Path, errors: ErrorList) -> tuple[str, ...]:
    value = block.get("keep", [])
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        errors.add(path, block.line_of("keep"), f"{lang}.keep: expected a list of names",
                   "write keep: [益阳, 赫山区]: names written as in the Simplified text")
        return ()
    return tuple(x.strip() for x in value)
