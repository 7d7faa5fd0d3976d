"""Transitions: gated, atomic, surgical (only the changed values differ), optionally committed."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from conftest import REPO, copy_samples
from docgen.core.diagnostics import DocgenError
from docgen.edits.workflow import apply, diff, plan_advance, plan_renew, plan_terminate
from docgen.workspace.edit import FrontMatterEdit
from docgen.workspace.load import load_portfolio

TODAY = date(2026, 11, 26)
HUAXIN = "2026-008-huaxin-storage"
HENGTONG = "2025-014-hengtong-logistics"


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True, capture_output=True, text=True,
    ).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # `--commit` runs plain `git commit`; a fresh CI machine has no git identity
    for var in ("GIT_AUTHOR", "GIT_COMMITTER"):
        monkeypatch.setenv(f"{var}_NAME", "docgen test")
        monkeypatch.setenv(f"{var}_EMAIL", "test@example.com")
    copy_samples(tmp_path, parts=("mkdocs.yml", "templates"))
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
        ("gate-unmet", "negotiation.md", 18)
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
        "如决定终止合作，按协议约定执行", "完成资源清算",
        "完成债权债务处理", "确保双方无遗留争议，达成和解",
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
    with pytest.raises(DocgenError, match="uncommitted"):  # the commit would take them
        apply(plan, repo, commit=True)
    apply(plan, repo, force=True, commit=True)
    assert "stage: establishment" in index.read_text(encoding="utf-8")


def test_without_a_commit_a_changed_file_is_edited_as_it_stands(repo: Path) -> None:
    settle_adjust_terms(repo)
    index = repo / "engagements" / HUAXIN / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("# ", "#  ", 1), encoding="utf-8")
    apply(plan_advance(load_portfolio(repo), HUAXIN, today=TODAY), repo)
    text = index.read_text(encoding="utf-8")
    assert "stage: establishment" in text and "#  " in text  # the hand change is kept


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


def test_flow_mappings_are_edited_in_place(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(
        "---\ndates: {opened: 2026-01-05}  # 立项\ntasks:\n"
        "  - {id: T1, title: \"甲, 乙\", depends_on: [T0, T2], owner: 罗佳, due: 2027-03-31}\n"
        "  - {id: T2, title: 'it''s', owner: 周敏}\n---\n正文\n",
        encoding="utf-8",
    )
    edit = FrontMatterEdit.open(path, "plan.md")
    edit.set(("dates", "closed"), date(2026, 2, 1))
    edit.set(("tasks", 0, "owner"), "周敏")
    edit.set(("tasks", 0, "title"), "丙, 丁 [二期]")
    edit.set(("tasks", 1, "due"), date(2027, 1, 31))
    edit.set(("tasks", 1, "title"), "plain")
    assert edit.result().decode() == (
        "---\ndates: {opened: 2026-01-05, closed: 2026-02-01}  # 立项\ntasks:\n"
        "  - {id: T1, title: \"丙, 丁 [二期]\", depends_on: [T0, T2], owner: 周敏, due: 2027-03-31}\n"
        "  - {id: T2, title: plain, owner: 周敏, due: 2027-01-31}\n---\n正文\n"
    )


def test_cli_advance_prints_unmet_and_exits_1(repo: Path, run) -> None:
    result = run("advance", HUAXIN, "--root", str(repo))
    assert result.exit_code == 1
    assert "negotiation.md:18:3: error gate-unmet" in result.out
    assert "refused, 1 rule(s) unmet" in result.err


# Each rule of the default process blocks an advance with its message, and passes once met.
# The execution sample, put back one stage, meets every rule; each case breaks one.
GATE_CASES = [
    ("required_items", "establishment.md", "  launch-prep.resources: {done: 2026-03-06, by: 刘洋}\n",
     "  launch-prep.resources: {owner: 刘洋, due: 2026-12-01}\n", "'安排合作所需的资源（如资金、技术、场地等）对接' is not done"),
    ("items_done", "establishment.md", "    done: 2026-02-26\n    by: 集团法务部 何律师\n",
     "    waived: 对方已自行审核\n", "协议须在尽职调查与法律顾问审核完成后签署: '协议需经法律顾问审核，确保条款合法合规' is waived"),
    ("items_before", "establishment.md", "    done: 2026-02-26\n", "    done: 2026-03-05\n",
     "was done later, on 2026-03-05"),
    ("document_status", "documents/cooperation-agreement.md", "status: signed\nsigned: 2026-03-02\n",
     "status: review\n", "合作协议须已签署并存档: 合作协议 is In review"),
    ("plan_with_owners", "plan.md", "    owner: 陈晨\n", "",
     "[entering 合作执行与监控] 执行阶段须有任务计划，每项任务明确负责人与完成时限: task 'T5'"),
    ("kpis_with_targets", "kpis.md", "    target: 75\n", "",
     "执行阶段须设定关键绩效指标（KPI）及目标值: KPI 'K1'"),
    ("fields_present", "index.md",
     "  dispute_resolution:\n    method: arbitration\n    institution: 上海国际仲裁中心\n"
     "    rules: 上海国际仲裁中心仲裁规则\n    seat: 上海\n    governing_law: 中华人民共和国法律\n", "",
     "'terms.dispute_resolution.method'"),
    ("high_risks_handled", "risks.md", "    escalated: 2026-09-20\n    escalated_to: 集团投委会\n", "",
     "高风险项须有负责人、专项应对预案，并升级上报: high risk 'R2'"),
]


@pytest.mark.parametrize("case", GATE_CASES, ids=[c[0] for c in GATE_CASES])
def test_each_rule_blocks_an_advance_until_met(repo: Path, case: tuple[str, ...]) -> None:
    _, rel, good, bad, message = case
    folder = repo / "engagements" / HENGTONG
    index = folder / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("stage: execution", "stage: establishment"), encoding="utf-8")
    (folder / "execution.md").rename(folder / "execution.md.bak")  # advance would create it
    path = folder / rel
    original = path.read_text(encoding="utf-8")
    assert good in original
    path.write_text(original.replace(good, bad, 1), encoding="utf-8")
    blocked = plan_advance(load_portfolio(repo), HENGTONG, today=TODAY)
    assert not blocked.allowed
    assert any(message in d.message for d in blocked.unmet), [d.message for d in blocked.unmet]
    path.write_text(original, encoding="utf-8")
    allowed = plan_advance(load_portfolio(repo), HENGTONG, today=TODAY)
    assert allowed.allowed, [d.format() for d in allowed.unmet]
