"""`python build.py check`: read everything, write nothing, report every finding with its line.

Errors are what stops a build (bad sources, unknown statistic IDs, template errors). Warnings
are what a reader or a translator would trip over: a section in one language only, paragraph
counts that differ, a stale translation, statistics never used, figures typed by hand, missing
photos or alt text, broken links. Info notes what an editor has acknowledged (pending photos).
"""

from __future__ import annotations

import contextlib
import json
import logging
import posixpath
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from .. import builder, yamlio
from ..config import authored
from ..derived.derive import derive_site
from ..errors import ContentError, ContentErrors, display_path
from ..model import Feature, Section, SectionVersion, Site
from ..text import sanitize
from ..text.syntax import OFF_SITE_RE, Photo, Scan, photo_key, scan_text
from ..web import display_type
from ..web.render import feature_path
from . import glossary, numbers
from .findings import LEVELS, Finding, from_error
from .translation import KEY, is_stale, source_hash

log = logging.getLogger(__name__)



@contextlib.contextmanager
def quiet_logs() -> Iterator[None]:
    """Keep the build's own warnings out of check's report: check reports them itself."""
    logger = logging.getLogger("jishi")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def run_checks(source: Path) -> list[Finding]:
    """Every finding for the site in source; nothing is written."""
    with quiet_logs():
        try:
            # The texts as written are checked; a derived language's (zh-Hant) are converted
            # from them, and only their pages are checked.
            site = builder.read_site(source)
            published = derive_site(site, write=False)
        except (ContentError, ContentErrors) as exc:
            return from_error(exc)
        found: list[Finding] = []
        for feature in site.features:
            found += check_feature(feature, authored(site.config))
            found += glossary.findings(site.config, feature)
            found += check_raw_html(feature, trusted=site.config.allow_raw_html)
        found += check_series_stats(site)
        found += check_pages(published)
        found += check_display_font(site)
    return found


def check_display_font(site: Site) -> list[Finding]:
    """A display_font in site.yaml that names no installed family or no file stops a build."""
    try:
        display_type.find_face(site.config)
    except ContentError as exc:
        return from_error(exc)
    return []


def check_feature(feature: Feature, languages: list[str]) -> list[Finding]:
    """The findings of one feature."""
    found: list[Finding] = []
    for section in feature.sections:
        found += check_translations(section, languages)
    found += check_statistics(feature)
    found += check_numbers(feature)
    found += check_photos(feature)
    return found


def check_raw_html(feature: Feature, *, trusted: bool) -> list[Finding]:
    """What cleaning removes from raw HTML (unless trusted), and comments never closed."""
    found: list[Finding] = []
    for section in feature.sections:
        for version in section.versions.values():
            removed = [] if trusted else sanitize.report(version.scan.body)
            found += [Finding("warning", "raw-html-removed", version.path, line, message,
                              "raw HTML keeps only the tags and attributes the README lists; "
                              "set allow_raw_html: true in site.yaml to trust editors' HTML")
                      for line, message in removed]
            line = sanitize.unclosed_comment(version.scan.body)
            if line is not None:
                found.append(Finding("warning", "unclosed-comment", version.path, line,
                                     "this '<!--' is never closed by '-->'",
                                     "close the comment with --> or delete it; unclosed, it "
                                     "shows as text or hides what follows"))
    return found


# --- translations -------------------------------------------------------------------------


def check_translations(section: Section, languages: list[str]) -> list[Finding]:
    """Missing versions, paragraph counts that differ, stale translations."""
    found: list[Finding] = []
    present = list(section.versions.values())
    if not present:
        return found
    name = f"{section.number:02d}-{section.slug}"
    for lang in languages:
        if lang not in section.versions:
            found.append(Finding("warning", "missing-language", present[0].path, None,
                                 f"section {name} has no {lang} version",
                                 f"add {name}.{lang}.md, so readers of {lang} get the section"))
    source = section.versions.get(languages[0])
    if source is None:
        return found
    for version in present[1:]:
        found += compare_paragraphs(source, version)
        found += check_stale(source, version)
    return found


def compare_paragraphs(source: SectionVersion, version: SectionVersion) -> list[Finding]:
    """Warn where a translation's blocks stop matching its source's, one for one."""
    ours = [(b.line, b.kind) for b in source.scan.body.blocks]
    theirs = [(b.line, b.kind) for b in version.scan.body.blocks]
    section = f"section {source.path.name.split('.')[0]}"  # the parallel page's rows
    for index, ((line, kind), (_, other)) in enumerate(zip(theirs, ours, strict=False)):
        if kind != other:
            return [Finding("warning", "paragraphs", version.path, line,
                            f"{section}: block {index + 1} is {kind} here but {other} in "
                            f"{source.path.name}: the languages go out of step",
                            "keep one paragraph, photo, callout and chart for each in the "
                            "source, in the same order")]
    if len(ours) != len(theirs):
        line = theirs[len(ours)][0] if len(theirs) > len(ours) else \
            theirs[-1][0] if theirs else version.body_line
        return [Finding("warning", "paragraphs", version.path, line,
                        f"{section}: {len(theirs)} paragraphs here, {len(ours)} in "
                        f"{source.path.name}: the parallel page pairs the first "
                        f"{min(len(ours), len(theirs))}, the rest stand alone",
                        "split or join paragraphs so each matches one paragraph of the source")]
    return []


