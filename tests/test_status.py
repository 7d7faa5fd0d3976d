"""`docgen status` on terminals of every width, and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import copy_samples


@pytest.mark.parametrize("width", [80, 100, 200])
def test_status_keeps_the_name_on_narrow_terminals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   run, width: int) -> None:  # type: ignore[no-untyped-def]
    root = copy_samples(tmp_path)
    monkeypatch.setenv("COLUMNS", str(width))
    result = run("--lang", "zh", "status", "--root", str(root))
    assert result.exit_code == 0, result.err
    lines = result.out.splitlines()
    assert max(cell_len(line.rstrip()) for line in lines) <= width
    header = next(line for line in lines if "项目" in line and "名称" in line)
    assert "阶段" in header
    if width >= 100:
        assert "负责人" in header and "逾期" in header
    # read the name column back, its folded lines joined, row by row
    columns = [c.strip() for c in header.strip("┃").split("┃")]
    names: list[str] = []
    for line in lines:
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip().strip("│").split("│")]
        if cells[0]:
            names.append("")
        names[-1] += cells[columns.index("名称")]
    titles = [e["title"] for e in json.loads(run("status", "--format", "json", "--root", str(root)).out)]
    assert [n.replace(" ", "") for n in names] == [t.replace(" ", "") for t in titles]


def test_status_of_one_engagement_says_what_to_do_next(tmp_path, run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 26: `status ID` says the next gate's open requirements and the documents waiting."""
    from conftest import copy_samples

    monkeypatch.setenv("DOCGEN_LANG", "zh")
    root = copy_samples(tmp_path)
    result = run("status", "2026-005-bluewave-biopharma", "--root", str(root))
    said = result.out
    steps = said.split("下一步", 1)[1]
    assert "协议需经法律顾问审核" in steps and "establishment.md:" in steps
    assert "agreement.legal-review" not in steps  # the item as people name it, not its id
    assert "合作协议 0.3 待审批：docgen approve 2026-005-bluewave-biopharma 合作协议" in steps
    assert "合作方案" not in steps.split("待审批")[-1] or "待签署" not in steps  # a plan is never signed
    # a lead that was lost has no next step
    lost = run("status", "2026-006-yunfan-shipping", "--root", str(root))
    assert "下一步" not in lost.out
