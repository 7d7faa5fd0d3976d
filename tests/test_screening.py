"""Applicants and screening: scores on the process's criteria rank a call's applicants;
the shortlist is the result; one command makes the chosen applicant the partner; the
资格审查表 says it all; partners never see an applicant."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import REPO, copy_samples
from docgen.domain.screening import rank
from docgen.workspace.load import load_portfolio
from docx_text import docx_text

BLUEWAVE = "2026-005-bluewave-biopharma"
LINGYUN = "2026-011-lingyun-robotics"


def test_scores_rank_the_applicants_and_the_shortlist_is_the_result() -> None:
    portfolio = load_portfolio(REPO, [BLUEWAVE])
    e = portfolio.get(BLUEWAVE)
    assert e.applicants is not None and portfolio.process.screening is not None
    ranked = rank(e.applicants.data.applicants, portfolio.process.screening)
    # weights 25/30/30/15 on a 0–5 scale: A1 = (25·5 + 30·5 + 30·4 + 15·5)/5 = 94
    assert [(r.rank, r.applicant.id, r.total, r.passed) for r in ranked] == [
        (1, "A1", 94.0, True),
        (2, "A2", 69.0, True),
        (3, "A4", 52.0, False),
        (4, "A3", 49.0, False),
    ]
    assert [str(s) for s in ranked[3].shortfalls] == ["财务状况 2 below 3", "total 49 below 60"]


def test_the_qualification_review_sheet_text(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = copy_samples(tmp_path, (BLUEWAVE,))
    result = run("render", BLUEWAVE, "--doc", "qualification-review", "--root", str(root))
    assert result.exit_code == 0, result.out + result.err
    text = docx_text(root / "build/documents" / BLUEWAVE / "qualification-review.docx")
    assert "[Title] 蓝波生物创新药华东研发生产基地项目资格审查表" in text
    assert "| 1 | 上海蓝波生物医药股份有限公司 | 5 | 5 | 4 | 5 | 94 | 入围 |" in text
    assert "| 4 | 上海启明康泰医药有限公司 | 2 | 3 | 2 | 3 | 49 | 未入围：财务状况 2 分，低于 3 分；总分 49 分，低于 60 分 |" in text
    assert "[List Number] 苏州恒瑞达生物科技有限公司（69 分）" in text
    assert "确定上海蓝波生物医药股份有限公司为本项目的合作伙伴" in text


def test_choosing_a_shortlisted_applicant_makes_it_the_partner(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = copy_samples(tmp_path, (LINGYUN, BLUEWAVE))
    e = root / "engagements" / LINGYUN
    (e / "applicants.md").write_text(
        "---\napplicants:\n"
        "  - {id: B1, name: 苏州凌云智能装备有限公司, credit_code: 91320594MA27K3L8PA, size: large,"
        " region: 江苏省苏州市, scores: {size: 5, experience: 4, finance: 4, compliance: 4}}\n"
        "  - {id: B2, name: 某机器人公司, scores: {size: 2, experience: 2, finance: 1, compliance: 3}}\n"
        "---\n",
        "utf-8",
    )
    refused = run("choose", LINGYUN, "B2", "--root", str(root))
    assert refused.exit_code == 1
    assert "某机器人公司 is not on the shortlist: 财务状况 1 below 3, total" in refused.out
    done = run("choose", LINGYUN, "B1", "--root", str(root))
    assert done.exit_code == 0, done.out + done.err
    index = yaml.safe_load((e / "index.md").read_text("utf-8").split("---\n")[1])
    assert index["partner"]["name"] == "苏州凌云智能装备有限公司"
    assert index["partner"]["credit_code"] == "91320594MA27K3L8PA"
    assert (index["partner"]["size"], index["partner"]["region"]) == ("large", "江苏省苏州市")
    assert "chosen: B1" in (e / "applicants.md").read_text("utf-8")
    assert run("validate", LINGYUN, "--root", str(root)).exit_code == 0


def test_bad_scores_are_located(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = copy_samples(tmp_path, (BLUEWAVE,))
    path = root / "engagements" / BLUEWAVE / "applicants.md"
    text = path.read_text("utf-8").replace("scores: {size: 5, experience: 5, finance: 4, compliance: 5}",
                                           "scores: {size: 7, experince: 5, finance: 4, compliance: 5}")
    path.write_text(text.replace("chosen: A1", "chosen: A9"), "utf-8")
    result = run("validate", "--root", str(root))
    assert result.exit_code == 1
    assert "applicants.md:11:14: error invalid-value 企业规模 is scored 0 to 5, not 7" in result.out
    assert "error invalid-value 'experince' is not a screening criterion (did you mean 'experience'?)" in result.out
    assert "error unknown-reference chosen applicant 'A9' is not among the applicants" in result.out


def test_applicants_are_never_on_the_partner_site(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = copy_samples(tmp_path, (BLUEWAVE,))
    index = root / "engagements" / BLUEWAVE / "index.md"
    index.write_text(index.read_text("utf-8").replace("visibility: internal", "visibility: partner"), "utf-8")
    assert run("publish", "--root", str(root)).exit_code == 0
    internal = (root / "build/site/engagements" / BLUEWAVE / "index.html").read_text("utf-8")
    assert "苏州恒瑞达生物科技有限公司" in internal and "资格审查" in internal
    assert run("publish", "--audience", "partner", "--root", str(root)).exit_code == 0
    partner = root / "build/site-partner"
    files = [p for p in partner.rglob("*") if p.suffix in (".html", ".json", ".js")]
    assert files and not any("恒瑞达" in p.read_text("utf-8", errors="replace") for p in files)
    assert not (root / "build/documents-partner" / BLUEWAVE / "qualification-review.docx").exists()
    assert not any("恒瑞达" in docx_text(p) for p in (root / "build/documents-partner").rglob("*.docx"))


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_TODAY", "2026-11-26")


def test_the_chosen_applicant_can_become_a_new_engagement(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = copy_samples(tmp_path, (BLUEWAVE,))
    result = run("choose", BLUEWAVE, "A2", "--new", "2026-021-hengruida-bio",
                 "--title", "恒瑞达生物苏州研发中心项目", "--root", str(root))
    assert result.exit_code == 0, result.out + result.err
    index = yaml.safe_load((root / "engagements/2026-021-hengruida-bio/index.md").read_text("utf-8").split("---\n")[1])
    assert index["title"] == "恒瑞达生物苏州研发中心项目"
    assert (index["partner"]["name"], index["partner"]["credit_code"]) == ("苏州恒瑞达生物科技有限公司", "91320594MA27K3L8PA")
    assert (index["mode"], index["owner"]) == ("investment", "李娜")  # the call's
    assert "chosen: A2" in (root / "engagements" / BLUEWAVE / "applicants.md").read_text("utf-8")
    assert run("validate", "2026-021-hengruida-bio", "--root", str(root)).exit_code == 0
    assert run("choose", BLUEWAVE, "A2", "--new", "x", "--root", str(root)).exit_code == 2  # no --title
