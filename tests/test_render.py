"""Word deliverables: every template for every sample, golden text, XML facts, safety."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, TODAY, build_tree, copy_samples
from docgen.pipeline.render import render_documents
from docx_text import docx_text
from system_tools import needs

GOLDEN = Path(__file__).parent / "golden" / "documents"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

#: Every document the samples get (stage reached, status, records, meetings, English).
EXPECTED = {
    "2023-009-haixin-semiconductor": [
        "call-for-partners", "cooperation-agreement", "cooperation-plan", "due-diligence-report",
        "evaluation-report", "execution-plan", "kickoff-plan", "letter-of-intent",
        "meeting-minutes-2026-09-30-renewal-retrospective", "memorandum", "renewal-agreement",
        "risk-register", "satisfaction-survey",
    ],
    "2024-003-jinghua-materials": [
        "call-for-partners", "cooperation-agreement", "cooperation-plan", "due-diligence-report",
        "evaluation-report", "execution-plan", "kickoff-plan", "letter-of-intent",
        "meeting-minutes-2026-07-15-retrospective", "memorandum", "risk-register",
        "satisfaction-survey", "termination-agreement",
    ],
    "2025-014-hengtong-logistics": [
        "call-for-partners", "cooperation-agreement", "cooperation-agreement.en",
        "cooperation-plan", "due-diligence-report", "execution-plan", "kickoff-plan",
        "letter-of-intent", "letter-of-intent.en", "meeting-minutes-2026-03-10-kickoff",
        "meeting-minutes-2026-09-24-q3-review", "memorandum", "risk-register",
        "major-event-notice", "retrospective-report", "supplementary-agreement",
    ],
    "2026-005-bluewave-biopharma": [
        "call-for-partners", "cooperation-agreement", "cooperation-plan", "due-diligence-report",
        "kickoff-plan", "letter-of-intent", "meeting-minutes-2026-11-13-dd-findings", "memorandum",
        "qualification-review",
    ],
    # a direct lead (origin: direct): no 招商公告
    "2026-008-huaxin-storage": [
        "cooperation-plan", "letter-of-intent", "meeting-minutes-2026-09-18-term-talks",
        "memorandum",
    ],
    "2026-011-lingyun-robotics": ["cooperation-plan"],
}


def xml(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


def parts(path: Path, prefix: str) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith(prefix))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples rendered once (not a git repository: no revisions, fixed dates)."""
    os.environ["DOCGEN_TODAY"] = TODAY
    root = copy_samples(tmp_path_factory.mktemp("ws"))
    report = render_documents(root, jobs=1)
    # every sample gives what each of its documents needs: no error, no warning
    assert report.diagnostics == [], [d.format() for d in report.diagnostics]
    return root / "build" / "documents"


def test_every_sample_gets_its_documents(rendered: Path) -> None:
    for engagement, docs in EXPECTED.items():
        made = sorted(p.name.removesuffix(".docx") for p in (rendered / engagement).glob("*.docx")) \
            if (rendered / engagement).exists() else []
        assert made == sorted(docs), engagement
    assert sum(len(d) for d in EXPECTED.values()) == 56


def test_text_matches_golden_files(rendered: Path) -> None:
    mismatched = []
    for docx_file in sorted(rendered.glob("*/*.docx")):
        rel = docx_file.relative_to(rendered).with_suffix(".txt")
        text = docx_text(docx_file)
        golden = GOLDEN / rel
        if UPDATE:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(text, encoding="utf-8")
        elif not golden.exists() or golden.read_text(encoding="utf-8") != text:
            mismatched.append(str(rel))
    assert not mismatched, f"differs from tests/golden (UPDATE_GOLDEN=1 rewrites): {mismatched}"


