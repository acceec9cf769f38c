"""Which entry of a table of interface words a reading language uses."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def pick(table: dict[str, T], lang: str, fallback: str = "en") -> T:
    """A language's own entry, else its nearest broader one's (zh-Hant-HK → zh-Hant → zh)."""
    parts = lang.split("-")
    for end in range(len(parts), 0, -1):
        found = table.get("-".join(parts[:end]))
        if found is not None:
            return found
    return table[fallback]
