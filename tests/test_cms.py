"""The web editor: its generated config, docgen's local backend, and saving in a browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, copy_samples
from docgen.checks.validate import validate
from docgen.cms import vendor
from docgen.cms.config import cms_config
from docgen.cms.merge import merged
from docgen.cms.server import editor_server
from docgen.core.i18n import catalogue
from docgen.core.source import parse_markdown
from docgen.workspace.config import open_workspace
from docgen.workspace.load import load_portfolio
from system_tools import needs

HENGTONG = "2025-014-hengtong-logistics"
TODAY = "2026-11-26"


@pytest.fixture
def samples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DOCGEN_TODAY", TODAY)
    (tmp_path / "ws").mkdir()
    root = copy_samples(tmp_path / "ws")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.cn", "commit", "-qm", "samples"],
        cwd=root,
        check=True,
    )
    return root


def _collection(config: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in config["collections"] if c["name"] == name)


def _field(fields: list[dict[str, Any]], *names: str) -> dict[str, Any]:
    field: dict[str, Any] = {"fields": fields}
    for name in names:
        field = next(f for f in field["fields"] if f["name"] == name)
    return field


def test_the_config_is_generated_from_the_process_and_the_models(samples: Path) -> None:
    portfolio = load_portfolio(samples)
    config = cms_config(portfolio, catalogue("zh"))
    assert config["locale"] == "zh_Hans"
    hengtong = _collection(config, f"e-{HENGTONG}")
    assert hengtong["label"] == "恒通物流"
    files = {f["name"]: f for f in hengtong["files"]}
    assert {"index", "preparation", "execution", "risks", "kpis", "plan"} <= set(files)
    assert files["index"]["file"] == f"engagements/{HENGTONG}/index.md"
    index = files["index"]["fields"]
    # the validator's required fields are the form's
    assert [f["name"] for f in index if f.get("required")] == [
        "title", "partner", "mode", "stage", "owner", "dates"
    ]
    assert _field(index, "partner", "name")["required"] is True
    assert _field(index, "dates", "opened") | {} == _field(index, "dates", "opened")
    assert _field(index, "dates", "opened")["widget"] == "datetime"
    assert _field(index, "dates", "opened")["format"] == "YYYY-MM-DD"
    # fixed values and the process's ids are selects, in the reader's words
    mode = _field(index, "mode")
    assert mode["widget"] == "select" and {"label": "合资", "value": "joint-venture"} in mode[
        "options"
    ]
    stage = _field(index, "stage")
    assert [o["label"] for o in stage["options"]][:2] == ["前期准备", "合作洽谈"]
    status = _field(index, "status")
    assert {"label": "进行中", "value": "active"} in status["options"]
    owner = _field(index, "owner")
    assert owner["widget"] == "select" and {"张伟", "周敏"} <= set(owner["options"])
    assert _field(index, "team")["multiple"] is True
    assert _field(index, "partner")["label"] == "合作方"
    # inside an optional object nothing is required (renewal's dates, once given, are)
    renewal = _field(index, "renewal")
    assert not any(f.get("required") for f in renewal["fields"])
    # each checklist item under its Chinese title, with its state's fields
    checklist = _field(files["execution"]["fields"], "checklist")
    item = _field(checklist["fields"], "periodic-review.record")
    assert item["label"] == "定期评估与反馈 · 对评估结果进行记录，作为后续优化的依据"
    assert [f["name"] for f in item["fields"]] == [
        "done", "by", "owner", "due", "evidence", "waived", "note"
    ]
    assert _field(item["fields"], "done")["widget"] == "datetime"
    assert _field(item["fields"], "done")["label"] == "完成日期"
    risks = _field(files["risks"]["fields"], "risks")
    category = _field(risks["fields"], "category")
    assert category["widget"] == "select" and len(category["options"]) >= 3
    # meetings: one collection per engagement, where a new entry is a new meeting
    meetings = _collection(config, f"m-{HENGTONG}")
    assert meetings["folder"] == f"engagements/{HENGTONG}/meetings" and meetings["create"]
    # a new engagement: the 项目 collection, its folder asked as the entry's path
    engagements = _collection(config, "engagements")
    assert engagements["create"] and engagements["meta"]["path"]["index_file"] == "index"
    assert "local_backend" not in config and config["backend"] == {"name": "git-gateway"}


def test_an_english_workspace_gets_an_english_editor(samples: Path) -> None:
    config = cms_config(load_portfolio(samples), catalogue("en"))
    assert config["locale"] == "en"
    index = _field(_collection(config, f"e-{HENGTONG}")["files"], "index")["fields"]
    assert _field(index, "partner")["label"] == "Partner"
    assert {"label": "Active", "value": "active"} in _field(index, "status")["options"]


def test_a_team_backend_with_the_editorial_workflow(samples: Path) -> None:
    mkdocs = samples / "mkdocs.yml"
    text = mkdocs.read_text("utf-8").replace(
        "      engagements: engagements\n",
        "      engagements: engagements\n      cms:\n        enabled: true\n"
        "        backend: {name: gitlab, repo: team/engagements, app_id: abc, auth_type: pkce}\n",
    )
    mkdocs.write_text(text, "utf-8")
    config = cms_config(load_portfolio(samples), catalogue("zh"))
    assert config["backend"] == {
        "name": "gitlab",
        "repo": "team/engagements",
        "branch": "main",
        "app_id": "abc",
        "auth_type": "pkce",
    }
    assert config["publish_mode"] == "editorial_workflow"
    assert open_workspace(samples).config.cms.enabled
    # the version token is docgen's local backend's own: a git host's forms never carry it
    assert "docgen_base" not in json.dumps(config)
    local = cms_config(load_portfolio(samples), catalogue("zh"), "http://127.0.0.1:1/api/v1")
    forms = [c for c in local["collections"]] + [f for c in local["collections"]
                                                  for f in c.get("files", [])]
    assert all(f["fields"][0]["name"] == "docgen_base" for f in forms if "fields" in f)


# --- merging what the editor saved -------------------------------------------------------


def _diff_lines(before: str, after: str) -> int:
    import difflib

    return sum(
        1
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    )


def _front(text: str) -> tuple[dict[str, Any], str]:
    source = parse_markdown(text, "x.md")
    return source.data, source.body


def _decap_like(path: Path, **changes: Any) -> str:
    """The file as Decap writes it: block style, no comments, with ``changes`` set."""
    data, body = _front(path.read_text("utf-8"))
    for dotted, value in changes.items():
        node = data
        *parents, last = dotted.split("/")
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=True)
    return f"---\n{front}---\n{body}"


def test_a_save_changes_only_the_values_that_changed(samples: Path) -> None:
    path = samples / "engagements" / HENGTONG / "index.md"
    before = path.read_text("utf-8")
    saved = _decap_like(path, owner="周敏")
    assert _diff_lines(before, saved) > 100, "written as the editor serialised it"
    after = merged(path, "index.md", saved).decode()
    assert _diff_lines(before, after) == 2
    assert "owner: 周敏" in after and "  # 费用与支付：双方向合资公司分期缴纳出资" in after
    assert "profit_split: {us: 40, partner: 60}" in after, "flow style kept"


def test_a_new_checklist_entry_is_one_line_and_a_removed_one_rewrites_its_key(
    samples: Path,
) -> None:
    path = samples / "engagements" / HENGTONG / "execution.md"
    before = path.read_text("utf-8")
    saved = _decap_like(path, **{"checklist/periodic-review.record/done": "2026-11-20"})
    after = merged(path, "execution.md", saved.replace("'2026-11-20'", "2026-11-20")).decode()
    assert _diff_lines(before, after) == 1 and "    done: 2026-11-20" in after
    path.write_text(after, "utf-8")
    # a due date cleared: that key (the checklist) is written anew, the rest kept
    data, body = _front(after)
    del data["checklist"]["contingency.debrief"]["due"]
    saved = f"---\n{yaml.safe_dump(data, allow_unicode=True)}---\n{body}"
    result = merged(path, "execution.md", saved).decode()
    assert "due: 2026-12-10" not in result
    assert _front(result) == (data, body)


def test_a_version_stays_a_string(samples: Path) -> None:
    record = samples / "engagements" / HENGTONG / "documents" / "cooperation-agreement.md"
    text = record.read_text("utf-8")
    saved = _decap_like(record, version="1.10")
    result = merged(record, "cooperation-agreement.md", saved).decode()
    assert _front(result)[0]["version"] == "1.10"
    assert _diff_lines(text, result) == 2


# --- docgen's local backend ----------------------------------------------------------------


@pytest.fixture
def editor(samples: Path) -> Iterator[tuple[str, Any, Path]]:
    """docgen's editor server on a free port, over the samples, the editor installed."""
    yield from _serving(samples)


