"""Gate rules of the default process: each blocks when unmet and passes when met."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import TODAY, copy_samples
from docgen.checks.validate import validate_portfolio
from docgen.workspace.load import load_portfolio

HENGTONG = "2025-014-hengtong-logistics"
JINGHUA = "2024-003-jinghua-materials"


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    copy_samples(tmp_path, parts=("mkdocs.yml", "templates"))
    return tmp_path


def findings(root: Path, engagement: str) -> list[tuple[str, str, int, str]]:
    portfolio = load_portfolio(root, [engagement])
    return [
        (d.code, d.path.split("/", 2)[-1], d.line, d.message)
        for d in validate_portfolio(portfolio, date.fromisoformat(TODAY))
    ]


def edit(root: Path, engagement: str, rel: str, old: str, new: str) -> None:
    path = root / "engagements" / engagement / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_execution_sample_passes_every_gate(samples: Path) -> None:
    assert findings(samples, HENGTONG) == []


def test_contract_signed_before_legal_review(samples: Path) -> None:
    edit(samples, HENGTONG, "establishment.md", "    done: 2026-02-26\n", "    done: 2026-03-05\n")
    found = findings(samples, HENGTONG)
    codes = {(c, f) for c, f, _, _ in found}
    assert ("signed-before-review", "establishment.md") in codes
    assert any("done later, on 2026-03-05" in m for _, _, _, m in found)


def test_legal_review_missing_blocks_the_gate(samples: Path) -> None:
    edit(
        samples, HENGTONG, "establishment.md",
        "  agreement.legal-review:\n    done: 2026-02-26\n    by: 集团法务部 何律师\n",
        "  agreement.legal-review:\n    waived: 对方已自行审核\n",
    )
    found = findings(samples, HENGTONG)
    assert any(
        c == "gate-unmet" and "does not accept a waiver" in m and "[leaving 合作确立]" in m
        for c, _, _, m in found
    ), found


def test_high_risk_needs_escalation(samples: Path) -> None:
    edit(samples, HENGTONG, "risks.md", "    escalated: 2026-09-20\n    escalated_to: 集团投委会\n", "")
    found = findings(samples, HENGTONG)
    assert ("high-risk-unhandled", "risks.md", 14) in {(c, f, line) for c, f, line, _ in found}


def test_low_risk_needs_no_escalation(samples: Path) -> None:
    edit(samples, HENGTONG, "risks.md", "    probability: 4\n    impact: 4\n", "    probability: 2\n    impact: 4\n")
    edit(samples, HENGTONG, "risks.md", "    escalated: 2026-09-20\n    escalated_to: 集团投委会\n", "")
    assert findings(samples, HENGTONG) == []


def test_execution_needs_kpis_with_targets(samples: Path) -> None:
    edit(samples, HENGTONG, "kpis.md", "    target: 75\n", "")
    found = findings(samples, HENGTONG)
    assert any(c == "gate-unmet" and "K1" in m and "[entering 合作执行与监控]" in m for c, _, _, m in found)


def test_execution_needs_tasks_with_owners(samples: Path) -> None:
    edit(samples, HENGTONG, "plan.md", "    owner: 陈晨\n", "")
    found = findings(samples, HENGTONG)
    assert any(c == "gate-unmet" and "task 'T5'" in m and "no owner" in m for c, _, _, m in found)


def test_execution_needs_a_dispute_mechanism(samples: Path) -> None:
    index = samples / "engagements" / HENGTONG / "index.md"
    text = index.read_text(encoding="utf-8")
    start = text.index("  dispute_resolution:")
    end = text.index("  our_obligations:")
    index.write_text(text[:start] + text[end:], encoding="utf-8")
    found = findings(samples, HENGTONG)
    assert any("terms.dispute_resolution.method" in m for c, _, _, m in found if c == "gate-unmet")


def test_termination_needs_settlement(samples: Path) -> None:
    edit(
        samples, JINGHUA, "evaluation.md",
        "  termination.debt-settlement: {done: 2026-06-26, by: 赵磊, note: 应收应付全部结清}\n",
        "  termination.debt-settlement: {owner: 赵磊, due: 2026-06-26}\n",
    )
    found = findings(samples, JINGHUA)
    assert any(
        c == "status-unmet" and "'完成债权债务处理' is not done" in m
        for c, _, _, m in found
    ), found


def test_renewal_needs_a_signed_renewal_agreement(samples: Path) -> None:
    edit(samples, "2023-009-haixin-semiconductor", "documents/renewal-agreement.md", "status: signed", "status: review")
    found = findings(samples, "2023-009-haixin-semiconductor")
    assert any(c == "status-unmet" and "续约协议 is In review" in m for c, _, _, m in found), found


def test_stage_in_the_future_of_its_checklist(samples: Path) -> None:
    edit(samples, "2026-011-lingyun-robotics", "index.md", "stage: preparation", "stage: negotiation")
    found = findings(samples, "2026-011-lingyun-robotics")
    unmet = [m for c, _, _, m in found if c == "gate-unmet"]
    assert any("'准备合作方案初稿" in m and "[leaving 前期准备]" in m for m in unmet)


def test_overdue_is_a_warning_with_owner(samples: Path) -> None:
    edit(samples, "2026-011-lingyun-robotics", "preparation.md", "due: 2026-12-05", "due: 2026-11-01")
    found = findings(samples, "2026-011-lingyun-robotics")
    assert ("overdue", "preparation.md", 13) in {(c, f, line) for c, f, line, _ in found}
    assert any("owner 陈思远" in m for c, _, _, m in found if c == "overdue")


def test_policies_are_warnings(samples: Path, run) -> None:
    edit(samples, HENGTONG, "index.md", "  meetings: 每周一项目例会，每月经营分析会，每季度股东会\n", "")
    result = run("validate", HENGTONG, "--root", str(samples))
    assert result.exit_code == 0
    assert "warning policy [保持透明沟通" in result.out
    strict = run("validate", HENGTONG, "--root", str(samples), "--strict")
    assert strict.exit_code == 1


def test_a_direct_lead_skips_the_calls_steps_and_documents(samples: Path, run) -> None:  # type: ignore[no-untyped-def]
    """Issue 26: a partner who came to us was walled in by the 招商公告's call.* fields."""
    huaxin = "2026-008-huaxin-storage"
    index = samples / "engagements" / huaxin / "index.md"
    stage = samples / "engagements" / huaxin / "negotiation.md"
    text = stage.read_text("utf-8")
    for item in ("publish-call.requirements", "screening.qualification-review", "screening.shortlist"):
        lines = text[text.index(f"  {item}:\n"):].split("\n")
        n = 1
        while lines[n].startswith("    "):  # the item's own lines
            n += 1
        text = text.replace("\n".join(lines[:n]) + "\n", "", 1)
    stage.write_text(text, "utf-8")
    root = ["--root", str(samples)]
    direct = run("advance", huaxin, "--dry-run", *root)
    assert "publish-call" not in direct.out + direct.err and "screening." not in direct.out + direct.err
    rendered = run("render", huaxin, *root)
    assert "call." not in rendered.out and not (samples / "build/documents" / huaxin / "call-for-partners.docx").exists()
    # the same lead from a call: the call's steps are required and its 招商公告 is made
    index.write_text(index.read_text("utf-8").replace("origin: direct", "origin: 公开招商"), "utf-8")
    called = run("advance", huaxin, "--dry-run", *root)
    said = called.out + called.err
    assert "'通过行业网站、展会、宣传资料等渠道发布招商公告' is not done" in said, said
    assert "'筛选出符合基本条件的候选企业' is not done" in said, said
    assert "call-for-partners" in run("render", huaxin, *root).out + run("render", huaxin, *root).err


def test_a_split_that_differs_from_the_contributions_is_a_warning(samples: Path, run) -> None:  # type: ignore[no-untyped-def]
    """Issue 25: 6% against 8,000 万 of 128,000 万 is 6.25%."""
    index = samples / "engagements" / "2025-014-hengtong-logistics" / "index.md"
    text = index.read_text("utf-8")
    assert "profit_split: {us: 40, partner: 60}" in text
    index.write_text(text.replace("profit_split: {us: 40, partner: 60}", "profit_split: {us: 41, partner: 59}"), "utf-8")
    said = run("validate", "2025-014-hengtong-logistics", "--root", str(samples)).out
    assert "warning ratio-mismatch" in said and "40%" in said, said
    # a split agreed otherwise says so, and is not warned of
    index.write_text(text.replace("profit_split: {us: 40, partner: 60}",
                                  "profit_split: {us: 41, partner: 59, note: 我方另行承担运营管理}"), "utf-8")
    assert "ratio-mismatch" not in run("validate", "2025-014-hengtong-logistics", "--root", str(samples)).out
