"""One golden example, compared byte for byte with what the build makes.

The example site is tests/golden/site/; its expected output is tests/golden/expected/.
After an intended change to the output, regenerate the expected files and review the diff:

    JISHI_REGENERATE=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
ROOT = GOLDEN.parent.parent


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_golden_site_builds_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--no-pdf",
                           "--source", str(GOLDEN / "site"), "--out", str(out)],
                          capture_output=True, text=True, timeout=300, cwd=GOLDEN / "site")
    assert proc.returncode == 0, proc.stderr
    expected = GOLDEN / "expected"
    if os.environ.get("JISHI_REGENERATE"):
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(out, expected)
    built, wanted = _files(out), _files(expected)
    assert sorted(built) == sorted(wanted)
    for name, data in wanted.items():
        assert built[name] == data, f"{name} differs from tests/golden/expected/{name}"
