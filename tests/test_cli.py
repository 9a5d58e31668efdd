"""The installed `newsdossier` command, run as a user would (a real subprocess)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import SEEDS

EXE = shutil.which("newsdossier", path=str(Path(sys.executable).parent)) or "newsdossier"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_build_list_show(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for f in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(f, pages)
    built = run("build", str(pages), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "processed: 2" in built.stdout
    assert (tmp_path / "newsdossier.db").exists()
    folders = list((tmp_path / "dossiers").iterdir())
    assert len(folders) == 1
    assert {p.name for p in folders[0].iterdir()} == {"dossier.json", "dossier.md", "dossier.html"}
    listed = run("list", cwd=tmp_path)
    assert listed.returncode == 0 and folders[0].name in listed.stdout
    shown = run("show", folders[0].name[:7], "--format", "json", cwd=tmp_path)
    assert shown.returncode == 0 and '"schema_version"' in shown.stdout


def test_errors_are_one_line_and_exit_nonzero(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    built = run("build", str(tmp_path / "empty.txt"), "--db", str(tmp_path / "nd.db"), cwd=tmp_path)
    assert built.returncode != 0
    assert "no page could be processed" in built.stderr
    shown = run("show", "ev-nope", "--db", str(tmp_path / "nd.db"), cwd=tmp_path)
    assert shown.returncode == 2
    assert shown.stderr.strip().count("\n") == 0 and "no event" in shown.stderr
    (tmp_path / "bad.db").write_text("this is not a database")
    listed = run("list", "--db", str(tmp_path / "bad.db"), cwd=tmp_path)
    assert listed.returncode == 2 and "Traceback" not in listed.stderr
