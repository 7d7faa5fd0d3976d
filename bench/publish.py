"""Benchmark: `docgen publish` over N synthetic engagements, beside plain MkDocs Material.

For each N: a cold publish (empty parse cache, no documents rendered yet: renders every
.docx), then a publish with the documents already rendered and unchanged (the everyday
case), each in a fresh process; the site's size, page count and average page size; and,
as baselines, Hugo (Debian's ``hugo``) and MkDocs Material with `navigation.prune`
building the same number of plain pages (one per engagement, of the engagement's own
text) with no docgen at all.  The targets (issue 28): an unchanged publish within 5×
Hugo, and a cold publish of 1,000 engagements within 150 s.  An unchanged publish is
said again, not run (`docgen.pipeline.unchanged`); the publish after one engagement is
edited, which runs the whole pipeline on what each stage keeps, is timed too.
``--pages-only`` sizes (e.g. 5000) build the site without rendering documents, to show
that page size stays flat as the portfolio grows.

    python bench/publish.py [--n 100 1000] [--pages-only 5000] [--workdir DIR]

An unchanged publish and Hugo are each timed three times; the median counts.
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

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import make_portfolio

#: issue 28's goals: an unchanged publish within 5x Hugo; a cold one of 1,000 within 150 s
TARGET_HUGO_RATIO = 5.0
TARGET_COLD_SECONDS_1000 = 150.0
TARGET_PAGE_KB = 100.0
ENV = {**os.environ, "DOCGEN_TODAY": "2026-11-26", "NO_MKDOCS_2_WARNING": "1"}
# as users run docgen: with Python's compiled modules written and read, not compiled anew
ENV.pop("PYTHONDONTWRITEBYTECODE", None)


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds


def site_figures(site: Path) -> tuple[int, float, float]:
    """Pages, total MB, average KB per page (HTML only)."""
    pages = list(site.rglob("*.html"))
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    html = sum(p.stat().st_size for p in pages)
    return len(pages), total / 1e6, html / max(1, len(pages)) / 1e3


def plain_material(root: Path, n: int) -> tuple[float, int, float, float]:
    """MkDocs Material (navigation.prune) building n plain pages made from the samples."""
    plain = root.parent / f"plain-{n}"
    shutil.rmtree(plain, ignore_errors=True)
    docs = plain / "docs"
    plain_pages(root, docs / "p")
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    (plain / "mkdocs.yml").write_text(
        "site_name: plain\ntheme:\n  name: material\n  language: zh\n  font: false\n"
        "  features: [navigation.prune]\nplugins:\n  - search:\n      lang: [zh, en]\n",
        encoding="utf-8",
    )
    seconds = timed([sys.executable, "-m", "mkdocs", "build", "-q"], plain, ENV)
    return (seconds, *site_figures(plain / "site"))


def plain_pages(root: Path, docs: Path) -> int:
    """One markdown page per engagement, of its own text, in ``docs``; returns the count."""
    docs.mkdir(parents=True)
    folders = sorted((root / "engagements").iterdir())
    for i, folder in enumerate(folders):
        text = (folder / "index.md").read_text(encoding="utf-8").split("---", 2)[-1]
        (docs / f"{i:05d}.md").write_text(f"# {folder.name}\n\n{text}\n", encoding="utf-8")
    return len(folders)


HUGO_LAYOUT = """<!doctype html><html lang="zh"><head><meta charset="utf-8">
<title>{{ .Title }}</title></head><body><nav>{{ range .Site.Menus.main }}
<a href="{{ .URL }}">{{ .Name }}</a>{{ end }}</nav><main>{{ .Content }}</main></body></html>
"""


def hugo(root: Path, n: int) -> float | None:
    """Hugo building the same plain pages (None without Debian's hugo)."""
    if shutil.which("hugo") is None:
        return None
    site = root.parent / f"hugo-{n}"
    shutil.rmtree(site, ignore_errors=True)
    plain_pages(root, site / "content" / "p")
    (site / "content" / "_index.md").write_text("# 首页\n", encoding="utf-8")
    for name in ("single", "list"):
        layout = site / "layouts" / "_default" / f"{name}.html"
        layout.parent.mkdir(parents=True, exist_ok=True)
        layout.write_text(HUGO_LAYOUT, encoding="utf-8")
    (site / "hugo.toml").write_text(
        'baseURL = "/"\nlanguageCode = "zh-cn"\ntitle = "plain"\n'
        'disableKinds = ["taxonomy", "term", "RSS"]\n',
        encoding="utf-8",
    )
    return median([timed(["hugo", "--quiet", "--source", str(site)], site, ENV) for _ in range(3)])


def edit_one(root: Path, docgen: list[str], env: dict[str, str]) -> float:
    """Seconds of a publish after one engagement's index.md gained a blank line."""
    index = sorted((root / "engagements").iterdir())[0] / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    return timed([*docgen, "publish", "--root", str(root)], root, env)


def median(times: list[float]) -> float:
    """The middle of repeated timings: one slow run (a cold disk cache) does not count."""
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--pages-only", type=int, nargs="*", default=[5000])
    parser.add_argument(
        "--workdir",
        type=Path,
        help="keep the synthetic workspaces here; one already there is reused (no cold run)",
    )
    args = parser.parse_args()
    docgen = [sys.executable, "-m", "docgen"]
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as tmp:
        work = args.workdir.resolve() if args.workdir else Path(tmp)
        for n in args.n:
            root = work / f"ws-{n}"
            env = {**ENV, "DOCGEN_CACHE_DIR": str(work / f"cache-{n}")}
            cold_note = "reused, no cold run"
            if (root / "build" / "site").is_dir():
                # bring its caches to where a cold run leaves them
                timed([*docgen, "publish", "--root", str(root)], root, env)
            else:
                make_portfolio(root, n)
                cold = timed([*docgen, "publish", "--root", str(root)], root, env)
                cold_note = f"cold {cold:.1f} s (renders every .docx and the PDFs)"
                if n == 1000:
                    verdict = "met" if cold <= TARGET_COLD_SECONDS_1000 else "NOT met"
                    cold_note += f" (target <= {TARGET_COLD_SECONDS_1000:.0f} s: {verdict})"
            runs = [timed([*docgen, "publish", "--root", str(root)], root, env) for _ in range(3)]
            warm = median(runs)
            edited = median([edit_one(root, docgen, env) for _ in range(3)])
            pages, mb, kb = site_figures(root / "build" / "site")
            base_s, base_pages, base_mb, base_kb = plain_material(root, n)
            print(
                f"{n} engagements: publish {cold_note}; documents unchanged {warm:.1f} s "
                f"(median of {', '.join(f'{r:.2f}' for r in runs)}); {pages} pages, "
                f"{mb:.1f} MB, {kb:.1f} KB a page"
            )
            print(
                f"  one engagement edited (a line added to its index.md): publish {edited:.1f} s "
                "(median of 3): the whole pipeline runs, each stage on what it keeps"
            )
            print(
                f"  plain MkDocs Material, {base_pages} pages: {base_s:.1f} s, {base_mb:.1f} MB, "
                f"{base_kb:.1f} KB a page; publish (unchanged) / plain = {warm / base_s:.2f}x"
            )
            hugo_s = hugo(root, n)
            if hugo_s is None:
                print("  Hugo: not installed (apt-get install hugo) — no ratio")
            else:
                ratio = warm / hugo_s
                verdict = "met" if ratio <= TARGET_HUGO_RATIO else "NOT met"
                print(
                    f"  Hugo, {n} plain pages: {hugo_s:.2f} s; publish (unchanged) / Hugo = "
                    f"{ratio:.1f}x (target <= {TARGET_HUGO_RATIO:.0f}x: {verdict})"
                )
        for n in args.pages_only:
            root = make_portfolio(work / f"pages-{n}", n)
            env = {**ENV, "DOCGEN_CACHE_DIR": str(work / f"cache-p{n}")}
            seconds = timed([sys.executable, "-m", "mkdocs", "build", "-q"], root, env)
            pages, mb, kb = site_figures(root / "site")
            verdict = "met" if kb < TARGET_PAGE_KB else "NOT met"
            print(
                f"{n} engagements, site only (no documents): {seconds:.1f} s; {pages} pages, "
                f"{mb:.1f} MB, {kb:.1f} KB a page (target < {TARGET_PAGE_KB:.0f} KB: {verdict})"
            )


if __name__ == "__main__":
    main()
