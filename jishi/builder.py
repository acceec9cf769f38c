"""The build: read and validate everything, render it all in memory, then write it atomically."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import images, markup
from .config import load_config
from .content import read_features
from .errors import ContentError, ErrorList, UsageError
from .model import Feature, Site
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


def plan_photos(site: Site) -> dict[str, dict[str, images.Photo]]:
    """Find and check every photo of every feature."""
    errors = ErrorList()
    plans = {}
    for feature in site.features:
        uses = images.find_uses(feature, site.config.source, errors)
        plans[feature.slug] = images.plan(feature, uses)
    errors.raise_if_any()
    return plans


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    # Jinja2 rewrites a render error's traceback so its frames carry the template's file and
    # line; the innermost template frame is where the error is.
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith((".html", ".xml", ".txt", ".j2")):
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def template_error(exc: jinja2.TemplateError, source: Path) -> ContentError:
    """Turn a Jinja2 error into a ContentError naming the template file and line."""
    frame_name, frame_line = _template_frame(exc)
    name = (getattr(exc, "filename", None) or frame_name or getattr(exc, "name", None)
            or "templates/")
    line = getattr(exc, "lineno", None) or frame_line
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
                if photo.out:
                    staging.copy(photo.out, photo.source)
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
    photos = plan_photos(site)
    pages = render_pages(site, photos)
    files = write_site(out, pages, site, photos)
    return BuildResult(out, sorted(pages), files, time.perf_counter() - started)
