"""The pipeline: read → validate → plan photos → render → print → write.

`build`, `check` (jishi.checking.checks) and the dev server's rebuilder
(jishi.editor.rebuild) compose these same stages; each stage takes what the one before it
made, and only the last one writes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from . import inside, output, series, validate
from .config import load_config
from .content import read_features
from .derived.derive import derive_site
from .errors import ContentError, ErrorList, UsageError
from .model import Site, SiteConfig
from .photos import images
from .printing import pdf as printing
from .printing.fonts import ChineseFont
from .web import display_type, render_cache, site_files
from .web.render import THEME, Page, PageRenderer, make_env, plan_pages

if TYPE_CHECKING:
    from .photos import photos_cache

log = logging.getLogger(__name__)

Photos = dict[str, dict[str, images.Photo]]  # feature slug -> src -> Photo
# (site, env, photos, PDF paths, display fonts) -> the renderer of the pages
RendererFactory = Callable[[Site, jinja2.Environment, Photos, "dict[tuple[str, str], str] | None",
                            "dict[str, str] | None"], PageRenderer]


@dataclass
class BuildResult:
    """What a build wrote, for the summary line."""

    out: Path
    pages: list[str] = field(default_factory=list)
    files: int = 0
    seconds: float = 0.0
    pdfs: list[str] = field(default_factory=list)
    preflight: list[str] = field(default_factory=list)  # one report per PDF
    pdf_error: ContentError | None = None  # the print edition failed; the pages were built


def read_site(source: Path) -> Site:
    """Read and validate a whole site as written, features in series order; raise every
    content error found at once."""
    errors = ErrorList()
    inside.check_site(source, errors)
    errors.raise_if_any()  # nothing outside the site is read, not even site.yaml
    config = load_config(source)
    features = series.in_order(read_features(config, errors), errors)
    for feature in features:
        validate.check_feature(feature, errors)
    errors.raise_if_any()
    return Site(config, features)


def load_site(source: Path, *, write_cache: bool = True) -> Site:
    """The site as it is published: read, validated, every derived language (zh-Hant) filled in.

    write_cache=False keeps converted texts out of the cache (``check`` writes nothing).
    """
    return derive_site(read_site(source), write=write_cache)


def cache_dir(config: SiteConfig) -> Path:
    """Where encoded photos are kept between builds (outside the output folder)."""
    return config.images.cache or config.source / ".cache" / "images"


def plan_photos(site: Site, *, write: bool = True) -> Photos:
    """Find, check and encode (or take from the cache) every photo of every feature.

    write=False leaves the cache as it is (``check`` writes nothing).
    """
    errors = ErrorList()
    uses = {f.slug: images.find_uses(f, site.config.source, errors) for f in site.features}
    present = sorted({u.path for found in uses.values() for u in found if u.path.is_file()})
    settings = site.config.images
    outcomes = _encode(present, site.config, write=write) if present else {}
    plans = {f.slug: images.plan(f, uses[f.slug], outcomes, settings, errors)
             for f in site.features}
    errors.raise_if_any()
    return plans


def _encode(present: list[Path], config: SiteConfig, *, write: bool
            ) -> dict[Path, photos_cache.Outcome]:
    # Pillow and the photo workers load only for a site that has photo files.
    from .photos import photos_cache

    return photos_cache.process(present, images.recipe(config.images), cache_dir(config),
                                write=write)


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    # Jinja2 rewrites a render error's traceback so its frames carry the template's file and
    # line; the innermost template frame is where the error is.
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith((".html", ".css", ".xml", ".txt", ".j2")):
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def template_error(exc: jinja2.TemplateError) -> ContentError:
    """Turn a Jinja2 error into a ContentError naming the template file and line."""
    frame_name, frame_line = _template_frame(exc)
    name = (getattr(exc, "filename", None) or frame_name or getattr(exc, "name", None)
            or "templates/")
    line = getattr(exc, "lineno", None) or frame_line
    return ContentError(Path(name), line, f"template error: {exc.message or exc}",
                        "fix the template; a site's templates/ overrides the theme file by file")


@contextlib.contextmanager
def template_errors() -> Iterator[None]:
    """Report a Jinja2 error raised inside the block as a ContentError naming template and line."""
    try:
        yield
    except jinja2.TemplateError as exc:
        raise template_error(exc) from exc


def plan_display(site: Site) -> display_type.DisplayPlan:
    """The display type subset of every Chinese page, made or taken from .cache/fonts/."""
    return display_type.plan(site, site.config.source / ".cache" / "fonts")


def render_pages(site: Site, photos: Photos, *, pdfs: bool, fonts: dict[str, str] | None = None,
                 env: jinja2.Environment | None = None, renderer: RendererFactory = PageRenderer,
                 pages: list[Page] | None = None, cache: bool = False) -> dict[str, str]:
    """Render every page (or the pages given) in memory; link the PDFs when pdfs.

    The rebuilder passes its caching renderer, its kept template environment and the pages
    a change touched. With cache (the build command), a feature page whose inputs did not
    change since the last build comes from the site's .cache/pages/, and the rest render
    across cores when there are enough of them (jishi.web.render_cache, jishi.web.parallel).
    """
    made = renderer(site, env or make_env(site.config.source), photos,
                    printing.pdf_paths(site) if pdfs else None, fonts)
    chosen = plan_pages(site) if pages is None else pages

    def render(page: Page) -> str:
        with template_errors():
            return made.render(page)

    if not cache:  # the rebuilder's renderer keeps what it made: it stays in this process
        return {page.path: render(page) for page in chosen}
    inputs = (photos, pdfs, sorted((fonts or {}).items()))
    return render_cache.render_cached(site.config.source / ".cache" / "pages", site, inputs,
                                      chosen, render)


def render_files(site: Site, display: display_type.DisplayPlan) -> dict[str, bytes]:
    """The files beside the pages: sitemap.xml, robots.txt, 404.html, favicon, type subsets."""
    with template_errors():
        beside = site_files.render(site, make_env(site.config.source),
                                   asset_files(site.config.source))
    return {**beside, **{rel: path.read_bytes() for rel, path in display.files.items()}}


def asset_files(source: Path) -> dict[str, Path]:
    """The theme's assets with the site's own assets/ overriding them file by file."""
    found: dict[str, Path] = {}
    for root in (THEME / "assets", source / "assets"):
        for path in sorted(root.rglob("*")):
            if root != THEME / "assets" and not inside.is_inside(path, source):
                raise inside.outside_error(path, source)  # a link made while serving
            if path.is_file():
                found[path.relative_to(root).as_posix()] = path
    return found


def check_out_dir(source: Path, out: Path) -> None:
    """Refuse an output folder whose replacement would lose someone's files, or cannot be."""
    src, dst = source.resolve(), out.resolve()
    if dst == src or src.is_relative_to(dst):
        raise UsageError(f"--out {out} would replace the site's own folder; choose another")
    blocked = next((p for p in dst.parents if p.exists() and not p.is_dir()), None)
    if blocked is not None:
        raise UsageError(f"--out {out}: {blocked} is a file, not a folder (choose another --out)")
    check_out_name(out, dst)
    if dst.exists() and not dst.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder; jishi will not replace it "
                         "(move the file or choose another --out)")
    if dst.is_dir() and any(dst.iterdir()) and not output.made_by_jishi(dst):
        raise UsageError(f"--out {out} holds files jishi did not make; it will not replace them "
                         "(choose an empty or new folder)")


