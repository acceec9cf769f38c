"""The built Yiyang site served by real web servers, crawled from its home page.

nginx (Debian's nginx-light, workers as an unprivileged user) serves the built dist/ as a
host would; `serve` serves the same sources. The same crawl runs against both: every link,
photo, stylesheet, script, font and PDF answers 200 with the Content-Type a browser needs,
and pages in both languages are reached.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from crawl import Answer, crawl

NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if Path(p).is_file()), None)
DEADLINE = 60.0
CONFIG = """\
{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    charset utf-8;
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
        error_page 404 /404.html;
    }}
}}
"""


def free_port() -> int:
    """A loopback port nobody listens on right now (nginx cannot report one it picked)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening(port: int) -> bool:
    """Whether something accepts connections on the port."""
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_until(check: object, what: str) -> None:
    """Poll check() until true; fail after DEADLINE."""
    end = time.monotonic() + DEADLINE
    while not check():  # type: ignore[operator]
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def nginx(yiyang_full: Path, tmp_path: Path) -> Iterator[str]:
    """nginx serving the built site on a free loopback port; its home URL."""
    if NGINX is None:
        pytest.skip("needs nginx (Debian: apt-get install nginx-light; scripts/setup.sh does)")
    prefix, port = tmp_path / "nginx", free_port()
    prefix.mkdir()
    # As root, the workers run as nobody: the site must be readable by another user.
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(CONFIG.format(user=user, prefix=prefix, port=port,
                                                     root=yiyang_full), encoding="utf-8")
    proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                             "-e", str(prefix / "error.log"), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until(lambda: proc.poll() is not None or listening(port), "nginx to listen")
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=DEADLINE)


@pytest.fixture
def dev_server(tmp_path: Path) -> Iterator[str]:
    """`serve --port 0` on the repo's own sources, writing into a temporary folder."""
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", "0",
                                 "--source", str(ROOT), "--out", str(tmp_path / "dist")],
                                stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: proc.poll() is not None or "rebuilt" in log.read_text(), "a build")
        found = re.search(r"on (http://[^ ]+/) ", log.read_text())
        assert proc.poll() is None and found, log.read_text()
        yield found.group(1)
    finally:
        proc.terminate()
        proc.wait(timeout=DEADLINE)


def assert_whole_site(home: str) -> dict[str, Answer]:
    """Crawl from home: everything answers 200 with its type; both languages; return it all."""
    answers, langs = crawl(home)
    failed = {url: (a.status, a.content_type) for url, a in answers.items()
              if a.status != 200 or not a.type_ok()}
    assert not failed, failed
    assert {"zh-Hans", "en"} <= set(langs.values()), langs
    kinds = {a.kind() for a in answers.values()}
    assert {"/", ".css", ".js", ".pdf"} <= kinds, kinds
    return answers


def test_nginx_serves_every_file_of_the_built_site(nginx: str, yiyang_full: Path) -> None:
    answers = assert_whole_site(nginx)
    pdfs = [a for a in answers.values() if a.kind() == ".pdf"]
    assert len(pdfs) == 2 and all(a.body.startswith(b"%PDF-") for a in pdfs)
    served = {a.url.removeprefix(nginx) for a in answers.values() if a.kind() != "/"}
    built = {p.relative_to(yiyang_full).as_posix() for p in yiyang_full.rglob("*")
             if p.is_file()}
    assert served <= built  # nothing from outside dist/


def test_the_dev_server_serves_every_file_of_the_site(dev_server: str) -> None:
    answers = assert_whole_site(dev_server)
    pages = [a.body.decode("utf-8") for a in answers.values() if a.kind() == "/"]
    assert pages and not any('id="jishi-build-error"' in page for page in pages)
