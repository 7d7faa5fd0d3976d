"""Signed means frozen: the four failures of issue 10, through the real CLI, and their cures."""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import copy_samples
from test_render import docx_text

HENGTONG = "2025-014-hengtong-logistics"
HAIXIN = "2023-009-haixin-semiconductor"
BLUEWAVE = "2026-005-bluewave-biopharma"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return copy_samples(tmp_path)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / "engagements" / rel
    text = path.read_text("utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(i for i, t in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in t)


def contract(root: Path, engagement: str) -> Path:
    return root / "build" / "documents" / engagement / "cooperation-agreement.docx"


def test_a_signed_contract_does_not_change_and_the_edit_is_an_error(ws: Path, run) -> None:
    assert run("render", HENGTONG, "--root", str(ws)).exit_code == 0
    before = contract(ws, HENGTONG).read_bytes()
    edit(ws, f"{HENGTONG}/index.md", "lock_up_years: 3", "lock_up_years: 5")
    index = ws / "engagements" / HENGTONG / "index.md"
    result = run("validate", HENGTONG, "--root", str(ws), "--strict")
    assert result.exit_code == 1
    line = line_of(index, "lock_up_years")
    errors = [x for x in result.out.splitlines() if " error signed-document-changed " in x]
    assert any(x.startswith(f"engagements/{HENGTONG}/index.md:{line}:") and "合作协议 1.0" in x
               and "terms.joint_venture.lock_up_years: 3 → 5" in x and "补充协议" in x for x in errors), result.out
    # the diff of the text is shown under the finding
    assert "    -1. 股权转让限制：合资公司成立之日起三年内" in result.out
    assert "    +1. 股权转让限制：合资公司成立之日起五年内" in result.out
    # an edit of a side's contribution is told by its field, at its line, not as 甲方's view
    edit(ws, f"{HENGTONG}/index.md", "partner_investment: {amount: 90000000", "partner_investment: {amount: 95000000")
    result = run("validate", HENGTONG, "--root", str(ws))
    line = line_of(index, "partner_investment:")
    assert any(x.startswith(f"engagements/{HENGTONG}/index.md:{line}:")
               and "terms.partner_investment.amount: 90000000 → 95000000" in x
               for x in result.out.splitlines()), result.out
    assert "party_b." not in result.out and "all_parties" not in result.out
    # render still makes the signed text, byte for byte, with no 草稿 mark
    assert run("render", HENGTONG, "--root", str(ws), "--force").exit_code == 0
    assert contract(ws, HENGTONG).read_bytes() == before
    text = docx_text(contract(ws, HENGTONG))
    assert "合资公司成立之日起三年内" in text and "草稿" not in text


def test_the_documented_way_out_is_a_new_version(ws: Path, run) -> None:
    huaxin = "2026-008-huaxin-storage"  # in 洽谈, with a signed 意向书
    edit(ws, f"{huaxin}/index.md", "profit_split: {us: 30, partner: 70",
         "profit_split: {us: 35, partner: 65")
    result = run("validate", huaxin, "--root", str(ws))
    assert "error signed-document-changed 合作意向书 1.0" in result.out
    record = f"{huaxin}/documents/letter-of-intent.md"
    # back to draft without a new number: the frozen version is not reused
    edit(ws, record, "status: signed", "status: draft")
    result = run("validate", huaxin, "--root", str(ws))
    assert "error version-frozen version 1.0 is draft" in result.out
    edit(ws, record, 'version: "1.0"', 'version: "1.1"')
    edit(ws, record, "signed: 2026-10-30\n", "")
    result = run("validate", huaxin, "--root", str(ws))
    assert "signed-document-changed" not in result.out and "version-frozen" not in result.out
    # the old version's frozen text stays, and the site lists it beside the new one
    assert (ws / "engagements" / huaxin / "documents/letter-of-intent/1.0.md").is_file()
    assert run("render", huaxin, "--root", str(ws)).exit_code == 0
    text = docx_text(ws / "build/documents" / huaxin / "letter-of-intent.docx")
    assert "甲方 35%、乙方 65%" in text and "草稿" in text
    assert run("publish", "--root", str(ws)).exit_code == 0
    page = (ws / "build/site/engagements" / huaxin / "index.html").read_text("utf-8")
    assert '1.1<small>此前：<a href="documents/versions/letter-of-intent-1.0.docx">1.0</a></small>' in page
    signed = docx_text(ws / "build/documents" / huaxin / "versions/letter-of-intent-1.0.docx")
    assert "甲方 30%、乙方 70%" in signed and "草稿" not in signed  # the signed 1.0, as signed
    # and the redline from the signed 1.0 to the 1.1 under negotiation
    assert 'href="documents/redlines/letter-of-intent-1.0-1.1.docx">修订对照 1.0 → 1.1<' in page


def test_haixin_reproduces_its_2023_contract_and_the_renewal_has_its_own_terms(ws: Path, run) -> None:
    assert run("render", HAIXIN, "--root", str(ws)).exit_code == 0
    original = docx_text(contract(ws, HAIXIN))
    assert "自2023年9月15日起至2026年9月14日止" in original
    assert "2029" not in original and "车规级" not in original
    renewal = docx_text(ws / "build/documents" / HAIXIN / "renewal-agreement.docx")
    assert "自2026年9月15日起至2029年9月14日止" in renewal
    assert "人民币伍佰万元整（¥5,000,000.00）" in renewal  # the renewal's own 许可费
    assert "每季度不低于人民币柒拾伍万元整（¥750,000.00）" in renewal
    core = zipfile.ZipFile(contract(ws, HAIXIN)).read("docProps/core.xml").decode()
    assert "2023-09-15T00:00:00Z" in core  # dated the day it was signed
    record = ws / "engagements" / HAIXIN / "documents/renewal-agreement.md"
    assert re.search(r"version: \"2\.0\"}", record.read_text("utf-8"))  # its own approval


def test_a_stale_approval_is_an_error_at_its_line(ws: Path, run) -> None:
    record = f"{HENGTONG}/documents/cooperation-plan.md"
    edit(ws, record, 'version: "1.1"', 'version: "1.2"')
    result = run("validate", HENGTONG, "--root", str(ws))
    line = line_of(ws / "engagements" / record, "approvals:")
    assert result.exit_code == 1
    assert re.search(rf"cooperation-plan\.md:{line}:\d+: error approval-stale .*version 1\.2.*only of 1\.0, 1\.1",
                     result.out), result.out
    # handled the documented way: approve the new version (which freezes its text)
    approved = run("approve", HENGTONG, "cooperation-plan", "--by", "周建国", "--role", "集团总经理",
                   "--date", "2026-11-20", "--root", str(ws))
    assert approved.exit_code == 0, approved.out + approved.err
    assert (ws / "engagements" / HENGTONG / "documents/cooperation-plan/1.2.md").is_file()
    assert "approval-stale" not in run("validate", HENGTONG, "--root", str(ws)).out


def test_an_approval_of_a_version_not_reached_is_stale(ws: Path, run) -> None:
    record = f"{HENGTONG}/documents/kickoff-plan.md"
    edit(ws, record, 'date: 2026-03-06, version: "1.0"}', 'date: 2026-03-06, version: "1.0"}\n'
         '  - {by: 李娜, date: 2026-03-07, version: "2.0"}')
    result = run("validate", HENGTONG, "--root", str(ws))
    assert "error approval-stale this approval is of version 2.0" in result.out


def test_revision_tables_print_no_git_text(ws: Path, run) -> None:
    assert run("render", "--root", str(ws)).exit_code == 0
    for docx in (ws / "build" / "documents").rglob("*.docx"):
        text = docx_text(docx)
        assert "提交" not in text.split("修订记录")[-1] if "修订记录" in text else True
        assert not re.search(r"\b[0-9a-f]{8}\b \|", text), docx
        assert "@" not in text.split("修订记录")[-1] if "修订记录" in text else True
    plan = docx_text(ws / "build/documents" / HENGTONG / "cooperation-plan.docx")
    assert re.search(r"\| 1\.0 \| 2025年10月20日 \| 张伟 \| 初稿 \|", plan)


def test_approve_and_sign_freeze_the_text_and_record_the_executed_copy(ws: Path, run) -> None:
    stage = ws / "engagements" / BLUEWAVE / "establishment.md"
    text = stage.read_text("utf-8")
    for item in ("background", "legal-review"):
        assert re.search(rf"^  [a-z-]+\.{item}:", text, re.MULTILINE), item
    root = ["--root", str(ws)]
    # signing before approval is refused, with the way out
    refused = run("sign", BLUEWAVE, "cooperation-agreement", "--date", "2026-11-25", *root)
    assert refused.exit_code == 1 and "approval-stale" in refused.out
    assert "docgen approve" in refused.out
    # an approval dated after today is refused as a signing is, and nothing is written
    record_file = ws / "engagements" / BLUEWAVE / "documents/cooperation-agreement.md"
    untouched = record_file.read_bytes()
    future = run("approve", BLUEWAVE, "cooperation-agreement", "--by", "周建国",
                 "--role", "集团总经理", "--date", "2099-01-01", *root)
    assert future.exit_code == 1 and "done-in-future" in future.out and "2099-01-01" in future.out
    assert record_file.read_bytes() == untouched
    assert not (ws / "engagements" / BLUEWAVE / "documents/cooperation-agreement/0.3.md").exists()
    approved = run("approve", BLUEWAVE, "cooperation-agreement", "--by", "周建国",
                   "--role", "集团总经理", "--date", "2026-11-20", *root)
    assert approved.exit_code == 0, approved.out + approved.err
    frozen = ws / "engagements" / BLUEWAVE / "documents/cooperation-agreement/0.3.md"
    assert frozen.is_file() and "status: approved" in frozen.read_text("utf-8")
    # the gate: due diligence and legal review come before signing
    scan = ws / "engagements" / BLUEWAVE / "documents/executed/contract.pdf"
    scan.parent.mkdir(parents=True)
    scan.write_bytes(b"%PDF-1.4 scanned")
    gated = run("sign", BLUEWAVE, "cooperation-agreement", "--date", "2026-11-25",
                "--executed", str(scan), *root)
    assert gated.exit_code == 1 and "signed-before-review" in gated.out
    evidence = ws / "engagements" / BLUEWAVE / "notes/legal-review.md"
    evidence.parent.mkdir(exist_ok=True)
    evidence.write_text("# 法律顾问审核意见\n", "utf-8")
    for item in ("background", "legal-review"):
        text = re.sub(rf"(^  [a-z-]+\.{item}:\n)",
                      r"\1    done: 2026-11-21\n    by: 李娜\n    evidence: notes/legal-review.md\n",
                      text, flags=re.MULTILINE)
    stage.write_text(text, "utf-8")
    record = ws / "engagements" / BLUEWAVE / "documents/cooperation-agreement.md"
    before = record.read_text("utf-8")
    dry = run("sign", BLUEWAVE, "cooperation-agreement", "--date", "2026-11-25",
              "--executed", str(scan), "--dry-run", *root)
    assert dry.exit_code == 0 and "+status: signed" in dry.out and record.read_text("utf-8") == before
    signed = run("sign", BLUEWAVE, "cooperation-agreement", "--date", "2026-11-25",
                 "--executed", str(scan), *root)
    assert signed.exit_code == 0, signed.out + signed.err
    after = record.read_text("utf-8")
    assert "status: signed" in after and "signed: 2026-11-25" in after
    assert f"sha256: {hashlib.sha256(scan.read_bytes()).hexdigest()}" in after
    assert "executed/contract.pdf" in after
    assert "status: signed" in frozen.read_text("utf-8")
    assert run("validate", BLUEWAVE, *root).exit_code == 0
    # the scan is on the internal site, never on the partner's
    assert run("publish", *root).exit_code == 0
    site = ws / "build/site/engagements" / BLUEWAVE
    assert "documents/executed/contract.pdf" in (site / "index.html").read_text("utf-8")
    assert (site / "documents/executed/contract.pdf").read_bytes() == scan.read_bytes()
    edit(ws, f"{BLUEWAVE}/index.md", "visibility: internal", "visibility: partner")
    assert run("publish", "--audience", "partner", *root).exit_code == 0
    partner = ws / "build/site-partner"
    assert (partner / "engagements" / BLUEWAVE / "index.html").is_file()
    assert not list(partner.rglob("executed")) and not any(
        "签署扫描件" in p.read_text("utf-8") for p in partner.rglob("*.html"))
    # a changed scan is reported at the hash's line
    scan.write_bytes(b"%PDF-1.4 another scan")
    result = run("validate", BLUEWAVE, *root)
    line = line_of(record, "sha256:")
    assert f"cooperation-agreement.md:{line}:" in result.out and "executed-copy-changed" in result.out


def test_an_executed_copy_outside_the_engagement_is_refused(ws: Path, tmp_path: Path, run) -> None:
    outside = tmp_path / "scan.pdf"
    outside.write_bytes(b"x")
    result = run("sign", HENGTONG, "kickoff-plan", "--date", "2026-03-07", "--executed",
                 str(outside), "--root", str(ws))
    assert result.exit_code == 2 and "is not in engagements/" in result.err


def test_a_hand_edited_frozen_text_is_reported(ws: Path, run) -> None:
    frozen = ws / "engagements" / HENGTONG / "documents/cooperation-agreement/1.0.md"
    frozen.write_text(frozen.read_text("utf-8").replace("when:", "whenx:"), "utf-8")
    edit(ws, f"{HENGTONG}/index.md", "profit_split: {us: 40, partner: 60}",
         "profit_split: {us: 50, partner: 50}")
    result = run("validate", HENGTONG, "--root", str(ws))
    assert "frozen-text-invalid" in result.out


def _forget_digests(record: Path) -> None:
    """The record as it was before frozen texts' digests were kept."""
    text = record.read_text("utf-8")
    record.write_text(re.sub(r"frozen:\n(  .*\n)+", "", text), "utf-8")


def test_approved_but_not_frozen_is_a_warning_and_render_freezes_it(ws: Path, run) -> None:
    frozen = ws / "engagements" / HENGTONG / "documents/kickoff-plan/1.0.md"
    record = ws / "engagements" / HENGTONG / "documents/kickoff-plan.md"
    frozen.unlink()
    _forget_digests(record)  # approved by hand, never frozen: no digest either
    result = run("validate", HENGTONG, "--root", str(ws))
    assert "warning document-not-frozen" in result.out
    rendered = run("render", HENGTONG, "--root", str(ws))
    assert rendered.exit_code == 0 and "froze" in rendered.err and frozen.is_file()
    # and the record keeps the sha256 of what it froze
    digest = hashlib.sha256(frozen.read_bytes()).hexdigest()
    assert f"  1.0.md: {digest}\n" in record.read_text("utf-8")
    assert run("validate", HENGTONG, "--root", str(ws)).out.count("frozen-text") == 0


def _git_samples(root: Path) -> None:
    import subprocess

    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@x.cn",
                                                  "commit", "-qm", "samples"]):
        subprocess.run(["git", *args], cwd=root, check=True)