@pytest.fixture
def editor_zh(samples: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Any, Path]]:
    """The same, speaking Chinese as a Chinese team's computer does."""
    monkeypatch.setenv("DOCGEN_LANG", "zh")
    yield from _serving(samples)


def _serving(samples: Path) -> Iterator[tuple[str, Any, Path]]:
    _install(samples)
    server, backend = editor_server(samples, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", backend, samples
    finally:
        server.shutdown()
        server.server_close()


def _install(root: Path) -> None:
    """The pinned editor, from the repository's install or fetched with npm."""
    workspace = open_workspace(root)
    target = vendor.vendor_dir(workspace)
    done = vendor.vendor_dir(open_workspace(REPO))
    if (done / "decap-cms.js").is_file():
        shutil.copytree(done, target)
        return
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed (system-packages.txt: npm): the editor cannot be fetched")
    vendor.install(workspace)


def _call(base: str, action: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
    request = urllib.request.Request(
        f"{base}/api/v1",
        data=json.dumps({"action": action, "params": params}).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        body = exc.read()
        kind = exc.headers.get("Content-Type", "")
        return exc.code, json.loads(body) if kind.startswith("application/json") else body


def test_the_backend_reads_and_writes_only_inside_the_workspace(
    editor: tuple[str, Any, Path],
) -> None:
    base, _, root = editor
    status, info = _call(base, "info")
    assert status == 200 and info["type"] == "local_fs"
    status, entries = _call(base, "entriesByFolder", folder="engagements", extension="md", depth=2)
    paths = {e["file"]["path"] for e in entries}
    assert f"engagements/{HENGTONG}/index.md" in paths
    for path in ("../outside.md", "/etc/passwd", "engagements/../../x.md"):
        assert _call(base, "getEntry", path=path)[0] == 403
    written = {"path": "mkdocs.yml", "raw": "site_name: x\n"}
    assert _call(base, "persistEntry", entry=written, assets=[])[0] == 403
    assert _call(base, "deleteFile", path=f"engagements/{HENGTONG}/risks.md")[0] == 403
    assert (root / "engagements" / HENGTONG / "risks.md").is_file()
    # a page of another site open in the browser is refused
    assert _call(base, "info", headers={"Origin": "https://evil.example"})[0] == 403
    # a new engagement's folder must be an ASCII id
    raw = "---\ntitle: 新项目\npartner: {name: 某公司}\nmode: joint-venture\nstage: preparation\n"
    raw += "owner: 张伟\ndates: {opened: 2026-11-20}\n---\n"
    status, answer = _call(
        base, "persistEntry", entry={"path": "engagements/新项目/index.md", "raw": raw}, assets=[]
    )
    assert status == 422 and "not a valid engagement id" in answer["error"]
    assert not (root / "engagements" / "新项目").exists()
    # a new meeting: written in block style, without the form's empty fields
    meeting = f"engagements/{HENGTONG}/meetings/2026-11-20-meeting.md"
    raw = "---\ntitle: 第四季度评审会\ndate: 2026-11-20\nkind: review\nlocation: ''\n"
    raw += "agenda: []\nattendees:\n  - 张伟\n  - 钱明\n---\n会议记录。\n"
    assert _call(base, "persistEntry", entry={"path": meeting, "raw": raw}, assets=[])[0] == 200
    text = (root / meeting).read_text("utf-8")
    assert text == (
        "---\ntitle: 第四季度评审会\ndate: 2026-11-20\nkind: review\nattendees:\n- 张伟\n- 钱明\n"
        "---\n会议记录。\n"
    )
    # a save that would not validate is undone, and says why
    index = root / "engagements" / HENGTONG / "index.md"
    before = index.read_bytes()
    rel = f"engagements/{HENGTONG}/index.md"
    status, answer = _save(base, rel, lambda t: t.replace("mode: joint-venture", "mode: 合伙"))
    assert status == 403 and "unknown-mode" not in answer["error"], answer
    assert answer["error"].startswith("not saved: Cooperation mode: unknown cooperation mode"), answer
    assert index.read_bytes() == before


def _opened(base: str, path: str) -> str:
    """The file as the editor gets it when it opens it (with its version token)."""
    status, entry = _call(base, "getEntry", path=path)
    assert status == 200
    return str(entry["data"])


def _save(base: str, path: str, change: Any, text: str | None = None) -> Any:
    """Open ``path`` as the editor does, change its text, save it: (status, answer)."""
    raw = change(text if text is not None else _opened(base, path))
    return _call(base, "persistEntry", entry={"path": path, "raw": raw}, assets=[])


# --- in a browser ----------------------------------------------------------------------------

SHOTS = REPO / "build" / "test-output" / "screenshots"


@pytest.fixture
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    flags = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        yield chromium
        chromium.close()


@pytest.fixture
def artifacts() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@needs("chromium")

def test_editing_in_the_browser_changes_only_what_was_edited(
    editor: tuple[str, Any, Path], browser: Any, artifacts: Path
) -> None:
    base, backend, root = editor
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    hosts: set[str] = set()
    context.on("request", lambda r: hosts.add(r.url.split("/")[2]) if "://" in r.url else None)
    page = context.new_page()
    page.goto(f"{base}/admin/")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("全部项目").first.wait_for()
    # 恒通: a new owner
    page = _open(page, f"{base}/admin/#/collections/e-{HENGTONG}/entries/index")
    _choose(page, "负责人", "李娜")
    _publish(page)
    # a second save from the same open form is no stale save: its own first save is on disk
    _choose(page, "负责人", "周敏")
    _publish(page)
    # …and one checklist item done, with its date: back to 恒通's files, as a user clicks
    page.locator(f"a[href*='#/collections/e-{HENGTONG}']").first.click()
    page.get_by_text("合作执行与监控", exact=True).first.click()
    title = "定期评估与反馈 · 对评估结果进行记录，作为后续优化的依据"
    page.locator("[class*=ExpandButtonContainer]", has_text=title).first.locator("button").click()
    _visible_input(page, "完成日期").fill("2026-11-20")
    page.screenshot(path=artifacts / "cms-checklist-1280.png")
    _publish(page)
    diff = subprocess.run(
        ["git", "diff", "-U0", "--stat", "--", "engagements"], cwd=root, capture_output=True,
        text=True, check=True,
    ).stdout
    assert "2 files changed, 2 insertions(+), 1 deletion(-)" in diff, diff
    changed = subprocess.run(
        ["git", "diff", "-U0"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert "-owner: 张伟\n+owner: 周敏" in changed
    assert "+    done: 2026-11-20" in changed
    assert validate(root).diagnostics == [], "validate is clean after both saves"
    # what Decap itself sent would have rewritten the file (measured, reported in the note)
    sent = backend.received[f"engagements/{HENGTONG}/index.md"]
    original = subprocess.run(
        ["git", "show", f"HEAD:engagements/{HENGTONG}/index.md"], cwd=root, capture_output=True,
        text=True, check=True,
    ).stdout
    (artifacts / "cms-decap-serialised-index.md").write_text(sent, "utf-8")  # for review
    rewritten = _diff_lines(original, sent)
    print(f"Decap's own serialisation of 恒通's index.md: {rewritten} lines differ; docgen: 2")
    assert rewritten > 50
    # …and docgen reads that serialisation too: saved by a git host, it validates clean
    # (a git host's form has no docgen_base: that field is docgen's local backend's own)
    assert sent.startswith("---\ndocgen_base: ")
    by_host = "---\n" + sent.split("\n", 2)[2]
    (root / "engagements" / HENGTONG / "index.md").write_text(by_host, "utf-8")
    assert not [d for d in validate(root).diagnostics if d.is_error]
    # a new engagement through the form: scaffolded as docgen new does
    page = _open(page, f"{base}/admin/#/collections/engagements/new")
    _input(page, "^项目目录").fill("2026-012-donghai-wind")
    _input(page, "^名称$").fill("东海风电运维合作项目")
    _input(page, "^名称$", 1).fill("上海东海风电运维有限公司")
    _choose(page, "合作模式", "合资")
    _choose(page, "阶段", "前期准备")
    _choose(page, "负责人", "周敏")
    _input(page, "^立项日期").fill("2026-11-20")
    _publish(page)
    folder = root / "engagements" / "2026-012-donghai-wind"
    assert (folder / "index.md").is_file() and (folder / "preparation.md").is_file()
    text = (folder / "index.md").read_text("utf-8")
    assert "partner:\n  name: 上海东海风电运维有限公司" in text and "owner: 周敏" in text
    report = validate(root, only=["2026-012-donghai-wind"])
    assert not [d for d in report.diagnostics if d.is_error]
    assert hosts == {base.removeprefix("http://")}, f"requests left this computer: {hosts}"


def _open(page: Any, url: str) -> Any:
    """``url`` in a new page of the same session, signed in: a fresh form for each entry."""
    fresh = page.context.new_page()
    page.close()
    fresh.goto(url)
    return fresh


def _input(page: Any, label: str, nth: int = 0) -> Any:
    import re

    found = page.locator("label").filter(has_text=re.compile(label)).nth(nth)
    return page.locator(f"[id='{found.get_attribute('for')}']")


def _visible_input(page: Any, label: str) -> Any:
    labels = page.locator("label").filter(has_text=label)
    for i in range(labels.count()):
        if labels.nth(i).is_visible():
            return page.locator(f"[id='{labels.nth(i).get_attribute('for')}']")
    raise AssertionError(f"no visible field {label}")


def _choose(page: Any, label: str, option: str) -> None:
    _input(page, f"^{label}").click()
    page.get_by_role("option", name=option, exact=True).click()


def _publish(page: Any) -> None:
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()
    page.get_by_text("已发布").first.wait_for()


def test_publish_puts_the_editor_in_the_internal_site_only(workspace: Path) -> None:
    from docgen.pipeline.publish import publish

    mkdocs = workspace / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text("utf-8") + "      cms: {enabled: true}\n", "utf-8")
    (workspace / "docs").mkdir()
    (workspace / "docs" / "index.md").write_text("# 首页\n", "utf-8")
    report = publish(workspace)
    assert report.built and not (report.site_dir / "admin").exists()
    assert [d.code for d in report.diagnostics] == ["cms-not-installed"]
    _install(workspace)
    report = publish(workspace)
    admin = report.site_dir / "admin"
    assert [d.code for d in report.diagnostics] == []
    assert {"index.html", "config.yml", "decap-cms.js", "LICENSE.txt"} <= {
        p.name for p in admin.iterdir()
    }
    assert "MIT License" in (admin / "LICENSE.txt").read_text("utf-8")
    config = yaml.safe_load((admin / "config.yml").read_text("utf-8"))
    assert "e-e" in [c["name"] for c in config["collections"]]
    partner = publish(workspace, audience="partner")
    assert partner.built and not (partner.site_dir / "admin").exists()


def test_uploads_stay_in_the_workspace(samples: Path) -> None:
    from docgen.core.diagnostics import DocgenError

    mkdocs = samples / "mkdocs.yml"
    good = mkdocs.read_text("utf-8")
    for folder in ("../outside", "/srv/uploads", "docs/../../x"):
        mkdocs.write_text(
            good.replace(
                "      engagements: engagements\n",
                f"      engagements: engagements\n      cms: {{media_folder: '{folder}'}}\n",
            ),
            "utf-8",
        )
        with pytest.raises(DocgenError) as caught:
            open_workspace(samples)
        assert "cms.media_folder" in "\n".join(d.format() for d in caught.value.diagnostics)


def test_the_backend_says_why_in_the_workspace_language(
    samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCGEN_LANG", "zh")
    _install(samples)
    server, _ = editor_server(samples, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        status, answer = _call(base, "deleteFile", path=f"engagements/{HENGTONG}/risks.md")
        assert status == 403 and answer["error"] == "docgen 不从编辑器删除文件；请用 git（git rm）"
    finally:
        server.shutdown()
        server.server_close()


def test_a_refused_new_meeting_leaves_its_engagement_alone(
    editor: tuple[str, Any, Path],
) -> None:
    base, _, root = editor
    folder = root / "engagements" / "2026-006-yunfan-shipping"
    assert not (folder / "meetings").exists(), "the sample has no meetings yet"
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    raw = "---\ntitle: 洽谈会\ndate: 2026-11-20\nkind: 闲聊\n---\n"  # no such kind
    meeting = "engagements/2026-006-yunfan-shipping/meetings/2026-11-20-meeting.md"
    status, answer = _call(base, "persistEntry", entry={"path": meeting, "raw": raw}, assets=[])
    assert status == 403 and "not saved" in answer["error"]
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before


# --- a hostile or careless editor (issue 24) --------------------------------------------------

AGREEMENT = f"engagements/{HENGTONG}/documents/cooperation-agreement/1.0.md"


def test_the_editor_never_writes_a_frozen_text(editor_zh: tuple[str, Any, Path]) -> None:
    base, _, root = editor_zh
    before = (root / AGREEMENT).read_bytes()
    for path in (AGREEMENT, f"engagements/{HENGTONG}/documents/cooperation-agreement/9.9.md"):
        status, answer = _call(
            base, "persistEntry", entry={"path": path, "raw": "---\nx: 1\n---\n改了\n"}, assets=[]
        )
        assert status == 403 and "冻结文本" in answer["error"], answer
    assert (root / AGREEMENT).read_bytes() == before
    assert not (root / AGREEMENT).with_name("9.9.md").exists()
    # nor the digest its record keeps of it
    record = f"engagements/{HENGTONG}/documents/cooperation-agreement.md"
    kept = (root / record).read_bytes()
    status, answer = _save(base, record, lambda t: re.sub(r"(  1\.0\.md: )[0-9a-f]{64}",
                                                          r"\g<1>" + "0" * 64, t))
    assert status == 403 and "frozen" in answer["error"], answer
    assert (root / record).read_bytes() == kept


def test_a_save_from_a_stale_version_is_refused(editor_zh: tuple[str, Any, Path]) -> None:
    base, _, root = editor_zh
    rel = f"engagements/{HENGTONG}/index.md"
    first, second = _opened(base, rel), _opened(base, rel)  # two windows open the same file
    status, _ = _save(base, rel, lambda t: t.replace("owner: 张伟", "owner: 周敏"), first)
    assert status == 200
    saved = (root / rel).read_bytes()
    assert "owner: 周敏" in saved.decode()
    # the second window still shows 张伟 and changes another field: refused, not reverted
    status, answer = _save(base, rel, lambda t: t.replace("tags: [", "tags: [新标签, "), second)
    assert status == 403 and "在你打开之后已被修改" in answer["error"], answer
    assert (root / rel).read_bytes() == saved
    # the first window may save again: its version is the one on disk
    status, _ = _save(base, rel, lambda t: t.replace("owner: 张伟", "owner: 李娜"), first)
    assert status == 200 and "owner: 李娜" in (root / rel).read_text("utf-8")
    # a save that brings no version (not opened through the editor) is refused
    raw = (root / rel).read_text("utf-8")
    status, answer = _call(base, "persistEntry", entry={"path": rel, "raw": raw}, assets=[])
    assert status == 403 and "重新打开" in answer["error"]
    assert "docgen_base" not in (root / rel).read_text("utf-8")


def test_a_form_saved_into_another_file_is_refused(editor: tuple[str, Any, Path]) -> None:
    base, _, root = editor
    risks, plan = f"engagements/{HENGTONG}/risks.md", f"engagements/{HENGTONG}/plan.md"
    before = (root / plan).read_bytes()
    status, answer = _save(base, plan, lambda t: t, _opened(base, risks))
    assert status == 403 and "risks.md" in answer["error"] and "plan.md" in answer["error"]
    assert (root / plan).read_bytes() == before


def test_a_refused_save_writes_nothing_at_all(editor_zh: tuple[str, Any, Path]) -> None:
    base, _, root = editor_zh
    index = root / "engagements" / HENGTONG / "index.md"
    stat = index.stat()
    rel = f"engagements/{HENGTONG}/index.md"
    status, _ = _save(base, rel, lambda t: t.replace("mode: joint-venture", "mode: 合伙"))
    assert status == 403
    after = index.stat()  # not written and put back: never written
    assert (after.st_ino, after.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    # two files in one save: the second refused, so the first is not written either
    risks = f"engagements/{HENGTONG}/risks.md"
    good = _opened(base, rel).replace("owner: 张伟", "owner: 周敏")
    files = [{"path": rel, "raw": good}, {"path": "mkdocs.yml", "raw": "site_name: x\n"}]
    assert _call(base, "persistEntry", dataFiles=files, entry={}, assets=[])[0] == 403
    bad_risks = _opened(base, risks).replace("probability: 4", "probability: 9", 1)
    files = [{"path": rel, "raw": good}, {"path": risks, "raw": bad_risks}]
    status, answer = _call(base, "persistEntry", dataFiles=files, entry={}, assets=[])
    assert status == 403 and "未保存" in answer["error"], answer
    assert index.stat().st_ino == stat.st_ino and "owner: 张伟" in index.read_text("utf-8")


def _raw_post(base: str, body: bytes, length: str) -> tuple[int, bytes]:
    import http.client

    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("POST", "/api/v1")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", length)
    connection.endheaders()
    connection.send(body)
    answer = connection.getresponse()
    return answer.status, answer.read()


def test_malformed_requests_get_an_answer_not_a_traceback(
    editor: tuple[str, Any, Path], capfd: pytest.CaptureFixture[str]
) -> None:
    base, _, _ = editor
    assert _raw_post(base, b"{}", "-1")[0] == 411
    assert _raw_post(base, b"{}", "abc")[0] == 411
    assert _raw_post(base, b"", str(300 * 1024 * 1024))[0] == 413  # the body is never read
    for body in (b"[1, 2]", b"{not json", b'{"action": "persistEntry", "params": {"entry": 5}}',
                 b'{"action": "getEntry", "params": []}', b'"text"'):
        status, answer = _raw_post(base, body, str(len(body)))
        assert status == 400 and "Traceback" not in answer.decode(), body
    assert _call(base, "info")[0] == 200  # still serving
    assert "Traceback" not in capfd.readouterr().err


def test_a_link_in_a_listed_folder_is_not_listed(editor: tuple[str, Any, Path]) -> None:
    base, _, root = editor
    meetings = root / "engagements" / HENGTONG / "meetings"
    (meetings / "2026-01-01-link.md").symlink_to("/etc/hostname")
    (meetings / "folder-link").symlink_to(root.parent, target_is_directory=True)
    status, entries = _call(base, "entriesByFolder", folder=f"engagements/{HENGTONG}/meetings",
                            extension="md", depth=2)
    assert status == 200 and entries
    paths = [e["file"]["path"] for e in entries]
    assert all(p.startswith(f"engagements/{HENGTONG}/meetings/") for p in paths)
    assert not any("link" in p for p in paths)
    assert str(root) not in json.dumps(entries, ensure_ascii=False)


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_uploads_are_documents_and_images_only(editor: tuple[str, Any, Path]) -> None:
    import base64

    base, _, root = editor

    def upload(name: str, content: bytes) -> Any:
        asset = {"path": f"docs/uploads/{name}", "content": base64.b64encode(content).decode(),
                 "encoding": "base64"}
        return _call(base, "persistMedia", asset=asset)

    page = b"<html><script>alert(1)</script></html>"
    for name, content in (("x.html", page), ("x.md", b"# <script>x</script>"),
                          ("x.svg", b"<svg onload='x'/>"), ("x.pdf", page), ("x.png", page),
                          ("x.docx", b"PK\x03\x04 not a zip"), ("x.pdf.html", b"%PDF-1.4")):
        status, answer = upload(name, content)
        assert status == 403 and answer["error"], name
        assert not (root / "docs" / "uploads" / name).exists()
    assert upload("map.png", PNG)[0] == 200
    assert (root / "docs" / "uploads" / "map.png").read_bytes() == PNG
    assert upload("scan.PDF", b"%PDF-1.7\n...")[0] == 200


def test_all_engagements_lists_each_engagement_once(editor: tuple[str, Any, Path]) -> None:
    """Issue 27: 全部项目 listed about 40 blank rows (every stage file and record)."""
    base, _, root = editor
    status, entries = _call(base, "entriesByFolder", folder="engagements", extension="md", depth=2)
    assert status == 200
    paths = sorted(e["file"]["path"] for e in entries)
    folders = sorted(p.name for p in (root / "engagements").iterdir() if (p / "index.md").is_file())
    assert paths == [f"engagements/{f}/index.md" for f in folders]


def test_visibility_and_kinds_are_offered_in_chinese(samples: Path) -> None:
    config = cms_config(load_portfolio(samples), catalogue("zh"))
    fields = {f["name"]: f for c in config["collections"] for f in c.get("fields", [])}
    visibility = fields["visibility"]
    assert {o["label"] for o in visibility["options"]} == {"内部", "合作方", "公开"}
    kind = fields["kind"]
    assert "启动会" in {o["label"] for o in kind["options"]}


def test_a_field_a_stage_needs_says_so_in_the_form(samples: Path) -> None:
    """Issue 27: every field said (可选) even where validate requires it at the stage."""
    config = cms_config(load_portfolio(samples), catalogue("zh"))
    files = {f["name"]: f for f in _collection(config, f"e-{HENGTONG}")["files"]}
    index = files["index"]["fields"]
    assert "离开合作洽谈前必填" in _field(index, "partner", "credit_code")["hint"]
    assert "离开前期准备前必填" in _field(index, "terms", "profit_split")["hint"]
    assert "进入合作执行与监控前必填" in _field(index, "terms", "dispute_resolution", "method")["hint"]
    # the collection's own form for new engagements says the same
    engagements = _collection(config, "engagements")
    assert "离开合作洽谈前必填" in _field(engagements["fields"], "partner", "credit_code")["hint"]


def test_an_amount_is_typed_as_people_write_it(samples: Path) -> None:
    """Issue 27: amounts were typed as raw 元; the field takes 8000万 and 1.2亿 (read in 元)."""
    from docgen.domain.model import Money

    config = cms_config(load_portfolio(samples), catalogue("zh"))
    index = _collection(config, "engagements")["fields"]
    amount = _field(index, "terms", "investment", "amount")
    assert amount["widget"] == "string" and "8000万" in amount["hint"]
    assert Money.model_validate({"amount": "8000万"}).amount == 80_000_000  # what the file then holds


def test_items_done_today_are_marked_in_one_save(editor_zh: tuple[str, Any, Path]) -> None:
    """Issue 27: marking one item done took 9 clicks; the stage form's 今天完成 marks any
    number of items done today, by their owners, in one save."""
    base, _, root = editor_zh
    rel = f"engagements/{HENGTONG}/execution.md"
    item = "periodic-review.record"
    def tick(text: str) -> str:  # what the form sends with the item chosen under 今天完成
        lines = text.split("\n")
        lines.insert(1, f"docgen_done_today: [{item}]")
        return "\n".join(lines)

    status, answer = _save(base, rel, tick)
    assert status == 200, answer
    text = (root / rel).read_text("utf-8")
    assert "docgen_done_today" not in text
    from docgen.workspace.load import load_portfolio

    state = load_portfolio(root, [HENGTONG]).get(HENGTONG).stages["execution"].data.checklist[item]
    assert str(state.done) == os.environ.get("DOCGEN_TODAY", "2026-11-26")
    assert state.by == state.owner


@needs("chromium")
def test_an_item_is_marked_done_in_three_clicks(editor_zh: tuple[str, Any, Path], browser: Any) -> None:
    """Issue 27: from the stage's form, one checklist item done in three clicks (was nine)."""
    base, _, root = editor_zh
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/admin/")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("全部项目").first.wait_for()
    page = _open(page, f"{base}/admin/#/collections/e-{HENGTONG}/entries/execution")
    clicks = 0
    _input(page, "^今天完成").click()
    clicks += 1
    page.keyboard.type("对评估结果进行记录")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()
    clicks += 2
    page.get_by_text("已发布").first.wait_for()
    assert clicks <= 3
    from docgen.workspace.load import load_portfolio

    state = load_portfolio(root, [HENGTONG]).get(HENGTONG).stages["execution"].data.checklist
    assert state["periodic-review.record"].done is not None
    assert "docgen_done_today" not in (root / "engagements" / HENGTONG / "execution.md").read_text("utf-8")


def test_a_refusal_names_the_field_in_words(editor_zh: tuple[str, Any, Path]) -> None:
    """Issue 27: refusals were technical toasts naming file:line:col and a code."""
    base, _, _ = editor_zh
    rel = f"engagements/{HENGTONG}/index.md"
    status, answer = _save(base, rel, lambda t: t.replace("mode: joint-venture", "mode: 合伙"))
    assert status == 403, answer
    error = answer["error"]
    assert error.startswith("未保存：合作模式：") and "合伙" in error, error
    assert "unknown-mode" not in error and "index.md:" not in error, error


def test_a_refused_save_marks_the_field_in_the_form(
    editor_zh: tuple[str, Any, Path], browser: Any, artifacts: Path
) -> None:
    """Issue 27: a refusal is said in words and the field it is about is marked in the form."""
    base, _, root = editor_zh
    before = (root / "engagements" / HENGTONG / "index.md").read_bytes()
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{base}/admin/")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("全部项目").first.wait_for()
    page = _open(page, f"{base}/admin/#/collections/e-{HENGTONG}/entries/index")
    field = _input(page, "^统一社会信用代码")
    field.fill("91330106MA2H3PL80X")  # its check digit is wrong
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()
    note = page.locator(".docgen-refusal")
    note.first.wait_for()
    assert "91330106MA2H3PL80X" in note.first.inner_text() and "credit-code" not in note.first.inner_text()
    assert field.get_attribute("aria-invalid") == "true"
    assert note.first.get_attribute("role") == "alert" and note.first.is_visible()
    page.screenshot(path=artifacts / "cms-refusal-390.png")
    assert (root / "engagements" / HENGTONG / "index.md").read_bytes() == before
    # put right, the next save goes through and the mark is gone
    field.fill("")
    field.fill("91330106MA2H3PL80J")
    _choose(page, "负责人", "李娜")
    _publish(page)
    assert page.locator(".docgen-refusal").count() == 0
    assert field.get_attribute("aria-invalid") is None
