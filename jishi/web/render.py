"""Render the site model to HTML pages through the theme's Jinja2 templates."""

from __future__ import annotations

import logging
import posixpath
import xml.etree.ElementTree as etree
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .. import inside, series, template_check
from ..checking.translation import is_stale
from ..content import FEATURE_TEXT_KEYS
from ..errors import ErrorList
from ..langs import pick
from ..model import Feature, Section, Site, SiteConfig
from ..photos import images
from ..provenance import source_line
from ..text import markup
from . import parallel_page, reading, share
from .parallel_page import parallel_path

log = logging.getLogger(__name__)

THEME = Path(__file__).resolve().parents[2]  # the default templates/ and assets/
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
LANG_NAMES = {"zh": "中文", "zh-Hant": "繁體中文", "en": "English"}
UI = {
    "zh": {"skip": "跳到正文", "contents": "目录", "switch": "English", "lead": "导语",
           "notes": "注释", "top": "回到顶部", "pdf": "下载印刷版（PDF）",
           "series": "本系列", "previous": "上一篇", "next": "下一篇",
           "not_found": "找不到这个页面", "home": "回到首页",
           "not_found_text": "这个网址没有页面，可能已经移动或输入有误。",
           "stale": "此译文可能未反映{source}原文的最新修改。", "edition_note": "编者注：",
           "parallel": "对照阅读", "only_in": "本节只有{name}版：", "read_it": "阅读{name}版"},
    "zh-Hant": {"skip": "跳到正文", "contents": "目錄", "switch": "English", "lead": "導語",
                "notes": "注釋", "top": "回到頂部", "pdf": "下載印刷版（PDF）",
                "series": "本系列", "previous": "上一篇", "next": "下一篇",
                "not_found": "找不到這個頁面", "home": "回到首頁",
                "not_found_text": "這個網址沒有頁面，可能已經移動或輸入有誤。",
                "stale": "此譯文可能未反映{source}原文的最新修改。", "edition_note": "編者註：",
                "parallel": "對照閱讀", "only_in": "本節只有{name}版：",
                "read_it": "閱讀{name}版"},
    "en": {"skip": "Skip to the article", "contents": "Contents", "switch": "中文",
           "lead": "Lead", "notes": "Notes", "top": "Back to top",
           "pdf": "Download the print edition (PDF)", "series": "In this series",
           "previous": "Previous", "next": "Next",
           "not_found": "Page not found", "home": "Go to the home page",
           "not_found_text": "There is no page at this address: it may have moved, or the "
                             "address may be mistyped.",
           "stale": "This translation may not reflect the latest changes to the {source} text.",
           "edition_note": "Editor's note: ",
           "parallel": "Side by side", "only_in": "This section is only in {name}:",
           "read_it": "read it in {name}"},
}
LANGUAGE_WORDS = {"zh": {"zh": "中文", "en": "英文"}, "en": {"zh": "Chinese", "en": "English"}}


@dataclass(frozen=True)
class Page:
    """One HTML file: where it goes, in which language, showing which feature."""

    path: str  # relative to dist/, always ending in index.html
    lang: str
    feature: Feature | None
    canonical_path: str  # the feature's own page, for canonical and alternate links
    partner: str | None = None  # the language read beside lang: a parallel page

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language whose text the page shows."""
        return (self.lang, self.partner) if self.partner else (self.lang,)


def language_word(lang: str, ui_lang: str) -> str:
    """A language's name as a word of another language's sentence (zh in English: Chinese)."""
    return LANGUAGE_WORDS.get(ui_lang[:2], LANGUAGE_WORDS["en"]).get(lang[:2], lang)


def lang_class(lang: str) -> str:
    """The page's language classes: a zh-Hant page is styled as Chinese too (lang-zh)."""
    return " ".join(dict.fromkeys((f"lang-{lang.split('-')[0]}", f"lang-{lang}")))


def html_lang(lang: str) -> str:
    """Return the BCP 47 tag a page carries (zh → zh-Hans)."""
    return HTML_LANG.get(lang, lang)


def ui(lang: str) -> dict[str, str]:
    """Return the theme's interface words in a language (English when unknown)."""
    return pick(UI, lang)


def feature_path(config: SiteConfig, lang: str, slug: str) -> str:
    """Return the output path of a feature page: default language at the root."""
    prefix = "" if lang == config.languages[0] else f"{lang}/"
    return f"{prefix}{slug}/index.html" if slug else f"{prefix}index.html"


