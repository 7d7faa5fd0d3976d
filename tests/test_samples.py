"""The sample engagements that ship in engagements/ validate and show in status."""

from __future__ import annotations

import json
import sys

from conftest import REPO
from docgen.domain.process import default_process_text
from docgen.workspace.load import load_portfolio


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
    assert (REPO / "src/docgen/data/process.yml").read_text(encoding="utf-8") == shipped


def test_every_frozen_sample_text_is_what_todays_library_makes() -> None:
    """Issue 25: each approved or signed sample text is made by today's templates from the
    data as of its own day (scripts/refreeze-samples makes them again after a change)."""
    import subprocess

    done = subprocess.run(
        [sys.executable, str(REPO / "scripts/refreeze-samples"), "--check"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 text(s) would change, 0 failed" in done.stdout


def test_a_frozen_text_knows_nothing_after_its_day(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 25: a text signed in July holds no November meeting, no later risk, no later
    approval, and a report holds its yearly target against a whole year."""
    memorandum = (REPO / "engagements/2026-005-bluewave-biopharma/documents/memorandum/1.0.md").read_text("utf-8")
    assert "frozen: 2026-07-15" in memorandum and "2026年11月13日" not in memorandum
    assert "尽职调查阶段性结论沟通会" not in memorandum  # held 2026-11-13
    plan = (REPO / "engagements/2025-014-hengtong-logistics/documents/cooperation-plan/1.0.md").read_text("utf-8")
    assert "2025年10月24日 | 1\\.0 |" in plan and "2025年11月12日" not in plan  # 1.1's approval
    dd = (REPO / "engagements/2025-014-hengtong-logistics/documents/due-diligence-report/1.0.md").read_text("utf-8")
    assert "入驻率不达标" not in dd  # R2 was identified in April, after the report
    report = (REPO / "engagements/2024-003-jinghua-materials/documents/evaluation-report/1.0.md").read_text("utf-8")
    # the period ends 2026-03-31: 2026's sales so far are not a year's against a year's target
    assert "| 代理销售额（万元） | 0 | 2,410（2025年） | 3,000 | 80% |" in report
    assert "docgen " not in report.split("\n---\n", 1)[1]  # no tool command in a document
    haixin = (REPO / "engagements/2023-009-haixin-semiconductor/documents/evaluation-report/1.0.md").read_text("utf-8")
    assert "| 授权产品销售额（万元） | 0 | 21,200（累计） | 18,000（全期） | 118% |" in haixin


def test_a_frozen_text_records_the_data_it_was_made_from() -> None:
    """Issue 25: a frozen text's values are the engagement's data (terms.investment,
    partner.name), never the views templates read them through (party_a, all_parties)."""
    import yaml

    views = ("party_a", "party_b", "us", "them", "all_parties", "others", "side", "side_en")
    frozen = sorted((REPO / "engagements").glob("*/documents/*/*.md"))
    assert len(frozen) == 22
    for path in frozen:
        head = path.read_text("utf-8").split("\n---\n", 1)[0].removeprefix("---\n")
        keys = yaml.safe_load(head)["values"]
        assert not [k for k in keys if k.split(".")[0] in views], path
        assert any(k.startswith(("org.", "partner.", "terms.", "engagement.")) for k in keys), path
