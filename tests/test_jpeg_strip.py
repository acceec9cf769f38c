"""jpeg_strip: a JPEG loses its metadata and keeps every pixel, or is refused as incomplete."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms

from jishi.photos.jpeg_strip import strip

GPS = 0x8825


def jpeg(**options: object) -> bytes:
    """A real JPEG from Pillow, 64x48, with whatever save options."""
    im = Image.linear_gradient("L").resize((64, 48)).convert("RGB")
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90, **options)
    return buf.getvalue()


def with_metadata() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif.get_ifd(GPS)[2] = (39.0, 54.0, 0.0)  # a latitude: where the photo was taken
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = jpeg(exif=exif.tobytes(), icc_profile=srgb, comment=b"shot at home")
    xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>secret</x:xmpmeta>"
    segment = b"\xff\xe1" + (len(xmp) + 2).to_bytes(2, "big") + xmp
    return data[:2] + segment + data[2:]


def pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as im:
        return im.tobytes()


def test_metadata_goes_and_the_pixels_stay() -> None:
    source = with_metadata()
    stripped = strip(source)
    for secret in (b"CameraMaker", b"Exif\0", b"shot at home", b"xmpmeta", b"secret"):
        assert secret in source and secret not in stripped
    assert pixels(stripped) == pixels(source)
    with Image.open(io.BytesIO(stripped)) as im:
        assert not im.getexif() and "comment" not in im.info
        assert im.info.get("icc_profile")  # the colour profile says how to read the colours


def test_a_jpeg_without_metadata_is_unchanged() -> None:
    plain = jpeg()
    assert strip(plain) == plain


@pytest.mark.parametrize("options", [{"progressive": True}, {"restart_marker_blocks": 1}],
                         ids=["progressive", "restart markers"])
def test_scans_with_stuffed_bytes_and_restarts_are_copied_whole(options: dict[str, object]) -> None:
    source = jpeg(**options, comment=b"drop me")
    stripped = strip(source)
    assert b"drop me" not in stripped
    assert pixels(stripped) == pixels(source)


@pytest.mark.parametrize(("data", "reason"), [
    (b"GIF89a", "not a JPEG"),
    (jpeg()[:-2], "no end marker|ends inside its image data"),
    (jpeg()[:30], "ends inside a segment"),
    (b"\xff\xd8\x00\x00", "no JPEG marker at byte 2"),
], ids=["not a jpeg", "no end marker", "cut in a segment", "garbage after the start"])
def test_an_incomplete_file_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        strip(data)
