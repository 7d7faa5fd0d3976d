"""The built wheel is what users install: it must hold everything docgen reads at run time.

Builds the wheel, installs it (without its dependencies, which are this test run's own)
into a fresh venv, and runs init with CI workflows, new, validate, render and publish from
it, in a new folder: nothing may come from the source tree.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_wheel_holds_every_file_and_runs_the_officers_first_steps(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(REPO)],
        check=True, capture_output=True,
    )
    (wheel,) = dist.glob("docgen-*.whl")
    packed = set(zipfile.ZipFile(wheel).namelist())
    source = {
        p.relative_to(REPO / "src").as_posix()
        for p in (REPO / "src" / "docgen").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert not source - packed, sorted(source - packed)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    # the dependencies from this run's environment; docgen itself only from the wheel
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    env = {**os.environ, "DOCGEN_LANG": "en", "DOCGEN_TODAY": "2026-11-26",
           "DOCGEN_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": ""}
    work = tmp_path / "work"
    work.mkdir()

    def docgen(*args: str, ok: tuple[int, ...] = (0,)) -> str:
        done = subprocess.run([str(python), "-m", "docgen", *args], cwd=work, env=env,
                              capture_output=True, text=True, check=False)
        said = done.stdout + done.stderr
        assert done.returncode in ok and "Traceback" not in said, (args, said)
        return said

    where = subprocess.run([str(python), "-c", "import docgen; print(docgen.__file__)"],
                           env=env, capture_output=True, text=True, check=True).stdout
    assert where.startswith(site), where
    docgen("init", "ws", "--ci", "github")
    root = work / "ws"
    assert (root / ".github" / "workflows").is_dir()
    docgen("new", "2026-020-donghai-wind", "--title", "东海风电运维合作项目", "--partner",
           "上海东海风电运维有限公司", "--mode", "合资", "--owner", "周敏", "--root", str(root))
    docgen("validate", "--root", str(root), ok=(0, 1))
    docgen("render", "--root", str(root), ok=(0, 1))
    docgen("publish", "--root", str(root), ok=(0, 1))
    assert (root / "build" / "site" / "index.html").is_file()
