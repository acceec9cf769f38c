"""Rebuild only what a change touches, keeping the last good build when a change is bad.

`serve` holds one Rebuilder. It keeps the last good site model, the photo plan, each page's
HTML and each section's rendered HTML, keyed by the inputs it was made from. A change to one
section file re-reads that file and re-renders the pages of its language; a data or
feature.yaml change re-reads that feature; a template change re-renders every page from the
kept model; an asset change copies the assets. Photos are planned only by a full build (start,
site.yaml, a photo added or removed), and the PDF never here (see jishi.editor.serve.PrintEdition).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from .. import builder, content, inside, output, validate
from ..errors import ContentError, ErrorList, JishiError
from ..model import DataFile, Feature, Section, Site
from ..photos.images import Photo
from ..text.syntax import VersionScan
from ..web import display_type
from ..web.render import Page, PageRenderer, footnotes_before, make_env, plan_pages

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


@dataclass(frozen=True)
class PageState:
    """What the sections above have claimed on a page: element ids, photos shown.

    Unique ids and the first eager photo are decided across the whole page, so a section's
    HTML depends on this state as much as on its own text.
    """

    ids: frozenset[str]
    photos_shown: tuple[int, ...]  # in each language the page shows


@dataclass(frozen=True)
class CachedSection:
    """A section's template data, the inputs it was made from, and the page state around it."""

    inputs: Any
    before: PageState
    after: PageState
    data: dict[str, Any] | None


SectionCache = dict[tuple[str, str, int], CachedSection]


class CachingRenderer(PageRenderer):
    """A PageRenderer that reuses a section's HTML while none of its inputs changed.

    A section's inputs are its text in the page's language, the languages it exists in, the
    statistics and charts it shows (a data edit re-renders only the sections that use the
    edited figures), and the page state the sections above it left. A cached section is
    reused only when it meets the same page state, and it then claims on the page what it
    claimed when it was rendered, so the page-level passes (unique ids, the first eager photo)
    run over the whole page whichever sections came from the cache. The cache is emptied by
    every full build (new photos, site.yaml).
    """

    def __init__(self, site: Site, env: jinja2.Environment, photos: Photos,
                 cache: SectionCache, pdfs: dict[tuple[str, str], str] | None = None,
                 fonts: dict[str, str] | None = None) -> None:
        super().__init__(site, env, photos, pdfs, fonts)
        self.cache = cache

    def section(self, page: Page, feature: Feature, section: Section) -> dict[str, Any] | None:
        """Template data for one section, from the cache when its inputs are the same."""
        version = section.versions.get(page.lang)
        texts = None if version is None else (version.title, version.subtitle, version.body)
        inputs = (tuple(section.versions), section.slug, texts,
                  figures(feature.data, version.scan if version else None),
                  footnotes_before(feature, section, page.lang),
                  self.stale_notice(page, section))  # the source version's text counts too
        return self._cached(page, feature, section, inputs,
                            lambda: super(CachingRenderer, self).section(page, feature, section))

    def parallel_section(self, page: Page, feature: Feature, section: Section
                         ) -> dict[str, Any]:
        """A section of a parallel page (its versions side by side), cached alike."""
        texts = {lang: (v.title, v.subtitle, v.body) for lang, v in section.versions.items()}
        inputs = ("parallel", section.slug, texts,
                  [figures(feature.data, v.scan) for v in section.versions.values()],
                  [footnotes_before(feature, section, lang) for lang in page.languages],
                  [self.stale_notice(dataclasses.replace(page, lang=lang, partner=None), section)
                   for lang in page.languages])  # marking a translation changes only these
        made = self._cached(page, feature, section, inputs, lambda: super(
            CachingRenderer, self).parallel_section(page, feature, section))
        assert made is not None  # a parallel section always has data
        return made

    def _cached(self, page: Page, feature: Feature, section: Section, inputs: Any,
                make: Callable[[], dict[str, Any] | None]) -> dict[str, Any] | None:
        key = (page.path, feature.slug, section.number)
        before = self._state(page, feature)
        cached = self.cache.get(key)
        if cached is not None and (cached.inputs, cached.before) == (inputs, before):
            self._claim(page, feature, cached.after)
            return cached.data
        data = make()
        self.cache[key] = CachedSection(inputs, before, self._state(page, feature), data)
        return data

    def _state(self, page: Page, feature: Feature) -> PageState:
        # The ids are one set per page; each language shown has its own photo count.
        ids = self.lang_context(page, feature, page.lang).ids
        return PageState(frozenset(ids), tuple(self._media(page, feature, lang).shown
                                               for lang in page.languages))

    def _claim(self, page: Page, feature: Feature, state: PageState) -> None:
        self.lang_context(page, feature, page.lang).ids.update(state.ids)
        for lang, shown in zip(page.languages, state.photos_shown, strict=True):
            self._media(page, feature, lang).shown = shown

    def _media(self, page: Page, feature: Feature, lang: str) -> Any:
        self.lang_context(page, feature, lang)  # makes the page's media for lang if needed
        return self.media[(page.path, feature.slug, lang)]


