"""The terminology check: a glossary maps terms of the source language to their renderings.

    # data/glossary.yaml (the site's), data/<feature>.glossary.yaml (one feature's, which wins)
    language: en                 # the translation it checks (default: the site's second language)
    reverse: false               # also report a rendering whose term the source section lacks
    terms:
      妇联: women's federation                   # one rendering
      执委: [executive member, executive committee member]
      人次: {use: [], avoid: [person-times]}     # no set rendering, but never this one

`check` reports, for every pair of section versions, a term that occurs in the source but none
of whose renderings occurs in the translation, and every `avoid:` form the translation uses.
Renderings match whatever their case, with a space or a hyphen between words, a plural or a
possessive on the last word (women's federations, Left-behind children, party's).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import yamlio
from ..config import unknown_keys
from ..errors import ErrorList, JishiError, quoted
from ..model import Feature, SectionVersion, SiteConfig
from ..text.syntax import PLACEHOLDER_RE
from .findings import Finding, from_error

SITE_FILE = "glossary.yaml"
KEYS = {"language", "reverse", "terms"}
TERM_KEYS = {"use", "avoid"}
HINT = "write terms: {妇联: women's federation, 执委: [executive member, ...]}"


@dataclass(frozen=True)
class Term:
    """One glossary entry: a source term, its renderings and the forms to avoid."""

    term: str
    use: tuple[str, ...]
    avoid: tuple[str, ...]
    path: Path
    line: int

    def where(self) -> str:
        """The entry's place, for a message: data/glossary.yaml:12."""
        return f"{self.path.parent.name}/{self.path.name}:{self.line}"


@dataclass(frozen=True)
class Glossary:
    """The terms that hold for one feature, and which translation they check."""

    terms: tuple[Term, ...]
    language: str
    reverse: bool = False


def rendering_re(rendering: str) -> re.Pattern[str]:
    """How a rendering is found in running text: any case, space or hyphen between words,
    an apostrophe straight or curly, a plural or possessive on the last word."""
    words = [re.sub(r"['’]", "['’]", re.escape(w))
             for w in re.split(r"[\s\-‐–]+", rendering.strip()) if w]
    last = words[-1]
    if re.search(r"[^aeiou]y$", last):
        last = last[:-1] + r"(?:y|ies)"
    words[-1] = last + r"(?:s|es)?(?:['’]s?)?"
    return re.compile(r"(?<![\w-])" + r"[\s\-‐–]+".join(words) + r"(?![\w-])", re.IGNORECASE)


def text_lines(version: SectionVersion) -> list[tuple[int, str]]:
    """What a reader reads of a version, line by line: titles and body, code and placeholders
    blanked out."""
    found = [(version.meta_lines.get(key, 1), text) for key in ("title", "subtitle")
             if (text := getattr(version, key))]
    body = PLACEHOLDER_RE.sub(" ", version.scan.body.prose)  # the scan's: code blanked out
    found += [(version.body_line + n, line) for n, line in enumerate(body.split("\n"))]
    return found


