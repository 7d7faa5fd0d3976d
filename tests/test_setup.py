"""A fresh machine: one list of system packages, one install step, no silent skips."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from system_tools import packages

SCRIPT = REPO / "scripts" / "system-packages"


def test_ci_and_make_use_the_same_install_step() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/system-packages test" in ci and "scripts/system-packages demo" in ci
    assert "apt-get" not in ci, ".ci/run keeps no list of its own"
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo: system-demo ", makefile, re.MULTILINE)
    assert re.search(r"^test: system-test ", makefile, re.MULTILINE)
    assert "scripts/system-packages $*" in makefile


def test_the_list_names_every_tool_with_its_purpose() -> None:
    listed = packages()
    for name in ("libreoffice-writer-nogui", "python3-uno", "fonts-noto-cjk", "poppler-utils",
                 "chromium", "git", "python3-venv"):
        provides, what = listed[name]
        assert provides and len(what) > 10, name


def run_script(target: str, listing: str, tmp_path: Path, mode: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "list.txt"
    path.write_text(listing, encoding="utf-8")
    env = {**os.environ, "SYSTEM_PACKAGES_LIST": str(path), "SYSTEM_PACKAGES": mode}
    return subprocess.run([str(SCRIPT), target], capture_output=True, text=True, env=env, check=False)


MISSING = (
    "# package provides needed-by what\n"
    "make make demo,test the set-up\n"
    "docgen-missing-tool /nonexistent/docgen-tool test a tool the tests need\n"
)


def test_a_missing_package_prints_the_exact_command_and_stops(tmp_path: Path) -> None:
    done = run_script("test", MISSING, tmp_path, "check")
    assert done.returncode == 1
    assert "sudo apt-get install -y docgen-missing-tool" in done.stderr
    assert "a tool the tests need" in done.stderr
    assert "make test SYSTEM_PACKAGES=skip" in done.stderr


def test_what_a_target_does_not_need_is_not_asked_for(tmp_path: Path) -> None:
    assert run_script("demo", MISSING, tmp_path, "check").returncode == 0


def test_skip_goes_on_and_says_without_what(tmp_path: Path) -> None:
    done = run_script("test", MISSING, tmp_path, "skip")
    assert done.returncode == 0 and "going on without docgen-missing-tool" in done.stderr


def test_the_real_list_is_satisfied_here_or_named(tmp_path: Path) -> None:
    done = subprocess.run([str(SCRIPT), "test"], capture_output=True, text=True, check=False,
                          env={**os.environ, "SYSTEM_PACKAGES": "check"})
    missing = [n for n in packages() if n in done.stderr]
    assert (done.returncode == 0) == (not missing), done.stderr


INNER = """
import pytest

@pytest.mark.skip(reason="needs chromium")
def test_needs_a_tool():
    pass

def test_plain():
    pass
"""


@pytest.mark.parametrize(("ci", "outcome"), [("true", {"errors": 1, "passed": 1}),
                                             ("", {"skipped": 1, "passed": 1})])
def test_under_ci_a_skip_is_a_failure(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: str, outcome: dict[str, int]
) -> None:
    monkeypatch.setenv("CI", ci)
    pytester.makepyfile(test_inner=INNER)
    pytester.syspathinsert(str(Path(__file__).parent))
    result = pytester.runpytest_inprocess("-p", "system_tools", "-p", "no:cacheprovider")
    result.assert_outcomes(**outcome)
    if ci:
        result.stdout.fnmatch_lines(["*skipped under CI=true*needs chromium*"])


def test_init_makes_a_repository_and_says_what_to_do_next(tmp_path: Path, run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 26: init ran no git init and left the officer guessing the next command."""
    monkeypatch.setenv("DOCGEN_LANG", "zh")
    target = tmp_path / "招商项目库"
    result = run("init", str(target))
    assert result.exit_code == 0
    assert (target / ".git").is_dir() and "已把" in result.out and "git 仓库" in result.out
    steps = result.out.split("下一步：", 1)[1]
    assert f"cd {target}" in steps and "docgen new" in steps and "docgen validate" in steps
    again = run("init", str(target))
    assert "已在一个 git 仓库中" in again.out
