"""A series: several features in one site, in series order, each linking to its neighbours.

The order is feature.yaml `order:` where given, else the feature's `date:`, else its folder name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from . import yamlio
from .errors import ErrorList, quoted
from .model import DataFile, Feature
from .yamlio import LineDict


def read_order(meta: LineDict, path: Path, errors: ErrorList) -> int | None:
    """feature.yaml `order:` a whole number, the feature's place in the series."""
    value = meta.get("order")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors.add(path, meta.line_of("order"), f"order: {quoted(value)} is not a whole number",
                   "write the feature's place in the series, like order: 3")
        return None
    return value


def read_headline_stat(meta: LineDict, data: DataFile | None, path: Path,
                       errors: ErrorList) -> str | None:
    """feature.yaml `headline_stat:` the statistic the series home shows on the feature's card."""
    value = meta.get("headline_stat")
    line = meta.line_of("headline_stat")
    if value is None:
        return None
    if not isinstance(value, str):
        errors.add(path, line, "headline_stat: expected a statistic ID",
                   "write for example headline_stat: lectures")
        return None
    if data is not None and value not in data.stats:
        errors.add(path, line, f"headline_stat: unknown statistic ID {quoted(value)}"
                   f"{yamlio.did_you_mean(value, set(data.stats))}",
                   f"define it under stats: in {data.path.name} (or site.yaml), or fix the "
                   "spelling")
    return value


def sort_key(feature: Feature) -> tuple[Any, ...]:
    """Series order: by `order:`, then (for features without one) by date, then folder name."""
    return (feature.order is None, feature.order or 0,
            feature.date is None, feature.date or dt.date.min, feature.slug)


def in_order(features: list[Feature], errors: ErrorList) -> list[Feature]:
    """The features in series order; two features may not claim the same place."""
    taken: dict[int, Feature] = {}
    for feature in features:
        if feature.order is None:
            continue
        other = taken.setdefault(feature.order, feature)
        if other is not feature:
            errors.add(feature.folder / "feature.yaml", feature.lines.get("order"),
                       f"order: {feature.order} is also the order of content/{other.slug}/",
                       "give each feature its own place in the series")
    return sorted(features, key=sort_key)


def neighbours(features: list[Feature], slug: str) -> tuple[Feature | None, Feature | None]:
    """The features before and after slug in the series (None at either end)."""
    slugs = [f.slug for f in features]
    at = slugs.index(slug)
    before = features[at - 1] if at > 0 else None
    after = features[at + 1] if at + 1 < len(features) else None
    return before, after


def next_order(source: Path) -> int | None:
    """The order a new feature takes: one after the last, when the series numbers its features.

    None when no feature has an `order:` (the series then runs by date or folder name, and a
    numbered newcomer would jump ahead of them all).
    """
    errors = ErrorList()
    orders = []
    for path in sorted((source / "content").glob("*/feature.yaml")):
        meta = yamlio.load(path)
        if isinstance(meta, LineDict):
            orders.append(read_order(meta, path, errors))
    errors.raise_if_any()
    numbered = [order for order in orders if order is not None]
    return max(numbered) + 1 if numbered else None
