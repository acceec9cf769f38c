"""Benchmark the editor's loop: from saving a section file to the browser being told to reload.

Starts the real `python build.py serve` on a temporary copy of the Yiyang site, connects a
livereload websocket client (hello handshake, then info), edits one section file N times and
prints the median and 95th percentile of the time from the file's write to (a) the reload
message reaching the client and (b) the new page being served. Also prints what the server
says it rebuilt, to show that photos and the PDF were not redone.

With --idle it instead generates a series of N simple features (a feature.yaml, a data file
and eight sections in two languages each: 18 source files per feature, so 200 features are
3,601 files with site.yaml), starts `serve` on it, waits for the first build, then prints the
server's CPU time over a quiet interval as a share of one core (Linux: /proc/PID/stat).

    python bench/serve.py [--edits 40] [--kind section|data|template]
    python bench/serve.py --idle [--features 200] [--seconds 20]

With --load it serves the Yiyang copy to 20 client threads (2,000 requests over its pages and
assets, keep-alive) while a section file is saved every 150 ms, and prints the latencies.

    python bench/serve.py --load [--requests 2000] [--clients 20]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parent.parent
SECTION = "content/yiyang/01-grassroots.en.md"
PAGE = {"section": "/en/yiyang/", "data": "/en/yiyang/", "template": "/en/yiyang/"}


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(port: int, path: str) -> str:
    """GET a page from the server."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        return conn.getresponse().read().decode("utf-8")
    except OSError:
        return ""
    finally:
        conn.close()


def wait(predicate: object, timeout: float = 30.0) -> None:
    """Poll until predicate() is true."""
    end = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > end:
            raise SystemExit("timed out")
        time.sleep(0.005)


def copy_site(into: Path) -> None:
    """The repo's Yiyang site, without its output."""
    for name in ("site.yaml", "content", "data"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, into / name)
        else:
            shutil.copy2(src, into / name)


def edit(site: Path, kind: str, n: int) -> str:
    """Make the n-th edit of a kind; return a marker the new page will show."""
    if kind == "section":
        path = site / SECTION
        text = re.sub(r" \(edit \d+\)|$", "", path.read_text(encoding="utf-8"), count=1)
        path.write_text(text.rstrip("\n") + f" (edit {n})\n", encoding="utf-8")
        return f"(edit {n})"
    if kind == "data":
        path = site / "data/yiyang.yaml"
        text = re.sub(r"value: 23\d+", f"value: {23000 + n}", path.read_text(encoding="utf-8"),
                      count=1)
        path.write_text(text, encoding="utf-8")
        return f"{23000 + n:,}"
    path = site / "templates/base.html"
    path.parent.mkdir(exist_ok=True)
    theme = (ROOT / "templates/base.html").read_text(encoding="utf-8")
    path.write_text(theme.replace("</footer>", f"<!-- edit {n} --></footer>"), encoding="utf-8")
    return f"<!-- edit {n} -->"


