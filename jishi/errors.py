"""The one small error hierarchy: raised where a fault is found, printed once at the CLI edge."""

from __future__ import annotations

import errno
import reprlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


QUOTE_LIMIT = 60  # characters of a source's value quoted in any message

# reprlib stops at these limits while it walks a value, so even a value built from YAML aliases
# (a list holding itself nine times over, nine levels deep) is quoted in constant time.
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxtuple, _REPR.maxset = 2, 4, 4, 4, 4
_REPR.maxstring, _REPR.maxother, _REPR.maxlong = QUOTE_LIMIT, QUOTE_LIMIT, QUOTE_LIMIT


def quoted(value: Any) -> str:
    """Quote a value from a source in a message, never longer than about QUOTE_LIMIT characters.

    Every message that repeats what an editor wrote goes through here: a value may be a
    megabyte of text or a list of lists, and the message must stay one readable line.
    """
    text = _REPR.repr(value)
    return text if len(text) <= QUOTE_LIMIT + 2 else text[:QUOTE_LIMIT] + "…" + text[-1]


def cut(name: str) -> str:
    """A name from a source (a key, an ID) shown bare in a message, cut like quoted()."""
    return name if len(name) <= QUOTE_LIMIT else name[:QUOTE_LIMIT] + "…"


def display_path(path: Path, root: Path | None = None) -> str:
    """Show a path as an editor typed it: relative to root (or the current folder) if inside.

    Only the folder is resolved, so a symbolic link is named as itself, not as its target.
    """
    base = (root or Path.cwd()).resolve()
    path = Path(path)
    try:
        return (path.parent.resolve() / path.name).relative_to(base).as_posix()
    except ValueError:
        return str(path)


def where(path: Path, line: int | None = None) -> str:
    """Return ``file:line`` for a warning."""
    shown = display_path(path)
    return f"{shown}:{line}" if line else shown


class JishiError(Exception):
    """Base of every error jishi reports to a user."""

    exit_code = 1


class UsageError(JishiError):
    """The command line itself is wrong (exit code 2)."""

    exit_code = 2


class ContentError(JishiError):
    """A fault in a source file: what, where, and how to fix it."""

    def __init__(
        self, path: Path | str | None, line: int | None, message: str, hint: str = ""
    ) -> None:
        super().__init__(message)
        self.path = Path(path) if path is not None else None
        self.line = line
        self.message = message
        self.hint = hint

    def __reduce__(self) -> tuple[type[ContentError], tuple[Path | None, int | None, str, str]]:
        # An error raised in a worker process (jishi.web.parallel) reaches the build whole.
        return (type(self), (self.path, self.line, self.message, self.hint))

    def location(self, root: Path | None = None) -> str:
        """Return ``file:line``, the file relative to root (default: the current folder)."""
        if self.path is None:
            return ""
        shown = display_path(self.path, root)
        return f"{shown}:{self.line}" if self.line else shown

    def format(self, root: Path | None = None) -> str:
        """Return the message as an editor reads it, with the hint on its own line."""
        where = self.location(root)
        text = f"{where}: {self.message}" if where else self.message
        return f"{text}\n    hint: {self.hint}" if self.hint else text

    def __str__(self) -> str:
        return self.format()


# What an editor can do about an operating-system error, by its errno (the one table of them).
OS_HINTS = {
    errno.EACCES: "check its permissions (jishi must be able to read it, and write where it "
                  "writes), or choose another folder",
    errno.EPERM: "check that the folder is not locked (chattr -i, a read-only mount), or choose "
                 "another folder",
    errno.EROFS: "the disk is mounted read-only: choose a folder on a writable disk",
    errno.ENOSPC: "the disk is full: free some space, then build again",
    errno.EDQUOT: "your disk quota is full: free some space, then build again",
    errno.ENAMETOOLONG: "choose a shorter name",
    errno.ENOTDIR: "a part of this path is a file, not a folder: choose another path",
    errno.EISDIR: "it is a folder, not a file: move or rename it",
    errno.ENOENT: "it does not exist (or is a link to nothing): create it, or remove the link",
    errno.ELOOP: "it is a link that points to itself: remove the link",
}


def os_error(exc: OSError, doing: str, path: Path | str | None = None) -> ContentError:
    """An operating-system error as one line an editor can act on: the path, what, what to do.

    doing says what jishi was doing ("cannot write the output"); path defaults to the
    file the error names.
    """
    named = path if path is not None else exc.filename
    reason = exc.strerror or str(exc)
    hint = OS_HINTS.get(exc.errno or 0, "check the path and its permissions, then try again")
    return ContentError(named, None, f"{doing}: {reason.lower()}", hint)


class ContentErrors(JishiError):
    """Every content error found in one pass, so an editor can fix them all at once."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors

    def format(self, root: Path | None = None) -> str:
        """Return all errors, one block each."""
        return "\n".join(e.format(root) for e in self.errors)

    def __str__(self) -> str:
        return self.format()


class ErrorList:
    """Collects ContentErrors during validation; raises them together at the end."""

    def __init__(self) -> None:
        self.errors: list[ContentError] = []

    def add(self, path: Path | str | None, line: int | None, message: str, hint: str = "") -> None:
        """Record one error."""
        self.errors.append(ContentError(path, line, message, hint))

    def extend(self, other: list[ContentError]) -> None:
        """Record errors found elsewhere."""
        self.errors.extend(other)

    def capture(self, func: Callable[..., T], *args: Any) -> T | None:
        """Call func; record the content errors it raises and return None instead."""
        try:
            return func(*args)
        except ContentErrors as exc:
            self.errors.extend(exc.errors)
        except ContentError as exc:
            self.errors.append(exc)
        return None

    def raise_if_any(self) -> None:
        """Raise every recorded error at once, if there is one."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ContentErrors(self.errors)
