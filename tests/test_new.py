"""`new SLUG`: a feature to start editing, in every site language, that builds and checks clean."""

from __future__ import annotations

from pathlib import Path

from conftest import TinySite


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root and its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def empty_folder(root: Path) -> TinySite:
    """A TinySite runner on a folder that holds nothing yet."""
    folder = TinySite.__new__(TinySite)
    folder.root = root
    root.mkdir(parents=True)
    return folder


def test_new_feature_builds_and_checks_clean(site: TinySite) -> None:
    result = site.run("new", "changsha")
    assert result.code == 0, result.err
    for rel in ("content/changsha/feature.yaml", "content/changsha/01-start.zh.md",
                "content/changsha/01-start.en.md", "data/changsha.yaml"):
        assert (site.root / rel).is_file() and rel in result.out
    assert "next:" in result.out and "site.yaml" not in result.out.split("next:")[0]
    built = site.run("build", "--no-pdf")
    assert built.code == 0, built.err
    assert "第一节" in site.read("changsha/index.html")
    assert "First section" in site.read("en/changsha/index.html")
    check = site.run("check", "--format", "json")
    assert check.code == 0 and '"file": "content/changsha' not in check.out
    assert '"file": "data/changsha' not in check.out


def test_new_writes_every_language_of_the_site(tmp_path: Path) -> None:
    folder = empty_folder(tmp_path / "three")
    folder.write("site.yaml", "title: {zh: 站, en: Site, fr: Site}\nlanguages: [zh, en, fr]\n")
    assert folder.run("new", "yiyang-2").code == 0
    assert sorted(p.name for p in (folder.root / "content/yiyang-2").glob("*.md")) == [
        "01-start.en.md", "01-start.fr.md", "01-start.zh.md"]
    assert folder.run("build", "--no-pdf").code == 0
    assert "First section" in folder.read("fr/yiyang-2/index.html")
    assert folder.run("check", "--strict").code == 0


def test_new_refuses_to_overwrite(site: TinySite) -> None:
    assert site.run("new", "changsha").code == 0
    site.write("content/changsha/01-start.zh.md", "---\ntitle: 我的稿子\n---\n写了一半。\n")
    before = tree(site.root)
    again = site.run("new", "changsha")
    assert again.code == 1 and "already exists" in again.err and "Traceback" not in again.err
    (site.root / "content/changsha/01-start.zh.md").unlink()
    (site.root / "content/changsha/01-start.en.md").unlink()
    (site.root / "content/changsha/feature.yaml").unlink()
    assert site.run("new", "changsha").code == 1  # the folder itself is someone's
    assert tree(site.root) == {k: v for k, v in before.items()
                               if not k.startswith("content/changsha/")}


def test_new_refuses_when_only_the_data_file_exists(site: TinySite) -> None:
    site.write("data/changsha.yaml", "stats: {}\n")
    result = site.run("new", "changsha")
    assert result.code == 1 and "data/changsha.yaml" in result.err
    assert not (site.root / "content/changsha").exists()


def test_new_checks_the_slug(site: TinySite) -> None:
    for slug in ("Changsha", "chang sha", "../x", "x_y", "长沙"):
        result = site.run("new", slug)
        assert result.code == 2 and "cannot name a feature" in result.err, slug
    assert not any((site.root / "content").glob("*sha*"))


def test_new_refuses_a_slug_whose_pages_would_clash(site: TinySite) -> None:
    # A feature called en would put its Chinese page at en/index.html, the English home page.
    for slug, why in (("en", "one of the site's languages"), ("zh", "one of the site's"),
                      ("assets", "assets/"), ("print", "/print")):
        result = site.run("new", slug)
        assert result.code == 2 and why in result.err, slug
        assert not (site.root / "content" / slug).exists()
        assert not (site.root / "data" / f"{slug}.yaml").exists()


def test_new_in_an_empty_folder_starts_a_site(tmp_path: Path) -> None:
    folder = empty_folder(tmp_path / "fresh")
    result = folder.run("new", "yueyang")
    assert result.code == 0 and "no site.yaml" in result.out
    assert (folder.root / "site.yaml").is_file()
    assert folder.run("build", "--no-pdf").code == 0
    assert "标题" in folder.read("index.html")
    check = folder.run("check", "--strict")
    assert check.code == 0 and "0 error(s), 0 warning(s), 0 note(s)" in check.out
