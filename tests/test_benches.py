"""The benchmarks run to the end (issue 28): each on a small portfolio, nothing timed.

``make bench`` runs them at full size and prints figures and ratios; this smoke run only
keeps them from rotting (bench/render.py crashed when the CLI began to speak Chinese).
A baseline tool that is not installed here (pandoc, Hugo, python-redlines) is said, not
failed on.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO

SMOKE = [
    (["validate.py", "--n", "5", "--repeat", "1"], "files/s"),
    (["render.py", "--n", "5", "--pandoc-sample", "3"], "docgen render, 2 processes"),
    (["publish.py", "--n", "5", "--pages-only"], "documents unchanged"),
    (["redline.py", "--repeat", "1"], "accept→new yes reject→old yes"),
    (["import_xlsx.py", "--n", "20"], "(exit 0)"),
    (["large_plan.py", "--n", "50"], "tasks"),
    (["pdf.py", "--n", "12"], "PDFs"),
]


@pytest.mark.parametrize(("argv", "said"), SMOKE, ids=[a[0] for a, _ in SMOKE])
def test_a_benchmark_runs_to_the_end(argv: list[str], said: str) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / argv[0]), *argv[1:]],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=REPO,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-3000:]
    assert said in out, out[-3000:]
    assert "Traceback" not in out, out[-3000:]
