"""Exports (.ics, .xlsx) and reminders (due by owner, stale engagements from git)."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
from icalendar import Calendar

from conftest import REPO, copy_samples
from docgen.tracking.reminders import due_by_owner, stale
from docgen.workspace.load import load_portfolio

TODAY = date(2026, 11, 26)


def test_ics_events_parse_with_stable_uids(run, tmp_path: Path) -> None:
    out = tmp_path / "a.ics"
    assert run("export", "ics", "-o", str(out), "--root", str(REPO)).exit_code == 0
    cal = Calendar.from_ical(out.read_bytes())
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    m1 = events["2025-014-hengtong-logistics/milestone/M3@docgen"]
    assert m1.decoded("dtstart") == date(2027, 6, 30)
    assert "入驻率达 75%" in str(m1["summary"])
    assert "2025-014-hengtong-logistics/meeting/2026-03-10-kickoff@docgen" in events
    assert "2026-005-bluewave-biopharma/item/agreement.legal-review@docgen" in events
    assert "2026-008-huaxin-storage/action/2026-09-18-term-talks/2@docgen" in events
    # done action items are not reminders
    assert "2026-008-huaxin-storage/action/2026-09-18-term-talks/1@docgen" not in events
    again = tmp_path / "b.ics"
    run("export", "ics", "-o", str(again), "--root", str(REPO))
    assert again.read_bytes() == out.read_bytes()


def test_xlsx_sheets_rows_filters_frozen_headers(run, tmp_path: Path) -> None:
    out = tmp_path / "track.xlsx"
    assert run("export", "xlsx", "-o", str(out), "--root", str(REPO)).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["项目", "任务", "风险", "KPI"]
    projects = book["项目"]
    assert projects.max_row == 1 + 7
    assert projects.freeze_panes == "A2" and projects.auto_filter.ref == projects.dimensions
    names = {row[1] for row in projects.iter_rows(min_row=2, values_only=True)}
    assert "恒通智慧物流园区合资运营项目" in names
    risks = list(book["风险"].iter_rows(min_row=2, values_only=True))
    assert ("2025-014-hengtong-logistics", "R2") in {(r[0], r[1]) for r in risks}
    assert next(r for r in risks if r[1] == "R2" and r[0].startswith("2025"))[6] == 16
    kpi_rows = list(book["KPI"].iter_rows(min_row=2, values_only=True))
    assert ("2025-014-hengtong-logistics", "K1", "2026-Q4", 62) in {(r[0], r[1], r[7], r[8]) for r in kpi_rows}


def test_due_by_owner_groups_overdue_and_upcoming() -> None:
    groups = due_by_owner(load_portfolio(REPO), TODAY, 14)
    assert [r.item.title for r in groups["郑雅琴"]] == ["蓝波提供海外专利清单及许可协议"]
    assert all(r.item.due <= date(2026, 12, 10) for items in groups.values() for r in items)
    # terminated and renewed engagements remind nobody
    assert not any(r.engagement.startswith(("2024-003", "2023-009")) for v in groups.values() for r in v)


def test_stale_engagements_from_git_history(tmp_path: Path, monkeypatch) -> None:
    copy_samples(tmp_path, parts=("mkdocs.yml", "templates"))
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-09-01T10:00:00", "GIT_COMMITTER_DATE": "2026-09-01T10:00:00"}

    def git(*args: str, env: dict[str, str] = env) -> None:
        subprocess.run(["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@e", *args],
                       check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "old")
    index = tmp_path / "engagements/2025-014-hengtong-logistics/index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n更新\n", encoding="utf-8")
    recent = {**env, "GIT_AUTHOR_DATE": "2026-11-20T10:00:00", "GIT_COMMITTER_DATE": "2026-11-20T10:00:00"}
    git("commit", "-qam", "recent", env=recent)
    found = {s.engagement: s for s in stale(load_portfolio(tmp_path), TODAY)}
    # negotiation allows 30 days, preparation 45, establishment 30: all three rot since 09-01
    assert set(found) == {"2026-008-huaxin-storage", "2026-011-lingyun-robotics", "2026-005-bluewave-biopharma"}
    assert found["2026-008-huaxin-storage"].last_change == date(2026, 9, 1)
    assert found["2026-008-huaxin-storage"].limit_days == 30


def test_status_due_cli(run) -> None:
    result = run("--lang", "zh", "status", "--due", "2w", "--root", str(REPO))
    assert result.exit_code == 0
    assert "郑雅琴（1 项）" in result.out
    assert run("status", "--due", "soon", "--root", str(REPO)).exit_code == 2
