"""Redlines: two texts of a document in one .docx, the differences as Word tracked changes.

Checked three ways: the revisions' XML (accepting or rejecting them in Python gives
either text, paragraph by paragraph, with styles); LibreOffice accepting and rejecting
every change gives the texts LibreOffice reads from the two documents themselves; and
through the real CLI, with versions and git revisions.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from conftest import REPO, copy_samples
from docgen.documents.build import Side, build_docx, build_redline
from docgen.documents.jobs import RenderedText
from docgen.word.writer import Reference
from system_tools import in_libreoffice, needs

HENGTONG = "2025-014-hengtong-logistics"
REFERENCE = Reference(REPO / "src" / "docgen" / "data" / "reference.docx")
WHEN = datetime(2026, 3, 2, tzinfo=UTC)


def text(markdown: str, version: str = "1.0", **changes: object) -> RenderedText:
    base = RenderedText(
        output="x/doc.docx",
        markdown=markdown,
        title="合作协议",
        header_title="合作协议",
        version=version,
        draft=False,
        confidential=True,
        articles=True,
        toc=False,
        author="张伟",
        when=WHEN,
        language="zh",
        base=str(REPO),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def redline(tmp_path: Path, old: str, new: str, **changes: object) -> tuple[Path, int]:
    made = build_redline(
        Side("1.0", text(old, **changes)),
        Side("1.1", text(new, "1.1", **changes)),
        tmp_path,
        "redline.docx",
        REFERENCE,
        "李律师",
    )
    return tmp_path / "redline.docx", made.revisions


def resolved(path: Path, accept: bool) -> list[str]:
    """The body as ``[style] text`` lines after accepting (or rejecting) every revision."""
    return _lines(_resolved_body(path, accept))


def _resolved_body(path: Path, accept: bool) -> etree._Element:
    document = docx.Document(str(path))
    body = copy.deepcopy(document.element.body)
    gone, kept = (qn("w:del"), qn("w:ins")) if accept else (qn("w:ins"), qn("w:del"))
    for row in list(body.iter(qn("w:tr"))):
        props = row.find(qn("w:trPr"))
        if props is not None and props.find(gone) is not None:
            row.getparent().remove(row)
    for element in list(body.iter(gone)):
        parent = element.getparent()
        if parent is not None and parent.tag != qn("w:rPr"):
            parent.remove(element)
    for element in list(body.iter(kept)):
        parent = element.getparent()
        if parent is not None and parent.tag != qn("w:rPr"):
            for child in list(element):
                element.addprevious(child)
            parent.remove(element)
    for deleted in body.iter(qn("w:delText")):
        deleted.tag = qn("w:t")
    for change in list(body.iter(qn("w:pPrChange"))):
        ppr = change.getparent()
        if not accept:
            for child in [c for c in ppr if c.tag not in (qn("w:rPr"), qn("w:pPrChange"))]:
                ppr.remove(child)
            for child in change.find(qn("w:pPr")):
                change.addprevious(child)
        ppr.remove(change)
    return body


def _lines(body: etree._Element) -> list[str]:
    lines = []
    for p in body.iter(qn("w:p")):
        words = "".join(t.text or "" for t in p.iter(qn("w:t")))
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if words.strip():
            lines.append(f"[{style.get(qn('w:val')) if style is not None else ''}] {words}")
    return lines


def plain(tmp_path: Path, markdown: str, name: str, **changes: object) -> list[str]:
    build_docx(text(markdown, output=f"x/{name}.docx", **changes), tmp_path, REFERENCE)
    return body_lines(tmp_path / "x" / f"{name}.docx")


def revisions(path: Path) -> list[etree._Element]:
    document = docx.Document(str(path))
    tags = {qn(f"w:{t}") for t in ("ins", "del", "pPrChange", "rPrChange")}
    return [e for e in document.element.body.iter() if e.tag in tags]


OLD = """# 合作协议

## 合作期限

1. 本协议合作期限为十五年。
2. 期限届满前六个月，双方可协商续约事宜。

## 收益分配

1. 收益分配：甲方 40%，乙方 60%。

## 保密

1. 双方对合作中知悉的商业秘密承担保密义务，期限至合作终止后三年。
2. 依法律法规或监管要求披露的，披露方应事先书面通知对方。

