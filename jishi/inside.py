"""The one rule for links out of the site: a source is read only if it resolves inside it.

A symbolic link in assets/, content/ or templates/ that points outside the site folder
(`ln -s /etc/passwd assets/leak.txt`) would otherwise be read and published. Every place that
finds source files applies this rule: the photos, the walk of the site before a build, the
assets a rebuild copies.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ContentError, ErrorList

HINT = ("copy the file into the site folder instead of linking to it; jishi reads and "
        "publishes only what is inside the site")
CHECKED = ("site.yaml", "templates", "assets", "fonts")


def is_inside(path: Path, root: Path) -> bool:
    """Whether path, with every symbolic link followed, is inside root."""
    return path.resolve().is_relative_to(root.resolve())


def outside_error(path: Path, root: Path) -> ContentError:
    """The error for a source that leads out of the site."""
    return ContentError(path, None, f"this is a link to {path.resolve()}, outside the site "
                        f"folder {root.resolve()}", HINT)


def check_tree(top: Path, root: Path, errors: ErrorList) -> None:
    """Record every file or folder under top (top included) that leads outside root.

    Links are not followed while walking: a linked folder is checked, never entered.
    """
    if not os.path.lexists(top):
        return
    if not is_inside(top, root):
        errors.extend([outside_error(top, root)])
        return
    if top.is_symlink() or not top.is_dir():
        return
    for folder, dirs, files in os.walk(top):
        for name in sorted(dirs + files):
            path = Path(folder, name)
            if path.is_symlink() and not is_inside(path, root):
                errors.extend([outside_error(path, root)])
        dirs[:] = [d for d in dirs if not Path(folder, d).is_symlink()]


def check_site(source: Path, errors: ErrorList) -> None:
    """Record every link out of the site among the files a build reads.

    A feature's folder and data file are checked as the feature is read, so that a rebuild of
    one feature checks them too.
    """
    for name in CHECKED:
        check_tree(source / name, source, errors)
    if not is_inside(source / "content", source):
        errors.extend([outside_error(source / "content", source)])
