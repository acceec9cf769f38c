"""Fill in a derived reading language (zh-Hant) everywhere in the site model.

After this stage a derived language is an ordinary language of the site: every text (site
title, mastheads, photos' words, sections, statistics' labels, charts' titles) has its version,
converted from the source language's. A hand-written section file in the derived language
(NN-name.zh-Hant.md) is kept as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..model import DataFile, Derived, Feature, Localized, Section, SectionVersion, Site, Stat
from ..text.syntax import scan_version
from .hant import Converter

Convert = Callable[[str], str]


def cache_dir(source: Path) -> Path:
    """Where converted texts are kept between builds (outside the output folder)."""
    return source / ".cache" / "opencc"


def derive_site(site: Site, *, write: bool = True) -> Site:
    """The site with every derived language filled in; write=False leaves the cache alone."""
    for derived in site.config.derived.values():
        convert = Converter(derived, cache_dir(site.config.source),
                            site.config.source / "site.yaml", write=write)
        config = replace(site.config, title=localized(site.config.title, derived, convert),
                         stats=_stats(site.config.stats, derived, convert))
        site = Site(config, [derive_feature(f, derived, convert, config.languages)
                             for f in site.features])
    return site


def localized(texts: Localized, derived: Derived, convert: Convert) -> Localized:
    """texts with the derived language's version added (converted from its source's)."""
    if derived.lang in texts or derived.source not in texts:
        return texts
    return {**texts, derived.lang: convert(texts[derived.source])}


def derive_feature(feature: Feature, derived: Derived, convert: Convert,
                   languages: list[str]) -> Feature:
    """A feature with its masthead, hero, sections and data in the derived language too."""
    meta = {key: localized(texts, derived, convert) for key, texts in feature.meta.items()}
    hero = feature.hero and replace(feature.hero,
                                    alt=localized(feature.hero.alt, derived, convert),
                                    caption=localized(feature.hero.caption, derived, convert))
    source = feature.source and replace(
        feature.source, publication=localized(feature.source.publication, derived, convert))
    sections = [_section(s, derived, convert, languages) for s in feature.sections]
    return replace(feature, meta=meta, hero=hero, sections=sections, source=source,
                   data=_data(feature.data, derived, convert))


def _section(section: Section, derived: Derived, convert: Convert,
             languages: list[str]) -> Section:
    source = section.versions.get(derived.source)
    if derived.lang in section.versions or source is None:
        return section  # a hand-written version wins; nothing to convert from
    versions = {**section.versions, derived.lang: _version(source, derived.lang, convert)}
    return Section(section.number, section.slug,
                   {lang: versions[lang] for lang in languages if lang in versions})


def _version(source: SectionVersion, lang: str, convert: Convert) -> SectionVersion:
    # The converted version keeps its source's file and lines: an error found while
    # rendering it points at the text the editor wrote.
    title = convert(source.title) if source.title else source.title
    subtitle = convert(source.subtitle) if source.subtitle else source.subtitle
    meta = {**source.meta, **{k: v for k, v in (("title", title), ("subtitle", subtitle)) if v}}
    body = convert(source.body)
    return replace(source, lang=lang, title=title, subtitle=subtitle, body=body, meta=meta,
                   scan=scan_version(title, subtitle, body, source.meta_lines, source.body_line))


def _stats(stats: dict[str, Stat], derived: Derived, convert: Convert) -> dict[str, Stat]:
    return {sid: replace(stat, label=localized(stat.label, derived, convert),
                         unit=localized(stat.unit, derived, convert),
                         note=localized(stat.note, derived, convert))
            for sid, stat in stats.items()}


def _data(data: DataFile, derived: Derived, convert: Convert) -> DataFile:
    charts = {cid: replace(chart, title=localized(chart.title, derived, convert))
              for cid, chart in data.charts.items()}
    return replace(data, stats=_stats(data.stats, derived, convert), charts=charts)
