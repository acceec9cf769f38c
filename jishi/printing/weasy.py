"""Everything jishi takes from WeasyPrint, in one place, for the versions pyproject allows.

Some of it is not WeasyPrint's public API: the laid-out boxes of each page (to measure where
photos are placed) and the XMP metadata stream of the PDF (to make PDF/X-4 reproducible).
INTERNALS names each such attribute; tests/test_weasy.py fails loudly when a WeasyPrint
release no longer has one. WeasyPrint is imported only inside these functions, so --help,
check and serve never pay for it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from .preflight import Placed

# (module, attribute path) of each WeasyPrint name jishi relies on; the instance attributes
# (a page's _page_box, a box's element_tag and size, the PDF's metadata stream) are checked by
# laying out a document in tests/test_weasy.py.
INTERNALS = (
    ("weasyprint.pdf", "VARIANTS"),
    ("weasyprint.document", "Page"),
    ("weasyprint.formatting_structure.boxes", "ReplacedBox"),
    ("weasyprint.formatting_structure.boxes", "Box.descendants"),
    ("weasyprint.urls", "URLFetcher.fetch"),
    ("weasyprint.text.fonts", "FontConfiguration"),
)
XMP_ID_RE = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


@dataclass
class Job:
    """One PDF to set: its HTML, stylesheet, how its URLs resolve, and WeasyPrint's options."""

    html: str
    css: str
    base_url: str
    photos: dict[str, str]  # a photo's print URL -> the file URL WeasyPrint reads it from
    options: dict[str, Any] = field(default_factory=dict)
    stable_id: bytes | None = None  # replaces the random XMP DocumentID (PDF/X-4)


def supported_variants() -> set[str]:
    """The PDF variants the installed WeasyPrint can write."""
    from weasyprint.pdf import VARIANTS

    return set(VARIANTS)


def version() -> str:
    """The installed WeasyPrint's version."""
    import weasyprint

    return str(weasyprint.__version__)


def stable_xmp_id_value(identifier: bytes) -> bytes:
    """The XMP DocumentID a document keeps in every build: a UUID from its identifier."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, identifier.decode())).encode()


def stable_xmp_id(identifier: bytes) -> Callable[[Any, Any], None]:
    """A finisher replacing the random XMP DocumentID WeasyPrint writes for PDF/X-4."""
    stable = b"xmp.did:" + stable_xmp_id_value(identifier)

    def finish(document: Any, pdf: Any) -> None:
        for obj in pdf.objects:
            if getattr(obj, "extra", {}).get("Type") == "/Metadata":
                obj.stream = [XMP_ID_RE.sub(stable, part) if isinstance(part, bytes) else part
                              for part in obj.stream]

    return finish


def photo_fetcher(files: dict[str, str]) -> Any:
    """A WeasyPrint URL fetcher that reads each photo's print URL from its file."""
    from weasyprint.urls import URLFetcher

    class PhotoFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            """Fetch a photo's file for its print URL, anything else as WeasyPrint would."""
            return super().fetch(files.get(url, url), headers)

    return PhotoFetcher()


def placed_images(document: Any, job: Job) -> list[Placed]:
    """Each image's placed size in the laid-out document, by its file URL, for preflight."""
    from weasyprint.formatting_structure.boxes import ReplacedBox

    placed = []
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():
            if isinstance(box, ReplacedBox) and box.element_tag == "img":
                # A photo figure's src is its print URL; anything else resolves as WeasyPrint
                # resolved it, against the feature folder.
                src = urljoin(job.base_url, box.element.get("src", ""))
                placed.append(Placed(job.photos.get(src, src), box.width, box.height, number))
    return placed


def write_pdf(job: Job) -> tuple[bytes, list[Placed]]:
    """Lay out one document once, for the PDF's bytes and for where its images are placed."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css = weasyprint.CSS(string=job.css, font_config=fonts)
    document = weasyprint.HTML(string=job.html, base_url=job.base_url,
                               url_fetcher=photo_fetcher(job.photos)).render(
        stylesheets=[css], font_config=fonts, **job.options)
    finisher = stable_xmp_id(job.stable_id) if job.stable_id else None
    data = document.write_pdf(finisher=finisher, **job.options)
    return bytes(data), placed_images(document, job)