def check_out_name(out: Path, dst: Path) -> None:
    """Refuse a name too long for the disk once jishi's staging suffix is added."""
    try:
        limit = os.pathconf(next(p for p in dst.parents if p.exists()), "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    longest = len(os.fsencode(output.beside(dst, "new-12345678").name))
    if longest > limit:
        raise UsageError(f"--out {out}: the folder name is too long for this disk "
                         f"(at most {limit - (longest - len(os.fsencode(dst.name)))} bytes); "
                         "choose a shorter one")


def plan_print(site: Site, photos: Photos, *, press: bool = False, required: bool = True,
               draft: bool = False) -> tuple[list[printing.PrintDoc], ContentError | None]:
    """The PDFs to make, as HTML and CSS; with no Chinese font, the error (raised if required).

    A draft (`check`) sets them in a stand-in font: no font is looked up, WeasyPrint never runs.
    A print: font: that names no installed font or file is a settings mistake, not a missing
    package: it stops the build before anything is written, like any content error.
    """
    env = make_env(site.config.source)
    # A template error stops the build; only a missing font lets the pages go out alone.
    with template_errors():
        if draft:
            stand_in = ChineseFont("serif", "sans-serif")
            return printing.render_documents(site, photos, env, stand_in, press=press), None
        try:
            return printing.plan_documents(site, photos, env, press=press), None
        except ContentError as exc:
            if required or site.config.print.font:
                raise
            return [], exc


def check_cache_dir(config: SiteConfig, out: Path) -> None:
    """Refuse a photo cache inside the output folder: each build replaces that folder."""
    if cache_dir(config).resolve().is_relative_to(out.resolve()):
        raise ContentError(config.source / "site.yaml", None,
                           f"images: cache: {cache_dir(config)} is inside the output folder, "
                           "which every build replaces", "keep the cache outside it, like "
                           "cache: .cache/images")


def write_site(out: Path, site: Site, photos: Photos, pages: dict[str, str],
               extra: dict[str, bytes]) -> int:
    """Write pages, assets, photos and PDFs into a staging folder and swap it in."""
    with output.writing(out, whole=True) as staging:
        for rel, html in pages.items():
            staging.write_text(rel, html)
        for rel, data in extra.items():
            staging.write_bytes(rel, data)
        for rel, path in asset_files(site.config.source).items():
            staging.copy(f"assets/{rel}", path)
        for plan in photos.values():
            for photo in plan.values():
                for variant in photo.variants:
                    if variant.out not in staging.written:  # one file, shown under two names
                        staging.copy(variant.out, variant.file)
        return len(staging.written)


def build(source: Path, out: Path, *, pdf: bool = True, press: bool = False,
          pdf_required: bool = False) -> BuildResult:
    """Build a site: every check first, then one atomic write.

    With pdf, the print edition is made too. A missing Chinese font stops the build only when
    pdf_required (the `pdf` command); otherwise the pages are built and the error is returned.
    """
    started = time.perf_counter()
    check_out_dir(source, out)
    site = load_site(source)
    check_cache_dir(site.config, out)
    photos = plan_photos(site)
    docs, pdf_error = plan_print(site, photos, press=press, required=pdf_required) if pdf \
        else ([], None)
    display = plan_display(site)
    pages = render_pages(site, photos, pdfs=bool(docs), fonts=display.fonts, cache=True)
    edition = printing.print_edition(docs, site, photos) if docs else printing.PrintEdition()
    files = write_site(out, site, photos, pages, {**render_files(site, display), **edition.files})
    if not site.config.base_url:
        log.info("note: %s", site_files.NO_BASE_URL)
    if display.face is None and site.config.display_font is not False:
        log.warning(display_type.NO_FONT)
    return BuildResult(out, sorted(pages), files, time.perf_counter() - started,
                       [d.rel for d in docs], edition.reports, pdf_error)


def replace_files(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Swap files into a built site, each in one rename; return the PDFs among them."""
    output.update(out, files)
    return [out / rel for rel in files if rel.endswith(".pdf")]
