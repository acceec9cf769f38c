"""Rebuild only what a change touches, keeping the last good build when a change is bad.

`serve` holds one Rebuilder. It keeps the last good site model, the photo plan, each page's
HTML and each section's rendered HTML, keyed by the inputs it was made from. A change to one
section file re-reads that file and re-renders the pages of its language; a data or
feature.yaml change re-reads that feature; a template change re-renders every page from the
kept model; an asset change copies the assets. Photos are planned only by a full build (start,
site.yaml, a photo added or removed), and the PDF never here (see jishi.serve.PrintEdition).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import builder, content, markup, output
from . import pdf as printing
from .errors import ContentError, ErrorList, JishiError
from .images import Photo
from .model import DataFile, Feature, Section, Site
from .render import Page, PageRenderer, make_env, plan_pages

log = logging.getLogger(__name__)

Photos = dict[str, dict[str, Photo]]


@dataclass
class Outcome:
    """What one rebuild did, for the terminal and the browsers."""

    kind: str  # full, section, feature, templates, assets
    pages: list[str] = field(default_factory=list)  # output paths written
    seconds: float = 0.0
    error: JishiError | None = None
    reload_path: str = "*"  # what livereload.js is told changed


@dataclass(frozen=True)
class Change:
    """The changed source files, sorted by what they make stale."""

    full: bool = False
    templates: bool = False
    assets: frozenset[str] = frozenset()  # changed asset files, as dist/ paths
    features: frozenset[str] = frozenset()  # slugs whose feature.yaml, data or file set changed
    sections: frozenset[Path] = frozenset()  # section files edited in place


class CachingRenderer(PageRenderer):
    """A PageRenderer that reuses a section's HTML while none of its inputs changed.

    A section's inputs are its text in the page's language, the languages it exists in, and
    the statistics and charts it shows: a data edit re-renders only the sections that use
    the edited figures. The cache is emptied by every full build (new photos, site.yaml).
    """

    def __init__(self, site: Site, env: jinja2.Environment, photos: Photos,
                 cache: dict[tuple[str, str, int], tuple[Any, dict[str, Any] | None]],
                 pdfs: dict[tuple[str, str], str] | None = None) -> None:
        super().__init__(site, env, photos, pdfs)
        self.cache = cache

    def section(self, page: Page, feature: Feature, section: Section) -> dict[str, Any] | None:
        """Template data for one section, from the cache when its inputs are the same."""
        version = section.versions.get(page.lang)
        texts = None if version is None else (version.title, version.subtitle, version.body)
        inputs = (tuple(section.versions), section.slug, texts,
                  figures(feature.data, texts or ()))
        key = (page.path, feature.slug, section.number)
        cached = self.cache.get(key)
        if cached is not None and cached[0] == inputs:
            return cached[1]
        data = super().section(page, feature, section)
        self.cache[key] = (inputs, data)
        return data


def figures(data: DataFile, texts: tuple[str | None, ...]) -> list[tuple[str, Any]]:
    """The statistics and charts (with their statistics) that some texts show."""
    found: dict[str, Any] = {}
    for text in texts:
        for ref in markup.references(text or "", 1):
            if isinstance(ref, int):
                continue
            chart = data.charts.get(ref.id) if ref.kind == "chart" else None
            found[f"{ref.kind}:{ref.id}"] = (chart, data.stats.get(ref.id)) if chart is None \
                else (chart, [data.stats.get(sid) for sid in chart.stats])
    return sorted(found.items(), key=lambda item: item[0])


def unreadable(exc: OSError) -> ContentError:
    """A file that could not be read or written, as an error an editor can act on."""
    path = Path(exc.filename) if exc.filename else None
    return ContentError(path, None, f"cannot read or write this file: {exc.strerror or exc}",
                        "if it was being saved or moved, save it again; otherwise check that "
                        "it is a readable file")


def photo_sources(feature: Feature) -> set[str]:
    """Every photo src a feature shows: its hero and its sections' photos."""
    found = {feature.hero.src} if feature.hero else set()
    for section in feature.sections:
        for version in section.versions.values():
            # The same matcher the photo stage uses, so both agree on what a photo is.
            found |= {m["src"] for m in map(markup.figure_match, version.body.split("\n")) if m}
    return found


