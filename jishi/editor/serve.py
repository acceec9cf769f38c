"""`python build.py serve`: live preview that rebuilds on every save and reloads every tab.

The browser side is the livereload package: its websocket handler (hello handshake, then
`reload` commands), its livereload.js and its script injector. Watching is jishi's own
(jishi.editor.watch): the livereload Server polls every 0.8 s and ignores a second reload within 3 s
of the last, which would drop an editor's quick saves. The build thread waits for OS file
events, lets rapid saves settle (50 ms), asks the Rebuilder to bring dist/ up to date, and tells
the IOLoop to send the reload. A bad build (the first one included) keeps the last good pages
and shows its errors in every page served, until the next good build. Only this machine's names
are answered unless --host was given.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import html
import logging
import mimetypes
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets

from .. import builder
from ..builder import check_out_dir
from ..errors import ContentError, ContentErrors, JishiError, UsageError, display_path
from ..model import Site
from ..printing import pdf as printing
from .rebuild import Outcome, Rebuilder
from .watch import BuildLoop, Watcher, unwatched

log = logging.getLogger(__name__)

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


LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})


def local_names(host: str) -> frozenset[str]:
    """The Host names a preview bound to host answers to (an IPv6 address in brackets)."""
    bound = f"[{host}]" if ":" in host else host
    return LOCAL_NAMES | {bound.lower()}


class HostCheck(web.RequestHandler):
    """Refuses a request whose Host header names another machine.

    A web page elsewhere could point its own name at 127.0.0.1 (DNS rebinding) and then read
    the preview as same-origin; the browser still sends that name, so it is refused here.
    """

    def prepare(self) -> None:
        """403 unless the Host is one the preview answers to (any, after --host)."""
        names = self.application.settings.get("host_names")
        if names is not None and self.request.host_name.lower() not in names:
            raise web.HTTPError(403, "Host %s refused", self.request.host_name)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Say why, in plain words."""
        if status_code != 403:
            super().write_error(status_code, **kwargs)
            return
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("This preview answers only to localhost, 127.0.0.1 and [::1]. To reach it "
                    "under another name, start it with --host.\n")


class ServeState:
    """What the request handlers share with the build thread."""

    def __init__(self, rebuilder: Rebuilder, printing: PrintEdition) -> None:
        self.rebuilder = rebuilder
        self.printing = printing

    def overlay(self) -> str | None:
        """The error overlay while the last build failed, else None."""
        error = self.rebuilder.error
        return overlay_html(error, self.rebuilder.source) if error else None


class SiteHandler(HostCheck):
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
            # Rebuilt from the parts: "//en" must not become "//en/", a link to host "en".
            self.redirect("/" + "/".join(p for p in path.split("/") if p) + "/")
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


class PrintHandler(HostCheck):
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
        # The pipeline's print stages; WeasyPrint is loaded here, on the first request.
        photos = builder.plan_photos(site)
        docs, _ = builder.plan_print(site, photos)
        files = printing.print_edition(docs, site, photos).files
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


class ReloadSocket(HostCheck, LiveReloadHandler):
    """livereload's websocket, behind the Host check."""


class ReloadScript(HostCheck, LiveReloadJSHandler):
    """livereload.js, behind the Host check."""


def make_app(state: ServeState, host_names: frozenset[str] | None) -> web.Application:
    """The tornado application: livereload's endpoints, /print, then dist/.

    host_names: the Host names answered; None answers any.
    """
    LiveReloadHandler.live_css = True

    class Injector(LiveScriptInjector):
        script = LIVE_SCRIPT

    return web.Application([
        (r"/livereload", ReloadSocket),
        (r"/livereload\.js", ReloadScript),
        (r"/print/?", PrintHandler, {"state": state}),
        (r"/(.*)", SiteHandler, {"state": state}),
    ], transforms=[Injector], host_names=host_names)


def listen(app: web.Application, host: str, port: int) -> tuple[HTTPServer, int]:
    """Bind the port (0: any free one), or say plainly why not; return the port bound."""
    try:
        sockets = bind_sockets(port, address=host)
    except OSError as exc:
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror or exc}. Is another "
                         "server (another `serve`?) using that port? Stop it, or choose another "
                         "port with --port") from exc
    server = HTTPServer(app)
    server.add_sockets(sockets)
    return server, int(sockets[0].getsockname()[1])


class LivePreview:
    """One `serve` session: the rebuilder, the print edition, the web server, the build loop."""

    def __init__(self, source: Path, out: Path, host: str, port: int, *,
                 any_host: bool = False) -> None:
        check_out_dir(source, out)
        self.source = source
        self.rebuilder = Rebuilder(source, out)
        self.printing = PrintEdition(out, self.rebuilder.lock)
        app = make_app(ServeState(self.rebuilder, self.printing),
                       None if any_host else local_names(host))
        self.server, self.port = listen(app, host, port)
        shown = f"[{host}]" if ":" in host else host
        self.address = f"http://{shown}:{self.port}/"
        self.loop = IOLoop.current()
        self.watcher = Watcher(source, unwatched(source, out, None))
        LiveReloadHandler.watcher = self.watcher  # livereload logs its last changed file
        self.builds = BuildLoop(self.watcher, self.rebuilder, self.done)

    def done(self, outcome: Outcome, changed: set[Path]) -> None:
        """After each build: tell the terminal, refresh the print edition's model, reload tabs."""
        report(outcome, changed, self.source)
        site = self.rebuilder.site
        if outcome.error is None and site is not None:
            self.printing.stale(site)
            self.watcher.skip = [p.resolve() for p in unwatched(self.source, self.rebuilder.out,
                                                                site.config)]
        if changed:  # not after the first build: no tab can be showing this session's pages
            self.loop.add_callback(LiveReloadHandler.reload_waiters, outcome.reload_path)

    def run(self) -> None:
        """Serve at once; build in the build thread, then rebuild on each save until Ctrl+C."""
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


def serve(source: Path, out: Path, host: str, port: int, *, any_host: bool = False) -> int:
    """Serve the site with live reload until Ctrl+C."""
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    logging.getLogger("watchfiles").setLevel(logging.WARNING)  # our own report says what changed
    LivePreview(source, out, host, port, any_host=any_host).run()
    return 0
