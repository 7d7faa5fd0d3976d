"""Chinese search: jieba segments the index, taught the domain's words.

Material for MkDocs segments the index with jieba when it is installed; the browser
splits a query into words and matches each against index tokens and their prefixes.
Terms jieba splits where a reader would not (尽职调查 → 尽职/调查报告) are taught to it;
compounds whose parts people also search alone (启动仪式) are left to jieba, since a
dictionary word hides its parts from search.  Partners' short names are added too.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docgen.core.atomic import write_atomic
from docgen.core.fingerprint import code_version, fingerprint
from docgen.core.i18n import Catalogue
from docgen.domain.engagement import Engagement
from docgen.domain.process import Process
from docgen.workspace.load import Portfolio

#: Terms of 招商合作 people search for whole.
DOMAIN_TERMS = (
    "招商",
    "招商合作",
    "招商公告",
    "尽职调查",
    "统一社会信用代码",
    "法律顾问",
    "资源清算",
    "债权债务",
    "升级上报",
    "应急预案",
    "会议纪要",
    "里程碑",
    "项目跟踪表",
    "技术授权",
)


def dictionary_text(portfolio: Portfolio) -> str:
    """The jieba user dictionary: the domain's terms and the partners' short names."""
    words = dict.fromkeys(DOMAIN_TERMS)
    for e in portfolio.engagements:
        if e.index is not None and e.index.data.partner.short_name:
            words[e.index.data.partner.short_name.strip()] = None
    return "".join(f"{w} 20000 n\n" for w in words if w and " " not in w)


def segmentation_key(portfolio: Portfolio) -> str:
    """What a text's segmentation depends on besides the text: the dictionary and the code."""
    return fingerprint(code_version(), dictionary_text(portfolio))


def user_dictionary(portfolio: Portfolio, path: Path) -> Path | None:
    """Write the jieba user dictionary to ``path`` and load it; None without jieba."""
    try:
        import jieba
    except ImportError:
        return None
    write_atomic(path, dictionary_text(portfolio), durable=False)
    jieba.setLogLevel(logging.WARNING)
    jieba.load_userdict(str(path))
    return path


_HAN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")


def segment(text: str) -> str:
    """Chinese runs cut into words and set apart with zero-width spaces, as Material does."""
    try:
        import jieba
    except ImportError:
        return text
    return _HAN.sub(lambda m: "\u200b" + "\u200b".join(jieba.cut(m.group(0))) + "\u200b", text)


def _with_zero_width_space(separator: str) -> str:
    """``separator`` that also splits at the zero-width spaces segmenting put between words.

    Material picks its separator by the theme's language, and only Chinese and Japanese
    ones split there; an English site of Chinese engagements would index whole sentences.
    """
    if "\\u200b" in separator or "\u200b" in separator:
        return separator
    if separator.startswith("["):
        return "[\\u200b" + separator[1:]
    return f"[\\u200b]+|{separator}"