def figures(data: DataFile, scan: VersionScan | None) -> list[tuple[str, Any]]:
    """The statistics and charts (with their statistics) that a section version shows."""
    found: dict[str, Any] = {}
    for ref in scan.placeholders() if scan else ():
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


def internal(exc: Exception) -> ContentError:
    """An unexpected exception, as an error the pages and the terminal can show."""
    return ContentError(None, None, f"internal error in jishi: {exc!r}",
                        "saving again retries; run serve with --verbose for the traceback, "
                        "and please report it")


def photo_sources(feature: Feature) -> set[str]:
    """Every photo src a feature shows: its hero and its sections' photos."""
    found = {feature.hero.src} if feature.hero else set()
    for section in feature.sections:
        for version in section.versions.values():
            # The scan the photo stage reads, so both agree on what a photo is.
            found |= {photo.src for photo in version.scan.body.photos}
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
        self.sections: SectionCache = {}
        self.error: JishiError | None = None
        self.display = display_type.DisplayPlan(None)  # the subsets the last render linked
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
        except Exception as exc:
            # A bug, or an input jishi does not yet refuse cleanly, must not end `serve`
            # (at start-up or later): show it like a build error; the next save retries.
            log.error("internal error while building: %r (please report it; --verbose "
                      "shows the traceback)", exc, exc_info=log.isEnabledFor(logging.DEBUG))
            return self._failed(internal(exc), changed, started)
        self.error, self.pending = None, set()
        outcome.seconds = time.perf_counter() - started
        return outcome

    def _failed(self, error: JishiError, changed: set[Path], started: float) -> Outcome:
        self.error, self.pending = error, changed
        return Outcome("error", error=error, seconds=time.perf_counter() - started)

    def _full(self) -> Outcome:
        builder.check_out_dir(self.source, self.out)
        site = builder.load_site(self.source)
        builder.check_cache_dir(site.config, self.out)  # as build refuses it, so does serve
        photos = builder.plan_photos(site)
        env = make_env(self.source)
        self.sections.clear()
        pages = self._render(site, photos, env, plan_pages(site))
        # sitemap, robots.txt, 404 and the display type subsets: as a build makes them
        beside = builder.render_files(site, self.display)
        with self.lock:
            builder.write_site(self.out, site, photos, pages, beside)
        self.site, self.photos, self.env, self.pages = site, photos, env, pages
        return Outcome("full", sorted(pages))

    def _apply(self, change: Change) -> Outcome:
        assert self.site is not None and self.env is not None
        if change.full or site_wide(self.site, change):
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
        # 404.html, robots.txt, sitemap.xml and the root favicon.ico read templates and assets.
        beside = builder.render_files(site, self.display) if change.templates or change.assets \
            else {}
        written = self._write(pages)
        self._write_fonts()
        if change.assets:
            self._copy_assets()
        with self.lock:
            builder.replace_files(self.out, beside)
        self.site, self.env = site, env
        return Outcome(_kind(change), written, reload_path=_reload_path(change, written))

    def _reload_feature(self, site: Site, slug: str) -> Site:
        errors = ErrorList()
        folder = self.source / "content" / slug
        feature = content.read_feature(folder, site.config, errors)
        if feature is not None:
            validate.check_feature(feature, errors)
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
        inside.check_tree(path, self.source, errors)  # saved as a link out of the site?
        errors.raise_if_any()
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
                validate.check_version(version, feature.data, errors)
            sections.append(section)
        errors.raise_if_any()
        changed = dataclasses.replace(feature, sections=sections)
        return Site(site.config, [changed if f.slug == slug else f for f in site.features])

    def _dirty(self, site: Site, change: Change) -> list[Page]:
        pages = plan_pages(site)
        if change.templates:
            return pages
        return [page for page in pages if page.feature is None and change.features
                or page.feature is not None and (page.feature.slug in change.features or any(
                    shows(site, page, path) for path in change.sections))]


    def _render(self, site: Site, photos: Photos, env: jinja2.Environment,
                pages: list[Page]) -> dict[str, str]:
        def caching(site: Site, env: jinja2.Environment, photos: Photos,
                    pdfs: dict[tuple[str, str], str] | None,
                    fonts: dict[str, str] | None) -> PageRenderer:
            return CachingRenderer(site, env, photos, self.sections, pdfs, fonts)

        self.display = builder.plan_display(site)  # a new title may need a new subset
        # Pages link their PDF; the server makes it when the link is followed.
        return builder.render_pages(site, photos, pdfs=True, fonts=self.display.fonts, env=env,
                                    renderer=caching, pages=pages)

    def _write(self, pages: dict[str, str]) -> list[str]:
        changed = {rel: html for rel, html in pages.items() if self.pages.get(rel) != html}
        with self.lock:
            output.update(self.out, {rel: html.encode("utf-8") for rel, html in changed.items()})
            self.pages.update(changed)
        return list(changed)

    def _write_fonts(self) -> None:
        # A subset is named by its contents, so one already in out/ is never replaced.
        new = {rel: path.read_bytes() for rel, path in self.display.files.items()
               if not (self.out / rel).exists()}
        with self.lock:
            builder.replace_files(self.out, new)

    def _copy_assets(self) -> None:
        files = {f"assets/{rel}": path for rel, path in builder.asset_files(self.source).items()}
        with self.lock:
            output.update(self.out, files)