def _strings(value: Any, path: Path, line: int, key: str, errors: ErrorList) -> tuple[str, ...]:
    values = [] if value is None else [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        errors.add(path, line, f"glossary: {key} expects a text or a list of texts", HINT)
        return ()
    return tuple(v.strip() for v in values)


def _term(term: Any, raw: Any, path: Path, line: int, errors: ErrorList) -> Term | None:
    if not isinstance(term, str) or not term.strip():
        errors.add(path, line, f"glossary: {quoted(term)} is not a term", HINT)
        return None
    if isinstance(raw, yamlio.LineDict):
        unknown_keys(raw, TERM_KEYS, path, errors)
        return Term(term, _strings(raw.get("use"), path, line, term, errors),
                    _strings(raw.get("avoid"), path, line, f"{term}: avoid", errors), path, line)
    if raw is None:
        errors.add(path, line, f"glossary: {term} has no rendering", HINT)
    return Term(term, _strings(raw, path, line, term, errors), (), path, line)


def read_file(path: Path, errors: ErrorList) -> yamlio.LineDict | None:
    """One glossary file, checked for its keys; None when there is none."""
    if not path.is_file():
        return None
    raw = errors.capture(yamlio.load, path)
    if raw is None or not isinstance(raw, yamlio.LineDict) or \
            not isinstance(raw.get("terms"), yamlio.LineDict):
        if raw is not None:
            errors.add(path, 1, "glossary: expected a map with terms:", HINT)
        return None
    unknown_keys(raw, KEYS, path, errors)
    return raw


def _terms(raw: yamlio.LineDict, path: Path, errors: ErrorList) -> dict[str, Term]:
    table: yamlio.LineDict = raw["terms"]
    found = (_term(term, value, path, table.line_of(term), errors) for term, value in table.items())
    return {t.term: t for t in found if t is not None}


def default_language(languages: list[str]) -> str:
    """The translation a glossary checks unless it says: English, else the second language."""
    return "en" if "en" in languages[1:] else (languages[1:] or languages)[0]


def load(config: SiteConfig, feature: Feature) -> Glossary | None:
    """The site's glossary with the feature's own on top; None when neither exists.
    Raise every mistake in them at once."""
    errors = ErrorList()
    files = [config.source / "data" / SITE_FILE,
             config.source / "data" / f"{feature.slug}.glossary.yaml"]
    terms: dict[str, Term] = {}
    settings: dict[str, Any] = {}
    for path in files:
        raw = read_file(path, errors)
        if raw is not None:
            terms.update(_terms(raw, path, errors))
            settings.update({k: raw[k] for k in ("language", "reverse") if k in raw})
    errors.raise_if_any()
    if not terms and not settings:
        return None
    language = str(settings.get("language") or default_language(config.languages))
    return Glossary(tuple(terms.values()), language, bool(settings.get("reverse", False)))


def line_with(lines: list[tuple[int, str]], term: str) -> int | None:
    """The first line holding a source-language term."""
    return next((number for number, text in lines if term in text), None)


def line_matching(lines: list[tuple[int, str]], patterns: list[re.Pattern[str]]) -> int | None:
    """The first line where one of the renderings occurs."""
    return next((number for number, text in lines if any(p.search(text) for p in patterns)),
                None)


def pair_findings(glossary: Glossary, source: SectionVersion,
                  version: SectionVersion) -> Iterator[Finding]:
    """The findings of one section's source and translation."""
    src, dst = text_lines(source), text_lines(version)
    where = f"{version.path.parent.name}/{version.path.name}"
    for term in glossary.terms:
        in_source = line_with(src, term.term)
        rendered = line_matching(dst, [rendering_re(r) for r in term.use])
        if in_source and term.use and rendered is None:
            yield Finding("warning", "glossary-missing", source.path, in_source,
                          f"'{term.term}' is here, but {where} has none of its renderings: "
                          f"{', '.join(term.use)} ({term.where()})",
                          "use the glossary's rendering in the translation, or add the one "
                          "it uses to the glossary")
        if glossary.reverse and rendered is not None and in_source is None:
            yield Finding("warning", "glossary-reverse", version.path, rendered,
                          f"'{term.use[0]}' renders '{term.term}' ({term.where()}), which "
                          f"{source.path.name} does not have",
                          "check that the translation says what the source says")
        yield from avoided(term, version, dst)


def avoided(term: Term, version: SectionVersion,
            lines: list[tuple[int, str]]) -> Iterator[Finding]:
    """Every form the glossary says to avoid, where the translation uses it."""
    for form in term.avoid:
        line = line_matching(lines, [rendering_re(form)])
        if line is not None:
            instead = f"use {', '.join(term.use)}" if term.use else "say what is meant"
            yield Finding("warning", "glossary-avoid", version.path, line,
                          f"'{form}' is not the glossary's rendering of '{term.term}' "
                          f"({term.where()})", instead)


def findings(config: SiteConfig, feature: Feature) -> list[Finding]:
    """The terminology findings of one feature (errors in its glossary files among them)."""
    try:
        glossary = load(config, feature)
    except JishiError as exc:
        return from_error(exc)
    if glossary is None:
        return []
    found: list[Finding] = []
    for section in feature.sections:
        source = section.versions.get(config.languages[0])
        version = section.versions.get(glossary.language)
        if source is not None and version is not None:
            found += pair_findings(glossary, source, version)
    return found