def href(page: Page, target: str) -> str:
    """Return a relative link from a page to another output path."""
    return posixpath.relpath(target, posixpath.dirname(page.path) or ".")


def root_of(page: Page) -> str:
    """Return the relative prefix from a page back to dist/ ('' or '../')."""
    return "../" * page.path.count("/")


def pretty_url(config: SiteConfig, path: str) -> str | None:
    """Return the absolute URL of an output path, when the site has a base_url."""
    if not config.base_url:
        return None
    return config.base_url + path.removesuffix("index.html")


def make_env(source: Path) -> jinja2.Environment:
    """Jinja2 environment: the site's templates/ first, then the default theme's."""
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(str(source / "templates")),
        jinja2.FileSystemLoader(str(THEME / "templates")),
    ])
    errors = ErrorList()
    inside.check_tree(source / "templates", source, errors)  # also when serve reloads them
    errors.raise_if_any()
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    template_check.check_cycles(env)
    return env


def plan_pages(site: Site) -> list[Page]:
    """Every page of the site: each feature in each language, its parallel page, the homes."""
    pages, other = [], parallel_page.partner(site.config)
    for lang in site.config.languages:
        for feature in site.features:
            path = feature_path(site.config, lang, feature.slug)
            pages.append(Page(path, lang, feature, path))
        if lang == site.config.languages[0] and other:
            pages += [Page(parallel_path(f.slug), lang, f, parallel_path(f.slug), other)
                      for f in site.features]
        only = site.features[0] if len(site.features) == 1 else None
        canonical = feature_path(site.config, lang, only.slug) if only else ""
        home = feature_path(site.config, lang, "")
        pages.append(Page(home, lang, only, canonical or home))
    return pages


def alternates(site: Site, page: Page) -> list[dict[str, str]]:
    """The page in every language, then x-default: absolute on base_url, else relative.

    A parallel page is no translation of another page: it has none."""
    if page.partner:
        return []
    slug = page.feature.slug if page.feature else ""
    links = []
    for lang in site.config.languages:
        target = feature_path(site.config, lang, slug)
        url = pretty_url(site.config, target) or href(page, target)
        links.append({"hreflang": html_lang(lang), "href": url, "lang": lang})
    default = links[0]["href"]
    return links + [{"hreflang": "x-default", "href": default, "lang": ""}]


def _switch(site: Site, page: Page) -> list[dict[str, str | bool]]:
    """The reading modes: each language, then the parallel page; each named in its language."""
    slug = page.feature.slug if page.feature else ""
    modes: list[dict[str, str | bool]] = [
        {"lang": lang, "hreflang": html_lang(lang), "name": LANG_NAMES.get(lang, lang),
         "href": href(page, feature_path(site.config, lang, slug)),
         "current": lang == page.lang and not page.partner} for lang in site.config.languages]
    first, other = site.config.languages[0], parallel_page.partner(site.config)
    if slug and other:
        modes.append({"lang": first, "hreflang": html_lang(first), "name": ui(first)["parallel"],
                      "href": href(page, parallel_page.parallel_path(slug)),
                      "current": page.partner is not None})
    return modes


def footnotes_before(feature: Feature, section: Section, lang: str) -> int:
    """How many footnotes a language's page shows before a section: its numbering goes on."""
    count = 0
    for earlier in feature.sections[:feature.sections.index(section)]:
        version = earlier.versions.get(lang)
        count += len(version.scan.body.notes) if version else 0
    return count


def _reading(sections: list[dict[str, Any]], lang: str) -> str:
    """The masthead's reading time: every section's title and body, as the page shows them."""
    text = " ".join(f"{s['title_text'] or ''} {reading.text_of(s['body'])}" for s in sections)
    return reading.phrase(reading.minutes(text), lang)


def _row_data(row: parallel_page.Row, left: str, right: str) -> dict[str, Any]:
    """A parallel row for the template: its cells, each with its language and HTML."""
    if row.kind == "once":  # a figure, from whichever language had it at that place
        return {"once": {"lang": left if row.left else right, "html": row.left or row.right}}
    return {"once": None, "cells": [{"lang": left, "html": row.left or ""},
                                    {"lang": right, "html": row.right or ""}]}


