"""docgen init and docgen new: a fresh workspace and engagement that validate."""

from __future__ import annotations

import json
from pathlib import Path

import yaml


def test_init_new_validate(tmp_path: Path, run) -> None:
    ws = tmp_path / "ws"
    assert run("init", str(ws)).exit_code == 0
    for rel in ("mkdocs.yml", "templates/process.yml", "templates/engagement/index.md.j2"):
        assert (ws / rel).is_file()
    result = run(
        "new", "2026-020-demo", "--title", "示例合作", "--partner", "杭州示例科技有限公司",
        "--mode", "合资", "--owner", "张伟", "--code", "ZS-2026-020", "--root", str(ws),
    )
    assert result.exit_code == 0, result.err
    folder = ws / "engagements" / "2026-020-demo"
    index = yaml.safe_load((folder / "index.md").read_text(encoding="utf-8").split("---")[1])
    assert index["mode"] == "joint-venture" and index["stage"] == "preparation"
    assert "market-research.collect-info" in (folder / "preparation.md").read_text(encoding="utf-8")
    assert run("validate", "--root", str(ws)).exit_code == 0
    # what the first stage's document still needs is a warning at the scaffold's own line
    strict = run("validate", "--root", str(ws), "--strict", "--format", "json")
    assert strict.exit_code == 1
    found = json.loads(strict.out)["diagnostics"]
    lines = (folder / "index.md").read_text(encoding="utf-8").split("\n")
    assert {d["code"] for d in found} == {"document-field-missing"}
    for d in found:
        field = d["message"].split(" needs ")[1].split(",")[0].rsplit(".", 1)[-1]
        assert lines[d["line"] - 1].lstrip().startswith(f"{field}:"), (d, lines[d["line"] - 1])
    assert len(found) == 4  # summary, scope, profit split, exit mechanism


def test_new_refuses_a_code_in_use(tmp_path: Path, run) -> None:
    ws = tmp_path / "ws"
    run("init", str(ws))
    args = ["--title", "甲", "--partner", "甲公司", "--mode", "合资", "--owner", "张伟", "--root", str(ws)]
    assert run("new", "2026-001-a", *args, "--code", "ZS-1").exit_code == 0
    result = run("new", "2026-002-b", *args, "--code", "ZS-1")
    assert result.exit_code == 2 and "ZS-1" in result.err and "2026-001-a" in result.err
    assert not (ws / "engagements" / "2026-002-b").exists()


def test_init_keeps_existing_files(tmp_path: Path, run) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    result = run("init", str(tmp_path))
    assert "kept" in result.out
    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: mine\n"


def test_init_english_process(tmp_path: Path, run) -> None:
    run("init", str(tmp_path), "--lang", "en")
    assert "language: en" in (tmp_path / "templates/process.yml").read_text(encoding="utf-8")


def test_hostile_partner_text_is_data(tmp_path: Path, run) -> None:
    run("init", str(tmp_path))
    hostile = '<script>alert(1)</script> {{ 7*7 }} **x** "q": #c [bold]b[/bold] 🚀'
    result = run(
        "new", "x-1", "--title", hostile, "--partner", hostile, "--mode", "agency",
        "--owner", "王五", "--root", str(tmp_path),
    )
    assert result.exit_code == 0, result.err
    text = (tmp_path / "engagements/x-1/index.md").read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("\n---\n")[0].removeprefix("---\n"))
    assert data["title"] == hostile and data["partner"]["name"] == hostile
    assert run("validate", "--root", str(tmp_path)).exit_code == 0
    status = run("status", "x-1", "--root", str(tmp_path))
    assert "[bold]b[/bold]" in status.out and "{{ 7*7 }}" in status.out


def test_new_rejects_unsafe_ids(tmp_path: Path, run) -> None:
    run("init", str(tmp_path))
    for bad in ("../x", "my project", "华信", "A-1", ""):
        result = run(
            "new", bad, "--title", "t", "--partner", "p", "--mode", "agency",
            "--owner", "o", "--root", str(tmp_path),
        )
        assert result.exit_code == 2, bad
        assert "not a valid engagement id" in result.err
    assert sorted(p.name for p in (tmp_path / "engagements").iterdir()) == [".gitkeep"]
    assert not (tmp_path / "x").exists()


def test_new_refuses_existing_and_unknown_mode(tmp_path: Path, run) -> None:
    run("init", str(tmp_path))
    args = ["--title", "t", "--partner", "p", "--owner", "o", "--root", str(tmp_path)]
    assert run("new", "a-1", "--mode", "agency", *args).exit_code == 0
    again = run("new", "a-1", "--mode", "agency", *args)
    assert again.exit_code == 2 and "already exists" in again.err
    bad_mode = run("new", "a-2", "--mode", "agncy", *args)
    assert bad_mode.exit_code == 2 and "did you mean 'agency'" in bad_mode.err


def test_no_workspace_is_exit_2(tmp_path: Path, run, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 2
    assert "no mkdocs.yml" in result.err


def test_usage_error_is_exit_2(run) -> None:
    assert run("validate", "--format", "xml").exit_code == 2
