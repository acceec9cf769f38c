"""The print edition: one PDF per feature and language, set by WeasyPrint from the site model.

The HTML and stylesheet are rendered here from the same model and statistics as the web pages,
through the theme's templates/print/ files; print-only changes to a section are made on its
element tree (jishi.printing.print_tree). Everything taken from WeasyPrint is in
jishi.printing.weasy, which imports it only when a PDF is made, so --help, check and serve
never pay for it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import posixpath
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from ..langs import pick
from ..model import Feature, PrintSettings, Section, Site, SiteConfig
from ..photos import images
from ..text import markup
from ..web.render import (
    Page,
    PageRenderer,
    feature_path,
    footnotes_before,
    html_lang,
    lang_class,
    pretty_url,
    ui,
)
from . import weasy
from .fonts import ChineseFont, check_subsetter, find_chinese_font
from .preflight import Placed, check, format_report
from .print_tree import print_pass

log = logging.getLogger(__name__)

PRINT_UI = {  # the page number, 第 3 页 / Page 3 (the web page's link words are in render.UI)
    "zh": {"page_before": "第 ", "page_after": " 页"},
    "zh-Hant": {"page_before": "第 ", "page_after": " 頁"},
    "en": {"page_before": "Page ", "page_after": ""},
}
REGION = {"zh": "SC", "zh-Hant": "TC", "zh-Hant-HK": "HK"}  # Noto/Source Han CJK faces
LATIN = {  # the Latin faces an English edition prefers before the Chinese font's own
    "body": ('"Liberation Serif"', '"DejaVu Serif"'),
    "heading": ('"Liberation Sans"', '"DejaVu Sans"'),
}
PHOTO_SCHEME = "jishi-photo:"  # sanitize.OWN_SCHEMES lets it through the URL cleaning
PRESS_VARIANT = "pdf/x-4"
SCREEN_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class PrintDoc:
    """One PDF to make: its HTML and stylesheet, where it goes, and how it is stamped."""

    rel: str  # output path relative to dist/
    slug: str
    lang: str
    html: str
    css: str
    base_url: str
    identifier: bytes  # the PDF's permanent ID: the same for every build of this feature
    press: bool
    dated: bool
    photos: dict[str, str] = field(default_factory=dict)  # print URL -> file URL


@dataclass
class PrintedDoc:
    """A made PDF and what preflight needs to know about it."""

    doc: PrintDoc
    data: bytes
    placed: list[Placed] = field(default_factory=list)
    variant: str | None = None  # the WeasyPrint PDF variant written, if any


def print_ui(lang: str) -> dict[str, str]:
    """The print edition's words in a language (English when unknown), the page's words too."""
    words: dict[str, str] = pick(PRINT_UI, lang)
    return {**ui(lang), **words}


def pdf_path(config: SiteConfig, lang: str, slug: str) -> str:
    """Where a feature's PDF goes: beside its page, named <slug>-<lang>.pdf."""
    folder = posixpath.dirname(feature_path(config, lang, slug))
    return posixpath.join(folder, f"{slug}-{lang}.pdf")


def pdf_paths(site: Site) -> dict[tuple[str, str], str]:
    """Every PDF of the site, by (feature slug, language)."""
    return {(f.slug, lang): pdf_path(site.config, lang, f.slug)
            for f in site.features for lang in site.config.languages}


def print_file(photo: images.Photo) -> str:
    """The file the PDF places for a photo (its print-resolution copy when there is one)."""
    source = getattr(photo, "print_file", None) or photo.source
    return Path(source).resolve().as_uri()


def print_url(slug: str, photo: images.Photo) -> str:
    """The photo's URL in the print HTML: the same on every machine.

    WeasyPrint names each image in the PDF by a hash of its URL, so a file URL would put the
    checkout's folder into the bytes; PhotoFetcher maps this URL to the file.
    """
    return PHOTO_SCHEME + quote(f"{slug}/{photo.src}")


def photo_files(slug: str, photos: dict[str, images.Photo]) -> dict[str, str]:
    """Each placed photo's print URL and the file URL it stands for."""
    return {print_url(slug, p): print_file(p) for p in photos.values() if p.out is not None}


def print_media(photo: images.Photo | None, alt: str, lang: str, slug: str) -> etree.Element:
    """The photo as the PDF places it: the print file, or the labelled pending box."""
    if photo is None or photo.out is None:
        label = pick(images.PENDING, lang)
        box = etree.Element("div", {"class": "photo-pending", "role": "img",
                                    "aria-label": f"{label}: {alt}" if alt else label})
        etree.SubElement(box, "span").text = label
        return box
    return etree.Element("img", {"src": print_url(slug, photo), "alt": alt})


