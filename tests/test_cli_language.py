"""The command line speaks the user's language: Chinese for a Chinese workspace, English
under --lang en or an English locale, and the same codes in both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import copy_samples

LINGYUN = "2026-011-lingyun-robotics"


@pytest.fixture
def chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample workspace (Chinese), with no language chosen by the environment."""
    monkeypatch.delenv("DOCGEN_LANG")
    return copy_samples(tmp_path, (LINGYUN,))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_a_refused_advance_says_why_in_chinese(chinese: Path, run) -> None:  # type: ignore[no-untyped-def]
    result = run("advance", LINGYUN, "--root", str(chinese))
    assert result.exit_code == 1
    assert f"推进 {LINGYUN}：前期准备 → 合作洽谈：已拒绝，4 条规则未满足" in result.err
    assert "gate-unmet [离开前期准备] 「准备合作方案初稿" in result.out
    assert "尚未完成（负责人 刘畅）" in result.out
    assert "refused" not in result.err and "not done" not in result.out


def test_a_bad_date_and_an_unknown_mode_in_chinese(chinese: Path, run) -> None:  # type: ignore[no-untyped-def]
    index = chinese / "engagements" / LINGYUN / "index.md"
    _edit(index, "opened: 2026-10-12", "opened: 2026/10/12")
    result = run("validate", "--root", str(chinese))
    assert "error invalid-date 'dates.opened' 须是 YYYY-MM-DD 格式的日期，而不是 '2026/10/12'（请写成 2026-10-12）" in result.out
    _edit(index, "opened: 2026/10/12", "opened: 2026-10-32")
    result = run("validate", "--root", str(chinese))
    assert "'2026-10-32' 不是有效的日历日期（2026-10 只有 31 天）" in result.out
    _edit(index, "opened: 2026-10-32", "opened: 2026-10-12")
    _edit(index, "mode: technology-licensing", "mode: 合做")
    result = run("validate", "--root", str(chinese))
    assert result.exit_code == 1
    assert "error unknown-mode 未知合作模式 '合做'（是否想写 '合资'（joint-venture）？）" in result.out
    assert "1 个错误，0 个警告，共检查 1 个项目" in result.err
    found = json.loads(run("validate", "--format", "json", "--root", str(chinese)).out)
    mode = next(d for d in found["diagnostics"] if d["code"] == "unknown-mode")
    assert mode["message"] == "未知合作模式 '合做'" and mode["hint"] == "是否想写 '合资'（joint-venture）？"


def test_lang_en_and_the_locale_choose_english(chinese: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    index = chinese / "engagements" / LINGYUN / "index.md"
    _edit(index, "mode: technology-licensing", "mode: 合做")
    english = "error unknown-mode unknown cooperation mode '合做' (did you mean '合资' (joint-venture)?)"
    assert english in run("--lang", "en", "validate", "--root", str(chinese)).out
    refused = run("--lang", "en", "advance", LINGYUN, "--root", str(chinese))
    assert f"advance {LINGYUN}: 前期准备 → 合作洽谈: refused, 4 rule(s) unmet" in refused.err
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert english in run("validate", "--root", str(chinese)).out
    monkeypatch.setenv("DOCGEN_LANG", "zh")  # docgen's own variable outranks the locale
    assert "未知合作模式 '合做'" in run("validate", "--root", str(chinese)).out
    assert english in run("--lang", "en", "validate", "--root", str(chinese)).out  # the flag, both


def test_an_english_workspace_speaks_english_unless_the_locale_is_chinese(
    tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.delenv("DOCGEN_LANG")
    monkeypatch.setenv("LANG", "C.UTF-8")  # says nothing about language
    root = tmp_path / "ws"
    assert "wrote" in run("init", str(root), "--lang", "en").out
    result = run("status", "--bogus", "--root", str(root))
    assert "Error: No such option '--bogus'" in result.err
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "错误：没有选项 '--bogus'" in run("status", "--bogus", "--root", str(root)).err


def test_help_is_chinese_in_a_chinese_workspace(chinese: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(chinese)
    top = run("--help").out
    assert "用法：" in top and "显示本帮助并退出。" in top
    assert "满足关口条件后，把项目推进到下一阶段。" in top
    sub = run("terminate", "--help").out
    assert "资源清算、债权债务完成后，终止项目。" in sub
    assert "终止合作的原因（记入 index.md）。" in sub and "覆盖尚未提交的修改。" in sub
    assert "Show this message" not in top + sub
    assert "Show this message and exit." in run("--lang", "en", "--help").out


def test_statuses_and_document_names_are_said_in_chinese(tmp_path, run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 26: `状态是 draft；须为 signed` and `批准 … cooperation-plan 1.0` leaked English ids."""
    from conftest import copy_samples

    monkeypatch.setenv("DOCGEN_LANG", "zh")
    root = copy_samples(tmp_path)
    record = root / "engagements/2026-005-bluewave-biopharma/documents/cooperation-agreement.md"
    approved = run("approve", "2026-005-bluewave-biopharma", "cooperation-agreement", "--by", "周建国",
                   "--date", "2026-11-20", "--dry-run", "--root", str(root))
    said = approved.out + approved.err
    assert "合作协议" in said and "cooperation-agreement 0" not in said, said
    frozen_note = "本文件是该文件"
    assert record.is_file()
    applied = run("approve", "2026-005-bluewave-biopharma", "cooperation-agreement", "--by", "周建国",
                  "--date", "2026-11-20", "--root", str(root))
    assert applied.exit_code == 0, applied.out + applied.err
    frozen = next((root / "engagements/2026-005-bluewave-biopharma/documents/cooperation-agreement").glob("*.md"))
    head = frozen.read_text("utf-8").split("\n", 3)
    assert head[1].startswith(f"# {frozen_note}已审批时的文本"), head[:3]
