"""Photos for test sites: real JPEGs drawn with Pillow, shown by the TinySite's second section."""

from __future__ import annotations

import random

from conftest import TinySite
from PIL import Image


def noise(width: int, height: int, seed: int) -> Image.Image:
    """A photo-like picture that JPEG cannot squeeze much (so encoding takes real work)."""
    rng = random.Random(seed)
    small = Image.frombytes("RGB", (width // 8, height // 8),
                            bytes(rng.randrange(256) for _ in range(width // 8 * height // 8 * 3)))
    return small.resize((width, height), Image.Resampling.BICUBIC)


def save_photo(site: TinySite, name: str, seed: int, *, kind: str = "plain",
               size: tuple[int, int] = (1200, 800)) -> None:
    """Write content/demo/images/NAME: a plain sRGB JPEG, an EXIF-rotated one or a CMYK one."""
    path = site.root / "content/demo/images" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    im = noise(*size, seed)
    if kind == "rotated":
        exif = Image.Exif()
        exif[0x0112] = 6  # shot with the camera turned: shown rotated 90°
        im.save(path, quality=85, exif=exif.tobytes())
    elif kind == "cmyk":
        im.convert("CMYK").save(path, quality=85)
    else:
        im.save(path, quality=85)


def show_photos(site: TinySite, names: list[str], extra: str = "") -> None:
    """Make the second section (both languages) show these photos, with captions."""
    for lang, word in (("zh", "照片"), ("en", "Photo")):
        figures = "\n\n".join(f'![{word} {i}](images/{n} "{word} {i}")'
                              for i, n in enumerate(names, 1))
        site.write(f"content/demo/02-second.{lang}.md",
                   f"---\ntitle: {word}\n---\n{figures}\n\n{extra}{{{{ chart talks }}}}\n")


def photo_site(site: TinySite, count: int, seed: int = 1) -> list[str]:
    """Give the site count plain photos; return their names."""
    names = [f"p{i}.jpg" for i in range(count)]
    for i, name in enumerate(names):
        save_photo(site, name, seed * 100 + i)
    show_photos(site, names)
    return names
