"""`serve`: the real server on a free port, spoken to over HTTP and the livereload websocket."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import websocket
from conftest import DATA_YAML, ROOT, TinySite

DEADLINE = 30.0  # seconds: generous for a loaded machine; every wait polls and returns early
BROKEN_DATA = "stats:\n  members:\n    value: [23162\n"  # the list never closes: line 4


def wait_for(check: Callable[[], object], what: str, timeout: float = DEADLINE) -> object:
    """Poll check until it returns something true; fail with what after timeout."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        result = check()
        if result:
            return result
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


class Server:
    """`python build.py serve --port 0` in a subprocess, with its terminal output in a file."""

    def __init__(self, site: TinySite, log: Path, *args: str) -> None:
        self.site = site
        self.log = log
        with log.open("wb") as sink:
            self.proc = subprocess.Popen(
                [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", *args,
                 "--source", str(site.root)],
                stdout=sink, stderr=subprocess.STDOUT, cwd=site.root)
        found = wait_for(lambda: self._alive() and re.search(r"on http://[^ ]+:(\d+)/",
                                                             self.output()), "the port")
        self.port = int(found.group(1))  # type: ignore[union-attr]
        wait_for(lambda: self.get("/")[0] in (200, 503), "the server to answer")

    def _alive(self) -> bool:
        if self.proc.poll() is not None:
            raise AssertionError(f"the server exited:\n{self.output()}")
        return True

    def get(self, path: str, host: str | None = None) -> tuple[int, str]:
        """GET a raw path (sent exactly as written); (0, '') while nobody answers."""
        self._alive()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path, headers={"Host": host} if host else {})
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        except OSError:
            return 0, ""
        finally:
            conn.close()

    def output(self) -> str:
        """What the server printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def connect(self) -> websocket.WebSocket:
        """A livereload client: the hello handshake, then 'info' to be told of reloads."""
        ws = websocket.create_connection(f"ws://127.0.0.1:{self.port}/livereload", timeout=DEADLINE)
        ws.send(json.dumps({"command": "hello",
                            "protocols": ["http://livereload.com/protocols/official-7"]}))
        hello = json.loads(ws.recv())
        assert hello["command"] == "hello"
        ws.send(json.dumps({"command": "info", "url": f"http://127.0.0.1:{self.port}/"}))
        wait_for(lambda: "Browser Connected" in self.output(), "the server to register the tab")
        return ws

    def stop(self) -> None:
        """Kill the server, whatever state it is in."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def server(site: TinySite, tmp_path: Path) -> Iterator[Server]:
    """A running server on the tiny site; always killed afterwards."""
    running = None
    try:
        running = Server(site, tmp_path / "serve.log")
        yield running
    finally:
        if running is not None:
            running.stop()


def reload_message(ws: websocket.WebSocket) -> dict:
    """The next livereload command (the socket's own timeout bounds the wait)."""
    message = json.loads(ws.recv())
    assert message["command"] == "reload"
    return message


def test_an_edit_changes_the_served_page(site: TinySite, server: Server) -> None:
    status, page = server.get("/demo/")
    assert status == 200 and "导语段落。" in page
    assert "livereload.js" in page  # livereload's script is injected into every page
    ws = server.connect()
    site.write("content/demo/00-lead.zh.md", "---\n---\n改过的导语。\n")
    reload_message(ws)
    status, page = server.get("/demo/")
    assert status == 200 and "改过的导语。" in page and "导语段落。" not in page
    assert "Test Headline" in server.get("/en/demo/")[1]
    assert (site.root / "dist/demo/index.html").read_text(encoding="utf-8").count("改过的导语") == 1


def test_broken_yaml_shows_overlay_over_last_good_pages(site: TinySite, server: Server) -> None:
    ws = server.connect()
    site.write("data/demo.yaml", BROKEN_DATA)
    reload_message(ws)
    for path in ("/demo/", "/en/demo/", "/"):
        status, page = server.get(path)
        assert status == 200
        assert 'id="jishi-build-error"' in page  # in the HTML itself: no JavaScript needed
        assert "data/demo.yaml:4" in page and "YAML syntax error" in page and "hint:" in page
    assert "测试标题" in server.get("/demo/")[1]  # the last good content is still served
    assert "data/demo.yaml:4" in server.output() and "Traceback" not in server.output()
    assert 'id="jishi-build-error"' not in (site.root / "dist/demo/index.html").read_text(
        encoding="utf-8")  # the overlay is added when serving; dist/ keeps the good build
    site.write("data/demo.yaml", DATA_YAML)
    reload_message(ws)
    status, page = server.get("/demo/")
    assert status == 200 and 'id="jishi-build-error"' not in page and "测试标题" in page


