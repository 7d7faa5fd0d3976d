"""Values written as the titles people see are read as their ids, and writers write ids."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from conftest import TODAY, copy_samples
from docgen.edits.workflow import apply, plan_advance
from docgen.workspace.load import load_portfolio

HENGTONG = "2025-014-hengtong-logistics"
HUAXIN = "2026-008-huaxin-storage"


def _replace(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text("utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")


@pytest.fixture
def titled(tmp_path: Path) -> Path:
    """恒通 with every value that has an id written as a title, in Chinese or English."""
    root = copy_samples(tmp_path, (HENGTONG, HUAXIN))
    e = root / "engagements" / HENGTONG
    _replace(e / "index.md", ("mode: joint-venture", "mode: 合资"),
             ("stage: execution", "stage: 合作执行与监控"), ("status: active", "status: 进行中"),
             ("  size: large", "  size: 大型企业"))
    _replace(e / "kpis.md", ("direction: down", "direction: 越低越好"),
             ("frequency: monthly", "frequency: 月度"), ("frequency: quarterly", "frequency: Quarterly"))
    risks = (e / "risks.md").read_text("utf-8")
    category = risks.split("category: ", 1)[1].split("\n", 1)[0]
    titles = {c.id: c.title for c in load_portfolio(root).process.risk.categories}
    _replace(e / "risks.md", (f"category: {category}", f"category: {titles[category]}"))
    return root


def test_titles_are_accepted_as_ids(titled: Path, run) -> None:  # type: ignore[no-untyped-def]
    result = run("validate", "--format", "json", "--root", str(titled))
    assert result.exit_code == 0, result.out
    assert not [d for d in json.loads(result.out)["diagnostics"] if d["severity"] == "error"]
    e = load_portfolio(titled).get(HENGTONG)
    assert e.index is not None and e.kpis is not None and e.risks is not None
    data = e.index.data
    assert (data.mode, data.stage, data.status, data.partner.size) == (
        "joint-venture", "execution", "active", "large")
    assert {k.frequency for k in e.kpis.data.kpis} <= {"monthly", "quarterly"}
    assert "down" in {k.direction for k in e.kpis.data.kpis}
    categories = {c.id for c in load_portfolio(titled).process.risk.categories}
    assert {r.category for r in e.risks.data.risks} <= categories
    # the documents read the same as from the ids
    assert run("render", HENGTONG, "--root", str(titled)).exit_code == 0


def test_an_unknown_value_is_told_its_closest_title(titled: Path, run) -> None:  # type: ignore[no-untyped-def]
    e = titled / "engagements" / HENGTONG
    _replace(e / "index.md", ("mode: 合资", "mode: 合做"))
    _replace(e / "kpis.md", ("direction: 越低越好", "direction: 越低越号"))
    result = run("validate", "--format", "json", "--root", str(titled))
    found = {d["code"]: d for d in json.loads(result.out)["diagnostics"] if d["severity"] == "error"}
    assert found["unknown-mode"]["hint"] == "did you mean '合资' (joint-venture)?"
    assert found["unknown-mode"]["line"] == 21
    assert found["invalid-value"]["hint"] == "did you mean '越低越好' (down)?"


def test_writers_write_ids_and_keep_the_users_spelling_elsewhere(tmp_path: Path) -> None:
    root = copy_samples(tmp_path, (HUAXIN,))
    e = root / "engagements" / HUAXIN
    _replace(e / "index.md", ("mode: joint-venture", "mode: 合资"), ("stage: negotiation", "stage: 合作洽谈"))
    _replace(e / "negotiation.md", ("    owner: 张伟\n    due: 2026-12-15\n", "    done: 2026-11-20\n    by: 张伟\n"))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    plan = plan_advance(load_portfolio(root), HUAXIN, today=date.fromisoformat(TODAY))
    assert plan.allowed, [d.format() for d in plan.unmet]
    before = (e / "index.md").read_text("utf-8")
    apply(plan, root, force=True)
    after = (e / "index.md").read_text("utf-8")
    changed = [(a, b) for a, b in zip(before.split("\n"), after.split("\n"), strict=True) if a != b]
    assert changed == [("stage: 合作洽谈", "stage: establishment")]
    assert "mode: 合资" in after


def test_more_values_in_chinese(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    """Issue 26: 仲裁, 首次洽谈 (a meeting kind), KPI categories and 合作方 visibility were refused."""
    root = copy_samples(tmp_path, (HENGTONG, HUAXIN))
    e = root / "engagements" / HENGTONG
    _replace(e / "index.md", ("    method: arbitration", "    method: 仲裁"))
    _replace(e / "meetings/2026-03-10-kickoff.md", ("kind: kickoff", "kind: 启动会"))
    _replace(e / "meetings/2026-09-24-q3-review.md", ("kind: review", "kind: 项目评审会"))
    kpis = (e / "kpis.md").read_text("utf-8")
    _replace(e / "kpis.md", ("kpis:\n", "visibility: 合作方\nkpis:\n"))
    if "category: " in kpis:
        category = kpis.split("category: ", 1)[1].split(",", 1)[0].split("}", 1)[0].split("\n", 1)[0]
        labels = {"financial": "财务", "operational": "运营", "market": "市场", "social": "社会效益"}
        _replace(e / "kpis.md", (f"category: {category}", f"category: {labels[category.strip()]}"))
    result = run("validate", HENGTONG, "--format", "json", "--root", str(root))
    assert not [d for d in json.loads(result.out)["diagnostics"] if d["severity"] == "error"], result.out
    loaded = load_portfolio(root).get(HENGTONG)
    assert loaded.index is not None and loaded.kpis is not None
    assert loaded.index.data.terms.dispute_resolution.method == "arbitration"  # type: ignore[union-attr]
    assert {m.data.kind for m in loaded.meetings} >= {"kickoff", "review"}
    assert loaded.kpis.data.visibility == "partner"
    # an unknown one is told the titles it may be written as
    _replace(e / "meetings/2026-03-10-kickoff.md", ("kind: 启动会", "kind: 闲聊会"))
    said = run("validate", HENGTONG, "--root", str(root)).out
    assert "启动会" in said or "kickoff" in said, said


def test_payers_and_document_statuses_in_chinese(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    """Issue 26: payer 甲方 and a record's status 已批准 were refused."""
    root = copy_samples(tmp_path, (HENGTONG, HUAXIN))
    _replace(root / "engagements" / HENGTONG / "index.md",
             ("payer: us, amount: {amount: 45000000}", "payer: 甲方, amount: {amount: 4500万}"),
             ("payer: partner, amount: {amount: 50000000}", "payer: 乙方, amount: {amount: 5000万}"))  # fmt: skip
    _replace(root / "engagements" / HUAXIN / "documents" / "cooperation-plan.md", ("status: approved", "status: 已批准"))
    said = run("validate", "--format", "json", "--root", str(root))
    errors = [d for d in json.loads(said.out)["diagnostics"] if d["severity"] == "error"]
    assert not errors, errors
    loaded = load_portfolio(root)
    payments = loaded.get(HENGTONG).index.data.terms.payments  # type: ignore[union-attr]
    assert [(p.payer, p.amount.amount) for p in payments[:1]] == [("us", 45_000_000)]
    assert loaded.get(HUAXIN).documents["cooperation-plan"].data.status == "approved"


