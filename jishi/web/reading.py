"""How long a page takes to read, counted per script: Chinese characters, English words.

Rates are of adults reading silently: 255 Chinese characters a minute (Trauzettel-Klosinski et
al., "Standardized assessment of reading performance", 2012) and 238 English words a minute
(Brysbaert, "How many words do we read per minute?", 2019, non-fiction). A page holding both
scripts (an English name on the Chinese page) adds the two times.
"""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

from ..langs import pick

HAN_PER_MINUTE = 255
WORDS_PER_MINUTE = 238
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
WORD_RE = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
# A chart's drawing repeats its data table; only the words a reader reads once are counted.
SKIPPED = {"svg", "script", "style", "template"}
PHRASES = {"zh": "阅读约{n}分钟", "zh-Hant": "閱讀約{n}分鐘", "en": "{n}-minute read"}


class _Text(HTMLParser):
    """The text of an HTML fragment, outside drawings and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skipping += tag in SKIPPED

    def handle_endtag(self, tag: str) -> None:
        self.skipping -= tag in SKIPPED and self.skipping > 0

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def text_of(html: str) -> str:
    """The readable text of an HTML fragment."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def minutes(text: str) -> int:
    """Whole minutes to read text, rounded up; at least one."""
    han = len(HAN_RE.findall(text))
    words = len(WORD_RE.findall(text))
    return max(1, math.ceil(han / HAN_PER_MINUTE + words / WORDS_PER_MINUTE))


def phrase(n: int, lang: str) -> str:
    """阅读约6分钟 / 6-minute read."""
    return pick(PHRASES, lang).format(n=n)
