"""Alerts before they are due: the term's end at the process's notice days, in status and
the calendar (with VALARM), and KPIs whose actual for an ended period is missing."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from icalendar import Calendar

from conftest import TODAY, copy_samples

HENGTONG = "2025-014-hengtong-logistics"
HAIXIN = "2023-009-haixin-semiconductor"


def _set_term_end(root: Path, end: date) -> None:
    index = root / "engagements" / HENGTONG / "index.md"
    text = index.read_text("utf-8")
    assert "  end: 2041-03-01" in text
    index.write_text(text.replace("  end: 2041-03-01", f"  end: {end.isoformat()}"), "utf-8")


def test_the_term_end_is_announced_on_the_notice_days(tmp_path: Path, run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = copy_samples(tmp_path, (HENGTONG,))
    today = date.fromisoformat(TODAY)
    end = today + timedelta(days=100)  # the 90-day notice falls in 10 days; 180 passed; 30 is far
    _set_term_end(root, end)
    result = run("status", "--due", "14d", "--root", str(root))
    notices = [line for line in result.out.splitlines() if "the term ends" in line]
    assert len(notices) == 1, result.out
    assert str(today + timedelta(days=10)) in notices[0] and "(90 days' notice)" in notices[0]
    assert f"the term ends {end}" in notices[0]
    # a notice is an alert, never an overdue item
    status = json.loads(run("status", "--format", "json", "--root", str(root)).out)
    assert status[0]["overdue"] == 0
    # on the day of the 30-day notice it is due that day, and the 90-day one is gone
    monkeypatch.setenv("DOCGEN_TODAY", str(end - timedelta(days=30)))
    later = run("status", "--due", "0d", "--root", str(root))
    assert f"{end - timedelta(days=30)}" in later.out and "(30 days' notice)" in later.out
    assert "(90 days' notice)" not in later.out


def test_the_calendar_has_the_notices_and_every_event_an_alarm(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = copy_samples(tmp_path, (HENGTONG,))
    end = date(2027, 6, 30)
    _set_term_end(root, end)
    result = run("export", "ics", "--root", str(root))
    calendar = Calendar.from_ical(result.out)
    events = list(calendar.walk("VEVENT"))
    assert events and all(len(list(e.walk("VALARM"))) == 1 for e in events)
    alarm = events[0].walk("VALARM")[0]
    assert alarm["action"] == "DISPLAY" and alarm["trigger"].dt == timedelta(hours=-15)
    starts = {str(e["uid"]): e["dtstart"].dt for e in events}
    for days in (180, 90, 30):
        assert starts[f"{HENGTONG}/term-{days}/{end}@docgen"] == end - timedelta(days=days)
    assert starts[f"{HENGTONG}/term-end/{end}@docgen"] == end


def test_a_missing_quarterly_actual_is_warned(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = copy_samples(tmp_path, (HAIXIN,))
    kpis = root / "engagements" / HAIXIN / "kpis.md"
    text = kpis.read_text("utf-8")
    assert ", 2026-Q3: 97.6}" in text
    kpis.write_text(text.replace(", 2026-Q3: 97.6}", "}"), "utf-8")
    result = run("validate", "--format", "json", "--root", str(root))
    found = [d for d in json.loads(result.out)["diagnostics"] if d["code"] == "kpi-actual-missing"]
    assert len(found) == 1, result.out
    assert found[0]["message"] == (
        "KPI 'K2' (封装良率) has no actual for 2026-Q3, ended; it is reported Quarterly"
    )
    assert found[0]["path"].endswith("kpis.md") and found[0]["line"] == 4
    # the approved evaluation report covers up to 2026-06-15: a later quarter never changes it
    assert not [d for d in json.loads(result.out)["diagnostics"] if d["code"] == "approved-document-changed"]
    kpis.write_text(text, "utf-8")
    assert run("validate", "--strict", "--root", str(root)).exit_code == 0


def test_the_evaluation_report_per_period_and_on_the_site(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    from docx_text import docx_text

    root = copy_samples(tmp_path, (HAIXIN, HENGTONG))
    result = run("render", "--period", "2026-Q3", "--root", str(root))
    assert result.exit_code == 0, result.out + result.err
    out = root / "build/documents"
    for engagement in (HAIXIN, HENGTONG):
        assert (out / engagement / "evaluation-report-2026-Q3.docx").is_file()
    text = docx_text(out / HAIXIN / "evaluation-report-2026-Q3.docx")
    assert "评估期间自2026年7月1日起至2026年9月30日止" in text
    assert "| 封装良率（%） | 91 | 97.6（2026年第三季度） |" in text  # as of the period: Q3's actual
    assert "草稿" in text  # a period's report is a draft of its own, never the approved one
    assert run("render", HAIXIN, "--doc", "evaluation-report", "--root", str(root)).exit_code == 0
    approved = docx_text(out / HAIXIN / "evaluation-report.docx")
    # the approved report ends 2026-06-15, before Q2 ends: its latest whole quarter is Q1
    assert "至2026年6月15日止" in approved and "| 封装良率（%） | 91 | 97.2（2026年第一季度） |" in approved
    assert run("render", "--period", "2026-Q5", "--root", str(root)).exit_code == 2
    assert run("publish", "--root", str(root)).exit_code == 0
    page = (root / "build/site/engagements" / HAIXIN / "index.html").read_text("utf-8")
    assert "evaluation-report-2026-Q3.docx" in page and "2026-Q3" in page


def test_the_calendar_speaks_the_workspaces_language(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = copy_samples(tmp_path, (HENGTONG,))
    zh = Calendar.from_ical(run("export", "ics", "--root", str(root)).out)
    assert "[恒通智慧物流园区合资运营项目] 里程碑：一期竣工" in {str(e["summary"]) for e in zh.walk("VEVENT")}
    assert str(zh["x-wr-calname"]) == "招商合作项目日程"
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("      timezone: Asia/Shanghai\n", "      timezone: Asia/Shanghai\n      language: en\n"),
        "utf-8",
    )
    calendar = Calendar.from_ical(run("export", "ics", "--root", str(root)).out)
    summaries = {str(e["summary"]) for e in calendar.walk("VEVENT")}
    assert "[恒通智慧物流园区合资运营项目] Milestone: 一期竣工" in summaries
    assert str(calendar["x-wr-calname"]) == "Engagement calendar"
