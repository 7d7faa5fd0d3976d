"""Tests that need a system package: skipped by name locally, a failure under ``CI=true``.

The packages come from the repository's one list, ``system-packages.txt``, which
``scripts/system-packages`` installs from for ``make test`` and ``.ci/run``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

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


def in_libreoffice(
    jobs: list[tuple[Path, str, Path]], profile: Path
) -> list[dict[str, Any]]:
    """Open each .docx in one LibreOffice, ``keep``, ``accept`` or ``reject`` its tracked
    changes, and export its text (``tests/uno_tracked.py``); each job's report.

    Fails the test when a document cannot be opened.
    """
    from docgen.core import office

    found = office.find_office()
    assert found is not None, "LibreOffice with its Python bridge"
    request = {
        "soffice": found.soffice,
        "profile": str(profile),
        "jobs": [[str(source), action, str(target)] for source, action, target in jobs],
    }
    done = subprocess.run(
        [found.python, str(Path(__file__).parent / "uno_tracked.py")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    reports = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(reports) == len(jobs) and not any("error" in r for r in reports), (
        done.stdout + done.stderr
    )
    return reports


#: axe-core, the accessibility checker the browser tests run (issue 27), pinned
AXE_VERSION = "4.10.2"
AXE_INTEGRITY = "sha512-RE3mdQ7P3FRSe7eqCWoeQ/Z9QXrtniSjp1wUjt5nRC3WIpz5rSCve6o3fsZ2aCpJtrZjSZgjwXAoTO5k4tEI0w=="


def axe_source() -> str:
    """axe.min.js of the pinned axe-core, fetched once with npm (integrity checked) and kept
    in build/test-output; the site under test never loads anything from outside."""
    import base64
    import hashlib
    import shutil
    import tarfile
    import tempfile

    kept = Path(__file__).resolve().parents[1] / "build" / "test-output" / f"axe-{AXE_VERSION}.min.js"
    if kept.is_file():
        return kept.read_text("utf-8")
    npm = shutil.which("npm")
    assert npm is not None, "npm (Debian: apt-get install npm)"
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([npm, "pack", f"axe-core@{AXE_VERSION}", "--json", "--pack-destination", tmp],
                              capture_output=True, text=True, check=False, cwd=tmp, timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        tarball = Path(tmp) / json.loads(done.stdout)[0]["filename"]
        digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        assert f"sha512-{digest}" == AXE_INTEGRITY, "axe-core does not match its pinned integrity"
        with tarfile.open(tarball) as archive:
            member = archive.extractfile("package/axe.min.js")
            assert member is not None
            source = member.read().decode("utf-8")
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text(source, "utf-8")
    return source