def test_contract_xml_facts(rendered: Path) -> None:
    contract = rendered / "2025-014-hengtong-logistics" / "cooperation-agreement.docx"
    styles = xml(contract, "word/styles.xml")
    assert 'w:eastAsia="宋体"' in styles and 'w:eastAsia="黑体"' in styles
    numbering = xml(contract, "word/numbering.xml")
    assert 'w:lvlText w:val="第%1条"' in numbering and '<w:numFmt w:val="chineseCounting"/>' in numbering
    body = xml(contract, "word/document.xml")
    # articles and clauses carry the numbered styles, not typed numbers
    assert body.count('<w:pStyle w:val="条"/>') >= 10 and "第一条" not in body
    assert "甲方认缴出资人民币陆仟万元整（¥60,000,000.00），占注册资本的 40%" in body
    assert "上海国际仲裁中心" in body and "91330106MA2H3PL80J" in body
    headers, footers = parts(contract, "word/header"), parts(contract, "word/footer")
    assert "合作协议" in headers and "商业秘密" in headers
    assert "草稿" not in headers  # signed
    assert " PAGE " in footers and " NUMPAGES " in footers and "版本 1.0" in footers
    core = xml(contract, "docProps/core.xml")
    assert "恒通智慧物流园区合资运营项目 合作协议" in core and "<cp:version>1.0</cp:version>" in core
    assert "2026-03-02T00:00:00Z" in core  # no git history here: the signing date, not the clock


def test_draft_mark_only_on_drafts(rendered: Path) -> None:
    draft = rendered / "2026-005-bluewave-biopharma" / "cooperation-agreement.docx"
    assert "草稿" in parts(draft, "word/header")  # the record says status: draft
    approved = rendered / "2025-014-hengtong-logistics" / "kickoff-plan.docx"
    assert "草稿" not in parts(approved, "word/header")
    no_record = rendered / "2026-008-huaxin-storage" / "memorandum.docx"
    assert "草稿" in parts(no_record, "word/header") and "版本 0.1" in parts(no_record, "word/footer")


def test_reports_have_toc_and_charts(rendered: Path) -> None:
    report = rendered / "2024-003-jinghua-materials" / "evaluation-report.docx"
    body = xml(report, "word/document.xml")
    assert 'TOC \\o "1-3"' in body
    assert '<w:updateFields w:val="true"/>' in xml(report, "word/settings.xml")
    charts = parts(report, "word/charts/")
    assert charts.count("<c:barChart>") >= 2 and "代理销售额" in charts  # labels stay text
    assert "c:chart" in body


def test_english_versions(rendered: Path) -> None:
    text = docx_text(rendered / "2025-014-hengtong-logistics" / "cooperation-agreement.en.docx")
    assert "Party B: Hangzhou Hengtong Smart Logistics Co., Ltd." in text
    assert "Shanghai International Arbitration Center" in text and "15 years" in text
    assert "Page" in parts(rendered / "2025-014-hengtong-logistics" / "cooperation-agreement.en.docx",
                           "word/footer")


def test_rendering_twice_gives_identical_bytes(rendered: Path, tmp_path: Path) -> None:
    root = rendered.parents[1]
    again = tmp_path / "again"
    render_documents(root, out_dir=again, jobs=2, force=True)
    for first in rendered.glob("*/*.docx"):
        assert (again / first.relative_to(rendered)).read_bytes() == first.read_bytes(), first


def test_only_changed_documents_are_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_TODAY", TODAY)
    root = copy_samples(tmp_path)
    first = render_documents(root)
    # 54 documents, and of 恒通's two approved 合作方案 the earlier one and the redline
    assert len(first.written) == 62 and not first.unchanged
    assert "2025-014-hengtong-logistics/redlines/cooperation-plan-1.0-1.1.docx" in first.written
    assert "2025-014-hengtong-logistics/versions/cooperation-plan-1.0.docx" in first.written
    second = render_documents(root)
    assert not second.written and len(second.unchanged) == 62
    index = root / "engagements/2026-005-bluewave-biopharma/index.md"
    index.write_text(index.read_text("utf-8").replace("总投资 12 亿元", "总投资 13 亿元"), "utf-8")
    (root / "build/documents/2024-003-jinghua-materials/memorandum.docx").unlink()
    third = render_documents(root)
    summary = [w for w in third.written if w.startswith("2026-005-bluewave-biopharma/")]
    assert "2024-003-jinghua-materials/memorandum.docx" in third.written  # deleted: made again
    assert summary and "2026-005-bluewave-biopharma/call-for-partners.docx" in summary
    # the documents that print the summary, and nothing else; a frozen text stands
    assert len(third.written) == 1 + len(summary)
    assert "2026-005-bluewave-biopharma/cooperation-plan.docx" not in summary


