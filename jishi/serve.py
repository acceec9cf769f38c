"""`python build.py serve`: live preview that rebuilds on every save and reloads every tab.

The browser side is the livereload package: its websocket handler (hello handshake, then
`reload` commands), its livereload.js and its script injector. Watching is jishi's own: the
livereload Server polls every 0.8 s and ignores a second reload within 3 s of the last, which
would drop an editor's quick saves. A thread polls the sources every 25 ms, waits for 50 ms of
quiet (rapid saves become one rebuild, as in mkdocs' _build_loop), asks the Rebuilder to bring
dist/ up to date, and tells the IOLoop to send the reload. A bad build keeps the last good pages
and shows its errors in every page served, until the next good build.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import html
import logging
import mimetypes
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import web
from tornado.ioloop import IOLoop

from . import builder
from .builder import check_out_dir
from .config import load_config
from .errors import ContentError, ContentErrors, JishiError, UsageError, display_path
from .model import Site
from .rebuild import Outcome, Rebuilder

log = logging.getLogger(__name__)

WATCHED = ("content", "data", "templates", "assets")
POLL_SECONDS = 0.025
QUIET_SECONDS = 0.05  # saves closer together than this become one rebuild
MAX_WAIT_SECONDS = 1.0  # rebuild even while saves keep coming
OVERLAY_ID = "jishi-build-error"
BODY_RE = re.compile(rb"<body[^>]*>", re.IGNORECASE)
# As livereload's Server does: fetch livereload.js from whichever host and port served the page.
LIVE_SCRIPT = (
    b'<script>(function(){var s=document.createElement("script");'
    b'var port=window.location.port||(window.location.protocol=="https:"?443:80);'
    b's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
    b"document.head.appendChild(s);})();</script>"
)
PdfMaker = Callable[[Site, Path], list[Path]]


def error_list(error: JishiError) -> list[ContentError]:
    """The content errors of a failed build (a plain error becomes one without a file)."""
    if isinstance(error, ContentErrors):
        return error.errors
    if isinstance(error, ContentError):
        return [error]
    return [ContentError(None, None, str(error))]


def overlay_html(error: JishiError, root: Path) -> str:
    """The build error as a box over the page: plain HTML and inline CSS, no script needed."""
    items = []
    for err in error_list(error):
        where = html.escape(err.location(root)) if err.path else ""
        hint = f'<br><span style="color:#555">hint: {html.escape(err.hint)}</span>' \
            if err.hint else ""
        items.append(f'<li style="margin:.6em 0"><code style="font-weight:bold">{where}</code> '
                     f"{html.escape(err.message)}{hint}</li>")
    return (
        f'<div id="{OVERLAY_ID}" role="alert" lang="en" style="position:fixed;inset:0 0 auto 0;'
        'z-index:2147483647;max-height:70vh;overflow:auto;margin:0;padding:1em 1.5em;'
        'background:#fff4f2;color:#1d1d1d;border-bottom:4px solid #c0392b;font:15px/1.5 '
        'system-ui,sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.25)">'
        '<p style="margin:0;font-weight:bold;color:#c0392b">Build failed: this page is the '
        "last good build. Fix the error(s) below and save; this box goes away.</p>"
        f'<ul style="margin:.4em 0 0;padding-left:1.2em">{"".join(items)}</ul></div>'
    )


def inject_overlay(page: bytes, overlay: str) -> bytes:
    """Put the overlay first in the page's body (or first in the file when it has none)."""
    data = overlay.encode("utf-8")
    m = BODY_RE.search(page)
    if m is None:
        return data + page
    return page[:m.end()] + data + page[m.end():]


def error_page(overlay: str) -> bytes:
    """A page to show when a build failed and there is no earlier good build to show."""
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Build failed</title>"
            f"</head><body>{overlay}</body></html>").encode()