class PageRenderer:
    """Turns pages into HTML with one template environment and the photo plan."""

    def __init__(self, site: Site, env: jinja2.Environment,
                 photos: dict[str, dict[str, images.Photo]],
                 pdfs: dict[tuple[str, str], str] | None = None,
                 fonts: dict[str, str] | None = None) -> None:
        self.site = site
        self.env = env
        self.photos = photos  # feature slug -> src -> Photo
        self.pdfs = pdfs or {}  # (feature slug, lang) -> PDF path, only when PDFs are made
        self.fonts = fonts or {}  # page path -> its display type subset (jishi.web.display_type)
        self.media: dict[tuple[str, str, str], images.PageMedia] = {}
        self.ids: dict[tuple[str, str], set[str]] = {}  # ids given on each page

    def context(self, page: Page, feature: Feature) -> markup.MarkupContext:
        """The markup context for one feature on one page."""
        return self.lang_context(page, feature, page.lang)

    def lang_context(self, page: Page, feature: Feature, lang: str) -> markup.MarkupContext:
        """The markup context for one feature's text in lang, on a page (a parallel page has
        two languages)."""
        media = (page.path, feature.slug, lang)
        if media not in self.media:  # one per page, so it knows the page's first photo
            self.media[media] = images.PageMedia(self.photos.get(feature.slug, {}),
                                                 self.site.config.images, lang, root_of(page))
        # The ids given on a page are one set, whatever the language of the text.
        return markup.MarkupContext(lang, feature.data, self.media[media],
                                    ids=self.ids.setdefault((page.path, feature.slug), set()),
                                    trusted_html=self.site.config.allow_raw_html)

    def section(self, page: Page, feature: Feature, section: Section) -> dict[str, Any] | None:
        """Template data for one section in the page's language."""
        version = section.versions.get(page.lang)
        if version is None:
            return None
        ctx = self.context(page, feature)
        ctx = replace(ctx, footnote_prefix=section.number,
                      footnote_start=footnotes_before(feature, section, page.lang))
        others = [{"lang": lang, "name": LANG_NAMES.get(lang, lang), "hreflang": html_lang(lang),
                   "href": href(page, feature_path(self.site.config, lang, feature.slug))
                   + "#" + section.slug}
                  for lang in self.site.config.languages
                  if lang != page.lang and lang in section.versions]
        return {
            "id": section.slug,
            "number": section.number,
            "title": markup.inline_html(version.title, ctx) if version.title else None,
            "title_text": markup.inline_text(version.title, ctx) if version.title else None,
            "subtitle": markup.inline_html(version.subtitle, ctx) if version.subtitle else None,
            "body": markup.to_html(version.body, ctx),
            "other_languages": others,
            "notice": None,
            "stale": self.stale_notice(page, section),
        }

    def notice(self, page: Page, feature: Feature, section: Section, lang: str
               ) -> dict[str, Any]:
        """In place of a section missing in lang: where to read it, in lang's words."""
        words = ui(lang)
        links = []
        for other, version in section.versions.items():
            name = language_word(other, lang)
            ctx = replace(self.context(page, feature), lang=other)
            title = markup.inline_text(version.title, ctx) if version.title else \
                words["read_it"].format(name=name)
            links.append({"href": href(page, feature_path(self.site.config, other, feature.slug))
                          + "#" + section.slug, "hreflang": html_lang(other), "title": title})
        text = words["only_in"].format(name=" / ".join(
            language_word(other, lang) for other in section.versions))
        return {"id": section.slug, "number": section.number, "title": None,
                "title_text": None, "subtitle": None, "body": "", "other_languages": [],
                "notice": {"text": text, "links": links}, "stale": None}

    def parallel_version(self, page: Page, feature: Feature, section: Section, lang: str
                         ) -> tuple[dict[str, Any], list[markup.Block]]:
        """One language's column of a parallel section: its head, and its blocks."""
        version = section.versions.get(lang)
        if version is None:
            return ({"lang": html_lang(lang), "title": None, "subtitle": None, "title_id": False,
                     "stale": None,
                     "notice": self.notice(page, feature, section, lang)["notice"]}, [])
        # Footnote ids carry the language too: both versions' notes are on one page.
        ctx = replace(self.lang_context(page, feature, lang),
                      footnote_prefix=section.number + 100 * page.languages.index(lang))
        # A translation's column says so when its source changed since it was translated.
        head = {"lang": html_lang(lang), "notice": None,
                "stale": self.stale_notice(replace(page, lang=lang, partner=None), section),
                "title": markup.inline_html(version.title, ctx) if version.title else None,
                "subtitle": markup.inline_html(version.subtitle, ctx) if version.subtitle
                else None}
        return head, markup.to_blocks(version.body, ctx)

    def parallel_section(self, page: Page, feature: Feature, section: Section
                         ) -> dict[str, Any]:
        """Template data for one section of a parallel page: both heads, aligned rows, notes."""
        columns = [self.parallel_version(page, feature, section, lang)
                   for lang in page.languages]
        heads = [head for head, _ in columns]
        titled = [h for h in heads if h["title"]]
        for head in heads:  # the section is named by its first title
            head["title_id"] = bool(titled) and head is titled[0]
        return {"id": section.slug, "heads": heads, "titled": any(h["title"] for h in heads),
                "head": any(h["title"] or h["notice"] or h["stale"] for h in heads),
                "rows": [_row_data(row, heads[0]["lang"], heads[-1]["lang"]) for row in
                         parallel_page.align(columns[0][1], columns[-1][1])],
                "notes": [{"lang": head["lang"], "html": parallel_page.notes(blocks)}
                          for head, blocks in columns]}

    def parallel_data(self, page: Page, feature: Feature) -> dict[str, Any]:
        """The feature's two languages side by side (see jishi.web.parallel_page)."""
        partner = page.partner or page.lang
        title = feature.meta["title"].get(partner)
        return {"slug": feature.slug, "masthead": self.masthead(page, feature),
                "sections": [self.parallel_section(page, feature, s) for s in feature.sections],
                "partner": {"lang": html_lang(partner), "title": markup.inline_html(
                    title, self.lang_context(page, feature, partner)) if title else None},
                "reading": None, "pdf": None}

    def stale_notice(self, page: Page, section: Section) -> str | None:
        """The notice a translation carries once its source changed since it was translated."""
        default = self.site.config.languages[0]
        source, version = section.versions.get(default), section.versions.get(page.lang)
        if page.lang == default or source is None or version is None:
            return None
        if not is_stale(source, version):
            return None
        return ui(page.lang)["stale"].format(source=language_word(default, page.lang))

    def masthead(self, page: Page, feature: Feature) -> dict[str, Any]:
        """Template data for the feature's masthead, in the page's language."""
        ctx = self.context(page, feature)
        # Every masthead field is present, None when the feature leaves it out.
        texts = {key: feature.meta.get(key, {}).get(page.lang) for key in FEATURE_TEXT_KEYS}
        fields = {key: markup.inline_html(t, ctx) if t else None for key, t in texts.items()}
        plain = {key: markup.inline_text(t, ctx) if t else None for key, t in texts.items()}
        return {"html": fields, "text": plain, "hero": self.hero(ctx, feature),
                "date": feature.date.isoformat() if feature.date else None,
                "source": source_line(feature.source, page.lang) if feature.source else None}

    def hero(self, ctx: markup.MarkupContext, feature: Feature) -> dict[str, Any] | None:
        """Template data for the feature's lead photo, when it has one."""
        hero = feature.hero
        if hero is None:
            return None
        caption = hero.caption.get(ctx.lang)
        # A lead photo is never decorative: without alt text, its caption or headline says it.
        alt = hero.alt.get(ctx.lang) or caption or feature.meta["title"].get(ctx.lang, "")
        media = etree.tostring(ctx.media(hero.src, markup.inline_text(alt, ctx)),
                               encoding="unicode", method="html")
        return {"media": Markup(media),
                "caption": markup.inline_html(caption, ctx) if caption else None}

    def feature_data(self, page: Page, feature: Feature) -> dict[str, Any]:
        """A feature in the page's language: masthead, sections, reading time, links."""
        # The masthead first: its lead photo is the page's first, the one loaded at once.
        masthead = self.masthead(page, feature)
        sections = [self.section(page, feature, s) for s in feature.sections]
        pdf = self.pdfs.get((feature.slug, page.lang))
        shown = [s for s in sections if s]
        # A section missing in this language leaves a notice in its place.
        sections = [s or self.notice(page, feature, x, page.lang)
                    for s, x in zip(sections, feature.sections, strict=True)]
        return {"slug": feature.slug, "masthead": masthead,
                "sections": sections, "reading": _reading(shown, page.lang),
                "pdf": href(page, pdf) if pdf else None,
                "series": self.series_links(page, feature)}

    def page_data(self, page: Page) -> dict[str, Any]:
        """Everything a template needs for one page."""
        config = self.site.config
        data: dict[str, Any] = {
            "lang": page.lang, "html_lang": html_lang(page.lang),
            "lang_class": lang_class(page.lang), "root": root_of(page),
            "ui": ui(page.lang), "site_title": config.title[page.lang],
            "alternates": alternates(self.site, page),
            "languages": _switch(self.site, page),
            "canonical": pretty_url(config, page.canonical_path),
            "display_font": href(page, self.fonts[page.path]) if page.path in self.fonts
            else None,
        }
        feature = page.feature
        if feature is not None and page.partner:
            data["feature"] = self.parallel_data(page, feature)
        elif feature is not None:
            data["feature"] = self.feature_data(page, feature)
            data["share"] = self.share(page, feature, data["feature"]["masthead"])
        else:
            data["features"] = self.cards(page)
            titles = [str(card["masthead"]["text"]["title"]) for card in data["features"]]
            data["share"] = share.listing_data(titles, html_lang(page.lang),
                                               config.title[page.lang],
                                               pretty_url(config, page.canonical_path))
        return data

    def share(self, page: Page, feature: Feature, masthead: dict[str, Any]) -> dict[str, Any]:
        """Open Graph, Twitter card and JSON-LD data of a feature page."""
        config = self.site.config
        texts: dict[str, str | None] = masthead["text"]
        hero = feature.hero
        alt = ((hero.alt.get(page.lang) or hero.caption.get(page.lang)) if hero else None)
        alt_text = markup.inline_text(alt, self.context(page, feature)) if alt else texts["title"]
        image = share.share_image(config, feature, self.photos.get(feature.slug, {}),
                                  alt_text or "")
        others = [html_lang(lang) for lang in config.languages if lang != page.lang]
        return share.share_data(texts, html_lang(page.lang), others, config.title[page.lang],
                                masthead["date"], pretty_url(config, page.canonical_path), image)

    def series_links(self, page: Page, feature: Feature) -> dict[str, Any] | None:
        """Links to the features before and after this one in series order (None: no series)."""
        before, after = series.neighbours(self.site.features, feature.slug)
        if before is None and after is None:
            return None
        return {"previous": before and self._link(page, before),
                "next": after and self._link(page, after)}

    def _link(self, page: Page, feature: Feature) -> dict[str, Any]:
        ctx = self.context(page, feature)
        return {"href": href(page, feature_path(self.site.config, page.lang, feature.slug)),
                "title": markup.inline_html(feature.meta["title"][page.lang], ctx)}

    def cards(self, page: Page) -> list[dict[str, Any]]:
        """The series home's cards, in series order; only the first photo loads eagerly."""
        found, photos = [], 0
        for feature in self.site.features:
            card = {**self._link(page, feature), "masthead": self.masthead(page, feature),
                    "stat": self._headline_stat(page, feature),
                    "photo": self._card_photo(page, feature, eager=photos == 0)}
            photos += card["photo"] is not None
            found.append(card)
        return found

    def _headline_stat(self, page: Page, feature: Feature) -> dict[str, Any] | None:
        if feature.headline_stat is None:
            return None
        ctx = self.context(page, feature)
        element = etree.tostring(markup.stat_element(feature.headline_stat, ctx),
                                 encoding="unicode")
        return {"html": Markup(element),
                "label": feature.data.stats[feature.headline_stat].label[page.lang]}

    def _card_photo(self, page: Page, feature: Feature, *, eager: bool) -> Markup | None:
        # A feature whose hero has not arrived gets a typographic card, not a placeholder.
        hero = feature.hero
        photo = self.photos.get(feature.slug, {}).get(hero.src) if hero else None
        if hero is None or photo is None or photo.out is None:
            return None
        alt = hero.alt.get(page.lang) or feature.meta["title"][page.lang]
        alt = markup.inline_text(alt, self.context(page, feature))
        element = images.picture_element(photo, alt, root_of(page),
                                         self.site.config.images.sizes, eager)
        return Markup(etree.tostring(element, encoding="unicode", method="html"))

    def render(self, page: Page) -> str:
        """Render one page to HTML text."""
        template = ("parallel.html" if page.partner else
                    "feature.html" if page.feature is not None else "home.html")
        return self.env.get_template(template).render(**self.page_data(page))
