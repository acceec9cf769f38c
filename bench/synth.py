"""Generate a synthetic series: N features × 8 bilingual sections of realistic length.

    python bench/synth.py OUT --features 200 [--photos] [--seed 1]

The text is neutral filler drawn from fixed word lists (no facts, names or figures of any real
story), deterministic for a given seed. Each feature has its own data file of statistics that
the sections use through `{{ stat ID }}` and `{{ callout ID }}`, and one chart. With --photos
each feature also gets three generated photos (Pillow), shown in three of its sections.

`write_series(root, features)` is what the benchmarks and tests call; `series_text(...)` gives
the same text as data so another generator (Hugo, in bench/series.py) can write it too.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from pathlib import Path

SECTIONS = 8  # per language: a lead without a title and seven titled sections
STATS = 6
PHOTOS = 3
PHOTO_SECTIONS = (2, 4, 6)  # the sections that show the photos, one each
PHOTO_SIZE = (2400, 1600)
LANGS = ("zh", "en")

# Neutral words: filler that reads like prose in length and rhythm, and says nothing.
EN_WORDS = (
    "the", "of", "and", "to", "in", "a", "for", "with", "on", "by", "that", "from", "as", "at",
    "work", "people", "year", "local", "service", "centre", "family", "community", "village",
    "county", "training", "project", "women", "children", "support", "programme", "activity",
    "school", "team", "group", "level", "plan", "public", "care", "help", "place", "time",
    "meeting", "report", "network", "volunteer", "course", "office", "home", "town", "road",
    "steady", "practical", "regular", "shared", "new", "every", "several", "many", "each",
    "organised", "visited", "opened", "improved", "joined", "built", "held", "offered", "began",
)
ZH_WORDS = (
    "工作", "群众", "服务", "社区", "家庭", "村里", "培训", "项目", "活动", "妇女", "儿童",
    "组织", "志愿者", "学校", "会议", "中心", "乡镇", "县里", "开展", "推进", "建立", "完善",
    "持续", "积极", "各级", "全面", "深入", "基层", "帮助", "关爱", "交流", "学习", "发展",
    "实践", "经验", "制度", "队伍", "阵地", "平台", "课程", "走访", "宣传", "落实", "提升",
    "的", "了", "和", "在", "把", "为", "与", "对", "从", "也", "都", "还",
)
EN_TITLE_WORDS = ("Steady", "Work", "Shared", "Ground", "Open", "Doors", "Local", "Hands",
                  "Every", "Season", "Common", "Purpose", "Quiet", "Progress", "Near", "Home")
ZH_TITLE_WORDS = ("凝聚", "力量", "关爱", "行动", "共建", "家园", "携手", "前行", "扎根",
                  "基层", "用心", "服务", "点滴", "温暖", "守望", "相助")
# Lengths measured on the Yiyang sections: about 700 Chinese characters and 700 English words
# per titled section, in five or six paragraphs.
ZH_PARAGRAPH = (110, 150)   # characters (words of two characters, mostly)
EN_PARAGRAPH = (95, 130)    # words
PARAGRAPHS = (5, 6)


@dataclass
class SectionText:
    """One section in every language: file stem, titles (None for the lead), Markdown body."""

    stem: str
    title: dict[str, str | None]
    body: dict[str, str]


@dataclass
class FeatureText:
    """One feature's generated text and statistics."""

    slug: str
    date: str
    headline: dict[str, str]
    stats: dict[str, int]
    sections: list[SectionText] = field(default_factory=list)
    photos: list[str] = field(default_factory=list)


def _en_sentence(rnd: random.Random, words: int) -> str:
    picked = [rnd.choice(EN_WORDS) for _ in range(words)]
    return " ".join(picked).capitalize() + "."


def _en_paragraph(rnd: random.Random, stat: str | None) -> str:
    total, sentences = rnd.randint(*EN_PARAGRAPH), []
    while total > 0:
        size = min(total, rnd.randint(12, 24))
        sentences.append(_en_sentence(rnd, size))
        total -= size
    if stat:
        sentences.insert(1, f"The figure reached {{{{ stat {stat} }}}} this year.")
    return " ".join(sentences)


def _zh_paragraph(rnd: random.Random, stat: str | None) -> str:
    total, out = rnd.randint(*ZH_PARAGRAPH), []
    while total > 0:
        clause = "".join(rnd.choice(ZH_WORDS) for _ in range(rnd.randint(4, 9)))
        out.append(clause + rnd.choice("，，，。"))
        total -= len(clause) + 1
    if stat:
        out.insert(1, f"全年达到{{{{ stat {stat} }}}}，")
    return "".join(out).rstrip("，") + "。"


def _title(rnd: random.Random, lang: str) -> str:
    if lang == "zh":
        return "".join(rnd.sample(ZH_TITLE_WORDS, 2))
    return " ".join(rnd.sample(EN_TITLE_WORDS, 3))


def _body(rnd: random.Random, lang: str, index: int, count: int, stat_ids: list[str],
          photo: str | None) -> str:
    """The Markdown of one section: paragraphs with statistics, a callout, maybe a photo.

    Both languages get the same number of paragraphs, so they read in parallel.
    """
    paragraph = _zh_paragraph if lang == "zh" else _en_paragraph
    parts = [paragraph(rnd, stat_ids[(index + n) % STATS] if n % 2 == 0 else None)
             for n in range(count)]
    if index:
        parts.insert(2, f"{{{{ callout {stat_ids[index % STATS]} }}}}")
        head = "**要点**。" if lang == "zh" else "**In short.** "
        parts[1] = head + parts[1]
    if index == SECTIONS - 1:
        parts.append("{{ chart overview }}")
    if photo:
        caption = "现场照片" if lang == "zh" else "A photo from the scene"
        parts.insert(3, f'![{caption}](images/{photo} "{caption} {index}")')
    return "\n\n".join(parts) + "\n"