def test_a_hand_edit_of_a_signed_text_is_an_error_at_its_line(ws: Path, run) -> None:
    _git_samples(ws)
    frozen = ws / "engagements" / HENGTONG / "documents/cooperation-agreement/1.0.md"
    text = frozen.read_text("utf-8")
    assert "乙方" in text
    # the body of the signed text, which no value's digest covers
    lines = text.splitlines(keepends=True)
    changed = next(i for i, line in enumerate(lines) if "违约" in line and i > 40)
    lines[changed] = lines[changed].replace("违约", "轻微违约", 1)
    frozen.write_text("".join(lines), "utf-8")
    result = run("validate", HENGTONG, "--root", str(ws))
    assert result.exit_code == 1
    rel = f"engagements/{HENGTONG}/documents/cooperation-agreement/1.0.md"
    found = [x for x in result.out.splitlines() if " error frozen-text-tampered " in x]
    assert found and found[0].startswith(f"{rel}:{changed + 1}:"), result.out
    assert "git checkout -- " in found[0] and "+" in result.out and "轻微违约" in result.out
    # render refuses to make the signed contract from the edited text
    rendered = run("render", HENGTONG, "--root", str(ws), "--doc", "cooperation-agreement")
    assert rendered.exit_code == 1 and "frozen-text-tampered" in rendered.out
    docx = ws / "build" / "documents" / HENGTONG / "cooperation-agreement.docx"
    assert not docx.exists() or "轻微违约" not in docx_text(docx)
    # signing or approving over it is refused too, and nothing is written
    record = ws / "engagements" / HENGTONG / "documents" / "cooperation-plan.md"
    before = record.read_bytes()
    plan_frozen = ws / "engagements" / HENGTONG / "documents/cooperation-plan/1.1.md"
    plan_frozen.write_text(plan_frozen.read_text("utf-8") + "\n补一句。\n", "utf-8")
    signed = run("sign", HENGTONG, "cooperation-plan", "--date", "2026-03-01", "--root", str(ws))
    assert signed.exit_code != 0 and "frozen-text-tampered" in signed.out + signed.err
    assert record.read_bytes() == before


