"""close-lost: a lead that dies before signing closes with its reason, which the page, the
dashboard, the xlsx and status all show; a signed cooperation terminates instead."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from conftest import copy_samples

HUAXIN = "2026-008-huaxin-storage"
HENGTONG = "2025-014-hengtong-logistics"
REASON = "对方决定将 PACK 产线落地西南基地，不再在华东新建"


def test_a_lead_closes_as_lost_from_negotiation_with_its_reason(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = copy_samples(tmp_path, (HUAXIN, HENGTONG))
    result = run("close-lost", HUAXIN, "--reason", REASON, "--root", str(root))
    assert result.exit_code == 0, result.out + result.err
    index = (root / "engagements" / HUAXIN / "index.md").read_text("utf-8")
    assert "status: lost" in index and "  closed: 2026-11-26" in index
    assert f"lost_reason: {REASON}" in index
    assert run("validate", "--root", str(root)).exit_code == 0

    status = run("status", "--root", str(root))
    assert f"{HUAXIN}  Lost：{REASON}" in status.out
    assert f"Reason: {REASON}" in run("status", HUAXIN, "--root", str(root)).out

    sheet = tmp_path / "t.xlsx"
    run("export", "xlsx", "-o", str(sheet), "--root", str(root))
    projects = load_workbook(sheet)["项目"]
    header = [c.value for c in projects[1]]
    row = next(r for r in projects.iter_rows(min_row=2, values_only=True) if r[0] == HUAXIN)
    assert row[header.index("关闭原因")] == REASON and row[header.index("状态")] == "已流失"


def test_the_site_shows_why_a_lead_was_lost_internally_only(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = copy_samples(tmp_path, (HUAXIN, HENGTONG))
    index = root / "engagements" / HUAXIN / "index.md"
    index.write_text(index.read_text("utf-8").replace("visibility: internal", "visibility: partner"), "utf-8")
    assert run("close-lost", HUAXIN, "--reason", REASON, "--root", str(root)).exit_code == 0
    assert run("publish", "--root", str(root)).exit_code == 0
    site = root / "build" / "site"
    page = (site / "engagements" / HUAXIN / "index.html").read_text("utf-8")
    assert REASON in page
    dashboard = (site / "index.html").read_text("utf-8")
    assert "Leads lost, and why" in dashboard or "流失的线索及原因" in dashboard
    assert REASON in dashboard
    assert run("publish", "--audience", "partner", "--root", str(root)).exit_code == 0
    partner = root / "build" / "site-partner"
    texts = [p.read_text("utf-8") for p in partner.rglob("*.html")] + [
        p.read_text("utf-8") for p in partner.rglob("*.json")
    ]
    assert not any(REASON in text for text in texts)  # lost_reason is an internal field


def test_a_signed_cooperation_cannot_be_closed_as_lost(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = copy_samples(tmp_path, (HENGTONG,))
    result = run("close-lost", HENGTONG, "--reason", "x", "--root", str(root))
    assert result.exit_code == 1
    assert "is signed: a signed cooperation ends with 'docgen terminate'" in result.out
    assert "status: active" in (root / "engagements" / HENGTONG / "index.md").read_text("utf-8")


def test_a_lost_lead_has_nothing_overdue_anywhere(tmp_path: Path, run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = copy_samples(tmp_path)
    stage = root / "engagements/2026-006-yunfan-shipping/negotiation.md"
    assert "due: 2026-11-30" in stage.read_text("utf-8"), "an item the lost lead left open"
    monkeypatch.setenv("DOCGEN_TODAY", "2026-12-20")
    result = run("validate", "2026-006-yunfan-shipping", "--root", str(root))
    assert "overdue" not in result.out, result.out
    reminded = run("remind", "--root", str(root))
    assert "云帆" not in reminded.out, reminded.out