def feature_text(number: int, seed: int, *, photos: bool = False) -> FeatureText:
    """Generate feature `number` of the series: the same text for the same (number, seed)."""
    rnd = random.Random(f"{seed}-{number}")
    slug = f"feature-{number:03d}"
    stat_ids = [f"figure_{k}" for k in range(STATS)]
    stats = {sid: rnd.randrange(12, 40000) for sid in stat_ids}
    names = [f"photo-{k}.jpg" for k in range(PHOTOS)] if photos else []
    text = FeatureText(slug, f"2019-{1 + number % 12:02d}-{1 + number % 28:02d}",
                       {lang: _title(rnd, lang) for lang in LANGS}, stats, photos=names)
    for index in range(SECTIONS):
        photo = names[PHOTO_SECTIONS.index(index)] if names and index in PHOTO_SECTIONS else None
        stem = "00-lead" if index == 0 else f"{index:02d}-part-{index}"
        titles = {lang: (_title(rnd, lang) if index else None) for lang in LANGS}
        count = 2 if index == 0 else rnd.randint(*PARAGRAPHS)
        bodies = {lang: _body(rnd, lang, index, count, stat_ids, photo) for lang in LANGS}
        text.sections.append(SectionText(stem, titles, bodies))
    return text


def series_text(features: int, *, seed: int = 1, photos: bool = False) -> list[FeatureText]:
    """The whole series as data."""
    return [feature_text(number, seed, photos=photos) for number in range(1, features + 1)]


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _feature_yaml(text: FeatureText) -> str:
    number = text.slug.rsplit("-", 1)[1]
    fields = {
        "kicker": {"zh": "系列报道", "en": "Series"},
        "series": {"zh": f"合成系列 · 第{number}篇", "en": f"A synthetic series · Part {number}"},
        "title": text.headline,
        "subtitle": {"zh": "合成文本，仅供测速", "en": "Generated text for measuring speed"},
        "byline": {"zh": "文：合成", "en": "Generated text"},
        "summary": {"zh": "这是一段生成的摘要，全年达到{{ stat figure_0 }}。",
                    "en": "A generated summary: {{ stat figure_0 }} this year."},
    }
    lines = [f"{key}: {{zh: {_yaml_text(v['zh'])}, en: {_yaml_text(v['en'])}}}"
             for key, v in fields.items()]
    lines.append(f"date: {text.date}")
    return "\n".join(lines) + "\n"


def _data_yaml(text: FeatureText) -> str:
    lines = ["stats:"]
    for index, (sid, value) in enumerate(text.stats.items()):
        lines += [f"  {sid}:", f"    value: {value}"]
        if index % 3 == 1:
            lines.append("    qualifier: more_than")
        lines += ['    unit: {zh: "人次", en: ""}',
                  f'    label: {{zh: "指标{index}", en: "measure {index}"}}']
    lines += ["charts:", "  overview:", "    kind: bar",
              '    title: {zh: "全年指标", en: "The year in figures"}',
              f"    stats: [{', '.join(list(text.stats)[:3])}]"]
    return "\n".join(lines) + "\n"


def _section_file(section: SectionText, lang: str) -> str:
    title = section.title[lang]
    front = f"title: {_yaml_text(title)}\n" if title else ""
    return f"---\n{front}---\n\n{section.body[lang]}"


SITE_YAML = 'title: {zh: "合成系列", en: "A Synthetic Series"}\nlanguages: [zh, en]\n'


def write_feature(root: Path, text: FeatureText) -> None:
    """Write one feature's folder and data file under root."""
    folder = root / "content" / text.slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "feature.yaml").write_text(_feature_yaml(text), encoding="utf-8")
    (root / "data" / f"{text.slug}.yaml").write_text(_data_yaml(text), encoding="utf-8")
    for section in text.sections:
        for lang in LANGS:
            (folder / f"{section.stem}.{lang}.md").write_text(
                _section_file(section, lang), encoding="utf-8")
    if text.photos:
        write_photos(folder / "images", text.photos, seed=int(text.slug.rsplit("-", 1)[1]))


def write_photos(folder: Path, names: list[str], *, seed: int) -> None:
    """Write camera-like JPEGs (2400×1600, noisy, with shapes) so encoding has real work."""
    from PIL import Image, ImageDraw  # only the photo run needs Pillow

    folder.mkdir(parents=True, exist_ok=True)
    for index, name in enumerate(names):
        rnd = random.Random(f"{seed}-{name}")
        img = Image.effect_noise((600, 400), 40).convert("RGB").resize(PHOTO_SIZE)
        draw = ImageDraw.Draw(img)
        for _ in range(30):
            x, y = rnd.randrange(PHOTO_SIZE[0]), rnd.randrange(PHOTO_SIZE[1])
            r = rnd.randrange(20, 300)
            draw.ellipse([x - r, y - r, x + r, y + r],
                         fill=(rnd.randrange(256), rnd.randrange(256), index * 80))
        img.save(folder / name, quality=90)


def write_series(root: Path, features: int, *, photos: bool = False, seed: int = 1) -> None:
    """Write a site of `features` features (site.yaml, content/, data/) into root."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(exist_ok=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for text in series_text(features, seed=seed, photos=photos):
        write_feature(root, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the folder to write the site into")
    parser.add_argument("--features", type=int, default=14)
    parser.add_argument("--photos", action="store_true", help="three generated photos each")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_series(args.out, args.features, photos=args.photos, seed=args.seed)
    print(f"wrote {args.features} features to {args.out}")


if __name__ == "__main__":
    main()