def resolve(root: Path, url_path: str) -> tuple[Path | None, bool]:
    """Map a URL path to a file inside root; (None, _) when refused, (_, True) to add a '/'."""
    parts = [p for p in url_path.split("/") if p]
    if any(p.startswith(".") or "\\" in p or "\0" in p or ":" in p for p in parts):
        return None, False  # '..', hidden files such as the build marker, Windows tricks
    base = root.resolve()
    target = base.joinpath(*parts).resolve()
    if not target.is_relative_to(base):
        return None, False  # a symbolic link that leads out of dist/
    if target.is_dir():
        if url_path and not url_path.endswith("/"):
            return target, True
        target = target / "index.html"
    return (target, False) if target.is_file() else (None, False)


class ServeState:
    """What the request handlers share with the build thread."""

    def __init__(self, rebuilder: Rebuilder, printing: PrintEdition) -> None:
        self.rebuilder = rebuilder
        self.printing = printing

    def overlay(self) -> str | None:
        """The error overlay while the last build failed, else None."""
        error = self.rebuilder.error
        return overlay_html(error, self.rebuilder.source) if error else None


class SiteHandler(web.RequestHandler):
    """Serves dist/ and nothing else; HTML pages carry the error overlay after a failed build."""

    def initialize(self, state: ServeState) -> None:
        """Keep the shared state."""
        self.state = state

    def set_default_headers(self) -> None:
        """Never let a browser keep a stale page."""
        self.set_header("Cache-Control", "no-store")

    async def get(self, path: str) -> None:
        """Answer one request from dist/."""
        root = self.state.rebuilder.out
        if path.endswith(".pdf"):
            await self._fresh_pdf()
        with self.state.rebuilder.lock:
            target, slash = resolve(root, path)
            body = target.read_bytes() if target and not slash else b""
        overlay = self.state.overlay()
        if slash:
            self.redirect("/" + path + "/")
        elif target is None:
            self._missing(overlay)
        else:
            self._send(target, body, overlay)

    async def _fresh_pdf(self) -> None:
        # The PDF link: remake a stale print edition first; if it cannot be made, say why in
        # the terminal and serve what dist/ holds.
        try:
            await self.state.printing.fresh()
        except JishiError as exc:
            log.warning("print edition not made: %s", exc)

    def _send(self, target: Path, body: bytes, overlay: str | None) -> None:
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            kind += "; charset=utf-8"
            if overlay:
                body = inject_overlay(body, overlay)
        self.set_header("Content-Type", kind)
        self.finish(body)

    def _missing(self, overlay: str | None) -> None:
        self.set_status(503 if overlay else 404)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(error_page(overlay) if overlay else b"<!DOCTYPE html><title>Not found</title>"
                    b"<body><h1>Not found</h1><p>This path is not part of the built site.</p>")


class PrintHandler(web.RequestHandler):
    """/print: make the PDF if the pages changed since the last one, then show it."""

    def initialize(self, state: ServeState) -> None:
        """Keep the shared state."""
        self.state = state

    async def get(self) -> None:
        """Build (off the IOLoop) or reuse the print edition, then redirect to it."""
        try:
            made = await self.state.printing.fresh()
        except JishiError as exc:
            self.set_status(503)
            self.finish(error_page(overlay_html(exc, self.state.rebuilder.source)))
            return
        out = self.state.rebuilder.out.resolve()
        rels = [m.resolve().relative_to(out).as_posix() for m in made]
        self.redirect("/" + pick_pdf(rels, self._language()))

    def _language(self) -> str | None:
        # ?lang=en, else the language of the page the editor came from (/en/... is English).
        asked = self.get_query_argument("lang", None)
        if asked:
            return asked
        referer = urlparse(self.request.headers.get("Referer", "")).path
        return referer.strip("/").split("/")[0] or None


def pick_pdf(rels: list[str], lang: str | None) -> str:
    """The PDF in a language (by its -LANG.pdf name), else the first."""
    return next((r for r in rels if lang and r.endswith(f"-{lang}.pdf")), rels[0])


