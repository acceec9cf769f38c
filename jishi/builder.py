"""The build: read and validate everything, render it all in memory, then write it atomically."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import images, markup, photos_cache
from .config import load_config
from .content import read_features
from .errors import ContentError, ErrorList, UsageError
from .model import Feature, Site, SiteConfig
from .output import Staging
from .render import THEME, PageRenderer, make_env, plan_pages

log = logging.getLogger(__name__)

MARKER = ".jishi-build"  # marks a folder jishi made, so it may replace it


@dataclass
class BuildResult:
    """What a build wrote, for the summary line."""

    out: Path
    pages: list[str] = field(default_factory=list)
    files: int = 0
    seconds: float = 0.0


def _check_feature(feature: Feature, languages: list[str], errors: ErrorList) -> None:
    path = feature.folder / "feature.yaml"
    for texts in feature.meta.values():
        for text in texts.values():
            markup.check_text(text, 1, feature.data, path, True, errors)
    for section in feature.sections:
        for version in section.versions.values():
            markup.check_version(version, feature.data, errors)


def load_site(source: Path) -> Site:
    """Read and validate a whole site; raise every content error found at once."""
    config = load_config(source)
    errors = ErrorList()
    features = read_features(config, errors)
    for feature in features:
        _check_feature(feature, config.languages, errors)
    errors.raise_if_any()
    return Site(config, features)


def cache_dir(config: SiteConfig) -> Path:
    """Where encoded photos are kept between builds (outside the output folder)."""
    return config.images.cache or config.source / ".cache" / "images"


def plan_photos(site: Site) -> dict[str, dict[str, images.Photo]]:
    """Find, check and encode (or take from the cache) every photo of every feature."""
    errors = ErrorList()
    uses = {f.slug: images.find_uses(f, site.config.source, errors) for f in site.features}
    present = sorted({u.path for found in uses.values() for u in found if u.path.is_file()})
    settings = site.config.images
    outcomes = photos_cache.process(present, images.recipe(settings), cache_dir(site.config))
    plans = {f.slug: images.plan(f, uses[f.slug], outcomes, settings, errors)
             for f in site.features}
    errors.raise_if_any()
    return plans


def template_error(exc: jinja2.TemplateError, source: Path) -> ContentError:
    """Turn a Jinja2 error into a ContentError naming the template file and line."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates/"
    line = getattr(exc, "lineno", None)
    return ContentError(Path(name), line, f"template error: {exc.message or exc}",
                        "fix the template; a site's templates/ overrides the theme file by file")


def render_pages(site: Site, photos: dict[str, dict[str, images.Photo]]) -> dict[str, str]:
    """Render every page in memory (nothing is written yet)."""
    renderer = PageRenderer(site, make_env(site.config.source), photos)
    try:
        return {page.path: renderer.render(page) for page in plan_pages(site)}
    except jinja2.TemplateError as exc:
        raise template_error(exc, site.config.source) from exc


def asset_files(source: Path) -> dict[str, Path]:
    """The theme's assets with the site's own assets/ overriding them file by file."""
    found: dict[str, Path] = {}
    for root in (THEME / "assets", source / "assets"):
        for path in sorted(root.rglob("*")):
            if path.is_file():
                found[path.relative_to(root).as_posix()] = path
    return found


def check_out_dir(source: Path, out: Path) -> None:
    """Refuse an output folder whose replacement would lose someone's files."""
    src, dst = source.resolve(), out.resolve()
    if dst == src or src.is_relative_to(dst):
        raise UsageError(f"--out {out} would replace the site's own folder; choose another")
    if dst.is_dir() and any(dst.iterdir()) and not (dst / MARKER).exists():
        raise UsageError(f"--out {out} holds files jishi did not make; it will not replace them "
                         "(choose an empty or new folder)")


def check_cache_dir(config: SiteConfig, out: Path) -> None:
    """Refuse a photo cache inside the output folder: each build replaces that folder."""
    if cache_dir(config).resolve().is_relative_to(out.resolve()):
        raise ContentError(config.source / "site.yaml", None,
                           f"images: cache: {cache_dir(config)} is inside the output folder, "
                           "which every build replaces", "keep the cache outside it, like "
                           "cache: .cache/images")


def write_site(out: Path, pages: dict[str, str], site: Site,
               photos: dict[str, dict[str, images.Photo]]) -> int:
    """Write pages, assets and photos into a staging folder and swap it in."""
    staging = Staging(out)
    try:
        staging.write_text(MARKER, "made by jishi; the next build replaces this folder\n")
        for rel, html in pages.items():
            staging.write_text(rel, html)
        for rel, path in asset_files(site.config.source).items():
            staging.copy(f"assets/{rel}", path)
        for plan in photos.values():
            for photo in plan.values():
                for variant in photo.variants:
                    if variant.out not in staging.written:  # one file, shown under two names
                        staging.copy(variant.out, variant.file)
        count = len(staging.written)
        staging.commit()
    except BaseException:
        staging.rollback()
        raise
    return count


def build(source: Path, out: Path) -> BuildResult:
    """Build a site: every check first, then one atomic write."""
    started = time.perf_counter()
    check_out_dir(source, out)
    site = load_site(source)
    check_cache_dir(site.config, out)
    photos = plan_photos(site)
    pages = render_pages(site, photos)
    files = write_site(out, pages, site, photos)
    return BuildResult(out, sorted(pages), files, time.perf_counter() - started)
