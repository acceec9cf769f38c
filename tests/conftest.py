"""Shared fixtures: a tiny bilingual site written into tmp_path, and the real CLI."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from jishi.cli import main


def _main(argv: list[str]) -> int:
    """jishi's entry point, with argparse's exit (usage errors, --help) turned into its code."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1

ROOT = Path(__file__).resolve().parent.parent

SITE_YAML = """\
title: {zh: 测试站, en: Test Site}
languages: [zh, en]
"""

FEATURE_YAML = """\
kicker: {zh: 特稿, en: Special report}
series: {zh: 巡礼 · 测试篇, en: "Tour · Test"}
title: {zh: 测试标题, en: Test Headline}
subtitle: {zh: 测试副题, en: Test subheadline}
byline: {zh: 文：记者, en: Text by a reporter}
summary: {zh: 一句摘要。, en: A one-line summary.}
"""

DATA_YAML = """\
stats:
  members:
    value: 23162
    unit: {zh: 名, en: ""}
    label: {zh: 执委, en: executive committee members}
  lectures:
    value: 2600
    qualifier: nearly
    unit: {zh: 场次, en: ""}
    label: {zh: 讲座, en: lectures}
charts:
  talks:
    kind: bar
    title: {zh: 活动, en: Activities}
    stats: [members, lectures]
"""

SECTIONS = {
    "00-lead.zh.md": "---\n---\n导语段落。\n",
    "00-lead.en.md": "---\n---\nThe lead paragraph.\n",
    "01-first-part.zh.md": (
        "---\ntitle: 第一部分\nsubtitle: \"{{ stat members }}执委\"\n---\n"
        "共有{{ stat members }}执委，举办讲座{{ stat lectures }}。\n\n{{ callout members }}\n"
    ),
    "01-first-part.en.md": (
        "---\ntitle: Part one\nsubtitle: \"{{ stat members }} members\"\n---\n"
        "There are {{ stat members }} members and {{ stat lectures }} lectures.\n\n"
        "{{ callout members }}\n"
    ),
    "02-second.zh.md": (
        "---\ntitle: 第二部分\n---\n![照片说明](images/missing.jpg \"图片的说明文字\")\n\n"
        "{{ chart talks }}\n"
    ),
    "02-second.en.md": (
        "---\ntitle: Part two\n---\n![A photo](images/missing.jpg \"The photo's caption\")\n\n"
        "{{ chart talks }}\n"
    ),
}


@dataclass
class Run:
    """The outcome of one CLI run."""

    code: int
    out: str
    err: str


class TinySite:
    """A two-language site in a temporary folder, built by the real command line."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.write("site.yaml", SITE_YAML)
        self.write("content/demo/feature.yaml", FEATURE_YAML)
        self.write("data/demo.yaml", DATA_YAML)
        for name, text in SECTIONS.items():
            self.write(f"content/demo/{name}", text)

    def write(self, rel: str, text: str | bytes) -> Path:
        """Write a source file (text is dedented)."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def run(self, *args: str, timeout: float = 120) -> Run:
        """Run the command line in this process, as `python build.py ARGS --source ROOT` would.

        In-process is the default because starting Python and importing jishi costs more than
        most builds; `run_process` keeps the real command line for the few tests about it.
        An exception that is not one of jishi's own errors escapes, and fails the test.
        """
        del timeout  # only meaningful for a real process
        out, err = io.StringIO(), io.StringIO()
        previous = Path.cwd()
        os.chdir(self.root)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = _main([*args, "--source", str(self.root)])
        finally:
            os.chdir(previous)
            logging.getLogger().handlers.clear()  # they write to this run's captured stderr
        return Run(code, out.getvalue(), err.getvalue())

    def run_process(self, *args: str, timeout: float = 120) -> Run:
        """Run `python build.py ARGS --source ROOT` in a new process, exactly as an editor does."""
        proc = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), *args, "--source", str(self.root)],
            capture_output=True, text=True, timeout=timeout, cwd=self.root,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr)

    def read(self, rel: str) -> str:
        """Read a built file from dist/."""
        return (self.root / "dist" / rel).read_text(encoding="utf-8")

    def snapshot(self) -> dict[str, bytes]:
        """Every file of dist/ and its bytes, to prove a failed build left it alone."""
        dist = self.root / "dist"
        return {p.relative_to(dist).as_posix(): p.read_bytes()
                for p in sorted(dist.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path: Path) -> TinySite:
    """A fresh tiny bilingual site."""
    return TinySite(tmp_path / "site")


@pytest.fixture(scope="session")
def yiyang_web(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's own Yiyang feature, built once (web pages only) for every test that reads it."""
    out = tmp_path_factory.mktemp("yiyang-web") / "dist"
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--no-pdf",
                           "--source", str(ROOT), "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="session")
def yiyang_full(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The repo's own Yiyang feature with its PDFs, built once for every test that reads it.

    Built outside pytest's private temporary folder, in one any user may enter, so that a web
    server running as another user (nginx as nobody) can serve it.
    """
    base = Path(tempfile.mkdtemp(prefix="jishi-yiyang-"))
    base.chmod(0o755)
    out = base / "dist"
    try:
        proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "build",
                               "--source", str(ROOT), "--out", str(out)],
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        yield out
    finally:
        shutil.rmtree(base, ignore_errors=True)


# The display face's tests need the Chinese serif setup installs; elsewhere they are skipped.
needs_serif = pytest.mark.skipif(shutil.which("fc-match") is None
                                 or "Noto Serif CJK SC" not in subprocess.run(
                                     ["fc-list", ":lang=zh", "family"], capture_output=True,
                                     text=True, check=False).stdout,
                                 reason="needs fonts-noto-cjk (scripts/setup.sh installs it)")
