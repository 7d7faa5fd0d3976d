"""Benchmark: PDFs of N contracts through one LibreOffice, and through one per core.

Issue 28's figure before: a cold publish of 1,000 engagements took 469 s, most of it
3,003 PDFs through one office on 2 cores.  This renders the samples' signed 合作协议 once,
copies it N times and times `docgen.core.office.export_pdfs` with ``offices=1`` (the old
way) and with one office per core (now), each from cold (a fresh office profile).

    python bench/pdf.py [--n 24]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from synthetic import copy_workspace  # noqa: E402

sys.path.insert(0, str(REPO / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=24, help="How many contracts.")
    args = parser.parse_args()
    from docgen.core.office import export_pdfs, find_office
    from docgen.pipeline.render import render_documents

    if find_office() is None:
        print("no PDFs timed: LibreOffice (libreoffice-writer-nogui, python3-uno) is not installed")
        return
    os.environ.setdefault("DOCGEN_TODAY", "2026-11-26")
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        copy_workspace(work, ("mkdocs.yml", "templates", "docs", "engagements"))
        engagement = "2025-014-hengtong-logistics"
        render_documents(work, only=[engagement], docs=["cooperation-agreement"], jobs=1)
        contract = work / "build" / "documents" / engagement / "cooperation-agreement.docx"
        times = {}
        for offices in (1, cores):
            out = work / f"out-{offices}"
            out.mkdir()
            pairs = []
            for i in range(args.n):
                copy = out / f"{i:04d}.docx"
                shutil.copyfile(contract, copy)
                pairs.append((copy, copy.with_suffix(".pdf")))
            start = time.perf_counter()
            report = export_pdfs(pairs, out, "bench", offices=offices)
            times[offices] = time.perf_counter() - start
            made = len(report.written)
            print(f"{args.n} PDFs, {offices} office(s): {times[offices]:.1f} s "
                  f"({made} made, {args.n / times[offices]:.2f} PDFs/s)")
        if cores > 1:
            ratio = times[1] / times[cores]
            print(f"one office per core ({cores}): {ratio:.2f}× the speed of one office")


if __name__ == "__main__":
    main()
