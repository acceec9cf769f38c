"""Load on a running server: many clients fetching pages while an editor keeps saving.

The test asserts what every answer must be (tests/test_serve.py); `python bench/serve.py
--load` runs the same load and prints the latencies.
"""

from __future__ import annotations

import http.client
import itertools
import os
import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

PATHS = ["/", "/demo/", "/en/demo/", "/en/", "/assets/style.css", "/assets/jishi.js"]


@dataclass(frozen=True)
class Reply:
    """One request's answer (status 0 and the error when the request itself failed)."""

    path: str
    status: int
    seconds: float
    content_type: str = ""
    body: bytes = b""
    error: str = ""


class Tags(HTMLParser):
    """Counts the opening and closing of the elements a whole page has."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: dict[str, int] = {}
        self.closed: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.opened[tag] = self.opened.get(tag, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        self.closed[tag] = self.closed.get(tag, 0) + 1


def complete_page(body: bytes) -> bool:
    """Whether an HTML answer is one whole page: it ends with </html> and parses as one."""
    text = body.decode("utf-8")
    if not text.rstrip().endswith("</html>"):
        return False
    tags = Tags()
    tags.feed(text)
    tags.close()
    return all(tags.opened.get(t) == 1 and tags.closed.get(t) == 1
               for t in ("html", "head", "body", "main"))


def fetch_all(port: int, requests: int, clients: int,
              paths: list[str] = PATHS) -> list[Reply]:
    """requests GETs spread over clients threads, each on its own keep-alive connection."""
    numbers = itertools.count()
    replies: list[Reply] = []

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while (n := next(numbers)) < requests:
            path, started = paths[n % len(paths)], time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                replies.append(Reply(path, response.status, time.perf_counter() - started,
                                     response.getheader("Content-Type", ""), body))
            except (OSError, http.client.HTTPException) as exc:
                replies.append(Reply(path, 0, time.perf_counter() - started, error=repr(exc)))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies


class Saver(threading.Thread):
    """Saves a section file every interval seconds, a new sentence each time, until stopped."""

    def __init__(self, path: Path, interval: float) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.interval = interval
        self.text = path.read_text(encoding="utf-8")
        self.saves = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        """Save until stopped, as most editors do: a new file renamed over the old one.

        (A save in place can be read half-written by a rebuild; that build fails, its error
        shows, and the next file event rebuilds it right.)
        """
        partial = self.path.with_name(f".{self.path.name}.partial")
        while not self.stopping.wait(self.interval):
            self.saves += 1
            partial.write_text(f"{self.text.rstrip()}\n\nSaved {self.saves} times.\n",
                               encoding="utf-8")
            os.replace(partial, self.path)
