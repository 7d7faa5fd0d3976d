"""The corpus of bad inputs: each case a small workspace and the exact diagnostic expected.

Every case runs the real CLI (`docgen validate --format json`), asserts the exit code,
that no traceback escaped, and that a diagnostic with the expected code, file and line
is reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import INDEX, PREPARATION, base_spec, build_tree

E = "engagements/e"


@dataclass
class Case:
    name: str
    files: dict[str, str | bytes | None]
    code: str
    file: str
    line: int
    exit: int = 1
    args: list[str] = field(default_factory=list)
    hint: str = ""


def index_with(old: str, new: str) -> str:
    assert old in INDEX
    return INDEX.replace(old, new)


RISK_HIGH_NO_OWNER = """\
---
risks:
  - id: R1
    title: 原材料涨价
    category: market
    probability: 5
    impact: 4
    response: 锁价采购
    escalated: 2026-03-01
---
"""

GBK_PREPARATION = PREPARATION.replace("by: 张伟", "by: 张伟\n    note: 已完成调研").encode("gbk")

CASES = [
    Case("unclosed-flow-sequence", {f"{E}/index.md": index_with("title: 示例项目", "title: [示例项目")},
         "yaml-syntax", f"{E}/index.md", 3),
    Case("tab-indentation", {f"{E}/index.md": index_with("  name: 苏州", "\tname: 苏州")},
         "yaml-syntax", f"{E}/index.md", 5, hint="tabs"),
    Case("duplicate-key", {f"{E}/index.md": index_with("owner: 张伟", "owner: 张伟\nowner: 李娜")},
         "yaml-duplicate-key", f"{E}/index.md", 11, hint="first at line 10"),
    Case("gbk-encoded-file", {f"{E}/preparation.md": GBK_PREPARATION},
         "encoding", f"{E}/preparation.md", 5, hint="GB18030"),
    Case("utf16-file", {f"{E}/preparation.md": PREPARATION.encode("utf-16")},
         "encoding", f"{E}/preparation.md", 1),
    Case("empty-front-matter", {f"{E}/preparation.md": "---\n---\n正文\n"},
         "front-matter-empty", f"{E}/preparation.md", 1),
    Case("front-matter-is-a-list", {f"{E}/preparation.md": "---\n- a\n- b\n---\n"},
         "front-matter-type", f"{E}/preparation.md", 2),
    Case("no-front-matter", {f"{E}/preparation.md": "# 前期准备\n\n笔记\n"},
         "front-matter-missing", f"{E}/preparation.md", 1),
    Case("unclosed-front-matter", {f"{E}/preparation.md": "---\nchecklist: {}\n\n正文\n"},
         "front-matter-unclosed", f"{E}/preparation.md", 1),
    Case("unknown-key", {f"{E}/index.md": index_with("owner: 张伟", "ownr: 张伟")},
         "unknown-key", f"{E}/index.md", 10, hint="did you mean 'owner'"),
    Case("unknown-nested-key", {f"{E}/index.md": index_with("  name: 苏州", "  nmae: 苏州")},
         "unknown-key", f"{E}/index.md", 5, hint="did you mean 'name'"),
    Case("missing-required-key", {f"{E}/index.md": index_with("owner: 张伟\n", "")},
         "missing-key", f"{E}/index.md", 2),
    Case("checklist-id-typo", {f"{E}/preparation.md": PREPARATION.replace("collect-info", "colect-info")},
         "unknown-item", f"{E}/preparation.md", 3, hint="did you mean 'market-research.collect-info'"),
    Case("impossible-date", {f"{E}/index.md": index_with("opened: 2026-01-05", "opened: 2026-02-30")},
         "invalid-date", f"{E}/index.md", 12, hint="28 days"),
    Case("date-as-text", {f"{E}/preparation.md": PREPARATION.replace("2026-01-10", "2026年1月10日")},
         "invalid-date", f"{E}/preparation.md", 4),
    Case("stage-skips-a-gate", {f"{E}/index.md": index_with("stage: preparation", "stage: establishment")},
         "gate-unmet", f"{E}/preparation.md", 2),
    Case("unknown-stage", {f"{E}/index.md": index_with("stage: preparation", "stage: preperation")},
         "unknown-stage", f"{E}/index.md", 8, hint="did you mean 'preparation'"),
    Case("unknown-mode", {f"{E}/index.md": index_with("mode: joint-venture", "mode: jointventure")},
         "unknown-mode", f"{E}/index.md", 7, hint="did you mean 'joint-venture'"),
    Case("status-not-in-enum", {f"{E}/index.md": index_with("status: active", "status: paused")},
         "invalid-value", f"{E}/index.md", 9),
    Case("high-risk-without-owner", {f"{E}/risks.md": RISK_HIGH_NO_OWNER},
         "high-risk-unhandled", f"{E}/risks.md", 3),
    Case("probability-out-of-range", {f"{E}/risks.md": RISK_HIGH_NO_OWNER.replace("probability: 5", "probability: 7")},
         "invalid-value", f"{E}/risks.md", 6),
    Case("probability-not-a-number", {f"{E}/risks.md": RISK_HIGH_NO_OWNER.replace("probability: 5", "probability: 高")},
         "invalid-type", f"{E}/risks.md", 6),
    Case("credit-code-check-digit", {f"{E}/index.md": index_with("91320505MA1XH7K20A", "91320505MA1XH7K20B")},
         "credit-code", f"{E}/index.md", 6, hint="营业执照"),
    Case("credit-code-too-short", {f"{E}/index.md": index_with("91320505MA1XH7K20A", "91320505MA1X")},
         "credit-code", f"{E}/index.md", 6),
    Case("done-in-the-future", {f"{E}/preparation.md": PREPARATION.replace("2026-01-10", "2027-01-10")},
         "done-in-future", f"{E}/preparation.md", 4),
    Case("waived-without-reason", {f"{E}/preparation.md": PREPARATION.replace("    done: 2026-01-10\n    by: 张伟\n", "    waived: true\n")},
         "item-state", f"{E}/preparation.md", 4),
    Case("evidence-points-nowhere", {f"{E}/preparation.md": PREPARATION.replace("by: 张伟", "by: 张伟\n    evidence: notes/none.md")},
         "evidence-missing", f"{E}/preparation.md", 6),
    Case("evidence-escapes-workspace", {f"{E}/preparation.md": PREPARATION.replace("by: 张伟", "by: 张伟\n    evidence: ../../../../etc/passwd")},
         "evidence-missing", f"{E}/preparation.md", 6, hint=""),
    Case("item-in-wrong-stage-file", {f"{E}/preparation.md": PREPARATION.replace("market-research.collect-info", "talks.intent")},
         "item-wrong-stage", f"{E}/preparation.md", 3, hint="negotiation.md"),
    Case("folder-with-spaces", {"engagements/my project/index.md": INDEX.replace("ZS-1", "ZS-2")},
         "unsafe-slug", "engagements/my project/index.md", 1),
    Case("folder-in-chinese", {"engagements/华信储能/index.md": INDEX.replace("ZS-1", "ZS-2")},
         "unsafe-slug", "engagements/华信储能/index.md", 1),
    Case("duplicate-engagement-code", {"engagements/f/index.md": INDEX},
         "duplicate-id", "engagements/e/index.md", 3),
    Case("ten-megabyte-body", {f"{E}/preparation.md": PREPARATION + "长" * (10 * 1024 * 1024 // 3)},
         "file-too-large", f"{E}/preparation.md", 1),
    Case("python-tag-is-refused", {f"{E}/preparation.md": "---\nchecklist: !!python/object/apply:os.system [echo hi]\n---\n"},
         "yaml-syntax", f"{E}/preparation.md", 2),
    Case("meeting-date-differs-from-name", {f"{E}/meetings/2026-03-01-kickoff.md": "---\ntitle: 启动会\ndate: 2026-03-02\n---\n"},
         "meeting-file-name", f"{E}/meetings/2026-03-01-kickoff.md", 3),
    Case("version-not-quoted", {f"{E}/documents/cooperation-plan.md": "---\nversion: 1.10\nstatus: draft\n---\n"},
         "invalid-type", f"{E}/documents/cooperation-plan.md", 2, hint=""),
    Case("unknown-document", {f"{E}/documents/contract.md": "---\nstatus: draft\n---\n"},
         "unknown-document", f"{E}/documents/contract.md", 2, hint="cooperation-agreement"),
    Case("profit-split-not-100", {f"{E}/index.md": index_with("profit_split: {us: 50, partner: 50}", "profit_split: {us: 60, partner: 30}")},
         "invalid-value", f"{E}/index.md", 16),
    Case("legacy-credit-code-strict", {f"{E}/index.md": index_with("91320505MA1XH7K20A", "320512000123456")},
         "credit-code-legacy", f"{E}/index.md", 6, args=["--strict"]),
    Case("no-mkdocs-yml", {"mkdocs.yml": None}, "", "", 0, exit=2),
    Case("process-file-broken", {"templates/process.yml": "stages: [\n"}, "yaml-syntax", "templates/process.yml", 2, exit=2),
    Case("process-file-missing", {"templates/process.yml": None}, "", "", 0, exit=2),
    Case("mkdocs-yml-unknown-docgen-key", {"mkdocs.yml": "plugins:\n  - docgen:\n      proces: x.yml\n"},
         "unknown-key", "mkdocs.yml", 3, exit=2, hint="did you mean 'process'"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_input(case: Case, tmp_path: Path, run) -> None:
    spec = base_spec()
    spec.update(case.files)
    build_tree(tmp_path, spec)
    result = run("validate", "--format", "json", "--root", str(tmp_path), *case.args)
    assert result.exit_code == case.exit, (result.out, result.err)
    if not case.code:
        assert "docgen:" in result.err
        return
    if case.exit == 2:
        text = result.err
        wanted = f"{case.file}:{case.line}:"
        assert wanted in text and case.code in text, text
        if case.hint:
            assert case.hint in text
        return
    found = json.loads(result.out)["diagnostics"]
    matches = [
        d for d in found
        if d["code"] == case.code and d["path"] == case.file and d["line"] == case.line
    ]
    assert matches, f"expected {case.code} at {case.file}:{case.line}, got:\n" + "\n".join(
        f"{d['path']}:{d['line']} {d['code']} {d['message']}" for d in found
    )
    if case.hint:
        assert any(case.hint in d["hint"] + d["message"] for d in matches), matches


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25


def test_text_output_names_file_line_and_hint(workspace: Path, run) -> None:
    build_tree(workspace, {f"{E}/index.md": index_with("owner: 张伟", "ownr: 张伟")})
    result = run("validate", "--root", str(workspace))
    assert result.exit_code == 1
    assert (
        f"{E}/index.md:10:1: error unknown-key unknown key 'ownr' (did you mean 'owner'?)"
        in result.out
    )


def test_bom_and_crlf_are_accepted(workspace: Path, run) -> None:
    text = "\ufeff" + INDEX.replace("\n", "\r\n")
    build_tree(workspace, {f"{E}/index.md": text.encode("utf-8")})
    result = run("validate", "--root", str(workspace))
    assert result.exit_code == 0, result.out


def test_crlf_keeps_line_numbers(workspace: Path, run) -> None:
    text = index_with("owner: 张伟", "ownr: 张伟").replace("\n", "\r\n")
    build_tree(workspace, {f"{E}/index.md": text.encode("utf-8")})
    result = run("validate", "--format", "json", "--root", str(workspace))
    lines = [(d["code"], d["line"]) for d in json.loads(result.out)["diagnostics"]]
    assert ("unknown-key", 10) in lines


def test_billion_laughs_is_not_expanded(workspace: Path, run) -> None:
    rows = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]" for i in range(1, 12)]
    text = "---\n" + "\n".join(rows) + "\n---\n"
    build_tree(workspace, {f"{E}/preparation.md": text})
    result = run("validate", "--format", "json", "--root", str(workspace))
    assert result.exit_code == 1
    codes = {d["code"] for d in json.loads(result.out)["diagnostics"]}
    assert "unknown-key" in codes


def test_legacy_credit_code_is_only_a_warning(workspace: Path, run) -> None:
    build_tree(workspace, {f"{E}/index.md": index_with("91320505MA1XH7K20A", "320512000123456")})
    result = run("validate", "--root", str(workspace))
    assert result.exit_code == 0
    assert "warning credit-code-legacy" in result.out


def test_validate_rejects_path_like_id(workspace: Path, run) -> None:
    result = run("validate", "../x", "--root", str(workspace))
    assert result.exit_code == 2
    assert "no engagement '../x'" in result.err


def test_a_user_file_is_never_modified_by_validate(workspace: Path, run) -> None:
    bad = GBK_PREPARATION
    build_tree(workspace, {f"{E}/preparation.md": bad})
    run("validate", "--root", str(workspace))
    assert (workspace / E / "preparation.md").read_bytes() == bad
