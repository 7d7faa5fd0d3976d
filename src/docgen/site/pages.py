"""The site's pages, made from a (possibly audience-filtered) portfolio.

Every page is a markdown file whose body is HTML blocks made by `docgen.site.html`, so
partner data is escaped text everywhere.  Navigation stays small whatever the portfolio:
the nav holds four section pages; engagement pages hang off list pages paginated by
stage, so no page carries the whole portfolio (Material writes the nav into every page).
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from markdown_it import MarkdownIt

from docgen import amounts
from docgen.control_chars import VISIBLE
from docgen.history import History
from docgen.load import Engagement, Portfolio
from docgen.model import version_key
from docgen.process import Process
from docgen.render.frozen import frozen_versions, previous_version, redline_name, version_name
from docgen.site import charts
from docgen.site.html import Html, block, esc, link, table
from docgen.status import EngagementStatus, engagement_status

PAGE_SIZE = 100  # engagements per list page
DASHBOARD_ROWS = 50
STATUS_ZH = {
    "active": "进行中",
    "on-hold": "暂停",
    "terminated": "已终止",
    "completed": "已完成",
    "renewed": "已续约",
}
DOC_STATUS_ZH = {"draft": "草稿", "review": "审核中", "approved": "已审批", "signed": "已签署"}
DISPUTE_ZH = {
    "negotiation": "协商",
    "mediation": "调解",
    "arbitration": "仲裁",
    "litigation": "诉讼",
}
RISK_STATUS_ZH = {"open": "未关闭", "mitigated": "已缓解", "occurred": "已发生", "closed": "已关闭"}
_NOTES = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


@dataclass(frozen=True)
class SitePage:
    """A generated page: where it goes, its title, its markdown, whether search indexes it."""

    path: str
    title: str
    body: str
    search: bool = True
    #: what search should find this page by, when not the whole page (see `search_text`)
    search_text: str = ""

    @property
    def text(self) -> str:
        """The page file: front matter, then the body (HTML blocks left in place)."""
        title = safe_title(self.title)
        meta = f'---\ntitle: "{title}"\n'
        if not self.search:
            meta += "search:\n  exclude: true\n"
        return meta + "---\n\n" + self.body


def safe_title(text: str) -> str:
    """A title that themes may print unescaped: markup characters made full-width."""
    table_: dict[int, str] = {
        **VISIBLE,
        **str.maketrans(
            {
                "<": "＜",
                ">": "＞",
                "&": "＆",
                '"': "＂",
                "'": "＇",
                "\\": "＼",
                "{": "｛",
                "}": "｝",
                "\n": " ",
            }
        ),
    }
    return text.translate(table_)


def slug(text: str) -> str:
    """A stable ASCII file name for Chinese text (tags, regions, owners)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


@dataclass
class _Row:
    e: Engagement
    status: EngagementStatus

    @property
    def url(self) -> str:
        return f"engagements/{self.e.id}/"


def site_pages(
    portfolio: Portfolio,
    today: date,
    history: History,
    documents: Callable[[Engagement], list[DocumentFile]],
    home: str = "index.md",
    hide_internal_items: bool = False,
    jobs: int = 1,
    left_out: list[str] = (),  # type: ignore[assignment]
) -> list[SitePage]:
    """Every generated page.

    ``documents(e)`` lists the rendered documents of ``e`` the audience may download
    (`DocumentFile`); ``home`` is where the dashboard goes;
    ``hide_internal_items`` leaves out checklist items the process marks internal.  With
    ``jobs`` > 1 and many engagements, a forked worker makes half the engagement pages.
    """
    process = portfolio.process
    rows = []
    for e in portfolio.engagements:
        status = engagement_status(e, process, detail=True)
        if status is not None:
            rows.append(_Row(e, status))
    rows.sort(key=lambda r: (r.status.stage_number, r.e.id))
    pages = [
        dashboard(rows, process, today, home, left_out),
        procedure_page(process),
    ]
    global _shared
    _shared = (rows, process, today, history, [documents(r.e) for r in rows], hide_internal_items)
    try:
        if jobs > 1 and len(rows) >= PARALLEL_PAGES and "fork" in mp.get_all_start_methods():
            half = len(rows) // 2
            # fork: the worker sees the portfolio as it is; only page text comes back
            with ProcessPoolExecutor(1, mp_context=mp.get_context("fork")) as pool:
                theirs = pool.submit(_engagement_pages, half, len(rows))
                pages += list_pages(rows, process, today) + browse_pages(rows, process, today)
                pages += _engagement_pages(0, half)
                pages += theirs.result()
        else:
            pages += list_pages(rows, process, today) + browse_pages(rows, process, today)
            pages += _engagement_pages(0, len(rows))
    finally:
        _shared = None
    return pages


