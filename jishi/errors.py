"""The one small error hierarchy: raised where a fault is found, printed once at the CLI edge."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


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

    def location(self, root: Path | None = None) -> str:
        """Return ``file:line`` relative to root where possible."""
        if self.path is None:
            return ""
        shown = self.path
        if root is not None:
            try:
                shown = self.path.resolve().relative_to(root.resolve())
            except ValueError:
                shown = self.path
        return f"{shown}:{self.line}" if self.line else str(shown)

    def format(self, root: Path | None = None) -> str:
        """Return the message as an editor reads it, with the hint on its own line."""
        where = self.location(root)
        text = f"{where}: {self.message}" if where else self.message
        return f"{text}\n    hint: {self.hint}" if self.hint else text

    def __str__(self) -> str:
        return self.format()


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
