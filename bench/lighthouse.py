"""Lighthouse mobile scores of the Yiyang pages, built with a base_url and served on 127.0.0.1.

    python bench/lighthouse.py [--source .] [--runs 1] [--keep]

Builds the site (web pages only) into a temporary folder with base_url set to the local
server's address, serves it like a static host (a missing URL gets 404.html with status 404),
and runs Lighthouse 12 (npm, installed on first use into a temporary folder, never into the
repository) with Debian's Chromium, kept off the network by the flags the browser tests use.
Prints the four category scores of each page, the median of --runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser import FLAGS, chromium  # noqa: E402  # the browser tests' Chromium and flags
from static_host import Host  # noqa: E402  # the tests' static host, with the 404 page

LIGHTHOUSE = "lighthouse@12"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The parallel reading pages join the list when the build makes them. The 404 page is audited
# at its own URL: Lighthouse refuses to score a response whose status is 404.
PAGES = {"zh": "yiyang/", "en": "en/yiyang/", "home": "", "404": "404.html"}


def pages(dist: Path) -> dict[str, str]:
    """The pages to score: PAGES, and each parallel reading page the build made."""
    found = dict(PAGES)
    for index in sorted(dist.glob("**/parallel/index.html")):
        rel = index.parent.relative_to(dist).as_posix() + "/"
        found["parallel" if "parallel" not in found else rel] = rel
    return found


def lighthouse_cli() -> Path:
    """Lighthouse's CLI, installed once into a temporary folder (not the repository)."""
    prefix = Path(tempfile.gettempdir()) / "jishi-bench-lighthouse"
    cli = prefix / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.is_file():
        print(f"installing {LIGHTHOUSE} into {prefix} ...", file=sys.stderr)
        subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
                        str(prefix), LIGHTHOUSE], check=True, stdout=subprocess.DEVNULL)
    return cli


def build(source: Path, work: Path, base_url: str) -> Path:
    """Copy the site's sources, set base_url, build the web pages; return dist/."""
    site = work / "site"
    for name in ("site.yaml", "content", "data", "templates", "assets"):
        if (source / name).is_dir():
            shutil.copytree(source / name, site / name)
        elif (source / name).is_file():
            site.mkdir(parents=True, exist_ok=True)
            shutil.copy(source / name, site / name)
    with (site / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"\nbase_url: {base_url}\n")
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--no-pdf", "-q",
                    "--source", str(site)], check=True)
    return site / "dist"


def audit(cli: Path, url: str, out: Path) -> dict[str, float]:
    """One Lighthouse run (mobile, its default); the category scores out of 100."""
    flags = [f for f in FLAGS if not f.startswith("--remote-debugging-port")]
    env = {**os.environ, "CHROME_PATH": chromium()}
    subprocess.run(["node", str(cli), url, "--quiet", "--output=json", f"--output-path={out}",
                    f"--only-categories={','.join(CATEGORIES)}",
                    f"--chrome-flags={' '.join(flags)}"], check=True, env=env)
    report = json.loads(out.read_text(encoding="utf-8"))
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def failed_audits(out: Path) -> list[str]:
    """The audits that cost points in the last run, to say what to fix."""
    report = json.loads(out.read_text(encoding="utf-8"))
    scored = {ref["id"] for c in CATEGORIES for ref in report["categories"][c]["auditRefs"]
              if ref["weight"] > 0}
    return [f"{a['id']} ({a['score']})" for a in report["audits"].values()
            if a["id"] in scored and a["score"] is not None and a["score"] < 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=ROOT)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the JSON reports")
    parser.add_argument("--page", action="append", help="only this page (zh, en, home, 404, "
                        "parallel); repeatable")
    args = parser.parse_args()
    cli = lighthouse_cli()
    work = Path(tempfile.mkdtemp(prefix="jishi-lighthouse-"))
    host = Host()
    base_url = host.url
    dist = build(args.source.resolve(), work, base_url)
    host.start(dist)
    try:
        print(f"{'page':<12} " + " ".join(f"{c:>14}" for c in CATEGORIES))
        for name, rel in pages(dist).items():
            if args.page and name not in args.page:
                continue
            out = work / f"{name.replace(' ', '-')}.json"
            try:
                runs = [audit(cli, base_url + rel, out) for _ in range(args.runs)]
            except subprocess.CalledProcessError:
                print(f"{name:<12} Lighthouse could not score {base_url + rel}")
                continue
            medians = {c: statistics.median(r[c] for r in runs) for c in CATEGORIES}
            print(f"{name:<12} " + " ".join(f"{medians[c]:>14g}" for c in CATEGORIES))
            lost = failed_audits(out)
            if lost:
                print(f"{'':<12} below 1: {', '.join(lost)}")
    finally:
        host.stop()
        if args.keep:
            print(f"reports in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