def test_a_new_tab_sees_the_error_after_a_bad_section(site: TinySite, server: Server) -> None:
    ws = server.connect()
    site.write("content/demo/01-first-part.en.md",
               "---\ntitle: Part one\n---\nThere are {{ stat membres }} members.\n")
    reload_message(ws)
    status, page = server.get("/en/demo/")
    assert "01-first-part.en.md:4" in page and "did you mean &#x27;members&#x27;" in page
    assert "Part one" in page


def test_paths_outside_dist_are_refused(site: TinySite, server: Server) -> None:
    for path in ("/../site.yaml", "/%2e%2e/site.yaml", "/%2E%2E/%2E%2E/etc/passwd",
                 "/demo/../../site.yaml", "/content/demo/feature.yaml", "/data/demo.yaml",
                 "/.jishi-build", "/%2e%2e%2fsite.yaml", "/..%5csite.yaml"):
        status, body = server.get(path)
        assert status in (403, 404), (path, status)
        assert "测试站" not in body and "root:" not in body, path
    status, _ = server.get("/content/")
    assert status == 404  # no listing of anything


def test_rapid_saves_make_one_rebuild(site: TinySite, server: Server) -> None:
    ws = server.connect()
    before = server.output().count("rebuilt")
    for n in range(5):
        site.write("content/demo/00-lead.en.md", f"---\n---\nLead, draft {n}.\n")
    reload_message(ws)
    assert "Lead, draft 4." in server.get("/en/demo/")[1]
    assert server.output().count("rebuilt") - before == 1


def test_port_in_use_is_a_clear_error(site: TinySite) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        result = site.run_process("serve", "--port", port, timeout=60)
    assert result.code == 2
    assert f"127.0.0.1:{port}" in result.err and "--port" in result.err
    assert "Traceback" not in result.err


def test_print_makes_the_pdf_on_request(site: TinySite, server: Server) -> None:
    status, page = server.get("/demo/")
    assert status == 200 and 'href="demo-zh.pdf"' in page  # the page links its print edition
    assert not (site.root / "dist/demo/demo-zh.pdf").exists()  # not made on the page path
    status, _ = server.get("/print")
    assert status == 302
    assert (site.root / "dist/demo/demo-zh.pdf").read_bytes().startswith(b"%PDF-")
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request("GET", "/en/demo/demo-en.pdf")
        response = conn.getresponse()
        assert response.status == 200 and response.read().startswith(b"%PDF-")
    finally:
        conn.close()


def test_first_build_broken_still_serves_the_error(site: TinySite, tmp_path: Path) -> None:
    site.write("data/demo.yaml", BROKEN_DATA)
    running = Server(site, tmp_path / "serve.log")
    try:
        ws = running.connect()
        status, page = running.get("/demo/")
        assert status == 503 and 'id="jishi-build-error"' in page and "data/demo.yaml:4" in page
        site.write("data/demo.yaml", DATA_YAML)
        reload_message(ws)
        status, page = running.get("/demo/")
        assert status == 200 and "测试标题" in page and "jishi-build-error" not in page
    finally:
        running.stop()


