"""Word output core: reference styles, real 第一条/（一） numbering, determinism, LibreOffice."""

from __future__ import annotations

import pickle
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import REPO
from docgen.word.furniture import DRAFT_MARK, add_toc, decorate
from docgen.word.package import package_bytes, save_deterministic
from docgen.word.reference import ARTICLE_STYLE, CLAUSE_STYLE, write_reference
from docgen.word.writer import Reference, new_document, render_markdown
from system_tools import needs

CONTRACT = """# 合作协议

甲方：江南高新发展集团\x07有限公司
乙方：<script>alert(1)</script> & 江苏华信储能科技有限公司

## 合作内容

1. 双方共同出资设立合资公司。
2. 合资公司从事储能电池 PACK 的研发与生产。

## 出资

1. 甲方出资 **1.5 亿元**。

| 项目 | 甲方 | 乙方 |
|---|---|---|
| 出资 | 1.5 亿元 | 3.5 亿元 |

## 争议解决

- 提交上海国际仲裁中心仲裁。
"""


def xml(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


def build(out: Path, *, draft: bool = True) -> Path:
    document = new_document(REPO / "src/docgen/data/reference.docx")
    render_markdown(document, CONTRACT, articles=True)
    add_toc(document, after=document.paragraphs[0])
    decorate(document, title="合作协议", version="0.3", draft=draft)
    save_deterministic(document, out, title="合作协议", author="docgen", version="0.3")
    return out


@pytest.fixture
def contract(tmp_path: Path) -> Path:
    return build(tmp_path / "contract.docx")


def test_shipped_reference_is_the_built_one(tmp_path: Path) -> None:
    write_reference(tmp_path / "ref.docx")
    assert (tmp_path / "ref.docx").read_bytes() == (REPO / "src/docgen/data/reference.docx").read_bytes()


def test_reference_sets_east_asian_fonts_and_chinese_numbering() -> None:
    styles = xml(REPO / "src/docgen/data/reference.docx", "word/styles.xml")
    assert 'w:eastAsia="宋体"' in styles and 'w:eastAsia="黑体"' in styles
    numbering = xml(REPO / "src/docgen/data/reference.docx", "word/numbering.xml")
    assert '<w:numFmt w:val="chineseCounting"/>' in numbering
    assert 'w:lvlText w:val="第%1条"' in numbering and 'w:lvlText w:val="（%2）"' in numbering


def test_contract_paragraph_styles(contract: Path) -> None:
    import docx

    styles = [(p.style.name, p.text) for p in docx.Document(str(contract)).paragraphs]
    assert styles[0] == ("Title", "合作协议")
    assert [t for s, t in styles if s == ARTICLE_STYLE] == ["合作内容", "出资", "争议解决"]
    assert [t for s, t in styles if s == CLAUSE_STYLE][:2] == [
        "双方共同出资设立合资公司。", "合资公司从事储能电池 PACK 的研发与生产。",
    ]
    body = xml(contract, "word/document.xml")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 江苏华信" in body
    assert "\x07" not in body
    assert "<w:tblHeader/>" in body  # the header row repeats on every page


def test_rendering_twice_gives_identical_bytes(contract: Path, tmp_path: Path) -> None:
    assert build(tmp_path / "again.docx").read_bytes() == contract.read_bytes()


def test_header_footer_toc_and_draft_mark(contract: Path, tmp_path: Path) -> None:
    headers = "".join(
        xml(contract, n) for n in zipfile.ZipFile(contract).namelist() if n.startswith("word/header")
    )
    footers = "".join(
        xml(contract, n) for n in zipfile.ZipFile(contract).namelist() if n.startswith("word/footer")
    )
    assert "合作协议" in headers and "注意保密" in headers and DRAFT_MARK in headers
    assert " PAGE " in footers and " NUMPAGES " in footers and "版本 0.3" in footers
    body = xml(contract, "word/document.xml")
    assert 'TOC \\o "1-3"' in body
    assert '<w:updateFields w:val="true"/>' in xml(contract, "word/settings.xml")
    final = build(tmp_path / "signed.docx", draft=False)
    final_headers = "".join(
        xml(final, n) for n in zipfile.ZipFile(final).namelist() if n.startswith("word/header")
    )
    assert DRAFT_MARK not in final_headers and "合作协议" in final_headers


def test_a_new_document_is_a_copy_of_the_blank_that_shares_nothing(tmp_path: Path) -> None:
    reference = Reference(REPO / "src/docgen/data/reference.docx")
    copied, afresh = reference.new_document(), reference.read_blank()
    assert package_bytes(copied) == package_bytes(afresh)
    other = reference.new_document()
    render_markdown(copied, CONTRACT, articles=True)  # numbering restarts edit its raw part
    decorate(copied, title="合作协议", version="0.3")
    assert package_bytes(other) == package_bytes(afresh)
    assert {id(p) for p in copied.part.package.iter_parts()}.isdisjoint(
        id(p) for p in other.part.package.iter_parts()
    )
    worker = pickle.loads(pickle.dumps(reference))  # as a render worker process gets it
    assert package_bytes(worker.new_document()) == package_bytes(afresh)


def test_header_and_footer_text_is_escaped(tmp_path: Path) -> None:
    document = new_document(REPO / "src/docgen/data/reference.docx")
    decorate(document, title="<w:t>合作 & 协议\x07", version="1.0<br/>", draft=True)
    out = tmp_path / "hostile.docx"
    save_deterministic(document, out, title="t", author="docgen")
    header, footer = xml(out, "word/header1.xml"), xml(out, "word/footer1.xml")
    assert "&lt;w:t&gt;合作 &amp; 协议［U+0007］" in header and "<w:t>合作" not in header
    assert "版本 1.0&lt;br/&gt;" in footer


@needs("libreoffice-writer-nogui", "fonts-noto-cjk", "poppler-utils")
def test_libreoffice_opens_it_with_numbering_and_cjk_font(contract: Path, tmp_path: Path) -> None:
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(contract)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = tmp_path / "contract.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    joined = "".join(text.split())  # lines wrap anywhere in Chinese text
    for expected in ("第一条合作内容", "（一）双方共同出资", "（二）合资公司", "第二条出资", "（一）甲方出资",
                     "第三条争议解决", "<script>alert(1)</script>&江苏华信储能科技有限公司"):
        assert expected in joined, expected
    assert "第1页共" in joined and "草稿" in joined  # page X of Y fields and the draft mark
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts


def tiny_png() -> bytes:
    """A 2×2 red PNG, written by hand so the test needs no imaging library."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


NOTES = """# 会议纪要

- [x] 已完成事项
- [ ] 待办事项
  1. 嵌套编号

依据协议第三条[^1]执行。

![现场照片](photo.png) ![越界](../secret.png)

```docgen-chart
{"kind": "bar", "title": "达成率", "categories": ["销售额", "客户数"], "series": [{"name": "达成率", "values": [86.7, null]}]}
```

[^1]: 见《合作协议》第三条。
"""


def notes_docx(folder: Path) -> Path:
    (folder / "photo.png").write_bytes(tiny_png())
    document = new_document(REPO / "src/docgen/data/reference.docx")
    render_markdown(document, NOTES, base=folder)
    out = folder / "notes.docx"
    save_deterministic(document, out, title="纪要", author="docgen")
    return out


def test_tasks_nested_lists_footnotes_images_and_charts(tmp_path: Path) -> None:
    import docx

    out = notes_docx(tmp_path)
    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(out)).paragraphs]
    assert ("List Bullet", "☑ 已完成事项") in paragraphs and ("List Bullet", "☐ 待办事项") in paragraphs
    assert ("List Number 2", "嵌套编号") in paragraphs
    body = xml(out, "word/document.xml")
    assert '<w:footnoteReference w:id="1"/>' in body
    footnotes = xml(out, "word/footnotes.xml")
    assert "见《合作协议》第三条。" in footnotes and 'w:type="separator"' in footnotes
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
    assert any(n.startswith("word/media/") for n in names)  # the photo inside the folder
    assert "［图片：越界］" in body  # a path outside the engagement folder is not read
    chart = xml(out, "word/charts/chart1.xml")
    assert "<c:barChart>" in chart and "<c:v>销售额</c:v>" in chart and "86.7" in chart
    assert "[^1]" not in body and "docgen-chart" not in body


@needs("libreoffice-writer-nogui", "poppler-utils")
def test_libreoffice_reads_lists_footnotes_and_charts(tmp_path: Path) -> None:
    out = notes_docx(tmp_path)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=180,
    )
    text = subprocess.run(["pdftotext", str(tmp_path / "notes.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "已完成事项" in text and "见《合作协议》第三条。" in text and "销售额" in text
