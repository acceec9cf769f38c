"""YAML reading that remembers the line of every key, so errors can point at it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, os_error, quoted

MAX_DEPTH = 50  # nested lists/mappings; jishi's own files need five
MAX_NODES = 100_000  # values in a file once its aliases are expanded; Yiyang's data has ~400
# What YAML itself calls non-printable (PyYAML's Reader), refused in every source file: a NUL
# or another control character is invisible in an editor and would reach a page as-is.
NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD"
                           "\U00010000-\U0010FFFF]")


class LineDict(dict):
    """A mapping loaded from YAML that knows the 1-based line of each key."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines: dict[Any, int] = {}
        self.line = 0

    def line_of(self, key: Any) -> int:
        """Return the line of key, or of the mapping itself when key is absent."""
        return self.lines.get(key, self.line)


# libyaml's parser, where PyYAML has it, reads a data file about eight times faster; the
# constructors, and so the LineDicts and every error's line, stay the same.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[valid-type,misc]
    """SafeLoader that builds LineDicts."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key here is not a plain value", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {quoted(key)} appears twice", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


Construct = Callable[[_Loader, yaml.ScalarNode], Any]


def _refusing_value_errors(construct: Construct, what: str) -> Construct:
    """A scalar constructor whose ValueError becomes a YAML error with the node's line."""
    def run(loader: _Loader, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{quoted(node.value)} {what} ({exc})", node.start_mark) from exc

    return run


# PyYAML raises a bare ValueError for a date-shaped value that is no date (2019-13-45), and
# Python for an integer of more than 4,300 digits: each becomes an error with a line.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _refusing_value_errors(
    yaml.constructor.SafeConstructor.construct_yaml_timestamp, "is not a real date"))
_Loader.add_constructor("tag:yaml.org,2002:int", _refusing_value_errors(
    yaml.constructor.SafeConstructor.construct_yaml_int, "is not a usable number"))


def decode(path: Path, raw: bytes) -> str:
    """Decode UTF-8 (a BOM is fine); report the line of the first bad byte otherwise.

    A control character (NUL, ESC, ...) is refused here too, for every kind of source file.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(
            path, line, f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} cannot be read)",
            "save the file as UTF-8 in your editor (\"Save with encoding\" → UTF-8)",
        ) from exc
    bad = NON_PRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - text.rfind("\n", 0, bad.start())
        raise ContentError(
            path, line, f"an invisible control character U+{ord(bad.group()):04X} is in the "
            f"text (column {column})", "delete it: retype the line, or search for it in an "
            "editor that shows control characters; only tabs and line breaks may be used")
    return text


def read_text(path: Path) -> str:
    """Read a source file as UTF-8 text."""
    try:
        raw = path.read_bytes()
    except OSError as exc:  # a folder, a link to nothing, a file without read permission
        raise os_error(exc, "cannot read this file", path) from exc
    return decode(path, raw)


def parse(text: str, path: Path, first_line: int = 1) -> Any:
    """Parse YAML text; first_line is where the text starts inside path."""
    try:
        if _may_be_hostile(text):
            _check_shape(text, path, first_line)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = exc.problem or "the YAML cannot be read"
        raise ContentError(path, line, f"YAML syntax error: {problem}",
                           _syntax_hint(text, line - first_line)) from exc
    except yaml.YAMLError as exc:  # the reader's errors carry no mark (decode() catches most)
        raise ContentError(path, first_line, f"YAML cannot be read: {exc}",
                           "save the file as plain UTF-8 text") from exc


def _may_be_hostile(text: str) -> bool:
    """Whether text could nest deeper than MAX_DEPTH or use aliases, cheaply and conservatively.

    Block nesting needs indentation or a marker ('- ', ': ', '? ') on the line for each level,
    flow nesting a bracket; a file below the bound is read without the event scan.
    """
    if "*" in text:
        return True
    brackets = text.count("[") + text.count("{")
    widest = max((2 * (len(line) - len(line.lstrip(" "))) + line.count("-") + line.count(":")
                  + line.count("?") for line in text.split("\n")), default=0)
    return brackets + widest + 2 > MAX_DEPTH


def _check_shape(text: str, path: Path, first_line: int) -> None:
    """Refuse nesting deeper than MAX_DEPTH and alias expansion beyond MAX_NODES.

    It reads the parser's events, which needs no recursion, before anything is composed:
    the composer and constructor recurse once per level (RecursionError at 1,000 levels, a
    crash in libyaml's composer at 100,000), and nine levels of nine aliases make 9^9 values.
    """
    open_: list[tuple[str | None, int]] = []  # each open collection: its anchor, total before
    sizes: dict[str, int] = {}  # an anchor's value, counted with its own aliases expanded
    total = 0
    for event in yaml.parse(text, Loader=_SafeBase):
        line = first_line + (event.start_mark.line if event.start_mark else 0)
        if isinstance(event, yaml.CollectionStartEvent):
            open_.append((event.anchor, total))
            if len(open_) > MAX_DEPTH:
                raise _shape_error(path, line, "the values are nested more than "
                                   f"{MAX_DEPTH} levels deep")
        if isinstance(event, yaml.CollectionEndEvent):
            anchor, before = open_.pop()
            if anchor:
                sizes[anchor] = total - before
            continue
        alias = isinstance(event, yaml.AliasEvent) and event.anchor
        total += sizes.get(alias, 1) if alias else 1
        if isinstance(event, yaml.ScalarEvent) and event.anchor:
            sizes[event.anchor] = 1
        if total > MAX_NODES:
            raise _shape_error(path, line, "the aliases (*name) here expand to more than "
                               f"{MAX_NODES:,} values")


def _shape_error(path: Path, line: int, message: str) -> ContentError:
    return ContentError(path, line, message, "jishi's files need a few levels of nesting at "
                        "most: write each value out as the README shows, without a chain of "
                        "aliases")


def _syntax_hint(text: str, index: int) -> str:
    """How to fix a YAML syntax error; a tab in the indentation is the usual culprit."""
    lines = text.split("\n")
    line = lines[index] if 0 <= index < len(lines) else ""
    if "\t" in line[: len(line) - len(line.lstrip())]:
        return "YAML indentation must be spaces, not tabs: indent this line with spaces"
    return ("check indentation, the colon after each key, and quote values that contain "
            "': ', '#', '{' or start with a quote mark")


def load(path: Path) -> Any:
    """Read and parse one YAML file."""
    return parse(read_text(path), path)


def is_text(value: Any) -> bool:
    """A value that reads as text; YAML's true/false (from yes, no, on, off) does not."""
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


QUOTE_HINT = "put the text in quotes: YAML reads a bare yes, no, on or off as true/false"


def did_you_mean(word: str, choices: list[str] | set[str]) -> str:
    """Return ' (did you mean X?)' for the closest choice, or ''."""
    if len(word) > 100:  # no typo of a known name is that long
        return ""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