HOSTILE = "**<script>alert(1)</script>** {{ 7*7 }} {% if x %}[链接](http://x) & 😀 " + "长" * 300


def test_partner_data_is_text(workspace: Path, tmp_path: Path) -> None:
    index = (workspace / "engagements/e/index.md").read_text("utf-8")
    index = index.replace("name: 苏州示例科技有限公司", f"name: '{HOSTILE}'")
    # a multi-line value that would be a heading, a list and a table as markdown
    index = index.replace("  scope: 示例合作范围", "  scope: |\n"
                          "    # 不是标题\n    - 不是列表 | 不是表格\n    1. 不是编号")
    build_tree(workspace, {"engagements/e/index.md": index})
    report = render_documents(workspace, docs=["letter-of-intent"])
    assert report.ok and report.written == ["e/letter-of-intent.docx"], report.diagnostics
    text = docx_text(workspace / "build/documents/e/letter-of-intent.docx")
    assert f"乙方：{HOSTILE}" in text  # literally: no bold, no HTML, no template, no link
    # line breaks join (without a space after a Chinese character); nothing becomes markup
    assert "合作范围：# 不是标题- 不是列表 | 不是表格1. 不是编号。" in text
    assert "] 不是标题" not in text and "] 不是列表" not in text


def test_missing_field_names_file_and_line(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    result = run("render", "--root", str(workspace), "--doc", "cooperation-agreement")
    assert result.exit_code == 1
    lines = [line for line in result.out.splitlines() if "document-field-missing" in line]
    assert "engagements/e/index.md:4:1: error document-field-missing 合作协议 needs partner.address" \
        in "\n".join(lines)
    assert any("terms.breach_liability" in line for line in lines)
    assert not (workspace / "build/documents/e/cooperation-agreement.docx").exists()


def test_unknown_document_and_template_errors(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    result = run("render", "--root", str(workspace), "--doc", "contract")
    assert result.exit_code == 2 and "no document 'contract'" in result.err
    build_tree(workspace, {"templates/documents/memorandum.md.j2": "{#\ntitle: 备忘录\n#}\n# {{ partner.nmae }}\n"})
    result = run("render", "--root", str(workspace), "--doc", "memorandum")
    assert result.exit_code == 1
    assert re.search(r"templates/documents/memorandum\.md\.j2:4:1: error template-error .*nmae", result.out)
    build_tree(workspace, {"templates/documents/memorandum.md.j2": "{#\ntitle: [备忘录\n#}\n"})
    result = run("render", "--root", str(workspace), "--doc", "memorandum")
    assert result.exit_code == 2 and "YAML header does not parse" in result.err


def test_workspace_template_overrides_the_default(workspace: Path) -> None:
    build_tree(workspace, {"templates/documents/letter-of-intent.md.j2":
                           "{#\ntitle: 意向书\n#}\n# 意向书\n\n本单位与{{ partner.name }}有意合作。\n"})
    render_documents(workspace, docs=["letter-of-intent"])
    text = docx_text(workspace / "build/documents/e/letter-of-intent.docx")
    assert "本单位与苏州示例科技有限公司有意合作。" in text


@needs("git")
def test_revision_table_is_the_records_and_the_date_comes_from_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCGEN_TODAY", TODAY)
    root = copy_samples(tmp_path)
    env = {**os.environ, "GIT_AUTHOR_NAME": "李娜", "GIT_AUTHOR_EMAIL": "l@x.cn",
           "GIT_COMMITTER_NAME": "李娜", "GIT_COMMITTER_EMAIL": "l@x.cn",
           "GIT_AUTHOR_DATE": "2026-04-01T10:00:00+08:00", "GIT_COMMITTER_DATE": "2026-04-01T10:00:00+08:00"}
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "wip prep done"]):
        subprocess.run(["git", *cmd], cwd=root, env=env, check=True)
    record = root / "engagements/2026-005-bluewave-biopharma/documents/cooperation-agreement.md"
    record.write_text(record.read_text("utf-8").replace(
        "language: zh\n",
        "language: zh\nrevisions:\n"
        "  - {version: '0.2', date: 2026-07-20, by: 李娜, changes: 补充股权质押解除条款}\n"
        "  - {version: '0.3', date: 2026-08-03, by: 李娜, changes: 按法律顾问意见修改违约责任}\n"), "utf-8")
    subprocess.run(["git", "commit", "-qam", "wip"], cwd=root, env=env, check=True)
    render_documents(root, ["2026-005-bluewave-biopharma"], docs=["cooperation-agreement"])
    contract = root / "build/documents/2026-005-bluewave-biopharma/cooperation-agreement.docx"
    text = docx_text(contract)
    # the 修订记录 is the record's, in order; never a commit message, an author's e-mail
    assert re.search(r"\| 0\.2 \| 2026年7月20日 \| 李娜 \| 补充股权质押解除条款 \|.*"
                     r"\| 0\.3 \| 2026年8月3日 \| 李娜 \| 按法律顾问意见修改违约责任 \|", text, re.S)
    assert "wip" not in text and "prep done" not in text and "l@x.cn" not in text
    # a draft's date is the newest commit of its inputs, never the clock
    assert "2026-04-01T02:00:00Z" in xml(contract, "docProps/core.xml")