def test_a_removed_frozen_text_is_never_made_anew(ws: Path, run) -> None:
    frozen = ws / "engagements" / HENGTONG / "documents/cooperation-agreement/1.0.md"
    frozen.unlink()
    result = run("validate", HENGTONG, "--root", str(ws))
    assert result.exit_code == 1 and " error frozen-text-missing " in result.out
    rendered = run("render", HENGTONG, "--root", str(ws), "--doc", "cooperation-agreement")
    assert rendered.exit_code == 1 and not frozen.exists()


def test_a_frozen_text_linked_from_outside_is_not_read(
    ws: Path, tmp_path_factory: pytest.TempPathFactory, run
) -> None:
    folder = ws / "engagements" / HENGTONG / "documents/cooperation-agreement"
    outside = tmp_path_factory.mktemp("outside") / "frozen"
    shutil.move(str(folder), outside)
    folder.symlink_to(outside, target_is_directory=True)
    result = run("validate", HENGTONG, "--root", str(ws))
    assert "outside-workspace" in result.out and result.exit_code == 1
    rendered = run("render", HENGTONG, "--root", str(ws), "--doc", "cooperation-agreement")
    assert "outside-workspace" in rendered.out


def test_approve_makes_the_record_a_document_does_not_have_yet(ws: Path, run) -> None:
    """Issue 26: approve refused a document without a record; now it makes one (1.0)."""
    record = ws / "engagements" / HENGTONG / "documents" / "execution-plan.md"
    assert not record.exists()
    done = run("approve", HENGTONG, "execution-plan", "--by", "周建国", "--role", "集团总经理",
               "--date", "2026-11-20", "--root", str(ws))
    assert done.exit_code == 0, done.out + done.err
    text = record.read_text("utf-8")
    assert 'version: "1.0"' in text and "status: approved" in text and "周建国" in text
    assert "# 执行计划" in text and (record.parent / "execution-plan" / "1.0.md").is_file()
    assert "frozen:" in text and run("validate", HENGTONG, "--root", str(ws)).out.count("frozen-text") == 0


