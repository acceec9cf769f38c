"""What `check` reports: a finding with its level, kind, file, line, message and hint."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from ..errors import ContentError, ContentErrors, JishiError, display_path

Level = Literal["error", "warning", "info"]
LEVELS: tuple[Level, ...] = get_args(Level)


@dataclass(frozen=True)
class Finding:
    """One thing check found: how bad, what kind, where, what, and how to fix it."""

    level: Level
    code: str
    path: Path | None
    line: int | None
    message: str
    hint: str = ""

    def location(self) -> str:
        """Return ``file:line`` as an editor reads it."""
        if self.path is None:
            return ""
        shown = display_path(self.path)
        return f"{shown}:{self.line}" if self.line else shown


def from_error(exc: JishiError) -> list[Finding]:
    """Content errors, as findings."""
    errors = exc.errors if isinstance(exc, ContentErrors) else \
        [exc] if isinstance(exc, ContentError) else [ContentError(None, None, str(exc))]
    return [Finding("error", "content", e.path, e.line, e.message, e.hint) for e in errors]


