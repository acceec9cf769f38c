"""The installed WeasyPrint has every internal jishi.printing.weasy relies on, within
pyproject's bounds.

When a WeasyPrint release renames one of them, this fails first and names it, instead of a
print edition failing on an editor's machine.
"""

from __future__ import annotations

import base64
import importlib
import io
import re

import pytest
from conftest import ROOT
from PIL import Image
from pypdf import PdfReader

from jishi.printing import weasy


@pytest.mark.parametrize(("module", "path"), weasy.INTERNALS)
def test_weasyprint_has_each_internal_jishi_uses(module: str, path: str) -> None:
    found: object = importlib.import_module(module)
    for name in path.split("."):
        assert hasattr(found, name), f"WeasyPrint {weasy.version()} has no {module}.{path}"
        found = getattr(found, name)


def test_installed_weasyprint_is_within_the_bounds_pyproject_allows() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    spec = re.search(r'"weasyprint>=(\d+),<(\d+)"', text)
    assert spec, "pyproject.toml must bound weasyprint above and below"
    major = int(weasy.version().split(".")[0])
    assert int(spec[1]) <= major < int(spec[2])


def test_the_variants_jishi_asks_for_exist() -> None:
    from jishi.printing.pdf import PRESS_VARIANT, SCREEN_VARIANT

    assert {PRESS_VARIANT, SCREEN_VARIANT} <= weasy.supported_variants()


def test_a_pdf_with_a_placed_photo_and_a_stable_xmp_id() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 120, 40)).save(buf, "PNG")
    photo = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    job = weasy.Job('<p>Text</p><img src="jishi-photo:demo/a.png" style="width: 150px">',
                    "@page { size: A6 }", "file:///nowhere/", {"jishi-photo:demo/a.png": photo},
                    {"pdf_identifier": b"0" * 32, "pdf_variant": "pdf/x-4",
                     "output_intent": "srgb"}, stable_id=b"jishi:demo:zh")
    data, placed = weasy.write_pdf(job)
    assert [(p.src, round(p.width), round(p.height), p.page) for p in placed] == [
        (photo, 150, 100, 1)]
    metadata = PdfReader(io.BytesIO(data)).trailer["/Root"]["/Metadata"].get_data()
    assert re.findall(rb"xmp\.did:[0-9a-f-]{36}", metadata) == [
        b"xmp.did:" + weasy.stable_xmp_id_value(b"jishi:demo:zh")]
    assert weasy.write_pdf(job)[0] == data  # the same job, the same bytes