def test_print_edition_is_made_off_the_page_path(tmp_path: Path) -> None:
    import asyncio
    import threading

    from jishi.editor.serve import PrintEdition
    from jishi.model import Site, SiteConfig

    calls: list[int] = []
    release = threading.Event()

    def slow_maker(site: Site, out: Path) -> list[Path]:
        calls.append(1)
        release.wait(10)
        return [out / "demo.pdf"]

    printing = PrintEdition(tmp_path, threading.Lock(), maker=slow_maker)
    first = Site(SiteConfig(tmp_path, {}, ["zh"]), [])
    printing.stale(first)

    async def scenario() -> list[list[Path]]:
        pdfs = [asyncio.ensure_future(printing.fresh()) for _ in range(2)]
        await asyncio.sleep(0.05)
        assert not any(p.done() for p in pdfs)  # still making the PDF ...
        page_work = await asyncio.wait_for(asyncio.sleep(0, result="served"), 1)
        assert page_work == "served"  # ... while the event loop keeps serving pages
        release.set()
        return list(await asyncio.gather(*pdfs))

    assert asyncio.run(scenario()) == [[tmp_path / "demo.pdf"]] * 2
    assert len(calls) == 1  # two requests, one PDF
    asyncio.run(printing.fresh())
    assert len(calls) == 1  # nothing changed since: the same PDF
    printing.stale(Site(SiteConfig(tmp_path, {}, ["zh"]), []))
    asyncio.run(printing.fresh())
    assert len(calls) == 2  # a new good build: a new PDF
    printing.pool.shutdown()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (Debian: apt-get install chromium)")
