"""Render many pages on every core: worker processes forked with the site already in memory.

Forking hands each worker the parsed site, the photo plan and the templates without pickling
them; only the finished HTML travels back. A page is rendered whole by one worker, so the
page-level passes (unique element ids across sections, the page's first eager photo) stay on
one page exactly as in a single process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from .render import Page

# Below this many section versions to render, starting workers costs more than it saves
# (a one-feature site has 16): the pages render in this process.
MIN_SECTIONS = 96
CHUNKS_PER_WORKER = 4  # small enough to even out the load, large enough to cost little

Render = Callable[[Page], str]

# What a forked worker renders: set just before the pool starts, inherited by the fork.
_JOB: tuple[Render, Sequence[Page]] | None = None


def workload(pages: Sequence[Page]) -> int:
    """Section versions to render: the measure of the work, pages differ widely in size."""
    return sum(len(p.feature.sections) for p in pages if p.feature is not None)


def worker_count(pages: Sequence[Page]) -> int:
    """How many processes to render with: 1 when the work is too small to share."""
    if workload(pages) < MIN_SECTIONS:
        return 1
    import multiprocessing  # here: a small site never loads it

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # without fork every worker would re-read the site: not worth it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, len(pages)))


def _render_chunk(indexes: list[int]) -> list[tuple[str, str]]:
    assert _JOB is not None, "the worker was not forked from render_all"  # noqa: S101
    render, pages = _JOB
    return [(pages[i].path, render(pages[i])) for i in indexes]


def _chunks(count: int, workers: int) -> list[list[int]]:
    size = max(1, -(-count // (workers * CHUNKS_PER_WORKER)))
    return [list(range(start, min(start + size, count))) for start in range(0, count, size)]


def render_all(render: Render, pages: Sequence[Page]) -> dict[str, str]:
    """Render pages with render(), across cores when the work is large enough."""
    global _JOB
    workers = worker_count(pages)
    if workers == 1:
        return {page.path: render(page) for page in pages}
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _JOB = (render, pages)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            done = pool.map(_render_chunk, _chunks(len(pages), workers))
            return dict(pair for chunk in done for pair in chunk)
    finally:
        _JOB = None
