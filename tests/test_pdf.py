"""PDFs of approved and signed documents: made by LibreOffice, or a warning without it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import copy_samples
from docgen.core import office
from system_tools import needs

HAIXIN = "2023-009-haixin-semiconductor"
HENGTONG = "2025-014-hengtong-logistics"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The samples with two engagements: 海芯 (signed and approved documents) and 恒通."""
    root = tmp_path / "ws"
    root.mkdir()
    return copy_samples(root, (HAIXIN, HENGTONG))


@pytest.fixture(autouse=True)
def _fresh_office_lookup() -> None:
    office.find_office.cache_clear()


def pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return out


def test_publish_without_libreoffice_warns_once_and_publishes(
    workspace: Path, tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    git = shutil.which("git")
    if git:
        (bin_dir / "git").symlink_to(git)
    monkeypatch.setenv("PATH", str(bin_dir))  # no soffice, no libreoffice
    result = run("publish", "--root", str(workspace))
    assert result.exit_code == 0, result.out + result.err
    warnings = [line for line in result.out.splitlines() if "pdf-unavailable" in line]
    assert len(warnings) == 1, result.out
    assert "libreoffice-writer-nogui" in result.out
    documents = workspace / "build" / "documents" / HAIXIN
    assert (documents / "cooperation-agreement.docx").is_file()
    assert not list(documents.glob("*.pdf"))
    page = (workspace / "build/site/engagements" / HAIXIN / "index.html").read_text("utf-8")
    assert "cooperation-agreement.docx" in page and ".pdf" not in page


@needs("libreoffice-writer-nogui", "python3-uno", "fonts-noto-cjk", "poppler-utils")
def test_publish_makes_pdfs_of_final_documents_only(workspace: Path, run) -> None:
    result = run("publish", "--root", str(workspace))
    assert result.exit_code == 0, result.out + result.err
    haixin = workspace / "build" / "documents" / HAIXIN
    made = sorted(p.name for p in (workspace / "build" / "documents").rglob("*.pdf"))
    # exactly the documents whose records say approved or signed (the .en copies too)
    final = {
        record.stem
        for record in (workspace / "engagements").glob("*/documents/*.md")
        if re.search(r"^status: (approved|signed)$", record.read_text("utf-8"), re.MULTILINE)
    }
    assert {name.split(".")[0] for name in made} == final
    assert "evaluation-report.pdf" in made and "cooperation-agreement.en.pdf" in made
    hengtong = workspace / "build" / "documents" / HENGTONG
    assert (hengtong / "risk-register.docx").is_file() and not (hengtong / "risk-register.pdf").exists()
    contract = pdf_text(haixin / "cooperation-agreement.pdf")
    assert "第一条" in "".join(contract.split())
    fonts = subprocess.run(["pdffonts", str(haixin / "cooperation-agreement.pdf")],
                           capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the emb column
    # the 目录 is filled in, with page numbers
    report = pdf_text(haixin / "evaluation-report.pdf")
    toc = report[report.index("目") : report.index("修订记录") + 40]
    assert "......" in toc and any(line.rstrip()[-1:].isdigit() for line in toc.splitlines())
    site = workspace / "build" / "site" / "engagements" / HAIXIN
    assert "documents/cooperation-agreement.pdf" in (site / "index.html").read_text("utf-8")
    assert (site / "documents" / "cooperation-agreement.pdf").is_file()
    assert "PDF(s) of approved or signed documents made" in result.err

    # unchanged: no PDF is made again
    again = run("publish", "--root", str(workspace))
    assert again.exit_code == 0 and "0 PDF(s)" in again.err

    # a document back to draft loses its PDF: a PDF is only ever of a final text
    record = workspace / "engagements" / HAIXIN / "documents" / "evaluation-report.md"
    record.write_text(record.read_text("utf-8").replace("status: approved", "status: review")
                      .replace('version: "1.0"', 'version: "1.1"'), encoding="utf-8")
    third = run("publish", "--root", str(workspace))
    assert third.exit_code == 0, third.out
    assert not (haixin / "evaluation-report.pdf").exists()
    assert (haixin / "cooperation-agreement.pdf").exists()


@needs("libreoffice-writer-nogui", "python3-uno", "poppler-utils")
def test_render_pdf_makes_one_for_every_document_an_office_per_core(
    workspace: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[list[str]] = []
    real_run = subprocess.run

    def counting(cmd, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(cmd, list) and str(cmd[-1]).endswith("uno_export.py"):
            started.append(cmd)
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(office.subprocess, "run", counting)
    result = run("render", HENGTONG, "--pdf", "--root", str(workspace))
    assert result.exit_code == 0, result.out
    folder = workspace / "build" / "documents" / HENGTONG
    docx = sorted(p.stem for p in folder.glob("*.docx"))
    assert sorted(p.stem for p in folder.glob("*.pdf")) == docx and len(docx) >= 10
    # one office per core (each with its own profile), never one per document
    offices = min(os.cpu_count() or 1, -(-len(docx) // office.DOCUMENTS_PER_OFFICE))
    assert len(started) == offices, f"{len(docx)} documents through {len(started)} offices"
    assert "草稿" in pdf_text(folder / "risk-register.pdf")  # a draft says so in its PDF too
    mode = (folder / "cooperation-agreement.pdf").stat().st_mode & 0o777
    assert mode == 0o666 & ~_umask()
    # every document made again (--force) to the same bytes: its PDF is kept, no office runs
    pdfs = {p: p.stat().st_mtime_ns for p in folder.glob("*.pdf")}
    again = run("render", HENGTONG, "--pdf", "--force", "--root", str(workspace))
    assert again.exit_code == 0, again.out
    assert len(started) == offices
    assert {p: p.stat().st_mtime_ns for p in folder.glob("*.pdf")} == pdfs


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@needs("libreoffice-writer-nogui", "python3-uno")
def test_libreoffice_opens_every_sample_document(tmp_path: Path, run) -> None:
    """Every .docx of every sample engagement opens in LibreOffice and exports."""
    copy_samples(tmp_path)
    result = run("render", "--pdf", "--root", str(tmp_path))
    assert result.exit_code == 0, result.out + result.err
    documents = tmp_path / "build" / "documents"
    made = sorted(p.relative_to(documents).with_suffix("") for p in documents.glob("*/*.docx"))
    pdfs = sorted(p.relative_to(documents).with_suffix("") for p in documents.glob("*/*.pdf"))
    assert len(made) >= 54 and pdfs == made
    assert not [p for p in documents.glob("*/*.pdf") if p.stat().st_size < 5000]
