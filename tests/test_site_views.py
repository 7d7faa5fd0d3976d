"""The site's views as data, without HTML: what each page will show."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from conftest import REPO
from docgen.core.history import History
from docgen.core.i18n import catalogue
from docgen.domain.process import load_process
from docgen.site import charts, views
from docgen.site.engagement import engagement_page
from docgen.site.procedure import procedure
from docgen.workspace.load import load_portfolio

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def portfolio():  # type: ignore[no-untyped-def]
    return load_portfolio(REPO)


def test_the_funnel_counts_every_engagement_at_its_stage(portfolio) -> None:  # type: ignore[no-untyped-def]
    rows = views.portfolio_rows(portfolio)
    view = views.dashboard(rows, portfolio.process, TODAY, catalogue("zh"), "")
    by_stage = {s.id: s for s in view.stages}
    assert sum(s.total for s in view.stages) == len(rows) == 7
    # 合作评估与优化: one terminated and one renewed, no longer hidden as 0
    assert by_stage["evaluation"].by_status == {"terminated": 1, "renewed": 1}
    expected = Counter((r.status.stage_id, r.status.status) for r in rows)
    assert Counter({(s.id, k): n for s in view.stages for k, n in s.by_status.items()}) == expected
    # 6 of 7 reached 合作洽谈 or later: the share of those at 前期准备 or beyond that went on
    assert by_stage["preparation"].onward == pytest.approx(6 / 7)
    # the lead lost in 合作洽谈 is counted there as lost, and listed with its reason
    assert by_stage["negotiation"].by_status == {"active": 1, "lost": 1}
    assert [(lead.title, lead.stage, str(lead.closed)) for lead in view.lost] == [
        ("云帆航运华东区域代理合作", "合作洽谈", "2026-11-20")
    ]
    assert view.lost[0].reason.startswith("对方坚持苏南五市独家代理")
    assert by_stage["evaluation"].onward is None
    assert [label for _, label in view.statuses][:2] == ["进行中", "暂停"]


def test_an_engagement_page_says_how_it_ended(portfolio) -> None:  # type: ignore[no-untyped-def]
    rows = {r.e.id: r for r in views.portfolio_rows(portfolio)}
    page = engagement_page(rows["2024-003-jinghua-materials"], portfolio.process, History(), [],
                           catalogue("zh"))
    assert page.closing is not None and page.closing.label == "已终止"
    assert page.closing.reason and "产品线调整" in page.closing.reason
    assert [s.state for s in page.steps] == ["done"] * 5  # closed at its last stage
    assert all(c.passed for c in page.checklists)  # every checklist folded
    hengtong = engagement_page(rows["2025-014-hengtong-logistics"], portfolio.process, History(), [],
                               catalogue("zh"))
    assert [s.state for s in hengtong.steps] == ["done", "done", "done", "current", "upcoming"]
    assert [c.passed for c in hengtong.checklists] == [True, True, True, False]
    assert ("我方投入", "6,000 万元") in [(catalogue("zh")(k), v) for k, v in hengtong.terms]


def test_procedure_gates_are_said_in_words() -> None:
    for language in ("zh", "en"):
        name = "process.yml" if language == "zh" else "process.en.yml"
        process = load_process(REPO / "src/docgen/data" / name, name)
        view = procedure(process, catalogue(language))
        checks = [g.checks for s in view.stages for g in s.entry + s.gates]
        assert len(checks) >= 8
        kinds = {"required_items", "items_done", "fields_present", "high_risks_handled",
                 "document_status", "kpis_with_targets", "plan_with_owners"}
        assert not [c for c in checks if c in kinds or "_" in c], checks
    zh = procedure(load_process(REPO / "src/docgen/data/process.yml", "process.yml"), catalogue("zh"))
    establishment = zh.stages[2]
    assert any("法律顾问审核" in g.checks for g in establishment.gates)
    assert any(g.checks == "合作协议已建档，且至少为「已签署」。" for g in establishment.gates)


def test_kpi_axis_tells_close_values_apart() -> None:
    low, high, step = charts._axis([94.2, 96.5, 97.1, 98.0, 91.0])
    assert 85 <= low <= 91 and 98 <= high <= 100 and step in (1, 2, 2.5)
    assert charts._axis([48, 62, 75, 0])[0] == 0  # widely spread: from zero
    assert charts._axis([3.9, 3.4, 3.1, 2.8, 3.6])[0] >= 2


def test_notes_stay_text_and_sit_below_the_page_headings() -> None:
    html = views.notes_html("## 项目概况\n\n<script>x</script> **要点**")
    assert "<h4>项目概况</h4>" in html and "<script>" not in html and "<strong>要点</strong>" in html


def test_chart_text_widths_are_upper_estimates() -> None:
    assert charts.text_width("合作执行与监控", 13) == 13 * 7
    assert charts.text_width("2026-Q3", 11) == pytest.approx(11 * 0.62 * 7)


def test_headings_become_markdown_with_its_specials_neutralised() -> None:
    from docgen.site.registry import SitePage

    page = SitePage("p.md", "P", '<h2 id="x">1. 合作*洽谈_[a]{b}</h2><p>正文</p>', search=True)
    assert "\n## 1. 合作&#42;洽谈&#95;&#91;a&#93;&#123;b&#125;\n" in page.text
    hidden = SitePage("q.md", "Q", "<h2>标题</h2>", hide=("toc",))
    assert "## " not in hidden.text and "<h2>标题</h2>" in hidden.text


def test_a_closed_cooperation_has_nothing_overdue_and_its_risks_are_history(portfolio) -> None:  # type: ignore[no-untyped-def]
    """Issue 27: 云帆 (lost) showed 逾期 1; 京华's (terminated) risk was a 高风险 on the dashboard."""
    rows = views.portfolio_rows(portfolio)
    by_id = {r.e.id: r for r in rows}
    lost = by_id["2026-006-yunfan-shipping"]
    assert lost.status.status == "lost" and lost.status.open_items == []
    assert lost.status.overdue(TODAY) == [] and lost.status.next_due(TODAY) is None
    view = views.dashboard(rows, portfolio.process, TODAY, catalogue("zh"), "")
    live = [r for r in rows if r.status.status in ("active", "on-hold", "renewed")]
    assert view.overdue == sum(len(r.status.overdue(TODAY)) for r in live)
    threshold = portfolio.process.risk.high_threshold
    expected_high = sum(
        1 for r in live for risk in (r.e.risks.data.risks if r.e.risks else [])
        if risk.status != "closed" and risk.score >= threshold
    )
    terminated = by_id["2024-003-jinghua-materials"]
    assert terminated.e.risks and any(
        k.status != "closed" and k.score >= threshold for k in terminated.e.risks.data.risks
    ), "the sample keeps an open high risk of the terminated cooperation"
    assert view.high_risks == expected_high
    assert sum(view.heat.values()) == sum(
        1 for r in live for risk in (r.e.risks.data.risks if r.e.risks else []) if risk.status != "closed"
    )


