"""The photo pipeline, end to end: real image files in, real web files and markup out."""

from __future__ import annotations

import io
import re
import shutil
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FEATURE_YAML, TinySite
from PIL import Image, ImageCms, ImageOps, features

from jishi.photos.photos_cache import Progress

SMALL = "title: {zh: 测试站, en: Test Site}\nlanguages: [zh, en]\nimages:\n  widths: [16, 32, 48]\n"
AVIF = features.check("avif")


def show_photos(site: TinySite, *names: str) -> None:
    """Make section 02 show these photos, in both languages (first figure on line 4)."""
    for lang in ("zh", "en"):
        figures = "\n\n".join(f'![{lang} alt {n}](images/{n} "{lang} caption {n}")'
                              for n in names)
        site.write(f"content/demo/02-second.{lang}.md", f"---\ntitle: T {lang}\n---\n{figures}\n")


def save(site: TinySite, name: str, im: Image.Image, **options: object) -> Path:
    """Save an image into the demo feature's images/ folder."""
    path = site.root / "content/demo/images" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, **options)
    return path


def outputs(site: TinySite, suffix: str = "") -> list[Path]:
    """Every photo file the build wrote into dist/."""
    return sorted(p for p in (site.root / "dist/demo/images").glob(f"*{suffix}"))


def halves(size: tuple[int, int] = (64, 32)) -> Image.Image:
    """Red top half, blue bottom half: which way is up shows at a glance."""
    im = Image.new("RGB", size, (220, 20, 20))
    im.paste((20, 20, 220), (0, size[1] // 2, size[0], size[1]))
    return im


def close(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 16) -> bool:
    """Colours equal within a tolerance per channel (lossy encoders)."""
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


@pytest.fixture
def small(site: TinySite) -> TinySite:
    """A tiny site whose photo widths are small, so tests stay fast."""
    site.write("site.yaml", SMALL)
    return site


def test_exif_rotated_jpeg_comes_out_upright(small: TinySite) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: viewers turn it 90° clockwise
    source = halves()
    save(small, "turned.jpg", source, exif=exif, quality=95)
    show_photos(small, "turned.jpg")
    assert small.run("build", "--no-pdf").code == 0
    expected = ImageOps.exif_transpose(Image.open(small.root / "content/demo/images/turned.jpg"))
    assert expected.size == (32, 64)
    for path in outputs(small):
        with Image.open(path) as im:
            assert im.height > im.width, path.name
            rgb = im.convert("RGB").resize(expected.size)
            for spot in ((6, 32), (26, 32)):
                assert close(rgb.getpixel(spot), expected.getpixel(spot), 40), (path.name, spot)
    assert 'width="32" height="64"' in _img_attrs(small.read("demo/index.html"))


def _img_attrs(html: str) -> str:
    """The first <img> tag's attributes, width before height, for simple assertions."""
    tag = _parse(html).imgs[0]
    return f'width="{tag["width"]}" height="{tag["height"]}"'


def test_no_gps_or_other_metadata_in_any_output(small: TinySite) -> None:
    exif = Image.Exif()
    exif[0x010F] = "SecretCamMaker"  # Make
    exif[0x0132] = "2024:05:01 10:00:00"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (28.0, 33.0, 12.5), 3: "E", 4: (112.0, 21.0, 5.0)})
    save(small, "gps.jpg", halves((96, 64)), exif=exif, comment=b"SecretComment")
    show_photos(small, "gps.jpg")
    assert small.run("build", "--no-pdf").code == 0
    cached = list((small.root / ".cache/images").rglob("*.*"))
    files = outputs(small) + [p for p in cached if p.suffix != ".json"]
    assert len(files) >= 9 + 1
    for path in files:
        data = path.read_bytes()
        assert b"SecretCam" not in data and b"SecretComment" not in data, path.name
        with Image.open(path) as im:
            assert not im.getexif().get_ifd(0x8825), path.name
            assert not im.getexif(), path.name
            assert "exif" not in im.info and "xmp" not in im.info, path.name
    # an upright sRGB JPEG is its own print copy: the same pixels, metadata removed losslessly
    prints = [p for p in cached if p.name.startswith("print-")]
    with Image.open(prints[0]) as im, Image.open(small.root / "content/demo/images/gps.jpg") as src:
        assert im.tobytes() == src.tobytes()


