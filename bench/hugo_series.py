# ruff: noqa: E501 - the Hugo templates are markup, kept on their natural lines
"""Write the synthetic series (bench/synth.py) as a Hugo site: the same text, the same work.

Each feature is a page bundle with one page per language (its eight sections one after the
other, each under its title); statistics come from the feature's data file through `stat`,
`callout` and `chart` shortcodes that format numbers per language as jishi does (qualifier,
unit, thousands separators in English, wrapped in <data>). In the photo run a render hook
resizes each photo to the widths jishi writes, as WebP and JPEG.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from synth import LANGS, FeatureText, SectionText

CONFIG = """\
baseURL = "http://example.org/"
timeout = "900s"
defaultContentLanguage = "zh"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "404", "section"]
[languages.zh]
weight = 1
languageName = "中文"
[languages.en]
weight = 2
languageName = "English"
"""

STAT = """{{ partial "stat.html" (dict "s" (index (index .Site.Data .Page.Params.data).stats (.Get 0)) "lang" .Page.Language.Lang) }}"""

CALLOUT = """\
{{- $s := index (index .Site.Data .Page.Params.data).stats (.Get 0) -}}
<aside class="callout"><p class="figure">{{ partial "stat.html" (dict "s" $s "lang" .Page.Language.Lang) }}</p>
<p class="label">{{ index $s.label .Page.Language.Lang }}</p></aside>"""

CHART = """\
{{- $d := index .Site.Data .Page.Params.data -}}{{- $c := index $d.charts (.Get 0) -}}
{{- $lang := .Page.Language.Lang -}}
<figure class="chart"><table><caption>{{ index $c.title $lang }}</caption>
{{ range $c.stats }}{{ $s := index $d.stats . }}<tr><th>{{ index $s.label $lang }}</th>
<td>{{ partial "stat.html" (dict "s" $s "lang" $lang) }}</td></tr>
{{ end }}</table></figure>"""

# One number formatted as jishi does: qualifier, figure (thousands separators in English), unit.
STAT_PARTIAL = """\
{{- $s := .s -}}{{- $q := $s.qualifier | default "" -}}
<data value="{{ $s.value }}">{{ if eq .lang "en" }}{{ if eq $q "more_than" }}more than {{ end -}}
{{ lang.FormatNumberCustom 0 $s.value }}{{ else }}{{ $s.value }}{{ if eq $q "more_than" }}多{{ end -}}
{{ index $s.unit .lang }}{{ end }}</data>"""

SINGLE = """\
<!DOCTYPE html>
<html lang="{{ .Language.Lang }}"><head><meta charset="utf-8">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<meta name="description" content="{{ .Params.summary }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .RelPermalink }}">
{{ end }}</head>
<body><header><p>{{ .Params.kicker }}</p><h1>{{ .Title }}</h1><p>{{ .Params.subtitle }}</p>
<p>{{ .Params.byline }}</p></header>
<main>{{ .Content }}</main></body></html>
"""

LIST = """\
<!DOCTYPE html><html lang="{{ .Language.Lang }}"><head><meta charset="utf-8">
<title>{{ .Site.Title }}</title></head><body><ul>
{{ range .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></body></html>
"""

# The widths and formats of the jishi photo run (site.yaml images: widths, formats: [webp]).
RENDER_IMAGE = """\
{{- $img := .Page.Resources.GetMatch .Destination -}}
<figure><picture>
<source type="image/webp" srcset="{{ range slice 480 960 1600 }}{{ ($img.Resize (printf "%dx webp q75" .)).RelPermalink }} {{ . }}w,{{ end }}">
<img src="{{ ($img.Resize "960x jpg q80").RelPermalink }}" srcset="{{ range slice 480 960 1600 }}{{ ($img.Resize (printf "%dx jpg q80" .)).RelPermalink }} {{ . }}w,{{ end }}" alt="{{ .Text }}" loading="lazy">
</picture><figcaption>{{ .Title }}</figcaption></figure>"""

PLACEHOLDER = re.compile(r"\{\{ (stat|callout|chart) ([a-z0-9_]+) \}\}")


def _shortcodes(markdown: str) -> str:
    return PLACEHOLDER.sub(r"{{< \1 \2 >}}", markdown)


def _page(text: FeatureText, lang: str) -> str:
    data = text.slug.replace("-", "_")
    front = [f'title: "{text.headline[lang]}"', f"data: {data}", f"date: {text.date}",
             'kicker: "Series"', 'subtitle: "Generated text"', 'byline: "Generated"',
             'summary: "A generated summary"']
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n".join(
        _section(section, lang) for section in text.sections)


def _section(section: SectionText, lang: str) -> str:
    anchor = section.stem.split("-", 1)[1]
    title = section.title[lang]
    head = f"## {title} {{#{anchor}}}\n\n" if title else ""
    return head + _shortcodes(section.body[lang]) + "\n"


def write_hugo(root: Path, series: list[FeatureText], jishi_root: Path) -> None:
    """Write the Hugo twin of a series written by synth.write_series into jishi_root."""
    (root / "layouts/_default/_markup").mkdir(parents=True, exist_ok=True)
    (root / "layouts/shortcodes").mkdir(parents=True, exist_ok=True)
    (root / "layouts/partials").mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "config.toml").write_text(CONFIG + 'title = "A Synthetic Series"\n')
    files = {"layouts/_default/single.html": SINGLE, "layouts/_default/list.html": LIST,
             "layouts/_default/_markup/render-image.html": RENDER_IMAGE,
             "layouts/shortcodes/stat.html": STAT, "layouts/shortcodes/callout.html": CALLOUT,
             "layouts/shortcodes/chart.html": CHART, "layouts/partials/stat.html": STAT_PARTIAL}
    for rel, body in files.items():
        (root / rel).write_text(body, encoding="utf-8")
    for text in series:
        _write_feature(root, text, jishi_root)


def _write_feature(root: Path, text: FeatureText, jishi_root: Path) -> None:
    bundle = root / "content" / text.slug
    bundle.mkdir(parents=True, exist_ok=True)
    data = (jishi_root / "data" / f"{text.slug}.yaml").read_bytes()
    (root / "data" / f"{text.slug.replace('-', '_')}.yaml").write_bytes(data)
    for lang in LANGS:
        (bundle / f"index.{lang}.md").write_text(_page(text, lang), encoding="utf-8")
    if text.photos:
        (bundle / "images").mkdir(exist_ok=True)
        for name in text.photos:
            target = bundle / "images" / name
            if not target.exists():
                os.link(jishi_root / "content" / text.slug / "images" / name, target)