def add_to_index(
    index_file: Path,
    entries: list[tuple[str, str, str]],
    cache_file: Path | None = None,
    kept: list[dict[str, Any]] = (),  # type: ignore[assignment]
    before_segmenting: Callable[[], None] = lambda: None,
    cache_key: str = "",
) -> bool:
    """Append (location, title, text) entries to Material's search_index.json.

    Segmenting is most of the cost; ``cache_file`` keeps each text's segmentation by its
    hash, under ``cache_key`` (`segmentation_key`: a new dictionary or new code segments
    every text anew), so an unchanged engagement is not segmented again
    (``before_segmenting`` is called before the first text that is).  ``kept``: entries
    of the last index, as they were, for pages this build did not render.
    """
    try:
        data = json.loads(index_file.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    cache: dict[str, str] = {}
    if cache_file is not None:
        try:
            loaded = json.loads(cache_file.read_text("utf-8"))
            if isinstance(loaded, dict) and loaded.get("key") == cache_key:
                texts = loaded.get("texts")
                cache = texts if isinstance(texts, dict) else {}
        except (OSError, ValueError):
            cache = {}
    used: dict[str, str] = {}

    def cut(text: str) -> str:
        key = fingerprint(text)
        if key not in cache:
            before_segmenting()
            cache[key] = segment(html.escape(text))
        used[key] = cache[key]
        return cache[key]

    config = data.get("config", {})
    config["separator"] = _with_zero_width_space(config.get("separator", r"[\s\-]+"))
    docs = data.setdefault("docs", [])
    docs += kept
    for location, title, text in entries:
        docs.append({"location": location, "title": cut(title), "text": cut(text)})
    write_atomic(
        index_file, json.dumps(data, ensure_ascii=False, separators=(",", ":")), durable=False
    )
    if cache_file is not None:
        kept_texts = {"key": cache_key, "texts": used}
        write_atomic(cache_file, json.dumps(kept_texts, ensure_ascii=False), durable=False)
    return True


#: Two fixes to Material's search worker for Chinese queries (squidfunk/mkdocs-material,
#: query/segment/index.ts and worker/_/index.ts, from its #3915).  The worker cuts a run
#: of Chinese characters into the index's own words, greedily:
#:
#: - its loop ``for (j = i + 1; j < query.length; j++)`` never tries a word that ends
#:   the query, so 资格审查 was searched as 资格* 审*: ``<=`` is the fix;
#: - it joins the words as alternatives (``资格* 审查*``), so a page holding only 审查
#:   ranked with the one holding 资格审查; each word of a run is now required
#:   (``+资格* +审查*``), as Material already does for a "quoted phrase".
#:
#: The minified code is found by its shape; `fix_query_segmentation` says when it was not.
_SEGMENT_LOOP = re.compile(
    r"for\(let (\w+)=(\w+)\+1;\1<(\w+)\.length;\1\+\+\)\3\.slice\(\2,\1\)in "
)
_SEGMENT_JOIN = re.compile(
    r"(\w+)=>\[\.\.\.(\w+)\(\1,this\.index\.invertedIndex\)\]\.join\(\"\* \"\)"
)


def fix_query_segmentation(site: Path) -> bool:
    """Patch the site's copy of Material's search worker; False if its code has changed."""
    workers = list((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    for worker in workers:
        code = worker.read_text("utf-8")
        code, loops = _SEGMENT_LOOP.subn(
            lambda m: (
                f"for(let {m[1]}={m[2]}+1;{m[1]}<={m[3]}.length;{m[1]}++)"
                f"{m[3]}.slice({m[2]},{m[1]})in "
            ),
            code,
        )
        code, joins = _SEGMENT_JOIN.subn(
            lambda m: f'{m[1]}=>"+"+[...{m[2]}({m[1]},this.index.invertedIndex)].join("* +")+"*"',
            code,
        )
        if loops != 1 or joins != 1:
            return False
        write_atomic(worker, code, durable=False)
    return bool(workers)


#: one search entry of an engagement: the anchor of its section (its tab), the section's
#: title in the site's language ("" for the overview) and the words it is found by
SearchSection = tuple[str, str, str]


def search_sections(e: Engagement, process: Process, t: Catalogue) -> list[SearchSection]:
    """What people look an engagement up by, section by section: a result per tab.

    Material's search would parse the whole page — tables, charts, the process's own
    checklist wording — which cost most of the build and bloated the index every reader
    downloads; the engagement's own words are indexed instead, once, each under the tab
    that shows them, so a result names its section and its link opens it (风险 finds the
    risks of 恒通 under 恒通 · 风险).
    """
    assert e.index is not None
    data = e.index.data
    p = data.partner
    terms = data.terms
    dispute = terms.dispute_resolution
    kinds = process.document_kinds
    overview: list[str | None] = [
        p.name,
        p.short_name,
        p.credit_code,
        p.region,
        p.industry,
        p.legal_representative,
        process.mode_titles.get(data.mode, data.mode),
        data.owner,
        *data.team,
        *data.tags,
        data.code,
        data.summary,
        terms.scope,
        terms.exit_mechanism,
        *terms.adjustment_triggers,
        dispute.institution if dispute else None,
        DISPUTE_WORDS.get(dispute.method) if dispute else None,
        data.termination_reason,
        data.internal_notes,
        data.negotiation_position,
    ]
    if data.due_diligence:
        dd = data.due_diligence
        overview += [dd.credit, dd.legal, dd.team, dd.finance, dd.third_party, dd.conclusion]
    overview.append(e.index.body)  # the team's notes, as the page shows them
    categories = {c.id: c.title for c in process.risk.categories}
    risks: list[str | None] = []
    for r in e.risks.data.risks if e.risks else []:
        risks += [r.title, categories.get(r.category, r.category), r.response, r.contingency]
        risks.append(r.owner)
    kpis: list[str | None] = [k.metric for k in (e.kpis.data.kpis if e.kpis else [])]
    plan: list[str | None] = []
    for task in e.plan.data.tasks if e.plan else []:
        plan += [task.title, task.owner, task.deliverable]
    plan += [m.title for m in (e.plan.data.milestones if e.plan else [])]
    meetings: list[str | None] = []
    for m in e.meetings:
        meetings += [m.data.title, *m.data.decisions, *(a.task for a in m.data.actions)]
    documents: list[str | None] = [kinds[d].title if d in kinds else d for d in e.documents]
    sections: list[tuple[str, str, list[str | None]]] = [
        ("", "", overview),
        ("risks", t("Risks"), risks),
        ("kpis", t("KPIs"), kpis),
        ("plan", t("Plan"), plan),
        ("meetings", t("Meetings"), meetings),
        ("documents", t("Documents"), documents),
    ]
    out: list[SearchSection] = []
    for anchor, title, words in sections:
        text = " ".join(w.strip() for w in words if w and w.strip())
        if text:
            out.append((anchor, title, text))
    return out


#: the dispute-resolution method as people search it, in both languages
DISPUTE_WORDS = {
    "negotiation": "协商 negotiation",
    "mediation": "调解 mediation",
    "arbitration": "仲裁 arbitration",
    "litigation": "诉讼 litigation",
}
