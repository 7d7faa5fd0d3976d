"""The sample engagements that ship in engagements/ validate and show in status."""

from __future__ import annotations

import json

from conftest import REPO
from docgen.load import load_portfolio
from docgen.process import default_process_text


def test_samples_validate_clean(run) -> None:
    result = run("validate", "--root", str(REPO), "--format", "json", "--strict")
    report = json.loads(result.out)
    assert report["errors"] == 0 and report["warnings"] == 0, report["diagnostics"]
    assert result.exit_code == 0


def test_samples_cover_every_stage_and_status() -> None:
    portfolio = load_portfolio(REPO)
    assert len(portfolio.engagements) >= 5
    indexes = [e.index.data for e in portfolio.engagements if e.index]
    stages = {i.stage for i in indexes}
    statuses = {i.status for i in indexes}
    assert stages == {s.id for s in portfolio.process.stages}
    assert {"active", "terminated", "renewed"} <= statuses
    execution = [e for e in portfolio.engagements if e.index and e.index.data.stage == "execution"]
    assert execution and all(e.kpis and e.risks and e.plan and e.meetings for e in execution)
    negotiation = [e for e in portfolio.engagements if e.index and e.index.data.stage == "negotiation"]
    assert any("letter-of-intent" in e.documents for e in negotiation)


def test_status_prints_the_portfolio(run) -> None:
    result = run("--lang", "zh", "status", "--root", str(REPO))
    assert result.exit_code == 0
    for name in ("2025-014-hengtong-logistics", "恒通智慧物流园区", "④ 合作执行与监控", "已终止"):
        assert name in result.out
    assert "\x1b[" not in result.out  # plain text in a pipe


def test_status_of_one_engagement_lists_checklist(run) -> None:
    result = run("--lang", "zh", "status", "2026-005-bluewave-biopharma", "--root", str(REPO))
    assert result.exit_code == 0
    assert "签订合作协议" in result.out and "agreement.legal-review" not in result.out  # steps, not ids
    assert "协议需经法律顾问审核" in result.out
    assert "赵磊" in result.out and "2026-12-25" in result.out


def test_repository_process_is_the_shipped_default() -> None:
    shipped = default_process_text("zh")
    assert (REPO / "templates" / "process.yml").read_text(encoding="utf-8") == shipped