class PrintEdition:
    """The PDF is made only when asked for, in its own thread: HTML reloads never wait for it."""

    def __init__(self, out: Path, lock: threading.Lock, maker: PdfMaker | None = None) -> None:
        self.out = out
        self.lock = lock  # the rebuilder's: PDFs are swapped in while no build writes out/
        self.maker = maker or self._make
        self.site: Site | None = None
        self.future: concurrent.futures.Future[list[Path]] | None = None
        # Every good build counts, not only a new model: a print template or stylesheet
        # edit leaves the model as it was but changes the PDF.
        self.builds = 0
        self.made_for = 0
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=1,
                                                          thread_name_prefix="jishi-pdf")

    def _make(self, site: Site, out: Path) -> list[Path]:
        files = builder.print_files(site)  # WeasyPrint is loaded here, on the first request
        with self.lock:
            return builder.replace_files(out, files)

    def stale(self, site: Site | None) -> None:
        """Remember the latest good build; the next request makes a PDF from it."""
        self.site = site
        self.builds += 1

    async def fresh(self) -> list[Path]:
        """The PDFs of the latest good build, made now in the PDF thread if they are stale."""
        site = self.site
        if site is None:
            raise UsageError("there is no good build to print yet")
        if self.future is None or self.made_for != self.builds:
            self.made_for = self.builds
            self.future = self.pool.submit(self.maker, site, self.out)
        return await asyncio.wrap_future(self.future)


class Watcher:
    """Notices changed, added and removed source files by polling their stat (cheap: no reads)."""

    def __init__(self, source: Path, skip: list[Path]) -> None:
        self.source = source
        self.skip = [p.resolve() for p in skip]
        self.seen = self.snapshot()
        self.filepath: str | None = None  # livereload's handler logs the last changed file

    def snapshot(self) -> dict[Path, tuple[int, int, int]]:
        """(mtime, size, inode) of every watched file."""
        found: dict[Path, tuple[int, int, int]] = {}
        site_yaml = self.source / "site.yaml"
        if site_yaml.is_file():
            st = site_yaml.stat()
            found[site_yaml] = (st.st_mtime_ns, st.st_size, st.st_ino)
        for name in WATCHED:
            self._walk(self.source / name, found)
        return found

    def _walk(self, folder: Path, found: dict[Path, tuple[int, int, int]]) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            if _ignored(entry.name) or Path(entry.path).resolve() in self.skip:
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    self._walk(Path(entry.path), found)
                elif entry.is_file():
                    st = entry.stat()
                    found[Path(entry.path)] = (st.st_mtime_ns, st.st_size, st.st_ino)
            except OSError:
                continue  # removed between listing and stat: the next poll sees it gone

    def changes(self) -> set[Path]:
        """Files changed, added or removed since the last call."""
        now = self.snapshot()
        changed = {p for p in now.keys() | self.seen.keys() if now.get(p) != self.seen.get(p)}
        self.seen = now
        if changed:
            self.filepath = display_path(min(changed), self.source)
        return changed


