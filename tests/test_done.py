"""docgen done, new --origin, and documents named by title: the officer never types an id."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_samples

LEAD = "2026-101-dianqu"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DOCGEN_LANG", "zh")
    root = copy_samples(tmp_path, ())
    made = run("new", LEAD, "--title", "电驱产线合资项目", "--partner", "苏州恒驰电驱科技有限公司",
               "--mode", "合资", "--owner", "王磊", "--origin", "定向招商", "--root", str(root))
    assert made.exit_code == 0, made.out + made.err
    return root


def test_new_takes_the_origin_by_its_chinese_name(ws: Path, run) -> None:  # type: ignore[no-untyped-def]
    index = (ws / "engagements" / LEAD / "index.md").read_text("utf-8")
    assert "\norigin: direct  # 定向招商" in index and "\nmode: joint-venture  # 合资" in index
    bad = run("new", "2026-102-x", "--title", "x", "--partner", "y", "--mode", "合资", "--owner", "z",
              "--origin", "路边", "--root", str(ws))
    assert bad.exit_code == 2 and "未知的线索来源「路边」" in bad.err and "定向招商" in bad.err
    assert not (ws / "engagements" / "2026-102-x").exists()


def test_items_are_marked_by_step_title_or_part_of_a_title(ws: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = ["--root", str(ws)]
    stage = ws / "engagements" / LEAD / "preparation.md"
    step = run("done", LEAD, "市场调研与分析", *root)
    assert step.exit_code == 0, step.out + step.err
    assert "「收集目标行业及潜在合作伙伴的信息」、「分析市场需求" in step.out and "已完成（王磊，2026-" in step.out
    one = run("done", LEAD, "明确合作模式", "--by", "李娜", "--date", "2026-11-20", *root)
    assert one.exit_code == 0, one.out + one.err
    text = stage.read_text("utf-8")
    assert "  plan-design.choose-mode:\n    owner: 王磊\n    done: 2026-11-20\n    by: 李娜\n" in text
    assert text.count("done: ") == 4 and text.startswith("---\n# 前期准备")  # comments kept

    # an item that needs evidence is refused without it, and nothing is written
    before = stage.read_bytes()
    refused = run("done", LEAD, "准备合作方案初稿", *root)
    assert refused.exit_code == 1 and "没有佐证" in refused.out and stage.read_bytes() == before
    # a document named by its title is its record (made once the plan's fields are filled)
    index = ws / "engagements" / LEAD / "index.md"
    text = index.read_text("utf-8")
    for key, value in (("summary", "合资设立电驱产线公司"), ("  scope", "电驱总成的生产与销售"),
                       ("  profit_split", "{us: 40, partner: 60}"),
                       ("  exit_mechanism", "五年后乙方可按评估价回购甲方股权")):
        text = text.replace(f"\n{key}:", f"\n{key}: {value}", 1)
    index.write_text(text, "utf-8")
    added = run("add", "document", LEAD, "合作方案", *root)
    assert added.exit_code == 0, added.out + added.err
    ok = run("done", LEAD, "准备合作方案初稿", "--evidence", "合作方案", *root)
    assert ok.exit_code == 0, ok.out + ok.err
    assert "evidence: documents/cooperation-plan.md" in stage.read_text("utf-8")

    waived = run("done", LEAD, "制定利益分配机制与退出机制", "--waive", "合资章程另行约定", *root)
    assert waived.exit_code == 0 and "已豁免（合资章程另行约定）" in waived.out
    status = run("status", LEAD, *root).out
    assert "市场调研与分析" in status and "market-research" not in status


def test_what_cannot_be_marked_is_said_in_words(ws: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = ["--root", str(ws)]
    unknown = run("done", LEAD, "喝茶", *root)
    assert unknown.exit_code == 2 and "没有名为「喝茶」的检查项、步骤、计划任务、里程碑或会议行动项" in unknown.err
    ahead = run("done", LEAD, "尽职调查", *root)
    assert ahead.exit_code == 2 and "属于合作确立阶段" in ahead.err and "前期准备" in ahead.err
    future = run("done", LEAD, "市场调研与分析", "--date", "2099-01-01", *root)
    assert future.exit_code == 2 and "晚于今天" in future.err
    run("done", LEAD, "市场调研与分析", *root)
    again = run("done", LEAD, "市场调研与分析", *root)
    assert again.exit_code == 2 and "无需标记" in again.err


def test_documents_are_named_by_title_on_the_command_line(tmp_path: Path, run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DOCGEN_LANG", "zh")
    root = copy_samples(tmp_path, ("2026-005-bluewave-biopharma",))
    out = tmp_path / "out"
    made = run("render", "2026-005-bluewave-biopharma", "--doc", "合作方案", "--out", str(out),
               "--root", str(root))
    assert made.exit_code == 0, made.out + made.err
    made_names = [p.name for p in (out / "2026-005-bluewave-biopharma").glob("*.docx")]
    assert made_names and all(n.startswith("cooperation-plan") for n in made_names), made_names
    unknown = run("render", "2026-005-bluewave-biopharma", "--doc", "情书", "--root", str(root))
    assert unknown.exit_code == 2 and "情书" in unknown.err
    assert "合作协议" in unknown.err  # the documents, by title


def test_tasks_milestones_and_meeting_actions_are_marked_by_title(ws: Path, run) -> None:  # type: ignore[no-untyped-def]
    """Issue 26: an overdue action or task was closed only by editing YAML by hand."""
    import yaml

    root = ["--root", str(ws)]
    folder = ws / "engagements" / LEAD
    for argv in (["task", LEAD, "--title", "合资公司工商注册", "--owner", "李娜", "--due", "2026-11-20"],
                 ["milestone", LEAD, "--title", "合资公司成立", "--due", "2026-11-25"],
                 ["meeting", LEAD, "--date", "2026-11-10", "--title", "首次洽谈", "--kind", "洽谈会", "--attendees", "王磊、陈立"]):  # fmt: skip
        assert run("add", *argv, *root).exit_code == 0
    minutes = next((folder / "meetings").glob("*.md"))
    minutes.write_text(minutes.read_text("utf-8").replace(
        "actions: []", "actions:\n  - {task: 提供近三年审计报告, owner: 陈立, due: 2026-11-15}", 1), "utf-8")
    before = run("status", LEAD, *root).out
    assert "提供近三年审计报告" in before and "合资公司工商注册" in before  # overdue
    said = run("done", LEAD, "审计报告", "工商注册", "合资公司成立", "--date", "2026-11-18", *root)
    assert said.exit_code == 0, said.out + said.err
    assert "「提供近三年审计报告」、「合资公司工商注册」、「合资公司成立」" in said.out and "陈立、李娜" in said.out
    plan = yaml.safe_load((folder / "plan.md").read_text("utf-8").split("---")[1])
    assert plan["tasks"][0]["status"] == "done" and str(plan["tasks"][0]["done"]) == "2026-11-18"
    assert str(plan["milestones"][0]["done"]) == "2026-11-18"
    assert "done: 2026-11-18}" in minutes.read_text("utf-8")  # the flow mapping kept its style
    after = run("status", LEAD, *root).out
    assert "提供近三年审计报告" not in after and "合资公司工商注册" not in after
    again = run("done", LEAD, "合资公司成立", *root)
    assert again.exit_code == 2 and "「合资公司成立」" in again.err
    waive = run("done", LEAD, "合资公司工商注册", "--waive", "不需要", *root)
    assert waive.exit_code == 2 and "只有检查项可以豁免" in waive.err


def test_a_task_that_carries_out_an_item_is_done_with_it(ws: Path, run) -> None:  # type: ignore[no-untyped-def]
    """Issue 26: a checklist item and a plan task that are the same job cannot disagree."""
    import json

    import yaml

    root = ["--root", str(ws)]
    folder = ws / "engagements" / LEAD
    add = run("add", "task", LEAD, "--title", "完成行业与竞品调研", "--owner", "李娜", "--item", "分析市场需求", *root)
    assert add.exit_code == 0, add.out + add.err
    plan = yaml.safe_load((folder / "plan.md").read_text("utf-8").split("---")[1])
    assert plan["tasks"][0]["item"] == "market-research.analyse-market"  # written as the id
    # the task marked: its item with it, the plan as the evidence
    said = run("done", LEAD, "完成行业与竞品调研", "--date", "2026-11-20", *root)
    assert said.exit_code == 0, said.out + said.err
    assert "「完成行业与竞品调研」" in said.out and "「分析市场需求、竞争格局及潜在风险」" in said.out
    stage = yaml.safe_load((folder / "preparation.md").read_text("utf-8").split("---")[1])
    assert stage["checklist"]["market-research.analyse-market"]["evidence"] == "plan.md"
    # the item marked: its task with it
    run("add", "task", LEAD, "--title", "整理潜在伙伴名单", "--item", "收集目标行业", *root)
    both = run("done", LEAD, "收集目标行业及潜在合作伙伴的信息", "--date", "2026-11-21", *root)
    assert both.exit_code == 0 and "「整理潜在伙伴名单」" in both.out, both.out + both.err
    # a hand edit that makes them disagree is said
    text = (folder / "plan.md").read_text("utf-8")
    (folder / "plan.md").write_text(text.replace("status: done", "status: doing", 1), "utf-8")
    (folder / "plan.md").write_text(
        (folder / "plan.md").read_text("utf-8").replace("    done: 2026-11-20\n", "", 1), "utf-8")
    found = json.loads(run("validate", LEAD, "--format", "json", *root).out)["diagnostics"]
    assert [d for d in found if d["code"] == "linked-disagree" and d["path"].endswith("plan.md")], found
    bad = run("add", "task", LEAD, "--title", "喝茶", "--item", "不存在的检查项", *root)
    assert bad.exit_code == 1 and "不存在的检查项" in bad.out, bad.out + bad.err