def check_stale(source: SectionVersion, version: SectionVersion) -> list[Finding]:
    """A translation whose recorded source hash is not the source's hash now."""
    if not is_stale(source, version):
        return []
    recorded, now = version.meta.get(KEY), source_hash(source)
    return [Finding("warning", "stale-translation", version.path, version.meta_lines.get(KEY),
                    f"stale translation: {source.path.name} changed since this was translated "
                    f"(translated from {recorded}, the source is now {now})",
                    "bring the translation up to date, then run `python build.py check "
                    f"--mark-translated {display_path(version.path)}`")]


# --- statistics and hand-typed figures -------------------------------------------------------


def feature_scans(feature: Feature) -> Iterator[tuple[Path, Scan]]:
    """The scan of every text of a feature an editor wrote, with its file."""
    path = feature.folder / "feature.yaml"
    for key, texts in feature.meta.items():
        for text in texts.values():
            yield path, scan_text(text, feature.lines.get(key, 1))
    for section in feature.sections:
        for version in section.versions.values():
            for scan in (version.scan.title, version.scan.subtitle, version.scan.body):
                yield version.path, scan


def check_statistics(feature: Feature) -> list[Finding]:
    """Statistics and charts that no text uses."""
    used = {ref.id for _, scan in feature_scans(feature) for ref in scan.placeholders}
    used.add(feature.headline_stat or "")  # shown on the series home's card
    for chart_id in used & set(feature.data.charts):
        used |= set(feature.data.charts[chart_id].stats)
    found = []
    for kind, items in (("statistic", feature.data.stats), ("chart", feature.data.charts)):
        for item_id, item in items.items():
            if item_id not in used and getattr(item, "origin", None) is None:
                found.append(Finding("warning", f"unused-{kind}", feature.data.path, item.line,
                                     f"{kind} '{item_id}' is never used",
                                     f"write {{{{ {'chart' if kind == 'chart' else 'stat'} "
                                     f"{item_id} }}}} where it belongs, or remove it"))
    return found


def check_series_stats(site: Site) -> list[Finding]:
    """Series-wide statistics (site.yaml) that no feature uses."""
    used = {ref.id for feature in site.features for _, scan in feature_scans(feature)
            for ref in scan.placeholders}
    used |= {sid for feature in site.features for chart in feature.data.charts.values()
             for sid in chart.stats} | {f.headline_stat or "" for f in site.features}
    return [Finding("warning", "unused-statistic", site.config.source / "site.yaml", stat.line,
                    f"series-wide statistic '{sid}' is never used",
                    f"write {{{{ stat {sid} }}}} where it belongs, or remove it")
            for sid, stat in site.config.stats.items() if sid not in used]


def check_numbers(feature: Feature) -> list[Finding]:
    """Figures typed by hand in prose."""
    found = []
    data = display_path(feature.data.path)
    for path, scan in feature_scans(feature):
        for hit in numbers.scan(scan.prose, scan.first_line, feature.data.stats):
            if hit.equals:
                ids = " or ".join(f"'{sid}'" for sid in hit.equals)
                found.append(Finding("warning", "hand-typed-statistic", path, hit.line,
                                     f"{hit.text} is typed by hand and equals the statistic "
                                     f"{ids}", f"write {{{{ stat {hit.equals[0]} }}}} instead"))
            else:
                found.append(Finding("warning", "hand-typed-number", path, hit.line,
                                     f"{hit.text} is typed by hand and looks like a statistic",
                                     f"define it in {data} and write {{{{ stat ID }}}} instead"))
    return found


# --- photos ------------------------------------------------------------------------------------


def photo_uses(feature: Feature) -> Iterator[tuple[SectionVersion, Photo]]:
    """Every photo a feature's sections show, with the version that shows it."""
    for section in feature.sections:
        for version in section.versions.values():
            for photo in version.scan.body.photos:
                yield version, photo


def check_photos(feature: Feature) -> list[Finding]:
    """Missing photos (unless acknowledged as pending), photos without alt text."""
    found, used = [], set()
    pending = set(feature.pending_photos)
    for version, photo in photo_uses(feature):
        src, line = photo.src, photo.line
        if OFF_SITE_RE.match(src):
            continue
        key = photo_key(src)
        used.add(key)
        if not photo.alt.strip():
            found.append(Finding("warning", "photo-alt", version.path, line,
                                 f"photo {src} has no alt text",
                                 "describe the photo between the brackets: ![what it shows](...)"))
        if not (feature.folder / src).is_file():
            found.append(_missing_photo(version.path, line, src, pending=key in pending))
    found += _pending_status(feature, used)
    return found


