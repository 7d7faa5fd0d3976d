"""docgen schema: one JSON Schema per file kind; unknown keys are forbidden in each."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from conftest import REPO
from docgen.edits.schemas import KINDS


def test_schema_writes_every_kind(tmp_path: Path, run) -> None:
    result = run("schema", "--out", str(tmp_path))
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{k}.schema.json" for k in KINDS)
    index = json.loads((tmp_path / "index.schema.json").read_text(encoding="utf-8"))
    assert index["additionalProperties"] is False
    assert {"title", "partner", "mode", "stage", "owner", "dates"} <= set(index["required"])
    assert index["properties"]["status"]["enum"] == ["active", "on-hold", "terminated", "completed", "renewed", "lost"]


def test_pre_commit_hook_is_declared() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["id"] == "docgen-validate" and hooks[0]["entry"] == "docgen validate"
