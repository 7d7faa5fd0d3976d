"""Benchmark: `docgen import xlsx` of a sheet with N new rows, and of N changed rows.

Exports the samples' 项目跟踪表, adds N new tasks to one engagement's plan (the 任务
sheet) and N new risks to another's register, runs the real command in a fresh process
(``--dry-run`` then a real import), and prints wall time beside the issue's baseline
(500 new rows: 108 s before the import was made linear).

    python bench/import_xlsx.py [--n 1000 5000]
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

#: issue 24's figure for 500 new rows, before
BASELINE = {500: 108.0}
TARGET_SECONDS_5000 = 10.0


def workbook(root: Path, n: int) -> Path:
    """The exported sheet with ``n`` new task rows and ``n`` new risk rows."""
    from openpyxl import load_workbook

    env = {**os.environ, "DOCGEN_TODAY": "2026-11-26"}
    out = root / "tracking.xlsx"
    subprocess.run(
        [sys.executable, "-m", "docgen", "export", "xlsx", "-o", str(out), "--root", str(root)],
        check=True, env=env, capture_output=True,
    )
    book = load_workbook(out)
    tasks, risks = book["任务"], book["风险"]
    for i in range(n):
        tasks.append(["2025-014-hengtong-logistics", "任务", f"B{i:05d}", f"第 {i} 项整改任务",
                      "张伟", None, "2027-03-31", None, "待办", "整改报告"])
        risks.append(["2024-003-jinghua-materials", f"RB{i:05d}", f"第 {i} 项风险", "技术风险",
                      2, 2, None, "王芳", "定期复核", "未关闭", None])
    book.save(out)
    return out


def run(root: Path, sheet: Path, *extra: str) -> tuple[float, int]:
    env = {**os.environ, "DOCGEN_TODAY": "2026-11-26"}
    cmd = [sys.executable, "-m", "docgen", "import", "xlsx", str(sheet), "--root", str(root),
           "--force", *extra]
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:])
    return time.perf_counter() - start, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, nargs="+", default=[500, 5000])
    args = parser.parse_args()
    print(f"{'new rows':>9} {'dry run':>9} {'import':>9}  baseline")
    for n in args.n:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "ws"
            root.mkdir()
            copy_workspace(root, ("mkdocs.yml", "templates", "engagements"))
            sheet = workbook(root, n)
            dry, _ = run(root, sheet, "--dry-run")
            real, code = run(root, sheet)
            base = BASELINE.get(2 * n)
            ratio = f"{base:.0f} s before ({base / real:.0f}x)" if base else "—"
            print(f"{2 * n:>9} {dry:>8.2f}s {real:>8.2f}s  {ratio}  (exit {code})")


if __name__ == "__main__":
    main()