| 甲方（盖章） | 乙方（盖章） |
|---|---|
| 江南高新发展集团 | 恒通物流 |
| 签署日期： | 签署日期： |
"""

NEW = (
    OLD.replace("甲方 40%，乙方 60%", "甲方 45%，乙方 55%")
    .replace("终止后三年", "终止后五年")
    .replace("2. 依法律法规或监管要求披露的，披露方应事先书面通知对方。\n", "")
    .replace(
        "## 保密", "## 不可抗力\n\n1. 因不可抗力不能履行本协议的，部分或全部免除责任。\n\n## 保密"
    )
    .replace(
        "| 签署日期： | 签署日期： |",
        "| 签署日期： | 签署日期： |\n| 签订地点：苏州 | 签订地点：苏州 |",
    )
)


def test_accepting_gives_the_new_text_and_rejecting_the_old(tmp_path: Path) -> None:
    path, count = redline(tmp_path, OLD, NEW)
    assert resolved(path, accept=True) == plain(tmp_path, NEW, "new")
    assert resolved(path, accept=False) == plain(tmp_path, OLD, "old")
    marks = revisions(path)
    assert len(marks) == count > 0
    for mark in marks:
        assert mark.get(qn("w:author")) == "李律师"
        # a block inserted or deleted whole two minutes on: LibreOffice never joins it
        # to a change at the end of the paragraph before it
        assert mark.get(qn("w:date")) in ("2026-03-02T00:00:00Z", "2026-03-02T00:02:00Z")
    assert len({m.get(qn("w:id")) for m in marks}) == len(marks)  # ids are unique


def test_chinese_changes_are_marked_character_by_character(tmp_path: Path) -> None:
    path, _ = redline(tmp_path, OLD, NEW)
    body = docx.Document(str(path)).element.body
    deleted = ["".join(t.text for t in d.iter(qn("w:delText"))) for d in body.iter(qn("w:del"))]
    inserted = ["".join(t.text for t in i.iter(qn("w:t"))) for i in body.iter(qn("w:ins"))]
    assert "三" in deleted and "五" in inserted  # 三年 → 五年: one character, not the clause
    assert "40" in deleted and "45" in inserted  # a number is one token
    assert "依法律法规或监管要求披露的，披露方应事先书面通知对方。" in deleted
    assert "因不可抗力不能履行本协议的，部分或全部免除责任。" in inserted
    assert "不可抗力" in inserted  # the new article's heading
    # the added row of the signature table is an inserted row
    rows = [r for r in body.iter(qn("w:tr")) if r.find(f"{qn('w:trPr')}/{qn('w:ins')}") is not None]
    assert len(rows) == 1 and "签订地点" in "".join(t.text for t in rows[0].iter(qn("w:t")))


def test_numbering_styles_and_english_words_survive(tmp_path: Path) -> None:
    old = "# Agreement\n\n## Term\n\nThe term is fifteen years.\n\n## Fees\n\nNo fees.\n"
    new = "# Agreement\n\n## Term\n\nThe term is twenty years.\n\n### Fees\n\nNo fees.\n"
    path, _ = redline(tmp_path, old, new, language="en")
    body = docx.Document(str(path)).element.body
    deleted = ["".join(t.text for t in d.iter(qn("w:delText"))) for d in body.iter(qn("w:del"))]
    assert deleted == ["fifteen"]  # a Latin word is one token
    # an article turned into a heading: the style change is a revision, reversible
    assert len(list(body.iter(qn("w:pPrChange")))) == 1
    assert resolved(path, accept=False)[1] == plain(tmp_path, old, "old", language="en")[1]
    assert resolved(path, accept=True) == plain(tmp_path, new, "new", language="en")
    assert resolved(path, accept=False) == plain(tmp_path, old, "old", language="en")


def lists(path: Path, accept: bool | None) -> list[list[str]]:
    """The numbered lists of a body (resolved, or as it is): their items, list by list.

    Every list's numbering instance must exist in the numbering part and count from 1.
    """
    body = docx.Document(str(path)).element.body if accept is None else None
    body = body if body is not None else _resolved_body(path, bool(accept))
    with zipfile.ZipFile(path) as z:
        numbering = etree.fromstring(z.read("word/numbering.xml"))
    starts = {
        n.get(qn("w:numId")): n.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
        for n in numbering.findall(qn("w:num"))
    }
    found: dict[str, list[str]] = {}
    for p in body.iter(qn("w:p")):
        num = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        words = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if num is None or not words:
            continue
        num_id = num.get(qn("w:val"))
        assert starts.get(num_id) is not None and starts[num_id].get(qn("w:val")) == "1"
        found.setdefault(num_id, []).append(words)
    return list(found.values())


def test_lists_keep_their_numbering_when_a_list_is_added_above(tmp_path: Path) -> None:
    old = "# 备忘录\n\n事项\n\n1. 甲\n2. 乙\n3. 丙\n\n待确认\n\n1. 子\n2. 丑\n"
    new = "# 备忘录\n\n新增\n\n1. 新一\n2. 新二\n\n事项\n\n1. 甲\n2. 丙\n\n待确认\n\n1. 子\n2. 丑\n"
    path, _ = redline(tmp_path, old, new, articles=False)
    build_docx(text(old, output="x/old.docx", articles=False), tmp_path, REFERENCE)
    build_docx(text(new, output="x/new.docx", articles=False), tmp_path, REFERENCE)
    assert lists(path, accept=True) == lists(tmp_path / "x/new.docx", None)
    assert lists(path, accept=False) == lists(tmp_path / "x/old.docx", None)
    assert lists(path, accept=False) == [["甲", "乙", "丙"], ["子", "丑"]]  # 乙 rejoins its list
    body = docx.Document(str(path)).element.body
    assert not list(body.iter(qn("w:pPrChange")))  # renumbered lists are not style changes


def test_a_formatting_change_is_a_revision(tmp_path: Path) -> None:
    path, count = redline(tmp_path, "# T\n\n甲方应按期出资。\n", "# T\n\n甲方应**按期**出资。\n")
    body = docx.Document(str(path)).element.body
    changes = list(body.iter(qn("w:rPrChange")))
    assert count == len(changes) == 1
    assert changes[0].getparent().find(qn("w:b")) is not None  # now bold, was not
    assert resolved(path, accept=True) == resolved(path, accept=False)  # the words are equal


def test_the_same_text_gives_no_revisions(tmp_path: Path) -> None:
    path, count = redline(tmp_path, OLD, OLD)
    assert count == 0 and revisions(path) == []


# --- through the CLI, on the samples ---------------------------------------------------


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """The samples, committed in a fresh git repository."""
    root = tmp_path / "ws"
    root.mkdir()
    copy_samples(root, (HENGTONG,))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "samples")
    return root


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=张伟", "-c", "user.email=zw@example.cn", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / "engagements" / HENGTONG / rel
    content = path.read_text("utf-8")
    assert old in content, (rel, old)
    path.write_text(content.replace(old, new, 1), "utf-8")


#: A second version of 恒通's signed contract, as the documented way to change it goes.
NEW_VERSION = [
    ("index.md", "profit_split: {us: 40, partner: 60}", "profit_split: {us: 45, partner: 55}"),
    ("index.md", "期限至合作终止后三年", "期限至合作终止后五年"),
    ("index.md", "    institution: 上海国际仲裁中心", "    institution: 苏州仲裁委员会"),
    (
        "index.md",
        "    - 协调海关监管仓资质申请\n",
        "    - 协调海关监管仓资质申请\n    - 提供人才公寓 50 套\n",
    ),
    ("index.md", "    - 土地或规划政策调整导致二期无法建设\n", ""),
    # and a longer lock-up for the company's shares (its 合资公司 article)
    ("index.md", "lock_up_years: 3", "lock_up_years: 5"),
    (
        "documents/cooperation-agreement.md",
        'version: "1.0"\nstatus: signed\nsigned: 2026-03-02',
        'version: "1.1"\nstatus: signed\nsigned: 2026-11-20',
    ),
    (
        "documents/cooperation-agreement.md",
        "revisions:",
        '  - {by: 周建国, role: 集团总经理, date: 2026-11-18, version: "1.1"}\nrevisions:',
    ),
    (
        "documents/cooperation-agreement.md",
        "经法律顾问审核}\n",
        '经法律顾问审核}\n  - {version: "1.1", date: 2026-11-18, by: 李明, changes: 调整收益分配}\n',
    ),
]


def new_version(root: Path) -> None:
    for rel, old, new in NEW_VERSION:
        edit(root, rel, old, new)


def test_redline_of_a_signed_contract_against_its_next_version(ws: Path, run) -> None:
    root = str(ws)
    assert run("render", HENGTONG, "--root", root).exit_code == 0
    signed = ws / "build" / "documents" / HENGTONG / "cooperation-agreement.docx"
    old = signed.read_bytes()
    new_version(ws)
    result = run("redline", HENGTONG, "cooperation-agreement", "--root", root)
    assert result.exit_code == 0, result.out + result.err
    path = ws / "build/documents" / HENGTONG / "redlines/cooperation-agreement-1.0-1.1.docx"
    assert "1.0 → 1.1: " in result.out and path.is_file()
    assert run("render", HENGTONG, "--root", root).exit_code == 0
    (ws / "old.docx").write_bytes(old)
    assert resolved(path, accept=True) == body_lines(signed)
    assert resolved(path, accept=False) == body_lines(ws / "old.docx")
    document = docx.Document(str(path))
    assert "修订对照 1.0 → 1.1" in document.sections[0].header.paragraphs[0].text
    assert "草稿" not in document.sections[0].header.paragraphs[0].text
    assert {m.get(qn("w:author")) for m in revisions(path)} == {"李明"}  # who made 1.1


def body_lines(path: Path) -> list[str]:
    """The body of a .docx as it is, as ``[style] text`` lines."""
    return _lines(docx.Document(str(path)).element.body)


def test_redline_between_git_revisions_of_a_draft(ws: Path, run) -> None:
    root = str(ws)
    plan = ws / "build" / "documents" / HENGTONG / "execution-plan.docx"
    assert run("render", HENGTONG, "--root", root, "--doc", "execution-plan").exit_code == 0
    (ws / "before.docx").write_bytes(plan.read_bytes())
    edit(ws, "plan.md", "title: 高标仓主体施工", "title: 高标仓主体及配套施工")
    edit(ws, "plan.md", "title: 首批客户招引（10 家）", "title: 首批客户招引（12 家）")
    git(ws, "commit", "-qam", "plan")
    assert run("render", HENGTONG, "--root", root, "--doc", "execution-plan").exit_code == 0
    out = ws / "build" / "plan-redline.docx"
    result = run(
        "redline", HENGTONG, "execution-plan", "--from", "HEAD~1", "--to", "HEAD",
        "-o", str(out), "--author", "王律师", "--root", root,
    )  # fmt: skip
    assert result.exit_code == 0, result.out + result.err
    assert resolved(out, accept=True) == body_lines(plan)
    assert resolved(out, accept=False) == body_lines(ws / "before.docx")
    marks = revisions(out)
    assert marks and {m.get(qn("w:author")) for m in marks} == {"王律师"}


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--from", "0.9"], "was never frozen (frozen versions: 1.0)"),
        (["--from", "no-such-thing"], "neither a frozen version of cooperation-agreement nor"),
        (["--from", "--upload-pack=x"], "neither a frozen version"),
    ],
)
def test_redline_refuses_what_it_cannot_compare(ws: Path, run, args: list[str], says: str) -> None:
    new_version(ws)
    result = run("redline", HENGTONG, "cooperation-agreement", *args, "--root", str(ws))
    assert result.exit_code == 2
    assert says in result.err, result.err


def test_a_document_without_a_frozen_version_needs_from(ws: Path, run) -> None:
    result = run("redline", HENGTONG, "execution-plan", "--root", str(ws))
    assert result.exit_code == 2
    assert "no frozen version to compare with; name one with --from" in result.err


def test_render_makes_earlier_versions_and_their_redline_and_the_site_links_them(
    ws: Path, run
) -> None:
    assert run("render", HENGTONG, "--root", str(ws)).exit_code == 0
    folder = ws / "build" / "documents" / HENGTONG
    assert sorted(p.name for p in (folder / "redlines").iterdir()) == [
        "cooperation-plan-1.0-1.1.docx"
    ]
    made = folder / "redlines" / "cooperation-plan-1.0-1.1.docx"
    body = docx.Document(str(made)).element.body
    deleted = [t.text for t in body.iter(qn("w:delText"))]
    inserted = [t.text for t in body.iter(qn("w:t"))]
    # 1.0's terms, struck out
    assert any("5,000" in d for d in deleted) and any("6,000" in t for t in inserted), deleted
    earlier = folder / "versions" / "cooperation-plan-1.0.docx"
    assert "我方投入 5,000 万元" in "".join(body_lines(earlier))
    assert not earlier.with_suffix(".pdf").exists() and not made.with_suffix(".pdf").exists()
    mtime = made.stat().st_mtime_ns
    assert run("render", HENGTONG, "--root", str(ws)).exit_code == 0
    assert made.stat().st_mtime_ns == mtime  # unchanged inputs: not rebuilt
    assert run("publish", "--root", str(ws)).exit_code == 0
    page = (ws / "build/site/engagements" / HENGTONG / "index.html").read_text("utf-8")
    assert '此前：<a href="documents/versions/cooperation-plan-1.0.docx">1.0</a>' in page
    assert '<a href="documents/redlines/cooperation-plan-1.0-1.1.docx">修订对照 1.0 → 1.1</a>' in page
    site = ws / "build/site/engagements" / HENGTONG / "documents"
    assert (site / "redlines/cooperation-plan-1.0-1.1.docx").read_bytes() == made.read_bytes()
    assert (site / "versions/cooperation-plan-1.0.docx").read_bytes() == earlier.read_bytes()


# --- LibreOffice --------------------------------------------------------------------


@needs("libreoffice-writer-nogui", "python3-uno", "fonts-noto-cjk")
def test_libreoffice_accepts_and_rejects_to_either_version(ws: Path, run, tmp_path: Path) -> None:
    root = str(ws)
    assert run("render", HENGTONG, "--root", root).exit_code == 0
    folder = ws / "build" / "documents" / HENGTONG
    shutil.copy(folder / "cooperation-agreement.docx", tmp_path / "old.docx")
    new_version(ws)
    assert run("redline", HENGTONG, "cooperation-agreement", "--root", root).exit_code == 0
    assert run("render", HENGTONG, "--root", root).exit_code == 0
    shutil.copy(folder / "cooperation-agreement.docx", tmp_path / "new.docx")
    red = folder / "redlines" / "cooperation-agreement-1.0-1.1.docx"
    jobs = [
        (tmp_path / "old.docx", "keep", tmp_path / "old.txt"),
        (tmp_path / "new.docx", "keep", tmp_path / "new.txt"),
        (red, "accept", tmp_path / "accepted.txt"),
        (red, "reject", tmp_path / "rejected.txt"),
    ]
    reports = in_libreoffice(jobs, tmp_path / "profile")
    read = {Path(r["txt"]).stem: Path(r["txt"]).read_text("utf-8") for r in reports}
    assert read["accepted"] == read["new"]
    assert read["rejected"] == read["old"]
    assert read["old"] != read["new"]
    # numbering and the signature block survive in both directions
    for version in ("accepted", "rejected"):
        assert "第一条" in read[version] and "（一）" in read[version]
        assert "法定代表人或授权代表（签字）" in read[version]
    assert "苏州仲裁委员会" in read["accepted"] and "上海国际仲裁中心" in read["rejected"]
    # every revision has its author and date, as LibreOffice reads them
    marked = reports[2]
    assert marked["redlines"] >= 5
    assert marked["authors"] == ["李明"]
    assert marked["dates"] == ["2026-11-20"]  # the day 1.1 was signed


def test_an_output_named_outside_the_workspace_is_the_users_choice(
    ws: Path, run, tmp_path_factory: pytest.TempPathFactory  # type: ignore[no-untyped-def]
) -> None:
    new_version(ws)
    elsewhere = tmp_path_factory.mktemp("for-the-lawyer") / "对照.docx"
    result = run("redline", HENGTONG, "cooperation-agreement", "-o", str(elsewhere),
                 "--root", str(ws))
    assert result.exit_code == 0, result.out + result.err
    assert zipfile.is_zipfile(elsewhere)
    # …but not out through a link found inside the workspace: said with what was checked
    outside = tmp_path_factory.mktemp("outside")
    (ws / "build").mkdir(exist_ok=True)
    (ws / "build" / "shared").symlink_to(outside, target_is_directory=True)
    result = run("redline", HENGTONG, "cooperation-agreement", "-o",
                 str(ws / "build" / "shared" / "x.docx"), "--root", str(ws))
    said = result.out + result.err
    assert result.exit_code != 0 and "Traceback" not in said
    assert "build/shared" in said and str(outside) in said, said
    assert not (outside / "x.docx").exists()


def test_a_commit_with_a_link_leading_out_is_refused_with_a_message(
    ws: Path, run, tmp_path_factory: pytest.TempPathFactory  # type: ignore[no-untyped-def]
) -> None:
    outside = tmp_path_factory.mktemp("secret")
    (outside / "key.txt").write_text("secret", "utf-8")
    link = ws / "engagements" / HENGTONG / "notes-link"
    link.symlink_to(outside, target_is_directory=True)
    git(ws, "add", "-A")
    git(ws, "commit", "-qm", "a link")
    link.unlink()
    git(ws, "commit", "-qam", "link gone")
    new_version(ws)
    result = run("redline", HENGTONG, "cooperation-agreement", "--from", "HEAD~1",
                 "--root", str(ws))
    said = result.out + result.err
    assert result.exit_code != 0 and "Traceback" not in said, said
    assert "notes-link" in said and "outside the workspace" in said, said