def test_a_real_browser_tab_reloads_itself(site: TinySite, server: Server,
                                           tmp_path: Path) -> None:
    browser = subprocess.Popen(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
         "--remote-debugging-port=0", f"http://127.0.0.1:{server.port}/en/demo/"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # livereload.js, injected into the page, connects and says which page it shows.
        wait_for(lambda: server.output().count("Browser Connected") == 1, "the tab to connect")
        site.write("content/demo/00-lead.en.md", "---\n---\nA new lead.\n")
        # The tab reloads itself: the reloaded page's script connects a second time.
        wait_for(lambda: server.output().count("Browser Connected") == 2, "the tab to reload")
        assert "Reload 1 waiters" in server.output()
    finally:
        browser.kill()
        browser.wait()


def test_the_build_loop_outlives_an_unexpected_error(site: TinySite) -> None:
    from jishi.editor.rebuild import Outcome, Rebuilder
    from jishi.editor.watch import BuildLoop, Watcher

    rebuilder = Rebuilder(site.root, site.root / "dist")
    assert rebuilder.full().error is None
    real, calls = rebuilder._apply, []

    def flaky(change: object) -> Outcome:
        calls.append(change)
        if len(calls) == 1:
            raise RuntimeError("a bug")
        return real(change)  # type: ignore[arg-type]

    rebuilder._apply = flaky  # type: ignore[method-assign]
    outcomes: list[Outcome] = []
    loop = BuildLoop(Watcher(site.root, [site.root / "dist"]), rebuilder,
                     lambda outcome, changed: outcomes.append(outcome), first=False)
    loop.start()
    try:
        wait_for(loop.ready.is_set, "the watcher")
        site.write("content/demo/00-lead.en.md", "---\n---\nFirst try.\n")
        wait_for(lambda: outcomes, "the first rebuild")
        assert "a bug" in str(outcomes[0].error) and "a bug" in str(rebuilder.error)
        site.write("content/demo/00-lead.en.md", "---\n---\nSecond try.\n")
        wait_for(lambda: len(outcomes) == 2, "the loop to rebuild again")
        assert outcomes[1].error is None and rebuilder.error is None
        assert "Second try." in site.read("en/demo/index.html")
    finally:
        loop.stopping.set()
        loop.join(DEADLINE)


def imported(log: str) -> set[str]:
    """Top-level packages that -X importtime says the process imported."""
    return {m.split(".")[0] for m in re.findall(r"^import time:.*\|\s*([\w.]+)$", log, re.M)}


def test_weasyprint_loads_only_when_a_pdf_is_asked_for(site: TinySite, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPROFILEIMPORTTIME", "1")
    running = Server(site, tmp_path / "serve.log")
    try:
        ws = running.connect()
        site.write("content/demo/00-lead.en.md", "---\n---\nAn edited lead.\n")
        reload_message(ws)
        assert "An edited lead." in running.get("/en/demo/")[1]
        assert "jishi" in imported(running.output())
        assert "weasyprint" not in imported(running.output())  # not for a page reload
        assert running.get("/print")[0] == 302
        assert "weasyprint" in imported(running.output())  # ... only once a PDF is made
    finally:
        running.stop()


def pdf_text(server: Server, path: str) -> str:
    """The text of a PDF the server sends."""
    import io

    from pypdf import PdfReader

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=DEADLINE * 4)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        assert response.status == 200
        reader = PdfReader(io.BytesIO(response.read()))
    finally:
        conn.close()
    return " ".join(page.extract_text() for page in reader.pages)


def test_a_print_stylesheet_edit_remakes_the_pdf(site: TinySite, server: Server) -> None:
    assert "edited print theme" not in pdf_text(server, "/en/demo/demo-en.pdf")
    ws = server.connect()
    css = (ROOT / "templates/print/print.css").read_text(encoding="utf-8")
    site.write("templates/print/print.css",
               css + "\n.byline::after { content: ' / edited print theme'; }\n")
    reload_message(ws)
    assert "edited print theme" in pdf_text(server, "/en/demo/demo-en.pdf")


class Batches:
    """The batches a Watcher reports from real OS file events, collected by a thread."""

    def __init__(self, watcher: object) -> None:
        import queue
        import threading

        self.watcher = watcher
        self.found: queue.Queue[set[Path]] = queue.Queue()
        self.thread = threading.Thread(target=self._collect, daemon=True)
        self.thread.start()
        first = self.found.get(timeout=DEADLINE)
        assert first == set()  # the first, empty batch says the OS watches now

    def _collect(self) -> None:
        for batch in self.watcher.batches():  # type: ignore[attr-defined]
            self.found.put(batch)

    def next(self) -> set[Path]:
        """The next batch of changes."""
        return self.found.get(timeout=DEADLINE)

    def until(self, path: Path) -> set[Path]:
        """Every change reported up to the batch that holds path (a new folder and the file
        made in it may come one batch apart on a busy machine)."""
        seen: set[Path] = set()
        while not covers(seen, path):
            seen |= self.next()
        return seen

    def stop(self) -> None:
        """End the watcher's thread."""
        self.watcher.stopping.set()  # type: ignore[attr-defined]
        self.thread.join(DEADLINE)


def covers(seen: set[Path], path: Path) -> bool:
    """Whether a change to path was reported: itself, or the folder it was just made in (the
    OS may watch a new folder only after the file in it is written; the rebuilder rereads a
    feature or the site for a folder's event)."""
    return path in seen or any(folder in seen for folder in path.parents)


def test_the_watcher_sees_every_source_folder_and_never_the_output(site: TinySite) -> None:
    from jishi.config import load_config
    from jishi.editor.watch import Watcher, unwatched

    site.write("site.yaml", (site.root / "site.yaml").read_text("utf-8")
               + "images:\n  cache: content/photo-cache\n")
    out = site.root / "content/preview"  # an output folder inside a watched one
    batches = Batches(Watcher(site.root, unwatched(site.root, out, load_config(site.root))))
    try:
        for rel in ("content/preview/demo/index.html", "content/photo-cache/ab/cd.webp",
                    ".cache/images/x.webp", "dist/index.html", "content/demo/.00-lead.zh.md.swp",
                    "content/demo/00-lead.zh.md~", "templates/#base.html#", "notes.txt"):
            site.write(rel, "made by a build or an editor's backup\n")
        saved = site.write("data/demo.yaml", DATA_YAML)
        # None of the files above, only the source (and templates/, a new source folder).
        assert batches.until(saved) - {site.root / "templates"} == {saved}
        for rel in ("content/demo/00-lead.zh.md", "content/demo/images/new.jpg",
                    "data/demo.yaml", "templates/base.html", "templates/print/print.css",
                    "assets/style.css", "site.yaml"):
            path = site.root / rel
            site.write(rel, (path.read_text("utf-8") if path.exists() else "") + "\n# saved\n")
            assert covers(batches.until(path), path), rel
            path.unlink()
            assert path in batches.until(path), rel
    finally:
        batches.stop()


def test_rapid_saves_of_several_files_are_one_batch(site: TinySite) -> None:
    from jishi.editor.watch import Watcher

    batches = Batches(Watcher(site.root, [site.root / "dist"]))
    try:
        paths = {site.write(f"content/demo/0{n}-x.en.md", f"draft {n}\n") for n in range(5)}
        assert batches.next() == paths
    finally:
        batches.stop()


def test_a_port_that_does_not_exist_is_a_usage_error(site: TinySite) -> None:
    # 99999 would otherwise wrap round to port 34463 while the terminal announced 99999.
    for port in ("99999", "65536", "-1", "http"):
        result = site.run_process("serve", "--port", port, timeout=60)
        assert result.code == 2 and "1 to 65535" in result.err, port
        assert "Serving" not in result.err and not (site.root / "dist").exists()


def test_print_shows_the_pdf_of_the_language_asked_for(site: TinySite, server: Server) -> None:
    def location(path: str, referer: str = "") -> str:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=DEADLINE * 4)
        try:
            conn.request("GET", path, headers={"Referer": referer} if referer else {})
            response = conn.getresponse()
            assert response.status == 302
            return response.getheader("Location")
        finally:
            conn.close()

    assert location("/print") == "/demo/demo-zh.pdf"  # the default language
    assert location("/print?lang=en") == "/en/demo/demo-en.pdf"
    page = f"http://127.0.0.1:{server.port}/en/demo/"
    assert location("/print", referer=page) == "/en/demo/demo-en.pdf"  # from an English page