class Rebuilder:
    """Keeps the last good build of a site and brings it up to date with each change."""

    def __init__(self, source: Path, out: Path) -> None:
        self.source = source
        self.out = out
        self.site: Site | None = None
        self.photos: Photos = {}
        self.pages: dict[str, str] = {}
        self.env: jinja2.Environment | None = None
        self.sections: dict[tuple[str, str, int], tuple[Any, dict[str, Any] | None]] = {}
        self.error: JishiError | None = None
        self.pending: set[Path] = set()  # changes not yet in a good build
        self.lock = threading.Lock()  # held while out/ is written; the server reads under it

    def full(self) -> Outcome:
        """Read, check and render everything, then write out/ atomically (no PDF)."""
        return self._attempt(set(), lambda: self._full())

    def update(self, changed: set[Path]) -> Outcome:
        """Rebuild what the changed files touch; on an error keep the last good build."""
        changed = self.pending | changed
        if self.site is None:
            return self._attempt(changed, self._full)
        return self._attempt(changed, lambda: self._apply(classify(self.source, changed,
                                                                   self.site)))

    def _attempt(self, changed: set[Path], step: Any) -> Outcome:
        started = time.perf_counter()
        try:
            outcome = step()
        except JishiError as exc:
            return self._failed(exc, changed, started)
        except OSError as exc:
            # A file saved by rename, moved or removed while it was read: the next save
            # (which the watcher sees) rebuilds; meanwhile the pages say what happened.
            return self._failed(unreadable(exc), changed, started)
        self.error, self.pending = None, set()
        outcome.seconds = time.perf_counter() - started
        return outcome

    def _failed(self, error: JishiError, changed: set[Path], started: float) -> Outcome:
        self.error, self.pending = error, changed
        return Outcome("error", error=error, seconds=time.perf_counter() - started)

    def _full(self) -> Outcome:
        builder.check_out_dir(self.source, self.out)
        site = builder.load_site(self.source)
        photos = builder.plan_photos(site)
        env = make_env(self.source)
        self.sections.clear()
        pages = self._render(site, photos, env, plan_pages(site))
        with self.lock:
            builder.write_site(self.out, pages, site, photos)
        self.site, self.photos, self.env, self.pages = site, photos, env, pages
        return Outcome("full", sorted(pages))

    def _apply(self, change: Change) -> Outcome:
        assert self.site is not None and self.env is not None
        if change.full:
            return self._full()
        site, env = self.site, self.env
        if change.templates:
            env = make_env(self.source)  # a fresh loader also sees new override files
        for slug in sorted(change.features):
            site = self._reload_feature(site, slug)
        for path in sorted(change.sections):
            site = self._reload_section(site, path)
        if any(photo_sources(f) != set(self.photos.get(f.slug, {})) for f in site.features):
            return self._full()  # a photo was added or removed: plan and copy photos
        dirty = self._dirty(site, change)
        pages = self._render(site, self.photos, env, dirty)
        written = self._write(pages)
        if change.assets:
            self._copy_assets()
        self.site, self.env = site, env
        return Outcome(_kind(change), written, reload_path=_reload_path(change, written))

    def _reload_feature(self, site: Site, slug: str) -> Site:
        errors = ErrorList()
        folder = self.source / "content" / slug
        feature = content.read_feature(folder, site.config, errors)
        if feature is not None:
            builder.check_feature(feature, errors)
        errors.raise_if_any()
        assert feature is not None
        features = [feature if f.slug == slug else f for f in site.features]
        return Site(site.config, features)

    def _reload_section(self, site: Site, path: Path) -> Site:
        slug = path.parent.name
        feature = next(f for f in site.features if f.slug == slug)
        match = content.SECTION_RE.match(path.name)
        assert match is not None
        errors = ErrorList()
        version = content.read_section_file(path, match["lang"], errors)
        errors.raise_if_any()
        assert version is not None
        sections = []
        for section in feature.sections:
            if section.number == int(match["num"]):
                versions = {**section.versions, version.lang: version}
                section = Section(section.number, section.slug,
                                  {lang: versions[lang] for lang in site.config.languages
                                   if lang in versions})
                content.check_titles(section, site.config.languages, errors)
                markup.check_version(version, feature.data, errors)
            sections.append(section)
        errors.raise_if_any()
        changed = dataclasses.replace(feature, sections=sections)
        return Site(site.config, [changed if f.slug == slug else f for f in site.features])

    def _dirty(self, site: Site, change: Change) -> list[Page]:
        pages = plan_pages(site)
        if change.templates:
            return pages
        langs = {(p.parent.name, content.SECTION_RE.match(p.name)["lang"])  # type: ignore[index]
                 for p in change.sections}
        dirty = []
        for page in pages:
            slug = page.feature.slug if page.feature else None
            if (slug in change.features or (slug is None and change.features)
                    or (slug, page.lang) in langs):
                dirty.append(page)
        return dirty

    def _render(self, site: Site, photos: Photos, env: jinja2.Environment,
                pages: list[Page]) -> dict[str, str]:
        # Pages link their PDF; the server makes it when the link is followed.
        renderer = CachingRenderer(site, env, photos, self.sections, printing.pdf_paths(site))
        with builder.template_errors():
            return {page.path: renderer.render(page) for page in pages}

    def _write(self, pages: dict[str, str]) -> list[str]:
        changed = {rel: html for rel, html in pages.items() if self.pages.get(rel) != html}
        with self.lock:
            output.update(self.out, {rel: html.encode("utf-8") for rel, html in changed.items()})
            self.pages.update(changed)
        return list(changed)

    def _copy_assets(self) -> None:
        files = {f"assets/{rel}": path for rel, path in builder.asset_files(self.source).items()}
        with self.lock:
            output.update(self.out, files)


