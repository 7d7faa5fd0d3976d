"""docgen add: records added by command, values written as people say them (issue 26)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_samples
from docgen.workspace.load import load_portfolio

HUAXIN = "2026-008-huaxin-storage"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DOCGEN_LANG", "zh")
    return copy_samples(tmp_path)


def test_each_kind_is_added_by_flags_in_chinese_values(ws: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = ["--root", str(ws)]
    folder = ws / "engagements" / HUAXIN
    assert not (folder / "risks.md").exists() and not (folder / "kpis.md").exists()
    risk = run("add", "risk", HUAXIN, "--title", "碳酸锂价格大幅波动: 超过 40%", "--category", "外部市场风险",
               "--probability", "4", "--impact", "4", "--owner", "张伟", "--response", "签订长协锁价",
               "--escalated", "2026-11-20", "--escalated-to", "集团投委会", *root)
    assert risk.exit_code == 0, risk.out + risk.err
    assert "为 2026-008-huaxin-storage 新增风险 R1" in risk.out
    text = (folder / "risks.md").read_text("utf-8")
    assert text.startswith("---\n# 风险登记：") and "category: market" in text
    assert "title: '碳酸锂价格大幅波动: 超过 40%'" in text  # user text quoted, never YAML
    for args in (
        ("kpi", "--metric", "出货量", "--unit", "GWh", "--target", "2", "--frequency", "季度",
         "--direction", "越高越好"),
        ("task", "--title", "厂房选址", "--owner", "张伟", "--due", "2027-01-31"),
        ("meeting", "--date", "2026-11-25", "--title", "第四轮谈判", "--kind", "洽谈会",
         "--attendees", "张伟、王磊"),
    ):
        done = run("add", args[0], HUAXIN, *args[1:], *root)
        assert done.exit_code == 0, done.out + done.err
    again = run("add", "risk", HUAXIN, "--title", "人员变动", "--category", "人员变动风险",
                "--probability", "2", "--impact", "2", *root)
    assert again.exit_code == 0 and "R2" in again.out
    e = load_portfolio(ws, [HUAXIN]).get(HUAXIN)
    assert e.risks and [r.id for r in e.risks.data.risks] == ["R1", "R2"]
    assert e.kpis and e.kpis.data.kpis[0].frequency == "quarterly"
    assert e.plan and e.plan.data.tasks[0].id == "T1" and str(e.plan.data.tasks[0].due) == "2027-01-31"
    assert [m.data.kind for m in e.meetings] == ["negotiation", "negotiation"] or any(
        m.data.kind == "negotiation" and m.data.title == "第四轮谈判" for m in e.meetings)
    assert run("validate", HUAXIN, *root).exit_code == 0


def test_what_would_not_validate_is_refused_and_nothing_is_written(ws: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = ["--root", str(ws)]
    folder = ws / "engagements" / HUAXIN
    # a high risk without escalation, an unknown category: refused, said, nothing written
    refused = run("add", "risk", HUAXIN, "--title", "停产", "--category", "外部市场风险",
                  "--probability", "5", "--impact", "5", "--owner", "张伟", *root)
    assert refused.exit_code == 1 and "high-risk-unhandled" in refused.out
    unknown = run("add", "risk", HUAXIN, "--title", "停产", "--category", "天灾",
                  "--probability", "1", "--impact", "1", *root)
    assert unknown.exit_code == 1 and "外部市场风险" in unknown.out  # the categories it may be
    assert not (folder / "risks.md").exists()
    # without a terminal, a missing value is said with its flag
    missing = run("add", "kpi", HUAXIN, "--unit", "GWh", *root)
    assert missing.exit_code != 0 and "metric" in missing.err + missing.out
    assert not (folder / "kpis.md").exists()


def test_a_document_record_by_its_title(ws: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = ["--root", str(ws)]
    done = run("add", "document", HUAXIN, "合作备忘录", *root)
    assert done.exit_code == 0, done.out + done.err
    record = ws / "engagements" / HUAXIN / "documents" / "memorandum.md"
    assert 'version: "1.0"' in record.read_text("utf-8")
    assert run("add", "document", HUAXIN, "合作备忘录", *root).exit_code != 0  # not twice
