"""The process definition: the default encodes the procedure; broken files are diagnosed."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.core.diagnostics import DocgenError
from docgen.domain.process import default_process_text, load_process

PROCEDURE_STEPS = [
    "市场调研与分析", "合作方案设计", "发布招商信息", "筛选潜在合作伙伴", "深入沟通与谈判", "尽职调查",
    "签订合作协议", "资源对接与启动", "召开启动会议", "资源分配与准备", "制定详细执行计划", "建立监控机制",
    "定期评估与反馈", "风险识别与应对", "风险分类与评估", "应急预案执行", "争议解决机制", "数据收集与分析",
    "双方满意度调查", "调整合作模式", "提升运营效率", "探索扩展合作", "终止合作流程", "续约谈判准备", "关系维护",
]


def load(tmp_path: Path, text: str):
    path = tmp_path / "process.yml"
    path.write_text(text, encoding="utf-8")
    return load_process(path, "process.yml")


def test_default_process_encodes_every_step(tmp_path: Path) -> None:
    process = load(tmp_path, default_process_text("zh"))
    titles = [step.title for stage in process.stages for step in stage.steps]
    assert titles == PROCEDURE_STEPS
    assert [s.title for s in process.stages] == ["前期准备", "合作洽谈", "合作确立", "合作执行与监控", "合作评估与优化"]
    assert {m.title for m in process.modes} >= {"合资", "代理", "技术授权"}
    assert process.risk.high_threshold == 15
    assert len(process.items) >= 70


def test_english_process_has_the_same_ids(tmp_path: Path) -> None:
    zh = load(tmp_path, default_process_text("zh"))
    en = load(tmp_path, default_process_text("en"))
    assert list(zh.items) == list(en.items)
    assert [d.id for d in zh.documents] == [d.id for d in en.documents]
    assert en.language == "en" and not any("\u4e00" <= ch <= "\u9fff" for ch in default_process_text("en"))


def test_rule_naming_unknown_item_is_reported(tmp_path: Path) -> None:
    text = default_process_text("zh").replace(
        "items: [due-diligence.background, agreement.legal-review, agreement.sign]",
        "items: [due-diligence.backgrnd, agreement.legal-review, agreement.sign]",
    )
    with pytest.raises(DocgenError) as info:
        load(tmp_path, text)
    diag = info.value.diagnostics[0]
    assert diag.code == "unknown-item" and "due-diligence.backgrnd" in diag.message
    rule_start = text.rindex("- kind: items_done", 0, text.index("due-diligence.backgrnd"))
    assert diag.line == text[:rule_start].count("\n") + 1


def test_unknown_rule_kind_is_reported(tmp_path: Path) -> None:
    text = default_process_text("zh").replace("kind: required_items", "kind: required_itemz", 1)
    with pytest.raises(DocgenError) as info:
        load(tmp_path, text)
    assert info.value.diagnostics[0].code == "invalid-value"
    assert info.value.diagnostics[0].line == text[: text.index("required_itemz")].count("\n") + 1
    assert "did you mean 'required_items'" in info.value.diagnostics[0].hint


def test_duplicate_step_id_is_reported(tmp_path: Path) -> None:
    text = default_process_text("zh").replace("- id: screening\n", "- id: publish-call\n")
    with pytest.raises(DocgenError) as info:
        load(tmp_path, text)
    assert any(d.code == "duplicate-id" for d in info.value.diagnostics)


def test_internal_fields_must_name_real_fields(tmp_path: Path) -> None:
    text = default_process_text("zh") + "  - terms.secret\n  - risks.nope\n  - partner.name\n"
    (tmp_path / "p.yml").write_text(text, encoding="utf-8")
    with pytest.raises(DocgenError) as caught:
        load_process(tmp_path / "p.yml", "p.yml")
    found = [d.format() for d in caught.value.diagnostics]
    assert len(found) == 2
    assert "internal field 'terms.secret' is not a field of index.md" in found[0]
    assert "internal field 'risks.nope' is not a field of a risk" in found[1]
