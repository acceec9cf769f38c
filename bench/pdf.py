"""Benchmark the print edition: median seconds per language, PDF size and page count.

    python bench/pdf.py [--source DIR] [--runs N]

WeasyPrint is imported once (timed on its own), then every language's PDF is made N times in
the same process, as a build does.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jishi.builder import load_site, plan_photos  # noqa: E402
from jishi.printing.pdf import PrintDoc, make_pdfs, plan_documents  # noqa: E402
from jishi.web.render import make_env  # noqa: E402


def time_doc(doc: PrintDoc, runs: int) -> tuple[float, bytes]:
    """Median seconds to make one PDF, and the PDF itself."""
    seconds, data = [], b""
    for _ in range(runs):
        started = time.perf_counter()
        data = make_pdfs([doc])[0].data
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), data


def main() -> None:
    """Print one line per language."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("."))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--press", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    site = load_site(args.source)
    docs = plan_documents(site, plan_photos(site), make_env(args.source), press=args.press)
    started = time.perf_counter()
    import weasyprint  # noqa: F401
    from pypdf import PdfReader

    print(f"cores: {os.cpu_count()}; import weasyprint: {time.perf_counter() - started:.2f} s "
          f"(once, shared by every PDF); runs: {args.runs}")
    started = time.perf_counter()
    make_pdfs(docs[:1])  # fonts load once per process; a one-shot build pays this once
    print(f"first PDF of the process (cold fonts): {time.perf_counter() - started:.2f} s")
    for doc in docs:
        median, data = time_doc(doc, args.runs)
        pages = len(PdfReader(io.BytesIO(data)).pages)
        print(f"{doc.rel}: median {median:.2f} s, {len(data) / 1024:.0f} KiB, {pages} pages")


if __name__ == "__main__":
    main()
