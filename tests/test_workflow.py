"""Transitions: gated, atomic, surgical (only the changed values differ), optionally committed."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from conftest import REPO
from docgen.diagnostics import DocgenError
from docgen.edit import FrontMatterEdit
from docgen.load import load_portfolio
from docgen.workflow import apply, diff, plan_advance, plan_renew, plan_terminate

TODAY = date(2026, 11, 26)
HUAXIN = "2026-008-huaxin-storage"
HENGTONG = "2025-014-hengtong-logistics"


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True, capture_output=True, text=True,
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for name in ("engagements", "templates"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "samples")
    return tmp_path


def settle_adjust_terms(root: Path) -> None:
    path = root / "engagements" / HUAXIN / "negotiation.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    owner: 张伟\n    due: 2026-12-15\n", "    done: 2026-11-20\n    by: 张伟\n"),
        encoding="utf-8",
    )
    git(root, "commit", "-qam", "adjust terms done")


@pytest.mark.parametrize(
    "path", sorted(p for p in (REPO / "engagements").rglob("*.md") if "/notes/" not in p.as_posix()),
    ids=lambda p: p.relative_to(REPO / "engagements").as_posix(),
)
def test_unchanged_round_trip_is_byte_identical(path: Path) -> None:
    assert FrontMatterEdit.open(path, path.name).result() == path.read_bytes()


def test_advance_blocked_then_allowed(repo: Path) -> None:
    blocked = plan_advance(load_portfolio(repo), HUAXIN, today=TODAY)
    assert not blocked.allowed
    assert [(d.code, d.path.rsplit("/", 1)[-1], d.line) for d in blocked.unmet] == [
        ("gate-unmet", "negotiation.md", 20)
    ]
    assert "owner 张伟" in blocked.unmet[0].hint
    with pytest.raises(DocgenError, match="refused"):
        apply(blocked, repo)
    settle_adjust_terms(repo)
    plan = plan_advance(load_portfolio(repo), HUAXIN, today=TODAY)
    assert plan.allowed
    before = (repo / "engagements" / HUAXIN / "index.md").read_text(encoding="utf-8")
    apply(plan, repo)
    after = (repo / "engagements" / HUAXIN / "index.md").read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.split("\n"), after.split("\n"), strict=True) if a != b]
    assert changed == [("stage: negotiation", "stage: establishment")]
    assert (repo / "engagements" / HUAXIN / "establishment.md").is_file()


def test_dry_run_diff_shows_only_the_stage_line(repo: Path) -> None:
    settle_adjust_terms(repo)
    plan = plan_advance(load_portfolio(repo), HUAXIN, today=TODAY)
    text = diff(plan, repo)
    index_part = text.split("+++ b/engagements/2026-008-huaxin-storage/establishment.md")[0]
    removed = [line for line in index_part.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line for line in index_part.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert removed == ["-stage: negotiation"] and added == ["+stage: establishment"]
    assert git(repo, "status", "--porcelain") == ""


def test_terminate_gate_and_edit(repo: Path) -> None:
    plan = plan_terminate(load_portfolio(repo), HENGTONG, "对方转产", today=TODAY)
    assert not plan.allowed
    assert {d.message.split("'")[1] for d in plan.unmet} == {
        "termination.per-agreement", "termination.resource-settlement",
        "termination.debt-settlement", "termination.no-disputes",
    }
    evaluation = repo / "engagements" / HENGTONG / "evaluation.md"
    evaluation.write_text(
        "---\nchecklist:\n"
        + "".join(
            f"  termination.{i}: {{done: 2026-11-20, by: 张伟}}\n"
            for i in ("per-agreement", "resource-settlement", "debt-settlement", "no-disputes")
        )
        + "---\n",
        encoding="utf-8",
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "settled")
    plan = plan_terminate(load_portfolio(repo), HENGTONG, "对方转产: 提前终止", today=TODAY)
    assert plan.allowed
    index = repo / "engagements" / HENGTONG / "index.md"
    before = index.read_text(encoding="utf-8").split("\n")
    apply(plan, repo, commit=True)
    after = index.read_text(encoding="utf-8").split("\n")
    assert [line for line in before if line not in after] == ["status: active"]
    assert [line for line in after if line not in before] == [
        "status: terminated", "  closed: 2026-11-26", "termination_reason: '对方转产: 提前终止'",
    ]
    assert after.index("  closed: 2026-11-26") == after.index("  kickoff: 2026-03-10") + 1
    assert "终止合作 2025-014-hengtong-logistics" in git(repo, "log", "-1", "--format=%s")
    assert git(repo, "status", "--porcelain") == ""


def test_renew_needs_its_gate(repo: Path) -> None:
    plan = plan_renew(load_portfolio(repo), HENGTONG, today=TODAY)
    assert not plan.allowed
    assert any("续约协议" in d.message for d in plan.unmet)


def test_uncommitted_changes_are_refused_unless_forced(repo: Path) -> None:
    settle_adjust_terms(repo)
    index = repo / "engagements" / HUAXIN / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("# ", "#  ", 1), encoding="utf-8")
    plan = plan_advance(load_portfolio(repo), HUAXIN, today=TODAY)
    with pytest.raises(DocgenError, match="uncommitted"):
        apply(plan, repo)
    apply(plan, repo, force=True)
    assert "stage: establishment" in index.read_text(encoding="utf-8")


def test_failure_before_rename_leaves_the_original(repo: Path, monkeypatch) -> None:
    settle_adjust_terms(repo)
    index = repo / "engagements" / HUAXIN / "index.md"
    original = index.read_bytes()
    plan = plan_advance(load_portfolio(repo), HUAXIN, today=TODAY)

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        apply(plan, repo)
    assert index.read_bytes() == original
    assert not [p for p in index.parent.iterdir() if p.name.endswith(".tmp")]


def test_crlf_bom_and_comments_survive_an_edit(tmp_path: Path) -> None:
    path = tmp_path / "index.md"
    text = "---\n# 注释\ntitle: \"示例\"  # 标题\nstage: preparation   # 阶段\ndates:\n  opened: 2026-01-05\n---\n正文\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    edit = FrontMatterEdit.open(path, "index.md")
    edit.set(("stage",), "negotiation")
    edit.set(("dates", "closed"), date(2026, 2, 1))
    out = edit.result()
    assert out.startswith(b"\xef\xbb\xbf") and b"\n" not in out.replace(b"\r\n", b"")
    expected = text.replace("stage: preparation   # 阶段", "stage: negotiation   # 阶段").replace(
        "  opened: 2026-01-05\n", "  opened: 2026-01-05\n  closed: 2026-02-01\n"
    )
    assert out.decode("utf-8-sig").replace("\r\n", "\n") == expected


def test_flow_mapping_edit_is_refused_not_garbled(tmp_path: Path) -> None:
    path = tmp_path / "index.md"
    path.write_text("---\nstage: a\ndates: {opened: 2026-01-05}\n---\n", encoding="utf-8")
    edit = FrontMatterEdit.open(path, "index.md")
    with pytest.raises(DocgenError, match="flow"):
        edit.set(("dates", "closed"), date(2026, 2, 1))


def test_cli_advance_prints_unmet_and_exits_1(repo: Path, run) -> None:
    result = run("advance", HUAXIN, "--root", str(repo))
    assert result.exit_code == 1
    assert "negotiation.md:20:3: error gate-unmet" in result.out
    assert "refused, 1 rule(s) unmet" in result.err
