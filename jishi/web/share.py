"""What a shared link shows: Open Graph and Twitter card tags and a JSON-LD NewsArticle.

The data is computed here; templates/partials/share.html writes the tags.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..model import Feature, SiteConfig
from ..photos import images

# Open Graph wants language_TERRITORY; these are the usual territories of each script.
OG_LOCALE = {"zh": "zh_CN", "zh-Hans": "zh_CN", "zh-Hant": "zh_TW", "en": "en_GB"}
# Inside <script>, only these characters can end the element or break the JSON as HTML
# reads it; JSON allows every one of them as a \u escape.
SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                  "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True)
class ShareImage:
    """The picture a shared link shows: an absolute URL and its size."""

    url: str
    width: int
    height: int
    alt: str


def og_locale(lang: str) -> str:
    """The Open Graph locale of a page's BCP 47 language (zh-Hans → zh_CN)."""
    return OG_LOCALE.get(lang, lang.replace("-", "_"))


def share_image(config: SiteConfig, feature: Feature, photos: dict[str, images.Photo],
                alt: str) -> ShareImage | None:
    """The hero photo's largest JPEG/PNG copy, when there is a hero, its file and a base_url.

    Crawlers fetch the image without the page, so only an absolute URL is any use.
    """
    photo = photos.get(feature.hero.src) if feature.hero else None
    if photo is None or photo.out is None or not config.base_url:
        return None
    fallback = [v for v in photo.variants if v.format in ("jpeg", "png")]
    if not fallback:
        return None
    best = max(fallback, key=lambda v: v.width)
    return ShareImage(config.base_url + best.out, best.width, best.height, alt)


def script_json(data: dict[str, Any]) -> Markup:
    """JSON for a <script> element: no text in it can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in SCRIPT_ESCAPES.items():
        text = text.replace(char, escape)
    return Markup(text)


def news_article(texts: dict[str, str | None], lang: str, site_title: str,
                 date: str | None, url: str | None, image: ShareImage | None) -> Markup:
    """The JSON-LD NewsArticle of a feature page (schema.org), ready for <script>."""
    article: dict[str, Any] = {"@context": "https://schema.org", "@type": "NewsArticle",
                               "headline": texts.get("title"), "inLanguage": lang}
    optional = {
        "description": texts.get("summary"),
        "datePublished": date,
        "author": {"@type": "Person", "name": texts["byline"]} if texts.get("byline") else None,
        "publisher": {"@type": "Organization", "name": site_title},
        "url": url, "mainEntityOfPage": url,
        "image": [image.url] if image else None,
    }
    article.update({key: value for key, value in optional.items() if value})
    return script_json(article)


def share_data(texts: dict[str, str | None], lang: str, other_langs: list[str],
               site_title: str, date: str | None, url: str | None,
               image: ShareImage | None) -> dict[str, Any]:
    """Everything the share partial writes for one feature page (lang: its BCP 47 tag)."""
    og = [("og:type", "article"), ("og:site_name", site_title),
          ("og:title", texts.get("title")), ("og:description", texts.get("summary")),
          ("og:locale", og_locale(lang)), ("og:url", url)]
    og += [("og:locale:alternate", og_locale(other)) for other in other_langs]
    if image:
        og += [("og:image", image.url), ("og:image:width", str(image.width)),
               ("og:image:height", str(image.height)), ("og:image:alt", image.alt)]
    if date:
        og.append(("article:published_time", date))
    twitter = [("twitter:card", "summary_large_image" if image else "summary"),
               ("twitter:title", texts.get("title")),
               ("twitter:description", texts.get("summary"))]
    if image:
        twitter += [("twitter:image", image.url), ("twitter:image:alt", image.alt)]
    return {"og": [(k, v) for k, v in og if v], "twitter": [(k, v) for k, v in twitter if v],
            "json_ld": news_article(texts, lang, site_title, date, url, image)}


def listing_data(titles: list[str], lang: str, site_title: str,
                 url: str | None) -> dict[str, Any]:
    """A series home's description and link card: the site's title and its headlines."""
    separator = "；" if lang.startswith("zh") else "; "
    description = separator.join(titles)
    og = [("og:type", "website"), ("og:site_name", site_title), ("og:title", site_title),
          ("og:description", description), ("og:locale", og_locale(lang)), ("og:url", url)]
    return {"description": description, "og": [(k, v) for k, v in og if v],
            "twitter": [("twitter:card", "summary"), ("twitter:title", site_title)],
            "json_ld": None}