PARALLEL_PAGES = 200
_shared: tuple[Any, ...] | None = None  # what a forked worker needs, set by site_pages


def _engagement_pages(start: int, stop: int) -> list[SitePage]:
    assert _shared is not None
    rows, process, today, history, documents, hide = _shared
    return [
        engagement_page(rows[i], process, today, history, documents[i], hide)
        for i in range(start, stop)
    ]


# --- shared pieces -------------------------------------------------------------------


def _root(depth: int) -> str:
    return "../" * depth


def _engagement_table(rows: Iterable[_Row], today: date, depth: int) -> Html:
    up = _root(depth)
    body = []
    for row in rows:
        s, data = row.status, row.e.index.data  # type: ignore[union-attr]
        current = next((p for p in s.progress if p.stage_id == s.stage_id), None)
        nxt = s.next_due(today)
        overdue = s.overdue(today)
        risk = s.top_risk
        body.append(
            [
                link(up + row.url, s.title),
                data.partner.name,
                s.stage_title
                if s.status == "active"
                else f"{s.stage_title}（{STATUS_ZH[s.status]}）",
                charts.progress_bar(current.ratio, s.stage_title) if current else "—",
                s.owner,
                f"{nxt.due} {nxt.title}" if nxt else "—",
                Html(f'<span class="docgen-overdue">{len(overdue)}</span>') if overdue else "0",
                f"{risk.title}（{risk.score}）" if risk else "—",
            ]
        )
    headers = ["项目", "合作方", "阶段", "进度", "负责人", "下一到期", "逾期", "最高风险"]
    return Html(f'<div class="docgen-list">{table(headers, body)}</div>')


def _facets(rows: list[_Row]) -> dict[str, dict[str, list[_Row]]]:
    """Kind (tag, mode, region, owner) → value → the engagements with it."""
    facets: dict[str, dict[str, list[_Row]]] = {k: defaultdict(list) for k in FACET_TITLES}
    for row in rows:
        data = row.e.index.data  # type: ignore[union-attr]
        for tag in dict.fromkeys(data.tags):
            facets["tag"][tag].append(row)
        facets["mode"][data.mode].append(row)
        facets["region"][data.partner.region or "未填写"].append(row)
        facets["owner"][data.owner].append(row)
    return facets