def _ignored(name: str) -> bool:
    # Editors' swap, backup and lock files are not sources.
    return name.startswith((".", "#", "~")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


class BuildLoop(threading.Thread):
    """Waits for changes, coalesces rapid saves, rebuilds, then reports and reloads."""

    def __init__(self, watcher: Watcher, rebuilder: Rebuilder,
                 done: Callable[[Outcome, set[Path]], None]) -> None:
        super().__init__(name="jishi-build", daemon=True)
        self.watcher = watcher
        self.rebuilder = rebuilder
        self.done = done
        self.stopping = threading.Event()

    def run(self) -> None:
        """Poll until stopped."""
        while not self.stopping.wait(POLL_SECONDS):
            changed = self.watcher.changes()
            if changed:
                changed |= self._settle()
                self.done(self._rebuild(changed), changed)

    def _rebuild(self, changed: set[Path]) -> Outcome:
        # A bug in a rebuild must not end the loop: the server would go on serving stale
        # pages and never rebuild again. Show it like a build error; the next save retries.
        try:
            return self.rebuilder.update(changed)
        except Exception as exc:
            log.exception("internal error while rebuilding (please report it)")
            error = ContentError(None, None, f"internal error in jishi: {exc!r}",
                                 "the terminal shows the traceback; saving again retries")
            self.rebuilder.error, self.rebuilder.pending = error, self.rebuilder.pending | changed
            return Outcome("error", error=error)

    def _settle(self) -> set[Path]:
        more: set[Path] = set()
        quiet_until = time.monotonic() + QUIET_SECONDS
        give_up = time.monotonic() + MAX_WAIT_SECONDS
        while time.monotonic() < min(quiet_until, give_up) and not self.stopping.is_set():
            time.sleep(POLL_SECONDS)
            new = self.watcher.changes()
            if new:
                more |= new
                quiet_until = time.monotonic() + QUIET_SECONDS
        return more


def report(outcome: Outcome, changed: set[Path], root: Path) -> None:
    """Tell the terminal what a rebuild did, with the same errors the pages show."""
    names = ", ".join(sorted(display_path(p, root) for p in changed)) or "start"
    if outcome.error is not None:
        text = "\n".join(e.format(root) for e in error_list(outcome.error))
        print(f"{text}\nbuild failed ({names}): still serving the last good build; "
              "the pages show this error until it is fixed.", file=sys.stderr, flush=True)
        return
    what = f"{len(outcome.pages)} page(s)" if outcome.kind != "assets" else "assets"
    log.info("rebuilt %s in %.0f ms (%s: %s)", what, outcome.seconds * 1000, outcome.kind, names)


def make_app(state: ServeState) -> web.Application:
    """The tornado application: livereload's endpoints, /print, then dist/."""
    LiveReloadHandler.live_css = True

    class Injector(LiveScriptInjector):
        script = LIVE_SCRIPT

    return web.Application([
        (r"/livereload", LiveReloadHandler),
        (r"/livereload\.js", LiveReloadJSHandler),
        (r"/print/?", PrintHandler, {"state": state}),
        (r"/(.*)", SiteHandler, {"state": state}),
    ], transforms=[Injector])


def listen(app: web.Application, host: str, port: int) -> Any:
    """Bind the port, or say plainly why not."""
    try:
        return app.listen(port, address=host)
    except OSError as exc:
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror or exc}. Is another "
                         "server (another `serve`?) using that port? Stop it, or choose another "
                         "port with --port") from exc


def unwatched(source: Path, out: Path) -> list[Path]:
    """Folders the build itself writes: watching them would set off rebuild after rebuild."""
    skip = [out, source / ".cache"]
    # A broken site.yaml is reported by the first build; the default cache folder still stands.
    with contextlib.suppress(JishiError):
        skip.append(builder.cache_dir(load_config(source)))
    return skip


class LivePreview:
    """One `serve` session: the rebuilder, the print edition, the web server, the build loop."""

    def __init__(self, source: Path, out: Path, host: str, port: int) -> None:
        check_out_dir(source, out)
        self.source = source
        self.address = f"http://{host}:{port}/"
        self.rebuilder = Rebuilder(source, out)
        self.printing = PrintEdition(out, self.rebuilder.lock)
        self.server = listen(make_app(ServeState(self.rebuilder, self.printing)), host, port)
        self.loop = IOLoop.current()
        watcher = Watcher(source, unwatched(source, out))
        LiveReloadHandler.watcher = watcher
        self.builds = BuildLoop(watcher, self.rebuilder, self.done)

    def done(self, outcome: Outcome, changed: set[Path]) -> None:
        """After each build: tell the terminal, refresh the print edition's model, reload tabs."""
        report(outcome, changed, self.source)
        if outcome.error is None:
            self.printing.stale(self.rebuilder.site)
        self.loop.add_callback(LiveReloadHandler.reload_waiters, outcome.reload_path)

    def run(self) -> None:
        """Build once, then serve and rebuild until Ctrl+C."""
        self.done(self.rebuilder.full(), set())
        self.builds.start()
        print(f"Serving {display_path(self.rebuilder.out)} on {self.address} (Ctrl+C to stop)",
              file=sys.stderr, flush=True)
        try:
            self.loop.start()
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)
        finally:
            self.builds.stopping.set()
            self.server.stop()
            self.printing.pool.shutdown(wait=False, cancel_futures=True)


def serve(source: Path, out: Path, host: str, port: int) -> int:
    """Serve the site with live reload until Ctrl+C."""
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    LivePreview(source, out, host, port).run()
    return 0
