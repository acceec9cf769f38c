"""Broken and hostile sites: each stops the build with one clear error and changes nothing.

For every case of hostile_cases.py the build must exit with the case's code, name the file
(and line) with a hint, print no traceback, leave the previous dist/ byte for byte, and
neither publish nor print a canary file planted outside the site.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import TinySite
from hostile_cases import CASES, Case

from jishi import builder
from jishi.editor.rebuild import Rebuilder
from jishi.errors import ContentError

CANARY = "CANARY-7f3a-outside-the-site"


def plant_outside(root: Path) -> dict[str, Path]:
    """A canary file and a canary folder (holding a whole feature) beside the site."""
    canary = root / "canary.jpg"
    canary.write_text(f"{CANARY}\n", encoding="utf-8")
    outside = root / "outside"
    (outside / "images").mkdir(parents=True)
    (outside / "secret.css").write_text(f"/* {CANARY} */\n", encoding="utf-8")
    (outside / "feature.yaml").write_text(f"title: {{zh: {CANARY}, en: {CANARY}}}\n",
                                          encoding="utf-8")
    (outside / "01-a.zh.md").write_text(f"---\ntitle: {CANARY}\n---\n{CANARY}\n",
                                        encoding="utf-8")
    return {"@canary": canary, "@outside": outside}


def prepare(case: Case, site: TinySite, *, built: bool) -> None:
    """Write the case's files and links over the tiny site, built first when asked."""
    if built:
        result = site.run("build", "--no-pdf")
        assert result.code == 0, result.err
    targets = plant_outside(site.root.parent)
    for rel, text in case.files.items():
        path = site.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    for rel, target in case.links.items():
        link = site.root / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        link.unlink(missing_ok=True)
        os.symlink(targets.get(target, target), link)


def published(dist: Path) -> str:
    """Every byte of dist/ as text, to search for the canary."""
    return "".join(p.read_bytes().decode("utf-8", "replace")
                   for p in dist.rglob("*") if p.is_file())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_site_is_refused_cleanly(case: Case, site: TinySite) -> None:
    prepare(case, site, built=True)
    before = site.snapshot()
    result = site.run("build", "--no-pdf", timeout=60)
    assert result.code == case.code, result.err
    assert "Traceback" not in result.err + result.out
    at = [line for line in result.err.splitlines() if line.startswith(f"{case.at}: ")]
    assert at, f"no message at {case.at}:\n{result.err[:3000]}"
    assert any(case.message in line for line in at), result.err[:3000]
    assert "    hint: " in result.err
    # A value quoted in a message is cut short: no line runs on for pages.
    assert max(len(line) for line in result.err.splitlines()) < 400
    assert site.snapshot() == before
    assert CANARY not in published(site.root / "dist") + result.err + result.out


def test_there_are_at_least_sixty_cases() -> None:
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_reports_the_same_fault(case: Case, site: TinySite) -> None:
    prepare(case, site, built=False)
    result = site.run("check")
    assert result.code == case.code, result.out + result.err
    assert "Traceback" not in result.err + result.out
    assert case.at in result.out + result.err and case.message in result.out + result.err
    assert CANARY not in result.err + result.out


def test_a_link_out_of_the_site_made_while_serving_is_not_copied(site: TinySite) -> None:
    # A rebuild under serve copies assets without reading the whole site again.
    targets = plant_outside(site.root.parent)
    (site.root / "assets").mkdir()
    os.symlink(targets["@canary"], site.root / "assets" / "leak.txt")
    with pytest.raises(ContentError) as info:
        builder.asset_files(site.root)
    assert "outside the site folder" in info.value.message


@pytest.mark.parametrize("rel", ["content/demo/01-first-part.zh.md", "assets/leak.txt",
                                 "templates/partials/section.html"])
def test_serve_refuses_a_link_out_of_the_site_saved_while_it_runs(site: TinySite,
                                                                  rel: str) -> None:
    rebuilder = Rebuilder(site.root, site.root / "dist")
    assert rebuilder.full().error is None
    before = site.snapshot()
    link = site.root / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)
    os.symlink(plant_outside(site.root.parent)["@canary"], link)
    outcome = rebuilder.update({link})
    assert outcome.error is not None and "outside the site folder" in str(outcome.error)
    assert site.snapshot() == before
    assert CANARY not in published(site.root / "dist")