def test_a_dry_run_of_approve_shows_a_summary_not_the_whole_contract(ws: Path, run) -> None:
    """Issue 26: approve --dry-run printed the 435-line contract."""
    done = run("approve", BLUEWAVE, "cooperation-agreement", "--by", "周建国", "--date", "2026-11-20",
               "--dry-run", "--root", str(ws))
    assert done.exit_code == 0, done.out + done.err
    assert len(done.out.splitlines()) < 60, len(done.out.splitlines())
    assert "more lines (a new file)" in done.out and "approvals" in done.out
    assert not (ws / "engagements" / BLUEWAVE / "documents/cooperation-agreement/0.3.md").exists()


def test_an_edit_the_signed_text_does_not_print_is_no_change(ws: Path, run) -> None:
    """Issue 25: a 出资期限 added while negotiating was an error against the signed 意向书,
    which prints the contributions but not their deadlines."""
    huaxin = "2026-008-huaxin-storage"
    edit(ws, f"{huaxin}/index.md", "due: 2027-06-30}", "due: 2027-09-30}")
    said = run("validate", huaxin, "--root", str(ws))
    assert "signed-document-changed" not in said.out, said.out
    # a value it prints is still an edit of the signed text
    edit(ws, f"{huaxin}/index.md", "investment: {amount: 150000000", "investment: {amount: 160000000")
    said = run("validate", huaxin, "--root", str(ws))
    assert said.exit_code == 1 and "signed-document-changed" in said.out
    assert "terms.investment.amount: 150000000 → 160000000" in said.out
