"""Fixtures: workspaces built from dict specs in tmp_path, and an in-process CLI runner."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from docgen.cli import main
from docgen.domain.process import default_process_text
from docgen.edits.scaffold import template_files
from system_tools import pytest_runtest_makereport  # noqa: F401  (a skip fails under CI=true)

REPO = Path(__file__).resolve().parents[1]
#: the package's data: the one copy of the templates, the process, the site's templates
DATA = REPO / "src" / "docgen" / "data"
TODAY = "2026-11-26"

MKDOCS = """\
site_name: test
theme:
  name: material
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
plugins:
  - search
  - docgen:
      process: templates/process.yml
"""

INDEX = """\
---
title: 示例项目
code: ZS-1
partner:
  name: 苏州示例科技有限公司
  credit_code: 91320505MA1XH7K20A
mode: joint-venture
stage: preparation
status: active
owner: 张伟
dates:
  opened: 2026-01-05
summary: 示例合作方案
terms:
  scope: 示例合作范围
  profit_split: {us: 50, partner: 50}
  exit_mechanism: 协商一致后退出
---
正文
"""

PREPARATION = """\
---
checklist:
  market-research.collect-info:
    done: 2026-01-10
    by: 张伟
---
"""


def build_tree(root: Path, spec: dict[str, str | bytes | None]) -> None:
    """Write files from a {relative path: text or bytes} spec; None deletes."""
    for rel, content in spec.items():
        path = root / rel
        if content is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def base_spec() -> dict[str, str | bytes | None]:
    """A valid one-engagement workspace."""
    return {
        "mkdocs.yml": MKDOCS,
        "templates/process.yml": default_process_text("zh"),
        "engagements/e/index.md": INDEX,
        "engagements/e/preparation.md": PREPARATION,
    }


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own parse cache, never the user's."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(cache))
    return cache


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read docgen's English unless they choose a language (--lang, DOCGEN_LANG)."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DOCGEN_LANG", "en")


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid workspace in tmp_path; today is fixed."""
    monkeypatch.setenv("DOCGEN_TODAY", TODAY)
    build_tree(tmp_path, base_spec())
    return tmp_path


@dataclass
class Result:
    exit_code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run the real entry point in-process; never lets a traceback pass silently."""
    monkeypatch.setenv("DOCGEN_TODAY", TODAY)

    def _run(*args: str) -> Result:
        monkeypatch.setattr(sys, "argv", ["docgen", *args])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err, captured.err
        return Result(code, captured.out, captured.err)

    return _run


def own_workspace_config(text: str) -> str:
    """The repository's mkdocs.yml as a workspace of its own has it (templates in templates/)."""
    text = text.replace("process: src/docgen/data/process.yml", "process: templates/process.yml")
    return text.replace("      templates: src/docgen/data\n", "")


def copy_samples(
    target: Path,
    engagements: tuple[str, ...] | None = None,
    *,
    parts: tuple[str, ...] = ("mkdocs.yml", "templates", "docs"),
) -> Path:
    """The repository's workspace and sample engagements, copied into ``target``.

    A copy is a workspace of its own, as ``docgen init`` makes one: its templates/ is
    the package's (the repository keeps no other copy) and its mkdocs.yml points there.
    Only the ``engagements`` named, when given; returns ``target``.
    """
    target.mkdir(parents=True, exist_ok=True)
    if "mkdocs.yml" in parts:
        (target / "mkdocs.yml").write_text(own_workspace_config((REPO / "mkdocs.yml").read_text("utf-8")), "utf-8")
    if "templates" in parts:
        build_tree(target, template_files())
    if "docs" in parts:
        shutil.copytree(REPO / "docs", target / "docs")
    for folder in sorted((REPO / "engagements").iterdir()):
        if folder.is_dir() and (engagements is None or folder.name in engagements):
            shutil.copytree(folder, target / "engagements" / folder.name)
    (target / "engagements").mkdir(exist_ok=True)
    return target
