"""Benchmark: rendering the 执行计划 of one engagement with N plan tasks.

Issue 24's figure before: 10,000 tasks took 228 s (lxml moved the 10,000-row table into
the document node by node, in time growing with the square of its size).  Prints the
wall time of `docgen render --doc execution-plan --force` in a fresh process for each N,
and the ratio to the previous N: about 2 for each doubling when rendering is linear.

    python bench/large_plan.py [--n 1000 2000 4000 10000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from synthetic import copy_workspace  # noqa: E402

ENGAGEMENT = "2025-014-hengtong-logistics"
BEFORE = {10_000: 228.0}


def workspace(root: Path, n: int) -> None:
    """The samples, with ``n`` tasks in the engagement's plan."""
    copy_workspace(root, ("mkdocs.yml", "templates", "engagements"))
    plan = root / "engagements" / ENGAGEMENT / "plan.md"
    head, rest = plan.read_text("utf-8").split("\ntasks:\n", 1)
    tasks = [
        f"  - {{id: X{i}, title: 第{i}项任务, owner: 张伟, start: 2026-01-01, due: 2026-12-31, "
        f"status: todo, deliverable: 报告, depends_on: [X{max(i - 1, 0)}]}}"
        for i in range(n)
    ]
    plan.write_text(head + "\ntasks:\n" + "\n".join(tasks) + "\n" + rest, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 2000, 4000, 10000])
    args = parser.parse_args()
    env = {**os.environ, "DOCGEN_TODAY": "2026-11-26"}
    print(f"{'tasks':>7} {'seconds':>8} {'ratio':>6}  before")
    previous = None
    for n in args.n:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            workspace(root, n)
            cmd = [sys.executable, "-m", "docgen", "render", ENGAGEMENT, "--doc", "execution-plan",
                   "--force", "--root", str(root)]
            start = time.perf_counter()
            done = subprocess.run(cmd, env=env, capture_output=True, text=True)
            took = time.perf_counter() - start
            if done.returncode != 0:
                print(done.stdout[-1000:], done.stderr[-1000:])
        ratio = f"{took / previous[1]:.2f}" if previous else "—"
        before = f"{BEFORE[n]:.0f} s ({BEFORE[n] / took:.0f}x)" if n in BEFORE else "—"
        print(f"{n:>7} {took:>7.2f}s {ratio:>6}  {before}")
        previous = (n, took)


if __name__ == "__main__":
    main()
