"""Benchmark: `docgen validate` over N synthetic engagements cloned from the samples.

Runs the real command in a fresh process, as users run it: cold (empty parse cache, as
on a fresh clone or in CI) and warm (unchanged files, the everyday case), and prints
wall time and peak memory beside the issue's targets and two baselines on the same
files: PyYAML's C loader and its pure-Python loader reading every front-matter block and
doing nothing else, in one process.

    python bench/validate.py [--n 1000] [--repeat 3] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import FROZEN, make_portfolio

#: issue 9's targets for 1,000 engagements: cold (empty parse cache) and warm
TARGET_SECONDS = {"cold": 2.0, "warm": 1.2}
TARGET_MB = 300


def run_validate(root: Path, cache: Path, jobs: int | None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB (largest process) and exit code of one run."""
    cmd = [sys.executable, "-m", "docgen", "validate", "--root", str(root), "--format", "json"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    env = {**os.environ, "DOCGEN_TODAY": "2026-11-26", "DOCGEN_CACHE_DIR": str(cache)}
    # as installed for users: Python keeps docgen's bytecode (some CI images turn that off)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    # ru_maxrss of the waited process; its workers are reported by RUSAGE_CHILDREN below
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def parse_only(files: list[Path], loader: type) -> float:
    """Seconds to read and YAML-parse every front-matter block, nothing more."""
    start = time.perf_counter()
    for f in files:
        text = f.read_text(encoding="utf-8")
        block = text.split("\n---", 1)[0].removeprefix("---\n")
        yaml.load(block, Loader=loader)
    return time.perf_counter() - start


def summary(label: str, runs: list[tuple[float, float, int]], files: int) -> float:
    walls = [r[0] for r in runs]
    wall = statistics.median(walls)
    peak = max(r[1] for r in runs)
    print(
        f"  {label:<5} median {wall:5.2f} s (min {min(walls):.2f}, max {max(walls):.2f}), "
        f"{files / wall:7,.0f} files/s, peak RSS {peak:4.0f} MB per process; "
        f"{wall / TARGET_SECONDS[label]:.2f}x of the {TARGET_SECONDS[label]} s target"
    )
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="engagements (default 1000)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="passed to --jobs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = make_portfolio(Path(tmp) / "ws", args.n)
        cache = Path(tmp) / "cache"
        files = sorted(
            p
            for p in (root / "engagements").rglob("*.md")
            # notes are not front matter; frozen texts are read only when their data changed
            if "/notes/" not in p.as_posix()
            and not FROZEN.match(p.relative_to(p.parents[2]).as_posix())
        )
        cold = []
        for _ in range(args.repeat):
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(run_validate(root, cache, args.jobs))
        warm = [run_validate(root, cache, args.jobs) for _ in range(args.repeat)]
        c_parse = parse_only(files, yaml.CSafeLoader)
        py_parse = parse_only(files, yaml.SafeLoader)
        import resource

        children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    jobs = args.jobs or os.cpu_count()
    print(
        f"docgen validate: {args.n} engagements, {len(files)} front-matter files, "
        f"{jobs} process(es), exit {cold[0][2]}"
    )
    cold_wall = summary("cold", cold, len(files))
    warm_wall = summary("warm", warm, len(files))
    print(
        f"  memory: largest single process {children_peak:.0f} MB; all {jobs} together at most "
        f"{children_peak * jobs:.0f} MB ({children_peak * jobs / TARGET_MB:.2f}x of {TARGET_MB} MB)"
    )
    print(
        f"baseline PyYAML C loader, parse only, 1 process:      {c_parse:5.2f} s "
        f"({len(files) / c_parse:,.0f} files/s); cold validate {cold_wall / c_parse:.2f}x, "
        f"warm {warm_wall / c_parse:.2f}x"
    )
    print(
        f"baseline PyYAML Python loader, parse only, 1 process: {py_parse:5.2f} s "
        f"({len(files) / py_parse:,.0f} files/s); cold validate {cold_wall / py_parse:.2f}x, "
        f"warm {warm_wall / py_parse:.2f}x"
    )


if __name__ == "__main__":
    main()
