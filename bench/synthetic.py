"""Synthetic portfolios for benchmarks: N engagements cloned round-robin from the samples.

The six samples span every stage and status, so a synthetic portfolio has the mix of a
real one: early engagements with three files, engagements in execution with seventeen.
Each clone gets its own code, credit code and title.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from stdnum.cn import uscc

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p for p in (REPO / "engagements").iterdir() if p.is_dir())


def credit_code(i: int) -> str:
    """A valid, unique 统一社会信用代码 for clone ``i``."""
    body = f"91320594MA{i:07d}"[:17]
    return body + uscc.calc_check_digit(body)


def _files(sample: Path) -> dict[str, str]:
    return {
        p.relative_to(sample).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(sample.rglob("*"))
        if p.is_file()
    }


def make_portfolio(root: Path, n: int) -> Path:
    """Write a workspace with ``n`` engagements into ``root`` (replacing it)."""
    if root.exists():
        shutil.rmtree(root)
    (root / "engagements").mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    samples = [(s.name, _files(s)) for s in SAMPLES]
    for i in range(n):
        name, files = samples[i % len(samples)]
        folder = root / "engagements" / f"{name}-{i:05d}"
        for rel, text in files.items():
            if rel == "index.md":
                lines = text.split("\n")
                for k, line in enumerate(lines):
                    if line.startswith("code: "):
                        lines[k] = f"code: ZS-SYN-{i:05d}"
                    elif line.startswith("  credit_code: "):
                        lines[k] = f"  credit_code: {credit_code(i)}"
                    elif line.startswith("title: "):
                        lines[k] = f"{line} · {i}"
                text = "\n".join(lines)
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return root
