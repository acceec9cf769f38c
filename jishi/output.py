"""Write the build atomically: stage every file in a sibling folder, then swap it in.

A failed build never touches the previous output (after lektor's Artifact commit/rollback).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from .errors import JishiError

log = logging.getLogger(__name__)


class OutputError(JishiError):
    """A write that would escape the output folder or repeat a path."""


class Staging:
    """A temporary output folder beside the real one; commit() swaps it in."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        self.written: set[str] = set()

    def path_for(self, rel: str) -> Path:
        """Return the staged path for a relative output path, refusing escapes and repeats."""
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise OutputError(f"refusing to write {rel!r}: it is outside the output folder")
        key = pure.as_posix()
        if key in self.written:
            raise OutputError(f"refusing to write {rel!r} twice: two sources make the same file")
        self.written.add(key)
        target = self.root.joinpath(*pure.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write_bytes(self, rel: str, data: bytes) -> None:
        """Stage one file's bytes."""
        self.path_for(rel).write_bytes(data)

    def write_text(self, rel: str, text: str) -> None:
        """Stage one UTF-8 text file."""
        self.write_bytes(rel, text.encode("utf-8"))

    def copy(self, rel: str, source: Path) -> None:
        """Stage a copy of a source file."""
        shutil.copyfile(source, self.path_for(rel))

    def commit(self) -> None:
        """Swap the staged folder in place of the output, keeping the old one until it is in."""
        old = None
        if self.out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.old-", dir=self.out.parent))
            old.rmdir()
            os.replace(self.out, old)
        try:
            os.replace(self.root, self.out)
        except OSError:
            if old is not None:
                os.replace(old, self.out)  # put the previous build back
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def rollback(self) -> None:
        """Throw the staged folder away; the output stays as it was."""
        shutil.rmtree(self.root, ignore_errors=True)
