"""The site as readers see it, in Debian's chromium: layout, charts, tabs, search, offline.

Each check runs on the Chinese sample workspace and on the same workspace set to English
(``language: en``), at 1280 px and 390 px.  Screenshots of the dashboard and an engagement
page at both widths are kept in build/test-output/screenshots for review.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, TODAY, copy_samples
from docgen.pipeline.publish import publish
from system_tools import needs

pytestmark = needs("chromium")
CHROMIUM = "/usr/bin/chromium"
SHOTS = REPO / "build" / "test-output" / "screenshots"
HENGTONG = "engagements/2025-014-hengtong-logistics/"
HAIXIN = "engagements/2023-009-haixin-semiconductor/"
WIDTHS = (1280, 390)
LABELS = {
    "zh": {"overview": "项目总览", "tabs": ["概况", "进度", "风险", "关键绩效指标", "计划", "会议", "文件"]},
    "en": {"overview": "Portfolio overview",
           "tabs": ["Overview", "Progress", "Risks", "KPIs", "Plan", "Meetings", "Documents"]},
}


def _workspace(root: Path, language: str, offline: bool = False) -> Path:
    copy_samples(root)
    if language == "en":
        config = root / "mkdocs.yml"
        text = config.read_text("utf-8").replace("  language: zh", "  language: en")
        text = text.replace("      process: templates/process.yml",
                            "      process: templates/process.yml\n      language: en")
        config.write_text(text, "utf-8")
    report = publish(root, jobs=1, offline=offline)
    assert report.built, [d.format() for d in report.diagnostics if d.is_error]
    return report.site_dir


@pytest.fixture(scope="module", params=["zh", "en"])
def language(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def workspace(language: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    import os

    os.environ["DOCGEN_TODAY"] = TODAY
    root = tmp_path_factory.mktemp(f"browser-{language}")
    _workspace(root, language)
    return root


@pytest.fixture(scope="module")
def served(workspace: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(workspace / "build" / "site"))
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


# every <text> of every visible chart: its box against the viewBox, and its size on screen
_SVG_TEXT = """() => [...document.querySelectorAll('svg.docgen-chart')]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .flatMap(svg => {
    const vb = svg.viewBox.baseVal, scale = svg.getScreenCTM().a;
    return [...svg.querySelectorAll('text')].map(t => {
      // the text's box in the chart's own units, its rotation applied
      const b = t.getBBox(), m = svg.getScreenCTM().inverse().multiply(t.getScreenCTM());
      const corners = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height],
                       [b.x + b.width, b.y + b.height]]
        .map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
      const xs = corners.map(p => p.x), ys = corners.map(p => p.y);
      return {text: t.textContent,
              inside: Math.min(...xs) >= vb.x - 0.5 && Math.min(...ys) >= vb.y - 0.5
                && Math.max(...xs) <= vb.x + vb.width + 0.5
                && Math.max(...ys) <= vb.y + vb.height + 0.5,
              px: parseFloat(getComputedStyle(t).fontSize) * scale};
    });
  })"""


# how far the widest horizontal scroller in the visible section hides its content
_HIDDEN = """() => Math.max(0, ...[...document.querySelectorAll('.docgen-tabs .tabbed-block *')]
    .filter(e => e.getBoundingClientRect().height > 0
                 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
    .map(e => e.scrollWidth - e.clientWidth))"""


def _charts_fit(page, where: str) -> int:  # type: ignore[no-untyped-def]
    texts = page.evaluate(_SVG_TEXT)
    outside = [t["text"] for t in texts if not t["inside"]]
    assert not outside, f"{where}: SVG text outside its viewBox: {outside}"
    small = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < 10.5]
    assert not small, f"{where}: SVG text under 10.5 px on screen: {small}"
    return len(texts)


def test_dashboard_fits_and_counts_match_status(browser, served: str, workspace: Path,  # type: ignore[no-untyped-def]
                                                language: str, run) -> None:
    status = json.loads(run("status", "--format", "json", "--root", str(workspace)).out)
    expected = Counter((e["stage"], e["status"]) for e in status)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(served)
        assert LABELS[language]["overview"] in page.title()
        # the list never scrolls sideways, and the engagement's name is always there
        table = page.evaluate("""() => { const d = document.querySelector('.docgen-list');
            const scrollers = [d, ...d.querySelectorAll('*')].filter(e =>
                ['auto', 'scroll'].includes(getComputedStyle(e).overflowX));
            return {hidden: Math.max(0, ...scrollers.map(e => e.scrollWidth - e.clientWidth)),
                    scrollers: scrollers.length, page: document.documentElement.scrollWidth,
                    names: [...d.querySelectorAll('td.docgen-name')]
                        .map(n => n.getBoundingClientRect().width)}; }""")
        # Material wraps the table in a horizontal scroller: nothing may hide in it
        assert table["scrollers"] and table["hidden"] <= 1 and table["page"] <= width, (width, table)
        assert len(table["names"]) == len(status) and min(table["names"]) > 100, (width, table)
        assert _charts_fit(page, f"dashboard at {width}px") > 20
        funnel = page.eval_on_selector_all(
            ".docgen-funnel rect[data-status]",
            "rs => rs.map(r => [r.dataset.stage, r.dataset.status, +r.dataset.count])")
        shown = Counter()
        for stage, state, count in funnel:
            shown[(stage, state)] += count
        assert shown == expected, (shown, expected)  # closed engagements counted at their stage
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / f"dashboard-{language}-{width}.png"), full_page=True)
        page.close()


def test_engagement_sections_switch_and_charts_fit(browser, served: str, language: str) -> None:  # type: ignore[no-untyped-def]
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        for path in (HENGTONG, HAIXIN):
            page.goto(served + path)
            labels = page.eval_on_selector_all(".docgen-tabs .tabbed-labels label",
                                               "ls => ls.map(l => [l.id, l.textContent])")
            assert [text for _, text in labels] == [
                t for t in LABELS[language]["tabs"] if t in {text for _, text in labels}
            ] and len(labels) >= 6, labels
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            for i, (tab, _) in enumerate(labels):
                page.click(f"label#{tab}")
                visible = page.evaluate("""() => [...document.querySelectorAll('.docgen-tabs .tabbed-block')]
                    .map(b => b.getBoundingClientRect().height > 0)""")
                assert visible == [j == i for j in range(len(labels))], (tab, visible)
                _charts_fit(page, f"{path}#{tab} at {width}px")
                if width == 1280:  # on a desktop no table hides columns behind a scroll
                    hidden = page.evaluate(_HIDDEN)
                    assert hidden <= 1, (path, tab, hidden)
            if path == HENGTONG:
                page.click(f"label#{labels[0][0]}")
                page.wait_for_timeout(300)
                page.screenshot(path=str(SHOTS / f"engagement-{language}-{width}.png"), full_page=True)
        page.close()


def test_checklist_item_column_is_readable(browser, served: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(served + HENGTONG)
    page.click("label#progress")
    widths = page.evaluate("""() => [...document.querySelectorAll('details[open] .docgen-items td:first-child')]
        .map(td => td.getBoundingClientRect().width)""")
    assert widths and min(widths) > 400, widths  # was about 80 px beside columns of "—"
    page.close()


_LINKS = "[...document.querySelectorAll('.md-search-result__link')].map(a => a.href).join(' ')"


def _search(page, query: str, base: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The result links of ``query``, relative to the site's ``base`` URL."""
    before = page.evaluate(_LINKS)
    page.fill("input.md-search__input", query)
    page.press("input.md-search__input", "End")
    page.wait_for_function(f"b => ({_LINKS}) !== b && ({_LINKS}) !== ''", arg=before, timeout=15_000)
    page.wait_for_timeout(200)  # the list settles
    links = page.query_selector_all(".md-search-result__link")
    return [(a.get_attribute("href") or "").removeprefix(base) for a in links]


def test_compound_chinese_queries_find_the_right_page_first(browser, served: str, workspace: Path, language: str) -> None:  # type: ignore[no-untyped-def]
    requests: list[str] = []
    page = browser.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(served)
    BASE = served
    # 资格审查 is held by one page: the procedure (收集合作申请，进行初步资格审查…)
    hits = _search(page, "资格审查", BASE)
    assert hits[0].startswith("procedure/"), hits
    # 华信储能, the partner's full short name
    hits = _search(page, "华信储能", BASE)
    assert hits[0].startswith("engagements/2026-008-huaxin-storage/"), hits
    # 法律审查: both words are required, so no page holding only 审查 or only 法律 comes up
    hits = _search(page, "法律审查", BASE)
    assert any(h.startswith("engagements/2026-008-huaxin-storage/") for h in hits), hits
    index = json.loads((workspace / "build/site/search/search_index.json").read_text("utf-8"))
    text = {d["location"]: d["title"] + d["text"] for d in index["docs"]}
    for hit in hits:
        location = hit.split("?")[0]
        held = "".join(v for k, v in text.items() if k.split("#")[0] == location.split("#")[0])
        assert "法律" in held and "审查" in held, hit
    # the dispute-resolution text is indexed
    hits = _search(page, "仲裁", BASE)
    for engagement in ("2025-014-hengtong-logistics", "2023-009-haixin-semiconductor"):
        assert any(engagement in h for h in hits), hits
    # 风险 finds 恒通's risks, each engagement's under its own 风险 section, which opens it
    if language == "zh":
        hits = _search(page, "风险", BASE)
        risks = [h for h in hits if h.startswith(HENGTONG) and "#risks" in h]
        assert risks, hits
        titles = page.eval_on_selector_all(".md-search-result__link", "as => as.map(a => a.textContent)")
        titles = [x.replace("\u200b", "") for x in titles]
        assert any("恒通" in x and "区域电商物流需求下滑" in x for x in titles), titles
        page.click(f".md-search-result__link[href$='{risks[0]}']")
        page.wait_for_timeout(300)
        shown = page.evaluate("""() => [...document.querySelectorAll('.docgen-tabs .tabbed-labels label')]
            .filter(l => document.getElementById(l.htmlFor).checked).map(l => l.id)""")
        assert shown == ["risks"], shown
    hosts = {re.sub(r"^https?://([^/]+)/.*$", r"\1", u) for u in requests if u.startswith("http")}
    assert hosts == {served.split("/")[2]}, hosts
    page.close()


def test_offline_site_is_searched_from_disk(browser, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DOCGEN_TODAY", TODAY)
    site = _workspace(tmp_path, "zh", offline=True)
    assert (site / "index.html").is_file() and (site / "procedure.html").is_file()
    shim = (site / "assets/javascripts/iframe-worker.js").read_text("utf-8")
    assert "iframe" in shim and (site / "assets/javascripts/iframe-worker.LICENSE").is_file()
    for html in site.rglob("*.html"):
        assert "unpkg.com" not in html.read_text("utf-8"), html
    requests: list[str] = []
    page = browser.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto((site / "index.html").as_uri())
    BASE = site.as_uri() + "/"
    hits = _search(page, "恒通", BASE)
    assert any("2025-014-hengtong-logistics/index.html" in h for h in hits), hits
    hits = _search(page, "资格审查", BASE)
    assert hits[0].startswith("procedure.html"), hits
    page.click(".md-search-result__link")
    page.wait_for_load_state()
    assert page.url.startswith((site / "procedure.html").as_uri())
    assert not [u for u in requests if not u.startswith("file://")], requests
    page.close()


def test_a_link_to_a_section_opens_its_tab(browser, served: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 27: ``…/2025-014-hengtong-logistics/#risks`` opened 概况, not 风险."""
    page = browser.new_page(viewport={"width": 390, "height": 800})
    visible = """() => [...document.querySelectorAll('.docgen-tabs .tabbed-block')]
        .map(b => b.getBoundingClientRect().height > 0)"""
    labels = None
    for tab in ("risks", "kpis", "documents"):
        page.goto(served + HENGTONG + f"#{tab}")
        page.wait_for_timeout(200)
        labels = page.eval_on_selector_all(".docgen-tabs .tabbed-labels label", "ls => ls.map(l => l.id)")
        shown = page.evaluate(visible)
        assert shown == [label == tab for label in labels], (tab, shown)
    # choosing a tab puts it in the address, to be shared
    assert labels is not None
    page.click("label#plan")
    assert page.url.endswith("#plan")
    page.close()


#: the page states axe-core checks: the dashboard, an engagement (each tab), a browse
#: page, a stage page, the procedure, and the search dialog open
_AXE_PAGES = ["", HENGTONG, "browse/", "procedure/"]


def _axe(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """The serious and critical violations axe-core finds on the page as it stands."""
    from system_tools import axe_source

    page.add_script_tag(content=axe_source())
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .filter(v => ['serious', 'critical'].includes(v.impact))
             .map(v => ({id: v.id, impact: v.impact, help: v.help,
                         nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').slice(0, 160))}))"""
    )
    return list(found)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_or_critical_accessibility_violations(browser, served: str, width: int) -> None:  # type: ignore[no-untyped-def]
    """Issue 27: axe-core found 121 contrast failures, links told apart by colour alone,
    unnamed search dialogs and skipped heading levels.  Goal: none serious or critical."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    found: dict[str, list[dict]] = {}
    for path in _AXE_PAGES:
        page.goto(served + path)
        page.wait_for_load_state("networkidle")
        found[path or "/"] = _axe(page)
    page.goto(served + HENGTONG)
    for label in page.locator(".docgen-tabs .tabbed-labels > label").all()[1:]:
        if label.is_visible():
            label.click()
            found[f"{HENGTONG} tab {label.inner_text()}"] = _axe(page)
    page.goto(served)
    page.keyboard.press("/")  # Material's search shortcut opens the dialog
    page.wait_for_timeout(300)
    found["search open"] = _axe(page)
    page.close()
    bad = {where: v for where, v in found.items() if v}
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)[:6000]


def test_a_search_result_is_a_short_snippet_of_its_section(browser, served: str, language: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 27: results showed the section's whole text; searching 风险 missed 恒通's risks."""
    query = "风险" if language == "zh" else "risk"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(served)
    links = _search(page, query, served)
    assert any(link.startswith(HENGTONG) and link.endswith("#risks") for link in links), links
    page.wait_for_timeout(300)
    snippets = page.evaluate(
        """() => [...document.querySelectorAll('.md-search-result__article p.docgen-snippet')]
             .map(p => ({text: p.textContent, marked: p.querySelectorAll('mark').length}))"""
    )
    page.close()
    assert snippets, "no result has a snippet"
    assert all(len(s["text"]) <= 125 and "\u200b" not in s["text"] for s in snippets), snippets
    # each is cut around what matched; a section matched by its title starts at its start
    assert any(s["marked"] for s in snippets), snippets