class PrintRenderer(PageRenderer):
    """PageRenderer whose photos are the print files, for the print template."""

    def context(self, page: Page, feature: Feature, *,
                notes: bool = False) -> markup.MarkupContext:
        """The markup context for one feature in the print edition: its text, or its notes."""
        photos = self.photos.get(feature.slug, {})

        def media(src: str, alt: str) -> Any:
            return print_media(photos.get(src), alt, page.lang, feature.slug)

        tree_pass = print_pass(pretty_url(self.site.config, page.path), page.lang, notes=notes)
        return markup.MarkupContext(page.lang, feature.data, media, tree_pass=tree_pass,
                                    trusted_html=self.site.config.allow_raw_html)

    def section(self, page: Page, feature: Feature, section: Section) -> dict[str, Any] | None:
        """A section's template data, its footnotes apart ("notes").

        The print edition sets them after the columns: WeasyPrint mis-breaks lines of a
        column-spanning block at the end of a multi-column flow.
        """
        found = super().section(page, feature, section)
        if found is not None:
            ctx = replace(self.context(page, feature, notes=True), footnote_prefix=section.number,
                          footnote_start=footnotes_before(feature, section, page.lang))
            found["notes"] = markup.to_html(section.versions[page.lang].body, ctx)
        return found


def regional(family: str, lang: str) -> list[str]:
    """A Traditional edition asks first for the same family's Traditional face (Noto Serif CJK
    TC for Noto Serif CJK SC), whose glyphs follow Taiwan's or Hong Kong's standard forms; the
    Simplified face stays as the fallback when that one is not installed."""
    region = pick(REGION, lang, "zh")
    if family.endswith(" SC") and region != "SC":
        return [family.removesuffix("SC") + region, family]
    return [family]


def font_stacks(font: ChineseFont, lang: str) -> dict[str, Any]:
    """CSS font-family lists for body and headings: Latin faces first only in English."""
    latin = lang[:2] != "zh"
    stacks: dict[str, Any] = {}
    for role, chinese, generic in (("body", font.body, "serif"),
                                   ("heading", font.heading, "sans-serif")):
        faces = [f'"{name}"' for name in regional(chinese, lang)]
        names = [*(LATIN[role] if latin else ()), *faces, generic]
        stacks[role] = Markup(", ".join(names))  # validated names, not reader text
    stacks["face_url"] = Markup(font.file.as_uri()) if font.file else None
    return stacks


def page_setup(settings: PrintSettings, *, press: bool) -> dict[str, Any]:
    """The @page values: bleed and crop marks only for press."""
    press = press or settings.press
    return {"size": Markup(settings.page_size), "margins": Markup(settings.margins),
            "bleed": Markup(settings.bleed if press else "0"),
            "marks": Markup("crop" if press and settings.crop_marks else "none")}


def print_css(env: jinja2.Environment, settings: PrintSettings, font: ChineseFont, lang: str, *,
              press: bool) -> str:
    """Render the theme's print stylesheet with the site's page and font settings."""
    ui = {k: Markup(v) for k, v in print_ui(lang).items()}
    return env.get_template("print/print.css").render(
        page=page_setup(settings, press=press), columns=settings.columns,
        fonts=font_stacks(font, lang), ui=ui)


def source_date(feature: Feature) -> str | None:
    """The PDF's creation date: the feature's date, else SOURCE_DATE_EPOCH (reproducible builds)."""
    if feature.date:
        return feature.date.isoformat()
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


def document_meta(masthead: dict[str, Any], feature: Feature) -> dict[str, Any]:
    """PDF metadata: title, author (byline), subject, keywords, date."""
    text = masthead["text"]
    keywords = ", ".join(t for t in (text.get("series"), text.get("kicker")) if t)
    return {"title": text["title"], "author": text.get("byline"),
            "subject": text.get("summary") or text.get("subtitle"), "keywords": keywords,
            "date": source_date(feature)}


def render_document(renderer: PrintRenderer, feature: Feature, lang: str, font: ChineseFont, *,
                    press: bool) -> PrintDoc:
    """Render one feature's print HTML and stylesheet in one language."""
    config = renderer.site.config
    rel = pdf_path(config, lang, feature.slug)
    page = Page(feature_path(config, lang, feature.slug), lang, feature, rel)
    masthead = renderer.masthead(page, feature)
    sections = [s for s in (renderer.section(page, feature, x) for x in feature.sections) if s]
    meta = document_meta(masthead, feature)
    html = renderer.env.get_template("print/feature.html").render(
        lang=lang, html_lang=html_lang(lang), lang_class=lang_class(lang), m=masthead,
        sections=sections, meta=meta,
        ui=print_ui(lang))
    css = print_css(renderer.env, config.print, font, lang, press=press)
    ident = hashlib.sha256(f"jishi:{feature.slug}:{lang}".encode()).hexdigest()[:32]
    return PrintDoc(rel, feature.slug, lang, html, css, feature.folder.resolve().as_uri() + "/",
                    ident.encode(), press or config.print.press, meta["date"] is not None,
                    photo_files(feature.slug, renderer.photos.get(feature.slug, {})))


