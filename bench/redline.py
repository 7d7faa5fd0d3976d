"""Benchmark: a 30-change redline of 恒通's 合作协议, beside python-redlines.

Takes 恒通's contract as a 1.1 draft committed in git, makes 30 edits of index.md
(amounts, periods, names, obligations and triggers added and removed), and times:

- ``docgen redline --from HEAD`` as a user runs it: the real CLI in a fresh process, the
  committed text (rendered from the workspace as committed) against the working tree
  (target: under 1 s);
- the comparison alone, in process (`docgen.documents.build.build_redline`);
- python-redlines (``pip install '.[bench]'``), both of its engines (Open-XML-PowerTools'
  WmlComparer and Docxodus), comparing the two .docx files docgen writes.

For each it prints seconds and what a lawyer reads: how many insertions and deletions,
how much text they mark, and whether accepting all gives the new text and rejecting all
the old (paragraph text, in Python).

    python bench/redline.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import replace
from pathlib import Path

import docx
from docx.oxml.ns import qn

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import REPO, copy_workspace

HENGTONG = "2025-014-hengtong-logistics"
TARGET_SECONDS = 1.0
TODAY = "2026-11-26"
#: 30 edits of index.md, in order: (old, new); an empty new deletes.
CHANGES = [
    ("profit_split: {us: 40, partner: 60}", "profit_split: {us: 45, partner: 55}"),
    (
        "amount: 60000000, currency: CNY, note: 土地使用权作价及现金出资",
        "amount: 65000000, currency: CNY, note: 土地使用权作价出资",
    ),
    (
        "amount: 90000000, currency: CNY, note: 现金及自动化仓储系统出资",
        "amount: 85000000, currency: CNY, note: 现金出资",
    ),
    ("term_months: 180", "term_months: 240"),
    ("end: 2041-03-01", "end: 2046-03-01"),
    ("期限至合作终止后三年", "期限至合作终止后五年"),
    ("按日万分之五", "按日万分之三"),
    ("园区入驻率连续两个季度低于 50%", "园区入驻率连续三个季度低于 45%"),
    ("    - 土地或规划政策调整导致二期无法建设\n", ""),
    ("institution: 上海国际仲裁中心", "institution: 苏州仲裁委员会"),
    ("rules: 上海国际仲裁中心仲裁规则", "rules: 苏州仲裁委员会仲裁规则"),
    ("seat: 上海", "seat: 苏州"),
    ("    - 提供 180 亩物流用地并完成七通一平\n", "    - 提供 200 亩物流用地并完成七通一平\n"),
    (
        "    - 协调海关监管仓资质申请\n",
        "    - 协调海关监管仓资质申请\n    - 提供人才公寓 50 套\n    - 协助申报省级示范物流园区\n",
    ),
    (
        "    - 导入自动化立体仓储系统及 WMS/TMS 平台\n",
        "    - 导入自动化立体仓储系统及 WMS/TMS/OMS 平台\n",
    ),
    (
        "    - 引入不少于 20 家区域分拨客户\n",
        "    - 引入不少于 25 家区域分拨客户\n    - 三年内实现年营收 5 亿元\n",
    ),
    ("合作满五年后按评估价转让股权", "合作满八年后按评估价转让股权"),
    ("另一方享有优先购买权", "另一方在同等条件下享有优先购买权"),
    ("连续三年亏损时任一方可提议解散清算", "连续两年亏损时任一方可提议解散清算"),
    (
        "scope: 智慧物流园区的投资建设、仓储配送、供应链金融信息服务",
        "scope: 智慧物流园区的投资建设、仓储配送与冷链物流",
    ),
    ("legal_representative: 吴国华", "legal_representative: 吴国强"),
    ("address: 浙江省杭州市西湖区文三路 478 号", "address: 浙江省杭州市滨江区江南大道 1088 号"),
    ("start: 2026-03-02", "start: 2026-04-01"),
    ("    - 园区入驻率", "    - 主要客户流失导致营收下降 30% 以上\n    - 园区入驻率"),
    ("向守约方支付违约金。", "向守约方支付违约金，并赔偿守约方因此遭受的损失。"),
    ("商业秘密承担保密义务", "商业秘密及个人信息承担保密义务"),
    (
        "governing_law: 中华人民共和国法律",
        "governing_law: 中华人民共和国法律（不含港澳台地区法律）",
    ),
    ("note: 土地使用权作价出资,", "note: 土地使用权及地上附着物作价出资,"),
    ("智慧物流园区的投资建设", "智慧物流园区的规划、投资建设"),
    ("另一方在同等条件下享有优先购买权", "另一方在同等条件下享有优先购买权，但转让给关联方的除外"),
]


def edit_workspace(root: Path) -> int:
    """Make the second version: 30 edits of index.md."""
    index = root / "engagements" / HENGTONG / "index.md"
    text = index.read_text("utf-8")
    for old, new in CHANGES:
        assert old in text, old
        text = text.replace(old, new, 1)
    index.write_text(text, "utf-8")
    return len(CHANGES)


def workspace(tmp: Path) -> Path:
    """The samples' 恒通 in 合作确立, its contract a 1.1 draft of today's clauses, committed."""
    root = tmp / "ws"
    root.mkdir()
    copy_workspace(root, ("mkdocs.yml", "templates", "docs"))
    shutil.copytree(REPO / "engagements" / HENGTONG, root / "engagements" / HENGTONG)
    folder = root / "engagements" / HENGTONG
    index = folder / "index.md"
    text = index.read_text("utf-8")
    base = (
        # back in 合作确立, where a contract may be a draft (later stages need it signed)
        ("stage: execution", "stage: establishment"),
    )
    for old, new in base:
        text = text.replace(old, new, 1)
    index.write_text(text, "utf-8")
    record = folder / "documents" / "cooperation-agreement.md"
    record.write_text(
        record.read_text("utf-8").replace(
            'version: "1.0"\nstatus: signed\nsigned: 2026-03-02', 'version: "1.1"\nstatus: draft'
        ),
        "utf-8",
    )
    names = ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")
    env = {**os.environ, **dict.fromkeys(names, "bench")}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(["git", *args], cwd=root, check=True, env=env)
    return root


def docgen(root: Path, *args: str) -> float:
    """Run the real CLI in a fresh process; its wall seconds."""
    cmd = [sys.executable, "-m", "docgen", *args, "--root", str(root)]
    start = time.perf_counter()
    done = subprocess.run(
        cmd, capture_output=True, text=True, check=False, env={**os.environ, "DOCGEN_TODAY": TODAY}
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"docgen {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds


def paragraphs(body, accept: bool | None) -> list[str]:
    """Paragraph texts of a body, after accepting (True) or rejecting (False) every change."""
    lines = []
    for p in body.iter(qn("w:p")):
        words = []
        for element in p.iter(qn("w:t"), qn("w:delText")):
            inside = element.getparent().getparent()
            deleted = element.tag == qn("w:delText")
            inserted = inside is not None and inside.tag == qn("w:ins")
            if accept is None or (accept and not deleted) or (not accept and not inserted):
                words.append(element.text or "")
        if "".join(words).strip():
            lines.append("".join(words))
    return lines


def measure(path: Path) -> dict[str, object]:
    body = docx.Document(str(path)).element.body
    deleted = [
        len("".join(t.text or "" for t in d.iter(qn("w:delText")))) for d in body.iter(qn("w:del"))
    ]
    inserted = [
        len("".join(t.text or "" for t in i.iter(qn("w:t")))) for i in body.iter(qn("w:ins"))
    ]
    return {
        "deletions": sum(1 for n in deleted if n),
        "insertions": sum(1 for n in inserted if n),
        "marked_chars": sum(deleted) + sum(inserted),
        "median_deletion": statistics.median([n for n in deleted if n] or [0]),
        "accepted": paragraphs(body, True),
        "rejected": paragraphs(body, False),
    }


def report(
    name: str, seconds: float, found: dict[str, object], old: list[str], new: list[str]
) -> None:
    accept = "yes" if found["accepted"] == new else "NO"
    reject = "yes" if found["rejected"] == old else "NO"
    marks = f"{found['deletions']:3d} del {found['insertions']:3d} ins"
    median = found["median_deletion"]
    marked = f"{found['marked_chars']:5d} chars marked (median deletion {median:4.1f})"
    print(f"{name:34s} {seconds * 1000:6.0f} ms  {marks}  {marked}  ", end="")
    print(f"accept→new {accept:3s} reject→old {reject}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ["DOCGEN_TODAY"] = TODAY
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as tmp:
        work = Path(tmp)
        root = workspace(work)
        contract = (HENGTONG, "cooperation-agreement")
        # 1.1 approved: its text frozen, as a lawyer's redline usually starts
        docgen(root, "approve", *contract, "--by", "周建国", "--date", "2026-11-20", "--commit")
        edit_workspace(root)
        out = root / "build" / "redline.docx"
        frozen = [docgen(root, "redline", *contract, "-o", str(out)) for _ in range(args.repeat)]
        git = [
            docgen(root, "redline", *contract, "--from", "HEAD", "-o", str(out))
            for _ in range(args.repeat)
        ]

        from docgen.documents.build import build_docx, build_redline
        from docgen.pipeline.redline import RedlineRequest, make_redline
        from docgen.pipeline.render import reference_path
        from docgen.word.writer import Reference
        from docgen.workspace.load import load_portfolio

        portfolio = load_portfolio(root, [HENGTONG])
        _, _, before, after = make_redline(portfolio, RedlineRequest(*contract), out)
        reference = Reference(reference_path(portfolio.workspace))
        inside = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            build_redline(before, after, work, "inside.docx", reference, "b")
            inside.append(time.perf_counter() - start)
        for name, side in (("old", before), ("new", after)):
            build_docx(replace(side.text, output=f"{name}.docx"), work, reference)
        old = paragraphs(docx.Document(str(work / "old.docx")).element.body, None)
        new = paragraphs(docx.Document(str(work / "new.docx")).element.body, None)

        print(
            f"恒通 合作协议, approved 1.1 → 30 edits of index.md "
            f"({len(old)} → {len(new)} paragraphs); median of {args.repeat}"
        )
        found = measure(out)
        report("docgen redline (CLI, from 1.1)", statistics.median(frozen), found, old, new)
        report("docgen redline --from HEAD (CLI)", statistics.median(git), found, old, new)
        report("build_redline (in process)", statistics.median(inside),
               measure(work / "inside.docx"), old, new)  # fmt: skip
        cli_s = statistics.median(frozen)
        met = "met" if cli_s < TARGET_SECONDS else "NOT met"
        print(f"target: the CLI under {TARGET_SECONDS:.0f} s: {met} ({cli_s:.2f} s)")
        try:
            from python_redlines.engines import DocxodusEngine, XmlPowerToolsEngine
        except ImportError:
            print("python-redlines not installed: pip install '.[bench]' to compare with it")
            return
        for engine_class in (XmlPowerToolsEngine, DocxodusEngine):
            with warnings.catch_warnings():  # WmlComparer's own deprecation notice
                warnings.simplefilter("ignore", DeprecationWarning)
                engine = engine_class()
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                data, _, _ = engine.run_redline("b", work / "old.docx", work / "new.docx")
                times.append(time.perf_counter() - start)
            result = work / f"{engine_class.__name__}.docx"
            result.write_bytes(data)
            seconds = statistics.median(times)
            report(f"python-redlines {engine_class.__name__}", seconds, measure(result), old, new)
            print(f"{'':34s} ratio to docgen's CLI: {seconds / cli_s:.1f}x the time")


if __name__ == "__main__":
    main()