def _kind(change: Change) -> str:
    for name, on in (("templates", change.templates), ("feature", bool(change.features)),
                     ("section", bool(change.sections)), ("assets", bool(change.assets))):
        if on:
            return name
    return "nothing"


def _reload_path(change: Change, written: list[str]) -> str:
    # Only stylesheets changed: livereload.js swaps the CSS in place without a page reload.
    css = sorted(a for a in change.assets if a.endswith(".css"))
    if css and len(css) == len(change.assets) and not written:
        return css[0]
    return written[0] if written else "*"


def what_changed(path: Path, root: Path, known: set[Path], slugs: set[str]) -> tuple[str, str]:
    """What one changed file makes stale: (kind, which)."""
    parts = path.resolve().relative_to(root).parts
    if parts[0] == "templates":
        return "templates", ""
    if parts[0] == "assets":
        # A removed override needs a full build, so that the theme's file comes back.
        return ("assets", "/".join(parts)) if path.exists() else ("full", "")
    if parts[0] == "data" and len(parts) == 2 and Path(parts[1]).stem in slugs:
        return "feature", Path(parts[1]).stem
    if parts[0] == "content" and len(parts) == 3 and parts[1] in slugs:
        if not (root / "content" / parts[1] / "feature.yaml").is_file():
            return "full", ""  # the feature was removed: a full build sees it gone
        if path.resolve() in known and path.exists() and parts[2].endswith(".md"):
            return "section", str(path)
        return "feature", parts[1]  # feature.yaml, or a section added or removed
    if parts[0] == "data":
        return "ignore", ""  # not a feature's data file
    return "full", ""  # site.yaml, a new feature, a photo


def classify(source: Path, changed: set[Path], site: Site) -> Change:
    """Sort changed files by what they make stale; anything structural asks for a full build."""
    known = {v.path.resolve() for f in site.features for s in f.sections
             for v in s.versions.values()}
    slugs = {f.slug for f in site.features}
    found: dict[str, set[str]] = {k: set() for k in
                                  ("full", "templates", "assets", "feature", "section", "ignore")}
    for path in changed:
        kind, which = what_changed(path, source.resolve(), known, slugs)
        found[kind].add(which)
    sections = {Path(p) for p in found["section"]}
    return Change(bool(found["full"]), bool(found["templates"]), frozenset(found["assets"]),
                  frozenset(found["feature"]),
                  frozenset(p for p in sections if p.parent.name not in found["feature"]))
