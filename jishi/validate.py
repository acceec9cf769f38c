"""The validate stage: every reference a feature's texts make must be one the page can show.

It reads the scans made when the sources were read (jishi.text.syntax), never the text again.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .errors import ErrorList, quoted
from .model import DataFile, Feature, SectionVersion
from .text.syntax import BLOCK_KINDS, Placeholder, Scan, scan_text
from .yamlio import did_you_mean


def check_feature(feature: Feature, errors: ErrorList) -> None:
    """Record every bad placeholder or photo line of a feature: masthead, hero and sections."""
    path = feature.folder / "feature.yaml"
    for key, texts in feature.meta.items():
        for text in texts.values():
            check_scan(scan_text(text, feature.lines.get(key, 1)), feature.data, path, errors,
                       inline_only=True)
    hero = feature.hero
    if hero:
        for text in [*hero.alt.values(), *hero.caption.values()]:
            check_scan(scan_text(text, hero.line), feature.data, path, errors, inline_only=True)
    for section in feature.sections:
        for version in section.versions.values():
            check_version(version, feature.data, errors)


def check_version(version: SectionVersion, data: DataFile, errors: ErrorList) -> None:
    """Record every bad placeholder or photo line of a section version: titles and body."""
    scan = version.scan
    for title in (scan.title, scan.subtitle):
        check_scan(title, data, version.path, errors, inline_only=True)
    check_scan(scan.body, data, version.path, errors, inline_only=False)
    check_images(scan.body, version.path, errors)


def check_scan(scan: Scan, data: DataFile, path: Path, errors: ErrorList, *,
               inline_only: bool) -> None:
    """Record every bad placeholder of one scanned text (inline_only: a title or caption)."""
    for line in scan.strays:
        errors.add(path, line, "a '{{' or '}}' here is not a placeholder",
                   "write placeholders exactly as {{ stat ID }}, with the braces doubled "
                   "and the ID spelled as in the data file")
    for ref in scan.placeholders:
        check_placeholder(ref, data, path, errors, inline_only=inline_only)


def check_placeholder(ref: Placeholder, data: DataFile, path: Path, errors: ErrorList, *,
                      inline_only: bool) -> None:
    """Record what is wrong with one placeholder: its kind, its ID, or where it stands."""
    known: dict[str, Mapping[str, object]] = {
        "stat": data.stats, "callout": data.stats, "chart": data.charts}
    if ref.kind not in known:
        errors.add(path, ref.line, f"unknown placeholder '{{{{ {ref.kind} ... }}}}'"
                   f"{did_you_mean(ref.kind, set(known))}",
                   "use {{ stat ID }}, {{ callout ID }} or {{ chart ID }}")
        return
    if ref.id not in known[ref.kind]:
        what = "chart" if ref.kind == "chart" else "statistic"
        errors.add(path, ref.line, f"unknown {what} ID {quoted(ref.id)}"
                   f"{did_you_mean(ref.id, set(known[ref.kind]))}",
                   f"define it under {'charts' if ref.kind == 'chart' else 'stats'}: in "
                   f"{data.path.name}, or fix the spelling")
    if ref.kind in BLOCK_KINDS and (inline_only or not ref.alone):
        errors.add(path, ref.line,
                   f"{{{{ {ref.kind} {ref.id} }}}} must stand alone on its own line",
                   "put it on a line of its own, with a blank line before and after"
                   if not inline_only else "use {{ stat ID }} in titles and subtitles")


def check_images(scan: Scan, path: Path, errors: ErrorList) -> None:
    """Record each photo written inside running text: only a photo alone on its line is one."""
    for image in scan.loose_images:
        if image.starts_line:
            errors.add(path, image.line, "this photo line cannot be read",
                       "write ![alt](images/NAME.jpg \"caption\"): no spaces in the file name "
                       "(rename 'IMG 01.jpg' to IMG-01.jpg), the caption in straight quotes")
        else:
            errors.add(path, image.line, "a photo inside running text is not shown "
                       "(only a photo alone on its line becomes a figure)",
                       "put ![alt](images/NAME.jpg \"caption\") on a line of its own, with a "
                       "blank line before and after")