@needs("libreoffice-writer-nogui", "fonts-noto-cjk", "poppler-utils")
def test_libreoffice_converts_every_document(rendered: Path, tmp_path: Path) -> None:
    flat = tmp_path / "flat"
    flat.mkdir()
    for docx_file in rendered.glob("*/*.docx"):
        shutil.copy(docx_file, flat / f"{docx_file.parent.name}__{docx_file.name}")
    sources = sorted(flat.iterdir())
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *map(str, sources)],
        check=True, capture_output=True, timeout=600,
    )
    pdfs = {p.stem for p in (tmp_path / "pdf").glob("*.pdf") if p.stat().st_size > 1000}
    assert pdfs == {s.stem for s in sources}
    pdf = tmp_path / "pdf" / "2025-014-hengtong-logistics__cooperation-agreement.pdf"
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    for expected in ("第一条定义与解释", "第二条合作内容与范围", "（一）合作范围", "第三条合资公司",
                     "注册资本为人民币壹亿伍仟万元整（¥150,000,000.00）", "杭州恒通智慧物流有限公司",
                     "江南高新技术产业开发区发展集团有限公司", "第1页共"):
        assert expected in text, expected
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts


def test_a_new_workspace_gets_the_shipped_templates(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    assert run("init", str(tmp_path / "ws")).exit_code == 0
    for folder in ("documents", "clauses", "engagement"):
        packaged = REPO / "src/docgen/data" / folder
        names = sorted(p.name for p in packaged.iterdir() if p.suffix in (".j2", ".md"))
        ours = tmp_path / "ws/templates" / folder
        assert names and names == sorted(p.name for p in ours.iterdir()), folder
        for name in names:
            assert (ours / name).read_bytes() == (packaged / name).read_bytes(), name
    assert (tmp_path / "ws/templates/reference.docx").read_bytes() == (REPO / "src/docgen/data/reference.docx").read_bytes()


def test_missing_organisation_field_points_into_mkdocs_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_TODAY", TODAY)
    root = copy_samples(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("        credit_code: 91320594MA1MQEN60G\n", ""), "utf-8")
    line = next(i for i, t in enumerate(config.read_text("utf-8").splitlines(), 1) if "organization:" in t)
    # a contract still in review: a signed one is made from its frozen text
    report = render_documents(root, ["2026-005-bluewave-biopharma"], docs=["cooperation-agreement"])
    found = [d for d in report.diagnostics if "organization.credit_code" in d.message]
    assert found and all((d.path, d.line, d.severity) == ("mkdocs.yml", line, "error") for d in found)
