"""Issue 9: what a hostile probe and a newcomer found, one test per finding.

Each runs the real entry point (the CLI in-process, or the library API the CLI calls)
and asserts file, line, code and exit status, and for the security findings that
nothing outside the workspace was read or written.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, INDEX, PREPARATION, REPO, build_tree

E = "engagements/e"
DOCS = {"docs/guide.md": "# 指南\n"}


def diagnostics(run, root: Path, *ids: str) -> list[dict]:  # type: ignore[no-untyped-def]
    result = run("validate", "--root", str(root), "--format", "json", *ids)
    return json.loads(result.out)["diagnostics"]


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``folder`` with its mode and bytes, to prove nothing changed."""
    return {
        str(p.relative_to(folder)): (p.stat().st_mode, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- 1. symlinks out of the workspace -------------------------------------------------


@pytest.fixture(autouse=True)
def _docs(workspace: Path) -> None:
    """MkDocs needs a docs/ folder to build the site."""
    build_tree(workspace, DOCS)


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the workspace holding a complete engagement and a meeting."""
    folder = tmp_path_factory.mktemp("outside")
    secret = INDEX.replace("title: 示例项目", "title: 外部机密项目").replace("ZS-1", "ZS-9")
    build_tree(
        folder,
        {
            "eng/index.md": secret,
            "eng/preparation.md": PREPARATION,
            "meeting.md": "---\ntitle: 外部机密会议\ndate: 2026-01-06\nattendees: [张伟]\n---\n",
        },
    )
    return folder


def test_symlinked_engagement_is_refused_not_read(workspace: Path, outside: Path, run) -> None:  # type: ignore[no-untyped-def]
    (workspace / "engagements" / "linked").symlink_to(outside / "eng")
    found = diagnostics(run, workspace)
    hit = [d for d in found if d["code"] == "outside-workspace"]
    assert hit and hit[0]["path"] == "engagements/linked" and hit[0]["severity"] == "error"
    assert run("validate", "--root", str(workspace)).exit_code == 1
    # never loaded: not in status, not in the site
    status = run("status", "--root", str(workspace))
    assert "外部机密项目" not in status.out
    before = snapshot(outside)
    result = run("publish", "--root", str(workspace))
    assert result.exit_code == 1
    site = workspace / "build" / "site"
    assert not site.exists() or "外部机密" not in "".join(
        p.read_text("utf-8", "ignore") for p in site.rglob("*.html")
    )
    assert snapshot(outside) == before


def test_symlinked_meeting_file_is_refused(workspace: Path, outside: Path, run) -> None:  # type: ignore[no-untyped-def]
    meetings = workspace / E / "meetings"
    meetings.mkdir()
    (meetings / "2026-01-06-secret.md").symlink_to(outside / "meeting.md")
    found = diagnostics(run, workspace)
    assert {
        (d["path"], d["line"], d["code"]) for d in found if d["code"] == "outside-workspace"
    } == {(f"{E}/meetings/2026-01-06-secret.md", 1, "outside-workspace")}


def test_advance_never_writes_through_a_symlink(workspace: Path, outside: Path, run) -> None:  # type: ignore[no-untyped-def]
    (workspace / "engagements" / "linked").symlink_to(outside / "eng")
    before = snapshot(outside)
    result = run("advance", "linked", "--force", "--root", str(workspace))
    assert result.exit_code == 2
    assert snapshot(outside) == before
    assert not (outside / "eng" / "negotiation.md").exists()


def test_symlinked_template_is_refused(workspace: Path, tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    evil = tmp_path.parent / f"{tmp_path.name}-evil.md.j2"
    evil.write_text("{#\ntitle: 备忘录\n#}\n外部模板\n", encoding="utf-8")
    folder = workspace / "templates" / "documents"
    folder.mkdir(parents=True)
    (folder / "memorandum.md.j2").symlink_to(evil)
    result = run("render", "--root", str(workspace), "--doc", "memorandum")
    assert result.exit_code != 0
    assert not (workspace / "build/documents/e/memorandum.docx").exists()


def test_configured_folder_outside_is_refused(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    mkdocs = (workspace / "mkdocs.yml").read_text("utf-8")
    build_tree(workspace, {"mkdocs.yml": mkdocs + "      output: ../elsewhere\n"})
    result = run("validate", "--root", str(workspace))
    assert result.exit_code == 2
    assert "mkdocs.yml:" in result.err and "outside-workspace" in result.err


# --- 2. formula injection --------------------------------------------------------------


def test_xlsx_cells_are_text_never_formulas(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    hostile = '=HYPERLINK("http://example.invalid","点击查看")'
    index = INDEX.replace("title: 示例项目", f"title: '{hostile}'").replace(
        "name: 苏州示例科技有限公司", "name: '=1+2'"
    )
    build_tree(workspace, {f"{E}/index.md": index})
    out = workspace / "track.xlsx"
    assert run("export", "xlsx", "-o", str(out), "--root", str(workspace)).exit_code == 0
    sheet = load_workbook(out)["项目"]
    row = [c for c in sheet[2]]
    assert row[1].value == hostile and row[1].data_type == "s" and row[1].quotePrefix
    assert row[2].value == "=1+2" and row[2].data_type == "s"
    # no cell anywhere is a formula
    book = load_workbook(out)
    assert not [c for s in book for r in s.iter_rows() for c in r if c.data_type == "f"]


# --- 3. sandboxed templates ------------------------------------------------------------


def test_templates_run_in_the_sandbox(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    marker = workspace.parent / "pwned"
    payload = "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}"
    build_tree(
        workspace,
        {"templates/documents/memorandum.md.j2": "{#\ntitle: 备忘录\n#}\n# 备忘录\n\n" + payload + "\n"},
    )
    result = run("render", "--root", str(workspace), "--doc", "memorandum")
    assert not marker.exists()
    assert result.exit_code == 1
    assert "templates/documents/memorandum.md.j2:6:1: error template-error" in result.out


def test_templates_cannot_change_what_they_are_given(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    # an engagement's values are shared by its documents: a template changing a list
    # would change what the next document's template reads
    payload = "{{ milestones.append('x') }}"
    build_tree(
        workspace,
        {"templates/documents/memorandum.md.j2": "{#\ntitle: 备忘录\n#}\n# 备忘录\n\n" + payload + "\n"},
    )
    result = run("render", "--root", str(workspace), "--doc", "memorandum")
    assert result.exit_code == 1
    assert "templates/documents/memorandum.md.j2:6:1: error template-error" in result.out
    assert "unsafe" in result.out or "不安全" in result.out, result.out


# --- 4. the partner site's procedure page -----------------------------------------------


def test_partner_procedure_page_holds_no_internal_item(tmp_path: Path) -> None:
    from docgen.core.i18n import catalogue
    from docgen.site.procedure import procedure
    from docgen.site.templates import environment, render
    from docgen.workspace.audience import for_audience
    from docgen.workspace.load import load_portfolio

    t = catalogue("zh")

    def procedure_page(process) -> str:  # type: ignore[no-untyped-def]
        view = procedure(process, t)
        return render(environment(DATA, t), "procedure.html", view=view, root="")

    portfolio = load_portfolio(REPO)
    process = portfolio.process
    internal = [item.title for _, _, item in process.items.values() if item.internal]
    internal_docs = [d.title for d in process.documents if d.visibility == "internal"]
    assert internal and internal_docs
    partner = procedure_page(for_audience(portfolio, "partner").process)
    for text in internal + internal_docs:
        assert text not in partner, text
    inside = procedure_page(process)
    assert all(t in inside for t in internal + internal_docs)


# --- 5. control characters -------------------------------------------------------------


def test_control_characters_are_warned_and_shown_alike(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    from docx_text import docx_text as docx_text_of

    index = INDEX.replace("name: 苏州示例科技有限公司", 'name: "苏州\\v示例\\e科技\\x01有限\\u202E公司"')
    build_tree(workspace, {f"{E}/index.md": index})
    found = [d for d in diagnostics(run, workspace) if d["code"] == "control-character"]
    assert {(d["path"], d["line"], d["severity"]) for d in found} == {(f"{E}/index.md", 5, "warning")}
    assert {m for d in found for m in ("U+000B", "U+001B", "U+0001", "U+202E") if m in d["message"]} == {
        "U+000B", "U+001B", "U+0001", "U+202E"
    }
    shown = "苏州［U+000B］示例［U+001B］科技［U+0001］有限［U+202E］公司"
    assert run("render", "--root", str(workspace), "--doc", "letter-of-intent").exit_code == 0
    assert shown in docx_text_of(workspace / "build/documents/e/letter-of-intent.docx")
    assert run("publish", "--root", str(workspace)).exit_code == 0
    page = (workspace / "build/site/engagements/e/index.html").read_text("utf-8")
    assert shown in page and "\u202e" not in page and "\x0b" not in page


# --- 6. modes follow the umask ----------------------------------------------------------


def test_new_files_and_folders_follow_the_umask(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    old = os.umask(0o022)
    try:
        ws = tmp_path / "ws"
        assert run("init", str(ws)).exit_code == 0
        assert (ws / "mkdocs.yml").stat().st_mode & 0o777 == 0o644
        assert run(
            "new", "2026-001-a", "--title", "甲", "--partner", "甲公司", "--mode", "合资",
            "--owner", "张伟", "--root", str(ws),
        ).exit_code == 0
        folder = ws / "engagements" / "2026-001-a"
        assert folder.stat().st_mode & 0o777 == 0o755
        assert (folder / "index.md").stat().st_mode & 0o777 == 0o644
        os.umask(0o027)
        ics = ws / "cal.ics"
        assert run("export", "ics", "-o", str(ics), "--root", str(ws)).exit_code == 0
        assert ics.stat().st_mode & 0o777 == 0o640
        # an existing file keeps its own mode
        os.chmod(folder / "index.md", 0o600)
        assert run("advance", "2026-001-a", "--force", "--root", str(ws)).exit_code == 1
        assert (folder / "index.md").stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)


def test_rendered_documents_are_readable_by_the_web_server(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    old = os.umask(0o022)
    try:
        assert run("render", "--root", str(workspace), "--doc", "letter-of-intent").exit_code == 0
        docx = workspace / "build/documents/e/letter-of-intent.docx"
        assert docx.stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)


# --- 7. exports make folders only where they may -----------------------------------------


def test_export_does_not_create_folders_outside(workspace: Path, tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path.parent / f"nonexistent-{tmp_path.name}" / "dir" / "x.xlsx"
    result = run("export", "xlsx", "-o", str(target), "--root", str(workspace))
    assert result.exit_code == 2 and "does not exist" in result.err
    assert not target.parent.parent.exists()
    inside = workspace / "exports" / "x.xlsx"
    assert run("export", "xlsx", "-o", str(inside), "--root", str(workspace)).exit_code == 0
    assert inside.is_file()


# --- 8. schema --root ---------------------------------------------------------------------


def test_schema_writes_to_the_workspace_root(workspace: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(workspace / "engagements")
    assert run("schema").exit_code == 0
    assert (workspace / "schema" / "index.schema.json").is_file()
    assert not (workspace / "engagements" / "schema").exists()
    assert run("validate").exit_code == 0
    refused = run("schema", "--out", str(workspace / "engagements" / "schema"))
    assert refused.exit_code == 2 and not (workspace / "engagements" / "schema").exists()
    other = workspace.parent / "elsewhere-ws"
    build_tree(other, {"mkdocs.yml": "site_name: x\n"})
    assert run("schema", "--root", str(other)).exit_code == 0
    assert (other / "schema" / "process.schema.json").is_file()


# --- 9. init writes .gitignore --------------------------------------------------------------


def test_init_ignores_build_outputs(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    assert run("init", str(tmp_path)).exit_code == 0
    ignored = (tmp_path / ".gitignore").read_text("utf-8").split()
    assert "/build/" in ignored and "/site/" in ignored
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "x.docx").write_bytes(b"x")
    check = subprocess.run(
        ["git", "-C", str(tmp_path), "check-ignore", "build/x.docx"], capture_output=True
    )
    assert check.returncode == 0


# --- 10. validate predicts publish -----------------------------------------------------------


def test_validate_fails_where_publish_would(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    index = INDEX.replace("  scope: 示例合作范围\n", "").replace("stage: preparation", "stage: negotiation")
    prep = "---\nchecklist:\n" + "".join(
        f"  {i}: {{waived: 不适用}}\n"
        for i in __import__("docgen.domain.process", fromlist=["x"])
        .load_process(workspace / "templates/process.yml", "p")
        .stage_items("preparation")
    ) + "---\n"
    build_tree(workspace, {f"{E}/index.md": index, f"{E}/preparation.md": prep})
    found = diagnostics(run, workspace)
    missing = [d for d in found if d["code"] == "document-field-missing" and d["severity"] == "error"]
    assert missing and all(d["path"] == f"{E}/index.md" for d in missing)
    assert any("terms.scope" in d["message"] for d in missing)
    assert run("validate", "--root", str(workspace)).exit_code == 1
    assert run("publish", "--root", str(workspace)).exit_code == 1


def test_publish_keep_going_builds_the_rest(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    build_tree(
        workspace,
        {
            "engagements/ok/index.md": INDEX.replace("ZS-1", "ZS-2").replace("示例项目", "完好项目"),
            "engagements/ok/preparation.md": PREPARATION,
            f"{E}/index.md": INDEX.replace("owner: 张伟", "ownr: 张伟"),
        },
    )
    assert run("publish", "--root", str(workspace)).exit_code == 1
    assert not (workspace / "build/site/index.html").exists()
    result = run("publish", "--root", str(workspace), "--keep-going")
    assert result.exit_code == 1
    assert "left out for their errors: e" in result.err
    home = (workspace / "build/site/index.html").read_text("utf-8")
    assert "1 个项目有错误，未发布" in home and "完好项目" in home
    assert (workspace / "build/site/engagements/ok/index.html").is_file()
    assert not (workspace / "build/site/engagements/e/index.html").exists()


# --- 11. deterministic output ------------------------------------------------------------------


def test_output_is_the_same_whatever_the_hash_seed(workspace: Path) -> None:
    index = INDEX.replace("stage: preparation", "stage: negotiation").replace("  scope: 示例合作范围\n", "")
    build_tree(workspace, {f"{E}/index.md": index})
    outputs = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "DOCGEN_NO_CACHE": "1", "DOCGEN_TODAY": "2026-11-26"}
        done = subprocess.run(
            [sys.executable, "-m", "docgen", "validate", "--root", str(workspace)],
            capture_output=True, text=True, env=env,
        )
        rendered = subprocess.run(
            [sys.executable, "-m", "docgen", "render", "--force", "--root", str(workspace)],
            capture_output=True, text=True, env=env,
        )
        outputs.add((done.stdout, rendered.stdout))
    assert len(outputs) == 1


# --- 12. an unmet item is said once -------------------------------------------------------------


def test_refused_advance_lists_each_item_once(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    result = run("advance", "e", "--root", str(workspace))
    assert result.exit_code == 1
    lines = [line for line in result.out.splitlines() if "gate-unmet" in line]
    items = [line.split("'")[1] for line in lines if "'" in line]
    assert items and len(items) == len(set(items)), lines


# --- 13. no phantom locations ------------------------------------------------------------------


def test_missing_file_is_named_as_missing(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    result = run("render", "--root", str(workspace), "--doc", "execution-plan")
    lines = [line for line in result.out.splitlines() if "needs tasks" in line]
    assert lines and lines[0].startswith(f"{E}/plan.md:1:1: error document-field-missing")
    assert "plan.md does not exist" in lines[0] and "create" in lines[0]


# --- 14. no folder named that was never made ------------------------------------------------------


def test_render_names_no_folder_it_did_not_make(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    result = run("render", "--root", str(workspace), "--doc", "execution-plan")
    assert "build/documents" not in result.err
    assert not (workspace / "build" / "documents" / "e").exists()


# --- 15. the stage comment follows the stage --------------------------------------------------------


def test_advance_updates_the_scaffold_stage_comment(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    ws = tmp_path / "ws"
    run("init", str(ws))
    run("new", "2026-001-a", "--title", "甲", "--partner", "甲公司", "--mode", "合资",
        "--owner", "张伟", "--root", str(ws))
    folder = ws / "engagements" / "2026-001-a"
    prep = (folder / "preparation.md").read_text("utf-8")
    prep = "\n".join(
        line + "\n    done: 2026-11-20" if line.strip().startswith("owner:") else line
        for line in prep.split("\n")
    )
    (folder / "preparation.md").write_text(prep, encoding="utf-8")
    index = (folder / "index.md").read_text("utf-8")
    index = (
        index.replace("summary:                # 一句话", "summary: 示例  # 一句话")
        .replace("  scope:                #", "  scope: 范围  #")
        .replace("  profit_split:         #", "  profit_split: {us: 50, partner: 50}  #")
        .replace("  exit_mechanism:       #", "  exit_mechanism: 协商退出  #")
    )
    (folder / "index.md").write_text(index, encoding="utf-8")
    result = run("advance", "2026-001-a", "--root", str(ws))
    assert result.exit_code == 0, result.out + result.err
    text = (folder / "index.md").read_text("utf-8")
    assert "stage: negotiation  # 合作洽谈" in text and "前期准备" not in text.split("stage:")[1].split("\n")[0]


# --- 16. duplicate codes ---------------------------------------------------------------------------


def test_validate_one_engagement_sees_a_code_used_elsewhere(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    build_tree(workspace, {"engagements/f/index.md": INDEX, "engagements/f/preparation.md": PREPARATION})
    found = [d for d in diagnostics(run, workspace, "e") if d["code"] == "duplicate-id"]
    assert [(d["path"], d["line"]) for d in found] == [(f"{E}/index.md", 3)]
    assert "engagements/f" not in {d["path"].rsplit("/", 1)[0] for d in found}


# --- 17. evidence: true ----------------------------------------------------------------------------


def test_item_that_needs_evidence_needs_it(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    prep = "---\nchecklist:\n  plan-design.draft-plan:\n    done: 2026-01-10\n    by: 张伟\n---\n"
    build_tree(workspace, {f"{E}/preparation.md": prep})
    found = [d for d in diagnostics(run, workspace) if d["code"] == "evidence-missing"]
    assert [(d["path"], d["line"], d["severity"]) for d in found] == [(f"{E}/preparation.md", 4, "error")]


# --- 18. credit codes print in capitals ---------------------------------------------------------------


def test_lowercase_credit_code_is_normalised(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    build_tree(workspace, {f"{E}/index.md": INDEX.replace("91320505MA1XH7K20A", "91320505ma1xh7k20a")})
    assert not [d for d in diagnostics(run, workspace) if d["code"].startswith("credit-code")]
    from docx_text import docx_text as docx_text_of

    assert run("render", "--root", str(workspace), "--doc", "letter-of-intent").exit_code == 0
    text = docx_text_of(workspace / "build/documents/e/letter-of-intent.docx")
    assert "91320505MA1XH7K20A" in text and "ma1xh7k20a" not in text


# --- 19. full-width list separators ---------------------------------------------------------------------


def test_fullwidth_commas_in_a_list_are_warned(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    build_tree(workspace, {f"{E}/index.md": INDEX.replace("owner: 张伟", "owner: 张伟\nteam: [张伟，李娜，陈晨]")})
    found = [d for d in diagnostics(run, workspace) if d["code"] == "invalid-value"]
    assert [(d["path"], d["line"], d["severity"]) for d in found] == [(f"{E}/index.md", 11, "warning")]
    assert "team: [张伟, 李娜, 陈晨]" in found[0]["hint"]


# --- 20. an empty waived: ----------------------------------------------------------------------------------


def test_empty_waiver_is_reported(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    prep = "---\nchecklist:\n  market-research.collect-info:\n    waived:\n---\n"
    build_tree(workspace, {f"{E}/preparation.md": prep})
    found = [d for d in diagnostics(run, workspace) if d["code"] == "item-state"]
    assert [(d["path"], d["line"]) for d in found] == [(f"{E}/preparation.md", 4)]
    assert "empty" in found[0]["message"]


# --- 21. mistakes with their own hint -------------------------------------------------------------------------


def test_fullwidth_colon_is_named_at_its_line(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    build_tree(workspace, {f"{E}/index.md": INDEX.replace("owner: 张伟", "owner：张伟")})
    found = diagnostics(run, workspace)
    assert [(d["path"], d["line"], d["code"]) for d in found] == [(f"{E}/index.md", 10, "yaml-syntax")]
    assert "full-width colon" in found[0]["message"]


@pytest.mark.parametrize("written", ["2026年3月16日", "2026/03/16", "2026/3/16"])
def test_chinese_date_forms_get_the_corrected_value(workspace: Path, run, written: str) -> None:  # type: ignore[no-untyped-def]
    build_tree(workspace, {f"{E}/index.md": INDEX.replace("opened: 2026-01-05", f"opened: {written}")})
    found = diagnostics(run, workspace)
    assert [(d["line"], d["code"]) for d in found] == [(12, "invalid-date")]
    assert found[0]["hint"] == "write 2026-03-16"


# --- 22. one schema for the plugin and the workspace ---------------------------------------------------------


def test_audience_in_mkdocs_yml_is_accepted(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    mkdocs = (workspace / "mkdocs.yml").read_text("utf-8")
    build_tree(workspace, {"mkdocs.yml": mkdocs + "      audience: partner\n"})
    assert run("validate", "--root", str(workspace)).exit_code == 0
    build_tree(workspace, {"mkdocs.yml": mkdocs + "      audiense: partner\n"})
    result = run("validate", "--root", str(workspace))
    assert result.exit_code == 2 and "unknown-key" in result.err and "audience" in result.err


# --- 23. search does not depend on plugin order ----------------------------------------------------------------


def test_engagements_are_searchable_whatever_the_plugin_order(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    mkdocs = (workspace / "mkdocs.yml").read_text("utf-8")
    reordered = mkdocs.replace("  - search\n  - docgen:\n      process: templates/process.yml\n",
                               "  - docgen:\n      process: templates/process.yml\n  - search\n")
    assert reordered != mkdocs
    build_tree(workspace, {"mkdocs.yml": reordered})
    assert run("publish", "--root", str(workspace)).exit_code == 0
    index = json.loads((workspace / "build/site/search/search_index.json").read_text("utf-8"))
    assert any(doc["location"] == "engagements/e/" for doc in index["docs"])
