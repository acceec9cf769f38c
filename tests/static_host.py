"""A real static HTTP host for a built site: index.html for folders, 404.html when missing."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """Serves the server's root folder as a static host does, with the site's 404 page."""

    def __init__(self, request: object, client_address: object,
                 server: http.server.HTTPServer) -> None:
        super().__init__(request, client_address, server,  # type: ignore[arg-type]
                         directory=getattr(server, "root", None))

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # a quiet host: the tests read what the browser saw

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Host:
    """A ThreadingHTTPServer on 127.0.0.1, port 0: start() it, point it at a folder, stop()."""

    def __init__(self) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), StaticHost)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.root: Path | None = None

    def start(self, root: Path) -> None:
        """Serve root (the port is known before, so a build can use the URL as base_url)."""
        self.root = root
        self.server.root = str(root)  # type: ignore[attr-defined]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.server.shutdown()
        self.server.server_close()
