"""The command line exactly as issued: python build.py [VERB] [--source DIR] [--out DIR]."""

from __future__ import annotations

import pytest
from conftest import TinySite


def test_help_lists_every_verb(site: TinySite) -> None:
    result = site.run_process("--help")
    assert result.code == 0
    for verb in ("build", "serve", "pdf", "check", "new"):
        assert verb in result.out


def test_no_verb_means_build(site: TinySite) -> None:
    result = site.run_process("--no-pdf")
    assert result.code == 0, result.err
    assert "Test Headline" in site.read("en/demo/index.html")


@pytest.mark.parametrize("folder", ["build", "pdf", "check"])
def test_an_out_folder_named_like_a_verb(site: TinySite, folder: str) -> None:
    result = site.run("--out", folder, "--no-pdf")
    assert result.code == 0, result.err
    assert "测试标题" in (site.root / folder / "demo/index.html").read_text(encoding="utf-8")


def test_out_relative_to_the_current_folder(site: TinySite) -> None:
    result = site.run("build", "--no-pdf", "--out", "../elsewhere/site")
    assert result.code == 0, result.err
    assert (site.root.parent / "elsewhere/site/en/demo/index.html").is_file()


def test_building_twice_gives_the_same_pages(site: TinySite) -> None:
    assert site.run("build", "--no-pdf").code == 0
    first = site.snapshot()
    assert site.run("build", "--no-pdf").code == 0
    assert site.snapshot() == first
    beside = {p.name for p in site.root.iterdir() if p.name.startswith(".dist")}
    assert beside == {".dist.lock", ".dist.jishi-build"}  # no staging folder left behind