def write_series(root: Path, features: int) -> None:
    """A site of N neutral features: no facts, just enough files to watch."""
    (root / "site.yaml").write_text("title: {zh: 系列, en: Series}\nlanguages: [zh, en]\n",
                                    encoding="utf-8")
    for n in range(features):
        slug = f"f{n:03d}"
        folder = root / "content" / slug
        folder.mkdir(parents=True)
        (folder / "feature.yaml").write_text(
            f"title: {{zh: 第{n}篇, en: Part {n}}}\nsummary: {{zh: 摘要。, en: A summary.}}\n",
            encoding="utf-8")
        (root / "data").mkdir(exist_ok=True)
        (root / "data" / f"{slug}.yaml").write_text(
            "stats:\n  count:\n    value: 1200\n    label: {zh: 次数, en: count}\n",
            encoding="utf-8")
        for s in range(8):
            for lang, title, text in (("zh", "第{}部分", "正文。"), ("en", "Part {}", "Text.")):
                head = f"title: {title.format(s)}\n" if s else ""
                (folder / f"{s:02d}-s{s}.{lang}.md").write_text(
                    f"---\n{head}---\n{text} {{{{ stat count }}}}\n", encoding="utf-8")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle(features: int, seconds: float) -> None:
    """Print the CPU share of an idle `serve` on a generated series."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        write_series(site, features)
        files = sum(1 for p in site.rglob("*") if p.is_file())
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port),
             "--source", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait(lambda: "f000" in fetch(port, "/"), timeout=600)
            time.sleep(2)  # let the start-up settle; not measured
            before, started = cpu_seconds(server.pid), time.perf_counter()
            time.sleep(seconds)
            used = cpu_seconds(server.pid) - before
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"jishi serve idle, {features} features ({files} source files), {elapsed:.0f} s, "
          f"{os.cpu_count()} cores: {used:.2f} s CPU = {100 * used / elapsed:.1f}% of a core")


def load(requests: int, clients: int) -> None:
    """Print request latencies of `serve` under load while a section is saved every 150 ms."""
    sys.path.insert(0, str(ROOT / "tests"))
    from load import Saver, complete_page, fetch_all

    paths = ["/", "/yiyang/", "/en/yiyang/", "/en/", "/assets/style.css", "/assets/jishi.js"]
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        copy_site(site)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port),
             "--source", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait(lambda: "yiyang" in fetch(port, "/"))
            saver = Saver(site / SECTION, 0.15)
            saver.start()
            replies = fetch_all(port, requests, clients, paths)
            saver.stopping.set()
        finally:
            server.terminate()
            server.wait(timeout=10)
    ms = sorted(r.seconds * 1000 for r in replies)
    bad = [r for r in replies if r.status != 200 or (r.content_type.startswith("text/html")
                                                     and not complete_page(r.body))]
    print(f"jishi serve under load, Yiyang site, {requests} requests from {clients} clients, "
          f"{saver.saves} saves, {os.cpu_count()} cores: p50 {statistics.median(ms):.1f} ms, "
          f"p99 {statistics.quantiles(ms, n=100)[-1]:.1f} ms, max {ms[-1]:.0f} ms; "
          f"{len(bad)} errors or incomplete pages")


def connect(port: int) -> websocket.WebSocket:
    """A livereload client, registered for reloads."""
    ws = websocket.create_connection(f"ws://127.0.0.1:{port}/livereload", timeout=30)
    ws.send(json.dumps({"command": "hello",
                        "protocols": ["http://livereload.com/protocols/official-7"]}))
    json.loads(ws.recv())
    ws.send(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/"}))
    time.sleep(0.2)  # the server registers the client after 'info'; not part of any figure
    return ws


def measure(site: Path, port: int, kind: str, edits: int) -> tuple[list[float], list[float]]:
    """Edit N times; the seconds from write to reload message, and to the new page served."""
    ws = connect(port)
    to_reload, to_page = [], []
    for n in range(edits):
        started = time.perf_counter()
        marker = edit(site, kind, n)
        message = json.loads(ws.recv())
        to_reload.append(time.perf_counter() - started)
        assert message["command"] == "reload", message
        wait(lambda m=marker: m in fetch(port, PAGE[kind]))
        to_page.append(time.perf_counter() - started)
        time.sleep(0.15)  # let the editor "type" before the next save; not measured
    ws.close()
    return to_reload, to_page


def p95(values: list[float]) -> float:
    """The 95th percentile."""
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--kind", choices=("section", "data", "template"), default="section")
    parser.add_argument("--idle", action="store_true", help="measure idle CPU instead")
    parser.add_argument("--features", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--load", action="store_true", help="measure latency under load")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    if args.load:
        load(args.requests, args.clients)
        return
    if args.idle:
        idle(args.features, args.seconds)
        return
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        copy_site(site)
        port = free_port()
        log = site / "serve.log"
        with log.open("wb") as sink:
            server = subprocess.Popen(
                [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port),
                 "--source", str(site)], stdout=sink, stderr=subprocess.STDOUT, cwd=site)
        try:
            wait(lambda: "yiyang" in fetch(port, "/"))
            to_reload, to_page = measure(site, port, args.kind, args.edits)
        finally:
            server.terminate()
            server.wait(timeout=10)
        report(args, to_reload, to_page, log.read_text(encoding="utf-8"))


def report(args: argparse.Namespace, to_reload: list[float], to_page: list[float],
           log: str) -> None:
    """Print the figures."""
    rebuilt = re.findall(r"rebuilt (.+?) in (\d+) ms \((\w+):", log)[1:]  # [0] is the start
    kinds = sorted({k for _, _, k in rebuilt})
    ms = [int(m) for _, m, _ in rebuilt]
    print(f"jishi serve, Yiyang site, {args.edits} {args.kind} edits, {os.cpu_count()} cores")
    print(f"write -> reload message: median {statistics.median(to_reload) * 1000:.0f} ms, "
          f"p95 {p95(to_reload) * 1000:.0f} ms")
    print(f"write -> new page served: median {statistics.median(to_page) * 1000:.0f} ms, "
          f"p95 {p95(to_page) * 1000:.0f} ms")
    print(f"rebuilds: {len(rebuilt)} ({', '.join(kinds)}), each median "
          f"{statistics.median(ms) if ms else 0:.0f} ms; pages per rebuild: "
          f"{sorted({w for w, _, _ in rebuilt})}; "
          + ("no full build: no photo or PDF work" if "full" not in kinds
             else "some were full builds (photos planned again)"))


if __name__ == "__main__":
    main()