def test_party_a_and_b_follow_which_side_we_are(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    """甲方 is us only when we are 甲方: in 海芯's licence we are the 被许可方, 乙方."""
    haixin = "2023-009-haixin-semiconductor"
    root = copy_samples(tmp_path, (haixin,))
    _replace(root / "engagements" / haixin / "index.md",
             ("milestone: 首期许可费, kind: 许可使用费, payer: us", "milestone: 首期许可费, kind: 许可使用费, payer: 乙方"),
             ("milestone: 销售提成, kind: 提成, payer: us", "milestone: 销售提成, kind: 提成, payer: 被许可方, payee: 许可方"))  # fmt: skip
    said = run("validate", haixin, "--format", "json", "--root", str(root))
    assert not [d for d in json.loads(said.out)["diagnostics"] if d["severity"] == "error"], said.out
    terms = load_portfolio(root).get(haixin).index.data.terms  # type: ignore[union-attr]
    assert [(p.payer, p.receiver) for p in terms.payments] == [("us", "partner"), ("us", "partner")]
    # the same words in an engagement where we are 甲方 mean the other way round
    (tmp_path / "other").mkdir()
    hengtong = copy_samples(tmp_path / "other", (HENGTONG,))
    _replace(hengtong / "engagements" / HENGTONG / "index.md",
             ("payer: us, amount: {amount: 45000000}", "payer: 乙方, amount: {amount: 45000000}"))  # fmt: skip
    payments = load_portfolio(hengtong).get(HENGTONG).index.data.terms.payments  # type: ignore[union-attr]
    assert payments[0].payer == "partner"


def test_every_file_kind_is_named_from_the_one_list() -> None:
    """Issue 28: the kinds of engagement file are one list (model.ENGAGEMENT_FILES)."""
    from docgen.cms.config import FILE_KINDS as FORMS
    from docgen.domain.aliases import PLACES
    from docgen.domain.model import ENGAGEMENT_FILES, FILE_KINDS
    from docgen.edits.schemas import KINDS

    ids = {k.id for k in ENGAGEMENT_FILES}
    assert {kind for places in PLACES.values() for kind, _ in places} <= ids
    assert ids <= set(KINDS)  # each has its JSON Schema
    assert set(FORMS) <= set(FILE_KINDS) and set(FILE_KINDS) == {k.name for k in ENGAGEMENT_FILES if k.name}