def site_wide(site: Site, change: Change) -> bool:
    """A change whose effects reach past its own feature's pages, so that only a full build
    brings every page up to date: a derived language (zh-Hant) is converted from the changed
    text, and in a series a feature's masthead, order and figures show on its neighbours' pages
    and on the home page."""
    if site.config.derived:
        return bool(change.features or change.sections)
    return len(site.features) > 1 and bool(change.features)


def shows(site: Site, page: Page, path: Path) -> bool:
    """Whether a page shows anything of an edited section file.

    Its own language's pages do; so do every language's pages when the file is the default
    language's (a translation's "stale" notice reads its source) or when a language has no
    version of the section (its notice names the other versions' titles).
    """
    match = content.SECTION_RE.match(path.name)
    feature = page.feature
    if match is None or feature is None or feature.slug != path.parent.name:
        return False
    lang = match["lang"]
    section = next((s for s in feature.sections if s.number == int(match["num"])), None)
    return (lang in page.languages or lang == site.config.languages[0] or section is None
            or any(other not in section.versions for other in page.languages))


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
    # The folder is resolved, not the file: a file saved as a link out of the site is still
    # the site's file, and reading it is refused (jishi.inside).
    parts = (path.parent.resolve() / path.name).relative_to(root).parts
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
        if parts[2] != "feature.yaml" and not parts[2].endswith(".md"):
            return "full", ""  # a photo beside the sections: photos are planned in full builds
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
