"""import xlsx: the 项目跟踪表 exported, edited in a spreadsheet, and imported back."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from conftest import copy_samples

HENGTONG = "2025-014-hengtong-logistics"
LINGYUN = "2026-011-lingyun-robotics"


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The samples in a git repository, committed."""
    (tmp_path / "ws").mkdir()
    root = copy_samples(tmp_path / "ws")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "samples")
    return root


def _export(run, root: Path) -> Path:  # type: ignore[no-untyped-def]
    sheet = root.parent / "跟踪表.xlsx"
    assert run("export", "xlsx", "-o", str(sheet), "--root", str(root)).exit_code == 0
    return sheet


def _row(book: Any, sheet: str, **match: object) -> dict[str, Any]:
    """The cells of the one row of ``sheet`` whose columns hold ``match``, by header."""
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    rows = [
        dict(zip(header, cells, strict=False))
        for cells in ws.iter_rows(min_row=2)
        if all(dict(zip(header, cells, strict=False))[k].value == v for k, v in match.items())
    ]
    assert len(rows) == 1, (sheet, match)
    return rows[0]


def _changed_lines(root: Path) -> list[str]:
    diff = _git(root, "diff", "-U0")
    return [
        line for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_an_unchanged_sheet_changes_nothing(repo: Path, run) -> None:  # type: ignore[no-untyped-def]
    result = run("import", "xlsx", str(_export(run, repo)), "--root", str(repo))
    assert result.exit_code == 0, result.out + result.err
    assert "0 cell(s) changed, 0 row(s) added, 0 engagement(s) created" in result.err
    assert _git(repo, "status", "--porcelain") == ""


def test_three_cells_changed_in_the_sheet_are_the_three_values_changed_in_git(repo: Path, run) -> None:  # type: ignore[no-untyped-def]
    sheet = _export(run, repo)
    book = load_workbook(sheet)
    due = _row(book, "任务", 项目=HENGTONG, 编号="T6")["截止"]
    due.value = datetime(2027, 4, 30)
    _row(book, "风险", 项目=HENGTONG, 编号="R4")["应对措施"].value = "提前与自然资源局预沟通；备选地块两处"
    _row(book, "KPI", 项目=HENGTONG, 编号="K4", 期间="2026-10")["实际值"].value = 97.4
    book.save(sheet)

    dry = run("import", "xlsx", str(sheet), "--dry-run", "--root", str(repo))
    assert dry.exit_code == 0, dry.out + dry.err
    assert f"任务!{due.coordinate}" in dry.out and "tasks.5.due: 2027-03-31 → 2027-04-30" in dry.out
    assert _git(repo, "status", "--porcelain") == ""  # a dry run writes nothing

    result = run("import", "xlsx", str(sheet), "--root", str(repo))
    assert result.exit_code == 0, result.out + result.err
    assert "3 cell(s) changed" in result.err
    changed = _changed_lines(repo)
    assert len(changed) == 6, changed  # three lines out, three in: nothing else moved
    added = "\n".join(line for line in changed if line.startswith("+"))
    assert "due: 2027-04-30" in added
    assert "response: 提前与自然资源局预沟通；备选地块两处" in added
    assert "2026-10: 97.4" in added
    assert run("validate", "--root", str(repo)).exit_code == 0


def test_a_new_row_on_the_project_sheet_is_a_new_engagement(repo: Path, run) -> None:  # type: ignore[no-untyped-def]
    sheet = _export(run, repo)
    book = load_workbook(sheet)
    book["项目"].append(
        ["2026-020-yunfan-shipping", "云帆航运数字化合作", "上海云帆航运有限公司", "合资",
         "前期准备", "active", "刘畅", datetime(2026, 11, 20)]
    )
    book.save(sheet)
    result = run("import", "xlsx", str(sheet), "--commit", "--root", str(repo))
    assert result.exit_code == 0, result.out + result.err
    assert "new engagement 2026-020-yunfan-shipping (云帆航运数字化合作)" in result.out
    index = (repo / "engagements/2026-020-yunfan-shipping/index.md").read_text("utf-8")
    for line in ("title: 云帆航运数字化合作", "name: 上海云帆航运有限公司", "mode: joint-venture",
                 "owner: 刘畅", "opened: 2026-11-20"):
        assert line in index
    assert _git(repo, "status", "--porcelain") == ""  # committed, folder and all
    assert "import 跟踪表.xlsx" in _git(repo, "log", "-1", "--format=%s")
    assert run("validate", "--root", str(repo)).exit_code == 0


def test_bad_cells_are_located_and_nothing_is_written(repo: Path, run) -> None:  # type: ignore[no-untyped-def]
    sheet = _export(run, repo)
    book = load_workbook(sheet)
    cells = {
        "任务": _row(book, "任务", 项目=HENGTONG, 编号="T5")["截止"],
        "owner": _row(book, "任务", 项目=HENGTONG, 编号="T6")["负责人"],
        "项目": _row(book, "项目", 项目=LINGYUN)["阶段"],
        "风险": _row(book, "风险", 项目=HENGTONG, 编号="R3")["概率"],
        "formula": _row(book, "风险", 项目=HENGTONG, 编号="R4")["应对措施"],
    }
    cells["任务"].value = "2027-02-30"
    cells["owner"].value = "刘阳"
    cells["项目"].value = "合作洽淡"
    cells["风险"].value = 7
    cells["formula"].value = "=HYPERLINK(\"http://x\")"
    ref = {k: c.parent.title + "!" + c.coordinate for k, c in cells.items()}
    _row(book, "项目", 项目=HENGTONG)["负责人"].value = "张伟"  # a good cell: still not written
    book.save(sheet)
    result = run("import", "xlsx", str(sheet), "--root", str(repo))
    assert result.exit_code == 1
    for where in (f"{ref['任务']}: '2027-02-30' is not a date", f"{ref['owner']}: unknown owner '刘阳'",
                  f"{ref['项目']}: unknown stage '合作洽淡'",
                  f"{ref['风险']}: '7' is not a whole number from 1 to 5", f"{ref['formula']}: a formula"):
        assert where in result.out, (where, result.out)
    assert "unknown owner '刘阳' (did you mean one of " in result.out and "刘洋" in result.out
    assert "nothing imported" in result.err
    assert _git(repo, "status", "--porcelain") == ""


def test_the_stage_moves_only_through_advance(repo: Path, run) -> None:  # type: ignore[no-untyped-def]
    sheet = _export(run, repo)
    book = load_workbook(sheet)
    stage = _row(book, "项目", 项目=LINGYUN)["阶段"]
    stage.value = "合作洽谈"
    book.save(sheet)
    result = run("import", "xlsx", str(sheet), "--root", str(repo))
    assert result.exit_code == 1
    assert f"项目!{stage.coordinate}: the stage moves with 'docgen advance {LINGYUN}'" in result.out


def test_chinese_findings(repo: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DOCGEN_LANG")
    sheet = _export(run, repo)
    book = load_workbook(sheet)
    due = _row(book, "任务", 项目=HENGTONG, 编号="T5")["截止"]
    due.value = "明年二月"
    book.save(sheet)
    result = run("import", "xlsx", str(sheet), "--root", str(repo))
    assert f"任务!{due.coordinate}：'明年二月' 不是日期" in result.out
    assert "未导入任何内容" in result.err


def test_a_teams_own_sheet_with_a_column_mapping(repo: Path, run) -> None:  # type: ignore[no-untyped-def]
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "我们的台账"
    ws.append(["序号", "项目名称", "合作单位", "对接人", "合作方式", "立项时间", "备注"])
    ws.append([1, "凌云机器人协作机械臂技术授权合作", "深圳凌云智能机器人有限公司", "刘畅",
               "技术授权", datetime(2026, 10, 12), "换人对接"])
    ws.append([2, "星河光伏组件代理", "星河光伏科技（江苏）有限公司", "周敏", "代理", "2026/11/02", ""])
    sheet = repo.parent / "台账.xlsx"
    book.save(sheet)
    mapping = repo.parent / "台账列.yml"
    mapping.write_text("项目名称: title\n合作单位: partner\n对接人: owner\n合作方式: mode\n", "utf-8")
    result = run("import", "xlsx", str(sheet), "--map", str(mapping), "--column", "立项时间=opened",
                 "--root", str(repo))
    assert result.exit_code == 0, result.out + result.err
    assert _changed_lines(repo) == ["-owner: 陈思远", "+owner: 刘畅"]
    new = repo / "engagements/2026-012/index.md"
    assert "title: 星河光伏组件代理" in new.read_text("utf-8")
    assert "opened: 2026-11-02" in new.read_text("utf-8")
    bad = run("import", "xlsx", str(sheet), "--column", "项目名称=titel", "--root", str(repo))
    assert bad.exit_code == 2 and "did you mean 'title'?" in bad.err


# --- hostile workbooks (issue 24) --------------------------------------------------------------


def _refused(run, repo: Path, sheet: Path, *expected: str) -> str:  # type: ignore[no-untyped-def]
    result = run("import", "xlsx", str(sheet), "--root", str(repo))
    said = result.out + result.err
    assert result.exit_code != 0 and "Traceback" not in said, said
    assert f"{sheet.name}:1:1: error workbook-invalid" in said, said
    for text in expected:
        assert text in said, said
    assert _git(repo, "status", "--porcelain") == ""  # nothing written
    return said


def test_a_zip_bomb_is_refused_unread(repo: Path, run) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    sheet = _export(run, repo)
    with (
        zipfile.ZipFile(sheet, "a", compression=zipfile.ZIP_DEFLATED) as z,
        z.open("xl/bomb.bin", "w") as part,  # 200 MB of zeros: about 200 KB packed
    ):
        for _ in range(200):
            part.write(bytes(1024 * 1024))
    assert sheet.stat().st_size < 2 * 1024 * 1024
    _refused(run, repo, sheet, "MB")


def test_a_truncated_or_foreign_file_is_a_located_error(repo: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sheet = _export(run, repo)
    data = sheet.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    _refused(run, repo, cut)
    text = tmp_path / "notes.xlsx"
    text.write_text("项目,名称\n", "utf-8")
    _refused(run, repo, text)


def test_a_workbook_declaring_a_dtd_is_refused(repo: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    sheet = _export(run, repo)
    evil = tmp_path / "evil.xlsx"
    with zipfile.ZipFile(sheet) as src, zipfile.ZipFile(evil, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/workbook.xml":
                laughs = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
                data = laughs + data if b"?>" not in data else data.replace(b"?>", b"?>" + laughs, 1)
            out.writestr(item, data)
    _refused(run, repo, evil, "xl/workbook.xml", "DTD")


def test_too_many_rows_are_refused(repo: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from docgen.tracking import importer as tracking_import

    monkeypatch.setattr(tracking_import, "MAX_ROWS", 100)
    sheet = _export(run, repo)
    book = load_workbook(sheet)
    for i in range(120):
        book["任务"].append(["2025-014-hengtong-logistics", "任务", f"X{i}", "多余的任务"])
    book.save(sheet)
    _refused(run, repo, sheet, "100")


def test_thousands_of_new_rows_are_added_in_one_pass(repo: Path, run) -> None:  # type: ignore[no-untyped-def]
    sheet = _export(run, repo)
    book = load_workbook(sheet)
    for i in range(1500):
        book["任务"].append(["2025-014-hengtong-logistics", "任务", f"B{i:04d}", f"第 {i} 项整改",
                             "张伟", None, "2027-03-31", None, "待办", "整改报告"])
    book.save(sheet)
    result = run("import", "xlsx", str(sheet), "--root", str(repo))
    assert result.exit_code == 0, result.out + result.err
    plan = (repo / "engagements/2025-014-hengtong-logistics/plan.md").read_text("utf-8")
    assert plan.count("第 ") >= 1500 and "id: B1499" in plan
    # the items land at the list's end, in the sheet's order, and the file still validates
    assert plan.index("id: B0000") < plan.index("id: B0001") < plan.index("id: B1499")
    assert run("validate", "2025-014-hengtong-logistics", "--root", str(repo)).exit_code == 0