def test_cmyk_comes_out_rgb_with_colours_close(small: TinySite) -> None:
    source = Image.new("RGB", (96, 64), (30, 120, 200))
    source.paste((230, 180, 40), (48, 0, 96, 64))
    save(small, "press.jpg", source.convert("CMYK"), quality=95)
    show_photos(small, "press.jpg")
    assert small.run("build", "--no-pdf").code == 0
    for path in outputs(small):
        with Image.open(path) as im:
            assert im.mode == "RGB", path.name
            rgb = im.resize((96, 64))
            assert close(rgb.getpixel((12, 32)), (30, 120, 200)), path.name
            assert close(rgb.getpixel((84, 32)), (230, 180, 40)), path.name


def _swapped_primaries_profile() -> bytes:
    """A tiny ICC v2 RGB profile whose red and green primaries are swapped against sRGB."""
    def s15(v: float) -> bytes:
        return struct.pack(">i", round(v * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ \0\0\0\0" + s15(x) + s15(y) + s15(z)

    text = b"Swapped primaries\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + b"\0" * 78
    desc += b"\0" * (-len(desc) % 4)
    gamma = b"curv\0\0\0\0" + struct.pack(">IH", 1, 563) + b"\0\0"  # gamma 2.2
    red, green, blue = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)
    tags = [(b"desc", desc), (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"rXYZ", xyz(*green)),
            (b"gXYZ", xyz(*red)), (b"bXYZ", xyz(*blue)), (b"rTRC", gamma), (b"gTRC", gamma),
            (b"bTRC", gamma)]
    offset, table, data = 132 + 12 * len(tags), b"", b""
    for sig, body in tags:
        table += sig + struct.pack(">II", offset + len(data), len(body))
        data += body
    header = (struct.pack(">I", offset + len(data)) + b"\0" * 4 + bytes([2, 0x10, 0, 0])
              + b"mntrRGB XYZ " + b"\0" * 12 + b"acsp" + b"\0" * 28
              + s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 48)
    return header + struct.pack(">I", len(tags)) + table + data


def test_embedded_profile_is_honoured(small: TinySite) -> None:
    # Pixels that read red untagged, but the profile says that channel is sRGB's green.
    save(small, "tagged.jpg", Image.new("RGB", (64, 48), (200, 30, 30)),
         icc_profile=_swapped_primaries_profile(), quality=95)
    show_photos(small, "tagged.jpg")
    assert small.run("build", "--no-pdf").code == 0
    for path in outputs(small):
        with Image.open(path) as im:
            r, g, b = im.convert("RGB").getpixel((im.width // 2, im.height // 2))
            assert g > 150 and r < 80 and b < 80, (path.name, (r, g, b))
            assert "sRGB" in ImageCms.getProfileDescription(
                ImageCms.ImageCmsProfile(io.BytesIO(im.info["icc_profile"])))


def test_alpha_survives_with_png_fallback(small: TinySite) -> None:
    im = Image.new("RGBA", (64, 64), (200, 40, 40, 255))
    im.paste((0, 0, 0, 0), (0, 0, 32, 64))  # left half see-through
    save(small, "logo.png", im)
    show_photos(small, "logo.png")
    assert small.run("build", "--no-pdf").code == 0
    formats = {p.suffix for p in outputs(small)}
    assert formats == ({".avif"} if AVIF else set()) | {".webp", ".png"}
    for path in outputs(small):
        with Image.open(path) as out:
            rgba = out.convert("RGBA").resize((64, 64))
            assert rgba.getpixel((8, 32))[3] < 20 and rgba.getpixel((56, 32))[3] > 235
    img = _parse(small.read("demo/index.html")).imgs[0]
    assert img["src"].endswith(".png") and "background:none" in img["style"]


def test_widths_never_upscaled_and_small_photo_warns(small: TinySite) -> None:
    save(small, "tiny.jpg", halves((40, 30)))
    show_photos(small, "tiny.jpg")
    result = small.run("build", "--no-pdf")
    assert result.code == 0
    widths = {Image.open(p).width for p in outputs(small)}
    assert widths == {16, 32, 40}
    assert "tiny.jpg is 40 px wide, less than the largest width 48" in result.err
    assert "content/demo/02-second.zh.md:4" in result.err
    assert result.err.count("tiny.jpg is 40 px wide") == 1  # once, not once per use


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.imgs: list[dict[str, str]] = []
        self.sources: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "img":
            self.imgs.append(found)
        elif tag == "source":
            self.sources.append(found)


def _parse(html: str) -> _Tags:
    tags = _Tags()
    tags.feed(html)
    return tags


def test_picture_markup_sizes_and_loading(small: TinySite) -> None:
    save(small, "a.jpg", halves((96, 64)))
    save(small, "b.jpg", halves((96, 64)))
    show_photos(small, "a.jpg", "b.jpg")
    assert small.run("build", "--no-pdf").code == 0
    page = small.read("demo/index.html")
    tags = _parse(page)
    modern = (["image/avif"] if AVIF else []) + ["image/webp"]
    assert [s["type"] for s in tags.sources] == modern * 2
    first, second = tags.imgs
    for img in (first, second):
        assert (img["width"], img["height"]) == ("48", "32")
        assert re.fullmatch(r"(\S+ \d+w, )*\S+ \d+w", img["srcset"])
        assert img["sizes"] and img["alt"].startswith("zh alt")
        assert re.search(r"background:#[0-9a-f]{6} url\(data:image/webp;base64,", img["style"])
        assert len(img["style"]) < 400
        for url in [img["src"]] + [u.split()[0] for u in img["srcset"].split(", ")]:
            assert (small.root / "dist/demo" / url).is_file(), url
    assert first["loading"] == "eager" and first["fetchpriority"] == "high"
    assert second["loading"] == "lazy" and second["decoding"] == "async"
    assert "fetchpriority" not in second
    assert all(s["sizes"] and " 48w" in s["srcset"] for s in tags.sources)
    names = [p.name for p in outputs(small)]
    assert all(re.fullmatch(r"[ab]-\d+\.[0-9a-f]{10}\.(avif|webp|jpg)", n) for n in names)


def _cache_files(site: TinySite) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in (site.root / ".cache/images").rglob("*")
            if p.is_file()}


def test_cache_hit_on_second_build_and_miss_after_a_change(small: TinySite) -> None:
    save(small, "a.jpg", halves((96, 64)))
    save(small, "b.jpg", halves((96, 64)).rotate(180))
    show_photos(small, "a.jpg", "b.jpg")
    first = small.run("build", "--no-pdf")
    assert "photos: 2 (2 encoded, 0 from the cache)" in first.err
    before, built = _cache_files(small), small.snapshot()
    second = small.run("build", "--no-pdf")
    assert "photos: 2 (0 encoded, 2 from the cache)" in second.err
    assert _cache_files(small) == before  # nothing in the cache was rewritten
    assert small.snapshot() == built
    save(small, "b.jpg", halves((96, 64)).rotate(90))
    third = small.run("build", "--no-pdf")
    assert "photos: 2 (1 encoded, 1 from the cache)" in third.err
    after = _cache_files(small)
    assert all(after.get(p) == before[p] for p in before)  # a.jpg's entry was left alone
    assert len({p.parent for p in after}) == len({p.parent for p in before}) + 1
    assert small.snapshot() != built


def test_deleting_the_cache_is_safe(small: TinySite) -> None:
    save(small, "a.jpg", halves((96, 64)))
    show_photos(small, "a.jpg")
    assert small.run("build", "--no-pdf").code == 0
    built = small.snapshot()
    shutil.rmtree(small.root / ".cache")
    again = small.run("build", "--no-pdf")
    assert again.code == 0 and "1 encoded" in again.err
    assert small.snapshot() == built  # same bytes, same content-hashed names


def _broken_build(site: TinySite, name: str, data: bytes | None = None) -> str:
    """Build a good site, then break one photo; return stderr after checking the basics."""
    save(site, "good.jpg", halves())
    show_photos(site, "good.jpg")
    assert site.run("build", "--no-pdf").code == 0
    built = site.snapshot()
    if data is not None:
        site.write(f"content/demo/images/{name}", data)
    show_photos(site, name)
    result = site.run("build", "--no-pdf")
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "content/demo/02-second.zh.md:4" in result.err
    assert "content/demo/02-second.en.md:4" in result.err
    assert site.snapshot() == built
    return result.err


def _jpeg_bytes(size: tuple[int, int] = (96, 64)) -> bytes:
    buf = io.BytesIO()
    halves(size).save(buf, "JPEG", quality=95)
    return buf.getvalue()


def test_corrupt_photo_is_an_error(small: TinySite) -> None:
    err = _broken_build(small, "bad.jpg", b"this is not a photo at all" * 10)
    assert "photo content/demo/images/bad.jpg is not an image file jishi can read" in err


def test_truncated_photo_is_an_error(small: TinySite) -> None:
    import weasyprint  # noqa: F401  # it lets Pillow load truncated images, process-wide

    data = _jpeg_bytes((400, 300))
    err = _broken_build(small, "cut.jpg", data[: len(data) // 2])
    assert "photo content/demo/images/cut.jpg cannot be decoded: it is corrupt or truncated" in err


def test_decompression_bomb_is_an_error(small: TinySite) -> None:
    small.write("site.yaml", SMALL + "  max_pixels: 10000\n")
    buf = io.BytesIO()
    Image.new("L", (200, 100)).save(buf, "PNG")
    err = _broken_build(small, "bomb.png", buf.getvalue())
    assert "photo content/demo/images/bomb.png has too many pixels (200x100 pixels" in err
    assert "max_pixels" in err


def test_unsupported_format_is_an_error(small: TinySite) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buf, "BMP")
    err = _broken_build(small, "scan.bmp", buf.getvalue())
    assert "photo content/demo/images/scan.bmp is a BMP file, not a photo format" in err
    assert "JPEG, PNG, WebP, TIFF" in err


def test_photo_outside_the_site_is_an_error(small: TinySite) -> None:
    outside = small.root.parent / "elsewhere.jpg"
    outside.write_bytes(_jpeg_bytes())
    err = _broken_build(small, "../../../../elsewhere.jpg")
    assert "photo 'images/../../../../elsewhere.jpg' is outside the site folder" in err


def test_pending_placeholder_follows_the_configured_ratio(small: TinySite) -> None:
    small.write("site.yaml", SMALL + "  placeholder_ratio: [4, 3]\n")
    result = small.run("build", "--no-pdf")
    assert result.code == 0 and "is missing" in result.err
    page = small.read("demo/index.html")
    svg = re.search(r"<svg[^>]*photo-pending.*?</svg>", page, re.S)
    assert svg and 'viewBox="0 0 300 225"' in svg.group(0) and "图片待补" in svg.group(0)
    assert len(svg.group(0).encode()) < 600
    assert "<figcaption>图片的说明文字</figcaption>" in page


@pytest.mark.parametrize(("setting", "message"), [
    ("formats: [avif, webp]\n  widths: [480, big]", "images: widths: expected a list of pixel"),
    ("formats: [gif]", "images: formats: expected a list of avif and webp"),
    ("quality: {webp: 300}", "images: quality: expected a map"),
    ("placeholder_ratio: 3:2", "images: placeholder_ratio: expected width and height"),
    ("max_pixels: lots", "images: max_pixels: expected a whole number"),
    ("sharpen: yes", "sharpen: unknown setting"),
])
def test_bad_image_settings_name_the_line(small: TinySite, setting: str, message: str) -> None:
    small.write("site.yaml", SMALL.replace("  widths: [16, 32, 48]\n", "") + f"  {setting}\n")
    result = small.run("build", "--no-pdf")
    assert result.code == 1
    assert f"site.yaml:{4 + setting.count(chr(10))}: {message}" in result.err


def test_cache_inside_the_output_folder_is_refused(small: TinySite) -> None:
    small.write("site.yaml", SMALL + "  cache: dist/photos\n")
    result = small.run("build", "--no-pdf")
    assert result.code == 1 and "images: cache:" in result.err
    assert "inside the output folder" in result.err


def test_print_copy_for_the_pdf(small: TinySite) -> None:
    from jishi.builder import load_site, plan_photos

    small.write("site.yaml", SMALL + "  print_size: 300\n")
    exif = Image.Exif()
    exif[0x0112] = 8
    save(small, "big.jpg", halves((1300, 700)), exif=exif, quality=95)
    show_photos(small, "big.jpg")
    photo = plan_photos(load_site(small.root))["demo"]["images/big.jpg"]
    assert (photo.width, photo.height) == (700, 1300)
    assert photo.print_file is not None and photo.print_file.is_file()
    assert not photo.print_file.is_relative_to(small.root / "dist")
    with Image.open(photo.print_file) as im:
        assert im.format == "JPEG" and im.mode == "RGB" and not im.getexif()
        assert im.size == (175, 325)  # DCT-scaled by 1/4: never below print_size
        assert im.info.get("icc_profile")  # tagged sRGB for the press


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal() -> None:
    quiet, tty = io.StringIO(), _Terminal()
    for stream in (quiet, tty):
        bar = Progress(3, stream)
        for _ in range(3):
            bar.step()
    assert quiet.getvalue() == ""
    assert "3/3" in tty.getvalue() and tty.getvalue().endswith("\n")


def test_hero_photo_shows_with_the_masthead_and_loads_first(site: TinySite) -> None:
    photo = site.root / "content/demo/images/cover.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1200, 800), (120, 60, 30)).save(photo, quality=90)
    site.write("content/demo/feature.yaml", FEATURE_YAML + (
        "hero:\n  src: images/cover.jpg\n"
        "  alt: {zh: 封面照片, en: The cover photo}\n"
        "  caption: {zh: \"{{ stat members }}执委\", en: \"{{ stat members }} members\"}\n"))
    result = site.run("build", "--no-pdf")
    assert result.code == 0, result.err
    page = site.read("en/demo/index.html")
    masthead = page.split('<header class="masthead">')[1].split("</header>")[0]
    assert 'alt="The cover photo"' in masthead and 'fetchpriority="high"' in masthead
    assert '<data class="stat" value="23162">23,162</data> members</figcaption>' in masthead


def test_hero_photo_missing_is_named_with_its_feature_line(site: TinySite) -> None:
    site.write("content/demo/feature.yaml", FEATURE_YAML + "hero: images/nowhere.jpg\n")
    result = site.run("build", "--no-pdf")
    assert result.code == 0
    assert "content/demo/feature.yaml:7: photo images/nowhere.jpg is missing" in result.err
    masthead = site.read("en/demo/index.html").split('<header class="masthead">')[1]
    assert "Photo pending" in masthead.split("</header>")[0]


def test_photo_alone_in_a_list_item_or_quote_is_shown(small: TinySite) -> None:
    save(small, "a.jpg", halves((96, 64)))
    for lang in ("zh", "en"):
        small.write(f"content/demo/02-second.{lang}.md", f"---\ntitle: T {lang}\n---\n"
                    f"- ![{lang} listed](images/a.jpg)\n\n> ![{lang} quoted](images/a.jpg)\n")
    result = small.run("build", "--no-pdf")
    assert result.code == 0, result.err
    page = small.read("en/demo/index.html")
    assert [img["alt"] for img in _parse(page).imgs] == ["en listed", "en quoted"]
    assert "Photo pending" not in page


def test_photo_without_caption_or_alt_has_no_empty_caption(small: TinySite) -> None:
    save(small, "a.jpg", halves((96, 64)))
    for lang in ("zh", "en"):
        small.write(f"content/demo/02-second.{lang}.md",
                    f"---\ntitle: T {lang}\n---\n![](images/a.jpg)\n")
    assert small.run("build", "--no-pdf").code == 0
    figure = re.search(r'<figure class="photo">.*?</figure>', small.read("en/demo/index.html"),
                       re.S)
    assert figure and "<img" in figure.group(0)
    assert "<figcaption" not in figure.group(0)