def _facet_index(facets: dict[str, dict[str, list[_Row]]], process: Process, depth: int) -> str:
    """Links to every facet page, most engagements first, with their counts."""
    modes = process.mode_titles
    parts = []
    for kind, values in facets.items():
        names = modes if kind == "mode" else {}
        items = "".join(
            f"<li>{link(f'{_root(depth)}browse/{kind}-{slug(v)}/', names.get(v, v))}"
            f"（{len(members)}）</li>"
            for v, members in sorted(values.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        )
        parts.append(f'<h3>{esc(FACET_TITLES[kind])}</h3><ul class="docgen-facets">{items}</ul>')
    return "".join(parts)


FACET_TITLES = {"tag": "标签", "mode": "合作模式", "region": "地区", "owner": "负责人"}


# --- pages ---------------------------------------------------------------------------


def dashboard(
    rows: list[_Row],
    process: Process,
    today: date,
    home: str,
    left_out: Sequence[str] = (),
) -> SitePage:
    """The portfolio at a glance: funnel, table, milestones, heat map, ways to narrow.

    ``left_out`` names engagements a ``publish --keep-going`` left out for their errors.
    """
    depth = home.count("/")
    active = [r for r in rows if r.status.status == "active"]
    by_stage = Counter(r.status.stage_id for r in active)
    funnel = charts.funnel([(s.title, by_stage.get(s.id, 0)) for s in process.stages])
    overdue = sum(len(r.status.overdue(today)) for r in rows)
    high = sum(
        1
        for r in rows
        if r.e.risks
        for risk in r.e.risks.data.risks
        if risk.status != "closed" and risk.score >= process.risk.high_threshold
    )
    cards = "".join(
        f'<div class="docgen-card"><div class="docgen-card-value">{v}</div>'
        f'<div class="docgen-card-label">{esc(k)}</div></div>'
        for k, v in (
            ("项目总数", len(rows)),
            ("进行中", len(active)),
            ("逾期事项", overdue),
            ("高风险", high),
        )
    )
    urgent = sorted(
        rows,
        key=lambda r: (
            -len(r.status.overdue(today)),
            _next_due_date(r.status, today),
            r.e.id,
        ),
    )[:DASHBOARD_ROWS]
    milestones = sorted(
        (m.due, m.title, r.status.title)
        for r in rows
        if r.status.status in ("active", "renewed") and r.e.plan
        for m in r.e.plan.data.milestones
        if not m.done
    )[:12]
    cells: Counter[tuple[int, int]] = Counter()
    for r in rows:
        for risk in r.e.risks.data.risks if r.e.risks else []:
            if risk.status != "closed":
                cells[(risk.probability, risk.impact)] += 1
    narrow = _facet_index(_facets(rows), process, depth)
    more = (
        f"<p>按紧急程度列出前 {DASHBOARD_ROWS} 个项目；"
        f"{link(_root(depth) + 'engagements/', '全部项目')}按阶段列出。</p>"
        if len(rows) > DASHBOARD_ROWS
        else ""
    )
    warning = (
        block(
            '<div class="admonition failure"><p class="admonition-title">'
            f"{len(left_out)} 个项目有错误，未发布</p><p>"
            + "、".join(esc(name) for name in left_out)
            + "：运行 <code>docgen validate</code> 查看并修正后重新发布。</p></div>"
        )
        if left_out
        else ""
    )
    body = (
        f'# 项目总览\n\n<p class="docgen-asof">数据截至 {esc(today)}</p>\n'
        + warning
        + block(f'<div class="docgen-cards">{cards}</div>')
        + "## 各阶段项目\n"
        + block(funnel)
        + "## 项目一览\n"
        + block(_engagement_table(urgent, today, depth) + more)
        + "## 近期里程碑\n"
        + block(charts.timeline(milestones, today) if milestones else "<p>没有未完成的里程碑。</p>")
        + "## 风险热力图\n"
        + block(
            charts.heatmap(cells, process.risk.high_threshold)
            + "<p>格中数字为未关闭风险的个数；红框为高风险区"
            + f"（概率 × 影响 ≥ {process.risk.high_threshold}）。</p>"
        )
        + "## 分类浏览\n"
        + block(narrow)
    )
    return SitePage(home, "项目总览", body, search=False)


def _next_due_date(status: EngagementStatus, today: date) -> date:
    due = status.next_due(today)
    return due.due if due else date.max


def _paged(folder: str, name: str, title: str, rows: list[_Row], today: date) -> list[SitePage]:
    """``folder/name``, ``folder/name-2`` …: the rows in pages of PAGE_SIZE with a pager."""
    chunks = [rows[i : i + PAGE_SIZE] for i in range(0, len(rows), PAGE_SIZE)] or [[]]

    def stem(k: int) -> str:
        return name if k == 1 else f"{name}-{k}"

    pager = " ".join(link(f"../{stem(k)}/", f"第 {k} 页") for k in range(1, len(chunks) + 1))
    pages = []
    for n, chunk in enumerate(chunks, 1):
        body = f"# {esc(title)}\n\n" + block(
            _engagement_table(chunk, today, 2) + (f"<p>{pager}</p>" if len(chunks) > 1 else "")
        )
        label = f"{title}（第 {n} 页）" if n > 1 else title
        pages.append(SitePage(f"{folder}/{stem(n)}.md", label, body, search=False))
    return pages


def list_pages(rows: list[_Row], process: Process, today: date) -> list[SitePage]:
    """engagements/: counts by stage, and each stage's engagements in pages of PAGE_SIZE."""
    pages = []
    sections = []
    for stage in process.stages:
        members = [r for r in rows if r.status.stage_id == stage.id]
        pages += _paged("engagements", f"stage-{stage.id}", stage.title, members, today)
        sections.append(
            f"<li>{link(f'stage-{stage.id}/', stage.title)}：{len(members)} 个项目</li>"
        )
    pages.append(
        SitePage(
            "engagements/index.md",
            "项目一览",
            "# 项目一览\n" + block(f"<ul>{''.join(sections)}</ul>"),
            search=False,
        )
    )
    return pages


def browse_pages(rows: list[_Row], process: Process, today: date) -> list[SitePage]:
    """browse/: the engagements of each tag, mode, region and owner, paginated."""
    facets = _facets(rows)
    modes = process.mode_titles
    pages = []
    for kind, values in facets.items():
        for value, members in values.items():
            label = modes.get(value, value) if kind == "mode" else value
            title = f"{FACET_TITLES[kind]}：{label}"
            pages += _paged("browse", f"{kind}-{slug(value)}", title, members, today)
    index = _facet_index(facets, process, 1)
    pages.append(
        SitePage("browse/index.md", "分类浏览", "# 分类浏览\n" + block(index), search=False)
    )
    return pages


def procedure_page(process: Process) -> SitePage:
    """The procedure as the process file defines it: stages, steps, items, gates, documents."""
    parts = [f"# {esc(process.title)}\n"]
    docs_by_stage: dict[str, list[str]] = defaultdict(list)
    for kind in process.documents:
        docs_by_stage[kind.stage].append(kind.title)
    for number, stage in enumerate(process.stages, 1):
        parts.append(f"## {number}. {esc(stage.title)}\n")
        for step in stage.steps:
            items = "".join(
                f"<li>{esc(item.title)}"
                + ("" if item.required else "（可选）")
                + ("（须附证据）" if item.evidence else "")
                + "</li>"
                for item in step.items
            )
            phase = f"<small>{esc(step.phase)}</small> " if getattr(step, "phase", None) else ""
            parts.append(block(f"<h3>{phase}{esc(step.title)}</h3><ul>{items}</ul>"))
        gates = "".join(
            f"<li>{esc(getattr(rule, 'message', None) or rule.kind)}</li>" for rule in stage.gate
        )
        documents = "、".join(docs_by_stage.get(stage.id, [])) or "—"
        parts.append(
            block(
                f"<p><strong>本阶段文件</strong>：{esc(documents)}</p>"
                + (f"<p><strong>离开本阶段须满足</strong></p><ul>{gates}</ul>" if gates else "")
            )
        )
    modes = "、".join(m.title for m in process.modes)
    categories = "、".join(c.title for c in process.risk.categories)
    parts.append("## 合作模式与风险\n")
    parts.append(
        block(
            f"<p>合作模式：{esc(modes)}</p><p>风险类别：{esc(categories)}；"
            f"概率 × 影响 ≥ {process.risk.high_threshold} 为高风险，"
            "须有负责人、应对预案并升级上报。</p>"
        )
    )
    if process.policies:
        parts.append("## 注意事项\n")
        parts.append(
            block("<ul>" + "".join(f"<li>{esc(p.title)}</li>" for p in process.policies) + "</ul>")
        )
    return SitePage("procedure.md", process.title, "\n".join(parts))


def engagement_page(
    row: _Row,
    process: Process,
    today: date,
    history: History,
    documents: list[DocumentFile],
    hide_internal_items: bool = False,
) -> SitePage:
    """Everything about one engagement."""
    e, s = row.e, row.status
    assert e.index is not None
    data = e.index.data
    modes = process.mode_titles
    p = data.partner
    parts = [
        f"# {esc(data.title)}\n",
        block(
            f'<p class="docgen-badges"><span>{esc(s.stage_title)}</span>'
            f"<span>{esc(STATUS_ZH[data.status])}</span>"
            f"<span>{esc(modes.get(data.mode, data.mode))}</span>"
            + "".join(f"<span>{esc(t)}</span>" for t in data.tags)
            + "</p>"
            + (f"<p>{esc(data.summary)}</p>" if data.summary else "")
        ),
        "## 概况\n",
        block(
            table(
                ["项目", "内容"],
                [
                    ["项目编号", data.code],
                    ["合作方", p.name],
                    ["统一社会信用代码", p.credit_code],
                    ["法定代表人", p.legal_representative],
                    ["住所", p.address],
                    ["地区 / 行业", f"{p.region or '—'} / {p.industry or '—'}"],
                    [
                        "合作方联系人",
                        "、".join(f"{c.name}（{c.role}）" if c.role else c.name for c in p.contacts)
                        or None,
                    ],
                    ["负责人 / 团队", f"{data.owner} / {'、'.join(data.team) or '—'}"],
                    [
                        "立项 / 签约 / 启动 / 结束",
                        " / ".join(
                            str(d) if d else "—"
                            for d in (
                                data.dates.opened,
                                data.dates.signed,
                                data.dates.kickoff,
                                data.dates.closed,
                            )
                        ),
                    ],
                ],
            )
        ),
    ]
    t = data.terms
    terms_rows = [
        ["合作范围", t.scope],
        ["我方投入", amounts.short(t.investment)],
        ["合作方投入", amounts.short(t.partner_investment)],
        [
            "收益分配",
            f"我方 {t.profit_split.us:g}% / 合作方 {t.profit_split.partner:g}%"
            if t.profit_split
            else None,
        ],
        [
            "合作期限",
            f"{t.term_months} 个月（{t.start or '—'} 至 {t.end or '—'}）"
            if t.term_months
            else None,
        ],
        ["退出机制", t.exit_mechanism],
        [
            "争议解决",
            " ".join(
                x
                for x in (DISPUTE_ZH[t.dispute_resolution.method], t.dispute_resolution.institution)
                if x
            )
            if t.dispute_resolution
            else None,
        ],
        ["调整情形", "；".join(t.adjustment_triggers) or None],
    ]
    terms_rows = [r for r in terms_rows if r[1]]
    if terms_rows:
        parts += ["## 合作条款\n", block(table(["条款", "内容"], terms_rows))]
    if data.internal_notes or data.negotiation_position:
        parts += [
            "## 内部备注\n",
            block(
                (
                    f"<p><strong>谈判立场</strong>：{esc(data.negotiation_position)}</p>"
                    if data.negotiation_position
                    else ""
                )
                + (f"<p>{esc(data.internal_notes)}</p>" if data.internal_notes else "")
            ),
        ]
    if data.due_diligence:
        dd = data.due_diligence
        parts += [
            "## 尽职调查\n",
            block(
                table(
                    ["方面", "结论"],
                    [
                        [k, v]
                        for k, v in (
                            ("企业信用", dd.credit),
                            ("法律合规", dd.legal),
                            ("团队实力", dd.team),
                            ("财务状况", dd.finance),
                            ("第三方机构", dd.third_party),
                            ("结论", dd.conclusion),
                        )
                        if v
                    ],
                )
            ),
        ]
    parts += [
        "## 阶段进度\n",
        block(
            table(
                ["阶段", "进度", "已完成 / 必需"],
                [
                    [
                        pr.title,
                        charts.progress_bar(pr.ratio, pr.title),
                        f"{pr.settled} / {pr.required}",
                    ]
                    for pr in s.progress
                    if e.stages.get(pr.stage_id) or pr.stage_id == s.stage_id
                ],
            ),
        ),
    ]
    state_zh = {"done": "已完成", "waived": "不适用", "open": "未完成"}
    for stage in process.stages:
        items = s.checklist.get(stage.id)
        if not items or stage.id not in e.stages:
            continue
        checklist = e.stages[stage.id].data.checklist
        rows = []
        for item in items:
            if hide_internal_items and process.items[item.item_id][2].internal:
                continue
            state = checklist.get(item.item_id)
            evidence = state.evidence if state else None
            evidence_text = "、".join(
                [evidence] if isinstance(evidence, str) else list(evidence or [])
            )
            rows.append(
                [
                    item.title + ("" if item.required else "（可选）"),
                    state_zh.get(item.state, item.state),
                    item.owner,
                    item.due,
                    item.done,
                    evidence_text or None,
                ]
            )
        parts += [
            f"### {esc(stage.title)}检查清单\n",
            block(table(["检查项", "状态", "负责人", "截止", "完成", "证据"], rows)),
        ]
    if e.risks and e.risks.data.risks:
        cells: Counter[tuple[int, int]] = Counter(
            (r.probability, r.impact) for r in e.risks.data.risks if r.status != "closed"
        )
        categories = process.category_titles
        parts += [
            "## 风险\n",
            block(charts.heatmap(cells, process.risk.high_threshold, f"{data.title} 风险热力图")),
            block(
                table(
                    ["编号", "风险", "类别", "概率×影响", "负责人", "应对措施", "状态", "升级上报"],
                    [
                        [
                            r.id,
                            r.title,
                            categories.get(r.category, r.category),
                            f"{r.probability}×{r.impact}={r.score}",
                            r.owner,
                            r.response,
                            RISK_STATUS_ZH[r.status],
                            r.escalated,
                        ]
                        for r in sorted(e.risks.data.risks, key=lambda r: -r.score)
                    ],
                )
            ),
        ]
    if e.kpis and e.kpis.data.kpis:
        kpi_parts = []
        for k in e.kpis.data.kpis:
            periods = sorted(k.actuals.items())
            latest = periods[-1][1] if periods else None
            kpi_parts.append(
                block(
                    f"<h3>{esc(k.metric)}</h3>"
                    + charts.kpi_bars(periods, k.target, k.baseline, k.metric, k.unit or "")
                    + table(
                        ["合作前（基线）", "最新", "目标", "变化"],
                        [
                            [
                                k.baseline,
                                latest,
                                k.target,
                                f"{latest - k.baseline:+,.2f}".rstrip("0").rstrip(".")
                                if latest is not None and k.baseline is not None
                                else None,
                            ]
                        ],
                    )
                )
            )
        parts += ["## 关键绩效指标\n", *kpi_parts]
    if e.plan and (e.plan.data.tasks or e.plan.data.milestones):
        plan = e.plan.data
        parts += [
            "## 计划与里程碑\n",
            block(
                table(
                    ["编号", "任务", "负责人", "完成时限", "缓冲（天）", "交付标准", "状态"],
                    [
                        [t.id, t.title, t.owner, t.due, t.buffer_days, t.deliverable, t.status]
                        for t in plan.tasks
                    ],
                )
                + table(
                    ["编号", "里程碑", "计划日期", "完成", "负责人"],
                    [[m.id, m.title, m.due, m.done, m.owner] for m in plan.milestones],
                )
            ),
        ]
    if e.meetings:
        meeting_parts = []
        for m in sorted(e.meetings, key=lambda m: m.data.date, reverse=True):
            md = m.data
            decisions = "".join(f"<li>{esc(d)}</li>" for d in md.decisions)
            actions = (
                table(
                    ["行动项", "负责人", "时限", "完成"],
                    [[a.task, a.owner, a.due, a.done] for a in md.actions],
                )
                if md.actions
                else ""
            )
            meeting_parts.append(
                f"<h3>{esc(md.date)} {esc(md.title)}</h3>"
                f"<p>参会：{esc('、'.join(md.attendees) or '—')}</p>"
                + (f"<p><strong>决定</strong></p><ul>{decisions}</ul>" if decisions else "")
                + actions
                + (_notes_html(m.body) if m.body.strip() else "")
            )
        parts += ["## 会议\n", block("".join(meeting_parts))]
    if e.survey and e.survey.data.surveys:
        survey = e.survey.data.surveys[-1]
        titles = process.question_titles
        parts += [
            "## 满意度调查\n",
            block(
                f"<p>{esc(survey.date)}，有效问卷 {survey.respondents} 份。</p>"
                + table(
                    ["评价项目", "平均分", "样本数"],
                    [[titles.get(q, q), f"{r.mean:.2f}", r.n] for q, r in survey.questions.items()],
                )
            ),
        ]
    doc_rows = []
    for kind in process.documents:
        record = e.documents.get(kind.id)
        made = [d for d in documents if d.doc_id == kind.id]
        if record is None and not made:
            continue
        earlier = sorted(
            {v for v, _, _ in frozen_versions(e, kind.id)}
            - {record.data.version if record else None},
            key=version_key,
        )
        executed = record.data.executed if record and not hide_internal_items else None
        for found in made or [DocumentFile(kind.id, "", "", "", "", {})]:
            suffix, name, pdf = found.label, found.docx, found.pdf
            version = record.data.version if record else None
            versions: Any = version
            if record and record.data.amended_by:
                titles = {k.id: k.title for k in process.documents}
                by = "、".join(
                    f"{a.signed.isoformat()} {titles.get(a.document, a.document)} {a.version}"
                    for a in record.data.amended_by
                )
                versions = f"{version}（经{by}修改）"
            if earlier:
                older = "、".join(
                    link(f"documents/{found.earlier[v]}", v) if v in found.earlier else esc(v)
                    for v in earlier
                )
                versions = Html(f"{esc(versions)}（此前：{older}）")
            if found.redline:
                what = link(f"documents/{found.redline}", f"修订对照 {found.compared}")
                versions = Html(f"{esc(versions)}<br>{what}")
            doc_rows.append(
                [
                    kind.title + (f"（{suffix}）" if suffix else ""),
                    versions,
                    DOC_STATUS_ZH[record.data.status] if record else "未建档",
                    link(f"documents/{name}", "下载 .docx") if name else "—",
                    link(f"documents/{pdf}", "下载 PDF") if pdf else "—",
                    link(f"documents/executed/{Path(executed.file).name}", "签署扫描件")
                    if executed and not suffix
                    else "—",
                ]
            )
    if doc_rows:
        headers = ["文件", "版本", "状态", "Word", "PDF", "签署件"]
        parts += ["## 文件\n", block(table(headers, doc_rows))]
    revisions = history.for_files(_files_of(e), limit=15)
    if revisions:
        parts += [
            "## 修订历史\n",
            block(
                table(
                    ["日期", "修订人", "说明", "提交"],
                    [[r.when.date(), r.author, r.summary, r.short] for r in revisions],
                )
            ),
        ]
    if e.index.body.strip():
        parts += ["## 备注\n", block(_notes_html(e.index.body))]
    return SitePage(
        f"engagements/{e.id}/index.md",
        data.title,
        "\n".join(parts),
        search=False,
        search_text=search_text(e, process),
    )


def search_text(e: Engagement, process: Process) -> str:
    """What people look an engagement up by: names, places, terms, risks, meetings, files.

    Material's search would parse the whole page — tables, charts, the process's own
    checklist wording — which cost most of the build and bloated the index every reader
    downloads; the engagement's own words are indexed instead, once.
    """
    assert e.index is not None
    data = e.index.data
    p = data.partner
    modes = process.mode_titles
    kinds = process.document_kinds
    words: list[str | None] = [
        p.name,
        p.short_name,
        p.credit_code,
        p.region,
        p.industry,
        p.legal_representative,
        modes.get(data.mode, data.mode),
        data.owner,
        *data.team,
        *data.tags,
        data.code,
        data.summary,
        data.terms.scope,
        data.terms.exit_mechanism,
        *data.terms.adjustment_triggers,
        data.internal_notes,
        data.negotiation_position,
    ]
    if data.due_diligence:
        dd = data.due_diligence
        words += [dd.credit, dd.legal, dd.team, dd.finance, dd.third_party, dd.conclusion]
    for r in e.risks.data.risks if e.risks else []:
        words += [r.title, r.response, r.contingency, r.owner]
    for k in e.kpis.data.kpis if e.kpis else []:
        words.append(k.metric)
    for t in e.plan.data.tasks if e.plan else []:
        words += [t.title, t.owner]
    for m in e.meetings:
        words += [m.data.title, *m.data.decisions, *(a.task for a in m.data.actions)]
    words += [kinds[d].title if d in kinds else d for d in e.documents]
    return " ".join(w.strip() for w in words if w and w.strip())


def _notes_html(markdown: str) -> Html:
    """The team's own markdown notes as HTML; raw HTML in them stays text."""
    rendered = _NOTES.render(markdown)
    return Html(
        '<div class="docgen-notes">' + rendered.replace("\n\n", "\n").replace("\n", " ") + "</div>"
    )


def _files_of(e: Engagement) -> list[str]:
    files = []
    if e.index:
        files.append(e.index.path)
    files += [s.path for s in e.stages.values()]
    files += [x.path for x in (e.risks, e.kpis, e.plan, e.survey) if x is not None]
    files += [m.path for m in e.meetings] + [d.path for d in e.documents.values()]
    return files


class DocumentFile(NamedTuple):
    """A rendered document of an engagement, as the files beside each other in the output."""

    doc_id: str
    label: str  # "" for the Chinese text, "English", or a meeting's date
    docx: str
    pdf: str  # "" without a PDF (only approved and signed documents get one)
    redline: str  # "redlines/…docx" from the previous frozen version to this one, or ""
    earlier: dict[str, str]  # earlier frozen version → "versions/…docx"
    compared: str = ""  # the redline's versions: "1.0 → 1.1"


def document_files(out_dir: Path, e: Engagement) -> list[DocumentFile]:
    """The rendered .docx files of ``e`` in ``out_dir``, with PDFs, redlines and versions."""
    folder = out_dir / e.id
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.docx")):
        stem, _, language = path.stem.partition(".")
        suffix = "English" if language == "en" else ""
        doc_id = stem
        if stem.startswith("meeting-minutes-"):
            doc_id, suffix = "meeting-minutes", stem.removeprefix("meeting-minutes-")
        pdf = path.with_suffix(".pdf")
        frozen = [v for v, lang, _ in frozen_versions(e, doc_id) if lang == (language or "zh")]
        earlier = {}
        for version in frozen:
            name = version_name(e.id, path.name, version)
            if (out_dir / name).is_file():
                earlier[version] = name.removeprefix(f"{e.id}/")
        redline = compared = ""
        record = e.documents.get(doc_id)
        current = record.data.version if record else None
        before = previous_version(e, doc_id, language or "zh", current) if current else None
        if before is not None and current is not None:
            name = redline_name(e.id, path.name, before[0], current)
            if (out_dir / name).is_file():
                redline = name.removeprefix(f"{e.id}/")
                compared = f"{before[0]} → {current}"
        pdf_name = pdf.name if pdf.is_file() else ""
        found.append(DocumentFile(doc_id, suffix, path.name, pdf_name, redline, earlier, compared))
    return found
