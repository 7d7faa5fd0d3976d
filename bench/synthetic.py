"""Synthetic portfolios for benchmarks: N engagements cloned round-robin from the samples.

The six samples span every stage and status, so a synthetic portfolio has the mix of a
real one: early engagements with three files, engagements in execution with seventeen.
Each clone gets its own code, credit code and title.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from stdnum.cn import uscc

from docgen.core.fingerprint import file_sha256
from docgen.documents.frozen import values_digest
from docgen.documents.templates import escape_markdown
from docgen.edits.scaffold import template_files

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p for p in (REPO / "engagements").iterdir() if p.is_dir())
FROZEN = re.compile(r"^documents/[^/]+/[\d.]+(\.en)?\.md$")


def credit_code(i: int) -> str:
    """A valid, unique 统一社会信用代码 for clone ``i``."""
    body = f"91320594MA{i:07d}"[:17]
    return body + uscc.calc_check_digit(body)


def _files(sample: Path) -> dict[str, str | bytes]:
    """A sample's files: text, and bytes for the rest (a scanned annex)."""
    return {
        p.relative_to(sample).as_posix(): p.read_text(encoding="utf-8")
        if p.suffix == ".md"
        else p.read_bytes()
        for p in sorted(sample.rglob("*"))
        if p.is_file()
    }


def copy_workspace(root: Path, parts: tuple[str, ...]) -> None:
    """The repository's workspace copied into ``root`` as one of its own (``engagements`` too).

    The repository keeps one copy of the templates, the package's; a copy gets them in
    its templates/ as ``docgen init`` writes them, and a mkdocs.yml pointing there.
    """
    root.mkdir(parents=True, exist_ok=True)
    if "mkdocs.yml" in parts:
        text = (REPO / "mkdocs.yml").read_text("utf-8")
        text = text.replace(
            "process: src/docgen/data/process.yml", "process: templates/process.yml"
        )
        (root / "mkdocs.yml").write_text(
            text.replace("      templates: src/docgen/data\n", ""), "utf-8"
        )
    if "templates" in parts:
        for rel, content in template_files().items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                (root / rel).write_bytes(content)
            else:
                (root / rel).write_text(content, "utf-8")
    for name in ("docs", "engagements"):
        if name in parts:
            shutil.copytree(REPO / name, root / name)


def make_portfolio(root: Path, n: int) -> Path:
    """Write a workspace with ``n`` engagements into ``root`` (replacing it)."""
    if root.exists():
        shutil.rmtree(root)
    (root / "engagements").mkdir(parents=True)
    copy_workspace(root, ("mkdocs.yml", "templates", "docs"))
    samples = [(s.name, _files(s)) for s in SAMPLES]
    for i in range(n):
        name, files = samples[i % len(samples)]
        folder = root / "engagements" / f"{name}-{i:05d}"
        index = files["index.md"]
        assert isinstance(index, str)
        swaps = {
            _value(index, "code: "): f"ZS-SYN-{i:05d}",
            _value(index, "  credit_code: "): credit_code(i),
            _value(index, "title: "): f"{_value(index, 'title: ')} · {i}",
        }
        for rel, text in files.items():
            if isinstance(text, bytes):
                (folder / rel).parent.mkdir(parents=True, exist_ok=True)
                (folder / rel).write_bytes(text)
                continue
            if rel == "index.md":
                lines = text.split("\n")
                for k, line in enumerate(lines):
                    for prefix in ("code: ", "  credit_code: ", "title: "):
                        if line.startswith(prefix):
                            lines[k] = prefix + swaps[line.removeprefix(prefix)]
                text = "\n".join(lines)
            elif FROZEN.match(rel):
                text = _frozen_clone(text, swaps)
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        _record_digests(folder)
    return root


def _record_digests(folder: Path) -> None:
    """Each record's ``frozen:`` digests made anew for the clone's own frozen texts."""
    for record in (folder / "documents").glob("*.md"):
        text = record.read_text(encoding="utf-8")
        for frozen in (folder / "documents" / record.stem).glob("*.md"):
            digest = file_sha256(frozen)
            text = re.sub(rf"^(\s+{re.escape(frozen.name)}): [0-9a-f]{{64}}$", rf"\1: {digest}",
                          text, flags=re.M)  # fmt: skip
        record.write_text(text, encoding="utf-8")


def _value(text: str, prefix: str) -> str:
    return next(line.removeprefix(prefix) for line in text.split("\n") if line.startswith(prefix))


def _frozen_clone(text: str, swaps: dict[str, str]) -> str:
    """A frozen text as the clone's own: its code, credit code and title, digest made anew."""
    for old, new in swaps.items():
        text = text.replace(old, new)
        if escape_markdown(old) != old:  # ZS\-2023\-009 as the markdown body writes it
            text = text.replace(escape_markdown(old), escape_markdown(new))
    data = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    digest = values_digest(data["values"])
    return re.sub(r"^digest: [0-9a-f]{64}$", f"digest: {digest}", text, count=1, flags=re.M)
