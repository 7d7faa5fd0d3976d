"""A cold publish loads the workspace once (issue 28).

It opens the workspace once, reads the process file once, loads the engagements once,
runs ``git log`` once and checks each engagement once; render and the site build are
handed what publish loaded and checked.  Before: 6 opens, 3 process loads, 2 loads, 2
``git log`` and every engagement checked twice.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from conftest import copy_samples

COUNTED = ("open_workspace", "load_process", "load_folders", "read_history", "validate_portfolio")
HENGTONG, HAIXIN = "2025-014-hengtong-logistics", "2023-009-haixin-semiconductor"


def _count(monkeypatch: pytest.MonkeyPatch, calls: Counter[str]) -> None:
    """Count each call of the functions above, wherever a module imported them."""
    import docgen.pipeline.plugin
    import docgen.pipeline.publish
    import docgen.pipeline.render  # noqa: F401

    for name in (*COUNTED, "check_engagement", "folder_files"):
        for module in [m for n, m in sys.modules.items() if n.startswith("docgen") and m]:
            original = getattr(module, name, None)
            if original is None or getattr(original, "counted", False):
                continue

            def counted(*args: Any, __f: Any = original, __n: str = name, **kwargs: Any) -> Any:
                if __n == "check_engagement":
                    calls[f"check {args[0].id}"] += 1
                elif __n == "folder_files":
                    calls[f"list {Path(args[0]).name}"] += 1
                else:
                    calls[__n] += 1
                return __f(*args, **kwargs)

            counted.counted = True  # type: ignore[attr-defined]
            monkeypatch.setattr(module, name, counted)


def test_a_cold_publish_loads_and_checks_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docgen.pipeline.publish import publish

    root = copy_samples(tmp_path, (HENGTONG, HAIXIN))
    for command in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@example.cn", "commit", "-qm", "samples"],
    ):
        subprocess.run(["git", *command], cwd=root, check=True)
    calls: Counter[str] = Counter()
    _count(monkeypatch, calls)
    report = publish(root, jobs=1)
    assert report.built, [d.format() for d in report.diagnostics if d.is_error]
    assert report.render is not None and report.render.written  # a cold publish made documents
    assert {name: calls[name] for name in COUNTED} == dict.fromkeys(COUNTED, 1)
    assert {k: v for k, v in calls.items() if k.startswith("check ")} == {
        f"check {HAIXIN}": 1,
        f"check {HENGTONG}": 1,
    }
    # render's "unchanged?" uses the files' statuses as they were loaded: each folder is
    # listed once (it was listed again for every engagement)
    listed = {k: v for k, v in calls.items() if k in (f"list {HAIXIN}", f"list {HENGTONG}")}
    assert listed == {f"list {HAIXIN}": 1, f"list {HENGTONG}": 1}, listed
