"""Benchmark: `docgen render` over N synthetic engagements, beside pandoc.

Runs the real command in a fresh process, as users run it, with one and with two
processes (``--force``: every document rebuilt), each into an empty folder; then with
two processes again over that output (the same bytes are not rewritten), then an
unchanged re-render; and runs pandoc (pypandoc-binary) making a .docx from the same
markdown, one process per document, as users run it, on a sample of the documents.
Prints documents per second and the ratios issue 28 sets: at least 10x pandoc's
documents per second on one core, at least 250 documents per second on two.

    python bench/render.py [--n 1000] [--pandoc-sample 60]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import REPO, make_portfolio

TARGET_RATIO_ONE_CORE = 10.0
TARGET_DOCS_PER_SECOND_TWO_CORES = 250.0


def run_render(root: Path, out: Path, jobs: int, force: bool) -> tuple[float, int]:
    """Wall seconds and documents written by one `docgen render` run."""
    # the count is read from the summary line: asked for in English, whatever the workspace
    cmd = [sys.executable, "-m", "docgen", "--lang", "en", "render", "--root", str(root)]
    cmd += ["--out", str(out)]
    cmd += ["--jobs", str(jobs)] + (["--force"] if force else [])
    env = {**os.environ, "DOCGEN_TODAY": "2026-11-26", "DOCGEN_NO_CACHE": "1"}
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"docgen render failed:\n{done.stdout}\n{done.stderr}")
    last = done.stderr.strip().splitlines()[-1]  # "N document(s) written, M unchanged in …"
    return seconds, int(last.split()[0])


def markdown_of(root: Path, limit: int) -> list[str]:
    """The rendered markdown of the first ``limit`` documents, as docgen makes it."""
    os.environ.setdefault("DOCGEN_TODAY", "2026-11-26")
    from docgen.core.history import History
    from docgen.documents.jobs import RenderedText, plan_jobs, render_text
    from docgen.documents.templates import environment, template_dirs
    from docgen.workspace.load import load_folders, open_portfolio, select_folders

    workspace, process = open_portfolio(root)
    portfolio = load_folders(workspace, process, select_folders(workspace, None)[:limit])
    env = environment(tuple(template_dirs(root / "templates" / "documents")))
    texts: list[str] = []
    for job in plan_jobs(portfolio.engagements, process):
        text = render_text(job, workspace, process, History(), env, {})
        if isinstance(text, RenderedText):
            texts.append(text.markdown)
        if len(texts) >= limit:
            break
    return texts


def pandoc_seconds_per_doc(texts: list[str], work: Path) -> float:
    """Median seconds for pandoc to make one .docx, one process per document."""
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    reference = REPO / "src" / "docgen" / "data" / "reference.docx"
    times = []
    for i, text in enumerate(texts):
        source = work / f"doc{i}.md"
        source.write_text(text, encoding="utf-8")
        start = time.perf_counter()
        subprocess.run(
            [pandoc, str(source), "-f", "markdown", "-t", "docx", "--reference-doc",
             str(reference), "-o", str(work / f"doc{i}.docx")],
            check=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": "0"},
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="engagements (default 1000)")
    parser.add_argument(
        "--pandoc-sample", type=int, default=60, help="documents run through pandoc"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as tmp:
        work = Path(tmp)
        root = make_portfolio(work / "ws", args.n)
        # each into an empty folder: every file written, none left as it was
        one_s, docs = run_render(root, work / "out-1", jobs=1, force=True)
        out = work / "out-2"
        two_s, docs2 = run_render(root, out, jobs=2, force=True)
        again_s, _ = run_render(root, out, jobs=2, force=True)  # the same bytes: not rewritten
        same_s, written = run_render(root, out, jobs=2, force=False)
        (work / "pandoc").mkdir()
        try:
            import pypandoc  # noqa: F401  (the baseline: pip install -e ".[bench]")
        except ImportError:
            pandoc_s = None
        else:
            texts = markdown_of(root, args.pandoc_sample)
            pandoc_s = pandoc_seconds_per_doc(texts, work / "pandoc")
    one_rate, two_rate = docs / one_s, docs2 / two_s
    print(f"{args.n} engagements, {docs} documents (every document each engagement gets)")
    print(f"docgen render, 1 process : {one_s:7.1f} s  {one_rate:6.1f} docs/s  "
          f"{one_s / docs * 1000:5.1f} ms/doc")
    print(f"docgen render, 2 processes: {two_s:7.1f} s  {two_rate:6.1f} docs/s  "
          f"(target >= {TARGET_DOCS_PER_SECOND_TWO_CORES:.0f}: "
          f"{'met' if two_rate >= TARGET_DOCS_PER_SECOND_TWO_CORES else 'NOT met'})")
    print(f"docgen render, 2 processes, --force over the same output: {again_s:7.1f} s  "
          f"{docs2 / again_s:6.1f} docs/s (files holding the same bytes are not rewritten)")
    print(f"docgen render, unchanged  : {same_s:7.1f} s  ({written} rebuilt)")
    if pandoc_s is None:
        print("pandoc baseline: not installed (pip install -e '.[bench]'); no ratio")
        return
    pandoc_rate = 1 / pandoc_s
    print(f"pandoc, one process a doc : {pandoc_s * 1000:7.1f} ms/doc  {pandoc_rate:6.1f} docs/s "
          f"(median of {args.pandoc_sample})")
    ratio = one_rate / pandoc_rate
    print(f"ratio one core / pandoc   : {ratio:7.2f}x  (target >= {TARGET_RATIO_ONE_CORE:.0f}x: "
          f"{'met' if ratio >= TARGET_RATIO_ONE_CORE else 'NOT met'})")


if __name__ == "__main__":
    main()
