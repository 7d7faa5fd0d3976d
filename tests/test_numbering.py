"""Every numbered list of every sample document starts at 1 (issue 11).

A list takes its numbers from its paragraph style; paragraphs of one style share one
Word numbering and would count on across lists (备忘录's 待确认事项 started at 7).  Each
list now gets a numbering instance of its own that restarts, checked in the XML here
and, for two documents, in the text LibreOffice reads.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import TODAY, copy_samples
from docgen.pipeline.render import render_documents
from system_tools import in_libreoffice, needs

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NUMBERED = {"ListNumber", "ListNumber2"}
LISTS = NUMBERED | {"ListBullet", "ListBullet2"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = copy_samples(tmp_path_factory.mktemp("samples"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DOCGEN_TODAY", TODAY)
        report = render_documents(root)
    assert report.ok
    return sorted((root / "build" / "documents").glob("*/*.docx"))


def _style(p: etree._Element) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val") if style is not None else ""


def _num_id(p: etree._Element) -> str | None:
    num = p.find(f"{W}pPr/{W}numPr/{W}numId")
    return num.get(f"{W}val") if num is not None else None


def test_every_numbered_list_in_every_sample_document_starts_at_1(rendered: list[Path]) -> None:
    lists_seen = 0
    for path in rendered:
        with zipfile.ZipFile(path) as z:
            body = etree.fromstring(z.read("word/document.xml")).find(f"{W}body")
            numbering = etree.fromstring(z.read("word/numbering.xml"))
        restarts = {
            n.get(f"{W}numId"): n.find(f"{W}lvlOverride/{W}startOverride").get(f"{W}val")
            for n in numbering.findall(f"{W}num")
            if n.find(f"{W}lvlOverride/{W}startOverride") is not None
        }
        previous: dict[str, str] = {}  # style → numId of the list that style was last in
        for p in body.iter(f"{W}p"):
            style = _style(p)
            if style not in LISTS:
                previous = {}  # any other paragraph ends the lists
                continue
            if style not in NUMBERED:
                continue
            num_id = _num_id(p)
            assert num_id in restarts, f"{path.name}: a numbered paragraph without its own list"
            if previous.get(style) != num_id:
                lists_seen += 1
                assert restarts[num_id] == "1", f"{path.name}: list {num_id} starts elsewhere"
                assert num_id not in previous.values()
            previous[style] = num_id
        # two lists never share a numbering instance
        ids = [_num_id(p) for p in body.iter(f"{W}p") if _style(p) in NUMBERED]
        firsts = [i for k, i in enumerate(ids) if k == 0 or ids[k - 1] != i]
        assert len(firsts) == len(set(firsts)), path.name
    assert lists_seen >= 20  # the samples have many: the check checks something


@needs("libreoffice-writer-nogui", "python3-uno")
def test_libreoffice_numbers_each_list_from_1(rendered: list[Path], tmp_path: Path) -> None:
    wanted = [p for p in rendered if p.name in ("memorandum.docx", "cooperation-agreement.en.docx")]
    assert len(wanted) >= 2
    jobs = [(p, "keep", tmp_path / f"{i}.txt") for i, p in enumerate(wanted)]
    in_libreoffice(jobs, tmp_path / "profile")
    for (_, _, txt), path in zip(jobs, wanted, strict=True):
        starts = []  # the first number of each run of numbered lines
        numbered = False
        for line in Path(txt).read_text("utf-8").splitlines():
            found = re.match(r"\s*(\d+)\. ", line)
            if found and not numbered:
                starts.append(int(found[1]))
            # a nested bullet (the conditions under 1.) belongs to the item above it
            numbered = bool(found) or (numbered and (not line.strip() or line.lstrip().startswith("•")))
        assert len(starts) >= 2 and set(starts) == {1}, (path.name, starts)
