"""The command line: python build.py build|serve|pdf|check|new (also the `jishi` command)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import ContentError, ContentErrors, JishiError, UsageError, os_error

log = logging.getLogger(__name__)

VERBS = ("build", "serve", "pdf", "check", "new")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", type=Path, default=Path("."),
                        help="the site's folder (default: the current folder)")
    parser.add_argument("--out", type=Path, default=None,
                        help="where to write the site (default: SOURCE/dist)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="show debugging detail and tracebacks")
    parser.add_argument("-q", "--quiet", action="store_true", help="only show errors")


def port_number(text: str) -> int:
    """A TCP port, 0 (any free one) to 65535 (a larger number would wrap round to another)."""
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: use a number from 1 to "
                                         "65535, or 0 for any free port")
    return int(text)


def _output_verbs(verbs: Any) -> None:
    """build, serve and pdf: the verbs that write the site."""
    build = verbs.add_parser("build", help="build the site into dist/ (the default)")
    build.add_argument("--no-pdf", action="store_true", help="skip the print edition")
    build.add_argument("--press", action="store_true",
                       help="print edition for press: bleed, crop marks, PDF/X where possible")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    serve = verbs.add_parser("serve", help="live preview: rebuild and reload on every save")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1); with --host, "
                       "requests naming any host are answered, else only localhost's names")
    serve.add_argument("--port", type=port_number, default=8000,
                       help="port to listen on (1 to 65535; 0 picks a free one)")
    pdf = verbs.add_parser("pdf", help="build the site with its print edition (PDF); "
                          "stop, writing nothing, if a PDF cannot be made")
    pdf.add_argument("--press", action="store_true",
                     help="for press: bleed, crop marks, PDF/X where possible")


def _source_verbs(verbs: Any) -> None:
    """check and new: the verbs that read or start the sources."""
    check = verbs.add_parser("check", help="report problems in the sources; write nothing")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="report format (default: text)")
    check.add_argument("--mark-translated", metavar="FILE", type=Path,
                       help="record that FILE's translation matches its source section now")
    new = verbs.add_parser("new", help="start a new feature: content/SLUG and data/SLUG.yaml")
    new.add_argument("slug", help="the new feature's folder name, like changsha")


def make_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per verb."""
    parser = argparse.ArgumentParser(
        description="Build a bilingual documentary feature: web pages and PDF.",
        epilog="With no command, 'build' runs. Exit codes: 0 built, 1 content errors, "
               "2 usage errors.")
    verbs = parser.add_subparsers(dest="verb", metavar="COMMAND")
    _output_verbs(verbs)
    _source_verbs(verbs)
    for sub in verbs.choices.values():
        _common(sub)
    return parser


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse argv; no verb means 'build'."""
    args = list(argv)
    # The verb comes first; a folder named like a verb (--out build) is not one.
    if not args or args[0] not in (*VERBS, "-h", "--help"):
        args.insert(0, "build")
    ns = make_parser().parse_args(args)
    if ns.out is None:
        ns.out = ns.source / "dist"
    return ns


def setup_logging(verbose: bool, quiet: bool) -> None:
    """Warnings and progress to stderr, plainly worded."""
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.INFO
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s", stream=sys.stderr,
                        force=True)
    for name, lower in (("WARNING", "warning"), ("ERROR", "error"), ("INFO", "info")):
        logging.addLevelName(getattr(logging, name), lower)
    # WeasyPrint reports each of its steps at INFO; only --verbose wants them.
    logging.getLogger("weasyprint.progress").setLevel(logging.DEBUG if verbose else logging.WARNING)


def _strict_gate(ns: argparse.Namespace) -> int:
    """build --strict: run every check first; a warning stops the build like an error."""
    from .checking import checks

    findings = checks.run_checks(ns.source)
    code = checks.exit_code(findings, strict=True)
    if code:
        print(checks.format_text(findings, strict=True), file=sys.stderr)
        print("build --strict stopped: fix the findings above; the previous output is "
              "unchanged.", file=sys.stderr)
    return code


def _build(ns: argparse.Namespace) -> int:
    from .builder import build

    if getattr(ns, "strict", False) and _strict_gate(ns):
        return 1
    make_pdf = ns.verb == "pdf" or not ns.no_pdf
    result = build(ns.source, ns.out, pdf=make_pdf, press=ns.press,
                   pdf_required=ns.verb == "pdf")
    if not ns.quiet:
        for text in result.preflight:
            print(text)
    log.info("built %d pages, %d PDFs (%d files) in %.2f s into %s", len(result.pages),
             len(result.pdfs), result.files, result.seconds, ns.out)
    if result.pdf_error is not None:
        print(result.pdf_error.format(), file=sys.stderr)
        print("the web pages were built; the print edition (PDF) was not.", file=sys.stderr)
        return 1
    return 0


def _serve(ns: argparse.Namespace) -> int:
    from .editor.serve import serve

    return serve(ns.source, ns.out, ns.host or "127.0.0.1", ns.port,
                 any_host=ns.host is not None)


def _pdf(ns: argparse.Namespace) -> int:
    # The whole site is rebuilt with its PDFs, so pages and PDFs always match.
    ns.no_pdf = False
    return _build(ns)


def _check(ns: argparse.Namespace) -> int:
    from .checking import checks

    if ns.mark_translated is not None:
        from .checking.translation import mark_translated

        path, digest = mark_translated(ns.source, ns.mark_translated)
        print(f"{path}: recorded translated_from: {digest}")
        return 0
    findings = checks.run_checks(ns.source)
    show = checks.format_json if ns.format == "json" else checks.format_text
    print(show(findings, strict=ns.strict))
    return checks.exit_code(findings, strict=ns.strict)


def _new(ns: argparse.Namespace) -> int:
    from .editor.scaffold import new_feature
    from .errors import display_path

    made = new_feature(ns.source, ns.slug)
    print("made:")
    for path in made:
        print(f"  {display_path(path)}")
    folder = display_path(ns.source / "content" / ns.slug)
    if ns.source / "site.yaml" in made:
        print("this folder had no site.yaml, so `new` started a site here (languages zh, en): "
              "set its title in site.yaml")
    print(f"next:\n  1. edit {folder}/feature.yaml: kicker, series, headline, byline, summary"
          f"\n  2. write the sections in {folder}/NN-name.LANG.md, one file per language"
          f"\n  3. put the figures in {display_path(ns.source / 'data' / (ns.slug + '.yaml'))}"
          " and write {{ stat ID }} in the text"
          "\n  4. run `python build.py serve` and watch the page as you write")
    return 0


def check_source(ns: argparse.Namespace) -> None:
    """Refuse a --source that is not a folder (only `new` may start a site in a new one)."""
    if ns.verb != "new" and not ns.source.is_dir():
        what = "is not a folder" if ns.source.exists() else "does not exist"
        raise UsageError(f"--source {ns.source} {what}; give the site's folder (the one "
                         "holding site.yaml), or run from inside it")


def run(ns: argparse.Namespace) -> int:
    """Dispatch to a verb; return the exit code."""
    check_source(ns)
    handlers = {"build": _build, "serve": _serve, "pdf": _pdf, "check": _check, "new": _new}
    return handlers[ns.verb](ns)


def report(exc: JishiError, root: Path | None) -> None:
    """Print an error once, as the editor needs to read it."""
    if isinstance(exc, (ContentError, ContentErrors)):
        count = len(exc.errors) if isinstance(exc, ContentErrors) else 1
        print(exc.format(root), file=sys.stderr)
        print(f"build stopped: {count} error(s); the previous output is unchanged.",
              file=sys.stderr)
    else:
        print(f"error: {exc}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: returns 0 built, 1 content errors, 2 usage errors."""
    try:
        ns = parse_args(sys.argv[1:] if argv is None else argv)
        setup_logging(ns.verbose, ns.quiet)
    except KeyboardInterrupt:  # Ctrl-C before anything started
        return 130
    try:
        return run(ns)
    except JishiError as exc:
        if ns.verbose:
            log.exception("traceback")
        report(exc, None)
        return exc.exit_code
    except OSError as exc:  # the last resort: each stage converts the errors it expects
        if ns.verbose:
            log.exception("traceback")
        error = os_error(exc, "cannot read or write this file")
        report(error, None)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
