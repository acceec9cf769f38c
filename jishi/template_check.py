"""Refuse a template that includes, extends or imports itself, before any page is rendered.

Jinja2 would recurse until Python's RecursionError; the cycle is found in the templates' syntax
trees instead, and reported at the line of the tag that closes it.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import nodes

from .errors import ContentError

TAGS = (nodes.Include, nodes.Extends, nodes.Import, nodes.FromImport)
Edge = tuple[str, int]  # (template name used, line of the tag)


def _names(template: nodes.Expr | None) -> list[str]:
    """The template names a tag may load: a constant, or a list of constants."""
    if isinstance(template, nodes.Const) and isinstance(template.value, str):
        return [template.value]
    if isinstance(template, (nodes.List, nodes.Tuple)):
        return [n for item in template.items for n in _names(item)]
    return []  # a name computed at render time cannot be followed here


def _edges(env: jinja2.Environment, name: str) -> tuple[str | None, list[Edge]]:
    """The file of a template and the templates it loads; none when it cannot be parsed."""
    try:
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        tree = env.parse(source, name, filename)
    except jinja2.TemplateError:
        return None, []  # reported, with its line, when the page is rendered
    return filename, [(used, tag.lineno) for tag in tree.find_all(TAGS)
                      for used in _names(getattr(tag, "template", None))]


def check_cycles(env: jinja2.Environment) -> None:
    """Raise a ContentError naming the first template that, through its tags, loads itself."""
    graph = {name: _edges(env, name) for name in env.list_templates(extensions=["html"])}
    done: set[str] = set()
    for start in sorted(graph):
        _visit(start, [], graph, done)


def _visit(name: str, path: list[str], graph: dict[str, tuple[str | None, list[Edge]]],
           done: set[str]) -> None:
    if name in done or name not in graph:
        return
    filename, edges = graph[name]
    for used, line in edges:
        trail = path + [name]
        if used in trail:
            chain = " → ".join(trail[trail.index(used):] + [used])
            raise ContentError(Path(filename or name), line, f"the template {name} loads "
                               f"itself ({chain}), which would never end",
                               "remove the include/extends/import that leads back to it")
        _visit(used, path + [name], graph, done)
    done.add(name)