def _missing_photo(path: Path, line: int, src: str, *, pending: bool) -> Finding:
    if pending:
        return Finding("info", "photo-pending", path, line,
                       f"photo {src} is pending (listed in feature.yaml pending_photos): "
                       "the page shows a labelled placeholder")
    return Finding("warning", "photo-missing", path, line, f"photo {src} is missing",
                   "put the file in the feature folder, fix the path, or, if the photo is "
                   f"still to come, list it in feature.yaml: pending_photos: [{src}]")


def _pending_status(feature: Feature, used: set[str]) -> list[Finding]:
    path = feature.folder / "feature.yaml"
    line = yamlio.load(path).line_of("pending_photos")
    found = []
    for src in feature.pending_photos:
        if (feature.folder / src).is_file():
            found.append(Finding("warning", "photo-pending-arrived", path, line,
                                 f"pending photo {src} is here now",
                                 "remove it from pending_photos"))
        elif src not in used:
            found.append(Finding("warning", "photo-pending-unused", path, line,
                                 f"pending photo {src} is not shown by any section",
                                 "remove it from pending_photos, or fix its path"))
    return found


# --- pages: templates and links --------------------------------------------------------------


class _PageScan(HTMLParser):
    """The ids of a rendered page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Remember every id."""
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)


def check_pages(site: Site) -> list[Finding]:
    """Render every page and print document without writing (template errors), then links."""
    try:
        photos = builder.plan_photos(site, write=False)
        pages = builder.render_pages(site, photos, pdfs=False)
        builder.plan_print(site, photos, draft=True)
    except (ContentError, ContentErrors) as exc:
        return from_error(exc)
    ids = {}
    for rel, html in pages.items():
        scan = _PageScan()
        scan.feed(html)
        ids[rel] = scan.ids
    files = set(pages) | {f"assets/{a}" for a in builder.asset_files(site.config.source)}
    files |= {p.out for plan in photos.values() for p in plan.values() if p.out}
    return [f for feature in site.features for f in check_links(site, feature, ids, files)]


def check_links(site: Site, feature: Feature, ids: dict[str, set[str]],
                files: set[str]) -> Iterator[Finding]:
    """Links from a feature's sections to anchors or files that are not in the built site."""
    for section in feature.sections:
        for lang, version in section.versions.items():
            page = feature_path(site.config, lang, feature.slug)
            for link in version.scan.body.links:
                problem = link_problem(page, link.target, ids, files)
                if problem:
                    yield Finding("warning", "broken-link", version.path, link.line,
                                  f"link {link.target}: {problem}",
                                  "link to a section as #name (its file name without "
                                  "number and language), or to a file of the built site")


def link_problem(page: str, target: str, ids: dict[str, set[str]], files: set[str]) -> str:
    """Why a link from page does not arrive, or '' when it does."""
    if OFF_SITE_RE.match(target):
        return ""
    if target.startswith("/"):
        return "a link starting with / breaks when the site is not at the root; make it relative"
    url, _, fragment = target.partition("#")
    path = page
    if url:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page), url))
        if path.startswith(".."):
            return "it leads out of the site"
        if url.endswith("/") or f"{path}/index.html" in files:
            path = f"{path}/index.html"
        if path not in files:
            return "no such page or file in the built site"
    if fragment and fragment not in ids.get(path, set()):
        return f"no anchor #{fragment} on {path}"
    return ""


# --- the report -------------------------------------------------------------------------------


def exit_code(findings: list[Finding], *, strict: bool) -> int:
    """1 when there is an error, or a warning under --strict; else 0."""
    failing = {"error", "warning"} if strict else {"error"}
    return 1 if any(f.level in failing for f in findings) else 0


def counts(findings: list[Finding]) -> dict[str, int]:
    """How many findings of each level."""
    return {level: sum(f.level == level for f in findings) for level in LEVELS}


def format_text(findings: list[Finding], *, strict: bool) -> str:
    """The report as an editor reads it: one block per finding, then a summary line."""
    order = sorted(findings, key=lambda f: (LEVELS.index(f.level), f.location(), f.line or 0))
    lines = []
    for f in order:
        where = f"{f.location()}: " if f.location() else ""
        lines.append(f"{where}{f.level}: {f.message}")
        if f.hint:
            lines.append(f"    hint: {f.hint}")
    n = counts(findings)
    verdict = "failed" if exit_code(findings, strict=strict) else "passed"
    lines.append(f"check {verdict}{' (--strict)' if strict else ''}: {n['error']} error(s), "
                 f"{n['warning']} warning(s), {n['info']} note(s)")
    return "\n".join(lines)


def format_json(findings: list[Finding], *, strict: bool) -> str:
    """The report for tools: every finding with file and line, and the verdict."""
    return json.dumps({
        "ok": exit_code(findings, strict=strict) == 0, "strict": strict, "counts": counts(findings),
        "findings": [{"level": f.level, "code": f.code,
                      "file": display_path(f.path) if f.path else None, "line": f.line,
                      "message": f.message, "hint": f.hint} for f in findings],
    }, ensure_ascii=False, indent=2)