def test_a_renewed_cooperation_shows_the_term_in_force(portfolio) -> None:  # type: ignore[no-untyped-def]
    """Issue 27: 海芯 showed its expired first term as 合作条款; the current one nowhere."""
    rows = {r.e.id: r for r in views.portfolio_rows(portfolio)}
    t = catalogue("zh")
    page = engagement_page(rows["2023-009-haixin-semiconductor"], portfolio.process, History(), [], t)
    terms = {t(k): str(v) for k, v in page.terms}
    assert "第 2 期" in terms["合作期限"] and "2026-09-15" in terms["合作期限"]
    assert "2029-09-14" in terms["合作期限"] and "2026-09-14" not in terms["合作期限"]
    assert "车规级功率模块" in terms["合作范围"]
    # a licence is paid by royalties: the renewal's own payments are the money in force
    assert "续约许可费：我方 → 海芯半导体，500 万元（2026-10-15）" in terms["付款安排"], terms
    assert "按授权产品销售额的 3.5% 按季度结算" in terms["付款安排"] and "4%" not in terms["付款安排"]
    assert "提成比例由销售额的 4% 调整为 3.5%" in terms["续约变更"]
    # the first term is history, in the 合作期次 table
    assert [(r.number, str(r.end)) for r in page.term_history] == [(1, "2026-09-14"), (2, "2029-09-14")]


def test_the_procedure_page_says_what_ending_renewing_and_closing_need() -> None:
    """Issue 27: 资源清算 was marked optional though terminating requires it."""
    process = load_process(REPO / "src/docgen/data/process.yml", "process.yml")
    view = procedure(process, catalogue("zh"))
    items = {i.title: i for s in view.stages for step in s.steps for i in step.items}
    settle = next(i for title, i in items.items() if "资源清算" in title)
    assert not settle.required and settle.needed_for == ["终止合作"]
    assert [tr.title for tr in view.transitions] == ["合作未达成", "终止合作", "续约"]
    terminate = view.transitions[1]
    assert any("资源清算" in g.checks and "债权债务" in g.checks for g in terminate.gates)
    # every item a transition's rule names is marked, by the same rules the gates use
    named = {i for tr in process.transitions.values() for r in tr.gate for i in getattr(r, "items", [])}
    marked = sum(1 for i in items.values() if i.needed_for)
    assert marked == len(named)


