"""Tests that need a system package: skipped by name locally, a failure under ``CI=true``.

The packages come from the repository's one list, ``system-packages.txt``, which
``scripts/system-packages`` installs from for ``make test`` and ``.ci/run``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

LIST = Path(__file__).resolve().parents[1] / "system-packages.txt"


@cache
def packages() -> dict[str, tuple[str, str]]:
    """Each package of the list: what shows it is present, and what it is for."""
    found = {}
    for line in LIST.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            package, provides, _needed_by, what = line.split(None, 3)
            found[package] = (provides, what)
    return found


@cache
def present(package: str) -> bool:
    """Whether ``package`` is installed, judged as `scripts/system-packages` judges it."""
    provides, _ = packages()[package]
    if provides.startswith("python3:"):
        python = Path("/usr/bin/python3")
        return python.exists() and subprocess.run(
            [python, "-c", f"import {provides.removeprefix('python3:')}"], capture_output=True
        ).returncode == 0
    if provides.startswith("/"):
        return Path(provides).exists()
    return shutil.which(provides) is not None


def needs(*names: str) -> pytest.MarkDecorator:
    """Skip unless every named package is installed; the reason says how to install it."""
    missing = [n for n in names if not present(n)]
    reason = "needs " + "; ".join(f"{n} ({packages()[n][1]})" for n in missing)
    reason += f" — install: sudo apt-get install -y {' '.join(missing)}"
    return pytest.mark.skipif(bool(missing), reason=reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Under ``CI=true`` a skipped test fails: CI installs everything, so all must run."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where every test must run: {reason}"
