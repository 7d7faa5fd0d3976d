"""The published site: strict build, pages, audiences, escaping, offline, a real browser."""

from __future__ import annotations

import functools
import html
import http.server
import json
import logging
import re
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import TODAY, copy_samples
from docgen.pipeline.publish import publish
from system_tools import needs

MARKER = "INTERNAL-MARKER-7Q"
HOSTILE = "<script>alert(1)</script>{{ 7*7 }}"
#: Dormant URLs inside Material's own JavaScript: fetched only for features docgen's site
#: never uses (mermaid diagrams; repository facts when repo_url is set) — both asserted
#: absent below — or license comments.  The browser test proves nothing is requested.
THEME_DORMANT = {"unpkg.com", "api.github.com", "clipboardjs.com", "fontawesome.com",
                 "bit.ly", "lunrjs.com", "tartarus.org", "${e}", "$"}


def built(root: Path, audience: str = "internal", caplog: pytest.LogCaptureFixture | None = None) -> Path:
    report = publish(root, audience=audience, jobs=1)  # type: ignore[arg-type]
    assert report.built, [d.format() for d in report.diagnostics if d.is_error]
    return report.site_dir


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import os

    os.environ["DOCGEN_TODAY"] = TODAY
    return copy_samples(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def site(samples: Path) -> Path:
    return built(samples)


def test_publish_builds_strict_without_warnings(samples: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        site = built(samples)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith("mkdocs")]
    for page in ("index.html", "procedure/index.html", "engagements/index.html", "browse/index.html",
                 "engagements/stage-execution/index.html", "guide/index.html"):
        assert (site / page).is_file(), page
    for engagement in (samples / "engagements").iterdir():
        assert (site / "engagements" / engagement.name / "index.html").is_file()
    contract = site / "engagements/2025-014-hengtong-logistics/documents/cooperation-agreement.docx"
    assert zipfile.is_zipfile(contract)
    assert not (samples / "docs" / "engagements").exists()  # nothing written into docs/


def test_pages_hold_what_a_reader_needs(site: Path) -> None:
    home = (site / "index.html").read_text("utf-8")
    assert "docgen-chart" in home and "风险热力图" in home and "恒通智慧物流园区合资运营项目" in home
    page = (site / "engagements/2025-014-hengtong-logistics/index.html").read_text("utf-8")
    for text in ("杭州恒通智慧物流有限公司", "91330106MA2H3PL80J", "合作执行与监控", "关键绩效指标",
                 "documents/cooperation-agreement.docx", "会议", "风险", "目标", "上海国际仲裁中心"):
        assert text in page, text
    assert "<svg" in page and "<title>" in page  # charts are inline SVG with text
    # passed stages' checklists are folded, the current one open
    folded = re.findall(r'<details class="docgen-checklist"( open)?>\s*<summary><strong>(.*?)</strong>', page)
    assert folded[:4] == [("", "前期准备"), ("", "合作洽谈"), ("", "合作确立"), (" open", "合作执行与监控")]
    jinghua = (site / "engagements/2024-003-jinghua-materials/index.html").read_text("utf-8")
    assert "已终止" in jinghua and "原因：" in jinghua  # termination_reason is shown
    assert "6,000 万元" in page and "9,000 万元" in page  # amounts in 万元, never "CNY"
    for file in site.rglob("*.html"):
        assert "CNY" not in file.read_text("utf-8"), file
    procedure = (site / "procedure/index.html").read_text("utf-8")
    assert "举行合作启动仪式" in procedure and "协议须在尽职调查与法律顾问审核完成后签署" in procedure
    # the procedure's stages are in the table of contents
    toc = procedure[procedure.index('data-md-component="toc"'):]
    assert all(f"{n}. {t}" in toc[:20000] for n, t in ((1, "前期准备"), (5, "合作评估与优化")))
    # gate rules in words, never their kinds
    assert "required_items" not in procedure and "high_risks_handled" not in procedure
    assert "本阶段所有必需检查项均已完成，或已书面说明不适用的理由。" in procedure
    assert "概率 × 影响 ≥ 15 的未关闭风险均有负责人、应对预案，并已升级上报。" in procedure


def test_navigation_stays_flat(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert sum(p.stat().st_size for p in pages) / len(pages) < 100_000
    page = (site / "engagements/2025-014-hengtong-logistics/index.html").read_text("utf-8")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', page, re.S)
    assert nav and "2024-003-jinghua-materials" not in nav.group(0)  # no engagement list in nav


def test_nothing_from_another_host(site: Path) -> None:
    found: dict[str, set[str]] = {}
    for path in site.rglob("*"):
        if path.suffix not in (".html", ".js", ".css", ".json", ".xml"):
            continue
        text = path.read_text("utf-8", errors="replace")
        text = re.sub(r"""xmlns(:\w+)?=["']http://www\.w3\.org/[^"']*["']""", "", text)  # names
        if path.suffix == ".css":
            text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # licence comments
            text = re.sub(r"\\3c !--.*?-->", "", text)  # …and those inside SVG icons
        for host in re.findall(r"https?://([^/\"'\s)<>`\\]+)", text):
            if path.suffix == ".js" and host in THEME_DORMANT:
                continue
            if path.name == "sitemap.xml" and host == "www.sitemaps.org":
                continue
            found.setdefault(host, set()).add(path.relative_to(site).as_posix())
    assert not found, found
    for page in site.rglob("*.html"):
        html = page.read_text("utf-8")
        assert 'class="mermaid"' not in html and "repo_url" not in html
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def _all_text(site: Path) -> str:
    parts = []
    for path in site.rglob("*"):
        if path.suffix in (".html", ".json", ".js", ".css", ".xml", ".txt"):
            parts.append(path.read_text("utf-8", errors="replace"))
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as z:
                parts += [z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml")]
    return "\n".join(parts)


def test_partner_build_holds_nothing_internal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_TODAY", TODAY)
    root = copy_samples(tmp_path)
    e = root / "engagements/2023-009-haixin-semiconductor"  # visibility: partner
    index = (e / "index.md").read_text("utf-8")
    index = index.replace("summary:", f"internal_notes: 备注{MARKER}\nnegotiation_position: 底线{MARKER}\nsummary:", 1)
    index = index.replace("  conclusion: ", f"  conclusion: {MARKER}", 1)
    (e / "index.md").write_text(index, "utf-8")
    risks = (e / "risks.md").read_text("utf-8")
    (e / "risks.md").write_text(re.sub(r"(\n  - id: \w+\n)", rf"\1    internal_note: {MARKER}\n", risks, count=1), "utf-8")
    kpis = (e / "kpis.md").read_text("utf-8")
    (e / "kpis.md").write_text(kpis.replace("---\n", f"---\nvisibility: internal\n# {MARKER}\n", 1)
                               .replace("metric: ", f"metric: {MARKER}", 1), "utf-8")
    other = root / "engagements/2025-014-hengtong-logistics/index.md"  # visibility: internal
    other.write_text(other.read_text("utf-8").replace("summary: ", f"summary: {MARKER}", 1), "utf-8")
    internal = _all_text(built(root))
    assert internal.count(MARKER) >= 5  # the markers do reach the internal site
    partner_site = built(root, "partner")
    partner = _all_text(partner_site)
    assert MARKER not in partner
    assert "海芯" in partner and "恒通" not in partner
    assert not (partner_site / "engagements/2023-009-haixin-semiconductor/documents/due-diligence-report.docx").exists()
    assert (partner_site / "engagements/2023-009-haixin-semiconductor/documents/cooperation-agreement.docx").exists()
    assert "对候选合作伙伴进行背景调查" not in (partner_site / "engagements/2023-009-haixin-semiconductor/index.html").read_text("utf-8")


def test_a_partner_site_shows_no_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commit messages and authors are the team's own: a partner reads the 修订记录 only."""
    import subprocess

    monkeypatch.setenv("DOCGEN_TODAY", TODAY)
    root = copy_samples(tmp_path)
    author = f"内部{MARKER}"
    git = ["git", "-c", f"user.name={author}", "-c", f"user.email={MARKER.lower()}@team.example"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", f"海芯底价 {MARKER} 不对外"], cwd=root, check=True)
    internal = _all_text(built(root))
    assert MARKER in internal and f"{MARKER.lower()}@team.example" not in internal
    partner_site = built(root, "partner")
    partner = _all_text(partner_site)
    assert MARKER not in partner and MARKER.lower() not in partner and "team.example" not in partner
    page = (partner_site / "engagements/2023-009-haixin-semiconductor/index.html").read_text("utf-8")
    assert "合作协议：协议条款定稿，经法律顾问审核" in page and "陈思远" in page
    assert "尽职调查报告定稿" not in page  # an internal document's history is not the partner's


def test_partner_data_is_escaped_everywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_TODAY", TODAY)
    root = copy_samples(tmp_path)
    # an engagement with nothing signed yet: renaming a partner who signed is an error
    index = root / "engagements/2026-011-lingyun-robotics/index.md"
    text = index.read_text("utf-8").replace("  name: 深圳凌云智能机器人有限公司", f"  name: '{HOSTILE}'", 1)
    text = text.replace("tags: [", "tags: ['<b>粗</b>', ", 1)
    index.write_text(text, "utf-8")
    site = built(root)
    everything = _all_text(site)
    assert "<script>alert(1)</script>" not in everything
    page = (site / "engagements/2026-011-lingyun-robotics/index.html").read_text("utf-8")
    cell = re.search(r'<th scope="row">合作方</th><td>(.*?)</td>', page)
    assert cell and html.unescape(cell.group(1)) == HOSTILE  # shown literally, not run
    assert "&lt;b&gt;粗" in page and "<b>粗" not in everything
    index_json = json.loads((site / "search/search_index.json").read_text("utf-8"))
    texts = " ".join(d["text"] for d in index_json["docs"])
    assert "alert(1)" in texts and "<script>" not in texts


def test_serve_watches_engagements(site: Path, samples: Path) -> None:
    from mkdocs.config import load_config

    from docgen.pipeline.plugin import DocgenPlugin

    config = load_config(str(samples / "mkdocs.yml"))
    plugin = config.plugins["docgen"]
    assert isinstance(plugin, DocgenPlugin)
    watched: list[str] = []

    class Server:
        def watch(self, path: str) -> None:
            watched.append(path)

    plugin.on_serve(Server(), config=config, builder=None)
    assert str(samples / "engagements") in watched and str(samples / "templates") in watched


@pytest.fixture
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


CHROMIUM = Path("/usr/bin/chromium")


_LINKS = "[...document.querySelectorAll('.md-search-result__link')].map(a => a.href).join(' ')"


def _search(page, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Type ``query`` into Material's search box; the result links once they are for it."""
    before = page.evaluate(_LINKS)
    page.fill("input.md-search__input", query)
    page.press("input.md-search__input", "End")  # Material reacts to key events
    # the results list changes when this query's results arrive
    page.wait_for_function(f"b => ({_LINKS}) !== b && ({_LINKS}) !== ''", arg=before, timeout=15_000)
    return [a.get_attribute("href") or "" for a in page.query_selector_all(".md-search-result__link")]


@needs("chromium")
def test_browser_search_open_and_download(served: str, tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    requests: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(accept_downloads=True)
        page.on("request", lambda r: requests.append(r.url))
        page.goto(served)
        # a word from the middle of 杭州恒通智慧物流有限公司, and one from a checklist item
        hits = _search(page, "恒通")
        assert any("2025-014-hengtong-logistics" in h for h in hits), hits
        hits = _search(page, "启动仪式")  # 举行合作启动仪式，组织双方核心团队成员参加启动会…
        assert any("procedure/" in h for h in hits), hits
        hits = _search(page, "尽职调查")  # 尽职调查 is in the user dictionary
        assert any("2026-005-bluewave-biopharma" in h for h in hits), hits
        page.goto(served + "engagements/2025-014-hengtong-logistics/")
        assert "杭州恒通智慧物流有限公司" in page.content()
        page.click("label#documents")  # the 文件 tab
        with page.expect_download() as download:
            page.click("a[href='documents/cooperation-agreement.docx']")
        saved = tmp_path / "contract.docx"
        download.value.save_as(saved)
        with zipfile.ZipFile(saved) as z:
            assert "第%1条" in z.read("word/numbering.xml").decode("utf-8")
        browser.close()
    hosts = {re.sub(r"^https?://([^/]+)/.*$", r"\1", u) for u in requests if u.startswith("http")}
    assert hosts == {served.split("/")[2]}, hosts  # nothing requested from any other host


def test_publish_stops_on_errors_and_prints_them(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    index = workspace / "engagements/e/index.md"
    index.write_text(index.read_text("utf-8").replace("owner: 张伟", "ownr: 张伟"), "utf-8")
    result = run("publish", "--root", str(workspace))
    assert result.exit_code == 1
    assert "engagements/e/index.md:10:1: error unknown-key" in result.out
    assert not (workspace / "build" / "site").exists()


def test_a_workspace_template_overrides_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DOCGEN_TODAY", TODAY)
    root = copy_samples(tmp_path, ("2025-014-hengtong-logistics",))
    (root / "templates/site").mkdir()
    shipped = Path(__file__).parents[1] / "src/docgen/data/site/templates/procedure.html"
    text = shipped.read_text("utf-8").replace("<h1>{{ view.title }}</h1>",
                                             "<h1>{{ view.title }}</h1><p>本单位修订版 {{ '<b>' }}</p>")
    (root / "templates/site/procedure.html").write_text(text, "utf-8")
    assert run("publish", "--root", str(root)).exit_code == 0
    page = (root / "build/site/procedure/index.html").read_text("utf-8")
    assert "本单位修订版 &lt;b&gt;" in page  # the override, and still autoescaped
    # a broken override is an error naming its file and line, never a traceback
    (root / "templates/site/procedure.html").write_text("<h1>{{ view.title }</h1>\n", "utf-8")
    result = run("publish", "--root", str(root))
    assert result.exit_code != 0
    assert "templates/site/procedure.html:1" in result.out + result.err
    (root / "templates/site/procedure.html").write_text("<h1>{{ view.nonsense }}</h1>\n", "utf-8")
    result = run("publish", "--root", str(root))
    assert result.exit_code != 0 and "procedure.html:1" in result.out + result.err
    assert "nonsense" in result.out + result.err


def test_edit_links_where_the_workspace_names_a_git_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_TODAY", TODAY)
    root = copy_samples(tmp_path, ("2023-009-haixin-semiconductor",))
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(
        "docs_dir: docs\n",
        "docs_dir: docs\nrepo_url: https://git.example.com/zs/portfolio\nedit_uri: _edit/main/docs/\n"), "utf-8")
    page = (built(root) / "engagements/2023-009-haixin-semiconductor/index.html").read_text("utf-8")
    assert ('href="https://git.example.com/zs/portfolio/_edit/main/engagements/'
            '2023-009-haixin-semiconductor/index.md"') in page and "编辑此项目" in page
    partner = built(root, "partner") / "engagements/2023-009-haixin-semiconductor/index.html"
    assert "_edit/main/engagements" not in partner.read_text("utf-8")  # partners edit nothing


def test_an_english_workspace_gets_an_english_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_TODAY", TODAY)
    root = copy_samples(tmp_path, ("2025-014-hengtong-logistics", "2024-003-jinghua-materials"))
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(
        "      process: templates/process.yml", "      process: templates/process.yml\n      language: en"), "utf-8")
    site = built(root)
    home = (site / "index.html").read_text("utf-8")
    for text in ("Portfolio overview", "Engagements by stage", "Upcoming milestones", "Risk heat map",
                 "Overdue", "Top risk"):
        assert text in home, text
    page = (site / "engagements/2025-014-hengtong-logistics/index.html").read_text("utf-8")
    for text in ("Overview", "Progress", "Documents", "Unified social credit code", "Our investment",
                 "CNY 60,000,000.00", "Redline 1.0 → 1.1"):
        assert text in page, text
    jinghua = (site / "engagements/2024-003-jinghua-materials/index.html").read_text("utf-8")
    assert "Terminated" in jinghua and "Reason: 京华产品线调整" in jinghua
    procedure = (site / "procedure/index.html").read_text("utf-8")
    assert "To leave this stage" in procedure and "Every required checklist item is done" in procedure
    # no fixed Chinese word is left among the labels (the data stays as the team wrote it)
    for word in ("项目总览", "概况", "负责人", "离开本阶段须满足", "文件", "数据截至"):
        for text in (home, page, procedure):
            assert f">{word}<" not in text, word
    assert "万元" not in page


def test_unchanged_engagement_pages_are_kept_and_stale_ones_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import time

    monkeypatch.setenv("DOCGEN_TODAY", TODAY)
    root = copy_samples(tmp_path, ("2025-014-hengtong-logistics", "2023-009-haixin-semiconductor",
                                   "2024-003-jinghua-materials"))
    site = built(root)
    hengtong = site / "engagements/2025-014-hengtong-logistics/index.html"
    haixin = site / "engagements/2023-009-haixin-semiconductor/index.html"
    home = site / "index.html"
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (hengtong, haixin, home)}
    time.sleep(0.05)
    # one engagement changes: its page is made again, the other is kept as it was
    index = root / "engagements/2025-014-hengtong-logistics/index.md"
    index.write_text(index.read_text("utf-8").replace("summary: ", "summary: 第二次发布 ", 1), "utf-8")
    built(root)
    assert haixin.stat().st_mtime_ns == before[haixin][0] and haixin.read_bytes() == before[haixin][1]
    assert hengtong.stat().st_mtime_ns != before[hengtong][0]
    assert "第二次发布" in hengtong.read_text("utf-8")
    assert home.stat().st_mtime_ns == before[home][0]  # the dashboard shows no summary
    index.write_text(index.read_text("utf-8").replace("owner: 张伟", "owner: 赵新", 1), "utf-8")
    built(root)
    assert "赵新" in home.read_text("utf-8")  # …but shows the owner: made again
    # pages a build skipped keep their search entries
    index = json.loads((site / "search/search_index.json").read_text("utf-8"))
    pages = {d["location"].split("#")[0] for d in index["docs"]}
    assert {"procedure/", "guide/", "engagements/2023-009-haixin-semiconductor/"} <= pages
    assert any("资格审查" in d["text"].replace("\u200b", "") for d in index["docs"])
    # …and no page's entries twice, however many builds kept them (each used to add a copy)
    locations = [d["location"] for d in index["docs"]]
    assert locations.count("engagements/2023-009-haixin-semiconductor/") == 1
    assert len(locations) == len(set(locations))
    # a site template changes: every page is made again
    (root / "templates/site").mkdir()
    shipped = Path(__file__).parents[1] / "src/docgen/data/site/templates/engagement.html"
    (root / "templates/site/engagement.html").write_text(
        shipped.read_text("utf-8") + "<p>模板已改</p>\n", "utf-8")
    built(root)
    assert "模板已改" in haixin.read_text("utf-8") and "模板已改" in hengtong.read_text("utf-8")
    # a docs/ page's title is in every page's navigation: every page is made again
    guide = root / "docs/guide.md"
    guide.write_text(guide.read_text("utf-8").replace("# 使用说明", "# 操作手册", 1), "utf-8")
    built(root)
    assert "操作手册" in haixin.read_text("utf-8")
    # an engagement that is gone leaves nothing behind, documents included
    shutil.rmtree(root / "engagements/2024-003-jinghua-materials")
    built(root)
    assert not (site / "engagements/2024-003-jinghua-materials").exists()
    assert haixin.is_file() and (site / "engagements/2023-009-haixin-semiconductor/documents").is_dir()
    # a partner site: an engagement made internal since the last build is taken out
    partner = built(root, "partner")
    assert (partner / "engagements/2023-009-haixin-semiconductor/index.html").is_file()
    index = root / "engagements/2023-009-haixin-semiconductor/index.md"
    index.write_text(index.read_text("utf-8").replace("visibility: partner", "visibility: internal"), "utf-8")
    assert built(root, "partner") == partner
    assert not (partner / "engagements/2023-009-haixin-semiconductor").exists()
    assert not [p for p in partner.rglob("*") if "haixin" in p.as_posix()]
    assert sorted(os.listdir(root / "build/pages")) == ["internal", "partner"]


def broken_links(site: Path) -> dict[str, list[str]]:
    """Every relative link or source of every page of ``site`` that leads to no file."""
    import html as markup
    from urllib.parse import unquote, urlsplit

    bad: dict[str, list[str]] = {}
    for page in site.rglob("*.html"):
        text = page.read_text("utf-8", errors="replace")
        for ref in re.findall(r'(?:href|src)="([^"]*)"', text):
            parts = urlsplit(markup.unescape(ref))
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another host (there are none: test_nothing_from_another_host), a fragment
            path = unquote(parts.path)
            target = site / path.lstrip("/") if path.startswith("/") else page.parent / path
            found = (target / "index.html").is_file() if path.endswith("/") or target.is_dir() else target.is_file()
            if not found:
                bad.setdefault(page.relative_to(site).as_posix(), []).append(ref)
    return bad


def test_every_link_of_every_build_leads_somewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_TODAY", TODAY)
    root = copy_samples(tmp_path)
    internal = built(root)
    pages = list(internal.rglob("*.html"))
    assert len(pages) > 50
    assert broken_links(internal) == {}
    # the lists link each engagement: a stage page and a browse page, one and two levels down
    stage = (internal / "engagements/stage-execution/index.html").read_text("utf-8")
    assert 'href="../../engagements/2025-014-hengtong-logistics/"' in stage
    assert broken_links(built(root, "partner")) == {}
    offline = publish(root, offline=True, jobs=1)
    assert offline.built and broken_links(offline.site_dir) == {}
    assert 'href="2025-014-hengtong-logistics/index.html"' in (
        offline.site_dir / "engagements/stage-execution.html"
    ).read_text("utf-8")


def test_a_partner_page_names_both_parties(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 27: the partner's own site called the park 我方."""
    monkeypatch.setenv("DOCGEN_TODAY", TODAY)
    root = copy_samples(tmp_path)
    page = (built(root, "partner") / "engagements/2023-009-haixin-semiconductor/index.html").read_text("utf-8")
    terms = page.split('id="overview"', 1)[-1]
    assert "我方" not in page, "the partner reads its own site"
    assert "海芯" in terms and ("江南高新" in terms or "集团" in terms)
    internal = (built(root) / "engagements/2023-009-haixin-semiconductor/index.html").read_text("utf-8")
    assert "我方" in internal  # the team's own site speaks for the team


def test_a_long_history_is_folded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 27: 修订历史 reached 10,258 px at 390 px: five rows show, the rest fold."""
    import subprocess

    monkeypatch.setenv("DOCGEN_TODAY", TODAY)
    root = copy_samples(tmp_path)
    git = ["git", "-c", "user.name=张伟", "-c", "user.email=zw@example.cn"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    index = root / "engagements/2025-014-hengtong-logistics/index.md"
    for i in range(12):
        index.write_text(index.read_text("utf-8") + f"\n第 {i} 次记录。\n", "utf-8")
        subprocess.run(["git", "add", "-A"], cwd=root, check=True)
        subprocess.run([*git, "commit", "-qm", f"记录 {i}"], cwd=root, check=True)
    page = (built(root) / "engagements/2025-014-hengtong-logistics/index.html").read_text("utf-8")
    before, folded = page.split('<details class="docgen-more">', 1)
    shown = before.rsplit("<tbody>", 1)[1]  # the history's own table, just before the fold
    assert shown.count("<tr><td>") == 5 and "更早的 7 条" in folded
    hidden = folded.split("</details>", 1)[0]
    assert all(f"记录 {i}<" in shown + hidden for i in range(12))  # (one second: any order)