def test_a_term_target_is_charted_against_the_running_total(portfolio) -> None:  # type: ignore[no-untyped-def]
    """Issue 27: 海芯's yearly sales were plotted against the term's 18,000 万元 target."""
    rows = {r.e.id: r for r in views.portfolio_rows(portfolio)}
    page = engagement_page(rows["2023-009-haixin-semiconductor"], portfolio.process, History(), [],
                           catalogue("zh"))
    sales = next(k for k in page.kpis if k.metric == "授权产品销售额")
    assert sales.cumulative and sales.target == 18000
    assert sales.periods == [("2024", 5200), ("2025", 14300), ("2026", 21200)]
    assert sales.latest == 21200
    yields = next(k for k in page.kpis if k.metric == "封装良率")  # a target each period meets
    assert not yields.cumulative and yields.periods[-1] == ("2026-Q3", 97.6)


def test_an_engagement_page_opens_with_where_it_stands(portfolio) -> None:  # type: ignore[no-untyped-def]
    """Issue 27: the page opened on registration facts, marked nothing overdue, named no one."""
    later = date(2026, 12, 20)
    rows = {r.e.id: r for r in views.portfolio_rows(portfolio)}
    row = rows["2026-005-bluewave-biopharma"]
    page = engagement_page(row, portfolio.process, History(), [], catalogue("zh"), today=later)
    assert page.standing is not None
    late = row.status.overdue(later)
    assert len(page.standing.overdue) == len(late) > 0
    assert page.standing.next_due is None or page.standing.next_due[0] >= later
    rows_by_title = {r.title: r for c in page.checklists for r in c.rows}
    flagged = [r for r in rows_by_title.values() if r.overdue]
    assert flagged and all(r.state == "open" and r.due and r.due < later for r in flagged)
    assert {d.ref for d in late if d.kind == "item"}  # the sample's 背景调查, due 2026-12-18
    done = [r for r in rows_by_title.values() if r.state == "done"]
    states = {i: st for f in row.e.stages.values() for i, st in f.data.checklist.items()}
    assert any(r.by for r in done) and all(
        r.by is None or r.by in {st.by for st in states.values() if st} for r in done
    )
    # a cooperation that ended has nothing overdue on its page either
    lost = engagement_page(rows["2026-006-yunfan-shipping"], portfolio.process, History(), [],
                           catalogue("zh"), today=later)
    assert lost.standing is not None and lost.standing.overdue == []
    assert not any(r.overdue for c in lost.checklists for r in c.rows)


def test_evidence_and_minutes_are_named_as_people_name_them(portfolio, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 26: the page showed documents/cooperation-agreement.md and 会议纪要（2026-03-10-kickoff）."""
    from docgen.site.documents import document_files

    rows = {r.e.id: r for r in views.portfolio_rows(portfolio)}
    page = engagement_page(rows["2023-009-haixin-semiconductor"], portfolio.process, History(), [],
                           catalogue("zh"))
    evidence = {r.title[:6]: r.evidence for c in page.checklists for r in c.rows if r.evidence}
    assert evidence["双方签字盖章"] == "合作协议" and evidence["对候选合作伙"] == "尽职调查报告"
    assert evidence["组织双方团队"] == "首期合作复盘暨续约启动会（2026-09-30）"
    assert evidence["协议需经法律"] == "legal-review-opinion.md"  # a file of the team's own: its name
    assert not [v for v in evidence.values() if "/" in v]
    partner = engagement_page(rows["2023-009-haixin-semiconductor"], portfolio.process, History(), [],
                              catalogue("zh"), hide_internal_items=True)
    assert not [r for c in partner.checklists for r in c.rows if r.evidence]  # our files stay ours
    e = next(x for x in portfolio.engagements if x.meetings)
    meeting = e.meetings[0]
    stem = meeting.path.rsplit("/", 1)[1].removesuffix(".md")
    (tmp_path / e.id).mkdir()
    (tmp_path / e.id / f"meeting-minutes-{stem}.docx").write_bytes(b"")
    [minutes] = document_files(tmp_path, e)
    assert minutes.label == f"{meeting.data.date} {meeting.data.title}"