def render_documents(site: Site, photos: dict[str, dict[str, images.Photo]],
                     env: jinja2.Environment, font: ChineseFont,
                     *, press: bool) -> list[PrintDoc]:
    """Every PDF of the site as HTML and CSS, set in the given font."""
    renderer = PrintRenderer(site, env, photos)
    return [render_document(renderer, feature, lang, font, press=press)
            for feature in site.features for lang in site.config.languages]


def plan_documents(site: Site, photos: dict[str, dict[str, images.Photo]],
                   env: jinja2.Environment, *, press: bool) -> list[PrintDoc]:
    """Every PDF of the site as HTML and CSS; a ContentError when no Chinese font exists."""
    font = find_chinese_font(site.config)
    warning = check_subsetter()
    if warning:
        log.warning("%s", warning)
    return render_documents(site, photos, env, font, press=press)


def _options(doc: PrintDoc, variants: set[str]) -> dict[str, Any]:
    options: dict[str, Any] = {"pdf_identifier": doc.identifier, "pdf_tags": True}
    if doc.press and PRESS_VARIANT in variants:
        # WeasyPrint does not convert colours to CMYK: the output intent is sRGB.
        options.update(pdf_variant=PRESS_VARIANT, output_intent="srgb")
    elif not doc.press and SCREEN_VARIANT in variants:
        options.update(pdf_variant=SCREEN_VARIANT)
    return options


def make_pdf(doc: PrintDoc, variants: set[str]) -> PrintedDoc:
    """Set one document with WeasyPrint."""
    options = _options(doc, variants)
    job = weasy.Job(doc.html, doc.css, doc.base_url, doc.photos, options,
                    doc.identifier if doc.press else None)
    data, placed = weasy.write_pdf(job)
    return PrintedDoc(doc, data, placed, options.get("pdf_variant"))


def make_pdfs(docs: list[PrintDoc]) -> list[PrintedDoc]:
    """Set every planned document with WeasyPrint (imported here, and once for all)."""
    variants = weasy.supported_variants()
    if any(doc.press for doc in docs) and PRESS_VARIANT not in variants:
        log.warning("WeasyPrint %s cannot write PDF/X-4: the press PDFs have bleed and crop "
                    "marks but are not PDF/X (upgrade WeasyPrint)", weasy.version())
    return [make_pdf(doc, variants) for doc in docs]


@dataclass
class PrintEdition:
    """The made PDFs and their preflight reports, ready to write into dist/."""

    files: dict[str, bytes] = field(default_factory=dict)  # dist/ path -> bytes
    reports: list[str] = field(default_factory=list)


def variant_name(made: PrintedDoc) -> str:
    """How preflight names the PDF's standard, plainly."""
    if made.variant == PRESS_VARIANT:
        return ("PDF/X-4 (WeasyPrint's pdf/x-4: tagged, sRGB output intent; colours are not "
                "converted to CMYK)")
    if made.variant == SCREEN_VARIANT:
        return "PDF/UA-1 (tagged, WeasyPrint's pdf/ua-1)"
    return "plain PDF 1.7 (tagged; this WeasyPrint cannot write PDF/X-4)" if made.doc.press \
        else "plain PDF 1.7 (tagged)"


def report_path(rel: str) -> str:
    """The preflight file beside a PDF: x.pdf -> x.preflight.txt."""
    return rel.removesuffix(".pdf") + ".preflight.txt"


def print_edition(docs: list[PrintDoc], site: Site,
                  photos: dict[str, dict[str, images.Photo]]) -> PrintEdition:
    """Make every PDF and read each back for its preflight report."""
    edition = PrintEdition()
    for made in make_pdfs(docs):
        doc = made.doc
        if doc.press and not doc.dated:
            log.warning("%s: the feature has no date, so the press PDF carries the build time "
                        "and two builds differ; add date: YYYY-MM-DD to feature.yaml (or set "
                        "SOURCE_DATE_EPOCH)", doc.rel)
        plan = photos.get(doc.slug, {}).values()
        pending = sorted(p.src for p in plan if p.out is None)
        names = {print_file(p): p.src for p in plan if p.out is not None}
        text = format_report(check(doc.rel, made.data, made.placed, pending, names,
                                   variant_name(made)))
        edition.files[doc.rel] = made.data
        edition.files[report_path(doc.rel)] = text.encode("utf-8")
        edition.reports.append(text)
    return edition