@pytest.mark.parametrize("broken", [
    b"stats:\n  members:\n    value: 23\x0062\n",  # a NUL byte
    b"stats:\n  members:\n    value: " + b"[" * 1000 + b"]" * 1000 + b"\n",  # nested deep
], ids=["nul-byte", "deep-yaml"])
def test_a_site_broken_at_start_is_served_with_the_error(site: TinySite, tmp_path: Path,
                                                         broken: bytes) -> None:
    site.write("data/demo.yaml", broken)
    running = Server(site, tmp_path / "serve.log")
    try:
        ws = running.connect()
        status, page = running.get("/demo/")
        assert status == 503 and 'id="jishi-build-error"' in page
        assert "Traceback" not in running.output()
        site.write("data/demo.yaml", DATA_YAML)  # the fix is picked up on the next save
        reload_message(ws)
        status, page = running.get("/demo/")
        assert status == 200 and "测试标题" in page and "jishi-build-error" not in page
    finally:
        running.stop()


def test_a_double_slash_redirects_within_the_site(server: Server) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=DEADLINE)
    try:
        for path, where in (("//en", "/en/"), ("///en//demo", "/en/demo/"), ("/en", "/en/")):
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            assert response.status in (301, 302), path
            assert response.getheader("Location") == where, path  # never //en/: host "en"
    finally:
        conn.close()


def test_other_host_names_are_refused(server: Server) -> None:
    port = server.port
    for host in ("localhost", f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"):
        assert server.get("/demo/", host=host)[0] == 200, host
    for host in ("attacker.example", f"attacker.example:{port}", "127.0.0.1.nip.io"):
        for path in ("/demo/", "/livereload.js", "/print", "/livereload"):
            status, body = server.get(path, host=host)
            assert status == 403 and "测试" not in body, (host, path)
    with pytest.raises(websocket.WebSocketBadStatusException):
        websocket.create_connection(f"ws://127.0.0.1:{port}/livereload",
                                    host="attacker.example", timeout=DEADLINE)


def test_with_host_given_any_host_name_is_answered(site: TinySite, tmp_path: Path) -> None:
    running = Server(site, tmp_path / "serve.log", "--host", "127.0.0.1")
    try:
        assert running.get("/demo/", host="preview.example")[0] == 200
    finally:
        running.stop()


def test_many_readers_while_an_editor_saves(site: TinySite, server: Server) -> None:
    from load import PATHS, Saver, complete_page, fetch_all

    saver = Saver(site.root / "content/demo/00-lead.en.md", 0.15)
    saver.start()
    try:
        replies = fetch_all(server.port, requests=2000, clients=20)
    finally:
        saver.stopping.set()
        saver.join()
    assert len(replies) == 2000 and saver.saves >= 3  # the pages changed during the load
    assert [r for r in replies if r.status != 200 or r.error] == []
    pages = [r for r in replies if r.content_type.startswith("text/html")]
    assert len(pages) == sum(PATHS[n % len(PATHS)].endswith("/") for n in range(2000))
    assert [r.path for r in pages if not complete_page(r.body)] == []
    english = [r.body.decode("utf-8") for r in pages if r.path == "/en/demo/"]
    assert any("Saved " in page for page in english)  # readers saw the saves land
    assert all(page.count("Saved ") <= 1 for page in english)  # one version, never two mixed
    errors = [page.split('id="jishi-build-error"')[1][:600] for page in english
              if 'id="jishi-build-error"' in page]
    assert errors == []
