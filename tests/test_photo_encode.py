"""photo_encode: one source photo in, upright sRGB renditions without metadata out."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageCms, features

from jishi.photos import photo_encode as pe

RECIPE = pe.Recipe(widths=(160, 320), formats=("webp",), quality=(("avif", 50), ("jpeg", 80),
                                                                  ("webp", 75)),
                   avif_speed=8, print_size=400, max_pixels=10_000_000)


def gradient(size: tuple[int, int] = (600, 400), mode: str = "RGB") -> Image.Image:
    """A picture with a left-to-right ramp and a red top-left corner (to see turns)."""
    im = Image.linear_gradient("L").resize(size).convert(mode)
    if mode == "RGB":
        im.paste((255, 0, 0), (0, 0, size[0] // 6, size[1] // 6))
    return im


def saved(path: Path, im: Image.Image, fmt: str = "JPEG", **options: object) -> Path:
    im.save(path, fmt, **options)
    return path


def open_bytes(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


# Small pure functions ---------------------------------------------------------------------

def test_orientation_swaps_width_and_height_for_quarter_turns() -> None:
    assert pe.oriented((600, 400), 1) == (600, 400)
    assert pe.oriented((600, 400), 3) == (600, 400)
    assert all(pe.oriented((600, 400), o) == (400, 600) for o in (5, 6, 7, 8))


def test_srgb_is_told_from_other_profiles() -> None:
    assert pe.is_srgb(pe.SRGB_BYTES)
    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    assert not pe.is_srgb(lab) and not pe.is_srgb(b"not a profile")


def test_the_srgb_profile_is_the_same_in_every_process() -> None:
    # Little CMS dates the profiles it makes; the one jishi embeds must not carry that date.
    code = "import sys, time; time.sleep(1.1); from jishi.photos import photo_encode as pe; " \
           "sys.stdout.buffer.write(pe.SRGB_BYTES)"
    later = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                           cwd=Path(__file__).parent.parent).stdout
    assert later == pe.SRGB_BYTES


def test_file_names_carry_the_width_and_the_content_hash() -> None:
    first, second = pe.file_name(480, b"one", "webp"), pe.file_name(480, b"two", "jpeg")
    assert first.startswith("480.") and first.endswith(".webp") and second.endswith(".jpg")
    assert first.split(".")[1] != second.split(".")[1]
    assert pe.file_name(480, b"one", "webp") == first


def test_transparency_counts_only_where_it_shows() -> None:
    opaque = Image.new("RGBA", (8, 8), (10, 20, 30, 255))
    see_through = Image.new("RGBA", (8, 8), (10, 20, 30, 0))
    assert not pe.has_alpha(opaque) and pe.has_alpha(see_through)
    assert not pe.has_alpha(Image.new("RGB", (8, 8)))


def test_web_sizes_are_largest_first_and_never_upscaled() -> None:
    sizes = pe.web_sizes(gradient((300, 200)), (160, 320, 640))
    assert [im.size for im in sizes] == [(300, 200), (160, 107)]


def test_the_print_copy_is_turned_upright_and_reduced() -> None:
    turned = pe.print_base(gradient((1200, 800)), 6, 400)
    assert turned.size == (267, 400)  # reduced by a whole 3, then a quarter turn
    r, g, b = turned.convert("RGB").getpixel((turned.width - 5, 5))
    assert r > 200 and g < 60  # the red corner is now top right


def test_the_preview_is_a_colour_and_a_tiny_webp() -> None:
    colour, uri = pe.preview(Image.new("RGB", (40, 20), (200, 100, 50)))
    assert colour == "#c86432"
    assert uri.startswith("data:image/webp;base64,") and len(uri) < 400


# Colour -----------------------------------------------------------------------------------

def test_cmyk_becomes_rgb_untagged() -> None:
    im, tagged = pe.to_srgb(gradient().convert("CMYK"), False, [])
    assert im.mode == "RGB" and not tagged


def test_sixteen_bit_grey_becomes_eight_bit() -> None:
    im, _ = pe.to_srgb(Image.new("I;16", (4, 4), 65535), False, [])
    assert im.mode == "RGB" and im.getpixel((0, 0)) == (255, 255, 255)


def test_a_foreign_profile_is_converted_and_the_output_tagged() -> None:
    im = gradient()
    adobe_like = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB"))
    im.info["icc_profile"] = adobe_like.tobytes()
    notes: list[str] = []
    _, tagged = pe.to_srgb(im, False, notes)
    assert tagged or notes  # converted, or said why it could not be


def test_a_broken_profile_is_a_note_not_a_failure() -> None:
    im = gradient()
    im.info["icc_profile"] = b"\0" * 200
    notes: list[str] = []
    out, tagged = pe.to_srgb(im, False, notes)
    assert out.mode == "RGB" and not tagged and "colour profile" in notes[0]


# Encoding ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["jpeg", "webp", "png"] + (["avif"] if features.check("avif")
                                                          else []))
def test_an_encoded_rendition_carries_no_metadata(fmt: str) -> None:
    im = gradient((160, 107))
    im.info.update(exif=b"Exif\0\0secret", comment=b"secret")
    data = pe.encode(im, fmt, RECIPE, tagged=False)
    out = open_bytes(data)
    assert out.size == (160, 107) and not out.getexif() and b"secret" not in data
    assert "icc_profile" not in out.info
    assert open_bytes(pe.encode(gradient((160, 107)), fmt, RECIPE, tagged=True)).info[
        "icc_profile"] == pe.SRGB_BYTES


# Opening and the whole photo ------------------------------------------------------------

def test_what_is_not_a_photo_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.jpg").write_text("not a photo")
    with pytest.raises(pe.PhotoProblem, match="not an image file"):
        pe.open_photo(tmp_path / "notes.jpg", RECIPE.max_pixels)
    gif = saved(tmp_path / "anim.gif", gradient((8, 8)), "GIF")
    with pytest.raises(pe.PhotoProblem, match="GIF file, not a photo format"):
        pe.open_photo(gif, RECIPE.max_pixels)


def test_too_many_pixels_is_refused_before_decoding(tmp_path: Path) -> None:
    big = saved(tmp_path / "big.png", Image.new("L", (200, 200)), "PNG")
    with pytest.raises(pe.PhotoProblem, match="too many pixels"):
        pe.open_photo(big, 10_000)


def test_a_truncated_photo_is_refused(tmp_path: Path) -> None:
    whole = saved(tmp_path / "whole.jpg", gradient(), quality=90).read_bytes()
    (tmp_path / "cut.jpg").write_bytes(whole[: len(whole) // 2])
    with pytest.raises(pe.PhotoProblem, match="corrupt or truncated"):
        pe.make(tmp_path / "cut.jpg", tmp_path, RECIPE)


def test_a_turned_photo_is_made_upright_without_its_metadata(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "CameraMaker"
    source = saved(tmp_path / "turned.jpg", gradient(), quality=90, exif=exif.tobytes())
    out = tmp_path / "out"
    out.mkdir()
    made = pe.make(source, out, RECIPE)
    assert (made.width, made.height) == (400, 600) and not made.alpha
    assert {(r.format, r.width) for r in made.renditions} == {
        (f, w) for f in ("webp", "jpeg") for w in (160, 320)}
    for name in [made.print_file, *(r.file for r in made.renditions)]:
        data = (out / name).read_bytes()
        assert b"CameraMaker" not in data
        assert open_bytes(data).height > open_bytes(data).width  # upright: portrait


def test_an_upright_srgb_jpeg_is_printed_losslessly(tmp_path: Path) -> None:
    source = saved(tmp_path / "plain.jpg", gradient((700, 500)), quality=90,
                   comment=b"shot at home")
    out = tmp_path / "out"
    out.mkdir()
    made = pe.make(source, out, RECIPE)
    printed = (out / made.print_file).read_bytes()
    assert b"shot at home" not in printed
    assert open_bytes(printed).tobytes() == open_bytes(source.read_bytes()).tobytes()
